package ledger

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

// Options configures a Ledger. A nil *Options means all defaults.
type Options struct {
	// Now returns the current time; it stamps RecordedAt and period events.
	// Default time.Now.
	Now func() time.Time
	// Currencies resolves currency codes; custom currencies must be registered
	// here to be posted. Default: ISO 4217 only.
	Currencies *money.Registry
	// MaxGroup is the most entries of concurrent Post calls to one book that
	// one transaction takes (group commit, see Ledger.Post). A store commits
	// one posting transaction per book at a time, as it locks the book's
	// chain head, and a SQL store's commit waits for the disk; sharing the
	// transaction spreads that wait over many entries. Larger groups hold
	// the lock longer and add to the wait of the calls in them. 0 (or less)
	// means 128; 1 disables grouping, each Post then runs its own
	// transaction.
	MaxGroup int
	// Rates, if set, gives the lines that Post and PostBatch get in a
	// currency other than the book's base currency, and without a Base,
	// their base amount: Amount converted at the rate in force on the
	// entry's date (fx.Table implements it). A missing rate fails the
	// entry, naming its line; nothing is posted.
	Rates Converter
	// RatesFor, used when Rates is nil, gives the rates of one book (its
	// own exchange rates, say fx.Load from the store, and its rounding
	// account); zero BookRates for a book without rates. A Ledger serving
	// many books calls it once per Post or PostBatch; it must not read
	// through a transaction of the Ledger's store that is still open.
	RatesFor func(ctx context.Context, book string) (BookRates, error)
	// RoundingAccount takes the residue of converting an entry's lines one
	// by one: converted separately and rounded, they may miss balancing in
	// the base currency by up to one minor unit per converted line, and a
	// line on this account makes up the difference, so no cent is lost.
	// Without it such an entry fails with ErrUnbalanced.
	RoundingAccount string
}

// BookRates are one book's exchange rates and the account that takes the
// rounding residue of converting at them (Options.RoundingAccount if "").
type BookRates struct {
	Rates           Converter
	RoundingAccount string
}

// Converter converts an amount to another currency at the rate in force on
// a date, rounding to the target's minor units. fx.Table implements it.
type Converter interface {
	Convert(a money.Amount, to money.Currency, on date.Date) (money.Amount, error)
}

// Ledger posts entries to books kept in a Store and answers questions about them.
// It enforces every invariant of double-entry bookkeeping (see the package
// documentation) whatever the store. A Ledger is safe for concurrent use;
// concurrent Post calls to one book share transactions (see Post).
type Ledger struct {
	store    Store
	now      func() time.Time
	reg      *money.Registry
	maxGroup int
	rates    Converter
	ratesFor func(context.Context, string) (BookRates, error)
	rounding string
	bufs     sync.Pool // *[]byte scratch for canonical encoding
	seed     maphash.Seed
	known    *knownCurrencies
	snaps    *sync.Map // book ID → *snapshot, the last committed one seen; shared with WithTx's views
	commits  sync.Map  // book ID → *committer, once a post to the book succeeded
	// inTx marks a view on a caller's transaction (WithTx): it posts
	// without grouping and never publishes a snapshot, which may hold
	// changes the caller has yet to commit or roll back.
	inTx bool
}

// New returns a Ledger over store. opts may be nil.
func New(store Store, opts *Options) *Ledger {
	l := &Ledger{store: store, now: time.Now, reg: money.NewRegistry(), seed: maphash.MakeSeed(), maxGroup: defaultMaxGroup,
		known: new(knownCurrencies), snaps: new(sync.Map)}
	if opts != nil {
		if opts.Now != nil {
			l.now = opts.Now
		}
		if opts.Currencies != nil {
			l.reg = opts.Currencies
		}
		if opts.MaxGroup > 0 {
			l.maxGroup = opts.MaxGroup
		}
		l.rates, l.ratesFor, l.rounding = opts.Rates, opts.RatesFor, opts.RoundingAccount
	}
	l.bufs.New = func() any { b := make([]byte, 0, 512); return &b }
	return l
}

func (l *Ledger) checkCurrency(c money.Currency) error { return l.known.check(l.reg, c) }

