package vat

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// Part says which figure of a Kennzahl an account's movement gives.
type Part int8

// The two parts.
const (
	Base Part = 1 // the assessment base (Bemessungsgrundlage), net of tax
	Tax  Part = 2 // the tax
)

// Unassigned is the Kennzahl of a box whose tax the return cannot place:
// output tax on an account kept for every rate (SKR03 1770, the default
// chart's 2120) or under a Kennzahl the table does not know yet (reverse
// charge, § 13b UStG). Its tax counts into the remaining payment (83), but
// the Kennzahlen its base belongs to cannot be filled from the books.
const Unassigned = ""

// Box places one account on the advance VAT return: its movement in the
// period — credit minus debit if Credit (revenue, output tax), else debit
// minus credit (input tax, the cost of an intra-EU acquisition) — is Part
// of Kennzahl. A credit note or a cash discount posts to the same accounts
// with the opposite sign and so reduces the figure.
type Box struct {
	Account  string
	Kennzahl string // "81", …, or Unassigned
	Part     Part
	Credit   bool
}

// Kennzahl is one line of the UStVA (Umsatzsteuer-Voranmeldung).
type Kennzahl struct {
	// Number is the Kennzahl: "81".
	Number string
	// Name is its English description, also its message key in package
	// reporting's catalogues.
	Name string
	// Direction output: its tax adds to the remaining payment (83); input:
	// its tax is deducted.
	Direction Direction
	// Rate is the rate the return computes the tax with from the base in
	// whole euros (81: 0.19, 86: 0.07, 89: 0.19); zero if the Kennzahl's tax
	// is entered as booked (66) or it has none (41).
	Rate decimal.Decimal
	// HasTax says whether the Kennzahl carries a tax: computed from the base
	// (Rate > 0) or entered to the cent (66, 61, 62, 67).
	HasTax bool
	// HasBase says whether the Kennzahl carries a base (in whole euros).
	HasBase bool
}

// The remaining advance payment (Verbleibende Umsatzsteuer-Vorauszahlung),
// or the refund if negative: the output tax less the input tax.
const Remaining = "83"

// Kennzahlen returns the Kennzahlen of the UStVA (form of 2025 and 2026)
// the tables place accounts on, in the form's order; 83, the remaining
// payment, is the return's result and not among them.
func Kennzahlen() []Kennzahl {
	return []Kennzahl{
		{Number: "81", Name: "Taxable supplies at 19 %", Direction: Output, Rate: rate("0.19"), HasTax: true, HasBase: true},
		{Number: "86", Name: "Taxable supplies at 7 %", Direction: Output, Rate: rate("0.07"), HasTax: true, HasBase: true},
		{Number: "41", Name: "Intra-EU supplies to customers with a VAT ID", Direction: Output, HasBase: true},
		{Number: "43", Name: "Other tax-free supplies with input tax deduction (exports)", Direction: Output, HasBase: true},
		{Number: "48", Name: "Tax-free supplies without input tax deduction", Direction: Output, HasBase: true},
		{Number: "21", Name: "Non-taxable services taxable in another EU country", Direction: Output, HasBase: true},
		{Number: "45", Name: "Other non-taxable supplies (place of supply abroad)", Direction: Output, HasBase: true},
		{Number: "89", Name: "Intra-EU acquisitions at 19 %", Direction: Output, Rate: rate("0.19"), HasTax: true, HasBase: true},
		{Number: Unassigned, Name: "Output tax not assigned to a Kennzahl", Direction: Output, HasTax: true},
		{Number: "66", Name: "Deductible input tax", Direction: Input, HasTax: true},
		{Number: "61", Name: "Input tax on intra-EU acquisitions", Direction: Input, HasTax: true},
		{Number: "62", Name: "Import VAT incurred", Direction: Input, HasTax: true},
		{Number: "67", Name: "Input tax on reverse-charge services (§ 13b UStG)", Direction: Input, HasTax: true},
	}
}

// skr03Boxes places SKR03's revenue and VAT accounts on the return.
func skr03Boxes() []Box {
	return []Box{
		{"8400", "81", Base, true}, {"8720", "81", Base, true}, {"8736", "81", Base, true},
		{"8611", "81", Base, true}, {"2406", "81", Base, true}, {"1776", "81", Tax, true},
		{"8300", "86", Base, true}, {"1771", "86", Tax, true},
		{"8125", "41", Base, true}, {"8120", "43", Base, true}, {"8100", "48", Base, true},
		{"8336", "21", Base, true}, {"8338", "45", Base, true},
		{"3425", "89", Base, false}, {"1774", "89", Tax, true},
		{"1770", Unassigned, Tax, true}, {"1787", Unassigned, Tax, true},
		{"1570", "66", Tax, false}, {"1571", "66", Tax, false}, {"1576", "66", Tax, false},
		{"1574", "61", Tax, false}, {"1588", "62", Tax, false}, {"1577", "67", Tax, false},
	}
}

