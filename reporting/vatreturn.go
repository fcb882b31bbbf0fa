package reporting

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/vat"
)

// VATReturnReport is the advance VAT return (Umsatzsteuer-Voranmeldung).
const VATReturnReport Kind = "vat-return"

// VATReturn builds the figures of the advance VAT return (UStVA) of book
// for opts.From–To (a month or a quarter; see vat.ParsePeriod) from the
// posting lines of the period: per Kennzahl the base as booked (revenue
// accounts, credit less debit), the base as declared (whole euros,
// rounded down: vat.FormBase), the tax as declared (81, 86, 89, 93:
// computed from the declared base at the Kennzahl's rate; 66, 36, 47, 85
// and the other entered taxes: as booked, to the cent) and the tax as
// booked (VAT accounts). Credit notes and cash discounts post to the same
// accounts with the opposite sign and reduce the figures. Each
// Kennzahl's row is followed by one row per account on it (level 1), and
// per VAT code on the account where lines carry one. The last row is 83,
// the remaining advance payment (a refund if negative): Σ output tax − Σ
// input tax as declared; its "tax booked" cell is the VAT accounts' net
// movement.
//
// Each posting line is placed once, by one of two methods:
//
//   - A line that carries a VAT code (dimension "vat", a code of
//     vat.Codes) is placed by its code, whatever its account (the code
//     wins): on a VAT account — an account vat.ReturnFor places a tax on
//     — its tax goes to the code's tax field for the account's direction
//     (vat.Code.Field: USt19 on an output account to 81, IGE19 on an
//     input account to 61); on any other account it is the code's base
//     (81 for USt19 on a revenue account; a purchase code's base is
//     debit less credit; input tax codes declare none). So a chart with
//     one VAT account per direction, such as the default chart, fills 81
//     and 86 from its lines.
//   - A line without a code is placed by its account's box
//     (vat.ReturnFor): SKR03 8400 on 81, the default chart's 2120 as
//     output tax not assigned to a Kennzahl; on no box, not at all.
//
// A book may mix both: lines posted without codes go by their accounts,
// the others by their codes. A code the line's account contradicts is
// placed by its code but fails a check naming the code and the account:
// a code on an account that is another code's own (USt7 on SKR03 1776
// Umsatzsteuer 19 %, or on 8400 Erlöse 19 % USt), on a box of another
// Kennzahl that is not general (vat.Box.General), or a code with no tax
// field on the account's side (VSt19 on an output VAT account: then the
// line stays on the account's box). A code on a cash, bank, receivables
// or payables account (meta.role, or meta.cashflow cash) is no base and
// fails a check too, as does a code vat.Codes does not know (its line is
// placed by its account). The lines are found through the accounts of the
// boxes and each code's dimension: a line with an unknown code is seen
// only in an entry with a line on one of the boxes' accounts.
//
// Columns: "kennzahl", "label", "base", "declared_base", "declared_tax",
// "tax". Checks: for each Kennzahl whose tax the return computes, the tax
// booked against its rate on the base booked, within the rounding of the
// documents (⌈(n+1)·(1+rate)/2⌉ cents for n posting lines of its base:
// each document rounds its tax to half a cent of its base); that no
// output tax is on an account the return cannot place (Unassigned: on a
// chart without per-rate VAT accounts, such as the default chart, output
// tax lines without a VAT code); where lines carry VAT codes, that none
// contradicts its account (one failing check per code and account); and
// 83 against the VAT accounts' movement, within the rounding of the
// declared bases.
//
// Year-end closing entries are left out, and so are entries that only move
// money between the VAT accounts and cash or bank accounts: the payment of
// an earlier return, or a refund, is no turnover of the period. A line in
// another currency counts with its amount in EUR as booked (its base
// amount); one without fails the build with a *CurrencyError.
//
// VATReturn reads opts.From, To, Language and Now: a zero From means the
// first day of To's month (a monthly return); the book's currency must
// be EUR. Currency, Dimension, Compare, Depth, Layout, Accounts,
// ExcludeClosing, ShowZero, AccountQuery and ValueAtEnd are ErrOption. It is safe for concurrent use
// if src is.
func VATReturn(ctx context.Context, src Source, book string, opts Options) (Report, error) {
	r, err := vatReturn(ctx, src, book, opts)
	if err != nil {
		return Report{}, fmt.Errorf("VAT return of %s: %w", book, err)
	}
	return r, nil
}

