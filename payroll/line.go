package payroll

import (
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
)

// Kind classifies a payslip line: how its amount enters gross and net pay.
// Kinds are stable strings, fit to store.
type Kind string

// Line kinds. A line's Amount is positive in the kind's usual direction (an
// earning is paid, a deduction or tax withheld, a contribution owed); a
// negative amount goes the other way (a correction, a refund).
const (
	// Earning is pay: it adds to gross pay.
	Earning Kind = "earning"
	// PreTaxDeduction is withheld from gross pay and reduces the bases it
	// lists (a pension deferral reduces the taxable base).
	PreTaxDeduction Kind = "pre_tax_deduction"
	// Tax is a tax or an employee contribution withheld from pay.
	Tax Kind = "tax"
	// PostTaxDeduction is withheld from pay after tax (a garnishment).
	PostTaxDeduction Kind = "post_tax_deduction"
	// EmployerContribution is owed by the employer on top of gross pay; it
	// does not change net pay.
	EmployerContribution Kind = "employer_contribution"
	// Information changes no total; it shows a figure (a capped base) or,
	// listing bases, adds a value to them without paying it (a benefit in
	// kind that is taxed but not paid out).
	Information Kind = "information"
)

// Valid reports whether k is one of the kinds.
func (k Kind) Valid() bool {
	switch k {
	case Earning, PreTaxDeduction, Tax, PostTaxDeduction, EmployerContribution, Information:
		return true
	}
	return false
}

// takesBases reports whether lines of kind k may list bases.
func (k Kind) takesBases() bool { return k == Earning || k == PreTaxDeduction || k == Information }

// baseSign returns how a line of kind k counts in the bases it lists.
func (k Kind) baseSign() int64 {
	if k == PreTaxDeduction {
		return -1
	}
	return 1
}

// netSign returns how a line of kind k counts in net pay.
func (k Kind) netSign() int64 {
	switch k {
	case Earning:
		return 1
	case PreTaxDeduction, Tax, PostTaxDeduction:
		return -1
	}
	return 0
}

// Line is one line of a payslip. Lines are plain data, made to be stored
// and posted: Code is a stable wage-type code, Account and Offset are ledger
// account codes, and Pack, PackVersion and Rule record what made the line.
type Line struct {
	// Code is the line's wage type, stable across pack versions: "salary",
	// "overtime", "tax", "social.employee". Accumulators sum by it.
	Code string
	// Kind says how Amount enters the totals.
	Kind Kind
	// Basis is the amount a rate was applied to, if any (the taxable base
	// for a tax); the zero Amount otherwise.
	Basis money.Amount
	// Rate is the rate applied to Basis or the per-unit rate of Quantity
	// (an hourly wage), if any.
	Rate decimal.Decimal
	// Quantity is the number of units paid (hours, days), if any.
	Quantity decimal.Decimal
	// Amount is the line's amount in the pay currency.
	Amount money.Amount
	// Bases names the bases the line counts in (earnings and information
	// lines add to them, pre-tax deductions subtract). Other kinds list
	// none. The slice may be shared with the pack's configuration; never
	// modify it.
	Bases []string
	// Account is the ledger account the amount posts to: the expense
	// account of an earning, the liability account of a withholding or an
	// employer contribution; "" for lines not posted.
	Account string
	// Offset is the second account of a line that posts on both sides: the
	// expense account of an employer contribution; "" otherwise.
	Offset string
	// From and To are the days the line pays for: a stretch of the period
	// for pay split by a contract change, else the whole period.
	From, To date.Date
	// Corrects is, for a retro line, the earlier period it corrects; zero
	// otherwise.
	Corrects Period
	// Pack and PackVersion identify the rule pack version that made the
	// line; Rule the rule.
	Pack, PackVersion, Rule string
	// Trace records the intermediate values of the line's calculation, in
	// order, for the payslip and the audit.
	Trace []Step
}

// Step is one intermediate value of a line's calculation: "period
// salary" = "4800.00 EUR", "paid" = "15/31 calendar days".
type Step struct {
	Name  string
	Value string
}

// Segment is a stretch of a period with one contract version in force and
// the employee employed. A salary change in the middle of a period splits
// the period into two segments; days before the hire date or after the
// termination date belong to none.
//
// Paid and Total are the proration weights (see ProrationMethod): Paid of
// the segment's days without unpaid absence, Total of every day of the
// period, the same for all segments of a period. A segment is paid the
// fraction Paid/Total of its contract's period salary.
type Segment struct {
	From, To    date.Date
	Contract    hr.Contract
	Paid, Total int64
}

// Payslip is the result of a calculation: the lines, the totals, the bases
// and the accumulators after the period. All amounts are in Currency. The
// identity Gross = Net + PreTaxDeductions + Taxes + PostTaxDeductions
// holds to the minor unit.
//
// Lines holds the lines the rules added, in order, then the retro lines
// of the input. Bases are this period's own bases (retro lines, which
// belong to earlier periods, are not in them but are in YTD).
type Payslip struct {
	Employee        string // the employee's ID
	PersonnelNumber string
	Period          Period
	Currency        money.Currency
	Pack            string
	PackVersion     string
	// Proration is the proration method used.
	Proration ProrationMethod
	Segments  []Segment
	Lines     []Line

	Gross                 money.Amount // Σ earnings
	PreTaxDeductions      money.Amount // Σ pre-tax deductions
	Taxes                 money.Amount // Σ taxes and employee contributions
	PostTaxDeductions     money.Amount // Σ post-tax deductions
	Net                   money.Amount // Gross − the three above: the pay to transfer
	EmployerContributions money.Amount // Σ employer contributions

	// Bases are the values of the bases after all rules, by name.
	Bases map[string]money.Amount
	// YTD are the accumulators including this payslip.
	YTD Accumulators
}

// Sum returns the sum of the amounts of the lines with the given code
// (retro lines included), zero in the payslip's currency if there are none.
// It fails with money.ErrOverflow if the sum is out of range.
func (p *Payslip) Sum(code string) (money.Amount, error) {
	return sumCode(p.Currency, p.Lines, code, true)
}

// sumCode sums the lines with code; withRetro includes retro lines.
func sumCode(c money.Currency, lines []Line, code string, withRetro bool) (money.Amount, error) {
	s := money.Zero(c)
	for i := range lines {
		if lines[i].Code == code && (withRetro || lines[i].Corrects.IsZero()) {
			var err error
			if s, err = s.Add(lines[i].Amount); err != nil {
				return money.Amount{}, err
			}
		}
	}
	return s, nil
}
