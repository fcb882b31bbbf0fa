package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/bank/sepa"
	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/examples/closebatch/batch"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/interchange/datev"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/partners"
	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/reporting"
	"github.com/openbackoffice/backoffice/reporting/xlsx"
)

// demoBook is the demo company's book ID.
const demoBook = "demo"

func runDemo(ctx context.Context, e *env, args []string) error {
	fs := e.flags("demo", "[--employees N] [--year Y] [-o FILE]")
	employees := fs.Int("employees", 5, "employees to hire and pay every month (German rule pack)")
	year := fs.Int("year", time.Now().Year()-1, "the demo year")
	out := fs.String("o", "demo.xlsx", "the workbook to write")
	lang := fs.String("lang", "", "language of the workbook: "+strings.Join(reporting.Languages(), " or ")+" (default: the book's, English)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *year < 2000 || *year > 2999 || *employees < 0 {
		return usagef("--year must be 2000–2999 and --employees ≥ 0")
	}
	if *lang != "" && !slices.Contains(reporting.Languages(), *lang) {
		return usagef("--lang must be one of %v", reporting.Languages())
	}
	t0 := time.Now()
	if e.book == "" {
		e.book = demoBook
	}
	b, exists, err := e.selectBook(ctx, demoBook)
	if err != nil {
		return err
	}
	if exists {
		seq, err := e.head(ctx, b.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "book %s exists with %d entries; adding only what is missing\n", b.ID, seq)
	} else {
		b = ledger.Book{ID: b.ID, Name: "Demo Trading GmbH", Currency: money.EUR}
		if err := e.ledger.CreateBook(ctx, b); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "created book %s with the default chart\n", b.ID)
	}
	// Also after a run killed between creating the book and its chart.
	if _, err := e.ensureAccounts(ctx, b.ID, ledger.DefaultChart(b.ID)); err != nil {
		return err
	}
	if err := demoEmployees(ctx, e, b.ID, *year, *employees); err != nil {
		return err
	}
	months := demoEntries(b.ID, *year)
	trade := newDemoTrade(b.ID, *year)
	parties, err := e.parties(ctx, b.ID)
	if err != nil {
		return err
	}
	if err := parties.AddParties(ctx, trade.parties...); err != nil { // again: adds nothing
		return err
	}
	runs, err := e.payrollRuns(ctx, b.ID)
	if err != nil {
		return err
	}
	var posted, existing, closed, wasClosed, paid, docs int
	for m := 1; m <= 12; m++ {
		month := date.New(*year, time.Month(m), 1)
		p, err := e.ledger.Period(ctx, b.ID, month)
		if err != nil {
			return err
		}
		if p.State != ledger.Open {
			existing += len(months[m])
			wasClosed++
			continue
		}
		entries := months[m]
		if m > 1 {
			vat, ok, err := demoVATReturn(ctx, e.ledger, b.ID, *year, m)
			if err != nil {
				return err
			}
			if ok {
				entries = append(entries, vat)
			}
		}
		n, x, err := e.postAll(ctx, entries)
		if err != nil {
			return fmt.Errorf("post %s: %w", month.String()[:7], err)
		}
		posted, existing = posted+n, existing+x
		if n, err = trade.postMonth(ctx, parties, b.ID, m, "1120"); err != nil {
			return fmt.Errorf("customers and suppliers %s: %w", month.String()[:7], err)
		}
		docs += n
		if *employees > 0 {
			// Pay the month's salaries before it closes: calculated,
			// approved, posted and paid (idempotent, as the demo is).
			if _, err := e.payMonth(ctx, runs, b.ID, month, true, true, true); err != nil {
				return fmt.Errorf("payroll %s: %w", month.String()[:7], err)
			}
			paid++
		}
		if m == 12 {
			// December's bank statement, imported and reconciled.
			if err := demoBank(ctx, e, parties, b.ID, month); err != nil {
				return fmt.Errorf("bank %s: %w", month.String()[:7], err)
			}
		}
		if _, err := batch.ClosePeriod(ctx, e.ledger, b.ID, month, e.closeChecks()...); err != nil {
			return fmt.Errorf("close %s: %w", month.String()[:7], err)
		}
		closed++
	}
	fmt.Fprintf(os.Stderr, "entries: %d posted, %d existed; invoices and payments: %d; months: %d closed, %d were closed; pay runs: %d paid\n", posted, existing, docs, closed, wasClosed, paid)
	// The open items must add up to the control accounts: a report check.
	rec, err := parties.Reconcile(ctx, b.ID, date.New(*year, 12, 31))
	if err != nil {
		return err
	}
	for _, r := range rec {
		if !r.OK() {
			return fmt.Errorf("open %s %s differ from account %s (%s)", r.Kind, r.Items, r.Account, r.Balance)
		}
		fmt.Fprintf(os.Stderr, "open %ss: %s, equal to account %s\n", r.Kind, r.Items, r.Account)
	}
	if *employees > 0 {
		if err := demoSEPA(ctx, e, runs, b, *year, strings.TrimSuffix(*out, filepath.Ext(*out))+"-sepa"); err != nil {
			return err
		}
	}
	if err := demoWorkbook(ctx, e, b.ID, *year, *lang, *out); err != nil {
		return err
	}
	if err := demoInterchange(ctx, e, b.ID, *year, strings.TrimSuffix(*out, filepath.Ext(*out))); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %s in %v\n", *out, time.Since(t0).Round(time.Millisecond))
	return nil
}

