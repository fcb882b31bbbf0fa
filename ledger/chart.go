package ledger

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/internal/csvio"
	"github.com/openbackoffice/backoffice/money"
)

// The chart files shipped with the package; see charts/README.md for the format.
//
//go:embed charts/*.csv
var chartFiles embed.FS

// ReadChart parses a chart of accounts in CSV for book into accounts ready for
// Ledger.CreateAccounts. The first row names the columns (case-insensitive, in any
// order); the separator is ',' or ';', detected from that row, and a UTF-8 byte
// order mark is ignored:
//
//	code      required; the account code, 1–64 characters without spaces or '/'
//	name      required
//	type      required; asset, liability, equity, revenue or expense
//	parent    the code of the parent account, which must be in the file too
//	currency  ISO 4217 code of the only currency the account accepts; empty for any
//	min, max  decimal bounds of the account's natural balance (see Constraint); empty for none
//	closed    true or false; empty means false
//	meta.KEY  a Metadata entry KEY (lower case); empty cells add nothing
//
// The accounts are returned with every parent before its children and otherwise
// in file order. Reading is all-or-nothing: if anything is wrong ReadChart returns
// no accounts and an error listing every problem found, with its row (as a
// spreadsheet numbers it, the header being row 1) and column. That error wraps one
// FieldError-like value per problem, each wrapping ErrInvalid, or ErrDuplicate for
// a repeated code, or ErrUnknownAccount for a parent not in the file; errors.Is
// sees them all. Messages name rows, columns and account codes, never other cell
// values. An I/O error from r is reported the same way and wraps the reader's error.
//
// ReadChart is safe for concurrent use.
func ReadChart(r io.Reader, book string) ([]Account, error) {
	if !validCode(book) {
		return nil, fmt.Errorf("read chart: %w: book ID", ErrInvalid)
	}
	rd := csvio.NewReader(r, &csvio.Options{
		Required: []string{"code", "name", "type"},
		Optional: []string{"parent", "currency", "min", "max", "closed"},
		Prefixes: []string{metaPrefix},
	})
	var (
		accounts []Account
		rows     []int              // rows[i] is the row accounts[i] came from
		index    = map[string]int{} // code → position in accounts
	)
	for rd.Next() {
		row := rd.Row()
		a := chartRow(row, book)
		if a.Code == "" {
			continue // no usable code: nothing else can refer to the row
		}
		if first, dup := index[a.Code]; dup {
			row.Fail("code", fmt.Errorf("%w: account %s is already defined in row %d", ErrDuplicate, a.Code, rows[first]))
			continue
		}
		index[a.Code] = len(accounts)
		accounts = append(accounts, a)
		rows = append(rows, row.Num()) // kept even if the row has problems, for the checks across rows
	}
	parents := make([]int, len(accounts)) // index of the parent, or -1
	for i, a := range accounts {
		parents[i] = -1
		if a.Parent == "" {
			continue
		}
		p, ok := index[a.Parent]
		if !ok {
			rd.Fail(rows[i], "parent", fmt.Errorf("%w: parent %s of account %s is not in the chart", ErrUnknownAccount, a.Parent, a.Code))
			continue
		}
		parents[i] = p
	}
	for _, cycle := range parentCycles(parents) {
		codes := make([]string, len(cycle)+1)
		for j, i := range cycle {
			codes[j] = accounts[i].Code
		}
		codes[len(cycle)] = codes[0]
		rd.Fail(rows[cycle[0]], "parent", fmt.Errorf("%w: parent cycle %s", ErrInvalid, strings.Join(codes, " → ")))
	}
	if err := rd.Err(); err != nil {
		return nil, chartError(err)
	}
	return parentsFirst(accounts, parents), nil
}

const metaPrefix = "meta."

// chartRow converts one row to an Account, recording every problem on the row.
// The account's Code is "" if the code itself is unusable.
func chartRow(row *csvio.Row, book string) Account {
	var a Account
	ok := true
	fail := func(column, format string, args ...any) {
		row.Fail(column, fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...))
		ok = false
	}
	a.Book = book
	switch code := row.Get("code"); {
	case code == "":
		fail("code", "empty account code")
	case !validCode(code):
		fail("code", "account code must be 1–64 characters without spaces, control characters or '/'")
	default:
		a.Code = code
	}
	if a.Name = row.Get("name"); a.Name == "" {
		fail("name", "empty account name")
	}
	t, err := ParseAccountType(row.Get("type"))
	if err != nil {
		row.Fail("type", err) // wraps ErrInvalid and names no value
		ok = false
	}
	a.Type = t
	switch parent := row.Get("parent"); {
	case parent == "":
	case !validCode(parent):
		fail("parent", "parent code must be 1–64 characters without spaces, control characters or '/'")
	case parent == a.Code:
		fail("parent", "account %s is its own parent", a.Code)
	default:
		a.Parent = parent
	}
	if s := row.Get("currency"); s != "" {
		c, err := money.ParseCurrency(s)
		if err != nil {
			fail("currency", "not an ISO 4217 currency code")
		}
		a.Currency = c
	}
	bound := func(column string) decimal.NullDecimal {
		s := row.Get(column)
		if s == "" {
			return decimal.NullDecimal{}
		}
		d, err := decimal.NewFromString(s)
		if err != nil {
			fail(column, "not a decimal number")
			return decimal.NullDecimal{}
		}
		return decimal.NewNullDecimal(d)
	}
	a.Constraint.Min, a.Constraint.Max = bound("min"), bound("max")
	if c := a.Constraint; c.Min.Valid && c.Max.Valid && c.Min.Decimal.GreaterThan(c.Max.Decimal) {
		fail("min", "min above max")
	}
	switch s := strings.ToLower(row.Get("closed")); s {
	case "", "false":
	case "true":
		a.Closed = true
	default:
		fail("closed", "must be true, false or empty")
	}
	for key, value := range row.Prefixed(metaPrefix) {
		if value == "" {
			continue
		}
		if a.Metadata == nil {
			a.Metadata = make(map[string]string)
		}
		a.Metadata[key] = value
	}
	if ok {
		if err := a.Validate(); err != nil {
			row.Fail("", err) // unreachable while the checks above cover Validate
		}
	}
	return a
}

