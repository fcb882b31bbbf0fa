package reporting

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/openbackoffice/backoffice/money"
)

// Renderers lay a report out; they never compute accounting. Each writes
// r.Rows; the *Rows variants write a stream of rows instead (see
// GeneralLedgerRows), so a large report need not sit in memory. All are
// safe for concurrent use on different writers.

var rowKindNames = [...]string{DetailRow: "detail", HeadingRow: "heading", SubtotalRow: "subtotal", TotalRow: "total"}

// String returns "detail", "heading", "subtotal" or "total".
func (k RowKind) String() string {
	if int(k) < len(rowKindNames) {
		return rowKindNames[k]
	}
	return "RowKind(" + strconv.Itoa(int(k)) + ")"
}

var columnKindNames = [...]string{TextColumn: "text", AmountColumn: "amount", DateColumn: "date"}

// String returns "text", "amount" or "date".
func (k ColumnKind) String() string {
	if int(k) < len(columnKindNames) {
		return columnKindNames[k]
	}
	return "ColumnKind(" + strconv.Itoa(int(k)) + ")"
}

// rows returns the sequence of r.Rows, for the *Rows renderers.
func (r Report) rows() iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		for _, row := range r.Rows {
			if !yield(row, nil) {
				return
			}
		}
	}
}

// cellText returns cell as exact text for column kind k: an amount as a
// plain decimal ("-1234.50"), a date as YYYY-MM-DD, a blank cell as "".
func cellText(c Cell, k ColumnKind) string {
	switch {
	case c.Blank:
		return ""
	case k == AmountColumn:
		return c.Amount.Number()
	case k == DateColumn:
		return c.Date.String()
	}
	return c.Text
}

// CSVOptions configures WriteCSV. A nil *CSVOptions means defaults.
type CSVOptions struct {
	// Comma is the field separator; zero means ','. Use ';' for
	// spreadsheets set to a German locale.
	Comma rune
}

// WriteCSV writes r as CSV (RFC 4180, UTF-8, "\n" line ends): a header row,
// then one record per row. The header is
//
//	row,level,account,line,KEY…
//
// where KEY… are the keys of r.Columns in order. Each record holds the row's
// kind (detail, heading, subtotal or total), its level, Row.Account,
// Row.Line, then one field per column: text as is, amounts as exact plain
// decimals without grouping or currency ("-1234.50", in r.Currency), dates
// as YYYY-MM-DD, and "" for a blank cell. Titles, Terms and Checks are not
// in the CSV; use WriteJSON for them.
//
// Against CSV injection, a text field (and account, line or header field)
// that begins with '=', '+', '-', '@', a tab or a carriage return is
// written with a leading single quote ("'=SUM(A1)"), as OWASP recommends,
// so that spreadsheets show it as text. Amount and date fields are never
// prefixed.
func WriteCSV(w io.Writer, r Report, opts *CSVOptions) error {
	return WriteCSVRows(w, r, r.rows(), opts)
}

