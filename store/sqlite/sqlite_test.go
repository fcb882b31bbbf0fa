package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/server"
	"github.com/openbackoffice/backoffice/store/sqlite"
	"github.com/openbackoffice/backoffice/store/storetest"
)

// newStore opens a store on a new file in the test's temporary directory.
func newStore(t testing.TB) *sqlite.Store {
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "books.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestLedgerConformance(t *testing.T) {
	storetest.Ledger(t, func(t *testing.T) ledger.Store { return newStore(t) })
}

func TestHRConformance(t *testing.T) {
	storetest.HR(t, func(t *testing.T) hr.Store { return newStore(t) })
}

func TestPayrollConformance(t *testing.T) {
	storetest.Payroll(t, func(t *testing.T) storetest.PayrollStore { return newStore(t) })
}

func TestPartnersConformance(t *testing.T) {
	storetest.Partners(t, func(t *testing.T) storetest.PartnersStore { return newStore(t) })
}

func TestTokensConformance(t *testing.T) {
	storetest.Tokens(t, func(t *testing.T) server.TokenStore { return newStore(t) })
}
