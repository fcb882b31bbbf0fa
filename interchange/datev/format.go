package datev

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

// Data categories, format names and format versions of the DATEV-Format
// files this package writes, and the header version (700).
const (
	HeaderVersion = 700

	CategoryBookings = 21 // Buchungsstapel
	CategoryLabels   = 20 // Kontenbeschriftungen
	CategoryParties  = 16 // Debitoren/Kreditoren

	FormatBookings = "Buchungsstapel"
	FormatLabels   = "Kontenbeschriftungen"
	FormatParties  = "Debitoren/Kreditoren"

	VersionBookings = 13
	VersionLabels   = 3
	VersionParties  = 5
)

// Header is the first line of a DATEV-Format file: its 31 fields in
// order, of which these are the ones that carry meaning here. Fields 7, 9,
// 10, 23, 25, 26, 29 and 30 are written empty (Importiert, Exportiert von,
// Importiert von and the reserved fields).
type Header struct {
	Kind          string // field 1: "EXTF" (written by programs other than DATEV's)
	Category      int    // 3: 21, 20 or 16
	Format        string // 4: "Buchungsstapel" …
	FormatVersion int    // 5
	Created       time.Time
	Origin        string // 8: Herkunft, two characters; "RE" (Rechnungswesen)
	Consultant    int    // 11: Beraternummer, 1001–9999999
	Client        int    // 12: Mandantennummer, 1–99999
	FiscalYear    date.Date
	AccountLength int       // 14: Sachkontenlänge, 4–8
	From, To      date.Date // 15, 16: Datum vom, Datum bis (bookings only)
	Description   string    // 17: Bezeichnung, at most 30 characters
	Initials      string    // 18: Diktatkürzel, at most 2 characters
	BookingType   int       // 19: 1 Finanzbuchführung, 2 Jahresabschluss (bookings only)
	Purpose       int       // 20: Rechnungslegungszweck, 0 unspecified
	Locked        bool      // 21: Festschreibung
	Currency      string    // 22: WKZ
	Chart         string    // 27: Sachkontenrahmen, "03" or "04"
	Application   string    // 31: Anwendungsinformation
}

// fields returns the header's 31 fields as written.
func (h Header) fields() []field {
	num := func(n int) field { return field{s: strconv.Itoa(n)} }
	ymd := func(d date.Date) field {
		if d.IsZero() {
			return field{}
		}
		y, m, dd := d.Date()
		return field{s: fmt.Sprintf("%04d%02d%02d", y, int(m), dd)}
	}
	txt := func(s string) field { return field{s: s, text: true} }
	empty := field{}
	isBookings := h.Category == CategoryBookings
	f := []field{
		txt(h.Kind), num(HeaderVersion), num(h.Category), txt(h.Format), num(h.FormatVersion),
		{s: h.Created.UTC().Format("20060102150405") + fmt.Sprintf("%03d", h.Created.UTC().Nanosecond()/1e6)},
		empty, txt(h.Origin), txt(""), txt(""),
		num(h.Consultant), num(h.Client), ymd(h.FiscalYear), num(h.AccountLength),
	}
	if isBookings {
		lock := 0
		if h.Locked {
			lock = 1
		}
		f = append(f, ymd(h.From), ymd(h.To), txt(h.Description), txt(h.Initials),
			num(h.BookingType), num(h.Purpose), num(lock), txt(h.Currency))
	} else {
		f = append(f, empty, empty, txt(h.Description), txt(h.Initials), empty, empty, empty, txt(""))
	}
	f = append(f, empty, txt(""), empty, empty, txt(h.Chart), empty, empty, txt(""), txt(h.Application))
	return f
}

// field is one value of a line: text fields are quoted, numbers not.
type field struct {
	s    string
	text bool
}

