package hr_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/store/memory"
)

const employeesCSV = "\uFEFFPersonnel_Number;Family_Name;Given_Name;Hire_Date;Birth_Date;IBAN;BIC;Email;Manager\n" +
	"1001;Müller;Jürgen;2026-01-01;1980-02-29;DE89 3704 0044 0532 0130 00;COBADEFFXXX;j@example.org;\n" +
	"1002;Øster;Åse;2026-02-01;;GB82WEST12345698765432;;;acme/1001\n"

func TestImportEmployees(t *testing.T) {
	env := newEnv(t)
	n, err := env.r.ImportEmployees(env.ctx, strings.NewReader(employeesCSV), &hr.ImportOptions{Employer: "acme"})
	if err != nil || n != (hr.ImportCount{Added: 2}) {
		t.Fatalf("ImportEmployees = %+v, %v", n, err)
	}
	e, err := env.r.EmployeeByNumber(env.ctx, "acme", "1002")
	if err != nil || e.GivenName != "Åse" || e.Manager != "acme/1001" || e.Bank.IBAN != "GB82WEST12345698765432" {
		t.Errorf("imported %+v, %v", e, err)
	}
}

func TestImportErrors(t *testing.T) {
	type wantErr struct {
		row    int
		column string
		err    error
	}
	tests := []struct {
		name string
		imp  func(env *env, src string) (hr.ImportCount, error)
		src  string
		want []wantErr
	}{
		{"employees", func(env *env, src string) (hr.ImportCount, error) {
			return env.r.ImportEmployees(env.ctx, strings.NewReader(src), &hr.ImportOptions{Employer: "acme"})
		}, "personnel_number,family_name,hire_date,termination_date,iban,routing_number,account_number,bic\n" +
			"1,Quixotewicz,2026-01-01,2025-01-01,,,,\n" + // termination before hire
			"2,Quixotewicz,2026-13-01,,,,,\n" + // bad date
			"3,Quixotewicz,2026-01-01,,DE89370400440532013001,,,\n" + // IBAN checksum
			"4,Quixotewicz,2026-01-01,,,021000022,123456789,\n" + // ABA checksum
			"5,Quixotewicz,2026-01-01,,,,,COBA1EFF\n" + // BIC
			"6,Quixotewicz,2026-01-01\n" + // field count
			"7,Quixotewicz,2026-01-01,,,,,\n" +
			"7,Quixotewicz,2026-01-01,,,,,\n", // duplicate
			[]wantErr{{2, "termination_date", hr.ErrInvalid}, {3, "hire_date", hr.ErrInvalid}, {4, "iban", hr.ErrBankAccount},
				{5, "routing_number", hr.ErrBankAccount}, {6, "bic", hr.ErrBankAccount}, {7, "", nil}, {9, "personnel_number", hr.ErrDuplicate}}},
		{"employees already in store", func(env *env, src string) (hr.ImportCount, error) {
			return env.r.ImportEmployees(env.ctx, strings.NewReader(src), &hr.ImportOptions{Employer: "acme"})
		}, "personnel_number,family_name,hire_date\nP-77,Quixotewicz,2026-01-01\n8,Quixotewicz,2026-01-01\n",
			[]wantErr{{2, "given_name", hr.ErrConflict}}},
		{"contracts", func(env *env, src string) (hr.ImportCount, error) {
			return env.r.ImportContracts(env.ctx, strings.NewReader(src), &hr.ImportOptions{Employer: "acme", DecimalComma: true})
		}, "personnel_number;valid_from;valid_to;pay_type;amount;currency;frequency;weekly_hours;work_days;items\n" +
			"P-77;2026-01-01;2026-06-30;monthly;4.000,00;EUR;monthly;38,5;Mon Tue Wed Thu Fri;VWL:allowance:40,00:EUR\n" +
			"P-77;2026-06-01;;monthly;4.100,00;EUR;monthly;38,5;Mon Tue Wed Thu Fri;\n" + // overlap
			"P-77;2026-01-01;;monthly;-1;EUR;monthly;38,5;Mon Tue Wed Thu Fri;\n" + // negative
			"P-77;2026-01-01;;monthly;1;XXY;monthly;38,5;Mon Tue Wed Thu Fri;\n" + // unknown currency
			"nobody;2026-01-01;;monthly;1;EUR;monthly;38,5;Mon Tue Wed Thu Fri;\n", // unknown employee
			// The store's problems of the known employee's rows come out
			// too: the first row differs from the contract stored for its
			// days, the second overlaps it.
			[]wantErr{{2, "weekly_hours", hr.ErrConflict}, {3, "valid_from", hr.ErrOverlap}, {4, "amount", hr.ErrInvalid},
				{5, "currency", hr.ErrUnknownCurrency}, {6, "personnel_number", hr.ErrNotFound}}},
		{"contract overlap", func(env *env, src string) (hr.ImportCount, error) {
			return env.r.ImportContracts(env.ctx, strings.NewReader(src), &hr.ImportOptions{Employer: "acme", DecimalComma: true})
		}, "personnel_number;valid_from;valid_to;pay_type;amount;currency;frequency\n" +
			"P-77;2026-01-01;2026-06-30;monthly;4.000,00;EUR;monthly\n" +
			"P-77;2026-06-01;;monthly;4.100,00;EUR;monthly\n",
			[]wantErr{{2, "weekly_hours", hr.ErrConflict}, {3, "valid_from", hr.ErrOverlap}}},
		{"time", func(env *env, src string) (hr.ImportCount, error) {
			return env.r.ImportTime(env.ctx, strings.NewReader(src), &hr.ImportOptions{Employer: "acme"})
		}, "personnel_number,date,kind,hours\n" +
			"P-77,2026-03-02,regular,8\n" +
			"P-77,2026-03-02,regular,8\n" + // a second shift, not a duplicate
			"P-77,2026-03-03,regular,20\n" +
			"P-77,2026-03-03,overtime,5\n" + // > 24
			"P-77,2026-03-04,regular,7,5\n" + // field count
			"P-77,2026-03-05,regular,abc\n",
			[]wantErr{{5, "hours", hr.ErrTooManyHours}, {6, "", nil}, {7, "hours", hr.ErrInvalid}}},
		{"absences", func(env *env, src string) (hr.ImportCount, error) {
			return env.r.ImportAbsences(env.ctx, strings.NewReader(src), &hr.ImportOptions{Employer: "acme"})
		}, "personnel_number,kind,from,to,half_day\n" +
			"P-77,vacation,2026-03-02,2026-03-06,\n" +
			"P-77,sick,2026-03-06,2026-03-09,no\n" + // overlap
			"P-77,sick,2026-04-01,,maybe\n",
			[]wantErr{{3, "from", hr.ErrOverlap}, {4, "half_day", hr.ErrInvalid}}},
		{"missing column", func(env *env, src string) (hr.ImportCount, error) {
			return env.r.ImportTime(env.ctx, strings.NewReader(src), &hr.ImportOptions{Employer: "acme"})
		}, "personnel_number,date,kind,salary\n", []wantErr{{1, "", nil}, {1, "hours", nil}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newEnv(t)
			e := env.hire(pii())
			if _, err := env.r.SetContract(env.ctx, contract(e.ID, "2026-01-01", "4000.00")); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, env)
			n, err := tc.imp(env, tc.src)
			if n != (hr.ImportCount{}) || err == nil {
				t.Fatalf("import = %+v, %v; want an error", n, err)
			}
			var ie hr.ImportErrors
			if !errors.As(err, &ie) {
				t.Fatalf("err = %T %v, want ImportErrors", err, err)
			}
			if len(ie) != len(tc.want) {
				t.Fatalf("got %d errors, want %d: %v", len(ie), len(tc.want), err)
			}
			for i, w := range tc.want {
				if ie[i].Row != w.row || ie[i].Column != w.column || w.err != nil && !errors.Is(ie[i], w.err) {
					t.Errorf("error %d = row %d column %q %v; want row %d column %q %v", i, ie[i].Row, ie[i].Column, ie[i].Err, w.row, w.column, w.err)
				}
			}
			for _, p := range personal {
				if strings.Contains(err.Error(), p) {
					t.Errorf("error %q contains personal data %q", err, p)
				}
			}
			if diff := cmp.Diff(snapshot(t, env), before, cmpOpts); diff != "" {
				t.Errorf("a failed import changed the store (-after +before):\n%s", diff)
			}
		})
	}
}

