package payroll

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
)

// Transfer is the net pay of one payslip of a posted run, to be sent to the
// employee's bank account: plain data that bank/sepa (pain.001) and
// bank/nacha (NACHA PPD) turn into payment files. It holds personal data
// (name and account): never log it.
type Transfer struct {
	Run             string // the run's ID
	Employee        string // the employee's ID
	PersonnelNumber string
	// Name is the employee's given and family name, as recorded.
	Name string
	// Bank is the employee's account, as recorded; it may be empty or a
	// US account: the payment file decides what it accepts.
	Bank hr.BankAccount
	// Amount is the payslip's net pay, positive.
	Amount money.Amount
	// PayDate is the period's pay date.
	PayDate date.Date
	// EndToEndID ties the transfer to the payslip; see EndToEndID.
	EndToEndID string
	// Remittance is the text for the employee's statement, such as
	// "Salary 2025-03".
	Remittance string
}

// Transfers returns the transfers that pay the net pay of the run's
// payslips, one per payslip with positive net pay, ordered by personnel
// number. The run must be Posted or Paid (ErrRunState otherwise): a file is
// made only for pay that is in the books. Names and bank accounts come from
// the employee's master data as recorded at asOf: the latest version
// recorded at or before it, or the latest version of all if asOf is zero
// (the account the money should go to now; pass the end of the pay date to
// reproduce a file as it was made then). An employee with no version
// recorded by asOf is an error wrapping hr.ErrNotFound naming the
// personnel number. Transfers reads in one transaction and is safe for
// concurrent use.
func (r *Runs) Transfers(ctx context.Context, id string, asOf time.Time) ([]Transfer, error) {
	var out []Transfer
	err := r.store.ViewPayroll(ctx, func(tx ReadTx) error {
		out = out[:0]
		run, err := tx.Run(ctx, id)
		if err != nil {
			return err
		}
		if run.Status != Posted && run.Status != Paid {
			return fmt.Errorf("transfers of run %s (%s): %w", id, run.Status, ErrRunState)
		}
		slips, err := tx.Payslips(ctx, id, run.Calculation)
		if err != nil {
			return err
		}
		for _, s := range slips {
			if !s.Net.IsPositive() {
				continue
			}
			emp, err := employeeAsOf(ctx, tx.HR(), s.Employee, asOf)
			if err != nil {
				return fmt.Errorf("transfers of run %s: employee %s: %w", id, s.PersonnelNumber, err)
			}
			out = append(out, Transfer{Run: id, Employee: s.Employee, PersonnelNumber: s.PersonnelNumber,
				Name: strings.TrimSpace(emp.GivenName + " " + emp.FamilyName),
				Bank: emp.Bank, Amount: s.Net, PayDate: s.Period.PayDate,
				EndToEndID: EndToEndID(id, s.PersonnelNumber), Remittance: remittance(run.Kind, s.Period)})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b Transfer) int { return cmp.Compare(a.PersonnelNumber, b.PersonnelNumber) })
	return out, nil
}

// employeeAsOf returns the employee's latest version, or the latest
// recorded at or before asOf.
func employeeAsOf(ctx context.Context, tx hr.ReadTx, id string, asOf time.Time) (hr.Employee, error) {
	if asOf.IsZero() {
		return tx.Employee(ctx, id)
	}
	vs, err := tx.EmployeeVersions(ctx, id)
	if err != nil {
		return hr.Employee{}, err
	}
	best := -1
	for i, v := range vs {
		if !v.RecordedAt.After(asOf) && (best < 0 || v.Version > vs[best].Version) {
			best = i
		}
	}
	if best < 0 {
		return hr.Employee{}, fmt.Errorf("no version recorded by %s: %w", asOf.UTC().Format(time.RFC3339), hr.ErrNotFound)
	}
	return vs[best], nil
}

// remittance is the text of a transfer: "Salary 2025-03" for a calendar
// month, "Salary 2025-03-01 to 2025-03-15" for other periods, with
// "correction" after "Salary" for an off-cycle run.
func remittance(kind RunKind, p Period) string {
	what := "Salary"
	if kind == OffCycle {
		what = "Salary correction"
	}
	if p.Start.Day() == 1 && p.End == p.Start.EndOfMonth() {
		return what + " " + p.Start.String()[:7]
	}
	return what + " " + p.Start.String() + " to " + p.End.String()
}

// EndToEndID returns the end-to-end ID of the transfer paying the payslip
// of the personnel number in the run; it ties the bank transfer and the
// bank statement line back to the payslip and so to the run's journal
// entry. The scheme:
//
//   - run + "/" + personnel number, such as "demo/2025-03/1001", if that
//     has at most 35 characters, all of them in the SEPA character set
//     (a–z A–Z 0–9 / - ? : ( ) . , ' + space), the personnel number
//     contains no '/', and the result does not start or end with '/' or
//     contain "//". ParseEndToEndID splits it at its last '/'.
//   - otherwise "PAY" and the first 32 hexadecimal digits of
//     SHA-256(run + "\n" + personnel number): 35 characters, no '/', so
//     never equal to an ID of the first form. Reconciliation maps it back by
//     computing EndToEndID for the payslips of the posted runs.
//
// Both forms are valid SEPA end-to-end IDs (1–35 characters of the set)
// and NACHA individual identification numbers need only their first 15
// characters. Within a run the IDs are unique, as personnel numbers are;
// across runs, as run IDs are unique.
func EndToEndID(run, personnelNumber string) string {
	id := run + "/" + personnelNumber
	if len(id) <= 35 && !strings.Contains(personnelNumber, "/") && sepaRef(id) {
		return id
	}
	sum := sha256.Sum256([]byte(run + "\n" + personnelNumber))
	return "PAY" + strings.ToUpper(hex.EncodeToString(sum[:16]))
}

// ParseEndToEndID returns the run and personnel number of an end-to-end ID
// of EndToEndID's first form; ok is false for any other ID (including the
// hashed form, which cannot be read back).
func ParseEndToEndID(id string) (run, personnelNumber string, ok bool) {
	i := strings.LastIndexByte(id, '/')
	if i <= 0 || i == len(id)-1 {
		return "", "", false
	}
	run, personnelNumber = id[:i], id[i+1:]
	if EndToEndID(run, personnelNumber) != id {
		return "", "", false
	}
	return run, personnelNumber, true
}

// sepaRef reports whether s is a SEPA reference: characters of the SEPA
// set, not starting or ending with '/', without "//" and without leading
// or trailing space.
func sepaRef(s string) bool {
	for i := range len(s) {
		c := s[i]
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("/-?:().,'+ ", c) >= 0
		if !ok {
			return false
		}
	}
	return s != "" && !strings.HasPrefix(s, "/") && !strings.HasSuffix(s, "/") && !strings.Contains(s, "//") && strings.TrimSpace(s) == s
}
