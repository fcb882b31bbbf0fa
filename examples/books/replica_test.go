package main

import (
	"bytes"
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestReplica reads reports and exports on a hot standby of the PostgreSQL
// test server (--replica): they equal the primary's and say as of which
// entry they are; the other commands refuse --replica, and a replica's
// password is never printed. It runs where .ci/run sets both
// BACKOFFICE_TEST_POSTGRES and BACKOFFICE_TEST_POSTGRES_REPLICA.
func TestReplica(t *testing.T) {
	dsn, rdsn := os.Getenv("BACKOFFICE_TEST_POSTGRES"), os.Getenv("BACKOFFICE_TEST_POSTGRES_REPLICA")
	if dsn == "" || rdsn == "" {
		t.Skip("BACKOFFICE_TEST_POSTGRES or BACKOFFICE_TEST_POSTGRES_REPLICA is not set")
	}
	dir := t.TempDir()
	db := pgSchema(t, dsn)
	sep := "?"
	if strings.Contains(rdsn, "?") {
		sep = "&"
	}
	replica := rdsn + sep + db[strings.LastIndex(db, "search_path="):]

	ok(t, dir, "--db", db, "--book", "acme", "init", "--chart", "skr03")
	csv := "key,date,account,debit,credit\n" +
		"cap,2026-01-02,1200,25000.00,\ncap,,0800,,25000.00\n" +
		"inv,2026-02-15,1400,1190.00,\ninv,,8400,,1000.00\ninv,,1776,,190.00\n" +
		"rent,2026-03-31,4210,1500.00,\nrent,,1200,,1500.00\n"
	if err := os.WriteFile(filepath.Join(dir, "e.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	ok(t, dir, "--db", db, "import", "entries", "e.csv")
	waitForReplay(t, dsn, rdsn)

	generated := regexp.MustCompile(`(?m)^.*(generated|Generated|erstellt|Erstellt).*$`)
	for _, format := range []string{"text", "csv", "json"} {
		t.Run("report/"+format, func(t *testing.T) {
			args := []string{"report", "trial-balance", "--to", "2026-03-31", "--format", format}
			want := ok(t, dir, append([]string{"--db", db}, args...)...).stdout
			r := ok(t, dir, append([]string{"--db", db, "--replica", replica}, args...)...)
			got := r.stdout
			if format != "csv" && !strings.Contains(got, "as of entry 3 (replica)") { // CSV has no header
				t.Errorf("the report read on the replica does not say as of which entry:\n%s", got)
			}
			if !strings.Contains(r.stderr, "as of entry 3 (replica), replayed to LSN ") {
				t.Errorf("books report does not say on stderr as of which entry it read the replica:\n%s", r.stderr)
			}
			got = strings.NewReplacer(", as of entry 3 (replica)", "", "as of entry 3 (replica)", "").Replace(got)
			if generated.ReplaceAllString(got, "") != generated.ReplaceAllString(want, "") {
				t.Errorf("the replica's report differs from the primary's:\n%s\nwant:\n%s", got, want)
			}
		})
	}
	t.Run("env", func(t *testing.T) {
		// $BOOKS_REPLICA_DSN as --replica; a general ledger streams.
		cmd := []string{"--db", db, "report", "general-ledger", "--to", "2026-03-31"}
		r := booksEnv(t, dir, []string{"BOOKS_REPLICA_DSN=" + replica}, cmd...)
		if r.code != 0 || !strings.Contains(r.stdout, "as of entry 3 (replica)") {
			t.Errorf("general ledger with $BOOKS_REPLICA_DSN: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
		}
	})
	t.Run("export", func(t *testing.T) {
		want := ok(t, dir, "--db", db, "export", "journal").stdout
		r := ok(t, dir, "--db", db, "--replica", replica, "export", "journal")
		if !strings.Contains(r.stdout, "exported by backoffice books, as of entry 3 (replica)\n") {
			t.Errorf("the journal exported from the replica does not say as of which entry:\n%s", r.stdout)
		}
		if got := strings.Replace(r.stdout, ", as of entry 3 (replica)", "", 1); got != want {
			t.Errorf("the replica's journal differs from the primary's:\n%s\nwant:\n%s", got, want)
		}
		r = ok(t, dir, "--db", db, "--replica", replica, "export", "entries")
		if !strings.Contains(r.stderr, "exported 3 entries, as of entry 3 (replica)") {
			t.Errorf("export entries from the replica: %s", r.stderr)
		}
	})
	t.Run("refused", func(t *testing.T) {
		for _, tt := range []struct {
			name string
			args []string
			code int
			want string
		}{
			{"a command that writes", []string{"--db", db, "--replica", replica, "close", "--period", "2026-01"}, 2, "--replica is for report and export"},
			{"SQLite", []string{"--replica", replica, "report", "trial-balance", "--to", "2026-03-31"}, 2, "needs PostgreSQL"},
			{"DATEV --save", []string{"--db", db, "--replica", replica, "export", "datev", "--year", "2026", "--consultant", "1001", "--client", "1", "--save"}, 2, "without --replica"},
			{"unreachable, password hidden", []string{"--db", db, "--replica", "postgres://postgres:s3cr3t@127.0.0.1:1/test?sslmode=disable&connect_timeout=2", "report", "trial-balance"}, 1, "xxxxx"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				r := books(t, dir, tt.args...)
				if r.code != tt.code || !strings.Contains(r.stderr, tt.want) || strings.Contains(r.stderr, "s3cr3t") {
					t.Errorf("exit %d, want %d with %q:\n%s", r.code, tt.code, tt.want, r.stderr)
				}
			})
		}
	})
}

// booksEnv is books with env added to the environment, after books's own.
func booksEnv(t testing.TB, dir string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "BOOKS_DB=", "BOOKS_REPLICA_DSN="), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("run books %v: %v", args, err)
	}
	return r
}

// waitForReplay waits until the standby at rdsn has replayed the WAL the
// primary at dsn had written when it was called.
func waitForReplay(t testing.TB, dsn, rdsn string) {
	t.Helper()
	primary, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer primary.Close()
	standby, err := sql.Open("postgres", rdsn)
	if err != nil {
		t.Fatal(err)
	}
	defer standby.Close()
	var lsn string
	if err := primary.QueryRow("SELECT pg_current_wal_lsn()::text").Scan(&lsn); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(20 * time.Millisecond) {
		var done bool
		if err := standby.QueryRow("SELECT COALESCE(pg_last_wal_replay_lsn() >= $1::pg_lsn, false)", lsn).Scan(&done); err != nil {
			t.Fatal(err)
		}
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the standby has not replayed up to %s in 2 minutes", lsn)
		}
	}
}
