package reporting

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// CashFlowKey is the account metadata key that classifies accounts for the
// cash flow statement; ledger.DefaultChart, SKR03 and SKR04 carry it on
// every account (see ledger/charts/README.md).
const CashFlowKey = "cashflow"

// The cash flow classes (values of Metadata[CashFlowKey]).
const (
	CashFlowCash      = "cash"      // the fund whose change the statement explains
	CashFlowOperating = "operating" // working capital; income-statement accounts
	CashFlowInvesting = "investing" // fixed and financial assets
	CashFlowFinancing = "financing" // equity and loans
	CashFlowNonCash   = "non_cash"  // expenses without cash flow (depreciation) and their contra accounts
)

// CashFlow builds the cash flow statement of book for opts.From–To by the
// indirect method, driven by each account's cash flow class,
// Metadata[CashFlowKey] — never by account numbers. Year-end closing
// entries are left out. Rows (inflows positive):
//
//	Cash flow from operating activities
//	  Net result                       −Σ movement of revenue and expense accounts
//	  Depreciation and other non-cash  +Σ movement of expense accounts classed non_cash
//	  Changes in working capital       one row per balance-sheet account classed
//	                                   operating: −its movement (an increase in
//	                                   receivables is an outflow)
//	Cash flow from investing activities  one row per account classed investing,
//	                                   and "Non-cash write-downs of fixed assets":
//	                                   the non-cash expenses not booked against an
//	                                   account classed non_cash (German books write
//	                                   depreciation off the asset account itself)
//	Cash flow from financing activities  one row per account classed financing
//	Net change in cash                 the three sections
//	Cash at beginning of period        balance of the accounts classed cash at From,
//	                                   with the opening entries dated From to To
//	                                   (ledger.JournalOpening): balances brought
//	                                   forward, not flows
//	Cash at end of period              beginning + net change
//
// Two checks per column prove the reconciliation: the net change equals the
// movement of the cash accounts, and the end equals their balance at To.
// Revenue and expense accounts need no class (any but non_cash counts as
// part of the net result); a balance-sheet account with a movement (or a
// cash balance) but without a known class is placed by its type (equity
// under financing, other accounts under operating) and named in a check.
//
// Columns: "label", then "amount" and, with opts.Compare, one per comparison
// period (and "total"). CashFlow reads opts.From, To, Currency, Compare,
// Depth, ShowZero and Now; Dimension, Layout, Accounts and AccountQuery are
// ErrOption (a cash flow of part of a book does not reconcile). It is safe
// for concurrent use if src is.
func CashFlow(ctx context.Context, src Source, book string, opts Options) (Report, error) {
	r, err := cashFlow(ctx, src, book, opts)
	if err != nil {
		return Report{}, fmt.Errorf("cash flow statement of %s: %w", book, err)
	}
	return r, nil
}

