package vat_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/vat"
)

// TestCodes checks the catalogue: unique names, every field a Kennzahl of
// the form with that part (a base on a Kennzahl with a base, a tax on one
// with a tax, a computed tax only where the Kennzahl computes it at the
// code's rate), directions that fit the Kennzahlen, and zero-rate codes
// without tax fields.
func TestCodes(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range vat.Codes() {
		t.Run(c.Code, func(t *testing.T) {
			if seen[c.Code] {
				t.Fatalf("code %s twice", c.Code)
			}
			seen[c.Code] = true
			if c.Account != "" || c.DeductAccount != "" || len(c.Automatic) > 0 {
				t.Errorf("a chart-independent code with accounts: %+v", c)
			}
			if got, ok := vat.Lookup(c.Code); !ok || got.Code != c.Code {
				t.Errorf("Lookup(%s) = %v, %v", c.Code, got.Code, ok)
			}
			if base, ok := c.Field(vat.Base, vat.Output); ok {
				k, found := vat.KennzahlByNumber(base)
				if !found || !k.HasBase || k.Number != base {
					t.Errorf("base on %s: no Kennzahl with a base numbered so (%+v)", base, k)
				}
				if k.Direction != vat.Output {
					t.Errorf("base on %s, an input Kennzahl", base)
				}
				if k.Rate.IsPositive() && !k.Rate.Equal(c.Rate) {
					t.Errorf("base on %s, which computes the tax at %s, for a code at %s", base, k.Rate, c.Rate)
				}
			} else if c.Direction == vat.Output {
				t.Errorf("an output code without a base field")
			}
			for _, side := range []vat.Direction{vat.Output, vat.Input} {
				f, ok := c.Field(vat.Tax, side)
				if !ok {
					continue
				}
				if c.Rate.IsZero() {
					t.Errorf("a zero-rate code with tax on %s", f)
				}
				k, found := vat.KennzahlByNumber(f)
				if !found || !k.HasTax || k.Direction != side {
					t.Errorf("%s tax on %s: no %s Kennzahl with a tax (%+v)", side, f, side, k)
				}
				if f == k.Number && k.HasBase && !k.Rate.Equal(c.Rate) {
					t.Errorf("%s tax computed on %s at %s for a code at %s", side, f, k.Rate, c.Rate)
				}
			}
			_, out := c.Field(vat.Tax, vat.Output)
			_, in := c.Field(vat.Tax, vat.Input)
			switch {
			case c.Rate.IsZero() && (out || in):
				t.Errorf("zero rate with a tax field")
			case !c.Rate.IsZero() && c.Direction == vat.Input && (out || !in):
				t.Errorf("input code: output %v, input %v; want only input", out, in)
			case !c.Rate.IsZero() && c.Direction == vat.Output && !out:
				t.Errorf("output code without an output tax field")
			case in != (c.DeductBox != "" || c.Direction == vat.Input):
				t.Errorf("input field %v with DeductBox %q", in, c.DeductBox)
			}
			if c.Purchase() != (c.Direction == vat.Input || c.DeductBox != "") {
				t.Errorf("Purchase() = %v", c.Purchase())
			}
		})
	}
	if _, ok := vat.Lookup("ust19"); ok {
		t.Error(`Lookup("ust19") found a code: names are exact`)
	}
}

// TestField: where a line with a code goes, base and tax, on either side.
func TestField(t *testing.T) {
	type f struct {
		part vat.Part
		side vat.Direction
	}
	base, out, in := f{vat.Base, vat.Output}, f{vat.Tax, vat.Output}, f{vat.Tax, vat.Input}
	for _, tc := range []struct {
		code string
		want map[f]string // absent: ok false
	}{
		{"USt19", map[f]string{base: "81", out: "81"}},
		{"USt7", map[f]string{base: "86", out: "86"}},
		{"USt0", map[f]string{base: "87"}},
		{"USt16", map[f]string{base: "35", out: "36"}},
		{"IGL", map[f]string{base: "41"}},
		{"EUDL", map[f]string{base: "21"}},
		{"VSt19", map[f]string{in: "66"}},
		{"VSt7", map[f]string{in: "66"}},
		{"IGE19", map[f]string{base: "89", out: "89", in: "61"}},
		{"IGE7", map[f]string{base: "93", out: "93", in: "61"}},
		{"RCEU19", map[f]string{base: "46", out: "47", in: "67"}},
		{"RC19", map[f]string{base: "84", out: "85", in: "67"}},
	} {
		t.Run(tc.code, func(t *testing.T) {
			c, ok := vat.Lookup(tc.code)
			if !ok {
				t.Fatal("no such code")
			}
			got := map[f]string{}
			for _, x := range []f{base, out, in} {
				if n, ok := c.Field(x.part, x.side); ok {
					got[x] = n
				}
			}
			if diff := cmp.Diff(got, tc.want); diff != "" {
				t.Errorf("fields (-got +want):\n%s", diff)
			}
		})
	}
	k, _ := vat.KennzahlByNumber("47")
	if k.Number != "46" || k.Label() != "46/47" {
		t.Errorf("KennzahlByNumber(47) = %s (%s), want 46 (46/47)", k.Number, k.Label())
	}
}

