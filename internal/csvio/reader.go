package csvio

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"
	"unicode/utf8"
)

// Options declares the columns a Reader expects. A nil *Options, or one that
// declares no columns and no prefixes, accepts every column.
type Options struct {
	// Comma is the field separator. Zero detects ',' or ';' from the header row:
	// whichever occurs more often outside quotes, ',' on a tie.
	Comma rune
	// Required columns must be in the header; each one missing is one error.
	Required []string
	// Optional columns may be in the header.
	Optional []string
	// Prefixes admit every column whose name starts with one of them and is
	// longer, such as "meta." for "meta.role".
	Prefixes []string
	// Confidential marks files of personal data: errors name unknown and
	// duplicate header cells by their position ("unknown column 3"), never
	// by their text, in case the first row is data after all. Whatever
	// Confidential says, a first row none of whose cells names a declared
	// column is one error, ErrNotHeader, that repeats none of them.
	Confidential bool
}

// Reader reads a CSV file with a header row. Create one with NewReader, call Next
// until it returns false, then Err. A Reader is not safe for concurrent use.
type Reader struct {
	src       *bufio.Reader
	csv       *csv.Reader
	comma     rune
	required  []string
	known     map[string]bool
	prefixes  []string
	acceptAll bool
	private   bool

	started bool
	done    bool
	header  []string       // normalized column names, by position
	index   map[string]int // column name → position
	row     Row

	prevRow  int // row number of the last record read
	prevLine int // input line on which the last record ended
	errs     Errors
}

// peekMax bounds how much of the header row separator detection looks at.
const peekMax = 64 << 10

// NewReader returns a Reader of r with the columns opts declares. It reads nothing
// until the first call to Next or Header.
func NewReader(r io.Reader, opts *Options) *Reader {
	if opts == nil {
		opts = &Options{}
	}
	rd := &Reader{
		src:     bufio.NewReaderSize(r, peekMax),
		comma:   opts.Comma,
		known:   make(map[string]bool),
		private: opts.Confidential,
	}
	for _, c := range opts.Required {
		c = normalize(c)
		rd.required = append(rd.required, c)
		rd.known[c] = true
	}
	for _, c := range opts.Optional {
		rd.known[normalize(c)] = true
	}
	for _, p := range opts.Prefixes {
		rd.prefixes = append(rd.prefixes, normalize(p))
	}
	rd.acceptAll = len(rd.known) == 0 && len(rd.prefixes) == 0
	return rd
}

