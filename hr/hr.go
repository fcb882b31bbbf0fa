package hr

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

// Options configures Records. A nil *Options means all defaults.
type Options struct {
	// Now returns the current time; it stamps every record's RecordedAt.
	// Default time.Now.
	Now func() time.Time
	// Currencies resolves currency codes; amounts in custom currencies are
	// accepted only if registered here. Default: ISO 4217 only.
	Currencies *money.Registry
}

// Records keeps the HR records of employees in a Store: master data,
// effective-dated contracts and tax profiles, time, absences and one-time
// items. It validates everything before the store is touched and never
// changes or deletes a record. Records is safe for concurrent use.
type Records struct {
	store Store
	now   func() time.Time
	reg   *money.Registry
}

// New returns Records over store. opts may be nil.
func New(store Store, opts *Options) *Records {
	r := &Records{store: store, now: time.Now, reg: money.NewRegistry()}
	if opts != nil {
		if opts.Now != nil {
			r.now = opts.Now
		}
		if opts.Currencies != nil {
			r.reg = opts.Currencies
		}
	}
	return r
}

// stamp returns the recording time of a change made now: UTC, microseconds.
func (r *Records) stamp() time.Time { return r.now().UTC().Truncate(time.Microsecond) }

// checkCurrency returns a *FieldError wrapping ErrUnknownCurrency if a's
// currency is not known to the registry.
func (r *Records) checkCurrency(rec, field string, a money.Amount) error {
	c := a.Currency()
	if got, err := r.reg.Lookup(c.Code()); err != nil || got != c {
		return fieldErr(rec, field, ErrUnknownCurrency, "")
	}
	return nil
}

// ---- employees ----

// Hire records a new employee, version 1, and returns it as stored. An
// empty ID becomes Employer + "/" + PersonnelNumber; the bank account is
// normalized (see BankAccount.Normalize). It fails with a *FieldError
// wrapping ErrInvalid or ErrBankAccount (Employee.Validate), ErrDuplicate
// (the ID, or the personnel number at the employer, is taken) or
// ErrNotFound (no employee with the Manager ID).
func (r *Records) Hire(ctx context.Context, e Employee) (Employee, error) {
	e = r.prepareHire(e)
	if err := e.Validate(); err != nil {
		return Employee{}, err
	}
	err := r.store.UpdateHR(ctx, func(tx Tx) error {
		if err := checkNewEmployee(ctx, tx, &e, nil); err != nil {
			return err
		}
		return tx.AddEmployee(ctx, e)
	})
	if err != nil {
		return Employee{}, withNumber(err, e.number())
	}
	return e, nil
}

func (r *Records) prepareHire(e Employee) Employee {
	if e.ID == "" && e.Employer != "" && e.PersonnelNumber != "" {
		e.ID = e.Employer + "/" + e.PersonnelNumber
	}
	e.Bank = e.Bank.Normalize()
	e.Version = 1
	e.RecordedAt = r.stamp()
	return e
}

