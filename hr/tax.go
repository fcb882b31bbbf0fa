package hr

import (
	"maps"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/money"
)

// TaxProfile is one version of an employee's tax data for the jurisdiction
// the employee is taxed in, which the payroll rule packs read. Like a
// Contract it is effective-dated (a tax class changes from a date) and
// resolves by the rule of Effective.
//
// Jurisdiction selects which of DE and US applies; the other must be zero.
// Jurisdictions without a struct of their own keep their data in Extra,
// which every jurisdiction may use for details a rule pack defines.
type TaxProfile struct {
	// Employee is the employee's ID.
	Employee string `json:"employee"`
	Effective
	// Jurisdiction is an ISO 3166-1 alpha-2 code ("DE", "US"), optionally
	// with a subdivision ("US-CA"): 2–16 characters A–Z, 0–9 and '-'.
	Jurisdiction string `json:"jurisdiction"`
	// DE is the German tax data (Lohnsteuerabzugsmerkmale), if Jurisdiction is "DE".
	DE GermanTax `json:"de,omitzero"`
	// US is the US federal withholding data (Form W-4), if Jurisdiction
	// is "US" or starts with "US-".
	US USTax `json:"us,omitzero"`
	// Extra holds further data, keys and values as a rule pack defines them.
	Extra map[string]string `json:"extra,omitempty"`
}

// GermanTax is the German tax and social insurance data of an employee.
type GermanTax struct {
	// TaxClass is the Steuerklasse, 1–6 (I–VI).
	TaxClass int `json:"tax_class"`
	// ChildAllowances is the number of Kinderfreibeträge, 0–99 in steps of 0.5.
	ChildAllowances decimal.Decimal `json:"child_allowances"`
	// ChurchTax reports whether church tax is withheld.
	ChurchTax bool `json:"church_tax,omitempty"`
	// HealthSupplement is the health insurer's Zusatzbeitrag in percent of
	// pay, such as 2.9; 0–10 with at most 3 decimal places.
	HealthSupplement decimal.Decimal `json:"health_supplement"`
	// State is the federal state (Bundesland) by its ISO 3166-2 code
	// without "DE-": BW, BY, BE, BB, HB, HH, HE, MV, NI, NW, RP, SL, SN,
	// ST, SH or TH.
	State string `json:"state"`
}

// FilingStatus is the filing status of a Form W-4.
type FilingStatus string

// Filing statuses. Single, MarriedJointly and HeadOfHousehold are those of
// the Form W-4 from 2020; a form from before 2020 has Single, MarriedJointly
// ("Married") and MarriedSingleRate ("Married, but withhold at higher
// Single rate").
const (
	Single            FilingStatus = "single" // since 2020: single or married filing separately
	MarriedJointly    FilingStatus = "married_jointly"
	HeadOfHousehold   FilingStatus = "head_of_household"
	MarriedSingleRate FilingStatus = "married_single_rate"
)

// USTax is the data of an employee's Form W-4. Amounts are in USD per year;
// Records store a zero Amount as 0.00 USD.
type USTax struct {
	FilingStatus FilingStatus `json:"filing_status"`
	// Pre2020 marks a Form W-4 from before 2020, which has Allowances
	// instead of steps 2 to 4.
	Pre2020 bool `json:"pre_2020,omitempty"`
	// Allowances are the withholding allowances of a pre-2020 form, 0–99.
	Allowances int `json:"allowances,omitempty"`
	// MultipleJobs is the checkbox of step 2(c).
	MultipleJobs bool `json:"multiple_jobs,omitempty"`
	// Dependents is the amount of step 3.
	Dependents money.Amount `json:"dependents,omitzero"`
	// OtherIncome is step 4(a).
	OtherIncome money.Amount `json:"other_income,omitzero"`
	// Deductions is step 4(b).
	Deductions money.Amount `json:"deductions,omitzero"`
	// ExtraWithholding is step 4(c), per pay period.
	ExtraWithholding money.Amount `json:"extra_withholding,omitzero"`
	// Exempt marks a form claiming exemption from withholding (written
	// "Exempt" below step 4(c), or in line 7 of a pre-2020 form): no federal
	// income tax is withheld; FICA and FUTA still apply. Such a form has no
	// steps 2 to 4 and no allowances. An exemption lasts for the calendar
	// year: record a new profile from 1 January when it ends.
	Exempt bool `json:"exempt,omitempty"`
}

var germanStates = map[string]bool{
	"BW": true, "BY": true, "BE": true, "BB": true, "HB": true, "HH": true, "HE": true, "MV": true,
	"NI": true, "NW": true, "RP": true, "SL": true, "SN": true, "ST": true, "SH": true, "TH": true,
}

var (
	half             = decimal.RequireFromString("0.5")
	maxChildren      = decimal.NewFromInt(99)
	maxHealthPercent = decimal.NewFromInt(10)
)

// isUS reports whether the jurisdiction is the United States or a state of it.
func isUS(j string) bool { return j == "US" || len(j) > 3 && j[:3] == "US-" }

