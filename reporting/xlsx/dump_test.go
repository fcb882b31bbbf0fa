package xlsx_test

import (
	"bytes"
	"flag"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// openBook reads a workbook written by the package back with excelize.
func openBook(t testing.TB, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("open workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// dumpSheet describes one sheet as text, a line per fact: the sheet
// settings (frozen panes, merged cells, column widths, page setup, defined
// names, charts), then every cell that has a value, a formula or a style:
//
//	D12 n "1234.56" =SUM(D9:D11) fmt="#,##0.00;[Red]-#,##0.00" bold indent=1
//
// with the cell's type (n number, s string, b blank), its raw value, its
// formula, and the number format, bold, indentation, fill and borders of
// its style.
func dumpSheet(t testing.TB, f *excelize.File, sheet string) []string {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("dump %q: %v", sheet, err)
		}
	}
	var out []string
	add := func(format string, a ...any) { out = append(out, fmt.Sprintf(format, a...)) }
	add("sheet %q", sheet)

	panes, err := f.GetPanes(sheet)
	must(err)
	if panes.Freeze {
		add("freeze x=%d y=%d top-left=%s", panes.XSplit, panes.YSplit, panes.TopLeftCell)
	}
	merged, err := f.GetMergeCells(sheet)
	must(err)
	hidden := make(map[string]bool) // cells under a merged cell
	for _, m := range merged {
		add("merge %s:%s", m.GetStartAxis(), m.GetEndAxis())
		c0, r0, _ := excelize.CellNameToCoordinates(m.GetStartAxis())
		c1, r1, _ := excelize.CellNameToCoordinates(m.GetEndAxis())
		for r := r0; r <= r1; r++ {
			for c := c0; c <= c1; c++ {
				if r != r0 || c != c0 {
					ref, _ := excelize.CoordinatesToCellName(c, r)
					hidden[ref] = true
				}
			}
		}
	}
	props, err := f.GetSheetProps(sheet)
	must(err)
	layout, err := f.GetPageLayout(sheet)
	must(err)
	add("page paper=%d orientation=%s fit-to-page=%v fit-width=%d fit-height=%d scale=%d",
		deref(layout.Size), deref(layout.Orientation), deref(props.FitToPage), deref(layout.FitToWidth), deref(layout.FitToHeight), deref(layout.AdjustTo))
	hf, err := f.GetHeaderFooter(sheet)
	must(err)
	if hf != nil && hf.OddHeader != "" {
		add("header %q", hf.OddHeader)
	}
	if hf != nil && hf.OddFooter != "" {
		add("footer %q", hf.OddFooter)
	}
	if breaks := rowBreaks(f, sheet); len(breaks) > 0 {
		add("page breaks before rows %v", breaks)
	}
	for _, dn := range f.GetDefinedName() {
		if dn.Scope == sheet {
			add("name %s = %s", dn.Name, dn.RefersTo)
		}
	}

	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	must(err)
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	var widths []string
	for c := 1; c <= width; c++ {
		name, _ := excelize.ColumnNumberToName(c)
		w, err := f.GetColWidth(sheet, name)
		must(err)
		widths = append(widths, fmt.Sprintf("%s=%g", name, w))
	}
	add("widths %s", strings.Join(widths, " "))

	for r := 1; r <= len(rows); r++ {
		for c := 1; c <= width; c++ {
			ref, _ := excelize.CoordinatesToCellName(c, r)
			if hidden[ref] {
				continue
			}
			line := dumpCell(t, f, sheet, ref)
			if line != "" {
				out = append(out, line)
			}
		}
	}
	out = append(out, dumpCharts(t, f, sheet)...)
	return out
}

var rowBreak = regexp.MustCompile(`<brk id="(\d+)"`)

// rowBreaks returns the sheet rows that start a new page by a manual break.
func rowBreaks(f *excelize.File, sheet string) []int {
	var out []int
	for k, name := range f.GetSheetMap() {
		if name != sheet {
			continue
		}
		x, ok := f.Pkg.Load(fmt.Sprintf("xl/worksheets/sheet%d.xml", k))
		if !ok {
			continue
		}
		xml := string(x.([]byte))
		if i := strings.Index(xml, "<rowBreaks"); i >= 0 {
			j := strings.Index(xml[i:], "</rowBreaks>")
			for _, m := range rowBreak.FindAllStringSubmatch(xml[i:i+j], -1) {
				n, _ := strconv.Atoi(m[1])
				out = append(out, n+1)
			}
		}
	}
	return out
}

// dumpCell describes one cell, or returns "" for a cell without value,
// formula and style.
func dumpCell(t testing.TB, f *excelize.File, sheet, ref string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	formula, err := f.GetCellFormula(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	sid, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	if v == "" && formula == "" && sid == 0 {
		return ""
	}
	typ, err := f.GetCellType(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	kind := map[excelize.CellType]string{
		excelize.CellTypeUnset: "n", excelize.CellTypeNumber: "n", excelize.CellTypeInlineString: "s",
		excelize.CellTypeSharedString: "s", excelize.CellTypeFormula: "f", excelize.CellTypeBool: "b",
	}[typ]
	if v == "" && formula == "" {
		kind = "-"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %q", ref, kind, v)
	if formula != "" {
		fmt.Fprintf(&b, " =%s", formula)
	}
	b.WriteString(dumpStyle(t, f, sid))
	return b.String()
}

// dumpStyle describes a cell style: number format, bold, indentation,
// fill and borders.
func dumpStyle(t testing.TB, f *excelize.File, id int) string {
	t.Helper()
	if id == 0 {
		return ""
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	switch {
	case st.CustomNumFmt != nil:
		fmt.Fprintf(&b, " fmt=%q", *st.CustomNumFmt)
	case st.NumFmt == 49:
		b.WriteString(` fmt="@"`)
	case st.NumFmt != 0:
		fmt.Fprintf(&b, " fmt=%d", st.NumFmt)
	}
	if st.Font != nil && st.Font.Bold {
		b.WriteString(" bold")
	}
	if st.Font != nil && st.Font.Size != 0 && st.Font.Size != 11 {
		fmt.Fprintf(&b, " size=%g", st.Font.Size)
	}
	if st.Font != nil && st.Font.Color != "" {
		fmt.Fprintf(&b, " color=%s", st.Font.Color)
	}
	if a := st.Alignment; a != nil {
		if a.Indent != 0 {
			fmt.Fprintf(&b, " indent=%d", a.Indent)
		}
		if a.Horizontal != "" {
			fmt.Fprintf(&b, " align=%s", a.Horizontal)
		}
		if a.WrapText {
			b.WriteString(" wrap")
		}
	}
	if len(st.Fill.Color) > 0 {
		fmt.Fprintf(&b, " fill=%s", strings.Join(st.Fill.Color, ","))
	}
	for _, br := range st.Border {
		fmt.Fprintf(&b, " border-%s=%d", br.Type, br.Style)
	}
	return b.String()
}

var (
	drawingRel = regexp.MustCompile(`Target="\.\./drawings/(drawing\d+\.xml)"`)
	chartRel   = regexp.MustCompile(`Target="\.\./charts/(chart\d+\.xml)"`)
	chartPart  = regexp.MustCompile(`<(barChart|lineChart)>|<barDir val="(\w+)">|<grouping val="(\w+)">|<f>([^<]*)</f>|<a:t>([^<]*)</a:t>`)
)

// dumpCharts describes the charts of a sheet from their XML parts: chart
// types, grouping, titles and the cell references of every series.
func dumpCharts(t testing.TB, f *excelize.File, sheet string) []string {
	t.Helper()
	path := ""
	for k, name := range f.GetSheetMap() {
		if name == sheet {
			path = fmt.Sprintf("xl/worksheets/_rels/sheet%d.xml.rels", k)
		}
	}
	rels, ok := f.Pkg.Load(path)
	if !ok {
		return nil
	}
	var out []string
	for _, d := range drawingRel.FindAllStringSubmatch(string(rels.([]byte)), -1) {
		drels, ok := f.Pkg.Load("xl/drawings/_rels/" + d[1] + ".rels")
		if !ok {
			continue
		}
		for _, c := range chartRel.FindAllStringSubmatch(string(drels.([]byte)), -1) {
			x, _ := f.Pkg.Load("xl/charts/" + c[1])
			var parts []string
			for _, m := range chartPart.FindAllStringSubmatch(string(x.([]byte)), -1) {
				switch {
				case m[1] != "":
					parts = append(parts, m[1])
				case m[2] != "":
					parts = append(parts, "dir="+m[2])
				case m[3] != "":
					parts = append(parts, "grouping="+m[3])
				case m[4] != "":
					parts = append(parts, html.UnescapeString(m[4]))
				case m[5] != "":
					parts = append(parts, fmt.Sprintf("title=%q", m[5]))
				}
			}
			out = append(out, "chart "+strings.Join(parts, " "))
		}
	}
	return out
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// checkGolden compares the dump of every sheet of the workbook with
// testdata/<dir>/<sheet>.txt, or rewrites those files with -update.
func checkGolden(t *testing.T, dir string, book []byte) {
	t.Helper()
	f := openBook(t, book)
	sheets := f.GetSheetList()
	dir = filepath.Join("testdata", dir)
	if *update {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var files []string
	for _, s := range sheets {
		got := dumpSheet(t, f, s)
		file := filepath.Join(dir, goldenName(s))
		files = append(files, filepath.Base(file))
		if *update {
			if err := os.WriteFile(file, []byte(strings.Join(got, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("%v (run go test ./reporting/xlsx -update)", err)
		}
		want := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("sheet %q differs from %s (-want +got):\n%s", s, file, diff)
		}
	}
	// No golden file of a sheet that is gone.
	entries, _ := os.ReadDir(dir)
	var have []string
	for _, e := range entries {
		have = append(have, e.Name())
	}
	slices.Sort(files)
	if diff := cmp.Diff(have, files); diff != "" {
		t.Errorf("golden files in %s (-have +sheets):\n%s", dir, diff)
	}
}

// goldenName returns the golden file name of a sheet.
func goldenName(sheet string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '(' || r == ')' {
			return '-'
		}
		return r
	}, strings.ToLower(sheet)) + ".txt"
}
