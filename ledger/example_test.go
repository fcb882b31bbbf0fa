package ledger_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/memory"
)

func Example() {
	ctx := context.Background()
	books := ledger.New(memory.New(), nil)
	err := books.CreateBook(ctx, ledger.Book{ID: "acme", Name: "ACME GmbH", Currency: money.EUR})
	if err == nil {
		err = books.CreateAccounts(ctx,
			ledger.Account{Book: "acme", Code: "1200", Name: "Bank", Type: ledger.Asset},
			ledger.Account{Book: "acme", Code: "1776", Name: "Output VAT 19 %", Type: ledger.Liability},
			ledger.Account{Book: "acme", Code: "8400", Name: "Revenue", Type: ledger.Revenue},
		)
	}
	if err != nil {
		log.Fatal(err)
	}

	// A sale of 1234.56 EUR net plus 19 % VAT, paid into the bank.
	net := money.MustParse("1234.56", money.EUR)
	vat, _ := net.MulRate(decimal.RequireFromString("0.19"), money.HalfUp) // 234.5664 → 234.57
	gross, _ := net.Add(vat)
	_, err = books.Post(ctx, ledger.Entry{
		Book: "acme", Key: "invoice/2026-001", Date: date.MustParse("2026-03-15"),
		Lines: []ledger.Line{ledger.Debit("1200", gross), ledger.Credit("8400", net), ledger.Credit("1776", vat)},
	})
	if err != nil {
		log.Fatal(err)
	}

	rows, err := books.Balances(ctx, "acme", ledger.BalanceQuery{})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range rows {
		fmt.Printf("%s %-16s %12s %12s\n", r.Account.Code, r.Account.Name, r.Debit.Number(), r.Credit.Number())
	}
	// Output:
	// 1200 Bank                  1469.13         0.00
	// 1776 Output VAT 19 %          0.00       234.57
	// 8400 Revenue                  0.00      1234.56
}

// fixedClock returns the time the examples pretend it is.
func fixedClock() time.Time { return time.Date(2026, 3, 31, 17, 30, 0, 0, time.UTC) }

// newExampleBook returns a ledger over a memory store with book "acme" (EUR,
// fiscal year = calendar year) and a small chart: Assets (1000) with Bank
// (1200) and Receivables (1400), VAT payable (1776), Retained earnings (2970),
// Revenue (8400) and Rent (4210).
func newExampleBook() *ledger.Ledger {
	ctx := context.Background()
	l := ledger.New(memory.New(), &ledger.Options{Now: fixedClock})
	if err := l.CreateBook(ctx, ledger.Book{ID: "acme", Currency: money.EUR}); err != nil {
		log.Fatal(err)
	}
	err := l.CreateAccounts(ctx,
		ledger.Account{Book: "acme", Code: "1000", Name: "Assets", Type: ledger.Asset},
		ledger.Account{Book: "acme", Code: "1200", Name: "Bank", Type: ledger.Asset, Parent: "1000"},
		ledger.Account{Book: "acme", Code: "1400", Name: "Receivables", Type: ledger.Asset, Parent: "1000"},
		ledger.Account{Book: "acme", Code: "1776", Name: "VAT payable", Type: ledger.Liability},
		ledger.Account{Book: "acme", Code: "2970", Name: "Retained earnings", Type: ledger.Equity},
		ledger.Account{Book: "acme", Code: "4210", Name: "Rent", Type: ledger.Expense},
		ledger.Account{Book: "acme", Code: "8400", Name: "Revenue", Type: ledger.Revenue},
	)
	if err != nil {
		log.Fatal(err)
	}
	return l
}

func eur(s string) money.Amount { return money.MustParse(s, money.EUR) }

