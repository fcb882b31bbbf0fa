package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// The three-currency company of reporting.TestThreeCurrencyCompany, 2025:
// a EUR book on the default chart with a USD bank (1121), a GBP customer
// (1210) and the supplier account 2110 in CHF, all three revalued at the
// year end (meta.revalue short). Rates are 1 unit = x EUR:
//
//	date        USD   GBP   CHF
//	2025-01-15  0.90
//	2025-03-10        1.20
//	2025-04-20              1.05
//	2025-09-15  0.92
//	2025-12-31  0.95  1.15  1.10   closing rates
//
// The entries file gives E2, E4 and E6 without base amounts, for the
// ledger to convert (11,000 USD × 0.90 = 9,900.00; 2,000 CHF × 1.05 =
// 2,100.00; 1,000 USD × 0.92 = 920.00); E3 and the settlement E5 with
// theirs: the customer pays 3,000 GBP of 5,000 booked at 6,000.00, so
// 1210 is credited 3,600.00, the bank gets 3,540.00 and 60.00 is the
// realised loss on 6990.
//
// Revaluation at 2025-12-31: 1121 10,000 USD carried 8,980.00, at 0.95
// 9,500.00: +520.00 on 4200 (fx_gains); 1210 2,000 GBP carried 2,400.00,
// at 1.15 2,300.00: −100.00; 2110 −2,000 CHF carried −2,100.00, at 1.10
// −2,200.00: −100.00, both on 6990 (fx_losses).
// Result: 6,000 + 520 − 2,100 − 920 − 60 − 200 = 3,240.00. Balance sheet:
// 93,640.00 + 9,500.00 + 2,300.00 = 105,440.00 = 2,200.00 + 100,000.00 +
// 3,240.00.
const (
	fxRatesCSV = "date,from,to,rate,source\n" +
		"2025-01-15,USD,EUR,0.90,bank\n" +
		"2025-03-10,GBP,EUR,1.20,bank\n" +
		"2025-04-20,CHF,EUR,1.05,bank\n" +
		"2025-09-15,USD,EUR,0.92,bank\n" +
		"2025-12-31,USD,EUR,0.95,ECB\n" +
		"2025-12-31,GBP,EUR,1.15,ECB\n" +
		"2025-12-31,CHF,EUR,1.10,ECB\n"
	fxEntriesCSV = "key,date,account,amount,currency,base,description\n" +
		"E1,2025-01-02,1120,100000.00,,,Share capital paid in\n" +
		"E1,,3100,-100000.00,,,\n" +
		"E2,2025-01-15,1121,11000.00,USD,,USD bought\n" +
		"E2,,1120,-9900.00,,,\n" +
		"E3,2025-03-10,1210,5000.00,GBP,6000.00,Sale to the UK customer\n" +
		"E3,,4100,-6000.00,,,\n" +
		"E4,2025-04-20,6700,2100.00,,,Invoice of the Swiss adviser\n" +
		"E4,,2110,-2000.00,CHF,,\n" +
		"E5,2025-06-30,1120,3540.00,,,The UK customer pays 3000.00 GBP\n" +
		"E5,,1210,-3000.00,GBP,-3600.00,\n" +
		"E5,,6990,60.00,,,\n" +
		"E6,2025-09-15,6500,920.00,,,Travel paid in USD\n" +
		"E6,,1121,-1000.00,USD,,\n"
)

