package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/partners"
	"github.com/openbackoffice/backoffice/reporting"
	"github.com/openbackoffice/backoffice/reporting/pdf"
	"github.com/openbackoffice/backoffice/reporting/xlsx"
	"github.com/openbackoffice/backoffice/vat"
)

var reportKinds = []string{"trial-balance", "balance-sheet", "income-statement", "cash-flow", "general-ledger", "account-statement", "payroll-register",
	"open-items", "aging", "party-statement", "due-payments", "reconciliation", "vat-return"}

// partnerKinds are the reports of customers' and suppliers' open items.
var partnerKinds = []string{"open-items", "aging", "party-statement", "due-payments"}

func runReport(ctx context.Context, e *env, args []string) error {
	fs := e.flags("report", "trial-balance|balance-sheet|income-statement|cash-flow|general-ledger|account-statement|payroll-register|open-items|aging|party-statement|due-payments|vat-return [flags]")
	from := fs.String("from", "", "first day: YYYY-MM-DD, YYYY-MM or YYYY (default: start of the fiscal year)")
	to := fs.String("to", "", "last day: YYYY-MM-DD, YYYY-MM or YYYY (default: end of the month of the last entry)")
	asOf := fs.String("as-of", "", "balance sheet, open-items, aging: the date (same as --to)")
	var period string
	periodHelp := "the period as an hledger period expression, instead of --from/--to: 2025, 2025-Q1, 2025-03, 2025-03-15, " +
		"last|this|next month|quarter|year, A..B or 'from A to B' — the end B exclusive, as in hledger (2025-01-01..2025-04-01 is the first quarter); " +
		"an open start (..B) is the start of the end's fiscal year (hledger: the first transaction; the opening balance holds what came before), an open end (A..) the end of the month of the last entry; " +
		"balance sheet, open-items, aging: as of its last day; vat-return: a month or a quarter"
	fs.StringVar(&period, "p", "", periodHelp)
	fs.StringVar(&period, "period", "", "same as -p")
	today := fs.String("today", "", "the date relative periods (last month, this year) count from, YYYY-MM-DD (default: today)")
	query := fs.String("accounts", "", "trial-balance, general-ledger: only the accounts whose code or name matches this regular expression (case-insensitive, as hledger's account queries)")
	compare := fs.String("compare", "", "comparison columns: prior-period, prior-year, monthly or quarterly (trial-balance: monthly or quarterly)")
	monthly := fs.Bool("monthly", false, "one column per month (same as --compare monthly); in a trial balance each account's change in the month")
	quarterly := fs.Bool("quarterly", false, "one column per quarter of the fiscal year (same as --compare quarterly)")
	depth := fs.Int("depth", 0, "show only the outermost N levels")
	currency := fs.String("currency", "", "only the amounts in this currency, as booked (default: every amount in the book's currency, foreign ones at their booked base amounts)")
	value := fs.String("value", "then", "trial-balance: then (foreign amounts at their booked base amounts, hledger's --value=then) or end (at the exchange rate of the last day, hledger's --value=end; needs the book's rates)")
	layout := fs.String("layout", "", "layout: default-balance-sheet, default-income-statement, hgb-266, hgb-275, or a layout CSV file (see reporting.ReadLayout)")
	format := fs.String("format", "text", "text, csv, json, xlsx or pdf (pdf needs LibreOffice)")
	lang := fs.String("lang", "", "language of the report: "+strings.Join(reporting.Languages(), " or ")+" (default: the book's; SKR03/SKR04 books are German)")
	account := fs.String("account", "", "account-statement: the account code")
	exclClosing := fs.Bool("exclude-closing", false, "leave out year-end closing entries (trial balance, general ledger)")
	itemKind := fs.String("kind", "", "open-items, aging, due-payments: receivables or payables (default receivables; payables for due-payments)")
	party := fs.String("party", "", "open-items, aging, due-payments, party-statement: only this party (party-statement default: every party)")
	out := fs.String("o", "", "output file (default stdout)")
	noVerify := fs.Bool("no-verify", false, "skip verifying the book before reporting (its chain, and the totals, balances and dimension index a report reads, against the postings); for very large books verified nightly")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("want one report: %v", reportKinds)
	}
	kind := fs.Arg(0)
	known := false
	for _, k := range reportKinds {
		known = known || k == kind
	}
	if !known {
		return usagef("unknown report %q: want one of %v", kind, reportKinds)
	}
	partner := slices.Contains(partnerKinds, kind)
	switch {
	case partner && (*compare != "" || *monthly || *quarterly || *depth != 0 || *layout != "" || *account != "" || *exclClosing):
		return usagef("%s takes none of --compare, --monthly, --quarterly, --depth, --layout, --account, --exclude-closing", kind)
	case *query != "" && kind != "trial-balance" && kind != "general-ledger":
		return usagef("--accounts is for trial-balance and general-ledger")
	case *monthly && *quarterly:
		return usagef("give --monthly or --quarterly, not both")
	case *today != "" && period == "":
		return usagef("--today is for relative periods: give -p too")
	case !partner && (*itemKind != "" || *party != ""):
		return usagef("--kind and --party are for %v", partnerKinds)
	case *itemKind != "" && *itemKind != "receivables" && *itemKind != "payables":
		return usagef("--kind must be receivables or payables")
	case kind == "party-statement" && *itemKind != "":
		return usagef("party-statement takes no --kind: the party's role decides")
	case (kind == "open-items" || kind == "aging") && *from != "":
		return usagef("%s is as of a date: give --as-of (or --to), not --from", kind)
	}
	var opts reporting.Options
	var err error
	if period != "" {
		if *from != "" || *to != "" || *asOf != "" {
			return usagef("give -p/--period or --from/--to/--as-of, not both")
		}
		if opts.From, opts.To, err = reportPeriod(kind, period, *today); err != nil {
			return err
		}
		if kind == "open-items" || kind == "aging" {
			opts.From = date.Date{} // as of the period's last day
		}
	}
	if opts.From.IsZero() {
		if opts.From, err = parseDateFlag(*from, false); err != nil {
			return err
		}
	}
	if *asOf != "" && *to != "" {
		return usagef("give --to or --as-of, not both")
	}
	if *asOf != "" {
		*to = *asOf
	}
	if opts.To.IsZero() {
		if opts.To, err = parseDateFlag(*to, true); err != nil {
			return err
		}
	}
	switch *compare {
	case "":
	case "prior-period":
		opts.Compare = reporting.PriorPeriod
	case "prior-year":
		opts.Compare = reporting.PriorYear
	case "monthly":
		opts.Compare = reporting.Monthly
	case "quarterly":
		opts.Compare = reporting.Quarterly
	default:
		return usagef("--compare must be prior-period, prior-year, monthly or quarterly")
	}
	if *monthly {
		opts.Compare = reporting.Monthly
	}
	if *quarterly {
		opts.Compare = reporting.Quarterly
	}
	if kind == "trial-balance" && opts.Compare != reporting.NoCompare && opts.Compare != reporting.Monthly && opts.Compare != reporting.Quarterly {
		return usagef("a trial balance compares monthly or quarterly only")
	}
	if *query != "" {
		if _, err := regexp.Compile("(?i)" + *query); err != nil {
			return usagef("--accounts %q: %v", *query, err)
		}
		opts.AccountQuery = *query
	}
	opts.Depth, opts.ExcludeClosing = *depth, *exclClosing
	if *currency != "" {
		if opts.Currency, err = money.ParseCurrency(*currency); err != nil {
			return usagef("--currency %q: %v", *currency, err)
		}
	}
	switch {
	case *value == "end" && kind != "trial-balance":
		return usagef("--value end is for the trial balance")
	case *value == "end" && *currency != "":
		return usagef("--value end values every currency in the book's: give it without --currency")
	case *value != "then" && *value != "end":
		return usagef("--value must be then or end")
	}
	if *layout != "" {
		if slices.Contains(reporting.Layouts(), *layout) {
			opts.Layout, err = reporting.LoadLayout(*layout)
		} else if f, ferr := os.Open(*layout); ferr == nil {
			opts.Layout, err = reporting.ReadLayout(f, *layout)
			f.Close()
		} else {
			return usagef("--layout %s: neither a shipped layout (%v) nor a readable CSV file: %v", *layout, reporting.Layouts(), ferr)
		}
		if err != nil {
			return fmt.Errorf("--layout: %w", err)
		}
	}
	switch *format {
	case "text", "csv", "json", "xlsx", "pdf":
	default:
		return usagef("--format must be text, csv, json, xlsx or pdf")
	}
	if *lang != "" && !slices.Contains(reporting.Languages(), *lang) {
		return usagef("--lang must be one of %v", reporting.Languages())
	}
	opts.Language = *lang
	b, _, err := e.selectBook(ctx, "")
	if err != nil {
		return err
	}
	note, err := e.asOf(ctx, b.ID) // with --replica: "as of entry N (replica)"
	if err != nil {
		return err
	}
	if opts.To.IsZero() {
		if opts.To, err = e.lastMonthEnd(ctx, b.ID); err != nil {
			return err
		}
	}
	if !*noVerify {
		// A report reads derived tables (totals, balances, the dimension
		// index); one that disagrees with the postings would be wrong
		// without a sign, so it is no report at all.
		if err := verifyForReport(ctx, e, b.ID); err != nil {
			return err
		}
	}
	if *value == "end" {
		// Valuing needs the book's rates, which reports otherwise do not.
		if err := e.useBook(ctx, b.ID); err != nil {
			return err
		}
		if e.fx.Rates == nil {
			return usagef("--value end: book %s has no exchange rates (books fx import)", b.ID)
		}
		opts.ValueAtEnd = true
	}
	w, done, err := e.output(*out)
	if err != nil {
		return err
	}
	if kind == "general-ledger" {
		r, rows, err := reporting.GeneralLedgerRows(ctx, e.ledger, b.ID, opts)
		if err != nil {
			return err
		}
		withNote(&r, note)
		if err := writeRows(ctx, w, *format, r, rows); err != nil {
			return err
		}
		return done()
	}
	var r reporting.Report
	var more []reporting.Report // the statements of further parties
	switch kind {
	case "trial-balance":
		r, err = reporting.TrialBalance(ctx, e.ledger, b.ID, opts)
	case "balance-sheet":
		r, err = reporting.BalanceSheet(ctx, e.ledger, b.ID, opts)
	case "income-statement":
		r, err = reporting.IncomeStatement(ctx, e.ledger, b.ID, opts)
	case "cash-flow":
		r, err = reporting.CashFlow(ctx, e.ledger, b.ID, opts)
	case "vat-return":
		r, err = reporting.VATReturn(ctx, e.ledger, b.ID, opts)
	case "payroll-register":
		// The month's pay run: the month of --to (default: of the last entry).
		runs, rerr := e.payrollRuns(ctx, b.ID)
		if rerr != nil {
			return rerr
		}
		y, m, _ := opts.To.Date()
		r, err = reporting.PayrollRegister(ctx, payrollSource{runs, e.ledger, e.hr}, runID(b.ID, date.New(y, m, 1)), reporting.Options{Language: *lang})
	case "account-statement":
		if *account == "" {
			return usagef("account-statement needs --account CODE")
		}
		r, err = reporting.AccountStatement(ctx, e.ledger, b.ID, *account, opts)
	case "open-items", "aging", "party-statement", "due-payments":
		var rs []reporting.Report
		if rs, err = e.partnerReports(ctx, b.ID, kind, *itemKind, *party, opts); err == nil {
			r, more = rs[0], rs[1:]
		}
	default:
		return usagef("unknown report %q: want one of %v", kind, reportKinds)
	}
	if err != nil {
		return err
	}
	all := append([]reporting.Report{r}, more...)
	for i := range all {
		withNote(&all[i], note)
	}
	if err := writeReportsContext(ctx, w, *format, all...); err != nil {
		return err
	}
	failed := false
	for _, r := range all {
		for _, c := range r.Checks {
			if !c.OK() {
				fmt.Fprintf(os.Stderr, "books report: check %q fails: %s ≠ %s\n", c.Label, c.Left, c.Right)
				failed = true
			}
		}
	}
	if err := done(); err != nil {
		return err
	}
	if failed { // written, but a cron job must see that it does not add up
		return errFailed
	}
	return nil
}

