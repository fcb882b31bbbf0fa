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

// restoreChunk is how many entries Restore hands the store per Append.
const restoreChunk = 1000

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
