// Command books is the finance team's tool over a backoffice database: set up
// a book, import charts, entries, plain-text journals and HR records, print
// and export reports, close and lock periods, verify the audit chain, and
// build a demo company.
//
//	books [--db DSN] [--replica DSN] [--book ID] [--log-format text|json] COMMAND [flags] [args]
//
//	demo      [--employees N] [--year Y] [-o FILE]   a demo company, a workbook of every report, its
//	          DATEV and GoBD exports (FILE-datev-Y.csv, FILE-gobd-Y/) and SEPA files
//	init      --chart default|skr03|skr04 --currency EUR --fiscal-year-start 1 [--name NAME]
//	import    accounts|entries|journal|employees|contracts|taxprofiles|time|absences [--amend] FILE
//	import    camt053|mt940|statement-csv [--mapping FILE] [--account CODE] FILE   bank statements
//	reconcile [--account CODE] [--rules FILE] [--post]   match statement lines to entries and open items
//	          (journal and entries: a transaction edited since its import is an error naming
//	          its line and the entry it differs from; --amend posts the Storno of that entry
//	          and the new version, see ledger.Revise; a journal's P directives are stored
//	          as the book's exchange rates, in the same transaction; its postings are
//	          valued by their costs only, as hledger does, never at a market price)
//	import    datev [--consultant N --client N [--account-length N] [--save]] FILE   a DATEV Buchungsstapel (EXTF)
//	export    journal|entries [--format csv|json] [-o FILE]
//	export    datev --year YYYY [--from D --to D] [--consultant N --client N [--account-length N] [--save]]
//	          [-o FILE] [--labels FILE] [--parties FILE]   the Buchungsstapel, Kontenbeschriftungen,
//	          Debitoren/Kreditoren; --save stores the DATEV numbers with the book for the next runs
//	export    gobd --year YYYY -o DIR   the tax auditor's data access (GoBD Z3): index.xml and CSV tables
//	report    trial-balance|balance-sheet|income-statement|cash-flow|general-ledger|account-statement|payroll-register|
//	          open-items|aging|party-statement|due-payments|reconciliation|vat-return [--period YYYY-MM|YYYY-Qn]
//	          [--from D] [--to D | --as-of D] [--compare prior-period|prior-year|monthly|quarterly]
//	          [--monthly] [--depth N] [--layout NAME] [--kind receivables|payables] [--party N]
//	          [--format text|csv|json|xlsx] [-o FILE]
//	payroll   run|payslips|register --period YYYY-MM [--approve] [--post] [--pay] [--format F] [-o FILE]
//	close     --period YYYY-MM | --year YYYY [--revalue]
//	lock      --through YYYY-MM
//	partners  import parties|invoices|payments FILE | list [--as-of D] | dun --date D [--letters DIR] |
//	          propose --date D [--due-by D] [--bank CODE] [--pay]
//	fx        import FILE [--format csv|ecb|prices] [--only EUR,USD,…] [--shared] | list [--from CUR] [--to CUR] [--shared]
//	          exchange rates of the book (--shared: of every book), from CSV, ECB eurofxref XML or P directives;
//	          once a book has rates, lines posted in another currency without a base amount are converted
//	          at them (the residue on the fx_rounding or fx_losses account)
//	fx        revalue --date YYYY-MM-DD [--reverse] [--gains CODE --losses CODE]   foreign-currency balances of
//	          accounts with meta.revalue short|long at the date's rates, against fx_gains and fx_losses
//	verify    [--expect-head SEQ:HASH] [--checkpoint FILE]... [--pub FILE]
//	checkpoint --key FILE [-o FILE] | --new-key FILE   sign the books' heads
//	backup    [--book ID] -o FILE | verify FILE   a verified archive of one or all books
//	restore   FILE [--force]   an archive into an empty database (any store)
//	books     list the books of the database
//	bench     [--store memory|sqlite|postgres] [--duration 3s] [--budget 10m] [--postings 1000000]
//	          [--accounts N] [--goroutines 16] [--batch 1000] [--import N] [--employees N] [--only LIST]
//	          [--format text|json]   the benchmarks to run on your own hardware before choosing a
//	          store: post (one goroutine), post-concurrent, post-batch, import (a plain-text journal),
//	          payrun (German pack) and the trial balance over --postings postings (loaded by PostBatch),
//	          each beside a baseline measured in the same run (a raw INSERT or COPY of the same rows,
//	          a GROUP BY over the same postings, the PAP routine alone), printed as ops/s, the ratio
//	          and p50/p99. It never touches the books: memory works in-process, sqlite in a temporary
//	          file beside --db, postgres (--db postgres://…) in a new schema bench_<random>; the scratch
//	          database is dropped at the end, also after an error or Ctrl-C
//	token     create --name NAME --role viewer|accountant|admin | list | revoke --name NAME
//	serve     [--addr 127.0.0.1:8080] [--tls-cert FILE --tls-key FILE] [--rate N] [--insecure]
//	          the web pages and the JSON API until SIGINT/SIGTERM
//
// --log-format text|json chooses the format of log lines, summaries and
// errors (log/slog); --quiet silences progress, which shows as a bar on a
// terminal and as a log line every few seconds otherwise (cron, CI).
// Passwords in a postgres:// DSN are never printed. The commands that only
// read (report, verify, export, books) never create a database: a SQLite
// path that does not exist is an error.
// --db names the store: a SQLite file (default books.db in the working
// directory, created and migrated on first use) or a postgres:// DSN; it is
// also read from $BOOKS_DB. --book selects the book when there are several.
// --replica (or $BOOKS_REPLICA_DSN) names a read replica of a PostgreSQL
// --db, a streaming-replication hot standby say: report and export then read
// there, in one snapshot, and say as of which entry ("as of entry 1234
// (replica)") under the report's title, in the exported journal's first
// comment and on stderr; the other commands refuse it, and writes stay on
// --db.
// Every command takes -h. Data goes to stdout, logs and progress to stderr.
// Exit codes: 0 success, 1 failure (a book that failed to close, a chain that
// does not verify, …), 2 usage error.
//
// Run `go run ./examples/books demo` to try it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/openbackoffice/backoffice/examples/closebatch/batch"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
)

