package money

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		c       Currency
		want    int64 // minor units
		wantErr error
		wantPos int
	}{
		{in: "1234.56", c: EUR, want: 123456},
		{in: "-0.5", c: EUR, want: -50},
		{in: "+3", c: EUR, want: 300},
		{in: "12", c: EUR, want: 1200},
		{in: "0", c: EUR, want: 0},
		{in: "-0", c: EUR, want: 0},
		{in: "-0.00", c: EUR, want: 0},
		{in: "1.230", c: EUR, want: 123},
		{in: "1.2300000000000000000000000", c: EUR, want: 123},
		{in: "007.50", c: EUR, want: 750},
		{in: "0000000000000000000000000001.00", c: EUR, want: 100},
		{in: "1.0", c: JPY, want: 1},
		{in: "1200", c: JPY, want: 1200},
		{in: "0.001", c: BHD, want: 1},
		{in: "1.2345", c: CLF, want: 12345},
		{in: "92233720368547758.07", c: EUR, want: math.MaxInt64},
		{in: "-92233720368547758.07", c: EUR, want: -math.MaxInt64},
		{in: "9223372036854775807", c: JPY, want: math.MaxInt64},
		{in: "922337203685477.5807", c: CLF, want: math.MaxInt64},

		{in: "1.5", c: JPY, wantErr: ErrScale, wantPos: 2},
		{in: "1.231", c: EUR, wantErr: ErrScale, wantPos: 4},
		{in: "1.2301", c: EUR, wantErr: ErrScale, wantPos: 5},
		{in: "1.23456", c: CLF, wantErr: ErrScale, wantPos: 6},
		{in: "0.0005", c: BHD, wantErr: ErrScale, wantPos: 5},

		{in: "", c: EUR, wantErr: ErrSyntax, wantPos: 0},
		{in: "-", c: EUR, wantErr: ErrSyntax, wantPos: 1},
		{in: "+", c: EUR, wantErr: ErrSyntax, wantPos: 1},
		{in: "1.", c: EUR, wantErr: ErrSyntax, wantPos: 2},
		{in: ".5", c: EUR, wantErr: ErrSyntax, wantPos: 0},
		{in: "-.5", c: EUR, wantErr: ErrSyntax, wantPos: 1},
		{in: "1e5", c: EUR, wantErr: ErrSyntax, wantPos: 1},
		{in: "1E5", c: EUR, wantErr: ErrSyntax, wantPos: 1},
		{in: "1,5", c: EUR, wantErr: ErrSyntax, wantPos: 1},
		{in: "1,234.56", c: EUR, wantErr: ErrSyntax, wantPos: 1},
		{in: " 1", c: EUR, wantErr: ErrSyntax, wantPos: 0},
		{in: "1 ", c: EUR, wantErr: ErrSyntax, wantPos: 1},
		{in: "1.5 ", c: EUR, wantErr: ErrSyntax, wantPos: 3},
		{in: "--1", c: EUR, wantErr: ErrSyntax, wantPos: 1},
		{in: "+-1", c: EUR, wantErr: ErrSyntax, wantPos: 1},
		{in: "1.2.3", c: EUR, wantErr: ErrSyntax, wantPos: 3},
		{in: "1..2", c: EUR, wantErr: ErrSyntax, wantPos: 2},
		{in: "0x10", c: EUR, wantErr: ErrSyntax, wantPos: 1},
		{in: "1_000", c: EUR, wantErr: ErrSyntax, wantPos: 1},
		{in: "NaN", c: EUR, wantErr: ErrSyntax, wantPos: 0},
		{in: "Inf", c: EUR, wantErr: ErrSyntax, wantPos: 0},
		{in: "١٢", c: EUR, wantErr: ErrSyntax, wantPos: 0}, // Arabic-Indic digits
		{in: "12\x00", c: EUR, wantErr: ErrSyntax, wantPos: 2},
		{in: "1.5\xff", c: EUR, wantErr: ErrSyntax, wantPos: 3},
		{in: "€5", c: EUR, wantErr: ErrSyntax, wantPos: 0},
		{in: "5 EUR", c: EUR, wantErr: ErrSyntax, wantPos: 1},

		{in: "92233720368547758.08", c: EUR, wantErr: ErrOverflow, wantPos: 0},
		{in: "-92233720368547758.08", c: EUR, wantErr: ErrOverflow, wantPos: 1},
		{in: "9223372036854775808", c: JPY, wantErr: ErrOverflow, wantPos: 0},
		{in: "-9223372036854775808", c: JPY, wantErr: ErrOverflow, wantPos: 1},
		{in: "92233720368547758.1", c: EUR, wantErr: ErrOverflow, wantPos: 0},
		{in: "92233720368547759", c: EUR, wantErr: ErrOverflow, wantPos: 0},
		{in: "99999999999999999999999999", c: EUR, wantErr: ErrOverflow, wantPos: 0},
	}
	for _, tt := range tests {
		t.Run(tt.in+"_"+tt.c.Code(), func(t *testing.T) {
			got, err := Parse(tt.in, tt.c)
			checkParse(t, got, err, tt.c, tt.want, tt.wantErr, tt.wantPos)
		})
	}
}

