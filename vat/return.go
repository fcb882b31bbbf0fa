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

// Unassigned is the Kennzahl of a box whose tax the return cannot place
// from the account alone: output tax on an account kept for every rate
// (SKR03 1770, the default chart's 2120) or for several Kennzahlen
// (SKR03 1787, reverse charge under § 13b Abs. 1 or Abs. 2 UStG). Lines
// on it with a VAT code go where their code says; the tax of those
// without counts into the remaining payment (83), but the Kennzahlen its
// base belongs to cannot be filled from the books.
const Unassigned = ""

// Box places one account on the advance VAT return: its movement in the
// period — credit minus debit if Credit (revenue, output tax), else debit
// minus credit (input tax, the cost of an intra-EU acquisition) — is Part
// of Kennzahl. A credit note or a cash discount posts to the same accounts
// with the opposite sign and so reduces the figure. Lines that carry a
// VAT code (Dimension) are placed by their code instead; see Code.Field.
type Box struct {
	Account  string
	Kennzahl string // "81", …, or Unassigned
	Part     Part
	Credit   bool
	// General says that the account takes the tax of any code of its
	// direction (SKR03 1570 Abziehbare Vorsteuer, the default chart's 1400
	// and 2120): Kennzahl is only where its lines without a code go. A
	// box on Unassigned is always general. A line whose code puts it on
	// another Kennzahl than a box that is not general contradicts the
	// account.
	General bool
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
	// TaxNumber is the number of the tax's own field where the form has
	// one next to the base, the tax entered to the cent (35/36, 46/47,
	// 84/85); "" otherwise.
	TaxNumber string
}

// The remaining advance payment (Verbleibende Umsatzsteuer-Vorauszahlung),
// or the refund if negative: the output tax less the input tax.
const Remaining = "83"

// Kennzahlen returns the Kennzahlen of the UStVA (form of 2025 and 2026)
// the tables and the codes place amounts on, in the form's order; 83, the
// remaining payment, is the return's result and not among them.
func Kennzahlen() []Kennzahl {
	return []Kennzahl{
		{Number: "81", Name: "Taxable supplies at 19 %", Direction: Output, Rate: rate("0.19"), HasTax: true, HasBase: true},
		{Number: "86", Name: "Taxable supplies at 7 %", Direction: Output, Rate: rate("0.07"), HasTax: true, HasBase: true},
		{Number: "87", Name: "Taxable supplies at 0 % (§ 12 (3) UStG)", Direction: Output, HasBase: true},
		{Number: "35", TaxNumber: "36", Name: "Taxable supplies at other rates", Direction: Output, HasTax: true, HasBase: true},
		{Number: "41", Name: "Intra-EU supplies to customers with a VAT ID", Direction: Output, HasBase: true},
		{Number: "43", Name: "Other tax-free supplies with input tax deduction (exports)", Direction: Output, HasBase: true},
		{Number: "48", Name: "Tax-free supplies without input tax deduction", Direction: Output, HasBase: true},
		{Number: "89", Name: "Intra-EU acquisitions at 19 %", Direction: Output, Rate: rate("0.19"), HasTax: true, HasBase: true},
		{Number: "93", Name: "Intra-EU acquisitions at 7 %", Direction: Output, Rate: rate("0.07"), HasTax: true, HasBase: true},
		{Number: "21", Name: "Non-taxable services taxable in another EU country", Direction: Output, HasBase: true},
		{Number: "45", Name: "Other non-taxable supplies (place of supply abroad)", Direction: Output, HasBase: true},
		{Number: "46", TaxNumber: "47", Name: "Services of a business in another EU country, the recipient owing the tax (§ 13b (1) UStG)", Direction: Output, HasTax: true, HasBase: true},
		{Number: "84", TaxNumber: "85", Name: "Other supplies, the recipient owing the tax (§ 13b (2) UStG)", Direction: Output, HasTax: true, HasBase: true},
		{Number: Unassigned, Name: "Output tax not assigned to a Kennzahl", Direction: Output, HasTax: true},
		{Number: "66", Name: "Deductible input tax", Direction: Input, HasTax: true},
		{Number: "61", Name: "Input tax on intra-EU acquisitions", Direction: Input, HasTax: true},
		{Number: "62", Name: "Import VAT incurred", Direction: Input, HasTax: true},
		{Number: "67", Name: "Input tax on reverse-charge services (§ 13b UStG)", Direction: Input, HasTax: true},
	}
}

