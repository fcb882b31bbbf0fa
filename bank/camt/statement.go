package camt

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

// Sentinel errors; every error of a reader wraps one of them.
var (
	// ErrFormat is malformed input: not XML, a missing element or field, a
	// bad date, an unparseable amount.
	ErrFormat = errors.New("camt: malformed statement")
	// ErrVersion is a camt.053 version (namespace) this package does not
	// read, or another message.
	ErrVersion = errors.New("camt: unknown version")
	// ErrScale is an amount with more decimals than its currency has.
	ErrScale = errors.New("camt: more decimals than the currency has")
	// ErrIndicator is a credit/debit indicator that is missing or unknown.
	ErrIndicator = errors.New("camt: credit/debit indicator missing or unknown")
	// ErrCurrency is an amount in another currency than the account's.
	ErrCurrency = errors.New("camt: currency differs from the account's")
	// ErrStatus is an entry that is not booked.
	ErrStatus = errors.New("camt: entry not booked")
	// ErrBalance is a statement whose lines do not lead from its opening to
	// its closing balance.
	ErrBalance = errors.New("camt: opening balance and lines do not add up to the closing balance")
)

// Statement is one bank statement of one account: the booked balances at
// its start and end and the booked lines between them.
type Statement struct {
	// ID identifies the statement at the bank (camt Stmt/Id; MT940
	// "<:28C:>/<closing date>"; CSV the mapping's or a digest of the file).
	ID string
	// Account is the bank account: an IBAN, or the bank's own account
	// identification (MT940 :25:, camt Othr/Id).
	Account  string
	Currency money.Currency
	// Balances says the statement carries Opening and Closing (camt.053
	// and MT940 always do; a CSV export only with a balance column).
	Balances bool
	// Opening is the booked balance at the start of OpeningDate (the
	// previous statement's closing), Closing the booked balance at the end
	// of ClosingDate; credit positive.
	Opening, Closing         money.Amount
	OpeningDate, ClosingDate date.Date
	// Format is "camt.053.001.08", "mt940" or "csv".
	Format string
	Lines  []Line
}

// Line is one booked line of a statement.
type Line struct {
	// Ref is the bank's reference of the line; see the package doc.
	Ref string
	// Booked is the booking date, Value the value date (zero if not given).
	Booked, Value date.Date
	// Amount is positive for a credit (money in), negative for a debit.
	Amount money.Amount
	// EndToEndIDs are the end-to-end references of the transactions the
	// line books: one for a single transfer, several for a batch booking
	// (a salary run); none if the bank gives none.
	EndToEndIDs []string
	// Counterparty is the other party's name; CounterpartyAccount its IBAN
	// or account.
	Counterparty, CounterpartyAccount string
	// Text is the remittance information (Verwendungszweck) and the bank's
	// booking text, as given.
	Text string
	// Source is where the line was read: "file:line" or "file:line: path".
	Source string
}

// Error is a statement a reader refuses: where and why.
type Error struct {
	File string
	Line int    // 1-based line in the file, 0 if unknown
	Path string // XML element path, or the MT940 tag or CSV column
	// Reason says what is wrong, without amounts or names.
	Reason string
	Err    error // the sentinel, or a *BalanceError
}

// Error implements error: "file:line: path: reason".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	if e.Path != "" {
		b.WriteString(": " + e.Path)
	}
	b.WriteString(": ")
	if e.Reason != "" {
		b.WriteString(e.Reason)
	} else {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the sentinel (or the *BalanceError).
func (e *Error) Unwrap() error { return e.Err }

// BalanceError is a statement whose opening balance plus its lines is not
// its closing balance. Gap is Closing − (Opening + Σ lines): what the lines
// lack.
type BalanceError struct {
	Statement               string
	Opening, Lines, Closing money.Amount
	Gap                     money.Amount
}

// Error implements error; it names the gap.
func (e *BalanceError) Error() string {
	return fmt.Sprintf("statement %s: opening %s + lines %s ≠ closing %s: gap %s",
		e.Statement, e.Opening.Number(), e.Lines.Number(), e.Closing.Number(), e.Gap.Number())
}

// Unwrap returns ErrBalance.
func (e *BalanceError) Unwrap() error { return ErrBalance }

// Options tune the readers. A nil *Options means the defaults.
type Options struct {
	// Currency, if set, is the currency of the ledger account the
	// statement is for: a statement in any other currency is refused with
	// ErrCurrency.
	Currency money.Currency
	// Registry resolves currency codes; nil means ISO 4217 only.
	Registry *money.Registry
}

func (o *Options) currency(code string) (money.Currency, error) {
	if o != nil && o.Registry != nil {
		return o.Registry.Lookup(code)
	}
	return money.ParseCurrency(code)
}

// wantCurrency checks c against Options.Currency.
func (o *Options) wantCurrency(c money.Currency) bool {
	return o == nil || o.Currency.IsZero() || o.Currency == c
}

// Check verifies that st's opening balance plus its lines is its closing
// balance and that every line is in the statement's currency; a statement
// without balances only has its currencies checked. It returns a
// *BalanceError wrapping ErrBalance, or an error wrapping ErrCurrency.
func (st *Statement) Check() error {
	sum := money.Zero(st.Currency)
	for i, l := range st.Lines {
		if l.Amount.Currency() != st.Currency {
			return fmt.Errorf("statement %s line %d: %w", st.ID, i+1, ErrCurrency)
		}
		var err error
		if sum, err = sum.Add(l.Amount); err != nil {
			return fmt.Errorf("statement %s: %w", st.ID, err)
		}
	}
	if !st.Balances {
		return nil
	}
	want, err := st.Opening.Add(sum)
	if err != nil {
		return fmt.Errorf("statement %s: %w", st.ID, err)
	}
	if want != st.Closing {
		gap, _ := st.Closing.Sub(want)
		return &BalanceError{Statement: st.ID, Opening: st.Opening, Lines: sum, Closing: st.Closing, Gap: gap}
	}
	return nil
}

// parseAmount parses a non-negative decimal amount ("1234.56", or with a
// decimal comma if comma) in c, telling ErrScale from ErrFormat.
func parseAmount(s string, c money.Currency, comma bool) (money.Amount, error) {
	s = strings.TrimSpace(s)
	if comma {
		if strings.Contains(s, ".") {
			return money.Amount{}, fmt.Errorf("%w: a point in an amount with decimal comma", ErrFormat)
		}
		s = strings.Replace(s, ",", ".", 1)
	}
	s = strings.TrimSuffix(s, ".") // MT940 "100," is 100
	if s == "" || strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		return money.Amount{}, fmt.Errorf("%w: not an unsigned amount", ErrFormat)
	}
	a, err := money.Parse(s, c)
	if errors.Is(err, money.ErrScale) {
		return a, fmt.Errorf("%w (%s has %d)", ErrScale, c.Code(), c.MinorUnits())
	}
	if err != nil {
		return a, fmt.Errorf("%w: not an amount", ErrFormat)
	}
	return a, nil
}

// errorf returns an error wrapping sentinel with a reason.
func errorf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }
