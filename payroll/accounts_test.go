package payroll_test

import (
	"errors"
	"testing"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/payroll"
)

// TestShippedAccounts checks every account of the shipped mappings against
// the chart it is made for: it exists, has the type its use needs, and
// carries the role the reporting layouts expect.
func TestShippedAccounts(t *testing.T) {
	tests := []struct {
		name  string
		accts payroll.Accounts
		chart []ledger.Account
	}{
		{"default", payroll.DefaultAccounts(), ledger.DefaultChart("b")},
		{"SKR03", payroll.SKR03Accounts(), ledger.SKR03("b")},
		{"SKR04", payroll.SKR04Accounts(), ledger.SKR04("b")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chart := make(map[string]ledger.Account, len(tt.chart))
			for _, a := range tt.chart {
				chart[a.Code] = a
			}
			for _, use := range []struct {
				field, code, role string
				typ               ledger.AccountType
			}{
				{"Wages", tt.accts.Wages, "salaries_expense", ledger.Expense},
				{"EmployerExpense", tt.accts.EmployerExpense, "employer_social_security_expense", ledger.Expense},
				{"Taxes", tt.accts.Taxes, "wage_tax_payable", ledger.Liability},
				{"Contributions", tt.accts.Contributions, "social_security_payable", ledger.Liability},
				{"NetPay", tt.accts.NetPay, "wages_payable", ledger.Liability},
			} {
				a, ok := chart[use.code]
				switch {
				case !ok:
					t.Errorf("%s = %q: not in the chart", use.field, use.code)
				case a.Type != use.typ:
					t.Errorf("%s = %s %q: type %v, want %v", use.field, a.Code, a.Name, a.Type, use.typ)
				case a.Metadata["role"] != use.role:
					t.Errorf("%s = %s %q: role %q, want %q", use.field, a.Code, a.Name, a.Metadata["role"], use.role)
				}
			}
		})
	}
}

func TestAccountsResolve(t *testing.T) {
	a := payroll.DefaultAccounts()
	a.Codes = map[string]payroll.LineAccounts{"bonus": {Account: "6190"}}
	tests := []struct {
		name            string
		line            payroll.Line
		account, offset string
	}{
		{"earning", payroll.Line{Code: "salary", Kind: payroll.Earning}, "6100", ""},
		{"earning with account", payroll.Line{Code: "salary", Kind: payroll.Earning, Account: "6000"}, "6000", ""},
		{"override wins", payroll.Line{Code: "bonus", Kind: payroll.Earning, Account: "6000"}, "6190", ""},
		{"tax", payroll.Line{Code: "income_tax", Kind: payroll.Tax}, "2140", ""},
		{"employee share", payroll.Line{Code: "social.employee", Kind: payroll.Tax}, "2150", ""},
		{"employer share", payroll.Line{Code: "social.employer", Kind: payroll.EmployerContribution}, "2150", "6110"},
		{"employer share with accounts", payroll.Line{Code: "social.employer", Kind: payroll.EmployerContribution, Account: "3740", Offset: "6120"}, "3740", "6120"},
		{"garnishment", payroll.Line{Code: "garnishment.G1", Kind: payroll.PostTaxDeduction}, "2130", ""},
		{"pension deferral", payroll.Line{Code: "pension_deferral.BAV", Kind: payroll.PreTaxDeduction}, "2130", ""},
		{"information", payroll.Line{Code: "social.base", Kind: payroll.Information}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			acct, off, err := a.Resolve(&tt.line)
			if err != nil || acct != tt.account || off != tt.offset {
				t.Errorf("Resolve = %q, %q, %v; want %q, %q", acct, off, err, tt.account, tt.offset)
			}
		})
	}
	var none payroll.Accounts
	if _, _, err := none.Resolve(&payroll.Line{Code: "salary", Kind: payroll.Earning}); !errors.Is(err, payroll.ErrNoAccount) {
		t.Errorf("Resolve without mapping = %v, want ErrNoAccount", err)
	}
}
