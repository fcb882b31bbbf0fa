package vat_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/vat"
)

// TestVATReturnBoxes checks that every box of the shipped tables names an
// account of its chart of the right type (bases on revenue accounts, or
// expense accounts for acquisitions and bad debts; taxes on liabilities
// for output tax and assets for input tax), on a known Kennzahl with that
// part, and that no account is on two boxes.
func TestVATReturnBoxes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		chart []ledger.Account
	}{{"SKR03", ledger.SKR03("b")}, {"SKR04", ledger.SKR04("b")}} {
		t.Run(tc.name, func(t *testing.T) {
			tab, err := vat.ReturnFor(tc.chart)
			if err != nil || tab.Chart != tc.name {
				t.Fatalf("ReturnFor = %s, %v", tab.Chart, err)
			}
			types := map[string]ledger.AccountType{}
			for _, a := range tc.chart {
				types[a.Code] = a.Type
			}
			seen := map[string]bool{}
			for _, b := range tab.Boxes {
				typ, ok := types[b.Account]
				if !ok {
					t.Errorf("box %+v: no account %s in the chart", b, b.Account)
				}
				if seen[b.Account] {
					t.Errorf("account %s on two boxes", b.Account)
				}
				seen[b.Account] = true
				k, ok := vat.KennzahlByNumber(b.Kennzahl)
				if !ok {
					t.Errorf("box %+v: unknown Kennzahl", b)
					continue
				}
				if b.Part == vat.Base && !k.HasBase || b.Part == vat.Tax && !k.HasTax {
					t.Errorf("box %+v: Kennzahl %s has no such part", b, b.Kennzahl)
				}
				switch {
				case b.Part == vat.Tax && k.Direction == vat.Output && typ != ledger.Liability,
					b.Part == vat.Tax && k.Direction == vat.Input && typ != ledger.Asset,
					b.Part == vat.Base && b.Credit && typ != ledger.Revenue && typ != ledger.Expense,
					b.Part == vat.Base && !b.Credit && typ != ledger.Expense:
					t.Errorf("box %+v on a %s account", b, typ)
				}
			}
			for _, k := range []string{"81", "86", "66"} {
				var parts []vat.Part
				for _, b := range tab.BoxesOf(k) {
					parts = append(parts, b.Part)
				}
				if len(parts) == 0 {
					t.Errorf("nothing on %s", k)
				}
			}
		})
	}
}

// TestReturnForRoles: a chart without per-rate accounts (the default chart,
// one VAT account per side) gives input tax on 66 and output tax
// unassigned; a chart without VAT roles gives ErrNoVATAccounts.
func TestReturnForRoles(t *testing.T) {
	tab, err := vat.ReturnFor(ledger.DefaultChart("b"))
	if err != nil {
		t.Fatal(err)
	}
	want := []vat.Box{{Account: "1400", Kennzahl: "66", Part: vat.Tax, General: true}, {Account: "2120", Kennzahl: vat.Unassigned, Part: vat.Tax, Credit: true, General: true}}
	if diff := cmp.Diff(tab.Boxes, want); diff != "" {
		t.Errorf("default chart boxes (-got +want):\n%s", diff)
	}
	if _, err := vat.ReturnFor([]ledger.Account{{Code: "1000", Name: "Cash", Type: ledger.Asset}}); !errors.Is(err, vat.ErrNoVATAccounts) {
		t.Errorf("no VAT accounts: %v", err)
	}
}

func TestParsePeriod(t *testing.T) {
	for _, tc := range []struct{ in, from, to string }{
		{"2025-03", "2025-03-01", "2025-03-31"},
		{"2024-02", "2024-02-01", "2024-02-29"},
		{"2025-Q1", "2025-01-01", "2025-03-31"},
		{"2025-q4", "2025-10-01", "2025-12-31"},
		{"2025-13", "", ""}, {"2025-Q5", "", ""}, {"2025", "", ""}, {"25-03", "", ""}, {"2025-3", "", ""},
	} {
		t.Run(tc.in, func(t *testing.T) {
			from, to, err := vat.ParsePeriod(tc.in)
			if tc.from == "" {
				if !errors.Is(err, vat.ErrPeriod) {
					t.Errorf("got %s–%s, %v; want ErrPeriod", from, to, err)
				}
				return
			}
			if err != nil || from != date.MustParse(tc.from) || to != date.MustParse(tc.to) {
				t.Errorf("got %s–%s, %v; want %s–%s", from, to, err, tc.from, tc.to)
			}
		})
	}
}

// TestFormRounding: bases in whole euros rounded down (a negative base
// away from zero), the tax computed from the whole euros to the cent.
func TestFormRounding(t *testing.T) {
	k81, _ := vat.KennzahlByNumber("81")
	k86, _ := vat.KennzahlByNumber("86")
	for _, tc := range []struct {
		k                   vat.Kennzahl
		base, formBase, tax string
	}{
		{k81, "1234.99", "1234.00", "234.46"},
		{k81, "0.99", "0.00", "0.00"},
		{k81, "-100.50", "-101.00", "-19.19"},
		{k86, "1000.01", "1000.00", "70.00"},
		{k86, "-7.00", "-7.00", "-0.49"},
	} {
		t.Run(tc.base, func(t *testing.T) {
			fb, err := vat.FormBase(money.MustParse(tc.base, money.EUR))
			if err != nil {
				t.Fatal(err)
			}
			tax, err := tc.k.FormTax(fb)
			if err != nil {
				t.Fatal(err)
			}
			if fb.Number() != tc.formBase || tax.Number() != tc.tax {
				t.Errorf("base %s → %s, tax %s; want %s, %s", tc.base, fb.Number(), tax.Number(), tc.formBase, tc.tax)
			}
		})
	}
}
