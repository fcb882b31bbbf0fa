package fx

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/money"
)

func TestReadCSV(t *testing.T) {
	in := "\uFEFFdate,from,to,rate,source\n" +
		"2025-03-07,EUR,USD,1.0830,ECB\n" +
		"\n" +
		"2025-03-07,USD,JPY,148.05,\n" +
		"2025-03-07,EUR,USD,1.083,again\n" + // equal: kept, a Table adds it once
		`2025-03-06,JPY,CHF,0.0061,"Bank, Zürich"` + "\r\n"
	got, err := ReadCSV(strings.NewReader(in), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Rate{
		rt("2025-03-07", "EUR", "USD", "1.0830", "ECB"),
		rt("2025-03-07", "USD", "JPY", "148.05", ""),
		rt("2025-03-07", "EUR", "USD", "1.083", "again"),
		rt("2025-03-06", "JPY", "CHF", "0.0061", "Bank, Zürich"),
	}
	if diff := cmp.Diff(got, want, rateOpts); diff != "" {
		t.Errorf("ReadCSV (-got +want):\n%s", diff)
	}

	// Without the source column.
	got, err = ReadCSV(strings.NewReader("date,from,to,rate\n2025-03-07,EUR,GBP,0.84010\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, []Rate{rt("2025-03-07", "EUR", "GBP", "0.84010", "")}, rateOpts); diff != "" {
		t.Errorf("four columns (-got +want):\n%s", diff)
	}
}

func TestReadCSVRefuses(t *testing.T) {
	const head = "date,from,to,rate\n"
	tests := []struct {
		name string
		in   string
		want []*Error
		msg  string // in the message
	}{
		{"empty", "", []*Error{{Line: 1, Err: ErrSyntax}}, "no header"},
		{"semicolons", "date;from;to;rate\n", []*Error{{Line: 1, Err: ErrSyntax}}, "header must be"},
		{"capitalised header", "Date,From,To,Rate\n", []*Error{{Line: 1, Err: ErrSyntax}}, "header must be"},
		{"columns in another order", "from,to,date,rate\n", []*Error{{Line: 1, Err: ErrSyntax}}, "header must be"},
		{"extra column", "date,from,to,rate,source,note\n", []*Error{{Line: 1, Err: ErrSyntax}}, "header must be"},
		{"decimal comma", head + `2025-03-07,EUR,USD,"1,0830"` + "\n", []*Error{{Line: 2, Field: "rate", Err: ErrSyntax}}, "comma"},
		{"thousands separator", head + `2025-03-07,EUR,KRW,"1,474.86"` + "\n", []*Error{{Line: 2, Field: "rate", Err: ErrSyntax}}, "comma"},
		{"exponent", head + "2025-03-07,EUR,USD,1.083e0\n", []*Error{{Line: 2, Field: "rate", Err: ErrSyntax}}, "exponent form"},
		{"float printed in full", head + "2025-03-07,EUR,USD,1.0823000000000000398\n", []*Error{{Line: 2, Field: "rate", Err: ErrInvalidRate}}, "20 significant digits"},
		{"13 significant digits", head + "2025-03-07,EUR,USD,1.082300000000\n", []*Error{{Line: 2, Field: "rate", Err: ErrInvalidRate}}, "13 significant digits"},
		{"zero", head + "2025-03-07,EUR,USD,0.0000\n", []*Error{{Line: 2, Field: "rate", Err: ErrInvalidRate}}, "not positive"},
		{"negative", head + "2025-03-07,EUR,USD,-1.0830\n", []*Error{{Line: 2, Field: "rate", Err: ErrInvalidRate}}, "not positive"},
		{"plus sign", head + "2025-03-07,EUR,USD,+1.0830\n", []*Error{{Line: 2, Field: "rate", Err: ErrSyntax}}, "not a decimal number"},
		{"bare point", head + "2025-03-07,EUR,USD,.5\n", []*Error{{Line: 2, Field: "rate", Err: ErrSyntax}}, "not a decimal number"},
		{"space", head + "2025-03-07,EUR,USD, 1.0830\n", []*Error{{Line: 2, Field: "rate", Err: ErrSyntax}}, "not a decimal number"},
		{"missing rate", head + "2025-03-07,EUR,USD,\n", []*Error{{Line: 2, Field: "rate", Err: ErrSyntax}}, "rate is missing"},
		{"unknown currency", head + "2025-03-07,EUR,XYZ,1.5\n", []*Error{{Line: 2, Field: "to", Err: money.ErrUnknownCurrency}}, "XYZ"},
		{"unknown currency is an invalid rate", head + "2025-03-07,EUR,XYZ,1.5\n", []*Error{{Line: 2, Field: "to", Err: ErrInvalidRate}}, "unknown currency"},
		{"lower-case code", head + "2025-03-07,eur,USD,1.5\n", []*Error{{Line: 2, Field: "from", Err: money.ErrUnknownCurrency}}, "unknown currency"},
		{"missing currency", head + "2025-03-07,,USD,1.5\n", []*Error{{Line: 2, Field: "from", Err: ErrSyntax}}, "currency is missing"},
		{"same currency", head + "2025-03-07,EUR,EUR,1\n", []*Error{{Line: 2, Field: "to", Err: ErrInvalidRate}}, "EUR on both sides"},
		{"German date", head + "07.03.2025,EUR,USD,1.0830\n", []*Error{{Line: 2, Field: "date", Err: ErrSyntax}}, "want YYYY-MM-DD"},
		{"no such day", head + "2025-02-29,EUR,USD,1.0830\n", []*Error{{Line: 2, Field: "date", Err: ErrSyntax}}, "not a date"},
		{"short date", head + "2025-3-7,EUR,USD,1.0830\n", []*Error{{Line: 2, Field: "date", Err: ErrSyntax}}, "not a date"},
		{"too few fields", head + "2025-03-07,EUR,USD\n", []*Error{{Line: 2, Err: ErrSyntax}}, "3 fields, the header has 4"},
		{"bad quoting", head + "2025-03-07,EUR,USD,\"1.08\n", []*Error{{Line: 2, Err: ErrSyntax}}, "quote"},
		{"control character in source", "date,from,to,rate,source\n2025-03-07,EUR,USD,1.08,\"a\nb\"\n", []*Error{{Line: 2, Field: "source", Err: ErrInvalidRate}}, "control character"},
		{"conflict", head + "2025-03-07,EUR,USD,1.0830\n2025-03-06,EUR,USD,1.0807\n2025-03-07,EUR,USD,1.0831\n",
			[]*Error{{Line: 4, Field: "rate", Err: ErrConflict}}, "EUR→USD on 2025-03-07 is 1.0831 here and 1.0830 on line 2"},
		{"every problem, in line order", head + "2025-03-07,EUR,USD,1,08\n2025-13-01,EUR,USD,1.08\n2025-03-07,EUR,USD,0\n",
			[]*Error{{Line: 2, Err: ErrSyntax}, {Line: 3, Field: "date", Err: ErrSyntax}, {Line: 4, Field: "rate", Err: ErrInvalidRate}}, "3 errors"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadCSV(strings.NewReader(tt.in), nil)
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

func TestReadCSVOptions(t *testing.T) {
	reg := money.NewRegistry()
	pts, err := reg.Register("PTS", 0)
	if err != nil {
		t.Fatal(err)
	}
	in := "date,from,to,rate\n2025-03-07,PTS,EUR,0.01\n2025-03-07,EUR,CYP,0.585274\n2025-03-07,EUR,USD,1.0830\n"
	if _, err := ReadCSV(strings.NewReader(in), &ReadOptions{Currencies: reg}); !errors.Is(err, money.ErrUnknownCurrency) {
		t.Errorf("CYP unregistered: %v, want ErrUnknownCurrency", err)
	}
	got, err := ReadCSV(strings.NewReader(in), &ReadOptions{Currencies: reg, Only: []money.Currency{pts, money.EUR}})
	if err != nil {
		t.Fatal(err)
	}
	want := []Rate{{Date: rt("2025-03-07", "EUR", "USD", "1", "").Date, From: pts, To: money.EUR, Rate: rt("2025-03-07", "EUR", "USD", "0.01", "").Rate}}
	if diff := cmp.Diff(got, want, rateOpts); diff != "" {
		t.Errorf("Only PTS, EUR (-got +want):\n%s", diff)
	}
}

func TestWriteCSV(t *testing.T) {
	rates := []Rate{
		rt("2025-03-07", "EUR", "USD", "1.0830", "ECB"),
		rt("2025-03-07", "USD", "JPY", "148", ""),
		rt("2025-03-06", "JPY", "CHF", "0.0061", `Bank "Zürich", desk 2`),
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, rates); err != nil {
		t.Fatal(err)
	}
	want := "date,from,to,rate,source\n" +
		"2025-03-07,EUR,USD,1.0830,ECB\n" +
		"2025-03-07,USD,JPY,148,\n" +
		`2025-03-06,JPY,CHF,0.0061,"Bank ""Zürich"", desk 2"` + "\n"
	if got := b.String(); got != want {
		t.Errorf("WriteCSV:\n%s\nwant:\n%s", got, want)
	}
	back, err := ReadCSV(&b, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(back, rates, rateOpts); diff != "" {
		t.Errorf("read back (-got +want):\n%s", diff)
	}

	b.Reset()
	bad := append(rates[:1:1], rt("2025-03-07", "EUR", "USD", "1", ""))
	bad[1].Rate = bad[1].Rate.Neg()
	if err := WriteCSV(&b, bad); !errors.Is(err, ErrInvalidRate) || b.Len() != 0 {
		t.Errorf("an invalid rate: %v, wrote %q", err, b.String())
	}
}
