package xlsx

import (
	"strconv"
	"strings"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

// maxSignificant is the number of significant decimal digits every IEEE 754
// double holds exactly (DBL_DIG): each decimal of at most 15 significant
// digits converts to a double whose shortest decimal form is that decimal
// again. Excel shows and stores at most 15 significant digits, and
// excelize writes a double with its shortest round-trip form cut to 15
// digits.
const maxSignificant = 15

// exactNumber returns the number to hand to excelize for a: its minor units
// as an int64 for a currency without minor units, else the double nearest to
// a's decimal value. It fails with ErrPrecision if a has more
// than 15 significant digits.
//
// Why this is exact: for an amount of at most 15 significant digits, the
// nearest double d is unique to that decimal (doubles are finer than 15
// digits apart), so the shortest decimal that converts back to d, which
// excelize writes into the cell's XML (strconv.FormatFloat(d, 'f', -1,
// 64)), has at most 15 digits and equals a's value: the file carries a's own
// decimal text. TestExactNumber checks this for the extreme amounts and by
// property over random ones.
//
// excelize's StreamWriter takes numbers only as Go integers or floats; this
// function is the one place the package holds an amount in a float64, and it
// does no arithmetic on it: strconv.ParseFloat rounds correctly.
func exactNumber(a money.Amount) (any, error) {
	if significantDigits(a.MinorUnits()) > maxSignificant {
		return nil, ErrPrecision
	}
	if a.Currency().MinorUnits() == 0 {
		// A whole number: excelize writes an int64 as its decimal digits.
		return a.MinorUnits(), nil
	}
	return strconv.ParseFloat(a.Number(), 64)
}

// significantDigits returns the number of decimal digits of n without its
// trailing zeros (0 has none).
func significantDigits(n int64) int {
	u := uint64(n)
	if n < 0 {
		u = uint64(-n) // |n| ≤ MaxInt64: amounts are symmetric
	}
	for u != 0 && u%10 == 0 {
		u /= 10
	}
	d := 0
	for ; u != 0; u /= 10 {
		d++
	}
	return d
}

// excelEpoch is day 0 of Excel's 1900 date system as it is used for every
// date after 1900-02-28 (Excel counts a 29 February 1900 that did not exist).
var excelEpoch = date.New(1899, 12, 30)

// excelFirstDate is the first date whose serial number is correct in both
// Excel and LibreOffice; earlier dates are written as text.
var excelFirstDate = date.New(1900, 3, 1)

// serial returns d as an Excel serial date (an integer: days since the
// epoch), and false for dates Excel cannot show as dates.
func serial(d date.Date) (int, bool) {
	if d.IsZero() || d.Before(excelFirstDate) {
		return 0, false
	}
	return excelEpoch.DaysUntil(d), true
}

// amountFormat returns the number format of amounts with the given number
// of decimals: thousands separators, negatives in red with a minus sign.
// With a locale ID (lcid, hexadecimal: "407" for German) the format names
// its language, [$-407], which LibreOffice shows with that language's
// separators (1.234,56); Excel shows the separators of the reader's system.
func amountFormat(decimals int, lcid string) string {
	n := "#,##0"
	if decimals > 0 {
		n += "." + strings.Repeat("0", decimals)
	}
	return localFormat(n+";[Red]-"+n, lcid)
}

// localFormat prefixes each section of a number format with the locale ID.
func localFormat(f, lcid string) string {
	if lcid == "" {
		return f
	}
	parts := strings.Split(f, ";")
	for i, p := range parts {
		parts[i] = "[$-" + lcid + "]" + p
	}
	return strings.Join(parts, ";")
}

// dateFormat is the number format of date cells: ISO 8601, like date.Layout.
const dateFormat = "yyyy-mm-dd"
