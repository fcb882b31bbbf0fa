package hr_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/memory"
)

// clock is a settable clock for the examples.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

func Example() {
	ctx := context.Background()
	records := hr.New(memory.New(), nil)

	e, err := records.Hire(ctx, hr.Employee{
		Employer: "acme", PersonnelNumber: "1001", GivenName: "Jürgen", FamilyName: "Müller",
		HireDate: date.MustParse("2026-01-01"),
		Bank:     hr.BankAccount{IBAN: "DE89 3704 0044 0532 0130 00"},
	})
	if err != nil {
		log.Fatal(err)
	}
	_, err = records.SetContract(ctx, hr.Contract{
		Employee:  e.ID,
		Effective: hr.Effective{ValidFrom: e.HireDate},
		PayType:   hr.Monthly, Amount: money.MustParse("4000.00", money.EUR), Frequency: hr.MonthlyPay,
		WeeklyHours: decimal.NewFromInt(40), WorkDays: hr.MondayToFriday,
	})
	if err != nil {
		log.Fatal(err)
	}

	// A raise from 1 July.
	_, err = records.ChangeContract(ctx, e.ID, date.MustParse("2026-07-01"), func(c *hr.Contract) {
		c.Amount = money.MustParse("4400.00", money.EUR)
	})
	if err != nil {
		log.Fatal(err)
	}

	for _, d := range []string{"2026-06-15", "2026-07-15"} {
		c, err := records.Contract(ctx, e.ID, date.MustParse(d), time.Time{})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(d, c.PayType, c.Amount, c.WorkDays)
	}
	fmt.Println(e.ID, e.Bank.IBAN)
	// Output:
	// 2026-06-15 monthly 4000.00 EUR Mon Tue Wed Thu Fri
	// 2026-07-15 monthly 4400.00 EUR Mon Tue Wed Thu Fri
	// acme/1001 DE89370400440532013000
}

// A change recorded in April for March is retroactive: as recorded at the
// end of March, March was paid at the old salary; as recorded now, at the
// new one.
func ExampleRecords_Contract_retroactive() {
	ctx := context.Background()
	clk := &clock{now: time.Date(2026, 1, 2, 9, 0, 0, 0, time.UTC)}
	records := hr.New(memory.New(), &hr.Options{Now: clk.Now})

	e, err := records.Hire(ctx, hr.Employee{Employer: "acme", PersonnelNumber: "1002", FamilyName: "Smith",
		HireDate: date.MustParse("2026-01-01")})
	if err != nil {
		log.Fatal(err)
	}
	contract := hr.Contract{
		Employee: e.ID, Effective: hr.Effective{ValidFrom: e.HireDate},
		PayType: hr.Annual, Amount: money.MustParse("60000.00", money.EUR), Frequency: hr.MonthlyPay,
		WeeklyHours: decimal.NewFromInt(40), WorkDays: hr.MondayToFriday,
	}
	if _, err := records.SetContract(ctx, contract); err != nil {
		log.Fatal(err)
	}
	payrollOfMarch := time.Date(2026, 3, 31, 18, 0, 0, 0, time.UTC)

	// On 15 April a raise from 1 March is recorded.
	clk.now = time.Date(2026, 4, 15, 10, 0, 0, 0, time.UTC)
	contract.ValidFrom = date.MustParse("2026-03-01")
	contract.Amount = money.MustParse("63000.00", money.EUR)
	if _, err := records.SetContract(ctx, contract); err != nil {
		log.Fatal(err)
	}

	march := date.MustParse("2026-03-15")
	for _, asOf := range []time.Time{payrollOfMarch, clk.now} {
		c, err := records.Contract(ctx, e.ID, march, asOf)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("March as recorded %s: %s (version %d)\n", asOf.Format("2006-01-02"), c.Amount, c.Seq)
	}
	// Output:
	// March as recorded 2026-03-31: 60000.00 EUR (version 1)
	// March as recorded 2026-04-15: 63000.00 EUR (version 2)
}

func ExampleResolve() {
	v := func(from, to string, recorded int, amount string) hr.Contract {
		var end date.Date
		if to != "" {
			end = date.MustParse(to)
		}
		return hr.Contract{
			Effective: hr.Effective{ValidFrom: date.MustParse(from), ValidTo: end,
				RecordedAt: time.Date(2026, 1, recorded, 0, 0, 0, 0, time.UTC), Seq: int64(recorded)},
			Amount: money.MustParse(amount, money.EUR),
		}
	}
	versions := []hr.Contract{
		v("2026-01-01", "", 1, "3000.00"),
		v("2026-02-01", "2026-02-28", 5, "3100.00"), // February only, recorded later
	}
	for _, d := range []string{"2026-01-31", "2026-02-10", "2026-03-01"} {
		c, _ := hr.Resolve(versions, date.MustParse(d), time.Time{})
		fmt.Println(d, c.Amount)
	}
	for _, s := range hr.Timeline(versions, time.Time{}) {
		fmt.Printf("%s–%s %s\n", s.From, s.To, s.Version.Amount)
	}
	// Output:
	// 2026-01-31 3000.00 EUR
	// 2026-02-10 3100.00 EUR
	// 2026-03-01 3000.00 EUR
	// 2026-01-01–2026-01-31 3000.00 EUR
	// 2026-02-01–2026-02-28 3100.00 EUR
	// 2026-03-01– 3000.00 EUR
}

// A time file imported twice records its hours once: the second import
// finds every row stored already. A row that differs from what is stored
// for its employee, day and kind is a conflict, and nothing is recorded.
func ExampleRecords_ImportTime_again() {
	ctx := context.Background()
	records := hr.New(memory.New(), nil)
	if _, err := records.Hire(ctx, hr.Employee{Employer: "acme", PersonnelNumber: "1001", FamilyName: "Müller",
		HireDate: date.MustParse("2026-01-01")}); err != nil {
		log.Fatal(err)
	}
	file := "personnel_number,date,kind,hours\n" +
		"1001,2026-03-02,regular,2\n" +
		"1001,2026-03-03,regular,4\n" +
		"1001,2026-03-03,regular,4\n" // a second shift of 4 hours
	for range 2 {
		n, err := records.ImportTime(ctx, strings.NewReader(file), &hr.ImportOptions{Employer: "acme"})
		fmt.Printf("%d added, %d already there, %v\n", n.Added, n.Existing, err)
	}
	_, err := records.ImportTime(ctx, strings.NewReader("personnel_number,date,kind,hours\n1001,2026-03-02,regular,3\n"),
		&hr.ImportOptions{Employer: "acme"})
	fmt.Println(errors.Is(err, hr.ErrConflict), err)
	es, _ := records.TimeEntries(ctx, "acme/1001", date.MustParse("2026-03-02"), date.MustParse("2026-03-02"))
	fmt.Println(len(es), es[0].Hours)
	// Output:
	// 3 added, 0 already there, <nil>
	// 0 added, 3 already there, <nil>
	// true hr: import: row 2, column "hours": hr: time 1001: field hours: hr: conflicts with the stored record: the hours of this day and kind differ from those stored (1 entry stored, 1 imported)
	// 1 2
}
