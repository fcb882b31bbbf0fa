package memory

import (
	"context"
	"sync"
)

// Store is an in-memory store. The zero value is not usable; call New.
type Store struct {
	mu    sync.RWMutex
	books map[string]*book
}

// New returns an empty store.
func New() *Store {
	return &Store{books: make(map[string]*book)}
}

// tx is a transaction on a Store; it records how to undo each write.
type tx struct {
	s    *Store
	undo []func()
	ro   bool
}

func (t *tx) onUndo(f func()) { t.undo = append(t.undo, f) }

func (t *tx) rollback() {
	for i := len(t.undo) - 1; i >= 0; i-- {
		t.undo[i]()
	}
	t.undo = nil
}

func (s *Store) update(ctx context.Context, fn func(*tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := &tx{s: s}
	if err := fn(t); err != nil {
		t.rollback()
		return err
	}
	// A context cancelled while fn ran aborts the commit, as a database would.
	if err := ctx.Err(); err != nil {
		t.rollback()
		return err
	}
	return nil
}

func (s *Store) view(ctx context.Context, fn func(*tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return fn(&tx{s: s, ro: true})
}
