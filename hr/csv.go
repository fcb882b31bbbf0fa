package hr

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/internal/csvio"
	"github.com/openbackoffice/backoffice/money"
)

// ImportOptions configures a CSV import. A nil *ImportOptions means the
// defaults.
//
// Files are UTF-8, with or without a byte order mark; the first row names
// the columns (in any order and case; see the Import methods for the
// columns); the separator is ',' or ';', detected from the header unless
// Comma is set. Dates are YYYY-MM-DD. Numbers use '.' as the decimal
// separator, or ',' if DecimalComma is set (amounts may then group
// thousands with '.', as in 1.234,56).
type ImportOptions struct {
	Comma        rune   // the separator; 0 detects ',' or ';'
	DecimalComma bool   // numbers are written with a decimal comma
	Employer     string // the employer of rows without an employer column or value
	// Warn, if not nil, is called with each warning of a row as the file is
	// read (an *ImportError wrapping a *FieldError that wraps ErrUnusual,
	// such as a contract of more than 48 hours a week; see
	// Contract.Warnings), whether or not the import then succeeds. Warnings
	// never fail an import.
	Warn func(*ImportError)
}

// ExportOptions configures a CSV export. A nil *ExportOptions writes ','
// separated UTF-8 without a byte order mark, with decimal points.
type ExportOptions struct {
	Comma        rune // the separator; 0 means ','
	DecimalComma bool // write numbers with a decimal comma (use with Comma ';')
}

// Columns of the CSV files. Import requires the columns marked so in the
// Import methods' documentation and accepts the others; Export writes all.
var (
	employeeColumns = []string{"id", "employer", "personnel_number", "given_name", "family_name", "birth_date",
		"street", "postal_code", "city", "region", "country", "email", "hire_date", "termination_date",
		"department", "cost_centre", "manager", "iban", "bic", "routing_number", "account_number",
		"tax_id", "social_insurance_number", "ssn"}
	contractColumns = []string{"employer", "personnel_number", "valid_from", "valid_to", "pay_type", "amount",
		"currency", "frequency", "weekly_hours", "work_days", "items"}
	timeColumns    = []string{"employer", "personnel_number", "date", "kind", "hours"}
	absenceColumns = []string{"employer", "personnel_number", "kind", "from", "to", "half_day"}
	taxColumns     = []string{"employer", "personnel_number", "valid_from", "valid_to", "jurisdiction",
		"tax_class", "child_allowances", "church_tax", "health_supplement", "state",
		"filing_status", "pre_2020", "allowances", "multiple_jobs", "dependents", "other_income", "deductions",
		"extra_withholding", "exempt"}
)

// importer reads one CSV file and collects every problem with its row and
// column.
type importer struct {
	rd   *csvio.Reader
	opts ImportOptions
	reg  *money.Registry
	row  *csvio.Row
	bad  bool // the current row has a problem
}

func (r *Records) newImporter(src io.Reader, opts *ImportOptions, required, all []string, prefixes ...string) *importer {
	im := &importer{reg: r.reg}
	if opts != nil {
		im.opts = *opts
	}
	var optional []string
	for _, c := range all {
		if !slices.Contains(required, c) {
			optional = append(optional, c)
		}
	}
	im.rd = csvio.NewReader(src, &csvio.Options{Comma: im.opts.Comma, Required: required, Optional: optional, Prefixes: prefixes,
		Confidential: true})
	return im
}

func (im *importer) next() bool {
	if !im.rd.Next() {
		return false
	}
	im.row, im.bad = im.rd.Row(), false
	return true
}

func (im *importer) fail(column string, err error) {
	im.row.Fail(column, err)
	im.bad = true
}

func (im *importer) str(column string) string { return im.row.Get(column) }

func (im *importer) employer() string {
	if v := im.str("employer"); v != "" {
		return v
	}
	if im.opts.Employer == "" {
		im.fail("employer", fmt.Errorf("%w: required", ErrInvalid))
	}
	return im.opts.Employer
}

