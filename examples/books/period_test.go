package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

// periodEntries is a small book on the default chart, by hand:
//
//	2025-01-02  1120 Bank 1,000.00 Dr / 3100 Share capital
//	2025-02-10  1200 Receivables 119.00 Dr / 4100 Sales 100.00, 2120 VAT 19.00 Cr
//	2025-03-05  1120 119.00 Dr / 1200
//	2025-04-05  6200 Rent 50.00 Dr / 1120
const periodEntries = "key,date,account,debit,credit,description\n" +
	"o1,2025-01-02,1120,1000.00,,Capital\no1,,3100,,1000.00,\n" +
	"s1,2025-02-10,1200,119.00,,Sale\ns1,,4100,,100.00,\ns1,,2120,,19.00,\n" +
	"p1,2025-03-05,1120,119.00,,Payment\np1,,1200,,119.00,\n" +
	"r1,2025-04-05,6200,50.00,,Rent\nr1,,1120,,50.00,\n"

func periodBook(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	ok(t, dir, "init", "--chart", "default")
	if err := os.WriteFile(filepath.Join(dir, "e.csv"), []byte(periodEntries), 0o644); err != nil {
		t.Fatal(err)
	}
	ok(t, dir, "import", "entries", "e.csv")
	return dir
}

// TestReportPeriod: -p/--period takes hledger's period expressions for
// every report, giving the same report as the --from/--to they stand for
// (the end of a range exclusive, as in hledger); --accounts filters the
// trial balance and general ledger; --monthly and --quarterly give a trial
// balance a change column per month or quarter.
func TestReportPeriod(t *testing.T) {
	dir := periodBook(t)
	same := []struct {
		period []string // -p and what else
		fromTo []string // the --from/--to report it equals
	}{
		{[]string{"trial-balance", "-p", "2025-Q1"}, []string{"trial-balance", "--from", "2025-01-01", "--to", "2025-03-31"}},
		{[]string{"trial-balance", "--period", "2025q1"}, []string{"trial-balance", "--from", "2025-01-01", "--to", "2025-03-31"}},
		{[]string{"trial-balance", "-p", "2025-01-01..2025-04-01"}, []string{"trial-balance", "--from", "2025-01-01", "--to", "2025-03-31"}},
		{[]string{"trial-balance", "-p", "2025-01-01..2025-03-31"}, []string{"trial-balance", "--from", "2025-01-01", "--to", "2025-03-30"}},
		{[]string{"trial-balance", "-p", "from 2025-02 to 2025-04"}, []string{"trial-balance", "--from", "2025-02-01", "--to", "2025-03-31"}},
		{[]string{"trial-balance", "-p", "last month", "--today", "2025-04-20"}, []string{"trial-balance", "--from", "2025-03-01", "--to", "2025-03-31"}},
		{[]string{"trial-balance", "-p", "2025-03-05"}, []string{"trial-balance", "--from", "2025-03-05", "--to", "2025-03-05"}},
		{[]string{"trial-balance", "-p", "2025-02.."}, []string{"trial-balance", "--from", "2025-02-01"}},
		{[]string{"trial-balance", "-p", "..2025-03"}, []string{"trial-balance", "--to", "2025-02-28"}},
		{[]string{"income-statement", "-p", "2025"}, []string{"income-statement", "--from", "2025-01-01", "--to", "2025-12-31"}},
		{[]string{"balance-sheet", "-p", "2025-Q1"}, []string{"balance-sheet", "--from", "2025-01-01", "--as-of", "2025-03-31"}},
		{[]string{"general-ledger", "-p", "this quarter", "--today", "2025-02-01"}, []string{"general-ledger", "--from", "2025-01-01", "--to", "2025-03-31"}},
		{[]string{"account-statement", "--account", "1120", "-p", "2025-03"}, []string{"account-statement", "--account", "1120", "--from", "2025-03-01", "--to", "2025-03-31"}},
		{[]string{"cash-flow", "-p", "2025-Q2"}, []string{"cash-flow", "--from", "2025-04-01", "--to", "2025-06-30"}},
		{[]string{"open-items", "-p", "2025-03"}, []string{"open-items", "--as-of", "2025-03-31"}},
	}
	for _, tt := range same {
		t.Run(strings.Join(tt.period, " "), func(t *testing.T) {
			got := ok(t, dir, append([]string{"report", "--format", "csv"}, tt.period...)...).stdout
			want := ok(t, dir, append([]string{"report", "--format", "csv"}, tt.fromTo...)...).stdout
			if got != want {
				t.Errorf("-p report:\n%s\nwant (--from/--to):\n%s", got, want)
			}
		})
	}

	// Q1 with --accounts: 1120 Bank (by name) and 4100 (by code).
	// Opening 0; debits 1,000 + 119 = 1,119 on 1120; 100 credit on 4100.
	r := ok(t, dir, "report", "trial-balance", "-p", "2025-Q1", "--accounts", "BANK|^41", "--format", "csv")
	wantTB := "row,level,account,line,account,label,opening,debit,credit,ytd_debit,ytd_credit,closing\n" +
		"detail,0,1120,,1120,Bank,0.00,1119.00,0.00,1119.00,0.00,1119.00\n" +
		"detail,0,4100,,4100,Sales,0.00,0.00,100.00,0.00,100.00,-100.00\n" +
		"total,0,,,,Total,0.00,1119.00,100.00,1119.00,100.00,1019.00\n"
	if diff := cmp.Diff(wantTB, r.stdout); diff != "" {
		t.Errorf("--accounts (-want +got):\n%s", diff)
	}
	if text := ok(t, dir, "report", "trial-balance", "-p", "2025-Q1", "--accounts", "bank").stdout; !strings.Contains(text, "accounts~bank") || strings.Contains(text, "Checks") {
		t.Errorf("a filtered trial balance says so and has no checks:\n%s", text)
	}
	gl := ok(t, dir, "report", "general-ledger", "-p", "2025-Q1", "--accounts", "^12", "--format", "csv").stdout
	if !strings.Contains(gl, "1200 Accounts receivable") || strings.Contains(gl, "1120 Bank") {
		t.Errorf("general ledger of ^12:\n%s", gl)
	}

	// --monthly: each account's change per month; --quarterly over the
	// year on 1120 alone: Q1 1,000 + 119, Q2 the rent, Q3 and Q4 nothing.
	r = ok(t, dir, "report", "trial-balance", "-p", "2025-Q1", "--monthly", "--format", "csv")
	wantM := "row,level,account,line,account,label,opening,2025-01,2025-02,2025-03,closing\n" +
		"detail,0,1120,,1120,Bank,0.00,1000.00,0.00,119.00,1119.00\n" +
		"detail,0,1200,,1200,Accounts receivable,0.00,0.00,119.00,-119.00,0.00\n" +
		"detail,0,2120,,2120,VAT payable,0.00,0.00,-19.00,0.00,-19.00\n" +
		"detail,0,3100,,3100,Share capital,0.00,-1000.00,0.00,0.00,-1000.00\n" +
		"detail,0,4100,,4100,Sales,0.00,0.00,-100.00,0.00,-100.00\n" +
		"total,0,,,,Total,0.00,0.00,0.00,0.00,0.00\n"
	if diff := cmp.Diff(wantM, r.stdout); diff != "" {
		t.Errorf("--monthly (-want +got):\n%s", diff)
	}
	r = ok(t, dir, "report", "trial-balance", "-p", "2025", "--quarterly", "--accounts", "^1120$", "--format", "csv")
	if want := "total,0,,,,Total,0.00,1119.00,-50.00,0.00,0.00,1069.00\n"; !strings.HasSuffix(r.stdout, want) {
		t.Errorf("--quarterly: want the total %q in\n%s", want, r.stdout)
	}

	for _, args := range [][]string{
		{"trial-balance", "-p", "2025-Q1", "--from", "2025-01-01"},
		{"trial-balance", "-p", "2025", "--to", "2025-03-31"},
		{"balance-sheet", "-p", "2025", "--as-of", "2025-03-31"},
		{"trial-balance", "-p", "2025-13"},
		{"trial-balance", "-p", "monthly"},
		{"trial-balance", "-p", "2025-03..2025-03"},
		{"trial-balance", "-p", "last month", "--today", "20250420"},
		{"trial-balance", "--today", "2025-04-20"},
		{"trial-balance", "--accounts", "(bank"},
		{"balance-sheet", "--accounts", "bank"},
		{"trial-balance", "--monthly", "--quarterly"},
		{"trial-balance", "--compare", "prior-year"},
		{"vat-return", "-p", "2025-02..2025-04"},
		{"vat-return", "-p", "2025-03", "--from", "2025-03-01"},
	} {
		if r := books(t, dir, append([]string{"report"}, args...)...); r.code != 2 || !strings.Contains(r.stderr, "books report") {
			t.Errorf("books report %s: exit %d, want 2 (usage)\n%s", strings.Join(args, " "), r.code, r.stderr)
		}
	}
	// A vat-return's period may be any expression for a month or quarter.
	for p, want := range map[string]string{"last month": "2025-03-01 – 2025-03-31", "last quarter": "2025-01-01 – 2025-03-31"} {
		r := books(t, dir, "report", "vat-return", "-p", p, "--today", "2025-04-20", "--lang", "en")
		if r.code == 2 || !strings.Contains(r.stdout, want) {
			t.Errorf("vat-return -p %q: exit %d\n%s%s", p, r.code, r.stdout, r.stderr)
		}
	}
}

