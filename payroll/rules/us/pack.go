package us

import (
	"fmt"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/payroll/rules/generic"
)

// The names of the pack's rules, in the order they run.
const (
	RuleEarnings           = "us.earnings"
	RulePreTax             = "us.pre_tax"
	RuleFederalWithholding = "us.federal_withholding"
	RuleFICA               = "us.fica"
	RuleFUTA               = "us.futa"
	RulePostTax            = "us.post_tax"
)

// The bases the pack's lines count in. A state pack reads them (most states
// start from federal income-tax wages) or adds its own.
const (
	// BaseFIT is regular federal income-tax wages: earnings other than
	// supplemental wages, less 401(k) and section 125 deductions.
	BaseFIT = "us.fit"
	// BaseSupplemental is supplemental wages (bonuses and commissions) for
	// federal income tax.
	BaseSupplemental = "us.fit_supplemental"
	// BaseFICA is Social Security and Medicare wages: all earnings less
	// section 125 deductions.
	BaseFICA = "us.fica"
	// BaseFUTA is FUTA wages: all earnings less section 125 deductions.
	BaseFUTA = "us.futa"
)

// Plan is the tax treatment of a deduction recorded as an hr.PensionDeferral
// pay item. hr has no item kinds for 401(k) or section 125 deductions, so
// Config.Plans maps item codes to plans.
type Plan string

// Plans.
const (
	// Traditional401k is an elective deferral into a 401(k) (or 403(b),
	// 457(b)) plan: it reduces federal income-tax wages, not FICA or FUTA
	// wages. It is the plan of an item code Config.Plans does not list.
	Traditional401k Plan = "401k"
	// Section125 is a salary reduction under a section 125 cafeteria plan
	// (health premiums): it reduces income-tax, FICA and FUTA wages.
	Section125 Plan = "section125"
	// Roth401k is a designated Roth contribution: withheld after tax, it
	// reduces no wages.
	Roth401k Plan = "roth401k"
)

// SupplementalMethod is how income tax is withheld from supplemental
// wages (bonuses, commissions) up to 1,000,000 in the year. Above it the
// mandatory 37 % applies whatever the method and the Form W-4.
type SupplementalMethod int

const (
	// Aggregate, the default, adds the period's supplemental wages to its
	// regular wages and works Worksheet 1A on the sum.
	Aggregate SupplementalMethod = iota
	// Flat withholds the optional flat 22 % from supplemental wages and
	// works Worksheet 1A on regular wages only. The employer may use it only
	// if it withheld income tax from the employee's regular wages this or
	// the previous year (Publication 15, section 7); the pack does not check.
	Flat
)

// Accounts are the ledger accounts the pack puts on its lines
// (Line.Account and, for employer taxes, Line.Offset).
type Accounts struct {
	Wages              string // expense of earnings
	EmployerTaxes      string // expense of employer Social Security, Medicare and FUTA
	FederalWithholding string // liability of federal income tax withheld
	FICA               string // liability of employee and employer Social Security and Medicare
	FUTA               string // liability of FUTA
	NetPay             string // liability of net pay, for the poster; no line carries it
	// Deductions is the liability of plan deductions and garnishments; ""
	// leaves those lines without an account.
	Deductions string
}

// DefaultAccounts returns the mapping against the default chart
// (ledger.DefaultChart): 6100 Salaries (wages expense), 6110 Employer
// social security (employer payroll tax expense), 2140 Payroll tax payable
// (federal withholding, Form 941), 2145 Federal unemployment tax payable
// (FUTA, Form 940), 2150 Social security payable (FICA payable), 2130 Wages
// payable (net pay payable). Deductions stays empty: the chart has no benefit-plan
// liability.
func DefaultAccounts() Accounts {
	return Accounts{Wages: "6100", EmployerTaxes: "6110", FederalWithholding: "2140", FICA: "2150",
		FUTA: "2145", NetPay: "2130"}
}

