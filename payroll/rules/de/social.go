package de

import (
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
)

var (
	half        = decimal.New(5, -1) // halves by multiplying: exact, no division precision
	daysPerYear = decimal.NewFromInt(360)
)

// oneTimePay returns the one-time pay of the period (Einmalzahlungen, § 23a
// SGB IV; sonstige Bezüge for wage tax): bonuses and commissions. Other
// pay is current pay; expenses count in no base.
func oneTimePay(c *payroll.Calc) (money.Amount, error) {
	s := money.Zero(c.Currency())
	for _, it := range c.Items() {
		if it.Type == hr.Bonus || it.Type == hr.Commission {
			var err error
			if s, err = s.Add(it.Amount); err != nil {
				return money.Amount{}, err
			}
		}
	}
	return s, nil
}

// deferralLimits keeps the period's pension deferrals (Entgeltumwandlung,
// the pre-tax deductions of hr.PensionDeferral items, which lower both
// bases) free of wage tax only up to 8 % and of social insurance up to 4 %
// of the year's pension ceiling (§ 3 Nr. 63 EStG, § 1 Abs. 1 Nr. 9 SvEV),
// less what earlier periods of the year used: what is deferred beyond a
// limit goes back into the base as an information line.
func (p *pack) deferralLimits(c *payroll.Calc) error {
	deferred, err := c.Total(payroll.PreTaxDeduction)
	if err != nil || !deferred.IsPositive() {
		return err
	}
	r, ok := p.opts.Rates.At(c.On())
	if !ok {
		return noVersion("social insurance rates", c.On())
	}
	for _, l := range []struct {
		free, over, base, rate string
	}{{CodeDeferralTax, CodeDeferralTaxOver, BaseTax, "0.08"}, {CodeDeferralSV, CodeDeferralSVOver, BaseSocial, "0.04"}} {
		limit, err := r.PensionCeiling.MulRate(decimal.RequireFromString(l.rate), money.HalfUp)
		if err != nil {
			return err
		}
		room, err := limit.Sub(c.YTDLine(l.free).Year)
		if err != nil {
			return err
		}
		free := minAmount(deferred, nonNegative(room))
		over, err := deferred.Sub(free)
		if err != nil {
			return err
		}
		trace := []payroll.Step{{Name: "limit", Value: limit.String()}, {Name: "room", Value: room.String()}}
		if free.IsPositive() {
			if err := c.Add(payroll.Line{Code: l.free, Kind: payroll.Information, Basis: deferred, Amount: free, Trace: trace}); err != nil {
				return err
			}
		}
		if over.IsPositive() {
			if err := c.Add(payroll.Line{Code: l.over, Kind: payroll.Information, Basis: deferred, Amount: over,
				Bases: []string{l.base}, Trace: trace}); err != nil {
				return err
			}
		}
	}
	return nil
}

// subsidies adds the employer's subsidies to a private health and care
// insurance: half of each premium, at most the employer's share a statutory
// insured employee with the same pay would cost — (14.6 % + the year's
// average supplement) ÷ 2, and the employer's care rate, of the health base
// hb (§ 257 Abs. 2 SGB V, § 61 Abs. 2 SGB XI). They are paid with the
// salary, free of tax and contributions (§ 3 Nr. 62 EStG): earnings in no
// base, booked as social expense.
func (p *pack) subsidies(c *payroll.Calc, r *Rates, prof *profile, hb money.Amount, careER decimal.Decimal) error {
	for _, s := range []struct {
		code    string
		premium money.Amount
		rate    decimal.Decimal
	}{{CodeHealthSubsidy, prof.pkv, r.Health.Add(r.AverageSupplement).Mul(half)}, {CodeCareSubsidy, prof.ppv, careER}} {
		half, err := s.premium.Div(2, money.HalfUp)
		if err != nil {
			return err
		}
		most, err := hb.MulRate(s.rate, money.HalfUp)
		if err != nil {
			return err
		}
		amount := minAmount(half, most)
		if !amount.IsPositive() {
			continue
		}
		if err := c.Add(payroll.Line{Code: s.code, Kind: payroll.Earning, Basis: s.premium, Amount: amount,
			Account: p.acc.SocialExpense, Trace: []payroll.Step{{Name: "half the premium", Value: half.String()},
				{Name: "at most", Value: most.String()}}}); err != nil {
			return err
		}
	}
	return nil
}