func checkParse(t *testing.T, got Amount, err error, c Currency, want int64, wantErr error, wantPos int) {
	t.Helper()
	if !errors.Is(err, wantErr) {
		t.Fatalf("got %v, error %v; want error %v", got, err, wantErr)
	}
	if err != nil {
		var perr *ParseError
		if !errors.As(err, &perr) {
			t.Fatalf("error %v (%T) is not a *ParseError", err, err)
		}
		if perr.Pos != wantPos {
			t.Errorf("error position = %d, want %d (%v)", perr.Pos, wantPos, err)
		}
		if got != (Amount{}) {
			t.Errorf("got %v with an error, want the zero Amount", got)
		}
		return
	}
	if want := New(want, c); got != want {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestParseNoCurrency(t *testing.T) {
	if _, err := Parse("1.00", Currency{}); !errors.Is(err, ErrNoCurrency) {
		t.Errorf("Parse with zero Currency error = %v, want ErrNoCurrency", err)
	}
	if _, err := ParseFormat("1,00", Currency{}, German); !errors.Is(err, ErrNoCurrency) {
		t.Errorf("ParseFormat with zero Currency error = %v, want ErrNoCurrency", err)
	}
}

func TestParseErrorOmitsInput(t *testing.T) {
	inputs := []string{"98765.4321", "98765x", "987654321987654321987654", "-98765.", "98,765.43"}
	for _, in := range inputs {
		t.Run(in, func(t *testing.T) {
			_, err := Parse(in, EUR)
			if err == nil {
				t.Fatal("Parse succeeded")
			}
			if strings.Contains(err.Error(), "987") {
				t.Errorf("error %q contains the input", err)
			}
		})
	}
}

func TestParseErrorMessage(t *testing.T) {
	tests := []struct {
		in   string
		c    Currency
		want string
	}{
		{"1.231", EUR, "money: more decimal places than the currency has at byte 4: non-zero digit beyond the currency's minor units"},
		{"12a", EUR, "money: invalid amount syntax at byte 2: unexpected character"},
		{"1.", EUR, "money: invalid amount syntax at byte 2: digit expected after decimal separator"},
		{"", EUR, "money: invalid amount syntax at byte 0: digit expected"},
		{"9223372036854775808", JPY, "money: amount out of range at byte 0"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			_, err := Parse(tt.in, tt.c)
			if err == nil {
				t.Fatal("Parse succeeded")
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseErrorValue(t *testing.T) {
	_, err := ParseFormat("12.34,5", EUR, German)
	var got *ParseError
	if !errors.As(err, &got) {
		t.Fatalf("error %v is not a *ParseError", err)
	}
	want := &ParseError{Pos: 5, Reason: "digit group must have three digits", Err: ErrSyntax}
	if diff := cmp.Diff(*got, *want, cmpopts.EquateErrors()); diff != "" {
		t.Errorf("ParseError mismatch (-got +want):\n%s", diff)
	}
}

func TestMustParsePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustParse(\"1.234\", EUR) did not panic")
		}
	}()
	MustParse("1.234", EUR)
}

var (
	swiss  = Format{Decimal: '.', Group: '’'}
	french = Format{Decimal: ',', Group: '\u202f'}
)

func TestParseFormat(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		f       Format
		c       Currency
		want    int64
		wantErr error
		wantPos int
	}{
		{name: "German grouped", in: "1.234.567,89", f: German, c: EUR, want: 123456789},
		{name: "German ungrouped", in: "1234567,89", f: German, c: EUR, want: 123456789},
		{name: "German negative", in: "-1.234,56", f: German, c: EUR, want: -123456},
		{name: "German small", in: "1,5", f: German, c: EUR, want: 150},
		{name: "German three leading digits", in: "123.456", f: German, c: EUR, want: 12345600},
		{name: "German max", in: "92.233.720.368.547.758,07", f: German, c: EUR, want: math.MaxInt64},
		{name: "German JPY", in: "1.000", f: German, c: JPY, want: 1000},
		{name: "German bad grouping", in: "12.34,5", f: German, c: EUR, wantErr: ErrSyntax, wantPos: 5},
		{name: "German short last group", in: "1.2345", f: German, c: EUR, wantErr: ErrSyntax, wantPos: 6},
		{name: "German group of two", in: "1.23", f: German, c: EUR, wantErr: ErrSyntax, wantPos: 4},
		{name: "German long first group", in: "1234.567", f: German, c: EUR, wantErr: ErrSyntax, wantPos: 4},
		{name: "German leading separator", in: ".123", f: German, c: EUR, wantErr: ErrSyntax, wantPos: 0},
		{name: "German double separator", in: "1..234", f: German, c: EUR, wantErr: ErrSyntax, wantPos: 2},
		{name: "German trailing separator", in: "1.234.", f: German, c: EUR, wantErr: ErrSyntax, wantPos: 6},
		{name: "German separator before decimal", in: "1.,00", f: German, c: EUR, wantErr: ErrSyntax, wantPos: 2},
		{name: "German group in fraction", in: "1,234.5", f: German, c: EUR, wantErr: ErrSyntax, wantPos: 5},
		{name: "German point as decimal", in: "1.5", f: German, c: EUR, wantErr: ErrSyntax, wantPos: 3},
		{name: "German scale", in: "1.234,567", f: German, c: EUR, wantErr: ErrScale, wantPos: 8},
		{name: "German overflow", in: "92.233.720.368.547.758,08", f: German, c: EUR, wantErr: ErrOverflow, wantPos: 0},
		{name: "English grouped", in: "1,234,567.89", f: English, c: EUR, want: 123456789},
		{name: "English plain", in: "1234.5", f: English, c: EUR, want: 123450},
		{name: "English bad groups", in: "1,2,3", f: English, c: EUR, wantErr: ErrSyntax, wantPos: 3},
		{name: "English German text", in: "1.234,5", f: English, c: EUR, wantErr: ErrSyntax, wantPos: 5},
		{name: "Plain rejects groups", in: "1,234", f: Plain, c: EUR, wantErr: ErrSyntax, wantPos: 1},
		{name: "Swiss apostrophe", in: "1’234.50", f: swiss, c: CHF, want: 123450},
		{name: "Swiss bad group", in: "12’34.50", f: swiss, c: CHF, wantErr: ErrSyntax, wantPos: 7},
		{name: "French narrow space", in: "-1\u202f234,50", f: french, c: EUR, want: -123450},
		{name: "French ASCII space", in: "1 234,50", f: french, c: EUR, wantErr: ErrSyntax, wantPos: 1},
		{name: "invalid format zero", in: "1", f: Format{}, c: EUR, wantErr: ErrSyntax, wantPos: 0},
		{name: "invalid format same runes", in: "1", f: Format{Decimal: '.', Group: '.'}, c: EUR, wantErr: ErrSyntax, wantPos: 0},
		{name: "invalid format digit", in: "1", f: Format{Decimal: '5'}, c: EUR, wantErr: ErrSyntax, wantPos: 0},
		{name: "invalid format minus group", in: "1", f: Format{Decimal: '.', Group: '-'}, c: EUR, wantErr: ErrSyntax, wantPos: 0},
		{name: "invalid format bad rune", in: "1", f: Format{Decimal: 0xD800}, c: EUR, wantErr: ErrSyntax, wantPos: 0},
		{name: "invalid format replacement char", in: "1\xff000", f: Format{Decimal: '.', Group: '\uFFFD'}, c: EUR, wantErr: ErrSyntax, wantPos: 0},
		{name: "invalid UTF-8 is not a separator", in: "1\xff000", f: German, c: EUR, wantErr: ErrSyntax, wantPos: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseFormat(tt.in, tt.c, tt.f)
			checkParse(t, got, err, tt.c, tt.want, tt.wantErr, tt.wantPos)
		})
	}
}

func TestString(t *testing.T) {
	x18 := mustNewCurrency(t, "X18", 18)
	long := mustNewCurrency(t, "ABCDEFG", 1)
	tests := []struct {
		name string
		a    Amount
		want string
	}{
		{name: "EUR", a: New(123456, EUR), want: "1234.56 EUR"},
		{name: "small negative", a: New(-5, EUR), want: "-0.05 EUR"},
		{name: "JPY", a: New(1200, JPY), want: "1200 JPY"},
		{name: "BHD zero", a: Zero(BHD), want: "0.000 BHD"},
		{name: "CLF", a: New(10000, CLF), want: "1.0000 CLF"},
		{name: "zero value", a: Amount{}, want: "0"},
		{name: "no currency", a: New(5, Currency{}), want: "5"},
		{name: "max EUR", a: New(math.MaxInt64, EUR), want: "92233720368547758.07 EUR"},
		{name: "min EUR", a: New(-math.MaxInt64, EUR), want: "-92233720368547758.07 EUR"},
		{name: "max JPY", a: New(math.MaxInt64, JPY), want: "9223372036854775807 JPY"},
		{name: "18 minor units", a: New(math.MaxInt64, x18), want: "9.223372036854775807 X18"},
		{name: "18 minor units small", a: New(-1, x18), want: "-0.000000000000000001 X18"},
		{name: "seven-letter code", a: New(-15, long), want: "-1.5 ABCDEFG"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			wantNumber, _, _ := strings.Cut(tt.want, " ")
			if got := tt.a.Number(); got != wantNumber {
				t.Errorf("Number() = %q, want %q", got, wantNumber)
			}
		})
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		name string
		a    Amount
		f    Format
		want string
	}{
		{name: "German negative", a: New(-123456, EUR), f: German, want: "-1.234,56"},
		{name: "German small", a: New(50, EUR), f: German, want: "0,50"},
		{name: "German three digits", a: New(12300, EUR), f: German, want: "123,00"},
		{name: "German four digits", a: New(123400, EUR), f: German, want: "1.234,00"},
		{name: "German JPY", a: New(1000, JPY), f: German, want: "1.000"},
		{name: "German JPY small", a: New(100, JPY), f: German, want: "100"},
		{name: "English millions", a: New(123456789, EUR), f: English, want: "1,234,567.89"},
		{name: "English max", a: New(math.MaxInt64, EUR), f: English, want: "92,233,720,368,547,758.07"},
		{name: "English -max JPY", a: New(-math.MaxInt64, JPY), f: English, want: "-9,223,372,036,854,775,807"},
		{name: "Plain", a: New(123456789, EUR), f: Plain, want: "1234567.89"},
		{name: "Swiss", a: New(123456789, CHF), f: swiss, want: "1’234’567.89"},
		{name: "French", a: New(-123450, EUR), f: french, want: "-1\u202f234,50"},
		{name: "BHD German", a: New(1234567, BHD), f: German, want: "1.234,567"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.Format(tt.f); got != tt.want {
				t.Errorf("Format() = %q, want %q", got, tt.want)
			}
		})
	}
}