// Config configures the pack. The zero Config (or a nil *Config) is the
// default pack: every field's zero value says what it means.
type Config struct {
	// ID and Version name the pack version; "" means "us" and "2026.1".
	ID, Version string
	// ValidFrom and ValidTo bound the periods the version calculates, by
	// their last day; zero ValidFrom means 2025-01-01, zero ValidTo no end.
	ValidFrom, ValidTo date.Date
	// Tables are the federal data by date; nil means FederalTables().
	Tables payroll.Table[Federal]
	// Proration is the proration policy; a zero Method means WorkingDays.
	Proration payroll.Proration
	// Rounding is the mode of the earnings roundings (period salary,
	// proration, hours); zero means money.HalfUp. Taxes always round half
	// up to the cent.
	Rounding money.RoundingMode
	// Multipliers are the pay multipliers of hour kinds; nil means
	// overtime at 1.5 (FLSA) from 2025-01-01.
	Multipliers payroll.Table[generic.Multipliers]
	// Withholding rounds federal income tax withheld: Cents (the default)
	// or WholeDollars.
	Withholding Rounding
	// Supplemental is the method for supplemental wages; the default is
	// Aggregate.
	Supplemental SupplementalMethod
	// Plans maps the codes of hr.PensionDeferral pay items to their plan;
	// a code not listed is Traditional401k.
	Plans map[string]Plan
	// Accounts are the ledger accounts; the zero value means
	// DefaultAccounts().
	Accounts Accounts
}

