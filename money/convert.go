package money

import (
	"math/big"

	"github.com/shopspring/decimal"
)

// Convert returns a × rate expressed in currency to, rounded once to a
// minor unit of to with mode m: the exchange of a at the rate "1 of a's
// currency = rate to". The minor units of both currencies are minded, so
// 1000 JPY × 0.0061 = 6.10 EUR and 12.34 EUR × 161.2 = 1989.208 JPY, which
// is 1989 JPY with HalfUp. The product is computed exactly before the one
// rounding. Rates are positive in practice; a negative rate flips the sign
// like any multiplication.
//
// It fails with ErrNoCurrency if a or to has no currency, with
// ErrRoundingMode for an invalid mode and with ErrOverflow if the rounded
// result is out of range.
func (a Amount) Convert(to Currency, rate decimal.Decimal, m RoundingMode) (Amount, error) {
	if err := checkConvert(a, to, m); err != nil {
		return Amount{}, err
	}
	coef := rate.Coefficient()
	coef.Mul(coef, big.NewInt(a.n))
	// a.n × 10^-mA × coef × 10^exp, in minor units of to (× 10^mT).
	n, err := scaleRound(coef, int(rate.Exponent())-a.cur.MinorUnits()+to.MinorUnits(), m)
	if err != nil {
		return Amount{}, err
	}
	return Amount{cur: to, n: n}, nil
}

// ConvertInverse returns a ÷ rate expressed in currency to, rounded once
// to a minor unit of to with mode m: the exchange of a at the rate
// "1 to = rate of a's currency", as when only the opposite quotation is
// known (EUR→USD 1.0823 converts 108.23 USD to 100.00 EUR). The quotient
// is computed as an exact fraction of integers, with no intermediate
// decimal, and rounded once: 100.00 USD ÷ 1.0823 = 92.3958… EUR is
// 92.40 EUR with HalfUp.
//
// It fails with ErrNoCurrency if a or to has no currency, with
// ErrDivisionByZero if rate is zero, with ErrRoundingMode for an invalid
// mode and with ErrOverflow if the rounded result is out of range.
func (a Amount) ConvertInverse(to Currency, rate decimal.Decimal, m RoundingMode) (Amount, error) {
	if err := checkConvert(a, to, m); err != nil {
		return Amount{}, err
	}
	if rate.Sign() == 0 {
		return Amount{}, ErrDivisionByZero
	}
	if a.n == 0 {
		return Amount{cur: to}, nil
	}
	// a.n × 10^-mA ÷ (coef × 10^exp) × 10^mT = a.n × 10^k ÷ coef.
	coef := rate.Coefficient()
	k := to.MinorUnits() - a.cur.MinorUnits() - int(rate.Exponent())
	num := big.NewInt(a.n)
	switch {
	case k > 0:
		// |a.n| ≥ 1 and |coef| < 10^D, so the quotient exceeds 10^(k-D):
		// from k-D ≥ 19 on it is out of range, and 10^k need not be built.
		if k-decimalDigits(coef) >= 19 {
			return Amount{}, ErrOverflow
		}
		num.Mul(num, new(big.Int).Exp(bigTen, big.NewInt(int64(k)), nil))
	case k < 0:
		// As in scaleRound: once 10^-k exceeds 10×|a.n|, the quotient is
		// below 0.1 in magnitude, never a tie, and rounds by its sign
		// alone; a smaller power gives the same result with bounded work.
		shift := min(-k, decimalDigits(num)+1)
		coef.Mul(coef, new(big.Int).Exp(bigTen, big.NewInt(int64(shift)), nil))
	}
	n, err := quoRound(num, coef, m)
	if err != nil {
		return Amount{}, err
	}
	return Amount{cur: to, n: n}, nil
}

// checkConvert checks the operands of Convert and ConvertInverse.
func checkConvert(a Amount, to Currency, m RoundingMode) error {
	if err := checkMode(m); err != nil {
		return err
	}
	if a.cur.IsZero() || to.IsZero() {
		return ErrNoCurrency
	}
	return nil
}
