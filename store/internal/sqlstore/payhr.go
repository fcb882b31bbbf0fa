package sqlstore

import (
	"context"
	"database/sql"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
)

var _ hr.ReadTx = (*payHR)(nil)

// bulkAfter is how many reads of single employees' records of one
// employer a payHR answers one by one before it loads the records of all
// the employer's employees at once.
const bulkAfter = 16

// payHR is the HR view of a payroll transaction, read-only. A pay run
// reads the records of many employees of one employer, one employee at a
// time: a query per employee and kind of record, tens of thousands of
// round trips for a large run. After Employees(employer), or after
// bulkAfter reads of employees of one employer, payHR loads the records
// of all the employer's employees with one query per kind of record (and
// per date range for time, absences and one-time items) and answers from
// them until the transaction ends. In a read-write transaction it first
// locks all the employer's employee rows (one statement), as the
// one-by-one reads would lock each: no other transaction changes them
// until this one ends, and nothing writes HR records through a payroll
// transaction, so what it loaded stays true.
type payHR struct {
	x *hrTx
	q *payQueries
	// employer holds the employer of each employee seen.
	employer map[string]string
	// reads counts the single reads per employer; bulk holds the loaded
	// employers.
	reads map[string]int
	bulk  map[string]*employerRecords
}

// employerRecords are the HR records of the employees of one employer,
// by employee ID.
type employerRecords struct {
	versions  map[string][]hr.Employee
	contracts map[string][]hr.Contract
	profiles  map[string][]hr.TaxProfile
	time      map[[2]string]map[string][]hr.TimeEntry
	absences  map[[2]string]map[string][]hr.Absence
	items     map[[2]string]map[string][]hr.OneTimeItem
}

func (p *payHR) see(es ...hr.Employee) {
	if p.employer == nil {
		p.employer = make(map[string]string, len(es))
	}
	for i := range es {
		p.employer[es[i].ID] = es[i].Employer
	}
}

// learn records the employer of an employee read alone and counts the read;
// the read after bulkAfter of them loads the employer's records, so that
// reads of its other employees, whose employer is not known yet, find them.
func (p *payHR) learn(ctx context.Context, e hr.Employee) error {
	p.see(e)
	if p.bulk[e.Employer] != nil {
		return nil
	}
	if p.reads == nil {
		p.reads = map[string]int{}
	}
	if p.reads[e.Employer]++; p.reads[e.Employer] <= bulkAfter {
		return nil
	}
	_, err := p.load(ctx, e.Employer)
	return err
}

// records returns the loaded records of the employee's employer, loading
// them if the employer has been read often enough; nil to read the
// employee alone.
func (p *payHR) records(ctx context.Context, employee string) (*employerRecords, error) {
	er, ok := p.employer[employee]
	if !ok {
		for er, r := range p.bulk { // an employee of a loaded employer not read yet
			if _, ok := r.versions[employee]; ok {
				p.employer[employee] = er
				return r, nil
			}
		}
		return nil, nil
	}
	if r := p.bulk[er]; r != nil {
		if _, ok := r.versions[employee]; !ok {
			return nil, nil // hired since: read alone
		}
		return r, nil
	}
	if p.reads == nil {
		p.reads = map[string]int{}
	}
	if p.reads[er]++; p.reads[er] <= bulkAfter {
		return nil, nil
	}
	r, err := p.load(ctx, er)
	if err != nil {
		return nil, err
	}
	if _, ok := r.versions[employee]; !ok {
		return nil, nil
	}
	return r, nil
}

