package storetest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// testConcurrency has 16 goroutines, using two ledgers over the store,
// post random transfers between 8 hot accounts, four of which must not go
// negative, while 10 % of submissions repeat a transfer submitted by any
// goroutine, with the same key and payload. Then it checks the invariants.
func (s suite) testConcurrency(t *testing.T) {
	const (
		workers     = 16
		hot         = 8
		constrained = 4 // H0–H3 must not go negative
	)
	perWorker := 1000
	if testing.Short() {
		perWorker = 200
	}
	e := s.env(t)
	e.book("C")
	codes := make([]string, hot)
	var accts []ledger.Account
	for i := range codes {
		codes[i] = fmt.Sprintf("H%d", i)
		a := acct("C", codes[i], "Hot "+codes[i], ledger.Asset)
		if i < constrained {
			a.Constraint = ledger.NonNegative()
		}
		accts = append(accts, a)
	}
	e.accounts(append(accts, acct("C", "3000", "Equity", ledger.Equity))...)
	// H0–H3 start with 1000.00 each: 4000.00 from equity.
	fund := ledger.Entry{Book: "C", Key: "fund", Date: day("2026-04-30"), Lines: []ledger.Line{ledger.Credit("3000", eur("4000.00"))}}
	for i := range constrained {
		fund.Lines = append(fund.Lines, ledger.Debit(codes[i], eur("1000.00")))
	}
	e.post(fund)

	// Every transfer is made up front from a fixed seed per goroutine, so
	// that any goroutine can resubmit any of them unchanged.
	payloads := make([][]ledger.Entry, workers)
	for g := range payloads {
		r := rand.New(rand.NewPCG(uint64(g+1), 0x5eed))
		payloads[g] = make([]ledger.Entry, perWorker)
		for i := range payloads[g] {
			from := r.IntN(hot)
			to := (from + 1 + r.IntN(hot-1)) % hot
			a := money.New(1+r.Int64N(30000), money.EUR) // 0.01–300.00
			payloads[g][i] = ledger.Entry{
				Book: "C", Key: fmt.Sprintf("g%02d-%04d", g, i), Date: day("2026-05-01").AddDays(r.IntN(31)),
				Description: "transfer", Lines: []ledger.Line{ledger.Debit(codes[to], a), ledger.Credit(codes[from], a)},
			}
		}
	}

	// Two ledgers over the one store, as two processes would have.
	ledgers := []*ledger.Ledger{e.l, ledger.New(e.store, &ledger.Options{Now: e.clock.Now, Currencies: e.reg})}
	var (
		mu       sync.Mutex
		posted   = map[string]uint64{} // key → Seq, for every Post that succeeded
		rejected int
		retries  int
		wg       sync.WaitGroup
	)
	for g := range workers {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(g+1), 0xc0ffee))
			for i := range perWorker {
				en := payloads[g][i]
				retry := i > 0 && r.IntN(10) == 0
				if retry {
					en = payloads[r.IntN(workers)][r.IntN(i)]
				}
				p, err := ledgers[g%2].Post(e.ctx, en)
				mu.Lock()
				if retry {
					retries++
				}
				switch {
				case errors.Is(err, ledger.ErrConstraint):
					rejected++
				case err != nil:
					t.Errorf("Post(%s): %v", en.Key, err)
				case p.Key != en.Key:
					t.Errorf("Post(%s) returned entry %d with key %q", en.Key, p.Seq, p.Key)
				default:
					if seq, ok := posted[en.Key]; ok && seq != p.Seq {
						t.Errorf("key %s posted twice: seqs %d and %d", en.Key, seq, p.Seq)
					}
					posted[en.Key] = p.Seq
				}
				mu.Unlock()
				if t.Failed() {
					return
				}
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	t.Logf("%d submissions (%d repeats): %d keys posted, %d rejections", workers*perWorker, retries, len(posted), rejected)

	entries := e.allEntries("C")
	// Gapless: 1 … n, and n is the fund plus one entry per posted key.
	for i, p := range entries {
		if p.Seq != uint64(i+1) {
			t.Fatalf("entry %d has Seq %d", i+1, p.Seq)
		}
	}
	if len(entries) != len(posted)+1 {
		t.Errorf("%d entries, want %d (fund + %d keys posted)", len(entries), len(posted)+1, len(posted))
	}
	// Each stored entry was reported posted, under its key, exactly once.
	seen := map[string]bool{}
	for _, p := range entries[1:] {
		if seen[p.Key] {
			t.Errorf("key %s stored twice", p.Key)
		}
		seen[p.Key] = true
		if seq, ok := posted[p.Key]; !ok || seq != p.Seq {
			t.Errorf("entry %d (key %s) stored, but Post reported %d, %v", p.Seq, p.Key, seq, ok)
		}
	}

	head := e.verify("C")
	if h := e.head("C"); h != head || head.Seq != uint64(len(entries)) {
		t.Errorf("Verify = %d, Head = %d, entries = %d", head.Seq, h.Seq, len(entries))
	}
	sums := dropZero(sumLines(entries))
	bals := e.storeBalances("C")
	if diff := cmp.Diff(nonZero(bals), sums, sortKeys, cmpOpts); diff != "" {
		t.Errorf("maintained balances differ from the sums of postings (-got +want):\n%s", diff)
	}
	if z := zeroSums(bals); len(z) != 0 {
		t.Errorf("balances do not sum to zero: %v", z)
	}
	// Replayed in sequence order, which is commit order, no constrained
	// account is ever negative.
	running := map[string]int64{}
	for _, p := range entries {
		for _, l := range p.Lines {
			running[l.Account] += l.Amount.MinorUnits()
		}
		for i := range constrained {
			if running[codes[i]] < 0 {
				t.Fatalf("after entry %d, %s is %d minor units", p.Seq, codes[i], running[codes[i]])
			}
		}
	}
	for _, c := range codes {
		got, err := e.l.Balance(e.ctx, "C", c, date.Date{})
		if err != nil {
			t.Fatal(err)
		}
		if want := running[c]; got.In(money.EUR).MinorUnits() != want {
			t.Errorf("Balance(%s) = %v, want %d minor units", c, got, want)
		}
	}
}