func (im *importer) date(column string, required bool) date.Date {
	v := im.str(column)
	if v == "" {
		if required {
			im.fail(column, fmt.Errorf("%w: required", ErrInvalid))
		}
		return date.Date{}
	}
	d, err := date.Parse(v)
	if err != nil {
		im.fail(column, fmt.Errorf("%w: want YYYY-MM-DD", ErrInvalid))
	}
	return d
}

// decimal parses a plain decimal number: optional sign, digits, optionally
// the decimal separator and more digits. Errors never repeat the text.
func (im *importer) decimal(column string, required bool) decimal.Decimal {
	v := im.str(column)
	if v == "" {
		if required {
			im.fail(column, fmt.Errorf("%w: required", ErrInvalid))
		}
		return decimal.Decimal{}
	}
	d, ok := parseDecimal(v, im.opts.DecimalComma)
	if !ok {
		im.fail(column, fmt.Errorf("%w: not a number", ErrInvalid))
	}
	return d
}

func parseDecimal(v string, comma bool) (decimal.Decimal, bool) {
	sep := byte('.')
	if comma {
		sep = ','
	}
	body := strings.TrimPrefix(strings.TrimPrefix(v, "-"), "+")
	intPart, frac, hasSep := strings.Cut(body, string(sep))
	if !digits(intPart, 1, 30) || hasSep && !digits(frac, 1, 30) {
		return decimal.Decimal{}, false
	}
	d, err := decimal.NewFromString(strings.Replace(v, string(sep), ".", 1))
	return d, err == nil
}

func (im *importer) currency(column string) money.Currency {
	v := im.str(column)
	if v == "" {
		im.fail(column, fmt.Errorf("%w: required", ErrInvalid))
		return money.Currency{}
	}
	c, err := im.reg.Lookup(v)
	if err != nil {
		im.fail(column, ErrUnknownCurrency)
	}
	return c
}

func (im *importer) amount(column, text string, c money.Currency) money.Amount {
	if c.IsZero() {
		return money.Amount{}
	}
	f := money.Plain
	if im.opts.DecimalComma {
		f = money.German
	}
	a, err := money.ParseFormat(text, c, f)
	if err != nil {
		reason := "not an amount"
		if errors.Is(err, money.ErrScale) {
			reason = "more decimal places than the currency has"
		}
		im.fail(column, fmt.Errorf("%w: %s", ErrInvalid, reason))
	}
	return a
}

func (im *importer) bool(column string) bool {
	switch strings.ToLower(im.str(column)) {
	case "", "0", "false", "no", "n":
		return false
	case "1", "true", "yes", "y", "x":
		return true
	}
	im.fail(column, fmt.Errorf("%w: want true or false", ErrInvalid))
	return false
}

// result returns every problem of the import, in row order, as
// ImportErrors, or nil if there is none: those found reading the file, and
// the problems probs of the records from rows found against the store (the
// column taken from the *FieldError's field, if it is one of known). The
// store's problems are passed in rather than kept, as a store may run a
// transaction more than once.
func (im *importer) result(probs []problem, rows []int, known []string) error {
	var out ImportErrors
	var ce csvio.Errors
	if err := im.rd.Err(); errors.As(err, &ce) {
		for _, fe := range ce {
			out = append(out, &ImportError{Row: fe.Row, Column: fe.Column, Err: fe.Err})
		}
	} else if err != nil {
		return err
	}
	for _, p := range probs {
		out = append(out, &ImportError{Row: rows[p.i], Column: columnOf(p.err, known), Err: p.err})
	}
	if len(out) == 0 {
		return nil
	}
	slices.SortStableFunc(out, func(a, b *ImportError) int { return a.Row - b.Row })
	return out
}

// columnOf returns the column of a problem: the field of its *FieldError
// if it is one of known ("employee" is the personnel number), else "".
func columnOf(err error, known []string) string {
	var fe *FieldError
	if !errors.As(err, &fe) {
		return ""
	}
	col := fe.Field
	if col == "employee" {
		col = "personnel_number"
	}
	if !slices.Contains(known, col) {
		return ""
	}
	return col
}

// warn passes the warnings of the current row to ImportOptions.Warn.
func (im *importer) warn(ws []error, known []string, number string) {
	if im.opts.Warn == nil {
		return
	}
	for _, w := range ws {
		if validNumber(number) {
			w = withNumber(w, number)
		}
		im.opts.Warn(&ImportError{Row: im.row.Num(), Column: columnOf(w, known), Err: w})
	}
}

