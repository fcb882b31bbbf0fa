package de

import (
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
)

// Rates are the social insurance figures of one validity period: contribution
// rates as fractions (0.146 for 14.6 %), annual contribution ceilings, the
// mini-job and transition-zone limits and the employer levies fixed by law.
// A Rates value is data; write it as a literal.
type Rates struct {
	// Health is the general health insurance rate (allgemeiner
	// Beitragssatz, § 241 SGB V), split half/half; the fund's supplement
	// (hr.GermanTax.HealthSupplement, § 242 SGB V) is added and split
	// half/half too (§ 249 Abs. 1 SGB V).
	Health decimal.Decimal
	// Care is the care insurance rate (§ 55 Abs. 1 SGB XI), split
	// half/half (§ 58 Abs. 1 SGB XI) except in Saxony.
	Care decimal.Decimal
	// CareSaxonyEmployee is the employee's share of Care where the place of
	// work is in Saxony (§ 58 Abs. 3 SGB XI: the employee bears 1 point
	// alone, the rest half/half); the employer pays Care − this.
	CareSaxonyEmployee decimal.Decimal
	// CareChildless is the surcharge of childless employees from 23
	// (§ 55 Abs. 3 SGB XI), paid by the employee alone.
	CareChildless decimal.Decimal
	// CareChildReduction is the reduction of the employee's care rate per
	// child under 25 from the second to the fifth child (§ 55 Abs. 3
	// Satz 4 SGB XI).
	CareChildReduction decimal.Decimal
	// Pension and Unemployment are the pension (§ 158 SGB VI) and
	// unemployment insurance (§ 341 SGB III) rates, split half/half.
	Pension, Unemployment decimal.Decimal
	// HealthCeiling is the annual contribution ceiling of health and care
	// insurance, PensionCeiling that of pension and unemployment insurance
	// (Beitragsbemessungsgrenzen). Current pay is capped at the ceiling of
	// the period, one-time pay at the ceiling of the year so far (§ 23a
	// SGB IV).
	HealthCeiling, PensionCeiling money.Amount
	// AverageSupplement is the average health-insurance supplement the
	// ministry announces for the year (§ 242a SGB V), which bounds the
	// employer's subsidy to a private health insurance (§ 257 SGB V).
	AverageSupplement decimal.Decimal
	// Insolvency is the insolvency levy (Insolvenzgeldumlage, U3, § 360
	// SGB III), paid by the employer on the pension-insurable pay.
	Insolvency decimal.Decimal
	// MinijobLimit is the monthly limit of a mini-job
	// (Geringfügigkeitsgrenze, § 8 Abs. 1a SGB IV) and MidijobLimit the
	// upper end of the transition zone (Übergangsbereich, § 20 Abs. 2
	// SGB IV).
	MinijobLimit, MidijobLimit money.Amount
	// MidijobFactor is the factor F of § 20 Abs. 2a SGB IV, 28 % ÷ the
	// total social insurance rate of the year, announced by the BMAS.
	MidijobFactor decimal.Decimal
	// Minijob are the flat-rate contributions of a mini-job.
	Minijob MinijobRates
	// Source cites where the figures come from.
	Source string
}

// MinijobRates are the flat-rate contributions of a mini-job (geringfügig
// entlohnte Beschäftigung), paid to the Minijob-Zentrale.
type MinijobRates struct {
	// Health is the employer's flat-rate health contribution (§ 249b
	// SGB V), owed for employees insured in the statutory scheme.
	Health decimal.Decimal
	// Pension is the employer's flat-rate pension contribution (§ 172
	// Abs. 3 SGB VI); PensionEmployee the employee's top-up to the full
	// rate (§ 168 Abs. 1 Nr. 1b SGB VI), not owed if the employee is
	// exempt (§ 6 Abs. 1b SGB VI).
	Pension, PensionEmployee decimal.Decimal
	// FlatTax is the employer's flat-rate wage tax (einheitliche
	// Pauschsteuer, § 40a Abs. 2 EStG), which replaces wage tax, solidarity
	// surcharge and church tax.
	FlatTax decimal.Decimal
	// U1 and U2 are the Minijob-Zentrale's levies for sick pay and
	// maternity (§ 7 AAG).
	U1, U2 decimal.Decimal
	// PensionMinimum is the least monthly pay the full pension
	// contribution is computed on (Mindestbeitragsbemessungsgrundlage,
	// § 163 Abs. 8 SGB VI, 175 €; for a month employed in part, its share
	// by days): below it the employee's top-up makes up the difference.
	PensionMinimum money.Amount
}

