// Package sqlstore is the SQL implementation of the domain stores, shared by
// store/postgres and store/sqlite. The two differ in a Dialect: placeholders,
// row locks, how a version number is drawn, bulk loading and error codes. The
// SQL itself is written once, with ? placeholders rebound per dialect, and
// kept to what PostgreSQL, SQLite and the PostgreSQL-compatible distributed
// engines all run.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// Dialect is what differs between SQL engines.
type Dialect struct {
	// Name is "postgres" or "sqlite", for error messages.
	Name string
	// Bind is the sqlx bind type of the engine's placeholders.
	Bind int
	// ForUpdate is appended to reads that must lock the rows they read
	// (" FOR UPDATE"), or empty where a write transaction already excludes
	// every other writer (SQLite).
	ForUpdate string
	// NextVersion is the SQL expression that sets bo_books.version to a
	// value no state of the book, committed or rolled back, had before. It
	// has one ? parameter if VersionArg is set, bound to what it returns.
	NextVersion string
	VersionArg  func() any
	// FirstVersion is the version of a new book, if NextVersion cannot be
	// used in an INSERT (it refers to the old value).
	FirstVersion string
	// HeadLast moves the chain head after the entries are written rather
	// than before: the schema's guard then checks the new stretch of the
	// chain when the head moves (SQLite has no checks at commit).
	HeadLast bool
	// MaxParams is the most bound parameters one statement may carry.
	MaxParams int
	// Amount is the argument that stores a posting's amount: decimal text
	// for NUMERIC, minor units for INTEGER.
	Amount func(money.Amount) any
	// Time is the argument that stores a timestamp.
	Time func(time.Time) any
	// Bulk, if set, inserts n rows into table faster than a multi-row
	// INSERT (PostgreSQL COPY); it is used from BulkMin rows on.
	Bulk    func(ctx context.Context, tx *sql.Tx, table string, cols []string, n int, row func(i int, dst []any)) error
	BulkMin int
	// Array, if set, wraps a []string, []int64 or []bool as one array
	// argument (PostgreSQL): key lookups then send one array instead of
	// IN lists, and upserts one array per column (unnest) instead of a
	// parameter per value.
	Array func(v any) any
	// SnapshotCacheKiB, if set, is the page cache (SQLite's PRAGMA
	// cache_size, in KiB) of the connection a ViewAll snapshot reads, for
	// the snapshot only: a backup reads every page once, which a large
	// cache only keeps in memory (64 MiB a connection, the most of a
	// backup's RSS).
	SnapshotCacheKiB int
	// PostingDates says bo_postings has a (book, date) index: days cut
	// from a month are summed through it rather than through the entries'
	// date index and a join. It costs a b-tree insert per posting, which
	// SQLite's batched appends feel and PostgreSQL's hardly do.
	PostingDates bool
	// AgingJoin makes Aging as of a past day one aggregate over the items,
	// each joined to the sum of its later moves (PostgreSQL, whose planner
	// reads the items twice for the two aggregates of the other form);
	// unset, it is two aggregates, the first through the covering index
	// (SQLite, which runs the join form three times slower).
	AgingJoin bool
	// Retryable reports whether a transaction failing with err may succeed
	// when run again (serialization failure, deadlock, busy database).
	Retryable func(error) bool
	// Translate maps driver errors to the ledger's sentinels where one
	// fits (a unique key to ErrDuplicate, an out-of-range integer to
	// ErrOverflow) and returns others unchanged.
	Translate func(error) error
	// ViewIsolation is the isolation level that makes a read-only
	// transaction see one snapshot (REPEATABLE READ on PostgreSQL; SQLite's
	// read transactions always do, sql.LevelDefault).
	ViewIsolation sql.IsolationLevel
	// Begin starts a read-write transaction (nil: db.BeginTx).
	Begin func(ctx context.Context, db *sql.DB) (*sql.Tx, error)
}

// MaxAttempts bounds how often Update runs a transaction that fails with a
// retryable error. Contention that outlasts it is reported, not hidden.
const MaxAttempts = 10

// Store implements the domain store interfaces over database/sql.
type Store struct {
	d    *Dialect
	db   *sql.DB // writes (and reads when rdb is nil)
	rdb  *sql.DB // reads, if the engine wants a pool of its own for them
	tx   *sql.Tx // the caller's transaction, if bound to one
	q    *queries
	curs *currencies
	sp   atomic.Uint64 // savepoint names in the caller's transaction
}

// New returns a Store over db. rdb, if not nil, serves View.
func New(d *Dialect, db, rdb *sql.DB) *Store {
	return &Store{d: d, db: db, rdb: rdb, q: newQueries(d), curs: &currencies{}}
}

// InTx returns a Store that runs every Update, View, UpdateHR and ViewHR
// inside tx, the caller's transaction: what the ledger and the HR records
// write commits or rolls back with the caller's own rows. Each write runs in
// a savepoint, so a refused entry leaves tx usable. It never retries; the
// caller owns tx and its retries.
func (s *Store) InTx(tx *sql.Tx) *Store {
	return &Store{d: s.d, db: s.db, tx: tx, q: s.q, curs: s.curs}
}

// The three functions below are functions, not methods, so that the stores
// embedding a Store do not export them.

