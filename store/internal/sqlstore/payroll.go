package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/payroll"
)

var (
	_ payroll.Store = (*Store)(nil)
	_ payroll.Tx    = (*payTx)(nil)
)

// errRetry marks an error after which running the transaction again sees
// what made it fail and decides otherwise: the retry loop of write treats
// it like a serialization failure.
var errRetry = errors.New("conflict with a concurrent transaction")

// UpdatePayroll implements payroll.Store with the transactions, retries
// and savepoints of Update. Tx.Ledger is this store bound to the same
// transaction (InTx), so the run's journal entry commits or rolls back
// with its payslips.
//
// On engines with row locks (PostgreSQL) Tx.Run locks the run's row and
// Tx.Runs the book's row until the transaction ends, so that the state
// changes of the runs of one book run one after the other: a Calculate or
// Post holds the book, as the ledger does while it posts. SQLite's write
// transactions exclude each other anyway.
func (s *Store) UpdatePayroll(ctx context.Context, fn func(payroll.Tx) error) error {
	return s.write(ctx, func(t *tx) error { return fn(&payTx{t: t}) })
}

// ViewPayroll implements payroll.Store with the snapshot of View. Writes
// through it fail with an error wrapping payroll.ErrRunState.
func (s *Store) ViewPayroll(ctx context.Context, fn func(payroll.ReadTx) error) error {
	return s.read(ctx, func(t *tx) error { return fn(&payTx{t: t}) })
}

// payTx implements payroll.Tx over the SQL transaction of t.
type payTx struct {
	t   *tx
	hr  hr.ReadTx
	led *Store
	// absent holds the runs Run found missing: a later AddRun that
	// collides with one was beaten by a concurrent transaction.
	absent map[string]bool
	// books holds the books whose rows Runs locked.
	books map[string]bool
	// posted holds the posted payslips of the employees of an employer the
	// HR view loaded, by employer and since, then employee; writes clear it.
	posted map[[2]string]map[string][]payroll.PostedPayslip
}

const payRunCols = "id, book, kind, calendar, frequency, period_year, period_quarter, period_number," +
	" period_start, period_end, pay_date, employees, date, status, calculation, basis, problems, post_seq," +
	" entry, payment_entry, bank_account, payment_date, created_at, calculated_at, approved_at, posted_at, paid_at"

// payQueries holds the static payroll SQL of a dialect, rebound once.
type payQueries struct {
	run, lockRun, runs, lockBook, runExists, addRun, setRun string
	payslips, slipEmployees, posted                         string
	// The HR records of all employees of an employer (payHR).
	lockEmployer, empVersions, empContracts, empTaxProfiles string
	empPosted                                               string
	empTime, empAbsences, empItems                          string
}

// ofEmployer selects the IDs of the employees of an employer.
const ofEmployer = "(SELECT id FROM bo_hr_employees WHERE employer = ?)"

// payslipCols are the columns of bo_pay_payslips as AddPayslips writes them.
var payslipCols = []string{"run", "calculation", "employee", "period_end", "payslip"}

