// Package nacha writes NACHA ACH files for US pay runs: PPD credits of net
// pay to the employees' checking or savings accounts, built and validated
// with github.com/moov-io/ach (the maintained implementation of the
// format; this package writes no fixed-width record itself). It is the only
// package of the module that imports moov-io/ach.
//
// The file and batch headers come from a Config (the company's ACH
// settings, usually kept as JSON); the entries from payroll.Transfer values
// (payroll.Runs.Transfers). An optional offset debits the company's own
// account with the sum of the credits, for banks that want balanced files.
//
// hr.BankAccount does not say whether a US account is checking or
// savings; entries go to checking accounts unless Config.Savings names the
// employee's personnel number.
//
// Every function of the package is safe for concurrent use.
package nacha

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/moov-io/ach"

	"github.com/openbackoffice/backoffice/bank/sepa"
	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
)

// The sentinels the errors of Write wrap; test with errors.Is.
var (
	// ErrConfig: a setting of the Config is missing or malformed.
	ErrConfig = errors.New("nacha: invalid settings")
	// ErrAccount: an employee has no US routing and account number (an
	// IBAN, or nothing).
	ErrAccount = errors.New("nacha: not a US bank account")
	// ErrAmount: an amount is not in US dollars, not positive, or too large
	// for the format (99,999,999.99).
	ErrAmount = errors.New("nacha: invalid amount")
	// ErrEmpty: there is nothing to pay.
	ErrEmpty = errors.New("nacha: no transfers")
	// ErrInvalid: moov-io/ach refused the file it built.
	ErrInvalid = errors.New("nacha: file fails validation")
)

// Config holds a company's ACH settings: what its bank (the ODFI) gives it
// to put in the file and batch headers. The JSON names are those of a
// settings file.
type Config struct {
	// ImmediateDestination is the routing number of the bank or operator
	// receiving the file (9 digits); ImmediateDestinationName its name
	// (up to 23 characters).
	ImmediateDestination     string `json:"immediate_destination"`
	ImmediateDestinationName string `json:"immediate_destination_name"`
	// ImmediateOrigin identifies the sender, as the bank assigns it: a
	// routing number or a 10-character company ID; ImmediateOriginName is
	// its name (up to 23 characters).
	ImmediateOrigin     string `json:"immediate_origin"`
	ImmediateOriginName string `json:"immediate_origin_name"`
	// CompanyName (up to 16 characters) and CompanyID (10 characters,
	// often "1" and the EIN) identify the originator in the batch header.
	CompanyName string `json:"company_name"`
	CompanyID   string `json:"company_id"`
	// ODFI is the routing number of the originating bank (9 digits).
	ODFI string `json:"odfi"`
	// EntryDescription is the batch's company entry description, shown on
	// the employees' statements (up to 10 characters); "PAYROLL" if empty.
	EntryDescription string `json:"entry_description,omitempty"`
	// Savings lists the personnel numbers of employees whose account is a
	// savings account; all others are paid to checking accounts.
	Savings []string `json:"savings,omitempty"`
	// Offset, if set, adds a balanced offset entry debiting the company's
	// account with the sum of the credits.
	Offset *Offset `json:"offset,omitempty"`
}

// Offset is the company account an offset entry debits.
type Offset struct {
	RoutingNumber string `json:"routing_number"`
	AccountNumber string `json:"account_number"`
	// Savings says the account is a savings account, not checking.
	Savings bool `json:"savings,omitempty"`
}

// Result describes the file Write wrote.
type Result struct {
	// Entries is the number of credit entries, Total their sum.
	Entries int
	Total   money.Amount
	// Offset is the offset debit, zero without one.
	Offset money.Amount
}

// maxCents is the largest amount of one entry: a ten-digit field of cents.
const maxCents = 99_999_999_99

