package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/examples/closebatch/batch"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/journal"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll/rules/de/pap"
	"github.com/openbackoffice/backoffice/store/memory"
	"github.com/openbackoffice/backoffice/store/postgres"
	"github.com/openbackoffice/backoffice/store/sqlite"
)

// benchNames are the benchmarks of books bench, in the order they run: the
// trial balance last, as its fixture is the biggest.
var benchNames = []string{"post", "post-concurrent", "post-batch", "import", "payrun", "trial-balance"}

// benchConfig is what the flags of books bench ask for.
type benchConfig struct {
	store      string // memory, sqlite or postgres
	duration   time.Duration
	budget     time.Duration
	postings   int
	accounts   int
	goroutines int
	batch      int
	imports    int // transactions per journal import
	employees  int
	only       map[string]bool
}

// benchRow is one line of the result table. Rates are units per second;
// float64 is for timings only, never for an amount.
type benchRow struct {
	Name          string  `json:"name"`
	Unit          string  `json:"unit"`
	Ops           int     `json:"ops"`
	OpsPerSec     float64 `json:"ops_per_sec"`
	Baseline      string  `json:"baseline"`
	BaseOps       int     `json:"baseline_ops"`
	BaseOpsPerSec float64 `json:"baseline_ops_per_sec"`
	Ratio         float64 `json:"ratio"`
	P50ms         float64 `json:"p50_ms"`
	P99ms         float64 `json:"p99_ms"`
	Call          string  `json:"call"` // what one latency sample is
	Skipped       string  `json:"skipped,omitempty"`
}

// runBench is books bench: the benchmarks of benchNames on a scratch store,
// each beside its baseline, as a text table or JSON on stdout.
func runBench(ctx context.Context, e *env, args []string) error {
	fs := e.flags("bench", "[--store memory|sqlite|postgres] [--duration D] [--budget D] [--postings N] [--format text|json]")
	var c benchConfig
	fs.StringVar(&c.store, "store", "", "memory, sqlite or postgres (default: postgres if --db is a postgres:// DSN, else sqlite)")
	fs.DurationVar(&c.duration, "duration", 3*time.Second, "how long each benchmark and each baseline runs (in three alternating rounds)")
	fs.DurationVar(&c.budget, "budget", 10*time.Minute, "the whole run at most, fixtures included; what does not fit is skipped")
	fs.IntVar(&c.postings, "postings", 1_000_000, "postings in the trial balance's book (two-line entries, loaded through PostBatch)")
	fs.IntVar(&c.accounts, "accounts", 1000, "accounts of each benchmark book")
	fs.IntVar(&c.goroutines, "goroutines", 16, "goroutines of post-concurrent")
	fs.IntVar(&c.batch, "batch", 1000, "entries per PostBatch of post-batch")
	fs.IntVar(&c.imports, "import", 10_000, "transactions of the journal each import reads")
	fs.IntVar(&c.employees, "employees", 100, "employees of each pay run")
	only := fs.String("only", "", "comma-separated benchmarks to run: "+strings.Join(benchNames, ","))
	format := fs.String("format", "text", "text or json")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usagef("books bench takes no arguments")
	}
	if *format != "text" && *format != "json" {
		return usagef("--format must be text or json")
	}
	if c.duration <= 0 || c.budget <= 0 || c.postings < 2 || c.accounts < 2 || c.goroutines < 1 || c.batch < 1 || c.imports < 1 || c.employees < 1 {
		return usagef("--duration and --budget must be positive, --postings and --accounts ≥ 2, the other sizes ≥ 1")
	}
	if *only != "" {
		c.only = map[string]bool{}
		for _, n := range strings.Split(*only, ",") {
			if !slices.Contains(benchNames, n) {
				return usagef("--only: unknown benchmark %q (want %s)", n, strings.Join(benchNames, ", "))
			}
			c.only[n] = true
		}
	}
	dsn := batch.DB(e.db)
	isPG := strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
	switch c.store {
	case "":
		c.store = map[bool]string{true: "postgres", false: "sqlite"}[isPG]
	case "memory", "sqlite":
	case "postgres":
		if !isPG {
			return usagef("--store postgres needs a postgres:// DSN in --db or $BOOKS_DB (the benchmark works in a scratch schema it drops)")
		}
	default:
		return usagef("--store must be memory, sqlite or postgres")
	}
	// Ctrl-C stops the run between operations; the scratch database is
	// dropped all the same.
	ctx = e.stop
	sc, err := openScratch(ctx, c.store, dsn)
	if err != nil {
		return fmt.Errorf("scratch %s database: %w", c.store, err)
	}
	if !e.quiet {
		e.say("bench: %s in %s; %v per benchmark and baseline, %v in all", c.store, sc.where, c.duration, c.budget)
	}
	load := loadAverage()
	rows, runErr := benchAll(ctx, e, sc, c)
	if err := sc.drop(); err != nil {
		runErr = errors.Join(runErr, fmt.Errorf("drop %s: %w", sc.where, err))
	} else if !e.quiet {
		e.say("bench: dropped %s", sc.where)
	}
	if runErr != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("interrupted (%w); %s dropped", runErr, sc.where)
		}
		return runErr
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Store      string     `json:"store"`
			CPUs       int        `json:"cpus"`
			Load       string     `json:"load_average,omitempty"`
			Postings   int        `json:"postings"`
			Accounts   int        `json:"accounts"`
			Goroutines int        `json:"goroutines"`
			Batch      int        `json:"batch"`
			Duration   string     `json:"duration"`
			Rows       []benchRow `json:"benchmarks"`
		}{c.store, runtime.NumCPU(), load, c.postings + c.postings%2, c.accounts, c.goroutines, c.batch, c.duration.String(), rows})
	}
	writeBenchTable(e.stdout, c, load, rows)
	return nil
}