func newPayQueries(d *Dialect) payQueries {
	r := func(q string) string { return rebind(d, q) }
	set := strings.ReplaceAll(strings.TrimPrefix(payRunCols, "id, "), ",", " = ?,") + " = ?"
	return payQueries{
		run:       r("SELECT " + payRunCols + " FROM bo_pay_runs WHERE id = ?"),
		lockRun:   r("SELECT " + payRunCols + " FROM bo_pay_runs WHERE id = ?" + d.ForUpdate),
		runs:      r("SELECT " + payRunCols + " FROM bo_pay_runs WHERE book = ? ORDER BY id"),
		lockBook:  r("SELECT 1 FROM bo_books WHERE id = ?" + d.ForUpdate),
		runExists: r("SELECT 1 FROM bo_pay_runs WHERE id = ?"),
		addRun: r("INSERT INTO bo_pay_runs (" + payRunCols + ") VALUES (" + placeholders(strings.Count(payRunCols, ",")+1) + ")" +
			" ON CONFLICT (id) DO NOTHING"),
		setRun:        r("UPDATE bo_pay_runs SET " + set + " WHERE id = ?"),
		payslips:      r("SELECT employee, payslip FROM bo_pay_payslips WHERE run = ? AND calculation = ?"),
		slipEmployees: r("SELECT employee FROM bo_pay_payslips WHERE run = ? AND calculation = ?"),
		posted: r("SELECT p.run, r.kind, r.post_seq, p.employee, p.payslip FROM bo_pay_payslips p" +
			" JOIN bo_pay_runs r ON r.id = p.run AND r.calculation = p.calculation" +
			" WHERE p.employee = ? AND p.period_end >= ? AND r.status IN ('posted', 'paid')"),
		empPosted: r("SELECT p.run, r.kind, r.post_seq, p.employee, p.payslip FROM bo_pay_payslips p" +
			" JOIN bo_pay_runs r ON r.id = p.run AND r.calculation = p.calculation" +
			" WHERE p.employee IN " + ofEmployer + " AND p.period_end >= ? AND r.status IN ('posted', 'paid')"),
		lockEmployer:   r("SELECT id FROM bo_hr_employees WHERE employer = ? ORDER BY id" + d.ForUpdate),
		empVersions:    r("SELECT " + hrEmployeeCols + hrEmployeeFrom + "e.employer = ?"),
		empContracts:   r("SELECT " + hrContractCols + " FROM bo_hr_contracts WHERE employee IN " + ofEmployer),
		empTaxProfiles: r("SELECT " + hrTaxCols + " FROM bo_hr_tax_profiles WHERE employee IN " + ofEmployer),
		empTime: r("SELECT employee, date, kind, hours, recorded_at FROM bo_hr_time WHERE employee IN " + ofEmployer +
			" AND date >= ? AND date <= ?"),
		empAbsences: r("SELECT employee, kind, from_date, to_date, half_day, recorded_at FROM bo_hr_absences WHERE employee IN " +
			ofEmployer + " AND from_date <= ? AND to_date >= ?"),
		empItems: r("SELECT " + hrItemCols + " FROM bo_hr_items WHERE employee IN " + ofEmployer + " AND date >= ? AND date <= ?"),
	}
}

// wrap turns a driver error into one for payroll callers: a unique
// violation wraps payroll.ErrDuplicate, a refused change of a posted run
// (the schema's guard) payroll.ErrRunState, the driver's error staying in
// the chain. Like hrTx.wrap it adds no value of the record.
func (x *payTx) wrap(op string, err error) error {
	return wrapFor(x.t.s.d, op, err, [2]error{ledger.ErrDuplicate, payroll.ErrDuplicate},
		[2]error{ledger.ErrState, payroll.ErrRunState}, [2]error{ledger.ErrInvalid, ledger.ErrInvalid})
}

func (x *payTx) writable() error {
	if x.t.readOnly {
		return fmt.Errorf("%s store: payroll: %w: write in a read-only transaction", x.t.s.d.Name, payroll.ErrRunState)
	}
	return nil
}

func (x *payTx) notFound(id string) error {
	return fmt.Errorf("%s store: run %s: %w", x.t.s.d.Name, id, payroll.ErrRunNotFound)
}

// HR implements payroll.ReadTx: the HR records over the same transaction,
// read-only (see payHR). In a read-write transaction its reads lock the
// employees' rows as those of UpdateHR do, so the records a calculation
// read stay true until it commits.
func (x *payTx) HR() hr.ReadTx {
	if x.hr == nil {
		t := x.t.s.newTx(x.t.tx)
		t.readOnly = x.t.readOnly
		x.hr = &payHR{x: newHRTx(t), q: &x.t.q.pay}
	}
	return x.hr
}

// Ledger implements payroll.Tx: the store bound to this transaction, whose
// Update runs in a savepoint.
func (x *payTx) Ledger() ledger.Store {
	if x.led == nil {
		x.led = x.t.s.InTx(x.t.tx)
	}
	return x.led
}

// Run implements payroll.ReadTx. In a read-write transaction it locks the
// run's row where the dialect locks rows.
func (x *payTx) Run(ctx context.Context, id string) (payroll.Run, error) {
	q := x.t.q.pay.run
	if !x.t.readOnly {
		q = x.t.q.pay.lockRun
	}
	runs, err := x.runs(ctx, q, id)
	if err != nil {
		return payroll.Run{}, err
	}
	if len(runs) == 0 {
		if !x.t.readOnly {
			if x.absent == nil {
				x.absent = map[string]bool{}
			}
			x.absent[id] = true
		}
		return payroll.Run{}, x.notFound(id)
	}
	return runs[0], nil
}

