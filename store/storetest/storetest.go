package storetest

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// Ledger runs the ledger conformance suite against stores made by newStore;
// each call must return a new, empty store. Subtests are named, and t.Parallel
// is not used at top level (PostgreSQL stores may share one database).
//
// The concurrency subtest posts 16,000 entries, or 3,200 when testing.Short
// reports true.
func Ledger(t *testing.T, newStore func(t *testing.T) ledger.Store) {
	s := suite{newStore: newStore}
	t.Run("RoundTrip", s.testRoundTrip)
	t.Run("Rejections", s.testRejections)
	t.Run("PostBatch", s.testPostBatch)
	t.Run("Chain", s.testChain)
	t.Run("Balances", s.testBalances)
	t.Run("BaseAmounts", s.testBaseAmounts)
	t.Run("LatestDate", s.testLatestDate)
	t.Run("Entries", s.testEntries)
	t.Run("Periods", s.testPeriods)
	t.Run("CloseYear", s.testCloseYear)
	t.Run("Store", s.testStoreContract)
	t.Run("Atomicity", s.testAtomicity)
	t.Run("Concurrency", s.testConcurrency)
	t.Run("Property", s.testProperty)
	t.Run("Tampering", s.testTampering)
	t.Run("VerifyOrder", s.testVerifyOrder)
}

type suite struct {
	newStore func(t *testing.T) ledger.Store
}

// clock is a fake clock: Now returns the time last set, so tests know every
// RecordedAt and period event time exactly.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

var (
	// t0 is where the fake clock starts: deliberately not in UTC and finer
	// than a microsecond, so the suite sees the ledger normalize it.
	t0 = time.Date(2026, 3, 14, 15, 9, 26, 535897932, time.FixedZone("CET", 3600))
	// t0Recorded is t0 as an entry records it: UTC (15:09 CET is 14:09
	// UTC) at microsecond precision (535897932 ns truncate to 535897 µs).
	t0Recorded = time.Date(2026, 3, 14, 14, 9, 26, 535897000, time.UTC)
)

// env is one subtest's world: a new store, a ledger over it with a fake
// clock, and a currency registry that knows the custom currency PTS (2
// minor units).
type env struct {
	t     *testing.T
	ctx   context.Context
	store ledger.Store
	clock *clock
	reg   *money.Registry
	l     *ledger.Ledger
}

// pts is a custom currency, registered on every env's registry.
var pts = mustCurrency("PTS", 2)

func mustCurrency(code string, minor int) money.Currency {
	c, err := money.NewCurrency(code, minor)
	if err != nil {
		panic(err)
	}
	return c
}

func (s suite) env(t *testing.T) *env {
	t.Helper()
	st := s.newStore(t)
	if st == nil {
		t.Fatal("newStore returned nil")
	}
	reg := money.NewRegistry()
	if _, err := reg.Register("PTS", 2); err != nil {
		t.Fatal(err)
	}
	c := &clock{now: t0}
	return &env{
		t: t, ctx: t.Context(), store: st, clock: c, reg: reg,
		l: ledger.New(st, &ledger.Options{Now: c.Now, Currencies: reg}),
	}
}

// in returns e for use in subtest t: its helpers report to t.
func (e *env) in(t *testing.T) *env {
	c := *e
	c.t = t
	return &c
}

// book creates a book with base currency EUR and a calendar fiscal year.
func (e *env) book(id string) {
	e.t.Helper()
	if err := e.l.CreateBook(e.ctx, ledger.Book{ID: id, Name: "Book " + id, Currency: money.EUR, FiscalYearStart: 1}); err != nil {
		e.t.Fatalf("CreateBook(%s): %v", id, err)
	}
}

func (e *env) accounts(as ...ledger.Account) {
	e.t.Helper()
	if err := e.l.CreateAccounts(e.ctx, as...); err != nil {
		e.t.Fatalf("CreateAccounts: %v", err)
	}
}

func (e *env) post(en ledger.Entry) ledger.Posted {
	e.t.Helper()
	p, err := e.l.Post(e.ctx, en)
	if err != nil {
		e.t.Fatalf("Post(%q): %v", en.Key, err)
	}
	return p
}

func (e *env) verify(book string) ledger.Head {
	e.t.Helper()
	h, err := e.l.Verify(e.ctx, book)
	if err != nil {
		e.t.Fatalf("Verify(%s): %v", book, err)
	}
	return h
}

// head reads the book's head from the store directly.
func (e *env) head(book string) ledger.Head {
	e.t.Helper()
	var h ledger.Head
	err := e.store.View(e.ctx, func(tx ledger.ReadTx) (err error) { h, err = tx.Head(e.ctx, book); return err })
	if err != nil {
		e.t.Fatalf("Head(%s): %v", book, err)
	}
	return h
}

// acct returns an account of book with no parent, currency or constraint.
func acct(book, code, name string, typ ledger.AccountType) ledger.Account {
	return ledger.Account{Book: book, Code: code, Name: name, Type: typ}
}

func eur(s string) money.Amount { return money.MustParse(s, money.EUR) }
func usd(s string) money.Amount { return money.MustParse(s, money.USD) }

func day(s string) date.Date { return date.MustParse(s) }

// withDims returns l with the given dimensions (name, value pairs).
func withDims(l ledger.Line, kv ...string) ledger.Line {
	l.Dimensions = map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		l.Dimensions[kv[i]] = kv[i+1]
	}
	return l
}

// cmpOpts compare ledger values by meaning: dates and currencies by value,
// amounts, decimals and times with their Equal methods, and nil the same as
// empty for slices and maps (stores need not tell them apart).
var cmpOpts = cmp.Options{
	cmp.Comparer(func(a, b date.Date) bool { return a == b }),
	cmp.Comparer(func(a, b money.Currency) bool { return a == b }),
	cmpopts.EquateEmpty(),
}

