package backup

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"filippo.io/age"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/fx"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/partners"
	"github.com/openbackoffice/backoffice/payroll"
)

// FormatName and FormatVersion identify the archive format in its
// manifest. Readers refuse a newer version with ErrVersion. Version 2 added
// the exchange rates, version 3 the manifest's trial balances and cuts
// (BookSummary.Balances, BookSummary.AsOf), version 4 incremental archives
// (Manifest.Base, BookSummary.Base and BookSummary.Whole).
const (
	FormatName    = "backoffice-backup"
	FormatVersion = 4
)

// Errors of reading an archive.
var (
	// ErrCorrupt is wrapped by every error about an archive's content: a
	// member whose hash, line count or lines are wrong, a missing member, a
	// broken chain.
	ErrCorrupt = errors.New("backup: archive corrupt")
	// ErrVersion is an archive of another format or a newer version.
	ErrVersion = errors.New("backup: unsupported archive format version")
	// ErrOptions is Options that contradict themselves or the store: Seq
	// and AsOf together, Seq for more than one book, Seq past the book's
	// last entry.
	ErrOptions = errors.New("backup: invalid options")
	// ErrPointInTime is a point in time of which no exact archive can be
	// written: a pay run calculated again after it (its earlier
	// calculation's problems and basis are not kept). A *CutError names it.
	ErrPointInTime = errors.New("backup: no exact archive of that point in time")
	// ErrBase is a book that does not continue an incremental archive's
	// base: the store Write reads has another entry or state record where
	// the base's chain ends, or the target of a restore does not end where
	// the base ends. A *BaseError names the book and both heads.
	ErrBase = errors.New("backup: the book does not continue the incremental archive's base")
	// ErrChain is a sequence of archives to restore of which one is not
	// the increment on the one before it: one missing, or out of order. A
	// *ChainError names it.
	ErrChain = errors.New("backup: the archives are not a chain of increments")
)

// BaseError is a book whose chain does not continue where an incremental
// archive's base ends. It wraps ErrBase (and ledger.ErrUnknownBook for a
// target that does not hold the book).
type BaseError struct {
	Book string
	// Where is "store" (Write reading the source) or "target" (Restore).
	Where string
	// What is "entries", "state log" or "period events".
	What string
	// Base is where the base ends, Got what the store or target holds
	// there: for period events, Seq counts the events and Hash is empty.
	Base, Got HeadJSON
	// Missing says that the target does not hold the book at all.
	Missing bool
}

func (e *BaseError) Error() string {
	if e.Missing {
		return fmt.Sprintf("backup: book %s: the %s does not hold the book; the incremental archive's base ends at %s", e.Book, e.Where, e.Base.text(e.What))
	}
	if e.Where == "store" {
		return fmt.Sprintf("backup: book %s: the store does not continue the incremental archive's base: where the base's %s end at %s, the store has %s",
			e.Book, e.What, e.Base.text(e.What), e.Got.text(e.What))
	}
	verb := "ends"
	if strings.HasSuffix(e.What, "s") {
		verb = "end"
	}
	return fmt.Sprintf("backup: book %s: the %s's %s %s at %s, the incremental archive's base at %s", e.Book, e.Where, e.What, verb, e.Got.text(e.What), e.Base.text(e.What))
}

func (e *BaseError) Unwrap() []error {
	if e.Missing {
		return []error{ErrBase, ledger.ErrUnknownBook}
	}
	return []error{ErrBase}
}

// text says where a head is: "entry 12 (hash 3f2a9c01…)".
func (h HeadJSON) text(what string) string {
	short := h.Hash
	if len(short) > 12 {
		short = short[:12] + "…"
	}
	switch what {
	case "period events":
		return fmt.Sprintf("%d period events", h.Seq)
	case "state log":
		return fmt.Sprintf("state record %d (hash %s)", h.Seq, short)
	}
	return fmt.Sprintf("entry %d (hash %s)", h.Seq, short)
}

// ChainError is an archive in a sequence to restore that is not the
// increment on the archive before it. It wraps ErrChain.
type ChainError struct {
	// Index is the archive's place in the sequence, from 0.
	Index int
	// Base is the digest of the base the archive names ("" for a full
	// archive), Previous the digest of the archive before it.
	Base, Previous string
}

func (e *ChainError) Error() string {
	if e.Base == "" {
		return fmt.Sprintf("backup: archive %d is a full archive, not an increment on archive %d", e.Index+1, e.Index)
	}
	return fmt.Sprintf("backup: archive %d is an increment on the archive with manifest %.12s…, but archive %d has manifest %.12s…: an archive is missing or out of order",
		e.Index+1, e.Base, e.Index, e.Previous)
}

func (e *ChainError) Unwrap() error { return ErrChain }

// CutError names the record that keeps Write from cutting a book at a
// point in time. It wraps ErrPointInTime.
type CutError struct {
	Book   string
	Record string // e.g. "pay run 2025-06"
	Reason string
}

func (e *CutError) Error() string {
	return fmt.Sprintf("backup: book %s: %s: %s", e.Book, e.Record, e.Reason)
}

