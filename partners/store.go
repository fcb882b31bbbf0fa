package partners

import (
	"context"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// Store is the persistence customers, suppliers and their open items need.
// Implementations live in store/* and must pass the conformance suite
// storetest.Partners. One store value implements ledger.Store and Store
// (hence UpdatePartners and ViewPartners), so that an invoice, its open item
// and its journal entry commit in one database transaction.
//
// A Store keeps records; it does not decide what is valid. Parties checks
// every document, payment and run before it asks the store to write, and
// reads what it validates against inside the same transaction. Everything
// is appended except an item's open amount and dunning level, which the
// store keeps as the sum of the item's moves and the highest level of its
// dunning runs (derived data, which Verify checks against the ledger).
//
// Lists are returned in the order each method names. Times are stored and
// returned in UTC at microsecond precision. Values a ReadTx returns may share
// memory with the store: Parties never modifies them. Write methods must
// not keep the slices and maps they are given.
//
// Implementations must be safe for concurrent use.
type Store interface {
	// UpdatePartners runs fn in a read-write transaction. Concurrent calls
	// behave as if run one after the other (a store may run them serially,
	// or detect a conflict and retry fn). If fn returns an error, or the
	// commit fails, nothing fn wrote remains, through the Tx or through
	// Tx.Ledger, and UpdatePartners returns that error. A store may run fn
	// more than once, so fn must have no effects outside the transaction.
	UpdatePartners(ctx context.Context, fn func(Tx) error) error
	// ViewPartners runs fn in a read-only transaction that sees one
	// consistent state. Writes through Tx.Ledger are not possible there.
	ViewPartners(ctx context.Context, fn func(ReadTx) error) error
}

// PartyReader reads parties and settings.
type PartyReader interface {
	// PartyVersions returns every recorded version of the party, ordered
	// by ValidFrom then RecordedAt, or an error wrapping ErrUnknownParty.
	PartyVersions(ctx context.Context, book, number string) ([]Party, error)
	// Parties returns every version of every party of the book, ordered by
	// Number, ValidFrom, then RecordedAt.
	Parties(ctx context.Context, book string) ([]Party, error)
	// Settings returns the book's settings; Settings{Book: book} if none
	// were set.
	Settings(ctx context.Context, book string) (Settings, error)
}

// DocumentReader reads invoices, payments and dunning runs.
type DocumentReader interface {
	// Invoice returns the invoice or credit note with the number, or an
	// error wrapping ErrNotFound.
	Invoice(ctx context.Context, book, number string) (Invoice, error)
	// InvoiceByKey returns the invoice posted under the key, or an error
	// wrapping ErrNotFound.
	InvoiceByKey(ctx context.Context, book, key string) (Invoice, error)
	// Invoices returns the book's invoices and credit notes matching q,
	// ordered by number.
	Invoices(ctx context.Context, book string, q InvoiceQuery) ([]Invoice, error)
	// Payment returns the payment settled under the key, or an error
	// wrapping ErrNotFound.
	Payment(ctx context.Context, book, key string) (Payment, error)
	// DunningRuns returns the book's dunning runs dated from to to
	// (inclusive; zero bounds do not bound), ordered by date.
	DunningRuns(ctx context.Context, book string, from, to date.Date) ([]DunningRun, error)
}

// ItemReader reads open items, their moves and their aging.
type ItemReader interface {
	// Item returns the item, or an error wrapping ErrNotFound.
	Item(ctx context.Context, book, id string) (Item, error)
	// Items returns the items matching q, ordered by party, due date and
	// ID. With q.AsOf set, each item's Open is what was open at the end of
	// that day (its amount less its moves dated on or before it) and items
	// dated after it are left out.
	Items(ctx context.Context, book string, q ItemQuery) ([]Item, error)
	// Moves returns the moves matching q, ordered by date, entry and item.
	Moves(ctx context.Context, book string, q MoveQuery) ([]Move, error)
	// Aging sums the open amounts of the items matching q by party,
	// currency and bucket of days overdue, as of q.AsOf, ordered by party
	// then currency; parties with nothing open are left out. Stores must
	// answer it with an aggregate over the items, not by returning them.
	Aging(ctx context.Context, book string, q AgingQuery) ([]AgingRow, error)
}

// ReadTx reads partner data in one transaction.
type ReadTx interface {
	PartyReader
	DocumentReader
	ItemReader
	// Ledger returns a ledger.Store bound to this transaction: its Update
	// and View run inside this transaction, seeing what it wrote so far,
	// without committing anything of their own (as payroll.Tx.Ledger). In
	// the read-only transaction of ViewPartners only its View may be used,
	// and it sees the same snapshot. The value is valid only while the
	// transaction runs and is not safe for concurrent use.
	Ledger() ledger.Store
}

// Tx reads and writes partner data inside Store.UpdatePartners.
type Tx interface {
	ReadTx
	Writer
}

// Writer writes partner data. Every method returns an error wrapping
// ErrDuplicate for a record that exists already.
type Writer interface {
	// AddParty appends a version of a party (ErrDuplicate if one with the
	// same Number, ValidFrom and RecordedAt exists).
	AddParty(ctx context.Context, p Party) error
	// SetSettings replaces the book's settings.
	SetSettings(ctx context.Context, s Settings) error
	// NextNumber returns the next number of the book's series (1 for a new
	// series) and records it as used; other transactions drawing from the
	// same series wait until this one ends, so numbers have no gaps.
	NextNumber(ctx context.Context, book, series string) (int64, error)
	// AddInvoice stores a posted invoice or credit note (ErrDuplicate for
	// a number or key that exists).
	AddInvoice(ctx context.Context, inv Invoice) error
	// AddItem stores a new open item.
	AddItem(ctx context.Context, it Item) error
	// AddMoves appends moves and subtracts each from its item's Open
	// (ErrNotFound for an unknown item). Open may not go below zero: that
	// is an error wrapping ErrOverpayment, and nothing is written.
	AddMoves(ctx context.Context, book string, moves []Move) error
	// AddPayment stores a settled payment (ErrDuplicate for a key that
	// exists).
	AddPayment(ctx context.Context, p Payment) error
	// AddDunningRun stores a dunning run (ErrDuplicate for a date that has
	// one) and raises each noticed item's DunningLevel to the notice
	// item's level, setting LastDunned to the run's date.
	AddDunningRun(ctx context.Context, r DunningRun) error
}

// InvoiceQuery selects invoices. Zero fields do not filter.
type InvoiceQuery struct {
	Party    string
	From, To date.Date // invoice dates, inclusive
}

// ItemQuery selects open items. Zero fields do not filter.
type ItemQuery struct {
	Party string
	Kind  ItemKind
	// AsOf computes Open as of the end of that day and leaves out items
	// dated after it; zero means now.
	AsOf date.Date
	// OpenOnly leaves out items with nothing open.
	OpenOnly bool
	// DueBy keeps only items due on or before this day.
	DueBy date.Date
}

// MoveQuery selects moves. Zero fields do not filter.
type MoveQuery struct {
	Party    string // moves of this party's items
	Item     string
	From, To date.Date // move dates, inclusive
}

// AgingQuery selects and buckets the items of Aging.
type AgingQuery struct {
	Kind  ItemKind  // required
	AsOf  date.Date // required: open amounts and days overdue as of this day
	Party string    // only this party, if set
	// Limits are the upper bounds, in days overdue, of every bucket but the
	// last, strictly increasing: [0 30 60 90] gives the buckets "not due"
	// (≤ 0 days), 1–30, 31–60, 61–90 and over 90. At most 8.
	Limits []int
}

// AgingRow is one party's open amount in one currency, by bucket.
type AgingRow struct {
	Party    string
	Currency money.Currency
	// Buckets has len(Limits)+1 amounts, one per bucket, in order.
	Buckets []money.Amount
	Total   money.Amount
}
