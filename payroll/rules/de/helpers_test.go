package de_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/payroll/rules/de"
)

func eur(s string) money.Amount { return money.MustParse(s, money.EUR) }

// employee is the test employee: hired 2024, born 1990, in NW, class I,
// church tax, 2.9 % supplement, no children.
func employee() hr.Employee {
	return hr.Employee{ID: "acme/1001", Employer: "acme", PersonnelNumber: "1001",
		HireDate: date.MustParse("2024-01-01"), BirthDate: date.MustParse("1990-05-17")}
}

func profile() hr.TaxProfile {
	return hr.TaxProfile{Employee: "acme/1001", Jurisdiction: "DE", DE: hr.GermanTax{
		TaxClass: 1, ChurchTax: true, HealthSupplement: decimal.RequireFromString("2.9"), State: "NW"}}
}

// input returns the monthly input for the month of day with a monthly salary.
func input(t testing.TB, day string, salary string, tp hr.TaxProfile) payroll.Input {
	t.Helper()
	cal := payroll.Calendar{ID: "monthly", Frequency: hr.MonthlyPay}
	period, err := cal.PeriodOf(date.MustParse(day))
	if err != nil {
		t.Fatal(err)
	}
	e := employee()
	ct := hr.Contract{Employee: e.ID, Effective: hr.Effective{ValidFrom: e.HireDate},
		PayType: hr.Monthly, Amount: eur(salary), Frequency: hr.MonthlyPay,
		WeeklyHours: decimal.NewFromInt(40), WorkDays: hr.MondayToFriday}
	return payroll.Input{Employee: e, Period: period, Currency: money.EUR,
		Contracts: hr.Timeline([]hr.Contract{ct}, time.Time{}), TaxProfile: tp}
}

func pack(t testing.TB, on string, opts *de.Options) *payroll.Pack {
	t.Helper()
	ps, err := de.Packs(opts)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ps.Select(de.ID, date.MustParse(on))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func calculate(t testing.TB, in payroll.Input, opts *de.Options) payroll.Payslip {
	t.Helper()
	slip, err := payroll.Calculate(in, pack(t, in.Period.End.String(), opts))
	if err != nil {
		t.Fatal(err)
	}
	return slip
}

// amounts returns the payslip's amounts by line code, as text.
func amounts(t testing.TB, s payroll.Payslip) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, l := range s.Lines {
		a, err := s.Sum(l.Code)
		if err != nil {
			t.Fatal(err)
		}
		m[l.Code] = a.Number()
	}
	m["net"] = s.Net.Number()
	return m
}

func timeMonth(m int) time.Month { return time.Month(m) }
