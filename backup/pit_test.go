package backup_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/backup"
	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/memory"
)

// stores returns a fresh store of every kind: memory, SQLite and, with
// BACKOFFICE_TEST_POSTGRES, PostgreSQL.
func stores(t *testing.T) map[string]func(t *testing.T) backup.Store {
	out := map[string]func(t *testing.T) backup.Store{
		"memory": func(*testing.T) backup.Store { return memory.New() },
		"sqlite": func(t *testing.T) backup.Store { return newSQLite(t) },
	}
	out["postgres"] = func(t *testing.T) backup.Store {
		s := pgStore(t)
		if s == nil {
			t.Skip("BACKOFFICE_TEST_POSTGRES unset")
		}
		return s
	}
	return out
}

// TestPointInTime backs up a book at an entry (Options.Seq) and at a
// time (Options.AsOf) while later entries, a later period close, a new
// account and a new lock date exist, and gets the archive that a backup
// taken at that moment wrote, member by member; restored, its head is the
// cut and its trial balance the source's at the cut.
func TestPointInTime(t *testing.T) {
	ctx := context.Background()
	for name, newStore := range stores(t) {
		t.Run(name, func(t *testing.T) {
			src := newStore(t)
			l := fill(t, src)       // 30 entries, January closed, lock date 31.01.
			postOne(t, l, "inv/31") // entry 31: the cut
			ref := open(t, write(t, src))
			wantTrial := trial(t, src)
			time.Sleep(2 * time.Millisecond)
			between := time.Now()
			time.Sleep(2 * time.Millisecond)

			// Later: February closed, a new account, entries on it, a later lock date.
			if err := l.ClosePeriod(ctx, "acme", 2025, 2); err != nil {
				t.Fatal(err)
			}
			if err := l.CreateAccounts(ctx, ledger.Account{Book: "acme", Code: "1201", Name: "Bank 2", Type: ledger.Asset}); err != nil {
				t.Fatal(err)
			}
			for i := 1; i <= 5; i++ {
				if _, err := l.Post(ctx, ledger.Entry{Book: "acme", Key: fmt.Sprintf("late/%d", i), Date: date.MustParse("2025-03-10"),
					Lines: []ledger.Line{ledger.Debit("1201", eur("5.00")), ledger.Credit("8400", eur("5.00"))}}); err != nil {
					t.Fatal(err)
				}
			}
			if err := l.SetLockDate(ctx, "acme", date.MustParse("2025-02-28")); err != nil {
				t.Fatal(err)
			}

			for _, tc := range []struct {
				name string
				opts backup.Options
			}{
				{"seq", backup.Options{Seq: 31}},
				{"as-of", backup.Options{AsOf: between}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					var buf bytes.Buffer
					m, err := backup.Write(ctx, &buf, src, &tc.opts)
					if err != nil {
						t.Fatal(err)
					}
					a := open(t, buf.Bytes())
					if diff := cmp.Diff(a.Manifest.Members, ref.Manifest.Members); diff != "" {
						t.Errorf("members (-cut +taken at the time):\n%s", diff)
					}
					bs := m.Books[0]
					if bs.AsOf == nil || bs.AsOf.Seq != 31 || bs.Head != ref.Manifest.Books[0].Head {
						t.Errorf("cut %+v, head %+v; want seq 31, head %+v", bs.AsOf, bs.Head, ref.Manifest.Books[0].Head)
					}
					// The lock date of January, set after the last period
					// event before the cut, has no time of its own.
					if bs.AsOf.StateUndated != 1 {
						t.Errorf("StateUndated = %d, want 1", bs.AsOf.StateUndated)
					}
					for tname, newTarget := range stores(t) {
						t.Run(tname, func(t *testing.T) {
							dst := newTarget(t)
							if err := backup.Restore(ctx, dst, a, nil); err != nil {
								t.Fatal(err)
							}
							head, err := ledger.New(dst, nil).Verify(ctx, "acme")
							if err != nil {
								t.Fatal(err)
							}
							if head.Seq != 31 {
								t.Errorf("restored head %d, want 31", head.Seq)
							}
							if diff := cmp.Diff(trial(t, dst), wantTrial); diff != "" {
								t.Errorf("trial balance (-restored +source at the cut):\n%s", diff)
							}
						})
					}
				})
			}
		})
	}
}

