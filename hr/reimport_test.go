package hr_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/hr"
)

// importFunc is a CSV import of Records.
type importFunc func(env *env, src string) (hr.ImportCount, error)

var (
	acme    = &hr.ImportOptions{Employer: "acme"}
	impEmps = func(env *env, src string) (hr.ImportCount, error) {
		return env.r.ImportEmployees(env.ctx, strings.NewReader(src), acme)
	}
	impConts = func(env *env, src string) (hr.ImportCount, error) {
		return env.r.ImportContracts(env.ctx, strings.NewReader(src), acme)
	}
	impTaxes = func(env *env, src string) (hr.ImportCount, error) {
		return env.r.ImportTaxProfiles(env.ctx, strings.NewReader(src), acme)
	}
	impTime = func(env *env, src string) (hr.ImportCount, error) {
		return env.r.ImportTime(env.ctx, strings.NewReader(src), acme)
	}
	impAbsence = func(env *env, src string) (hr.ImportCount, error) {
		return env.r.ImportAbsences(env.ctx, strings.NewReader(src), acme)
	}
)

// importProblem is an ImportError as the tests compare it.
type importProblem struct {
	Row    int
	Column string
	Is     error
	Number string // the personnel number the error must name, or ""
}

// checkProblems compares err with the problems wanted, and checks that
// no message holds personal data.
func checkProblems(t *testing.T, err error, want []importProblem) {
	t.Helper()
	var ie hr.ImportErrors
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v, want ImportErrors", err)
	}
	if len(ie) != len(want) {
		t.Fatalf("got %d problems, want %d: %v", len(ie), len(want), err)
	}
	for i, w := range want {
		got := ie[i]
		if got.Row != w.Row || got.Column != w.Column || !errors.Is(got, w.Is) {
			t.Errorf("problem %d = row %d column %q: %v; want row %d column %q %v", i, got.Row, got.Column, got.Err, w.Row, w.Column, w.Is)
		}
		var fe *hr.FieldError
		if w.Number != "" && (!errors.As(got, &fe) || fe.PersonnelNumber != w.Number || !strings.Contains(got.Error(), w.Number)) {
			t.Errorf("problem %d = %v, want it to name personnel number %s", i, got, w.Number)
		}
	}
	for _, p := range personal {
		if strings.Contains(err.Error(), p) {
			t.Errorf("error %q contains personal data %q", err, p)
		}
	}
}