// WriteCSVRows is WriteCSV for the header of r and the given rows; it
// ignores r.Rows. It stops at the first error the sequence yields and
// returns it.
func WriteCSVRows(w io.Writer, r Report, rows iter.Seq2[Row, error], opts *CSVOptions) error {
	cw := csv.NewWriter(w)
	if opts != nil && opts.Comma != 0 {
		cw.Comma = opts.Comma
	}
	rec := make([]string, 0, 4+len(r.Columns))
	rec = append(rec, "row", "level", "account", "line")
	for _, c := range r.Columns {
		rec = append(rec, safeText(c.Key))
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	for row, err := range rows {
		if err != nil {
			return err
		}
		rec = rec[:0]
		rec = append(rec, row.Kind.String(), strconv.Itoa(row.Level), safeText(row.Account), safeText(row.Line))
		for i, c := range r.Columns {
			var cell Cell
			if i < len(row.Cells) {
				cell = row.Cells[i]
			} else {
				cell.Blank = true
			}
			s := cellText(cell, c.Kind)
			if c.Kind == TextColumn {
				s = safeText(s)
			}
			rec = append(rec, s)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// safeText defuses text a spreadsheet would read as a formula.
func safeText(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// WriteJSON writes r as one JSON object:
//
//	{"kind":"trial-balance","title":"Trial balance","company":"…","book":"…",
//	 "currency":"EUR","from":"2026-01-01","to":"2026-03-31",
//	 "generated":"2026-04-01T08:00:00Z","filter":"",
//	 "columns":[{"key":"account","label":"Account","kind":"text"},
//	            {"key":"debit","label":"Debit","kind":"amount","from":"…","to":"…"},…],
//	 "rows":[
//	 {"kind":"detail","level":0,"account":"1200","label":"Bank","cells":["1200","Bank","0.00",…]},
//	 {"kind":"total","level":0,"label":"Total","cells":[…],"terms":[{"row":0},{"row":1,"neg":true}]}
//	 ],
//	 "checks":[{"label":"Σ debits = Σ credits (period)","left":"10.00","right":"10.00","ok":true}]}
//
// "from" is "" for a report as of a date; "generated" is RFC 3339 in UTC.
// Cells are an array parallel to "columns": text as a string, an amount as
// an exact decimal string in "currency" (never a JSON number, which readers
// turn into floats), a date as "YYYY-MM-DD", a blank cell as null. A row's
// "account", "line" and "terms" are left out when empty, and a term's "neg"
// when false; "row" indexes "rows". Each row is on a line of its own.
func WriteJSON(w io.Writer, r Report) error {
	return WriteJSONRows(w, r, r.rows())
}

// WriteJSONRows is WriteJSON for the header and checks of r and the given
// rows; it ignores r.Rows. It stops at the first error the sequence yields
// and returns it, leaving the JSON unfinished.
func WriteJSONRows(w io.Writer, r Report, rows iter.Seq2[Row, error]) error {
	type jsonColumn struct {
		Key   string `json:"key"`
		Label string `json:"label"`
		Kind  string `json:"kind"`
		From  string `json:"from,omitempty"`
		To    string `json:"to,omitempty"`
	}
	head := struct {
		Kind      Kind         `json:"kind"`
		Title     string       `json:"title"`
		Company   string       `json:"company"`
		Book      string       `json:"book"`
		Currency  string       `json:"currency"`
		From      string       `json:"from"`
		To        string       `json:"to"`
		Generated string       `json:"generated"`
		Filter    string       `json:"filter"`
		Columns   []jsonColumn `json:"columns"`
	}{r.Kind, r.Title, r.Company, r.Book, r.Currency.Code(), r.From.String(), r.To.String(),
		r.Generated.UTC().Format(time.RFC3339), r.Filter, make([]jsonColumn, len(r.Columns))}
	for i, c := range r.Columns {
		head.Columns[i] = jsonColumn{c.Key, c.Label, c.Kind.String(), c.From.String(), c.To.String()}
	}
	b, err := json.Marshal(head)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	bw.Write(b[:len(b)-1])
	bw.WriteString(",\n\"rows\":[")
	type jsonTerm struct {
		Row int  `json:"row"`
		Neg bool `json:"neg,omitempty"`
	}
	type jsonRow struct {
		Kind    string     `json:"kind"`
		Level   int        `json:"level"`
		Account string     `json:"account,omitempty"`
		Line    string     `json:"line,omitempty"`
		Label   string     `json:"label"`
		Cells   []*string  `json:"cells"`
		Terms   []jsonTerm `json:"terms,omitempty"`
	}
	first := true
	for row, err := range rows {
		if err != nil {
			bw.Flush()
			return err
		}
		jr := jsonRow{Kind: row.Kind.String(), Level: row.Level, Account: row.Account, Line: row.Line, Label: row.Label,
			Cells: make([]*string, len(r.Columns))}
		for i, c := range r.Columns {
			if i < len(row.Cells) && !row.Cells[i].Blank {
				s := cellText(row.Cells[i], c.Kind)
				jr.Cells[i] = &s
			}
		}
		for _, t := range row.Terms {
			jr.Terms = append(jr.Terms, jsonTerm(t))
		}
		b, err := json.Marshal(jr)
		if err != nil {
			return err
		}
		if !first {
			bw.WriteByte(',')
		}
		first = false
		bw.WriteByte('\n')
		bw.Write(b)
	}
	type jsonCheck struct {
		Label string `json:"label"`
		Left  string `json:"left"`
		Right string `json:"right"`
		OK    bool   `json:"ok"`
	}
	checks := make([]jsonCheck, len(r.Checks))
	for i, c := range r.Checks {
		checks[i] = jsonCheck{c.Label, c.Left.Number(), c.Right.Number(), c.OK()}
	}
	if b, err = json.Marshal(checks); err != nil {
		return err
	}
	bw.WriteString("\n],\n\"checks\":")
	bw.Write(b)
	bw.WriteString("}\n")
	return bw.Flush()
}

// TextOptions configures WriteText. A nil *TextOptions means defaults.
type TextOptions struct {
	// Format writes amounts; the zero value means the format of the
	// report's language (Report.Language): money.German ("-1.234,56") in
	// German, money.English ("-1,234.56") in English.
	Format money.Format
}

// WriteText writes r as an aligned table for a terminal, in UTF-8: a title
// line ("Title — Company"), a line with the period (or the date of a
// balance sheet), currency and filter, the column headings, the rows, and
// the checks. Its own words ("As of", "Checks"), dates and amounts follow
// the report's language (Report.Language): 31.12.2025 and 1.234,56 in
// German. Text and dates are left-aligned, amounts right-aligned with
// digit grouping; the column keyed "label" is indented two spaces per
// level. A rule of '-' under the amount columns precedes each subtotal row
// and a rule of '=' each total row; blank cells stay empty. Each check is
// listed as "✓ label: left = right", or with "✗" if it fails. Lines carry
// no trailing spaces. WriteText needs every row to align the columns, so
// it has no streaming variant.
func WriteText(w io.Writer, r Report, opts *TextOptions) error {
	msg := MessagesFor(r.Language)
	f := msg.Format()
	if opts != nil && opts.Format != (money.Format{}) {
		f = opts.Format
	}
	ncol := len(r.Columns)
	text := make([][]string, len(r.Rows))
	width := make([]int, ncol)
	labelCol := slices.IndexFunc(r.Columns, func(c Column) bool { return c.Key == "label" })
	for i, c := range r.Columns {
		width[i] = utf8.RuneCountInString(c.Label)
	}
	for i, row := range r.Rows {
		text[i] = make([]string, ncol)
		for j, c := range r.Columns {
			if j >= len(row.Cells) || row.Cells[j].Blank {
				continue
			}
			cell := row.Cells[j]
			var s string
			switch c.Kind {
			case AmountColumn:
				s = cell.Amount.Format(f)
			case DateColumn:
				s = msg.Date(cell.Date)
			default:
				s = cell.Text
			}
			if j == labelCol {
				s = strings.Repeat("  ", row.Level) + s
			}
			text[i][j] = s
			width[j] = max(width[j], utf8.RuneCountInString(s))
		}
	}
	bw := bufio.NewWriter(w)
	line := func(cells []string) {
		var b strings.Builder
		for j, s := range cells {
			if j > 0 {
				b.WriteString("  ")
			}
			pad := strings.Repeat(" ", width[j]-utf8.RuneCountInString(s))
			if r.Columns[j].Kind == AmountColumn {
				b.WriteString(pad + s)
			} else {
				b.WriteString(s + pad)
			}
		}
		bw.WriteString(strings.TrimRight(b.String(), " ") + "\n")
	}
	title := r.Title
	if r.Company != "" {
		title += " — " + r.Company
	}
	bw.WriteString(title + "\n")
	sub := msg.Text("As of") + " " + msg.Date(r.To)
	if !r.From.IsZero() {
		sub = msg.Range(r.From, r.To)
	}
	sub += ", " + r.Currency.Code()
	if r.Filter != "" {
		sub += ", " + r.Filter
	}
	bw.WriteString(sub + "\n\n")
	heads := make([]string, ncol)
	for j, c := range r.Columns {
		heads[j] = c.Label
	}
	line(heads)
	rule := func(ch string, all bool) {
		cells := make([]string, ncol)
		for j, c := range r.Columns {
			if all || c.Kind == AmountColumn {
				cells[j] = strings.Repeat(ch, width[j])
			}
		}
		line(cells)
	}
	rule("-", true)
	for i, row := range r.Rows {
		switch row.Kind {
		case SubtotalRow:
			rule("-", false)
		case TotalRow:
			rule("=", false)
		}
		line(text[i])
	}
	if len(r.Checks) > 0 {
		bw.WriteString("\n" + msg.Text("Checks") + "\n")
		for _, c := range r.Checks {
			mark := "✓"
			if !c.OK() {
				mark = "✗"
			}
			fmt.Fprintf(bw, "  %s %s: %s = %s\n", mark, c.Label, c.Left.Format(f), c.Right.Format(f))
		}
	}
	return bw.Flush()
}
