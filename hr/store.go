package hr

import (
	"context"

	"github.com/openbackoffice/backoffice/date"
)

// Store is the persistence the HR records need. Implementations live in
// store/* and must pass the conformance suite storetest.HR. One store value
// may implement the Store interfaces of several domains (ledger.Store too),
// hence the method names UpdateHR and ViewHR.
//
// A Store keeps records and keeps them consistent; it does not decide what
// is valid. The Records validate every record, check overlaps and hour
// limits, and stamp versions, sequence numbers and recording times before
// they ask the store to add anything. Every record is appended, never
// changed or deleted: each maps to one row (the Items of a Contract and the
// Extra of a TaxProfile may be kept as JSON in that row).
//
// Lists are returned in any order; the Records sort them. Times are stored
// and returned in UTC at microsecond precision. Values a ReadTx returns may
// share memory with the store: the Records never modify them and copy them
// before handing them out. Add methods must not keep the slices and maps
// they are given.
//
// Implementations must be safe for concurrent use.
type Store interface {
	// UpdateHR runs fn in a read-write transaction. It sees the last
	// committed state, and concurrent UpdateHR calls behave as if run one
	// after the other (a store may run them serially or detect conflicts:
	// a unique-key violation from a concurrent writer is ErrDuplicate).
	// From the first read of an employee in fn until the transaction
	// ends, no other transaction commits a record of that employee: the
	// Records take recording times after those reads, and rely on that
	// for the order of versions (a store that runs writers one at a time
	// has nothing more to do; one that runs them side by side locks the
	// employee at the read). If
	// fn returns an error, or the commit fails, nothing fn wrote remains and
	// UpdateHR returns that error. A store may run fn more than once (to
	// retry a serialization failure), so fn must have no effects outside
	// the transaction.
	UpdateHR(ctx context.Context, fn func(Tx) error) error
	// ViewHR runs fn in a read-only transaction that sees one consistent
	// state. Writes through it fail (with an error wrapping ErrReadOnly
	// where the store can tell) and leave nothing.
	ViewHR(ctx context.Context, fn func(ReadTx) error) error
}

// ReadTx reads HR records. A missing employee is ErrNotFound for the
// methods returning one record and no records for the methods returning
// lists.
type ReadTx interface {
	// Employee returns the version with the highest Version of the
	// employee with the given ID, or ErrNotFound.
	Employee(ctx context.Context, id string) (Employee, error)
	// EmployeeByNumber returns the latest version of the employee of
	// employer with the given personnel number, or ErrNotFound.
	EmployeeByNumber(ctx context.Context, employer, number string) (Employee, error)
	// Employees returns the latest version of every employee of employer,
	// in any order.
	Employees(ctx context.Context, employer string) ([]Employee, error)
	// EmployeeVersions returns every version of the employee, in any order.
	EmployeeVersions(ctx context.Context, id string) ([]Employee, error)
	// Contracts returns every contract version of the employee, in any order.
	Contracts(ctx context.Context, employee string) ([]Contract, error)
	// TaxProfiles returns every tax profile version of the employee, in any order.
	TaxProfiles(ctx context.Context, employee string) ([]TaxProfile, error)
	// TimeEntries returns the employee's time entries dated from from to to
	// inclusive, in any order. A zero from means from the first, a zero to
	// means to the last.
	TimeEntries(ctx context.Context, employee string, from, to date.Date) ([]TimeEntry, error)
	// Absences returns the employee's absences that share a day with from–to
	// (inclusive; zero bounds as for TimeEntries), in any order.
	Absences(ctx context.Context, employee string, from, to date.Date) ([]Absence, error)
	// OneTimeItems returns the employee's one-time items dated from from to
	// to inclusive (zero bounds as for TimeEntries), in any order.
	OneTimeItems(ctx context.Context, employee string, from, to date.Date) ([]OneTimeItem, error)
	// OneTimeItem returns the employee's item with the given key, or ErrNotFound.
	OneTimeItem(ctx context.Context, employee, key string) (OneTimeItem, error)
}

// Tx reads and writes HR records inside Store.UpdateHR. Every write appends
// records; none changes or deletes one.
type Tx interface {
	ReadTx
	// AddEmployee appends a version of an employee. It returns
	// ErrDuplicate if a version with the same ID and Version exists, or if
	// e.Version is 1 and an employee of e.Employer with e.PersonnelNumber
	// exists (version 1 creates the employee; ID, Employer and
	// PersonnelNumber are the same in all versions of one employee).
	AddEmployee(ctx context.Context, e Employee) error
	// AddContract appends a contract version. It returns ErrDuplicate if
	// the employee has a contract version with the same Seq.
	AddContract(ctx context.Context, c Contract) error
	// AddTaxProfile appends a tax profile version. It returns ErrDuplicate
	// if the employee has a tax profile version with the same Seq.
	AddTaxProfile(ctx context.Context, p TaxProfile) error
	// AddTimeEntries appends time entries. Identical entries are kept as
	// often as they are added (they are hours worked twice).
	AddTimeEntries(ctx context.Context, entries []TimeEntry) error
	// AddAbsences appends absences.
	AddAbsences(ctx context.Context, absences []Absence) error
	// AddOneTimeItem appends a one-time item. It returns ErrDuplicate if
	// the employee has an item with the same Key.
	AddOneTimeItem(ctx context.Context, it OneTimeItem) error
}
