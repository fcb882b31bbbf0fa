package us_test

import (
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/payroll/rules/us"
)

// biweeklyInput is a biweekly payslip in March 2026: 78,000 a year, a
// 401(k) deferral of 150.00 and a section 125 health premium of 50.00 a
// period, married filing jointly with a step-3 credit of 2,200.
func biweeklyInput() payroll.Input {
	cal := payroll.Calendar{ID: "biweekly", Frequency: hr.Biweekly, Anchor: date.MustParse("2026-01-05"),
		PayOffset: 5, YearBasis: payroll.ByPayDate}
	period, err := cal.PeriodOf(date.MustParse("2026-03-02"))
	if err != nil {
		log.Fatal(err)
	}
	usd := func(s string) money.Amount { return money.MustParse(s, money.USD) }
	emp := hr.Employee{ID: "acme/12", PersonnelNumber: "12", HireDate: date.MustParse("2024-05-01")}
	ct := hr.Contract{Employee: emp.ID, Effective: hr.Effective{ValidFrom: emp.HireDate}, PayType: hr.Annual,
		Amount: usd("78000.00"), Frequency: hr.Biweekly, WeeklyHours: decimal.NewFromInt(40), WorkDays: hr.MondayToFriday,
		Items: []hr.PayItem{{Code: "401K", Kind: hr.PensionDeferral, Amount: usd("150.00")},
			{Code: "MED", Kind: hr.PensionDeferral, Amount: usd("50.00")}}}
	return payroll.Input{Employee: emp, Period: period, Currency: money.USD,
		Contracts: hr.Timeline([]hr.Contract{ct}, time.Time{}),
		TaxProfile: hr.TaxProfile{Employee: emp.ID, Jurisdiction: "US",
			US: hr.USTax{FilingStatus: hr.MarriedJointly, Dependents: usd("2200.00")}}}
}

// A biweekly payslip. The salary is 78,000 ÷ 26 = 3,000.00; federal
// income-tax wages 3,000 − 150 − 50 = 2,800.00, FICA and FUTA wages
// 2,950.00. Worksheet 1A: 2,800 × 26 = 72,800 − 12,900 = 59,900; row
// 44,100: 2,480 + 12 % × 15,800 = 4,376.00; ÷ 26 = 168.31; less 2,200 ÷
// 26 = 84.62: 83.69. Social Security 6.2 % × 2,950 = 182.90, Medicare
// 1.45 % = 42.78 (42.775 half up), FUTA 0.6 % = 17.70 (the first payslip
// on this system: no year-to-date figures).
func ExampleNew() {
	pack, err := us.New(&us.Config{Plans: map[string]us.Plan{"MED": us.Section125}})
	if err != nil {
		log.Fatal(err)
	}
	in := biweeklyInput()
	slip, err := payroll.Calculate(in, pack)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(in.Period.Start, "to", in.Period.End, "paid", in.Period.PayDate)
	for _, l := range slip.Lines {
		fmt.Println(strings.TrimSpace(fmt.Sprintf("%-29s %-21s %8s %s %s", l.Code, l.Kind, l.Amount.Number(), l.Account, l.Offset)))
	}
	fmt.Println("gross", slip.Gross.Number(), "net", slip.Net.Number(), "employer", slip.EmployerContributions.Number())
	// Output:
	// 2026-03-02 to 2026-03-15 paid 2026-03-20
	// salary                        earning                3000.00 6100
	// pension_deferral.401K         pre_tax_deduction       150.00
	// pension_deferral.MED          pre_tax_deduction        50.00
	// fit                           tax                      83.69 2140
	// social_security.wages         information            2950.00
	// social_security.employee      tax                     182.90 2150
	// social_security.employer      employer_contribution   182.90 2150 6110
	// medicare.employee             tax                      42.78 2150
	// medicare.employer             employer_contribution    42.78 2150 6110
	// futa.wages                    information            2950.00
	// futa.employer                 employer_contribution    17.70 2145 6110
	// gross 3000.00 net 2490.63 employer 243.38
}

// Worksheet 1A on its own: every line can be checked against the
// publication's worksheet.
func ExampleWorksheet1A() {
	ws, err := us.Worksheet1A(us.WorksheetInput{
		PayDate: date.MustParse("2026-03-20"), Frequency: us.Biweekly,
		Wages: money.MustParse("2000.00", money.USD), W4: hr.USTax{FilingStatus: hr.Single},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("table", ws.Year, ws.Table, ws.FilingStatus)
	fmt.Println("1c", ws.Line1c.Number(), "1g", ws.Line1g.Number(), "1i", ws.Line1i.Number())
	fmt.Println("2b", ws.Line2b.Number(), "2c", ws.Line2c.Number(), "2d", ws.Line2d, "2g", ws.Line2g.Number(), "2h", ws.Line2h.Number())
	fmt.Println("withhold", ws.Withholding.Number())
	// Output:
	// table 2026 standard single
	// 1c 52000.00 1g 8600.00 1i 43400.00
	// 2b 19900.00 2c 1240.00 2d 0.12 2g 4060.00 2h 156.15
	// withhold 156.15
}
