package main

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/lib/pq"
)

// TestBackupRestore moves the demo company from SQLite to a fresh
// SQLite file and to PostgreSQL (a schema of its own) by backup and
// restore, and compares reports and verify.
func TestBackupRestore(t *testing.T) {
	dir := t.TempDir()
	ok(t, dir, "--quiet", "demo", "--year", "2025")
	ok(t, dir, "backup", "-o", "demo.zip")
	if out := ok(t, dir, "backup", "verify", "demo.zip").stdout; !strings.Contains(out, ": ok,") {
		t.Errorf("backup verify: %s", out)
	}
	reports := func(db string) string {
		var b strings.Builder
		for _, kind := range []string{"trial-balance", "payroll-register"} {
			b.WriteString(ok(t, dir, "--db", db, "report", kind, "--from", "2025", "--to", "2025", "--format", "csv").stdout)
		}
		b.WriteString(ok(t, dir, "--db", db, "report", "open-items", "--to", "2025-12-31", "--format", "csv").stdout)
		return b.String()
	}
	verify := func(db string) string { return ok(t, dir, "--db", db, "verify").stdout }
	want, wantVerify := reports("books.db"), verify("books.db")

	targets := []string{"copy.db"}
	if dsn := os.Getenv("BACKOFFICE_TEST_POSTGRES"); dsn != "" {
		targets = append(targets, pgSchema(t, dsn))
	} else {
		t.Log("BACKOFFICE_TEST_POSTGRES unset: SQLite to SQLite only")
	}
	for _, db := range targets {
		ok(t, dir, "--db", db, "restore", "demo.zip")
		if got := reports(db); got != want {
			t.Errorf("%s: reports differ from the source's", db)
		}
		if got := verify(db); got != wantVerify {
			t.Errorf("%s: verify says\n%s\nthe source\n%s", db, got, wantVerify)
		}
		// A second restore is refused: the database is not empty.
		if r := books(t, dir, "--db", db, "restore", "demo.zip"); r.code != 2 {
			t.Errorf("%s: restore into a non-empty database: exit %d", db, r.code)
		}
	}
	// A damaged archive is refused, naming the member.
	b, err := os.ReadFile(filepath.Join(dir, "demo.zip"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "half.zip"), b[:len(b)/2], 0o644)
	if r := books(t, dir, "backup", "verify", "half.zip"); r.code != 1 || !strings.Contains(r.stderr, "zip") {
		t.Errorf("half an archive: exit %d, %s", r.code, r.stderr)
	}
}

// pgSchema creates a schema of its own on dsn, dropped at cleanup, and
// returns dsn with it as search_path.
func pgSchema(t *testing.T, dsn string) string {
	t.Helper()
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	var rnd [6]byte
	rand.Read(rnd[:])
	schema := "backup_" + hex.EncodeToString(rnd[:])
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Skipf("PostgreSQL: %v", err)
	}
	t.Cleanup(func() { db.Exec("DROP SCHEMA " + schema + " CASCADE"); db.Close() })
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + schema
}