// failRow records err, a problem of the current row's record found before
// the store is asked, as an error of the row, naming the row's personnel
// number if it is one.
func (im *importer) failRow(err error, known []string, number string) {
	if validNumber(number) {
		err = withNumber(err, number)
	}
	im.rd.Fail(im.row.Num(), columnOf(err, known), err)
	im.bad = true
}

// ImportEmployees hires the employees of a CSV file, all or none, and
// returns how many it hired and how many were stored already. Required
// columns: personnel_number, family_name, hire_date; optional: id,
// employer (else ImportOptions.Employer), given_name, birth_date, street,
// postal_code, city, region, country, email, termination_date,
// department, cost_centre, manager (an employee ID, in the store or the
// file), iban, bic, routing_number, account_number, tax_id,
// social_insurance_number, ssn.
//
// An employee is identified by employer and personnel number. A row whose
// employee is stored with the same master data (the latest version; an
// empty id is not compared) is stored already; with other data it is
// ErrConflict naming the columns that differ. A personnel number or ID
// twice in the file is ErrDuplicate, as is a new employee's ID taken by
// another.
//
// Any problem fails the whole import, which then returns ImportErrors
// naming every problem found with its row and column, and writes nothing.
func (r *Records) ImportEmployees(ctx context.Context, src io.Reader, opts *ImportOptions) (ImportCount, error) {
	im := r.newImporter(src, opts, []string{"personnel_number", "family_name", "hire_date"}, employeeColumns)
	var es []Employee
	var rows []int
	seenID, seenNum := map[string]int{}, map[numberKey]int{}
	for im.next() {
		e := Employee{
			ID: im.str("id"), Employer: im.employer(), PersonnelNumber: im.str("personnel_number"),
			GivenName: im.str("given_name"), FamilyName: im.str("family_name"), BirthDate: im.date("birth_date", false),
			Address: Address{Street: im.str("street"), PostalCode: im.str("postal_code"), City: im.str("city"),
				Region: im.str("region"), Country: im.str("country")},
			Email: im.str("email"), HireDate: im.date("hire_date", true), TerminationDate: im.date("termination_date", false),
			Department: im.str("department"), CostCentre: im.str("cost_centre"), Manager: im.str("manager"),
			Bank:  BankAccount{IBAN: im.str("iban"), BIC: im.str("bic"), RoutingNumber: im.str("routing_number"), AccountNumber: im.str("account_number")},
			TaxID: im.str("tax_id"), SocialInsuranceNumber: im.str("social_insurance_number"), SSN: im.str("ssn"),
		}
		if im.bad {
			continue
		}
		e = r.prepareHire(e)
		if err := e.Validate(); err != nil {
			im.failRow(err, employeeColumns, "")
			continue
		}
		num := numberKey{e.Employer, e.PersonnelNumber}
		if first, dup := seenNum[num]; dup {
			im.fail("personnel_number", fmt.Errorf("%w: also in row %d", ErrDuplicate, first))
			continue
		}
		if first, dup := seenID[e.ID]; dup {
			im.fail("id", fmt.Errorf("%w: also in row %d", ErrDuplicate, first))
			continue
		}
		seenNum[num], seenID[e.ID] = im.row.Num(), im.row.Num()
		es = append(es, e)
		rows = append(rows, im.row.Num())
	}
	var count ImportCount
	err := r.store.UpdateHR(ctx, func(tx Tx) error {
		probs, existing := writeEmployees(r.newChange(ctx, newMemoTx(tx), true), es)
		if err := im.result(probs, rows, employeeColumns); err != nil {
			return err
		}
		count = ImportCount{Added: len(es) - existing, Existing: existing}
		return nil
	})
	if err != nil {
		return ImportCount{}, err
	}
	return count, nil
}

type numberKey struct{ employer, number string }

