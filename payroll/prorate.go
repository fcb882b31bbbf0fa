package payroll

import (
	"fmt"
	"math/big"
	"time"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
)

// MulDiv returns a × num ÷ den, computed exactly and rounded once to a's
// minor units with mode m: the pay for hours at an hourly equivalent
// (annual × hours ÷ (52 × weekly hours)), a monthly salary per week
// (monthly × 12 ÷ 52). It fails with money.ErrDivisionByZero if den is
// zero, money.ErrRoundingMode for an invalid mode and money.ErrOverflow if
// the result is out of range.
func MulDiv(a money.Amount, num, den decimal.Decimal, m money.RoundingMode) (money.Amount, error) {
	if den.IsZero() {
		return money.Amount{}, money.ErrDivisionByZero
	}
	// a × cN×10^eN ÷ (cD×10^eD) = a × cN × 10^(eN−eD) ÷ cD
	n := num.Coefficient()
	n.Mul(n, big.NewInt(a.MinorUnits()))
	d := den.Coefficient()
	if e := int64(num.Exponent()) - int64(den.Exponent()); e > 0 {
		n.Mul(n, new(big.Int).Exp(big.NewInt(10), big.NewInt(e), nil))
	} else if e < 0 {
		d.Mul(d, new(big.Int).Exp(big.NewInt(10), big.NewInt(-e), nil))
	}
	return roundQuo(n, d, a.Currency(), m)
}

// roundQuo returns n ÷ d rounded to an integer number of minor units of c
// with mode m. The rounding itself is money's: the fraction is replaced by
// a proxy with the same sign, parity and position relative to one half,
// which Amount.Div rounds exactly as it would the true quotient.
func roundQuo(n, d *big.Int, c money.Currency, m money.RoundingMode) (money.Amount, error) {
	if _, err := money.Zero(c).Div(1, m); err != nil { // checks the mode
		return money.Amount{}, err
	}
	q, r := new(big.Int).QuoRem(n, d, new(big.Int))
	if !q.IsInt64() {
		return money.Amount{}, money.ErrOverflow
	}
	qi := q.Int64()
	if r.Sign() == 0 {
		return money.New(qi, c), nil
	}
	neg := (n.Sign() < 0) != (d.Sign() < 0)
	r.Abs(r).Lsh(r, 1)
	par := int64(q.Bit(0))                                 // parity of |q|
	proxy := 4*par + 2 + int64(r.Cmp(new(big.Int).Abs(d))) // par + ¼, ½ or ¾, in quarters
	if neg {
		proxy, par = -proxy, -par
	}
	p, err := money.New(proxy, c).Div(4, m)
	if err != nil {
		return money.Amount{}, err
	}
	v, ok := money.AddMinor(qi, p.MinorUnits()-par)
	if !ok {
		return money.Amount{}, money.ErrOverflow
	}
	return money.New(v, c), nil
}

// dayWeight returns the proration weight of a day under method m for a
// contract, doubled so that half days stay whole numbers.
func dayWeight(m ProrationMethod, d date.Date, wd time.Weekday, ct *hr.Contract, hol *Holidays) int64 {
	switch m {
	case CalendarDays:
		return 2
	case WorkingDays:
		if ct.WorkDays.Has(wd) && !hol.Has(d) {
			return 2
		}
		return 0
	case ThirtyDay:
		day := d.Day()
		switch {
		case day == 31:
			return 0
		case d.Month() == time.February && d.AddDays(1).Day() == 1:
			return 2 * int64(30-day+1)
		}
		return 2
	case ContractHours:
		n := int64(ct.WorkDays.Count())
		if n == 0 || !ct.WorkDays.Has(wd) || hol.Has(d) {
			return 0
		}
		// hours per day in ten-thousandths × 840 (2 × lcm(1…7)) ÷ days: whole.
		return ct.WeeklyHours.Shift(4).IntPart() * 840 / n
	}
	return 0
}

