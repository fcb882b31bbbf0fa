package fx

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/internal/errlist"
	"github.com/openbackoffice/backoffice/money"
)

// Sentinel errors; test with errors.Is. The errors of this package wrap
// them with the details (the pair, the date, the line of an import).
var (
	// ErrNoRate means a table holds no rate for a currency pair, in either
	// direction, on or before the date asked for. The error is a
	// *NoRateError naming the pair and the date.
	ErrNoRate = errors.New("fx: no rate")

	// ErrInvalidRate means a rate breaks a rule of Rate.Validate: a
	// missing date or currency, the same currency on both sides, an
	// unknown currency code (the error wraps money.ErrUnknownCurrency
	// too), a rate that is not positive, has more than
	// MaxSignificantDigits significant digits or more than MaxDecimals
	// decimal places, or a source that is not printable text.
	ErrInvalidRate = errors.New("fx: invalid rate")

	// ErrConflict means two rates for the same date and currency pair
	// differ: in one import, in one table, or between an import and what a
	// store holds. Nothing is added or written.
	ErrConflict = errors.New("fx: conflicting rates")

	// ErrSyntax means an import's text cannot be read: a malformed date or
	// number, a number in a form this package refuses (a decimal comma,
	// digit grouping, an exponent), a wrong header, malformed CSV or XML.
	ErrSyntax = errors.New("fx: syntax error")

	// ErrUnsupported means an import holds a construct a reader cannot
	// read faithfully and therefore refuses rather than guesses: a
	// currency symbol such as $ (USD? CAD? AUD?), a time of day on a price,
	// an include directive.
	ErrUnsupported = errors.New("fx: unsupported construct")
)

// MaxSignificantDigits is the most significant digits a rate may have,
// counted as written in plain decimal notation from the first non-zero
// digit: 1.0830 has five, 0.0061 two, 1000 four. Central banks publish
// five or six; more than twelve is a sign of a float printed in full
// (1.0823000000000000398…), which this package refuses.
const MaxSignificantDigits = 12

// MaxDecimals is the most decimal places a rate may have (0.0061 has
// four). It bounds what a store keeps for a rate whatever its origin.
const MaxDecimals = 24

// Rate is an exchange rate: on Date, 1 From = Rate To. A rate is in force
// from its date until the next rate of the same pair (see Table.Lookup).
// Source says where it came from ("ECB", a bank, a file); it is kept with
// the rate and never interpreted.
//
// Rate is a plain value, safe for concurrent use when not modified. The
// decimal keeps the digits as written: 1.0830 stays 1.0830 through the
// writers and stores, and compares equal to 1.083 (decimal.Decimal.Equal).
type Rate struct {
	Date   date.Date
	From   money.Currency
	To     money.Currency
	Rate   decimal.Decimal
	Source string
}

// Validate reports whether r is a rate this package accepts: a date, two
// different currencies, a positive rate of at most MaxSignificantDigits
// significant digits and MaxDecimals decimal places, and a source of
// printable UTF-8 text (no line breaks or other control characters, so
// that every writer can write it). The error wraps ErrInvalidRate.
func (r Rate) Validate() error {
	switch {
	case r.Date.IsZero():
		return invalid("no date")
	case r.From.IsZero() || r.To.IsZero():
		return invalid("no currency")
	case r.From == r.To:
		return invalid("%s on both sides", r.From.Code())
	}
	if err := checkRate(r.Rate); err != nil {
		return err
	}
	return checkSource(r.Source)
}

// checkRate checks the rules of Validate for the rate itself.
func checkRate(d decimal.Decimal) error {
	if d.Sign() <= 0 {
		return invalid("%s is not positive", d.String())
	}
	if n := significantDigits(d); n > MaxSignificantDigits {
		return invalid("%d significant digits, at most %d allowed", n, MaxSignificantDigits)
	}
	if -d.Exponent() > MaxDecimals {
		return invalid("more than %d decimal places", MaxDecimals)
	}
	return nil
}

