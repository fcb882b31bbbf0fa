package memory_test

import (
	"context"
	"errors"
	"testing"

	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/server"
	"github.com/openbackoffice/backoffice/store/memory"
	"github.com/openbackoffice/backoffice/store/storetest"
)

func TestLedgerConformance(t *testing.T) {
	storetest.Ledger(t, func(t *testing.T) ledger.Store { return memory.New() })
}

// TestViewIsReadOnly checks that the transaction View hands out refuses
// writes even when a caller reaches them by a type assertion.
func TestViewIsReadOnly(t *testing.T) {
	ctx := context.Background()
	s := memory.New()
	err := s.View(ctx, func(rtx ledger.ReadTx) error {
		tx, ok := rtx.(ledger.Tx)
		if !ok {
			return nil // nothing to reach
		}
		return tx.CreateBook(ctx, ledger.Book{ID: "X", Currency: money.EUR})
	})
	if err == nil {
		t.Fatal("CreateBook inside View succeeded")
	}
	if _, err := ledger.New(s, nil).Book(ctx, "X"); !errors.Is(err, ledger.ErrUnknownBook) {
		t.Errorf("Book(X) after the refused write = %v, want ErrUnknownBook", err)
	}
}

func TestHRConformance(t *testing.T) {
	storetest.HR(t, func(t *testing.T) hr.Store { return memory.New() })
}

func TestPayrollConformance(t *testing.T) {
	storetest.Payroll(t, func(t *testing.T) storetest.PayrollStore { return memory.New() })
}

func TestPartnersConformance(t *testing.T) {
	storetest.Partners(t, func(t *testing.T) storetest.PartnersStore { return memory.New() })
}

func TestTokensConformance(t *testing.T) {
	storetest.Tokens(t, func(t *testing.T) server.TokenStore { return memory.New() })
}
