package partners

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
)

// Role says whether a party buys from the book (a customer, Debitor) or
// sells to it (a supplier, Kreditor).
type Role string

// The two roles.
const (
	Customer Role = "customer"
	Supplier Role = "supplier"
)

// Party is one version of a customer or supplier. A party is identified in
// its book by Number, its personal account (Personenkonto) in DATEV terms;
// changes are new versions valid from a day (ValidFrom), appended and never
// overwritten, as HR records are. The version in force on day D is, among
// those with ValidFrom on or before D, the one with the latest ValidFrom,
// and of several with the same ValidFrom the one recorded last.
type Party struct {
	Book string
	// Number is the party's number, unique in the book across both roles.
	// A numeric number of five or more digits is a DATEV personal account
	// and must lie in its role's range: a customer's starts with 1–6
	// (10000–69999 for four-digit accounts), a supplier's with 7–9
	// (70000–99999).
	Number string
	Role   Role
	// ValidFrom is the first day this version holds; zero means since
	// always.
	ValidFrom date.Date
	Name      string
	Address   Address
	// VATID is the party's VAT identification number (USt-IdNr.), checked
	// against the format of its EU country; empty if none.
	VATID string
	// Bank is where payments to the party go (suppliers) or come from.
	Bank  hr.BankAccount
	Terms Terms
	// Dunning names the dunning profile: "" for the default, "none" for a
	// party that is never dunned.
	Dunning string
	// Consumer marks a party who is a consumer, not a business: statutory
	// default interest is the base rate plus 5 points instead of 9
	// (§ 288 BGB).
	Consumer bool
	// RecordedAt is when the version was recorded; set by Parties.
	RecordedAt time.Time
}

// Address is a postal address.
type Address struct {
	Street     string
	PostalCode string
	City       string
	Country    string // ISO 3166-1 alpha-2, e.g. "DE"
}

// Terms are payment terms: the invoice is due NetDays after its date, and
// paid within DiscountDays it may be paid less DiscountRate (cash
// discount, Skonto). DiscountRate is a fraction: 0.02 is 2 %.
type Terms struct {
	NetDays      int
	DiscountDays int
	DiscountRate decimal.Decimal
}

// Kind is the kind of a document: an invoice or a credit note.
type Kind string

// Document kinds.
const (
	InvoiceKind    Kind = "invoice"
	CreditNoteKind Kind = "credit_note"
)

// Invoice is an invoice or credit note, outgoing to a customer or
// incoming from a supplier (which one follows from the party's role).
// Invoices.Post assigns its number and posts it; the fields below Lines
// are set then.
type Invoice struct {
	Book string
	// Key is the caller's identifier of the document and the idempotency
	// key of its posting: posting again with the same Key and the same
	// payload returns the invoice as posted, with another payload
	// ErrConflict. Required.
	Key  string
	Kind Kind
	// Series is the number series the document is numbered in, gaplessly:
	// its number is Series followed by the next number of the series,
	// zero-padded to five digits ("RE2025-00042"). Empty means "RE" for
	// outgoing and "ER" for incoming documents.
	Series string
	Party  string
	// Date is the invoice date, also its booking date.
	Date date.Date
	// DueDate is when it is due; zero means Date + the party's net days.
	DueDate date.Date
	// DiscountDate and DiscountRate are the cash-discount terms; a zero
	// DiscountDate means those of the party's terms (none if it has none).
	DiscountDate date.Date
	DiscountRate decimal.Decimal
	// Currency is the document's currency; zero means the book's.
	Currency money.Currency
	// Reference is the supplier's own invoice number, or the customer's
	// order number.
	Reference string
	// Corrects, for a credit note, is the number of the invoice it
	// corrects; required for credit notes.
	Corrects string
	Text     string
	Lines    []InvoiceLine

	// Set by posting.
	Number string       // the number drawn from the series
	Net    money.Amount // Σ line net amounts
	VAT    money.Amount // Σ VATLines tax
	Gross  money.Amount // Net + VAT: what the party owes (or is owed)
	// VATLines are the tax per VAT code, in code order.
	VATLines []VATLine
	// Entry is the sequence number of the ledger entry posting it.
	Entry    uint64
	PostedAt time.Time
}

// InvoiceLine is one line of an invoice: a net amount on a revenue
// (outgoing) or expense (incoming) account with its VAT code.
type InvoiceLine struct {
	Account string
	// Net is the line's net amount, positive (a credit note's lines are
	// positive too; its kind reverses the postings).
	Net money.Amount
	// VAT is the VAT code ("19", "7", "0", or one of Accounts.VAT).
	VAT        string
	CostCentre string
	Text       string
	// Tax is the line's VAT, set by posting when the book rounds per line.
	Tax money.Amount
}

// VATLine is the tax of one VAT code on a document.
type VATLine struct {
	Code    string
	Rate    decimal.Decimal
	Account string       // where the tax is posted
	Base    money.Amount // Σ net of the code's lines
	Tax     money.Amount
}

