package main

import (
	"strings"
	"testing"
)

// TestOutOfRange walks the commands that take a year, month or date with
// values the date package cannot hold (years 1–9999): each must exit 2
// with a message, never panic.
func TestOutOfRange(t *testing.T) {
	dir := t.TempDir()
	ok(t, dir, "--book", "acme", "init", "--chart", "skr03")
	years := []string{"-1", "0000", "10000", "-2147483649", "99999999999999999999"}
	months := []string{"0000-01", "10000-01", "-001-01", "2026-00", "2026-13", "0000-12"}
	days := append([]string{"0000-01-01", "10000-01-01", "9999-12-32", "-0001-01-01", "0000", "10000", "-001"}, months...)
	var cmds [][]string
	for _, y := range years {
		cmds = append(cmds, []string{"close", "--year", y}, []string{"demo", "--year", y, "-o", "d.xlsx"})
	}
	for _, m := range months {
		cmds = append(cmds,
			[]string{"close", "--period", m},
			[]string{"lock", "--through", m},
			[]string{"payroll", "run", "--period", m},
			[]string{"payroll", "pay", "--period", m},
			[]string{"payroll", "payslips", "--period", m},
			[]string{"report", "payroll-register", "--period", m},
		)
	}
	for _, d := range days {
		cmds = append(cmds,
			[]string{"report", "trial-balance", "--from", d},
			[]string{"report", "trial-balance", "--to", d},
			[]string{"report", "balance-sheet", "--as-of", d},
			[]string{"report", "income-statement", "--from", d, "--to", "2026-12-31"},
			[]string{"report", "general-ledger", "--to", d},
			[]string{"partners", "dun", "--date", d},
			[]string{"partners", "propose", "--date", d},
			[]string{"partners", "list", "--as-of", d},
		)
	}
	for _, args := range cmds {
		r := books(t, dir, args...)
		name := strings.Join(args, " ")
		if strings.Contains(r.stderr, "goroutine") || strings.Contains(r.stderr, "panic") {
			t.Errorf("%s: panicked:\n%s", name, r.stderr)
			continue
		}
		if r.code != 2 || strings.TrimSpace(r.stderr) == "" {
			t.Errorf("%s: exit %d %q, want exit 2 and a message", name, r.code, r.stderr)
		}
	}
	for _, y := range years {
		for _, args := range [][]string{{"export", "datev", "--year", y, "--consultant", "1", "--client", "1"}, {"export", "gobd", "--year", y, "-o", "g"}} {
			if r := books(t, dir, args...); r.code != 2 || strings.Contains(r.stderr, "goroutine") {
				t.Errorf("%s: exit %d %s, want exit 2", strings.Join(args, " "), r.code, r.stderr)
			}
		}
	}
}
