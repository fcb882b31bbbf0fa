package money

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
)

var allModes = [...]RoundingMode{HalfUp, HalfEven, HalfDown, Down, Up, Floor, Ceiling}

func TestRoundingModeString(t *testing.T) {
	tests := []struct {
		m    RoundingMode
		want string
	}{
		{HalfUp, "HalfUp"}, {HalfEven, "HalfEven"}, {HalfDown, "HalfDown"},
		{Down, "Down"}, {Up, "Up"}, {Floor, "Floor"}, {Ceiling, "Ceiling"},
		{0, "RoundingMode(0)"}, {8, "RoundingMode(8)"}, {-1, "RoundingMode(-1)"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.m.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

// roundingCases are hand-worked: the value, its currency, and the result
// for each mode in the order of allModes
// (HalfUp, HalfEven, HalfDown, Down, Up, Floor, Ceiling).
var roundingCases = []struct {
	in   string
	c    Currency
	want [7]string
}{
	{"0.125", EUR, [7]string{"0.13", "0.12", "0.12", "0.12", "0.13", "0.12", "0.13"}},
	{"0.135", EUR, [7]string{"0.14", "0.14", "0.13", "0.13", "0.14", "0.13", "0.14"}},
	{"-0.125", EUR, [7]string{"-0.13", "-0.12", "-0.12", "-0.12", "-0.13", "-0.13", "-0.12"}},
	{"-0.135", EUR, [7]string{"-0.14", "-0.14", "-0.13", "-0.13", "-0.14", "-0.14", "-0.13"}},
	{"0.124", EUR, [7]string{"0.12", "0.12", "0.12", "0.12", "0.13", "0.12", "0.13"}},
	{"-0.124", EUR, [7]string{"-0.12", "-0.12", "-0.12", "-0.12", "-0.13", "-0.13", "-0.12"}},
	{"0.126", EUR, [7]string{"0.13", "0.13", "0.13", "0.12", "0.13", "0.12", "0.13"}},
	{"-0.126", EUR, [7]string{"-0.13", "-0.13", "-0.13", "-0.12", "-0.13", "-0.13", "-0.12"}},
	{"0.12500000001", EUR, [7]string{"0.13", "0.13", "0.13", "0.12", "0.13", "0.12", "0.13"}},
	{"-0.12500000001", EUR, [7]string{"-0.13", "-0.13", "-0.13", "-0.12", "-0.13", "-0.13", "-0.12"}},
	{"0.12499999999", EUR, [7]string{"0.12", "0.12", "0.12", "0.12", "0.13", "0.12", "0.13"}},
	{"1.005", EUR, [7]string{"1.01", "1.00", "1.00", "1.00", "1.01", "1.00", "1.01"}},
	{"0.005", EUR, [7]string{"0.01", "0.00", "0.00", "0.00", "0.01", "0.00", "0.01"}},
	{"-0.005", EUR, [7]string{"-0.01", "0.00", "0.00", "0.00", "-0.01", "-0.01", "0.00"}},
	{"1.23", EUR, [7]string{"1.23", "1.23", "1.23", "1.23", "1.23", "1.23", "1.23"}},
	{"-1.2300", EUR, [7]string{"-1.23", "-1.23", "-1.23", "-1.23", "-1.23", "-1.23", "-1.23"}},
	{"0", EUR, [7]string{"0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00"}},
	{"2.5", JPY, [7]string{"3", "2", "2", "2", "3", "2", "3"}},
	{"3.5", JPY, [7]string{"4", "4", "3", "3", "4", "3", "4"}},
	{"-2.5", JPY, [7]string{"-3", "-2", "-2", "-2", "-3", "-3", "-2"}},
	{"0.0005", BHD, [7]string{"0.001", "0.000", "0.000", "0.000", "0.001", "0.000", "0.001"}},
	{"1.2345", BHD, [7]string{"1.235", "1.234", "1.234", "1.234", "1.235", "1.234", "1.235"}},
	{"0.00005", CLF, [7]string{"0.0001", "0.0000", "0.0000", "0.0000", "0.0001", "0.0000", "0.0001"}},
	{"0.000000000000000000000000000001", EUR, [7]string{"0.00", "0.00", "0.00", "0.00", "0.01", "0.00", "0.01"}},
	{"-0.000000000000000000000000000001", EUR, [7]string{"0.00", "0.00", "0.00", "0.00", "-0.01", "-0.01", "0.00"}},
	{"92233720368547758.07", EUR, [7]string{"92233720368547758.07", "92233720368547758.07", "92233720368547758.07", "92233720368547758.07", "92233720368547758.07", "92233720368547758.07", "92233720368547758.07"}},
	{"92233720368547758.071", EUR, [7]string{"92233720368547758.07", "92233720368547758.07", "92233720368547758.07", "92233720368547758.07", "overflow", "92233720368547758.07", "overflow"}},
	{"-92233720368547758.071", EUR, [7]string{"-92233720368547758.07", "-92233720368547758.07", "-92233720368547758.07", "-92233720368547758.07", "overflow", "overflow", "-92233720368547758.07"}},
	{"92233720368547758.075", EUR, [7]string{"overflow", "overflow", "92233720368547758.07", "92233720368547758.07", "overflow", "92233720368547758.07", "overflow"}},
	{"1e100", EUR, [7]string{"overflow", "overflow", "overflow", "overflow", "overflow", "overflow", "overflow"}},
}

func TestFromDecimalRounded(t *testing.T) {
	for _, tt := range roundingCases {
		for i, m := range allModes {
			t.Run(tt.in+"_"+tt.c.Code()+"/"+m.String(), func(t *testing.T) {
				got, err := FromDecimalRounded(decimal.RequireFromString(tt.in), tt.c, m)
				checkRounded(t, got, err, tt.c, tt.want[i])
			})
		}
	}
}

// checkRounded compares a result with a hand-worked expectation: decimal
// text in c, or "overflow".
func checkRounded(t *testing.T, got Amount, err error, c Currency, want string) {
	t.Helper()
	if want == "overflow" {
		if !errors.Is(err, ErrOverflow) {
			t.Errorf("got %v, %v; want ErrOverflow", got, err)
		}
		return
	}
	if err != nil {
		t.Fatalf("unexpected error %v, want %s", err, want)
	}
	if got.Currency() != c {
		t.Errorf("currency = %v, want %v", got.Currency(), c)
	}
	if got.Number() != want {
		t.Errorf("got %s, want %s", got.Number(), want)
	}
}

func TestInvalidRoundingMode(t *testing.T) {
	d := decimal.RequireFromString("0.125")
	for _, m := range []RoundingMode{0, -1, 8} {
		t.Run(m.String(), func(t *testing.T) {
			if _, err := FromDecimalRounded(d, EUR, m); !errors.Is(err, ErrRoundingMode) {
				t.Errorf("FromDecimalRounded error = %v, want ErrRoundingMode", err)
			}
			if _, err := New(100, EUR).MulRate(d, m); !errors.Is(err, ErrRoundingMode) {
				t.Errorf("MulRate error = %v, want ErrRoundingMode", err)
			}
			if _, err := New(100, EUR).Div(3, m); !errors.Is(err, ErrRoundingMode) {
				t.Errorf("Div error = %v, want ErrRoundingMode", err)
			}
			// An exact result does not excuse an invalid mode.
			if _, err := New(100, EUR).Div(1, m); !errors.Is(err, ErrRoundingMode) {
				t.Errorf("exact Div error = %v, want ErrRoundingMode", err)
			}
		})
	}
}

func TestMulRate(t *testing.T) {
	tests := []struct {
		name   string
		amount Amount
		rate   string
		mode   RoundingMode
		want   string // or "overflow"
	}{
		{name: "VAT HalfUp", amount: MustParse("1234.56", EUR), rate: "0.19", mode: HalfUp, want: "234.57"},
		{name: "VAT HalfEven", amount: MustParse("1234.56", EUR), rate: "0.19", mode: HalfEven, want: "234.57"},
		{name: "VAT Down", amount: MustParse("1234.56", EUR), rate: "0.19", mode: Down, want: "234.56"},
		{name: "VAT Floor", amount: MustParse("1234.56", EUR), rate: "0.19", mode: Floor, want: "234.56"},
		{name: "VAT Ceiling", amount: MustParse("1234.56", EUR), rate: "0.19", mode: Ceiling, want: "234.57"},
		{name: "negative VAT HalfUp", amount: MustParse("-1234.56", EUR), rate: "0.19", mode: HalfUp, want: "-234.57"},
		{name: "negative VAT Floor", amount: MustParse("-1234.56", EUR), rate: "0.19", mode: Floor, want: "-234.57"},
		{name: "negative VAT Ceiling", amount: MustParse("-1234.56", EUR), rate: "0.19", mode: Ceiling, want: "-234.56"},
		{name: "negative rate", amount: MustParse("1234.56", EUR), rate: "-0.19", mode: HalfUp, want: "-234.57"},
		{name: "tie HalfUp", amount: MustParse("0.25", EUR), rate: "0.5", mode: HalfUp, want: "0.13"},
		{name: "tie HalfEven", amount: MustParse("0.25", EUR), rate: "0.5", mode: HalfEven, want: "0.12"},
		{name: "tie HalfDown", amount: MustParse("0.25", EUR), rate: "0.5", mode: HalfDown, want: "0.12"},
		{name: "1.005 HalfUp", amount: MustParse("100.50", EUR), rate: "0.01", mode: HalfUp, want: "1.01"},
		{name: "1.005 HalfEven", amount: MustParse("100.50", EUR), rate: "0.01", mode: HalfEven, want: "1.00"},
		{name: "just above tie", amount: MustParse("0.25", EUR), rate: "0.50000001", mode: HalfDown, want: "0.13"},
		{name: "exact", amount: MustParse("19.99", EUR), rate: "3", mode: HalfUp, want: "59.97"},
		{name: "positive exponent", amount: MustParse("1.00", EUR), rate: "2e3", mode: HalfUp, want: "2000.00"},
		{name: "zero rate huge exponent", amount: MustParse("1.00", EUR), rate: "0e100", mode: HalfUp, want: "0.00"},
		{name: "JPY exact", amount: MustParse("1000", JPY), rate: "0.085", mode: HalfUp, want: "85"},
		{name: "JPY below half", amount: MustParse("1234", JPY), rate: "0.1", mode: HalfUp, want: "123"},
		{name: "JPY tie HalfUp", amount: MustParse("1235", JPY), rate: "0.1", mode: HalfUp, want: "124"},
		{name: "JPY tie HalfEven up", amount: MustParse("1235", JPY), rate: "0.1", mode: HalfEven, want: "124"},
		{name: "JPY tie HalfEven down", amount: MustParse("1245", JPY), rate: "0.1", mode: HalfEven, want: "124"},
		{name: "JPY tie HalfDown", amount: MustParse("1235", JPY), rate: "0.1", mode: HalfDown, want: "123"},
		{name: "BHD", amount: MustParse("1.234", BHD), rate: "0.05", mode: HalfUp, want: "0.062"},
		{name: "BHD tie HalfUp", amount: MustParse("0.010", BHD), rate: "0.05", mode: HalfUp, want: "0.001"},
		{name: "BHD tie HalfEven", amount: MustParse("0.010", BHD), rate: "0.05", mode: HalfEven, want: "0.000"},
		{name: "exchange rate many digits", amount: MustParse("1000.00", EUR), rate: "1.0837254", mode: HalfEven, want: "1083.73"},
		{name: "max times one", amount: New(maxMinor, EUR), rate: "1", mode: HalfUp, want: "92233720368547758.07"},
		{name: "max times -1", amount: New(maxMinor, EUR), rate: "-1.000", mode: HalfUp, want: "-92233720368547758.07"},
		{name: "max times two", amount: New(maxMinor, EUR), rate: "2", mode: HalfUp, want: "overflow"},
		{name: "max times a bit more", amount: New(maxMinor, EUR), rate: "1.0000000001", mode: Down, want: "overflow"},
		{name: "-max a bit more Down", amount: New(-maxMinor, EUR), rate: "1.00000000000000000001", mode: Down, want: "-92233720368547758.07"},
		{name: "-max a bit more Up is MinInt64", amount: New(-maxMinor, EUR), rate: "1.00000000000000000001", mode: Up, want: "overflow"},
		{name: "huge exponent", amount: MustParse("0.01", EUR), rate: "1e30", mode: HalfUp, want: "overflow"},
		{name: "zero amount huge rate", amount: Zero(EUR), rate: "1e30", mode: HalfUp, want: "0.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.amount.MulRate(decimal.RequireFromString(tt.rate), tt.mode)
			checkRounded(t, got, err, tt.amount.Currency(), tt.want)
		})
	}
}

// TestExtremeExponents checks that rates and decimals with absurd
// exponents are answered without computing 10^1000000000 (which would
// make this test run into the test timeout).
func TestExtremeExponents(t *testing.T) {
	tiny := decimal.New(5, -1_000_000_000)
	huge := decimal.New(5, 1_000_000_000)
	tests := []struct {
		name string
		f    func() (Amount, error)
		want string
	}{
		{"MulRate tiny Up", func() (Amount, error) { return New(100, EUR).MulRate(tiny, Up) }, "0.01"},
		{"MulRate tiny HalfUp", func() (Amount, error) { return New(100, EUR).MulRate(tiny, HalfUp) }, "0.00"},
		{"MulRate tiny negative Floor", func() (Amount, error) { return New(-100, EUR).MulRate(tiny, Floor) }, "-0.01"},
		{"MulRate huge", func() (Amount, error) { return New(1, EUR).MulRate(huge, HalfUp) }, "overflow"},
		{"FromDecimalRounded tiny Ceiling", func() (Amount, error) { return FromDecimalRounded(tiny, EUR, Ceiling) }, "0.01"},
		{"FromDecimalRounded huge", func() (Amount, error) { return FromDecimalRounded(huge, EUR, Ceiling) }, "overflow"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.f()
			checkRounded(t, got, err, EUR, tt.want)
		})
	}
	if _, err := FromDecimal(tiny, EUR); !errors.Is(err, ErrScale) {
		t.Errorf("FromDecimal(5e-1000000000) error = %v, want ErrScale", err)
	}
}

func TestDiv(t *testing.T) {
	tests := []struct {
		name   string
		amount Amount
		q      int64
		mode   RoundingMode
		want   string
	}{
		{name: "thirds HalfUp", amount: MustParse("100.00", EUR), q: 3, mode: HalfUp, want: "33.33"},
		{name: "two thirds HalfUp", amount: MustParse("200.00", EUR), q: 3, mode: HalfUp, want: "66.67"},
		{name: "two thirds Down", amount: MustParse("200.00", EUR), q: 3, mode: Down, want: "66.66"},
		{name: "yearly to monthly", amount: MustParse("12000.00", EUR), q: 12, mode: HalfUp, want: "1000.00"},
		{name: "tie HalfUp", amount: MustParse("0.05", EUR), q: 2, mode: HalfUp, want: "0.03"},
		{name: "tie HalfEven", amount: MustParse("0.05", EUR), q: 2, mode: HalfEven, want: "0.02"},
		{name: "tie HalfEven odd", amount: MustParse("0.15", EUR), q: 2, mode: HalfEven, want: "0.08"},
		{name: "tie HalfDown", amount: MustParse("0.05", EUR), q: 2, mode: HalfDown, want: "0.02"},
		{name: "tie Down", amount: MustParse("0.05", EUR), q: 2, mode: Down, want: "0.02"},
		{name: "tie Up", amount: MustParse("0.05", EUR), q: 2, mode: Up, want: "0.03"},
		{name: "tie Floor", amount: MustParse("0.05", EUR), q: 2, mode: Floor, want: "0.02"},
		{name: "tie Ceiling", amount: MustParse("0.05", EUR), q: 2, mode: Ceiling, want: "0.03"},
		{name: "negative tie HalfUp", amount: MustParse("-0.05", EUR), q: 2, mode: HalfUp, want: "-0.03"},
		{name: "negative tie HalfEven", amount: MustParse("-0.05", EUR), q: 2, mode: HalfEven, want: "-0.02"},
		{name: "negative tie Floor", amount: MustParse("-0.05", EUR), q: 2, mode: Floor, want: "-0.03"},
		{name: "negative tie Ceiling", amount: MustParse("-0.05", EUR), q: 2, mode: Ceiling, want: "-0.02"},
		{name: "negative divisor HalfUp", amount: MustParse("0.05", EUR), q: -2, mode: HalfUp, want: "-0.03"},
		{name: "negative divisor Floor", amount: MustParse("0.05", EUR), q: -2, mode: Floor, want: "-0.03"},
		{name: "both negative Ceiling", amount: MustParse("-0.05", EUR), q: -2, mode: Ceiling, want: "0.03"},
		{name: "below half Up", amount: MustParse("1.00", EUR), q: 3, mode: Up, want: "0.34"},
		{name: "above half HalfDown", amount: MustParse("2.00", EUR), q: 3, mode: HalfDown, want: "0.67"},
		{name: "JPY", amount: MustParse("1000", JPY), q: 3, mode: HalfUp, want: "333"},
		{name: "BHD", amount: MustParse("1.000", BHD), q: 8, mode: HalfEven, want: "0.125"},
		{name: "max by -1", amount: New(maxMinor, EUR), q: -1, mode: HalfUp, want: "-92233720368547758.07"},
		{name: "max by MinInt64 HalfUp", amount: New(maxMinor, EUR), q: -1 << 63, mode: HalfUp, want: "-0.01"},
		{name: "max by MinInt64 Down", amount: New(maxMinor, EUR), q: -1 << 63, mode: Down, want: "0.00"},
		{name: "-max by MinInt64 HalfUp", amount: New(-maxMinor, EUR), q: -1 << 63, mode: HalfUp, want: "0.01"},
		{name: "one by MinInt64 Ceiling", amount: New(1, EUR), q: -1 << 63, mode: Ceiling, want: "0.00"},
		{name: "one by MinInt64 Floor", amount: New(1, EUR), q: -1 << 63, mode: Floor, want: "-0.01"},
		{name: "max by max", amount: New(maxMinor, EUR), q: maxMinor, mode: HalfUp, want: "0.01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.amount.Div(tt.q, tt.mode)
			checkRounded(t, got, err, tt.amount.Currency(), tt.want)
		})
	}
}

