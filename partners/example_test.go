package partners_test

import (
	"context"
	"fmt"
	"log"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/partners"
	"github.com/openbackoffice/backoffice/store/memory"
)

// An invoice to a customer with 2 % cash discount within 10 days, paid
// within the discount period: the payment settles the item and posts the
// discount with its VAT correction.
func Example() {
	ctx := context.Background()
	store := memory.New()
	books := ledger.New(store, nil)
	p := partners.New(store, &partners.Options{Accounts: partners.SKR03Accounts()})
	err := books.CreateBook(ctx, ledger.Book{ID: "acme", Name: "ACME GmbH", Currency: money.EUR})
	if err == nil {
		err = books.CreateAccounts(ctx, ledger.SKR03("acme")...)
	}
	if err == nil {
		err = p.AddParties(ctx, partners.Party{Book: "acme", Number: "10001", Role: partners.Customer, Name: "Kunde GmbH",
			VATID: "DE136695976", Terms: partners.Terms{NetDays: 30, DiscountDays: 10, DiscountRate: decimal.RequireFromString("0.02")}})
	}
	if err != nil {
		log.Fatal(err)
	}
	inv, err := p.Post(ctx, partners.Invoice{Book: "acme", Key: "order-4711", Kind: partners.InvoiceKind,
		Party: "10001", Date: date.MustParse("2025-03-03"),
		Lines: []partners.InvoiceLine{{Account: "8400", Net: money.MustParse("1000.00", money.EUR), VAT: "19"}}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(inv.Number, inv.Gross, "due", inv.DueDate, "discount until", inv.DiscountDate)

	pay, err := p.Settle(ctx, partners.Payment{Book: "acme", Key: "bank/2025-03-12/1", Party: "10001",
		Date: date.MustParse("2025-03-12"), Account: "1200", Amount: money.MustParse("1166.20", money.EUR)})
	if err != nil {
		log.Fatal(err)
	}
	e, err := books.Entry(ctx, "acme", pay.Entry)
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range e.Lines {
		fmt.Printf("%s %9s\n", l.Account, l.Amount.Number())
	}
	it, err := p.Item(ctx, "acme", inv.Number)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("open:", it.Open)
	// Output:
	// RE00001 1190.00 EUR due 2025-04-02 discount until 2025-03-13
	// 1200   1166.20
	// 1400  -1190.00
	// 8736     20.00
	// 1776      3.80
	// open: 0.00 EUR
}

// Statutory default interest on 1000.00 EUR overdue from 15 June to
// 5 August 2025, for a business: 15 days at 2.27 + 9 % and 36 days at
// 1.27 + 9 %.
func ExampleDefaultInterest() {
	i, err := partners.DefaultInterest(partners.GermanBaseRates(), money.MustParse("1000.00", money.EUR),
		date.MustParse("2025-06-15"), date.MustParse("2025-08-05"), false)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(i)
	// Output: 14.76 EUR
}
