package payroll

import (
	"errors"
	"fmt"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
)

// Input is everything one employee's calculation for one period reads: the
// HR snapshot as of the run, time, absences, one-time items, the
// accumulators before the period and the retro lines to pay with it.
// Calculate does not modify it. Records may reach beyond the period;
// Calculate takes what falls within it.
type Input struct {
	// Employee is the employee's master data; Calculate reads ID,
	// PersonnelNumber, HireDate and TerminationDate.
	Employee hr.Employee
	// Period is the period to calculate.
	Period Period
	// Currency is the pay currency. Contracts, pay items and one-time items
	// must be in it (ErrCurrency otherwise); there is no conversion.
	Currency money.Currency
	// Contracts is the employee's contract timeline as recorded at the run
	// time: hr.Timeline(versions, runTime), or Records.ContractTimeline.
	// It must be in date order, as Timeline returns it. Every day of the
	// period the employee is employed must be covered (ErrNoCompensation
	// otherwise); a change within the period splits it into Segments.
	Contracts []hr.Span[hr.Contract]
	// TaxProfile is the tax profile in force on the period's last day as
	// recorded at the run time, for packs that read it; zero if none.
	TaxProfile hr.TaxProfile
	// Time, Absences and Items are the employee's time entries, absences
	// and one-time items; those dated within the period count.
	Time     []hr.TimeEntry
	Absences []hr.Absence
	Items    []hr.OneTimeItem
	// Holidays are the public holidays, for the WorkingDays and
	// ContractHours proration methods; nil for none.
	Holidays *Holidays
	// YTD are the accumulators before this period: those of the
	// employee's previous payslip, or zero for the first.
	YTD Accumulators
	// Retro are difference lines for earlier periods (made by Retro) to pay
	// with this period. They are added after the rules, do not enter this
	// period's bases, and accumulate as Accumulators describes.
	Retro []Line
	// Proration, if not empty, overrides the pack's proration method for
	// this employee (the method the employment contract agrees).
	Proration ProrationMethod
}

// Calc is the state of one calculation, handed to each rule in turn. Rules
// read the input and the lines so far through it and add lines with Add.
// A Calc is valid only during Rule.Apply and is not safe for concurrent
// use; values it returns share memory with the calculation and must not be
// modified.
type Calc struct {
	in     *Input
	pack   *Pack
	cur    money.Currency
	method ProrationMethod
	rule   string
	segs   []Segment
	lines  []Line
	time   []hr.TimeEntry
	items  []hr.OneTimeItem
	ytd    Accumulators
}

// Input returns the input of the calculation.
func (c *Calc) Input() *Input { return c.in }

// Pack returns the rule pack version being run.
func (c *Calc) Pack() *Pack { return c.pack }

// Period returns the period being calculated.
func (c *Calc) Period() Period { return c.in.Period }

// On returns the day tables are looked up on: the period's last day.
func (c *Calc) On() date.Date { return c.in.Period.End }

// Currency returns the pay currency.
func (c *Calc) Currency() money.Currency { return c.cur }

// PeriodsPerYear returns the nominal number of periods per year of the
// period's frequency: 52, 26, 24 or 12.
func (c *Calc) PeriodsPerYear() int { return PeriodsPerYear(c.in.Period.Frequency) }

// Proration returns the proration method in force.
func (c *Calc) Proration() ProrationMethod { return c.method }

// Segments returns the segments of the period, in date order: at least
// one.
func (c *Calc) Segments() []Segment { return c.segs }

// Time returns the time entries dated within the period, in input order.
func (c *Calc) Time() []hr.TimeEntry { return c.time }

// Items returns the one-time items dated within the period, in input
// order.
func (c *Calc) Items() []hr.OneTimeItem { return c.items }

// Lines returns the lines added so far, in order.
func (c *Calc) Lines() []Line { return c.lines }

// YTD returns the accumulators before this period, rolled to its year and
// quarter and including the retro lines of the input that correct this
// year (see Accumulators). Use YTDLine and YTDBase for figures in the pay
// currency.
func (c *Calc) YTD() *Accumulators { return &c.ytd }

