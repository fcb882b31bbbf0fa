package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportValueEnd: 1,000 USD bought for 900.00 EUR at 0.90 on 15
// January; on 31 December the dollar is worth 0.95. The trial balance as
// booked (--value then, the default) shows the bank at 900.00; valued at
// the end it shows 950.00, and the 50.00 nobody booked on a row of its own,
// so the total still balances. --currency USD shows the dollars as booked.
func TestReportValueEnd(t *testing.T) {
	dir := t.TempDir()
	ok(t, dir, "init")
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ok(t, dir, "fx", "import", write("rates.csv", "date,from,to,rate\n2025-01-15,USD,EUR,0.90\n2025-12-31,USD,EUR,0.95\n"))
	ok(t, dir, "import", "entries", write("e.csv", "key,date,account,amount,currency\n"+
		"usd,2025-01-15,1120,1000.00,USD\nusd,,3100,-900.00,EUR\n"))
	cell := func(csv, row string) string {
		for _, line := range strings.Split(csv, "\n") {
			if strings.HasPrefix(line, row+",") || strings.Contains(line, ","+row+",") {
				f := strings.Split(line, ",")
				return f[len(f)-1]
			}
		}
		return ""
	}
	then := ok(t, dir, "report", "trial-balance", "--to", "2025-12-31", "--format", "csv").stdout
	end := ok(t, dir, "report", "trial-balance", "--to", "2025-12-31", "--format", "csv", "--value", "end").stdout
	for _, tc := range []struct{ csv, row, want string }{
		{then, "1120", "900.00"}, {then, "3100", "-900.00"},
		{end, "1120", "950.00"}, {end, "3100", "-900.00"},
		{end, "Unrealised exchange difference (not booked)", "-50.00"},
	} {
		if got := cell(tc.csv, tc.row); got != tc.want {
			t.Errorf("%s = %q, want %s in\n%s", tc.row, got, tc.want, tc.csv)
		}
	}
	usd := ok(t, dir, "report", "trial-balance", "--to", "2025-12-31", "--format", "csv", "--currency", "USD").stdout
	if got := cell(usd, "1120"); got != "1000.00" {
		t.Errorf("1120 in USD = %q, want 1000.00 in\n%s", got, usd)
	}
	for _, args := range [][]string{
		{"report", "balance-sheet", "--to", "2025-12-31", "--value", "end"},
		{"report", "trial-balance", "--to", "2025-12-31", "--value", "now"},
		{"report", "trial-balance", "--to", "2025-12-31", "--currency", "XXXX"},
	} {
		if r := books(t, dir, args...); r.code != 2 {
			t.Errorf("books %v: exit %d, want 2 (%s)", args, r.code, r.stderr)
		}
	}
}

// TestDefaultPeriodLatestDate: the default period ends with the month of
// the latest booking date, not of the entry posted last — here a January
// entry posted after a March one (issue 14).
func TestDefaultPeriodLatestDate(t *testing.T) {
	dir := t.TempDir()
	ok(t, dir, "init")
	for i, body := range []string{
		"key,date,account,amount\nmar,2025-03-10,1120,100.00\nmar,,4100,-100.00\n",
		"key,date,account,amount\njan,2025-01-05,1120,50.00\njan,,4100,-50.00\n",
	} {
		p := filepath.Join(dir, "e"+string(rune('0'+i))+".csv")
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		ok(t, dir, "import", "entries", p)
	}
	out := ok(t, dir, "report", "trial-balance").stdout
	if !strings.Contains(out, "2025-03-31") || !strings.Contains(out, "150.00") {
		t.Errorf("default trial balance should run to 31 March with 150.00 on 1120:\n%s", out)
	}
}
