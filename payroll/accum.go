package payroll

import (
	"fmt"
	"maps"

	"github.com/openbackoffice/backoffice/money"
)

// Figures are the running totals of one line code, base or total: for the
// period, the quarter to date and the year to date. Zero amounts may have
// no currency.
type Figures struct {
	Period  money.Amount // this period only (in input accumulators: the last period's)
	Quarter money.Amount // quarter to date
	Year    money.Amount // year to date
}

// Accumulators are an employee's running totals for one year and quarter:
// per line code, per base, and of gross and net pay. They are a plain value
// a store fills from posted payslips; Calculate reads them (rules use them
// for annual ceilings and thresholds) and returns them updated in
// Payslip.YTD, which a pay run stores for the next period.
//
// Pass the YTD of the employee's previous payslip as they are: Calculate
// rolls them to the period (figures of an earlier quarter or year start
// again from zero), and fails with ErrInvalidInput for accumulators of a
// later period. The zero Accumulators are empty.
//
// Retro lines accumulate into the year and quarter of the period they
// correct when that is the current year and quarter (so this year's caps
// see them), and into Period always, as they are paid now. Maps are
// shared with the caller's value and never modified; Calculate returns new
// ones.
type Accumulators struct {
	Year    int // the year the figures are for; 0 for none
	Quarter int // the quarter (1–4) the Quarter figures are for
	Gross   Figures
	Net     Figures
	Lines   map[string]Figures // by line code
	Bases   map[string]Figures // by base name
}

// Line returns the figures of a line code (zero if none).
func (a *Accumulators) Line(code string) Figures { return a.Lines[code] }

// Base returns the figures of a base (zero if none).
func (a *Accumulators) Base(name string) Figures { return a.Bases[name] }

// rolled returns a copy of a for period p: figures of an earlier year or
// quarter reset, Period figures reset, amounts given currency c.
func (a Accumulators) rolled(p Period, c money.Currency) (Accumulators, error) {
	out := Accumulators{Year: p.Year, Quarter: p.Quarter,
		Lines: make(map[string]Figures, len(a.Lines)+8), Bases: make(map[string]Figures, len(a.Bases)+2)}
	zero := money.Zero(c)
	out.Gross, out.Net = Figures{zero, zero, zero}, Figures{zero, zero, zero}
	switch {
	case a.Year == 0 && len(a.Lines) == 0 && len(a.Bases) == 0:
		return out, nil
	case a.Year > p.Year || a.Year == p.Year && a.Quarter > p.Quarter:
		return Accumulators{}, fmt.Errorf("%w: accumulators are for a later period", ErrInvalidInput)
	case a.Year < p.Year:
		return out, nil
	}
	sameQuarter := a.Quarter == p.Quarter
	roll := func(f Figures) (Figures, error) {
		g := Figures{Period: zero, Quarter: zero, Year: zero}
		for _, pair := range [2][2]*money.Amount{{&g.Quarter, &f.Quarter}, {&g.Year, &f.Year}} {
			if pair[1].Currency().IsZero() && pair[1].IsZero() {
				continue
			}
			if pair[1].Currency() != c {
				return Figures{}, fmt.Errorf("%w: accumulators in %s", ErrCurrency, pair[1].Currency())
			}
			*pair[0] = *pair[1]
		}
		if !sameQuarter {
			g.Quarter = zero
		}
		return g, nil
	}
	var err error
	if out.Gross, err = roll(a.Gross); err != nil {
		return Accumulators{}, err
	}
	if out.Net, err = roll(a.Net); err != nil {
		return Accumulators{}, err
	}
	for k, f := range a.Lines {
		if out.Lines[k], err = roll(f); err != nil {
			return Accumulators{}, err
		}
	}
	for k, f := range a.Bases {
		if out.Bases[k], err = roll(f); err != nil {
			return Accumulators{}, err
		}
	}
	return out, nil
}

// clone returns a copy of a whose maps a may be updated without touching a.
func (a Accumulators) clone() Accumulators {
	a.Lines = maps.Clone(a.Lines)
	a.Bases = maps.Clone(a.Bases)
	return a
}

// scope says which figures an amount enters.
type scope struct{ period, quarter, year bool }

// add adds x to the figures of f in scope s.
func (f Figures) add(x money.Amount, s scope) (Figures, error) {
	var err error
	if s.period {
		if f.Period, err = f.Period.Add(x); err != nil {
			return f, err
		}
	}
	if s.quarter {
		if f.Quarter, err = f.Quarter.Add(x); err != nil {
			return f, err
		}
	}
	if s.year {
		if f.Year, err = f.Year.Add(x); err != nil {
			return f, err
		}
	}
	return f, nil
}

// addLine accumulates line l in scope s: its code, its bases, gross and net.
func (a *Accumulators) addLine(l *Line, s scope, c money.Currency) error {
	zero := money.Zero(c)
	get := func(m map[string]Figures, k string) Figures {
		f, ok := m[k]
		if !ok {
			return Figures{zero, zero, zero}
		}
		return f
	}
	var err error
	if a.Lines[l.Code], err = get(a.Lines, l.Code).add(l.Amount, s); err != nil {
		return err
	}
	if len(l.Bases) > 0 {
		x := l.Amount
		if l.Kind.baseSign() < 0 {
			x = x.Neg()
		}
		for _, b := range l.Bases {
			if a.Bases[b], err = get(a.Bases, b).add(x, s); err != nil {
				return err
			}
		}
	}
	if l.Kind == Earning {
		if a.Gross, err = a.Gross.add(l.Amount, s); err != nil {
			return err
		}
	}
	switch l.Kind.netSign() {
	case 1:
		a.Net, err = a.Net.add(l.Amount, s)
	case -1:
		a.Net, err = a.Net.add(l.Amount.Neg(), s)
	}
	return err
}
