package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/examples/closebatch/batch"
	"github.com/openbackoffice/backoffice/fx"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/internal/csvio"
	"github.com/openbackoffice/backoffice/journal"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// chartOf returns a shipped chart by name.
func chartOf(name, book string) ([]ledger.Account, error) {
	switch name {
	case "default":
		return ledger.DefaultChart(book), nil
	case "skr03":
		return ledger.SKR03(book), nil
	case "skr04":
		return ledger.SKR04(book), nil
	}
	return nil, usagef("--chart must be default, skr03 or skr04")
}

func runInit(ctx context.Context, e *env, args []string) error {
	fs := e.flags("init", "[--chart default|skr03|skr04] [--currency EUR] [--fiscal-year-start 1] [--name NAME]")
	chart := fs.String("chart", "default", "chart of accounts: default, skr03, skr04 or none")
	cur := fs.String("currency", "EUR", "base currency (ISO 4217)")
	fys := fs.Int("fiscal-year-start", 1, "month the fiscal year starts in, 1–12")
	name := fs.String("name", "", "the company's legal name (default: the book ID)")
	if err := parse(fs, args); err != nil {
		return err
	}
	c, err := money.ParseCurrency(*cur)
	if err != nil {
		return usagef("--currency: %v", err)
	}
	if *fys < 1 || *fys > 12 {
		return usagef("--fiscal-year-start must be 1–12")
	}
	var accounts []ledger.Account
	if *chart != "none" {
		if accounts, err = chartOf(*chart, "x"); err != nil {
			return err
		}
	}
	b, exists, err := e.selectBook(ctx, "main")
	if err != nil {
		return err
	}
	for i := range accounts {
		accounts[i].Book = b.ID
	}
	if exists {
		// Running init again finishes what a killed run left: the chart's
		// missing accounts. Settings that differ are an error, not ignored.
		fy := b.FiscalYearStart
		if fy == 0 {
			fy = 1
		}
		if b.Currency != c || fy != *fys {
			return fmt.Errorf("book %s exists with currency %s and fiscal year from month %d; init asked for %s and %d",
				b.ID, b.Currency.Code(), fy, c.Code(), *fys)
		}
		n, err := e.ensureAccounts(ctx, b.ID, accounts)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "book %s exists (%s); %d missing accounts created\n", b.ID, b.Currency.Code(), n)
		return nil
	}
	if *name == "" {
		*name = b.ID
	}
	if err := e.ledger.CreateBook(ctx, ledger.Book{ID: b.ID, Name: *name, Currency: c, FiscalYearStart: *fys}); err != nil {
		return err
	}
	if _, err := e.ensureAccounts(ctx, b.ID, accounts); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "created book %s (%s, %d accounts, fiscal year from month %d)\n", b.ID, c.Code(), len(accounts), *fys)
	return nil
}

// ensureAccounts creates those of accounts the book does not have yet, in
// one transaction, and returns how many it created: a book and its chart
// are two transactions, and a rerun after a kill between them completes
// the chart.
func (e *env) ensureAccounts(ctx context.Context, book string, accounts []ledger.Account) (int, error) {
	have, err := e.ledger.Accounts(ctx, book)
	if err != nil {
		return 0, err
	}
	codes := make(map[string]bool, len(have))
	for _, a := range have {
		codes[a.Code] = true
	}
	var missing []ledger.Account
	for _, a := range accounts {
		if !codes[a.Code] {
			missing = append(missing, a)
		}
	}
	if len(missing) == 0 {
		return 0, nil
	}
	return len(missing), e.ledger.CreateAccounts(ctx, missing...)
}

// postChunk is how many entries one PostBatch call takes: the SQLite batch
// rate is reached with batches of 10,000.
const postChunk = 10000

// postAll posts entries in chunks, all-or-nothing per chunk, and reports how
// many were new. An EntryError names the entry's key.
func (e *env) postAll(ctx context.Context, entries []ledger.Entry) (posted, existing int, err error) {
	return e.postAllTo(ctx, e.ledger, e.store, entries)
}

// postAllTo posts entries through l, whose store is s, in chunks, showing
// progress (see progress).
func (e *env) postAllTo(ctx context.Context, l *ledger.Ledger, s ledger.Store, entries []ledger.Entry) (posted, existing int, err error) {
	pr := e.newProgress(len(entries))
	if posted, existing, err = e.postTo(ctx, l, s, entries, pr); err != nil {
		return posted, existing, err
	}
	pr.finish()
	return posted, existing, nil
}

