package reporting_test

import (
	"bytes"
	"context"
	"errors"
	"log"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/payroll/rules/generic"
	"github.com/openbackoffice/backoffice/reporting"
	"github.com/openbackoffice/backoffice/store/memory"
)

// payrollBook is a pay run setup on one memory store: the ledger, the HR
// records and the runs.
type payrollBook struct {
	books   *ledger.Ledger
	records *hr.Records
	runs    *payroll.Runs
}

// source is the runs with the book (company name, currency) and the HR
// records (cost centres).
func (p payrollBook) source() reporting.PayrollSource {
	return struct {
		*payroll.Runs
		*ledger.Ledger
		*hr.Records
	}{p.runs, p.books, p.records}
}

// newPayroll sets up book "acme" (SKR04, EUR) with three employees paid
// monthly by the generic pack of payroll/example_run_test.go — social
// contributions of 10 % for the employee and 10 % for the employer, and a
// flat tax of 25 %, both on the base "gross" — and posts the February run
// "2026-02". The March run "2026-03" is created, calculated, approved and
// posted too; "2026-04" is only created.
//
//	no.   cost centre  salary   pension deferral  garnishment
//	1001  CC-10        4800.00
//	1002  CC-20        3900.00  100.00            50.00
//	1003  CC-10        3000.00
func newPayroll(t testing.TB) payrollBook {
	t.Helper()
	p, err := buildPayroll()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func buildPayroll() (payrollBook, error) {
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 3, 27, 9, 0, 0, 0, time.UTC) }
	store := memory.New()
	books := ledger.New(store, &ledger.Options{Now: now})
	if err := books.CreateBook(ctx, ledger.Book{ID: "acme", Name: "ACME GmbH", Currency: money.EUR}); err != nil {
		return payrollBook{}, err
	}
	if err := books.CreateAccounts(ctx, ledger.SKR04("acme")...); err != nil {
		return payrollBook{}, err
	}
	records := hr.New(store, &hr.Options{Now: now})
	for _, e := range []struct {
		number, cc, salary string
		items              []hr.PayItem
	}{
		{"1001", "CC-10", "4800.00", nil},
		{"1002", "CC-20", "3900.00", []hr.PayItem{
			{Code: "pension", Kind: hr.PensionDeferral, Amount: eur("100.00")},
			{Code: "court", Kind: hr.Garnishment, Amount: eur("50.00")},
		}},
		{"1003", "CC-10", "3000.00", nil},
	} {
		emp, err := records.Hire(ctx, hr.Employee{Employer: "acme", PersonnelNumber: e.number, FamilyName: "Muster",
			HireDate: d("2025-01-01"), CostCentre: e.cc})
		if err != nil {
			return payrollBook{}, err
		}
		if _, err := records.SetContract(ctx, hr.Contract{Employee: emp.ID, Effective: hr.Effective{ValidFrom: emp.HireDate},
			PayType: hr.Monthly, Amount: eur(e.salary), Frequency: hr.MonthlyPay,
			WeeklyHours: decimal.NewFromInt(40), WorkDays: hr.MondayToFriday, Items: e.items}); err != nil {
			return payrollBook{}, err
		}
	}
	from := d("2026-01-01")
	pack, err := generic.New(generic.Config{
		ID: "generic", Version: "2026", ValidFrom: from, Rounding: money.HalfUp,
		Proration: payroll.Proration{Method: payroll.CalendarDays}, Bases: []string{"gross"},
		Contributions: []generic.Contribution{{Code: "social", Base: "gross", Rounding: money.HalfUp,
			Rates: payroll.Table[generic.Rates]{{From: from, Value: generic.Rates{
				Employee: decimal.RequireFromString("0.10"), Employer: decimal.RequireFromString("0.10")}}}}},
		Taxes: []generic.Tax{{Code: "tax", Base: "gross", Rounding: money.HalfUp,
			Brackets: payroll.Table[[]generic.Bracket]{{From: from, Value: []generic.Bracket{{Rate: decimal.RequireFromString("0.25")}}}}}},
	})
	if err != nil {
		return payrollBook{}, err
	}
	runs := payroll.New(store, &payroll.Options{Now: now, Packs: payroll.Packs{pack}, Accounts: payroll.SKR04Accounts()})
	cal := payroll.Calendar{ID: "monthly", Frequency: hr.MonthlyPay}
	for _, id := range []string{"2026-02", "2026-03", "2026-04"} {
		period, err := cal.PeriodOf(d(id + "-01"))
		if err != nil {
			return payrollBook{}, err
		}
		if _, err := runs.CreateRun(ctx, payroll.RunSpec{ID: id, Book: "acme", Period: period}); err != nil {
			return payrollBook{}, err
		}
		if id == "2026-04" {
			break
		}
		if _, err := runs.Calculate(ctx, id); err != nil {
			return payrollBook{}, err
		}
		if _, err := runs.Approve(ctx, id); err != nil {
			return payrollBook{}, err
		}
		if _, err := runs.Post(ctx, id); err != nil {
			return payrollBook{}, err
		}
	}
	return payrollBook{books, records, runs}, nil
}

