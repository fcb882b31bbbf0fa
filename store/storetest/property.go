package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

func (s suite) testProperty(t *testing.T) {
	t.Run("Valid", s.testPropertyValid)
	t.Run("Invalid", s.testPropertyInvalid)
}

// genEntry draws a balanced entry of book on the given accounts, dated from
// first to first+days: one to four free lines in EUR, JPY or BHD, then for
// each currency that does not yet balance a line that balances it.
func genEntry(book string, codes []string, first date.Date, days int) *rapid.Generator[ledger.Entry] {
	curs := []money.Currency{money.EUR, money.JPY, money.BHD}
	return rapid.Custom(func(rt *rapid.T) ledger.Entry {
		en := ledger.Entry{
			Book:        book,
			Date:        first.AddDays(rapid.IntRange(0, days).Draw(rt, "day")),
			Description: rapid.SampledFrom([]string{"", "rent", "Müller & Söhne"}).Draw(rt, "description"),
		}
		sums := map[money.Currency]int64{}
		var order []money.Currency
		for i, n := 0, rapid.IntRange(1, 4).Draw(rt, "lines"); i < n; i++ {
			c := rapid.SampledFrom(curs).Draw(rt, "currency")
			v := rapid.Int64Range(1, 1_000_000_000_000).Draw(rt, "minor")
			if rapid.Bool().Draw(rt, "credit") {
				v = -v
			}
			l := ledger.Line{Account: rapid.SampledFrom(codes).Draw(rt, "account"), Amount: money.New(v, c)}
			if rapid.Bool().Draw(rt, "dimension") {
				l = withDims(l, "cc", rapid.SampledFrom([]string{"CC-1", "CC-2"}).Draw(rt, "cc"))
			}
			en.Lines = append(en.Lines, l)
			if _, ok := sums[c]; !ok {
				order = append(order, c)
			}
			sums[c] += v
		}
		for _, c := range order {
			if sums[c] != 0 {
				en.Lines = append(en.Lines, ledger.Line{Account: rapid.SampledFrom(codes).Draw(rt, "balancing account"), Amount: money.New(-sums[c], c)})
			}
		}
		return en
	})
}

// propBook creates a new book for one rapid run, with accounts 1000, 1600,
// 3000, 4000 and 6000 of every type, and, for the invalid runs, 1200 (must
// not go negative, never funded), 1210 (USD only) and 1900 (closed).
func propBook(rt *rapid.T, e *env, id string) {
	if err := e.l.CreateBook(e.ctx, ledger.Book{ID: id, Name: id, Currency: money.EUR, FiscalYearStart: 1}); err != nil {
		rt.Fatalf("CreateBook: %v", err)
	}
	usdOnly := acct(id, "1210", "USD", ledger.Asset)
	usdOnly.Currency = money.USD
	closed := acct(id, "1900", "Closed", ledger.Asset)
	closed.Closed = true
	bank := acct(id, "1200", "Bank", ledger.Asset)
	bank.Constraint = ledger.NonNegative()
	err := e.l.CreateAccounts(e.ctx,
		acct(id, "1000", "Cash", ledger.Asset), bank, usdOnly, closed,
		acct(id, "1600", "Payables", ledger.Liability), acct(id, "3000", "Equity", ledger.Equity),
		acct(id, "4000", "Revenue", ledger.Revenue), acct(id, "6000", "Expenses", ledger.Expense))
	if err != nil {
		rt.Fatalf("CreateAccounts: %v", err)
	}
}

var propCodes = []string{"1000", "1600", "3000", "4000", "6000"}

// checkInvariants checks invariants 1, 6 and 8 of book after posting want:
// Verify passes with the store's head at len(want), the balances of each
// currency sum to zero, and every account's balance is the sum of its lines.
func checkInvariants(rt *rapid.T, e *env, book string, want []ledger.Posted) {
	head, err := e.l.Verify(e.ctx, book)
	if err != nil {
		rt.Fatalf("Verify: %v", err)
	}
	if head.Seq != uint64(len(want)) {
		rt.Fatalf("head %d after %d entries", head.Seq, len(want))
	}
	var bals []ledger.AccountBalance
	if err := e.store.View(e.ctx, func(tx ledger.ReadTx) (err error) { bals, err = tx.Balances(e.ctx, book); return err }); err != nil {
		rt.Fatal(err)
	}
	if z := zeroSums(bals); len(z) != 0 {
		rt.Fatalf("balances do not sum to zero: %v", z)
	}
	sums := dropZero(sumLines(want))
	if diff := cmp.Diff(nonZero(bals), sums, sortKeys, cmpOpts); diff != "" {
		rt.Fatalf("stored balances (-got +want):\n%s", diff)
	}
	for _, code := range []string{"1000", "1200", "1600", "3000", "4000", "6000"} {
		got, err := e.l.Balance(e.ctx, book, code, date.Date{})
		if err != nil {
			rt.Fatal(err)
		}
		var w ledger.Balance
		for k, v := range sums {
			if k.Account == code {
				w = append(w, money.New(v, k.Currency))
			}
		}
		slices.SortFunc(w, func(a, b money.Amount) int { return strings.Compare(a.Currency().Code(), b.Currency().Code()) })
		if diff := cmp.Diff(got, w, cmpOpts); diff != "" {
			rt.Fatalf("Balance(%s) (-got +want):\n%s", code, diff)
		}
	}
}

