package xlsx

import (
	"errors"
	"fmt"
)

// Sentinel errors. Errors of this package wrap them (test with errors.Is);
// errors about one cell are *CellError values. No error contains the text of
// an amount: amounts can be salaries, and error strings end up in logs.
var (
	// ErrPrecision means an amount has more than 15 significant digits,
	// more than a spreadsheet number holds exactly.
	ErrPrecision = errors.New("xlsx: amount has more than 15 significant digits")

	// ErrCurrency means an amount cell is in a currency other than the
	// report's.
	ErrCurrency = errors.New("xlsx: amount in a currency other than the report's")

	// ErrTerms means a subtotal row's terms are unusable: an index that is
	// not an earlier row, or terms that do not add up to the row's value.
	ErrTerms = errors.New("xlsx: subtotal terms do not match the row")

	// ErrCells means a row has a different number of cells than the
	// report has columns.
	ErrCells = errors.New("xlsx: row cells do not match the columns")

	// ErrTooManyRows means a report does not fit on one sheet (Excel's
	// limit is 1,048,576 rows).
	ErrTooManyRows = errors.New("xlsx: report exceeds the rows of a sheet")

	// ErrChart means chart options name a report, row or column that
	// cannot be charted.
	ErrChart = errors.New("xlsx: invalid chart options")

	// ErrNoReports means a workbook is written without any report.
	ErrNoReports = errors.New("xlsx: no reports")

	// ErrWritten means a Workbook was used after WriteTo or Close.
	ErrWritten = errors.New("xlsx: workbook already written or closed")
)

// CellError reports a problem with one cell of a report: the sheet, the
// cell reference ("D17"), the index of the row in the report and the
// column, and the cause, which wraps one of the sentinel errors.
type CellError struct {
	Sheet  string
	Cell   string
	Row    int // index into Report.Rows (or into the rows of AddRows)
	Column int // index into Report.Columns
	Err    error
}

// Error implements error. It never contains the cell's value.
func (e *CellError) Error() string {
	return fmt.Sprintf("xlsx: sheet %q cell %s (row %d, column %d): %v", e.Sheet, e.Cell, e.Row, e.Column, e.Err)
}

// Unwrap returns the cause.
func (e *CellError) Unwrap() error { return e.Err }
