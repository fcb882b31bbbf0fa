package csvio

import (
	"errors"
	"fmt"
	"strings"

	"github.com/openbackoffice/backoffice/internal/errlist"
)

// Sentinel errors for the problems the Reader itself finds. A FieldError's Err
// wraps one of these, or whatever error the caller recorded; test with errors.Is.
var (
	// ErrEmpty: the input holds no header row.
	ErrEmpty = errors.New("csvio: no header row")
	// ErrEncoding: the input is not valid UTF-8.
	ErrEncoding = errors.New("csvio: not valid UTF-8")
	// ErrSyntax: the row breaks the CSV quoting rules of RFC 4180.
	ErrSyntax = errors.New("csvio: malformed CSV")
	// ErrFieldCount: the row has more or fewer fields than the header.
	ErrFieldCount = errors.New("csvio: wrong number of fields")
	// ErrMissingColumn: a required column is not in the header.
	ErrMissingColumn = errors.New("csvio: missing required column")
	// ErrUnknownColumn: the header has a column that is neither declared nor
	// matched by a declared prefix, or a column without a name.
	ErrUnknownColumn = errors.New("csvio: unknown column")
	// ErrDuplicateColumn: two header cells name the same column.
	ErrDuplicateColumn = errors.New("csvio: duplicate column")
	// ErrNotHeader: no cell of the first row names a declared column: the
	// file has no header row, and the row is data (whose values an error
	// must not repeat). It wraps ErrUnknownColumn.
	ErrNotHeader error = &subError{"csvio: not a header row", ErrUnknownColumn}
)

// subError is a sentinel error that is a case of another.
type subError struct {
	msg    string
	parent error
}

func (e *subError) Error() string { return e.msg }
func (e *subError) Unwrap() error { return e.parent }

// FieldError is one problem with one row, or with one cell of it.
type FieldError struct {
	Row    int    // 1-based row number as a spreadsheet shows it; the header is row 1
	Column string // normalized column name, or "" if the problem concerns the whole row
	Err    error  // the reason; never includes the cell's value
}

// maxColumnInMessage bounds how much of a column name an error message repeats.
const maxColumnInMessage = 64

// Error returns "row 3, column "name": reason" or "row 3: reason".
func (e *FieldError) Error() string {
	reason := "invalid"
	if e.Err != nil {
		reason = e.Err.Error()
	}
	if e.Column == "" {
		return fmt.Sprintf("row %d: %s", e.Row, reason)
	}
	col := e.Column
	if len(col) > maxColumnInMessage {
		col = strings.ToValidUTF8(col[:maxColumnInMessage], "") + "…"
	}
	return fmt.Sprintf("row %d, column %q: %s", e.Row, col, reason)
}

// Unwrap returns the reason.
func (e *FieldError) Unwrap() error { return e.Err }

// Errors is a list of problems, in row order. It implements error; errors.Is and
// errors.As see every contained FieldError and what it wraps.
type Errors []*FieldError

// Error lists the first few problems, separated by "; ", and how many more there are.
func (e Errors) Error() string {
	switch len(e) {
	case 0:
		return "csvio: no errors"
	case 1:
		return e[0].Error()
	}
	return errlist.Join("", len(e), func(i int) string { return e[i].Error() })
}

// Unwrap returns the contained errors, for errors.Is and errors.As.
func (e Errors) Unwrap() []error {
	errs := make([]error, len(e))
	for i, fe := range e {
		errs[i] = fe
	}
	return errs
}
