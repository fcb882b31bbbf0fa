package reporting_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/reporting"
	"github.com/openbackoffice/backoffice/store/memory"
)

// exampleBook returns a ledger with book "acme" on the default chart: share
// capital paid into the bank, a sale on account, rent paid.
func exampleBook() *ledger.Ledger {
	ctx := context.Background()
	l := ledger.New(memory.New(), nil)
	if err := l.CreateBook(ctx, ledger.Book{ID: "acme", Name: "ACME Ltd", Currency: money.EUR}); err != nil {
		log.Fatal(err)
	}
	if err := l.CreateAccounts(ctx, ledger.DefaultChart("acme")...); err != nil {
		log.Fatal(err)
	}
	eur := func(s string) money.Amount { return money.MustParse(s, money.EUR) }
	for _, e := range []ledger.Entry{
		{Date: date.MustParse("2026-01-02"), Description: "Share capital", Lines: []ledger.Line{ledger.Debit("1120", eur("10000.00")), ledger.Credit("3100", eur("10000.00"))}},
		{Date: date.MustParse("2026-01-15"), Description: "Invoice 1", Lines: []ledger.Line{ledger.Debit("1200", eur("1190.00")), ledger.Credit("4100", eur("1000.00")), ledger.Credit("2120", eur("190.00"))}},
		{Date: date.MustParse("2026-01-31"), Description: "Rent", Lines: []ledger.Line{ledger.Debit("6200", eur("400.00")), ledger.Credit("1120", eur("400.00"))}},
	} {
		e.Book = "acme"
		if _, err := l.Post(ctx, e); err != nil {
			log.Fatal(err)
		}
	}
	return l
}

// generated is when the examples pretend to run.
func generated() time.Time { return time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC) }

func ExampleTrialBalance() {
	l := exampleBook()
	r, err := reporting.TrialBalance(context.Background(), l, "acme", reporting.Options{To: date.MustParse("2026-01-31"), Now: generated})
	if err != nil {
		log.Fatal(err)
	}
	for _, row := range r.Rows {
		debit, _ := r.Cell(row, "debit") // by key: positions differ with options
		credit, _ := r.Cell(row, "credit")
		fmt.Printf("%-5s %-20s %9s %9s\n", row.Account, row.Label, debit.Amount.Number(), credit.Amount.Number())
	}
	for _, c := range r.Checks {
		fmt.Println(c.Label, c.OK())
	}
	closing, _ := r.Cell(r.Rows[r.AccountRow("1120")], "closing")
	fmt.Println("bank closing:", closing.Amount)
	// Output:
	// 1120  Bank                  10000.00    400.00
	// 1200  Accounts receivable    1190.00      0.00
	// 2120  VAT payable               0.00    190.00
	// 3100  Share capital             0.00  10000.00
	// 4100  Sales                     0.00   1000.00
	// 6200  Rent                    400.00      0.00
	//       Total                 11590.00  11590.00
	// Σ debits = Σ credits (period) true
	// Σ debits = Σ credits (year to date) true
	// Σ closing balances = 0 true
	// bank closing: 9600.00 EUR
}

func ExampleBalanceSheet() {
	l := exampleBook()
	// Layout lines only (accounts are level 3 of the default layout).
	r, err := reporting.BalanceSheet(context.Background(), l, "acme", reporting.Options{To: date.MustParse("2026-01-31"), Depth: 3})
	if err != nil {
		log.Fatal(err)
	}
	for _, row := range r.Rows {
		if row.Kind != reporting.HeadingRow {
			fmt.Printf("%-8s %-33s %9s\n", row.Kind, strings.Repeat("  ", row.Level)+row.Label, row.Cells[1].Amount.Number())
		}
	}
	fmt.Println(r.Checks[0].Label, r.Checks[0].OK())
	// Output:
	// detail       Cash and cash equivalents       9600.00
	// detail       Accounts receivable             1190.00
	// subtotal   Total current assets             10790.00
	// total    Total assets                       10790.00
	// detail       Taxes and payroll liabilities    190.00
	// subtotal   Total liabilities                  190.00
	// detail       Share capital                  10000.00
	// detail       Result for the year              600.00
	// subtotal   Total equity                     10600.00
	// total    Total liabilities and equity       10790.00
	// Assets = Liabilities and equity true
}

func ExampleIncomeStatement() {
	l := exampleBook()
	r, err := reporting.IncomeStatement(context.Background(), l, "acme", reporting.Options{
		From: date.MustParse("2026-01-01"), To: date.MustParse("2026-01-31"), Depth: 1,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, row := range r.Rows {
		fmt.Printf("%-8s %-26s %8s\n", row.Kind, row.Label, row.Cells[1].Amount.Number())
	}
	// Output:
	// detail   Revenue                     1000.00
	// total    Gross profit                1000.00
	// detail   Operating expenses           400.00
	// total    Operating result             600.00
	// total    Result before income taxes   600.00
	// total    Net income                   600.00
}

func ExampleWriteText() {
	l := exampleBook()
	r, err := reporting.IncomeStatement(context.Background(), l, "acme", reporting.Options{
		From: date.MustParse("2026-01-01"), To: date.MustParse("2026-01-31"), Depth: 2,
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := reporting.WriteText(os.Stdout, r, &reporting.TextOptions{Format: money.German}); err != nil {
		log.Fatal(err)
	}
	// Output:
	// Income statement — ACME Ltd
	// 2026-01-01 – 2026-01-31, EUR
	//
	//                             2026-01-01 – 2026-01-31
	// --------------------------  -----------------------
	// Revenue
	//   4100 Sales                               1.000,00
	//                             -----------------------
	// Total revenue                              1.000,00
	//                             =======================
	// Gross profit                               1.000,00
	// Operating expenses
	//   Rent and utilities                         400,00
	//                             -----------------------
	// Total operating expenses                     400,00
	//                             =======================
	// Operating result                             600,00
	//                             =======================
	// Result before income taxes                   600,00
	//                             =======================
	// Net income                                   600,00
	//
	// Checks
	//   ✓ Net income = revenue − expenses: 600,00 = 600,00
}
