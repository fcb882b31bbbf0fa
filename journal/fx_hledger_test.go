package journal_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/fx"
	"github.com/openbackoffice/backoffice/journal"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/memory"
)

// threeCurrencyCompany builds the hand-worked book of reporting's
// TestThreeCurrencyCompany with the ledger API, as it does: a EUR book
// (default chart) with a USD bank account (1121), a GBP customer (1210)
// and a CHF supplier (2110), over 2025 and 2026, revalued at each year
// end, 2025 closed. Rates are 1 unit = x EUR and make every conversion
// exact to the cent:
//
//	date        USD   GBP   CHF
//	2025-01-15  0.90
//	2025-03-10        1.20
//	2025-04-20              1.05
//	2025-09-15  0.92
//	2025-12-31  0.95  1.15  1.10
//	2026-08-01  0.88
//	2026-12-31  0.85
//
// E1 capital 100,000.00 EUR; E2 buy 11,000 USD for 9,900.00; E3 sale
// 5,000 GBP = 6,000.00; E4 CHF invoice 2,000 CHF = 2,100.00; E5 the
// customer pays 3,000 GBP (carried 3,600.00), the bank credits 3,540.00;
// E6 travel 1,000 USD = 920.00; R1 revaluation 2025-12-31 (1121 +520.00,
// 1210 −100.00, 2110 −100.00); 2025 closed to 3200 (result 3,240.00);
// E7 pay 2,000 CHF (carried 2,200.00) with 2,160.00; E8 the customer pays
// 2,000 GBP (carried 2,300.00), 2,360.00 credited; E9 US sale 3,000 USD =
// 2,640.00; R2 revaluation 2026-12-31 (1121 −1,090.00).
func threeCurrencyCompany(t *testing.T) (*ledger.Ledger, *fx.Table) {
	t.Helper()
	ctx := context.Background()
	day := date.MustParse
	rate := func(d, cur, r string) fx.Rate {
		return fx.Rate{Date: day(d), From: money.MustParseCurrency(cur), To: money.EUR, Rate: decimal.RequireFromString(r), Source: "test"}
	}
	rates, err := fx.NewTable(
		rate("2025-01-15", "USD", "0.90"), rate("2025-03-10", "GBP", "1.20"), rate("2025-04-20", "CHF", "1.05"),
		rate("2025-09-15", "USD", "0.92"),
		rate("2025-12-31", "USD", "0.95"), rate("2025-12-31", "GBP", "1.15"), rate("2025-12-31", "CHF", "1.10"),
		rate("2026-08-01", "USD", "0.88"),
		rate("2026-12-31", "USD", "0.85"),
	)
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return time.Date(2027, 1, 15, 8, 0, 0, 0, time.UTC) }
	l := ledger.New(memory.New(), &ledger.Options{Now: clock, Rates: rates, RoundingAccount: "6990"})
	if err := l.CreateBook(ctx, ledger.Book{ID: "tri", Name: "Tri GmbH", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	chart := ledger.DefaultChart("tri")
	for i := range chart {
		if chart[i].Code == "2110" { // the CHF supplier
			chart[i].Currency = money.CHF
			chart[i].Metadata = map[string]string{ledger.MetaRevalue: "short"}
		}
	}
	foreign := func(code, name, parent string, c money.Currency) ledger.Account {
		return ledger.Account{Book: "tri", Code: code, Name: name, Type: ledger.Asset, Parent: parent, Currency: c,
			Metadata: map[string]string{ledger.MetaRevalue: "short"}}
	}
	chart = append(chart, foreign("1121", "Bank USD", "1100", money.USD), foreign("1210", "Receivables GBP", "1100", money.GBP))
	slices.SortFunc(chart, func(a, b ledger.Account) int { return strings.Compare(a.Code, b.Code) })
	if err := l.CreateAccounts(ctx, chart...); err != nil {
		t.Fatal(err)
	}
	amt := func(s, cur string) money.Amount { return money.MustParse(s, money.MustParseCurrency(cur)) }
	eur := func(s string) money.Amount { return amt(s, "EUR") }
	post := func(key, d string, lines ...ledger.Line) {
		t.Helper()
		if _, err := l.Post(ctx, ledger.Entry{Book: "tri", Key: key, Date: day(d), Description: key, Lines: lines}); err != nil {
			t.Fatalf("post %s: %v", key, err)
		}
	}
	settle := func(key, d, account string, a money.Amount, bank string) {
		t.Helper()
		lines, err := l.SettlementLines(ctx, "tri", ledger.Settlement{Account: account, Amount: a, Date: day(d),
			Counter: []ledger.Line{{Account: "1120", Amount: eur(bank)}}, Gains: "4200", Losses: "6990"})
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		post(key, d, lines...)
	}
	revalue := func(d string) {
		t.Helper()
		if _, err := l.Revalue(ctx, "tri", day(d), ledger.RevalueOptions{Gains: "4200", Losses: "6990"}); err != nil {
			t.Fatalf("revalue %s: %v", d, err)
		}
	}
	post("E1", "2025-01-02", ledger.Debit("1120", eur("100000.00")), ledger.Credit("3100", eur("100000.00")))
	post("E2", "2025-01-15", ledger.Debit("1121", amt("11000.00", "USD")), ledger.Credit("1120", eur("9900.00")))
	post("E3", "2025-03-10", ledger.Debit("1210", amt("5000.00", "GBP")), ledger.Credit("4100", eur("6000.00")))
	post("E4", "2025-04-20", ledger.Debit("6700", eur("2100.00")), ledger.Credit("2110", amt("2000.00", "CHF")))
	settle("E5", "2025-06-30", "1210", amt("-3000.00", "GBP"), "3540.00")
	post("E6", "2025-09-15", ledger.Debit("6500", eur("920.00")), ledger.Credit("1121", amt("1000.00", "USD")))
	revalue("2025-12-31")
	if _, err := l.CloseYear(ctx, "tri", 2025, "3200"); err != nil {
		t.Fatal(err)
	}
	settle("E7", "2026-02-10", "2110", amt("2000.00", "CHF"), "-2160.00")
	settle("E8", "2026-05-05", "1210", amt("-2000.00", "GBP"), "2360.00")
	post("E9", "2026-08-01", ledger.Debit("1121", amt("3000.00", "USD")), ledger.Credit("4100", eur("2640.00")))
	revalue("2026-12-31")
	return l, rates
}

// TestHledgerThreeCurrencies is issue 17's agreement test: the
// three-currency company, exported as a journal with its rates as P
// directives, reads back to the same entries (amounts and base amounts)
// and rates; and hledger's balances in EUR, both at the booked costs
// (bal -B) and valued at the market prices of each posting's date (bal -X
// EUR --value=then, which the rates make the booked amounts), agree to the
// cent with the ledger's balances in the base currency (BalanceQuery
// InBase), which agree with the hand-worked ones, at the end of 2025
// (after the closing) and of 2026. hledger's amounts are printed with six
// decimals, so that no sub-cent difference hides in the rounding.
func TestHledgerThreeCurrencies(t *testing.T) {
	ctx := context.Background()
	l, table := threeCurrencyCompany(t)
	var entries []ledger.Entry
	posted, err := l.Entries(ctx, "tri", ledger.EntryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range posted {
		entries = append(entries, p.Entry)
	}
	accounts, err := l.Accounts(ctx, "tri")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := journal.Write(&buf, accounts, entries, table.Rates()...); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "tri.journal")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"    1000 Assets:1100 Current assets:1121 Bank USD  USD 11000.00 @@ EUR 9900.00\n", "\nP 2025-01-15 USD 0.90 EUR  ; source: test\n"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("the export has no %q:\n%s", want, buf.String())
		}
	}

	// Read back: the same entries, base amounts included, and rates.
	j, err := journal.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	back, _, err := j.EntriesIn("tri", money.EUR)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(entries, back, cmpOpts...); diff != "" {
		t.Errorf("entries read back (-posted +read):\n%s", diff)
	}
	converted := 0
	for _, e := range back {
		for _, l := range e.Lines {
			if l.Converted() {
				converted++
			}
		}
	}
	if converted != 8 { // E2, E3, E4, E5, E6, E7, E8, E9
		t.Errorf("%d lines with base amounts read back, want 8", converted)
	}
	rates, err := j.Rates()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(table.Rates(), rates, rateOpts); diff != "" {
		t.Errorf("rates read back (-table +read):\n%s", diff)
	}

	// The ledger's balances in EUR, as worked by hand.
	byHand := map[string]map[string]string{
		"2025-12-31": {"1120": "93640.00", "1121": "9500.00", "1210": "2300.00", "2110": "-2200.00",
			"3100": "-100000.00", "3200": "-3240.00"},
		"2026-12-31": {"1120": "93840.00", "1121": "11050.00", "3100": "-100000.00", "3200": "-3240.00",
			"4100": "-2640.00", "4200": "-100.00", "6990": "1090.00"},
	}
	hledger := hledgerBin(t)
	if hledger == "" {
		t.Skip("hledger not installed: the export is checked by reading it back only")
	}
	if out, err := exec.Command(hledger, "-f", path, "check", "-s").CombinedOutput(); err != nil {
		t.Fatalf("hledger check -s: %v\n%s\n%s", err, out, buf.String())
	}
	for _, end := range []string{"2025-12-31", "2026-12-31"} {
		rows, err := l.Balances(ctx, "tri", ledger.BalanceQuery{To: date.MustParse(end), InBase: true})
		if err != nil {
			t.Fatal(err)
		}
		books := map[string]string{}
		for _, r := range rows {
			if r.Currency != money.EUR {
				t.Errorf("%s: a row in %s", r.Account.Code, r.Currency)
			}
			if !r.Closing.IsZero() {
				books[r.Account.Code] = r.Closing.Number()
			}
		}
		if diff := cmp.Diff(books, byHand[end]); diff != "" {
			t.Errorf("ledger balances in EUR on %s (-ledger +by hand):\n%s", end, diff)
		}
		for _, how := range [][]string{{"-B"}, {"-X", "EUR", "--value=then"}} {
			got := hledgerEUR(t, hledger, path, date.MustParse(end), how...)
			if diff := cmp.Diff(got, books); diff != "" {
				t.Errorf("hledger bal %s -e %s against the ledger's balances in EUR (-hledger +ledger):\n%s",
					strings.Join(how, " "), end, diff)
			}
		}
	}
}

