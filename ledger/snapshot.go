package ledger

import "context"

// snapshot is what posting validates against besides balances and keys: the
// book's settings, its chart and its period states, as of one store version.
// Snapshots are immutable once built and shared by concurrent posts; a post
// uses the cached one only if the store's Version, read after LockHead, still
// matches, so a change made by another process is never missed.
type snapshot struct {
	version  uint64
	book     Book
	accounts map[string]*Account
	list     []Account              // the same accounts, ordered by code
	periods  map[[2]int]PeriodState // periods never recorded are Open (the zero value)
}

// snapshot returns the snapshot of book for the store state tx sees.
func (l *Ledger) snapshot(ctx context.Context, tx ReadTx, book string) (*snapshot, error) {
	v, err := tx.Version(ctx, book)
	if err != nil {
		return nil, err
	}
	if c, ok := l.snaps.Load(book); ok && c.(*snapshot).version == v {
		return c.(*snapshot), nil
	}
	b, err := tx.Book(ctx, book)
	if err != nil {
		return nil, err
	}
	accts, err := tx.Accounts(ctx, book)
	if err != nil {
		return nil, err
	}
	evs, err := tx.PeriodEvents(ctx, book)
	if err != nil {
		return nil, err
	}
	s := &snapshot{version: v, book: b, accounts: make(map[string]*Account, len(accts)), periods: make(map[[2]int]PeriodState)}
	s.list = make([]Account, len(accts))
	for i := range accts {
		s.list[i] = accts[i].clone()
		s.accounts[s.list[i].Code] = &s.list[i]
	}
	for _, ev := range evs {
		s.periods[[2]int{ev.FiscalYear, ev.Number}] = ev.State
	}
	return s, nil
}

// publish caches s for later posts. It must be called only after the
// transaction s was built in has committed: a snapshot of uncommitted changes
// could match a version number that a rolled-back transaction gave away.
func (l *Ledger) publish(s *snapshot) {
	if s == nil || l.inTx {
		return
	}
	for {
		c, loaded := l.snaps.LoadOrStore(s.book.ID, s)
		if !loaded || c.(*snapshot).version >= s.version || l.snaps.CompareAndSwap(s.book.ID, c, s) {
			return
		}
	}
}
