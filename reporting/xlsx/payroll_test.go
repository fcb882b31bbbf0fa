package xlsx_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/payroll/rules/generic"
	"github.com/openbackoffice/backoffice/reporting"
	"github.com/openbackoffice/backoffice/reporting/xlsx"
	"github.com/openbackoffice/backoffice/store/memory"
)

// payrollReports returns the register of a calculated March run and the
// payslip of acme/1002, built on a memory store with the generic pack
// (social contributions 10 % each side, tax 25 %, both on gross):
//
//	1001  CC-10  salary 4800.00: taxes 480.00 + 1200.00, net 3120.00,
//	             employer 480.00, cost 5280.00
//	1002  CC-20  salary 3900.00, pension deferral 100.00 (base 3800.00):
//	             taxes 380.00 + 950.00, net 3900.00 − 100.00 − 1330.00 =
//	             2470.00, employer 380.00,
//	             cost 4280.00
func payrollReports(t *testing.T) (register, slip reporting.Report) {
	t.Helper()
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 3, 27, 9, 0, 0, 0, time.UTC) }
	store := memory.New()
	books := ledger.New(store, &ledger.Options{Now: now})
	if err := books.CreateBook(ctx, ledger.Book{ID: "acme", Name: "ACME GmbH", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	if err := books.CreateAccounts(ctx, ledger.SKR04("acme")...); err != nil {
		t.Fatal(err)
	}
	records := hr.New(store, &hr.Options{Now: now})
	for _, e := range []struct {
		number, cc, salary string
		items              []hr.PayItem
	}{
		{"1001", "CC-10", "4800.00", nil},
		{"1002", "CC-20", "3900.00", []hr.PayItem{{Code: "pension", Kind: hr.PensionDeferral, Amount: eur("100.00")}}},
	} {
		emp, err := records.Hire(ctx, hr.Employee{Employer: "acme", PersonnelNumber: e.number, FamilyName: "Muster",
			HireDate: date.MustParse("2025-01-01"), CostCentre: e.cc})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := records.SetContract(ctx, hr.Contract{Employee: emp.ID, Effective: hr.Effective{ValidFrom: emp.HireDate},
			PayType: hr.Monthly, Amount: eur(e.salary), Frequency: hr.MonthlyPay,
			WeeklyHours: decimal.NewFromInt(40), WorkDays: hr.MondayToFriday, Items: e.items}); err != nil {
			t.Fatal(err)
		}
	}
	from := date.MustParse("2026-01-01")
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
		t.Fatal(err)
	}
	runs := payroll.New(store, &payroll.Options{Now: now, Packs: payroll.Packs{pack}, Accounts: payroll.SKR04Accounts()})
	period, err := payroll.Calendar{ID: "monthly", Frequency: hr.MonthlyPay}.PeriodOf(date.MustParse("2026-03-01"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := runs.CreateRun(ctx, payroll.RunSpec{ID: "2026-03", Book: "acme", Period: period}); err != nil {
		t.Fatal(err)
	}
	if _, err := runs.Calculate(ctx, "2026-03"); err != nil {
		t.Fatal(err)
	}
	src := struct {
		*payroll.Runs
		*ledger.Ledger
		*hr.Records
	}{runs, books, records}
	opts := reporting.Options{Now: func() time.Time { return generated }, Language: "en"}
	if register, err = reporting.PayrollRegister(ctx, src, "2026-03", opts); err != nil {
		t.Fatal(err)
	}
	if slip, err = reporting.Payslip(ctx, src, "2026-03", "acme/1002", opts); err != nil {
		t.Fatal(err)
	}
	return register, slip
}

// TestPayrollRoundTrip writes the register and a payslip with xlsx.Write
// and reads cells back: headings, texts, exact amounts and the formulas
// of subtotals and totals.
func TestPayrollRoundTrip(t *testing.T) {
	register, slip := payrollReports(t)
	var buf bytes.Buffer
	if err := xlsx.Write(&buf, []reporting.Report{register, slip}, nil); err != nil {
		t.Fatalf("Write: %v", err)
	}
	f := openBook(t, buf.Bytes())
	sheets := f.GetSheetList()
	if len(sheets) != 2 {
		t.Fatalf("sheets %q, want 2", sheets)
	}
	// Report row i is on sheet row HeaderRows+2+i: register rows are
	// 1001, CC-10, 1002, CC-20, Total on sheet rows 9–13; columns A label,
	// B employee, C cost centre, D gross … J employer cost.
	// Payslip rows: 0 Earnings, 1 salary, 2 Gross pay, 3 Pre-tax
	// deductions, 4 pension, 5 subtotal, 6 Taxes, 7 social.employee, 8
	// tax, 9 subtotal, 10 Net pay (sheet row 19); columns A code, B
	// description, C basis, D rate, E quantity, F amount, G year to date.
	tests := []struct {
		sheet, ref string
		value      string
		formula    bool // whether the cell must hold a formula
	}{
		{sheets[0], "A8", "Personnel no.", false},
		{sheets[0], "J8", "Employer cost", false},
		{sheets[0], "A9", "1001", false},
		{sheets[0], "B9", "acme/1001", false},
		{sheets[0], "C9", "CC-10", false},
		{sheets[0], "D9", "4800", false},
		{sheets[0], "I9", "480", false},
		{sheets[0], "J9", "5280", false},
		{sheets[0], "E11", "100", false},
		{sheets[0], "A12", "Cost centre CC-20", false},
		{sheets[0], "J12", "4280", true},
		{sheets[0], "A13", "Total", false},
		{sheets[0], "D13", "8700", true},
		{sheets[0], "H13", "5590", true}, // 3120.00 + 2470.00
		{sheets[0], "J13", "9560", true},
		{sheets[1], "A10", "salary", false},
		{sheets[1], "F10", "3900", false},
		{sheets[1], "B11", "Gross pay", false},
		{sheets[1], "F11", "3900", true},
		{sheets[1], "C16", "3800", false},
		{sheets[1], "D16", "10 %", false},
		{sheets[1], "F17", "950", false},
		{sheets[1], "B19", "Net pay", false},
		{sheets[1], "F19", "2470", true},
	}
	for _, tt := range tests {
		got, err := f.GetCellValue(tt.sheet, tt.ref, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.value {
			t.Errorf("%s!%s = %q, want %q", tt.sheet, tt.ref, got, tt.value)
		}
		formula, err := f.GetCellFormula(tt.sheet, tt.ref)
		if err != nil {
			t.Fatal(err)
		}
		if (formula != "") != tt.formula {
			t.Errorf("%s!%s formula %q, want one: %v", tt.sheet, tt.ref, formula, tt.formula)
		}
	}
}
