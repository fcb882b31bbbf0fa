package sqlite_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/openbackoffice/backoffice/store/storetest"
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
		  FROM n`, []any{storetest.AgingItems - 1, storetest.AgingParties}},
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

// BenchmarkAging runs storetest.AgingBench over the 1,000,000 receivables
// of 50,000 customers that loadAging writes.
func BenchmarkAging(b *testing.B) {
	s := newStore(b)
	loadAging(b, s.DB().DB)
	storetest.AgingBench(b, s, s.DB().DB, storetest.AgingParties)
}
