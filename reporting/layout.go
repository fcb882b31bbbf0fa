package reporting

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/openbackoffice/backoffice/internal/csvio"
	"github.com/openbackoffice/backoffice/ledger"
)

// Layout maps accounts to the lines of a balance sheet or income statement:
// report structure as data. Lines come in display order; a line's children
// follow it. A Layout is read-only once built and safe for concurrent use.
//
// Read one from CSV with ReadLayout, or load a shipped one with LoadLayout.
type Layout struct {
	Name  string // identifies the layout in errors ("hgb-266", a file name, …)
	Title string // the report title; "" keeps the builder's default
	Lines []LayoutLine
}

// LineKind says what a layout line is.
type LineKind uint8

const (
	// ItemLine holds the accounts its selectors match and the item lines
	// below it; its value is their sum. With children it is shown as a
	// heading, the children and a subtotal; without, as one row.
	ItemLine LineKind = iota
	// HeadingLine is a label without amounts.
	HeadingLine
	// TotalLine is the signed sum of earlier lines named in Sum, such as
	// gross profit or §275 (2) item 17, Jahresüberschuss/Jahresfehlbetrag.
	TotalLine
)

// LayoutLine is one line of a layout.
type LayoutLine struct {
	ID     string // unique in the layout; Row.Line of the rows it yields
	Parent string // the ID of the enclosing item line, or ""
	Label  string
	Kind   LineKind
	// Side is the sign convention of the line's amounts: SideDebit shows
	// debit balances positive (assets, expenses), SideCredit credit balances
	// (liabilities, equity, revenue). A child on the other side than its
	// parent is subtracted from it.
	Side ledger.Side
	// Sum lists the lines a TotalLine adds, each earlier in the layout and
	// not its ancestor.
	Sum []LineTerm
	// Match selects the accounts of an ItemLine.
	Match []Selector
	// Check marks the lines a report's checks compare: "left" and "right"
	// (assets = liabilities + equity), or "result" (the line equals the
	// income-statement result computed directly from the accounts).
	Check string
}

// LineTerm is one summand of a TotalLine: line ID, subtracted if Neg.
type LineTerm struct {
	Line string
	Neg  bool
}

// Selector picks accounts for a layout line. In a layout file it is written
// FIELD=VALUE, optionally followed by @debit or @credit:
//
//	code=1200            the account with code 1200
//	code=1000..1999      codes from 1000 to 1999 inclusive: compared as
//	                     numbers if all three are digits (10000 is not in
//	                     1000..1999), as strings otherwise
//	type=asset           accounts of a type (asset, liability, equity,
//	                     revenue, expense)
//	meta.hgb=B.IV        accounts whose Metadata["hgb"] is B.IV (any key)
//	result               the balance sheet's result of the current fiscal
//	                     year (the income statement's net result)
//	result=prior         results of earlier fiscal years not yet closed;
//	                     without such a line they join result
//	…@debit, …@credit    only while the balance stands on that side: a
//	                     VAT account with a debit balance is a receivable
type Selector struct {
	Field string // "code", "type", "meta.KEY" or "result"
	Value string // the value; for code ranges the first code; "current" or "prior" for result
	Last  string // the last code of a range, or ""
	// Side is the side the balance must stand on, or 0 for either.
	Side ledger.Side
}

// String returns s as written in a layout file.
func (s Selector) String() string {
	t := s.Field + "=" + s.Value
	if s.Field == "result" && s.Value == "current" {
		t = "result"
	}
	if s.Last != "" {
		t += ".." + s.Last
	}
	switch s.Side {
	case ledger.SideDebit:
		t += "@debit"
	case ledger.SideCredit:
		t += "@credit"
	}
	return t
}

// matches reports whether s selects account a (result selectors select none).
func (s Selector) matches(a *ledger.Account) bool {
	switch {
	case s.Field == "code" && s.Last != "":
		return cmpCode(s.Value, a.Code) <= 0 && cmpCode(a.Code, s.Last) <= 0
	case s.Field == "code":
		return a.Code == s.Value
	case s.Field == "type":
		return a.Type.String() == s.Value
	case strings.HasPrefix(s.Field, metaPrefix):
		v, ok := a.Metadata[s.Field[len(metaPrefix):]]
		return ok && v == s.Value
	}
	return false
}

