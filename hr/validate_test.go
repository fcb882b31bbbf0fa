package hr_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/openbackoffice/backoffice/hr"
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