// writeEmployees hires the employees of an import that are not stored yet,
// checking them against the store and each other, if there is no problem.
// It returns the problems and how many employees were stored already (see
// ImportEmployees).
func writeEmployees(c *change, es []Employee) ([]problem, int) {
	pending := map[string]bool{}
	for _, e := range es {
		pending[e.ID] = true
	}
	var probs []problem
	adds := make([]bool, len(es))
	existing := 0
	for i := range es {
		e := &es[i]
		old, err := c.tx.EmployeeByNumber(c.ctx, e.Employer, e.PersonnelNumber)
		switch {
		case err == nil:
			if fields := employeeDiff(&old, e); len(fields) > 0 {
				probs = append(probs, problem{i, withNumber(conflict("employee", fields), e.PersonnelNumber)})
			} else {
				existing++
			}
			continue
		case !errors.Is(err, ErrNotFound):
			probs = append(probs, problem{i, err})
			continue
		}
		delete(pending, e.ID) // only the own ID counts as a duplicate
		if err := checkNewEmployee(c.ctx, c.tx, e, pending); err != nil {
			probs = append(probs, problem{i, withNumber(err, e.PersonnelNumber)})
		}
		pending[e.ID], adds[i] = true, true
	}
	if len(probs) > 0 {
		return probs, existing
	}
	now := c.now()
	for i := range es {
		if !adds[i] {
			continue
		}
		es[i].RecordedAt = now
		if err := c.tx.AddEmployee(c.ctx, es[i]); err != nil {
			return []problem{{i, err}}, existing
		}
	}
	return nil, existing
}

// lookup resolves the employee of each row by employer and personnel
// number: the IDs, "" for the rows whose employee is unknown, and their
// problems.
func lookup(ctx context.Context, tx ReadTx, rec string, keys []numberKey) ([]string, []problem) {
	ids := make([]string, len(keys))
	var probs []problem
	for i, k := range keys {
		e, err := tx.EmployeeByNumber(ctx, k.employer, k.number)
		if errors.Is(err, ErrNotFound) {
			err = fieldErr(rec, "personnel_number", ErrNotFound, "no employee with this personnel number")
			if validNumber(k.number) {
				err = withNumber(err, k.number)
			}
		}
		if err != nil {
			probs = append(probs, problem{i, err})
			continue
		}
		ids[i] = e.ID
	}
	return ids, probs
}

// ImportContracts records the contract versions of a CSV file as one
// change, all or none, and returns how many it recorded and how many were
// stored already. Required columns: personnel_number, valid_from,
// pay_type, amount, currency, frequency; optional: employer (else
// ImportOptions.Employer), valid_to, weekly_hours, work_days (such as "Mon
// Tue Wed Thu Fri"), items (pay items separated by '|', each
// "code:kind:amount:currency", such as "VWL:allowance:40.00:EUR").
// Versions of one employee must not overlap (ErrOverlap); otherwise the
// rules and errors are those of SetContracts and ImportEmployees.
//
// A row is identified by its employee and its days, valid_from to
// valid_to: if no stored version covers any of them, it is recorded; if
// on every one of them the contract in force (as recorded now) has the
// same terms, it is stored already; otherwise it is ErrConflict, naming
// the columns that differ (or valid_from or valid_to if a stored contract
// covers only some of its days). An import never records a change: that
// is SetContract's or ChangeContract's.
func (r *Records) ImportContracts(ctx context.Context, src io.Reader, opts *ImportOptions) (ImportCount, error) {
	im := r.newImporter(src, opts, []string{"personnel_number", "valid_from", "pay_type", "amount", "currency", "frequency"}, contractColumns)
	var cs []Contract
	var keys []numberKey
	var rows []int
	for im.next() {
		c := Contract{
			Effective: Effective{ValidFrom: im.date("valid_from", true), ValidTo: im.date("valid_to", false)},
			PayType:   PayType(im.str("pay_type")), Frequency: Frequency(im.str("frequency")),
			WeeklyHours: im.decimal("weekly_hours", false),
		}
		cur := im.currency("currency")
		c.Amount = im.amount("amount", im.str("amount"), cur)
		wd, err := ParseWeekdays(im.str("work_days"))
		if err != nil {
			im.fail("work_days", err)
		}
		c.WorkDays = wd
		c.Items = im.items("items")
		key := numberKey{im.employer(), im.str("personnel_number")}
		if im.bad {
			continue
		}
		c.Employee = "?" // resolved in the transaction
		if err := r.checkContract(&c); err != nil {
			im.failRow(err, contractColumns, key.number)
			continue
		}
		im.warn(c.Warnings(), contractColumns, key.number)
		cs, keys, rows = append(cs, c), append(keys, key), append(rows, im.row.Num())
	}
	return writeImported(ctx, r, im, "contract", cs, keys, rows, contractColumns,
		func(c *Contract, id string) { c.Employee = id }, writeContracts)
}

