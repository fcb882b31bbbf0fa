package hr_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/openbackoffice/backoffice/hr"
)

// registryExamples are the example IBANs of the SWIFT IBAN registry, one
// or more per country (Nicaragua's is left out). Their check digits were
// verified with an independent mod-97 computation, not with this package.
var registryExamples = []string{
	"AD1200012030200359100100", "AE070331234567890123456", "AL47212110090000000235698741",
	"AT611904300234573201", "AZ21NABZ00000000137010001944", "BA391290079401028494",
	"BE68539007547034", "BG80BNBG96611020345678", "BH67BMAG00001299123456",
	"BI4210000100010000332045181", "BR1800360305000010009795493C1", "BY13NBRB3600900000002Z00AB00",
	"CH9300762011623852957", "CR05015202001026284066", "CY17002001280000001200527600",
	"CZ6508000000192000145399", "DE89370400440532013000", "DJ2100010000000154000100186",
	"DK5000400440116243", "DO28BAGR00000001212453611324", "EE382200221020145685",
	"EG380019000500000000263180002", "ES9121000418450200051332", "FI2112345600000785",
	"FK88SC123456789012", "FO6264600001631634", "FR1420041010050500013M02606",
	"GB29NWBK60161331926819", "GB82WEST12345698765432", "GE29NB0000000101904917",
	"GI75NWBK000000007099453", "GL8964710001000206", "GR1601101250000000012300695",
	"GT82TRAJ01020000001210029690", "HN88CABF00000000000250005469", "HR1210010051863000160",
	"HU42117730161111101800000000", "IE29AIBK93115212345678", "IL620108000000099999999",
	"IQ98NBIQ850123456789012", "IS140159260076545510730339", "IT60X0542811101000000123456",
	"JO94CBJO0010000000000131000302", "KW81CBKU0000000000001234560101", "KZ86125KZT5004100100",
	"LB62099900000001001901229114", "LC55HEMM000100010012001200023015", "LI21088100002324013AA",
	"LT121000011101001000", "LU280019400644750000", "LV80BANK0000435195001",
	"LY83002048000020100120361", "MC5811222000010123456789030", "MD24AG000225100013104168",
	"ME25505000012345678951", "MK07250120000058984", "MN121234123456789123",
	"MR1300020001010000123456753", "MT84MALT011000012345MTLCAST001S", "MU17BOMM0101101030300200000MUR",
	"NL91ABNA0417164300", "NO9386011117947", "OM810180000001299123456",
	"PK36SCBL0000001123456702", "PL61109010140000071219812874", "PS92PALS000000000400123456702",
	"PT50000201231234567890154", "QA58DOHB00001234567890ABCDEFG", "RO49AAAA1B31007593840000",
	"RS35260005601001611379", "RU0304452522540817810538091310419", "SA0380000000608010167519",
	"SC18SSCB11010000000000001497USD", "SD2129010501234001", "SE4550000000058398257466",
	"SI56263300012039086", "SK3112000000198742637541", "SM86U0322509800000000270100",
	"SO211000001001000100141", "ST68000100010051845310112", "SV62CENR00000000000000700025",
	"TL380080012345678910157", "TN5910006035183598478831", "TR330006100519786457841326",
	"UA213223130000026007233566001", "VA59001123000012345678", "VG96VPVG0000012345678901",
	"XK051212012345678906", "YE15CBYE0001018861234567891234",
}

func TestValidIBANRegistryExamples(t *testing.T) {
	for _, iban := range registryExamples {
		t.Run(iban, func(t *testing.T) {
			if !hr.ValidIBAN(iban) {
				t.Errorf("ValidIBAN(%q) = false, want true", iban)
			}
		})
	}
}

func TestValidIBANRefuses(t *testing.T) {
	for _, tc := range []struct{ name, iban string }{
		{"unknown country ZZ (issue 26.8)", "ZZ1812345678901234"},
		{"letters in a German account number (issue 26.8)", "DE6937040044ABCDEFGHIJ"},
		{"check digits 01 (issue 26.8)", "DE01370400440000000042"},
		{"check digits 00", "GB00WEST12345698765432"},
		{"check digits 99", "DE99370400440532013000"},
		{"US is no IBAN country", "US64SVBKUS6S3300958879"},
		{"letter in a Belgian account", "BE68539007547O34"},
		{"digit where Britain has the bank's letters", "GB29NW3K60161331926819"},
		{"digit where Mauritius has the currency", "MU17BOMM0101101030300200000MU1"},
		{"Norway one short", "NO938601111794"},
		{"Malta one long", "MT84MALT011000012345MTLCAST001S0"},
		{"French IBAN with a German length", "FR14200410100505000"},
		{"lower case", "gb82west12345698765432"},
		{"space", "GB82 WEST12345698765432"},
		{"non-ASCII digit", "DE89370400440532013０00"},
		{"checksum", "DE89370400440532013001"},
		{"country only", "DE"},
		{"empty", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if hr.ValidIBAN(tc.iban) {
				t.Errorf("ValidIBAN(%q) = true, want false", tc.iban)
			}
		})
	}
}

