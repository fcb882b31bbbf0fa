package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/openbackoffice/backoffice/store/sqlite"
)

// TestVerifyAnchors is the reproduction: balanced totals raised
// with nothing but UPDATE, then a chain cut consistently (head moved back),
// which only an anchor kept outside the database shows.
func TestVerifyAnchors(t *testing.T) {
	dir := t.TempDir()
	ok(t, dir, "--book", "acme", "init", "--chart", "skr03")
	csv := "key,date,account,debit,credit\n" +
		"cap,2026-01-02,1200,25000.00,\ncap,,0800,,25000.00\n" +
		"rent,2026-01-31,4210,1500.00,\nrent,,1200,,1500.00\n"
	if err := os.WriteFile(filepath.Join(dir, "e.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	ok(t, dir, "import", "entries", "e.csv")
	r := ok(t, dir, "verify")
	m := regexp.MustCompile(`acme: ok, 2 entries, head (2:[0-9a-f]{64}), state \d+:[0-9a-f]{64}`).FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("verify prints no full head: %s", r.stdout)
	}
	head := m[1]
	pub := ok(t, dir, "checkpoint", "--new-key", "key.pem").stdout
	os.WriteFile(filepath.Join(dir, "pub.pem"), []byte(pub), 0o644)
	if fi, err := os.Stat(filepath.Join(dir, "key.pem")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v %v", fi, err)
	}
	ok(t, dir, "checkpoint", "--key", "key.pem", "-o", "cp.txt")
	ok(t, dir, "verify", "--expect-head", head, "--checkpoint", "cp.txt", "--pub", "pub.pem")
	if r := ok(t, dir, "verify", "--since", head); !strings.Contains(r.stdout, "acme: ok, entries 3 to 2") {
		t.Errorf("verify --since the head: %s", r.stdout)
	}
	if r := ok(t, dir, "verify", "--since", "1"); !strings.Contains(r.stdout, "entries 2 to 2, head "+head) {
		t.Errorf("verify --since 1: %s", r.stdout)
	}
	if r := books(t, dir, "verify", "--since", "x"); r.code != 2 {
		t.Errorf("verify --since x: exit %d", r.code)
	}
	if r := books(t, dir, "verify", "--expect-head", "2:00"); r.code != 2 {
		t.Errorf("verify --expect-head 2:00: exit %d %s", r.code, r.stderr)
	}

	// Entry 2 cut and the head moved back onto entry 1, triggers dropped:
	// Verify alone passes, the anchors do not.
	exec := func(qs ...string) {
		t.Helper()
		ctx := context.Background()
		s, err := sqlite.Open(ctx, filepath.Join(dir, "books.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		for _, q := range qs {
			if _, err := s.DB().ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	exec("UPDATE bo_totals SET debit = debit + 50000 WHERE account = '1200'",
		"UPDATE bo_totals SET credit = credit + 50000 WHERE account = '0800'")
	r = books(t, dir, "verify")
	if r.code != 1 || !strings.Contains(r.stderr, "totals of account 0800 in 2026-01") {
		t.Errorf("verify after raising totals: exit %d %s", r.code, r.stderr)
	}
	if r := books(t, dir, "verify", "--book", "acme", "--expect-head", head); r.code != 1 {
		t.Errorf("verify --expect-head of a tampered book: exit %d", r.code)
	}
	// No report reads the raised totals: each refuses, naming them.
	for _, kind := range []string{"trial-balance", "balance-sheet", "income-statement", "cash-flow"} {
		r := books(t, dir, "report", kind, "-p", "2026")
		if r.code != 1 || !strings.Contains(r.stderr, "book acme does not verify, no report from it: first bad record: totals of account 0800 in 2026-01") || r.stdout != "" {
			t.Errorf("report %s of raised totals: exit %d %s\n%s", kind, r.code, r.stderr, r.stdout)
		}
	}
	if r := books(t, dir, "report", "trial-balance", "-p", "2026", "--no-verify"); r.code != 0 || !strings.Contains(r.stdout, "0800") {
		t.Errorf("report --no-verify: exit %d %s", r.code, r.stderr)
	}

	// Totals put back and entry 2 (the rent) cut consistently, head and
	// derived tables included, with the triggers dropped: Verify alone
	// passes, the anchors do not.
	var drops []string
	for _, tr := range []string{"bo_totals_only_grow", "bo_totals_no_delete", "bo_balances_no_delete", "bo_entries_no_delete",
		"bo_postings_no_delete", "bo_check_chain"} {
		drops = append(drops, "DROP TRIGGER "+tr)
	}
	exec(append(drops,
		"UPDATE bo_totals SET debit = debit - 50000 WHERE account = '1200'",
		"UPDATE bo_totals SET credit = credit - 50000 WHERE account = '0800'",
		"DELETE FROM bo_postings WHERE book = 'acme' AND seq = 2",
		"DELETE FROM bo_entries WHERE book = 'acme' AND seq = 2",
		"DELETE FROM bo_totals WHERE book = 'acme' AND account = '4210'",
		"DELETE FROM bo_balances WHERE book = 'acme' AND account = '4210'",
		"UPDATE bo_totals SET credit = credit - 150000 WHERE book = 'acme' AND account = '1200'",
		"UPDATE bo_balances SET balance = balance + 150000 WHERE book = 'acme' AND account = '1200'",
		"UPDATE bo_books SET head_seq = 1, head_hash = (SELECT hash FROM bo_entries WHERE book = 'acme' AND seq = 1) WHERE id = 'acme'",
	)...)
	if r := ok(t, dir, "verify"); !strings.Contains(r.stdout, "acme: ok, 1 entries") {
		t.Errorf("verify of a consistently cut chain: %s", r.stdout)
	}
	r = books(t, dir, "verify", "--expect-head", head)
	if r.code != 1 || !strings.Contains(r.stderr, "first bad record: entry 2: missing") {
		t.Errorf("verify --expect-head of a cut chain: exit %d %s", r.code, r.stderr)
	}
	r = books(t, dir, "verify", "--since", head)
	if r.code != 1 || !strings.Contains(r.stderr, "entry 2: missing") {
		t.Errorf("verify --since of a cut chain: exit %d %s", r.code, r.stderr)
	}
	r = books(t, dir, "verify", "--checkpoint", "cp.txt", "--pub", "pub.pem")
	if r.code != 1 || !strings.Contains(r.stderr, "entry 2: missing") {
		t.Errorf("verify --checkpoint of a cut chain: exit %d %s", r.code, r.stderr)
	}
	// A statement changed by hand is refused.
	cp, _ := os.ReadFile(filepath.Join(dir, "cp.txt"))
	os.WriteFile(filepath.Join(dir, "cp2.txt"), []byte(strings.Replace(string(cp), "entries: 2:", "entries: 1:", 1)), 0o644)
	if r := books(t, dir, "verify", "--checkpoint", "cp2.txt"); r.code == 0 || !strings.Contains(r.stderr, "signature") {
		t.Errorf("verify --checkpoint of an edited statement: exit %d %s", r.code, r.stderr)
	}
}
