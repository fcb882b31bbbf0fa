package reporting

import (
	"context"
	"fmt"

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
// movements of the accounts vat.ReturnFor places on its Kennzahlen: per
// Kennzahl the base as booked (revenue accounts, credit less debit), the
// base as declared (whole euros, rounded down: vat.FormBase), the tax as
// declared (81, 86, 89: computed from the declared base at the
// Kennzahl's rate; 66 and the other input taxes: as booked, to the cent)
// and the tax as booked (VAT accounts). Credit notes and cash discounts
// post to the same accounts with the opposite sign and reduce the
// figures. Each Kennzahl's row is followed by one row per account on it
// (level 1). The last row is 83, the remaining advance payment (a refund
// if negative): Σ output tax − Σ input tax as declared; its "tax booked"
// cell is the VAT accounts' net movement.
//
// Columns: "kennzahl", "label", "base", "declared_base", "declared_tax",
// "tax". Checks: for each Kennzahl whose tax the return computes, the tax
// booked against its rate on the base booked, within the rounding of the
// documents (⌈(n+1)·(1+rate)/2⌉ cents for n posting lines on its base
// accounts: each document rounds its tax to half a cent of its base); that
// no output tax is on an account the return cannot place (Unassigned: a
// chart without per-rate VAT accounts, such as the default chart, cannot
// fill 81 and 86 — its 66 and 83 are still right); and 83 against the VAT
// accounts' movement, within the rounding of the declared bases.
//
// Year-end closing entries are left out, and so are entries that only move
// money between the VAT accounts and cash or bank accounts: the payment of
// an earlier return, or a refund, is no turnover of the period.
//
// VATReturn reads opts.From, To, Language and Now: a zero From means the
// first day of To's month (a monthly return); the book's currency must
// be EUR. Currency, Dimension, Compare, Depth, Layout, Accounts,
// ExcludeClosing and ShowZero are ErrOption. It is safe for concurrent use
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
	base, tax int64
	lines     int // posting lines on the base accounts
	accounts  []vatAccount
}

type vatAccount struct {
	box    vat.Box
	name   string
	amount int64
}

