package de_test

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
	"github.com/openbackoffice/backoffice/payroll/rules/de"
)

// A March 2026 payslip: 5,000 € a month, tax class I, church tax in North
// Rhine-Westphalia (9 %), no children, health supplement 2.9 %, posted
// against SKR04.
func Example() {
	packs, err := de.Packs(&de.Options{Chart: de.SKR04})
	if err != nil {
		log.Fatal(err)
	}
	cal := payroll.Calendar{ID: "monthly", Frequency: hr.MonthlyPay}
	period, err := cal.PeriodOf(date.MustParse("2026-03-01"))
	if err != nil {
		log.Fatal(err)
	}
	pack, err := packs.Select(de.ID, period.End)
	if err != nil {
		log.Fatal(err)
	}
	emp := hr.Employee{ID: "acme/1001", Employer: "acme", PersonnelNumber: "1001",
		HireDate: date.MustParse("2024-01-01"), BirthDate: date.MustParse("1990-05-17")}
	contract := hr.Contract{Employee: emp.ID, Effective: hr.Effective{ValidFrom: emp.HireDate},
		PayType: hr.Monthly, Amount: money.MustParse("5000.00", money.EUR), Frequency: hr.MonthlyPay,
		WeeklyHours: decimal.NewFromInt(40), WorkDays: hr.MondayToFriday}
	slip, err := payroll.Calculate(payroll.Input{
		Employee: emp, Period: period, Currency: money.EUR,
		Contracts: hr.Timeline([]hr.Contract{contract}, time.Time{}),
		TaxProfile: hr.TaxProfile{Employee: emp.ID, Jurisdiction: "DE", DE: hr.GermanTax{
			TaxClass: 1, ChurchTax: true, HealthSupplement: decimal.RequireFromString("2.9"), State: "NW"}},
	}, pack)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("pack", slip.Pack, slip.PackVersion)
	for _, l := range slip.Lines {
		if l.Kind == payroll.Information && l.Code != de.CodeTaxGross && l.Code != de.CodeSocialGross {
			continue // ceilings tracked for the year
		}
		fmt.Println(strings.TrimSpace(fmt.Sprintf("%-20s %-21s %8s %s %s", l.Code, l.Kind, l.Amount.Number(), l.Account, l.Offset)))
	}
	fmt.Println("gross", slip.Gross.Number(), "net", slip.Net.Number(), "employer", slip.EmployerContributions.Number())
	// Output:
	// pack de 2026.1
	// salary               earning                5000.00 6020
	// sv_gross             information            5000.00
	// kv.employee          tax                     437.50 3740
	// kv.employer          employer_contribution   437.50 3740 6110
	// pv.employee          tax                     120.00 3740
	// pv.employer          employer_contribution    90.00 3740 6110
	// rv.employee          tax                     465.00 3740
	// rv.employer          employer_contribution   465.00 3740 6110
	// av.employee          tax                      65.00 3740
	// av.employer          employer_contribution    65.00 3740 6110
	// u1.employer          employer_contribution    80.00 3740 6110
	// u2.employer          employer_contribution    22.00 3740 6110
	// insolvency.employer  employer_contribution     7.50 3740 6110
	// tax_gross            information            5000.00
	// lst                  tax                     782.41 3730
	// kist                 tax                      70.41 3730
	// gross 5000.00 net 3059.68 employer 1167.00
}
