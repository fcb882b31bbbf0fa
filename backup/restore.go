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

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/fx"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/partners"
	"github.com/openbackoffice/backoffice/payroll"
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
}

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

// bookData is one book of an archive, decoded and checked.
type bookData struct {
	sum ledger.Head
	bs  BookSummary
	r   ledger.Restoration

	emps      []hr.Employee
	contracts []hr.Contract
	taxes     []hr.TaxProfile
	times     []hr.TimeEntry
	absences  []hr.Absence
	hrItems   []hr.OneTimeItem

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

// load decodes and checks one book: every member, both chains and their
// heads against the manifest.
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
	var head ledger.Head
	tb := newTBSum(d.r.Book.Currency)
	if err := readMember(a, p("entries.jsonl"), func(_ int, v *entryRecord) error {
		pst := ledger.Posted{Entry: v.Entry, Seq: v.Seq, RecordedAt: v.RecordedAt}
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
		if head, err = ledger.CheckEntry(reg, head, &pst); err != nil {
			return err
		}
		tb.add(&pst)
		d.r.Entries = append(d.r.Entries, pst)
		return nil
	}); err != nil {
		return nil, err
	}
	if got := headJSON(head); got != bs.Head {
		return nil, &ArchiveError{Member: p("entries.jsonl"), Err: fmt.Errorf("chain ends at entry %d, the manifest's head is entry %d or has another hash", got.Seq, bs.Head.Seq)}
	}
	d.sum = head
	if bs.AsOf != nil && bs.AsOf.Seq != bs.Head.Seq {
		return nil, &ArchiveError{Member: manifestName, Err: fmt.Errorf("book %s is cut at entry %d, its head is entry %d", bs.ID, bs.AsOf.Seq, bs.Head.Seq)}
	}
	if a.Manifest.Version >= 3 {
		got, err := tb.result()
		if err != nil {
			return nil, &ArchiveError{Member: p("entries.jsonl"), Err: err}
		}
		if bs.TrialBalance == nil {
			return nil, &ArchiveError{Member: manifestName, Err: fmt.Errorf("book %s has no trial balance", bs.ID)}
		}
		if diff := sameBalances(got, bs.TrialBalance); diff != "" {
			return nil, &ArchiveError{Member: manifestName, Err: fmt.Errorf("book %s: trial balance of the entries differs: %s", bs.ID, diff)}
		}
	}
	errs := []error{
		collect(a, p("hr/employees.jsonl"), &d.emps),
		collect(a, p("hr/contracts.jsonl"), &d.contracts),
		collect(a, p("hr/tax_profiles.jsonl"), &d.taxes),
		collect(a, p("hr/time_entries.jsonl"), &d.times),
		collect(a, p("hr/absences.jsonl"), &d.absences),
		collect(a, p("hr/one_time_items.jsonl"), &d.hrItems),
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
	for _, e := range d.emps {
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

// Verify reads and checks the whole archive on its own: every member's
// line count and SHA-256, every line, every entry's digest and both hash
// chains of every book recomputed, and their heads against the manifest.
// reg resolves currencies (nil: ISO 4217 only). The first problem is
// returned as an *ArchiveError naming the member and line.
func (a *Archive) Verify(reg *money.Registry) error {
	_, err := a.loadAll(nil, reg)
	return err
}

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

// Restore checks the whole archive (as Verify) and writes its books
// (opts.Books, or all) into s, then checks the result: ledger Verify
// returns the manifest's head, partners Verify passes, and every restored
// book read back encodes to members with the manifest's hashes. Into a
// Transactor everything runs in one transaction: an error leaves s as it
// was. A book that exists in s already is refused with an error wrapping
// ledger.ErrDuplicate. Restore should be the only writer of the books it
// restores while it runs.
func Restore(ctx context.Context, s Store, a *Archive, opts *Options) error {
	var books []string
	if opts != nil {
		books = opts.Books
	}
	data, err := a.loadAll(books, nil)
	if err != nil {
		return err
	}
	write := func(t Store) error {
		for _, d := range data {
			if err := restoreBook(ctx, t, d); err != nil {
				return fmt.Errorf("backup: restore book %s: %w", d.bs.ID, err)
			}
		}
		for _, d := range data {
			if err := a.check(ctx, t, d); err != nil {
				return fmt.Errorf("backup: restored book %s: %w", d.bs.ID, err)
			}
		}
		return nil
	}
	if tr, ok := s.(Transactor); ok {
		return tr.UpdateAll(ctx, write)
	}
	return write(s)
}

func restoreBook(ctx context.Context, s Store, d *bookData) error {
	id := d.bs.ID
	if _, err := ledger.New(s, nil).Restore(ctx, d.r); err != nil {
		return err
	}
	err := s.UpdateHR(ctx, func(tx hr.Tx) error {
		for _, e := range d.emps {
			if err := tx.AddEmployee(ctx, e); err != nil {
				return fmt.Errorf("employee %s version %d: %w", e.ID, e.Version, err)
			}
		}
		for _, c := range d.contracts {
			if err := tx.AddContract(ctx, c); err != nil {
				return fmt.Errorf("contract %s/%d: %w", c.Employee, c.Seq, err)
			}
		}
		for _, t := range d.taxes {
			if err := tx.AddTaxProfile(ctx, t); err != nil {
				return fmt.Errorf("tax profile %s/%d: %w", t.Employee, t.Seq, err)
			}
		}
		if len(d.times) > 0 {
			if err := tx.AddTimeEntries(ctx, d.times); err != nil {
				return err
			}
		}
		if len(d.absences) > 0 {
			if err := tx.AddAbsences(ctx, d.absences); err != nil {
				return err
			}
		}
		for _, it := range d.hrItems {
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
			draft := r
			draft.Status = payroll.Draft
			if err := tx.AddRun(ctx, draft); err != nil {
				return fmt.Errorf("run %s: %w", r.ID, err)
			}
			for c := 1; c <= r.Calculation; c++ {
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
			if r.Status != payroll.Draft {
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
		if _, err := s.PutRates(ctx, d.bs.ID, d.rates); err != nil {
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
	aw := &archiveWriter{}
	if _, err := exportBook(ctx, s, aw, id, nil); err != nil {
		return err
	}
	for _, m := range aw.members {
		if strings.HasSuffix(m.Name, "/fx/rates.jsonl") {
			continue // the store may hold shared rates besides: checked below
		}
		if want := a.members[m.Name]; m != want {
			return fmt.Errorf("%w: %s read back from the store differs from the archive (%d lines, %d in the archive)",
				ErrCorrupt, strings.TrimPrefix(m.Name, "books/"+id+"/"), m.Lines, want.Lines)
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
