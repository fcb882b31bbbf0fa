package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// Role is what a token may do. Roles are ordered: each may do everything
// the ones before it may.
type Role string

// The roles.
const (
	// Viewer reads books, reports, entries and pay runs.
	Viewer Role = "viewer"
	// Accountant also posts and reverses entries, imports, and calculates
	// and approves pay runs.
	Accountant Role = "accountant"
	// Admin also closes and locks periods, posts pay runs, and manages
	// tokens.
	Admin Role = "admin"
)

// rank orders the roles; 0 is no role.
func (r Role) rank() int {
	switch r {
	case Viewer:
		return 1
	case Accountant:
		return 2
	case Admin:
		return 3
	}
	return 0
}

// Allows reports whether r may do what need requires.
func (r Role) Allows(need Role) bool { return r.rank() > 0 && r.rank() >= need.rank() }

// ParseRole parses "viewer", "accountant" or "admin".
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if r.rank() == 0 {
		return "", fmt.Errorf("%w: role %q: want viewer, accountant or admin", ErrInvalid, s)
	}
	return r, nil
}

// Token is an API token as stored: its name, role and the SHA-256 of its
// secret. The secret itself is shown once, when it is created, and never
// stored.
type Token struct {
	Name      string // unique; recorded as the actor of every write made with it
	Role      Role
	Hash      [32]byte
	CreatedAt time.Time
	RevokedAt time.Time // zero while the token is valid
}

// TokenStore keeps API tokens. Implementations live in store/* and pass
// storetest.Tokens; they must be safe for concurrent use.
type TokenStore interface {
	// AddToken stores a new token, or returns an error wrapping
	// ErrDuplicate if one with its name exists (revoked or not).
	AddToken(ctx context.Context, t Token) error
	// TokenByHash returns the token whose secret hashes to h, revoked or
	// not, or an error wrapping ErrNotFound.
	TokenByHash(ctx context.Context, h [32]byte) (Token, error)
	// Tokens returns every token, ordered by name.
	Tokens(ctx context.Context) ([]Token, error)
	// RevokeToken sets the token's RevokedAt (once; revoking again keeps
	// the first time), or returns an error wrapping ErrNotFound.
	RevokeToken(ctx context.Context, name string, at time.Time) error
}

// Sentinel errors of the server's own operations.
var (
	// ErrInvalid: a malformed name, role or request.
	ErrInvalid = errors.New("server: invalid")
	// ErrDuplicate: a token with that name exists.
	ErrDuplicate = errors.New("server: already exists")
	// ErrNotFound: no such token.
	ErrNotFound = errors.New("server: not found")
)

// tokenPrefix marks backoffice tokens, so that secret scanners can find
// them in places they should not be.
const tokenPrefix = "bo_"

// NewToken creates a token with a random 256-bit secret and stores it.
// It returns the secret, to be shown once. Names are 1–64 letters, digits,
// '.', '-', '_' or '@'.
func NewToken(ctx context.Context, ts TokenStore, name string, role Role, now time.Time) (string, error) {
	if !validName(name) {
		return "", fmt.Errorf("%w: token name: 1–64 of letters, digits, '.', '-', '_', '@'", ErrInvalid)
	}
	if role.rank() == 0 {
		return "", fmt.Errorf("%w: role %q", ErrInvalid, role)
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	secret := tokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	t := Token{Name: name, Role: role, Hash: HashToken(secret), CreatedAt: now.UTC().Truncate(time.Microsecond)}
	if err := ts.AddToken(ctx, t); err != nil {
		return "", err
	}
	return secret, nil
}

// HashToken returns the hash a token's secret is stored and looked up by.
// Secrets are 256 random bits, so one SHA-256 is enough: there is nothing
// to guess that a slow hash would protect.
func HashToken(secret string) [32]byte { return sha256.Sum256([]byte(secret)) }

func validName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '-', c == '_', c == '@':
		default:
			return false
		}
	}
	return true
}

// MemoryTokens is a TokenStore in memory, for tests and short-lived
// servers. The zero value is ready to use; it is safe for concurrent use.
type MemoryTokens struct {
	mu     sync.Mutex
	byName map[string]Token
}

// AddToken implements TokenStore.
func (m *MemoryTokens) AddToken(_ context.Context, t Token) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.byName == nil {
		m.byName = map[string]Token{}
	}
	if _, ok := m.byName[t.Name]; ok {
		return fmt.Errorf("token %s: %w", t.Name, ErrDuplicate)
	}
	m.byName[t.Name] = t
	return nil
}

// TokenByHash implements TokenStore.
func (m *MemoryTokens) TokenByHash(_ context.Context, h [32]byte) (Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, t := range m.byName {
		if t.Hash == h {
			return t, nil
		}
	}
	return Token{}, ErrNotFound
}

// Tokens implements TokenStore.
func (m *MemoryTokens) Tokens(context.Context) ([]Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Token, 0, len(m.byName))
	for _, t := range m.byName {
		out = append(out, t)
	}
	sortTokens(out)
	return out, nil
}

// RevokeToken implements TokenStore.
func (m *MemoryTokens) RevokeToken(_ context.Context, name string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.byName[name]
	if !ok {
		return fmt.Errorf("token %s: %w", name, ErrNotFound)
	}
	if t.RevokedAt.IsZero() {
		t.RevokedAt = at.UTC().Truncate(time.Microsecond)
		m.byName[name] = t
	}
	return nil
}

func sortTokens(ts []Token) {
	slices.SortFunc(ts, func(a, b Token) int { return strings.Compare(a.Name, b.Name) })
}