// writeImported resolves the personnel numbers of an import's records in
// one UpdateHR, sets each record's employee ID, and writes those of known
// employees with write, which stamps them once it has read their
// employees. Every problem is reported (those of the file, unknown
// personnel numbers and those write finds), and nothing is written if
// there is one. It returns how many records write recorded and how many
// were stored already.
func writeImported[V any](ctx context.Context, r *Records, im *importer, rec string, vs []V, keys []numberKey, rows []int, columns []string,
	setEmployee func(v *V, id string), write func(*change, []V) ([]problem, int)) (ImportCount, error) {
	var count ImportCount
	err := r.store.UpdateHR(ctx, func(tx Tx) error {
		c := r.newChange(ctx, newMemoTx(tx), true)
		ids, probs := lookup(ctx, c.tx, rec, keys)
		var known []V
		var at []int // the index in vs of each of known
		for i, id := range ids {
			if id != "" {
				v := vs[i]
				setEmployee(&v, id)
				known, at = append(known, v), append(at, i)
			}
		}
		wprobs, existing := write(c, known)
		for _, p := range wprobs {
			probs = append(probs, problem{at[p.i], p.err})
		}
		if err := im.result(probs, rows, columns); err != nil {
			return err
		}
		count = ImportCount{Added: len(known) - existing, Existing: existing}
		return nil
	})
	if err != nil {
		return ImportCount{}, err
	}
	return count, nil
}

func (im *importer) items(column string) []PayItem {
	v := im.str(column)
	if v == "" {
		return nil
	}
	var out []PayItem
	for _, s := range strings.Split(v, "|") {
		parts := strings.Split(strings.TrimSpace(s), ":")
		if len(parts) != 4 {
			im.fail(column, fmt.Errorf("%w: want code:kind:amount:currency", ErrInvalid))
			return nil
		}
		c, err := im.reg.Lookup(strings.TrimSpace(parts[3]))
		if err != nil {
			im.fail(column, ErrUnknownCurrency)
			return nil
		}
		out = append(out, PayItem{Code: strings.TrimSpace(parts[0]), Kind: ItemKind(strings.TrimSpace(parts[1])),
			Amount: im.amount(column, strings.TrimSpace(parts[2]), c)})
	}
	return out
}

// ImportTime records the time entries of a CSV file, all or none, and
// returns how many it recorded and how many were stored already. Required
// columns: personnel_number, date, kind, hours; optional: employer (else
// ImportOptions.Employer). The rules and errors are those of RecordTime
// and ImportEmployees.
//
// Time entries have no identity of their own (two equal shifts on one day
// are two rows): an employee's entries of one day and kind are one unit.
// If the store holds entries for the unit, the file's rows for it must be
// the same hours, as often, in any order, and are then stored already
// (importing a file twice adds nothing); otherwise they are ErrConflict.
// Entries for a day and kind without stored entries are recorded.
func (r *Records) ImportTime(ctx context.Context, src io.Reader, opts *ImportOptions) (ImportCount, error) {
	im := r.newImporter(src, opts, []string{"personnel_number", "date", "kind", "hours"}, timeColumns)
	var es []TimeEntry
	var keys []numberKey
	var rows []int
	for im.next() {
		e := TimeEntry{Employee: "?", Date: im.date("date", true), Kind: HourKind(im.str("kind")),
			Hours: im.decimal("hours", true)}
		key := numberKey{im.employer(), im.str("personnel_number")}
		if im.bad {
			continue
		}
		if err := e.Validate(); err != nil {
			im.failRow(err, timeColumns, key.number)
			continue
		}
		es, keys, rows = append(es, e), append(keys, key), append(rows, im.row.Num())
	}
	return writeImported(ctx, r, im, "time", es, keys, rows, timeColumns,
		func(e *TimeEntry, id string) { e.Employee = id }, writeTime)
}