// checkNewEmployee checks what validation of a new employee needs the store
// for; pending are the IDs of employees added in the same change.
func checkNewEmployee(ctx context.Context, tx ReadTx, e *Employee, pending map[string]bool) error {
	if _, err := tx.EmployeeByNumber(ctx, e.Employer, e.PersonnelNumber); err == nil {
		return fieldErr("employee", "personnel_number", ErrDuplicate, "")
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	if _, err := tx.Employee(ctx, e.ID); err == nil || pending[e.ID] {
		return fieldErr("employee", "id", ErrDuplicate, "")
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	return checkManager(ctx, tx, e, pending)
}

func checkManager(ctx context.Context, tx ReadTx, e *Employee, pending map[string]bool) error {
	if e.Manager == "" || pending[e.Manager] {
		return nil
	}
	if _, err := tx.Employee(ctx, e.Manager); errors.Is(err, ErrNotFound) {
		return fieldErr("employee", "manager", ErrNotFound, "no employee with that ID")
	} else if err != nil {
		return err
	}
	return nil
}

// UpdateEmployee records a new version of an employee's master data, e with
// the ID of an existing employee, and returns it. ID, Employer and
// PersonnelNumber cannot change (ErrInvalid). If e holds the same data as
// the latest version, nothing is recorded and that version is returned.
// Other errors are those of Hire.
func (r *Records) UpdateEmployee(ctx context.Context, e Employee) (Employee, error) {
	return r.updateEmployee(ctx, e.ID, func(cur *Employee) error {
		if e.Employer != cur.Employer || e.PersonnelNumber != cur.PersonnelNumber {
			return fieldErr("employee", "personnel_number", ErrInvalid, "employer and personnel number cannot change")
		}
		*cur = e
		return nil
	})
}

// Terminate records the termination of an employee, the last day of
// employment being on, as a new version of the master data. on must not be
// before the hire date (ErrInvalid). Terminating again on another day
// records that day instead.
func (r *Records) Terminate(ctx context.Context, id string, on date.Date) (Employee, error) {
	return r.updateEmployee(ctx, id, func(cur *Employee) error {
		if on.IsZero() {
			return fieldErr("employee", "termination_date", ErrInvalid, "required")
		}
		cur.TerminationDate = on
		return nil
	})
}

func (r *Records) updateEmployee(ctx context.Context, id string, change func(*Employee) error) (Employee, error) {
	var out Employee
	err := r.store.UpdateHR(ctx, func(tx Tx) error {
		cur, err := tx.Employee(ctx, id)
		if err != nil {
			return fmt.Errorf("hr: update employee: %w", err)
		}
		e := cur
		if err := change(&e); err != nil {
			return withNumber(err, cur.PersonnelNumber)
		}
		e.ID, e.Employer, e.PersonnelNumber = cur.ID, cur.Employer, cur.PersonnelNumber
		e.Bank = e.Bank.Normalize()
		e.Version, e.RecordedAt = cur.Version, cur.RecordedAt
		if e == cur {
			out = cur
			return nil
		}
		e.Version, e.RecordedAt = cur.Version+1, r.stamp()
		if err := e.Validate(); err != nil {
			return err
		}
		if err := checkManager(ctx, tx, &e, nil); err != nil {
			return withNumber(err, e.PersonnelNumber)
		}
		out = e
		return tx.AddEmployee(ctx, e)
	})
	if err != nil {
		return Employee{}, err
	}
	return out, nil
}

// Employee returns the latest version of the employee with the given ID, or
// ErrNotFound.
func (r *Records) Employee(ctx context.Context, id string) (Employee, error) {
	var e Employee
	err := r.store.ViewHR(ctx, func(tx ReadTx) (err error) { e, err = tx.Employee(ctx, id); return err })
	return e, err
}

// EmployeeByNumber returns the latest version of the employee of employer
// with the given personnel number, or ErrNotFound.
func (r *Records) EmployeeByNumber(ctx context.Context, employer, number string) (Employee, error) {
	var e Employee
	err := r.store.ViewHR(ctx, func(tx ReadTx) (err error) {
		e, err = tx.EmployeeByNumber(ctx, employer, number)
		return err
	})
	return e, err
}

// Employees returns the latest version of every employee of employer,
// ordered by personnel number.
func (r *Records) Employees(ctx context.Context, employer string) ([]Employee, error) {
	var es []Employee
	err := r.store.ViewHR(ctx, func(tx ReadTx) (err error) { es, err = tx.Employees(ctx, employer); return err })
	es = slices.Clone(es)
	slices.SortFunc(es, func(a, b Employee) int { return strings.Compare(a.PersonnelNumber, b.PersonnelNumber) })
	return es, err
}

// EmployeeHistory returns every version of the employee's master data,
// oldest first, or ErrNotFound.
func (r *Records) EmployeeHistory(ctx context.Context, id string) ([]Employee, error) {
	var es []Employee
	err := r.store.ViewHR(ctx, func(tx ReadTx) (err error) { es, err = tx.EmployeeVersions(ctx, id); return err })
	if err != nil {
		return nil, err
	}
	if len(es) == 0 {
		return nil, fmt.Errorf("hr: employee history: %w", ErrNotFound)
	}
	es = slices.Clone(es)
	slices.SortFunc(es, func(a, b Employee) int { return cmp.Compare(a.Version, b.Version) })
	return es, nil
}

// EmployeeAsOf returns the version of the employee's master data that was
// the latest at asOf, or ErrNotFound if the employee was not yet hired then.
func (r *Records) EmployeeAsOf(ctx context.Context, id string, asOf time.Time) (Employee, error) {
	es, err := r.EmployeeHistory(ctx, id)
	if err != nil {
		return Employee{}, err
	}
	for i := len(es) - 1; i >= 0; i-- {
		if !es[i].RecordedAt.After(asOf) {
			return es[i], nil
		}
	}
	return Employee{}, fmt.Errorf("hr: employee as of: %w", ErrNotFound)
}

// ---- contracts and tax profiles ----

// SetContract records one contract version, valid from c.ValidFrom to
// c.ValidTo, and returns it as stored. See SetContracts.
func (r *Records) SetContract(ctx context.Context, c Contract) (Contract, error) {
	cs, err := r.SetContracts(ctx, c)
	if err != nil {
		return Contract{}, err
	}
	return cs[0], nil
}

// SetContracts records contract versions as one change, all or none, and
// returns them as stored, stamped with one recording time and consecutive
// Seq numbers per employee. Versions of one employee in one change must not
// overlap (ErrOverlap); each must start on or after the hire date
// (ErrInvalid). Other errors: Contract.Validate, ErrUnknownCurrency, and
// ErrNotFound for an unknown employee.
func (r *Records) SetContracts(ctx context.Context, cs ...Contract) ([]Contract, error) {
	now := r.stamp()
	out := make([]Contract, len(cs))
	for i, c := range cs {
		c = c.Clone()
		c.RecordedAt, c.Seq = now, 0
		if err := r.checkContract(&c); err != nil {
			return nil, err
		}
		out[i] = c
	}
	err := r.store.UpdateHR(ctx, func(tx Tx) error {
		probs := r.writeContracts(ctx, tx, out)
		if len(probs) > 0 {
			return probs[0].err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (r *Records) checkContract(c *Contract) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if err := r.checkCurrency("contract", "currency", c.Amount); err != nil {
		return err
	}
	for _, it := range c.Items {
		if err := r.checkCurrency("contract", "items", it.Amount); err != nil {
			return err
		}
	}
	return nil
}

// problem is an error found in the record at index i of a change.
type problem struct {
	i   int
	err error
}

// writeContracts checks contract versions against the store and adds them,
// numbering them. It returns every problem found; it adds nothing if there
// are any.
func (r *Records) writeContracts(ctx context.Context, tx Tx, cs []Contract) []problem {
	return writeVersions(ctx, tx, "contract", cs,
		func(c *Contract) (string, *Effective) { return c.Employee, &c.Effective },
		tx.Contracts, tx.AddContract)
}

// writeVersions is writeContracts for any effective-dated record.
func writeVersions[V Versioned](ctx context.Context, tx Tx, rec string, vs []V,
	fields func(*V) (string, *Effective),
	list func(context.Context, string) ([]V, error),
	add func(context.Context, V) error,
) []problem {
	var probs []problem
	byEmp := map[string][]int{}
	var order []string
	for i := range vs {
		emp, _ := fields(&vs[i])
		if _, ok := byEmp[emp]; !ok {
			order = append(order, emp)
		}
		byEmp[emp] = append(byEmp[emp], i)
	}
	for _, emp := range order {
		idx := byEmp[emp]
		e, err := tx.Employee(ctx, emp)
		if err != nil {
			for _, i := range idx {
				probs = append(probs, problem{i, fmt.Errorf("hr: %s: employee: %w", rec, err)})
			}
			continue
		}
		var effs []Effective
		for _, i := range idx {
			_, eff := fields(&vs[i])
			if slices.ContainsFunc(effs, eff.overlaps) {
				probs = append(probs, problem{i, withNumber(fieldErr(rec, "valid_from", ErrOverlap, "versions of one change overlap"), e.PersonnelNumber)})
			} else if eff.ValidFrom.Before(e.HireDate) {
				probs = append(probs, problem{i, withNumber(fieldErr(rec, "valid_from", ErrInvalid, "before the hire date"), e.PersonnelNumber)})
			}
			effs = append(effs, *eff)
		}
		old, err := list(ctx, emp)
		if err != nil {
			return append(probs, problem{idx[0], err})
		}
		var seq int64
		for _, o := range old {
			seq = max(seq, o.effective().Seq)
		}
		for _, i := range idx {
			seq++
			_, eff := fields(&vs[i])
			eff.Seq = seq
		}
	}
	if len(probs) > 0 {
		return probs
	}
	for i, v := range vs {
		if err := add(ctx, v); err != nil {
			return []problem{{i, err}}
		}
	}
	return nil
}

// ChangeContract records a change of the contract from day from: it takes
// the version in force on from (as recorded now), applies change to a copy
// and records that as a new version valid from from until the day before
// the next recorded change, or without end if there is none. Later changes
// already recorded stay as they are. It fails with ErrNotFound if no
// contract is in force on from; other errors are those of SetContracts.
func (r *Records) ChangeContract(ctx context.Context, employee string, from date.Date, change func(*Contract)) (Contract, error) {
	var out Contract
	err := r.store.UpdateHR(ctx, func(tx Tx) error {
		vs, err := tx.Contracts(ctx, employee)
		if err != nil {
			return err
		}
		span, ok := spanOn(Timeline(vs, time.Time{}), from)
		if !ok {
			return fmt.Errorf("hr: change contract: no contract in force: %w", ErrNotFound)
		}
		c := span.Version.Clone()
		change(&c)
		c.Employee = employee
		c.Effective = Effective{ValidFrom: from, ValidTo: span.To, RecordedAt: r.stamp()}
		if err := r.checkContract(&c); err != nil {
			return err
		}
		cs := []Contract{c}
		if probs := r.writeContracts(ctx, tx, cs); len(probs) > 0 {
			return probs[0].err
		}
		out = cs[0]
		return nil
	})
	return out, err
}

func spanOn[V Versioned](spans []Span[V], d date.Date) (Span[V], bool) {
	for _, s := range spans {
		if !d.Before(s.From) && (s.To.IsZero() || !d.After(s.To)) {
			return s, true
		}
	}
	return Span[V]{}, false
}

// Contract returns the employee's contract version in force on day on as
// recorded at asOf (zero asOf: as recorded now), or ErrNotFound. See
// Effective for the rule.
func (r *Records) Contract(ctx context.Context, employee string, on date.Date, asOf time.Time) (Contract, error) {
	vs, err := r.ContractHistory(ctx, employee)
	if err != nil {
		return Contract{}, err
	}
	c, ok := Resolve(vs, on, asOf)
	if !ok {
		return Contract{}, fmt.Errorf("hr: contract: %w", ErrNotFound)
	}
	return c, nil
}

// ContractHistory returns every contract version of the employee in the
// order they were recorded (by RecordedAt, then Seq).
func (r *Records) ContractHistory(ctx context.Context, employee string) ([]Contract, error) {
	var vs []Contract
	err := r.store.ViewHR(ctx, func(tx ReadTx) (err error) { vs, err = tx.Contracts(ctx, employee); return err })
	out := make([]Contract, len(vs))
	for i, v := range vs {
		out[i] = v.Clone()
	}
	sortVersions(out)
	return out, err
}

// ContractTimeline returns the stretches of days with the contract version
// in force on each, as recorded at asOf (zero: now); see Timeline.
func (r *Records) ContractTimeline(ctx context.Context, employee string, asOf time.Time) ([]Span[Contract], error) {
	vs, err := r.ContractHistory(ctx, employee)
	return Timeline(vs, asOf), err
}

func sortVersions[V Versioned](vs []V) {
	slices.SortStableFunc(vs, func(a, b V) int {
		ea, eb := a.effective(), b.effective()
		if c := ea.RecordedAt.Compare(eb.RecordedAt); c != 0 {
			return c
		}
		return cmp.Compare(ea.Seq, eb.Seq)
	})
}

// SetTaxProfile records one tax profile version. See SetTaxProfiles.
func (r *Records) SetTaxProfile(ctx context.Context, p TaxProfile) (TaxProfile, error) {
	ps, err := r.SetTaxProfiles(ctx, p)
	if err != nil {
		return TaxProfile{}, err
	}
	return ps[0], nil
}

// SetTaxProfiles records tax profile versions as one change, all or none,
// with the rules of SetContracts. US amounts without a currency are
// recorded as 0.00 USD.
func (r *Records) SetTaxProfiles(ctx context.Context, ps ...TaxProfile) ([]TaxProfile, error) {
	now := r.stamp()
	out := make([]TaxProfile, len(ps))
	for i, p := range ps {
		p = p.Clone()
		p.RecordedAt, p.Seq = now, 0
		if err := p.Validate(); err != nil {
			return nil, err
		}
		if isUS(p.Jurisdiction) {
			p.US.normalize()
		}
		out[i] = p
	}
	err := r.store.UpdateHR(ctx, func(tx Tx) error {
		probs := r.writeTaxProfiles(ctx, tx, out)
		if len(probs) > 0 {
			return probs[0].err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (r *Records) writeTaxProfiles(ctx context.Context, tx Tx, ps []TaxProfile) []problem {
	return writeVersions(ctx, tx, "tax profile", ps,
		func(p *TaxProfile) (string, *Effective) { return p.Employee, &p.Effective },
		tx.TaxProfiles, tx.AddTaxProfile)
}

// TaxProfile returns the employee's tax profile version in force on day on
// as recorded at asOf (zero asOf: as recorded now), or ErrNotFound.
func (r *Records) TaxProfile(ctx context.Context, employee string, on date.Date, asOf time.Time) (TaxProfile, error) {
	vs, err := r.TaxProfileHistory(ctx, employee)
	if err != nil {
		return TaxProfile{}, err
	}
	p, ok := Resolve(vs, on, asOf)
	if !ok {
		return TaxProfile{}, fmt.Errorf("hr: tax profile: %w", ErrNotFound)
	}
	return p, nil
}

// TaxProfileHistory returns every tax profile version of the employee in
// the order they were recorded.
func (r *Records) TaxProfileHistory(ctx context.Context, employee string) ([]TaxProfile, error) {
	var vs []TaxProfile
	err := r.store.ViewHR(ctx, func(tx ReadTx) (err error) { vs, err = tx.TaxProfiles(ctx, employee); return err })
	out := make([]TaxProfile, len(vs))
	for i, v := range vs {
		out[i] = v.Clone()
	}
	sortVersions(out)
	return out, err
}

// ---- time, absences, one-time items ----

// RecordTime records time entries, all or none. Besides TimeEntry.Validate
// it checks against the store and each other that the employee exists
// (ErrNotFound) and is employed on the date (ErrInvalid), that no day adds
// up to more than 24 hours (ErrTooManyHours) or fewer than 0 of a kind
// (ErrInvalid), and that no hours fall on a day of full absence
// (ErrOverlap; see Absence).
func (r *Records) RecordTime(ctx context.Context, entries ...TimeEntry) error {
	es, err := r.prepareTime(entries)
	if err != nil {
		return err
	}
	return r.store.UpdateHR(ctx, func(tx Tx) error {
		if probs := writeTime(ctx, tx, es); len(probs) > 0 {
			return probs[0].err
		}
		return nil
	})
}

func (r *Records) prepareTime(entries []TimeEntry) ([]TimeEntry, error) {
	now := r.stamp()
	es := slices.Clone(entries)
	for i := range es {
		es[i].RecordedAt = now
		if err := es[i].Validate(); err != nil {
			return nil, err
		}
	}
	return es, nil
}

// groupByEmployee returns the indexes of records by employee, employees in
// order of first appearance.
func groupByEmployee(n int, emp func(int) string) ([]string, map[string][]int) {
	by := map[string][]int{}
	var order []string
	for i := range n {
		e := emp(i)
		if _, ok := by[e]; !ok {
			order = append(order, e)
		}
		by[e] = append(by[e], i)
	}
	return order, by
}

// halfDays returns, per day, the halves of the day the absences cover (a
// full day is 2).
func halfDays(as []Absence, add map[date.Date]int) {
	for _, a := range as {
		n := 2
		if a.HalfDay {
			n = 1
		}
		for d := a.From; !d.After(a.To); d = d.AddDays(1) {
			add[d] += n
		}
	}
}

// byEmployeeDays groups the n records of a change (time entries or
// absences; rec names them) by employee and calls check for each employee
// with the indexes of its records and its time entries and absences stored
// over the days they span (record i is the employee's, first to last). An
// unknown employee is a problem of each of its records; a store error ends
// the walk.
func byEmployeeDays(ctx context.Context, tx Tx, rec string, n int, record func(i int) (employee string, first, last date.Date),
	check func(emp Employee, idx []int, time []TimeEntry, absences []Absence) []problem) []problem {
	var probs []problem
	order, by := groupByEmployee(n, func(i int) string { id, _, _ := record(i); return id })
	for _, id := range order {
		idx := by[id]
		emp, err := tx.Employee(ctx, id)
		if err != nil {
			for _, i := range idx {
				probs = append(probs, problem{i, fmt.Errorf("hr: %s: employee: %w", rec, err)})
			}
			continue
		}
		_, from, to := record(idx[0])
		for _, i := range idx {
			_, f, t := record(i)
			from, to = minDate(from, f), maxDate(to, t)
		}
		times, err := tx.TimeEntries(ctx, id, from, to)
		if err != nil {
			return append(probs, problem{idx[0], err})
		}
		abs, err := tx.Absences(ctx, id, from, to)
		if err != nil {
			return append(probs, problem{idx[0], err})
		}
		probs = append(probs, check(emp, idx, times, abs)...)
	}
	return probs
}

func writeTime(ctx context.Context, tx Tx, es []TimeEntry) []problem {
	probs := byEmployeeDays(ctx, tx, "time", len(es),
		func(i int) (string, date.Date, date.Date) { return es[i].Employee, es[i].Date, es[i].Date },
		func(emp Employee, idx []int, old []TimeEntry, abs []Absence) (probs []problem) {
			halves := map[date.Date]int{}
			halfDays(abs, halves)
			type dayKind struct {
				d date.Date
				k HourKind
			}
			day, kind := map[date.Date]decimal.Decimal{}, map[dayKind]decimal.Decimal{}
			for _, o := range old {
				day[o.Date] = day[o.Date].Add(o.Hours)
				kind[dayKind{o.Date, o.Kind}] = kind[dayKind{o.Date, o.Kind}].Add(o.Hours)
			}
			fail := func(i int, field string, sentinel error, reason string) {
				probs = append(probs, problem{i, withNumber(fieldErr("time", field, sentinel, reason), emp.PersonnelNumber)})
			}
			// The entries of one call go in together, so the day's limits hold
			// for the result, whatever their order (an export lists a
			// correction before the hours it corrects): check the sums after
			// all of them, blaming each day's last entry.
			lastDay, lastKind := map[date.Date]int{}, map[dayKind]int{}
			var days []date.Date
			var kinds []dayKind
			for _, i := range idx {
				e := es[i]
				dk := dayKind{e.Date, e.Kind}
				switch {
				case !emp.Employed(e.Date):
					fail(i, "date", ErrInvalid, "not employed on that day")
					continue
				case e.Hours.IsPositive() && halves[e.Date] >= 2:
					fail(i, "date", ErrOverlap, "absent all day")
					continue
				}
				if _, seen := lastDay[e.Date]; !seen {
					days = append(days, e.Date)
				}
				if _, seen := lastKind[dk]; !seen {
					kinds = append(kinds, dk)
				}
				lastDay[e.Date], lastKind[dk] = i, i
				day[e.Date] = day[e.Date].Add(e.Hours)
				kind[dk] = kind[dk].Add(e.Hours)
			}
			for _, d := range days {
				if day[d].GreaterThan(maxDayHours) {
					fail(lastDay[d], "hours", ErrTooManyHours, "")
				}
			}
			for _, dk := range kinds {
				if kind[dk].IsNegative() {
					fail(lastKind[dk], "hours", ErrInvalid, "takes back more hours than were recorded")
				}
			}
			return probs
		})
	if len(probs) > 0 {
		return probs
	}
	if err := tx.AddTimeEntries(ctx, es); err != nil {
		return []problem{{0, err}}
	}
	return nil
}

func minDate(a, b date.Date) date.Date {
	if b.Before(a) {
		return b
	}
	return a
}

func maxDate(a, b date.Date) date.Date {
	if b.After(a) {
		return b
	}
	return a
}

// RecordAbsences records absences, all or none. Besides Absence.Validate it
// checks that the employee exists (ErrNotFound) and is employed on every
// day (ErrInvalid), that the absences do not overlap each other or recorded
// ones, and that no day of full absence has time recorded (both ErrOverlap;
// see Absence for half days).
func (r *Records) RecordAbsences(ctx context.Context, absences ...Absence) error {
	as, err := r.prepareAbsences(absences)
	if err != nil {
		return err
	}
	return r.store.UpdateHR(ctx, func(tx Tx) error {
		if probs := writeAbsences(ctx, tx, as); len(probs) > 0 {
			return probs[0].err
		}
		return nil
	})
}

func (r *Records) prepareAbsences(absences []Absence) ([]Absence, error) {
	now := r.stamp()
	as := slices.Clone(absences)
	for i := range as {
		if as[i].To.IsZero() {
			as[i].To = as[i].From
		}
		as[i].RecordedAt = now
		if err := as[i].Validate(); err != nil {
			return nil, err
		}
	}
	return as, nil
}

func writeAbsences(ctx context.Context, tx Tx, as []Absence) []problem {
	probs := byEmployeeDays(ctx, tx, "absence", len(as),
		func(i int) (string, date.Date, date.Date) { return as[i].Employee, as[i].From, as[i].To },
		func(emp Employee, idx []int, times []TimeEntry, old []Absence) (probs []problem) {
			halves := map[date.Date]int{}
			halfDays(old, halves)
			worked := map[date.Date]decimal.Decimal{}
			for _, t := range times {
				worked[t.Date] = worked[t.Date].Add(t.Hours)
			}
			fail := func(i int, field string, sentinel error, reason string) {
				probs = append(probs, problem{i, withNumber(fieldErr("absence", field, sentinel, reason), emp.PersonnelNumber)})
			}
		next:
			for _, i := range idx {
				a := as[i]
				if !emp.Employed(a.From) || !emp.Employed(a.To) {
					fail(i, "from", ErrInvalid, "not employed on every day")
					continue
				}
				n := 2
				if a.HalfDay {
					n = 1
				}
				for d := a.From; !d.After(a.To); d = d.AddDays(1) {
					if halves[d]+n > 2 {
						fail(i, "from", ErrOverlap, "overlaps another absence")
						continue next
					}
					if halves[d]+n == 2 && worked[d].IsPositive() {
						fail(i, "from", ErrOverlap, "time is recorded on a day of absence")
						continue next
					}
				}
				halfDays([]Absence{a}, halves)
			}
			return probs
		})
	if len(probs) > 0 {
		return probs
	}
	if err := tx.AddAbsences(ctx, as); err != nil {
		return []problem{{0, err}}
	}
	return nil
}

// AddOneTimeItem records a one-time item and returns it as stored. If the
// employee has an item with the same Key and the same payload (all fields
// but RecordedAt), it records nothing and returns that item; with another
// payload it fails with ErrDuplicate. Other errors: OneTimeItem.Validate,
// ErrUnknownCurrency, ErrNotFound for an unknown employee.
func (r *Records) AddOneTimeItem(ctx context.Context, it OneTimeItem) (OneTimeItem, error) {
	it.RecordedAt = r.stamp()
	if err := it.Validate(); err != nil {
		return OneTimeItem{}, err
	}
	if err := r.checkCurrency("item", "currency", it.Amount); err != nil {
		return OneTimeItem{}, err
	}
	out := it
	err := r.store.UpdateHR(ctx, func(tx Tx) error {
		emp, err := tx.Employee(ctx, it.Employee)
		if err != nil {
			return fmt.Errorf("hr: item: employee: %w", err)
		}
		old, err := tx.OneTimeItem(ctx, it.Employee, it.Key)
		switch {
		case err == nil:
			same := old
			same.RecordedAt = it.RecordedAt
			if same != it {
				return withNumber(fieldErr("item", "key", ErrDuplicate, "used with another payload"), emp.PersonnelNumber)
			}
			out = old
			return nil
		case !errors.Is(err, ErrNotFound):
			return err
		}
		return tx.AddOneTimeItem(ctx, it)
	})
	if err != nil {
		return OneTimeItem{}, err
	}
	return out, nil
}

// TimeEntries returns the employee's time entries dated from from to to
// (inclusive; zero bounds are open), ordered by date, kind and recording
// time.
func (r *Records) TimeEntries(ctx context.Context, employee string, from, to date.Date) ([]TimeEntry, error) {
	var es []TimeEntry
	err := r.store.ViewHR(ctx, func(tx ReadTx) (err error) { es, err = tx.TimeEntries(ctx, employee, from, to); return err })
	es = slices.Clone(es)
	sortTime(es)
	return es, err
}

func sortTime(es []TimeEntry) {
	slices.SortStableFunc(es, func(a, b TimeEntry) int {
		return cmp.Or(strings.Compare(a.Employee, b.Employee), a.Date.Compare(b.Date), strings.Compare(string(a.Kind), string(b.Kind)),
			a.RecordedAt.Compare(b.RecordedAt), a.Hours.Cmp(b.Hours))
	})
}

// Absences returns the employee's absences sharing a day with from–to
// (inclusive; zero bounds are open), ordered by first day.
func (r *Records) Absences(ctx context.Context, employee string, from, to date.Date) ([]Absence, error) {
	var as []Absence
	err := r.store.ViewHR(ctx, func(tx ReadTx) (err error) { as, err = tx.Absences(ctx, employee, from, to); return err })
	as = slices.Clone(as)
	sortAbsences(as)
	return as, err
}

func sortAbsences(as []Absence) {
	slices.SortStableFunc(as, func(a, b Absence) int {
		return cmp.Or(strings.Compare(a.Employee, b.Employee), a.From.Compare(b.From), a.To.Compare(b.To),
			strings.Compare(string(a.Kind), string(b.Kind)), a.RecordedAt.Compare(b.RecordedAt))
	})
}

// OneTimeItems returns the employee's one-time items dated from from to to
// (inclusive; zero bounds are open), ordered by date and key: the items of
// a pay period when from and to are its first and last day.
func (r *Records) OneTimeItems(ctx context.Context, employee string, from, to date.Date) ([]OneTimeItem, error) {
	var its []OneTimeItem
	err := r.store.ViewHR(ctx, func(tx ReadTx) (err error) { its, err = tx.OneTimeItems(ctx, employee, from, to); return err })
	its = slices.Clone(its)
	slices.SortFunc(its, func(a, b OneTimeItem) int {
		return cmp.Or(a.Date.Compare(b.Date), strings.Compare(a.Key, b.Key))
	})
	return its, err
}
