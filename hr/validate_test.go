package hr_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
)

// TestHireText: the text rules of issue 26.8. Lengths count characters,
// "required" means empty, and controls, bidirectional controls and
// invisible characters are refused by field, never repeating the value.
func TestHireText(t *testing.T) {
	tests := []struct {
		name   string
		change func(*hr.Employee)
		field  string // "" if accepted
		reason string // a part of the error's reason
	}{
		{"100 Han characters (300 bytes)", func(e *hr.Employee) { e.FamilyName = strings.Repeat("王", 100) }, "", ""},
		{"256 characters", func(e *hr.Employee) { e.Address.City = strings.Repeat("ß", 256) }, "", ""},
		{"no-break space in a name", func(e *hr.Employee) { e.GivenName = "Anne\u00a0Marie" }, "", ""},
		{"257 characters", func(e *hr.Employee) { e.FamilyName = strings.Repeat("王", 257) }, "family_name", "longer than 256 characters"},
		{"empty family name", func(e *hr.Employee) { e.FamilyName = "" }, "family_name", "required"},
		{"blank family name", func(e *hr.Employee) { e.FamilyName = " \u3000 " }, "family_name", "required"},
		{"right-to-left override", func(e *hr.Employee) { e.GivenName = "Zebulon\u202Enolubez" }, "given_name", "U+202E"},
		{"left-to-right isolate", func(e *hr.Employee) { e.FamilyName = "\u2066Quixotewicz" }, "family_name", "U+2066"},
		{"C1 control", func(e *hr.Employee) { e.Address.City = "Nirgend\u0085wo" }, "city", "U+0085"},
		{"C0 control", func(e *hr.Employee) { e.Address.Street = "Geheimweg\t42" }, "street", "U+0009"},
		{"zero-width space", func(e *hr.Employee) { e.FamilyName = "Quixote\u200bwicz" }, "family_name", "U+200B"},
		{"Hangul filler", func(e *hr.Employee) { e.GivenName = "\u3164" }, "given_name", "U+3164"},
		{"invisible department", func(e *hr.Employee) { e.Department = "Sales\u2060" }, "department", "U+2060"},
		{"bidi control in the cost centre", func(e *hr.Employee) { e.CostCentre = "\u200fCC1" }, "cost_centre", "U+200F"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newEnv(t)
			e := pii()
			tc.change(&e)
			_, err := env.r.Hire(env.ctx, e)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Hire: %v", err)
				}
				return
			}
			var fe *hr.FieldError
			if !errors.Is(err, hr.ErrInvalid) || !errors.As(err, &fe) || fe.Field != tc.field || fe.PersonnelNumber != "P-77" {
				t.Fatalf("Hire = %v, want a *FieldError for P-77, field %s, wrapping ErrInvalid", err, tc.field)
			}
			if !strings.Contains(err.Error(), tc.reason) {
				t.Errorf("Hire = %v, want the reason %q", err, tc.reason)
			}
			for _, p := range append(personal, "王", "nolubez", "Sales", "CC1") {
				if strings.Contains(err.Error(), p) {
					t.Errorf("error %q contains %q", err, p)
				}
			}
		})
	}
}

// TestEmployeeNFC: names are stored in NFC, so an NFC → NFD change (a Mac
// exporting "ü" as "u" and a combining diaeresis) is no new version.
func TestEmployeeNFC(t *testing.T) {
	env := newEnv(t)
	e := pii()
	e.GivenName, e.FamilyName, e.Address.City = "Ju\u0308rgen", "  Mu\u0308ller ", "Ko\u0308ln"
	got := env.hire(e)
	if got.GivenName != "Jürgen" || got.FamilyName != "Müller" || got.Address.City != "Köln" {
		t.Fatalf("Hire stored %+q %+q %+q, want NFC without surrounding space", got.GivenName, got.FamilyName, got.Address.City)
	}
	nfd := got
	nfd.GivenName, nfd.FamilyName = "Ju\u0308rgen", "Mu\u0308ller"
	again, err := env.r.UpdateEmployee(env.ctx, nfd)
	if err != nil {
		t.Fatal(err)
	}
	if again.Version != 1 {
		t.Errorf("an NFD spelling of the same names recorded version %d, want 1", again.Version)
	}
	hist, err := env.r.EmployeeHistory(env.ctx, got.ID)
	if err != nil || len(hist) != 1 {
		t.Errorf("EmployeeHistory = %d versions, %v; want 1", len(hist), err)
	}
}

