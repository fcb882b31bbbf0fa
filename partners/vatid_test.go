package partners_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/openbackoffice/backoffice/partners"
)

func TestNormalizeVATID(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"already normal", "DE136695976", "DE136695976"},
		{"spaces", " DE 136 695 976 ", "DE136695976"},
		{"dots and hyphens", "de-136.695.976", "DE136695976"},
		{"lower case letters inside", "nl004495445b01", "NL004495445B01"},
		{"tabs and no-break spaces", "AT\tU\u00a013585627", "ATU13585627"},
		{"only separators", " .-", ""},
		{"other characters kept", "FR/40", "FR/40"},
		{"non-ASCII letters not folded", "ıt00743110157", "ıT00743110157"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := partners.NormalizeVATID(tt.in)
			if got != tt.want {
				t.Errorf("NormalizeVATID(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := partners.NormalizeVATID(got); again != got {
				t.Errorf("NormalizeVATID not idempotent: %q then %q", got, again)
			}
		})
	}
}

// The valid IDs with check digits below are published examples: DE136695976
// is the commonly cited German one; ATU13585627, BE0428759497, BE0403019261,
// FR40303265045, FR23334175221, IT00743110157, NL004495445B01 and
// NL002455799B11 are from the python-stdnum documentation; ATU15110001,
// ATU66087922, NL007303907B01 and NL813086188B01 from Oracle's tax
// registration number documentation. Format-only countries use made-up
// numbers of the right form. None is claimed to be registered in VIES today.
//
// DE136695976 by hand (ISO 7064 MOD 11,10, product starts at 10):
//
//	digit  sum = (digit + product) mod 10 (0 → 10)  product = 2·sum mod 11
//	1      1                                        2
//	3      5                                        10
//	6      6                                        1
//	6      7                                        3
//	9      2                                        4
//	5      9                                        7
//	9      6                                        1
//	7      8                                        5
//	check digit = 11 − 5 = 6 ✓ (the ninth digit)
func TestCheckVATID(t *testing.T) {
	tests := []struct {
		name    string
		id      string
		wantErr string // a part of the reason, or "" for valid
	}{
		// Valid, per country.
		{"AT", "ATU13585627", ""},
		{"AT oracle 1", "ATU15110001", ""},
		{"AT oracle 2", "ATU66087922", ""},
		{"BE", "BE0428759497", ""},
		{"BE 2", "BE0403019261", ""},
		{"BE starting with 1", "BE1000000021", ""}, // 10000000 mod 97 = 76; 97 − 76 = 21
		{"BG 9 digits", "BG123456789", ""},
		{"BG 10 digits", "BG1234567890", ""},
		{"CY", "CY12345678L", ""},
		{"CZ 8", "CZ12345678", ""},
		{"CZ 9", "CZ123456789", ""},
		{"CZ 10", "CZ1234567890", ""},
		{"DE", "DE136695976", ""},
		{"DK", "DK12345678", ""},
		{"EE", "EE123456789", ""},
		{"EL", "EL123456789", ""},
		{"ES letter first", "ESA1234567B", ""},
		{"ES digit last", "ES12345678Z", ""},
		{"ES letter first digit last", "ESX12345678", ""},
		{"FI", "FI12345678", ""},
		{"FR numeric key", "FR40303265045", ""},
		{"FR numeric key 2", "FR23334175221", ""},
		{"FR letter key", "FRK7399859412", ""},
		{"FR digit and letter key", "FR4Z123456782", ""},
		{"HR", "HR12345678901", ""},
		{"HU", "HU12345678", ""},
		{"IE 8 digits and letter", "IE1234567T", ""},
		{"IE 8", "IE6433435F", ""},
		{"IE 8 old with letter", "IE8D79739I", ""},
		{"IE 8 old with plus", "IE7+12345A", ""},
		{"IE 9", "IE1234567FA", ""},
		{"IT", "IT00743110157", ""},
		{"LT 9", "LT123456789", ""},
		{"LT 12", "LT123456789012", ""},
		{"LU", "LU12345678", ""},
		{"LV", "LV12345678901", ""},
		{"MT", "MT12345678", ""},
		{"NL mod 11", "NL004495445B01", ""},
		{"NL mod 11 oracle 1", "NL007303907B01", ""},
		{"NL mod 11 oracle 2", "NL813086188B01", ""},
		{"NL mod 97 (since 2020)", "NL002455799B11", ""},
		{"PL", "PL1234567890", ""},
		{"PT", "PT123456789", ""},
		{"RO 2", "RO12", ""},
		{"RO 10", "RO1234567890", ""},
		{"SE", "SE123456789701", ""},
		{"SI", "SI12345678", ""},
		{"SK", "SK1234567890", ""},
		{"XI 9", "XI123456789", ""},
		{"XI 12", "XI123456789012", ""},
		{"XI government department", "XIGD001", ""},
		{"XI health authority", "XIHA599", ""},
		{"normalized first", "de 136.695-976", ""},

		// Wrong check digits.
		{"AT check", "ATU13585626", "check digit"},
		{"AT check 2", "ATU12345678", "check digit"},
		{"BE check", "BE0431150351", "check digit"},
		{"DE check", "DE136695978", "check digit"},
		{"DE transposed", "DE136695967", "check digit"},
		{"FR key", "FR84323140391", "check digit"},
		{"FR key off by one", "FR41303265045", "check digit"},
		{"IT check", "IT00743110158", "check digit"},
		{"NL neither check", "NL123456789B90", "check digit"},
		{"NL mod 97 off by one", "NL002455799B12", "check digit"},

		// Wrong format.
		{"AT without U", "AT13585627", "format"},
		{"AT too long", "ATU135856270", "format"},
		{"BE starting with 2", "BE2428759497", "format"},
		{"BE 9 digits", "BE428759497", "format"},
		{"BG 8", "BG12345678", "format"},
		{"CY without letter", "CY123456789", "format"},
		{"CZ 11", "CZ12345678901", "format"},
		{"DE 8", "DE13669597", "format"},
		{"DE 10", "DE1366959760", "format"},
		{"DE leading zero", "DE036695976", "format"},
		{"DE letter", "DE13669597A", "format"},
		{"DK 9", "DK123456789", "format"},
		{"EE 8", "EE12345678", "format"},
		{"EL 8", "EL12345678", "format"},
		{"ES 8", "ESA123456B", "format"},
		{"ES letter inside", "ES1234A678Z", "format"},
		{"FI 9", "FI123456789", "format"},
		{"FR key with O", "FRO0303265045", "format"},
		{"FR key with I", "FRI0303265045", "format"},
		{"FR short SIREN", "FR4030326504", "format"},
		{"HR 10", "HR1234567890", "format"},
		{"HU 9", "HU123456789", "format"},
		{"IE last not letter", "IE12345678", "format"},
		{"IE 9 digit last", "IE1234567F1", "format"},
		{"IE 10", "IE1234567FAB", "format"},
		{"IT 10", "IT0074311015", "format"},
		{"LT 10", "LT1234567890", "format"},
		{"LU 9", "LU123456789", "format"},
		{"LV 10", "LV1234567890", "format"},
		{"MT 7", "MT1234567", "format"},
		{"NL without B", "NL004495445C01", "format"},
		{"NL B00", "NL004495445B00", "format"},
		{"NL short", "NL04495445B01", "format"},
		{"PL 9", "PL123456789", "format"},
		{"PT 10", "PT1234567890", "format"},
		{"RO 1", "RO1", "format"},
		{"RO 11", "RO12345678901", "format"},
		{"SE not ending 01", "SE123456789702", "format"},
		{"SE 11", "SE12345678901", "format"},
		{"SI 9", "SI123456789", "format"},
		{"SK 9", "SK123456789", "format"},
		{"XI 10", "XI1234567890", "format"},
		{"XI GD out of range", "XIGD500", "format"},
		{"XI HA out of range", "XIHA499", "format"},
		{"non-ASCII digits", "DE١٣٦٦٩٥٩٧٦", "format"},

		// Not a VAT ID of a known country.
		{"empty", "", "empty"},
		{"separators only", " - ", "empty"},
		{"one letter", "D", "prefix"},
		{"Greece as GR", "GR123456789", "unknown country prefix"},
		{"Great Britain", "GB123456789", "unknown country prefix"},
		{"Switzerland", "CHE123456789", "unknown country prefix"},
		{"United States", "US123456789", "unknown country prefix"},
		{"no prefix", "136695976", "unknown country prefix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := partners.CheckVATID(tt.id)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("CheckVATID(%q) = %v, want nil", tt.id, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("CheckVATID(%q) = nil, want an error about %q", tt.id, tt.wantErr)
			}
			if !errors.Is(err, partners.ErrInvalid) {
				t.Errorf("CheckVATID(%q) = %v, want it to wrap ErrInvalid", tt.id, err)
			}
			var fe *partners.FieldError
			if !errors.As(err, &fe) || fe.Record != "party" || fe.Field != "vat_id" {
				t.Errorf("CheckVATID(%q) = %#v, want a *FieldError for party field vat_id", tt.id, err)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.wantErr) {
				t.Errorf("CheckVATID(%q) = %q, want it to mention %q", tt.id, msg, tt.wantErr)
			}
			if n := partners.NormalizeVATID(tt.id); len(n) > 2 && strings.Contains(msg, n[2:]) {
				t.Errorf("CheckVATID(%q) = %q repeats the number", tt.id, msg)
			}
		})
	}
}

