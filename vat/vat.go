// Package vat holds German VAT codes as data: for each code its rate, its
// direction (output tax, Umsatzsteuer, or input tax, Vorsteuer), the tax
// account, the revenue or expense accounts on which DATEV computes the
// tax automatically (Automatikkonten), the DATEV BU-Schlüssel that asks
// for the tax on any other account, and the fields of the advance VAT
// return (Umsatzsteuer-Voranmeldung, UStVA) its base and tax go to.
//
// Codes lists the codes for the rates in force in 2025 and 2026 — 19 %,
// 7 % and 0 %, input tax at 19 % and 7 %, intra-EU supplies and
// acquisitions, services to and from other EU countries and reverse
// charge (§ 13b UStG) — independent of the chart. SKR03 and SKR04 return
// them with the accounts of the charts shipped with package ledger
// (ledger.SKR03, ledger.SKR04). Partners' VAT codes "19", "7" and "0" name
// the codes of the same rate and direction (Table.ByRate).
//
// A posting line carries its code as the line dimension "vat"
// (Dimension): "USt19" on the revenue line of a sale and on its output tax
// line. CheckDimension refuses a code Codes does not know; readers of
// entries files and journals take it as their dimension check.
//
// For the advance VAT return a table's Boxes place the chart's revenue and
// VAT accounts on the UStVA's Kennzahlen (Kennzahlen, ReturnFor): a line
// without a code is placed by its account, and movements are summed, so
// credit notes and cash discounts, which post to the same accounts with
// the opposite sign, reduce it. A line with a code is placed by its code
// (Code.Field), whatever its account: so a chart with one output VAT
// account for every rate — the default chart — still fills 81 and 86.
// FormBase and Kennzahl.FormTax round as ELSTER takes the figures: bases
// in whole euros rounded down, taxes to the cent.
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
	// 19 %, 86 at 7 %), or "" when the base is not declared (input tax).
	BaseBox string
	// TaxBox is the Kennzahl of the tax, or "" when the tax office computes
	// it from the base (81, 86, 89, 93): 66 for deductible input tax, 36, 47
	// and 85 for output tax entered to the cent next to its base (35, 46,
	// 84).
	TaxBox string
	// DeductBox is, for a code whose tax the recipient owes and deducts in
	// the same return — intra-EU acquisitions, reverse charge (§ 13b UStG)
	// — the Kennzahl of the deductible input tax: 61 or 67; "" otherwise.
	// Such a code's Direction is Output (its tax is owed) and its base is
	// a purchase (Purchase).
	DeductBox string
	// DeductAccount is the input tax account of a code with a DeductBox
	// (SKR03 1574 for intra-EU acquisitions at 19 %), "" if the chart has
	// none or for a chart-independent code.
	DeductAccount string
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
// automatic, 7 % on 1571 with 3300; intra-EU acquisitions at 19 % on 1774
// and 1574; reverse charge at 19 % on 1787 and 1577. The other codes of
// Codes have no accounts of their own in the chart (a zero rate needs
// none; the 2020 rates, the intra-EU acquisitions at 7 % would).
func SKR03() Table {
	return Table{Chart: "SKR03", Codes: withAccounts(map[string][3]string{
		"USt19": {"1776", "", "8400"}, "USt7": {"1771", "", "8300"},
		"VSt19": {"1576", "", "3400"}, "VSt7": {"1571", "", "3300"},
		"IGE19": {"1774", "1574", ""}, "RCEU19": {"1787", "1577", ""}, "RC19": {"1787", "1577", ""},
	}), Boxes: skr03Boxes()}
}

// SKR04 returns the VAT codes for DATEV SKR04: output 19 % on 3806 with
// 4400 automatic, 7 % on 3801 with 4300; input 19 % on 1406 with 5400
// automatic, 7 % on 1401 with 5300; intra-EU acquisitions at 19 % on 3804
// and 1404; reverse charge at 19 % on 3837 and 1407.
func SKR04() Table {
	return Table{Chart: "SKR04", Codes: withAccounts(map[string][3]string{
		"USt19": {"3806", "", "4400"}, "USt7": {"3801", "", "4300"},
		"VSt19": {"1406", "", "5400"}, "VSt7": {"1401", "", "5300"},
		"IGE19": {"3804", "1404", ""}, "RCEU19": {"3837", "1407", ""}, "RC19": {"3837", "1407", ""},
	}), Boxes: skr04Boxes()}
}

// withAccounts returns Codes with their tax account, deduct account and
// automatic account from accts.
func withAccounts(accts map[string][3]string) []Code {
	cs := Codes()
	for i := range cs {
		a := accts[cs[i].Code]
		cs[i].Account, cs[i].DeductAccount = a[0], a[1]
		if a[2] != "" {
			cs[i].Automatic = []string{a[2]}
		}
	}
	return cs
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
			for _, a := range []string{c.Account, c.DeductAccount} {
				if _, in := byCode[a]; a != "" && !in {
					ok = false
				}
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

// ByAccount returns the first code whose tax account is account.
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

// ByBU returns the code with DATEV BU-Schlüssel bu; none for "".
func (t Table) ByBU(bu string) (Code, bool) {
	i := slices.IndexFunc(t.Codes, func(c Code) bool { return bu != "" && c.BU == bu })
	if i < 0 {
		return Code{}, false
	}
	return t.Codes[i], true
}

// ByRate returns the first code of direction d at rate r in table order:
// how a partners VAT code ("19", "7") on an invoice or a supplier bill
// maps to the table. The domestic codes (USt19, USt7, VSt19, VSt7, USt0)
// come before the intra-EU and reverse-charge codes of the same rate.
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
