package money

import (
	"errors"
	"math"
	"testing"
)

const maxMinor = math.MaxInt64

func TestNew(t *testing.T) {
	tests := []struct {
		name  string
		minor int64
		c     Currency
		want  string
	}{
		{name: "cents", minor: 123456, c: EUR, want: "1234.56 EUR"},
		{name: "negative", minor: -5, c: EUR, want: "-0.05 EUR"},
		{name: "max", minor: maxMinor, c: EUR, want: "92233720368547758.07 EUR"},
		{name: "min", minor: -maxMinor, c: EUR, want: "-92233720368547758.07 EUR"},
		{name: "yen", minor: 1200, c: JPY, want: "1200 JPY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := New(tt.minor, tt.c)
			if got := a.String(); got != tt.want {
				t.Errorf("New(%d, %v).String() = %q, want %q", tt.minor, tt.c, got, tt.want)
			}
			if got := a.MinorUnits(); got != tt.minor {
				t.Errorf("MinorUnits() = %d, want %d", got, tt.minor)
			}
			if got := a.Currency(); got != tt.c {
				t.Errorf("Currency() = %v, want %v", got, tt.c)
			}
		})
	}
}

func TestNewPanicsOnMinInt64(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New(math.MinInt64, EUR) did not panic")
		}
	}()
	New(math.MinInt64, EUR)
}

func TestZero(t *testing.T) {
	z := Zero(BHD)
	if got, want := z.String(), "0.000 BHD"; got != want {
		t.Errorf("Zero(BHD) = %q, want %q", got, want)
	}
	if !z.IsZero() || z.Currency() != BHD {
		t.Errorf("Zero(BHD) = %#v", z)
	}
}

type binaryCase struct {
	name    string
	a, b    Amount
	want    Amount
	wantErr error
}

func TestAdd(t *testing.T) {
	tests := []binaryCase{
		{name: "simple", a: New(150, EUR), b: New(275, EUR), want: New(425, EUR)},
		{name: "negative", a: New(150, EUR), b: New(-275, EUR), want: New(-125, EUR)},
		{name: "zero value to zero value", a: Amount{}, b: Amount{}, want: Amount{}},
		{name: "max plus zero", a: New(maxMinor, EUR), b: Zero(EUR), want: New(maxMinor, EUR)},
		{name: "max plus min", a: New(maxMinor, EUR), b: New(-maxMinor, EUR), want: Zero(EUR)},
		{name: "max-1 plus 1", a: New(maxMinor-1, EUR), b: New(1, EUR), want: New(maxMinor, EUR)},
		{name: "-max+1 minus 1", a: New(-maxMinor+1, EUR), b: New(-1, EUR), want: New(-maxMinor, EUR)},
		{name: "max plus 1", a: New(maxMinor, EUR), b: New(1, EUR), wantErr: ErrOverflow},
		{name: "max plus max", a: New(maxMinor, EUR), b: New(maxMinor, EUR), wantErr: ErrOverflow},
		{name: "-max minus 1 is MinInt64", a: New(-maxMinor, EUR), b: New(-1, EUR), wantErr: ErrOverflow},
		{name: "-max plus -max", a: New(-maxMinor, EUR), b: New(-maxMinor, EUR), wantErr: ErrOverflow},
		{name: "currency mismatch", a: New(1, EUR), b: New(1, USD), wantErr: ErrCurrencyMismatch},
		{name: "no currency and EUR", a: Amount{}, b: New(1, EUR), wantErr: ErrCurrencyMismatch},
		{name: "same code other minor units", a: New(1, mustNewCurrency(t, "PTS", 0)), b: New(1, mustNewCurrency(t, "PTS", 2)), wantErr: ErrCurrencyMismatch},
	}
	runBinary(t, "Add", Amount.Add, tests)
}

func TestSub(t *testing.T) {
	tests := []binaryCase{
		{name: "simple", a: New(425, EUR), b: New(275, EUR), want: New(150, EUR)},
		{name: "to negative", a: New(150, EUR), b: New(275, EUR), want: New(-125, EUR)},
		{name: "zero minus max", a: Zero(EUR), b: New(maxMinor, EUR), want: New(-maxMinor, EUR)},
		{name: "max minus max", a: New(maxMinor, EUR), b: New(maxMinor, EUR), want: Zero(EUR)},
		{name: "-1 minus max is MinInt64", a: New(-1, EUR), b: New(maxMinor, EUR), wantErr: ErrOverflow},
		{name: "max minus -1", a: New(maxMinor, EUR), b: New(-1, EUR), wantErr: ErrOverflow},
		{name: "-max minus 1", a: New(-maxMinor, EUR), b: New(1, EUR), wantErr: ErrOverflow},
		{name: "max minus -max", a: New(maxMinor, EUR), b: New(-maxMinor, EUR), wantErr: ErrOverflow},
		{name: "currency mismatch", a: New(1, EUR), b: New(1, GBP), wantErr: ErrCurrencyMismatch},
	}
	runBinary(t, "Sub", Amount.Sub, tests)
}

