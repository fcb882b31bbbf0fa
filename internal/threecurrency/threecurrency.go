// Package threecurrency builds the hand-worked three-currency company that
// the tests of several packages check against (reporting's
// TestThreeCurrencyCompany works every figure out): a EUR book "tri" on
// the default chart with a USD bank account (1121), a GBP customer (1210)
// and a CHF supplier (2110), over 2025 and 2026, revalued at each year
// end. Rates are quoted as 1 unit = x EUR (hledger's P USD 0.90 EUR) and
// make every conversion exact to the cent:
//
//	date        USD   GBP   CHF
//	2025-01-15  0.90
//	2025-03-10        1.20
//	2025-04-20              1.05
//	2025-09-15  0.92
//	2025-12-31  0.95  1.15  1.10   closing rates 2025
//	2026-08-01  0.88
//	2026-12-31  0.85               closing rate 2026
//
// 2025: E1 capital 100,000.00 EUR; E2 buy 11,000 USD for 9,900.00; E3
// sale 5,000 GBP = 6,000.00; E4 CHF invoice 2,000 CHF = 2,100.00; E5 the
// customer pays 3,000 GBP (carried 3,600.00), the bank credits 3,540.00;
// E6 travel 1,000 USD = 920.00. Revaluation 2025-12-31: 1121 +520.00,
// 1210 −100.00, 2110 −100.00.
//
// 2026: E7 pay 2,000 CHF (carried 2,200.00) with 2,160.00; E8 the customer
// pays 2,000 GBP (carried 2,300.00), 2,360.00 credited; E9 US sale 3,000
// USD = 2,640.00. Revaluation 2026-12-31: 1121 −1,090.00.
//
// It is for tests only; it lives outside them so that every package
// checks the same book.
package threecurrency

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/fx"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// Book is the book's ID.
const Book = "tri"

// Gains, Losses and Rounding are the accounts exchange differences and the
// rounding residue of conversion go to.
const (
	Gains    = "4200"
	Losses   = "6990"
	Rounding = "6990"
)

// Rates returns the exchange rates of the table above.
func Rates() (*fx.Table, error) {
	rate := func(d, cur, r string) fx.Rate {
		c, _ := money.ParseCurrency(cur)
		return fx.Rate{Date: date.MustParse(d), From: c, To: money.EUR, Rate: decimal.RequireFromString(r), Source: "test"}
	}
	return fx.NewTable(
		rate("2025-01-15", "USD", "0.90"), rate("2025-03-10", "GBP", "1.20"), rate("2025-04-20", "CHF", "1.05"),
		rate("2025-09-15", "USD", "0.92"),
		rate("2025-12-31", "USD", "0.95"), rate("2025-12-31", "GBP", "1.15"), rate("2025-12-31", "CHF", "1.10"),
		rate("2026-08-01", "USD", "0.88"),
		rate("2026-12-31", "USD", "0.85"),
	)
}

// Setup creates the book and its chart in l, whose Options.Rates should
// be Rates() with Options.RoundingAccount Rounding.
func Setup(ctx context.Context, l *ledger.Ledger) error {
	if err := l.CreateBook(ctx, ledger.Book{ID: Book, Name: "Tri GmbH", Currency: money.EUR}); err != nil {
		return err
	}
	chart := ledger.DefaultChart(Book)
	for i := range chart {
		if chart[i].Code == "2110" { // the CHF supplier
			chart[i].Currency = money.CHF
			chart[i].Metadata = map[string]string{ledger.MetaRevalue: "short"}
		}
	}
	foreign := func(code, name string, c money.Currency) ledger.Account {
		return ledger.Account{Book: Book, Code: code, Name: name, Type: ledger.Asset, Parent: "1100", Currency: c,
			Metadata: map[string]string{ledger.MetaRevalue: "short"}}
	}
	chart = append(chart, foreign("1121", "Bank USD", money.USD), foreign("1210", "Receivables GBP", money.GBP))
	slices.SortFunc(chart, func(a, b ledger.Account) int { return strings.Compare(a.Code, b.Code) })
	return l.CreateAccounts(ctx, chart...)
}

// Post2025 posts E1–E6, Post2026 E7–E9 (see the package doc); neither
// revalues (see Revalue).
func Post2025(ctx context.Context, l *ledger.Ledger) error {
	return run(ctx, l, []step{
		{"E1", "2025-01-02", "", []ledger.Line{ledger.Debit("1120", amt("100000.00", "EUR")), ledger.Credit("3100", amt("100000.00", "EUR"))}},
		{"E2", "2025-01-15", "", []ledger.Line{ledger.Debit("1121", amt("11000.00", "USD")), ledger.Credit("1120", amt("9900.00", "EUR"))}},
		{"E3", "2025-03-10", "", []ledger.Line{ledger.Debit("1210", amt("5000.00", "GBP")), ledger.Credit("4100", amt("6000.00", "EUR"))}},
		{"E4", "2025-04-20", "", []ledger.Line{ledger.Debit("6700", amt("2100.00", "EUR")), ledger.Credit("2110", amt("2000.00", "CHF"))}},
		{"E5", "2025-06-30", "1210 -3000.00 GBP 3540.00", nil},
		{"E6", "2025-09-15", "", []ledger.Line{ledger.Debit("6500", amt("920.00", "EUR")), ledger.Credit("1121", amt("1000.00", "USD"))}},
	})
}

// Post2026 posts E7–E9.
func Post2026(ctx context.Context, l *ledger.Ledger) error {
	return run(ctx, l, []step{
		{"E7", "2026-02-10", "2110 2000.00 CHF -2160.00", nil},
		{"E8", "2026-05-05", "1210 -2000.00 GBP 2360.00", nil},
		{"E9", "2026-08-01", "", []ledger.Line{ledger.Debit("1121", amt("3000.00", "USD")), ledger.Credit("4100", amt("2640.00", "EUR"))}},
	})
}

// Revalue revalues the book at day (YYYY-MM-DD) against Gains and Losses.
func Revalue(ctx context.Context, l *ledger.Ledger, day string) error {
	if _, err := l.Revalue(ctx, Book, date.MustParse(day), ledger.RevalueOptions{Gains: Gains, Losses: Losses}); err != nil {
		return fmt.Errorf("revalue %s: %w", day, err)
	}
	return nil
}

// step is an entry to post: its lines, or a settlement written
// "ACCOUNT AMOUNT CUR BANK-EUR" (the item's account and amount, the EUR
// the bank books on 1120).
type step struct {
	key, day, settle string
	lines            []ledger.Line
}

func run(ctx context.Context, l *ledger.Ledger, steps []step) error {
	for _, s := range steps {
		lines := s.lines
		if s.settle != "" {
			f := strings.Fields(s.settle)
			var err error
			lines, err = l.SettlementLines(ctx, Book, ledger.Settlement{Account: f[0], Amount: amt(f[1], f[2]),
				Date: date.MustParse(s.day), Counter: []ledger.Line{{Account: "1120", Amount: amt(f[3], "EUR")}},
				Gains: Gains, Losses: Losses})
			if err != nil {
				return fmt.Errorf("%s: %w", s.key, err)
			}
		}
		if _, err := l.Post(ctx, ledger.Entry{Book: Book, Key: s.key, Date: date.MustParse(s.day), Description: s.key, Lines: lines}); err != nil {
			return fmt.Errorf("post %s: %w", s.key, err)
		}
	}
	return nil
}

func amt(s, cur string) money.Amount {
	c, err := money.ParseCurrency(cur)
	if err != nil {
		panic(err)
	}
	return money.MustParse(s, c)
}
