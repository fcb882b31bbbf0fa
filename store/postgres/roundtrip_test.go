package postgres_test

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/postgres"
)

var cmpOpts = cmp.Options{
	cmp.Comparer(func(a, b date.Date) bool { return a == b }),
	cmp.Comparer(func(a, b money.Currency) bool { return a == b }),
	cmpopts.EquateEmpty(),
}

// TestExtremeAmounts posts the largest amount the ledger takes
// (math.MaxInt64 minor units) and the smallest (1 minor unit) in currencies
// with 0, 2, 3, 4 and 8 minor units, and reads them back exactly through
// every read path, from the store that wrote them and from a new one; the
// NUMERIC column holds the exact decimal. A posting that would carry a
// maintained balance or total out of the BIGINT range is ErrOverflow and
// writes nothing.
func TestExtremeAmounts(t *testing.T) {
	reg := money.NewRegistry()
	xbt, err := reg.Register("XBT", 8)
	if err != nil {
		t.Fatal(err)
	}
	if c, err := money.NewCurrency("XBT", 8); err != nil || c != xbt {
		t.Fatalf("NewCurrency(XBT, 8) = %v, %v; want the registered currency", c, err)
	}
	opts := &ledger.Options{Currencies: reg}
	f := newFixture(t)
	f.l = ledger.New(f.s, opts)
	if err := f.l.CreateAccounts(f.ctx, ledger.Account{Book: "A", Code: "5000", Name: "Clearing", Type: ledger.Asset}); err != nil {
		t.Fatal(err)
	}

	type want struct {
		c        money.Currency
		max, min string // the NUMERIC text of MaxInt64 and of 1 minor unit
	}
	cases := []want{
		{money.JPY, "9223372036854775807", "1"},
		{money.EUR, "92233720368547758.07", "0.01"},
		{money.MustParseCurrency("BHD"), "9223372036854775.807", "0.001"},
		{money.MustParseCurrency("CLF"), "922337203685477.5807", "0.0001"},
		{xbt, "92233720368.54775807", "0.00000001"},
	}
	day := date.New(2026, 3, 16)
	var (
		posted    []ledger.Posted
		maxPosted []ledger.Posted // the MaxInt64 entries, which alone touch 1000
	)
	for _, w := range cases {
		code := w.c.Code()
		maxE := move("max/"+code, day, "1000", "3000", money.New(math.MaxInt64, w.c))
		minE := move("min/"+code, day, "1200", "4000", money.New(1, w.c))
		ps, err := f.l.PostBatch(f.ctx, []ledger.Entry{maxE, minE})
		if err != nil {
			t.Fatalf("PostBatch(%s): %v", code, err)
		}
		posted = append(posted, ps...)
		maxPosted = append(maxPosted, ps[0])

		// The stored NUMERIC is the exact decimal.
		for _, c := range []struct {
			seq  uint64
			want []string
		}{
			{ps[0].Seq, []string{w.max, "-" + w.max}},
			{ps[1].Seq, []string{w.min, "-" + w.min}},
		} {
			var got []string
			rows, err := f.s.DB().Query("SELECT amount::text FROM bo_postings WHERE book = 'A' AND seq = $1 ORDER BY line", c.seq)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var s string
				if err := rows.Scan(&s); err != nil {
					t.Fatal(err)
				}
				got = append(got, s)
			}
			rows.Close()
			if diff := cmp.Diff(got, c.want); diff != "" {
				t.Errorf("%s: stored amounts of entry %d (-got +want):\n%s", code, c.seq, diff)
			}
		}
	}

	// wantBalances are the maintained balances: 1000 and 3000 at ±MaxInt64,
	// 1200 and 4000 at ±1, in every currency.
	var wantBalances []string
	for _, acct := range []struct {
		code string
		n    int64
	}{{"1000", math.MaxInt64}, {"1200", 1}, {"3000", -math.MaxInt64}, {"4000", -1}} {
		for _, c := range []money.Currency{money.MustParseCurrency("BHD"), money.MustParseCurrency("CLF"), money.EUR, money.JPY, xbt} {
			wantBalances = append(wantBalances, acct.code+" "+money.New(acct.n, c).String())
		}
	}
	// wantTotals are the Totals rows of March 2026 and of all time alike.
	var wantTotals []ledger.Totals
	for _, acct := range []struct {
		code string
		n    int64
	}{{"1000", math.MaxInt64}, {"1200", 1}, {"3000", -math.MaxInt64}, {"4000", -1}} {
		for _, c := range []money.Currency{money.MustParseCurrency("BHD"), money.MustParseCurrency("CLF"), money.EUR, money.JPY, xbt} {
			tr := ledger.Totals{Account: acct.code, Opening: money.Zero(c), Debit: money.Zero(c), Credit: money.Zero(c)}
			if acct.n > 0 {
				tr.Debit = money.New(acct.n, c)
			} else {
				tr.Credit = money.New(-acct.n, c)
			}
			wantTotals = append(wantTotals, tr)
		}
	}

	check := func(t *testing.T, s *postgres.Store) {
		t.Helper()
		l := ledger.New(s, opts)
		for _, p := range posted {
			got, err := l.Entry(f.ctx, "A", p.Seq)
			if err != nil {
				t.Fatalf("Entry(%d): %v", p.Seq, err)
			}
			if diff := cmp.Diff(got, p, cmpOpts); diff != "" {
				t.Errorf("Entry(%d) (-got +want):\n%s", p.Seq, diff)
			}
			got, err = l.EntryByKey(f.ctx, "A", p.Key)
			if err != nil {
				t.Fatalf("EntryByKey(%s): %v", p.Key, err)
			}
			if diff := cmp.Diff(got, p, cmpOpts); diff != "" {
				t.Errorf("EntryByKey(%s) (-got +want):\n%s", p.Key, diff)
			}
		}
		all, err := l.Entries(f.ctx, "A", ledger.EntryQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(all, posted, cmpOpts); diff != "" {
			t.Errorf("Entries (-got +want):\n%s", diff)
		}
		on1000, err := l.Entries(f.ctx, "A", ledger.EntryQuery{Account: "1000"})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(on1000, maxPosted, cmpOpts); diff != "" {
			t.Errorf("Entries on 1000 (-got +want):\n%s", diff)
		}

		var (
			bals []string
			tots [2][]ledger.Totals
		)
		err = s.View(f.ctx, func(tx ledger.ReadTx) error {
			bs, err := tx.Balances(f.ctx, "A")
			if err != nil {
				return err
			}
			for _, b := range bs {
				bals = append(bals, b.Account+" "+b.Balance.String())
			}
			if tots[0], err = tx.Totals(f.ctx, "A", ledger.TotalsQuery{From: date.New(2026, 3, 1), To: date.New(2026, 3, 31)}); err != nil {
				return err
			}
			tots[1], err = tx.Totals(f.ctx, "A", ledger.TotalsQuery{})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(bals, wantBalances); diff != "" {
			t.Errorf("Balances (-got +want):\n%s", diff)
		}
		for i, got := range tots {
			if diff := cmp.Diff(got, wantTotals, cmpOpts); diff != "" {
				t.Errorf("Totals %d (-got +want):\n%s", i, diff)
			}
		}

		rows, err := l.Balances(f.ctx, "A", ledger.BalanceQuery{From: date.New(2026, 1, 1), To: date.New(2026, 12, 31)})
		if err != nil {
			t.Fatalf("Ledger.Balances: %v", err)
		}
		var got []ledger.Totals
		for _, r := range rows {
			got = append(got, ledger.Totals{Account: r.Account.Code, Opening: r.Opening, Debit: r.Debit, Credit: r.Credit})
			if r.Closing != money.New(r.Debit.MinorUnits()-r.Credit.MinorUnits(), r.Currency) {
				t.Errorf("Ledger.Balances %s %s: closing %v, debit %v, credit %v", r.Account.Code, r.Currency, r.Closing, r.Debit, r.Credit)
			}
		}
		if diff := cmp.Diff(got, wantTotals, cmpOpts); diff != "" {
			t.Errorf("Ledger.Balances (-got +want):\n%s", diff)
		}
		verify(t, s, opts)
	}
	t.Run("SameStore", func(t *testing.T) { check(t, f.s) })
	// A new store has not seen XBT: it must resolve it from bo_currencies.
	t.Run("NewStore", func(t *testing.T) { check(t, f.reopen()) })

	// Overflows write nothing. Dated in 2027, an entry meets fresh totals
	// buckets, so only the running balance can overflow; dated in the same
	// period, a debit total can overflow while the balance does not.
	next := date.New(2027, 1, 4)
	for _, w := range cases {
		c := w.c
		for _, tc := range []struct {
			name string
			e    ledger.Entry
		}{
			{"DebitBalance", move("over/dr/"+c.Code(), next, "1000", "1200", money.New(1, c))},
			{"CreditBalance", move("over/cr/"+c.Code(), next, "1200", "3000", money.New(2, c))},
		} {
			t.Run("Overflow"+tc.name+c.Code(), func(t *testing.T) {
				before := stateOf(t, f.s)
				_, err := f.l.Post(f.ctx, tc.e)
				wantIs(t, "Post", err, ledger.ErrOverflow)
				unchanged(t, f.s, before)
			})
		}
	}
	t.Run("OverflowPeriodTotal", func(t *testing.T) {
		// 5000 is debited and credited MaxInt64 on one day, balance 0;
		// one more debit that day leaves the range of the debit totals
		// of its day, month and year.
		f.post(ledger.Entry{Book: "A", Key: "wash", Date: day, Lines: []ledger.Line{
			ledger.Debit("5000", money.New(math.MaxInt64, money.EUR)),
			ledger.Credit("5000", money.New(math.MaxInt64, money.EUR)),
		}})
		before := stateOf(t, f.s)
		_, err := f.l.Post(f.ctx, move("over/total", day, "5000", "4000", money.New(1, money.EUR)))
		wantIs(t, "Post", err, ledger.ErrOverflow)
		unchanged(t, f.s, before)
	})
	verify(t, f.s, opts)

	// money.Amount is symmetric, ±math.MaxInt64 minor units: math.MinInt64
	// is no amount (money.New panics on it), although it fits int64 and
	// BIGINT. A store must never hand it to the ledger.
	t.Run("OpeningMinInt64", func(t *testing.T) {
		// 3000 stands at -MaxInt64 EUR since 2026-03-16. A debit in 2027
		// and a back-dated credit in 2025 keep every running balance in
		// range, but the opening balance as of 2027-01-01 is
		// -MaxInt64 - 1: ErrOverflow, not a panic.
		f.post(move("back/dr", date.New(2027, 6, 1), "3000", "1200", money.New(5, money.EUR)))
		f.post(move("back/cr", date.New(2025, 1, 2), "1200", "3000", money.New(1, money.EUR)))
		verify(t, f.s, opts)
		var err error
		noPanic(t, "Ledger.Balances from 2027-01-01", func() {
			_, err = f.l.Balances(f.ctx, "A", ledger.BalanceQuery{From: date.New(2027, 1, 1)})
		})
		wantIs(t, "Ledger.Balances from 2027-01-01", err, ledger.ErrOverflow)
		noPanic(t, "Ledger.Balance as of 2027-01-01", func() {
			_, err = f.l.Balance(f.ctx, "A", "3000", date.New(2026, 12, 31))
		})
		wantIs(t, "Ledger.Balance of 3000 as of 2026-12-31", err, ledger.ErrOverflow)
	})
	t.Run("BalanceMinInt64", func(t *testing.T) {
		// 3000 stands at -MaxInt64 + 4 EUR: crediting 5 more would take
		// its balance to math.MinInt64. That is ErrOverflow and writes
		// nothing; reading the book afterwards must not panic either way.
		before := stateOf(t, f.s)
		var err error
		noPanic(t, "Post", func() {
			_, err = f.l.Post(f.ctx, move("min", date.New(2027, 7, 1), "1200", "3000", money.New(5, money.EUR)))
		})
		wantIs(t, "Post taking a balance to math.MinInt64", err, ledger.ErrOverflow)
		noPanic(t, "read the book", func() { unchanged(t, f.s, before) })
		noPanic(t, "Verify", func() {
			if _, err := f.l.Verify(f.ctx, "A"); err != nil {
				t.Errorf("Verify: %v", err)
			}
		})
	})
}

// noPanic runs fn and reports a panic as an error of t, so that one
// failing case does not take the other tests of the binary down with it.
func noPanic(t *testing.T, what string, fn func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s panicked: %v", what, r)
		}
	}()
	fn()
}
