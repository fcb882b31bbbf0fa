package pdf_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/reporting"
	"github.com/openbackoffice/backoffice/reporting/pdf"
	"github.com/openbackoffice/backoffice/reporting/xlsx"
	"github.com/openbackoffice/backoffice/store/memory"
)

var update = flag.Bool("update", false, "rewrite the reference PNGs under testdata")

// soffice returns LibreOffice: $BACKOFFICE_TEST_SOFFICE, which CI sets so
// that the test cannot be skipped there, else soffice on the PATH; it
// skips the test if there is none, or no poppler-utils.
func soffice(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{"pdftotext", "pdftoppm", "pdfinfo", "pdffonts"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("BACKOFFICE_TEST_SOFFICE") != "" {
				t.Fatalf("%s not installed (apt-get install poppler-utils)", tool)
			}
			t.Skipf("%s not installed (apt-get install poppler-utils)", tool)
		}
	}
	if p := os.Getenv("BACKOFFICE_TEST_SOFFICE"); p != "" {
		return p
	}
	p, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice not installed (apt-get install libreoffice-calc-nogui)")
	}
	return p
}

var now = func() time.Time { return time.Date(2026, 1, 15, 9, 30, 0, 0, time.UTC) }

// book is a test company: a year of monthly sales, rent, salaries, bank
// fees and depreciation, in German on SKR03 or in English on the default
// chart.
type book struct {
	lang     string
	l        *ledger.Ledger
	id       string
	currency money.Currency
}

func newBook(t *testing.T, lang string, cur money.Currency) book {
	t.Helper()
	ctx := context.Background()
	l := ledger.New(memory.New(), nil)
	b := book{lang: lang, l: l, id: "b", currency: cur}
	name, chart := "Muster Handels GmbH", ledger.SKR03("b")
	// code by role: bank, cash, capital, revenue, vat, rent, salaries, fees, office, depreciation, receivables
	codes := []string{"1200", "1000", "0800", "8400", "1776", "4210", "4120", "4930", "0420", "4830", "1400"}
	texts := []string{"Stammkapital", "Rechnung", "Miete", "Gehälter", "Bürobedarf bar", "Zahlungseingang", "Büroeinrichtung", "Abschreibung", "Bareinlage"}
	if lang == "en" {
		name, chart = "Sample Trading Ltd", ledger.DefaultChart("b")
		codes = []string{"1120", "1110", "3100", "4100", "2120", "6200", "6100", "6900", "1540", "6800", "1200"}
		texts = []string{"Share capital", "Invoice", "Rent", "Salaries", "Office supplies in cash", "Customer payment", "Office furniture", "Depreciation", "Cash deposit"}
	}
	if err := l.CreateBook(ctx, ledger.Book{ID: "b", Name: name, Currency: cur}); err != nil {
		t.Fatal(err)
	}
	if err := l.CreateAccounts(ctx, chart...); err != nil {
		t.Fatal(err)
	}
	a := func(s string) money.Amount { return money.MustParse(s, cur) }
	post := func(d date.Date, text string, lines ...ledger.Line) {
		t.Helper()
		if _, err := l.Post(ctx, ledger.Entry{Book: "b", Date: d, Description: text, Lines: lines}); err != nil {
			t.Fatal(err)
		}
	}
	bank, cash, capital, revenue, vat, rent, salaries, fees, office, depr, recv := codes[0], codes[1], codes[2], codes[3], codes[4], codes[5], codes[6], codes[7], codes[8], codes[9], codes[10]
	post(date.New(2025, 1, 2), texts[0], ledger.Debit(bank, a("250000.00")), ledger.Credit(capital, a("250000.00")))
	post(date.New(2025, 1, 3), texts[8], ledger.Debit(cash, a("2000.00")), ledger.Credit(bank, a("2000.00")))
	post(date.New(2025, 1, 10), texts[6], ledger.Debit(office, a("36000.00")), ledger.Credit(bank, a("36000.00")))
	for m := 1; m <= 12; m++ {
		d := func(day int) date.Date { return date.New(2025, time.Month(m), day) }
		net := int64(4000000 + 370000*int64(m%5) + 125*int64(m))
		post(d(5), fmt.Sprintf("%s %d", texts[1], m), ledger.Debit(recv, money.New(net*119/100, cur)),
			ledger.Credit(revenue, money.New(net, cur)), ledger.Credit(vat, money.New(net*119/100-net, cur)))
		post(d(20), texts[5], ledger.Debit(bank, money.New(net*119/100, cur)), ledger.Credit(recv, money.New(net*119/100, cur)))
		post(d(3), texts[2], ledger.Debit(rent, a("3500.00")), ledger.Credit(bank, a("3500.00")))
		post(d(28), texts[3], ledger.Debit(salaries, money.New(2100000+int64(m)*10000, cur)), ledger.Credit(bank, money.New(2100000+int64(m)*10000, cur)))
		post(d(15), texts[4], ledger.Debit(fees, a("85.40")), ledger.Credit(cash, a("85.40")))
		post(d(28), texts[7], ledger.Debit(depr, a("600.00")), ledger.Credit(office, a("600.00")))
	}
	return b
}

