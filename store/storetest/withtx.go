package storetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// TxStore is a SQL store that can bind itself to a caller's transaction.
type TxStore interface {
	ledger.Store
	// Begin starts a transaction on the store's database and returns it
	// with the store bound to it (InTx).
	Begin(ctx context.Context) (*sql.Tx, ledger.Store, error)
}

// WithTx tests ledger.Ledger.WithTx on a SQL store: posts in the caller's
// transaction commit and roll back with it; a view sees a chart change
// committed elsewhere at its next post; and what a view's transaction
// changed and rolled back (an account) never reaches the shared ledger's
// cache, so the shared ledger refuses a post to that account.
func WithTx(t *testing.T, newStore func(t *testing.T) TxStore) {
	ctx := context.Background()
	s := newStore(t)
	shared := ledger.New(s, nil)
	if err := shared.CreateBook(ctx, ledger.Book{ID: "WT", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	acct := func(code string, typ ledger.AccountType) ledger.Account {
		return ledger.Account{Book: "WT", Code: code, Name: code, Type: typ}
	}
	if err := shared.CreateAccounts(ctx, acct("1200", ledger.Asset), acct("8400", ledger.Revenue)); err != nil {
		t.Fatal(err)
	}
	eur := func(minor int64) money.Amount { return money.New(minor, money.EUR) }
	entry := func(key, debit string) ledger.Entry {
		return ledger.Entry{Book: "WT", Key: key, Date: date.New(2026, 3, 2), Lines: []ledger.Line{
			ledger.Debit(debit, eur(1000)), ledger.Credit("8400", eur(1000))}}
	}
	if _, err := shared.Post(ctx, entry("warm", "1200")); err != nil { // the shared ledger caches the chart
		t.Fatal(err)
	}
	posted := func(key string) bool {
		t.Helper()
		_, err := shared.EntryByKey(ctx, "WT", key)
		if err != nil && !errors.Is(err, ledger.ErrNotFound) {
			t.Fatal(err)
		}
		return err == nil
	}

	// Commit and rollback go with the caller's transaction.
	for _, commit := range []bool{false, true} {
		tx, in, err := s.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		key := map[bool]string{false: "rolled-back", true: "committed"}[commit]
		if _, err := shared.WithTx(in).Post(ctx, entry(key, "1200")); err != nil {
			tx.Rollback()
			t.Fatalf("%s: %v", key, err)
		}
		if commit {
			err = tx.Commit()
		} else {
			err = tx.Rollback()
		}
		if err != nil {
			t.Fatal(err)
		}
		if posted(key) != commit {
			t.Errorf("entry %s posted: %v, want %v", key, !commit, commit)
		}
	}

	// An account created and used in a view's transaction, then rolled
	// back: the shared ledger, whose cache the view shares, must not know it.
	tx, in, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	v := shared.WithTx(in)
	if err := v.CreateAccounts(ctx, acct("1300", ledger.Asset)); err != nil {
		tx.Rollback()
		t.Fatal(err)
	}
	if _, err := v.Post(ctx, entry("uncommitted-chart", "1300")); err != nil {
		tx.Rollback()
		t.Fatalf("post to the account created in the transaction: %v", err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	// Another chart change, committed, takes the version number the
	// rolled-back one had: a snapshot of the rolled-back chart under that
	// number would let 1300 in.
	other := ledger.New(s, nil)
	if err := other.CreateAccounts(ctx, acct("1400", ledger.Asset)); err != nil {
		t.Fatal(err)
	}
	if _, err := shared.Post(ctx, entry("after-rollback", "1300")); !errors.Is(err, ledger.ErrUnknownAccount) {
		t.Errorf("shared post to an account rolled back: %v, want ErrUnknownAccount", err)
	}

	// A chart change committed by another ledger reaches the next view.
	if err := other.CloseAccount(ctx, "WT", "1200"); err != nil {
		t.Fatal(err)
	}
	tx, in, err = s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	v = shared.WithTx(in)
	if _, err := v.Post(ctx, entry("new-account", "1400")); err != nil {
		t.Errorf("view post to an account created elsewhere: %v", err)
	}
	if _, err := v.Post(ctx, entry("closed-account", "1200")); !errors.Is(err, ledger.ErrAccountClosed) {
		t.Errorf("view post to an account closed elsewhere: %v, want ErrAccountClosed", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := shared.Verify(ctx, "WT"); err != nil {
		t.Errorf("Verify: %v", err)
	}
}

// BenchWithTx measures posting one entry per transaction on s, through
// the shared ledger (the baseline: its own transaction, group commit) and
// in a caller's transaction (begin, ledger.WithTx(…).Post, commit), and
// the old way (a new ledger.New per transaction, which loads the book and
// chart every time), each with 1 and 8 goroutines. The chart has 241
// accounts, as the SKR 03 one.
func BenchWithTx(b *testing.B, s TxStore) {
	ctx := context.Background()
	shared := ledger.New(s, nil)
	const accounts = 241
	BenchBook(b, shared, "wt", accounts)
	var seq atomic.Int64
	next := func() ledger.Entry {
		n := seq.Add(1)
		amt := money.New(100+n%1000, money.EUR)
		return ledger.Entry{Book: "wt", Key: fmt.Sprintf("wt-%d", n), Date: date.New(2026, 3, 1+int(n%28)), Lines: []ledger.Line{
			ledger.Debit(fmt.Sprintf("%05d", n%accounts), amt), ledger.Credit(fmt.Sprintf("%05d", (n+1)%accounts), amt)}}
	}
	inTx := func(view func(ledger.Store) *ledger.Ledger) error {
		tx, in, err := s.Begin(ctx)
		if err != nil {
			return err
		}
		if _, err := view(in).Post(ctx, next()); err != nil {
			tx.Rollback()
			return err
		}
		return tx.Commit()
	}
	ways := []struct {
		name string
		post func() error
	}{
		{"shared", func() error { _, err := shared.Post(ctx, next()); return err }},
		{"WithTx", func() error { return inTx(shared.WithTx) }},
		{"New-per-tx", func() error { return inTx(func(in ledger.Store) *ledger.Ledger { return ledger.New(in, nil) }) }},
	}
	for _, g := range []int{1, 8} {
		for _, w := range ways {
			b.Run(fmt.Sprintf("%s/goroutines=%d", w.name, g), func(b *testing.B) {
				if _, err := shared.Post(ctx, next()); err != nil { // warm the cache
					b.Fatal(err)
				}
				if g == 1 {
					for b.Loop() {
						if err := w.post(); err != nil {
							b.Fatal(err)
						}
					}
				} else {
					b.SetParallelism((g + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							if err := w.post(); err != nil {
								b.Error(err)
								return
							}
						}
					})
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "posts/s")
			})
		}
	}
}