// postTo posts entries through l, whose store is s, in chunks, all-or-nothing
// per chunk, counting them in pr, and reports how many were new. An
// EntryError's Index is into entries.
func (e *env) postTo(ctx context.Context, l *ledger.Ledger, s ledger.Store, entries []ledger.Entry, pr *progress) (posted, existing int, err error) {
	for i := 0; i < len(entries); i += postChunk {
		chunk := entries[i:min(i+postChunk, len(entries))]
		before, err := head(ctx, s, chunk[0].Book)
		if err != nil {
			return posted, existing, err
		}
		if _, err := l.PostBatch(ctx, chunk); err != nil {
			var ee *ledger.EntryError
			if errors.As(err, &ee) {
				ee.Index += i
			}
			return posted, existing, err
		}
		after, err := head(ctx, s, chunk[0].Book)
		if err != nil {
			return posted, existing, err
		}
		n := int(after - before)
		posted += n
		existing += len(chunk) - n
		pr.add(len(chunk))
	}
	return posted, existing, nil
}

// imported counts what an import did.
type imported struct{ posted, existing, amended int }

func (r imported) amendedText() string {
	if r.amended == 0 {
		return ""
	}
	return fmt.Sprintf(", %d amended (Storno and new version)", r.amended)
}

// errChanged: an imported entry differs from the one posted under its key.
var errChanged = errors.New("changed since it was imported")

// postRevised posts entries through l (store s), finding the edited ones
// first (ledger.Revise): without amend they are an error naming each (where
// says where entry i comes from) and the entry it conflicts with; with
// amend each is posted as a correction (ledger.Amend) after the others.
func (e *env) postRevised(ctx context.Context, l *ledger.Ledger, s ledger.Store, entries []ledger.Entry, amend bool, where func(int) string) (imported, error) {
	var r imported
	revs, err := l.Revise(ctx, entries[0].Book, entries)
	if err != nil {
		return r, err
	}
	if len(revs) > 0 && !amend {
		var msgs []string
		for i, rv := range revs {
			if i == 10 {
				msgs = append(msgs, fmt.Sprintf("and %d more", len(revs)-i))
				break
			}
			msgs = append(msgs, fmt.Sprintf("%s: %v: it differs from entry %d (key %q, %s) posted before; import with --amend to post the Storno of entry %d and the new version, or restore the transaction",
				where(rv.Index), errChanged, rv.Current.Seq, rv.Current.Key, rv.Current.Date, rv.Current.Seq))
		}
		return r, fmt.Errorf("%d edited: %s", len(revs), strings.Join(msgs, "; "))
	}
	rest := entries
	var orig []int // rest[i] is entries[orig[i]]
	if len(revs) > 0 {
		skip := make(map[int]bool, len(revs))
		for _, rv := range revs {
			skip[rv.Index] = true
		}
		rest = make([]ledger.Entry, 0, len(entries)-len(revs))
		for i := range entries {
			if !skip[i] {
				rest = append(rest, entries[i])
				orig = append(orig, i)
			}
		}
	}
	if len(rest) > 0 {
		if r.posted, r.existing, err = e.postAllTo(ctx, l, s, rest); err != nil {
			var ee *ledger.EntryError
			if orig != nil && errors.As(err, &ee) && ee.Index < len(orig) {
				ee.Index = orig[ee.Index]
			}
			return r, err
		}
	}
	if _, err := l.Amend(ctx, entries[0].Book, entries, revs); err != nil {
		return r, err
	}
	r.amended = len(revs)
	return r, nil
}

// head returns the book's last sequence number.
func (e *env) head(ctx context.Context, book string) (uint64, error) { return head(ctx, e.store, book) }

// head returns the sequence number of the book's last entry in s.
func head(ctx context.Context, s ledger.Store, book string) (uint64, error) {
	var h ledger.Head
	err := s.View(ctx, func(tx ledger.ReadTx) (err error) { h, err = tx.Head(ctx, book); return err })
	return h.Seq, err
}

