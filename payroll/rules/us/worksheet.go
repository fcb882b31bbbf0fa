package us

import (
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
)

// Frequency is a pay frequency of Publication 15-T's Worksheet 1A, line
// 1b (Table 3). It is a stable string.
type Frequency string

// Pay frequencies and their periods per year.
const (
	Daily       Frequency = "daily"       // 260
	Weekly      Frequency = "weekly"      // 52
	Biweekly    Frequency = "biweekly"    // 26
	Semimonthly Frequency = "semimonthly" // 24
	Monthly     Frequency = "monthly"     // 12
	Quarterly   Frequency = "quarterly"   // 4
	Semiannual  Frequency = "semiannual"  // 2
	Annual      Frequency = "annual"      // 1
)

// PeriodsPerYear returns the number of pay periods a year of the
// frequency, 0 for an unknown one.
func (f Frequency) PeriodsPerYear() int {
	switch f {
	case Daily:
		return 260
	case Weekly:
		return 52
	case Biweekly:
		return 26
	case Semimonthly:
		return 24
	case Monthly:
		return 12
	case Quarterly:
		return 4
	case Semiannual:
		return 2
	case Annual:
		return 1
	}
	return 0
}

// FrequencyOf returns the frequency of a pay calendar's frequency, "" for
// an unknown one.
func FrequencyOf(f hr.Frequency) Frequency {
	switch f {
	case hr.Weekly:
		return Weekly
	case hr.Biweekly:
		return Biweekly
	case hr.Semimonthly:
		return Semimonthly
	case hr.MonthlyPay:
		return Monthly
	}
	return ""
}

// Rounding is how the amount to withhold is rounded. Worksheet 1A's own
// lines always round half up to the cent (lines 2f, 2h and 3b).
type Rounding int

const (
	// Cents, the default, withholds line 4b to the cent.
	Cents Rounding = iota
	// WholeDollars rounds line 4b half up to the nearest whole dollar, as
	// Publication 15-T allows for the percentage method.
	WholeDollars
)

// WorksheetInput is what Worksheet 1A reads.
type WorksheetInput struct {
	// Employee is the employee's ID, for errors only; may be empty.
	Employee string
	// PayDate is the day the wages are paid: it picks the year's table.
	PayDate date.Date
	// Frequency is the pay frequency (line 1b).
	Frequency Frequency
	// Wages are the taxable wages of the period (line 1a): gross pay less
	// pre-tax deductions such as 401(k) deferrals; not negative, in USD.
	Wages money.Amount
	// W4 is the employee's Form W-4.
	W4 hr.USTax
	// Rounding rounds the amount to withhold; the zero value is Cents.
	Rounding Rounding
	// Tables are the federal data by date; nil means FederalTables().
	Tables payroll.Table[Federal]
}

// Worksheet holds every line of Publication 15-T's Worksheet 1A,
// "Employer's Withholding Worksheet for Percentage Method Tables for
// Automated Payroll Systems", as the IRS numbers them, and the amount to
// withhold. Lines of the other form year than the W-4's are zero.
type Worksheet struct {
	Year   int    // the table's year
	Source string // the table's source and edition
	// Table is "standard" or "checkbox" (step 2 checked); FilingStatus the
	// column used: hr.MarriedJointly, hr.Single or hr.HeadOfHousehold.
	Table        string
	FilingStatus hr.FilingStatus
	Pre2020      bool // a Form W-4 from 2019 or earlier
	// Exempt: the form claims exemption from withholding; the worksheet
	// stops after line 1c and Withholding is zero.
	Exempt bool

	// Step 1: the Adjusted Annual Wage Amount.
	Line1a money.Amount // taxable wages this period
	Line1b int          // pay periods per year
	Line1c money.Amount // 1a × 1b
	// Forms W-4 from 2020 or later.
	Line1d money.Amount // step 4(a)
	Line1e money.Amount // 1c + 1d
	Line1f money.Amount // step 4(b)
	Line1g money.Amount // 12,900 (MFJ), 8,600 (other), 0 if step 2 is checked
	Line1h money.Amount // 1f + 1g
	Line1i money.Amount // 1e − 1h, not below zero
	// Forms W-4 from 2019 or earlier.
	Line1j int          // allowances
	Line1k money.Amount // 1j × 4,300
	Line1l money.Amount // 1c − 1k, not below zero

	// Step 2: the Tentative Withholding Amount.
	Line2a money.Amount    // 1i or 1l
	Line2b money.Amount    // column A of the row: at least
	Line2c money.Amount    // column C: tentative amount
	Line2d decimal.Decimal // column D: the rate, a fraction
	Line2e money.Amount    // 2a − 2b
	Line2f money.Amount    // 2e × 2d, half up to the cent
	Line2g money.Amount    // 2c + 2f
	Line2h money.Amount    // 2g ÷ 1b, half up to the cent

	// Step 3: tax credits.
	Line3a money.Amount // step 3 (zero for a pre-2020 form)
	Line3b money.Amount // 3a ÷ 1b, half up to the cent
	Line3c money.Amount // 2h − 3b, not below zero

	// Step 4: the final amount.
	Line4a money.Amount // step 4(c) (line 6 of a pre-2020 form)
	Line4b money.Amount // 3c + 4a

	// Withholding is the amount to withhold: Line4b, rounded to whole
	// dollars if asked.
	Withholding money.Amount
}

