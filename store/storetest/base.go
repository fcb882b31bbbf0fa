package storetest

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// baseBook sets up book FX (base currency EUR) with lines in other
// currencies that carry their base amounts, worked by hand:
//
//	seq date        journal lines                                            base (EUR)
//	1   2026-01-10  GL      1210 Dr 1000.00 USD  1200 Cr 920.00 EUR           1210 +920.00
//	2   2026-02-15  AR      1400 Dr  500.00 USD  4000 Cr 500.00 USD cc=CC-1   ±465.00
//	3   2026-03-31  FX      1210 Dr   10.00 EUR  7000 Cr  10.00 EUR           (revaluation of the USD bank)
//	4   2026-04-02  GL      1300 Dr  100.00 CHF  3000 Cr 100.00 CHF           not converted
//
// 1210 accepts only USD, and EUR in revaluation entries (journal FX).
func (e *env) baseBook() {
	e.t.Helper()
	e.book("FX")
	usdBank := acct("FX", "1210", "Bank USD", ledger.Asset)
	usdBank.Currency = money.USD
	e.accounts(
		acct("FX", "1200", "Bank EUR", ledger.Asset),
		usdBank,
		acct("FX", "1300", "Bank CHF", ledger.Asset),
		acct("FX", "1400", "Receivables", ledger.Asset),
		acct("FX", "2790", "Rounding differences", ledger.Expense),
		acct("FX", "3000", "Equity", ledger.Equity),
		acct("FX", "4000", "Revenue", ledger.Revenue),
		acct("FX", "7000", "Unrealised FX gains", ledger.Revenue),
	)
	base := func(l ledger.Line, s string) ledger.Line { l.Base = eur(s); return l }
	chf := func(s string) money.Amount { return money.MustParse(s, money.CHF) }
	for _, en := range []ledger.Entry{
		{Key: "buy-usd", Date: day("2026-01-10"),
			Lines: []ledger.Line{base(ledger.Debit("1210", usd("1000.00")), "920.00"), ledger.Credit("1200", eur("920.00"))}},
		{Key: "inv-usd", Date: day("2026-02-15"), Journal: "AR",
			Lines: []ledger.Line{base(ledger.Debit("1400", usd("500.00")), "465.00"),
				withDims(base(ledger.Credit("4000", usd("500.00")), "-465.00"), "cc", "CC-1")}},
		{Key: "reval", Date: day("2026-03-31"), Journal: ledger.JournalRevaluation,
			Lines: []ledger.Line{ledger.Debit("1210", eur("10.00")), ledger.Credit("7000", eur("10.00"))}},
		{Key: "chf", Date: day("2026-04-02"),
			Lines: []ledger.Line{ledger.Debit("1300", chf("100.00")), ledger.Credit("3000", chf("100.00"))}},
	} {
		en.Book = "FX"
		en.Description = en.Key
		e.post(en)
	}
}

