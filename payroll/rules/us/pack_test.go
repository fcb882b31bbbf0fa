package us_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/payroll/rules/us"
)

func usd(s string) money.Amount { return money.MustParse(s, money.USD) }

// monthlyInput is a monthly salary paid on the period's last day of a
// calendar by pay date, in the month of day.
func monthlyInput(t testing.TB, day string, salary string, items []hr.PayItem, w4 hr.USTax, ytd payroll.Accumulators) payroll.Input {
	t.Helper()
	cal := payroll.Calendar{ID: "monthly", Frequency: hr.MonthlyPay, YearBasis: payroll.ByPayDate}
	period, err := cal.PeriodOf(date.MustParse(day))
	if err != nil {
		t.Fatal(err)
	}
	emp := hr.Employee{ID: "acme/7", PersonnelNumber: "7", HireDate: date.New(2020, 1, 1)}
	ct := hr.Contract{Employee: emp.ID, Effective: hr.Effective{ValidFrom: emp.HireDate}, PayType: hr.Monthly,
		Amount: usd(salary), Frequency: hr.MonthlyPay, WeeklyHours: decimal.NewFromInt(40), WorkDays: hr.MondayToFriday,
		Items: items}
	return payroll.Input{Employee: emp, Period: period, Currency: money.USD,
		Contracts:  hr.Timeline([]hr.Contract{ct}, time.Time{}),
		TaxProfile: hr.TaxProfile{Employee: emp.ID, Jurisdiction: "US", US: w4},
		YTD:        ytd}
}

// ytd returns accumulators for year and quarter with the given year-to-date
// bases.
func ytd(year, quarter int, bases map[string]string) payroll.Accumulators {
	a := payroll.Accumulators{Year: year, Quarter: quarter, Bases: map[string]payroll.Figures{}}
	for k, v := range bases {
		a.Bases[k] = payroll.Figures{Period: usd("0"), Quarter: usd("0"), Year: usd(v)}
	}
	return a
}

func sums(t *testing.T, s payroll.Payslip, codes ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, c := range codes {
		a, err := s.Sum(c)
		if err != nil {
			t.Fatal(err)
		}
		out[c] = a.Number()
	}
	return out
}

