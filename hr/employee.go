package hr

import (
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/internal/unitext"
)

// Employee is the master data of one employee. Every change is kept: an
// Employee value is one version, numbered by Version from 1 (the hire) and
// stamped with the time it was recorded. Records.Employee returns the latest
// version, Records.EmployeeHistory all of them and Records.EmployeeAsOf the
// one current at a past moment.
//
// Names, birth date, address, e-mail, bank account and the personal
// identifiers (tax ID, social insurance number, SSN) are personal data; no
// error or log message of this package contains them.
//
// Text fields hold one line of at most 256 characters (runes, not bytes)
// without controls, bidirectional controls or invisible characters (see
// Validate). Records store them as Normalize returns them: in Unicode NFC,
// without surrounding space, so that a name typed on a system that
// decomposes "ü" is the same name and no new version.
type Employee struct {
	// ID identifies the employee across employers and stores. Hire
	// defaults it to Employer + "/" + PersonnelNumber.
	ID string `json:"id"`
	// Employer is the ID of the ledger book the employee is paid from.
	Employer string `json:"employer"`
	// PersonnelNumber is unique per employer and the only personal
	// identifier error messages contain: 1–32 characters out of A–Z, a–z,
	// 0–9, '.', '_', '-' and '/'. ID, Employer and PersonnelNumber never change.
	PersonnelNumber string `json:"personnel_number"`

	GivenName  string    `json:"given_name,omitempty"`
	FamilyName string    `json:"family_name"`
	BirthDate  date.Date `json:"birth_date,omitzero"`
	Address    Address   `json:"address,omitzero"`
	Email      string    `json:"email,omitempty"`

	// HireDate is the first day of employment; required.
	HireDate date.Date `json:"hire_date"`
	// TerminationDate is the last day of employment, zero while employed.
	// It is on or after HireDate.
	TerminationDate date.Date `json:"termination_date,omitzero"`

	Department string `json:"department,omitempty"`
	CostCentre string `json:"cost_centre,omitempty"`
	// Manager is the ID of the employee's manager, an employee of any
	// employer in the same store, or "".
	Manager string `json:"manager,omitempty"`

	Bank BankAccount `json:"bank,omitzero"`

	// TaxID is the German tax identification number (Steuer-IdNr.), 11
	// digits; see ValidTaxID.
	TaxID string `json:"tax_id,omitempty"`
	// SocialInsuranceNumber is the German social insurance number
	// (Versicherungsnummer), 12 characters such as "15070649C103"; see
	// ValidSocialInsuranceNumber.
	SocialInsuranceNumber string `json:"social_insurance_number,omitempty"`
	// SSN is the US social security number, 9 digits; see ValidSSN.
	SSN string `json:"ssn,omitempty"`

	// Version numbers the versions of one employee from 1; the Records set
	// it.
	Version int `json:"version,omitempty"`
	// RecordedAt is when the version was recorded, in UTC at microsecond
	// precision; the Records set it.
	RecordedAt time.Time `json:"recorded_at,omitzero"`
}

// Address is a postal address.
type Address struct {
	Street     string `json:"street,omitempty"`
	PostalCode string `json:"postal_code,omitempty"`
	City       string `json:"city,omitempty"`
	Region     string `json:"region,omitempty"`  // state or province, if the country uses one
	Country    string `json:"country,omitempty"` // ISO 3166-1 alpha-2, such as "DE"
}

// Normalize returns e with its text fields (names, address, e-mail,
// department, cost centre) in Unicode NFC and without surrounding space, its
// bank account normalized (BankAccount.Normalize) and its personal
// identifiers compact (without spaces, hyphens, dots or slashes, in upper
// case: "123-45-6789" becomes "123456789"): the form Records store. ID, Employer, PersonnelNumber and Manager are identifiers and stay
// as they are.
func (e Employee) Normalize() Employee {
	for _, f := range []*string{&e.GivenName, &e.FamilyName, &e.Address.Street, &e.Address.PostalCode,
		&e.Address.City, &e.Address.Region, &e.Email, &e.Department, &e.CostCentre} {
		*f = norm.NFC.String(strings.TrimSpace(*f))
	}
	e.Address.Country = strings.TrimSpace(e.Address.Country)
	e.Bank = e.Bank.Normalize()
	e.TaxID, e.SocialInsuranceNumber, e.SSN = compactID(e.TaxID), compactID(e.SocialInsuranceNumber), compactID(e.SSN)
	return e
}

// Employed reports whether d lies within the employment, from HireDate to
// TerminationDate inclusive.
func (e *Employee) Employed(d date.Date) bool {
	return !d.Before(e.HireDate) && (e.TerminationDate.IsZero() || !d.After(e.TerminationDate))
}

// Validate checks the employee's own rules: required fields, a valid
// personnel number, text fit to store (see Employee), dates in range, a
// plausible e-mail address, a valid bank account and valid personal
// identifiers (ValidTaxID, ValidSocialInsuranceNumber, ValidSSN; each
// optional, in compact form). It returns a *FieldError wrapping ErrInvalid,
// ErrBankAccount or ErrPersonalID. It does not check
// uniqueness or the manager, which need the store.
//
// "Required" means empty (or only spaces). Dates in range means: the hire
// date in the years 1900–2199; termination not before hire; a birth date,
// if given, not before 1 January 1900 and at least MinimumAge years before
// the hire date.
func (e *Employee) Validate() error {
	if err := e.validate(); err != nil {
		return withNumber(err, e.number())
	}
	return nil
}

