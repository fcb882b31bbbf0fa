package memory

import (
	"context"
	"time"

	"github.com/openbackoffice/backoffice/server"
)

var _ server.TokenStore = (*Store)(nil)

// AddToken implements server.TokenStore. Tokens are kept beside the
// transactions of the other domains (a token is one row, written alone).
func (s *Store) AddToken(ctx context.Context, t server.Token) error { return s.tokens.AddToken(ctx, t) }

// TokenByHash implements server.TokenStore.
func (s *Store) TokenByHash(ctx context.Context, h [32]byte) (server.Token, error) {
	return s.tokens.TokenByHash(ctx, h)
}

// Tokens implements server.TokenStore.
func (s *Store) Tokens(ctx context.Context) ([]server.Token, error) { return s.tokens.Tokens(ctx) }

// RevokeToken implements server.TokenStore.
func (s *Store) RevokeToken(ctx context.Context, name string, at time.Time) error {
	return s.tokens.RevokeToken(ctx, name, at)
}
