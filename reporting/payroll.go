package reporting

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
)

// PayrollSource is what the payroll reports read: a pay run and the
// payslips of its current calculation. *payroll.Runs satisfies it. The
// builders only read.
//
// A source may also implement PayrollBooks, for the company's name and
// currency, and PayrollEmployees, for the employees' cost centres; combine
// them with an embedding struct:
//
//	src := struct {
//		*payroll.Runs
//		*ledger.Ledger
//		*hr.Records
//	}{runs, books, records}
type PayrollSource interface {
	// Run returns the run with the given ID, or an error wrapping
	// payroll.ErrRunNotFound.
	Run(ctx context.Context, id string) (payroll.Run, error)
	// Payslips returns the payslips of the run's current calculation,
	// ordered by employee ID; none before the first calculation.
	Payslips(ctx context.Context, id string) ([]payroll.Payslip, error)
}

var _ PayrollSource = (*payroll.Runs)(nil)

// PayrollBooks is an optional interface of a PayrollSource: the ledger book
// a run posts to, whose name heads the report (Report.Company) and whose
// currency is the report's default. *ledger.Ledger satisfies it.
type PayrollBooks interface {
	Book(ctx context.Context, id string) (ledger.Book, error)
}

// PayrollEmployees is an optional interface of a PayrollSource: the
// employees' master data as recorded at a time. The payroll register reads
// each employee's cost centre as recorded when the run was calculated —
// the one its journal entry is posted with — and reads nothing else of it
// (no names). *hr.Records satisfies it.
type PayrollEmployees interface {
	EmployeeAsOf(ctx context.Context, id string, asOf time.Time) (hr.Employee, error)
}

var (
	_ PayrollBooks     = (*ledger.Ledger)(nil)
	_ PayrollEmployees = (*hr.Records)(nil)
)

// Errors of the payroll reports, besides payroll.ErrRunNotFound (an unknown
// run), ErrCurrency and ErrOption; each comes in a *PayrollError.
var (
	// ErrNotCalculated: the run has not been calculated yet, so it has no
	// payslips to report.
	ErrNotCalculated = errors.New("reporting: pay run not calculated")
	// ErrNotInRun: the run has no payslip for the employee (not paid by the
	// run, or its calculation failed for them: then the error also wraps
	// the run's payroll.Problem).
	ErrNotInRun = errors.New("reporting: employee not in the pay run")
)

// PayrollError is the error of a payroll report: the report, the run and,
// for a payslip, the employee, and the cause, which wraps
// payroll.ErrRunNotFound, ErrNotCalculated, ErrNotInRun, ErrCurrency,
// ErrOption or the source's own error.
type PayrollError struct {
	Op  string // "payroll register" or "payslip"
	Run string // the run's ID
	// Employee is the employee's ID, for a payslip; "" otherwise. The
	// message does not say it (an ID is free text and may be an e-mail
	// address) but hr.IDRef of it.
	Employee string
	Err      error
}

// Error returns, for example, "payslip of employee id#3c4e9a0b1f27 in run
// 2026-03: reporting: employee not in the pay run".
func (e *PayrollError) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	if e.Employee != "" {
		b.WriteString(" of employee " + hr.IDRef(e.Employee) + " in run " + e.Run)
	} else {
		b.WriteString(" of run " + e.Run)
	}
	b.WriteString(": ")
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString("failed")
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *PayrollError) Unwrap() error { return e.Err }

