package sqlite_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/sqlite"
)

// An application stores an invoice in its own table and posts the journal
// entry for it in the same database transaction: both commit, or neither.
func ExampleStore_InTx() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "books")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	s, err := sqlite.Open(ctx, filepath.Join(dir, "books.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	books := ledger.New(s, nil)
	if err := books.CreateBook(ctx, ledger.Book{ID: "acme", Name: "ACME GmbH", Currency: money.EUR}); err != nil {
		log.Fatal(err)
	}
	if err := books.CreateAccounts(ctx,
		ledger.Account{Book: "acme", Code: "1400", Name: "Receivables", Type: ledger.Asset},
		ledger.Account{Book: "acme", Code: "8400", Name: "Revenue", Type: ledger.Revenue},
	); err != nil {
		log.Fatal(err)
	}
	db := s.DB()
	if _, err := db.ExecContext(ctx, "CREATE TABLE invoices (number TEXT PRIMARY KEY, total TEXT NOT NULL)"); err != nil {
		log.Fatal(err)
	}

	// One transaction: the invoice row and its journal entry.
	invoice := func(number string, total money.Amount, revenue string) error {
		tx, err := db.BeginTxx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback() // after Commit, a no-op
		if _, err := tx.ExecContext(ctx, "INSERT INTO invoices (number, total) VALUES (?, ?)", number, total.Number()); err != nil {
			return err
		}
		// A view of the long-lived ledger on this transaction: its options
		// and cached chart, no reload.
		_, err = books.WithTx(s.InTx(tx.Tx)).Post(ctx, ledger.Entry{
			Book: "acme", Key: "invoice/" + number, Date: date.MustParse("2026-03-31"), Voucher: number,
			Lines: []ledger.Line{ledger.Debit("1400", total), ledger.Credit(revenue, total)},
		})
		if err != nil {
			return err // the deferred Rollback drops the invoice row too
		}
		return tx.Commit()
	}
	fmt.Println("RE-1:", invoice("RE-1", money.MustParse("119.00", money.EUR), "8400"))
	fmt.Println("RE-2:", invoice("RE-2", money.MustParse("50.00", money.EUR), "9999")) // no such account

	var n int
	if err := db.GetContext(ctx, &n, "SELECT count(*) FROM invoices"); err != nil {
		log.Fatal(err)
	}
	bal, err := books.Balance(ctx, "acme", "1400", date.Date{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("invoices:", n, "receivables:", bal)
	// Output:
	// RE-1: <nil>
	// RE-2: entry (key "invoice/RE-2") line 1, account 9999: ledger: unknown account
	// invoices: 1 receivables: 119.00 EUR
}
