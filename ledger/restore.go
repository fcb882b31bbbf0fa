package ledger

import (
	"context"
	"errors"
	"fmt"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

// Restoration is one book as a backup holds it: its settings (with the lock
// date), its chart, its period events, its state log and its entries, each
// as the source store returned them.
type Restoration struct {
	Book     Book
	Accounts []Account     // the chart as it stands, any order
	Events   []PeriodEvent // the period history, oldest first
	State    []StateRecord // the state log, from Seq 1 (empty if the source kept none)
	Entries  []Posted      // every entry, from Seq 1, in sequence order
	// Scan, if not nil, supplies the entries in place of Entries, so that
	// they need not be held in memory: it calls fn with each entry, from
	// Seq 1 in sequence order, and returns fn's error or one of its own.
	// Restore then checks every entry as it comes and writes them in
	// chunks inside its one Update, so a bad entry, or an error of Scan,
	// leaves nothing written. Restore keeps an entry (not a deep copy)
	// until its chunk is written: Scan must hand over a fresh Posted each
	// time, not one it reuses.
	Scan func(fn func(*Posted) error) error
}

// Continuation is what a book gained after a state that a store holds:
// the part of one book an incremental backup carries. Continue writes it.
type Continuation struct {
	// Book is the book's settings as they stand. Only the lock date may
	// differ from the stored settings.
	Book Book
	// Accounts are the accounts new or changed since; the others are left
	// as they are.
	Accounts []Account
	// Events are the period events after the book's, oldest first.
	Events []PeriodEvent
	// State holds the state records after FromState, in order.
	State []StateRecord
	// From and FromState are the heads of the entries' chain and of the
	// state log the stored book must end at.
	From, FromState Head
	// Scan supplies the entries after From, in sequence order, as
	// Restoration.Scan does.
	Scan func(fn func(*Posted) error) error
}

// CheckEntry checks that p continues the chain ending at prev: its Seq is
// prev.Seq+1, it is valid (Entry.Validate with reg, nil meaning ISO 4217
// only), its Digest is that of its content and its Hash chains it to
// prev. It returns the chain's new head. Errors wrap ErrTampered or the
// sentinel of Validate, and name the sequence number. It reads no store and
// is safe for concurrent use; backup verification uses it to recompute a
// chain from an archive.
func CheckEntry(reg *money.Registry, prev Head, p *Posted) (Head, error) {
	if p.Seq != prev.Seq+1 {
		return prev, fmt.Errorf("entry %d: %w: sequence continues at %d", prev.Seq+1, ErrTampered, p.Seq)
	}
	if err := p.Validate(reg); err != nil {
		return prev, fmt.Errorf("entry %d: %w", p.Seq, err)
	}
	if d, _ := p.digest(nil); d != p.Digest {
		return prev, fmt.Errorf("entry %d: %w: content does not match its digest", p.Seq, ErrTampered)
	}
	if h := chainHash(prev.Hash, p.Seq, p.RecordedAt, p.Digest); h != p.Hash {
		return prev, fmt.Errorf("entry %d: %w: hash chain broken", p.Seq, ErrTampered)
	}
	return Head{Seq: p.Seq, Hash: p.Hash}, nil
}

// CheckState checks that r continues the state log ending at prev (Seq
// prev.Seq+1, Hash chaining r's Data to prev) and returns the log's new
// head. Errors wrap ErrTampered. It is safe for concurrent use.
func CheckState(prev Head, r StateRecord) (Head, error) {
	if r.Seq != prev.Seq+1 {
		return prev, fmt.Errorf("state record %d: %w: sequence continues at %d", prev.Seq+1, ErrTampered, r.Seq)
	}
	if h := stateHash(prev.Hash, r.Seq, r.Data); h != r.Hash {
		return prev, fmt.Errorf("state record %d: %w: hash chain broken", r.Seq, ErrTampered)
	}
	return Head{Seq: r.Seq, Hash: r.Hash}, nil
}

// restoreChunk is how many entries Restore hands the store per Append;
// scanChunk how many of a Scan's (as many as a batch of PostBatch: a SQL
// store's COPY and total upserts cost per call).
const (
	restoreChunk = 1000
	scanChunk    = 10_000
)

// Restore writes a book exactly as a backup holds it into a store that does
// not have it yet, and returns the head of its entries' chain. It is the
// only way to write entries that already carry their sequence number,
// recording time, digest and hash: Restore recomputes and re-stamps none of
// them, but checks every entry with CheckEntry and every state record with
// CheckState before it writes anything, and refuses the whole book if one
// fails. The book's settings, chart and period events are written as they
// are, without new state records: the state log is copied as it was (into
// a store that keeps one; a store without a state log gets none), so
// Verify afterwards checks the restored state against the source's log.
// Account constraints and period states are not checked again: they held
// when the entries were posted.
//
// Everything is written in one Store.Update, all or nothing. A book that
// exists already is ErrDuplicate. Restore is safe for concurrent use, but
// a restore should be the only writer of its book.
func (l *Ledger) Restore(ctx context.Context, r Restoration) (Head, error) {
	b := r.Book
	fail := func(err error) (Head, error) { return Head{}, fmt.Errorf("restore book %s: %w", b.ID, err) }
	if !validCode(b.ID) || b.Currency.IsZero() || b.FiscalYearStart < 0 || b.FiscalYearStart > 12 {
		return fail(fmt.Errorf("%w: book settings", ErrInvalid))
	}
	var head, state Head
	var err error
	if r.Scan != nil && len(r.Entries) > 0 {
		return fail(fmt.Errorf("%w: Entries and Scan together", ErrInvalid))
	}
	for i := range r.Entries {
		p := &r.Entries[i]
		if p.Book != b.ID {
			return fail(fmt.Errorf("entry %d: %w: belongs to book %q", p.Seq, ErrInvalid, p.Book))
		}
		if head, err = CheckEntry(l.reg, head, p); err != nil {
			return fail(err)
		}
	}
	for _, s := range r.State {
		if state, err = CheckState(state, s); err != nil {
			return fail(err)
		}
	}
	for _, a := range r.Accounts {
		if a.Book != b.ID {
			return fail(fmt.Errorf("account %s: %w: belongs to book %q", a.Code, ErrInvalid, a.Book))
		}
	}
	for i, ev := range r.Events {
		if ev.Book != b.ID {
			return fail(fmt.Errorf("period event %d: %w: belongs to book %q", i+1, ErrInvalid, ev.Book))
		}
	}
	accounts, err := restoreOrder(r.Accounts)
	if err != nil {
		return fail(err)
	}
	err = l.store.Update(ctx, func(tx Tx) error {
		switch _, err := tx.Book(ctx, b.ID); {
		case err == nil:
			return ErrDuplicate
		case !errors.Is(err, ErrUnknownBook):
			return err
		}
		lock, nb := b.LockDate, b
		nb.LockDate = date.Date{} // set below, as SetLockDate would
		if err := tx.CreateBook(ctx, nb); err != nil {
			return err
		}
		if !lock.IsZero() {
			if err := tx.SetLockDate(ctx, b.ID, lock); err != nil {
				return err
			}
		}
		for _, a := range accounts {
			if err := tx.PutAccount(ctx, a); err != nil {
				return fmt.Errorf("account %s: %w", a.Code, err)
			}
		}
		for _, ev := range r.Events {
			if err := tx.AddPeriodEvent(ctx, ev); err != nil {
				return err
			}
		}
		if w, ok := tx.(StateWriter); ok && len(r.State) > 0 {
			if err := w.AppendState(ctx, b.ID, r.State); err != nil {
				return err
			}
		}
		if h, err := tx.LockHead(ctx, b.ID); err != nil {
			return err
		} else if h.Seq != 0 {
			return ErrDuplicate
		}
		if r.Scan != nil {
			head, err = appendScanned(ctx, tx, l.reg, b.ID, Head{}, r.Scan)
			return err
		}
		for i := 0; i < len(r.Entries); i += restoreChunk {
			if err := tx.Append(ctx, b.ID, r.Entries[i:min(i+restoreChunk, len(r.Entries))]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fail(err)
	}
	return head, nil
}

// appendScanned checks the entries scan supplies against the chain ending
// at from, and appends them to the book in chunks of scanChunk. It
// returns the chain's new head.
func appendScanned(ctx context.Context, tx Tx, reg *money.Registry, book string, from Head, scan func(fn func(*Posted) error) error) (Head, error) {
	head := from
	chunk := make([]Posted, 0, scanChunk)
	flush := func() error {
		if len(chunk) == 0 {
			return nil
		}
		err := tx.Append(ctx, book, chunk)
		clear(chunk) // the entries' lines may be collected once stored
		chunk = chunk[:0]
		return err
	}
	err := scan(func(p *Posted) error {
		if p.Book != book {
			return fmt.Errorf("entry %d: %w: belongs to book %q", p.Seq, ErrInvalid, p.Book)
		}
		var err error
		if head, err = CheckEntry(reg, head, p); err != nil {
			return err
		}
		chunk = append(chunk, *p)
		if len(chunk) == scanChunk {
			return flush()
		}
		return nil
	})
	if err != nil {
		return from, err
	}
	return head, flush()
}

// Continue writes what a book gained after the state the store holds,
// as an incremental backup carries it, and returns the new head of its
// entries' chain. The stored book must end at c.From and its state log at
// c.FromState, else the error wraps ErrState and names both heads (a book
// the store does not have is ErrUnknownBook). Like Restore it re-stamps
// nothing: it checks that every state record continues the log and every
// entry the chain (CheckState, CheckEntry), sets the lock date, writes the
// accounts and appends the period events as they are (no new state
// records: c.State holds those the source recorded), and appends the
// entries. Everything is written in one Store.Update, all or nothing.
// Continue is safe for concurrent use, but it should be the only writer of
// its book while it runs.
func (l *Ledger) Continue(ctx context.Context, c Continuation) (Head, error) {
	b := c.Book
	fail := func(err error) (Head, error) { return Head{}, fmt.Errorf("continue book %s: %w", b.ID, err) }
	state := c.FromState
	var err error
	for _, s := range c.State {
		if state, err = CheckState(state, s); err != nil {
			return fail(err)
		}
	}
	for _, a := range c.Accounts {
		if a.Book != b.ID {
			return fail(fmt.Errorf("account %s: %w: belongs to book %q", a.Code, ErrInvalid, a.Book))
		}
	}
	for i, ev := range c.Events {
		if ev.Book != b.ID {
			return fail(fmt.Errorf("period event %d: %w: belongs to book %q", i+1, ErrInvalid, ev.Book))
		}
	}
	accounts, err := restoreOrder(c.Accounts)
	if err != nil {
		return fail(err)
	}
	var head Head
	err = l.store.Update(ctx, func(tx Tx) error {
		old, err := tx.Book(ctx, b.ID)
		if err != nil {
			return err
		}
		if old.Name != b.Name || old.Currency != b.Currency || old.fyStart() != b.fyStart() {
			return fmt.Errorf("%w: the book's name, currency or fiscal year differ from the stored book's", ErrInvalid)
		}
		h, err := tx.LockHead(ctx, b.ID)
		if err != nil {
			return err
		}
		if h != c.From {
			return fmt.Errorf("%w: the book's entries end at entry %d, the continuation follows entry %d (or another hash)", ErrState, h.Seq, c.From.Seq)
		}
		w, logged := tx.(StateWriter)
		if logged {
			sh, err := w.StateHead(ctx, b.ID)
			if err != nil {
				return err
			}
			if sh != c.FromState {
				return fmt.Errorf("%w: the book's state log ends at record %d, the continuation follows record %d (or another hash)", ErrState, sh.Seq, c.FromState.Seq)
			}
		}
		if old.LockDate != b.LockDate {
			if err := tx.SetLockDate(ctx, b.ID, b.LockDate); err != nil {
				return err
			}
		}
		for _, a := range accounts {
			if err := tx.PutAccount(ctx, a); err != nil {
				return fmt.Errorf("account %s: %w", a.Code, err)
			}
		}
		for _, ev := range c.Events {
			if err := tx.AddPeriodEvent(ctx, ev); err != nil {
				return err
			}
		}
		if logged && len(c.State) > 0 {
			if err := w.AppendState(ctx, b.ID, c.State); err != nil {
				return err
			}
		}
		head = c.From
		if c.Scan != nil {
			head, err = appendScanned(ctx, tx, l.reg, b.ID, c.From, c.Scan)
		}
		return err
	})
	if err != nil {
		return fail(err)
	}
	return head, nil
}

// restoreOrder orders accounts so that every parent comes before its
// children, keeping the given order otherwise.
func restoreOrder(accounts []Account) ([]Account, error) {
	in := make(map[string]bool, len(accounts))
	for _, a := range accounts {
		in[a.Code] = true
	}
	done := make(map[string]bool, len(accounts))
	out := make([]Account, 0, len(accounts))
	for len(out) < len(accounts) {
		n := len(out)
		for _, a := range accounts {
			if !done[a.Code] && (a.Parent == "" || !in[a.Parent] || done[a.Parent]) {
				done[a.Code] = true
				out = append(out, a)
			}
		}
		if len(out) == n {
			return nil, fmt.Errorf("%w: accounts' parents form a cycle", ErrInvalid)
		}
	}
	return out, nil
}
