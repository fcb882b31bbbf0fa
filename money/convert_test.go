package money

import (
	"errors"
	"math"
	"math/big"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// convertTies are hand-worked ties and near-ties: the amount, the target
// currency, the rate, and the result for each mode in the order of
// allModes (HalfUp, HalfEven, HalfDown, Down, Up, Floor, Ceiling).
var convertTies = []struct {
	name    string
	a       Amount
	to      Currency
	rate    string
	inverse bool
	want    [7]string
}{
	// 1.00 USD × 0.125 = 0.125 EUR.
	{"multiply tie", MustParse("1.00", USD), EUR, "0.125", false,
		[7]string{"0.13", "0.12", "0.12", "0.12", "0.13", "0.12", "0.13"}},
	{"multiply negative tie", MustParse("-1.00", USD), EUR, "0.125", false,
		[7]string{"-0.13", "-0.12", "-0.12", "-0.12", "-0.13", "-0.13", "-0.12"}},
	// 0.135: the even neighbour is above.
	{"multiply odd tie", MustParse("1.00", USD), EUR, "0.135", false,
		[7]string{"0.14", "0.14", "0.13", "0.13", "0.14", "0.13", "0.14"}},
	// 25 JPY × 0.0061 = 0.1525 EUR: no tie across minor units 0 → 2.
	{"JPY to EUR", MustParse("25", JPY), EUR, "0.0061", false,
		[7]string{"0.15", "0.15", "0.15", "0.15", "0.16", "0.15", "0.16"}},
	// 0.50 EUR × 161 = 80.5 JPY, a tie in whole yen.
	{"EUR to JPY tie", MustParse("0.50", EUR), JPY, "161", false,
		[7]string{"81", "80", "80", "80", "81", "80", "81"}},
	// 0.25 EUR ÷ 2 = 0.125 USD.
	{"divide tie", MustParse("0.25", EUR), USD, "2", true,
		[7]string{"0.13", "0.12", "0.12", "0.12", "0.13", "0.12", "0.13"}},
	{"divide negative tie", MustParse("-0.25", EUR), USD, "2", true,
		[7]string{"-0.13", "-0.12", "-0.12", "-0.12", "-0.13", "-0.13", "-0.12"}},
	{"divide odd tie", MustParse("0.27", EUR), USD, "2", true,
		[7]string{"0.14", "0.14", "0.13", "0.13", "0.14", "0.13", "0.14"}},
	// 1 JPY ÷ 8 = 0.125 EUR.
	{"divide JPY to EUR tie", MustParse("1", JPY), EUR, "8", true,
		[7]string{"0.13", "0.12", "0.12", "0.12", "0.13", "0.12", "0.13"}},
	// 0.25 ÷ 1.9999999999999999999 = 0.125000000000000000006…: a decimal
	// quotient cut at 16 places would be the tie 0.125 and HalfDown would
	// give 0.12; the exact quotient is above the tie.
	{"divide just above tie", MustParse("0.25", EUR), USD, "1.9999999999999999999", true,
		[7]string{"0.13", "0.13", "0.13", "0.12", "0.13", "0.12", "0.13"}},
	// 0.01 EUR ÷ 10^30: far below half a cent, by sign alone.
	{"divide tiny", MustParse("0.01", EUR), USD, "1e30", true,
		[7]string{"0.00", "0.00", "0.00", "0.00", "0.01", "0.00", "0.01"}},
	{"divide tiny negative", MustParse("-0.01", EUR), USD, "1e30", true,
		[7]string{"0.00", "0.00", "0.00", "0.00", "-0.01", "-0.01", "0.00"}},
}

func TestConvertRoundingModes(t *testing.T) {
	for _, tt := range convertTies {
		for i, m := range allModes {
			t.Run(tt.name+"/"+m.String(), func(t *testing.T) {
				rate := decimal.RequireFromString(tt.rate)
				conv := tt.a.Convert
				if tt.inverse {
					conv = tt.a.ConvertInverse
				}
				got, err := conv(tt.to, rate, m)
				if err != nil {
					t.Fatal(err)
				}
				if want := MustParse(tt.want[i], tt.to); got != want {
					t.Errorf("got %v, want %v", got, want)
				}
			})
		}
	}
}

func TestConvert(t *testing.T) {
	tests := []struct {
		name string
		a    Amount
		to   Currency
		rate string
		m    RoundingMode
		want string // in to
	}{
		{"JPY to EUR, minor units 0 → 2", MustParse("1000", JPY), EUR, "0.0061", HalfUp, "6.10"},
		{"EUR to JPY, minor units 2 → 0", MustParse("12.34", EUR), JPY, "161.2", HalfUp, "1989"}, // 1989.208
		{"EUR to JPY Up", MustParse("12.34", EUR), JPY, "161.2", Up, "1990"},
		{"negative EUR to JPY HalfUp", MustParse("-12.34", EUR), JPY, "161.2", HalfUp, "-1989"},
		{"negative EUR to JPY Floor", MustParse("-12.34", EUR), JPY, "161.2", Floor, "-1990"},
		{"negative EUR to JPY Ceiling", MustParse("-12.34", EUR), JPY, "161.2", Ceiling, "-1989"},
		{"EUR to GBP", MustParse("1234.56", EUR), GBP, "0.84638", HalfUp, "1044.91"}, // 1044.9068928
		{"BHD to USD, minor units 3 → 2", MustParse("1.000", BHD), USD, "2.6596", HalfUp, "2.66"},
		{"JPY to BHD, minor units 0 → 3", MustParse("1000", JPY), BHD, "0.0025", HalfUp, "2.500"},
		{"zero", Zero(EUR), USD, "1.0823", HalfUp, "0.00"},
		{"same currency", MustParse("10.00", EUR), EUR, "1.5", HalfUp, "15.00"},
		{"positive exponent", MustParse("1.00", EUR), JPY, "1.6e2", HalfUp, "160"},
		{"trailing zeros", MustParse("100.00", EUR), USD, "1.08300", HalfUp, "108.30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.a.Convert(tt.to, decimal.RequireFromString(tt.rate), tt.m)
			if err != nil {
				t.Fatal(err)
			}
			if want := MustParse(tt.want, tt.to); got != want {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}

func TestConvertInverse(t *testing.T) {
	tests := []struct {
		name string
		a    Amount
		to   Currency
		rate string // 1 to = rate a's currency
		m    RoundingMode
		want string
	}{
		{"USD to EUR by EUR→USD", MustParse("100.00", USD), EUR, "1.0823", HalfUp, "92.40"}, // 92.39582…
		{"USD to EUR Down", MustParse("100.00", USD), EUR, "1.0823", Down, "92.39"},
		{"exact", MustParse("108.23", USD), EUR, "1.0823", HalfUp, "100.00"},
		{"EUR to JPY by JPY→EUR, minor units 2 → 0", MustParse("6.10", EUR), JPY, "0.0061", HalfUp, "1000"},
		{"JPY to EUR by EUR→JPY, minor units 0 → 2", MustParse("1989", JPY), EUR, "161.2", HalfUp, "12.34"}, // 12.3387…
		{"JPY to EUR Down", MustParse("1989", JPY), EUR, "161.2", Down, "12.33"},
		{"negative GBP to EUR HalfUp", MustParse("-250.00", GBP), EUR, "0.84638", HalfUp, "-295.38"}, // -295.3755…
		{"negative GBP to EUR Ceiling", MustParse("-250.00", GBP), EUR, "0.84638", Ceiling, "-295.37"},
		{"negative GBP to EUR Floor", MustParse("-250.00", GBP), EUR, "0.84638", Floor, "-295.38"},
		{"USD to BHD, minor units 2 → 3", MustParse("2.66", USD), BHD, "2.6596", HalfUp, "1.000"}, // 1.000150…
		{"zero", Zero(USD), EUR, "1.0823", HalfUp, "0.00"},
		{"positive exponent", MustParse("320", JPY), EUR, "1.6e2", HalfUp, "2.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.a.ConvertInverse(tt.to, decimal.RequireFromString(tt.rate), tt.m)
			if err != nil {
				t.Fatal(err)
			}
			if want := MustParse(tt.want, tt.to); got != want {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}

func TestConvertErrors(t *testing.T) {
	max := New(math.MaxInt64, EUR)
	tests := []struct {
		name    string
		a       Amount
		to      Currency
		rate    string
		m       RoundingMode
		inverse bool
		want    error
	}{
		{"invalid mode", MustParse("1.00", EUR), USD, "1.08", 0, false, ErrRoundingMode},
		{"invalid mode inverse", MustParse("1.00", EUR), USD, "1.08", 99, true, ErrRoundingMode},
		{"no target currency", MustParse("1.00", EUR), Currency{}, "1.08", HalfUp, false, ErrNoCurrency},
		{"no source currency", Amount{}, USD, "1.08", HalfUp, true, ErrNoCurrency},
		{"zero rate inverse", MustParse("1.00", EUR), USD, "0", HalfUp, true, ErrDivisionByZero},
		{"overflow", max, USD, "2", HalfUp, false, ErrOverflow},
		{"overflow by minor units", max, BHD, "1", HalfUp, false, ErrOverflow},
		{"overflow inverse", max, USD, "0.5", HalfUp, true, ErrOverflow},
		{"overflow inverse tiny rate", MustParse("0.01", EUR), USD, "1e-30", HalfUp, true, ErrOverflow},
		{"overflow inverse huge exponent", MustParse("0.01", EUR), USD, "1e-2000000000", HalfUp, true, ErrOverflow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conv := tt.a.Convert
			if tt.inverse {
				conv = tt.a.ConvertInverse
			}
			got, err := conv(tt.to, decimal.RequireFromString(tt.rate), tt.m)
			if !errors.Is(err, tt.want) {
				t.Errorf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

// TestConvertMatchesRational checks Convert and ConvertInverse against the
// exact rational result rounded by a reference rounding on big.Rat.
func TestConvertMatchesRational(t *testing.T) {
	curs := []Currency{JPY, EUR, BHD, CLF}
	rapid.Check(t, func(t *rapid.T) {
		from := curs[rapid.IntRange(0, len(curs)-1).Draw(t, "from")]
		to := curs[rapid.IntRange(0, len(curs)-1).Draw(t, "to")]
		n := rapid.Int64Range(-1e12, 1e12).Draw(t, "n")
		coef := rapid.Int64Range(1, 1e12).Draw(t, "coef")
		exp := rapid.Int32Range(-14, 3).Draw(t, "exp")
		m := allModes[rapid.IntRange(0, len(allModes)-1).Draw(t, "mode")]
		inverse := rapid.Bool().Draw(t, "inverse")
		a, rate := New(n, from), decimal.New(coef, exp)

		// x = n × 10^-mFrom × rate (or ÷ rate) × 10^mTo, exactly.
		x := new(big.Rat).SetInt64(n)
		r := new(big.Rat).SetFrac(big.NewInt(coef), big.NewInt(1))
		p := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(int(exp)))), nil))
		if exp < 0 {
			r.Quo(r, p)
		} else {
			r.Mul(r, p)
		}
		if inverse {
			x.Quo(x, r)
		} else {
			x.Mul(x, r)
		}
		shift := to.MinorUnits() - from.MinorUnits()
		s := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(shift))), nil))
		if shift < 0 {
			x.Quo(x, s)
		} else {
			x.Mul(x, s)
		}
		want := refRound(x, m)

		conv := a.Convert
		if inverse {
			conv = a.ConvertInverse
		}
		got, err := conv(to, rate, m)
		if !want.IsInt64() || want.Int64() == math.MinInt64 {
			if !errors.Is(err, ErrOverflow) {
				t.Fatalf("%v × %v (inverse %v) %v: got %v, %v; want ErrOverflow", a, rate, inverse, m, got, err)
			}
			return
		}
		if err != nil || got != New(want.Int64(), to) {
			t.Fatalf("%v × %v (inverse %v) to %v %v: got %v, %v; want %v", a, rate, inverse, to, m, got, err, New(want.Int64(), to))
		}
	})
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// refRound rounds x to an integer with m the slow, obvious way: floor and
// ceiling, and the distance of x to each.
func refRound(x *big.Rat, m RoundingMode) *big.Int {
	fl := new(big.Int).Div(x.Num(), x.Denom()) // Euclidean: floor, as Denom > 0
	if x.IsInt() {
		return fl
	}
	ce := new(big.Int).Add(fl, big.NewInt(1))
	neg := x.Sign() < 0
	toward, away := fl, ce // toward zero and away from zero
	if neg {
		toward, away = ce, fl
	}
	// frac = |x - toward|, compared with 1/2.
	frac := new(big.Rat).Sub(x, new(big.Rat).SetInt(toward))
	frac.Abs(frac)
	half := frac.Cmp(big.NewRat(1, 2))
	switch m {
	case HalfUp:
		if half >= 0 {
			return away
		}
	case HalfDown:
		if half > 0 {
			return away
		}
	case HalfEven:
		if half > 0 || half == 0 && toward.Bit(0) == 1 {
			return away
		}
	case Up:
		return away
	case Floor:
		return fl
	case Ceiling:
		return ce
	}
	return toward
}