// socialPay returns the period's pay subject to social insurance (the
// base BaseSocial), the one-time part of it, and the current part (the
// rest).
func socialPay(c *payroll.Calc) (total, oneTime, current money.Amount, err error) {
	if total, err = c.Base(BaseSocial); err != nil {
		return
	}
	if oneTime, err = oneTimePay(c); err != nil {
		return
	}
	current, err = total.Sub(oneTime)
	return
}

// socialDays returns the social insurance days of the period: 30 for a
// month employed throughout, else the days employed (§ 23a Abs. 3 SGB IV,
// § 2 BVV).
func socialDays(c *payroll.Calc) int64 {
	var days int64
	for _, s := range c.Segments() {
		days += int64(s.From.DaysUntil(s.To) + 1)
	}
	p := c.Period()
	if p.Frequency == hr.MonthlyPay && days == int64(p.Days()) {
		return 30
	}
	return days
}

func minAmount(a, b money.Amount) money.Amount {
	if c, _ := a.Cmp(b); c > 0 {
		return b
	}
	return a
}

func nonNegative(a money.Amount) money.Amount {
	if a.IsNegative() {
		return money.Zero(a.Currency())
	}
	return a
}

// ceiling caps the pay of the period for one pair of branches and adds the
// information lines that track the ceiling across the year. Current pay is
// capped at the ceiling of the period (annual ceiling × social insurance
// days ÷ 360, rounded half up); one-time pay at what is left of the
// ceiling of the year so far (the ceilings of this year's periods) after
// the capped pay of earlier periods and the current pay (§ 23a Abs. 3
// SGB IV). It returns the capped current pay and the capped total.
func (p *pack) ceiling(c *payroll.Calc, annual money.Amount, codeCeil, codeBase string, current, oneTime, total money.Amount) (capCur, capped money.Amount, err error) {
	periodCeil, err := payroll.MulDiv(annual, decimal.NewFromInt(socialDays(c)), daysPerYear, money.HalfUp)
	if err != nil {
		return capCur, capped, err
	}
	ytdCeil, ytdBase := c.YTDLine(codeCeil).Year, c.YTDLine(codeBase).Year
	capCur = minAmount(nonNegative(current), periodCeil)
	room, err := money.Sum(c.Currency(), ytdCeil, periodCeil, ytdBase.Neg(), capCur.Neg())
	if err != nil {
		return capCur, capped, err
	}
	capOne := minAmount(nonNegative(oneTime), nonNegative(room))
	if capped, err = capCur.Add(capOne); err != nil {
		return capCur, capped, err
	}
	trace := []payroll.Step{
		{Name: "annual ceiling", Value: annual.String()},
		{Name: "social insurance days", Value: strconv.FormatInt(socialDays(c), 10)},
		{Name: "ceiling of the year so far", Value: ytdCeil.String()},
		{Name: "capped base earlier this year", Value: ytdBase.String()},
		{Name: "current pay capped", Value: capCur.String()},
		{Name: "one-time pay capped", Value: capOne.String()},
	}
	if err := c.Add(payroll.Line{Code: codeCeil, Kind: payroll.Information, Basis: annual, Amount: periodCeil, Trace: trace}); err != nil {
		return capCur, capped, err
	}
	err = c.Add(payroll.Line{Code: codeBase, Kind: payroll.Information, Basis: total, Amount: capped, Trace: trace})
	return capCur, capped, err
}

// share adds an employee (ee) or employer line of a contribution. Zero
// amounts add no line.
func (p *pack) share(c *payroll.Calc, code string, employee bool, basis money.Amount, rate decimal.Decimal, amount money.Amount, offset string, trace ...payroll.Step) error {
	if amount.IsZero() {
		return nil
	}
	l := payroll.Line{Code: code, Kind: payroll.Tax, Basis: basis, Rate: rate, Amount: amount,
		Account: p.acc.SocialPayable, Trace: trace}
	if !employee {
		l.Kind, l.Offset = payroll.EmployerContribution, offset
	}
	return c.Add(l)
}

