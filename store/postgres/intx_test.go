package postgres_test

import (
	"errors"
	"math"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// TestInTx posts entries inside the caller's own transaction, next to a
// business row of the caller's: they commit or roll back together, and an
// entry the ledger refuses leaves the transaction usable.
func TestInTx(t *testing.T) {
	f := newFixture(t)
	db := f.s.DB()
	mustExec(t, db.DB, "CREATE TABLE app_orders (id TEXT PRIMARY KEY, total TEXT NOT NULL)")
	f.post(move("seed", date.New(2026, 1, 5), "1000", "4000", eur("10.00")))

	// orders returns the IDs in app_orders.
	orders := func(t *testing.T) []string {
		t.Helper()
		var ids []string
		if err := db.Select(&ids, "SELECT id FROM app_orders ORDER BY id"); err != nil {
			t.Fatal(err)
		}
		return ids
	}
	// byKey reports whether an entry with the key is posted, seen from
	// outside the caller's transaction.
	byKey := func(t *testing.T, key string) bool {
		t.Helper()
		_, err := f.l.EntryByKey(f.ctx, "A", key)
		if err != nil && !errors.Is(err, ledger.ErrNotFound) {
			t.Fatalf("EntryByKey(%s): %v", key, err)
		}
		return err == nil
	}
	begin := func(t *testing.T) (*sqlx.Tx, *ledger.Ledger) {
		t.Helper()
		tx, err := db.BeginTxx(f.ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { tx.Rollback() })
		return tx, f.l.WithTx(f.s.InTx(tx.Tx))
	}

	t.Run("Rollback", func(t *testing.T) {
		before := stateOf(t, f.s)
		tx, l := begin(t)
		if _, err := tx.Exec("INSERT INTO app_orders (id, total) VALUES ('o-1', '119.00')"); err != nil {
			t.Fatal(err)
		}
		p, err := l.Post(f.ctx, move("order/o-1", date.New(2026, 2, 1), "1200", "4000", eur("119.00")))
		if err != nil {
			t.Fatal(err)
		}
		// Inside the transaction the entry is there.
		if got, err := l.EntryByKey(f.ctx, "A", "order/o-1"); err != nil || got.Seq != p.Seq {
			t.Errorf("EntryByKey inside the transaction: seq %d, %v; want %d", got.Seq, err, p.Seq)
		}
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
		if ids := orders(t); len(ids) != 0 {
			t.Errorf("orders after rollback: %v, want none", ids)
		}
		if byKey(t, "order/o-1") {
			t.Error("entry order/o-1 posted although its transaction rolled back")
		}
		unchanged(t, f.s, before)
		verify(t, f.s, nil)
	})

	t.Run("Commit", func(t *testing.T) {
		before := stateOf(t, f.s)
		tx, l := begin(t)
		if _, err := tx.Exec("INSERT INTO app_orders (id, total) VALUES ('o-2', '59.50')"); err != nil {
			t.Fatal(err)
		}
		p, err := l.Post(f.ctx, move("order/o-2", date.New(2026, 2, 2), "1200", "4000", eur("59.50")))
		if err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if ids := orders(t); len(ids) != 1 || ids[0] != "o-2" {
			t.Errorf("orders after commit: %v, want [o-2]", ids)
		}
		got, err := f.l.EntryByKey(f.ctx, "A", "order/o-2")
		if err != nil || got.Seq != before.Head.Seq+1 || got.Seq != p.Seq {
			t.Errorf("EntryByKey after commit: seq %d, %v; want %d", got.Seq, err, before.Head.Seq+1)
		}
		verify(t, f.s, nil)
	})

	t.Run("RefusedEntryKeepsTxUsable", func(t *testing.T) {
		// 1000 at MaxInt64 - 500 EUR minor units: 10.00 EUR more overflows
		// its balance in the database (SQLSTATE 22003), an error that
		// aborts a PostgreSQL transaction unless rolled back to a
		// savepoint.
		big := money.New(math.MaxInt64-500-f.balance1000(t), money.EUR)
		f.post(move("big", date.New(2026, 2, 3), "1000", "3000", big))
		before := stateOf(t, f.s)

		tx, l := begin(t)
		_, err := l.Post(f.ctx, move("order/o-3/bad-account", date.New(2026, 2, 4), "1200", "9999", eur("1.00")))
		wantIs(t, "Post to an unknown account", err, ledger.ErrUnknownAccount)
		_, err = l.Post(f.ctx, move("order/o-3/overflow", date.New(2026, 2, 4), "1000", "4000", eur("10.00")))
		wantIs(t, "Post overflowing a balance", err, ledger.ErrOverflow)
		wantCode(t, "Post overflowing a balance", err, "22003") // refused by the database, not in Go
		// The transaction goes on: the caller's row, and a good entry.
		if _, err := tx.Exec("INSERT INTO app_orders (id, total) VALUES ('o-3', '1.00')"); err != nil {
			t.Fatalf("insert after the refused entries: %v", err)
		}
		p, err := l.Post(f.ctx, move("order/o-3", date.New(2026, 2, 4), "1200", "4000", eur("1.00")))
		if err != nil {
			t.Fatalf("Post after the refused entries: %v", err)
		}
		if p.Seq != before.Head.Seq+1 {
			t.Errorf("Post after the refused entries: seq %d, want %d", p.Seq, before.Head.Seq+1)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if ids := orders(t); len(ids) != 2 || ids[1] != "o-3" {
			t.Errorf("orders after commit: %v, want [o-2 o-3]", ids)
		}
		for key, want := range map[string]bool{"order/o-3": true, "order/o-3/bad-account": false, "order/o-3/overflow": false} {
			if got := byKey(t, key); got != want {
				t.Errorf("entry %s posted: %v, want %v", key, got, want)
			}
		}
		after := stateOf(t, f.s)
		if after.Head.Seq != before.Head.Seq+1 || after.Entries != before.Entries+1 || after.Postings != before.Postings+2 {
			t.Errorf("after commit: head %d, %d entries, %d postings; want %d, %d, %d",
				after.Head.Seq, after.Entries, after.Postings, before.Head.Seq+1, before.Entries+1, before.Postings+2)
		}
		verify(t, f.s, nil)
	})
}

// balance1000 returns the balance of account 1000 in EUR minor units.
func (f *fixture) balance1000(t *testing.T) int64 {
	t.Helper()
	b, err := f.l.Balance(f.ctx, "A", "1000", date.Date{})
	if err != nil {
		t.Fatal(err)
	}
	return b.In(money.EUR).MinorUnits()
}
