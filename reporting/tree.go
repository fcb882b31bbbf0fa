package reporting

import (
	"fmt"

	"github.com/openbackoffice/backoffice/money"
)

// node is one line of a report built as a tree: a layout line, an account
// under it, a heading or a total. Values are in minor units of the report's
// currency, one per amount column, in the node's own sign convention.
type node struct {
	line, account, label string
	kind                 LineKind
	neg                  bool // subtracted from its parent's value
	vals                 []int64
	own                  []int64 // amounts on the node itself, besides its children (items)
	children             []*node
	terms                []nodeTerm // of a total
	total                bool       // show the subtotal of an item as a TotalRow
	always               bool       // show even if zero

	row int // the row that carries the node's value once emitted, or -1
}

type nodeTerm struct {
	n   *node
	neg bool
}

func newNode(ncol int) *node { return &node{vals: make([]int64, ncol), row: -1} }

func (n *node) zero() bool {
	for _, v := range n.vals {
		if v != 0 {
			return false
		}
	}
	return true
}

// compute sets the values of item nodes from their children and own
// amounts, then of totals from their terms, in tree order (a total's terms
// are earlier nodes, so they are computed first).
func (n *node) compute() error {
	for i := range n.vals {
		var s sum
		switch n.kind {
		case ItemLine:
			if n.own != nil {
				s.add(n.own[i])
			}
			for _, c := range n.children {
				if c.kind != ItemLine {
					continue
				}
				if err := c.compute(); err != nil {
					return err
				}
				s.add(sign(c.vals[i], c.neg))
			}
		case TotalLine:
			for _, t := range n.terms {
				s.add(sign(t.n.vals[i], t.neg))
			}
		}
		if s.err != nil {
			return fmt.Errorf("line %s: %w", n.line, s.err)
		}
		n.vals[i] = s.n
	}
	// Totals among the children come after the items they add.
	for _, c := range n.children {
		if c.kind == TotalLine {
			if err := c.compute(); err != nil {
				return err
			}
		}
	}
	return nil
}

func sign(v int64, neg bool) int64 {
	if neg {
		return -v
	}
	return v
}

// emitter appends the rows of a node tree to a report.
type emitter struct {
	msg      *Messages
	r        *Report
	cur      money.Currency
	depth    int
	showZero bool
}

// cells returns the label cell followed by one amount cell per value, or
// blank amount cells if vals is nil.
func (e *emitter) cells(label string, vals []int64, n int) []Cell {
	cs := make([]Cell, 0, n+1)
	cs = append(cs, textCell(label))
	for i := range n {
		if vals == nil {
			cs = append(cs, blankCell())
		} else {
			cs = append(cs, Cell{Amount: money.New(vals[i], e.cur)})
		}
	}
	return cs
}

func (e *emitter) add(row Row) int {
	e.r.Rows = append(e.r.Rows, row)
	return len(e.r.Rows) - 1
}

// emit appends the rows of n at level and of its visible descendants.
func (e *emitter) emit(n *node, level int) error {
	ncol := len(n.vals)
	row := func(k RowKind, vals []int64, terms []Term) Row {
		return Row{Kind: k, Level: level, Account: n.account, Line: n.line, Label: n.label, Cells: e.cells(n.label, vals, ncol), Terms: terms}
	}
	switch n.kind {
	case HeadingLine:
		e.add(row(HeadingRow, nil, nil))
		return nil
	case TotalLine:
		var terms []Term
		for _, t := range n.terms {
			switch {
			case t.n.row >= 0:
				terms = append(terms, Term{Row: t.n.row, Neg: t.neg})
			case !t.n.zero():
				return fmt.Errorf("%w: total %s adds line %s, which the depth limit folds away", ErrOption, n.line, t.n.line)
			}
		}
		n.row = e.add(row(TotalRow, n.vals, terms))
		return nil
	}
	if n.zero() && !n.always && !e.showZero {
		return nil
	}
	expand := len(n.children) > 0 && (e.depth <= 0 || level+1 < e.depth)
	if !expand {
		n.row = e.add(row(DetailRow, n.vals, nil))
		return nil
	}
	e.add(row(HeadingRow, nil, nil))
	var terms []Term
	for _, c := range n.children {
		if err := e.emit(c, level+1); err != nil {
			return err
		}
		if c.kind == ItemLine && c.row >= 0 {
			terms = append(terms, Term{Row: c.row, Neg: c.neg})
		}
	}
	k := SubtotalRow
	if n.total {
		k = TotalRow
	}
	// The subtotal closes the group its heading opened: "Total current
	// assets" under "Current assets", so the two rows read apart.
	sub := row(k, n.vals, terms)
	sub.Label = e.msg.Total(n.label)
	sub.Cells[0] = textCell(sub.Label)
	n.row = e.add(sub)
	return nil
}
