// Package postgres is the production store: PostgreSQL through jmoiron/sqlx
// and lib/pq. It implements ledger.Store, hr.Store, payroll.Store and
// partners.Store and passes the conformance suites of store/storetest.
//
// # Schema and exactness
//
// Migrate applies the embedded, numbered SQL files under migrations/ once
// each and records them with a checksum in bo_migrations; a released file is
// never edited (Migrate refuses a database whose recorded checksum differs).
// Posting amounts are NUMERIC, maintained balances and totals BIGINT minor
// units (an overflow is ledger.ErrOverflow, never a wrapped-around number);
// HR amounts are BIGINT minor units with their currency, hours and rates
// NUMERIC; nothing is REAL or DOUBLE PRECISION. Text keys are COLLATE "C", so rows
// come back in the byte order the Go side sorts by.
//
// # Concurrency
//
// Writes run at READ COMMITTED. A write to a book first locks the book's row
// (SELECT … FOR UPDATE), which serializes the chain and the gapless sequence;
// constrained balances are then locked with SELECT … FOR UPDATE in account
// order, and maintained rows are updated in key order, so writers take locks
// in one global order. UpdateHR locks an employee's row (in
// bo_hr_employees) before it first reads or writes the employee's records,
// so that writers of one employee run one after the other. Serialization
// failures and deadlocks (SQLSTATE 40001, 40P01) rerun the transaction, at
// most sqlstore.MaxAttempts times; any other error is returned, wrapped.
// Views run at REPEATABLE READ, one snapshot.
//
// # Portability
//
// The SQL stays within what PostgreSQL-compatible distributed engines
// (CockroachDB, YugabyteDB) run: no session advisory locks (Migrate locks a
// row instead), no SERIAL or identity columns (sequence numbers and period
// ordinals come from the application, under the book's row lock; the
// sequences, bo_version and bo_hr_id, merely have to be unique), and nothing in the
// required path depends on a deferred constraint trigger. The guards in
// migrations/0002_guards.sql (immutability triggers, the chain check at
// commit) are defence against programs writing around the library; an engine
// without trigger support may leave them out, losing only that defence.
//
// # Group commit and bulk loading
//
// One transaction per entry is bounded by commit latency, and a book's chain
// is one lock; ledger.Ledger therefore lets concurrent Post calls share a
// transaction (see ledger.Options.MaxGroup). A small append is one
// statement (the head move and every table's rows as data-modifying CTEs
// over arrays), so a group holds the book's lock for few round trips; large
// appends (PostBatch) use COPY for entries, postings and dimensions.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/partners"
	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/store/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Store is a PostgreSQL store. It is safe for concurrent use.
type Store struct {
	*sqlstore.Store
	db *sqlx.DB
}

var (
	_ ledger.Store   = (*Store)(nil)
	_ hr.Store       = (*Store)(nil)
	_ payroll.Store  = (*Store)(nil)
	_ partners.Store = (*Store)(nil)
)

// Open connects to the database at dsn (a lib/pq URL or key=value string)
// and checks the connection. Call Migrate before first use.
//
// Unless dsn says otherwise, Open sets lib/pq's binary_parameters=yes: a
// statement with parameters then costs one round trip instead of two, which
// is most of a small Post's time on a fast disk. Callers of New who build
// their own handle may want the same.
func Open(ctx context.Context, dsn string) (*Store, error) {
	db, err := sqlx.Open("postgres", withBinaryParameters(dsn))
	if err != nil {
		return nil, fmt.Errorf("postgres store: %w", err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres store: %w", err)
	}
	return New(db), nil
}

// withBinaryParameters adds binary_parameters=yes to a URL or key=value DSN
// that does not set it.
func withBinaryParameters(dsn string) string {
	if strings.Contains(dsn, "binary_parameters") {
		return dsn
	}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		if strings.Contains(dsn, "?") {
			return dsn + "&binary_parameters=yes"
		}
		return dsn + "?binary_parameters=yes"
	}
	return dsn + " binary_parameters=yes"
}

// New returns a store over an open database handle, which the caller keeps
// owning; Close closes it.
func New(db *sqlx.DB) *Store {
	return &Store{Store: sqlstore.New(dialect, db.DB, nil), db: db}
}

// DB returns the database handle.
func (s *Store) DB() *sqlx.DB { return s.db }

// Close closes the database handle.
func (s *Store) Close() error { return s.db.Close() }

// Migrate brings the schema up to date. It is safe to run from several
// processes at once: they serialize on a row lock, and all but the first
// find nothing to do.
func (s *Store) Migrate(ctx context.Context) error {
	ms, err := Migrations()
	if err != nil {
		return err
	}
	return sqlstore.Migrate(ctx, s.db.DB, dialect, ms)
}

// Migrations returns the embedded migrations, in order.
func Migrations() ([]sqlstore.Migration, error) {
	return sqlstore.LoadMigrations(migrationFiles, "migrations")
}