// ItemKind says which side an open item is on.
type ItemKind string

// Item kinds.
const (
	Receivable ItemKind = "receivable" // a customer owes the book
	Payable    ItemKind = "payable"    // the book owes a supplier
)

// Item is an open item (offener Posten): an amount a party owes the book or
// the book owes a party, from an invoice or an opening balance, with what is
// still open of it. Amount and Open are positive in the item's direction.
type Item struct {
	Book  string
	ID    string // the invoice number, or the caller's ID of an opening item
	Party string
	Kind  ItemKind
	// Invoice is the number of the invoice it comes from; "" for an
	// opening item.
	Invoice string
	Date    date.Date
	DueDate date.Date
	// DiscountDate and DiscountRate: paid on or before DiscountDate, the
	// item may be settled with a discount of DiscountRate of its amount.
	DiscountDate date.Date
	DiscountRate decimal.Decimal
	Amount       money.Amount
	Open         money.Amount
	// VAT splits Amount by VAT code: a cash discount or write-off corrects
	// the VAT in these proportions (§ 17 UStG). Empty for an item without
	// VAT.
	VAT []VATShare
	// Entry is the sequence number of the ledger entry that opened it.
	Entry uint64
	// Account is the control account it is posted on (receivables or
	// payables).
	Account string
	// DunningLevel is the highest dunning level reached, LastDunned the
	// date of that dunning run; 0 and zero if never dunned.
	DunningLevel int
	LastDunned   date.Date
	Text         string
}

// VATShare is the part of an item's gross amount under one VAT code.
type VATShare struct {
	Code    string
	Rate    decimal.Decimal
	Account string       // the VAT account, corrected by discounts and write-offs
	Gross   money.Amount // net plus tax of the code
}

// MoveKind says what reduced an item.
type MoveKind string

// Move kinds.
const (
	PaymentMove  MoveKind = "payment"
	DiscountMove MoveKind = "discount"
	WriteOffMove MoveKind = "writeoff"
	CreditMove   MoveKind = "credit" // a credit note
)

// Move is one reduction of an item's open amount, posted in a ledger entry.
type Move struct {
	Book   string
	Item   string
	Kind   MoveKind
	Date   date.Date
	Amount money.Amount // positive: what it took off the item
	Entry  uint64       // the ledger entry that posted it
	// Ref is the key of the payment or the number of the credit note.
	Ref string
}

// Payment is money received from a customer or paid to a supplier, with
// what it settles. Settlements.Settle posts it.
type Payment struct {
	Book string
	// Key identifies the payment (a bank transaction ID, a statement line)
	// and makes settling it idempotent. Required.
	Key   string
	Party string
	Date  date.Date
	// Account is the bank or cash account the money moved on; it may be
	// empty for a settlement without money (discounts and write-offs only).
	Account string
	// Amount is the money moved, positive.
	Amount money.Amount
	// EndToEndID is the transfer's end-to-end reference, if any: it ties a
	// bank statement line back to the payment.
	EndToEndID string
	Text       string
	// Allocations say which items the payment settles. Empty means the
	// oldest due items first, each fully (with its cash discount if Date is
	// within its discount terms), the last one partly if the money runs
	// out.
	Allocations []Allocation

	// Set by posting.
	Entry    uint64
	PostedAt time.Time
}

// Allocation is what a payment does to one item: money applied, a cash
// discount granted or taken, and an amount written off. Their sum comes off
// the item's open amount.
type Allocation struct {
	Item     string
	Amount   money.Amount // money applied
	Discount money.Amount // cash discount, gross
	WriteOff money.Amount // written off, gross
}

// Settings are a book's partner settings.
type Settings struct {
	Book string
	// LineRounding rounds VAT per invoice line and adds the rounded amounts
	// (what many invoicing programs print); false, the default, rounds once
	// per VAT code of the invoice (§ 14 UStG's "Steuerbetrag" per rate).
	LineRounding bool
}

// DunningRun is the result of one dunning run of a book on a date: the
// notices to send. Runs are idempotent per date.
type DunningRun struct {
	Book      string
	Date      date.Date
	Notices   []Notice
	CreatedAt time.Time
}

// Notice is one dunning letter: a customer's overdue items at the level the
// letter is of, with the fee and default interest it claims.
type Notice struct {
	Party    string
	Level    int
	Title    string
	Currency money.Currency
	Items    []NoticeItem
	Open     money.Amount // Σ items' open amounts
	Fee      money.Amount
	Interest money.Amount
	Total    money.Amount // Open + Fee + Interest
}

// NoticeItem is one overdue item of a Notice.
type NoticeItem struct {
	Item        string
	Date        date.Date
	DueDate     date.Date
	DaysOverdue int
	Open        money.Amount
	Level       int
	Interest    money.Amount
}
