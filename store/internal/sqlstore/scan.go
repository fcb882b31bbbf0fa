package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// scanPage is how many entries Scan reads per query.
const scanPage = 5000

// Scan implements ledger.ReadTx. It reads a page of entries and then their
// postings, each as one range of its primary key: two sequential reads,
// where joining the postings to each entry costs a key lookup per entry
// and carries every entry column once per posting. The Posted fn gets, and
// its Lines, are reused for the next entry.
func (t *tx) Scan(ctx context.Context, book string, from uint64, fn func(*ledger.Posted) error) error {
	var (
		pg scanRows
		b  builder
	)
	after := scanStart(from)
	for first := true; ; first = false {
		if err := t.readPage(ctx, book, after, first, &pg); err != nil {
			return err
		}
		if err := b.deliver(book, &pg, fn); err != nil {
			return err
		}
		if len(pg.entries) < scanPage {
			return nil
		}
		after = pg.entries[len(pg.entries)-1].seq
	}
}

// ScanAhead implements ledger.AheadScanner: Scan, with the pages read on
// a goroutine of their own while fn runs on the caller's. The driver's
// work (SQLite's virtual machine and column copies, lib/pq's parsing of
// text rows) then runs beside building the entries and whatever fn does
// with them (Verify's hashing and sums), on another core. At most two
// pages are in memory: the one fn is given entries of and the next. Errors
// come in sequence order: a page's read error only once fn has had every
// entry before it.
func (t *tx) ScanAhead(ctx context.Context, book string, from uint64, fn func(*ledger.Posted) error) error {
	full := make(chan *scanRows, 1)
	free := make(chan *scanRows, 2)
	free <- new(scanRows)
	free <- new(scanRows)
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		defer close(full)
		after := scanStart(from)
		for first := true; ; first = false {
			var pg *scanRows
			select {
			case pg = <-free:
			case <-stop:
				return
			}
			pg.err = t.readPage(ctx, book, after, first, pg)
			select {
			case full <- pg:
			case <-stop:
				return
			}
			if pg.err != nil || len(pg.entries) < scanPage {
				return
			}
			after = pg.entries[len(pg.entries)-1].seq
		}
	}()
	// The reader has stopped, and left the transaction, before we return.
	defer func() { close(stop); <-done }()
	var b builder
	for pg := range full {
		if pg.err != nil {
			return pg.err
		}
		if err := b.deliver(book, pg, fn); err != nil {
			return err
		}
		free <- pg
	}
	return nil
}

// scanStart returns the sequence number a scan from from reads after.
func scanStart(from uint64) int64 {
	if from == 0 {
		return 0
	}
	return int64(from - 1)
}

// scanRows is one page of a scan as read: the entries' and postings'
// columns, copied out of the driver's buffers but not yet checked or
// decoded. Reading a page and building entries from it are separate
// steps, so that ScanAhead can run them on two goroutines; every check,
// and so every error about what is stored, is left to the builder, which
// reports them in sequence order.
type scanRows struct {
	entries  []entryRow
	postings []postingRow
	// arena holds the page's bytes (metadata, dimensions, decimal
	// amounts); text is the same as one string, for amounts.
	arena []byte
	text  string
	// base is the book's currency, resolved if a posting has a base amount.
	base    money.Currency
	baseErr error
	err     error // what reading the page failed with
}

type entryRow struct {
	seq, rev, adj          int64
	key                    sql.NullString
	date, at               any
	desc, voucher, journal string
	meta                   extent
	digest, hash           [32]byte
	malformed              bool // digest or hash not 32 bytes
}

type postingRow struct {
	seq, line     int64
	account, memo string
	amount, base  value
	dims          extent
	cur           money.Currency
	curErr        error
	curCode       string
	hasBase       bool
}

// extent is a range of a page's arena.
type extent struct{ off, end int32 }

// value is a column's driver value: bytes are kept in the page's arena
// (as extent), anything else as it came.
type value struct {
	v       any
	b       extent
	isBytes bool
}

// column scans one column into a value of page pg without the copy
// database/sql makes of bytes scanned into an any.
type column struct {
	pg  *scanRows
	dst *value
}