// Runs implements payroll.ReadTx. In a read-write transaction it first
// locks the book's row where the dialect locks rows: the runs of the book
// then change only through this transaction until it ends.
func (x *payTx) Runs(ctx context.Context, book string) ([]payroll.Run, error) {
	if !x.t.readOnly && x.t.s.d.ForUpdate != "" && !x.books[book] {
		var one int
		err := x.t.tx.QueryRowContext(ctx, x.t.q.pay.lockBook, book).Scan(&one)
		if err != nil && !errors.Is(err, sql.ErrNoRows) { // no book: no runs
			return nil, x.wrap("lock book", err)
		}
		if x.books == nil {
			x.books = map[string]bool{}
		}
		x.books[book] = true
	}
	return x.runs(ctx, x.t.q.pay.runs, book)
}

func (x *payTx) runs(ctx context.Context, q string, arg string) ([]payroll.Run, error) {
	rows, err := x.t.tx.QueryContext(ctx, q, arg)
	if err != nil {
		return nil, x.wrap("read run", err)
	}
	defer rows.Close()
	var out []payroll.Run
	for rows.Next() {
		var (
			r                             payroll.Run
			p                             = &r.Period
			emps, probs                   []byte
			postSeq, entry, paymentEntry  int64
			created, calculated, approved nullTime
			posted, paid                  nullTime
		)
		created.t, calculated.t, approved.t, posted.t, paid.t = &r.CreatedAt, &r.CalculatedAt, &r.ApprovedAt, &r.PostedAt, &r.PaidAt
		err := rows.Scan(&r.ID, &r.Book, &r.Kind, &p.Calendar, &p.Frequency, &p.Year, &p.Quarter, &p.Number,
			&p.Start, &p.End, &p.PayDate, &emps, &r.Date, &r.Status, &r.Calculation, &r.Basis, &probs, &postSeq,
			&entry, &paymentEntry, &r.BankAccount, &r.PaymentDate, created, calculated, approved, posted, paid)
		if err != nil {
			return nil, x.wrap("read run", err)
		}
		r.PostSeq, r.Entry, r.PaymentEntry = uint64(postSeq), uint64(entry), uint64(paymentEntry)
		if len(emps) > 0 {
			if err := json.Unmarshal(emps, &r.Employees); err != nil {
				return nil, fmt.Errorf("%s store: stored run employees are not a JSON array of IDs: %w", x.t.s.d.Name, ledger.ErrTampered)
			}
		}
		if len(probs) > 0 {
			var ps []problemJSON
			if err := json.Unmarshal(probs, &ps); err != nil {
				return nil, fmt.Errorf("%s store: stored run problems are not a JSON array of problems: %w", x.t.s.d.Name, ledger.ErrTampered)
			}
			r.Problems = make([]payroll.Problem, len(ps))
			for i, p := range ps {
				r.Problems[i] = payroll.Problem{Employee: p.Employee, PersonnelNumber: p.PersonnelNumber, Code: p.Code, Reason: p.Reason}
			}
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, x.wrap("read run", err)
	}
	return out, nil
}

// problemJSON is a payroll.Problem as stored in bo_pay_runs.problems.
type problemJSON struct {
	Employee        string `json:"employee"`
	PersonnelNumber string `json:"personnel_number,omitempty"`
	Code            string `json:"code,omitempty"`
	Reason          string `json:"reason"`
}

// runArgs returns the values of the columns payRunCols of r.
func (x *payTx) runArgs(r *payroll.Run) ([]any, error) {
	var emps, probs any // NULL for none
	if len(r.Employees) > 0 {
		b, err := json.Marshal(r.Employees)
		if err != nil {
			return nil, err
		}
		emps = string(b)
	}
	if len(r.Problems) > 0 {
		ps := make([]problemJSON, len(r.Problems))
		for i, p := range r.Problems {
			ps[i] = problemJSON{Employee: p.Employee, PersonnelNumber: p.PersonnelNumber, Code: p.Code, Reason: p.Reason}
		}
		b, err := json.Marshal(ps)
		if err != nil {
			return nil, err
		}
		probs = string(b)
	}
	p := &r.Period
	tm := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return x.t.s.d.Time(t)
	}
	return []any{r.ID, r.Book, string(r.Kind), p.Calendar, string(p.Frequency), int64(p.Year), int64(p.Quarter), int64(p.Number),
		p.Start, p.End, p.PayDate, emps, r.Date, string(r.Status), int64(r.Calculation), int64(r.Basis), probs, int64(r.PostSeq),
		int64(r.Entry), int64(r.PaymentEntry), r.BankAccount, r.PaymentDate,
		tm(r.CreatedAt), tm(r.CalculatedAt), tm(r.ApprovedAt), tm(r.PostedAt), tm(r.PaidAt)}, nil
}

