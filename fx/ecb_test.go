package fx

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/money"
)

// The files in testdata are written by hand in the published eurofxref
// format (the daily file quotes attributes with ', the historical one
// with "); the rates are plausible, not the ECB's.

func TestReadECBDaily(t *testing.T) {
	f, err := os.Open("testdata/eurofxref-daily.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := ReadECB(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Rate{
		rt("2025-03-07", "EUR", "USD", "1.0830", "ECB"),
		rt("2025-03-07", "EUR", "JPY", "160.36", "ECB"),
		rt("2025-03-07", "EUR", "GBP", "0.84010", "ECB"),
		rt("2025-03-07", "EUR", "CHF", "0.9537", "ECB"),
	}
	if diff := cmp.Diff(got, want, rateOpts); diff != "" {
		t.Errorf("ReadECB (-got +want):\n%s", diff)
	}
}

func TestReadECBHistory(t *testing.T) {
	f, err := os.Open("testdata/eurofxref-hist.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rates, err := ReadECB(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rates) != 20 {
		t.Fatalf("%d rates, want 5 days × 4 currencies", len(rates))
	}
	table, err := NewTable(rates...)
	if err != nil {
		t.Fatal(err)
	}
	// Saturday 8 March takes Friday's rates; USD→EUR divides by EUR→USD.
	sat := rt("2025-03-08", "EUR", "USD", "1", "").Date
	tests := []struct {
		a    money.Amount
		to   money.Currency
		want money.Amount
	}{
		{money.MustParse("1000.00", money.EUR), money.USD, money.MustParse("1083.00", money.USD)},
		{money.MustParse("1000.00", money.USD), money.EUR, money.MustParse("923.36", money.EUR)}, // 923.361…
		{money.MustParse("1000.00", money.EUR), money.JPY, money.MustParse("160360", money.JPY)}, // whole yen
		{money.MustParse("10000", money.JPY), money.EUR, money.MustParse("62.36", money.EUR)},    // 62.3597…
		{money.MustParse("500.00", money.GBP), money.EUR, money.MustParse("595.17", money.EUR)},  // 595.1672…
	}
	for _, tt := range tests {
		got, err := table.Convert(tt.a, tt.to, sat)
		if err != nil || got != tt.want {
			t.Errorf("Convert(%v → %v) = %v, %v; want %v", tt.a, tt.to, got, err, tt.want)
		}
	}
	r, err := table.Lookup(money.EUR, money.CHF, rt("2025-03-04", "EUR", "USD", "1", "").Date)
	if err != nil || r.Rate.String() != "0.9379" {
		t.Errorf("EUR→CHF on 4 March = %v, %v; want 0.9379", r, err)
	}
	// No CHF→USD rate, even though both have EUR rates: no cross rates.
	if _, err := table.Lookup(money.CHF, money.USD, sat); !errors.Is(err, ErrNoRate) {
		t.Errorf("CHF→USD: %v, want ErrNoRate", err)
	}
}

const ecbHead = `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
	<Cube>
`

// ecb wraps day Cubes in the envelope; they start on line 4.
func ecb(days string) string { return ecbHead + days + "\t</Cube>\n</gesmes:Envelope>\n" }

