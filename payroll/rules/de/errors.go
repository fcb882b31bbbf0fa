package de

import (
	"errors"

	"github.com/openbackoffice/backoffice/payroll"
)

// Sentinel errors. The pack's rules return a *FieldError wrapping one of
// them (and payroll.ErrInvalidInput); payroll.Calculate wraps that in a
// *payroll.Error naming the employee. Test with errors.Is.
var (
	// ErrNoTaxProfile: the input has no German tax profile (Jurisdiction
	// "DE").
	ErrNoTaxProfile = errors.New("de: no German tax profile")
	// ErrTaxClass: the tax class is not 1–6 (I–VI).
	ErrTaxClass = errors.New("de: tax class must be 1–6")
	// ErrFactor: the factor of the factor method (Extra "de.factor") is not
	// in (0, 1] with at most three decimals, or is set outside tax class IV.
	ErrFactor = errors.New("de: factor must be in (0, 1] with at most three decimals, in tax class IV only")
	// ErrState: church tax is withheld but the federal state, which decides
	// the rate, is missing or unknown.
	ErrState = errors.New("de: church tax needs a known federal state")
	// ErrProfile: another field of the tax profile is out of range (a
	// negative health supplement, a malformed Extra entry).
	ErrProfile = errors.New("de: tax profile field out of range")
)

// FieldError reports a field of the employee's tax profile the pack cannot
// use. The employee is named by the *payroll.Error around it. Field is the
// profile's JSON field name ("tax_class", "state") or the Extra key
// ("extra.de.factor"); the message holds no value, as tax data is
// personal. It wraps Err and payroll.ErrInvalidInput. A FieldError is not
// modified after it is returned and is safe for concurrent use.
type FieldError struct {
	Field string
	Err   error
}

// Error returns "de: tax profile field state: <sentinel text>".
func (e *FieldError) Error() string {
	return "de: tax profile field " + e.Field + ": " + e.Err.Error()
}

// Unwrap returns the sentinel and payroll.ErrInvalidInput.
func (e *FieldError) Unwrap() []error { return []error{e.Err, payroll.ErrInvalidInput} }

func fieldErr(field string, err error) error { return &FieldError{Field: field, Err: err} }
