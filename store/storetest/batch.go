package storetest

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// batchBook sets up book PB: 1000 Cash, 1200 Bank (must not go negative),
// 3000 Equity, 4000 Revenue; entry "fund" debits Bank 100.00 against Equity.
// Period 2026/02 is closed.
func (e *env) batchBook() ledger.Posted {
	e.t.Helper()
	e.book("PB")
	bank := acct("PB", "1200", "Bank", ledger.Asset)
	bank.Constraint = ledger.NonNegative()
	e.accounts(acct("PB", "1000", "Cash", ledger.Asset), bank,
		acct("PB", "3000", "Equity", ledger.Equity), acct("PB", "4000", "Revenue", ledger.Revenue))
	fund := e.post(ledger.Entry{Book: "PB", Key: "fund", Date: day("2026-01-02"),
		Lines: []ledger.Line{ledger.Debit("1200", eur("100.00")), ledger.Credit("3000", eur("100.00"))}})
	if err := e.l.ClosePeriod(e.ctx, "PB", 2026, 2); err != nil {
		e.t.Fatal(err)
	}
	return fund
}

// move returns an entry of book PB dated 2026-01-15 debiting dr and crediting cr.
func move(key, dr, cr string, a money.Amount) ledger.Entry {
	return ledger.Entry{Book: "PB", Key: key, Date: day("2026-01-15"), Description: key,
		Lines: []ledger.Line{ledger.Debit(dr, a), ledger.Credit(cr, a)}}
}

func (s suite) testPostBatch(t *testing.T) {
	t.Run("Rejected", s.testBatchRejected)
	t.Run("Accepted", s.testBatchAccepted)
}

func (s suite) testBatchRejected(t *testing.T) {
	a := move("a", "1000", "4000", eur("1.00"))
	b := move("b", "1000", "4000", eur("2.00"))
	d := move("d", "1000", "4000", eur("4.00"))
	unknown := move("c", "1000", "4999", eur("3.00"))
	unbalanced := move("c", "1000", "4000", eur("3.00"))
	unbalanced.Lines[1].Amount = eur("-2.99")
	closedPeriod := move("c", "1000", "4000", eur("3.00"))
	closedPeriod.Date = day("2026-02-03")
	otherBook := move("c", "1000", "4000", eur("3.00"))
	otherBook.Book = "OTHER"
	aChanged := move("a", "1000", "4000", eur("1.01"))
	fundChanged := move("fund", "1200", "3000", eur("100.01"))
	tests := []struct {
		name  string
		batch []ledger.Entry
		want  error
		index int
	}{
		{"third entry names an unknown account", []ledger.Entry{a, b, unknown, d}, ledger.ErrUnknownAccount, 2},
		{"third entry unbalanced", []ledger.Entry{a, b, unbalanced, d}, ledger.ErrUnbalanced, 2},
		{"third entry in a closed period", []ledger.Entry{a, b, closedPeriod, d}, ledger.ErrPeriodClosed, 2},
		{"third entry in another book", []ledger.Entry{a, b, otherBook, d}, ledger.ErrInvalid, 2},
		{"key repeated with another payload", []ledger.Entry{a, b, aChanged, d}, ledger.ErrConflict, 2},
		{"stored key with another payload", []ledger.Entry{a, fundChanged}, ledger.ErrConflict, 1},
		// Each alone fits: 100.00 − 60.00 = 40.00 ≥ 0. Together the second
		// takes the bank to 40.00 − 60.00 = −20.00.
		{"constraint breaks after the second entry", []ledger.Entry{
			move("x1", "1000", "1200", eur("60.00")), move("x2", "1000", "1200", eur("60.00")), d,
		}, ledger.ErrConstraint, 1},
		// 100.00 − 150.00 = −50.00 after the first entry, although the
		// second would bring it back to 50.00: constraints hold after each.
		{"constraint holds after each entry", []ledger.Entry{
			move("y1", "1000", "1200", eur("150.00")), move("y2", "1200", "3000", eur("100.00")),
		}, ledger.ErrConstraint, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := s.env(t)
			e.batchBook()
			before := e.snapshot("PB")
			ps, err := e.l.PostBatch(e.ctx, tt.batch)
			if !errors.Is(err, tt.want) {
				t.Fatalf("PostBatch = %d entries, %v; want an error wrapping %v", len(ps), err, tt.want)
			}
			var ee *ledger.EntryError
			if !errors.As(err, &ee) {
				t.Errorf("error %v is not an *EntryError", err)
			} else if ee.Index != tt.index {
				t.Errorf("EntryError.Index = %d, want %d", ee.Index, tt.index)
			}
			e.unchanged("PB", before)
			for _, en := range tt.batch {
				if en.Key == "" || en.Key == "fund" {
					continue
				}
				if _, err := e.l.EntryByKey(e.ctx, "PB", en.Key); !errors.Is(err, ledger.ErrNotFound) {
					t.Errorf("EntryByKey(%s) after a failed batch: %v, want ErrNotFound", en.Key, err)
				}
			}
		})
	}
}