// shareOf returns basis × rate rounded half up (kaufmännisch, § 2 Abs. 1
// BVV) and adds the line.
func (p *pack) shareOf(c *payroll.Calc, code string, employee bool, basis money.Amount, rate decimal.Decimal, offset string) error {
	a, err := basis.MulRate(rate, money.HalfUp)
	if err != nil {
		return err
	}
	return p.share(c, code, employee, basis, rate, a, offset)
}

// careRates returns the employee's and the employer's standard care shares
// and the employee's adjustment (surcharge less reductions).
func careRates(r *Rates, prof *profile, c *payroll.Calc) (ee, er, adj, surcharge, reduction decimal.Decimal) {
	ee = r.Care.Mul(half)
	if prof.state == "SN" {
		ee = r.CareSaxonyEmployee
	}
	er = r.Care.Sub(ee)
	if prof.childless(c.Input().Employee.BirthDate, c.Period()) {
		surcharge = r.CareChildless
	}
	reduction = r.CareChildReduction.Mul(decimal.NewFromInt(int64(prof.reductions())))
	return ee, er, surcharge.Sub(reduction), surcharge, reduction
}

func (p *pack) social(c *payroll.Calc) error {
	if c.Currency() != money.EUR {
		return fmt.Errorf("%w: de: pay must be in EUR", payroll.ErrCurrency)
	}
	r, ok := p.opts.Rates.At(c.On())
	if !ok {
		return noVersion("social insurance rates", c.On())
	}
	lev, ok := p.opts.Levies.At(c.On())
	if !ok {
		return noVersion("levies", c.On())
	}
	prof, err := readProfile(c)
	if err != nil {
		return err
	}
	total, oneTime, current, err := socialPay(c)
	if err != nil {
		return err
	}
	if !total.IsZero() {
		if err := c.Add(payroll.Line{Code: CodeSocialGross, Kind: payroll.Information, Amount: total}); err != nil {
			return err
		}
	}
	k, err := classify(c, &prof, &r, current, total)
	if err != nil || !total.IsPositive() {
		return err
	}
	if k == minijob {
		return p.minijob(c, &r, &prof, total)
	}
	_, hb, err := p.ceiling(c, r.HealthCeiling, CodeHealthCeiling, CodeHealthBase, current, oneTime, total)
	if err != nil {
		return err
	}
	pbCur, pb, err := p.ceiling(c, r.PensionCeiling, CodePensionCeiling, CodePensionBase, current, oneTime, total)
	if err != nil {
		return err
	}
	if k == midijob {
		if err := p.midijob(c, &r, &prof, total); err != nil {
			return err
		}
	} else if err := p.regular(c, &r, &prof, hb, pb); err != nil {
		return err
	}
	// Employer levies: U1 and U2 on current pay up to the pension ceiling
	// (§ 7 Abs. 2 AAG), U3 on all pension-insurable pay (§ 358 Abs. 2
	// SGB III).
	ex := p.acc.SocialExpense
	if k == midijob {
		pbCur, pb = current, total // the levies take the actual pay
	}
	if err := p.shareOf(c, CodeU1, false, pbCur, lev.U1, ex); err != nil {
		return err
	}
	if err := p.shareOf(c, CodeU2, false, pbCur, lev.U2, ex); err != nil {
		return err
	}
	return p.shareOf(c, CodeInsolvency, false, pb, r.Insolvency, ex)
}

// regular adds the contributions of regular employment on the capped
// bases: hb for health and care, pb for pension and unemployment.
func (p *pack) regular(c *payroll.Calc, r *Rates, prof *profile, hb, pb money.Amount) error {
	ex := p.acc.SocialExpense
	health := r.Health.Add(prof.supplement).Mul(half)
	careEE, careER, adj, _, _ := careRates(r, prof, c)
	type step struct {
		code  string
		ee    bool
		basis money.Amount
		rate  decimal.Decimal
	}
	steps := []step{
		{CodeHealthEE, true, hb, health}, {CodeHealthER, false, hb, health},
		{CodeCareEE, true, hb, careEE.Add(adj)}, {CodeCareER, false, hb, careER},
	}
	if prof.private {
		// Privately insured: no statutory health or care contributions;
		// the employer subsidises the premiums instead.
		steps = nil
		if err := p.subsidies(c, r, prof, hb, careER); err != nil {
			return err
		}
	}
	steps = append(steps,
		step{CodePensionEE, true, pb, r.Pension.Mul(half)}, step{CodePensionER, false, pb, r.Pension.Mul(half)},
		step{CodeUnemplEE, true, pb, r.Unemployment.Mul(half)}, step{CodeUnemplER, false, pb, r.Unemployment.Mul(half)})
	for _, s := range steps {
		if err := p.shareOf(c, s.code, s.ee, s.basis, s.rate, ex); err != nil {
			return err
		}
	}
	return nil
}