// TestImportAgain: each CSV import run a second time on the same file
// records nothing and counts every row as stored already; a file that
// differs from what is stored for a row's identity is a conflict naming
// the row, the personnel number and the fields, and records nothing
// (issue 15, 8 and 6; issue 26, 4). Expectations are worked by hand from
// the files.
func TestImportAgain(t *testing.T) {
	const (
		emps = "personnel_number,family_name,given_name,hire_date,iban\n" +
			"1001,Quixotewicz,Zebulon,2026-01-01,DE89 3704 0044 0532 0130 00\n" +
			"1002,Quixotewicz,Zebulon,2026-02-01,\n"
		conts = "personnel_number,valid_from,valid_to,pay_type,amount,currency,frequency,weekly_hours,work_days,items\n" +
			"1001,2026-01-01,2026-06-30,monthly,4000.00,EUR,monthly,40,Mon Tue Wed Thu Fri,VWL:allowance:40.00:EUR\n" +
			"1001,2026-07-01,,monthly,4400.00,EUR,monthly,40,Mon Tue Wed Thu Fri,VWL:allowance:40.00:EUR\n" +
			"1002,2026-02-01,,hourly,21.37,EUR,biweekly,17.25,Sat Sun,\n"
		taxes = "personnel_number,valid_from,valid_to,jurisdiction,tax_class,child_allowances,health_supplement,state,filing_status,dependents\n" +
			"1001,2026-01-01,2026-03-31,DE,1,0.5,2.9,BY,,\n" +
			"1001,2026-04-01,,DE,3,1.5,2.9,BY,,\n" +
			"1002,2026-02-01,,US,,,,,married_jointly,2000.00\n"
		// 2 hours on the 2nd; two equal shifts and an hour of overtime on
		// the 3rd; a correction taking back an hour on the 4th.
		times = "personnel_number,date,kind,hours\n" +
			"1001,2026-03-02,regular,2\n" +
			"1001,2026-03-03,regular,4\n" +
			"1001,2026-03-03,regular,4\n" +
			"1001,2026-03-03,overtime,1\n" +
			"1001,2026-03-04,regular,-1\n" +
			"1001,2026-03-04,regular,8\n"
		// A week of vacation, and a day of two half days.
		absences = "personnel_number,kind,from,to,half_day\n" +
			"1001,vacation,2026-03-09,2026-03-13,\n" +
			"1001,vacation,2026-03-16,,true\n" +
			"1001,sick,2026-03-16,,true\n"
	)
	env := newEnv(t)
	steps := []struct {
		name  string
		imp   importFunc
		src   string
		first hr.ImportCount
	}{
		{"employees", impEmps, emps, hr.ImportCount{Added: 2}},
		{"contracts", impConts, conts, hr.ImportCount{Added: 3}},
		{"tax profiles", impTaxes, taxes, hr.ImportCount{Added: 3}},
		{"time", impTime, times, hr.ImportCount{Added: 6}},
		{"absences", impAbsence, absences, hr.ImportCount{Added: 3}},
	}
	for _, s := range steps {
		got, err := s.imp(env, s.src)
		if err != nil || got != s.first {
			t.Fatalf("first import of %s = %+v, %v; want %+v", s.name, got, err, s.first)
		}
	}
	before := snapshot(t, env)
	histories := func() (int, int) {
		cs, err := env.r.ContractHistory(env.ctx, "acme/1001")
		ps, err2 := env.r.TaxProfileHistory(env.ctx, "acme/1001")
		if err != nil || err2 != nil {
			t.Fatal(err, err2)
		}
		return len(cs), len(ps)
	}
	env.now = t0.Add(24 * time.Hour)
	for _, s := range steps {
		t.Run(s.name+" again", func(t *testing.T) {
			got, err := s.imp(env, s.src)
			want := hr.ImportCount{Existing: s.first.Added}
			if err != nil || got != want {
				t.Errorf("second import = %+v, %v; want %+v", got, err, want)
			}
		})
	}
	if diff := cmp.Diff(snapshot(t, env), before, cmpOpts); diff != "" {
		t.Errorf("importing again changed the records (-after +before):\n%s", diff)
	}
	if c, p := histories(); c != 2 || p != 2 {
		t.Errorf("1001 has %d contract and %d tax profile versions after importing twice, want 2 and 2", c, p)
	}
	ts, err := env.r.TimeEntries(env.ctx, "acme/1001", day("2026-03-02"), day("2026-03-02"))
	if err != nil || len(ts) != 1 || !ts[0].Hours.Equal(dec("2")) {
		t.Errorf("2 March after importing twice: %v, %v; want one entry of 2 hours", ts, err)
	}

	conflicts := []struct {
		name string
		imp  importFunc
		src  string
		want []importProblem
	}{
		{"employee with another IBAN, and a new one", impEmps, "personnel_number,family_name,given_name,hire_date,iban\n" +
			"1001,Quixotewicz,Zebulon,2026-01-01,GB82WEST12345698765432\n" +
			"1003,Quixotewicz,Zebulon,2026-02-01,\n",
			[]importProblem{{2, "iban", hr.ErrConflict, "1001"}}},
		{"employee without the columns stored", impEmps, "personnel_number,family_name,hire_date\n1002,Quixotewicz,2026-02-01\n",
			[]importProblem{{2, "given_name", hr.ErrConflict, "1002"}}},
		{"a raise is not imported as a new version", impConts, strings.Replace(conts, "4400.00", "4500.00", 1),
			[]importProblem{{3, "amount", hr.ErrConflict, "1001"}}},
		{"a contract stored for only some of its days", impConts,
			"personnel_number,valid_from,valid_to,pay_type,amount,currency,frequency,weekly_hours,work_days\n" +
				"1002,2026-01-15,2026-03-31,hourly,21.37,EUR,biweekly,17.25,Sat Sun\n",
			[]importProblem{{2, "valid_from", hr.ErrConflict, "1002"}}},
		{"another tax class", impTaxes, strings.Replace(taxes, "DE,3,1.5", "DE,4,1.5", 1),
			[]importProblem{{3, "tax_class", hr.ErrConflict, "1001"}}},
		{"other hours on a day with time", impTime, "personnel_number,date,kind,hours\n1001,2026-03-02,regular,3\n",
			[]importProblem{{2, "hours", hr.ErrConflict, "1001"}}},
		{"one of two equal shifts", impTime, "personnel_number,date,kind,hours\n1001,2026-03-03,regular,4\n",
			[]importProblem{{2, "hours", hr.ErrConflict, "1001"}}},
		{"another kind of absence on the same days", impAbsence, "personnel_number,kind,from,to\n1001,sick,2026-03-09,2026-03-13\n",
			[]importProblem{{2, "kind", hr.ErrConflict, "1001"}}},
		{"an absence over other days", impAbsence, "personnel_number,kind,from,to\n1001,vacation,2026-03-12,2026-03-14\n",
			[]importProblem{{2, "from", hr.ErrOverlap, "1001"}}},
	}
	for _, tc := range conflicts {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.imp(env, tc.src)
			if got != (hr.ImportCount{}) {
				t.Errorf("count = %+v, want none", got)
			}
			checkProblems(t, err, tc.want)
			if diff := cmp.Diff(snapshot(t, env), before, cmpOpts); diff != "" {
				t.Errorf("a failed import changed the records (-after +before):\n%s", diff)
			}
		})
	}

	// Stored rows with new ones: the new ones are recorded.
	got, err := impTime(env, times+"1001,2026-03-05,regular,8\n1001,2026-03-04,overtime,1\n")
	if want := (hr.ImportCount{Added: 2, Existing: 6}); err != nil || got != want {
		t.Errorf("time file with two new rows = %+v, %v; want %+v", got, err, want)
	}
	got, err = impConts(env, conts+"1003,2026-02-01,,monthly,3000.00,EUR,monthly,40,Mon Tue Wed Thu Fri,\n")
	if !errors.Is(err, hr.ErrNotFound) {
		t.Errorf("contracts of an employee not hired = %+v, %v; want ErrNotFound", got, err)
	}
}

