package postgres_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/postgres"
)

// appGrants are the grants of a least-privilege application role, as
// docs/SECURITY.md lists them for the ledger's tables, with %s the schema.
var appGrants = []string{
	"GRANT USAGE ON SCHEMA %s TO %r",
	"GRANT SELECT ON ALL TABLES IN SCHEMA %s TO %r",
	"GRANT INSERT ON %s.bo_currencies, %s.bo_books, %s.bo_accounts, %s.bo_entries, %s.bo_postings, %s.bo_dims," +
		" %s.bo_balances, %s.bo_totals, %s.bo_period_events, %s.bo_state TO %r",
	"GRANT UPDATE ON %s.bo_books, %s.bo_accounts, %s.bo_balances, %s.bo_totals TO %r",
	"GRANT USAGE ON ALL SEQUENCES IN SCHEMA %s TO %r",
}

// TestLeastPrivilegeRole runs the ledger as a role with only the grants of
// docs/SECURITY.md, not the owner of the tables, and checks that it can
// post, close and lock, but can change none of the guarded tables, nor turn
// the guards off; what it may update (maintained totals and balances) it
// can change only in ways Verify finds.
func TestLeastPrivilegeRole(t *testing.T) {
	dsn := newSchema(t)
	ctx := context.Background()
	owner := openStore(t, dsn) // migrates as the owner
	u, err := url.Parse(dsn)
	if err != nil {
		t.Skip("DSN is not a URL")
	}
	schema := u.Query().Get("search_path")
	role := "bo_app_" + strings.TrimPrefix(schema, "bo_test_")
	db := owner.DB()
	mustExec(t, db.DB, "CREATE ROLE "+role+" LOGIN PASSWORD 'app' NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS")
	t.Cleanup(func() {
		admin, err := sqlx.Open("postgres", testDSN(t))
		if err != nil {
			return
		}
		defer admin.Close()
		admin.Exec("DROP OWNED BY " + role)
		admin.Exec("DROP ROLE " + role)
	})
	for _, g := range appGrants {
		mustExec(t, db.DB, strings.ReplaceAll(strings.ReplaceAll(g, "%s", schema), "%r", role))
	}
	u.User = url.UserPassword(role, "app")
	app, err := postgres.Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()

	// The application does its work with these grants.
	l := ledger.New(app, nil)
	eur := func(v string) money.Amount { return money.MustParse(v, money.EUR) }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(l.CreateBook(ctx, ledger.Book{ID: "T", Currency: money.EUR}))
	must(l.CreateAccounts(ctx, ledger.Account{Book: "T", Code: "1200", Name: "Bank", Type: ledger.Asset},
		ledger.Account{Book: "T", Code: "3000", Name: "Equity", Type: ledger.Equity}))
	_, err = l.Post(ctx, ledger.Entry{Book: "T", Date: date.MustParse("2026-01-10"), Lines: []ledger.Line{
		{Account: "1200", Amount: eur("100.00"), Dimensions: map[string]string{"cc": "CC-1"}}, ledger.Credit("3000", eur("100.00"))}})
	must(err)
	must(l.ClosePeriod(ctx, "T", 2026, 1))
	must(l.LockPeriod(ctx, "T", 2026, 1))
	must(l.SetLockDate(ctx, "T", date.MustParse("2026-01-31")))
	must(l.CloseAccount(ctx, "T", "3000"))
	if _, err := l.Verify(ctx, "T"); err != nil {
		t.Fatal(err)
	}

	adb := app.DB().DB
	for _, q := range []string{
		"UPDATE bo_entries SET description = 'x'",
		"DELETE FROM bo_entries",
		"TRUNCATE bo_entries",
		"UPDATE bo_postings SET amount = amount * 2",
		"DELETE FROM bo_postings",
		"UPDATE bo_dims SET value = 'CC-2'",
		"DELETE FROM bo_dims",
		"DELETE FROM bo_period_events",
		"UPDATE bo_period_events SET state = 0",
		"UPDATE bo_books SET lock_date = NULL",
		"UPDATE bo_books SET lock_date = '2025-12-31'",
		"UPDATE bo_books SET head_seq = 0",
		"UPDATE bo_books SET fy_start = 7",
		"DELETE FROM bo_books",
		"UPDATE bo_accounts SET type = 4 WHERE code = '3000'",
		"DELETE FROM bo_accounts",
		"UPDATE bo_totals SET debit = debit - 1",
		"UPDATE bo_totals SET bucket = bucket + 1",
		"DELETE FROM bo_totals",
		"TRUNCATE bo_totals",
		"DELETE FROM bo_balances",
		"UPDATE bo_balances SET account = '3000' WHERE account = '1200'",
		"UPDATE bo_state SET data = data",
		"DELETE FROM bo_state",
		"INSERT INTO bo_state (book, seq, data, hash) SELECT book, seq + 5, data, hash FROM bo_state",
		"UPDATE bo_currencies SET minor = 3",
		"ALTER TABLE bo_totals DISABLE TRIGGER ALL",
		"ALTER TABLE bo_entries DISABLE TRIGGER bo_entries_immutable",
		"DROP TRIGGER bo_totals_only_grow ON bo_totals",
		"SET session_replication_role = replica",
	} {
		if err := exec(ctx, adb, q); err == nil {
			t.Errorf("the application role could run %s", q)
		}
	}
	if _, err := l.Verify(ctx, "T"); err != nil {
		t.Fatalf("after the refused changes: %v", err)
	}
	// What the role may update, it can only raise; Verify sees it.
	mustExec(t, adb, "UPDATE bo_totals SET debit = debit + 50000 WHERE account = '1200'")
	mustExec(t, adb, "UPDATE bo_totals SET credit = credit + 50000 WHERE account = '3000'")
	_, err = l.Verify(ctx, "T")
	var ve *ledger.VerifyError
	if !errors.As(err, &ve) || ve.Account != "1200" || ve.Month != "2026-01" {
		t.Errorf("Verify after raising totals = %v, want account 1200, 2026-01", err)
	}
}