func vatReturn(ctx context.Context, src Source, book string, opts Options) (Report, error) {
	switch {
	case !opts.Currency.IsZero():
		return Report{}, fmt.Errorf("%w: a currency (the return is in EUR)", ErrOption)
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
	rows, err := balances(ctx, src, &r, true, ledger.BalanceQuery{From: from, To: to, ExcludeClosing: true})
	if err != nil {
		return Report{}, err
	}
	names, cash := map[string]string{}, map[string]bool{}
	for _, a := range chart {
		names[a.Code] = a.Name
		cash[a.Code] = a.Metadata["cashflow"] == "cash" || a.Metadata["role"] == "cash" || a.Metadata["role"] == "bank"
	}
	moved := map[string]ledger.BalanceRow{}
	for _, row := range rows {
		moved[row.Account.Code] = row
	}
	// Payments to and refunds from the tax office that clear the VAT
	// accounts themselves (the default chart's habit; SKR books pay on 1780)
	// are no turnover: entries with lines only on VAT accounts and cash or
	// bank accounts are taken back out of the movements.
	taxAcct := map[string]bool{}
	for _, box := range table.Boxes {
		if box.Part == vat.Tax {
			taxAcct[box.Account] = true
		}
	}
	settled := map[uint64]bool{}
	for acct := range taxAcct {
		es, err := src.Entries(ctx, book, ledger.EntryQuery{Account: acct, From: from, To: to})
		if err != nil {
			return Report{}, err
		}
		for _, e := range es {
			if settled[e.Seq] || e.Journal == ledger.JournalClosing {
				continue
			}
			payment := true
			for _, l := range e.Lines {
				payment = payment && (taxAcct[l.Account] || cash[l.Account])
			}
			if !payment {
				continue
			}
			settled[e.Seq] = true
			for _, l := range e.Lines {
				row, ok := moved[l.Account]
				if !taxAcct[l.Account] || !ok || l.Amount.Currency() != cur {
					continue
				}
				if l.Amount.IsNegative() {
					row.Credit, err = row.Credit.Add(l.Amount)
				} else {
					row.Debit, err = row.Debit.Sub(l.Amount)
				}
				if err != nil {
					return Report{}, err
				}
				moved[l.Account] = row
			}
		}
	}
	figs := map[string]*vatFigures{}
	for _, k := range vat.Kennzahlen() {
		figs[k.Number] = &vatFigures{}
	}
	for _, box := range table.Boxes {
		f := figs[box.Kennzahl]
		row, ok := moved[box.Account]
		if f == nil || !ok {
			continue
		}
		m, err := movement(row)
		if err != nil {
			return Report{}, err
		}
		if box.Credit {
			m = -m
		}
		var s sum
		if box.Part == vat.Base {
			s.n = f.base
			s.add(m)
			f.base = s.n
		} else {
			s.n = f.tax
			s.add(m)
			f.tax = s.n
		}
		if s.err != nil {
			return Report{}, s.err
		}
		f.accounts = append(f.accounts, vatAccount{box: box, name: names[box.Account], amount: m})
	}
	// The rounding the documents may carry: their posting lines on the base
	// accounts of each Kennzahl whose tax the return computes.
	for _, k := range vat.Kennzahlen() {
		if !k.Rate.IsPositive() {
			continue
		}
		seen := map[uint64]bool{}
		var base = map[string]bool{}
		for _, box := range table.BoxesOf(k.Number) {
			if box.Part == vat.Base {
				base[box.Account] = true
			}
		}
		for acct := range base {
			es, err := src.Entries(ctx, book, ledger.EntryQuery{Account: acct, From: from, To: to})
			if err != nil {
				return Report{}, err
			}
			for _, e := range es {
				if seen[e.Seq] {
					continue
				}
				seen[e.Seq] = true
				for _, l := range e.Lines {
					if base[l.Account] {
						figs[k.Number].lines++
					}
				}
			}
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
		f := figs[k.Number]
		if len(f.accounts) == 0 && f.base == 0 && f.tax == 0 && k.Number != "81" && k.Number != "86" && k.Number != "66" {
			continue
		}
		row := Row{Kind: DetailRow, Label: msg.Text(k.Name), Cells: []Cell{textCell(k.Number), textCell(msg.Text(k.Name)), blankCell(), blankCell(), blankCell(), blankCell()}}
		var decl int64
		if k.HasBase {
			row.Cells[2] = amt(f.base)
			fb, err := vat.FormBase(money.New(f.base, cur))
			if err != nil {
				return Report{}, err
			}
			row.Cells[3] = Cell{Amount: fb}
			if k.HasTax {
				t, err := k.FormTax(fb)
				if err != nil {
					return Report{}, err
				}
				decl = t.MinorUnits()
			}
		} else {
			decl = f.tax
		}
		if k.HasTax {
			row.Cells[4], row.Cells[5] = amt(decl), amt(f.tax)
			sign := int64(1)
			if k.Direction == vat.Input {
				sign = -1
			}
			declared.add(sign * decl)
			booked.add(sign * f.tax)
			r.Rows = append(r.Rows, row)
			terms = append(terms, Term{Row: len(r.Rows) - 1, Neg: k.Direction == vat.Input})
		} else {
			r.Rows = append(r.Rows, row)
		}
		if k.Number == vat.Unassigned {
			unassigned.add(f.tax)
		}
		for _, a := range f.accounts {
			cells := []Cell{textCell(""), textCell(a.box.Account + " " + a.name), blankCell(), blankCell(), blankCell(), blankCell()}
			if a.box.Part == vat.Base {
				cells[2] = amt(a.amount)
			} else {
				cells[5] = amt(a.amount)
			}
			r.Rows = append(r.Rows, Row{Kind: DetailRow, Level: 1, Account: a.box.Account, Label: a.name, Cells: cells})
		}
		if k.Rate.IsPositive() && (f.base != 0 || f.tax != 0) {
			want, err := money.New(f.base, cur).MulRate(k.Rate, money.HalfUp)
			if err != nil {
				return Report{}, err
			}
			tol := roundingTolerance(f.lines, k)
			r.Checks = append(r.Checks, Check{
				Label: msg.Sprintf("Kz %s: tax booked = %s %% of the base booked (± %s rounding)", k.Number, k.Rate.Shift(2).String(), money.New(tol, cur).Format(msg.Format())),
				Left:  money.New(f.tax, cur), Right: want, Tolerance: money.New(tol, cur)})
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
	r.Checks = append(r.Checks, Check{
		Label: msg.Sprintf("Kz 83 = movement of the VAT accounts (output − input), ± %s rounding of the declared bases", money.New(tolerance83, cur).Format(msg.Format())),
		Left:  money.New(declared.n, cur), Right: money.New(booked.n, cur), Tolerance: money.New(tolerance83, cur)})
	return r, nil
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