// fxChart is the default chart as a CSV file with a meta.revalue column:
// 2110 restricted to CHF, and 1121 Bank USD and 1210 Receivables GBP added.
func fxChart(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", "ledger", "charts", "default.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(src)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := rows[0]
	if !slices.Equal(head, []string{"code", "name", "type", "parent", "currency", "min", "max", "closed", "meta.role", "meta.cashflow"}) {
		t.Fatalf("default.csv has the columns %v", head)
	}
	out := [][]string{append(head, "meta.revalue")}
	for _, r := range rows[1:] {
		r = append(r, "")
		if r[0] == "2110" {
			r[4], r[10] = "CHF", "short"
		}
		out = append(out, r)
		switch r[0] {
		case "1120":
			out = append(out, []string{"1121", "Bank USD", "asset", "1100", "USD", "", "", "", "", "cash", "short"})
		case "1200":
			out = append(out, []string{"1210", "Receivables GBP", "asset", "1100", "GBP", "", "", "", "", "operating", "short"})
		}
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.WriteAll(out)
	return b.String()
}

// fxCompany creates the three-currency company's book in db (relative to
// dir), imports its rates with books fx import and its 2025 entries with
// books import entries, and returns the paths of the files it wrote.
func fxCompany(t *testing.T, dir, db string) (rates, entries string) {
	t.Helper()
	write := func(name, content string) string {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return name
	}
	chart := write("chart.csv", fxChart(t))
	rates, entries = write("rates.csv", fxRatesCSV), write("entries.csv", fxEntriesCSV)
	ok(t, dir, "--db", db, "init", "--chart", "none", "--currency", "EUR", "--name", "Tri GmbH")
	if r := ok(t, dir, "--db", db, "import", "accounts", chart); !strings.Contains(r.stderr, "accounts: 54 created") {
		t.Errorf("import accounts: %s", r.stderr)
	}
	if r := ok(t, dir, "--db", db, "fx", "import", rates); !strings.Contains(r.stderr, "imported 7 rates") {
		t.Errorf("fx import: %s", r.stderr)
	}
	if r := ok(t, dir, "--db", db, "import", "entries", entries); !strings.Contains(r.stderr, "entries: 6 posted, 0 already posted") {
		t.Errorf("import entries: %s", r.stderr)
	}
	return rates, entries
}

// csvReport runs books report args as CSV and returns, by the value of
// the first column named keyCol, the value of column valCol, for the rows
// that have both.
func csvReport(t *testing.T, dir, keyCol, valCol string, args ...string) map[string]string {
	t.Helper()
	out := ok(t, dir, append(append([]string{"report"}, args...), "--format", "csv")...).stdout
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	k, v := slices.Index(rows[0], keyCol), slices.Index(rows[0], valCol)
	if k < 0 || v < 0 {
		t.Fatalf("report %v: no column %s or %s in %v", args, keyCol, valCol, rows[0])
	}
	m := map[string]string{}
	for _, r := range rows[1:] {
		if r[k] != "" && r[v] != "" {
			m[r[k]] = r[v]
		}
	}
	return m
}

// xlsxReport writes a report as a workbook, opens it and returns, by the
// text of column keyCol, the number in the column headed valHead (or, if
// valHead is "", the column after keyCol) of its first sheet.
func xlsxReport(t *testing.T, dir, valHead string, args ...string) map[string]decimal.Decimal {
	t.Helper()
	path := filepath.Join(dir, args[0]+".xlsx")
	ok(t, dir, append(append([]string{"report"}, args...), "--format", "xlsx", "-o", path)...)
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0], excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	col := 1
	if valHead != "" {
		col = -1
		for _, r := range rows {
			if i := slices.Index(r, valHead); i >= 0 {
				col = i
				break
			}
		}
		if col < 0 {
			t.Fatalf("%s: no column headed %q", path, valHead)
		}
	}
	m := map[string]decimal.Decimal{}
	for _, r := range rows {
		if len(r) <= col || r[0] == "" {
			continue
		}
		if d, err := decimal.NewFromString(r[col]); err == nil {
			m[r[0]] = d
		}
	}
	return m
}

// TestSeveralCurrencies runs the three-currency company through books, on
// SQLite and (with BACKOFFICE_TEST_POSTGRES) PostgreSQL: rates imported,
// entries converted at them on import (idempotently), the year revalued
// with books fx revalue, and the trial balance, balance sheet and income
// statement as CSV, text and workbook all in EUR at the hand-worked
// figures; the entries export carries the base amounts and imports back;
// books close --year --revalue finds the revaluation posted and closes.
func TestSeveralCurrencies(t *testing.T) {
	dbs := []string{"books.db"}
	if dsn := os.Getenv("BACKOFFICE_TEST_POSTGRES"); dsn != "" {
		dbs = append(dbs, pgSchema(t, dsn))
	} else {
		t.Log("BACKOFFICE_TEST_POSTGRES unset: SQLite only")
	}
	for _, db := range dbs {
		name := "sqlite"
		if db != "books.db" {
			name = "postgres"
		}
		t.Run(name, func(t *testing.T) { severalCurrencies(t, db) })
	}
}

