package storetest

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/ledger"
)

func (s suite) testEntries(t *testing.T) {
	t.Run("Queries", s.testEntryQueries)
	t.Run("ManyPages", s.testManyPages)
}

func (s suite) testEntryQueries(t *testing.T) {
	e := s.env(t)
	e.trialBook() // see its table for the expected sequence numbers
	cc := func(v string) ledger.Dimension { return ledger.Dimension{Name: "cc", Value: v} }
	tests := []struct {
		name string
		q    ledger.EntryQuery
		want []uint64
	}{
		{"all", ledger.EntryQuery{}, []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{"negative limit is no limit", ledger.EntryQuery{Limit: -1}, []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{"account 1400", ledger.EntryQuery{Account: "1400"}, []uint64{2, 4, 7}},
		{"account 1201", ledger.EntryQuery{Account: "1201"}, []uint64{1, 3, 4, 5, 6, 8, 9}},
		{"account 1000 (parent, no lines)", ledger.EntryQuery{Account: "1000"}, nil},
		{"unknown account", ledger.EntryQuery{Account: "7777"}, nil},
		{"February", ledger.EntryQuery{From: day("2026-02-01"), To: day("2026-02-28")}, []uint64{4, 5, 6, 9}},
		{"one day", ledger.EntryQuery{From: day("2026-02-10"), To: day("2026-02-10")}, []uint64{9}},
		{"from March", ledger.EntryQuery{From: day("2026-03-01")}, []uint64{7, 8}},
		{"to January", ledger.EntryQuery{To: day("2026-01-31")}, []uint64{1, 2, 3}},
		{"key", ledger.EntryQuery{Key: "inv-2"}, []uint64{7}},
		{"unknown key", ledger.EntryQuery{Key: "inv-3"}, nil},
		{"key outside the date range", ledger.EntryQuery{Key: "inv-2", To: day("2026-02-28")}, nil},
		{"voucher AR-1", ledger.EntryQuery{Voucher: "AR-1"}, []uint64{2, 4}},
		{"voucher AR-2", ledger.EntryQuery{Voucher: "AR-2"}, []uint64{7}},
		{"voucher CAP-1", ledger.EntryQuery{Voucher: "CAP-1"}, []uint64{1}},
		{"journal AR", ledger.EntryQuery{Journal: "AR"}, []uint64{2, 7}},
		{"journal BANK", ledger.EntryQuery{Journal: "BANK"}, []uint64{4, 5}},
		{"journal GL", ledger.EntryQuery{Journal: "GL"}, []uint64{1, 3, 6, 8, 9}},
		{"cost centre CC-10", ledger.EntryQuery{Dimension: cc("CC-10")}, []uint64{2, 7, 8}},
		{"cost centre CC-20", ledger.EntryQuery{Dimension: cc("CC-20")}, []uint64{3, 6, 7}},
		{"unknown cost centre", ledger.EntryQuery{Dimension: cc("CC-99")}, nil},
		{"account 1201 in February", ledger.EntryQuery{Account: "1201", From: day("2026-02-01"), To: day("2026-02-28")}, []uint64{4, 5, 6, 9}},
		{"account 4000 in journal AR", ledger.EntryQuery{Account: "4000", Journal: "AR"}, []uint64{2, 7}},
		{"voucher AR-1 in journal BANK", ledger.EntryQuery{Voucher: "AR-1", Journal: "BANK"}, []uint64{4}},
		{"after 4", ledger.EntryQuery{After: 4}, []uint64{5, 6, 7, 8, 9}},
		{"after 4, limit 2", ledger.EntryQuery{After: 4, Limit: 2}, []uint64{5, 6}},
		{"after the last", ledger.EntryQuery{After: 9}, nil},
		{"after beyond the last", ledger.EntryQuery{After: 1000}, nil},
		{"account 1201 after 4, limit 2", ledger.EntryQuery{Account: "1201", After: 4, Limit: 2}, []uint64{5, 6}},
		{"account 1201 after 6, limit 2", ledger.EntryQuery{Account: "1201", After: 6, Limit: 2}, []uint64{8, 9}},
		{"voucher AR-1 after 2", ledger.EntryQuery{Voucher: "AR-1", After: 2}, []uint64{4}},
		{"cost centre CC-10 after 2, limit 1", ledger.EntryQuery{Dimension: cc("CC-10"), After: 2, Limit: 1}, []uint64{7}},
		{"February, limit 3", ledger.EntryQuery{From: day("2026-02-01"), To: day("2026-02-28"), Limit: 3}, []uint64{4, 5, 6}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.l.Entries(e.ctx, "TB", tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(seqs(got), tt.want, cmpOpts); diff != "" {
				t.Errorf("seqs (-got +want):\n%s", diff)
			}
			// Every entry returned is the whole entry.
			for _, p := range got {
				want, err := e.l.Entry(e.ctx, "TB", p.Seq)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(p, want, cmpOpts); diff != "" {
					t.Errorf("entry %d (-got +want):\n%s", p.Seq, diff)
				}
			}
			if tt.q.Limit > 0 || tt.q.After > 0 {
				return
			}
			// Paging through with After and any Limit finds the same.
			for _, limit := range []int{1, 2, 3} {
				if got := pages(t, e, "TB", tt.q, limit); !cmp.Equal(got, tt.want, cmpOpts) {
					t.Errorf("pages of %d: seqs %v, want %v", limit, got, tt.want)
				}
			}
		})
	}
}

// pages reads every entry matching q, limit at a time, and returns their
// sequence numbers. It fails the test on a page that is too long, out of
// order, or repeats an entry.
func pages(t *testing.T, e *env, book string, q ledger.EntryQuery, limit int) []uint64 {
	t.Helper()
	var out []uint64
	seen := map[uint64]bool{}
	q.Limit = limit
	for n := 0; ; n++ {
		page, err := e.l.Entries(e.ctx, book, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			return out
		}
		if len(page) > limit {
			t.Fatalf("page %d has %d entries, limit %d", n, len(page), limit)
		}
		for _, p := range page {
			if p.Seq <= q.After || seen[p.Seq] {
				t.Fatalf("page %d (after %d): entry %d out of order or repeated", n, q.After, p.Seq)
			}
			seen[p.Seq] = true
			out = append(out, p.Seq)
			q.After = p.Seq
		}
	}
}

// testManyPages pages through 100 entries in ways that skip many of them.
func (s suite) testManyPages(t *testing.T) {
	e := s.env(t)
	e.book("MP")
	e.accounts(acct("MP", "1000", "Cash", ledger.Asset), acct("MP", "1100", "Float", ledger.Asset),
		acct("MP", "3000", "Equity", ledger.Equity))
	// Entry i (Seq i, 1–100) is dated 2026-01-01 plus (i−1) days; every
	// third one (i = 3, 6, …, 99) moves cash, the others the float, and
	// every fifth one (i = 5, 10, …) has voucher V5 and journal FIVE.
	var all, cash, inApril, fives []uint64
	for i := 1; i <= 100; i++ {
		code := "1100"
		if i%3 == 0 {
			code = "1000"
		}
		en := ledger.Entry{Book: "MP", Key: fmt.Sprintf("mp-%03d", i), Date: day("2026-01-01").AddDays(i - 1), Journal: "GL",
			Lines: []ledger.Line{ledger.Debit(code, eur("1.00")), ledger.Credit("3000", eur("1.00"))}}
		if i%5 == 0 {
			en.Voucher, en.Journal = "V5", "FIVE"
		}
		e.post(en)
		all = append(all, uint64(i))
		if i%3 == 0 {
			cash = append(cash, uint64(i))
		}
		// 2026-04-01 is day 90 of 2026 (31 + 28 + 31 = 90 days before
		// it), so entries 91–100 fall in April.
		if i >= 91 {
			inApril = append(inApril, uint64(i))
		}
		if i%5 == 0 {
			fives = append(fives, uint64(i))
		}
	}
	var cashFives []uint64 // i divisible by 15
	for i := 15; i <= 100; i += 15 {
		cashFives = append(cashFives, uint64(i))
	}
	tests := []struct {
		name string
		q    ledger.EntryQuery
		want []uint64
	}{
		{"all", ledger.EntryQuery{}, all},
		{"account", ledger.EntryQuery{Account: "1000"}, cash},
		{"April", ledger.EntryQuery{From: day("2026-04-01"), To: day("2026-04-30")}, inApril},
		{"voucher", ledger.EntryQuery{Voucher: "V5"}, fives},
		{"journal", ledger.EntryQuery{Journal: "FIVE"}, fives},
		{"account and journal", ledger.EntryQuery{Account: "1000", Journal: "FIVE"}, cashFives},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, limit := range []int{1, 7, 33, 100, 1000} {
				if got := pages(t, e, "MP", tt.q, limit); !cmp.Equal(got, tt.want) {
					t.Errorf("pages of %d: %v, want %v", limit, got, tt.want)
				}
			}
		})
	}
}