// env is what every command gets: the opened store and the global flags.
type env struct {
	db, book string
	readOnly bool          // the command only reads: a missing SQLite file is an error, not created
	quiet    bool          // --quiet: no progress lines
	every    time.Duration // --progress: how often progress is logged when stderr is not a terminal
	json     bool          // --log-format json: summaries and errors as JSON log lines
	store    batch.Store
	ledger   *ledger.Ledger // once a book is selected, with its exchange rates (see useBook)
	fx       batch.FX       // the selected book's rates and exchange-difference accounts
	fxBook   string         // the book fx and ledger were set up for
	hr       *hr.Records
	log      *slog.Logger
	stop     context.Context // done on SIGINT/SIGTERM
	stdout   io.Writer
	temps    []string // output files not yet renamed into place; removed at exit

	replica  string          // --replica: the read replica's DSN ("": $BOOKS_REPLICA_DSN)
	reads    bool            // the command may read on the replica (report, export)
	snapshot *batch.Snapshot // the replica's snapshot the store reads, if reads and a replica is given
}

// command is one subcommand. run parses its own flags from args.
type command struct {
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

// commands are the subcommands.
var commands = map[string]command{
	"payroll":    {"calculate, approve, post and pay a month's pay run; payslips and register", runPayroll},
	"demo":       {"create a demo company and write a workbook of every report", runDemo},
	"init":       {"create a book with a chart of accounts", runInit},
	"import":     {"import accounts, entries, a plain-text journal, HR records or bank statements", runImportAny},
	"export":     {"export entries as an hledger journal, CSV or JSON", runExport},
	"report":     {"print or write a report", runReportAny},
	"reconcile":  {"match bank statement lines to entries and open items", runReconcile},
	"close":      {"close a month (--period) or a fiscal year (--year, --revalue first)", runClose},
	"lock":       {"lock every month through one", runLock},
	"verify":     {"verify the audit chain and balances", runVerify},
	"backup":     {"write a verified archive of one or all books (-o FILE, --seq N or --as-of TIME for a point in time), check one (verify FILE) or restore it into a scratch store and compare (drill FILE)", runBackup},
	"restore":    {"restore an archive into an empty database (any store: the way from SQLite to PostgreSQL)", runRestore},
	"checkpoint": {"sign a book's heads with an Ed25519 key, to keep outside the database", runCheckpoint},
	"books":      {"list the books", runBooks},
	"bench":      {"benchmark posting, trial balance, journal import and a pay run on a store, each beside a baseline measured in the same run, in a scratch database it drops", runBench},
	"partners":   {"customers and suppliers: import, list, dunning run, payment proposal", runPartners},
	"fx":         {"exchange rates: import (CSV, ECB XML, journal P directives) and list; revalue foreign-currency balances", runFX},
	"token":      {"create, list and revoke API tokens", runToken},
	"serve":      {"serve web pages and the JSON API over HTTP", runServe},
}

// usageError is a command-line mistake: exit code 2.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// errFailed means the command reported its failures itself: exit code 1.
var errFailed = errors.New("failed")

func main() { os.Exit(run(os.Args[1:], os.Stdout)) }

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: books [--db DSN] [--book ID] COMMAND [flags] [args]")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nglobal flags:")
	fmt.Fprintln(w, "  --db DSN     SQLite file or postgres:// DSN (default $BOOKS_DB, else books.db)")
	fmt.Fprintln(w, "  --book ID    the book, when the database holds several")
	fmt.Fprintln(w, "  --replica DSN  a read replica (hot standby) of the postgres:// --db for report and export (default $BOOKS_REPLICA_DSN)")
	fmt.Fprintln(w, "  --log-format text|json   log lines, summaries and errors on stderr (default text)")
	fmt.Fprintln(w, "  --quiet      no progress lines")
	fmt.Fprintln(w, "  --progress D how often long work logs its progress when stderr is not a terminal (default 3s)")
	fmt.Fprintln(w, "\nRun 'books COMMAND -h' for a command's flags.")
}

