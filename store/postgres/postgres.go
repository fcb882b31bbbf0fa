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
//
// # Read replicas
//
// OpenWithReplica (or NewWithReplica) adds a second, read-only database: a
// streaming-replication hot standby of the first, say, that reports and
// exports may read from so that they do not load the primary. Such a Store
// still reads and writes on the primary: its View, Update and every other
// method, and so ledger.Ledger's own reads (EntryByKey after a Post, the
// balances a revaluation posts against, the period checks of a close),
// see the caller's committed writes. Only the Store that Replica returns
// reads on the replica, in its View, ViewHR, ViewPayroll, ViewPartners and
// ViewAll; build the reports' ledger over it:
//
//	s, err := postgres.OpenWithReplica(ctx, primaryDSN, standbyDSN)
//	…
//	tb, err := reporting.TrialBalance(ctx, ledger.New(s.Replica(), nil), "A", opts)
//
// The replica's Store writes on the primary all the same: Update, and
// every read inside it (the idempotency key of a Post, the chain's head,
// constrained balances), runs there, so a re-post of an entry the replica
// has not replayed yet returns the entry, not a second one. InTx ignores
// the replica: a Store bound to the caller's transaction reads and writes
// in it.
//
// A standby lags: a report read there is as of the entries it has
// replayed, which Position says (the book's head sequence, the replay LSN
// and the time of the last transaction replayed). Each View is one
// snapshot, but a report built from several (the ledger reads the book,
// the chart and the balances in turn) may see the standby move on in
// between; to build one as of a single position, read the report and
// Position in one REPEATABLE READ, READ ONLY transaction on ReplicaDB,
// through InTx. Long reads on a standby can be cancelled by the replay of
// what they still need (max_standby_streaming_delay); a standby with
// hot_standby_feedback=on does not cancel them.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
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
	db      *sqlx.DB
	replica *sqlx.DB // the read-only database, or nil
	schema  string   // OpenSchema's schema, which Migrate creates; "" otherwise
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
	db, err := open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres store: %w", err)
	}
	return New(db), nil
}

// OpenWithReplica is Open with a read-only replica at replicaDSN (a hot
// standby of dsn's database, typically) for the Store that Replica
// returns; see the package documentation. Both connections are checked.
// Close closes both. Migrate migrates the primary, from which the replica
// receives the schema.
func OpenWithReplica(ctx context.Context, dsn, replicaDSN string) (*Store, error) {
	db, err := open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres store: %w", err)
	}
	replica, err := open(ctx, replicaDSN)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres store: replica: %w", err)
	}
	return NewWithReplica(db, replica), nil
}

// open opens and pings a handle on dsn with binary parameters.
func open(ctx context.Context, dsn string) (*sqlx.DB, error) {
	db, err := sqlx.Open("postgres", withBinaryParameters(dsn))
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
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

// NewDB is New for a plain database/sql handle on the lib/pq driver
// ("postgres"). To keep the tables in a schema of their own, give the
// handle's DSN a search_path (postgres://…?search_path=books), or use
// OpenSchema, which does that and creates the schema.
func NewDB(db *sql.DB) *Store { return New(sqlx.NewDb(db, "postgres")) }

// schemaName is what OpenSchema takes: a plain lower-case identifier, so
// it needs no quoting anywhere (DSN, search_path, CREATE SCHEMA).
var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// OpenSchema is Open with every table of the store in schema, which
// Migrate creates if it does not exist: the connections' search_path is
// schema alone, so the store's bo_* tables, functions and triggers go
// there and the application's own tables in other schemas are neither
// seen nor touched. schema must be a lower-case identifier (letters,
// digits, underscores; not starting with a digit), else ErrSchema.
func OpenSchema(ctx context.Context, dsn, schema string) (*Store, error) {
	if !schemaName.MatchString(schema) || strings.HasPrefix(schema, "pg_") {
		return nil, fmt.Errorf("postgres store: %w: %q: want a lower-case identifier not starting with pg_", ErrSchema, schema)
	}
	db, err := open(ctx, withParameter(dsn, "search_path", schema))
	if err != nil {
		return nil, fmt.Errorf("postgres store: %w", err)
	}
	s := New(db)
	s.schema = schema
	return s, nil
}

// ErrSchema: OpenSchema was given a schema name it does not take.
var ErrSchema = errors.New("postgres store: invalid schema name")

// withParameter adds the run-time parameter name=value to a URL or
// key=value DSN.
func withParameter(dsn, name, value string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		if strings.Contains(dsn, "?") {
			return dsn + "&" + name + "=" + value
		}
		return dsn + "?" + name + "=" + value
	}
	return dsn + " " + name + "=" + value
}

// NewWithReplica is New with replica, a handle on a read-only copy of db's
// database, for the Store that Replica returns (see the package
// documentation). The caller keeps owning both handles; Close closes both.
// A nil replica is New.
func NewWithReplica(db, replica *sqlx.DB) *Store {
	s := New(db)
	s.replica = replica
	return s
}

// DB returns the database handle: the primary's.
func (s *Store) DB() *sqlx.DB { return s.db }

