package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// Columns of bo_entries and bo_postings as Append writes them.
var (
	entryCols   = []string{"book", "seq", "key", "date", "description", "voucher", "journal", "reverses", "adjusts", "metadata", "recorded_at", "digest", "hash"}
	postingCols = []string{"book", "seq", "line", "account", "currency", "amount", "memo", "dims", "date", "closing", "base"}
	dimCols     = []string{"book", "seq", "line", "name", "value"}
)

// Append implements ledger.Tx. It moves the chain head first: the schema
// refuses entries beyond the head, and checks every appended range at commit.
func (t *tx) Append(ctx context.Context, book string, entries []ledger.Posted) error {
	if err := t.writable(); err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	// Rows, and the changes to maintained balances and totals, summed per key.
	type totKey struct {
		acct    string
		cur     money.Currency
		level   int64
		bucket  int64
		closing bool
	}
	// Sums per side of the amounts (dr, cr), of the base amounts (bdr,
	// bcr) and of the amounts of the postings with one (vdr, vcr).
	type drcr struct{ dr, cr, bdr, bcr, vdr, vcr int64 }
	var (
		nlines, ndims int
		bal           = map[ledger.BalanceKey]int64{}
		tot           = map[totKey]drcr{}
		curs          []money.Currency
	)
	add := func(a *int64, n int64) error {
		s, ok := money.AddMinor(*a, n)
		if !ok {
			return ledger.ErrOverflow
		}
		*a = s
		return nil
	}
	for i := range entries {
		p := &entries[i]
		closing := p.Journal == ledger.JournalClosing
		month, year := monthNumber(p.Date), int64(p.Date.Year())
		for _, l := range p.Lines {
			nlines++
			ndims += len(l.Dimensions)
			c := l.Amount.Currency()
			if !slices.Contains(curs, c) {
				curs = append(curs, c)
			}
			n := l.Amount.MinorUnits()
			k := ledger.BalanceKey{Account: l.Account, Currency: c}
			b := bal[k]
			if err := add(&b, n); err != nil {
				return err
			}
			bal[k] = b
			for _, lv := range [...][2]int64{{1, month}, {2, year}} {
				tk := totKey{l.Account, c, lv[0], lv[1], closing}
				v := tot[tk]
				var err error
				switch b := l.Base.MinorUnits(); {
				case n > 0 && l.Converted():
					err = cmp.Or(add(&v.dr, n), add(&v.bdr, b), add(&v.vdr, n))
				case n > 0:
					err = add(&v.dr, n)
				case l.Converted():
					err = cmp.Or(add(&v.cr, -n), add(&v.bcr, -b), add(&v.vcr, -n))
				default:
					err = add(&v.cr, -n)
				}
				if err != nil {
					return err
				}
				tot[tk] = v
			}
		}
	}
	for _, c := range curs {
		if err := t.registerCurrency(ctx, c); err != nil {
			return err
		}
	}

	type lineRef struct{ e, l int }
	refs := make([]lineRef, 0, nlines)
	for i := range entries {
		for j := range entries[i].Lines {
			refs = append(refs, lineRef{i, j})
		}
	}
	type dim struct {
		ref         lineRef
		name, value string
	}
	ds := make([]dim, 0, ndims)
	for _, r := range refs {
		for name, value := range entries[r.e].Lines[r.l].Dimensions {
			ds = append(ds, dim{r, name, value})
		}
	}
	// Maintained balances and totals go in key order, so that concurrent
	// writers (of other books, or around the library) lock rows in one order.
	bkeys := make([]ledger.BalanceKey, 0, len(bal))
	for k := range bal {
		bkeys = append(bkeys, k)
	}
	slices.SortFunc(bkeys, func(a, b ledger.BalanceKey) int {
		return cmp.Or(strings.Compare(a.Account, b.Account), strings.Compare(a.Currency.Code(), b.Currency.Code()))
	})
	tkeys := make([]totKey, 0, len(tot))
	for k := range tot {
		tkeys = append(tkeys, k)
	}
	slices.SortFunc(tkeys, func(a, b totKey) int {
		return cmp.Or(strings.Compare(a.acct, b.acct), strings.Compare(a.cur.Code(), b.cur.Code()),
			cmp.Compare(a.level, b.level), cmp.Compare(a.bucket, b.bucket), boolCmp(a.closing, b.closing))
	})
	parts := []part{
		{table: "bo_entries", cols: entryCols, types: entryTypes, n: len(entries), row: func(i int, dst []any) {
			p := &entries[i]
			var key any
			if p.Key != "" {
				key = p.Key
			}
			meta, _ := encodeMap(p.Metadata)
			dst[0], dst[1], dst[2], dst[3], dst[4], dst[5], dst[6] = book, int64(p.Seq), key, p.Date.String(), p.Description, p.Voucher, p.Journal
			dst[7], dst[8], dst[9], dst[10], dst[11], dst[12] = int64(p.Reverses), int64(p.Adjusts), meta, t.s.d.Time(p.RecordedAt), p.Digest[:], p.Hash[:]
		}},
		{table: "bo_postings", cols: postingCols, types: postingTypes, n: nlines, row: func(i int, dst []any) {
			p := &entries[refs[i].e]
			l := &p.Lines[refs[i].l]
			dims, _ := encodeMap(l.Dimensions)
			dst[0], dst[1], dst[2], dst[3], dst[4] = book, int64(p.Seq), int64(refs[i].l), l.Account, l.Amount.Currency().Code()
			dst[5], dst[6], dst[7], dst[8], dst[9] = t.s.d.Amount(l.Amount), l.Memo, dims, p.Date.String(), p.Journal == ledger.JournalClosing
			dst[10] = nil
			if l.Converted() {
				dst[10] = t.s.d.Amount(l.Base)
			}
		}},
		{table: "bo_dims", cols: dimCols, types: dimTypes, n: len(ds), row: func(i int, dst []any) {
			d := &ds[i]
			dst[0], dst[1], dst[2], dst[3], dst[4] = book, int64(entries[d.ref.e].Seq), int64(d.ref.l), d.name, d.value
		}},
		{upsert: t.q.upsertBalances, types: balanceTypes, n: len(bkeys), row: func(i int, dst []any) {
			k := bkeys[i]
			dst[0], dst[1], dst[2], dst[3] = book, k.Account, k.Currency.Code(), bal[k]
		}},
		{upsert: t.q.upsertTotals, types: totalTypes, n: len(tkeys), row: func(i int, dst []any) {
			k := tkeys[i]
			v := tot[k]
			dst[0], dst[1], dst[2], dst[3], dst[4], dst[5], dst[6], dst[7] = book, k.acct, k.cur.Code(), k.level, k.bucket, k.closing, v.dr, v.cr
			dst[8], dst[9], dst[10], dst[11] = v.bdr, v.bcr, v.vdr, v.vcr
		}},
	}
	if d := t.s.d; d.Array != nil && !d.HeadLast && len(entries) < d.BulkMin {
		return t.appendOne(ctx, book, entries, parts)
	}
	if !t.s.d.HeadLast {
		if err := t.moveHead(ctx, book, entries); err != nil {
			return err
		}
	}
	for _, pt := range parts {
		var err error
		if pt.upsert != "" {
			err = t.upsert(ctx, pt.upsert, len(pt.types), pt.n, pt.row)
		} else {
			err = t.insert(ctx, pt.table, pt.cols, pt.n, pt.row)
		}
		if err != nil {
			return err
		}
		if t.s.d.HeadLast && pt.table == "bo_dims" {
			// Entries and postings are in: moving the head checks them.
			if err := t.moveHead(ctx, book, entries); err != nil {
				return err
			}
		}
	}
	return nil
}

