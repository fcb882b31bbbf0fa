package postgres_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lib/pq"
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/postgres"
)

// The tests below cover what storetest.HR cannot: what the database itself
// refuses and how that reads, the append-only guards, InTx, and row locks.

// hrPerson is version 1 of an employee whose personal data no error
// message may show.
func hrPerson() hr.Employee {
	return hr.Employee{
		ID: "acme/1001", Employer: "acme", PersonnelNumber: "1001",
		GivenName: "Wilhelmine", FamilyName: "Geheimrath", BirthDate: date.MustParse("1961-07-13"),
		Address: hr.Address{Street: "Verschwiegene Gasse 7", City: "Diskretow", Country: "DE"},
		Email:   "w.geheimrath@example.org", HireDate: date.MustParse("2020-01-01"),
		Bank:    hr.BankAccount{IBAN: "DE89370400440532013000", BIC: "COBADEFFXXX"},
		Version: 1, RecordedAt: time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC),
	}
}

// personalData returns the values of e that no error message may contain.
func personalData(e hr.Employee) []string {
	return []string{e.GivenName, e.FamilyName, e.BirthDate.String(), e.Address.Street, e.Address.City, e.Email, e.Bank.IBAN, e.Bank.BIC}
}

// addEmployee adds e through a bare hr.Tx, past the checks of hr.Records,
// so that the database's own constraints decide.
func addEmployee(ctx context.Context, s hr.Store, e hr.Employee) error {
	return s.UpdateHR(ctx, func(tx hr.Tx) error { return tx.AddEmployee(ctx, e) })
}

// TestHRErrorsHidePersonalData has the database refuse employees, whose
// errors (SQLSTATE 23505, 23514) carry the rejected row in their DETAIL:
// the store's error wraps the hr sentinel and keeps the pq.Error in its
// chain, but its message holds none of the personal data.
func TestHRErrorsHidePersonalData(t *testing.T) {
	s := newStore(t)
	ctx := t.Context()
	e := hrPerson()
	if err := addEmployee(ctx, s, e); err != nil {
		t.Fatal(err)
	}
	v2 := e
	v2.Version, v2.FamilyName = 2, "Geheimrath-Neu"
	if err := addEmployee(ctx, s, v2); err != nil {
		t.Fatal(err)
	}
	numberTaken := e
	numberTaken.ID = "acme/other"
	terminated := e
	terminated.Version, terminated.TerminationDate = 3, date.MustParse("2019-12-31") // before the hire
	for _, tc := range []struct {
		name       string
		e          hr.Employee
		want       error
		code       string
		echoedData bool // the DETAIL holds personal data: the case proves something
	}{
		{"PersonnelNumberTaken", numberTaken, hr.ErrDuplicate, "23505", false},
		{"IDTaken", e, hr.ErrDuplicate, "23505", false},
		{"VersionTaken", v2, hr.ErrDuplicate, "23505", false},
		{"CheckViolation", terminated, hr.ErrInvalid, "23514", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := addEmployee(ctx, s, tc.e)
			wantIs(t, "AddEmployee", err, tc.want)
			wantCode(t, "AddEmployee", err, tc.code) // refused by the database, not in Go
			if err == nil {
				return
			}
			for _, p := range append(personalData(e), personalData(tc.e)...) {
				if strings.Contains(err.Error(), p) {
					t.Errorf("error %q contains personal data %q", err, p)
				}
			}
			if pe := pq.As(err); pe != nil && tc.echoedData && !strings.Contains(pe.Detail, e.GivenName) {
				t.Errorf("DETAIL %q does not echo the row; the case no longer tests what it should", pe.Detail)
			}
		})
	}
	// Through the Records, the taken number is found before the database
	// is asked; the message names the personnel number only.
	_, err := hr.New(s, nil).Hire(ctx, hr.Employee{Employer: "acme", PersonnelNumber: "1001", GivenName: e.GivenName,
		FamilyName: e.FamilyName, BirthDate: e.BirthDate, HireDate: e.HireDate, Bank: e.Bank})
	wantIs(t, "Hire", err, hr.ErrDuplicate)
	for _, p := range personalData(e) {
		if err != nil && strings.Contains(err.Error(), p) {
			t.Errorf("Hire: error %q contains personal data %q", err, p)
		}
	}
}

