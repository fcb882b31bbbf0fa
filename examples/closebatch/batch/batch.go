// Package batch holds what the books tool and the closebatch example share:
// opening the store a --db flag names, a book's exchange rates for its
// ledger (LoadFX), closing periods of many books idempotently, and
// reporting progress on a terminal or as log lines.
package batch

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/store/postgres"
	"github.com/openbackoffice/backoffice/store/sqlite"
)

// Store is a store of both domains.
type Store interface {
	ledger.Store
	hr.Store
	payroll.Store
	Close() error
}

// DefaultDB is the store used without --db or BOOKS_DB.
const DefaultDB = "books.db"

// DB returns the store name: flag, else $BOOKS_DB, else DefaultDB.
func DB(flag string) string {
	if flag != "" {
		return flag
	}
	if v := os.Getenv("BOOKS_DB"); v != "" {
		return v
	}
	return DefaultDB
}

// OpenStore opens and migrates the store dsn names: a postgres:// or
// postgresql:// DSN, or else the path of a SQLite file (created if missing).
func OpenStore(ctx context.Context, dsn string) (Store, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		s, err := postgres.Open(ctx, dsn)
		if err != nil {
			return nil, err
		}
		if err := s.Migrate(ctx); err != nil {
			s.Close()
			return nil, err
		}
		return s, nil
	}
	return sqlite.Open(ctx, dsn)
}

// ErrNoDatabase: a command that only reads was pointed at a SQLite file
// that does not exist (OpenExisting), which it must not create.
var ErrNoDatabase = errors.New("no database")

// OpenExisting is OpenStore for commands that only read: a SQLite path
// that does not exist is ErrNoDatabase instead of a new empty database.
func OpenExisting(ctx context.Context, dsn string) (Store, error) {
	if path, ok := sqlitePath(dsn); ok {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w at %s: create one with 'books init' or 'books demo', or name another with --db or $BOOKS_DB", ErrNoDatabase, path)
		}
	}
	return OpenStore(ctx, dsn)
}

// sqlitePath returns the file a SQLite DSN names, if dsn is one ("path" or
// "file:path?options"; not ":memory:").
func sqlitePath(dsn string) (string, bool) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") || strings.Contains(dsn, ":memory:") || strings.Contains(dsn, "mode=memory") {
		return "", false
	}
	path := strings.TrimPrefix(dsn, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 && path != dsn {
		path = path[:i]
	}
	return path, path != ""
}

// Redact returns dsn with its password replaced by "xxxxx": a URL's
// user password (postgres://user:secret@host/db) and a key/value DSN's
// password=… A SQLite path comes back as it is. Print only redacted DSNs.
func Redact(dsn string) string { return RedactIn(dsn, dsn) }

// RedactIn replaces the password of dsn (see Redact) wherever it occurs in
// text, an error message say, escaped or not.
func RedactIn(text, dsn string) string {
	var secrets []string
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			secrets = append(secrets, pw, url.QueryEscape(pw), url.PathEscape(pw))
			if i := strings.Index(dsn, "@"); i >= 0 { // the raw form as typed
				if j := strings.LastIndex(dsn[:i], ":"); j >= 0 {
					secrets = append(secrets, dsn[j+1:i])
				}
			}
		}
	} else if strings.Contains(dsn, "://") {
		// A URL that does not parse: hide everything between the
		// scheme and the host.
		if i, j := strings.Index(dsn, "://"), strings.LastIndex(dsn, "@"); j > i {
			if k := strings.Index(dsn[i+3:j], ":"); k >= 0 {
				secrets = append(secrets, dsn[i+3+k+1:j])
			}
		}
	}
	for _, m := range kvPassword.FindAllStringSubmatch(dsn, -1) {
		secrets = append(secrets, strings.Trim(m[1], "'"))
	}
	for _, pw := range secrets {
		if len(pw) > 0 {
			text = strings.ReplaceAll(text, pw, "xxxxx")
		}
	}
	return text
}

// kvPassword finds password=… in a key/value DSN or a URL's query.
var kvPassword = regexp.MustCompile(`(?i)password=('[^']*'|[^\s&]+)`)

