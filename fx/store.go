package fx

import (
	"context"
	"fmt"
)

// Store keeps the exchange-rate tables of books. store/memory,
// store/sqlite and store/postgres implement it, and store/storetest.FX is
// its conformance suite.
//
// Each book has its own rates, and the book "" holds rates shared by
// every book: Rates of a book returns its own and the shared ones, its
// own winning where both give a date and pair. A book's own rate may thus
// differ from a shared one (a bank's rate over the ECB's) without
// conflict.
//
// Rates are history: a store never changes or deletes one. Implementations
// are safe for concurrent use.
type Store interface {
	// PutRates stores rates for book ("" for the shared rates) in one
	// transaction, all or nothing, and returns how many it added. A rate
	// equal to one the book holds, or to one earlier in rates (same date,
	// pair and value, see Table.Add), is skipped and not counted, so
	// importing a file again adds nothing. It fails, writing nothing,
	// with ErrInvalidRate if a rate does not pass Rate.Validate; with
	// ErrConflict if a rate's date and pair are held by the book, or
	// earlier in rates, with another value; and, for a book the store
	// does not know, with the store's unknown-book error
	// (ledger.ErrUnknownBook). Concurrent calls for one book serialize:
	// of two conflicting imports, one succeeds and the other gets
	// ErrConflict.
	PutRates(ctx context.Context, book string, rates []Rate) (added int, err error)

	// Rates returns the rates of book and the shared ones (see Store),
	// ordered by From and To (by currency code) and Date, each rate with
	// the digits it was stored with; for book "" the shared ones only.
	// A book without rates has none (nil, no error); a book the store
	// does not know is the store's unknown-book error.
	Rates(ctx context.Context, book string) ([]Rate, error)
}

// Load returns a Table of the rates of book in s: its own and the shared
// ones (see Store).
func Load(ctx context.Context, s Store, book string) (*Table, error) {
	rates, err := s.Rates(ctx, book)
	if err != nil {
		return nil, err
	}
	t, err := NewTable(rates...)
	if err != nil {
		return nil, fmt.Errorf("fx: rates of book %s: %w", book, err)
	}
	return t, nil
}