// loadAverage returns the 1, 5 and 15 minute load averages of Linux's
// /proc/loadavg, or "" elsewhere: a benchmark on a busy machine says so.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return ""
}

// writeBenchTable prints rows as a text table and what each baseline is.
func writeBenchTable(w io.Writer, c benchConfig, load string, rows []benchRow) {
	if load != "" {
		load = ", load average " + load + " at the start"
	}
	fmt.Fprintf(w, "books bench: %s store, %d CPUs%s, %v per benchmark and baseline\n\n", c.store, runtime.NumCPU(), load, c.duration)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "benchmark\tunit\tops\tops/s\tbaseline ops/s\tratio\tp50\tp99\t")
	for _, r := range rows {
		if r.Skipped != "" {
			fmt.Fprintf(tw, "%s\t%s\t-\t-\t-\t-\t-\t-\t\n", r.Name, r.Unit)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t\n", r.Name, r.Unit, r.Ops, rate(r.OpsPerSec), rate(r.BaseOpsPerSec),
			ratio(r.Ratio)+"×", ms(r.P50ms), ms(r.P99ms))
	}
	tw.Flush()
	fmt.Fprintln(w, "\nratio = ops/s ÷ baseline ops/s, both measured in this run; p50/p99 are the latencies of one call:")
	for _, r := range rows {
		if r.Skipped != "" {
			fmt.Fprintf(w, "  %-20s skipped: %s\n", r.Name, r.Skipped)
			continue
		}
		fmt.Fprintf(w, "  %-20s call: %s\n  %-20s baseline: %s\n", r.Name, r.Call, "", r.Baseline)
	}
}

// ratio prints v with three significant digits, never rounded to zero.
func ratio(v float64) string {
	if v <= 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	scale := math.Pow(10, 2-math.Floor(math.Log10(v)))
	return strconv.FormatFloat(math.Round(v*scale)/scale, 'f', -1, 64)
}

func rate(v float64) string {
	if v >= 100 {
		return strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

func ms(v float64) string {
	if v >= 100 {
		return strconv.FormatFloat(v, 'f', 0, 64) + "ms"
	}
	if v >= 1 {
		return strconv.FormatFloat(v, 'f', 2, 64) + "ms"
	}
	return strconv.FormatFloat(v*1000, 'f', 1, 64) + "µs"
}

// scratch is the database a benchmark run works in, made for it and
// dropped after it: never the user's books.
type scratch struct {
	kind   string
	where  string // for messages: a file, a schema, "process memory"
	store  batch.Store
	db     *sql.DB // the SQL handle writes go through; nil for memory
	dollar bool    // PostgreSQL: $n placeholders, COPY, NUMERIC amounts
	drop   func() error
}

// scratchMem is the memory store as a batch.Store.
type scratchMem struct{ *memory.Store }

func (scratchMem) Close() error { return nil }

// openScratch makes a scratch database of kind: the memory store; a new
// SQLite file beside the --db file (so the benchmark measures the disk the
// books live on), removed with its WAL by drop; or a new schema bench_<hex>
// in the database dsn names, which drop removes with everything in it.
func openScratch(ctx context.Context, kind, dsn string) (*scratch, error) {
	switch kind {
	case "memory":
		return &scratch{kind: kind, where: "process memory", store: scratchMem{memory.New()}, drop: func() error { return nil }}, nil
	case "sqlite":
		dir := "."
		if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
			p := strings.TrimPrefix(dsn, "file:")
			if i := strings.IndexByte(p, '?'); i >= 0 {
				p = p[:i]
			}
			dir = filepath.Dir(p)
		}
		f, err := os.CreateTemp(dir, ".books-bench-*.db")
		if err != nil {
			return nil, err
		}
		path := f.Name()
		f.Close()
		remove := func() error {
			var errs []error
			for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
				if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
					errs = append(errs, err)
				}
			}
			return errors.Join(errs...)
		}
		s, err := sqlite.Open(ctx, path)
		if err != nil {
			return nil, errors.Join(err, remove())
		}
		return &scratch{kind: kind, where: "SQLite file " + path, store: s, db: s.DB().DB,
			drop: func() error { return errors.Join(s.Close(), remove()) }}, nil
	case "postgres":
		var b [6]byte
		rand.Read(b[:])
		schema := "bench_" + hex.EncodeToString(b[:])
		admin, err := sql.Open("postgres", dsn)
		if err != nil {
			return nil, err
		}
		if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
			admin.Close()
			return nil, err
		}
		var s *postgres.Store
		drop := func() error {
			var err error
			if s != nil {
				err = s.Close()
			}
			// Also after Ctrl-C: the drop has a context of its own.
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
			defer cancel()
			_, derr := admin.ExecContext(dctx, "DROP SCHEMA "+schema+" CASCADE")
			return errors.Join(err, derr, admin.Close())
		}
		u, err := url.Parse(dsn)
		if err != nil {
			return nil, errors.Join(err, drop())
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		if s, err = postgres.Open(ctx, u.String()); err != nil {
			return nil, errors.Join(err, drop())
		}
		// Never migrate or write anywhere but the scratch schema.
		var cur sql.NullString
		if err := s.DB().QueryRowContext(ctx, "SELECT current_schema()").Scan(&cur); err != nil || cur.String != schema {
			return nil, errors.Join(fmt.Errorf("the connection's schema is %q, not %s: does the DSN set search_path or options?", cur.String, schema), err, drop())
		}
		if err := s.Migrate(ctx); err != nil {
			return nil, errors.Join(err, drop())
		}
		return &scratch{kind: kind, where: "PostgreSQL schema " + schema, store: s, db: s.DB().DB, dollar: true, drop: drop}, nil
	}
	return nil, fmt.Errorf("unknown store %q", kind)
}

