package money

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors. Functions in this package return them directly or wrap
// them (test with errors.Is). No error returned by this package contains
// the text of an amount being parsed: amounts can be salaries, which are
// personal data, and error strings end up in logs.
var (
	// ErrUnknownCurrency means a currency code is not in the ISO 4217 table
	// (or, for a Registry, not registered on it either).
	ErrUnknownCurrency = errors.New("money: unknown currency")

	// ErrInvalidCurrency means a currency definition is malformed: a code
	// that is not 1–7 characters A–Z or 0–9, minor units outside 0–18, or
	// an attempt to give an ISO 4217 code (or an already registered code)
	// different minor units.
	ErrInvalidCurrency = errors.New("money: invalid currency")

	// ErrCurrencyMismatch means an operation combined amounts in different
	// currencies.
	ErrCurrencyMismatch = errors.New("money: currency mismatch")

	// ErrOverflow means a result does not fit the range of Amount
	// (±math.MaxInt64 minor units).
	ErrOverflow = errors.New("money: amount out of range")

	// ErrScale means a value has non-zero digits beyond the currency's
	// minor units and the operation does not round.
	ErrScale = errors.New("money: more decimal places than the currency has")

	// ErrSyntax means text is not a well-formed amount.
	ErrSyntax = errors.New("money: invalid amount syntax")

	// ErrNoCurrency means an amount has no currency where one is needed:
	// parsing into the zero Currency, scanning a bare number into an
	// Amount that holds no currency, or encoding such an Amount.
	ErrNoCurrency = errors.New("money: amount has no currency")

	// ErrFloat means a floating-point value was offered as an amount
	// (for example by a database driver to Amount.Scan). Floats cannot
	// represent most decimal fractions exactly, so they are refused.
	ErrFloat = errors.New("money: refusing a floating-point value")

	// ErrWeights means the weights given to Allocate are unusable: none,
	// a negative one, or all zero.
	ErrWeights = errors.New("money: invalid allocation weights")

	// ErrRoundingMode means a RoundingMode is not one of the named modes
	// (the zero RoundingMode is invalid, so every rounding names its mode).
	ErrRoundingMode = errors.New("money: invalid rounding mode")

	// ErrDivisionByZero means Amount.Div was asked to divide by zero.
	ErrDivisionByZero = errors.New("money: division by zero")

	// ErrNull means a database NULL was scanned into an Amount. Scan into
	// sql.Null[money.Amount] for nullable columns.
	ErrNull = errors.New("money: NULL amount")
)

// ParseError reports where and why text could not be parsed as an amount.
// It never holds the text itself. Err is one of ErrSyntax, ErrScale or
// ErrOverflow, so errors.Is(err, ErrScale) works on a *ParseError. A
// ParseError is not modified after it is returned and is safe for
// concurrent use.
type ParseError struct {
	Pos    int    // byte offset in the input where the problem was found
	Reason string // a short explanation, never containing input text; may be empty
	Err    error  // the sentinel: ErrSyntax, ErrScale or ErrOverflow
}

// Error returns the reason and byte position, for example
// "money: invalid amount syntax at byte 3: unexpected character".
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("money: ")
	if e.Err != nil {
		b.WriteString(strings.TrimPrefix(e.Err.Error(), "money: "))
	} else {
		b.WriteString("parse error")
	}
	b.WriteString(" at byte ")
	b.WriteString(strconv.Itoa(e.Pos))
	if e.Reason != "" {
		b.WriteString(": ")
		b.WriteString(e.Reason)
	}
	return b.String()
}

// Unwrap returns the sentinel error e.Err.
func (e *ParseError) Unwrap() error { return e.Err }