func (e *CutError) Unwrap() error { return ErrPointInTime }

// ArchiveError is an error about one member of an archive, and one line of
// it if Line > 0. It wraps ErrCorrupt and its cause.
type ArchiveError struct {
	Member string
	Line   int
	Err    error
}

func (e *ArchiveError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("backup: %s line %d: %v", e.Member, e.Line, e.Err)
	}
	return fmt.Sprintf("backup: %s: %v", e.Member, e.Err)
}

func (e *ArchiveError) Unwrap() []error { return []error{ErrCorrupt, e.Err} }

// Store is what Write reads and Restore writes: one value implementing the
// stores of every domain, as store/memory, store/sqlite and store/postgres
// do.
type Store interface {
	ledger.Store
	hr.Store
	payroll.Store
	partners.Store
	fx.Store
}

// Snapshotter is implemented by a Store that can bind every domain to one
// read-only transaction: fn gets a Store whose View, ViewHR, ViewPayroll and
// ViewPartners all read that transaction's snapshot. Write uses it.
type Snapshotter interface {
	ViewAll(ctx context.Context, fn func(Store) error) error
}

// Transactor is implemented by a Store that can bind every domain to one
// read-write transaction: what fn writes through the Store it gets commits
// only if fn returns nil, all of it. Like Update, it may run fn again after
// a serialization failure. Restore uses it.
type Transactor interface {
	UpdateAll(ctx context.Context, fn func(Store) error) error
}

// Options configures Write, Restore and Drill; Seq, AsOf, Since,
// Recipients and Now are Write's alone. A nil *Options means the defaults.
type Options struct {
	// Books limits Write, Restore and Drill to these books; none means every book.
	Books []string
	// Now returns the time Write records as the archive's creation. Default time.Now.
	Now func() time.Time
	// Seq makes Write archive the book as it stood when its entry Seq was
	// recorded: entries 1 to Seq, and everything else as of that entry's
	// recording time (see "Point in time" in the package doc). It needs
	// exactly one book (Books, or a store holding one); zero means the
	// whole book.
	Seq uint64
	// Recipients, if any, make Write encrypt the archive to them with age
	// (filippo.io/age: X25519 or hybrid post-quantum recipients, as
	// age.ParseRecipients reads them): any one of their identities
	// decrypts it (OpenEncrypted, OpenFile).
	Recipients []age.Recipient
	// AsOf makes Write archive every book as it stood at AsOf: its entries
	// recorded at or before AsOf (the longest prefix of the chain that
	// was), and everything else as of AsOf. Zero means now. Not with Seq.
	AsOf time.Time
	// Since makes Write write an incremental archive on top of the
	// archive Since (full or incremental itself): of every book Since
	// holds, only what came after it (see "Incremental archives" in the
	// package doc); a book Since does not hold is written whole. Only
	// Since's manifest is read. Not with Seq or AsOf.
	Since *Archive
}

// cutSpec is a point in time asked for: seq > 0, or asOf.
type cutSpec struct {
	seq  uint64
	asOf time.Time
}