// WithTx returns a view of l that works in s, a store bound to the
// caller's own database transaction (sqlite.Store.InTx, postgres.Store.InTx),
// so that an application writes its own rows and posts the ledger entry
// all or nothing: the caller commits or rolls back, never the ledger.
//
// The view shares l's options (clock, currencies, exchange rates, rounding
// account) and its cache of each book's settings, chart and periods, which
// is checked against the store's version counter on every post instead of
// being read again: a view is cheap to make, one per transaction. It does
// not group posts with other callers' (each runs in its own transaction)
// and adds nothing to the cache, since what it sees may never be
// committed.
//
// A post takes the book's head lock (PostgreSQL: a row lock on the book;
// SQLite: the database's write lock), which is held until the caller's
// transaction ends: post last, just before the commit, and keep the
// transaction short, since every other post to the book waits for it.
// Transactions that post to one book thus run one after the other, each
// with its own commit, where the shared ledger groups concurrent posts
// into one (docs/BENCHMARKS.md). Where many concurrent transactions must
// post to one book, write the application's row in the transaction and
// post through the shared ledger just after the commit, with a key derived
// from the row: a retry after a crash posts nothing twice.
func (l *Ledger) WithTx(s Store) *Ledger {
	v := &Ledger{store: s, now: l.now, reg: l.reg, maxGroup: 1, rates: l.rates, ratesFor: l.ratesFor, rounding: l.rounding,
		seed: l.seed, known: l.known, snaps: l.snaps, inTx: true}
	v.bufs.New = l.bufs.New
	return v
}

// CreateBook creates a book. Its ID must be unused (else ErrDuplicate).
func (l *Ledger) CreateBook(ctx context.Context, b Book) error {
	switch {
	case codeProblem(b.ID) != "":
		return fmt.Errorf("create book %q: %w: book ID: %s", b.ID, ErrInvalid, codeProblem(b.ID))
	case b.FiscalYearStart < 0 || b.FiscalYearStart > 12:
		return fmt.Errorf("create book %s: %w: fiscal year start month", b.ID, ErrInvalid)
	case b.Currency.IsZero():
		return fmt.Errorf("create book %s: %w: no base currency", b.ID, ErrInvalid)
	}
	if err := checkCurrency(l.reg, b.Currency); err != nil {
		return fmt.Errorf("create book %s: %w", b.ID, err)
	}
	if b.FiscalYearStart == 0 {
		b.FiscalYearStart = 1
	}
	err := l.update(ctx, func(tx Tx) error { return tx.CreateBook(ctx, b) })
	if err != nil {
		return fmt.Errorf("create book %s: %w", b.ID, err)
	}
	return nil
}

// Book returns the book with the given ID, or ErrUnknownBook.
func (l *Ledger) Book(ctx context.Context, id string) (Book, error) {
	var b Book
	err := l.store.View(ctx, func(tx ReadTx) (err error) { b, err = tx.Book(ctx, id); return err })
	return b, err
}

// Books returns all books ordered by ID.
func (l *Ledger) Books(ctx context.Context) ([]Book, error) {
	var bs []Book
	err := l.store.View(ctx, func(tx ReadTx) (err error) { bs, err = tx.Books(ctx); return err })
	return bs, err
}