func payrollOpts() reporting.Options { return reporting.Options{Now: clock, Language: "en"} }

// The March register, worked by hand (amounts per employee):
//
//	1001: gross 4800.00; social 10 % of 4800.00 = 480.00 each side; tax
//	      25 % = 1200.00; taxes and contributions 1680.00; net 4800.00 −
//	      1680.00 = 3120.00; employer cost 4800.00 + 480.00 = 5280.00.
//	1002: gross 3900.00; pension deferral 100.00 lowers the base to
//	      3800.00: social 380.00 each side, tax 950.00, taxes 1330.00;
//	      garnishment 50.00 after tax; net 3900.00 − 100.00 − 1330.00 −
//	      50.00 = 2420.00; employer cost 3900.00 + 380.00 = 4280.00.
//	1003: gross 3000.00; social 300.00 each side; tax 750.00; taxes
//	      1050.00; net 1950.00; employer cost 3300.00.
//
// CC-10 (1001, 1003): 7800.00 | 0.00 | 2730.00 | 0.00 | 5070.00 | 780.00 | 8580.00
// CC-20 (1002):       3900.00 | 100.00 | 1330.00 | 50.00 | 2420.00 | 380.00 | 4280.00
// Total: 11700.00 | 100.00 | 4060.00 | 50.00 | 7490.00 | 1160.00 | 12860.00,
// and 7490.00 + 100.00 + 4060.00 + 50.00 = 11700.00.
func TestPayrollRegister(t *testing.T) {
	p := newPayroll(t)
	ctx := context.Background()
	tests := []struct {
		name    string
		src     reporting.PayrollSource
		company string
		want    []string
	}{
		{"by cost centre", p.source(), "ACME GmbH", []string{
			"detail 1 1001 | 4800.00 | 0.00 | 1680.00 | 0.00 | 3120.00 | 480.00 | 5280.00",
			"detail 1 1003 | 3000.00 | 0.00 | 1050.00 | 0.00 | 1950.00 | 300.00 | 3300.00",
			"subtotal 0 Cost centre CC-10 | 7800.00 | 0.00 | 2730.00 | 0.00 | 5070.00 | 780.00 | 8580.00",
			"detail 1 1002 | 3900.00 | 100.00 | 1330.00 | 50.00 | 2420.00 | 380.00 | 4280.00",
			"subtotal 0 Cost centre CC-20 | 3900.00 | 100.00 | 1330.00 | 50.00 | 2420.00 | 380.00 | 4280.00",
			"total 0 Total | 11700.00 | 100.00 | 4060.00 | 50.00 | 7490.00 | 1160.00 | 12860.00",
		}},
		// The runs alone: no cost centres, no company name, the payslips'
		// currency.
		{"runs only", p.runs, "", []string{
			"detail 0 1001 | 4800.00 | 0.00 | 1680.00 | 0.00 | 3120.00 | 480.00 | 5280.00",
			"detail 0 1002 | 3900.00 | 100.00 | 1330.00 | 50.00 | 2420.00 | 380.00 | 4280.00",
			"detail 0 1003 | 3000.00 | 0.00 | 1050.00 | 0.00 | 1950.00 | 300.00 | 3300.00",
			"total 0 Total | 11700.00 | 100.00 | 4060.00 | 50.00 | 7490.00 | 1160.00 | 12860.00",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := reporting.PayrollRegister(ctx, tt.src, "2026-03", payrollOpts())
			if err != nil {
				t.Fatal(err)
			}
			checkReport(t, r)
			if diff := cmp.Diff(lines(r), tt.want); diff != "" {
				t.Errorf("rows (-got +want):\n%s", diff)
			}
			head := []any{r.Kind, r.Title, r.Company, r.Book, r.Currency, r.From, r.To, r.Filter, len(r.Checks)}
			wantHead := []any{reporting.PayrollRegisterReport, "Payroll register, pay date 2026-03-31", tt.company, "acme",
				money.EUR, d("2026-03-01"), d("2026-03-31"), "run=2026-03", 2}
			if diff := cmp.Diff(head, wantHead, cmp.Comparer(func(a, b date.Date) bool { return a == b }),
				cmp.Comparer(func(a, b money.Currency) bool { return a == b })); diff != "" {
				t.Errorf("header (-got +want):\n%s", diff)
			}
		})
	}
}

