package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/openbackoffice/backoffice/ledger"
)

var (
	_ ledger.StateWriter   = (*tx)(nil)
	_ ledger.DerivedReader = (*tx)(nil)
)

// ScanState implements ledger.StateReader from bo_state.
func (t *tx) ScanState(ctx context.Context, book string, fn func(ledger.StateRecord) error) error {
	rows, err := t.tx.QueryContext(ctx, rebind(t.s.d, "SELECT seq, data, hash FROM bo_state WHERE book = ? ORDER BY seq"), book)
	if err != nil {
		return t.wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			r    ledger.StateRecord
			seq  int64
			hash []byte
		)
		if err := rows.Scan(&seq, &r.Data, &hash); err != nil {
			return t.wrap(err)
		}
		r.Seq = uint64(seq)
		copy(r.Hash[:], hash)
		if err := fn(r); err != nil {
			return err
		}
	}
	return t.wrap(rows.Err())
}

// StateHead implements ledger.StateWriter.
func (t *tx) StateHead(ctx context.Context, book string) (ledger.Head, error) {
	var (
		seq  int64
		hash []byte
	)
	err := t.queryRow(ctx, rebind(t.s.d, "SELECT seq, hash FROM bo_state WHERE book = ? ORDER BY seq DESC LIMIT 1"), book).Scan(&seq, &hash)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return ledger.Head{}, nil
		}
		return ledger.Head{}, t.wrap(err)
	}
	h := ledger.Head{Seq: uint64(seq)}
	copy(h.Hash[:], hash)
	return h, nil
}

// AppendState implements ledger.StateWriter.
func (t *tx) AppendState(ctx context.Context, book string, recs []ledger.StateRecord) error {
	if err := t.writable(); err != nil {
		return err
	}
	q := rebind(t.s.d, "INSERT INTO bo_state (book, seq, data, hash) VALUES (?, ?, ?, ?)")
	for _, r := range recs {
		if _, err := t.exec(ctx, q, book, int64(r.Seq), r.Data, r.Hash[:]); err != nil {
			return fmt.Errorf("state record %d: %w", r.Seq, err)
		}
	}
	return nil
}

// ScanTotals implements ledger.DerivedReader from bo_totals.
func (t *tx) ScanTotals(ctx context.Context, book string, fn func(ledger.TotalsRow) error) error {
	rows, err := t.tx.QueryContext(ctx, rebind(t.s.d,
		"SELECT account, currency, level, bucket, closing, debit, credit, base_debit, base_credit, conv_debit, conv_credit"+
			" FROM bo_totals WHERE book = ?"), book)
	if err != nil {
		return t.wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			r             ledger.TotalsRow
			level, bucket int64
		)
		if err := rows.Scan(&r.Account, &r.Currency, &level, &bucket, &r.Closing, &r.Debit, &r.Credit,
			&r.BaseDebit, &r.BaseCredit, &r.ConvDebit, &r.ConvCredit); err != nil {
			return t.wrap(err)
		}
		switch level {
		case 1:
			r.Year, r.Month = int(bucket/12), int(bucket%12)+1
		case 2:
			r.Year = int(bucket)
		default:
			r.Year, r.Month = int(bucket), -int(level) // no such level: never equal to the postings' sums
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return t.wrap(rows.Err())
}

// ScanDimensions implements ledger.DerivedReader from bo_dims.
func (t *tx) ScanDimensions(ctx context.Context, book string, fn func(ledger.DimensionRow) error) error {
	rows, err := t.tx.QueryContext(ctx, rebind(t.s.d, "SELECT seq, line, name, value FROM bo_dims WHERE book = ?"), book)
	if err != nil {
		return t.wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			r   ledger.DimensionRow
			seq int64
		)
		if err := rows.Scan(&seq, &r.Line, &r.Name, &r.Value); err != nil {
			return t.wrap(err)
		}
		r.Seq = uint64(seq)
		if err := fn(r); err != nil {
			return err
		}
	}
	return t.wrap(rows.Err())
}
