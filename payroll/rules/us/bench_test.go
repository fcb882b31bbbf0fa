package us_test

import (
	"testing"

	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/payroll/rules/us"
)

// BenchmarkCalculate calculates the biweekly payslip of ExampleNew and
// reports payslips per second:
//
//	go test -run '^$' -bench . -cpu 1 ./payroll/rules/us
func BenchmarkCalculate(b *testing.B) {
	pack := mustPack(b, &us.Config{Plans: map[string]us.Plan{"MED": us.Section125}})
	in := biweeklyInput()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := payroll.Calculate(in, pack); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "payslips/s")
}

// BenchmarkWorksheet1A works the worksheet alone, with the tables parsed
// once.
func BenchmarkWorksheet1A(b *testing.B) {
	in := us.WorksheetInput{PayDate: biweeklyInput().Period.PayDate, Frequency: us.Biweekly,
		Wages: usd("2800.00"), W4: biweeklyInput().TaxProfile.US, Tables: us.FederalTables()}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := us.Worksheet1A(in); err != nil {
			b.Fatal(err)
		}
	}
}
