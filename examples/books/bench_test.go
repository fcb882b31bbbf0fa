package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// tinyBench are the sizes of a short books bench run: every benchmark
// runs, but on a few hundred rows for a few milliseconds.
var tinyBench = []string{"--duration", "20ms", "--postings", "2000", "--accounts", "20", "--import", "50",
	"--employees", "2", "--goroutines", "2", "--batch", "50"}

// benchRows are the rows books bench prints, in order.
var benchRows = []string{"post", "post-concurrent", "post-batch", "import", "payrun", "trial-balance-year", "trial-balance-range"}

// benchTable parses the text table of books bench: row name → its
// columns (unit, ops, ops/s, baseline ops/s, ratio, p50, p99).
func benchTable(t *testing.T, out string) (names []string, cols map[string][]string) {
	t.Helper()
	cols = map[string][]string{}
	lines := strings.Split(out, "\n")
	i := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, "baseline ops/s") })
	if i < 0 {
		t.Fatalf("no table header in:\n%s", out)
	}
	for _, l := range lines[i+1:] {
		f := strings.Fields(l)
		if len(f) == 0 {
			break
		}
		if len(f) != 8 {
			t.Fatalf("row %q: %d columns, want 8", l, len(f))
		}
		names = append(names, f[0])
		cols[f[0]] = f[1:]
	}
	return names, cols
}

// checkBenchTable checks that every benchmark has a row with operations
// and positive rates and ratio, and that each baseline is said.
func checkBenchTable(t *testing.T, out string) {
	t.Helper()
	names, cols := benchTable(t, out)
	if !slices.Equal(names, benchRows) {
		t.Errorf("rows %v, want %v", names, benchRows)
	}
	for name, c := range cols {
		ops, err := strconv.Atoi(c[1])
		if err != nil || ops <= 0 {
			t.Errorf("%s: ops %q, want a positive count", name, c[1])
		}
		for _, v := range []string{c[2], c[3], strings.TrimSuffix(c[4], "×")} {
			if f, err := strconv.ParseFloat(v, 64); err != nil || !(f > 0) {
				t.Errorf("%s: %q is not a positive number (row %v)", name, v, c)
			}
		}
		if !strings.HasSuffix(c[4], "×") {
			t.Errorf("%s: ratio %q lacks its ×", name, c[4])
		}
		if !regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(name) + ` +call: \S.*\n +baseline: \S`).MatchString(out) {
			t.Errorf("%s: no call and baseline said in:\n%s", name, out)
		}
	}
}

// scratchFiles are what books bench may leave of a SQLite scratch file.
func scratchFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, ".books-bench-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestBench runs books bench with tiny sizes on the memory store and on
// SQLite: a row per benchmark with positive rates and ratio, the scratch
// file gone afterwards, the --db file never created.
func TestBench(t *testing.T) {
	for _, store := range []string{"memory", "sqlite"} {
		t.Run(store, func(t *testing.T) {
			dir := t.TempDir()
			r := ok(t, dir, append([]string{"--quiet", "bench", "--store", store}, tinyBench...)...)
			checkBenchTable(t, r.stdout)
			if !strings.Contains(r.stdout, store+" store") {
				t.Errorf("the table does not name the store %s:\n%s", store, r.stdout)
			}
			if left := scratchFiles(t, dir); len(left) > 0 {
				t.Errorf("scratch files left: %v", left)
			}
			if _, err := os.Stat(filepath.Join(dir, "books.db")); err == nil {
				t.Error("books bench created books.db: it must never open the user's database")
			}
		})
	}
}

// TestBenchJSON: --format json gives the same rows as data.
func TestBenchJSON(t *testing.T) {
	r := ok(t, t.TempDir(), append([]string{"--quiet", "bench", "--store", "memory", "--format", "json", "--only", "post,trial-balance"}, tinyBench...)...)
	var got struct {
		Store string     `json:"store"`
		Rows  []benchRow `json:"benchmarks"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("%v:\n%s", err, r.stdout)
	}
	var names []string
	for _, row := range got.Rows {
		names = append(names, row.Name)
		if row.Ops <= 0 || !(row.OpsPerSec > 0) || !(row.BaseOpsPerSec > 0) || !(row.Ratio > 0) || row.Baseline == "" {
			t.Errorf("row %+v: want positive ops, rates and ratio and a baseline", row)
		}
	}
	if want := []string{"post", "trial-balance-year", "trial-balance-range"}; got.Store != "memory" || !slices.Equal(names, want) {
		t.Errorf("store %q, rows %v; want memory and %v", got.Store, names, want)
	}
}

func TestBenchUsage(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"postgres without DSN", []string{"bench", "--store", "postgres"}, "postgres:// DSN"},
		{"unknown store", []string{"bench", "--store", "oracle"}, "--store"},
		{"unknown benchmark", []string{"bench", "--only", "post,nope"}, "unknown benchmark"},
		{"bad size", []string{"bench", "--postings", "0"}, "--postings"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := books(t, dir, tt.args...)
			if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", r.code, r.stderr, tt.want)
			}
		})
	}
}

// TestBenchInterrupt: Ctrl-C stops books bench between operations, and the
// scratch SQLite file is removed all the same.
func TestBenchInterrupt(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(bin, "bench", "--store", "sqlite", "--duration", "1m", "--accounts", "20")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "BOOKS_DB=")
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); len(scratchFiles(t, dir)) == 0; {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no scratch file after 30s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // into the first benchmark
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Errorf("exit %v, want 1; stderr:\n%s", err, errb.String())
	}
	if !strings.Contains(errb.String(), "interrupted") {
		t.Errorf("stderr does not say interrupted:\n%s", errb.String())
	}
	if left := scratchFiles(t, dir); len(left) > 0 {
		t.Errorf("scratch files left after Ctrl-C: %v", left)
	}
}

// TestBenchPostgres runs books bench in a scratch schema of the test
// database and checks that the schema is gone afterwards.
func TestBenchPostgres(t *testing.T) {
	dsn := os.Getenv("BACKOFFICE_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("BACKOFFICE_TEST_POSTGRES is not set")
	}
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	dir := t.TempDir()
	r := ok(t, dir, append([]string{"--db", dsn, "bench"}, tinyBench...)...)
	checkBenchTable(t, r.stdout)
	m := regexp.MustCompile(`PostgreSQL schema (bench_[0-9a-f]{12})`).FindStringSubmatch(r.stderr)
	if m == nil {
		t.Fatalf("stderr names no scratch schema:\n%s", r.stderr)
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM pg_namespace WHERE nspname = $1", m[1]).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("scratch schema %s is still there", m[1])
	}
	if !strings.Contains(r.stderr, "dropped PostgreSQL schema "+m[1]) {
		t.Errorf("stderr does not say the schema was dropped:\n%s", r.stderr)
	}
}