// TestImportAgainJSON: the JSON import recognises stored records as the
// CSV imports do, and a conflicting record names its list, position,
// field and personnel number.
func TestImportAgainJSON(t *testing.T) {
	src := newEnv(t)
	fill(t, src)
	ds, err := src.r.Export(src.ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	// One more shift equal to the first, and the export again.
	if err := src.r.RecordTime(src.ctx, ds.Time[0]); err != nil {
		t.Fatal(err)
	}
	if ds, err = src.r.Export(src.ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	want := hr.ImportResult{Employees: hr.ImportCount{Existing: 2}, Contracts: hr.ImportCount{Existing: 3},
		TaxProfiles: hr.ImportCount{Existing: 1}, Time: hr.ImportCount{Existing: 3}, Absences: hr.ImportCount{Existing: 2},
		Items: hr.ImportCount{Existing: 1}}
	if got, err := src.r.Import(src.ctx, ds); err != nil || got != want {
		t.Errorf("Import of the store's own export = %+v, %v; want %+v", got, err, want)
	}
	before := snapshot(t, src)

	changed := ds
	changed.Contracts = append([]hr.Contract(nil), ds.Contracts...)
	changed.Contracts[1] = changed.Contracts[1].Clone()
	changed.Contracts[1].Amount = eur("4500.00")
	changed.Items = append([]hr.OneTimeItem(nil), ds.Items...)
	changed.Items[0].Amount = eur("501.00")
	changed.Time = append(changed.Time, hr.TimeEntry{Employee: "acme/P-78", Date: day("2026-03-14"), Kind: hr.Regular, Hours: dec("5")})
	_, err = src.r.Import(src.ctx, changed)
	checkProblems(t, err, []importProblem{
		{2, "contracts.amount", hr.ErrConflict, "P-77"},
		{1, "items.key", hr.ErrConflict, "P-77"},
	})
	if diff := cmp.Diff(snapshot(t, src), before, cmpOpts); diff != "" {
		t.Errorf("a failed import changed the records (-after +before):\n%s", diff)
	}
}

// TestImportEveryProblem: an import reports every problem of every stage
// in row order, not the first of a stage (issue 26, 7).
func TestImportEveryProblem(t *testing.T) {
	t.Run("JSON with three bad records", func(t *testing.T) {
		env := newEnv(t)
		env.hire(pii())
		doc := `{"employees":[
			{"employer":"acme","personnel_number":"1","family_name":"Quixotewicz","hire_date":"2026-13-01"},
			{"employer":"acme","personnel_number":"2","family_name":"Quixotewicz","hire_date":"2026-01-01","birth_date":"Zebulon"},
			{"employer":"acme","personnel_number":"3","family_name":"Quixotewicz","hire_date":"2026-01-01","Zebulon":"x"},
			{"employer":"acme","personnel_number":"4","family_name":"Quixotewicz","hire_date":"2026-01-01"}],
		"time":[{"employee":"acme/P-77","date":"2026-03-02","kind":"regular","hours":"25"},
			{"employee":"acme/4","date":"2026-03-02","kind":"regular","hours":"8"},
			{"employee":"nobody","date":"2026-03-02","kind":"regular","hours":"8"}]}`
		res, err := env.r.ImportJSON(env.ctx, strings.NewReader(doc))
		if res != (hr.ImportResult{}) {
			t.Errorf("result = %+v, want none", res)
		}
		checkProblems(t, err, []importProblem{
			{1, "employees.hire_date", hr.ErrInvalid, ""},
			{2, "employees.birth_date", hr.ErrInvalid, ""},
			{3, "employees", hr.ErrInvalid, ""},
			{1, "time.hours", hr.ErrTooManyHours, ""},
			{3, "time", hr.ErrNotFound, ""},
		})
		if got := snapshot(t, env); len(got.Employees) != 1 || len(got.Time) != 0 {
			t.Errorf("a failed import left %d employees and %d time entries", len(got.Employees), len(got.Time))
		}
	})
	t.Run("JSON with a personnel number twice", func(t *testing.T) {
		env := newEnv(t)
		a, b := pii(), pii()
		b.ID = "another-id"
		c := pii()
		c.PersonnelNumber = "P-78"
		_, err := env.r.Import(env.ctx, hr.Dataset{Employees: []hr.Employee{a, c, b}})
		checkProblems(t, err, []importProblem{{3, "employees.personnel_number", hr.ErrDuplicate, "P-77"}})
		if err == nil || !strings.Contains(err.Error(), "row 3") || !strings.Contains(err.Error(), "also in row 1") {
			t.Errorf("error %v: want rows 3 and 1 named", err)
		}
	})
	t.Run("contracts CSV with an unknown personnel number", func(t *testing.T) {
		env := newEnv(t)
		env.hire(pii())
		_, err := impConts(env, "personnel_number,valid_from,valid_to,pay_type,amount,currency,frequency\n"+
			"nobody,2026-01-01,,monthly,4000.00,EUR,monthly\n"+
			"P-77,2025-01-01,,monthly,4000.00,EUR,monthly\n"+ // before the hire
			"P-77,2026-01-01,,monthly,-1,EUR,monthly\n")
		checkProblems(t, err, []importProblem{
			{2, "personnel_number", hr.ErrNotFound, "nobody"},
			{3, "valid_from", hr.ErrInvalid, "P-77"},
			{4, "amount", hr.ErrInvalid, "P-77"},
		})
	})
}

// TestImportNoHeader: a CSV file without a header row is refused as such;
// the error repeats none of the first row's values (issue 26, 6).
func TestImportNoHeader(t *testing.T) {
	env := newEnv(t)
	src := "1001,Quixotewicz,Zebulon,1977-07-17,DE89370400440532013000,Geheimweg 42\n1002,Müller,Jürgen,1980-02-29,,\n"
	_, err := impEmps(env, src)
	var ie hr.ImportErrors
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v, want ImportErrors", err)
	}
	var got []string
	for _, e := range ie {
		got = append(got, fmt.Sprintf("%d %s", e.Row, e.Column))
	}
	if diff := cmp.Diff(got, []string{"1 ", "1 personnel_number", "1 family_name", "1 hire_date"}); diff != "" ||
		!strings.Contains(ie[0].Error(), "row 1: csvio: not a header row: none of its 6 cells names a column") {
		t.Errorf("err = %v, want row 1 named as not a header, and the missing columns (-got +want):\n%s", err, diff)
	}
	for _, p := range append(personal, "Müller", "Jürgen", "1980") {
		if strings.Contains(err.Error(), p) {
			t.Errorf("error %q contains %q", err, p)
		}
	}
	// A header with a column misspelt names it by position only.
	_, err = impEmps(env, "personnel_number,family_name,hire_date,Zebulon\n1001,X,2026-01-01,y\n")
	if err == nil || !strings.Contains(err.Error(), "unknown column 4") || strings.Contains(err.Error(), "Zebulon") {
		t.Errorf("err = %v, want unknown column 4 and no cell text", err)
	}
}

// TestIDNotInErrors: an employee ID may be an e-mail address; errors name
// the personnel number, never the ID (issue 26, 6).
func TestIDNotInErrors(t *testing.T) {
	env := newEnv(t)
	emp := pii()
	emp.ID = "zebulon.q@example.org"
	e := env.hire(emp)
	for _, err := range []error{
		func() error {
			_, err := env.r.SetContract(env.ctx, contract(e.ID, "2025-01-01", "4000.00"))
			return err
		}(),
		env.r.RecordTime(env.ctx, hr.TimeEntry{Employee: e.ID, Date: day("2025-03-02"), Kind: hr.Regular, Hours: dec("8")}),
		env.r.RecordAbsences(env.ctx, hr.Absence{Employee: e.ID, Kind: hr.Sick, From: day("2025-03-02")}),
		func() error {
			_, err := env.r.Import(env.ctx, hr.Dataset{Contracts: []hr.Contract{contract(e.ID, "2025-01-01", "1.00")},
				Time: []hr.TimeEntry{{Employee: e.ID, Date: day("2026-03-02"), Kind: hr.Regular, Hours: dec("25")}}})
			return err
		}(),
	} {
		if err == nil {
			t.Fatal("no error")
		}
		if strings.Contains(err.Error(), "zebulon") || !strings.Contains(err.Error(), "P-77") {
			t.Errorf("error %q: want personnel number P-77 and not the ID", err)
		}
	}
	if got := hr.IDRef(e.ID); !strings.HasPrefix(got, "id#") || len(got) != 15 || strings.Contains(got, "zebulon") {
		t.Errorf("IDRef = %q", got)
	}
}
