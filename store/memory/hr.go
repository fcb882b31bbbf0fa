package memory

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
)

var (
	_ hr.Store = (*Store)(nil)
	_ hr.Tx    = hrTx{}
)

// errHRReadOnly refuses a write through the transaction of ViewHR.
var errHRReadOnly = fmt.Errorf("memory: %w", hr.ErrReadOnly)

// hrData holds the HR records: per employee, every record appended to it.
type hrData struct {
	emps     map[string]*hrEmployee // by employee ID
	byNumber map[numberKey]string   // (employer, personnel number) → employee ID
	employer map[string][]string    // employer → employee IDs, in order of hire
}

type numberKey struct{ employer, number string }

type hrEmployee struct {
	versions  []hr.Employee // by Version, from 1
	contracts []hr.Contract
	taxes     []hr.TaxProfile
	times     []hr.TimeEntry
	absences  []hr.Absence
	items     []hr.OneTimeItem
	itemKeys  map[string]int // key → index in items
}

func newHRData() *hrData {
	return &hrData{emps: map[string]*hrEmployee{}, byNumber: map[numberKey]string{}, employer: map[string][]string{}}
}

// UpdateHR implements hr.Store. It shares the store's one write lock and
// undo log with Update.
func (s *Store) UpdateHR(ctx context.Context, fn func(hr.Tx) error) error {
	return s.write(ctx, func(t *tx) error { return fn(hrTx{t}) })
}

// ViewHR implements hr.Store.
func (s *Store) ViewHR(ctx context.Context, fn func(hr.ReadTx) error) error {
	return s.view(ctx, func(t *tx) error { return fn(hrTx{t}) })
}

// hrTx is a transaction on the HR records of a Store.
type hrTx struct{ t *tx }

func (x hrTx) data() *hrData { return x.t.s.hr }

func (x hrTx) emp(id string) (*hrEmployee, error) {
	e, ok := x.data().emps[id]
	if !ok {
		return nil, fmt.Errorf("memory: employee: %w", hr.ErrNotFound)
	}
	return e, nil
}

func (x hrTx) Employee(_ context.Context, id string) (hr.Employee, error) {
	e, err := x.emp(id)
	if err != nil {
		return hr.Employee{}, err
	}
	return e.versions[len(e.versions)-1], nil
}

func (x hrTx) EmployeeByNumber(ctx context.Context, employer, number string) (hr.Employee, error) {
	id, ok := x.data().byNumber[numberKey{employer, number}]
	if !ok {
		return hr.Employee{}, fmt.Errorf("memory: employee: %w", hr.ErrNotFound)
	}
	return x.Employee(ctx, id)
}

func (x hrTx) Employees(_ context.Context, employer string) ([]hr.Employee, error) {
	ids := x.data().employer[employer]
	out := make([]hr.Employee, 0, len(ids))
	for _, id := range ids {
		vs := x.data().emps[id].versions
		out = append(out, vs[len(vs)-1])
	}
	return out, nil
}

func (x hrTx) EmployeeVersions(_ context.Context, id string) ([]hr.Employee, error) {
	e, ok := x.data().emps[id]
	if !ok {
		return nil, nil
	}
	return slices.Clone(e.versions), nil
}

func (x hrTx) Contracts(_ context.Context, employee string) ([]hr.Contract, error) {
	e, ok := x.data().emps[employee]
	if !ok {
		return nil, nil
	}
	return slices.Clone(e.contracts), nil
}

func (x hrTx) TaxProfiles(_ context.Context, employee string) ([]hr.TaxProfile, error) {
	e, ok := x.data().emps[employee]
	if !ok {
		return nil, nil
	}
	return slices.Clone(e.taxes), nil
}

// inRange reports whether d lies within from–to, zero bounds being open.
func inRange(d, from, to date.Date) bool {
	return (from.IsZero() || !d.Before(from)) && (to.IsZero() || !d.After(to))
}

func (x hrTx) TimeEntries(_ context.Context, employee string, from, to date.Date) ([]hr.TimeEntry, error) {
	e, ok := x.data().emps[employee]
	if !ok {
		return nil, nil
	}
	var out []hr.TimeEntry
	for _, te := range e.times {
		if inRange(te.Date, from, to) {
			out = append(out, te)
		}
	}
	return out, nil
}

func (x hrTx) Absences(_ context.Context, employee string, from, to date.Date) ([]hr.Absence, error) {
	e, ok := x.data().emps[employee]
	if !ok {
		return nil, nil
	}
	var out []hr.Absence
	for _, a := range e.absences {
		if (to.IsZero() || !a.From.After(to)) && (from.IsZero() || !a.To.Before(from)) {
			out = append(out, a)
		}
	}
	return out, nil
}

func (x hrTx) OneTimeItems(_ context.Context, employee string, from, to date.Date) ([]hr.OneTimeItem, error) {
	e, ok := x.data().emps[employee]
	if !ok {
		return nil, nil
	}
	var out []hr.OneTimeItem
	for _, it := range e.items {
		if inRange(it.Date, from, to) {
			out = append(out, it)
		}
	}
	return out, nil
}

