package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// BenchBook creates book with n asset accounts coded 00000, 00001, … through
// l, for benchmarks of stores.
func BenchBook(tb testing.TB, l *ledger.Ledger, book string, n int) {
	tb.Helper()
	ctx := context.Background()
	if err := l.CreateBook(ctx, ledger.Book{ID: book, Currency: money.EUR}); err != nil {
		tb.Fatal(err)
	}
	accts := make([]ledger.Account, n)
	for i := range accts {
		accts[i] = ledger.Account{Book: book, Code: fmt.Sprintf("%05d", i), Name: "Account", Type: ledger.Asset}
	}
	if err := l.CreateAccounts(ctx, accts...); err != nil {
		tb.Fatal(err)
	}
}

// Transfers returns n keyed two-line EUR entries of book between random
// accounts of BenchBook's chart of the given size, dated over the first
// days of 2026; seed makes them, and their keys, repeatable.
func Transfers(book string, n, accounts int, seed uint64, days int) []ledger.Entry {
	r := rand.New(rand.NewPCG(seed, 2))
	out := make([]ledger.Entry, n)
	start := date.MustParse("2026-01-01")
	for i := range out {
		amt := money.New(1+r.Int64N(1_000_000), money.EUR)
		out[i] = ledger.Entry{
			Book: book, Key: fmt.Sprintf("k%d-%d", seed, i), Date: start.AddDays(r.IntN(days)),
			Description: "benchmark transfer", Voucher: fmt.Sprintf("V%d", i),
			Lines: []ledger.Line{
				ledger.Debit(fmt.Sprintf("%05d", r.IntN(accounts)), amt),
				ledger.Credit(fmt.Sprintf("%05d", r.IntN(accounts)), amt),
			},
		}
	}
	return out
}
