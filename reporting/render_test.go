package reporting_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/reporting"
)

// handReports builds every report of the hand-worked book.
func handReports(t *testing.T) map[string]reporting.Report {
	t.Helper()
	ctx := context.Background()
	l := handBook(t)
	q1 := opts("2026-01-01", "2026-03-31")
	monthly := q1
	monthly.Compare = reporting.Monthly
	prior := q1
	prior.Compare = reporting.PriorYear
	out := map[string]reporting.Report{}
	for name, f := range map[string]func() (reporting.Report, error){
		"trial-balance": func() (reporting.Report, error) {
			return reporting.TrialBalance(ctx, l, "acme", opts("2026-02-01", "2026-03-31"))
		},
		"balance-sheet":     func() (reporting.Report, error) { return reporting.BalanceSheet(ctx, l, "acme", prior) },
		"income-statement":  func() (reporting.Report, error) { return reporting.IncomeStatement(ctx, l, "acme", monthly) },
		"cash-flow":         func() (reporting.Report, error) { return reporting.CashFlow(ctx, l, "acme", q1) },
		"general-ledger":    func() (reporting.Report, error) { return reporting.GeneralLedger(ctx, l, "acme", q1) },
		"account-statement": func() (reporting.Report, error) { return reporting.AccountStatement(ctx, l, "acme", "1120", q1) },
	} {
		r, err := f()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkReport(t, r)
		out[name] = r
	}
	return out
}

func TestRenderGolden(t *testing.T) {
	for name, r := range handReports(t) {
		t.Run(name, func(t *testing.T) {
			var txt, csvBuf, js bytes.Buffer
			if err := reporting.WriteText(&txt, r, nil); err != nil {
				t.Fatal(err)
			}
			if err := reporting.WriteCSV(&csvBuf, r, nil); err != nil {
				t.Fatal(err)
			}
			if err := reporting.WriteJSON(&js, r); err != nil {
				t.Fatal(err)
			}
			golden(t, "hand-"+name+".txt", txt.Bytes())
			golden(t, "hand-"+name+".csv", csvBuf.Bytes())
			golden(t, "hand-"+name+".json", js.Bytes())

			// The CSV reads back: a header and one record per row, with
			// exact amounts.
			recs, err := csv.NewReader(bytes.NewReader(csvBuf.Bytes())).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != len(r.Rows)+1 || len(recs[0]) != 4+len(r.Columns) {
				t.Fatalf("%d records of %d fields", len(recs), len(recs[0]))
			}
			// The JSON is valid and holds every row, cells parallel to columns.
			var doc struct {
				Currency string `json:"currency"`
				Columns  []struct{ Key string }
				Rows     []struct {
					Kind  string
					Cells []*string
					Terms []struct{ Row int }
				}
				Checks []struct{ OK bool }
			}
			if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Currency != "EUR" || len(doc.Rows) != len(r.Rows) || len(doc.Checks) != len(r.Checks) {
				t.Fatalf("JSON: currency %s, %d rows, %d checks", doc.Currency, len(doc.Rows), len(doc.Checks))
			}
			for i, row := range doc.Rows {
				if len(row.Cells) != len(doc.Columns) || len(row.Terms) != len(r.Rows[i].Terms) {
					t.Fatalf("JSON row %d: %d cells, %d terms", i, len(row.Cells), len(row.Terms))
				}
			}
		})
	}
}

// The streaming writers produce what the collecting ones do.
func TestStreamingRenderers(t *testing.T) {
	ctx := context.Background()
	l := handBook(t)
	o := opts("", "2026-03-31")
	full, err := reporting.GeneralLedger(ctx, l, "acme", o)
	if err != nil {
		t.Fatal(err)
	}
	head, rows, err := reporting.GeneralLedgerRows(ctx, l, "acme", o)
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	if err := reporting.WriteCSV(&a, full, &reporting.CSVOptions{Comma: ';'}); err != nil {
		t.Fatal(err)
	}
	if err := reporting.WriteCSVRows(&b, head, rows, &reporting.CSVOptions{Comma: ';'}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a.String(), b.String()); diff != "" {
		t.Errorf("CSV (-collected +streamed):\n%s", diff)
	}
	a.Reset()
	b.Reset()
	if err := reporting.WriteJSON(&a, full); err != nil {
		t.Fatal(err)
	}
	if err := reporting.WriteJSONRows(&b, head, rows); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a.String(), b.String()); diff != "" {
		t.Errorf("JSON (-collected +streamed):\n%s", diff)
	}
}

func TestCSVInjection(t *testing.T) {
	texts := []string{"=SUM(A1:A9)", "+49 30 1234", "-1+2", "@cmd", "\tx", "\rx", "plain", "a=b", ""}
	r := reporting.Report{
		Currency: money.EUR,
		Columns: []reporting.Column{
			{Key: "label", Kind: reporting.TextColumn},
			{Key: "amount", Kind: reporting.AmountColumn},
			{Key: "date", Kind: reporting.DateColumn},
		},
	}
	for _, s := range texts {
		r.Rows = append(r.Rows, reporting.Row{Account: s, Line: s, Cells: []reporting.Cell{{Text: s}, {Amount: eur("-5.00")}, {Date: d("2026-01-02")}}})
	}
	var buf bytes.Buffer
	if err := reporting.WriteCSV(&buf, r, nil); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"'=SUM(A1:A9)", "'+49 30 1234", "'-1+2", "'@cmd", "'\tx", "'\rx", "plain", "a=b", ""}
	for i, rec := range recs[1:] {
		for _, f := range []string{rec[2], rec[3], rec[4]} { // account, line, label
			if f != want[i] && !(want[i] == "'\rx" && f == "'\nx") { // encoding/csv reads \r inside quotes as \n
				t.Errorf("text %q written as %q, want %q", texts[i], f, want[i])
			}
		}
		if rec[5] != "-5.00" || rec[6] != "2026-01-02" {
			t.Errorf("amount %q, date %q: numbers must not be prefixed", rec[5], rec[6])
		}
	}
}

func TestTextGermanFormat(t *testing.T) {
	r := handReports(t)["balance-sheet"]
	var buf bytes.Buffer
	if err := reporting.WriteText(&buf, r, &reporting.TextOptions{Format: money.German}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "74.050,00") {
		t.Errorf("no 74.050,00 in\n%s", buf.String())
	}
	for _, line := range strings.Split(buf.String(), "\n") {
		if strings.HasSuffix(line, " ") {
			t.Errorf("trailing space in %q", line)
		}
	}
}