// Demo DATEV numbers: the consultant and client numbers of the demo's
// Buchungsstapel.
const (
	demoConsultant = 1001
	demoClient     = 1
)

// demoInterchange writes the year's DATEV Buchungsstapel to
// BASE-datev-YEAR.csv and its GoBD export into BASE-gobd-YEAR/. The
// batch's creation time is fixed (1 February of the next year, 09:00 UTC)
// so that a rerun writes the same bytes.
func demoInterchange(ctx context.Context, e *env, book string, year int, base string) error {
	b, err := e.ledger.Book(ctx, book)
	if err != nil {
		return err
	}
	// Stored with the book (again: the same values), so that books export
	// datev on the demo needs no flags.
	st := datev.Settings{Book: book, Consultant: demoConsultant, Client: demoClient, AccountLength: 4}
	if ss, ok := e.store.(datev.SettingsStore); ok {
		if err := ss.SetDatevSettings(ctx, st); err != nil {
			return err
		}
	}
	o, err := e.datevOptions(ctx, book, st.Consultant, st.Client, st.AccountLength)
	if err != nil {
		return err
	}
	o.Created = time.Date(year+1, time.February, 1, 9, 0, 0, 0, time.UTC)
	first, last := b.FiscalYearRange(year)
	path := fmt.Sprintf("%s-datev-%d.csv", base, year)
	if _, err := e.writeDatev(ctx, b, year, first, last, o, path); err != nil {
		return fmt.Errorf("DATEV export: %w", err)
	}
	dir := fmt.Sprintf("%s-gobd-%d", base, year)
	if err := writeGoBD(ctx, e.ledger, b, o.Chart, year, dir); err != nil {
		return fmt.Errorf("GoBD export: %w", err)
	}
	fmt.Fprintf(os.Stderr, "wrote %s and %s%c\n", path, dir, filepath.Separator)
	return nil
}

