// Package generic is a rule pack for payroll configured entirely as data:
// flat and progressive taxes (per period or annualised), percentage
// contributions with annual ceilings split between employee and employer,
// pre-tax deductions (a pension deferral reduces the taxable base) and
// post-tax deductions (garnishments). It models no jurisdiction; it is the
// pack to start from, to test with, and to copy.
//
//	pack, err := generic.New(generic.Config{ID: "generic", Version: "2026.1", …})
//	slip, err := payroll.Calculate(input, pack)
//
// # Rules
//
// New returns a *payroll.Pack with five rules, run in this order:
//
//  1. RuleEarnings: the salary of each segment (PeriodSalary, prorated by
//     the pack's or the employee's method, rounded with Config.Rounding);
//     hours from time entries (HoursPay: hourly contracts are paid every
//     kind of hours at its multiplier, 1 if none is set; salaried contracts
//     are paid only the kinds with a multiplier, at the hourly equivalent,
//     as their regular hours are in the salary); recurring allowances and
//     benefits in kind (prorated like the salary); one-time items.
//  2. RulePreTax: pension deferrals, prorated, reducing the bases they list.
//  3. RuleContributions: each Contribution on its base, capped by the
//     annual ceiling less the capped base of earlier periods this year.
//  4. RuleTaxes: each Tax on its base.
//  5. RulePostTax: garnishments, in full, not prorated.
//
// Insert custom rules with Pack.InsertBefore: an extra earning before
// RulePreTax, a surcharge on a tax after RuleTaxes (append).
//
// # Line codes
//
// "salary"; "hours.<kind>" ("hours.overtime"); "<item kind>.<item code>"
// for recurring items ("allowance.VWL", "pension_deferral.BAV",
// "garnishment.G1"); the item's Code, else its type, for one-time items
// ("bonus"); a Tax's Code; a Contribution's Code + ".employee", ".employer"
// and ".base" (the capped base, an information line, only with a ceiling).
//
// # Rounding
//
// Earnings round with Config.Rounding: once for the period salary
// (annual ÷ periods), once for the proration, once per hours line. Each
// contribution share rounds once with the Contribution's mode. A
// per-period tax rounds once; an annualised tax rounds the annual tax, then
// the annual tax ÷ periods, both with the Tax's mode.
//
// A pack is immutable once New returns it and safe for concurrent use; New
// keeps the Config's tables and maps, which must not change afterwards.
package generic

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
)

// The names of the pack's rules, in the order they run.
const (
	RuleEarnings      = "generic.earnings"
	RulePreTax        = "generic.pre_tax"
	RuleContributions = "generic.contributions"
	RuleTaxes         = "generic.taxes"
	RulePostTax       = "generic.post_tax"
)

// Config configures a generic pack version. It is data: write it as a
// literal or load it from a file.
type Config struct {
	// ID and Version name the pack version; ValidFrom and ValidTo (zero:
	// no end) bound the periods it calculates, by their last day.
	ID, Version        string
	ValidFrom, ValidTo date.Date
	// Rounding is the mode of every earnings rounding; required.
	Rounding money.RoundingMode
	// Proration is the proration policy; Method is required.
	Proration payroll.Proration
	// Bases are the bases pay counts in unless a Treatment says otherwise,
	// such as {"tax", "social"}.
	Bases []string
	// WageAccount is the expense account earnings post to.
	WageAccount string
	// Multipliers are the pay multipliers of hour kinds by validity date
	// (overtime 1.5 …); may be empty. See the package documentation for
	// how hourly and salaried contracts use them.
	Multipliers payroll.Table[Multipliers]
	// Items treat the recurring pay items of contracts, by kind. A missing
	// kind takes the defaults: allowances and benefits count in Bases, a
	// pension deferral reduces Bases, a garnishment counts in none.
	Items map[hr.ItemKind]Treatment
	// OneTime treat one-time items, by type. A missing type takes the
	// defaults: an expense counts in no base, the others in Bases.
	OneTime map[hr.ItemType]Treatment
	// Contributions are computed in order, before the taxes.
	Contributions []Contribution
	// Taxes are computed in order.
	Taxes []Tax
}