func ExampleLedger_Post() {
	ctx := context.Background()
	l := newExampleBook()

	e := ledger.Entry{
		Book: "acme", Key: "invoice/2026-001", Date: date.MustParse("2026-03-15"),
		Description: "Invoice 2026-001", Voucher: "RE-2026-001", Journal: "AR",
		Lines: []ledger.Line{
			ledger.Debit("1400", eur("119.00")),
			ledger.Credit("8400", eur("100.00")),
			ledger.Credit("1776", eur("19.00")),
		},
	}
	p, err := l.Post(ctx, e)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Seq, p.Journal, p.RecordedAt.Format(time.RFC3339))
	for _, ln := range p.Lines {
		fmt.Println(ln.Account, ln.Side(), ln.Amount)
	}

	// A retry with the same key and payload returns the first result.
	again, err := l.Post(ctx, e)
	fmt.Println(again.Seq, err)

	// The same key with another payload is a conflict.
	e.Description = "something else"
	_, err = l.Post(ctx, e)
	fmt.Println(errors.Is(err, ledger.ErrConflict))
	// Output:
	// 1 AR 2026-03-31T17:30:00Z
	// 1400 debit 119.00 EUR
	// 8400 credit -100.00 EUR
	// 1776 credit -19.00 EUR
	// 1 <nil>
	// true
}

func ExampleLedger_PostBatch() {
	ctx := context.Background()
	l := newExampleBook()

	batch := []ledger.Entry{
		{Book: "acme", Key: "inv/1", Date: date.MustParse("2026-03-02"), Lines: []ledger.Line{
			ledger.Debit("1400", eur("119.00")), ledger.Credit("8400", eur("100.00")), ledger.Credit("1776", eur("19.00")),
		}},
		{Book: "acme", Key: "pay/1", Date: date.MustParse("2026-03-20"), Lines: []ledger.Line{
			ledger.Debit("1200", eur("119.00")), ledger.Credit("1400", eur("119.00")),
		}},
	}
	ps, err := l.PostBatch(ctx, batch)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range ps {
		fmt.Println(p.Seq, p.Key)
	}

	// All or nothing: the second entry names an unknown account, so the
	// first one is not posted either.
	bad := []ledger.Entry{
		{Book: "acme", Key: "inv/2", Date: date.MustParse("2026-03-25"), Lines: []ledger.Line{
			ledger.Debit("1400", eur("50.00")), ledger.Credit("8400", eur("50.00")),
		}},
		{Book: "acme", Key: "pay/2", Date: date.MustParse("2026-03-26"), Lines: []ledger.Line{
			ledger.Debit("1200", eur("50.00")), ledger.Credit("1499", eur("50.00")),
		}},
	}
	_, err = l.PostBatch(ctx, bad)
	var ee *ledger.EntryError
	if errors.As(err, &ee) {
		fmt.Println(ee.Index, ee.Line, errors.Is(err, ledger.ErrUnknownAccount))
	}
	_, err = l.EntryByKey(ctx, "acme", "inv/2")
	fmt.Println(errors.Is(err, ledger.ErrNotFound))
	// Output:
	// 1 inv/1
	// 2 pay/1
	// 1 1 true
	// true
}