// CreateAccounts adds accounts to the chart, all or none. A parent must exist
// already or come earlier in accounts; a code already used is ErrDuplicate.
func (l *Ledger) CreateAccounts(ctx context.Context, accounts ...Account) error {
	for i := range accounts {
		a := &accounts[i]
		if err := a.Validate(); err != nil {
			return fmt.Errorf("create account %d: %w", i, err)
		}
		if !a.Currency.IsZero() {
			if err := checkCurrency(l.reg, a.Currency); err != nil {
				return fmt.Errorf("create account %s: %w", a.Code, err)
			}
		}
	}
	return l.update(ctx, func(tx Tx) error {
		type bookCode struct{ book, code string }
		seen := make(map[bookCode]bool, len(accounts))
		for _, a := range accounts {
			if _, err := tx.Book(ctx, a.Book); err != nil {
				return fmt.Errorf("create account %s: %w", a.Code, err)
			}
			key := bookCode{a.Book, a.Code}
			if seen[key] {
				return fmt.Errorf("create account %s: %w", a.Code, ErrDuplicate)
			}
			if _, err := tx.Account(ctx, a.Book, a.Code); err == nil {
				return fmt.Errorf("create account %s: %w", a.Code, ErrDuplicate)
			} else if !errors.Is(err, ErrUnknownAccount) {
				return err
			}
			if a.Parent != "" && !seen[bookCode{a.Book, a.Parent}] {
				if _, err := tx.Account(ctx, a.Book, a.Parent); err != nil {
					return fmt.Errorf("create account %s: parent: %w", a.Code, err)
				}
			}
			a.Metadata = cloneMap(a.Metadata)
			if err := tx.PutAccount(ctx, a); err != nil {
				return fmt.Errorf("create account %s: %w", a.Code, err)
			}
			seen[key] = true
		}
		return nil
	})
}

// Account returns one account, or ErrUnknownAccount.
func (l *Ledger) Account(ctx context.Context, book, code string) (Account, error) {
	var a Account
	err := l.store.View(ctx, func(tx ReadTx) (err error) { a, err = tx.Account(ctx, book, code); return err })
	return a.clone(), err
}

// Accounts returns the book's chart of accounts ordered by code.
func (l *Ledger) Accounts(ctx context.Context, book string) ([]Account, error) {
	var as []Account
	err := l.store.View(ctx, func(tx ReadTx) (err error) { as, err = tx.Accounts(ctx, book); return err })
	for i := range as {
		as[i] = as[i].clone()
	}
	return as, err
}

// CloseAccount closes an account for posting; its history and balance stay.
// Closing a closed account is a no-op.
func (l *Ledger) CloseAccount(ctx context.Context, book, code string) error {
	return l.setAccountClosed(ctx, book, code, true)
}

// ReopenAccount opens a closed account for posting again.
func (l *Ledger) ReopenAccount(ctx context.Context, book, code string) error {
	return l.setAccountClosed(ctx, book, code, false)
}

func (l *Ledger) setAccountClosed(ctx context.Context, book, code string, closed bool) error {
	return l.update(ctx, func(tx Tx) error {
		if _, err := tx.LockHead(ctx, book); err != nil {
			return err
		}
		a, err := tx.Account(ctx, book, code)
		if err != nil {
			return err
		}
		if a.Closed == closed {
			return nil
		}
		a.Closed = closed
		return tx.PutAccount(ctx, a)
	})
}

// Post validates and posts one entry, or returns an error wrapping the sentinel
// of the first rule it breaks and changes nothing. If e.Key was posted before
// with the same payload, Post returns that first result and posts nothing.
//
// Concurrent Post calls to one book may share a transaction (up to
// Options.MaxGroup entries), which a store commits once for all. Each caller
// still gets exactly the result or error it would have got posting alone, in
// the order the calls arrived: an entry that breaks a rule fails only its own
// call, and a caller whose ctx is done before its entry is taken into a
// transaction gets ctx.Err() and posts nothing.
func (l *Ledger) Post(ctx context.Context, e Entry) (Posted, error) {
	ps, err := l.prepare(ctx, []Entry{e}, true)
	if err != nil {
		return Posted{}, err
	}
	return l.postGrouped(ctx, ps)
}

// PostBatch posts entries of one book all or nothing: either every entry is
// posted (or found already posted under its key) or none is, and the error
// names the first entry and line at fault. Entries are posted in order and
// get consecutive sequence numbers; account constraints must hold after each.
// A batch has its transaction to itself: it is never grouped with Post calls.
func (l *Ledger) PostBatch(ctx context.Context, entries []Entry) ([]Posted, error) {
	if len(entries) == 0 {
		return nil, nil
	}
	return l.post(ctx, entries)
}

