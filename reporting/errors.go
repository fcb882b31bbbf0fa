package reporting

import (
	"errors"
	"fmt"
	"strings"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// Sentinel errors. Every error a builder, ReadLayout or LoadLayout returns for a
// condition a caller may branch on wraps exactly one of these (test with
// errors.Is); errors from the Source (ledger.ErrUnknownBook, …) are passed on
// wrapped with the operation. Messages name account codes, layout lines and
// dates, never amounts.
var (
	// ErrRange: a report range without an end date, or with From after To.
	ErrRange = errors.New("reporting: invalid date range")
	// ErrFiscalYear: a date (of the range or of a comparison column) whose
	// fiscal year lies outside the years 1–9999 a ledger can hold.
	ErrFiscalYear = errors.New("reporting: outside one fiscal year")
	// ErrUnknownLayout: LoadLayout was asked for a name it does not ship.
	ErrUnknownLayout = errors.New("reporting: unknown layout")
	// ErrLayout: a layout is malformed (a missing parent, a total that names
	// a later line, an unknown selector, …). ReadLayout's errors wrap it.
	ErrLayout = errors.New("reporting: invalid layout")
	// ErrMappedTwice: a layout maps one account to two lines for the same
	// side of its balance. The error is a *MappingError.
	ErrMappedTwice = errors.New("reporting: account mapped to two layout lines")
	// ErrUnmapped: an account has a balance that no line of the layout (or
	// no cash-flow class) takes. The error is an *UnmappedError; accounts
	// are never dropped silently.
	ErrUnmapped = errors.New("reporting: account not mapped")
	// ErrCurrency: an account holds amounts in a currency other than the
	// report's. The error is a *CurrencyError.
	ErrCurrency = errors.New("reporting: amount in another currency")
	// ErrOption: an option the report does not support, such as comparison
	// columns in a trial balance.
	ErrOption = errors.New("reporting: option not supported by this report")
	// ErrQuery: an account query (Options.AccountQuery) that is no
	// regular expression.
	ErrQuery = errors.New("reporting: invalid account query")
	// ErrInconsistent: the postings read for a general ledger do not add up
	// to the ledger's maintained totals for the account, or a trial
	// balance's sums to its closing balances (the store changed between the
	// reads, or is broken).
	ErrInconsistent = errors.New("reporting: postings disagree with maintained totals")
)

// MappingError reports an account that a layout maps to more than one line.
// It wraps ErrMappedTwice.
type MappingError struct {
	Layout  string
	Account string   // the account's code
	Lines   []string // the IDs of the lines that claim it
}

func (e *MappingError) Error() string {
	return fmt.Sprintf("layout %s: account %s is mapped to lines %s: %v",
		e.Layout, e.Account, strings.Join(e.Lines, ", "), ErrMappedTwice)
}

// Unwrap returns ErrMappedTwice.
func (e *MappingError) Unwrap() error { return ErrMappedTwice }

// UnmappedError reports an account whose balance no layout line takes. It
// wraps ErrUnmapped.
type UnmappedError struct {
	Layout  string // the layout's name, or "cash-flow" for the cash flow classes
	Account string // the account's code; "(result)" for a result no line takes
}

func (e *UnmappedError) Error() string {
	return fmt.Sprintf("layout %s: account %s has a balance but no line: %v", e.Layout, e.Account, ErrUnmapped)
}

// Unwrap returns ErrUnmapped.
func (e *UnmappedError) Unwrap() error { return ErrUnmapped }

// CurrencyError reports an account with amounts in a currency other than
// the report's. It wraps ErrCurrency.
type CurrencyError struct {
	Account  string
	Currency money.Currency // the currency found
	Want     money.Currency // the report's currency
	// Unconverted: the account's postings in Currency lack base amounts
	// (ledger.ErrNotConverted), so it has no value in the base currency.
	Unconverted bool
}

func (e *CurrencyError) Error() string {
	if e.Unconverted {
		return fmt.Sprintf("account %s holds %s without amounts in %s (post them with exchange rates): %v", e.Account, e.Currency.Code(), e.Want.Code(), ErrCurrency)
	}
	return fmt.Sprintf("account %s holds %s, the report is in %s: %v", e.Account, e.Currency.Code(), e.Want.Code(), ErrCurrency)
}

// Unwrap returns ErrCurrency, and ledger.ErrNotConverted if Unconverted.
func (e *CurrencyError) Unwrap() []error {
	if e.Unconverted {
		return []error{ErrCurrency, ledger.ErrNotConverted}
	}
	return []error{ErrCurrency}
}
