package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/store/sqlite"
	"github.com/openbackoffice/backoffice/store/storetest"
)

// TestFaults interrupts a large PostBatch by cancelling its context or by
// closing the store, and checks that the batch either landed whole or left
// nothing behind, and that the file stays sound for the next process.
func TestFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("posts large batches")
	}
	for _, fault := range []string{"cancel", "close"} {
		t.Run(fault, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "books.db")
			s, err := sqlite.Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			l := ledger.New(s, nil)
			storetest.BenchBook(t, l, "bench", 100)
			defer func() { s.Close() }()
			hit := false
			var landed uint64
			for attempt := 0; attempt < 6 && !hit; attempt++ {
				es := storetest.Transfers("bench", 20_000, 100, uint64(attempt), 31)
				cctx, cancel := context.WithCancel(ctx)
				done := make(chan error, 1)
				go func() { _, err := l.PostBatch(cctx, es); done <- err }()
				time.Sleep(time.Duration(20+attempt*20) * time.Millisecond)
				if fault == "cancel" {
					cancel()
				} else {
					s.Close()
				}
				var perr error
				select {
				case perr = <-done:
				case <-time.After(30 * time.Second):
					t.Fatal("PostBatch did not return after the fault")
				}
				cancel()
				if fault == "close" { // reopen, as the next process would
					if s, err = sqlite.Open(ctx, path); err != nil {
						t.Fatal(err)
					}
					l = ledger.New(s, nil)
				}
				head, err := l.Verify(ctx, "bench")
				if err != nil {
					t.Fatalf("Verify after %s: %v", fault, err)
				}
				switch {
				case perr != nil && head.Seq == landed:
					hit = true // refused whole
				case perr == nil && head.Seq == landed+uint64(len(es)):
					landed = head.Seq // landed whole before the fault
				default:
					t.Fatalf("after %s: error %v, head %d, was %d: half-written", fault, perr, head.Seq, landed)
				}
				if fault == "close" {
					// database/sql's Close lets a running transaction finish,
					// so the batch lands whole: that is the outcome to check.
					hit = hit || perr == nil
				}
			}
			if !hit {
				t.Errorf("no attempt was hit mid-flight")
			}
		})
	}
}