func mustPack(t testing.TB, cfg *us.Config) *payroll.Pack {
	t.Helper()
	p, err := us.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var single = hr.USTax{FilingStatus: hr.Single}

func TestCalculate(t *testing.T) {
	flat := &us.Config{Supplemental: us.Flat}
	all := []string{"fit", "fit.supplemental", "fit.mandatory", "social_security.wages", "social_security.employee",
		"social_security.employer", "medicare.employee", "medicare.employer", "additional_medicare.employee",
		"futa.wages", "futa.employer"}
	for _, tc := range []struct {
		name  string
		cfg   *us.Config
		day   string
		pay   string
		items []hr.PayItem
		bonus string
		w4    *hr.USTax // nil: single
		ytd   map[string]string
		want  map[string]string
	}{
		{
			// The example: 2026, 198,000 of FICA wages so far, 10,000
			// now. Social Security: the 184,500 base is passed, 0. Medicare
			// 1.45 % × 10,000 = 145.00 each. Additional Medicare: 208,000 −
			// 200,000 = 8,000 × 0.9 % = 72.00. FUTA: 7,000 passed, 0.
			// FIT: 1i 120,000 − 8,600 = 111,400; row 57,900: 5,800 + 22 % ×
			// 53,500 = 17,570.00; ÷ 12 = 1,464.17.
			name: "FICA example", day: "2026-12-01", pay: "10000",
			ytd: map[string]string{us.BaseFIT: "198000", us.BaseFICA: "198000", us.BaseFUTA: "198000"},
			want: map[string]string{"fit": "1464.17", "fit.supplemental": "0.00", "fit.mandatory": "0.00",
				"social_security.wages": "0.00", "social_security.employee": "0.00", "social_security.employer": "0.00",
				"medicare.employee": "145.00", "medicare.employer": "145.00", "additional_medicare.employee": "72.00",
				"futa.wages": "0.00", "futa.employer": "0.00"},
		},
		{
			// The Social Security base crossed within the payment: 184,500 −
			// 180,000 = 4,500 × 6.2 % = 279.00 each; Medicare 145.00 each;
			// 190,000 stays under 200,000: no Additional Medicare.
			name: "Social Security base crossed", day: "2026-11-01", pay: "10000",
			ytd: map[string]string{us.BaseFICA: "180000", us.BaseFUTA: "180000"},
			want: map[string]string{"fit": "1464.17", "fit.supplemental": "0.00", "fit.mandatory": "0.00",
				"social_security.wages": "4500.00", "social_security.employee": "279.00", "social_security.employer": "279.00",
				"medicare.employee": "145.00", "medicare.employer": "145.00", "additional_medicare.employee": "0.00",
				"futa.wages": "0.00", "futa.employer": "0.00"},
		},
		{
			// FUTA crossed: 7,000 − 5,000 = 2,000 × 0.6 % = 12.00. Social
			// Security 4,000 × 6.2 % = 248.00; Medicare 58.00.
			// FIT: 1i 48,000 − 8,600 = 39,400; row 19,900: 1,240 + 12 % × 19,500
			// = 3,580.00; ÷ 12 = 298.33.
			name: "FUTA base crossed", day: "2026-02-01", pay: "4000",
			ytd: map[string]string{us.BaseFICA: "5000", us.BaseFUTA: "5000"},
			want: map[string]string{"fit": "298.33", "fit.supplemental": "0.00", "fit.mandatory": "0.00",
				"social_security.wages": "4000.00", "social_security.employee": "248.00", "social_security.employer": "248.00",
				"medicare.employee": "58.00", "medicare.employer": "58.00", "additional_medicare.employee": "0.00",
				"futa.wages": "2000.00", "futa.employer": "12.00"},
		},
		{
			// Aggregate: 5,000 + bonus 1,000 = 6,000; 1i 72,000 − 8,600 =
			// 63,400; row 57,900: 5,800 + 22 % × 5,500 = 7,010.00; ÷ 12 = 584.17.
			// FICA on 6,000: 372.00, 87.00; FUTA 7,000 cap: 36.00.
			name: "supplemental aggregate", day: "2026-01-01", pay: "5000", bonus: "1000",
			want: map[string]string{"fit": "584.17", "fit.supplemental": "0.00", "fit.mandatory": "0.00",
				"social_security.wages": "6000.00", "social_security.employee": "372.00", "social_security.employer": "372.00",
				"medicare.employee": "87.00", "medicare.employer": "87.00", "additional_medicare.employee": "0.00",
				"futa.wages": "6000.00", "futa.employer": "36.00"},
		},
		{
			// Flat: regular 5,000: 1i 51,400; row 19,900: 1,240 + 12 % ×
			// 31,500 = 5,020.00; ÷ 12 = 418.33. Bonus 10,000 × 22 % = 2,200.00.
			// FICA on 15,000: 930.00, 217.50; FUTA on 7,000: 42.00.
			name: "supplemental flat 22 %", cfg: flat, day: "2026-01-01", pay: "5000", bonus: "10000",
			want: map[string]string{"fit": "418.33", "fit.supplemental": "2200.00", "fit.mandatory": "0.00",
				"social_security.wages": "15000.00", "social_security.employee": "930.00", "social_security.employer": "930.00",
				"medicare.employee": "217.50", "medicare.employer": "217.50", "additional_medicare.employee": "0.00",
				"futa.wages": "7000.00", "futa.employer": "42.00"},
		},
		{
			// 995,000 of supplemental wages so far, bonus 10,000: 5,000 below
			// 1,000,000 at 22 % = 1,100.00, 5,000 above at 37 % = 1,850.00.
			// FICA: base passed; Medicare 15,000 × 1.45 % = 217.50; Additional
			// 15,000 × 0.9 % = 135.00 (all of it above 200,000).
			name: "supplemental mandatory 37 %", cfg: flat, day: "2026-12-01", pay: "5000", bonus: "10000",
			ytd: map[string]string{us.BaseSupplemental: "995000", us.BaseFICA: "1200000", us.BaseFUTA: "1200000"},
			want: map[string]string{"fit": "418.33", "fit.supplemental": "1100.00", "fit.mandatory": "1850.00",
				"social_security.wages": "0.00", "social_security.employee": "0.00", "social_security.employer": "0.00",
				"medicare.employee": "217.50", "medicare.employer": "217.50", "additional_medicare.employee": "135.00",
				"futa.wages": "0.00", "futa.employer": "0.00"},
		},
		{
			// Mandatory above 1,000,000 with the aggregate method: all 10,000
			// above (1,000,000 so far) at 37 % = 3,700.00; the regular 5,000
			// alone through Worksheet 1A: 418.33.
			name: "mandatory 37 % aggregate", day: "2026-12-01", pay: "5000", bonus: "10000",
			ytd: map[string]string{us.BaseSupplemental: "1000000", us.BaseFICA: "1200000", us.BaseFUTA: "1200000"},
			want: map[string]string{"fit": "418.33", "fit.supplemental": "0.00", "fit.mandatory": "3700.00",
				"social_security.wages": "0.00", "social_security.employee": "0.00", "social_security.employer": "0.00",
				"medicare.employee": "217.50", "medicare.employer": "217.50", "additional_medicare.employee": "135.00",
				"futa.wages": "0.00", "futa.employer": "0.00"},
		},
		{
			// 401(k) 500 reduces FIT wages only, section 125 200 all three:
			// FIT 4,300: 1i 51,600 − 8,600 = 43,000; row 19,900: 1,240 + 12 % ×
			// 23,100 = 4,012.00; ÷ 12 = 334.33. FICA 4,800: 297.60, 69.60;
			// FUTA 4,800 × 0.6 % = 28.80.
			name: "pre-tax deductions", cfg: &us.Config{Plans: map[string]us.Plan{"MED": us.Section125}},
			day: "2026-01-01", pay: "5000",
			items: []hr.PayItem{{Code: "401K", Kind: hr.PensionDeferral, Amount: usd("500")},
				{Code: "MED", Kind: hr.PensionDeferral, Amount: usd("200")}},
			want: map[string]string{"fit": "334.33", "fit.supplemental": "0.00", "fit.mandatory": "0.00",
				"social_security.wages": "4800.00", "social_security.employee": "297.60", "social_security.employer": "297.60",
				"medicare.employee": "69.60", "medicare.employer": "69.60", "additional_medicare.employee": "0.00",
				"futa.wages": "4800.00", "futa.employer": "28.80"},
		},
		{
			// An exempt form: no federal income tax; FICA on 5,000: 310.00 and
			// 72.50 each side; FUTA 30.00.
			name: "exempt", day: "2026-01-01", pay: "5000", w4: &hr.USTax{FilingStatus: hr.Single, Exempt: true},
			want: map[string]string{"fit": "0.00", "fit.supplemental": "0.00", "fit.mandatory": "0.00",
				"social_security.wages": "5000.00", "social_security.employee": "310.00", "social_security.employer": "310.00",
				"medicare.employee": "72.50", "medicare.employer": "72.50", "additional_medicare.employee": "0.00",
				"futa.wages": "5000.00", "futa.employer": "30.00"},
		},
		{
			// Exempt, yet supplemental wages above 1,000,000 in the year take
			// the mandatory 37 % whatever the form says: 10,000 × 37 % =
			// 3,700.00; the flat 22 % below the threshold does not apply.
			name: "exempt, mandatory 37 %", cfg: flat, day: "2026-12-01", pay: "5000", bonus: "10000",
			w4:  &hr.USTax{FilingStatus: hr.Single, Exempt: true},
			ytd: map[string]string{us.BaseSupplemental: "1000000", us.BaseFICA: "1200000", us.BaseFUTA: "1200000"},
			want: map[string]string{"fit": "0.00", "fit.supplemental": "0.00", "fit.mandatory": "3700.00",
				"social_security.wages": "0.00", "social_security.employee": "0.00", "social_security.employer": "0.00",
				"medicare.employee": "217.50", "medicare.employer": "217.50", "additional_medicare.employee": "135.00",
				"futa.wages": "0.00", "futa.employer": "0.00"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			y := date.MustParse(tc.day)
			var acc payroll.Accumulators
			if tc.ytd != nil {
				acc = ytd(y.Year(), (int(y.Month())+2)/3, tc.ytd)
			}
			w4 := single
			if tc.w4 != nil {
				w4 = *tc.w4
			}
			in := monthlyInput(t, tc.day, tc.pay, tc.items, w4, acc)
			if tc.bonus != "" {
				in.Items = []hr.OneTimeItem{{Employee: in.Employee.ID, Key: "bonus", Date: in.Period.Start,
					Type: hr.Bonus, Amount: usd(tc.bonus)}}
			}
			slip, err := payroll.Calculate(in, mustPack(t, tc.cfg))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(sums(t, slip, all...), tc.want); diff != "" {
				t.Errorf("(-got +want):\n%s", diff)
			}
		})
	}
}

// TestPreTaxPlans checks the lines and bases of each plan.
func TestPreTaxPlans(t *testing.T) {
	cfg := &us.Config{Plans: map[string]us.Plan{"MED": us.Section125, "ROTH": us.Roth401k}}
	in := monthlyInput(t, "2026-03-01", "5000", []hr.PayItem{
		{Code: "401K", Kind: hr.PensionDeferral, Amount: usd("500")},
		{Code: "MED", Kind: hr.PensionDeferral, Amount: usd("200")},
		{Code: "ROTH", Kind: hr.PensionDeferral, Amount: usd("100")}}, single, payroll.Accumulators{})
	slip, err := payroll.Calculate(in, mustPack(t, cfg))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for k, v := range slip.Bases {
		got[k] = v.Number()
	}
	want := map[string]string{us.BaseFIT: "4300.00", us.BaseFICA: "4800.00", us.BaseFUTA: "4800.00"}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("bases (-got +want):\n%s", diff)
	}
	if got, want := [2]string{slip.PreTaxDeductions.Number(), slip.PostTaxDeductions.Number()}, [2]string{"700.00", "100.00"}; got != want {
		t.Errorf("deductions: got %v, want %v", got, want)
	}
}

