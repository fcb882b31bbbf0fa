package backup_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/backup"
	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/memory"
	"github.com/openbackoffice/backoffice/store/sqlite"
)

// benchBook fills book "acme" of s with n entries of three lines (an
// invoice: receivable, revenue with a cost centre, VAT), keyed, dated over
// 2025, posted in batches of 10,000.
func benchBook(b *testing.B, s ledger.Store, n int) {
	b.Helper()
	ctx := context.Background()
	l := ledger.New(s, nil)
	if err := l.CreateBook(ctx, ledger.Book{ID: "acme", Name: "ACME", Currency: money.EUR}); err != nil {
		b.Fatal(err)
	}
	if err := l.CreateAccounts(ctx, ledger.SKR03("acme")...); err != nil {
		b.Fatal(err)
	}
	b.StartTimer()
	benchPost(b, l, n)
}

// benchPost posts benchBook's n entries to book "acme" with l.
func benchPost(b *testing.B, l *ledger.Ledger, n int) {
	ctx := context.Background()
	batch := make([]ledger.Entry, 0, 10_000)
	for i := range n {
		net := money.New(int64(10_000+i%9_000), money.EUR)
		tax, err := net.MulRate(decimal.RequireFromString("0.19"), money.HalfUp)
		if err != nil {
			b.Fatal(err)
		}
		gross, _ := net.Add(tax)
		batch = append(batch, ledger.Entry{Book: "acme", Key: fmt.Sprintf("inv/%d", i), Voucher: fmt.Sprintf("RE%07d", i),
			Date: date.New(2025, 1, 1).AddDays(i * 365 / n), Description: "Rechnung",
			Lines: []ledger.Line{
				ledger.Debit("1400", gross),
				{Account: "8400", Amount: net.Neg(), Dimensions: map[string]string{"cost_centre": fmt.Sprintf("CC-%d", i%7)}},
				ledger.Credit("1776", tax),
			}})
		if len(batch) == cap(batch) || i == n-1 {
			if _, err := l.PostBatch(ctx, batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
}

// cpuTime returns the CPU time (user and system) the process has used:
// on a shared machine a steadier measure than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// heapNow returns the live heap as of the last GC.
func heapNow() uint64 {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	return sample[0].Value.Uint64()
}

// peakHeap samples the live heap every 20 ms until stop is called, and
// returns the largest value seen (the live heap the last GC marked: runtime/metrics, no stop-the-world).
func peakHeap() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	finished := make(chan struct{})
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	read := func() {
		metrics.Read(sample)
		if v := sample[0].Value.Uint64(); v > peak.Load() {
			peak.Store(v)
		}
	}
	go func() {
		defer close(finished)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				read()
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-finished
		read()
		return peak.Load()
	}
}

// BenchmarkWrite writes an archive of a book of 3-line entries to a local
// file (WriteFile: a temporary file, fsync, rename), from the memory store
// and from SQLite; BACKUP_BENCH_ENTRIES sets the number of entries
// (100,000), BACKUP_BENCH_DB a SQLite file that keeps the book (filled
// if it has none), to measure books backup on it. It reports postings per second of wall time and of CPU time
// (steadier on a shared machine), the live heap the write added at its
// peak (write-heap-MB: the book itself, in the memory store, is not
// counted), the process's peak RSS so far (maxrss-MB: setup included)
// and the archive's size.
func BenchmarkWrite(b *testing.B) {
	entries := 100_000
	if v := os.Getenv("BACKUP_BENCH_ENTRIES"); v != "" {
		fmt.Sscan(v, &entries)
	}
	for _, kind := range []string{"memory", "sqlite"} {
		b.Run(fmt.Sprintf("%s/postings=%d", kind, 3*entries), func(b *testing.B) {
			ctx := context.Background()
			var s backup.Store
			switch kind {
			case "memory":
				s = memory.New()
			case "sqlite":
				db := os.Getenv("BACKUP_BENCH_DB")
				if db == "" {
					db = filepath.Join(b.TempDir(), "b.db")
				}
				st, err := sqlite.Open(ctx, db)
				if err != nil {
					b.Fatal(err)
				}
				defer st.Close()
				if err := st.Migrate(ctx); err != nil {
					b.Fatal(err)
				}
				s = st
			}
			if _, err := ledger.New(s, nil).Book(ctx, "acme"); err != nil {
				benchBook(b, s, entries)
			}
			path := filepath.Join(b.TempDir(), "acme.zip")
			runtime.GC()
			base := heapNow()
			b.ReportAllocs()
			b.ResetTimer()
			var peak uint64
			cpu0 := cpuTime()
			for range b.N {
				stop := peakHeap()
				if _, err := backup.WriteFile(ctx, path, s, nil); err != nil {
					b.Fatal(err)
				}
				peak = max(peak, stop())
			}
			b.StopTimer()
			cpu := cpuTime() - cpu0
			st, err := os.Stat(path)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(3*entries)*float64(b.N)/b.Elapsed().Seconds(), "postings/s")
			b.ReportMetric(float64(3*entries)*float64(b.N)/cpu.Seconds(), "postings/cpu-s")
			b.ReportMetric(float64(peak-min(peak, base))/(1<<20), "write-heap-MB")
			var ru syscall.Rusage
			if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
				b.ReportMetric(float64(ru.Maxrss)/1024, "maxrss-MB") // Linux: KiB
			}
			b.ReportMetric(float64(st.Size())/(1<<20), "archive-MB")
		})
	}
}

