package money

import (
	"errors"
	"strings"
	"testing"
	"unsafe"
)

func TestCurrencySize(t *testing.T) {
	if got, want := unsafe.Sizeof(Currency{}), uintptr(8); got != want {
		t.Errorf("unsafe.Sizeof(Currency{}) = %d, want %d", got, want)
	}
}

func TestNewCurrency(t *testing.T) {
	tests := []struct {
		name       string
		code       string
		minorUnits int
		wantCode   string
		wantMinor  int
		wantErr    error
	}{
		{name: "custom points", code: "PTS", minorUnits: 0, wantCode: "PTS", wantMinor: 0},
		{name: "seven characters", code: "ABCDEFG", minorUnits: 18, wantCode: "ABCDEFG", wantMinor: 18},
		{name: "one character", code: "X", minorUnits: 2, wantCode: "X", wantMinor: 2},
		{name: "digits", code: "X1", minorUnits: 8, wantCode: "X1", wantMinor: 8},
		{name: "ISO with ISO minor units", code: "EUR", minorUnits: 2, wantCode: "EUR", wantMinor: 2},
		{name: "empty code", code: "", minorUnits: 2, wantErr: ErrInvalidCurrency},
		{name: "eight characters", code: "ABCDEFGH", minorUnits: 2, wantErr: ErrInvalidCurrency},
		{name: "lower case", code: "eur", minorUnits: 2, wantErr: ErrInvalidCurrency},
		{name: "punctuation", code: "E-R", minorUnits: 2, wantErr: ErrInvalidCurrency},
		{name: "space", code: "EU ", minorUnits: 2, wantErr: ErrInvalidCurrency},
		{name: "NUL", code: "EU\x00", minorUnits: 2, wantErr: ErrInvalidCurrency},
		{name: "non-ASCII", code: "ÉUR", minorUnits: 2, wantErr: ErrInvalidCurrency},
		{name: "negative minor units", code: "PTS", minorUnits: -1, wantErr: ErrInvalidCurrency},
		{name: "19 minor units", code: "PTS", minorUnits: 19, wantErr: ErrInvalidCurrency},
		{name: "ISO code other minor units", code: "EUR", minorUnits: 3, wantErr: ErrInvalidCurrency},
		{name: "JPY with decimals", code: "JPY", minorUnits: 2, wantErr: ErrInvalidCurrency},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewCurrency(tt.code, tt.minorUnits)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("NewCurrency(%q, %d) error = %v, want %v", tt.code, tt.minorUnits, err, tt.wantErr)
			}
			if err != nil {
				if !c.IsZero() {
					t.Errorf("NewCurrency(%q, %d) = %v on error, want zero", tt.code, tt.minorUnits, c)
				}
				return
			}
			if got := c.Code(); got != tt.wantCode {
				t.Errorf("Code() = %q, want %q", got, tt.wantCode)
			}
			if got := c.MinorUnits(); got != tt.wantMinor {
				t.Errorf("MinorUnits() = %d, want %d", got, tt.wantMinor)
			}
		})
	}
}

func TestNewCurrencyISOIsSameValue(t *testing.T) {
	got, err := NewCurrency("EUR", 2)
	if err != nil {
		t.Fatal(err)
	}
	if got != EUR {
		t.Errorf("NewCurrency(EUR, 2) = %#v, want EUR %#v", got, EUR)
	}
}

func TestNewCurrencyErrorOmitsMalformedCode(t *testing.T) {
	_, err := NewCurrency("salary 4200", 2)
	if err == nil {
		t.Fatal("NewCurrency accepted a malformed code")
	}
	if strings.Contains(err.Error(), "4200") {
		t.Errorf("error %q contains the input", err)
	}
}

