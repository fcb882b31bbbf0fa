package ledger_test

import (
	"context"
	"crypto/sha256"
	"testing"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/store/memory"
)

// BenchmarkVerify verifies a book of 300,000 entries (about 900,000
// postings over 1,000 accounts) in the memory store: the chain, the
// balances, the month and year totals and the state log, in one pass;
// beside it, reading and summing the entries without any check, and
// SHA-256 alone of the bytes Verify hashes.
//
//	go test -run='^$' -bench=BenchmarkVerify -benchtime=5x -count=3 ./ledger
func BenchmarkVerify(b *testing.B) {
	ctx := context.Background()
	l := benchBookOn(b, ledger.New(memory.New(), nil), 1000)
	entries := benchEntries(300_000, 1000, 7)
	postings := 0
	for i := 0; i < len(entries); i += 10_000 {
		batch := entries[i:min(i+10_000, len(entries))]
		if _, err := l.PostBatch(ctx, batch); err != nil {
			b.Fatal(err)
		}
		for _, e := range batch {
			postings += len(e.Lines)
		}
	}
	b.Run("baseline=scan-and-sum", func(b *testing.B) {
		// What any check must cost at least: every entry read, every
		// line's amount added to a map by account.
		s := memoryScan(l)
		for b.Loop() {
			sums := map[string]int64{}
			if err := s(func(p *ledger.Posted) {
				for _, ln := range p.Lines {
					sums[ln.Account] += ln.Amount.MinorUnits()
				}
			}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(postings)*float64(b.N)/b.Elapsed().Seconds(), "postings/s")
	})
	b.Run("baseline=sha256", func(b *testing.B) {
		// SHA-256 alone of the bytes Verify hashes: every entry's
		// canonical payload and its 80-byte chain input.
		var payloads [][]byte
		if err := memoryScan(l)(func(p *ledger.Posted) {
			payloads = append(payloads, ledger.CanonicalPayload(&p.Entry))
		}); err != nil {
			b.Fatal(err)
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
		b.ReportMetric(float64(postings)*float64(b.N)/b.Elapsed().Seconds(), "postings/s")
	})
	b.Run("Verify", func(b *testing.B) {
		for b.Loop() {
			if _, err := l.Verify(ctx, "bench"); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(postings)*float64(b.N)/b.Elapsed().Seconds(), "postings/s")
	})
}

// memoryScan returns a function that reads every entry of book "bench"
// through the ledger's Entries, a page at a time.
func memoryScan(l *ledger.Ledger) func(func(*ledger.Posted)) error {
	return func(fn func(*ledger.Posted)) error {
		var after uint64
		for {
			ps, err := l.Entries(context.Background(), "bench", ledger.EntryQuery{After: after, Limit: 10_000})
			if err != nil || len(ps) == 0 {
				return err
			}
			for i := range ps {
				fn(&ps[i])
			}
			after = ps[len(ps)-1].Seq
		}
	}
}
