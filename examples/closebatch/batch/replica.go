package batch

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/openbackoffice/backoffice/store/postgres"
)

// ReplicaDB returns the DSN of the read replica: flag, else
// $BOOKS_REPLICA_DSN, else "" (none).
func ReplicaDB(flag string) string {
	if flag != "" {
		return flag
	}
	return os.Getenv("BOOKS_REPLICA_DSN")
}

// Snapshot is a store that reads one snapshot of a PostgreSQL read replica
// (a hot standby of the primary, typically): every read through it runs in
// one REPEATABLE READ, READ ONLY transaction on the replica, so that a report
// built from many reads is as of one position, which Position names. Writes
// through it fail: the transaction is read-only. It is not safe for
// concurrent use: the transaction is one connection.
type Snapshot struct {
	*postgres.Store // bound to the snapshot's transaction (InTx)
	tx              *sql.Tx
	all             *postgres.Store // the primary and the replica
}

// OpenSnapshot opens the PostgreSQL primary at dsn, migrating it as
// OpenStore does, and its read replica at replicaDSN, and begins the
// snapshot on the replica. Both must be postgres:// or postgresql://
// URLs. Close ends the snapshot and closes both connections.
func OpenSnapshot(ctx context.Context, dsn, replicaDSN string) (*Snapshot, error) {
	for _, d := range []string{dsn, replicaDSN} {
		if !strings.HasPrefix(d, "postgres://") && !strings.HasPrefix(d, "postgresql://") {
			return nil, fmt.Errorf("%w: a read replica needs PostgreSQL: %s is no postgres:// URL", ErrNotPostgres, Redact(d))
		}
	}
	all, err := postgres.OpenWithReplica(ctx, dsn, replicaDSN)
	if err != nil {
		return nil, err
	}
	if err := all.Migrate(ctx); err != nil {
		all.Close()
		return nil, err
	}
	tx, err := all.ReplicaDB().BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		all.Close()
		return nil, fmt.Errorf("postgres store: replica: %w", err)
	}
	return &Snapshot{Store: all.InTx(tx), tx: tx, all: all}, nil
}

// ErrNotPostgres: a read replica was given for a store that is not
// PostgreSQL.
var ErrNotPostgres = errors.New("not PostgreSQL")

// AsOf returns the snapshot's position for book and a note for a report's
// header: "as of entry N (replica)", or "as of entry N (replica, not in
// recovery)" if the replica's server is no standby (a promoted one, or a
// primary named by mistake).
func (s *Snapshot) AsOf(ctx context.Context, book string) (postgres.Position, string, error) {
	p, err := s.Position(ctx, book)
	if err != nil {
		return p, "", err
	}
	where := "replica"
	if !p.Standby {
		where = "replica, not in recovery"
	}
	return p, fmt.Sprintf("as of entry %d (%s)", p.Head, where), nil
}

// Close ends the snapshot and closes the primary's and the replica's
// connections.
func (s *Snapshot) Close() error {
	return errors.Join(s.tx.Rollback(), s.all.Close())
}