// Multipliers are pay multipliers by hour kind: {hr.Overtime: 1.5}.
type Multipliers map[hr.HourKind]decimal.Decimal

// Treatment says how an item counts: the bases it counts in (a nil Bases
// means the default, an empty non-nil one none) and its account. An empty
// Account means WageAccount for allowances and one-time items, and no
// account (a line not posted) for the other kinds: benefits in kind are
// not paid, and deferrals and garnishments need the liability account of
// their plan or creditor.
type Treatment struct {
	Bases   []string
	Account string
}

// Contribution is a percentage contribution (social security, a pension
// plan) on a base, split into an employee and an employer share.
type Contribution struct {
	// Code is the stem of the line codes: Code+".employee", ".employer",
	// ".base".
	Code string
	// Base is the base it is computed on.
	Base string
	// Rates are the rates and ceiling by validity date; required.
	Rates payroll.Table[Rates]
	// Kind is the kind of the employee share: payroll.Tax (the default,
	// a withholding that reduces no base) or payroll.PreTaxDeduction,
	// which reduces the bases in Reduces.
	Kind    payroll.Kind
	Reduces []string
	// Rounding is the mode of both shares; required.
	Rounding money.RoundingMode
	// EmployeeAccount is the liability account of the employee share,
	// EmployerAccount that of the employer share and EmployerExpense the
	// expense account of the employer share.
	EmployeeAccount, EmployerAccount, EmployerExpense string
}

// Rates are the rates of a Contribution: fractions, 0.093 for 9.3 %.
type Rates struct {
	Employee, Employer decimal.Decimal
	// AnnualCeiling caps the base per year (a contribution ceiling, a
	// wage base); zero for none.
	AnnualCeiling money.Amount
}

// Tax is a tax on a base by brackets: a flat tax is one bracket over zero.
// A base of zero or less is taxed nothing (no line).
type Tax struct {
	// Code is the line code.
	Code string
	// Base is the base it is computed on.
	Base string
	// Brackets are the brackets by validity date; required.
	Brackets payroll.Table[[]Bracket]
	// Annual says the brackets are annual amounts: the period base is
	// annualised (× periods per year), taxed, rounded to an annual tax and
	// divided by the periods per year. Otherwise the brackets apply to the
	// period base as it is.
	Annual bool
	// Rounding is the mode of the tax's roundings; required.
	Rounding money.RoundingMode
	// Account is the liability account.
	Account string
}

// Bracket is one bracket of a Tax: Rate applies to the part of the base
// above Over, up to the next bracket's Over. Brackets are in ascending
// order and the first is over zero.
type Bracket struct {
	Over money.Amount
	Rate decimal.Decimal
}

// New checks cfg and returns the pack version it configures. It fails
// with an error wrapping payroll.ErrInvalidPack for a malformed config.
func New(cfg Config) (*payroll.Pack, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	p := &pack{cfg: cfg}
	pk := &payroll.Pack{
		ID: cfg.ID, Version: cfg.Version, ValidFrom: cfg.ValidFrom, ValidTo: cfg.ValidTo,
		Proration: cfg.Proration,
		Rules: []payroll.Rule{
			payroll.RuleFunc(RuleEarnings, p.earnings),
			payroll.RuleFunc(RulePreTax, p.preTax),
			payroll.RuleFunc(RuleContributions, p.contributions),
			payroll.RuleFunc(RuleTaxes, p.taxes),
			payroll.RuleFunc(RulePostTax, p.postTax),
		},
	}
	if err := pk.Validate(); err != nil {
		return nil, err
	}
	return pk, nil
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: generic: "+format, append([]any{payroll.ErrInvalidPack}, args...)...)
}

