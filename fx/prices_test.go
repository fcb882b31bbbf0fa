package fx

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/money"
)

func TestReadPriceDirectives(t *testing.T) {
	in := `; prices of 2025
commodity EUR 1,000.00
P 2025-01-02 USD 0.92 EUR
P 2025/01/03 USD EUR 0.9150   ; source: ECB, checked
P 2025.1.6 EUR 161.2 JPY ; note: x, source: bank
P 2025-01-07 "GBP" 1.19EUR
P 2025-01-08 CHF EUR1.07
P	2025-01-09	USD	0.93	EUR

2025-01-02 * Invoice
    assets:receivables    USD 100.00
    income:sales
  P 2025-01-10 USD 0.5 EUR
# P 2025-01-11 USD 0.5 EUR
comment
P 2025-01-12 USD 0.5 EUR
end comment
P 2025-01-02 USD 0.920 EUR
`
	got, err := ReadPriceDirectives(strings.NewReader(in), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Rate{
		rt("2025-01-02", "USD", "EUR", "0.92", ""),
		rt("2025-01-03", "USD", "EUR", "0.9150", "ECB"),
		rt("2025-01-06", "EUR", "JPY", "161.2", "bank"),
		rt("2025-01-07", "GBP", "EUR", "1.19", ""),
		rt("2025-01-08", "CHF", "EUR", "1.07", ""),
		rt("2025-01-09", "USD", "EUR", "0.93", ""),
		rt("2025-01-02", "USD", "EUR", "0.920", ""), // equal to line 3: kept, added once
	}
	if diff := cmp.Diff(got, want, rateOpts); diff != "" {
		t.Errorf("ReadPriceDirectives (-got +want):\n%s", diff)
	}
}

func TestReadPriceDirectivesRefuses(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []*Error
		msg  string
	}{
		{"dollar sign", "P 2025-01-02 EUR $1.08\n", []*Error{{Line: 1, Field: "to", Err: ErrUnsupported}}, `commodity "$" is not a currency code`},
		{"euro sign first", "P 2025-01-02 € 1.08 USD\n", []*Error{{Line: 1, Field: "from", Err: ErrUnsupported}}, "not a currency code"},
		{"a stock", "P 2025-01-02 AAPL 243.85 USD\n", []*Error{{Line: 1, Field: "from", Err: money.ErrUnknownCurrency}}, "AAPL"},
		{"lower case", "P 2025-01-02 usd 0.92 EUR\n", []*Error{{Line: 1, Field: "from", Err: ErrUnsupported}}, "not a currency code"},
		{"time of day", "P 2025-01-02 10:00:00 USD 0.92 EUR\n", []*Error{{Line: 1, Field: "date", Err: ErrUnsupported}}, "time of day"},
		{"decimal comma", "P 2025-01-02 USD 0,92 EUR\n", []*Error{{Line: 1, Field: "rate", Err: ErrSyntax}}, "comma"},
		{"digit groups", "P 2025-01-02 EUR 1,474.86 KRW\n", []*Error{{Line: 1, Field: "rate", Err: ErrSyntax}}, "comma"},
		{"space digit groups", "P 2025-01-02 EUR 1 474.86 KRW\n", []*Error{{Line: 1, Field: "rate", Err: ErrSyntax}}, "want one amount"},
		{"exponent", "P 2025-01-02 USD 9.2e-1 EUR\n", []*Error{{Line: 1, Field: "rate", Err: ErrSyntax}}, "exponent"},
		{"negative", "P 2025-01-02 USD -0.92 EUR\n", []*Error{{Line: 1, Field: "rate", Err: ErrInvalidRate}}, "not positive"},
		{"too many digits", "P 2025-01-02 USD 0.9200000000001 EUR\n", []*Error{{Line: 1, Field: "rate", Err: ErrInvalidRate}}, "13 significant digits"},
		{"no commodity", "P 2025-01-02 USD 0.92\n", []*Error{{Line: 1, Field: "to", Err: ErrSyntax}}, "no commodity"},
		{"no amount", "P 2025-01-02 USD\n", []*Error{{Line: 1, Err: ErrSyntax}}, "want P DATE COMMODITY AMOUNT"},
		{"bad date", "P 02.01.2025 USD 0.92 EUR\n", []*Error{{Line: 1, Field: "date", Err: ErrSyntax}}, "not a date"},
		{"mixed separators", "P 2025-01/02 USD 0.92 EUR\n", []*Error{{Line: 1, Field: "date", Err: ErrSyntax}}, "not a date"},
		{"no such day", "P 2025/02/30 USD 0.92 EUR\n", []*Error{{Line: 1, Field: "date", Err: ErrSyntax}}, "not a date"},
		{"same currency", "P 2025-01-02 EUR 1 EUR\n", []*Error{{Line: 1, Field: "to", Err: ErrInvalidRate}}, "both sides"},
		{"include", "include prices.journal\n", []*Error{{Line: 1, Err: ErrUnsupported}}, "include"},
		{"conflict", "P 2025-01-02 USD 0.92 EUR\n\nP 2025-01-02 USD 0.93 EUR\n", []*Error{{Line: 3, Field: "rate", Err: ErrConflict}}, "USD→EUR on 2025-01-02 is 0.93 here and 0.92 on line 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadPriceDirectives(strings.NewReader(tt.in), nil)
			if got != nil {
				t.Errorf("rates %v returned with an error", got)
			}
			wantErrors(t, err, tt.want...)
			if err != nil && !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("message %q does not say %q", err, tt.msg)
			}
		})
	}
}

func TestWritePriceDirectives(t *testing.T) {
	rates := []Rate{
		rt("2025-03-07", "EUR", "USD", "1.0830", "ECB"),
		rt("2025-03-07", "USD", "JPY", "148", ""),
		rt("2025-03-06", "JPY", "CHF", "0.0061", "Bank Zürich; desk 2"),
	}
	var b bytes.Buffer
	if err := WritePriceDirectives(&b, rates); err != nil {
		t.Fatal(err)
	}
	want := "P 2025-03-07 EUR 1.0830 USD  ; source: ECB\n" +
		"P 2025-03-07 USD 148 JPY\n" +
		"P 2025-03-06 JPY 0.0061 CHF  ; source: Bank Zürich; desk 2\n"
	if got := b.String(); got != want {
		t.Errorf("WritePriceDirectives:\n%s\nwant:\n%s", got, want)
	}
	back, err := ReadPriceDirectives(&b, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(back, rates, rateOpts); diff != "" {
		t.Errorf("read back (-got +want):\n%s", diff)
	}

	for _, src := range []string{"a, b", " ECB"} {
		b.Reset()
		if err := WritePriceDirectives(&b, []Rate{rt("2025-03-07", "EUR", "USD", "1.08", src)}); !errors.Is(err, ErrUnsupported) || b.Len() != 0 {
			t.Errorf("source %q: %v, wrote %q", src, err, b.String())
		}
	}
}