// Notice reports a change the writer made to a value so that DATEV can
// take it — a character outside Windows-1252 transliterated, a text cut to
// its maximum length — or a value DATEV may read otherwise than the book
// holds it: a Kurs that does not convert the Umsatz back to the cent of
// Basis-Umsatz, a Kurs below 1. Nothing is changed without a Notice.
type Notice struct {
	Entry  uint64 // the entry's sequence number, 0 for master data
	Record string // the account or party number for master data
	Field  string // the DATEV column
	What   string // what was done
}

func (n Notice) String() string {
	if n.Record != "" {
		return fmt.Sprintf("%s: %s: %s", n.Record, n.Field, n.What)
	}
	return fmt.Sprintf("entry %d: %s: %s", n.Entry, n.Field, n.What)
}

// encoder writes DATEV lines in Windows-1252 with CRLF line ends, ';'
// between fields, text in double quotes with quotes doubled.
type encoder struct {
	w   *bufio.Writer
	buf []byte
}

func newEncoder(w io.Writer) *encoder { return &encoder{w: bufio.NewWriterSize(w, 64<<10)} }

// line writes one line. Text fields must already be in the Windows-1252
// repertoire (see ansi).
func (e *encoder) line(fs []field) error {
	b := e.buf[:0]
	for i, f := range fs {
		if i > 0 {
			b = append(b, ';')
		}
		if f.text {
			b = append(b, '"')
			for _, r := range f.s {
				if r == '"' {
					b = append(b, '"', '"')
					continue
				}
				c, ok := charmap.Windows1252.EncodeRune(r)
				if !ok {
					return fmt.Errorf("datev: internal error: rune %U not transliterated", r)
				}
				b = append(b, c)
			}
			b = append(b, '"')
		} else {
			for _, r := range f.s {
				c, ok := charmap.Windows1252.EncodeRune(r)
				if !ok {
					return fmt.Errorf("datev: internal error: rune %U not transliterated", r)
				}
				b = append(b, c)
			}
		}
	}
	b = append(b, '\r', '\n')
	e.buf = b
	_, err := e.w.Write(b)
	return err
}

func (e *encoder) flush() error { return e.w.Flush() }

// translit maps characters outside Windows-1252 that decompose to no base
// letter to a replacement.
var translit = map[rune]string{
	'ł': "l", 'Ł': "L", 'đ': "d", 'Đ': "D", 'ø': "o", 'Ø': "O", 'ı': "i",
	'‐': "-", '‑': "-", '‒': "-", '−': "-", '\u00a0': " ", '\u2009': " ", '\u202f': " ",
}

// ansi returns s in the Windows-1252 repertoire, without line breaks or
// tabs, cut to max characters (0: no limit), and whether it had to change
// it, with a description of the change.
func ansi(s string, max int) (string, string) {
	var sb strings.Builder
	var changed []string
	n := 0
	for _, r := range s {
		if r == '\r' || r == '\n' || r == '\t' {
			sb.WriteByte(' ')
			n++
			changed = appendOnce(changed, "line break or tab replaced by a space")
			continue
		}
		if _, ok := charmap.Windows1252.EncodeRune(r); ok && r != utf8.RuneError {
			sb.WriteRune(r)
			n++
			continue
		}
		rep, ok := translit[r]
		if !ok {
			// Strip diacritics: the base letters of the decomposition.
			var base strings.Builder
			for _, d := range norm.NFD.String(string(r)) {
				if unicode.Is(unicode.Mn, d) {
					continue
				}
				if _, ok := charmap.Windows1252.EncodeRune(d); ok {
					base.WriteRune(d)
				}
			}
			rep = base.String()
			if rep == "" {
				rep = "?"
			}
		}
		sb.WriteString(rep)
		n += utf8.RuneCountInString(rep)
		changed = append(changed, fmt.Sprintf("%q transliterated as %q", r, rep))
	}
	out := sb.String()
	if max > 0 && utf8.RuneCountInString(out) > max {
		out = string([]rune(out)[:max])
		changed = append(changed, fmt.Sprintf("cut to %d characters", max))
	}
	return out, strings.Join(changed, "; ")
}

