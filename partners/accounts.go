package partners

import (
	"fmt"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/ledger"
)

// Accounts maps partner postings to ledger accounts: configuration, as
// data. DefaultAccounts, SKR03Accounts and SKR04Accounts return mappings
// against the charts shipped with package ledger; the tests check that each
// of their accounts exists in its chart. Accounts is a plain value; do not
// change its VAT slice while Parties use it.
type Accounts struct {
	// Receivables and Payables are the control accounts (Sammelkonten) of
	// customers' and suppliers' items.
	Receivables, Payables string
	// DiscountGranted takes the net part of a cash discount a customer
	// deducts (a revenue reduction); DiscountReceived the net part of one
	// the book deducts from a supplier (a purchase price reduction).
	DiscountGranted, DiscountReceived string
	// WriteOff takes the net part of a receivable written off as
	// uncollectable.
	WriteOff string
	// VAT are the VAT codes invoice lines name.
	VAT []VATCode
}

// VATCode is one VAT rate with its accounts: Output takes the tax of
// outgoing invoices (Umsatzsteuer), Input that of incoming ones
// (Vorsteuer). A code with a zero rate needs no accounts.
type VATCode struct {
	Code          string
	Rate          decimal.Decimal
	Output, Input string
	// Sales and Purchases are the codes of package vat (vat.Codes) that the
	// lines of this code carry as their dimension DimVAT on outgoing and
	// incoming documents: the net lines, the tax line, and the lines with
	// which a cash discount or write-off corrects them. The advance VAT
	// return (reporting.VATReturn) places such lines by their code, so
	// that a chart with one VAT account for every rate still tells 19 %
	// from 7 %. "" posts lines without a code, placed by their accounts.
	Sales, Purchases string
}

// lineCode returns the package vat code the lines of v carry on items of
// kind k, or "".
func (v VATCode) lineCode(k ItemKind) string {
	if k == Payable {
		return v.Purchases
	}
	return v.Sales
}

// vatCode returns the code named code.
func (a *Accounts) vatCode(code string) (VATCode, error) {
	i := slices.IndexFunc(a.VAT, func(v VATCode) bool { return v.Code == code })
	if i < 0 {
		return VATCode{}, fmt.Errorf("%w: VAT code %q", ErrNoAccount, code)
	}
	return a.VAT[i], nil
}

// control returns the control account of items of kind k.
func (a *Accounts) control(k ItemKind) string {
	if k == Payable {
		return a.Payables
	}
	return a.Receivables
}

