package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/server"
)

// Tokens runs the conformance suite of server.TokenStore against a new,
// empty store from newStore: tokens round-trip (hash, role, times at
// microsecond precision), names are unique, lookups are by hash, the list
// is ordered by name, and revocation happens once and keeps its first time.
func Tokens(t *testing.T, newStore func(t *testing.T) server.TokenStore) {
	ctx := context.Background()
	s := newStore(t)
	at := time.Date(2026, 12, 6, 10, 11, 12, 123456000, time.UTC)
	a := server.Token{Name: "alice", Role: server.Admin, Hash: server.HashToken("secret-a"), CreatedAt: at}
	b := server.Token{Name: "bob@ci", Role: server.Viewer, Hash: server.HashToken("secret-b"), CreatedAt: at.Add(time.Second)}
	for _, x := range []server.Token{b, a} {
		if err := s.AddToken(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	dup := a
	dup.Hash = server.HashToken("other")
	if err := s.AddToken(ctx, dup); !errors.Is(err, server.ErrDuplicate) {
		t.Errorf("same name again: err = %v, want ErrDuplicate", err)
	}
	got, err := s.TokenByHash(ctx, server.HashToken("secret-b"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, b); diff != "" {
		t.Errorf("TokenByHash (-got +want):\n%s", diff)
	}
	if _, err := s.TokenByHash(ctx, server.HashToken("nobody")); !errors.Is(err, server.ErrNotFound) {
		t.Errorf("unknown hash: err = %v, want ErrNotFound", err)
	}
	revoked := at.Add(time.Hour)
	if err := s.RevokeToken(ctx, "alice", revoked); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeToken(ctx, "alice", revoked.Add(time.Hour)); err != nil {
		t.Errorf("revoking again: %v", err)
	}
	if err := s.RevokeToken(ctx, "carol", revoked); !errors.Is(err, server.ErrNotFound) {
		t.Errorf("revoking an unknown token: err = %v, want ErrNotFound", err)
	}
	all, err := s.Tokens(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a.RevokedAt = revoked
	if diff := cmp.Diff(all, []server.Token{a, b}); diff != "" {
		t.Errorf("Tokens (-got +want):\n%s", diff)
	}
}