// Atomic runs fn with a ledger store bound to one database transaction,
// so that everything fn writes through it (a book, its accounts, a
// hundred thousand entries in many PostBatch calls) commits together or
// not at all; each Update of the bound store is a savepoint. A store
// without SQL transactions (memory) is passed as it is.
func Atomic(ctx context.Context, s Store, fn func(ledger.Store) error) error {
	var (
		db   *sql.DB
		bind func(*sql.Tx) ledger.Store
	)
	switch st := s.(type) {
	case *sqlite.Store:
		db, bind = st.DB().DB, func(tx *sql.Tx) ledger.Store { return st.InTx(tx) }
	case *postgres.Store:
		db, bind = st.DB().DB, func(tx *sql.Tx) ledger.Store { return st.InTx(tx) }
	default:
		return fn(s)
	}
	// As the stores begin theirs: lib/pq cannot roll back on a cancel while
	// a COPY owns the connection (lib/pq #768); statements still see ctx.
	tx, err := db.BeginTx(context.WithoutCancel(ctx), nil)
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done { // fn failed or panicked: never keep the write connection
			tx.Rollback()
		}
	}()
	if err := fn(bind(tx)); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	done = true
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// ParseMonth parses "2026-03" into its first day.
func ParseMonth(s string) (date.Date, error) {
	d, err := date.Parse(s + "-01")
	if err != nil {
		return date.Date{}, fmt.Errorf("month %q: want YYYY-MM", s)
	}
	return d, nil
}

// Outcome is what closing one book's period did.
type Outcome string

// The outcomes of ClosePeriod.
const (
	Closed        Outcome = "closed"
	AlreadyClosed Outcome = "already closed"
	// ClosedByOther: the period was open when this run looked, but another
	// run (a second copy of the job) closed it first; this run's transition
	// found it closed and changed nothing.
	ClosedByOther Outcome = "closed by another run"
)

// NewLedger returns a ledger over s without exchange rates, for any book:
// what closing periods needs, which converts nothing. A ledger that posts
// for one book in several currencies is LoadFX's FX.Ledger.
func NewLedger(s ledger.Store) *ledger.Ledger { return ledger.New(s, nil) }

// PreCloseCheck is run on a book before its period closes; an error keeps
// the period open. The payroll package adds one ("no pay run left calculated
// but not posted") when pay runs exist.
type PreCloseCheck func(ctx context.Context, l *ledger.Ledger, book string, p ledger.Period) error

// NoPendingPayRun is the payroll check before a period closes: no pay run
// of the book for a month of the period may be left calculated or approved
// but not posted (its entry would land in a closed period, or never).
func NoPendingPayRun(s payroll.Store) PreCloseCheck {
	runs := payroll.New(s, nil)
	return func(ctx context.Context, _ *ledger.Ledger, book string, p ledger.Period) error {
		list, err := runs.List(ctx, book)
		if err != nil {
			return err
		}
		for _, r := range list {
			// The run's entry is booked on its Date (the period's end unless
			// set otherwise).
			pending := r.Status == payroll.Calculated || r.Status == payroll.Approved
			if pending && !r.Date.Before(p.Start) && !r.Date.After(p.End) {
				return fmt.Errorf("pay run %s is %s but not posted", r.ID, r.Status)
			}
		}
		return nil
	}
}

// ClosePeriod closes the period of book containing month, after checking
// that the book's chain verifies, that its trial balance up to the period's
// end balances, and the extra checks. Closing is one ledger transaction
// (Ledger.ClosePeriod takes the book's head lock), so a second process
// closing the same period waits for the first and then finds it closed, a
// no-op; a process killed before the commit left the period open.
// Ledger.CloseOpenPeriod tells Closed from ClosedByOther.
func ClosePeriod(ctx context.Context, l *ledger.Ledger, book string, month date.Date, checks ...PreCloseCheck) (Outcome, error) {
	p, err := l.Period(ctx, book, month)
	if err != nil {
		return "", err
	}
	if p.State != ledger.Open {
		return AlreadyClosed, nil
	}
	if _, err := l.Verify(ctx, book); err != nil {
		return "", err
	}
	if err := TrialBalanced(ctx, l, book, p.End); err != nil {
		return "", err
	}
	for _, c := range checks {
		if err := c(ctx, l, book, p); err != nil {
			return "", err
		}
	}
	closed, err := l.CloseOpenPeriod(ctx, book, p.FiscalYear, p.Number)
	switch {
	case err != nil:
		return "", err
	case !closed:
		return ClosedByOther, nil
	}
	return Closed, nil
}

// ErrUnbalanced: the trial balance of a book does not balance.
var ErrUnbalanced = errors.New("trial balance does not balance")