// ImportAbsences records the absences of a CSV file, all or none, and
// returns how many it recorded and how many were stored already. Required
// columns: personnel_number, kind, from; optional: employer (else
// ImportOptions.Employer), to (else from), half_day (true/false, yes/no,
// 1/0). The rules and errors are those of RecordAbsences and
// ImportEmployees.
//
// An absence is identified by its employee and its days (from, to, and
// whether it is a half day; two half-day absences may share a day): if
// the store holds absences over the same days, the file's rows for them
// must be of the same kinds and are then stored already; otherwise they
// are ErrConflict. An absence over other days that overlaps a stored one
// is ErrOverlap.
func (r *Records) ImportAbsences(ctx context.Context, src io.Reader, opts *ImportOptions) (ImportCount, error) {
	im := r.newImporter(src, opts, []string{"personnel_number", "kind", "from"}, absenceColumns)
	var as []Absence
	var keys []numberKey
	var rows []int
	for im.next() {
		a := Absence{Employee: "?", Kind: AbsenceKind(im.str("kind")), From: im.date("from", true),
			To: im.date("to", false), HalfDay: im.bool("half_day")}
		key := numberKey{im.employer(), im.str("personnel_number")}
		if im.bad {
			continue
		}
		if a.To.IsZero() {
			a.To = a.From
		}
		if err := a.Validate(); err != nil {
			im.failRow(err, absenceColumns, key.number)
			continue
		}
		as, keys, rows = append(as, a), append(keys, key), append(rows, im.row.Num())
	}
	return writeImported(ctx, r, im, "absence", as, keys, rows, absenceColumns,
		func(a *Absence, id string) { a.Employee = id }, writeAbsences)
}

// ---- export ----

type exporter struct {
	w   *csv.Writer
	opt ExportOptions
}

func newExporter(w io.Writer, opts *ExportOptions, header []string) *exporter {
	ex := &exporter{w: csv.NewWriter(w)}
	if opts != nil {
		ex.opt = *opts
	}
	if ex.opt.Comma != 0 {
		ex.w.Comma = ex.opt.Comma
	}
	_ = ex.w.Write(header)
	return ex
}

func (ex *exporter) num(s string) string {
	if ex.opt.DecimalComma {
		return strings.Replace(s, ".", ",", 1)
	}
	return s
}

func (ex *exporter) dec(d decimal.Decimal) string {
	if d.IsZero() {
		return "0"
	}
	return ex.num(d.String())
}

func (ex *exporter) flush() error {
	ex.w.Flush()
	return ex.w.Error()
}

// ExportEmployees writes the latest version of every employee of employer
// as CSV, ordered by personnel number, with the columns ImportEmployees
// reads. Importing the file into an empty store gives the same employees
// (with new recording times).
func (r *Records) ExportEmployees(ctx context.Context, w io.Writer, employer string, opts *ExportOptions) error {
	es, err := r.Employees(ctx, employer)
	if err != nil {
		return err
	}
	ex := newExporter(w, opts, employeeColumns)
	for _, e := range es {
		_ = ex.w.Write([]string{e.ID, e.Employer, e.PersonnelNumber, e.GivenName, e.FamilyName, e.BirthDate.String(),
			e.Address.Street, e.Address.PostalCode, e.Address.City, e.Address.Region, e.Address.Country, e.Email,
			e.HireDate.String(), e.TerminationDate.String(), e.Department, e.CostCentre, e.Manager,
			e.Bank.IBAN, e.Bank.BIC, e.Bank.RoutingNumber, e.Bank.AccountNumber,
			e.TaxID, e.SocialInsuranceNumber, e.SSN})
	}
	return ex.flush()
}

