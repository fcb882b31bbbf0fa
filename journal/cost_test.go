package journal_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/fx"
	"github.com/openbackoffice/backoffice/journal"
	"github.com/openbackoffice/backoffice/money"
)

// line is an entry line as the cost tests write it: "ACCOUNT AMOUNT CUR"
// and, for a line with a base amount, "@ BASE CUR".
func lineText(account string, a, base money.Amount) string {
	s := account + " " + a.Number() + " " + a.Currency().Code()
	if !base.Currency().IsZero() {
		s += " @ " + base.Number() + " " + base.Currency().Code()
	}
	return s
}

// TestReadCosts reads costs and inferred conversions into lines with base
// amounts, each worked by hand.
func TestReadCosts(t *testing.T) {
	tests := []struct {
		name string
		in   string
		base money.Currency
		want []string // the lines of the one entry
	}{
		{"total cost", "2025-01-15 x\n  usd  USD 100.00 @@ EUR 92.00\n  eur  EUR -92.00\n", money.EUR,
			[]string{"usd 100.00 USD @ 92.00 EUR", "eur -92.00 EUR"}},
		{"unit cost", "2025-01-15 x\n  usd  USD 100.00 @ EUR 0.92\n  eur  EUR -92.00\n", money.EUR,
			[]string{"usd 100.00 USD @ 92.00 EUR", "eur -92.00 EUR"}},
		// 33.33 × 0.915 = 30.49695, half up 30.50; hledger balances the
		// unrounded -0.00305 to two decimals.
		{"unit cost rounded half up", "2025-01-15 x\n  usd  USD 33.33 @ EUR 0.915\n  eur  EUR -30.50\n", money.EUR,
			[]string{"usd 33.33 USD @ 30.50 EUR", "eur -30.50 EUR"}},
		{"unit cost of many decimals", "2025-01-15 x\n  usd  USD 100.00 @ EUR 0.923456\n  eur  EUR -92.35\n", money.EUR,
			[]string{"usd 100.00 USD @ 92.35 EUR", "eur -92.35 EUR"}},
		{"credit", "2025-09-15 x\n  travel  EUR 920.00\n  usd  USD -1000.00 @@ EUR 920.00\n", money.EUR,
			[]string{"travel 920.00 EUR", "usd -1000.00 USD @ -920.00 EUR"}},
		{"symbols", "2025-09-15 x\n  usd  $100 @@ €92\n  eur  €-92\n", money.EUR,
			[]string{"usd 100.00 USD @ 92.00 EUR", "eur -92.00 EUR"}},
		{"elided", "2025-01-15 x\n  gbp  GBP 50.00 @ EUR 1.20\n  eur\n", money.EUR,
			[]string{"gbp 50.00 GBP @ 60.00 EUR", "eur -60.00 EUR"}},
		{"with an assertion", "2025-01-15 x\n  usd  USD 100.00 @ EUR 0.92 = USD 100.00\n  eur\n", money.EUR,
			[]string{"usd 100.00 USD @ 92.00 EUR", "eur -92.00 EUR"}},
		{"inferred", "2025-01-15 x\n  usd  USD 100.00\n  eur  EUR -92.00\n", money.EUR,
			[]string{"usd 100.00 USD @ 92.00 EUR", "eur -92.00 EUR"}},
		// hledger puts the inferred cost on the EUR posting here (the first
		// commodity): the exchange is the same.
		{"inferred, base first", "2025-01-15 x\n  eur  EUR -92.00\n  usd  USD 100.00\n", money.EUR,
			[]string{"eur -92.00 EUR", "usd 100.00 USD @ 92.00 EUR"}},
		// One rate, 0.92, as hledger's inferred unit cost: 60 × 0.92, 40 × 0.92.
		{"inferred, shared", "2025-01-15 x\n  eur  EUR -92.00\n  usd  USD 60.00\n  usd  USD 40.00\n", money.EUR,
			[]string{"eur -92.00 EUR", "usd 60.00 USD @ 55.20 EUR", "usd 40.00 USD @ 36.80 EUR"}},
		{"inferred, shared with opposite signs", "2025-01-15 x\n  usd  USD 150.00\n  usd  USD -50.00\n  eur  EUR -92.00\n", money.EUR,
			[]string{"usd 150.00 USD @ 138.00 EUR", "usd -50.00 USD @ -46.00 EUR", "eur -92.00 EUR"}},
		{"cost on the base posting", "2025-01-15 x\n  eur  EUR -92.00 @@ USD 100.00\n  usd  USD 100.00\n", money.EUR,
			[]string{"eur -92.00 EUR", "usd 100.00 USD @ 92.00 EUR"}},
		{"another currency balancing alone", "2025-01-15 x\n  usd  USD 100.00 @@ EUR 92.00\n  eur  EUR -92.00\n  a  GBP 10.00\n  b  GBP -10.00\n", money.EUR,
			[]string{"usd 100.00 USD @ 92.00 EUR", "eur -92.00 EUR", "a 10.00 GBP", "b -10.00 GBP"}},
		{"inferred, another currency balancing alone", "2025-01-15 x\n  usd  USD 100.00\n  eur  EUR -92.00\n  a  GBP 10.00\n  b  GBP -10.00\n", money.EUR,
			[]string{"usd 100.00 USD @ 92.00 EUR", "eur -92.00 EUR", "a 10.00 GBP", "b -10.00 GBP"}},
		// A USD book: the EUR posting is the foreign one, worth the 100 USD.
		{"book in the cost's commodity", "2025-01-15 x\n  usd  USD 100.00 @@ EUR 92.00\n  eur  EUR -92.00\n", money.USD,
			[]string{"usd 100.00 USD", "eur -92.00 EUR @ -100.00 USD"}},
		{"zero cost", "2025-01-15 x\n  usd  USD 0.01 @ EUR 0.001\n  eur  EUR 0.00\n", money.EUR,
			[]string{"usd 0.01 USD @ 0.00 EUR"}},
		{"one currency", "2025-01-15 x\n  a  EUR 10.00\n  b\n", money.EUR,
			[]string{"a 10.00 EUR", "b -10.00 EUR"}},
		{"foreign currency alone", "2025-01-15 x\n  a  USD 10.00\n  b\n", money.EUR,
			[]string{"a 10.00 USD", "b -10.00 USD"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j, err := journal.Read(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			entries, sources, err := j.EntriesIn("b", tt.base)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 1 || len(sources) != 1 || sources[0].Line != 1 {
				t.Fatalf("%d entries from %v, want one from line 1", len(entries), sources)
			}
			var got []string
			for _, l := range entries[0].Lines {
				got = append(got, lineText(l.Account, l.Amount, l.Base))
			}
			if diff := cmp.Diff(got, tt.want); diff != "" {
				t.Errorf("lines (-got +want):\n%s", diff)
			}
			if len(got) > 1 {
				if err := entries[0].Validate(nil); err != nil {
					t.Errorf("entry does not validate: %v", err)
				}
			}
		})
	}
}

// TestReadCostErrors: what Read or EntriesIn cannot read faithfully is
// refused with the line and a sentinel.
func TestReadCostErrors(t *testing.T) {
	tests := []struct {
		name, in string
		base     money.Currency // EntriesIn's; zero: Read fails
		line     int
		err      error
	}{
		{"virtual cost", "2025-01-01 x\n  a  USD 1.00 (@@) EUR 1.00\n  b\n", money.Currency{}, 2, journal.ErrUnsupported},
		{"signed cost", "2025-01-01 x\n  a  USD -1.00 @@ EUR -0.92\n  b  EUR 0.92\n", money.Currency{}, 2, journal.ErrSyntax},
		{"cost in its own commodity", "2025-01-01 x\n  a  USD 1.00 @ USD 1\n  b\n", money.Currency{}, 2, journal.ErrSyntax},
		{"cost without an amount", "2025-01-01 x\n  a  @ EUR 1\n  b  USD 1.00\n", money.Currency{}, 2, journal.ErrSyntax},
		{"two costs", "2025-01-01 x\n  a  USD 1.00 @ EUR 1 @ EUR 2\n  b\n", money.Currency{}, 2, journal.ErrSyntax},
		{"total cost of more decimals than the currency", "2025-01-01 x\n  a  USD 1.00 @@ EUR 0.925\n  b\n", money.Currency{}, 2, journal.ErrSyntax},
		{"cost in a stock", "2025-01-01 x\n  a  USD 1.00 @ 2 AAPL\n  b\n", money.Currency{}, 2, journal.ErrUnsupported},
		// 0.925 twice rounds to 0.93 + 0.93 = 1.86.
		{"rounded unit costs off", "2025-01-01 x\n  a  USD 1.00 @ EUR 0.925\n  a  USD 1.00 @ EUR 0.925\n  b  EUR -1.85\n", money.Currency{}, 1, journal.ErrUnbalanced},
		// 0.13 + 0.13 balance -0.26, but hledger balances 0.125 + 0.125 = 0.25.
		{"rounded unit costs balancing, unrounded off", "2025-01-01 x\n  a  USD 1.00 @ EUR 0.125\n  a  USD 1.00 @ EUR 0.125\n  b  EUR -0.26\n", money.Currency{}, 1, journal.ErrUnbalanced},
		// hledger would post EUR -92.3456.
		{"elided unrounded cost", "2025-01-01 x\n  a  USD 100.00 @ EUR 0.923456\n  b\n", money.Currency{}, 3, journal.ErrSyntax},
		{"two commodities of one sign", "2025-01-01 x\n  a  USD 100.00\n  b  EUR 92.00\n", money.Currency{}, 1, journal.ErrUnbalanced},
		{"three commodities", "2025-01-01 x\n  a  USD 100.00\n  b  EUR -92.00\n  c  GBP 1.00\n", money.Currency{}, 1, journal.ErrUnbalanced},
		{"cost and an unbalanced commodity", "2025-01-01 x\n  a  USD 100.00 @@ EUR 92.00\n  b  EUR -92.00\n  c  GBP 1.00\n", money.Currency{}, 1, journal.ErrUnbalanced},
		{"cost in a third currency", "2025-01-01 x\n  a  USD 100.00 @@ GBP 85.00\n  b  GBP -85.00\n", money.EUR, 2, journal.ErrForeignCost},
		{"conversion between two other currencies", "2025-01-01 x\n  a  USD 100.00\n  b  GBP -85.00\n", money.EUR, 1, journal.ErrForeignCost},
		// 1.00 EUR at one rate over USD 1.00 and 2.00: 0.333… and 0.666….
		{"inexact shares", "2025-01-01 x\n  a  EUR -1.00\n  b  USD 1.00\n  c  USD 2.00\n", money.EUR, 3, journal.ErrAmbiguous},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j, err := journal.Read(strings.NewReader(tt.in))
			if tt.base.IsZero() {
				if err == nil {
					t.Fatalf("Read = %+v, want an error", j.Transactions)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				var entries any
				entries, _, err = j.EntriesIn("b", tt.base)
				if err == nil {
					t.Fatalf("EntriesIn = %+v, want an error", entries)
				}
			}
			var es journal.Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("error %v is not Errors", err)
			}
			if es[0].Line != tt.line || !errors.Is(es[0], tt.err) {
				t.Errorf("first error %v, want line %d wrapping %v", es[0], tt.line, tt.err)
			}
		})
	}
	j, err := journal.Read(strings.NewReader("2025-01-01 x\n  a  USD 1.00\n  b\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := j.EntriesIn("b", money.Currency{}); !errors.Is(err, journal.ErrSyntax) {
		t.Errorf("EntriesIn without a base currency = %v, want ErrSyntax", err)
	}
}

