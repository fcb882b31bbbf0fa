package storetest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
)

func (s suite) testChain(t *testing.T) {
	t.Run("EmptyBook", func(t *testing.T) {
		e := s.env(t)
		e.book("E")
		if got := e.verify("E"); got != (ledger.Head{}) {
			t.Errorf("Verify of an empty book = %+v, want the zero Head", got)
		}
		if got := e.head("E"); got != (ledger.Head{}) {
			t.Errorf("Head of an empty book = %+v, want the zero Head", got)
		}
	})
	t.Run("Gapless", s.testGapless)
	t.Run("BooksAreSeparate", s.testBooksSeparate)
	t.Run("Reverse", s.testReverse)
}

// testGapless posts 12 entries of which every fourth breaks the bank's
// constraint: rejected entries use up no sequence number.
func (s suite) testGapless(t *testing.T) {
	e := s.env(t)
	e.batchBook() // fund: seq 1, bank 100.00
	posted := 1
	for i := 1; i <= 12; i++ {
		en := move(fmt.Sprintf("e%02d", i), "1000", "4000", eur("1.00"))
		if i%4 == 0 {
			en = move(fmt.Sprintf("e%02d", i), "1000", "1200", eur("100.01")) // overdraws
		}
		p, err := e.l.Post(e.ctx, en)
		if i%4 == 0 {
			wantErr(t, en.Key, err, ledger.ErrConstraint)
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", en.Key, err)
		}
		posted++
		if p.Seq != uint64(posted) {
			t.Errorf("%s: Seq %d, want %d", en.Key, p.Seq, posted)
		}
	}
	// 1 + 12 − 3 rejected = 10 entries, numbered 1 to 10.
	got := seqs(e.allEntries("PB"))
	want := []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	if !cmp.Equal(got, want) {
		t.Errorf("seqs = %v, want %v", got, want)
	}
	head := e.verify("PB")
	if stored := e.head("PB"); head != stored {
		t.Errorf("Verify = %+v, store Head = %+v", head, stored)
	}
	if head.Seq != 10 {
		t.Errorf("head Seq %d, want 10", head.Seq)
	}
	last, err := e.l.Entry(e.ctx, "PB", 10)
	if err != nil {
		t.Fatal(err)
	}
	if last.Hash != head.Hash {
		t.Errorf("head hash %x, last entry's hash %x", head.Hash, last.Hash)
	}
}

