package xlsx

import (
	"fmt"
	"strconv"

	"github.com/openbackoffice/backoffice/reporting"
	"github.com/xuri/excelize/v2"
)

// chartsSheet is the message key of the sheet holding the charts and their
// data.
const chartsSheet = "Charts"

// chartData is one row of a chart's data table on the Charts sheet: a label
// and cells that refer to report cells.
type chartData struct {
	label string
	refs  []chartRef // entries with !ok are empty cells
}

// chartRef is one data cell: a formula referring to a report cell and the
// value it has.
type chartRef struct {
	formula string
	value   any
	ok      bool
}

// chartBlock is one chart with its data table: the table's caption, its
// column headings and rows, and how to draw it.
type chartBlock struct {
	caption string
	heads   []string
	data    []chartData
	dec     int
	// draw returns the chart (and the charts combined with it) given the
	// sheet rows of the table's headings and of its first data row.
	draw func(q string, hr, first int) (*excelize.Chart, []*excelize.Chart)
}

// chartRows is the height of a chart in rows of the Charts sheet.
const chartRows = 20

// addCharts writes the Charts sheet if the options ask for charts: one
// block per chart, its data table at the left and the chart beside it, and
// a page break before each block so that no chart is split across pages.
func (wb *Workbook) addCharts() error {
	o := wb.opts
	if o.Monthly == nil && o.Composition == nil && len(o.Series) == 0 {
		return nil
	}
	msg := reporting.MessagesFor(wb.sheets[0].report.Language)
	// Check everything before the sheet exists.
	var blocks []chartBlock
	if m := o.Monthly; m != nil {
		b, err := wb.monthlyBlock(msg, *m)
		if err != nil {
			return err
		}
		blocks = append(blocks, b)
	}
	if c := o.Composition; c != nil {
		b, err := wb.compositionBlock(msg, *c)
		if err != nil {
			return err
		}
		blocks = append(blocks, b)
	}
	for _, sc := range o.Series {
		b, err := wb.seriesBlock(sc)
		if err != nil {
			return err
		}
		blocks = append(blocks, b)
	}
	name := wb.uniqueName(msg.Text(chartsSheet))
	if _, err := wb.f.NewSheet(name); err != nil {
		return fmt.Errorf("xlsx: sheet %q: %w", name, err)
	}
	fit := true
	if err := wb.f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	sw, err := wb.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	ncol := 1
	for _, b := range blocks {
		ncol = max(ncol, len(b.heads))
	}
	if err := sw.SetColWidth(1, 1, 30); err != nil {
		return err
	}
	if err := sw.SetColWidth(2, 1+ncol, 16); err != nil {
		return err
	}
	title, err := wb.styles.get(titleStyle)
	if err != nil {
		return err
	}
	head, err := wb.styles.cell(styleKey{col: reporting.AmountColumn, header: true})
	if err != nil {
		return err
	}
	text, err := wb.styles.cell(styleKey{col: reporting.TextColumn})
	if err != nil {
		return err
	}
	q := quoteSheet(name)
	type pending struct {
		cell  string
		chart *excelize.Chart
		combo []*excelize.Chart
	}
	var charts []pending
	var breaks []int
	row := 1
	for k, b := range blocks {
		if k > 0 {
			breaks = append(breaks, row)
		}
		start := row
		amount, err := wb.styles.cell(styleKey{col: reporting.AmountColumn, decimals: b.dec, lcid: msg.LCID()})
		if err != nil {
			return err
		}
		if err := sw.SetRow("A"+strconv.Itoa(row), []any{excelize.Cell{StyleID: title, Value: b.caption}}); err != nil {
			return err
		}
		row++
		hr := row
		vals := []any{excelize.Cell{StyleID: head}}
		for _, h := range b.heads {
			vals = append(vals, excelize.Cell{StyleID: head, Value: h})
		}
		if err := sw.SetRow("A"+strconv.Itoa(row), vals); err != nil {
			return err
		}
		row++
		first := row
		for _, d := range b.data {
			vals := []any{excelize.Cell{StyleID: text, Value: d.label}}
			for _, r := range d.refs {
				c := excelize.Cell{StyleID: amount}
				if r.ok {
					c.Formula, c.Value = r.formula, r.value
				}
				vals = append(vals, c)
			}
			if err := sw.SetRow("A"+strconv.Itoa(row), vals); err != nil {
				return err
			}
			row++
		}
		chart, combo := b.draw(q, hr, first)
		chart.Dimension = excelize.ChartDimension{Width: 640, Height: uint(chartRows * 20)}
		chart.VaryColors = new(bool)
		chart.YAxis.MajorGridLines = true
		chart.Legend.Position = "bottom"
		col, _ := excelize.ColumnNumberToName(ncol + 3)
		charts = append(charts, pending{cell: col + strconv.Itoa(start), chart: chart, combo: combo})
		row = max(row+1, start+chartRows+2)
	}
	for _, p := range charts {
		if err := wb.f.AddChart(name, p.cell, p.chart, p.combo...); err != nil {
			return fmt.Errorf("xlsx: chart: %w", err)
		}
	}
	for _, r := range breaks {
		if err := wb.f.InsertPageBreak(name, "A"+strconv.Itoa(r)); err != nil {
			return err
		}
	}
	r0 := wb.sheets[0].report
	landscape, one, auto := "landscape", 1, 0
	paper := 9
	if paperFor(r0.Currency, wb.opts.Paper) == Letter {
		paper = 1
	}
	if err := wb.f.SetPageLayout(name, &excelize.PageLayoutOptions{Size: &paper, Orientation: &landscape, FitToWidth: &one, FitToHeight: &auto}); err != nil {
		return err
	}
	if err := wb.f.SetHeaderFooter(name, &excelize.HeaderFooterOptions{
		OddHeader: "&L" + headerFooter(r0.Company) + "&C&B" + headerFooter(msg.Text(chartsSheet)) + "&B",
		OddFooter: pageFooter(msg),
	}); err != nil {
		return err
	}
	return sw.Flush()
}

