package sepa

import (
	"errors"
	"fmt"
)

// The sentinels a *Error wraps; test with errors.Is.
var (
	// ErrIBAN: an IBAN is missing, malformed or fails the ISO 13616 mod-97
	// check, or the account is not an IBAN (a US routing and account
	// number).
	ErrIBAN = errors.New("sepa: invalid IBAN")
	// ErrBIC: a BIC is malformed.
	ErrBIC = errors.New("sepa: invalid BIC")
	// ErrAmount: an amount lies outside 0.01–999,999,999.99.
	ErrAmount = errors.New("sepa: amount outside 0.01–999,999,999.99")
	// ErrCurrency: an amount is not in euros.
	ErrCurrency = errors.New("sepa: not EUR")
	// ErrName: a name is empty, or nothing is left of it in the SEPA
	// character set.
	ErrName = errors.New("sepa: missing name")
	// ErrText: a text is too long (remittance information over 140
	// characters after conversion).
	ErrText = errors.New("sepa: text too long")
	// ErrReference: an identifier (message, end-to-end ID) is empty,
	// longer than 35 characters, outside the SEPA character set, starts or
	// ends with '/' or contains "//". Identifiers are never converted: they
	// must come back unchanged on the bank statement.
	ErrReference = errors.New("sepa: invalid reference")
	// ErrDuplicate: two transfers of one message have the same end-to-end ID.
	ErrDuplicate = errors.New("sepa: duplicate end-to-end ID")
	// ErrDebtor: transfers from one debtor IBAN name the debtor or its BIC
	// differently.
	ErrDebtor = errors.New("sepa: debtor differs between transfers of one account")
	// ErrCode: a purpose or category purpose code is not four letters.
	ErrCode = errors.New("sepa: invalid purpose code")
	// ErrDate: the requested execution date or the creation time is missing.
	ErrDate = errors.New("sepa: missing date")
	// ErrEmpty: the message has no transfers.
	ErrEmpty = errors.New("sepa: no transfers")
)

// Error is why a message cannot be written: the transfer (its index in
// Message.Transfers, or -1 for the message itself), the field and a
// reason. It wraps one of the sentinels. Its message never contains an
// IBAN, a name or a text, only the index, the field and what is wrong.
type Error struct {
	Index  int    // the transfer's index in Message.Transfers, -1 for the message
	Field  string // such as "creditor_iban", "amount", "end_to_end_id"
	Reason string // what is wrong, without the value; may be ""
	Err    error  // the sentinel
}

// Error returns, for example,
// "sepa: transfer 3: creditor_iban: checksum: sepa: invalid IBAN".
func (e *Error) Error() string {
	where := "message"
	if e.Index >= 0 {
		where = fmt.Sprintf("transfer %d", e.Index)
	}
	if e.Reason != "" {
		return fmt.Sprintf("sepa: %s: %s: %s: %v", where, e.Field, e.Reason, e.Err)
	}
	return fmt.Sprintf("sepa: %s: %s: %v", where, e.Field, e.Err)
}

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

func fail(index int, field string, sentinel error, reason string) *Error {
	return &Error{Index: index, Field: field, Reason: reason, Err: sentinel}
}