func runImport(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "datev" {
		return runImportDatev(ctx, e, args[1:])
	}
	fs := e.flags("import", "accounts|entries|journal|employees|contracts|taxprofiles|time|absences FILE")
	mapping := fs.String("mapping", "", "journal: CSV file mapping account names (or their prefixes) to types: columns account,type")
	employer := fs.String("employer", "", "HR imports: the employer of rows without one (default: the book)")
	decimalComma := fs.Bool("decimal-comma", false, "HR imports: numbers are written with a decimal comma")
	amend := fs.Bool("amend", false, "journal, entries: post an edited transaction as a correction (the Storno of the entry imported before, and the new version) instead of refusing it")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return usagef("want KIND FILE")
	}
	kind, path := fs.Arg(0), fs.Arg(1)
	if kind == "journal" {
		return e.importJournal(ctx, path, *mapping, *amend)
	}
	isJSON := strings.HasSuffix(strings.ToLower(path), ".json")
	if kind == "entries" && !isJSON {
		return e.importEntries(ctx, path, *amend)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	switch kind {
	case "accounts", "entries":
	case "employees", "contracts", "taxprofiles", "time", "absences":
		emp := *employer
		if emp == "" {
			b, _, err := e.selectBook(ctx, "")
			if err != nil {
				return err
			}
			emp = b.ID
		}
		return e.importHR(ctx, kind, data, isJSON, &hr.ImportOptions{Employer: emp, DecimalComma: *decimalComma})
	default:
		return usagef("unknown import kind %q", kind)
	}
	b, _, err := e.selectBook(ctx, "")
	if err != nil {
		return err
	}
	switch kind {
	case "accounts":
		accounts, err := ledger.ReadChart(bytes.NewReader(data), b.ID)
		if err != nil {
			return err
		}
		n, err := e.ensureAccounts(ctx, b.ID, accounts)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "accounts: %d created, %d existed\n", n, len(accounts)-n)
		return nil
	default: // entries, JSON (a CSV file is read as a stream: importEntries)
		opts := entryOptions(e, b)
		entries, err := ledger.ReadEntriesJSON(bytes.NewReader(data), b.ID, opts)
		if err != nil {
			return notConverted(err, b)
		}
		if len(entries) == 0 {
			fmt.Fprintln(os.Stderr, "entries: none in the file")
			return nil
		}
		// All-or-nothing: every chunk in one transaction.
		var r imported
		err = batch.Atomic(ctx, e.store, func(s ledger.Store) (err error) {
			r, err = e.postRevised(ctx, e.fx.Ledger(s), s, entries, *amend, func(i int) string {
				return fmt.Sprintf("%s: entry %d (key %q)", path, i+1, entries[i].Key)
			})
			return err
		})
		if err != nil {
			return entryErrorAt(err, path, entries, nil, 0, e.fx)
		}
		e.say("entries: %d posted, %d already posted%s", r.posted, r.existing, r.amendedText())
		return nil
	}
}

func (e *env) importHR(ctx context.Context, kind string, data []byte, isJSON bool, opts *hr.ImportOptions) error {
	if err := e.open(ctx); err != nil {
		return err
	}
	// books pays every book's employees in the book's currency: an amount
	// in another is refused at import rather than when payroll runs, and
	// an unusual value (a 50-hour week) is said as a warning.
	bs, err := e.ledger.Books(ctx)
	if err != nil {
		return err
	}
	pay := map[string]money.Currency{}
	for _, b := range bs {
		pay[b.ID] = b.Currency
	}
	e.hr = hr.New(e.store, &hr.Options{PayCurrencies: pay})
	opts.Warn = func(w *hr.ImportError) { e.say("warning: %v", w) }
	// Rows stored already are said, not refused: an import runs again
	// with exit code 0 and adds nothing.
	say := func(kind string, n hr.ImportCount) {
		fmt.Fprintf(os.Stderr, "%s: %d added, %d already there\n", kind, n.Added, n.Existing)
	}
	if isJSON {
		res, err := e.hr.ImportJSON(ctx, bytes.NewReader(data))
		if err != nil {
			return err
		}
		for _, k := range []struct {
			kind string
			n    hr.ImportCount
		}{{"employees", res.Employees}, {"contracts", res.Contracts}, {"taxprofiles", res.TaxProfiles},
			{"time", res.Time}, {"absences", res.Absences}, {"items", res.Items}} {
			if k.n != (hr.ImportCount{}) {
				say(k.kind, k.n)
			}
		}
		return nil
	}
	f := map[string]func(context.Context, io.Reader, *hr.ImportOptions) (hr.ImportCount, error){
		"employees": e.hr.ImportEmployees, "contracts": e.hr.ImportContracts, "taxprofiles": e.hr.ImportTaxProfiles,
		"time": e.hr.ImportTime, "absences": e.hr.ImportAbsences,
	}[kind]
	n, err := f(ctx, bytes.NewReader(data), opts)
	if err != nil {
		return err
	}
	say(kind, n)
	return nil
}

