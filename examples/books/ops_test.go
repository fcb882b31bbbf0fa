package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/openbackoffice/backoffice/examples/closebatch/batch"
)

// TestOperations: passwords never printed, read-only commands create no
// database, nothing said created that was rolled back, entries-CSV errors
// name the row and account, progress as log lines when piped, --quiet,
// errors and summaries as JSON with --log-format json.
func TestOperations(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return name
	}
	t.Run("redacted", func(t *testing.T) {
		for _, dsn := range []string{"postgres://u:hunter2@127.0.0.1:1/x?sslmode=disable", "postgres://u:s3cr%40t@127.0.0.1:1/x", "postgres://u:pw@[bad"} {
			for _, cmd := range []string{"books", "report", "verify"} {
				r := books(t, dir, "--db", dsn, cmd)
				for _, secret := range []string{"hunter2", "s3cr", "pw@"} {
					if r.code == 0 || strings.Contains(r.stderr+r.stdout, secret) {
						t.Errorf("%s with %s: exit %d, prints the password: %s", cmd, dsn, r.code, r.stderr)
					}
				}
			}
		}
		if got := batch.Redact("host=h user=u password='x y' dbname=d"); strings.Contains(got, "x y") {
			t.Errorf("Redact(key/value) = %q", got)
		}
	})
	t.Run("read-only", func(t *testing.T) {
		for _, cmd := range [][]string{{"report", "trial-balance"}, {"verify"}, {"export", "journal"}, {"books"}} {
			r := books(t, dir, append([]string{"--db", "nope.db"}, cmd...)...)
			if r.code != 2 || !strings.Contains(r.stderr, "no database at nope.db") {
				t.Errorf("%v on a missing database: exit %d, %s", cmd, r.code, r.stderr)
			}
			if _, err := os.Stat(filepath.Join(dir, "nope.db")); err == nil {
				t.Fatalf("%v created nope.db", cmd)
			}
		}
	})
	t.Run("rolled back", func(t *testing.T) {
		bad := write("untyped.journal", "2026-01-03 x\n  misc:thing  EUR 1\n  assets:bank\n")
		r := books(t, dir, "--db", "rb.db", "import", "journal", bad)
		if r.code != 1 || strings.Contains(r.stderr, "created") || !strings.Contains(r.stderr, "untyped.journal:2: account misc:") {
			t.Errorf("failed import: exit %d, %s", r.code, r.stderr)
		}
	})
	t.Run("entries row", func(t *testing.T) {
		ok(t, dir, "--db", "e.db", "init")
		f := write("e.csv", "key,date,account,debit,credit\nx1,2025-01-05,1120,10.00,\nx1,,4100,,10.00\nx3,2025-01-06,1120,5.00,\nx3,,9999,,5.00\n")
		r := books(t, dir, "--db", "e.db", "import", "entries", f)
		if r.code != 1 || !strings.Contains(r.stderr, `e.csv row 5: entry "x3", account "9999": ledger: unknown account`) || !strings.Contains(r.stderr, "books import accounts") {
			t.Errorf("unknown account: exit %d, %s", r.code, r.stderr)
		}
	})
	t.Run("progress and json", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("key,date,account,debit,credit\n")
		for i := range postChunk + 1 {
			fmt.Fprintf(&b, "k%d,2025-01-05,1120,1.00,\nk%d,,4100,,1.00\n", i, i)
		}
		f := write("many.csv", b.String())
		ok(t, dir, "--db", "p.db", "init")
		r := ok(t, dir, "--db", "p.db", "--progress", "0s", "--log-format", "json", "import", "entries", f)
		var progress, summary int
		for _, line := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
			var rec map[string]any
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatalf("not a JSON log line: %q", line)
			}
			switch {
			case rec["msg"] == "posting" && rec["total"] == float64(postChunk+1):
				progress++
			case strings.HasPrefix(fmt.Sprint(rec["msg"]), "entries: 10001 posted"):
				summary++
			}
		}
		if progress != 1 || summary != 1 {
			t.Errorf("progress lines %d, summaries %d, want 1 and 1:\n%s", progress, summary, r.stderr)
		}
		r = ok(t, dir, "--db", "p.db", "--quiet", "--progress", "0s", "import", "entries", f)
		if strings.Contains(r.stderr, "posting") || !strings.Contains(r.stderr, "entries: 0 posted, 10001 already posted") {
			t.Errorf("--quiet: %s", r.stderr)
		}
		r = books(t, dir, "--db", "p.db", "--log-format", "json", "report", "nope")
		var rec map[string]any
		if err := json.Unmarshal([]byte(strings.TrimSpace(r.stderr)), &rec); r.code != 2 || err != nil || rec["level"] != "ERROR" {
			t.Errorf("a usage error with --log-format json: exit %d, %s", r.code, r.stderr)
		}
	})
}