func TestDivByZero(t *testing.T) {
	if _, err := New(100, EUR).Div(0, HalfUp); !errors.Is(err, ErrDivisionByZero) {
		t.Errorf("Div(0) error = %v, want ErrDivisionByZero", err)
	}
}

// TestDivAgreesWithDecimal cross-checks Div against FromDecimalRounded of
// the exact quotient for many small cases in every mode.
func TestDivAgreesWithDecimal(t *testing.T) {
	for n := int64(-30); n <= 30; n++ {
		for q := int64(-7); q <= 7; q++ {
			if q == 0 {
				continue
			}
			for _, m := range allModes {
				got, err := New(n, EUR).Div(q, m)
				if err != nil {
					t.Fatal(err)
				}
				exact := decimal.New(n, -2).DivRound(decimal.NewFromInt(q), 30)
				want, err := FromDecimalRounded(exact, EUR, m)
				if err != nil {
					t.Fatal(err)
				}
				if got != want {
					t.Errorf("%d/%d %v = %v, want %v", n, q, m, got, want)
				}
			}
		}
	}
}

func TestFromDecimal(t *testing.T) {
	tests := []struct {
		in      decimal.Decimal
		c       Currency
		want    string
		wantErr error
	}{
		{in: decimal.RequireFromString("1234.56"), c: EUR, want: "1234.56"},
		{in: decimal.RequireFromString("-1234.560000"), c: EUR, want: "-1234.56"},
		{in: decimal.RequireFromString("1234.561"), c: EUR, wantErr: ErrScale},
		{in: decimal.RequireFromString("0.5"), c: JPY, wantErr: ErrScale},
		{in: decimal.RequireFromString("12.5"), c: BHD, want: "12.500"},
		{in: decimal.RequireFromString("1.2345"), c: CLF, want: "1.2345"},
		{in: decimal.New(1, 3), c: EUR, want: "1000.00"},
		{in: decimal.Decimal{}, c: EUR, want: "0.00"},
		{in: decimal.New(0, 1_000_000), c: EUR, want: "0.00"},
		{in: decimal.New(0, -1_000_000), c: EUR, want: "0.00"},
		{in: decimal.RequireFromString("92233720368547758.07"), c: EUR, want: "92233720368547758.07"},
		{in: decimal.RequireFromString("-92233720368547758.07"), c: EUR, want: "-92233720368547758.07"},
		{in: decimal.RequireFromString("92233720368547758.08"), c: EUR, wantErr: ErrOverflow},
		{in: decimal.RequireFromString("-92233720368547758.08"), c: EUR, wantErr: ErrOverflow},
		{in: decimal.RequireFromString("9223372036854775807"), c: JPY, want: "9223372036854775807"},
		{in: decimal.RequireFromString("9223372036854775808"), c: JPY, wantErr: ErrOverflow},
		{in: decimal.New(1, 100), c: EUR, wantErr: ErrOverflow},
	}
	for _, tt := range tests {
		t.Run(tt.in.String()+"_"+tt.c.Code(), func(t *testing.T) {
			got, err := FromDecimal(tt.in, tt.c)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("FromDecimal error = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if got.Currency() != tt.c || got.Number() != tt.want {
				t.Errorf("FromDecimal = %v, want %s %v", got, tt.want, tt.c)
			}
		})
	}
}

