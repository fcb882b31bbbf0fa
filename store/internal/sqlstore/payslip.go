package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
)

// The stored form of a payslip: the JSON of the types below, which mirror
// payroll.Payslip field by field (TestPayslipFormCoversTypes fails when a
// mirrored type gains a field). The store does not use the payroll types'
// own JSON because an amount's JSON names its currency by code only, and a
// custom currency (one registered in bo_currencies) would not decode;
// here every code is resolved through the store. Amounts are the exact
// decimal text and the code, "1234.56 EUR" ("" for the zero Amount);
// decimals keep their exponent ("2.50" stays "2.50"); nothing is a JSON
// number. The employee is the row's column, not part of the JSON.
type (
	slipJSON struct {
		PersonnelNumber string            `json:"personnel_number,omitempty"`
		Period          periodJSON        `json:"period"`
		Currency        string            `json:"currency,omitempty"`
		Pack            string            `json:"pack,omitempty"`
		PackVersion     string            `json:"pack_version,omitempty"`
		Proration       string            `json:"proration,omitempty"`
		Segments        []segmentJSON     `json:"segments,omitempty"`
		Lines           []lineJSON        `json:"lines,omitempty"`
		Gross           string            `json:"gross,omitempty"`
		PreTax          string            `json:"pre_tax_deductions,omitempty"`
		Taxes           string            `json:"taxes,omitempty"`
		PostTax         string            `json:"post_tax_deductions,omitempty"`
		Net             string            `json:"net,omitempty"`
		Employer        string            `json:"employer_contributions,omitempty"`
		Bases           map[string]string `json:"bases,omitempty"`
		YTD             accumulatorsJSON  `json:"ytd"`
	}
	periodJSON struct {
		Calendar  string    `json:"calendar,omitempty"`
		Frequency string    `json:"frequency,omitempty"`
		Year      int       `json:"year,omitempty"`
		Quarter   int       `json:"quarter,omitempty"`
		Number    int       `json:"number,omitempty"`
		Start     date.Date `json:"start,omitzero"`
		End       date.Date `json:"end,omitzero"`
		PayDate   date.Date `json:"pay_date,omitzero"`
	}
	segmentJSON struct {
		From     date.Date    `json:"from,omitzero"`
		To       date.Date    `json:"to,omitzero"`
		Contract contractJSON `json:"contract"`
		Paid     int64        `json:"paid"`
		Total    int64        `json:"total"`
	}
	contractJSON struct {
		Employee    string      `json:"employee,omitempty"`
		ValidFrom   date.Date   `json:"valid_from,omitzero"`
		ValidTo     date.Date   `json:"valid_to,omitzero"`
		RecordedAt  time.Time   `json:"recorded_at,omitzero"`
		Seq         int64       `json:"seq,omitempty"`
		PayType     string      `json:"pay_type,omitempty"`
		Amount      string      `json:"amount,omitempty"`
		Frequency   string      `json:"frequency,omitempty"`
		WeeklyHours string      `json:"weekly_hours,omitempty"`
		WorkDays    hr.Weekdays `json:"work_days,omitzero"`
		Items       []itemJSON  `json:"items,omitempty"`
	}
	itemJSON struct {
		Code   string `json:"code"`
		Kind   string `json:"kind"`
		Amount string `json:"amount"`
	}
	lineJSON struct {
		Code        string     `json:"code"`
		Kind        string     `json:"kind"`
		Basis       string     `json:"basis,omitempty"`
		Rate        string     `json:"rate,omitempty"`
		Quantity    string     `json:"quantity,omitempty"`
		Amount      string     `json:"amount,omitempty"`
		Bases       []string   `json:"bases,omitempty"`
		Account     string     `json:"account,omitempty"`
		Offset      string     `json:"offset,omitempty"`
		From        date.Date  `json:"from,omitzero"`
		To          date.Date  `json:"to,omitzero"`
		Corrects    periodJSON `json:"corrects,omitzero"`
		Pack        string     `json:"pack,omitempty"`
		PackVersion string     `json:"pack_version,omitempty"`
		Rule        string     `json:"rule,omitempty"`
		Trace       []stepJSON `json:"trace,omitempty"`
	}
	stepJSON struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	accumulatorsJSON struct {
		Year    int                    `json:"year,omitempty"`
		Quarter int                    `json:"quarter,omitempty"`
		Gross   figuresJSON            `json:"gross,omitzero"`
		Net     figuresJSON            `json:"net,omitzero"`
		Lines   map[string]figuresJSON `json:"lines,omitempty"`
		Bases   map[string]figuresJSON `json:"bases,omitempty"`
	}
	figuresJSON struct {
		Period  string `json:"period,omitempty"`
		Quarter string `json:"quarter,omitempty"`
		Year    string `json:"year,omitempty"`
	}
)

