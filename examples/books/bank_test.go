package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBankDemo: the demo imports December's camt.053 statement, which the
// test bank wrote (salary debits, supplier payments, customers' receipts
// booked and not yet booked, a fee), and reconciles it to zero open items;
// the reconciliation report says so, and a rerun adds nothing.
func TestBankDemo(t *testing.T) {
	dir := t.TempDir()
	r := ok(t, dir, "demo", "--year", "2025", "--employees", "2")
	if !strings.Contains(r.stderr, "bank statement 2025-12:") || !strings.Contains(r.stderr, ", 0 open items") {
		t.Errorf("demo says nothing of the bank statement:\n%s", r.stderr)
	}
	rep := ok(t, dir, "report", "reconciliation", "--format", "csv").stdout
	if strings.Contains(rep, "detail,1,") {
		t.Errorf("open items in the reconciliation:\n%s", rep)
	}
	if !strings.Contains(rep, "Bank balance per statement STMT-2025-12-31") {
		t.Errorf("report:\n%s", rep)
	}
	if out := ok(t, dir, "reconcile").stdout; !strings.HasPrefix(out, "0 unmatched lines") {
		t.Errorf("reconcile after the demo: %s", out)
	}
	ok(t, dir, "demo", "--year", "2025", "--employees", "2")
	if rep2 := ok(t, dir, "report", "reconciliation", "--format", "csv").stdout; rep2 != rep {
		t.Errorf("the rerun changed the reconciliation:\n%s", rep2)
	}
}

// TestBankCommands imports the camt.053 fixture of bank/camt into a new
// book, refuses the MT940 statement of another bank account (its :25: is not the IBAN), reconciles
// with a rule file (the fee posted to 6900) and reports the rest.
func TestBankCommands(t *testing.T) {
	dir := t.TempDir()
	ok(t, dir, "init", "--chart", "default", "--currency", "EUR")
	fixture, err := filepath.Abs("../../bank/camt/testdata")
	if err != nil {
		t.Fatal(err)
	}
	camt := filepath.Join(fixture, "camt053-v08.xml")
	if out := ok(t, dir, "import", "camt053", "--account", "1120", camt).stdout; !strings.Contains(out, "3 lines imported") {
		t.Errorf("import: %s", out)
	}
	if out := ok(t, dir, "import", "camt053", "--account", "1120", camt).stdout; !strings.Contains(out, "imported before; nothing added") {
		t.Errorf("import again: %s", out)
	}
	r := books(t, dir, "import", "mt940", "--account", "1120", filepath.Join(fixture, "statement.sta"))
	if r.code != 1 || !strings.Contains(r.stderr, "of bank account 12030000/202051") {
		t.Errorf("a statement of another bank account: exit %d, %s", r.code, r.stderr)
	}
	if r := books(t, dir, "import", "statement-csv", filepath.Join(fixture, "export.csv")); r.code != 2 {
		t.Errorf("statement-csv without --mapping: exit %d", r.code)
	}
	rules := filepath.Join(dir, "rules.json")
	if err := os.WriteFile(rules, []byte(`{"rules": [{"name": "fees", "kind": "text", "pattern": "(?i)entgelt", "direction": "debit", "account": "6900"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := ok(t, dir, "reconcile", "--account", "1120", "--rules", rules).stdout
	if !strings.Contains(out, "1 proposed") {
		t.Errorf("dry run: %s", out)
	}
	out = ok(t, dir, "reconcile", "--account", "1120", "--rules", rules, "--post").stdout
	if !strings.Contains(out, "1 posted") || !strings.Contains(out, "2 left") {
		t.Errorf("post: %s", out)
	}
	// Bank 8,694.45 less the two lines not in the books (+1,190.00,
	// −2,480.55) and the 10,000.00 the bank held before the books began:
	// the books' −15.00 fee.
	rep := ok(t, dir, "report", "reconciliation", "--account", "1120").stdout
	for _, want := range []string{"8,694.45", "BANK-0001", "BANK-0002", "-10,000.00", "-15.00", "✓"} {
		if !strings.Contains(rep, want) {
			t.Errorf("report lacks %q:\n%s", want, rep)
		}
	}
}