func TestDecimal(t *testing.T) {
	tests := []struct {
		a       Amount
		want    string
		wantExp int32
	}{
		{a: MustParse("1234.56", EUR), want: "1234.56", wantExp: -2},
		{a: MustParse("-0.05", EUR), want: "-0.05", wantExp: -2},
		{a: MustParse("1200", JPY), want: "1200", wantExp: 0},
		{a: MustParse("0.001", BHD), want: "0.001", wantExp: -3},
		{a: New(maxMinor, CLF), want: "922337203685477.5807", wantExp: -4},
		{a: New(-maxMinor, EUR), want: "-92233720368547758.07", wantExp: -2},
	}
	for _, tt := range tests {
		t.Run(tt.a.String(), func(t *testing.T) {
			d := tt.a.Decimal()
			if got := d.String(); got != tt.want {
				t.Errorf("Decimal() = %s, want %s", got, tt.want)
			}
			if got := d.Exponent(); got != tt.wantExp {
				t.Errorf("Decimal().Exponent() = %d, want %d", got, tt.wantExp)
			}
			back, err := FromDecimal(d, tt.a.Currency())
			if err != nil || back != tt.a {
				t.Errorf("FromDecimal(Decimal()) = %v, %v; want %v", back, err, tt.a)
			}
		})
	}
}
