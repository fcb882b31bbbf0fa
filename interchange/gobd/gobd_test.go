package gobd

import (
	"context"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/memory"
	"github.com/openbackoffice/backoffice/vat"
)

// splitCSV splits a record of the export: ';' separated, text in quotes
// with doubled quotes.
func splitCSV(t *testing.T, s string) []string {
	t.Helper()
	var out []string
	for i := 0; i <= len(s); {
		if i < len(s) && s[i] == '"' {
			var sb strings.Builder
			j := i + 1
			for ; ; j++ {
				if j >= len(s) {
					t.Fatalf("unterminated quote in %q", s)
				}
				if s[j] == '"' {
					if j+1 < len(s) && s[j+1] == '"' {
						sb.WriteByte('"')
						j++
						continue
					}
					break
				}
				sb.WriteByte(s[j])
			}
			out = append(out, sb.String())
			i = j + 2
			continue
		}
		k := strings.IndexByte(s[i:], ';')
		if k < 0 {
			out = append(out, s[i:])
			break
		}
		out = append(out, s[i:i+k])
		i += k + 1
	}
	return out
}

func TestWriteReadBack(t *testing.T) {
	ctx := context.Background()
	l := ledger.New(memory.New(), nil)
	b := ledger.Book{ID: "t", Name: "Test GmbH", Currency: money.EUR}
	if err := l.CreateBook(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := l.CreateAccounts(ctx, ledger.SKR03("t")...); err != nil {
		t.Fatal(err)
	}
	eur := func(s string) money.Amount { return money.MustParse(s, money.EUR) }
	_, err := l.PostBatch(ctx, []ledger.Entry{
		{Book: "t", Key: "1", Date: date.MustParse("2025-03-05"), Voucher: "RE 1", Description: `Rechnung "Müller"; März`, Lines: []ledger.Line{
			{Account: "1400", Amount: eur("119.00"), Dimensions: map[string]string{"party": "10001"}},
			ledger.Credit("8400", eur("100.00")), ledger.Credit("1776", eur("19.00"))}},
		{Book: "t", Key: "2", Date: date.MustParse("2025-03-12"), Description: "Zahlung", Lines: []ledger.Line{
			ledger.Debit("1200", eur("119.00")), ledger.Credit("1400", eur("119.00"))}},
	})
	if err != nil {
		t.Fatal(err)
	}
	// January closed and locked; February closed, reopened with a reason
	// and closed again; a period of 2024 (outside the export) closed.
	for _, step := range []func() error{
		func() error { return l.ClosePeriod(ctx, "t", 2025, 1) },
		func() error { return l.LockPeriod(ctx, "t", 2025, 1) },
		func() error { return l.ClosePeriod(ctx, "t", 2025, 2) },
		func() error { return l.ReopenPeriod(ctx, "t", 2025, 2, "Rechnung nachgebucht") },
		func() error { return l.ClosePeriod(ctx, "t", 2025, 2) },
		func() error { return l.ClosePeriod(ctx, "t", 2024, 12) },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	chart, _ := l.Accounts(ctx, "t")
	dir := t.TempDir()
	if err := Write(ctx, dir, l, b, chart, date.MustParse("2025-01-01"), date.MustParse("2025-12-31"), &Options{VAT: vat.SKR03()}); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "index.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var ds xDataSet
	if err := xml.Unmarshal(raw, &ds); err != nil {
		t.Fatal(err)
	}
	if len(ds.Media.Tables) != len(Tables) {
		t.Fatalf("%d tables described, want %d", len(ds.Media.Tables), len(Tables))
	}
	last, _ := l.Entry(ctx, "t", 2)
	if !strings.Contains(ds.DataSupplier.Comment, strings.ToLower(strings.TrimSpace(hexOf(last.Hash[:])))) {
		t.Errorf("the index does not carry the chain head: %q", ds.DataSupplier.Comment)
	}
	sums := map[string]int64{}
	read := map[string][][]string{} // the records of every table, fields unquoted
	for _, xt := range ds.Media.Tables {
		if xt.UTF8 == nil || xt.DecimalSymbol != "," || xt.VariableLength.ColumnDelimiter != ";" || xt.VariableLength.RecordDelimiter != "\r\n" {
			t.Errorf("%s: format %+v", xt.URL, xt)
		}
		cols := append(append([]xColumn{}, xt.VariableLength.PrimaryKeys...), xt.VariableLength.Columns...)
		data, err := os.ReadFile(filepath.Join(dir, xt.URL))
		if err != nil {
			t.Fatalf("%s: %v", xt.URL, err)
		}
		recs := strings.Split(strings.TrimSuffix(string(data), "\r\n"), "\r\n")
		for n, rec := range recs {
			f := splitCSV(t, rec)
			if len(f) != len(cols) {
				t.Fatalf("%s:%d: %d fields, the index describes %d", xt.URL, n+1, len(f), len(cols))
			}
			for i, c := range cols {
				v := f[i]
				switch {
				case c.Numeric != nil && v != "":
					acc := 0
					if c.Numeric.Accuracy != nil {
						acc = *c.Numeric.Accuracy
					}
					whole, frac, _ := strings.Cut(v, xt.DecimalSymbol)
					if _, err := strconv.ParseUint(whole, 10, 64); err != nil || len(frac) != acc {
						t.Errorf("%s:%d: %s %q is no number with %d decimals", xt.URL, n+1, c.Name, v, acc)
					}
				case c.Date != nil:
					if _, err := time.Parse("02.01.2006", v); err != nil || c.Date.Format != "DD.MM.YYYY" {
						t.Errorf("%s:%d: %s %q is no date %s", xt.URL, n+1, c.Name, v, c.Date.Format)
					}
				}
			}
			read[xt.URL] = append(read[xt.URL], f)
			if xt.URL == "journal.csv" {
				deb, _ := money.Parse(strings.Replace(f[9], ",", ".", 1), money.EUR)
				cred, _ := money.Parse(strings.Replace(f[10], ",", ".", 1), money.EUR)
				sums[f[8]] += deb.MinorUnits() - cred.MinorUnits()
			}
		}
	}
	// The periods and their events read back as the ledger has them.
	var got []string
	for _, f := range read["periods.csv"] {
		got = append(got, strings.Join(f, " "))
	}
	want := []string{"2025 1 01.01.2025 31.01.2025 festgeschrieben", "2025 2 01.02.2025 28.02.2025 abgeschlossen",
		"2025 3 01.03.2025 31.03.2025 offen"}
	if len(got) != 12 || !slices.Equal(got[:3], want) || got[11] != "2025 12 01.12.2025 31.12.2025 offen" {
		t.Errorf("periods.csv:\n%s", strings.Join(got, "\n"))
	}
	history, err := l.PeriodHistory(ctx, "t")
	if err != nil {
		t.Fatal(err)
	}
	got, want = nil, nil
	for _, f := range read["period_events.csv"] {
		got = append(got, strings.Join(f, " "))
	}
	for _, e := range history[:5] { // the 2024 event is the last
		want = append(want, fmt.Sprintf("%d %d %d %s %s %s", len(want)+1, e.FiscalYear, e.Number, stateName(e.State),
			e.At.UTC().Format("2006-01-02T15:04:05.000000Z"), e.Reason))
	}
	if !slices.Equal(got, want) || !strings.HasSuffix(got[3], "offen "+history[3].At.UTC().Format("2006-01-02T15:04:05.000000Z")+" Rechnung nachgebucht") {
		t.Errorf("period_events.csv:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The VAT codes, one record each, 19 % output tax as the DATEV and
	// UStVA figures have it.
	if n := len(read["vat_codes.csv"]); n != len(vat.SKR03().Codes) {
		t.Errorf("vat_codes.csv: %d codes, want %d", n, len(vat.SKR03().Codes))
	}
	if f := read["vat_codes.csv"][0]; strings.Join(f, "|") != "USt19|Umsatzsteuer 19 %|19,00|Umsatzsteuer|1776|8400|3|81|" {
		t.Errorf("vat_codes.csv: first record %q", f)
	}
	// The journal reconciles with the trial balance.
	rows, err := l.Balances(ctx, "t", ledger.BalanceQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if sums[r.Account.Code] != r.Closing.MinorUnits() {
			t.Errorf("account %s: journal %d, trial balance %d", r.Account.Code, sums[r.Account.Code], r.Closing.MinorUnits())
		}
		delete(sums, r.Account.Code)
	}
	for a, s := range sums {
		if s != 0 {
			t.Errorf("account %s in the journal only: %d", a, s)
		}
	}
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

// TestConvertedLines writes a book with lines in foreign currencies and
// reads journal.csv back by the index's column names: every line carries
// its value in EUR (the base amount as booked for a converted line, 0,00
// where it rounds to nothing, its amount for an EUR line, none for a line
// without a base amount), amounts in currencies with fewer minor units
// padded to the columns' two decimals; the base columns add up per
// account to the trial balance in EUR, the amounts per account and
// currency to the trial balance per currency.
func TestConvertedLines(t *testing.T) {
	ctx := context.Background()
	l := ledger.New(memory.New(), nil)
	b := ledger.Book{ID: "fx", Name: "FX GmbH", Currency: money.EUR}
	if err := l.CreateBook(ctx, b); err != nil {
		t.Fatal(err)
	}
	chart := append(ledger.SKR03("fx"), ledger.Account{Book: "fx", Code: "1210", Name: "Bank USD", Type: ledger.Asset, Currency: money.USD})
	if err := l.CreateAccounts(ctx, chart...); err != nil {
		t.Fatal(err)
	}
	amt := func(s, cur string) money.Amount { return money.MustParse(s, money.MustParseCurrency(cur)) }
	conv := func(account, a, cur, base string) ledger.Line {
		return ledger.Line{Account: account, Amount: amt(a, cur), Base: amt(base, "EUR")}
	}
	d := func(s string) date.Date { return date.MustParse(s) }
	_, err := l.PostBatch(ctx, []ledger.Entry{
		{Book: "fx", Key: "1", Date: d("2025-01-15"), Description: "USD gekauft", Lines: []ledger.Line{
			conv("1210", "11000.00", "USD", "9900.00"), ledger.Credit("1200", amt("9900.00", "EUR"))}},
		{Book: "fx", Key: "2", Date: d("2025-02-01"), Description: "Leistung Japan", Lines: []ledger.Line{
			conv("1500", "150000", "JPY", "900.00"), ledger.Credit("8338", amt("900.00", "EUR"))}},
		{Book: "fx", Key: "3", Date: d("2025-03-01"), Journal: ledger.JournalRevaluation, Description: "Bewertung", Lines: []ledger.Line{
			ledger.Debit("1210", amt("100.00", "EUR")), ledger.Credit("2660", amt("100.00", "EUR"))}},
		{Book: "fx", Key: "4", Date: d("2025-03-02"), Description: "Rundung", Lines: []ledger.Line{
			conv("1210", "0.01", "USD", "0.00"), conv("2660", "-0.01", "USD", "0.00")}},
		{Book: "fx", Key: "5", Date: d("2025-04-01"), Description: "nicht umgerechnet", Lines: []ledger.Line{
			ledger.Debit("1590", amt("5.00", "USD")), ledger.Credit("1360", amt("5.00", "USD"))}},
	})
	if err != nil {
		t.Fatal(err)
	}
	accts, _ := l.Accounts(ctx, "fx")
	dir := t.TempDir()
	if err := Write(ctx, dir, l, b, accts, d("2025-01-01"), d("2025-12-31"), nil); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "index.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var ds xDataSet
	if err := xml.Unmarshal(raw, &ds); err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(ds.Media.Tables, func(x xTable) bool { return x.URL == "journal.csv" })
	if i < 0 {
		t.Fatal("index.xml does not describe journal.csv")
	}
	cols := append(append([]xColumn{}, ds.Media.Tables[i].VariableLength.PrimaryKeys...), ds.Media.Tables[i].VariableLength.Columns...)
	col := map[string]int{}
	for j, c := range cols {
		col[c.Name] = j
	}
	for _, name := range []string{"Soll_Basis", "Haben_Basis"} {
		c := cols[col[name]]
		if _, ok := col[name]; !ok || c.Numeric == nil || c.Numeric.Accuracy == nil || *c.Numeric.Accuracy != 2 || !strings.Contains(c.Description, "Buchwährung") {
			t.Errorf("index.xml describes %s as %+v, want a Numeric column of accuracy 2 with a description", name, c)
		}
	}
	if c, ok := col["Basiswaehrung"]; !ok || cols[c].AlphaNumeric == nil || cols[c].Description == "" {
		t.Errorf("index.xml: Basiswaehrung missing or not AlphaNumeric with a description")
	}
	data, err := os.ReadFile(filepath.Join(dir, "journal.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	type key struct{ account, cur string }
	sums, baseSums := map[key]int64{}, map[string]int64{}
	cents := func(s string) int64 {
		t.Helper()
		whole, frac, ok := strings.Cut(s, ",")
		n, err := strconv.ParseInt(whole+frac, 10, 64)
		if !ok || len(frac) != 2 || err != nil {
			t.Fatalf("amount %q is no number with two decimals", s)
		}
		return n
	}
	for _, rec := range strings.Split(strings.TrimSuffix(string(data), "\r\n"), "\r\n") {
		f := splitCSV(t, rec)
		if len(f) != len(cols) {
			t.Fatalf("%d fields, the index describes %d: %q", len(f), len(cols), rec)
		}
		v := func(name string) string { return f[col[name]] }
		got = append(got, []string{v("Laufende_Nummer"), v("Zeile"), v("Konto"), v("Soll"), v("Haben"), v("Waehrung"),
			v("Soll_Basis"), v("Haben_Basis"), v("Basiswaehrung")})
		sums[key{v("Konto"), v("Waehrung")}] += cents(v("Soll")) - cents(v("Haben"))
		if v("Basiswaehrung") != "" {
			baseSums[v("Konto")] += cents(v("Soll_Basis")) - cents(v("Haben_Basis"))
		}
	}
	want := [][]string{
		{"1", "1", "1210", "11000,00", "0,00", "USD", "9900,00", "0,00", "EUR"},
		{"1", "2", "1200", "0,00", "9900,00", "EUR", "0,00", "9900,00", "EUR"},
		{"2", "1", "1500", "150000,00", "0,00", "JPY", "900,00", "0,00", "EUR"},
		{"2", "2", "8338", "0,00", "900,00", "EUR", "0,00", "900,00", "EUR"},
		{"3", "1", "1210", "100,00", "0,00", "EUR", "100,00", "0,00", "EUR"},
		{"3", "2", "2660", "0,00", "100,00", "EUR", "0,00", "100,00", "EUR"},
		{"4", "1", "1210", "0,01", "0,00", "USD", "0,00", "0,00", "EUR"},
		{"4", "2", "2660", "0,00", "0,01", "USD", "0,00", "0,00", "EUR"},
		{"5", "1", "1590", "5,00", "0,00", "USD", "", "", ""},
		{"5", "2", "1360", "0,00", "5,00", "USD", "", "", ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("journal.csv (-want +got):\n%s", diff)
	}
	// Per account and currency, the journal is the trial balance (JPY
	// has no minor units: 150000,00 is 150000 yen).
	rows, err := l.Balances(ctx, "fx", ledger.BalanceQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		k := key{r.Account.Code, r.Currency.Code()}
		want := r.Closing.MinorUnits()
		if r.Currency.MinorUnits() == 0 {
			want *= 100
		}
		if sums[k] != want {
			t.Errorf("%v: journal %d, trial balance %d", k, sums[k], want)
		}
	}
	// In EUR, up to the unconverted entry 5 (which the base-currency
	// trial balance refuses to read).
	base, err := l.Balances(ctx, "fx", ledger.BalanceQuery{To: d("2025-03-31"), InBase: true})
	if err != nil {
		t.Fatal(err)
	}
	gotBase := map[string]int64{}
	for _, r := range base {
		gotBase[r.Account.Code] = r.Closing.MinorUnits()
	}
	wantBase := map[string]int64{"1200": -990000, "1210": 1000000, "1500": 90000, "2660": -10000, "8338": -90000}
	if diff := cmp.Diff(wantBase, gotBase); diff != "" {
		t.Errorf("base-currency trial balance (-hand-worked +ledger):\n%s", diff)
	}
	if diff := cmp.Diff(wantBase, baseSums); diff != "" {
		t.Errorf("journal.csv's base columns per account (-hand-worked +journal):\n%s", diff)
	}
}

// TestAmountDecimals: an amount with more decimals than the journal's
// columns hold is an error naming the entry and line, not rounded.
func TestAmountDecimals(t *testing.T) {
	ctx := context.Background()
	l := ledger.New(memory.New(), nil)
	b := ledger.Book{ID: "kw", Name: "KW GmbH", Currency: money.EUR}
	if err := l.CreateBook(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := l.CreateAccounts(ctx, ledger.SKR03("kw")...); err != nil {
		t.Fatal(err)
	}
	kwd := func(s string) money.Amount { return money.MustParse(s, money.MustParseCurrency("KWD")) }
	if _, err := l.Post(ctx, ledger.Entry{Book: "kw", Date: date.MustParse("2025-05-05"), Lines: []ledger.Line{
		ledger.Debit("1590", kwd("1.230")), ledger.Debit("1590", kwd("0.004")), ledger.Credit("1360", kwd("1.234"))}}); err != nil {
		t.Fatal(err)
	}
	accts, _ := l.Accounts(ctx, "kw")
	err := Write(ctx, t.TempDir(), l, b, accts, date.MustParse("2025-01-01"), date.MustParse("2025-12-31"), nil)
	if err == nil || !strings.Contains(err.Error(), "entry 1 line 2") || !strings.Contains(err.Error(), "0.004 KWD") {
		t.Errorf("got %v, want an error naming entry 1 line 2 and 0.004 KWD", err)
	}
}
