package hr_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/store/memory"
)

// lockStore is a Store over memory that checks when recording times are
// taken. Its clock and the first read of each employee in a transaction
// (where a store that locks rows locks the employee) advance one logical
// clock; every record added must carry a time taken after the read of
// its employee in the same transaction, that is under the lock. Records
// of employees the transaction hires are exempt: no one else can write
// for them before it commits.
type lockStore struct {
	*memory.Store
	t      *testing.T
	tick   int64
	readAt map[string]int64 // employee ID → tick of its first read in the transaction
	hired  map[string]bool  // employees the transaction added as version 1
	inTx   bool
	checks int // records checked
}

var lockBase = time.Date(2026, 5, 10, 8, 0, 0, 0, time.UTC)

func (s *lockStore) now() time.Time {
	s.tick++
	return lockBase.Add(time.Duration(s.tick) * time.Microsecond)
}

func (s *lockStore) UpdateHR(ctx context.Context, fn func(hr.Tx) error) error {
	return s.Store.UpdateHR(ctx, func(tx hr.Tx) error {
		s.readAt, s.hired, s.inTx = map[string]int64{}, map[string]bool{}, true
		defer func() { s.inTx = false }()
		return fn(&lockTx{Tx: tx, s: s})
	})
}

type lockTx struct {
	hr.Tx
	s *lockStore
}

func (x *lockTx) read(id string) {
	if _, ok := x.s.readAt[id]; !ok {
		x.s.tick++
		x.s.readAt[id] = x.s.tick
	}
}

// check fails the test if at was taken outside a transaction or before
// the employee's first read in it.
func (x *lockTx) check(what, id string, at time.Time) {
	x.s.t.Helper()
	x.s.checks++
	if x.s.hired[id] {
		return
	}
	tick := int64(at.Sub(lockBase) / time.Microsecond)
	read, ok := x.s.readAt[id]
	switch {
	case !ok:
		x.s.t.Errorf("%s of %s added without reading the employee first", what, id)
	case tick <= read:
		x.s.t.Errorf("%s of %s stamped at tick %d, before the employee was read (locked) at tick %d", what, id, tick, read)
	}
}

func (x *lockTx) Employee(ctx context.Context, id string) (hr.Employee, error) {
	x.read(id)
	return x.Tx.Employee(ctx, id)
}

func (x *lockTx) EmployeeByNumber(ctx context.Context, employer, number string) (hr.Employee, error) {
	e, err := x.Tx.EmployeeByNumber(ctx, employer, number)
	if err == nil {
		x.read(e.ID)
	}
	return e, err
}

func (x *lockTx) EmployeeVersions(ctx context.Context, id string) ([]hr.Employee, error) {
	x.read(id)
	return x.Tx.EmployeeVersions(ctx, id)
}

func (x *lockTx) Contracts(ctx context.Context, id string) ([]hr.Contract, error) {
	x.read(id)
	return x.Tx.Contracts(ctx, id)
}

func (x *lockTx) TaxProfiles(ctx context.Context, id string) ([]hr.TaxProfile, error) {
	x.read(id)
	return x.Tx.TaxProfiles(ctx, id)
}

func (x *lockTx) TimeEntries(ctx context.Context, id string, from, to date.Date) ([]hr.TimeEntry, error) {
	x.read(id)
	return x.Tx.TimeEntries(ctx, id, from, to)
}

func (x *lockTx) Absences(ctx context.Context, id string, from, to date.Date) ([]hr.Absence, error) {
	x.read(id)
	return x.Tx.Absences(ctx, id, from, to)
}

func (x *lockTx) OneTimeItem(ctx context.Context, id, key string) (hr.OneTimeItem, error) {
	x.read(id)
	return x.Tx.OneTimeItem(ctx, id, key)
}