// TestEmployeeDates: the plausibility of birth and hire dates at entry
// (issue 26.8: a birth year 1800 was accepted and only payroll refused it).
func TestEmployeeDates(t *testing.T) {
	tests := []struct {
		name   string
		change func(*hr.Employee)
		field  string // "" if accepted
	}{
		{"born 1800", func(e *hr.Employee) { e.BirthDate = day("1800-05-01") }, "birth_date"},
		{"born 31 December 1899", func(e *hr.Employee) { e.BirthDate = day("1899-12-31") }, "birth_date"},
		{"born 1 January 1900", func(e *hr.Employee) { e.BirthDate = day("1900-01-01") }, ""},
		{"13 on the hire date", func(e *hr.Employee) { e.BirthDate = day("2013-01-01") }, ""},
		{"13 the day after the hire date", func(e *hr.Employee) { e.BirthDate = day("2013-01-02") }, "birth_date"},
		{"born after the hire", func(e *hr.Employee) { e.BirthDate = day("2026-02-01") }, "birth_date"},
		{"hired 1899", func(e *hr.Employee) { e.HireDate = day("1899-12-31"); e.BirthDate = noDate }, "hire_date"},
		{"hired 2200", func(e *hr.Employee) { e.HireDate = day("2200-01-01") }, "hire_date"},
		{"terminated 2200", func(e *hr.Employee) { e.TerminationDate = day("2200-01-01") }, "termination_date"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := pii()
			e.ID = "acme/P-77"
			tc.change(&e)
			err := e.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var fe *hr.FieldError
			if !errors.Is(err, hr.ErrInvalid) || !errors.As(err, &fe) || fe.Field != tc.field {
				t.Fatalf("Validate = %v, want a *FieldError for %s wrapping ErrInvalid", err, tc.field)
			}
			for _, p := range personal {
				if strings.Contains(err.Error(), p) {
					t.Errorf("error %q contains %q", err, p)
				}
			}
		})
	}
}

