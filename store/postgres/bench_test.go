package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lib/pq"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/store/postgres"
	"github.com/openbackoffice/backoffice/store/storetest"
)

// benchLedger returns a ledger over a fresh store with one book "bench" of n
// accounts.
func benchLedger(b *testing.B, n int, opts *ledger.Options) (*ledger.Ledger, *postgres.Store) {
	b.Helper()
	s := newStore(b)
	l := ledger.New(s, opts)
	storetest.BenchBook(b, l, "bench", n)
	return l, s
}

// BenchmarkPostBatchCopy posts batches of 10,000 two-line entries (COPY
// under the hood) beside a raw lib/pq COPY of the same rows into tables
// with the same columns, keys and indexes but no triggers, foreign keys or
// maintained totals: the ratio is what validation, the hash chain, the
// guards and the totals cost on top of moving the bytes.
func BenchmarkPostBatchCopy(b *testing.B) {
	const batch = 10_000
	ctx := context.Background()
	b.Run("baseline=raw-copy", func(b *testing.B) {
		_, s := benchLedger(b, 1000, nil)
		db := s.DB()
		for _, stmt := range []string{
			"CREATE TABLE raw_entries (LIKE bo_entries INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)",
			"CREATE TABLE raw_postings (LIKE bo_postings INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)",
		} {
			if _, err := db.Exec(stmt); err != nil {
				b.Fatal(err)
			}
		}
		var seq int64
		hash := make([]byte, 32)
		now := time.Now()
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			es := storetest.Transfers("bench", batch, 1000, uint64(i), 31)
			b.StartTimer()
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			stmt, err := tx.Prepare(pq.CopyIn("raw_entries", "book", "seq", "key", "date", "description", "voucher", "journal", "reverses", "adjusts", "metadata", "recorded_at", "digest", "hash"))
			if err != nil {
				b.Fatal(err)
			}
			base := seq
			for _, e := range es {
				seq++
				if _, err := stmt.Exec("bench", seq, e.Key, e.Date.String(), e.Description, e.Voucher, e.Journal, 0, 0, nil, now, hash, hash); err != nil {
					b.Fatal(err)
				}
			}
			if _, err := stmt.Exec(); err != nil {
				b.Fatal(err)
			}
			stmt.Close()
			stmt, err = tx.Prepare(pq.CopyIn("raw_postings", "book", "seq", "line", "account", "currency", "amount", "memo", "dims", "date", "closing"))
			if err != nil {
				b.Fatal(err)
			}
			for k, e := range es {
				for j, l := range e.Lines {
					if _, err := stmt.Exec("bench", base+int64(k)+1, j, l.Account, "EUR", l.Amount.Number(), "", nil, e.Date.String(), false); err != nil {
						b.Fatal(err)
					}
				}
			}
			if _, err := stmt.Exec(); err != nil {
				b.Fatal(err)
			}
			stmt.Close()
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "entries/s")
	})
	// A bulk load is typically one month: a bank statement, a period's
	// invoices. Dates spread over a year touch more day totals per batch.
	for _, days := range []int{31, 365} {
		b.Run(fmt.Sprintf("PostBatch/days=%d", days), func(b *testing.B) {
			l, _ := benchLedger(b, 1000, nil)
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				es := storetest.Transfers("bench", batch, 1000, uint64(i), days)
				b.StartTimer()
				if _, err := l.PostBatch(ctx, es); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "entries/s")
		})
	}
}

// BenchmarkConcurrentPost posts single two-line entries from 16 goroutines
// over 1,000 accounts: with group commit (the default) and, as the
// baseline, one transaction per entry (MaxGroup 1).
func BenchmarkConcurrentPost(b *testing.B) {
	for _, bc := range []struct {
		name     string
		maxGroup int
	}{{"baseline=tx-per-entry", 1}, {"group-commit", 0}} {
		b.Run(bc.name, func(b *testing.B) {
			l, _ := benchLedger(b, 1000, &ledger.Options{MaxGroup: bc.maxGroup})
			const workers = 16
			es := storetest.Transfers("bench", 200_000, 1000, 7, 365)
			var next atomic.Int64
			ctx := context.Background()
			b.ResetTimer()
			var wg sync.WaitGroup
			for range workers {
				wg.Go(func() {
					for {
						i := next.Add(1) - 1
						if i >= int64(b.N) {
							return
						}
						if _, err := l.Post(ctx, es[i%int64(len(es))]); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "entries/s")
		})
	}
}
