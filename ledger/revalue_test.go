package ledger_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/memory"
)

// rateOn converts USD to EUR at rates by day (the latest on or before).
type rateOn map[string]string

func (r rateOn) Convert(a money.Amount, to money.Currency, on date.Date) (money.Amount, error) {
	var best string
	for day := range r {
		if day <= on.String() && day > best {
			best = day
		}
	}
	if best == "" || a.Currency() != money.USD {
		return money.Amount{}, errors.New("no rate")
	}
	return a.Convert(to, decimal.RequireFromString(r[best]), money.HalfUp)
}

// fxBook: EUR book, a short-term USD bank (1210) and a long-term USD loan
// receivable (1500, HGB § 256a imparity), both bought at 0.90 on 2 January.
func fxBook(t *testing.T, rates rateOn) *ledger.Ledger {
	t.Helper()
	ctx := context.Background()
	l := ledger.New(memory.New(), &ledger.Options{Rates: rates})
	if err := l.CreateBook(ctx, ledger.Book{ID: "B", Name: "B", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	usdAcct := func(code, term string) ledger.Account {
		return ledger.Account{Book: "B", Code: code, Name: code, Type: ledger.Asset, Currency: money.USD,
			Metadata: map[string]string{ledger.MetaRevalue: term}}
	}
	err := l.CreateAccounts(ctx, usdAcct("1210", "short"), usdAcct("1500", "long"),
		ledger.Account{Book: "B", Code: "1200", Name: "Bank", Type: ledger.Asset},
		ledger.Account{Book: "B", Code: "4840", Name: "FX gains", Type: ledger.Revenue},
		ledger.Account{Book: "B", Code: "6880", Name: "FX losses", Type: ledger.Expense})
	if err != nil {
		t.Fatal(err)
	}
	usd := money.MustParse("1000.00", money.USD)
	for _, code := range []string{"1210", "1500"} {
		if _, err := l.Post(ctx, ledger.Entry{Book: "B", Key: "buy-" + code, Date: date.MustParse("2026-01-02"),
			Lines: []ledger.Line{ledger.Debit(code, usd), ledger.Credit("1200", eur("900.00"))}}); err != nil {
			t.Fatal(err)
		}
	}
	return l
}

func lineStrings(ls []ledger.Line) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.Account+" "+l.Amount.String())
	}
	return out
}

// TestRevalueImparity: the dollar rises to 0.95: the short-term bank gains
// 50.00, the long-term loan stays at its cost of 900.00 (no unrealised
// gain). It falls to 0.85 a month later: both lose, the bank 100.00 from
// 950.00, the loan 50.00 from 900.00.
func TestRevalueImparity(t *testing.T) {
	ctx := context.Background()
	l := fxBook(t, rateOn{"2026-01-02": "0.90", "2026-01-31": "0.95", "2026-02-28": "0.85"})
	opts := ledger.RevalueOptions{Gains: "4840", Losses: "6880"}
	preview, err := l.RevaluationLines(ctx, "B", date.MustParse("2026-01-31"), opts)
	if err != nil {
		t.Fatal(err)
	}
	p, err := l.Revalue(ctx, "B", date.MustParse("2026-01-31"), opts)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"1210 50.00 EUR", "4840 -50.00 EUR"}
	if diff := cmp.Diff(lineStrings(p.Lines), want); diff != "" {
		t.Errorf("revaluation 31 January (-got +want):\n%s", diff)
	}
	if diff := cmp.Diff(lineStrings(preview), want); diff != "" {
		t.Errorf("preview (-got +want):\n%s", diff)
	}
	again, err := l.Revalue(ctx, "B", date.MustParse("2026-01-31"), opts)
	if err != nil || again.Seq != p.Seq {
		t.Errorf("Revalue again = %d, %v; want the first entry %d", again.Seq, err, p.Seq)
	}
	p, err = l.Revalue(ctx, "B", date.MustParse("2026-02-28"), opts)
	if err != nil {
		t.Fatal(err)
	}
	want = []string{"1210 -100.00 EUR", "1500 -50.00 EUR", "6880 150.00 EUR"}
	if diff := cmp.Diff(lineStrings(p.Lines), want); diff != "" {
		t.Errorf("revaluation 28 February (-got +want):\n%s", diff)
	}
	if _, err := l.Verify(ctx, "B"); err != nil {
		t.Fatal(err)
	}
}