// AddRun implements payroll.Tx. A run whose ID is taken is ErrDuplicate,
// without aborting the transaction; if this transaction found the run
// missing before, a concurrent one added it since, and the error also
// asks write to run the transaction again, which then finds it.
func (x *payTx) AddRun(ctx context.Context, r payroll.Run) error {
	if err := x.writable(); err != nil {
		return err
	}
	n, err := x.writeRun(ctx, "add run", x.t.q.pay.addRun, &r)
	if err != nil {
		return err
	}
	if n == 0 {
		if x.absent[r.ID] {
			return fmt.Errorf("%s store: run %s: %w: %w", x.t.s.d.Name, r.ID, payroll.ErrDuplicate, errRetry)
		}
		return fmt.Errorf("%s store: run %s: %w", x.t.s.d.Name, r.ID, payroll.ErrDuplicate)
	}
	delete(x.absent, r.ID)
	return nil
}

// SetRun implements payroll.Tx. The posted payslips follow from the run's
// status and calculation (PostedPayslips joins them), so nothing else is
// written.
func (x *payTx) SetRun(ctx context.Context, r payroll.Run) error {
	if err := x.writable(); err != nil {
		return err
	}
	n, err := x.writeRun(ctx, "set run", x.t.q.pay.setRun, &r)
	if err == nil && n == 0 {
		err = x.notFound(r.ID)
	}
	return err
}

// writeRun runs q, addRun or setRun, with the columns of r and returns how
// many rows it wrote. It clears the posted payslips read so far.
func (x *payTx) writeRun(ctx context.Context, op, q string, r *payroll.Run) (int64, error) {
	x.posted = nil
	args, err := x.runArgs(r)
	if err != nil {
		return 0, err
	}
	if q == x.t.q.pay.setRun { // SET every column but id … WHERE id = ?
		args = append(args[1:], r.ID)
	}
	res, err := x.t.tx.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, x.wrap(op, err)
	}
	n, err := res.RowsAffected()
	return n, x.wrap(op, err)
}

// AddPayslips implements payroll.Tx: one COPY or multi-row INSERT. The
// run and the employees already in the calculation are checked first, so
// that a refused call leaves the transaction usable and writes nothing.
func (x *payTx) AddPayslips(ctx context.Context, run string, calculation int, slips []payroll.Payslip) error {
	if err := x.writable(); err != nil {
		return err
	}
	x.posted = nil
	var one int
	err := x.t.tx.QueryRowContext(ctx, x.t.q.pay.runExists, run).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return x.notFound(run)
	}
	if err != nil {
		return x.wrap("add payslips", err)
	}
	seen := make(map[string]bool, len(slips))
	rows, err := x.t.tx.QueryContext(ctx, x.t.q.pay.slipEmployees, run, int64(calculation))
	if err != nil {
		return x.wrap("add payslips", err)
	}
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			rows.Close()
			return x.wrap("add payslips", err)
		}
		seen[e] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return x.wrap("add payslips", err)
	}
	enc := newSlipEncoder()
	bodies := make([]string, len(slips))
	for i := range slips {
		s := &slips[i]
		if seen[s.Employee] {
			return fmt.Errorf("%s store: run %s calculation %d employee %s: %w", x.t.s.d.Name, run, calculation, s.Employee, payroll.ErrDuplicate)
		}
		seen[s.Employee] = true
		b, err := enc.encode(s)
		if err != nil {
			return fmt.Errorf("%s store: run %s employee %s: %w", x.t.s.d.Name, run, s.Employee, err)
		}
		bodies[i] = b
	}
	for _, c := range enc.custom {
		if err := x.t.registerCurrency(ctx, c); err != nil {
			return err
		}
	}
	it := *x.t // the insert's driver errors are the payroll's
	it.wrapErr = func(err error) error { return x.wrap("add payslips", err) }
	return it.insert(ctx, "bo_pay_payslips", payslipCols, len(slips), func(i int, dst []any) {
		dst[0], dst[1], dst[2], dst[3], dst[4] = run, int64(calculation), slips[i].Employee, slips[i].Period.End, bodies[i]
	})
}

