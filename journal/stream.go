package journal

import (
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/fx"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// ErrChanged: a file read as a stream (ScanFile) changed between two
// readings.
var ErrChanged = errors.New("journal: the file changed while it was read")

// File is a journal file read as a stream, for journals too large to hold
// in memory (a million transactions): ScanFile reads it once, checks it as
// ReadFile does and keeps what is global to it — the directives, the
// styles, the market prices, the accounts its postings use, the commonest
// currency — but no transaction; Transactions and Entries read it again,
// one transaction at a time. Memory stays flat in the number of
// transactions, but for two things that grow with it: the occurrence
// counts of transaction identities (see Entries), for as long as
// transactions of the same date may follow; and, only for an account with
// balance assertions whose postings are not in date order, a small record
// per posting of that account while the assertions are checked.
//
// A File is safe for concurrent use once ScanFile returned: each call
// reads the file on its own.
type File struct {
	name      string
	j         Journal // Accounts, Styles and Prices
	sum       summary
	codes     map[string]string // account name → its directive's code: tag
	lastOfDay map[date.Date]int // date → index of its last transaction
	seed      maphash.Seed
	digest    uint64 // of every byte read, includes too
}

// ScanOptions configures ScanFile. A nil *ScanOptions means the defaults.
type ScanOptions struct {
	// CheckDimension, if set, is applied as Journal.CheckDimensions
	// applies its check, to every posting while the file is read: its
	// problems are returned as Journal.CheckDimensions returns them, if
	// the journal has no other.
	CheckDimension func(name, value string) error
}

// ScanFile reads the journal file name (and the files it includes) as
// ReadFile does, all-or-nothing, and returns the same errors, but keeps no
// transaction: see File. The balance assertions are checked.
func ScanFile(name string, opts *ScanOptions) (*File, error) {
	if opts == nil {
		opts = &ScanOptions{}
	}
	f := &File{name: name, seed: maphash.MakeSeed(), lastOfDay: map[date.Date]int{}}
	p := newParser()
	var h maphash.Hash
	h.SetSeed(f.seed)
	p.open = hashing(&h)
	var dimErrs Errors
	p.emit = func(t *Transaction) {
		f.lastOfDay[t.Date] = f.sum.n
		f.sum.add(t)
		if opts.CheckDimension != nil {
			dimErrs = checkDimensions(t, opts.CheckDimension, dimErrs)
		}
	}
	if err := p.readTop(name); err != nil {
		return nil, err
	}
	f.digest = h.Sum64()
	f.codes = codesOf(p.j.Accounts)
	if len(p.errs) == 0 {
		p.checkAssertions(func(fn func(*Transaction)) error {
			return f.each(func(t *Transaction) bool { fn(t); return true })
		})
	}
	p.sortErrors()
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	if len(dimErrs) > 0 {
		return nil, dimErrs
	}
	f.j.Accounts, f.j.Prices = p.j.Accounts, p.j.Prices
	f.j.Styles = p.inferStyles()
	return f, nil
}

// hashing returns a parser's open that adds every byte read to h.
func hashing(h *maphash.Hash) func(string) (io.ReadCloser, error) {
	return func(name string) (io.ReadCloser, error) {
		f, err := openFile(name)
		if err != nil {
			return nil, err
		}
		return hashReader{f, h}, nil
	}
}

type hashReader struct {
	io.ReadCloser
	h *maphash.Hash
}

func (r hashReader) Read(b []byte) (int, error) {
	n, err := r.ReadCloser.Read(b)
	r.h.Write(b[:n])
	return n, err
}

// each reads the file again and calls fn with each transaction, in file
// order, until fn returns false. It fails with ErrChanged if the file
// (or a file it includes) is not the one ScanFile read.
func (f *File) each(fn func(*Transaction) bool) error {
	p := newParser()
	p.asserts = nil // checked by ScanFile
	var h maphash.Hash
	h.SetSeed(f.seed)
	p.open = hashing(&h)
	n := 0
	p.emit = func(t *Transaction) {
		if len(f.codes) > 0 {
			for k := range t.Postings {
				t.Postings[k].code = f.codes[t.Postings[k].Account]
			}
		}
		n++
		if !fn(t) {
			p.stop = true
		}
	}
	if err := p.readTop(f.name); err != nil {
		return fmt.Errorf("%w: %w", ErrChanged, err)
	}
	if p.stop {
		return nil
	}
	if len(p.errs) > 0 || n != f.sum.n || h.Sum64() != f.digest {
		return fmt.Errorf("%w: %s", ErrChanged, f.name)
	}
	return nil
}

// Name returns the name of the file, as given to ScanFile.
func (f *File) Name() string { return f.name }

// Len returns the number of transactions.
func (f *File) Len() int { return f.sum.n }

// Accounts returns the account directives, as Journal.Accounts.
func (f *File) Accounts() []Account { return f.j.Accounts }

// Prices returns the market prices of P directives, as Journal.Prices.
func (f *File) Prices() []Price { return f.j.Prices }

// Rates is Journal.Rates: the P directives as exchange rates.
func (f *File) Rates() ([]fx.Rate, error) { return f.j.Rates() }

// Styles returns each currency's style, as Journal.Styles.
func (f *File) Styles() map[string]Style { return f.j.Styles }

// Code is Journal.Code.
func (f *File) Code(name string) string {
	if c, ok := f.codes[name]; ok {
		return c
	}
	return Code(name)
}

// Type is Journal.Type.
func (f *File) Type(name string) (ledger.AccountType, bool) { return f.j.Type(name) }

// Currency is Journal.Currency.
func (f *File) Currency() money.Currency { return f.sum.best }

// UsedAccounts is Journal.UsedAccounts.
func (f *File) UsedAccounts() []Account { return f.sum.used }

// StyleMetadata is Journal.StyleMetadata.
func (f *File) StyleMetadata() map[string]map[string]string {
	return styleMetadata(f.j.Styles, f.Code, f.sum.curs)
}

// Transactions reads the file again and calls fn with each transaction, in
// file order, as ReadFile would have kept them in Journal.Transactions; t
// is fn's to keep. An error from fn stops reading and is returned. It fails
// with ErrChanged if the file is not the one ScanFile read.
func (f *File) Transactions(fn func(t *Transaction) error) error {
	var ferr error
	err := f.each(func(t *Transaction) bool {
		ferr = fn(t)
		return ferr == nil
	})
	if ferr != nil {
		return ferr
	}
	return err
}

// Entries reads the file again and converts its transactions as
// Journal.EntriesIn does for a book whose base currency is base (the zero
// Currency: as Journal.EntriesWithSources), with the same keys, handing
// them to fn in chunks of size entries (more if one transaction gives
// more; the last chunk may have fewer), each with where its transaction
// starts; the slices are fn's to keep.
//
// To number transactions of the same identity (Transaction.Entry) Entries
// counts identities, a small digest each, and forgets those of a date
// once its last transaction went by: for a journal in date order, it keeps
// one day's.
//
// A transaction that cannot be converted (see EntriesIn) stops the calls
// of fn; Entries reads on to find every such problem and returns them all
// as Errors. An error from fn stops reading and is returned. Callers that
// must be all-or-nothing run Entries inside one transaction of their
// store, or once to check and once to post.
func (f *File) Entries(book string, base money.Currency, size int, fn func(entries []ledger.Entry, sources []Source) error) error {
	size = max(size, 1)
	var (
		errs     Errors
		ferr     error
		entries  []ledger.Entry
		sources  []Source
		counts   = map[date.Date]map[[identityLen]byte]int{}
		i        int
		hexBuf   [2 * identityLen]byte
		flushErr = func() bool {
			if len(entries) == 0 || len(errs) > 0 {
				return true
			}
			ferr = fn(entries, sources)
			entries, sources = nil, nil
			return ferr == nil
		}
	)
	err := f.each(func(t *Transaction) bool {
		id := t.identity()
		m := counts[t.Date]
		if m == nil {
			m = map[[identityLen]byte]int{}
			counts[t.Date] = m
		}
		m[id]++
		n := m[id]
		if f.lastOfDay[t.Date] == i {
			delete(counts, t.Date) // no transaction of this date follows
		}
		i++
		var bases []money.Amount
		if !base.IsZero() {
			var err error
			if bases, err = t.bases(base); err != nil {
				errs = append(errs, err.(*Error))
				return true
			}
		}
		if len(errs) > 0 {
			return true
		}
		hexEncode(hexBuf[:], id[:])
		src := Source{t.File, t.Line}
		for _, e := range t.entries(book, "journal/"+string(hexBuf[:])+"/"+strconv.Itoa(n), bases) {
			entries = append(entries, e)
			sources = append(sources, src)
		}
		if len(entries) >= size {
			return flushErr()
		}
		return true
	})
	switch {
	case ferr != nil:
		return ferr
	case err != nil:
		return err
	case len(errs) > 0:
		return errs
	}
	flushErr()
	return ferr
}

// summary is what the importer needs of a journal's transactions as a
// whole (see Journal.Currency, UsedAccounts and StyleMetadata), kept as
// they go by.
type summary struct {
	n      int // transactions
	counts map[money.Currency]int
	best   money.Currency
	used   []Account
	seen   map[string]bool
	curs   map[string][]money.Currency // account name → currencies of its postings
}

func (s *summary) add(t *Transaction) {
	if s.seen == nil {
		s.counts, s.seen, s.curs = map[money.Currency]int{}, map[string]bool{}, map[string][]money.Currency{}
	}
	s.n++
	for k := range t.Postings {
		ps := &t.Postings[k]
		if c := ps.Amount.Currency(); !c.IsZero() {
			s.counts[c]++
			if s.best.IsZero() || s.counts[c] > s.counts[s.best] {
				s.best = c
			}
			if !slices.Contains(s.curs[ps.Account], c) {
				s.curs[ps.Account] = append(s.curs[ps.Account], c)
			}
		}
		if !s.seen[ps.Account] {
			s.seen[ps.Account] = true
			s.used = append(s.used, Account{File: t.File, Line: ps.Line, Name: ps.Account})
		}
		if !ps.Date.IsZero() && !ps.Amount.IsZero() && !s.seen[ClearingAccount] {
			s.seen[ClearingAccount] = true
			s.used = append(s.used, Account{File: t.File, Line: ps.Line, Name: ClearingAccount})
		}
	}
}

func (j *Journal) summary() summary {
	var s summary
	for i := range j.Transactions {
		s.add(&j.Transactions[i])
	}
	return s
}

// Currency returns the commonest currency of the postings (counting
// postings, not amounts; of two as common, the one that was first), or
// the zero Currency if no posting has one. Importers give a new book that
// currency.
func (j *Journal) Currency() money.Currency { return j.summary().best }

// UsedAccounts returns the accounts the postings use, in the order of
// their first postings, each with the file and line of that posting and
// only its Name set (Accounts has the directives); ClearingAccount comes
// where the first posting with a date of its own and an amount needs it
// (see Entries). Importers create the accounts of a chart from them.
func (j *Journal) UsedAccounts() []Account { return j.summary().used }

// codesOf maps the names of accounts with a "code:" tag to their codes.
func codesOf(accounts []Account) map[string]string {
	codes := map[string]string{}
	for _, a := range accounts {
		if a.Code != "" {
			codes[a.Name] = a.Code
		}
	}
	return codes
}

// checkDimensions appends to errs the problems check finds in t's
// dimensions (see Journal.CheckDimensions).
func checkDimensions(t *Transaction, check func(name, value string) error, errs Errors) Errors {
	for k := range t.Postings {
		ps := &t.Postings[k]
		for _, name := range slices.Sorted(maps.Keys(ps.Fields)) {
			if err := check(strings.TrimPrefix(name, "dim."), ps.Fields[name]); err != nil {
				errs = append(errs, &Error{File: t.File, Line: ps.Line, Err: fmt.Errorf("%s %q: %w", name, ps.Fields[name], err)})
			}
		}
	}
	return errs
}