// Reverse posts the Storno of entry seq: the same lines with debit and credit
// swapped, dated d, pointing at the original through Reverses. Reversing the
// same entry again with the same date and reason returns the first reversal;
// with another date or reason it fails with ErrState naming the reversal
// ("entry 7 is already reversed by entry 9 of 2026-03-31").
// It posts through Post, so it shares transactions as Post does.
func (l *Ledger) Reverse(ctx context.Context, book string, seq uint64, d date.Date, reason string) (Posted, error) {
	orig, err := l.Entry(ctx, book, seq)
	if err != nil {
		return Posted{}, fmt.Errorf("reverse %d: %w", seq, err)
	}
	rev := orig.reversal(d, reason)
	p, err := l.Post(ctx, rev)
	if errors.Is(err, ErrConflict) {
		if prev, perr := l.EntryByKey(ctx, book, rev.Key); perr == nil {
			return Posted{}, fmt.Errorf("reverse %d: %w: entry %d is already reversed by entry %d of %s", seq, ErrState, seq, prev.Seq, prev.Date)
		}
	}
	return p, err
}

type postOptions struct {
	// allowClosed lets year-end closing entries into a closed (not locked)
	// period and onto closed accounts.
	allowClosed bool
	// independent posts the entries of several Post calls in one
	// transaction: an entry that breaks a rule gets its own error and is
	// skipped, the others go on (see append).
	independent bool
	// ctxs are the contexts of those calls, by position, if independent:
	// an entry whose caller's context is done is skipped with its error.
	ctxs []context.Context
}

func (l *Ledger) post(ctx context.Context, entries []Entry) ([]Posted, error) {
	ps, err := l.prepare(ctx, entries, true)
	if err != nil {
		return nil, err
	}
	return l.postPrepared(ctx, ps)
}

// postPrepared posts entries that prepare returned, all or nothing, in one
// transaction.
func (l *Ledger) postPrepared(ctx context.Context, ps []Posted) ([]Posted, error) {
	var (
		res  results
		snap *snapshot
	)
	err := l.store.Update(ctx, func(tx Tx) error {
		var err error
		res, snap, err = l.append(ctx, tx, ps, postOptions{})
		return err
	})
	if err != nil {
		return nil, err
	}
	l.publish(snap) // only now: what it was built from is committed
	res.apply(ps)
	return ps, nil
}

// prepare copies entries (so the caller's later changes cannot reach the
// store), validates each and computes its digest, before any transaction.
//
// With convert, lines in another currency without a base amount get one at
// the book's rates (see Options.Rates); CloseYear's entries, built whole
// inside a transaction, are not converted.
func (l *Ledger) prepare(ctx context.Context, entries []Entry, convert bool) ([]Posted, error) {
	book := entries[0].Book
	ps := make([]Posted, len(entries))
	bufp := l.bufs.Get().(*[]byte)
	defer l.bufs.Put(bufp)
	var base money.Currency // the book's, once a line needs converting
	var rates BookRates
	if convert {
		var err error
		if rates, err = l.ratesOf(ctx, book); err != nil {
			return nil, err
		}
	}
	for i := range entries {
		if entries[i].Book != book {
			return nil, &EntryError{Index: i, Batch: true, Key: entries[i].Key, Line: -1, Err: fmt.Errorf("%w: a batch must stay in one book", ErrInvalid)}
		}
		ps[i].Entry = entries[i].clone()
		if rates.Rates != nil {
			if err := l.convert(ctx, rates, &ps[i].Entry, &base); err != nil {
				placeInBatch(err, i, len(entries))
				return nil, err
			}
		}
		if err := ps[i].validate(l.checkCurrency); err != nil {
			placeInBatch(err, i, len(entries))
			return nil, err
		}
		ps[i].Digest, *bufp = ps[i].digest(*bufp)
	}
	return ps, nil
}

// results maps the positions of a batch that were not posted anew to what
// they return: an entry already stored under its key, or (by index) an
// earlier entry of the same batch with the same key. In independent mode,
// errs holds, by position, the error of each entry that was skipped.
type results struct {
	stored map[int]Posted
	same   map[int]int
	errs   map[int]error
}

// apply replaces the replayed positions of ps by their results.
func (r results) apply(ps []Posted) {
	for i, p := range r.stored {
		ps[i] = p
	}
	for i, j := range r.same {
		ps[i] = ps[j]
	}
}

