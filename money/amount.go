package money

import (
	"fmt"
	"math"
	"math/bits"
)

// Amount is an exact amount of money in one currency, held as a whole
// number of minor units (cents for EUR, yen for JPY, fils for BHD) in an
// int64. The range is symmetric: at most math.MaxInt64 minor units either
// side of zero; an operation whose result would fall outside fails with
// ErrOverflow instead of wrapping around.
//
// Amount is an immutable, comparable value: == compares currency and value
// (so 1.00 EUR != 1.00 USD), and an Amount is safe for concurrent use. The
// zero Amount is zero with no currency; it prints as "0" and adds only to
// amounts without currency. Start sums from Zero(c), or use Sum.
//
// Arithmetic never mixes currencies (ErrCurrencyMismatch) and never rounds
// silently: operations that can produce fractions of a minor unit (MulRate,
// Div, FromDecimalRounded) take a RoundingMode.
type Amount struct {
	cur Currency
	n   int64
}

// New returns the amount of minor units in currency c: New(123456, EUR) is
// 1234.56 EUR. It panics if minor is math.MinInt64, which is outside the
// symmetric range; that is a programming error.
func New(minor int64, c Currency) Amount {
	if minor == math.MinInt64 {
		panic("money: New: math.MinInt64 minor units is out of range")
	}
	return Amount{cur: c, n: minor}
}

// Zero returns zero in currency c.
func Zero(c Currency) Amount { return Amount{cur: c} }

// Currency returns the currency of a.
func (a Amount) Currency() Currency { return a.cur }

// MinorUnits returns a as a whole number of minor units: 123456 for
// 1234.56 EUR.
func (a Amount) MinorUnits() int64 { return a.n }

// Add returns a + b. It fails with ErrCurrencyMismatch if the currencies
// differ and with ErrOverflow if the sum is out of range. Add does not
// allocate and is cheap enough to be inlined.
func (a Amount) Add(b Amount) (Amount, error) {
	if a.cur != b.cur {
		return Amount{}, ErrCurrencyMismatch
	}
	s, ok := AddMinor(a.n, b.n)
	if !ok {
		return Amount{}, ErrOverflow
	}
	return Amount{cur: a.cur, n: s}, nil
}

// AddMinor adds two amounts in minor units and reports whether the sum is
// in the range an Amount holds, ±math.MaxInt64 (math.MinInt64 is not: the
// range is symmetric, so every amount can be negated). Stores and the
// ledger keep running balances with it.
func AddMinor(a, b int64) (int64, bool) {
	s := a + b
	// Overflow iff both operands have the sign the sum lacks.
	return s, (s^a)&(s^b) >= 0 && s != math.MinInt64
}

// Sub returns a - b. It fails with ErrCurrencyMismatch if the currencies
// differ and with ErrOverflow if the difference is out of range.
func (a Amount) Sub(b Amount) (Amount, error) {
	if a.cur != b.cur {
		return Amount{}, ErrCurrencyMismatch
	}
	s := a.n - b.n
	if (a.n^b.n)&(a.n^s) < 0 || s == math.MinInt64 {
		return Amount{}, ErrOverflow
	}
	return Amount{cur: a.cur, n: s}, nil
}

// Neg returns -a. It cannot overflow, as the range is symmetric.
func (a Amount) Neg() Amount { return Amount{cur: a.cur, n: -a.n} }

// Abs returns |a|.
func (a Amount) Abs() Amount {
	if a.n < 0 {
		return Amount{cur: a.cur, n: -a.n}
	}
	return a
}

// Cmp compares a and b and returns -1 if a < b, 0 if a == b and +1 if
// a > b. It fails with ErrCurrencyMismatch if the currencies differ.
func (a Amount) Cmp(b Amount) (int, error) {
	if a.cur != b.cur {
		return 0, ErrCurrencyMismatch
	}
	switch {
	case a.n < b.n:
		return -1, nil
	case a.n > b.n:
		return 1, nil
	}
	return 0, nil
}

// Equal reports whether a and b have the same currency and value; it is
// the same as a == b.
func (a Amount) Equal(b Amount) bool { return a == b }

// Sign returns -1, 0 or +1 as a is negative, zero or positive.
func (a Amount) Sign() int {
	switch {
	case a.n < 0:
		return -1
	case a.n > 0:
		return 1
	}
	return 0
}

// IsZero reports whether a is zero, in whatever currency. (Note that
// encoding/json's omitzero option uses IsZero, and so omits 0.00 EUR.)
func (a Amount) IsZero() bool { return a.n == 0 }

// IsPositive reports whether a > 0.
func (a Amount) IsPositive() bool { return a.n > 0 }

// IsNegative reports whether a < 0.
func (a Amount) IsNegative() bool { return a.n < 0 }

// Mul returns a × q exactly, or fails with ErrOverflow.
func (a Amount) Mul(q int64) (Amount, error) {
	hi, lo := bits.Mul64(abs64(a.n), abs64(q))
	if hi != 0 || lo > math.MaxInt64 {
		return Amount{}, ErrOverflow
	}
	n := int64(lo)
	if (a.n < 0) != (q < 0) {
		n = -n
	}
	return Amount{cur: a.cur, n: n}, nil
}

// Div returns a / q rounded to a minor unit with mode m, for instance a
// yearly amount spread over 12 periods. The result cannot overflow. It fails
// with ErrDivisionByZero if q is zero and with ErrRoundingMode if m is not
// a valid mode. To split an amount into parts that add up to it exactly,
// use Allocate.
func (a Amount) Div(q int64, m RoundingMode) (Amount, error) {
	if err := checkMode(m); err != nil {
		return Amount{}, err
	}
	if q == 0 {
		return Amount{}, ErrDivisionByZero
	}
	return Amount{cur: a.cur, n: divRound(a.n, q, m)}, nil
}

// Sum returns the sum of amounts, all of which must be in currency c;
// with no amounts it returns Zero(c). It fails with ErrCurrencyMismatch
// (naming the index of the first amount in another currency) or with
// ErrOverflow if the total is out of range. Intermediate sums may exceed
// the range: only the total counts. Sum does not allocate on success.
func Sum(c Currency, amounts ...Amount) (Amount, error) {
	// 128-bit accumulator: hi:lo in two's complement.
	var hi int64
	var lo uint64
	for i := range amounts {
		if amounts[i].cur != c {
			return Amount{}, sumMismatch(i)
		}
		x := amounts[i].n
		var carry uint64
		lo, carry = bits.Add64(lo, uint64(x), 0)
		hi += x>>63 + int64(carry)
	}
	// In range iff hi:lo is within ±math.MaxInt64.
	n := int64(lo)
	if hi != n>>63 || n == math.MinInt64 {
		return Amount{}, ErrOverflow
	}
	return Amount{cur: c, n: n}, nil
}

func sumMismatch(i int) error {
	return fmt.Errorf("money: sum: amount %d: %w", i, ErrCurrencyMismatch)
}