// benchAll runs the benchmarks c asks for in sc, each followed by its
// baseline, within c.budget.
func benchAll(ctx context.Context, e *env, sc *scratch, c benchConfig) ([]benchRow, error) {
	deadline := time.Now().Add(c.budget)
	b := &bencher{ctx: ctx, e: e, sc: sc, c: c, deadline: deadline, l: ledger.New(sc.store, nil)}
	if err := b.rawTables(); err != nil {
		return nil, fmt.Errorf("baseline tables: %w", err)
	}
	var rows []benchRow
	for _, name := range benchNames {
		if c.only != nil && !c.only[name] {
			continue
		}
		if err := ctx.Err(); err != nil {
			return rows, err
		}
		var got []benchRow
		var err error
		if time.Until(deadline) <= 0 {
			got = b.skipped(name, "the --budget was spent")
		} else {
			b.progress("bench: %s", name)
			switch name {
			case "post":
				got, err = b.post()
			case "post-concurrent":
				got, err = b.postConcurrent()
			case "post-batch":
				got, err = b.postBatch()
			case "import":
				got, err = b.importJournal()
			case "payrun":
				got, err = b.payRun()
			case "trial-balance":
				got, err = b.trialBalance()
			}
		}
		if err != nil {
			return rows, fmt.Errorf("%s: %w", name, err)
		}
		rows = append(rows, got...)
	}
	return rows, nil
}

// bencher holds one run's state.
type bencher struct {
	ctx      context.Context
	e        *env
	sc       *scratch
	c        benchConfig
	deadline time.Time
	l        *ledger.Ledger
	books    int // books made so far, for unique IDs
	rawMu    sync.Mutex
	rawSeq   int64 // last sequence number of the raw tables
	mem      *memRaw
}

func (b *bencher) progress(format string, args ...any) {
	if !b.e.quiet {
		b.e.say(format, args...)
	}
}

func (b *bencher) skipped(name, why string) []benchRow {
	if name == "trial-balance" {
		return []benchRow{{Name: "trial-balance-year", Unit: "query", Skipped: why}, {Name: "trial-balance-range", Unit: "query", Skipped: why}}
	}
	return []benchRow{{Name: name, Skipped: why}}
}

// phase is one measured loop's outcome.
type phase struct {
	units int
	busy  time.Duration // time inside the calls (one goroutine) or wall time (several)
	lat   []time.Duration
}

func (p phase) rate() float64 {
	if p.busy <= 0 {
		return 0
	}
	return float64(p.units) / p.busy.Seconds()
}

// op is one call of a benchmark or baseline: the units it did and the
// time of its measured part (the caller's setup excluded).
type op func(ctx context.Context, worker int) (units int, took time.Duration, err error)

// rounds is how many turns a benchmark and its baseline take, alternating,
// so that both see the same load of a shared machine.
const rounds = 3

// pair runs the benchmark f and its baseline g on workers goroutines in
// alternating rounds, each for a third of the --duration (cut short by the
// budget, at least one call a round). Calls that take longer than the
// --duration end the rounds early: a 20-second baseline query runs once.
func (b *bencher) pair(workers int, f, g op) (m, base phase, err error) {
	start := time.Now()
	for range rounds {
		d := min(b.c.duration/rounds, max(time.Until(b.deadline), 0))
		pm, err := b.loop(d, workers, f)
		if err != nil {
			return m, base, err
		}
		pb, err := b.loop(d, workers, g)
		if err != nil {
			return m, base, err
		}
		m.add(pm)
		base.add(pb)
		if b.ctx.Err() != nil || time.Until(b.deadline) <= 0 || time.Since(start) > 2*b.c.duration {
			break
		}
	}
	return m, base, nil
}

func (p *phase) add(q phase) {
	p.units += q.units
	p.busy += q.busy
	p.lat = append(p.lat, q.lat...)
}

// loop runs f on workers goroutines for d (at least one call each). The
// calls get a context that is never cancelled, so that Ctrl-C never leaves
// a COPY or a transaction half-done on a connection the drop then waits
// for; the loop stops between calls.
func (b *bencher) loop(d time.Duration, workers int, f op) (phase, error) {
	ctx := context.WithoutCancel(b.ctx)
	start := time.Now()
	var (
		mu   sync.Mutex
		all  phase
		errs []error
		wg   sync.WaitGroup
	)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var p phase
			for first := true; first || (time.Since(start) < d && b.ctx.Err() == nil); first = false {
				u, took, err := f(ctx, w)
				if err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
					return
				}
				p.units += u
				p.busy += took
				p.lat = append(p.lat, took)
			}
			mu.Lock()
			all.units += p.units
			all.busy += p.busy
			all.lat = append(all.lat, p.lat...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if workers > 1 {
		all.busy = time.Since(start)
	}
	return all, errors.Join(errs...)
}

// row makes a result row of a measured phase and its baseline.
func row(name, unit, call, baseline string, m, base phase) benchRow {
	r := benchRow{Name: name, Unit: unit, Call: call, Baseline: baseline, Ops: m.units, OpsPerSec: m.rate(),
		BaseOps: base.units, BaseOpsPerSec: base.rate()}
	if r.BaseOpsPerSec > 0 {
		r.Ratio = r.OpsPerSec / r.BaseOpsPerSec
	}
	slices.Sort(m.lat)
	if n := len(m.lat); n > 0 {
		r.P50ms = float64(m.lat[n/2].Microseconds()) / 1000
		r.P99ms = float64(m.lat[min(n-1, n*99/100)].Microseconds()) / 1000
	}
	return r
}

