package ledger

import (
	"context"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

// Store is the persistence the ledger needs. Implementations live in store/*
// and must pass the conformance suite in store/storetest.
//
// A Store keeps data and keeps it consistent; it does not decide what is valid.
// The Ledger validates every entry and computes sequence numbers, hashes and
// balance changes before it asks the store to append, so stores stay small.
//
// Values a ReadTx returns may share memory with the store: the Ledger never
// modifies them and copies them before handing them to its callers. Append must
// not keep the slices and maps of the entries it is given.
//
// Implementations must be safe for concurrent use.
type Store interface {
	// Update runs fn in a read-write transaction. Update calls that touch the
	// same book are serialized by Tx.LockHead. If fn returns an error, or the
	// commit fails, nothing fn wrote remains and Update returns that error.
	// A store may run fn more than once (to retry a serialization failure), so
	// fn must have no effects outside the transaction.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction that sees one consistent state.
	View(ctx context.Context, fn func(ReadTx) error) error
}

// ReadTx reads ledger data. Methods return ErrUnknownBook for a missing book.
type ReadTx interface {
	// Book returns the book with the given ID, or ErrUnknownBook.
	Book(ctx context.Context, id string) (Book, error)
	// Books returns all books, ordered by ID.
	Books(ctx context.Context) ([]Book, error)
	// Account returns one account, or ErrUnknownAccount.
	Account(ctx context.Context, book, code string) (Account, error)
	// Accounts returns the accounts of the book with the given codes, or all
	// of them when no code is given, ordered by code. Codes without an
	// account are left out.
	Accounts(ctx context.Context, book string, codes ...string) ([]Account, error)
	// Version returns a number that changes whenever the book's settings, its
	// accounts or its periods change, that is with every committed call of
	// CreateBook, SetLockDate, PutAccount and AddPeriodEvent, but not Append.
	// Two different committed states never share a version (a counter that
	// only grows will do). The Ledger caches the chart and the period states
	// by it.
	Version(ctx context.Context, book string) (uint64, error)
	// Head returns the sequence number and hash of the book's last entry
	// (0 and the zero hash for an empty book).
	Head(ctx context.Context, book string) (Head, error)
	// Entry returns the entry with sequence number seq, or ErrNotFound.
	Entry(ctx context.Context, book string, seq uint64) (Posted, error)
	// EntryByKey returns the entry posted with idempotency key key, or ErrNotFound.
	EntryByKey(ctx context.Context, book, key string) (Posted, error)
	// EntriesByKey returns the entries posted with any of keys, in any
	// order; keys without an entry are left out. A batch asks once for all
	// its keys, which for a SQL store is one query instead of one per entry.
	EntriesByKey(ctx context.Context, book string, keys []string) ([]Posted, error)
	// Entries returns the entries matching q, ordered by sequence number,
	// starting after q.After and at most q.Limit of them (all if Limit ≤ 0).
	Entries(ctx context.Context, book string, q EntryQuery) ([]Posted, error)
	// Scan calls fn for every entry of the book with Seq ≥ from, in sequence
	// order, until fn returns an error, which Scan returns. The Posted fn
	// gets is valid until fn returns: a store may reuse it for the next.
	Scan(ctx context.Context, book string, from uint64, fn func(*Posted) error) error
	// Totals returns, per account and currency with any posting before q.To
	// (or at all when To is zero), the sum of postings dated before q.From
	// (Opening) and the debit and credit sums of postings dated from q.From to
	// q.To inclusive, honouring q.Dimension and q.ExcludeClosing. Rows are
	// ordered by account code, then currency code. Stores must answer this from
	// maintained totals, not by reading every posting, when q has no Dimension.
	Totals(ctx context.Context, book string, q TotalsQuery) ([]Totals, error)
	// Balances returns the maintained current balance of every account and
	// currency of the book (debit positive), ordered by account then currency.
	// Verify compares them with the sum of postings.
	Balances(ctx context.Context, book string) ([]AccountBalance, error)
	// Period returns the state of one fiscal period; a period never recorded is Open.
	Period(ctx context.Context, book string, fiscalYear, number int) (PeriodState, error)
	// PeriodEvents returns the book's period history, oldest first.
	PeriodEvents(ctx context.Context, book string) ([]PeriodEvent, error)
}

// AheadScanner is implemented by a ReadTx that can read on while Scan's
// fn runs. Verify uses it when it is there: a SQL store's driver then
// decodes the next rows on one core while Verify hashes and sums the
// entries it has on the other.
type AheadScanner interface {
	// ScanAhead is Scan, except that the store may go on reading the
	// book, on a goroutine of its own, while fn runs; fn must therefore not
	// use the transaction. fn is called on the caller's goroutine, for one
	// entry at a time and in sequence order, and an error reading an entry
	// is returned only after fn has had every entry before it. ScanAhead
	// returns once the store has stopped reading, so the transaction may
	// be used again.
	ScanAhead(ctx context.Context, book string, from uint64, fn func(*Posted) error) error
}

// Tx reads and writes ledger data inside Store.Update.
type Tx interface {
	ReadTx
	// CreateBook stores a new book, or returns ErrDuplicate.
	CreateBook(ctx context.Context, b Book) error
	// SetLockDate changes the book's lock date.
	SetLockDate(ctx context.Context, book string, d date.Date) error
	// PutAccount creates or replaces an account.
	PutAccount(ctx context.Context, a Account) error
	// LockHead is Head, and also keeps every other transaction from appending
	// to the book until this one ends. The Ledger calls it before reading
	// anything it validates against, possibly more than once per transaction.
	LockHead(ctx context.Context, book string) (Head, error)
	// LockBalances returns the current balances (debit positive, minor units)
	// of the given account/currency pairs, zero for a pair never posted, and
	// keeps other transactions from changing them until this one ends. keys
	// arrive sorted, so stores that lock rows lock them in one global order.
	LockBalances(ctx context.Context, book string, keys []BalanceKey) ([]int64, error)
	// Append stores entries, which continue the book's chain in order, and
	// adds their lines to the maintained balances and totals. A balance or
	// total that would leave the int64 range of minor units is ErrOverflow,
	// never stored.
	Append(ctx context.Context, book string, entries []Posted) error
	// AddPeriodEvent records a period state change.
	AddPeriodEvent(ctx context.Context, ev PeriodEvent) error
}

// Head is the end of a book's hash chain.
type Head struct {
	Seq  uint64
	Hash [32]byte
}

// BalanceKey names one balance: an account in one currency.
type BalanceKey struct {
	Account  string
	Currency money.Currency
}

// AccountBalance is an account's current balance in one currency, debit positive.
type AccountBalance struct {
	Account string
	Balance money.Amount
}

// Dimension selects postings by one dimension value, such as cost centre "CC-10".
type Dimension struct {
	Name, Value string
}

// EntryQuery selects entries. Zero fields do not filter.
type EntryQuery struct {
	Account   string    // entries with a line on this account (with Dimension: one line must match both)
	From, To  date.Date // booking dates, inclusive
	Key       string
	Voucher   string
	Journal   string
	Dimension Dimension // entries with a line carrying this dimension value
	After     uint64    // only entries with Seq > After (pagination cursor)
	Limit     int       // at most this many; ≤ 0 means all
}

// TotalsQuery selects the date range and postings of Store.Totals.
type TotalsQuery struct {
	From, To       date.Date // inclusive; zero From means from the beginning, zero To means no end
	Accounts       []string  // only these accounts, if any
	Dimension      Dimension // only lines with this dimension value, if Name is set
	ExcludeClosing bool      // leave year-end closing entries (Journal CLOSE) out of the range's debits and credits; the opening keeps them
}

// Totals is one row of Store.Totals, all amounts in one currency.
type Totals struct {
	Account string
	Opening money.Amount // balance before From, debit positive
	Debit   money.Amount // sum of debits in the range, ≥ 0
	Credit  money.Amount // sum of credits in the range, ≥ 0 (as a positive amount)
	// BaseOpening, BaseDebit and BaseCredit are the same sums of the base
	// amounts (Line.Base) of the postings that carry one, in minor units of
	// the book's base currency; postings without one add nothing.
	BaseOpening, BaseDebit, BaseCredit int64
	// Converted reports whether every posting of the row up to To
	// carries a base amount, so that the base sums are its whole value.
	Converted bool
}

// PeriodState is the state of a fiscal period.
type PeriodState uint8

// Period states. A period moves Open → Closed → Locked; a closed period can be
// reopened explicitly, a locked one never.
const (
	Open PeriodState = iota
	Closed
	Locked
)

// String returns "open", "closed" or "locked".
func (s PeriodState) String() string {
	switch s {
	case Open:
		return "open"
	case Closed:
		return "closed"
	case Locked:
		return "locked"
	}
	return "PeriodState(?)"
}

// PeriodEvent records one change of a period's state.
type PeriodEvent struct {
	Book       string
	FiscalYear int // the calendar year in which the fiscal year starts
	Number     int // 1–12
	State      PeriodState
	At         time.Time
	Reason     string
}
