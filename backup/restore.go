package backup

import (
	"archive/zip"
	"bufio"
	"bytes"
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

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/fx"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/partners"
	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/store/memory"
)

const manifestName = "manifest.json"

// Archive is an archive opened for reading. Its Manifest has been checked
// against the archive's list of members; the members themselves are
// checked by Verify and Restore.
type Archive struct {
	Manifest  Manifest
	files     map[string]*zip.File
	members   map[string]Member
	encrypted bool
	closer    io.Closer // the file OpenFile opened
	digest    string    // SHA-256 of manifest.json in hex
}

// Digest returns the archive's digest: the SHA-256 of its manifest.json in
// hex, by which an incremental archive names its base (Manifest.Base).
// The manifest holds every member's SHA-256, so the digest stands for the
// whole archive.
func (a *Archive) Digest() string { return a.digest }

// Open opens the archive in r (size bytes) and checks its manifest: the
// format and version, that every member of every book is listed and
// present, and that the archive holds no other file. Errors wrap
// ErrCorrupt (as an *ArchiveError) or ErrVersion; an encrypted archive is
// ErrEncrypted (open it with OpenEncrypted or OpenFile).
func Open(r io.ReaderAt, size int64) (*Archive, error) {
	if IsEncrypted(r) {
		return nil, ErrEncrypted
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, &ArchiveError{Member: "(zip directory)", Err: fmt.Errorf("not a complete zip archive: %w", err)}
	}
	a := &Archive{files: map[string]*zip.File{}, members: map[string]Member{}}
	for _, f := range zr.File {
		if _, dup := a.files[f.Name]; dup {
			return nil, &ArchiveError{Member: f.Name, Err: errors.New("member appears twice")}
		}
		a.files[f.Name] = f
	}
	mf, ok := a.files[manifestName]
	if !ok {
		return nil, &ArchiveError{Member: manifestName, Err: errors.New("missing")}
	}
	rc, err := mf.Open()
	if err != nil {
		return nil, &ArchiveError{Member: manifestName, Err: err}
	}
	b, err := io.ReadAll(io.LimitReader(rc, 64<<20))
	rc.Close()
	if err != nil {
		return nil, &ArchiveError{Member: manifestName, Err: err}
	}
	sum := sha256.Sum256(b)
	a.digest = hex.EncodeToString(sum[:])
	var probe struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, &ArchiveError{Member: manifestName, Err: fmt.Errorf("not JSON: %w", err)}
	}
	if probe.Format != FormatName {
		return nil, fmt.Errorf("%w: format %q, want %q", ErrVersion, probe.Format, FormatName)
	}
	if probe.Version < 1 || probe.Version > FormatVersion {
		return nil, fmt.Errorf("%w: version %d, this reader knows up to %d", ErrVersion, probe.Version, FormatVersion)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a.Manifest); err != nil {
		return nil, &ArchiveError{Member: manifestName, Err: err}
	}
	for _, m := range a.Manifest.Members {
		if _, dup := a.members[m.Name]; dup {
			return nil, &ArchiveError{Member: manifestName, Err: fmt.Errorf("member %s listed twice", m.Name)}
		}
		a.members[m.Name] = m
	}
	want := map[string]bool{manifestName: true}
	for _, bk := range a.Manifest.Books {
		if (bk.Base != nil || len(bk.Whole) > 0) && a.Manifest.Base == nil {
			return nil, &ArchiveError{Member: manifestName, Err: fmt.Errorf("book %s continues a base, but the archive names none", bk.ID)}
		}
		for _, name := range membersOf(a.Manifest.Version) {
			p := memberPath(bk.ID, name)
			want[p] = true
			m, ok := a.members[p]
			if !ok {
				return nil, &ArchiveError{Member: p, Err: errors.New("not listed in the manifest")}
			}
			if _, ok := a.files[p]; !ok {
				return nil, &ArchiveError{Member: p, Err: errors.New("missing")}
			}
			if n, ok := bk.Counts[name]; !ok || n != m.Lines {
				return nil, &ArchiveError{Member: p, Err: fmt.Errorf("book counts %d lines, member list %d", n, m.Lines)}
			}
		}
	}
	for name := range a.files {
		if !want[name] {
			return nil, &ArchiveError{Member: name, Err: errors.New("not part of any book of the manifest")}
		}
	}
	for name := range a.members {
		if !want[name] {
			return nil, &ArchiveError{Member: manifestName, Err: fmt.Errorf("lists member %s of no book", name)}
		}
	}
	return a, nil
}

