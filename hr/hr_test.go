package hr_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
)

func TestValidIBAN(t *testing.T) {
	for _, tc := range []struct {
		iban string
		want bool
	}{
		{"DE89370400440532013000", true},
		{"GB82WEST12345698765432", true},
		{"FR1420041010050500013M02606", true},
		{"NL91ABNA0417164300", true},
		{"CH9300762011623852957", true},
		{"DE89370400440532013001", false}, // checksum
		{"DE8937040044053201300", false},  // length for DE
		{"GB82WEST1234569876543", false},
		{"de89370400440532013000", false}, // not normalized
		{"DE89-370400440532013000", false},
		{"", false},
	} {
		t.Run(tc.iban, func(t *testing.T) {
			if got := hr.ValidIBAN(tc.iban); got != tc.want {
				t.Errorf("ValidIBAN(%q) = %v, want %v", tc.iban, got, tc.want)
			}
		})
	}
}

func TestValidRoutingNumber(t *testing.T) {
	for _, tc := range []struct {
		aba  string
		want bool
	}{
		{"011000015", true}, {"021000021", true}, {"111000025", true}, {"122105155", true},
		{"011000016", false}, {"02100002", false}, {"0210000210", false}, {"02100002a", false},
	} {
		t.Run(tc.aba, func(t *testing.T) {
			if got := hr.ValidRoutingNumber(tc.aba); got != tc.want {
				t.Errorf("ValidRoutingNumber(%q) = %v, want %v", tc.aba, got, tc.want)
			}
		})
	}
}

func TestHireValidation(t *testing.T) {
	tests := []struct {
		name   string
		change func(*hr.Employee)
		want   error
		field  string
	}{
		{"valid", func(*hr.Employee) {}, nil, ""},
		{"IBAN with spaces and lower case", func(e *hr.Employee) { e.Bank.IBAN = "gb82 west 1234 5698 7654 32"; e.Bank.BIC = "" }, nil, ""},
		{"US account", func(e *hr.Employee) { e.Bank = hr.BankAccount{RoutingNumber: "021000021", AccountNumber: "123456789"} }, nil, ""},
		{"no personnel number", func(e *hr.Employee) { e.PersonnelNumber = "" }, hr.ErrInvalid, "personnel_number"},
		{"personnel number with space", func(e *hr.Employee) { e.PersonnelNumber = "P 77" }, hr.ErrInvalid, "personnel_number"},
		{"no family name", func(e *hr.Employee) { e.FamilyName = " " }, hr.ErrInvalid, "family_name"},
		{"no hire date", func(e *hr.Employee) { e.HireDate = noDate }, hr.ErrInvalid, "hire_date"},
		{"termination before hire", func(e *hr.Employee) { e.TerminationDate = day("2025-12-31") }, hr.ErrInvalid, "termination_date"},
		{"born after hire", func(e *hr.Employee) { e.BirthDate = day("2026-02-01") }, hr.ErrInvalid, "birth_date"},
		{"bad e-mail", func(e *hr.Employee) { e.Email = "zebulon.at.example" }, hr.ErrInvalid, "email"},
		{"bad country", func(e *hr.Employee) { e.Address.Country = "Deutschland" }, hr.ErrInvalid, "country"},
		{"bad IBAN checksum", func(e *hr.Employee) { e.Bank.IBAN = "DE89370400440532013001" }, hr.ErrBankAccount, "iban"},
		{"bad IBAN length", func(e *hr.Employee) { e.Bank.IBAN = "DE8937040044053201300" }, hr.ErrBankAccount, "iban"},
		{"bad BIC", func(e *hr.Employee) { e.Bank.BIC = "COBA1EFF" }, hr.ErrBankAccount, "bic"},
		{"BIC of 9 characters", func(e *hr.Employee) { e.Bank.BIC = "COBADEFFX" }, hr.ErrBankAccount, "bic"},
		{"bad ABA routing number", func(e *hr.Employee) { e.Bank = hr.BankAccount{RoutingNumber: "021000022", AccountNumber: "123456789"} }, hr.ErrBankAccount, "routing_number"},
		{"ABA without account", func(e *hr.Employee) { e.Bank = hr.BankAccount{RoutingNumber: "021000021"} }, hr.ErrBankAccount, "account_number"},
		{"IBAN and ABA", func(e *hr.Employee) { e.Bank.RoutingNumber = "021000021"; e.Bank.AccountNumber = "1" }, hr.ErrBankAccount, "iban"},
		{"self-managed", func(e *hr.Employee) { e.ID = "x"; e.Manager = "x" }, hr.ErrInvalid, "manager"},
		{"unknown manager", func(e *hr.Employee) { e.Manager = "acme/none" }, hr.ErrNotFound, "manager"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newEnv(t)
			emp := pii()
			tc.change(&emp)
			_, err := env.r.Hire(env.ctx, emp)
			checkErr(t, err, tc.want, tc.field)
		})
	}
}