func runBinary(t *testing.T, op string, f func(Amount, Amount) (Amount, error), tests []binaryCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := f(tt.a, tt.b)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("%v.%s(%v) error = %v, want %v", tt.a, op, tt.b, err, tt.wantErr)
			}
			if err != nil {
				if got != (Amount{}) {
					t.Errorf("%s returned %v with an error, want the zero Amount", op, got)
				}
				return
			}
			if got != tt.want {
				t.Errorf("%v.%s(%v) = %v, want %v", tt.a, op, tt.b, got, tt.want)
			}
		})
	}
}

func TestAddDoesNotAllocate(t *testing.T) {
	a, b := New(100, EUR), New(200, EUR)
	big := New(maxMinor, EUR)
	allocs := testing.AllocsPerRun(100, func() {
		_, _ = a.Add(b)
		_, _ = a.Sub(b)
		_, _ = big.Add(big)       // overflow path
		_, _ = a.Add(New(1, USD)) // mismatch path
	})
	if allocs != 0 {
		t.Errorf("Add/Sub allocate %v times per run, want 0", allocs)
	}
}

func TestUnary(t *testing.T) {
	tests := []struct {
		name                            string
		a                               Amount
		wantNegated, wantAbs            Amount
		wantSign                        int
		wantZero, wantPos, wantNegative bool
	}{
		{name: "positive", a: New(5, EUR), wantNegated: New(-5, EUR), wantAbs: New(5, EUR), wantSign: 1, wantPos: true},
		{name: "negative", a: New(-5, EUR), wantNegated: New(5, EUR), wantAbs: New(5, EUR), wantSign: -1, wantNegative: true},
		{name: "zero", a: Zero(EUR), wantNegated: Zero(EUR), wantAbs: Zero(EUR), wantSign: 0, wantZero: true},
		{name: "zero value", a: Amount{}, wantNegated: Amount{}, wantAbs: Amount{}, wantSign: 0, wantZero: true},
		{name: "max", a: New(maxMinor, EUR), wantNegated: New(-maxMinor, EUR), wantAbs: New(maxMinor, EUR), wantSign: 1, wantPos: true},
		{name: "-max", a: New(-maxMinor, EUR), wantNegated: New(maxMinor, EUR), wantAbs: New(maxMinor, EUR), wantSign: -1, wantNegative: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.Neg(); got != tt.wantNegated {
				t.Errorf("Neg() = %v, want %v", got, tt.wantNegated)
			}
			if got := tt.a.Abs(); got != tt.wantAbs {
				t.Errorf("Abs() = %v, want %v", got, tt.wantAbs)
			}
			if got := tt.a.Sign(); got != tt.wantSign {
				t.Errorf("Sign() = %d, want %d", got, tt.wantSign)
			}
			if got := tt.a.IsZero(); got != tt.wantZero {
				t.Errorf("IsZero() = %t, want %t", got, tt.wantZero)
			}
			if got := tt.a.IsPositive(); got != tt.wantPos {
				t.Errorf("IsPositive() = %t, want %t", got, tt.wantPos)
			}
			if got := tt.a.IsNegative(); got != tt.wantNegative {
				t.Errorf("IsNegative() = %t, want %t", got, tt.wantNegative)
			}
		})
	}
}

func TestCmpEqual(t *testing.T) {
	tests := []struct {
		name      string
		a, b      Amount
		want      int
		wantErr   error
		wantEqual bool
	}{
		{name: "less", a: New(1, EUR), b: New(2, EUR), want: -1},
		{name: "greater", a: New(2, EUR), b: New(-2, EUR), want: 1},
		{name: "equal", a: New(2, EUR), b: New(2, EUR), want: 0, wantEqual: true},
		{name: "extremes", a: New(-maxMinor, EUR), b: New(maxMinor, EUR), want: -1},
		{name: "mismatch", a: New(2, EUR), b: New(2, USD), wantErr: ErrCurrencyMismatch},
		{name: "zero in different currencies", a: Zero(EUR), b: Zero(USD), wantErr: ErrCurrencyMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.a.Cmp(tt.b)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Cmp error = %v, want %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("%v.Cmp(%v) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
			if got := tt.a.Equal(tt.b); got != tt.wantEqual {
				t.Errorf("%v.Equal(%v) = %t, want %t", tt.a, tt.b, got, tt.wantEqual)
			}
		})
	}
}

