// Package vat holds German VAT codes as data: for each code its rate, its
// direction (output tax, Umsatzsteuer, or input tax, Vorsteuer), the tax
// account, the revenue or expense accounts on which DATEV computes the
// tax automatically (Automatikkonten), the DATEV BU-Schlüssel that asks
// for the tax on any other account, and the Kennzahlen of the advance VAT
// return (Umsatzsteuer-Voranmeldung, UStVA) its base and tax go to.
//
// SKR03 and SKR04 return the tables for the charts shipped with package
// ledger (ledger.SKR03, ledger.SKR04) for the rates in force in 2025 and
// 2026: 19 %, 7 % and 0 %. Reverse charge (§ 13b UStG) and intra-EU
// acquisitions and supplies are not in the codes yet. Partners' VAT codes
// "19", "7" and "0" name the codes of the same rate and direction
// (Table.ByRate).
//
// For the advance VAT return a table's Boxes place the chart's revenue and
// VAT accounts on the UStVA's Kennzahlen (Kennzahlen, ReturnFor): the
// return is computed from the accounts' movements, so credit notes and
// cash discounts, which post to the same accounts with the opposite sign,
// reduce it. FormBase and Kennzahl.FormTax round as ELSTER takes the
// figures: bases in whole euros rounded down, taxes to the cent.
//
// A Table is a plain value, safe for concurrent reading; the functions
// return fresh tables and keep no state.
package vat

