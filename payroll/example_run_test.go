package payroll_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/payroll/rules/generic"
	"github.com/openbackoffice/backoffice/store/memory"
)

// A monthly run for two employees: calculated, approved, posted to the
// ledger as one entry with employee and cost-centre dimensions, and paid.
func ExampleRuns_Post() {
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 3, 27, 9, 0, 0, 0, time.UTC) }
	store := memory.New() // one store for the ledger, HR and payroll

	books := ledger.New(store, &ledger.Options{Now: now})
	if err := books.CreateBook(ctx, ledger.Book{ID: "acme", Currency: money.EUR}); err != nil {
		log.Fatal(err)
	}
	if err := books.CreateAccounts(ctx, ledger.SKR04("acme")...); err != nil {
		log.Fatal(err)
	}

	records := hr.New(store, &hr.Options{Now: now})
	for _, e := range []struct{ number, cc, salary string }{{"1001", "CC-10", "4800.00"}, {"1002", "CC-20", "3900.00"}} {
		emp, err := records.Hire(ctx, hr.Employee{Employer: "acme", PersonnelNumber: e.number, FamilyName: "Muster",
			HireDate: date.MustParse("2025-01-01"), CostCentre: e.cc})
		if err != nil {
			log.Fatal(err)
		}
		if _, err := records.SetContract(ctx, hr.Contract{Employee: emp.ID, Effective: hr.Effective{ValidFrom: emp.HireDate},
			PayType: hr.Monthly, Amount: money.MustParse(e.salary, money.EUR), Frequency: hr.MonthlyPay,
			WeeklyHours: decimal.NewFromInt(40), WorkDays: hr.MondayToFriday}); err != nil {
			log.Fatal(err)
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
		log.Fatal(err)
	}

	runs := payroll.New(store, &payroll.Options{Now: now, Packs: payroll.Packs{pack}, Accounts: payroll.SKR04Accounts()})
	period, err := payroll.Calendar{ID: "monthly", Frequency: hr.MonthlyPay}.PeriodOf(date.MustParse("2026-03-01"))
	if err != nil {
		log.Fatal(err)
	}
	if _, err := runs.CreateRun(ctx, payroll.RunSpec{ID: "2026-03", Book: "acme", Period: period}); err != nil {
		log.Fatal(err)
	}
	if _, err := runs.Calculate(ctx, "2026-03"); err != nil {
		log.Fatal(err) // a *payroll.RunError lists the employees that failed
	}
	if _, err := runs.Approve(ctx, "2026-03"); err != nil {
		log.Fatal(err)
	}
	run, err := runs.Post(ctx, "2026-03")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := runs.PostPayment(ctx, "2026-03", "1800", date.MustParse("2026-03-30")); err != nil {
		log.Fatal(err)
	}

	entry, err := books.Entry(ctx, "acme", run.Entry)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(entry.Key, entry.Date, entry.Journal)
	for _, l := range entry.Lines {
		fmt.Printf("%s %9s %s %s\n", l.Account, l.Amount.Number(), l.Dimensions["employee"], l.Dimensions["cost_centre"])
	}
	// Output:
	// payroll/2026-03 2026-03-31 PAYROLL
	// 6020   4800.00 acme/1001 CC-10
	// 3740   -960.00 acme/1001 CC-10
	// 6110    480.00 acme/1001 CC-10
	// 3730  -1200.00 acme/1001 CC-10
	// 3720  -3120.00 acme/1001 CC-10
	// 6020   3900.00 acme/1002 CC-20
	// 3740   -780.00 acme/1002 CC-20
	// 6110    390.00 acme/1002 CC-20
	// 3730   -975.00 acme/1002 CC-20
	// 3720  -2535.00 acme/1002 CC-20
}
