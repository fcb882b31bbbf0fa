// Package csvio reads CSV files whose first row names the columns, as exported by
// spreadsheets and other systems for imports (charts of accounts, employees,
// contracts, time records).
//
// A Reader strips a UTF-8 byte order mark, detects the separator (',' or ';') from
// the header row, maps columns by name (case-insensitive, surrounding space
// ignored), checks that the required columns are present and no unknown ones are,
// and then yields the data rows one at a time. Quoting follows RFC 4180
// (encoding/csv does the parsing).
//
// Rows are numbered as a spreadsheet numbers them: the header is row 1, and blank
// lines count. Problems are collected rather than returned one at a time: the
// reader records malformed rows and skips them, the caller records problems with
// the values it reads (Row.Fail, Reader.Fail), and Reader.Err returns them all as
// an Errors value. Error messages name the row, the column and the reason, never a
// cell's value, which may be personal data.
//
// A Reader is not safe for concurrent use.
package csvio