// entryErrorAt names the file row (CSV: rows[i] is the row entry i starts
// on, one row per line; nil for JSON, whose entries are numbered, first
// being the number of entries of the file before entries) and the account
// of an *ledger.EntryError from posting entries read from path, and says
// what to do about an unknown account, a missing exchange rate or a
// rounding residue without an account (f: the book's rates and accounts);
// other errors come back as they are.
func entryErrorAt(err error, path string, entries []ledger.Entry, rows []int, first int, f batch.FX) error {
	var ee *ledger.EntryError
	if !errors.As(err, &ee) || ee.Index < 0 || ee.Index >= len(entries) {
		return err
	}
	en := entries[ee.Index]
	inFile := ee.Line >= 0 && ee.Line < len(en.Lines) // not a line the ledger added (the rounding residue)
	where := fmt.Sprintf("%s: entry %d (key %q)", path, first+ee.Index+1, en.Key)
	if rows != nil {
		row := rows[ee.Index]
		if inFile {
			row += ee.Line
		}
		where = fmt.Sprintf("%s row %d: entry %q", path, row, en.Key)
	}
	switch {
	case ee.Line >= len(en.Lines):
		return fmt.Errorf("%s, the line taking the rounding residue of converting it (account %q): %w", where, f.Rounding, ee.Err)
	case !inFile && errors.Is(ee.Err, ledger.ErrUnbalanced) && f.Rates != nil && f.Rounding == "":
		return fmt.Errorf("%s: %w; if its lines converted at the book's rates miss by a cent or so, give an account meta.role %s or %s to take the residue, or give the lines' base amounts",
			where, ee.Err, batch.RoleFXRounding, batch.RoleFXLosses)
	case !inFile:
		return fmt.Errorf("%s: %w", where, ee.Err)
	}
	acct := en.Lines[ee.Line].Account
	hint := ""
	switch {
	case errors.Is(ee.Err, ledger.ErrUnknownAccount):
		hint = "; the book's chart has no such account: correct the code, or add the account first (books import accounts FILE)"
	case errors.Is(ee.Err, fx.ErrNoRate):
		hint = "; import the rate (books fx import FILE), or give the line's value in the book's currency in the base column"
	}
	return fmt.Errorf("%s, account %q: %w%s", where, acct, ee.Err, hint)
}

// readMapping reads a CSV of account (name or prefix) and type.
func readMapping(path string) (map[string]ledger.AccountType, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rd := csvio.NewReader(f, &csvio.Options{Required: []string{"account", "type"}})
	m := map[string]ledger.AccountType{}
	for rd.Next() {
		row := rd.Row()
		t, err := ledger.ParseAccountType(row.Get("type"))
		if err != nil {
			row.Fail("type", err)
			continue
		}
		m[row.Get("account")] = t
	}
	if err := rd.Err(); err != nil {
		return nil, fmt.Errorf("mapping %s: %w", path, err)
	}
	return m, nil
}

// typeFromMapping returns the type of name's longest mapped prefix.
func typeFromMapping(m map[string]ledger.AccountType, name string) (ledger.AccountType, bool) {
	for n := name; ; {
		if t, ok := m[n]; ok {
			return t, true
		}
		i := strings.LastIndexByte(n, ':')
		if i < 0 {
			return 0, false
		}
		n = n[:i]
	}
}

// allEntries reads every entry of the book in sequence order, in pages.
func (e *env) allEntries(ctx context.Context, book string) ([]ledger.Entry, error) {
	var out []ledger.Entry
	var after uint64
	for {
		page, err := e.ledger.Entries(ctx, book, ledger.EntryQuery{After: after, Limit: 10000})
		if err != nil {
			return nil, err
		}
		for _, p := range page {
			out = append(out, p.Entry)
		}
		if len(page) < 10000 {
			return out, nil
		}
		after = page[len(page)-1].Seq
	}
}

