package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/reporting"
	"github.com/openbackoffice/backoffice/reporting/xlsx"
)

var reportKinds = []string{"trial-balance", "balance-sheet", "income-statement", "cash-flow", "general-ledger", "account-statement", "payroll-register"}

func runReport(ctx context.Context, e *env, args []string) error {
	fs := e.flags("report", "trial-balance|balance-sheet|income-statement|cash-flow|general-ledger|account-statement|payroll-register [flags]")
	from := fs.String("from", "", "first day: YYYY-MM-DD, YYYY-MM or YYYY (default: start of the fiscal year)")
	to := fs.String("to", "", "last day: YYYY-MM-DD, YYYY-MM or YYYY (default: end of the month of the last entry)")
	asOf := fs.String("as-of", "", "balance sheet: the date (same as --to)")
	compare := fs.String("compare", "", "comparison columns: prior-period, prior-year, monthly or quarterly")
	monthly := fs.Bool("monthly", false, "one column per month (same as --compare monthly)")
	depth := fs.Int("depth", 0, "show only the outermost N levels")
	layout := fs.String("layout", "", "layout: default-balance-sheet, default-income-statement, hgb-266, hgb-275")
	format := fs.String("format", "text", "text, csv, json or xlsx")
	account := fs.String("account", "", "account-statement: the account code")
	exclClosing := fs.Bool("exclude-closing", false, "leave out year-end closing entries (trial balance, general ledger)")
	out := fs.String("o", "", "output file (default stdout)")
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
	var opts reporting.Options
	var err error
	if opts.From, err = parseDateFlag(*from, false); err != nil {
		return err
	}
	if *asOf != "" && *to != "" {
		return usagef("give --to or --as-of, not both")
	}
	if *asOf != "" {
		*to = *asOf
	}
	if opts.To, err = parseDateFlag(*to, true); err != nil {
		return err
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
	opts.Depth, opts.ExcludeClosing = *depth, *exclClosing
	if *layout != "" {
		if opts.Layout, err = reporting.LoadLayout(*layout); err != nil {
			return usagef("--layout: %v (have %v)", err, reporting.Layouts())
		}
	}
	switch *format {
	case "text", "csv", "json", "xlsx":
	default:
		return usagef("--format must be text, csv, json or xlsx")
	}
	b, _, err := e.selectBook(ctx, "")
	if err != nil {
		return err
	}
	if opts.To.IsZero() {
		if opts.To, err = e.lastMonthEnd(ctx, b.ID); err != nil {
			return err
		}
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
		if err := writeRows(w, *format, r, rows); err != nil {
			return err
		}
		return done()
	}
	var r reporting.Report
	switch kind {
	case "trial-balance":
		r, err = reporting.TrialBalance(ctx, e.ledger, b.ID, opts)
	case "balance-sheet":
		r, err = reporting.BalanceSheet(ctx, e.ledger, b.ID, opts)
	case "income-statement":
		r, err = reporting.IncomeStatement(ctx, e.ledger, b.ID, opts)
	case "cash-flow":
		r, err = reporting.CashFlow(ctx, e.ledger, b.ID, opts)
	case "payroll-register":
		// The month's pay run: the month of --to (default: of the last entry).
		runs, rerr := e.payrollRuns(ctx, b.ID)
		if rerr != nil {
			return rerr
		}
		y, m, _ := opts.To.Date()
		r, err = reporting.PayrollRegister(ctx, payrollSource{runs, e.ledger, e.hr}, runID(b.ID, date.New(y, m, 1)), reporting.Options{})
	case "account-statement":
		if *account == "" {
			return usagef("account-statement needs --account CODE")
		}
		r, err = reporting.AccountStatement(ctx, e.ledger, b.ID, *account, opts)
	default:
		return usagef("unknown report %q: want one of %v", kind, reportKinds)
	}
	if err != nil {
		return err
	}
	if err := writeReports(w, *format, r); err != nil {
		return err
	}
	failed := false
	for _, c := range r.Checks {
		if !c.OK() {
			fmt.Fprintf(os.Stderr, "books report: check %q fails: %s ≠ %s\n", c.Label, c.Left, c.Right)
			failed = true
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

// writeReports writes reports in format: one workbook with a sheet each
// (xlsx), or one after the other (text, with a blank line between; csv;
// json).
func writeReports(w io.Writer, format string, reports ...reporting.Report) error {
	if format == "xlsx" {
		return xlsx.Write(w, reports, nil)
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
			return usagef("--format must be text, csv, json or xlsx")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// writeRows writes a streamed report (the general ledger).
func writeRows(w io.Writer, format string, r reporting.Report, rows func(func(reporting.Row, error) bool)) error {
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
	return reporting.WriteText(w, r, nil)
}

// lastMonthEnd is the default report date: the end of the month of the
// book's latest entry (the last posted, which is the latest in practice), or
// today for an empty book.
func (e *env) lastMonthEnd(ctx context.Context, book string) (date.Date, error) {
	seq, err := e.head(ctx, book)
	if err != nil || seq == 0 {
		return date.Of(time.Now()), err
	}
	p, err := e.ledger.Entry(ctx, book, seq)
	if err != nil {
		return date.Date{}, err
	}
	return p.Date.EndOfMonth(), nil
}