// hledgerEUR runs hledger's flat balance report of path through asOf with
// the valuation flags how and returns each account's balance by code (the
// first word of the last segment of the names Write gives a numeric
// chart), its six decimals cut to the cents when the rest are zeros, and
// "CUR amount" for an amount in another currency than EUR.
func hledgerEUR(t *testing.T, bin, path string, asOf date.Date, how ...string) map[string]string {
	t.Helper()
	args := append([]string{"-f", path, "balance", "--flat", "--no-total", "-O", "csv", "--layout=bare",
		"-e", asOf.AddDays(1).String(), "-c", "EUR 1000.000000"}, how...)
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("hledger %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	rows, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("hledger output: %v\n%s", err, out)
	}
	got := map[string]string{}
	for _, r := range rows[1:] {
		name := r[0]
		if i := strings.LastIndexByte(name, ':'); i >= 0 {
			name = name[i+1:]
		}
		code, _, _ := strings.Cut(name, " ")
		v := strings.TrimSuffix(r[2], "0000")
		if v == "0.00" || v == "-0.00" {
			continue
		}
		if r[1] != "EUR" {
			v = r[1] + " " + r[2]
		}
		if prev, ok := got[code]; ok {
			v = prev + ", " + v
		}
		got[code] = v
	}
	return got
}
