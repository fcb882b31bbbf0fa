package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/payroll/rules/generic"
	"github.com/openbackoffice/backoffice/store/postgres"
)

// payWorld is a PostgreSQL store with book "acme" on the default chart, n
// salaried employees imported through hr.Records, and Runs with a generic
// pack (tax 25 % of gross, social 10 % a side).
type payWorld struct {
	ctx   context.Context
	s     *postgres.Store
	led   *ledger.Ledger
	hr    *hr.Records
	runs  *payroll.Runs
	packs payroll.Packs
	cal   payroll.Calendar
}

func newPayWorld(tb testing.TB, n int) *payWorld {
	tb.Helper()
	w := &payWorld{ctx: context.Background(), s: newStore(tb), cal: payroll.Calendar{ID: "monthly", Frequency: hr.MonthlyPay}}
	w.led = ledger.New(w.s, nil)
	w.hr = hr.New(w.s, nil)
	if err := w.led.CreateBook(w.ctx, ledger.Book{ID: "acme", Name: "ACME", Currency: money.EUR}); err != nil {
		tb.Fatal(err)
	}
	if err := w.led.CreateAccounts(w.ctx, ledger.DefaultChart("acme")...); err != nil {
		tb.Fatal(err)
	}
	var emps, contracts strings.Builder
	emps.WriteString("personnel_number,family_name,hire_date,cost_centre\n")
	contracts.WriteString("personnel_number,valid_from,pay_type,amount,currency,frequency,weekly_hours,work_days\n")
	for i := range n {
		fmt.Fprintf(&emps, "%05d,Name %05d,2025-01-01,CC-%d\n", i+1, i+1, i%20)
		fmt.Fprintf(&contracts, "%05d,2025-01-01,monthly,%d.00,EUR,monthly,40,Mon Tue Wed Thu Fri\n", i+1, 3000+i%4000)
	}
	opts := &hr.ImportOptions{Employer: "acme"}
	if _, err := w.hr.ImportEmployees(w.ctx, strings.NewReader(emps.String()), opts); err != nil {
		tb.Fatal(err)
	}
	if _, err := w.hr.ImportContracts(w.ctx, strings.NewReader(contracts.String()), opts); err != nil {
		tb.Fatal(err)
	}
	from := date.New(2025, time.January, 1)
	pack, err := generic.New(generic.Config{
		ID: "generic", Version: "1", ValidFrom: from, Rounding: money.HalfUp,
		Proration: payroll.Proration{Method: payroll.CalendarDays},
		Bases:     []string{"gross"},
		Contributions: []generic.Contribution{{Code: "social", Base: "gross", Rounding: money.HalfUp,
			Rates: payroll.Table[generic.Rates]{{From: from, Value: generic.Rates{Employee: decimal.RequireFromString("0.10"), Employer: decimal.RequireFromString("0.10")}}}}},
		Taxes: []generic.Tax{{Code: "tax", Base: "gross", Rounding: money.HalfUp,
			Brackets: payroll.Table[[]generic.Bracket]{{From: from, Value: []generic.Bracket{{Rate: decimal.RequireFromString("0.25")}}}}}},
	})
	if err != nil {
		tb.Fatal(err)
	}
	w.packs = payroll.Packs{pack}
	w.runs = payroll.New(w.s, &payroll.Options{Packs: w.packs})
	return w
}

// pay creates, calculates, approves and posts the run id for the month of
// day.
func (w *payWorld) pay(tb testing.TB, id string, day date.Date) payroll.Run {
	tb.Helper()
	p, err := w.cal.PeriodOf(day)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := w.runs.CreateRun(w.ctx, payroll.RunSpec{ID: id, Book: "acme", Period: p}); err != nil {
		tb.Fatal(err)
	}
	if _, err := w.runs.Calculate(w.ctx, id); err != nil {
		tb.Fatal(err)
	}
	if _, err := w.runs.Approve(w.ctx, id); err != nil {
		tb.Fatal(err)
	}
	run, err := w.runs.Post(w.ctx, id)
	if err != nil {
		tb.Fatal(err)
	}
	return run
}

// BenchmarkRunMonthly10k creates, calculates, approves and posts a monthly
// run for 10,000 employees on PostgreSQL; one op is the whole run, end to
// end (the figure: ≤ 10 s). "first" is a January run without
// history; "retro" a March run after January and February were posted,
// so each employee's two earlier periods are recalculated and the
// accumulators read from posted payslips. Setup (the HR import, the
// earlier runs) is not timed.
//
//	go test -run '^$' -bench RunMonthly10k -benchtime 1x ./store/postgres
func BenchmarkRunMonthly10k(b *testing.B) {
	const n = 10_000
	for _, bc := range []struct {
		name    string
		month   date.Date
		history []date.Date
	}{
		{"first", date.New(2026, time.January, 1), nil},
		{"retro", date.New(2026, time.March, 1), []date.Date{date.New(2026, time.January, 1), date.New(2026, time.February, 1)}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				w := newPayWorld(b, n)
				for j, m := range bc.history {
					w.pay(b, fmt.Sprintf("history-%d", j), m)
				}
				b.StartTimer()
				run := w.pay(b, "bench", bc.month)
				b.StopTimer()
				if run.Status != payroll.Posted || run.Entry == 0 {
					b.Fatalf("run after Post: status %s, entry %d", run.Status, run.Entry)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/employee")
		})
	}
}
