package reporting

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// TrialBalance builds the trial balance (Summen- und Saldenliste) of book
// for opts.From–To: per account, its opening balance, the period's debits
// and credits and its closing balance at To. Balances are debit-positive (a
// credit balance is negative). The opening entries (journal OPEN or OB, or
// against the account with meta.role opening_balances: see
// ledger.JournalOpening) of the fiscal year From falls in, dated up to To,
// count into the opening balance, not into the debits and credits.
//
// Within one fiscal year the opening balance is the fiscal year's (DATEV's
// EB-Wert), and the debits and credits from the start of the fiscal year to
// To are shown too, so for every row
//
//	closing = opening + debit YTD − credit YTD
//
// with columns "account", "label", "opening", "debit", "credit",
// "ytd_debit", "ytd_credit", "closing".
//
// A range that crosses the start of a fiscal year (From before the start of
// To's) has no year-to-date columns: "account", "label", "opening",
// "debit", "credit", "closing", with the opening balance the balance before
// From — an earlier year's closing balance, which after
// ledger.Ledger.CloseYear holds the income and expense accounts at zero —
// and the debits and credits of the whole range, year-end closing entries
// and the opening entries of the later years included (these bring the
// earlier year forward and belong to the range), so that
//
//	closing = opening + debit − credit
//
// With opts.Compare Monthly or Quarterly the columns are "account",
// "label", "opening", one column per calendar month or fiscal quarter of the
// range (cut at From and To, keyed "2025-01" or "2025-Q1" as in an income
// statement's) holding each account's change in it — debits less credits,
// hledger's balance -M/-Q (which shows changes per period by default) — and
// "closing", so that closing = opening + Σ changes; a quarter is a quarter
// of the fiscal year, which for a book whose fiscal year is not the
// calendar year differs from hledger's calendar quarters. The opening
// balance is as above (the fiscal year's, or the balance before From).
//
// Rows are the accounts with any amount, ordered by code, all at level 0,
// each with its own postings; with opts.Depth > 0 they are rolled up the
// account hierarchy instead — each account covers its subtree — in tree
// order, showing the levels 0 to Depth−1. opts.AccountQuery keeps the rows
// of the accounts whose code or name matches it. The last row is the total
// of the rows no row above them covers (the level-0 rows unless a query
// hides their parents), with checks that the debits equal the credits (of
// the period, of the year to date, of each month or quarter) and that the
// closing balances sum to zero; the checks are left out with
// opts.Dimension or opts.AccountQuery, whose rows need not balance, and
// with opts.Currency (one currency's amounts as booked), whose entries may
// balance only in the base currency through converted lines.
//
// TrialBalance reads opts.From, To, Currency, Dimension, AccountQuery,
// Compare (Monthly or Quarterly), Depth, ExcludeClosing, ValueAtEnd (not
// with Compare) and Now; other comparisons, Layout, Accounts or ShowZero
// are ErrOption. It is safe for concurrent use if src is.
func TrialBalance(ctx context.Context, src Source, book string, opts Options) (Report, error) {
	r, err := trialBalance(ctx, src, book, opts)
	if err != nil {
		return Report{}, fmt.Errorf("trial balance of %s: %w", book, err)
	}
	return r, nil
}

// tbRow is one account's amounts in a trial balance, one per amount
// column, in minor units.
type tbRow struct {
	acct  ledger.Account
	level int
	amts  []int64
}

// tbTable collects the rows of a trial balance by account code.
type tbTable struct {
	n     int // amount columns
	rows  map[string]*tbRow
	order []ledger.BalanceRow // one per account, for ordering: Account and Level
}

func (t *tbTable) row(br ledger.BalanceRow) *tbRow {
	if x, ok := t.rows[br.Account.Code]; ok {
		return x
	}
	x := &tbRow{acct: br.Account, level: br.Level, amts: make([]int64, t.n)}
	t.rows[br.Account.Code] = x
	t.order = append(t.order, ledger.BalanceRow{Account: br.Account, Level: br.Level})
	return x
}