// Worksheet1A works Publication 15-T's Worksheet 1A for one payment and
// returns every line. For a Form W-4 from 2020 or later it annualises the
// wages, adds step 4(a), subtracts step 4(b) and the line-1g amount, looks
// the result up in the annual table (standard or step-2 checkbox, by
// filing status), divides by the periods, subtracts the step-3 credits per
// period (not below zero) and adds step 4(c). For a form from 2019 or
// earlier it subtracts 4,300 per allowance from the annual wages and uses
// the standard table: married for hr.MarriedJointly, single for hr.Single
// and hr.MarriedSingleRate.
//
// It fails with a *FieldError naming in.Employee and the field: wrapping
// ErrInvalidW4 for an unusable W-4 (see ErrInvalidW4), ErrNoTable for a
// payment date no table covers, payroll.ErrInvalidInput for negative or
// non-USD wages or an unknown frequency. It is pure and safe for
// concurrent use.
func Worksheet1A(in WorksheetInput) (Worksheet, error) {
	tables := in.Tables
	if tables == nil {
		tables = FederalTables()
	}
	fed, err := federalOn(tables, in.PayDate, in.Employee)
	if err != nil {
		return Worksheet{}, err
	}
	return worksheet(&in, fed)
}

// federalOn returns the entry of tables for the payment date d.
func federalOn(tables payroll.Table[Federal], d date.Date, employee string) (*Federal, error) {
	if d.IsZero() {
		return nil, fieldErr(employee, "pay_date", ErrNoTable, "no payment date")
	}
	f, ok := tables.At(d)
	if ok && f.Year == d.Year() {
		return &f, nil
	}
	return nil, fieldErr(employee, "pay_date", ErrNoTable, "no federal table for the payment date's year")
}

// w4 is a checked Form W-4: the table and column to use.
type w4 struct {
	form   hr.USTax
	status hr.FilingStatus // the table column
	table  string
}

// checkW4 checks a Form W-4 and normalises its zero amounts to USD.
func checkW4(employee string, u hr.USTax) (w4, error) {
	bad := func(field, reason string) (w4, error) { return w4{}, fieldErr(employee, field, ErrInvalidW4, reason) }
	w := w4{form: u, table: "standard"}
	switch u.FilingStatus {
	case hr.Single, hr.MarriedJointly:
		w.status = u.FilingStatus
	case hr.HeadOfHousehold:
		if u.Pre2020 {
			return bad("filing_status", "head of household is not on a Form W-4 from 2019 or earlier")
		}
		w.status = u.FilingStatus
	case hr.MarriedSingleRate:
		if !u.Pre2020 {
			return bad("filing_status", "married at the single rate is only on a Form W-4 from 2019 or earlier")
		}
		w.status = hr.Single
	default:
		return bad("filing_status", "unknown filing status")
	}
	for _, f := range []struct {
		name string
		a    *money.Amount
	}{{"dependents", &w.form.Dependents}, {"other_income", &w.form.OtherIncome},
		{"deductions", &w.form.Deductions}, {"extra_withholding", &w.form.ExtraWithholding}} {
		switch {
		case f.a.Currency().IsZero() && f.a.IsZero():
			*f.a = money.Zero(money.USD)
		case f.a.Currency() != money.USD:
			return bad(f.name, "not in USD")
		case f.a.IsNegative():
			return bad(f.name, "negative")
		case u.Pre2020 && !f.a.IsZero() && f.name != "extra_withholding":
			return bad(f.name, "a step of a Form W-4 from 2020 or later on a form from 2019 or earlier")
		}
	}
	switch {
	case u.Allowances < 0 || u.Allowances > 99:
		return bad("allowances", "want 0–99")
	case !u.Pre2020 && u.Allowances != 0:
		return bad("allowances", "allowances of a Form W-4 from 2019 or earlier on a form from 2020 or later")
	case u.Pre2020 && u.MultipleJobs:
		return bad("multiple_jobs", "step 2 of a Form W-4 from 2020 or later on a form from 2019 or earlier")
	case u.Exempt && (u.MultipleJobs || u.Allowances != 0 || !w.form.Dependents.IsZero() || !w.form.OtherIncome.IsZero() ||
		!w.form.Deductions.IsZero() || !w.form.ExtraWithholding.IsZero()):
		return bad("exempt", "an exempt Form W-4 has no steps 2 to 4 and no allowances")
	}
	if u.MultipleJobs {
		w.table = "checkbox"
	}
	return w, nil
}

