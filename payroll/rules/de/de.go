package de

import (
	"fmt"
	"slices"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/payroll/rules/generic"
)

// ID is the pack's ID, recorded on every line.
const ID = "de"

// The names of the pack's rules, in the order they run.
const (
	RuleEarnings = "de.earnings"
	RulePreTax   = "de.pre_tax"
	RuleDeferral = "de.deferral_limits"
	RuleSocial   = "de.social_insurance"
	RuleWageTax  = "de.wage_tax"
	RulePostTax  = "de.post_tax"
)

// The bases pay counts in: taxable pay (steuerpflichtiges Brutto) and pay
// subject to social insurance (SV-pflichtiges Brutto).
const (
	BaseTax    = "tax"
	BaseSocial = "sv"
)

// Line codes the pack adds besides the earnings lines of package generic
// ("salary", "hours.<kind>", "allowance.<code>", one-time items …).
const (
	CodeTaxGross        = "tax_gross"    // information: taxable pay of the period
	CodeHealthSubsidy   = "kv.subsidy"   // earning: employer's subsidy to a private health insurance, free of tax and contributions
	CodeCareSubsidy     = "pv.subsidy"   // earning: employer's subsidy to a private care insurance
	CodeDeferralTax     = "bav.tax_free" // information: deferred pay free of tax this period
	CodeDeferralSV      = "bav.sv_free"  // information: deferred pay free of social insurance this period
	CodeDeferralTaxOver = "bav.tax_over" // information: deferred pay beyond the tax limit, taxed
	CodeDeferralSVOver  = "bav.sv_over"  // information: deferred pay beyond the insurance limit, insured
	CodeSocialGross     = "sv_gross"     // information: pay subject to social insurance
	CodeWageTax         = "lst"          // Lohnsteuer
	CodeSolidarity      = "solz"         // Solidaritätszuschlag
	CodeChurchTax       = "kist"         // Kirchensteuer
	CodeHealthEE        = "kv.employee"  // Krankenversicherung, employee share
	CodeHealthER        = "kv.employer"
	CodeCareEE          = "pv.employee" // Pflegeversicherung
	CodeCareER          = "pv.employer"
	CodePensionEE       = "rv.employee" // Rentenversicherung
	CodePensionER       = "rv.employer"
	CodeUnemplEE        = "av.employee" // Arbeitslosenversicherung
	CodeUnemplER        = "av.employer"
	CodeU1              = "u1.employer"         // Umlage U1 (sick pay)
	CodeU2              = "u2.employer"         // Umlage U2 (maternity)
	CodeInsolvency      = "insolvency.employer" // Insolvenzgeldumlage (U3)
	CodeFlatTax         = "minijob.flat_tax"    // Pauschsteuer of a mini-job, 2 %
	// Information lines the ceilings are tracked with: the ceiling of the
	// period and the capped base, for health/care and pension/unemployment
	// insurance. Their year-to-date figures give the annual ceiling so far
	// and the base used, so one-time pay is capped across months.
	CodeHealthCeiling  = "sv.health.ceiling"
	CodeHealthBase     = "sv.health.base"
	CodePensionCeiling = "sv.pension.ceiling"
	CodePensionBase    = "sv.pension.base"
	// Information lines of the transition zone: the reduced base of the
	// total contribution (§ 20 Abs. 2a Satz 1 SGB IV) and of the employee
	// share (Satz 6).
	CodeMidijobBase     = "sv.midijob.base"
	CodeMidijobEmployee = "sv.midijob.employee_base"
)

// Chart selects the chart of accounts the lines post against.
type Chart string

// Charts. Their accounts are those of ledger.SKR03 and ledger.SKR04.
const (
	SKR03 Chart = "skr03"
	SKR04 Chart = "skr04"
)