// TestIBANErrorsNameNoValue: the reason an IBAN is refused names the rule,
// never the IBAN or a part of it.
func TestIBANErrorsNameNoValue(t *testing.T) {
	for _, iban := range []string{"ZZ1812345678901234", "DE6937040044ABCDEFGHIJ", "DE01370400440000000042", "DE8937040044053201300"} {
		err := hr.BankAccount{IBAN: iban}.Validate()
		var fe *hr.FieldError
		if !errors.Is(err, hr.ErrBankAccount) || !errors.As(err, &fe) || fe.Field != "iban" {
			t.Fatalf("Validate(%s) = %v, want a *FieldError for iban wrapping ErrBankAccount", iban, err)
		}
		for _, part := range []string{iban, iban[4:12], iban[:4], "ABCDEFGHIJ", "37040044"} {
			if strings.Contains(err.Error(), part) {
				t.Errorf("error %q contains %q", err, part)
			}
		}
	}
}

func TestValidRoutingNumberPrefix(t *testing.T) {
	for _, tc := range []struct {
		aba  string
		want bool
	}{
		// Published routing numbers.
		{"011000015", true}, // Federal Reserve Bank of Boston
		{"021000021", true}, // JPMorgan Chase, New York
		{"026009593", true}, // Bank of America, New York
		{"121000358", true}, // Bank of America, California
		{"322271627", true}, // JPMorgan Chase, California (thrift symbol 32)
		// Check digits worked by hand: 3(d1+d4+d7) + 7(d2+d5+d8) + d3+d6+d9 ≡ 0.
		{"610000005", true},  // 18+7+5 = 30: electronic symbol 61
		{"800000006", true},  // 24+6 = 30: traveller's cheques
		{"000000000", false}, // checksum 0, but 00 is the government's (issue 26.8)
		{"130000006", false}, // 3+21+6 = 30, symbol 13 unassigned
		{"500000005", false}, // 15+5 = 20, symbol 50 unassigned
		{"730000008", false}, // 21+21+8 = 50, symbol 73 unassigned
		{"990000000", false}, // 27+63 = 90, symbol 99 unassigned
		{"021000022", false}, // checksum
	} {
		t.Run(tc.aba, func(t *testing.T) {
			if got := hr.ValidRoutingNumber(tc.aba); got != tc.want {
				t.Errorf("ValidRoutingNumber(%q) = %v, want %v", tc.aba, got, tc.want)
			}
		})
	}
}

// sepaLengths are the IBAN lengths of the SEPA countries as the European
// Payments Council lists them: written down apart from the registry table
// so that a typo in either shows.
var sepaLengths = map[string]int{
	"AD": 24, "AL": 28, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18,
	"EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GI": 23, "GR": 27, "HR": 21, "HU": 28, "IE": 22,
	"IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
	"MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24, "RS": 22, "SE": 24, "SI": 19, "SK": 24,
	"SM": 27, "VA": 22,
}

func TestIBANRegistryTable(t *testing.T) {
	examples := map[string]string{}
	for _, iban := range registryExamples {
		examples[iban[:2]] = iban
	}
	if n := len(hr.IBANFormats); n != 89 {
		t.Errorf("the registry table has %d countries, want 89", n)
	}
	for cc, format := range hr.IBANFormats {
		ex, ok := examples[cc]
		if !ok {
			if cc != "NI" {
				t.Errorf("%s: no example IBAN", cc)
			}
			continue
		}
		if want, ok := sepaLengths[cc]; ok && len(ex) != want {
			t.Errorf("%s (%s): example has %d characters, SEPA says %d", cc, format, len(ex), want)
		}
	}
	for cc, n := range sepaLengths {
		ex, ok := examples[cc]
		if _, in := hr.IBANFormats[cc]; !in || !ok {
			t.Errorf("SEPA country %s: in the table %v, example %v", cc, in, ok)
			continue
		}
		// One character more or less is refused: the table holds the length.
		if hr.ValidIBAN(ex+"0") || hr.ValidIBAN(ex[:n-1]) {
			t.Errorf("%s: a length other than %d is accepted", cc, n)
		}
	}
}
