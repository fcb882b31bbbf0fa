package storetest

import (
	"context"
	"testing"

	"github.com/openbackoffice/backoffice/ledger"
)

// BenchVerify posts n two-line entries (dated over a year, 1,000 accounts)
// to a new book of s, then measures Ledger.Verify of it — the chain, the
// balances, the month and year totals, the dimension index and the state
// log — and reports postings verified per second.
func BenchVerify(b *testing.B, s ledger.Store, n int) {
	ctx := context.Background()
	l := ledger.New(s, nil)
	BenchBook(b, l, "V", 1000)
	es := Transfers("V", n, 1000, 3, 365)
	for i := 0; i < len(es); i += 5000 {
		if _, err := l.PostBatch(ctx, es[i:min(i+5000, len(es))]); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := l.Verify(ctx, "V"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(2*n)*float64(b.N)/b.Elapsed().Seconds(), "postings/s")
}
