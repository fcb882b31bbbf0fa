package payroll_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/payroll/rules/generic"
)

func d(s string) date.Date         { return date.MustParse(s) }
func eur(s string) money.Amount    { return money.MustParse(s, money.EUR) }
func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

const empID = "acme/1001"

// worker returns an employee hired on hire ("" for 2020-01-01) and
// terminated on term ("" for none).
func worker(hire, term string) hr.Employee {
	e := hr.Employee{ID: empID, Employer: "acme", PersonnelNumber: "1001", FamilyName: "Müller",
		HireDate: d("2020-01-01")}
	if hire != "" {
		e.HireDate = d(hire)
	}
	if term != "" {
		e.TerminationDate = d(term)
	}
	return e
}

// salaried returns a monthly-paid contract version valid from from.
func salaried(from string, payType hr.PayType, amount string) hr.Contract {
	return hr.Contract{Employee: empID, Effective: hr.Effective{ValidFrom: d(from), Seq: 1},
		PayType: payType, Amount: eur(amount), Frequency: hr.MonthlyPay,
		WeeklyHours: decimal.NewFromInt(40), WorkDays: hr.MondayToFriday}
}

var monthlyCal = payroll.Calendar{ID: "monthly", Frequency: hr.MonthlyPay}

func period(t testing.TB, day string) payroll.Period {
	t.Helper()
	p, err := monthlyCal.PeriodOf(d(day))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// baseConfig is a generic pack with a flat 25 % tax on "tax" and a 10 %
// employee contribution on "social", both of gross.
func baseConfig() generic.Config {
	return generic.Config{
		ID: "generic", Version: "2026.1", ValidFrom: d("2020-01-01"),
		Rounding:    money.HalfUp,
		Proration:   payroll.Proration{Method: payroll.CalendarDays},
		Bases:       []string{"tax", "social"},
		WageAccount: "6000",
		Multipliers: payroll.Table[generic.Multipliers]{{From: d("2020-01-01"), Value: generic.Multipliers{
			hr.Overtime: dec("1.5"), hr.Night: dec("0.25"), hr.Holiday: dec("1")}}},
		Contributions: []generic.Contribution{{
			Code: "social", Base: "social", Rounding: money.HalfUp,
			Rates:           payroll.Table[generic.Rates]{{From: d("2020-01-01"), Value: generic.Rates{Employee: dec("0.10")}}},
			EmployeeAccount: "3740", EmployerAccount: "3740", EmployerExpense: "6110",
		}},
		Taxes: []generic.Tax{{
			Code: "tax", Base: "tax", Rounding: money.HalfUp, Account: "3730",
			Brackets: payroll.Table[[]generic.Bracket]{{From: d("2020-01-01"), Value: []generic.Bracket{{Rate: dec("0.25")}}}},
		}},
	}
}

func newPack(t testing.TB, cfg generic.Config) *payroll.Pack {
	t.Helper()
	p, err := generic.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// input returns the input for the month containing day with the given
// contract versions (all visible).
func input(t testing.TB, day string, e hr.Employee, versions ...hr.Contract) payroll.Input {
	t.Helper()
	return payroll.Input{Employee: e, Period: period(t, day), Currency: money.EUR,
		Contracts: hr.Timeline(versions, time.Time{})}
}

// sums returns the sum per line code of a payslip, as text.
func sums(t testing.TB, s payroll.Payslip) map[string]string {
	t.Helper()
	m := map[string]money.Amount{}
	for _, l := range s.Lines {
		v, ok := m[l.Code]
		if !ok {
			v = money.Zero(s.Currency)
		}
		var err error
		if m[l.Code], err = v.Add(l.Amount); err != nil {
			t.Fatal(err)
		}
	}
	out := map[string]string{}
	for k, v := range m {
		out[k] = v.Number()
	}
	return out
}
