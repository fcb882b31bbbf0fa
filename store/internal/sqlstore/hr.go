package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

var (
	_ hr.Store = (*Store)(nil)
	_ hr.Tx    = (*hrTx)(nil)
)

// UpdateHR implements hr.Store with the transactions, retries and
// savepoints of Update. On engines with row locks (PostgreSQL) the first
// read or write of an employee in fn locks the employee's row until the
// transaction ends, so that concurrent UpdateHR calls on one employee run
// one after the other; SQLite's write transactions exclude each other
// anyway.
func (s *Store) UpdateHR(ctx context.Context, fn func(hr.Tx) error) error {
	return s.write(ctx, func(t *tx) error { return fn(newHRTx(t)) })
}

// ViewHR implements hr.Store with the snapshot of View. Writes through it
// fail with an error wrapping hr.ErrReadOnly.
func (s *Store) ViewHR(ctx context.Context, fn func(hr.ReadTx) error) error {
	return s.read(ctx, func(t *tx) error { return fn(newHRTx(t)) })
}

// hrTx implements hr.Tx over the SQL transaction of t.
type hrTx struct {
	t *tx
	q *hrQueries
	// locked holds the employees known to exist in this transaction, whose
	// rows it has locked where the dialect locks rows.
	locked map[string]bool
}

// newHRTx returns an hrTx over t, which it owns: the errors of t's helpers
// (insert, currency) come out as those of the HR methods.
func newHRTx(t *tx) *hrTx {
	x := &hrTx{t: t, q: &t.q.hr}
	t.wrapErr = func(err error) error { return x.wrap("", err) }
	return x
}

// hrQueries holds the static HR SQL of a dialect, rebound once.
type hrQueries struct {
	lockPrefix, lockSuffix                                      string
	employee, employeeByNumber, employeeID, employees, versions string
	addEmployee, addVersion, contracts, addContract             string
	taxProfiles, addTaxProfile, timeEntries, absences           string
	items, item, addItem                                        string
}

// Columns of the HR tables, as the queries read and write them.
const (
	hrEmployeeCols = "e.id, e.employer, e.personnel_number, v.version, v.given_name, v.family_name, v.birth_date," +
		" v.street, v.postal_code, v.city, v.region, v.country, v.email, v.hire_date, v.termination_date," +
		" v.department, v.cost_centre, v.manager, v.iban, v.bic, v.routing_number, v.account_number, v.recorded_at," +
		" v.tax_id, v.social_insurance_number, v.ssn"
	hrVersionCols = "id, version, given_name, family_name, birth_date, street, postal_code, city, region, country, email," +
		" hire_date, termination_date, department, cost_centre, manager, iban, bic, routing_number, account_number, recorded_at," +
		" tax_id, social_insurance_number, ssn"
	hrContractCols = "employee, seq, valid_from, valid_to, recorded_at, pay_type, amount, currency, frequency, weekly_hours, work_days, items"
	hrTaxCols      = "employee, seq, valid_from, valid_to, recorded_at, jurisdiction," +
		" de_tax_class, de_child_allowances, de_church_tax, de_health_supplement, de_state," +
		" us_filing_status, us_pre_2020, us_allowances, us_multiple_jobs, us_dependents, us_dependents_currency," +
		" us_other_income, us_other_income_currency, us_deductions, us_deductions_currency," +
		" us_extra_withholding, us_extra_withholding_currency, extra, us_exempt"
	hrItemCols     = "employee, key, date, type, code, amount, currency, recorded_at"
	hrEmployeeFrom = " FROM bo_hr_employees e JOIN bo_hr_employee_versions v ON v.id = e.id WHERE "
)

// Columns of bo_hr_time and bo_hr_absences as Add writes them (the id is
// the table's own).
var (
	hrTimeCols    = []string{"employee", "date", "kind", "hours", "recorded_at"}
	hrAbsenceCols = []string{"employee", "kind", "from_date", "to_date", "half_day", "recorded_at"}
)

