package payroll

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
)

// calculator calculates the employees of one run inside its transaction.
type calculator struct {
	r   *Runs
	tx  Tx
	run *Run
	cur money.Currency
}

// records are one employee's effective-dated HR records.
type records struct {
	e         hr.Employee
	contracts []hr.Contract
	profiles  []hr.TaxProfile
}

// readError is a store's failure to read an employee's records: it fails
// the calculation (a store may retry it), where the employee's own
// problems are kept with the run.
type readError struct{ err error }

func (e readError) Error() string { return e.err.Error() }
func (e readError) Unwrap() error { return e.err }

// employee calculates one employee: the payslip, false if there is nothing
// to pay (an off-cycle run without differences), or the employee's error.
func (c *calculator) employee(ctx context.Context, e hr.Employee) (Payslip, bool, error) {
	p := c.run.Period
	fail := func(err error) (Payslip, bool, error) {
		if _, ok := errors.AsType[*Error](err); ok {
			return Payslip{}, false, err
		}
		if _, ok := errors.AsType[readError](err); ok {
			return Payslip{}, false, err // the store's failure, not the employee's
		}
		return Payslip{}, false, &Error{Employee: e.ID, PersonnelNumber: e.PersonnelNumber, Period: p, Err: err}
	}
	hx := c.tx.HR()
	rec := records{e: e}
	var err error
	if rec.contracts, err = hx.Contracts(ctx, e.ID); err != nil {
		return fail(readError{err})
	}
	if rec.profiles, err = hx.TaxProfiles(ctx, e.ID); err != nil {
		return fail(readError{err})
	}
	retroFrom := c.r.retro(p)
	since := date.New(min(retroFrom.Year(), p.Start.Year()), time.January, 1).AddMonths(-1)
	all, err := c.tx.PostedPayslips(ctx, e.ID, since)
	if err != nil {
		return fail(readError{err})
	}
	posted := all[:0:0]
	for _, s := range all {
		if s.Period.Calendar == p.Calendar {
			posted = append(posted, s)
		}
	}
	slices.SortFunc(posted, func(a, b PostedPayslip) int {
		return cmp.Or(a.Period.End.Compare(b.Period.End), cmp.Compare(a.PostSeq, b.PostSeq))
	})
	// ytdBefore returns the accumulators of the last posted payslip of a
	// period ending before d.
	ytdBefore := func(d date.Date) Accumulators {
		for i := len(posted) - 1; i >= 0; i-- {
			if posted[i].Period.End.Before(d) {
				return posted[i].YTD
			}
		}
		return Accumulators{}
	}
	if c.run.Kind == OffCycle {
		return c.offCycle(ctx, &rec, posted, ytdBefore(p.Start))
	}
	for _, s := range posted {
		if !s.Period.End.Before(p.Start) {
			return fail(fmt.Errorf("%w: run %s posted period %s", ErrPeriodPaid, s.Run, s.Period.Key()))
		}
	}

	// Retro: the earlier posted periods, recalculated in order, each from
	// the accumulators of the one before as recalculated.
	var periods []Period
	for _, s := range posted {
		q := s.Period
		if !q.End.Before(retroFrom) && (len(periods) == 0 || periods[len(periods)-1].Key() != q.Key()) {
			periods = append(periods, q)
		}
	}
	var retro []Line
	if len(periods) > 0 {
		ytd := ytdBefore(periods[0].Start)
		for _, q := range periods {
			in, err := c.input(ctx, &rec, q, ytd, nil)
			if err != nil {
				return fail(err)
			}
			now, err := c.calculate(&rec, in)
			if err != nil {
				return fail(fmt.Errorf("retro %s: %w", q.Key(), err))
			}
			diff, err := Retro(paidFor(e.ID, q, c.cur, posted), now)
			if err != nil {
				return fail(err)
			}
			retro = append(retro, diff...)
			ytd = now.YTD
		}
	}
	in, err := c.input(ctx, &rec, p, ytdBefore(p.Start), retro)
	if err != nil {
		return fail(err)
	}
	pack, err := c.pack(&rec, p)
	if err != nil {
		return fail(err)
	}
	slip, err := Calculate(in, pack)
	if err != nil {
		return fail(err)
	}
	return slip, true, nil
}