// demoEmployees hires n employees with monthly contracts, skipping those hired before.
func demoEmployees(ctx context.Context, e *env, book string, year, n int) error {
	names := []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann"}
	given := []string{"Anna", "Jonas", "Lea", "Felix", "Marie", "Paul", "Sophie", "Lukas", "Emma", "Ben"}
	hired := 0
	for i := range n {
		emp := hr.Employee{Employer: book, PersonnelNumber: fmt.Sprintf("%04d", 1001+i),
			GivenName: given[i%len(given)], FamilyName: names[i%len(names)],
			HireDate: date.New(year, 1, 1), Department: "Operations", CostCentre: []string{"100", "200"}[i%2]}
		emp.Bank = hr.BankAccount{IBAN: demoIBAN("37040044", fmt.Sprintf("%010d", 532013000+i))}
		got, err := e.hr.Hire(ctx, emp)
		if errors.Is(err, hr.ErrDuplicate) {
			// Hired by an earlier run, which may have been killed before the
			// contract or the tax profile: add what is missing (a demo
			// database of an older version had no bank accounts).
			if got, err = e.hr.EmployeeByNumber(ctx, book, emp.PersonnelNumber); err != nil {
				return err
			}
			if got.Bank.IsZero() {
				got.Bank = emp.Bank
				if got, err = e.hr.UpdateEmployee(ctx, got); err != nil {
					return err
				}
			}
		} else if err != nil {
			return err
		} else {
			hired++
		}
		if _, err := e.hr.Contract(ctx, got.ID, got.HireDate, time.Time{}); errors.Is(err, hr.ErrNotFound) {
			_, err = e.hr.SetContract(ctx, hr.Contract{Employee: got.ID,
				Effective: hr.Effective{ValidFrom: got.HireDate}, PayType: hr.Monthly,
				Amount: money.New(int64(380000+25000*(i%8)), money.EUR), Frequency: hr.MonthlyPay,
				WeeklyHours: decimal.NewFromInt(40), WorkDays: hr.MondayToFriday})
			if err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		if _, err := e.hr.TaxProfile(ctx, got.ID, got.HireDate, time.Time{}); !errors.Is(err, hr.ErrNotFound) {
			if err != nil {
				return err
			}
			continue
		}
		// German wage tax and social insurance: tax classes I, III and IV
		// in turn, church tax for every other one, the average health
		// insurance supplement of the year.
		_, err = e.hr.SetTaxProfile(ctx, hr.TaxProfile{Employee: got.ID,
			Effective: hr.Effective{ValidFrom: got.HireDate}, Jurisdiction: "DE",
			DE: hr.GermanTax{TaxClass: []int{1, 3, 4}[i%3], ChurchTax: i%2 == 0, State: "NW",
				ChildAllowances:  decimal.NewFromInt(int64(i % 3 / 2)),
				HealthSupplement: decimal.RequireFromString(map[bool]string{true: "2.5", false: "2.9"}[year < 2026])}})
		if err != nil {
			return err
		}
	}
	if n > 0 {
		fmt.Fprintf(os.Stderr, "employees: %d hired, %d existed\n", hired, n-hired)
	}
	return nil
}

// demoEntries generates the deterministic entries of the year that involve
// no customer or supplier, by month: the opening balances, rent,
// insurance, bank fees, loan service and depreciation. Sales, purchases
// and their payments come from demoTrade, the VAT returns from the books
// (demoVATReturn).
// Every entry has a key that depends only on the year and its position, so
// a rerun posts nothing twice.
func demoEntries(book string, year int) map[int][]ledger.Entry {
	r := rand.New(rand.NewPCG(uint64(year), 42))
	eur := func(cents int64) money.Amount { return money.New(cents, money.EUR) }
	months := map[int][]ledger.Entry{}
	add := func(e ledger.Entry) {
		if e.Date.Year() != year {
			return
		}
		e.Book = book
		months[int(e.Date.Month())] = append(months[int(e.Date.Month())], e)
	}
	d := func(m, day int) date.Date {
		first := date.New(year, time.Month(m), 1)
		return first.AddDays(min(day, first.EndOfMonth().Day()) - 1)
	}
	add(ledger.Entry{Key: fmt.Sprintf("demo/%d/opening", year), Date: d(1, 1), Description: "Opening balances", Journal: "OB",
		Lines: []ledger.Line{
			ledger.Debit("1120", eur(5000000)), ledger.Debit("1530", eur(2400000)), ledger.Debit("1540", eur(3600000)),
			ledger.Credit("3100", eur(2500000)), ledger.Credit("2510", eur(6000000)), ledger.Credit("3200", eur(2500000)),
		}})
	for m := 1; m <= 12; m++ {
		k := func(s string) string { return fmt.Sprintf("demo/%d/%02d/%s", year, m, s) }
		add(ledger.Entry{Key: k("rent"), Date: d(m, 3), Journal: "BANK", Description: "Office rent",
			Lines: []ledger.Line{ledger.Debit("6200", eur(350000)), ledger.Credit("1120", eur(350000))}})
		if m%3 == 1 {
			add(ledger.Entry{Key: k("insurance"), Date: d(m, 5), Journal: "BANK", Description: "Insurance, quarterly",
				Lines: []ledger.Line{ledger.Debit("6300", eur(120000)), ledger.Credit("1120", eur(120000))}})
		}
		add(ledger.Entry{Key: k("bank-fees"), Date: d(m, 31), Journal: "BANK", Description: "Bank fees",
			Lines: []ledger.Line{ledger.Debit("6900", eur(4500+r.Int64N(3000))), ledger.Credit("1120", eur(0))}})
		fees := &months[m][len(months[m])-1]
		fees.Lines[1].Amount = fees.Lines[0].Amount.Neg()
		interest := int64(6000000-100000*(m-1)) * 4 / 100 / 12
		add(ledger.Entry{Key: k("loan"), Date: d(m, 28), Journal: "BANK", Description: "Loan instalment",
			Lines: []ledger.Line{ledger.Debit("6950", eur(interest)), ledger.Debit("2510", eur(100000)), ledger.Credit("1120", eur(interest+100000))}})
		add(ledger.Entry{Key: k("depreciation"), Date: d(m, 31), Journal: "GL", Description: "Depreciation",
			Lines: []ledger.Line{ledger.Debit("6800", eur(90000)), ledger.Credit("1590", eur(90000))}})
	}
	return months
}

// demoWorkbook writes every report of the demo year to one workbook: trial
// balance, balance sheet, monthly income statement and cash flow, the bank
// statement, December's payroll register and the general ledger
// (streamed), with charts: revenue, expenses and result by month, the
// balance sheet's composition, the cash position at each month end and
// December's payroll cost by cost centre.
func demoWorkbook(ctx context.Context, e *env, book string, year int, lang, path string) error {
	to := date.New(year, 12, 31)
	opts := reporting.Options{From: date.New(year, 1, 1), To: to, Language: lang}
	var reports []reporting.Report
	tb, err := reporting.TrialBalance(ctx, e.ledger, book, opts)
	if err != nil {
		return err
	}
	bsOpts := opts
	bsOpts.From = date.Date{}
	bs, err := reporting.BalanceSheet(ctx, e.ledger, book, bsOpts)
	if err != nil {
		return err
	}
	monthly := opts
	monthly.Compare = reporting.Monthly
	is, err := reporting.IncomeStatement(ctx, e.ledger, book, monthly)
	if err != nil {
		return err
	}
	cf, err := reporting.CashFlow(ctx, e.ledger, book, monthly)
	if err != nil {
		return err
	}
	bank, err := reporting.AccountStatement(ctx, e.ledger, book, "1120", opts)
	if err != nil {
		return err
	}
	reports = append(reports, tb, bs, is, cf, bank)
	// The customers' and suppliers' open items and the receivables' aging
	// at the year end, each with its check against the control account.
	if p, err := e.parties(ctx, book); err == nil {
		src := partnerReportSource{p, e.ledger}
		for _, k := range []partners.ItemKind{partners.Receivable, partners.Payable} {
			r, err := reporting.OpenItems(ctx, src, book, reporting.PartnerOptions{Kind: k, AsOf: to, Language: lang})
			if err != nil {
				return err
			}
			reports = append(reports, r)
		}
		ag, err := reporting.Aging(ctx, src, book, reporting.PartnerOptions{Kind: partners.Receivable, AsOf: to, Language: lang})
		if err != nil {
			return err
		}
		reports = append(reports, ag)
	}
	xo := &xlsx.Options{}
	// The payroll register of December, if the demo has employees.
	if runs, err := e.payrollRuns(ctx, book); err == nil {
		id := runID(book, date.New(year, 12, 1))
		if _, err := runs.Run(ctx, id); err == nil {
			reg, err := reporting.PayrollRegister(ctx, payrollSource{runs, e.ledger, e.hr}, id, reporting.Options{Language: lang})
			if err != nil {
				return err
			}
			var centres []int
			for i, row := range reg.Rows {
				if row.Kind == reporting.SubtotalRow {
					centres = append(centres, i)
				}
			}
			cost := slices.IndexFunc(reg.Columns, func(c reporting.Column) bool { return c.Key == "employer_cost" })
			if len(centres) > 0 && cost >= 0 {
				msg := reporting.MessagesFor(reg.Language)
				xo.Series = append(xo.Series, xlsx.SeriesChart{Report: len(reports), Type: xlsx.BarChart, ByColumn: true,
					Title: msg.Sprintf("Payroll cost by cost centre (%s)", reg.Currency.Code()), Rows: centres, Columns: []int{cost}})
			}
			reports = append(reports, reg)
		}
	}
	if rev, exp, res := is.LineRow("revenue"), is.LineRow("operating_expenses"), is.LineRow("net_income"); rev >= 0 && exp >= 0 && res >= 0 {
		xo.Monthly = &xlsx.MonthlyChart{Report: 2, Revenue: rev, Expenses: exp, Result: res}
	}
	var assets, liab []int
	for _, id := range []string{"current_assets", "fixed_assets"} {
		if i := bs.LineRow(id); i >= 0 {
			assets = append(assets, i)
		}
	}
	for _, id := range []string{"liabilities", "equity"} {
		if i := bs.LineRow(id); i >= 0 {
			liab = append(liab, i)
		}
	}
	if len(assets) > 0 && len(liab) > 0 {
		xo.Composition = &xlsx.CompositionChart{Report: 1, Column: 1, Assets: assets, Liabilities: liab}
	}
	if end := cf.LineRow("cash_end"); end >= 0 {
		msg := reporting.MessagesFor(cf.Language)
		xo.Series = append([]xlsx.SeriesChart{{Report: 3, Type: xlsx.LineChart, Rows: []int{end},
			Title: msg.Sprintf("Cash position at month end (%s)", cf.Currency.Code())}}, xo.Series...)
	}
	wb := xlsx.New(xo)
	defer wb.Close()
	for _, r := range reports {
		if err := wb.AddReport(r); err != nil {
			return err
		}
	}
	gl, rows, err := reporting.GeneralLedgerRows(ctx, e.ledger, book, opts)
	if err != nil {
		return err
	}
	if err := wb.AddRows(gl, rows); err != nil {
		return err
	}
	w, done, err := e.output(path)
	if err != nil {
		return err
	}
	if _, err := wb.WriteTo(w); err != nil {
		return err
	}
	return done()
}

// demoDebtor is the demo company's bank account (a published example IBAN).
var demoDebtor = sepa.Party{Name: "Demo Trading GmbH", Account: hr.BankAccount{IBAN: "DE02120300000000202051", BIC: "BYLADEM1001"}}

// demoSEPA writes the SEPA salary transfers of every paid month of the year
// into dir as YYYY-MM.xml, created at 08:00 UTC on the pay date, so a rerun
// writes the same bytes again.
func demoSEPA(ctx context.Context, e *env, runs *payroll.Runs, b ledger.Book, year int, dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	var files, changes int
	for m := 1; m <= 12; m++ {
		id := runID(b.ID, date.New(year, time.Month(m), 1))
		run, err := runs.Run(ctx, id)
		if errors.Is(err, payroll.ErrRunNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if run.Status != payroll.Posted && run.Status != payroll.Paid {
			continue
		}
		pay, err := runs.Transfers(ctx, id, time.Time{})
		if err != nil {
			return err
		}
		ts, err := sepa.Salaries(pay, demoDebtor)
		if err != nil {
			return err
		}
		created := run.Period.PayDate.Time().Add(8 * time.Hour)
		path := filepath.Join(dir, id[len(b.ID)+1:]+".xml")
		err = e.writePrivate(path, func(w io.Writer) error {
			res, err := sepa.Write(w, sepa.Message{ID: messageID(id, created), CreatedAt: created,
				InitiatingParty: b.Name, BatchBooking: true, Transfers: ts})
			changes += len(res.Changes)
			return err
		})
		if err != nil {
			return fmt.Errorf("SEPA file %s: %w", path, err)
		}
		files++
	}
	fmt.Fprintf(os.Stderr, "SEPA salary transfers: %d files in %s (%d names converted to the SEPA character set)\n", files, dir, changes)
	return nil
}

// demoIBAN returns the German IBAN of a bank code and account number, with
// its ISO 13616 check digits: 98 − (BBAN "DE00" as digits mod 97).
func demoIBAN(blz, account string) string {
	bban := blz + account
	rem := 0
	for _, c := range bban + "131400" { // D = 13, E = 14, check digits 00
		rem = (rem*10 + int(c-'0')) % 97
	}
	return fmt.Sprintf("DE%02d%s", 98-rem, bban)
}