// newBook creates a book named prefix-N with accounts 00000, 00001, … and
// returns its ID and the account codes.
func (b *bencher) newBook(prefix string, accounts int) (string, []string, error) {
	b.books++
	id := prefix + "-" + strconv.Itoa(b.books)
	if err := b.l.CreateBook(b.ctx, ledger.Book{ID: id, Name: "books bench", Currency: money.EUR}); err != nil {
		return "", nil, err
	}
	codes := make([]string, accounts)
	accts := make([]ledger.Account, accounts)
	for i := range accts {
		codes[i] = fmt.Sprintf("%05d", i)
		accts[i] = ledger.Account{Book: id, Code: codes[i], Name: "Account " + codes[i], Type: ledger.Asset}
	}
	if err := b.l.CreateAccounts(b.ctx, accts...); err != nil {
		return "", nil, err
	}
	return id, codes, nil
}

// gen makes the benchmark entries: keyed two-line EUR transfers between
// pseudo-random accounts, dated in sequence over 2026 (n a year), cheap to
// make so that the loops time the posting, not the making.
type gen struct {
	book  string
	codes []string
	x     uint64
	n     int
	perYr int
	keyed bool
}

func (g *gen) next() ledger.Entry {
	g.x ^= g.x << 13
	g.x ^= g.x >> 7
	g.x ^= g.x << 17
	g.n++
	cents := int64(1 + g.x%1_000_000)
	a, c := g.codes[(g.x>>20)%uint64(len(g.codes))], g.codes[(g.x>>40)%uint64(len(g.codes))]
	e := ledger.Entry{Book: g.book, Date: date.New(2026, time.January, 1).AddDays(int((int64(g.n) - 1) * 365 / int64(max(g.perYr, g.n)))),
		Description: "books bench",
		Lines:       []ledger.Line{ledger.Debit(a, money.New(cents, money.EUR)), ledger.Credit(c, money.New(cents, money.EUR))}}
	if g.keyed {
		e.Key = g.book + "/" + strconv.Itoa(g.n)
	}
	return e
}

func newGen(book string, codes []string, seed uint64, perYear int, keyed bool) *gen {
	return &gen{book: book, codes: codes, x: seed*0x9E3779B97F4A7C15 | 1, perYr: perYear, keyed: keyed}
}

// syncGen is a gen for several goroutines.
type syncGen struct {
	mu sync.Mutex
	g  *gen
}

func (s *syncGen) next() ledger.Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.g.next()
}

const (
	rawEntries  = "bench_raw_entries"
	rawPostings = "bench_raw_postings"
)

