package de

import (
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/payroll/rules/de/pap"
)

// payPeriod returns the PAP's pay period LZZ for the period and how the
// period's current pay maps to it: the pay per LZZ unit is pay ÷ units,
// rounded down to the cent, and the tax of the period is the tax per unit
// × units (R 39b.5 Abs. 2 LStR: periods that are not a month or a week
// are taxed as weeks or days, and so is a month employed in part: by its
// calendar days employed).
func payPeriod(c *payroll.Calc) (lzz int, units int64) {
	p := c.Period()
	switch p.Frequency {
	case hr.MonthlyPay:
		var days int64
		for _, s := range c.Segments() {
			days += int64(s.From.DaysUntil(s.To) + 1)
		}
		if days > 0 && days < int64(p.Days()) {
			return 4, days
		}
		return 2, 1
	case hr.Weekly:
		return 3, 1
	case hr.Biweekly:
		return 3, 2
	}
	return 4, int64(p.Days()) // semimonthly: by calendar days
}

// cents converts a PAP amount in cent, which the PAP has already rounded, to
// an Amount.
func cents(d decimal.Decimal) (money.Amount, error) {
	if !d.Equal(d.Truncate(0)) || !d.IsInteger() {
		return money.Amount{}, fmt.Errorf("%w: de: PAP returned a fraction of a cent", pap.ErrArithmetic)
	}
	return money.New(d.IntPart(), money.EUR), nil
}

func toCents(a money.Amount) decimal.Decimal { return decimal.NewFromInt(a.MinorUnits()) }