// midijob adds the contributions of pay AE in the transition zone (§ 20
// Abs. 2a SGB IV), with G the mini-job limit, UG the zone's end and F the
// year's factor:
//
//	BE = F × G + ([UG / (UG − G)] − [G / (UG − G)] × F) × (AE − G)   (Satz 1)
//	BE_AN = [UG / (UG − G)] × (AE − G)                              (Satz 6)
//
// each computed exactly and rounded half up to the cent. Per branch the
// total contribution is BE × half the full rate, rounded half up, then
// doubled (§ 2 Abs. 1 Satz 1 and Abs. 2 BVV: "Anwendung des halben
// Beitragssatzes … und anschließende Verdoppelung des gerundeten
// Ergebnisses"; see transitionTotal), and the employee's share BE_AN × the
// employee's rate, rounded half up; the employer pays the difference
// (§ 249 Abs. 3 SGB V, § 168 Abs. 1 Nr. 1d SGB VI, § 346 Abs. 1a SGB III,
// § 58 Abs. 5 SGB XI). The care surcharge of the childless
// is BE × 0.6 %, borne by the employee alone; the reductions for children
// lower the employee's rate on BE_AN and leave the employer's share as it
// is.
func (p *pack) midijob(c *payroll.Calc, r *Rates, prof *profile, ae money.Amount) error {
	gl, ugl, err := limits(c, r)
	if err != nil {
		return err
	}
	g, ug, f := gl.Decimal(), ugl.Decimal(), r.MidijobFactor
	d := ug.Sub(g)
	aeG := ae.Decimal().Sub(g)
	// BE = [F × G × (UG − G) + (AE − G) × (UG − G × F)] ÷ (UG − G)
	num := f.Mul(g).Mul(d).Add(aeG.Mul(ug.Sub(g.Mul(f))))
	be, err := payroll.MulDiv(money.New(100, money.EUR), num, d, money.HalfUp)
	if err != nil {
		return err
	}
	eb, err := payroll.MulDiv(money.New(100, money.EUR), aeG.Mul(ug), d, money.HalfUp)
	if err != nil {
		return err
	}
	trace := []payroll.Step{
		{Name: "AE", Value: ae.String()}, {Name: "G", Value: gl.String()},
		{Name: "UG", Value: ugl.String()}, {Name: "F", Value: f.String()},
	}
	if err := c.Add(payroll.Line{Code: CodeMidijobBase, Kind: payroll.Information, Basis: ae, Amount: be, Trace: trace}); err != nil {
		return err
	}
	if err := c.Add(payroll.Line{Code: CodeMidijobEmployee, Kind: payroll.Information, Basis: ae, Amount: eb, Trace: trace}); err != nil {
		return err
	}
	ex := p.acc.SocialExpense
	// split adds the shares of one branch: total = 2 × round(BE × full ÷
	// 2), employee = BE_AN × eeRate + extra, employer = total − BE_AN ×
	// eeRate.
	split := func(codeEE, codeER string, full, eeRate decimal.Decimal, extra money.Amount) error {
		tot, err := transitionTotal(be, full)
		if err != nil {
			return err
		}
		ee, err := eb.MulRate(eeRate, money.HalfUp)
		if err != nil {
			return err
		}
		er, err := tot.Sub(ee)
		if err != nil {
			return err
		}
		eeTotal, err := ee.Add(extra)
		if err != nil {
			return err
		}
		t := []payroll.Step{{Name: "total contribution", Value: tot.String()}, {Name: "BE", Value: be.String()}, {Name: "BE_AN", Value: eb.String()}}
		if err := p.share(c, codeEE, true, eb, eeRate, eeTotal, "", t...); err != nil {
			return err
		}
		return p.share(c, codeER, false, be, full, er, ex, t...)
	}
	zero := money.Zero(money.EUR)
	health := r.Health.Add(prof.supplement)
	if err := split(CodeHealthEE, CodeHealthER, health, health.Mul(half), zero); err != nil {
		return err
	}
	careEE, _, _, surcharge, reduction := careRates(r, prof, c)
	sur, err := be.MulRate(surcharge, money.HalfUp)
	if err != nil {
		return err
	}
	red, err := eb.MulRate(reduction, money.HalfUp)
	if err != nil {
		return err
	}
	extra, err := sur.Sub(red)
	if err != nil {
		return err
	}
	if err := split(CodeCareEE, CodeCareER, r.Care, careEE, extra); err != nil {
		return err
	}
	if err := split(CodePensionEE, CodePensionER, r.Pension, r.Pension.Mul(half), zero); err != nil {
		return err
	}
	return split(CodeUnemplEE, CodeUnemplER, r.Unemployment, r.Unemployment.Mul(half), zero)
}