// checkErr checks err against the wanted sentinel and field, and that its
// message holds no personal data.
func checkErr(t *testing.T, err, want error, field string) {
	t.Helper()
	if !errors.Is(err, want) || (want == nil) != (err == nil) {
		t.Fatalf("err = %v, want %v", err, want)
	}
	if err == nil {
		return
	}
	var fe *hr.FieldError
	if field != "" && (!errors.As(err, &fe) || fe.Field != field) {
		t.Errorf("err = %v, want a *FieldError for field %q", err, field)
	}
	for _, p := range personal {
		if strings.Contains(err.Error(), p) {
			t.Errorf("error %q contains personal data %q", err, p)
		}
	}
}

func TestDuplicatesAndUpdates(t *testing.T) {
	env := newEnv(t)
	e := env.hire(pii())
	if _, err := env.r.Hire(env.ctx, pii()); !errors.Is(err, hr.ErrDuplicate) {
		t.Errorf("hire twice: %v, want ErrDuplicate", err)
	}
	other := pii()
	other.ID = "another"
	if _, err := env.r.Hire(env.ctx, other); !errors.Is(err, hr.ErrDuplicate) {
		t.Errorf("same personnel number, other ID: %v, want ErrDuplicate", err)
	}
	other.Employer = "other-book" // another employer may use the number
	if _, err := env.r.Hire(env.ctx, other); err != nil {
		t.Errorf("same number at another employer: %v", err)
	}

	env.now = t0.Add(time.Hour)
	moved := e
	moved.Address.City = "Anderswo"
	v2, err := env.r.UpdateEmployee(env.ctx, moved)
	if err != nil || v2.Version != 2 {
		t.Fatalf("UpdateEmployee = %d, %v", v2.Version, err)
	}
	if same, err := env.r.UpdateEmployee(env.ctx, moved); err != nil || same.Version != 2 {
		t.Errorf("unchanged update = version %d, %v; want 2 (no-op)", same.Version, err)
	}
	renumbered := v2
	renumbered.PersonnelNumber = "P-78"
	_, err = env.r.UpdateEmployee(env.ctx, renumbered)
	checkErr(t, err, hr.ErrInvalid, "personnel_number")

	env.now = t0.Add(2 * time.Hour)
	_, err = env.r.Terminate(env.ctx, e.ID, day("2025-06-30"))
	checkErr(t, err, hr.ErrInvalid, "termination_date")
	v3, err := env.r.Terminate(env.ctx, e.ID, day("2026-06-30"))
	if err != nil || v3.Version != 3 {
		t.Fatalf("Terminate = %d, %v", v3.Version, err)
	}
	hist, err := env.r.EmployeeHistory(env.ctx, e.ID)
	if err != nil || len(hist) != 3 {
		t.Fatalf("EmployeeHistory = %d versions, %v", len(hist), err)
	}
	then, err := env.r.EmployeeAsOf(env.ctx, e.ID, t0.Add(90*time.Minute))
	if err != nil || then.Version != 2 || then.Address.City != "Anderswo" || !then.TerminationDate.IsZero() {
		t.Errorf("EmployeeAsOf = %+v, %v", then, err)
	}
	if _, err := env.r.EmployeeAsOf(env.ctx, e.ID, t0.Add(-time.Second)); !errors.Is(err, hr.ErrNotFound) {
		t.Errorf("EmployeeAsOf before hire: %v", err)
	}
	if _, err := env.r.Employee(env.ctx, "nobody"); !errors.Is(err, hr.ErrNotFound) {
		t.Errorf("Employee(nobody): %v", err)
	}
}

