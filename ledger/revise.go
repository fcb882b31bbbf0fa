package ledger

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/openbackoffice/backoffice/money"
)

// Revision is an entry to post whose key is already posted with another
// payload: an edit of an entry imported before.
type Revision struct {
	Index   int    // the entry's position in the slice given to Revise
	Current Posted // the latest version posted under the entry's key
	Key     string // the key the new version gets when amended
}

// versionKey returns the key of version v (from 2) of key.
func versionKey(key string, v int) string { return key + "#" + strconv.Itoa(v) }

// Revise compares entries with what is posted under their keys. An entry's
// key names a chain of versions: the key itself, then key#2, key#3 … as
// Amend posts them. An entry equal to the latest version (but for the key
// and, from version 2, Adjusts) gets that version's key and Adjusts in
// entries, so that posting it returns the stored entry and posts nothing; an
// entry that differs is returned as a Revision, in entries' order, and is
// left as it is (posting it is then ErrConflict). Entries without a key or
// with a key not posted yet are left alone. With Options.Rates, an entry is
// compared as posting would store it: its lines converted (an *EntryError
// if a rate is missing). Revise reads in one read-only
// transaction, with one EntriesByKey query per version depth; it is safe
// for concurrent use.
func (l *Ledger) Revise(ctx context.Context, book string, entries []Entry) ([]Revision, error) {
	latest := map[string]Posted{} // base key → latest version
	version := map[string]int{}
	err := l.store.View(ctx, func(tx ReadTx) error {
		var ask []string
		for i := range entries {
			if entries[i].Key != "" {
				ask = append(ask, entries[i].Key)
			}
		}
		for v := 1; len(ask) > 0; v++ {
			found, err := tx.EntriesByKey(ctx, book, ask)
			if err != nil {
				return err
			}
			ask = ask[:0]
			for _, p := range found {
				base := p.Key
				if v > 1 {
					base = strings.TrimSuffix(p.Key, "#"+strconv.Itoa(v))
				}
				latest[base], version[base] = p, v
				ask = append(ask, versionKey(base, v+1))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []Revision
	var buf []byte
	var base money.Currency // the book's, once a line needs converting
	rates, err := l.ratesOf(ctx, book)
	if err != nil {
		return nil, err
	}
	for i := range entries {
		e := &entries[i]
		cur, ok := latest[e.Key]
		if !ok {
			continue
		}
		c := e.clone()
		c.Book = book
		if rates.Rates != nil { // compare what posting it would store
			if err := l.convert(ctx, rates, &c, &base); err != nil {
				placeInBatch(err, i, len(entries))
				return nil, err
			}
		}
		c.Key = cur.Key
		if version[e.Key] > 1 {
			c.Adjusts = cur.Adjusts
		}
		var d [32]byte
		d, buf = c.digest(buf)
		if d == cur.Digest {
			e.Key, e.Adjusts = c.Key, c.Adjusts
			continue
		}
		out = append(out, Revision{Index: i, Current: cur.clone(), Key: versionKey(e.Key, version[e.Key]+1)})
	}
	return out, nil
}

// Amend posts each revision as a correction GoBD accepts: the Storno of its
// current version (Reverse, dated as that version, so that the period it
// belongs to is corrected) and entries[r.Index] as the next version, with
// r.Key as its key and Adjusts pointing at the version it replaces. Both
// are ordinary posts (idempotent by key), so Amend shares transactions as
// Post does; run it inside a unit of work for all-or-nothing. It returns
// the new versions, in revisions' order.
func (l *Ledger) Amend(ctx context.Context, book string, entries []Entry, revisions []Revision) ([]Posted, error) {
	var out []Posted
	for _, r := range revisions {
		if _, err := l.Reverse(ctx, book, r.Current.Seq, r.Current.Date, "amended by "+r.Key); err != nil {
			return out, fmt.Errorf("amend %s: %w", r.Current.Key, err)
		}
		e := entries[r.Index]
		e.Key, e.Adjusts = r.Key, r.Current.Seq
		p, err := l.Post(ctx, e)
		if err != nil {
			return out, fmt.Errorf("amend %s: %w", r.Current.Key, err)
		}
		out = append(out, p)
	}
	return out, nil
}
