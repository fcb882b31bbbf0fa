package payroll

import (
	"fmt"
	"strings"
)

// Accounts maps payslip lines to ledger accounts: configuration, as data.
// A line posts to, in this order of precedence: the accounts Codes gives
// for its code; the accounts the rule pack put on the line (Line.Account,
// Line.Offset); the account of its kind below. Empty fields of a Codes
// entry fall through to the next source.
//
// DefaultAccounts, SKR03Accounts and SKR04Accounts return mappings against
// the charts shipped with package ledger; the tests check that each of
// their accounts exists in its chart. Accounts is a plain value; do not
// change its Codes map while Runs use it.
type Accounts struct {
	// Wages is the expense account of earnings (salaries and wages).
	Wages string
	// EmployerExpense is the expense account of employer contributions.
	EmployerExpense string
	// Taxes is the liability account of taxes withheld (kind Tax, codes
	// not ending in ".employee").
	Taxes string
	// Contributions is the liability account of social contributions: the
	// employee shares (kind Tax or PreTaxDeduction with a code ending in
	// ".employee") and the employer shares.
	Contributions string
	// Deductions is the liability account of other pre-tax and post-tax
	// deductions (pension deferrals, garnishments); "" means NetPay.
	Deductions string
	// NetPay is the liability account of net pay payable, cleared by the
	// payment.
	NetPay string
	// Codes overrides the accounts by line code.
	Codes map[string]LineAccounts
}

// LineAccounts are the accounts of one line code: Account as
// Line.Account, Offset as Line.Offset.
type LineAccounts struct {
	Account, Offset string
}

// DefaultAccounts returns the mapping against the default chart
// (ledger.DefaultChart): 6100 Salaries, 6110 Employer social security,
// 2140 Payroll tax payable, 2150 Social security payable, 2130 Wages
// payable.
func DefaultAccounts() Accounts {
	return Accounts{Wages: "6100", EmployerExpense: "6110", Taxes: "2140", Contributions: "2150", NetPay: "2130"}
}

// SKR03Accounts returns the mapping against DATEV SKR03 (ledger.SKR03):
// 4120 Gehälter, 4130 Gesetzliche soziale Aufwendungen, 1741
// Verbindlichkeiten aus Lohn- und Kirchensteuer, 1742 Verbindlichkeiten im
// Rahmen der sozialen Sicherheit, 1740 Verbindlichkeiten aus Lohn und
// Gehalt.
func SKR03Accounts() Accounts {
	return Accounts{Wages: "4120", EmployerExpense: "4130", Taxes: "1741", Contributions: "1742", NetPay: "1740"}
}

// SKR04Accounts returns the mapping against DATEV SKR04 (ledger.SKR04):
// 6020 Gehälter, 6110 Gesetzliche soziale Aufwendungen, 3730
// Verbindlichkeiten aus Lohn- und Kirchensteuer, 3740 Verbindlichkeiten im
// Rahmen der sozialen Sicherheit, 3720 Verbindlichkeiten aus Lohn und
// Gehalt.
func SKR04Accounts() Accounts {
	return Accounts{Wages: "6020", EmployerExpense: "6110", Taxes: "3730", Contributions: "3740", NetPay: "3720"}
}

// IsZero reports whether a configures nothing.
func (a *Accounts) IsZero() bool {
	return a.Wages == "" && a.EmployerExpense == "" && a.Taxes == "" && a.Contributions == "" &&
		a.Deductions == "" && a.NetPay == "" && len(a.Codes) == 0
}

// Resolve returns the accounts line l posts to: account (debited for an
// earning, credited for the others) and, for an employer contribution,
// offset (the expense debited). A line of kind Information posts nothing
// and resolves to "". It fails with an error wrapping ErrNoAccount if a
// needed account is empty.
func (a *Accounts) Resolve(l *Line) (account, offset string, err error) {
	if l.Kind == Information {
		return "", "", nil
	}
	over := a.Codes[l.Code]
	account, offset = first(over.Account, l.Account), first(over.Offset, l.Offset)
	if account == "" {
		switch l.Kind {
		case Earning:
			account = a.Wages
		case Tax, PreTaxDeduction:
			switch {
			case strings.HasSuffix(l.Code, ".employee"):
				account = a.Contributions
			case l.Kind == Tax:
				account = a.Taxes
			default:
				account = first(a.Deductions, a.NetPay)
			}
		case PostTaxDeduction:
			account = first(a.Deductions, a.NetPay)
		case EmployerContribution:
			account = a.Contributions
		}
	}
	if l.Kind == EmployerContribution {
		if offset == "" {
			offset = a.EmployerExpense
		}
		if offset == "" {
			return "", "", fmt.Errorf("%w: line %s (%s) has no expense account", ErrNoAccount, l.Code, l.Kind)
		}
	} else {
		offset = ""
	}
	if account == "" {
		return "", "", fmt.Errorf("%w: line %s (%s)", ErrNoAccount, l.Code, l.Kind)
	}
	return account, offset, nil
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
