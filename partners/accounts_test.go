package partners_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/partners"
	"github.com/openbackoffice/backoffice/vat"
)

// TestShippedAccounts: every account of a shipped mapping exists in its
// chart with the type its use needs, and AccountsFor recognises the chart.
func TestShippedAccounts(t *testing.T) {
	for _, tc := range []struct {
		name  string
		chart []ledger.Account
		want  partners.Accounts
	}{
		{"default", ledger.DefaultChart("b"), partners.DefaultAccounts()},
		{"SKR03", ledger.SKR03("b"), partners.SKR03Accounts()},
		{"SKR04", ledger.SKR04("b"), partners.SKR04Accounts()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			types := map[string]ledger.AccountType{}
			for _, a := range tc.chart {
				types[a.Code] = a.Type
			}
			check := func(what, code string, want ...ledger.AccountType) {
				got, ok := types[code]
				if !ok {
					t.Errorf("%s: account %s not in the chart", what, code)
					return
				}
				for _, w := range want {
					if got == w {
						return
					}
				}
				t.Errorf("%s: account %s is %s", what, code, got)
			}
			a := tc.want
			check("receivables", a.Receivables, ledger.Asset)
			check("payables", a.Payables, ledger.Liability)
			check("discount granted", a.DiscountGranted, ledger.Revenue)
			check("discount received", a.DiscountReceived, ledger.Expense)
			check("write-off", a.WriteOff, ledger.Expense)
			for _, v := range a.VAT {
				if v.Rate.IsZero() {
					continue
				}
				check("output VAT "+v.Code, v.Output, ledger.Liability)
				check("input VAT "+v.Code, v.Input, ledger.Asset)
				// The lines' codes are package vat's, of the code's rate,
				// output on sales and input on purchases.
				for _, x := range []struct {
					code string
					dir  vat.Direction
				}{{v.Sales, vat.Output}, {v.Purchases, vat.Input}} {
					c, ok := vat.Lookup(x.code)
					if !ok || c.Direction != x.dir || !c.Rate.Equal(v.Rate) || c.DeductBox != "" {
						t.Errorf("VAT code %s: line code %q is no domestic %s code at %s", v.Code, x.code, x.dir, v.Rate)
					}
				}
			}
			got, err := partners.AccountsFor(tc.chart)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(got, tc.want); diff != "" {
				t.Errorf("AccountsFor (-got +want):\n%s", diff)
			}
		})
	}
}

// TestAccountsForOwnChart builds the mapping of a chart that is not a
// shipped one from its roles, and refuses one without control accounts.
func TestAccountsForOwnChart(t *testing.T) {
	role := func(code, r string) ledger.Account {
		return ledger.Account{Code: code, Metadata: map[string]string{"role": r}}
	}
	got, err := partners.AccountsFor([]ledger.Account{role("D1", "receivables"), role("K1", "payables"),
		role("USt", "vat_output"), role("VSt", "vat_input"), role("REV", "revenue"), role("SKT", "purchase_discounts"), role("BAD", "bad_debts")})
	if err != nil {
		t.Fatal(err)
	}
	if got.Receivables != "D1" || got.Payables != "K1" || got.DiscountGranted != "REV" || got.DiscountReceived != "SKT" ||
		got.WriteOff != "BAD" || len(got.VAT) != 3 || got.VAT[0].Output != "USt" || got.VAT[1].Input != "VSt" {
		t.Errorf("got %+v", got)
	}
	if _, err := partners.AccountsFor([]ledger.Account{role("D1", "receivables")}); !errors.Is(err, partners.ErrNoAccount) {
		t.Errorf("no payables: err = %v", err)
	}
}