// TestAccounts checks the default accounts against the default chart and
// the accounts on the lines.
func TestAccounts(t *testing.T) {
	chart := map[string]ledger.Account{}
	for _, a := range ledger.DefaultChart("acme") {
		chart[a.Code] = a
	}
	a := us.DefaultAccounts()
	for _, tc := range []struct {
		name, code string
		typ        ledger.AccountType
	}{
		{"wages expense", a.Wages, ledger.Expense},
		{"employer payroll tax expense", a.EmployerTaxes, ledger.Expense},
		{"federal withholding payable", a.FederalWithholding, ledger.Liability},
		{"FICA payable", a.FICA, ledger.Liability},
		{"FUTA payable", a.FUTA, ledger.Liability},
		{"net pay payable", a.NetPay, ledger.Liability},
	} {
		t.Run(tc.name, func(t *testing.T) {
			acct, ok := chart[tc.code]
			if !ok {
				t.Fatalf("account %q is not in the default chart", tc.code)
			}
			if acct.Type != tc.typ {
				t.Errorf("account %s: got type %s, want %s", tc.code, acct.Type, tc.typ)
			}
		})
	}

	in := monthlyInput(t, "2026-12-01", "10000", nil, single,
		ytd(2026, 4, map[string]string{us.BaseFICA: "198000", us.BaseFUTA: "198000"}))
	slip, err := payroll.Calculate(in, mustPack(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][2]string{}
	for _, l := range slip.Lines {
		got[l.Code] = [2]string{l.Account, l.Offset}
	}
	want := map[string][2]string{
		"salary": {"6100", ""}, "fit": {"2140", ""}, "social_security.wages": {"", ""},
		"medicare.employee": {"2150", ""}, "medicare.employer": {"2150", "6110"},
		"additional_medicare.employee": {"2150", ""}, "futa.wages": {"", ""},
	}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("line accounts (-got +want):\n%s", diff)
	}
}

