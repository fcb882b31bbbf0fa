package de

import (
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
)

// Keys of hr.TaxProfile.Extra the pack reads. hr.GermanTax holds what every
// German employee has; these hold what only some need.
const (
	// ExtraFactor is the factor of the factor method (Faktorverfahren,
	// § 39f EStG) in tax class IV, such as "0.912": (0, 1], at most three
	// decimals.
	ExtraFactor = "de.factor"
	// ExtraEmployment forces the kind of employment: "minijob" (a
	// mini-job, flat-rate contributions and tax) or "regular" (never a
	// mini-job or the transition zone, for apprentices). Without it a
	// monthly period whose current pay is at most the mini-job limit is a
	// mini-job, and pay up to the transition zone's end uses its formula.
	ExtraEmployment = "de.employment"
	// ExtraPensionExempt "true" marks a mini-jobber exempt from pension
	// insurance (§ 6 Abs. 1b SGB VI): no employee pension share.
	ExtraPensionExempt = "de.pension_exempt"
	// ExtraCareChildren is the number of children the employee has proven
	// for care insurance (Elterneigenschaft, § 55 Abs. 3 SGB XI): with one
	// or more there is no childless surcharge.
	ExtraCareChildren = "de.care_children"
	// ExtraCareChildrenUnder25 is the number of those children under 25,
	// which reduce the employee's care rate from the second child on; it
	// defaults to ExtraCareChildren.
	ExtraCareChildrenUnder25 = "de.care_children_under_25"
	// ExtraPrivateHealth and ExtraPrivateCare are the monthly premiums,
	// in euro ("612.40"), of an employee insured privately for health and
	// care (PKV, PPV; basic cover, § 10 Abs. 1 Nr. 3 EStG): no statutory
	// health or care contributions, an employer subsidy of half the
	// premium up to half the statutory contribution on the ceiling
	// (§ 257 SGB V, § 61 SGB XI), and the premiums in the wage tax's
	// provision allowance (PAP PKV, PKPV, PKPVAGZ).
	ExtraPrivateHealth = "de.pkv_premium"
	ExtraPrivateCare   = "de.ppv_premium"
)

// Employment kinds (ExtraEmployment).
const (
	employmentAuto    = ""
	employmentMinijob = "minijob"
	employmentRegular = "regular"
)

// profile is the tax profile as the rules use it.
type profile struct {
	class      int
	factor     decimal.Decimal // zero: none
	children   decimal.Decimal // Kinderfreibeträge
	church     bool
	state      string
	supplement decimal.Decimal // fraction, 0.029
	parent     bool            // no childless surcharge
	under25    int             // children under 25 for care reductions
	employment string
	exempt     bool // mini-job pension exemption
	// private is set for an employee insured privately: pkv and ppv are
	// the monthly premiums.
	private  bool
	pkv, ppv money.Amount
}

var states = map[string]bool{
	"BW": true, "BY": true, "BE": true, "BB": true, "HB": true, "HH": true, "HE": true, "MV": true,
	"NI": true, "NW": true, "RP": true, "SL": true, "SN": true, "ST": true, "SH": true, "TH": true,
}

var (
	one            = decimal.NewFromInt(1)
	maxSupplement  = decimal.NewFromInt(10)
	halfAllowances = decimal.RequireFromString("0.5")
)