// testBooksSeparate posts to two books in one store: each has its own
// sequence, chain, keys, balances and periods.
func (s suite) testBooksSeparate(t *testing.T) {
	e := s.env(t)
	for _, b := range []string{"A", "B"} {
		e.book(b)
		e.accounts(acct(b, "1000", "Cash", ledger.Asset), acct(b, "3000", "Equity", ledger.Equity))
	}
	en := func(b string, a string) ledger.Entry {
		return ledger.Entry{Book: b, Key: "same-key", Date: day("2026-01-10"),
			Lines: []ledger.Line{ledger.Debit("1000", eur(a)), ledger.Credit("3000", eur(a))}}
	}
	pa := e.post(en("A", "1.00"))
	pb := e.post(en("B", "2.00")) // the same key in another book is another entry
	if pa.Seq != 1 || pb.Seq != 1 {
		t.Errorf("seqs %d and %d, want 1 and 1", pa.Seq, pb.Seq)
	}
	e.post(ledger.Entry{Book: "B", Date: day("2026-01-11"),
		Lines: []ledger.Line{ledger.Debit("1000", eur("3.00")), ledger.Credit("3000", eur("3.00"))}})
	if err := e.l.ClosePeriod(e.ctx, "A", 2026, 1); err != nil {
		t.Fatal(err)
	}
	// B's January stays open.
	e.post(ledger.Entry{Book: "B", Date: day("2026-01-12"),
		Lines: []ledger.Line{ledger.Debit("1000", eur("4.00")), ledger.Credit("3000", eur("4.00"))}})

	// A: 1.00; B: 2.00 + 3.00 + 4.00 = 9.00.
	for b, want := range map[string]ledger.Balance{"A": {eur("1.00")}, "B": {eur("9.00")}} {
		got, err := e.l.Balance(e.ctx, b, "1000", date.Date{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(got, want, cmpOpts); diff != "" {
			t.Errorf("book %s: Balance(1000) (-got +want):\n%s", b, diff)
		}
	}
	if ha, hb := e.verify("A"), e.verify("B"); ha.Seq != 1 || hb.Seq != 3 {
		t.Errorf("heads %d and %d, want 1 and 3", ha.Seq, hb.Seq)
	}
	got, err := e.l.EntryByKey(e.ctx, "B", "same-key")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, pb, cmpOpts); diff != "" {
		t.Errorf("EntryByKey(B) (-got +want):\n%s", diff)
	}
	if got := e.allEntries("A"); len(got) != 1 {
		t.Errorf("book A has %d entries, want 1", len(got))
	}
	evs, err := e.l.PeriodHistory(e.ctx, "B")
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 0 {
		t.Errorf("book B has period events %+v, want none", evs)
	}
}

func (s suite) testReverse(t *testing.T) {
	e := s.env(t)
	e.book("RV")
	e.accounts(acct("RV", "1200", "Bank", ledger.Asset), acct("RV", "1600", "VAT", ledger.Liability),
		acct("RV", "6000", "Rent", ledger.Expense))
	orig := e.post(ledger.Entry{
		Book: "RV", Key: "rent-03", Date: day("2026-03-01"), Description: "Rent March", Voucher: "RENT-03", Journal: "AP",
		Lines: []ledger.Line{
			{Account: "6000", Amount: eur("1000.00"), Memo: "net", Dimensions: map[string]string{"cc": "CC-10"}},
			{Account: "1600", Amount: eur("190.00"), Memo: "input VAT"},
			{Account: "1200", Amount: eur("-1190.00")},
		},
	})
	rev, err := e.l.Reverse(e.ctx, "RV", orig.Seq, day("2026-03-05"), "paid twice")
	if err != nil {
		t.Fatal(err)
	}
	// The Storno: the same lines with opposite signs, pointing back.
	wantLines := []ledger.Line{
		{Account: "6000", Amount: eur("-1000.00"), Memo: "net", Dimensions: map[string]string{"cc": "CC-10"}},
		{Account: "1600", Amount: eur("-190.00"), Memo: "input VAT"},
		{Account: "1200", Amount: eur("1190.00")},
	}
	if rev.Reverses != orig.Seq || rev.Seq != 2 || rev.Date != day("2026-03-05") {
		t.Errorf("reversal: Seq %d, Reverses %d, Date %v; want 2, %d, 2026-03-05", rev.Seq, rev.Reverses, rev.Date, orig.Seq)
	}
	if diff := cmp.Diff(rev.Lines, wantLines, cmpOpts); diff != "" {
		t.Errorf("reversal lines (-got +want):\n%s", diff)
	}
	stored, err := e.l.Entry(e.ctx, "RV", rev.Seq)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(stored, rev, cmpOpts); diff != "" {
		t.Errorf("stored reversal (-got +want):\n%s", diff)
	}

	// Reversing again with the same date and reason returns the first.
	before := e.snapshot("RV")
	again, err := e.l.Reverse(e.ctx, "RV", orig.Seq, day("2026-03-05"), "paid twice")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(again, rev, cmpOpts); diff != "" {
		t.Errorf("second Reverse (-got +want):\n%s", diff)
	}
	e.unchanged("RV", before)

	// Every balance is back to zero, and the month shows both movements.
	for _, code := range []string{"1200", "1600", "6000"} {
		bal, err := e.l.Balance(e.ctx, "RV", code, date.Date{})
		if err != nil {
			t.Fatal(err)
		}
		if len(bal) != 0 {
			t.Errorf("Balance(%s) = %v, want 0", code, bal)
		}
	}
	for _, b := range e.storeBalances("RV") {
		if !b.Balance.IsZero() {
			t.Errorf("store balance of %s = %v, want 0", b.Account, b.Balance)
		}
	}
	rows, err := e.l.Balances(e.ctx, "RV", ledger.BalanceQuery{From: day("2026-03-01"), To: day("2026-03-31")})
	if err != nil {
		t.Fatal(err)
	}
	want := []row{
		{"1200", 0, "EUR", "0.00", "1190.00", "1190.00", "0.00"},
		{"1600", 0, "EUR", "0.00", "190.00", "190.00", "0.00"},
		{"6000", 0, "EUR", "0.00", "1000.00", "1000.00", "0.00"},
	}
	if diff := cmp.Diff(rowsOf(rows), want); diff != "" {
		t.Errorf("March trial balance (-got +want):\n%s", diff)
	}
	e.verify("RV")

	_, err = e.l.Reverse(e.ctx, "RV", 99, day("2026-03-05"), "no such entry")
	if !errors.Is(err, ledger.ErrNotFound) {
		t.Errorf("Reverse(99): %v, want ErrNotFound", err)
	}
}