// PayrollRegister builds the payroll register (Lohnjournal) of a calculated
// pay run: one row per payslip with the employee's totals and the
// employer's cost, and a total row. The register is personal-data light: it
// names employees by personnel number and employee ID, never by name (join
// names from the HR records by ID where a name is needed and allowed).
//
// Columns: "label" (the personnel number; the cost centre on a subtotal
// row, "Total" on the total row), "employee" (the employee ID),
// "cost_centre" (only if any employee has one), then the amounts of
// payroll.Payslip — "gross", "pre_tax_deductions", "taxes" (taxes and
// employee contributions), "post_tax_deductions", "net",
// "employer_contributions" — and "employer_cost" = gross + employer
// contributions. Amount columns cover the run's period.
//
// If src implements PayrollEmployees, the cost centres are those recorded
// when the run was calculated; when any employee has one, rows are grouped
// by cost centre (ordered by code, employees without one last), each group
// at level 1 with a subtotal row at level 0, and the total adds the
// subtotals. Otherwise rows are at level 0 and the total adds them. Within
// a group rows are ordered by personnel number.
//
// The checks are Σ gross = Σ net + Σ deductions + Σ taxes and Σ employer
// cost = Σ gross + Σ employer contributions.
//
// The header is the run's book (its name too, if src implements
// PayrollBooks), the run's period as From–To, the pay date in the title and
// "run=ID" as Filter. The currency is opts.Currency, else the book's, else
// the payslips'; a payslip in another currency is ErrCurrency. If the
// run's last calculation failed for some employees, the register shows the
// others and Filter says how many are missing.
//
// PayrollRegister reads opts.Currency and Now; any other option is
// ErrOption. Every error is a *PayrollError: an unknown run wraps
// payroll.ErrRunNotFound, a run never calculated ErrNotCalculated. The run
// and its payslips are two reads; a calculation in between is not
// detected. It is safe for concurrent use if src is.
func PayrollRegister(ctx context.Context, src PayrollSource, runID string, opts Options) (Report, error) {
	r, err := payrollRegister(ctx, src, runID, opts)
	if err != nil {
		return Report{}, &PayrollError{Op: "payroll register", Run: runID, Err: err}
	}
	return r, nil
}

// Payslip builds the payslip of one employee (by ID) in a calculated pay
// run as a report: the lines by section — earnings, pre-tax deductions,
// taxes and contributions, post-tax deductions, each a heading row, a
// detail row per line (level 1) and a subtotal row — then the net pay total
// (gross − the three), employer contributions with their subtotal, and
// information lines (capped bases and the like, which add to nothing).
// Sections without lines are left out, except earnings. A last "Year to
// date" section shows the year's gross and net pay.
//
// Columns: "code" (the line's wage type), "label" (its description: the
// code, and for a line covering part of the period or correcting an
// earlier one, the days or the period corrected), "basis", "rate" and
// "quantity" (exact decimals as text, blank when not used), "amount" (the
// period) and "ytd" (the year to date of the line's code from
// Payslip.YTD, on the last line of each code; blank on subtotal rows,
// since the year may hold codes this payslip does not).
//
// The checks are Σ earnings = gross pay and gross − deductions − taxes =
// net, both against the totals stored with the payslip.
//
// The header is as for PayrollRegister, with the personnel number in the
// title and "run=ID, employee=ID" as Filter. Payslip reads opts.Currency
// and Now; any other option is ErrOption. Every error is a *PayrollError:
// besides those of PayrollRegister, an employee without a payslip in the
// run wraps ErrNotInRun. It is safe for concurrent use if src is.
func Payslip(ctx context.Context, src PayrollSource, runID, employee string, opts Options) (Report, error) {
	r, err := payslip(ctx, src, runID, employee, opts)
	if err != nil {
		return Report{}, &PayrollError{Op: "payslip", Run: runID, Employee: employee, Err: err}
	}
	return r, nil
}

