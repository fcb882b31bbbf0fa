package xlsx

import (
	"fmt"
	"iter"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/reporting"
	"github.com/xuri/excelize/v2"
)

// maxFormula is the longest formula Excel accepts, in characters.
const maxFormula = 8192

// layout is where a report's parts are on its sheet.
type layout struct {
	cols     []reporting.Column // the sheet's columns
	label    bool               // cols[0] is a label column added from Row.Label
	letters  []string           // column letters, "A", "B", …
	headings int                // sheet row of the column headings
	first    int                // sheet row of report row 0
	rows     int                // report rows written
}

// ref returns the cell reference of report row i, sheet column j ("D12").
func (l *layout) ref(i, j int) string {
	return l.letters[j] + strconv.Itoa(l.first+i)
}

// reportCol returns the sheet column of report column j.
func (l *layout) reportCol(j int) int {
	if l.label {
		return j + 1
	}
	return j
}

// sheetWriter writes one report to one sheet.
type sheetWriter struct {
	wb     *Workbook
	f      *excelize.File
	st     *styles
	name   string
	r      reporting.Report
	all    []reporting.Row // every row, to check terms; nil when streaming
	sw     *excelize.StreamWriter
	layout layout
	dec    int // the currency's minor units
	// labelCol is the sheet column keyed "label" (or the added label
	// column), -1 if none; firstText is the first text column.
	labelCol, firstText int
	// lead is the number of leading text columns (at least 1): the
	// columns a check's label spans and the print titles repeat.
	lead int
	msg  *reporting.Messages
	// widths are the widths of the sheet's columns in characters,
	// including columns right of the report's that its checks use.
	widths []float64
	page   pageSetup

	buf     []any
	cells   []excelize.Cell
	formula strings.Builder
}

func newSheetWriter(wb *Workbook, name string, r reporting.Report, all []reporting.Row) *sheetWriter {
	s := &sheetWriter{wb: wb, f: wb.f, st: wb.styles, name: name, r: r, all: all, dec: r.Currency.MinorUnits(),
		msg: reporting.MessagesFor(r.Language)}
	cols := r.Columns
	hasText := false
	for _, c := range cols {
		hasText = hasText || c.Kind == reporting.TextColumn
	}
	if !hasText {
		s.layout.label = true
		cols = append([]reporting.Column{{Key: "label", Kind: reporting.TextColumn}}, cols...)
	}
	s.layout.cols = cols
	s.labelCol, s.firstText = -1, -1
	for j, c := range cols {
		if c.Kind != reporting.TextColumn {
			continue
		}
		if s.firstText < 0 {
			s.firstText = j
		}
		if c.Key == "label" && s.labelCol < 0 {
			s.labelCol = j
		}
	}
	for j := range cols {
		name, _ := excelize.ColumnNumberToName(j + 1)
		s.layout.letters = append(s.layout.letters, name)
	}
	s.layout.headings = HeaderRows + 1
	s.layout.first = HeaderRows + 2
	s.cells = make([]excelize.Cell, len(cols))
	s.buf = make([]any, len(cols))
	for s.lead < len(cols) && cols[s.lead].Kind == reporting.TextColumn {
		s.lead++
	}
	if s.lead == len(cols) || s.lead == 0 {
		s.lead = 1
	}
	s.widths = s.columnWidths()
	s.page = planPage(s.widths, s.r.Currency, s.wb.opts.Paper)
	return s
}

// key returns the style key of a cell in this sheet.
func (s *sheetWriter) key(col reporting.ColumnKind, row reporting.RowKind) styleKey {
	return styleKey{col: col, row: row, decimals: s.dec, lcid: s.msg.LCID(), date: s.msg.SpreadsheetDateFormat()}
}