// reports builds every ledger report of the book for 2025 in its language:
// trial balance, balance sheet, monthly income statement and cash flow,
// the bank statement, the general ledger.
func (b book) reports(t *testing.T) []reporting.Report {
	t.Helper()
	ctx := context.Background()
	o := reporting.Options{From: date.New(2025, 1, 1), To: date.New(2025, 12, 31), Now: now}
	bsO, isO := o, o
	isO.Compare = reporting.Monthly
	if b.lang == "de" {
		bsO.Layout, _ = reporting.LoadLayout("hgb-266")
		isO.Layout, _ = reporting.LoadLayout("hgb-275")
	}
	cfO := o
	cfO.Compare = reporting.Monthly
	bankCode := map[string]string{"de": "1200", "en": "1120"}[b.lang]
	var out []reporting.Report
	for _, f := range []func() (reporting.Report, error){
		func() (reporting.Report, error) { return reporting.TrialBalance(ctx, b.l, b.id, o) },
		func() (reporting.Report, error) { return reporting.BalanceSheet(ctx, b.l, b.id, bsO) },
		func() (reporting.Report, error) { return reporting.IncomeStatement(ctx, b.l, b.id, isO) },
		func() (reporting.Report, error) { return reporting.CashFlow(ctx, b.l, b.id, cfO) },
		func() (reporting.Report, error) { return reporting.AccountStatement(ctx, b.l, b.id, bankCode, o) },
		func() (reporting.Report, error) { return reporting.GeneralLedger(ctx, b.l, b.id, o) },
	} {
		r, err := f()
		if err != nil {
			t.Fatal(err)
		}
		if r.Language != b.lang {
			t.Fatalf("%s in %q, want %q", r.Kind, r.Language, b.lang)
		}
		out = append(out, r)
	}
	return out
}

// charts are the workbook's charts: revenue, expenses and result by month
// (IS rows by line), the balance sheet's composition and the cash position
// at each month end.
func charts(t *testing.T, lang string, rs []reporting.Report) *xlsx.Options {
	t.Helper()
	bs, is, cf := rs[1], rs[2], rs[3]
	rowsOf := func(r reporting.Report, ids ...string) []int {
		var out []int
		for _, id := range ids {
			if i := r.LineRow(id); i >= 0 {
				out = append(out, i)
			} else {
				t.Fatalf("%s has no line %s", r.Kind, id)
			}
		}
		return out
	}
	o := &xlsx.Options{}
	msg := reporting.MessagesFor(lang)
	if lang == "de" {
		m := rowsOf(is, "GuV.1", "GuV.8", "GuV.17")
		o.Monthly = &xlsx.MonthlyChart{Report: 2, Revenue: m[0], Expenses: m[1], Result: m[2]}
		o.Composition = &xlsx.CompositionChart{Report: 1, Column: 1, Assets: rowsOf(bs, "A", "B"), Liabilities: rowsOf(bs, "P.A", "P.C")}
	} else {
		m := rowsOf(is, "revenue", "operating_expenses", "net_income")
		o.Monthly = &xlsx.MonthlyChart{Report: 2, Revenue: m[0], Expenses: m[1], Result: m[2]}
		o.Composition = &xlsx.CompositionChart{Report: 1, Column: 1, Assets: rowsOf(bs, "current_assets", "fixed_assets"), Liabilities: rowsOf(bs, "liabilities", "equity")}
	}
	o.Series = []xlsx.SeriesChart{{Report: 3, Type: xlsx.LineChart, Rows: rowsOf(cf, "cash_end"),
		Title: msg.Sprintf("Cash position at month end (%s)", cf.Currency.Code())}}
	return o
}