// TestNoForm: an employee without a tax profile is withheld for as a single
// filer with no adjustments (Pub. 15-T): 5,000 a month as in the flat case
// of TestCalculate, 418.33, with the reason in the trace.
func TestNoForm(t *testing.T) {
	in := monthlyInput(t, "2026-03-01", "5000", nil, hr.USTax{}, payroll.Accumulators{})
	in.TaxProfile = hr.TaxProfile{}
	slip, err := payroll.Calculate(in, mustPack(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range slip.Lines {
		if l.Code != "fit" {
			continue
		}
		if l.Amount.Number() != "418.33" || len(l.Trace) == 0 || !strings.Contains(l.Trace[0].Value, "no Form W-4") {
			t.Errorf("fit = %s, trace %v; want 418.33 and the reason", l.Amount.Number(), l.Trace)
		}
		return
	}
	t.Error("no fit line")
}

func TestCalculateErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		day    string
		w4     hr.USTax
		byEnd  bool
		field  string
		target []error
	}{
		{"unknown filing status", "2026-03-01", hr.USTax{FilingStatus: "widowed"}, false, "filing_status",
			[]error{us.ErrInvalidW4, payroll.ErrInvalidInput}},
		{"negative step", "2026-03-01", hr.USTax{FilingStatus: hr.Single, Deductions: usd("-100")}, false, "deductions",
			[]error{us.ErrInvalidW4}},
		{"mixed forms", "2026-03-01", hr.USTax{FilingStatus: hr.Single, Allowances: 2, Dependents: usd("2000")}, false, "allowances",
			[]error{us.ErrInvalidW4}},
		{"no table", "2027-01-01", single, false, "pay_date", []error{us.ErrNoTable, payroll.ErrNoPackVersion}},
		{"year by period end", "2025-12-01", single, true, "pay_date", []error{us.ErrNoTable}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := monthlyInput(t, tc.day, "5000", nil, tc.w4, payroll.Accumulators{})
			if tc.byEnd { // a December period paid in January, filed under December's year
				in.Period.PayDate = date.New(2026, 1, 5)
			}
			_, err := payroll.Calculate(in, mustPack(t, nil))
			var fe *us.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("got %v, want a *us.FieldError", err)
			}
			if got, want := [2]string{fe.Employee, fe.Field}, [2]string{"acme/7", tc.field}; got != want {
				t.Errorf("got %v, want %v", got, want)
			}
			for _, target := range tc.target {
				if !errors.Is(err, target) {
					t.Errorf("got %v, want %v", err, target)
				}
			}
			var pe *payroll.Error
			if !errors.As(err, &pe) || pe.Employee != "acme/7" {
				t.Errorf("got %v, want a *payroll.Error for acme/7", err)
			}
			if msg := err.Error(); strings.Contains(msg, "acme/7") || !strings.Contains(msg, hr.IDRef("acme/7")) {
				t.Errorf("message %q: want the employee named by hr.IDRef, never by ID", msg)
			}
		})
	}
}

func TestNewRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  us.Config
	}{
		{"plan", us.Config{Plans: map[string]us.Plan{"X": "ira"}}},
		{"rounding", us.Config{Withholding: 7}},
		{"supplemental", us.Config{Supplemental: 9}},
		{"table year", us.Config{Tables: payroll.Table[us.Federal]{{From: date.New(2026, 1, 1), Value: us.Federal{Year: 2025}}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := us.New(&tc.cfg); !errors.Is(err, payroll.ErrInvalidPack) {
				t.Errorf("got %v, want ErrInvalidPack", err)
			}
		})
	}
}