func TestParseCurrency(t *testing.T) {
	tests := []struct {
		code      string
		wantMinor int
	}{
		{"EUR", 2}, {"USD", 2}, {"GBP", 2}, {"CHF", 2}, {"JPY", 0}, {"SEK", 2},
		{"NOK", 2}, {"DKK", 2}, {"PLN", 2}, {"CZK", 2}, {"HUF", 2}, {"BHD", 3},
		{"KWD", 3}, {"OMR", 3}, {"JOD", 3}, {"TND", 3}, {"LYD", 3}, {"IQD", 3},
		{"KRW", 0}, {"ISK", 0}, {"CLP", 0}, {"VND", 0}, {"CLF", 4}, {"UYW", 4},
		{"CAD", 2}, {"AUD", 2}, {"CNY", 2}, {"INR", 2}, {"XOF", 0}, {"XAF", 0},
		{"XPF", 0}, {"UGX", 0}, {"PYG", 0}, {"XCG", 2}, {"ZWG", 2}, {"SLE", 2},
		{"VES", 2}, {"VED", 2}, {"AED", 2}, {"ZMW", 2}, {"MRU", 2}, {"STN", 2},
		{"AED", 2}, {"AFN", 2}, {"ZWL", 2}, {"BGN", 2}, {"HRK", 2},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			c, err := ParseCurrency(tt.code)
			if err != nil {
				t.Fatalf("ParseCurrency(%q): %v", tt.code, err)
			}
			if got := c.Code(); got != tt.code {
				t.Errorf("Code() = %q, want %q", got, tt.code)
			}
			if got := c.MinorUnits(); got != tt.wantMinor {
				t.Errorf("MinorUnits() = %d, want %d", got, tt.wantMinor)
			}
		})
	}
}

func TestParseCurrencyUnknown(t *testing.T) {
	for _, code := range []string{"", "eur", "Eur", "EURO", "EU", "ABC", "XXX", "XAU", "XDR", "XTS", "DEM", " EUR", "EUR "} {
		t.Run(code, func(t *testing.T) {
			c, err := ParseCurrency(code)
			if !errors.Is(err, ErrUnknownCurrency) {
				t.Errorf("ParseCurrency(%q) = %v, %v; want ErrUnknownCurrency", code, c, err)
			}
		})
	}
}

func TestMustParseCurrencyPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustParseCurrency(\"ABC\") did not panic")
		}
	}()
	MustParseCurrency("ABC")
}

func TestISOTable(t *testing.T) {
	if len(isoTable)%isoEntry != 0 {
		t.Fatalf("len(isoTable) = %d, not a multiple of %d", len(isoTable), isoEntry)
	}
	cs := ISOCurrencies()
	if len(cs) < 160 {
		t.Errorf("ISOCurrencies() has %d currencies, want the full table", len(cs))
	}
	for i, c := range cs {
		code := c.Code()
		if len(code) != 3 || !validCode(code) || strings.ContainsAny(code, "0123456789") {
			t.Errorf("entry %d: malformed code %q", i, code)
		}
		if mu := c.MinorUnits(); mu != 0 && mu != 2 && mu != 3 && mu != 4 {
			t.Errorf("%s: minor units %d", code, mu)
		}
		if i > 0 && cs[i-1].Code() >= code {
			t.Errorf("table not strictly sorted at %s, %s", cs[i-1].Code(), code)
		}
		got, err := ParseCurrency(code)
		if err != nil || got != c {
			t.Errorf("ParseCurrency(%q) = %#v, %v; want %#v", code, got, err, c)
		}
	}
	cs[0] = Currency{}
	if ISOCurrencies()[0].IsZero() {
		t.Error("ISOCurrencies shares its result between calls")
	}
}

