package postgres_test

import (
	"context"
	"errors"
	"io/fs"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/postgres"
)

// TestOpenSchema: a store opened with OpenSchema creates its schema and
// keeps every table there, so two stores in two schemas of one database
// (and the application's own tables elsewhere) do not see each other; a
// name that would need quoting is refused.
func TestOpenSchema(t *testing.T) {
	ctx := context.Background()
	dsn := newSchema(t) // the application's schema, dropped at cleanup
	app, err := sqlx.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	var appSchema string
	if err := app.Get(&appSchema, "SELECT current_schema()"); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"Books", "books; DROP TABLE x", "pg_books", "1books", ""} {
		if _, err := postgres.OpenSchema(ctx, testDSN(t), bad); !errors.Is(err, postgres.ErrSchema) {
			t.Errorf("OpenSchema(%q): %v, want ErrSchema", bad, err)
		}
	}
	open := func(schema string) *postgres.Store {
		s, err := postgres.OpenSchema(ctx, testDSN(t), schema)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			s.Close()
			app.Exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE")
		})
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		return s
	}
	books, other := open(appSchema+"_books"), open(appSchema+"_other")
	l := ledger.New(books, nil)
	if err := l.CreateBook(ctx, ledger.Book{ID: "A", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	if err := l.CreateAccounts(ctx, ledger.Account{Book: "A", Code: "1200", Name: "Bank", Type: ledger.Asset},
		ledger.Account{Book: "A", Code: "8400", Name: "Revenue", Type: ledger.Revenue}); err != nil {
		t.Fatal(err)
	}
	eur := money.New(1000, money.EUR)
	if _, err := l.Post(ctx, ledger.Entry{Book: "A", Date: date.New(2026, 3, 1), Lines: []ledger.Line{ledger.Debit("1200", eur), ledger.Credit("8400", eur)}}); err != nil {
		t.Fatal(err)
	}
	// Every table of the store is in its schema, none in the application's.
	count := func(schema string) int {
		var n int
		if err := app.Get(&n, "SELECT count(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name LIKE 'bo\\_%'", schema); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(appSchema + "_books"); n < 20 {
		t.Errorf("%d bo_ tables in the store's schema", n)
	}
	if n := count(appSchema); n != 0 {
		t.Errorf("%d bo_ tables in the application's schema", n)
	}
	var entries int
	if err := app.Get(&entries, "SELECT count(*) FROM "+appSchema+"_books.bo_entries"); err != nil || entries != 1 {
		t.Errorf("entries in the store's schema: %d, %v", entries, err)
	}
	if _, err := ledger.New(other, nil).Book(ctx, "A"); !errors.Is(err, ledger.ErrUnknownBook) {
		t.Errorf("book A seen from the other schema: %v", err)
	}
	if _, err := l.Verify(ctx, "A"); err != nil {
		t.Errorf("Verify: %v", err)
	}
}

// TestMigrationFS applies the migration files as another tool would:
// each file, in order, in a transaction of its own, with plain SQL; the
// store then works on that schema without Migrate (posts, verifies).
func TestMigrationFS(t *testing.T) {
	ctx := context.Background()
	dsn := newSchema(t)
	db, err := sqlx.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	names, err := fs.Glob(postgres.MigrationFS(), "*.sql")
	if err != nil || len(names) < 15 || names[0] != "0001_ledger.sql" {
		t.Fatalf("migration files %v, %v", names, err)
	}
	for _, name := range names { // fs.Glob sorts: numeric order
		sql, err := fs.ReadFile(postgres.MigrationFS(), name)
		if err != nil {
			t.Fatal(err)
		}
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(string(sql)); err != nil {
			tx.Rollback()
			t.Fatalf("%s: %v", name, err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	l := ledger.New(postgres.NewDB(db.DB), nil)
	if err := l.CreateBook(ctx, ledger.Book{ID: "A", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	if err := l.CreateAccounts(ctx, ledger.Account{Book: "A", Code: "1200", Name: "Bank", Type: ledger.Asset},
		ledger.Account{Book: "A", Code: "8400", Name: "Revenue", Type: ledger.Revenue}); err != nil {
		t.Fatal(err)
	}
	eur := money.New(1000, money.EUR)
	if _, err := l.Post(ctx, ledger.Entry{Book: "A", Date: date.New(2026, 3, 1), Lines: []ledger.Line{ledger.Debit("1200", eur), ledger.Credit("8400", eur)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Verify(ctx, "A"); err != nil {
		t.Errorf("Verify: %v", err)
	}
}