// Write writes one PPD batch crediting each transfer's net pay to the
// employee's US account, effective on effective (the settlement date the
// company asks for) and stamped with created, with the offset of cfg if
// any. Entries follow the order of transfers, with trace numbers from 1;
// an entry's identification number is the employee's personnel number
// (up to 15 characters) and its name the employee's, converted to ASCII
// capitals (sepa.Latin) and cut to 22 characters.
//
// It checks the settings and every transfer first; an employee with an
// IBAN or no account, or pay not in US dollars, is an error naming the
// personnel number, and all such errors are joined. Then moov-io/ach
// builds and validates the file. Write writes nothing unless all of this
// succeeds, and then writes the file with one call to w.Write.
func Write(w io.Writer, cfg Config, effective date.Date, created time.Time, transfers []payroll.Transfer) (Result, error) {
	if err := cfg.check(effective, created); err != nil {
		return Result{}, err
	}
	if len(transfers) == 0 {
		return Result{}, ErrEmpty
	}
	bh := ach.NewBatchHeader()
	bh.ServiceClassCode = ach.CreditsOnly
	bh.CompanyName = cfg.CompanyName
	bh.CompanyIdentification = cfg.CompanyID
	bh.StandardEntryClassCode = ach.PPD
	bh.CompanyEntryDescription = strings.ToUpper(cmpOr(cfg.EntryDescription, "PAYROLL"))
	bh.EffectiveEntryDate = effective.Time().Format("060102")
	bh.ODFIIdentification = cfg.ODFI
	batch := ach.NewBatchPPD(bh)
	res := Result{Total: money.Zero(money.USD), Offset: money.Zero(money.USD)}
	var errs []error
	for i, t := range transfers {
		b := t.Bank.Normalize()
		switch {
		case b.RoutingNumber == "" || b.AccountNumber == "":
			errs = append(errs, fmt.Errorf("nacha: employee %s: %w", t.PersonnelNumber, ErrAccount))
			continue
		case t.Amount.Currency() != money.USD || !t.Amount.IsPositive() || t.Amount.MinorUnits() > maxCents:
			errs = append(errs, fmt.Errorf("nacha: employee %s: %w", t.PersonnelNumber, ErrAmount))
			continue
		case len(t.PersonnelNumber) > 15:
			errs = append(errs, fmt.Errorf("nacha: employee %s: personnel number longer than 15 characters: %w", t.PersonnelNumber, ErrConfig))
			continue
		}
		if err := b.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("nacha: employee %s: %w", t.PersonnelNumber, err))
			continue
		}
		e := ach.NewEntryDetail()
		e.TransactionCode = ach.CheckingCredit
		if slices.Contains(cfg.Savings, t.PersonnelNumber) {
			e.TransactionCode = ach.SavingsCredit
		}
		e.SetRDFI(b.RoutingNumber)
		e.DFIAccountNumber = b.AccountNumber
		e.Amount = int(t.Amount.MinorUnits())
		e.IdentificationNumber = t.PersonnelNumber
		e.IndividualName = individualName(t.Name)
		e.SetTraceNumber(cfg.ODFI, i+1)
		e.Category = ach.CategoryForward
		batch.AddEntry(e)
		var err error
		if res.Total, err = res.Total.Add(t.Amount); err != nil {
			errs = append(errs, fmt.Errorf("nacha: employee %s: %w", t.PersonnelNumber, ErrAmount))
		}
		res.Entries++
	}
	if len(errs) > 0 {
		return Result{}, errors.Join(errs...)
	}
	if cfg.Offset != nil {
		typ := ach.OffsetChecking
		if cfg.Offset.Savings {
			typ = ach.OffsetSavings
		}
		batch.WithOffset(&ach.Offset{RoutingNumber: cfg.Offset.RoutingNumber, AccountNumber: cfg.Offset.AccountNumber,
			AccountType: typ, Description: "OFFSET"})
		res.Offset = res.Total
	}
	if err := batch.Create(); err != nil {
		return Result{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	fh := ach.NewFileHeader()
	fh.ImmediateDestination = cfg.ImmediateDestination
	fh.ImmediateDestinationName = cfg.ImmediateDestinationName
	fh.ImmediateOrigin = cfg.ImmediateOrigin
	fh.ImmediateOriginName = cfg.ImmediateOriginName
	fh.FileCreationDate = created.Format("060102")
	fh.FileCreationTime = created.Format("1504")
	file := ach.NewFile()
	file.SetHeader(fh)
	file.AddBatch(batch)
	if err := file.Create(); err != nil {
		return Result{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if err := file.Validate(); err != nil {
		return Result{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	var buf bytes.Buffer
	aw := ach.NewWriter(&buf)
	if err := aw.Write(file); err != nil {
		return Result{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	aw.Flush()
	if _, err := w.Write(buf.Bytes()); err != nil {
		return Result{}, err
	}
	return res, nil
}

// check checks the settings that moov-io/ach would reject with messages
// naming no setting.
func (cfg Config) check(effective date.Date, created time.Time) error {
	bad := func(field, reason string) error { return fmt.Errorf("nacha: %s: %s: %w", field, reason, ErrConfig) }
	routing := func(field, s string) error {
		if !hr.ValidRoutingNumber(s) {
			return bad(field, "want a 9-digit ABA routing number")
		}
		return nil
	}
	for _, c := range []struct {
		field, value string
		max          int
	}{
		{"immediate_destination_name", cfg.ImmediateDestinationName, 23},
		{"immediate_origin_name", cfg.ImmediateOriginName, 23},
		{"company_name", cfg.CompanyName, 16},
		{"company_id", cfg.CompanyID, 10},
		{"entry_description", cmpOr(cfg.EntryDescription, "PAYROLL"), 10},
		{"immediate_origin", cfg.ImmediateOrigin, 10},
	} {
		if c.value == "" || len(c.value) > c.max || !ascii(c.value) {
			return bad(c.field, fmt.Sprintf("want 1–%d ASCII characters", c.max))
		}
	}
	if err := routing("immediate_destination", cfg.ImmediateDestination); err != nil {
		return err
	}
	if err := routing("odfi", cfg.ODFI); err != nil {
		return err
	}
	if o := cfg.Offset; o != nil {
		if err := (hr.BankAccount{RoutingNumber: o.RoutingNumber, AccountNumber: o.AccountNumber}).Validate(); err != nil || o.RoutingNumber == "" {
			return bad("offset", "want a routing number and a 1–17 digit account number")
		}
	}
	if effective.IsZero() {
		return bad("effective date", "missing")
	}
	if created.IsZero() {
		return bad("creation time", "missing")
	}
	return nil
}

// individualName is a name as the file holds it: ASCII capitals, at most
// 22 characters.
func individualName(s string) string {
	n := strings.ToUpper(sepa.Latin(s))
	if len(n) > 22 {
		n = strings.TrimRight(n[:22], " ")
	}
	return n
}

func ascii(s string) bool {
	for i := range len(s) {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
