package payroll

import (
	"context"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
)

// Store is the persistence pay runs need. Implementations live in store/*
// and must pass the conformance suite storetest.Payroll. One store value
// implements ledger.Store, hr.Store and Store (hence the method names
// UpdatePayroll and ViewPayroll), so that a pay run reads the HR records,
// saves its payslips and posts its journal entry in one database
// transaction.
//
// A Store keeps runs and payslips; it does not decide what is valid. Runs
// checks every state change before it asks the store to write. Runs are
// records whose state the Runs replace with SetRun until they are posted;
// payslips are appended, never changed. A recalculation before approval
// adds the payslips of the run again under the next calculation number
// (Run.Calculation); the store returns those of the calculation asked for
// and may keep or drop those of earlier calculations, which nothing reads
// again. Posted runs and their payslips are never changed.
//
// Lists are returned in any order. Times are stored and returned in UTC at
// microsecond precision. Values a ReadTx returns may share memory with the
// store: the Runs never modify them. Write methods must not keep the slices
// and maps they are given.
//
// Implementations must be safe for concurrent use.
type Store interface {
	// UpdatePayroll runs fn in a read-write transaction. It sees the last
	// committed state, and concurrent UpdatePayroll calls behave as if run
	// one after the other (a store may run them serially, or detect a
	// conflict and retry fn). If fn returns an error, or the commit fails,
	// nothing fn wrote remains, through the Tx or through Tx.Ledger, and
	// UpdatePayroll returns that error. A store may run fn more than once,
	// so fn must have no effects outside the transaction.
	UpdatePayroll(ctx context.Context, fn func(Tx) error) error
	// ViewPayroll runs fn in a read-only transaction that sees one
	// consistent state.
	ViewPayroll(ctx context.Context, fn func(ReadTx) error) error
}

// ReadTx reads pay runs, payslips and the HR records they are calculated
// from, in one transaction.
type ReadTx interface {
	// HR returns the HR records as this transaction sees them. The value is
	// valid only while the transaction runs.
	HR() hr.ReadTx
	// Run returns the run with the given ID, or an error wrapping
	// ErrRunNotFound.
	Run(ctx context.Context, id string) (Run, error)
	// Runs returns every run of the book, in any order.
	Runs(ctx context.Context, book string) ([]Run, error)
	// Payslips returns the payslips a run's calculation number calculation
	// added, in any order; none if there are none.
	Payslips(ctx context.Context, run string, calculation int) ([]Payslip, error)
	// PostedPayslips returns the payslips of the employee that belong to
	// posted runs (Status Posted or Paid), from each run's current
	// calculation (Run.Calculation), whose period ends on or after since
	// (zero: all), in any order.
	PostedPayslips(ctx context.Context, employee string, since date.Date) ([]PostedPayslip, error)
}

// Tx reads and writes pay runs inside Store.UpdatePayroll.
type Tx interface {
	ReadTx
	// Ledger returns a ledger.Store bound to this transaction: its Update
	// and View run their function inside this transaction, seeing what it
	// wrote so far, without committing anything of their own. An Update
	// whose function fails undoes only what that function wrote (a
	// savepoint), and this transaction goes on; what it wrote commits or
	// rolls back with this transaction. The Runs post with
	// ledger.New(tx.Ledger(), opts). The value is valid only while the
	// transaction runs and, like the transaction, is not safe for
	// concurrent use (use ledger.Options.MaxGroup 1 or PostBatch).
	//
	// A SQL store implements it with the ledger store it already has for a
	// caller's transaction (InTx(*sql.Tx)), with SAVEPOINT / ROLLBACK TO
	// SAVEPOINT around each Update.
	Ledger() ledger.Store
	// AddRun stores a new run, or returns an error wrapping ErrDuplicate
	// if a run with its ID exists.
	AddRun(ctx context.Context, r Run) error
	// SetRun replaces the stored state of the run with r.ID, or returns an
	// error wrapping ErrRunNotFound. When r.Status is Posted or Paid, the
	// payslips of calculation r.Calculation become the run's posted
	// payslips (see ReadTx.PostedPayslips).
	SetRun(ctx context.Context, r Run) error
	// AddPayslips appends payslips of the run's calculation number
	// calculation. It returns an error wrapping ErrRunNotFound if the run
	// does not exist, and ErrDuplicate if the calculation already has a
	// payslip of the same employee.
	AddPayslips(ctx context.Context, run string, calculation int, slips []Payslip) error
}

// PostedPayslip is a payslip of a posted run, with the run it belongs to.
type PostedPayslip struct {
	Run  string  // the run's ID
	Kind RunKind // the run's kind
	// PostSeq is the run's Run.PostSeq: it orders the posted runs of a
	// book, so two payslips of one period tell which came first.
	PostSeq uint64
	Payslip
}

// RunKind is the kind of a pay run.
type RunKind string

// Run kinds.
const (
	// Regular is the run of a period: it pays the period and the
	// differences of earlier periods that changed since they were posted
	// (retro). An employee's period is paid by one regular run.
	Regular RunKind = "regular"
	// OffCycle pays, for a period already paid, the difference between the
	// period calculated now and everything posted for it: a bonus recorded
	// afterwards, a correction. It recalculates no earlier period.
	OffCycle RunKind = "offcycle"
)

// Status is the state of a pay run: Draft → Calculated → Approved → Posted
// → Paid. A run is recalculated any number of times until approved.
type Status string

// Run states.
const (
	Draft      Status = "draft"
	Calculated Status = "calculated"
	Approved   Status = "approved"
	Posted     Status = "posted"
	Paid       Status = "paid"
)

// Run is a pay run as stored: what it is for, where it stands and what it
// posted. It is a plain value.
type Run struct {
	ID   string
	Book string // the ledger book it posts to; employees whose Employer is Book are paid
	Kind RunKind
	// Period is the period it pays.
	Period Period
	// Employees, if not empty, limits the run to these employee IDs.
	Employees []string
	// Date is the booking date of its journal entry: Period.End unless
	// the spec said otherwise.
	Date   date.Date
	Status Status
	// Calculation numbers the calculations from 1; 0 before the first.
	Calculation int
	// Basis is the number of posted runs of the book when the run was
	// calculated; posting refuses a run calculated before another was
	// posted (ErrStale).
	Basis int
	// Problems are the employees whose calculation failed in the last
	// calculation; a run with problems is neither approved nor posted.
	Problems []Problem
	// PostSeq numbers the posted runs of the book from 1; 0 until posted.
	PostSeq uint64
	// Entry is the sequence number of the journal entry posting the run,
	// PaymentEntry that of the payment; 0 if none.
	Entry, PaymentEntry uint64
	// BankAccount and PaymentDate are those of the payment.
	BankAccount string
	PaymentDate date.Date
	// When the run was created and changed state; zero if not yet.
	CreatedAt, CalculatedAt, ApprovedAt, PostedAt, PaidAt time.Time
}
