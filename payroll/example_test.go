package payroll_test

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
	"github.com/openbackoffice/backoffice/payroll/rules/generic"
)

// examplePack is a generic pack: income tax by annual brackets, a social
// contribution of 9.3 % a side up to an annual ceiling, overtime at 1.5.
func examplePack() *payroll.Pack {
	from := date.MustParse("2026-01-01")
	pack, err := generic.New(generic.Config{
		ID: "generic", Version: "2026.1", ValidFrom: from,
		Rounding:    money.HalfUp,
		Proration:   payroll.Proration{Method: payroll.WorkingDays},
		Bases:       []string{"tax", "social"},
		WageAccount: "6000",
		Multipliers: payroll.Table[generic.Multipliers]{{From: from, Value: generic.Multipliers{
			hr.Overtime: decimal.RequireFromString("1.5")}}},
		Items: map[hr.ItemKind]generic.Treatment{
			hr.PensionDeferral: {Bases: []string{"tax"}, Account: "3790"}, // reduces the taxable base only
		},
		Contributions: []generic.Contribution{{
			Code: "social", Base: "social", Rounding: money.HalfUp,
			Rates: payroll.Table[generic.Rates]{{From: from, Value: generic.Rates{
				Employee: decimal.RequireFromString("0.093"), Employer: decimal.RequireFromString("0.093"),
				AnnualCeiling: money.MustParse("96600.00", money.EUR)}}},
			EmployeeAccount: "3740", EmployerAccount: "3740", EmployerExpense: "6110",
		}},
		Taxes: []generic.Tax{{
			Code: "income_tax", Base: "tax", Annual: true, Rounding: money.Down, Account: "3730",
			Brackets: payroll.Table[[]generic.Bracket]{{From: from, Value: []generic.Bracket{
				{Rate: decimal.Zero},
				{Over: money.MustParse("12000.00", money.EUR), Rate: decimal.RequireFromString("0.20")},
				{Over: money.MustParse("60000.00", money.EUR), Rate: decimal.RequireFromString("0.40")},
			}}},
		}},
	})
	if err != nil {
		log.Fatal(err)
	}
	return pack
}

func exampleInput() payroll.Input {
	eur := func(s string) money.Amount { return money.MustParse(s, money.EUR) }
	cal := payroll.Calendar{ID: "monthly", Frequency: hr.MonthlyPay}
	period, err := cal.PeriodOf(date.MustParse("2026-03-01"))
	if err != nil {
		log.Fatal(err)
	}
	employee := hr.Employee{ID: "acme/1001", Employer: "acme", PersonnelNumber: "1001",
		FamilyName: "Müller", HireDate: date.MustParse("2024-04-01")}
	contract := hr.Contract{Employee: employee.ID, Effective: hr.Effective{ValidFrom: employee.HireDate},
		PayType: hr.Monthly, Amount: eur("5200.00"), Frequency: hr.MonthlyPay,
		WeeklyHours: decimal.NewFromInt(40), WorkDays: hr.MondayToFriday,
		Items: []hr.PayItem{{Code: "BAV", Kind: hr.PensionDeferral, Amount: eur("200.00")}}}
	return payroll.Input{
		Employee: employee, Period: period, Currency: money.EUR,
		Contracts: hr.Timeline([]hr.Contract{contract}, time.Time{}),
		Time: []hr.TimeEntry{{Employee: employee.ID, Date: date.MustParse("2026-03-12"),
			Kind: hr.Overtime, Hours: decimal.NewFromInt(4)}},
		Items: []hr.OneTimeItem{{Employee: employee.ID, Key: "2026-03-bonus", Date: period.Start,
			Type: hr.Bonus, Amount: eur("500.00")}},
	}
}

func printSlip(s payroll.Payslip) {
	for _, l := range s.Lines {
		fmt.Println(strings.TrimSpace(fmt.Sprintf("%-20s %-21s %9s %s", l.Code, l.Kind, l.Amount.Number(), l.Account)))
	}
	fmt.Println("gross", s.Gross.Number(), "net", s.Net.Number(), "employer", s.EmployerContributions.Number())
}