// Validate checks the profile's own rules: an employee, a validity, a valid
// jurisdiction, and the data of that jurisdiction in range (tax class 1–6,
// child allowances in halves, a known federal state; a filing status that
// fits the form's year, non-negative USD amounts). It returns a *FieldError
// wrapping ErrInvalid.
func (p *TaxProfile) Validate() error {
	const rec = "tax profile"
	if !validCode(p.Employee) {
		return fieldErr(rec, "employee", ErrInvalid, "required")
	}
	if err := checkValidity(rec, p.Effective); err != nil {
		return err
	}
	if !validJurisdiction(p.Jurisdiction) {
		return fieldErr(rec, "jurisdiction", ErrInvalid, "want an ISO 3166 code such as DE or US-CA")
	}
	for k, v := range p.Extra {
		if !validCode(k) || !validText(v) {
			return fieldErr(rec, "extra", ErrInvalid, "keys must be codes, values text")
		}
	}
	de, us := p.Jurisdiction == "DE", isUS(p.Jurisdiction)
	if !de && !isZeroGerman(p.DE) {
		return fieldErr(rec, "de", ErrInvalid, "German data for another jurisdiction")
	}
	if !us && !isZeroUS(p.US) {
		return fieldErr(rec, "us", ErrInvalid, "US data for another jurisdiction")
	}
	switch {
	case de:
		return p.DE.validate()
	case us:
		return p.US.validate()
	}
	return nil
}

func validJurisdiction(j string) bool {
	if len(j) < 2 || len(j) > 16 || !upperLetters(j[:2], 2) {
		return false
	}
	for i := 2; i < len(j); i++ {
		c := j[i]
		if !('A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return len(j) == 2 || j[2] == '-' && len(j) > 3
}

func isZeroGerman(g GermanTax) bool {
	return g.TaxClass == 0 && g.ChildAllowances.IsZero() && !g.ChurchTax && g.HealthSupplement.IsZero() && g.State == ""
}

func isZeroUS(u USTax) bool {
	return u.FilingStatus == "" && !u.Pre2020 && u.Allowances == 0 && !u.MultipleJobs && !u.Exempt &&
		u.Dependents.IsZero() && u.OtherIncome.IsZero() && u.Deductions.IsZero() && u.ExtraWithholding.IsZero()
}

func (g GermanTax) validate() error {
	const rec = "tax profile"
	c := g.ChildAllowances
	switch {
	case g.TaxClass < 1 || g.TaxClass > 6:
		return fieldErr(rec, "tax_class", ErrInvalid, "want 1–6")
	case c.IsNegative() || c.GreaterThan(maxChildren) || !c.Mod(half).IsZero():
		return fieldErr(rec, "child_allowances", ErrInvalid, "want 0–99 in steps of 0.5")
	case g.HealthSupplement.IsNegative() || g.HealthSupplement.GreaterThan(maxHealthPercent) || !places(g.HealthSupplement, 3):
		return fieldErr(rec, "health_supplement", ErrInvalid, "want 0–10 percent with at most 3 decimal places")
	case !germanStates[g.State]:
		return fieldErr(rec, "state", ErrInvalid, "want a federal state code such as BY")
	}
	return nil
}

func (u USTax) validate() error {
	const rec = "tax profile"
	switch u.FilingStatus {
	case Single, MarriedJointly:
	case HeadOfHousehold:
		if u.Pre2020 {
			return fieldErr(rec, "filing_status", ErrInvalid, "head of household is not on a pre-2020 form")
		}
	case MarriedSingleRate:
		if !u.Pre2020 {
			return fieldErr(rec, "filing_status", ErrInvalid, "married at single rate is only on a pre-2020 form")
		}
	default:
		return fieldErr(rec, "filing_status", ErrInvalid, "want single, married_jointly, head_of_household or married_single_rate")
	}
	if u.Allowances < 0 || u.Allowances > 99 {
		return fieldErr(rec, "allowances", ErrInvalid, "want 0–99")
	}
	if !u.Pre2020 && u.Allowances != 0 {
		return fieldErr(rec, "allowances", ErrInvalid, "allowances are only on a pre-2020 form")
	}
	for _, f := range []struct {
		name string
		a    money.Amount
	}{{"dependents", u.Dependents}, {"other_income", u.OtherIncome}, {"deductions", u.Deductions}, {"extra_withholding", u.ExtraWithholding}} {
		if f.a.IsZero() && f.a.Currency().IsZero() {
			continue
		}
		if f.a.Currency() != money.USD {
			return fieldErr(rec, f.name, ErrInvalid, "want USD")
		}
		if f.a.IsNegative() {
			return fieldErr(rec, f.name, ErrInvalid, "must not be negative")
		}
		if u.Pre2020 && !f.a.IsZero() && f.name != "extra_withholding" {
			return fieldErr(rec, f.name, ErrInvalid, "not on a pre-2020 form")
		}
	}
	if u.Pre2020 && u.MultipleJobs {
		return fieldErr(rec, "multiple_jobs", ErrInvalid, "not on a pre-2020 form")
	}
	if u.Exempt && (u.MultipleJobs || u.Allowances != 0 || !u.Dependents.IsZero() || !u.OtherIncome.IsZero() ||
		!u.Deductions.IsZero() || !u.ExtraWithholding.IsZero()) {
		return fieldErr(rec, "exempt", ErrInvalid, "an exempt form has no steps 2 to 4 and no allowances")
	}
	return nil
}

// normalize gives US amounts without currency the currency USD.
func (u *USTax) normalize() {
	for _, a := range []*money.Amount{&u.Dependents, &u.OtherIncome, &u.Deductions, &u.ExtraWithholding} {
		if a.Currency().IsZero() {
			*a = money.Zero(money.USD)
		}
	}
}

// Clone returns a copy of p that shares no memory with it.
func (p TaxProfile) Clone() TaxProfile {
	p.Extra = maps.Clone(p.Extra)
	return p
}