// vatFigures are one Kennzahl's amounts in minor units.
type vatFigures struct {
	base, tax sum
	lines     int // posting lines of its base
	details   map[vatDetail]*sum
}

// vatDetail is one account's part of a Kennzahl, by the VAT code its lines
// carry ("" for lines placed by the account).
type vatDetail struct {
	part          vat.Part
	account, code string
}

// vatProblem is a VAT code on an account that the return does not take
// as it is.
type vatProblem struct {
	kind          vatProblemKind
	code, account string
}

type vatProblemKind int8

const (
	problemContradicts vatProblemKind = iota // the account contradicts the code
	problemSettlement                        // a code on a cash or control account
	problemUnknown                           // a code vat.Codes does not know
)

// vatPage is the page size of the entries read.
const vatPage = 1000

// vatPlacer places the posting lines of a period on the Kennzahlen.
type vatPlacer struct {
	taxBox, baseBox map[string]vat.Box
	own             map[string][]string // account → the codes whose own account it is
	cash            map[string]bool     // cash and bank accounts
	settle          map[string]bool     // cash, bank, receivables and payables accounts
	figs            map[string]*vatFigures
	problems        map[vatProblem]*sum
	coded           bool // a line with a known code was seen
}

func newVATPlacer(table vat.Table, chart []ledger.Account) *vatPlacer {
	p := &vatPlacer{taxBox: map[string]vat.Box{}, baseBox: map[string]vat.Box{}, own: map[string][]string{},
		cash: map[string]bool{}, settle: map[string]bool{}, figs: map[string]*vatFigures{}, problems: map[vatProblem]*sum{}}
	for _, a := range chart {
		role := a.Metadata["role"]
		p.cash[a.Code] = a.Metadata["cashflow"] == "cash" || role == "cash" || role == "bank"
		p.settle[a.Code] = p.cash[a.Code] || role == "receivables" || role == "payables"
	}
	for _, b := range table.Boxes {
		if b.Part == vat.Tax {
			p.taxBox[b.Account] = b
		} else {
			p.baseBox[b.Account] = b
		}
	}
	for _, c := range table.Codes {
		for _, a := range append([]string{c.Account, c.DeductAccount}, c.Automatic...) {
			if a != "" && !slices.Contains(p.own[a], c.Code) {
				p.own[a] = append(p.own[a], c.Code)
			}
		}
	}
	for _, k := range vat.Kennzahlen() {
		p.figs[k.Number] = &vatFigures{details: map[vatDetail]*sum{}}
	}
	return p
}

// queries returns the entry queries that find every line the return
// places: by the boxes' accounts and by each code.
func (p *vatPlacer) queries(from, to date.Date) []ledger.EntryQuery {
	var qs []ledger.EntryQuery
	accts := append(slices.Sorted(maps.Keys(p.taxBox)), slices.Sorted(maps.Keys(p.baseBox))...)
	for _, a := range accts {
		qs = append(qs, ledger.EntryQuery{Account: a, From: from, To: to})
	}
	for _, c := range vat.Codes() {
		qs = append(qs, ledger.EntryQuery{Dimension: ledger.Dimension{Name: vat.Dimension, Value: c.Code}, From: from, To: to})
	}
	return qs
}