func (c *column) Scan(src any) error {
	if b, ok := src.([]byte); ok {
		*c.dst = value{b: c.pg.keep(b), isBytes: true}
		return nil
	}
	*c.dst = value{v: src}
	return nil
}

// integer scans an integer column into *p; database/sql would assign an
// int64 to an *int64 through reflection.
type integer struct{ p *int64 }

func (n integer) Scan(src any) error {
	if v, ok := src.(int64); ok {
		*n.p = v
		return nil
	}
	var v sql.NullInt64 // anything else as database/sql converts it
	if err := v.Scan(src); err != nil {
		return err
	}
	if !v.Valid {
		return fmt.Errorf("converting NULL to int64 is unsupported")
	}
	*n.p = v.Int64
	return nil
}

// keep copies b into the arena.
func (pg *scanRows) keep(b []byte) extent {
	off := len(pg.arena)
	pg.arena = append(pg.arena, b...)
	return extent{int32(off), int32(len(pg.arena))}
}

func (pg *scanRows) bytes(s extent) []byte { return pg.arena[s.off:s.end:s.end] }

// any returns v as a driver value: bytes as a string of the page's text.
func (pg *scanRows) any(v value) any {
	if v.isBytes {
		return pg.text[v.b.off:v.b.end]
	}
	return v.v
}

// readPage reads into pg up to scanPage entries with Seq > after, with
// their postings, and resolves the postings' currencies. first says it is
// the scan's first page: if it is empty, the book must exist.
func (t *tx) readPage(ctx context.Context, book string, after int64, first bool, pg *scanRows) error {
	pg.entries, pg.postings, pg.arena, pg.text = pg.entries[:0], pg.postings[:0], pg.arena[:0], ""
	rows, err := t.tx.QueryContext(ctx, rebind(t.s.d,
		"SELECT seq, key, date, description, voucher, journal, reverses, adjusts, metadata, recorded_at, digest, hash"+
			" FROM bo_entries WHERE book = ? AND seq > ? ORDER BY seq LIMIT ?"), book, after, scanPage)
	if err != nil {
		return t.wrap(err)
	}
	defer rows.Close()
	var meta, digest, hash sql.RawBytes
	for rows.Next() {
		pg.entries = append(pg.entries, entryRow{})
		r := &pg.entries[len(pg.entries)-1]
		if err := rows.Scan(integer{&r.seq}, &r.key, &r.date, &r.desc, &r.voucher, &r.journal, integer{&r.rev}, integer{&r.adj},
			&meta, &r.at, &digest, &hash); err != nil {
			return t.wrap(err)
		}
		r.meta = pg.keep(meta)
		r.malformed = len(digest) != 32 || len(hash) != 32
		copy(r.digest[:], digest)
		copy(r.hash[:], hash)
	}
	if err := rows.Err(); err != nil {
		return t.wrap(err)
	}
	rows.Close()
	if len(pg.entries) == 0 {
		if first {
			return t.bookExists(ctx, book)
		}
		return nil
	}
	rows, err = t.tx.QueryContext(ctx, rebind(t.s.d,
		"SELECT seq, line, account, currency, amount, memo, dims, base FROM bo_postings"+
			" WHERE book = ? AND seq > ? AND seq <= ? ORDER BY seq, line"), book, after, pg.entries[len(pg.entries)-1].seq)
	if err != nil {
		return t.wrap(err)
	}
	defer rows.Close()
	var (
		dims     sql.RawBytes
		amt, bas value
		code     string
	)
	amtCol, baseCol := &column{pg, &amt}, &column{pg, &bas}
	for rows.Next() {
		pg.postings = append(pg.postings, postingRow{})
		r := &pg.postings[len(pg.postings)-1]
		if err := rows.Scan(integer{&r.seq}, integer{&r.line}, &r.account, &code, amtCol, &r.memo, &dims, baseCol); err != nil {
			return t.wrap(err)
		}
		r.curCode, r.amount, r.base, r.dims = code, amt, bas, pg.keep(dims)
		r.hasBase = bas.isBytes || bas.v != nil
	}
	if err := rows.Err(); err != nil {
		return t.wrap(err)
	}
	rows.Close()
	pg.text = string(pg.arena)
	// Currencies resolve only now: a custom one may need a query, and the
	// connection is busy while rows are open.
	var last string
	var cur money.Currency
	var curErr error
	for i := range pg.postings {
		r := &pg.postings[i]
		if i == 0 || r.curCode != last {
			last = r.curCode
			cur, curErr = t.currency(ctx, last)
		}
		r.cur, r.curErr = cur, curErr
		if r.hasBase && pg.base.IsZero() && pg.baseErr == nil {
			pg.base, pg.baseErr = t.bookCurrency(ctx, book)
		}
	}
	return nil
}

