package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// ErrMigration reports a schema this library cannot use: a released
// migration changed after it was applied, or a schema newer than the code.
var ErrMigration = errors.New("schema migration")

// Migration is one numbered SQL file.
type Migration struct {
	Version int
	Name    string
	SQL     string
	Sum     string // hex SHA-256 of SQL
}

// LoadMigrations reads the files NNNN_name.sql in directory dir of fsys, in
// version order. Versions must run 1, 2, 3… without gaps.
func LoadMigrations(fsys fs.FS, dir string) ([]Migration, error) {
	fsys, err := fs.Sub(fsys, dir)
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, n := range names {
		num, rest, ok := strings.Cut(n, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("%w: file %q is not named NNNN_name.sql", ErrMigration, n)
		}
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(b)
		out = append(out, Migration{Version: v, Name: strings.TrimSuffix(rest, path.Ext(rest)), SQL: string(b), Sum: hex.EncodeToString(sum[:])})
	}
	slices.SortFunc(out, func(a, b Migration) int { return a.Version - b.Version })
	for i, m := range out {
		if m.Version != i+1 {
			return nil, fmt.Errorf("%w: migration %d missing", ErrMigration, i+1)
		}
	}
	return out, nil
}

// CheckReleased fails t unless the first migrations of ms have the
// checksums in released, in order: a test of each store calls it with the
// sums of its released files, so that editing one fails a test (revert the
// edit and add a new numbered file instead).
func CheckReleased(t testing.TB, ms []Migration, released []string) {
	t.Helper()
	if len(ms) < len(released) {
		t.Fatalf("%d migrations embedded, %d released: a released migration was removed", len(ms), len(released))
	}
	for i, sum := range released {
		if ms[i].Sum != sum {
			t.Errorf("migration %04d_%s.sql has checksum %s, released with %s: a released migration must never change", ms[i].Version, ms[i].Name, ms[i].Sum, sum)
		}
	}
}

// Migrate applies the migrations not yet recorded in bo_migrations, all in
// one transaction, and records them. Two processes migrating at once
// serialize on a row lock (a transaction-scoped lock, not a session advisory
// lock, which distributed engines lack); the second finds the work done.
// A recorded migration whose checksum differs from ms is ErrMigration: a
// released file was edited.
func Migrate(ctx context.Context, db *sql.DB, d *Dialect, ms []Migration) error {
	create := "CREATE TABLE IF NOT EXISTS bo_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at BIGINT NOT NULL)"
	var err error
	// Concurrent CREATE TABLE IF NOT EXISTS can collide in PostgreSQL's
	// catalog; the loser tries again and finds the table.
	for range 3 {
		if _, err = db.ExecContext(ctx, create); err == nil {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("%s store: create bo_migrations: %w", d.Name, err)
	}
	if _, err := db.ExecContext(ctx, rebind(d, "INSERT INTO bo_migrations (version, name, checksum, applied_at) VALUES (0, 'lock', '', 0) ON CONFLICT (version) DO NOTHING")); err != nil {
		return fmt.Errorf("%s store: %w", d.Name, err)
	}
	var tx *sql.Tx
	if d.Begin != nil {
		tx, err = d.Begin(ctx, db)
	} else {
		tx, err = db.BeginTx(ctx, nil)
	}
	if err != nil {
		return fmt.Errorf("%s store: %w", d.Name, err)
	}
	defer tx.Rollback()
	var zero int
	if err := tx.QueryRowContext(ctx, "SELECT version FROM bo_migrations WHERE version = 0"+d.ForUpdate).Scan(&zero); err != nil {
		return fmt.Errorf("%s store: lock bo_migrations: %w", d.Name, err)
	}
	rows, err := tx.QueryContext(ctx, "SELECT version, checksum FROM bo_migrations WHERE version > 0 ORDER BY version")
	if err != nil {
		return fmt.Errorf("%s store: %w", d.Name, err)
	}
	applied := map[int]string{}
	for rows.Next() {
		var (
			v   int
			sum string
		)
		if err := rows.Scan(&v, &sum); err != nil {
			rows.Close()
			return fmt.Errorf("%s store: %w", d.Name, err)
		}
		applied[v] = sum
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s store: %w", d.Name, err)
	}
	for v, sum := range applied {
		if v > len(ms) {
			return fmt.Errorf("%w: the database has migration %d, this library knows %d", ErrMigration, v, len(ms))
		}
		if ms[v-1].Sum != sum {
			return fmt.Errorf("%w: migration %d (%s) was changed after it was applied", ErrMigration, v, ms[v-1].Name)
		}
	}
	ins := rebind(d, "INSERT INTO bo_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)")
	for _, m := range ms {
		if _, ok := applied[m.Version]; ok {
			continue
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			return fmt.Errorf("%s store: migration %d (%s): %w", d.Name, m.Version, m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, ins, m.Version, m.Name, m.Sum, time.Now().UnixMicro()); err != nil {
			return fmt.Errorf("%s store: %w", d.Name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s store: %w", d.Name, err)
	}
	return nil
}