// periodJournal spans two calendar fiscal years, by hand:
//
//	2024-06-01  assets:bank 1,000.00 / equity:opening balances (an opening entry)
//	2024-09-15  assets:bank 300.00 / income:sales
//	2024-12-20  expenses:rent 100.00 / assets:bank
//	2025-02-10  assets:bank 200.00 / income:sales
//	2025-04-10  expenses:rent 100.00 / assets:bank
//
// -p 2024-07..2025-04 is 2024-07-01 to 2025-03-31: opening assets:bank
// 1,000.00, equity −1,000.00; assets:bank +500 −100, closing 1,400.00;
// income:sales 500.00 Cr; expenses:rent 100.00 Dr.
const periodJournal = `2024-06-01 Opening
    assets:bank                EUR 1000.00
    equity:opening balances

2024-09-15 Sale
    assets:bank                EUR 300.00
    income:sales

2024-12-20 Rent
    expenses:rent              EUR 100.00
    assets:bank

2025-02-10 Sale
    assets:bank                EUR 200.00
    income:sales

2025-04-10 Rent
    expenses:rent              EUR 100.00
    assets:bank
`

// TestReportPeriodHledger: the trial balance across fiscal years of an
// imported journal, by hand; then, with hledger installed, books report
// trial-balance -p against hledger balance -p on that journal and on the
// corpus of package journal — the period's changes (debit − credit,
// hledger's balance), the closing balances (hledger's balance -H) and the
// month columns (hledger's balance -M). The clearing account through which
// the importer splits postings on other dates is books' alone.
func TestReportPeriodHledger(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "years.journal"), []byte(periodJournal), 0o644); err != nil {
		t.Fatal(err)
	}
	ok(t, dir, "--db", "years.db", "import", "journal", "years.journal")
	r := ok(t, dir, "--db", "years.db", "report", "trial-balance", "-p", "2024-07..2025-04", "--format", "csv")
	want := "row,level,account,line,account,label,opening,debit,credit,closing\n" +
		"detail,0,assets:bank,,assets:bank,assets:bank,1000.00,500.00,100.00,1400.00\n" +
		"detail,0,equity:opening_balances,,equity:opening_balances,equity:opening balances,-1000.00,0.00,0.00,-1000.00\n" +
		"detail,0,expenses:rent,,expenses:rent,expenses:rent,0.00,100.00,0.00,100.00\n" +
		"detail,0,income:sales,,income:sales,income:sales,0.00,0.00,500.00,-500.00\n" +
		"total,0,,,,Total,0.00,600.00,600.00,0.00\n"
	if diff := cmp.Diff(want, r.stdout); diff != "" {
		t.Errorf("across fiscal years (-want +got):\n%s", diff)
	}

	hl := hledger(t)
	if hl == "" {
		return
	}
	corpus := filepath.Join("..", "..", "journal", "testdata", "corpus")
	journals := map[string]string{"years": filepath.Join(dir, "years.journal")}
	for _, name := range []string{"decimal-comma", "posting-dates", "status"} {
		p, err := filepath.Abs(filepath.Join(corpus, name+".journal"))
		if err != nil {
			t.Fatal(err)
		}
		journals[name] = p
	}
	periods := []struct{ ours, theirs string }{
		{"2025-Q1", "2025Q1"},
		{"2025-02", "2025-02"},
		{"2025-01-15..2025-03-01", "2025-01-15..2025-03-01"},
		{"2024-07..2025-04", "2024-07..2025-04"},
	}
	for name, path := range journals {
		db := name + ".db"
		if name != "years" {
			ok(t, dir, "--db", db, "import", "journal", path)
		}
		for _, p := range periods {
			t.Run(name+" "+p.ours, func(t *testing.T) {
				tb := csvRows(t, ok(t, dir, "--db", db, "report", "trial-balance", "-p", p.ours, "--format", "csv").stdout)
				changes, closing := map[string]string{}, map[string]string{}
				for _, row := range tb.rows {
					if row["row"] != "detail" || strings.Contains(row["label"], "posting date clearing") {
						continue
					}
					changes[row["label"]] = sub(t, row["debit"], row["credit"])
					closing[row["label"]] = row["closing"]
				}
				bal := func(args ...string) map[string]string {
					out := runHledger(t, hl, dir, append([]string{"-f", path, "balance", "-p", p.theirs, "--flat", "-O", "csv", "--layout=bare", "-c", "1000.00 EUR"}, args...)...)
					m := map[string]string{}
					for _, row := range csvRows(t, out).rows {
						if row["account"] != "total" {
							m[row["account"]] = row["balance"]
						}
					}
					return m
				}
				if diff := cmp.Diff(nonZero(bal()), nonZero(changes)); diff != "" {
					t.Errorf("changes (-hledger +books):\n%s", diff)
				}
				if diff := cmp.Diff(nonZero(bal("-H")), nonZero(closing)); diff != "" {
					t.Errorf("closing balances (-hledger balance -H +books):\n%s", diff)
				}
			})
		}
		t.Run(name+" monthly", func(t *testing.T) {
			tb := csvRows(t, ok(t, dir, "--db", db, "report", "trial-balance", "-p", "2025-Q1", "--monthly", "--format", "csv").stdout)
			ours := map[string]string{}
			for _, row := range tb.rows {
				if row["row"] == "detail" && !strings.Contains(row["label"], "posting date clearing") {
					for _, m := range []string{"2025-01", "2025-02", "2025-03"} {
						ours[row["label"]+" "+m] = row[m]
					}
				}
			}
			out := runHledger(t, hl, dir, "-f", path, "balance", "-p", "2025Q1", "-M", "--flat", "-O", "csv", "--layout=bare", "-c", "1000.00 EUR")
			theirs := map[string]string{}
			for _, row := range csvRows(t, out).rows {
				if row["account"] != "total" {
					for _, m := range []string{"2025-01", "2025-02", "2025-03"} {
						theirs[row["account"]+" "+m] = row[m]
					}
				}
			}
			if diff := cmp.Diff(nonZero(theirs), nonZero(ours)); diff != "" {
				t.Errorf("monthly changes (-hledger balance -M +books):\n%s", diff)
			}
		})
	}
}

// csvTable is a CSV file as rows keyed by the header (the first of two
// columns of one name wins).
type csvTable struct{ rows []map[string]string }

func csvRows(t *testing.T, s string) csvTable {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("CSV: %v\n%s", err, s)
	}
	var out csvTable
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, k := range recs[0] {
			if _, ok := m[k]; !ok && i < len(rec) {
				m[k] = rec[i]
			}
		}
		out.rows = append(out.rows, m)
	}
	return out
}

// sub returns a − b of two decimal strings.
func sub(t *testing.T, a, b string) string {
	t.Helper()
	x, err := decimal.NewFromString(a)
	if err != nil {
		t.Fatal(err)
	}
	y, err := decimal.NewFromString(b)
	if err != nil {
		t.Fatal(err)
	}
	return x.Sub(y).String()
}

// nonZero returns m without zero amounts, each amount in its shortest
// form ("1400", "-0.5").
func nonZero(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		d, err := decimal.NewFromString(v)
		if err != nil {
			out[k] = v // not a number: compared as it is
			continue
		}
		if !d.IsZero() {
			out[k] = d.String()
		}
	}
	return out
}