// Manifest describes an archive: its format, when it was made, its books
// and every member.
type Manifest struct {
	Format    string    `json:"format"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	// Consistency is "snapshot" when every domain was read in one
	// transaction, "per-domain" otherwise (see the package doc).
	Consistency string `json:"consistency"`
	// Base names the archive an incremental archive continues (from
	// version 4); nil for a full archive.
	Base    *BaseRef      `json:"base,omitempty"`
	Books   []BookSummary `json:"books"`
	Members []Member      `json:"members"`
}

// BaseRef names the base of an incremental archive.
type BaseRef struct {
	// Manifest is the base's digest (Archive.Digest): the SHA-256 of its
	// manifest.json in hex.
	Manifest  string    `json:"manifest"`
	CreatedAt time.Time `json:"created_at"`
}

// BookBase is where an incremental archive's base ends, for one book.
type BookBase struct {
	Head      HeadJSON `json:"head"`
	StateHead HeadJSON `json:"state_head"`
	// Periods is the number of the book's period events in the base.
	Periods int `json:"periods"`
	// TrialBalance is the base's, if it has one: Verify adds the
	// increment's entries to it and compares the sum with the book's.
	TrialBalance *TrialBalance `json:"trial_balance,omitempty"`
}

// BookSummary is one book of a manifest: the heads of its entries' chain
// and of its state log, and how many lines each of its members holds.
type BookSummary struct {
	ID        string         `json:"id"`
	Head      HeadJSON       `json:"head"`
	StateHead HeadJSON       `json:"state_head"`
	Counts    map[string]int `json:"counts"` // member name below books/<id>/ → lines
	// AsOf is set in an archive of a point in time: where the book was cut.
	AsOf *Cut `json:"as_of,omitempty"`
	// TrialBalance is the book's closing balance per account after the
	// archive's last entry, summed from its entries (from version 3).
	// Archive.Verify recomputes it; Drill compares it with the trial
	// balance of the restored store.
	TrialBalance *TrialBalance `json:"trial_balance,omitempty"`
	// Base is set for a book an incremental archive continues: where its
	// base ends. Head, StateHead and TrialBalance are then the book's
	// whole, after the increment.
	Base *BookBase `json:"base,omitempty"`
	// Whole lists, for a book with Base, the lines and SHA-256 every
	// member but entries.jsonl and state.jsonl (whose heads stand for
	// them) has in a full archive written at the same moment; names are
	// below books/<id>/. Restore reads the restored book back and
	// compares.
	Whole []Member `json:"whole,omitempty"`
}

// Incremental reports whether the manifest is of an incremental archive.
func (m *Manifest) Incremental() bool { return m.Base != nil }

// Cut says where a book of an archive of a point in time was cut.
type Cut struct {
	// Seq is the last entry kept, 0 for none.
	Seq uint64 `json:"seq"`
	// Time is the point in time: the recording time of entry Seq
	// (Options.Seq), or Options.AsOf. Records of the other domains made
	// after it are left out.
	Time time.Time `json:"time"`
	// StateUndated counts the state records kept after the last one known
	// to be recorded at or before Time: changes of the chart or the
	// settings, which carry no time, recorded before the first period event
	// after Time (see "Point in time" in the package doc).
	StateUndated int `json:"state_undated"`
	// ChartAsStored is set for a book without a state log: its settings
	// and chart are as they stood when the archive was written.
	ChartAsStored bool `json:"chart_as_stored,omitempty"`
}

// TrialBalance is a book's closing balance per account, debit positive:
// In "base" every line counted in the book's base currency (a converted
// line with its base amount, ledger.Line.Base), one row per account; in
// "currency" (a book with a foreign line that has no base amount) one row
// per account and currency. Rows with a zero balance are left out; rows are
// ordered by account, then currency.
type TrialBalance struct {
	In   string         `json:"in"`
	Rows []BalanceEntry `json:"rows"`
}

// BalanceEntry is one row of a TrialBalance.
type BalanceEntry struct {
	Account string       `json:"account"`
	Balance money.Amount `json:"balance"`
}

// HeadJSON is a chain head in a manifest: a sequence number and a hash in hex.
type HeadJSON struct {
	Seq  uint64 `json:"seq"`
	Hash string `json:"hash"`
}

func headJSON(h ledger.Head) HeadJSON {
	return HeadJSON{Seq: h.Seq, Hash: hex.EncodeToString(h.Hash[:])}
}

// Member is one member of an archive with its number of lines and SHA-256.
type Member struct {
	Name   string `json:"name"`
	Lines  int    `json:"lines"`
	SHA256 string `json:"sha256"`
}

// memberNames are the members of one book, below books/<id>/, in the order
// they are written and restored.
var memberNames = []string{
	"book.jsonl", "accounts.jsonl", "periods.jsonl", "state.jsonl", "entries.jsonl",
	"hr/employees.jsonl", "hr/contracts.jsonl", "hr/tax_profiles.jsonl",
	"hr/time_entries.jsonl", "hr/absences.jsonl", "hr/one_time_items.jsonl",
	"payroll/runs.jsonl", "payroll/payslips.jsonl",
	"partners/settings.jsonl", "partners/parties.jsonl", "partners/invoices.jsonl",
	"partners/items.jsonl", "partners/moves.jsonl", "partners/payments.jsonl",
	"partners/dunning_runs.jsonl",
	"fx/rates.jsonl", // from version 2
}

// membersOf returns the members of one book in an archive of version v:
// version 1 had no exchange rates.
func membersOf(v int) []string {
	if v < 2 {
		return memberNames[:len(memberNames)-1]
	}
	return memberNames
}

// rateRecord is one line of fx/rates.jsonl: an exchange rate, the rate as
// written (exact decimal text).
type rateRecord struct {
	Date   string `json:"date"`
	From   string `json:"from"`
	To     string `json:"to"`
	Rate   string `json:"rate"`
	Source string `json:"source,omitempty"`
}

func memberPath(book, name string) string { return "books/" + book + "/" + name }

// entryRecord is one line of entries.jsonl.
type entryRecord struct {
	ledger.Entry
	Seq        uint64    `json:"Seq"`
	RecordedAt time.Time `json:"RecordedAt"`
	Digest     string    `json:"Digest"`
	Hash       string    `json:"Hash"`
}

// stateRecord is one line of state.jsonl.
type stateRecord struct {
	Seq  uint64 `json:"seq"`
	Data []byte `json:"data"` // base64
	Hash string `json:"hash"`
}

// payslipRecord is one line of payroll/payslips.jsonl.
type payslipRecord struct {
	Run         string          `json:"run"`
	Calculation int             `json:"calculation"`
	Payslip     payroll.Payslip `json:"payslip"`
}

// archiveWriter writes members into a zip (or only hashes them, zw nil).
type archiveWriter struct {
	zw      *zip.Writer
	at      time.Time
	members []Member
	free    chan []byte // the buffers of its members' asyncWriters
}

// member writes one member whose lines put emits.
func (a *archiveWriter) member(name string, fn func(put func(v any) error) error) (int, error) {
	h := sha256.New()
	var w io.Writer = h
	var aw *asyncWriter
	if a.zw != nil {
		zf, err := a.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: a.at})
		if err != nil {
			return 0, err
		}
		if a.free == nil {
			a.free = asyncBuffers()
		}
		aw = newAsyncWriter(zf, h, a.free)
		w = aw
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	n := 0
	err := fn(func(v any) error {
		n++
		if r, ok := v.(rawLine); ok {
			_, err := w.Write(append(r, '\n'))
			return err
		}
		return enc.Encode(v)
	})
	if aw != nil {
		if cerr := aw.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return 0, fmt.Errorf("backup: %s: %w", name, err)
	}
	a.members = append(a.members, Member{Name: name, Lines: n, SHA256: hex.EncodeToString(h.Sum(nil))})
	return n, nil
}

// Write writes an archive of the store's books (opts.Books, or all) to w
// and returns its manifest. It reads through ViewAll if s is a
// Snapshotter, else one domain transaction at a time; see the package doc.
// w gets a complete archive only if Write returns nil: WriteFile writes
// a file so that a failed Write leaves none. Options.Seq or AsOf cut the
// books at a point in time, Options.Since makes the archive an increment
// on an earlier one, Options.Recipients encrypt the archive. Write
// streams: its memory does not grow with the number of entries (a book's
// HR, payroll and partner records are sorted in memory). Write is safe
// for concurrent use with posting and with other Writes.
func Write(ctx context.Context, w io.Writer, s Store, opts *Options) (*Manifest, error) {
	now := time.Now
	var books []string
	var spec *cutSpec
	var since *Archive
	if opts != nil {
		since = opts.Since
		if since != nil && (opts.Seq > 0 || !opts.AsOf.IsZero()) {
			return nil, fmt.Errorf("%w: an incremental archive (Since) of a point in time (Seq, AsOf)", ErrOptions)
		}
		books = opts.Books
		if opts.Now != nil {
			now = opts.Now
		}
		switch {
		case opts.Seq > 0 && !opts.AsOf.IsZero():
			return nil, fmt.Errorf("%w: Seq and AsOf together", ErrOptions)
		case opts.Seq > 0:
			spec = &cutSpec{seq: opts.Seq}
		case !opts.AsOf.IsZero():
			spec = &cutSpec{asOf: opts.AsOf.UTC()}
		}
	}
	m := &Manifest{Format: FormatName, Version: FormatVersion, CreatedAt: now().UTC().Truncate(time.Microsecond)}
	bases := map[string]*BookBase{}
	if since != nil {
		m.Base = &BaseRef{Manifest: since.Digest(), CreatedAt: since.Manifest.CreatedAt}
		for _, bs := range since.Manifest.Books {
			bases[bs.ID] = bs.continued()
		}
	}
	var enc io.WriteCloser
	if opts != nil && len(opts.Recipients) > 0 {
		var err error
		if enc, err = age.Encrypt(w, opts.Recipients...); err != nil {
			return nil, fmt.Errorf("backup: encrypt: %w", err)
		}
		w = enc
	}
	zw := zip.NewWriter(w)
	// Deflate at its fastest level: archives read as any zip's, a few
	// per cent larger, written several times faster than at the default.
	// One compressor for every member, in turn: zip closes a member's
	// before it creates the next's.
	var fw *flate.Writer
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		if fw == nil {
			var err error
			fw, err = flate.NewWriter(w, flate.BestSpeed)
			return fw, err
		}
		fw.Reset(w)
		return fw, nil
	})
	read := func(t Store) error {
		aw := &archiveWriter{zw: zw, at: m.CreatedAt}
		ids := books
		if len(ids) == 0 {
			var err error
			if ids, err = bookIDs(ctx, t); err != nil {
				return err
			}
		}
		if spec != nil && spec.seq > 0 && len(ids) != 1 {
			return fmt.Errorf("%w: Seq numbers the entries of one book, and %d books are to be written", ErrOptions, len(ids))
		}
		m.Books = m.Books[:0]
		for _, id := range ids {
			sum, err := exportBook(ctx, t, aw, id, exportSpec{cut: spec, base: bases[id]})
			if err != nil {
				return err
			}
			m.Books = append(m.Books, sum)
		}
		m.Members = aw.members
		return nil
	}
	var err error
	if sn, ok := s.(Snapshotter); ok {
		m.Consistency = "snapshot"
		err = sn.ViewAll(ctx, read)
	} else {
		m.Consistency = "per-domain"
		err = read(s)
	}
	if err != nil {
		return nil, err
	}
	mw, err := zw.CreateHeader(&zip.FileHeader{Name: "manifest.json", Method: zip.Deflate, Modified: m.CreatedAt})
	if err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	if _, err := mw.Write(append(b, '\n')); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	if enc != nil {
		if err := enc.Close(); err != nil {
			return nil, fmt.Errorf("backup: encrypt: %w", err)
		}
	}
	return m, nil
}

func bookIDs(ctx context.Context, s ledger.Store) ([]string, error) {
	var ids []string
	err := s.View(ctx, func(tx ledger.ReadTx) error {
		bs, err := tx.Books(ctx)
		ids = ids[:0]
		for _, b := range bs {
			ids = append(ids, b.ID)
		}
		return err
	})
	return ids, err
}

// continued returns where a book of an archive ends, as the base of an
// increment on it.
func (bs *BookSummary) continued() *BookBase {
	b := &BookBase{Head: bs.Head, StateHead: bs.StateHead, Periods: bs.Counts["periods.jsonl"], TrialBalance: bs.TrialBalance}
	for _, m := range bs.Whole {
		if m.Name == "periods.jsonl" {
			b.Periods = m.Lines // an increment's member holds only the new events
		}
	}
	return b
}

// exportSpec says what exportBook writes of a book.
type exportSpec struct {
	cut       *cutSpec  // a point in time, or nil
	base      *BookBase // an increment's base, or nil
	noEntries bool      // leave entries.jsonl out (a restore's read-back of an increment)
}

// exportBook writes the members of one book: all of it, cut at x.cut, or
// what came after x.base.
func exportBook(ctx context.Context, s Store, aw *archiveWriter, id string, x exportSpec) (BookSummary, error) {
	sum := BookSummary{ID: id, Counts: map[string]int{}}
	spec, base := x.cut, x.base
	whole := &archiveWriter{} // an increment's members as a full archive holds them
	count := func(name string, fn func(put func(any) error) error) error {
		n, err := aw.member(memberPath(id, name), fn)
		sum.Counts[name] = n
		if err == nil && base != nil && name != "entries.jsonl" && name != "state.jsonl" {
			m := aw.members[len(aw.members)-1]
			m.Name = name
			whole.members = append(whole.members, m)
		}
		return err
	}
	// part writes a member of which an increment holds only the records
	// after its base (of an increment, all is hashed as the whole).
	part := func(name string, all, after func(put func(any) error) error) error {
		if base == nil {
			return count(name, all)
		}
		if _, err := whole.member(name, all); err != nil {
			return err
		}
		n, err := aw.member(memberPath(id, name), after)
		sum.Counts[name] = n
		return err
	}
	var baseHead, baseState ledger.Head
	if base != nil {
		var err error
		if baseHead, err = parseHead(base.Head); err != nil {
			return sum, fmt.Errorf("backup: book %s: base: %w", id, err)
		}
		if baseState, err = parseHead(base.StateHead); err != nil {
			return sum, fmt.Errorf("backup: book %s: base: %w", id, err)
		}
	}
	// The ledger, in one transaction.
	var head, state ledger.Head
	var cut *Cut
	err := s.View(ctx, func(tx ledger.ReadTx) error {
		head, state, cut = ledger.Head{}, ledger.Head{}, nil
		b, err := tx.Book(ctx, id)
		if err != nil {
			return err
		}
		accts, err := tx.Accounts(ctx, id)
		if err != nil {
			return err
		}
		evs, err := tx.PeriodEvents(ctx, id)
		if err != nil {
			return err
		}
		var log []ledger.StateRecord
		if sr, ok := tx.(ledger.StateReader); ok {
			if err := sr.ScanState(ctx, id, func(r ledger.StateRecord) error {
				r.Data = bytes.Clone(r.Data)
				log = append(log, r)
				return nil
			}); err != nil {
				return err
			}
		}
		if spec != nil {
			cut = &Cut{Time: spec.asOf, Seq: ^uint64(0)}
			if spec.seq > 0 {
				last, err := tx.Entry(ctx, id, spec.seq)
				if errors.Is(err, ledger.ErrNotFound) {
					h, herr := tx.Head(ctx, id)
					if herr != nil {
						return herr
					}
					return fmt.Errorf("%w: entry %d: the book's last entry is %d", ErrOptions, spec.seq, h.Seq)
				}
				if err != nil {
					return err
				}
				cut.Seq, cut.Time = spec.seq, last.RecordedAt.UTC()
			}
			if b, accts, evs, log, err = cutState(id, cut, b, accts, evs, log); err != nil {
				return err
			}
		}
		newEvents, newState := evs, log
		if base != nil {
			// The base must be a prefix of the book: its last entry and
			// state record are the store's, and the store has its period
			// events.
			if baseHead.Seq > 0 {
				p, err := tx.Entry(ctx, id, baseHead.Seq)
				if errors.Is(err, ledger.ErrNotFound) {
					h, herr := tx.Head(ctx, id)
					if herr != nil {
						return herr
					}
					return &BaseError{Book: id, Where: "store", What: "entries", Base: base.Head, Got: headJSON(h)}
				}
				if err != nil {
					return err
				}
				if p.Hash != baseHead.Hash {
					return &BaseError{Book: id, Where: "store", What: "entries", Base: base.Head, Got: headJSON(ledger.Head{Seq: p.Seq, Hash: p.Hash})}
				}
			}
			var got ledger.Head
			for _, r := range log {
				if r.Seq <= baseState.Seq {
					got = ledger.Head{Seq: r.Seq, Hash: r.Hash}
				}
			}
			if got != baseState {
				return &BaseError{Book: id, Where: "store", What: "state log", Base: base.StateHead, Got: headJSON(got)}
			}
			if len(evs) < base.Periods {
				return &BaseError{Book: id, Where: "store", What: "period events", Base: HeadJSON{Seq: uint64(base.Periods)}, Got: HeadJSON{Seq: uint64(len(evs))}}
			}
			newEvents = evs[base.Periods:]
			newState = keep(log, func(r ledger.StateRecord) bool { return r.Seq > baseState.Seq })
		}
		if err := count("book.jsonl", func(put func(any) error) error { return put(b) }); err != nil {
			return err
		}
		if err := count("accounts.jsonl", putAll(accts)); err != nil {
			return err
		}
		for i := range evs {
			evs[i].At = evs[i].At.UTC()
		}
		if err := part("periods.jsonl", putAll(evs), putAll(newEvents)); err != nil {
			return err
		}
		if n := len(log); n > 0 {
			state = ledger.Head{Seq: log[n-1].Seq, Hash: log[n-1].Hash}
		}
		if err := count("state.jsonl", func(put func(any) error) error {
			for _, r := range newState {
				if err := put(stateRecord{Seq: r.Seq, Data: r.Data, Hash: hex.EncodeToString(r.Hash[:])}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
		if x.noEntries {
			return nil
		}
		tb := newTBSum(b.Currency)
		from := uint64(1)
		if base != nil {
			head, from = baseHead, baseHead.Seq+1
			if !tb.seed(base.TrialBalance) {
				from = 1 // the base has no trial balance to go on from
			}
		}
		line := make([]byte, 0, 1024) // one entry's line, reused
		err = count("entries.jsonl", func(put func(any) error) error {
			if base != nil && from == 1 {
				// Sum the base's entries without writing them.
				if err := tx.Scan(ctx, id, 1, func(p *ledger.Posted) error {
					if p.Seq > baseHead.Seq {
						return errCutReached
					}
					tb.add(p)
					return nil
				}); err != nil && !errors.Is(err, errCutReached) {
					return err
				}
			}
			err := tx.Scan(ctx, id, max(from, baseHead.Seq+1), func(p *ledger.Posted) error {
				if cut != nil && (p.Seq > cut.Seq || spec.seq == 0 && p.RecordedAt.After(cut.Time)) {
					return errCutReached
				}
				head = ledger.Head{Seq: p.Seq, Hash: p.Hash}
				tb.add(p)
				var ok bool
				if line, ok = appendEntry(line[:0], p); ok {
					return put(rawLine(line))
				}
				return put(entryRecord{Entry: p.Entry, Seq: p.Seq, RecordedAt: p.RecordedAt.UTC(),
					Digest: hex.EncodeToString(p.Digest[:]), Hash: hex.EncodeToString(p.Hash[:])})
			})
			if errors.Is(err, errCutReached) {
				return nil
			}
			return err
		})
		if err != nil {
			return err
		}
		if cut != nil {
			cut.Seq = head.Seq
		}
		if tb.partial() {
			// The base's trial balance is in the base currency, and an
			// entry after it has a foreign line without a base amount:
			// the balance per currency needs every entry.
			tb = newTBSum(b.Currency)
			if err := tx.Scan(ctx, id, 1, func(p *ledger.Posted) error {
				if p.Seq > head.Seq {
					return errCutReached
				}
				tb.add(p)
				return nil
			}); err != nil && !errors.Is(err, errCutReached) {
				return err
			}
		}
		sum.TrialBalance, err = tb.result()
		return err
	})
	if be, ok := errors.AsType[*BaseError](err); ok {
		return sum, be
	}
	if err != nil {
		return sum, fmt.Errorf("backup: book %s: %w", id, err)
	}
	sum.Head, sum.StateHead, sum.AsOf = headJSON(head), headJSON(state), cut
	if base != nil {
		b := *base
		sum.Base = &b
	}
	n, at := ^uint64(0), time.Time{}
	if cut != nil {
		n, at = cut.Seq, cut.Time
	}
	// after says whether a record made at t (zero: unknown) lies after the cut.
	after := func(t time.Time) bool { return cut != nil && !t.IsZero() && t.After(at) }

	// HR records of the book's employer.
	err = s.ViewHR(ctx, func(tx hr.ReadTx) error {
		h, err := readHR(ctx, tx, id, after)
		if err != nil {
			return err
		}
		for _, w := range []struct {
			name string
			fn   func(put func(any) error) error
		}{
			{"hr/employees.jsonl", putSorted(h.emps, func(e hr.Employee) string { return key(e.ID, e.Version) })},
			{"hr/contracts.jsonl", putSorted(h.contracts, func(c hr.Contract) string { return key(c.Employee, c.Seq) })},
			{"hr/tax_profiles.jsonl", putSorted(h.taxes, func(t hr.TaxProfile) string { return key(t.Employee, t.Seq) })},
			{"hr/time_entries.jsonl", putSorted(h.times, func(t hr.TimeEntry) string { return key(t.Employee, t.Date.String()) })},
			{"hr/absences.jsonl", putSorted(h.absences, func(a hr.Absence) string { return key(a.Employee, a.From.String()) })},
			{"hr/one_time_items.jsonl", putSorted(h.items, func(i hr.OneTimeItem) string { return key(i.Employee, i.Key) })},
		} {
			if err := count(w.name, w.fn); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return sum, fmt.Errorf("backup: book %s: HR: %w", id, err)
	}

	// Pay runs and payslips.
	err = s.ViewPayroll(ctx, func(tx payroll.ReadTx) error {
		runs, err := tx.Runs(ctx, id)
		if err != nil {
			return err
		}
		if cut != nil {
			var kept []payroll.Run
			for _, r := range runs {
				r, ok, err := runAsOf(id, r, n, after)
				if err != nil {
					return err
				}
				if ok {
					kept = append(kept, r)
				}
			}
			runs = kept
		}
		var slips []payslipRecord
		for _, r := range runs {
			for c := 1; c <= r.Calculation; c++ {
				ps, err := tx.Payslips(ctx, r.ID, c)
				if err != nil {
					return err
				}
				for _, p := range ps {
					slips = append(slips, payslipRecord{Run: r.ID, Calculation: c, Payslip: p})
				}
			}
		}
		if err := count("payroll/runs.jsonl", putSorted(runs, func(r payroll.Run) string { return r.ID })); err != nil {
			return err
		}
		return count("payroll/payslips.jsonl", putSorted(slips, func(p payslipRecord) string {
			return key(p.Run, p.Calculation, p.Payslip.Employee)
		}))
	})
	if err != nil {
		return sum, fmt.Errorf("backup: book %s: payroll: %w", id, err)
	}

	// Partners.
	err = s.ViewPartners(ctx, func(tx partners.ReadTx) error {
		set, err := tx.Settings(ctx, id)
		if err != nil {
			return err
		}
		parties, err := tx.Parties(ctx, id)
		if err != nil {
			return err
		}
		parties = keep(parties, func(p partners.Party) bool { return !after(p.RecordedAt) })
		invs, err := tx.Invoices(ctx, id, partners.InvoiceQuery{})
		if err != nil {
			return err
		}
		invs = keep(invs, func(i partners.Invoice) bool { return i.Entry <= n })
		items, err := tx.Items(ctx, id, partners.ItemQuery{})
		if err != nil {
			return err
		}
		items = keep(items, func(i partners.Item) bool { return i.Entry <= n })
		moves, err := tx.Moves(ctx, id, partners.MoveQuery{})
		if err != nil {
			return err
		}
		moves = keep(moves, func(m partners.Move) bool { return m.Entry <= n })
		// Payments are found through the moves they made.
		var pays []partners.Payment
		seen := map[string]bool{}
		for _, mv := range moves {
			if mv.Kind == partners.CreditMove || mv.Ref == "" || seen[mv.Ref] {
				continue
			}
			seen[mv.Ref] = true
			p, err := tx.Payment(ctx, id, mv.Ref)
			if errors.Is(err, partners.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if p.Entry <= n {
				pays = append(pays, p)
			}
		}
		runs, err := tx.DunningRuns(ctx, id, date.Date{}, date.Date{})
		if err != nil {
			return err
		}
		if cut != nil {
			runs = keep(runs, func(r partners.DunningRun) bool { return !after(r.CreatedAt) })
			if items, err = itemsAsOf(items, moves, runs); err != nil {
				return err
			}
		}
		// Of an increment, invoices, items, moves and payments after the
		// base's last entry: each is written with its entry.
		var since uint64
		if base != nil {
			since = baseHead.Seq
		}
		invKey := func(i partners.Invoice) string { return i.Number }
		itemKey := func(i partners.Item) string { return i.ID }
		moveKey := func(m partners.Move) string { return key(m.Entry, m.Item) }
		payKey := func(p partners.Payment) string { return p.Key }
		for _, w := range []struct {
			name     string
			fn, part func(put func(any) error) error
		}{
			{"partners/settings.jsonl", func(put func(any) error) error { return put(set) }, nil},
			{"partners/parties.jsonl", putSorted(parties, func(p partners.Party) string {
				return key(p.Number, p.ValidFrom.String(), p.RecordedAt.UTC().Format(time.RFC3339Nano))
			}), nil},
			{"partners/invoices.jsonl", putSorted(invs, invKey),
				putSorted(keep(invs, func(i partners.Invoice) bool { return i.Entry > since }), invKey)},
			{"partners/items.jsonl", putSorted(items, itemKey),
				putSorted(keep(items, func(i partners.Item) bool { return i.Entry > since }), itemKey)},
			{"partners/moves.jsonl", putSorted(moves, moveKey),
				putSorted(keep(moves, func(m partners.Move) bool { return m.Entry > since }), moveKey)},
			{"partners/payments.jsonl", putSorted(pays, payKey),
				putSorted(keep(pays, func(p partners.Payment) bool { return p.Entry > since }), payKey)},
			{"partners/dunning_runs.jsonl", putSorted(runs, func(r partners.DunningRun) string { return r.Date.String() }), nil},
		} {
			var err error
			if w.part != nil {
				err = part(w.name, w.fn, w.part)
			} else {
				err = count(w.name, w.fn)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return sum, fmt.Errorf("backup: book %s: partners: %w", id, err)
	}
	// Exchange rates: the book's own and the shared ones it sees, which a
	// restore gives the book as its own (lookups are the same).
	rates, err := s.Rates(ctx, id)
	if err != nil {
		return sum, fmt.Errorf("backup: book %s: rates: %w", id, err)
	}
	recs := make([]rateRecord, len(rates))
	for i, r := range rates {
		text := r.Rate.String()
		if e := r.Rate.Exponent(); e < 0 {
			text = r.Rate.StringFixed(-e) // the digits as written: 1.0350 stays 1.0350
		}
		recs[i] = rateRecord{Date: r.Date.String(), From: r.From.Code(), To: r.To.Code(), Rate: text, Source: r.Source}
	}
	if err := count("fx/rates.jsonl", putAll(recs)); err != nil {
		return sum, fmt.Errorf("backup: book %s: rates: %w", id, err)
	}
	if base != nil {
		sum.Whole = whole.members
	}
	return sum, nil
}

// parseHead reads a head of a manifest.
func parseHead(h HeadJSON) (ledger.Head, error) {
	if h.Seq == 0 && (h.Hash == "" || strings.Trim(h.Hash, "0") == "") {
		return ledger.Head{}, nil
	}
	hash, err := parseHash(h.Hash)
	return ledger.Head{Seq: h.Seq, Hash: hash}, err
}

// hrRecords are the HR records of one employer.
type hrRecords struct {
	emps      []hr.Employee
	contracts []hr.Contract
	taxes     []hr.TaxProfile
	times     []hr.TimeEntry
	absences  []hr.Absence
	items     []hr.OneTimeItem
}

// readHR reads every HR record of the employer id, leaving out those
// made after a cut (after(RecordedAt)) and the employees without a
// version by then.
func readHR(ctx context.Context, tx hr.ReadTx, id string, after func(time.Time) bool) (hrRecords, error) {
	var h hrRecords
	latest, err := tx.Employees(ctx, id)
	if err != nil {
		return h, err
	}
	for _, e := range latest {
		vs, err := tx.EmployeeVersions(ctx, e.ID)
		if err != nil {
			return h, err
		}
		vs = keep(vs, func(v hr.Employee) bool { return !after(v.RecordedAt) })
		if len(vs) == 0 {
			continue // hired after the cut
		}
		h.emps = append(h.emps, vs...)
		cs, err := tx.Contracts(ctx, e.ID)
		if err != nil {
			return h, err
		}
		h.contracts = append(h.contracts, keep(cs, func(c hr.Contract) bool { return !after(c.RecordedAt) })...)
		ts, err := tx.TaxProfiles(ctx, e.ID)
		if err != nil {
			return h, err
		}
		h.taxes = append(h.taxes, keep(ts, func(t hr.TaxProfile) bool { return !after(t.RecordedAt) })...)
		te, err := tx.TimeEntries(ctx, e.ID, date.Date{}, date.Date{})
		if err != nil {
			return h, err
		}
		h.times = append(h.times, keep(te, func(t hr.TimeEntry) bool { return !after(t.RecordedAt) })...)
		ab, err := tx.Absences(ctx, e.ID, date.Date{}, date.Date{})
		if err != nil {
			return h, err
		}
		h.absences = append(h.absences, keep(ab, func(a hr.Absence) bool { return !after(a.RecordedAt) })...)
		it, err := tx.OneTimeItems(ctx, e.ID, date.Date{}, date.Date{})
		if err != nil {
			return h, err
		}
		h.items = append(h.items, keep(it, func(i hr.OneTimeItem) bool { return !after(i.RecordedAt) })...)
	}
	return h, nil
}

// key joins parts into a sort key; integers are zero-padded.
func key(parts ...any) string {
	var b strings.Builder
	for _, p := range parts {
		switch v := p.(type) {
		case int:
			fmt.Fprintf(&b, "%020d", v)
		case int64:
			fmt.Fprintf(&b, "%020d", v)
		case uint64:
			fmt.Fprintf(&b, "%020d", v)
		default:
			fmt.Fprint(&b, v)
		}
		b.WriteByte(0)
	}
	return b.String()
}

func putAll[T any](xs []T) func(put func(any) error) error {
	return func(put func(any) error) error {
		for _, x := range xs {
			if err := put(x); err != nil {
				return err
			}
		}
		return nil
	}
}

// putSorted emits xs ordered by k, then by their encoding, so that the
// order a store returns them in does not matter.
func putSorted[T any](xs []T, k func(T) string) func(put func(any) error) error {
	return func(put func(any) error) error {
		type row struct {
			k   string
			enc []byte
			x   T
		}
		rows := make([]row, len(xs))
		for i, x := range xs {
			enc, err := json.Marshal(x)
			if err != nil {
				return err
			}
			rows[i] = row{k(x), enc, x}
		}
		slices.SortStableFunc(rows, func(a, b row) int {
			if c := strings.Compare(a.k, b.k); c != 0 {
				return c
			}
			return bytes.Compare(a.enc, b.enc)
		})
		for _, r := range rows {
			if err := put(r.x); err != nil {
				return err
			}
		}
		return nil
	}
}
