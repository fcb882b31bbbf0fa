package main

import (
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/google/go-cmp/cmp"
	_ "github.com/lib/pq"

	"github.com/openbackoffice/backoffice/backup"
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

// manifest opens an archive in dir and returns its manifest.
func manifest(t *testing.T, dir, name string) backup.Manifest {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	a, err := backup.Open(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	return a.Manifest
}

// TestBackupPointInTime backs the demo company up, lets it go on (a pay
// run of the next month posted and paid, a dunning run, a month closed),
// and then backs it up at the first backup's last entry (--seq) and at a
// time between (--as-of): the archive as of the time is the first
// backup, member by member; the one at the entry lacks only what came
// after the entry (December's close); restored, its head is the entry and
// its trial balance and payroll register are the source's then.
func TestBackupPointInTime(t *testing.T) {
	dir := t.TempDir()
	ok(t, dir, "--quiet", "demo", "--year", "2025")
	ok(t, dir, "backup", "-o", "then.zip")
	then := manifest(t, dir, "then.zip")
	head := then.Books[0].Head
	reports := func(db string) string {
		var b strings.Builder
		b.WriteString(ok(t, dir, "--db", db, "report", "trial-balance", "--from", "2025", "--to", "2026", "--format", "csv").stdout)
		b.WriteString(ok(t, dir, "--db", db, "report", "open-items", "--to", "2026-12-31", "--format", "csv").stdout)
		b.WriteString(ok(t, dir, "--db", db, "payroll", "register", "--period", "2025-12", "--format", "csv").stdout)
		return b.String()
	}
	want := reports("books.db")
	sum := func(name string) [32]byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return sha256.Sum256(b)
	}
	before := sum("books.db")
	if out := ok(t, dir, "backup", "drill", "then.zip").stdout; !strings.Contains(out, "database: same head, same trial balance") || !strings.Contains(out, "drill: ok, 1 book(s)") {
		t.Errorf("backup drill:\n%s", out)
	}
	if sum("books.db") != before {
		t.Error("backup drill changed the database")
	}
	time.Sleep(5 * time.Millisecond)
	between := time.Now().UTC().Format(time.RFC3339Nano)
	time.Sleep(5 * time.Millisecond)

	ok(t, dir, "payroll", "run", "--period", "2026-01", "--approve", "--post", "--pay")
	ok(t, dir, "partners", "dun", "--date", "2026-02-15")
	ok(t, dir, "close", "--period", "2026-01")
	if reports("books.db") == want {
		t.Fatal("the later work changed no report")
	}

	ok(t, dir, "backup", "--as-of", between, "-o", "asof.zip")
	if diff := cmp.Diff(manifest(t, dir, "asof.zip").Members, then.Members); diff != "" {
		t.Errorf("--as-of: members (-cut +taken then):\n%s", diff)
	}
	out := ok(t, dir, "backup", "--seq", fmt.Sprint(head.Seq), "-o", "seq.zip").stderr
	if !strings.Contains(out, fmt.Sprintf("(entry %d)", head.Seq)) {
		t.Errorf("backup --seq says\n%s", out)
	}
	if out := ok(t, dir, "backup", "verify", "seq.zip").stdout; !strings.Contains(out, fmt.Sprintf("(entry %d)", head.Seq)) {
		t.Errorf("backup verify of the cut says\n%s", out)
	}
	seq := manifest(t, dir, "seq.zip")
	for i, m := range seq.Members {
		switch base := strings.TrimPrefix(m.Name, "books/demo/"); base {
		case "periods.jsonl", "state.jsonl":
			// December was closed after the last entry.
			if w := then.Members[i]; m.Lines != w.Lines-1 {
				t.Errorf("--seq: %s has %d lines, want %d", base, m.Lines, w.Lines-1)
			}
		default:
			if m != then.Members[i] {
				t.Errorf("--seq: %s differs from the archive taken then", base)
			}
		}
	}
	ok(t, dir, "--db", "cut.db", "restore", "seq.zip")
	if got := reports("cut.db"); got != want {
		t.Errorf("reports of the restored cut differ from the source's then:\n%s\nwant\n%s", got, want)
	}
	if v := ok(t, dir, "--db", "cut.db", "verify").stdout; !strings.Contains(v, fmt.Sprint(head.Seq)) {
		t.Errorf("verify of the restored cut: %s", v)
	}
	// Drills: the database went on since; a copy that is behind the archive fails.
	if out := ok(t, dir, "backup", "drill", "seq.zip").stdout; !strings.Contains(out, fmt.Sprintf("database: ahead at entry %d, entry %d the same", head.Seq+2, head.Seq)) {
		t.Errorf("backup drill after later work:\n%s", out)
	}
	if out := ok(t, dir, "backup", "drill", "--no-live", "seq.zip").stdout; strings.Contains(out, "database") {
		t.Errorf("backup drill --no-live:\n%s", out)
	}
	ok(t, dir, "backup", "-o", "now.zip")
	if r := books(t, dir, "--db", "cut.db", "backup", "drill", "now.zip"); r.code != 1 || !strings.Contains(r.stdout, "drill: FAILED") || !strings.Contains(r.stdout, "before the archive's head") {
		t.Errorf("drill of a later archive against the cut copy: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--db", "missing.db", "backup", "drill", "seq.zip"}, "no database"},
		{[]string{"backup", "--seq", "1", "--as-of", between, "-o", "x.zip"}, "not both"},
		{[]string{"backup", "--as-of", "2025-06-30", "-o", "x.zip"}, "not a point in time"},
		{[]string{"backup", "--seq", fmt.Sprint(head.Seq + 100), "-o", "x.zip"}, "last entry"},
	} {
		if r := books(t, dir, tc.args...); r.code == 0 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("books %s: exit %d, %s", strings.Join(tc.args, " "), r.code, r.stderr)
		}
	}
	// The backup past the last entry failed half-way (inside the archive's
	// snapshot): no x.zip, no temporary file.
	if left, _ := filepath.Glob(filepath.Join(dir, "*x.zip*")); len(left) > 0 {
		t.Errorf("failed backups left %q", left)
	}
}

