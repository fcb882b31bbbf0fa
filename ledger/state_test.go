package ledger_test

import (
	"context"
	"testing"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/memory"
)

// TestStateLogSeal: a book written before its store kept a state log (here:
// straight into the store) has its state recorded whole at its first
// change through the Ledger, and verifies before and after.
func TestStateLogSeal(t *testing.T) {
	ctx := context.Background()
	s := memory.New()
	err := s.Update(ctx, func(tx ledger.Tx) error {
		if err := tx.CreateBook(ctx, ledger.Book{ID: "old", Currency: money.EUR, FiscalYearStart: 1}); err != nil {
			return err
		}
		for _, a := range chart() {
			a.Book = "old"
			if err := tx.PutAccount(ctx, a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	l := ledger.New(s, nil)
	if _, st, err := l.VerifyHeads(ctx, "old"); err != nil || st.Seq != 0 {
		t.Fatalf("before: state head %d, %v; want 0 (no log yet), nil", st.Seq, err)
	}
	if err := l.CloseAccount(ctx, "old", "1400"); err != nil {
		t.Fatal(err)
	}
	// The book, six accounts as they stood, then 1400 closed.
	if _, st, err := l.VerifyHeads(ctx, "old"); err != nil || st.Seq != 8 {
		t.Fatalf("after: state head %d, %v; want 8, nil", st.Seq, err)
	}
	if err := l.ClosePeriod(ctx, "old", 2026, 1); err != nil {
		t.Fatal(err)
	}
	if _, st, err := l.VerifyHeads(ctx, "old"); err != nil || st.Seq != 9 {
		t.Fatalf("after a close: state head %d, %v; want 9, nil", st.Seq, err)
	}
}