// The March payslip of 1002, worked by hand: salary 3900.00; pension
// deferral 100.00; social.employee 10 % of 3800.00 = 380.00, tax 25 % of
// 3800.00 = 950.00; garnishment 50.00; net 3900.00 − 100.00 − 1330.00 −
// 50.00 = 2420.00; social.employer 380.00. Year to date (February and
// March alike): twice each figure, gross 7800.00, net 4840.00.
func TestPayslip(t *testing.T) {
	p := newPayroll(t)
	r, err := reporting.Payslip(context.Background(), p.source(), "2026-03", "acme/1002", payrollOpts())
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, r)
	want := []string{
		"heading 0 Earnings |  |  | ",
		"detail 1 Salary |  | 3900.00 | 7800.00",
		"subtotal 0 Gross pay |  | 3900.00 | ",
		"heading 0 Pre-tax deductions |  |  | ",
		"detail 1 pension_deferral.pension |  | 100.00 | 200.00",
		"subtotal 0 Total pre-tax deductions |  | 100.00 | ",
		"heading 0 Taxes and contributions |  |  | ",
		"detail 1 social.employee | 3800.00 | 380.00 | 760.00",
		"detail 1 tax | 3800.00 | 950.00 | 1900.00",
		"subtotal 0 Total taxes and contributions |  | 1330.00 | ",
		"heading 0 Post-tax deductions |  |  | ",
		"detail 1 garnishment.court |  | 50.00 | 100.00",
		"subtotal 0 Total post-tax deductions |  | 50.00 | ",
		"total 0 Net pay |  | 2420.00 | ",
		"heading 0 Employer contributions |  |  | ",
		"detail 1 social.employer | 3800.00 | 380.00 | 760.00",
		"subtotal 0 Total employer contributions |  | 380.00 | ",
		"heading 0 Year to date |  |  | ",
		"detail 1 Gross pay |  |  | 7800.00",
		"detail 1 Net pay |  |  | 4840.00",
	}
	if diff := cmp.Diff(lines(r), want); diff != "" {
		t.Errorf("rows (-got +want):\n%s", diff)
	}
	if r.Kind != reporting.PayslipReport || r.Title != "Payslip, personnel no. 1002, pay date 2026-03-31" ||
		r.Filter != "run=2026-03, employee=acme/1002" {
		t.Errorf("header %s %q %q", r.Kind, r.Title, r.Filter)
	}
}

func ExamplePayrollRegister() {
	p, err := buildPayroll() // book acme, three employees, the March run posted
	if err != nil {
		log.Fatal(err)
	}
	// The runs, with the ledger for the company's name and the HR records
	// for the cost centres.
	src := struct {
		*payroll.Runs
		*ledger.Ledger
		*hr.Records
	}{p.runs, p.books, p.records}
	r, err := reporting.PayrollRegister(context.Background(), src, "2026-03", reporting.Options{Now: generated, Language: "en"})
	if err != nil {
		log.Fatal(err)
	}
	if err := reporting.WriteText(os.Stdout, r, nil); err != nil {
		log.Fatal(err)
	}
	// Output:
	// Payroll register, pay date 2026-03-31 — ACME GmbH
	// 2026-03-01 – 2026-03-31, EUR, run=2026-03
	//
	// Personnel no.      Employee ID  Cost centre  Gross pay  Pre-tax deductions  Taxes and contributions  Post-tax deductions   Net pay  Employer contributions  Employer cost
	// -----------------  -----------  -----------  ---------  ------------------  -----------------------  -------------------  --------  ----------------------  -------------
	//   1001             acme/1001    CC-10         4,800.00                0.00                 1,680.00                 0.00  3,120.00                  480.00       5,280.00
	//   1003             acme/1003    CC-10         3,000.00                0.00                 1,050.00                 0.00  1,950.00                  300.00       3,300.00
	//                                              ---------  ------------------  -----------------------  -------------------  --------  ----------------------  -------------
	// Cost centre CC-10               CC-10         7,800.00                0.00                 2,730.00                 0.00  5,070.00                  780.00       8,580.00
	//   1002             acme/1002    CC-20         3,900.00              100.00                 1,330.00                50.00  2,420.00                  380.00       4,280.00
	//                                              ---------  ------------------  -----------------------  -------------------  --------  ----------------------  -------------
	// Cost centre CC-20               CC-20         3,900.00              100.00                 1,330.00                50.00  2,420.00                  380.00       4,280.00
	//                                              =========  ==================  =======================  ===================  ========  ======================  =============
	// Total                                        11,700.00              100.00                 4,060.00                50.00  7,490.00                1,160.00      12,860.00
	//
	// Checks
	//   ✓ Σ gross = Σ net + Σ deductions + Σ taxes: 11,700.00 = 11,700.00
	//   ✓ Σ employer cost = Σ gross + Σ employer contributions: 12,860.00 = 12,860.00
}

