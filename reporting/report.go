package reporting

import (
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

// Kind names a report. Its string is the stable identifier used in file
// names, CSV/JSON output and the books tool ("trial-balance", …).
type Kind string

// The reports this package builds.
const (
	TrialBalanceReport     Kind = "trial-balance"
	BalanceSheetReport     Kind = "balance-sheet"
	IncomeStatementReport  Kind = "income-statement"
	CashFlowReport         Kind = "cash-flow"
	GeneralLedgerReport    Kind = "general-ledger"
	AccountStatementReport Kind = "account-statement"
	PayrollRegisterReport  Kind = "payroll-register"
	PayslipReport          Kind = "payslip"
)

// Report is a finished report as plain data: a header, columns, rows of
// cells and the checks that prove it adds up. Builders compute it; renderers
// (text, CSV, JSON, xlsx) only lay it out and never compute accounting.
// A Report is a value: renderers do not modify it.
type Report struct {
	Kind    Kind
	Title   string // "Trial balance", "Bilanz", …
	Company string // the book's name
	Book    string // the book's ID
	// Currency is the one currency all Amount cells are in.
	Currency money.Currency
	// From and To are the period reported on, inclusive; From is zero for a
	// report as of a date (a balance sheet), which To then holds.
	From, To date.Date
	// Generated is when the report was built (UTC).
	Generated time.Time
	// Filter describes a restriction the rows honour, such as a dimension
	// ("cost_centre=100"), or "" for the whole book.
	Filter string
	// Language is the tag of the message catalogue the report's frame is
	// in ("de", "en"; see Messages): its titles, headings, fixed labels and
	// checks. Renderers take their own frame (header block, "Checks",
	// page footers) and the format of numbers and dates from it.
	Language string
	Columns  []Column
	Rows     []Row
	// Checks are the report's proofs (Σ debits = Σ credits, assets =
	// liabilities + equity, …), each computed from the rows by the builder.
	Checks []Check
}

// ColumnKind says how a column's cells are read: which field of Cell holds
// the value, and how a renderer formats it.
type ColumnKind uint8

const (
	TextColumn   ColumnKind = iota // Cell.Text
	AmountColumn                   // Cell.Amount, in Report.Currency
	DateColumn                     // Cell.Date
)

// Column is one column of a report.
type Column struct {
	// Key is a stable identifier for machine-readable output ("code",
	// "opening", "debit", "2026-03", …): CSV headers and JSON keys. Keys are
	// unique within a report. The text column keyed "label" holds each
	// row's label, and renderers indent it by Row.Level.
	Key   string
	Label string // the heading shown to people
	Kind  ColumnKind
	// From and To are the period an amount column covers, when columns
	// compare periods (one per month, prior year, …); zero otherwise.
	From, To date.Date
}

// RowKind says what a row is, which renderers show by style (bold totals,
// indented details).
type RowKind uint8

const (
	DetailRow   RowKind = iota // one account, posting or employee
	HeadingRow                 // a group label without amounts
	SubtotalRow                // the sum of the rows in Terms
	TotalRow                   // a grand total or result (the last word of a section)
)

// Row is one line of a report. Cells hold one Cell per Column, in order.
type Row struct {
	Kind  RowKind
	Level int // indentation: 0 is the outermost
	// Account is the account code of a detail row, if it shows one; Line is
	// the layout line ID ("A.I.2" of HGB §266, …), if the row comes from a
	// layout.
	Account string
	Line    string
	Label   string
	Cells   []Cell
	// Terms, for subtotal and total rows, are the rows (indexes into
	// Report.Rows, all before this one) whose amount cells this row adds,
	// each with its sign: every amount cell of the row equals Σ ±term. The
	// xlsx renderer writes them as formulas that recalculate to the value.
	// A Blank cell of the row is no sum and gets no formula (the balance
	// column of a general ledger's "Total" row); a Blank cell of a term
	// counts as zero (the blank credit of a debit posting).
	Terms []Term
}

// Term is one summand of a subtotal: the row at index Row of Report.Rows,
// subtracted if Neg.
type Term struct {
	Row int
	Neg bool
}

// Cell is one value. Which field holds it follows the column's Kind; Blank
// marks a cell with no value (an amount column of a heading row, say), as
// opposed to a zero.
type Cell struct {
	Text   string
	Amount money.Amount
	Date   date.Date
	Blank  bool
}

// Check is one proof a report carries: two amounts that must be equal, such
// as total debits and total credits, or that may differ by at most
// Tolerance where rounding makes them (a VAT return's tax booked against
// its rate on the base; the label then says so).
type Check struct {
	Label       string // "Σ debits = Σ credits"
	Left, Right money.Amount
	// Tolerance is the difference allowed, ≥ 0; zero (the default) means
	// Left and Right must be equal.
	Tolerance money.Amount
}

// OK reports whether the check holds: Left equals Right, or differs from it
// by at most Tolerance (in the same currency).
func (c Check) OK() bool {
	if c.Left == c.Right {
		return true
	}
	if c.Tolerance.IsZero() || c.Left.Currency() != c.Right.Currency() || c.Tolerance.Currency() != c.Left.Currency() {
		return false
	}
	d, err := c.Left.Sub(c.Right)
	if err != nil {
		return false
	}
	return d.Abs().MinorUnits() <= c.Tolerance.MinorUnits()
}

// LineRow returns the index of the row that carries the value of layout
// line id (Row.Line): the subtotal or total that closes the line's group,
// or its only row if it has no heading; -1 if no row shows the line. Use
// it to point at a line's figures (a chart of current assets): the first
// row of a line with a group is its heading, which has no amounts.
func (r Report) LineRow(id string) int {
	found := -1
	for i, row := range r.Rows {
		if row.Line == id && row.Account == "" && row.Kind != HeadingRow {
			found = i
		}
	}
	return found
}

// Column returns the index of the column keyed key (Column.Key: "opening",
// "debit", "2026-03", …), or -1 if the report has none. Address cells by
// key rather than position: columns differ between kinds, layouts and
// comparison options.
func (r Report) Column(key string) int {
	for i := range r.Columns {
		if r.Columns[i].Key == key {
			return i
		}
	}
	return -1
}

// Cell returns row's cell in the column keyed key, and false if the report
// has no such column (or the row no cell for it).
func (r Report) Cell(row Row, key string) (Cell, bool) {
	i := r.Column(key)
	if i < 0 || i >= len(row.Cells) {
		return Cell{}, false
	}
	return row.Cells[i], true
}

// AccountRow returns the index of the detail row of account code, or -1 if
// no detail row shows it.
func (r Report) AccountRow(code string) int {
	for i := range r.Rows {
		if r.Rows[i].Kind == DetailRow && r.Rows[i].Account == code {
			return i
		}
	}
	return -1
}
