package sqlite_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/partners"
)

// The Aging benchmark's book: 1,000,000 open receivables over 50,000
// customers, dated through 2025 and due 30 days later; every tenth item was
// half paid on 2025-12-31.
const (
	agingItems   = 1_000_000
	agingParties = 50_000
)

// loadAging fills book "bench" in one transaction, straight in SQL.
func loadAging(b *testing.B, db *sql.DB) {
	b.Helper()
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	for _, st := range []struct {
		q    string
		args []any
	}{
		{`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		  INSERT INTO bo_ar_items (book, id, party, kind, invoice, date, due_date, discount_rate, currency,
		                           amount, open, entry, account, text, moves)
		  SELECT 'bench', printf('I%07d', i), printf('1%05d', i % ?), 'receivable', '',
		         date('2025-01-01', '+' || (i % 365) || ' days'), date('2025-01-31', '+' || (i % 365) || ' days'),
		         '', 'EUR', 1000 + i % 100000,
		         CASE WHEN i % 10 = 0 THEN 1000 + i % 100000 - (1000 + i % 100000) / 2 ELSE 1000 + i % 100000 END,
		         0, '1400', '', CASE WHEN i % 10 = 0 THEN 1 ELSE 0 END
		  FROM n`, []any{agingItems - 1, agingParties}},
		{`INSERT INTO bo_ar_moves (book, item, n, kind, date, amount, currency, entry, ref)
		  SELECT book, id, 1, 'payment', '2025-12-31', amount - open, currency, 0, 'bench'
		  FROM bo_ar_items WHERE book = 'bench' AND moves = 1`, nil},
		{`ANALYZE`, nil},
	} {
		if _, err := tx.ExecContext(ctx, st.q, st.args...); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkAging ages the 1,000,000 receivables of 50,000 customers in the
// buckets 0/30/60/90, as of a day after every item and move (fast: the
// open amounts the store keeps) and as of 2025-09-30 (past: later items
// left out, later moves added back). The baseline, sum, is one plain SUM
// of the open amounts over the same rows, through the fast path's index:
// the floor for any aggregate over them.
func BenchmarkAging(b *testing.B) {
	ctx := context.Background()
	s := newStore(b)
	loadAging(b, s.DB().DB)
	b.Run("sum", func(b *testing.B) {
		for b.Loop() {
			var sum int64
			if err := s.DB().QueryRowContext(ctx, "SELECT SUM(open) FROM bo_ar_items WHERE book = 'bench' AND kind = 'receivable' AND open <> 0").Scan(&sum); err != nil {
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
				if len(rows) != agingParties {
					b.Fatalf("Aging returned %d rows, want %d", len(rows), agingParties)
				}
			}
		})
	}
}