// TestBackupEncrypted encrypts archives with age to recipients given on
// the command line and in a file, and decrypts them with an identity file
// or $BOOKS_BACKUP_IDENTITY; without an identity or with the wrong one
// nothing is read and nothing restored, and a secret key offered as a
// recipient is refused without being echoed.
func TestBackupEncrypted(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return name
	}
	ok(t, dir, "--quiet", "--book", "acme", "import", "journal", write("j.journal",
		"2026-01-03 capital\n  assets:bank  EUR 1000.00\n  equity:capital\n\n2026-01-04 sale\n  assets:bank  EUR 119.00\n  income:sales\n"))
	want := ok(t, dir, "report", "trial-balance", "--format", "csv", "--to", "2026-12-31").stdout
	ids := make([]*age.X25519Identity, 3)
	for i := range ids {
		var err error
		if ids[i], err = age.GenerateX25519Identity(); err != nil {
			t.Fatal(err)
		}
	}
	key := write("key.txt", "# the backup key\n"+ids[0].String()+"\n")
	wrong := write("wrong.txt", ids[2].String()+"\n")

	r := ok(t, dir, "backup", "--encrypt-to", ids[0].Recipient().String(), "-o", "enc.zip")
	if !strings.Contains(r.stderr, "encrypted with age to 1 recipient") {
		t.Errorf("backup --encrypt-to: %s", r.stderr)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "enc.zip")); err != nil || !strings.HasPrefix(string(b), "age-encryption.org/v1\n") {
		t.Fatalf("enc.zip is not an age file (%v)", err)
	}
	if r := books(t, dir, "backup", "verify", "enc.zip"); r.code != 2 || !strings.Contains(r.stderr, "--identity FILE") {
		t.Errorf("verify without identity: exit %d, %s", r.code, r.stderr)
	}
	if out := ok(t, dir, "backup", "verify", "--identity", key, "enc.zip").stdout; !strings.Contains(out, "decrypted with age") {
		t.Errorf("verify of an encrypted archive says\n%s", out)
	}
	if r := books(t, dir, "--db", "w.db", "restore", "--identity", wrong, "enc.zip"); r.code != 1 || !strings.Contains(r.stderr, "none of the identities decrypts the archive") {
		t.Errorf("restore with the wrong key: exit %d, %s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "w.db")); !os.IsNotExist(err) {
		t.Errorf("restore with the wrong key left a database (%v)", err)
	}
	ok(t, dir, "--db", "r.db", "restore", "--identity", key, "enc.zip")
	if got := ok(t, dir, "--db", "r.db", "report", "trial-balance", "--format", "csv", "--to", "2026-12-31").stdout; got != want {
		t.Errorf("restored trial balance:\n%s\nwant\n%s", got, want)
	}

	// A recipients file of two; the second identity from the environment.
	write("recipients.txt", "# office and offsite\n"+ids[0].Recipient().String()+"\n"+ids[1].Recipient().String()+"\n")
	ok(t, dir, "backup", "--recipients-file", "recipients.txt", "-o", "enc2.zip")
	t.Setenv("BOOKS_BACKUP_IDENTITY", ids[1].String())
	if out := ok(t, dir, "backup", "drill", "enc2.zip").stdout; !strings.Contains(out, "drill: ok") {
		t.Errorf("drill with the identity from the environment:\n%s", out)
	}
	t.Setenv("BOOKS_BACKUP_IDENTITY", "not a key")
	if r := books(t, dir, "backup", "verify", "enc2.zip"); r.code != 2 || !strings.Contains(r.stderr, "$BOOKS_BACKUP_IDENTITY holds no usable age identity") {
		t.Errorf("a bad identity in the environment: exit %d, %s", r.code, r.stderr)
	}

	secret := ids[0].String()
	if r := books(t, dir, "backup", "--encrypt-to", secret, "-o", "x.zip"); r.code != 2 || !strings.Contains(r.stderr, "that is a secret key") || strings.Contains(r.stderr, secret) {
		t.Errorf("a secret key as recipient: exit %d, %s", r.code, r.stderr)
	}
	if r := books(t, dir, "backup", "--recipients-file", key, "-o", "x.zip"); r.code != 2 || strings.Contains(r.stderr, secret) {
		t.Errorf("a key file as recipients file: exit %d, %s", r.code, r.stderr)
	}
}