// deltaUndo is a constrained balance change to take back when an entry of a
// group is skipped.
type deltaUndo struct {
	k   BalanceKey
	old int64
}

// append checks ps against the store's state, chains them and appends them.
// It sets Seq, RecordedAt and Hash of the entries it posts in place (and
// swaps line account codes for the chart's equal strings), so running it
// again (a store retrying the transaction) starts over cleanly; replayed keys
// are reported in results.
//
// In a batch, the first entry that breaks a rule ends the call with its
// error. With opt.independent (a group of Post calls), such an entry gets its
// error in results.errs and is skipped as if never submitted, and the others
// go on; the error returned is then only one that fails the whole transaction.
func (l *Ledger) append(ctx context.Context, tx Tx, ps []Posted, opt postOptions) (results, *snapshot, error) {
	var res results
	bookID := ps[0].Book
	head, err := tx.LockHead(ctx, bookID)
	if err != nil {
		return res, nil, err
	}
	snap, err := l.snapshot(ctx, tx, bookID)
	if err != nil {
		return res, nil, err
	}
	book := snap.book
	nfresh := 0
	entryErr := func(i, line int, err error) error {
		ee := lineError(&ps[i].Entry, line, err)
		if !opt.independent { // independent: reads as if posted alone
			ee.Index, ee.Batch = i, len(ps) > 1
		}
		return ee
	}
	account := func(code string) (*Account, bool) {
		a, ok := snap.accounts[code]
		return a, ok
	}

	var (
		keys   map[uint64]int       // hashes of keys posted earlier in this batch
		deltas map[BalanceKey]int64 // running balance changes on constrained accounts
		cons   []BalanceKey
		undo   []deltaUndo // changes to deltas by the current entry (independent mode)
	)
	// Entries already posted under the batch's keys: one store call.
	var stored map[string]*Posted
	var keyList []string
	for i := range ps {
		if ps[i].Key != "" {
			keyList = append(keyList, ps[i].Key)
		}
	}
	if len(keyList) > 0 {
		found, err := tx.EntriesByKey(ctx, bookID, keyList)
		if err != nil {
			return res, nil, err
		}
		if len(found) > 0 {
			stored = make(map[string]*Posted, len(found))
			for k := range found {
				stored[found[k].Key] = &found[k]
			}
		}
	}
	now := l.now().UTC().Truncate(time.Microsecond)

	// admit checks entry i against the book and the entries admitted before
	// it and, if it passes, chains it. broken is the rule it breaks; err
	// fails the whole transaction.
	admit := func(i int) (broken, err error) {
		p := &ps[i]
		p.Seq = 0 // set again only if posted anew: marks the fresh entries
		var h uint64
		if p.Key != "" {
			j := -1 // an earlier entry of this batch posted anew with the same key
			if len(ps) > 1 {
				h = maphash.String(l.seed, p.Key)
				if k, ok := keys[h]; ok && ps[k].Key == p.Key {
					j = k
				} else if ok { // a hash collision (rare): look for the key itself
					j = slices.IndexFunc(ps[:i], func(q Posted) bool { return q.Key == p.Key && q.Seq != 0 })
				}
			}
			if j >= 0 {
				if ps[j].Digest != p.Digest {
					return entryErr(i, -1, ErrConflict), nil
				}
				if res.same == nil {
					res.same = make(map[int]int)
				}
				res.same[i] = j
				return nil, nil
			}
			if prev, ok := stored[p.Key]; ok {
				if prev.Digest != p.Digest {
					return entryErr(i, -1, ErrConflict), nil
				}
				if res.stored == nil {
					res.stored = make(map[int]Posted)
				}
				res.stored[i] = prev.clone()
				return nil, nil
			}
		}
		if !book.LockDate.IsZero() && !p.Date.After(book.LockDate) {
			return entryErr(i, -1, fmt.Errorf("%w: booking date %s on or before the lock date %s", ErrPeriodLocked, p.Date, book.LockDate)), nil
		}
		fy, n := book.PeriodOf(p.Date)
		switch state := snap.periods[[2]int{fy, n}]; {
		case state == Locked:
			return entryErr(i, -1, periodErr(ErrPeriodLocked, book, fy, n, p.Date)), nil
		case state == Closed && !opt.allowClosed:
			return entryErr(i, -1, periodErr(ErrPeriodClosed, book, fy, n, p.Date)), nil
		}
		if p.Reverses > head.Seq || p.Adjusts > head.Seq {
			return entryErr(i, -1, fmt.Errorf("%w: reverses or adjusts an entry not posted before it", ErrInvalid)), nil
		}
		constrained := false
		for li, ln := range p.Lines {
			a, ok := account(ln.Account)
			switch {
			case !ok:
				return entryErr(i, li, ErrUnknownAccount), nil
			case a.Closed && !opt.allowClosed:
				return entryErr(i, li, ErrAccountClosed), nil
			case !a.Currency.IsZero() && a.Currency != ln.Amount.Currency() &&
				(p.Journal != JournalRevaluation && p.Journal != JournalClosing || ln.Amount.Currency() != book.Currency):
				return entryErr(i, li, ErrCurrencyMismatch), nil
			case ln.Converted() && ln.Base.Currency() != book.Currency:
				return entryErr(i, li, fmt.Errorf("%w: base amount in %s, the book's base currency is %s", ErrCurrencyMismatch, ln.Base.Currency().Code(), book.Currency.Code())), nil
			}
			// Share the chart's copy of the code (equal bytes): stores keep
			// one string per account, and their lookups compare pointers.
			p.Lines[li].Account = a.Code
			if a.Constraint.IsZero() {
				continue
			}
			constrained = true
			k := BalanceKey{Account: a.Code, Currency: ln.Amount.Currency()}
			if deltas == nil {
				deltas = make(map[BalanceKey]int64)
			}
			old, seen := deltas[k]
			if !seen {
				cons = append(cons, k)
			} else if opt.independent {
				undo = append(undo, deltaUndo{k, old})
			}
			d, ok := money.AddMinor(old, ln.Amount.MinorUnits())
			if !ok {
				if opt.independent {
					// The sum of the group's changes overflows, which
					// need not be this entry's fault alone: retry alone.
					return nil, ErrOverflow
				}
				return entryErr(i, li, ErrOverflow), nil
			}
			deltas[k] = d
		}
		if constrained {
			// Check constraints after this entry, against balances locked
			// in the store: the batch so far must keep every constrained
			// account it touched within bounds.
			if err := l.checkConstraints(ctx, tx, bookID, cons, deltas, account); err != nil {
				var ce *constraintErr
				if errors.As(err, &ce) {
					return entryErr(i, slices.IndexFunc(p.Lines, func(ln Line) bool { return ln.Account == ce.account }), ErrConstraint), nil
				}
				return nil, err
			}
		}
		if p.Key != "" && len(ps) > 1 {
			if keys == nil {
				keys = make(map[uint64]int, len(ps))
			}
			if _, taken := keys[h]; !taken {
				keys[h] = i
			}
		}
		head.Seq++
		p.Seq = head.Seq
		p.RecordedAt = now
		p.Hash = chainHash(head.Hash, p.Seq, now, p.Digest)
		head.Hash = p.Hash
		nfresh++
		return nil, nil
	}

	skip := func(i int, err error) {
		if res.errs == nil {
			res.errs = make(map[int]error)
		}
		res.errs[i] = err
		ps[i].Seq = 0
	}
	for i := range ps {
		if opt.ctxs != nil {
			if err := opt.ctxs[i].Err(); err != nil {
				skip(i, err) // its caller gave up: not posted
				continue
			}
		}
		ncons := len(cons)
		broken, err := admit(i)
		if err != nil {
			return res, nil, err
		}
		if broken == nil {
			undo = undo[:0]
			continue
		}
		if !opt.independent {
			return res, nil, broken
		}
		// Skip entry i as if it had never come: take back its changes to
		// the constrained balances (its key and the head are set only for
		// an entry that passes).
		skip(i, broken)
		for u := len(undo) - 1; u >= 0; u-- {
			deltas[undo[u].k] = undo[u].old
		}
		undo = undo[:0]
		for _, k := range cons[ncons:] {
			delete(deltas, k)
		}
		cons = cons[:ncons]
	}
	fresh := ps
	if nfresh < len(ps) { // append only what is new: replays are already stored
		fresh = make([]Posted, 0, nfresh)
		for i := range ps {
			if ps[i].Seq != 0 {
				fresh = append(fresh, ps[i])
			}
		}
	}
	if nfresh > 0 {
		if err := tx.Append(ctx, bookID, fresh); err != nil {
			return res, nil, err
		}
	}
	return res, snap, nil
}

