package reconcile

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

// Sentinel errors; every error a caller may branch on wraps one of them.
var (
	// ErrConflict is a statement imported before with other content, a
	// line reference recorded under another statement, or a line matched
	// to another entry.
	ErrConflict = errors.New("reconcile: conflict")
	// ErrNotFound is a statement line that does not exist.
	ErrNotFound = errors.New("reconcile: not found")
	// ErrInvalid is a request that cannot be carried out as asked: an
	// unknown account, a statement in another currency or of another bank
	// account, a malformed rule.
	ErrInvalid = errors.New("reconcile: invalid")
)

// Statement is an imported bank statement as stored: the header of a
// camt.Statement and the ledger account it belongs to.
type Statement struct {
	Book string
	// Account is the ledger account (the bank account in the chart).
	Account string
	ID      string
	// BankAccount is the IBAN or bank account the statement is of.
	BankAccount              string
	Currency                 money.Currency
	Balances                 bool
	Opening, Closing         money.Amount
	OpeningDate, ClosingDate date.Date
	Format                   string
	// Lines is how many lines it has.
	Lines int
	// Digest is SHA-256 of the statement's content (header and lines);
	// importing the same ID again with another digest is ErrConflict.
	Digest     [32]byte
	ImportedAt time.Time
}

// Line is a stored statement line with its match, if any.
type Line struct {
	Book, Account, Statement string
	// N is its position in the statement, from 1.
	N int
	// Ref is the bank's reference, unique per book and account.
	Ref                               string
	Booked, Value                     date.Date
	Amount                            money.Amount // credit positive
	EndToEndIDs                       []string
	Counterparty, CounterpartyAccount string
	Text                              string
	// Entry is the sequence number of the ledger entry the line is matched
	// to, 0 while unmatched; Rule the rule that matched it, MatchedAt when.
	Entry     uint64
	Rule      string
	MatchedAt time.Time
}

// Match links a statement line to the ledger entry that books it.
type Match struct {
	Book, Account, Ref string
	Entry              uint64
	Rule               string
	At                 time.Time
}

// LineQuery selects statement lines of one account. Zero fields do not
// filter.
type LineQuery struct {
	Account string
	// Unmatched keeps only lines without a match.
	Unmatched bool
	// To keeps only lines booked on or before it.
	To date.Date
}

// Store is the persistence statements and their matches need. It is
// implemented by store/memory, store/sqlite and store/postgres and must
// pass storetest.Statements. Statements, lines and matches are appended and
// never changed or deleted.
//
// Times are stored at microsecond precision in UTC. Implementations must be
// safe for concurrent use; each method is one transaction.
type Store interface {
	// AddStatement records st with its lines, all or nothing. If a
	// statement with st's book, account and ID exists, it returns false and
	// nil when its Digest equals st's, and an error wrapping ErrConflict
	// otherwise. A line whose Ref is already recorded for the book and
	// account (under another statement) is ErrConflict; then nothing is
	// written.
	AddStatement(ctx context.Context, st Statement, lines []Line) (added bool, err error)
	// Statements returns the statements of a book's account, ordered by
	// closing date, then ID.
	Statements(ctx context.Context, book, account string) ([]Statement, error)
	// Lines returns the lines matching q with their matches, ordered by
	// booking date, statement ID and position.
	Lines(ctx context.Context, book string, q LineQuery) ([]Line, error)
	// AddMatches records matches, all or none. A match of a line that does
	// not exist is ErrNotFound; of a line matched to another entry
	// ErrConflict; of a line matched to the same entry already, nothing.
	AddMatches(ctx context.Context, ms []Match) error
}

// digest returns SHA-256 over a statement's content: everything but the
// import time, the book and the ledger account.
func digest(st Statement, lines []Line) [32]byte {
	h := sha256.New()
	str := func(s string) {
		var n [binary.MaxVarintLen64]byte
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(s)))])
		h.Write([]byte(s))
	}
	num := func(v int64) {
		var n [binary.MaxVarintLen64]byte
		h.Write(n[:binary.PutVarint(n[:], v)])
	}
	str("v1")
	str(st.ID)
	str(st.BankAccount)
	str(st.Currency.Code())
	num(int64(st.Currency.MinorUnits()))
	if st.Balances {
		num(1)
		num(st.Opening.MinorUnits())
		num(st.Closing.MinorUnits())
		str(st.OpeningDate.String())
		str(st.ClosingDate.String())
	} else {
		num(0)
	}
	str(st.Format)
	num(int64(len(lines)))
	for _, l := range lines {
		str(l.Ref)
		str(l.Booked.String())
		str(l.Value.String())
		num(l.Amount.MinorUnits())
		num(int64(len(l.EndToEndIDs)))
		for _, e := range l.EndToEndIDs {
			str(e)
		}
		str(l.Counterparty)
		str(l.CounterpartyAccount)
		str(l.Text)
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}