func rate(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// DefaultAccounts returns the mapping against the default chart
// (ledger.DefaultChart): 1200 Accounts receivable, 2110 Accounts payable,
// discounts granted on 4100 Sales and received on 5000 Cost of goods sold,
// write-offs on 6990 Other operating expenses, and VAT codes 19, 7 and 0
// with 2120 VAT payable and 1400 VAT receivable (the chart has one VAT
// account per side). The lines of codes 19 and 7 carry the package vat
// codes USt19 and USt7 on sales, VSt19 and VSt7 on purchases (as in
// SKR03Accounts and SKR04Accounts); those of code 0 none, since a sale
// without tax goes to one of several Kennzahlen (41, 43, 48, 87 …)
// depending on why: add a code naming the right one (VATCode.Sales "IGL"
// for intra-EU supplies).
func DefaultAccounts() Accounts {
	return Accounts{Receivables: "1200", Payables: "2110", DiscountGranted: "4100", DiscountReceived: "5000",
		WriteOff: "6990", VAT: []VATCode{
			{Code: "19", Rate: rate("0.19"), Output: "2120", Input: "1400", Sales: "USt19", Purchases: "VSt19"},
			{Code: "7", Rate: rate("0.07"), Output: "2120", Input: "1400", Sales: "USt7", Purchases: "VSt7"},
			{Code: "0", Rate: decimal.Zero},
		}}
}

// SKR03Accounts returns the mapping against DATEV SKR03 (ledger.SKR03):
// 1400 Forderungen aus Lieferungen und Leistungen, 1600 Verbindlichkeiten
// aus Lieferungen und Leistungen, 8736 Gewährte Skonti 19 % USt, 3736
// Erhaltene Skonti 19 % Vorsteuer, 2400 Forderungsverluste, VAT 19 % on
// 1776/1576 and 7 % on 1771/1571.
func SKR03Accounts() Accounts {
	return Accounts{Receivables: "1400", Payables: "1600", DiscountGranted: "8736", DiscountReceived: "3736",
		WriteOff: "2400", VAT: []VATCode{
			{Code: "19", Rate: rate("0.19"), Output: "1776", Input: "1576", Sales: "USt19", Purchases: "VSt19"},
			{Code: "7", Rate: rate("0.07"), Output: "1771", Input: "1571", Sales: "USt7", Purchases: "VSt7"},
			{Code: "0", Rate: decimal.Zero},
		}}
}

// SKR04Accounts returns the mapping against DATEV SKR04 (ledger.SKR04):
// 1200 Forderungen aus Lieferungen und Leistungen, 3300 Verbindlichkeiten
// aus Lieferungen und Leistungen, 4736 Gewährte Skonti 19 % USt, 5736
// Erhaltene Skonti 19 % Vorsteuer, 6930 Forderungsverluste, VAT 19 % on
// 3806/1406 and 7 % on 3801/1401.
func SKR04Accounts() Accounts {
	return Accounts{Receivables: "1200", Payables: "3300", DiscountGranted: "4736", DiscountReceived: "5736",
		WriteOff: "6930", VAT: []VATCode{
			{Code: "19", Rate: rate("0.19"), Output: "3806", Input: "1406", Sales: "USt19", Purchases: "VSt19"},
			{Code: "7", Rate: rate("0.07"), Output: "3801", Input: "1401", Sales: "USt7", Purchases: "VSt7"},
			{Code: "0", Rate: decimal.Zero},
		}}
}

// AccountsFor returns the account mapping for a chart of accounts: the
// shipped mapping if the chart is one of the shipped charts (it holds every
// account of DefaultAccounts, SKR03Accounts or SKR04Accounts, with their
// control accounts marked by meta.role), and otherwise one built from the
// accounts' meta.role: receivables and payables (required), vat_output and
// vat_input for the VAT codes 19 and 7 (and 0), sales_discounts (else
// revenue) for discounts granted, purchase_discounts (else cogs) for
// discounts received, and bad_debts for write-offs; the VAT codes' lines
// carry package vat's codes as in DefaultAccounts. It fails with an error
// wrapping ErrNoAccount if a required role is missing.
func AccountsFor(chart []ledger.Account) (Accounts, error) {
	codes := map[string]bool{}
	role := map[string]string{}
	for _, a := range chart {
		codes[a.Code] = true
		if r := a.Metadata["role"]; r != "" {
			if _, dup := role[r]; !dup {
				role[r] = a.Code
			}
		}
	}
	for _, a := range []Accounts{SKR03Accounts(), SKR04Accounts(), DefaultAccounts()} {
		if role["receivables"] == a.Receivables && role["payables"] == a.Payables && allIn(a, codes) {
			return a, nil
		}
	}
	if role["receivables"] == "" || role["payables"] == "" {
		return Accounts{}, fmt.Errorf("%w: the chart has no account with meta.role receivables and payables", ErrNoAccount)
	}
	pick := func(names ...string) string {
		for _, n := range names {
			if c := role[n]; c != "" {
				return c
			}
		}
		return ""
	}
	out, vo, vi := Accounts{
		Receivables: role["receivables"], Payables: role["payables"],
		DiscountGranted:  pick("sales_discounts", "revenue"),
		DiscountReceived: pick("purchase_discounts", "cogs"),
		WriteOff:         role["bad_debts"],
	}, role["vat_output"], role["vat_input"]
	def := DefaultAccounts()
	for _, code := range []string{"19", "7"} {
		if vo != "" || vi != "" {
			v, _ := def.vatCode(code)
			out.VAT = append(out.VAT, VATCode{Code: code, Rate: v.Rate, Output: vo, Input: vi, Sales: v.Sales, Purchases: v.Purchases})
		}
	}
	out.VAT = append(out.VAT, VATCode{Code: "0", Rate: decimal.Zero})
	return out, nil
}

// allIn reports whether every account a names is in codes.
func allIn(a Accounts, codes map[string]bool) bool {
	for _, c := range []string{a.Receivables, a.Payables, a.DiscountGranted, a.DiscountReceived, a.WriteOff} {
		if !codes[c] {
			return false
		}
	}
	for _, v := range a.VAT {
		if (v.Output != "" && !codes[v.Output]) || (v.Input != "" && !codes[v.Input]) {
			return false
		}
	}
	return true
}
