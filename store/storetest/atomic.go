package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// errCaptured stops a transaction once captureStore has what it wants.
var errCaptured = errors.New("storetest: append captured")

// captureStore records the entries the ledger hands to Tx.Append and then
// fails the transaction, so that nothing is written. It lets the suite get
// correctly chained entries to append to a store directly.
type captureStore struct {
	ledger.Store
	got []ledger.Posted
}

func (s *captureStore) Update(ctx context.Context, fn func(ledger.Tx) error) error {
	return s.Store.Update(ctx, func(tx ledger.Tx) error { return fn(captureTx{tx, s}) })
}

type captureTx struct {
	ledger.Tx
	s *captureStore
}

func (t captureTx) Append(_ context.Context, _ string, ps []ledger.Posted) error {
	t.s.got = t.s.got[:0]
	for _, p := range ps {
		t.s.got = append(t.s.got, copyPosted(p))
	}
	return errCaptured
}

// prepare returns entries as the ledger would append them to the store
// now, numbered and chained, without appending them.
func (e *env) prepare(entries ...ledger.Entry) []ledger.Posted {
	e.t.Helper()
	cs := &captureStore{Store: e.store}
	l := ledger.New(cs, &ledger.Options{Now: e.clock.Now, Currencies: e.reg})
	if _, err := l.PostBatch(e.ctx, entries); !errors.Is(err, errCaptured) {
		e.t.Fatalf("preparing entries: %v", err)
	}
	return cs.got
}

// failStore fails every Update after fn succeeded, as a failed commit
// would: the store must roll back what fn wrote.
type failStore struct {
	ledger.Store
}

var errCommit = errors.New("storetest: injected commit failure")

func (s failStore) Update(ctx context.Context, fn func(ledger.Tx) error) error {
	return s.Store.Update(ctx, func(tx ledger.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return errCommit
	})
}

// atomicBook sets up book A with accounts 1000 Cash, 1100 Float, 1300
// Deposits (must not go negative), 3000 Equity and one entry (seq 1, 1000
// Dr 100.00 against 3000 on 2026-01-10), and book B, which must stay
// untouched.
func (e *env) atomicBook() {
	e.t.Helper()
	e.book("A")
	dep := acct("A", "1300", "Deposits", ledger.Asset)
	dep.Constraint = ledger.NonNegative()
	e.accounts(acct("A", "1000", "Cash", ledger.Asset), acct("A", "1100", "Float", ledger.Asset), dep,
		acct("A", "3000", "Equity", ledger.Equity))
	e.post(ledger.Entry{Book: "A", Key: "first", Date: day("2026-01-10"),
		Lines: []ledger.Line{ledger.Debit("1000", eur("100.00")), ledger.Credit("3000", eur("100.00"))}})
	e.book("B")
}

// laterEntries touch account/currency pairs and months never posted
// before in book A.
func laterEntries() []ledger.Entry {
	return []ledger.Entry{
		{Book: "A", Key: "later-1", Date: day("2026-05-20"), Description: "new pairs", Metadata: map[string]string{"m": "1"},
			Lines: []ledger.Line{withDims(ledger.Debit("1100", eur("7.00")), "cc", "CC-1"), ledger.Credit("3000", eur("7.00"))}},
		{Book: "A", Key: "later-2", Date: day("2026-06-01"),
			Lines: []ledger.Line{ledger.Debit("1000", usd("3.00")), ledger.Credit("1100", usd("3.00")),
				ledger.Debit("1300", money.New(5, money.JPY)), ledger.Credit("3000", money.New(5, money.JPY))}},
	}
}

func (s suite) testAtomicity(t *testing.T) {
	t.Run("FailedUpdate", s.testFailedUpdate)
	t.Run("FailedCommit", s.testFailedCommit)
	t.Run("CancelledBefore", s.testCancelledBefore)
	t.Run("CancelledDuring", s.testCancelledDuring)
}

