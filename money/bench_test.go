package money_test

import (
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/openbackoffice/backoffice/money"
	"github.com/shopspring/decimal"
)

// sumN is the number of values every BenchmarkSum iteration adds up.
const sumN = 10_000_000

// sumData holds the same values as int64 minor units, Amounts and
// decimals. It is built once per process, outside any timer.
var sumData = sync.OnceValues(func() ([]int64, []money.Amount) {
	rng := rand.New(rand.NewPCG(2026, 11))
	ints := make([]int64, sumN)
	amounts := make([]money.Amount, sumN)
	for i := range ints {
		// ±10,000,000.00 EUR: 10^7 of them cannot overflow.
		ints[i] = rng.Int64N(2_000_000_001) - 1_000_000_000
		amounts[i] = money.New(ints[i], money.EUR)
	}
	return ints, amounts
})

var sumDecimals = sync.OnceValue(func() []decimal.Decimal {
	ints, _ := sumData()
	decs := make([]decimal.Decimal, len(ints))
	for i, n := range ints {
		decs[i] = decimal.New(n, -2)
	}
	return decs
})

// Sinks keep the compiler from discarding the sums.
var (
	sinkInt     int64
	sinkAmount  money.Amount
	sinkDecimal decimal.Decimal
)

// BenchmarkSum adds up the same 10,000,000 values four ways: plain int64,
// a loop over Amount.Add, money.Sum, and shopspring/decimal. One op is one
// pass over all values; ns/add is the time per addition.
//
//	go test -run='^$' -bench=BenchmarkSum -benchtime=5x -count=3 ./money
func BenchmarkSum(b *testing.B) {
	ints, amounts := sumData()

	b.Run("int64", func(b *testing.B) {
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			var s int64
			for _, x := range ints {
				s += x
			}
			sinkInt = s
		}
		reportPerAdd(b)
	})

	b.Run("Amount.Add", func(b *testing.B) {
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			s := money.Zero(money.EUR)
			for _, x := range amounts {
				var err error
				if s, err = s.Add(x); err != nil {
					b.Fatal(err)
				}
			}
			sinkAmount = s
		}
		reportPerAdd(b)
	})

	b.Run("Sum", func(b *testing.B) {
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			s, err := money.Sum(money.EUR, amounts...)
			if err != nil {
				b.Fatal(err)
			}
			sinkAmount = s
		}
		reportPerAdd(b)
	})

	b.Run("decimal.Add", func(b *testing.B) {
		decs := sumDecimals()
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			s := decimal.Zero
			for _, x := range decs {
				s = s.Add(x)
			}
			sinkDecimal = s
		}
		reportPerAdd(b)
	})
}

// reportPerAdd reports the time per addition. (A float here is a
// duration ratio, not an amount.)
func reportPerAdd(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/sumN, "ns/add")
}

// TestSumBenchmarkAgrees checks on a small sample that the four
// benchmarked ways compute the same total, so the benchmark compares like
// with like.
func TestSumBenchmarkAgrees(t *testing.T) {
	ints := []int64{5, -3, 1_000_000_000, -999_999_999, 42}
	var want int64
	amounts := make([]money.Amount, len(ints))
	dec := decimal.Zero
	for i, n := range ints {
		want += n
		amounts[i] = money.New(n, money.EUR)
		dec = dec.Add(decimal.New(n, -2))
	}
	got, err := money.Sum(money.EUR, amounts...)
	if err != nil || got.MinorUnits() != want {
		t.Errorf("Sum = %v, %v; want %d minor units", got, err, want)
	}
	if !dec.Equal(got.Decimal()) {
		t.Errorf("decimal sum = %s, Sum = %s", dec, got.Decimal())
	}
}