// uniqueName reserves a sheet name based on base.
func (wb *Workbook) uniqueName(base string) string {
	return wb.sheetName(reporting.Report{Title: base})
}

// chartSheet returns the sheet of report index k, which must have been
// added with AddReport.
func (wb *Workbook) chartSheet(what string, k int) (sheetInfo, error) {
	if k < 0 || k >= len(wb.sheets) || !wb.sheets[k].rows {
		return sheetInfo{}, fmt.Errorf("%w: %s report %d is not a report added with AddReport", ErrChart, what, k)
	}
	return wb.sheets[k], nil
}

// refTo returns the chart data cell referring to report row i, report
// column rc of sheet s.
func refTo(s sheetInfo, i, rc int) (chartRef, error) {
	cell := s.report.Rows[i].Cells[rc]
	v := any(int64(0)) // a blank cell adds as zero
	if !cell.Blank {
		n, err := exactNumber(cell.Amount)
		if err != nil {
			return chartRef{}, err
		}
		v = n
	}
	sc := s.layout.reportCol(rc)
	return chartRef{formula: quoteSheet(s.name) + "!" + s.layout.ref(i, sc), value: v, ok: true}, nil
}

// checkRows checks that rows index rows of s with a cell per column.
func checkRows(s sheetInfo, what string, rows ...int) error {
	for _, i := range rows {
		if i < 0 || i >= len(s.report.Rows) || len(s.report.Rows[i].Cells) != len(s.report.Columns) {
			return fmt.Errorf("%w: %s row %d", ErrChart, what, i)
		}
	}
	return nil
}