// ExportContracts writes the contracts of the employees of employer as
// CSV with the columns ImportContracts reads: per employee, one row per
// stretch of the contract timeline as recorded now (see Timeline), so that
// importing the file into a store with the same employees gives the same
// contract on every day. The recording history itself is not exported.
func (r *Records) ExportContracts(ctx context.Context, w io.Writer, employer string, opts *ExportOptions) error {
	es, err := r.Employees(ctx, employer)
	if err != nil {
		return err
	}
	ex := newExporter(w, opts, contractColumns)
	for _, e := range es {
		spans, err := r.ContractTimeline(ctx, e.ID, time.Time{})
		if err != nil {
			return err
		}
		for _, s := range spans {
			c := s.Version
			var items []string
			for _, it := range c.Items {
				items = append(items, it.Code+":"+string(it.Kind)+":"+ex.num(it.Amount.Number())+":"+it.Amount.Currency().Code())
			}
			_ = ex.w.Write([]string{e.Employer, e.PersonnelNumber, s.From.String(), s.To.String(), string(c.PayType),
				ex.num(c.Amount.Number()), c.Amount.Currency().Code(), string(c.Frequency), ex.dec(c.WeeklyHours),
				c.WorkDays.String(), strings.Join(items, "|")})
		}
	}
	return ex.flush()
}

// ExportTime writes the time entries of the employees of employer dated
// from–to (zero bounds are open) as CSV with the columns ImportTime reads,
// ordered by personnel number, date and kind.
func (r *Records) ExportTime(ctx context.Context, w io.Writer, employer string, from, to date.Date, opts *ExportOptions) error {
	es, err := r.Employees(ctx, employer)
	if err != nil {
		return err
	}
	ex := newExporter(w, opts, timeColumns)
	for _, e := range es {
		ts, err := r.TimeEntries(ctx, e.ID, from, to)
		if err != nil {
			return err
		}
		for _, t := range ts {
			_ = ex.w.Write([]string{e.Employer, e.PersonnelNumber, t.Date.String(), string(t.Kind), ex.dec(t.Hours)})
		}
	}
	return ex.flush()
}

// ExportAbsences writes the absences of the employees of employer sharing
// a day with from–to (zero bounds are open) as CSV with the columns
// ImportAbsences reads, ordered by personnel number and first day.
func (r *Records) ExportAbsences(ctx context.Context, w io.Writer, employer string, from, to date.Date, opts *ExportOptions) error {
	es, err := r.Employees(ctx, employer)
	if err != nil {
		return err
	}
	ex := newExporter(w, opts, absenceColumns)
	for _, e := range es {
		as, err := r.Absences(ctx, e.ID, from, to)
		if err != nil {
			return err
		}
		for _, a := range as {
			_ = ex.w.Write([]string{e.Employer, e.PersonnelNumber, string(a.Kind), a.From.String(), a.To.String(), strconv.FormatBool(a.HalfDay)})
		}
	}
	return ex.flush()
}

