package partners

import (
	"errors"
	"strings"
)

// Sentinel errors. Every error this package returns for a condition a caller
// may branch on wraps exactly one of these; test with errors.Is.
//
// Error messages never contain personal data or amounts: they name the book,
// party numbers, document numbers, item IDs and keys, never names,
// addresses, VAT IDs or bank accounts.
var (
	// ErrInvalid: a field is missing, malformed or out of range.
	ErrInvalid = errors.New("partners: invalid")
	// ErrUnknownParty: no customer or supplier has that number.
	ErrUnknownParty = errors.New("partners: unknown party")
	// ErrNotFound: no invoice, item, payment or dunning run matches.
	ErrNotFound = errors.New("partners: not found")
	// ErrDuplicate: the record exists already (a party version, an
	// invoice number, an item ID), or a file holds it twice.
	ErrDuplicate = errors.New("partners: already exists")
	// ErrConflict: an idempotency key was reused with a different payload.
	ErrConflict = errors.New("partners: key reused with a different payload")
	// ErrOverpayment: a payment, discount or write-off exceeds what is open
	// of an item, or a payment is larger than the items it settles.
	ErrOverpayment = errors.New("partners: exceeds what is open")
	// ErrSettled: the item is settled already; nothing of it is open.
	ErrSettled = errors.New("partners: item already settled")
	// ErrCreditExceeds: a credit note is larger than what is open of the
	// invoice it corrects.
	ErrCreditExceeds = errors.New("partners: credit note exceeds its invoice")
	// ErrCurrency: an amount's currency differs from the item's or the
	// book's, and this book has no conversion between them.
	ErrCurrency = errors.New("partners: currency mismatch")
	// ErrNoAccount: the account mapping has no account for a posting (a VAT
	// code without an account, no discount account), or the account is not
	// in the chart.
	ErrNoAccount = errors.New("partners: no account")
	// ErrNoRate: no statutory base rate is known for a day interest is
	// computed for.
	ErrNoRate = errors.New("partners: no base interest rate")
	// ErrReadOnly: a write in the read-only transaction of ViewPartners.
	ErrReadOnly = errors.New("partners: write in a read-only transaction")
	// ErrTampered: Verify found open items, settlements or invoices that
	// differ from the ledger's postings. It wraps ledger.ErrTampered too.
	ErrTampered = errors.New("partners: open items differ from the ledger")
)

// FieldError reports which record and field of a call failed. It wraps one
// of the sentinel errors. Its message names the record's identifier (party
// number, document number, item ID or key) and the field, never a value.
type FieldError struct {
	Record string // "party", "invoice", "line N", "payment", "allocation N", …
	ID     string // the party number, invoice key or number, item ID, payment key
	Field  string // the field at fault, as named in CSV headers ("vat_id", "due_date"), or ""
	Err    error  // the cause; wraps a sentinel
}

// Error returns, for example,
// "partners: invoice 2025-0042: field due_date: partners: invalid: before the invoice date".
func (e *FieldError) Error() string {
	var b strings.Builder
	b.WriteString("partners: ")
	b.WriteString(e.Record)
	if e.ID != "" {
		b.WriteString(" ")
		b.WriteString(e.ID)
	}
	if e.Field != "" {
		b.WriteString(": field ")
		b.WriteString(e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the cause.
func (e *FieldError) Unwrap() error { return e.Err }

func fieldErr(record, id, field string, err error) error {
	return &FieldError{Record: record, ID: id, Field: field, Err: err}
}