// slipEncoder encodes payslips and collects the custom currencies of their
// amounts, which the store registers before it writes them.
type slipEncoder struct {
	custom map[string]money.Currency
	err    error
}

func newSlipEncoder() *slipEncoder { return &slipEncoder{} }

// encode returns the stored JSON of s.
func (e *slipEncoder) encode(s *payroll.Payslip) (string, error) {
	e.err = nil
	v := slipJSON{
		PersonnelNumber: s.PersonnelNumber, Period: e.period(s.Period), Currency: e.currency(s.Currency),
		Pack: s.Pack, PackVersion: s.PackVersion, Proration: string(s.Proration),
		Gross: e.amount(s.Gross), PreTax: e.amount(s.PreTaxDeductions), Taxes: e.amount(s.Taxes),
		PostTax: e.amount(s.PostTaxDeductions), Net: e.amount(s.Net), Employer: e.amount(s.EmployerContributions),
		Bases: e.amounts(s.Bases), YTD: e.accumulators(&s.YTD),
	}
	if len(s.Segments) > 0 {
		v.Segments = make([]segmentJSON, len(s.Segments))
		for i, g := range s.Segments {
			v.Segments[i] = segmentJSON{From: g.From, To: g.To, Contract: e.contract(&g.Contract), Paid: g.Paid, Total: g.Total}
		}
	}
	if len(s.Lines) > 0 {
		v.Lines = make([]lineJSON, len(s.Lines))
		for i := range s.Lines {
			l := &s.Lines[i]
			j := lineJSON{Code: l.Code, Kind: string(l.Kind), Basis: e.amount(l.Basis), Rate: decimalText(l.Rate),
				Quantity: decimalText(l.Quantity), Amount: e.amount(l.Amount), Bases: l.Bases, Account: l.Account,
				Offset: l.Offset, From: l.From, To: l.To, Corrects: e.period(l.Corrects),
				Pack: l.Pack, PackVersion: l.PackVersion, Rule: l.Rule}
			if len(l.Trace) > 0 {
				j.Trace = make([]stepJSON, len(l.Trace))
				for k, st := range l.Trace {
					j.Trace[k] = stepJSON(st)
				}
			}
			v.Lines[i] = j
		}
	}
	if e.err != nil {
		return "", e.err
	}
	b, err := json.Marshal(v)
	return string(b), err
}

func (e *slipEncoder) currency(c money.Currency) string {
	if c.IsZero() {
		return ""
	}
	if iso, err := money.ParseCurrency(c.Code()); err != nil || iso != c {
		if e.custom == nil {
			e.custom = map[string]money.Currency{}
		}
		if prev, ok := e.custom[c.Code()]; ok && prev != c && e.err == nil {
			e.err = fmt.Errorf("two currencies with the code %s: %w", c.Code(), ledger.ErrUnknownCurrency)
		}
		e.custom[c.Code()] = c
	}
	return c.Code()
}

// amount returns "1234.56 EUR", "" for the zero Amount, or the minor units
// alone for an amount without a currency.
func (e *slipEncoder) amount(a money.Amount) string {
	c := a.Currency()
	if c.IsZero() {
		if a.MinorUnits() == 0 {
			return ""
		}
		return strconv.FormatInt(a.MinorUnits(), 10)
	}
	return a.Number() + " " + e.currency(c)
}

func (e *slipEncoder) amounts(m map[string]money.Amount) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, a := range m {
		out[k] = e.amount(a)
	}
	return out
}

func (e *slipEncoder) period(p payroll.Period) periodJSON {
	return periodJSON{Calendar: p.Calendar, Frequency: string(p.Frequency), Year: p.Year, Quarter: p.Quarter,
		Number: p.Number, Start: p.Start, End: p.End, PayDate: p.PayDate}
}

