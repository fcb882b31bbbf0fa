package fx

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/openbackoffice/backoffice/date"
)

// ReadPriceDirectives reads the market prices of a plain-text accounting
// journal (hledger, Ledger, Beancount's hledger export): its P directives,
//
//	P 2025-01-02 USD 0.92 EUR
//	P 2025/01/02 USD EUR 0.92   ; source: ECB
//
// each read as Rate{Date: 2025-01-02, From: USD, To: EUR, Rate: 0.92}: one
// unit of the first commodity costs the amount. The date is YYYY-MM-DD,
// YYYY/MM/DD or YYYY.MM.DD (month and day of one or two digits); the
// amount's commodity may stand before or after the number, with or without
// a space; a commodity may be quoted ("USD"). A "source:" tag in the
// line's comment becomes the rate's Source (up to a comma, as hledger
// reads tag values); without one the Source is empty.
//
// Every other line is ignored: transactions and their postings, other
// directives, comment lines (; # * % |) and comment … end comment blocks.
// ReadPriceDirectives refuses, naming the line, what it cannot read
// faithfully: a commodity that is not a currency code opts resolves (a
// symbol such as $ is USD to some and CAD or AUD to others; a stock is no
// currency), a time of day on the date, a number with a decimal comma,
// digit grouping or an exponent, a price that is zero, negative or has
// more than MaxSignificantDigits significant digits, two prices of one
// date and pair that differ, and include directives (the prices of
// included files would be missed: read each file).
//
// It reads all or nothing: on any problem it returns no rates and an
// Errors listing every problem with its line and field.
func ReadPriceDirectives(r io.Reader, opts *ReadOptions) ([]Rate, error) {
	rd := newReader(opts)
	br := bufio.NewReader(r)
	inComment := false
	for n := 1; ; n++ {
		line, err := br.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			rd.fail(n, "", err)
			break
		}
		if line == "" && err != nil {
			break
		}
		line = strings.TrimRight(line, "\r\n")
		word, _, _ := strings.Cut(line, " ")
		word, _, _ = strings.Cut(word, "\t")
		switch {
		case inComment:
			inComment = strings.TrimSpace(line) != "end comment"
		case word == "comment":
			inComment = true
		case word == "P":
			readPrice(rd, n, line[1:])
		case word == "include":
			rd.failf(n, "", ErrUnsupported, "include: the prices of the included file would be missed; read each file")
		}
		if err != nil {
			break
		}
	}
	return rd.result()
}

// readPrice reads the rest of a P directive of line n.
func readPrice(rd *reader, n int, rest string) {
	body, comment, _ := strings.Cut(rest, ";")
	f := strings.Fields(body)
	if len(f) < 3 {
		rd.failf(n, "", ErrSyntax, "P directive: want P DATE COMMODITY AMOUNT")
		return
	}
	d, ok := priceDate(rd, n, f[0])
	if !ok {
		return
	}
	if strings.Contains(f[1], ":") {
		rd.failf(n, "date", ErrUnsupported, "a time of day: a rate is in force for a whole day")
		return
	}
	fromCode, ok := commodity(rd, n, "from", f[1])
	if !ok {
		return
	}
	var num, toText string
	switch amount := f[2:]; len(amount) {
	case 1: // glued: 0.92EUR or EUR0.92
		s := amount[0]
		if i := strings.IndexFunc(s, isNumberStart); i > 0 {
			toText, num = s[:i], s[i:]
		} else if i := strings.LastIndexFunc(s, isDigit); i >= 0 {
			num, toText = s[:i+1], s[i+1:]
		}
	case 2:
		num, toText = amount[0], amount[1]
		if !isNumberStart(rune(num[0])) {
			num, toText = toText, num
		}
	default:
		rd.failf(n, "rate", ErrSyntax, "P directive: want one amount, a number and a commodity (digit groups are refused)")
		return
	}
	if toText == "" {
		rd.failf(n, "to", ErrSyntax, "P directive: the price has no commodity")
		return
	}
	toCode, ok := commodity(rd, n, "to", toText)
	if !ok || !rd.wanted(fromCode, toCode) {
		return
	}
	from, okf := rd.currency(n, "from", fromCode)
	to, okt := rd.currency(n, "to", toCode)
	rate, okr := rd.rate(n, "rate", num)
	if okf && okt && okr {
		rd.add(n, Rate{Date: d, From: from, To: to, Rate: rate, Source: sourceTag(comment)})
	}
}

