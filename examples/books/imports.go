package main

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"strings"
	"time"

	"github.com/openbackoffice/backoffice/examples/closebatch/batch"
	"github.com/openbackoffice/backoffice/fx"
	"github.com/openbackoffice/backoffice/journal"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/reporting"
	"github.com/openbackoffice/backoffice/vat"
)

// importJournal reads a plain-text journal and posts it: missing accounts
// are created first (their types from the mapping file, the journal's account
// directives or the top-level name), and the book too if it is new, in the
// journal's commonest currency.
//
// The journal is read as a stream (journal.ScanFile), in memory flat in
// its size: once to check it, once to convert and check its entries, once
// to post them in chunks, all inside one transaction.
func (e *env) importJournal(ctx context.Context, path, mappingPath string, amend bool) error {
	t0 := time.Now()
	// "vat:" tags name VAT codes the VAT return knows (vat.Codes).
	j, err := journal.ScanFile(path, &journal.ScanOptions{CheckDimension: vat.CheckDimension})
	if err != nil {
		return err
	}
	// P directives become the book's exchange rates, in the same
	// transaction as the entries, for valuing later (report --value end,
	// fx revalue, entries imported without a base amount). The journal's
	// own postings are valued as hledger values them: by their costs and
	// conversions (journal.EntriesIn), never at a market price, so a
	// foreign posting without a cost keeps no base amount.
	rates, err := j.Rates()
	if err != nil {
		return err
	}
	parsed := time.Since(t0)
	e.say("journal: %d transactions parsed in %v (%.0f/s)", j.Len(), parsed.Round(time.Millisecond),
		float64(j.Len())/parsed.Seconds())
	var mapping map[string]ledger.AccountType
	if mappingPath != "" {
		if mapping, err = readMapping(mappingPath); err != nil {
			return err
		}
	}
	b, exists, err := e.selectBook(ctx, "main")
	if err != nil {
		return err
	}
	// All-or-nothing: the book, its accounts and every entry in one
	// transaction; what it created is said once it committed.
	var created, summary, ratesSaid string
	var nAccounts int
	err = batch.Atomic(ctx, e.store, func(s ledger.Store) error {
		l := ledger.New(s, nil) // no conversion at rates: see above
		if !exists {
			best := j.Currency()
			if best.IsZero() {
				return errors.New("the journal has no amounts to take the book's currency from")
			}
			b = ledger.Book{ID: b.ID, Name: b.ID, Currency: best}
			if err := l.CreateBook(ctx, b); err != nil {
				return err
			}
			created = fmt.Sprintf("created book %s (%s)", b.ID, best.Code()) // said once committed
		}
		create, err := journalAccounts(ctx, l, b.ID, j, mapping)
		if err != nil {
			return err
		}
		// Costs and conversions get their value in the book's currency.
		// Check the entries before creating anything: all-or-nothing, and
		// every conversion problem at once, before the first invalid entry.
		n := 0
		var invalid error
		err = j.Entries(b.ID, b.Currency, postChunk, func(entries []ledger.Entry, lines []journal.Source) error {
			for i := range entries {
				if err := entries[i].Validate(nil); err != nil && invalid == nil {
					invalid = lines[i].Wrap(err)
				}
			}
			n += len(entries)
			return nil
		})
		if err != nil {
			return err
		}
		if invalid != nil {
			return invalid
		}
		if len(create) > 0 {
			if err := l.CreateAccounts(ctx, create...); err != nil {
				return err
			}
			nAccounts = len(create)
		}
		if len(rates) > 0 {
			rs, ok := s.(fx.Store)
			if !ok {
				return fmt.Errorf("%s: the store keeps no exchange rates for the journal's P directives", path)
			}
			added, err := rs.PutRates(ctx, b.ID, rates)
			if err != nil {
				return fmt.Errorf("%s: P directives: %w", path, err)
			}
			ratesSaid = fmt.Sprintf("journal: %d rates from P directives stored (%d already stored)", added, len(rates)-added)
		}
		if n == 0 {
			summary = "journal: 0 entries posted, 0 already posted"
			return nil
		}
		t1 := time.Now()
		r, err := e.postChunks(ctx, l, s, b.ID, n, amend, func(fn func([]ledger.Entry, chunkErrors) error) error {
			return j.Entries(b.ID, b.Currency, postChunk, func(entries []ledger.Entry, lines []journal.Source) error {
				return fn(entries, chunkErrors{
					where: func(i int) string { return lines[i].String() },
					wrap:  func(err error) error { return journalEntryError(err, lines) },
				})
			})
		})
		if err != nil {
			return err
		}
		d := time.Since(t1)
		summary = fmt.Sprintf("journal: %d entries posted, %d already posted%s, in %v (%.0f/s)", r.posted, r.existing, r.amendedText(), d.Round(time.Millisecond), float64(n)/d.Seconds())
		return nil
	})
	if err != nil {
		return err
	}
	if created != "" {
		e.say("%s", created)
	}
	if nAccounts > 0 {
		e.say("created %d accounts", nAccounts)
	}
	if ratesSaid != "" {
		e.say("%s", ratesSaid)
	}
	e.say("%s", summary)
	return nil
}

