package reporting_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/reporting"
	"github.com/openbackoffice/backoffice/store/memory"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// clock is the time reports claim they were generated.
func clock() time.Time { return time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC) }

func eur(s string) money.Amount { return money.MustParse(s, money.EUR) }

func d(s string) date.Date { return date.MustParse(s) }

// checkReport verifies what every report must satisfy, whatever built it:
// one cell per column, of the column's kind, amounts in the report's
// currency; Terms only on subtotal and total rows, naming earlier rows; and
// every non-blank amount cell of such a row equal to Σ ±(the terms' cells),
// blank term cells counting as zero — the contract the xlsx renderer turns
// into formulas. It also requires every check to hold unless failing is
// allowed.
func checkReport(t testing.TB, r reporting.Report, failingChecks ...string) {
	t.Helper()
	keys := map[string]bool{}
	for _, c := range r.Columns {
		if keys[c.Key] {
			t.Errorf("column key %q twice", c.Key)
		}
		keys[c.Key] = true
	}
	for i, row := range r.Rows {
		if len(row.Cells) != len(r.Columns) {
			t.Fatalf("row %d (%s): %d cells for %d columns", i, row.Label, len(row.Cells), len(r.Columns))
		}
		for j, c := range r.Columns {
			cell := row.Cells[j]
			if c.Kind == AmountColumnKind && !cell.Blank && cell.Amount.Currency() != r.Currency {
				t.Errorf("row %d column %s: amount %v not in %s", i, c.Key, cell.Amount, r.Currency)
			}
		}
		if len(row.Terms) > 0 && row.Kind != reporting.SubtotalRow && row.Kind != reporting.TotalRow {
			t.Errorf("row %d (%s) of kind %v has terms", i, row.Label, row.Kind)
		}
		if row.Kind != reporting.SubtotalRow && row.Kind != reporting.TotalRow {
			continue
		}
		for _, term := range row.Terms {
			if term.Row < 0 || term.Row >= i {
				t.Fatalf("row %d (%s): term %d is not an earlier row", i, row.Label, term.Row)
			}
		}
		for j, c := range r.Columns {
			if c.Kind != AmountColumnKind || row.Cells[j].Blank {
				continue
			}
			var s int64
			for _, term := range row.Terms {
				tc := r.Rows[term.Row].Cells[j]
				if tc.Blank {
					continue
				}
				v := tc.Amount.MinorUnits()
				if term.Neg {
					v = -v
				}
				s += v
			}
			if got := row.Cells[j].Amount.MinorUnits(); got != s {
				t.Errorf("row %d (%s) column %s: %d ≠ Σ terms %d", i, row.Label, c.Key, got, s)
			}
		}
	}
	for _, c := range r.Checks {
		allowed := false
		for _, f := range failingChecks {
			allowed = allowed || c.Label == f
		}
		if !c.OK() && !allowed {
			t.Errorf("check %q fails: %v ≠ %v", c.Label, c.Left, c.Right)
		}
	}
}

const AmountColumnKind = reporting.AmountColumn

// lines renders r compactly for comparison with hand-worked expectations:
// "kind level label | amount | amount …", blank cells as "", only amount
// columns.
func lines(r reporting.Report) []string {
	out := make([]string, len(r.Rows))
	for i, row := range r.Rows {
		var b strings.Builder
		fmt.Fprintf(&b, "%s %d %s", row.Kind, row.Level, row.Label)
		for j, c := range r.Columns {
			if c.Kind != reporting.AmountColumn {
				continue
			}
			b.WriteString(" | ")
			if !row.Cells[j].Blank {
				b.WriteString(row.Cells[j].Amount.Number())
			}
		}
		out[i] = b.String()
	}
	return out
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./reporting -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (-want +got):\n%s", path, cmp.Diff(string(want), string(got)))
	}
}