// ReplicaDB returns the replica's handle, or nil if s has none.
func (s *Store) ReplicaDB() *sqlx.DB { return s.replica }

// Replica returns a Store that reads on the replica and writes on the
// primary: its View, ViewHR, ViewPayroll, ViewPartners, ViewAll and the
// other reads outside a write run in read-only transactions on ReplicaDB;
// Update, UpdateHR and the other writes, with all their reads (idempotency
// keys, heads, locks), on DB, as s's do. It is for reports and exports,
// which may be a little behind (see Position); code that must see its own
// writes reads through s. Without a replica, and for a Store bound to the
// caller's transaction (InTx), Replica returns s. DB, Migrate and Close act
// as s's do; Close closes both handles.
func (s *Store) Replica() *Store {
	if s.replica == nil || sqlstore.Bound(s.Store) {
		return s
	}
	return &Store{Store: sqlstore.ReadFrom(s.Store, s.replica.DB), db: s.db, replica: s.replica, schema: s.schema}
}

// Close closes the database handle and the replica's, if any.
func (s *Store) Close() error {
	err := s.db.Close()
	if s.replica != nil {
		err = errors.Join(err, s.replica.Close())
	}
	return err
}

// Position is how far the data a Store reads have come: which entries of
// a book they hold and, on a hot standby, how much of the primary's
// write-ahead log the standby has replayed.
type Position struct {
	// Head is the sequence number of the book's last entry as read there
	// (0 for a book without entries): what was read covers entries 1 to
	// Head, and a report read in the same transaction is as of entry Head.
	Head uint64
	// Standby reports that the database is in recovery: a hot standby.
	Standby bool
	// LSN is the write-ahead log position: on a standby the last one
	// replayed (pg_last_wal_replay_lsn), else the current one written
	// (pg_current_wal_lsn); "16/B374D848", say.
	LSN string
	// Replayed is the commit time of the last transaction a standby
	// replayed (pg_last_xact_replay_timestamp); zero on a primary, or
	// before the standby replayed one.
	Replayed time.Time
}

// Position returns the position of book where s reads: on the replica for
// a Store from Replica, in the caller's transaction for one from InTx (on
// whichever server that transaction runs), else on the primary. The head
// and the LSN are read in one statement. An unknown book is an error
// wrapping ledger.ErrUnknownBook. Position is PostgreSQL's own: it reads
// functions the compatible distributed engines lack.
func (s *Store) Position(ctx context.Context, book string) (Position, error) {
	var (
		p        Position
		head     int64
		replayed sql.NullTime
	)
	err := sqlstore.ReadRow(ctx, s.Store, `SELECT b.head_seq, pg_is_in_recovery(),
		COALESCE((CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)::text, ''),
		pg_last_xact_replay_timestamp()
		FROM bo_books b WHERE b.id = ?`, []any{book}, &head, &p.Standby, &p.LSN, &replayed)
	if errors.Is(err, sql.ErrNoRows) {
		return Position{}, fmt.Errorf("postgres store: position of %s: %w", book, ledger.ErrUnknownBook)
	}
	if err != nil {
		return Position{}, fmt.Errorf("position of %s: %w", book, err)
	}
	p.Head = uint64(head)
	if replayed.Valid {
		p.Replayed = replayed.Time.UTC()
	}
	return p, nil
}

// Migrate brings the schema up to date. It is safe to run from several
// processes at once: they serialize on a row lock, and all but the first
// find nothing to do.
func (s *Store) Migrate(ctx context.Context) error {
	ms, err := Migrations()
	if err != nil {
		return err
	}
	if s.schema != "" { // an identifier schemaName allowed: no quoting needed
		if _, err := s.db.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+s.schema); err != nil {
			return fmt.Errorf("postgres store: create schema: %w", err)
		}
	}
	return sqlstore.Migrate(ctx, s.db.DB, dialect, ms)
}

// Migrations returns the embedded migrations, in order.
func Migrations() ([]sqlstore.Migration, error) {
	return sqlstore.LoadMigrations(migrationFiles, "migrations")
}

// MigrationFS returns the embedded migration files, "0001_ledger.sql",
// "0002_guards.sql", …, for an application that runs its schema changes
// with its own tool (golang-migrate, goose, Atlas, plain psql) instead of
// Migrate. Each file is plain SQL for PostgreSQL, to be run once, in the
// order of its number, in a transaction of its own; a released file never
// changes, and new ones get the next number. With golang-migrate, name
// them NNNN_name.up.sql; with goose, prefix each with "-- +goose Up".
//
// Use one or the other: Migrate records what it applied in bo_migrations
// and knows nothing of files another tool ran, so calling it on such a
// schema fails on the first table that exists.
func MigrationFS() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the directory is embedded: cannot happen
	}
	return sub
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
//
// The replica, if any, plays no part: tx is the caller's, on whichever
// server the caller began it, and the returned Store reads and writes in
// it (Replica returns it as it is).
func (s *Store) InTx(tx *sql.Tx) *Store {
	return &Store{Store: s.Store.InTx(tx), db: s.db, replica: s.replica, schema: s.schema}
}

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