func TestContractValidation(t *testing.T) {
	reg := money.NewRegistry()
	pts, _ := reg.Register("PTS", 2)
	tests := []struct {
		name  string
		cs    func(id string) []hr.Contract
		want  error
		field string
	}{
		{"valid", func(id string) []hr.Contract { return []hr.Contract{contract(id, "2026-01-01", "4000.00")} }, nil, ""},
		{"negative pay", func(id string) []hr.Contract {
			return []hr.Contract{contract(id, "2026-01-01", "-4000.00")}
		}, hr.ErrInvalid, "amount"},
		{"zero pay", func(id string) []hr.Contract { return []hr.Contract{contract(id, "2026-01-01", "0")} }, hr.ErrInvalid, "amount"},
		{"unknown currency", func(id string) []hr.Contract {
			c := contract(id, "2026-01-01", "1")
			c.Amount, _ = money.Parse("4000.00", mustCurrency("ABC", 2))
			return []hr.Contract{c}
		}, hr.ErrUnknownCurrency, "currency"},
		{"registered custom currency", func(id string) []hr.Contract {
			c := contract(id, "2026-01-01", "1")
			c.Amount = money.MustParse("10", pts)
			return []hr.Contract{c}
		}, nil, ""},
		{"unknown item currency", func(id string) []hr.Contract {
			c := contract(id, "2026-01-01", "4000.00")
			c.Items = []hr.PayItem{{Code: "X", Kind: hr.Allowance, Amount: money.MustParse("1", mustCurrency("ABC", 2))}}
			return []hr.Contract{c}
		}, hr.ErrUnknownCurrency, "items"},
		{"no valid_from", func(id string) []hr.Contract {
			c := contract(id, "2026-01-01", "4000.00")
			c.ValidFrom = noDate
			return []hr.Contract{c}
		}, hr.ErrInvalid, "valid_from"},
		{"valid_to before valid_from", func(id string) []hr.Contract {
			c := contract(id, "2026-02-01", "4000.00")
			c.ValidTo = day("2026-01-31")
			return []hr.Contract{c}
		}, hr.ErrInvalid, "valid_to"},
		{"before hire", func(id string) []hr.Contract { return []hr.Contract{contract(id, "2025-12-01", "4000.00")} }, hr.ErrInvalid, "valid_from"},
		{"bad pay type", func(id string) []hr.Contract {
			c := contract(id, "2026-01-01", "4000.00")
			c.PayType = "daily"
			return []hr.Contract{c}
		}, hr.ErrInvalid, "pay_type"},
		{"bad frequency", func(id string) []hr.Contract {
			c := contract(id, "2026-01-01", "4000.00")
			c.Frequency = "yearly"
			return []hr.Contract{c}
		}, hr.ErrInvalid, "frequency"},
		{"hours over 168", func(id string) []hr.Contract {
			c := contract(id, "2026-01-01", "4000.00")
			c.WeeklyHours = dec("168.5")
			return []hr.Contract{c}
		}, hr.ErrInvalid, "weekly_hours"},
		{"hours without days", func(id string) []hr.Contract {
			c := contract(id, "2026-01-01", "4000.00")
			c.WorkDays = 0
			return []hr.Contract{c}
		}, hr.ErrInvalid, "work_days"},
		{"duplicate item code", func(id string) []hr.Contract {
			c := contract(id, "2026-01-01", "4000.00")
			c.Items = []hr.PayItem{{Code: "VWL", Kind: hr.Allowance, Amount: eur("40")}, {Code: "VWL", Kind: hr.Benefit, Amount: eur("1")}}
			return []hr.Contract{c}
		}, hr.ErrDuplicate, "items"},
		{"negative garnishment", func(id string) []hr.Contract {
			c := contract(id, "2026-01-01", "4000.00")
			c.Items = []hr.PayItem{{Code: "G", Kind: hr.Garnishment, Amount: eur("-40")}}
			return []hr.Contract{c}
		}, hr.ErrInvalid, "items"},
		{"overlapping versions in one change set", func(id string) []hr.Contract {
			a, b := contract(id, "2026-01-01", "4000.00"), contract(id, "2026-06-01", "4100.00")
			a.ValidTo = day("2026-06-01")
			return []hr.Contract{a, b}
		}, hr.ErrOverlap, "valid_from"},
		{"adjacent versions in one change set", func(id string) []hr.Contract {
			a, b := contract(id, "2026-01-01", "4000.00"), contract(id, "2026-06-01", "4100.00")
			a.ValidTo = day("2026-05-31")
			return []hr.Contract{a, b}
		}, nil, ""},
		{"unknown employee", func(string) []hr.Contract { return []hr.Contract{contract("nobody", "2026-01-01", "1.00")} }, hr.ErrNotFound, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newEnv(t)
			env.r = hr.New(env.s, &hr.Options{Now: func() time.Time { return env.now }, Currencies: reg})
			e := env.hire(pii())
			_, err := env.r.SetContracts(env.ctx, tc.cs(e.ID)...)
			checkErr(t, err, tc.want, tc.field)
			if err != nil {
				if vs, _ := env.r.ContractHistory(env.ctx, e.ID); len(vs) != 0 {
					t.Errorf("a failed change recorded %d versions", len(vs))
				}
			}
		})
	}
}