// amountColumns returns cols, checked to be amount columns of s, or if
// nil every amount column but one keyed "total" (the sum of the others,
// which would dwarf them).
func amountColumns(s sheetInfo, what string, cols []int) ([]int, error) {
	if cols == nil {
		for rc, c := range s.report.Columns {
			if c.Kind == reporting.AmountColumn && c.Key != "total" {
				cols = append(cols, rc)
			}
		}
	}
	for _, rc := range cols {
		if rc < 0 || rc >= len(s.report.Columns) || s.report.Columns[rc].Kind != reporting.AmountColumn {
			return nil, fmt.Errorf("%w: %s column %d is not an amount column", ErrChart, what, rc)
		}
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("%w: %s: the report has no amount column", ErrChart, what)
	}
	return cols, nil
}

// table returns the data table of rows × cols of s: a table row per
// column with a cell per row, or with byColumn a table row per row with a
// cell per column.
func table(s sheetInfo, rows, cols []int, byColumn bool) ([]chartData, error) {
	var data []chartData
	outer, inner := cols, rows
	if byColumn {
		outer, inner = rows, cols
	}
	for _, o := range outer {
		d := chartData{}
		if byColumn {
			d.label = s.report.Rows[o].Label
		} else {
			d.label = s.report.Columns[o].Label
		}
		for _, in := range inner {
			i, rc := in, o
			if byColumn {
				i, rc = o, in
			}
			r, err := refTo(s, i, rc)
			if err != nil {
				return nil, err
			}
			d.refs = append(d.refs, r)
		}
		data = append(data, d)
	}
	return data, nil
}

func abs(col string, r int) string { return "$" + col + "$" + strconv.Itoa(r) }

func colName(j int) string { n, _ := excelize.ColumnNumberToName(j); return n }

// seriesOf returns a series per table column k (B, C, …) over the table's
// rows first…first+n-1.
func seriesOf(q string, hr, first, n int, ks ...int) []excelize.ChartSeries {
	var out []excelize.ChartSeries
	for _, k := range ks {
		col := colName(k + 2)
		out = append(out, excelize.ChartSeries{
			Name:       q + "!" + abs(col, hr),
			Categories: q + "!" + abs("A", first) + ":" + abs("A", first+n-1),
			Values:     q + "!" + abs(col, first) + ":" + abs(col, first+n-1),
		})
	}
	return out
}

func chartTitle(s string) excelize.ChartTitle {
	return excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: s}}}
}

// monthlyBlock is the monthly chart: revenue and expenses as columns, the
// result as a line, one category per month.
func (wb *Workbook) monthlyBlock(msg *reporting.Messages, m MonthlyChart) (chartBlock, error) {
	s, err := wb.chartSheet("monthly chart", m.Report)
	if err != nil {
		return chartBlock{}, err
	}
	if err := checkRows(s, "monthly chart", m.Revenue, m.Expenses, m.Result); err != nil {
		return chartBlock{}, err
	}
	cols, err := amountColumns(s, "monthly chart", nil)
	if err != nil {
		return chartBlock{}, err
	}
	rows := []int{m.Revenue, m.Expenses, m.Result}
	data, err := table(s, rows, cols, false)
	if err != nil {
		return chartBlock{}, err
	}
	r := s.report
	return chartBlock{
		caption: msg.Text("Revenue, expenses and result per month"),
		heads:   []string{r.Rows[m.Revenue].Label, r.Rows[m.Expenses].Label, r.Rows[m.Result].Label},
		data:    data, dec: r.Currency.MinorUnits(),
		draw: func(q string, hr, first int) (*excelize.Chart, []*excelize.Chart) {
			result := seriesOf(q, hr, first, len(data), 2)
			result[0].Marker = excelize.ChartMarker{Symbol: "circle", Size: 6}
			no := false
			return &excelize.Chart{
				Type:   excelize.Col,
				Series: seriesOf(q, hr, first, len(data), 0, 1),
				Title:  chartTitle(msg.Sprintf("Revenue, expenses and result (%s)", r.Currency.Code())),
			}, []*excelize.Chart{{Type: excelize.Line, VaryColors: &no, Series: result}}
		},
	}, nil
}

