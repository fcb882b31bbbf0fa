package sqlite_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// The tests below cover what storetest.HR cannot: what the database itself
// refuses and how that reads, the append-only guards, and InTx.

// secretive is version 1 of an employee whose personal data no error
// message may show.
var secretive = hr.Employee{
	ID: "acme/1001", Employer: "acme", PersonnelNumber: "1001",
	GivenName: "Wilhelmine", FamilyName: "Geheimrath", BirthDate: date.MustParse("1961-07-13"),
	Address: hr.Address{Street: "Verschwiegene Gasse 7", City: "Diskretow", Country: "DE"},
	Email:   "w.geheimrath@example.org", HireDate: date.MustParse("2020-01-01"),
	Bank:    hr.BankAccount{IBAN: "DE89370400440532013000", BIC: "COBADEFFXXX"},
	Version: 1, RecordedAt: time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC),
}

// TestHRErrors has the database refuse employees added through a bare
// hr.Tx, past the checks of hr.Records: the errors wrap the hr sentinels
// and name no personal data.
func TestHRErrors(t *testing.T) {
	s := newStore(t)
	ctx := t.Context()
	add := func(e hr.Employee) error {
		return s.UpdateHR(ctx, func(tx hr.Tx) error { return tx.AddEmployee(ctx, e) })
	}
	if err := add(secretive); err != nil {
		t.Fatal(err)
	}
	numberTaken, versionNotFound, terminated := secretive, secretive, secretive
	numberTaken.ID = "acme/other"
	versionNotFound.ID, versionNotFound.Version = "nobody", 2
	terminated.Version, terminated.TerminationDate = 2, date.MustParse("2019-12-31") // before the hire
	for _, tc := range []struct {
		name string
		e    hr.Employee
		want error
	}{
		{"PersonnelNumberTaken", numberTaken, hr.ErrDuplicate},
		{"IDTaken", secretive, hr.ErrDuplicate},
		{"NoSuchEmployee", versionNotFound, hr.ErrNotFound},
		{"CheckViolation", terminated, hr.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := add(tc.e)
			if !errors.Is(err, tc.want) {
				t.Fatalf("AddEmployee: %v, want %v", err, tc.want)
			}
			e := secretive
			for _, p := range []string{e.GivenName, e.FamilyName, e.BirthDate.String(), e.Address.Street, e.Address.City, e.Email, e.Bank.IBAN, e.Bank.BIC} {
				if strings.Contains(err.Error(), p) {
					t.Errorf("error %q contains personal data %q", err, p)
				}
			}
		})
	}
	// Writes in a ViewHR transaction wrap hr.ErrReadOnly.
	err := s.ViewHR(ctx, func(rtx hr.ReadTx) error { return rtx.(hr.Tx).AddEmployee(ctx, numberTaken) })
	if !errors.Is(err, hr.ErrReadOnly) {
		t.Errorf("AddEmployee in ViewHR: %v, want ErrReadOnly", err)
	}
}

// TestHRGuards changes an HR record of every table with raw SQL, around
// the library: the triggers refuse each UPDATE and DELETE.
func TestHRGuards(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	r := hr.New(s, nil)
	e, err := r.Hire(ctx, hr.Employee{Employer: "acme", PersonnelNumber: "1", FamilyName: "Muster", HireDate: date.MustParse("2026-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	_, err1 := r.SetContract(ctx, hr.Contract{Employee: e.ID, Effective: hr.Effective{ValidFrom: e.HireDate}, PayType: hr.Hourly,
		Amount: money.MustParse("20.00", money.EUR), Frequency: hr.Weekly, WeeklyHours: decimal.RequireFromString("38.5"), WorkDays: hr.MondayToFriday})
	_, err2 := r.SetTaxProfile(ctx, hr.TaxProfile{Employee: e.ID, Effective: hr.Effective{ValidFrom: e.HireDate}, Jurisdiction: "US",
		US: hr.USTax{FilingStatus: hr.Single}})
	err3 := r.RecordTime(ctx, hr.TimeEntry{Employee: e.ID, Date: date.MustParse("2026-03-02"), Kind: hr.Night, Hours: decimal.RequireFromString("7.25")})
	err4 := r.RecordAbsences(ctx, hr.Absence{Employee: e.ID, Kind: hr.Sick, From: date.MustParse("2026-03-03"), HalfDay: true})
	_, err5 := r.AddOneTimeItem(ctx, hr.OneTimeItem{Employee: e.ID, Key: "k", Date: date.MustParse("2026-03-01"), Type: hr.Correction,
		Amount: money.MustParse("-5.00", money.EUR)})
	if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
		t.Fatal(err)
	}
	db := s.DB()
	for _, table := range []string{"bo_hr_employees", "bo_hr_employee_versions", "bo_hr_contracts", "bo_hr_tax_profiles", "bo_hr_time", "bo_hr_absences", "bo_hr_items"} {
		col := "employee"
		if strings.HasPrefix(table, "bo_hr_employee") {
			col = "id"
		}
		for _, stmt := range []string{"UPDATE " + table + " SET " + col + " = " + col, "DELETE FROM " + table} {
			if _, err := db.ExecContext(ctx, stmt); err == nil || !strings.Contains(err.Error(), "immutable") {
				t.Errorf("%s: %v, want a refusal", stmt, err)
			}
		}
	}
}