func mustCurrency(code string, minor int) money.Currency {
	c, err := money.NewCurrency(code, minor)
	if err != nil {
		panic(err)
	}
	return c
}

func TestTaxProfileValidation(t *testing.T) {
	de := func(id string) hr.TaxProfile {
		return hr.TaxProfile{Employee: id, Effective: hr.Effective{ValidFrom: day("2026-01-01")}, Jurisdiction: "DE",
			DE: hr.GermanTax{TaxClass: 1, ChildAllowances: dec("0.5"), ChurchTax: true, HealthSupplement: dec("2.9"), State: "BY"}}
	}
	us := func(id string) hr.TaxProfile {
		return hr.TaxProfile{Employee: id, Effective: hr.Effective{ValidFrom: day("2026-01-01")}, Jurisdiction: "US-CA",
			US: hr.USTax{FilingStatus: hr.MarriedJointly, MultipleJobs: true, Dependents: usd("2000"), ExtraWithholding: usd("25.50")}}
	}
	tests := []struct {
		name   string
		make   func(string) hr.TaxProfile
		change func(*hr.TaxProfile)
		want   error
		field  string
	}{
		{"valid DE", de, func(*hr.TaxProfile) {}, nil, ""},
		{"valid US", us, func(*hr.TaxProfile) {}, nil, ""},
		{"valid other jurisdiction", de, func(p *hr.TaxProfile) {
			p.Jurisdiction, p.DE, p.Extra = "GB", hr.GermanTax{}, map[string]string{"tax_code": "1257L"}
		}, nil, ""},
		{"tax class 0", de, func(p *hr.TaxProfile) { p.DE.TaxClass = 0 }, hr.ErrInvalid, "tax_class"},
		{"tax class 7", de, func(p *hr.TaxProfile) { p.DE.TaxClass = 7 }, hr.ErrInvalid, "tax_class"},
		{"child allowance 0.3", de, func(p *hr.TaxProfile) { p.DE.ChildAllowances = dec("0.3") }, hr.ErrInvalid, "child_allowances"},
		{"negative child allowance", de, func(p *hr.TaxProfile) { p.DE.ChildAllowances = dec("-1") }, hr.ErrInvalid, "child_allowances"},
		{"health supplement 11 %", de, func(p *hr.TaxProfile) { p.DE.HealthSupplement = dec("11") }, hr.ErrInvalid, "health_supplement"},
		{"unknown state", de, func(p *hr.TaxProfile) { p.DE.State = "XX" }, hr.ErrInvalid, "state"},
		{"US data for DE", de, func(p *hr.TaxProfile) { p.US.FilingStatus = hr.Single }, hr.ErrInvalid, "us"},
		{"bad jurisdiction", de, func(p *hr.TaxProfile) { p.Jurisdiction = "de" }, hr.ErrInvalid, "jurisdiction"},
		{"no filing status", us, func(p *hr.TaxProfile) { p.US.FilingStatus = "" }, hr.ErrInvalid, "filing_status"},
		{"allowances on 2020 form", us, func(p *hr.TaxProfile) { p.US.Allowances = 2 }, hr.ErrInvalid, "allowances"},
		{"pre-2020 form", us, func(p *hr.TaxProfile) {
			p.US = hr.USTax{Pre2020: true, FilingStatus: hr.MarriedSingleRate, Allowances: 3}
		}, nil, ""},
		{"step 3 on pre-2020 form", us, func(p *hr.TaxProfile) {
			p.US = hr.USTax{Pre2020: true, FilingStatus: hr.Single, Dependents: usd("500")}
		}, hr.ErrInvalid, "dependents"},
		{"negative 4b", us, func(p *hr.TaxProfile) { p.US.Deductions = usd("-1") }, hr.ErrInvalid, "deductions"},
		{"4c in EUR", us, func(p *hr.TaxProfile) { p.US.ExtraWithholding = eur("1") }, hr.ErrInvalid, "extra_withholding"},
		{"exempt", us, func(p *hr.TaxProfile) { p.US = hr.USTax{FilingStatus: hr.Single, Exempt: true} }, nil, ""},
		{"exempt with step 2", us, func(p *hr.TaxProfile) {
			p.US = hr.USTax{FilingStatus: hr.Single, Exempt: true, MultipleJobs: true}
		}, hr.ErrInvalid, "exempt"},
		{"exempt for DE", de, func(p *hr.TaxProfile) { p.US.Exempt = true }, hr.ErrInvalid, "us"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newEnv(t)
			e := env.hire(pii())
			p := tc.make(e.ID)
			tc.change(&p)
			_, err := env.r.SetTaxProfile(env.ctx, p)
			checkErr(t, err, tc.want, tc.field)
		})
	}
}

