package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/payroll/rules/de"
	"github.com/openbackoffice/backoffice/payroll/rules/us"
	"github.com/openbackoffice/backoffice/reporting"
)

// monthly is the pay calendar of the books tool: calendar months, paid on
// the last working day.
var monthly = payroll.Calendar{ID: "monthly", Frequency: hr.MonthlyPay, WorkDays: hr.MondayToFriday}

// runID names the monthly pay run of a book: "demo/2025-03".
func runID(book string, month date.Date) string { return book + "/" + month.String()[:7] }

// payrollRuns returns the pay runs of book, with the German and US packs
// posting to the book's own chart: the accounts are found by their
// meta.role, which the shipped charts (default, SKR03, SKR04) carry.
func (e *env) payrollRuns(ctx context.Context, book string) (*payroll.Runs, error) {
	accts, err := e.ledger.Accounts(ctx, book)
	if err != nil {
		return nil, err
	}
	role := map[string]string{}
	for _, a := range accts {
		if r := a.Metadata["role"]; r != "" {
			if _, dup := role[r]; !dup {
				role[r] = a.Code
			}
		}
	}
	need := func(names ...string) error {
		for _, n := range names {
			if role[n] == "" {
				return fmt.Errorf("book %s has no account with meta.role %s; payroll needs one", book, n)
			}
		}
		return nil
	}
	if err := need("salaries_expense", "employer_social_security_expense", "wage_tax_payable", "social_security_payable", "wages_payable"); err != nil {
		return nil, err
	}
	wages, social := role["salaries_expense"], role["employer_social_security_expense"]
	taxes, contrib, net := role["wage_tax_payable"], role["social_security_payable"], role["wages_payable"]
	futa := role["futa_payable"]
	if futa == "" {
		futa = taxes
	}
	dePacks, err := de.Packs(&de.Options{Accounts: de.Accounts{Wages: wages, SocialExpense: social,
		MinijobSocial: social, FlatTaxExpense: social, TaxPayable: taxes, SocialPayable: contrib,
		Withholdings: net, NetPayable: net}})
	if err != nil {
		return nil, err
	}
	usPack, err := us.New(&us.Config{Accounts: us.Accounts{Wages: wages, EmployerTaxes: social,
		FederalWithholding: taxes, FICA: contrib, FUTA: futa, NetPay: net}})
	if err != nil {
		return nil, err
	}
	return payroll.New(e.store, &payroll.Options{
		// Tax profiles of "DE" and "US" find the packs "de" and "us" by
		// name: no jurisdiction map.
		Packs: append(dePacks, usPack),
		Accounts: payroll.Accounts{Wages: wages, EmployerExpense: social, Taxes: taxes,
			Contributions: contrib, NetPay: net},
	}), nil
}

// payMonth brings the month's pay run of book as far as asked: created and
// calculated always; approved, posted and paid (against the book's bank
// account, on the pay date) if asked. Every step is idempotent: a run
// already past a step is left as it is.
func (e *env) payMonth(ctx context.Context, runs *payroll.Runs, book string, month date.Date, approve, post, pay bool) (payroll.Run, error) {
	period, err := monthly.PeriodOf(month)
	if err != nil {
		return payroll.Run{}, err
	}
	id := runID(book, month)
	run, err := runs.Run(ctx, id)
	if errors.Is(err, payroll.ErrRunNotFound) {
		run, err = runs.CreateRun(ctx, payroll.RunSpec{ID: id, Book: book, Period: period})
	}
	if err != nil {
		return run, err
	}
	steps := []struct {
		from payroll.Status
		want bool
		do   func(context.Context, string) (payroll.Run, error)
	}{
		{payroll.Draft, true, runs.Calculate},
		{payroll.Calculated, approve, runs.Approve},
		{payroll.Approved, post, runs.Post},
		{payroll.Posted, pay, func(ctx context.Context, id string) (payroll.Run, error) {
			bank, err := e.roleAccount(ctx, book, "bank")
			if err != nil {
				return payroll.Run{}, err
			}
			return runs.PostPayment(ctx, id, bank, period.PayDate)
		}},
	}
	for _, s := range steps {
		if run.Status != s.from || !s.want {
			continue
		}
		if run, err = s.do(ctx, id); err != nil {
			return run, err
		}
	}
	return run, nil
}

// roleAccount returns the code of the book's account with the role.
func (e *env) roleAccount(ctx context.Context, book, role string) (string, error) {
	a, err := e.ledger.AccountByRole(ctx, book, role)
	return a.Code, err
}