// TestHRReadOnly: a write through the transaction of ViewHR, of the store
// or of an InTx store, wraps hr.ErrReadOnly.
func TestHRReadOnly(t *testing.T) {
	s := newStore(t)
	ctx := t.Context()
	tx, err := s.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for name, st := range map[string]hr.Store{"Store": s, "InTx": s.InTx(tx)} {
		err := st.ViewHR(ctx, func(rtx hr.ReadTx) error { return rtx.(hr.Tx).AddEmployee(ctx, hrPerson()) })
		wantIs(t, name+": AddEmployee in ViewHR", err, hr.ErrReadOnly)
	}
	// The ledger's View refuses writes inside tx too.
	err = s.InTx(tx).View(ctx, func(rtx ledger.ReadTx) error {
		return rtx.(ledger.Tx).CreateBook(ctx, ledger.Book{ID: "A", Currency: money.EUR})
	})
	wantIs(t, "CreateBook in View of InTx", err, ledger.ErrState)
}

// hrRecords fills a store with one record of every kind for employee
// hrPerson, through hr.Records.
func hrRecords(t *testing.T, s hr.Store) {
	t.Helper()
	ctx := t.Context()
	r := hr.New(s, nil)
	e := hrPerson()
	e.ID, e.Version, e.RecordedAt = "", 0, time.Time{}
	if _, err := r.Hire(ctx, e); err != nil {
		t.Fatal(err)
	}
	id := hrPerson().ID
	if _, err := r.SetContract(ctx, hr.Contract{Employee: id, Effective: hr.Effective{ValidFrom: e.HireDate}, PayType: hr.Monthly,
		Amount: money.MustParse("4000.00", money.EUR), Frequency: hr.MonthlyPay, WeeklyHours: decimal.NewFromInt(40), WorkDays: hr.MondayToFriday,
		Items: []hr.PayItem{{Code: "VWL", Kind: hr.Allowance, Amount: money.MustParse("40.00", money.EUR)}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.SetTaxProfile(ctx, hr.TaxProfile{Employee: id, Effective: hr.Effective{ValidFrom: e.HireDate}, Jurisdiction: "DE",
		DE: hr.GermanTax{TaxClass: 1, HealthSupplement: decimal.RequireFromString("2.9"), State: "BY"}}); err != nil {
		t.Fatal(err)
	}
	if err := r.RecordTime(ctx, hr.TimeEntry{Employee: id, Date: date.MustParse("2026-03-02"), Kind: hr.Regular, Hours: decimal.NewFromInt(8)}); err != nil {
		t.Fatal(err)
	}
	if err := r.RecordAbsences(ctx, hr.Absence{Employee: id, Kind: hr.Vacation, From: date.MustParse("2026-03-03")}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.AddOneTimeItem(ctx, hr.OneTimeItem{Employee: id, Key: "bonus-2026", Date: date.MustParse("2026-03-01"),
		Type: hr.Bonus, Amount: money.MustParse("500.00", money.EUR)}); err != nil {
		t.Fatal(err)
	}
}

// hrTables are the tables of migrations/0004_hr.sql.
var hrTables = []string{"bo_hr_employees", "bo_hr_employee_versions", "bo_hr_contracts", "bo_hr_tax_profiles", "bo_hr_time", "bo_hr_absences", "bo_hr_items"}

// TestHRGuards changes HR records with raw SQL, around the library: the
// triggers refuse every UPDATE, DELETE and TRUNCATE with SQLSTATE BO001.
func TestHRGuards(t *testing.T) {
	s := newStore(t)
	hrRecords(t, s)
	db := s.DB().DB
	for _, table := range hrTables {
		var n int
		if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil || n == 0 {
			t.Fatalf("%s: %d rows, %v; the fixture must fill every table", table, n, err)
		}
		col := "employee"
		if strings.HasPrefix(table, "bo_hr_employee") {
			col = "id"
		}
		for _, stmt := range []string{"UPDATE " + table + " SET " + col + " = " + col, "DELETE FROM " + table, "TRUNCATE " + table + " CASCADE"} {
			t.Run(strings.Fields(stmt)[0]+"_"+table, func(t *testing.T) {
				err := inTx(t, db, func(tx *sql.Tx) error { _, err := tx.Exec(stmt); return err })
				wantCode(t, stmt, err, "BO001")
			})
		}
	}
}

// TestHRInTx writes HR records and a journal entry inside the caller's own
// transaction: they commit or roll back together, and a record the
// database refuses leaves the transaction usable.
func TestHRInTx(t *testing.T) {
	f := newFixture(t)
	ctx := f.ctx
	begin := func(t *testing.T) (*sql.Tx, *postgres.Store) {
		t.Helper()
		tx, err := f.s.DB().BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { tx.Rollback() })
		return tx, f.s.InTx(tx)
	}
	// hired reports whether the personnel number is taken, seen from
	// outside the caller's transaction.
	hired := func(t *testing.T, number string) bool {
		t.Helper()
		_, err := hr.New(f.s, nil).EmployeeByNumber(ctx, "A", number)
		if err != nil && !errors.Is(err, hr.ErrNotFound) {
			t.Fatal(err)
		}
		return err == nil
	}
	// hireAndPost hires an employee and posts an entry through in.
	hireAndPost := func(t *testing.T, in *postgres.Store, number string) {
		t.Helper()
		r := hr.New(in, nil)
		e, err := r.Hire(ctx, hr.Employee{Employer: "A", PersonnelNumber: number, FamilyName: "Muster", HireDate: date.MustParse("2026-01-01")})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := r.Employee(ctx, e.ID); err != nil || got.Version != 1 {
			t.Errorf("Employee inside the transaction: version %d, %v", got.Version, err)
		}
		if _, err := ledger.New(in, nil).Post(ctx, move("hire/"+number, date.New(2026, 2, 1), "1200", "4000", eur("1.00"))); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("Rollback", func(t *testing.T) {
		before := stateOf(t, f.s)
		tx, in := begin(t)
		hireAndPost(t, in, "1001")
		if hired(t, "1001") {
			t.Error("employee visible outside the transaction before it commits")
		}
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
		if hired(t, "1001") {
			t.Error("employee hired although its transaction rolled back")
		}
		unchanged(t, f.s, before)
	})

	t.Run("Commit", func(t *testing.T) {
		before := stateOf(t, f.s)
		tx, in := begin(t)
		hireAndPost(t, in, "1002")
		// The database refuses a taken number (23505, which aborts a
		// PostgreSQL transaction unless rolled back to a savepoint).
		e, err := hr.New(in, nil).EmployeeByNumber(ctx, "A", "1002")
		if err != nil {
			t.Fatal(err)
		}
		e.ID = "A/other"
		err = addEmployee(ctx, in, e)
		wantIs(t, "AddEmployee with a taken number", err, hr.ErrDuplicate)
		wantCode(t, "AddEmployee with a taken number", err, "23505")
		// The transaction goes on.
		if _, err := hr.New(in, nil).AddOneTimeItem(ctx, hr.OneTimeItem{Employee: "A/1002", Key: "k", Date: date.MustParse("2026-02-01"),
			Type: hr.Bonus, Amount: eur("100.00")}); err != nil {
			t.Fatalf("AddOneTimeItem after the refused employee: %v", err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if !hired(t, "1002") {
			t.Error("employee not hired after commit")
		}
		if its, err := hr.New(f.s, nil).OneTimeItems(ctx, "A/1002", date.Date{}, date.Date{}); err != nil || len(its) != 1 {
			t.Errorf("OneTimeItems after commit: %d, %v; want 1", len(its), err)
		}
		if after := stateOf(t, f.s); after.Head.Seq != before.Head.Seq+1 {
			t.Errorf("head after commit: %d, want %d", after.Head.Seq, before.Head.Seq+1)
		}
	})
}

// TestHRConcurrentTime records time for one employee and day from many
// goroutines at once. Each RecordTime checks the day's hours, then adds:
// without the employee's row lock two could both see room for their hours.
// With it they run one after the other, and the day never exceeds 24 hours.
func TestHRConcurrentTime(t *testing.T) {
	s := newStore(t)
	ctx := t.Context()
	r := hr.New(s, nil)
	e, err := r.Hire(ctx, hr.Employee{Employer: "acme", PersonnelNumber: "1", FamilyName: "Muster", HireDate: date.MustParse("2026-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	day := date.MustParse("2026-03-02")
	const n, hours = 12, 5
	var (
		wg   sync.WaitGroup
		errs = make([]error, n)
	)
	for i := range n {
		wg.Go(func() {
			errs[i] = r.RecordTime(ctx, hr.TimeEntry{Employee: e.ID, Date: day, Kind: hr.Regular, Hours: decimal.NewFromInt(hours)})
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, hr.ErrTooManyHours):
			t.Errorf("RecordTime: %v, want nil or ErrTooManyHours", err)
		}
	}
	es, err := r.TimeEntries(ctx, e.ID, day, day)
	if err != nil {
		t.Fatal(err)
	}
	if want := 24 / hours; ok != want || len(es) != want {
		t.Errorf("%d calls succeeded, %d entries stored; want %d of each (24 hours a day)", ok, len(es), want)
	}
}
