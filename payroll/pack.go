package payroll

import (
	"fmt"
	"slices"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
)

// Rule is one step of a rule pack's calculation. Apply reads the input
// and the lines earlier rules added, through c, and adds lines with c.Add.
// It must be deterministic (no clock, no I/O, no randomness), must not
// modify anything it reads, and must not keep c. An error it returns stops
// the calculation; Calculate wraps it in an *Error naming the rule. Errors
// must not contain personal data (amounts, hours, names).
//
// A Rule used by several calculations at once must be safe for concurrent
// use; rules without state of their own, like those of RuleFunc, are.
type Rule interface {
	// Name identifies the rule in errors and line records, stable across
	// versions: "generic.taxes", "acme.meal_allowance".
	Name() string
	// Apply runs the rule.
	Apply(c *Calc) error
}

// RuleFunc returns a Rule with the given name that calls apply. It is the
// short way to write a custom rule:
//
//	meal := payroll.RuleFunc("acme.meal", func(c *payroll.Calc) error {
//		return c.Add(payroll.Line{Code: "meal", Kind: payroll.Earning,
//			Amount: money.New(5000, c.Currency()), Bases: []string{"tax"}})
//	})
func RuleFunc(name string, apply func(c *Calc) error) Rule { return funcRule{name, apply} }

type funcRule struct {
	name  string
	apply func(*Calc) error
}

func (r funcRule) Name() string        { return r.name }
func (r funcRule) Apply(c *Calc) error { return r.apply(c) }

// Dated is one entry of a Table: a value valid from a day on.
type Dated[T any] struct {
	From  date.Date // the first day the value applies to
	Value T
}

// Table is a rule pack's data keyed by validity date: tax brackets,
// contribution rates, ceilings. An entry applies from its From date until
// the next entry's From, so several versions within one year coexist (a
// rate cut from 1 July is a second entry). A Table is data: write it as a
// literal, and do not modify it while calculations read it; then it is
// safe for concurrent use.
//
// Rules look tables up with Calc.On, the last day of the period, so a
// period is calculated with the values valid on its last day.
type Table[T any] []Dated[T]

// At returns the value of the entry with the latest From on or before d,
// and false if every entry starts after d (or there are none). If two
// entries have the same From, the later one in the table wins.
func (t Table[T]) At(d date.Date) (T, bool) {
	best := -1
	for i, e := range t {
		if !e.From.After(d) && (best < 0 || !e.From.Before(t[best].From)) {
			best = i
		}
	}
	if best < 0 {
		var zero T
		return zero, false
	}
	return t[best].Value, true
}

// Validate checks that every entry has a From date and no two share one.
// It returns an error wrapping ErrInvalidPack.
func (t Table[T]) Validate() error {
	for i, e := range t {
		if e.From.IsZero() {
			return fmt.Errorf("%w: table entry %d has no from date", ErrInvalidPack, i+1)
		}
		for _, f := range t[:i] {
			if f.From == e.From {
				return fmt.Errorf("%w: two table entries from %s", ErrInvalidPack, e.From)
			}
		}
	}
	return nil
}

// ProrationMethod names how the salary of a period is reduced for the days
// an employee is not paid for: before the hire date, after the termination
// date, on unpaid leave. Each day of the period gets a weight; the pay of a
// stretch of days is the period salary × (weights of its paid days) ÷
// (weights of all days of the period). If no day of a period weighs
// anything under the method (every working day a holiday), the period is
// prorated by CalendarDays, and the payslip says so.
type ProrationMethod string

// Proration methods.
const (
	// CalendarDays weighs every day 1: 15 days of a 30-day month are half.
	CalendarDays ProrationMethod = "calendar_days"
	// WorkingDays weighs 1 each working day of the contract (its WorkDays)
	// that is not a holiday, and 0 the other days.
	WorkingDays ProrationMethod = "working_days"
	// ThirtyDay counts every month as 30 days (the 30/360 convention): the
	// 31st weighs 0 and the last day of February weighs 3 (2 in a leap
	// year), every other day 1. A whole month is 30/30, and a semimonthly
	// half 15/15. Joining on the 31st is therefore paid nothing, and leave
	// on the 31st costs nothing; CalendarDays has no such edge. Only for
	// monthly and semimonthly periods.
	ThirtyDay ProrationMethod = "30_day"
	// ContractHours weighs each working day (as for WorkingDays) with the
	// contract's hours per day, WeeklyHours ÷ the number of WorkDays, so a
	// change of hours within the period weighs right.
	ContractHours ProrationMethod = "contract_hours"
)

// Valid reports whether m is one of the methods.
func (m ProrationMethod) Valid() bool {
	return m == CalendarDays || m == WorkingDays || m == ThirtyDay || m == ContractHours
}

