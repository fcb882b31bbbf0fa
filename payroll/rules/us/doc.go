// Package us is the rule pack of the United States, federal level, for
// 2025 and 2026: federal income-tax withholding by the percentage method
// for automated payroll systems (IRS Publication 15-T, Worksheet 1A),
// supplemental wages, Social Security, Medicare and Additional Medicare
// tax (FICA) and federal unemployment tax (FUTA).
//
//	pack, err := us.New(nil) // the defaults; or us.New(&us.Config{…})
//	slip, err := payroll.Calculate(input, pack)
//
// The input's pay currency must be USD, its TaxProfile the employee's Form
// W-4 (hr.USTax, jurisdiction "US" or "US-xx"), and its YTD the
// accumulators of the employee's previous payslip: wage bases and
// thresholds are per calendar year of the payment date, so use a pay
// calendar with payroll.ByPayDate (a period whose year is not its pay
// date's is refused).
//
// # Rules
//
// New returns a *payroll.Pack with six rules, run in this order:
//
//  1. RuleEarnings: salary, hours, allowances, benefits in kind and
//     one-time items, as package generic pays them. Bonuses and
//     commissions are supplemental wages (BaseSupplemental); the other
//     earnings regular wages (BaseFIT); all count in BaseFICA and
//     BaseFUTA; expense reimbursements in none.
//  2. RulePreTax: hr.PensionDeferral pay items, prorated like the salary,
//     by the Plan Config.Plans gives their code: a 401(k) deferral reduces
//     BaseFIT only, a section 125 deduction BaseFIT, BaseFICA and
//     BaseFUTA, a Roth contribution is withheld after tax.
//  3. RuleFederalWithholding: Worksheet1A on the period's regular wages
//     (plus its supplemental wages with the Aggregate method, or the flat
//     22 % on them with Flat), and 37 % on supplemental wages above
//     1,000,000 in the year, whatever the method and the W-4. An exempt
//     form (hr.USTax.Exempt) has nothing else withheld; an employee with
//     no tax profile at all is withheld for as a single filer with no
//     adjustments, as Pub. 15-T requires when no Form W-4 was furnished.
//  4. RuleFICA: Social Security 6.2 % from the employee and 6.2 % from the
//     employer up to the year's wage base; Medicare 1.45 % each without
//     cap; Additional Medicare 0.9 % from the employee on Medicare wages
//     above 200,000 in the year, whatever the filing status.
//  5. RuleFUTA: 0.6 % from the employer on the first 7,000 of the year.
//  6. RulePostTax: garnishments, as package generic withholds them.
//
// The year-to-date figures come from the accumulators: the bases BaseFICA,
// BaseFUTA and BaseSupplemental of the input's YTD.
//
// # Line codes
//
// "salary", "hours.<kind>", "allowance.<code>", the one-time items' codes
// (as in package generic); "pension_deferral.<code>"; "fit" (Worksheet
// 1A, its lines in the Trace), "fit.supplemental" (flat 22 %),
// "fit.mandatory" (37 %); "social_security.wages" and "futa.wages"
// (information: the capped wages); "social_security.employee",
// "social_security.employer", "medicare.employee", "medicare.employer",
// "additional_medicare.employee", "futa.employer". Lines carry the
// accounts of Config.Accounts (DefaultAccounts against ledger's default
// chart).
//
// # Tables
//
// FederalTables holds the data of each year as a payroll.Table entry from
// 1 January, looked up by the payment date (PayDate); a date in a year
// without an entry is refused with ErrNoTable. The annual percentage-method
// tables are embedded from tables/annual-percentage-method.csv, whose
// source, edition and verification tables/README.md records; every
// Federal carries them in Source.
//
// # Rounding
//
// Worksheet 1A rounds half up to the cent at lines 2f (the excess times
// the rate), 2h (the annual amount ÷ periods) and 3b (step 3 ÷ periods);
// with Config.Withholding = WholeDollars the amount to withhold is rounded
// half up to the dollar. Every FICA, FUTA and supplemental amount rounds
// half up to the cent, once, per line.
//
// # State packs
//
// State income taxes are not in this package. A state is its own rules and
// its own tables, added to the federal pack; nothing here changes:
//
//	// package payroll/rules/us/ca
//	var tables = payroll.Table[Brackets]{{From: date.New(2026, 1, 1), Value: …}}
//
//	func Rule() payroll.Rule {
//		return payroll.RuleFunc("us-ca.withholding", func(c *payroll.Calc) error {
//			b, ok := tables.At(us.PayDate(c))
//			if !ok { … }
//			wages, err := c.Base(us.BaseFIT) // or a base of the state's own
//			…
//			return c.Add(payroll.Line{Code: "sit.ca", Kind: payroll.Tax, Amount: tax, Account: "…"})
//		})
//	}
//
//	pack, err := us.New(nil)
//	err = pack.InsertBefore(us.RulePostTax, ca.Rule())
//
// The state rule reads the federal bases (or adds earnings to bases of its
// own with an earlier rule), keeps its employee data (a state certificate)
// in the tax profile's Extra, dates its tables like FederalTables and runs
// before RulePostTax, so garnishments see net pay after every tax.
//
// # Errors
//
// An unusable Form W-4 (unknown filing status, negative step amounts, a
// form mixing 2019 allowances with 2020 steps) or a payment date no table
// covers fails the calculation with a *FieldError naming the employee's ID
// and the field, wrapping ErrInvalidW4 or ErrNoTable; payroll.Calculate
// returns it inside its *payroll.Error.
//
// # Not covered
//
// Nonresident-alien adjustments, FUTA credit reduction states, the wage-bracket method, Forms W-4P, and negative FICA or FUTA
// wages (corrections of earlier periods are not refunded here).
//
// # Concurrency
//
// Worksheet1A, FederalTables and New are safe for concurrent use; a pack is
// immutable once New returns it and may be shared by any number of
// concurrent calculations.
package us