// converted is a workbook and the text of its PDF.
type converted struct {
	name    string
	lang    string
	reports []reporting.Report
	xlsx    []byte
	pdf     string // path
	text    string // pdftotext -layout
}

// TestPDF renders a demo workbook (every report and the charts) and a
// workbook of each single report, of a German (SKR03), an English and a US
// book, through LibreOffice to PDF and PNG, and checks the printout: no ###,
// no label cut, A4 (Letter for the US book), nothing smaller than 8 pt, one
// font family (no serif fallback), the frame in the book's language only,
// and every chart series pointing at value cells equal to the report's.
func TestPDF(t *testing.T) {
	bin := soffice(t)
	dir := t.TempDir()
	if keep := os.Getenv("BACKOFFICE_TEST_KEEP_PDF"); keep != "" { // to look at the printouts
		dir = keep
	}
	var all []*converted
	books := []book{newBook(t, "de", money.EUR), newBook(t, "en", money.EUR), newBook(t, "en", money.USD)}
	for k, b := range books {
		rs := b.reports(t)
		prefix := b.lang
		if b.currency == money.USD {
			prefix = "us"
		}
		var demo bytes.Buffer
		if err := xlsx.Write(&demo, rs, charts(t, b.lang, rs)); err != nil {
			t.Fatal(err)
		}
		all = append(all, &converted{name: prefix + "-demo", lang: b.lang, reports: rs, xlsx: demo.Bytes()})
		if k == 2 {
			continue // the US book: the demo workbook for its paper
		}
		for _, r := range rs {
			var one bytes.Buffer
			if err := xlsx.Write(&one, []reporting.Report{r}, nil); err != nil {
				t.Fatal(err)
			}
			all = append(all, &converted{name: prefix + "-" + string(r.Kind), lang: b.lang, reports: []reporting.Report{r}, xlsx: one.Bytes()})
		}
	}
	// One LibreOffice run per language (its locale formats the numbers).
	for _, lang := range []string{"de", "en"} {
		var files []string
		for _, c := range all {
			if c.lang == lang {
				p := filepath.Join(dir, c.name+".xlsx")
				if err := os.WriteFile(p, c.xlsx, 0o644); err != nil {
					t.Fatal(err)
				}
				files = append(files, p)
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		err := pdf.Convert(ctx, &pdf.Options{Soffice: bin, Locale: reporting.MessagesFor(lang).Locale(), TmpDir: dir}, dir, files...)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range all {
		c.pdf = filepath.Join(dir, c.name+".pdf")
		c.text = run(t, "pdftotext", "-layout", c.pdf, "-")
	}

	for _, c := range all {
		t.Run(c.name, func(t *testing.T) {
			checkPaper(t, c)
			checkText(t, c)
			checkFonts(t, c)
			if !strings.HasSuffix(c.name, "demo") {
				checkFontSize(t, c) // the charts' axes are smaller, the sheets are the same
			}
			checkLanguage(t, c)
			if strings.HasSuffix(c.name, "demo") {
				checkCharts(t, c)
			}
		})
	}

	// Reference pages for a reviewer, small: -update rewrites them.
	for _, ref := range []struct {
		name string
		page int
	}{
		{"de-balance-sheet", 1}, {"de-income-statement", 1}, {"de-income-statement", 2}, {"en-demo", 0}, {"de-trial-balance", 1},
	} {
		c := find(all, ref.name)
		page := ref.page
		if page == 0 { // the charts: the demo's last page
			page = pages(t, c.pdf)
		}
		base := filepath.Join(dir, fmt.Sprintf("%s-p%d", ref.name, page))
		run(t, "pdftoppm", "-png", "-singlefile", "-f", strconv.Itoa(page), "-l", strconv.Itoa(page), "-scale-to", "640", "-aa", "yes", c.pdf, base)
		got, err := os.ReadFile(base + ".png")
		if err != nil || len(got) < 1000 {
			t.Fatalf("pdftoppm rendered no page %d of %s: %v", page, c.name, err)
		}
		want := filepath.Join("testdata", filepath.Base(base)+".png")
		if *update {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(want, got, 0o644); err != nil {
				t.Fatal(err)
			}
		} else if _, err := os.Stat(want); err != nil {
			t.Errorf("no reference page %s (go test ./reporting/pdf -update)", want)
		}
	}
}

func find(all []*converted, name string) *converted {
	for _, c := range all {
		if c.name == name {
			return c
		}
	}
	panic("no workbook " + name)
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(out)
}

var pagesRe = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)

func pages(t *testing.T, path string) int {
	m := pagesRe.FindStringSubmatch(run(t, "pdfinfo", path))
	n, _ := strconv.Atoi(m[1])
	return n
}

var sizeRe = regexp.MustCompile(`Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts`)

// checkPaper checks every page is A4, or US Letter for a book in US
// dollars, in either orientation.
func checkPaper(t *testing.T, c *converted) {
	t.Helper()
	info := run(t, "pdfinfo", "-f", "1", "-l", "999", c.pdf)
	want := [2]float64{595, 842}
	if c.reports[0].Currency == money.USD {
		want = [2]float64{612, 792}
	}
	n := 0
	for _, m := range sizeRe.FindAllStringSubmatch(info, -1) {
		n++
		w, _ := strconv.ParseFloat(m[1], 64)
		h, _ := strconv.ParseFloat(m[2], 64)
		if w > h {
			w, h = h, w
		}
		if int(w+0.5) != int(want[0]) || int(h+0.5) != int(want[1]) {
			t.Errorf("page %d is %s x %s pt, want %v", n, m[1], m[2], want)
		}
	}
	if n == 0 {
		t.Fatalf("no pages in %s", info)
	}
}

// squash folds runs of white space into one blank.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// checkText checks that no cell shows ### and that every label of the
// report frame — title, headings, the rows' labels, the checks — is printed
// whole (a label cut by its column would be missing).
func checkText(t *testing.T, c *converted) {
	t.Helper()
	if strings.Contains(c.text, "###") {
		for _, l := range strings.Split(c.text, "\n") {
			if strings.Contains(l, "###") {
				t.Errorf("### in %q", strings.TrimSpace(l))
			}
		}
	}
	text := squash(c.text)
	lines := map[string]bool{}
	for _, l := range strings.Split(c.text, "\n") {
		lines[squash(l)] = true
	}
	var missing []string
	for _, r := range c.reports {
		labels := []string{r.Title}
		for _, col := range r.Columns {
			labels = append(labels, col.Label)
		}
		for _, row := range r.Rows {
			labels = append(labels, row.Label)
			for j, col := range r.Columns {
				if col.Kind == reporting.TextColumn && col.Key != "label" && j < len(row.Cells) {
					labels = append(labels, row.Cells[j].Text)
				}
			}
		}
		for _, ch := range r.Checks {
			labels = append(labels, ch.Label)
		}
		for _, l := range labels {
			l = squash(l)
			if l == "" {
				continue
			}
			if len([]rune(l)) > 58 {
				// Wraps in its cell: its words are printed in order
				// over two lines; check the first and last words.
				w := strings.Fields(l)
				l = w[0] + " " + w[1]
				if !strings.Contains(text, l) || !strings.Contains(text, strings.Join(w[len(w)-2:], " ")) {
					missing = append(missing, l+"…")
				}
				continue
			}
			if !strings.Contains(text, l) {
				missing = append(missing, l)
			}
		}
	}
	if len(missing) > 0 && os.Getenv("PDF_DEBUG") != "" {
		t.Log(c.text)
	}
	if len(missing) > 0 {
		t.Errorf("%d labels not printed whole, such as %q", len(missing), missing[:min(len(missing), 8)])
	}
}

// checkFonts checks the PDF uses the sans-serif font of the workbook
// (Arial, drawn as Liberation Sans) and no serif fallback.
func checkFonts(t *testing.T, c *converted) {
	t.Helper()
	fonts := run(t, "pdffonts", c.pdf)
	for _, l := range strings.Split(fonts, "\n")[2:] {
		f := strings.Fields(l)
		if len(f) == 0 {
			continue
		}
		if strings.Contains(f[0], "Serif") && !strings.Contains(f[0], "Sans") || strings.Contains(f[0], "Times") {
			t.Errorf("serif font %s", f[0])
		}
	}
}

var wordBox = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)

// checkFontSize checks that no word is printed smaller than 8 pt: a word's
// box is about 1.15 times the font size high.
func checkFontSize(t *testing.T, c *converted) {
	t.Helper()
	out := run(t, "pdftotext", "-bbox", c.pdf, "-")
	smallest, word := 100.0, ""
	for _, m := range wordBox.FindAllStringSubmatch(out, -1) {
		y0, _ := strconv.ParseFloat(m[2], 64)
		y1, _ := strconv.ParseFloat(m[4], 64)
		if h := y1 - y0; h < smallest {
			smallest, word = h, html.UnescapeString(m[5])
		}
	}
	if smallest < 8*1.1 {
		t.Errorf("word %q printed %.1f pt high: smaller than 8 pt", word, smallest)
	}
}

// checkLanguage checks the PDF shows no word of the other language's
// frame, and numbers and dates in its own format.
func checkLanguage(t *testing.T, c *converted) {
	t.Helper()
	other := map[string]string{"de": "en", "en": "de"}[c.lang]
	mine, theirs := reporting.MessagesFor(c.lang), reporting.MessagesFor(other)
	var bad []string
	for _, k := range theirs.Keys() {
		if strings.HasPrefix(k, "@") || strings.HasPrefix(k, "sheet:") || strings.Contains(k, "%") {
			continue
		}
		w := theirs.Text(k)
		if w == mine.Text(k) || len(w) < 4 {
			continue
		}
		if regexp.MustCompile(`(^|[^\pL])` + regexp.QuoteMeta(w) + `($|[^\pL])`).MatchString(c.text) {
			bad = append(bad, w)
		}
	}
	if len(bad) > 0 {
		t.Errorf("the %s printout shows words of the %s frame: %q", c.lang, other, bad)
	}
	date, number := `31\.12\.2025`, `\d\.\d{3},\d\d`
	if c.lang == "en" {
		date, number = `2025-12-31`, `\d,\d{3}\.\d\d`
	}
	if !regexp.MustCompile(number).MatchString(c.text) {
		t.Errorf("no amount formatted like %s", number)
	}
	if !regexp.MustCompile(date).MatchString(c.text) && c.reports[0].Kind != reporting.IncomeStatementReport {
		t.Errorf("no date formatted like %s", date)
	}
}

var (
	drawingRel = regexp.MustCompile(`Target="\.\./drawings/(drawing\d+\.xml)"`)
	chartRel   = regexp.MustCompile(`Target="\.\./charts/(chart\d+\.xml)"`)
	valRef     = regexp.MustCompile(`<(?:c:)?val><(?:c:)?numRef><(?:c:)?f>([^<]*)</(?:c:)?f>`)
	cellRef    = regexp.MustCompile(`^'((?:[^']|'')+)'!\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$`)
)

// checkCharts follows every chart series of the demo workbook to its
// values: the cells of the Charts sheet, their formulas to a report sheet,
// and there to an amount cell that is no heading's, and compares each with
// the report's amount. The months' chart must have no total point.
func checkCharts(t *testing.T, c *converted) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(c.xlsx))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	chartsName := sheets[len(sheets)-1]
	path := ""
	for k, name := range f.GetSheetMap() {
		if name == chartsName {
			path = fmt.Sprintf("xl/worksheets/_rels/sheet%d.xml.rels", k)
		}
	}
	rels, _ := f.Pkg.Load(path)
	series, nonzero := 0, 0
	for _, d := range drawingRel.FindAllStringSubmatch(string(rels.([]byte)), -1) {
		drels, _ := f.Pkg.Load("xl/drawings/_rels/" + d[1] + ".rels")
		for _, ch := range chartRel.FindAllStringSubmatch(string(drels.([]byte)), -1) {
			x, _ := f.Pkg.Load("xl/charts/" + ch[1])
			for _, v := range valRef.FindAllStringSubmatch(string(x.([]byte)), -1) {
				series++
				m := cellRef.FindStringSubmatch(html.UnescapeString(v[1]))
				if m == nil || strings.ReplaceAll(m[1], "''", "'") != chartsName {
					t.Errorf("series values %s are not cells of %s", v[1], chartsName)
					continue
				}
				r0, _ := strconv.Atoi(m[3])
				r1, c1 := r0, m[2]
				if m[4] != "" {
					r1, _ = strconv.Atoi(m[5])
					c1 = m[4]
				}
				x0, _ := excelize.ColumnNameToNumber(m[2])
				x1, _ := excelize.ColumnNameToNumber(c1)
				for r := r0; r <= r1; r++ {
					for x := x0; x <= x1; x++ {
						ref, _ := excelize.CoordinatesToCellName(x, r)
						if label, _ := f.GetCellValue(chartsName, fmt.Sprintf("A%d", r)); label == reporting.MessagesFor(c.lang).Text("Total") {
							t.Errorf("%s: a total point in a chart of months", ref)
						}
						formula, _ := f.GetCellFormula(chartsName, ref)
						if formula == "" {
							continue // the empty side of a composition segment
						}
						if checkPoint(t, f, c, ref, formula) {
							nonzero++
						}
					}
				}
			}
		}
	}
	if series < 6 || nonzero < 30 {
		t.Errorf("%d series with %d non-zero points: want the monthly, composition and cash charts", series, nonzero)
	}
}