func TestPayrollGolden(t *testing.T) {
	p := newPayroll(t)
	ctx := context.Background()
	for _, tt := range []struct {
		name  string
		build func() (reporting.Report, error)
	}{
		{"register", func() (reporting.Report, error) {
			return reporting.PayrollRegister(ctx, p.source(), "2026-03", payrollOpts())
		}},
		{"payslip-1002", func() (reporting.Report, error) {
			return reporting.Payslip(ctx, p.source(), "2026-03", "acme/1002", payrollOpts())
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := tt.build()
			if err != nil {
				t.Fatal(err)
			}
			var txt, csvBuf, js bytes.Buffer
			if err := reporting.WriteText(&txt, r, nil); err != nil {
				t.Fatal(err)
			}
			if err := reporting.WriteCSV(&csvBuf, r, nil); err != nil {
				t.Fatal(err)
			}
			if err := reporting.WriteJSON(&js, r); err != nil {
				t.Fatal(err)
			}
			golden(t, "payroll-"+tt.name+".txt", txt.Bytes())
			golden(t, "payroll-"+tt.name+".csv", csvBuf.Bytes())
			golden(t, "payroll-"+tt.name+".json", js.Bytes())
		})
	}
}

func TestPayrollErrors(t *testing.T) {
	p := newPayroll(t)
	ctx := context.Background()
	register := func(run string, o reporting.Options) func() error {
		return func() error { _, err := reporting.PayrollRegister(ctx, p.source(), run, o); return err }
	}
	slip := func(run, emp string) func() error {
		return func() error { _, err := reporting.Payslip(ctx, p.source(), run, emp, payrollOpts()); return err }
	}
	tests := []struct {
		name     string
		call     func() error
		want     error
		employee string
	}{
		{"unknown run", register("2027-01", payrollOpts()), payroll.ErrRunNotFound, ""},
		{"not calculated", register("2026-04", payrollOpts()), reporting.ErrNotCalculated, ""},
		{"payslip of a run not calculated", slip("2026-04", "acme/1001"), reporting.ErrNotCalculated, "acme/1001"},
		{"payslip of an unknown run", slip("nope", "acme/1001"), payroll.ErrRunNotFound, "acme/1001"},
		{"unknown employee", slip("2026-03", "acme/9999"), reporting.ErrNotInRun, "acme/9999"},
		{"date range", register("2026-03", opts("", "2026-03-31")), reporting.ErrOption, ""},
		{"dimension", register("2026-03", reporting.Options{Dimension: ledger.Dimension{Name: "cost_centre", Value: "CC-10"}}), reporting.ErrOption, ""},
		{"other currency", register("2026-03", reporting.Options{Currency: money.USD}), reporting.ErrCurrency, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			var pe *reporting.PayrollError
			if !errors.As(err, &pe) {
				t.Fatalf("got %T, want a *reporting.PayrollError", err)
			}
			if pe.Employee != tt.employee || pe.Run == "" {
				t.Errorf("got run %q employee %q, want employee %q", pe.Run, pe.Employee, tt.employee)
			}
			// No personal data: no names, no amounts, no employee ID
			// (free text, may be an e-mail address), but its reference.
			if tt.employee != "" && (strings.Contains(err.Error(), tt.employee) || !strings.Contains(err.Error(), hr.IDRef(tt.employee))) {
				t.Errorf("error %q names the employee ID, not %s", err, hr.IDRef(tt.employee))
			}
			for _, s := range []string{"Muster", "4800", "3900", "3000"} {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error %q contains %q", err, s)
				}
			}
		})
	}
}
