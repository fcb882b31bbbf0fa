package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"testing"

	"github.com/openbackoffice/backoffice/ledger"
)

// BenchVerify posts n two-line entries (dated over a year, 1,000 accounts)
// to a new book of s, then measures Ledger.Verify of it — the chain, the
// balances, the month and year totals, the dimension index and the state
// log — and reports postings verified per second. Beside it, in the same
// run, it measures two baselines: SHA-256 alone of as many bytes as Verify
// hashes (per entry a payload the size of its canonical one and the
// 80-byte chain input), and, if floor is not nil, floor, which must read
// the book's rows as the store's Scan does without building entries (a
// SQL store's SELECTs decoded into Go values) and return the number of
// postings read.
func BenchVerify(b *testing.B, s ledger.Store, n int, floor func(ctx context.Context, book string) (int, error)) {
	ctx := context.Background()
	l := ledger.New(s, nil)
	BenchBook(b, l, "V", 1000)
	es := Transfers("V", n, 1000, 3, 365)
	for i := 0; i < len(es); i += 5000 {
		if _, err := l.PostBatch(ctx, es[i:min(i+5000, len(es))]); err != nil {
			b.Fatal(err)
		}
	}
	postings := float64(2 * n)
	report := func(b *testing.B) {
		b.ReportMetric(postings*float64(b.N)/b.Elapsed().Seconds(), "postings/s")
	}
	b.Run("baseline=sha256", func(b *testing.B) {
		payloads := make([][]byte, len(es))
		for i, e := range es {
			payloads[i] = payloadLike(e)
		}
		var chain [80]byte // previous hash, seq, time, digest
		var h [32]byte
		for b.Loop() {
			for _, p := range payloads {
				d := sha256.Sum256(p)
				copy(chain[:32], h[:])
				copy(chain[48:], d[:])
				h = sha256.Sum256(chain[:])
			}
		}
		report(b)
	})
	if floor != nil {
		b.Run("baseline=select", func(b *testing.B) {
			for b.Loop() {
				got, err := floor(ctx, "V")
				if err != nil {
					b.Fatal(err)
				}
				if got != 2*n {
					b.Fatalf("floor read %d postings, want %d", got, 2*n)
				}
			}
			report(b)
		})
	}
	b.Run("Verify", func(b *testing.B) {
		for b.Loop() {
			if _, err := l.Verify(ctx, "V"); err != nil {
				b.Fatal(err)
			}
		}
		report(b)
	})
}

// payloadLike returns bytes as many as e's canonical payload (ledger/doc.go)
// when e has no metadata, dimensions or base amounts and its strings are
// shorter than 128 bytes, as Transfers' entries: its fields in that order,
// each string after a one-byte length, every number but the amounts as
// one byte. SHA-256's cost depends on the length alone.
func payloadLike(e ledger.Entry) []byte {
	str := func(b []byte, s string) []byte { return append(append(b, byte(len(s))), s...) }
	b := []byte{1} // version
	b = str(str(b, e.Book), e.Key)
	b = append(b, 10)
	b = e.Date.AppendText(b)
	b = str(str(str(b, e.Description), e.Voucher), "GL")
	b = append(b, 0, 0, 0, byte(len(e.Lines))) // reverses, adjusts, metadata, lines
	for _, l := range e.Lines {
		b = str(str(b, l.Account), l.Amount.Currency().Code())
		b = append(b, byte(l.Amount.Currency().MinorUnits()))
		b = binary.AppendVarint(b, l.Amount.MinorUnits())
		b = append(str(b, l.Memo), 0) // memo, dimensions
	}
	return b
}