// Accounts are the ledger accounts the pack puts on its lines.
type Accounts struct {
	Wages          string // salaries expense: earnings
	SocialExpense  string // statutory social expenses: employer shares and levies
	MinijobSocial  string // social expenses of mini-jobs: the flat-rate contributions
	FlatTaxExpense string // the flat-rate wage tax of mini-jobs
	TaxPayable     string // wage and church tax payable: LSt, SolZ, KiSt
	SocialPayable  string // social security payable: every contribution, levy and the flat tax
	Withholdings   string // deductions withheld for third parties: deferrals, garnishments
	NetPayable     string // net wages payable (used by the posting, not on lines)
}

// AccountsOf returns the accounts of a chart: for SKR03 4120 Gehälter, 4130
// Gesetzliche soziale Aufwendungen, 4144 Soziale Abgaben für Minijobber,
// 4194 Pauschale Steuer für Minijobber, 1741 Verbindlichkeiten aus Lohn- und
// Kirchensteuer, 1742 Verbindlichkeiten im Rahmen der sozialen Sicherheit,
// 1748 Verbindlichkeiten für Einbehaltungen von Arbeitnehmern, 1740
// Verbindlichkeiten aus Lohn und Gehalt; for SKR04 6020, 6110, 6171, 6036,
// 3730, 3740, 3725 and 3720. The zero Chart is SKR03; an unknown chart
// returns false.
func AccountsOf(c Chart) (Accounts, bool) {
	switch c {
	case SKR03, "":
		return Accounts{Wages: "4120", SocialExpense: "4130", MinijobSocial: "4144", FlatTaxExpense: "4194",
			TaxPayable: "1741", SocialPayable: "1742", Withholdings: "1748", NetPayable: "1740"}, true
	case SKR04:
		return Accounts{Wages: "6020", SocialExpense: "6110", MinijobSocial: "6171", FlatTaxExpense: "6036",
			TaxPayable: "3730", SocialPayable: "3740", Withholdings: "3725", NetPayable: "3720"}, true
	}
	return Accounts{}, false
}

// Options configure the pack. The zero Options (or nil) mean: SKR03,
// calendar-day proration, DefaultRates, DefaultLevies, DefaultChurchTax.
// Tables given here are kept by the pack and must not change afterwards.
type Options struct {
	// Chart selects the accounts (AccountsOf); zero is SKR03.
	Chart Chart
	// Accounts, if not zero, replace the chart's accounts: for a book kept
	// on another chart (the default chart, a company's own). Every field
	// must then be set.
	Accounts Accounts
	// Proration is the proration policy; a zero Method is CalendarDays.
	Proration payroll.Proration
	// Rates replace DefaultRates.
	Rates payroll.Table[Rates]
	// Levies are the employer's U1 and U2 rates at its employees' health
	// fund; nil is DefaultLevies. An entry of zero rates stops a levy (U1
	// for employers with more than 30 employees).
	Levies payroll.Table[Levies]
	// ChurchTax replaces DefaultChurchTax.
	ChurchTax payroll.Table[ChurchTaxRates]
}

// versions are the pack versions Packs returns: one a calendar year.
var versions = [...]int{2025, 2026}