func (s suite) testFailedUpdate(t *testing.T) {
	e := s.env(t)
	e.atomicBook()
	before, beforeB := e.snapshot("A"), e.snapshot("B")
	ps := e.prepare(laterEntries()...)
	if len(ps) != 2 || ps[0].Seq != 2 || ps[1].Seq != 3 {
		t.Fatalf("prepared %d entries %v, want seqs 2 and 3", len(ps), seqs(ps))
	}
	boom := errors.New("boom")
	err := e.store.Update(e.ctx, func(tx ledger.Tx) error {
		if err := tx.Append(e.ctx, "A", ps); err != nil {
			return err
		}
		// The transaction sees its own writes.
		if h, err := tx.LockHead(e.ctx, "A"); err != nil || h.Seq != 3 || h.Hash != ps[1].Hash {
			t.Errorf("LockHead after Append = %+v, %v; want seq 3 and the last entry's hash", h, err)
		}
		if _, err := tx.EntryByKey(e.ctx, "A", "later-2"); err != nil {
			t.Errorf("EntryByKey after Append: %v", err)
		}
		if err := tx.PutAccount(e.ctx, acct("A", "1400", "Receivables", ledger.Asset)); err != nil {
			return err
		}
		renamed := acct("A", "1000", "Renamed cash", ledger.Asset)
		if err := tx.PutAccount(e.ctx, renamed); err != nil {
			return err
		}
		if err := tx.SetLockDate(e.ctx, "A", day("2026-03-31")); err != nil {
			return err
		}
		if err := tx.AddPeriodEvent(e.ctx, ledger.PeriodEvent{Book: "A", FiscalYear: 2026, Number: 1, State: ledger.Closed, At: t0Recorded}); err != nil {
			return err
		}
		if err := tx.CreateBook(e.ctx, ledger.Book{ID: "NEW", Name: "New", Currency: money.EUR, FiscalYearStart: 1}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update = %v, want boom", err)
	}
	e.unchanged("A", before)
	e.unchanged("B", beforeB)
	b, err := e.l.Book(e.ctx, "A")
	if err != nil || !b.LockDate.IsZero() {
		t.Errorf("book A after the failed Update: lock date %v, %v; want none", b.LockDate, err)
	}
	if p, err := e.l.Period(e.ctx, "A", day("2026-01-10")); err != nil || p.State != ledger.Open {
		t.Errorf("January after the failed Update: %v, %v; want open", p.State, err)
	}
	for _, key := range []string{"later-1", "later-2"} {
		_, err := e.l.EntryByKey(e.ctx, "A", key)
		wantErr(t, "EntryByKey("+key+") after the failed Update", err, ledger.ErrNotFound)
	}
	_, err = e.l.Entry(e.ctx, "A", 2)
	wantErr(t, "Entry(2) after the failed Update", err, ledger.ErrNotFound)
	_, err = e.l.Account(e.ctx, "A", "1400")
	wantErr(t, "Account(1400) after the failed Update", err, ledger.ErrUnknownAccount)
	_, err = e.l.Book(e.ctx, "NEW")
	wantErr(t, "Book(NEW) after the failed Update", err, ledger.ErrUnknownBook)
	if got, err := e.l.Entries(e.ctx, "A", ledger.EntryQuery{Account: "1100"}); err != nil || len(got) != 0 {
		t.Errorf("Entries on 1100 after the failed Update: %d, %v; want none", len(got), err)
	}

	// The store goes on as if nothing happened: the same entries post
	// with the same numbers, and the book verifies.
	got, err := e.l.PostBatch(e.ctx, laterEntries())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(seqs(got), []uint64{2, 3}); diff != "" {
		t.Errorf("seqs after the failed Update (-got +want):\n%s", diff)
	}
	e.verify("A")
}

// testFailedCommit makes every Update of the ledger fail after its work is
// done: posts, batches, closings and period changes must leave no trace.
func (s suite) testFailedCommit(t *testing.T) {
	e := s.env(t)
	e.atomicBook()
	l := ledger.New(failStore{e.store}, &ledger.Options{Now: e.clock.Now, Currencies: e.reg})
	later := laterEntries()
	eq := acct("A", "2970", "Retained earnings", ledger.Equity)
	for _, op := range []struct {
		name string
		run  func() error
	}{
		{"Post", func() error { _, err := l.Post(e.ctx, later[0]); return err }},
		{"PostBatch", func() error { _, err := l.PostBatch(e.ctx, later); return err }},
		{"Reverse", func() error { _, err := l.Reverse(e.ctx, "A", 1, day("2026-01-11"), "test"); return err }},
		{"CreateAccounts", func() error { return l.CreateAccounts(e.ctx, eq) }},
		{"ClosePeriod", func() error { return l.ClosePeriod(e.ctx, "A", 2026, 1) }},
		{"SetLockDate", func() error { return l.SetLockDate(e.ctx, "A", day("2026-01-31")) }},
		{"CloseAccount", func() error { return l.CloseAccount(e.ctx, "A", "1100") }},
	} {
		t.Run(op.name, func(t *testing.T) {
			e := e.in(t)
			before := e.snapshot("A")
			wantErr(t, op.name, op.run(), errCommit)
			e.unchanged("A", before)
		})
	}
	// CloseYear needs an equity account and something to close.
	e.accounts(eq, acct("A", "4000", "Revenue", ledger.Revenue))
	e.post(ledger.Entry{Book: "A", Date: day("2026-02-01"), Lines: []ledger.Line{ledger.Debit("1000", eur("1.00")), ledger.Credit("4000", eur("1.00"))}})
	before := e.snapshot("A")
	_, err := l.CloseYear(e.ctx, "A", 2026, "2970")
	wantErr(t, "CloseYear", err, errCommit)
	e.unchanged("A", before)
	e.verify("A")
}

func (s suite) testCancelledBefore(t *testing.T) {
	e := s.env(t)
	e.atomicBook()
	before := e.snapshot("A")
	ctx, cancel := context.WithCancel(e.ctx)
	cancel()
	_, err := e.l.Post(ctx, laterEntries()[0])
	wantErr(t, "Post with a cancelled context", err, context.Canceled)
	ps := e.prepare(laterEntries()...)
	err = e.store.Update(ctx, func(tx ledger.Tx) error { return tx.Append(ctx, "A", ps) })
	if err == nil {
		t.Error("Update with a cancelled context succeeded")
	}
	e.unchanged("A", before)
}

// testCancelledDuring cancels the context inside Update after appending.
// Whether the store commits or not, it must do all or nothing and say
// which.
func (s suite) testCancelledDuring(t *testing.T) {
	e := s.env(t)
	e.atomicBook()
	before := e.snapshot("A")
	ps := e.prepare(laterEntries()...)
	ctx, cancel := context.WithCancel(e.ctx)
	defer cancel()
	err := e.store.Update(ctx, func(tx ledger.Tx) error {
		if err := tx.Append(ctx, "A", ps); err != nil {
			return err
		}
		cancel()
		return nil
	})
	if err != nil {
		e.unchanged("A", before)
		return
	}
	if got := seqs(e.allEntries("A")); !cmp.Equal(got, []uint64{1, 2, 3}) {
		t.Errorf("Update succeeded but the book has entries %v, want [1 2 3]", got)
	}
	e.verify("A")
}