// rawTables creates the baselines' tables: the same columns, keys and
// indexes as the store's entries and postings, without its triggers,
// checks at commit or maintained totals.
func (b *bencher) rawTables() error {
	switch b.sc.kind {
	case "memory":
		b.mem = &memRaw{keys: map[string]int64{}, bal: map[string]int64{}}
		return nil
	case "postgres":
		_, err := b.sc.db.ExecContext(b.ctx, `CREATE TABLE `+rawEntries+` (LIKE bo_entries INCLUDING ALL);
			CREATE TABLE `+rawPostings+` (LIKE bo_postings INCLUDING ALL)`)
		return err
	}
	// SQLite has no LIKE: the store's own DDL, renamed.
	rows, err := b.sc.db.QueryContext(b.ctx, `SELECT sql FROM sqlite_master WHERE tbl_name IN ('bo_entries', 'bo_postings')
		AND type IN ('table', 'index') AND sql IS NOT NULL ORDER BY type DESC`)
	if err != nil {
		return err
	}
	var ddl []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return err
		}
		ddl = append(ddl, strings.NewReplacer("bo_entries", rawEntries, "bo_postings", rawPostings).Replace(s))
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	for _, s := range ddl {
		if _, err := b.sc.db.ExecContext(b.ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

var (
	rawEntryCols   = []string{"book", "seq", "key", "date", "description", "voucher", "journal", "reverses", "adjusts", "recorded_at", "digest", "hash"}
	rawPostingCols = []string{"book", "seq", "line", "account", "currency", "amount", "memo", "date", "closing"}
	zeroHash       = make([]byte, 32)
)

// rawArgs returns the values of an entry's row and its postings' rows as
// the store writes them: SQLite integer minor units and text dates,
// PostgreSQL NUMERIC text and dates. The hashes are zeros: the baseline
// computes none.
func (b *bencher) rawArgs(seq int64, e *ledger.Entry, now time.Time) (entry []any, postings [][]any) {
	var key any
	if e.Key != "" {
		key = e.Key
	}
	d := e.Date.String()
	var rec, closing any = now.UnixMicro(), int64(0)
	if b.sc.dollar {
		rec, closing = now, false
	}
	entry = []any{e.Book, seq, key, d, e.Description, e.Voucher, e.Journal, int64(0), int64(0), rec, zeroHash, zeroHash}
	for i, l := range e.Lines {
		var amt any = l.Amount.MinorUnits()
		if b.sc.dollar {
			amt = l.Amount.Number()
		}
		postings = append(postings, []any{e.Book, seq, int64(i), l.Account, l.Amount.Currency().Code(), amt, "", d, closing})
	}
	return entry, postings
}

func (b *bencher) bind(q string) string {
	if b.sc.dollar {
		return sqlx.Rebind(sqlx.DOLLAR, q)
	}
	return q
}

// insertSQL is INSERT INTO table (cols) VALUES (?, …), … for rows rows.
func insertSQL(table string, cols []string, rows int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	return "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " + strings.TrimSuffix(strings.Repeat(one+", ", rows), ", ")
}

// rawInsert writes the rows of entries in one transaction, as an
// application without the ledger would: an INSERT of the entry and one of
// its postings per entry (prepared once), or COPY on PostgreSQL when copy
// is set.
func (b *bencher) rawInsert(ctx context.Context, entries []ledger.Entry, copy bool) error {
	if b.sc.kind == "memory" {
		b.mem.append(entries)
		return nil
	}
	tx, err := b.sc.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	b.rawMu.Lock()
	first := b.rawSeq + 1
	b.rawSeq += int64(len(entries))
	b.rawMu.Unlock()
	now := time.Now().UTC()
	if copy && b.sc.dollar {
		es, err := tx.PrepareContext(ctx, pq.CopyIn(rawEntries, rawEntryCols...))
		if err != nil {
			return err
		}
		var ps [][]any
		for i := range entries {
			ea, pa := b.rawArgs(first+int64(i), &entries[i], now)
			if _, err := es.ExecContext(ctx, ea...); err != nil {
				es.Close()
				return err
			}
			ps = append(ps, pa...)
		}
		if _, err := es.ExecContext(ctx); err != nil {
			es.Close()
			return err
		}
		es.Close()
		pstmt, err := tx.PrepareContext(ctx, pq.CopyIn(rawPostings, rawPostingCols...))
		if err != nil {
			return err
		}
		for _, p := range ps {
			if _, err := pstmt.ExecContext(ctx, p...); err != nil {
				pstmt.Close()
				return err
			}
		}
		if _, err := pstmt.ExecContext(ctx); err != nil {
			pstmt.Close()
			return err
		}
		pstmt.Close()
		return tx.Commit()
	}
	es, err := tx.PrepareContext(ctx, b.bind(insertSQL(rawEntries, rawEntryCols, 1)))
	if err != nil {
		return err
	}
	defer es.Close()
	stmts := map[int]*sql.Stmt{}
	defer func() {
		for _, s := range stmts {
			s.Close()
		}
	}()
	for i := range entries {
		ea, pa := b.rawArgs(first+int64(i), &entries[i], now)
		if _, err := es.ExecContext(ctx, ea...); err != nil {
			return err
		}
		ps := stmts[len(pa)]
		if ps == nil {
			if ps, err = tx.PrepareContext(ctx, b.bind(insertSQL(rawPostings, rawPostingCols, len(pa)))); err != nil {
				return err
			}
			stmts[len(pa)] = ps
		}
		if _, err := ps.ExecContext(ctx, slices.Concat(pa...)...); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// memRaw is the memory store's baseline: entries and postings appended to
// Go slices, a map of keys for idempotency and a map of balances in minor
// units, under one mutex. It checks nothing.
type memRaw struct {
	mu       sync.Mutex
	entries  []memRawEntry
	postings []memRawPosting
	keys     map[string]int64
	bal      map[string]int64
}

type memRawEntry struct {
	book, key, desc string
	date            date.Date
	seq             int64
}

type memRawPosting struct {
	seq     int64
	account string
	cents   int64
}

func (m *memRaw) append(entries []ledger.Entry) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range entries {
		e := &entries[i]
		if e.Key != "" {
			if _, dup := m.keys[e.Key]; dup {
				continue
			}
		}
		seq := int64(len(m.entries) + 1)
		if e.Key != "" {
			m.keys[e.Key] = seq
		}
		m.entries = append(m.entries, memRawEntry{book: e.Book, key: e.Key, desc: e.Description, date: e.Date, seq: seq})
		for _, l := range e.Lines {
			c := l.Amount.MinorUnits()
			m.postings = append(m.postings, memRawPosting{seq: seq, account: l.Account, cents: c})
			m.bal[l.Account] += c
		}
	}
}

// rawBaseline describes the raw write of one benchmark's rows: what
// entries they are, per call, and how many goroutines call.
func (b *bencher) rawBaseline(what, per string, goroutines int, copy bool) string {
	g := "one goroutine"
	if goroutines > 1 {
		g = strconv.Itoa(goroutines) + " goroutines"
	}
	switch {
	case b.sc.kind == "memory":
		return what + " appended to Go slices, with a key map and a balance map, under a mutex (" + per + " per call, " + g + "); no checks"
	case copy && b.sc.dollar:
		return "the entry and posting rows of " + what + " by COPY (one transaction per " + per + ", " + g + ") into tables with the store's columns, keys and indexes, without its triggers or totals"
	}
	return "the entry and posting rows of " + what + " by prepared INSERTs (one transaction per " + per + ", " + g + ") into tables with the store's columns, keys and indexes, without its triggers or totals"
}

func (b *bencher) post() ([]benchRow, error) {
	book, codes, err := b.newBook("post", b.c.accounts)
	if err != nil {
		return nil, err
	}
	g := newGen(book, codes, 1, 200_000, true)
	measure := op(func(ctx context.Context, _ int) (int, time.Duration, error) {
		e := g.next()
		t := time.Now()
		_, err := b.l.Post(ctx, e)
		return 1, time.Since(t), err
	})
	gr := newGen("raw-"+book, codes, 1, 200_000, true)
	baseline := op(func(ctx context.Context, _ int) (int, time.Duration, error) {
		e := gr.next()
		t := time.Now()
		err := b.rawInsert(ctx, []ledger.Entry{e}, false)
		return 1, time.Since(t), err
	})
	m, base, err := b.pair(1, measure, baseline)
	if err != nil {
		return nil, err
	}
	return []benchRow{row("post", "entry", "Ledger.Post of one keyed two-line entry, one goroutine",
		b.rawBaseline("the same entries", "entry", 1, false), m, base)}, nil
}

func (b *bencher) postConcurrent() ([]benchRow, error) {
	book, codes, err := b.newBook("concurrent", b.c.accounts)
	if err != nil {
		return nil, err
	}
	g := &syncGen{g: newGen(book, codes, 2, 200_000, true)}
	measure := op(func(ctx context.Context, _ int) (int, time.Duration, error) {
		e := g.next()
		t := time.Now()
		_, err := b.l.Post(ctx, e)
		return 1, time.Since(t), err
	})
	gr := &syncGen{g: newGen("raw-"+book, codes, 2, 200_000, true)}
	baseline := op(func(ctx context.Context, _ int) (int, time.Duration, error) {
		e := gr.next()
		t := time.Now()
		err := b.rawInsert(ctx, []ledger.Entry{e}, false)
		return 1, time.Since(t), err
	})
	m, base, err := b.pair(b.c.goroutines, measure, baseline)
	if err != nil {
		return nil, err
	}
	n := strconv.Itoa(b.c.goroutines)
	return []benchRow{row("post-concurrent", "entry", "Ledger.Post of one keyed two-line entry, "+n+" goroutines (group commit)",
		b.rawBaseline("the same entries", "entry", b.c.goroutines, false), m, base)}, nil
}

func (b *bencher) postBatch() ([]benchRow, error) {
	book, codes, err := b.newBook("batch", b.c.accounts)
	if err != nil {
		return nil, err
	}
	g := newGen(book, codes, 3, 200_000, true)
	fill := func(g *gen) []ledger.Entry {
		es := make([]ledger.Entry, b.c.batch)
		for i := range es {
			es[i] = g.next()
		}
		return es
	}
	measure := op(func(ctx context.Context, _ int) (int, time.Duration, error) {
		es := fill(g)
		t := time.Now()
		_, err := b.l.PostBatch(ctx, es)
		return len(es), time.Since(t), err
	})
	gr := newGen("raw-"+book, codes, 3, 200_000, true)
	baseline := op(func(ctx context.Context, _ int) (int, time.Duration, error) {
		es := fill(gr)
		t := time.Now()
		err := b.rawInsert(ctx, es, true)
		return len(es), time.Since(t), err
	})
	m, base, err := b.pair(1, measure, baseline)
	if err != nil {
		return nil, err
	}
	n := strconv.Itoa(b.c.batch)
	return []benchRow{row("post-batch", "entry", "Ledger.PostBatch of "+n+" keyed two-line entries",
		b.rawBaseline("the same entries", n+" entries", 1, true), m, base)}, nil
}

// benchJournal is a plain-text journal of n sales of three postings each
// (the VAT line's amount elided), dated over 2026.
func benchJournal(n int) []byte {
	var buf bytes.Buffer
	d := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		fmt.Fprintf(&buf, "%s * (INV-%d) Sale %d\n    assets:receivables  EUR %d.%02d\n    revenue:sales  EUR -%d.%02d\n    liabilities:vat\n\n",
			d.AddDate(0, 0, i*365/n).Format("2006-01-02"), i, i, 119+i%1000, i%100, 100+i%1000, i%100)
	}
	return buf.Bytes()
}

// importInto reads src into a new book as books import journal does:
// parse, the accounts created (parents first), every entry checked,
// PostBatch in chunks of 10,000, all in one transaction.
func (b *bencher) importInto(ctx context.Context, book string, src []byte) (int, error) {
	j, err := journal.Read(bytes.NewReader(src))
	if err != nil {
		return 0, err
	}
	entries, lines, err := j.EntriesIn(book, money.EUR)
	if err != nil {
		return 0, err
	}
	seen := map[string]bool{}
	var accts []ledger.Account
	for _, t := range j.Transactions {
		for _, p := range t.Postings {
			parts := strings.Split(p.Account, ":")
			for i := range parts {
				n := strings.Join(parts[:i+1], ":")
				code := j.Code(n)
				if seen[code] {
					continue
				}
				seen[code] = true
				typ, ok := j.Type(n)
				if !ok {
					return 0, fmt.Errorf("account %s: no type", n)
				}
				a := ledger.Account{Book: book, Code: code, Name: n, Type: typ}
				if i > 0 {
					a.Parent = j.Code(strings.Join(parts[:i], ":"))
				}
				accts = append(accts, a)
			}
		}
	}
	for i := range entries {
		if err := entries[i].Validate(nil); err != nil {
			return 0, lines[i].Wrap(err)
		}
	}
	err = batch.Atomic(ctx, b.sc.store, func(s ledger.Store) error {
		l := ledger.New(s, nil)
		if err := l.CreateBook(ctx, ledger.Book{ID: book, Name: book, Currency: money.EUR}); err != nil {
			return err
		}
		if err := l.CreateAccounts(ctx, accts...); err != nil {
			return err
		}
		for chunk := range slices.Chunk(entries, 10_000) {
			if _, err := l.PostBatch(ctx, chunk); err != nil {
				return err
			}
		}
		return nil
	})
	return len(entries), err
}

func (b *bencher) importJournal() ([]benchRow, error) {
	src := benchJournal(b.c.imports)
	measure := op(func(ctx context.Context, _ int) (int, time.Duration, error) {
		b.books++
		t := time.Now()
		n, err := b.importInto(ctx, "import-"+strconv.Itoa(b.books), src)
		return n, time.Since(t), err
	})
	// The baseline writes the rows the import produced, parsed once
	// beforehand.
	j, err := journal.Read(bytes.NewReader(src))
	if err != nil {
		return nil, err
	}
	baseline := op(func(ctx context.Context, _ int) (int, time.Duration, error) {
		b.books++
		entries, _, err := j.EntriesIn("raw-import-"+strconv.Itoa(b.books), money.EUR)
		if err != nil {
			return 0, 0, err
		}
		t := time.Now()
		err = b.rawInsert(ctx, entries, true)
		return len(entries), time.Since(t), err
	})
	m, base, err := b.pair(1, measure, baseline)
	if err != nil {
		return nil, err
	}
	n := strconv.Itoa(b.c.imports)
	return []benchRow{row("import", "transaction", "a journal of "+n+" three-posting transactions read and posted into a new book, one transaction (as books import journal)",
		b.rawBaseline("the import's entries (parsed beforehand, not timed)", n+" transactions", 1, true), m, base)}, nil
}

// payRun measures a January pay run (create, calculate with the German
// pack, approve, post) for a new book of --employees employees; hiring
// them is not timed.
func (b *bencher) payRun() ([]benchRow, error) {
	be := &env{store: b.sc.store, ledger: b.l, hr: hr.New(b.sc.store, nil), stdout: io.Discard, log: b.e.log}
	month := date.New(2026, time.January, 1)
	type pay struct {
		gross  int64
		class  int
		church bool
	}
	pays := make([]pay, b.c.employees)
	for i := range pays {
		pays[i] = pay{380000 + 25000*int64(i%8), []int{1, 3, 4}[i%3], i%2 == 0}
	}
	measure := op(func(ctx context.Context, _ int) (int, time.Duration, error) {
		b.books++
		book := "pay-" + strconv.Itoa(b.books)
		if err := b.l.CreateBook(ctx, ledger.Book{ID: book, Name: book, Currency: money.EUR}); err != nil {
			return 0, 0, err
		}
		if err := b.l.CreateAccounts(ctx, ledger.DefaultChart(book)...); err != nil {
			return 0, 0, err
		}
		for i, p := range pays {
			emp, err := be.hr.Hire(ctx, hr.Employee{Employer: book, PersonnelNumber: fmt.Sprintf("%05d", i+1),
				GivenName: "Bench", FamilyName: fmt.Sprintf("Employee %d", i+1), HireDate: month, Department: "Operations", CostCentre: "100"})
			if err != nil {
				return 0, 0, err
			}
			if _, err := be.hr.SetContract(ctx, hr.Contract{Employee: emp.ID, Effective: hr.Effective{ValidFrom: month},
				PayType: hr.Monthly, Amount: money.New(p.gross, money.EUR), Frequency: hr.MonthlyPay,
				WeeklyHours: decimal.NewFromInt(40), WorkDays: hr.MondayToFriday}); err != nil {
				return 0, 0, err
			}
			if _, err := be.hr.SetTaxProfile(ctx, hr.TaxProfile{Employee: emp.ID, Effective: hr.Effective{ValidFrom: month},
				Jurisdiction: "DE", DE: hr.GermanTax{TaxClass: p.class, ChurchTax: p.church, State: "NW",
					HealthSupplement: decimal.RequireFromString("2.9")}}); err != nil {
				return 0, 0, err
			}
		}
		t := time.Now()
		runs, err := be.payrollRuns(ctx, book)
		if err != nil {
			return 0, 0, err
		}
		run, err := be.payMonth(ctx, runs, book, month, true, true, false)
		took := time.Since(t)
		if err == nil && run.Entry == 0 {
			err = fmt.Errorf("pay run %s: not posted (%s)", run.ID, run.Status)
		}
		return len(pays), took, err
	})
	baseline := op(func(ctx context.Context, _ int) (int, time.Duration, error) {
		t := time.Now()
		for _, p := range pays {
			in := pap.DefaultInput2026()
			in.LZZ, in.RE4, in.STKL = 2, decimal.NewFromInt(p.gross), p.class
			in.KVZ, in.PVZ = decimal.RequireFromString("2.9"), 1
			if p.church {
				in.R = 1
			}
			if _, err := pap.Lohnsteuer2026(in); err != nil {
				return 0, 0, err
			}
		}
		return len(pays), time.Since(t), nil
	})
	m, base, err := b.pair(1, measure, baseline)
	if err != nil {
		return nil, err
	}
	n := strconv.Itoa(b.c.employees)
	return []benchRow{row("payrun", "employee", "a January pay run of "+n+" employees, German pack: create, calculate, approve, post (hiring not timed)",
		"the PAP 2026 wage-tax routine alone (pap.Lohnsteuer2026), once per employee with the same gross, class and church tax", m, base)}, nil
}

// tbPosting is one posting of the trial balance's fixture, kept for the
// memory store's baseline.
type tbPosting struct {
	account int32
	day     int32 // days since 2026-01-01
	cents   int64
}

// trialBalance loads a book of --postings postings through PostBatch in
// chunks of 10,000 (PostgreSQL's PostBatch writes by COPY), then measures
// Ledger.Balances for the year and for 1–15 June against a GROUP BY over
// the same postings.
func (b *bencher) trialBalance() ([]benchRow, error) {
	book, codes, err := b.newBook("tb", b.c.accounts)
	if err != nil {
		return nil, err
	}
	entries := (b.c.postings + 1) / 2
	g := newGen(book, codes, 4, entries, false)
	var kept []tbPosting
	if b.sc.kind == "memory" {
		kept = make([]tbPosting, 0, 2*entries)
	}
	codeIndex := map[string]int32{}
	for i, c := range codes {
		codeIndex[c] = int32(i)
	}
	jan1 := date.New(2026, time.January, 1)
	t0 := time.Now()
	last := t0
	analyzed := 1 // entries of the book when its tables were last analyzed
	for done := 0; done < entries; {
		if err := b.ctx.Err(); err != nil {
			return nil, err
		}
		if time.Until(b.deadline) <= 0 {
			return b.skipped("trial-balance", fmt.Sprintf("the --budget was spent loading the fixture (%d of %d postings)", 2*done, 2*entries)), nil
		}
		es := make([]ledger.Entry, min(10_000, entries-done))
		for i := range es {
			es[i] = g.next()
			if kept != nil {
				for _, l := range es[i].Lines {
					kept = append(kept, tbPosting{codeIndex[l.Account], int32(jan1.DaysUntil(es[i].Date)), l.Amount.MinorUnits()})
				}
			}
		}
		if _, err := b.l.PostBatch(context.WithoutCancel(b.ctx), es); err != nil {
			return nil, err
		}
		done += len(es)
		// PostgreSQL plans the commit-time chain check of the next batch
		// by the book's statistics: while the tables were last analyzed
		// before the book existed, it walks all the book's postings for
		// each entry of the batch (quadratic; see docs/BENCHMARKS.md).
		// Autovacuum analyzes late under load, so the fixture does it
		// whenever the book has doubled.
		if b.sc.kind == "postgres" && done >= analyzed*2 {
			if _, err := b.sc.db.ExecContext(b.ctx, "ANALYZE bo_entries, bo_postings"); err != nil {
				return nil, err
			}
			analyzed = done
		}
		if time.Since(last) > b.e.every {
			last = time.Now()
			b.progress("bench: trial-balance: %d of %d postings loaded", 2*done, 2*entries)
		}
	}
	b.progress("bench: trial-balance: %d postings loaded in %v", 2*entries, time.Since(t0).Round(time.Millisecond))
	if b.sc.kind == "postgres" {
		if _, err := b.sc.db.ExecContext(b.ctx, "ANALYZE"); err != nil {
			return nil, err
		}
	}
	var rows []benchRow
	for _, q := range []struct {
		name     string
		from, to date.Date
		what     string
	}{
		{"trial-balance-year", jan1, date.New(2026, time.December, 31), "the year 2026"},
		{"trial-balance-range", date.New(2026, time.June, 1), date.New(2026, time.June, 15), "2026-06-01 … 2026-06-15"},
	} {
		if time.Until(b.deadline) <= 0 {
			rows = append(rows, benchRow{Name: q.name, Unit: "query", Skipped: "the --budget was spent"})
			continue
		}
		bq := ledger.BalanceQuery{From: q.from, To: q.to}
		// Both sides must give the same answer before they are timed.
		got, err := b.l.Balances(b.ctx, book, bq)
		if err != nil {
			return nil, err
		}
		var dr, cr int64
		for _, r := range got {
			dr += r.Debit.MinorUnits()
			cr += r.Credit.MinorUnits()
		}
		var base func(ctx context.Context) (debit, credit int64, err error)
		var baseWhat string
		if kept != nil {
			from, to := int32(jan1.DaysUntil(q.from)), int32(jan1.DaysUntil(q.to))
			n := len(codes)
			base = func(context.Context) (int64, int64, error) {
				open, d, c := make([]int64, n), make([]int64, n), make([]int64, n)
				for _, p := range kept {
					switch {
					case p.day > to:
					case p.day < from:
						open[p.account] += p.cents
					case p.cents > 0:
						d[p.account] += p.cents
					default:
						c[p.account] -= p.cents
					}
				}
				var sd, scr int64
				for i := range n {
					sd += d[i]
					scr += c[i]
				}
				return sd, scr, nil
			}
			baseWhat = "a loop over the same postings held in a Go slice, summing opening, debits and credits per account into arrays"
		} else {
			base = b.groupBy(book, q.from, q.to)
			baseWhat = "a plain GROUP BY over the book's postings table (opening, debits, credits per account and currency), rows read"
		}
		bd, bc, err := base(b.ctx)
		if err != nil {
			return nil, err
		}
		if bd != dr || bc != cr {
			return nil, fmt.Errorf("%s: Balances gives debits %d and credits %d, the baseline %d and %d (minor units)", q.name, dr, cr, bd, bc)
		}
		measure := op(func(ctx context.Context, _ int) (int, time.Duration, error) {
			t := time.Now()
			_, err := b.l.Balances(ctx, book, bq)
			return 1, time.Since(t), err
		})
		baseline := op(func(ctx context.Context, _ int) (int, time.Duration, error) {
			t := time.Now()
			_, _, err := base(ctx)
			return 1, time.Since(t), err
		})
		m, bp, err := b.pair(1, measure, baseline)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row(q.name, "query", fmt.Sprintf("Ledger.Balances for %s: %d accounts, %d postings in the book", q.what, len(codes), 2*entries),
			baseWhat, m, bp))
	}
	return rows, nil
}

// groupBy returns the SQL baseline of a trial balance from..to: opening,
// debits and credits per account and currency summed over the postings,
// every row read, and the total debits and credits in minor units.
func (b *bencher) groupBy(book string, from, to date.Date) func(ctx context.Context) (int64, int64, error) {
	q := `SELECT account, currency,
		sum(CASE WHEN date < ? THEN amount ELSE 0 END),
		sum(CASE WHEN date >= ? AND amount > 0 THEN amount ELSE 0 END),
		sum(CASE WHEN date >= ? AND amount < 0 THEN -amount ELSE 0 END)
		FROM bo_postings WHERE book = ? AND date <= ? GROUP BY account, currency`
	q = b.bind(q)
	f, t := from.String(), to.String()
	return func(ctx context.Context) (int64, int64, error) {
		rows, err := b.sc.db.QueryContext(ctx, q, f, f, f, book, t)
		if err != nil {
			return 0, 0, err
		}
		defer rows.Close()
		var sd, sc int64
		for rows.Next() {
			var acct, cur, open, dr, cr string
			if err := rows.Scan(&acct, &cur, &open, &dr, &cr); err != nil {
				return 0, 0, err
			}
			d, err := minorUnits(dr, b.sc.dollar)
			if err != nil {
				return 0, 0, err
			}
			c, err := minorUnits(cr, b.sc.dollar)
			if err != nil {
				return 0, 0, err
			}
			sd, sc = sd+d, sc+c
		}
		return sd, sc, rows.Err()
	}
}

// minorUnits reads a sum of EUR amounts: integer cents (SQLite) or a
// NUMERIC with two decimals (PostgreSQL), exactly.
func minorUnits(s string, numeric bool) (int64, error) {
	if !numeric {
		return strconv.ParseInt(s, 10, 64)
	}
	a, err := money.Parse(s, money.EUR)
	if err != nil {
		return 0, err
	}
	return a.MinorUnits(), nil
}