func TestExportedCurrencies(t *testing.T) {
	tests := []struct {
		code string
		c    Currency
	}{
		{"EUR", EUR}, {"USD", USD}, {"GBP", GBP}, {"CHF", CHF}, {"JPY", JPY},
		{"SEK", SEK}, {"NOK", NOK}, {"DKK", DKK}, {"PLN", PLN}, {"CZK", CZK},
		{"HUF", HUF}, {"RON", RON}, {"ISK", ISK}, {"TRY", TRY}, {"CAD", CAD},
		{"AUD", AUD}, {"NZD", NZD}, {"CNY", CNY}, {"HKD", HKD}, {"SGD", SGD},
		{"KRW", KRW}, {"INR", INR}, {"VND", VND}, {"MXN", MXN}, {"BRL", BRL},
		{"CLP", CLP}, {"CLF", CLF}, {"UYW", UYW}, {"ZAR", ZAR}, {"ILS", ILS},
		{"AED", AED}, {"SAR", SAR}, {"BHD", BHD}, {"KWD", KWD}, {"OMR", OMR},
		{"JOD", JOD}, {"TND", TND}, {"LYD", LYD}, {"IQD", IQD},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			if got, want := tt.c, MustParseCurrency(tt.code); got != want {
				t.Errorf("%s = %#v, want %#v", tt.code, got, want)
			}
		})
	}
}

func TestCurrencyAccessors(t *testing.T) {
	tests := []struct {
		name      string
		c         Currency
		wantCode  string
		wantMinor int
		wantZero  bool
	}{
		{name: "EUR", c: EUR, wantCode: "EUR", wantMinor: 2},
		{name: "JPY", c: JPY, wantCode: "JPY", wantMinor: 0},
		{name: "zero", c: Currency{}, wantCode: "", wantMinor: 0, wantZero: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.Code(); got != tt.wantCode {
				t.Errorf("Code() = %q, want %q", got, tt.wantCode)
			}
			if got := tt.c.String(); got != tt.wantCode {
				t.Errorf("String() = %q, want %q", got, tt.wantCode)
			}
			if got := tt.c.MinorUnits(); got != tt.wantMinor {
				t.Errorf("MinorUnits() = %d, want %d", got, tt.wantMinor)
			}
			if got := tt.c.IsZero(); got != tt.wantZero {
				t.Errorf("IsZero() = %t, want %t", got, tt.wantZero)
			}
		})
	}
}

func TestCurrencyEquality(t *testing.T) {
	pts2, err := NewCurrency("PTS", 2)
	if err != nil {
		t.Fatal(err)
	}
	pts0, err := NewCurrency("PTS", 0)
	if err != nil {
		t.Fatal(err)
	}
	if pts2 == pts0 {
		t.Error("PTS/2 == PTS/0, want different currencies")
	}
	if EUR == USD {
		t.Error("EUR == USD")
	}
}

func TestCurrencyText(t *testing.T) {
	pts := mustNewCurrency(t, "PTS", 0)
	tests := []struct {
		name    string
		text    string
		preset  Currency
		want    Currency
		wantErr error
	}{
		{name: "ISO", text: "EUR", want: EUR},
		{name: "ISO over preset", text: "USD", preset: EUR, want: USD},
		{name: "custom with preset", text: "PTS", preset: pts, want: pts},
		{name: "custom without preset", text: "PTS", wantErr: ErrUnknownCurrency},
		{name: "lower case", text: "eur", wantErr: ErrUnknownCurrency},
		{name: "empty", text: "", preset: EUR, want: Currency{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.preset
			err := got.UnmarshalText([]byte(tt.text))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("UnmarshalText(%q) error = %v, want %v", tt.text, err, tt.wantErr)
			}
			if err != nil {
				if got != tt.preset {
					t.Errorf("UnmarshalText changed the receiver on error: %v", got)
				}
				return
			}
			if got != tt.want {
				t.Errorf("UnmarshalText(%q) = %#v, want %#v", tt.text, got, tt.want)
			}
		})
	}
}

func TestCurrencyTextRoundTrip(t *testing.T) {
	for _, c := range append(ISOCurrencies(), Currency{}) {
		t.Run(c.Code(), func(t *testing.T) {
			text, err := c.MarshalText()
			if err != nil {
				t.Fatal(err)
			}
			var got Currency
			if err := got.UnmarshalText(text); err != nil {
				t.Fatalf("UnmarshalText(%q): %v", text, err)
			}
			if got != c {
				t.Errorf("round trip = %#v, want %#v", got, c)
			}
		})
	}
}

func mustNewCurrency(t testing.TB, code string, minorUnits int) Currency {
	t.Helper()
	c, err := NewCurrency(code, minorUnits)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
