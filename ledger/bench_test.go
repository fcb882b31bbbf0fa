package ledger_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/memory"
)

// benchBook returns a ledger over a memory store with one book of n accounts.
func benchBook(b *testing.B, n int) *ledger.Ledger {
	return benchBookOn(b, ledger.New(memory.New(), nil), n)
}

func benchBookOn(b *testing.B, l *ledger.Ledger, n int) *ledger.Ledger {
	b.Helper()
	ctx := context.Background()
	if err := l.CreateBook(ctx, ledger.Book{ID: "bench", Currency: money.EUR}); err != nil {
		b.Fatal(err)
	}
	accts := make([]ledger.Account, n)
	types := []ledger.AccountType{ledger.Asset, ledger.Liability, ledger.Equity, ledger.Revenue, ledger.Expense}
	for i := range accts {
		accts[i] = ledger.Account{Book: "bench", Code: fmt.Sprintf("%05d", i), Name: "Account", Type: types[i%len(types)]}
	}
	if err := l.CreateAccounts(ctx, accts...); err != nil {
		b.Fatal(err)
	}
	return l
}

var benchStart = date.MustParse("2026-01-01")

// benchEntries returns n balanced entries of 2–4 lines over accounts accounts,
// dated through year 2026, with unique keys.
func benchEntries(n, accounts int, seed uint64) []ledger.Entry {
	r := rand.New(rand.NewPCG(seed, 1))
	start := benchStart
	out := make([]ledger.Entry, n)
	for i := range out {
		k := 2 + r.IntN(3)
		lines := make([]ledger.Line, k)
		var sum int64
		for j := 0; j < k-1; j++ {
			amt := 1 + r.Int64N(1_000_000)
			sum += amt
			lines[j] = ledger.Debit(fmt.Sprintf("%05d", r.IntN(accounts)), money.New(amt, money.EUR))
		}
		lines[k-1] = ledger.Credit(fmt.Sprintf("%05d", r.IntN(accounts)), money.New(sum, money.EUR))
		out[i] = ledger.Entry{
			Book: "bench", Key: fmt.Sprintf("e%d-%d", seed, i), Date: start.AddDays(r.IntN(365)),
			Description: "benchmark entry", Voucher: fmt.Sprintf("V%d", i), Lines: lines,
		}
	}
	return out
}

// BenchmarkPost measures single-entry posting with every check and the hash
// chain, beside bare loops that only add amounts to a map of balances.
func BenchmarkPost(b *testing.B) {
	accounts := 1000
	if n, err := strconv.Atoi(os.Getenv("BENCH_ACCOUNTS")); err == nil {
		accounts = n // for experiments: how much of the cost is cache misses
	}
	entries := benchEntries(200_000, accounts, 1)
	b.Run("baseline=int64-map", func(b *testing.B) {
		bal := make(map[string]int64, accounts)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			for _, l := range entries[i%len(entries)].Lines {
				bal[l.Account] += l.Amount.MinorUnits()
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "entries/s")
	})
	b.Run("baseline=decimal-map", func(b *testing.B) {
		bal := make(map[string]decimal.Decimal, accounts)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			for _, l := range entries[i%len(entries)].Lines {
				bal[l.Account] = bal[l.Account].Add(l.Amount.Decimal())
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "entries/s")
	})
	// Variants: with idempotency keys and vouchers (what a batch job sends)
	// or without either; booking dates rising through the year as a book is
	// written (2,000 entries a day), or random over the year, which sends
	// every line to a cold day bucket.
	for _, v := range []struct {
		name          string
		keyed, random bool
	}{
		{"keyed", true, false},
		{"plain", false, false},
		{"keyed,random-dates", true, true},
	} {
		prepare := func(e *ledger.Entry, n int) {
			if !v.keyed {
				e.Key, e.Voucher = "", ""
			} else { // every iteration posts a new entry
				e.Key = strconv.Itoa(n)
			}
			if !v.random {
				e.Date = benchStart.AddDays(n / 2000)
			}
		}
		b.Run("Post/"+v.name, func(b *testing.B) {
			l := benchBook(b, accounts)
			ctx := context.Background()
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				e := entries[i%len(entries)]
				prepare(&e, i)
				if _, err := l.Post(ctx, e); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "entries/s")
		})
		b.Run("PostBatch=1000/"+v.name, func(b *testing.B) {
			l := benchBook(b, accounts)
			ctx := context.Background()
			batch := make([]ledger.Entry, 1000)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				for j := range batch {
					n := i*1000 + j
					batch[j] = entries[n%len(entries)]
					prepare(&batch[j], n)
				}
				if _, err := l.PostBatch(ctx, batch); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*1000)/b.Elapsed().Seconds(), "entries/s")
		})
	}
}