// TestHRInTx hires an employee and posts a journal entry inside the
// caller's own transaction: they commit or roll back together.
func TestHRInTx(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	if err := ledger.New(s, nil).CreateBook(ctx, ledger.Book{ID: "acme", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	if err := ledger.New(s, nil).CreateAccounts(ctx,
		ledger.Account{Book: "acme", Code: "6000", Name: "Wages", Type: ledger.Expense},
		ledger.Account{Book: "acme", Code: "1800", Name: "Bank", Type: ledger.Asset}); err != nil {
		t.Fatal(err)
	}
	// The long-lived Records and Ledger, used in each transaction
	// through their WithTx views.
	records, books := hr.New(s, nil), ledger.New(s, nil)
	// hireAndPost hires number and posts an entry for it in one
	// transaction, which it commits or rolls back.
	hireAndPost := func(t *testing.T, number string, commit bool) {
		t.Helper()
		tx, err := s.DB().BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		in := s.InTx(tx)
		if _, err := records.WithTx(in).Hire(ctx, hr.Employee{Employer: "acme", PersonnelNumber: number, FamilyName: "Muster", HireDate: date.MustParse("2026-01-01")}); err != nil {
			t.Fatal(err)
		}
		wage := money.MustParse("100.00", money.EUR)
		if _, err := books.WithTx(in).Post(ctx, ledger.Entry{Book: "acme", Key: "wage/" + number, Date: date.MustParse("2026-01-31"),
			Lines: []ledger.Line{ledger.Debit("6000", wage), ledger.Credit("1800", wage)}}); err != nil {
			t.Fatal(err)
		}
		if err := records.WithTx(in).RecordTime(ctx, hr.TimeEntry{Employee: "acme/" + number, Date: date.MustParse("2026-01-05"), Kind: hr.Regular, Hours: decimal.NewFromInt(8)}); err != nil {
			t.Fatal(err)
		}
		// Refused by the database inside tx: rolled back to its savepoint.
		err = in.UpdateHR(ctx, func(tx hr.Tx) error {
			return tx.AddEmployee(ctx, hr.Employee{ID: "other", Employer: "acme", PersonnelNumber: number, FamilyName: "X", HireDate: date.MustParse("2026-01-01"), Version: 1})
		})
		if !errors.Is(err, hr.ErrDuplicate) {
			t.Errorf("AddEmployee with a taken number: %v, want ErrDuplicate", err)
		}
		if commit {
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
		}
	}
	// state returns whether number is hired, its hours and whether its
	// wage is posted, seen from outside any caller's transaction.
	state := func(t *testing.T, number string) (bool, int, bool) {
		t.Helper()
		r := hr.New(s, nil)
		_, err := r.EmployeeByNumber(ctx, "acme", number)
		if err != nil && !errors.Is(err, hr.ErrNotFound) {
			t.Fatal(err)
		}
		ts, terr := r.TimeEntries(ctx, "acme/"+number, date.Date{}, date.Date{})
		_, perr := ledger.New(s, nil).EntryByKey(ctx, "acme", "wage/"+number)
		if terr != nil || perr != nil && !errors.Is(perr, ledger.ErrNotFound) {
			t.Fatal(terr, perr)
		}
		return err == nil, len(ts), perr == nil
	}
	hireAndPost(t, "1", false)
	if hired, hours, posted := state(t, "1"); hired || hours != 0 || posted {
		t.Errorf("after rollback: hired %v, %d time entries, posted %v; want nothing", hired, hours, posted)
	}
	hireAndPost(t, "2", true)
	if hired, hours, posted := state(t, "2"); !hired || hours != 1 || !posted {
		t.Errorf("after commit: hired %v, %d time entries, posted %v; want all", hired, hours, posted)
	}
	// ViewHR inside a caller's transaction refuses writes too.
	tx, err := s.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	err = s.InTx(tx).ViewHR(ctx, func(rtx hr.ReadTx) error { return rtx.(hr.Tx).AddEmployee(ctx, secretive) })
	if !errors.Is(err, hr.ErrReadOnly) {
		t.Errorf("AddEmployee in ViewHR of InTx: %v, want ErrReadOnly", err)
	}
}
