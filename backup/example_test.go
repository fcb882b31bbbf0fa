package backup_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"time"

	"github.com/openbackoffice/backoffice/backup"
	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/memory"
)

// A book of three entries is archived as it stood at its second entry,
// the archive checked on its own, and a restore drill run against the
// live book, which has gone on since.
func ExampleDrill() {
	ctx := context.Background()
	live := memory.New()
	clock := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	l := ledger.New(live, &ledger.Options{Now: func() time.Time { clock = clock.Add(time.Minute); return clock }})
	err := l.CreateBook(ctx, ledger.Book{ID: "acme", Name: "ACME GmbH", Currency: money.EUR})
	if err == nil {
		err = l.CreateAccounts(ctx,
			ledger.Account{Book: "acme", Code: "1200", Name: "Bank", Type: ledger.Asset},
			ledger.Account{Book: "acme", Code: "8400", Name: "Revenue", Type: ledger.Revenue})
	}
	for i := 1; i <= 3 && err == nil; i++ {
		amt := money.New(int64(i)*10000, money.EUR)
		_, err = l.Post(ctx, ledger.Entry{Book: "acme", Key: fmt.Sprint("sale/", i), Date: date.New(2026, 3, i),
			Lines: []ledger.Line{ledger.Debit("1200", amt), ledger.Credit("8400", amt)}})
	}
	if err != nil {
		log.Fatal(err)
	}

	var buf bytes.Buffer
	m, err := backup.Write(ctx, &buf, live, &backup.Options{Seq: 2})
	if err != nil {
		log.Fatal(err)
	}
	cut := m.Books[0].AsOf
	fmt.Printf("archived up to entry %d, as of %s\n", cut.Seq, cut.Time.Format(time.RFC3339))

	a, err := backup.Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		log.Fatal(err)
	}
	if err := a.Verify(nil); err != nil {
		log.Fatal(err)
	}
	res, err := backup.Drill(ctx, a, live, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range res {
		fmt.Printf("%s: head %d restored, trial balance (%s) of %d accounts as the manifest's, live book %s\n", r.Book, r.Head.Seq, r.In, r.Rows, r.Live)
	}
	for _, row := range a.Manifest.Books[0].TrialBalance.Rows {
		fmt.Println(row.Account, row.Balance)
	}
	// Output:
	// archived up to entry 2, as of 2026-03-01T09:02:00Z
	// acme: head 2 restored, trial balance (base) of 2 accounts as the manifest's, live book ahead at entry 3
	// 1200 300.00 EUR
	// 8400 -300.00 EUR
}