func (x *lockTx) AddEmployee(ctx context.Context, e hr.Employee) error {
	if e.Version == 1 {
		x.s.hired[e.ID] = true
	}
	x.check("employee version", e.ID, e.RecordedAt)
	return x.Tx.AddEmployee(ctx, e)
}

func (x *lockTx) AddContract(ctx context.Context, c hr.Contract) error {
	x.check("contract", c.Employee, c.RecordedAt)
	return x.Tx.AddContract(ctx, c)
}

func (x *lockTx) AddTaxProfile(ctx context.Context, p hr.TaxProfile) error {
	x.check("tax profile", p.Employee, p.RecordedAt)
	return x.Tx.AddTaxProfile(ctx, p)
}

func (x *lockTx) AddTimeEntries(ctx context.Context, es []hr.TimeEntry) error {
	for _, e := range es {
		x.check("time entry", e.Employee, e.RecordedAt)
	}
	return x.Tx.AddTimeEntries(ctx, es)
}

func (x *lockTx) AddAbsences(ctx context.Context, as []hr.Absence) error {
	for _, a := range as {
		x.check("absence", a.Employee, a.RecordedAt)
	}
	return x.Tx.AddAbsences(ctx, as)
}

func (x *lockTx) AddOneTimeItem(ctx context.Context, it hr.OneTimeItem) error {
	x.check("item", it.Employee, it.RecordedAt)
	return x.Tx.AddOneTimeItem(ctx, it)
}