func (s suite) testBatchAccepted(t *testing.T) {
	t.Run("repeated key with the same payload", func(t *testing.T) {
		e := s.env(t)
		e.batchBook()
		x, y := move("x", "1000", "4000", eur("1.00")), move("y", "1000", "4000", eur("2.00"))
		ps, err := e.l.PostBatch(e.ctx, []ledger.Entry{x, y, x})
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 3 {
			t.Fatalf("PostBatch returned %d entries, want 3", len(ps))
		}
		// fund is 1; x and y get 2 and 3, and the repeated x is x.
		if got, want := seqs(ps), []uint64{2, 3, 2}; !cmp.Equal(got, want) {
			t.Errorf("seqs = %v, want %v", got, want)
		}
		if diff := cmp.Diff(ps[2], ps[0], cmpOpts); diff != "" {
			t.Errorf("repeated entry (-got +want):\n%s", diff)
		}
		if got := seqs(e.allEntries("PB")); !cmp.Equal(got, []uint64{1, 2, 3}) {
			t.Errorf("stored seqs = %v, want [1 2 3]", got)
		}
		e.verify("PB")
	})
	t.Run("key already stored", func(t *testing.T) {
		e := s.env(t)
		fund := e.batchBook()
		again := ledger.Entry{Book: "PB", Key: "fund", Date: day("2026-01-02"),
			Lines: []ledger.Line{ledger.Debit("1200", eur("100.00")), ledger.Credit("3000", eur("100.00"))}}
		ps, err := e.l.PostBatch(e.ctx, []ledger.Entry{again, move("y", "1000", "4000", eur("2.00"))})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(ps[0], fund, cmpOpts); diff != "" {
			t.Errorf("stored entry (-got +want):\n%s", diff)
		}
		if ps[1].Seq != 2 {
			t.Errorf("new entry has Seq %d, want 2", ps[1].Seq)
		}
		e.verify("PB")
	})
	t.Run("constraint restored within the batch", func(t *testing.T) {
		e := s.env(t)
		e.batchBook()
		// 100.00 + 50.00 = 150.00, then 150.00 − 150.00 = 0.
		ps, err := e.l.PostBatch(e.ctx, []ledger.Entry{
			move("in", "1200", "3000", eur("50.00")), move("out", "1000", "1200", eur("150.00")),
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := seqs(ps); !cmp.Equal(got, []uint64{2, 3}) {
			t.Errorf("seqs = %v, want [2 3]", got)
		}
		if !ps[0].RecordedAt.Equal(t0Recorded) || !ps[1].RecordedAt.Equal(t0Recorded) {
			t.Errorf("RecordedAt = %v, %v; want %v", ps[0].RecordedAt, ps[1].RecordedAt, t0Recorded)
		}
		bal, err := e.l.Balance(e.ctx, "PB", "1200", day("2026-01-15"))
		if err != nil {
			t.Fatal(err)
		}
		if len(bal) != 0 {
			t.Errorf("bank balance %v, want 0", bal)
		}
		e.verify("PB")
	})
	t.Run("empty batch", func(t *testing.T) {
		e := s.env(t)
		e.batchBook()
		before := e.snapshot("PB")
		ps, err := e.l.PostBatch(e.ctx, nil)
		if err != nil || len(ps) != 0 {
			t.Errorf("PostBatch(nil) = %v, %v; want nothing, nil", ps, err)
		}
		e.unchanged("PB", before)
	})
}
