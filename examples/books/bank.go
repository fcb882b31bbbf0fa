package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/openbackoffice/backoffice/bank/camt"
	"github.com/openbackoffice/backoffice/bank/reconcile"
	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/payroll"
)

// statementKinds are the bank statements "books import" reads.
var statementKinds = []string{"camt053", "mt940", "statement-csv"}

// runImportAny is "books import": bank statements here, everything else in
// runImport.
func runImportAny(ctx context.Context, e *env, args []string) error {
	for _, a := range args {
		if slices.Contains(statementKinds, a) {
			return runImportStatement(ctx, e, args)
		}
	}
	return runImport(ctx, e, args)
}

// runReportAny is "books report": the reconciliation here, every other
// report in runReport.
func runReportAny(ctx context.Context, e *env, args []string) error {
	if slices.Contains(args, "reconciliation") {
		return runReconciliationReport(ctx, e, args)
	}
	return runReport(ctx, e, args)
}

// reconciler returns the reconciler of the open store, with the book's
// customers and suppliers.
func (e *env) reconciler(ctx context.Context, book string) (*reconcile.Reconciler, error) {
	rs, ok := e.store.(reconcile.Store)
	if !ok {
		return nil, fmt.Errorf("the store %s keeps no bank statements", e.db)
	}
	p, err := e.parties(ctx, book)
	if err != nil {
		return nil, err
	}
	// Salary transfers carry payroll.EndToEndID: the run, read back.
	run := func(id string) (string, bool) { run, _, ok := payroll.ParseEndToEndID(id); return run, ok }
	return reconcile.New(rs, e.ledger, &reconcile.Options{Parties: p, PayrollRun: run}), nil
}

// bankAccount returns --account, or the book's account with meta.role bank.
func (e *env) bankAccount(ctx context.Context, book, flag string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	return e.roleAccount(ctx, book, "bank")
}

// runImportStatement is "books import camt053|mt940|statement-csv FILE".
func runImportStatement(ctx context.Context, e *env, args []string) error {
	fs := e.flags("import", "camt053|mt940|statement-csv [--account CODE] [--mapping FILE] FILE")
	account := fs.String("account", "", "the ledger account of the bank (default: the account with meta.role bank)")
	mapping := fs.String("mapping", "", "statement-csv: the JSON file mapping the export's columns (see camt.Mapping)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return usagef("want KIND FILE")
	}
	kind, path := fs.Arg(0), fs.Arg(1)
	if (kind == "statement-csv") != (*mapping != "") {
		return usagef("--mapping goes with statement-csv, and statement-csv needs it")
	}
	b, _, err := e.selectBook(ctx, "")
	if err != nil {
		return err
	}
	acct, err := e.bankAccount(ctx, b.ID, *account)
	if err != nil {
		return err
	}
	a, err := e.ledger.Account(ctx, b.ID, acct)
	if err != nil {
		return err
	}
	opts := &camt.Options{Currency: b.Currency}
	if !a.Currency.IsZero() {
		opts.Currency = a.Currency
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var sts []camt.Statement
	switch kind {
	case "camt053":
		sts, err = camt.ReadCAMT053(bytes.NewReader(data), path, opts)
	case "mt940":
		sts, err = camt.ReadMT940(bytes.NewReader(data), path, opts)
	default:
		f, ferr := os.Open(*mapping)
		if ferr != nil {
			return ferr
		}
		m, merr := camt.ReadMapping(f)
		f.Close()
		if merr != nil {
			return fmt.Errorf("%s: %w", *mapping, merr)
		}
		var st camt.Statement
		st, err = camt.ReadCSV(bytes.NewReader(data), path, m, opts)
		sts = []camt.Statement{st}
	}
	if err != nil {
		return err
	}
	r, err := e.reconciler(ctx, b.ID)
	if err != nil {
		return err
	}
	// A file of several statements: each is all or nothing, and importing
	// the file again adds nothing.
	for _, st := range sts {
		_, added, err := r.Import(ctx, b.ID, acct, st)
		if err != nil {
			return err
		}
		what := "imported"
		if !added {
			what = "imported before; nothing added"
		}
		fmt.Fprintf(e.stdout, "statement %s (%s, %s to %s): %d lines %s\n", st.ID, st.Account, st.OpeningDate, st.ClosingDate, len(st.Lines), what)
	}
	return nil
}

// runReconcile is "books reconcile".
func runReconcile(ctx context.Context, e *env, args []string) error {
	fs := e.flags("reconcile", "[--account CODE] [--rules FILE] [--post]")
	account := fs.String("account", "", "the ledger account of the bank (default: the account with meta.role bank)")
	rulesPath := fs.String("rules", "", "matching rules as JSON (see reconcile.Rule; default: end-to-end IDs, book lines, open items)")
	post := fs.Bool("post", false, "settle matched open items and post the lines text rules match")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usagef("reconcile takes no arguments")
	}
	rules := reconcile.DefaultRules()
	if *rulesPath != "" {
		f, err := os.Open(*rulesPath)
		if err != nil {
			return err
		}
		rules, err = reconcile.ReadRules(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", *rulesPath, err)
		}
	}
	b, _, err := e.selectBook(ctx, "")
	if err != nil {
		return err
	}
	acct, err := e.bankAccount(ctx, b.ID, *account)
	if err != nil {
		return err
	}
	r, err := e.reconciler(ctx, b.ID)
	if err != nil {
		return err
	}
	res, err := r.Reconcile(ctx, b.ID, acct, rules, *post)
	if err != nil {
		return err
	}
	printResult(e.stdout, res)
	return nil
}

