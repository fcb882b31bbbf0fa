package xlsx

import (
	"strconv"
	"strings"

	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/reporting"
	"github.com/xuri/excelize/v2"
)

// Paper sizes of Options.Paper.
const (
	A4     = "A4"
	Letter = "Letter"
)

// Page geometry, in points. Margins are half an inch left and right and
// three quarters of an inch top and bottom, with the header and footer in
// the top and bottom margin.
const (
	marginSide   = 36.0
	marginTop    = 54.0
	marginHeader = 22.0
	rowHeight    = 12.75 // a row of Arial 10
	// minScale is the smallest print scale in percent: 10 pt text at 80 %
	// prints at 8 pt, the smallest an auditor is asked to read. A sheet
	// wider than that is split across pages instead.
	minScale = 80
)

// pageSetup is how a sheet prints.
type pageSetup struct {
	paper     int // excelize paper size: 9 A4, 1 Letter
	width     float64
	height    float64 // printable area of the page in points, at 100 %
	landscape bool
	fit       bool // fit to the page width (the sheet fits at ≥ minScale)
	scale     int  // percent, when not fit
	// zoom is the scale the rows are printed at, for placing page breaks.
	zoom float64
}

// paperFor returns the paper of a report: Options.Paper if set, else US
// Letter for a book in US dollars and A4 for any other.
func paperFor(cur money.Currency, paper string) string {
	switch {
	case paper != "":
		return paper
	case cur == money.USD:
		return Letter
	}
	return A4
}

// points returns the printed width of a column of w characters (Excel's
// unit: the width of a digit of the default font, 7 pixels for Arial 10,
// plus 5 pixels of padding; a pixel is ¾ point).
func points(w float64) float64 { return (w*7 + 5) * 0.75 }

// planPage chooses paper, orientation and scale for columns of the given
// widths: portrait if they fit the width of the page, else landscape,
// fitted to the page width if that prints at minScale or more, else at
// minScale across as many pages as it takes (the first columns and the
// headings repeat on each).
func planPage(widths []float64, cur money.Currency, paper string) pageSetup {
	p := pageSetup{paper: 9, width: 595.3, height: 841.9}
	if paperFor(cur, paper) == Letter {
		p = pageSetup{paper: 1, width: 612, height: 792}
	}
	total := 0.0
	for _, w := range widths {
		total += points(w)
	}
	p.fit, p.zoom = true, 1
	portrait := p.width - 2*marginSide
	landscape := p.height - 2*marginSide
	switch {
	case total <= portrait:
		p.width, p.height = portrait, p.height-2*marginTop
	case total*minScale/100 <= landscape:
		p.landscape = true
		p.width, p.height = landscape, p.width-2*marginTop
		p.zoom = min(1, landscape/total)
	default:
		p.landscape, p.fit, p.scale = true, false, minScale
		p.width, p.height = landscape, p.width-2*marginTop
		p.zoom = minScale / 100.0
	}
	return p
}

// rowsPerPage returns how many rows of regular height a page of p holds
// below the repeated headings, with a row to spare.
func (p pageSetup) rowsPerPage() int {
	return int(p.height/(rowHeight*p.zoom)) - 3
}

// block is a run of report rows that belongs together: a heading, the
// blocks under it and the subtotal that closes it, or a single row.
type block struct {
	start, end int // report rows, inclusive
	children   []block
}

// blocksOf returns the blocks of rows[from:to+1].
func blocksOf(rows []reporting.Row, from, to int) []block {
	var out []block
	for i := from; i <= to; {
		r := rows[i]
		if r.Kind != reporting.HeadingRow {
			out = append(out, block{start: i, end: i})
			i++
			continue
		}
		// The block ends with the first subtotal or total at the heading's
		// level, or before the next heading at its level or above.
		j := i + 1
		for ; j <= to; j++ {
			x := rows[j]
			if x.Level <= r.Level && (x.Kind == reporting.SubtotalRow || x.Kind == reporting.TotalRow) {
				break
			}
			if x.Level <= r.Level && x.Kind == reporting.HeadingRow {
				j--
				break
			}
		}
		j = min(j, to)
		out = append(out, block{start: i, end: j, children: blocksOf(rows, i+1, j-1)})
		i = j + 1
	}
	return out
}

