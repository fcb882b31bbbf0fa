// Package hr keeps the HR records payroll is computed from: employees and
// their master data, effective-dated contracts with compensation, tax
// profiles, time worked, absences and one-time items.
//
// Records work over a Store:
//
//	records := hr.New(memory.New(), nil) // or sqlite.Open, postgres.Open …
//	e, err := records.Hire(ctx, hr.Employee{Employer: "acme", PersonnelNumber: "1001",
//		FamilyName: "Müller", HireDate: date.MustParse("2026-01-01")})
//	_, err = records.SetContract(ctx, hr.Contract{Employee: e.ID,
//		Effective: hr.Effective{ValidFrom: date.MustParse("2026-01-01")},
//		PayType: hr.Monthly, Amount: money.MustParse("4000.00", money.EUR), Frequency: hr.MonthlyPay,
//		WeeklyHours: decimal.NewFromInt(40), WorkDays: hr.MondayToFriday})
//
// # Nothing is overwritten
//
// Every record is appended; none is changed or deleted. Master data changes
// (UpdateEmployee, Terminate) record a new version of the Employee, numbered
// by Employee.Version and stamped with its recording time: Employee returns
// the latest, EmployeeHistory all, EmployeeAsOf the one current at a past
// moment. Master data is versioned in recorded time only: an address
// change takes effect when it is recorded.
//
// Contracts and tax profiles are bitemporal. Each version carries an
// Effective stamp: the days it is valid for (ValidFrom–ValidTo, inclusive)
// and when it was recorded (RecordedAt, with Seq breaking ties). What was
// true on day D as recorded at time R is, among the versions recorded at or
// before R that cover D, the one recorded last. A raise from 1 July is a
// version valid from 1 July without end; a correction of March recorded in
// April is a version for March, which changes the answer for March as
// recorded since April and leaves the answer as recorded before. One
// generic function, Resolve, implements the rule for both record types (and
// Timeline splits the days into stretches by it). Versions recorded in one
// call (SetContracts, an import) form a change set and must not overlap.
//
// Time entries are hours by date and kind; a correction is an entry with
// negative hours. Absences are full days from From to To, or one half day;
// see Absence for how half days combine with each other and with time.
// One-time items belong to the pay period containing their Date.
//
// # Validation
//
// Domain types guard their own rules with Validate methods (Employee,
// BankAccount, Contract, TaxProfile, TimeEntry, Absence, OneTimeItem);
// Records run them, check currencies against their money.Registry, and
// check what needs the store (duplicates, overlaps, hours per day,
// employment dates) inside the Store.UpdateHR transaction that writes.
// Stores decide nothing.
//
// Bank accounts are IBANs, checked with the ISO 13616 mod-97 checksum and
// the country's length, with an optional BIC (ISO 9362), or US ABA routing
// numbers (checksum 3-7-1) with an account number.
//
// # Imports and exports
//
// ImportEmployees, ImportContracts, ImportTime and ImportAbsences read CSV
// files with a header row (UTF-8 with or without a byte order mark, ','
// or ';' separated, decimal comma on request); ImportJSON reads a whole
// Dataset. An import is all or nothing: every row is checked first, and a
// file with problems yields ImportErrors naming each problem with its row,
// column and reason, and writes nothing. The Export methods write what the
// imports read, so an export imported into an empty store gives the same
// records (with new recording times; contracts as their timeline).
//
// # Errors and personal data
//
// Every error a caller may branch on wraps one of the sentinel errors
// (ErrNotFound, ErrInvalid, ErrOverlap …); test with errors.Is. A
// *FieldError names the record, the field and the personnel number. No
// error message contains personal data: names, birth dates, addresses,
// e-mail addresses, bank details, amounts and hours never appear, and the
// personnel number is the only identifier named.
//
// # Concurrency
//
// Records are safe for concurrent use, as every Store must be. Values the
// package returns are copies owned by the caller.
package hr
