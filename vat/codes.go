package vat

import (
	"errors"
	"fmt"
	"slices"
)

// Dimension is the line dimension that carries a posting line's VAT code
// (ledger.Line.Dimensions["vat"]): one of the codes of Codes, e.g.
// "USt19" on the revenue line of a sale at 19 % and on its output tax
// line. The advance VAT return places a line with a code by its code
// rather than by its account (see Code.Field).
const Dimension = "vat"

// ErrUnknownCode is returned by CheckDimension for a VAT code Codes does
// not know.
var ErrUnknownCode = errors.New("vat: unknown VAT code")

// Codes returns the VAT codes a posting line can carry, independent of the
// chart: their rates, directions, DATEV BU-Schlüssel and UStVA Kennzahlen,
// with Account, DeductAccount and Automatic left empty (SKR03 and SKR04
// return the same codes with their charts' accounts). In order:
//
//	USt19, USt7   sales at 19 % and 7 % (81, 86: the tax computed from the base)
//	VSt19, VSt7   input tax at 19 % and 7 % (66; the base is not declared)
//	USt0          sales at 0 % (§ 12 Abs. 3 UStG, photovoltaics: 87, no tax)
//	USt16, USt5   sales at the rates of 1 July–31 December 2020, for
//	              corrections of those supplies (35, tax entered on 36)
//	IGL           tax-free intra-EU supplies to customers with a VAT ID (41)
//	EUDL          services to businesses in other EU countries, taxable
//	              there (§ 18b Satz 1 Nr. 2 UStG: 21)
//	IGE19, IGE7   intra-EU acquisitions (89, 93: output tax computed from
//	              the base; the same tax deductible on 61)
//	RCEU19        services of a business established in another EU country,
//	              the recipient owing the tax (§ 13b Abs. 1 UStG: 46, tax
//	              entered on 47, deductible on 67)
//	RC19          other supplies under § 13b Abs. 2 UStG (building work,
//	              supplies of businesses from outside the EU …: 84, tax on
//	              85, deductible on 67)
//
// BU is set for the four codes DATEV books from one key and one tax
// account (3, 2, 9, 8) and empty for the others: package datev books a
// line's code as its BU-Schlüssel where it has one (and DATEV's tax
// computation gives the booked cents), the others only as a
// Zusatzinformation. The codes are fresh values on each call.
func Codes() []Code {
	return []Code{
		{Code: "USt19", Name: "Umsatzsteuer 19 %", Rate: rate("0.19"), Direction: Output, BU: "3", BaseBox: "81"},
		{Code: "USt7", Name: "Umsatzsteuer 7 %", Rate: rate("0.07"), Direction: Output, BU: "2", BaseBox: "86"},
		{Code: "VSt19", Name: "Vorsteuer 19 %", Rate: rate("0.19"), Direction: Input, BU: "9", TaxBox: "66"},
		{Code: "VSt7", Name: "Vorsteuer 7 %", Rate: rate("0.07"), Direction: Input, BU: "8", TaxBox: "66"},
		{Code: "USt0", Name: "Umsatzsteuer 0 % (§ 12 Abs. 3 UStG)", Rate: rate("0"), Direction: Output, BaseBox: "87"},
		{Code: "USt16", Name: "Umsatzsteuer 16 % (1. Juli bis 31. Dezember 2020)", Rate: rate("0.16"), Direction: Output, BaseBox: "35", TaxBox: "36"},
		{Code: "USt5", Name: "Umsatzsteuer 5 % (1. Juli bis 31. Dezember 2020)", Rate: rate("0.05"), Direction: Output, BaseBox: "35", TaxBox: "36"},
		{Code: "IGL", Name: "Steuerfreie innergemeinschaftliche Lieferung (§ 4 Nr. 1b UStG)", Rate: rate("0"), Direction: Output, BaseBox: "41"},
		{Code: "EUDL", Name: "Sonstige Leistung an Unternehmer im übrigen Gemeinschaftsgebiet (§ 18b Satz 1 Nr. 2 UStG)", Rate: rate("0"), Direction: Output, BaseBox: "21"},
		{Code: "IGE19", Name: "Innergemeinschaftlicher Erwerb 19 %", Rate: rate("0.19"), Direction: Output, BaseBox: "89", DeductBox: "61"},
		{Code: "IGE7", Name: "Innergemeinschaftlicher Erwerb 7 %", Rate: rate("0.07"), Direction: Output, BaseBox: "93", DeductBox: "61"},
		{Code: "RCEU19", Name: "Sonstige Leistung eines im übrigen Gemeinschaftsgebiet ansässigen Unternehmers 19 % (§ 13b Abs. 1 UStG)", Rate: rate("0.19"), Direction: Output, BaseBox: "46", TaxBox: "47", DeductBox: "67"},
		{Code: "RC19", Name: "Andere Leistung nach § 13b Abs. 2 UStG 19 %", Rate: rate("0.19"), Direction: Output, BaseBox: "84", TaxBox: "85", DeductBox: "67"},
	}
}

// Lookup returns the code of Codes named name (exactly: "USt19", not
// "ust19").
func Lookup(name string) (Code, bool) {
	cs := Codes()
	i := slices.IndexFunc(cs, func(c Code) bool { return c.Code == name })
	if i < 0 {
		return Code{}, false
	}
	return cs[i], true
}

// CheckDimension checks a line's dimension: for Dimension ("vat") the value
// must name a code of Codes, else the error wraps ErrUnknownCode and lists
// the known codes (without repeating the value: the caller names where it
// is); every other dimension passes. It fits
// ledger.EntryOptions.CheckDimension and journal.Journal.CheckDimensions,
// so that entries files and journals are refused, with row or line,
// rather than posted with a code the VAT return cannot place.
func CheckDimension(name, value string) error {
	if name != Dimension {
		return nil
	}
	if _, ok := Lookup(value); !ok {
		return fmt.Errorf("%w (the codes are %s)", ErrUnknownCode, codeNames())
	}
	return nil
}

func codeNames() string {
	s := ""
	for i, c := range Codes() {
		if i > 0 {
			s += ", "
		}
		s += c.Code
	}
	return s
}

// Purchase reports whether the code's base is a purchase, booked as a
// debit (input tax, intra-EU acquisitions, reverse charge), rather than a
// sale, booked as a credit.
func (c Code) Purchase() bool { return c.Direction == Input || c.DeductBox != "" }

// Field returns the number of the UStVA field a line with code c goes to:
// for part Base its base (BaseBox), for part Tax its tax on a VAT account
// of direction side — on an output account TaxBox, or the base's
// Kennzahl when the return computes the tax from the base (81, 86, 89,
// 93); on an input account TaxBox of an input code or DeductBox of a code
// whose tax the recipient owes and deducts. ok is false where the code
// puts nothing: the base of input tax (not declared), any tax of a
// zero-rate code, or tax on a VAT account of the other direction (output
// tax on an input tax account). KennzahlByNumber gives the field's line of
// the form.
func (c Code) Field(part Part, side Direction) (field string, ok bool) {
	if part == Base {
		return c.BaseBox, c.BaseBox != ""
	}
	switch {
	case c.Rate.IsZero():
		return "", false
	case side == Output && c.Direction == Output:
		if c.TaxBox != "" {
			return c.TaxBox, true
		}
		return c.BaseBox, c.BaseBox != ""
	case side == Input && c.Direction == Input:
		return c.TaxBox, c.TaxBox != ""
	case side == Input && c.DeductBox != "":
		return c.DeductBox, true
	}
	return "", false
}