// sectionBreaks returns the report rows before which a page should break
// so that no block that fits on a page is split across two: a section of
// a statement (its heading, lines and subtotal) starts a new page rather
// than breaking in its middle. used is the number of rows the first page
// holds above report row 0.
func sectionBreaks(rows []reporting.Row, perPage, used int) []int {
	if perPage < 10 {
		return nil
	}
	var breaks []int
	pos := used
	var place func(b block)
	one := func(i int) {
		if pos+1 > perPage {
			pos = 0
		}
		pos++
	}
	place = func(b block) {
		size := b.end - b.start + 1
		switch {
		case pos+size <= perPage:
			pos += size
		case size <= perPage && b.start > 0:
			breaks = append(breaks, b.start)
			pos = size
		case len(b.children) > 0:
			one(b.start)
			for _, c := range b.children {
				place(c)
			}
			if b.end > b.start && (len(b.children) == 0 || b.children[len(b.children)-1].end < b.end) {
				one(b.end)
			}
		default:
			pos = (pos + size) % perPage
		}
	}
	for _, b := range blocksOf(rows, 0, len(rows)-1) {
		place(b)
	}
	return breaks
}

// headerFooter escapes text for a page header or footer, where & starts a
// code.
func headerFooter(s string) string { return strings.ReplaceAll(s, "&", "&&") }

// pageFooter is the footer of every page: the sheet's name at the left,
// "Page 2 of 5" at the right.
func pageFooter(m *reporting.Messages) string {
	// The codes &P and &N pass the escaping as \x00P and \x00N.
	return "&L&A&R" + strings.ReplaceAll(headerFooter(m.Sprintf("Page %s of %s", "\x00P", "\x00N")), "\x00", "&")
}

// printSetup sets paper, orientation, scale, margins, the page header
// (company, report, period) and footer (sheet, page of pages), the print
// titles (the headings row and the leading text columns) and page breaks
// that keep a statement's sections together.
func (s *sheetWriter) printSetup() error {
	p := s.page
	orientation := "portrait"
	if p.landscape {
		orientation = "landscape"
	}
	lo := &excelize.PageLayoutOptions{Size: &p.paper, Orientation: &orientation}
	if p.fit {
		one, auto := 1, 0
		lo.FitToWidth, lo.FitToHeight = &one, &auto
	} else {
		scale := uint(p.scale)
		lo.AdjustTo = &scale
	}
	if err := s.f.SetPageLayout(s.name, lo); err != nil {
		return err
	}
	side, top, hf := marginSide/72, marginTop/72, marginHeader/72
	if err := s.f.SetPageMargins(s.name, &excelize.PageLayoutMarginsOptions{
		Left: &side, Right: &side, Top: &top, Bottom: &top, Header: &hf, Footer: &hf,
	}); err != nil {
		return err
	}
	m, r := s.msg, s.r
	period := m.Range(r.From, r.To)
	if r.From.IsZero() {
		period = m.Text("As of") + " " + m.Date(r.To)
	}
	if err := s.f.SetHeaderFooter(s.name, &excelize.HeaderFooterOptions{
		OddHeader: "&L" + headerFooter(r.Company) + "&C&B" + headerFooter(r.Title) + "&B&R" + headerFooter(period),
		OddFooter: pageFooter(m),
	}); err != nil {
		return err
	}
	if s.all != nil && p.fit {
		used := HeaderRows + 3 // the header block, the title's height, the headings
		for _, i := range sectionBreaks(s.all, p.rowsPerPage(), used) {
			if err := s.f.InsertPageBreak(s.name, "A"+strconv.Itoa(s.layout.first+i)); err != nil {
				return err
			}
		}
	}
	h := strconv.Itoa(s.layout.headings)
	q := quoteSheet(s.name)
	lead, _ := excelize.ColumnNumberToName(s.lead)
	return s.f.SetDefinedName(&excelize.DefinedName{
		Name:     "_xlnm.Print_Titles",
		RefersTo: q + "!$A:$" + lead + "," + q + "!$" + h + ":$" + h,
		Scope:    s.name,
	})
}