func appendOnce(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// amount formats the absolute value of a with a decimal comma and no digit
// grouping: 1234,56.
func amount(a money.Amount) string {
	m := a.MinorUnits()
	if m < 0 {
		m = -m
	}
	u := a.Currency().MinorUnits()
	s := strconv.FormatInt(m, 10)
	if u == 0 {
		return s
	}
	for len(s) <= u {
		s = "0" + s
	}
	return s[:len(s)-u] + "," + s[len(s)-u:]
}

// parseAmount reads an Umsatz: digits, a decimal comma and exactly the
// currency's minor units, positive.
func parseAmount(s string, c money.Currency) (money.Amount, error) {
	u := c.MinorUnits()
	i := strings.IndexByte(s, ',')
	var whole, frac string
	if i < 0 {
		whole = s
	} else {
		whole, frac = s[:i], s[i+1:]
	}
	if whole == "" || len(whole) > 10 || !digits(whole) || !digits(frac) || len(frac) > u || (i >= 0 && frac == "") {
		return money.Amount{}, fmt.Errorf("want a positive amount with a decimal comma and at most %d decimals, like 1234,56", u)
	}
	for len(frac) < u {
		frac += "0"
	}
	m, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return money.Amount{}, fmt.Errorf("amount out of range")
	}
	if m == 0 {
		return money.Amount{}, fmt.Errorf("the amount is zero")
	}
	return money.New(m, c), nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// record is one line read back: its fields unquoted, and its line number.
type record struct {
	line   int
	fields []string
}

// decoder reads DATEV lines: Windows-1252, CRLF (a bare LF is accepted),
// ';' separated, text in double quotes with doubled quotes inside. A
// quoted field may not span lines.
type decoder struct {
	r    *bufio.Reader
	line int
	name string
}

func newDecoder(r io.Reader, name string) *decoder {
	return &decoder{r: bufio.NewReaderSize(charmap.Windows1252.NewDecoder().Reader(r), 64<<10), name: name}
}

// next returns the next line's fields, or io.EOF.
func (d *decoder) next() (record, error) {
	s, err := d.r.ReadString('\n')
	if err != nil && (err != io.EOF || s == "") {
		if err == io.EOF {
			return record{}, io.EOF
		}
		return record{}, err
	}
	d.line++
	s = strings.TrimSuffix(strings.TrimSuffix(s, "\n"), "\r")
	var fs []string
	for i := 0; ; {
		if i < len(s) && s[i] == '"' {
			var sb strings.Builder
			j := i + 1
			for {
				if j >= len(s) {
					return record{}, &SyntaxError{File: d.name, Line: d.line, Column: len(fs) + 1, Msg: "unterminated quoted field"}
				}
				if s[j] == '"' {
					if j+1 < len(s) && s[j+1] == '"' {
						sb.WriteByte('"')
						j += 2
						continue
					}
					j++
					break
				}
				sb.WriteByte(s[j])
				j++
			}
			fs = append(fs, sb.String())
			if j < len(s) && s[j] != ';' {
				return record{}, &SyntaxError{File: d.name, Line: d.line, Column: len(fs), Msg: "text after a closing quote"}
			}
			i = j
		} else {
			k := strings.IndexByte(s[i:], ';')
			if k < 0 {
				k = len(s) - i
			}
			v := s[i : i+k]
			if strings.ContainsRune(v, '"') {
				return record{}, &SyntaxError{File: d.name, Line: d.line, Column: len(fs) + 1, Msg: "quote inside an unquoted field"}
			}
			fs = append(fs, v)
			i += k
		}
		if i >= len(s) {
			break
		}
		i++ // the ';'
		if i == len(s) {
			fs = append(fs, "")
			break
		}
	}
	return record{line: d.line, fields: fs}, nil
}