func validMode(m money.RoundingMode) bool {
	_, err := money.Zero(money.Currency{}).Div(1, m)
	return err == nil
}

func (cfg *Config) validate() error {
	switch {
	case cfg.ID == "" || cfg.Version == "":
		return invalid("ID and version required")
	case !validMode(cfg.Rounding):
		return invalid("rounding mode required")
	}
	if err := cfg.Multipliers.Validate(); err != nil {
		return err
	}
	for _, c := range cfg.Contributions {
		switch {
		case c.Code == "" || c.Base == "":
			return invalid("contribution needs a code and a base")
		case len(c.Rates) == 0:
			return invalid("contribution %s has no rates", c.Code)
		case !validMode(c.Rounding):
			return invalid("contribution %s: rounding mode required", c.Code)
		case c.Kind != "" && c.Kind != payroll.Tax && c.Kind != payroll.PreTaxDeduction:
			return invalid("contribution %s: kind must be tax or pre_tax_deduction", c.Code)
		case len(c.Reduces) > 0 && c.Kind != payroll.PreTaxDeduction:
			return invalid("contribution %s: only a pre-tax deduction reduces bases", c.Code)
		}
		if err := c.Rates.Validate(); err != nil {
			return err
		}
		for _, r := range c.Rates {
			if r.Value.Employee.IsNegative() || r.Value.Employer.IsNegative() || r.Value.AnnualCeiling.IsNegative() {
				return invalid("contribution %s: negative rate or ceiling", c.Code)
			}
		}
	}
	for _, t := range cfg.Taxes {
		switch {
		case t.Code == "" || t.Base == "":
			return invalid("tax needs a code and a base")
		case len(t.Brackets) == 0:
			return invalid("tax %s has no brackets", t.Code)
		case !validMode(t.Rounding):
			return invalid("tax %s: rounding mode required", t.Code)
		}
		if err := t.Brackets.Validate(); err != nil {
			return err
		}
		for _, e := range t.Brackets {
			bs := e.Value
			if len(bs) == 0 || !bs[0].Over.IsZero() {
				return invalid("tax %s: brackets must start over zero", t.Code)
			}
			for i, b := range bs {
				if b.Rate.IsNegative() {
					return invalid("tax %s: negative rate", t.Code)
				}
				if i > 0 && (!bs[i-1].Over.Decimal().LessThan(b.Over.Decimal()) ||
					i > 1 && bs[i-1].Over.Currency() != b.Over.Currency()) {
					return invalid("tax %s: brackets must ascend in one currency", t.Code)
				}
			}
		}
	}
	return nil
}

// pack holds the configuration the rules read.
type pack struct{ cfg Config }

// item returns the bases and account of a recurring item kind.
func (p *pack) item(k hr.ItemKind) (bases []string, account string) {
	t, ok := p.cfg.Items[k]
	bases, account = t.Bases, t.Account
	if !ok || bases == nil {
		if k != hr.Garnishment {
			bases = p.cfg.Bases
		}
	}
	if account == "" && k == hr.Allowance {
		account = p.cfg.WageAccount
	}
	return bases, account
}

// oneTime returns the bases and account of a one-time item type.
func (p *pack) oneTime(t hr.ItemType) (bases []string, account string) {
	tr, ok := p.cfg.OneTime[t]
	bases, account = tr.Bases, tr.Account
	if (!ok || bases == nil) && t != hr.Expense {
		bases = p.cfg.Bases
	}
	if account == "" {
		account = p.cfg.WageAccount
	}
	return bases, account
}

// fraction renders weights as a reduced fraction and the method.
func fraction(paid, total int64, m payroll.ProrationMethod) string {
	a, b := paid, total
	for b != 0 {
		a, b = b, a%b
	}
	if a == 0 {
		a = 1
	}
	return strconv.FormatInt(paid/a, 10) + "/" + strconv.FormatInt(total/a, 10) + " " + string(m)
}