// normalize returns the canonical form of a column name: trimmed and lower case.
func normalize(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// Header reads the header row if Next has not done so yet and returns the
// normalized column names in file order. The error is the same as Err's.
func (r *Reader) Header() ([]string, error) {
	r.begin()
	return slices.Clone(r.header), r.Err()
}

// Next advances to the next data row, skipping blank rows (rows whose cells are all
// empty or white space) and rows with errors, which it records. It returns false
// at the end of the input, after an I/O error, or at once if the header row has a
// problem.
func (r *Reader) Next() bool {
	r.begin()
	for !r.done {
		rec, row, ok := r.read()
		if !ok {
			r.done = true
			break
		}
		if rec == nil || blank(rec) {
			continue
		}
		if len(rec) != len(r.header) {
			r.Fail(row, "", fmt.Errorf("%w: %d, want %d", ErrFieldCount, len(rec), len(r.header)))
			continue
		}
		valid := true
		for i, v := range rec {
			if !utf8.ValidString(v) {
				r.Fail(row, r.header[i], ErrEncoding)
				valid = false
			}
		}
		if !valid {
			continue
		}
		r.row = Row{r: r, num: row, rec: rec}
		return true
	}
	return false
}

// Row returns the current row. It is valid until the next call to Next.
func (r *Reader) Row() *Row { return &r.row }

// Fail records a problem with row; column is "" if it concerns the whole row. Use
// it for checks across rows, such as duplicates, after or during reading.
func (r *Reader) Fail(row int, column string, err error) {
	r.errs = append(r.errs, &FieldError{Row: row, Column: normalize(column), Err: err})
}

// Err returns the problems recorded so far, by the Reader and its caller, as an
// Errors sorted by row (stable, so problems of one row keep their order), or nil.
func (r *Reader) Err() error {
	if len(r.errs) == 0 {
		return nil
	}
	errs := slices.Clone(r.errs)
	slices.SortStableFunc(errs, func(a, b *FieldError) int { return a.Row - b.Row })
	return errs
}

// begin reads the header row on first use.
func (r *Reader) begin() {
	if r.started {
		return
	}
	r.started = true
	if !r.readHeader() {
		r.done = true
	}
}

// readHeader reads and checks the header row. It reports whether rows may follow.
func (r *Reader) readHeader() bool {
	if !r.start() {
		return false
	}
	var (
		rec []string
		row int
	)
	for {
		var ok bool
		rec, row, ok = r.read()
		if !ok {
			if len(r.errs) == 0 {
				r.Fail(1, "", ErrEmpty)
			}
			return false
		}
		if rec == nil {
			return false // malformed header, recorded
		}
		if !blank(rec) {
			break
		}
	}
	for _, v := range rec {
		if !utf8.ValidString(v) {
			r.Fail(row, "", ErrEncoding)
			return false
		}
	}
	r.header = make([]string, len(rec))
	r.index = make(map[string]int, len(rec))
	n := len(r.errs)
	if !r.acceptAll && !slices.ContainsFunc(rec, func(h string) bool { return r.accepts(normalize(h)) }) {
		// Data, not names: say so once, and repeat none of it.
		r.Fail(row, "", fmt.Errorf("%w: none of its %d cells names a column", ErrNotHeader, len(rec)))
		for _, c := range r.required {
			r.Fail(row, c, ErrMissingColumn)
		}
		return false
	}
	for i, h := range rec {
		name := normalize(h)
		r.header[i] = name
		switch first, dup := r.index[name]; {
		case name == "":
			r.Fail(row, "", fmt.Errorf("%w: column %d has no name", ErrUnknownColumn, i+1))
		case dup && r.private:
			r.Fail(row, "", fmt.Errorf("%w %d, named as column %d", ErrDuplicateColumn, i+1, first+1))
		case dup:
			r.Fail(row, name, ErrDuplicateColumn)
		case !r.accepts(name) && r.private:
			r.Fail(row, "", fmt.Errorf("%w %d", ErrUnknownColumn, i+1))
		case !r.accepts(name):
			r.Fail(row, name, ErrUnknownColumn)
		default:
			r.index[name] = i
		}
	}
	for _, c := range r.required {
		if _, ok := r.index[c]; !ok {
			r.Fail(row, c, ErrMissingColumn)
		}
	}
	return len(r.errs) == n
}

// accepts reports whether a header may hold the column.
func (r *Reader) accepts(name string) bool {
	if r.acceptAll || r.known[name] {
		return true
	}
	for _, p := range r.prefixes {
		if len(name) > len(p) && strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// start strips a byte order mark, settles the separator and sets up the CSV
// parser. It reports false if the input cannot be read as UTF-8 CSV.
func (r *Reader) start() bool {
	b, _ := r.src.Peek(len(bomUTF8))
	switch {
	case bytes.HasPrefix(b, bomUTF8):
		_, _ = r.src.Discard(len(bomUTF8))
	case bytes.HasPrefix(b, bomUTF16LE), bytes.HasPrefix(b, bomUTF16BE):
		r.Fail(1, "", fmt.Errorf("%w: the file is UTF-16; save it as UTF-8", ErrEncoding))
		return false
	}
	if r.comma == 0 {
		r.comma = detectComma(r.src)
	}
	r.csv = csv.NewReader(r.src)
	r.csv.Comma = r.comma
	r.csv.FieldsPerRecord = -1 // checked against the header by Next
	r.csv.ReuseRecord = true
	if !validComma(r.comma) {
		r.Fail(1, "", fmt.Errorf("csvio: invalid separator %q", r.comma))
		return false
	}
	return true
}

// validComma reports whether encoding/csv accepts c as a separator.
func validComma(c rune) bool {
	return c != '"' && c != '\r' && c != '\n' && utf8.ValidRune(c) && c != utf8.RuneError
}

// detectComma returns ';' if the first line of src has more semicolons than
// commas outside quotes, ',' otherwise. It does not consume input.
func detectComma(src *bufio.Reader) rune {
	var line []byte
	for n := 512; ; n *= 2 {
		n = min(n, peekMax)
		b, err := src.Peek(n)
		if end := lineEnd(b); end >= 0 {
			line = b[:end]
			break
		}
		if err != nil || n == peekMax {
			line = b
			break
		}
	}
	commas, semicolons := 0, 0
	quoted := false
	for _, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == ',':
			commas++
		case c == ';':
			semicolons++
		}
	}
	if semicolons > commas {
		return ';'
	}
	return ','
}

// lineEnd returns the index of the first newline outside quotes in b, or -1.
func lineEnd(b []byte) int {
	quoted := false
	for i, c := range b {
		switch {
		case c == '"':
			quoted = !quoted
		case c == '\n' && !quoted:
			return i
		}
	}
	return -1
}

// read reads the next record and its row number. A malformed record is recorded
// and returned as nil with ok true; ok is false at the end of the input or after
// an I/O error (recorded).
func (r *Reader) read() (rec []string, row int, ok bool) {
	rec, err := r.csv.Read()
	if err == io.EOF {
		return nil, 0, false
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) && isSyntax(pe.Err) {
			row = r.advance(pe.StartLine, pe.Line)
			r.Fail(row, "", fmt.Errorf("%w: %v", ErrSyntax, pe.Err))
			return nil, row, true
		}
		r.Fail(r.prevRow+1, "", fmt.Errorf("csvio: read: %w", err))
		return nil, 0, false
	}
	first, _ := r.csv.FieldPos(0)
	last, _ := r.csv.FieldPos(len(rec) - 1)
	return rec, r.advance(first, last+strings.Count(rec[len(rec)-1], "\n")), true
}

