package backup

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/partners"
	"github.com/openbackoffice/backoffice/payroll"
)

// errCutReached stops the scan of a book's entries at the cut.
var errCutReached = errors.New("backup: cut reached")

// keep returns the elements of xs for which ok is true, in order.
func keep[T any](xs []T, ok func(T) bool) []T {
	out := xs[:0:0]
	for _, x := range xs {
		if ok(x) {
			out = append(out, x)
		}
	}
	return out
}

// cutState cuts a book's state log at cut.Time and returns the settings,
// chart and period events the kept records replay to, with the kept log.
// The log is kept up to the first period event recorded after the cut;
// settings and accounts decoded from it are replaced by the store's
// current values where those encode the same. A book without a state log
// keeps its current settings and chart and the period events up to the cut.
func cutState(id string, cut *Cut, b ledger.Book, accts []ledger.Account, evs []ledger.PeriodEvent, log []ledger.StateRecord) (
	ledger.Book, []ledger.Account, []ledger.PeriodEvent, []ledger.StateRecord, error) {
	if len(log) == 0 {
		cut.ChartAsStored = true
		return b, accts, keep(evs, func(ev ledger.PeriodEvent) bool { return !ev.At.After(cut.Time) }), nil, nil
	}
	var (
		book   *ledger.Book
		chart  = map[string]ledger.Account{}
		events []ledger.PeriodEvent
		dated  int // records up to the last period event at or before the cut
		n      int
	)
	for _, r := range log {
		ch, err := ledger.DecodeState(nil, id, r.Data)
		if err != nil {
			return b, nil, nil, nil, fmt.Errorf("state record %d: %w", r.Seq, err)
		}
		if ch.Event != nil && ch.Event.At.After(cut.Time) {
			break
		}
		n++
		switch {
		case ch.Book != nil:
			book = ch.Book
		case ch.Account != nil:
			chart[ch.Account.Code] = *ch.Account
		default:
			events = append(events, *ch.Event)
			dated = n
		}
	}
	cut.StateUndated = n - dated
	if book == nil {
		return b, nil, nil, nil, fmt.Errorf("%w: the state log holds no settings before the cut", ErrCorrupt)
	}
	if sameBook(*book, b) {
		book = &b
	}
	for _, a := range accts {
		if old, ok := chart[a.Code]; ok && sameAccount(old, a) {
			chart[a.Code] = a
		}
	}
	out := slices.Collect(maps.Values(chart))
	slices.SortFunc(out, func(x, y ledger.Account) int { return strings.Compare(x.Code, y.Code) })
	// The period events as the store returns them, where they are the same.
	for i := range events {
		if i < len(evs) && samePeriodEvent(evs[i], events[i]) {
			events[i] = evs[i]
		}
	}
	return *book, out, events, log[:n], nil
}

func sameBook(a, b ledger.Book) bool {
	fy := func(m int) int { return max(m, 1) }
	return a.ID == b.ID && a.Name == b.Name && a.Currency == b.Currency &&
		fy(a.FiscalYearStart) == fy(b.FiscalYearStart) && a.LockDate == b.LockDate
}

func sameAccount(a, b ledger.Account) bool {
	bound := func(x, y ledger.Constraint) bool {
		return x.Min.Valid == y.Min.Valid && x.Max.Valid == y.Max.Valid &&
			(!x.Min.Valid || x.Min.Decimal.Equal(y.Min.Decimal)) && (!x.Max.Valid || x.Max.Decimal.Equal(y.Max.Decimal))
	}
	return a.Code == b.Code && a.Name == b.Name && a.Type == b.Type && a.Parent == b.Parent &&
		a.Currency == b.Currency && a.Closed == b.Closed && bound(a.Constraint, b.Constraint) &&
		maps.Equal(a.Metadata, b.Metadata)
}

func samePeriodEvent(a, b ledger.PeriodEvent) bool {
	return a.FiscalYear == b.FiscalYear && a.Number == b.Number && a.State == b.State &&
		a.At.Equal(b.At) && a.Reason == b.Reason
}