// entry places the lines of e, unless it is a closing entry or the
// payment of a return (lines only on VAT and cash accounts).
func (p *vatPlacer) entry(e *ledger.Posted) error {
	if e.Journal == ledger.JournalClosing {
		return nil
	}
	payment, tax := true, false
	for _, l := range e.Lines {
		_, t := p.taxBox[l.Account]
		tax = tax || t
		payment = payment && (t || p.cash[l.Account])
	}
	if payment && tax {
		return nil
	}
	for i := range e.Lines {
		if err := p.line(&e.Lines[i]); err != nil {
			return err
		}
	}
	return nil
}

// line places one line: by its code if it carries a known one, else by
// its account's box.
func (p *vatPlacer) line(l *ledger.Line) error {
	code := l.Dimensions[vat.Dimension]
	tb, isTax := p.taxBox[l.Account]
	bb, isBase := p.baseBox[l.Account]
	if code == "" && !isTax && !isBase {
		return nil
	}
	amt, err := vatValue(l)
	if err != nil {
		return err
	}
	if code != "" {
		if c, known := vat.Lookup(code); known {
			p.coded = true
			return p.byCode(l.Account, c, amt)
		}
		p.problem(problemUnknown, code, l.Account, amt)
	}
	switch {
	case isTax:
		return p.place(tb.Kennzahl, vat.Tax, l.Account, "", signed(amt, tb.Credit))
	case isBase:
		p.figs[bb.Kennzahl].lines++
		return p.place(bb.Kennzahl, vat.Base, l.Account, "", signed(amt, bb.Credit))
	}
	return nil
}

// byCode places a line carrying code c on account with amount amt
// (debit positive).
func (p *vatPlacer) byCode(account string, c vat.Code, amt int64) error {
	if tb, ok := p.taxBox[account]; ok {
		k, _ := vat.KennzahlByNumber(tb.Kennzahl)
		f, ok := c.Field(vat.Tax, k.Direction)
		if !ok {
			// No tax of this code on this side: the line stays where the
			// account puts it, and the check says why.
			p.problem(problemContradicts, c.Code, account, amt)
			return p.place(tb.Kennzahl, vat.Tax, account, "", signed(amt, tb.Credit))
		}
		kz, _ := vat.KennzahlByNumber(f)
		if p.contradicts(account, c, tb, kz.Number) {
			p.problem(problemContradicts, c.Code, account, amt)
		}
		return p.place(kz.Number, vat.Tax, account, c.Code, signed(amt, tb.Credit))
	}
	if p.settle[account] {
		p.problem(problemSettlement, c.Code, account, amt)
		return nil
	}
	f, ok := c.Field(vat.Base, vat.Output)
	if !ok {
		return nil // input tax: its base is not declared
	}
	kz, _ := vat.KennzahlByNumber(f)
	if p.contradicts(account, c, p.baseBox[account], kz.Number) {
		p.problem(problemContradicts, c.Code, account, amt)
	}
	p.figs[kz.Number].lines++
	return p.place(kz.Number, vat.Base, account, c.Code, signed(amt, !c.Purchase()))
}

// contradicts reports whether account, on box b, contradicts code c going
// to Kennzahl kz: the account is other codes' own (their tax, deduct or
// automatic account), or its box is on another Kennzahl and not general.
func (p *vatPlacer) contradicts(account string, c vat.Code, b vat.Box, kz string) bool {
	if own := p.own[account]; len(own) > 0 {
		return !slices.Contains(own, c.Code)
	}
	return b.Account != "" && !b.General && b.Kennzahl != vat.Unassigned && b.Kennzahl != kz
}

func (p *vatPlacer) place(kz string, part vat.Part, account, code string, amt int64) error {
	f := p.figs[kz]
	if part == vat.Base {
		f.base.add(amt)
	} else {
		f.tax.add(amt)
	}
	d := vatDetail{part: part, account: account, code: code}
	s := f.details[d]
	if s == nil {
		s = &sum{}
		f.details[d] = s
	}
	s.add(amt)
	for _, x := range []sum{f.base, f.tax, *s} {
		if x.err != nil {
			return fmt.Errorf("Kennzahl %s, account %s: %w", kz, account, x.err)
		}
	}
	return nil
}