// readMember decodes every line of a member into a new T, calling fn with
// its line number, and checks the member's line count and SHA-256 against
// the manifest.
func readMember[T any](a *Archive, name string, fn func(line int, v *T) error) error {
	m := a.members[name]
	rc, err := a.files[name].Open()
	if err != nil {
		return &ArchiveError{Member: name, Err: err}
	}
	defer rc.Close()
	h := sha256.New()
	br := bufio.NewReaderSize(io.TeeReader(rc, h), 1<<16)
	line := 0
	for {
		b, err := br.ReadBytes('\n')
		if len(b) > 0 {
			line++
			if b[len(b)-1] != '\n' {
				return &ArchiveError{Member: name, Line: line, Err: errors.New("truncated: the line does not end")}
			}
			dec := json.NewDecoder(bytes.NewReader(b))
			dec.DisallowUnknownFields()
			v := new(T)
			if derr := dec.Decode(v); derr != nil {
				return &ArchiveError{Member: name, Line: line, Err: derr}
			}
			if dec.More() {
				return &ArchiveError{Member: name, Line: line, Err: errors.New("more than one value on the line")}
			}
			if ferr := fn(line, v); ferr != nil {
				if p, ok := ferr.(passThrough); ok {
					return p.err
				}
				return &ArchiveError{Member: name, Line: line, Err: ferr}
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return &ArchiveError{Member: name, Line: line + 1, Err: err}
		}
	}
	if line != m.Lines {
		return &ArchiveError{Member: name, Err: fmt.Errorf("holds %d lines, the manifest says %d", line, m.Lines)}
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != m.SHA256 {
		return &ArchiveError{Member: name, Err: errors.New("SHA-256 differs from the manifest")}
	}
	return nil
}

// passThrough is an error of readMember's fn that is not about the
// member's line (a store's, restoring it), which readMember returns as it
// is.
type passThrough struct{ err error }

func (p passThrough) Error() string { return p.err.Error() }

// collect is readMember appending every value to *dst.
func collect[T any](a *Archive, name string, dst *[]T) error {
	return readMember(a, name, func(_ int, v *T) error { *dst = append(*dst, *v); return nil })
}

func parseHash(s string) ([32]byte, error) {
	var h [32]byte
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 32 {
		return h, fmt.Errorf("hash %q is not 64 hex digits", s)
	}
	copy(h[:], b)
	return h, nil
}

// bookData is one book of an archive: every member but its entries,
// decoded and checked. Its entries are read, checked and restored as they
// stream from the archive (Archive.scanEntries), never held all at once.
type bookData struct {
	bs BookSummary
	r  ledger.Restoration // without entries; of an increment, its events and state records

	hr hrRecords

	runs  []payroll.Run
	slips []payslipRecord

	rates []fx.Rate

	settings []partners.Settings
	parties  []partners.Party
	invoices []partners.Invoice
	items    []partners.Item
	moves    []partners.Move
	payments []partners.Payment
	dunning  []partners.DunningRun
}

// load decodes and checks one book's members but its entries: the state
// log's chain (from the base's head, of an increment) and its head
// against the manifest.
func (a *Archive) load(bs BookSummary, reg *money.Registry) (*bookData, error) {
	d := &bookData{bs: bs}
	p := func(name string) string { return memberPath(bs.ID, name) }
	var books []ledger.Book
	if err := collect(a, p("book.jsonl"), &books); err != nil {
		return nil, err
	}
	if len(books) != 1 || books[0].ID != bs.ID {
		return nil, &ArchiveError{Member: p("book.jsonl"), Err: fmt.Errorf("does not hold book %s alone", bs.ID)}
	}
	d.r.Book = books[0]
	if err := readMember(a, p("accounts.jsonl"), func(_ int, v *ledger.Account) error {
		if v.Book != bs.ID {
			return fmt.Errorf("account %s belongs to book %q", v.Code, v.Book)
		}
		d.r.Accounts = append(d.r.Accounts, *v)
		return nil
	}); err != nil {
		return nil, err
	}
	if err := readMember(a, p("periods.jsonl"), func(_ int, v *ledger.PeriodEvent) error {
		if v.Book != bs.ID {
			return fmt.Errorf("period event of book %q", v.Book)
		}
		d.r.Events = append(d.r.Events, *v)
		return nil
	}); err != nil {
		return nil, err
	}
	var state ledger.Head
	if bs.Base != nil {
		var err error
		if state, err = parseHead(bs.Base.StateHead); err != nil {
			return nil, &ArchiveError{Member: manifestName, Err: fmt.Errorf("book %s: base: %w", bs.ID, err)}
		}
		if _, err = parseHead(bs.Base.Head); err != nil {
			return nil, &ArchiveError{Member: manifestName, Err: fmt.Errorf("book %s: base: %w", bs.ID, err)}
		}
	}
	if err := readMember(a, p("state.jsonl"), func(_ int, v *stateRecord) error {
		h, err := parseHash(v.Hash)
		if err != nil {
			return err
		}
		r := ledger.StateRecord{Seq: v.Seq, Data: v.Data, Hash: h}
		if state, err = ledger.CheckState(state, r); err != nil {
			return err
		}
		d.r.State = append(d.r.State, r)
		return nil
	}); err != nil {
		return nil, err
	}
	if got := headJSON(state); got != bs.StateHead {
		return nil, &ArchiveError{Member: p("state.jsonl"), Err: fmt.Errorf("ends at state record %d, the manifest's head is %d or has another hash", got.Seq, bs.StateHead.Seq)}
	}
	if bs.AsOf != nil && bs.AsOf.Seq != bs.Head.Seq {
		return nil, &ArchiveError{Member: manifestName, Err: fmt.Errorf("book %s is cut at entry %d, its head is entry %d", bs.ID, bs.AsOf.Seq, bs.Head.Seq)}
	}
	if a.Manifest.Version >= 3 && bs.TrialBalance == nil {
		return nil, &ArchiveError{Member: manifestName, Err: fmt.Errorf("book %s has no trial balance", bs.ID)}
	}
	errs := []error{
		collect(a, p("hr/employees.jsonl"), &d.hr.emps),
		collect(a, p("hr/contracts.jsonl"), &d.hr.contracts),
		collect(a, p("hr/tax_profiles.jsonl"), &d.hr.taxes),
		collect(a, p("hr/time_entries.jsonl"), &d.hr.times),
		collect(a, p("hr/absences.jsonl"), &d.hr.absences),
		collect(a, p("hr/one_time_items.jsonl"), &d.hr.items),
		collect(a, p("payroll/runs.jsonl"), &d.runs),
		collect(a, p("payroll/payslips.jsonl"), &d.slips),
		collect(a, p("partners/settings.jsonl"), &d.settings),
		collect(a, p("partners/parties.jsonl"), &d.parties),
		collect(a, p("partners/invoices.jsonl"), &d.invoices),
		collect(a, p("partners/items.jsonl"), &d.items),
		collect(a, p("partners/moves.jsonl"), &d.moves),
		collect(a, p("partners/payments.jsonl"), &d.payments),
		collect(a, p("partners/dunning_runs.jsonl"), &d.dunning),
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	for _, e := range d.hr.emps {
		if e.Employer != bs.ID {
			return nil, &ArchiveError{Member: p("hr/employees.jsonl"), Err: fmt.Errorf("employee %s of employer %q", e.ID, e.Employer)}
		}
	}
	if len(d.settings) != 1 {
		return nil, &ArchiveError{Member: p("partners/settings.jsonl"), Err: errors.New("must hold one line")}
	}
	if a.Manifest.Version >= 2 {
		if err := readMember(a, p("fx/rates.jsonl"), func(line int, r *rateRecord) error {
			rate, err := r.rate(reg)
			if err != nil {
				return &ArchiveError{Member: p("fx/rates.jsonl"), Line: line, Err: err}
			}
			d.rates = append(d.rates, rate)
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// entryBatch entries at a time, at most entryBatches batches ahead, go
// from scanEntries' reader to its fn.
const (
	entryBatch   = 256
	entryBatches = 4
)

// errStopped stops scanEntries' reader when fn failed.
var errStopped = errors.New("backup: stopped")

// scanEntries returns a Scan (ledger.Restoration.Scan) of the book's
// entries: it reads entries.jsonl line by line, checks every entry
// (ledger.CheckEntry, from the base's head of an increment) and hands it
// to fn; at the end it checks the member's line count and SHA-256, the
// chain's head and the trial balance against the manifest. A bad line is
// an *ArchiveError, returned after fn has had every entry before it; an
// error of fn is returned as it is. Memory stays flat: a few batches of
// entries at a time.
func (a *Archive) scanEntries(d *bookData, reg *money.Registry) func(fn func(*ledger.Posted) error) error {
	return func(fn func(*ledger.Posted) error) error {
		bs := d.bs
		name := memberPath(bs.ID, "entries.jsonl")
		var head ledger.Head
		tb := newTBSum(d.r.Book.Currency)
		sumTB := a.Manifest.Version >= 3
		if bs.Base != nil {
			var err error
			if head, err = parseHead(bs.Base.Head); err != nil {
				return &ArchiveError{Member: manifestName, Err: fmt.Errorf("book %s: base: %w", bs.ID, err)}
			}
			// Without the base's trial balance in the base currency there
			// is nothing to add the increment to; Restore compares the
			// restored store's with the manifest's.
			sumTB = sumTB && tb.seed(bs.Base.TrialBalance)
		}
		// The member is read, decoded and checked on a goroutine of its own,
		// a core apart from fn (the store's writes), and handed over in
		// batches; at most entryBatches of them wait, so memory stays flat.
		batches := make(chan []*ledger.Posted, entryBatches)
		stop := make(chan struct{})
		var readErr error
		go func() {
			defer close(batches)
			batch := make([]*ledger.Posted, 0, entryBatch)
			send := func() bool {
				select {
				case batches <- batch:
					batch = make([]*ledger.Posted, 0, entryBatch)
					return true
				case <-stop:
					return false
				}
			}
			readErr = readMember(a, name, func(_ int, v *entryRecord) error {
				pst := &ledger.Posted{Entry: v.Entry, Seq: v.Seq, RecordedAt: v.RecordedAt}
				var err error
				if pst.Digest, err = parseHash(v.Digest); err != nil {
					return err
				}
				if pst.Hash, err = parseHash(v.Hash); err != nil {
					return err
				}
				if pst.Book != bs.ID {
					return fmt.Errorf("entry %d belongs to book %q", pst.Seq, pst.Book)
				}
				if head, err = ledger.CheckEntry(reg, head, pst); err != nil {
					return err
				}
				if sumTB {
					tb.add(pst)
				}
				if batch = append(batch, pst); len(batch) == entryBatch && !send() {
					return passThrough{errStopped}
				}
				return nil
			})
			if readErr == nil && len(batch) > 0 {
				send()
			}
		}()
		stopped := false
		halt := func() {
			if !stopped {
				stopped = true
				close(stop)
			}
		}
		// Should fn panic, the reader is stopped and waited for all the same.
		defer func() {
			halt()
			for range batches {
			}
		}()
		var fnErr error
		for batch := range batches {
			for _, p := range batch {
				if fnErr != nil {
					break
				}
				if fnErr = fn(p); fnErr != nil {
					halt() // the reader stops; the loop drains what it sent
				}
			}
		}
		// The reader has returned: batches is closed.
		if fnErr != nil {
			return fnErr
		}
		if readErr != nil {
			return readErr
		}
		if got := headJSON(head); got != bs.Head {
			return &ArchiveError{Member: name, Err: fmt.Errorf("chain ends at entry %d, the manifest's head is entry %d or has another hash", got.Seq, bs.Head.Seq)}
		}
		if sumTB && !tb.partial() {
			got, err := tb.result()
			if err != nil {
				return &ArchiveError{Member: name, Err: err}
			}
			if diff := sameBalances(got, bs.TrialBalance); diff != "" {
				return &ArchiveError{Member: manifestName, Err: fmt.Errorf("book %s: trial balance of the entries differs: %s", bs.ID, diff)}
			}
		}
		return nil
	}
}

// Verify reads and checks the whole archive on its own: every member's
// line count and SHA-256, every line, every entry's digest and both hash
// chains of every book recomputed, and their heads and trial balances
// against the manifest. Of an incremental archive the chains start where
// the base's end (as its manifest says), and the trial balance is the
// base's plus the increment's entries. reg resolves currencies (nil: ISO
// 4217 only). The first problem is returned as an *ArchiveError naming
// the member and line. Verify reads one entry at a time: its memory does
// not grow with the number of entries.
func (a *Archive) Verify(reg *money.Registry) error {
	data, err := a.loadAll(nil, reg)
	if err != nil {
		return err
	}
	for _, d := range data {
		if err := a.scanEntries(d, reg)(func(*ledger.Posted) error { return nil }); err != nil {
			return err
		}
	}
	return nil
}

// loadAll loads the books (all if none) with load.
func (a *Archive) loadAll(books []string, reg *money.Registry) ([]*bookData, error) {
	var out []*bookData
	for _, bs := range a.Manifest.Books {
		if len(books) > 0 && !slices.Contains(books, bs.ID) {
			continue
		}
		d, err := a.load(bs, reg)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	for _, id := range books {
		if !slices.ContainsFunc(out, func(d *bookData) bool { return d.bs.ID == id }) {
			return nil, fmt.Errorf("backup: book %s: %w", id, ledger.ErrUnknownBook)
		}
	}
	return out, nil
}

// Restore checks the archive and writes its books (opts.Books, or all)
// into s, then checks the result: ledger Verify returns the manifest's
// head, partners Verify passes, the store's trial balance is the
// manifest's, and every restored book read back encodes to members with
// the manifest's hashes. A book of a full archive must not exist in s (an
// error wrapping ledger.ErrDuplicate); a book of an incremental archive
// must end in s exactly where the archive's base ends (else a *BaseError,
// ErrBase), and gets what came after. Restore is RestoreChain of one
// archive; see it for atomicity and memory.
func Restore(ctx context.Context, s Store, a *Archive, opts *Options) error {
	return RestoreChain(ctx, s, []*Archive{a}, opts)
}

// RestoreChain restores archives in order, each after the first an
// increment on the one before (its Manifest.Base is the previous one's
// Digest; else a *ChainError, ErrChain, before anything is read): a full
// archive and its increments, or increments on what s holds already. It
// checks and writes every book as Restore does, and checks each book's
// result against the last archive that holds it.
//
// Into a Transactor (store/sqlite, store/postgres) or a *memory.Store
// everything runs in one transaction, so a restore that fails anywhere (a
// bad line late in an archive, a target that does not hold the base)
// leaves s as it was: each archive's entries are checked as they are
// written, a bad one rolls back the whole. Into any other store every
// archive is verified whole first (Archive.Verify), then written, and a
// failure of the store while writing may leave part of it.
//
// Restore reads entries one at a time from the archive, so its memory
// does not grow with the number of entries (the store's own aside); a
// book's HR, payroll, partner and rate records are held while it is
// written. It should be the only writer of the books it restores while
// it runs.
func RestoreChain(ctx context.Context, s Store, archives []*Archive, opts *Options) error {
	if len(archives) == 0 {
		return fmt.Errorf("%w: no archive to restore", ErrOptions)
	}
	for i := 1; i < len(archives); i++ {
		if b := archives[i].Manifest.Base; b == nil || b.Manifest != archives[i-1].Digest() {
			ce := &ChainError{Index: i, Previous: archives[i-1].Digest()}
			if b != nil {
				ce.Base = b.Manifest
			}
			return ce
		}
	}
	var books []string
	if opts != nil {
		books = opts.Books
	}
	data := make([][]*bookData, len(archives))
	for i, a := range archives {
		var err error
		if data[i], err = a.loadAll(books, nil); err != nil {
			return err
		}
	}
	write := func(t Store) error {
		last := map[string]int{} // book → the last archive holding it
		var order []*bookData
		for i, a := range archives {
			for _, d := range data[i] {
				var err error
				if d.bs.Base == nil {
					err = a.restoreBook(ctx, t, d)
				} else {
					err = a.continueBook(ctx, t, d)
				}
				if err != nil {
					var be *BaseError
					if errors.As(err, &be) {
						return be
					}
					return fmt.Errorf("backup: restore book %s: %w", d.bs.ID, err)
				}
				if _, ok := last[d.bs.ID]; !ok {
					order = append(order, d)
				}
				last[d.bs.ID] = i
			}
		}
		for _, d := range order {
			i := last[d.bs.ID]
			ld := data[i][slices.IndexFunc(data[i], func(x *bookData) bool { return x.bs.ID == d.bs.ID })]
			if err := archives[i].check(ctx, t, ld); err != nil {
				return fmt.Errorf("backup: restored book %s: %w", d.bs.ID, err)
			}
		}
		return nil
	}
	switch t := s.(type) {
	case Transactor:
		return t.UpdateAll(ctx, write)
	case *memory.Store:
		return t.UpdateAll(ctx, func(b *memory.Bound) error { return write(b) })
	}
	for _, a := range archives {
		for _, d := range data[slices.Index(archives, a)] {
			if err := a.scanEntries(d, nil)(func(*ledger.Posted) error { return nil }); err != nil {
				return err
			}
		}
	}
	return write(s)
}

// restoreBook writes a book of a full archive (or one an increment
// holds whole) into s, which must not have it.
func (a *Archive) restoreBook(ctx context.Context, s Store, d *bookData) error {
	r := d.r
	r.Scan = a.scanEntries(d, nil)
	if _, err := ledger.New(s, nil).Restore(ctx, r); err != nil {
		return err
	}
	return writeDomains(ctx, s, d, nil)
}

// continueBook writes what an incremental archive holds of a book into s,
// which must hold the book exactly as the archive's base does.
func (a *Archive) continueBook(ctx context.Context, s Store, d *bookData) error {
	id, base := d.bs.ID, d.bs.Base
	from, _ := parseHead(base.Head) // checked by load
	fromState, _ := parseHead(base.StateHead)
	var stored []ledger.Account
	err := s.View(ctx, func(tx ledger.ReadTx) error {
		if _, err := tx.Book(ctx, id); errors.Is(err, ledger.ErrUnknownBook) {
			return &BaseError{Book: id, Where: "target", What: "entries", Base: base.Head, Missing: true}
		} else if err != nil {
			return err
		}
		h, err := tx.Head(ctx, id)
		if err != nil {
			return err
		}
		if h != from {
			return &BaseError{Book: id, Where: "target", What: "entries", Base: base.Head, Got: headJSON(h)}
		}
		if sr, ok := tx.(ledger.StateReader); ok {
			var sh ledger.Head
			if err := sr.ScanState(ctx, id, func(r ledger.StateRecord) error {
				sh = ledger.Head{Seq: r.Seq, Hash: r.Hash}
				return nil
			}); err != nil {
				return err
			}
			if sh != fromState {
				return &BaseError{Book: id, Where: "target", What: "state log", Base: base.StateHead, Got: headJSON(sh)}
			}
		}
		evs, err := tx.PeriodEvents(ctx, id)
		if err != nil {
			return err
		}
		if len(evs) != base.Periods {
			return &BaseError{Book: id, Where: "target", What: "period events", Base: HeadJSON{Seq: uint64(base.Periods)}, Got: HeadJSON{Seq: uint64(len(evs))}}
		}
		stored, err = tx.Accounts(ctx, id)
		return err
	})
	if err != nil {
		return err
	}
	byCode := make(map[string]ledger.Account, len(stored))
	for _, acc := range stored {
		byCode[acc.Code] = acc
	}
	var changed []ledger.Account
	for _, acc := range d.r.Accounts {
		if old, ok := byCode[acc.Code]; !ok || !sameAccount(old, acc) {
			changed = append(changed, acc)
		}
	}
	if _, err := ledger.New(s, nil).Continue(ctx, ledger.Continuation{
		Book: d.r.Book, Accounts: changed, Events: d.r.Events, State: d.r.State,
		From: from, FromState: fromState, Scan: a.scanEntries(d, nil),
	}); err != nil {
		return err
	}
	var ex existing
	if err := s.ViewHR(ctx, func(tx hr.ReadTx) error {
		var err error
		ex.hr, err = readHR(ctx, tx, id, func(time.Time) bool { return false })
		return err
	}); err != nil {
		return fmt.Errorf("HR: %w", err)
	}
	if err := s.ViewPayroll(ctx, func(tx payroll.ReadTx) error {
		runs, err := tx.Runs(ctx, id)
		ex.runs = map[string]payroll.Run{}
		for _, r := range runs {
			ex.runs[r.ID] = r
		}
		return err
	}); err != nil {
		return fmt.Errorf("payroll: %w", err)
	}
	if err := s.ViewPartners(ctx, func(tx partners.ReadTx) error {
		parties, err := tx.Parties(ctx, id)
		if err != nil {
			return err
		}
		ex.parties = map[string]bool{}
		for _, p := range parties {
			ex.parties[partyKey(p)] = true
		}
		runs, err := tx.DunningRuns(ctx, id, date.Date{}, date.Date{})
		ex.dunning = map[date.Date]bool{}
		for _, r := range runs {
			ex.dunning[r.Date] = true
		}
		return err
	}); err != nil {
		return fmt.Errorf("partners: %w", err)
	}
	return writeDomains(ctx, s, d, &ex)
}

// existing is what a target holds of the records an incremental archive
// carries whole (see "Incremental archives" in the package doc).
type existing struct {
	hr      hrRecords
	runs    map[string]payroll.Run
	parties map[string]bool // by partyKey
	dunning map[date.Date]bool
}

func partyKey(p partners.Party) string {
	return key(p.Number, p.ValidFrom.String(), p.RecordedAt.UTC().Format(time.RFC3339Nano))
}

// jsonKey is v's encoding, by which records without an identity of their
// own (time entries, absences) are counted.
func jsonKey(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// writeDomains writes a book's HR, payroll, partner records and rates
// into s: all of them for a book restored whole (ex nil), else those
// that ex, what s holds, lacks.
func writeDomains(ctx context.Context, s Store, d *bookData, ex *existing) error {
	id := d.bs.ID
	if ex == nil {
		ex = &existing{}
	}
	has := func(keys []string) map[string]int {
		m := map[string]int{}
		for _, k := range keys {
			m[k]++
		}
		return m
	}
	mapKeys := func(n int, k func(int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = k(i)
		}
		return out
	}
	emps := has(mapKeys(len(ex.hr.emps), func(i int) string { return key(ex.hr.emps[i].ID, ex.hr.emps[i].Version) }))
	contracts := has(mapKeys(len(ex.hr.contracts), func(i int) string { return key(ex.hr.contracts[i].Employee, ex.hr.contracts[i].Seq) }))
	taxes := has(mapKeys(len(ex.hr.taxes), func(i int) string { return key(ex.hr.taxes[i].Employee, ex.hr.taxes[i].Seq) }))
	items := has(mapKeys(len(ex.hr.items), func(i int) string { return key(ex.hr.items[i].Employee, ex.hr.items[i].Key) }))
	times := has(mapKeys(len(ex.hr.times), func(i int) string { return jsonKey(ex.hr.times[i]) }))
	absences := has(mapKeys(len(ex.hr.absences), func(i int) string { return jsonKey(ex.hr.absences[i]) }))
	// take reports whether k is new, and counts off one that is not.
	take := func(m map[string]int, k string) bool {
		if m[k] > 0 {
			m[k]--
			return false
		}
		return true
	}
	err := s.UpdateHR(ctx, func(tx hr.Tx) error {
		for _, e := range d.hr.emps {
			if !take(emps, key(e.ID, e.Version)) {
				continue
			}
			if err := tx.AddEmployee(ctx, e); err != nil {
				return fmt.Errorf("employee %s version %d: %w", e.ID, e.Version, err)
			}
		}
		for _, c := range d.hr.contracts {
			if !take(contracts, key(c.Employee, c.Seq)) {
				continue
			}
			if err := tx.AddContract(ctx, c); err != nil {
				return fmt.Errorf("contract %s/%d: %w", c.Employee, c.Seq, err)
			}
		}
		for _, t := range d.hr.taxes {
			if !take(taxes, key(t.Employee, t.Seq)) {
				continue
			}
			if err := tx.AddTaxProfile(ctx, t); err != nil {
				return fmt.Errorf("tax profile %s/%d: %w", t.Employee, t.Seq, err)
			}
		}
		newTimes := keep(d.hr.times, func(t hr.TimeEntry) bool { return take(times, jsonKey(t)) })
		if len(newTimes) > 0 {
			if err := tx.AddTimeEntries(ctx, newTimes); err != nil {
				return err
			}
		}
		newAbsences := keep(d.hr.absences, func(a hr.Absence) bool { return take(absences, jsonKey(a)) })
		if len(newAbsences) > 0 {
			if err := tx.AddAbsences(ctx, newAbsences); err != nil {
				return err
			}
		}
		for _, it := range d.hr.items {
			if !take(items, key(it.Employee, it.Key)) {
				continue
			}
			if err := tx.AddOneTimeItem(ctx, it); err != nil {
				return fmt.Errorf("one-time item %s/%s: %w", it.Employee, it.Key, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("HR: %w", err)
	}
	err = s.UpdatePayroll(ctx, func(tx payroll.Tx) error {
		runs := slices.Clone(d.runs)
		// Posted runs in the order they were posted, so that their payslips
		// become posted in that order.
		slices.SortStableFunc(runs, func(a, b payroll.Run) int { return cmpUint(a.PostSeq, b.PostSeq) })
		for _, r := range runs {
			done := 0 // calculations whose payslips s holds
			old, ok := ex.runs[r.ID]
			switch {
			case ok && jsonKey(old) == jsonKey(r):
				continue
			case ok:
				if old.Calculation > r.Calculation {
					return fmt.Errorf("run %s: %w: the target has calculation %d, the archive %d", r.ID, ErrBase, old.Calculation, r.Calculation)
				}
				done = old.Calculation
			default:
				draft := r
				draft.Status = payroll.Draft
				if err := tx.AddRun(ctx, draft); err != nil {
					return fmt.Errorf("run %s: %w", r.ID, err)
				}
			}
			for c := done + 1; c <= r.Calculation; c++ {
				var slips []payroll.Payslip
				for _, p := range d.slips {
					if p.Run == r.ID && p.Calculation == c {
						slips = append(slips, p.Payslip)
					}
				}
				if len(slips) == 0 {
					continue
				}
				if err := tx.AddPayslips(ctx, r.ID, c, slips); err != nil {
					return fmt.Errorf("run %s calculation %d: %w", r.ID, c, err)
				}
			}
			if ok || r.Status != payroll.Draft {
				if err := tx.SetRun(ctx, r); err != nil {
					return fmt.Errorf("run %s: %w", r.ID, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("payroll: %w", err)
	}
	err = s.UpdatePartners(ctx, func(tx partners.Tx) error {
		if err := tx.SetSettings(ctx, d.settings[0]); err != nil {
			return err
		}
		for _, p := range d.parties {
			if ex.parties[partyKey(p)] {
				continue
			}
			if err := tx.AddParty(ctx, p); err != nil {
				return fmt.Errorf("party %s: %w", p.Number, err)
			}
		}
		invs := slices.Clone(d.invoices)
		slices.SortStableFunc(invs, func(a, b partners.Invoice) int {
			return cmpStrings(a.Series, b.Series, fmt.Sprintf("%020d", len(a.Number)), fmt.Sprintf("%020d", len(b.Number)), a.Number, b.Number)
		})
		for _, inv := range invs {
			// Draw the series' numbers again, so that the next invoice
			// continues it; they must come out as the archive has them.
			n, err := tx.NextNumber(ctx, id, inv.Series)
			if err != nil {
				return err
			}
			if want := fmt.Sprintf("%s%05d", inv.Series, n); want != inv.Number {
				return fmt.Errorf("invoice %s: %w: series %s continues at %s", inv.Number, ErrCorrupt, inv.Series, want)
			}
			if err := tx.AddInvoice(ctx, inv); err != nil {
				return fmt.Errorf("invoice %s: %w", inv.Number, err)
			}
		}
		for _, it := range d.items {
			it.Open, it.DunningLevel, it.LastDunned = it.Amount, 0, date.Date{}
			if err := tx.AddItem(ctx, it); err != nil {
				return fmt.Errorf("item %s: %w", it.ID, err)
			}
		}
		if len(d.moves) > 0 {
			if err := tx.AddMoves(ctx, id, d.moves); err != nil {
				return fmt.Errorf("moves: %w", err)
			}
		}
		for _, p := range d.payments {
			if err := tx.AddPayment(ctx, p); err != nil {
				return fmt.Errorf("payment %s: %w", p.Key, err)
			}
		}
		for _, r := range d.dunning {
			if ex.dunning[r.Date] {
				continue
			}
			if err := tx.AddDunningRun(ctx, r); err != nil {
				return fmt.Errorf("dunning run %s: %w", r.Date, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("partners: %w", err)
	}
	if len(d.rates) > 0 {
		if _, err := s.PutRates(ctx, id, d.rates); err != nil {
			return fmt.Errorf("rates: %w", err)
		}
	}
	return nil
}

// check verifies a restored book in s and compares it, read back, with the
// archive's members.
func (a *Archive) check(ctx context.Context, s Store, d *bookData) error {
	id := d.bs.ID
	head, err := ledger.New(s, nil).Verify(ctx, id)
	if err != nil {
		return err
	}
	if headJSON(head) != d.bs.Head {
		return fmt.Errorf("%w: chain head is entry %d, the manifest's entry %d", ErrCorrupt, head.Seq, d.bs.Head.Seq)
	}
	if err := partners.New(s, nil).Verify(ctx, id); err != nil {
		return err
	}
	if tb := d.bs.TrialBalance; tb != nil {
		got, err := storeBalances(ctx, s, id, tb.In)
		if err != nil {
			return err
		}
		if diff := sameBalances(got, tb); diff != "" {
			return fmt.Errorf("%w: the restored trial balance differs from the manifest's: %s", ErrCorrupt, diff)
		}
	}
	// Read back, every member must hash as the archive's; of an
	// increment, as the whole book's (BookSummary.Whole). The entries are
	// not read a third time: Verify recomputed every stored entry's digest
	// (of all its content) and the chain (with every recording time) to
	// the manifest's head, so they are the archive's. Of an increment the
	// state log is not compared either: the member holds part of it, and
	// Verify checked its chain to the manifest's state head.
	want := func(name string) Member { return a.members[memberPath(id, name)] }
	if d.bs.Base != nil {
		whole := map[string]Member{}
		for _, m := range d.bs.Whole {
			whole[m.Name] = m
		}
		want = func(name string) Member {
			m, ok := whole[name]
			if !ok {
				m.Lines = -1 // not listed: never equal
			}
			m.Name = memberPath(id, name)
			return m
		}
	}
	aw := &archiveWriter{}
	if _, err := exportBook(ctx, s, aw, id, exportSpec{noEntries: true}); err != nil {
		return err
	}
	for _, m := range aw.members {
		name := strings.TrimPrefix(m.Name, "books/"+id+"/")
		switch {
		case name == "fx/rates.jsonl":
			continue // the store may hold shared rates besides: checked below
		case d.bs.Base != nil && name == "state.jsonl":
			continue
		}
		if w := want(name); m != w {
			return fmt.Errorf("%w: %s read back from the store differs from the archive (%d lines, %d in the archive)",
				ErrCorrupt, name, m.Lines, w.Lines)
		}
	}
	stored, err := s.Rates(ctx, id)
	if err != nil {
		return err
	}
	t, err := fx.NewTable(stored...)
	if err != nil {
		return err
	}
	for _, r := range d.rates {
		got, err := t.Lookup(r.From, r.To, r.Date)
		if err != nil || got.Date != r.Date || got.From != r.From || !got.Rate.Equal(r.Rate) {
			return fmt.Errorf("%w: the %s→%s rate of %s read back from the store differs from the archive", ErrCorrupt, r.From.Code(), r.To.Code(), r.Date)
		}
	}
	return nil
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// cmpStrings compares pairs (a0, b0), (a1, b1) … in turn.
func cmpStrings(pairs ...string) int {
	for i := 0; i+1 < len(pairs); i += 2 {
		if c := strings.Compare(pairs[i], pairs[i+1]); c != 0 {
			return c
		}
	}
	return 0
}

// rate parses r, resolving currencies with reg (nil: ISO 4217 only).
func (r *rateRecord) rate(reg *money.Registry) (fx.Rate, error) {
	lookup := money.ParseCurrency
	if reg != nil {
		lookup = reg.Lookup
	}
	d, err := date.Parse(r.Date)
	if err != nil {
		return fx.Rate{}, err
	}
	from, err := lookup(r.From)
	if err != nil {
		return fx.Rate{}, err
	}
	to, err := lookup(r.To)
	if err != nil {
		return fx.Rate{}, err
	}
	v, err := decimal.NewFromString(r.Rate)
	if err != nil {
		return fx.Rate{}, err
	}
	out := fx.Rate{Date: d, From: from, To: to, Rate: v, Source: r.Source}
	return out, out.Validate()
}
