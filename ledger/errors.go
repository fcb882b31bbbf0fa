package ledger

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error the ledger returns for a condition a caller may
// branch on wraps exactly one of these; test with errors.Is. Messages name the
// entry key and line index, never amounts or free text, which may be personal data.
var (
	// ErrUnknownBook: the book does not exist.
	ErrUnknownBook = errors.New("ledger: unknown book")
	// ErrUnknownAccount: a line or query names an account that does not exist.
	ErrUnknownAccount = errors.New("ledger: unknown account")
	// ErrAccountClosed: the account exists but is closed for posting.
	ErrAccountClosed = errors.New("ledger: account closed")
	// ErrCurrencyMismatch: an amount's currency is not the one the account allows.
	ErrCurrencyMismatch = errors.New("ledger: currency mismatch")
	// ErrUnknownCurrency: an amount's currency is not known to the ledger's registry.
	ErrUnknownCurrency = errors.New("ledger: unknown currency")
	// ErrScale: an amount has more decimal places than its currency's minor units.
	ErrScale = errors.New("ledger: scale exceeds the currency's minor units")
	// ErrUnbalanced: debits and credits of an entry differ in some currency.
	ErrUnbalanced = errors.New("ledger: entry does not balance")
	// ErrZeroAmount: a line has a zero amount.
	ErrZeroAmount = errors.New("ledger: zero amount")
	// ErrInvalid: a field is missing or malformed (no date, fewer than two lines, bad code …).
	ErrInvalid = errors.New("ledger: invalid")
	// ErrPeriodClosed: the entry's date lies in a closed period. The
	// error Post returns names the period and the booking date
	// ("ledger: period closed: 2026/03 (2026-03-01 – 2026-03-31), booking
	// date 2026-03-15"); so does ErrPeriodLocked's.
	ErrPeriodClosed = errors.New("ledger: period closed")
	// ErrPeriodLocked: the entry's date lies in a locked period or on or before the book's lock date.
	ErrPeriodLocked = errors.New("ledger: period locked")
	// ErrConflict: an idempotency key was reused with a different payload.
	ErrConflict = errors.New("ledger: idempotency key reused with a different payload")
	// ErrConstraint: posting would break an account constraint (for example "must not go negative").
	ErrConstraint = errors.New("ledger: account constraint violated")
	// ErrOverflow: a balance or sum would leave the range of exact amounts.
	ErrOverflow = errors.New("ledger: amount out of range")
	// ErrDuplicate: a book or account with that identifier already exists.
	ErrDuplicate = errors.New("ledger: already exists")
	// ErrNotFound: no entry matches the sequence number or key asked for.
	ErrNotFound = errors.New("ledger: not found")
	// ErrState: the operation is not allowed in the current state (for example
	// reopening a locked period).
	ErrState = errors.New("ledger: not allowed in this state")
	// ErrNotConverted: an account holds postings in a currency other than
	// the book's base currency without a base amount (Line.Base), so it has
	// no value in the base currency.
	ErrNotConverted = errors.New("ledger: postings without a base-currency amount")
	// ErrTampered: Verify found a stored record that differs from what was posted.
	ErrTampered = errors.New("ledger: audit verification failed")
)

// EntryError reports which entry and line of a Post or PostBatch call failed.
// It wraps one of the sentinel errors. Its text names what a caller can find
// the entry by: its position in a batch of several entries (never for a
// single entry), its key, and the line's index and account code, as in
// `entry 3 (key "inv/7") line 1, account 1200: ledger: account closed`.
type EntryError struct {
	Index   int    // position of the entry in the batch (0 for Post)
	Key     string // the entry's idempotency key, if any
	Line    int    // index of the offending line, or -1 if the entry as a whole
	Account string // the offending line's account code, if Line ≥ 0
	// Batch is set for an entry of a batch of several, whose position
	// (Index) the text then gives.
	Batch bool
	Err   error // the cause; wraps a sentinel
}

// lineError is an *EntryError for line i (-1: the whole entry) of e.
func lineError(e *Entry, i int, err error) *EntryError {
	ee := &EntryError{Key: e.Key, Line: i, Err: err}
	if i >= 0 && i < len(e.Lines) {
		ee.Account = e.Lines[i].Account
	}
	return ee
}

// placeInBatch sets the position of err's *EntryError, if it is one, to index i of a
// batch of n entries.
func placeInBatch(err error, i, n int) {
	if ee := (*EntryError)(nil); errors.As(err, &ee) {
		ee.Index, ee.Batch = i, n > 1
	}
}

func (e *EntryError) Error() string {
	s := "entry"
	if e.Batch {
		s += fmt.Sprintf(" %d", e.Index)
	}
	if e.Key != "" {
		s += fmt.Sprintf(" (key %q)", e.Key)
	}
	if e.Line >= 0 {
		s += fmt.Sprintf(" line %d", e.Line)
		if e.Account != "" {
			s += fmt.Sprintf(", account %s", e.Account)
		}
	}
	if s == "entry" { // a single entry without a key, as a whole: the cause says it
		return e.Err.Error()
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *EntryError) Unwrap() error { return e.Err }

// ConversionError names an account and currency whose postings lack base
// amounts, so a balance in the base currency cannot be had. It wraps
// ErrNotConverted.
type ConversionError struct {
	Account  string
	Currency string // currency code
}

func (e *ConversionError) Error() string {
	return fmt.Sprintf("account %s holds %s: %v", e.Account, e.Currency, ErrNotConverted)
}

// Unwrap returns ErrNotConverted.
func (e *ConversionError) Unwrap() error { return ErrNotConverted }

// VerifyError names the first record Verify found wrong. It wraps ErrTampered.
type VerifyError struct {
	Book    string
	Seq     uint64 // sequence number of the first bad entry, or 0
	Account string // the account whose stored balance, totals or chart record is wrong, if any
	Month   string // the month ("2026-01") or year ("2026") of a wrong totals row, if any
	Period  string // the fiscal period ("2026/01") of a wrong period event, if any
	State   uint64 // sequence number of the first bad state record, or 0
	Reason  string
}

func (e *VerifyError) Error() string {
	s := fmt.Sprintf("ledger: verify book %q:", e.Book)
	switch {
	case e.Account != "" && e.Month != "":
		s += fmt.Sprintf(" account %s, %s:", e.Account, e.Month)
	case e.Account != "":
		s += fmt.Sprintf(" account %s:", e.Account)
	case e.Period != "":
		s += fmt.Sprintf(" period %s:", e.Period)
	case e.State != 0:
		s += fmt.Sprintf(" state record %d:", e.State)
	case e.Seq != 0:
		s += fmt.Sprintf(" entry %d:", e.Seq)
	}
	return s + " " + e.Reason
}

// Unwrap returns ErrTampered.
func (e *VerifyError) Unwrap() error { return ErrTampered }