// runAsOf returns the pay run r as it stood at the cut (entries up to n,
// after saying whether a time lies after the cut), and false if it was
// created after it. Each step a run took after the cut is taken back:
// a payment (status Posted, no payment data), a posting (Approved, no
// entry and post number), an approval (Calculated, no approval time) and
// its first calculation (Draft, no payslips). A run calculated again after
// the cut is a *CutError: what its earlier calculation found is not kept.
func runAsOf(book string, r payroll.Run, n uint64, after func(time.Time) bool) (payroll.Run, bool, error) {
	if after(r.CreatedAt) {
		return r, false, nil
	}
	if after(r.PaidAt) || r.PaymentEntry > n {
		r.Status, r.PaymentEntry, r.BankAccount, r.PaymentDate, r.PaidAt = payroll.Posted, 0, "", date.Date{}, time.Time{}
	}
	if after(r.PostedAt) || r.Entry > n {
		r.Status, r.PostSeq, r.Entry, r.PostedAt = payroll.Approved, 0, 0, time.Time{}
	}
	if after(r.ApprovedAt) {
		if r.Status == payroll.Approved {
			r.Status = payroll.Calculated
		}
		r.ApprovedAt = time.Time{}
	}
	if after(r.CalculatedAt) {
		if r.Calculation > 1 {
			return r, false, &CutError{Book: book, Record: "pay run " + r.ID,
				Reason: fmt.Sprintf("calculated for the %d. time after the cut; cut after %s", r.Calculation, r.CalculatedAt.UTC().Format(time.RFC3339))}
		}
		r.Status, r.Calculation, r.Basis, r.Problems, r.CalculatedAt = payroll.Draft, 0, 0, nil, time.Time{}
	}
	return r, true, nil
}

// itemsAsOf sets every item's open amount and dunning level from the moves
// and dunning runs kept, as restoring them into a store computes them.
func itemsAsOf(items []partners.Item, moves []partners.Move, runs []partners.DunningRun) ([]partners.Item, error) {
	idx := make(map[string]int, len(items))
	for i := range items {
		it := &items[i]
		it.Open, it.DunningLevel, it.LastDunned = it.Amount, 0, date.Date{}
		idx[it.ID] = i
	}
	for _, m := range moves {
		i, ok := idx[m.Item]
		if !ok {
			return nil, fmt.Errorf("move of entry %d: item %s: %w", m.Entry, m.Item, partners.ErrNotFound)
		}
		o, err := items[i].Open.Sub(m.Amount)
		if err != nil {
			return nil, fmt.Errorf("move of entry %d: item %s: %w", m.Entry, m.Item, err)
		}
		items[i].Open = o
	}
	runs = slices.Clone(runs)
	slices.SortStableFunc(runs, func(a, b partners.DunningRun) int { return a.Date.Compare(b.Date) })
	for _, r := range runs {
		for _, nt := range r.Notices {
			for _, ni := range nt.Items {
				i, ok := idx[ni.Item]
				if !ok {
					return nil, fmt.Errorf("dunning run of %s: item %s: %w", r.Date, ni.Item, partners.ErrNotFound)
				}
				if ni.Level >= items[i].DunningLevel {
					items[i].DunningLevel, items[i].LastDunned = ni.Level, r.Date
				}
			}
		}
	}
	return items, nil
}

// tbSum sums a book's entries into its trial balance.
type tbSum struct {
	base        money.Currency
	inBase      map[string]money.Amount // account → balance in base
	byCur       map[tbKey]money.Amount  // account and currency → balance
	unconverted bool                    // a foreign line without a base amount
	baseOnly    bool                    // seeded in the base currency: byCur lacks the seed
	err         error
}

type tbKey struct {
	account  string
	currency money.Currency
}

func newTBSum(base money.Currency) *tbSum {
	return &tbSum{base: base, inBase: map[string]money.Amount{}, byCur: map[tbKey]money.Amount{}}
}

func (t *tbSum) add(p *ledger.Posted) {
	if t.err != nil {
		return
	}
	for i := range p.Lines {
		ln := &p.Lines[i]
		k := tbKey{ln.Account, ln.Amount.Currency()}
		sum, ok := t.byCur[k]
		if !ok {
			sum = money.Zero(k.currency)
		}
		if sum, t.err = sum.Add(ln.Amount); t.err != nil {
			t.err = fmt.Errorf("entry %d line %d: %w", p.Seq, i+1, t.err)
			return
		}
		t.byCur[k] = sum
		v := ln.Amount
		switch {
		case ln.Converted():
			v = ln.Base
		case k.currency != t.base:
			t.unconverted = true
			continue
		}
		b, ok := t.inBase[ln.Account]
		if !ok {
			b = money.Zero(t.base)
		}
		if b, t.err = b.Add(v); t.err != nil {
			t.err = fmt.Errorf("entry %d line %d: %w", p.Seq, i+1, t.err)
			return
		}
		t.inBase[ln.Account] = b
	}
}

// seed starts t from a trial balance summed before (an incremental
// archive's base), and reports whether it could: not from none.
func (t *tbSum) seed(tb *TrialBalance) bool {
	if tb == nil {
		return false
	}
	for _, r := range tb.Rows {
		if tb.In == "currency" {
			t.byCur[tbKey{r.Account, r.Balance.Currency()}] = r.Balance
		} else {
			t.inBase[r.Account] = r.Balance
		}
	}
	t.unconverted = tb.In == "currency"
	t.baseOnly = tb.In != "currency"
	return true
}

// partial reports whether t, seeded from a trial balance in the base
// currency, met a foreign line without a base amount: its balance per
// currency lacks the seed's entries, and they must be summed again.
func (t *tbSum) partial() bool { return t.baseOnly && t.unconverted }

// result returns the trial balance summed so far.
func (t *tbSum) result() (*TrialBalance, error) {
	if t.err != nil {
		return nil, t.err
	}
	if t.partial() {
		return nil, errors.New("the trial balance per currency needs the base's entries")
	}
	tb := &TrialBalance{In: "base", Rows: []BalanceEntry{}}
	if t.unconverted {
		tb.In = "currency"
		for k, v := range t.byCur {
			if !v.IsZero() {
				tb.Rows = append(tb.Rows, BalanceEntry{Account: k.account, Balance: v})
			}
		}
	} else {
		for a, v := range t.inBase {
			if !v.IsZero() {
				tb.Rows = append(tb.Rows, BalanceEntry{Account: a, Balance: v})
			}
		}
	}
	sortBalances(tb.Rows)
	return tb, nil
}

func sortBalances(rows []BalanceEntry) {
	slices.SortFunc(rows, func(a, b BalanceEntry) int {
		return cmpStrings(a.Account, b.Account, a.Balance.Currency().Code(), b.Balance.Currency().Code())
	})
}

// sameBalances reports the first difference of two trial balances, or "".
func sameBalances(got, want *TrialBalance) string {
	if got.In != want.In {
		return fmt.Sprintf("summed in %s, the manifest's in %s", got.In, want.In)
	}
	for i := 0; i < max(len(got.Rows), len(want.Rows)); i++ {
		switch {
		case i >= len(got.Rows):
			return fmt.Sprintf("account %s (%s) missing", want.Rows[i].Account, want.Rows[i].Balance.Currency().Code())
		case i >= len(want.Rows):
			return fmt.Sprintf("account %s (%s) not in the manifest", got.Rows[i].Account, got.Rows[i].Balance.Currency().Code())
		case got.Rows[i].Account != want.Rows[i].Account || got.Rows[i].Balance.Currency() != want.Rows[i].Balance.Currency():
			return fmt.Sprintf("account %s (%s) where the manifest has account %s (%s)", got.Rows[i].Account, got.Rows[i].Balance.Currency().Code(),
				want.Rows[i].Account, want.Rows[i].Balance.Currency().Code())
		case !got.Rows[i].Balance.Equal(want.Rows[i].Balance):
			return fmt.Sprintf("account %s (%s): the balance differs", got.Rows[i].Account, got.Rows[i].Balance.Currency().Code())
		}
	}
	return ""
}

// ParseTime reads a point in time for Options.AsOf: "2025-06-30T18:00",
// with seconds and a fraction if wanted ("2025-06-30T18:00:05.25"), a
// space instead of the T, and an offset ("Z", "+02:00") or else in loc.
// A date alone is refused, since it does not say which moment of the day
// is meant. ParseTime is safe for concurrent use.
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	v := strings.Replace(strings.TrimSpace(s), " ", "T", 1)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t, nil
		}
	}
	if _, err := time.Parse(time.DateOnly, v); err == nil {
		return time.Time{}, fmt.Errorf("%q is a day, not a point in time: add the time (%sT18:00)", s, v)
	}
	return time.Time{}, fmt.Errorf("%q is not a point in time like 2025-06-30T18:00", s)
}
