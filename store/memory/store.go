package memory

import (
	"context"
	"fmt"
	"sync"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/server"
)

// Store is an in-memory store. The zero value is not usable; call New.
type Store struct {
	mu    sync.RWMutex
	books map[string]*book
	wtx   tx     // the one write transaction, reused: Update holds the lock
	ver   uint64 // last version handed out; versions never repeat, even after a rollback
	hr    *hrData
	pay   *payData
	// tokens are the books server's API tokens.
	tokens server.MemoryTokens
	part   *partData
	// bank holds bank statements and their matches (package reconcile).
	bank bankData
	// datev holds the books' DATEV settings.
	datev datevData
	// fx holds the books' exchange rates.
	fx fxData
}

func (s *Store) nextVersion() uint64 { s.ver++; return s.ver }

// New returns an empty store.
func New() *Store {
	return &Store{books: make(map[string]*book), hr: newHRData(), pay: newPayData(), part: newPartData()}
}

// errReadOnly refuses a write through the transaction of View (which a caller
// could reach by a type assertion); it would race with other readers.
var errReadOnly = fmt.Errorf("memory: %w: write in a read-only transaction", ledger.ErrState)

// tx is a transaction on a Store; it records how to undo each write.
type tx struct {
	s    *Store
	undo []func()
	ro   bool
}

func (t *tx) onUndo(f func()) { t.undo = append(t.undo, f) }

func (t *tx) rollback() { t.rollbackTo(0) }

// rollbackTo undoes the writes recorded after the first n, newest first: a
// rollback to a savepoint.
func (t *tx) rollbackTo(n int) {
	for i := len(t.undo) - 1; i >= n; i-- {
		t.undo[i]()
		t.undo[i] = nil
	}
	t.undo = t.undo[:n]
}

// begin locks the store for writing and returns its write transaction.
func (s *Store) begin(ctx context.Context) (*tx, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.wtx = tx{s: s, undo: s.wtx.undo[:0]}
	return &s.wtx, nil
}

// end commits t if err is nil and ctx is still live, else rolls it back, and
// unlocks the store.
// write runs fn in a write transaction: committed if fn succeeds, undone
// if it fails or panics (the panic goes on). Update, UpdateHR,
// UpdatePayroll, UpdatePartners and UpdateAll all run through it.
func (s *Store) write(ctx context.Context, fn func(*tx) error) error {
	t, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			s.end(ctx, t, fmt.Errorf("memory: transaction panicked"))
			panic(p)
		}
	}()
	return s.end(ctx, t, fn(t))
}

func (s *Store) end(ctx context.Context, t *tx, err error) error {
	defer s.mu.Unlock()
	if err == nil {
		// A context cancelled while the transaction ran aborts the commit,
		// as a database would.
		err = ctx.Err()
	}
	if err != nil {
		t.rollback()
	}
	clear(t.undo) // drop references held by the undo closures
	t.undo = t.undo[:0]
	return err
}

func (s *Store) view(ctx context.Context, fn func(*tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return fn(&tx{s: s, ro: true})
}
