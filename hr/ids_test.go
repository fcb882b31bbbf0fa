package hr_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/hr"
)

// The expectations below are published examples, or check digits worked
// with an independent implementation of the published rule (noted).

func TestValidTaxID(t *testing.T) {
	for _, tc := range []struct {
		id   string
		want bool
		why  string
	}{
		{"36574261809", true, "the BZSt's example"},
		{"86095742719", true, "published example"},
		{"65929970489", true, "published example"},
		{"57549285017", true, "published example"},
		{"25768131411", true, "published example"},
		{"11234567890", true, "1 twice in a row (check digit worked by hand)"},
		{"11213456783", true, "1 three times, not in a row (worked by hand)"},
		{"36574261890", false, "check digit"},
		{"36574261808", false, "check digit"},
		{"36554266806", false, "two digits repeated, right check digit"},
		{"11123456786", false, "1 three times in a row, right check digit"},
		{"02476291358", false, "leading 0, right check digit"},
		{"12345678901", false, "no digit repeated"},
		{"3657426180", false, "10 digits"},
		{"365742618090", false, "12 digits"},
		{"3657426180X", false, "a letter"},
		{"", false, "empty"},
	} {
		t.Run(tc.id+" "+tc.why, func(t *testing.T) {
			if got := hr.ValidTaxID(tc.id); got != tc.want {
				t.Errorf("ValidTaxID(%q) = %v, want %v (%s)", tc.id, got, tc.want, tc.why)
			}
		})
	}
}

func TestValidSocialInsuranceNumber(t *testing.T) {
	for _, tc := range []struct {
		n    string
		want bool
		why  string
	}{
		{"15070649C103", true, "the example of the German Wikipedia, born 7 June 1949"},
		{"65170839J003", true, "J = 10 (check digit verified independently)"},
		{"53270139M508", true, "a woman's serial (check digit worked by hand)"},
		{"12010180Z995", true, "letter Z = 26 (worked by hand)"},
		{"15070649C104", false, "check digit"},
		{"15070649D103", false, "another letter, same check digit"},
		{"150706493103", false, "a digit for the letter"},
		{"15070649c103", false, "lower case: not compact"},
		{"15070649C10", false, "11 characters"},
		{"15 070649 C 103", false, "spaces: not compact"},
		{"", false, "empty"},
	} {
		t.Run(tc.why, func(t *testing.T) {
			if got := hr.ValidSocialInsuranceNumber(tc.n); got != tc.want {
				t.Errorf("ValidSocialInsuranceNumber(%q) = %v, want %v (%s)", tc.n, got, tc.want, tc.why)
			}
		})
	}
}

func TestValidSSN(t *testing.T) {
	for _, tc := range []struct {
		ssn  string
		want bool
		why  string
	}{
		{"123456789", true, "well formed"},
		{"665123456", true, "area 665"},
		{"667123456", true, "area 667"},
		{"899123456", true, "area 899"},
		{"000123456", false, "area 000"},
		{"666123456", false, "area 666"},
		{"900123456", false, "area 9xx (ITIN)"},
		{"987654320", false, "area 9xx (advertising)"},
		{"123004567", false, "group 00"},
		{"123450000", false, "serial 0000"},
		{"078051120", false, "the Woolworth wallet number"},
		{"219099999", false, "voided, advertising"},
		{"123-45-6789", false, "hyphens: not compact"},
		{"12345678", false, "8 digits"},
		{"", false, "empty"},
	} {
		t.Run(tc.why, func(t *testing.T) {
			if got := hr.ValidSSN(tc.ssn); got != tc.want {
				t.Errorf("ValidSSN(%q) = %v, want %v (%s)", tc.ssn, got, tc.want, tc.why)
			}
		})
	}
}

