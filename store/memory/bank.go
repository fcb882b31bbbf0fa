package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/openbackoffice/backoffice/bank/reconcile"
)

var _ reconcile.Store = (*Store)(nil)

// bankData holds bank statements, their lines and matches, beside the
// transactions of the other domains: each reconcile.Store method is one
// step under its own lock. The zero value is ready to use.
type bankData struct {
	mu         sync.RWMutex
	statements map[bankKey]reconcile.Statement // (book, account, ID)
	lines      map[bankKey]*reconcile.Line     // (book, account, ref)
	byAccount  map[[2]string][]*reconcile.Line // (book, account) → lines, in order of import
}

type bankKey struct{ book, account, id string }

// AddStatement implements reconcile.Store.
func (s *Store) AddStatement(ctx context.Context, st reconcile.Statement, lines []reconcile.Line) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	b := &s.bank
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.statements == nil {
		b.statements, b.lines, b.byAccount = map[bankKey]reconcile.Statement{}, map[bankKey]*reconcile.Line{}, map[[2]string][]*reconcile.Line{}
	}
	k := bankKey{st.Book, st.Account, st.ID}
	if old, ok := b.statements[k]; ok {
		if old.Digest == st.Digest {
			return false, nil
		}
		return false, fmt.Errorf("memory: statement %s of account %s: %w: imported before with other content", st.ID, st.Account, reconcile.ErrConflict)
	}
	seen := map[string]bool{}
	for _, l := range lines {
		if _, dup := b.lines[bankKey{st.Book, st.Account, l.Ref}]; dup || seen[l.Ref] {
			return false, fmt.Errorf("memory: statement %s line %d: %w: reference %s recorded before", st.ID, l.N, reconcile.ErrConflict, l.Ref)
		}
		seen[l.Ref] = true
	}
	st.ImportedAt = st.ImportedAt.UTC().Truncate(time.Microsecond)
	b.statements[k] = st
	acct := [2]string{st.Book, st.Account}
	for _, l := range lines {
		c := l
		c.Book, c.Account, c.Statement = st.Book, st.Account, st.ID
		c.EndToEndIDs = slices.Clone(l.EndToEndIDs)
		c.Entry, c.Rule, c.MatchedAt = 0, "", time.Time{}
		b.lines[bankKey{st.Book, st.Account, l.Ref}] = &c
		b.byAccount[acct] = append(b.byAccount[acct], &c)
	}
	return true, nil
}

// Statements implements reconcile.Store.
func (s *Store) Statements(ctx context.Context, book, account string) ([]reconcile.Statement, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b := &s.bank
	b.mu.RLock()
	defer b.mu.RUnlock()
	var out []reconcile.Statement
	for k, st := range b.statements {
		if k.book == book && k.account == account {
			out = append(out, st)
		}
	}
	slices.SortFunc(out, func(a, b reconcile.Statement) int {
		return cmp.Or(a.ClosingDate.Compare(b.ClosingDate), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// Lines implements reconcile.Store.
func (s *Store) Lines(ctx context.Context, book string, q reconcile.LineQuery) ([]reconcile.Line, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b := &s.bank
	b.mu.RLock()
	defer b.mu.RUnlock()
	var out []reconcile.Line
	for acct, ls := range b.byAccount {
		if acct[0] != book || q.Account != "" && acct[1] != q.Account {
			continue
		}
		for _, l := range ls {
			if q.Unmatched && l.Entry != 0 || !q.To.IsZero() && l.Booked.After(q.To) {
				continue
			}
			c := *l
			c.EndToEndIDs = slices.Clone(l.EndToEndIDs)
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b reconcile.Line) int {
		return cmp.Or(a.Booked.Compare(b.Booked), cmp.Compare(a.Account, b.Account), cmp.Compare(a.Statement, b.Statement), cmp.Compare(a.N, b.N))
	})
	return out, nil
}

// AddMatches implements reconcile.Store.
func (s *Store) AddMatches(ctx context.Context, ms []reconcile.Match) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b := &s.bank
	b.mu.Lock()
	defer b.mu.Unlock()
	todo := make([]*reconcile.Line, len(ms))
	pending := make(map[*reconcile.Line]uint64, len(ms))
	for i, m := range ms {
		l := b.lines[bankKey{m.Book, m.Account, m.Ref}]
		switch {
		case l == nil:
			return fmt.Errorf("memory: statement line %s of account %s: %w", m.Ref, m.Account, reconcile.ErrNotFound)
		case l.Entry == m.Entry:
			continue
		case l.Entry != 0:
			return fmt.Errorf("memory: statement line %s of account %s: %w: matched to entry %d", m.Ref, m.Account, reconcile.ErrConflict, l.Entry)
		}
		if e, ok := pending[l]; ok && e != m.Entry {
			return fmt.Errorf("memory: statement line %s of account %s: %w: matched twice", m.Ref, m.Account, reconcile.ErrConflict)
		}
		pending[l], todo[i] = m.Entry, l
	}
	for i, l := range todo {
		if l != nil {
			l.Entry, l.Rule, l.MatchedAt = ms[i].Entry, ms[i].Rule, ms[i].At.UTC().Truncate(time.Microsecond)
		}
	}
	return nil
}
