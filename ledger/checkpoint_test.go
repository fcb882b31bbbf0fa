package ledger_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

func TestCheckpoint(t *testing.T) {
	ctx := context.Background()
	_, key, _ := ed25519.GenerateKey(nil)
	rent := func(l *ledger.Ledger, amount string) {
		mustPost(t, l, ledger.Entry{Book: "acme", Date: date.MustParse("2026-03-01"), Lines: []ledger.Line{
			ledger.Debit("4210", money.MustParse(amount, money.EUR)), ledger.Credit("1200", money.MustParse(amount, money.EUR))}})
	}
	l := newBook(t, ledger.Book{ID: "acme"}, chart()...)
	rent(l, "100.00")
	rent(l, "200.00")
	c, err := l.Checkpoint(ctx, "acme", key)
	if err != nil {
		t.Fatal(err)
	}
	if c.Entries.Seq != 2 || c.State.Seq == 0 {
		t.Fatalf("checkpoint heads %v, %v", c.Entries, c.State)
	}
	text, _ := c.MarshalText()
	var back ledger.Checkpoint
	if err := back.UnmarshalText(text); err != nil {
		t.Fatalf("UnmarshalText(%s): %v", text, err)
	}
	// The chain grew: still fine.
	rent(l, "300.00")
	if err := l.CloseAccount(ctx, "acme", "1400"); err != nil {
		t.Fatal(err)
	}
	if h, _, err := l.VerifyCheckpoint(ctx, back, key.Public().(ed25519.PublicKey)); err != nil || h.Seq != 3 {
		t.Errorf("VerifyCheckpoint after growth = %d, %v", h.Seq, err)
	}
	if h, err := l.VerifyFrom(ctx, "acme", c.Entries); err != nil || h.Seq != 3 {
		t.Errorf("VerifyFrom = %d, %v", h.Seq, err)
	}
	if h, err := ledger.ParseHead(c.Entries.String()); err != nil || h != c.Entries {
		t.Errorf("ParseHead(String()) = %v, %v", h, err)
	}

	// The same book rewritten from entry 2 on, consistently: Verify alone
	// passes, the checkpoint names entry 2.
	r := newBook(t, ledger.Book{ID: "acme"}, chart()...)
	rent(r, "100.00")
	rent(r, "250.00")
	rent(r, "300.00")
	if _, err := r.Verify(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	_, _, err = r.VerifyCheckpoint(ctx, back, nil)
	var ve *ledger.VerifyError
	if !errors.As(err, &ve) || ve.Seq != 2 {
		t.Errorf("VerifyCheckpoint of a rewritten chain = %v, want entry 2 named", err)
	}
	// Cut back to one entry: the first missing one is named.
	s := newBook(t, ledger.Book{ID: "acme"}, chart()...)
	rent(s, "100.00")
	if _, err := s.VerifyFrom(ctx, "acme", c.Entries); !errors.As(err, &ve) || ve.Seq != 2 || !strings.Contains(err.Error(), "missing") {
		t.Errorf("VerifyFrom of a cut chain = %v, want entry 2 missing", err)
	}

	// A changed statement, or one signed by someone else, is refused.
	bad := []byte(strings.Replace(string(text), "entries: 2:", "entries: 1:", 1))
	if err := new(ledger.Checkpoint).UnmarshalText(bad); !errors.Is(err, ledger.ErrInvalid) {
		t.Errorf("UnmarshalText of a changed statement = %v, want ErrInvalid", err)
	}
	other, _, _ := ed25519.GenerateKey(nil)
	if _, _, err := l.VerifyCheckpoint(ctx, back, other); !errors.Is(err, ledger.ErrInvalid) {
		t.Errorf("VerifyCheckpoint with another trusted key = %v, want ErrInvalid", err)
	}
	pemKey, _ := ledger.MarshalSigningKey(key)
	if k, err := ledger.ParseSigningKey(pemKey); err != nil || !k.Equal(key) {
		t.Errorf("ParseSigningKey(MarshalSigningKey) = %v", err)
	}
}
