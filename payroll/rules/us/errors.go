package us

import (
	"fmt"

	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/payroll"
)

// Sentinel errors. Every error this package returns for a condition a
// caller may branch on is a *FieldError wrapping one of these or
// payroll.ErrInvalidInput; test with errors.Is. The sentinels themselves
// wrap the payroll sentinel of their kind, so a pay run that only knows
// package payroll still sorts them: ErrInvalidW4 is a
// payroll.ErrInvalidInput, ErrNoTable a payroll.ErrNoPackVersion.
var (
	// ErrInvalidW4: the employee's Form W-4 data cannot be used: an unknown
	// filing status (or one the form's year does not have), a negative or
	// non-USD amount, or a form mixing the allowances of a Form W-4 from
	// 2019 or earlier with the steps of a form from 2020 or later.
	ErrInvalidW4 = fmt.Errorf("us: invalid Form W-4: %w", payroll.ErrInvalidInput)
	// ErrNoTable: no withholding table covers the payment date (the tables
	// hold 2025 and 2026), or the period belongs to another year than its
	// payment date.
	ErrNoTable = fmt.Errorf("us: no federal table for the payment date: %w", payroll.ErrNoPackVersion)
)

// FieldError reports which employee and which field a calculation could
// not use. Err wraps ErrInvalidW4, ErrNoTable, payroll.ErrInvalidInput or
// (a pay currency other than USD) payroll.ErrCurrency.
// The message names the employee by hr.IDRef of the ID (an ID may be an
// e-mail address; messages never contain it) and the field, never an
// amount. A FieldError is not modified after it is returned and is safe
// for concurrent use.
type FieldError struct {
	Employee string // the employee's ID, "" if the caller gave none
	// Field is the field at fault, named as in hr.USTax's JSON
	// ("filing_status", "allowances", "dependents", "other_income",
	// "deductions", "extra_withholding", "multiple_jobs") or "jurisdiction",
	// "pay_date", "wages", "frequency", "currency".
	Field string
	Err   error // the reason
}

// Error returns, for example, "us: employee id#7f3a…, field filing_status:
// us: invalid Form W-4: payroll: invalid input: unknown filing status".
func (e *FieldError) Error() string {
	s := "us: "
	if e.Employee != "" {
		s += "employee " + hr.IDRef(e.Employee) + ", "
	}
	s += "field " + e.Field + ": "
	if e.Err == nil {
		return s + "invalid"
	}
	return s + e.Err.Error()
}

// Unwrap returns the reason.
func (e *FieldError) Unwrap() error { return e.Err }

func fieldErr(employee, field string, sentinel error, reason string) error {
	return &FieldError{Employee: employee, Field: field, Err: fmt.Errorf("%w: %s", sentinel, reason)}
}
