package payroll

import (
	"fmt"
	"slices"

	"github.com/openbackoffice/backoffice/money"
)

// Retro returns the difference lines that bring an earlier period, paid as
// original, to what recalculated says: the same period calculated again
// with today's records (hr.Timeline as recorded now) and the rule pack
// version valid for that period. Pass them as Input.Retro of the current
// period's calculation, which pays them.
//
// Lines are matched by code, kind and accounts; each pair whose sum differs
// gives one line with the difference as Amount, the bases of the
// recalculated line (or the original's, for a line that is gone), Corrects
// set to the period, From and To its days, Rule "retro", and a trace of
// both sums. The order is that of the recalculated payslip, then the lines
// only the original had. Retro lines the payslips carry for still earlier
// periods are left out: each period is corrected against its own
// calculations. No difference gives no lines.
//
// Retro is pure. It fails with ErrRetroMismatch if the payslips are for
// different employees, periods or currencies.
func Retro(original, recalculated Payslip) ([]Line, error) {
	o, r := original, recalculated
	if o.Employee != r.Employee || o.Period.Start != r.Period.Start || o.Period.End != r.Period.End ||
		o.Period.Calendar != r.Period.Calendar || o.Currency != r.Currency {
		return nil, fmt.Errorf("%w: employee, period or currency differ", ErrRetroMismatch)
	}
	type key struct {
		code, account, offset string
		kind                  Kind
	}
	type sums struct {
		orig, recalc money.Amount
		line         *Line // the line whose bases the difference takes
	}
	zero := money.Zero(r.Currency)
	var order []key
	m := make(map[key]*sums)
	add := func(l *Line, recalc bool) error {
		if !l.Corrects.IsZero() {
			return nil
		}
		k := key{l.Code, l.Account, l.Offset, l.Kind}
		s, ok := m[k]
		if !ok {
			s = &sums{orig: zero, recalc: zero, line: l}
			m[k] = s
			order = append(order, k)
		}
		var err error
		if recalc {
			s.recalc, err = s.recalc.Add(l.Amount)
		} else {
			s.orig, err = s.orig.Add(l.Amount)
		}
		return err
	}
	for i := range r.Lines {
		if err := add(&r.Lines[i], true); err != nil {
			return nil, err
		}
	}
	for i := range o.Lines {
		if err := add(&o.Lines[i], false); err != nil {
			return nil, err
		}
	}
	var out []Line
	for _, k := range order {
		s := m[k]
		diff, err := s.recalc.Sub(s.orig)
		if err != nil {
			return nil, err
		}
		if diff.IsZero() {
			continue
		}
		out = append(out, Line{
			Code: k.code, Kind: k.kind, Amount: diff, Bases: slices.Clip(s.line.Bases),
			Account: k.account, Offset: k.offset,
			From: r.Period.Start, To: r.Period.End, Corrects: r.Period,
			Pack: r.Pack, PackVersion: r.PackVersion, Rule: "retro",
			Trace: []Step{{"original", s.orig.String()}, {"recalculated", s.recalc.String()}},
		})
	}
	return out, nil
}
