// Package sqlite is the embedded default store: one SQLite file, through
// modernc.org/sqlite (pure Go, no cgo). It implements ledger.Store,
// hr.Store, payroll.Store and partners.Store and passes the conformance suites of store/storetest, like the
// PostgreSQL store, over the same SQL.
//
// The file runs in WAL mode with synchronous=FULL: readers never block the
// writer, and a committed entry survives a power cut. Writes go through one
// connection and start with BEGIN IMMEDIATE, so writers queue in Go rather
// than failing with SQLITE_BUSY; reads use a pool of their own and see one
// snapshot per View. Amounts are INTEGER minor units in STRICT tables;
// an overflowing balance or total is ledger.ErrOverflow (SQLite would
// otherwise turn it into a REAL, which the schema refuses). HR hours and
// rates are exact decimal TEXT, never REAL.
//
// Triggers refuse UPDATE and DELETE of posted rows and HR records. SQLite checks nothing at
// commit, so the store writes a batch's entries first and moves the chain
// head last, and moving the head checks the stretch of chain it covers
// (gapless, two lines or more, balanced per currency).
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/partners"
	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/store/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Store is a SQLite store. It is safe for concurrent use within one
// process; several processes may share the file (SQLite's locking
// serializes their writes).
type Store struct {
	*sqlstore.Store
	db, rdb *sql.DB
}

var (
	_ ledger.Store   = (*Store)(nil)
	_ hr.Store       = (*Store)(nil)
	_ payroll.Store  = (*Store)(nil)
	_ partners.Store = (*Store)(nil)
)

// Open opens (creating if need be) the database file at path and applies
// the schema migrations, so that a new file is ready to use.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" || strings.HasPrefix(path, ":memory:") || strings.Contains(path, "?") {
		return nil, fmt.Errorf("sqlite store: %w: path must name a file (no query string, no :memory:)", ledger.ErrInvalid)
	}
	pragmas := "_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=cache_size(-65536)"
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + pragmas
	db, err := sql.Open("sqlite", dsn+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("sqlite store: %w", err)
	}
	// One writer: SQLite has one write lock per file anyway, and queueing
	// in database/sql beats spinning on SQLITE_BUSY.
	db.SetMaxOpenConns(1)
	rdb, err := sql.Open("sqlite", dsn+"&_pragma=query_only(1)")
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite store: %w", err)
	}
	rdb.SetMaxOpenConns(4)
	s := &Store{Store: sqlstore.New(dialect, db, rdb), db: db, rdb: rdb}
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// DB returns the handle writes go through, for the caller's own tables and
// transactions (see InTx).
func (s *Store) DB() *sqlx.DB { return sqlx.NewDb(s.db, "sqlite") }

// Close closes the database.
func (s *Store) Close() error { return errors.Join(s.db.Close(), s.rdb.Close()) }

// Migrate brings the schema up to date; Open calls it. Concurrent calls,
// from this or another process, serialize on SQLite's write lock.
func (s *Store) Migrate(ctx context.Context) error {
	ms, err := Migrations()
	if err != nil {
		return err
	}
	return sqlstore.Migrate(ctx, s.db, dialect, ms)
}

// Migrations returns the embedded migrations, in order.
func Migrations() ([]sqlstore.Migration, error) {
	return sqlstore.LoadMigrations(migrationFiles, "migrations")
}

// InTx returns a Store that works inside tx, the caller's own transaction
// on this database (begun on DB()): journal entries and HR records written
// through it commit or roll back with the caller's rows. Each Update and
// UpdateHR runs in a savepoint, so a refused entry or record leaves tx
// usable; View and ViewHR read inside tx and refuse writes. The store never
// commits, rolls back or retries tx.
//
// While tx is open it holds the store's only write connection: write
// through the returned store, not through s. DB, Migrate and Close of the
// returned Store act on the database, as those of s do, not on tx: Close
// closes s's handles too, and Migrate waits for tx to end.
func (s *Store) InTx(tx *sql.Tx) *Store {
	return &Store{Store: s.Store.InTx(tx), db: s.db, rdb: s.rdb}
}

var dialect = &sqlstore.Dialect{
	Name: "sqlite",
	Bind: sqlx.QUESTION,
	// The write transaction holds SQLite's one write lock: rows need no
	// locks of their own.
	ForUpdate: "",
	// A rolled-back transaction may have handed out version+1, so the
	// next one also jumps to the clock, which moves on between the two.
	NextVersion:  "max(version + 1, ?)",
	FirstVersion: "?",
	VersionArg:   func() any { return time.Now().UnixNano() },
	HeadLast:     true,
	MaxParams:    32766,
	Amount:       func(a money.Amount) any { return a.MinorUnits() },
	Time:         func(t time.Time) any { return t.UnixMicro() },
	Retryable: func(err error) bool {
		var e *sqlite.Error
		return errors.As(err, &e) && (e.Code()&0xff == sqlite3.SQLITE_BUSY || e.Code()&0xff == sqlite3.SQLITE_LOCKED)
	},
	Translate: translate,

	// A backup's snapshot reads with 2 MiB of page cache instead of 64.
	SnapshotCacheKiB: 2048,
}

// translate maps SQLite result codes to the ledger's sentinels where the
// meaning is the same; the *sqlite.Error stays in the chain.
func translate(err error) error {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return err
	}
	msg := e.Error()
	var sentinel error
	switch {
	case e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		sentinel = ledger.ErrDuplicate
	case e.Code() == sqlite3.SQLITE_CONSTRAINT_DATATYPE || strings.Contains(msg, "bo_overflow") || strings.Contains(msg, "integer overflow"):
		// The store binds only integers: a REAL is an integer sum that overflowed.
		sentinel = ledger.ErrOverflow
	case strings.Contains(msg, "unbalanced entry") || strings.Contains(msg, "fewer than two lines"):
		sentinel = ledger.ErrUnbalanced
	case strings.Contains(msg, "backoffice:"):
		sentinel = ledger.ErrState
	case e.Code()&0xff == sqlite3.SQLITE_CONSTRAINT:
		sentinel = ledger.ErrInvalid
	default:
		return err
	}
	return fmt.Errorf("sqlite store: %w: %w", sentinel, err)
}
