package fx

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/openbackoffice/backoffice/date"
)

// csvHeader is the header of a rates CSV file; the source column is
// optional when reading.
var csvHeader = []string{"date", "from", "to", "rate", "source"}

// ReadCSV reads rates from CSV text whose first line is the header
// "date,from,to,rate" or "date,from,to,rate,source", exactly: comma
// separated, lower case, in this order (a UTF-8 byte order mark before it
// is skipped). Each further line is one rate, 1 from = rate to on date:
//
//	date,from,to,rate,source
//	2025-03-07,EUR,USD,1.0830,ECB
//	2025-03-07,USD,JPY,148.05,
//
// Dates are ISO 8601 (2025-03-07); currencies are codes that opts
// resolves (ISO 4217 by default); rates are decimal digits with a decimal
// point. ReadCSV refuses a decimal comma or digit grouping (1,0830 and
// 1,083.00), exponent form (1.083e0), a rate that is zero or negative or
// has more than MaxSignificantDigits significant digits, an unknown
// currency, the same currency on both sides, a line with the wrong number
// of fields, malformed quoting, and two lines giving one date and pair
// different rates; identical lines are kept (a Table or Store adds them
// once). Blank lines are skipped.
//
// It reads all or nothing: on any problem it returns no rates and an
// Errors listing every problem with its line and field.
func ReadCSV(r io.Reader, opts *ReadOptions) ([]Rate, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\uFEFF")) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // checked here, with the line
	cr.ReuseRecord = true
	rd := newReader(opts)
	head, err := cr.Read()
	switch {
	case errors.Is(err, io.EOF):
		rd.failf(1, "", ErrSyntax, "no header line: want %s", strings.Join(csvHeader, ","))
		return rd.result()
	case err != nil:
		rd.fail(csvLine(err, 1), "", csvError(err))
		return rd.result()
	}
	width := len(head)
	if (width != 4 && width != 5) || !slices.Equal(head, csvHeader[:width]) {
		line, _ := cr.FieldPos(0)
		rd.failf(line, "", ErrSyntax, "header must be %s or %s", strings.Join(csvHeader[:4], ","), strings.Join(csvHeader, ","))
		return rd.result()
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				rd.fail(csvLine(err, 0), "", err) // an I/O error: stop
				break
			}
			rd.fail(pe.StartLine, "", csvError(err))
			continue
		}
		n, _ := cr.FieldPos(0)
		if len(rec) != width {
			rd.failf(n, "", ErrSyntax, "%d fields, the header has %d", len(rec), width)
			continue
		}
		if !rd.wanted(rec[1], rec[2]) {
			continue
		}
		d, okd := readDate(rd, n, "date", rec[0])
		from, okf := rd.currency(n, "from", rec[1])
		to, okt := rd.currency(n, "to", rec[2])
		rate, okr := rd.rate(n, "rate", rec[3])
		if !okd || !okf || !okt || !okr {
			continue
		}
		rt := Rate{Date: d, From: from, To: to, Rate: rate}
		if width == 5 {
			rt.Source = rec[4]
		}
		rd.add(n, rt)
	}
	return rd.result()
}

// readDate parses an ISO date of line n, or records the problem.
func readDate(rd *reader, n int, field, s string) (date.Date, bool) {
	if s == "" {
		rd.failf(n, field, ErrSyntax, "%s is missing", field)
		return date.Date{}, false
	}
	d, err := date.Parse(s)
	if err != nil {
		rd.failf(n, field, ErrSyntax, "%q is not a date: want YYYY-MM-DD", clip(s))
		return date.Date{}, false
	}
	return d, true
}

// csvError turns an encoding/csv error into one wrapping ErrSyntax.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%w: %v", ErrSyntax, pe.Err)
	}
	return err
}

// csvLine returns the line of a CSV error, or def.
func csvLine(err error, def int) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.StartLine
	}
	return def
}

// WriteCSV writes rates as ReadCSV reads them, with the source column,
// in the order given (Table.Rates and Store.Rates give them sorted). Each
// rate is written with the digits it has (1.0830 stays 1.0830). It checks
// every rate with Rate.Validate before writing anything and fails with
// ErrInvalidRate, naming the rate's index, if one does not pass.
func WriteCSV(w io.Writer, rates []Rate) error {
	if err := validateAll(rates); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write(csvHeader)
	rec := make([]string, 5)
	for _, r := range rates {
		rec[0], rec[1], rec[2], rec[3], rec[4] = r.Date.String(), r.From.Code(), r.To.Code(), text(r.Rate), r.Source
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// validateAll checks every rate of a writer's input.
func validateAll(rates []Rate) error {
	for i, r := range rates {
		if err := r.Validate(); err != nil {
			return fmt.Errorf("fx: write rate %d (%s→%s on %s): %w", i+1, r.From.Code(), r.To.Code(), r.Date, err)
		}
	}
	return nil
}
