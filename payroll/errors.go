package payroll

import (
	"errors"
	"strings"

	"github.com/openbackoffice/backoffice/hr"
)

// Sentinel errors. Every error this package returns for a condition a caller
// may branch on wraps exactly one of these; test with errors.Is. Errors about
// one employee are *Error values, which name the employee and wrap the
// sentinel.
//
// Error messages never contain personal data: no names, no amounts, no hours,
// and no employee IDs (free text, which may be an e-mail address). They name
// the employee by personnel number (or, where only the ID is known, by
// hr.IDRef of it), the period by its dates, and the reason.
var (
	// ErrInvalidInput: the input of a calculation is malformed: no employee
	// ID, no period or pay currency, records of another employee, time
	// recorded on a day without a contract, a contract frequency that is not
	// the calendar's, accumulators for a later period.
	ErrInvalidInput = errors.New("payroll: invalid input")
	// ErrInvalidCalendar: a Calendar is malformed (unknown frequency, no
	// anchor for a weekly calendar, no working days) or a period is asked
	// for outside years 1–9999.
	ErrInvalidCalendar = errors.New("payroll: invalid calendar")
	// ErrInvalidPack: a rule pack or one of its tables is malformed, or a
	// rule added a malformed line (no code, an unknown kind).
	ErrInvalidPack = errors.New("payroll: invalid rule pack")
	// ErrUnknownPack: no rule pack has the ID asked for.
	ErrUnknownPack = errors.New("payroll: unknown rule pack")
	// ErrNoPackVersion: the rule pack exists, but no version of it is
	// valid on the date asked for, or a table of it has no entry for the
	// date.
	ErrNoPackVersion = errors.New("payroll: no rule pack version valid on the date")
	// ErrNotEmployed: the employee is not employed on any day of the period.
	ErrNotEmployed = errors.New("payroll: not employed in the period")
	// ErrNoCompensation: a day of the period on which the employee is
	// employed is covered by no contract version (as recorded at the run
	// time).
	ErrNoCompensation = errors.New("payroll: no compensation for the period")
	// ErrCurrency: a contract, pay item or one-time item is in another
	// currency than the pay currency.
	ErrCurrency = errors.New("payroll: currency differs from the pay currency")
	// ErrNegativeNet: the net pay of the period would be negative. It is
	// never clamped to zero; the pay run decides what to do (hold the
	// employee, move a deduction to a later period).
	ErrNegativeNet = errors.New("payroll: negative net pay")
	// ErrRetroMismatch: Retro was given payslips of different employees,
	// periods or currencies.
	ErrRetroMismatch = errors.New("payroll: payslips do not match")
)

// Error is the error of a calculation for one employee. Its message names
// the employee by personnel number (by hr.IDRef of the ID if the number is
// not known; never by the ID), the period by its dates and, if a rule
// failed, the rule; Err is the reason and wraps one of the sentinel errors
// (or, for a rule's own failure, whatever the rule returned). An Error is
// not modified after it is returned and is safe for concurrent use.
type Error struct {
	Employee        string // the employee's ID, for the caller; not in the message
	PersonnelNumber string // the employee's personnel number, if known
	Period          Period // the period calculated
	Rule            string // the name of the rule that failed, or ""
	Err             error  // the reason
}

// Error returns, for example, "payroll: employee 1001, period
// 2026-03-01..2026-03-31, rule generic.taxes: payroll: negative net pay".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("payroll: employee ")
	b.WriteString(employeeRef(e.PersonnelNumber, e.Employee))
	if e.Employee == "" && e.PersonnelNumber == "" {
		b.WriteString("without ID")
	}
	if !e.Period.Start.IsZero() {
		b.WriteString(", period ")
		b.WriteString(e.Period.Start.String())
		b.WriteString("..")
		b.WriteString(e.Period.End.String())
	}
	if e.Rule != "" {
		b.WriteString(", rule ")
		b.WriteString(e.Rule)
	}
	b.WriteString(": ")
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString("failed")
	}
	return b.String()
}

// Unwrap returns the reason.
func (e *Error) Unwrap() error { return e.Err }

// employeeRef returns how a message names an employee: by personnel number,
// or by hr.IDRef of the ID if there is none.
func employeeRef(number, id string) string {
	switch {
	case number != "":
		return number
	case id != "":
		return hr.IDRef(id)
	}
	return ""
}