func ExampleLedger_Reverse() {
	ctx := context.Background()
	l := newExampleBook()

	p, err := l.Post(ctx, ledger.Entry{
		Book: "acme", Date: date.MustParse("2026-03-10"), Description: "Rent March",
		Lines: []ledger.Line{ledger.Debit("4210", eur("800.00")), ledger.Credit("1200", eur("800.00"))},
	})
	if err != nil {
		log.Fatal(err)
	}
	r, err := l.Reverse(ctx, "acme", p.Seq, date.MustParse("2026-03-12"), "booked twice")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Seq, r.Reverses, r.Key, r.Description)
	for _, ln := range r.Lines {
		fmt.Println(ln.Account, ln.Amount)
	}
	bal, err := l.Balance(ctx, "acme", "4210", date.Date{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("rent:", bal)
	// Output:
	// 2 1 reverse/1 Storno: booked twice
	// 4210 -800.00 EUR
	// 1200 800.00 EUR
	// rent: 0
}

func ExampleLedger_Balances() {
	ctx := context.Background()
	l := newExampleBook()

	for _, e := range []ledger.Entry{
		{Book: "acme", Date: date.MustParse("2026-01-15"), Lines: []ledger.Line{
			ledger.Debit("1400", eur("500.00")), ledger.Credit("8400", eur("500.00"))}},
		{Book: "acme", Date: date.MustParse("2026-02-10"), Lines: []ledger.Line{
			ledger.Debit("1200", eur("300.00")), ledger.Credit("1400", eur("300.00"))}},
		{Book: "acme", Date: date.MustParse("2026-02-20"), Lines: []ledger.Line{
			ledger.Debit("4210", eur("120.00")), ledger.Credit("1200", eur("120.00"))}},
		{Book: "acme", Date: date.MustParse("2026-03-05"), Lines: []ledger.Line{
			ledger.Debit("1400", eur("70.00")), ledger.Credit("8400", eur("70.00"))}},
	} {
		if _, err := l.Post(ctx, e); err != nil {
			log.Fatal(err)
		}
	}

	// February, with each group account covering its subtree.
	rows, err := l.Balances(ctx, "acme", ledger.BalanceQuery{
		From: date.MustParse("2026-02-01"), To: date.MustParse("2026-02-28"), Rollup: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%-18s %8s %8s %8s %8s\n", "account", "opening", "debit", "credit", "closing")
	for _, r := range rows {
		name := fmt.Sprintf("%*s%s %s", 2*r.Level, "", r.Account.Code, r.Account.Name)
		fmt.Printf("%-18s %8s %8s %8s %8s\n", name, r.Opening.Number(), r.Debit.Number(), r.Credit.Number(), r.Closing.Number())
	}
	// Output:
	// account             opening    debit   credit  closing
	// 1000 Assets          500.00   300.00   420.00   380.00
	//   1200 Bank            0.00   300.00   120.00   180.00
	//   1400 Receivables   500.00     0.00   300.00   200.00
	// 4210 Rent              0.00   120.00     0.00   120.00
	// 8400 Revenue        -500.00     0.00     0.00  -500.00
}

func ExampleLedger_Balance() {
	ctx := context.Background()
	l := newExampleBook()

	for _, e := range []ledger.Entry{
		{Book: "acme", Date: date.MustParse("2026-01-15"), Lines: []ledger.Line{
			ledger.Debit("1400", eur("500.00")), ledger.Credit("8400", eur("500.00"))}},
		{Book: "acme", Date: date.MustParse("2026-02-10"), Lines: []ledger.Line{
			ledger.Debit("1200", eur("300.00")), ledger.Credit("1400", eur("300.00"))}},
	} {
		if _, err := l.Post(ctx, e); err != nil {
			log.Fatal(err)
		}
	}
	for _, q := range []struct {
		code    string
		asOf    string
		subtree bool
	}{
		{"1400", "2026-01-31", false},
		{"1400", "", false}, // now
		{"1000", "", false}, // the group account itself has no postings
		{"1000", "", true},  // its subtree: 1200 + 1400
		{"8400", "", false}, // revenue stands on the credit side
	} {
		var asOf date.Date
		if q.asOf != "" {
			asOf = date.MustParse(q.asOf)
		}
		balance := l.Balance
		if q.subtree {
			balance = l.SubtreeBalance
		}
		b, err := balance(ctx, "acme", q.code, asOf)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s %-10s subtree=%-5t %s\n", q.code, q.asOf, q.subtree, b)
	}
	// Output:
	// 1400 2026-01-31 subtree=false 500.00 EUR
	// 1400            subtree=false 200.00 EUR
	// 1000            subtree=false 0
	// 1000            subtree=true  500.00 EUR
	// 8400            subtree=false -500.00 EUR
}

func ExampleLedger_ClosePeriod() {
	ctx := context.Background()
	l := newExampleBook()
	rent := func(day string) ledger.Entry {
		return ledger.Entry{Book: "acme", Date: date.MustParse(day), Lines: []ledger.Line{
			ledger.Debit("4210", eur("800.00")), ledger.Credit("1200", eur("800.00"))}}
	}

	// Close March 2026: period 3 of fiscal year 2026.
	if err := l.ClosePeriod(ctx, "acme", 2026, 3); err != nil {
		log.Fatal(err)
	}
	_, err := l.Post(ctx, rent("2026-03-31"))
	fmt.Println(errors.Is(err, ledger.ErrPeriodClosed))

	// Reopening needs a reason, which the period history keeps.
	if err := l.ReopenPeriod(ctx, "acme", 2026, 3, "late rent invoice"); err != nil {
		log.Fatal(err)
	}
	_, err = l.Post(ctx, rent("2026-03-31"))
	fmt.Println(err)

	evs, err := l.PeriodHistory(ctx, "acme")
	if err != nil {
		log.Fatal(err)
	}
	for _, ev := range evs {
		fmt.Printf("%d/%02d %s %s %q\n", ev.FiscalYear, ev.Number, ev.State, ev.At.Format(time.RFC3339), ev.Reason)
	}
	// Output:
	// true
	// <nil>
	// 2026/03 closed 2026-03-31T17:30:00Z ""
	// 2026/03 open 2026-03-31T17:30:00Z "late rent invoice"
}

func ExampleLedger_CloseYear() {
	ctx := context.Background()
	l := newExampleBook()

	for _, e := range []ledger.Entry{
		{Book: "acme", Date: date.MustParse("2026-05-15"), Lines: []ledger.Line{
			ledger.Debit("1200", eur("1000.00")), ledger.Credit("8400", eur("1000.00"))}},
		{Book: "acme", Date: date.MustParse("2026-06-01"), Lines: []ledger.Line{
			ledger.Debit("4210", eur("800.00")), ledger.Credit("1200", eur("800.00"))}},
	} {
		if _, err := l.Post(ctx, e); err != nil {
			log.Fatal(err)
		}
	}

	closing, err := l.CloseYear(ctx, "acme", 2026, "2970")
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range closing {
		fmt.Println(p.Key, p.Journal, p.Date)
		for _, ln := range p.Lines {
			fmt.Println(" ", ln.Account, ln.Amount)
		}
	}

	// Idempotent: a second run finds nothing to close and posts nothing.
	again, err := l.CloseYear(ctx, "acme", 2026, "2970")
	fmt.Println(len(again), again[0].Seq == closing[0].Seq, err)

	// The year's periods are closed.
	p, err := l.Period(ctx, "acme", date.MustParse("2026-12-31"))
	fmt.Println(p.FiscalYear, p.Number, p.State, err)
	// Output:
	// close/2026/1 CLOSE 2026-12-31
	//   4210 -800.00 EUR
	//   8400 1000.00 EUR
	//   2970 -200.00 EUR
	// 1 true <nil>
	// 2026 12 closed <nil>
}

func ExampleLedger_Verify() {
	ctx := context.Background()
	l := newExampleBook()

	var last ledger.Posted
	for _, amount := range []string{"100.00", "250.00"} {
		p, err := l.Post(ctx, ledger.Entry{Book: "acme", Date: date.MustParse("2026-03-10"), Lines: []ledger.Line{
			ledger.Debit("1200", eur(amount)), ledger.Credit("8400", eur(amount))}})
		if err != nil {
			log.Fatal(err)
		}
		last = p
	}

	head, err := l.Verify(ctx, "acme")
	if err != nil {
		// A *ledger.VerifyError wrapping ledger.ErrTampered names the first bad record.
		log.Fatal(err)
	}
	// Keep the head elsewhere to detect a chain rewritten from scratch.
	fmt.Println(head.Seq, head.Hash == last.Hash)
	// Output:
	// 2 true
}

func ExampleSKR03() {
	ctx := context.Background()
	l := ledger.New(memory.New(), nil)
	if err := l.CreateBook(ctx, ledger.Book{ID: "gmbh", Name: "Muster GmbH", Currency: money.EUR}); err != nil {
		log.Fatal(err)
	}
	if err := l.CreateAccounts(ctx, ledger.SKR03("gmbh")...); err != nil {
		log.Fatal(err)
	}

	// Ausgangsrechnung 100,00 EUR netto + 19 % USt, bezahlt per Bank.
	_, err := l.Post(ctx, ledger.Entry{
		Book: "gmbh", Key: "AR-2026-0001", Date: date.MustParse("2026-04-14"), Voucher: "AR-2026-0001",
		Lines: []ledger.Line{
			ledger.Debit("1200", eur("119.00")),
			ledger.Credit("8400", eur("100.00")),
			ledger.Credit("1776", eur("19.00")),
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	rows, err := l.Balances(ctx, "gmbh", ledger.BalanceQuery{})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range rows {
		fmt.Printf("%s %-20s %8s\n", r.Account.Code, r.Account.Name, r.Closing.Number())
	}
	// Output:
	// 1200 Bank                   119.00
	// 1776 Umsatzsteuer 19 %      -19.00
	// 8400 Erlöse 19 % USt       -100.00
}