// readProfile reads and checks the employee's German tax profile.
func readProfile(c *payroll.Calc) (profile, error) {
	tp := &c.Input().TaxProfile
	if tp.Jurisdiction != "DE" {
		return profile{}, fieldErr("jurisdiction", ErrNoTaxProfile)
	}
	g := tp.DE
	p := profile{class: g.TaxClass, children: g.ChildAllowances, church: g.ChurchTax, state: g.State,
		supplement: g.HealthSupplement.Shift(-2)}
	switch {
	case g.TaxClass < 1 || g.TaxClass > 6:
		return profile{}, fieldErr("tax_class", ErrTaxClass)
	case g.ChildAllowances.IsNegative() || !g.ChildAllowances.Mod(halfAllowances).IsZero():
		return profile{}, fieldErr("child_allowances", ErrProfile)
	case g.HealthSupplement.IsNegative() || g.HealthSupplement.GreaterThan(maxSupplement):
		return profile{}, fieldErr("health_supplement", ErrProfile)
	case g.State != "" && !states[g.State], g.ChurchTax && g.State == "":
		return profile{}, fieldErr("state", ErrState)
	}
	if s, ok := tp.Extra[ExtraFactor]; ok {
		f, err := decimal.NewFromString(s)
		if err != nil || !f.IsPositive() || f.GreaterThan(one) || !f.Equal(f.Truncate(3)) || g.TaxClass != 4 {
			return profile{}, fieldErr("extra."+ExtraFactor, ErrFactor)
		}
		p.factor = f
	}
	switch e := tp.Extra[ExtraEmployment]; e {
	case employmentAuto, employmentMinijob, employmentRegular:
		p.employment = e
	default:
		return profile{}, fieldErr("extra."+ExtraEmployment, ErrProfile)
	}
	switch s := tp.Extra[ExtraPensionExempt]; s {
	case "", "false":
	case "true":
		p.exempt = true
	default:
		return profile{}, fieldErr("extra."+ExtraPensionExempt, ErrProfile)
	}
	for _, f := range []struct {
		key string
		a   *money.Amount
	}{{ExtraPrivateHealth, &p.pkv}, {ExtraPrivateCare, &p.ppv}} {
		*f.a = money.Zero(money.EUR)
		s, ok := tp.Extra[f.key]
		if !ok {
			continue
		}
		a, err := money.Parse(s, money.EUR)
		if err != nil || a.IsNegative() {
			return profile{}, fieldErr("extra."+f.key, ErrProfile)
		}
		*f.a, p.private = a, true
	}
	count := func(key string) (int, bool, error) {
		s, ok := tp.Extra[key]
		if !ok {
			return 0, false, nil
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 99 {
			return 0, false, fieldErr("extra."+key, ErrProfile)
		}
		return n, true, nil
	}
	kids, haveKids, err := count(ExtraCareChildren)
	if err != nil {
		return profile{}, err
	}
	young, haveYoung, err := count(ExtraCareChildrenUnder25)
	if err != nil {
		return profile{}, err
	}
	switch {
	case haveKids:
		p.parent = kids > 0
		p.under25 = kids
	default:
		// Without care data, child allowances stand for parenthood.
		p.parent = g.ChildAllowances.IsPositive()
	}
	if haveYoung {
		if haveKids && young > kids {
			return profile{}, fieldErr("extra."+ExtraCareChildrenUnder25, ErrProfile)
		}
		p.under25 = young
		p.parent = p.parent || young > 0
	}
	return p, nil
}

// childless reports whether the care surcharge applies in the period: no
// proven child and 23 or older, from the month after the 23rd birthday
// (§ 55 Abs. 3 Satz 1 SGB XI). An unknown birth date counts as an adult.
func (p *profile) childless(birth date.Date, period payroll.Period) bool {
	if p.parent {
		return false
	}
	// The 23rd year of life is completed at the end of the day before the
	// 23rd birthday (§§ 187 Abs. 2, 188 Abs. 2 BGB); the surcharge is due
	// from the month after the one in which that day falls.
	return birth.IsZero() || birth.AddMonths(23*12).AddDays(-1).Before(period.End.StartOfMonth())
}

// reductions returns the number of care reductions: one per child under
// 25 from the second to the fifth (§ 55 Abs. 3 Satz 4 SGB XI), 0–4.
func (p *profile) reductions() int { return min(max(p.under25-1, 0), 4) }

// ChurchTaxRates are the church tax rates: a percentage of the church-tax
// base (the wage tax, BK of the PAP) by federal state.
type ChurchTaxRates struct {
	// Default applies in the states not in States.
	Default decimal.Decimal
	// States maps ISO 3166-2 codes without "DE-" to their rate.
	States map[string]decimal.Decimal
}

// DefaultChurchTax returns the church tax rates from 2025: 8 % in Bavaria
// and Baden-Württemberg, 9 % elsewhere (the states' church tax laws, e.g.
// Art. 6 KiStG Bayern, § 6 KiStG Baden-Württemberg with the churches'
// rate resolutions, KiStG NRW § 4). It returns a new table on every call.
func DefaultChurchTax() payroll.Table[ChurchTaxRates] {
	return payroll.Table[ChurchTaxRates]{{From: date.New(2025, 1, 1), Value: ChurchTaxRates{
		Default: pct("9"),
		States:  map[string]decimal.Decimal{"BY": pct("8"), "BW": pct("8")},
	}}}
}

// rate returns the church tax rate of a state.
func (r ChurchTaxRates) rate(state string) decimal.Decimal {
	if x, ok := r.States[state]; ok {
		return x
	}
	return r.Default
}

// kind is the kind of employment in a period.
type kind int

const (
	regular kind = iota
	minijob
	midijob // regular pay inside the transition zone
)

// classify returns the kind of employment in the period given its current
// pay and its total pay subject to social insurance.
func classify(c *payroll.Calc, p *profile, r *Rates, current, total money.Amount) (kind, error) {
	monthly := c.Period().Frequency == hr.MonthlyPay
	switch p.employment {
	case employmentRegular:
		return regular, nil
	case employmentMinijob:
		if !monthly {
			return 0, fieldErr("extra."+ExtraEmployment, ErrProfile)
		}
		return minijob, nil
	}
	if !monthly || !total.IsPositive() {
		return regular, nil
	}
	// A month employed in part compares its pay with the limits for its
	// days, so that a joiner is classed by the pay of a whole month.
	g, ug, err := limits(c, r)
	if err != nil {
		return 0, err
	}
	if cmp, _ := current.Cmp(g); cmp <= 0 {
		return minijob, nil
	}
	if cmp, _ := total.Cmp(ug); cmp <= 0 {
		return midijob, nil
	}
	return regular, nil
}

// limits returns the mini-job limit G and the upper limit of the transition
// zone UG for the period: for a month employed in part, the monthly limits
// × social insurance days ÷ 30, rounded half up to the cent (the limits of
// a partial month, as the ceilings are).
func limits(c *payroll.Calc, r *Rates) (g, ug money.Amount, err error) {
	days := socialDays(c)
	if days >= 30 || c.Period().Frequency != hr.MonthlyPay {
		return r.MinijobLimit, r.MidijobLimit, nil
	}
	part := func(a money.Amount) (money.Amount, error) {
		return payroll.MulDiv(a, decimal.NewFromInt(days), decimal.NewFromInt(30), money.HalfUp)
	}
	if g, err = part(r.MinijobLimit); err != nil {
		return
	}
	ug, err = part(r.MidijobLimit)
	return
}
