package payroll_test

import (
	"fmt"
	"testing"

	"github.com/openbackoffice/backoffice/payroll"
)

// BenchmarkRunMonthly10k creates, calculates, approves and posts a monthly
// run for 10,000 employees on the memory store; one op is the whole run.
// "first" is a January run without history; "retro" a March run after
// January and February were posted, so each employee's two earlier
// periods are recalculated (with nothing to correct) and the accumulators
// read from posted payslips.
//
//	go test -run '^$' -bench RunMonthly10k -benchtime 3x ./payroll/
func BenchmarkRunMonthly10k(b *testing.B) {
	const n = 10_000
	setup := func(b *testing.B, history ...string) *runWorld {
		w := newRunWorld(b, nil)
		for i := range n {
			w.hire(fmt.Sprintf("%05d", i+1), eur(fmt.Sprintf("%d.00", 3000+i%4000)))
		}
		for _, month := range history {
			runMonth(b, w, month, month)
		}
		return w
	}
	for _, bc := range []struct {
		name    string
		month   string
		history []string
	}{
		{"first", "2026-01-01", nil},
		{"retro", "2026-03-01", []string{"2026-01-01", "2026-02-01"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				w := setup(b, bc.history...)
				b.StartTimer()
				runMonth(b, w, "bench", bc.month)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/employee")
		})
	}
}

func runMonth(b *testing.B, w *runWorld, id, month string) {
	if _, err := w.runs.CreateRun(w.ctx, payroll.RunSpec{ID: id, Book: "acme", Period: period(b, month)}); err != nil {
		b.Fatal(err)
	}
	if _, err := w.runs.Calculate(w.ctx, id); err != nil {
		b.Fatal(err)
	}
	if _, err := w.runs.Approve(w.ctx, id); err != nil {
		b.Fatal(err)
	}
	if _, err := w.runs.Post(w.ctx, id); err != nil {
		b.Fatal(err)
	}
}