// checkPoint follows one chart data cell to the report cell it shows and
// reports whether the value is non-zero.
func checkPoint(t *testing.T, f *excelize.File, c *converted, ref, formula string) bool {
	t.Helper()
	m := cellRef.FindStringSubmatch(formula)
	if m == nil {
		t.Errorf("%s = %s: not a reference to a report cell", ref, formula)
		return false
	}
	sheet := strings.ReplaceAll(m[1], "''", "'")
	k := -1
	for i, s := range f.GetSheetList() {
		if s == sheet {
			k = i
		}
	}
	if k < 0 || k >= len(c.reports) {
		t.Errorf("%s = %s: no report sheet", ref, formula)
		return false
	}
	r := c.reports[k]
	row, _ := strconv.Atoi(m[3])
	col, _ := excelize.ColumnNameToNumber(m[2])
	i := row - xlsx.HeaderRows - 2
	if i < 0 || i >= len(r.Rows) || col-1 >= len(r.Columns) {
		t.Errorf("%s = %s: outside the report's rows", ref, formula)
		return false
	}
	rrow := r.Rows[i]
	if rrow.Kind == reporting.HeadingRow {
		t.Errorf("%s = %s: points at heading %q, which has no amounts", ref, formula, rrow.Label)
		return false
	}
	cell := rrow.Cells[col-1]
	want := cell.Amount.Number()
	got, _ := f.GetCellValue(sheet, m[2]+m[3], excelize.Options{RawCellValue: true})
	shown, _ := f.GetCellValue(f.GetSheetList()[len(f.GetSheetList())-1], ref, excelize.Options{RawCellValue: true})
	if !sameNumber(got, want) || !sameNumber(shown, want) {
		t.Errorf("%s = %s shows %s (report cell %s), want %s: %s of %s", ref, formula, shown, got, want, r.Columns[col-1].Label, rrow.Label)
	}
	return !cell.Amount.IsZero()
}

func sameNumber(a, b string) bool {
	x, err1 := decimal.NewFromString(strings.TrimSpace(a))
	y, err2 := decimal.NewFromString(strings.TrimSpace(b))
	if err1 != nil || err2 != nil {
		return strings.TrimSpace(a) == strings.TrimSpace(b)
	}
	return x.Equal(y)
}

// TestNoLibreOffice: without LibreOffice, Write fails with
// ErrNoLibreOffice and writes nothing.
func TestNoLibreOffice(t *testing.T) {
	var out bytes.Buffer
	err := pdf.Write(context.Background(), &out, nil, &pdf.Options{Soffice: filepath.Join(t.TempDir(), "no-soffice")})
	if !errors.Is(err, pdf.ErrNoLibreOffice) || out.Len() > 0 {
		t.Errorf("Write = %v and %d bytes, want ErrNoLibreOffice and none", err, out.Len())
	}
	t.Setenv("PATH", t.TempDir())
	if err := pdf.Write(context.Background(), &out, nil, nil); !errors.Is(err, pdf.ErrNoLibreOffice) {
		t.Errorf("Write without soffice on the PATH = %v, want ErrNoLibreOffice", err)
	}
}
