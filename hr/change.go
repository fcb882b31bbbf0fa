package hr

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
)

// ImportCount says what an import did with the rows of one kind of record.
type ImportCount struct {
	Added    int // rows recorded by the import
	Existing int // rows that were stored already and recorded nothing
}

// ImportResult is the ImportCount of every kind of record of an Import.
type ImportResult struct {
	Employees, Contracts, TaxProfiles, Time, Absences, Items ImportCount
}

// change is what the writes of one Store.UpdateHR share: the transaction,
// the recording time, and whether records already stored are recognised
// as such (imports) rather than added again.
type change struct {
	ctx      context.Context
	tx       Tx
	r        *Records
	imported bool
	now      func() time.Time
}

// newChange starts the change of one run of an UpdateHR function (a
// store may run it more than once; each run takes its own time).
//
// The recording time is taken from the clock at the first call of now, and
// every later call returns the same. The writes call it only after they
// have read every employee they write for: a store that locks rows locks
// an employee at its first read in a transaction (see Store), so the time
// is taken under the lock, and of two changes of one employee the one that
// commits later has the later time.
func (r *Records) newChange(ctx context.Context, tx Tx, imported bool) *change {
	var t time.Time
	return &change{ctx: ctx, tx: tx, r: r, imported: imported, now: func() time.Time {
		if t.IsZero() {
			t = r.stamp()
		}
		return t
	}}
}

// later returns the later of a and b.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// memoTx remembers the employees a change reads and adds, so that the
// stages of an import read each employee from the store once.
type memoTx struct {
	Tx
	byID  map[string]Employee
	byNum map[numberKey]string
}

func newMemoTx(tx Tx) *memoTx {
	return &memoTx{Tx: tx, byID: map[string]Employee{}, byNum: map[numberKey]string{}}
}

func (m *memoTx) remember(e Employee) {
	m.byID[e.ID] = e
	m.byNum[numberKey{e.Employer, e.PersonnelNumber}] = e.ID
}

// Employee implements ReadTx.
func (m *memoTx) Employee(ctx context.Context, id string) (Employee, error) {
	if e, ok := m.byID[id]; ok {
		return e, nil
	}
	e, err := m.Tx.Employee(ctx, id)
	if err == nil {
		m.remember(e)
	}
	return e, err
}

// EmployeeByNumber implements ReadTx.
func (m *memoTx) EmployeeByNumber(ctx context.Context, employer, number string) (Employee, error) {
	if id, ok := m.byNum[numberKey{employer, number}]; ok {
		return m.byID[id], nil
	}
	e, err := m.Tx.EmployeeByNumber(ctx, employer, number)
	if err == nil {
		m.remember(e)
	}
	return e, err
}

// AddEmployee implements Tx.
func (m *memoTx) AddEmployee(ctx context.Context, e Employee) error {
	if err := m.Tx.AddEmployee(ctx, e); err != nil {
		return err
	}
	m.remember(e)
	return nil
}

// ---- what is stored already ----

// employeeDiff returns the columns in which e differs from the stored
// employee old of the same employer and personnel number. An ID that is
// the default (Employer + "/" + PersonnelNumber, what an empty id column
// gives) is not compared.
func employeeDiff(old, e *Employee) []string {
	stored := old.Normalize() // stored before Records normalized text
	old = &stored
	var d differ
	d.str("id", old.ID, e.ID, e.ID == defaultID(e))
	d.str("given_name", old.GivenName, e.GivenName, false)
	d.str("family_name", old.FamilyName, e.FamilyName, false)
	d.day("birth_date", old.BirthDate, e.BirthDate)
	a, b := old.Address, e.Address
	d.str("street", a.Street, b.Street, false)
	d.str("postal_code", a.PostalCode, b.PostalCode, false)
	d.str("city", a.City, b.City, false)
	d.str("region", a.Region, b.Region, false)
	d.str("country", a.Country, b.Country, false)
	d.str("email", old.Email, e.Email, false)
	d.day("hire_date", old.HireDate, e.HireDate)
	d.day("termination_date", old.TerminationDate, e.TerminationDate)
	d.str("department", old.Department, e.Department, false)
	d.str("cost_centre", old.CostCentre, e.CostCentre, false)
	d.str("manager", old.Manager, e.Manager, false)
	ob, nb := old.Bank.Normalize(), e.Bank.Normalize()
	d.str("iban", ob.IBAN, nb.IBAN, false)
	d.str("bic", ob.BIC, nb.BIC, false)
	d.str("routing_number", ob.RoutingNumber, nb.RoutingNumber, false)
	d.str("account_number", ob.AccountNumber, nb.AccountNumber, false)
	d.str("tax_id", old.TaxID, compactID(e.TaxID), false)
	d.str("social_insurance_number", old.SocialInsuranceNumber, compactID(e.SocialInsuranceNumber), false)
	d.str("ssn", old.SSN, compactID(e.SSN), false)
	return d.fields
}