// YTDLine returns the figures of a line code before this period, zero
// amounts in the pay currency if there are none.
func (c *Calc) YTDLine(code string) Figures { return c.figures(c.ytd.Lines[code]) }

// YTDBase returns the figures of a base before this period, zero amounts
// in the pay currency if there are none.
func (c *Calc) YTDBase(name string) Figures { return c.figures(c.ytd.Bases[name]) }

func (c *Calc) figures(f Figures) Figures {
	z := money.Zero(c.cur)
	for _, a := range []*money.Amount{&f.Period, &f.Quarter, &f.Year} {
		if a.Currency().IsZero() {
			*a = z
		}
	}
	return f
}

// Sum returns the sum of the lines added so far with the given code, zero
// if none. It fails with money.ErrOverflow if the sum is out of range.
func (c *Calc) Sum(code string) (money.Amount, error) { return sumCode(c.cur, c.lines, code, false) }

// Base returns the value of a base from the lines added so far: the
// earnings and information lines listing it, less the pre-tax deductions
// listing it. It fails with money.ErrOverflow if the value is out of range.
func (c *Calc) Base(name string) (money.Amount, error) {
	s := money.Zero(c.cur)
	for i := range c.lines {
		l := &c.lines[i]
		for _, b := range l.Bases {
			if b != name {
				continue
			}
			var err error
			if l.Kind.baseSign() < 0 {
				s, err = s.Sub(l.Amount)
			} else {
				s, err = s.Add(l.Amount)
			}
			if err != nil {
				return money.Amount{}, err
			}
		}
	}
	return s, nil
}

// Total returns the sum of the amounts of the lines of kind k added so far.
func (c *Calc) Total(k Kind) (money.Amount, error) {
	s := money.Zero(c.cur)
	for i := range c.lines {
		if c.lines[i].Kind == k {
			var err error
			if s, err = s.Add(c.lines[i].Amount); err != nil {
				return money.Amount{}, err
			}
		}
	}
	return s, nil
}

// Add appends a line. It fills in the pack, version and rule, and From and
// To with the period's days if they are zero. It fails with an error
// wrapping ErrInvalidPack for a line without code, of an unknown kind,
// listing bases though its kind takes none, or marked as correcting a
// period (retro lines come from Input.Retro), and with ErrCurrency for an
// amount or basis in another currency than the pay currency. A zero
// Amount without currency is taken as zero in the pay currency.
func (c *Calc) Add(l Line) error {
	if err := c.checkLine(&l); err != nil {
		return err
	}
	if !l.Corrects.IsZero() {
		return fmt.Errorf("%w: line %s: a rule's line cannot correct another period", ErrInvalidPack, l.Code)
	}
	l.Pack, l.PackVersion, l.Rule = c.pack.ID, c.pack.Version, c.rule
	if l.From.IsZero() {
		l.From = c.in.Period.Start
	}
	if l.To.IsZero() {
		l.To = c.in.Period.End
	}
	c.lines = append(c.lines, l)
	return nil
}

func (c *Calc) checkLine(l *Line) error {
	switch {
	case l.Code == "":
		return fmt.Errorf("%w: line without code", ErrInvalidPack)
	case !l.Kind.Valid():
		return fmt.Errorf("%w: line %s: unknown kind", ErrInvalidPack, l.Code)
	case len(l.Bases) > 0 && !l.Kind.takesBases():
		return fmt.Errorf("%w: line %s: a %s line counts in no base", ErrInvalidPack, l.Code, l.Kind)
	}
	if l.Amount.Currency().IsZero() && l.Amount.IsZero() {
		l.Amount = money.Zero(c.cur)
	}
	if l.Amount.Currency() != c.cur || !l.Basis.Currency().IsZero() && l.Basis.Currency() != c.cur {
		return fmt.Errorf("%w: line %s", ErrCurrency, l.Code)
	}
	return nil
}