// snapshot exports everything of employer acme.
func snapshot(t testing.TB, env *env) hr.Dataset {
	t.Helper()
	ds, err := env.r.Export(env.ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// fill records one of everything for two employees.
func fill(t *testing.T, env *env) {
	t.Helper()
	a := env.hire(pii())
	b := pii()
	b.PersonnelNumber, b.GivenName, b.Manager = "P-78", "Ünal; \"quoted\"", a.ID
	b.Bank = hr.BankAccount{RoutingNumber: "021000021", AccountNumber: "123456789"}
	b = env.hire(b)
	c := contract(a.ID, "2026-01-01", "4000.00")
	c.Items = []hr.PayItem{{Code: "VWL", Kind: hr.Allowance, Amount: eur("40.00")}, {Code: "BAV", Kind: hr.PensionDeferral, Amount: eur("123.45")}}
	hourly := contract(b.ID, "2026-01-01", "21.37")
	hourly.PayType, hourly.Frequency, hourly.WeeklyHours = hr.Hourly, hr.Biweekly, dec("17.25")
	hourly.WorkDays = hr.WeekdaysOf(time.Saturday, time.Sunday)
	if _, err := env.r.SetContracts(env.ctx, c, hourly); err != nil {
		t.Fatal(err)
	}
	env.now = env.now.Add(time.Hour)
	if _, err := env.r.ChangeContract(env.ctx, a.ID, day("2026-07-01"), func(c *hr.Contract) { c.Amount = eur("4400.00") }); err != nil {
		t.Fatal(err)
	}
	if _, err := env.r.SetTaxProfile(env.ctx, hr.TaxProfile{Employee: a.ID, Effective: hr.Effective{ValidFrom: day("2026-01-01")},
		Jurisdiction: "DE", DE: hr.GermanTax{TaxClass: 3, ChildAllowances: dec("1.5"), HealthSupplement: dec("2.9"), State: "NW"}}); err != nil {
		t.Fatal(err)
	}
	if err := env.r.RecordTime(env.ctx,
		hr.TimeEntry{Employee: a.ID, Date: day("2026-03-02"), Kind: hr.Regular, Hours: dec("7.75")},
		hr.TimeEntry{Employee: b.ID, Date: day("2026-03-07"), Kind: hr.Night, Hours: dec("3.5")}); err != nil {
		t.Fatal(err)
	}
	if err := env.r.RecordAbsences(env.ctx,
		hr.Absence{Employee: a.ID, Kind: hr.Vacation, From: day("2026-03-09"), To: day("2026-03-13")},
		hr.Absence{Employee: b.ID, Kind: hr.Sick, From: day("2026-03-08"), HalfDay: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.r.AddOneTimeItem(env.ctx, hr.OneTimeItem{Employee: a.ID, Key: "b1", Date: day("2026-03-01"), Type: hr.Bonus, Amount: eur("500")}); err != nil {
		t.Fatal(err)
	}
}

func TestCSVRoundTrip(t *testing.T) {
	for _, opts := range []struct {
		name string
		exp  *hr.ExportOptions
		imp  *hr.ImportOptions
	}{
		{"comma", nil, nil},
		{"semicolon with decimal comma", &hr.ExportOptions{Comma: ';', DecimalComma: true}, &hr.ImportOptions{DecimalComma: true}},
	} {
		t.Run(opts.name, func(t *testing.T) {
			src := newEnv(t)
			fill(t, src)
			dst := newEnv(t)
			dst.now = t0.Add(100 * time.Hour)
			type step struct {
				exp func(*env, *bytes.Buffer) error
				imp func(*env, *bytes.Buffer) (hr.ImportCount, error)
			}
			for _, s := range []step{
				{func(e *env, w *bytes.Buffer) error { return e.r.ExportEmployees(e.ctx, w, "acme", opts.exp) },
					func(e *env, r *bytes.Buffer) (hr.ImportCount, error) { return e.r.ImportEmployees(e.ctx, r, opts.imp) }},
				{func(e *env, w *bytes.Buffer) error { return e.r.ExportContracts(e.ctx, w, "acme", opts.exp) },
					func(e *env, r *bytes.Buffer) (hr.ImportCount, error) { return e.r.ImportContracts(e.ctx, r, opts.imp) }},
				{func(e *env, w *bytes.Buffer) error { return e.r.ExportTime(e.ctx, w, "acme", noDate, noDate, opts.exp) },
					func(e *env, r *bytes.Buffer) (hr.ImportCount, error) { return e.r.ImportTime(e.ctx, r, opts.imp) }},
				{func(e *env, w *bytes.Buffer) error {
					return e.r.ExportAbsences(e.ctx, w, "acme", noDate, noDate, opts.exp)
				},
					func(e *env, r *bytes.Buffer) (hr.ImportCount, error) { return e.r.ImportAbsences(e.ctx, r, opts.imp) }},
			} {
				var a, b bytes.Buffer
				if err := s.exp(src, &a); err != nil {
					t.Fatal(err)
				}
				text := a.String()
				if _, err := s.imp(dst, &a); err != nil {
					t.Fatalf("import of\n%s: %v", text, err)
				}
				if err := s.exp(dst, &b); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(b.String(), text); diff != "" {
					t.Errorf("export after import differs (-got +want):\n%s", diff)
				}
			}
			want, got := snapshot(t, src), snapshot(t, dst)
			want.TaxProfiles, want.Items = nil, nil // not in the CSV files
			if diff := cmp.Diff(got, want, cmpOpts, ignoreRecorded); diff != "" {
				t.Errorf("records after the round trip (-got +want):\n%s", diff)
			}
		})
	}
}

func TestJSONRoundTrip(t *testing.T) {
	src := newEnv(t)
	fill(t, src)
	var buf bytes.Buffer
	if err := src.r.ExportJSON(src.ctx, &buf, "acme"); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	if strings.Contains(text, `"amount": 4`) {
		t.Error("amounts exported as JSON numbers")
	}
	dst := newEnv(t)
	if _, err := dst.r.ImportJSON(dst.ctx, &buf); err != nil {
		t.Fatalf("ImportJSON: %v", err)
	}
	if diff := cmp.Diff(snapshot(t, dst), snapshot(t, src), cmpOpts, ignoreRecorded); diff != "" {
		t.Errorf("records after the round trip (-got +want):\n%s", diff)
	}
	// Importing it again records nothing: every record is there.
	res, err := dst.r.ImportJSON(dst.ctx, strings.NewReader(text))
	want := hr.ImportResult{Employees: hr.ImportCount{Existing: 2}, Contracts: hr.ImportCount{Existing: 3},
		TaxProfiles: hr.ImportCount{Existing: 1}, Time: hr.ImportCount{Existing: 2}, Absences: hr.ImportCount{Existing: 2},
		Items: hr.ImportCount{Existing: 1}}
	if err != nil || res != want {
		t.Errorf("second import = %+v, %v; want %+v", res, err, want)
	}
	_, err = dst.r.ImportJSON(dst.ctx, strings.NewReader(`{"employees":[{"family_name":"Quixotewicz","hire_date":"2026-13-01"}]}`))
	if !errors.Is(err, hr.ErrInvalid) || strings.Contains(err.Error(), "Quixotewicz") {
		t.Errorf("bad JSON: %v", err)
	}
}

func FuzzImportTime(f *testing.F) {
	f.Add("personnel_number,date,kind,hours\nP-77,2026-03-02,regular,8\n", false)
	f.Add("\uFEFFpersonnel_number;date;kind;hours\nP-77;2026-03-02;overtime;2,5\nP-77;2026-03-02;night;14\n", true)
	f.Add("personnel_number,date,kind,hours\nP-77,2026-03-02,regular,25\nP-77,2026-03-09,regular,1\n", false)
	f.Add("personnel_number,date,kind,hours\nP-77,2026-03-02,regular,-1\n", false)
	f.Add("personnel_number,date,kind,hours,employer\n\"P-77\",2026-03-10,holiday,1e3,acme\n", false)
	f.Add("", false)
	f.Add("personnel_number,date,kind,hours\n\"unterminated", false)
	f.Fuzz(func(t *testing.T, src string, comma bool) {
		st := memory.New()
		r := hr.New(st, &hr.Options{Now: func() time.Time { return t0 }})
		ctx := t.Context()
		e, err := r.Hire(ctx, pii())
		if err != nil {
			t.Fatal(err)
		}
		if err := r.RecordAbsences(ctx, hr.Absence{Employee: e.ID, Kind: hr.Vacation, From: day("2026-03-09"), To: day("2026-03-13")}); err != nil {
			t.Fatal(err)
		}
		c, err := r.ImportTime(ctx, strings.NewReader(src), &hr.ImportOptions{Employer: "acme", DecimalComma: comma})
		n := c.Added
		got, rerr := r.TimeEntries(ctx, e.ID, noDate, noDate)
		if rerr != nil {
			t.Fatal(rerr)
		}
		if err != nil {
			var ie hr.ImportErrors
			if !errors.As(err, &ie) || len(ie) == 0 {
				t.Fatalf("error %v is not ImportErrors", err)
			}
			if n != 0 || len(got) != 0 {
				t.Fatalf("a failed import wrote %d entries (n = %d)", len(got), n)
			}
			return
		}
		if len(got) != n {
			t.Fatalf("import of %d entries stored %d", n, len(got))
		}
	})
}

// FuzzImportEmployees: whatever the file, ImportEmployees never panics, and
// either imports every row it reports or fails with ImportErrors and leaves
// the store as it was (one employee hired before).
func FuzzImportEmployees(f *testing.F) {
	f.Add("personnel_number,family_name,hire_date\n1002,Meier,2026-02-01\n", false)
	f.Add("\uFEFFpersonnel_number;family_name;given_name;hire_date;iban;bic\n1003;Öztürk;Ayşe;2026-04-01;DE89 3704 0044 0532 0130 00;COBADEFFXXX\n", true)
	f.Add("personnel_number,family_name,hire_date,termination_date\n1004,Kim,2026-05-01,2026-04-30\n", false)
	f.Add("personnel_number,family_name,hire_date,routing_number,account_number\n1005,Doe,2026-01-01,011000015,123456789\n1005,Doe,2026-01-01,,\n", false)
	f.Add("personnel_number,family_name,hire_date,iban\nP-77,X,2026-01-01,DE00 0000\n", false)
	f.Add("personnel_number,family_name,hire_date\n\"=cmd\",\"+x\",2026-13-01\n", false)
	f.Add("", false)
	f.Fuzz(func(t *testing.T, src string, comma bool) {
		st := memory.New()
		r := hr.New(st, &hr.Options{Now: func() time.Time { return t0 }})
		ctx := t.Context()
		if _, err := r.Hire(ctx, pii()); err != nil {
			t.Fatal(err)
		}
		before, err := r.Employees(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		c, err := r.ImportEmployees(ctx, strings.NewReader(src), &hr.ImportOptions{Employer: "acme", DecimalComma: comma})
		n := c.Added
		after, rerr := r.Employees(ctx, "acme")
		if rerr != nil {
			t.Fatal(rerr)
		}
		if err != nil {
			var ie hr.ImportErrors
			if !errors.As(err, &ie) || len(ie) == 0 {
				t.Fatalf("error %v is not ImportErrors", err)
			}
			if n != 0 || len(after) != len(before) {
				t.Fatalf("a failed import wrote %d employees (n = %d)", len(after)-len(before), n)
			}
			return
		}
		if len(after) != len(before)+n {
			t.Fatalf("import of %d employees stored %d", n, len(after)-len(before))
		}
	})
}

// TestTaxProfilesCSV: German and US profiles, with Extra keys, import from
// CSV (semicolons, decimal comma) all or nothing, and export back to the
// same file.
func TestTaxProfilesCSV(t *testing.T) {
	env := newEnv(t)
	a := pii()
	env.hire(a)
	b := pii()
	b.PersonnelNumber, b.Bank = "P-78", hr.BankAccount{}
	env.hire(b)
	src := "employer;personnel_number;valid_from;valid_to;jurisdiction;tax_class;child_allowances;church_tax;health_supplement;state;" +
		"filing_status;pre_2020;allowances;multiple_jobs;dependents;other_income;deductions;extra_withholding;exempt;extra.de.factor\n" +
		"acme;P-77;2026-01-01;2026-06-30;DE;4;1,5;true;2,9;BY;;;;;;;;;;0.875\n" +
		"acme;P-77;2026-07-01;;DE;3;1,5;true;2,9;BY;;;;;;;;;;\n" +
		"acme;P-78;2026-01-01;;US;;;;;;married_jointly;;;true;2000,00;;;25,50;;\n"
	opts := &hr.ImportOptions{DecimalComma: true}
	n, err := env.r.ImportTaxProfiles(env.ctx, strings.NewReader(src), opts)
	if err != nil || n != (hr.ImportCount{Added: 3}) {
		t.Fatalf("import = %+v, %v", n, err)
	}
	p, err := env.r.TaxProfile(env.ctx, "acme/P-77", day("2026-03-01"), time.Time{})
	if err != nil || p.DE.TaxClass != 4 || p.Extra["de.factor"] != "0.875" || !p.DE.ChildAllowances.Equal(dec("1.5")) {
		t.Errorf("March profile of P-77: %+v, %v", p, err)
	}
	var out bytes.Buffer
	if err := env.r.ExportTaxProfiles(env.ctx, &out, "acme", &hr.ExportOptions{Comma: ';', DecimalComma: true}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(src, out.String()); diff != "" {
		t.Errorf("export (-imported +exported):\n%s", diff)
	}
	// One bad row: nothing is written, every problem named.
	bad := "personnel_number,valid_from,jurisdiction,tax_class,state\nP-77,2027-01-01,DE,7,BY\nP-78,2027-01-01,DE,1,XX\n"
	if _, err := env.r.ImportTaxProfiles(env.ctx, strings.NewReader(bad), &hr.ImportOptions{Employer: "acme"}); err == nil {
		t.Fatal("bad file imported")
	} else if s := err.Error(); !strings.Contains(s, "row 2") || !strings.Contains(s, "row 3") {
		t.Errorf("error %q does not name both rows", s)
	}
	if hist, _ := env.r.TaxProfileHistory(env.ctx, "acme/P-77"); len(hist) != 2 {
		t.Errorf("P-77 has %d versions after the failed import, want 2", len(hist))
	}
}
