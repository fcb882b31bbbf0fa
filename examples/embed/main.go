// Command embed is the smallest program embedding backoffice: it posts a few
// entries into a book kept in a SQLite file, the embedded default store, and
// prints the trial balance. The file lives in a temporary directory and is
// removed at the end; pass a path to keep it (a second run then finds the
// entries already posted under their keys and posts nothing twice).
//
//	go run ./examples/embed [books.db]
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/sqlite"
)

func main() {
	if err := run(context.Background()); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context) error {
	path := ""
	if len(os.Args) > 1 {
		path = os.Args[1]
	} else {
		dir, err := os.MkdirTemp("", "embed")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "books.db")
	}
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		return err
	}
	defer s.Close()
	l := ledger.New(s, nil)
	if _, err := l.Book(ctx, "acme"); errors.Is(err, ledger.ErrUnknownBook) {
		if err := l.CreateBook(ctx, ledger.Book{ID: "acme", Name: "ACME GmbH", Currency: money.EUR}); err != nil {
			return err
		}
		if err := l.CreateAccounts(ctx, ledger.SKR03("acme")...); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	eur := func(s string) money.Amount { return money.MustParse(s, money.EUR) }
	d := date.MustParse
	entries := []ledger.Entry{
		{Key: "capital", Date: d("2026-01-02"), Description: "Share capital paid in", Lines: []ledger.Line{
			ledger.Debit("1200", eur("25000.00")), ledger.Credit("0800", eur("25000.00"))}},
		{Key: "inv-1001", Date: d("2026-01-15"), Voucher: "AR-1001", Description: "Consulting, January", Lines: []ledger.Line{
			ledger.Debit("1400", eur("11900.00")), ledger.Credit("8400", eur("10000.00")), ledger.Credit("1776", eur("1900.00"))}},
		{Key: "pay-1001", Date: d("2026-01-29"), Voucher: "AR-1001", Description: "Customer pays invoice", Lines: []ledger.Line{
			ledger.Debit("1200", eur("11900.00")), ledger.Credit("1400", eur("11900.00"))}},
		{Key: "rent-01", Date: d("2026-01-31"), Voucher: "ER-17", Description: "Office rent, January", Lines: []ledger.Line{
			ledger.Debit("4210", eur("1500.00")), ledger.Credit("1200", eur("1500.00"))}},
	}
	for i := range entries {
		entries[i].Book = "acme"
	}
	if _, err := l.PostBatch(ctx, entries); err != nil {
		return err
	}
	rows, err := l.Balances(ctx, "acme", ledger.BalanceQuery{From: d("2026-01-01"), To: d("2026-01-31")})
	if err != nil {
		return err
	}
	fmt.Println("Trial balance, January 2026 (EUR)")
	fmt.Printf("%-6s %-44s %12s %12s %12s\n", "Acct", "Name", "Debit", "Credit", "Balance")
	dr, cr := money.Zero(money.EUR), money.Zero(money.EUR)
	for _, r := range rows {
		fmt.Printf("%-6s %-44s %12s %12s %12s\n", r.Account.Code, r.Account.Name,
			r.Debit.Format(money.German), r.Credit.Format(money.German), r.Closing.Format(money.German))
		if dr, err = dr.Add(r.Debit); err != nil {
			return err
		}
		if cr, err = cr.Add(r.Credit); err != nil {
			return err
		}
	}
	fmt.Printf("%-51s %12s %12s\n", "Total", dr.Format(money.German), cr.Format(money.German))
	head, err := l.Verify(ctx, "acme")
	if err != nil {
		return err
	}
	fmt.Printf("\n%d entries, hash chain verified: %x\n", head.Seq, head.Hash[:8])
	return nil
}
