package sqlite_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/store/memory"
	"github.com/openbackoffice/backoffice/store/storetest"
)

// BenchmarkPostBatch posts batches of two-line entries over 1,000 accounts
// to a file (WAL, synchronous=FULL), beside the same batches on the memory
// store as the baseline: the ratio is the cost of SQL and the disk.
func BenchmarkPostBatch(b *testing.B) {
	ctx := context.Background()
	for _, size := range []int{100, 1000, 10_000} {
		for _, st := range []struct {
			name string
			open func(b *testing.B) ledger.Store
		}{
			{"baseline=memory", func(*testing.B) ledger.Store { return memory.New() }},
			{"sqlite", func(b *testing.B) ledger.Store { return newStore(b) }},
		} {
			b.Run(fmt.Sprintf("%s/batch=%d", st.name, size), func(b *testing.B) {
				l := ledger.New(st.open(b), nil)
				storetest.BenchBook(b, l, "bench", 1000)
				for i := 0; b.Loop(); i++ {
					b.StopTimer()
					es := storetest.Transfers("bench", size, 1000, uint64(i), 31)
					b.StartTimer()
					if _, err := l.PostBatch(ctx, es); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N*size)/b.Elapsed().Seconds(), "entries/s")
			})
		}
	}
}

// BenchmarkPost posts single entries, one transaction (and fsync) each.
func BenchmarkPost(b *testing.B) {
	ctx := context.Background()
	l := ledger.New(newStore(b), nil)
	storetest.BenchBook(b, l, "bench", 1000)
	es := storetest.Transfers("bench", 100_000, 1000, 1, 31)
	for i := 0; b.Loop(); i++ {
		if _, err := l.Post(ctx, es[i%len(es)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "entries/s")
}
