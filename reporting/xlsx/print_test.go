package xlsx_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/reporting"
	"github.com/openbackoffice/backoffice/reporting/xlsx"
)

// write renders reports and opens the workbook.
func write(t *testing.T, reports []reporting.Report, opts *xlsx.Options) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := xlsx.Write(&buf, reports, opts); err != nil {
		t.Fatal(err)
	}
	return openBook(t, buf.Bytes())
}

// TestStyles: every style names its font (a bold style without one is
// drawn in LibreOffice's serif fallback), and every indented cell is
// aligned left (an indent without an alignment is ignored).
func TestStyles(t *testing.T) {
	f := openBook(t, books(t))
	for _, sheet := range f.GetSheetList() {
		rows, _ := f.GetRows(sheet)
		for r := range rows {
			for c := range rows[r] {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				id, _ := f.GetCellStyle(sheet, ref)
				if id == 0 {
					continue
				}
				st, err := f.GetStyle(id)
				if err != nil {
					t.Fatal(err)
				}
				if st.Font == nil || st.Font.Family == "" {
					t.Errorf("%s!%s: style without a font name", sheet, ref)
				}
				if a := st.Alignment; a != nil && a.Indent > 0 && a.Horizontal != "left" {
					t.Errorf("%s!%s: indent %d aligned %q, want left", sheet, ref, a.Indent, a.Horizontal)
				}
			}
		}
	}
}

// TestPageSetup: A4 but for books in US dollars, which print on Letter; a
// wide sheet (14 monthly columns) is not squeezed onto one page width but
// printed at ≥ 80 % across pages, repeating its first column and headings;
// the page header names company, report and period.
func TestPageSetup(t *testing.T) {
	wide := incomeStatement()
	wide.Columns = wide.Columns[:1]
	for k := range wide.Rows {
		wide.Rows[k].Cells = wide.Rows[k].Cells[:1]
	}
	for m := 0; m < 13; m++ {
		from := date.New(2026, 1, 1).AddMonths(m)
		wide.Columns = append(wide.Columns, reporting.Column{Key: fmt.Sprint(m), Label: from.String()[:7], Kind: reporting.AmountColumn})
		for k, row := range incomeStatement().Rows {
			wide.Rows[k].Cells = append(wide.Rows[k].Cells, row.Cells[1+m%6])
		}
	}
	usd := trialBalance()
	usd.Title = "Trial balance USD"
	usd.Currency = money.USD
	for i := range usd.Rows {
		for j := range usd.Rows[i].Cells {
			if c := &usd.Rows[i].Cells[j]; !c.Blank && j >= 2 {
				c.Amount = money.MustParse(c.Amount.Number(), money.USD)
			}
		}
	}
	usd.Checks = nil
	f := write(t, []reporting.Report{trialBalance(), wide, usd}, nil)
	tests := []struct {
		sheet       string
		paper       int
		orientation string
		fit         bool
		scale       uint
	}{
		{"Trial balance", 9, "landscape", true, 100},
		{"Income statement", 9, "landscape", false, 80},
		{"Trial balance USD", 1, "landscape", true, 100},
	}
	for _, tt := range tests {
		l, err := f.GetPageLayout(tt.sheet)
		if err != nil {
			t.Fatal(err)
		}
		props, _ := f.GetSheetProps(tt.sheet)
		got := fmt.Sprint(deref(l.Size), deref(l.Orientation), deref(props.FitToPage))
		want := fmt.Sprint(tt.paper, tt.orientation, tt.fit)
		if got != want {
			t.Errorf("%s: paper, orientation, fit %s, want %s", tt.sheet, got, want)
		}
		if !tt.fit && deref(l.AdjustTo) < tt.scale {
			t.Errorf("%s: printed at %d %%, want ≥ %d %% (8 pt)", tt.sheet, deref(l.AdjustTo), tt.scale)
		}
		hf, _ := f.GetHeaderFooter(tt.sheet)
		if !strings.Contains(hf.OddHeader, "Muster GmbH") || !strings.Contains(hf.OddHeader, tt.sheet) || !strings.Contains(hf.OddFooter, "&P") {
			t.Errorf("%s: header %q footer %q", tt.sheet, hf.OddHeader, hf.OddFooter)
		}
	}
	var titles string
	for _, dn := range f.GetDefinedName() {
		if dn.Scope == "Income statement" && dn.Name == "_xlnm.Print_Titles" {
			titles = dn.RefersTo
		}
	}
	if titles != "'Income statement'!$A:$A,'Income statement'!$8:$8" {
		t.Errorf("print titles %q, want the first column and the headings", titles)
	}
}

