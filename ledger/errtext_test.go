package ledger_test

import (
	"context"
	"errors"
	"testing"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
)

// TestErrorTexts: every error about an entry names what the caller can
// find it by — its position only in a batch of several, its key, the
// line and that line's account code, the period and date — and still
// wraps its sentinel. A single Post never says "entry 0".
func TestErrorTexts(t *testing.T) {
	ctx := context.Background()
	day := date.MustParse("2026-03-10")
	entry := func(key, debit string) ledger.Entry {
		return ledger.Entry{Book: "acme", Key: key, Date: day, Lines: []ledger.Line{
			ledger.Debit(debit, eurMinor(100)), ledger.Credit("8400", eurMinor(100))}}
	}
	l := newBook(t, ledger.Book{ID: "acme"}, append(chart(), ledger.Account{Code: "1300", Name: "Old bank", Type: ledger.Asset, Closed: true})...)
	tests := []struct {
		name string
		post func() error
		want error
		text string
	}{
		{"unknown account", func() error { _, err := l.Post(ctx, entry("inv/1", "9999")); return err },
			ledger.ErrUnknownAccount, `entry (key "inv/1") line 0, account 9999: ledger: unknown account`},
		{"unknown account, no key", func() error { _, err := l.Post(ctx, entry("", "9999")); return err },
			ledger.ErrUnknownAccount, `entry line 0, account 9999: ledger: unknown account`},
		{"closed account", func() error { _, err := l.Post(ctx, entry("inv/2", "1300")); return err },
			ledger.ErrAccountClosed, `entry (key "inv/2") line 0, account 1300: ledger: account closed`},
		{"in a batch", func() error {
			_, err := l.PostBatch(ctx, []ledger.Entry{entry("b/1", "1200"), entry("b/2", "1400"), entry("b/3", "9999")})
			return err
		}, ledger.ErrUnknownAccount, `entry 2 (key "b/3") line 0, account 9999: ledger: unknown account`},
		{"a batch of one", func() error { _, err := l.PostBatch(ctx, []ledger.Entry{entry("b/4", "9999")}); return err },
			ledger.ErrUnknownAccount, `entry (key "b/4") line 0, account 9999: ledger: unknown account`},
		{"invalid line in a batch", func() error {
			bad := entry("b/5", "1200")
			bad.Lines[1].Amount = eurMinor(0)
			_, err := l.PostBatch(ctx, []ledger.Entry{entry("b/6", "1200"), bad})
			return err
		}, ledger.ErrZeroAmount, `entry 1 (key "b/5") line 1, account 8400: ledger: zero amount`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.post()
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if err.Error() != tt.text {
				t.Errorf("error %q\nwant  %q", err.Error(), tt.text)
			}
		})
	}

	// Reversing a reversed entry names the reversal.
	p := mustPost(t, l, entry("rent/1", "4210"))
	r, err := l.Reverse(ctx, "acme", p.Seq, day, "typo")
	if err != nil {
		t.Fatal(err)
	}
	if again, err := l.Reverse(ctx, "acme", p.Seq, day, "typo"); err != nil || again.Seq != r.Seq {
		t.Errorf("the same reversal again: %v, seq %d want %d", err, again.Seq, r.Seq)
	}
	_, err = l.Reverse(ctx, "acme", p.Seq, day.AddDays(1), "other")
	want := "reverse 1: ledger: not allowed in this state: entry 1 is already reversed by entry 2 of 2026-03-10"
	if !errors.Is(err, ledger.ErrState) || err.Error() != want {
		t.Errorf("reversing twice: %v\nwant %s", err, want)
	}
}