// TestEntriesInPostingDates: a conversion with a posting on another date
// is split through the clearing account in the base currency.
func TestEntriesInPostingDates(t *testing.T) {
	in := "2025-01-15 x\n  usd  USD 100.00 @@ EUR 92.00\n  eur  EUR -92.00  ; date: 2025-01-17\n"
	j, err := journal.Read(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	entries, _, err := j.EntriesIn("b", money.EUR)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		if err := e.Validate(nil); err != nil {
			t.Errorf("%s: %v", e.Date, err)
		}
		for _, l := range e.Lines {
			got = append(got, e.Date.String()+" "+lineText(l.Account, l.Amount, l.Base))
		}
	}
	clearing := journal.Code(journal.ClearingAccount)
	want := []string{
		"2025-01-15 usd 100.00 USD @ 92.00 EUR", "2025-01-15 " + clearing + " -92.00 EUR",
		"2025-01-17 eur -92.00 EUR", "2025-01-17 " + clearing + " 92.00 EUR",
	}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("lines (-got +want):\n%s", diff)
	}
}

// rateOpts compares rates, their digits as written included (1.0830 is
// not 1.083).
var rateOpts = cmp.Options{
	cmp.Options(cmpOpts),
	cmp.Comparer(func(a, b money.Currency) bool { return a == b }),
	cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) && a.Exponent() == b.Exponent() }),
}