// testPropertyValid posts random valid entries, one by one or as one batch,
// to a new book per run, and checks the invariants.
func (s suite) testPropertyValid(t *testing.T) {
	e := s.env(t)
	run := 0
	rapid.Check(t, func(rt *rapid.T) {
		run++
		book := fmt.Sprintf("V%04d", run)
		propBook(rt, e, book)
		entries := rapid.SliceOfN(genEntry(book, propCodes, day("2026-01-01"), 364), 1, 12).Draw(rt, "entries")
		for i := range entries {
			if rapid.Bool().Draw(rt, "keyed") {
				entries[i].Key = fmt.Sprintf("e%d", i)
			}
		}
		var posted []ledger.Posted
		if rapid.Bool().Draw(rt, "batch") {
			ps, err := e.l.PostBatch(e.ctx, entries)
			if err != nil {
				rt.Fatalf("PostBatch: %v", err)
			}
			posted = ps
		} else {
			for _, en := range entries {
				p, err := e.l.Post(e.ctx, en)
				if err != nil {
					rt.Fatalf("Post: %v", err)
				}
				posted = append(posted, p)
			}
		}
		checkInvariants(rt, e, book, posted)
		stored, err := e.l.Entries(e.ctx, book, ledger.EntryQuery{})
		if err != nil {
			rt.Fatal(err)
		}
		if diff := cmp.Diff(stored, posted, cmpOpts); diff != "" {
			rt.Fatalf("stored entries (-got +want):\n%s", diff)
		}
	})
}

// breakage turns a valid entry of book into one that breaks one rule.
type breakage struct {
	name    string
	want    error
	inBatch bool // also meaningful inside a batch
	apply   func(rt *rapid.T, en *ledger.Entry, keys []string)
}

var breakages = []breakage{
	{"unbalanced", ledger.ErrUnbalanced, true, func(rt *rapid.T, en *ledger.Entry, _ []string) {
		l := &en.Lines[0]
		l.Amount = money.New(l.Amount.MinorUnits()+int64(l.Amount.Sign()), l.Amount.Currency()) // one unit further from zero
	}},
	{"zero amount", ledger.ErrZeroAmount, true, func(rt *rapid.T, en *ledger.Entry, _ []string) {
		i := rapid.IntRange(0, len(en.Lines)-1).Draw(rt, "line")
		en.Lines[i].Amount = money.Zero(en.Lines[i].Amount.Currency())
	}},
	{"single line", ledger.ErrInvalid, true, func(rt *rapid.T, en *ledger.Entry, _ []string) { en.Lines = en.Lines[:1] }},
	{"unknown account", ledger.ErrUnknownAccount, true, func(rt *rapid.T, en *ledger.Entry, _ []string) {
		en.Lines[rapid.IntRange(0, len(en.Lines)-1).Draw(rt, "line")].Account = "9999"
	}},
	{"closed account", ledger.ErrAccountClosed, true, func(rt *rapid.T, en *ledger.Entry, _ []string) {
		en.Lines[rapid.IntRange(0, len(en.Lines)-1).Draw(rt, "line")].Account = "1900"
	}},
	{"currency restricted account", ledger.ErrCurrencyMismatch, true, func(rt *rapid.T, en *ledger.Entry, _ []string) {
		en.Lines[rapid.IntRange(0, len(en.Lines)-1).Draw(rt, "line")].Account = "1210" // lines are EUR, JPY or BHD
	}},
	{"unknown currency", ledger.ErrUnknownCurrency, true, func(rt *rapid.T, en *ledger.Entry, _ []string) {
		l := &en.Lines[rapid.IntRange(0, len(en.Lines)-1).Draw(rt, "line")]
		l.Amount = money.New(l.Amount.MinorUnits(), mustCurrency("BONUS", 0))
	}},
	{"scale", ledger.ErrScale, true, func(rt *rapid.T, en *ledger.Entry, _ []string) {
		l := &en.Lines[rapid.IntRange(0, len(en.Lines)-1).Draw(rt, "line")]
		l.Amount = money.New(l.Amount.MinorUnits(), mustCurrency("PTS", 3)) // PTS has 2
	}},
	{"closed period", ledger.ErrPeriodClosed, true, func(rt *rapid.T, en *ledger.Entry, _ []string) {
		en.Date = day("2026-02-01").AddDays(rapid.IntRange(0, 27).Draw(rt, "february day"))
	}},
	{"lock date", ledger.ErrPeriodLocked, true, func(rt *rapid.T, en *ledger.Entry, _ []string) {
		en.Date = day("2025-12-31").AddDays(-rapid.IntRange(0, 400).Draw(rt, "days before"))
	}},
	{"constraint", ledger.ErrConstraint, true, func(rt *rapid.T, en *ledger.Entry, _ []string) {
		a := eur(rapid.SampledFrom([]string{"0.01", "1.00", "99999.99"}).Draw(rt, "overdraft"))
		en.Lines = append(en.Lines, ledger.Credit("1200", a), ledger.Debit("1000", a))
	}},
	{"conflict", ledger.ErrConflict, true, func(rt *rapid.T, en *ledger.Entry, keys []string) {
		en.Key = rapid.SampledFrom(keys).Draw(rt, "key")
		en.Description = "a payload never posted"
	}},
	{"unknown book", ledger.ErrUnknownBook, false, func(rt *rapid.T, en *ledger.Entry, _ []string) { en.Book = "NOPE" }},
}

