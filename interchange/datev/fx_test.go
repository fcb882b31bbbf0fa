package datev_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"golang.org/x/text/encoding/charmap"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/fx"
	"github.com/openbackoffice/backoffice/interchange/datev"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/memory"
	"github.com/openbackoffice/backoffice/vat"
)

func usd(s string) money.Amount { return money.MustParse(s, money.USD) }
func gbp(s string) money.Amount { return money.MustParse(s, money.GBP) }

// fxBook is an SKR03 book in EUR with a USD bank account (1210) and a GBP
// receivable (1410), both held in their currency and revalued, and the
// rates of the three-currency company (reporting's
// TestThreeCurrencyCompany), 1 USD or GBP = x EUR.
func fxBook(t *testing.T, id string) (*ledger.Ledger, ledger.Book, []ledger.Account) {
	t.Helper()
	ctx := context.Background()
	rate := func(day, cur, r string) fx.Rate {
		return fx.Rate{Date: date.MustParse(day), From: money.MustParseCurrency(cur), To: money.EUR, Rate: decimal.RequireFromString(r), Source: "test"}
	}
	rates, err := fx.NewTable(rate("2025-01-15", "USD", "0.90"), rate("2025-03-10", "GBP", "1.20"),
		rate("2025-09-15", "USD", "0.92"), rate("2025-12-31", "USD", "0.95"), rate("2025-12-31", "GBP", "1.15"))
	if err != nil {
		t.Fatal(err)
	}
	l := ledger.New(memory.New(), &ledger.Options{Rates: rates, RoundingAccount: "2150"})
	b := ledger.Book{ID: id, Name: "FX GmbH", Currency: money.EUR}
	if err := l.CreateBook(ctx, b); err != nil {
		t.Fatal(err)
	}
	held := func(code, name string, c money.Currency) ledger.Account {
		return ledger.Account{Book: id, Code: code, Name: name, Type: ledger.Asset, Currency: c,
			Metadata: map[string]string{ledger.MetaRevalue: "short"}}
	}
	if err := l.CreateAccounts(ctx, append(ledger.SKR03(id), held("1210", "Bank USD", money.USD), held("1410", "Forderungen GBP", money.GBP))...); err != nil {
		t.Fatal(err)
	}
	chart, err := l.Accounts(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return l, b, chart
}

// postFX posts the 2025 entries of the three-currency company that touch
// the USD bank and the GBP receivable, and the year-end revaluation.
func postFX(t *testing.T, l *ledger.Ledger, book string) {
	t.Helper()
	ctx := context.Background()
	post := func(voucher, day, text string, lines ...ledger.Line) {
		t.Helper()
		if _, err := l.Post(ctx, ledger.Entry{Book: book, Key: voucher, Date: date.MustParse(day), Voucher: voucher, Description: text, Lines: lines}); err != nil {
			t.Fatalf("post %s: %v", voucher, err)
		}
	}
	post("K-1", "2025-01-02", "Einlage", ledger.Debit("1200", eur("100000.00")), ledger.Credit("0800", eur("100000.00")))
	post("BA-1", "2025-01-15", "USD gekauft", ledger.Line{Account: "1210", Amount: usd("11000.00"), Base: eur("9900.00")}, ledger.Credit("1200", eur("9900.00")))
	post("AR-1", "2025-03-10", "Leistung UK", ledger.Line{Account: "1410", Amount: gbp("5000.00"), Base: eur("6000.00")}, ledger.Credit("8338", eur("6000.00")))
	lines, err := l.SettlementLines(ctx, book, ledger.Settlement{Account: "1410", Amount: gbp("-3000.00"), Date: date.MustParse("2025-06-30"),
		Counter: []ledger.Line{ledger.Debit("1200", eur("3540.00"))}, Gains: "2660", Losses: "2150"})
	if err != nil {
		t.Fatal(err)
	}
	post("BA-2", "2025-06-30", "Zahlung UK", lines...)
	// No base amount given: the ledger converts at 0.92.
	post("RK-1", "2025-09-15", "Reise USA", ledger.Debit("4660", eur("920.00")), ledger.Credit("1210", usd("1000.00")))
	if _, err := l.Revalue(ctx, book, date.MustParse("2025-12-31"), ledger.RevalueOptions{Gains: "2660", Losses: "2150"}); err != nil {
		t.Fatal(err)
	}
}

func fxOptions(chart []ledger.Account) *datev.Options {
	return &datev.Options{Consultant: 29098, Client: 55003, Chart: chart, VAT: vat.SKR03(),
		Description: "FX 2025", Created: time.Date(2026, 1, 20, 8, 0, 0, 0, time.UTC)}
}

// TestExportConverted exports the year by hand: a converted line is
// written in its currency with DATEV's Kurs (units of it per EUR) and its
// base amount as Basis-Umsatz; the settlement's GBP line is spread over
// its two bookings in proportion to their EUR amounts; the revaluation is
// written in EUR.
//
//	BA-1  11,000.00 USD booked at 9,900.00 EUR: Kurs 11000 / 9900 =
//	      1.1111111… → 1,111111; DATEV: 11000 / 1.111111 = 9900.0009 → 9900,00
//	AR-1  5,000.00 GBP at 6,000.00: 0,833333; 5000 / 0.833333 = 6000.0024
//	BA-2  3,000.00 GBP at 3,600.00 against 3,540.00 (bank) and 60.00
//	      (realised loss): 3000 × 3540/3600 = 2,950.00 and 3000 × 60/3600 =
//	      50.00 GBP, each at 0,833333 (2950 / 0.833333 = 3540.0014,
//	      50 / 0.833333 = 60.00002)
//	RK-1  1,000.00 USD at 920.00: 1.0869565… → 1,086957;
//	      1000 / 1.086957 = 919.99977 → 920,00
//	FX    1210 +520.00, 1410 −100.00 against 2660 −520.00 and 2150 +100.00,
//	      split in order: 1210/1410 100, 1210/2660 420, 2150/2660 100
//
// The GBP rate is below 1, outside the expression DATEV publishes for
// Kurs: each such booking has a Notice.
func TestExportConverted(t *testing.T) {
	ctx := context.Background()
	l, b, chart := fxBook(t, "fx")
	postFX(t, l, "fx")
	var buf bytes.Buffer
	res, err := datev.WriteBookings(ctx, &buf, l, b, date.MustParse("2025-01-01"), date.MustParse("2025-12-31"), fxOptions(chart))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\r\n"), "\r\n")
	if f := splitLine(lines[0]); f[21] != "EUR" {
		t.Errorf("header WKZ %q, want EUR", f[21])
	}
	// Umsatz, S/H, WKZ Umsatz, Kurs, Basis-Umsatz, WKZ Basis-Umsatz, Konto,
	// Gegenkonto, BU, Belegdatum, Belegfeld 1, Belegfeld 2, Skonto,
	// Buchungstext.
	want := [][]string{
		{"100000,00", "S", "EUR", "", "", "", "1200", "0800", "", "0201", "K-1", "", "", "Einlage"},
		{"11000,00", "S", "USD", "1,111111", "9900,00", "EUR", "1210", "1200", "", "1501", "BA-1", "", "", "USD gekauft"},
		{"5000,00", "S", "GBP", "0,833333", "6000,00", "EUR", "1410", "8338", "", "1003", "AR-1", "", "", "Leistung UK"},
		{"2950,00", "H", "GBP", "0,833333", "3540,00", "EUR", "1410", "1200", "", "3006", "BA-2", "", "", "Zahlung UK"},
		{"50,00", "H", "GBP", "0,833333", "60,00", "EUR", "1410", "2150", "", "3006", "BA-2", "", "", "realised exchange difference"},
		{"1000,00", "S", "USD", "1,086957", "920,00", "EUR", "4660", "1210", "", "1509", "RK-1", "", "", "Reise USA"},
		{"100,00", "S", "EUR", "", "", "", "1210", "1410", "", "3112", "", "", "", "GBP at 2025-12-31"},
		{"420,00", "S", "EUR", "", "", "", "1210", "2660", "", "3112", "", "", "", "USD at 2025-12-31"},
		{"100,00", "S", "EUR", "", "", "", "2150", "2660", "", "3112", "", "", "", "Revaluation of foreign-currency balances at 2025-12-31"},
	}
	var got [][]string
	for _, ln := range lines[2:] {
		f := splitLine(ln)
		if len(f) != 125 {
			t.Fatalf("%d fields in %q", len(f), ln)
		}
		for i, v := range f[14:] {
			if v != "" && i+14 != 113 {
				t.Errorf("column %d (%s) = %q, want empty", i+15, strings.Split(lines[1], ";")[i+14], v)
			}
		}
		got = append(got, f[:14])
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("bookings (-want +got):\n%s", d)
	}
	// Foreign-currency fields unquoted (numbers) and quoted (codes), as
	// DATEV's format has them.
	if !strings.HasPrefix(lines[3], `11000,00;"S";"USD";1,111111;9900,00;"EUR";1210;1200;`) {
		t.Errorf("booking line %q", lines[3])
	}
	var notes []string
	for _, n := range res.Notices {
		notes = append(notes, n.String())
	}
	below := "Kurs: 0,833333 is below 1, which the expression DATEV publishes for Kurs (^([1-9]\\d{0,3}[,]\\d{2,6})$) does not admit"
	if d := cmp.Diff([]string{"entry 3: " + below, "entry 4: " + below, "entry 4: " + below}, notes); d != "" {
		t.Errorf("notices (-want +got):\n%s", d)
	}
	if res.Entries != 6 || res.Bookings != 9 {
		t.Errorf("result %d entries, %d bookings", res.Entries, res.Bookings)
	}
}

// balancesBy returns the closing balances of a book per account and
// currency, or in the base currency.
func balancesBy(t *testing.T, l *ledger.Ledger, book string, inBase bool) map[string]string {
	t.Helper()
	rows, err := l.Balances(context.Background(), book, ledger.BalanceQuery{InBase: inBase})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rows {
		if !r.Closing.IsZero() || !r.Debit.IsZero() {
			out[r.Account.Code+" "+r.Currency.Code()] = r.Debit.Number() + " / " + r.Credit.Number()
		}
	}
	return out
}

// TestRoundTripConverted exports the year and imports it into a new book:
// every account has the same debits and credits per currency and in EUR,
// the converted lines come back with their GBP and USD amounts and EUR
// base amounts, and the revaluation's bookings on the accounts held in
// USD and GBP come back as revaluations (journal FX).
func TestRoundTripConverted(t *testing.T) {
	ctx := context.Background()
	l, b, chart := fxBook(t, "fx")
	postFX(t, l, "fx")
	var buf bytes.Buffer
	if _, err := datev.WriteBookings(ctx, &buf, l, b, date.MustParse("2025-01-01"), date.MustParse("2025-12-31"), fxOptions(chart)); err != nil {
		t.Fatal(err)
	}
	l2, b2, chart2 := fxBook(t, "fy")
	entries, err := datev.ReadBookings(bytes.NewReader(buf.Bytes()), "EXTF_fx.csv", b2, fxOptions(chart2))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l2.PostBatch(ctx, entries); err != nil {
		t.Fatal(err)
	}
	for _, inBase := range []bool{false, true} {
		if d := cmp.Diff(balancesBy(t, l, "fx", inBase), balancesBy(t, l2, "fy", inBase)); d != "" {
			t.Errorf("balances (in base: %v) after the round trip (-exported +imported):\n%s", inBase, d)
		}
	}
	// In EUR as the three-currency company has it on 31.12.2025: the USD
	// bank at 10,000 × 0.95 = 9,500.00, the GBP receivable at 2,000 ×
	// 1.15 = 2,300.00.
	wantBase := map[string]string{
		"0800 EUR": "0.00 / 100000.00", "1200 EUR": "103540.00 / 9900.00", "1210 EUR": "10420.00 / 920.00",
		"1410 EUR": "6000.00 / 3700.00", "2150 EUR": "160.00 / 0.00", "2660 EUR": "0.00 / 520.00",
		"4660 EUR": "920.00 / 0.00", "8338 EUR": "0.00 / 6000.00",
	}
	if d := cmp.Diff(wantBase, balancesBy(t, l2, "fy", true)); d != "" {
		t.Errorf("imported balances in EUR (-hand-worked +imported):\n%s", d)
	}
	if _, err := l2.Verify(ctx, "fy"); err != nil {
		t.Fatal(err)
	}
	// Idempotent: the same file again posts nothing new.
	again, err := datev.ReadBookings(bytes.NewReader(buf.Bytes()), "EXTF_fx.csv", b2, fxOptions(chart2))
	if err != nil {
		t.Fatal(err)
	}
	ps, err := l2.PostBatch(ctx, again)
	if err != nil {
		t.Fatal(err)
	}
	if last := ps[len(ps)-1].Seq; last != uint64(len(entries)) {
		t.Errorf("re-import posted anew: last seq %d, want %d", last, len(entries))
	}
	// The settlement, one entry by its voucher: the GBP line in its two
	// parts, each with its base amount.
	i := slices.IndexFunc(entries, func(e ledger.Entry) bool { return e.Voucher == "BA-2" })
	if i < 0 {
		t.Fatal("no entry BA-2")
	}
	type line struct{ Account, Amount, Base string }
	var got []line
	for _, ln := range entries[i].Lines {
		base := ""
		if ln.Converted() {
			base = ln.Base.String()
		}
		got = append(got, line{ln.Account, ln.Amount.String(), base})
	}
	want := []line{{"1410", "-2950.00 GBP", "-3540.00 EUR"}, {"1200", "3540.00 EUR", ""}, {"1410", "-50.00 GBP", "-60.00 EUR"}, {"2150", "60.00 EUR", ""}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("BA-2 (-want +got):\n%s", d)
	}
	var journals []string
	for _, e := range entries {
		journals = append(journals, e.Journal)
	}
	// The revaluation has no voucher: each of its bookings is an entry,
	// those on 1210 and 1410 revaluations.
	if d := cmp.Diff([]string{"DATEV", "DATEV", "DATEV", "DATEV", "DATEV", "FX", "FX", "DATEV"}, journals); d != "" {
		t.Errorf("journals (-want +got):\n%s", d)
	}
}

// TestSplitSumsConverted splits entries with converted lines and checks,
// for every account, that the bookings add up to the entry's lines in EUR
// and in each foreign currency (a booking's foreign amount counted on its
// accounts that have lines in that currency), with the Kurs and
// Basis-Umsatz of each booking as worked by hand.
func TestSplitSumsConverted(t *testing.T) {
	_, _, chart := newBook(t, "t")
	conv := func(account string, a, base money.Amount) ledger.Line {
		return ledger.Line{Account: account, Amount: a, Base: base}
	}
	type row struct{ Umsatz, Kurs, Basis, Konto, Gegenkonto, BU string }
	for _, tc := range []struct {
		name  string
		lines []ledger.Line
		want  []row
	}{
		{
			// 700.00 USD over 100.00 : 200.00 : 300.01 EUR: 70000 ×
			// w/60001 = 11666.47, 23332.94, 35000.58 cents, the two
			// cents left over to the largest remainders.
			"one foreign line against three", []ledger.Line{
				ledger.Debit("4210", eur("100.00")), ledger.Debit("4920", eur("200.00")), ledger.Debit("4660", eur("300.01")),
				conv("1210", usd("-700.00"), eur("-600.01"))},
			[]row{{"116.66 USD", "1.1666", "100.00 EUR", "1210", "4210", ""}, {"233.33 USD", "1.16665", "200.00 EUR", "1210", "4920", ""},
				{"350.01 USD", "1.166661", "300.01 EUR", "1210", "4660", ""}},
		},
		{
			// In order: 1210's 900.00 EUR against 500.00 and 400.00, its
			// 1000 USD split 555.56 / 444.44.
			"two against two", []ledger.Line{
				conv("1210", usd("1000.00"), eur("900.00")), ledger.Debit("1200", eur("100.00")),
				ledger.Credit("8338", eur("500.00")), ledger.Credit("2660", eur("500.00"))},
			[]row{{"555.56 USD", "1.11112", "500.00 EUR", "1210", "8338", ""}, {"444.44 USD", "1.1111", "400.00 EUR", "1210", "2660", ""},
				{"100.00 EUR", "", "", "1200", "2660", ""}},
		},
		{
			"both accounts in USD", []ledger.Line{conv("1210", usd("100.00"), eur("90.00")), conv("1590", usd("-100.00"), eur("-90.00"))},
			[]row{{"100.00 USD", "1.111111", "90.00 EUR", "1210", "1590", ""}},
		},
		{
			// DATEV would compute the tax of 8400 itself: with a foreign
			// line in the entry it is booked on 1776, 8400 with BU 40.
			"GBP invoice with VAT", []ledger.Line{
				{Account: "1400", Amount: gbp("119.00"), Base: eur("142.80"), Dimensions: map[string]string{"party": "10001"}},
				ledger.Credit("8400", eur("120.00")), ledger.Credit("1776", eur("22.80"))},
			[]row{{"100.00 GBP", "0.833333", "120.00 EUR", "10001", "8400", "40"}, {"19.00 GBP", "0.833333", "22.80 EUR", "10001", "1776", ""}},
		},
		{
			"JPY, no minor units", []ledger.Line{conv("1590", money.MustParse("150000", money.JPY), eur("900.00")), ledger.Credit("8338", eur("900.00"))},
			[]row{{"150000 JPY", "166.666667", "900.00 EUR", "1590", "8338", ""}},
		},
		{
			"exact rate", []ledger.Line{conv("1210", usd("100.00"), eur("50.00")), ledger.Credit("1200", eur("50.00"))},
			[]row{{"100.00 USD", "2", "50.00 EUR", "1210", "1200", ""}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := ledger.Posted{Entry: ledger.Entry{Key: "k", Date: date.MustParse("2025-03-05"), Lines: tc.lines}, Seq: 1}
			bs, _, err := datev.Bookings(p, money.EUR, options(chart))
			if err != nil {
				t.Fatal(err)
			}
			var got []row
			type key struct{ account, cur string }
			want, sums := map[key]int64{}, map[key]int64{}
			for _, ln := range p.Lines {
				acct := ln.Account
				if party := ln.Dimensions["party"]; party != "" {
					acct = party
				}
				base := ln.Amount
				if ln.Converted() {
					base = ln.Base
					want[key{acct, ln.Amount.Currency().Code()}] += ln.Amount.MinorUnits()
				}
				want[key{acct, "base"}] += base.MinorUnits()
			}
			for _, b := range bs {
				r := row{Umsatz: b.Amount.String(), Konto: b.Account, Gegenkonto: b.Contra, BU: b.BU}
				base := b.Amount
				if b.Foreign() {
					base = b.Base
					r.Kurs, r.Basis = b.Rate.String(), b.Base.String()
					m := b.Amount.MinorUnits() * int64(b.Side)
					for _, acct := range []string{b.Account, b.Contra} {
						k := key{acct, b.Amount.Currency().Code()}
						if _, ok := want[k]; ok {
							sums[k] += m
						}
						m = -m
					}
				}
				m := base.MinorUnits() * int64(b.Side)
				sums[key{b.Account, "base"}] += m
				sums[key{b.Contra, "base"}] -= m
				got = append(got, r)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("bookings (-want +got):\n%s", d)
			}
			if d := cmp.Diff(want, sums); d != "" {
				t.Errorf("sums per account (-lines +bookings):\n%s", d)
			}
		})
	}
}

// TestImportHeldRefused: a booking in GBP on the account held in USD is
// refused, naming the column.
func TestImportHeldRefused(t *testing.T) {
	_, b, chart := fxBook(t, "fx")
	header := `"EXTF";700;21;"Buchungsstapel";13;20260120080000000;;"RE";"";"";29098;55003;20250101;4;20250101;20251231;"";"";1;0;0;"EUR";;"";;;"03";;;"";""` + "\r\n"
	heads := `Umsatz (ohne Soll/Haben-Kz);Soll/Haben-Kennzeichen;WKZ Umsatz;Kurs;Basis-Umsatz;WKZ Basis-Umsatz;Konto;Gegenkonto (ohne BU-Schlüssel);BU-Schlüssel;Belegdatum` + "\r\n"
	for _, tc := range []struct{ name, body, column string }{
		{"GBP on the USD bank", `100,00;"S";"GBP";0,833333;120,00;"EUR";1200;1210;"";0503`, "Gegenkonto (ohne BU-Schlüssel)"},
		{"USD on the GBP receivable", `100,00;"S";"USD";1,111111;90,00;"EUR";1410;8338;"";0503`, "Konto"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, _ := charmap.Windows1252.NewEncoder().String(header + heads + tc.body + "\r\n")
			_, err := datev.ReadBookings(strings.NewReader(in), "f.csv", b, fxOptions(chart))
			var fe *datev.FieldError
			if !errors.As(err, &fe) || fe.Line != 3 || fe.Column != tc.column || !errors.Is(err, datev.ErrUnsupported) {
				t.Errorf("got %v, want f.csv:3: %s wrapping ErrUnsupported", err, tc.column)
			}
		})
	}
}