// TestHireIdentifiers: identifiers are stored compact, refused with
// ErrPersonalID naming the field and the personnel number, and never
// repeated in an error.
func TestHireIdentifiers(t *testing.T) {
	env := newEnv(t)
	e := pii()
	e.TaxID, e.SocialInsuranceNumber, e.SSN = "36 574 261 809", "15 070649 c 103", "123-45-6789"
	got := env.hire(e)
	if got.TaxID != "36574261809" || got.SocialInsuranceNumber != "15070649C103" || got.SSN != "123456789" {
		t.Errorf("Hire stored %q %q %q, want them compact", got.TaxID, got.SocialInsuranceNumber, got.SSN)
	}
	for _, tc := range []struct {
		field  string
		change func(*hr.Employee)
		secret string
	}{
		{"tax_id", func(e *hr.Employee) { e.TaxID = "36574261890" }, "574261"},
		{"social_insurance_number", func(e *hr.Employee) { e.SocialInsuranceNumber = "15070649C104" }, "070649"},
		{"ssn", func(e *hr.Employee) { e.SSN = "666-12-3456" }, "123456"},
	} {
		t.Run(tc.field, func(t *testing.T) {
			bad := got
			tc.change(&bad)
			_, err := env.r.UpdateEmployee(env.ctx, bad)
			var fe *hr.FieldError
			if !errors.Is(err, hr.ErrPersonalID) || !errors.As(err, &fe) || fe.Field != tc.field || fe.PersonnelNumber != "P-77" {
				t.Fatalf("UpdateEmployee = %v, want a *FieldError for P-77, field %s, wrapping ErrPersonalID", err, tc.field)
			}
			for _, p := range append(personal, tc.secret, "36574261", "15070649", "6789") {
				if strings.Contains(err.Error(), p) {
					t.Errorf("error %q contains %q", err, p)
				}
			}
		})
	}
}

// TestImportIdentifiers: identifiers in a CSV file are compacted and
// checked; a bad one is an error of its row and column that does not
// repeat it.
func TestImportIdentifiers(t *testing.T) {
	env := newEnv(t)
	src := "personnel_number;family_name;hire_date;tax_id;social_insurance_number;ssn\n" +
		"1001;Quixotewicz;2026-01-01;36 574 261 809;15 070649 C 103;\n" +
		"1002;Quixotewicz;2026-01-01;36574261890;;\n" +
		"1003;Quixotewicz;2026-01-01;;15070649D103;\n" +
		"1004;Quixotewicz;2026-01-01;;;078-05-1120\n"
	_, err := env.r.ImportEmployees(env.ctx, strings.NewReader(src), &hr.ImportOptions{Employer: "acme"})
	var ies hr.ImportErrors
	if !errors.As(err, &ies) {
		t.Fatalf("ImportEmployees = %v, want ImportErrors", err)
	}
	var got []string
	for _, ie := range ies {
		if !errors.Is(ie, hr.ErrPersonalID) {
			t.Errorf("%v: want ErrPersonalID", ie)
		}
		got = append(got, fmt.Sprintf("%d %s", ie.Row, ie.Column))
	}
	if diff := cmp.Diff(got, []string{"3 tax_id", "4 social_insurance_number", "5 ssn"}); diff != "" {
		t.Errorf("errors (-got +want):\n%s", diff)
	}
	for _, secret := range []string{"36574261890", "574261", "15070649", "070649", "078", "1120", "Quixotewicz"} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error %q contains %q", err, secret)
		}
	}

	src = "personnel_number;family_name;hire_date;tax_id;social_insurance_number;ssn\n" +
		"1001;Quixotewicz;2026-01-01;36 574 261 809;15 070649 C 103;123-45-6789\n"
	if _, err := env.r.ImportEmployees(env.ctx, strings.NewReader(src), &hr.ImportOptions{Employer: "acme"}); err != nil {
		t.Fatal(err)
	}
	e, err := env.r.EmployeeByNumber(env.ctx, "acme", "1001")
	if err != nil || e.TaxID != "36574261809" || e.SocialInsuranceNumber != "15070649C103" || e.SSN != "123456789" {
		t.Fatalf("EmployeeByNumber = %q %q %q, %v; want compact identifiers", e.TaxID, e.SocialInsuranceNumber, e.SSN, err)
	}
	// The same numbers typed another way are the same employee: importing
	// again records nothing.
	src = "personnel_number;family_name;hire_date;tax_id;social_insurance_number;ssn\n" +
		"1001;Quixotewicz;2026-01-01;36574261809;15070649c103;123 45 6789\n"
	n, err := env.r.ImportEmployees(env.ctx, strings.NewReader(src), &hr.ImportOptions{Employer: "acme"})
	if err != nil || n != (hr.ImportCount{Existing: 1}) {
		t.Errorf("ImportEmployees again = %+v, %v; want 1 existing", n, err)
	}
}
