package batch_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/openbackoffice/backoffice/examples/closebatch/batch"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// TestAtomic: what fn writes commits together, or not at all when fn
// fails or panics; a panic does not keep SQLite's one write connection.
func TestAtomic(t *testing.T) {
	ctx := context.Background()
	s, err := batch.OpenStore(ctx, filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	boom := errors.New("boom")
	if err := batch.Atomic(ctx, s, func(bound ledger.Store) error {
		if err := ledger.New(bound, nil).CreateBook(ctx, ledger.Book{ID: "failed", Currency: money.EUR}); err != nil {
			return err
		}
		return boom
	}); !errors.Is(err, boom) {
		t.Fatalf("Atomic = %v, want boom", err)
	}
	func() {
		defer func() { recover() }()
		batch.Atomic(ctx, s, func(bound ledger.Store) error {
			if err := ledger.New(bound, nil).CreateBook(ctx, ledger.Book{ID: "panicked", Currency: money.EUR}); err != nil {
				return err
			}
			panic("boom")
		})
	}()
	tctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	l := ledger.New(s, nil)
	if err := l.CreateBook(tctx, ledger.Book{ID: "after", Currency: money.EUR}); err != nil {
		t.Fatalf("a write after the panic: %v", err)
	}
	if err := batch.Atomic(ctx, s, func(bound ledger.Store) error {
		return ledger.New(bound, nil).CreateBook(ctx, ledger.Book{ID: "committed", Currency: money.EUR})
	}); err != nil {
		t.Fatal(err)
	}
	books, err := l.Books(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, b := range books {
		ids = append(ids, b.ID)
	}
	if len(ids) != 2 || ids[0] != "after" || ids[1] != "committed" {
		t.Errorf("books %v, want [after committed]", ids)
	}
}
