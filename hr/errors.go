package hr

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/openbackoffice/backoffice/internal/errlist"
)

// Sentinel errors. Every error this package returns for a condition a caller
// may branch on wraps exactly one of these; test with errors.Is.
//
// Error messages never contain personal data: no names, birth dates,
// addresses, e-mail addresses, bank account numbers, amounts or hours. The
// personnel number is the only identifier they name.
var (
	// ErrNotFound: no employee, contract, tax profile or item matches.
	ErrNotFound = errors.New("hr: not found")
	// ErrDuplicate: the record exists already (an employee ID, a personnel
	// number of the same employer, an item key, a version number), or a file
	// holds the same record twice.
	ErrDuplicate = errors.New("hr: already exists")
	// ErrInvalid: a field is missing, malformed or out of range (termination
	// before hire, a negative salary, tax class 7 …).
	ErrInvalid = errors.New("hr: invalid")
	// ErrOverlap: versions of one change set cover the same day, absences
	// overlap, or time is recorded on a day of absence.
	ErrOverlap = errors.New("hr: overlap")
	// ErrUnknownCurrency: an amount's currency is not known to the registry.
	ErrUnknownCurrency = errors.New("hr: unknown currency")
	// ErrBankAccount: an IBAN, BIC, ABA routing number or account number is
	// malformed or fails its checksum.
	ErrBankAccount = errors.New("hr: invalid bank account")
	// ErrPersonalID: a German tax ID (Steuer-IdNr.) or social insurance
	// number, or a US social security number, is malformed or fails its
	// check digit.
	ErrPersonalID = errors.New("hr: invalid personal identifier")
	// ErrPayCurrency: an amount of a contract or one-time item is not in
	// the currency the employer pays in (Options.PayCurrencies).
	ErrPayCurrency = errors.New("hr: not the employer's pay currency")
	// ErrUnusual marks a warning, never a failure: a value that is legal to
	// record but unusual enough for someone to look at it, such as more than
	// the 48 contracted hours a week the German ArbZG allows on average (see
	// Contract.Warnings and ImportOptions.Warn).
	ErrUnusual = errors.New("hr: unusual")
	// ErrTooManyHours: the hours recorded for one employee and date would
	// add up to more than 24.
	ErrTooManyHours = errors.New("hr: more than 24 hours on one day")
	// ErrReadOnly: a write was attempted in the read-only transaction of
	// Store.ViewHR.
	ErrReadOnly = errors.New("hr: write in a read-only transaction")
	// ErrConflict: a row of an import has the identity of a stored record
	// (see "Importing again" in the package doc) but differs from it. The
	// import does not record it as a change; the error names the fields
	// that differ, never their values.
	ErrConflict = errors.New("hr: conflicts with the stored record")
)

// FieldError reports which record and field of a call failed. It wraps one
// of the sentinel errors. Its message names the personnel number (the only
// personal identifier allowed in messages) and the field, never the value.
type FieldError struct {
	PersonnelNumber string // the employee's personnel number, if known
	Record          string // "employee", "contract", "tax profile", "time", "absence", "item"
	Field           string // the field at fault, as named in CSV headers ("iban", "valid_to"), or ""
	Err             error  // the cause; wraps a sentinel
}

// Error returns, for example,
// "hr: employee 1001: field iban: hr: invalid bank account: checksum".
func (e *FieldError) Error() string {
	var b strings.Builder
	b.WriteString("hr: ")
	if e.Record != "" {
		b.WriteString(e.Record)
	} else {
		b.WriteString("record")
	}
	if e.PersonnelNumber != "" {
		fmt.Fprintf(&b, " %s", e.PersonnelNumber)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, ": field %s", e.Field)
	}
	b.WriteString(": ")
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString("invalid")
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *FieldError) Unwrap() error { return e.Err }

// ImportError is one problem of an import: a row and column of a CSV file,
// or a position and field of a JSON document. It wraps the reason, usually a
// *FieldError or one of the sentinel errors.
type ImportError struct {
	Row    int    // CSV: the row as a spreadsheet numbers it (header = 1); JSON: 1-based position in its list
	Column string // CSV: the column name; JSON: "list.field" (such as "contracts.amount"); "" for the whole row
	Err    error  // the reason; never includes the value
}

// Error returns "row 3, column "iban": reason" or "row 3: reason".
func (e *ImportError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("row %d: %v", e.Row, e.Err)
	}
	return fmt.Sprintf("row %d, column %q: %v", e.Row, e.Column, e.Err)
}

// Unwrap returns the reason.
func (e *ImportError) Unwrap() error { return e.Err }

// ImportErrors is every problem an import found, in row order. It implements
// error; errors.Is and errors.As see each ImportError and what it wraps.
type ImportErrors []*ImportError

// Error lists the first few problems and how many more there are.
func (e ImportErrors) Error() string {
	switch len(e) {
	case 0:
		return "hr: import: no errors"
	case 1:
		return "hr: import: " + e[0].Error()
	}
	return errlist.Join("hr: import: ", len(e), func(i int) string { return e[i].Error() })
}

// Unwrap returns the contained errors, for errors.Is and errors.As.
func (e ImportErrors) Unwrap() []error {
	errs := make([]error, len(e))
	for i, ie := range e {
		errs[i] = ie
	}
	return errs
}

// fieldErr returns a *FieldError for record and field wrapping sentinel with
// an optional reason (which must never hold a value).
func fieldErr(record, field string, sentinel error, reason string) *FieldError {
	err := sentinel
	if reason != "" {
		err = fmt.Errorf("%w: %s", sentinel, reason)
	}
	return &FieldError{Record: record, Field: field, Err: err}
}

// withNumber sets the personnel number of err if it is a *FieldError without
// one, and returns err.
func withNumber(err error, number string) error {
	var fe *FieldError
	if errors.As(err, &fe) && fe.PersonnelNumber == "" {
		fe.PersonnelNumber = number
	}
	return err
}

// IDRef returns what an error or log message may say for an employee ID
// where the personnel number is not known: "id#" and the first 12
// hexadecimal digits of the ID's SHA-256, such as "id#3c4e9a0b1f27".
// Employee.ID is free text and may be personal data (an e-mail address is
// accepted), so messages never contain it; IDRef tells IDs apart and lets
// whoever holds the ID find the message, without the message saying it.
// IDRef is safe for concurrent use.
func IDRef(id string) string {
	sum := sha256.Sum256([]byte(id))
	return "id#" + hex.EncodeToString(sum[:6])
}
