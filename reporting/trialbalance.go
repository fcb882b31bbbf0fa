package reporting

import (
	"context"
	"fmt"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// TrialBalance builds the trial balance (Summen- und Saldenliste) of book
// for opts.From–To, which must lie in one fiscal year (ErrFiscalYear): per
// account, the opening balance of the fiscal year (DATEV's EB-Wert), the
// period's debits and credits, the debits and credits from the start of the
// fiscal year to To, and the closing balance at To. The opening entries of
// the year up to To (journal OPEN or OB, or against the account with
// meta.role opening_balances: see ledger.JournalOpening) count into the
// opening balance, not into the debits and credits. Balances are
// debit-positive (a credit balance is negative), so for every row
//
//	closing = opening + debit YTD − credit YTD
//
// Columns: "account", "label", "opening", "debit", "credit", "ytd_debit",
// "ytd_credit", "closing". Rows are the accounts with any amount, ordered by
// code, all at level 0, each with its own postings; with opts.Depth > 0
// they are rolled up the account hierarchy instead — each account covers
// its subtree — in tree order, showing the levels 0 to Depth−1. The last
// row is the total of the level-0 rows, with checks that the period's and
// the year's debits equal their credits and that the closing balances sum
// to zero (left out with opts.Dimension: filtered lines need not balance).
//
// TrialBalance reads opts.From, To, Currency, Dimension, Depth,
// ExcludeClosing and Now; Compare, Layout, Accounts or ShowZero are
// ErrOption. It is safe for concurrent use if src is.
func TrialBalance(ctx context.Context, src Source, book string, opts Options) (Report, error) {
	r, err := trialBalance(ctx, src, book, opts)
	if err != nil {
		return Report{}, fmt.Errorf("trial balance of %s: %w", book, err)
	}
	return r, nil
}

func trialBalance(ctx context.Context, src Source, book string, opts Options) (Report, error) {
	switch {
	case opts.Compare != NoCompare:
		return Report{}, fmt.Errorf("%w: comparison columns", ErrOption)
	case opts.Layout != nil:
		return Report{}, fmt.Errorf("%w: a layout", ErrOption)
	case len(opts.Accounts) > 0:
		return Report{}, fmt.Errorf("%w: an account list", ErrOption)
	case opts.ShowZero:
		return Report{}, fmt.Errorf("%w: zero rows", ErrOption)
	}
	b, err := src.Book(ctx, book)
	if err != nil {
		return Report{}, err
	}
	from, to, err := period(b, opts)
	if err != nil {
		return Report{}, err
	}
	msg, err := language(ctx, src, book, opts.Language)
	if err != nil {
		return Report{}, err
	}
	fyStart, _, err := fiscalYear(b, to)
	if err != nil {
		return Report{}, err
	}
	if from.Before(fyStart) {
		return Report{}, fmt.Errorf("%w: %s – %s crosses the start of the fiscal year on %s", ErrFiscalYear, from, to, fyStart)
	}
	cur, strict := currency(b, opts)
	r := header(msg, TrialBalanceReport, "Trial balance", b, cur, from, to, opts)
	rollup := opts.Depth > 0
	q := ledger.BalanceQuery{From: fyStart, To: to, Dimension: opts.Dimension, ExcludeClosing: opts.ExcludeClosing, Rollup: rollup, Openings: true}
	if opts.ValueAtEnd {
		if !strict {
			return Report{}, fmt.Errorf("%w: valuation at the end in one currency", ErrOption)
		}
		q.ValueAt = to
		r.addFilter("value=end")
	}
	ytd, err := balances(ctx, src, &r, strict, q)
	if err != nil {
		return Report{}, err
	}
	per := ytd
	if from != fyStart {
		q.From = from
		if per, err = balances(ctx, src, &r, strict, q); err != nil {
			return Report{}, err
		}
	}
	byCode := make(map[string]int, len(per))
	for i, row := range per {
		byCode[row.Account.Code] = i
	}

	r.Columns = []Column{
		{Key: "account", Label: msg.Text("Account"), Kind: TextColumn},
		{Key: "label", Label: msg.Text("Name"), Kind: TextColumn},
		{Key: "opening", Label: msg.Text("Opening balance"), Kind: AmountColumn},
		{Key: "debit", Label: msg.Text("Debit"), Kind: AmountColumn, From: from, To: to},
		{Key: "credit", Label: msg.Text("Credit"), Kind: AmountColumn, From: from, To: to},
		{Key: "ytd_debit", Label: msg.Text("Debit YTD"), Kind: AmountColumn, From: fyStart, To: to},
		{Key: "ytd_credit", Label: msg.Text("Credit YTD"), Kind: AmountColumn, From: fyStart, To: to},
		{Key: "closing", Label: msg.Text("Closing balance"), Kind: AmountColumn},
	}
	order := make([]int, 0, len(ytd)) // indexes into ytd, in display order
	if !rollup {
		for i := range ytd {
			order = append(order, i)
		}
	} else {
		order = treeOrder(ytd, opts.Depth)
	}
	zero := money.Zero(cur)
	var terms []Term
	var tot [6]sum
	r.Rows = make([]Row, 0, len(order)+1)
	for _, i := range order {
		y := ytd[i]
		p := ledger.BalanceRow{Debit: zero, Credit: zero}
		if j, ok := byCode[y.Account.Code]; ok {
			p = per[j]
		}
		amts := [6]money.Amount{y.Opening, p.Debit, p.Credit, y.Debit, y.Credit, y.Closing}
		if allZero(amts[:]) {
			continue
		}
		level := 0
		if rollup {
			level = y.Level
		}
		cells := make([]Cell, 0, 8)
		cells = append(cells, textCell(y.Account.Code), textCell(y.Account.Name))
		for _, a := range amts {
			cells = append(cells, Cell{Amount: a})
		}
		r.Rows = append(r.Rows, Row{Kind: DetailRow, Level: level, Account: y.Account.Code, Label: y.Account.Name, Cells: cells})
		if level == 0 {
			terms = append(terms, Term{Row: len(r.Rows) - 1})
			for k, a := range amts {
				tot[k].add(a.MinorUnits())
			}
		}
	}
	if opts.ValueAtEnd {
		// Valued at the end, the accounts need not balance: the rest is the
		// unrealised exchange difference, shown, not booked.
		var d [6]int64
		d[0], d[5] = -tot[0].n, -tot[5].n
		for _, k := range [][2]int{{1, 2}, {3, 4}} {
			if v := tot[k[1]].n - tot[k[0]].n; v > 0 {
				d[k[0]] = v
			} else {
				d[k[1]] = -v
			}
		}
		if d != [6]int64{} {
			cells := []Cell{textCell(""), textCell(msg.Text("Unrealised exchange difference (not booked)"))}
			for k, v := range d {
				cells = append(cells, Cell{Amount: money.New(v, cur)})
				tot[k].add(v)
			}
			r.Rows = append(r.Rows, Row{Kind: DetailRow, Label: msg.Text("Unrealised exchange difference (not booked)"), Cells: cells})
			terms = append(terms, Term{Row: len(r.Rows) - 1})
		}
	}
	cells := []Cell{textCell(""), textCell(msg.Text("Total"))}
	var t [6]money.Amount
	for k := range tot {
		if tot[k].err != nil {
			return Report{}, tot[k].err
		}
		t[k] = money.New(tot[k].n, cur)
		cells = append(cells, Cell{Amount: t[k]})
	}
	r.Rows = append(r.Rows, Row{Kind: TotalRow, Label: msg.Text("Total"), Cells: cells, Terms: terms})
	if opts.Dimension.Name == "" {
		r.Checks = []Check{
			{Label: msg.Text("Σ debits = Σ credits (period)"), Left: t[1], Right: t[2]},
			{Label: msg.Text("Σ debits = Σ credits (year to date)"), Left: t[3], Right: t[4]},
			{Label: msg.Text("Σ closing balances = 0"), Left: t[5], Right: zero},
		}
	}
	return r, nil
}

func allZero(as []money.Amount) bool {
	for _, a := range as {
		if !a.IsZero() {
			return false
		}
	}
	return true
}

// treeOrder returns the indexes of rows (rolled up, sorted by code) in
// depth-first order of the account hierarchy, children by code, leaving out
// levels from depth on.
func treeOrder(rows []ledger.BalanceRow, depth int) []int {
	byCode := make(map[string]int, len(rows))
	for i, r := range rows {
		byCode[r.Account.Code] = i
	}
	children := make(map[string][]int)
	var roots []int
	for i, r := range rows {
		if _, ok := byCode[r.Account.Parent]; ok && r.Account.Parent != "" {
			children[r.Account.Parent] = append(children[r.Account.Parent], i)
		} else {
			roots = append(roots, i)
		}
	}
	out := make([]int, 0, len(rows))
	var walk func(i int)
	walk = func(i int) {
		if rows[i].Level >= depth {
			return
		}
		out = append(out, i)
		for _, c := range children[rows[i].Account.Code] {
			walk(c)
		}
	}
	for _, i := range roots {
		walk(i)
	}
	return out
}
