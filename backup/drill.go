package backup

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/store/memory"
)

// ErrDrill is wrapped by every *DrillError: a restore drill found the
// restored copy different from what the archive or the live store says.
var ErrDrill = errors.New("backup: restore drill failed")

// DrillError is one difference a restore drill found in one book. It
// wraps ErrDrill.
type DrillError struct {
	Book   string
	Reason string
}

func (e *DrillError) Error() string {
	return fmt.Sprintf("backup: drill: book %s: %s", e.Book, e.Reason)
}

func (e *DrillError) Unwrap() error { return ErrDrill }

// DrillResult is what a restore drill found for one book.
type DrillResult struct {
	Book string
	// Head and StateHead are the heads of the entries' chain and of the
	// state log that Verify of the restored book returned, the manifest's.
	Head, StateHead HeadJSON
	// Entries is the number of entries restored.
	Entries int
	// In and Rows: the trial balance compared ("base" or "currency", see
	// TrialBalance) and its number of rows; In is "" for an archive older
	// than format version 3, whose manifest has none.
	In   string
	Rows int
	// Live says how the live store compared, if one was given: "same head"
	// (heads and trial balance equal), or "ahead at entry M" (the live book
	// went on; its entry Head.Seq is the archive's, same hash).
	Live string
}

// Drill restores the archive's books (opts.Books, or all) into a scratch
// memory store, as a restore into a real store would, and checks the copy:
// Restore's own checks (every member, both chains, ledger and partners
// Verify, every member read back), the restored heads against the
// manifest, and the restored store's trial balance (its maintained
// balances, not the entries again) against the manifest's. With a live
// store (not nil) it also checks that the archive is a prefix of the live
// book: the live book's entry at the archive's head has the same hash,
// and if the live book has not gone on since, its trial balance is the
// restored one. The live store is only read.
//
// Drill returns a result per book, and the first problem: an
// *ArchiveError for a damaged archive, a *DrillError (ErrDrill) for a
// difference. It reads the archive one entry at a time, and holds its
// books once, restored in the scratch store. It is safe for concurrent
// use with posting to the live store.
func Drill(ctx context.Context, a *Archive, live ledger.Store, opts *Options) ([]DrillResult, error) {
	return DrillChain(ctx, []*Archive{a}, live, opts)
}

// DrillChain is Drill of a full archive and its increments, in order
// (see RestoreChain): it restores them into the scratch store one after
// another and checks every book as the last archive holding it says.
func DrillChain(ctx context.Context, archives []*Archive, live ledger.Store, opts *Options) ([]DrillResult, error) {
	scratch := memory.New()
	if err := RestoreChain(ctx, scratch, archives, opts); err != nil {
		return nil, err
	}
	var books []BookSummary // the last summary of every book, in order
	for _, a := range archives {
		for _, bs := range a.Manifest.Books {
			if i := slices.IndexFunc(books, func(b BookSummary) bool { return b.ID == bs.ID }); i >= 0 {
				books[i] = bs
			} else {
				books = append(books, bs)
			}
		}
	}
	var out []DrillResult
	for _, bs := range books {
		if opts != nil && len(opts.Books) > 0 && !slices.Contains(opts.Books, bs.ID) {
			continue
		}
		r := DrillResult{Book: bs.ID, Entries: int(bs.Head.Seq)}
		fail := func(format string, args ...any) ([]DrillResult, error) {
			return out, &DrillError{Book: bs.ID, Reason: fmt.Sprintf(format, args...)}
		}
		head, state, err := ledger.New(scratch, nil).VerifyHeads(ctx, bs.ID)
		if err != nil {
			return out, fmt.Errorf("backup: drill: book %s: %w", bs.ID, err)
		}
		r.Head, r.StateHead = headJSON(head), headJSON(state)
		if r.Head != bs.Head || r.StateHead != bs.StateHead {
			return fail("restored heads %d/%d, the manifest's %d/%d", head.Seq, state.Seq, bs.Head.Seq, bs.StateHead.Seq)
		}
		var restored *TrialBalance
		if bs.TrialBalance != nil {
			r.In, r.Rows = bs.TrialBalance.In, len(bs.TrialBalance.Rows)
			if restored, err = storeBalances(ctx, scratch, bs.ID, bs.TrialBalance.In); err != nil {
				return out, fmt.Errorf("backup: drill: book %s: restored trial balance: %w", bs.ID, err)
			}
			if diff := sameBalances(restored, bs.TrialBalance); diff != "" {
				return fail("restored trial balance differs from the manifest's: %s", diff)
			}
		}
		if live != nil {
			l := ledger.New(live, nil)
			var lh ledger.Head
			if err := live.View(ctx, func(tx ledger.ReadTx) error {
				lh, err = tx.Head(ctx, bs.ID)
				return err
			}); err != nil {
				return out, fmt.Errorf("backup: drill: book %s: live store: %w", bs.ID, err)
			}
			switch {
			case lh.Seq < head.Seq:
				return fail("the live book ends at entry %d, before the archive's head %d", lh.Seq, head.Seq)
			case head.Seq > 0:
				p, err := l.Entry(ctx, bs.ID, head.Seq)
				if err != nil {
					return out, fmt.Errorf("backup: drill: book %s: live store: %w", bs.ID, err)
				}
				if p.Hash != head.Hash {
					return fail("the live book's entry %d has another hash: the archive is not of this book's chain", head.Seq)
				}
			}
			if lh.Seq > head.Seq {
				r.Live = fmt.Sprintf("ahead at entry %d", lh.Seq)
			} else {
				r.Live = "same head"
				if restored != nil {
					got, err := storeBalances(ctx, live, bs.ID, restored.In)
					if err != nil {
						return out, fmt.Errorf("backup: drill: book %s: live trial balance: %w", bs.ID, err)
					}
					if diff := sameBalances(got, restored); diff != "" {
						return fail("the live trial balance differs from the restored one: %s", diff)
					}
				}
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// storeBalances reads a book's closing balances from the store's
// maintained totals, in the base currency (in "base") or per currency.
func storeBalances(ctx context.Context, s ledger.Store, book, in string) (*TrialBalance, error) {
	rows, err := ledger.New(s, nil).Balances(ctx, book, ledger.BalanceQuery{InBase: in == "base"})
	if err != nil {
		return nil, err
	}
	tb := &TrialBalance{In: in, Rows: []BalanceEntry{}}
	for _, r := range rows {
		if !r.Closing.IsZero() {
			tb.Rows = append(tb.Rows, BalanceEntry{Account: r.Account.Code, Balance: r.Closing})
		}
	}
	sortBalances(tb.Rows)
	return tb, nil
}