type constraintErr struct{ account string }

func (e *constraintErr) Error() string { return "constraint " + e.account }

func (l *Ledger) checkConstraints(ctx context.Context, tx Tx, book string, keys []BalanceKey, deltas map[BalanceKey]int64, account func(string) (*Account, bool)) error {
	sorted := slices.Clone(keys)
	slices.SortFunc(sorted, func(a, b BalanceKey) int {
		if c := strings.Compare(a.Account, b.Account); c != 0 {
			return c
		}
		return strings.Compare(a.Currency.Code(), b.Currency.Code())
	})
	cur, err := tx.LockBalances(ctx, book, sorted)
	if err != nil {
		return err
	}
	for i, k := range sorted {
		bal, ok := money.AddMinor(cur[i], deltas[k])
		if !ok {
			return ErrOverflow
		}
		a, _ := account(k.Account)
		natural := bal
		if a.Type.NormalSide() == SideCredit {
			natural = -bal
		}
		if !a.Constraint.allows(natural, k.Currency) {
			return &constraintErr{account: k.Account}
		}
	}
	return nil
}

// convert gives e's lines in another currency than the book's base
// currency, and without a Base, their base amount at Options.Rates, and
// puts the residue of rounding them one by one on Options.RoundingAccount.
// *base caches the book's base currency for the next entry of a batch.
func (l *Ledger) convert(ctx context.Context, rates BookRates, e *Entry, base *money.Currency) error {
	if base.IsZero() {
		if c, ok := l.snaps.Load(e.Book); ok {
			*base = c.(*snapshot).book.Currency
		} else {
			b, err := l.Book(ctx, e.Book)
			if err != nil {
				return lineError(e, -1, err)
			}
			*base = b.Currency
		}
	}
	n := 0
	for i := range e.Lines {
		ln := &e.Lines[i]
		if ln.Converted() || ln.Amount.Currency() == *base || ln.Amount.Currency().IsZero() {
			continue
		}
		v, err := rates.Rates.Convert(ln.Amount, *base, e.Date)
		if err != nil {
			return lineError(e, i, err)
		}
		ln.Base = v
		n++
	}
	if n == 0 || rates.RoundingAccount == "" {
		return nil
	}
	var sum int64
	for i := range e.Lines {
		v := int64(0)
		switch ln := &e.Lines[i]; {
		case ln.Converted():
			v = ln.Base.MinorUnits()
		case ln.Amount.Currency() == *base:
			v = ln.Amount.MinorUnits()
		}
		var ok bool
		if sum, ok = money.AddMinor(sum, v); !ok {
			return nil // out of range: validation names the line
		}
	}
	// Each rounding is off by at most half a minor unit: a larger
	// difference is the caller's and fails validation.
	if sum != 0 && sum >= -int64(n) && sum <= int64(n) {
		e.Lines = append(e.Lines, Line{Account: rates.RoundingAccount, Amount: money.New(-sum, *base), Memo: "conversion rounding"})
	}
	return nil
}

// ratesOf returns the rates for book: Options.Rates and RoundingAccount,
// else what Options.RatesFor gives (its rounding account defaulting to
// Options.RoundingAccount); zero without rates.
func (l *Ledger) ratesOf(ctx context.Context, book string) (BookRates, error) {
	if l.rates != nil || l.ratesFor == nil {
		return BookRates{Rates: l.rates, RoundingAccount: l.rounding}, nil
	}
	r, err := l.ratesFor(ctx, book)
	if err != nil {
		return BookRates{}, fmt.Errorf("exchange rates of book %s: %w", book, err)
	}
	if r.RoundingAccount == "" {
		r.RoundingAccount = l.rounding
	}
	return r, nil
}