// payrollRun reads a calculated run and its payslips and starts the report.
func payrollRun(ctx context.Context, src PayrollSource, runID string, k Kind, title string, opts Options) (Report, payroll.Run, []payroll.Payslip, error) {
	switch {
	case !opts.From.IsZero() || !opts.To.IsZero():
		return Report{}, payroll.Run{}, nil, fmt.Errorf("%w: a date range (the run's period is reported)", ErrOption)
	case opts.Dimension.Name != "":
		return Report{}, payroll.Run{}, nil, fmt.Errorf("%w: a dimension filter", ErrOption)
	case opts.Compare != NoCompare:
		return Report{}, payroll.Run{}, nil, fmt.Errorf("%w: comparison columns", ErrOption)
	case opts.Depth != 0:
		return Report{}, payroll.Run{}, nil, fmt.Errorf("%w: a depth", ErrOption)
	case opts.Layout != nil:
		return Report{}, payroll.Run{}, nil, fmt.Errorf("%w: a layout", ErrOption)
	case len(opts.Accounts) > 0:
		return Report{}, payroll.Run{}, nil, fmt.Errorf("%w: an account list", ErrOption)
	case opts.AccountQuery != "":
		return Report{}, payroll.Run{}, nil, fmt.Errorf("%w: an account query", ErrOption)
	case opts.ExcludeClosing:
		return Report{}, payroll.Run{}, nil, fmt.Errorf("%w: excluding closing entries", ErrOption)
	case opts.ShowZero:
		return Report{}, payroll.Run{}, nil, fmt.Errorf("%w: zero rows", ErrOption)
	}
	run, err := src.Run(ctx, runID)
	if err != nil {
		return Report{}, run, nil, err
	}
	if run.Calculation == 0 {
		return Report{}, run, nil, fmt.Errorf("%w: the run is %s", ErrNotCalculated, run.Status)
	}
	slips, err := src.Payslips(ctx, runID)
	if err != nil {
		return Report{}, run, nil, err
	}
	b := ledger.Book{ID: run.Book}
	if books, ok := src.(PayrollBooks); ok {
		if b, err = books.Book(ctx, run.Book); err != nil {
			return Report{}, run, nil, err
		}
	}
	cur := opts.Currency
	if cur.IsZero() {
		cur = b.Currency
	}
	if cur.IsZero() && len(slips) > 0 {
		cur = slips[0].Currency
	}
	if cur.IsZero() {
		return Report{}, run, nil, fmt.Errorf("%w: no currency: the run has no payslips; set Options.Currency", ErrCurrency)
	}
	for i := range slips {
		if slips[i].Currency != cur {
			return Report{}, run, nil, fmt.Errorf("%w: employee %s is paid in %s, the report is in %s",
				ErrCurrency, slips[i].Employee, slips[i].Currency.Code(), cur.Code())
		}
	}
	msg, err := language(ctx, src, run.Book, opts.Language)
	if err != nil {
		return Report{}, run, nil, err
	}
	r := header(msg, k, title, b, cur, run.Period.Start, run.Period.End, opts)
	if pd := run.Period.PayDate; !pd.IsZero() {
		r.Title = msg.Sprintf("%s, pay date %s", r.Title, msg.Date(pd))
	}
	r.addFilter("run=" + run.ID)
	return r, run, slips, nil
}

// inCur returns a in cur: a zero amount without currency becomes zero in
// cur; an amount in another currency is ErrCurrency.
func inCur(a money.Amount, cur money.Currency) (money.Amount, error) {
	if a.Currency() == cur {
		return a, nil
	}
	if a.IsZero() && a.Currency().IsZero() {
		return money.Zero(cur), nil
	}
	return money.Amount{}, fmt.Errorf("%w: an amount in %s, the report is in %s", ErrCurrency, a.Currency().Code(), cur.Code())
}

