package partners_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/partners"
)

// BenchmarkPost posts one two-line invoice per call in the memory store
// (target: 10,000 invoices/s); ledgerPost is the baseline, a bare ledger
// post of an entry of the same shape.
func BenchmarkPost(b *testing.B) {
	ctx := context.Background()
	b.Run("invoice", func(b *testing.B) {
		f := newFixture(b)
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			_, err := f.p.Post(ctx, partners.Invoice{Book: book, Key: fmt.Sprintf("b%d", i), Kind: partners.InvoiceKind, Party: "10001",
				Date: day("2025-05-02"), Lines: []partners.InvoiceLine{
					{Account: "4100", Net: eur("1000.00"), VAT: "19"}, {Account: "4100", Net: eur("50.00"), VAT: "7"}}})
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "invoices/s")
	})
	b.Run("batch-1000", func(b *testing.B) {
		f := newFixture(b)
		b.ReportAllocs()
		b.ResetTimer()
		n := 0
		for range b.N {
			batch := make([]partners.Invoice, 1000)
			for j := range batch {
				n++
				batch[j] = partners.Invoice{Book: book, Key: fmt.Sprintf("b%d", n), Kind: partners.InvoiceKind, Party: "10001",
					Date: day("2025-05-02"), Lines: []partners.InvoiceLine{
						{Account: "4100", Net: eur("1000.00"), VAT: "19"}, {Account: "4100", Net: eur("50.00"), VAT: "7"}}}
			}
			if _, err := f.p.PostBatch(ctx, batch); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "invoices/s")
	})
	b.Run("ledgerPost", func(b *testing.B) {
		f := newFixture(b)
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			_, err := f.l.Post(ctx, ledger.Entry{Book: book, Key: fmt.Sprintf("l%d", i), Date: day("2025-05-02"), Journal: "AR",
				Lines: []ledger.Line{
					{Account: "1200", Amount: eur("1243.50"), Dimensions: map[string]string{partners.DimParty: "10001", partners.DimItem: fmt.Sprint(i)}},
					ledger.Credit("4100", eur("1000.00")), ledger.Credit("4100", eur("50.00")),
					ledger.Credit("2120", eur("190.00")), ledger.Credit("2120", eur("3.50"))}})
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "entries/s")
	})
}