// part is one table's share of an append: plain rows for table, or rows
// for an upsert statement whose row source is %s.
type part struct {
	table  string
	cols   []string
	upsert string
	types  []string // PostgreSQL column types, for arrays
	n      int
	row    func(i int, dst []any)
}

// PostgreSQL types of the columns Append writes, in order.
var (
	entryTypes   = []string{"text", "bigint", "text", "date", "text", "text", "text", "bigint", "bigint", "jsonb", "timestamptz", "bytea", "bytea"}
	postingTypes = []string{"text", "bigint", "integer", "text", "text", "numeric", "text", "jsonb", "date", "boolean", "numeric"}
	dimTypes     = []string{"text", "bigint", "integer", "text", "text"}
	balanceTypes = []string{"text", "text", "text", "bigint"}
	totalTypes   = []string{"text", "text", "text", "smallint", "bigint", "boolean", "bigint", "bigint", "bigint", "bigint", "bigint", "bigint"}
)

// appendOne writes a small append as one statement: the head move and
// every table's rows as data-modifying CTEs over arrays, one round trip in
// all, where a statement per table would cost a round trip each. Concurrent
// posts are limited by how long a book's head stays locked, and round
// trips are most of that.
func (t *tx) appendOne(ctx context.Context, book string, entries []ledger.Posted, parts []part) error {
	first, last := &entries[0], &entries[len(entries)-1]
	var b strings.Builder
	b.WriteString("WITH h AS (UPDATE bo_books SET head_seq = ?, head_hash = ? WHERE id = ? AND head_seq = ? RETURNING 1)")
	args := []any{int64(last.Seq), last.Hash[:], book, int64(first.Seq - 1)}
	for k, pt := range parts {
		if pt.n == 0 {
			continue
		}
		cols := make([][]any, len(pt.types))
		vals := make([]any, len(pt.types))
		for i := range pt.n {
			pt.row(i, vals)
			for j, v := range vals {
				cols[j] = append(cols[j], arrayText(v))
			}
		}
		var src strings.Builder
		src.WriteString("SELECT * FROM unnest(")
		for j := range cols {
			if j > 0 {
				src.WriteString(", ")
			}
			src.WriteString("CAST(? AS " + pt.types[j] + "[])")
			args = append(args, t.s.d.Array(cols[j]))
		}
		src.WriteString(")")
		fmt.Fprintf(&b, ", c%d AS (", k)
		if pt.upsert != "" {
			head, tail, _ := strings.Cut(pt.upsert, "%s")
			b.WriteString(head + src.String() + tail)
		} else {
			b.WriteString("INSERT INTO " + pt.table + " (" + strings.Join(pt.cols, ", ") + ") " + src.String())
		}
		b.WriteString(")")
	}
	b.WriteString(" SELECT count(*) FROM h")
	var n int
	if err := t.tx.QueryRowContext(ctx, rebind(t.s.d, b.String()), args...).Scan(&n); err != nil {
		return t.wrap(err)
	}
	if n != 1 {
		return fmt.Errorf("%w: entries do not continue the chain of book", ledger.ErrState)
	}
	return nil
}

// arrayText renders a value for a PostgreSQL array literal, whose elements
// are text the server parses by the array's type.
func arrayText(v any) any {
	switch v := v.(type) {
	case nil, string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	case bool:
		return strconv.FormatBool(v)
	case []byte:
		return `\x` + hex.EncodeToString(v)
	case time.Time:
		return v.UTC().Format("2006-01-02T15:04:05.999999Z07:00")
	}
	return fmt.Sprint(v)
}