// ReadFrom returns a Store like s that runs its read-only transactions (View,
// ViewHR, ViewPayroll, ViewPartners, ViewAll and the other reads outside
// Update) on rdb, and everything else as s does: Update and the other
// writes, with every read inside them, on s's database. A Store bound to
// the caller's transaction (InTx) keeps reading in it. rdb may lag behind
// the database written (a hot standby): what a read there returns may be
// older than what the caller has just committed.
func ReadFrom(s *Store, rdb *sql.DB) *Store {
	return &Store{d: s.d, db: s.db, rdb: rdb, tx: s.tx, q: s.q, curs: s.curs}
}

// Bound reports whether s is bound to the caller's transaction (InTx).
func Bound(s *Store) bool { return s.tx != nil }

// ReadRow runs query, a read, where View would (see read), and scans its
// one row into dest. No row is sql.ErrNoRows, unwrapped; other errors are
// wrapped as the store's.
func ReadRow(ctx context.Context, s *Store, query string, args []any, dest ...any) error {
	return s.read(ctx, func(t *tx) error {
		err := t.tx.QueryRowContext(ctx, rebind(s.d, query), args...).Scan(dest...)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return s.wrap(err)
		}
		return err
	})
}

// Update implements ledger.Store.
func (s *Store) Update(ctx context.Context, fn func(ledger.Tx) error) error {
	return s.write(ctx, func(t *tx) error { return fn(t) })
}

// View implements ledger.Store. It reads from one snapshot: REPEATABLE READ
// on PostgreSQL, a read transaction on SQLite.
func (s *Store) View(ctx context.Context, fn func(ledger.ReadTx) error) error {
	return s.read(ctx, func(t *tx) error { return fn(t) })
}

// write runs fn in a read-write transaction: a savepoint of the caller's
// transaction if s is bound to one (InTx), else a transaction of its own,
// run again after a retryable failure (Dialect.Retryable, or an error
// wrapping errRetry), at most MaxAttempts times.
func (s *Store) write(ctx context.Context, fn func(*tx) error) error {
	if s.tx != nil {
		return s.inSavepoint(ctx, func() error { return fn(s.newTx(s.tx)) })
	}
	var err error
	for attempt := 1; ; attempt++ {
		err = s.update(ctx, fn)
		if err == nil || !s.d.Retryable(err) && !errors.Is(err, errRetry) || attempt == MaxAttempts {
			break
		}
		// Back off a little, more each time, so colliding writers spread out.
		t := time.NewTimer(time.Duration(attempt*attempt) * time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
	return err
}

func (s *Store) update(ctx context.Context, fn func(*tx) error) (err error) {
	var tx *sql.Tx
	if s.d.Begin != nil {
		tx, err = s.d.Begin(ctx, s.db)
	} else {
		tx, err = s.db.BeginTx(ctx, nil)
	}
	if err != nil {
		return s.wrap(err)
	}
	done := false
	defer func() {
		if !done { // an error, or a panic in fn
			tx.Rollback()
		}
	}()
	if err = fn(s.newTx(tx)); err != nil {
		return withCtx(ctx, err)
	}
	done = true
	if err = tx.Commit(); err != nil {
		return withCtx(ctx, s.wrap(err))
	}
	return nil
}

// read runs fn in a read-only transaction that sees one snapshot, or in
// the caller's transaction if s is bound to one. Writes through the tx fn
// gets are refused either way.
func (s *Store) read(ctx context.Context, fn func(*tx) error) error {
	if s.tx != nil {
		t := s.newTx(s.tx)
		t.readOnly = true
		return fn(t)
	}
	db := s.db
	if s.rdb != nil {
		db = s.rdb
	}
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: s.d.ViewIsolation})
	if err != nil {
		return s.wrap(err)
	}
	defer tx.Rollback()
	t := s.newTx(tx)
	t.readOnly = true
	return fn(t)
}

func (s *Store) inSavepoint(ctx context.Context, fn func() error) error {
	name := "bo_sp" + strconv.FormatUint(s.sp.Add(1), 10)
	if _, err := s.tx.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
		return s.wrap(err)
	}
	if err := fn(); err != nil {
		if _, rerr := s.tx.ExecContext(context.WithoutCancel(ctx), "ROLLBACK TO SAVEPOINT "+name); rerr != nil {
			return errors.Join(err, s.wrap(rerr))
		}
		return err
	}
	if _, err := s.tx.ExecContext(ctx, "RELEASE SAVEPOINT "+name); err != nil {
		return s.wrap(err)
	}
	return nil
}

// wrap translates a driver error and names the store, keeping the chain
// for errors.Is and errors.As.
func (s *Store) wrap(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if t := s.d.Translate(err); t != err {
		return t
	}
	return fmt.Errorf("%s store: %w", s.d.Name, err)
}

// withCtx makes an error caused by a cancelled or expired context say so,
// whatever the driver reported (lib/pq: SQLSTATE 57014, or a bad connection).
func withCtx(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("%w: %w", cerr, err)
	}
	return err
}

// currencies resolves stored currency codes. ISO codes resolve by
// themselves; other codes are kept in bo_currencies with their minor units.
type currencies struct {
	m sync.Map // code → money.Currency
}

// rebind turns ? placeholders into the dialect's.
func rebind(d *Dialect, q string) string { return sqlx.Rebind(d.Bind, q) }