func (p *pack) earnings(c *payroll.Calc) error {
	segs := c.Segments()
	ppy := c.PeriodsPerYear()
	m := p.cfg.Rounding

	// Salary, prorated over the segments.
	full := make([]money.Amount, len(segs))
	salaried := false
	for i := range segs {
		full[i] = money.Zero(c.Currency())
		if segs[i].Contract.PayType == hr.Hourly {
			continue
		}
		salaried = true
		var err error
		if full[i], err = payroll.PeriodSalary(segs[i].Contract, ppy, m); err != nil {
			return err
		}
	}
	if salaried {
		paid, err := c.Prorate(full, m)
		if err != nil {
			return err
		}
		for i, s := range segs {
			if s.Contract.PayType == hr.Hourly || paid[i].IsZero() {
				continue
			}
			err := c.Add(payroll.Line{Code: "salary", Kind: payroll.Earning, Amount: paid[i],
				Bases: p.cfg.Bases, Account: p.cfg.WageAccount, From: s.From, To: s.To,
				Trace: []payroll.Step{
					{Name: "contract", Value: string(s.Contract.PayType) + " " + s.Contract.Amount.String()},
					{Name: "period salary", Value: full[i].String()},
					{Name: "paid", Value: fraction(s.Paid, s.Total, c.Proration())},
				}})
			if err != nil {
				return err
			}
		}
	}

	if err := p.hours(c); err != nil {
		return err
	}
	if err := p.recurring(c, hr.Allowance, payroll.Earning); err != nil {
		return err
	}
	if err := p.recurring(c, hr.Benefit, payroll.Information); err != nil {
		return err
	}

	for _, it := range c.Items() {
		code := it.Code
		if code == "" {
			code = string(it.Type)
		}
		bases, account := p.oneTime(it.Type)
		err := c.Add(payroll.Line{Code: code, Kind: payroll.Earning, Amount: it.Amount, Bases: bases,
			Account: account, From: it.Date, To: it.Date,
			Trace: []payroll.Step{{Name: "item", Value: it.Key}}})
		if err != nil {
			return err
		}
	}
	return nil
}

// hourKinds fixes the order of hours lines.
var hourKinds = [...]hr.HourKind{hr.Regular, hr.Overtime, hr.Night, hr.Holiday}

func (p *pack) hours(c *payroll.Calc) error {
	entries := c.Time()
	if len(entries) == 0 {
		return nil
	}
	segs := c.Segments()
	mult, _ := p.cfg.Multipliers.At(c.On())
	var sums [len(hourKinds)]decimal.Decimal
	for si, s := range segs {
		clear(sums[:])
		found := false
		for _, e := range entries {
			if e.Date.Before(s.From) || e.Date.After(s.To) {
				continue
			}
			for k, hk := range hourKinds {
				if e.Kind == hk {
					sums[k] = sums[k].Add(e.Hours)
					found = true
				}
			}
		}
		if !found {
			continue
		}
		ct := s.Contract
		for k, hk := range hourKinds {
			h := sums[k]
			if h.IsZero() {
				continue
			}
			f, ok := mult[hk]
			switch {
			case ct.PayType == hr.Hourly && !ok:
				f = decimal.NewFromInt(1)
			case ct.PayType != hr.Hourly && (hk == hr.Regular || !ok):
				continue // in the salary
			}
			amount, err := payroll.HoursPay(ct, h, f, p.cfg.Rounding)
			if err != nil {
				return err
			}
			rate := decimal.Zero
			if ct.PayType == hr.Hourly {
				rate = ct.Amount.Decimal().Mul(f)
			}
			err = c.Add(payroll.Line{Code: "hours." + string(hk), Kind: payroll.Earning, Quantity: h, Rate: rate,
				Amount: amount, Bases: p.cfg.Bases, Account: p.cfg.WageAccount, From: s.From, To: s.To,
				Trace: []payroll.Step{
					{Name: "contract", Value: string(ct.PayType) + " " + ct.Amount.String()},
					{Name: "multiplier", Value: f.String()},
					{Name: "segment", Value: strconv.Itoa(si + 1)},
				}})
			if err != nil {
				return err
			}
		}
	}
	// Hours on days outside every segment would be lost: refuse them.
	for _, e := range entries {
		in := false
		for _, s := range segs {
			if !e.Date.Before(s.From) && !e.Date.After(s.To) {
				in = true
				break
			}
		}
		if !in {
			return fmt.Errorf("%w: time recorded on %s, a day without employment or contract", payroll.ErrInvalidInput, e.Date)
		}
	}
	return nil
}

