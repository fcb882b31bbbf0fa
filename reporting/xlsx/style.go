package xlsx

import (
	"github.com/openbackoffice/backoffice/reporting"
	"github.com/xuri/excelize/v2"
)

// Number formats of excelize's built-in table used here.
const (
	numFmtGeneral = 0
	numFmtText    = 49 // "@"
)

// fontName and fontSize are the font of every cell. Arial is on every
// machine that has Excel, and LibreOffice draws it with the metric-compatible
// Liberation Sans, so the column widths computed here hold in both; a style
// that names no font would get LibreOffice's serif fallback.
const (
	fontName = "Arial"
	fontSize = 10
)

// font returns the font of a style: Arial 10 unless changed by f.
func font(f excelize.Font) *excelize.Font {
	f.Family = fontName
	if f.Size == 0 {
		f.Size = fontSize
	}
	return &f
}

// maxIndent is the deepest indentation a cell style gets (Excel allows 250;
// deeper report levels than this are shown at this level).
const maxIndent = 15

// styleKey identifies one cell style of a report sheet.
type styleKey struct {
	col      reporting.ColumnKind
	row      reporting.RowKind
	indent   int
	decimals int    // amount columns: the currency's minor units
	header   bool   // the column headings row
	lcid     string // the language of number formats ("407"), or ""
	date     string // the date format, "" for yyyy-mm-dd
	wrap     bool   // text wraps (long labels, check labels)
}

// fixed names the styles of the header block and check rows.
type fixed uint8

const (
	titleStyle      fixed = iota // the report title, A1
	labelStyle                   // "Company", "Period", … in column A
	valueStyle                   // the header values (text)
	checkOKStyle                 // "OK" of a check that holds
	checkBadStyle                // "DIFFERS" of a check that fails
	checkLabelStyle              // a check's label, wrapping
)

// styles creates the cell styles of a workbook once each and hands out
// their IDs.
type styles struct {
	f     *excelize.File
	ids   map[styleKey]int
	fixed map[fixed]int
}

func newStyles(f *excelize.File) *styles {
	return &styles{f: f, ids: make(map[styleKey]int), fixed: make(map[fixed]int)}
}

// cell returns the style of a cell of a column of kind col in a row of kind
// row.
func (s *styles) cell(k styleKey) (int, error) {
	if k.indent > maxIndent {
		k.indent = maxIndent
	}
	if id, ok := s.ids[k]; ok {
		return id, nil
	}
	st := &excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}, Font: font(excelize.Font{})}
	switch k.col {
	case reporting.AmountColumn:
		f := amountFormat(k.decimals, k.lcid)
		st.CustomNumFmt = &f
		st.Alignment.Horizontal = "right"
	case reporting.DateColumn:
		f := k.date
		if f == "" {
			f = dateFormat
		}
		f = localFormat(f, k.lcid)
		st.CustomNumFmt = &f
		st.Alignment.Horizontal = "left"
	default:
		st.NumFmt = numFmtText
		// Excel and LibreOffice ignore an indent without an explicit
		// horizontal alignment.
		st.Alignment.Horizontal = "left"
		st.Alignment.Indent = k.indent
		st.Alignment.WrapText = k.wrap
	}
	if k.header {
		st.NumFmt, st.CustomNumFmt = numFmtText, nil
		st.Font = font(excelize.Font{Bold: true})
		st.Alignment.WrapText = true
		st.Alignment.Vertical = "bottom"
		st.Border = []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}}
		st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}}
	} else {
		switch k.row {
		case reporting.HeadingRow:
			st.Font = font(excelize.Font{Bold: true})
			st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}
		case reporting.SubtotalRow:
			st.Font = font(excelize.Font{Bold: true})
			st.Border = []excelize.Border{{Type: "top", Color: "000000", Style: 1}}
		case reporting.TotalRow:
			st.Font = font(excelize.Font{Bold: true})
			st.Border = []excelize.Border{
				{Type: "top", Color: "000000", Style: 1},
				{Type: "bottom", Color: "000000", Style: 6}, // double
			}
		}
	}
	id, err := s.f.NewStyle(st)
	if err != nil {
		return 0, err
	}
	s.ids[k] = id
	return id, nil
}

// get returns one of the fixed styles.
func (s *styles) get(which fixed) (int, error) {
	if id, ok := s.fixed[which]; ok {
		return id, nil
	}
	var st *excelize.Style
	switch which {
	case titleStyle:
		st = &excelize.Style{Font: font(excelize.Font{Bold: true, Size: 14}), NumFmt: numFmtText}
	case labelStyle:
		st = &excelize.Style{Font: font(excelize.Font{Bold: true}), NumFmt: numFmtText}
	case valueStyle:
		st = &excelize.Style{Font: font(excelize.Font{}), NumFmt: numFmtText, Alignment: &excelize.Alignment{Horizontal: "left"}}
	case checkOKStyle:
		st = &excelize.Style{NumFmt: numFmtText, Font: font(excelize.Font{Bold: true, Color: "007A33"})}
	case checkBadStyle:
		st = &excelize.Style{NumFmt: numFmtText, Font: font(excelize.Font{Bold: true, Color: "C00000"})}
	case checkLabelStyle:
		st = &excelize.Style{NumFmt: numFmtText, Font: font(excelize.Font{}),
			Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top", WrapText: true}}
	}
	id, err := s.f.NewStyle(st)
	if err != nil {
		return 0, err
	}
	s.fixed[which] = id
	return id, nil
}