// verifyForReport verifies book (ledger.Ledger.Verify) and says which
// record differs if it does not.
func verifyForReport(ctx context.Context, e *env, book string) error {
	_, err := e.ledger.Verify(ctx, book)
	var ve *ledger.VerifyError
	if errors.As(err, &ve) {
		return fmt.Errorf("book %s does not verify, no report from it: first bad record: %s: %s (books verify; --no-verify reports anyway): %w",
			book, badRecord(ve), ve.Reason, ledger.ErrTampered)
	}
	return err
}

// reportPeriod reads the -p/--period expression s of a report of kind
// (see date.ParsePeriod) with today, a YYYY-MM-DD or "" for the system's
// date. A vat-return's period must be a calendar month or quarter; its own
// forms (vat.ParsePeriod: YYYY-MM, YYYY-Qn) are read first.
func reportPeriod(kind, s, today string) (from, to date.Date, err error) {
	now := date.Of(time.Now())
	if today != "" {
		if now, err = date.Parse(today); err != nil {
			return from, to, usagef("--today %q: %v", today, err)
		}
	}
	if kind == "vat-return" {
		from, to, verr := vat.ParsePeriod(s)
		if verr == nil {
			return from, to, nil
		}
		p, perr := date.ParsePeriod(s, now)
		if perr != nil || !monthOrQuarter(p) {
			return from, to, usagef("--period: %v", verr)
		}
		return p.From, p.To, nil
	}
	p, err := date.ParsePeriod(s, now)
	if err != nil {
		return from, to, usagef("-p: %v", err)
	}
	return p.From, p.To, nil
}

