package payroll_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
)

// eq compares amounts and dates, which hide their fields, with ==.
var eq = cmp.Options{cmp.Comparer(func(a, b money.Amount) bool { return a == b }),
	cmp.Comparer(func(a, b date.Date) bool { return a == b })}

func TestTransfers(t *testing.T) {
	w := newRunWorld(t, nil)
	anna := w.hire("1001", eur("4000.00"))
	jonas := w.hire("1002", eur("3000.00"))
	w.hire("1003", money.Amount{}) // no contract: not in the run's payslips, so no transfer
	anna.GivenName, anna.FamilyName, anna.Bank = "Anna", "Müller", hr.BankAccount{IBAN: "DE89370400440532013000"}
	if _, err := w.hr.UpdateEmployee(w.ctx, anna); err != nil {
		t.Fatal(err)
	}
	_, err := w.runs.CreateRun(w.ctx, payroll.RunSpec{ID: "acme/2026-03", Book: "acme", Period: period(t, "2026-03-01"),
		Employees: []string{anna.ID, jonas.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.runs.Calculate(w.ctx, "acme/2026-03"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.runs.Transfers(w.ctx, "acme/2026-03", time.Time{}); !errors.Is(err, payroll.ErrRunState) {
		t.Fatalf("transfers of a calculated run: err = %v, want ErrRunState", err)
	}
	if _, err := w.runs.Approve(w.ctx, "acme/2026-03"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.runs.Post(w.ctx, "acme/2026-03"); err != nil {
		t.Fatal(err)
	}
	// A new account for Jonas, recorded a day after the run was posted.
	later := hr.New(w.st, &hr.Options{Now: func() time.Time { return time.Date(2026, 3, 28, 9, 0, 0, 0, time.UTC) }})
	jonas.Bank = hr.BankAccount{IBAN: "AT611904300234573201"}
	if _, err := later.UpdateEmployee(w.ctx, jonas); err != nil {
		t.Fatal(err)
	}
	// Net = gross − 25 % tax − 10 % social = 65 % of gross:
	// 4000.00 → 2600.00, 3000.00 → 1950.00. Pay date: the last day of March 2026,
	// a Tuesday.
	want := []payroll.Transfer{
		{Run: "acme/2026-03", Employee: anna.ID, PersonnelNumber: "1001", Name: "Anna Müller",
			Bank: hr.BankAccount{IBAN: "DE89370400440532013000"}, Amount: eur("2600.00"), PayDate: d("2026-03-31"),
			EndToEndID: "acme/2026-03/1001", Remittance: "Salary 2026-03"},
		{Run: "acme/2026-03", Employee: jonas.ID, PersonnelNumber: "1002", Name: "Secretname",
			Bank: hr.BankAccount{IBAN: "AT611904300234573201"}, Amount: eur("1950.00"), PayDate: d("2026-03-31"),
			EndToEndID: "acme/2026-03/1002", Remittance: "Salary 2026-03"},
	}
	got, err := w.runs.Transfers(w.ctx, "acme/2026-03", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(got, want, eq); d != "" {
		t.Errorf("transfers (-got +want):\n%s", d)
	}
	// As recorded on the pay run's day: Jonas had no account yet.
	got, err = w.runs.Transfers(w.ctx, "acme/2026-03", time.Date(2026, 3, 27, 23, 59, 59, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	want[1].Bank = hr.BankAccount{}
	if d := cmp.Diff(got, want, eq); d != "" {
		t.Errorf("transfers as of 2026-03-27 (-got +want):\n%s", d)
	}
	_, err = w.runs.Transfers(w.ctx, "acme/2026-03", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if !errors.Is(err, hr.ErrNotFound) || !strings.Contains(err.Error(), "employee 1001") {
		t.Errorf("transfers as of before the hire: err = %v, want hr.ErrNotFound naming 1001", err)
	}
	if _, err := w.runs.Transfers(w.ctx, "acme/nope", time.Time{}); !errors.Is(err, payroll.ErrRunNotFound) {
		t.Errorf("unknown run: err = %v", err)
	}
}

func TestEndToEndID(t *testing.T) {
	for _, c := range []struct {
		run, number, want string
		readable          bool
	}{
		{"demo/2025-03", "1001", "demo/2025-03/1001", true},
		{"acme/2026-03", "E-17.a", "acme/2026-03/E-17.a", true},
		// A personnel number with '/', '_' or a run ID too long for 35
		// characters: the hashed form, SHA-256 of "run\nnumber" (computed
		// with sha256sum).
		{"demo/2025-03", "A/7", "PAYCFE0CEA9445156CC53C0482D341AFA64", false},
		{"demo/2025-03", "emp_7", "", false},
		{"a-very-long-company-book-id/2025-03", "1001", "", false},
		{"demo//x", "1", "", false},
	} {
		t.Run(c.run+" "+c.number, func(t *testing.T) {
			got := payroll.EndToEndID(c.run, c.number)
			if c.want != "" && got != c.want {
				t.Errorf("EndToEndID = %q, want %q", got, c.want)
			}
			if len(got) < 1 || len(got) > 35 {
				t.Errorf("EndToEndID = %q: %d characters", got, len(got))
			}
			run, number, ok := payroll.ParseEndToEndID(got)
			if ok != c.readable || ok && (run != c.run || number != c.number) {
				t.Errorf("ParseEndToEndID(%q) = %q, %q, %v", got, run, number, ok)
			}
			if !c.readable && (!strings.HasPrefix(got, "PAY") || len(got) != 35 || strings.Contains(got, "/")) {
				t.Errorf("EndToEndID = %q, want PAY and 32 hex digits", got)
			}
		})
	}
}
