package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/server"
)

var _ server.TokenStore = (*Store)(nil)

// AddToken implements server.TokenStore.
func (s *Store) AddToken(ctx context.Context, t server.Token) error {
	return s.write(ctx, func(x *tx) error {
		_, err := x.exec(ctx, rebind(s.d, "INSERT INTO bo_tokens (name, role, hash, created_at) VALUES (?, ?, ?, ?)"),
			t.Name, string(t.Role), t.Hash[:], t.CreatedAt.UnixMicro())
		if errors.Is(err, ledger.ErrDuplicate) {
			return fmt.Errorf("%s store: token %s: %w", s.d.Name, t.Name, server.ErrDuplicate)
		}
		return err
	})
}

const tokenCols = "name, role, hash, created_at, revoked_at"

func scanToken(sc interface{ Scan(...any) error }) (server.Token, error) {
	var t server.Token
	var role string
	var hash []byte
	var created int64
	var revoked sql.NullInt64
	if err := sc.Scan(&t.Name, &role, &hash, &created, &revoked); err != nil {
		return t, err
	}
	if len(hash) != len(t.Hash) {
		return t, fmt.Errorf("stored token %s: hash of %d bytes", t.Name, len(hash))
	}
	t.Role = server.Role(role)
	copy(t.Hash[:], hash)
	t.CreatedAt = time.UnixMicro(created).UTC()
	if revoked.Valid {
		t.RevokedAt = time.UnixMicro(revoked.Int64).UTC()
	}
	return t, nil
}

// TokenByHash implements server.TokenStore.
func (s *Store) TokenByHash(ctx context.Context, h [32]byte) (server.Token, error) {
	var out server.Token
	err := s.read(ctx, func(x *tx) error {
		t, err := scanToken(x.queryRow(ctx, rebind(s.d, "SELECT "+tokenCols+" FROM bo_tokens WHERE hash = ?"), h[:]))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%s store: %w", s.d.Name, server.ErrNotFound)
		}
		out = t
		return err
	})
	return out, err
}

// Tokens implements server.TokenStore.
func (s *Store) Tokens(ctx context.Context) ([]server.Token, error) {
	var out []server.Token
	err := s.read(ctx, func(x *tx) error {
		rows, err := x.tx.QueryContext(ctx, "SELECT "+tokenCols+" FROM bo_tokens ORDER BY name")
		if err != nil {
			return s.wrap(err)
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanToken(rows)
			if err != nil {
				return err
			}
			out = append(out, t)
		}
		return rows.Err()
	})
	return out, err
}

// RevokeToken implements server.TokenStore.
func (s *Store) RevokeToken(ctx context.Context, name string, at time.Time) error {
	return s.write(ctx, func(x *tx) error {
		res, err := x.exec(ctx, rebind(s.d, "UPDATE bo_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL"),
			at.UTC().Truncate(time.Microsecond).UnixMicro(), name)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			return err
		}
		var one int
		err = x.queryRow(ctx, rebind(s.d, "SELECT 1 FROM bo_tokens WHERE name = ?"), name).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%s store: token %s: %w", s.d.Name, name, server.ErrNotFound)
		}
		return err // revoked before: the first time stays
	})
}