// commodity returns a commodity written as a code, unquoted, or records
// why it cannot be read.
func commodity(rd *reader, n int, field, s string) (string, bool) {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			rd.failf(n, field, ErrUnsupported, "commodity %q is not a currency code: write the ISO 4217 code (a symbol such as $ means different currencies to different readers)", clip(s))
			return "", false
		}
	}
	return s, true
}

// isNumberStart reports whether r can start a number: a digit, a sign or
// a point.
func isNumberStart(r rune) bool { return r >= '0' && r <= '9' || r == '-' || r == '+' || r == '.' }

// isDigit reports whether r is an ASCII digit, which ends a number.
func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// priceDate parses the date of a P directive: YYYY-MM-DD, YYYY/MM/DD or
// YYYY.MM.DD, month and day of one or two digits.
func priceDate(rd *reader, n int, s string) (date.Date, bool) {
	sep := strings.IndexAny(s, "-/.")
	var parts []string
	if sep > 0 {
		parts = strings.Split(s, s[sep:sep+1])
	}
	bad := func() (date.Date, bool) {
		rd.failf(n, "date", ErrSyntax, "%q is not a date: want YYYY-MM-DD or YYYY/MM/DD", clip(s))
		return date.Date{}, false
	}
	if len(parts) != 3 || len(parts[0]) != 4 || len(parts[1]) > 2 || len(parts[2]) > 2 ||
		!digits(parts[0]) || !digits(parts[1]) || !digits(parts[2]) {
		return bad()
	}
	y, _ := strconv.Atoi(parts[0])
	m, _ := strconv.Atoi(parts[1])
	dd, _ := strconv.Atoi(parts[2])
	d, err := date.Parse(fmt.Sprintf("%04d-%02d-%02d", y, m, dd))
	if err != nil {
		return bad()
	}
	return d, true
}

// sourceTag returns the value of a "source:" tag in a comment: up to a
// comma or the end, trimmed.
func sourceTag(comment string) string {
	for {
		i := strings.Index(comment, "source:")
		if i < 0 {
			return ""
		}
		// A tag name starts the comment or follows a space or comma.
		if i == 0 || strings.ContainsRune(" \t,", rune(comment[i-1])) {
			v, _, _ := strings.Cut(comment[i+len("source:"):], ",")
			return strings.TrimSpace(v)
		}
		comment = comment[i+len("source:"):]
	}
}

// WritePriceDirectives writes rates as P directives that
// ReadPriceDirectives reads back, in the order given:
//
//	P 2025-03-07 EUR 1.0830 USD  ; source: ECB
//
// The source is written as a tag in the comment, when there is one. It
// checks every rate with Rate.Validate before writing anything, and fails
// with ErrUnsupported for a source a tag cannot hold (a comma, or space
// at either end).
func WritePriceDirectives(w io.Writer, rates []Rate) error {
	if err := validateAll(rates); err != nil {
		return err
	}
	for i, r := range rates {
		if strings.ContainsRune(r.Source, ',') || strings.TrimSpace(r.Source) != r.Source {
			return fmt.Errorf("fx: write rate %d: %w: a source with a comma or surrounding space cannot be a journal tag", i+1, ErrUnsupported)
		}
	}
	bw := bufio.NewWriter(w)
	var b []byte
	for _, r := range rates {
		b = append(b[:0], "P "...)
		b = r.Date.AppendText(b)
		b = append(b, ' ')
		b = append(b, r.From.Code()...)
		b = append(b, ' ')
		b = append(b, text(r.Rate)...)
		b = append(b, ' ')
		b = append(b, r.To.Code()...)
		if r.Source != "" {
			b = append(b, "  ; source: "...)
			b = append(b, r.Source...)
		}
		b = append(b, '\n')
		bw.Write(b)
	}
	return bw.Flush()
}