// problem adds the size of a line (its absolute amount) to a problem.
func (p *vatPlacer) problem(kind vatProblemKind, code, account string, amt int64) {
	k := vatProblem{kind: kind, code: code, account: account}
	s := p.problems[k]
	if s == nil {
		s = &sum{}
		p.problems[k] = s
	}
	if amt < 0 {
		amt = -amt
	}
	s.add(amt)
}

// vatValue is the line's amount in EUR, minor units, debit positive: its
// base amount if it is in another currency.
func vatValue(l *ledger.Line) (int64, error) {
	switch {
	case l.Amount.Currency() == money.EUR:
		return l.Amount.MinorUnits(), nil
	case l.Converted() && l.Base.Currency() == money.EUR:
		return l.Base.MinorUnits(), nil
	}
	return 0, &CurrencyError{Account: l.Account, Currency: l.Amount.Currency(), Want: money.EUR, Unconverted: !l.Converted()}
}

// signed returns amt (debit positive) as credit positive if credit.
func signed(amt int64, credit bool) int64 {
	if credit {
		return -amt
	}
	return amt
}

func vatReturn(ctx context.Context, src Source, book string, opts Options) (Report, error) {
	switch {
	case !opts.Currency.IsZero():
		return Report{}, fmt.Errorf("%w: a currency (the return is in EUR)", ErrOption)
	case opts.AccountQuery != "":
		return Report{}, fmt.Errorf("%w: an account query (the return covers every VAT account)", ErrOption)
	case opts.ValueAtEnd:
		return Report{}, fmt.Errorf("%w: valuation at the end (trial balance only)", ErrOption)
	case opts.Dimension.Name != "":
		return Report{}, fmt.Errorf("%w: a dimension", ErrOption)
	case opts.Compare != NoCompare:
		return Report{}, fmt.Errorf("%w: comparison columns", ErrOption)
	case opts.Depth != 0:
		return Report{}, fmt.Errorf("%w: a depth", ErrOption)
	case opts.Layout != nil:
		return Report{}, fmt.Errorf("%w: a layout", ErrOption)
	case len(opts.Accounts) > 0:
		return Report{}, fmt.Errorf("%w: an account list", ErrOption)
	case opts.ExcludeClosing:
		return Report{}, fmt.Errorf("%w: excluding closing entries", ErrOption)
	case opts.ShowZero:
		return Report{}, fmt.Errorf("%w: zero rows", ErrOption)
	}
	b, err := src.Book(ctx, book)
	if err != nil {
		return Report{}, err
	}
	if b.Currency != money.EUR {
		return Report{}, fmt.Errorf("%w: the return is in EUR, the book in %s", ErrOption, b.Currency)
	}
	if opts.From.IsZero() && !opts.To.IsZero() {
		y, m, _ := opts.To.Date()
		opts.From = date.New(y, m, 1)
	}
	from, to, err := period(b, opts)
	if err != nil {
		return Report{}, err
	}
	msg, err := language(ctx, src, book, opts.Language)
	if err != nil {
		return Report{}, err
	}
	chart, err := src.Accounts(ctx, book)
	if err != nil {
		return Report{}, err
	}
	table, err := vat.ReturnFor(chart)
	if err != nil {
		return Report{}, err
	}
	cur := money.EUR
	r := header(msg, VATReturnReport, "VAT return (UStVA)", b, cur, from, to, opts)
	names := map[string]string{}
	for _, a := range chart {
		names[a.Code] = a.Name
	}
	p := newVATPlacer(table, chart)
	seen := map[uint64]bool{}
	for _, q := range p.queries(from, to) {
		q.Limit = vatPage
		for {
			page, err := src.Entries(ctx, book, q)
			if err != nil {
				return Report{}, err
			}
			for i := range page {
				e := &page[i]
				if seen[e.Seq] {
					continue
				}
				seen[e.Seq] = true
				if err := p.entry(e); err != nil {
					return Report{}, fmt.Errorf("entry %d: %w", e.Seq, err)
				}
			}
			if len(page) < vatPage {
				break
			}
			q.After = page[len(page)-1].Seq
		}
	}

	r.Columns = []Column{
		{Key: "kennzahl", Label: msg.Text("Kennzahl"), Kind: TextColumn},
		{Key: "label", Label: msg.Text("Name"), Kind: TextColumn},
		{Key: "base", Label: msg.Text("Base booked"), Kind: AmountColumn, From: from, To: to},
		{Key: "declared_base", Label: msg.Text("Base declared (whole euros)"), Kind: AmountColumn, From: from, To: to},
		{Key: "declared_tax", Label: msg.Text("Tax declared"), Kind: AmountColumn, From: from, To: to},
		{Key: "tax", Label: msg.Text("Tax booked"), Kind: AmountColumn, From: from, To: to},
	}
	amt := func(n int64) Cell { return Cell{Amount: money.New(n, cur)} }
	var terms []Term
	var declared, booked, unassigned sum
	var tolerance83 int64
	for _, k := range vat.Kennzahlen() {
		f := p.figs[k.Number]
		base, tax := f.base.n, f.tax.n
		if len(f.details) == 0 && k.Number != "81" && k.Number != "86" && k.Number != "66" {
			continue
		}
		row := Row{Kind: DetailRow, Label: msg.Text(k.Name), Cells: []Cell{textCell(k.Label()), textCell(msg.Text(k.Name)), blankCell(), blankCell(), blankCell(), blankCell()}}
		decl := tax // entered as booked, to the cent
		if k.HasBase {
			row.Cells[2] = amt(base)
			fb, err := vat.FormBase(money.New(base, cur))
			if err != nil {
				return Report{}, err
			}
			row.Cells[3] = Cell{Amount: fb}
			if k.Rate.IsPositive() {
				t, err := k.FormTax(fb)
				if err != nil {
					return Report{}, err
				}
				decl = t.MinorUnits()
			}
		}
		if k.HasTax {
			row.Cells[4], row.Cells[5] = amt(decl), amt(tax)
			sign := int64(1)
			if k.Direction == vat.Input {
				sign = -1
			}
			declared.add(sign * decl)
			booked.add(sign * tax)
			r.Rows = append(r.Rows, row)
			terms = append(terms, Term{Row: len(r.Rows) - 1, Neg: k.Direction == vat.Input})
		} else {
			r.Rows = append(r.Rows, row)
		}
		if k.Number == vat.Unassigned {
			unassigned.add(tax)
		}
		details := slices.SortedFunc(maps.Keys(f.details), func(a, b vatDetail) int {
			return cmp.Or(cmp.Compare(a.part, b.part), cmp.Compare(a.account, b.account), cmp.Compare(a.code, b.code))
		})
		for _, d := range details {
			label := names[d.account]
			if d.code != "" {
				label += " (" + d.code + ")"
			}
			cells := []Cell{textCell(""), textCell(d.account + " " + label), blankCell(), blankCell(), blankCell(), blankCell()}
			if d.part == vat.Base {
				cells[2] = amt(f.details[d].n)
			} else {
				cells[5] = amt(f.details[d].n)
			}
			r.Rows = append(r.Rows, Row{Kind: DetailRow, Level: 1, Account: d.account, Label: label, Cells: cells})
		}
		if k.Rate.IsPositive() && (base != 0 || tax != 0) {
			want, err := money.New(base, cur).MulRate(k.Rate, money.HalfUp)
			if err != nil {
				return Report{}, err
			}
			tol := roundingTolerance(f.lines, k)
			r.Checks = append(r.Checks, Check{
				Label: msg.Sprintf("Kz %s: tax booked = %s %% of the base booked (± %s rounding)", k.Number, k.Rate.Shift(2).String(), money.New(tol, cur).Format(msg.Format())),
				Left:  money.New(tax, cur), Right: want, Tolerance: money.New(tol, cur)})
			// The declared tax drops the base's cents: up to rate × 1 €.
			tolerance83 += tol + k.Rate.Shift(2).Ceil().IntPart()
		}
	}
	for _, s := range []sum{declared, booked, unassigned} {
		if s.err != nil {
			return Report{}, s.err
		}
	}
	r.Rows = append(r.Rows, Row{Kind: TotalRow, Label: msg.Text("Remaining advance payment (refund if negative)"),
		Cells: []Cell{textCell(vat.Remaining), textCell(msg.Text("Remaining advance payment (refund if negative)")), blankCell(), blankCell(), amt(declared.n), amt(booked.n)},
		Terms: terms})
	if len(table.BoxesOf(vat.Unassigned)) > 0 {
		r.Checks = append(r.Checks, Check{Label: msg.Text("output tax not assigned to a Kennzahl = 0"), Left: money.New(unassigned.n, cur), Right: money.Zero(cur), Tolerance: money.Zero(cur)})
	}
	codeChecks, err := p.checks(msg, names, cur)
	if err != nil {
		return Report{}, err
	}
	r.Checks = append(r.Checks, codeChecks...)
	r.Checks = append(r.Checks, Check{
		Label: msg.Sprintf("Kz 83 = movement of the VAT accounts (output − input), ± %s rounding of the declared bases", money.New(tolerance83, cur).Format(msg.Format())),
		Left:  money.New(declared.n, cur), Right: money.New(booked.n, cur), Tolerance: money.New(tolerance83, cur)})
	return r, nil
}