// TestRates reads P directives as exchange rates, exactly as written.
func TestRates(t *testing.T) {
	in := "commodity EUR 1000.00\n" +
		"P 2025-01-15 USD 0.90 EUR  ; source: ECB\n" +
		"P 2025/03/07 EUR USD 1.0830\n" +
		"P 2025-01-15 USD 0.9 EUR\n" + // the same rate again
		"P 2025-12-31 CHF 1.10 EUR\n"
	j, err := journal.Read(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	got, err := j.Rates()
	if err != nil {
		t.Fatal(err)
	}
	rate := func(day string, from, to money.Currency, r, source string) fx.Rate {
		return fx.Rate{Date: date.MustParse(day), From: from, To: to, Rate: decimal.RequireFromString(r), Source: source}
	}
	want := []fx.Rate{
		rate("2025-01-15", money.USD, money.EUR, "0.90", "ECB"),
		rate("2025-03-07", money.EUR, money.USD, "1.0830", ""),
		rate("2025-12-31", money.CHF, money.EUR, "1.10", ""),
	}
	opts := rateOpts
	if diff := cmp.Diff(got, want, opts...); diff != "" {
		t.Errorf("rates (-got +want):\n%s", diff)
	}

	// Written and read back: the same rates, digits and sources.
	var buf bytes.Buffer
	if err := journal.Write(&buf, nil, nil, want...); err != nil {
		t.Fatal(err)
	}
	back, err := journal.Read(&buf)
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	again, err := back.Rates()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(again, want, opts...); diff != "" {
		t.Errorf("rates read back (-got +want):\n%s", diff)
	}

	// Midnight is the day itself.
	for _, in := range []string{"P 2025-01-15 00:00 USD 0.90 EUR\n", "P 2025-01-15 00:00:00 USD 0.90 EUR\n"} {
		j, err := journal.Read(strings.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		rates, err := j.Rates()
		if err != nil || len(rates) != 1 || rates[0].Date != date.MustParse("2025-01-15") {
			t.Errorf("%q: rates %v, %v; want one of 2025-01-15", in, rates, err)
		}
	}

	errs := []struct {
		name, in string
		line     int
		err      error
	}{
		{"stock", "P 2025-01-15 AAPL 150.00 USD\n", 1, journal.ErrUnsupported},
		{"time of day", "P 2025-01-15 12:00:00 USD 0.90 EUR\n", 1, journal.ErrUnsupported},
		{"zero", "P 2025-01-15 USD 0 EUR\n", 1, fx.ErrInvalidRate},
		{"conflict", "P 2025-01-15 USD 0.90 EUR\n\nP 2025-01-15 USD 0.91 EUR\n", 3, fx.ErrConflict},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			j, err := journal.Read(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			rates, err := j.Rates()
			var es journal.Errors
			if !errors.As(err, &es) || len(es) != 1 || rates != nil {
				t.Fatalf("Rates = %v, %v; want one error and no rates", rates, err)
			}
			if es[0].Line != tt.line || !errors.Is(es[0], tt.err) {
				t.Errorf("error %v, want line %d wrapping %v", es[0], tt.line, tt.err)
			}
		})
	}
}
