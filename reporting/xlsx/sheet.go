package xlsx

import (
	"fmt"
	"iter"
	"strconv"
	"strings"
	"unicode/utf8"

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

	buf     []any
	cells   []excelize.Cell
	formula strings.Builder
}

func newSheetWriter(wb *Workbook, name string, r reporting.Report, all []reporting.Row) *sheetWriter {
	s := &sheetWriter{wb: wb, f: wb.f, st: wb.styles, name: name, r: r, all: all, dec: r.Currency.MinorUnits()}
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
	return s
}

// write writes the sheet: header block, headings, rows, checks, and the
// sheet settings.
func (s *sheetWriter) write(rows iter.Seq[reporting.Row]) error {
	// Sheet properties are written with the stream's first bytes.
	fit := true
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
	for j, c := range s.layout.cols {
		if err := s.sw.SetColWidth(j+1, j+1, s.width(j, c)); err != nil {
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

// width returns the width of sheet column j in characters: its widest cell
// when the rows are known, else a default by kind, at least as wide as the
// heading and at most 60.
func (s *sheetWriter) width(j int, c reporting.Column) float64 {
	w := 10
	switch c.Kind {
	case reporting.AmountColumn:
		w = 16 // "-999,999,999.99"
	case reporting.DateColumn:
		w = 11
	default:
		if s.all == nil {
			w = 30
		}
	}
	w = max(w, longestWord(c.Label)+2)
	for _, row := range s.all {
		if len(row.Cells) != len(s.r.Columns) {
			continue // writeRow refuses it
		}
		var n int
		switch {
		case s.layout.label && j == 0:
			n = utf8.RuneCountInString(row.Label) + 2*min(row.Level, maxIndent)
		default:
			cell := row.Cells[s.reportCol(j)]
			switch c.Kind {
			case reporting.TextColumn:
				n = utf8.RuneCountInString(cell.Text) + 2*min(row.Level, maxIndent)
			case reporting.AmountColumn:
				n = len(cell.Amount.Format(money.English))
			}
		}
		w = max(w, n+2)
	}
	return float64(min(w, 60))
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
	company := r.Company
	if r.Book != "" && r.Book != r.Company {
		company += " (book " + r.Book + ")"
	}
	period := [2]string{"Period", r.From.String() + " – " + r.To.String()}
	if r.From.IsZero() {
		period = [2]string{"As of", r.To.String()}
	}
	generated := ""
	if !r.Generated.IsZero() {
		generated = r.Generated.UTC().Format("2006-01-02 15:04:05") + " UTC"
	}
	filter := r.Filter
	if filter == "" {
		filter = "none (whole book)"
	}
	currency := r.Currency.Code()
	if currency != "" {
		currency += fmt.Sprintf(" (amounts with %d decimals)", s.dec)
	}
	lines := [][2]string{
		{"Company", company},
		period,
		{"Generated", generated},
		{"Filter", filter},
		{"Currency", currency},
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
		id, err := s.st.cell(styleKey{col: c.Kind, decimals: s.dec, header: true})
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
	for j, c := range s.layout.cols {
		k := styleKey{col: c.Kind, row: row.Kind, decimals: s.dec}
		if j == labelAt {
			k.indent = row.Level
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
	return s.sw.SetRow("A"+strconv.Itoa(s.layout.first+i), s.buf)
}

// textOf returns the text of row's cell in sheet column j.
func (s *sheetWriter) textOf(row reporting.Row, j int) string {
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

// writeChecks writes the report's checks below the rows: label, left and
// right amount, and whether they agree.
func (s *sheetWriter) writeChecks() error {
	if len(s.r.Checks) == 0 {
		return nil
	}
	row := s.layout.first + s.layout.rows + 1
	label, err := s.st.get(labelStyle)
	if err != nil {
		return err
	}
	if err := s.sw.SetRow("A"+strconv.Itoa(row), []any{excelize.Cell{StyleID: label, Value: "Checks"}}); err != nil {
		return err
	}
	text, err := s.st.cell(styleKey{col: reporting.TextColumn})
	if err != nil {
		return err
	}
	amount, err := s.st.cell(styleKey{col: reporting.AmountColumn, decimals: s.dec})
	if err != nil {
		return err
	}
	for _, c := range s.r.Checks {
		row++
		l, err := exactNumber(c.Left)
		if err != nil {
			return &CellError{Sheet: s.name, Cell: "B" + strconv.Itoa(row), Row: -1, Column: -1, Err: err}
		}
		r, err := exactNumber(c.Right)
		if err != nil {
			return &CellError{Sheet: s.name, Cell: "C" + strconv.Itoa(row), Row: -1, Column: -1, Err: err}
		}
		verdict, style := "OK", checkOKStyle
		if !c.OK() {
			verdict, style = "DIFFERS", checkBadStyle
		}
		vs, err := s.st.get(style)
		if err != nil {
			return err
		}
		if err := s.sw.SetRow("A"+strconv.Itoa(row), []any{
			excelize.Cell{StyleID: text, Value: c.Label},
			excelize.Cell{StyleID: amount, Value: l},
			excelize.Cell{StyleID: amount, Value: r},
			excelize.Cell{StyleID: vs, Value: verdict},
		}); err != nil {
			return err
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
	landscape, one, auto := "landscape", 1, 0
	if err := s.f.SetPageLayout(s.name, &excelize.PageLayoutOptions{
		Orientation: &landscape, FitToWidth: &one, FitToHeight: &auto,
	}); err != nil {
		return err
	}
	if err := s.f.SetHeaderFooter(s.name, &excelize.HeaderFooterOptions{
		OddFooter: "&L&A&RPage &P of &N",
	}); err != nil {
		return err
	}
	h := strconv.Itoa(s.layout.headings)
	return s.f.SetDefinedName(&excelize.DefinedName{
		Name:     "_xlnm.Print_Titles",
		RefersTo: quoteSheet(s.name) + "!$" + h + ":$" + h,
		Scope:    s.name,
	})
}

// quoteSheet returns name quoted for a formula: 'Balance sheet', with
// apostrophes doubled.
func quoteSheet(name string) string {
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}
