package money

import (
	"math"
	"math/big"
	"strconv"
)

// RoundingMode names how a result that falls between two minor units is
// rounded. Every operation that rounds takes a RoundingMode, so the mode is
// visible at each call site. The zero RoundingMode is invalid; operations
// given it fail with ErrRoundingMode.
//
// The examples show 0.125 EUR, 0.135 EUR and -0.125 EUR rounded to cents.
// A RoundingMode is a plain value, safe for concurrent use.
type RoundingMode int

// The rounding modes.
const (
	// HalfUp rounds to the nearest minor unit, ties away from zero
	// (commercial rounding, "kaufmännisch"): 0.13, 0.14, -0.13.
	HalfUp RoundingMode = iota + 1
	// HalfEven rounds to the nearest minor unit, ties to the even one
	// (banker's rounding): 0.12, 0.14, -0.12.
	HalfEven
	// HalfDown rounds to the nearest minor unit, ties toward zero:
	// 0.12, 0.13, -0.12.
	HalfDown
	// Down rounds toward zero (truncates): 0.12, 0.13, -0.12.
	Down
	// Up rounds away from zero: 0.13, 0.14, -0.13.
	Up
	// Floor rounds toward negative infinity: 0.12, 0.13, -0.13.
	Floor
	// Ceiling rounds toward positive infinity: 0.13, 0.14, -0.12.
	Ceiling
)

// roundExact is an internal mode: a non-zero remainder is ErrScale.
const roundExact RoundingMode = -1

// String returns the mode's name, such as "HalfUp", or "RoundingMode(n)"
// for an invalid mode.
func (m RoundingMode) String() string {
	switch m {
	case HalfUp:
		return "HalfUp"
	case HalfEven:
		return "HalfEven"
	case HalfDown:
		return "HalfDown"
	case Down:
		return "Down"
	case Up:
		return "Up"
	case Floor:
		return "Floor"
	case Ceiling:
		return "Ceiling"
	}
	return "RoundingMode(" + strconv.Itoa(int(m)) + ")"
}

// valid reports whether m is one of the named modes.
func (m RoundingMode) valid() bool { return m >= HalfUp && m <= Ceiling }

// checkMode returns an error wrapping ErrRoundingMode for an invalid mode.
func checkMode(m RoundingMode) error {
	if m.valid() {
		return nil
	}
	return &modeError{m}
}

// modeError reports an invalid RoundingMode; it wraps ErrRoundingMode.
type modeError struct{ m RoundingMode }

// Error names the invalid mode's number.
func (e *modeError) Error() string {
	return "money: invalid rounding mode " + e.m.String()
}

// Unwrap returns ErrRoundingMode.
func (e *modeError) Unwrap() error { return ErrRoundingMode }

// awayFromZero decides whether a truncated quotient must be moved one unit
// away from zero. The exact result is q + r/d with 0 < r < d (r ≠ 0);
// neg is the sign of the exact result, half compares 2r with d
// (-1, 0, +1), and odd tells whether the truncated magnitude is odd.
func awayFromZero(m RoundingMode, neg bool, half int, odd bool) bool {
	switch m {
	case HalfUp:
		return half >= 0
	case HalfEven:
		return half > 0 || (half == 0 && odd)
	case HalfDown:
		return half > 0
	case Down:
		return false
	case Up:
		return true
	case Floor:
		return neg
	case Ceiling:
		return !neg
	}
	panic("money: unreachable: invalid rounding mode")
}

// divRound returns n/d rounded with mode m. d must not be zero and m must
// be valid. The result always fits: |n/d| ≤ |n| ≤ math.MaxInt64.
func divRound(n, d int64, m RoundingMode) int64 {
	un, ud := abs64(n), abs64(d)
	q, r := un/ud, un%ud
	neg := (n < 0) != (d < 0)
	if r != 0 {
		half := cmpUint(r, ud-r) // 2r vs d without overflow
		if awayFromZero(m, neg, half, q&1 == 1) {
			q++
		}
	}
	if neg {
		return -int64(q)
	}
	return int64(q)
}

// abs64 returns |x| as a uint64; it is correct for math.MinInt64 too.
func abs64(x int64) uint64 {
	if x < 0 {
		return uint64(^x) + 1
	}
	return uint64(x)
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

var (
	bigOne = big.NewInt(1)
	bigTen = big.NewInt(10)
)

// scaleRound returns coef × 10^exp rounded to an integer with mode m (or,
// for roundExact, ErrScale if it is not an integer), as int64 minor units.
// It fails with ErrOverflow if the result is out of range. It never builds
// a power of ten much larger than coef, whatever exp is.
func scaleRound(coef *big.Int, exp int, m RoundingMode) (int64, error) {
	if coef.Sign() == 0 {
		return 0, nil
	}
	if exp >= 0 {
		// |coef| ≥ 1, so anything times 10^19 or more is out of range.
		if exp > 19 {
			return 0, ErrOverflow
		}
		v := new(big.Int).Exp(bigTen, big.NewInt(int64(exp)), nil)
		v.Mul(v, coef)
		return bigToMinor(v)
	}
	shift := -exp
	// When 10^shift exceeds 10×|coef|, |coef×10^exp| < 0.1: the rounded
	// result depends only on the sign (and is never a tie), so the same
	// result comes from a smaller shift. This bounds the work.
	if digits := decimalDigits(coef); shift > digits+1 {
		shift = digits + 1
	}
	d := new(big.Int).Exp(bigTen, big.NewInt(int64(shift)), nil)
	return quoRound(coef, d, m)
}

// quoRound returns num/den rounded to an integer with mode m (or, for
// roundExact, ErrScale if it is not an integer), as int64 minor units. It
// fails with ErrOverflow if the result is out of range. den must not be
// zero; either may be negative.
func quoRound(num, den *big.Int, m RoundingMode) (int64, error) {
	q, r := new(big.Int).QuoRem(num, den, new(big.Int)) // truncates toward zero
	if r.Sign() != 0 {
		if m == roundExact {
			return 0, ErrScale
		}
		neg := (num.Sign() < 0) != (den.Sign() < 0)
		r.Abs(r)
		half := r.Lsh(r, 1).CmpAbs(den)
		// Bit(0) of a negative big.Int is that of its two's complement,
		// which has the parity of its magnitude.
		if awayFromZero(m, neg, half, q.Bit(0) == 1) {
			if neg {
				q.Sub(q, bigOne)
			} else {
				q.Add(q, bigOne)
			}
		}
	}
	return bigToMinor(q)
}

// decimalDigits returns an upper bound for the number of decimal digits of
// |x|, exact up to one.
func decimalDigits(x *big.Int) int {
	// log10(2) < 0.30103; bitlen×30103/100000 + 1 ≥ digits.
	return x.BitLen()*30103/100000 + 1
}

// bigToMinor converts v to minor units, or fails with ErrOverflow if
// |v| > math.MaxInt64.
func bigToMinor(v *big.Int) (int64, error) {
	if !v.IsInt64() || v.Int64() == math.MinInt64 {
		return 0, ErrOverflow
	}
	return v.Int64(), nil
}
