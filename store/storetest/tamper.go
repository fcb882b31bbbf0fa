package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// tamperStore shows the ledger a store changed behind its back: View
// passes every entry read through entry (which may change its copy, or
// drop it by returning false), the balances through balances and the head
// through head.
type tamperStore struct {
	ledger.Store
	entry    func(p *ledger.Posted) bool
	balances func([]ledger.AccountBalance) []ledger.AccountBalance
	head     func(ledger.Head) ledger.Head
	totals   func(*ledger.TotalsRow)
	account  func(*ledger.Account)
	book     func(*ledger.Book)
	state    func(*ledger.StateRecord) bool
}

func (s *tamperStore) View(ctx context.Context, fn func(ledger.ReadTx) error) error {
	return s.Store.View(ctx, func(tx ledger.ReadTx) error { return fn(tamperTx{tx, s}) })
}

type tamperTx struct {
	ledger.ReadTx
	s *tamperStore
}

func (t tamperTx) alter(p ledger.Posted) (ledger.Posted, bool) {
	p = copyPosted(p)
	if t.s.entry == nil {
		return p, true
	}
	return p, t.s.entry(&p)
}

func (t tamperTx) Scan(ctx context.Context, book string, from uint64, fn func(*ledger.Posted) error) error {
	return t.ReadTx.Scan(ctx, book, from, func(p *ledger.Posted) error {
		c, ok := t.alter(*p)
		if !ok {
			return nil
		}
		return fn(&c)
	})
}

// ScanAhead is Scan, read ahead if the store can, so that Verify checks
// the changed entries as it reads them from a SQL store.
func (t tamperTx) ScanAhead(ctx context.Context, book string, from uint64, fn func(*ledger.Posted) error) error {
	scan := t.ReadTx.Scan
	if a, ok := t.ReadTx.(ledger.AheadScanner); ok {
		scan = a.ScanAhead
	}
	return scan(ctx, book, from, func(p *ledger.Posted) error {
		c, ok := t.alter(*p)
		if !ok {
			return nil
		}
		return fn(&c)
	})
}

func (t tamperTx) Entries(ctx context.Context, book string, q ledger.EntryQuery) ([]ledger.Posted, error) {
	ps, err := t.ReadTx.Entries(ctx, book, q)
	var out []ledger.Posted
	for _, p := range ps {
		if c, ok := t.alter(p); ok {
			out = append(out, c)
		}
	}
	return out, err
}

func (t tamperTx) Entry(ctx context.Context, book string, seq uint64) (ledger.Posted, error) {
	p, err := t.ReadTx.Entry(ctx, book, seq)
	if err != nil {
		return p, err
	}
	c, ok := t.alter(p)
	if !ok {
		return ledger.Posted{}, ledger.ErrNotFound
	}
	return c, nil
}

func (t tamperTx) Head(ctx context.Context, book string) (ledger.Head, error) {
	h, err := t.ReadTx.Head(ctx, book)
	if err == nil && t.s.head != nil {
		h = t.s.head(h)
	}
	return h, err
}

func (t tamperTx) Balances(ctx context.Context, book string) ([]ledger.AccountBalance, error) {
	bs, err := t.ReadTx.Balances(ctx, book)
	if err == nil && t.s.balances != nil {
		bs = t.s.balances(slices.Clone(bs))
	}
	return bs, err
}

func (t tamperTx) ScanTotals(ctx context.Context, book string, fn func(ledger.TotalsRow) error) error {
	return t.ReadTx.(ledger.DerivedReader).ScanTotals(ctx, book, func(r ledger.TotalsRow) error {
		if t.s.totals != nil {
			t.s.totals(&r)
		}
		return fn(r)
	})
}

func (t tamperTx) ScanDimensions(ctx context.Context, book string, fn func(ledger.DimensionRow) error) error {
	return t.ReadTx.(ledger.DerivedReader).ScanDimensions(ctx, book, fn)
}

func (t tamperTx) ScanState(ctx context.Context, book string, fn func(ledger.StateRecord) error) error {
	return t.ReadTx.(ledger.StateReader).ScanState(ctx, book, func(r ledger.StateRecord) error {
		r.Data = slices.Clone(r.Data)
		if t.s.state != nil && !t.s.state(&r) {
			return nil
		}
		return fn(r)
	})
}