// InTx returns a Store that works inside tx, the caller's own transaction:
// journal entries and HR records written through it commit or roll back
// together with the caller's rows (a pay run can save its results and post
// its journal entry in one transaction). Each Update and UpdateHR runs in a
// savepoint, so a refused entry or record leaves tx usable; View and ViewHR
// read inside tx and refuse writes. For an *sqlx.Tx pass its embedded
// *sql.Tx (tx.Tx).
//
// The store never commits, rolls back or retries tx; the caller does. Lock
// order matters as usual: a transaction that posts to a book holds that
// book's row lock until it ends, one that writes an employee's records that
// employee's row lock, so keep such transactions short. DB, Migrate and
// Close of the returned Store act on the database, as those of s do, not on
// tx: Close closes s's handle too.
func (s *Store) InTx(tx *sql.Tx) *Store { return &Store{Store: s.Store.InTx(tx), db: s.db} }

var dialect = &sqlstore.Dialect{
	Name:          "postgres",
	Bind:          sqlx.DOLLAR,
	ForUpdate:     " FOR UPDATE",
	NextVersion:   "nextval('bo_version')",
	MaxParams:     65535,
	Amount:        func(a money.Amount) any { return a.Number() },
	Time:          func(t time.Time) any { return t },
	Bulk:          copyIn,
	BulkMin:       64,
	Array:         func(v any) any { return pq.Array(v) },
	PostingDates:  true,
	AgingJoin:     true,
	ViewIsolation: sql.LevelRepeatableRead,
	Retryable: func(err error) bool {
		return pq.As(err, "40001", "40P01") != nil
	},
	Translate: translate,
	// The transaction outlives a cancelled context: database/sql would
	// otherwise roll it back from its own goroutine while lib/pq's COPY
	// still owns the connection, and the two hang on each other (lib/pq
	// #768). Statements still see the cancel; Update then rolls back.
	Begin: func(ctx context.Context, db *sql.DB) (*sql.Tx, error) {
		return db.BeginTx(context.WithoutCancel(ctx), nil)
	},
}

// translate maps SQLSTATEs to the ledger's sentinels where the meaning is
// the same; the pq.Error stays in the chain for callers who want the code.
func translate(err error) error {
	e := pq.As(err)
	if e == nil {
		return err
	}
	var sentinel error
	switch e.Code {
	case "23505": // unique_violation
		sentinel = ledger.ErrDuplicate
	case "22003": // numeric_value_out_of_range
		sentinel = ledger.ErrOverflow
	case "BO001": // bo_refuse_change
		sentinel = ledger.ErrState
	case "BO003": // unbalanced entry
		sentinel = ledger.ErrUnbalanced
	case "BO002", "BO004": // chain
		sentinel = ledger.ErrState
	case "23514": // check_violation
		sentinel = ledger.ErrInvalid
		if e.Constraint == "bo_overflow" { // a balance of MinInt64, which no Amount holds
			sentinel = ledger.ErrOverflow
		}
	case "23503", "23502": // foreign key, not null
		sentinel = ledger.ErrInvalid
	default:
		return err
	}
	return fmt.Errorf("postgres store: %w: %w", sentinel, err)
}

// copyIn loads rows with COPY FROM STDIN, one statement per table.
func copyIn(ctx context.Context, tx *sql.Tx, table string, cols []string, n int, row func(i int, dst []any)) (err error) {
	stmt, err := tx.PrepareContext(ctx, pq.CopyIn(table, cols...))
	if err != nil {
		return err
	}
	defer func() {
		if cerr := stmt.Close(); err == nil {
			err = cerr
		}
	}()
	vals := make([]any, len(cols))
	for i := range n {
		row(i, vals)
		if _, err := stmt.ExecContext(ctx, vals...); err != nil {
			return err
		}
	}
	if _, err = stmt.ExecContext(ctx); err != nil {
		return err
	}
	return analyzeIfGrown(ctx, tx, table, n)
}

// analyzeMin is the smallest COPY after which analyzeIfGrown looks at the
// table's statistics.
const analyzeMin = 5000

// analyzeIfGrown refreshes the planner statistics of table after a COPY of
// n rows that at least doubled it (by pg_class.reltuples; -1 before the
// first ANALYZE): a bulk import into a new book would otherwise leave the
// planner believing the book holds a few hundred rows until autovacuum
// runs, and hash-join every later key lookup against the whole book
// (issue 14: a re-import right after the import took 6× as long). That is
// at most a logarithmic number of ANALYZEs per table, each sampling at
// most 30,000 rows. A role that does not own the table gets a warning from
// PostgreSQL, not an error.
func analyzeIfGrown(ctx context.Context, tx *sql.Tx, table string, n int) error {
	if n < analyzeMin {
		return nil
	}
	var rel float64
	if err := tx.QueryRowContext(ctx, "SELECT reltuples FROM pg_class WHERE oid = to_regclass($1)", table).Scan(&rel); err != nil {
		return err
	}
	if float64(n) < rel {
		return nil
	}
	_, err := tx.ExecContext(ctx, "ANALYZE "+pq.QuoteIdentifier(table))
	return err
}