func (e *slipEncoder) contract(c *hr.Contract) contractJSON {
	j := contractJSON{Employee: c.Employee, ValidFrom: c.ValidFrom, ValidTo: c.ValidTo, RecordedAt: c.RecordedAt,
		Seq: c.Seq, PayType: string(c.PayType), Amount: e.amount(c.Amount), Frequency: string(c.Frequency),
		WeeklyHours: decimalText(c.WeeklyHours), WorkDays: c.WorkDays}
	if len(c.Items) > 0 {
		j.Items = make([]itemJSON, len(c.Items))
		for i, it := range c.Items {
			j.Items[i] = itemJSON{Code: it.Code, Kind: string(it.Kind), Amount: e.amount(it.Amount)}
		}
	}
	return j
}

func (e *slipEncoder) figures(f payroll.Figures) figuresJSON {
	return figuresJSON{Period: e.amount(f.Period), Quarter: e.amount(f.Quarter), Year: e.amount(f.Year)}
}

func (e *slipEncoder) accumulators(a *payroll.Accumulators) accumulatorsJSON {
	j := accumulatorsJSON{Year: a.Year, Quarter: a.Quarter, Gross: e.figures(a.Gross), Net: e.figures(a.Net)}
	fm := func(m map[string]payroll.Figures) map[string]figuresJSON {
		if len(m) == 0 {
			return nil
		}
		out := make(map[string]figuresJSON, len(m))
		for k, f := range m {
			out[k] = e.figures(f)
		}
		return out
	}
	j.Lines, j.Bases = fm(a.Lines), fm(a.Bases)
	return j
}

// decimalText returns d with its exponent kept: "2.50" for 250×10⁻²,
// "25e3" for 25×10³; "" for the zero Decimal.
func decimalText(d decimal.Decimal) string {
	switch exp := d.Exponent(); {
	case exp == 0 && d.IsZero():
		return ""
	case exp <= 0:
		return d.StringFixed(-exp)
	default:
		return d.Coefficient().String() + "e" + strconv.Itoa(int(exp))
	}
}

// slipDecoder decodes stored payslips, resolving currency codes through
// the transaction (bo_currencies for custom ones).
type slipDecoder struct {
	ctx  context.Context
	t    *tx
	curs map[string]money.Currency
	err  error
	// record names what is decoded in errors: "payslip" if empty.
	record string
}

func (x *payTx) decoder(ctx context.Context) *slipDecoder {
	return &slipDecoder{ctx: ctx, t: x.t, curs: map[string]money.Currency{}}
}

// errSlip is the error of a stored payslip that does not decode.
func (d *slipDecoder) errSlip(what string) error {
	record := d.record
	if record == "" {
		record = "payslip"
	}
	return fmt.Errorf("%s store: stored %s: %s: %w", d.t.s.d.Name, record, what, ledger.ErrTampered)
}

// decode returns the payslip of employee stored as body.
func (d *slipDecoder) decode(employee string, body []byte) (payroll.Payslip, error) {
	var v slipJSON
	if err := json.Unmarshal(body, &v); err != nil {
		return payroll.Payslip{}, d.errSlip("not a JSON payslip")
	}
	d.err = nil
	s := payroll.Payslip{
		Employee: employee, PersonnelNumber: v.PersonnelNumber, Period: d.period(v.Period), Currency: d.currency(v.Currency),
		Pack: v.Pack, PackVersion: v.PackVersion, Proration: payroll.ProrationMethod(v.Proration),
		Gross: d.amount(v.Gross), PreTaxDeductions: d.amount(v.PreTax), Taxes: d.amount(v.Taxes),
		PostTaxDeductions: d.amount(v.PostTax), Net: d.amount(v.Net), EmployerContributions: d.amount(v.Employer),
		YTD: d.accumulators(&v.YTD),
	}
	if len(v.Bases) > 0 {
		s.Bases = make(map[string]money.Amount, len(v.Bases))
		for k, a := range v.Bases {
			s.Bases[k] = d.amount(a)
		}
	}
	if len(v.Segments) > 0 {
		s.Segments = make([]payroll.Segment, len(v.Segments))
		for i, g := range v.Segments {
			s.Segments[i] = payroll.Segment{From: g.From, To: g.To, Contract: d.contract(&g.Contract), Paid: g.Paid, Total: g.Total}
		}
	}
	if len(v.Lines) > 0 {
		s.Lines = make([]payroll.Line, len(v.Lines))
		for i := range v.Lines {
			j := &v.Lines[i]
			l := payroll.Line{Code: j.Code, Kind: payroll.Kind(j.Kind), Basis: d.amount(j.Basis), Rate: d.decimal(j.Rate),
				Quantity: d.decimal(j.Quantity), Amount: d.amount(j.Amount), Bases: j.Bases, Account: j.Account,
				Offset: j.Offset, From: j.From, To: j.To, Corrects: d.period(j.Corrects),
				Pack: j.Pack, PackVersion: j.PackVersion, Rule: j.Rule}
			if len(j.Trace) > 0 {
				l.Trace = make([]payroll.Step, len(j.Trace))
				for k, st := range j.Trace {
					l.Trace[k] = payroll.Step(st)
				}
			}
			s.Lines[i] = l
		}
	}
	if d.err != nil {
		return payroll.Payslip{}, d.err
	}
	return s, nil
}

