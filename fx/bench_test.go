package fx

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

// benchTable is 5 pairs × 10 years of daily rates (18,265 rates), and
// queries at random days of those years (some before the first rate).
func benchTable(b *testing.B) (*Table, []query) {
	b.Helper()
	first := date.New(2015, 1, 1)
	days := first.DaysUntil(date.New(2025, 1, 1))
	var rates []Rate
	pairs := [][2]money.Currency{{money.EUR, money.USD}, {money.EUR, money.JPY}, {money.EUR, money.GBP}, {money.EUR, money.CHF}, {money.USD, money.CAD}}
	for i, p := range pairs {
		for d := range days {
			rates = append(rates, Rate{Date: first.AddDays(d), From: p[0], To: p[1], Rate: decimal.New(int64(10000+i*1000+d%977), -4), Source: "ECB"})
		}
	}
	t, err := NewTable(rates...)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	qs := make([]query, 4096)
	for i := range qs {
		p := pairs[rng.IntN(len(pairs))]
		qs[i] = query{p[0], p[1], first.AddDays(rng.IntN(days+30) - 10)}
	}
	return t, qs
}

type query struct {
	from, to money.Currency
	on       date.Date
}

// BenchmarkLookup: the rate in force on a day, direct and through the
// opposite quotation, and a conversion; the baseline is the binary search
// of the pair's days alone, with the pair's series looked up beforehand
// (no map access, no check of the opposite quotation).
func BenchmarkLookup(b *testing.B) {
	t, qs := benchTable(b)
	report := func(b *testing.B) {
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lookups/s")
	}
	b.Run("baseline: binary search of the pair's days, the pair found beforehand", func(b *testing.B) {
		series := make([]*series, len(qs))
		for i, q := range qs {
			series[i] = t.data.Load().pairs[pair{q.from, q.to}]
		}
		var n int
		for i := 0; b.Loop(); i++ {
			if _, ok := series[i&4095].find(qs[i&4095].on); ok {
				n++
			}
		}
		report(b)
		sink = n
	})
	b.Run("direct", func(b *testing.B) {
		var n int
		for i := 0; b.Loop(); i++ {
			q := &qs[i&4095]
			if _, err := t.Lookup(q.from, q.to, q.on); err == nil {
				n++
			}
		}
		report(b)
		sink = n
	})
	b.Run("inverse", func(b *testing.B) {
		var n int
		for i := 0; b.Loop(); i++ {
			q := &qs[i&4095]
			if _, err := t.Lookup(q.to, q.from, q.on); err == nil {
				n++
			}
		}
		report(b)
		sink = n
	})
	b.Run("Convert", func(b *testing.B) {
		var n int
		for i := 0; b.Loop(); i++ {
			q := &qs[i&4095]
			if _, err := t.Convert(money.New(123456, q.from), q.to, q.on); err == nil {
				n++
			}
		}
		report(b)
		sink = n
	})
}

var sink int