func runExport(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "datev" {
		return runExportDatev(ctx, e, args[1:])
	}
	if len(args) > 0 && args[0] == "gobd" {
		return runExportGoBD(ctx, e, args[1:])
	}
	fs := e.flags("export", "journal|entries [--format csv|json] [-o FILE]")
	format := fs.String("format", "csv", "entries: csv or json")
	out := fs.String("o", "", "output file (default stdout)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || (fs.Arg(0) != "journal" && fs.Arg(0) != "entries") {
		return usagef("want journal or entries")
	}
	if *format != "csv" && *format != "json" {
		return usagef("--format must be csv or json")
	}
	b, _, err := e.selectBook(ctx, "")
	if err != nil {
		return err
	}
	note, err := e.asOf(ctx, b.ID) // with --replica: "as of entry N (replica)"
	if err != nil {
		return err
	}
	entries, err := e.allEntries(ctx, b.ID)
	if err != nil {
		return err
	}
	w, done, err := e.output(*out)
	if err != nil {
		return err
	}
	switch {
	case fs.Arg(0) == "journal":
		accounts, err := e.ledger.Accounts(ctx, b.ID)
		if err != nil {
			return err
		}
		var rates []fx.Rate // as P directives, so that hledger can value the foreign accounts
		if s, ok := e.store.(fx.Store); ok {
			if rates, err = s.Rates(ctx, b.ID); err != nil {
				return err
			}
		}
		head := fmt.Sprintf("; book %s (%s), exported by backoffice books", b.ID, b.Name)
		if note != "" {
			head += ", " + note
		}
		fmt.Fprintf(w, "%s\n\n", head)
		err = journal.Write(w, accounts, entries, rates...)
		if err != nil {
			return err
		}
	case *format == "json":
		err = ledger.WriteEntriesJSON(w, entries)
	default:
		err = ledger.WriteEntries(w, entries)
	}
	if err != nil {
		return err
	}
	if err := done(); err != nil {
		return err
	}
	if note != "" {
		fmt.Fprintf(os.Stderr, "exported %d entries, %s\n", len(entries), note)
	} else {
		fmt.Fprintf(os.Stderr, "exported %d entries\n", len(entries))
	}
	return nil
}

func runClose(ctx context.Context, e *env, args []string) error {
	fs := e.flags("close", "--period YYYY-MM | --year YYYY [--retained-earnings CODE] [--revalue]")
	period := fs.String("period", "", "the month to close, YYYY-MM")
	year := fs.Int("year", 0, "the fiscal year to close: closing entries to retained earnings, and its twelve months")
	re := fs.String("retained-earnings", "", "year: the equity account to close to (default: the account with meta.role retained_earnings)")
	revalue := fs.Bool("revalue", false, "year: first revalue the foreign-currency balances at the year's last day (as books fx revalue)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if (*period == "") == (*year == 0) || fs.NArg() > 0 {
		return usagef("give either --period YYYY-MM or --year YYYY")
	}
	if *revalue && *year == 0 {
		return usagef("--revalue goes with --year")
	}
	var month date.Date
	if *period != "" {
		m, err := batch.ParseMonth(*period)
		if err != nil {
			return usageError{err.Error()}
		}
		month = m
	}
	b, _, err := e.selectBook(ctx, "")
	if err != nil {
		return err
	}
	if *year != 0 {
		if err := b.CheckFiscalYear(*year); err != nil {
			return usagef("--year %d: out of range", *year)
		}
	}
	if *period != "" {
		res := batch.CloseAll(e.stop, e.store, 1, []string{b.ID}, month, e.log, batch.NewProgress(os.Stderr, 1), e.closeChecks()...)
		if len(res.Failed) > 0 {
			fmt.Fprintf(os.Stderr, "books close: book %s failed\n", b.ID)
			return errFailed
		}
		return nil
	}
	code := *re
	if code == "" {
		a, err := e.ledger.AccountByRole(ctx, b.ID, "retained_earnings")
		if errors.Is(err, ledger.ErrNotFound) {
			return usagef("no account has meta.role retained_earnings; name one with --retained-earnings")
		}
		if err != nil {
			return err
		}
		code = a.Code
	}
	first, last := b.FiscalYearRange(*year)
	if *revalue {
		// Before the checks: the revaluation is part of the year. A year
		// closed after its revaluation finds it posted and goes on.
		if err := e.revalue(ctx, b, last, ledger.RevalueOptions{}, false); err != nil {
			return err
		}
	}
	if _, err := e.ledger.Verify(ctx, b.ID); err != nil {
		return err
	}
	if err := batch.TrialBalanced(ctx, e.ledger, b.ID, last); err != nil {
		return err
	}
	// The whole year as one period for the checks: no pay run of any of
	// its months may be left unposted.
	whole := ledger.Period{Book: b.ID, FiscalYear: *year, Start: first, End: last}
	for _, check := range e.closeChecks() {
		if err := check(ctx, e.ledger, b.ID, whole); err != nil {
			return err
		}
	}
	posted, err := e.ledger.CloseYear(ctx, b.ID, *year, code)
	if err != nil {
		return err
	}
	e.log.Info("year closed", "book", b.ID, "year", *year, "closing_entries", len(posted), "retained_earnings", code)
	return nil
}

