package main

import (
	"strings"
	"testing"
)

// TestVATReturnCommand: books report vat-return on the demo, whose default
// chart keeps one VAT account per side: the return gives 66 and 83 but
// cannot split the output tax into 81 and 86, and its check says so (exit
// 1, the report written).
func TestVATReturnCommand(t *testing.T) {
	dir := t.TempDir()
	ok(t, dir, "demo", "--year", "2025", "--employees", "0")
	r := books(t, dir, "report", "vat-return", "--period", "2025-03", "--lang", "en")
	if r.code != 1 || !strings.Contains(r.stderr, `check "output tax not assigned to a Kennzahl = 0" fails`) {
		t.Errorf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"VAT return (UStVA)", "2025-03-01", "2025-03-31", "Deductible input tax", "Remaining advance payment"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("no %q in:\n%s", want, r.stdout)
		}
	}
	q := books(t, dir, "report", "vat-return", "--period", "2025-Q1", "--format", "csv")
	if q.code != 1 || !strings.Contains(q.stdout, "83") {
		t.Errorf("quarter: exit %d\n%s%s", q.code, q.stdout, q.stderr)
	}
	for _, args := range [][]string{
		{"report", "vat-return", "--period", "2025-13"},
		{"report", "vat-return", "--period", "2025-03", "--from", "2025-03-01"},
		{"report", "trial-balance", "--period", "2025-13"},
	} {
		if r := books(t, dir, args...); r.code != 2 {
			t.Errorf("books %s: exit %d, want 2 (usage)\n%s", strings.Join(args, " "), r.code, r.stderr)
		}
	}
}