// BenchmarkRestore restores an archive of benchBook's book
// (BACKUP_BENCH_ENTRIES entries of three lines, 100,000) from a local file
// into SQLite and, with BACKOFFICE_TEST_POSTGRES, PostgreSQL (a new
// database or schema each time), with every check of Restore. Beside it,
// in the same run, the baseline: the same entries posted into a new store
// of the same kind by ledger.PostBatch in batches of 10,000 (on
// PostgreSQL through COPY). It reports postings per second of wall time
// and of the process's CPU time (the benchmark's own: on PostgreSQL the
// server's is not in it), the live heap the restore adds at its peak
// (restore-heap-MB) and the process's peak RSS so far.
func BenchmarkRestore(b *testing.B) {
	entries := 100_000
	if v := os.Getenv("BACKUP_BENCH_ENTRIES"); v != "" {
		fmt.Sscan(v, &entries)
	}
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "acme.zip")
	{
		src := memory.New()
		benchBook(b, src, entries)
		if _, err := backup.WriteFile(ctx, path, src, nil); err != nil {
			b.Fatal(err)
		}
	}
	targets := map[string]func(b *testing.B) backup.Store{
		"sqlite": func(b *testing.B) backup.Store {
			s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "r.db"))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close() })
			if err := s.Migrate(ctx); err != nil {
				b.Fatal(err)
			}
			return s
		},
	}
	if os.Getenv("BACKOFFICE_TEST_POSTGRES") != "" {
		targets["postgres"] = func(b *testing.B) backup.Store { return pgStore(b) }
	}
	report := func(b *testing.B, peak, base uint64, cpu time.Duration) {
		b.ReportMetric(float64(3*entries)*float64(b.N)/b.Elapsed().Seconds(), "postings/s")
		b.ReportMetric(float64(3*entries)*float64(b.N)/cpu.Seconds(), "postings/cpu-s")
		if peak > 0 {
			b.ReportMetric(float64(peak-min(peak, base))/(1<<20), "restore-heap-MB")
		}
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
			b.ReportMetric(float64(ru.Maxrss)/1024, "maxrss-MB") // Linux: KiB
		}
	}
	for _, kind := range []string{"sqlite", "postgres"} {
		newTarget, ok := targets[kind]
		if !ok {
			continue
		}
		b.Run(fmt.Sprintf("%s/restore/postings=%d", kind, 3*entries), func(b *testing.B) {
			runtime.GC()
			base := heapNow()
			b.ReportAllocs()
			b.ResetTimer()
			var peak uint64
			var cpu time.Duration
			for range b.N {
				b.StopTimer()
				s := newTarget(b)
				b.StartTimer()
				cpu0 := cpuTime()
				a, err := backup.OpenFile(path, nil)
				if err != nil {
					b.Fatal(err)
				}
				stop := peakHeap()
				if err := backup.Restore(ctx, s, a, nil); err != nil {
					b.Fatal(err)
				}
				peak = max(peak, stop())
				a.Close()
				cpu += cpuTime() - cpu0
			}
			b.StopTimer()
			report(b, peak, base, cpu)
		})
		b.Run(fmt.Sprintf("%s/postbatch/postings=%d", kind, 3*entries), func(b *testing.B) {
			b.ReportAllocs()
			b.ResetTimer()
			var cpu time.Duration
			for range b.N {
				b.StopTimer()
				s := newTarget(b)
				cpu0 := cpuTime()
				benchBook(b, s, entries) // starts the timer once the book exists
				cpu += cpuTime() - cpu0
			}
			b.StopTimer()
			report(b, 0, 0, cpu)
		})
	}
}
