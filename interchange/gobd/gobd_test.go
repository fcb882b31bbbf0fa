package gobd

import (
	"context"
	"encoding/xml"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/memory"
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
	chart, _ := l.Accounts(ctx, "t")
	dir := t.TempDir()
	if err := Write(ctx, dir, l, b, chart, date.MustParse("2025-01-01"), date.MustParse("2025-12-31")); err != nil {
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
			if xt.URL == "journal.csv" {
				deb, _ := money.Parse(strings.Replace(f[9], ",", ".", 1), money.EUR)
				cred, _ := money.Parse(strings.Replace(f[10], ",", ".", 1), money.EUR)
				sums[f[8]] += deb.MinorUnits() - cred.MinorUnits()
			}
		}
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
