package pap

import (
	"errors"
	"fmt"

	"github.com/openbackoffice/backoffice/date"
)

// Sentinel errors. Calculations wrap the input ones in an *InputError that
// names the field; test with errors.Is.
var (
	// ErrPayPeriod reports an LZZ (Lohnzahlungszeitraum) outside 1–4.
	ErrPayPeriod = errors.New("pap: pay period LZZ must be 1 (year), 2 (month), 3 (week) or 4 (day)")
	// ErrTaxClass reports an STKL (Steuerklasse) outside 1–6.
	ErrTaxClass = errors.New("pap: tax class STKL must be 1–6")
	// ErrFactor reports a factor F (class IV with factor, AF=1) that is not in
	// (0, 1] with at most three decimals, or a factor other than 1 outside
	// class IV.
	ErrFactor = errors.New("pap: factor F must be in (0, 1] with at most three decimals, and differ from 1 only in tax class IV")
	// ErrNegative reports a negative amount, rate or count.
	ErrNegative = errors.New("pap: value must not be negative")
	// ErrOutOfRange reports a flag or count outside the values the PAP
	// documents (for example PVS not 0 or 1, ZMVB above 12).
	ErrOutOfRange = errors.New("pap: value outside its documented range")
	// ErrArithmetic reports a division the PAP performs that Java's BigDecimal
	// would reject (division by zero, or an exact quotient that does not
	// terminate). Valid input never produces it.
	ErrArithmetic = errors.New("pap: arithmetic exception")
	// ErrNoVersion reports a date no generated PAP version covers.
	ErrNoVersion = errors.New("pap: no PAP version for this date")
)

// InputError reports an invalid input field. It wraps one of the sentinels.
type InputError struct {
	Year  int    // PAP version the input was checked for
	Field string // PAP name of the field, e.g. "STKL"
	Value string // offending value as text
	Err   error  // sentinel: ErrPayPeriod, ErrTaxClass, ErrFactor, ErrNegative or ErrOutOfRange
}

// Error returns "pap 2026: STKL=7: <sentinel text>".
func (e *InputError) Error() string {
	return fmt.Sprintf("pap %d: %s=%s: %v", e.Year, e.Field, e.Value, e.Err)
}

// Unwrap returns the sentinel.
func (e *InputError) Unwrap() error { return e.Err }

// NoVersionError reports a date outside every generated PAP version. It
// wraps ErrNoVersion.
type NoVersionError struct {
	Date date.Date
}

// Error names the date and the supported years.
func (e *NoVersionError) Error() string {
	return fmt.Sprintf("pap: no PAP version for %s (supported years: %d–%d)", e.Date, versions[0], versions[len(versions)-1])
}

// Unwrap returns ErrNoVersion.
func (e *NoVersionError) Unwrap() error { return ErrNoVersion }