func trialBalance(ctx context.Context, src Source, book string, opts Options) (Report, error) {
	periodic := opts.Compare == Monthly || opts.Compare == Quarterly
	switch {
	case opts.Compare != NoCompare && !periodic:
		return Report{}, fmt.Errorf("%w: comparison columns other than monthly or quarterly", ErrOption)
	case periodic && opts.ValueAtEnd:
		return Report{}, fmt.Errorf("%w: valuation at the end with monthly or quarterly columns", ErrOption)
	case opts.Layout != nil:
		return Report{}, fmt.Errorf("%w: a layout", ErrOption)
	case len(opts.Accounts) > 0:
		return Report{}, fmt.Errorf("%w: an account list", ErrOption)
	case opts.ShowZero:
		return Report{}, fmt.Errorf("%w: zero rows", ErrOption)
	}
	match, err := accountQuery(opts.AccountQuery)
	if err != nil {
		return Report{}, err
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
	_, fromEnd, err := fiscalYear(b, from) // the last day of From's fiscal year
	if err != nil {
		return Report{}, err
	}
	cur, strict := currency(b, opts)
	r := header(msg, TrialBalanceReport, "Trial balance", b, cur, from, to, opts)
	if match != nil {
		r.addFilter("accounts~" + opts.AccountQuery)
	}
	rollup := opts.Depth > 0
	base := ledger.BalanceQuery{Dimension: opts.Dimension, ExcludeClosing: opts.ExcludeClosing, Rollup: rollup}
	if opts.ValueAtEnd {
		if !strict {
			return Report{}, fmt.Errorf("%w: valuation at the end in one currency", ErrOption)
		}
		base.ValueAt = to
		r.addFilter("value=end")
	}
	read := func(f, t date.Date, openings bool) ([]ledger.BalanceRow, error) {
		q := base
		q.From, q.To, q.Openings = f, t, openings
		return balances(ctx, src, &r, strict, q)
	}
	// The opening entries of From's fiscal year go to the opening balance;
	// those of later years are movements of the range.
	firstEnd := to
	if fromEnd.Before(to) {
		firstEnd = fromEnd
	}

	amount := func(key, label string, f, t date.Date) Column {
		return Column{Key: key, Label: msg.Text(label), Kind: AmountColumn, From: f, To: t}
	}
	r.Columns = []Column{
		{Key: "account", Label: msg.Text("Account"), Kind: TextColumn},
		{Key: "label", Label: msg.Text("Name"), Kind: TextColumn},
		{Key: "opening", Label: msg.Text("Opening balance"), Kind: AmountColumn},
	}
	var (
		t        tbTable
		balance  []bool   // per amount column: a balance (valued at the end: not a sum of flows)
		pairs    [][2]int // debit and credit columns
		spanCols []span   // periodic: the columns' periods
	)
	switch {
	case periodic:
		spanCols = cuts(msg, b, from, to, opts.Compare)
		for _, sp := range spanCols {
			r.Columns = append(r.Columns, Column{Key: sp.key, Label: sp.label, Kind: AmountColumn, From: sp.from, To: sp.to})
		}
		r.Columns = append(r.Columns, amount("closing", "Closing balance", date.Date{}, date.Date{}))
		t = tbTable{n: len(spanCols) + 2, rows: map[string]*tbRow{}}
		open, err := read(from, firstEnd, true)
		if err != nil {
			return Report{}, err
		}
		for _, br := range open {
			t.row(br).amts[0] = br.Opening.MinorUnits()
		}
		var last []ledger.BalanceRow // the last column's rows, whose closing balances check the sums
		for k, sp := range spanCols {
			rows, err := read(sp.from, sp.to, !sp.from.After(fromEnd))
			if err != nil {
				return Report{}, err
			}
			for _, br := range rows {
				mv, err := movement(br)
				if err != nil {
					return Report{}, err
				}
				t.row(br).amts[1+k] = mv
			}
			last = rows
		}
		closing := len(spanCols) + 1
		for _, x := range t.rows {
			var c sum
			for _, v := range x.amts[:closing] {
				c.add(v)
			}
			if c.err != nil {
				return Report{}, fmt.Errorf("account %s: %w", x.acct.Code, c.err)
			}
			x.amts[closing] = c.n
		}
		if !opts.ExcludeClosing { // then a later column's closing balance holds the closing entries left out before
			if err := checkClosing(&t, last, closing); err != nil {
				return Report{}, err
			}
		}
	case from.Before(fyStart):
		r.Columns = append(r.Columns, amount("debit", "Debit", from, to), amount("credit", "Credit", from, to),
			amount("closing", "Closing balance", date.Date{}, date.Date{}))
		t = tbTable{n: 4, rows: map[string]*tbRow{}}
		balance, pairs = []bool{true, false, false, true}, [][2]int{{1, 2}}
		first, err := read(from, fromEnd, true)
		if err != nil {
			return Report{}, err
		}
		later, err := read(fromEnd.AddDays(1), to, false)
		if err != nil {
			return Report{}, err
		}
		for _, br := range first {
			x := t.row(br)
			x.amts[0], x.amts[1], x.amts[2] = br.Opening.MinorUnits(), br.Debit.MinorUnits(), br.Credit.MinorUnits()
		}
		for _, br := range later {
			x := t.row(br)
			var d, c sum
			d.add(x.amts[1])
			d.add(br.Debit.MinorUnits())
			c.add(x.amts[2])
			c.add(br.Credit.MinorUnits())
			if err := firstErr(d.err, c.err); err != nil {
				return Report{}, fmt.Errorf("account %s: %w", br.Account.Code, err)
			}
			x.amts[1], x.amts[2] = d.n, c.n
		}
		for _, x := range t.rows {
			var c sum
			c.add(x.amts[0])
			c.add(x.amts[1])
			c.add(-x.amts[2])
			if c.err != nil {
				return Report{}, fmt.Errorf("account %s: %w", x.acct.Code, c.err)
			}
			x.amts[3] = c.n
		}
		// Valued one by one, the parts need not add up to the valued closing
		// balance; without closing entries, they need not add up to the
		// closing balance that holds them.
		if !opts.ValueAtEnd && !opts.ExcludeClosing {
			if err := checkClosing(&t, later, 3); err != nil {
				return Report{}, err
			}
		}
	default:
		r.Columns = append(r.Columns, amount("debit", "Debit", from, to), amount("credit", "Credit", from, to),
			amount("ytd_debit", "Debit YTD", fyStart, to), amount("ytd_credit", "Credit YTD", fyStart, to),
			amount("closing", "Closing balance", date.Date{}, date.Date{}))
		t = tbTable{n: 6, rows: map[string]*tbRow{}}
		balance, pairs = []bool{true, false, false, false, false, true}, [][2]int{{1, 2}, {3, 4}}
		ytd, err := read(fyStart, to, true)
		if err != nil {
			return Report{}, err
		}
		per := ytd
		if from != fyStart {
			if per, err = read(from, to, true); err != nil {
				return Report{}, err
			}
		}
		for _, br := range ytd {
			x := t.row(br)
			x.amts[0], x.amts[3], x.amts[4], x.amts[5] = br.Opening.MinorUnits(), br.Debit.MinorUnits(), br.Credit.MinorUnits(), br.Closing.MinorUnits()
		}
		for _, br := range per {
			x := t.row(br)
			x.amts[1], x.amts[2] = br.Debit.MinorUnits(), br.Credit.MinorUnits()
		}
	}

	// The rows in display order.
	slices.SortFunc(t.order, func(a, b ledger.BalanceRow) int { return strings.Compare(a.Account.Code, b.Account.Code) })
	idx := make([]int, 0, len(t.order))
	if !rollup {
		for i := range t.order {
			idx = append(idx, i)
		}
	} else {
		idx = treeOrder(t.order, opts.Depth)
	}
	shown := map[string]bool{}
	covered := func(a ledger.Account) bool { // a row above it is shown
		p := a.Parent
		for range len(t.rows) { // a chart is a tree: no deeper than it has accounts
			if p == "" {
				break
			}
			if shown[p] {
				return true
			}
			x, ok := t.rows[p]
			if !ok {
				break
			}
			p = x.acct.Parent
		}
		return false
	}
	var terms []Term
	tot := make([]sum, t.n)
	r.Rows = make([]Row, 0, len(idx)+1)
	for _, i := range idx {
		x := t.rows[t.order[i].Account.Code]
		if allZeroMinor(x.amts) || match != nil && !match.MatchString(x.acct.Code) && !match.MatchString(x.acct.Name) {
			continue
		}
		level := 0
		if rollup {
			level = x.level
		}
		cells := make([]Cell, 0, 2+t.n)
		cells = append(cells, textCell(x.acct.Code), textCell(x.acct.Name))
		for _, v := range x.amts {
			cells = append(cells, Cell{Amount: money.New(v, cur)})
		}
		r.Rows = append(r.Rows, Row{Kind: DetailRow, Level: level, Account: x.acct.Code, Label: x.acct.Name, Cells: cells})
		if !rollup || !covered(x.acct) {
			terms = append(terms, Term{Row: len(r.Rows) - 1})
			for k, v := range x.amts {
				tot[k].add(v)
			}
		}
		shown[x.acct.Code] = true
	}
	if opts.ValueAtEnd {
		// Valued at the end, the accounts need not balance: the rest is the
		// unrealised exchange difference, shown, not booked.
		d := make([]int64, t.n)
		for k, isBal := range balance {
			if isBal {
				d[k] = -tot[k].n
			}
		}
		for _, p := range pairs {
			if v := tot[p[1]].n - tot[p[0]].n; v > 0 {
				d[p[0]] = v
			} else {
				d[p[1]] = -v
			}
		}
		if slices.ContainsFunc(d, func(v int64) bool { return v != 0 }) {
			label := msg.Text("Unrealised exchange difference (not booked)")
			cells := []Cell{textCell(""), textCell(label)}
			for k, v := range d {
				cells = append(cells, Cell{Amount: money.New(v, cur)})
				tot[k].add(v)
			}
			r.Rows = append(r.Rows, Row{Kind: DetailRow, Label: label, Cells: cells})
			terms = append(terms, Term{Row: len(r.Rows) - 1})
		}
	}
	cells := []Cell{textCell(""), textCell(msg.Text("Total"))}
	totals := make([]money.Amount, t.n)
	for k := range tot {
		if tot[k].err != nil {
			return Report{}, tot[k].err
		}
		totals[k] = money.New(tot[k].n, cur)
		cells = append(cells, Cell{Amount: totals[k]})
	}
	r.Rows = append(r.Rows, Row{Kind: TotalRow, Label: msg.Text("Total"), Cells: cells, Terms: terms})
	if opts.Dimension.Name != "" || match != nil || !strict {
		// Filtered lines need not balance; nor do one currency's, once
		// entries balance in the base currency through converted lines.
		return r, nil
	}
	zero := money.Zero(cur)
	closing := totals[t.n-1]
	switch {
	case periodic:
		for k, sp := range spanCols {
			r.Checks = append(r.Checks, Check{Label: msg.Sprintf("Σ changes = 0 (%s)", sp.label), Left: totals[1+k], Right: zero})
		}
	case len(pairs) == 1:
		r.Checks = append(r.Checks, Check{Label: msg.Text("Σ debits = Σ credits (period)"), Left: totals[1], Right: totals[2]})
	default:
		r.Checks = append(r.Checks,
			Check{Label: msg.Text("Σ debits = Σ credits (period)"), Left: totals[1], Right: totals[2]},
			Check{Label: msg.Text("Σ debits = Σ credits (year to date)"), Left: totals[3], Right: totals[4]})
	}
	r.Checks = append(r.Checks, Check{Label: msg.Text("Σ closing balances = 0"), Left: closing, Right: zero})
	return r, nil
}

// checkClosing checks the closing balances the trial balance computed (in
// column k) against the ledger's closing balances in rows: they differ only
// if the store changed between the reads.
func checkClosing(t *tbTable, rows []ledger.BalanceRow, k int) error {
	for _, br := range rows {
		if x := t.rows[br.Account.Code]; x.amts[k] != br.Closing.MinorUnits() {
			return fmt.Errorf("account %s: %w", br.Account.Code, ErrInconsistent)
		}
	}
	return nil
}

func allZeroMinor(vs []int64) bool {
	for _, v := range vs {
		if v != 0 {
			return false
		}
	}
	return true
}

// accountQuery compiles an account query: a regular expression matched
// case-insensitively, or nil for none.
func accountQuery(q string) (*regexp.Regexp, error) {
	if q == "" {
		return nil, nil
	}
	re, err := regexp.Compile("(?i)" + q)
	if err != nil {
		return nil, fmt.Errorf("%w %q: %v", ErrQuery, q, err)
	}
	return re, nil
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