func (x hrTx) OneTimeItem(_ context.Context, employee, key string) (hr.OneTimeItem, error) {
	if e, ok := x.data().emps[employee]; ok {
		if i, ok := e.itemKeys[key]; ok {
			return e.items[i], nil
		}
	}
	return hr.OneTimeItem{}, fmt.Errorf("memory: item: %w", hr.ErrNotFound)
}

func (x hrTx) AddEmployee(_ context.Context, e hr.Employee) error {
	if x.t.ro {
		return errHRReadOnly
	}
	d := x.data()
	cur, exists := d.emps[e.ID]
	switch {
	case !exists && e.Version != 1:
		return fmt.Errorf("memory: employee version %d: %w", e.Version, hr.ErrNotFound)
	case exists && slices.ContainsFunc(cur.versions, func(v hr.Employee) bool { return v.Version == e.Version }):
		return fmt.Errorf("memory: employee version %d: %w", e.Version, hr.ErrDuplicate)
	}
	if !exists {
		key := numberKey{e.Employer, e.PersonnelNumber}
		if _, taken := d.byNumber[key]; taken {
			return fmt.Errorf("memory: employee %s: %w", e.PersonnelNumber, hr.ErrDuplicate)
		}
		d.emps[e.ID] = &hrEmployee{versions: []hr.Employee{e}, itemKeys: map[string]int{}}
		d.byNumber[key] = e.ID
		d.employer[e.Employer] = append(d.employer[e.Employer], e.ID)
		x.t.onUndo(func() {
			delete(d.emps, e.ID)
			delete(d.byNumber, key)
			ids := d.employer[e.Employer]
			d.employer[e.Employer] = ids[:len(ids)-1]
		})
		return nil
	}
	// versions stay sorted by Version, so the last one is the latest.
	old := cur.versions
	i, _ := slices.BinarySearchFunc(old, e.Version, func(v hr.Employee, n int) int { return v.Version - n })
	cur.versions = slices.Insert(slices.Clone(old), i, e)
	x.t.onUndo(func() { cur.versions = old })
	return nil
}

// record returns the records of an existing employee for appending, or
// an error.
func (x hrTx) record(id string) (*hrEmployee, error) {
	if x.t.ro {
		return nil, errHRReadOnly
	}
	return x.emp(id)
}

func (x hrTx) AddContract(_ context.Context, c hr.Contract) error {
	e, err := x.record(c.Employee)
	if err != nil {
		return err
	}
	for _, o := range e.contracts {
		if o.Seq == c.Seq {
			return fmt.Errorf("memory: contract version %d: %w", c.Seq, hr.ErrDuplicate)
		}
	}
	n := len(e.contracts)
	e.contracts = append(e.contracts, c.Clone())
	x.t.onUndo(func() { e.contracts = e.contracts[:n] })
	return nil
}

func (x hrTx) AddTaxProfile(_ context.Context, p hr.TaxProfile) error {
	e, err := x.record(p.Employee)
	if err != nil {
		return err
	}
	for _, o := range e.taxes {
		if o.Seq == p.Seq {
			return fmt.Errorf("memory: tax profile version %d: %w", p.Seq, hr.ErrDuplicate)
		}
	}
	n := len(e.taxes)
	p.Extra = maps.Clone(p.Extra)
	e.taxes = append(e.taxes, p)
	x.t.onUndo(func() { e.taxes = e.taxes[:n] })
	return nil
}

func (x hrTx) AddTimeEntries(_ context.Context, entries []hr.TimeEntry) error {
	if x.t.ro {
		return errHRReadOnly
	}
	for _, te := range entries { // check all first: a failed call adds nothing
		if _, err := x.emp(te.Employee); err != nil {
			return err
		}
	}
	for _, te := range entries {
		e := x.data().emps[te.Employee]
		n := len(e.times)
		e.times = append(e.times, te)
		x.t.onUndo(func() { e.times = e.times[:n] })
	}
	return nil
}

func (x hrTx) AddAbsences(_ context.Context, absences []hr.Absence) error {
	if x.t.ro {
		return errHRReadOnly
	}
	for _, a := range absences {
		if _, err := x.emp(a.Employee); err != nil {
			return err
		}
	}
	for _, a := range absences {
		e := x.data().emps[a.Employee]
		n := len(e.absences)
		e.absences = append(e.absences, a)
		x.t.onUndo(func() { e.absences = e.absences[:n] })
	}
	return nil
}

func (x hrTx) AddOneTimeItem(_ context.Context, it hr.OneTimeItem) error {
	e, err := x.record(it.Employee)
	if err != nil {
		return err
	}
	if _, dup := e.itemKeys[it.Key]; dup {
		return fmt.Errorf("memory: item: %w", hr.ErrDuplicate)
	}
	n := len(e.items)
	e.items = append(e.items, it)
	e.itemKeys[it.Key] = n
	x.t.onUndo(func() { e.items = e.items[:n]; delete(e.itemKeys, it.Key) })
	return nil
}