func (d *slipDecoder) fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

func (d *slipDecoder) currency(code string) money.Currency {
	if code == "" {
		return money.Currency{}
	}
	if c, ok := d.curs[code]; ok {
		return c
	}
	c, err := d.t.currency(d.ctx, code)
	if err != nil {
		d.fail(err)
		return money.Currency{}
	}
	d.curs[code] = c
	return c
}

func (d *slipDecoder) amount(s string) money.Amount {
	if s == "" {
		return money.Amount{}
	}
	num, code, ok := strings.Cut(s, " ")
	if !ok {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			d.fail(d.errSlip("malformed amount"))
		}
		return money.New(n, money.Currency{})
	}
	c := d.currency(code)
	if c.IsZero() {
		return money.Amount{}
	}
	a, err := money.Parse(num, c)
	if err != nil {
		d.fail(d.errSlip("malformed amount"))
	}
	return a
}

func (d *slipDecoder) decimal(s string) decimal.Decimal {
	if s == "" {
		return decimal.Decimal{}
	}
	v, err := decimal.NewFromString(s)
	if err != nil {
		d.fail(d.errSlip("malformed decimal"))
	}
	return v
}

func (d *slipDecoder) period(p periodJSON) payroll.Period {
	return payroll.Period{Calendar: p.Calendar, Frequency: hr.Frequency(p.Frequency), Year: p.Year, Quarter: p.Quarter,
		Number: p.Number, Start: p.Start, End: p.End, PayDate: p.PayDate}
}

func (d *slipDecoder) contract(j *contractJSON) hr.Contract {
	c := hr.Contract{Employee: j.Employee,
		Effective: hr.Effective{ValidFrom: j.ValidFrom, ValidTo: j.ValidTo, RecordedAt: j.RecordedAt, Seq: j.Seq},
		PayType:   hr.PayType(j.PayType), Amount: d.amount(j.Amount), Frequency: hr.Frequency(j.Frequency),
		WeeklyHours: d.decimal(j.WeeklyHours), WorkDays: j.WorkDays}
	if len(j.Items) > 0 {
		c.Items = make([]hr.PayItem, len(j.Items))
		for i, it := range j.Items {
			c.Items[i] = hr.PayItem{Code: it.Code, Kind: hr.ItemKind(it.Kind), Amount: d.amount(it.Amount)}
		}
	}
	return c
}

func (d *slipDecoder) figures(f figuresJSON) payroll.Figures {
	return payroll.Figures{Period: d.amount(f.Period), Quarter: d.amount(f.Quarter), Year: d.amount(f.Year)}
}

func (d *slipDecoder) accumulators(j *accumulatorsJSON) payroll.Accumulators {
	a := payroll.Accumulators{Year: j.Year, Quarter: j.Quarter, Gross: d.figures(j.Gross), Net: d.figures(j.Net)}
	fm := func(m map[string]figuresJSON) map[string]payroll.Figures {
		if len(m) == 0 {
			return nil
		}
		out := make(map[string]payroll.Figures, len(m))
		for k, f := range m {
			out[k] = d.figures(f)
		}
		return out
	}
	a.Lines, a.Bases = fm(j.Lines), fm(j.Bases)
	return a
}