// TestBackupIncremental backs the demo company up whole, lets it go on
// twice (pay runs posted and paid, a dunning run, months closed) with an
// incremental backup after each, and restores the three into SQLite (and
// PostgreSQL) in one go and one after another: reports and verify are the
// source's. An increment missing, out of order, or on a database that
// does not hold its base is refused and writes nothing.
func TestBackupIncremental(t *testing.T) {
	dir := t.TempDir()
	ok(t, dir, "--quiet", "demo", "--year", "2025")
	ok(t, dir, "backup", "-o", "base.zip")
	ok(t, dir, "payroll", "run", "--period", "2026-01", "--approve", "--post", "--pay")
	ok(t, dir, "partners", "dun", "--date", "2026-02-15")
	ok(t, dir, "close", "--period", "2026-01")
	if out := ok(t, dir, "backup", "--since", "base.zip", "-o", "inc1.zip").stderr; !strings.Contains(out, "incremental on base.zip") {
		t.Errorf("backup --since says\n%s", out)
	}
	ok(t, dir, "payroll", "run", "--period", "2026-02", "--approve", "--post")
	ok(t, dir, "close", "--period", "2026-02")
	ok(t, dir, "backup", "--since", "inc1.zip", "-o", "inc2.zip")
	if out := ok(t, dir, "backup", "verify", "inc2.zip").stdout; !strings.Contains(out, "incremental on the archive with manifest") || !strings.Contains(out, "after the base's entry") {
		t.Errorf("backup verify of an increment:\n%s", out)
	}
	base, inc2 := manifest(t, dir, "base.zip"), manifest(t, dir, "inc2.zip")
	if n, all := inc2.Books[0].Counts["entries.jsonl"], int(inc2.Books[0].Head.Seq); n == 0 || n >= all-int(base.Books[0].Head.Seq)+1 {
		t.Errorf("increment 2 holds %d of %d entries", n, all)
	}
	reports := func(db string) string {
		var b strings.Builder
		b.WriteString(ok(t, dir, "--db", db, "report", "trial-balance", "--from", "2025", "--to", "2026", "--format", "csv").stdout)
		b.WriteString(ok(t, dir, "--db", db, "report", "open-items", "--to", "2026-12-31", "--format", "csv").stdout)
		b.WriteString(ok(t, dir, "--db", db, "payroll", "register", "--period", "2026-01", "--format", "csv").stdout)
		b.WriteString(ok(t, dir, "--db", db, "payroll", "register", "--period", "2026-02", "--format", "csv").stdout)
		return b.String()
	}
	verify := func(db string) string { return ok(t, dir, "--db", db, "verify").stdout }
	want, wantVerify := reports("books.db"), verify("books.db")

	targets := []string{"chain.db"}
	if dsn := os.Getenv("BACKOFFICE_TEST_POSTGRES"); dsn != "" {
		targets = append(targets, pgSchema(t, dsn))
	}
	for _, db := range targets {
		ok(t, dir, "--db", db, "restore", "base.zip", "inc1.zip", "inc2.zip")
		if got := reports(db); got != want {
			t.Errorf("%s: reports differ from the source's:\n%s\nwant\n%s", db, got, want)
		}
		if got := verify(db); got != wantVerify {
			t.Errorf("%s: verify says\n%s\nthe source\n%s", db, got, wantVerify)
		}
	}
	for _, f := range []string{"base.zip", "inc1.zip", "inc2.zip"} {
		ok(t, dir, "--db", "steps.db", "restore", f)
	}
	if got := reports("steps.db"); got != want {
		t.Errorf("restored one by one: reports differ from the source's")
	}
	if out := ok(t, dir, "backup", "drill", "base.zip", "inc1.zip", "inc2.zip").stdout; !strings.Contains(out, "database: same head, same trial balance") {
		t.Errorf("backup drill of the chain:\n%s", out)
	}

	for _, tc := range []struct {
		db   string
		args []string
		want string
	}{
		{"gap.db", []string{"base.zip", "inc2.zip"}, "missing or out of order"},
		{"gap.db", []string{"base.zip", "inc2.zip", "inc1.zip"}, "missing or out of order"},
		{"gap.db", []string{"inc1.zip"}, "does not hold the book"},
		{"steps.db", []string{"inc2.zip"}, "the incremental archive's base at entry"},
	} {
		r := books(t, dir, append([]string{"--db", tc.db, "restore"}, tc.args...)...)
		if r.code != 1 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("restore %s into %s: exit %d, %s", strings.Join(tc.args, " "), tc.db, r.code, r.stderr)
		}
	}
	if got := verify("gap.db"); strings.Contains(got, "demo") {
		t.Errorf("refused restores wrote into gap.db:\n%s", got)
	}
	if got := reports("steps.db"); got != want {
		t.Errorf("a refused increment changed steps.db")
	}
}
