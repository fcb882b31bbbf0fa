package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/store/sqlite"
)

// bin is the books binary, built once by TestMain.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "books-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "books")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is one run of the binary.
type result struct {
	stdout, stderr string
	code           int
}

// books runs the binary in dir with args and $BOOKS_DB and
// $BOOKS_REPLICA_DSN unset.
func books(t testing.TB, dir string, args ...string) result {
	t.Helper()
	return booksEnv(t, dir, nil, args...)
}

// ok runs books and fails the test unless it exits 0.
func ok(t testing.TB, dir string, args ...string) result {
	t.Helper()
	r := books(t, dir, args...)
	if r.code != 0 {
		t.Fatalf("books %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

func TestUsage(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		code int
		want string // in stderr
	}{
		{"no command", nil, 2, "usage: books"},
		{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
		{"help", []string{"-h"}, 0, ""},
		{"command help", []string{"report", "-h"}, 0, "-depth"},
		{"unknown report", []string{"report", "nope"}, 2, "unknown report"},
		{"bad flag", []string{"report", "--nope", "trial-balance"}, 2, "flag provided but not defined"},
		{"close without period", []string{"close"}, 2, "--period"},
		{"bad period", []string{"close", "--period", "2026-13"}, 2, "YYYY-MM"},
		{"no database", []string{"report", "trial-balance"}, 2, "no database at books.db"},
		{"bad chart", []string{"init", "--chart", "skr99"}, 2, "--chart"},
		{"import without file", []string{"import", "entries"}, 2, "KIND FILE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := books(t, dir, tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", r.code, r.stderr, tt.code, tt.want)
			}
		})
	}
}

// TestDemo runs the demo twice: the second run adds nothing.
func TestDemo(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Now()
	r := ok(t, dir, "demo", "--year", "2025")
	t.Logf("books demo (defaults, SQLite): %v", time.Since(t0))
	// The year's open items add up to the control accounts (the demo's own
	// check fails the run otherwise).
	for _, want := range []string{"months: 12 closed", "open receivables:", "equal to account 1200", "open payables:", "equal to account 2110"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("first run lacks %q: %s", want, r.stderr)
		}
	}
	if fi, err := os.Stat(filepath.Join(dir, "demo.xlsx")); err != nil || fi.Size() < 10000 {
		t.Errorf("workbook: %v", err)
	}
	// The salaries of every month as SEPA credit transfers, written again
	// byte for byte by the second run.
	march, err := os.ReadFile(filepath.Join(dir, "demo-sepa", "2025-03.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(march), "<CdtTrfTxInf>"); n != 5 || !strings.Contains(string(march), "<EndToEndId>demo/2025-03/1001</EndToEndId>") ||
		!strings.Contains(string(march), "<Nm>Anna Mueller</Nm>") {
		t.Errorf("demo-sepa/2025-03.xml: %d transfers or IDs and names wrong:\n%s", n, march)
	}
	// The DATEV Buchungsstapel and the GoBD export next to the workbook,
	// written again byte for byte by the second run.
	exports := []string{"demo-datev-2025.csv", "demo-gobd-2025/index.xml", "demo-gobd-2025/journal.csv", "demo-gobd-2025/accounts.csv"}
	first := map[string][]byte{}
	for _, name := range exports {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || len(b) < 1000 {
			t.Fatalf("%s: %d bytes, %v", name, len(b), err)
		}
		first[name] = b
	}
	r = ok(t, dir, "demo", "--year", "2025")
	if again, err := os.ReadFile(filepath.Join(dir, "demo-sepa", "2025-03.xml")); err != nil || !bytes.Equal(again, march) {
		t.Errorf("the second run wrote another demo-sepa/2025-03.xml (%v)", err)
	}
	for _, name := range exports {
		if again, err := os.ReadFile(filepath.Join(dir, name)); err != nil || !bytes.Equal(again, first[name]) {
			t.Errorf("the second run wrote another %s (%v)", name, err)
		}
	}
	// The Buchungsstapel imported into an empty book gives the same
	// closing balance on every account. (The opening entry comes back as
	// ordinary bookings: DATEV has no journal OB, so the opening column
	// differs and is not compared.)
	empty := t.TempDir()
	ok(t, empty, "init", "--book", "demo")
	ok(t, empty, "import", "datev", "--consultant", "1001", "--client", "1", filepath.Join(dir, "demo-datev-2025.csv"))
	closing := func(dir string) map[string]string {
		t.Helper()
		r := ok(t, dir, "report", "trial-balance", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "csv")
		m := map[string]string{}
		for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n")[1:] {
			f := strings.Split(line, ",")
			m[f[2]+" "+f[5]] = f[len(f)-1]
		}
		return m
	}
	if diff := cmp.Diff(closing(dir), closing(empty)); diff != "" {
		t.Errorf("DATEV round trip: closing balances differ (-demo +imported):\n%s", diff)
	}
	for _, want := range []string{"exists", "entries: 0 posted", "0 hired", "0 closed, 12 were closed"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("second run says %q, want %q in it", r.stderr, want)
		}
	}
	v := ok(t, dir, "verify")
	if !strings.Contains(v.stdout, "demo: ok") {
		t.Errorf("verify: %s", v.stdout)
	}
	// Every report, every format.
	for _, kind := range reportKinds {
		for _, f := range []string{"text", "csv", "json", "xlsx"} {
			args := []string{"report", kind, "--format", f, "-o", filepath.Join(dir, kind+"."+f)}
			if kind == "account-statement" {
				args = append(args, "--account", "1120")
			}
			// vat-return too: the default chart has one output-VAT account
			// for every rate and one revenue account, but the invoices'
			// lines carry their VAT codes, by which the return tells 81
			// from 86 and passes its checks (TestVATReturnCommand).
			ok(t, dir, args...)
		}
	}
	r = ok(t, dir, "report", "income-statement", "--monthly", "--format", "csv")
	if !strings.Contains(r.stdout, "2025-12") || !strings.Contains(r.stdout, "total") {
		t.Errorf("monthly income statement:\n%s", r.stdout)
	}
	r = ok(t, dir, "report", "balance-sheet", "--as-of", "2025-06-30", "--compare", "prior-period")
	if !strings.Contains(r.stdout, "2025-06-30") {
		t.Errorf("balance sheet:\n%s", r.stdout)
	}
	r = ok(t, dir, "report", "trial-balance", "--depth", "1", "--from", "2025-03", "--to", "2025-03")
	if !strings.Contains(r.stdout, "2025-03-01 – 2025-03-31") {
		t.Errorf("trial balance:\n%s", r.stdout)
	}
	// The opening entry (journal OB on 1 January) is the year's opening:
	// the cash flow starts from the opening bank balance, and the trial
	// balance shows it in the opening column, not as January's debits.
	r = ok(t, dir, "report", "cash-flow", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "csv")
	if !strings.Contains(r.stdout, "Cash at beginning of period,50000.00\n") || strings.Contains(r.stdout, "investing") {
		t.Errorf("cash flow does not start from the opening bank balance 50000.00 (or counts the opening as investing):\n%s", r.stdout)
	}
	r = ok(t, dir, "report", "trial-balance", "--from", "2025-01-01", "--to", "2025-01-31", "--format", "csv")
	for _, want := range []string{"1120,Bank,50000.00,", "1530,Office equipment,24000.00,0.00,0.00,0.00,0.00,24000.00", "3100,Share capital,-25000.00,0.00,0.00,0.00,0.00,-25000.00"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("trial balance lacks %q:\n%s", want, r.stdout)
		}
	}
}