func (t tamperTx) Accounts(ctx context.Context, book string, codes ...string) ([]ledger.Account, error) {
	as, err := t.ReadTx.Accounts(ctx, book, codes...)
	if err == nil && t.s.account != nil {
		as = slices.Clone(as)
		for i := range as {
			t.s.account(&as[i])
		}
	}
	return as, err
}

func (t tamperTx) Book(ctx context.Context, id string) (ledger.Book, error) {
	b, err := t.ReadTx.Book(ctx, id)
	if err == nil && t.s.book != nil {
		t.s.book(&b)
	}
	return b, err
}

// testTampering changes one record at a time behind the ledger's back and
// checks that Verify names it. Book T holds three entries:
//
//	1  2026-01-10  1000 Dr 100.00  3000 Cr 100.00
//	2  2026-01-11  1200 Dr 40.00 (memo, cc)  1000 Cr 40.00, with key, voucher, metadata
//	3  2026-01-12  1000 Dr 5.00    3000 Cr 5.00
func (s suite) testTampering(t *testing.T) {
	e := s.env(t)
	e.book("T")
	e.accounts(acct("T", "1000", "Cash", ledger.Asset), acct("T", "1200", "Bank", ledger.Asset), acct("T", "3000", "Equity", ledger.Equity))
	e.post(ledger.Entry{Book: "T", Date: day("2026-01-10"), Lines: []ledger.Line{ledger.Debit("1000", eur("100.00")), ledger.Credit("3000", eur("100.00"))}})
	e.post(ledger.Entry{Book: "T", Key: "t2", Date: day("2026-01-11"), Description: "transfer", Voucher: "V2", Journal: "BANK",
		Metadata: map[string]string{"by": "alice"},
		Lines: []ledger.Line{
			{Account: "1200", Amount: eur("40.00"), Memo: "deposit", Dimensions: map[string]string{"cc": "CC-1"}},
			{Account: "1000", Amount: eur("-40.00")},
		}})
	e.post(ledger.Entry{Book: "T", Date: day("2026-01-12"), Lines: []ledger.Line{ledger.Debit("1000", eur("5.00")), ledger.Credit("3000", eur("5.00"))}})
	want := e.verify("T")

	at := func(seq uint64, f func(p *ledger.Posted)) func(*ledger.Posted) bool {
		return func(p *ledger.Posted) bool {
			if p.Seq == seq {
				f(p)
			}
			return true
		}
	}
	drop := func(seq uint64) func(*ledger.Posted) bool {
		return func(p *ledger.Posted) bool { return p.Seq != seq }
	}
	balance := func(f func(b *ledger.AccountBalance) bool) func([]ledger.AccountBalance) []ledger.AccountBalance {
		return func(bs []ledger.AccountBalance) []ledger.AccountBalance {
			return slices.DeleteFunc(bs, func(b ledger.AccountBalance) bool { return b.Account == "1200" && !f(&b) })
		}
	}
	setBalance := func(a money.Amount) func([]ledger.AccountBalance) []ledger.AccountBalance {
		return func(bs []ledger.AccountBalance) []ledger.AccountBalance {
			for i := range bs {
				if bs[i].Account == "1200" {
					bs[i].Balance = a
				}
			}
			return bs
		}
	}
	tests := []struct {
		name     string
		store    tamperStore
		seq      uint64 // VerifyError.Seq
		account  string // VerifyError.Account
		month    string // VerifyError.Month
		state    uint64 // VerifyError.State
		harmless bool   // not a change: Verify must pass
	}{
		{name: "nothing changed", harmless: true},
		{name: "RecordedAt in another time zone", harmless: true,
			store: tamperStore{entry: at(2, func(p *ledger.Posted) { p.RecordedAt = p.RecordedAt.In(time.FixedZone("X", -7*3600)) })}},
		{name: "amount of one line", seq: 2, store: tamperStore{entry: at(2, func(p *ledger.Posted) { p.Lines[0].Amount = eur("40.01") })}},
		{name: "amounts of both lines, still balanced", seq: 2, store: tamperStore{entry: at(2, func(p *ledger.Posted) {
			p.Lines[0].Amount, p.Lines[1].Amount = eur("4000.00"), eur("-4000.00")
		})}},
		{name: "currency", seq: 2, store: tamperStore{entry: at(2, func(p *ledger.Posted) {
			p.Lines[0].Amount, p.Lines[1].Amount = usd("40.00"), usd("-40.00")
		})}},
		{name: "account of a line", seq: 2, store: tamperStore{entry: at(2, func(p *ledger.Posted) { p.Lines[0].Account = "3000" })}},
		{name: "lines swapped", seq: 2, store: tamperStore{entry: at(2, func(p *ledger.Posted) { p.Lines[0], p.Lines[1] = p.Lines[1], p.Lines[0] })}},
		{name: "description", seq: 2, store: tamperStore{entry: at(2, func(p *ledger.Posted) { p.Description = "transfer!" })}},
		{name: "memo", seq: 2, store: tamperStore{entry: at(2, func(p *ledger.Posted) { p.Lines[0].Memo = "" })}},
		{name: "dimension", seq: 2, store: tamperStore{entry: at(2, func(p *ledger.Posted) { p.Lines[0].Dimensions["cc"] = "CC-2" })}},
		{name: "metadata", seq: 2, store: tamperStore{entry: at(2, func(p *ledger.Posted) { p.Metadata["by"] = "mallory" })}},
		{name: "date", seq: 2, store: tamperStore{entry: at(2, func(p *ledger.Posted) { p.Date = day("2026-01-12") })}},
		{name: "key", seq: 2, store: tamperStore{entry: at(2, func(p *ledger.Posted) { p.Key = "t3" })}},
		{name: "voucher", seq: 2, store: tamperStore{entry: at(2, func(p *ledger.Posted) { p.Voucher = "V3" })}},
		{name: "journal", seq: 2, store: tamperStore{entry: at(2, func(p *ledger.Posted) { p.Journal = "GL" })}},
		{name: "reverses", seq: 2, store: tamperStore{entry: at(2, func(p *ledger.Posted) { p.Reverses = 1 })}},
		{name: "book", seq: 2, store: tamperStore{entry: at(2, func(p *ledger.Posted) { p.Book = "U" })}},
		{name: "RecordedAt one microsecond later", seq: 2, store: tamperStore{entry: at(2, func(p *ledger.Posted) { p.RecordedAt = p.RecordedAt.Add(time.Microsecond) })}},
		{name: "digest", seq: 2, store: tamperStore{entry: at(2, func(p *ledger.Posted) { p.Digest[0] ^= 1 })}},
		{name: "hash", seq: 2, store: tamperStore{entry: at(2, func(p *ledger.Posted) { p.Hash[31] ^= 1 })}},
		{name: "first hash", seq: 1, store: tamperStore{entry: at(1, func(p *ledger.Posted) { p.Hash[0] ^= 1 })}},
		{name: "renumbered", seq: 2, store: tamperStore{entry: at(2, func(p *ledger.Posted) { p.Seq = 4 })}},
		{name: "first dropped", seq: 1, store: tamperStore{entry: drop(1)}},
		{name: "middle dropped", seq: 2, store: tamperStore{entry: drop(2)}},
		{name: "last dropped", seq: 3, store: tamperStore{entry: drop(3)}},
		{name: "head hash", seq: 3, store: tamperStore{head: func(h ledger.Head) ledger.Head { h.Hash[5] ^= 1; return h }}},
		{name: "head seq", seq: 4, store: tamperStore{head: func(h ledger.Head) ledger.Head { h.Seq++; return h }}},
		{name: "balance off by a cent", account: "1200", store: tamperStore{balances: setBalance(eur("40.01"))}},
		{name: "balance in another currency", account: "1200", store: tamperStore{balances: setBalance(usd("40.00"))}},
		{name: "balance missing", account: "1200", store: tamperStore{balances: balance(func(*ledger.AccountBalance) bool { return false })}},
		{name: "totals of a month raised, balanced", account: "1200", month: "2026-01", store: tamperStore{totals: func(r *ledger.TotalsRow) {
			switch r.Account {
			case "1200":
				r.Debit += 50000
			case "3000":
				r.Credit += 50000
			}
		}}},
		{name: "totals of a year only", account: "3000", month: "2026", store: tamperStore{totals: func(r *ledger.TotalsRow) {
			if r.Account == "3000" && r.Month == 0 {
				r.Credit--
			}
		}}},
		{name: "totals moved to the next month", account: "1200", month: "2026-01", store: tamperStore{totals: func(r *ledger.TotalsRow) {
			if r.Account == "1200" && r.Month == 1 {
				r.Month = 2
			}
		}}},
		{name: "account retyped", account: "3000", store: tamperStore{account: func(a *ledger.Account) {
			if a.Code == "3000" {
				a.Type = ledger.Revenue
			}
		}}},
		{name: "account closed", account: "1000", store: tamperStore{account: func(a *ledger.Account) { a.Closed = a.Code == "1000" }}},
		{name: "lock date set", store: tamperStore{book: func(b *ledger.Book) { b.LockDate = day("2026-01-31") }}},
		{name: "fiscal year moved", store: tamperStore{book: func(b *ledger.Book) { b.FiscalYearStart = 7 }}},
		{name: "state record dropped", state: 2, store: tamperStore{state: func(r *ledger.StateRecord) bool { return r.Seq != 2 }}},
		{name: "state record changed", state: 3, store: tamperStore{state: func(r *ledger.StateRecord) bool {
			if r.Seq == 3 {
				r.Data[len(r.Data)-1] ^= 1
			}
			return true
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := tt.store
			ts.Store = e.store
			l := ledger.New(&ts, &ledger.Options{Now: e.clock.Now, Currencies: e.reg})
			head, err := l.Verify(e.ctx, "T")
			if tt.harmless {
				if err != nil || head != want {
					t.Errorf("Verify = %d, %v; want %d, nil", head.Seq, err, want.Seq)
				}
				return
			}
			if !errors.Is(err, ledger.ErrTampered) {
				t.Fatalf("Verify = %v, want an error wrapping ErrTampered", err)
			}
			var ve *ledger.VerifyError
			if !errors.As(err, &ve) {
				t.Fatalf("Verify = %v, want a *VerifyError", err)
			}
			if ve.Book != "T" || ve.Seq != tt.seq || ve.Account != tt.account || ve.Month != tt.month || ve.State != tt.state {
				t.Errorf("VerifyError book %q, seq %d, account %q, month %q, state %d; want T, %d, %q, %q, %d (%v)",
					ve.Book, ve.Seq, ve.Account, ve.Month, ve.State, tt.seq, tt.account, tt.month, tt.state, err)
			}
		})
	}
	// VerifySince checks what came after a head verified before: a change
	// after it is named, one before it is not looked at, and a head whose
	// hash no longer matches is named.
	var first ledger.Head
	if err := e.store.View(e.ctx, func(tx ledger.ReadTx) error {
		p, err := tx.Entry(e.ctx, "T", 1)
		first = ledger.Head{Seq: 1, Hash: p.Hash}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		since ledger.Head
		store tamperStore
		seq   uint64 // 0: Verify passes
	}{
		{"since 1, nothing changed", first, tamperStore{}, 0},
		{"since 1 without its hash", ledger.Head{Seq: 1}, tamperStore{}, 0},
		{"since 0", ledger.Head{}, tamperStore{}, 0},
		{"since 1, entry 2 changed", first, tamperStore{entry: at(2, func(p *ledger.Posted) { p.Description = "x" })}, 2},
		{"since 2, entry 3 dropped", ledger.Head{Seq: 2}, tamperStore{entry: drop(3)}, 3},
		{"since 1, entry 1 rewritten", first, tamperStore{entry: at(1, func(p *ledger.Posted) { p.Hash[0] ^= 1 })}, 1},
		{"since 2, balance changed (not looked at)", ledger.Head{Seq: 2}, tamperStore{balances: setBalance(eur("40.01"))}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := tc.store
			ts.Store = e.store
			l := ledger.New(&ts, &ledger.Options{Now: e.clock.Now, Currencies: e.reg})
			head, err := l.VerifySince(e.ctx, "T", tc.since)
			var ve *ledger.VerifyError
			switch {
			case tc.seq == 0 && (err != nil || head != want):
				t.Errorf("VerifySince = %d, %v; want %d, nil", head.Seq, err, want.Seq)
			case tc.seq != 0 && (!errors.As(err, &ve) || ve.Seq != tc.seq):
				t.Errorf("VerifySince = %v, want entry %d named", err, tc.seq)
			}
		})
	}
	// The store itself was never changed.
	if got := e.verify("T"); got != want {
		t.Errorf("Verify of the real store = %+v, want %+v", got, want)
	}
}

// testVerifyOrder changes two things at once, or one entry in two ways, in
// a book of 1,000 entries and checks that Verify names the first bad record
// and the first check it fails, in the order sequence, book, digest,
// validity, chain: Verify checks the hashes apart from the rest and on
// another goroutine, and must still report as if it checked one entry
// after the other. Entry 700 is in the custom currency PTS, which a ledger
// without the env's registry finds no longer valid while its digest and
// hash still match.
func (s suite) testVerifyOrder(t *testing.T) {
	e := s.env(t)
	e.book("O")
	e.accounts(acct("O", "1000", "Cash", ledger.Asset), acct("O", "3000", "Equity", ledger.Equity))
	es := make([]ledger.Entry, 1000)
	for i := range es {
		a := money.New(int64(i+1), money.EUR)
		if i+1 == 700 {
			a = money.New(700, pts)
		}
		es[i] = ledger.Entry{Book: "O", Key: fmt.Sprintf("o%d", i+1), Date: day("2026-01-01").AddDays(i % 365),
			Lines: []ledger.Line{ledger.Debit("1000", a), ledger.Credit("3000", a)}}
	}
	if _, err := e.l.PostBatch(e.ctx, es); err != nil {
		t.Fatal(err)
	}
	want := e.verify("O")
	digest := func(p *ledger.Posted) { p.Digest[7] ^= 1 }
	hash := func(p *ledger.Posted) { p.Hash[7] ^= 1 }
	change := func(changes map[uint64]func(*ledger.Posted)) func(*ledger.Posted) bool {
		return func(p *ledger.Posted) bool {
			if f := changes[p.Seq]; f != nil {
				f(p)
			}
			return true
		}
	}
	for _, tc := range []struct {
		name    string
		changes map[uint64]func(*ledger.Posted)
		drop    uint64
		isoOnly bool // verify without PTS: entry 700 is no longer valid
		seq     uint64
		reason  string
	}{
		{name: "nothing changed"},
		{name: "entry 700 alone", isoOnly: true, seq: 700, reason: "no longer valid"},
		{name: "digests of 500 and 520", changes: map[uint64]func(*ledger.Posted){520: digest, 500: digest}, seq: 500, reason: "digest"},
		{name: "digest before an invalid entry", isoOnly: true, changes: map[uint64]func(*ledger.Posted){300: digest}, seq: 300, reason: "digest"},
		{name: "digest after an invalid entry", isoOnly: true, changes: map[uint64]func(*ledger.Posted){900: digest}, seq: 700, reason: "no longer valid"},
		{name: "hash long before an invalid entry", isoOnly: true, changes: map[uint64]func(*ledger.Posted){10: hash}, seq: 10, reason: "chain"},
		{name: "digest of the invalid entry", isoOnly: true, changes: map[uint64]func(*ledger.Posted){700: digest}, seq: 700, reason: "digest"},
		{name: "hash of the invalid entry", isoOnly: true, changes: map[uint64]func(*ledger.Posted){700: hash}, seq: 700, reason: "no longer valid"},
		{name: "digest and hash of one entry", changes: map[uint64]func(*ledger.Posted){600: func(p *ledger.Posted) { digest(p); hash(p) }}, seq: 600, reason: "digest"},
		{name: "digest before a gap", changes: map[uint64]func(*ledger.Posted){600: digest}, drop: 800, seq: 600, reason: "digest"},
		{name: "gap before a digest", changes: map[uint64]func(*ledger.Posted){800: digest}, drop: 260, seq: 260, reason: "sequence"},
		{name: "book of an entry after a hash", changes: map[uint64]func(*ledger.Posted){
			400: hash, 401: func(p *ledger.Posted) { p.Book = "X" }}, seq: 400, reason: "chain"},
		{name: "hash of the last entry", changes: map[uint64]func(*ledger.Posted){1000: hash}, seq: 1000, reason: "chain"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := tamperStore{Store: e.store, entry: change(tc.changes)}
			if tc.drop != 0 {
				ts.entry = func(p *ledger.Posted) bool { return p.Seq != tc.drop && change(tc.changes)(p) }
			}
			opts := &ledger.Options{Now: e.clock.Now, Currencies: e.reg}
			if tc.isoOnly {
				opts.Currencies = nil
			}
			head, err := ledger.New(&ts, opts).Verify(e.ctx, "O")
			if tc.seq == 0 {
				if err != nil || head != want {
					t.Errorf("Verify = %d, %v; want %d, nil", head.Seq, err, want.Seq)
				}
				return
			}
			var ve *ledger.VerifyError
			if !errors.As(err, &ve) || ve.Seq != tc.seq || !strings.Contains(ve.Reason, tc.reason) {
				t.Errorf("Verify = %v; want entry %d named: %s", err, tc.seq, tc.reason)
			}
		})
	}
}