func newHRQueries(d *Dialect) hrQueries {
	r := func(q string) string { return rebind(d, q) }
	values := func(cols string) string { return " VALUES (" + placeholders(strings.Count(cols, ",")+1) + ")" }
	latest := " ORDER BY v.version DESC LIMIT 1"
	return hrQueries{
		lockPrefix:       "SELECT id FROM bo_hr_employees WHERE id IN (",
		lockSuffix:       ") ORDER BY id" + d.ForUpdate,
		employee:         r("SELECT " + hrEmployeeCols + hrEmployeeFrom + "e.id = ?" + latest),
		employeeByNumber: r("SELECT " + hrEmployeeCols + hrEmployeeFrom + "e.employer = ? AND e.personnel_number = ?" + latest),
		employeeID:       r("SELECT id FROM bo_hr_employees WHERE employer = ? AND personnel_number = ?"),
		employees: r("SELECT " + hrEmployeeCols + hrEmployeeFrom + "e.employer = ?" +
			" AND v.version = (SELECT max(w.version) FROM bo_hr_employee_versions w WHERE w.id = e.id)"),
		versions:      r("SELECT " + hrEmployeeCols + hrEmployeeFrom + "e.id = ?"),
		addEmployee:   r("INSERT INTO bo_hr_employees (id, employer, personnel_number) VALUES (?, ?, ?)"),
		addVersion:    r("INSERT INTO bo_hr_employee_versions (" + hrVersionCols + ")" + values(hrVersionCols)),
		contracts:     r("SELECT " + hrContractCols + " FROM bo_hr_contracts WHERE employee = ?"),
		addContract:   r("INSERT INTO bo_hr_contracts (" + hrContractCols + ")" + values(hrContractCols)),
		taxProfiles:   r("SELECT " + hrTaxCols + " FROM bo_hr_tax_profiles WHERE employee = ?"),
		addTaxProfile: r("INSERT INTO bo_hr_tax_profiles (" + hrTaxCols + ")" + values(hrTaxCols)),
		timeEntries:   r("SELECT employee, date, kind, hours, recorded_at FROM bo_hr_time WHERE employee = ? AND date >= ? AND date <= ?"),
		absences: r("SELECT employee, kind, from_date, to_date, half_day, recorded_at FROM bo_hr_absences" +
			" WHERE employee = ? AND from_date <= ? AND to_date >= ?"),
		items:   r("SELECT " + hrItemCols + " FROM bo_hr_items WHERE employee = ? AND date >= ? AND date <= ?"),
		item:    r("SELECT " + hrItemCols + " FROM bo_hr_items WHERE employee = ? AND key = ?"),
		addItem: r("INSERT INTO bo_hr_items (" + hrItemCols + ")" + values(hrItemCols)),
	}
}

// wrap turns a driver error into one for HR callers: a unique violation
// wraps hr.ErrDuplicate, a refused value hr.ErrInvalid, the driver's error
// staying in the chain (for its code, and for Retryable). The message holds
// what the driver's does (constraint names, never the row: lib/pq keeps
// the DETAIL that echoes values out of Error) and no value of the record.
func (x *hrTx) wrap(op string, err error) error {
	return wrapFor(x.t.s.d, op, err, [2]error{ledger.ErrDuplicate, hr.ErrDuplicate}, [2]error{ledger.ErrInvalid, hr.ErrInvalid})
}

// wrapFor turns a driver error into one for a domain's callers: where the
// dialect's Translate gives a ledger sentinel to[i][0], the error wraps the
// domain's to[i][1] and the driver's error, which stays in the chain (for
// its code, and for Retryable); other errors are wrapped with the store's
// name and op. Context errors are returned as they are.
func wrapFor(d *Dialect, op string, err error, to ...[2]error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	prefix := d.Name + " store"
	if op != "" {
		prefix += ": " + op
	}
	t := d.Translate(err)
	for _, m := range to {
		if errors.Is(t, m[0]) {
			return fmt.Errorf("%s: %w: %w", prefix, m[1], err)
		}
	}
	return fmt.Errorf("%s: %w", prefix, err)
}

func (x *hrTx) writable() error {
	if x.t.readOnly {
		return fmt.Errorf("%s store: %w", x.t.s.d.Name, hr.ErrReadOnly)
	}
	return nil
}

