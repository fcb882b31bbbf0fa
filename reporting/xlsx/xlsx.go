package xlsx

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"
	"unicode/utf16"

	"github.com/openbackoffice/backoffice/reporting"
	"github.com/xuri/excelize/v2"
)

// HeaderRows is the number of sheet rows above a report's column headings:
// the title, company, period, generation time, filter, currency and an
// empty row. The headings are on row HeaderRows+1 and report row i is on
// sheet row HeaderRows+2+i.
const HeaderRows = 7

// maxSheetRows is the number of rows of an Excel sheet.
const maxSheetRows = excelize.TotalRows

// Options configure a workbook. A nil *Options means the defaults: one
// sheet per report and no charts.
type Options struct {
	// Monthly, if not nil, charts revenue, expenses and result per month
	// on a "Charts" sheet.
	Monthly *MonthlyChart
	// Composition, if not nil, charts the composition of a balance sheet
	// on the "Charts" sheet.
	Composition *CompositionChart
	// Series are further charts on the "Charts" sheet, in order: the
	// cash position over the year, payroll cost by cost centre, ….
	Series []SeriesChart
	// Paper is the paper size the sheets print on, A4 or Letter; ""
	// means US Letter for a report in US dollars and A4 for any other.
	Paper string
	// TmpDir is where the rows of large sheets are buffered while the
	// workbook is built ("" is os.TempDir()).
	TmpDir string
}

// MonthlyChart names the rows of an income statement to chart per month: a
// clustered column chart of revenue and expenses with the result as a line,
// one category per amount column of the report (its Column.Label, such as
// "2026-01") but the total column ("total", which adds the months).
type MonthlyChart struct {
	// Report is the index of the income statement among the reports of
	// the workbook, in the order they were added (for Write, the index
	// into its reports). It must have been added with AddReport.
	Report int
	// Revenue, Expenses and Result are indexes into the report's Rows.
	// Their cells are charted as they are: a report that shows expenses
	// as negative numbers gets bars below the axis.
	Revenue, Expenses, Result int
}

// ChartType is the kind of a SeriesChart.
type ChartType uint8

// The chart types of a SeriesChart.
const (
	ColumnChart ChartType = iota // clustered columns
	LineChart                    // lines with markers
	BarChart                     // horizontal bars
)

// SeriesChart charts cells of a report: the amounts of Rows in Columns.
// With ByColumn false each row is a series over the columns (a line of the
// cash position over the months); with ByColumn true each column is a
// series over the rows (employer cost per cost centre).
type SeriesChart struct {
	// Title is the chart's title, in the report's language.
	Title string
	// Report is the index of the report among those of the workbook, as
	// for MonthlyChart. It must have been added with AddReport.
	Report int
	Type   ChartType
	// Rows are indexes into the report's Rows, Columns into its Columns
	// (amount columns); nil Columns means every amount column but one
	// keyed "total".
	Rows, Columns []int
	ByColumn      bool
}

// CompositionChart names the rows of a balance sheet to chart as two
// stacked columns, assets and equity and liabilities, each row one segment
// (typically the level-1 groups: fixed assets, current assets, …; equity,
// provisions, liabilities).
type CompositionChart struct {
	// Report is the index of the balance sheet among the reports of the
	// workbook, as for MonthlyChart. It must have been added with
	// AddReport.
	Report int
	// Column is the index into the report's Columns of the amount column
	// to chart (the current period, usually).
	Column int
	// Assets and Liabilities are indexes into the report's Rows: the
	// segments of the assets column and of the equity and liabilities
	// column.
	Assets, Liabilities []int
}

// Write renders reports as one workbook, a sheet per report in order (and a
// "Charts" sheet last if opts asks for charts), and writes it to w. Sheet
// names come from the report titles (or kinds), made valid and unique. A nil
// opts means the defaults. Write is safe for concurrent use.
func Write(w io.Writer, reports []reporting.Report, opts *Options) error {
	wb := New(opts)
	defer wb.Close()
	for _, r := range reports {
		if err := wb.AddReport(r); err != nil {
			return err
		}
	}
	_, err := wb.WriteTo(w)
	return err
}

// Workbook is an Excel workbook being built, a sheet per report. Each sheet
// is streamed: its rows are written as they are added and buffered in a
// temporary file (in Options.TmpDir) once they exceed 16 MiB, so a workbook
// of millions of rows needs little memory. Call Close when done (after WriteTo, too) to
// remove the temporary files.
//
// A Workbook is not safe for concurrent use.
type Workbook struct {
	f      *excelize.File
	opts   Options
	styles *styles
	names  map[string]bool // sheet names in use, upper-cased
	sheets []sheetInfo
	done   bool
}

// sheetInfo is what a Workbook keeps of a report it has written: enough to
// chart it.
type sheetInfo struct {
	name   string
	report reporting.Report // with Rows only if added by AddReport
	rows   bool             // report.Rows are the sheet's rows
	layout layout
}

// New returns an empty workbook. A nil opts means the defaults.
func New(opts *Options) *Workbook {
	wb := &Workbook{names: make(map[string]bool)}
	if opts != nil {
		wb.opts = *opts
	}
	wb.f = excelize.NewFile(excelize.Options{TmpDir: wb.opts.TmpDir})
	wb.f.SetDefaultFont(fontName) // the default style's font: Arial, not Calibri
	wb.styles = newStyles(wb.f)
	return wb
}

// AddReport adds r as the next sheet. Subtotal and total rows get formulas
// from their Terms, which AddReport checks add up to the values of the row
// (ErrTerms).
func (wb *Workbook) AddReport(r reporting.Report) error {
	return wb.add(r, slices.Values(r.Rows), r.Rows)
}