// write writes the sheet: header block, headings, rows, checks, and the
// sheet settings.
func (s *sheetWriter) write(rows iter.Seq[reporting.Row]) error {
	// Sheet properties are written with the stream's first bytes.
	fit := s.page.fit
	if err := s.f.SetSheetProps(s.name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	sw, err := s.f.NewStreamWriter(s.name)
	if err != nil {
		return err
	}
	s.sw = sw
	if err := s.setColumns(); err != nil {
		return err
	}
	if err := s.writeHeader(); err != nil {
		return err
	}
	i := 0
	for row := range rows {
		if s.layout.first+i > maxSheetRows {
			return &CellError{Sheet: s.name, Cell: "A" + strconv.Itoa(s.layout.first+i), Row: i, Err: ErrTooManyRows}
		}
		if err := s.writeRow(i, row); err != nil {
			return err
		}
		i++
	}
	s.layout.rows = i
	if err := s.writeChecks(); err != nil {
		return err
	}
	if err := s.finish(); err != nil {
		return err
	}
	return sw.Flush()
}

// setColumns sets the column widths and the frozen panes; both must precede
// the rows of a stream.
func (s *sheetWriter) setColumns() error {
	for j, w := range s.widths {
		if err := s.sw.SetColWidth(j+1, j+1, w); err != nil {
			return err
		}
	}
	// Freeze the header block and headings, and the leading text columns
	// (codes and labels) unless they are all there is.
	x := 0
	for x < len(s.layout.cols) && s.layout.cols[x].Kind == reporting.TextColumn {
		x++
	}
	if x == len(s.layout.cols) {
		x = 0
	}
	top := s.layout.letters[x] + strconv.Itoa(s.layout.first)
	pane := "bottomLeft"
	if x > 0 {
		pane = "bottomRight"
	}
	return s.sw.SetPanes(&excelize.Panes{
		Freeze: true, XSplit: x, YSplit: s.layout.first - 1,
		TopLeftCell: top, ActivePane: pane,
		Selection: []excelize.Selection{{SQRef: top, ActiveCell: top, Pane: pane}},
	})
}

// maxWidth is the widest a column gets, in characters; a longer text
// wraps in its cell.
const maxWidth = 60

// boldFactor widens columns for bold text (headings, totals), which is
// wider than the regular text the widths are counted in.
const boldFactor = 1.12

// columnWidths returns the width of every sheet column in characters: its
// widest cell (in the report's number format, bold rows wider) when the
// rows are known, else a default by kind; at least as wide as the longest
// word of its heading, at most maxWidth. Column A also fits the labels of
// the header block, the leading text columns together fit the check
// labels, and the columns right of them fit the checks' amounts and
// verdicts, adding columns right of the report's where needed.
func (s *sheetWriter) columnWidths() []float64 {
	f := s.msg.Format()
	out := make([]float64, len(s.layout.cols))
	for j, c := range s.layout.cols {
		w := 10.0
		switch c.Kind {
		case reporting.AmountColumn:
			w = 16 // "-999,999,999.99"
		case reporting.DateColumn:
			w = 12
		default:
			if s.all == nil {
				w = 30
			}
		}
		w = max(w, float64(longestWord(c.Label))*boldFactor+2)
		for _, row := range s.all {
			if len(row.Cells) != len(s.r.Columns) {
				continue // writeRow refuses it
			}
			var n float64
			switch {
			case s.layout.label && j == 0:
				n = float64(utf8.RuneCountInString(row.Label) + 2*min(row.Level, maxIndent))
			default:
				cell := row.Cells[s.reportCol(j)]
				switch c.Kind {
				case reporting.TextColumn:
					n = float64(utf8.RuneCountInString(cell.Text) + 2*min(row.Level, maxIndent))
				case reporting.AmountColumn:
					if !cell.Blank {
						n = float64(len(cell.Amount.Format(f)))
					}
				}
			}
			if row.Kind != reporting.DetailRow {
				n *= boldFactor
			}
			w = max(w, n+2)
		}
		out[j] = math.Ceil(min(w, maxWidth))
	}
	// The header block's labels in column A.
	for _, l := range []string{"Company", "Period", "As of", "Generated", "Filter", "Currency"} {
		out[0] = math.Ceil(min(max(out[0], float64(utf8.RuneCountInString(s.msg.Text(l)))*boldFactor+2), maxWidth))
	}
	if len(s.r.Checks) == 0 {
		return out
	}
	// Checks: the label over the leading text columns, then left, right
	// and the verdict.
	need := float64(utf8.RuneCountInString(s.msg.Text("Checks"))) * boldFactor
	for _, c := range s.r.Checks {
		need = max(need, float64(utf8.RuneCountInString(c.Label)))
	}
	have := 0.0
	for j := range s.lead {
		have += out[j]
	}
	if need+2 > have {
		out[s.lead-1] = math.Ceil(min(out[s.lead-1]+need+2-have, maxWidth))
	}
	amount := 16.0
	for _, c := range s.r.Checks {
		amount = max(amount, float64(len(c.Left.Format(f)))+2, float64(len(c.Right.Format(f)))+2)
	}
	verdict := max(float64(utf8.RuneCountInString(s.msg.Text("OK"))), float64(utf8.RuneCountInString(s.msg.Text("DIFFERS"))))*boldFactor + 2
	for k, w := range []float64{amount, amount, verdict} {
		j := s.lead + k
		for len(out) <= j {
			out = append(out, 0)
		}
		out[j] = math.Ceil(max(out[j], w))
	}
	return out
}

// reportCol returns the index into Row.Cells of sheet column j.
func (s *sheetWriter) reportCol(j int) int {
	if s.layout.label {
		return j - 1
	}
	return j
}

// longestWord returns the length in runes of the longest word of s: a
// heading wraps, so its width is set by its longest word.
func longestWord(s string) int {
	n := 0
	for w := range strings.FieldsSeq(s) {
		n = max(n, utf8.RuneCountInString(w))
	}
	return n
}

// writeHeader writes the header block and the column headings.
func (s *sheetWriter) writeHeader() error {
	r := s.r
	last := s.layout.letters[len(s.layout.letters)-1]
	title, err := s.st.get(titleStyle)
	if err != nil {
		return err
	}
	if err := s.sw.SetRow("A1", []any{excelize.Cell{StyleID: title, Value: r.Title}}, excelize.RowOpts{Height: 21}); err != nil {
		return err
	}
	if last != "A" {
		if err := s.sw.MergeCell("A1", last+"1"); err != nil {
			return err
		}
	}
	m := s.msg
	company := r.Company
	if r.Book != "" && r.Book != r.Company {
		company = m.Sprintf("%s (book %s)", r.Company, r.Book)
	}
	period := [2]string{m.Text("Period"), m.Range(r.From, r.To)}
	if r.From.IsZero() {
		period = [2]string{m.Text("As of"), m.Date(r.To)}
	}
	generated := ""
	if !r.Generated.IsZero() {
		g := r.Generated.UTC()
		generated = m.Date(date.Of(g)) + " " + g.Format("15:04:05") + " UTC"
	}
	filter := r.Filter
	if filter == "" {
		filter = m.Text("none (whole book)")
	}
	currency := r.Currency.Code()
	if currency != "" {
		currency = m.Sprintf("%s (amounts with %d decimals)", currency, s.dec)
	}
	lines := [][2]string{
		{m.Text("Company"), company},
		period,
		{m.Text("Generated"), generated},
		{m.Text("Filter"), filter},
		{m.Text("Currency"), currency},
	}
	label, err := s.st.get(labelStyle)
	if err != nil {
		return err
	}
	value, err := s.st.get(valueStyle)
	if err != nil {
		return err
	}
	for k, l := range lines {
		row := strconv.Itoa(2 + k)
		if err := s.sw.SetRow("A"+row, []any{
			excelize.Cell{StyleID: label, Value: l[0]},
			excelize.Cell{StyleID: value, Value: l[1]},
		}); err != nil {
			return err
		}
		if len(s.layout.letters) > 2 {
			if err := s.sw.MergeCell("B"+row, last+row); err != nil {
				return err
			}
		}
	}
	for j, c := range s.layout.cols {
		k := s.key(c.Kind, reporting.DetailRow)
		k.header = true
		id, err := s.st.cell(k)
		if err != nil {
			return err
		}
		s.cells[j] = excelize.Cell{StyleID: id, Value: c.Label}
		s.buf[j] = s.cells[j]
	}
	return s.sw.SetRow("A"+strconv.Itoa(s.layout.headings), s.buf)
}

// writeRow writes report row i.
func (s *sheetWriter) writeRow(i int, row reporting.Row) error {
	if len(row.Cells) != len(s.r.Columns) {
		return &CellError{Sheet: s.name, Cell: s.layout.ref(i, 0), Row: i, Err: ErrCells}
	}
	// The label cell, which Row.Level indents.
	labelAt := s.labelCol
	for j, c := range s.layout.cols {
		if labelAt >= 0 {
			break
		}
		if c.Kind == reporting.TextColumn && s.textOf(row, j) == row.Label {
			labelAt = j
		}
	}
	if labelAt < 0 {
		labelAt = s.firstText
	}
	sum := (row.Kind == reporting.SubtotalRow || row.Kind == reporting.TotalRow) && len(row.Terms) > 0
	if sum {
		for _, t := range row.Terms {
			if t.Row < 0 || t.Row >= i {
				return &CellError{Sheet: s.name, Cell: s.layout.ref(i, 0), Row: i, Err: ErrTerms}
			}
		}
	}
	lines := 1
	for j, c := range s.layout.cols {
		k := s.key(c.Kind, row.Kind)
		if j == labelAt {
			k.indent = row.Level
		}
		if c.Kind == reporting.TextColumn && s.widths[j] >= maxWidth && utf8.RuneCountInString(s.textOf(row, j, row.Label))+2*row.Level+2 > maxWidth {
			k.wrap = true // longer than the widest column: wraps
			indent := 0
			if j == labelAt {
				indent = min(row.Level, maxIndent)
			}
			lines = max(lines, wrappedLines(s.textOf(row, j, row.Label), s.widths[j]-2*float64(indent)-2, row.Kind != reporting.DetailRow))
		}
		id, err := s.st.cell(k)
		if err != nil {
			return err
		}
		cell := excelize.Cell{StyleID: id}
		if s.layout.label && j == 0 {
			cell.Value = row.Label
			s.cells[j] = cell
			s.buf[j] = &s.cells[j]
			continue
		}
		rc := s.reportCol(j)
		v := row.Cells[rc]
		switch {
		case v.Blank:
		case c.Kind == reporting.TextColumn:
			cell.Value = v.Text
		case c.Kind == reporting.DateColumn:
			if n, ok := serial(v.Date); ok {
				cell.Value = n
			} else if !v.Date.IsZero() {
				cell.Value = v.Date.String() // before March 1900: text
			}
		case c.Kind == reporting.AmountColumn:
			a := v.Amount
			if a.Currency() != s.r.Currency && a != (money.Amount{}) {
				return &CellError{Sheet: s.name, Cell: s.layout.ref(i, j), Row: i, Column: rc, Err: ErrCurrency}
			}
			n, err := exactNumber(a)
			if err != nil {
				return &CellError{Sheet: s.name, Cell: s.layout.ref(i, j), Row: i, Column: rc, Err: err}
			}
			cell.Value = n
			if sum {
				if s.all != nil {
					if err := s.checkTerms(i, rc, row); err != nil {
						return &CellError{Sheet: s.name, Cell: s.layout.ref(i, j), Row: i, Column: rc, Err: err}
					}
				}
				cell.Formula = s.sumFormula(j, row.Terms)
			}
		}
		s.cells[j] = cell
		s.buf[j] = &s.cells[j]
	}
	if lines > 1 {
		// The height of the wrapped lines, set rather than left to the
		// spreadsheet, which may measure it short and print the last line
		// over the next row.
		return s.sw.SetRow("A"+strconv.Itoa(s.layout.first+i), s.buf, excelize.RowOpts{Height: float64(lines)*rowHeight + 2})
	}
	return s.sw.SetRow("A"+strconv.Itoa(s.layout.first+i), s.buf)
}

// wrappedLines returns the number of lines text takes when wrapped at word
// boundaries in a column width characters wide (bold text is wider).
func wrappedLines(text string, width float64, bold bool) int {
	if bold {
		width /= boldFactor
	}
	per := max(int(width), 10)
	lines, n := 1, 0
	for w := range strings.FieldsSeq(text) {
		l := utf8.RuneCountInString(w)
		switch {
		case n == 0:
			n = l
		case n+1+l <= per:
			n += 1 + l
		default:
			lines++
			n = l
		}
		for n > per { // a word longer than the line breaks anywhere
			lines++
			n -= per
		}
	}
	return lines
}

// textOf returns the text of row's cell in sheet column j (label for the
// added label column).
func (s *sheetWriter) textOf(row reporting.Row, j int, label ...string) string {
	if s.layout.label && j == 0 {
		return row.Label
	}
	return row.Cells[s.reportCol(j)].Text
}

// checkTerms checks that row's amount in report column rc is the sum of
// its terms, exactly. Blank term cells count as zero.
func (s *sheetWriter) checkTerms(i, rc int, row reporting.Row) error {
	sum := money.Zero(s.r.Currency)
	for _, t := range row.Terms {
		tc := s.all[t.Row].Cells[rc]
		if tc.Blank || tc.Amount == (money.Amount{}) {
			continue
		}
		a := tc.Amount
		if t.Neg {
			a = a.Neg()
		}
		var err error
		if sum, err = sum.Add(a); err != nil {
			return fmt.Errorf("%w: %w", ErrTerms, err)
		}
	}
	want := row.Cells[rc].Amount
	if want == (money.Amount{}) {
		want = money.Zero(s.r.Currency)
	}
	if sum != want {
		return ErrTerms
	}
	return nil
}

// sumFormula returns the formula (without "=") adding terms in sheet column
// j: runs of two or more consecutive rows with the same sign become SUM
// ranges, other terms single references, in the order of terms, and the sum
// is rounded to the currency's minor units, ROUND(SUM(D9:D12)-D15,2). It
// returns "" if the formula would be longer than Excel accepts.
//
// The rounding changes no value: the terms have at most that many decimals,
// and so has their exact sum. It removes the binary floating-point error of
// the spreadsheet's own addition (125430.17-154879.77+… comes out as
// 7.3E-12, not 0), so the cell recalculates to exactly the value written.
func (s *sheetWriter) sumFormula(j int, terms []reporting.Term) string {
	b := &s.formula
	b.Reset()
	b.WriteString("ROUND(")
	col := s.layout.letters[j]
	for k := 0; k < len(terms); {
		t := terms[k]
		end := k + 1
		for end < len(terms) && terms[end].Neg == t.Neg && terms[end].Row == terms[end-1].Row+1 {
			end++
		}
		if t.Neg {
			b.WriteByte('-')
		} else if k > 0 {
			b.WriteByte('+')
		}
		if end-k >= 2 {
			b.WriteString("SUM(")
			b.WriteString(col)
			b.WriteString(strconv.Itoa(s.layout.first + t.Row))
			b.WriteByte(':')
			b.WriteString(col)
			b.WriteString(strconv.Itoa(s.layout.first + terms[end-1].Row))
			b.WriteByte(')')
		} else {
			b.WriteString(col)
			b.WriteString(strconv.Itoa(s.layout.first + t.Row))
		}
		if b.Len() >= maxFormula {
			return ""
		}
		k = end
	}
	b.WriteByte(',')
	b.WriteString(strconv.Itoa(s.dec))
	b.WriteByte(')')
	if b.Len() > maxFormula {
		return ""
	}
	return b.String()
}

// writeChecks writes the report's checks below the rows: the label over
// the leading text columns, left and right amount right of them, and
// whether they agree.
func (s *sheetWriter) writeChecks() error {
	if len(s.r.Checks) == 0 {
		return nil
	}
	row := s.layout.first + s.layout.rows + 1
	label, err := s.st.get(labelStyle)
	if err != nil {
		return err
	}
	if err := s.sw.SetRow("A"+strconv.Itoa(row), []any{excelize.Cell{StyleID: label, Value: s.msg.Text("Checks")}}); err != nil {
		return err
	}
	text, err := s.st.get(checkLabelStyle)
	if err != nil {
		return err
	}
	amount, err := s.st.cell(s.key(reporting.AmountColumn, reporting.DetailRow))
	if err != nil {
		return err
	}
	col := func(j int) string { name, _ := excelize.ColumnNumberToName(j + 1); return name }
	for _, c := range s.r.Checks {
		row++
		r := strconv.Itoa(row)
		l, err := exactNumber(c.Left)
		if err != nil {
			return &CellError{Sheet: s.name, Cell: col(s.lead) + r, Row: -1, Column: -1, Err: err}
		}
		rt, err := exactNumber(c.Right)
		if err != nil {
			return &CellError{Sheet: s.name, Cell: col(s.lead+1) + r, Row: -1, Column: -1, Err: err}
		}
		verdict, style := s.msg.Text("OK"), checkOKStyle
		if !c.OK() {
			verdict, style = s.msg.Text("DIFFERS"), checkBadStyle
		}
		vs, err := s.st.get(style)
		if err != nil {
			return err
		}
		vals := make([]any, 0, s.lead+3)
		for j := range s.lead {
			v := excelize.Cell{StyleID: text}
			if j == 0 {
				v.Value = c.Label
			}
			vals = append(vals, v)
		}
		vals = append(vals,
			excelize.Cell{StyleID: amount, Value: l},
			excelize.Cell{StyleID: amount, Value: rt},
			excelize.Cell{StyleID: vs, Value: verdict})
		span := 0.0
		for j := range s.lead {
			span += s.widths[j]
		}
		var opts []excelize.RowOpts
		if n := wrappedLines(c.Label, span-1, false); n > 1 {
			opts = append(opts, excelize.RowOpts{Height: float64(n)*rowHeight + 2})
		}
		if err := s.sw.SetRow("A"+r, vals, opts...); err != nil {
			return err
		}
		if s.lead > 1 {
			if err := s.sw.MergeCell("A"+r, col(s.lead-1)+r); err != nil {
				return err
			}
		}
	}
	return nil
}

// finish sets what follows the rows in a sheet's XML: the autofilter of
// detail reports, page setup, print titles and footer.
func (s *sheetWriter) finish() error {
	last := s.layout.letters[len(s.layout.letters)-1]
	switch s.r.Kind {
	case reporting.GeneralLedgerReport, reporting.AccountStatementReport:
		end := s.layout.first + s.layout.rows - 1
		if s.layout.rows == 0 {
			end = s.layout.headings
		}
		ref := "A" + strconv.Itoa(s.layout.headings) + ":" + last + strconv.Itoa(end)
		if err := s.f.AutoFilter(s.name, ref, nil); err != nil {
			return err
		}
	}
	return s.printSetup()
}

// quoteSheet returns name quoted for a formula: 'Balance sheet', with
// apostrophes doubled.
func quoteSheet(name string) string {
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}