func run(args []string, stdout io.Writer) int {
	g := flag.NewFlagSet("books", flag.ContinueOnError)
	g.SetOutput(io.Discard)
	db := g.String("db", "", "")
	book := g.String("book", "", "")
	replica := g.String("replica", "", "")
	logFormat := g.String("log-format", "text", "")
	quiet := g.Bool("quiet", false, "")
	every := g.Duration("progress", 3*time.Second, "")
	if err := g.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(os.Stdout)
			return 0
		}
		fmt.Fprintln(os.Stderr, "books:", err)
		usage(os.Stderr)
		return 2
	}
	if g.NArg() == 0 {
		usage(os.Stderr)
		return 2
	}
	name, rest := g.Arg(0), g.Args()[1:]
	if name == "help" {
		usage(os.Stdout)
		return 0
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "books: unknown command %q\n", name)
		usage(os.Stderr)
		return 2
	}
	stop, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	log, err := batch.Logger(*logFormat)
	if err != nil {
		fmt.Fprintln(os.Stderr, "books:", err)
		return 2
	}
	e := &env{db: *db, book: *book, replica: *replica, stop: stop, stdout: stdout, log: log, quiet: *quiet, every: *every, json: *logFormat == "json",
		readOnly: readOnlyCommands[name], reads: replicaCommands[name]}
	defer func() {
		if e.store != nil {
			e.store.Close()
		}
		for _, t := range e.temps { // a command that failed half-way
			os.Remove(t) // (an open file is removed all the same on Unix)
		}
	}()
	err = cmd.run(context.Background(), e, rest)
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		e.fail(name, err)
		return 2
	case errors.Is(err, errFailed):
		return 1
	default:
		e.fail(name, err)
		return 1
	}
}

// readOnlyCommands only read the database: they never create one.
var readOnlyCommands = map[string]bool{"report": true, "verify": true, "export": true, "books": true}

// replicaCommands read on the read replica if one is given.
var replicaCommands = map[string]bool{"report": true, "export": true}

// fail reports the error of command name on stderr, the passwords of its
// DSNs redacted: a line of text, or a JSON log record with --log-format json.
func (e *env) fail(name string, err error) {
	msg := batch.RedactIn(batch.RedactIn(err.Error(), batch.DB(e.db)), batch.ReplicaDB(e.replica))
	if e.json {
		e.log.Error("books "+name+" failed", "err", msg)
		return
	}
	fmt.Fprintf(os.Stderr, "books %s: %s\n", name, msg)
}

// say writes a summary line on stderr: as it is, or as the message of a
// JSON log record with --log-format json.
func (e *env) say(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if e.json {
		e.log.Info(msg)
		return
	}
	fmt.Fprintln(os.Stderr, msg)
}

