package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/openbackoffice/backoffice/backup"
	"github.com/openbackoffice/backoffice/store/sqlite"
)

// TestDrill closes a month and then runs a restore drill of the backup
// taken before: it passes (the close added no entries). A damaged archive
// fails the drill, exit 1, while the books are closed all the same; an
// encrypted archive is drilled with --identity, and fails without one.
func TestDrill(t *testing.T) {
	dir := t.TempDir()
	db, list := fixture(t, dir, false)
	ctx := context.Background()
	s, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	arch := filepath.Join(dir, "last-night.zip")
	f, err := os.Create(arch)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := backup.Write(ctx, f, s, nil); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	// The same, encrypted with age.
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(dir, "key.txt")
	if err := os.WriteFile(key, []byte(id.String()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	enc := filepath.Join(dir, "last-night.zip.age")
	if f, err = os.Create(enc); err != nil {
		t.Fatal(err)
	}
	if _, err := backup.Write(ctx, f, s, &backup.Options{Recipients: []age.Recipient{id.Recipient()}}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	s.Close()

	r := closebatch(t, "--db", db, "--books", list, "--period", "2026-03", "--jobs", "2", "--drill", arch)
	if r.code != 0 || !strings.Contains(r.stderr, "restore drill passed") || strings.Count(r.stderr, "msg=\"restore drill\"") != nBooks {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "database=\"same head\"") {
		t.Errorf("the drill did not compare with the database:\n%s", r.stderr)
	}

	r = closebatch(t, "--db", db, "--books", list, "--period", "2026-03", "--drill", enc, "--identity", key)
	if r.code != 0 || !strings.Contains(r.stderr, "restore drill passed") {
		t.Errorf("encrypted archive: exit %d\n%s", r.code, r.stderr)
	}
	r = closebatch(t, "--db", db, "--books", list, "--period", "2026-03", "--drill", enc)
	if r.code != 1 || !strings.Contains(r.stderr, "an identity is needed") {
		t.Errorf("encrypted archive without identity: exit %d\n%s", r.code, r.stderr)
	}

	b, err := os.ReadFile(arch)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "half.zip")
	if err := os.WriteFile(bad, b[:len(b)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	r = closebatch(t, "--db", db, "--books", list, "--period", "2026-03", "--drill", bad)
	if r.code != 1 || !strings.Contains(r.stderr, "restore drill of "+bad+" failed") {
		t.Errorf("damaged archive: exit %d\n%s", r.code, r.stderr)
	}
}
