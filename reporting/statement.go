package reporting

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// BalanceSheet builds the balance sheet of book as of opts.To, laid out by
// opts.Layout (nil: the default layout, see LoadLayout). Every asset,
// liability and equity account with a balance must map to exactly one
// line (ErrUnmapped, ErrMappedTwice). Amounts are closing balances,
// year-end closing entries included; a line shows them on its side (assets
// debit-positive, liabilities and equity credit-positive), with account rows
// one level below their line.
//
// Revenue and expense accounts are not mapped: their balances make up the
// result, which goes to the line matching "result" — the current fiscal
// year's result — and "result=prior" — earlier years not yet closed by
// ledger.Ledger.CloseYear (without such a line it joins the current
// result). Once a year is closed its result is in the retained earnings
// account, and the result line shows nothing more for it.
//
// Columns: "label", then one amount column as of To ("balance") and, with
// opts.Compare, one per comparison date (the day before From for
// PriorPeriod, To a year earlier for PriorYear, each month or fiscal
// quarter end from From to To). A layout marking a left and a right line
// adds one check per column that they are equal (assets = liabilities +
// equity), except with opts.Dimension.
//
// BalanceSheet reads opts.From (for comparisons), To, Currency, Dimension,
// Compare, Depth, Layout, ShowZero and Now; AccountQuery is ErrOption. It
// is safe for concurrent use if src is.
func BalanceSheet(ctx context.Context, src Source, book string, opts Options) (Report, error) {
	r, err := statement(ctx, src, book, opts, BalanceSheetReport)
	if err != nil {
		return Report{}, fmt.Errorf("balance sheet of %s: %w", book, err)
	}
	return r, nil
}

// IncomeStatement builds the income statement of book for opts.From–To,
// laid out by opts.Layout (nil: the default layout, see LoadLayout). Every
// revenue and expense account with a movement in a column must map to
// exactly one line (ErrUnmapped, ErrMappedTwice). Amounts are the period's
// movements without year-end closing entries, each shown on its line's
// side: revenue positive on credit lines, expenses positive on debit lines;
// totals add and subtract lines as the layout says (gross profit =
// revenue − cost of goods sold, …).
//
// Columns: "label", then "amount" for From–To and, with opts.Compare, one
// column per comparison period (and "total" for Monthly and Quarterly). A
// layout line marked check=result adds one check per column: the line
// equals the net result computed directly from the accounts (revenue −
// expenses), which proves the layout's totals leave nothing out.
//
// IncomeStatement reads opts.From, To, Currency, Dimension, Compare, Depth,
// Layout, ShowZero and Now; AccountQuery is ErrOption. It is safe for
// concurrent use if src is.
func IncomeStatement(ctx context.Context, src Source, book string, opts Options) (Report, error) {
	r, err := statement(ctx, src, book, opts, IncomeStatementReport)
	if err != nil {
		return Report{}, fmt.Errorf("income statement of %s: %w", book, err)
	}
	return r, nil
}

// column holds what one amount column of a statement needs: each account's
// value (debit positive) and, for a balance sheet, the results.
type column struct {
	accts         []ledger.BalanceRow
	vals          []int64 // parallel to accts
	result, prior int64   // balance sheet: current and earlier unclosed results, debit positive
	direct        int64   // income statement: Σ revenue and expense movements, debit positive
}

