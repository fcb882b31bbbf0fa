package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportHRPlausible: books import refuses a salary in another currency
// than the book's when it is imported, not when payroll runs, and says an
// unusual week as a warning that does not fail the import (issue 26.8).
func TestImportHRPlausible(t *testing.T) {
	dir := t.TempDir()
	run := func(args ...string) result {
		t.Helper()
		return books(t, dir, append([]string{"--db", "books.db"}, args...)...)
	}
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if r := run("--book", "acme", "init", "--currency", "EUR"); r.code != 0 {
		t.Fatalf("init: %s", r.stderr)
	}
	write("emp.csv", "personnel_number;family_name;hire_date\n1001;Quixotewicz;2026-01-01\n")
	if r := run("import", "employees", "emp.csv"); r.code != 0 {
		t.Fatalf("import employees: %s", r.stderr)
	}
	write("jpy.csv", "personnel_number;valid_from;pay_type;amount;currency;frequency;weekly_hours;work_days\n"+
		"1001;2026-01-01;monthly;600000;JPY;monthly;40;Mon Tue Wed Thu Fri\n")
	if r := run("import", "contracts", "jpy.csv"); r.code != 1 || !strings.Contains(r.stderr, `row 2, column "currency"`) ||
		!strings.Contains(r.stderr, "not the employer's pay currency") || strings.Contains(r.stderr, "600000") {
		t.Errorf("import of a JPY salary into a EUR book: exit %d, %q; want exit 1 naming row 2, column currency, without the amount", r.code, r.stderr)
	}
	write("long.csv", "personnel_number;valid_from;pay_type;amount;currency;frequency;weekly_hours;work_days\n"+
		"1001;2026-01-01;monthly;4000.00;EUR;monthly;50;Mon Tue Wed Thu Fri\n")
	if r := run("import", "contracts", "long.csv"); r.code != 0 || !strings.Contains(r.stderr, "warning: row 2") ||
		!strings.Contains(r.stderr, "more than 48 hours a week") || !strings.Contains(r.stderr, "contracts: 1 added") {
		t.Errorf("import of a 50-hour week: exit %d, %q; want exit 0, a warning for row 2 and the contract added", r.code, r.stderr)
	}
}
