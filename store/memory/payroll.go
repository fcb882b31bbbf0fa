package memory

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/payroll"
)

var (
	_ payroll.Store = (*Store)(nil)
	_ payroll.Tx    = payTx{}
	_ ledger.Store  = boundLedger{}
)

// errPayReadOnly refuses a write through the transaction of ViewPayroll.
var errPayReadOnly = fmt.Errorf("memory: payroll: %w: write in a read-only transaction", payroll.ErrRunState)

// payData holds the pay runs and their payslips.
type payData struct {
	runs   map[string]*payRun
	byBook map[string][]string                // book → run IDs, in order of creation
	posted map[string][]payroll.PostedPayslip // employee → payslips of posted runs
}

type payRun struct {
	run   payroll.Run
	slips map[int][]payroll.Payslip // by calculation number
}

func newPayData() *payData {
	return &payData{runs: map[string]*payRun{}, byBook: map[string][]string{}, posted: map[string][]payroll.PostedPayslip{}}
}

// UpdatePayroll implements payroll.Store. It shares the store's one write
// lock and undo log with Update and UpdateHR; the ledger view of its Tx
// writes into the same transaction.
func (s *Store) UpdatePayroll(ctx context.Context, fn func(payroll.Tx) error) error {
	return s.write(ctx, func(t *tx) error { return fn(payTx{t}) })
}

// ViewPayroll implements payroll.Store.
func (s *Store) ViewPayroll(ctx context.Context, fn func(payroll.ReadTx) error) error {
	return s.view(ctx, func(t *tx) error { return fn(payTx{t}) })
}

// payTx is a transaction on the pay runs of a Store.
type payTx struct{ t *tx }

func (x payTx) data() *payData { return x.t.s.pay }

func (x payTx) HR() hr.ReadTx { return hrTx(x) }

// Ledger implements payroll.Tx: the ledger inside this transaction.
func (x payTx) Ledger() ledger.Store { return boundLedger(x) }

func (x payTx) run(id string) (*payRun, error) {
	r, ok := x.data().runs[id]
	if !ok {
		return nil, fmt.Errorf("memory: run %s: %w", id, payroll.ErrRunNotFound)
	}
	return r, nil
}

func (x payTx) Run(_ context.Context, id string) (payroll.Run, error) {
	r, err := x.run(id)
	if err != nil {
		return payroll.Run{}, err
	}
	return r.run, nil
}

func (x payTx) Runs(_ context.Context, book string) ([]payroll.Run, error) {
	ids := x.data().byBook[book]
	out := make([]payroll.Run, len(ids))
	for i, id := range ids {
		out[i] = x.data().runs[id].run
	}
	return out, nil
}

func (x payTx) Payslips(_ context.Context, run string, calculation int) ([]payroll.Payslip, error) {
	r, err := x.run(run)
	if err != nil {
		return nil, err
	}
	return slices.Clone(r.slips[calculation]), nil
}

func (x payTx) PostedPayslips(_ context.Context, employee string, since date.Date) ([]payroll.PostedPayslip, error) {
	var out []payroll.PostedPayslip
	for _, s := range x.data().posted[employee] {
		if since.IsZero() || !s.Period.End.Before(since) {
			out = append(out, s)
		}
	}
	return out, nil
}

func (x payTx) AddRun(_ context.Context, r payroll.Run) error {
	if x.t.ro {
		return errPayReadOnly
	}
	d := x.data()
	if _, ok := d.runs[r.ID]; ok {
		return fmt.Errorf("memory: run %s: %w", r.ID, payroll.ErrDuplicate)
	}
	d.runs[r.ID] = &payRun{run: cloneRun(r), slips: map[int][]payroll.Payslip{}}
	n := len(d.byBook[r.Book])
	d.byBook[r.Book] = append(d.byBook[r.Book], r.ID)
	x.t.onUndo(func() {
		delete(d.runs, r.ID)
		d.byBook[r.Book] = d.byBook[r.Book][:n]
	})
	return nil
}

func (x payTx) SetRun(_ context.Context, r payroll.Run) error {
	if x.t.ro {
		return errPayReadOnly
	}
	pr, err := x.run(r.ID)
	if err != nil {
		return err
	}
	old := pr.run
	pr.run = cloneRun(r)
	x.t.onUndo(func() { pr.run = old })
	wasPosted := old.Status == payroll.Posted || old.Status == payroll.Paid
	if wasPosted || r.Status != payroll.Posted && r.Status != payroll.Paid {
		return nil
	}
	d := x.data()
	for _, s := range pr.slips[r.Calculation] {
		n := len(d.posted[s.Employee])
		d.posted[s.Employee] = append(d.posted[s.Employee],
			payroll.PostedPayslip{Run: r.ID, Kind: r.Kind, PostSeq: r.PostSeq, Payslip: s})
		emp := s.Employee
		x.t.onUndo(func() { d.posted[emp] = d.posted[emp][:n] })
	}
	return nil
}

func (x payTx) AddPayslips(_ context.Context, run string, calculation int, slips []payroll.Payslip) error {
	if x.t.ro {
		return errPayReadOnly
	}
	pr, err := x.run(run)
	if err != nil {
		return err
	}
	have := pr.slips[calculation]
	seen := make(map[string]bool, len(have)+len(slips))
	for _, s := range have {
		seen[s.Employee] = true
	}
	for _, s := range slips {
		if seen[s.Employee] {
			return fmt.Errorf("memory: run %s calculation %d employee %s: %w", run, calculation, s.PersonnelNumber, payroll.ErrDuplicate)
		}
		seen[s.Employee] = true
	}
	n := len(have)
	out := slices.Grow(have, len(slips))
	for _, s := range slips {
		out = append(out, clonePayslip(s))
	}
	pr.slips[calculation] = out
	x.t.onUndo(func() {
		if n == 0 {
			delete(pr.slips, calculation)
		} else {
			pr.slips[calculation] = pr.slips[calculation][:n]
		}
	})
	return nil
}

func cloneRun(r payroll.Run) payroll.Run {
	r.Employees = slices.Clone(r.Employees)
	r.Problems = slices.Clone(r.Problems)
	return r
}

// clonePayslip copies what a caller could change: the slices and maps of
// the payslip and of its lines. Line.Bases is shared with the rule pack's
// configuration, which never changes.
func clonePayslip(s payroll.Payslip) payroll.Payslip {
	s.Segments = slices.Clone(s.Segments)
	s.Lines = slices.Clone(s.Lines)
	for i := range s.Lines {
		s.Lines[i].Trace = slices.Clone(s.Lines[i].Trace)
	}
	s.Bases = maps.Clone(s.Bases)
	s.YTD.Lines = maps.Clone(s.YTD.Lines)
	s.YTD.Bases = maps.Clone(s.YTD.Bases)
	return s
}

// boundLedger is the ledger.Store of a payroll transaction: its Update and
// View run inside that transaction. Update is a savepoint: if fn fails,
// the undo log is rolled back to where Update began and the transaction
// goes on.
type boundLedger struct{ t *tx }

func (b boundLedger) Update(ctx context.Context, fn func(ledger.Tx) error) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	t := b.t
	mark := len(t.undo)
	defer func() {
		if p := recover(); p != nil {
			t.rollbackTo(mark)
			panic(p)
		}
	}()
	if err := fn(t); err != nil {
		t.rollbackTo(mark)
		return err
	}
	return nil
}

func (b boundLedger) View(ctx context.Context, fn func(ledger.ReadTx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return fn(b.t)
}