func (s suite) testBaseAmounts(t *testing.T) {
	e := s.env(t)
	e.baseBook()
	ctx := e.ctx

	t.Run("RoundTrip", func(t *testing.T) {
		p, err := e.l.EntryByKey(ctx, "FX", "inv-usd")
		if err != nil {
			t.Fatal(err)
		}
		if got := []money.Amount{p.Lines[0].Base, p.Lines[1].Base}; got[0] != eur("465.00") || got[1] != eur("-465.00") {
			t.Errorf("base amounts read back %v, want 465.00 EUR and -465.00 EUR", got)
		}
		p, err = e.l.EntryByKey(ctx, "FX", "buy-usd")
		if err != nil {
			t.Fatal(err)
		}
		if p.Lines[1].Converted() {
			t.Errorf("the EUR line came back with a base amount %v", p.Lines[1].Base)
		}
		e.in(t).verify("FX")
	})

	t.Run("Totals", func(t *testing.T) {
		var rows []ledger.Totals
		err := e.store.View(ctx, func(tx ledger.ReadTx) (err error) {
			rows, err = tx.Totals(ctx, "FX", ledger.TotalsQuery{From: day("2026-02-01"), To: day("2026-03-31")})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		type tot struct {
			Account, Currency        string
			Opening, Debit, Credit   string
			BaseOpen, BaseDr, BaseCr int64
			Converted                bool
		}
		var got []tot
		for _, r := range rows {
			got = append(got, tot{r.Account, r.Opening.Currency().Code(), r.Opening.Number(), r.Debit.Number(), r.Credit.Number(),
				r.BaseOpening, r.BaseDebit, r.BaseCredit, r.Converted})
		}
		want := []tot{
			{"1200", "EUR", "-920.00", "0.00", "0.00", 0, 0, 0, false},
			{"1210", "EUR", "0.00", "10.00", "0.00", 0, 0, 0, false},
			{"1210", "USD", "1000.00", "0.00", "0.00", 92000, 0, 0, true},
			{"1400", "USD", "0.00", "500.00", "0.00", 0, 46500, 0, true},
			{"4000", "USD", "0.00", "0.00", "500.00", 0, 0, 46500, true},
			{"7000", "EUR", "0.00", "0.00", "10.00", 0, 0, 0, false},
		}
		if diff := cmp.Diff(got, want); diff != "" {
			t.Errorf("Totals February–March (-got +want):\n%s", diff)
		}
		err = e.store.View(ctx, func(tx ledger.ReadTx) (err error) {
			rows, err = tx.Totals(ctx, "FX", ledger.TotalsQuery{From: day("2026-02-10"), To: day("2026-02-20"), Dimension: ledger.Dimension{Name: "cc", Value: "CC-1"}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0].Account != "4000" || rows[0].BaseCredit != 46500 || !rows[0].Converted {
			t.Errorf("Totals for cc=CC-1 = %+v, want 4000 with base credit 465.00, converted", rows)
		}
		// Days cut from a month are summed from the postings.
		err = e.store.View(ctx, func(tx ledger.ReadTx) (err error) {
			rows, err = tx.Totals(ctx, "FX", ledger.TotalsQuery{From: day("2026-01-05"), To: day("2026-01-12"), Accounts: []string{"1210"}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0].BaseDebit != 92000 || !rows[0].Converted {
			t.Errorf("Totals 5–12 January for 1210 = %+v, want base debit 920.00, converted", rows)
		}
	})

	t.Run("InBase", func(t *testing.T) {
		rows, err := e.l.Balances(ctx, "FX", ledger.BalanceQuery{From: day("2026-02-01"), To: day("2026-03-31"), InBase: true})
		if err != nil {
			t.Fatal(err)
		}
		want := []row{
			{"1200", 0, "EUR", "-920.00", "0.00", "0.00", "-920.00"},
			{"1210", 0, "EUR", "920.00", "10.00", "0.00", "930.00"},
			{"1400", 0, "EUR", "0.00", "465.00", "0.00", "465.00"},
			{"4000", 0, "EUR", "0.00", "0.00", "465.00", "-465.00"},
			{"7000", 0, "EUR", "0.00", "0.00", "10.00", "-10.00"},
		}
		if diff := cmp.Diff(rowsOf(rows), want); diff != "" {
			t.Errorf("Balances in EUR, February–March (-got +want):\n%s", diff)
		}
		// The CHF bank's posting of April has no base amount: no EUR value.
		_, err = e.l.Balances(ctx, "FX", ledger.BalanceQuery{To: day("2026-04-30"), InBase: true})
		if !errors.Is(err, ledger.ErrNotConverted) {
			t.Errorf("Balances in EUR to April = %v, want ErrNotConverted", err)
		}
	})

	t.Run("Rejections", func(t *testing.T) {
		e := e.in(t)
		before := e.snapshot("FX")
		base := func(l ledger.Line, a money.Amount) ledger.Line { l.Base = a; return l }
		for _, tc := range []struct {
			name  string
			lines []ledger.Line
			jnl   string
			want  error
		}{
			{"BaseOnBaseCurrency", []ledger.Line{base(ledger.Debit("1200", eur("1.00")), eur("1.00")), ledger.Credit("3000", eur("1.00"))}, "", ledger.ErrInvalid},
			{"BaseNotBookCurrency", []ledger.Line{base(ledger.Debit("1300", money.MustParse("1.00", money.CHF)), usd("1.00")), ledger.Credit("3000", usd("1.00"))}, "", ledger.ErrCurrencyMismatch},
			{"Unbalanced", []ledger.Line{base(ledger.Debit("1210", usd("100.00")), eur("92.00")), ledger.Credit("1200", eur("91.00"))}, "", ledger.ErrUnbalanced},
			{"OtherSign", []ledger.Line{base(ledger.Debit("1210", usd("100.00")), eur("-92.00")), ledger.Debit("1200", eur("92.00"))}, "", ledger.ErrInvalid},
			{"EURonUSDAccount", []ledger.Line{ledger.Debit("1210", eur("1.00")), ledger.Credit("7000", eur("1.00"))}, "", ledger.ErrCurrencyMismatch},
			{"UnconvertedUnbalanced", []ledger.Line{base(ledger.Debit("1210", usd("100.00")), eur("92.00")), ledger.Credit("1200", eur("92.00")),
				ledger.Debit("1300", money.MustParse("5.00", money.CHF))}, "", ledger.ErrUnbalanced},
		} {
			_, err := e.l.Post(ctx, ledger.Entry{Book: "FX", Key: "bad-" + tc.name, Date: day("2026-05-01"), Journal: tc.jnl, Lines: tc.lines})
			if !errors.Is(err, tc.want) {
				t.Errorf("%s: Post = %v, want %v", tc.name, err, tc.want)
			}
		}
		e.unchanged("FX", before)
	})

	t.Run("CloseYear", func(t *testing.T) {
		e := e.in(t)
		ps, err := e.l.CloseYear(ctx, "FX", 2026, "3000")
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 1 {
			t.Fatalf("CloseYear posted %d entries, want 1", len(ps))
		}
		// Revenue closes at its base amount (500.00 USD = 465.00 EUR) and
		// the unrealised gain in EUR: retained earnings take 475.00 EUR.
		var rows []ledger.Totals
		err = e.store.View(ctx, func(tx ledger.ReadTx) (err error) {
			rows, err = tx.Totals(ctx, "FX", ledger.TotalsQuery{To: day("2026-12-31"), Accounts: []string{"4000", "7000"}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if !r.Debit.Equal(r.Credit) || r.BaseDebit != r.BaseCredit {
				t.Errorf("after closing, %s stands at %v − %v (base %d − %d), want 0", r.Account, r.Debit, r.Credit, r.BaseDebit, r.BaseCredit)
			}
		}
		var re money.Amount
		for _, l := range ps[0].Lines {
			if l.Account == "3000" {
				re = l.Amount
			}
		}
		if re != eur("-475.00") {
			t.Errorf("retained earnings line %v, want -475.00 EUR; lines %+v", re, ps[0].Lines)
		}
		e.verify("FX")
	})

	t.Run("Rates", func(t *testing.T) {
		// A ledger with rates converts what carries no base amount, and
		// puts the residue of rounding line by line on the rounding account.
		e := e.in(t)
		l := ledger.New(e.store, &ledger.Options{Now: e.clock.Now, Currencies: e.reg,
			Rates: fixedRate{money.USD, decimal.RequireFromString("0.9237")}, RoundingAccount: "2790"})
		p, err := l.Post(ctx, ledger.Entry{Book: "FX", Key: "split", Date: day("2027-01-04"), Lines: []ledger.Line{
			ledger.Debit("1400", usd("33.33")), ledger.Debit("1400", usd("33.33")), ledger.Debit("1400", usd("33.34")),
			ledger.Credit("1210", usd("100.00")),
		}})
		if err != nil {
			t.Fatal(err)
		}
		// 33.33 × 0.9237 = 30.786921 → 30.79 (twice), 33.34 × 0.9237 =
		// 30.796158 → 30.80, 100.00 × 0.9237 = 92.37: 92.38 − 92.37 = 0.01
		// too much on the debit side, credited to 2790.
		var got []string
		for _, ln := range p.Lines {
			got = append(got, ln.Account+" "+ln.Amount.String()+" "+ln.Base.String())
		}
		want := []string{
			"1400 33.33 USD 30.79 EUR", "1400 33.33 USD 30.79 EUR", "1400 33.34 USD 30.80 EUR",
			"1210 -100.00 USD -92.37 EUR", "2790 -0.01 EUR " + money.Amount{}.String(),
		}
		if diff := cmp.Diff(got, want); diff != "" {
			t.Errorf("converted entry (-got +want):\n%s", diff)
		}
		_, err = l.Post(ctx, ledger.Entry{Book: "FX", Key: "no-rate", Date: day("2027-01-04"), Lines: []ledger.Line{
			ledger.Debit("1300", money.MustParse("1.00", money.CHF)), ledger.Credit("3000", money.MustParse("1.00", money.CHF)),
		}})
		var ee *ledger.EntryError
		if !errors.Is(err, errNoRate) || !errors.As(err, &ee) || ee.Line != 0 {
			t.Errorf("Post without a rate = %v, want errNoRate on line 0", err)
		}
		e.verify("FX")
	})
}

// fixedRate converts one currency to any other at one rate, HalfUp.
type fixedRate struct {
	from money.Currency
	rate decimal.Decimal
}

var errNoRate = errors.New("storetest: no rate")

func (f fixedRate) Convert(a money.Amount, to money.Currency, _ date.Date) (money.Amount, error) {
	if a.Currency() != f.from {
		return money.Amount{}, errNoRate
	}
	return a.Convert(to, f.rate, money.HalfUp)
}

// testLatestDate: the latest booking date of trialBook is 31 March, though
// the entry posted last (capital-usd) is dated 10 February; an empty book
// has none, an unknown book is ErrUnknownBook.
func (s suite) testLatestDate(t *testing.T) {
	e := s.env(t)
	e.book("EMPTY")
	if d, err := e.l.LatestDate(e.ctx, "EMPTY"); err != nil || !d.IsZero() {
		t.Errorf("LatestDate of an empty book = %v, %v; want zero", d, err)
	}
	e.trialBook()
	if d, err := e.l.LatestDate(e.ctx, "TB"); err != nil || d != day("2026-03-31") {
		t.Errorf("LatestDate = %v, %v; want 2026-03-31", d, err)
	}
	if _, err := e.l.LatestDate(e.ctx, "NOPE"); !errors.Is(err, ledger.ErrUnknownBook) {
		t.Errorf("LatestDate of an unknown book = %v, want ErrUnknownBook", err)
	}
}
