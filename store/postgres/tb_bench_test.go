package postgres_test

import (
	"context"
	"os"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/store/postgres"
	"github.com/openbackoffice/backoffice/store/storetest"
)

// tbSchema holds the 10-million-posting fixture. With BACKOFFICE_BENCH_KEEP
// set it survives the run, so that later runs skip the minutes of loading.
const tbSchema = "bo_bench_10m"

// tbStore returns a store over a book "bench" of 10,000 accounts and
// 5,000,000 two-line entries (10,000,000 postings) dated over 2025 and 2026
// in sequence order, as a book written day by day is (about 6,850 entries a
// day).
//
// Loading that through the ledger would take most of an hour, so the rows
// are generated in SQL with the guards switched off for the session, and
// the maintained totals and balances are then summed from the postings
// with the same definitions Append uses; tbCheck compares the two. The
// chain hashes are zeros: the fixture is for reading, not for Verify.
func tbStore(b *testing.B) *postgres.Store {
	dsn := testDSN(b)
	ctx := context.Background()
	admin, err := sqlx.Open("postgres", dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	keep := os.Getenv("BACKOFFICE_BENCH_KEEP") != ""
	var ready bool
	if err := admin.Get(&ready, "SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'bo_bench_done')", tbSchema); err != nil {
		b.Fatal(err)
	}
	if !ready {
		if _, err := admin.Exec("DROP SCHEMA IF EXISTS " + tbSchema + " CASCADE; CREATE SCHEMA " + tbSchema); err != nil {
			b.Fatal(err)
		}
	}
	if !keep {
		b.Cleanup(func() {
			if a, err := sqlx.Open("postgres", dsn); err == nil {
				a.Exec("DROP SCHEMA IF EXISTS " + tbSchema + " CASCADE")
				a.Close()
			}
		})
	}
	s, err := postgres.Open(ctx, withSearchPath(b, dsn, tbSchema))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if ready {
		return s
	}
	if err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	storetest.BenchBook(b, ledger.New(s, nil), "bench", 10_000)
	conn, err := s.DB().Connx(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	for _, q := range []string{
		"SET session_replication_role = replica", // no triggers: the guards would check 5M entries
		`INSERT INTO bo_entries (book, seq, key, date, description, voucher, journal, reverses, adjusts, recorded_at, digest, hash)
		 SELECT 'bench', g, NULL, DATE '2025-01-01' + ((g - 1)::bigint * 730 / 5000000)::int, 'generated', 'V' || g, 'GL', 0, 0, now(),
		        decode(repeat('00', 32), 'hex'), decode(repeat('00', 32), 'hex')
		 FROM generate_series(1, 5000000) g`,
		`INSERT INTO bo_postings (book, seq, line, account, currency, amount, memo, date, closing)
		 SELECT 'bench', g, l, lpad((CASE l WHEN 0 THEN (g::bigint * 7919) % 10000 ELSE (g::bigint * 104729 + 1) % 10000 END)::text, 5, '0'), 'EUR',
		        CASE l WHEN 0 THEN 1 ELSE -1 END * round(((g % 100000) + 1) / 100.0, 2), '', DATE '2025-01-01' + ((g - 1)::bigint * 730 / 5000000)::int, false
		 FROM generate_series(1, 5000000) g, generate_series(0, 1) l`,
		`INSERT INTO bo_totals (book, account, currency, level, bucket, closing, debit, credit)
		 SELECT book, account, currency, 1, extract(year FROM date)::bigint * 12 + extract(month FROM date)::bigint - 1, closing,
		        sum(CASE WHEN amount > 0 THEN amount * 100 ELSE 0 END)::bigint, sum(CASE WHEN amount < 0 THEN -amount * 100 ELSE 0 END)::bigint
		 FROM bo_postings GROUP BY 1, 2, 3, 5, 6`,
		`INSERT INTO bo_totals (book, account, currency, level, bucket, closing, debit, credit)
		 SELECT book, account, currency, 2, bucket / 12, closing, sum(debit), sum(credit)
		 FROM bo_totals WHERE level = 1 GROUP BY 1, 2, 3, 5, 6`,
		`INSERT INTO bo_balances (book, account, currency, balance)
		 SELECT book, account, currency, sum(debit - credit) FROM bo_totals WHERE level = 2 GROUP BY 1, 2, 3`,
		"UPDATE bo_books SET head_seq = 5000000 WHERE id = 'bench'",
		"ANALYZE",
		"CREATE TABLE bo_bench_done ()",
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

// BenchmarkTrialBalance10M runs trial balances over 10,000 accounts and
// 10,000,000 postings: a year and a month, which read maintained totals,
// and a range cut mid-month, which also sums the postings of the cut days.
// The baseline sums the year's postings directly, as a store without
// maintained totals would have to.
func BenchmarkTrialBalance10M(b *testing.B) {
	if testing.Short() {
		b.Skip("loads 10M postings")
	}
	s := tbStore(b)
	l := ledger.New(s, nil)
	ctx := context.Background()
	year := ledger.BalanceQuery{From: date.MustParse("2026-01-01"), To: date.MustParse("2026-12-31")}
	tbCheck(b, s, l, year)
	b.Run("baseline=sum-postings/year", func(b *testing.B) {
		for b.Loop() {
			var n int
			if err := s.DB().GetContext(ctx, &n, `SELECT count(*) FROM (SELECT account, currency, sum(amount) FILTER (WHERE date < '2026-01-01'),
				sum(amount) FILTER (WHERE date >= '2026-01-01' AND amount > 0), sum(amount) FILTER (WHERE date >= '2026-01-01' AND amount < 0)
				FROM bo_postings WHERE book = 'bench' AND date <= '2026-12-31' GROUP BY 1, 2) x`); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, bc := range []struct {
		name string
		q    ledger.BalanceQuery
	}{
		{"year", year},
		{"month", ledger.BalanceQuery{From: date.MustParse("2026-06-01"), To: date.MustParse("2026-06-30")}},
		{"mid-month", ledger.BalanceQuery{From: date.MustParse("2026-06-01"), To: date.MustParse("2026-06-15")}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				rows, err := l.Balances(ctx, "bench", bc.q)
				if err != nil {
					b.Fatal(err)
				}
				if len(rows) != 10_000 {
					b.Fatalf("%d rows, want 10000", len(rows))
				}
			}
		})
	}
}

// tbCheck compares the year's trial balance from maintained totals with
// sums over the postings, for a sample of accounts.
func tbCheck(b *testing.B, s *postgres.Store, l *ledger.Ledger, q ledger.BalanceQuery) {
	rows, err := l.Balances(context.Background(), "bench", q)
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range rows[:20] {
		var open, dr, cr string
		if err := s.DB().QueryRow(`SELECT coalesce(sum(amount) FILTER (WHERE date < $2), 0)::numeric(20,2)::text,
			coalesce(sum(amount) FILTER (WHERE date >= $2 AND amount > 0), 0)::numeric(20,2)::text,
			coalesce(-sum(amount) FILTER (WHERE date >= $2 AND amount < 0), 0)::numeric(20,2)::text
			FROM bo_postings WHERE book = 'bench' AND account = $1 AND date <= $3`, r.Account.Code, q.From.String(), q.To.String()).Scan(&open, &dr, &cr); err != nil {
			b.Fatal(err)
		}
		if r.Opening.Number() != open || r.Debit.Number() != dr || r.Credit.Number() != cr {
			b.Fatalf("account %s: trial balance %v/%v/%v, postings sum to %s/%s/%s", r.Account.Code, r.Opening, r.Debit, r.Credit, open, dr, cr)
		}
	}
}