// BenchmarkPostParallel measures Post from many goroutines at once (16 per
// CPU) on one book, grouped (the default) and not (MaxGroup 1), on the
// memory store as it is and with a simulated commit latency of 100µs per
// transaction, as a SQL store waiting for its disk has.
func BenchmarkPostParallel(b *testing.B) {
	const accounts = 1000
	entries := benchEntries(200_000, accounts, 1)
	for _, commit := range []time.Duration{0, 100 * time.Microsecond} {
		for _, maxGroup := range []int{1, 0} {
			name := fmt.Sprintf("commit=%v/maxgroup=%d", commit, maxGroup)
			b.Run(name, func(b *testing.B) {
				st := &slowStore{Store: memory.New(), commit: commit}
				l := benchBookOn(b, ledger.New(st, &ledger.Options{MaxGroup: maxGroup}), accounts)
				ctx := context.Background()
				var n atomic.Int64
				before := st.updates.Load()
				b.SetParallelism(16)
				b.ReportAllocs()
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						i := int(n.Add(1))
						e := entries[i%len(entries)]
						e.Key = strconv.Itoa(i)
						if _, err := l.Post(ctx, e); err != nil {
							b.Error(err)
							return
						}
					}
				})
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "entries/s")
				b.ReportMetric(float64(b.N)/float64(st.updates.Load()-before), "entries/tx")
			})
		}
	}
}

// slowStore is a store whose transactions take commit longer, counted.
type slowStore struct {
	*memory.Store
	commit  time.Duration
	updates atomic.Int64
}

func (s *slowStore) Update(ctx context.Context, fn func(ledger.Tx) error) error {
	s.updates.Add(1)
	return s.Store.Update(ctx, func(tx ledger.Tx) error {
		if s.commit > 0 {
			time.Sleep(s.commit)
		}
		return fn(tx)
	})
}

// BenchmarkTrialBalance measures a trial balance over 10,000 accounts and a
// balance as of a past date, with 10,000 and 10,000,000 postings in the book:
// both read maintained totals, so the time must not grow with the postings.
// The 10M case needs about 4 GB and a minute to build; -short skips it.
func BenchmarkTrialBalance(b *testing.B) {
	const accounts = 10_000
	for _, postings := range []int{10_000, 10_000_000} {
		b.Run(fmt.Sprintf("postings=%d", postings), func(b *testing.B) {
			if postings > 10_000 && testing.Short() {
				b.Skip("large book skipped in -short mode")
			}
			l := benchBook(b, accounts)
			ctx := context.Background()
			r := rand.New(rand.NewPCG(7, 7))
			start := date.MustParse("2026-01-01")
			batch := make([]ledger.Entry, 0, 10_000)
			for n := 0; n < postings/2; n++ {
				amt := money.New(1+r.Int64N(100_000), money.EUR)
				batch = append(batch, ledger.Entry{Book: "bench", Date: start.AddDays(r.IntN(365)), Lines: []ledger.Line{
					ledger.Debit(fmt.Sprintf("%05d", r.IntN(accounts)), amt),
					ledger.Credit(fmt.Sprintf("%05d", r.IntN(accounts)), amt),
				}})
				if len(batch) == cap(batch) || n == postings/2-1 {
					if _, err := l.PostBatch(ctx, batch); err != nil {
						b.Fatal(err)
					}
					batch = batch[:0]
				}
			}
			b.Run("Balances", func(b *testing.B) {
				q := ledger.BalanceQuery{From: date.MustParse("2026-04-01"), To: date.MustParse("2026-09-15")}
				for b.Loop() {
					rows, err := l.Balances(ctx, "bench", q)
					if err != nil || len(rows) < accounts/2 {
						b.Fatal(err, len(rows))
					}
				}
			})
			b.Run("BalanceAsOf", func(b *testing.B) {
				asOf := date.MustParse("2026-06-17")
				for i := 0; b.Loop(); i++ {
					if _, err := l.Balance(ctx, "bench", fmt.Sprintf("%05d", i%accounts), asOf); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
