package partners

import (
	"math/big"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/money"
)

// taxOfGross returns the tax contained in gross at rate: gross × rate /
// (1 + rate), rounded half up to the currency's minor units, computed in
// integers so that no division precision is involved.
func taxOfGross(gross money.Amount, rate decimal.Decimal) money.Amount {
	if rate.IsZero() || gross.IsZero() {
		return money.Zero(gross.Currency())
	}
	// rate = c × 10^e with e ≤ 0: tax = g × c / (10^-e + c).
	c := rate.Coefficient()
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-min(rate.Exponent(), 0))), nil)
	if rate.Exponent() > 0 {
		c.Mul(c, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(rate.Exponent())), nil))
	}
	num := new(big.Int).Mul(big.NewInt(gross.MinorUnits()), c)
	den := new(big.Int).Add(scale, c)
	neg := num.Sign() < 0
	num.Abs(num)
	q, r := new(big.Int).QuoRem(num, den, new(big.Int))
	if r.Lsh(r, 1).Cmp(den) >= 0 { // half up: away from zero at one half
		q.Add(q, big.NewInt(1))
	}
	if neg {
		q.Neg(q)
	}
	return money.New(q.Int64(), gross.Currency())
}

// splitGross splits a gross amount (a discount, a write-off) over an
// item's VAT shares in proportion to their gross amounts (money.Allocate,
// so nothing is lost) and returns, per share, the tax it contains. An item
// without shares has no tax in it.
func splitGross(g money.Amount, shares []VATShare) ([]money.Amount, []money.Amount, error) {
	if len(shares) == 0 {
		return nil, nil, nil
	}
	w := make([]int64, len(shares))
	any := false
	for i, s := range shares {
		w[i] = s.Gross.MinorUnits()
		any = any || w[i] > 0
	}
	if !any {
		return nil, nil, nil
	}
	parts, err := money.Allocate(g, w...)
	if err != nil {
		return nil, nil, err
	}
	tax := make([]money.Amount, len(shares))
	for i, part := range parts {
		tax[i] = taxOfGross(part, shares[i].Rate)
	}
	return parts, tax, nil
}