// Payslips implements payroll.ReadTx. A run that does not exist is
// ErrRunNotFound.
func (x *payTx) Payslips(ctx context.Context, run string, calculation int) ([]payroll.Payslip, error) {
	var out []payroll.Payslip
	dec := x.decoder(ctx)
	err := x.query(ctx, "read payslips", x.t.q.pay.payslips, []any{run, int64(calculation)}, func(rows *sql.Rows) error {
		var (
			emp  string
			body []byte
		)
		if err := rows.Scan(&emp, &body); err != nil {
			return err
		}
		s, err := dec.decode(emp, body)
		if err != nil {
			return err
		}
		out = append(out, s)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		var one int
		err := x.t.tx.QueryRowContext(ctx, x.t.q.pay.runExists, run).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, x.notFound(run)
		}
		if err != nil {
			return nil, x.wrap("read payslips", err)
		}
	}
	return out, nil
}

// PostedPayslips implements payroll.ReadTx. Once the HR view loaded the
// records of the employee's employer (see payHR), it loads the posted
// payslips of all the employer's employees since the day, in one query,
// and answers from them until the transaction writes.
func (x *payTx) PostedPayslips(ctx context.Context, employee string, since date.Date) ([]payroll.PostedPayslip, error) {
	lo, _ := bounds(since, date.Date{})
	if p, ok := x.hr.(*payHR); ok {
		if er := p.employer[employee]; er != "" && p.bulk[er] != nil {
			key := [2]string{er, lo}
			byEmp, ok := x.posted[key]
			if !ok {
				all, err := x.postedPayslips(ctx, x.t.q.pay.empPosted, er, lo)
				if err != nil {
					return nil, err
				}
				byEmp = map[string][]payroll.PostedPayslip{}
				for _, s := range all {
					byEmp[s.Employee] = append(byEmp[s.Employee], s)
				}
				if x.posted == nil {
					x.posted = map[[2]string]map[string][]payroll.PostedPayslip{}
				}
				x.posted[key] = byEmp
			}
			return byEmp[employee], nil
		}
	}
	return x.postedPayslips(ctx, x.t.q.pay.posted, employee, lo)
}

func (x *payTx) postedPayslips(ctx context.Context, q string, args ...any) ([]payroll.PostedPayslip, error) {
	var out []payroll.PostedPayslip
	dec := x.decoder(ctx)
	err := x.query(ctx, "read posted payslips", q, args, func(rows *sql.Rows) error {
		var (
			p       payroll.PostedPayslip
			postSeq int64
			emp     string
			body    []byte
		)
		if err := rows.Scan(&p.Run, &p.Kind, &postSeq, &emp, &body); err != nil {
			return err
		}
		p.PostSeq = uint64(postSeq)
		var err error
		if p.Payslip, err = dec.decode(emp, body); err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	return out, err
}

// query runs q and calls scan for every row; errors of scan are returned
// as they are if they come from decoding, wrapped if from the driver.
func (x *payTx) query(ctx context.Context, op, q string, args []any, scan func(*sql.Rows) error) error {
	rows, err := x.t.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return x.wrap(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			if errors.Is(err, ledger.ErrTampered) || errors.Is(err, ledger.ErrUnknownCurrency) {
				return err
			}
			return x.wrap(op, err)
		}
	}
	return x.wrap(op, rows.Err())
}

// nullTime scans a timestamp stored by Dialect.Time, or NULL for the zero
// time, into the time.Time it points to, in UTC.
type nullTime struct{ t *time.Time }

func (n nullTime) Scan(v any) (err error) {
	if v == nil {
		*n.t = time.Time{}
		return nil
	}
	*n.t, err = scanTime(v)
	return err
}