// extremes are minor-unit values every round trip is tested with.
var extremes = []int64{0, 1, -1, 5, -50, 123456789, -987654321, 1_000_000_000_000, math.MaxInt64, -math.MaxInt64, math.MaxInt64 - 1, -math.MaxInt64 + 1}

func TestTextRoundTrip(t *testing.T) {
	formats := []struct {
		name string
		f    Format
	}{{"Plain", Plain}, {"English", English}, {"German", German}, {"Swiss", swiss}, {"French", french}}
	for _, c := range ISOCurrencies() {
		for _, n := range extremes {
			a := New(n, c)
			t.Run(a.String(), func(t *testing.T) {
				if got, err := Parse(a.Number(), c); err != nil || got != a {
					t.Errorf("Parse(Number()) = %v, %v; want %v", got, err, a)
				}
				for _, f := range formats {
					if got, err := ParseFormat(a.Format(f.f), c, f.f); err != nil || got != a {
						t.Errorf("ParseFormat(Format(%s)) = %v, %v; want %v", f.name, got, err, a)
					}
				}
			})
		}
	}
}

func TestFormatDoesNotAllocateBeyondResult(t *testing.T) {
	a := New(-123456789, EUR)
	allocs := testing.AllocsPerRun(100, func() { _ = a.Number() })
	if allocs > 1 {
		t.Errorf("Number allocates %v times, want at most 1", allocs)
	}
}
