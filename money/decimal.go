package money

import (
	"math/big"

	"github.com/shopspring/decimal"
)

// FromDecimal returns d as an amount in currency c, exactly. It fails with
// ErrScale if d has non-zero digits beyond c's minor units, and with
// ErrOverflow if d is out of range. To round instead, use
// FromDecimalRounded.
func FromDecimal(d decimal.Decimal, c Currency) (Amount, error) {
	n, err := scaleRound(d.Coefficient(), int(d.Exponent())+c.MinorUnits(), roundExact)
	if err != nil {
		return Amount{}, err
	}
	return Amount{cur: c, n: n}, nil
}

// FromDecimalRounded returns d rounded to c's minor units with mode m. It
// fails with ErrRoundingMode for an invalid mode and with ErrOverflow if
// the rounded value is out of range.
func FromDecimalRounded(d decimal.Decimal, c Currency, m RoundingMode) (Amount, error) {
	if err := checkMode(m); err != nil {
		return Amount{}, err
	}
	n, err := scaleRound(d.Coefficient(), int(d.Exponent())+c.MinorUnits(), m)
	if err != nil {
		return Amount{}, err
	}
	return Amount{cur: c, n: n}, nil
}

// Decimal returns a as a decimal.Decimal with the currency's number of
// decimal places, exactly: 1234.56 EUR is 123456×10⁻².
func (a Amount) Decimal() decimal.Decimal {
	return decimal.New(a.n, -int32(a.cur.MinorUnits()))
}

// MulRate returns a × rate rounded to a minor unit with mode m: a tax,
// a discount, an interest or exchange rate (the result stays in a's
// currency). The product is computed exactly before the one rounding, so
// 1234.56 EUR × 0.19 = 234.5664 becomes 234.57 EUR with HalfUp. It fails
// with ErrRoundingMode for an invalid mode and with ErrOverflow if the
// rounded result is out of range.
func (a Amount) MulRate(rate decimal.Decimal, m RoundingMode) (Amount, error) {
	if err := checkMode(m); err != nil {
		return Amount{}, err
	}
	coef := rate.Coefficient()
	coef.Mul(coef, big.NewInt(a.n))
	n, err := scaleRound(coef, int(rate.Exponent()), m)
	if err != nil {
		return Amount{}, err
	}
	return Amount{cur: a.cur, n: n}, nil
}