// transitionTotal returns the total contribution of one branch on the
// transition zone's assessment base be at the full rate: be × full ÷ 2
// rounded half up to the cent, doubled (§ 2 Abs. 1 Satz 1 BVV, applied to
// the total by § 2 Abs. 2 BVV). Rounding the half and doubling can give one
// cent more or less than rounding be × full: the Minijob-Zentrale's example
// at 521 € in 2023 (BE 365.61) has care 365.61 × 1.525 % = 5.5755525 →
// 5.58 → 11.16 where 365.61 × 3.05 % = 11.151105 → 11.15. The pack applies
// the same rule to care in Saxony, where only the employee's share on BE_AN
// differs; no official Saxon example was found to confirm it.
func transitionTotal(be money.Amount, full decimal.Decimal) (money.Amount, error) {
	h, err := be.MulRate(full.Mul(half), money.HalfUp)
	if err != nil {
		return money.Amount{}, err
	}
	return h.Mul(2)
}

// minijob adds the flat-rate contributions of a mini-job on its pay: the
// employer's health (13 %) and pension (15 %) contributions, the employee's
// pension top-up to the full rate (the full contribution less the
// employer's, both rounded half up) unless exempt, the flat-rate tax (2 %)
// and the Minijob-Zentrale's U1, U2 and the insolvency levy. There is no
// ceiling: the pay is below every one.
func (p *pack) minijob(c *payroll.Calc, r *Rates, prof *profile, pay money.Amount) error {
	m, ms := r.Minijob, p.acc.MinijobSocial
	rvER, err := pay.MulRate(m.Pension, money.HalfUp)
	if err != nil {
		return err
	}
	if err := p.shareOf(c, CodeHealthER, false, pay, m.Health, ms); err != nil {
		return err
	}
	if err := p.share(c, CodePensionER, false, pay, m.Pension, rvER, ms); err != nil {
		return err
	}
	if !prof.exempt {
		// The full rate on the pay, or on the minimum base if the pay is
		// below it (for a month in part, the minimum's share by days).
		base := pay
		minimum := m.PensionMinimum
		if days := socialDays(c); days < 30 && !minimum.IsZero() {
			if minimum, err = payroll.MulDiv(minimum, decimal.NewFromInt(days), decimal.NewFromInt(30), money.HalfUp); err != nil {
				return err
			}
		}
		if lt, _ := pay.Cmp(minimum); lt < 0 && !minimum.IsZero() {
			base = minimum
		}
		full, err := base.MulRate(m.Pension.Add(m.PensionEmployee), money.HalfUp)
		if err != nil {
			return err
		}
		ee, err := full.Sub(rvER)
		if err != nil {
			return err
		}
		if err := p.share(c, CodePensionEE, true, pay, m.PensionEmployee, ee, ""); err != nil {
			return err
		}
	}
	if err := p.shareOf(c, CodeFlatTax, false, pay, m.FlatTax, p.acc.FlatTaxExpense); err != nil {
		return err
	}
	if err := p.shareOf(c, CodeU1, false, pay, m.U1, ms); err != nil {
		return err
	}
	if err := p.shareOf(c, CodeU2, false, pay, m.U2, ms); err != nil {
		return err
	}
	return p.shareOf(c, CodeInsolvency, false, pay, r.Insolvency, ms)
}