// Levies are the employer levies that depend on the employee's health
// fund (Aufwendungsausgleichsgesetz): U1 for sick pay, owed only by
// employers with at most 30 employees (set it to zero otherwise), and U2
// for maternity. Fractions, 0.016 for 1.6 %.
type Levies struct {
	U1, U2 decimal.Decimal
}

func pct(s string) decimal.Decimal { return decimal.RequireFromString(s).Shift(-2) }

func eur(s string) money.Amount { return money.MustParse(s, money.EUR) }

// DefaultRates returns the social insurance figures from 2025 on, one entry a
// year, each citing its sources. It returns a new table on every call.
func DefaultRates() payroll.Table[Rates] {
	return payroll.Table[Rates]{
		{From: date.New(2025, 1, 1), Value: Rates{
			Health: pct("14.6"), Care: pct("3.6"), CareSaxonyEmployee: pct("2.3"),
			CareChildless: pct("0.6"), CareChildReduction: pct("0.25"),
			Pension: pct("18.6"), Unemployment: pct("2.6"),
			HealthCeiling: eur("66150.00"), PensionCeiling: eur("96600.00"), AverageSupplement: pct("2.5"),
			Insolvency:   pct("0.15"),
			MinijobLimit: eur("556.00"), MidijobLimit: eur("2000.00"), MidijobFactor: decimal.RequireFromString("0.6683"),
			Minijob: MinijobRates{Health: pct("13"), Pension: pct("15"), PensionEmployee: pct("3.6"),
				FlatTax: pct("2"), U1: pct("1.1"), U2: pct("0.22"), PensionMinimum: eur("175.00")},
			Source: "Sozialversicherungs-Rechengrößenverordnung 2025 (ceilings 96,600 € / 66,150 €); " +
				"§ 241 SGB V 14.6 %; § 55 Abs. 1 SGB XI 3.6 % from 2025-01-01 (Beitragssatzanpassungsverordnung 2024), " +
				"§ 58 Abs. 3 SGB XI Saxony 2.3 %/1.3 %, § 55 Abs. 3 SGB XI surcharge 0.6 % and reductions 0.25 points; " +
				"§ 158 SGB VI 18.6 %; § 341 SGB III 2.6 %; Insolvenzgeldumlage 0.15 % (§ 360 SGB III, no ordinance for 2025); " +
				"Geringfügigkeitsgrenze 556 € (§ 8 Abs. 1a SGB IV, minimum wage 12.82 €); factor F 0.6683 = 28 / 41.9 " +
				"(BMAS announcement, BAnz. December 2024); Minijob-Zentrale 2025: U1 1.1 %, U2 0.22 %",
		}},
		{From: date.New(2026, 1, 1), Value: Rates{
			Health: pct("14.6"), Care: pct("3.6"), CareSaxonyEmployee: pct("2.3"),
			CareChildless: pct("0.6"), CareChildReduction: pct("0.25"),
			Pension: pct("18.6"), Unemployment: pct("2.6"),
			HealthCeiling: eur("69750.00"), PensionCeiling: eur("101400.00"), AverageSupplement: pct("2.9"),
			Insolvency:   pct("0.15"),
			MinijobLimit: eur("603.00"), MidijobLimit: eur("2000.00"), MidijobFactor: decimal.RequireFromString("0.6619"),
			Minijob: MinijobRates{Health: pct("13"), Pension: pct("15"), PensionEmployee: pct("3.6"),
				FlatTax: pct("2"), U1: pct("0.8"), U2: pct("0.22"), PensionMinimum: eur("175.00")},
			Source: "Sozialversicherungs-Rechengrößenverordnung 2026 (ceilings 101,400 € / 69,750 €, " +
				"8,450 € / 5,812.50 € a month); care 3.6 % unchanged in 2026 (Saxony 2.3 %/1.3 %, childless +0.6 %); " +
				"total rate 42.3 % = 14.6 + 2.9 (average supplement 2026) + 18.6 + 2.6 + 3.6, factor F 0.6619 = 28 / 42.3 " +
				"(BMAS announcement, BAnz. 18 December 2025); Insolvenzgeldumlage 0.15 % unchanged in 2026; " +
				"Geringfügigkeitsgrenze 603 € (minimum wage 13.90 €); Minijob-Zentrale 2026: U1 0.8 %, U2 0.22 %",
		}},
	}
}

// DefaultLevies returns the U1 and U2 rates used when Options.Levies is
// nil: 1.6 % and 0.44 %. They are illustrative mid-range values, not those
// of any fund: each health fund sets its own in its statutes, so set
// Options.Levies to your employees' fund's rates.
func DefaultLevies() payroll.Table[Levies] {
	return payroll.Table[Levies]{{From: date.New(2025, 1, 1), Value: Levies{U1: pct("1.6"), U2: pct("0.44")}}}
}