// TestChecksFit: the checks' amounts and verdicts are in columns wide
// enough for them (no ###), and the label has the width of the text
// columns it spans.
func TestChecksFit(t *testing.T) {
	bs := balanceSheet() // one amount column would leave the right amount in a default-width column
	bs.Columns, bs.Rows = bs.Columns[:3], append([]reporting.Row(nil), bs.Rows...)
	for k := range bs.Rows {
		bs.Rows[k].Cells = bs.Rows[k].Cells[:3]
	}
	bs.Checks[0].Label = "Assets = equity and liabilities, as the law wants it, at the end of the year"
	f := write(t, []reporting.Report{bs, trialBalance()}, nil)
	for _, sheet := range f.GetSheetList() {
		rows, _ := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		for r, row := range rows {
			for c, v := range row {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				col, _ := excelize.ColumnNumberToName(c + 1)
				w, _ := f.GetColWidth(sheet, col)
				shown, _ := f.GetCellValue(sheet, ref)
				if v == "" || r < 8 {
					continue
				}
				merged := 0.0
				for _, m := range mustMerged(t, f, sheet) {
					if m.GetStartAxis() == ref {
						x0, _, _ := excelize.CellNameToCoordinates(m.GetStartAxis())
						x1, _, _ := excelize.CellNameToCoordinates(m.GetEndAxis())
						for x := x0; x <= x1; x++ {
							n, _ := excelize.ColumnNumberToName(x)
							cw, _ := f.GetColWidth(sheet, n)
							merged += cw
						}
					}
				}
				if merged > 0 {
					w = merged
				}
				if h, _ := f.GetRowHeight(sheet, r+1); h > 20 {
					// Wraps, on a row as high as its lines.
					if lines := float64(len([]rune(shown)))/(w-1) + 1; h < lines*12.75 {
						t.Errorf("%s!%s %q wraps on a row %g pt high", sheet, ref, shown, h)
					}
					continue
				}
				if float64(len([]rune(shown)))+1 > w {
					t.Errorf("%s!%s %q does not fit its width %g", sheet, ref, shown, w)
				}
			}
		}
	}
}

func mustMerged(t *testing.T, f *excelize.File, sheet string) []excelize.MergeCell {
	m, err := f.GetMergeCells(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestChartPoints follows every data cell of the charts to the report cell
// it shows: no heading rows (which have no amounts), no total column among
// the months, and values equal to the report's.
func TestChartPoints(t *testing.T) {
	is := incomeStatement()
	is.Columns = append(is.Columns, reporting.Column{Key: "total", Label: "Total", Kind: reporting.AmountColumn})
	for k := range is.Rows {
		c := reporting.Cell{Blank: true}
		if is.Rows[k].Kind != reporting.HeadingRow {
			c = amt("1.00")
		}
		is.Rows[k].Cells = append(is.Rows[k].Cells, c)
	}
	// The rows of a total are the totals (the builders' Terms): keep the
	// fixture's sums right by charting only.
	var buf bytes.Buffer
	wb := xlsx.New(&xlsx.Options{
		Monthly:     &xlsx.MonthlyChart{Report: 1, Revenue: 3, Expenses: 9, Result: 10},
		Composition: &xlsx.CompositionChart{Report: 0, Column: 2, Assets: []int{3, 7}, Liabilities: []int{13, 14, 15}},
		Series:      []xlsx.SeriesChart{{Title: "Revenue", Report: 1, Type: xlsx.LineChart, Rows: []int{1}}, {Title: "Costs", Report: 1, Type: xlsx.BarChart, Rows: []int{5, 6, 7}, Columns: []int{1}, ByColumn: true}},
	})
	defer wb.Close()
	for _, r := range []reporting.Report{balanceSheet(), is} {
		r.Rows = append([]reporting.Row(nil), r.Rows...)
		for k := range r.Rows {
			r.Rows[k].Terms = nil // the added total column does not add up
		}
		if err := wb.AddReport(r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := wb.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	f := openBook(t, buf.Bytes())
	reports := []reporting.Report{balanceSheet(), is}
	points := 0
	rows, _ := f.GetRows("Charts")
	for r, row := range rows {
		for c := 1; c < len(row); c++ {
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			formula, _ := f.GetCellFormula("Charts", ref)
			if formula == "" {
				continue
			}
			points++
			sheet, cell, _ := strings.Cut(formula, "!")
			sheet = strings.Trim(sheet, "'")
			k := map[string]int{"Balance sheet": 0, "Income statement": 1}[sheet]
			x, y, _ := excelize.CellNameToCoordinates(cell)
			rr := reports[k].Rows[y-xlsx.HeaderRows-2]
			if rr.Kind == reporting.HeadingRow {
				t.Errorf("Charts!%s = %s: heading %q", ref, formula, rr.Label)
			}
			if reports[k].Columns[x-1].Key == "total" {
				t.Errorf("Charts!%s = %s: the total column", ref, formula)
			}
			got, _ := f.GetCellValue("Charts", ref, excelize.Options{RawCellValue: true})
			if want := rr.Cells[x-1].Amount; !sameNumber(t, got, want.Number()) {
				t.Errorf("Charts!%s = %s is %s, want %s", ref, formula, got, want.Number())
			}
		}
	}
	if points != 6*3+5+6+3 {
		t.Errorf("%d chart points, want 32", points)
	}
	if charts := dumpCharts(t, f, "Charts"); len(charts) != 4 {
		t.Errorf("%d charts, want 4: %v", len(charts), charts)
	}
}

// TestPayrollSheetName: a title longer than a sheet name gives way to the
// kind's short name, in the report's language.
func TestPayrollSheetName(t *testing.T) {
	reg := trialBalance()
	reg.Kind, reg.Title = reporting.PayrollRegisterReport, "Payroll register, pay date 2025-12-31"
	de := reg
	de.Language, de.Title = "de", "Lohnjournal, Zahltag 31.12.2025 (Korrekturlauf)"
	got := write(t, []reporting.Report{reg, de}, nil).GetSheetList()
	if want := []string{"Payroll register", "Lohnjournal"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("sheets %q, want %q", got, want)
	}
}