func TestTimeAndAbsences(t *testing.T) {
	type step struct {
		time    []hr.TimeEntry
		absence []hr.Absence
		want    error
		field   string
	}
	te := func(d, kind, hours string) hr.TimeEntry {
		return hr.TimeEntry{Employee: "acme/P-77", Date: day(d), Kind: hr.HourKind(kind), Hours: dec(hours)}
	}
	ab := func(kind, from, to string, half bool) hr.Absence {
		a := hr.Absence{Employee: "acme/P-77", Kind: hr.AbsenceKind(kind), From: day(from), HalfDay: half}
		if to != "" {
			a.To = day(to)
		}
		return a
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"valid day", []step{{time: []hr.TimeEntry{te("2026-03-02", "regular", "8"), te("2026-03-02", "overtime", "2.25")}}}},
		{"hours over 24 in one entry", []step{{time: []hr.TimeEntry{te("2026-03-02", "regular", "24.5")}, want: hr.ErrTooManyHours, field: "hours"}}},
		{"hours over 24 summed in one call", []step{{time: []hr.TimeEntry{te("2026-03-02", "regular", "16"), te("2026-03-02", "night", "8.01")}, want: hr.ErrTooManyHours, field: "hours"}}},
		// One call's entries count together, in any order: a correction may
		// come before the hours it corrects (as an export lists them), and
		// hours over 24 taken back in the same call are no excess.
		{"correction before its hours in one call", []step{{time: []hr.TimeEntry{te("2026-03-02", "regular", "-2"), te("2026-03-02", "regular", "8")}}}},
		{"excess taken back in one call", []step{{time: []hr.TimeEntry{te("2026-03-02", "regular", "16"), te("2026-03-02", "overtime", "10"), te("2026-03-02", "overtime", "-4")}}}},
		{"correction beyond its hours in one call", []step{{time: []hr.TimeEntry{te("2026-03-02", "regular", "-9"), te("2026-03-02", "regular", "8")}, want: hr.ErrInvalid, field: "hours"}}},
		{"hours over 24 summed with recorded", []step{
			{time: []hr.TimeEntry{te("2026-03-02", "regular", "20")}},
			{time: []hr.TimeEntry{te("2026-03-02", "overtime", "4.5")}, want: hr.ErrTooManyHours, field: "hours"},
		}},
		{"exactly 24", []step{{time: []hr.TimeEntry{te("2026-03-02", "regular", "16"), te("2026-03-02", "night", "8")}}}},
		{"correction", []step{
			{time: []hr.TimeEntry{te("2026-03-02", "regular", "8")}},
			{time: []hr.TimeEntry{te("2026-03-02", "regular", "-2")}},
		}},
		{"correction beyond recorded", []step{
			{time: []hr.TimeEntry{te("2026-03-02", "regular", "8")}},
			{time: []hr.TimeEntry{te("2026-03-02", "overtime", "-1")}, want: hr.ErrInvalid, field: "hours"},
		}},
		{"zero hours", []step{{time: []hr.TimeEntry{te("2026-03-02", "regular", "0")}, want: hr.ErrInvalid, field: "hours"}}},
		{"bad kind", []step{{time: []hr.TimeEntry{te("2026-03-02", "weekend", "1")}, want: hr.ErrInvalid, field: "kind"}}},
		{"before hire", []step{{time: []hr.TimeEntry{te("2025-12-31", "regular", "1")}, want: hr.ErrInvalid, field: "date"}}},
		{"time on an absence day", []step{
			{absence: []hr.Absence{ab("vacation", "2026-03-02", "2026-03-06", false)}},
			{time: []hr.TimeEntry{te("2026-03-04", "regular", "8")}, want: hr.ErrOverlap, field: "date"},
		}},
		{"absence on a day with time", []step{
			{time: []hr.TimeEntry{te("2026-03-04", "regular", "8")}},
			{absence: []hr.Absence{ab("sick", "2026-03-02", "2026-03-06", false)}, want: hr.ErrOverlap, field: "from"},
		}},
		{"time on a half-day absence", []step{
			{absence: []hr.Absence{ab("vacation", "2026-03-04", "", true)}},
			{time: []hr.TimeEntry{te("2026-03-04", "regular", "4")}},
		}},
		{"two half days fill the day", []step{
			{absence: []hr.Absence{ab("vacation", "2026-03-04", "", true), ab("sick", "2026-03-04", "2026-03-04", true)}},
			{time: []hr.TimeEntry{te("2026-03-04", "regular", "1")}, want: hr.ErrOverlap, field: "date"},
		}},
		{"second half day on a worked day", []step{
			{absence: []hr.Absence{ab("vacation", "2026-03-04", "", true)}},
			{time: []hr.TimeEntry{te("2026-03-04", "regular", "4")}},
			{absence: []hr.Absence{ab("sick", "2026-03-04", "", true)}, want: hr.ErrOverlap, field: "from"},
		}},
		{"overlapping absences", []step{
			{absence: []hr.Absence{ab("vacation", "2026-03-02", "2026-03-06", false)}},
			{absence: []hr.Absence{ab("sick", "2026-03-06", "2026-03-10", false)}, want: hr.ErrOverlap, field: "from"},
		}},
		{"overlapping absences in one call", []step{
			{absence: []hr.Absence{ab("vacation", "2026-03-02", "2026-03-06", false), ab("unpaid", "2026-03-01", "2026-03-02", false)}, want: hr.ErrOverlap, field: "from"},
		}},
		{"half day and full day", []step{
			{absence: []hr.Absence{ab("vacation", "2026-03-04", "", true), ab("sick", "2026-03-03", "2026-03-04", false)}, want: hr.ErrOverlap, field: "from"},
		}},
		{"half day over two days", []step{{absence: []hr.Absence{ab("vacation", "2026-03-04", "2026-03-05", true)}, want: hr.ErrInvalid, field: "half_day"}}},
		{"absence ends before it starts", []step{{absence: []hr.Absence{ab("vacation", "2026-03-04", "2026-03-03", false)}, want: hr.ErrInvalid, field: "to"}}},
		{"bad absence kind", []step{{absence: []hr.Absence{ab("holiday", "2026-03-04", "", false)}, want: hr.ErrInvalid, field: "kind"}}},
		{"absence after termination", []step{{absence: []hr.Absence{ab("parental", "2026-06-01", "2027-05-31", false)}, want: hr.ErrInvalid, field: "from"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newEnv(t)
			emp := pii()
			emp.TerminationDate = day("2026-12-31")
			env.hire(emp)
			for i, s := range tc.steps {
				var err error
				if s.time != nil {
					err = env.r.RecordTime(env.ctx, s.time...)
				} else {
					err = env.r.RecordAbsences(env.ctx, s.absence...)
				}
				if s.want == nil && err != nil {
					t.Fatalf("step %d: %v", i, err)
				}
				checkErr(t, err, s.want, s.field)
			}
		})
	}
}