// recurring adds a line per item code of the given kind, prorated like the
// salary over the segments whose contract has it.
func (p *pack) recurring(c *payroll.Calc, kind hr.ItemKind, lk payroll.Kind) error {
	segs := c.Segments()
	var codes []string
	for _, s := range segs {
		for _, it := range s.Contract.Items {
			if it.Kind == kind && !slices.Contains(codes, it.Code) {
				codes = append(codes, it.Code)
			}
		}
	}
	if len(codes) == 0 {
		return nil
	}
	bases, account := p.item(kind)
	full := make([]money.Amount, len(segs))
	for _, code := range codes {
		var per money.Amount // the latest version's amount, for the trace
		for i, s := range segs {
			full[i] = money.Zero(c.Currency())
			for _, it := range s.Contract.Items {
				if it.Kind == kind && it.Code == code {
					full[i], per = it.Amount, it.Amount
				}
			}
		}
		paid, err := c.Prorate(full, p.cfg.Rounding)
		if err != nil {
			return err
		}
		total, err := money.Sum(c.Currency(), paid...)
		if err != nil {
			return err
		}
		if total.IsZero() {
			continue
		}
		err = c.Add(payroll.Line{Code: string(kind) + "." + code, Kind: lk, Amount: total, Bases: bases,
			Account: account, Trace: []payroll.Step{{Name: "per period", Value: per.String()}}})
		if err != nil {
			return err
		}
	}
	return nil
}

func (p *pack) preTax(c *payroll.Calc) error {
	return p.recurring(c, hr.PensionDeferral, payroll.PreTaxDeduction)
}