// TestRoundTrips exports the demo book as a journal, as CSV and as JSON,
// imports each into a new database and compares the trial balances.
func TestRoundTrips(t *testing.T) {
	dir := t.TempDir()
	ok(t, dir, "demo", "--year", "2025", "--employees", "0")
	want := ok(t, dir, "report", "trial-balance", "--format", "csv", "--to", "2025-12-31").stdout
	ok(t, dir, "export", "journal", "-o", "demo.journal")
	ok(t, dir, "export", "entries", "-o", "demo.csv")
	ok(t, dir, "export", "entries", "--format", "json", "-o", "demo.json")
	strip := func(s string) string {
		return regexp.MustCompile(`(?m)^.*(Demo Trading GmbH|generated).*$`).ReplaceAllString(s, "")
	}
	for _, f := range []string{"demo.journal", "demo.csv", "demo.json"} {
		t.Run(f, func(t *testing.T) {
			db := "--db=" + f + ".db"
			if f == "demo.journal" {
				ok(t, dir, db, "--book", "demo", "import", "journal", f)
			} else {
				ok(t, dir, db, "--book", "demo", "init")
				ok(t, dir, db, "import", "entries", f)
			}
			got := ok(t, dir, db, "report", "trial-balance", "--format", "csv", "--to", "2025-12-31").stdout
			if strip(got) != strip(want) {
				t.Errorf("trial balance after import of %s:\n%s\nwant:\n%s", f, got, want)
			}
			// Importing again posts nothing.
			r := ok(t, dir, db, "import", map[bool]string{true: "journal", false: "entries"}[f == "demo.journal"], f)
			if !strings.Contains(r.stderr, " 0 posted, 1") && !strings.Contains(r.stderr, ": 0 entries posted") {
				t.Errorf("second import: %s", r.stderr)
			}
		})
	}
}

func TestImportErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return name
	}
	bad := write("bad.journal", "2026-01-01 ok\n  assets:bank  EUR 10\n  equity:capital\n\n2026-01-02 bad\n  assets:bank  EUR 10\n  expenses:x  EUR -9\n\n2026-01-03 x\n  misc:thing  EUR 1\n  assets:bank\n")
	r := books(t, dir, "import", "journal", bad)
	if r.code != 1 || !strings.Contains(r.stderr, "bad.journal:5:") {
		t.Errorf("bad journal: exit %d, %s", r.code, r.stderr)
	}
	// Nothing was created: all-or-nothing.
	if r := books(t, dir, "books"); r.stdout != "" {
		t.Errorf("books after a failed import: %q", r.stdout)
	}
	untyped := write("untyped.journal", "2026-01-03 x\n  misc:thing  EUR 1\n  assets:bank\n")
	r = books(t, dir, "import", "journal", untyped)
	if r.code != 1 || !strings.Contains(r.stderr, "untyped.journal:2:") || !strings.Contains(r.stderr, "no type") {
		t.Errorf("untyped: exit %d, %s", r.code, r.stderr)
	}
	mapping := write("map.csv", "account,type\nmisc,expense\n")
	r = ok(t, dir, "import", "journal", "--mapping", mapping, untyped)
	if !strings.Contains(r.stderr, "1 entries posted") {
		t.Errorf("with mapping: %s", r.stderr)
	}
	entries := write("bad.csv", "key,date,account,amount\na,2026-01-01,assets:bank,1.00\na,,misc:thing,-2.00\nb,2026-01-40,assets:bank,1\nb,,misc:thing,-1\n")
	r = books(t, dir, "import", "entries", entries)
	if r.code != 1 || !strings.Contains(r.stderr, "row 2") || !strings.Contains(r.stderr, `row 4, column "date"`) {
		t.Errorf("bad entries: exit %d, %s", r.code, r.stderr)
	}
}

