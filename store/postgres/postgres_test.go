package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/server"
	"github.com/openbackoffice/backoffice/store/postgres"
	"github.com/openbackoffice/backoffice/store/storetest"
)

// testDSN returns the DSN of the test server, or skips the test.
func testDSN(t testing.TB) string {
	dsn := os.Getenv("BACKOFFICE_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("BACKOFFICE_TEST_POSTGRES is not set")
	}
	return dsn
}

// withSearchPath returns dsn with the connection's search_path set.
func withSearchPath(t testing.TB, dsn, schema string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " search_path=" + schema
}

// newSchema creates a schema of its own for one test (dropped at cleanup)
// and returns a DSN that works in it.
func newSchema(t testing.TB) string {
	dsn := testDSN(t)
	var b [6]byte
	rand.Read(b[:])
	schema := "bo_test_" + hex.EncodeToString(b[:])
	admin, err := sqlx.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema: %v", err)
		}
	})
	return withSearchPath(t, dsn, schema)
}

// newStore opens a migrated store in a schema of its own.
func newStore(t testing.TB) *postgres.Store {
	dsn := newSchema(t)
	ctx := context.Background()
	s, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	s.DB().SetMaxOpenConns(24)
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestLedgerConformance(t *testing.T) {
	testDSN(t)
	storetest.Ledger(t, func(t *testing.T) ledger.Store { return newStore(t) })
}

func TestHRConformance(t *testing.T) {
	testDSN(t)
	storetest.HR(t, func(t *testing.T) hr.Store { return newStore(t) })
}

func TestPayrollConformance(t *testing.T) {
	testDSN(t)
	storetest.Payroll(t, func(t *testing.T) storetest.PayrollStore { return newStore(t) })
}

func TestPartnersConformance(t *testing.T) {
	testDSN(t)
	storetest.Partners(t, func(t *testing.T) storetest.PartnersStore { return newStore(t) })
}

func TestTokensConformance(t *testing.T) {
	testDSN(t)
	storetest.Tokens(t, func(t *testing.T) server.TokenStore { return newStore(t) })
}