func statement(ctx context.Context, src Source, book string, opts Options, kind Kind) (Report, error) {
	if opts.ValueAtEnd {
		return Report{}, fmt.Errorf("%w: valuation at the end (trial balance only)", ErrOption)
	}
	if opts.AccountQuery != "" {
		return Report{}, fmt.Errorf("%w: an account query (a statement of part of a book does not balance)", ErrOption)
	}
	b, err := src.Book(ctx, book)
	if err != nil {
		return Report{}, err
	}
	from, to, err := period(b, opts)
	if err != nil {
		return Report{}, err
	}
	bs := kind == BalanceSheetReport
	layout := opts.Layout
	if layout == nil {
		if bs {
			layout = mustLayout("default-balance-sheet")
		} else {
			layout = mustLayout("default-income-statement")
		}
	}
	var spansOf func(*Messages, ledger.Book, date.Date, date.Date, Compare) ([]span, error) = spans
	title := "Income statement"
	relevant := func(a *ledger.Account) bool { return a.Type.IsIncomeStatement() }
	if bs {
		spansOf, title = asOfSpans, "Balance sheet"
		relevant = func(a *ledger.Account) bool { return !a.Type.IsIncomeStatement() }
	}
	if layout.Title != "" {
		title = layout.Title
	}
	msg, err := language(ctx, src, book, opts.Language)
	if err != nil {
		return Report{}, err
	}
	cols, err := spansOf(msg, b, from, to, opts.Compare)
	if err != nil {
		return Report{}, err
	}
	cur, strict := currency(b, opts)
	r := header(msg, kind, title, b, cur, from, to, opts)
	if bs {
		r.From = date.Date{}
	}
	accts, err := src.Accounts(ctx, book)
	if err != nil {
		return Report{}, err
	}
	hasCash := false
	for _, a := range accts {
		hasCash = hasCash || a.Metadata["role"] == "cash"
	}
	m, err := layout.apply(accts, relevant)
	if err != nil {
		return Report{}, err
	}
	// Accounts no line takes are placed by type on lines of their own.
	layout, unmappedAt := layout.withUnmapped(bs)
	m.shift(unmappedAt)
	unmapped := map[string]bool{}

	// Read every column.
	data := make([]column, len(cols))
	for c, sp := range cols {
		q := ledger.BalanceQuery{From: sp.from, To: sp.to, Dimension: opts.Dimension, ExcludeClosing: !bs}
		if bs {
			if q.From, _, err = fiscalYear(b, sp.to); err != nil {
				return Report{}, err
			}
		}
		rows, err := balances(ctx, src, &r, strict, q)
		if err != nil {
			return Report{}, err
		}
		d := &data[c]
		var res, prior, direct sum
		for _, row := range rows {
			mv, err := movement(row)
			if err != nil {
				return Report{}, err
			}
			pl := row.Account.Type.IsIncomeStatement()
			switch {
			case bs && pl:
				res.add(mv)
				prior.add(row.Opening.MinorUnits())
				continue
			case bs:
				mv = row.Closing.MinorUnits()
			case !pl:
				continue
			default:
				direct.add(mv)
			}
			if mv != 0 {
				d.accts = append(d.accts, row)
				d.vals = append(d.vals, mv)
			}
		}
		if err := firstErr(res.err, prior.err, direct.err); err != nil {
			return Report{}, err
		}
		d.result, d.prior, d.direct = res.n, prior.n, direct.n
	}

	// The tree: one node per line, account nodes under their lines.
	ncol := len(cols)
	nodes := make([]*node, len(layout.Lines))
	index := make(map[string]int, len(layout.Lines))
	var roots []*node
	for i, ln := range layout.Lines {
		n := newNode(ncol)
		n.line, n.label, n.kind, n.always = ln.ID, msg.Text(ln.Label), ln.Kind, ln.Kind == TotalLine
		n.total = ln.Check == "left" || ln.Check == "right"
		nodes[i] = n
		index[ln.ID] = i
		for _, t := range ln.Sum {
			n.terms = append(n.terms, nodeTerm{nodes[index[t.Line]], t.Neg})
		}
		if ln.Parent == "" {
			roots = append(roots, n)
			continue
		}
		p := index[ln.Parent]
		n.neg = ln.Side != layout.Lines[p].Side
		nodes[p].children = append(nodes[p].children, n)
	}
	type key struct {
		line    int
		account string
	}
	acctNodes := map[key]*node{}
	var order []key
	natural := func(line int, v int64) int64 { return sign(v, layout.Lines[line].Side == ledger.SideCredit) }
	for c := range data {
		d := &data[c]
		for k, row := range d.accts {
			v := d.vals[k]
			line := lineFor(m.targets[row.Account.Code], v)
			if line < 0 {
				l, ok := unmappedAt[row.Account.Type]
				if !ok {
					return Report{}, &UnmappedError{Layout: layout.Name, Account: row.Account.Code}
				}
				line = l
				unmapped[row.Account.Code] = true
			}
			kk := key{line, row.Account.Code}
			n := acctNodes[kk]
			if n == nil {
				n = newNode(ncol)
				n.account, n.label, n.kind = row.Account.Code, row.Account.Code+" "+row.Account.Name, ItemLine
				n.line = layout.Lines[line].ID
				n.own = make([]int64, ncol)
				acctNodes[kk] = n
				order = append(order, kk)
			}
			n.own[c] = natural(line, v)
		}
		if !bs {
			continue
		}
		cur, prior := d.result, d.prior
		if len(m.result["prior"]) == 0 {
			var s sum
			s.add(cur)
			s.add(prior)
			if s.err != nil {
				return Report{}, s.err
			}
			cur, prior = s.n, 0
		}
		for _, res := range []struct {
			which string
			v     int64
		}{{"current", cur}, {"prior", prior}} {
			if res.v == 0 {
				continue
			}
			line := lineFor(m.result[res.which], res.v)
			if line < 0 {
				return Report{}, &UnmappedError{Layout: layout.Name, Account: "(result)"}
			}
			n := nodes[line]
			if n.own == nil {
				n.own = make([]int64, ncol)
			}
			n.own[c] += natural(line, res.v)
		}
	}
	slices.SortFunc(order, func(a, b key) int {
		if a.line != b.line {
			return a.line - b.line
		}
		return cmpCode(a.account, b.account)
	})
	for _, k := range order {
		nodes[k.line].children = append(nodes[k.line].children, acctNodes[k])
	}
	// A line with both accounts and a result shows the result as a row of
	// its own, so that the line's subtotal adds up.
	for i, n := range nodes {
		if n.own != nil && len(n.children) > 0 {
			p := newNode(ncol)
			p.kind, p.own, p.line = ItemLine, n.own, n.line
			p.label = msg.Text("Result for the period")
			if lineFor(m.result["prior"], 1) == i || lineFor(m.result["prior"], -1) == i {
				p.label = msg.Text("Results of earlier years not yet closed")
			}
			n.own = nil
			n.children = append(n.children, p)
		}
	}
	for _, n := range roots {
		if err := n.compute(); err != nil {
			return Report{}, err
		}
	}

	r.Columns = append(r.Columns, Column{Key: "label", Label: "", Kind: TextColumn})
	for _, sp := range cols {
		r.Columns = append(r.Columns, Column{Key: sp.key, Label: sp.label, Kind: AmountColumn, From: sp.from, To: sp.to})
	}
	e := &emitter{msg: msg, r: &r, cur: cur, depth: opts.Depth, showZero: opts.ShowZero}
	for _, n := range roots {
		if err := e.emit(n, 0); err != nil {
			return Report{}, err
		}
	}

	// Checks.
	var left, right, result *node
	var resultLine int
	for i, ln := range layout.Lines {
		switch ln.Check {
		case "left":
			left = nodes[i]
		case "right":
			right = nodes[i]
		case "result":
			result, resultLine = nodes[i], i
		}
	}
	if len(unmapped) > 0 {
		// Not an error: the report adds up. The check names the accounts
		// a layout line should take, and shows what they hold.
		codes := slices.Sorted(maps.Keys(unmapped))
		if len(codes) > 20 {
			codes = append(codes[:20], msg.Sprintf("and %d more", len(unmapped)-20))
		}
		var in sum
		for c := range data {
			for k, row := range data[c].accts {
				if unmapped[row.Account.Code] && c == 0 {
					in.add(data[c].vals[k])
				}
			}
		}
		var placed sum
		for _, i := range unmappedAt {
			if nodes[i].vals != nil {
				placed.add(sign(nodes[i].vals[0], layout.Lines[i].Side == ledger.SideCredit))
			}
		}
		if err := firstErr(in.err, placed.err); err != nil {
			return Report{}, err
		}
		r.Checks = append(r.Checks, Check{
			Label: msg.Sprintf("Accounts not in layout %s, placed by account type: %s", layout.Name, strings.Join(codes, ", ")),
			Left:  money.New(in.n, cur), Right: money.New(placed.n, cur),
		})
	}
	for c, sp := range cols {
		suffix := ""
		if len(cols) > 1 {
			suffix = " (" + sp.label + ")"
		}
		if left != nil && right != nil && opts.Dimension.Name == "" {
			r.Checks = append(r.Checks, Check{
				Label: left.label + " = " + right.label + suffix,
				Left:  money.New(left.vals[c], cur), Right: money.New(right.vals[c], cur),
			})
		}
		if bs && hasCash && opts.Dimension.Name == "" {
			// Cash on hand cannot be negative: a negative bank balance is
			// a liability to the bank (and the HGB layout shows it so),
			// but a negative cash account is a booking error.
			var neg sum
			var names []string
			for k, row := range data[c].accts {
				if row.Account.Metadata["role"] == "cash" && data[c].vals[k] < 0 {
					neg.add(data[c].vals[k])
					names = append(names, row.Account.Code+" "+row.Account.Name)
				}
			}
			if neg.err != nil {
				return Report{}, neg.err
			}
			label := msg.Text("Σ negative cash balances = 0 (cash cannot be negative)")
			if len(names) > 0 {
				label += ": " + strings.Join(names, ", ")
			}
			r.Checks = append(r.Checks, Check{Label: label + suffix, Left: money.New(neg.n, cur), Right: money.Zero(cur)})
		}
		if result != nil && !bs {
			r.Checks = append(r.Checks, Check{
				Label: msg.Sprintf("%s = revenue − expenses", result.label) + suffix,
				Left:  money.New(result.vals[c], cur), Right: money.New(natural(resultLine, data[c].direct), cur),
			})
		}
	}
	return r, nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