// newLedger returns a ledger over a memory store with book id (EUR,
// calendar fiscal year) and the accounts of chart.
func newLedger(t testing.TB, id string, chart []ledger.Account) *ledger.Ledger {
	t.Helper()
	ctx := context.Background()
	l := ledger.New(memory.New(), &ledger.Options{Now: clock})
	if err := l.CreateBook(ctx, ledger.Book{ID: id, Name: "ACME GmbH", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	if err := l.CreateAccounts(ctx, chart...); err != nil {
		t.Fatal(err)
	}
	return l
}

// entry is a compact journal entry for test books: lines as account and
// amount, positive for debit.
type entry struct {
	date, voucher, text string
	lines               []ln
}

type ln struct {
	account string
	amount  string
}

func post(t testing.TB, l *ledger.Ledger, book string, es ...entry) {
	t.Helper()
	for _, e := range es {
		le := ledger.Entry{Book: book, Date: d(e.date), Voucher: e.voucher, Description: e.text}
		for _, x := range e.lines {
			le.Lines = append(le.Lines, ledger.Line{Account: x.account, Amount: eur(x.amount)})
		}
		if _, err := l.Post(context.Background(), le); err != nil {
			t.Fatalf("post %s: %v", e.voucher, err)
		}
	}
}

// The hand-worked book on ledger.DefaultChart, fiscal year = calendar year.
// Every figure the tests expect is derived from these entries by hand in
// the comments of handbook_test.go.
var handEntries = []entry{
	{"2025-12-01", "E1", "Capital contribution", []ln{{"1120", "50000.00"}, {"3100", "-50000.00"}}},
	{"2025-12-20", "E2", "Consulting 2025", []ln{{"1120", "2000.00"}, {"4100", "-2000.00"}}},
	{"2026-01-05", "E3", "Van purchase", []ln{{"1540", "24000.00"}, {"1400", "4560.00"}, {"1120", "-28560.00"}}},
	{"2026-01-10", "E4", "Bank loan", []ln{{"1120", "20000.00"}, {"2510", "-20000.00"}}},
	{"2026-01-20", "E5", "Goods on credit", []ln{{"1300", "8000.00"}, {"2110", "-8000.00"}}},
	{"2026-02-03", "E6", "Invoice 001", []ln{{"1200", "11900.00"}, {"4100", "-10000.00"}, {"2120", "-1900.00"}}},
	{"2026-02-03", "E7", "Cost of goods sold", []ln{{"5000", "6000.00"}, {"1300", "-6000.00"}}},
	// E9 is posted before E8: the general ledger orders by date.
	{"2026-02-28", "E9", "Salaries February", []ln{{"6100", "4000.00"}, {"1120", "-4000.00"}}},
	{"2026-02-15", "E8", "Rent February", []ln{{"6200", "1500.00"}, {"1120", "-1500.00"}}},
	{"2026-03-01", "E10", "Customer payment 001", []ln{{"1120", "11900.00"}, {"1200", "-11900.00"}}},
	{"2026-03-10", "E11", "Supplier payment", []ln{{"2110", "5000.00"}, {"1120", "-5000.00"}}},
	{"2026-03-31", "E12", "Depreciation Q1", []ln{{"6800", "1200.00"}, {"1590", "-1200.00"}}},
	{"2026-03-31", "E14", "Cash withdrawal", []ln{{"1110", "500.00"}, {"1120", "-500.00"}}},
	{"2026-03-31", "E13", "Loan interest", []ln{{"6950", "150.00"}, {"1120", "-150.00"}}},
}

func handBook(t testing.TB) *ledger.Ledger {
	t.Helper()
	l := newLedger(t, "acme", ledger.DefaultChart("acme"))
	post(t, l, "acme", handEntries...)
	return l
}

func opts(from, to string) reporting.Options {
	o := reporting.Options{To: d(to), Now: clock}
	if from != "" {
		o.From = d(from)
	}
	return o
}

var moneyGerman = money.German
