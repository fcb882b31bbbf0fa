package backup_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/backup"
	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/fx"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// addHR hires employee n of "acme" and records a time entry for them, and
// another for employee 1 (the same day again: time entries have no
// identity, so a second equal one counts).
func addHR(t *testing.T, s backup.Store, n int) {
	t.Helper()
	ctx := context.Background()
	r := hr.New(s, nil)
	e, err := r.Hire(ctx, hr.Employee{Employer: "acme", PersonnelNumber: fmt.Sprintf("%04d", n),
		GivenName: "Anna", FamilyName: fmt.Sprintf("Muster %d", n), HireDate: date.MustParse("2025-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	first, err := r.EmployeeByNumber(ctx, "acme", "0001")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateHR(ctx, func(tx hr.Tx) error {
		return tx.AddTimeEntries(ctx, []hr.TimeEntry{
			{Employee: e.ID, Date: date.MustParse("2025-03-03"), Kind: hr.Regular, Hours: decimal.NewFromInt(8)},
			{Employee: first.ID, Date: date.MustParse("2025-03-04"), Kind: hr.Regular, Hours: decimal.NewFromInt(2)},
		})
	}); err != nil {
		t.Fatal(err)
	}
}

// writeSince writes an archive of src, incremental on base if not nil.
func writeSince(t *testing.T, src backup.Store, base *backup.Archive) *backup.Archive {
	t.Helper()
	var buf bytes.Buffer
	if _, err := backup.Write(context.Background(), &buf, src, &backup.Options{Since: base}); err != nil {
		t.Fatal(err)
	}
	return open(t, buf.Bytes())
}

// TestIncremental writes a full archive, then two increments while the
// book goes on (entries, a closed month, a new account, a later lock
// date, rates, employees and time entries), and restores the chain into
// every store in one go and one archive after another: each copy
// verifies, and its trial balance and members are the source's.
func TestIncremental(t *testing.T) {
	ctx := context.Background()
	for name, newStore := range stores(t) {
		t.Run(name, func(t *testing.T) {
			src := newStore(t)
			l := fill(t, src) // 30 entries, January closed, lock date 31.01.
			addHR(t, src, 1)
			base := writeSince(t, src, nil)

			// Increment 1: entries, February closed, a new account, a rate, an employee.
			for i := 1; i <= 7; i++ {
				postOne(t, l, fmt.Sprintf("one/%d", i))
			}
			if err := l.ClosePeriod(ctx, "acme", 2025, 2); err != nil {
				t.Fatal(err)
			}
			if err := l.CreateAccounts(ctx, ledger.Account{Book: "acme", Code: "1201", Name: "Bank 2", Type: ledger.Asset}); err != nil {
				t.Fatal(err)
			}
			if _, err := src.PutRates(ctx, "acme", []fx.Rate{{Date: date.MustParse("2025-02-03"), From: money.EUR, To: money.USD,
				Rate: decimal.RequireFromString("1.0350"), Source: "ECB"}}); err != nil {
				t.Fatal(err)
			}
			addHR(t, src, 2)
			inc1 := writeSince(t, src, base)

			// Increment 2: more entries on the new account, a later lock date.
			for i := 1; i <= 3; i++ {
				if _, err := l.Post(ctx, ledger.Entry{Book: "acme", Key: fmt.Sprintf("two/%d", i), Date: date.MustParse("2025-03-10"),
					Lines: []ledger.Line{ledger.Debit("1201", eur("5.00")), ledger.Credit("8400", eur("5.00"))}}); err != nil {
					t.Fatal(err)
				}
			}
			if err := l.SetLockDate(ctx, "acme", date.MustParse("2025-02-28")); err != nil {
				t.Fatal(err)
			}
			inc2 := writeSince(t, src, inc1)
			// Nothing new: an increment of no entries.
			inc3 := writeSince(t, src, inc2)
			full := writeSince(t, src, nil)

			for _, a := range []*backup.Archive{inc1, inc2, inc3} {
				if err := a.Verify(nil); err != nil {
					t.Fatalf("Verify of an increment: %v", err)
				}
			}
			bs := inc2.Manifest.Books[0]
			if bs.Counts["entries.jsonl"] != 3 || bs.Base == nil || bs.Base.Head.Seq != 37 || bs.Head.Seq != 40 {
				t.Errorf("increment 2 holds %d entries after %+v, head %d; want 3 after 37, head 40", bs.Counts["entries.jsonl"], bs.Base, bs.Head.Seq)
			}
			if inc2.Manifest.Base.Manifest != inc1.Digest() {
				t.Errorf("increment 2 names base %s, want %s", inc2.Manifest.Base.Manifest, inc1.Digest())
			}
			if got := inc3.Manifest.Books[0].Counts["entries.jsonl"]; got != 0 {
				t.Errorf("increment 3 holds %d entries, want 0", got)
			}
			if diff := cmp.Diff(inc2.Manifest.Books[0].TrialBalance, full.Manifest.Books[0].TrialBalance); diff != "" {
				t.Errorf("increment's trial balance (-inc +full):\n%s", diff)
			}
			wantTrial := trial(t, src)

			for tname, newTarget := range stores(t) {
				t.Run(tname, func(t *testing.T) {
					check := func(t *testing.T, dst backup.Store) {
						t.Helper()
						head, err := ledger.New(dst, nil).Verify(ctx, "acme")
						if err != nil {
							t.Fatal(err)
						}
						if head.Seq != 40 {
							t.Errorf("restored head %d, want 40", head.Seq)
						}
						if diff := cmp.Diff(trial(t, dst), wantTrial); diff != "" {
							t.Errorf("trial balance (-restored +source):\n%s", diff)
						}
						// Read back, the copy is the source: a full archive of
						// each has the same members.
						if diff := cmp.Diff(writeSince(t, dst, nil).Manifest.Members, full.Manifest.Members); diff != "" {
							t.Errorf("members (-restored +source):\n%s", diff)
						}
					}
					t.Run("chain", func(t *testing.T) {
						dst := newTarget(t)
						if err := backup.RestoreChain(ctx, dst, []*backup.Archive{base, inc1, inc2, inc3}, nil); err != nil {
							t.Fatal(err)
						}
						check(t, dst)
					})
					t.Run("one by one", func(t *testing.T) {
						dst := newTarget(t)
						for _, a := range []*backup.Archive{base, inc1, inc2} {
							if err := backup.Restore(ctx, dst, a, nil); err != nil {
								t.Fatal(err)
							}
						}
						// inc1 again: the target has gone past its base.
						err := backup.Restore(ctx, dst, inc1, nil)
						var be *backup.BaseError
						if !errors.As(err, &be) || !errors.Is(err, backup.ErrBase) || be.Book != "acme" || be.Base.Seq != 30 || be.Got.Seq != 40 {
							t.Errorf("increment 1 on increment 2: %v, want a BaseError of acme, base 30, target 40", err)
						}
						check(t, dst)
					})
				})
			}
		})
	}
}

// TestIncrementalRefused: an increment whose base is missing, out of
// order, or not what the target holds is refused, and nothing is written.
func TestIncrementalRefused(t *testing.T) {
	ctx := context.Background()
	src := newSQLite(t)
	l := fill(t, src)
	base := writeSince(t, src, nil)
	postOne(t, l, "one")
	inc1 := writeSince(t, src, base)
	postOne(t, l, "two")
	inc2 := writeSince(t, src, inc1)

	for _, tc := range []struct {
		name  string
		chain []*backup.Archive
	}{
		{"missing", []*backup.Archive{base, inc2}},
		{"out of order", []*backup.Archive{base, inc2, inc1}},
		{"full after increment", []*backup.Archive{inc1, base}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dst := newSQLite(t)
			err := backup.RestoreChain(ctx, dst, tc.chain, nil)
			var ce *backup.ChainError
			if !errors.As(err, &ce) || !errors.Is(err, backup.ErrChain) {
				t.Fatalf("got %v, want a ChainError", err)
			}
			t.Log(err)
			if books, _ := ledger.New(dst, nil).Books(ctx); len(books) != 0 {
				t.Errorf("target holds %v", books)
			}
		})
	}

	t.Run("target without the base", func(t *testing.T) {
		for name, newTarget := range stores(t) {
			t.Run(name, func(t *testing.T) {
				dst := newTarget(t)
				err := backup.Restore(ctx, dst, inc2, nil)
				var be *backup.BaseError
				if !errors.As(err, &be) || !be.Missing || !errors.Is(err, ledger.ErrUnknownBook) {
					t.Fatalf("increment on an empty store: %v", err)
				}
				// The target holds the base, not increment 1: inc2 is refused,
				// and the base stays as it was.
				if err := backup.Restore(ctx, dst, base, nil); err != nil {
					t.Fatal(err)
				}
				err = backup.Restore(ctx, dst, inc2, nil)
				if !errors.As(err, &be) || be.What != "entries" || be.Base.Seq != 31 || be.Got.Seq != 30 {
					t.Fatalf("increment 2 on the base: %v", err)
				}
				t.Log(err)
				if h, err := ledger.New(dst, nil).Verify(ctx, "acme"); err != nil || h.Seq != 30 {
					t.Errorf("target after the refusal: head %d, %v", h.Seq, err)
				}
			})
		}
	})

	t.Run("store not continuing the base", func(t *testing.T) {
		other := newSQLite(t)
		fill(t, other)
		postOne(t, ledger.New(other, nil), "other") // entry 31 of another chain
		_, err := backup.Write(ctx, &bytes.Buffer{}, other, &backup.Options{Since: inc1})
		var be *backup.BaseError
		if !errors.As(err, &be) || be.Where != "store" || be.Base.Seq != 31 {
			t.Fatalf("got %v, want a BaseError of the store at entry 31", err)
		}
		t.Log(err)
	})

	t.Run("options", func(t *testing.T) {
		_, err := backup.Write(ctx, &bytes.Buffer{}, src, &backup.Options{Since: base, Seq: 3})
		if !errors.Is(err, backup.ErrOptions) {
			t.Errorf("Since with Seq: %v", err)
		}
	})
}