// Calculate runs the rules of pack over the input and returns the payslip.
// It is pure and deterministic: the same input and pack give the same
// payslip, with no I/O and no clock. It is safe for concurrent use (with
// different or shared, unmodified inputs and packs).
//
// The steps: check the input; split the period into segments (contract
// versions × employment) with their proration weights; roll the
// accumulators to the period and add the retro lines correcting this year;
// run the rules in order; add the retro lines; total the lines; check net
// pay; accumulate.
//
// Every failure is an *Error naming the employee, the period and, if a rule
// failed, the rule, and wrapping a sentinel: ErrInvalidInput,
// ErrNoPackVersion (pack not valid on the period's last day),
// ErrInvalidPack, ErrNotEmployed, ErrNoCompensation, ErrCurrency,
// ErrNegativeNet. A nil pack is ErrUnknownPack. On ErrNegativeNet, and only
// then, the payslip is returned too, complete, so that the pay run can show
// why; it must not be paid or posted. On every other error the payslip is
// zero.
func Calculate(in Input, pack *Pack) (Payslip, error) {
	c := &Calc{in: &in, pack: pack, cur: in.Currency}
	fail := func(err error) (Payslip, error) {
		return Payslip{}, &Error{Employee: in.Employee.ID, PersonnelNumber: in.Employee.PersonnelNumber,
			Period: in.Period, Rule: c.rule, Err: err}
	}
	if err := c.prepare(); err != nil {
		return fail(err)
	}
	for _, r := range pack.Rules {
		c.rule = r.Name()
		if err := r.Apply(c); err != nil {
			return fail(err)
		}
	}
	c.rule = ""
	for i := range in.Retro {
		c.lines = append(c.lines, in.Retro[i])
	}
	slip, err := c.payslip()
	if err != nil {
		if errors.Is(err, ErrNegativeNet) {
			_, e := fail(err)
			return slip, e
		}
		return fail(err)
	}
	return slip, nil
}

// prepare checks the input and computes segments, the period's records and
// the accumulators before the rules run.
func (c *Calc) prepare() error {
	in, p := c.in, c.in.Period
	switch {
	case c.pack == nil:
		return ErrUnknownPack
	case in.Employee.ID == "":
		return fmt.Errorf("%w: no employee ID", ErrInvalidInput)
	case p.Start.IsZero() || p.End.Before(p.Start) || PeriodsPerYear(p.Frequency) == 0:
		return fmt.Errorf("%w: no valid period", ErrInvalidInput)
	case c.cur.IsZero():
		return fmt.Errorf("%w: no pay currency", ErrInvalidInput)
	case in.Proration != "" && !in.Proration.Valid():
		return fmt.Errorf("%w: unknown proration method", ErrInvalidInput)
	}
	if err := c.pack.Validate(); err != nil {
		return err
	}
	if !c.pack.ValidOn(p.End) {
		return fmt.Errorf("%w: pack %s %s on %s", ErrNoPackVersion, c.pack.ID, c.pack.Version, p.End)
	}
	c.method = c.pack.Proration.Method
	if in.Proration != "" {
		c.method = in.Proration
	}
	id := in.Employee.ID
	for i := range in.Contracts {
		if in.Contracts[i].Version.Employee != id {
			return fmt.Errorf("%w: contract of another employee", ErrInvalidInput)
		}
		if i > 0 && !in.Contracts[i-1].From.Before(in.Contracts[i].From) {
			return fmt.Errorf("%w: contract timeline not in date order", ErrInvalidInput)
		}
	}
	if err := c.segments(); err != nil {
		return err
	}
	for i := range c.segs {
		ct := &c.segs[i].Contract
		if ct.Frequency != p.Frequency {
			return fmt.Errorf("%w: contract version from %s is paid %s, the calendar %s", ErrInvalidInput, ct.ValidFrom, ct.Frequency, p.Frequency)
		}
		if ct.Amount.Currency() != c.cur {
			return fmt.Errorf("%w: contract version from %s is in %s, pay in %s", ErrCurrency, ct.ValidFrom, ct.Amount.Currency(), c.cur)
		}
		for _, it := range ct.Items {
			if it.Amount.Currency() != c.cur {
				return fmt.Errorf("%w: pay item %s of the contract version from %s is in %s, pay in %s", ErrCurrency, it.Code, ct.ValidFrom, it.Amount.Currency(), c.cur)
			}
		}
	}
	for _, e := range in.Time {
		if e.Employee != id {
			return fmt.Errorf("%w: time entry of another employee", ErrInvalidInput)
		}
		if p.Contains(e.Date) {
			c.time = append(c.time, e)
		}
	}
	for _, a := range in.Absences {
		if a.Employee != id {
			return fmt.Errorf("%w: absence of another employee", ErrInvalidInput)
		}
	}
	for _, it := range in.Items {
		if it.Employee != id {
			return fmt.Errorf("%w: one-time item of another employee", ErrInvalidInput)
		}
		if !p.Contains(it.Date) {
			continue
		}
		if it.Amount.Currency() != c.cur {
			return fmt.Errorf("%w: one-time item %s is in %s, pay in %s", ErrCurrency, it.Key, it.Amount.Currency(), c.cur)
		}
		c.items = append(c.items, it)
	}
	var err error
	if c.ytd, err = in.YTD.rolled(p, c.cur); err != nil {
		return err
	}
	for i := range in.Retro {
		l := &in.Retro[i]
		if err := c.checkLine(l); err != nil {
			return fmt.Errorf("retro line %d: %w", i+1, err)
		}
		if l.Corrects.IsZero() || !l.Corrects.End.Before(p.Start) {
			return fmt.Errorf("%w: retro line %d does not correct an earlier period", ErrInvalidInput, i+1)
		}
		year := l.Corrects.Year == p.Year
		if err := c.ytd.addLine(l, scope{quarter: year && l.Corrects.Quarter == p.Quarter, year: year}, c.cur); err != nil {
			return err
		}
	}
	return nil
}