// flags returns a flag set for a subcommand that also accepts the global
// --db and --book flags, and a usage line.
func (e *env) flags(name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet("books "+name, flag.ContinueOnError)
	fs.StringVar(&e.db, "db", e.db, "SQLite file or postgres:// DSN (default $BOOKS_DB, else books.db)")
	fs.StringVar(&e.book, "book", e.book, "the book, when the database holds several")
	fs.StringVar(&e.replica, "replica", e.replica, "report, export: a read replica (hot standby) of the postgres:// --db to read on (default $BOOKS_REPLICA_DSN)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: books %s %s\n\nflags:\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args, flags and positional arguments in any order,
// turning errors into usage errors. The positional arguments are then
// fs.Args().
func parse(fs *flag.FlagSet, args []string) error {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	return fs.Parse(append([]string{"--"}, pos...))
}

// open opens the store (migrating it) once.
func (e *env) open(ctx context.Context) error {
	if e.store != nil {
		return nil
	}
	open := batch.OpenStore
	if e.readOnly {
		open = batch.OpenExisting // never create a database to read it
	}
	dsn := batch.DB(e.db)
	if e.replica != "" && !e.reads {
		return usagef("--replica is for report and export; the other commands read and write --db")
	}
	if rdsn := batch.ReplicaDB(e.replica); rdsn != "" && e.reads {
		// Every read in one snapshot of the replica: the report is as of
		// the entry asOf names.
		s, err := batch.OpenSnapshot(ctx, dsn, rdsn)
		if errors.Is(err, batch.ErrNotPostgres) {
			return usagef("%v", err)
		}
		if err != nil {
			return fmt.Errorf("open %s with the replica %s: %w", batch.Redact(dsn), batch.Redact(rdsn), err) // e.fail redacts the cause
		}
		e.snapshot = s
		e.useStore(s)
		return nil
	}
	s, err := open(ctx, dsn)
	if errors.Is(err, batch.ErrNoDatabase) {
		return usagef("%v", err) // exit 2, as for a book that is not there
	}
	if err != nil {
		return fmt.Errorf("open %s: %w", batch.Redact(dsn), err) // e.fail redacts the cause
	}
	e.useStore(s)
	return nil
}

// useStore makes s the store of the command, with its ledger and HR records.
func (e *env) useStore(s batch.Store) {
	e.store = s
	e.ledger = batch.NewLedger(s)
	e.hr = hr.New(s, nil)
}

// selectBook returns the book to work on: --book, or the only book of the
// store. With def != "" and no book in the store, def is returned (for
// commands that create one); exists says whether the book exists. An
// existing book's exchange rates go into e.ledger (useBook), unless the
// command only reads.
func (e *env) selectBook(ctx context.Context, def string) (b ledger.Book, exists bool, err error) {
	b, exists, err = e.findBook(ctx, def)
	if err == nil && exists && !e.readOnly {
		err = e.useBook(ctx, b.ID)
	}
	return b, exists, err
}

// useBook sets e.fx to the book's exchange rates and exchange-difference
// accounts (batch.LoadFX) and e.ledger to a ledger that converts at those
// rates: the lines it posts in another currency than the book's get their
// base amounts, the rounding residue going to the fx_rounding or fx_losses
// account. A book without rates gets a ledger without, as before. Reports
// read the base amounts posted and need no rates, so read-only commands
// skip this.
func (e *env) useBook(ctx context.Context, book string) error {
	if e.fxBook == book {
		return nil
	}
	f, err := batch.LoadFX(ctx, e.store, book)
	if err != nil {
		return err
	}
	e.fx, e.fxBook, e.ledger = f, book, f.Ledger(e.store)
	return nil
}

// findBook is selectBook without the rates.
func (e *env) findBook(ctx context.Context, def string) (b ledger.Book, exists bool, err error) {
	if err := e.open(ctx); err != nil {
		return ledger.Book{}, false, err
	}
	if e.book != "" {
		b, err := e.ledger.Book(ctx, e.book)
		if errors.Is(err, ledger.ErrUnknownBook) && def != "" {
			return ledger.Book{ID: e.book}, false, nil
		}
		return b, err == nil, err
	}
	all, err := e.ledger.Books(ctx)
	if err != nil {
		return ledger.Book{}, false, err
	}
	switch {
	case len(all) == 1:
		return all[0], true, nil
	case len(all) == 0 && def != "":
		return ledger.Book{ID: def}, false, nil
	case len(all) == 0:
		return ledger.Book{}, false, usagef("the database %s holds no book; run 'books init' or 'books demo' first", batch.Redact(batch.DB(e.db)))
	}
	if def != "" {
		if i := slices.IndexFunc(all, func(b ledger.Book) bool { return b.ID == def }); i >= 0 {
			return all[i], true, nil
		}
		return ledger.Book{ID: def}, false, nil
	}
	ids := make([]string, len(all))
	for i, b := range all {
		ids[i] = b.ID
	}
	return ledger.Book{}, false, usagef("the database holds %d books (%s); choose one with --book", len(all), strings.Join(ids, ", "))
}

// output opens -o FILE, or returns stdout.
// The file is written under a temporary name beside path and renamed into
// place by done, so a command that fails half-way (a general ledger whose
// stream breaks) leaves no truncated report under path.
func (e *env) output(path string) (io.Writer, func() error, error) {
	if path == "" || path == "-" {
		return e.stdout, func() error { return nil }, nil
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, nil, err
	}
	e.temps = append(e.temps, f.Name())
	done := func() error {
		// CreateTemp makes the file 0600; a report gets 0644, what
		// os.Create gives under the usual umask.
		if err := f.Chmod(0o644); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		return os.Rename(f.Name(), path)
	}
	return f, done, nil
}

func runBooks(ctx context.Context, e *env, args []string) error {
	fs := e.flags("books", "")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := e.open(ctx); err != nil {
		return err
	}
	all, err := e.ledger.Books(ctx)
	if err != nil {
		return err
	}
	for _, b := range all {
		fmt.Fprintf(e.stdout, "%s\t%s\t%s\tfiscal year from month %d\n", b.ID, b.Currency.Code(), b.Name, max(b.FiscalYearStart, 1))
	}
	return nil
}