// TestContractWeek: a week that cannot be worked is an error, hours above
// the legal limits a warning (issue 26.8: a 168-hour week was accepted).
func TestContractWeek(t *testing.T) {
	tests := []struct {
		name     string
		hours    string
		days     hr.Weekdays
		err      bool
		warnings int
	}{
		{"40 hours on 5 days", "40", hr.MondayToFriday, false, 0},
		{"48 hours on 6 days", "48", hr.MondayToFriday | hr.WeekdaysOf(time.Saturday), false, 0},
		{"50 hours on 5 days: over 48", "50", hr.MondayToFriday, false, 1},
		{"45 hours on 4 days: over 10 a day", "45", hr.WeekdaysOf(time.Monday, time.Tuesday, time.Wednesday, time.Thursday), false, 1},
		{"100 hours on 5 days: both", "100", hr.MondayToFriday, false, 2},
		{"167.5 hours on 7 days", "167.5", hr.WeekdaysOf(0, 1, 2, 3, 4, 5, 6), false, 2},
		{"168 hours (issue 26.8)", "168", hr.WeekdaysOf(0, 1, 2, 3, 4, 5, 6), true, 0},
		{"168.5 hours", "168.5", hr.WeekdaysOf(0, 1, 2, 3, 4, 5, 6), true, 0},
		{"49 hours on 2 days", "49", hr.WeekdaysOf(time.Monday, time.Tuesday), true, 0},
		{"48 hours on 2 days: over 10 a day", "48", hr.WeekdaysOf(time.Monday, time.Tuesday), false, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := contract("acme/P-77", "2026-01-01", "4000")
			c.WeeklyHours, c.WorkDays = dec(tc.hours), tc.days
			err := c.Validate()
			var fe *hr.FieldError
			if tc.err {
				if !errors.Is(err, hr.ErrInvalid) || !errors.As(err, &fe) || fe.Field != "weekly_hours" {
					t.Fatalf("Validate = %v, want ErrInvalid for weekly_hours", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Validate: %v", err)
			}
			ws := c.Warnings()
			if len(ws) != tc.warnings {
				t.Fatalf("Warnings = %v, want %d", ws, tc.warnings)
			}
			for _, w := range ws {
				if !errors.Is(w, hr.ErrUnusual) || !errors.As(w, &fe) || fe.Field != "weekly_hours" {
					t.Errorf("warning %v: want a *FieldError for weekly_hours wrapping ErrUnusual", w)
				}
			}
		})
	}
}

func TestImportContractWarnings(t *testing.T) {
	env := newEnv(t)
	env.hire(pii())
	var got []string
	opts := &hr.ImportOptions{Employer: "acme", Warn: func(w *hr.ImportError) {
		if !errors.Is(w, hr.ErrUnusual) {
			t.Errorf("warning %v does not wrap ErrUnusual", w)
		}
		got = append(got, fmt.Sprintf("%d %s", w.Row, w.Column))
	}}
	src := "personnel_number,valid_from,valid_to,pay_type,amount,currency,frequency,weekly_hours,work_days\n" +
		"P-77,2026-01-01,2026-06-30,monthly,4000,EUR,monthly,40,Mon Tue Wed Thu Fri\n" +
		"P-77,2026-07-01,,monthly,5000,EUR,monthly,55,Mon Tue Wed Thu Fri\n"
	n, err := env.r.ImportContracts(env.ctx, strings.NewReader(src), opts)
	if err != nil || n.Added != 2 {
		t.Fatalf("ImportContracts = %+v, %v; want 2 added", n, err)
	}
	if diff := cmp.Diff(got, []string{"3 weekly_hours", "3 weekly_hours"}); diff != "" {
		t.Errorf("warnings (-got +want):\n%s", diff)
	}
}

// TestPayCurrency: amounts must be in the employer's pay currency when
// Options.PayCurrencies knows it (issue 26.8: a JPY salary for a EUR
// employer was accepted and only payroll refused it).
func TestPayCurrency(t *testing.T) {
	env := newEnv(t)
	env.r = hr.New(env.s, &hr.Options{Now: func() time.Time { return env.now },
		PayCurrencies: map[string]money.Currency{"acme": money.EUR}})
	e := env.hire(pii())
	other := pii()
	other.Employer, other.PersonnelNumber = "globex", "G-1"
	o := env.hire(other)

	jpy := func(c hr.Contract) hr.Contract { c.Amount = money.MustParse("600000", money.JPY); return c }
	check := func(name string, err error, field string) {
		t.Helper()
		var fe *hr.FieldError
		if !errors.Is(err, hr.ErrPayCurrency) || !errors.As(err, &fe) || fe.Field != field || fe.PersonnelNumber != "P-77" {
			t.Errorf("%s = %v, want a *FieldError for P-77, field %s, wrapping ErrPayCurrency", name, err, field)
		}
	}
	_, err := env.r.SetContract(env.ctx, jpy(contract(e.ID, "2026-01-01", "4000")))
	check("SetContract in JPY", err, "currency")

	c := contract(e.ID, "2026-01-01", "4000")
	c.Items = []hr.PayItem{{Code: "VWL", Kind: hr.Allowance, Amount: usd("40")}}
	_, err = env.r.SetContract(env.ctx, c)
	check("SetContract with a USD item", err, "items")

	_, err = env.r.AddOneTimeItem(env.ctx, hr.OneTimeItem{Employee: e.ID, Key: "b", Date: day("2026-03-01"), Type: hr.Bonus, Amount: usd("500")})
	check("AddOneTimeItem in USD", err, "currency")

	src := "personnel_number,valid_from,pay_type,amount,currency,frequency\nP-77,2026-01-01,monthly,600000,JPY,monthly\n"
	_, err = env.r.ImportContracts(env.ctx, strings.NewReader(src), &hr.ImportOptions{Employer: "acme"})
	var ie *hr.ImportError
	if !errors.As(err, &ie) || ie.Row != 2 || ie.Column != "currency" {
		t.Errorf("ImportContracts = %v, want row 2, column currency", err)
	}
	check("ImportContracts in JPY", err, "currency")

	// In the pay currency, and for an employer not in the map, all is well.
	if _, err := env.r.SetContract(env.ctx, contract(e.ID, "2026-01-01", "4000")); err != nil {
		t.Errorf("SetContract in EUR: %v", err)
	}
	if _, err := env.r.SetContract(env.ctx, jpy(contract(o.ID, "2026-01-01", "4000"))); err != nil {
		t.Errorf("SetContract in JPY for an employer of unknown currency: %v", err)
	}
}