// checks returns the checks of the lines' VAT codes: one failing check per
// code and account the return does not take as it is (the size of its
// lines against zero), or, if lines carry codes and none is refused, one
// passing check that says so; none for a book without codes.
func (p *vatPlacer) checks(msg *Messages, names map[string]string, cur money.Currency) ([]Check, error) {
	keys := slices.SortedFunc(maps.Keys(p.problems), func(a, b vatProblem) int {
		return cmp.Or(cmp.Compare(a.kind, b.kind), cmp.Compare(a.account, b.account), cmp.Compare(a.code, b.code))
	})
	var out []Check
	for _, k := range keys {
		s := p.problems[k]
		if s.err != nil {
			return nil, s.err
		}
		var label string
		switch k.kind {
		case problemContradicts:
			label = msg.Sprintf("lines with VAT code %s on account %s %s, which the code contradicts = 0", k.code, k.account, names[k.account])
		case problemSettlement:
			label = msg.Sprintf("lines with VAT code %s on account %s %s, a cash or control account = 0", k.code, k.account, names[k.account])
		default:
			label = msg.Sprintf("lines with the unknown VAT code %s on account %s %s = 0", k.code, k.account, names[k.account])
		}
		out = append(out, Check{Label: label, Left: money.New(s.n, cur), Right: money.Zero(cur), Tolerance: money.Zero(cur)})
	}
	if len(out) == 0 && p.coded {
		out = append(out, Check{Label: msg.Text("lines whose VAT code contradicts their account = 0"), Left: money.Zero(cur), Right: money.Zero(cur), Tolerance: money.Zero(cur)})
	}
	return out, nil
}

// roundingTolerance is the most, in cents, by which the tax booked on n
// posting lines may differ from the rate on their base: each document
// rounds its tax half up (½ ct of tax, or of a gross amount's tax, which
// moves its net by as much: (1+rate)/2 ct), and the check rounds the
// product once more.
func roundingTolerance(n int, k vat.Kennzahl) int64 {
	// ⌈(n+1)·(1+rate)/2⌉ in cents.
	return k.Rate.Add(decimal.NewFromInt(1)).Mul(decimal.NewFromInt(int64(n) + 1)).Div(decimal.NewFromInt(2)).Shift(0).Ceil().IntPart()
}