// Proration is a proration policy: the method and which absences are unpaid.
type Proration struct {
	// Method is the proration method; required.
	Method ProrationMethod
	// Unpaid are the absence kinds the employer does not pay salary for;
	// nil means hr.Unpaid only. A half-day absence weighs half its day.
	Unpaid []hr.AbsenceKind
}

// unpaid reports whether absences of kind k are unpaid.
func (p Proration) unpaid(k hr.AbsenceKind) bool {
	if p.Unpaid == nil {
		return k == hr.Unpaid
	}
	return slices.Contains(p.Unpaid, k)
}

// Pack is one version of a rule pack: the ordered rules of a jurisdiction
// (or of the generic pack, configured as data) and the days the version is
// valid for. A pay run picks the version valid on the period's last day
// with Packs.Select.
//
// A Pack is a plain value: build it (generic.New, a jurisdiction package's
// constructor, or a literal), adjust it (InsertBefore), then share it. It
// is safe for concurrent use by any number of calculations as long as
// nobody modifies it.
type Pack struct {
	// ID names the pack, such as "generic" or "de"; it is recorded on every
	// line.
	ID string
	// Version names this version, such as "2026.2"; recorded on every line.
	Version string
	// ValidFrom and ValidTo are the first and last day (zero: no end) of
	// the periods the version may calculate, judged by the period's last
	// day.
	ValidFrom, ValidTo date.Date
	// Proration is the pack's proration policy; Input.Proration overrides
	// it for one employee.
	Proration Proration
	// Rules run in order.
	Rules []Rule
}

// ValidOn reports whether the version is valid on d.
func (p *Pack) ValidOn(d date.Date) bool {
	return !d.Before(p.ValidFrom) && (p.ValidTo.IsZero() || !d.After(p.ValidTo))
}

// Validate checks the pack: an ID and version, a validity, a proration
// method, at least one rule, and rule names that are present and unique.
// It returns an error wrapping ErrInvalidPack.
func (p *Pack) Validate() error {
	switch {
	case p.ID == "" || p.Version == "":
		return fmt.Errorf("%w: pack needs an ID and a version", ErrInvalidPack)
	case p.ValidFrom.IsZero() || !p.ValidTo.IsZero() && p.ValidTo.Before(p.ValidFrom):
		return fmt.Errorf("%w: pack %s %s: invalid validity", ErrInvalidPack, p.ID, p.Version)
	case !p.Proration.Method.Valid():
		return fmt.Errorf("%w: pack %s %s: unknown proration method", ErrInvalidPack, p.ID, p.Version)
	case len(p.Rules) == 0:
		return fmt.Errorf("%w: pack %s %s: no rules", ErrInvalidPack, p.ID, p.Version)
	}
	for i, r := range p.Rules {
		if r == nil || r.Name() == "" {
			return fmt.Errorf("%w: pack %s %s: rule %d has no name", ErrInvalidPack, p.ID, p.Version, i+1)
		}
		for _, q := range p.Rules[:i] {
			if q.Name() == r.Name() {
				return fmt.Errorf("%w: pack %s %s: rule %s twice", ErrInvalidPack, p.ID, p.Version, r.Name())
			}
		}
	}
	return nil
}

// InsertBefore inserts rules before the rule with the given name, so a
// custom earning runs before the pack's deductions and taxes. It fails with
// an error wrapping ErrInvalidPack if no rule has that name.
func (p *Pack) InsertBefore(name string, rules ...Rule) error {
	for i, r := range p.Rules {
		if r.Name() == name {
			p.Rules = slices.Insert(slices.Clip(p.Rules), i, rules...)
			return nil
		}
	}
	return fmt.Errorf("%w: pack %s %s: no rule %s", ErrInvalidPack, p.ID, p.Version, name)
}

// Packs is a set of rule pack versions the caller passes around; there is
// no global registry.
type Packs []*Pack

// Select returns the version of the pack with the given ID valid on day on
// (a pay run passes the period's End). If several are, the one with the
// latest ValidFrom wins, so a mid-year version overrides the one from
// January. It fails with ErrUnknownPack if no version has the ID and with
// ErrNoPackVersion if none of them is valid on the day.
func (ps Packs) Select(id string, on date.Date) (*Pack, error) {
	var best *Pack
	known := false
	for _, p := range ps {
		if p == nil || p.ID != id {
			continue
		}
		known = true
		if p.ValidOn(on) && (best == nil || !p.ValidFrom.Before(best.ValidFrom)) {
			best = p
		}
	}
	switch {
	case !known:
		return nil, fmt.Errorf("%w: %q", ErrUnknownPack, id)
	case best == nil:
		return nil, fmt.Errorf("%w: pack %q on %s", ErrNoPackVersion, id, on)
	}
	return best, nil
}