// wageTax maps the period's taxable pay and the tax profile to the PAP's
// inputs, runs the PAP of the period's year and adds wage tax, solidarity
// surcharge and church tax. Mini-jobs pay the flat-rate tax instead (see
// the social insurance rule) and get none.
func (p *pack) wageTax(c *payroll.Calc) error {
	r, ok := p.opts.Rates.At(c.On())
	if !ok {
		return noVersion("social insurance rates", c.On())
	}
	church, ok := p.opts.ChurchTax.At(c.On())
	if !ok {
		return noVersion("church tax rates", c.On())
	}
	prof, err := readProfile(c)
	if err != nil {
		return err
	}
	taxable, err := c.Base(BaseTax)
	if err != nil {
		return err
	}
	social, oneTime, svCurrent, err := socialPay(c)
	if err != nil {
		return err
	}
	k, err := classify(c, &prof, &r, svCurrent, social)
	if err != nil || k == minijob {
		return err
	}
	if !taxable.IsZero() {
		if err := c.Add(payroll.Line{Code: CodeTaxGross, Kind: payroll.Information, Amount: taxable}); err != nil {
			return err
		}
	}
	current := nonNegative(taxable)
	if current, err = current.Sub(minAmount(nonNegative(oneTime), current)); err != nil {
		return err
	}
	oneTaxed, err := nonNegative(taxable).Sub(current)
	if err != nil {
		return err
	}
	if current.IsZero() && oneTaxed.IsZero() {
		return nil
	}

	calc, err := pap.For(c.On())
	if err != nil {
		return fmt.Errorf("%w: %w", payroll.ErrNoPackVersion, err)
	}
	lzz, units := payPeriod(c)
	perUnit, err := current.Div(units, money.Down)
	if err != nil {
		return err
	}
	in := pap.DefaultInput()
	in.LZZ = lzz
	in.RE4 = toCents(perUnit)
	in.STKL = prof.class
	in.ZKF = prof.children
	in.KVZ = prof.supplement.Shift(2)
	if prof.childless(c.Input().Employee.BirthDate, c.Period()) {
		in.PVZ = 1
	}
	in.PVA = decimal.NewFromInt(int64(prof.reductions()))
	if prof.state == "SN" {
		in.PVS = 1
	}
	if prof.church {
		in.R = 1
	}
	in.KRV, in.ALV, in.PKV = 0, 0, 0
	if prof.private {
		// The premiums and the employer's subsidy, as monthly amounts in
		// cent whatever the pay period. PAP 2025 marks a subsidy by PKV 2,
		// PAP 2026 takes it in PKPVAGZ.
		premium, err := prof.pkv.Add(prof.ppv)
		if err != nil {
			return err
		}
		subsidy, err := c.Sum(CodeHealthSubsidy)
		if err != nil {
			return err
		}
		care, err := c.Sum(CodeCareSubsidy)
		if err != nil {
			return err
		}
		if subsidy, err = subsidy.Add(care); err != nil {
			return err
		}
		in.PKV, in.PKPV = 1, toCents(premium)
		switch {
		case calc.Year() >= 2026:
			in.PKPVAGZ = toCents(subsidy)
		case subsidy.IsPositive():
			in.PKV = 2
		}
	}
	if !prof.factor.IsZero() {
		in.AF, in.F = 1, prof.factor.InexactFloat64() // the PAP declares F a double
	}
	trace := []payroll.Step{
		{Name: "PAP", Value: strconv.Itoa(calc.Year())},
		{Name: "LZZ", Value: strconv.Itoa(lzz)},
		{Name: "RE4", Value: in.RE4.String()},
		{Name: "STKL", Value: strconv.Itoa(in.STKL)},
		{Name: "ZKF", Value: in.ZKF.String()},
		{Name: "KVZ", Value: in.KVZ.String()},
		{Name: "PVZ", Value: strconv.Itoa(in.PVZ)},
		{Name: "PVA", Value: in.PVA.String()},
		{Name: "PVS", Value: strconv.Itoa(in.PVS)},
	}
	if in.PKV != 0 {
		trace = append(trace, payroll.Step{Name: "PKV", Value: strconv.Itoa(in.PKV)},
			payroll.Step{Name: "PKPV", Value: in.PKPV.String()}, payroll.Step{Name: "PKPVAGZ", Value: in.PKPVAGZ.String()})
	}
	if units > 1 {
		trace = append(trace, payroll.Step{Name: "units", Value: strconv.FormatInt(units, 10)})
	}
	if oneTaxed.IsPositive() {
		// Sonstige Bezüge: the expected annual current pay is the taxable pay
		// of the year so far plus this period's current pay for the rest of
		// the year (R 39b.6 Abs. 2 LStR).
		rest := int64(c.PeriodsPerYear() - c.Period().Number + 1)
		ahead, err := current.Mul(max(rest, 1))
		if err != nil {
			return err
		}
		jre4, err := nonNegative(c.YTDBase(BaseTax).Year).Add(ahead)
		if err != nil {
			return err
		}
		in.JRE4 = toCents(jre4)
		in.SONSTB = toCents(oneTaxed)
		trace = append(trace, payroll.Step{Name: "JRE4", Value: in.JRE4.String()}, payroll.Step{Name: "SONSTB", Value: in.SONSTB.String()})
	}
	out, err := calc.Calculate(in)
	if err != nil {
		return fmt.Errorf("de: wage tax: %w", err)
	}
	n := decimal.NewFromInt(units)
	lstCents := out.LSTLZZ.Mul(n).Add(out.STS)
	solzCents := out.SOLZLZZ.Mul(n).Add(out.SOLZS)
	lst, err := cents(lstCents)
	if err != nil {
		return err
	}
	solz, err := cents(solzCents)
	if err != nil {
		return err
	}
	trace = append(trace, payroll.Step{Name: "LSTLZZ", Value: out.LSTLZZ.String()}, payroll.Step{Name: "STS", Value: out.STS.String()},
		payroll.Step{Name: "SOLZLZZ", Value: out.SOLZLZZ.String()}, payroll.Step{Name: "SOLZS", Value: out.SOLZS.String()},
		payroll.Step{Name: "BK", Value: out.BK.String()}, payroll.Step{Name: "BKS", Value: out.BKS.String()})
	add := func(code string, a money.Amount, rate decimal.Decimal) error {
		if a.IsZero() {
			return nil
		}
		return c.Add(payroll.Line{Code: code, Kind: payroll.Tax, Basis: taxable, Rate: rate, Amount: a,
			Account: p.acc.TaxPayable, Trace: trace})
	}
	if err := add(CodeWageTax, lst, decimal.Zero); err != nil {
		return err
	}
	if err := add(CodeSolidarity, solz, decimal.Zero); err != nil {
		return err
	}
	if !prof.church {
		return nil
	}
	// Church tax: the rate of the state × the church-tax base, in cent,
	// fractions of a cent dropped (rounded down), for current pay per LZZ
	// unit and for one-time pay.
	rate := church.rate(prof.state)
	kist := out.BK.Mul(rate).Floor().Mul(n).Add(out.BKS.Mul(rate).Floor())
	amount, err := cents(kist)
	if err != nil {
		return err
	}
	return add(CodeChurchTax, amount, rate)
}
