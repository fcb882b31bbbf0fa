package reporting_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/reporting"
)

// benchBook returns a memory-store ledger with nAccounts accounts (the five
// types in turn) and nEntries two-line entries spread over 2026, so that
// every account has a maintained balance.
func benchBook(b *testing.B, nAccounts, nEntries int) *ledger.Ledger {
	return benchBookIn(b, nAccounts, nEntries, money.EUR)
}

// benchBookIn is benchBook with the entries in turn in each of curs; the
// lines of entries in a currency other than EUR carry base amounts (at
// 1.10 EUR to the unit), so the book reports in EUR.
func benchBookIn(b *testing.B, nAccounts, nEntries int, curs ...money.Currency) *ledger.Ledger {
	b.Helper()
	types := []ledger.AccountType{ledger.Asset, ledger.Liability, ledger.Equity, ledger.Revenue, ledger.Expense}
	chart := make([]ledger.Account, nAccounts)
	for i := range chart {
		chart[i] = ledger.Account{Book: "big", Code: fmt.Sprintf("%05d", i), Name: fmt.Sprintf("Account %d", i), Type: types[i%len(types)],
			Metadata: map[string]string{"cashflow": "operating"}}
	}
	l := newLedger(b, "big", chart)
	ctx := context.Background()
	start := date.MustParse("2026-01-01")
	var batch []ledger.Entry
	for i := range nEntries {
		a, c := i%nAccounts, (i*7+1)%nAccounts
		if a == c {
			c = (c + 1) % nAccounts
		}
		amt := money.New(int64(100+i%9000), curs[i%len(curs)])
		dr, cr := ledger.Debit(chart[a].Code, amt), ledger.Credit(chart[c].Code, amt)
		if amt.Currency() != money.EUR {
			base, err := amt.Convert(money.EUR, decimal.RequireFromString("1.10"), money.HalfUp)
			if err != nil {
				b.Fatal(err)
			}
			dr.Base, cr.Base = base, base.Neg()
		}
		batch = append(batch, ledger.Entry{Book: "big", Date: start.AddDays(i % 365), Description: "bench", Voucher: fmt.Sprint(i),
			Lines: []ledger.Line{dr, cr}})
		if len(batch) == 1000 || i == nEntries-1 {
			if _, err := l.PostBatch(ctx, batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	return l
}

// byType maps accounts by type, for books without a shipped chart.
func byType(b *testing.B, bs bool) *reporting.Layout {
	src := "line,label,kind,side,sum,match,check\n" +
		"rev,Revenue,,credit,,type=revenue,\nexp,Expenses,,debit,,type=expense,\nnet,Net,total,credit,+rev -exp,,result\n"
	if bs {
		src = "line,label,parent,kind,side,match,check\n" +
			"a,Assets,,,debit,type=asset,left\nle,Liabilities and equity,,,credit,,right\n" +
			"l,Liabilities,le,,,type=liability,\ne,Equity,le,,,type=equity result,\n"
	}
	l, err := reporting.ReadLayout(strings.NewReader(src), "by-type")
	if err != nil {
		b.Fatal(err)
	}
	return l
}

func benchReport(b *testing.B, build builder, o reporting.Options) {
	l := benchBook(b, 10_000, 20_000)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		r, err := build(ctx, l, "big", o)
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Rows) == 0 {
			b.Fatal("no rows")
		}
	}
}

// BenchmarkTrialBalance10k: 10,000 accounts, a period that is not the
// whole year so far (two balance queries).
func BenchmarkTrialBalance10k(b *testing.B) {
	benchReport(b, reporting.TrialBalance, opts("2026-04-01", "2026-06-30"))
}

// BenchmarkTrialBalance10kCurrencies is BenchmarkTrialBalance10k on a book
// in one currency ("1") and on one whose entries are in five (EUR, USD,
// GBP, CHF, JPY), reported in EUR from the base amounts ("5"); "5-EUR-rows" is
// the five-currency book's trial balance of its EUR rows only, which reads
// the same totals and converts nothing: "5" against it is the cost of
// converting, "5" against "1" that and the cost of four times the rows.
func BenchmarkTrialBalance10kCurrencies(b *testing.B) {
	five := []money.Currency{money.EUR, money.USD, money.GBP, money.CHF, money.JPY}
	for _, tc := range []struct {
		name string
		curs []money.Currency
		only money.Currency
	}{{"1", []money.Currency{money.EUR}, money.Currency{}}, {"5", five, money.Currency{}}, {"5-EUR-rows", five, money.EUR}} {
		b.Run(tc.name, func(b *testing.B) {
			l := benchBookIn(b, 10_000, 20_000, tc.curs...)
			ctx := context.Background()
			o := opts("2026-04-01", "2026-06-30")
			o.Currency = tc.only
			b.ReportAllocs()
			for b.Loop() {
				r, err := reporting.TrialBalance(ctx, l, "big", o)
				if err != nil {
					b.Fatal(err)
				}
				if len(r.Rows) == 0 {
					b.Fatal("no rows")
				}
			}
		})
	}
}

func BenchmarkBalanceSheet10k(b *testing.B) {
	o := opts("", "2026-12-31")
	o.Layout = byType(b, true)
	benchReport(b, reporting.BalanceSheet, o)
}

func BenchmarkIncomeStatement10k(b *testing.B) {
	o := opts("2026-01-01", "2026-12-31")
	o.Layout = byType(b, false)
	benchReport(b, reporting.IncomeStatement, o)
}

// BenchmarkGeneralLedgerRows100k streams a general ledger of 100,000
// entries (200,000 posting lines) on 1,000 accounts, discarding the rows.
func BenchmarkGeneralLedgerRows100k(b *testing.B) {
	l := benchBook(b, 1_000, 100_000)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		_, rows, err := reporting.GeneralLedgerRows(ctx, l, "big", opts("2026-01-01", "2026-12-31"))
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, err := range rows {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n < 200_000 {
			b.Fatalf("%d rows", n)
		}
	}
}