// Packs returns a version of the pack for each year with a wage-tax PAP:
// "2025.1" valid in 2025 and "2026.1" valid in 2026, sharing the dated
// tables. Select one with Packs.Select(de.ID, period.End). It fails as New.
func Packs(opts *Options) (payroll.Packs, error) {
	ps := make(payroll.Packs, 0, len(versions))
	for _, y := range versions {
		p, err := New(y, opts)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	return ps, nil
}

// New returns the pack version for a calendar year ("2026.1", valid from 1
// January to 31 December), whose periods it calculates by their last day.
// It fails with an error wrapping payroll.ErrNoPackVersion for a year
// without a version, and payroll.ErrInvalidPack for malformed options. The
// pack is immutable and safe for concurrent use.
func New(year int, opts *Options) (*payroll.Pack, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	known := false
	for _, y := range versions {
		known = known || y == year
	}
	if !known {
		return nil, fmt.Errorf("%w: pack %s has no version for %d", payroll.ErrNoPackVersion, ID, year)
	}
	acc, ok := AccountsOf(o.Chart)
	if !ok {
		return nil, fmt.Errorf("%w: de: unknown chart %q", payroll.ErrInvalidPack, o.Chart)
	}
	if o.Accounts != (Accounts{}) {
		if slices.Contains([]string{o.Accounts.Wages, o.Accounts.SocialExpense, o.Accounts.MinijobSocial, o.Accounts.FlatTaxExpense,
			o.Accounts.TaxPayable, o.Accounts.SocialPayable, o.Accounts.Withholdings, o.Accounts.NetPayable}, "") {
			return nil, fmt.Errorf("%w: de: Options.Accounts must set every account", payroll.ErrInvalidPack)
		}
		acc = o.Accounts
	}
	if o.Proration.Method == "" {
		o.Proration.Method = payroll.CalendarDays
	}
	if o.Rates == nil {
		o.Rates = DefaultRates()
	}
	if o.Levies == nil {
		o.Levies = DefaultLevies()
	}
	if o.ChurchTax == nil {
		o.ChurchTax = DefaultChurchTax()
	}
	if err := validateTables(&o); err != nil {
		return nil, err
	}
	from, to := date.New(year, 1, 1), date.New(year, 12, 31)
	version := fmt.Sprintf("%d.1", year)
	// A deferral lowers both bases; RuleDeferral adds back what exceeds the
	// year's limits.
	deferral := generic.Treatment{Bases: []string{BaseTax, BaseSocial}, Account: acc.Withholdings}
	earn, err := generic.New(generic.Config{
		ID: ID, Version: version, ValidFrom: from, ValidTo: to,
		Rounding: money.HalfUp, Proration: o.Proration,
		Bases: []string{BaseTax, BaseSocial}, WageAccount: acc.Wages,
		Items: map[hr.ItemKind]generic.Treatment{
			hr.PensionDeferral: deferral,
			hr.Garnishment:     {Account: acc.Withholdings},
		},
	})
	if err != nil {
		return nil, err
	}
	g := map[string]payroll.Rule{}
	for _, r := range earn.Rules {
		g[r.Name()] = r
	}
	p := &pack{opts: o, acc: acc}
	pk := &payroll.Pack{
		ID: ID, Version: version, ValidFrom: from, ValidTo: to, Proration: o.Proration,
		Rules: []payroll.Rule{
			payroll.RuleFunc(RuleEarnings, g[generic.RuleEarnings].Apply),
			payroll.RuleFunc(RulePreTax, g[generic.RulePreTax].Apply),
			payroll.RuleFunc(RuleDeferral, p.deferralLimits),
			payroll.RuleFunc(RuleSocial, p.social),
			payroll.RuleFunc(RuleWageTax, p.wageTax),
			payroll.RuleFunc(RulePostTax, g[generic.RulePostTax].Apply),
		},
	}
	if err := pk.Validate(); err != nil {
		return nil, err
	}
	return pk, nil
}

func validateTables(o *Options) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: de: "+format, append([]any{payroll.ErrInvalidPack}, args...)...)
	}
	for _, err := range []error{o.Rates.Validate(), o.Levies.Validate(), o.ChurchTax.Validate()} {
		if err != nil {
			return err
		}
	}
	for _, e := range o.Rates {
		r := e.Value
		for _, a := range []money.Amount{r.HealthCeiling, r.PensionCeiling, r.MinijobLimit, r.MidijobLimit} {
			if a.Currency() != money.EUR || !a.IsPositive() {
				return bad("rates from %s: ceilings and limits must be positive EUR amounts", e.From)
			}
		}
		if c, _ := r.MinijobLimit.Cmp(r.MidijobLimit); c >= 0 {
			return bad("rates from %s: mini-job limit must be below the transition zone's end", e.From)
		}
		if !r.MidijobFactor.IsPositive() || r.MidijobFactor.GreaterThan(one) {
			return bad("rates from %s: factor F must be in (0, 1]", e.From)
		}
	}
	return nil
}

// pack holds what the rules read.
type pack struct {
	opts Options
	acc  Accounts
}

func noVersion(what string, on date.Date) error {
	return fmt.Errorf("%w: de: %s has no entry valid on %s", payroll.ErrNoPackVersion, what, on)
}