func TestCheckDimension(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		err         bool
	}{
		{"vat", "USt19", false},
		{"vat", "RCEU19", false},
		{"vat", "U19", true},
		{"vat", "", true},
		{"cost_centre", "U19", false},
	} {
		t.Run(fmt.Sprintf("%s=%s", tc.name, tc.value), func(t *testing.T) {
			err := vat.CheckDimension(tc.name, tc.value)
			if tc.err != errors.Is(err, vat.ErrUnknownCode) || tc.err != (err != nil) {
				t.Errorf("CheckDimension = %v, want an error: %v", err, tc.err)
			}
		})
	}
}

// TestTableCodes: the shipped tables hold every code of the catalogue, in
// its order, with tax, deduct and automatic accounts of the right types
// in their chart, on boxes of the code's Kennzahlen; the four DATEV keys
// are unchanged.
func TestTableCodes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		table vat.Table
		chart []ledger.Account
	}{{"SKR03", vat.SKR03(), ledger.SKR03("b")}, {"SKR04", vat.SKR04(), ledger.SKR04("b")}} {
		t.Run(tc.name, func(t *testing.T) {
			var names, want []string
			for _, c := range vat.Codes() {
				want = append(want, c.Code)
			}
			types := map[string]ledger.AccountType{}
			for _, a := range tc.chart {
				types[a.Code] = a.Type
			}
			boxes := map[string]vat.Box{}
			for _, b := range tc.table.Boxes {
				boxes[b.Account] = b
			}
			bu := map[string]string{}
			for _, c := range tc.table.Codes {
				names = append(names, c.Code)
				if c.BU != "" {
					bu[c.Code] = c.BU
				}
				for _, x := range []struct {
					acct string
					side vat.Direction
					typ  ledger.AccountType
				}{{c.Account, c.Direction, 0}, {c.DeductAccount, vat.Input, ledger.Asset}} {
					if x.acct == "" {
						continue
					}
					typ := map[vat.Direction]ledger.AccountType{vat.Output: ledger.Liability, vat.Input: ledger.Asset}[x.side]
					if types[x.acct] != typ {
						t.Errorf("%s: account %s is a %v, want %v", c.Code, x.acct, types[x.acct], typ)
					}
					b, ok := boxes[x.acct]
					f, _ := c.Field(vat.Tax, x.side)
					k, _ := vat.KennzahlByNumber(f)
					if !ok || b.Part != vat.Tax || (b.Kennzahl != k.Number && b.Kennzahl != vat.Unassigned && !b.General) {
						t.Errorf("%s: account %s on box %+v, the code's tax on %s", c.Code, x.acct, b, f)
					}
				}
				for _, a := range c.Automatic {
					if typ := types[a]; typ != ledger.Revenue && typ != ledger.Expense {
						t.Errorf("%s: automatic account %s is a %v", c.Code, a, typ)
					}
				}
			}
			if diff := cmp.Diff(names, want); diff != "" {
				t.Errorf("codes (-got +want):\n%s", diff)
			}
			if diff := cmp.Diff(bu, map[string]string{"USt19": "3", "USt7": "2", "VSt19": "9", "VSt7": "8"}); diff != "" {
				t.Errorf("BU-Schlüssel (-got +want):\n%s", diff)
			}
			if got, ok := vat.For(tc.chart); !ok || got.Chart != tc.name {
				t.Errorf("For = %s, %v", got.Chart, ok)
			}
		})
	}
}