// testPropertyInvalid posts valid entries to a new book per run, then one
// that breaks one rule at random, alone or inside a batch of valid ones,
// and checks that it is rejected for that rule and nothing is written.
func (s suite) testPropertyInvalid(t *testing.T) {
	e := s.env(t)
	run := 0
	rapid.Check(t, func(rt *rapid.T) {
		run++
		book := fmt.Sprintf("I%04d", run)
		propBook(rt, e, book)
		if err := e.l.ClosePeriod(e.ctx, book, 2026, 2); err != nil {
			rt.Fatal(err)
		}
		if err := e.l.SetLockDate(e.ctx, book, day("2025-12-31")); err != nil {
			rt.Fatal(err)
		}
		// Valid entries fall from 1 March to 31 December 2026 (305 days).
		gen := genEntry(book, propCodes, day("2026-03-01"), 305)
		var keys []string
		for i, en := range rapid.SliceOfN(gen, 1, 5).Draw(rt, "posted") {
			en.Key = fmt.Sprintf("p%d", i)
			keys = append(keys, en.Key)
			if _, err := e.l.Post(e.ctx, en); err != nil {
				rt.Fatalf("Post: %v", err)
			}
		}
		before, err := readSnapshot(e.ctx, e.store, book)
		if err != nil {
			rt.Fatal(err)
		}

		b := rapid.SampledFrom(breakages).Draw(rt, "breakage")
		bad := gen.Draw(rt, "entry")
		b.apply(rt, &bad, keys)
		var (
			got      error
			index    = 0
			batchLen = 0
		)
		if b.inBatch && rapid.Bool().Draw(rt, "batch") {
			batch := rapid.SliceOfN(gen, 0, 4).Draw(rt, "batch")
			index = rapid.IntRange(0, len(batch)).Draw(rt, "index")
			batch = slices.Insert(batch, index, bad)
			for i := range batch {
				if i != index {
					batch[i].Key = fmt.Sprintf("b%d", i)
				}
			}
			batchLen = len(batch)
			_, got = e.l.PostBatch(e.ctx, batch)
		} else {
			_, got = e.l.Post(e.ctx, bad)
		}
		if !errors.Is(got, b.want) {
			rt.Fatalf("%s (batch of %d, at %d): error %v, want %v", b.name, batchLen, index, got, b.want)
		}
		var ee *ledger.EntryError
		if b.want != ledger.ErrUnknownBook && (!errors.As(got, &ee) || ee.Index != index) {
			rt.Fatalf("%s: error %v, want an *EntryError for index %d", b.name, got, index)
		}
		after, err := readSnapshot(e.ctx, e.store, book)
		if err != nil {
			rt.Fatal(err)
		}
		if diff := cmp.Diff(after, before, cmpOpts); diff != "" {
			rt.Fatalf("%s: store changed (-got +want):\n%s", b.name, diff)
		}
		posted, err := e.l.Entries(e.ctx, book, ledger.EntryQuery{})
		if err != nil {
			rt.Fatal(err)
		}
		checkInvariants(rt, e, book, posted)
	})
}