// contractDiff returns the columns in which the terms of c differ from
// those of old (validity and recording aside).
func contractDiff(old, c *Contract) []string {
	var d differ
	d.str("pay_type", string(old.PayType), string(c.PayType), false)
	d.add("currency", old.Amount.Currency() != c.Amount.Currency())
	d.add("amount", old.Amount.Currency() == c.Amount.Currency() && old.Amount != c.Amount)
	d.str("frequency", string(old.Frequency), string(c.Frequency), false)
	d.dec("weekly_hours", old.WeeklyHours, c.WeeklyHours)
	d.add("work_days", old.WorkDays != c.WorkDays)
	d.add("items", !slices.Equal(old.Items, c.Items))
	return d.fields
}

// taxDiff returns the columns in which the data of p differs from that of
// old (validity and recording aside).
func taxDiff(old, p *TaxProfile) []string {
	var d differ
	d.str("jurisdiction", old.Jurisdiction, p.Jurisdiction, false)
	a, b := old.DE, p.DE
	d.add("tax_class", a.TaxClass != b.TaxClass)
	d.dec("child_allowances", a.ChildAllowances, b.ChildAllowances)
	d.add("church_tax", a.ChurchTax != b.ChurchTax)
	d.dec("health_supplement", a.HealthSupplement, b.HealthSupplement)
	d.str("state", a.State, b.State, false)
	u, v := old.US, p.US
	d.str("filing_status", string(u.FilingStatus), string(v.FilingStatus), false)
	d.add("pre_2020", u.Pre2020 != v.Pre2020)
	d.add("allowances", u.Allowances != v.Allowances)
	d.add("multiple_jobs", u.MultipleJobs != v.MultipleJobs)
	d.add("dependents", u.Dependents != v.Dependents)
	d.add("other_income", u.OtherIncome != v.OtherIncome)
	d.add("deductions", u.Deductions != v.Deductions)
	d.add("extra_withholding", u.ExtraWithholding != v.ExtraWithholding)
	d.add("exempt", u.Exempt != v.Exempt)
	d.add("extra", !maps.Equal(old.Extra, p.Extra))
	return d.fields
}

// differ collects the names of the fields that differ.
type differ struct{ fields []string }

func (d *differ) add(field string, differs bool) {
	if differs {
		d.fields = append(d.fields, field)
	}
}

func (d *differ) str(field, a, b string, skip bool) { d.add(field, !skip && a != b) }

func (d *differ) day(field string, a, b date.Date) { d.add(field, a != b) }

func (d *differ) dec(field string, a, b decimal.Decimal) { d.add(field, !a.Equal(b)) }

// conflict returns the error of an imported record of rec that differs
// in fields from the stored one.
func conflict(rec string, fields []string) *FieldError {
	return fieldErr(rec, fields[0], ErrConflict, "differs from the stored "+rec+" in "+strings.Join(fields, ", "))
}

// storedState says how an imported record relates to what is stored.
type storedState int

const (
	notStored   storedState = iota // nothing stored under its identity: add it
	storedSame                     // stored as it is: add nothing
	storedOther                    // stored otherwise: a conflict
)

// storedVersion classifies an imported version v, valid for eff, against
// the timeline of the stored versions as recorded now: notStored if no
// stored version covers any of its days, storedSame if on every one of
// its days a version with the same terms is in force (diff finds no
// field), else storedOther with the error to report. The timeline is what
// an export writes, so an exported file imported again is stored as it is
// whatever the recording history behind it.
func storedVersion[V Versioned](rec string, spans []Span[V], v *V, eff Effective, diff func(old, v *V) []string) (storedState, error) {
	var fields []string
	covered, open := false, false
	gap := ""
	cursor := eff.ValidFrom // the first day not yet seen covered
	for _, s := range spans {
		if !s.To.IsZero() && s.To.Before(eff.ValidFrom) {
			continue
		}
		if !eff.ValidTo.IsZero() && s.From.After(eff.ValidTo) {
			break
		}
		if s.From.After(cursor) && gap == "" {
			gap = "valid_to"
			if !covered {
				gap = "valid_from"
			}
		}
		covered = true
		for _, f := range diff(&s.Version, v) {
			if !slices.Contains(fields, f) {
				fields = append(fields, f)
			}
		}
		if s.To.IsZero() {
			open = true
			break
		}
		cursor = s.To.AddDays(1)
	}
	switch {
	case !covered:
		return notStored, nil
	case len(fields) > 0:
		return storedOther, conflict(rec, fields)
	}
	if gap == "" && !open && (eff.ValidTo.IsZero() || !cursor.After(eff.ValidTo)) {
		gap = "valid_to"
	}
	if gap != "" {
		return storedOther, fieldErr(rec, gap, ErrConflict, "a stored "+rec+" covers only some of its days")
	}
	return storedSame, nil
}

// sameMultiset reports whether a and b hold the same values as often,
// in any order, equal by eq after sorting both by cmp.
func sameMultiset[T any](a, b []T, cmp func(x, y T) int) bool {
	if len(a) != len(b) {
		return false
	}
	a, b = slices.Clone(a), slices.Clone(b)
	slices.SortFunc(a, cmp)
	slices.SortFunc(b, cmp)
	return slices.EqualFunc(a, b, func(x, y T) bool { return cmp(x, y) == 0 })
}

// entries returns "1 entry" or "n entries".
func entries(n int) string {
	if n == 1 {
		return "1 entry"
	}
	return fmt.Sprintf("%d entries", n)
}
