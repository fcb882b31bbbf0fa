package backup_test

import (
	"bytes"
	"context"
	"errors"
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

// A book is archived whole, then twice more incrementally as it goes on;
// the full archive and its increments restore, in order, into another
// store. Restored out of order, they are refused.
func ExampleRestoreChain() {
	ctx := context.Background()
	src := memory.New()
	l := ledger.New(src, nil)
	err := l.CreateBook(ctx, ledger.Book{ID: "acme", Name: "ACME GmbH", Currency: money.EUR})
	if err == nil {
		err = l.CreateAccounts(ctx,
			ledger.Account{Book: "acme", Code: "1200", Name: "Bank", Type: ledger.Asset},
			ledger.Account{Book: "acme", Code: "8400", Name: "Revenue", Type: ledger.Revenue})
	}
	if err != nil {
		log.Fatal(err)
	}
	sale := func(i int) {
		amt := money.New(int64(i)*10000, money.EUR)
		if _, err := l.Post(ctx, ledger.Entry{Book: "acme", Key: fmt.Sprint("sale/", i), Date: date.New(2026, 3, i),
			Lines: []ledger.Line{ledger.Debit("1200", amt), ledger.Credit("8400", amt)}}); err != nil {
			log.Fatal(err)
		}
	}
	// archive writes an archive of src, incremental on since if not nil.
	archive := func(since *backup.Archive) *backup.Archive {
		var buf bytes.Buffer
		if _, err := backup.Write(ctx, &buf, src, &backup.Options{Since: since}); err != nil {
			log.Fatal(err)
		}
		a, err := backup.Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			log.Fatal(err)
		}
		return a
	}

	sale(1)
	sale(2)
	full := archive(nil)
	sale(3)
	inc1 := archive(full)
	sale(4)
	sale(5)
	inc2 := archive(inc1)
	for _, a := range []*backup.Archive{full, inc1, inc2} {
		bs := a.Manifest.Books[0]
		from := uint64(0)
		if bs.Base != nil {
			from = bs.Base.Head.Seq
		}
		fmt.Printf("incremental %t: entries %d to %d\n", a.Manifest.Incremental(), from+1, bs.Head.Seq)
	}

	err = backup.RestoreChain(ctx, memory.New(), []*backup.Archive{full, inc2, inc1}, nil)
	fmt.Println(errors.Is(err, backup.ErrChain))

	dst := memory.New()
	if err := backup.RestoreChain(ctx, dst, []*backup.Archive{full, inc1, inc2}, nil); err != nil {
		log.Fatal(err)
	}
	head, err := ledger.New(dst, nil).Verify(ctx, "acme")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("restored and verified up to entry", head.Seq)
	// Output:
	// incremental false: entries 1 to 2
	// incremental true: entries 3 to 3
	// incremental true: entries 4 to 5
	// true
	// restored and verified up to entry 5
}
