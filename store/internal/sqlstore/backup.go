package sqlstore

import (
	"context"

	"github.com/openbackoffice/backoffice/backup"
)

// ViewAll implements backup.Snapshotter: fn gets a Store bound to one
// read-only transaction (REPEATABLE READ on PostgreSQL, one read
// transaction on SQLite), so every domain it reads sees one snapshot.
func (s *Store) ViewAll(ctx context.Context, fn func(backup.Store) error) error {
	return s.read(ctx, func(t *tx) error { return fn(s.InTx(t.tx)) })
}

// UpdateAll implements backup.Transactor: fn gets a Store bound to one
// read-write transaction, which commits if fn returns nil and rolls back
// otherwise; every domain's Update runs in a savepoint of it. Like Update,
// UpdateAll runs fn again after a retryable failure.
func (s *Store) UpdateAll(ctx context.Context, fn func(backup.Store) error) error {
	return s.write(ctx, func(t *tx) error { return fn(s.InTx(t.tx)) })
}