func payrollRegister(ctx context.Context, src PayrollSource, runID string, opts Options) (Report, error) {
	r, run, slips, err := payrollRun(ctx, src, runID, PayrollRegisterReport, "Payroll register", opts)
	if err != nil {
		return Report{}, err
	}
	msg := MessagesFor(r.Language)
	if n := len(run.Problems); n > 0 {
		r.addFilter(strconv.Itoa(n) + " employee(s) not calculated")
	}
	centre := make([]string, len(slips))
	grouped := false
	if emps, ok := src.(PayrollEmployees); ok {
		for i := range slips {
			e, err := emps.EmployeeAsOf(ctx, slips[i].Employee, run.CalculatedAt)
			if err != nil {
				return Report{}, err
			}
			centre[i] = e.CostCentre
			grouped = grouped || e.CostCentre != ""
		}
	}
	cur := r.Currency

	const namt = 7 // gross … employer cost
	type line struct {
		number, id, centre string
		amts               [namt]money.Amount
	}
	lines := make([]line, len(slips))
	for i := range slips {
		s := &slips[i]
		l := line{number: s.PersonnelNumber, id: s.Employee, centre: centre[i]}
		for k, a := range []money.Amount{s.Gross, s.PreTaxDeductions, s.Taxes, s.PostTaxDeductions, s.Net, s.EmployerContributions} {
			if l.amts[k], err = inCur(a, cur); err != nil {
				return Report{}, fmt.Errorf("employee %s: %w", s.Employee, err)
			}
		}
		if l.amts[6], err = l.amts[0].Add(l.amts[5]); err != nil {
			return Report{}, fmt.Errorf("employee %s: %w", s.Employee, err)
		}
		lines[i] = l
	}
	slices.SortStableFunc(lines, func(a, b line) int {
		if grouped && a.centre != b.centre {
			switch {
			case a.centre == "":
				return 1
			case b.centre == "":
				return -1
			}
			return cmp.Compare(a.centre, b.centre)
		}
		return cmp.Or(cmp.Compare(a.number, b.number), cmp.Compare(a.id, b.id))
	})

	r.Columns = []Column{
		{Key: "label", Label: msg.Text("Personnel no."), Kind: TextColumn},
		{Key: "employee", Label: msg.Text("Employee ID"), Kind: TextColumn},
	}
	if grouped {
		r.Columns = append(r.Columns, Column{Key: "cost_centre", Label: msg.Text("Cost centre"), Kind: TextColumn})
	}
	for _, c := range [namt][2]string{
		{"gross", "Gross pay"}, {"pre_tax_deductions", "Pre-tax deductions"}, {"taxes", "Taxes and contributions"},
		{"post_tax_deductions", "Post-tax deductions"}, {"net", "Net pay"},
		{"employer_contributions", "Employer contributions"}, {"employer_cost", "Employer cost"},
	} {
		r.Columns = append(r.Columns, Column{Key: c[0], Label: msg.Text(c[1]), Kind: AmountColumn, From: r.From, To: r.To})
	}
	row := func(kind RowKind, level int, label, id, centre string, amts [namt]money.Amount, terms []Term) Row {
		cells := []Cell{textCell(label), textCell(id)}
		if grouped {
			cells = append(cells, textCell(centre))
		}
		for _, a := range amts {
			cells = append(cells, Cell{Amount: a})
		}
		return Row{Kind: kind, Level: level, Label: label, Cells: cells, Terms: terms}
	}
	total := func(sums *[namt]sum) ([namt]money.Amount, error) {
		var out [namt]money.Amount
		for k := range sums {
			if sums[k].err != nil {
				return out, sums[k].err
			}
			out[k] = money.New(sums[k].n, cur)
		}
		return out, nil
	}

	var grand [namt]sum
	var grandTerms []Term
	level := 0
	if grouped {
		level = 1
	}
	for i := 0; i < len(lines); {
		j := len(lines)
		if grouped {
			for j = i + 1; j < len(lines) && lines[j].centre == lines[i].centre; j++ {
			}
		}
		var group [namt]sum
		var terms []Term
		for _, l := range lines[i:j] {
			r.Rows = append(r.Rows, row(DetailRow, level, l.number, l.id, l.centre, l.amts, nil))
			terms = append(terms, Term{Row: len(r.Rows) - 1})
			for k, a := range l.amts {
				group[k].add(a.MinorUnits())
			}
		}
		if !grouped {
			grand, grandTerms = group, terms
			break
		}
		amts, err := total(&group)
		if err != nil {
			return Report{}, err
		}
		label := msg.Sprintf("Cost centre %s", lines[i].centre)
		if lines[i].centre == "" {
			label = msg.Text("No cost centre")
		}
		r.Rows = append(r.Rows, row(SubtotalRow, 0, label, "", lines[i].centre, amts, terms))
		grandTerms = append(grandTerms, Term{Row: len(r.Rows) - 1})
		for k, a := range amts {
			grand[k].add(a.MinorUnits())
		}
		i = j
	}
	t, err := total(&grand)
	if err != nil {
		return Report{}, err
	}
	r.Rows = append(r.Rows, row(TotalRow, 0, msg.Text("Total"), "", "", t, grandTerms))

	var withheld sum
	for _, a := range t[1:5] { // pre-tax deductions, taxes, post-tax deductions, net
		withheld.add(a.MinorUnits())
	}
	var cost sum
	cost.add(t[0].MinorUnits())
	cost.add(t[5].MinorUnits())
	if withheld.err != nil || cost.err != nil {
		return Report{}, money.ErrOverflow
	}
	r.Checks = []Check{
		{Label: msg.Text("Σ gross = Σ net + Σ deductions + Σ taxes"), Left: t[0], Right: money.New(withheld.n, cur)},
		{Label: msg.Text("Σ employer cost = Σ gross + Σ employer contributions"), Left: t[6], Right: money.New(cost.n, cur)},
	}
	return r, nil
}

// payslipSection is a section of a payslip report: the lines of one kind.
type payslipSection struct {
	kind            payroll.Kind
	heading, total  string
	neg, noSubtotal bool // neg: subtracted from gross for net pay
}