// AddRows adds a sheet for the report whose header (everything but Rows) is
// r and whose rows come from rows, in order. r.Rows is ignored. Row.Terms
// refer to the rows of the sequence by their position in it (0 is the first
// row yielded). Rows are written as they are yielded and not kept, so a
// sequence of millions of rows streams in bounded memory; the terms are
// turned into formulas but not checked against the values. A non-nil error
// yielded by rows stops the sheet and is returned, wrapped.
func (wb *Workbook) AddRows(r reporting.Report, rows iter.Seq2[reporting.Row, error]) error {
	r.Rows = nil
	var srcErr error
	seq := func(yield func(reporting.Row) bool) {
		for row, err := range rows {
			if err != nil {
				srcErr = err
				return
			}
			if !yield(row) {
				return
			}
		}
	}
	err := wb.add(r, seq, nil)
	if err == nil && srcErr != nil {
		err = fmt.Errorf("xlsx: rows of %s: %w", r.Kind, srcErr)
	}
	if srcErr != nil {
		// The sheet is incomplete; the workbook must not be written.
		wb.done = true
		wb.f.Close()
	}
	return err
}

// add writes one sheet. all, if not nil, is every row of the report (rows
// yields them), for checking terms.
func (wb *Workbook) add(r reporting.Report, rows iter.Seq[reporting.Row], all []reporting.Row) error {
	if wb.done {
		return ErrWritten
	}
	name := wb.sheetName(r)
	if len(wb.sheets) == 0 {
		if err := wb.f.SetSheetName("Sheet1", name); err != nil {
			return fmt.Errorf("xlsx: sheet %q: %w", name, err)
		}
	} else if _, err := wb.f.NewSheet(name); err != nil {
		return fmt.Errorf("xlsx: sheet %q: %w", name, err)
	}
	s := newSheetWriter(wb, name, r, all)
	err := s.write(rows)
	if err != nil {
		// A half-written stream cannot be taken back: the workbook is
		// unusable.
		wb.done = true
		wb.f.Close()
		var ce *CellError
		if errors.As(err, &ce) {
			return err
		}
		return fmt.Errorf("xlsx: sheet %q: %w", name, err)
	}
	info := sheetInfo{name: name, report: r, rows: all != nil, layout: s.layout}
	if all == nil {
		info.report.Rows = nil
	}
	wb.sheets = append(wb.sheets, info)
	return nil
}

// WriteTo adds the charts asked for by the options and writes the workbook
// to w. It fails with ErrNoReports if no report was added. After WriteTo
// the workbook takes no more reports.
func (wb *Workbook) WriteTo(w io.Writer) (int64, error) {
	if wb.done {
		return 0, ErrWritten
	}
	wb.done = true
	if len(wb.sheets) == 0 {
		return 0, ErrNoReports
	}
	if err := wb.addCharts(); err != nil {
		return 0, err
	}
	wb.f.SetActiveSheet(0)
	n, err := wb.f.WriteTo(w)
	if err != nil {
		return n, fmt.Errorf("xlsx: write workbook: %w", err)
	}
	return n, nil
}

// Close releases the workbook's temporary files. It is safe to call more
// than once, and after WriteTo.
func (wb *Workbook) Close() error {
	wb.done = true
	return wb.f.Close()
}

// sheetName returns a valid sheet name for r not yet used in the workbook,
// and reserves it: the title (or the kind), without the characters Excel
// forbids (: \ / ? * [ ]), without leading or trailing apostrophes, at most
// 31 UTF-16 units (a longer title is replaced by the catalogue's short name
// of the report's kind, "sheet:payroll-register", if it has one), and unique without regard to case (" (2)", " (3)", …).
func (wb *Workbook) sheetName(r reporting.Report) string {
	base := r.Title
	if strings.TrimSpace(base) == "" {
		base = string(r.Kind)
	}
	// A title too long for a sheet name gives way to the short name of its
	// kind in the report's language ("Payroll register", "Lohnjournal")
	// rather than being cut.
	if key := "sheet:" + string(r.Kind); utf16Len(base) > excelize.MaxSheetNameLength && reporting.MessagesFor(r.Language).Has(key) {
		base = reporting.MessagesFor(r.Language).Text(key)
	}
	base = strings.Map(func(c rune) rune {
		switch {
		case strings.ContainsRune(`:\/?*[]`, c):
			return '-'
		case c < ' ' || c == 0x7f:
			return ' '
		}
		return c
	}, base)
	base = strings.TrimSpace(strings.Trim(strings.TrimSpace(base), "'"))
	if base == "" {
		base = "Report"
	}
	if strings.EqualFold(base, "History") { // reserved by Excel
		base += " (report)"
	}
	name := truncateUTF16(base, excelize.MaxSheetNameLength)
	for i := 2; wb.names[strings.ToUpper(name)]; i++ {
		suffix := fmt.Sprintf(" (%d)", i)
		name = strings.TrimRight(truncateUTF16(base, excelize.MaxSheetNameLength-len(suffix)), " '") + suffix
	}
	wb.names[strings.ToUpper(name)] = true
	return name
}

// utf16Len returns the length of s in UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, c := range s {
		n += utf16.RuneLen(c)
	}
	return n
}

// truncateUTF16 cuts s to at most n UTF-16 code units, at a rune boundary.
func truncateUTF16(s string, n int) string {
	units := 0
	for i, c := range s {
		units += utf16.RuneLen(c)
		if units > n {
			return strings.TrimRight(s[:i], " '")
		}
	}
	return s
}
