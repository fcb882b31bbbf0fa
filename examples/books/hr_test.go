package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/store/postgres"
	"github.com/openbackoffice/backoffice/store/sqlite"
)

// TestImportHRAgain runs every HR import of books twice on the same file,
// on SQLite and (with BACKOFFICE_TEST_POSTGRES) PostgreSQL: the second run
// exits 0 and says every row is already there, and adds nothing (2 hours
// imported twice stay 2 hours); a changed row exits 1 naming the row and
// the personnel number, and a file without a header row exits 1, neither
// repeating personal data (issue 15, 8 and 6; issue 26, 4 and 6).
func TestImportHRAgain(t *testing.T) {
	dbs := []string{"books.db"}
	if dsn := os.Getenv("BACKOFFICE_TEST_POSTGRES"); dsn != "" {
		dbs = append(dbs, pgSchema(t, dsn))
	} else {
		t.Log("BACKOFFICE_TEST_POSTGRES unset: SQLite only")
	}
	for _, db := range dbs {
		name := "sqlite"
		if db != "books.db" {
			name = "postgres"
		}
		t.Run(name, func(t *testing.T) { importHRAgain(t, db) })
	}
}

func importHRAgain(t *testing.T, db string) {
	dir := t.TempDir()
	run := func(args ...string) result {
		t.Helper()
		return books(t, dir, append([]string{"--db", db}, args...)...)
	}
	if r := run("--book", "acme", "init"); r.code != 0 {
		t.Fatalf("init: %s", r.stderr)
	}
	files := []struct{ kind, name, text, first, again string }{
		{"employees", "emp.csv", "personnel_number;family_name;given_name;birth_date;hire_date;iban\n" +
			"1001;Quixotewicz;Zebulon;1977-07-17;2026-01-01;DE89 3704 0044 0532 0130 00\n" +
			"1002;Beispiel;Erika;;2026-02-01;\n",
			"employees: 2 added, 0 already there", "employees: 0 added, 2 already there"},
		{"contracts", "con.csv", "personnel_number;valid_from;valid_to;pay_type;amount;currency;frequency;weekly_hours;work_days\n" +
			"1001;2026-01-01;2026-06-30;monthly;4000.00;EUR;monthly;40;Mon Tue Wed Thu Fri\n" +
			"1001;2026-07-01;;monthly;4400.00;EUR;monthly;40;Mon Tue Wed Thu Fri\n" +
			"1002;2026-02-01;;monthly;3500.00;EUR;monthly;40;Mon Tue Wed Thu Fri\n",
			"contracts: 3 added, 0 already there", "contracts: 0 added, 3 already there"},
		{"taxprofiles", "tax.csv", "personnel_number;valid_from;jurisdiction;tax_class;child_allowances;church_tax;health_supplement;state\n" +
			"1001;2026-01-01;DE;1;0;true;2.9;NW\n1002;2026-02-01;DE;3;1;false;2.9;BY\n",
			"taxprofiles: 2 added, 0 already there", "taxprofiles: 0 added, 2 already there"},
		{"time", "time.csv", "personnel_number;date;kind;hours\n1001;2026-03-02;regular;2\n1001;2026-03-03;regular;4\n1001;2026-03-03;regular;4\n",
			"time: 3 added, 0 already there", "time: 0 added, 3 already there"},
		{"absences", "abs.csv", "personnel_number;kind;from;to;half_day\n1002;vacation;2026-03-09;2026-03-13;\n1002;sick;2026-03-16;;true\n",
			"absences: 2 added, 0 already there", "absences: 0 added, 2 already there"},
	}
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range files {
		write(f.name, f.text)
		if r := run("import", f.kind, f.name); r.code != 0 || !strings.Contains(r.stderr, f.first) {
			t.Errorf("import %s: exit %d, %q; want %q", f.kind, r.code, r.stderr, f.first)
		}
	}
	for _, f := range files {
		if r := run("import", f.kind, f.name); r.code != 0 || !strings.Contains(r.stderr, f.again) {
			t.Errorf("import %s again: exit %d, %q; want exit 0 and %q", f.kind, r.code, r.stderr, f.again)
		}
	}
	// A JSON document of records already there: the same.
	write("hr.json", `{"employees":[{"employer":"acme","personnel_number":"1002","family_name":"Beispiel","given_name":"Erika","hire_date":"2026-02-01"}],
		"time":[{"employee":"acme/1001","date":"2026-03-02","kind":"regular","hours":"2"}]}`)
	if r := run("import", "employees", "hr.json"); r.code != 0 || !strings.Contains(r.stderr, "employees: 0 added, 1 already there") ||
		!strings.Contains(r.stderr, "time: 0 added, 1 already there") {
		t.Errorf("import JSON: exit %d, %q", r.code, r.stderr)
	}
	if got := hoursOn(t, dir, db, "acme/1001", "2026-03-02"); got != "2" {
		t.Errorf("hours of 1001 on 2 March after importing them three times: %s, want 2", got)
	}
	if got := hoursOn(t, dir, db, "acme/1001", "2026-03-03"); got != "8" {
		t.Errorf("hours of 1001 on 3 March (two shifts of 4) after importing twice: %s, want 8", got)
	}

	// A changed row is a conflict, named by row and personnel number.
	write("time2.csv", "personnel_number;date;kind;hours\n1001;2026-03-02;regular;2\n1001;2026-03-03;regular;5\n1001;2026-03-03;regular;4\n")
	r := run("import", "time", "time2.csv")
	if r.code != 1 || !strings.Contains(r.stderr, "row 3") || !strings.Contains(r.stderr, "row 4") ||
		!strings.Contains(r.stderr, "time 1001: field hours: hr: conflicts with the stored record") {
		t.Errorf("import of a changed time file: exit %d, %q", r.code, r.stderr)
	}
	write("emp2.csv", strings.Replace(files[0].text, "DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432", 1))
	r = run("import", "employees", "emp2.csv")
	if r.code != 1 || !strings.Contains(r.stderr, `row 2, column "iban": hr: employee 1001`) {
		t.Errorf("import of a changed employee: exit %d, %q", r.code, r.stderr)
	}
	// No header row: said, and nothing of the row repeated.
	write("nohead.csv", "1003;Quixotewicz;Zebulon;1977-07-17;2026-01-01;DE89 3704 0044 0532 0130 00\n")
	r = run("import", "employees", "nohead.csv")
	if r.code != 1 || !strings.Contains(r.stderr, "row 1: csvio: not a header row") {
		t.Errorf("import without a header row: exit %d, %q", r.code, r.stderr)
	}
	for _, r := range []result{r, run("import", "employees", "emp2.csv")} {
		for _, secret := range []string{"Quixotewicz", "Zebulon", "1977", "DE89", "GB82"} {
			if strings.Contains(r.stderr, secret) {
				t.Errorf("stderr %q contains %q", r.stderr, secret)
			}
		}
	}
}

// hoursOn returns the hours recorded for the employee on day, as stored
// in db (a SQLite file in dir, or a PostgreSQL DSN).
func hoursOn(t *testing.T, dir, db, employee, day string) string {
	t.Helper()
	ctx := context.Background()
	var st hr.Store
	if strings.HasPrefix(db, "postgres") {
		s, err := postgres.Open(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		st = s
	} else {
		s, err := sqlite.Open(ctx, filepath.Join(dir, db))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		st = s
	}
	d := date.MustParse(day)
	ts, err := hr.New(st, nil).TimeEntries(ctx, employee, d, d)
	if err != nil {
		t.Fatal(err)
	}
	sum := decimal.Zero
	for _, e := range ts {
		sum = sum.Add(e.Hours)
	}
	return sum.String()
}