// checkSource checks that s is printable UTF-8 text.
func checkSource(s string) error {
	if !utf8.ValidString(s) {
		return invalid("source is not UTF-8")
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return invalid("source holds a control character (a line break?)")
	}
	return nil
}

// significantDigits returns the significant digits of d as written in
// plain decimal notation: those of its coefficient, plus the zeros a
// positive exponent appends.
func significantDigits(d decimal.Decimal) int {
	c := d.Coefficient()
	n := len(c.Abs(c).String())
	if e := d.Exponent(); e > 0 {
		n += int(e)
	}
	return n
}

// text returns d exactly as written: 1.0830 as "1.0830", never in
// exponent form.
func text(d decimal.Decimal) string {
	return d.StringFixed(max(0, -d.Exponent()))
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidRate}, args...)...)
}

// String returns r as "2025-03-07 1 EUR = 1.0830 USD (ECB)", for messages
// and logs.
func (r Rate) String() string {
	s := fmt.Sprintf("%s 1 %s = %s %s", r.Date, r.From.Code(), text(r.Rate), r.To.Code())
	if r.Source != "" {
		s += " (" + r.Source + ")"
	}
	return s
}

// Convert returns a converted at r with rounding mode m: a in r.From
// becomes a × r.Rate in r.To, and a in r.To becomes a ÷ r.Rate in r.From,
// each computed exactly and rounded once (money.Amount.Convert and
// ConvertInverse). It fails with money.ErrCurrencyMismatch if a is in
// neither currency, and with the errors of those methods.
func (r Rate) Convert(a money.Amount, m money.RoundingMode) (money.Amount, error) {
	switch a.Currency() {
	case r.From:
		return a.Convert(r.To, r.Rate, m)
	case r.To:
		return a.ConvertInverse(r.From, r.Rate, m)
	}
	return money.Amount{}, fmt.Errorf("fx: convert %s at a %s→%s rate: %w", a.Currency().Code(), r.From.Code(), r.To.Code(), money.ErrCurrencyMismatch)
}

// NoRateError reports that a table holds no rate for a pair, in either
// direction, on or before a date. It wraps ErrNoRate.
type NoRateError struct {
	From, To money.Currency
	On       date.Date
}

// Error returns, for example, "fx: no USD→EUR rate on or before 2025-03-01".
func (e *NoRateError) Error() string {
	return fmt.Sprintf("fx: no %s→%s rate on or before %s", e.From.Code(), e.To.Code(), e.On)
}

// Unwrap returns ErrNoRate.
func (e *NoRateError) Unwrap() error { return ErrNoRate }

// Error is one problem of an import, with the 1-based line it is on and
// the field or attribute concerned ("date", "from", "to", "rate",
// "source"; "time" and "currency" in ECB XML; "" for the whole line). Err
// wraps one of the sentinels ErrSyntax, ErrInvalidRate, ErrConflict or
// ErrUnsupported.
type Error struct {
	Line  int
	Field string
	Err   error
}

// Error returns, for example, "fx: line 3, rate: invalid rate: -1.08 is
// not positive".
func (e *Error) Error() string {
	msg := "fx: invalid"
	if e.Err != nil {
		msg = e.Err.Error()
	}
	msg = strings.TrimPrefix(msg, "fx: ")
	if e.Field == "" {
		return fmt.Sprintf("fx: line %d: %s", e.Line, msg)
	}
	return fmt.Sprintf("fx: line %d, %s: %s", e.Line, e.Field, msg)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errors is every problem an import found, in line order. A reader that
// returns Errors returns no rates: imports are all or nothing.
type Errors []*Error

// Error lists the first few problems, separated by "; ", and how many
// more there are.
func (es Errors) Error() string {
	if len(es) == 1 {
		return es[0].Error()
	}
	return errlist.Join("fx: ", len(es), func(i int) string { return strings.TrimPrefix(es[i].Error(), "fx: ") })
}

// Unwrap returns the contained errors, for errors.Is and errors.As.
func (es Errors) Unwrap() []error {
	errs := make([]error, len(es))
	for i, e := range es {
		errs[i] = e
	}
	return errs
}