// moveHead sets the book's chain head to the last of entries, which must
// continue from the current head.
func (t *tx) moveHead(ctx context.Context, book string, entries []ledger.Posted) error {
	first, last := &entries[0], &entries[len(entries)-1]
	res, err := t.exec(ctx, t.q.moveHead, int64(last.Seq), last.Hash[:], book, int64(first.Seq-1))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return t.wrap(err)
	} else if n != 1 {
		return fmt.Errorf("%w: entries do not continue the chain of book", ledger.ErrState)
	}
	return nil
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// insert writes n rows into table: through the dialect's bulk path for
// many rows, else as multi-row INSERTs.
func (t *tx) insert(ctx context.Context, table string, cols []string, n int, row func(i int, dst []any)) error {
	if n == 0 {
		return nil
	}
	if d := t.s.d; d.Bulk != nil && n >= d.BulkMin {
		return t.wrap(d.Bulk(ctx, t.tx, table, cols, n, row))
	}
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	return t.multi(ctx, head, "", len(cols), n, row)
}

// upsert runs an INSERT … ON CONFLICT statement (q, whose row source is
// "%s") over n rows of width columns: as one statement over arrays where
// the dialect has them, else as multi-row VALUES.
func (t *tx) upsert(ctx context.Context, q string, width, n int, row func(i int, dst []any)) error {
	if n == 0 {
		return nil
	}
	head, tail, _ := strings.Cut(q, "%s")
	if t.s.d.Array == nil {
		return t.multi(ctx, head+"VALUES ", tail, width, n, row)
	}
	// Transpose the rows into one typed slice per column.
	cols := make([]any, width)
	casts := make([]string, width)
	vals := make([]any, width)
	for i := range n {
		row(i, vals)
		for j, v := range vals {
			switch v := v.(type) {
			case string:
				if i == 0 {
					cols[j], casts[j] = make([]string, 0, n), "text[]"
				}
				cols[j] = append(cols[j].([]string), v)
			case int64:
				if i == 0 {
					cols[j], casts[j] = make([]int64, 0, n), "bigint[]"
				}
				cols[j] = append(cols[j].([]int64), v)
			case bool:
				if i == 0 {
					cols[j], casts[j] = make([]bool, 0, n), "boolean[]"
				}
				cols[j] = append(cols[j].([]bool), v)
			default:
				return fmt.Errorf("sqlstore: cannot upsert a %T as an array", v)
			}
		}
	}
	var b strings.Builder
	b.WriteString(head)
	b.WriteString("SELECT * FROM unnest(")
	args := make([]any, width)
	for j := range cols {
		if j > 0 {
			b.WriteString(", ")
		}
		b.WriteString("CAST(? AS " + casts[j] + ")")
		args[j] = t.s.d.Array(cols[j])
	}
	b.WriteString(")")
	b.WriteString(tail)
	_, err := t.exec(ctx, rebind(t.s.d, b.String()), args...)
	return err
}