// parentCycles returns the cycles in the parent graph (parents[i] is the index of
// i's parent or -1), each as the indexes of its members starting with the lowest
// and following parent links, ordered by that lowest index.
func parentCycles(parents []int) [][]int {
	const (
		unvisited = iota
		onPath
		done
	)
	state := make([]int, len(parents))
	var cycles [][]int
	for start := range parents {
		var path []int
		i := start
		for i >= 0 && state[i] == unvisited {
			state[i] = onPath
			path = append(path, i)
			i = parents[i]
		}
		if i >= 0 && state[i] == onPath { // the walk came back to itself
			at := slices.Index(path, i)
			cycle := path[at:]
			low := slices.Index(cycle, slices.Min(cycle))
			cycles = append(cycles, append(slices.Clone(cycle[low:]), cycle[:low]...))
		}
		for _, j := range path {
			state[j] = done
		}
	}
	slices.SortFunc(cycles, func(a, b []int) int { return a[0] - b[0] })
	return cycles
}

// parentsFirst orders accounts so that every parent precedes its children: of
// the accounts whose parent is already placed, the one earliest in the file comes
// next. parents must be free of cycles.
func parentsFirst(accounts []Account, parents []int) []Account {
	children := make([][]int, len(accounts))
	var ready []int // sorted ascending
	for i, p := range parents {
		if p < 0 {
			ready = append(ready, i)
		} else {
			children[p] = append(children[p], i)
		}
	}
	out := make([]Account, 0, len(accounts))
	for len(ready) > 0 {
		i := ready[0]
		ready = ready[1:]
		out = append(out, accounts[i])
		for _, c := range children[i] {
			at, _ := slices.BinarySearch(ready, c)
			ready = slices.Insert(ready, at, c)
		}
	}
	return out
}

// chartError turns the reader's problems into ledger errors: problems the reader
// found itself (CSV syntax, encoding, columns) are made to wrap ErrInvalid too.
func chartError(err error) error {
	var list csvio.Errors
	if !errors.As(err, &list) {
		return fmt.Errorf("read chart: %w", err)
	}
	out := make(csvio.Errors, len(list))
	for i, fe := range list {
		out[i] = fe
		if isReaderProblem(fe.Err) {
			out[i] = &csvio.FieldError{Row: fe.Row, Column: fe.Column, Err: fmt.Errorf("%w: %w", ErrInvalid, fe.Err)}
		}
	}
	return out
}

// isReaderProblem reports whether err is a problem with the file's form that
// csvio found.
func isReaderProblem(err error) bool {
	for _, s := range []error{csvio.ErrEmpty, csvio.ErrEncoding, csvio.ErrSyntax, csvio.ErrFieldCount,
		csvio.ErrMissingColumn, csvio.ErrUnknownColumn, csvio.ErrDuplicateColumn} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// DefaultChart returns a small general-purpose chart of accounts in English for
// book, with a hierarchy of group accounts, the meta.role entries other packages
// look accounts up by, and a meta.cashflow class on every account (see
// charts/README.md). It returns new values on every call; book is checked by
// Ledger.CreateAccounts, not here. DefaultChart is safe for concurrent use.
func DefaultChart(book string) []Account { return shippedChart("default.csv", book) }

// SKR03 returns the core accounts of the DATEV standard chart SKR03 (process
// structure, the most common chart of German small and medium companies) for
// book: DATEV account numbers and German names, with meta.role, meta.cashflow
// and meta.hgb (the HGB §266/§275 line) entries. It is not the full DATEV chart;
// see charts/README.md. It returns new values on every call and is safe for
// concurrent use.
func SKR03(book string) []Account { return shippedChart("skr03.csv", book) }

// SKR04 is like SKR03 for the DATEV standard chart SKR04 (balance-sheet
// structure).
func SKR04(book string) []Account { return shippedChart("skr04.csv", book) }

// shippedChart parses an embedded chart for book. The files are tested to parse,
// so a failure is a build defect and panics.
func shippedChart(name, book string) []Account {
	f, err := chartFiles.Open("charts/" + name)
	if err != nil {
		panic(fmt.Sprintf("ledger: shipped chart %s: %v", name, err))
	}
	defer f.Close()
	accounts, err := ReadChart(f, "chart")
	if err != nil {
		panic(fmt.Sprintf("ledger: shipped chart %s: %v", name, err))
	}
	for i := range accounts {
		accounts[i].Book = book
	}
	return accounts
}

// ImportError is one problem found by ReadChart: the 1-based row (the header
// is row 1), the column and the cause, which wraps a ledger sentinel.
type ImportError = csvio.FieldError

// ImportErrors lists every problem ReadChart found; errors.As to it gets them all.
type ImportErrors = csvio.Errors