func severalCurrencies(t *testing.T, db string) {
	dir := t.TempDir()
	_, entries := fxCompany(t, dir, db)
	run := func(args ...string) result { t.Helper(); return ok(t, dir, append([]string{"--db", db}, args...)...) }
	// Importing the file again posts nothing: the converted entries are
	// those of the file.
	if r := run("import", "entries", entries); !strings.Contains(r.stderr, "entries: 0 posted, 6 already posted") {
		t.Errorf("second import: %s", r.stderr)
	}

	// The revaluation, and again: the same entry, nothing posted.
	first := run("fx", "revalue", "--date", "2025-12-31")
	if !strings.Contains(first.stderr, "revaluation at 2025-12-31: entry 7 (key revalue/2025-12-31), posted, 5 lines") {
		t.Errorf("fx revalue: %s", first.stderr)
	}
	posted, err := ledger.ReadEntries(strings.NewReader(first.stdout), "main", &ledger.EntryOptions{Currency: money.EUR})
	if err != nil || len(posted) != 1 {
		t.Fatalf("fx revalue printed %d entries, %v:\n%s", len(posted), err, first.stdout)
	}
	lines := map[string]string{}
	for _, l := range posted[0].Lines {
		lines[l.Account] = l.Amount.String()
	}
	want := map[string]string{"1121": "520.00 EUR", "1210": "-100.00 EUR", "2110": "-100.00 EUR", "4200": "-520.00 EUR", "6990": "200.00 EUR"}
	if diff := cmp.Diff(lines, want); diff != "" || posted[0].Journal != ledger.JournalRevaluation {
		t.Errorf("revaluation (-got +want):\n%s\njournal %s", diff, posted[0].Journal)
	}
	again := run("fx", "revalue", "--date", "2025-12-31")
	if again.stdout != first.stdout || !strings.Contains(again.stderr, "entry 7 (key revalue/2025-12-31), posted before") {
		t.Errorf("fx revalue again: %s\n%s", again.stderr, again.stdout)
	}

	// Trial balance, balance sheet and income statement in EUR.
	year := []string{"--from", "2025-01-01", "--to", "2025-12-31"}
	tb := csvReport(t, dir, "account", "closing", append([]string{"--db", db, "trial-balance"}, year...)...)
	wantTB := map[string]string{
		"1120": "93640.00", "1121": "9500.00", "1210": "2300.00", "2110": "-2200.00", "3100": "-100000.00",
		"4100": "-6000.00", "4200": "-520.00", "6500": "920.00", "6700": "2100.00", "6990": "260.00",
	}
	if diff := cmp.Diff(tb, wantTB); diff != "" {
		t.Errorf("trial balance 2025, closing balances in EUR (-got +want):\n%s", diff)
	}
	bs := csvReport(t, dir, "label", "balance", "--db", db, "balance-sheet", "--as-of", "2025-12-31")
	is := csvReport(t, dir, "label", "amount", append([]string{"--db", db, "income-statement"}, year...)...)
	for _, c := range []struct {
		report     map[string]string
		label, amt string
	}{
		{bs, "1120 Bank", "93640.00"}, {bs, "1121 Bank USD", "9500.00"}, {bs, "1210 Receivables GBP", "2300.00"},
		{bs, "Total assets", "105440.00"}, {bs, "2110 Accounts payable", "2200.00"}, {bs, "Result for the year", "3240.00"},
		{bs, "Total liabilities and equity", "105440.00"},
		{is, "4100 Sales", "6000.00"}, {is, "4200 Other income", "520.00"}, {is, "6990 Other operating expenses", "260.00"},
		{is, "Net income", "3240.00"},
	} {
		if got := c.report[c.label]; got != c.amt {
			t.Errorf("%q = %q, want %s", c.label, got, c.amt)
		}
	}
	text := run("report", "balance-sheet", "--as-of", "2025-12-31").stdout + run(append([]string{"report", "income-statement"}, year...)...).stdout
	for _, re := range []string{`(?m)^Total assets +105,440\.00$`, `(?m)^      1121 Bank USD +9,500\.00$`, `(?m)^Net income +3,240\.00$`, `\nAs of 2025-12-31, EUR\n`} {
		if !regexp.MustCompile(re).MatchString(text) {
			t.Errorf("text reports lack %s:\n%s", re, text)
		}
	}

	// The same figures read back from the workbooks.
	dec := decimal.RequireFromString
	for _, c := range []struct {
		name, head string
		args       []string
		want       map[string]decimal.Decimal
	}{
		{"trial balance", "Closing balance", append([]string{"trial-balance"}, year...), map[string]decimal.Decimal{
			"1120": dec("93640"), "1121": dec("9500"), "1210": dec("2300"), "2110": dec("-2200"), "4200": dec("-520"), "6990": dec("260")}},
		{"balance sheet", "", []string{"balance-sheet", "--as-of", "2025-12-31"}, map[string]decimal.Decimal{
			"1121 Bank USD": dec("9500"), "Total assets": dec("105440"), "Result for the year": dec("3240"), "Total liabilities and equity": dec("105440")}},
		{"income statement", "", append([]string{"income-statement"}, year...), map[string]decimal.Decimal{
			"4200 Other income": dec("520"), "6990 Other operating expenses": dec("260"), "Net income": dec("3240")}},
	} {
		got := xlsxReport(t, dir, c.head, append([]string{c.args[0], "--db", db}, c.args[1:]...)...)
		for k, w := range c.want {
			if g, found := got[k]; !found || !g.Equal(w) {
				t.Errorf("%s workbook: %q = %v (found %v), want %v", c.name, k, g, found, w)
			}
		}
	}

	// The export carries the base amounts, and imports back adding nothing.
	export := run("export", "entries").stdout
	for _, want := range []string{
		"E2,2025-01-15,1121,11000.00,,USD,9900.00,EUR,",
		"E4,,2110,,2000.00,CHF,2100.00,EUR,",
		"E5,,1210,,3000.00,GBP,3600.00,EUR,",
	} {
		if !strings.Contains(export, want) {
			t.Errorf("export lacks %q:\n%s", want, export)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "export.csv"), []byte(export), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := run("import", "entries", "export.csv"); !strings.Contains(r.stderr, "entries: 0 posted, 7 already posted") {
		t.Errorf("import of the export: %s", r.stderr)
	}

	// Closing the year with --revalue finds the revaluation posted.
	r := run("close", "--year", "2025", "--revalue")
	if !strings.Contains(r.stderr, "entry 7 (key revalue/2025-12-31), posted before") || !strings.Contains(r.stderr, "year closed") {
		t.Errorf("close --year 2025 --revalue: %s", r.stderr)
	}
	if r := run("close", "--year", "2025", "--revalue"); !strings.Contains(r.stderr, "year closed") {
		t.Errorf("close again: %s", r.stderr)
	}
	closed := csvReport(t, dir, "account", "closing", append([]string{"--db", db, "trial-balance"}, year...)...)
	if closed["3200"] != "-3240.00" || closed["1121"] != "9500.00" || closed["4200"] != "0.00" {
		t.Errorf("trial balance after closing: 3200 %q, 1121 %q, 4200 %q; want -3240.00, 9500.00 and 0.00", closed["3200"], closed["1121"], closed["4200"])
	}
	if r := run("verify"); !strings.Contains(r.stdout, "main: ok") {
		t.Errorf("verify: %s", r.stdout)
	}
}

// TestCloseRevalues: books close --year --revalue revalues a year not
// revalued yet before closing it, at the fiscal year's last day.
func TestCloseRevalues(t *testing.T) {
	dir := t.TempDir()
	fxCompany(t, dir, "books.db")
	r := ok(t, dir, "close", "--year", "2025", "--revalue")
	if !strings.Contains(r.stderr, "revaluation at 2025-12-31: entry 7 (key revalue/2025-12-31), posted, 5 lines") {
		t.Errorf("close --revalue: %s", r.stderr)
	}
	tb := csvReport(t, dir, "account", "closing", "trial-balance", "--from", "2025-01-01", "--to", "2025-12-31")
	for code, want := range map[string]string{"1120": "93640.00", "1121": "9500.00", "1210": "2300.00", "2110": "-2200.00", "3200": "-3240.00"} {
		if tb[code] != want {
			t.Errorf("%s closes at %q, want %s", code, tb[code], want)
		}
	}
	if r := ok(t, dir, "close", "--year", "2025", "--revalue"); !strings.Contains(r.stderr, "posted before") {
		t.Errorf("close again: %s", r.stderr)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"close", "--period", "2025-12", "--revalue"}, 2, "--revalue goes with --year"},
		{[]string{"fx", "revalue"}, 2, "--date"},
		{[]string{"fx", "revalue", "--date", "2025-12-31", "--shared"}, 2, "--shared"},
	} {
		if r := books(t, dir, c.args...); r.code != c.code || !strings.Contains(r.stderr, c.want) {
			t.Errorf("books %v: exit %d, %s; want exit %d and %q", c.args, r.code, r.stderr, c.code, c.want)
		}
	}
}

