package partners

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/hr"
)

// maxTermDays bounds NetDays and DiscountDays (DATEV's payment terms allow
// at most three digits), which keeps due dates far from overflowing.
const maxTermDays = 999

// Validate checks the party's own fields and returns the first problem as
// a *FieldError whose Field is named as the CSV column (see ReadParties)
// and which wraps ErrInvalid:
//
//   - Book and Number are 1–64 characters without white space, control
//     characters or '/'.
//   - Role is Customer or Supplier. A Number of five or more digits is a
//     DATEV personal account and lies in its role's range: a customer's
//     starts with 1–6, a supplier's with 7–9.
//   - Name is not blank.
//   - Address.Country is empty or two upper-case letters (ISO 3166-1
//     alpha-2).
//   - VATID is empty, or in the form NormalizeVATID returns and accepted
//     by CheckVATID.
//   - Bank passes hr.BankAccount.Validate, in the form
//     hr.BankAccount.Normalize returns; the error wraps hr.ErrBankAccount
//     too.
//   - Terms: NetDays and DiscountDays are 0–999; DiscountDays is at most
//     NetDays if NetDays is set; DiscountRate is at least 0 and below 1,
//     and a rate above 0 needs DiscountDays.
//
// Validate looks at the party alone: whether the number is taken by a
// party of the other role is for the store to say. Error messages name the
// party number and the field, never a value. Validate is safe for
// concurrent use.
func (p Party) Validate() error {
	if probs := p.problems(); len(probs) > 0 {
		return probs[0]
	}
	return nil
}

// problems returns every problem Validate checks for, in Validate's
// order; ReadParties reports them all.
func (p Party) problems() []*FieldError {
	var probs []*FieldError
	id := ""
	if validPartyID(p.Number) {
		id = p.Number
	}
	fail := func(field, reason string) {
		probs = append(probs, &FieldError{Record: "party", ID: id, Field: field, Err: fmt.Errorf("%w: %s", ErrInvalid, reason)})
	}
	const idRule = "want 1–64 characters without white space, control characters or '/'"
	switch {
	case p.Book == "":
		fail("book", "required")
	case !validPartyID(p.Book):
		fail("book", idRule)
	}
	switch {
	case p.Number == "":
		fail("number", "required")
	case !validPartyID(p.Number):
		fail("number", idRule)
	}
	switch p.Role {
	case Customer, Supplier:
		if reason := datevRange(p.Number, p.Role); reason != "" {
			fail("number", reason)
		}
	case "":
		fail("role", "required")
	default:
		fail("role", "want customer or supplier")
	}
	if strings.TrimSpace(p.Name) == "" {
		fail("name", "required")
	}
	if c := p.Address.Country; c != "" && !(len(c) == 2 && vatIsUpper(c[0]) && vatIsUpper(c[1])) {
		fail("country", "want two upper-case letters (ISO 3166-1 alpha-2)")
	}
	if p.VATID != "" {
		var fe *FieldError
		switch err := CheckVATID(p.VATID); {
		case errors.As(err, &fe):
			probs = append(probs, &FieldError{Record: "party", ID: id, Field: "vat_id", Err: fe.Err})
		case p.VATID != NormalizeVATID(p.VATID):
			fail("vat_id", "VAT ID not in normalized form (see NormalizeVATID)")
		}
	}
	if err := p.Bank.Validate(); err != nil {
		field, cause := "", err
		var fe *hr.FieldError
		if errors.As(err, &fe) {
			field, cause = fe.Field, fe.Err
		}
		probs = append(probs, &FieldError{Record: "party", ID: id, Field: field, Err: fmt.Errorf("%w: %w", ErrInvalid, cause)})
	}
	t := p.Terms
	switch {
	case t.NetDays < 0:
		fail("net_days", "must not be negative")
	case t.NetDays > maxTermDays:
		fail("net_days", "at most 999 days")
	}
	switch {
	case t.DiscountDays < 0:
		fail("discount_days", "must not be negative")
	case t.DiscountDays > maxTermDays:
		fail("discount_days", "at most 999 days")
	case t.NetDays > 0 && t.DiscountDays > t.NetDays:
		fail("discount_days", "more than net_days")
	}
	switch {
	case t.DiscountRate.IsNegative() || t.DiscountRate.GreaterThanOrEqual(decimal.NewFromInt(1)):
		fail("discount_percent", "want at least 0 and less than 100 percent")
	case t.DiscountRate.IsPositive() && t.DiscountDays <= 0:
		fail("discount_days", "a cash discount needs discount days")
	}
	return probs
}

// validPartyID reports whether s is usable as a book ID or party number:
// 1–64 characters (valid UTF-8) without white space, control characters or
// '/'.
func validPartyID(s string) bool {
	if s == "" || !utf8.ValidString(s) || utf8.RuneCountInString(s) > 64 {
		return false
	}
	for _, r := range s {
		if r == '/' || unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError {
			return false
		}
	}
	return true
}

// datevRange returns why number is outside role's DATEV range, or "" if it
// is inside or not a DATEV personal account (not five or more digits).
func datevRange(number string, role Role) string {
	if len(number) < 5 || !vatAllDigits(number) {
		return ""
	}
	switch c := number[0]; {
	case role == Customer && (c < '1' || c > '6'):
		return "a customer's DATEV number of five or more digits must start with 1–6"
	case role == Supplier && c < '7':
		return "a supplier's DATEV number of five or more digits must start with 7–9"
	}
	return ""
}