// total sets the totals of s from its lines: the sums by kind, and net pay.
func total(s *Payslip) error {
	z := money.Zero(s.Currency)
	s.Gross, s.PreTaxDeductions, s.Taxes, s.PostTaxDeductions, s.EmployerContributions = z, z, z, z, z
	for i := range s.Lines {
		l := &s.Lines[i]
		var t *money.Amount
		switch l.Kind {
		case Earning:
			t = &s.Gross
		case PreTaxDeduction:
			t = &s.PreTaxDeductions
		case Tax:
			t = &s.Taxes
		case PostTaxDeduction:
			t = &s.PostTaxDeductions
		case EmployerContribution:
			t = &s.EmployerContributions
		default:
			continue
		}
		var err error
		if *t, err = t.Add(l.Amount); err != nil {
			return err
		}
	}
	var err error
	s.Net, err = money.Sum(s.Currency, s.Gross, s.PreTaxDeductions.Neg(), s.Taxes.Neg(), s.PostTaxDeductions.Neg())
	return err
}

// payslip totals the lines, checks net pay and accumulates.
func (c *Calc) payslip() (Payslip, error) {
	in := c.in
	z := money.Zero(c.cur)
	s := Payslip{
		Employee: in.Employee.ID, PersonnelNumber: in.Employee.PersonnelNumber, Period: in.Period,
		Currency: c.cur, Pack: c.pack.ID, PackVersion: c.pack.Version, Proration: c.method,
		Segments: c.segs, Lines: c.lines,
		Bases: make(map[string]money.Amount, 4),
	}
	if err := total(&s); err != nil {
		return Payslip{}, err
	}
	for i := range c.lines {
		l := &c.lines[i]
		if !l.Corrects.IsZero() {
			continue
		}
		for _, b := range l.Bases {
			v, ok := s.Bases[b]
			if !ok {
				v = z
			}
			x := l.Amount
			if l.Kind.baseSign() < 0 {
				x = x.Neg()
			}
			var err error
			if s.Bases[b], err = v.Add(x); err != nil {
				return Payslip{}, err
			}
		}
	}
	s.YTD = c.ytd.clone()
	for i := range c.lines {
		l := &c.lines[i]
		sc := scope{period: true, quarter: true, year: true}
		if !l.Corrects.IsZero() {
			sc = scope{period: true} // its year and quarter went in before the rules
		}
		if err := s.YTD.addLine(l, sc, c.cur); err != nil {
			return Payslip{}, err
		}
	}
	if s.Net.IsNegative() {
		return s, ErrNegativeNet
	}
	return s, nil
}
