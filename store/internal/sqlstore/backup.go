package sqlstore

import (
	"context"
	"strconv"

	"github.com/openbackoffice/backoffice/backup"
)

// ViewAll implements backup.Snapshotter: fn gets a Store bound to one
// read-only transaction (REPEATABLE READ on PostgreSQL, one read
// transaction on SQLite), so every domain it reads sees one snapshot. With
// Dialect.SnapshotCacheKiB the transaction's connection reads with that
// page cache, and gets its own back afterwards (if that fails, it keeps
// the small cache: slower reads, nothing else).
func (s *Store) ViewAll(ctx context.Context, fn func(backup.Store) error) error {
	return s.read(ctx, func(t *tx) error {
		if kib := s.d.SnapshotCacheKiB; kib > 0 && s.tx == nil {
			var size int64
			if err := t.tx.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&size); err != nil {
				return s.wrap(err)
			}
			if _, err := t.tx.ExecContext(ctx, "PRAGMA cache_size = -"+strconv.Itoa(kib)); err != nil {
				return s.wrap(err)
			}
			defer t.tx.ExecContext(context.WithoutCancel(ctx), "PRAGMA cache_size = "+strconv.FormatInt(size, 10))
		}
		return fn(s.InTx(t.tx))
	})
}

// UpdateAll implements backup.Transactor: fn gets a Store bound to one
// read-write transaction, which commits if fn returns nil and rolls back
// otherwise; every domain's Update runs in a savepoint of it. Like Update,
// UpdateAll runs fn again after a retryable failure.
func (s *Store) UpdateAll(ctx context.Context, fn func(backup.Store) error) error {
	return s.write(ctx, func(t *tx) error { return fn(s.InTx(t.tx)) })
}