// multi runs head VALUES (…), (…) tail for n rows, as few statements as the
// dialect's parameter limit allows.
func (t *tx) multi(ctx context.Context, head, tail string, width, n int, row func(i int, dst []any)) error {
	tuple := "(" + strings.Repeat("?, ", width-1) + "?)"
	per := max(1, min(t.s.d.MaxParams/width, 1000))
	var full *sql.Stmt
	var b strings.Builder
	args := make([]any, 0, min(n, per)*width)
	for lo := 0; lo < n; lo += per {
		hi := min(lo+per, n)
		b.Reset()
		b.WriteString(head)
		args = args[:0]
		for i := lo; i < hi; i++ {
			if i > lo {
				b.WriteString(", ")
			}
			b.WriteString(tuple)
			args = args[:len(args)+width]
			row(i, args[len(args)-width:])
		}
		b.WriteString(tail)
		q := rebind(t.s.d, b.String())
		if hi-lo == per && n > per { // a full chunk of a long append: parse its shape once
			if full == nil {
				var err error
				if full, err = t.tx.PrepareContext(ctx, q); err != nil {
					return t.wrap(err)
				}
				defer full.Close()
			}
			if _, err := full.ExecContext(ctx, args...); err != nil {
				return t.wrap(err)
			}
			continue
		}
		if _, err := t.exec(ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}

// entryFilter builds the WHERE clause over bo_entries e for q.
func entryFilter(q ledger.EntryQuery, args []any) (string, []any) {
	var w strings.Builder
	w.WriteString("e.book = ?")
	if q.After > 0 {
		w.WriteString(" AND e.seq > ?")
		args = append(args, int64(q.After))
	}
	if q.Key != "" {
		w.WriteString(" AND e.key = ?")
		args = append(args, q.Key)
	}
	if !q.From.IsZero() {
		w.WriteString(" AND e.date >= ?")
		args = append(args, q.From.String())
	}
	if !q.To.IsZero() {
		w.WriteString(" AND e.date <= ?")
		args = append(args, q.To.String())
	}
	if q.Voucher != "" {
		w.WriteString(" AND e.voucher = ?")
		args = append(args, q.Voucher)
	}
	if q.Journal != "" {
		w.WriteString(" AND e.journal = ?")
		args = append(args, q.Journal)
	}
	switch {
	case q.Account != "" && q.Dimension.Name != "":
		w.WriteString(" AND EXISTS (SELECT 1 FROM bo_postings x JOIN bo_dims d ON d.book = x.book AND d.seq = x.seq AND d.line = x.line" +
			" WHERE x.book = e.book AND x.seq = e.seq AND x.account = ? AND d.name = ? AND d.value = ?)")
		args = append(args, q.Account, q.Dimension.Name, q.Dimension.Value)
	case q.Account != "":
		w.WriteString(" AND EXISTS (SELECT 1 FROM bo_postings x WHERE x.book = e.book AND x.seq = e.seq AND x.account = ?)")
		args = append(args, q.Account)
	case q.Dimension.Name != "":
		w.WriteString(" AND EXISTS (SELECT 1 FROM bo_dims d WHERE d.book = e.book AND d.seq = e.seq AND d.name = ? AND d.value = ?)")
		args = append(args, q.Dimension.Name, q.Dimension.Value)
	}
	return w.String(), args
}

// load reads the entries selected by where (over bo_entries e, args after
// the book) with their lines, in sequence order, at most limit (all if ≤ 0).
func (t *tx) load(ctx context.Context, book, where string, args []any, limit int) ([]ledger.Posted, error) {
	return t.loadFrom(ctx, book, "bo_entries e", nil, where, args, limit, false)
}

// loadFrom is load over the FROM clause from (bo_entries e, perhaps joined
// to rows that drive the lookup), whose parameters are fromArgs.
//
// The entries are the outer loop of the join with their postings (CROSS
// JOIN fixes the order in SQLite; PostgreSQL's planner is free), and
// without a limit the query is one flat join: without statistics SQLite
// takes "book = ?" for selective, and "e JOIN bo_postings p" over a CTE
// walked every posting of the book through bo_postings_account (or built
// an automatic index of them) for every query — a re-import of 50,000
// entries took 60 s instead of 5 (issue 14, docs/BENCHMARKS.md).
//
// With materialize the entries are selected first, in a CTE AS
// MATERIALIZED, and then joined with their postings: PostgreSQL otherwise
// hash-joins a list of keys against a scan of all the book's entries.
func (t *tx) loadFrom(ctx context.Context, book, from string, fromArgs []any, where string, args []any, limit int, materialize bool) ([]ledger.Posted, error) {
	var b strings.Builder
	const cols = "e.seq, e.key, e.date, e.description, e.voucher, e.journal, e.reverses, e.adjusts, e.metadata, e.recorded_at, e.digest, e.hash," +
		" p.line, p.account, p.currency, p.amount, p.memo, p.dims, p.base"
	if limit <= 0 && !materialize {
		b.WriteString("SELECT " + cols + " FROM ")
		b.WriteString(from)
		b.WriteString(" CROSS JOIN bo_postings p WHERE ")
		b.WriteString(where)
		b.WriteString(" AND p.book = ? AND p.seq = e.seq ORDER BY e.seq, p.line")
	} else {
		b.WriteString("WITH e AS ")
		if materialize {
			b.WriteString("MATERIALIZED ")
		}
		b.WriteString("(SELECT e.seq, e.key, e.date, e.description, e.voucher, e.journal, e.reverses, e.adjusts, e.metadata, e.recorded_at, e.digest, e.hash FROM ")
		b.WriteString(from)
		b.WriteString(" WHERE ")
		b.WriteString(where)
		b.WriteString(" ORDER BY e.seq")
		if limit > 0 {
			b.WriteString(" LIMIT ?")
			args = append(args, limit)
		}
		b.WriteString(") SELECT " + cols + " FROM e CROSS JOIN bo_postings p WHERE p.book = ? AND p.seq = e.seq ORDER BY e.seq, p.line")
	}
	all := make([]any, 0, len(fromArgs)+len(args)+2)
	all = append(all, fromArgs...)
	all = append(all, book)
	all = append(all, args...)
	all = append(all, book)
	rows, err := t.tx.QueryContext(ctx, rebind(t.s.d, b.String()), all...)
	if err != nil {
		return nil, t.wrap(err)
	}
	defer rows.Close()
	var (
		out  []ledger.Posted
		raw  []rawAmount
		last int64 = -1
	)
	for rows.Next() {
		var (
			seq, rev, adj      int64
			key                sql.NullString
			d                  date.Date
			desc, vou, jnl     string
			meta, digest, hash []byte
			at                 any
			line               int
			acct, cur, memo    string
			amt, base          any
			dims               []byte
		)
		if err := rows.Scan(&seq, &key, &d, &desc, &vou, &jnl, &rev, &adj, &meta, &at, &digest, &hash, &line, &acct, &cur, &amt, &memo, &dims, &base); err != nil {
			return nil, t.wrap(err)
		}
		if seq != last {
			last = seq
			p := ledger.Posted{Seq: uint64(seq)}
			p.Book, p.Key, p.Date, p.Description, p.Voucher, p.Journal = book, key.String, d, desc, vou, jnl
			p.Reverses, p.Adjusts = uint64(rev), uint64(adj)
			if p.Metadata, err = decodeMap(meta); err != nil {
				return nil, err
			}
			if p.RecordedAt, err = scanTime(at); err != nil {
				return nil, err
			}
			if len(digest) != 32 || len(hash) != 32 {
				return nil, fmt.Errorf("%w: entry %d has a malformed digest or hash", ledger.ErrTampered, seq)
			}
			copy(p.Digest[:], digest)
			copy(p.Hash[:], hash)
			out = append(out, p)
		}
		p := &out[len(out)-1]
		if line != len(p.Lines) {
			return nil, fmt.Errorf("%w: entry %d lacks line %d", ledger.ErrTampered, seq, len(p.Lines))
		}
		l := ledger.Line{Account: acct, Memo: memo}
		if l.Dimensions, err = decodeMap(dims); err != nil {
			return nil, err
		}
		p.Lines = append(p.Lines, l)
		raw = append(raw, rawAmount{cur, amt, base})
	}
	if err := rows.Err(); err != nil {
		return nil, t.wrap(err)
	}
	rows.Close()
	if err := t.resolveAmounts(ctx, out, raw); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		if err := t.bookExists(ctx, book); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Entry implements ledger.ReadTx.
func (t *tx) Entry(ctx context.Context, book string, seq uint64) (ledger.Posted, error) {
	ps, err := t.load(ctx, book, "e.book = ? AND e.seq = ?", []any{int64(seq)}, 0)
	if err != nil {
		return ledger.Posted{}, err
	}
	if len(ps) == 0 {
		return ledger.Posted{}, ledger.ErrNotFound
	}
	return ps[0], nil
}

// EntryByKey implements ledger.ReadTx.
func (t *tx) EntryByKey(ctx context.Context, book, key string) (ledger.Posted, error) {
	ps, err := t.load(ctx, book, "e.book = ? AND e.key = ?", []any{key}, 0)
	if err != nil {
		return ledger.Posted{}, err
	}
	if len(ps) == 0 {
		return ledger.Posted{}, ledger.ErrNotFound
	}
	return ps[0], nil
}

// EntriesByKey implements ledger.ReadTx. It first asks which keys exist,
// an index-only lookup, and loads just those entries: a batch of new keys,
// the usual case, costs one light query.
func (t *tx) EntriesByKey(ctx context.Context, book string, keys []string) ([]ledger.Posted, error) {
	found, err := t.existingKeys(ctx, book, keys)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, t.bookExists(ctx, book)
	}
	var out []ledger.Posted
	for chunk := range chunks(found, 500) {
		args := make([]any, len(chunk))
		for i, k := range chunk {
			args[i] = k
		}
		// The keys drive the lookup, one index probe each; with
		// "e.key IN (…)" SQLite walked the book's entries by primary key.
		var ps []ledger.Posted
		var err error
		if t.s.d.Array != nil { // PostgreSQL: the key index, then the postings
			ps, err = t.loadFrom(ctx, book, "bo_entries e", nil, "e.book = ? AND e.key = ANY(CAST(? AS text[]))", []any{t.s.d.Array(chunk)}, 0, true)
		} else {
			ps, err = t.loadFrom(ctx, book, "(VALUES "+valueRows(len(chunk))+") k CROSS JOIN bo_entries e", args, "e.book = ? AND e.key = k.column1", nil, 0, false)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, ps...)
	}
	return out, nil
}

// valueRows returns n one-column VALUES rows of placeholders: "(?), (?)".
func valueRows(n int) string {
	return strings.TrimSuffix(strings.Repeat("(?), ", n), ", ")
}

// existingKeys returns those of keys that are posted in book.
func (t *tx) existingKeys(ctx context.Context, book string, keys []string) ([]string, error) {
	var found []string
	scan := func(q string, args ...any) error {
		rows, err := t.tx.QueryContext(ctx, q, args...)
		if err != nil {
			return t.wrap(err)
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				return t.wrap(err)
			}
			found = append(found, k)
		}
		return t.wrap(rows.Err())
	}
	if t.s.d.Array != nil {
		err := scan(rebind(t.s.d, "SELECT key FROM bo_entries WHERE book = ? AND key = ANY(CAST(? AS text[]))"), book, t.s.d.Array(keys))
		return found, err
	}
	for chunk := range chunks(keys, 500) {
		args := make([]any, 0, len(chunk)+1)
		args = append(args, book)
		for _, k := range chunk {
			args = append(args, k)
		}
		if err := scan(rebind(t.s.d, "SELECT key FROM bo_entries WHERE book = ? AND key IN ("+placeholders(len(chunk))+")"), args...); err != nil {
			return nil, err
		}
	}
	return found, nil
}

// Entries implements ledger.ReadTx.
func (t *tx) Entries(ctx context.Context, book string, q ledger.EntryQuery) ([]ledger.Posted, error) {
	where, args := entryFilter(q, nil)
	return t.load(ctx, book, where, args, q.Limit)
}

// Totals implements ledger.ReadTx from bo_totals, which holds debit and
// credit sums per account, currency, month and year: a range is covered by
// whole years, then whole months, and only the days of a month cut by the
// range's edges are summed from the postings (see Dialect.PostingDates).
// So a trial balance for periods reads a few rows per account, never
// postings. With a Dimension it sums the postings that carry it.
func (t *tx) Totals(ctx context.Context, book string, q ledger.TotalsQuery) ([]ledger.Totals, error) {
	if q.Dimension.Name != "" {
		query, args := dimTotalsQuery(book, q)
		rs, err := t.totalsRows(ctx, query, args, true)
		if err != nil {
			return nil, err
		}
		return t.finishTotals(ctx, book, rs)
	}
	var end date.Date // exclusive; zero: no end
	if !q.To.IsZero() && q.To.Before(lastDay) {
		end = q.To.AddDays(1)
	}
	var open, rng []span
	if !q.From.IsZero() {
		open = cover(date.Date{}, q.From)
	}
	if end.IsZero() || q.From.Before(end) {
		rng = cover(q.From, end)
	}
	split := func(ss []span) (coarse, days []span) {
		for _, s := range ss {
			if s.level == 0 {
				days = append(days, s)
			} else {
				coarse = append(coarse, s)
			}
		}
		return coarse, days
	}
	openC, openD := split(open)
	rngC, rngD := split(rng)
	var rs []totalsRow
	if len(openC)+len(rngC) > 0 {
		query, args := totalsQuery(book, q, openC, rngC)
		var err error
		if rs, err = t.totalsRows(ctx, query, args, false); err != nil {
			return nil, err
		}
	}
	if len(openD)+len(rngD) > 0 {
		query, args := dayTotalsQuery(t.s.d, book, q, openD, rngD)
		ds, err := t.totalsRows(ctx, query, args, true)
		if err != nil {
			return nil, err
		}
		rs = mergeTotals(rs, ds)
	}
	return t.finishTotals(ctx, book, rs)
}

// totalsRow is one row of a totals query: sums in minor units, or (for sums
// of NUMERIC amounts) raw until the currency is known.
type totalsRow struct {
	acct, cur string
	// opening, debit, credit; their base sums (in the book's currency);
	// the number of postings, or of totals rows holding postings, without
	// a base amount
	sums    [7]any
	amounts bool // sums are of posting amounts, not minor units
	extra   *totalsRow
}

func (t *tx) totalsRows(ctx context.Context, query string, args []any, amounts bool) ([]totalsRow, error) {
	rows, err := t.tx.QueryContext(ctx, rebind(t.s.d, query), args...)
	if err != nil {
		return nil, t.wrap(err)
	}
	defer rows.Close()
	var rs []totalsRow
	for rows.Next() {
		r := totalsRow{amounts: amounts}
		if err := rows.Scan(&r.acct, &r.cur, &r.sums[0], &r.sums[1], &r.sums[2], &r.sums[3], &r.sums[4], &r.sums[5], &r.sums[6]); err != nil {
			return nil, t.wrap(err)
		}
		rs = append(rs, r)
	}
	return rs, t.wrap(rows.Err())
}

// mergeTotals merges two row lists sorted by account and currency; rows of
// the same key are chained to be added up.
func mergeTotals(a, b []totalsRow) []totalsRow {
	out := make([]totalsRow, 0, len(a)+len(b))
	for len(a) > 0 || len(b) > 0 {
		var c int
		switch {
		case len(a) == 0:
			c = 1
		case len(b) == 0:
			c = -1
		default:
			c = cmp.Or(strings.Compare(a[0].acct, b[0].acct), strings.Compare(a[0].cur, b[0].cur))
		}
		switch {
		case c < 0:
			out, a = append(out, a[0]), a[1:]
		case c > 0:
			out, b = append(out, b[0]), b[1:]
		default:
			r := a[0]
			r.extra = &b[0]
			out, a, b = append(out, r), a[1:], b[1:]
		}
	}
	return out
}

func (t *tx) finishTotals(ctx context.Context, book string, rs []totalsRow) ([]ledger.Totals, error) {
	if len(rs) == 0 {
		return nil, t.bookExists(ctx, book)
	}
	out := make([]ledger.Totals, len(rs))
	var base money.Currency // the book's, once sums of base amounts need it
	for i := range rs {
		c, err := t.currency(ctx, rs[i].cur)
		if err != nil {
			return nil, err
		}
		var a [6]money.Amount
		var plain int64
		for j := range a {
			a[j] = money.New(0, c)
		}
		for r := &rs[i]; r != nil; r = r.extra {
			for j, v := range r.sums {
				cj := c
				if j == 6 {
					var n int64
					if v != nil {
						if n, err = scanInt(v); err != nil {
							return nil, err
						}
					}
					plain += n
					continue
				}
				if j >= 3 && j <= 5 {
					if r.amounts && base.IsZero() {
						if base, err = t.bookCurrency(ctx, book); err != nil {
							return nil, err
						}
					}
					cj = base // minor units of the base currency either way
				}
				var x money.Amount
				if r.amounts { // sums of posting amounts
					if v == nil {
						v = int64(0)
					}
					x, err = scanAmount(v, cj)
				} else { // sums of minor units
					var n int64
					n, err = scanInt(v)
					x = money.New(n, cj)
				}
				if err == nil {
					var n int64
					var ok bool
					if n, ok = money.AddMinor(a[j].MinorUnits(), x.MinorUnits()); !ok {
						err = ledger.ErrOverflow
					}
					a[j] = money.New(n, c)
				}
				if err != nil {
					return nil, err
				}
			}
		}
		out[i] = ledger.Totals{Account: rs[i].acct, Opening: a[0], Debit: a[1], Credit: a[2],
			BaseOpening: a[3].MinorUnits(), BaseDebit: a[4].MinorUnits(), BaseCredit: a[5].MinorUnits(), Converted: plain == 0}
	}
	return out, nil
}

// span is a half-open range [lo, hi) of buckets on one level of bo_totals
// (0 day, 1 month, 2 year); day spans are answered from the postings.
type span struct{ level, lo, hi int64 }

// cover splits the dates [from, to) into spans of whole years, whole months
// and single days; a zero from means the beginning, a zero to no end.
func cover(from, to date.Date) []span {
	var out []span
	if from.IsZero() && to.IsZero() {
		return []span{{2, negInf, posInf}}
	}
	if from.IsZero() {
		// Everything before to: years, then to's months, then its days.
		y := to.Year()
		out = append(out, span{2, negInf, int64(y)})
		som := to.StartOfMonth()
		if m := monthNumber(to); m > int64(y)*12 {
			out = append(out, span{1, int64(y) * 12, m})
		}
		if som.Before(to) {
			out = append(out, span{0, dayNumber(som), dayNumber(to)})
		}
		return out
	}
	d := from
	// Leading days up to the first of a month.
	if d.Day() != 1 {
		end := d.EndOfMonth().AddDays(1)
		if !to.IsZero() && to.Before(end) {
			end = to
		}
		out = append(out, span{0, dayNumber(d), dayNumber(end)})
		d = end
	}
	if !to.IsZero() && !d.Before(to) {
		return out
	}
	// Leading months up to the first of a year.
	if d.Month() != 1 {
		if d.Year() == lastYear { // no next year to stop at
			if to.IsZero() {
				return append(out, span{1, monthNumber(d), posInf})
			}
		} else {
			end := date.New(d.Year()+1, 1, 1)
			if !to.IsZero() && to.StartOfMonth().Before(end) {
				end = to.StartOfMonth()
			}
			if d.Before(end) {
				out = append(out, span{1, monthNumber(d), monthNumber(end)})
				d = end
			}
		}
	}
	if to.IsZero() {
		return append(out, span{2, int64(d.Year()), posInf})
	}
	// Whole years, then months, then days up to to.
	if y := to.Year(); d.Month() == 1 && d.Day() == 1 && d.Year() < y {
		out = append(out, span{2, int64(d.Year()), int64(y)})
		d = date.New(y, 1, 1)
	}
	if som := to.StartOfMonth(); d.Before(som) {
		out = append(out, span{1, monthNumber(d), monthNumber(som)})
		d = som
	}
	if d.Before(to) {
		out = append(out, span{0, dayNumber(d), dayNumber(to)})
	}
	return out
}

// The last representable date; nothing can be dated after it.
const lastYear = 9999

var lastDay = date.New(lastYear, 12, 31)

// spanCond renders spans as an SQL condition on bo_totals t.
func spanCond(spans []span, args []any) (string, []any) {
	if len(spans) == 0 {
		return "FALSE", args
	}
	var b strings.Builder
	b.WriteString("(")
	for i, s := range spans {
		if i > 0 {
			b.WriteString(" OR ")
		}
		b.WriteString("(t.level = ? AND t.bucket >= ? AND t.bucket < ?)")
		args = append(args, s.level, s.lo, s.hi)
	}
	b.WriteString(")")
	return b.String(), args
}

func totalsQuery(book string, q ledger.TotalsQuery, open, rng []span) (string, []any) {
	var args []any
	keep := "TRUE"
	if q.ExcludeClosing {
		keep = "NOT t.closing"
	}
	openCond, args := spanCond(open, args)
	rngCond, args := spanCond(rng, args)
	rngCond2, args := spanCond(rng, args)
	openCondB, args := spanCond(open, args)
	rngCondB, args := spanCond(rng, args)
	rngCondB2, args := spanCond(rng, args)
	openCond2, args := spanCond(open, args)
	rngCond3, args := spanCond(rng, args)
	args = append(args, book)
	s := "SELECT t.account, t.currency," +
		" SUM(CASE WHEN " + openCond + " THEN t.debit - t.credit ELSE 0 END)," + // closings before From count
		" SUM(CASE WHEN " + keep + " AND " + rngCond + " THEN t.debit ELSE 0 END)," +
		" SUM(CASE WHEN " + keep + " AND " + rngCond2 + " THEN t.credit ELSE 0 END)," +
		" SUM(CASE WHEN " + openCondB + " THEN t.base_debit - t.base_credit ELSE 0 END)," +
		" SUM(CASE WHEN " + keep + " AND " + rngCondB + " THEN t.base_debit ELSE 0 END)," +
		" SUM(CASE WHEN " + keep + " AND " + rngCondB2 + " THEN t.base_credit ELSE 0 END)," +
		" SUM(CASE WHEN t.conv_debit <> t.debit OR t.conv_credit <> t.credit THEN 1 ELSE 0 END)" +
		" FROM bo_totals t WHERE (" + openCond2 + " OR " + rngCond3 + ") AND t.book = ?"
	if len(q.Accounts) > 0 {
		s += " AND t.account IN (" + placeholders(len(q.Accounts)) + ")"
		for _, a := range q.Accounts {
			args = append(args, a)
		}
	}
	return s + " GROUP BY t.account, t.currency ORDER BY t.account, t.currency", args
}

// dayTotalsQuery sums the postings dated in day spans: those in open into
// the opening balance, those in rng into debits and credits.
func dayTotalsQuery(d *Dialect, book string, q ledger.TotalsQuery, open, rng []span) (string, []any) {
	var args []any
	keep := "TRUE"
	if q.ExcludeClosing {
		keep = "NOT p.closing"
	}
	cond := func(col string, ss []span) string {
		if len(ss) == 0 {
			return "FALSE"
		}
		var b strings.Builder
		b.WriteString("(")
		for i, s := range ss {
			if i > 0 {
				b.WriteString(" OR ")
			}
			b.WriteString("(" + col + " >= ? AND " + col + " < ?)")
			args = append(args, epoch.AddDays(int(s.lo)).String(), epoch.AddDays(int(s.hi)).String())
		}
		b.WriteString(")")
		return b.String()
	}
	openCond := cond("p.date", open)
	rngCond := cond("p.date", rng)
	rngCond2 := cond("p.date", rng)
	openCondB := cond("p.date", open)
	rngCondB := cond("p.date", rng)
	rngCondB2 := cond("p.date", rng)
	from := " FROM bo_postings p WHERE "
	col := "p.date"
	if !d.PostingDates { // the entries' (book, date) index finds the days' entries
		from = " FROM bo_entries e JOIN bo_postings p ON p.book = e.book AND p.seq = e.seq WHERE "
		col = "e.date"
	}
	where := cond(col, append(slices.Clone(open), rng...))
	args = append(args, book)
	s := "SELECT p.account, p.currency," +
		" SUM(CASE WHEN " + openCond + " THEN p.amount ELSE 0 END)," + // closings before From count
		" SUM(CASE WHEN " + keep + " AND p.amount > 0 AND " + rngCond + " THEN p.amount ELSE 0 END)," +
		" SUM(CASE WHEN " + keep + " AND p.amount < 0 AND " + rngCond2 + " THEN 0 - p.amount ELSE 0 END)," +
		" SUM(CASE WHEN " + openCondB + " THEN COALESCE(p.base, 0) ELSE 0 END)," +
		" SUM(CASE WHEN " + keep + " AND p.amount > 0 AND " + rngCondB + " THEN COALESCE(p.base, 0) ELSE 0 END)," +
		" SUM(CASE WHEN " + keep + " AND p.amount < 0 AND " + rngCondB2 + " THEN 0 - COALESCE(p.base, 0) ELSE 0 END)," +
		" SUM(CASE WHEN p.base IS NULL THEN 1 ELSE 0 END)" +
		from + where + " AND " + strings.TrimSuffix(col, "date") + "book = ?"
	if len(q.Accounts) > 0 {
		s += " AND p.account IN (" + placeholders(len(q.Accounts)) + ")"
		for _, a := range q.Accounts {
			args = append(args, a)
		}
	}
	return s + " GROUP BY p.account, p.currency ORDER BY p.account, p.currency", args
}

func dimTotalsQuery(book string, q ledger.TotalsQuery) (string, []any) {
	from := "0001-01-01"
	if !q.From.IsZero() {
		from = q.From.String()
	}
	args := []any{from, from, from, from, from, from}
	keep := "TRUE" // closings before From count in the opening either way
	if q.ExcludeClosing {
		keep = "NOT p.closing"
	}
	s := "SELECT p.account, p.currency," +
		" SUM(CASE WHEN p.date < ? THEN p.amount ELSE 0 END)," +
		" SUM(CASE WHEN p.date >= ? AND " + keep + " AND p.amount > 0 THEN p.amount ELSE 0 END)," +
		" SUM(CASE WHEN p.date >= ? AND " + keep + " AND p.amount < 0 THEN 0 - p.amount ELSE 0 END)," +
		" SUM(CASE WHEN p.date < ? THEN COALESCE(p.base, 0) ELSE 0 END)," +
		" SUM(CASE WHEN p.date >= ? AND " + keep + " AND p.amount > 0 THEN COALESCE(p.base, 0) ELSE 0 END)," +
		" SUM(CASE WHEN p.date >= ? AND " + keep + " AND p.amount < 0 THEN 0 - COALESCE(p.base, 0) ELSE 0 END)," +
		" SUM(CASE WHEN p.base IS NULL THEN 1 ELSE 0 END)" +
		" FROM bo_postings p JOIN bo_dims d ON d.book = p.book AND d.seq = p.seq AND d.line = p.line" +
		" WHERE p.book = ? AND d.book = ? AND d.name = ? AND d.value = ?"
	args = append(args, book, book, q.Dimension.Name, q.Dimension.Value)
	if !q.To.IsZero() {
		s += " AND p.date <= ?"
		args = append(args, q.To.String())
	}
	if len(q.Accounts) > 0 {
		s += " AND p.account IN (" + placeholders(len(q.Accounts)) + ")"
		for _, a := range q.Accounts {
			args = append(args, a)
		}
	}
	return s + " GROUP BY p.account, p.currency ORDER BY p.account, p.currency", args
}

func placeholders(n int) string { return strings.Repeat("?, ", n-1) + "?" }

// rawAmount is a posting's amount as scanned, before its currency is
// resolved.
type rawAmount struct {
	cur  string
	v    any
	base any // the base amount, in the book's currency; nil if none
}

// resolveAmounts sets the amounts of out's lines, in order, from raw, one
// per line. Currencies resolve only after the rows are read: a custom one
// may need a query, and the connection is busy while rows are open.
func (t *tx) resolveAmounts(ctx context.Context, out []ledger.Posted, raw []rawAmount) error {
	k := 0
	var base money.Currency // the book's, once a line has a base amount
	for i := range out {
		for j := range out[i].Lines {
			c, err := t.currency(ctx, raw[k].cur)
			if err != nil {
				return err
			}
			l := &out[i].Lines[j]
			if l.Amount, err = scanAmount(raw[k].v, c); err != nil {
				return err
			}
			if raw[k].base != nil {
				if base.IsZero() {
					if base, err = t.bookCurrency(ctx, out[i].Book); err != nil {
						return err
					}
				}
				if l.Base, err = scanAmount(raw[k].base, base); err != nil {
					return err
				}
			}
			k++
		}
	}
	return nil
}

// bookCurrency returns the base currency of book.
func (t *tx) bookCurrency(ctx context.Context, book string) (money.Currency, error) {
	b, err := t.Book(ctx, book)
	if err != nil {
		return money.Currency{}, err
	}
	return b.Currency, nil
}

// LatestDate implements ledger.DateRanger from the entries' (book, date)
// index.
func (t *tx) LatestDate(ctx context.Context, book string) (date.Date, error) {
	var d date.Date
	err := t.tx.QueryRowContext(ctx, rebind(t.s.d, "SELECT date FROM bo_entries WHERE book = ? ORDER BY date DESC LIMIT 1"), book).Scan(&d)
	if errors.Is(err, sql.ErrNoRows) {
		return date.Date{}, t.bookExists(ctx, book)
	}
	return d, t.wrap(err)
}