// New returns the US federal pack version cfg configures (nil: the
// defaults). It fails with an error wrapping payroll.ErrInvalidPack for a
// malformed configuration or tables. The pack is immutable once New
// returns it and safe for concurrent use; New keeps cfg's tables and maps,
// which must not change afterwards.
func New(cfg *Config) (*payroll.Pack, error) {
	var c Config
	if cfg != nil {
		c = *cfg
	}
	if c.ID == "" {
		c.ID = "us"
	}
	if c.Version == "" {
		c.Version = "2026.1"
	}
	if c.ValidFrom.IsZero() {
		c.ValidFrom = date.New(2025, 1, 1)
	}
	if c.Tables == nil {
		c.Tables = FederalTables()
	}
	if c.Proration.Method == "" {
		c.Proration.Method = payroll.WorkingDays
	}
	if c.Rounding == 0 {
		c.Rounding = money.HalfUp
	}
	if c.Multipliers == nil {
		c.Multipliers = payroll.Table[generic.Multipliers]{{From: date.New(2025, 1, 1),
			Value: generic.Multipliers{hr.Overtime: decimal.RequireFromString("1.5")}}}
	}
	if c.Accounts == (Accounts{}) {
		c.Accounts = DefaultAccounts()
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	a := c.Accounts
	supplemental := []string{BaseSupplemental, BaseFICA, BaseFUTA}
	gp, err := generic.New(generic.Config{
		ID: c.ID, Version: c.Version, ValidFrom: c.ValidFrom, ValidTo: c.ValidTo,
		Rounding: c.Rounding, Proration: c.Proration,
		Bases:       []string{BaseFIT, BaseFICA, BaseFUTA},
		WageAccount: a.Wages, Multipliers: c.Multipliers,
		Items: map[hr.ItemKind]generic.Treatment{hr.Garnishment: {Account: a.Deductions}},
		OneTime: map[hr.ItemType]generic.Treatment{
			hr.Bonus: {Bases: supplemental}, hr.Commission: {Bases: supplemental},
		},
	})
	if err != nil {
		return nil, err
	}
	earnings, postTax := ruleOf(gp, generic.RuleEarnings), ruleOf(gp, generic.RulePostTax)
	p := &pack{cfg: c}
	pk := &payroll.Pack{
		ID: c.ID, Version: c.Version, ValidFrom: c.ValidFrom, ValidTo: c.ValidTo, Proration: c.Proration,
		Rules: []payroll.Rule{
			payroll.RuleFunc(RuleEarnings, earnings.Apply),
			payroll.RuleFunc(RulePreTax, p.preTax),
			payroll.RuleFunc(RuleFederalWithholding, p.withholding),
			payroll.RuleFunc(RuleFICA, p.fica),
			payroll.RuleFunc(RuleFUTA, p.futa),
			payroll.RuleFunc(RulePostTax, postTax.Apply),
		},
	}
	if err := pk.Validate(); err != nil {
		return nil, err
	}
	return pk, nil
}

func ruleOf(p *payroll.Pack, name string) payroll.Rule {
	for _, r := range p.Rules {
		if r.Name() == name {
			return r
		}
	}
	panic("us: generic pack without rule " + name) // generic's rule names are constants
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: us: "+format, append([]any{payroll.ErrInvalidPack}, args...)...)
}

func (c *Config) validate() error {
	if err := c.Tables.Validate(); err != nil {
		return err
	}
	if len(c.Tables) == 0 {
		return invalid("no federal tables")
	}
	for _, e := range c.Tables {
		f := &e.Value
		if f.Year != e.From.Year() {
			return invalid("federal table from %s is for %d", e.From, f.Year)
		}
		for _, m := range []map[hr.FilingStatus]Schedule{f.Standard, f.Checkbox} {
			for _, st := range []hr.FilingStatus{hr.Single, hr.MarriedJointly, hr.HeadOfHousehold} {
				s := m[st]
				if len(s) == 0 || !s[0].AtLeast.IsZero() {
					return invalid("federal table %d: %s: rows must start at zero", f.Year, st)
				}
			}
		}
	}
	switch {
	case c.Withholding != Cents && c.Withholding != WholeDollars:
		return invalid("unknown withholding rounding")
	case c.Supplemental != Aggregate && c.Supplemental != Flat:
		return invalid("unknown supplemental method")
	}
	for code, pl := range c.Plans {
		if pl != Traditional401k && pl != Section125 && pl != Roth401k {
			return invalid("plan of item %s: unknown", code)
		}
	}
	return nil
}

// pack holds the configuration the rules read.
type pack struct{ cfg Config }

// PayDate returns the day a calculation's wages are paid, which decides
// the year of federal (and state) tables and wage bases: the period's pay
// date, or its last day if it has none.
func PayDate(c *payroll.Calc) date.Date {
	if d := c.Period().PayDate; !d.IsZero() {
		return d
	}
	return c.Period().End
}

// federal returns the year's data for the calculation, checking the pay
// currency and that the period accumulates into its pay date's year.
func (p *pack) federal(c *payroll.Calc) (*Federal, error) {
	id := c.Input().Employee.ID
	if c.Currency() != money.USD {
		return nil, fieldErr(id, "currency", payroll.ErrCurrency, "the pay currency must be USD")
	}
	d := PayDate(c)
	if y := c.Period().Year; y != 0 && y != d.Year() {
		return nil, fieldErr(id, "pay_date", ErrNoTable,
			"the period belongs to another year than its pay date: use a calendar with payroll.ByPayDate")
	}
	return federalOn(p.cfg.Tables, d, id)
}

func (p *pack) preTax(c *payroll.Calc) error {
	segs := c.Segments()
	var codes []string
	for _, s := range segs {
		for _, it := range s.Contract.Items {
			if it.Kind == hr.PensionDeferral && !slices.Contains(codes, it.Code) {
				codes = append(codes, it.Code)
			}
		}
	}
	full := make([]money.Amount, len(segs))
	for _, code := range codes {
		for i, s := range segs {
			full[i] = money.Zero(c.Currency())
			for _, it := range s.Contract.Items {
				if it.Kind == hr.PensionDeferral && it.Code == code {
					full[i] = it.Amount
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
		plan, ok := p.cfg.Plans[code]
		if !ok {
			plan = Traditional401k
		}
		l := payroll.Line{Code: string(hr.PensionDeferral) + "." + code, Kind: payroll.PreTaxDeduction,
			Amount: total, Account: p.cfg.Accounts.Deductions, Trace: []payroll.Step{{Name: "plan", Value: string(plan)}}}
		switch plan {
		case Traditional401k:
			l.Bases = []string{BaseFIT}
		case Section125:
			l.Bases = []string{BaseFIT, BaseFICA, BaseFUTA}
		case Roth401k:
			l.Kind = payroll.PostTaxDeduction
		}
		if err := c.Add(l); err != nil {
			return err
		}
	}
	return nil
}

var zeroUSD = money.Zero(money.USD)

func maxZero(a money.Amount) money.Amount {
	if a.IsNegative() {
		return zeroUSD
	}
	return a
}

func minAmount(a, b money.Amount) money.Amount {
	if c, _ := a.Cmp(b); c > 0 {
		return b
	}
	return a
}

// excess returns the part of x, added to ytd, that lies above limit:
// max(0, ytd + x − limit) − max(0, ytd − limit).
func excess(ytd, x, limit money.Amount, m *acc) money.Amount {
	return m.sub(maxZero(m.sub(m.add(ytd, x), limit)), maxZero(m.sub(ytd, limit)))
}

func (p *pack) withholding(c *payroll.Calc) error {
	fed, err := p.federal(c)
	if err != nil {
		return err
	}
	in := c.Input()
	id := in.Employee.ID
	if j := in.TaxProfile.Jurisdiction; j != "" && j != "US" && (len(j) < 4 || j[:3] != "US-") {
		return fieldErr(id, "jurisdiction", ErrInvalidW4, "not a US tax profile")
	}
	m := newAcc()
	reg, err := c.Base(BaseFIT)
	if err != nil {
		return err
	}
	sup, err := c.Base(BaseSupplemental)
	if err != nil {
		return err
	}
	// Supplemental wages above the mandatory threshold in the year.
	above := zeroUSD
	if sup.IsPositive() {
		above = excess(c.YTDBase(BaseSupplemental).Year, sup, fed.MandatoryThreshold, m)
	}
	below := m.sub(sup, above)
	wages := m.add(reg, below)
	flat := zeroUSD
	if in.TaxProfile.US.Exempt {
		// An exempt form covers supplemental wages too; only the mandatory
		// rate above the threshold applies whatever the form says.
		below, wages = zeroUSD, zeroUSD
	}
	if p.cfg.Supplemental == Flat {
		// A deduction beyond one kind of wages reduces the other.
		if reg.IsNegative() {
			below, reg = m.add(below, reg), zeroUSD
		}
		if below.IsNegative() {
			reg, below = m.add(reg, below), zeroUSD
		}
		wages = reg
		flat = m.rate(maxZero(below), fed.SupplementalRate, money.HalfUp)
	}
	if m.err != nil {
		return m.err
	}
	w4 := in.TaxProfile.US
	noForm := in.TaxProfile.Jurisdiction == "" && w4 == (hr.USTax{})
	if noForm {
		// No Form W-4 on file: withhold as a single filer with no other
		// entries (Pub. 15-T, "Employees who fail to furnish a Form W-4").
		w4.FilingStatus = hr.Single
	}
	ws, err := worksheet(&WorksheetInput{Employee: id, PayDate: PayDate(c), Frequency: FrequencyOf(c.Period().Frequency),
		Wages: maxZero(wages), W4: w4, Rounding: p.cfg.Withholding}, fed)
	if err != nil {
		return err
	}
	trace := ws.trace()
	if noForm {
		trace = append([]payroll.Step{{Name: "form", Value: "no Form W-4 on file: single, no adjustments"}}, trace...)
	}
	acct := p.cfg.Accounts.FederalWithholding
	if !ws.Withholding.IsZero() {
		if err := c.Add(payroll.Line{Code: "fit", Kind: payroll.Tax, Basis: ws.Line1a, Amount: ws.Withholding,
			Account: acct, Trace: trace}); err != nil {
			return err
		}
	}
	if !flat.IsZero() {
		if err := c.Add(payroll.Line{Code: "fit.supplemental", Kind: payroll.Tax, Basis: below,
			Rate: fed.SupplementalRate, Amount: flat, Account: acct}); err != nil {
			return err
		}
	}
	if above.IsPositive() {
		mand, err := above.MulRate(fed.MandatoryRate, money.HalfUp)
		if err != nil {
			return err
		}
		return c.Add(payroll.Line{Code: "fit.mandatory", Kind: payroll.Tax, Basis: above, Rate: fed.MandatoryRate,
			Amount: mand, Account: acct, Trace: []payroll.Step{
				{Name: "supplemental wages earlier this year", Value: c.YTDBase(BaseSupplemental).Year.String()},
				{Name: "threshold", Value: fed.MandatoryThreshold.String()}}})
	}
	return nil
}

// trace lists the worksheet's lines for the payslip.
func (w *Worksheet) trace() []payroll.Step {
	s := []payroll.Step{
		{Name: "table", Value: fmt.Sprintf("%d %s %s", w.Year, w.Table, w.FilingStatus)},
		{Name: "1a", Value: w.Line1a.String()}, {Name: "1b", Value: fmt.Sprint(w.Line1b)},
		{Name: "1c", Value: w.Line1c.String()}}
	if w.Pre2020 {
		s = append(s, payroll.Step{Name: "1j", Value: fmt.Sprint(w.Line1j)},
			payroll.Step{Name: "1k", Value: w.Line1k.String()}, payroll.Step{Name: "1l", Value: w.Line1l.String()})
	} else {
		for _, l := range []struct {
			n string
			a money.Amount
		}{{"1d", w.Line1d}, {"1e", w.Line1e}, {"1f", w.Line1f}, {"1g", w.Line1g}, {"1h", w.Line1h}, {"1i", w.Line1i}} {
			s = append(s, payroll.Step{Name: l.n, Value: l.a.String()})
		}
	}
	s = append(s, payroll.Step{Name: "2a", Value: w.Line2a.String()}, payroll.Step{Name: "2b", Value: w.Line2b.String()},
		payroll.Step{Name: "2c", Value: w.Line2c.String()}, payroll.Step{Name: "2d", Value: w.Line2d.String()})
	for _, l := range []struct {
		n string
		a money.Amount
	}{{"2e", w.Line2e}, {"2f", w.Line2f}, {"2g", w.Line2g}, {"2h", w.Line2h}, {"3a", w.Line3a}, {"3b", w.Line3b},
		{"3c", w.Line3c}, {"4a", w.Line4a}, {"4b", w.Line4b}} {
		s = append(s, payroll.Step{Name: l.n, Value: l.a.String()})
	}
	return s
}

func (p *pack) fica(c *payroll.Calc) error {
	fed, err := p.federal(c)
	if err != nil {
		return err
	}
	base, err := c.Base(BaseFICA)
	if err != nil || !base.IsPositive() {
		return err
	}
	ytd := c.YTDBase(BaseFICA).Year
	m := newAcc()
	ss := minAmount(base, maxZero(m.sub(fed.SocialSecurityWageBase, ytd)))
	addl := excess(ytd, base, fed.AdditionalMedicareThreshold, m)
	if m.err != nil {
		return m.err
	}
	a := p.cfg.Accounts
	if err := c.Add(payroll.Line{Code: "social_security.wages", Kind: payroll.Information, Basis: base, Amount: ss,
		Trace: []payroll.Step{{Name: "wage base", Value: fed.SocialSecurityWageBase.String()},
			{Name: "FICA wages earlier this year", Value: ytd.String()}}}); err != nil {
		return err
	}
	type share struct {
		code  string
		kind  payroll.Kind
		basis money.Amount
		rate  decimal.Decimal
	}
	for _, s := range []share{
		{"social_security.employee", payroll.Tax, ss, fed.SocialSecurityRate},
		{"social_security.employer", payroll.EmployerContribution, ss, fed.SocialSecurityRate},
		{"medicare.employee", payroll.Tax, base, fed.MedicareRate},
		{"medicare.employer", payroll.EmployerContribution, base, fed.MedicareRate},
		{"additional_medicare.employee", payroll.Tax, addl, fed.AdditionalMedicareRate},
	} {
		amt, err := s.basis.MulRate(s.rate, money.HalfUp)
		if err != nil {
			return err
		}
		if amt.IsZero() {
			continue
		}
		l := payroll.Line{Code: s.code, Kind: s.kind, Basis: s.basis, Rate: s.rate, Amount: amt, Account: a.FICA}
		if s.kind == payroll.EmployerContribution {
			l.Offset = a.EmployerTaxes
		}
		if err := c.Add(l); err != nil {
			return err
		}
	}
	return nil
}

func (p *pack) futa(c *payroll.Calc) error {
	fed, err := p.federal(c)
	if err != nil {
		return err
	}
	base, err := c.Base(BaseFUTA)
	if err != nil || !base.IsPositive() {
		return err
	}
	ytd := c.YTDBase(BaseFUTA).Year
	room, err := fed.FUTAWageBase.Sub(ytd)
	if err != nil {
		return err
	}
	wages := minAmount(base, maxZero(room))
	trace := []payroll.Step{{Name: "wage base", Value: fed.FUTAWageBase.String()},
		{Name: "FUTA wages earlier this year", Value: ytd.String()}}
	if err := c.Add(payroll.Line{Code: "futa.wages", Kind: payroll.Information, Basis: base, Amount: wages,
		Trace: trace}); err != nil {
		return err
	}
	tax, err := wages.MulRate(fed.FUTARate, money.HalfUp)
	if err != nil || tax.IsZero() {
		return err
	}
	return c.Add(payroll.Line{Code: "futa.employer", Kind: payroll.EmployerContribution, Basis: wages,
		Rate: fed.FUTARate, Amount: tax, Account: p.cfg.Accounts.FUTA, Offset: p.cfg.Accounts.EmployerTaxes})
}