// closeChecks are run before a period closes: no pay run left calculated
// but not posted.
func (e *env) closeChecks() []batch.PreCloseCheck {
	return []batch.PreCloseCheck{batch.NoPendingPayRun(e.store)}
}

func runLock(ctx context.Context, e *env, args []string) error {
	fs := e.flags("lock", "--through YYYY-MM")
	through := fs.String("through", "", "lock every month through this one, YYYY-MM")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *through == "" || fs.NArg() > 0 {
		return usagef("give --through YYYY-MM")
	}
	month, err := batch.ParseMonth(*through)
	if err != nil {
		return usageError{err.Error()}
	}
	b, _, err := e.selectBook(ctx, "")
	if err != nil {
		return err
	}
	fy, n := b.PeriodOf(month)
	// Lock the closed periods of this fiscal year and the year before; an
	// open one must be closed first.
	for y := fy - 1; y <= fy; y++ {
		ps, err := e.ledger.Periods(ctx, b.ID, y)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if y == fy && p.Number > n {
				break
			}
			switch p.State {
			case ledger.Locked:
			case ledger.Closed:
				if err := e.ledger.LockPeriod(ctx, b.ID, y, p.Number); err != nil {
					return err
				}
			case ledger.Open:
				if y < fy {
					continue // an earlier year not in use: the lock date covers it
				}
				return fmt.Errorf("month %s is open: close it first (books close --period %s)", p.Start.String()[:7], p.Start.String()[:7])
			}
		}
	}
	end := month.EndOfMonth()
	if b.LockDate.Before(end) {
		if err := e.ledger.SetLockDate(ctx, b.ID, end); err != nil {
			return err
		}
	}
	e.log.Info("locked", "book", b.ID, "through", end.String())
	return nil
}

