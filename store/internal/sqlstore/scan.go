package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
)

// scanPage is how many entries Scan reads per query.
const scanPage = 5000

// Scan implements ledger.ReadTx. It reads a page of entries and then their
// postings, each as one range of its primary key: two sequential reads,
// where joining the postings to each entry costs a key lookup per entry
// and carries every entry column once per posting. Verify reads a book
// through Scan, so this is what its speed is made of.
func (t *tx) Scan(ctx context.Context, book string, from uint64, fn func(*ledger.Posted) error) error {
	after := uint64(0)
	if from > 0 {
		after = from - 1
	}
	first := true
	for {
		ps, err := t.scanPage(ctx, book, after)
		if err != nil {
			return err
		}
		if len(ps) == 0 && first {
			if err := t.bookExists(ctx, book); err != nil {
				return err
			}
		}
		first = false
		for i := range ps {
			if err := fn(&ps[i]); err != nil {
				return err
			}
		}
		if len(ps) < scanPage {
			return nil
		}
		after = ps[len(ps)-1].Seq
	}
}

// scanPage reads up to scanPage entries with Seq > after, with their lines.
func (t *tx) scanPage(ctx context.Context, book string, after uint64) ([]ledger.Posted, error) {
	rows, err := t.tx.QueryContext(ctx, rebind(t.s.d,
		"SELECT seq, key, date, description, voucher, journal, reverses, adjusts, metadata, recorded_at, digest, hash"+
			" FROM bo_entries WHERE book = ? AND seq > ? ORDER BY seq LIMIT ?"), book, int64(after), scanPage)
	if err != nil {
		return nil, t.wrap(err)
	}
	defer rows.Close()
	out := make([]ledger.Posted, 0, 64)
	for rows.Next() {
		var (
			seq, rev, adj      int64
			key                sql.NullString
			d                  date.Date
			meta, digest, hash []byte
			at                 any
		)
		p := ledger.Posted{}
		if err := rows.Scan(&seq, &key, &d, &p.Description, &p.Voucher, &p.Journal, &rev, &adj, &meta, &at, &digest, &hash); err != nil {
			return nil, t.wrap(err)
		}
		p.Seq, p.Book, p.Key, p.Date, p.Reverses, p.Adjusts = uint64(seq), book, key.String, d, uint64(rev), uint64(adj)
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
	if err := rows.Err(); err != nil {
		return nil, t.wrap(err)
	}
	rows.Close()
	if len(out) == 0 {
		return out, nil
	}
	rows, err = t.tx.QueryContext(ctx, rebind(t.s.d,
		"SELECT seq, line, account, currency, amount, memo, dims, base FROM bo_postings"+
			" WHERE book = ? AND seq > ? AND seq <= ? ORDER BY seq, line"), book, int64(after), int64(out[len(out)-1].Seq))
	if err != nil {
		return nil, t.wrap(err)
	}
	defer rows.Close()
	var (
		raw []rawAmount
		i   int // out[i] is the entry of the last posting
	)
	for rows.Next() {
		var (
			seq        int64
			line       int
			acct, cur  string
			memo       string
			amt, base  any
			dims       []byte
			ln         ledger.Line
			decodedErr error
		)
		if err := rows.Scan(&seq, &line, &acct, &cur, &amt, &memo, &dims, &base); err != nil {
			return nil, t.wrap(err)
		}
		for i < len(out) && out[i].Seq < uint64(seq) {
			i++
		}
		if i == len(out) || out[i].Seq != uint64(seq) {
			continue // a posting without its entry: Verify finds the gap
		}
		p := &out[i]
		if line != len(p.Lines) {
			return nil, fmt.Errorf("%w: entry %d lacks line %d", ledger.ErrTampered, seq, len(p.Lines))
		}
		ln.Account, ln.Memo = acct, memo
		if ln.Dimensions, decodedErr = decodeMap(dims); decodedErr != nil {
			return nil, decodedErr
		}
		p.Lines = append(p.Lines, ln)
		raw = append(raw, rawAmount{cur, amt, base})
	}
	if err := rows.Err(); err != nil {
		return nil, t.wrap(err)
	}
	rows.Close()
	if err := t.resolveAmounts(ctx, out, raw); err != nil {
		return nil, err
	}
	return out, nil
}