// TrialBalanced checks that the book's balances as of to sum to zero: in
// the book's base currency if every amount in another currency carries its
// base amount (ledger.BalanceQuery.InBase; an entry with base amounts
// balances only there), else per currency, as entries without base
// amounts balance.
func TrialBalanced(ctx context.Context, l *ledger.Ledger, book string, to date.Date) error {
	rows, err := l.Balances(ctx, book, ledger.BalanceQuery{To: to, InBase: true})
	unconverted := err
	if errors.Is(err, ledger.ErrNotConverted) {
		rows, err = l.Balances(ctx, book, ledger.BalanceQuery{To: to})
	} else {
		unconverted = nil
	}
	if err != nil {
		return err
	}
	sums := map[money.Currency]int64{}
	for _, r := range rows {
		sums[r.Currency] += r.Closing.MinorUnits()
	}
	for c, s := range sums {
		switch {
		case s == 0:
		case unconverted != nil: // some balance in the base currency, some per currency
			return fmt.Errorf("%w: %s off by %s, and in the base currency it cannot be summed: %w", ErrUnbalanced, c.Code(), money.New(s, c).Number(), unconverted)
		default:
			return fmt.Errorf("%w: %s off by %s", ErrUnbalanced, c.Code(), money.New(s, c).Number())
		}
	}
	return nil
}

// Progress reports a batch's progress: a bar with counts and ETA on a
// terminal, nothing otherwise (the log lines say it all).
type Progress struct {
	w     io.Writer
	tty   bool
	total int
	done  int
	start time.Time
}

// IsTerminal reports whether f is a character device (a terminal), without
// golang.org/x/term.
func IsTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// NewProgress returns a Progress over total items writing to f if it is a terminal.
func NewProgress(f *os.File, total int) *Progress {
	return &Progress{w: f, tty: IsTerminal(f), total: total, start: time.Now()}
}

// TTY reports whether the progress bar is shown.
func (p *Progress) TTY() bool { return p.tty }

// Step counts one item done and redraws the bar.
func (p *Progress) Step(label string) {
	p.done++
	if !p.tty {
		return
	}
	const width = 30
	n := width * p.done / max(p.total, 1)
	eta := "?"
	if p.done > 0 {
		el := time.Since(p.start)
		eta = (el / time.Duration(p.done) * time.Duration(p.total-p.done)).Round(time.Second).String()
	}
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d  ETA %s  %-20.20s", strings.Repeat("=", n), strings.Repeat(" ", width-n), p.done, p.total, eta, label)
}

// Finish ends the bar's line.
func (p *Progress) Finish() {
	if p.tty {
		fmt.Fprintln(p.w)
	}
}

// Logger returns a slog logger on stderr in format "text" or "json".
func Logger(format string) (*slog.Logger, error) {
	switch format {
	case "", "text":
		return slog.New(slog.NewTextHandler(os.Stderr, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(os.Stderr, nil)), nil
	}
	return nil, fmt.Errorf("--log-format must be text or json")
}

// Result sums up a batch.
type Result struct {
	Closed, AlreadyClosed, ClosedByOther int
	Failed                               []string // book IDs, in order
	Interrupted                          bool     // stopped by a signal before the end
	Left                                 int      // books not attempted
}

// CloseAll closes the period containing month for each book of store,
// jobs books at a time (at least one), logging each outcome. A failing
// book is logged and skipped. CloseAll stops taking books once stop is done
// (a signal), never in the middle of one: each close runs on a context that
// stop does not cancel.
func CloseAll(stop context.Context, store ledger.Store, jobs int, books []string, month date.Date, log *slog.Logger, prog *Progress, checks ...PreCloseCheck) Result {
	ctx := context.WithoutCancel(stop)
	jobs = max(1, min(jobs, len(books)))
	var (
		mu     sync.Mutex
		res    Result
		failed = make([]bool, len(books))
		next   int
		wg     sync.WaitGroup
	)
	period := month.String()[:7]
	for range jobs {
		l := NewLedger(store)
		wg.Go(func() {
			for {
				mu.Lock()
				if next == len(books) || stop.Err() != nil {
					mu.Unlock()
					return
				}
				i := next
				next++
				mu.Unlock()
				b := books[i]
				t0 := time.Now()
				out, err := ClosePeriod(ctx, l, b, month, checks...)
				mu.Lock()
				if err != nil {
					failed[i] = true
					log.Error("close failed", "book", b, "period", period, "err", err)
				} else {
					switch out {
					case Closed:
						res.Closed++
					case ClosedByOther:
						res.ClosedByOther++
					default:
						res.AlreadyClosed++
					}
					if !prog.TTY() {
						log.Info("period "+string(out), "book", b, "period", period, "n", i+1, "of", len(books), "ms", time.Since(t0).Milliseconds())
					}
				}
				prog.Step(b)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	prog.Finish()
	for i, f := range failed {
		if f {
			res.Failed = append(res.Failed, books[i])
		}
	}
	if next < len(books) {
		res.Interrupted, res.Left = true, len(books)-next
	}
	return res
}