// monthOrQuarter reports whether p is a calendar month or quarter.
func monthOrQuarter(p date.Period) bool {
	if p.From.IsZero() || p.To.IsZero() || p.From != p.From.StartOfMonth() {
		return false
	}
	return p.To == p.From.EndOfMonth() || (p.From.Month()-1)%3 == 0 && p.To == p.From.AddMonths(2).EndOfMonth()
}

// writeReports writes reports in format: one workbook with a sheet each
// (xlsx), that workbook printed (pdf), or one after the other (text, with
// a blank line between; csv; json).
func writeReports(w io.Writer, format string, reports ...reporting.Report) error {
	return writeReportsContext(context.Background(), w, format, reports...)
}

// writeReportsContext is writeReports with a context, which stops
// LibreOffice printing a PDF.
func writeReportsContext(ctx context.Context, w io.Writer, format string, reports ...reporting.Report) error {
	switch format {
	case "xlsx":
		return xlsx.Write(w, reports, nil)
	case "pdf":
		return pdf.Write(ctx, w, reports, nil)
	}
	for i, r := range reports {
		var err error
		switch format {
		case "text":
			if i > 0 {
				fmt.Fprintln(w)
			}
			err = reporting.WriteText(w, r, nil)
		case "csv":
			err = reporting.WriteCSV(w, r, nil)
		case "json":
			err = reporting.WriteJSON(w, r)
		default:
			return usagef("--format must be text, csv, json, xlsx or pdf")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// writeRows writes a streamed report (the general ledger).
func writeRows(ctx context.Context, w io.Writer, format string, r reporting.Report, rows func(func(reporting.Row, error) bool)) error {
	switch format {
	case "csv":
		return reporting.WriteCSVRows(w, r, rows, nil)
	case "json":
		return reporting.WriteJSONRows(w, r, rows)
	case "xlsx":
		wb := xlsx.New(nil)
		defer wb.Close()
		if err := wb.AddRows(r, rows); err != nil {
			return err
		}
		_, err := wb.WriteTo(w)
		return err
	}
	for row, err := range rows {
		if err != nil {
			return err
		}
		r.Rows = append(r.Rows, row)
	}
	if format == "pdf" {
		return pdf.Write(ctx, w, []reporting.Report{r}, nil)
	}
	return reporting.WriteText(w, r, nil)
}

// lastMonthEnd is the default report date: the end of the month of the
// book's latest entry (the last posted, which is the latest in practice), or
// today for an empty book.
func (e *env) lastMonthEnd(ctx context.Context, book string) (date.Date, error) {
	// The latest booking date, not the last posted entry's: an entry
	// posted late and back-dated must not pull the default period back.
	d, err := e.ledger.LatestDate(ctx, book)
	if err != nil || d.IsZero() {
		return date.Of(time.Now()), err
	}
	return d.EndOfMonth(), nil
}

// partnerReports builds one of the partnerKinds: open-items and aging as
// of opts.To, party-statement and due-payments for opts.From–To (a zero
// From: the start of the fiscal year); itemKind is "", "receivables" or
// "payables". A party-statement without a party is one statement per
// party of the book, by number.
func (e *env) partnerReports(ctx context.Context, book, kind, itemKind, party string, opts reporting.Options) ([]reporting.Report, error) {
	p, err := e.parties(ctx, book)
	if err != nil {
		return nil, err
	}
	src := partnerReportSource{p, e.ledger}
	po := reporting.PartnerOptions{Party: party, Language: opts.Language}
	switch itemKind {
	case "receivables":
		po.Kind = partners.Receivable
	case "payables":
		po.Kind = partners.Payable
	}
	one := func(r reporting.Report, err error) ([]reporting.Report, error) {
		if err != nil {
			return nil, err
		}
		return []reporting.Report{r}, nil
	}
	switch kind {
	case "open-items":
		po.AsOf = opts.To
		return one(reporting.OpenItems(ctx, src, book, po))
	case "aging":
		po.AsOf = opts.To
		return one(reporting.Aging(ctx, src, book, po))
	case "due-payments":
		po.From, po.To = opts.From, opts.To
		return one(reporting.DuePayments(ctx, src, book, po))
	case "party-statement":
		po.Party, po.From, po.To = "", opts.From, opts.To
		numbers := []string{party}
		if party == "" {
			list, err := p.List(ctx, book, date.Date{})
			if err != nil {
				return nil, err
			}
			if len(list) == 0 {
				return nil, usagef("book %s has no customers or suppliers", book)
			}
			numbers = numbers[:0]
			for _, x := range list {
				numbers = append(numbers, x.Number)
			}
		}
		out := make([]reporting.Report, 0, len(numbers))
		for _, n := range numbers {
			r, err := reporting.PartyStatement(ctx, src, book, n, po)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		return out, nil
	}
	return nil, usagef("unknown report %q: want one of %v", kind, partnerKinds)
}

// partnerReportSource is what the partner reports read: the parties, and
// the ledger for the book's name, currency and fiscal year.
type partnerReportSource struct {
	*partners.Parties
	*ledger.Ledger
}
