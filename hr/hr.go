package hr

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
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
	// PayCurrencies maps an employer (Employee.Employer, the ID of the
	// ledger book the employee is paid from) to the currency it pays in:
	// the book's currency, or the one payroll.Options.PayCurrencies names.
	// The amounts of contracts (and their pay items) and of one-time items
	// of its employees must be in it (ErrPayCurrency), so that a JPY salary
	// for a EUR employer is refused when it is entered, not when payroll
	// runs. hr does not read the ledger; an employer missing here is not
	// checked. Default: none.
	PayCurrencies map[string]money.Currency
}

// Records keeps the HR records of employees in a Store: master data,
// effective-dated contracts and tax profiles, time, absences and one-time
// items. It validates everything before the store is touched and never
// changes or deletes a record. Records is safe for concurrent use.
type Records struct {
	store  Store
	now    func() time.Time
	reg    *money.Registry
	payCur map[string]money.Currency
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
		r.payCur = maps.Clone(opts.PayCurrencies)
	}
	return r
}

// WithTx returns Records that work in s, a store bound to the caller's own
// transaction (sqlite.Store.InTx, postgres.Store.InTx), with r's options:
// a hire or a contract change is written together with the application's
// own rows, all or nothing. The caller commits or rolls back.
func (r *Records) WithTx(s Store) *Records {
	c := *r
	c.store = s
	return &c
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

// checkPay returns a *FieldError wrapping ErrPayCurrency if a is not in
// the currency employer pays in, if that is known.
func (r *Records) checkPay(rec, field, employer string, a money.Amount) error {
	if want, ok := r.payCur[employer]; ok && a.Currency() != want {
		return fieldErr(rec, field, ErrPayCurrency, "the employer pays in "+want.Code())
	}
	return nil
}

// checkContractPay checks the currencies of c for the employee's employer.
func (r *Records) checkContractPay(e *Employee, c *Contract) error {
	if err := r.checkPay("contract", "currency", e.Employer, c.Amount); err != nil {
		return err
	}
	for i, it := range c.Items {
		if want, ok := r.payCur[e.Employer]; ok && it.Amount.Currency() != want {
			return fieldErr("contract", "items", ErrPayCurrency, fmt.Sprintf("item %d: the employer pays in %s", i+1, want.Code()))
		}
	}
	return nil
}

// ---- employees ----

// Hire records a new employee, version 1, and returns it as stored. An
// empty ID becomes Employer + "/" + PersonnelNumber; text and the bank
// account are normalized (see Employee.Normalize). It fails with a *FieldError
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
		e.RecordedAt = r.stamp() // a new employee: no one else writes for it
		return tx.AddEmployee(ctx, e)
	})
	if err != nil {
		return Employee{}, withNumber(err, e.number())
	}
	return e, nil
}

// prepareHire gives e the ID, normalized form (Employee.Normalize) and
// version Hire records; the recording time is taken in the transaction.
func (r *Records) prepareHire(e Employee) Employee {
	if e.ID == "" && e.Employer != "" && e.PersonnelNumber != "" {
		e.ID = defaultID(&e)
	}
	e = e.Normalize()
	e.Version = 1
	e.RecordedAt = time.Time{}
	return e
}