// skr04Boxes places SKR04's revenue and VAT accounts on the return.
func skr04Boxes() []Box {
	return []Box{
		{"4400", "81", Base, true}, {"4720", "81", Base, true}, {"4736", "81", Base, true},
		{"4947", "81", Base, true}, {"6936", "81", Base, true}, {"3806", "81", Tax, true},
		{"4300", "86", Base, true}, {"3801", "86", Tax, true},
		{"4125", "41", Base, true}, {"4120", "43", Base, true}, {"4100", "48", Base, true},
		{"4336", "21", Base, true}, {"4338", "45", Base, true},
		{"5425", "89", Base, false}, {"3804", "89", Tax, true},
		{"3800", Unassigned, Tax, true}, {"3837", Unassigned, Tax, true},
		{"1400", "66", Tax, false}, {"1401", "66", Tax, false}, {"1406", "66", Tax, false},
		{"1404", "61", Tax, false}, {"1433", "62", Tax, false}, {"1407", "67", Tax, false},
	}
}

// ErrNoVATAccounts is returned by ReturnFor for a chart with no VAT
// account it can place.
var ErrNoVATAccounts = errors.New("vat: the chart has no VAT accounts")

// ReturnFor returns the table whose Boxes place chart's accounts on the
// advance VAT return: SKR03's or SKR04's (see For), which map the revenue
// accounts of each rate and tax-free kind and the VAT accounts to their
// Kennzahlen; for any other chart one built from the accounts' meta.role:
// vat_input on 66 (all input tax is deductible on 66 whatever its rate) and
// vat_output as Unassigned output tax. Such a chart — the default chart
// with 2120 VAT payable and 1400 VAT receivable for every rate — tells the
// input tax (66), the output tax in total and so the remaining payment
// (83) exactly, but not the bases, nor how the output tax splits between
// 19 % (81) and 7 % (86): its revenue accounts do not say the rate. It
// fails with ErrNoVATAccounts if the chart has neither role.
func ReturnFor(chart []ledger.Account) (Table, error) {
	if t, ok := For(chart); ok {
		return t, nil
	}
	t := Table{Chart: "roles"}
	for _, a := range chart {
		switch a.Metadata["role"] {
		case "vat_output":
			t.Boxes = append(t.Boxes, Box{Account: a.Code, Kennzahl: Unassigned, Part: Tax, Credit: true})
		case "vat_input":
			t.Boxes = append(t.Boxes, Box{Account: a.Code, Kennzahl: "66", Part: Tax})
		}
	}
	if len(t.Boxes) == 0 {
		return Table{}, ErrNoVATAccounts
	}
	return t, nil
}

// BoxesOf returns the table's boxes on Kennzahl k, in table order.
func (t Table) BoxesOf(k string) []Box {
	var out []Box
	for _, b := range t.Boxes {
		if b.Kennzahl == k {
			out = append(out, b)
		}
	}
	return out
}

// FormBase returns a base as the return declares it: in whole euros,
// rounded down (toward minus infinity, in the taxpayer's favour: cents are
// dropped from a positive base, a negative one grows to the next euro).
// ELSTER takes the bases of the UStVA in whole euros and the taxes to the
// cent.
func FormBase(base money.Amount) (money.Amount, error) {
	unit := int64(1)
	for range base.Currency().MinorUnits() {
		unit *= 10
	}
	whole, err := base.Div(unit, money.Floor)
	if err != nil {
		return money.Amount{}, err
	}
	return whole.Mul(unit)
}

// FormTax returns the tax of Kennzahl k as the return computes it from the
// base declared in whole euros (FormBase): base × k.Rate, rounded half up
// to the cent (exact for whole euros at 19 % and 7 %).
func (k Kennzahl) FormTax(formBase money.Amount) (money.Amount, error) {
	return formBase.MulRate(k.Rate, money.HalfUp)
}

// ErrPeriod is returned by ParsePeriod for a period it cannot read.
var ErrPeriod = errors.New("vat: not a return period")

// ParsePeriod reads the period of an advance VAT return: a month
// ("2025-03") or a quarter ("2025-Q1"), and returns its first and last
// day.
func ParsePeriod(s string) (from, to date.Date, err error) {
	y, rest, ok := strings.Cut(s, "-")
	year, yerr := strconv.Atoi(y)
	if !ok || yerr != nil || len(y) != 4 || year < 1 {
		return from, to, fmt.Errorf("%w: %q: want YYYY-MM or YYYY-Qn", ErrPeriod, s)
	}
	first, months := 0, 1
	if q, isQ := strings.CutPrefix(strings.ToUpper(rest), "Q"); isQ {
		n, qerr := strconv.Atoi(q)
		if qerr != nil || len(q) != 1 || n < 1 || n > 4 {
			return from, to, fmt.Errorf("%w: %q: quarters are Q1 to Q4", ErrPeriod, s)
		}
		first, months = 3*(n-1)+1, 3
	} else {
		m, merr := strconv.Atoi(rest)
		if merr != nil || len(rest) != 2 || m < 1 || m > 12 {
			return from, to, fmt.Errorf("%w: %q: want YYYY-MM or YYYY-Qn", ErrPeriod, s)
		}
		first = m
	}
	from = date.New(year, time.Month(first), 1)
	to = from.AddMonths(months - 1).EndOfMonth()
	return from, to, nil
}

// KennzahlByNumber returns the Kennzahl numbered n.
func KennzahlByNumber(n string) (Kennzahl, bool) {
	ks := Kennzahlen()
	i := slices.IndexFunc(ks, func(k Kennzahl) bool { return k.Number == n })
	if i < 0 {
		return Kennzahl{}, false
	}
	return ks[i], true
}
