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
// Bank accounts are IBANs, checked against the SWIFT IBAN registry (the
// country, its length and account format) and with the ISO 13616 mod-97
// checksum, with an optional BIC (ISO 9362), or US ABA routing numbers (a
// Federal Reserve routing symbol and the 3-7-1 checksum) with an account
// number. The German tax ID and social insurance number and the US social
// security number are checked by their published rules (ValidTaxID,
// ValidSocialInsuranceNumber, ValidSSN; ErrPersonalID).
//
// Text is one line of at most 256 characters (runes: 100 Chinese
// characters are a name, not 300 bytes too many) without controls,
// bidirectional controls (U+202E …) or invisible characters, stored in
// Unicode NFC; "required" means not empty. What cannot be true is refused
// when it is entered rather than when payroll runs: a birth date before
// 1900 or less than MinimumAge years before the hire, a week that cannot
// be worked, an amount in another currency than the employer pays in
// (Options.PayCurrencies, ErrPayCurrency). What is legal but unusual (more
// than 48 contracted hours a week) is a warning, ErrUnusual, which never
// fails a write (Contract.Warnings, ImportOptions.Warn).
//
// # Recording times
//
// Every write stamps what it records with one recording time, taken from
// Options.Now inside the store's transaction once it has read the
// employees it writes for (which, on a store that locks rows, locks them;
// see Store). Of two concurrent writes for one employee, the one that
// commits later therefore has the later RecordedAt, and an answer "as
// recorded at T" given after T stays the same. Versions (of master data,
// contracts, tax profiles) are moreover never stamped before the version
// they follow, so a clock that steps back cannot reorder a history.
//
// # Imports and exports
//
// ImportEmployees, ImportContracts, ImportTaxProfiles, ImportTime and
// ImportAbsences read CSV files with a header row (UTF-8 with or without
// a byte order mark, ',' or ';' separated, decimal comma on request);
// ImportJSON reads a whole Dataset. An import is all or nothing: every
// row is checked, in every stage (the file, then the store), and a file
// with problems yields ImportErrors naming each problem with its row,
// column and reason, in row order, and writes nothing. The Export methods
// write what the imports read, so an export imported into an empty store
// gives the same records (with new recording times; contracts and tax
// profiles as their timeline).
//
// # Importing again
//
// An import can be run again. Each row has an identity; a row whose
// record is stored already is counted in ImportCount.Existing and records
// nothing, a row whose identity is stored with other data is ErrConflict
// (naming the row, the personnel number and the fields that differ, never
// their values), and only rows of new identities are recorded. An import
// never records a change: raises, corrections and terminations are
// recorded with SetContract, ChangeContract, UpdateEmployee and Terminate.
// The identities:
//
//   - an employee: employer and personnel number; stored already if the
//     latest version has the row's master data.
//   - a contract or tax profile version: the employee and the days from
//     ValidFrom to ValidTo; stored already if on each of those days the
//     version in force, as recorded now, has the same terms; new if no
//     version covers any of them; a conflict otherwise (also when stored
//     versions cover only some of the days).
//   - time entries: the employee, the day and the hour kind. Entries have
//     no identity of their own (two equal shifts on one day are two
//     entries, and TimeEntry has no start or end time), so an employee's
//     entries of one day and kind are compared as a whole: stored already
//     if the store holds the same hours, as often; new if it holds none.
//     Importing a file of 2 hours twice leaves 2 hours.
//   - absences: the employee and the days (from, to, half day), the kinds
//     compared as for time; an absence over other days that overlaps a
//     stored one is ErrOverlap.
//   - one-time items: the employee and the Key, as for AddOneTimeItem.
//
// # Errors and personal data
//
// Every error a caller may branch on wraps one of the sentinel errors
// (ErrNotFound, ErrInvalid, ErrOverlap …); test with errors.Is. A
// *FieldError names the record, the field and the personnel number. No
// error message contains personal data: names, birth dates, addresses,
// e-mail addresses, bank details, tax, social insurance and social
// security numbers, amounts and hours never appear, nor the
// values of CSV cells or JSON fields (a CSV file whose first row is data
// rather than a header is reported as such, without its cells). The
// personnel number is the only identifier named: Employee.ID is free text
// that may be personal data (an e-mail address is accepted), so no
// message of this package, or of payroll, contains it; where only the ID
// is known, a message names IDRef of it.
//
// # Concurrency
//
// Records are safe for concurrent use, as every Store must be. Values the
// package returns are copies owned by the caller.
package hr