func (p *pack) postTax(c *payroll.Calc) error {
	segs := c.Segments()
	_, account := p.item(hr.Garnishment)
	var done []string
	for i := len(segs) - 1; i >= 0; i-- { // the latest version's amount
		for _, it := range segs[i].Contract.Items {
			if it.Kind != hr.Garnishment || slices.Contains(done, it.Code) {
				continue
			}
			done = append(done, it.Code)
			err := c.Add(payroll.Line{Code: string(hr.Garnishment) + "." + it.Code, Kind: payroll.PostTaxDeduction,
				Amount: it.Amount, Account: account})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

func noVersion(what string, on date.Date) error {
	return fmt.Errorf("%w: %s has no entry valid on %s", payroll.ErrNoPackVersion, what, on)
}

func (p *pack) contributions(c *payroll.Calc) error {
	for _, cb := range p.cfg.Contributions {
		rates, ok := cb.Rates.At(c.On())
		if !ok {
			return noVersion("contribution "+cb.Code, c.On())
		}
		base, err := c.Base(cb.Base)
		if err != nil {
			return err
		}
		capped := base
		trace := []payroll.Step{{Name: "base " + cb.Base, Value: base.String()}}
		if !rates.AnnualCeiling.IsZero() {
			if rates.AnnualCeiling.Currency() != c.Currency() {
				return fmt.Errorf("%w: contribution %s ceiling", payroll.ErrCurrency, cb.Code)
			}
			used := c.YTDLine(cb.Code + ".base").Year
			room, err := rates.AnnualCeiling.Sub(used)
			if err != nil {
				return err
			}
			if room.IsNegative() {
				room = money.Zero(c.Currency())
			}
			if cmp, _ := capped.Cmp(room); cmp > 0 {
				capped = room
			}
			trace = append(trace,
				payroll.Step{Name: "annual ceiling", Value: rates.AnnualCeiling.String()},
				payroll.Step{Name: "capped base earlier this year", Value: used.String()},
				payroll.Step{Name: "capped base", Value: capped.String()})
			if err := c.Add(payroll.Line{Code: cb.Code + ".base", Kind: payroll.Information, Basis: base,
				Amount: capped, Trace: trace}); err != nil {
				return err
			}
		}
		kind := cb.Kind
		if kind == "" {
			kind = payroll.Tax
		}
		ee, err := capped.MulRate(rates.Employee, cb.Rounding)
		if err != nil {
			return err
		}
		if !ee.IsZero() {
			if err := c.Add(payroll.Line{Code: cb.Code + ".employee", Kind: kind, Basis: capped, Rate: rates.Employee,
				Amount: ee, Bases: cb.Reduces, Account: cb.EmployeeAccount, Trace: trace}); err != nil {
				return err
			}
		}
		er, err := capped.MulRate(rates.Employer, cb.Rounding)
		if err != nil {
			return err
		}
		if !er.IsZero() {
			if err := c.Add(payroll.Line{Code: cb.Code + ".employer", Kind: payroll.EmployerContribution, Basis: capped,
				Rate: rates.Employer, Amount: er, Account: cb.EmployerAccount, Offset: cb.EmployerExpense,
				Trace: trace}); err != nil {
				return err
			}
		}
	}
	return nil
}

func (p *pack) taxes(c *payroll.Calc) error {
	cur := c.Currency()
	for _, t := range p.cfg.Taxes {
		brackets, ok := t.Brackets.At(c.On())
		if !ok {
			return noVersion("tax "+t.Code, c.On())
		}
		base, err := c.Base(t.Base)
		if err != nil {
			return err
		}
		if !base.IsPositive() {
			continue
		}
		taxed := base
		ppy := int64(c.PeriodsPerYear())
		if t.Annual {
			if taxed, err = base.Mul(ppy); err != nil {
				return err
			}
		}
		exact, err := bracketTax(taxed, brackets, cur)
		if err != nil {
			return fmt.Errorf("tax %s: %w", t.Code, err)
		}
		amount, err := money.FromDecimalRounded(exact, cur, t.Rounding)
		if err != nil {
			return err
		}
		trace := []payroll.Step{{Name: "base " + t.Base, Value: base.String()}}
		if t.Annual {
			trace = append(trace,
				payroll.Step{Name: "annual base", Value: taxed.String()},
				payroll.Step{Name: "annual tax", Value: amount.String()})
			if amount, err = amount.Div(ppy, t.Rounding); err != nil {
				return err
			}
		}
		if amount.IsZero() {
			continue
		}
		var rate decimal.Decimal
		if len(brackets) == 1 {
			rate = brackets[0].Rate
		}
		if err := c.Add(payroll.Line{Code: t.Code, Kind: payroll.Tax, Basis: base, Rate: rate, Amount: amount,
			Account: t.Account, Trace: trace}); err != nil {
			return err
		}
	}
	return nil
}

// bracketTax returns the exact tax on base: Σ rate × the part of base in
// each bracket.
func bracketTax(base money.Amount, bs []Bracket, cur money.Currency) (decimal.Decimal, error) {
	sum := decimal.Zero
	b := base.Decimal()
	for i, br := range bs {
		if !br.Over.IsZero() && br.Over.Currency() != cur {
			return decimal.Decimal{}, payroll.ErrCurrency
		}
		lo := br.Over.Decimal()
		if !b.GreaterThan(lo) {
			break
		}
		hi := b
		if i+1 < len(bs) {
			if next := bs[i+1].Over.Decimal(); next.LessThan(hi) {
				hi = next
			}
		}
		sum = sum.Add(hi.Sub(lo).Mul(br.Rate))
	}
	return sum, nil
}