// segments splits the period into the segments of employed days with one
// contract version each and computes their proration weights.
func (c *Calc) segments() error {
	in, p := c.in, c.in.Period
	if c.method == ThirtyDay && p.Frequency != hr.MonthlyPay && p.Frequency != hr.Semimonthly {
		return fmt.Errorf("%w: 30-day proration needs monthly or semimonthly periods", ErrInvalidInput)
	}
	spans := in.Contracts
	// The unpaid absences touching the period.
	var unpaid []hr.Absence
	for _, a := range in.Absences {
		to := a.To
		if to.IsZero() {
			to = a.From
		}
		if c.pack.Proration.unpaid(a.Kind) && !to.Before(p.Start) && !a.From.After(p.End) {
			a.To = to
			unpaid = append(unpaid, a)
		}
	}
	hire, term := in.Employee.HireDate, in.Employee.TerminationDate
	var total int64
	si := 0 // the span of the day, or the nearest before it
	cur := -1
	wd := p.Start.Weekday()
	employedAny := false
	for d := p.Start; !d.After(p.End); d = d.AddDays(1) {
		for si+1 < len(spans) && !d.Before(spans[si+1].From) {
			si++
		}
		covered := -1
		if len(spans) > 0 && !d.Before(spans[si].From) && (spans[si].To.IsZero() || !d.After(spans[si].To)) {
			covered = si
		}
		employed := !d.Before(hire) && (term.IsZero() || !d.After(term))
		var w int64
		if len(spans) > 0 {
			// Days without a version weigh as the nearest version says.
			w = dayWeight(c.method, d, wd, &spans[si].Version, in.Holidays)
		}
		total += w
		if employed {
			employedAny = true
			if covered < 0 {
				return fmt.Errorf("%w: no contract version on %s", ErrNoCompensation, d)
			}
			halves := 0
			for _, a := range unpaid {
				if !d.Before(a.From) && !d.After(a.To) {
					if a.HalfDay {
						halves++
					} else {
						halves = 2
					}
				}
			}
			switch {
			case halves >= 2:
				w = 0
			case halves == 1:
				w /= 2 // weights are even
			}
			if covered != cur || len(c.segs) == 0 || c.segs[len(c.segs)-1].To != d.AddDays(-1) {
				c.segs = append(c.segs, Segment{From: d, Contract: spans[covered].Version})
				cur = covered
			}
			s := &c.segs[len(c.segs)-1]
			s.To = d
			s.Paid += max(w, 0)
		}
		wd = (wd + 1) % 7
	}
	if !employedAny {
		return ErrNotEmployed
	}
	if total == 0 && c.method != CalendarDays {
		// No day weighs anything (every working day a holiday): fall back.
		c.segs, c.method = c.segs[:0], CalendarDays
		return c.segments()
	}
	for i := range c.segs {
		c.segs[i].Total = total
	}
	return nil
}

// Prorate returns the pay of each segment: full[i] is the amount segment i's
// contract pays for a whole period (the period salary), and the result is
// full[i] × Paid ÷ Total. The rounding, with mode m, is cumulative: the
// amounts add up to the exact sum Σ full[i] × Paid[i] ÷ Total rounded once,
// so a period split by a change that keeps the salary pays it to the cent.
// A segment paid in full gets full[i] unrounded.
//
// It fails with ErrInvalidInput if len(full) is not the number of segments,
// and with a money error for an invalid mode or an overflow.
func (c *Calc) Prorate(full []money.Amount, m money.RoundingMode) ([]money.Amount, error) {
	if len(full) != len(c.segs) {
		return nil, fmt.Errorf("%w: %d amounts for %d segments", ErrInvalidInput, len(full), len(c.segs))
	}
	out := make([]money.Amount, len(full))
	if len(full) == 1 && c.segs[0].Paid == c.segs[0].Total {
		if _, err := money.Zero(c.cur).Div(1, m); err != nil {
			return nil, err
		}
		out[0] = full[0]
		return out, nil
	}
	d := big.NewInt(c.segs[0].Total) // never zero: see segments
	acc := new(big.Int)
	prev := money.Zero(c.cur)
	for i, f := range full {
		if f.Currency() != c.cur {
			return nil, ErrCurrency
		}
		acc.Add(acc, new(big.Int).Mul(big.NewInt(f.MinorUnits()), big.NewInt(c.segs[i].Paid)))
		upTo, err := roundQuo(new(big.Int).Set(acc), d, c.cur, m)
		if err != nil {
			return nil, err
		}
		if out[i], err = upTo.Sub(prev); err != nil {
			return nil, err
		}
		prev = upTo
	}
	return out, nil
}