func TestReadECBRefuses(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []*Error
		msg  string
	}{
		{"empty", "", []*Error{{Line: 1, Err: ErrSyntax}}, "no gesmes:Envelope"},
		{"other XML", "<?xml version=\"1.0\"?>\n<rates/>\n", []*Error{{Line: 2, Err: ErrSyntax}}, "not an ECB eurofxref file"},
		{"malformed XML", ecb("<Cube time='2025-03-07'>\n"), []*Error{{Line: 6, Err: ErrSyntax}}, "malformed XML"},
		{"unknown currency", ecb("<Cube time='2025-03-07'>\n<Cube currency='CYP' rate='0.585274'/>\n</Cube>\n"),
			[]*Error{{Line: 5, Field: "currency", Err: money.ErrUnknownCurrency}}, "CYP"},
		{"missing rate", ecb("<Cube time='2025-03-07'>\n<Cube currency='USD'/>\n</Cube>\n"),
			[]*Error{{Line: 5, Field: "rate", Err: ErrSyntax}}, "rate is missing"},
		{"missing time", ecb("<Cube>\n<Cube currency='USD' rate='1.08'/>\n</Cube>\n"),
			[]*Error{{Line: 4, Field: "time", Err: ErrSyntax}}, "time is missing"},
		{"rate outside a day", ecb("<Cube currency='USD' rate='1.08'/>\n"),
			[]*Error{{Line: 4, Field: "currency", Err: ErrSyntax}, {Line: 4, Field: "rate", Err: ErrSyntax}, {Line: 4, Field: "time", Err: ErrSyntax}}, "not in the eurofxref format"},
		{"bad time", ecb("<Cube time='07.03.2025'>\n<Cube currency='USD' rate='1.08'/>\n</Cube>\n"),
			[]*Error{{Line: 4, Field: "time", Err: ErrSyntax}}, "not a date"},
		{"decimal comma", ecb("<Cube time='2025-03-07'>\n<Cube currency='USD' rate='1,0830'/>\n</Cube>\n"),
			[]*Error{{Line: 5, Field: "rate", Err: ErrSyntax}}, "comma"},
		{"zero rate", ecb("<Cube time='2025-03-07'>\n<Cube currency='USD' rate='0'/>\n</Cube>\n"),
			[]*Error{{Line: 5, Field: "rate", Err: ErrInvalidRate}}, "not positive"},
		{"EUR against itself", ecb("<Cube time='2025-03-07'>\n<Cube currency='EUR' rate='1'/>\n</Cube>\n"),
			[]*Error{{Line: 5, Field: "to", Err: ErrInvalidRate}}, "EUR on both sides"},
		{"unknown attribute", ecb("<Cube time='2025-03-07'>\n<Cube currency='USD' rate='1.08' inverse='0.92'/>\n</Cube>\n"),
			[]*Error{{Line: 5, Field: "inverse", Err: ErrSyntax}}, "not in the eurofxref format"},
		{"element inside a rate", ecb("<Cube time='2025-03-07'>\n<Cube currency='USD' rate='1.08'><Cube/></Cube>\n</Cube>\n"),
			[]*Error{{Line: 5, Err: ErrSyntax}}, "unexpected element <Cube>"},
		{"text inside a day", ecb("<Cube time='2025-03-07'>\nUSD 1.08\n</Cube>\n"),
			[]*Error{{Line: 6, Err: ErrSyntax}}, "text inside <Cube>"},
		{"conflict", ecb("<Cube time='2025-03-07'>\n<Cube currency='USD' rate='1.0830'/>\n<Cube currency='USD' rate='1.0831'/>\n</Cube>\n"),
			[]*Error{{Line: 6, Field: "rate", Err: ErrConflict}}, "1.0831 here and 1.0830 on line 5"},
		{"second root", ecb("") + "<gesmes:Envelope/>\n", []*Error{{Line: 6, Err: ErrSyntax}}, "second root"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadECB(strings.NewReader(tt.in), nil)
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

// TestReadECBOnly reads a historical file with a withdrawn currency by
// selecting the wanted ones.
func TestReadECBOnly(t *testing.T) {
	in := ecb("<Cube time='2007-12-31'>\n<Cube currency='USD' rate='1.4721'/>\n<Cube currency='CYP' rate='0.585274'/>\n<Cube currency='MTL' rate='0.4293'/>\n</Cube>\n")
	got, err := ReadECB(strings.NewReader(in), &ReadOptions{Only: []money.Currency{money.EUR, money.USD}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, []Rate{rt("2007-12-31", "EUR", "USD", "1.4721", "ECB")}, rateOpts); diff != "" {
		t.Errorf("Only EUR, USD (-got +want):\n%s", diff)
	}
	reg := money.NewRegistry()
	cyp, _ := reg.Register("CYP", 2)
	mtl, _ := reg.Register("MTL", 2)
	got, err = ReadECB(strings.NewReader(in), &ReadOptions{Currencies: reg})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[1].To != cyp || got[2].To != mtl {
		t.Errorf("with CYP and MTL registered: %v", got)
	}
}