func printResult(w io.Writer, res reconcile.Result) {
	fmt.Fprintf(w, "%d unmatched lines: %d matched, %d posted, %d proposed (run with --post), %d left\n",
		len(res.Lines), len(res.Matches), res.Posted, len(res.Proposals), len(res.Unmatched))
	names := make([]string, 0, len(res.ByRule))
	for n := range res.ByRule {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %d\n", n, res.ByRule[n])
	}
	for _, d := range res.Proposals {
		l := res.Lines[d.Lines[0]]
		fmt.Fprintf(w, "  proposed: %s %s %s: %s\n", l.Booked, l.Ref, l.Amount.Number(), d)
	}
	for _, l := range res.Unmatched {
		fmt.Fprintf(w, "  unmatched: %s %s %s %s\n", l.Booked, l.Ref, l.Amount.Number(), l.Text)
	}
}

// runReconciliationReport is "books report reconciliation".
func runReconciliationReport(ctx context.Context, e *env, args []string) error {
	fs := e.flags("report", "reconciliation [--account CODE] [--as-of D] [--format text|csv|json|xlsx] [-o FILE]")
	account := fs.String("account", "", "the ledger account of the bank (default: the account with meta.role bank)")
	asOf := fs.String("as-of", "", "the latest statement closing on or before this day (default: the latest)")
	format := fs.String("format", "text", "text, csv, json or xlsx")
	out := fs.String("o", "", "output file (default stdout)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("want one report")
	}
	var day date.Date
	if *asOf != "" {
		var err error
		if day, err = parseDateFlag(*asOf, true); err != nil {
			return usagef("--as-of: %v", err)
		}
	}
	b, _, err := e.selectBook(ctx, "")
	if err != nil {
		return err
	}
	note, err := e.asOf(ctx, b.ID) // with --replica: "as of entry N (replica)"
	if err != nil {
		return err
	}
	acct, err := e.bankAccount(ctx, b.ID, *account)
	if err != nil {
		return err
	}
	r, err := e.reconciler(ctx, b.ID)
	if err != nil {
		return err
	}
	rep, err := r.Report(ctx, b.ID, acct, day)
	if errors.Is(err, reconcile.ErrInvalid) {
		return fmt.Errorf("%w (import a statement first: books import camt053 FILE)", err)
	}
	if err != nil {
		return err
	}
	withNote(&rep, note)
	w, done, err := e.output(*out)
	if err != nil {
		return err
	}
	if err := writeReports(w, *format, rep); err != nil {
		return err
	}
	if err := done(); err != nil {
		return err
	}
	for _, c := range rep.Checks {
		if !c.OK() { // written, but a cron job must see that it does not add up
			return errFailed
		}
	}
	return nil
}