// number returns the personnel number if it is fit for messages, else "".
func (e *Employee) number() string {
	if validNumber(e.PersonnelNumber) {
		return e.PersonnelNumber
	}
	return ""
}

// MinimumAge is the age in years an employee has at least on the hire
// date: 13, the youngest age at which a child may do light work in Germany
// (§ 5 JArbSchG, with the parents' consent), below the 14 of the US Fair
// Labor Standards Act. A birth date that makes an employee younger is a
// typing error far more often than a child actor; Validate refuses it.
const MinimumAge = 13

// maxText is the longest free text a record holds, in characters.
const maxText = 256

var (
	earliestDate = date.New(1900, time.January, 1)
	latestDate   = date.New(2199, time.December, 31)
)

func (e *Employee) validate() error {
	const rec = "employee"
	switch {
	case !validNumber(e.PersonnelNumber):
		return fieldErr(rec, "personnel_number", ErrInvalid, "want 1–32 characters A–Z a–z 0–9 . _ - /")
	case !validCode(e.ID):
		return fieldErr(rec, "id", ErrInvalid, "want 1–128 printable characters")
	case !validCode(e.Employer):
		return fieldErr(rec, "employer", ErrInvalid, "want 1–128 printable characters")
	case strings.TrimSpace(e.FamilyName) == "":
		return fieldErr(rec, "family_name", ErrInvalid, "required")
	case e.HireDate.IsZero():
		return fieldErr(rec, "hire_date", ErrInvalid, "required")
	case e.HireDate.Before(earliestDate) || e.HireDate.After(latestDate):
		return fieldErr(rec, "hire_date", ErrInvalid, "want a year 1900–2199")
	case !e.TerminationDate.IsZero() && e.TerminationDate.Before(e.HireDate):
		return fieldErr(rec, "termination_date", ErrInvalid, "before the hire date")
	case !e.TerminationDate.IsZero() && e.TerminationDate.After(latestDate):
		return fieldErr(rec, "termination_date", ErrInvalid, "want a year 1900–2199")
	case !e.BirthDate.IsZero() && e.BirthDate.Before(earliestDate):
		return fieldErr(rec, "birth_date", ErrInvalid, "before 1900")
	case !e.BirthDate.IsZero() && e.BirthDate.After(e.HireDate.AddMonths(-12*MinimumAge)):
		return fieldErr(rec, "birth_date", ErrInvalid, "less than 13 years before the hire date")
	case e.Email != "" && !validEmail(e.Email):
		return fieldErr(rec, "email", ErrInvalid, "not an e-mail address")
	case e.Manager != "" && !validCode(e.Manager):
		return fieldErr(rec, "manager", ErrInvalid, "want 1–128 printable characters")
	case e.Manager != "" && e.Manager == e.ID:
		return fieldErr(rec, "manager", ErrInvalid, "an employee cannot manage themselves")
	}
	for _, f := range []struct{ name, v string }{
		{"family_name", e.FamilyName}, {"given_name", e.GivenName},
		{"street", e.Address.Street}, {"postal_code", e.Address.PostalCode}, {"city", e.Address.City},
		{"region", e.Address.Region}, {"department", e.Department}, {"cost_centre", e.CostCentre},
	} {
		if reason := unitext.Problem(f.v, maxText); reason != "" {
			return fieldErr(rec, f.name, ErrInvalid, reason)
		}
	}
	if c := e.Address.Country; c != "" && !upperLetters(c, 2) {
		return fieldErr(rec, "country", ErrInvalid, "want an ISO 3166 alpha-2 code")
	}
	if err := e.Bank.validate(rec); err != nil {
		return err
	}
	for _, f := range []struct {
		name, v string
		check   func(string) string
	}{
		{"tax_id", e.TaxID, checkTaxID},
		{"social_insurance_number", e.SocialInsuranceNumber, checkSocialInsurance},
		{"ssn", e.SSN, checkSSN},
	} {
		if f.v == "" {
			continue
		}
		if reason := f.check(f.v); reason != "" {
			return fieldErr(rec, f.name, ErrPersonalID, reason)
		}
	}
	return nil
}

// validNumber reports whether s is a valid personnel number.
func validNumber(s string) bool {
	if len(s) == 0 || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.', c == '_', c == '-', c == '/':
		default:
			return false
		}
	}
	return true
}

// validCode reports whether s is a usable identifier: 1–128 characters
// (runes) of text (see validText) without surrounding space.
func validCode(s string) bool {
	return s != "" && utf8.RuneCountInString(s) <= 128 && strings.TrimSpace(s) == s && unitext.Problem(s, 128) == ""
}

// validText reports whether s is free text fit to store: at most 256
// characters (runes) of UTF-8 without controls, bidirectional controls or
// invisible characters (unitext.Problem).
func validText(s string) bool { return unitext.Problem(s, maxText) == "" }

// validEmail is a plausibility check, not RFC 5322: one '@' with something
// on both sides, a dot in the domain, no space.
func validEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	return validText(s) && len(s) <= 254 && at > 0 && at == strings.LastIndexByte(s, '@') &&
		strings.Contains(s[at+1:], ".") && !strings.ContainsAny(s, " \t") &&
		!strings.HasSuffix(s, ".") && !strings.HasPrefix(s[at+1:], ".")
}

// upperLetters reports whether s is n letters A–Z.
func upperLetters(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < n; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}