func runVerify(ctx context.Context, e *env, args []string) error {
	fs := e.flags("verify", "[--since SEQ[:HASH]] [--expect-head SEQ:HASH] [--checkpoint FILE]... [--pub FILE]")
	expect := fs.String("expect-head", "", "fail unless the chain still holds this entry with this hash (SEQ:HASH, as verify prints it); needs --book if there are several")
	sinceFlag := fs.String("since", "", "nightly: check only the entries after SEQ[:HASH] (a head verify printed), the head and the state log, not balances and totals; needs --book if there are several")
	var checkpoints []string
	fs.Func("checkpoint", "a checkpoint statement (books checkpoint) to verify against; repeatable", func(s string) error {
		checkpoints = append(checkpoints, s)
		return nil
	})
	pubFile := fs.String("pub", "", "the public key (PEM) checkpoints must be signed with")
	if err := parse(fs, args); err != nil {
		return err
	}
	var anchor ledger.Head
	if *expect != "" {
		h, err := ledger.ParseHead(*expect)
		if err != nil {
			return usagef("--expect-head: %v", err)
		}
		anchor = h
	}
	var trusted ed25519.PublicKey
	if *pubFile != "" {
		k, err := readPublicKey(*pubFile)
		if err != nil {
			return usagef("--pub: %v", err)
		}
		trusted = k
	}
	var cps []ledger.Checkpoint
	for _, f := range checkpoints {
		data, err := os.ReadFile(f)
		if err != nil {
			return usagef("--checkpoint: %v", err)
		}
		var c ledger.Checkpoint
		if err := c.UnmarshalText(data); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		cps = append(cps, c)
	}
	if err := e.open(ctx); err != nil {
		return err
	}
	var ids []string
	if e.book != "" {
		ids = []string{e.book}
	} else {
		all, err := e.ledger.Books(ctx)
		if err != nil {
			return err
		}
		for _, b := range all {
			ids = append(ids, b.ID)
		}
	}
	var since ledger.Head
	if *sinceFlag != "" {
		if len(ids) != 1 {
			return usagef("--since: name the book with --book")
		}
		h, err := ledger.ParseHead(*sinceFlag)
		if err != nil {
			n, err2 := strconv.ParseUint(*sinceFlag, 10, 64)
			if err2 != nil {
				return usagef("--since %q: want SEQ or SEQ:HASH", *sinceFlag)
			}
			h = ledger.Head{Seq: n}
		}
		since = h
	}
	if *expect != "" && len(ids) != 1 {
		return usagef("--expect-head: name the book with --book")
	}
	failed := false
	report := func(id string, err error) {
		failed = true
		var ve *ledger.VerifyError
		if errors.As(err, &ve) {
			fmt.Fprintf(os.Stderr, "books verify: book %s: first bad record: %s: %s\n", id, badRecord(ve), ve.Reason)
		} else {
			fmt.Fprintf(os.Stderr, "books verify: book %s: %v\n", id, err)
		}
	}
	for _, id := range ids {
		if *sinceFlag != "" {
			h, err := e.ledger.VerifySince(ctx, id, since)
			if err != nil {
				report(id, err)
				continue
			}
			fmt.Fprintf(e.stdout, "%s: ok, entries %d to %d, head %s (balances and totals not checked: run verify without --since for them)\n",
				id, since.Seq+1, h.Seq, h)
			continue
		}
		h, hs, err := e.ledger.VerifyHeads(ctx, id)
		if err == nil && *expect != "" {
			_, err = e.ledger.VerifyFrom(ctx, id, anchor)
		}
		if err != nil {
			report(id, err)
			continue
		}
		if err := verifyPartners(ctx, e, id); err != nil {
			failed = true
			fmt.Fprintf(os.Stderr, "books verify: book %s: %v\n", id, err)
			continue
		}
		fmt.Fprintf(e.stdout, "%s: ok, %d entries, head %s, state %s\n", id, h.Seq, h, hs)
	}
	for i, c := range cps {
		if _, _, err := e.ledger.VerifyCheckpoint(ctx, c, trusted); err != nil {
			report(c.Book, fmt.Errorf("checkpoint %s: %w", checkpoints[i], err))
			continue
		}
		fmt.Fprintf(e.stdout, "%s: checkpoint %s of %s holds: entries through %d unchanged\n", c.Book, checkpoints[i],
			c.At.Format("2006-01-02 15:04:05Z"), c.Entries.Seq)
	}
	if failed {
		return errFailed
	}
	return nil
}

// badRecord names the record a VerifyError is about.
func badRecord(ve *ledger.VerifyError) string {
	switch {
	case ve.Account != "" && ve.Month != "":
		return "totals of account " + ve.Account + " in " + ve.Month
	case ve.Account != "":
		return "account " + ve.Account
	case ve.Period != "":
		return "period " + ve.Period
	case ve.State != 0:
		return "state record " + strconv.FormatUint(ve.State, 10)
	case ve.Seq != 0:
		return "entry " + strconv.FormatUint(ve.Seq, 10)
	}
	return "book settings"
}

// parseDateFlag reads YYYY-MM-DD, YYYY-MM (first or last day) or YYYY.
func parseDateFlag(s string, end bool) (date.Date, error) {
	switch len(s) {
	case 0:
		return date.Date{}, nil
	case 4:
		y, err := strconv.Atoi(s)
		if err != nil || y < 1 || y > 9999 {
			break
		}
		if end {
			return date.New(y, 12, 31), nil
		}
		return date.New(y, 1, 1), nil
	case 7:
		d, err := batch.ParseMonth(s)
		if err != nil {
			break
		}
		if end {
			return d.EndOfMonth(), nil
		}
		return d, nil
	default:
		if d, err := date.Parse(s); err == nil {
			return d, nil
		}
	}
	return date.Date{}, usagef("date %q: want YYYY-MM-DD, YYYY-MM or YYYY", s)
}
