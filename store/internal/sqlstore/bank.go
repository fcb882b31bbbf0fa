package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/openbackoffice/backoffice/bank/reconcile"
	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

var _ reconcile.Store = (*Store)(nil)

const (
	bankStatementCols = "book, account, id, bank_account, currency, balances, opening, closing, opening_date, closing_date, format, lines, digest, imported_at"
	bankLineCols      = "l.book, l.account, l.statement, l.n, l.ref, l.booked, l.value_date, l.amount, l.end_to_end, l.counterparty, l.counterparty_account, l.text"
)

// dayArg stores a date, NULL for the zero date.
func dayArg(d date.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// AddStatement implements reconcile.Store in one transaction: the
// statement row, then its lines; a unique violation of a line's reference
// rolls back all of it.
func (s *Store) AddStatement(ctx context.Context, st reconcile.Statement, lines []reconcile.Line) (bool, error) {
	added := false
	err := s.write(ctx, func(x *tx) error {
		added = false
		var digest []byte
		err := x.queryRow(ctx, rebind(s.d, "SELECT digest FROM bo_bank_statements WHERE book = ? AND account = ? AND id = ?"+s.d.ForUpdate),
			st.Book, st.Account, st.ID).Scan(&digest)
		switch {
		case err == nil:
			if string(digest) == string(st.Digest[:]) {
				return nil
			}
			return fmt.Errorf("%s store: statement %s of account %s: %w: imported before with other content", s.d.Name, st.ID, st.Account, reconcile.ErrConflict)
		case !errors.Is(err, sql.ErrNoRows):
			return x.wrap(err)
		}
		if _, err := x.exec(ctx, rebind(s.d, "INSERT INTO bo_bank_statements ("+bankStatementCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
			st.Book, st.Account, st.ID, st.BankAccount, st.Currency.Code(), boolInt(st.Balances), st.Opening.MinorUnits(), st.Closing.MinorUnits(),
			dayArg(st.OpeningDate), dayArg(st.ClosingDate), st.Format, st.Lines, st.Digest[:], st.ImportedAt.UTC().Truncate(time.Microsecond).UnixMicro()); err != nil {
			if errors.Is(err, ledger.ErrDuplicate) { // a concurrent import of the same ID
				return fmt.Errorf("%s store: statement %s: %w: imported concurrently", s.d.Name, st.ID, reconcile.ErrConflict)
			}
			return err
		}
		ins, err := x.tx.PrepareContext(ctx, rebind(s.d, "INSERT INTO bo_bank_lines (book, account, ref, statement, n, booked, value_date, amount, end_to_end, counterparty, counterparty_account, text)"+
			" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))
		if err != nil {
			return x.wrap(err)
		}
		defer ins.Close()
		for _, l := range lines {
			_, err := ins.ExecContext(ctx, st.Book, st.Account, l.Ref, st.ID, l.N, l.Booked.String(), dayArg(l.Value), l.Amount.MinorUnits(),
				strings.Join(l.EndToEndIDs, "\n"), l.Counterparty, l.CounterpartyAccount, l.Text)
			if err = x.wrap(err); errors.Is(err, ledger.ErrDuplicate) {
				return fmt.Errorf("%s store: statement %s line %d: %w: reference %s recorded before", s.d.Name, st.ID, l.N, reconcile.ErrConflict, l.Ref)
			} else if err != nil {
				return err
			}
		}
		added = true
		return nil
	})
	return added, err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Statements implements reconcile.Store.
func (s *Store) Statements(ctx context.Context, book, account string) ([]reconcile.Statement, error) {
	var out []reconcile.Statement
	err := s.read(ctx, func(x *tx) error {
		out = out[:0]
		rows, err := x.tx.QueryContext(ctx, rebind(s.d, "SELECT "+bankStatementCols+" FROM bo_bank_statements WHERE book = ? AND account = ? ORDER BY closing_date, id"), book, account)
		if err != nil {
			return x.wrap(err)
		}
		defer rows.Close()
		for rows.Next() {
			var st reconcile.Statement
			var code string
			var balances int
			var opening, closing, imported int64
			var digest []byte
			if err := rows.Scan(&st.Book, &st.Account, &st.ID, &st.BankAccount, &code, &balances, &opening, &closing,
				&st.OpeningDate, &st.ClosingDate, &st.Format, &st.Lines, &digest, &imported); err != nil {
				return x.wrap(err)
			}
			c, err := x.currency(ctx, code)
			if err != nil {
				return err
			}
			st.Currency, st.Balances = c, balances == 1
			st.Opening, st.Closing = money.New(opening, c), money.New(closing, c)
			copy(st.Digest[:], digest)
			st.ImportedAt = time.UnixMicro(imported).UTC()
			out = append(out, st)
		}
		return x.wrap(rows.Err())
	})
	return out, err
}

// Lines implements reconcile.Store.
func (s *Store) Lines(ctx context.Context, book string, q reconcile.LineQuery) ([]reconcile.Line, error) {
	var out []reconcile.Line
	err := s.read(ctx, func(x *tx) error {
		out = out[:0]
		query := "SELECT " + bankLineCols + ", st.currency, m.entry, m.rule, m.matched_at FROM bo_bank_lines l" +
			" JOIN bo_bank_statements st ON st.book = l.book AND st.account = l.account AND st.id = l.statement" +
			" LEFT JOIN bo_bank_matches m ON m.book = l.book AND m.account = l.account AND m.ref = l.ref WHERE l.book = ?"
		args := []any{book}
		if q.Account != "" {
			query, args = query+" AND l.account = ?", append(args, q.Account)
		}
		if q.Unmatched {
			query += " AND m.entry IS NULL"
		}
		if !q.To.IsZero() {
			query, args = query+" AND l.booked <= ?", append(args, q.To.String())
		}
		query += " ORDER BY l.booked, l.account, l.statement, l.n"
		rows, err := x.tx.QueryContext(ctx, rebind(s.d, query), args...)
		if err != nil {
			return x.wrap(err)
		}
		defer rows.Close()
		for rows.Next() {
			var l reconcile.Line
			var amount int64
			var e2e, code string
			var entry, at sql.NullInt64
			var rule sql.NullString
			if err := rows.Scan(&l.Book, &l.Account, &l.Statement, &l.N, &l.Ref, &l.Booked, &l.Value, &amount, &e2e,
				&l.Counterparty, &l.CounterpartyAccount, &l.Text, &code, &entry, &rule, &at); err != nil {
				return x.wrap(err)
			}
			c, err := x.currency(ctx, code)
			if err != nil {
				return err
			}
			l.Amount = money.New(amount, c)
			if e2e != "" {
				l.EndToEndIDs = strings.Split(e2e, "\n")
			}
			if entry.Valid {
				l.Entry, l.Rule, l.MatchedAt = uint64(entry.Int64), rule.String, time.UnixMicro(at.Int64).UTC()
			}
			out = append(out, l)
		}
		return x.wrap(rows.Err())
	})
	return out, err
}

// AddMatches implements reconcile.Store in one transaction.
func (s *Store) AddMatches(ctx context.Context, ms []reconcile.Match) error {
	return s.write(ctx, func(x *tx) error {
		for _, m := range ms {
			var entry sql.NullInt64
			var one int
			err := x.queryRow(ctx, rebind(s.d, "SELECT 1, m.entry FROM bo_bank_lines l LEFT JOIN bo_bank_matches m"+
				" ON m.book = l.book AND m.account = l.account AND m.ref = l.ref WHERE l.book = ? AND l.account = ? AND l.ref = ?"),
				m.Book, m.Account, m.Ref).Scan(&one, &entry)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				return fmt.Errorf("%s store: statement line %s of account %s: %w", s.d.Name, m.Ref, m.Account, reconcile.ErrNotFound)
			case err != nil:
				return x.wrap(err)
			case entry.Valid && uint64(entry.Int64) == m.Entry:
				continue
			case entry.Valid:
				return fmt.Errorf("%s store: statement line %s of account %s: %w: matched to entry %d", s.d.Name, m.Ref, m.Account, reconcile.ErrConflict, entry.Int64)
			}
			if _, err := x.exec(ctx, rebind(s.d, "INSERT INTO bo_bank_matches (book, account, ref, entry, rule, matched_at) VALUES (?, ?, ?, ?, ?, ?)"),
				m.Book, m.Account, m.Ref, int64(m.Entry), m.Rule, m.At.UTC().Truncate(time.Microsecond).UnixMicro()); err != nil {
				if errors.Is(err, ledger.ErrDuplicate) {
					return fmt.Errorf("%s store: statement line %s of account %s: %w: matched concurrently", s.d.Name, m.Ref, m.Account, reconcile.ErrConflict)
				}
				return err
			}
		}
		return nil
	})
}