// offCycle pays the difference between the run's period calculated now
// and everything posted for it.
func (c *calculator) offCycle(ctx context.Context, rec *records, posted []PostedPayslip, ytd Accumulators) (Payslip, bool, error) {
	p, e := c.run.Period, rec.e
	fail := func(err error) (Payslip, bool, error) {
		if _, ok := errors.AsType[*Error](err); ok {
			return Payslip{}, false, err
		}
		if _, ok := errors.AsType[readError](err); ok {
			return Payslip{}, false, err // the store's failure, not the employee's
		}
		return Payslip{}, false, &Error{Employee: e.ID, PersonnelNumber: e.PersonnelNumber, Period: p, Err: err}
	}
	var carried []Line // retro lines paid with the period, for the accumulators
	for _, s := range posted {
		if s.Period.End.After(p.End) {
			return fail(fmt.Errorf("%w: run %s posted the later period %s; correct through a regular run", ErrPeriodPaid, s.Run, s.Period.Key()))
		}
		if s.Period.Key() == p.Key() {
			for _, l := range s.Lines {
				if !l.Corrects.IsZero() {
					carried = append(carried, l)
				}
			}
		}
	}
	in, err := c.input(ctx, rec, p, ytd, carried)
	if err != nil {
		return fail(err)
	}
	now, err := c.calculate(rec, in)
	if err != nil {
		return fail(err)
	}
	diff, err := Retro(paidFor(e.ID, p, c.cur, posted), now)
	if err != nil {
		return fail(err)
	}
	if len(diff) == 0 {
		return Payslip{}, false, nil
	}
	slip := now
	slip.Lines = diff
	for i := range slip.Lines {
		slip.Lines[i].Corrects, slip.Lines[i].Rule = Period{}, "offcycle"
	}
	slip.Bases = nil
	if err := total(&slip); err != nil {
		return fail(err)
	}
	if slip.Net.IsNegative() {
		return fail(ErrNegativeNet)
	}
	return slip, true, nil
}

// calculate calculates an input with the pack for its period. A period in
// which the employee is no longer employed calculates to no lines; a
// negative net pay is no error here (the difference is what is paid).
func (c *calculator) calculate(rec *records, in Input) (Payslip, error) {
	pack, err := c.pack(rec, in.Period)
	if err != nil {
		return Payslip{}, err
	}
	slip, err := Calculate(in, pack)
	switch {
	case errors.Is(err, ErrNotEmployed):
		return Payslip{Employee: in.Employee.ID, PersonnelNumber: in.Employee.PersonnelNumber,
			Period: in.Period, Currency: in.Currency, YTD: in.YTD}, nil
	case errors.Is(err, ErrNegativeNet):
		return slip, nil
	}
	return slip, err
}

// pack selects the employee's pack version for period p.
func (c *calculator) pack(rec *records, p Period) (*Pack, error) {
	tp, _ := hr.Resolve(rec.profiles, p.End, time.Time{})
	return c.r.packs.Select(c.r.pack(rec.e, tp), p.End)
}

// input reads the HR snapshot of period q as recorded now.
func (c *calculator) input(ctx context.Context, rec *records, q Period, ytd Accumulators, retro []Line) (Input, error) {
	hx := c.tx.HR()
	id := rec.e.ID
	in := Input{Employee: rec.e, Period: q, Currency: c.cur, Holidays: c.r.holidays, YTD: ytd, Retro: retro,
		Contracts: hr.Timeline(rec.contracts, time.Time{})}
	in.TaxProfile, _ = hr.Resolve(rec.profiles, q.End, time.Time{})
	var err error
	if in.Time, err = hx.TimeEntries(ctx, id, q.Start, q.End); err != nil {
		return Input{}, readError{err}
	}
	if in.Absences, err = hx.Absences(ctx, id, q.Start, q.End); err != nil {
		return Input{}, readError{err}
	}
	if in.Items, err = hx.OneTimeItems(ctx, id, q.Start, q.End); err != nil {
		return Input{}, readError{err}
	}
	return in, nil
}

// paidFor returns what the posted payslips paid for period q: the lines of
// its payslips and the retro lines of later ones that correct it, as one
// payslip for Retro.
func paidFor(employee string, q Period, cur money.Currency, posted []PostedPayslip) Payslip {
	out := Payslip{Employee: employee, Period: q, Currency: cur}
	key := q.Key()
	for i := range posted {
		s := &posted[i]
		own := s.Period.Key() == key
		for _, l := range s.Lines {
			switch {
			case l.Corrects.IsZero() && own:
				out.Lines = append(out.Lines, l)
			case !l.Corrects.IsZero() && l.Corrects.Key() == key:
				l.Corrects = Period{}
				out.Lines = append(out.Lines, l)
			}
		}
	}
	return out
}
