// Package payroll calculates pay: pay calendars, the calculation pipeline,
// rule packs and their tables, accumulators, payslips and retro
// calculation. The calculation is pure and deterministic: it reads values
// and returns values, with no I/O, no clock and no global state. Pay runs,
// their storage and ledger posting are built around it.
//
//	cal := payroll.Calendar{ID: "monthly", Frequency: hr.MonthlyPay}
//	period, err := cal.PeriodOf(date.MustParse("2026-03-01"))
//	pack, err := generic.New(cfg) // or packs.Select("generic", period.End)
//	slip, err := payroll.Calculate(payroll.Input{
//		Employee:  employee,
//		Period:    period,
//		Currency:  money.EUR,
//		Contracts: hr.Timeline(contractVersions, runTime),
//		Time: entries, Absences: absences, Items: items,
//		YTD: previousSlip.YTD,
//	}, pack)
//
// # Pipeline
//
// Input (the HR snapshot as of the run: the contract timeline as recorded
// at the run time, time, absences, one-time items, the accumulators before
// the period) → segments (the period split by contract versions and
// employment, with proration weights) → the pack's rules, in order, each
// reading the input and the earlier lines and adding lines → retro lines →
// totals: Gross = Net + PreTaxDeductions + Taxes + PostTaxDeductions, to
// the minor unit → the accumulators after the period.
//
// # Rule packs and tables
//
// A Pack is an ID, a version, a validity, a proration policy and ordered
// Rules. A Rule is a name and an Apply(*Calc) method; RuleFunc makes one
// from a function, so a custom rule takes a few lines. The values a pack
// needs (brackets, rates, ceilings) are Tables: entries keyed by the day
// they apply from, so several versions a year coexist. A pay run selects
// the pack version valid on the period's last day (Packs.Select), and rules
// look tables up on the same day (Calc.On): a period is calculated with the
// law in force on its last day. There is no registry: callers pass packs.
// Package payroll/rules/generic is a pack configured entirely as data.
//
// # Money and rounding
//
// Every amount is a money.Amount; nothing is float. Every rounding names
// its mode at the call site, and rates and quantities stay exact decimals
// until the one rounding of a step: PeriodSalary (annual ÷ periods),
// Calc.Prorate (the share of a period, rounded cumulatively so split
// periods add up), HoursPay and MulDiv (a × n ÷ d exactly, then one
// rounding).
//
// # Proration
//
// Salaries of employees who join, leave or take unpaid leave within a
// period are prorated by the method of the pack or the employee
// (ProrationMethod): calendar days, working days, 30-day months or
// contract hours. Each day of the period gets a weight; a segment is paid
// its contract's period salary × its paid weight ÷ the weight of the whole
// period. Half-day absences weigh half.
//
// # Calendars
//
// Calendar generates weekly, biweekly, semimonthly (1–15, 16–end) and
// monthly periods. Pay dates that fall on a weekend or holiday move to the
// previous working day. A period belongs to the year of its last day or of
// its pay date (YearBasis), which numbers it and decides where its amounts
// accumulate.
//
// # Accumulators and retro
//
// Accumulators hold period, quarter-to-date and year-to-date figures per
// line code, per base, and of gross and net pay. They come in with the
// input (a store fills them from posted payslips), rules read them for
// ceilings and thresholds, and the payslip returns them updated.
//
// Retro compares a period as originally calculated with the same period
// calculated again with today's records and returns difference lines
// marked with the period they correct; the current period's calculation
// pays them (Input.Retro).
//
// # Errors and personal data
//
// A calculation fails for one employee with an *Error that carries the
// employee's ID and personnel number, the period and the rule, and wraps a
// sentinel (ErrNoCompensation, ErrCurrency, ErrNegativeNet …); test with
// errors.Is. Messages never contain names, amounts or hours, nor employee
// IDs (free text, which may be an e-mail address): they name the employee
// by personnel number, or by hr.IDRef of the ID where the number is not
// known. Net pay below zero is an error, never clamped.
//
// # Concurrency
//
// Calculate, Retro and the calendar functions are safe for concurrent use.
// Packs, tables and holidays are immutable values once built and may be
// shared by any number of concurrent calculations.
package payroll