// TestCheckVATIDEveryCheckDigit changes the check digit of each valid ID
// with one to all nine other digits: exactly none may pass.
func TestCheckVATIDEveryCheckDigit(t *testing.T) {
	tests := []struct {
		name string
		id   string
		pos  int // index of the check digit
	}{
		{"AT", "ATU13585627", 10},
		{"BE", "BE0428759497", 11},
		{"DE", "DE136695976", 10},
		{"FR", "FR40303265045", 3},
		{"IT", "IT00743110157", 12},
		{"NL", "NL004495445B01", 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := partners.CheckVATID(tt.id); err != nil {
				t.Fatalf("CheckVATID(%q) = %v, want nil", tt.id, err)
			}
			var passed []string
			for c := byte('0'); c <= '9'; c++ {
				if c == tt.id[tt.pos] {
					continue
				}
				id := tt.id[:tt.pos] + string(c) + tt.id[tt.pos+1:]
				if partners.CheckVATID(id) == nil {
					passed = append(passed, id)
				}
			}
			if len(passed) > 0 {
				t.Errorf("wrong check digits pass: %v", passed)
			}
		})
	}
}

// TestCheckVATIDOneDEDigit checks, for a run of eight-digit German
// prefixes, that exactly one of the ten possible ninth digits passes.
func TestCheckVATIDOneDEDigit(t *testing.T) {
	for n := 10000000; n < 10000500; n++ {
		var passed []int
		for d := range 10 {
			if partners.CheckVATID(fmt.Sprintf("DE%08d%d", n, d)) == nil {
				passed = append(passed, d)
			}
		}
		if len(passed) != 1 {
			t.Fatalf("DE%08d?: check digits %v pass, want exactly one", n, passed)
		}
	}
}

func ExampleCheckVATID() {
	for _, id := range []string{"DE136695976", "de 136.695.976", "DE136695978", "GR123456789"} {
		fmt.Println(partners.CheckVATID(id))
	}
	// Output:
	// <nil>
	// <nil>
	// partners: party: field vat_id: partners: invalid: VAT ID: check digit does not match
	// partners: party: field vat_id: partners: invalid: VAT ID: unknown country prefix
}

func ExampleNormalizeVATID() {
	fmt.Println(partners.NormalizeVATID("nl 0044.95445-b01"))
	// Output: NL004495445B01
}