func (x *hrTx) notFound(what string) error {
	return fmt.Errorf("%s store: %s: %w", x.t.s.d.Name, what, hr.ErrNotFound)
}

// lock locks the rows of the employees with the given IDs, in ID order,
// where the dialect locks rows (on SQLite it only reads them), and returns
// the first ID that has no employee, or "". Locked IDs are remembered, so
// each is locked once per transaction.
func (x *hrTx) lock(ctx context.Context, ids ...string) (string, error) {
	var todo []string
	for _, id := range ids {
		if !x.locked[id] && !slices.Contains(todo, id) {
			todo = append(todo, id)
		}
	}
	if len(todo) == 0 {
		return "", nil
	}
	if x.locked == nil {
		x.locked = make(map[string]bool, len(todo))
	}
	slices.Sort(todo)
	for chunk := range chunks(todo, 500) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		q := rebind(x.t.s.d, x.q.lockPrefix+placeholders(len(chunk))+x.q.lockSuffix)
		err := x.query(ctx, "lock employees", q, args, func(rows *sql.Rows) error {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			x.locked[id] = true
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	for _, id := range todo {
		if !x.locked[id] {
			return id, nil
		}
	}
	return "", nil
}

// touch locks the employee's row before a read in a read-write
// transaction, where the dialect locks rows: what the read returns then
// stays true until the transaction ends.
func (x *hrTx) touch(ctx context.Context, id string) error {
	if x.t.readOnly || x.t.s.d.ForUpdate == "" {
		return nil
	}
	_, err := x.lock(ctx, id)
	return err
}

// existing checks that the transaction may write and that the employees
// exist (hr.ErrNotFound), and locks them.
func (x *hrTx) existing(ctx context.Context, ids ...string) error {
	if err := x.writable(); err != nil {
		return err
	}
	missing, err := x.lock(ctx, ids...)
	if err != nil {
		return err
	}
	if missing != "" {
		return x.notFound("employee")
	}
	return nil
}

// query runs q and calls scan for every row. Rows are closed when it
// returns, so the caller may query again (say, for a currency).
func (x *hrTx) query(ctx context.Context, op, q string, args []any, scan func(*sql.Rows) error) error {
	rows, err := x.t.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return x.wrap(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return x.wrap(op, err)
		}
	}
	return x.wrap(op, rows.Err())
}

// list returns one record per row of q, as scan reads it.
func list[T any](ctx context.Context, x *hrTx, op, q string, args []any, scan func(*sql.Rows, *T) error) ([]T, error) {
	var out []T
	err := x.query(ctx, op, q, args, func(rows *sql.Rows) error {
		var v T
		if err := scan(rows, &v); err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	return out, err
}

// storedTime scans a timestamp stored by Dialect.Time into the time.Time
// it points to, in UTC.
type storedTime struct{ t *time.Time }

func (s storedTime) Scan(v any) (err error) {
	*s.t, err = scanTime(v)
	return err
}

func (x *hrTx) exec(ctx context.Context, op, q string, args ...any) error {
	_, err := x.t.tx.ExecContext(ctx, q, args...)
	return x.wrap(op, err)
}

// amount returns the amount of minor units in the currency with the given
// code; "" is no currency.
func (x *hrTx) amount(ctx context.Context, minor int64, code string) (money.Amount, error) {
	if code == "" {
		return money.New(minor, money.Currency{}), nil
	}
	c, err := x.t.currency(ctx, code)
	if err != nil {
		return money.Amount{}, err
	}
	return money.New(minor, c), nil
}

// register records the currencies of amounts that are not ISO 4217 codes,
// so that their codes read back as the same currencies.
func (x *hrTx) register(ctx context.Context, amounts ...money.Amount) error {
	for _, a := range amounts {
		if c := a.Currency(); !c.IsZero() {
			if err := x.t.registerCurrency(ctx, c); err != nil {
				return err
			}
		}
	}
	return nil
}

// bounds returns the text of a date range with zero bounds opened to the
// first and the last representable day.
func bounds(from, to date.Date) (string, string) {
	lo, hi := "0001-01-01", lastDay.String()
	if !from.IsZero() {
		lo = from.String()
	}
	if !to.IsZero() {
		hi = to.String()
	}
	return lo, hi
}

// ---- employees ----

func (x *hrTx) employees(ctx context.Context, q string, args ...any) ([]hr.Employee, error) {
	return list(ctx, x, "read employee", q, args, func(rows *sql.Rows, e *hr.Employee) error {
		return rows.Scan(&e.ID, &e.Employer, &e.PersonnelNumber, &e.Version, &e.GivenName, &e.FamilyName, &e.BirthDate,
			&e.Address.Street, &e.Address.PostalCode, &e.Address.City, &e.Address.Region, &e.Address.Country, &e.Email,
			&e.HireDate, &e.TerminationDate, &e.Department, &e.CostCentre, &e.Manager,
			&e.Bank.IBAN, &e.Bank.BIC, &e.Bank.RoutingNumber, &e.Bank.AccountNumber, storedTime{&e.RecordedAt},
			&e.TaxID, &e.SocialInsuranceNumber, &e.SSN)
	})
}

func (x *hrTx) one(es []hr.Employee, err error) (hr.Employee, error) {
	if err != nil {
		return hr.Employee{}, err
	}
	if len(es) == 0 {
		return hr.Employee{}, x.notFound("employee")
	}
	return es[0], nil
}

// Employee implements hr.ReadTx.
func (x *hrTx) Employee(ctx context.Context, id string) (hr.Employee, error) {
	if err := x.touch(ctx, id); err != nil {
		return hr.Employee{}, err
	}
	return x.one(x.employees(ctx, x.q.employee, id))
}

// EmployeeByNumber implements hr.ReadTx.
func (x *hrTx) EmployeeByNumber(ctx context.Context, employer, number string) (hr.Employee, error) {
	if x.t.readOnly || x.t.s.d.ForUpdate == "" {
		return x.one(x.employees(ctx, x.q.employeeByNumber, employer, number))
	}
	// Lock first, then read: the number leads to the ID for good.
	var id string
	err := x.t.tx.QueryRowContext(ctx, x.q.employeeID, employer, number).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return hr.Employee{}, x.notFound("employee")
	}
	if err != nil {
		return hr.Employee{}, x.wrap("read employee", err)
	}
	return x.Employee(ctx, id)
}

// Employees implements hr.ReadTx.
func (x *hrTx) Employees(ctx context.Context, employer string) ([]hr.Employee, error) {
	return x.employees(ctx, x.q.employees, employer)
}

// EmployeeVersions implements hr.ReadTx.
func (x *hrTx) EmployeeVersions(ctx context.Context, id string) ([]hr.Employee, error) {
	if err := x.touch(ctx, id); err != nil {
		return nil, err
	}
	return x.employees(ctx, x.q.versions, id)
}

// AddEmployee implements hr.Tx. Version 1 adds the employee's row, whose
// keys refuse a taken ID or personnel number (hr.ErrDuplicate); a later
// version needs the employee (hr.ErrNotFound) and keeps its employer and
// personnel number.
func (x *hrTx) AddEmployee(ctx context.Context, e hr.Employee) error {
	if err := x.writable(); err != nil {
		return err
	}
	if e.Version == 1 {
		if err := x.exec(ctx, "add employee", x.q.addEmployee, e.ID, e.Employer, e.PersonnelNumber); err != nil {
			return err
		}
		if x.locked == nil {
			x.locked = map[string]bool{}
		}
		x.locked[e.ID] = true // ours until the transaction ends
	} else if err := x.existing(ctx, e.ID); err != nil {
		return err
	}
	a, b := e.Address, e.Bank
	return x.exec(ctx, "add employee version", x.q.addVersion,
		e.ID, e.Version, e.GivenName, e.FamilyName, e.BirthDate, a.Street, a.PostalCode, a.City, a.Region, a.Country, e.Email,
		e.HireDate, e.TerminationDate, e.Department, e.CostCentre, e.Manager, b.IBAN, b.BIC, b.RoutingNumber, b.AccountNumber,
		x.t.s.d.Time(e.RecordedAt), e.TaxID, e.SocialInsuranceNumber, e.SSN)
}

// ---- contracts ----

// payItem is a contract's pay item as stored in the items JSON array.
type payItem struct {
	Code     string      `json:"code"`
	Kind     hr.ItemKind `json:"kind"`
	Minor    int64       `json:"minor"`
	Currency string      `json:"currency"`
}

// Contracts implements hr.ReadTx.
func (x *hrTx) Contracts(ctx context.Context, employee string) ([]hr.Contract, error) {
	if err := x.touch(ctx, employee); err != nil {
		return nil, err
	}
	return x.contracts(ctx, x.q.contracts, employee)
}

// contracts returns the contracts q selects.
func (x *hrTx) contracts(ctx context.Context, q string, args ...any) ([]hr.Contract, error) {
	type row struct {
		c     hr.Contract
		minor int64
		cur   string
		items []byte
	}
	rs, err := list(ctx, x, "read contracts", q, args, func(rows *sql.Rows, r *row) error {
		c := &r.c
		return rows.Scan(&c.Employee, &c.Seq, &c.ValidFrom, &c.ValidTo, storedTime{&c.RecordedAt}, &c.PayType, &r.minor, &r.cur,
			&c.Frequency, &c.WeeklyHours, &c.WorkDays, &r.items)
	})
	if err != nil {
		return nil, err
	}
	out := make([]hr.Contract, len(rs))
	for i, r := range rs {
		c := r.c
		if c.Amount, err = x.amount(ctx, r.minor, r.cur); err != nil {
			return nil, err
		}
		if len(r.items) > 0 {
			var items []payItem
			if err := json.Unmarshal(r.items, &items); err != nil {
				return nil, fmt.Errorf("%s store: stored pay items are not a JSON array of items: %w", x.t.s.d.Name, hr.ErrInvalid)
			}
			c.Items = make([]hr.PayItem, len(items))
			for j, it := range items {
				c.Items[j] = hr.PayItem{Code: it.Code, Kind: it.Kind}
				if c.Items[j].Amount, err = x.amount(ctx, it.Minor, it.Currency); err != nil {
					return nil, err
				}
			}
		}
		out[i] = c
	}
	return out, nil
}

// AddContract implements hr.Tx.
func (x *hrTx) AddContract(ctx context.Context, c hr.Contract) error {
	if err := x.existing(ctx, c.Employee); err != nil {
		return err
	}
	amounts := []money.Amount{c.Amount}
	var items any // NULL without items
	if len(c.Items) > 0 {
		its := make([]payItem, len(c.Items))
		for i, it := range c.Items {
			its[i] = payItem{Code: it.Code, Kind: it.Kind, Minor: it.Amount.MinorUnits(), Currency: it.Amount.Currency().Code()}
			amounts = append(amounts, it.Amount)
		}
		b, err := json.Marshal(its)
		if err != nil {
			return err
		}
		items = string(b)
	}
	if err := x.register(ctx, amounts...); err != nil {
		return err
	}
	return x.exec(ctx, "add contract", x.q.addContract,
		c.Employee, c.Seq, c.ValidFrom, c.ValidTo, x.t.s.d.Time(c.RecordedAt), string(c.PayType),
		c.Amount.MinorUnits(), c.Amount.Currency().Code(), string(c.Frequency), c.WeeklyHours.String(), int64(c.WorkDays), items)
}

// ---- tax profiles ----

// TaxProfiles implements hr.ReadTx.
func (x *hrTx) TaxProfiles(ctx context.Context, employee string) ([]hr.TaxProfile, error) {
	if err := x.touch(ctx, employee); err != nil {
		return nil, err
	}
	return x.taxProfiles(ctx, x.q.taxProfiles, employee)
}

// taxProfiles returns the tax profiles q selects.
func (x *hrTx) taxProfiles(ctx context.Context, q string, args ...any) ([]hr.TaxProfile, error) {
	type row struct {
		p     hr.TaxProfile
		minor [4]int64
		cur   [4]string
		extra []byte
	}
	rs, err := list(ctx, x, "read tax profiles", q, args, func(rows *sql.Rows, r *row) error {
		p := &r.p
		return rows.Scan(&p.Employee, &p.Seq, &p.ValidFrom, &p.ValidTo, storedTime{&p.RecordedAt}, &p.Jurisdiction,
			&p.DE.TaxClass, &p.DE.ChildAllowances, &p.DE.ChurchTax, &p.DE.HealthSupplement, &p.DE.State,
			&p.US.FilingStatus, &p.US.Pre2020, &p.US.Allowances, &p.US.MultipleJobs,
			&r.minor[0], &r.cur[0], &r.minor[1], &r.cur[1], &r.minor[2], &r.cur[2], &r.minor[3], &r.cur[3], &r.extra, &p.US.Exempt)
	})
	if err != nil {
		return nil, err
	}
	out := make([]hr.TaxProfile, len(rs))
	for i, r := range rs {
		p := r.p
		for j, a := range usAmounts(&p.US) {
			if *a, err = x.amount(ctx, r.minor[j], r.cur[j]); err != nil {
				return nil, err
			}
		}
		if p.Extra, err = decodeMap(r.extra); err != nil {
			return nil, err
		}
		out[i] = p
	}
	return out, nil
}

// usAmounts returns the amounts of a Form W-4, in the order of the columns.
func usAmounts(u *hr.USTax) [4]*money.Amount {
	return [4]*money.Amount{&u.Dependents, &u.OtherIncome, &u.Deductions, &u.ExtraWithholding}
}

// AddTaxProfile implements hr.Tx.
func (x *hrTx) AddTaxProfile(ctx context.Context, p hr.TaxProfile) error {
	if err := x.existing(ctx, p.Employee); err != nil {
		return err
	}
	us := usAmounts(&p.US)
	if err := x.register(ctx, *us[0], *us[1], *us[2], *us[3]); err != nil {
		return err
	}
	extra, err := encodeMap(p.Extra)
	if err != nil {
		return err
	}
	args := []any{p.Employee, p.Seq, p.ValidFrom, p.ValidTo, x.t.s.d.Time(p.RecordedAt), p.Jurisdiction,
		int64(p.DE.TaxClass), p.DE.ChildAllowances.String(), p.DE.ChurchTax, p.DE.HealthSupplement.String(), p.DE.State,
		string(p.US.FilingStatus), p.US.Pre2020, int64(p.US.Allowances), p.US.MultipleJobs}
	for _, a := range us {
		args = append(args, a.MinorUnits(), a.Currency().Code())
	}
	args = append(args, extra, p.US.Exempt)
	return x.exec(ctx, "add tax profile", x.q.addTaxProfile, args...)
}

// ---- time, absences, one-time items ----

// TimeEntries implements hr.ReadTx.
func (x *hrTx) TimeEntries(ctx context.Context, employee string, from, to date.Date) ([]hr.TimeEntry, error) {
	if err := x.touch(ctx, employee); err != nil {
		return nil, err
	}
	lo, hi := bounds(from, to)
	return x.timeEntries(ctx, x.q.timeEntries, employee, lo, hi)
}

// timeEntries returns the time entries q selects.
func (x *hrTx) timeEntries(ctx context.Context, q string, args ...any) ([]hr.TimeEntry, error) {
	return list(ctx, x, "read time", q, args, func(rows *sql.Rows, e *hr.TimeEntry) error {
		return rows.Scan(&e.Employee, &e.Date, &e.Kind, &e.Hours, storedTime{&e.RecordedAt})
	})
}

// AddTimeEntries implements hr.Tx: one multi-row INSERT, or COPY for many
// rows on PostgreSQL.
func (x *hrTx) AddTimeEntries(ctx context.Context, entries []hr.TimeEntry) error {
	return addRows(ctx, x, "bo_hr_time", hrTimeCols, entries, func(e *hr.TimeEntry) string { return e.Employee },
		func(e *hr.TimeEntry, dst []any) {
			dst[0], dst[1], dst[2], dst[3], dst[4] = e.Employee, e.Date, string(e.Kind), e.Hours.String(), x.t.s.d.Time(e.RecordedAt)
		})
}

// addRows inserts a row into table for each of recs, whose employees must
// exist, with the values row writes into dst.
func addRows[T any](ctx context.Context, x *hrTx, table string, cols []string, recs []T,
	employee func(*T) string, row func(rec *T, dst []any)) error {
	ids := make([]string, len(recs))
	for i := range recs {
		ids[i] = employee(&recs[i])
	}
	if err := x.existing(ctx, ids...); err != nil {
		return err
	}
	return x.t.insert(ctx, table, cols, len(recs), func(i int, dst []any) { row(&recs[i], dst) })
}

// Absences implements hr.ReadTx.
func (x *hrTx) Absences(ctx context.Context, employee string, from, to date.Date) ([]hr.Absence, error) {
	if err := x.touch(ctx, employee); err != nil {
		return nil, err
	}
	lo, hi := bounds(from, to)
	return x.absences(ctx, x.q.absences, employee, hi, lo)
}

// absences returns the absences q selects.
func (x *hrTx) absences(ctx context.Context, q string, args ...any) ([]hr.Absence, error) {
	return list(ctx, x, "read absences", q, args, func(rows *sql.Rows, a *hr.Absence) error {
		return rows.Scan(&a.Employee, &a.Kind, &a.From, &a.To, &a.HalfDay, storedTime{&a.RecordedAt})
	})
}

// AddAbsences implements hr.Tx.
func (x *hrTx) AddAbsences(ctx context.Context, absences []hr.Absence) error {
	return addRows(ctx, x, "bo_hr_absences", hrAbsenceCols, absences, func(a *hr.Absence) string { return a.Employee },
		func(a *hr.Absence, dst []any) {
			dst[0], dst[1], dst[2], dst[3], dst[4], dst[5] = a.Employee, string(a.Kind), a.From, a.To, a.HalfDay, x.t.s.d.Time(a.RecordedAt)
		})
}

func (x *hrTx) items(ctx context.Context, q string, args ...any) ([]hr.OneTimeItem, error) {
	type row struct {
		it    hr.OneTimeItem
		minor int64
		cur   string
	}
	rs, err := list(ctx, x, "read items", q, args, func(rows *sql.Rows, r *row) error {
		it := &r.it
		return rows.Scan(&it.Employee, &it.Key, &it.Date, &it.Type, &it.Code, &r.minor, &r.cur, storedTime{&it.RecordedAt})
	})
	if err != nil {
		return nil, err
	}
	out := make([]hr.OneTimeItem, len(rs))
	for i, r := range rs {
		out[i] = r.it
		if out[i].Amount, err = x.amount(ctx, r.minor, r.cur); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// OneTimeItems implements hr.ReadTx.
func (x *hrTx) OneTimeItems(ctx context.Context, employee string, from, to date.Date) ([]hr.OneTimeItem, error) {
	if err := x.touch(ctx, employee); err != nil {
		return nil, err
	}
	lo, hi := bounds(from, to)
	return x.items(ctx, x.q.items, employee, lo, hi)
}

// OneTimeItem implements hr.ReadTx.
func (x *hrTx) OneTimeItem(ctx context.Context, employee, key string) (hr.OneTimeItem, error) {
	if err := x.touch(ctx, employee); err != nil {
		return hr.OneTimeItem{}, err
	}
	its, err := x.items(ctx, x.q.item, employee, key)
	if err != nil {
		return hr.OneTimeItem{}, err
	}
	if len(its) == 0 {
		return hr.OneTimeItem{}, x.notFound("item")
	}
	return its[0], nil
}

// AddOneTimeItem implements hr.Tx.
func (x *hrTx) AddOneTimeItem(ctx context.Context, it hr.OneTimeItem) error {
	if err := x.existing(ctx, it.Employee); err != nil {
		return err
	}
	if err := x.register(ctx, it.Amount); err != nil {
		return err
	}
	return x.exec(ctx, "add item", x.q.addItem, it.Employee, it.Key, it.Date, string(it.Type), it.Code,
		it.Amount.MinorUnits(), it.Amount.Currency().Code(), x.t.s.d.Time(it.RecordedAt))
}