// builder turns a page's rows into entries, one at a time, reusing one
// Posted and its lines.
type builder struct {
	p     ledger.Posted
	lines []ledger.Line
}

// deliver builds the entries of pg in order and calls fn with each; an
// entry stored wrongly (a line missing, a malformed digest, metadata or
// amount) is ErrTampered, returned once fn has had every entry before it.
// A posting without its entry is passed over: Verify finds the gap.
func (b *builder) deliver(book string, pg *scanRows, fn func(*ledger.Posted) error) error {
	k := 0 // the next posting
	for i := range pg.entries {
		r := &pg.entries[i]
		p := &b.p
		*p = ledger.Posted{}
		p.Seq, p.Book, p.Key, p.Reverses, p.Adjusts = uint64(r.seq), book, r.key.String, uint64(r.rev), uint64(r.adj)
		p.Description, p.Voucher, p.Journal = r.desc, r.voucher, r.journal
		var d date.Date
		if err := d.Scan(r.date); err != nil {
			return fmt.Errorf("%w: entry %d: stored date: %w", ledger.ErrTampered, r.seq, err)
		}
		p.Date = d
		var err error
		if p.Metadata, err = decodeMap(pg.bytes(r.meta)); err != nil {
			return err
		}
		if p.RecordedAt, err = scanTime(r.at); err != nil {
			return err
		}
		if r.malformed {
			return fmt.Errorf("%w: entry %d has a malformed digest or hash", ledger.ErrTampered, r.seq)
		}
		p.Digest, p.Hash = r.digest, r.hash
		lines := b.lines[:0]
		for ; k < len(pg.postings) && pg.postings[k].seq <= r.seq; k++ {
			q := &pg.postings[k]
			if q.seq < r.seq {
				continue
			}
			if q.line != int64(len(lines)) {
				return fmt.Errorf("%w: entry %d lacks line %d", ledger.ErrTampered, r.seq, len(lines))
			}
			ln := ledger.Line{Account: q.account, Memo: q.memo}
			if ln.Dimensions, err = decodeMap(pg.bytes(q.dims)); err != nil {
				return err
			}
			if q.curErr != nil {
				return q.curErr
			}
			if ln.Amount, err = scanAmount(pg.any(q.amount), q.cur); err != nil {
				return err
			}
			if q.hasBase {
				if pg.baseErr != nil {
					return pg.baseErr
				}
				if ln.Base, err = scanAmount(pg.any(q.base), pg.base); err != nil {
					return err
				}
			}
			lines = append(lines, ln)
		}
		b.lines, p.Lines = lines, lines
		if err := fn(p); err != nil {
			return err
		}
	}
	return nil
}

// ReadScanRows reads the rows Scan reads of book, page by page, with every
// column scanned into Go values (integers, strings, bytes copied out of the
// driver's buffers, currencies resolved), but builds no entries and checks
// nothing. It returns the number of postings read. It is the least a Scan
// costs: the floor of Verify on a SQL store, which benchmarks measure
// beside it.
func ReadScanRows(ctx context.Context, s *Store, book string) (postings int, err error) {
	err = s.read(ctx, func(t *tx) error {
		var pg scanRows
		after := int64(0)
		for first := true; ; first = false {
			if err := t.readPage(ctx, book, after, first, &pg); err != nil {
				return err
			}
			postings += len(pg.postings)
			if len(pg.entries) < scanPage {
				return nil
			}
			after = pg.entries[len(pg.entries)-1].seq
		}
	})
	return postings, err
}
