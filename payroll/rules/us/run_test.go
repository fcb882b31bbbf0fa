package us_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/payroll/rules/us"
	"github.com/openbackoffice/backoffice/store/memory"
)

// TestPostedRun posts a biweekly US pay run on the default chart and checks
// each liability and expense account against the payslip worked by hand in
// ExampleNew: 3,000.00 salary, FIT 83.69, Social Security 182.90 each side,
// Medicare 42.78 each side, FUTA 17.70, 401(k) 150.00 and section 125
// 50.00 withheld; net 2,490.63.
func TestPostedRun(t *testing.T) {
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC) }
	store := memory.New()
	books := ledger.New(store, &ledger.Options{Now: now})
	if err := books.CreateBook(ctx, ledger.Book{ID: "acme", Currency: money.USD}); err != nil {
		t.Fatal(err)
	}
	if err := books.CreateAccounts(ctx, ledger.DefaultChart("acme")...); err != nil {
		t.Fatal(err)
	}
	usd := func(s string) money.Amount { return money.MustParse(s, money.USD) }
	records := hr.New(store, &hr.Options{Now: now})
	emp, err := records.Hire(ctx, hr.Employee{Employer: "acme", PersonnelNumber: "12", FamilyName: "Doe",
		HireDate: date.MustParse("2024-05-01"), CostCentre: "ENG"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := records.SetContract(ctx, hr.Contract{Employee: emp.ID, Effective: hr.Effective{ValidFrom: emp.HireDate},
		PayType: hr.Annual, Amount: usd("78000.00"), Frequency: hr.Biweekly, WeeklyHours: decimal.NewFromInt(40),
		WorkDays: hr.MondayToFriday, Items: []hr.PayItem{{Code: "401K", Kind: hr.PensionDeferral, Amount: usd("150.00")},
			{Code: "MED", Kind: hr.PensionDeferral, Amount: usd("50.00")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := records.SetTaxProfile(ctx, hr.TaxProfile{Employee: emp.ID, Effective: hr.Effective{ValidFrom: emp.HireDate},
		Jurisdiction: "US", US: hr.USTax{FilingStatus: hr.MarriedJointly, Dependents: usd("2200.00")}}); err != nil {
		t.Fatal(err)
	}
	pack, err := us.New(&us.Config{Plans: map[string]us.Plan{"MED": us.Section125}})
	if err != nil {
		t.Fatal(err)
	}
	// The deferrals need a liability to post to; the default chart's
	// accrued expenses stand in for a benefit-plan payable here.
	accts := payroll.DefaultAccounts()
	accts.Deductions = "2160"
	runs := payroll.New(store, &payroll.Options{Now: now, Packs: payroll.Packs{pack}, Accounts: accts})
	cal := payroll.Calendar{ID: "biweekly", Frequency: hr.Biweekly, Anchor: date.MustParse("2026-01-05"),
		PayOffset: 5, YearBasis: payroll.ByPayDate}
	period, err := cal.PeriodOf(date.MustParse("2026-03-02"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := runs.CreateRun(ctx, payroll.RunSpec{ID: "bw-2026-05", Book: "acme", Period: period}); err != nil {
		t.Fatal(err)
	}
	for _, step := range []func(context.Context, string) (payroll.Run, error){runs.Calculate, runs.Approve, runs.Post} {
		if _, err := step(ctx, "bw-2026-05"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := books.Verify(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	rows, err := books.Balances(ctx, "acme", ledger.BalanceQuery{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rows {
		got[r.Account.Code] = r.Closing.Number()
	}
	want := map[string]string{
		"6100": "3000.00",  // salary
		"6110": "243.38",   // employer SS 182.90 + Medicare 42.78 + FUTA 17.70
		"2140": "-83.69",   // federal withholding
		"2145": "-17.70",   // FUTA
		"2150": "-451.36",  // FICA: 2 × 182.90 + 2 × 42.78
		"2160": "-200.00",  // 401(k) and section 125 withheld
		"2130": "-2490.63", // net pay payable
	}
	for code, w := range want {
		if got[code] != w {
			t.Errorf("account %s: closing %s, want %s", code, got[code], w)
		}
	}
}
