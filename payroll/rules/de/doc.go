// Package de is the German rule pack for package payroll: wage tax,
// solidarity surcharge and church tax through the BMF's Programmablaufplan
// (package pap), and social insurance (health, care, pension,
// unemployment) with contribution ceilings, mini-jobs, the transition zone
// (Midijob) and the employer levies U1, U2 and U3, posted against DATEV
// SKR03 or SKR04.
//
//	packs, err := de.Packs(&de.Options{Chart: de.SKR04})
//	pack, err := packs.Select(de.ID, period.End) // "2026.1" for a 2026 period
//	slip, err := payroll.Calculate(input, pack)  // input.TaxProfile.Jurisdiction "DE"
//
// # Versions and tables
//
// There is one pack version a calendar year ("2025.1", "2026.1"), chosen by
// the period's last day, the day that decides the tax year of current pay
// (§ 38a Abs. 1 Satz 2 EStG); a period no version covers fails with
// payroll.ErrNoPackVersion. Every rate, ceiling and limit is dated data
// (payroll.Table): DefaultRates, DefaultLevies and DefaultChurchTax, each
// replaceable through Options, so a change within a year is a second entry.
//
// # Rules
//
//  1. RuleEarnings, RulePreTax: package generic's earnings and pension
//     deferrals; pay counts in the bases BaseTax and BaseSocial.
//     RuleDeferral then keeps deferrals free of tax only up to 8 % and of
//     social insurance up to 4 % of the year's pension ceiling (§ 3 Nr. 63
//     EStG, § 1 Abs. 1 Nr. 9 SvEV), tracked through the year by
//     CodeDeferralTax and CodeDeferralSV; the excess goes back into the
//     base (CodeDeferralTaxOver, CodeDeferralSVOver).
//  2. RuleSocial: the contributions. Current pay is capped at the ceiling
//     of the period (annual ceiling × social insurance days ÷ 360: a
//     month is 1/12), one-time pay (bonuses, commissions) at the ceiling of
//     the year so far less the capped pay of earlier periods, tracked in the
//     accumulators by information lines (CodePensionCeiling,
//     CodePensionBase …). Health: (14.6 % + the fund's supplement) ÷ 2
//     each. Care: 3.6 %, 1.8 % each, in Saxony 2.3 % employee and 1.3 %
//     employer; the childless surcharge of 0.6 % and the reductions of 0.25
//     points per child under 25 from the second to the fifth change the
//     employee's share only. Pension 18.6 % and unemployment 2.6 %, half
//     each. Every share is rounded half up to the cent. Levies U1 and U2
//     (Options.Levies) on current pay up to the pension ceiling and the
//     insolvency levy on pension-insurable pay, employer only.
//  3. RuleWageTax: the PAP of the period's year on the taxable pay and the
//     tax profile, adding CodeWageTax, CodeSolidarity and CodeChurchTax.
//  4. RulePostTax: garnishments.
//
// # Mini-jobs and the transition zone
//
// A monthly period whose current pay is at most the mini-job limit (556 €
// in 2025, 603 € in 2026), or an employee with Extra "de.employment" =
// "minijob", is a mini-job: flat-rate employer contributions (health 13 %,
// pension 15 %), the employee's pension top-up of 3.6 % unless exempt
// (Extra "de.pension_exempt"), the flat-rate tax of 2 % instead of wage
// tax, and the Minijob-Zentrale's U1, U2 and insolvency levy, all pack
// data. Pay above the limit up to 2,000 € uses the transition zone's
// formulas (§ 20 Abs. 2a SGB IV), with the year's factor F (0.6683 in
// 2025, 0.6619 in 2026):
//
//	BE    = F × G + ([UG / (UG − G)] − [G / (UG − G)] × F) × (AE − G)
//	BE_AN = [UG / (UG − G)] × (AE − G)
//
// where AE is the pay, G the mini-job limit and UG 2,000 €. Each branch's
// total contribution is BE × half the full rate, rounded half up and
// doubled (§ 2 BVV, as in the Minijob-Zentrale's worked examples), the
// employee's share BE_AN × the employee's rate rounded half up, the
// employer's the difference.
//
// # Wage tax inputs
//
// LZZ from the pay frequency (monthly 2, weekly 3, biweekly two weeks,
// semimonthly by days), RE4 the period's current taxable pay in cent,
// SONSTB one-time pay with JRE4 the expected annual current pay, STKL the
// tax class, ZKF the child allowances, KVZ the health supplement, PVZ the
// childless surcharge, PVA the care reductions, PVS Saxony, R church
// membership, KRV, ALV and PKV 0 (statutory insurance), AF and F the factor
// of class IV (Extra "de.factor"). Church tax is the church-tax base BK ×
// 8 % (Bavaria, Baden-Württemberg) or 9 % (elsewhere), by hr.GermanTax.State,
// in cent with fractions of a cent dropped.
//
// # Private health insurance
//
// An employee with the Extra keys ExtraPrivateHealth and ExtraPrivateCare
// (monthly premiums) pays no statutory health or care contributions; the
// employer's subsidies, half of each premium up to the employer's share on
// the health base, are paid with the salary as CodeHealthSubsidy and
// CodeCareSubsidy (free of tax and contributions), and the wage tax takes
// the premiums and subsidies into its provision allowance (PAP PKV, PKPV,
// PKPVAGZ).
//
// # Tax profile
//
// The rules read Input.TaxProfile: hr.GermanTax and the Extra keys
// ExtraFactor, ExtraEmployment, ExtraPensionExempt, ExtraCareChildren and
// ExtraCareChildrenUnder25. A profile the pack cannot use fails the
// employee's calculation with a *FieldError naming the field and wrapping
// ErrTaxClass, ErrFactor, ErrState, ErrNoTaxProfile or ErrProfile, and
// payroll.ErrInvalidInput; payroll.Calculate wraps it in a *payroll.Error
// naming the employee.
//
// # Accounts
//
// Lines carry the accounts of Options.Chart (AccountsOf): earnings the
// salaries expense, wage, solidarity and church tax the wage-tax liability,
// every contribution and levy the social-security liability with, for the
// employer's, the statutory social expenses as Offset.
//
// # Not covered
//
// Simplifications a payroll office must know: a mini-job pays the flat 13 %
// health contribution even for a privately insured employee; the March
// clause for one-time pay (§ 23a Abs. 4 SGB IV) is not applied.
// The state that decides church tax and Saxony's care split is the one of
// the employer's establishment: set hr.GermanTax.State to it.
//
// # Concurrency
//
// Packs are immutable once built and safe for concurrent use by any number
// of calculations.
package de