// journalAccounts returns the accounts of j that book lacks, parents
// first: those of the account directives and of the postings (with their
// ancestors), each with its type from the mapping, the journal's directives
// or its top-level name, its label, cash-flow and opening-balance roles and
// the styles of its currencies. Problems come as journal.Errors, each at
// the account's directive or first posting.
func journalAccounts(ctx context.Context, l *ledger.Ledger, book string, j *journal.File, mapping map[string]ledger.AccountType) ([]ledger.Account, error) {
	existing, err := l.Accounts(ctx, book)
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, a := range existing {
		have[a.Code] = true
	}
	// Every account name and its ancestors, parents first.
	names := map[string]string{} // code → name
	var order []string
	var errs journal.Errors
	labels := map[string]string{}
	cash := map[string]bool{}
	for _, a := range j.Accounts() {
		labels[a.Name] = a.Label
		cash[a.Name] = a.Cash
	}
	firstLine := map[string]journal.Source{}
	addName := func(name string, line journal.Source) {
		parts := strings.Split(name, ":")
		for i := range parts {
			n := strings.Join(parts[:i+1], ":")
			code := j.Code(n) // its code: tag, as Write writes numeric charts, or the name
			if prev, ok := names[code]; ok {
				if prev != n {
					errs = append(errs, line.Errorf("accounts %q and %q map to the same code %s", prev, n, code))
				}
				continue
			}
			names[code] = n
			order = append(order, code)
			if _, ok := firstLine[n]; !ok { // a parent: where its first child is
				firstLine[n] = line
			}
		}
	}
	for _, a := range j.Accounts() {
		firstLine[a.Name] = journal.Source{File: a.File, Line: a.Line}
		addName(a.Name, firstLine[a.Name])
	}
	for _, a := range j.UsedAccounts() { // in the order of their first postings
		if _, ok := firstLine[a.Name]; !ok {
			firstLine[a.Name] = journal.Source{File: a.File, Line: a.Line}
			addName(a.Name, firstLine[a.Name])
		}
	}
	styles := j.StyleMetadata() // the journal's commodity styles, for export journal
	var create []ledger.Account
	for _, code := range order {
		if have[code] {
			continue
		}
		n := names[code]
		t, ok := typeFromMapping(mapping, n)
		if !ok {
			t, ok = j.Type(n)
		}
		line := firstLine[n]
		if !ok {
			errs = append(errs, line.Errorf("account %s: no type; start its name with assets, liabilities, equity, income, revenue or expenses, declare it (account NAME  ; type: A) or map it with --mapping", n))
			continue
		}
		a := ledger.Account{Book: book, Code: code, Name: n, Type: t}
		if l := labels[n]; l != "" {
			a.Name = l
		}
		if cash[n] { // hledger's type C: the cash flow statement's fund
			a.Metadata = map[string]string{reporting.CashFlowKey: reporting.CashFlowCash, "role": "cash"}
		}
		if journal.IsOpeningAccount(n) { // its entries are the year's openings
			a.Metadata = map[string]string{ledger.RoleKey: ledger.RoleOpeningBalances}
		}
		for k, v := range styles[code] {
			if a.Metadata == nil {
				a.Metadata = map[string]string{}
			}
			a.Metadata[k] = v
		}
		if i := strings.LastIndexByte(n, ':'); i >= 0 {
			a.Parent = j.Code(n[:i])
		}
		if err := a.Validate(); err != nil {
			errs = append(errs, line.Wrap(fmt.Errorf("account %s: %w", n, err)))
			continue
		}
		create = append(create, a)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return create, nil
}

// journalEntryError puts an *ledger.EntryError from posting a journal's
// entries at its transaction's line, naming the account (not the entry's
// index and line number, which the file does not show).
func journalEntryError(err error, lines []journal.Source) error {
	var ee *ledger.EntryError
	if !errors.As(err, &ee) || ee.Index < 0 || ee.Index >= len(lines) {
		return err
	}
	cause := ee.Err
	if ee.Account != "" {
		cause = fmt.Errorf("account %s: %w", ee.Account, cause)
	}
	return lines[ee.Index].Wrap(cause)
}

// chunkErrors says where the entries of one chunk come from: where(i)
// names entry i's place in the file, wrap puts an error from posting the
// chunk (an *ledger.EntryError's Index is into the chunk) at its place.
type chunkErrors struct {
	where func(i int) string
	wrap  func(error) error
}

// postChunks is postRevised for entries too many to hold at once: each
// hands over the total entries in chunks (with where they come from) to
// the function it is given, and postChunks revises and posts them chunk by
// chunk, in the transaction of store s, then amends the edited ones (kept
// aside until then: memory grows with the edits, not the entries). Without
// amend, edits are an error naming the first ten and counting all; the
// chunks after the first edit are revised only. An entry posted by this
// import itself under the same key is not an edit but a conflict (or a
// duplicate) of the posting, as when all entries are posted at once.
func (e *env) postChunks(ctx context.Context, l *ledger.Ledger, s ledger.Store, book string, total int, amend bool,
	each func(fn func([]ledger.Entry, chunkErrors) error) error) (imported, error) {
	var r imported
	before, err := head(ctx, s, book)
	if err != nil {
		return r, err
	}
	var (
		edited int
		msgs   []string
		kept   []ledger.Entry // the edited entries, with amend
		revs   []ledger.Revision
		pr     = e.newProgress(total)
	)
	err = each(func(entries []ledger.Entry, ce chunkErrors) error {
		rs, err := l.Revise(ctx, book, entries)
		if err != nil {
			return ce.wrap(err)
		}
		var skip map[int]bool
		for _, rv := range rs {
			if rv.Current.Seq > before {
				continue // posted by this import: PostBatch says what it is
			}
			if skip == nil {
				skip = map[int]bool{}
			}
			skip[rv.Index] = true
			edited++
			if !amend {
				if len(msgs) < 10 {
					msgs = append(msgs, fmt.Sprintf("%s: %v: it differs from entry %d (key %q, %s) posted before; import with --amend to post the Storno of entry %d and the new version, or restore the transaction",
						ce.where(rv.Index), errChanged, rv.Current.Seq, rv.Current.Key, rv.Current.Date, rv.Current.Seq))
				}
				continue
			}
			i := rv.Index
			rv.Index = len(kept)
			kept, revs = append(kept, entries[i]), append(revs, rv)
		}
		if edited > 0 && !amend {
			return nil // nothing more is posted; every edit is counted
		}
		rest := entries
		var orig []int // rest[i] is entries[orig[i]]
		if len(skip) > 0 {
			rest = make([]ledger.Entry, 0, len(entries)-len(skip))
			for i := range entries {
				if !skip[i] {
					rest = append(rest, entries[i])
					orig = append(orig, i)
				}
			}
			pr.total -= len(skip)
		}
		if len(rest) == 0 {
			return nil
		}
		posted, existing, err := e.postTo(ctx, l, s, rest, pr)
		r.posted += posted
		r.existing += existing
		if err != nil {
			var ee *ledger.EntryError
			if orig != nil && errors.As(err, &ee) && ee.Index < len(orig) {
				ee.Index = orig[ee.Index]
			}
			return ce.wrap(err)
		}
		return nil
	})
	pr.finish()
	if err != nil {
		return r, err
	}
	if edited > 0 && !amend {
		if edited > len(msgs) {
			msgs = append(msgs, fmt.Sprintf("and %d more", edited-len(msgs)))
		}
		return r, fmt.Errorf("%d edited: %s", edited, strings.Join(msgs, "; "))
	}
	if _, err := l.Amend(ctx, book, kept, revs); err != nil {
		return r, err
	}
	r.amended = len(revs)
	return r, nil
}

// progress shows how posting goes: a counter on a terminal, else a log
// line every --progress (3 s); nothing with --quiet.
type progress struct {
	e           *env
	tty         bool
	logged, t0  time.Time
	done, total int
}

func (e *env) newProgress(total int) *progress {
	return &progress{e: e, tty: !e.quiet && total > postChunk && batch.IsTerminal(os.Stderr), logged: time.Now(), t0: time.Now(), total: total}
}

// add counts n more entries posted.
func (p *progress) add(n int) {
	p.done += n
	if p.tty {
		fmt.Fprintf(os.Stderr, "\rposted %d/%d", p.done, p.total)
	} else if !p.e.quiet && time.Since(p.logged) >= p.e.every && p.done < p.total {
		p.logged = time.Now()
		p.e.log.Info("posting", "done", p.done, "total", p.total, "elapsed", time.Since(p.t0).Round(time.Second).String())
	}
}

// finish ends the counter's line.
func (p *progress) finish() {
	if p.tty && p.done > 0 {
		fmt.Fprintln(os.Stderr)
	}
}

// entryOptions are the options entries files of book b are read with:
// lines in another currency without base amounts balance once the ledger
// converts them at the book's rates; a dim.vat column names VAT codes the
// VAT return knows (vat.Codes).
func entryOptions(e *env, b ledger.Book) *ledger.EntryOptions {
	return &ledger.EntryOptions{Currency: b.Currency, LedgerConverts: e.fx.Rates != nil, CheckDimension: vat.CheckDimension}
}

// notConverted says what to do about lines the ledger cannot convert for
// want of rates (ledger.ErrNotConverted); other errors come back as they are.
func notConverted(err error, b ledger.Book) error {
	if errors.Is(err, ledger.ErrNotConverted) {
		return fmt.Errorf("%w; book %s has no exchange rates to convert them: import the rates (books fx import FILE), or give the lines' values in %s in the base column",
			err, b.ID, b.Currency.Code())
	}
	return err
}

// importEntries posts an entries CSV file (ledger.ReadEntries) as a
// stream, in memory flat in its size (ledger.ScanEntries): read once to
// check every row, once more to post in chunks, all in one transaction.
// A file that changes between the two readings is refused.
func (e *env) importEntries(ctx context.Context, path string, amend bool) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	b, _, err := e.selectBook(ctx, "")
	if err != nil {
		return err
	}
	opts := entryOptions(e, b)
	seed := maphash.MakeSeed()
	read := func(fn func([]ledger.Entry, []int) error) (uint64, error) {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return 0, err
		}
		var h maphash.Hash
		h.SetSeed(seed)
		err := ledger.ScanEntries(io.TeeReader(f, &h), b.ID, opts, postChunk, fn)
		return h.Sum64(), err
	}
	n := 0
	sum, err := read(func(entries []ledger.Entry, _ []int) error { n += len(entries); return nil })
	if err != nil {
		return notConverted(err, b)
	}
	if n == 0 {
		fmt.Fprintln(os.Stderr, "entries: none in the file")
		return nil
	}
	// All-or-nothing: every chunk in one transaction. The second reading
	// keeps nothing per key: the first found none that comes back.
	second := *opts
	second.KeysChecked = true
	opts = &second
	var r imported
	err = batch.Atomic(ctx, e.store, func(s ledger.Store) (err error) {
		r, err = e.postChunks(ctx, e.fx.Ledger(s), s, b.ID, n, amend, func(fn func([]ledger.Entry, chunkErrors) error) error {
			done := 0
			again, err := read(func(entries []ledger.Entry, rows []int) error {
				first := done
				done += len(entries)
				return fn(entries, chunkErrors{
					where: func(i int) string { return fmt.Sprintf("%s: entry %d (key %q)", path, first+i+1, entries[i].Key) },
					wrap:  func(err error) error { return entryErrorAt(err, path, entries, rows, first, e.fx) },
				})
			})
			if err == nil && (again != sum || done != n) {
				err = fmt.Errorf("%s changed while it was imported", path)
			}
			return err
		})
		return err
	})
	if err != nil {
		return err
	}
	e.say("entries: %d posted, %d already posted%s", r.posted, r.existing, r.amendedText())
	return nil
}