var payslipSections = []payslipSection{
	{kind: payroll.Earning, heading: "Earnings", total: "Gross pay"},
	{kind: payroll.PreTaxDeduction, heading: "Pre-tax deductions", total: "Total pre-tax deductions", neg: true},
	{kind: payroll.Tax, heading: "Taxes and contributions", total: "Total taxes and contributions", neg: true},
	{kind: payroll.PostTaxDeduction, heading: "Post-tax deductions", total: "Total post-tax deductions", neg: true},
	{kind: payroll.EmployerContribution, heading: "Employer contributions", total: "Total employer contributions"},
	{kind: payroll.Information, heading: "Information", noSubtotal: true},
}

func payslip(ctx context.Context, src PayrollSource, runID, employee string, opts Options) (Report, error) {
	r, run, slips, err := payrollRun(ctx, src, runID, PayslipReport, "Payslip", opts)
	if err != nil {
		return Report{}, err
	}
	msg := MessagesFor(r.Language)
	i := slices.IndexFunc(slips, func(s payroll.Payslip) bool { return s.Employee == employee })
	if i < 0 {
		for _, p := range run.Problems {
			if p.Employee == employee {
				return Report{}, fmt.Errorf("%w: %w", ErrNotInRun, p)
			}
		}
		return Report{}, ErrNotInRun
	}
	s := &slips[i]
	if s.PersonnelNumber != "" {
		r.Title = msg.Sprintf("Payslip, personnel no. %s", s.PersonnelNumber) + strings.TrimPrefix(r.Title, msg.Text("Payslip"))
	}
	r.addFilter("employee=" + s.Employee)
	cur := r.Currency
	r.Columns = []Column{
		{Key: "code", Label: msg.Text("Code"), Kind: TextColumn},
		{Key: "label", Label: msg.Text("Description"), Kind: TextColumn},
		{Key: "basis", Label: msg.Text("Basis"), Kind: AmountColumn},
		{Key: "rate", Label: msg.Text("Rate"), Kind: TextColumn},
		{Key: "quantity", Label: msg.Text("Quantity"), Kind: TextColumn},
		{Key: "amount", Label: msg.Text("Amount"), Kind: AmountColumn, From: r.From, To: r.To},
		{Key: "ytd", Label: msg.Text("Year to date"), Kind: AmountColumn},
	}
	// The YTD of a code goes on its last line.
	last := make(map[string]int, len(s.Lines))
	for j := range s.Lines {
		last[s.Lines[j].Code] = j
	}
	blank := blankCell()
	amountRow := func(kind RowKind, level int, code, label string, amount, ytd Cell, terms []Term) Row {
		return Row{Kind: kind, Level: level, Label: label, Terms: terms,
			Cells: []Cell{textCell(code), textCell(label), blank, blank, blank, amount, ytd}}
	}
	var gross, net money.Amount
	var netTerms []Term
	var netSum sum
	// netRow adds the net pay row, after the sections that make it.
	netRow := func() (money.Amount, error) {
		if netSum.err != nil {
			return money.Amount{}, netSum.err
		}
		net := money.New(netSum.n, cur)
		r.Rows = append(r.Rows, amountRow(TotalRow, 0, "", msg.Text("Net pay"), Cell{Amount: net}, blank, netTerms))
		return net, nil
	}
	for _, sec := range payslipSections {
		var idx []int
		for j := range s.Lines {
			if s.Lines[j].Kind == sec.kind {
				idx = append(idx, j)
			}
		}
		if len(idx) == 0 && sec.kind != payroll.Earning {
			continue
		}
		if (sec.kind == payroll.EmployerContribution || sec.kind == payroll.Information) && net.Currency().IsZero() {
			if net, err = netRow(); err != nil {
				return Report{}, err
			}
		}
		r.Rows = append(r.Rows, amountRow(HeadingRow, 0, "", msg.Text(sec.heading), blank, blank, nil))
		var terms []Term
		var total sum
		for _, j := range idx {
			l := &s.Lines[j]
			row, err := payslipLine(msg, l, s, cur, j == last[l.Code])
			if err != nil {
				return Report{}, fmt.Errorf("line %s: %w", l.Code, err)
			}
			r.Rows = append(r.Rows, row)
			terms = append(terms, Term{Row: len(r.Rows) - 1})
			total.add(row.Cells[5].Amount.MinorUnits())
		}
		if sec.noSubtotal {
			continue
		}
		if total.err != nil {
			return Report{}, total.err
		}
		sub := money.New(total.n, cur)
		r.Rows = append(r.Rows, amountRow(SubtotalRow, 0, "", msg.Text(sec.total), Cell{Amount: sub}, blank, terms))
		if sec.kind == payroll.EmployerContribution {
			continue
		}
		if sec.kind == payroll.Earning {
			gross = sub
		}
		netTerms = append(netTerms, Term{Row: len(r.Rows) - 1, Neg: sec.neg})
		if sec.neg {
			netSum.add(-sub.MinorUnits())
		} else {
			netSum.add(sub.MinorUnits())
		}
	}
	if net.Currency().IsZero() { // no employer contributions or information
		if net, err = netRow(); err != nil {
			return Report{}, err
		}
	}

	r.Rows = append(r.Rows, amountRow(HeadingRow, 0, "", msg.Text("Year to date"), blank, blank, nil))
	for _, f := range []struct {
		label string
		fig   payroll.Figures
	}{{"Gross pay", s.YTD.Gross}, {"Net pay", s.YTD.Net}} {
		y, err := inCur(f.fig.Year, cur)
		if err != nil {
			return Report{}, fmt.Errorf("year to date: %w", err)
		}
		r.Rows = append(r.Rows, amountRow(DetailRow, 1, "", msg.Text(f.label), blank, Cell{Amount: y}, nil))
	}

	storedGross, err := inCur(s.Gross, cur)
	if err != nil {
		return Report{}, err
	}
	storedNet, err := inCur(s.Net, cur)
	if err != nil {
		return Report{}, err
	}
	r.Checks = []Check{
		{Label: msg.Text("Σ earnings = gross pay"), Left: gross, Right: storedGross},
		{Label: msg.Text("gross − deductions − taxes = net"), Left: net, Right: storedNet},
	}
	return r, nil
}

