package date

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// periodToday is the today the period tests count from: a Tuesday.
var periodToday = MustParse("2025-04-15")

// periodCases are period expressions with the days they stand for, worked
// out by hand from hledger's manual (start inclusive, end exclusive);
// hledger marks those hledger 1.25 reads itself, which
// TestParsePeriodHledger compares with its print -p.
var periodCases = []struct {
	in       string
	from, to string // "" is open
	hledger  bool
}{
	{"2025", "2025-01-01", "2025-12-31", true},
	{"2025-Q1", "2025-01-01", "2025-03-31", false},
	{"2025q1", "2025-01-01", "2025-03-31", true},
	{"2025Q4", "2025-10-01", "2025-12-31", true},
	{"2025-q2", "2025-04-01", "2025-06-30", false},
	{"2025-03", "2025-03-01", "2025-03-31", true},
	{"2024-02", "2024-02-01", "2024-02-29", true},
	{"2025/3", "2025-03-01", "2025-03-31", true},
	{"2025-03-15", "2025-03-15", "2025-03-15", true},
	{"2025/3/15", "2025-03-15", "2025-03-15", true},
	{"2025.03.15", "2025-03-15", "2025-03-15", true},
	{"20250315", "2025-03-15", "2025-03-15", true},
	// The end of a range is exclusive.
	{"2025-01-01..2025-03-31", "2025-01-01", "2025-03-30", true},
	{"2025-01-01..2025-04-01", "2025-01-01", "2025-03-31", true},
	{"2025-01-01 .. 2025-04-01", "2025-01-01", "2025-03-31", true},
	{"2025-01-01 to 2025-04-01", "2025-01-01", "2025-03-31", true},
	{"from 2025-01-01 to 2025-04-01", "2025-01-01", "2025-03-31", true},
	{"FROM 2025-02-28 TO 2025-03-31", "2025-02-28", "2025-03-30", true},
	{"2025-01..2025-03", "2025-01-01", "2025-02-28", true},
	{"2025..2026", "2025-01-01", "2025-12-31", true},
	{"2025 to 2027", "2025-01-01", "2026-12-31", true},
	{"2025-Q1..2025-Q3", "2025-01-01", "2025-06-30", false},
	{"2025-03-15..2025-03-16", "2025-03-15", "2025-03-15", true},
	{"2025-01-01..", "2025-01-01", "", true},
	{"from 2025-03", "2025-03-01", "", true},
	{"..2025-03-31", "", "2025-03-30", true},
	{"to 2025", "", "2024-12-31", true},
	// Relative to 2025-04-15, a Tuesday.
	{"today", "2025-04-15", "2025-04-15", true},
	{"yesterday", "2025-04-14", "2025-04-14", true},
	{"tomorrow", "2025-04-16", "2025-04-16", true},
	{"this month", "2025-04-01", "2025-04-30", true},
	{"last month", "2025-03-01", "2025-03-31", true},
	{"lastmonth", "2025-03-01", "2025-03-31", true},
	{"Next Month", "2025-05-01", "2025-05-31", true},
	{"this quarter", "2025-04-01", "2025-06-30", true},
	{"last quarter", "2025-01-01", "2025-03-31", true},
	{"next quarter", "2025-07-01", "2025-09-30", true},
	{"this year", "2025-01-01", "2025-12-31", true},
	{"last year", "2024-01-01", "2024-12-31", true},
	{"next year", "2026-01-01", "2026-12-31", true},
	{"this week", "2025-04-14", "2025-04-20", true},
	{"last week", "2025-04-07", "2025-04-13", true},
	{"this day", "2025-04-15", "2025-04-15", true},
	{"last month..this month", "2025-03-01", "2025-03-31", true},
	{"from last year", "2024-01-01", "", true},
}

func TestParsePeriod(t *testing.T) {
	for _, tt := range periodCases {
		t.Run(tt.in, func(t *testing.T) {
			p, err := ParsePeriod(tt.in, periodToday)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := p.From.String()+" "+p.To.String(), tt.from+" "+tt.to; got != want {
				t.Errorf("ParsePeriod(%q) = %s, want %s", tt.in, got, want)
			}
		})
	}
}

