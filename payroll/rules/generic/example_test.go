package generic_test

import (
	"fmt"
	"log"
	"time"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/payroll/rules/generic"
)

// A flat 25 % tax and a 10 % social contribution, both on gross pay, and a
// custom earning inserted before the deductions: a meal allowance of 5.00
// per working day paid, taxable.
func ExampleNew() {
	from := date.MustParse("2026-01-01")
	pack, err := generic.New(generic.Config{
		ID: "generic", Version: "2026.1", ValidFrom: from,
		Rounding:    money.HalfUp,
		Proration:   payroll.Proration{Method: payroll.CalendarDays},
		Bases:       []string{"gross"},
		WageAccount: "6000",
		Contributions: []generic.Contribution{{Code: "social", Base: "gross", Rounding: money.HalfUp,
			Rates: payroll.Table[generic.Rates]{{From: from, Value: generic.Rates{Employee: decimal.RequireFromString("0.10")}}}}},
		Taxes: []generic.Tax{{Code: "tax", Base: "gross", Rounding: money.HalfUp,
			Brackets: payroll.Table[[]generic.Bracket]{{From: from, Value: []generic.Bracket{{Rate: decimal.RequireFromString("0.25")}}}}}},
	})
	if err != nil {
		log.Fatal(err)
	}

	meals := payroll.RuleFunc("acme.meals", func(c *payroll.Calc) error {
		cal := payroll.Calendar{Frequency: hr.MonthlyPay, Holidays: c.Input().Holidays}
		days := int64(0)
		for _, s := range c.Segments() {
			for d := s.From; !d.After(s.To); d = d.AddDays(1) {
				if cal.WorkingDay(d) {
					days++
				}
			}
		}
		a, err := money.New(500, c.Currency()).Mul(days)
		if err != nil {
			return err
		}
		return c.Add(payroll.Line{Code: "meals", Kind: payroll.Earning, Quantity: decimal.NewFromInt(days),
			Amount: a, Bases: []string{"gross"}, Account: "6020"})
	})
	if err := pack.InsertBefore(generic.RulePreTax, meals); err != nil {
		log.Fatal(err)
	}

	period, _ := payroll.Calendar{ID: "monthly", Frequency: hr.MonthlyPay}.PeriodOf(date.MustParse("2026-03-01"))
	contract := hr.Contract{Employee: "acme/7", Effective: hr.Effective{ValidFrom: from},
		PayType: hr.Monthly, Amount: money.MustParse("4800.00", money.EUR), Frequency: hr.MonthlyPay,
		WeeklyHours: decimal.NewFromInt(40), WorkDays: hr.MondayToFriday}
	slip, err := payroll.Calculate(payroll.Input{
		Employee: hr.Employee{ID: "acme/7", PersonnelNumber: "7", HireDate: from},
		Period:   period, Currency: money.EUR,
		Contracts: hr.Timeline([]hr.Contract{contract}, time.Time{}),
	}, pack)
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range slip.Lines {
		fmt.Println(l.Code, l.Amount.Number(), l.Rule)
	}
	fmt.Println("net", slip.Net.Number())
	// Output:
	// salary 4800.00 generic.earnings
	// meals 110.00 acme.meals
	// social.employee 491.00 generic.contributions
	// tax 1227.50 generic.taxes
	// net 3191.50
}