// TestCloseLockVerify closes months and a year, locks, and finds a record
// changed behind the library's back.
func TestCloseLockVerify(t *testing.T) {
	dir := t.TempDir()
	ok(t, dir, "--book", "acme", "init", "--chart", "skr03")
	csv := "key,date,account,debit,credit\n" +
		"cap,2026-01-02,1200,25000.00,\ncap,,0800,,25000.00\n" +
		"inv,2026-02-15,1400,1190.00,\ninv,,8400,,1000.00\ninv,,1776,,190.00\n" +
		"rent,2026-03-31,4210,1500.00,\nrent,,1200,,1500.00\n"
	if err := os.WriteFile(filepath.Join(dir, "e.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	r := ok(t, dir, "import", "entries", "e.csv")
	if !strings.Contains(r.stderr, "3 posted") {
		t.Errorf("import: %s", r.stderr)
	}
	r = books(t, dir, "lock", "--through", "2026-01")
	if r.code != 1 || !strings.Contains(r.stderr, "close it first") {
		t.Errorf("lock of an open month: exit %d %s", r.code, r.stderr)
	}
	for _, m := range []string{"2026-01", "2026-02"} {
		ok(t, dir, "close", "--period", m)
	}
	r = ok(t, dir, "close", "--period", "2026-02")
	if !strings.Contains(r.stderr, "already closed") {
		t.Errorf("second close: %s", r.stderr)
	}
	ok(t, dir, "lock", "--through", "2026-01")
	ok(t, dir, "lock", "--through", "2026-01") // idempotent
	// A locked month refuses entries.
	late := "key,date,account,debit,credit\nlate,2026-01-20,4210,1.00,\nlate,,1200,,1.00\n"
	os.WriteFile(filepath.Join(dir, "late.csv"), []byte(late), 0o644)
	if r := books(t, dir, "import", "entries", "late.csv"); r.code != 1 || !strings.Contains(r.stderr, "locked") {
		t.Errorf("posting into a locked month: exit %d %s", r.code, r.stderr)
	}
	r = ok(t, dir, "close", "--year", "2026")
	if !strings.Contains(r.stderr, "closing_entries=1") {
		t.Errorf("close year: %s", r.stderr)
	}
	r = ok(t, dir, "close", "--year", "2026") // nothing left to close
	if !strings.Contains(r.stderr, "closing_entries=1") {
		t.Errorf("close year again: %s", r.stderr)
	}
	r = ok(t, dir, "report", "trial-balance", "--to", "2026-12-31", "--format", "csv")
	if strings.Contains(r.stdout, "8400,") && !strings.Contains(r.stdout, "0.00") {
		t.Errorf("after year end:\n%s", r.stdout)
	}
	ok(t, dir, "verify")
	tamper(t, filepath.Join(dir, "books.db"), "acme", 2)
	r = books(t, dir, "verify")
	if r.code != 1 || !strings.Contains(r.stderr, "entry 2") {
		t.Errorf("verify after tampering: exit %d %s", r.code, r.stderr)
	}
	r = books(t, dir, "close", "--period", "2027-01")
	if r.code != 1 || !strings.Contains(r.stderr, "failed") {
		t.Errorf("close of a tampered book: exit %d %s", r.code, r.stderr)
	}
}

// tamper changes entry seq of book behind the library's back.
func tamper(t *testing.T, path, book string, seq int) {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, q := range []string{
		"DROP TRIGGER bo_entries_no_update",
		fmt.Sprintf("UPDATE bo_entries SET description = 'changed' WHERE book = '%s' AND seq = %d", book, seq),
	} {
		if _, err := s.DB().ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// BenchmarkDemo runs `books demo` with its defaults on a new SQLite file.
//
//	go test -run '^$' -bench BenchmarkDemo -benchtime 3x ./examples/books
func BenchmarkDemo(b *testing.B) {
	for b.Loop() {
		dir := b.TempDir()
		ok(b, dir, "demo")
	}
}

// BenchmarkImportJournal imports a plain-text journal of 100,000
// transactions (three postings each, one elided) into a new SQLite book with
// the books binary; the command reports its parse and posting rates on stderr.
//
//	go test -run '^$' -bench BenchmarkImportJournal -benchtime 1x ./examples/books
func BenchmarkImportJournal(b *testing.B) {
	const n = 100_000
	dir := b.TempDir()
	var buf bytes.Buffer
	d := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		fmt.Fprintf(&buf, "%s * (INV-%d) Sale %d\n    assets:receivables  EUR %d.%02d\n    revenue:sales  EUR -%d.%02d  ; net\n    liabilities:vat\n\n",
			d.AddDate(0, 0, i%365).Format("2006-01-02"), i, i, 100+i%1000, i%100, 80+i%900, i%100)
	}
	path := filepath.Join(dir, "big.journal")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		db := filepath.Join(b.TempDir(), "j.db")
		t0 := time.Now()
		r := ok(b, dir, "--db", db, "import", "journal", path)
		b.ReportMetric(n/time.Since(t0).Seconds(), "tx/s-total")
		b.Log(strings.TrimSpace(r.stderr))
	}
}

func TestImportHR(t *testing.T) {
	dir := t.TempDir()
	ok(t, dir, "--book", "acme", "init")
	os.WriteFile(filepath.Join(dir, "emp.csv"), []byte("personnel_number;family_name;hire_date\n1001;Muster;2026-01-01\n1002;Beispiel;2026-02-01\n"), 0o644)
	r := ok(t, dir, "import", "employees", "emp.csv")
	if !strings.Contains(r.stderr, "employees: 2 added, 0 already there") {
		t.Errorf("import employees: %s", r.stderr)
	}
	r = ok(t, dir, "import", "employees", "emp.csv") // again: both are there
	if !strings.Contains(r.stderr, "employees: 0 added, 2 already there") {
		t.Errorf("second import: %s", r.stderr)
	}
	// Contracts and German tax profiles from spreadsheets, then March's
	// pay run posted to the book: a finance team's path without Go.
	os.WriteFile(filepath.Join(dir, "con.csv"), []byte("personnel_number;valid_from;pay_type;amount;currency;frequency;weekly_hours;work_days\n"+
		"1001;2026-01-01;monthly;4000.00;EUR;monthly;40;Mon Tue Wed Thu Fri\n1002;2026-02-01;monthly;3500.00;EUR;monthly;40;Mon Tue Wed Thu Fri\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "tax.csv"), []byte("personnel_number;valid_from;jurisdiction;tax_class;child_allowances;church_tax;health_supplement;state\n"+
		"1001;2026-01-01;DE;1;0;true;2.9;NW\n1002;2026-02-01;DE;3;1;false;2.9;BY\n"), 0o644)
	ok(t, dir, "import", "contracts", "con.csv")
	if r := ok(t, dir, "import", "taxprofiles", "tax.csv"); !strings.Contains(r.stderr, "taxprofiles: 2 added, 0 already there") {
		t.Errorf("import taxprofiles: %s", r.stderr)
	}
	if r := ok(t, dir, "payroll", "run", "--period", "2026-03", "--post"); !strings.Contains(r.stdout, "posted") {
		t.Errorf("payroll run: %s", r.stdout)
	}
	if r := ok(t, dir, "payroll", "register", "--period", "2026-03", "--format", "csv"); !strings.Contains(r.stdout, "acme/1002") {
		t.Errorf("register: %s", r.stdout)
	}
}

// TestPayroll: the demo pays its employees every month through the German
// pack; the register and payslips come out of the posted runs; a month
// with a pay run left calculated but not posted does not close, and closes
// once the run is posted; running a step again changes nothing.
func TestPayroll(t *testing.T) {
	dir := t.TempDir()
	r := ok(t, dir, "demo", "--year", "2025", "--employees", "3")
	if !strings.Contains(r.stderr, "pay runs: 12 paid") {
		t.Fatalf("demo: %s", r.stderr)
	}
	reg := ok(t, dir, "payroll", "register", "--period", "2025-12", "--format", "csv")
	for _, want := range []string{"gross", "demo/1001", "demo/1003", "employer_cost"} {
		if !strings.Contains(reg.stdout, want) {
			t.Errorf("register lacks %q:\n%s", want, reg.stdout)
		}
	}
	slips := ok(t, dir, "payroll", "payslips", "--period", "2025-03")
	if n := strings.Count(slips.stdout, "Payslip, personnel no."); n != 3 {
		t.Errorf("%d payslips, want 3:\n%s", n, slips.stdout)
	}
	for _, want := range []string{"lst", "kv.employee", "rv.employer", "Net pay", "Wage tax", "Pension insurance (employer)", " %"} {
		if !strings.Contains(slips.stdout, want) {
			t.Errorf("payslips lack %q", want)
		}
	}

	// January 2026: calculated only, so the month must not close.
	run := ok(t, dir, "payroll", "run", "--period", "2026-01")
	if !strings.Contains(run.stdout, "calculated") {
		t.Errorf("run: %s", run.stdout)
	}
	if r := books(t, dir, "close", "--period", "2026-01"); r.code != 1 || !strings.Contains(r.stderr, "not posted") {
		t.Errorf("close with a pending run: exit %d, stderr %s", r.code, r.stderr)
	}
	for range 2 { // the second time is a no-op
		run = ok(t, dir, "payroll", "run", "--period", "2026-01", "--pay")
		if !strings.Contains(run.stdout, "paid") {
			t.Errorf("run --pay: %s", run.stdout)
		}
	}
	ok(t, dir, "close", "--period", "2026-01")
	if v := ok(t, dir, "verify"); !strings.Contains(v.stdout, "demo: ok") {
		t.Errorf("verify: %s", v.stdout)
	}
	tb := ok(t, dir, "report", "trial-balance", "--from", "2026-01", "--to", "2026-01", "--format", "csv")
	if !strings.Contains(tb.stdout, "2130") { // wages payable moved in January (posted, then paid)
		t.Errorf("trial balance of January 2026 lacks wages payable:\n%s", tb.stdout)
	}
	if r := books(t, dir, "payroll", "run"); r.code != 2 {
		t.Errorf("payroll run without --period: exit %d, want 2", r.code)
	}
}

// TestResume: a run killed between a book and its chart, or between hiring
// an employee and the contract, is finished by the next run; init refuses
// settings that differ from the existing book's.
func TestResume(t *testing.T) {
	dir := t.TempDir()
	// The state a kill leaves: the book without its chart, an employee
	// without contract or tax profile.
	ok(t, dir, "--book", "demo", "init", "--chart", "none", "--currency", "EUR")
	csv := filepath.Join(dir, "emp.csv")
	if err := os.WriteFile(csv, []byte("personnel_number,family_name,hire_date\n1001,Test,2025-01-01\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ok(t, dir, "--book", "demo", "import", "employees", csv, "--employer", "demo")
	r := ok(t, dir, "demo", "--year", "2025", "--employees", "2")
	for _, want := range []string{"exists", "1 hired, 1 existed", "pay runs: 12 paid"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("demo after a partial run says %q, want %q in it", r.stderr, want)
		}
	}
	reg := ok(t, dir, "payroll", "register", "--period", "2025-06", "--format", "csv")
	if !strings.Contains(reg.stdout, "demo/1001") || !strings.Contains(reg.stdout, "demo/1002") {
		t.Errorf("register of June lacks an employee:\n%s", reg.stdout)
	}
	if r := books(t, dir, "init", "--currency", "USD"); r.code != 1 || !strings.Contains(r.stderr, "exists with currency EUR") {
		t.Errorf("init with another currency: exit %d, %s", r.code, r.stderr)
	}
	if r := ok(t, dir, "init"); !strings.Contains(r.stderr, "0 missing accounts created") {
		t.Errorf("init again: %s", r.stderr)
	}
}

// TestImportAtomic: a journal whose last transaction is refused at posting
// (its month is closed) leaves nothing: no entry, no account it created.
func TestImportAtomic(t *testing.T) {
	dir := t.TempDir()
	ok(t, dir, "init")
	ok(t, dir, "close", "--period", "2026-01")
	src := "2026-02-01 fine\n" +
		"    expenses:newthing    EUR 10.00\n" +
		"    assets:cash\n" +
		"\n" +
		"2026-01-15 into a closed month\n" +
		"    expenses:rent    EUR 5.00\n" +
		"    assets:cash\n"
	path := filepath.Join(dir, "j.journal")
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	r := books(t, dir, "import", "journal", path)
	if r.code != 1 || !strings.Contains(r.stderr, "j.journal:5:") {
		t.Fatalf("import: exit %d, stderr %s", r.code, r.stderr)
	}
	out := ok(t, dir, "export", "journal")
	for _, notWant := range []string{"newthing", "2026-02-01", "assets:cash"} {
		if strings.Contains(out.stdout, notWant) {
			t.Errorf("after the failed import the book holds %q:\n%s", notWant, out.stdout)
		}
	}
}

// TestPayFiles: books payroll pay writes the run's SEPA file before it
// pays, and refuses (writing and paying nothing) what cannot be paid that
// way; partners propose --sepa refuses suppliers without an IBAN.
func TestPayFiles(t *testing.T) {
	dir := t.TempDir()
	ok(t, dir, "demo", "--year", "2025", "--employees", "3")
	file := filepath.Join(dir, "pay.xml")
	if r := books(t, dir, "payroll", "pay", "--period", "2026-01", "--sepa", file); r.code != 2 || !strings.Contains(r.stderr, "--from-iban") {
		t.Errorf("pay --sepa without an IBAN to pay from: exit %d, %s", r.code, r.stderr)
	}
	// German employees have IBANs: a NACHA file refuses them by number.
	cfg := filepath.Join(dir, "ach.json")
	os.WriteFile(cfg, []byte(`{"immediate_destination":"031300012","immediate_destination_name":"Fed","immediate_origin":"1234567890",
		"immediate_origin_name":"Demo","company_name":"Demo","company_id":"1234567890","odfi":"121042882"}`), 0o600)
	ach := filepath.Join(dir, "pay.ach")
	if r := books(t, dir, "payroll", "pay", "--period", "2026-01", "--nacha", ach, "--nacha-config", cfg); r.code != 1 ||
		!strings.Contains(r.stderr, "employee 1001") || !strings.Contains(r.stderr, "not a US bank account") {
		t.Errorf("pay --nacha for German employees: exit %d, %s", r.code, r.stderr)
	}
	if _, err := os.Stat(ach); !os.IsNotExist(err) {
		t.Errorf("a refused NACHA file exists: %v", err)
	}
	if run := ok(t, dir, "payroll", "run", "--period", "2026-01"); !strings.Contains(run.stdout, "posted") {
		t.Errorf("a run whose file was refused: %s, want posted, not paid", run.stdout)
	}
	r := ok(t, dir, "payroll", "pay", "--period", "2026-01", "--sepa", file, "--from-iban", "DE02 1203 0000 0000 2020 51")
	if !strings.Contains(r.stdout, "paid") || !strings.Contains(r.stdout, "Anna Mueller") || !strings.Contains(r.stderr, "3 transfers") {
		t.Errorf("pay --sepa: %s\n%s", r.stdout, r.stderr)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<EndToEndId>demo/2026-01/1003</EndToEndId>", "<IBAN>DE02120300000000202051</IBAN>", "<Ustrd>Salary 2026-01</Ustrd>", "<Cd>SALA</Cd>"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("pay.xml lacks %s", want)
		}
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("pay.xml: %v, mode %v; want 0600 (it holds names and accounts)", err, fi.Mode())
	}
	sup := filepath.Join(dir, "suppliers.xml")
	r = books(t, dir, "partners", "propose", "--date", "2025-12-31", "--pay", "--sepa", sup, "--from-iban", "DE02120300000000202051")
	// The demo's suppliers have no IBANs: refused, or nothing is due.
	if !(r.code == 1 && strings.Contains(r.stderr, "creditor_iban")) && !(r.code == 0 && strings.Contains(r.stderr, "no money to transfer")) {
		t.Errorf("propose --sepa for suppliers without IBANs: exit %d, %s", r.code, r.stderr)
	}
	if _, err := os.Stat(sup); !os.IsNotExist(err) {
		t.Errorf("a refused SEPA file exists: %v", err)
	}
}

// TestReimportEdited: an edited amount is found on re-import, not posted
// twice; --amend posts the Storno of the entry imported before and the new
// version; importing the same file again then posts nothing; a second edit
// amends the latest version. The same for entries CSV.
func TestReimportEdited(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return name
	}
	src := "2026-01-05 Opening\n    assets:bank   EUR 1000.00\n    equity:opening\n\n" +
		"2026-01-10 Rent\n    expenses:rent   EUR %s\n    assets:bank\n"
	j := write("j.journal", fmt.Sprintf(src, "100.00"))
	ok(t, dir, "import", "journal", j)
	write("j.journal", fmt.Sprintf(src, "150.00"))
	r := books(t, dir, "import", "journal", j)
	if r.code != 1 || !strings.Contains(r.stderr, "j.journal:5") || !strings.Contains(r.stderr, "differs from entry 2") || !strings.Contains(r.stderr, "--amend") {
		t.Fatalf("edited re-import: exit %d, %s", r.code, r.stderr)
	}
	r = ok(t, dir, "import", "journal", "--amend", j)
	if !strings.Contains(r.stderr, "0 entries posted, 1 already posted, 1 amended") {
		t.Errorf("--amend: %s", r.stderr)
	}
	balance := func(want string) {
		t.Helper()
		tb := ok(t, dir, "report", "trial-balance", "--format", "csv", "--from", "2026-01-01", "--to", "2026-01-31").stdout
		if !strings.Contains(tb, want) {
			t.Errorf("trial balance lacks %q:\n%s", want, tb)
		}
	}
	balance("expenses:rent,")
	balance("150.00")
	r = ok(t, dir, "import", "journal", j)
	if !strings.Contains(r.stderr, "0 entries posted, 2 already posted") {
		t.Errorf("import after --amend: %s", r.stderr)
	}
	write("j.journal", fmt.Sprintf(src, "120.00"))
	ok(t, dir, "import", "journal", "--amend", j)
	balance("120.00")
	out := ok(t, dir, "export", "entries").stdout
	if n := strings.Count(out, "Storno: amended by"); n != 2 { // two reversals
		t.Errorf("%d Storno lines in:\n%s", n, out)
	}
	if r := ok(t, dir, "verify"); !strings.Contains(r.stdout, "ok") {
		t.Errorf("verify: %s", r.stdout)
	}

	// Entries CSV.
	csvSrc := "key,date,account,amount\nfee,2026-01-20,expenses:rent,%s\nfee,,assets:bank,-%s\n"
	c := write("e.csv", fmt.Sprintf(csvSrc, "5.00", "5.00"))
	ok(t, dir, "import", "entries", c)
	write("e.csv", fmt.Sprintf(csvSrc, "6.00", "6.00"))
	r = books(t, dir, "import", "entries", c)
	if r.code != 1 || !strings.Contains(r.stderr, `e.csv: entry 1 (key "fee")`) || !strings.Contains(r.stderr, "--amend") {
		t.Fatalf("edited entries: exit %d, %s", r.code, r.stderr)
	}
	r = ok(t, dir, "import", "entries", "--amend", c)
	if !strings.Contains(r.stderr, "1 amended") {
		t.Errorf("entries --amend: %s", r.stderr)
	}
}

// TestReportsAnyChart: every statement runs on a journal-imported book,
// whose accounts no shipped layout knows: they are placed by type and the
// checks name them; --layout takes a layout CSV file.
func TestReportsAnyChart(t *testing.T) {
	dir := t.TempDir()
	src := "account assets:bank  ; type: C\n\n" +
		"2026-01-02 Opening\n    assets:bank   EUR 5000.00\n    equity:opening balances\n\n" +
		"2026-01-15 Sale\n    assets:receivables   EUR 1190.00\n    revenue:sales   EUR -1000.00\n    liabilities:vat\n\n" +
		"2026-01-20 Rent\n    expenses:rent   EUR 800.00\n    assets:bank\n"
	if err := os.WriteFile(filepath.Join(dir, "j.journal"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	ok(t, dir, "import", "journal", "j.journal")
	for _, kind := range []string{"balance-sheet", "income-statement", "cash-flow", "trial-balance", "general-ledger"} {
		r := ok(t, dir, "report", kind, "--from", "2026-01-01", "--to", "2026-01-31")
		if kind == "balance-sheet" && (!strings.Contains(r.stdout, "not in the layout") || !strings.Contains(r.stdout, "assets:receivables")) {
			t.Errorf("%s:\n%s", kind, r.stdout)
		}
	}
	// The transaction against equity:opening balances opens the books: the
	// cash flow starts from it, the trial balance shows it as the opening.
	r := ok(t, dir, "report", "cash-flow", "--from", "2026-01-01", "--to", "2026-01-31", "--format", "csv")
	if !strings.Contains(r.stdout, "Cash at beginning of period,5000.00\n") || !strings.Contains(r.stdout, "Cash at end of period,4200.00\n") {
		t.Errorf("cash flow of a journal with opening balances:\n%s", r.stdout)
	}
	r = ok(t, dir, "report", "trial-balance", "--from", "2026-01-01", "--to", "2026-01-31", "--format", "csv")
	if !strings.Contains(r.stdout, ",5000.00,0.00,800.00,0.00,800.00,4200.00") {
		t.Errorf("trial balance of a journal with opening balances:\n%s", r.stdout)
	}
	layout := "line,label,side,match,check\nassets,Assets,debit,type=asset,left\nrest,Liabilities and equity,credit,type=liability type=equity result,right\n"
	if err := os.WriteFile(filepath.Join(dir, "bs.csv"), []byte(layout), 0o644); err != nil {
		t.Fatal(err)
	}
	r = ok(t, dir, "report", "balance-sheet", "--to", "2026-01-31", "--layout", "bs.csv")
	if strings.Contains(r.stdout, "not in the layout") || !strings.Contains(r.stdout, "Liabilities and equity") {
		t.Errorf("balance sheet with bs.csv:\n%s", r.stdout)
	}
	if r := books(t, dir, "report", "balance-sheet", "--layout", "nope.csv"); r.code != 2 || !strings.Contains(r.stderr, "nope.csv") {
		t.Errorf("--layout nope.csv: exit %d, %s", r.code, r.stderr)
	}
}

// TestJournalCosts: a journal's costs import as base amounts and its P
// directives as the book's rates (as fx import --format prices would store
// them, which then finds nothing new), and export journal writes both
// back, so that hledger values the foreign account as the book does.
func TestJournalCosts(t *testing.T) {
	dir := t.TempDir()
	ok(t, dir, "init")
	src := "P 2025-01-15 USD 0.92 EUR\n\n" +
		"2025-01-15 buy dollars\n" +
		"    assets:usd    USD 100.00 @@ EUR 92.00\n" +
		"    assets:eur    EUR -92.00\n"
	path := filepath.Join(dir, "costs.journal")
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := ok(t, dir, "import", "journal", path); !strings.Contains(r.stderr, "1 rates from P directives stored") {
		t.Errorf("import journal: %s", r.stderr)
	}
	if r := ok(t, dir, "fx", "import", path, "--format", "prices"); !strings.Contains(r.stderr, "imported 0 rates") {
		t.Errorf("fx import of the same P directives: %s", r.stderr)
	}
	out := ok(t, dir, "export", "journal")
	// EUR in hledger's style of the source: its first EUR amount, the P
	// directive's, has the commodity on the right.
	for _, want := range []string{"assets:usd  USD 100.00 @@ 92.00 EUR\n", "\nP 2025-01-15 USD 0.92 EUR"} {
		if !strings.Contains(out.stdout, want) {
			t.Errorf("export journal lacks %q:\n%s", want, out.stdout)
		}
	}
}

// TestJournalPricesValue: a journal's P directives are stored as the
// book's rates with its entries, all or nothing (a bad transaction later in
// the file keeps neither), a midnight time being the day itself. The
// journal's postings are valued as hledger values them, by costs only: a
// dollar fee without a cost keeps no base amount, however many rates the
// book has, and the stored rates value it at the end (report --value end:
// 10.00 USD at 0.95 = 9.50 EUR). A stock's price is no rate: refused with
// its line.
func TestJournalPricesValue(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	open := "2025-01-01 opening\n    assets:eur    EUR 1000.00\n    equity:opening balances    EUR -1000.00\n\n"
	prices := "P 2025-01-15 USD 0.90 EUR\nP 2025-12-31 00:00:00 USD 0.95 EUR\n\n"
	fee := "2025-01-20 fee in dollars\n    expenses:fees    USD 10.00\n    assets:usd    USD -10.00\n"
	bad := write("bad.journal", open+prices+fee+"\n2025-02-01 nowhere\n    expenses:fees    EUR 1.00\n    assets:eur    EUR -2.00\n")
	if r := books(t, dir, "import", "journal", bad); r.code != 1 || !strings.Contains(r.stderr, "bad.journal:12") {
		t.Fatalf("unbalanced transaction: exit %d, %s", r.code, r.stderr)
	}
	if r := books(t, dir, "fx", "list"); r.code == 0 {
		t.Errorf("fx list after the failed first import found a book: %s", r.stdout)
	}

	good := write("good.journal", open+prices+fee)
	if r := ok(t, dir, "import", "journal", good); !strings.Contains(r.stderr, "2 rates from P directives stored (0 already stored)") {
		t.Errorf("import journal: %s", r.stderr)
	}
	if r := ok(t, dir, "fx", "list"); !strings.Contains(r.stdout, "2025-01-15,USD,EUR,0.90,") || !strings.Contains(r.stdout, "2025-12-31,USD,EUR,0.95,") {
		t.Errorf("fx list:\n%s", r.stdout)
	}
	out := ok(t, dir, "export", "entries").stdout
	if !strings.Contains(out, ",2025-01-20,expenses:fees,10.00,,USD,") || strings.Contains(out, "9.00") {
		t.Errorf("the fee got a base amount from a market price:\n%s", out)
	}
	r := ok(t, dir, "report", "trial-balance", "-p", "2025", "--value", "end", "--format", "csv")
	if !strings.Contains(r.stdout, "expenses:fees") || !strings.Contains(r.stdout, "9.50") {
		t.Errorf("trial balance valued at the end:\n%s", r.stdout)
	}
	if r := ok(t, dir, "import", "journal", good); !strings.Contains(r.stderr, "(2 already stored)") || !strings.Contains(r.stderr, "0 entries posted, 2 already posted") {
		t.Errorf("import journal again: %s", r.stderr)
	}
	stock := write("stock.journal", "P 2025-01-15 AAPL 150.00 USD\n")
	if r := books(t, dir, "import", "journal", stock); r.code != 1 || !strings.Contains(r.stderr, "stock.journal:1") || !strings.Contains(r.stderr, `"AAPL" is not an ISO 4217 currency`) {
		t.Errorf("a stock price: exit %d, %s", r.code, r.stderr)
	}
}