// cmpCode compares account codes: as numbers if both are all digits, else as
// strings.
func cmpCode(a, b string) int {
	if digits(a) && digits(b) {
		a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
		if len(a) != len(b) {
			return len(a) - len(b)
		}
	}
	return strings.Compare(a, b)
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

const metaPrefix = "meta."

//go:embed layouts/*.csv
var layoutFiles embed.FS

// shipped lists the layouts LoadLayout knows: name → file and title.
var shipped = map[string]struct{ file, title string }{
	"default-balance-sheet":    {"default-balance-sheet.csv", "Balance sheet"},
	"default-income-statement": {"default-income-statement.csv", "Income statement"},
	"hgb-266":                  {"hgb-266.csv", "Balance sheet"},    // "Bilanz" in German
	"hgb-275":                  {"hgb-275.csv", "Income statement"}, // "Gewinn- und Verlustrechnung"
}

// Layouts returns the names LoadLayout accepts, sorted.
func Layouts() []string {
	names := make([]string, 0, len(shipped))
	for n := range shipped {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// LoadLayout returns a shipped layout by name, or ErrUnknownLayout:
//
//	default-balance-sheet     balance sheet for ledger.DefaultChart, by code ranges
//	default-income-statement  income statement for ledger.DefaultChart, by code
//	                          ranges: gross profit, operating result, net income
//	hgb-266                   Bilanz, §266 HGB, for SKR 03 and SKR 04 (by meta.hgb)
//	hgb-275                   Gewinn- und Verlustrechnung, §275 (2) HGB
//	                          (Gesamtkostenverfahren), for SKR 03 and SKR 04
//
// The HGB layouts select accounts by their meta.hgb line code, which both
// shipped SKR charts carry, so one layout serves both charts; an account you
// add needs a meta.hgb entry too. Each call returns a new Layout. LoadLayout
// is safe for concurrent use.
func LoadLayout(name string) (*Layout, error) {
	s, ok := shipped[name]
	if !ok {
		return nil, fmt.Errorf("load layout %q: %w", name, ErrUnknownLayout)
	}
	f, err := layoutFiles.Open("layouts/" + s.file)
	if err != nil {
		return nil, fmt.Errorf("load layout %q: %w", name, err)
	}
	defer f.Close()
	l, err := ReadLayout(f, name)
	if err != nil {
		return nil, err
	}
	l.Title = s.title
	return l, nil
}

// mustLayout loads a shipped layout; they are tested to load.
func mustLayout(name string) *Layout {
	l, err := LoadLayout(name)
	if err != nil {
		panic(err)
	}
	return l
}

// ReadLayout reads a layout in CSV, naming it name. The first row names the
// columns (case-insensitive, any order); the separator is ',' or ';',
// detected from that row:
//
//	line    required; the line's ID, unique ("A.I.2", "GuV.17", "gross")
//	label   required; the text shown
//	parent  the ID of the enclosing item line, which must come earlier; the
//	        file lists every line after its parent and before the next
//	        line that is not its descendant (the order rows are shown in)
//	kind    item (default), heading or total
//	side    debit or credit; empty inherits the parent's; required on a
//	        top-level item or total line
//	sum     for a total: the lines it adds, separated by spaces, each with
//	        an optional sign: "+GuV.1 +GuV.2 -GuV.5"
//	match   for an item: selectors separated by spaces (see Selector)
//	check   left, right (the two sides of a balance sheet) or result
//
// Reading is all-or-nothing: any problem yields no layout and an error that
// wraps ErrLayout and lists every problem by row (the header is row 1).
// ReadLayout checks the file, not a chart: an account that the layout maps
// twice is found when a report is built (ErrMappedTwice).
func ReadLayout(r io.Reader, name string) (*Layout, error) {
	rd := csvio.NewReader(r, &csvio.Options{
		Required: []string{"line", "label"},
		Optional: []string{"parent", "kind", "side", "sum", "match", "check"},
	})
	l := &Layout{Name: name}
	index := map[string]int{}
	var path []int // the open ancestors of the next line, outermost first
	results := map[string]bool{}
	checks := map[string]bool{}
	for rd.Next() {
		row := rd.Row()
		fail := func(col, format string, args ...any) {
			row.Fail(col, fmt.Errorf("%w: "+format, append([]any{ErrLayout}, args...)...))
		}
		ln := LayoutLine{ID: row.Get("line"), Parent: row.Get("parent"), Label: row.Get("label")}
		if ln.ID == "" || strings.ContainsAny(ln.ID, " \t") {
			fail("line", "a line ID is 1 or more characters without spaces")
			continue
		}
		if _, dup := index[ln.ID]; dup {
			fail("line", "line %s is defined twice", ln.ID)
			continue
		}
		if ln.Label == "" {
			fail("label", "line %s has no label", ln.ID)
		}
		switch k := strings.ToLower(row.Get("kind")); k {
		case "", "item":
			ln.Kind = ItemLine
		case "heading":
			ln.Kind = HeadingLine
		case "total":
			ln.Kind = TotalLine
		default:
			fail("kind", "line %s: kind must be item, heading or total", ln.ID)
		}
		// Nesting: the parent must be an open ancestor.
		for len(path) > 0 && l.Lines[path[len(path)-1]].ID != ln.Parent {
			path = path[:len(path)-1]
		}
		var parent *LayoutLine
		if ln.Parent != "" {
			if len(path) == 0 {
				if _, ok := index[ln.Parent]; ok {
					fail("parent", "line %s must follow its parent %s's other descendants directly", ln.ID, ln.Parent)
				} else {
					fail("parent", "parent %s of line %s is not an earlier line", ln.Parent, ln.ID)
				}
			} else {
				parent = &l.Lines[path[len(path)-1]]
				if parent.Kind != ItemLine {
					fail("parent", "parent %s of line %s is not an item line", ln.Parent, ln.ID)
				}
			}
		}
		switch s := strings.ToLower(row.Get("side")); s {
		case "debit":
			ln.Side = ledger.SideDebit
		case "credit":
			ln.Side = ledger.SideCredit
		case "":
			if parent != nil {
				ln.Side = parent.Side
			} else if ln.Kind != HeadingLine {
				fail("side", "top-level line %s needs a side (debit or credit)", ln.ID)
			}
		default:
			fail("side", "line %s: side must be debit or credit", ln.ID)
		}
		if s := row.Get("sum"); s != "" {
			if ln.Kind != TotalLine {
				fail("sum", "line %s: only a total has a sum", ln.ID)
			}
			for _, tok := range strings.Fields(s) {
				t := LineTerm{Line: tok}
				if tok[0] == '+' || tok[0] == '-' {
					t = LineTerm{Line: tok[1:], Neg: tok[0] == '-'}
				}
				j, ok := index[t.Line]
				switch {
				case !ok:
					fail("sum", "total %s adds %s, which is not an earlier line", ln.ID, t.Line)
				case slices.Contains(path, j):
					fail("sum", "total %s adds its own ancestor %s", ln.ID, t.Line)
				case l.Lines[j].Kind == HeadingLine:
					fail("sum", "total %s adds heading %s", ln.ID, t.Line)
				}
				ln.Sum = append(ln.Sum, t)
			}
		} else if ln.Kind == TotalLine {
			fail("sum", "total %s has no sum", ln.ID)
		}
		if s := row.Get("match"); s != "" {
			if ln.Kind != ItemLine {
				fail("match", "line %s: only an item line matches accounts", ln.ID)
			}
			for _, tok := range strings.Fields(s) {
				sel, err := parseSelector(tok)
				if err != nil {
					fail("match", "line %s: %v", ln.ID, err)
					continue
				}
				if sel.Field == "result" {
					if results[sel.Value] {
						fail("match", "line %s: a second line takes %s", ln.ID, sel)
					}
					results[sel.Value] = true
				}
				ln.Match = append(ln.Match, sel)
			}
		}
		switch c := strings.ToLower(row.Get("check")); c {
		case "":
		case "left", "right", "result":
			if checks[c] {
				fail("check", "a second line is marked %s", c)
			}
			checks[c] = true
			ln.Check = c
		default:
			fail("check", "line %s: check must be left, right or result", ln.ID)
		}
		index[ln.ID] = len(l.Lines)
		l.Lines = append(l.Lines, ln)
		if ln.Kind == ItemLine {
			path = append(path, len(l.Lines)-1)
		}
	}
	if checks["left"] != checks["right"] {
		rd.Fail(1, "check", fmt.Errorf("%w: a layout marks both a left and a right line, or neither", ErrLayout))
	}
	if err := rd.Err(); err != nil {
		return nil, layoutError(name, err)
	}
	if len(l.Lines) == 0 {
		return nil, fmt.Errorf("read layout %s: %w: no lines", name, ErrLayout)
	}
	return l, nil
}

// layoutError makes every problem of a layout file wrap ErrLayout.
func layoutError(name string, err error) error {
	var list csvio.Errors
	if !errors.As(err, &list) {
		return fmt.Errorf("read layout %s: %w: %w", name, ErrLayout, err)
	}
	out := make(csvio.Errors, len(list))
	for i, fe := range list {
		out[i] = fe
		if !errors.Is(fe.Err, ErrLayout) {
			out[i] = &csvio.FieldError{Row: fe.Row, Column: fe.Column, Err: fmt.Errorf("%w: %w", ErrLayout, fe.Err)}
		}
	}
	return fmt.Errorf("read layout %s: %w", name, out)
}

func parseSelector(tok string) (Selector, error) {
	var s Selector
	if at := strings.LastIndexByte(tok, '@'); at >= 0 {
		switch tok[at+1:] {
		case "debit":
			s.Side = ledger.SideDebit
		case "credit":
			s.Side = ledger.SideCredit
		default:
			return s, fmt.Errorf("selector %q: the side after @ must be debit or credit", tok)
		}
		tok = tok[:at]
	}
	field, value, hasValue := strings.Cut(tok, "=")
	s.Field = strings.ToLower(field)
	switch {
	case s.Field == "result":
		s.Value = "current"
		if hasValue {
			s.Value = value
		}
		if s.Value != "current" && s.Value != "prior" {
			return s, fmt.Errorf("selector %q: result takes no value, or prior", tok)
		}
	case !hasValue || value == "":
		return s, fmt.Errorf("selector %q: want FIELD=VALUE", tok)
	case s.Field == "code":
		s.Value, s.Last, _ = strings.Cut(value, "..")
		if s.Value == "" || strings.Contains(value, "..") && (s.Last == "" || cmpCode(s.Value, s.Last) > 0) {
			return s, fmt.Errorf("selector %q: a code range is FIRST..LAST with FIRST ≤ LAST", tok)
		}
	case s.Field == "type":
		t, err := ledger.ParseAccountType(value)
		if err != nil {
			return s, fmt.Errorf("selector %q: unknown account type", tok)
		}
		s.Value = t.String()
	case strings.HasPrefix(s.Field, metaPrefix) && len(s.Field) > len(metaPrefix):
		s.Value = value
	default:
		return s, fmt.Errorf("selector %q: field must be code, type, meta.KEY or result", tok)
	}
	return s, nil
}

// target is a line an account maps to, for balances on side (0: either).
type target struct {
	line int
	side ledger.Side
}

// mapping is a layout applied to a chart.
type mapping struct {
	layout  *Layout
	targets map[string][]target // account code → lines
	result  map[string][]target // "current", "prior" → lines
}

// apply maps the accounts for which relevant is true, or returns a
// *MappingError for the first (by code) that two lines claim for one side.
func (l *Layout) apply(accts []ledger.Account, relevant func(*ledger.Account) bool) (*mapping, error) {
	m := &mapping{layout: l, targets: map[string][]target{}, result: map[string][]target{}}
	for i, ln := range l.Lines {
		for _, s := range ln.Match {
			if s.Field == "result" {
				m.result[s.Value] = append(m.result[s.Value], target{i, s.Side})
			}
		}
	}
	for k := range accts {
		a := &accts[k]
		if !relevant(a) {
			continue
		}
		var ts []target
		for i, ln := range l.Lines {
			for _, s := range ln.Match {
				if s.Field != "result" && s.matches(a) {
					ts = append(ts, target{i, s.Side})
				}
			}
		}
		for x := range ts {
			for y := x + 1; y < len(ts); y++ {
				tx, ty := ts[x], ts[y]
				if tx.line != ty.line && (tx.side == 0 || ty.side == 0 || tx.side == ty.side) {
					return nil, &MappingError{Layout: l.Name, Account: a.Code, Lines: []string{l.Lines[tx.line].ID, l.Lines[ty.line].ID}}
				}
			}
		}
		if len(ts) > 0 {
			m.targets[a.Code] = ts
		}
	}
	return m, nil
}

// lineFor returns the line that takes a balance of v (debit positive) from ts,
// or -1.
func lineFor(ts []target, v int64) int {
	side := ledger.SideDebit
	if v < 0 {
		side = ledger.SideCredit
	}
	for _, t := range ts {
		if t.side == 0 || t.side == side {
			return t.line
		}
	}
	return -1
}

// The IDs of the lines a statement adds for accounts that no line of its
// layout takes (see withUnmapped).
const (
	UnmappedAssets      = "unmapped_assets"
	UnmappedLiabilities = "unmapped_liabilities"
	UnmappedEquity      = "unmapped_equity"
	UnmappedRevenue     = "unmapped_revenue"
	UnmappedExpenses    = "unmapped_expenses"
)

// withUnmapped returns a copy of l with one line per account type for the
// accounts no line takes, so that a statement never fails on a chart its
// layout does not know: on a balance sheet assets go under the line
// checked "left" and liabilities and equity under the one checked "right"
// (roots if there are none); on an income statement revenue and expenses
// go right before a total line checked "result", which adds them (under an
// item line checked "result", or as roots). It returns the line index of
// each type's line.
func (l *Layout) withUnmapped(bs bool) (*Layout, map[ledger.AccountType]int) {
	c := *l
	c.Lines = slices.Clone(l.Lines)
	at := map[ledger.AccountType]int{}
	find := func(check string) int {
		return slices.IndexFunc(c.Lines, func(ln LayoutLine) bool { return ln.Check == check })
	}
	add := func(i int, t ledger.AccountType, ln LayoutLine) {
		c.Lines = slices.Insert(c.Lines, i, ln)
		for k, v := range at {
			if v >= i {
				at[k] = v + 1
			}
		}
		at[t] = i
	}
	if bs {
		parent := func(check string) string {
			if i := find(check); i >= 0 && c.Lines[i].Kind == ItemLine {
				return c.Lines[i].ID
			}
			return ""
		}
		add(len(c.Lines), ledger.Asset, LayoutLine{ID: UnmappedAssets, Parent: parent("left"), Label: "Assets not in the layout (placed by account type)", Side: ledger.SideDebit})
		add(len(c.Lines), ledger.Liability, LayoutLine{ID: UnmappedLiabilities, Parent: parent("right"), Label: "Liabilities not in the layout (placed by account type)", Side: ledger.SideCredit})
		add(len(c.Lines), ledger.Equity, LayoutLine{ID: UnmappedEquity, Parent: parent("right"), Label: "Equity not in the layout (placed by account type)", Side: ledger.SideCredit})
		return &c, at
	}
	rev := LayoutLine{ID: UnmappedRevenue, Label: "Revenue not in the layout (placed by account type)", Side: ledger.SideCredit}
	exp := LayoutLine{ID: UnmappedExpenses, Label: "Expenses not in the layout (placed by account type)", Side: ledger.SideDebit}
	r := find("result")
	switch {
	case r >= 0 && c.Lines[r].Kind == TotalLine:
		res := c.Lines[r]
		res.Sum = append(slices.Clone(res.Sum),
			LineTerm{Line: rev.ID, Neg: res.Side != rev.Side}, LineTerm{Line: exp.ID, Neg: res.Side != exp.Side})
		c.Lines[r] = res
		add(r, ledger.Expense, exp)
		add(r, ledger.Revenue, rev)
	case r >= 0 && c.Lines[r].Kind == ItemLine:
		rev.Parent, exp.Parent = c.Lines[r].ID, c.Lines[r].ID
		fallthrough
	default:
		add(len(c.Lines), ledger.Revenue, rev)
		add(len(c.Lines), ledger.Expense, exp)
	}
	return &c, at
}

// shift moves the line indexes of m past the lines withUnmapped inserted.
func (m *mapping) shift(at map[ledger.AccountType]int) {
	ins := slices.Sorted(maps.Values(at))
	move := func(ts []target) {
		for k := range ts {
			n := ts[k].line
			for _, i := range ins {
				if i <= n {
					n++
				}
			}
			ts[k].line = n
		}
	}
	for _, ts := range m.targets {
		move(ts)
	}
	for _, ts := range m.result {
		move(ts)
	}
}
