package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/openbackoffice/backoffice/fx"
	"github.com/openbackoffice/backoffice/ledger"
)

var _ fx.Store = (*Store)(nil)

// fxData holds the exchange rates by book ("" the shared ones), beside
// the transactions of the other domains (rates are written alone). An
// fx.Table has the semantics of fx.Store.PutRates: equal rates skipped,
// conflicts refused, all or nothing.
type fxData struct {
	mu     sync.Mutex
	tables map[string]*fx.Table
}

// PutRates implements fx.Store.
func (s *Store) PutRates(ctx context.Context, book string, rates []fx.Rate) (int, error) {
	if err := s.fxBook(ctx, book); err != nil {
		return 0, err
	}
	s.fx.mu.Lock()
	defer s.fx.mu.Unlock()
	if s.fx.tables == nil {
		s.fx.tables = map[string]*fx.Table{}
	}
	t := s.fx.tables[book]
	if t == nil {
		t = new(fx.Table)
		s.fx.tables[book] = t
	}
	n := t.Len()
	if err := t.Add(rates...); err != nil {
		return 0, fmt.Errorf("memory: rates of book %q: %w", book, err)
	}
	return t.Len() - n, nil
}

// putRatesUndo is PutRates inside the write transaction t: the book's
// table is replaced by a new one, and the old one put back on rollback.
func (s *Store) putRatesUndo(t *tx, book string, rates []fx.Rate) (int, error) {
	if _, ok := s.books[book]; !ok && book != "" {
		return 0, fmt.Errorf("memory: rates of book %s: %w", book, ledger.ErrUnknownBook)
	}
	s.fx.mu.Lock()
	defer s.fx.mu.Unlock()
	if s.fx.tables == nil {
		s.fx.tables = map[string]*fx.Table{}
	}
	old := s.fx.tables[book]
	nt := new(fx.Table)
	if old != nil {
		if err := nt.Add(old.Rates()...); err != nil {
			return 0, err
		}
	}
	n := nt.Len()
	if err := nt.Add(rates...); err != nil {
		return 0, fmt.Errorf("memory: rates of book %q: %w", book, err)
	}
	s.fx.tables[book] = nt
	t.onUndo(func() {
		s.fx.mu.Lock()
		defer s.fx.mu.Unlock()
		if old == nil {
			delete(s.fx.tables, book)
		} else {
			s.fx.tables[book] = old
		}
	})
	return nt.Len() - n, nil
}

// Rates implements fx.Store.
func (s *Store) Rates(ctx context.Context, book string) ([]fx.Rate, error) {
	if err := s.fxBook(ctx, book); err != nil {
		return nil, err
	}
	return s.rates(book), nil
}

// rates returns the rates book sees, as Rates, the caller having checked
// the book.
func (s *Store) rates(book string) []fx.Rate {
	s.fx.mu.Lock()
	defer s.fx.mu.Unlock()
	var own, shared []fx.Rate
	if t := s.fx.tables[book]; t != nil {
		own = t.Rates()
	}
	if t := s.fx.tables[""]; t != nil && book != "" {
		shared = t.Rates()
	}
	if len(shared) == 0 {
		return own
	}
	// The book's own rate of a date and pair hides the shared one.
	type key struct {
		day      string
		from, to string
	}
	mine := make(map[key]bool, len(own))
	for _, r := range own {
		mine[key{r.Date.String(), r.From.Code(), r.To.Code()}] = true
	}
	for _, r := range shared {
		if !mine[key{r.Date.String(), r.From.Code(), r.To.Code()}] {
			own = append(own, r)
		}
	}
	slices.SortFunc(own, func(a, b fx.Rate) int {
		return cmp.Or(cmp.Compare(a.From.Code(), b.From.Code()), cmp.Compare(a.To.Code(), b.To.Code()), a.Date.Compare(b.Date))
	})
	return own
}

// fxBook returns ErrUnknownBook for a book other than "" that s does not
// hold.
func (s *Store) fxBook(ctx context.Context, book string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if book == "" {
		return nil
	}
	s.mu.RLock()
	_, ok := s.books[book]
	s.mu.RUnlock()
	if !ok {
		return fmt.Errorf("memory: rates of book %s: %w", book, ledger.ErrUnknownBook)
	}
	return nil
}