// TestRestoreAtomic: an entry damaged late in an archive is found while
// the entries before it are being written, after book acme, its HR
// records and the entries of book zeta before it; the restore, of a full
// archive or of an increment, leaves every store as it was, the memory
// store too.
func TestRestoreAtomic(t *testing.T) {
	ctx := context.Background()
	src := newSQLite(t)
	l := fill(t, src) // 30 entries
	addHR(t, src, 1)
	if err := l.CreateBook(ctx, ledger.Book{ID: "zeta", Name: "Zeta", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	if err := l.CreateAccounts(ctx, ledger.SKR03("zeta")...); err != nil {
		t.Fatal(err)
	}
	var batch []ledger.Entry
	for i := 1; i <= 1500; i++ { // more than a chunk of the ledger's Restore
		batch = append(batch, ledger.Entry{Book: "zeta", Key: fmt.Sprint(i), Date: date.MustParse("2025-03-01"),
			Lines: []ledger.Line{ledger.Debit("1200", eur("1.00")), ledger.Credit("8400", eur("1.00"))}})
	}
	if _, err := l.PostBatch(ctx, batch); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := backup.Write(ctx, &buf, src, nil); err != nil {
		t.Fatal(err)
	}
	full := bytes.Clone(buf.Bytes())
	for i := 1; i <= 5; i++ {
		postOne(t, l, fmt.Sprintf("late/%d", i))
	}
	buf.Reset()
	if _, err := backup.Write(ctx, &buf, src, &backup.Options{Since: open(t, full)}); err != nil {
		t.Fatal(err)
	}
	inc := buf.Bytes()
	// lastLine changes the amount of the member's last line.
	lastLine := func(from, to string) func([]byte) []byte {
		return func(b []byte) []byte {
			i := bytes.LastIndexByte(b[:len(b)-1], '\n')
			return append(b[:i:i], bytes.Replace(b[i:], []byte(from), []byte(to), 1)...)
		}
	}
	badFull := open(t, rezip(t, full, "books/zeta/entries.jsonl", lastLine(`"1.00"`, `"1.01"`)))
	badInc := open(t, rezip(t, inc, "books/acme/entries.jsonl", lastLine(`"1.00"`, `"1.01"`)))
	for name, newTarget := range stores(t) {
		t.Run(name, func(t *testing.T) {
			dst := newTarget(t)
			err := backup.Restore(ctx, dst, badFull, nil)
			var ae *backup.ArchiveError
			if !errors.As(err, &ae) || ae.Line != 1500 {
				t.Fatalf("damaged entry 1500 of zeta: %v", err)
			}
			if books, err := ledger.New(dst, nil).Books(ctx); err != nil || len(books) != 0 {
				t.Fatalf("after a failed restore the target holds %v (%v)", books, err)
			}
			if es, _ := hr.New(dst, nil).Employees(ctx, "acme"); len(es) != 0 {
				t.Fatalf("after a failed restore the target holds %d employees", len(es))
			}
			// The base restored, the damaged increment leaves it as it is.
			if err := backup.Restore(ctx, dst, open(t, full), nil); err != nil {
				t.Fatal(err)
			}
			err = backup.Restore(ctx, dst, badInc, nil)
			if !errors.As(err, &ae) || ae.Line != 5 {
				t.Fatalf("damaged entry 35: %v", err)
			}
			if h, err := ledger.New(dst, nil).Verify(ctx, "acme"); err != nil || h.Seq != 30 {
				t.Errorf("after a failed increment: head %d, %v; want 30", h.Seq, err)
			}
			if h, err := ledger.New(dst, nil).Verify(ctx, "zeta"); err != nil || h.Seq != 1500 {
				t.Errorf("after a failed increment: zeta's head %d, %v; want 1500", h.Seq, err)
			}
		})
	}
}
