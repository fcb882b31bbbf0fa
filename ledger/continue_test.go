package ledger_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/memory"
)

// TestContinue restores a book's first three entries, then continues it
// with the rest from a Scan: a continuation from another head is ErrState,
// one with a changed entry ErrTampered, and neither writes anything; the
// one that fits leaves a book that verifies at the source's head.
func TestContinue(t *testing.T) {
	ctx := context.Background()
	src := memory.New()
	l := ledger.New(src, nil)
	if err := l.CreateBook(ctx, ledger.Book{ID: "acme", Name: "ACME", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	if err := l.CreateAccounts(ctx,
		ledger.Account{Book: "acme", Code: "1200", Name: "Bank", Type: ledger.Asset},
		ledger.Account{Book: "acme", Code: "8400", Name: "Revenue", Type: ledger.Revenue}); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		amt := money.New(int64(i)*100, money.EUR)
		if _, err := l.Post(ctx, ledger.Entry{Book: "acme", Key: fmt.Sprint(i), Date: date.New(2025, 3, i),
			Lines: []ledger.Line{ledger.Debit("1200", amt), ledger.Credit("8400", amt)}}); err != nil {
			t.Fatal(err)
		}
	}
	book, err := l.Book(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := l.Entries(ctx, "acme", ledger.EntryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var accounts []ledger.Account
	var state []ledger.StateRecord
	if err := src.View(ctx, func(tx ledger.ReadTx) error {
		if accounts, err = tx.Accounts(ctx, "acme"); err != nil {
			return err
		}
		return tx.(ledger.StateReader).ScanState(ctx, "acme", func(r ledger.StateRecord) error {
			state = append(state, r)
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	head := func(p ledger.Posted) ledger.Head { return ledger.Head{Seq: p.Seq, Hash: p.Hash} }
	stateHead := ledger.Head{Seq: state[len(state)-1].Seq, Hash: state[len(state)-1].Hash}
	scan := func(ps []ledger.Posted) func(func(*ledger.Posted) error) error {
		return func(fn func(*ledger.Posted) error) error {
			for i := range ps {
				p := ps[i]
				if err := fn(&p); err != nil {
					return err
				}
			}
			return nil
		}
	}

	dst := memory.New()
	d := ledger.New(dst, nil)
	if _, err := d.Restore(ctx, ledger.Restoration{Book: book, Accounts: accounts, State: state, Scan: scan(entries[:3])}); err != nil {
		t.Fatal(err)
	}
	tampered := append([]ledger.Posted(nil), entries[3:]...)
	tampered[1].Description = "changed"
	for _, tc := range []struct {
		name string
		c    ledger.Continuation
		want error
	}{
		{"from another head", ledger.Continuation{Book: book, From: head(entries[1]), FromState: stateHead, Scan: scan(entries[2:])}, ledger.ErrState},
		{"changed entry", ledger.Continuation{Book: book, From: head(entries[2]), FromState: stateHead, Scan: scan(tampered)}, ledger.ErrTampered},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := d.Continue(ctx, tc.c); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if h, err := d.Verify(ctx, "acme"); err != nil || h.Seq != 3 {
				t.Errorf("after the refusal: head %d, %v; want 3", h.Seq, err)
			}
		})
	}
	got, err := d.Continue(ctx, ledger.Continuation{Book: book, From: head(entries[2]), FromState: stateHead, Scan: scan(entries[3:])})
	if err != nil {
		t.Fatal(err)
	}
	if want := head(entries[4]); got != want {
		t.Errorf("Continue returned head %d, want %d", got.Seq, want.Seq)
	}
	if h, err := d.Verify(ctx, "acme"); err != nil || h != head(entries[4]) {
		t.Errorf("Verify: head %d, %v; want 5", h.Seq, err)
	}
}