// postOne posts a small entry with key k.
func postOne(t *testing.T, l *ledger.Ledger, k string) {
	t.Helper()
	if _, err := l.Post(context.Background(), ledger.Entry{Book: "acme", Key: k, Date: date.MustParse("2025-03-01"),
		Lines: []ledger.Line{ledger.Debit("1200", eur("1.00")), ledger.Credit("8400", eur("1.00"))}}); err != nil {
		t.Fatal(err)
	}
}

// TestPointInTimeUndated: a change of the chart made after the cut but
// before the next period event has no time; it is kept and counted.
func TestPointInTimeUndated(t *testing.T) {
	ctx := context.Background()
	src := memory.New()
	l := fill(t, src)
	postOne(t, l, "inv/31")
	time.Sleep(2 * time.Millisecond)
	if err := l.CreateAccounts(ctx, ledger.Account{Book: "acme", Code: "1201", Name: "Bank 2", Type: ledger.Asset}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	m, err := backup.Write(ctx, &buf, src, &backup.Options{Seq: 31})
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Books[0].AsOf.StateUndated; got != 2 {
		t.Errorf("StateUndated = %d, want 2 (the lock date and the account)", got)
	}
	dst := memory.New()
	if err := backup.Restore(ctx, dst, open(t, buf.Bytes()), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := ledger.New(dst, nil).Account(ctx, "acme", "1201"); err != nil {
		t.Errorf("account 1201: %v", err)
	}

	// At entry 30, before January was closed and locked: neither is kept.
	buf.Reset()
	m, err = backup.Write(ctx, &buf, src, &backup.Options{Seq: 30})
	if err != nil {
		t.Fatal(err)
	}
	if bs := m.Books[0]; bs.Counts["periods.jsonl"] != 0 || bs.AsOf.StateUndated != bs.Counts["state.jsonl"] {
		t.Errorf("cut at 30: %d period events, %d of %d state records undated; want 0 and all", bs.Counts["periods.jsonl"], bs.AsOf.StateUndated, bs.Counts["state.jsonl"])
	}
	dst = memory.New()
	if err := backup.Restore(ctx, dst, open(t, buf.Bytes()), nil); err != nil {
		t.Fatal(err)
	}
	b, err := ledger.New(dst, nil).Book(ctx, "acme")
	if err != nil || !b.LockDate.IsZero() {
		t.Errorf("cut at 30: lock date %s (%v), want none", b.LockDate, err)
	}
}

// TestPointInTimeOptions: contradicting or impossible cuts are ErrOptions.
func TestPointInTimeOptions(t *testing.T) {
	ctx := context.Background()
	src := memory.New()
	fill(t, src)
	l := ledger.New(src, nil)
	if err := l.CreateBook(ctx, ledger.Book{ID: "other", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		opts backup.Options
	}{
		{"seq and as-of", backup.Options{Books: []string{"acme"}, Seq: 3, AsOf: time.Now()}},
		{"seq of two books", backup.Options{Seq: 3}},
		{"seq past the head", backup.Options{Books: []string{"acme"}, Seq: 31}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if _, err := backup.Write(ctx, &buf, src, &tc.opts); !errors.Is(err, backup.ErrOptions) {
				t.Errorf("got %v, want ErrOptions", err)
			}
		})
	}
	// As of a time before every entry: the books without entries.
	var buf bytes.Buffer
	m, err := backup.Write(ctx, &buf, src, &backup.Options{AsOf: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range m.Books {
		if b.Head.Seq != 0 || b.AsOf.Seq != 0 {
			t.Errorf("book %s: head %d, cut %d; want 0", b.ID, b.Head.Seq, b.AsOf.Seq)
		}
	}
}