import (
	"math/big"

	"slices"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// Direction says whether a code's tax is owed (output) or deductible (input).
type Direction int8

// The two directions.
const (
	Output Direction = 1 // Umsatzsteuer: on sales, owed to the tax office
	Input  Direction = 2 // Vorsteuer: on purchases, deductible
)

// String returns "output" or "input".
func (d Direction) String() string {
	if d == Input {
		return "input"
	}
	return "output"
}

// Code is one VAT code.
type Code struct {
	// Code names the code, e.g. "USt19".
	Code      string
	Name      string
	Rate      decimal.Decimal // 0.19 for 19 %
	Direction Direction
	// Account is the tax account (Umsatzsteuer 19 %, Vorsteuer 19 % …);
	// empty for a zero rate.
	Account string
	// Automatic are the accounts on which DATEV computes this code's tax
	// from a gross amount without a BU-Schlüssel (Automatikkonten, e.g.
	// SKR03 8400 Erlöse 19 % USt).
	Automatic []string
	// BU is the DATEV BU-Schlüssel (tax key) that applies this code on an
	// account that is not automatic: 3 for 19 % USt, 2 for 7 % USt, 9 for
	// 19 % Vorsteuer, 8 for 7 % Vorsteuer.
	BU string
	// BaseBox is the UStVA Kennzahl of the assessment base (81 for sales at
	// 19 %, 86 at 7 %), or "" when the base is not declared.
	BaseBox string
	// TaxBox is the Kennzahl of the tax, or "" when the tax office computes
	// it from the base (81, 86): 66 for deductible input tax.
	TaxBox string
}

// BUNoAutomatic is the DATEV BU-Schlüssel 40, "Aufhebung der Automatik":
// a net amount on an automatic account without tax.
const BUNoAutomatic = "40"

// Table is a chart's VAT codes.
type Table struct {
	Chart string // "SKR03", "SKR04"
	Codes []Code
	// Boxes place the chart's revenue and VAT accounts on the advance VAT
	// return; an account in no box is not on it.
	Boxes []Box
}

func rate(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// SKR03 returns the VAT codes for DATEV SKR03: output 19 % on 1776 with
// 8400 automatic, 7 % on 1771 with 8300; input 19 % on 1576 with 3400
// automatic, 7 % on 1571 with 3300.
func SKR03() Table {
	return Table{Chart: "SKR03", Codes: []Code{
		{Code: "USt19", Name: "Umsatzsteuer 19 %", Rate: rate("0.19"), Direction: Output, Account: "1776", Automatic: []string{"8400"}, BU: "3", BaseBox: "81"},
		{Code: "USt7", Name: "Umsatzsteuer 7 %", Rate: rate("0.07"), Direction: Output, Account: "1771", Automatic: []string{"8300"}, BU: "2", BaseBox: "86"},
		{Code: "VSt19", Name: "Vorsteuer 19 %", Rate: rate("0.19"), Direction: Input, Account: "1576", Automatic: []string{"3400"}, BU: "9", TaxBox: "66"},
		{Code: "VSt7", Name: "Vorsteuer 7 %", Rate: rate("0.07"), Direction: Input, Account: "1571", Automatic: []string{"3300"}, BU: "8", TaxBox: "66"},
	}, Boxes: skr03Boxes()}
}

// SKR04 returns the VAT codes for DATEV SKR04: output 19 % on 3806 with
// 4400 automatic, 7 % on 3801 with 4300; input 19 % on 1406 with 5400
// automatic, 7 % on 1401 with 5300.
func SKR04() Table {
	return Table{Chart: "SKR04", Codes: []Code{
		{Code: "USt19", Name: "Umsatzsteuer 19 %", Rate: rate("0.19"), Direction: Output, Account: "3806", Automatic: []string{"4400"}, BU: "3", BaseBox: "81"},
		{Code: "USt7", Name: "Umsatzsteuer 7 %", Rate: rate("0.07"), Direction: Output, Account: "3801", Automatic: []string{"4300"}, BU: "2", BaseBox: "86"},
		{Code: "VSt19", Name: "Vorsteuer 19 %", Rate: rate("0.19"), Direction: Input, Account: "1406", Automatic: []string{"5400"}, BU: "9", TaxBox: "66"},
		{Code: "VSt7", Name: "Vorsteuer 7 %", Rate: rate("0.07"), Direction: Input, Account: "1401", Automatic: []string{"5300"}, BU: "8", TaxBox: "66"},
	}, Boxes: skr04Boxes()}
}

// For returns the table of the shipped chart chart holds (SKR03 or SKR04,
// recognised by their VAT accounts' names and numbers), and false for any
// other chart.
func For(chart []ledger.Account) (Table, bool) {
	byCode := map[string]string{}
	for _, a := range chart {
		byCode[a.Code] = a.Name
	}
	for _, t := range []Table{SKR03(), SKR04()} {
		ok := true
		for _, c := range t.Codes {
			if _, in := byCode[c.Account]; !in {
				ok = false
			}
			for _, a := range c.Automatic {
				if _, in := byCode[a]; !in {
					ok = false
				}
			}
		}
		// The automatic revenue account's name tells the charts apart.
		if ok && byCode[t.Codes[0].Automatic[0]] == "Erlöse 19 % USt" {
			return t, true
		}
	}
	return Table{}, false
}

// ByAccount returns the code whose tax account is account.
func (t Table) ByAccount(account string) (Code, bool) {
	i := slices.IndexFunc(t.Codes, func(c Code) bool { return c.Account == account })
	if i < 0 {
		return Code{}, false
	}
	return t.Codes[i], true
}

// AutomaticFor returns the code for which account is an automatic account.
func (t Table) AutomaticFor(account string) (Code, bool) {
	i := slices.IndexFunc(t.Codes, func(c Code) bool { return slices.Contains(c.Automatic, account) })
	if i < 0 {
		return Code{}, false
	}
	return t.Codes[i], true
}

// ByBU returns the code with DATEV BU-Schlüssel bu.
func (t Table) ByBU(bu string) (Code, bool) {
	i := slices.IndexFunc(t.Codes, func(c Code) bool { return c.BU == bu })
	if i < 0 {
		return Code{}, false
	}
	return t.Codes[i], true
}

// ByRate returns the code of direction d at rate r: how a partners VAT
// code ("19", "7") on an invoice or a supplier bill maps to the table.
func (t Table) ByRate(d Direction, r decimal.Decimal) (Code, bool) {
	i := slices.IndexFunc(t.Codes, func(c Code) bool { return c.Direction == d && c.Rate.Equal(r) })
	if i < 0 {
		return Code{}, false
	}
	return t.Codes[i], true
}

// TaxOfGross returns the tax contained in gross at the code's rate, as
// DATEV computes it on an automatic account: gross × rate / (1 + rate),
// rounded half up (away from zero) to the currency's minor units, in
// integers.
func (c Code) TaxOfGross(gross money.Amount) money.Amount {
	if c.Rate.IsZero() || gross.IsZero() {
		return money.Zero(gross.Currency())
	}
	// rate = k × 10^e: tax = g × k / (10^-e + k).
	k := c.Rate.Coefficient()
	e := c.Rate.Exponent()
	scale := big.NewInt(1)
	if e < 0 {
		scale.Exp(big.NewInt(10), big.NewInt(int64(-e)), nil)
	} else if e > 0 {
		k.Mul(k, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(e)), nil))
	}
	num := new(big.Int).Mul(big.NewInt(gross.MinorUnits()), k)
	den := new(big.Int).Add(scale, k)
	neg := num.Sign() < 0
	num.Abs(num)
	q, r := new(big.Int).QuoRem(num, den, new(big.Int))
	if r.Lsh(r, 1).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if neg {
		q.Neg(q)
	}
	return money.New(q.Int64(), gross.Currency())
}
