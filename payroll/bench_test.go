package payroll_test

import (
	"testing"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
)

// BenchmarkCalculate calculates one monthly payslip with the generic pack
// of ExampleCalculate (salary, overtime, a bonus, a pension deferral, a
// capped contribution with employer share, an annualised bracket tax) and
// reports payslips per second. The prorated case adds a raise in the
// middle of the month and two days of unpaid leave, which splits the
// period and prorates by working days.
//
//	go test -run '^$' -bench . -cpu 1 ./payroll/...
func BenchmarkCalculate(b *testing.B) {
	pack := examplePack()
	plain := exampleInput()
	plain.YTD = payroll.Accumulators{Year: 2026, Quarter: 1, Lines: map[string]payroll.Figures{
		"social.base": {Year: money.MustParse("11760.00", money.EUR)}}}

	prorated := plain
	raise := prorated.Contracts[0].Version
	raise.ValidFrom, raise.Seq, raise.Amount = date.MustParse("2026-03-16"), 2, money.MustParse("5600.00", money.EUR)
	prorated.Contracts = hr.Timeline([]hr.Contract{prorated.Contracts[0].Version, raise}, time.Time{})
	prorated.Absences = []hr.Absence{{Employee: plain.Employee.ID, Kind: hr.Unpaid,
		From: date.MustParse("2026-03-19"), To: date.MustParse("2026-03-20")}}

	for _, bc := range []struct {
		name string
		in   payroll.Input
	}{{"monthly", plain}, {"prorated", prorated}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := payroll.Calculate(bc.in, pack); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "payslips/s")
		})
	}
}