func TestParsePeriodErrors(t *testing.T) {
	tests := []struct {
		in     string
		today  Date
		reason string // in the error
	}{
		{"", periodToday, "empty"},
		{"  ", periodToday, "empty"},
		{"..", periodToday, "a start or an end"},
		{"2025-13", periodToday, "month 13"},
		{"2025-02-29", periodToday, "2025-02 has no day 29"},
		{"2025-00-10", periodToday, "month 0"},
		{"2025-Q5", periodToday, "quarters are 1 to 4"},
		{"2025q0", periodToday, "quarters are 1 to 4"},
		{"0000", periodToday, "year 0000"},
		{"monthly", periodToday, "is not a date"},
		{"q1", periodToday, "is not a date"},
		{"3/15", periodToday, "is not a date"},
		{"january", periodToday, "is not a date"},
		{"2025-3/15", periodToday, "is not a date"},
		{"2025-03-15-2025-03-31", periodToday, "is not a date"},
		{"2025-03-015", periodToday, "is not a date"},
		{"202503", periodToday, "is not a date"},
		{"last fortnight", periodToday, "want last day, week, month, quarter or year"},
		{"2025-03..2025-03", periodToday, "holds no day"},
		{"2025-04-01..2025-01-01", periodToday, "holds no day"},
		{"2025..2026..2027", periodToday, "more than one range"},
		{"from", periodToday, "is not a date"},
		{"from ..2025", periodToday, `"from" needs a date`},
		{"to 0001-01-01", periodToday, "nothing before 0001-01-01"},
		{"last month", Date{}, "needs today's date"},
		{"today", Date{}, "needs today's date"},
		{"next year", MustParse("9999-06-30"), "out of the years 1–9999"},
		{"next month", MustParse("9999-12-01"), "out of the years 1–9999"},
		{"tomorrow", MustParse("9999-12-31"), "out of the years 1–9999"},
		{"last week", MustParse("0001-01-03"), "out of the years 1–9999"},
		{"yesterday", MustParse("0001-01-01"), "out of the years 1–9999"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := ParsePeriod(tt.in, tt.today)
			var pe *PeriodError
			if !errors.As(err, &pe) || !errors.Is(err, ErrPeriod) {
				t.Fatalf("ParsePeriod(%q) = %v, %v; want a *PeriodError", tt.in, p, err)
			}
			if pe.Text != tt.in {
				t.Errorf("error names %q, want %q", pe.Text, tt.in)
			}
			if !strings.Contains(err.Error(), tt.reason) || !strings.Contains(err.Error(), fmt.Sprintf("%q", tt.in)) {
				t.Errorf("error %q does not name the text and %q", err, tt.reason)
			}
		})
	}
}

// TestParsePeriodHledger runs hledger print -p on a journal with one
// transaction a day from 2024 to 2026 for every expression hledger reads,
// and compares the first and last day it prints with ParsePeriod's period
// (an open side is the journal's first or last day, as hledger has it).
// Skipped without hledger; $BACKOFFICE_TEST_HLEDGER set makes a missing
// hledger a failure.
func TestParsePeriodHledger(t *testing.T) {
	bin := os.Getenv("BACKOFFICE_TEST_HLEDGER")
	if bin != "" {
		if _, err := exec.LookPath(bin); err != nil {
			t.Fatalf("$BACKOFFICE_TEST_HLEDGER=%s: %v", bin, err)
		}
	} else if p, err := exec.LookPath("hledger"); err == nil {
		bin = p
	} else {
		t.Skip("hledger not installed")
	}
	first, last := MustParse("2024-01-01"), MustParse("2026-12-31")
	var b strings.Builder
	for d := first; !d.After(last); d = d.AddDays(1) {
		fmt.Fprintf(&b, "%s x\n  a  1 EUR\n  b\n\n", d)
	}
	path := filepath.Join(t.TempDir(), "days.journal")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range periodCases {
		if !tt.hledger {
			continue
		}
		t.Run(tt.in, func(t *testing.T) {
			out, err := exec.Command(bin, "-f", path, "print", "-p", tt.in, "--today", periodToday.String()).CombinedOutput()
			if err != nil {
				t.Fatalf("hledger print -p %q: %v\n%s", tt.in, err, out)
			}
			var days []string
			for _, line := range strings.Split(string(out), "\n") {
				if len(line) > 10 && line[0] >= '0' && line[0] <= '9' {
					days = append(days, line[:10])
				}
			}
			if len(days) == 0 {
				t.Fatalf("hledger printed nothing for %q", tt.in)
			}
			p, err := ParsePeriod(tt.in, periodToday)
			if err != nil {
				t.Fatal(err)
			}
			if p.From.IsZero() {
				p.From = first
			}
			if p.To.IsZero() {
				p.To = last
			}
			got, want := p.From.String()+".."+p.To.String(), days[0]+".."+days[len(days)-1]
			if n := p.From.DaysUntil(p.To) + 1; got != want || n != len(days) {
				t.Errorf("ParsePeriod(%q) = %s (%d days), hledger prints %s (%d days)", tt.in, got, n, want, len(days))
			}
		})
	}
}
