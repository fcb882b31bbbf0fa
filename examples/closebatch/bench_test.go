package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/examples/closebatch/batch"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/postgres"
)

// BenchmarkClosePostgres closes March 2026 for 100 books of 10,000 entries
// each on PostgreSQL, as closebatch does (verify the chain, check the trial
// balance, close), in a schema of its own. Setting up the books takes
// about as long again and is not timed.
//
//	BACKOFFICE_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable \
//	  go test -run '^$' -bench BenchmarkClosePostgres -benchtime 1x -timeout 30m ./examples/closebatch
func BenchmarkClosePostgres(b *testing.B) {
	dsn := os.Getenv("BACKOFFICE_TEST_POSTGRES")
	if dsn == "" {
		b.Skip("BACKOFFICE_TEST_POSTGRES not set")
	}
	const books, perBook = 100, 10_000
	ctx := context.Background()
	admin, err := postgres.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	var rb [6]byte
	rand.Read(rb[:])
	schema := "bo_bench_" + hex.EncodeToString(rb[:])
	if _, err := admin.DB().ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		b.Fatal(err)
	}
	defer admin.DB().ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE")
	u, err := url.Parse(dsn)
	if err != nil {
		b.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	s, err := batch.OpenStore(ctx, u.String())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	l := batch.NewLedger(s)
	t0 := time.Now()
	ids := make([]string, books)
	for i := range books {
		id := fmt.Sprintf("book%03d", i)
		ids[i] = id
		if err := l.CreateBook(ctx, ledger.Book{ID: id, Name: id, Currency: money.EUR}); err != nil {
			b.Fatal(err)
		}
		if err := l.CreateAccounts(ctx, ledger.DefaultChart(id)...); err != nil {
			b.Fatal(err)
		}
		es := make([]ledger.Entry, perBook)
		for j := range es {
			a := money.New(int64(100+j%5000), money.EUR)
			v := money.New(int64(19+j%900), money.EUR)
			g, _ := a.Add(v)
			es[j] = ledger.Entry{Book: id, Key: fmt.Sprint(j), Date: date.New(2026, 3, 1+j%31),
				Lines: []ledger.Line{ledger.Debit("1200", g), ledger.Credit("4100", a), ledger.Credit("2120", v)}}
		}
		if _, err := l.PostBatch(ctx, es); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("setup: %d books × %d entries in %v", books, perBook, time.Since(t0).Round(time.Second))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	// Each sub-benchmark closes a month of its own (closing is idempotent);
	// verifying reads every entry of a book whichever month closes, so the
	// months cost the same. March holds the entries.
	for _, c := range []struct {
		jobs  int
		month date.Date
	}{{4, date.New(2026, 3, 1)}, {2, date.New(2026, 4, 1)}, {1, date.New(2026, 5, 1)}} {
		b.Run(fmt.Sprintf("jobs=%d", c.jobs), func(b *testing.B) {
			for b.Loop() {
				res := batch.CloseAll(ctx, s, c.jobs, ids, c.month, log, new(batch.Progress))
				if len(res.Failed) > 0 || res.Closed != books {
					b.Fatalf("%+v", res)
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/100books")
		})
	}
}