// isSyntax reports whether err is one of encoding/csv's quoting errors, after
// which parsing can go on with the next record.
func isSyntax(err error) bool {
	return errors.Is(err, csv.ErrBareQuote) || errors.Is(err, csv.ErrQuote) || errors.Is(err, csv.ErrFieldCount)
}

// advance numbers the record spanning input lines first to last: one row after
// the previous record, plus the blank lines in between, which a spreadsheet shows
// as rows.
func (r *Reader) advance(first, last int) int {
	row := r.prevRow + 1 + max(0, first-r.prevLine-1)
	r.prevRow = row
	r.prevLine = max(last, first)
	return row
}

// blank reports whether every field of rec is empty or white space.
func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// Row is one data row of a Reader.
type Row struct {
	r   *Reader
	num int
	rec []string
}

// Num returns the row number as a spreadsheet shows it (the header is row 1).
func (w *Row) Num() int { return w.num }

// Get returns the value of column with surrounding white space removed, or "" if
// the header has no such column. Column names are matched like header names.
func (w *Row) Get(column string) string {
	v, _ := w.Lookup(column)
	return v
}

// Lookup is like Get but also reports whether the header has the column.
func (w *Row) Lookup(column string) (string, bool) {
	i, ok := w.r.index[column]
	if !ok {
		i, ok = w.r.index[normalize(column)]
	}
	if !ok {
		return "", false
	}
	return strings.TrimSpace(w.rec[i]), true
}

// Prefixed yields, in header order, each column whose name starts with prefix
// (normalized), as the rest of the name and the value as Get returns it.
func (w *Row) Prefixed(prefix string) iter.Seq2[string, string] {
	prefix = normalize(prefix)
	return func(yield func(string, string) bool) {
		for i, name := range w.r.header {
			if len(name) > len(prefix) && strings.HasPrefix(name, prefix) && w.r.index[name] == i {
				if !yield(name[len(prefix):], strings.TrimSpace(w.rec[i])) {
					return
				}
			}
		}
	}
}

// Fail records a problem with column of this row ("" for the whole row).
func (w *Row) Fail(column string, err error) { w.r.Fail(w.num, column, err) }