func TestMul(t *testing.T) {
	tests := []struct {
		name    string
		a       Amount
		q       int64
		want    Amount
		wantErr error
	}{
		{name: "simple", a: New(1999, EUR), q: 3, want: New(5997, EUR)},
		{name: "negative factor", a: New(1999, EUR), q: -3, want: New(-5997, EUR)},
		{name: "both negative", a: New(-1999, EUR), q: -3, want: New(5997, EUR)},
		{name: "by zero", a: New(maxMinor, EUR), q: 0, want: Zero(EUR)},
		{name: "max by one", a: New(maxMinor, EUR), q: 1, want: New(maxMinor, EUR)},
		{name: "max by minus one", a: New(maxMinor, EUR), q: -1, want: New(-maxMinor, EUR)},
		{name: "one by max", a: New(1, EUR), q: maxMinor, want: New(maxMinor, EUR)},
		{name: "half max by two", a: New(maxMinor/2, EUR), q: 2, want: New(maxMinor-1, EUR)},
		{name: "half max +1 by two", a: New(maxMinor/2+1, EUR), q: 2, wantErr: ErrOverflow},
		{name: "one by MinInt64", a: New(1, EUR), q: math.MinInt64, wantErr: ErrOverflow},
		{name: "minus one by MinInt64", a: New(-1, EUR), q: math.MinInt64, wantErr: ErrOverflow},
		{name: "zero by MinInt64", a: Zero(EUR), q: math.MinInt64, want: Zero(EUR)},
		{name: "large both", a: New(1<<40, EUR), q: 1 << 40, wantErr: ErrOverflow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.a.Mul(tt.q)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Mul(%d) error = %v, want %v", tt.q, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("%v.Mul(%d) = %v, want %v", tt.a, tt.q, got, tt.want)
			}
		})
	}
}

func TestSum(t *testing.T) {
	tests := []struct {
		name    string
		c       Currency
		amounts []Amount
		want    Amount
		wantErr error
	}{
		{name: "none", c: EUR, want: Zero(EUR)},
		{name: "some", c: EUR, amounts: []Amount{New(100, EUR), New(-30, EUR), New(5, EUR)}, want: New(75, EUR)},
		{name: "up to max", c: EUR, amounts: []Amount{New(maxMinor-1, EUR), New(1, EUR)}, want: New(maxMinor, EUR)},
		{name: "intermediate overflow cancels", c: EUR, amounts: []Amount{New(maxMinor, EUR), New(maxMinor, EUR), New(-maxMinor, EUR)}, want: New(maxMinor, EUR)},
		{name: "intermediate underflow cancels", c: EUR, amounts: []Amount{New(-maxMinor, EUR), New(-maxMinor, EUR), New(maxMinor, EUR), New(1, EUR)}, want: New(-maxMinor+1, EUR)},
		{name: "total over max", c: EUR, amounts: []Amount{New(maxMinor, EUR), New(1, EUR)}, wantErr: ErrOverflow},
		{name: "total is MinInt64", c: EUR, amounts: []Amount{New(-maxMinor, EUR), New(-1, EUR)}, wantErr: ErrOverflow},
		{name: "total far below", c: EUR, amounts: []Amount{New(-maxMinor, EUR), New(-maxMinor, EUR), New(-maxMinor, EUR)}, wantErr: ErrOverflow},
		{name: "mismatch", c: EUR, amounts: []Amount{New(1, EUR), New(1, USD)}, wantErr: ErrCurrencyMismatch},
		{name: "wrong currency for c", c: USD, amounts: []Amount{New(1, EUR)}, wantErr: ErrCurrencyMismatch},
		{name: "zero value amount", c: EUR, amounts: []Amount{{}}, wantErr: ErrCurrencyMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Sum(tt.c, tt.amounts...)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Sum error = %v, want %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("Sum = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSumMismatchNamesIndex(t *testing.T) {
	_, err := Sum(EUR, New(1, EUR), New(2, EUR), New(3, USD))
	if got, want := err.Error(), "money: sum: amount 2: money: currency mismatch"; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
}

func TestSumDoesNotAllocate(t *testing.T) {
	xs := []Amount{New(1, EUR), New(2, EUR), New(3, EUR)}
	allocs := testing.AllocsPerRun(100, func() {
		_, _ = Sum(EUR, xs...)
	})
	if allocs != 0 {
		t.Errorf("Sum allocates %v times per run, want 0", allocs)
	}
}