// load locks (in a read-write transaction, where the dialect locks rows)
// and reads the employees, contracts and tax profiles of employer.
func (p *payHR) load(ctx context.Context, employer string) (*employerRecords, error) {
	x := p.x
	if !x.t.readOnly && x.t.s.d.ForUpdate != "" {
		err := x.query(ctx, "lock employees", p.q.lockEmployer, []any{employer}, func(rows *sql.Rows) error {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			if x.locked == nil {
				x.locked = map[string]bool{}
			}
			x.locked[id] = true
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	r := &employerRecords{versions: map[string][]hr.Employee{}, contracts: map[string][]hr.Contract{},
		profiles: map[string][]hr.TaxProfile{}}
	vs, err := x.employees(ctx, p.q.empVersions, employer)
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		r.versions[v.ID] = append(r.versions[v.ID], v)
	}
	cs, err := x.contracts(ctx, p.q.empContracts, employer)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		r.contracts[c.Employee] = append(r.contracts[c.Employee], c)
	}
	ps, err := x.taxProfiles(ctx, p.q.empTaxProfiles, employer)
	if err != nil {
		return nil, err
	}
	for _, tp := range ps {
		r.profiles[tp.Employee] = append(r.profiles[tp.Employee], tp)
	}
	if p.bulk == nil {
		p.bulk = map[string]*employerRecords{}
	}
	p.bulk[employer] = r
	return r, nil
}

// ranged returns the records of employee in the range key of m, loading
// those of all the employer's employees in the range with read.
func ranged[T any](m *map[[2]string]map[string][]T, key [2]string, employee string,
	read func() ([]T, error), of func(*T) string) ([]T, error) {
	if *m == nil {
		*m = map[[2]string]map[string][]T{}
	}
	byEmp, ok := (*m)[key]
	if !ok {
		all, err := read()
		if err != nil {
			return nil, err
		}
		byEmp = map[string][]T{}
		for i := range all {
			id := of(&all[i])
			byEmp[id] = append(byEmp[id], all[i])
		}
		(*m)[key] = byEmp
	}
	return byEmp[employee], nil
}

// Employee implements hr.ReadTx.
func (p *payHR) Employee(ctx context.Context, id string) (hr.Employee, error) {
	r, err := p.records(ctx, id)
	if err != nil {
		return hr.Employee{}, err
	}
	if r == nil {
		e, err := p.x.Employee(ctx, id)
		if err == nil {
			err = p.learn(ctx, e)
		}
		return e, err
	}
	vs := r.versions[id]
	if len(vs) == 0 {
		return hr.Employee{}, p.x.notFound("employee")
	}
	best := vs[0]
	for _, v := range vs[1:] {
		if v.Version > best.Version {
			best = v
		}
	}
	return best, nil
}

// EmployeeByNumber implements hr.ReadTx.
func (p *payHR) EmployeeByNumber(ctx context.Context, employer, number string) (hr.Employee, error) {
	e, err := p.x.EmployeeByNumber(ctx, employer, number)
	if err == nil {
		p.see(e)
	}
	return e, err
}

// Employees implements hr.ReadTx. The next read of one of them loads the
// records of them all.
func (p *payHR) Employees(ctx context.Context, employer string) ([]hr.Employee, error) {
	es, err := p.x.Employees(ctx, employer)
	if err != nil {
		return nil, err
	}
	p.see(es...)
	if p.reads == nil {
		p.reads = map[string]int{}
	}
	p.reads[employer] = max(p.reads[employer], bulkAfter)
	return es, nil
}

// EmployeeVersions implements hr.ReadTx.
func (p *payHR) EmployeeVersions(ctx context.Context, id string) ([]hr.Employee, error) {
	r, err := p.records(ctx, id)
	if err != nil {
		return nil, err
	}
	if r == nil {
		vs, err := p.x.EmployeeVersions(ctx, id)
		if err == nil && len(vs) > 0 {
			err = p.learn(ctx, vs[0])
		}
		return vs, err
	}
	return r.versions[id], nil
}

// Contracts implements hr.ReadTx.
func (p *payHR) Contracts(ctx context.Context, employee string) ([]hr.Contract, error) {
	r, err := p.records(ctx, employee)
	if err != nil || r == nil {
		if err == nil {
			return p.x.Contracts(ctx, employee)
		}
		return nil, err
	}
	return r.contracts[employee], nil
}

// TaxProfiles implements hr.ReadTx.
func (p *payHR) TaxProfiles(ctx context.Context, employee string) ([]hr.TaxProfile, error) {
	r, err := p.records(ctx, employee)
	if err != nil || r == nil {
		if err == nil {
			return p.x.TaxProfiles(ctx, employee)
		}
		return nil, err
	}
	return r.profiles[employee], nil
}

// TimeEntries implements hr.ReadTx.
func (p *payHR) TimeEntries(ctx context.Context, employee string, from, to date.Date) ([]hr.TimeEntry, error) {
	r, err := p.records(ctx, employee)
	if err != nil || r == nil {
		if err == nil {
			return p.x.TimeEntries(ctx, employee, from, to)
		}
		return nil, err
	}
	lo, hi := bounds(from, to)
	return ranged(&r.time, [2]string{lo, hi}, employee, func() ([]hr.TimeEntry, error) {
		return p.x.timeEntries(ctx, p.q.empTime, p.employer[employee], lo, hi)
	}, func(e *hr.TimeEntry) string { return e.Employee })
}

// Absences implements hr.ReadTx.
func (p *payHR) Absences(ctx context.Context, employee string, from, to date.Date) ([]hr.Absence, error) {
	r, err := p.records(ctx, employee)
	if err != nil || r == nil {
		if err == nil {
			return p.x.Absences(ctx, employee, from, to)
		}
		return nil, err
	}
	lo, hi := bounds(from, to)
	return ranged(&r.absences, [2]string{lo, hi}, employee, func() ([]hr.Absence, error) {
		return p.x.absences(ctx, p.q.empAbsences, p.employer[employee], hi, lo)
	}, func(a *hr.Absence) string { return a.Employee })
}

// OneTimeItems implements hr.ReadTx.
func (p *payHR) OneTimeItems(ctx context.Context, employee string, from, to date.Date) ([]hr.OneTimeItem, error) {
	r, err := p.records(ctx, employee)
	if err != nil || r == nil {
		if err == nil {
			return p.x.OneTimeItems(ctx, employee, from, to)
		}
		return nil, err
	}
	lo, hi := bounds(from, to)
	return ranged(&r.items, [2]string{lo, hi}, employee, func() ([]hr.OneTimeItem, error) {
		return p.x.items(ctx, p.q.empItems, p.employer[employee], lo, hi)
	}, func(it *hr.OneTimeItem) string { return it.Employee })
}

// OneTimeItem implements hr.ReadTx.
func (p *payHR) OneTimeItem(ctx context.Context, employee, key string) (hr.OneTimeItem, error) {
	return p.x.OneTimeItem(ctx, employee, key)
}