// TestStampedUnderLock: every write of the Records takes its recording
// time inside the store's transaction, after reading each employee it
// writes for (issue 26, 3: taken before UpdateHR, a version committed
// later could carry an earlier time than one committed before it).
func TestStampedUnderLock(t *testing.T) {
	s := &lockStore{Store: memory.New(), t: t}
	r := hr.New(s, &hr.Options{Now: func() time.Time {
		if !s.inTx {
			t.Errorf("the clock was read outside UpdateHR")
		}
		return s.now()
	}})
	ctx := t.Context()
	e, err := r.Hire(ctx, pii())
	if err != nil {
		t.Fatal(err)
	}
	moved := e
	moved.Address.City = "Anderswo"
	csv := func(header string, rows ...string) *strings.Reader {
		return strings.NewReader(header + "\n" + strings.Join(rows, "\n") + "\n")
	}
	opts := &hr.ImportOptions{Employer: "acme"}
	steps := []struct {
		name string
		run  func() error
	}{
		{"UpdateEmployee", func() error { _, err := r.UpdateEmployee(ctx, moved); return err }},
		{"SetContracts", func() error { _, err := r.SetContracts(ctx, contract(e.ID, "2026-01-01", "4000.00")); return err }},
		{"ChangeContract", func() error {
			_, err := r.ChangeContract(ctx, e.ID, day("2026-07-01"), func(c *hr.Contract) { c.Amount = eur("4200.00") })
			return err
		}},
		{"SetTaxProfiles", func() error {
			_, err := r.SetTaxProfiles(ctx, hr.TaxProfile{Employee: e.ID, Effective: hr.Effective{ValidFrom: day("2026-01-01")},
				Jurisdiction: "DE", DE: hr.GermanTax{TaxClass: 1, HealthSupplement: dec("2.9"), State: "BY"}})
			return err
		}},
		{"RecordTime", func() error {
			return r.RecordTime(ctx, hr.TimeEntry{Employee: e.ID, Date: day("2026-03-02"), Kind: hr.Regular, Hours: dec("8")})
		}},
		{"RecordAbsences", func() error {
			return r.RecordAbsences(ctx, hr.Absence{Employee: e.ID, Kind: hr.Sick, From: day("2026-03-03")})
		}},
		{"AddOneTimeItem", func() error {
			_, err := r.AddOneTimeItem(ctx, hr.OneTimeItem{Employee: e.ID, Key: "b", Date: day("2026-03-01"), Type: hr.Bonus, Amount: eur("1.00")})
			return err
		}},
		{"ImportEmployees", func() error {
			_, err := r.ImportEmployees(ctx, csv("personnel_number,family_name,hire_date", "2001,Neu,2026-01-01"), opts)
			return err
		}},
		{"ImportContracts", func() error {
			_, err := r.ImportContracts(ctx, csv("personnel_number,valid_from,pay_type,amount,currency,frequency",
				"2001,2026-01-01,monthly,3000.00,EUR,monthly"), opts)
			return err
		}},
		{"ImportTaxProfiles", func() error {
			_, err := r.ImportTaxProfiles(ctx, csv("personnel_number,valid_from,jurisdiction,tax_class,state",
				"2001,2026-01-01,DE,1,BY"), opts)
			return err
		}},
		{"ImportTime", func() error {
			_, err := r.ImportTime(ctx, csv("personnel_number,date,kind,hours", "P-77,2026-03-04,regular,8", "2001,2026-03-04,regular,8"), opts)
			return err
		}},
		{"ImportAbsences", func() error {
			_, err := r.ImportAbsences(ctx, csv("personnel_number,kind,from", "P-77,vacation,2026-03-05"), opts)
			return err
		}},
		{"Import", func() error {
			_, err := r.Import(ctx, hr.Dataset{
				Employees: []hr.Employee{{Employer: "acme", PersonnelNumber: "2002", FamilyName: "Neu", HireDate: day("2026-01-01")}},
				Contracts: []hr.Contract{contract("acme/2002", "2026-01-01", "3100.00")},
				Time: []hr.TimeEntry{{Employee: e.ID, Date: day("2026-03-06"), Kind: hr.Regular, Hours: dec("7")},
					{Employee: "acme/2001", Date: day("2026-03-06"), Kind: hr.Regular, Hours: dec("7")}},
				Items: []hr.OneTimeItem{{Employee: "acme/2001", Key: "b", Date: day("2026-03-01"), Type: hr.Bonus, Amount: eur("1.00")}},
			})
			return err
		}},
		{"Terminate", func() error { _, err := r.Terminate(ctx, e.ID, day("2026-12-31")); return err }},
	}
	for _, st := range steps {
		before := s.checks
		if err := st.run(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if s.checks == before {
			t.Errorf("%s added nothing to check", st.name)
		}
	}
}

// TestClockStepsBack: a version is never stamped before the version it
// follows, whatever the clock says, so the order of recording stays that
// of the history (Seq, Version).
func TestClockStepsBack(t *testing.T) {
	env := newEnv(t)
	e := env.hire(pii())
	first, err := env.r.SetContract(env.ctx, contract(e.ID, "2026-01-01", "4000.00"))
	if err != nil {
		t.Fatal(err)
	}
	env.now = t0.Add(-time.Hour) // the clock is set back an hour
	second, err := env.r.SetContract(env.ctx, contract(e.ID, "2026-01-01", "4100.00"))
	if err != nil {
		t.Fatal(err)
	}
	if second.RecordedAt.Before(first.RecordedAt) || second.Seq != first.Seq+1 {
		t.Errorf("second version recorded at %v (seq %d), first at %v (seq %d)", second.RecordedAt, second.Seq, first.RecordedAt, first.Seq)
	}
	c, err := env.r.Contract(env.ctx, e.ID, day("2026-03-01"), time.Time{})
	if err != nil || c.Amount != eur("4100.00") {
		t.Errorf("contract now = %v, %v; want the one recorded last, 4100.00", c.Amount, err)
	}
	moved := e
	moved.Address.City = "Anderswo"
	v2, err := env.r.UpdateEmployee(env.ctx, moved)
	if err != nil || v2.Version != 2 || v2.RecordedAt.Before(e.RecordedAt) {
		t.Errorf("UpdateEmployee = version %d recorded at %v, %v; want version 2 not before %v", v2.Version, v2.RecordedAt, err, e.RecordedAt)
	}
}
