package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// hledger returns the hledger binary, or "" (then the hledger checks are
// skipped); $BACKOFFICE_TEST_HLEDGER set makes a missing hledger a failure.
func hledger(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("BACKOFFICE_TEST_HLEDGER"); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			t.Fatalf("$BACKOFFICE_TEST_HLEDGER=%s: %v", p, err)
		}
		return p
	}
	p, err := exec.LookPath("hledger")
	if err != nil {
		t.Log("hledger not installed: exports are not checked with it")
		return ""
	}
	return p
}

// runHledger runs hledger with args in dir and returns its output.
func runHledger(t *testing.T, bin, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("hledger %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestExportJournalHledger: books export journal round-trips through
// hledger — for a journal-imported book (names with spaces kept, type C,
// status marks) and a numeric chart ("1120 Bank"-style names whose code
// tag the import restores): hledger check -s passes, hledger's balance
// report of the export equals its report of the original, and importing
// the export into a new database gives the same trial balance.
func TestExportJournalHledger(t *testing.T) {
	bin := hledger(t)
	dir := t.TempDir()
	src := "account assets:bank  ; type: C\n\n" +
		"2026-01-02 * Opening\n    assets:bank   EUR 5000.00\n    equity:opening balances\n\n" +
		"2026-01-15 ! (INV-1) Sale\n    assets:vat receivable   EUR 190.00\n    assets:receivables   EUR 1000.00\n    revenue:sales   EUR -1190.00\n\n" +
		"2026-01-20 Rent\n    expenses:rent   EUR 800.00\n    assets:bank\n"
	if err := os.WriteFile(filepath.Join(dir, "orig.journal"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	ok(t, dir, "--db", "a.db", "import", "journal", "orig.journal")
	ok(t, dir, "--db", "a.db", "export", "journal", "-o", "a.journal")
	exp, err := os.ReadFile(filepath.Join(dir, "a.journal"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"commodity EUR 1000.00\n", "account assets:bank  ; type: C\n", "account assets:vat receivable  ; type: A\n",
		"account equity:opening balances  ; type: E\n", "2026-01-15 ! (INV-1) Sale\n", "    assets:vat receivable  EUR 190.00\n"} {
		if !strings.Contains(string(exp), want) {
			t.Errorf("export lacks %q:\n%s", want, exp)
		}
	}
	// A numeric chart: the default chart with a few entries.
	ok(t, dir, "--db", "n.db", "init", "--chart", "default")
	entries := "key,date,account,debit,credit,description\n" +
		"o1,2026-01-01,1120,1000.00,,Opening\no1,,3100,,1000.00,\n" +
		"s1,2026-01-10,1200,119.00,,Sale\ns1,,4100,,100.00,\ns1,,2120,,19.00,\n"
	if err := os.WriteFile(filepath.Join(dir, "n.csv"), []byte(entries), 0o644); err != nil {
		t.Fatal(err)
	}
	ok(t, dir, "--db", "n.db", "import", "entries", "n.csv")
	ok(t, dir, "--db", "n.db", "export", "journal", "-o", "n.journal")
	numeric, err := os.ReadFile(filepath.Join(dir, "n.journal"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"account 1000 Assets:1100 Current assets:1120 Bank  ; type: C, code: 1120, name: Bank\n",
		"    1000 Assets:1100 Current assets:1120 Bank  EUR 1000.00\n"} {
		if !strings.Contains(string(numeric), want) {
			t.Errorf("numeric export lacks %q:\n%s", want, numeric)
		}
	}
	// Read back: the same trial balance, codes and names restored.
	for _, db := range []string{"a", "n"} {
		ok(t, dir, "--db", db+"2.db", "import", "journal", db+".journal")
		args := []string{"report", "trial-balance", "--from", "2026-01-01", "--to", "2026-01-31", "--format", "csv"}
		want := ok(t, dir, append([]string{"--db", db + ".db"}, args...)...).stdout
		got := ok(t, dir, append([]string{"--db", db + "2.db"}, args...)...).stdout
		if cut := func(s string) string { _, rest, _ := strings.Cut(s, "\n"); return rest }; cut(got) != cut(want) {
			t.Errorf("%s: trial balance of the re-imported export:\n%s\nwant:\n%s", db, got, want)
		}
	}
	if bin == "" {
		return
	}
	for _, f := range []string{"a.journal", "n.journal"} {
		runHledger(t, bin, dir, "-f", f, "check", "-s")
	}
	bal := func(f string) string {
		return runHledger(t, bin, dir, "-f", f, "balance", "--flat", "-O", "csv", "-c", "1000.00 EUR")
	}
	if got, want := bal("a.journal"), bal("orig.journal"); got != want {
		t.Errorf("hledger's balance of the export:\n%s\nof the original:\n%s", got, want)
	}
}

// TestExportJournalStyles: for every journal of the corpus that imports,
// books export journal writes each commodity in the style hledger gives it
// in the original (side, space, decimal mark, digit groups, precision:
// the styles the import recorded on the accounts), so that hledger's
// balance report of the export equals its report of the original to the
// byte, and hledger check -s passes on the export.
func TestExportJournalStyles(t *testing.T) {
	bin := hledger(t)
	if bin == "" {
		t.Skip("hledger not installed")
	}
	paths, err := filepath.Glob("../../journal/testdata/corpus/*.journal")
	if err != nil || len(paths) == 0 {
		t.Fatal("no corpus", err)
	}
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".journal")
		if strings.HasPrefix(name, "refuse-") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			src, err := filepath.Abs(path)
			if err != nil {
				t.Fatal(err)
			}
			// The corpus's untyped top-level names (alias, include).
			mapping := "account,type\noffice,expense\nchecking,asset\n"
			if err := os.WriteFile(filepath.Join(dir, "map.csv"), []byte(mapping), 0o644); err != nil {
				t.Fatal(err)
			}
			ok(t, dir, "--db", "b.db", "import", "journal", "--mapping", "map.csv", src)
			ok(t, dir, "--db", "b.db", "export", "journal", "-o", "export.journal")
			runHledger(t, bin, dir, "-f", "export.journal", "check", "-s")
			got, want := runHledger(t, bin, dir, "-f", "export.journal", "balance"), runHledger(t, bin, dir, "-f", src, "balance")
			if got != want {
				data, _ := os.ReadFile(filepath.Join(dir, "export.journal"))
				t.Errorf("hledger balance of the export:\n%s\nof the original:\n%s\nexport:\n%s", got, want, data)
			}
		})
	}
}