// defaultID returns the ID Hire gives an employee without one.
func defaultID(e *Employee) string { return e.Employer + "/" + e.PersonnelNumber }

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
// the latest version once normalized (Employee.Normalize: a name changed
// from NFC to NFD only is the same name), nothing is recorded and that
// version is returned.
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
		e = e.Normalize()
		e.Version, e.RecordedAt = cur.Version, cur.RecordedAt
		if e == cur.Normalize() { // stored before Records normalized text, perhaps
			out = cur
			return nil
		}
		// Stamped under the lock (the read of cur), and never before the
		// version it follows, whatever the clock says.
		e.Version, e.RecordedAt = cur.Version+1, later(r.stamp(), cur.RecordedAt)
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
//
// The recording time is taken inside the store's transaction, once it
// holds the employees (see Store): of two concurrent changes of one
// employee, the one committed later has the later RecordedAt and the
// higher Seq. It is never earlier than that of a version stored before,
// so a clock that steps back cannot reorder the history.
func (r *Records) SetContracts(ctx context.Context, cs ...Contract) ([]Contract, error) {
	out := make([]Contract, len(cs))
	for i, c := range cs {
		c = c.Clone()
		c.RecordedAt, c.Seq = time.Time{}, 0
		if err := r.checkContract(&c); err != nil {
			return nil, err
		}
		out[i] = c
	}
	err := r.store.UpdateHR(ctx, func(tx Tx) error {
		if probs, _ := writeContracts(r.newChange(ctx, tx, false), out); len(probs) > 0 {
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
// numbering and stamping them. It returns every problem found, and adds
// nothing if there are any; and how many of them were stored already (an
// import's; see writeVersions).
func writeContracts(c *change, cs []Contract) ([]problem, int) {
	return writeVersions(c, "contract", cs,
		func(c *Contract) (string, *Effective) { return c.Employee, &c.Effective },
		c.tx.Contracts, c.tx.AddContract, contractDiff, c.r.checkContractPay)
}

// writeVersions is writeContracts for any effective-dated record. In an
// import, a version stored already (see storedVersion) is left out and
// counted, one that differs from the stored ones is a conflict.
func writeVersions[V Versioned](c *change, rec string, vs []V,
	fields func(*V) (string, *Effective),
	list func(context.Context, string) ([]V, error),
	add func(context.Context, V) error,
	diff func(old, v *V) []string,
	check func(e *Employee, v *V) error, // what else a version needs of its employee, or nil
) ([]problem, int) {
	var probs []problem
	order, byEmp := groupByEmployee(len(vs), func(i int) string { emp, _ := fields(&vs[i]); return emp })
	adds := make([]bool, len(vs))
	existing := 0
	var latest time.Time // of the stored versions
	for _, emp := range order {
		idx := byEmp[emp]
		e, err := c.tx.Employee(c.ctx, emp)
		if err != nil {
			for _, i := range idx {
				probs = append(probs, problem{i, fmt.Errorf("hr: %s: employee: %w", rec, err)})
			}
			continue
		}
		old, err := list(c.ctx, emp)
		if err != nil {
			return append(probs, problem{idx[0], err}), 0
		}
		var seq int64
		for _, o := range old {
			seq = max(seq, o.effective().Seq)
			latest = later(latest, o.effective().RecordedAt)
		}
		var spans []Span[V]
		if c.imported {
			spans = Timeline(old, time.Time{})
		}
		fail := func(i int, err error) { probs = append(probs, problem{i, withNumber(err, e.PersonnelNumber)}) }
		var effs []Effective
		for _, i := range idx {
			_, eff := fields(&vs[i])
			overlaps := slices.ContainsFunc(effs, eff.overlaps)
			effs = append(effs, *eff)
			if overlaps {
				fail(i, fieldErr(rec, "valid_from", ErrOverlap, "versions of one change overlap"))
				continue
			}
			if c.imported {
				state, err := storedVersion(rec, spans, &vs[i], *eff, diff)
				if state == storedSame {
					existing++
					continue
				}
				if state == storedOther {
					fail(i, err)
					continue
				}
			}
			if eff.ValidFrom.Before(e.HireDate) {
				fail(i, fieldErr(rec, "valid_from", ErrInvalid, "before the hire date"))
				continue
			}
			if check != nil {
				if err := check(&e, &vs[i]); err != nil {
					fail(i, err)
					continue
				}
			}
			seq++
			eff.Seq, adds[i] = seq, true
		}
	}
	if len(probs) > 0 {
		return probs, existing
	}
	now := later(c.now(), latest)
	for i := range vs {
		if !adds[i] {
			continue
		}
		_, eff := fields(&vs[i])
		eff.RecordedAt = now
		if err := add(c.ctx, vs[i]); err != nil {
			return []problem{{i, err}}, existing
		}
	}
	return nil, existing
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
		c.Effective = Effective{ValidFrom: from, ValidTo: span.To}
		if err := r.checkContract(&c); err != nil {
			return err
		}
		cs := []Contract{c}
		if probs, _ := writeContracts(r.newChange(ctx, tx, false), cs); len(probs) > 0 {
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
	out := make([]TaxProfile, len(ps))
	for i, p := range ps {
		p = p.Clone()
		p.RecordedAt, p.Seq = time.Time{}, 0
		if err := p.Validate(); err != nil {
			return nil, err
		}
		if isUS(p.Jurisdiction) {
			p.US.normalize()
		}
		out[i] = p
	}
	err := r.store.UpdateHR(ctx, func(tx Tx) error {
		if probs, _ := writeTaxProfiles(r.newChange(ctx, tx, false), out); len(probs) > 0 {
			return probs[0].err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// writeTaxProfiles is writeContracts for tax profiles.
func writeTaxProfiles(c *change, ps []TaxProfile) ([]problem, int) {
	return writeVersions(c, "tax profile", ps,
		func(p *TaxProfile) (string, *Effective) { return p.Employee, &p.Effective },
		c.tx.TaxProfiles, c.tx.AddTaxProfile, taxDiff, nil)
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
// (ErrOverlap; see Absence). The entries are stamped with one recording
// time, taken in the store's transaction as SetContracts does.
func (r *Records) RecordTime(ctx context.Context, entries ...TimeEntry) error {
	es, err := prepareTime(entries)
	if err != nil {
		return err
	}
	return r.store.UpdateHR(ctx, func(tx Tx) error {
		if probs, _ := writeTime(r.newChange(ctx, tx, false), es); len(probs) > 0 {
			return probs[0].err
		}
		return nil
	})
}

func prepareTime(entries []TimeEntry) ([]TimeEntry, error) {
	es := slices.Clone(entries)
	for i := range es {
		es[i].RecordedAt = time.Time{}
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
func byEmployeeDays(c *change, rec string, n int, record func(i int) (employee string, first, last date.Date),
	check func(emp Employee, idx []int, time []TimeEntry, absences []Absence) []problem) []problem {
	var probs []problem
	order, by := groupByEmployee(n, func(i int) string { id, _, _ := record(i); return id })
	for _, id := range order {
		idx := by[id]
		emp, err := c.tx.Employee(c.ctx, id)
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
		times, err := c.tx.TimeEntries(c.ctx, id, from, to)
		if err != nil {
			return append(probs, problem{idx[0], err})
		}
		abs, err := c.tx.Absences(c.ctx, id, from, to)
		if err != nil {
			return append(probs, problem{idx[0], err})
		}
		probs = append(probs, check(emp, idx, times, abs)...)
	}
	return probs
}

// dayKind is the identity of time entries: an employee's hours of one kind
// on one day.
type dayKind struct {
	d date.Date
	k HourKind
}

// writeTime checks time entries against the store and each other and adds
// them, stamped, if there is no problem; it returns the problems and how
// many entries were stored already.
//
// In an import, the entries of one employee, day and kind are one unit
// (time entries have no identity of their own: two equal shifts on one day
// are two entries): if the store holds entries for the unit, the import's
// entries for it must be the same hours, as often, in any order, and are
// then stored already; otherwise they are a conflict.
func writeTime(c *change, es []TimeEntry) ([]problem, int) {
	skip := make([]bool, len(es))
	existing := 0
	probs := byEmployeeDays(c, "time", len(es),
		func(i int) (string, date.Date, date.Date) { return es[i].Employee, es[i].Date, es[i].Date },
		func(emp Employee, idx []int, old []TimeEntry, abs []Absence) (probs []problem) {
			fail := func(i int, field string, sentinel error, reason string) {
				probs = append(probs, problem{i, withNumber(fieldErr("time", field, sentinel, reason), emp.PersonnelNumber)})
			}
			if c.imported {
				existing += storedTime(idx, es, old, skip, fail)
			}
			halves := map[date.Date]int{}
			halfDays(abs, halves)
			day, kind := map[date.Date]decimal.Decimal{}, map[dayKind]decimal.Decimal{}
			for _, o := range old {
				day[o.Date] = day[o.Date].Add(o.Hours)
				kind[dayKind{o.Date, o.Kind}] = kind[dayKind{o.Date, o.Kind}].Add(o.Hours)
			}
			// The entries of one call go in together, so the day's limits hold
			// for the result, whatever their order (an export lists a
			// correction before the hours it corrects): check the sums after
			// all of them, blaming each day's last entry.
			lastDay, lastKind := map[date.Date]int{}, map[dayKind]int{}
			var days []date.Date
			var kinds []dayKind
			for _, i := range idx {
				if skip[i] {
					continue
				}
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
		return probs, existing
	}
	add := fresh(es, skip, c.now(), func(e *TimeEntry, t time.Time) { e.RecordedAt = t })
	if len(add) > 0 {
		if err := c.tx.AddTimeEntries(c.ctx, add); err != nil {
			return []problem{{0, err}}, existing
		}
	}
	return nil, existing
}

// storedTime compares the imported entries idx of one employee with the
// employee's stored entries old, unit by unit (day and kind), marks in skip
// the entries that are stored already or conflict (reported with fail),
// and returns how many are stored already.
func storedTime(idx []int, es []TimeEntry, old []TimeEntry, skip []bool, fail func(i int, field string, sentinel error, reason string)) int {
	stored := map[dayKind][]decimal.Decimal{}
	for _, o := range old {
		dk := dayKind{o.Date, o.Kind}
		stored[dk] = append(stored[dk], o.Hours)
	}
	units, order := map[dayKind][]int{}, []dayKind(nil)
	for _, i := range idx {
		dk := dayKind{es[i].Date, es[i].Kind}
		if _, ok := units[dk]; !ok {
			order = append(order, dk)
		}
		units[dk] = append(units[dk], i)
	}
	existing := 0
	for _, dk := range order {
		st, rows := stored[dk], units[dk]
		if len(st) == 0 {
			continue
		}
		hours := make([]decimal.Decimal, len(rows))
		for j, i := range rows {
			hours[j] = es[i].Hours
		}
		same := sameMultiset(st, hours, decimal.Decimal.Cmp)
		for _, i := range rows {
			skip[i] = true
			if same {
				existing++
			} else {
				fail(i, "hours", ErrConflict, fmt.Sprintf("the hours of this day and kind differ from those stored (%s stored, %d imported)",
					entries(len(st)), len(rows)))
			}
		}
	}
	return existing
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
// see Absence for half days). They are stamped as RecordTime's entries are.
func (r *Records) RecordAbsences(ctx context.Context, absences ...Absence) error {
	as, err := prepareAbsences(absences)
	if err != nil {
		return err
	}
	return r.store.UpdateHR(ctx, func(tx Tx) error {
		if probs, _ := writeAbsences(r.newChange(ctx, tx, false), as); len(probs) > 0 {
			return probs[0].err
		}
		return nil
	})
}

func prepareAbsences(absences []Absence) ([]Absence, error) {
	as := slices.Clone(absences)
	for i := range as {
		if as[i].To.IsZero() {
			as[i].To = as[i].From
		}
		as[i].RecordedAt = time.Time{}
		if err := as[i].Validate(); err != nil {
			return nil, err
		}
	}
	return as, nil
}

// absenceDays is the identity of absences: an employee's days from–to, or
// the half day.
type absenceDays struct {
	from, to date.Date
	half     bool
}

// writeAbsences is writeTime for absences. In an import, the absences of
// one employee over the same days (or the same half day) are one unit: if
// the store holds absences for the unit, the import's must be of the same
// kinds, as often, and are then stored already; otherwise they are a
// conflict. An absence over other days that overlaps a stored one is
// ErrOverlap, as it is outside an import.
func writeAbsences(c *change, as []Absence) ([]problem, int) {
	skip := make([]bool, len(as))
	existing := 0
	probs := byEmployeeDays(c, "absence", len(as),
		func(i int) (string, date.Date, date.Date) { return as[i].Employee, as[i].From, as[i].To },
		func(emp Employee, idx []int, times []TimeEntry, old []Absence) (probs []problem) {
			fail := func(i int, field string, sentinel error, reason string) {
				probs = append(probs, problem{i, withNumber(fieldErr("absence", field, sentinel, reason), emp.PersonnelNumber)})
			}
			if c.imported {
				existing += storedAbsences(idx, as, old, skip, fail)
			}
			halves := map[date.Date]int{}
			halfDays(old, halves)
			worked := map[date.Date]decimal.Decimal{}
			for _, t := range times {
				worked[t.Date] = worked[t.Date].Add(t.Hours)
			}
		next:
			for _, i := range idx {
				if skip[i] {
					continue
				}
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
		return probs, existing
	}
	add := fresh(as, skip, c.now(), func(a *Absence, t time.Time) { a.RecordedAt = t })
	if len(add) > 0 {
		if err := c.tx.AddAbsences(c.ctx, add); err != nil {
			return []problem{{0, err}}, existing
		}
	}
	return nil, existing
}

// storedAbsences is storedTime for absences.
func storedAbsences(idx []int, as []Absence, old []Absence, skip []bool, fail func(i int, field string, sentinel error, reason string)) int {
	stored := map[absenceDays][]AbsenceKind{}
	for _, o := range old {
		k := absenceDays{o.From, o.To, o.HalfDay}
		stored[k] = append(stored[k], o.Kind)
	}
	units, order := map[absenceDays][]int{}, []absenceDays(nil)
	for _, i := range idx {
		k := absenceDays{as[i].From, as[i].To, as[i].HalfDay}
		if _, ok := units[k]; !ok {
			order = append(order, k)
		}
		units[k] = append(units[k], i)
	}
	existing := 0
	for _, k := range order {
		st, rows := stored[k], units[k]
		if len(st) == 0 {
			continue
		}
		kinds := make([]AbsenceKind, len(rows))
		for j, i := range rows {
			kinds[j] = as[i].Kind
		}
		same := sameMultiset(st, kinds, func(a, b AbsenceKind) int { return strings.Compare(string(a), string(b)) })
		for _, i := range rows {
			skip[i] = true
			if same {
				existing++
			} else {
				fail(i, "kind", ErrConflict, "differs from the absence stored for these days")
			}
		}
	}
	return existing
}

// AddOneTimeItem records a one-time item and returns it as stored. If the
// employee has an item with the same Key and the same payload (all fields
// but RecordedAt), it records nothing and returns that item; with another
// payload it fails with ErrDuplicate. Other errors: OneTimeItem.Validate,
// ErrUnknownCurrency, ErrNotFound for an unknown employee.
func (r *Records) AddOneTimeItem(ctx context.Context, it OneTimeItem) (OneTimeItem, error) {
	it.RecordedAt = time.Time{}
	if err := it.Validate(); err != nil {
		return OneTimeItem{}, err
	}
	if err := r.checkCurrency("item", "currency", it.Amount); err != nil {
		return OneTimeItem{}, err
	}
	var out OneTimeItem
	err := r.store.UpdateHR(ctx, func(tx Tx) error {
		emp, err := tx.Employee(ctx, it.Employee)
		if err != nil {
			return fmt.Errorf("hr: item: employee: %w", err)
		}
		if err := r.checkPay("item", "currency", emp.Employer, it.Amount); err != nil {
			return withNumber(err, emp.PersonnelNumber)
		}
		old, err := storedItem(ctx, tx, it)
		switch {
		case errors.Is(err, ErrConflict):
			return withNumber(fieldErr("item", "key", ErrDuplicate, "used with another payload"), emp.PersonnelNumber)
		case err != nil:
			return err
		case !old.RecordedAt.IsZero():
			out = old
			return nil
		}
		out = it
		out.RecordedAt = r.stamp() // under the lock of the read above
		return tx.AddOneTimeItem(ctx, out)
	})
	if err != nil {
		return OneTimeItem{}, err
	}
	return out, nil
}

// storedItem returns the employee's stored item with the key of it if it
// has the same payload, a zero item if there is none, and an error
// wrapping ErrConflict if it has another payload.
func storedItem(ctx context.Context, tx ReadTx, it OneTimeItem) (OneTimeItem, error) {
	old, err := tx.OneTimeItem(ctx, it.Employee, it.Key)
	if errors.Is(err, ErrNotFound) {
		return OneTimeItem{}, nil
	}
	if err != nil {
		return OneTimeItem{}, err
	}
	same := old
	same.RecordedAt = it.RecordedAt
	if same != it {
		return OneTimeItem{}, fieldErr("item", "key", ErrConflict, "used with another payload")
	}
	return old, nil
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

// fresh returns the records of rs not marked in skip (those stored already
// or refused), each stamped with the recording time now.
func fresh[T any](rs []T, skip []bool, now time.Time, stamp func(*T, time.Time)) []T {
	out := make([]T, 0, len(rs))
	for i := range rs {
		if !skip[i] {
			stamp(&rs[i], now)
			out = append(out, rs[i])
		}
	}
	return out
}