func cashFlow(ctx context.Context, src Source, book string, opts Options) (Report, error) {
	switch {
	case opts.ValueAtEnd:
		return Report{}, fmt.Errorf("%w: valuation at the end (trial balance only)", ErrOption)
	case opts.Dimension.Name != "":
		return Report{}, fmt.Errorf("%w: a dimension filter", ErrOption)
	case opts.Layout != nil:
		return Report{}, fmt.Errorf("%w: a layout", ErrOption)
	case len(opts.Accounts) > 0:
		return Report{}, fmt.Errorf("%w: an account list", ErrOption)
	case opts.AccountQuery != "":
		return Report{}, fmt.Errorf("%w: an account query", ErrOption)
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
	cols, err := spans(msg, b, from, to, opts.Compare)
	if err != nil {
		return Report{}, err
	}
	cur, strict := currency(b, opts)
	r := header(msg, CashFlowReport, "Cash flow statement", b, cur, from, to, opts)
	ncol := len(cols)

	item := func(label string) *node {
		n := newNode(ncol)
		n.kind, n.label, n.own = ItemLine, label, make([]int64, ncol)
		return n
	}
	total := func(label string, terms ...*node) *node {
		n := newNode(ncol)
		n.kind, n.label = TotalLine, label
		for _, t := range terms {
			n.terms = append(n.terms, nodeTerm{n: t})
		}
		return n
	}
	op, inv, fin := item(msg.Text("Cash flow from operating activities")), item(msg.Text("Cash flow from investing activities")), item(msg.Text("Cash flow from financing activities"))
	netResult, nonCash := item(msg.Text("Net result")), item(msg.Text("Depreciation and other non-cash expenses"))
	wc := item(msg.Text("Changes in working capital"))
	writeDown := item(msg.Text("Non-cash write-downs of fixed assets"))
	opening := item(msg.Text("Cash at beginning of period"))
	opening.always = true
	// Line IDs name the rows for charts and machine readers (LineRow).
	op.line, inv.line, fin.line, netResult.line, nonCash.line = "operating", "investing", "financing", "net_result", "non_cash"
	wc.line, writeDown.line, opening.line = "working_capital", "write_downs", "cash_start"
	op.children = []*node{netResult, nonCash, wc}
	sections := map[string]*node{CashFlowOperating: wc, CashFlowInvesting: inv, CashFlowFinancing: fin}
	acctNodes := map[string]*node{} // class/code → node
	change := total(msg.Text("Net change in cash"), op, inv, fin)
	closing := total(msg.Text("Cash at end of period"), opening, change)
	change.line, closing.line = "cash_change", "cash_end"
	var cashMove, cashEnd []int64
	unclassed := map[string]int64{} // code → its movements in the first column: placed by type
	for c, sp := range cols {
		// Opening entries (ledger.JournalOpening) bring balances forward:
		// cash at beginning, not flows of the period.
		rows, err := balances(ctx, src, &r, strict, ledger.BalanceQuery{From: sp.from, To: sp.to, ExcludeClosing: true, Openings: true})
		if err != nil {
			return Report{}, err
		}
		var nr, addBack, ncBS, cm, co, ce sum
		for _, row := range rows {
			mv, err := movement(row)
			if err != nil {
				return Report{}, err
			}
			a := row.Account
			class := a.Metadata[CashFlowKey]
			if a.Type.IsIncomeStatement() {
				nr.add(-mv)
				if class == CashFlowNonCash {
					addBack.add(mv)
				}
				continue
			}
			switch class {
			case CashFlowCash:
				cm.add(mv)
				co.add(row.Opening.MinorUnits())
				ce.add(row.Closing.MinorUnits())
				continue
			case CashFlowNonCash:
				ncBS.add(mv)
				continue
			}
			if mv == 0 {
				continue
			}
			sec := sections[class]
			if sec == nil {
				// No class: placed by type, named in the checks. Equity
				// is financing, other balance-sheet accounts operating.
				class = CashFlowOperating
				if a.Type == ledger.Equity {
					class = CashFlowFinancing
				}
				sec = sections[class]
				if c == 0 {
					unclassed[a.Code] -= mv
				}
			}
			k := class + "/" + a.Code
			n := acctNodes[k]
			if n == nil {
				n = item(a.Code + " " + a.Name)
				n.account = a.Code
				acctNodes[k] = n
				sec.children = append(sec.children, n)
			}
			n.own[c] = -mv
		}
		var wd sum
		wd.add(-addBack.n)
		wd.add(-ncBS.n)
		if err := firstErr(nr.err, addBack.err, ncBS.err, cm.err, co.err, ce.err, wd.err); err != nil {
			return Report{}, err
		}
		netResult.own[c], nonCash.own[c], writeDown.own[c], opening.own[c] = nr.n, addBack.n, wd.n, co.n
		cashMove, cashEnd = append(cashMove, cm.n), append(cashEnd, ce.n)
	}
	for _, sec := range sections {
		slices.SortFunc(sec.children, func(a, b *node) int { return cmpCode(a.account, b.account) })
	}
	inv.children = append(inv.children, writeDown)
	roots := []*node{op, inv, fin, change, opening, closing}
	for _, n := range roots {
		if err := n.compute(); err != nil {
			return Report{}, err
		}
	}
	r.Columns = append(r.Columns, Column{Key: "label", Kind: TextColumn})
	for _, sp := range cols {
		r.Columns = append(r.Columns, Column{Key: sp.key, Label: sp.label, Kind: AmountColumn, From: sp.from, To: sp.to})
	}
	e := &emitter{msg: msg, r: &r, cur: cur, depth: opts.Depth, showZero: opts.ShowZero}
	for _, n := range roots {
		if err := e.emit(n, 0); err != nil {
			return Report{}, err
		}
	}
	if len(unclassed) > 0 {
		codes := slices.Sorted(maps.Keys(unclassed))
		var in, placed sum
		for _, code := range codes {
			in.add(unclassed[code])
			for k, n := range acctNodes {
				if n.account == code && strings.HasSuffix(k, "/"+code) {
					placed.add(n.vals[0])
				}
			}
		}
		if len(codes) > 20 {
			codes = append(codes[:20], msg.Sprintf("and %d more", len(unclassed)-20))
		}
		if err := firstErr(in.err, placed.err); err != nil {
			return Report{}, err
		}
		r.Checks = append(r.Checks, Check{
			Label: msg.Sprintf("Accounts without a cash-flow class (%s), placed by type (equity financing, others operating): %s", CashFlowKey, strings.Join(codes, ", ")),
			Left:  money.New(in.n, cur), Right: money.New(placed.n, cur),
		})
	}
	for c, sp := range cols {
		suffix := ""
		if ncol > 1 {
			suffix = " (" + sp.label + ")"
		}
		r.Checks = append(r.Checks,
			Check{Label: msg.Text("Net change in cash = movement of the cash accounts") + suffix, Left: money.New(change.vals[c], cur), Right: money.New(cashMove[c], cur)},
			Check{Label: msg.Text("Cash at end of period = balance of the cash accounts") + suffix, Left: money.New(closing.vals[c], cur), Right: money.New(cashEnd[c], cur)},
		)
	}
	return r, nil
}
