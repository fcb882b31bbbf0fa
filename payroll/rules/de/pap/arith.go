package pap

import (
	"fmt"
	"math"

	"github.com/shopspring/decimal"
)

// roundingMode is a Java BigDecimal rounding mode.
type roundingMode int

const (
	roundUp       roundingMode = iota + 1 // away from zero
	roundDown                             // toward zero (truncation)
	roundCeiling                          // toward +infinity
	roundFloor                            // toward -infinity
	roundHalfUp                           // nearest, ties away from zero
	roundHalfDown                         // nearest, ties toward zero
	roundHalfEven                         // nearest, ties to even
)

// exactDivisionDigits bounds the fractional digits an exact quotient
// (Java's divide without scale) may need. The PAPs divide by 2, 12 and 100
// (and by 12 only values that are multiples of 3 up to two decimals), so
// every exact quotient needs far fewer digits.
const exactDivisionDigits = 32

// arith carries the first arithmetic failure of a PAP run, where Java would
// throw an ArithmeticException. The generated state structs embed it.
type arith struct {
	err error
}

func (a *arith) fail(err error) {
	if a.err == nil {
		a.err = err
	}
}

// divide is Java's x.divide(y): the exact quotient, or ErrArithmetic if it
// has no terminating decimal expansion (or y is zero).
func (a *arith) divide(x, y decimal.Decimal) decimal.Decimal {
	if y.IsZero() {
		a.fail(errDivisionByZero)
		return decimal.Zero
	}
	p := int32(0)
	if e := x.Exponent(); e < 0 {
		p = -e
	}
	// A first try with a few extra digits covers every division of the PAPs.
	q, r := x.QuoRem(y, p+4)
	if r.IsZero() {
		return q
	}
	q, r = x.QuoRem(y, p+exactDivisionDigits)
	if !r.IsZero() {
		a.fail(errNonTerminating)
	}
	return q
}

// divScale is Java's x.divide(y, scale, mode): the exact quotient rounded to
// scale fractional digits with mode.
func (a *arith) divScale(x, y decimal.Decimal, scale int, mode roundingMode) decimal.Decimal {
	if y.IsZero() {
		a.fail(errDivisionByZero)
		return decimal.Zero
	}
	s := int32(scale)
	q, r := x.QuoRem(y, s) // q truncated toward zero, r has the sign of x
	if r.IsZero() {
		return q
	}
	neg := x.Sign()*y.Sign() < 0
	ulp := decimal.New(1, -s)
	away := func() decimal.Decimal {
		if neg {
			return q.Sub(ulp)
		}
		return q.Add(ulp)
	}
	// half compares the discarded part with half an ulp: |r| / (|y|·ulp) vs 1/2.
	half := func() int {
		return r.Abs().Mul(decimal.NewFromInt(2)).Cmp(y.Abs().Mul(ulp))
	}
	switch mode {
	case roundDown:
		return q
	case roundUp:
		return away()
	case roundCeiling:
		if !neg {
			return away()
		}
		return q
	case roundFloor:
		if neg {
			return away()
		}
		return q
	case roundHalfUp:
		if half() >= 0 {
			return away()
		}
		return q
	case roundHalfDown:
		if half() > 0 {
			return away()
		}
		return q
	case roundHalfEven:
		h := half()
		odd := q.Shift(s).Mod(decimal.NewFromInt(2)).Abs().Equal(decimal.NewFromInt(1))
		if h > 0 || (h == 0 && odd) {
			return away()
		}
		return q
	}
	panic("pap: unknown rounding mode") // unreachable: the generator emits only the modes above
}

// setScale is Java's x.setScale(scale, mode). Only the value matters: Java's
// scale of the result is not observable through the PAP's operations.
func setScale(x decimal.Decimal, scale int, mode roundingMode) decimal.Decimal {
	s := int32(scale)
	switch mode {
	case roundUp:
		return x.RoundUp(s)
	case roundDown:
		return x.RoundDown(s)
	case roundCeiling:
		return x.RoundCeil(s)
	case roundFloor:
		return x.RoundFloor(s)
	case roundHalfUp:
		return x.Round(s) // shopspring's Round: half away from zero
	case roundHalfEven:
		return x.RoundBank(s)
	case roundHalfDown:
		var a arith
		return a.divScale(x, decimal.NewFromInt(1), scale, roundHalfDown)
	}
	panic("pap: unknown rounding mode") // unreachable: the generator emits only the modes above
}

// valueOfDouble is Java's BigDecimal.valueOf(double): the decimal of the
// shortest representation that round-trips (Double.toString). decimal's
// NewFromFloat uses the same shortest representation.
func valueOfDouble(f float64) decimal.Decimal {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return decimal.Zero // rejected by validate before any run
	}
	return decimal.NewFromFloat(f)
}

var (
	errDivisionByZero = fmt.Errorf("%w: division by zero", ErrArithmetic)
	errNonTerminating = fmt.Errorf("%w: non-terminating decimal expansion", ErrArithmetic)
)
