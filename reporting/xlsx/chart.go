package xlsx

import (
	"fmt"
	"strconv"

	"github.com/openbackoffice/backoffice/reporting"
	"github.com/xuri/excelize/v2"
)

// chartsSheet is the name of the sheet holding the charts and their data.
const chartsSheet = "Charts"

// chartData is one row of a chart's data table on the Charts sheet: a label
// and cells that refer to report cells.
type chartData struct {
	label string
	refs  []chartRef // nil entries are empty cells
}

// chartRef is one data cell: a formula referring to a report cell and the
// value it has.
type chartRef struct {
	formula string
	value   any
	ok      bool
}

// addCharts writes the Charts sheet if the options ask for charts.
func (wb *Workbook) addCharts() error {
	if wb.opts.Monthly == nil && wb.opts.Composition == nil {
		return nil
	}
	// Check everything before the sheet exists.
	var monthly, composition []chartData
	var err error
	if m := wb.opts.Monthly; m != nil {
		if monthly, err = wb.monthlyData(*m); err != nil {
			return err
		}
	}
	if c := wb.opts.Composition; c != nil {
		if composition, err = wb.compositionData(*c); err != nil {
			return err
		}
	}
	name := wb.uniqueName(chartsSheet)
	if _, err := wb.f.NewSheet(name); err != nil {
		return fmt.Errorf("xlsx: sheet %q: %w", name, err)
	}
	sw, err := wb.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	if err := sw.SetColWidth(1, 1, 28); err != nil {
		return err
	}
	if err := sw.SetColWidth(2, 4, 16); err != nil {
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
	row := 1
	// table writes a titled data table at row and returns the rows of its
	// heading and of its data.
	table := func(caption string, heads []string, data []chartData, dec int) (int, int, error) {
		amount, err := wb.styles.cell(styleKey{col: reporting.AmountColumn, decimals: dec})
		if err != nil {
			return 0, 0, err
		}
		if err := sw.SetRow("A"+strconv.Itoa(row), []any{excelize.Cell{StyleID: title, Value: caption}}); err != nil {
			return 0, 0, err
		}
		row++
		hr := row
		vals := []any{excelize.Cell{StyleID: head}}
		for _, h := range heads {
			vals = append(vals, excelize.Cell{StyleID: head, Value: h})
		}
		if err := sw.SetRow("A"+strconv.Itoa(row), vals); err != nil {
			return 0, 0, err
		}
		row++
		first := row
		for _, d := range data {
			vals := []any{excelize.Cell{StyleID: text, Value: d.label}}
			for _, r := range d.refs {
				c := excelize.Cell{StyleID: amount}
				if r.ok {
					c.Formula, c.Value = r.formula, r.value
				}
				vals = append(vals, c)
			}
			if err := sw.SetRow("A"+strconv.Itoa(row), vals); err != nil {
				return 0, 0, err
			}
			row++
		}
		row++ // an empty row after the table
		return hr, first, nil
	}
	q := quoteSheet(name)
	abs := func(col string, r int) string { return "$" + col + "$" + strconv.Itoa(r) }
	type pending struct {
		cell  string
		chart *excelize.Chart
		combo []*excelize.Chart
	}
	var charts []pending
	no := false
	if m := wb.opts.Monthly; m != nil {
		is := wb.sheets[m.Report]
		rows := is.report.Rows
		heads := []string{rows[m.Revenue].Label, rows[m.Expenses].Label, rows[m.Result].Label}
		hr, first, err := table("Revenue, expenses and result per month", heads, monthly, is.report.Currency.MinorUnits())
		if err != nil {
			return err
		}
		last := first + len(monthly) - 1
		cats := q + "!" + abs("A", first) + ":" + abs("A", last)
		series := func(col string) excelize.ChartSeries {
			return excelize.ChartSeries{
				Name:       q + "!" + abs(col, hr),
				Categories: cats,
				Values:     q + "!" + abs(col, first) + ":" + abs(col, last),
			}
		}
		result := series("D")
		result.Marker = excelize.ChartMarker{Symbol: "circle", Size: 6}
		charts = append(charts, pending{
			cell: "F" + strconv.Itoa(hr-1),
			chart: &excelize.Chart{
				Type:       excelize.Col,
				VaryColors: &no,
				Series:     []excelize.ChartSeries{series("B"), series("C")},
				Title:      excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Revenue, expenses and result (" + is.report.Currency.Code() + ")"}}},
				Legend:     excelize.ChartLegend{Position: "bottom"},
				Dimension:  excelize.ChartDimension{Width: 720, Height: 360},
				YAxis:      excelize.ChartAxis{MajorGridLines: true},
			},
			combo: []*excelize.Chart{{Type: excelize.Line, VaryColors: &no, Series: []excelize.ChartSeries{result}}},
		})
		// Leave room for the chart (about 18 rows of 20 pixels).
		row = max(row, hr+19)
	}
	if c := wb.opts.Composition; c != nil {
		bs := wb.sheets[c.Report]
		hr, first, err := table("Balance sheet composition", []string{"Assets", "Equity and liabilities"}, composition, bs.report.Currency.MinorUnits())
		if err != nil {
			return err
		}
		var series []excelize.ChartSeries
		for k := range composition {
			r := first + k
			series = append(series, excelize.ChartSeries{
				Name:       q + "!" + abs("A", r),
				Categories: q + "!" + abs("B", hr) + ":" + abs("C", hr),
				Values:     q + "!" + abs("B", r) + ":" + abs("C", r),
			})
		}
		charts = append(charts, pending{
			cell: "F" + strconv.Itoa(hr-1),
			chart: &excelize.Chart{
				Type:       excelize.ColStacked,
				VaryColors: &no,
				Series:     series,
				Title:      excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Balance sheet composition (" + bs.report.Currency.Code() + ")"}}},
				Legend:     excelize.ChartLegend{Position: "right"},
				Dimension:  excelize.ChartDimension{Width: 720, Height: 400},
				YAxis:      excelize.ChartAxis{MajorGridLines: true},
			},
		})
	}
	for _, p := range charts {
		if err := wb.f.AddChart(name, p.cell, p.chart, p.combo...); err != nil {
			return fmt.Errorf("xlsx: chart: %w", err)
		}
	}
	landscape, one, auto := "landscape", 1, 0
	if err := wb.f.SetPageLayout(name, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &one, FitToHeight: &auto}); err != nil {
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

// monthlyData returns the monthly chart's table: a row per amount column of
// the income statement, revenue, expenses and result.
func (wb *Workbook) monthlyData(m MonthlyChart) ([]chartData, error) {
	s, err := wb.chartSheet("monthly chart", m.Report)
	if err != nil {
		return nil, err
	}
	rows := s.report.Rows
	for _, i := range []int{m.Revenue, m.Expenses, m.Result} {
		if i < 0 || i >= len(rows) || len(rows[i].Cells) != len(s.report.Columns) {
			return nil, fmt.Errorf("%w: monthly chart row %d", ErrChart, i)
		}
	}
	var data []chartData
	for rc, c := range s.report.Columns {
		if c.Kind != reporting.AmountColumn {
			continue
		}
		d := chartData{label: c.Label}
		for _, i := range []int{m.Revenue, m.Expenses, m.Result} {
			r, err := refTo(s, i, rc)
			if err != nil {
				return nil, err
			}
			d.refs = append(d.refs, r)
		}
		data = append(data, d)
	}
	if len(data) == 0 {
		return nil, fmt.Errorf("%w: monthly chart: the report has no amount column", ErrChart)
	}
	return data, nil
}

// compositionData returns the composition chart's table: a row per segment,
// its amount in the assets or in the liabilities column.
func (wb *Workbook) compositionData(c CompositionChart) ([]chartData, error) {
	s, err := wb.chartSheet("composition chart", c.Report)
	if err != nil {
		return nil, err
	}
	if c.Column < 0 || c.Column >= len(s.report.Columns) || s.report.Columns[c.Column].Kind != reporting.AmountColumn {
		return nil, fmt.Errorf("%w: composition chart column %d is not an amount column", ErrChart, c.Column)
	}
	if len(c.Assets)+len(c.Liabilities) == 0 {
		return nil, fmt.Errorf("%w: composition chart without rows", ErrChart)
	}
	rows := s.report.Rows
	var data []chartData
	for side, idx := range [][]int{c.Assets, c.Liabilities} {
		for _, i := range idx {
			if i < 0 || i >= len(rows) || len(rows[i].Cells) != len(s.report.Columns) {
				return nil, fmt.Errorf("%w: composition chart row %d", ErrChart, i)
			}
			r, err := refTo(s, i, c.Column)
			if err != nil {
				return nil, err
			}
			d := chartData{label: rows[i].Label, refs: make([]chartRef, 2)}
			d.refs[side] = r
			data = append(data, d)
		}
	}
	return data, nil
}