func TestOneTimeItems(t *testing.T) {
	env := newEnv(t)
	e := env.hire(pii())
	bonus := hr.OneTimeItem{Employee: e.ID, Key: "bonus-2026-03", Date: day("2026-03-01"), Type: hr.Bonus, Amount: eur("4000.00")}
	first, err := env.r.AddOneTimeItem(env.ctx, bonus)
	if err != nil {
		t.Fatal(err)
	}
	env.now = t0.Add(time.Hour)
	again, err := env.r.AddOneTimeItem(env.ctx, bonus)
	if err != nil || !again.RecordedAt.Equal(first.RecordedAt) {
		t.Errorf("retry = %v, %v; want the first item", again.RecordedAt, err)
	}
	bonus.Amount = eur("4000.01")
	_, err = env.r.AddOneTimeItem(env.ctx, bonus)
	checkErr(t, err, hr.ErrDuplicate, "key")
	for _, tc := range []struct {
		name  string
		it    hr.OneTimeItem
		want  error
		field string
	}{
		{"negative bonus", hr.OneTimeItem{Employee: e.ID, Key: "k", Date: day("2026-03-01"), Type: hr.Bonus, Amount: eur("-1")}, hr.ErrInvalid, "amount"},
		{"negative correction", hr.OneTimeItem{Employee: e.ID, Key: "k", Date: day("2026-03-01"), Type: hr.Correction, Amount: eur("-1")}, nil, ""},
		{"no key", hr.OneTimeItem{Employee: e.ID, Date: day("2026-03-01"), Type: hr.Expense, Amount: eur("1")}, hr.ErrInvalid, "key"},
		{"unknown currency", hr.OneTimeItem{Employee: e.ID, Key: "k2", Date: day("2026-03-01"), Type: hr.Commission, Amount: money.MustParse("1", mustCurrency("ABC", 2))}, hr.ErrUnknownCurrency, "currency"},
		{"unknown employee", hr.OneTimeItem{Employee: "nobody", Key: "k3", Date: day("2026-03-01"), Type: hr.Bonus, Amount: eur("1")}, hr.ErrNotFound, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := env.r.AddOneTimeItem(env.ctx, tc.it)
			checkErr(t, err, tc.want, tc.field)
		})
	}
	march, err := env.r.OneTimeItems(env.ctx, e.ID, day("2026-03-01"), day("2026-03-31"))
	if err != nil || len(march) != 2 {
		t.Errorf("items of March = %d, %v; want 2", len(march), err)
	}
}

func TestWeekdays(t *testing.T) {
	w, err := hr.ParseWeekdays("mon,TUE+Wed thu fri")
	if err != nil || w != hr.MondayToFriday || w.String() != "Mon Tue Wed Thu Fri" || w.Count() != 5 {
		t.Errorf("ParseWeekdays = %v (%d), %v", w, w.Count(), err)
	}
	if _, err := hr.ParseWeekdays("Mon Funday"); !errors.Is(err, hr.ErrInvalid) {
		t.Errorf("bad day: %v", err)
	}
	if diff := cmp.Diff(hr.WeekdaysOf(time.Saturday, time.Sunday).String(), "Sat Sun"); diff != "" {
		t.Error(diff)
	}
}