// snapshot is everything a store holds about one book, read through the
// Store interface, deep-copied.
type snapshot struct {
	Books    []ledger.Book
	Head     ledger.Head
	Accounts []ledger.Account
	Entries  []ledger.Posted
	Balances []ledger.AccountBalance
	Totals   []ledger.Totals
	Events   []ledger.PeriodEvent
}

func (e *env) snapshot(book string) snapshot {
	e.t.Helper()
	s, err := readSnapshot(e.ctx, e.store, book)
	if err != nil {
		e.t.Fatalf("snapshot of %s: %v", book, err)
	}
	return s
}

func readSnapshot(ctx context.Context, st ledger.Store, book string) (snapshot, error) {
	var s snapshot
	err := st.View(ctx, func(tx ledger.ReadTx) error {
		s = snapshot{}
		var err error
		if s.Books, err = tx.Books(ctx); err != nil {
			return err
		}
		s.Books = slices.Clone(s.Books)
		if s.Head, err = tx.Head(ctx, book); err != nil {
			return err
		}
		as, err := tx.Accounts(ctx, book)
		if err != nil {
			return err
		}
		for _, a := range as {
			a.Metadata = maps.Clone(a.Metadata)
			s.Accounts = append(s.Accounts, a)
		}
		if err := tx.Scan(ctx, book, 1, func(p *ledger.Posted) error {
			s.Entries = append(s.Entries, copyPosted(*p))
			return nil
		}); err != nil {
			return err
		}
		bs, err := tx.Balances(ctx, book)
		if err != nil {
			return err
		}
		s.Balances = slices.Clone(bs)
		ts, err := tx.Totals(ctx, book, ledger.TotalsQuery{})
		if err != nil {
			return err
		}
		s.Totals = slices.Clone(ts)
		evs, err := tx.PeriodEvents(ctx, book)
		if err != nil {
			return err
		}
		s.Events = slices.Clone(evs)
		return nil
	})
	return s, err
}

// unchanged fails the test if the book differs from before.
func (e *env) unchanged(book string, before snapshot) {
	e.t.Helper()
	if diff := cmp.Diff(e.snapshot(book), before, cmpOpts); diff != "" {
		e.t.Errorf("store changed (-got +want):\n%s", diff)
	}
}

// copyPosted returns a deep copy of p.
func copyPosted(p ledger.Posted) ledger.Posted {
	p.Metadata = maps.Clone(p.Metadata)
	p.Lines = slices.Clone(p.Lines)
	for i := range p.Lines {
		p.Lines[i].Dimensions = maps.Clone(p.Lines[i].Dimensions)
	}
	return p
}

// sumLines adds up the postings of entries per account and currency, in
// minor units, debit positive.
func sumLines(ps []ledger.Posted) map[ledger.BalanceKey]int64 {
	sums := map[ledger.BalanceKey]int64{}
	for _, p := range ps {
		for _, l := range p.Lines {
			sums[ledger.BalanceKey{Account: l.Account, Currency: l.Amount.Currency()}] += l.Amount.MinorUnits()
		}
	}
	return sums
}

// nonZero returns the store's balances as a map, without zero balances.
func nonZero(bs []ledger.AccountBalance) map[ledger.BalanceKey]int64 {
	m := map[ledger.BalanceKey]int64{}
	for _, b := range bs {
		if !b.Balance.IsZero() {
			m[ledger.BalanceKey{Account: b.Account, Currency: b.Balance.Currency()}] = b.Balance.MinorUnits()
		}
	}
	return m
}

func dropZero(m map[ledger.BalanceKey]int64) map[ledger.BalanceKey]int64 {
	maps.DeleteFunc(m, func(_ ledger.BalanceKey, v int64) bool { return v == 0 })
	return m
}

// sortKeys orders maps keyed by BalanceKey, for readable diffs.
var sortKeys = cmpopts.SortMaps(func(a, b ledger.BalanceKey) bool {
	if a.Account != b.Account {
		return a.Account < b.Account
	}
	return a.Currency.Code() < b.Currency.Code()
})

// wantErr reports, as a test error, an err that does not wrap want.
func wantErr(t *testing.T, op string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: error %v, want one wrapping %v", op, err, want)
	}
}

// allEntries reads every entry of book through the ledger.
func (e *env) allEntries(book string) []ledger.Posted {
	e.t.Helper()
	ps, err := e.l.Entries(e.ctx, book, ledger.EntryQuery{})
	if err != nil {
		e.t.Fatalf("Entries(%s): %v", book, err)
	}
	return ps
}

// seqs returns the sequence numbers of ps.
func seqs(ps []ledger.Posted) []uint64 {
	out := make([]uint64, len(ps))
	for i, p := range ps {
		out[i] = p.Seq
	}
	return out
}

// storeBalances reads the maintained balances of book from the store.
func (e *env) storeBalances(book string) []ledger.AccountBalance {
	e.t.Helper()
	var bs []ledger.AccountBalance
	err := e.store.View(e.ctx, func(tx ledger.ReadTx) (err error) {
		bs, err = tx.Balances(e.ctx, book)
		bs = slices.Clone(bs)
		return err
	})
	if err != nil {
		e.t.Fatalf("Balances(%s): %v", book, err)
	}
	return bs
}

// zeroSums returns the currencies whose balances do not sum to zero,
// with their sums.
func zeroSums(bs []ledger.AccountBalance) map[string]int64 {
	sums := map[string]int64{}
	for _, b := range bs {
		sums[b.Balance.Currency().Code()] += b.Balance.MinorUnits()
	}
	maps.DeleteFunc(sums, func(_ string, v int64) bool { return v == 0 })
	return sums
}