// runPayroll is "books payroll run|payslips|register".
func runPayroll(ctx context.Context, e *env, args []string) error {
	fs := e.flags("payroll", "run|pay|payslips|register --period YYYY-MM [--approve] [--post] [--pay] [--sepa FILE] [--nacha FILE --nacha-config FILE] [--format text|csv|json|xlsx] [-o FILE]")
	period := fs.String("period", "", "the month: YYYY-MM")
	approve := fs.Bool("approve", false, "run: approve the calculated run")
	post := fs.Bool("post", false, "run: approve and post it to the ledger")
	pay := fs.Bool("pay", false, "run: approve, post and pay it from the bank account")
	format := fs.String("format", "text", "payslips and register: text, csv, json or xlsx")
	out := fs.String("o", "", "output file (default stdout)")
	sepaFile := fs.String("sepa", "", "pay: write the run's SEPA credit transfers (pain.001.001.09) to FILE")
	fromIBAN := fs.String("from-iban", "", "pay: the IBAN paid from (default: meta.iban of the bank account)")
	fromBIC := fs.String("from-bic", "", "pay: its BIC (default: meta.bic of the bank account; optional)")
	nachaFile := fs.String("nacha", "", "pay: write the run's NACHA PPD credits to FILE")
	nachaConfig := fs.String("nacha-config", "", "pay: the company's ACH settings (JSON, see bank/nacha.Config)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("want run, pay, payslips or register")
	}
	if (*sepaFile != "" || *nachaFile != "") && fs.Arg(0) != "pay" {
		return usagef("--sepa and --nacha go with payroll pay")
	}
	month, err := parseMonthFlag(*period)
	if err != nil {
		return err
	}
	b, _, err := e.selectBook(ctx, "")
	if err != nil {
		return err
	}
	runs, err := e.payrollRuns(ctx, b.ID)
	if err != nil {
		return err
	}
	switch fs.Arg(0) {
	case "run":
		run, err := e.payMonth(ctx, runs, b.ID, month, *approve || *post || *pay, *post || *pay, *pay)
		var re *payroll.RunError
		if errors.As(err, &re) {
			for _, p := range re.Problems {
				fmt.Fprintf(os.Stderr, "books payroll: %s: %v\n", p.PersonnelNumber, p)
			}
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "run %s: %s\n", run.ID, run.Status)
		return nil
	case "pay":
		// Posted first, then the files (a run is paid only once its files
		// are written), then the payment entry. Every step is idempotent.
		run, err := e.payMonth(ctx, runs, b.ID, month, true, true, false)
		if err != nil {
			return err
		}
		if *sepaFile != "" || *nachaFile != "" {
			err := e.payFiles(ctx, runs, b.ID, b.Name, run.ID, *sepaFile, *fromIBAN, *fromBIC, *nachaFile, *nachaConfig, time.Now())
			if err != nil {
				return err
			}
		}
		if run, err = e.payMonth(ctx, runs, b.ID, month, true, true, true); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "run %s: %s\n", run.ID, run.Status)
		return nil
	case "payslips", "register":
	default:
		return usagef("unknown payroll command %q: want run, pay, payslips or register", fs.Arg(0))
	}
	switch *format {
	case "text", "csv", "json", "xlsx":
	default:
		return usagef("--format must be text, csv, json or xlsx")
	}
	id := runID(b.ID, month)
	src := payrollSource{runs, e.ledger, e.hr}
	var reports []reporting.Report
	if fs.Arg(0) == "register" {
		r, err := reporting.PayrollRegister(ctx, src, id, reporting.Options{})
		if err != nil {
			return err
		}
		reports = append(reports, r)
	} else {
		slips, err := runs.Payslips(ctx, id)
		if err != nil {
			return err
		}
		for _, s := range slips {
			r, err := reporting.Payslip(ctx, src, id, s.Employee, reporting.Options{})
			if err != nil {
				return err
			}
			reports = append(reports, r)
		}
	}
	w, done, err := e.output(*out)
	if err != nil {
		return err
	}
	if err := writeReports(w, *format, reports...); err != nil {
		return err
	}
	return done()
}

// payrollSource gives the payroll reports the runs, the book's name and the
// employees' cost centres.
type payrollSource struct {
	*payroll.Runs
	*ledger.Ledger
	*hr.Records
}

// parseMonthFlag parses --period.
func parseMonthFlag(s string) (date.Date, error) {
	if s == "" {
		return date.Date{}, usagef("--period YYYY-MM is required")
	}
	d, err := date.Parse(s + "-01")
	if err != nil || len(s) != 7 {
		return date.Date{}, usagef("--period %q: want YYYY-MM, years 1–9999", s)
	}
	return d, nil
}
