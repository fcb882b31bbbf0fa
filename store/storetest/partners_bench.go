package storetest

import (
	"context"
	"database/sql"
	"testing"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/partners"
)

// The Aging benchmark's book, which each SQL store's loader writes in its
// own SQL: AgingItems open receivables over AgingParties customers, dated
// through 2025 and due 30 days later; every tenth item half paid on
// 2025-12-31.
const (
	AgingItems   = 1_000_000
	AgingParties = 50_000
)

// AgingBench is the Aging benchmark both SQL stores run over the book
// "bench" their own loader filled with receivables of parties customers:
// the buckets 0/30/60/90 as of a day after every item and move (fast: the
// open amounts the store keeps) and as of 2025-09-30 (past: later items
// left out, later moves added back). The baseline, sum, is one plain SUM
// of the open amounts over the same rows through db: the floor for any
// aggregate over them.
func AgingBench(b *testing.B, s partners.Store, db *sql.DB, parties int) {
	ctx := context.Background()
	b.Run("sum", func(b *testing.B) {
		for b.Loop() {
			var sum int64
			if err := db.QueryRowContext(ctx, "SELECT SUM(open) FROM bo_ar_items WHERE book = 'bench' AND kind = 'receivable' AND open <> 0").Scan(&sum); err != nil {
				b.Fatal(err)
			}
			if sum == 0 {
				b.Fatal("SUM(open) is 0")
			}
		}
	})
	for _, c := range []struct {
		name string
		asOf date.Date
	}{
		{"fast", date.MustParse("2026-01-31")},
		{"past", date.MustParse("2025-09-30")},
	} {
		b.Run(c.name, func(b *testing.B) {
			q := partners.AgingQuery{Kind: partners.Receivable, AsOf: c.asOf, Limits: []int{0, 30, 60, 90}}
			for b.Loop() {
				var rows []partners.AgingRow
				err := s.ViewPartners(ctx, func(tx partners.ReadTx) (err error) {
					rows, err = tx.Aging(ctx, "bench", q)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
				if len(rows) != parties {
					b.Fatalf("Aging returned %d rows, want %d", len(rows), parties)
				}
			}
		})
	}
}