// TestForeignWithoutRate: a line in USD the book has no rate for fails the
// import naming its row, account and the missing rate, and nothing of the
// file is posted; a book without rates refuses an entry that balances only
// converted, posts one in USD alone unconverted as before, and its reports
// in EUR then fail naming the account. Lines converted one by one leave
// their rounding residue on the fx_losses account; a month-end
// revaluation with --reverse is reversed on the next day.
func TestForeignWithoutRate(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return name
	}
	chart := write("chart.csv", fxChart(t))
	ok(t, dir, "init", "--chart", "none", "--currency", "EUR")
	ok(t, dir, "import", "accounts", chart)

	// No rates at all: an entry of USD against EUR does not balance.
	mixed := write("mixed.csv", "key,date,account,amount,currency\nE2,2025-01-15,1121,11000.00,USD\nE2,,1120,-9900.00,\n")
	r := books(t, dir, "import", "entries", mixed)
	if r.code != 1 || !strings.Contains(r.stderr, `row 2: entry "E2"`) || !strings.Contains(r.stderr, "book main has no exchange rates") {
		t.Errorf("USD against EUR without rates: exit %d, %s", r.code, r.stderr)
	}

	// Rates from March: January's USD line has none.
	rates := write("rates.csv", "date,from,to,rate,source\n2025-03-01,USD,EUR,0.905,bank\n")
	ok(t, dir, "fx", "import", rates)
	early := write("early.csv", "key,date,account,amount,currency\n"+
		"E1,2025-01-02,1120,100000.00,EUR\nE1,,3100,-100000.00,EUR\n"+
		"E2,2025-01-15,1121,11000.00,USD\nE2,,1120,-9900.00,\n")
	r = books(t, dir, "import", "entries", early)
	if r.code != 1 || !strings.Contains(r.stderr, `early.csv row 4: entry "E2", account "1121": fx: no USD→EUR rate on or before 2025-01-15`) ||
		!strings.Contains(r.stderr, "books fx import") {
		t.Errorf("USD line before the first rate: exit %d, %s", r.code, r.stderr)
	}
	if r := ok(t, dir, "export", "entries"); !strings.Contains(r.stderr, "exported 0 entries") {
		t.Errorf("after the failed import: %s", r.stderr)
	}

	// Two receipts of 10.05 USD at 0.905 convert to 9.10 EUR each
	// (9.09525, HalfUp), 18.20 in all, where the bank's 18.19 EUR is their
	// sum converted at once: the 0.01 goes to 6990 (fx_losses).
	split := write("split.csv", "key,date,account,debit,credit,currency\n"+
		"R1,2025-03-05,1121,10.05,,USD\nR1,,1121,10.05,,USD\nR1,,1120,,18.19,EUR\n")
	ok(t, dir, "import", "entries", split)
	export := ok(t, dir, "export", "entries").stdout
	if !strings.Contains(export, "R1,,6990,,0.01,EUR,,,conversion rounding,") || strings.Count(export, "R1,") != 4 {
		t.Errorf("rounding residue not on 6990:\n%s", export)
	}
	if r := ok(t, dir, "import", "entries", split); !strings.Contains(r.stderr, "0 posted, 1 already posted") {
		t.Errorf("split again: %s", r.stderr)
	}
	// 1121 holds 20.10 USD carried at 18.20; at 0.905 it is worth 18.19:
	// 0.01 lost at the month end, reversed on the next day; run again,
	// nothing more is posted.
	for i := range 2 {
		r := ok(t, dir, "fx", "revalue", "--date", "2025-03-31", "--reverse")
		if !strings.Contains(r.stderr, ", reversed on 2025-04-01") ||
			!strings.Contains(r.stdout, "revalue/2025-03-31,2025-03-31,1121,,0.01,EUR,") || !strings.Contains(r.stdout, "revalue/2025-03-31,,6990,0.01,,EUR,") {
			t.Errorf("fx revalue --reverse (run %d): %s\n%s", i+1, r.stderr, r.stdout)
		}
	}
	if r := ok(t, dir, "export", "entries"); !strings.Contains(r.stderr, "exported 3 entries") || !strings.Contains(r.stdout, ",2025-04-01,1121,0.01,,EUR,") {
		t.Errorf("after revaluing with --reverse: %s\n%s", r.stderr, r.stdout)
	}

	// A second book without rates: USD alone posts unconverted, and a
	// report in EUR refuses to leave it out.
	other := "--book=nofx"
	ok(t, dir, other, "init", "--chart", "none", "--currency", "EUR")
	ok(t, dir, other, "import", "accounts", chart)
	usd := write("usd.csv", "key,date,account,amount,currency\nU1,2025-02-01,1121,100.00,USD\nU1,,3100,-100.00,USD\n")
	ok(t, dir, other, "import", "entries", usd)
	r = books(t, dir, other, "report", "trial-balance", "--from", "2025-01-01", "--to", "2025-12-31")
	if r.code != 1 || !strings.Contains(r.stderr, "account 1121 holds USD without amounts in EUR") {
		t.Errorf("report on unconverted postings: exit %d, %s", r.code, r.stderr)
	}
	if r := books(t, dir, other, "fx", "revalue", "--date", "2025-12-31"); r.code != 2 || !strings.Contains(r.stderr, "book nofx has no exchange rates") {
		t.Errorf("revalue without rates: exit %d, %s", r.code, r.stderr)
	}
}