// worksheet works Worksheet 1A with the year's data.
func worksheet(in *WorksheetInput, fed *Federal) (Worksheet, error) {
	n := in.Frequency.PeriodsPerYear()
	switch {
	case n == 0:
		return Worksheet{}, fieldErr(in.Employee, "frequency", payroll.ErrInvalidInput, "unknown pay frequency")
	case in.Wages.Currency() != money.USD && !(in.Wages.Currency().IsZero() && in.Wages.IsZero()):
		return Worksheet{}, fieldErr(in.Employee, "wages", payroll.ErrInvalidInput, "not in USD")
	case in.Wages.IsNegative():
		return Worksheet{}, fieldErr(in.Employee, "wages", payroll.ErrInvalidInput, "negative")
	}
	w, err := checkW4(in.Employee, in.W4)
	if err != nil {
		return Worksheet{}, err
	}
	zero := money.Zero(money.USD)
	ws := Worksheet{Year: fed.Year, Source: fed.Source, Table: w.table, FilingStatus: w.status, Pre2020: w.form.Pre2020,
		Line1a: in.Wages, Line1b: n}
	if ws.Line1a.Currency().IsZero() {
		ws.Line1a = zero
	}
	must := newAcc()
	ws.Line1c = must.mul(ws.Line1a, int64(n))
	if w.form.Exempt {
		// No federal income tax is withheld (Pub. 15-T, "Exemption from
		// withholding"); FICA and FUTA are not the worksheet's business.
		ws.Exempt, ws.Withholding = true, zero
		return ws, must.err
	}
	if w.form.Pre2020 {
		ws.Line1j = w.form.Allowances
		ws.Line1k = must.mul(fed.Allowance, int64(w.form.Allowances))
		ws.Line1l = atLeastZero(must.sub(ws.Line1c, ws.Line1k))
		ws.Line2a = ws.Line1l
		ws.Line3a = zero
	} else {
		ws.Line1d = w.form.OtherIncome
		ws.Line1e = must.add(ws.Line1c, ws.Line1d)
		ws.Line1f = w.form.Deductions
		switch {
		case w.form.MultipleJobs:
			ws.Line1g = zero
		case w.status == hr.MarriedJointly:
			ws.Line1g = fed.Line1gJoint
		default:
			ws.Line1g = fed.Line1gOther
		}
		ws.Line1h = must.add(ws.Line1f, ws.Line1g)
		ws.Line1i = atLeastZero(must.sub(ws.Line1e, ws.Line1h))
		ws.Line2a = ws.Line1i
		ws.Line3a = w.form.Dependents
	}
	tables := fed.Standard
	if w.table == "checkbox" {
		tables = fed.Checkbox
	}
	row, ok := tables[w.status].row(ws.Line2a)
	if !ok {
		return Worksheet{}, fieldErr(in.Employee, "pay_date", ErrNoTable, "the year's table has no row for the wage")
	}
	ws.Line2b, ws.Line2c, ws.Line2d = row.AtLeast, row.Tentative, row.Rate
	ws.Line2e = must.sub(ws.Line2a, ws.Line2b)
	ws.Line2f = must.rate(ws.Line2e, ws.Line2d, money.HalfUp)
	ws.Line2g = must.add(ws.Line2c, ws.Line2f)
	ws.Line2h = must.div(ws.Line2g, int64(n), money.HalfUp)
	ws.Line3b = must.div(ws.Line3a, int64(n), money.HalfUp)
	ws.Line3c = atLeastZero(must.sub(ws.Line2h, ws.Line3b))
	ws.Line4a = w.form.ExtraWithholding
	ws.Line4b = must.add(ws.Line3c, ws.Line4a)
	ws.Withholding = ws.Line4b
	if in.Rounding == WholeDollars {
		// Half up to the dollar: ÷ 100 half up to the cent, × 100.
		ws.Withholding = must.mul(must.div(ws.Line4b, 100, money.HalfUp), 100)
	}
	if must.err != nil {
		return Worksheet{}, must.err
	}
	return ws, nil
}

func atLeastZero(a money.Amount) money.Amount {
	if a.IsNegative() {
		return money.Zero(a.Currency())
	}
	return a
}

// acc chains money operations and keeps the first error (an overflow),
// so that the worksheet reads like the publication.
type acc struct{ err error }

func newAcc() *acc { return &acc{} }

func (m *acc) keep(a money.Amount, err error) money.Amount {
	if err != nil && m.err == nil {
		m.err = err
	}
	return a
}

func (m *acc) add(a, b money.Amount) money.Amount { return m.keep(a.Add(b)) }
func (m *acc) sub(a, b money.Amount) money.Amount { return m.keep(a.Sub(b)) }
func (m *acc) mul(a money.Amount, n int64) money.Amount {
	return m.keep(a.Mul(n))
}
func (m *acc) div(a money.Amount, n int64, r money.RoundingMode) money.Amount {
	return m.keep(a.Div(n, r))
}
func (m *acc) rate(a money.Amount, d decimal.Decimal, r money.RoundingMode) money.Amount {
	return m.keep(a.MulRate(d, r))
}