// A monthly payslip with the generic pack: salary, overtime at the hourly
// equivalent (5200 × 12 ÷ (52 × 40) = 30.00, × 1.5 × 4 h), a bonus, a
// pension deferral that reduces the taxable base, a social contribution
// and an annualised income tax: (5,880 − 200) × 12 = 68,160 a year, taxed
// 48,000 × 20 % + 8,160 × 40 % = 12,864.00, 1,072.00 a month.
func ExampleCalculate() {
	slip, err := payroll.Calculate(exampleInput(), examplePack())
	if err != nil {
		log.Fatal(err)
	}
	printSlip(slip)
	fmt.Println("YTD social base", slip.YTD.Line("social.base").Year.Number())
	// Output:
	// salary               earning                 5200.00 6000
	// hours.overtime       earning                  180.00 6000
	// bonus                earning                  500.00 6000
	// pension_deferral.BAV pre_tax_deduction        200.00 3790
	// social.base          information             5880.00
	// social.employee      tax                      546.84 3740
	// social.employer      employer_contribution    546.84 3740
	// income_tax           tax                     1072.00 3730
	// gross 5880.00 net 4061.16 employer 546.84
	// YTD social base 5880.00
}

// A custom rule in a few lines: a solidarity surcharge of 5.5 % of the
// income tax, rounded down, added after the pack's taxes.
func ExampleRuleFunc() {
	surcharge := payroll.RuleFunc("acme.solidarity", func(c *payroll.Calc) error {
		tax, err := c.Sum("income_tax")
		if err != nil {
			return err
		}
		rate := decimal.RequireFromString("0.055")
		s, err := tax.MulRate(rate, money.Down)
		if err != nil {
			return err
		}
		return c.Add(payroll.Line{Code: "solidarity", Kind: payroll.Tax, Basis: tax, Rate: rate, Amount: s, Account: "3731"})
	})
	pack := examplePack()
	pack.Rules = append(pack.Rules, surcharge)

	slip, err := payroll.Calculate(exampleInput(), pack)
	if err != nil {
		log.Fatal(err)
	}
	last := slip.Lines[len(slip.Lines)-1]
	fmt.Println(last.Code, last.Basis.Number(), "×", last.Rate, "=", last.Amount.Number(), "by", last.Rule)
	fmt.Println("net", slip.Net.Number())
	// Output:
	// solidarity 1072.00 × 0.055 = 58.96 by acme.solidarity
	// net 4002.20
}

// Retro: a raise recorded on 10 March, effective 1 January, is paid for
// January in March as difference lines that name the period they correct.
func ExampleRetro() {
	eur := func(s string) money.Amount { return money.MustParse(s, money.EUR) }
	pack := examplePack()
	old := exampleInput()
	old.Period, _ = payroll.Calendar{ID: "monthly", Frequency: hr.MonthlyPay}.PeriodOf(date.MustParse("2026-01-01"))
	old.Time, old.Items = nil, nil
	paid, err := payroll.Calculate(old, pack) // as run in January

	raise := old.Contracts[0].Version
	raise.ValidFrom, raise.Amount, raise.Seq = date.MustParse("2026-01-01"), eur("5500.00"), 2
	raise.RecordedAt = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	now := old
	now.Contracts = hr.Timeline([]hr.Contract{old.Contracts[0].Version, raise}, time.Time{})
	again, err2 := payroll.Calculate(now, pack) // January with today's records
	if err != nil || err2 != nil {
		log.Fatal(err, err2)
	}
	lines, err := payroll.Retro(paid, again)
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range lines {
		fmt.Printf("%-16s %8s corrects %s\n", l.Code, l.Amount.Number(), l.Corrects.Key())
	}
	// Output:
	// salary             300.00 corrects monthly/2026/01
	// social.base        300.00 corrects monthly/2026/01
	// social.employee     27.90 corrects monthly/2026/01
	// social.employer     27.90 corrects monthly/2026/01
	// income_tax         120.00 corrects monthly/2026/01
}

// The periods of a semimonthly calendar that pays on the 15th and the last
// day, or the working day before.
func ExampleCalendar_Periods() {
	cal := payroll.Calendar{ID: "semimonthly", Frequency: hr.Semimonthly}
	periods, err := cal.Periods(2026)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range periods[2:4] {
		fmt.Println(p.Key(), p.Start, p.End, "paid", p.PayDate, p.PayDate.Weekday())
	}
	fmt.Println(len(periods), "periods")
	// Output:
	// semimonthly/2026/03 2026-02-01 2026-02-15 paid 2026-02-13 Friday
	// semimonthly/2026/04 2026-02-16 2026-02-28 paid 2026-02-27 Friday
	// 24 periods
}