// TestRevalueReverse: with Reverse the revaluation is taken back on the
// next day, so the new period starts from the booked amounts again.
func TestRevalueReverse(t *testing.T) {
	ctx := context.Background()
	l := fxBook(t, rateOn{"2026-01-02": "0.90", "2026-01-31": "0.95"})
	p, err := l.Revalue(ctx, "B", date.MustParse("2026-01-31"), ledger.RevalueOptions{Gains: "4840", Losses: "6880", Reverse: true})
	if err != nil {
		t.Fatal(err)
	}
	rev, err := l.EntryByKey(ctx, "B", "reverse/"+itoa(int(p.Seq)))
	if err != nil {
		t.Fatalf("no reversal: %v", err)
	}
	if rev.Date != date.MustParse("2026-02-01") || rev.Journal != ledger.JournalRevaluation {
		t.Errorf("reversal dated %s in journal %s, want 2026-02-01 in FX", rev.Date, rev.Journal)
	}
	rows, err := l.Balances(ctx, "B", ledger.BalanceQuery{To: date.MustParse("2026-02-01"), InBase: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Account.Code == "1210" && r.Closing != eur("900.00") {
			t.Errorf("1210 on 1 February = %v, want its booked 900.00 EUR", r.Closing)
		}
	}
}

// TestSettlementLinesPartial: a receivable of 3.00 USD booked at 1.00 EUR
// (three postings of 1.00 USD at 0.33, 0.33 and 0.34 EUR) is paid 1.00 USD
// at a time. Each payment takes a third of the carrying amount, once
// rounded HalfUp (0.33, then 0.34 = 0.67 × 1/2 rounded, then the rest),
// and the last leaves nothing in either currency.
func TestSettlementLinesPartial(t *testing.T) {
	ctx := context.Background()
	l := fxBook(t, rateOn{"2026-01-02": "0.90"})
	one := money.MustParse("1.00", money.USD)
	for i, base := range []string{"0.33", "0.33", "0.34"} {
		dr := ledger.Debit("1210", one)
		dr.Base = eur(base)
		if _, err := l.Post(ctx, ledger.Entry{Book: "B", Key: "r" + itoa(i), Date: date.MustParse("2026-01-03"),
			Lines: []ledger.Line{dr, ledger.Credit("1200", eur(base))}}); err != nil {
			t.Fatal(err)
		}
	}
	var parts []string
	for i := range 3 {
		lines, err := l.SettlementLines(ctx, "B", ledger.Settlement{Account: "1210", Amount: one.Neg(), Date: date.MustParse("2026-01-05"),
			Counter: []ledger.Line{ledger.Debit("1200", eur("0.30"))}, Gains: "4840", Losses: "6880"})
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, lines[0].Base.String())
		if _, err := l.Post(ctx, ledger.Entry{Book: "B", Key: "pay" + itoa(i), Date: date.MustParse("2026-01-05"), Lines: lines}); err != nil {
			t.Fatal(err)
		}
	}
	// 1210 carries 1000 USD at 900.00 too: 1003.00 USD at 901.00 EUR.
	// 901.00 × 1/1003 = 0.898… → 0.90; 900.10 × 1/1002 = 0.898… → 0.90; 899.20 × 1/1001 → 0.90.
	if diff := cmp.Diff(parts, []string{"-0.90 EUR", "-0.90 EUR", "-0.90 EUR"}); diff != "" {
		t.Errorf("settled base amounts (-got +want):\n%s", diff)
	}
	// The rest, 1000.00 USD carried at 898.30 EUR, comes in as 950.00 EUR:
	// a realised gain of 51.70, and 1210 stands at zero in both currencies.
	lines, err := l.SettlementLines(ctx, "B", ledger.Settlement{Account: "1210", Amount: money.MustParse("1000.00", money.USD).Neg(),
		Date: date.MustParse("2026-01-06"), Counter: []ledger.Line{ledger.Debit("1200", eur("950.00"))}, Gains: "4840", Losses: "6880"})
	if err != nil {
		t.Fatal(err)
	}
	got := []string{}
	for _, ln := range lines {
		got = append(got, ln.Account+" "+ln.Amount.String()+" "+ln.Base.String())
	}
	if diff := cmp.Diff(got, []string{"1210 -1000.00 USD -898.30 EUR", "1200 950.00 EUR " + money.Amount{}.String(),
		"4840 -51.70 EUR " + money.Amount{}.String()}); diff != "" {
		t.Errorf("full settlement (-got +want):\n%s", diff)
	}
	if _, err := l.Post(ctx, ledger.Entry{Book: "B", Key: "pay-rest", Date: date.MustParse("2026-01-06"), Lines: lines}); err != nil {
		t.Fatal(err)
	}
	rows, err := l.Balances(ctx, "B", ledger.BalanceQuery{InBase: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Account.Code == "1210" && !r.Closing.IsZero() {
			t.Errorf("1210 after settlement: %v in EUR, want 0", r.Closing)
		}
	}
	if _, err := l.SettlementLines(ctx, "B", ledger.Settlement{Account: "1500", Amount: money.MustParse("5000.00", money.USD).Neg(),
		Date: date.MustParse("2026-01-05"), Gains: "4840", Losses: "6880"}); !errors.Is(err, ledger.ErrInvalid) {
		t.Errorf("settling more than the balance = %v, want ErrInvalid", err)
	}
	if _, err := l.Verify(ctx, "B"); err != nil {
		t.Fatal(err)
	}
}

// TestRatesForPerBook: one Ledger over two books converts each at its own
// rates (Options.RatesFor), its rounding residue on its own account, and a
// book without rates posts unconverted.
func TestRatesForPerBook(t *testing.T) {
	ctx := context.Background()
	rates := map[string]ledger.BookRates{
		"A": {Rates: rateOn{"2026-01-01": "0.90"}, RoundingAccount: "6880"},
		"B": {Rates: rateOn{"2026-01-01": "0.9237"}, RoundingAccount: "6881"},
	}
	l := ledger.New(memory.New(), &ledger.Options{RatesFor: func(_ context.Context, book string) (ledger.BookRates, error) {
		return rates[book], nil
	}})
	for _, id := range []string{"A", "B", "C"} {
		if err := l.CreateBook(ctx, ledger.Book{ID: id, Name: id, Currency: money.EUR}); err != nil {
			t.Fatal(err)
		}
		for _, a := range []ledger.Account{{Code: "1400", Type: ledger.Asset}, {Code: "1210", Type: ledger.Asset},
			{Code: "6880", Type: ledger.Expense}, {Code: "6881", Type: ledger.Expense}} {
			a.Book, a.Name = id, a.Code
			if err := l.CreateAccounts(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
	}
	usd := func(s string) money.Amount { return money.MustParse(s, money.USD) }
	got := map[string][]string{}
	for _, id := range []string{"A", "B", "C"} {
		p, err := l.Post(ctx, ledger.Entry{Book: id, Date: date.MustParse("2026-01-05"), Lines: []ledger.Line{
			ledger.Debit("1400", usd("33.33")), ledger.Debit("1400", usd("33.33")), ledger.Debit("1400", usd("33.34")),
			ledger.Credit("1210", usd("100.00"))}})
		if err != nil {
			t.Fatal(err)
		}
		for _, ln := range p.Lines {
			got[id] = append(got[id], ln.Account+" "+ln.Amount.String()+" "+ln.Base.String())
		}
	}
	none := money.Amount{}.String()
	want := map[string][]string{
		// 33.33 × 0.90 = 29.997 → 30.00 twice, 33.34 × 0.90 = 30.006 → 30.01:
		// 90.01 against 90.00, 0.01 to A's rounding account.
		"A": {"1400 33.33 USD 30.00 EUR", "1400 33.33 USD 30.00 EUR", "1400 33.34 USD 30.01 EUR", "1210 -100.00 USD -90.00 EUR", "6880 -0.01 EUR " + none},
		"B": {"1400 33.33 USD 30.79 EUR", "1400 33.33 USD 30.79 EUR", "1400 33.34 USD 30.80 EUR", "1210 -100.00 USD -92.37 EUR", "6881 -0.01 EUR " + none},
		"C": {"1400 33.33 USD " + none, "1400 33.33 USD " + none, "1400 33.34 USD " + none, "1210 -100.00 USD " + none},
	}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("posted lines (-got +want):\n%s", diff)
	}
}