// Label returns how the form names the Kennzahl's fields: "81", or "46/47"
// for a base with its own tax field.
func (k Kennzahl) Label() string {
	if k.TaxNumber != "" {
		return k.Number + "/" + k.TaxNumber
	}
	return k.Number
}

// bx is a box on an account that is not general.
func bx(account, kennzahl string, part Part, credit bool) Box {
	return Box{Account: account, Kennzahl: kennzahl, Part: part, Credit: credit}
}

// skr03Boxes places SKR03's revenue and VAT accounts on the return.
func skr03Boxes() []Box {
	return []Box{
		bx("8400", "81", Base, true), bx("8720", "81", Base, true), bx("8736", "81", Base, true),
		bx("8611", "81", Base, true), bx("2406", "81", Base, true), bx("1776", "81", Tax, true),
		bx("8300", "86", Base, true), bx("1771", "86", Tax, true),
		bx("8125", "41", Base, true), bx("8120", "43", Base, true), bx("8100", "48", Base, true),
		bx("8336", "21", Base, true), bx("8338", "45", Base, true),
		bx("3425", "89", Base, false), bx("1774", "89", Tax, true),
		bx("1770", Unassigned, Tax, true), bx("1787", Unassigned, Tax, true),
		{Account: "1570", Kennzahl: "66", Part: Tax, General: true}, bx("1571", "66", Tax, false), bx("1576", "66", Tax, false),
		bx("1574", "61", Tax, false), bx("1588", "62", Tax, false), bx("1577", "67", Tax, false),
	}
}

// skr04Boxes places SKR04's revenue and VAT accounts on the return.
func skr04Boxes() []Box {
	return []Box{
		bx("4400", "81", Base, true), bx("4720", "81", Base, true), bx("4736", "81", Base, true),
		bx("4947", "81", Base, true), bx("6936", "81", Base, true), bx("3806", "81", Tax, true),
		bx("4300", "86", Base, true), bx("3801", "86", Tax, true),
		bx("4125", "41", Base, true), bx("4120", "43", Base, true), bx("4100", "48", Base, true),
		bx("4336", "21", Base, true), bx("4338", "45", Base, true),
		bx("5425", "89", Base, false), bx("3804", "89", Tax, true),
		bx("3800", Unassigned, Tax, true), bx("3837", Unassigned, Tax, true),
		{Account: "1400", Kennzahl: "66", Part: Tax, General: true}, bx("1401", "66", Tax, false), bx("1406", "66", Tax, false),
		bx("1404", "61", Tax, false), bx("1433", "62", Tax, false), bx("1407", "67", Tax, false),
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
// 19 % (81) and 7 % (86): its revenue accounts do not say the rate. Its
// lines must say it, with their VAT codes (Dimension): the role accounts
// are general (Box.General), taking the tax of every code of their
// direction. It fails with ErrNoVATAccounts if the chart has neither
// role.
func ReturnFor(chart []ledger.Account) (Table, error) {
	if t, ok := For(chart); ok {
		return t, nil
	}
	t := Table{Chart: "roles"}
	for _, a := range chart {
		switch a.Metadata["role"] {
		case "vat_output":
			t.Boxes = append(t.Boxes, Box{Account: a.Code, Kennzahl: Unassigned, Part: Tax, Credit: true, General: true})
		case "vat_input":
			t.Boxes = append(t.Boxes, Box{Account: a.Code, Kennzahl: "66", Part: Tax, General: true})
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

// KennzahlByNumber returns the Kennzahl numbered n, or the one whose tax
// field is numbered n (47 gives 46, whose tax it is).
func KennzahlByNumber(n string) (Kennzahl, bool) {
	ks := Kennzahlen()
	i := slices.IndexFunc(ks, func(k Kennzahl) bool { return k.Number == n || n != "" && k.TaxNumber == n })
	if i < 0 {
		return Kennzahl{}, false
	}
	return ks[i], true
}