// ImportTaxProfiles imports tax profile versions from CSV, all or nothing,
// as ImportContracts does contracts (and identifies rows as it does, by
// employee and days). Columns: personnel_number, valid_from and
// jurisdiction (required); employer, valid_to; for DE tax_class,
// child_allowances, church_tax, health_supplement, state; for the US
// filing_status, pre_2020, allowances, multiple_jobs, dependents,
// other_income, deductions, extra_withholding (USD), exempt; and one
// extra.KEY column per Extra key (such as extra.de.factor). Empty cells are
// zero, false or absent. It returns how many versions it recorded and how
// many were stored already.
func (r *Records) ImportTaxProfiles(ctx context.Context, src io.Reader, opts *ImportOptions) (ImportCount, error) {
	im := r.newImporter(src, opts, []string{"personnel_number", "valid_from", "jurisdiction"}, taxColumns, "extra.")
	var ps []TaxProfile
	var keys []numberKey
	var rows []int
	for im.next() {
		p := TaxProfile{
			Effective:    Effective{ValidFrom: im.date("valid_from", true), ValidTo: im.date("valid_to", false)},
			Jurisdiction: im.str("jurisdiction"),
		}
		if v := im.str("tax_class"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				im.fail("tax_class", fmt.Errorf("%w: want 1–6", ErrInvalid))
			}
			p.DE.TaxClass = n
		}
		p.DE.ChildAllowances = im.decimal("child_allowances", false)
		p.DE.ChurchTax = im.bool("church_tax")
		p.DE.HealthSupplement = im.decimal("health_supplement", false)
		p.DE.State = im.str("state")
		p.US.FilingStatus = FilingStatus(im.str("filing_status"))
		p.US.Pre2020 = im.bool("pre_2020")
		if v := im.str("allowances"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				im.fail("allowances", fmt.Errorf("%w: want 0–99", ErrInvalid))
			}
			p.US.Allowances = n
		}
		p.US.MultipleJobs = im.bool("multiple_jobs")
		for _, f := range []struct {
			col string
			a   *money.Amount
		}{{"dependents", &p.US.Dependents}, {"other_income", &p.US.OtherIncome}, {"deductions", &p.US.Deductions},
			{"extra_withholding", &p.US.ExtraWithholding}} {
			if v := im.str(f.col); v != "" {
				*f.a = im.amount(f.col, v, money.USD)
			}
		}
		p.US.Exempt = im.bool("exempt")
		for k, v := range im.row.Prefixed("extra.") {
			if v == "" {
				continue
			}
			if p.Extra == nil {
				p.Extra = map[string]string{}
			}
			p.Extra[k] = v
		}
		key := numberKey{im.employer(), im.str("personnel_number")}
		if im.bad {
			continue
		}
		p.Employee = "?" // resolved in the transaction
		if err := p.Validate(); err != nil {
			im.failRow(err, taxColumns, key.number)
			continue
		}
		if isUS(p.Jurisdiction) {
			p.US.normalize()
		}
		ps, keys, rows = append(ps, p), append(keys, key), append(rows, im.row.Num())
	}
	return writeImported(ctx, r, im, "tax profile", ps, keys, rows, taxColumns,
		func(p *TaxProfile, id string) { p.Employee = id }, writeTaxProfiles)
}

// ExportTaxProfiles writes the tax profiles in force of every employee of
// employer as CSV (the current timeline, as ExportContracts does), with the
// columns ImportTaxProfiles reads and one extra.KEY column per Extra key
// used. Importing the file into a store with the same employees gives the
// same timelines.
func (r *Records) ExportTaxProfiles(ctx context.Context, w io.Writer, employer string, opts *ExportOptions) error {
	es, err := r.Employees(ctx, employer)
	if err != nil {
		return err
	}
	type row struct {
		e Employee
		s Span[TaxProfile]
	}
	var rows []row
	extras := map[string]bool{}
	for _, e := range es {
		vs, err := r.TaxProfileHistory(ctx, e.ID)
		if err != nil {
			return err
		}
		for _, s := range Timeline(vs, time.Time{}) {
			rows = append(rows, row{e, s})
			for k := range s.Version.Extra {
				extras[k] = true
			}
		}
	}
	keys := slices.Sorted(maps.Keys(extras))
	header := slices.Clone(taxColumns)
	for _, k := range keys {
		header = append(header, "extra."+k)
	}
	ex := newExporter(w, opts, header)
	amount := func(a money.Amount) string {
		if a.IsZero() {
			return ""
		}
		return ex.num(a.Number())
	}
	flag := func(b bool) string {
		if b {
			return "true"
		}
		return ""
	}
	for _, rw := range rows {
		p, de, us := rw.s.Version, rw.s.Version.DE, rw.s.Version.US
		rec := []string{rw.e.Employer, rw.e.PersonnelNumber, rw.s.From.String(), rw.s.To.String(), p.Jurisdiction}
		if p.Jurisdiction == "DE" {
			rec = append(rec, strconv.Itoa(de.TaxClass), ex.dec(de.ChildAllowances), flag(de.ChurchTax), ex.dec(de.HealthSupplement), de.State)
		} else {
			rec = append(rec, "", "", "", "", "")
		}
		allowances := ""
		if us.Allowances != 0 {
			allowances = strconv.Itoa(us.Allowances)
		}
		rec = append(rec, string(us.FilingStatus), flag(us.Pre2020), allowances, flag(us.MultipleJobs),
			amount(us.Dependents), amount(us.OtherIncome), amount(us.Deductions), amount(us.ExtraWithholding), flag(us.Exempt))
		for _, k := range keys {
			rec = append(rec, p.Extra[k])
		}
		_ = ex.w.Write(rec)
	}
	return ex.flush()
}
