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