// payslipLine returns the detail row of line l of payslip s, with the
// year to date of its code if withYTD.
func payslipLine(msg *Messages, l *payroll.Line, s *payroll.Payslip, cur money.Currency, withYTD bool) (Row, error) {
	label := l.Code // the code column shows it too: a label of its own if the catalogue has one
	if k := "wage:" + l.Code; msg.Has(k) {
		label = msg.Text(k)
	}
	switch {
	case !l.Corrects.IsZero():
		label += " (" + msg.Sprintf("retro %s", l.Corrects.Key()) + ")"
	case !l.From.IsZero() && (l.From != s.Period.Start || l.To != s.Period.End):
		label += " (" + msg.Range(l.From, l.To) + ")"
	}
	amount, err := inCur(l.Amount, cur)
	if err != nil {
		return Row{}, err
	}
	basis := blankCell()
	if !l.Basis.Currency().IsZero() || !l.Basis.IsZero() {
		a, err := inCur(l.Basis, cur)
		if err != nil {
			return Row{}, err
		}
		basis = Cell{Amount: a}
	}
	rate, qty := blankCell(), blankCell()
	if !l.Rate.IsZero() {
		rate = textCell(rateText(msg, l))
	}
	if !l.Quantity.IsZero() {
		qty = textCell(l.Quantity.String())
	}
	ytd := blankCell()
	if f, ok := s.YTD.Lines[l.Code]; ok && withYTD {
		a, err := inCur(f.Year, cur)
		if err != nil {
			return Row{}, err
		}
		ytd = Cell{Amount: a}
	}
	return Row{Kind: DetailRow, Level: 1, Label: label,
		Cells: []Cell{textCell(l.Code), textCell(label), basis, rate, qty, {Amount: amount}, ytd}}, nil
}

// rateText writes a line's rate: applied to a basis, as a percentage in
// the report's number format ("9.3 %", "9,3 %"), exact, without rounding;
// per unit of a quantity, as the number it is.
func rateText(msg *Messages, l *payroll.Line) string {
	if l.Basis.Currency().IsZero() { // no basis: a rate per unit
		return l.Rate.String()
	}
	t := l.Rate.Shift(2).String()
	if dec := msg.Format().Decimal; dec != '.' {
		t = strings.Replace(t, ".", string(dec), 1)
	}
	return t + " %"
}