// compositionBlock is the balance sheet's composition: two stacked
// columns, assets and equity and liabilities, a segment per row.
func (wb *Workbook) compositionBlock(msg *reporting.Messages, c CompositionChart) (chartBlock, error) {
	s, err := wb.chartSheet("composition chart", c.Report)
	if err != nil {
		return chartBlock{}, err
	}
	if _, err := amountColumns(s, "composition chart", []int{c.Column}); err != nil {
		return chartBlock{}, err
	}
	if len(c.Assets)+len(c.Liabilities) == 0 {
		return chartBlock{}, fmt.Errorf("%w: composition chart without rows", ErrChart)
	}
	if err := checkRows(s, "composition chart", append(append([]int{}, c.Assets...), c.Liabilities...)...); err != nil {
		return chartBlock{}, err
	}
	rows := s.report.Rows
	var data []chartData
	for side, idx := range [][]int{c.Assets, c.Liabilities} {
		for _, i := range idx {
			r, err := refTo(s, i, c.Column)
			if err != nil {
				return chartBlock{}, err
			}
			d := chartData{label: rows[i].Label, refs: make([]chartRef, 2)}
			d.refs[side] = r
			data = append(data, d)
		}
	}
	r := s.report
	return chartBlock{
		caption: msg.Text("Balance sheet composition"),
		heads:   []string{msg.Text("Assets"), msg.Text("Equity and liabilities")},
		data:    data, dec: r.Currency.MinorUnits(),
		draw: func(q string, hr, first int) (*excelize.Chart, []*excelize.Chart) {
			var series []excelize.ChartSeries
			for k := range data {
				row := first + k
				series = append(series, excelize.ChartSeries{
					Name:       q + "!" + abs("A", row),
					Categories: q + "!" + abs("B", hr) + ":" + abs("C", hr),
					Values:     q + "!" + abs("B", row) + ":" + abs("C", row),
				})
			}
			ch := &excelize.Chart{
				Type:   excelize.ColStacked,
				Series: series,
				Title:  chartTitle(msg.Sprintf("Balance sheet composition (%s)", r.Currency.Code())),
			}
			ch.Legend.Position = "right"
			return ch, nil
		},
	}, nil
}

// seriesBlock is a SeriesChart.
func (wb *Workbook) seriesBlock(sc SeriesChart) (chartBlock, error) {
	s, err := wb.chartSheet("series chart", sc.Report)
	if err != nil {
		return chartBlock{}, err
	}
	if len(sc.Rows) == 0 {
		return chartBlock{}, fmt.Errorf("%w: series chart %q without rows", ErrChart, sc.Title)
	}
	if err := checkRows(s, "series chart", sc.Rows...); err != nil {
		return chartBlock{}, err
	}
	cols, err := amountColumns(s, "series chart", sc.Columns)
	if err != nil {
		return chartBlock{}, err
	}
	data, err := table(s, sc.Rows, cols, sc.ByColumn)
	if err != nil {
		return chartBlock{}, err
	}
	var heads []string
	if sc.ByColumn {
		for _, rc := range cols {
			heads = append(heads, s.report.Columns[rc].Label)
		}
	} else {
		for _, i := range sc.Rows {
			heads = append(heads, s.report.Rows[i].Label)
		}
	}
	return chartBlock{
		caption: sc.Title, heads: heads, data: data, dec: s.report.Currency.MinorUnits(),
		draw: func(q string, hr, first int) (*excelize.Chart, []*excelize.Chart) {
			ks := make([]int, len(heads))
			for k := range ks {
				ks[k] = k
			}
			series := seriesOf(q, hr, first, len(data), ks...)
			t := excelize.Col
			switch sc.Type {
			case LineChart:
				t = excelize.Line
				for k := range series {
					series[k].Marker = excelize.ChartMarker{Symbol: "circle", Size: 6}
				}
			case BarChart:
				t = excelize.Bar
			}
			return &excelize.Chart{Type: t, Series: series, Title: chartTitle(sc.Title)}, nil
		},
	}, nil
}
