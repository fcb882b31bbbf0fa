package de_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/payroll/rules/de"
	"github.com/openbackoffice/backoffice/payroll/rules/de/pap"
)

// TestEndToEnd2026 is the case: March 2026, 5,000 € a month, class
// I, church tax 9 % (NW), no children, supplement 2.9 %, childless:
//
//	KV  5,000 × (14.6 % + 2.9 %) ÷ 2      = 437.50
//	PV  5,000 × (1.8 % + 0.6 % childless) = 120.00  (3.6 % in 2026, half each)
//	RV  5,000 × 9.3 %                     = 465.00
//	AV  5,000 × 1.3 %                     =  65.00
//	LSt (PAP 2026, LZZ 2, RE4 500000)     = 782.41
//	SolZ                                  =   0.00  (below the exemption)
//	KiSt 78,241 ct × 9 % = 7,041.69 ct → 70.41 (cent dropped)
//	net 5,000 − 1,087.50 − 782.41 − 70.41 = 3,059.68
func TestEndToEnd2026(t *testing.T) {
	s := calculate(t, input(t, "2026-03-01", "5000.00", profile()), nil)
	got := amounts(t, s)
	want := map[string]string{
		"salary": "5000.00", "sv_gross": "5000.00", "tax_gross": "5000.00",
		"sv.health.ceiling": "5812.50", "sv.health.base": "5000.00",
		"sv.pension.ceiling": "8450.00", "sv.pension.base": "5000.00",
		"kv.employee": "437.50", "kv.employer": "437.50",
		"pv.employee": "120.00", "pv.employer": "90.00",
		"rv.employee": "465.00", "rv.employer": "465.00",
		"av.employee": "65.00", "av.employer": "65.00",
		"u1.employer": "80.00", "u2.employer": "22.00", "insolvency.employer": "7.50",
		"lst": "782.41", "kist": "70.41",
		"net": "3059.68",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("payslip (-want +got):\n%s", diff)
	}
	if s.PackVersion != "2026.1" {
		t.Errorf("pack version %s, want 2026.1", s.PackVersion)
	}
}

// TestAccountsExist checks every account the pack uses against the charts
// shipped with package ledger.
func TestAccountsExist(t *testing.T) {
	for _, tc := range []struct {
		chart de.Chart
		accts []ledger.Account
	}{{de.SKR03, ledger.SKR03("b")}, {de.SKR04, ledger.SKR04("b")}} {
		t.Run(string(tc.chart), func(t *testing.T) {
			have := map[string]bool{}
			for _, a := range tc.accts {
				have[a.Code] = true
			}
			a, ok := de.AccountsOf(tc.chart)
			if !ok {
				t.Fatal("unknown chart")
			}
			for _, code := range []string{a.Wages, a.SocialExpense, a.MinijobSocial, a.FlatTaxExpense,
				a.TaxPayable, a.SocialPayable, a.Withholdings, a.NetPayable} {
				if !have[code] {
					t.Errorf("account %s is not in the chart", code)
				}
			}
			// And every account on an actual payslip.
			s := calculate(t, input(t, "2026-03-01", "5000.00", profile()), &de.Options{Chart: tc.chart})
			for _, l := range s.Lines {
				for _, code := range []string{l.Account, l.Offset} {
					if code != "" && !have[code] {
						t.Errorf("line %s: account %s is not in the chart", l.Code, code)
					}
				}
			}
		})
	}
}

func withExtra(tp hr.TaxProfile, kv ...string) hr.TaxProfile {
	tp.Extra = map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		tp.Extra[kv[i]] = kv[i+1]
	}
	return tp
}

// TestContributions covers the variants of social insurance and church tax,
// each figure worked by hand in the comment of its case.
func TestContributions(t *testing.T) {
	sn := profile()
	sn.DE.State, sn.DE.ChurchTax = "SN", false
	by := profile()
	by.DE.State = "BY"
	kids := withExtra(profile(), de.ExtraCareChildren, "3")
	kids.DE.ChildAllowances = decimal.RequireFromString("1.5")
	noChurch := profile()
	noChurch.DE.ChurchTax = false
	exempt := withExtra(noChurch, de.ExtraPensionExempt, "true")
	tests := []struct {
		name   string
		salary string
		tp     hr.TaxProfile
		want   map[string]string // a subset of the payslip's amounts
		absent []string
	}{
		// Saxony: employee 2.3 % + 0.6 % = 2.9 % of 5,000 = 145.00,
		// employer 1.3 % = 65.00 (§ 58 Abs. 3 SGB XI).
		{"saxony care split", "5000.00", sn, map[string]string{"pv.employee": "145.00", "pv.employer": "65.00"}, []string{"kist"}},
		// Three children under 25: two reductions of 0.25 points, 1.8 −
		// 0.5 = 1.3 % of 5,000 = 65.00; the employer's 1.8 % stays 90.00.
		{"children reductions", "5000.00", kids, map[string]string{"pv.employee": "65.00", "pv.employer": "90.00"}, nil},
		// Bavaria: 8 % of BK 78,241 ct = 6,259.28 ct → 62.59.
		{"church tax 8 % in BY", "5000.00", by, map[string]string{"lst": "782.41", "kist": "62.59"}, nil},
		// Health ceiling 5,812.50, pension ceiling 8,450 a month:
		// KV 5,812.50 × 8.75 % = 508.59375 → 508.59; PV 5,812.50 × 2.4 %
		// = 139.50; RV 8,450 × 9.3 % = 785.85; AV 8,450 × 1.3 % = 109.85.
		{"monthly ceilings", "9000.00", noChurch, map[string]string{
			"sv.health.base": "5812.50", "sv.pension.base": "8450.00",
			"kv.employee": "508.59", "pv.employee": "139.50", "rv.employee": "785.85", "av.employee": "109.85",
			"insolvency.employer": "12.68"}, nil},
		// Mini-job at 600 € (limit 603 € in 2026): employer KV 13 % = 78.00,
		// RV 15 % = 90.00, flat tax 2 % = 12.00, U1 0.8 % = 4.80, U2 0.22 %
		// = 1.32, U3 0.15 % = 0.90; employee RV 600 × 18.6 % = 111.60 − 90
		// = 21.60; no wage tax.
		{"minijob", "600.00", noChurch, map[string]string{
			"kv.employer": "78.00", "rv.employer": "90.00", "rv.employee": "21.60", "minijob.flat_tax": "12.00",
			"u1.employer": "4.80", "u2.employer": "1.32", "insolvency.employer": "0.90", "net": "578.40"},
			[]string{"lst", "kv.employee", "pv.employee", "av.employee"}},
		// Exempt from pension insurance: no employee contribution at all.
		{"minijob exempt", "600.00", exempt, map[string]string{"rv.employer": "90.00", "net": "600.00"},
			[]string{"lst", "rv.employee"}},
		// Midijob at 1,000 € in 2026 (G 603, UG 2,000, F 0.6619):
		// BE = 0.6619 × 603 + (2000/1397 − 603/1397 × 0.6619) × 397
		//    = 854.06278 → 854.06; BE_AN = 2000/1397 × 397 = 568.36077 → 568.36.
		// Each total is BE × half the rate, rounded, doubled (§ 2 BVV):
		// KV 854.06 × 8.75 % = 74.730250 → 74.73 × 2 = 149.46, employee
		//    568.36 × 8.75 % = 49.73, employer 99.73.
		// PV 854.06 × 1.8 % = 15.37308 → 15.37 × 2 = 30.74, employee 568.36 ×
		//    1.8 % = 10.23 + surcharge 854.06 × 0.6 % = 5.12 → 15.35, employer
		//    30.74 − 10.23 = 20.51 (round(BE × 3.6 %) = 30.75 would give 20.52).
		// RV 854.06 × 9.3 % = 79.42758 → 79.43 × 2 = 158.86, employee 568.36
		//    × 9.3 % = 52.86, employer 106.00.
		// AV 854.06 × 1.3 % = 11.10278 → 11.10 × 2 = 22.20, employee 568.36 ×
		//    1.3 % = 7.39, employer 14.81 (not 22.21 − 7.39 = 14.82).
		{"midijob 1000", "1000.00", noChurch, map[string]string{
			"sv.midijob.base": "854.06", "sv.midijob.employee_base": "568.36",
			"kv.employee": "49.73", "kv.employer": "99.73",
			"pv.employee": "15.35", "pv.employer": "20.51",
			"rv.employee": "52.86", "rv.employer": "106.00",
			"av.employee": "7.39", "av.employer": "14.81",
			"insolvency.employer": "1.50"}, nil},
		// Midijob at 1,200 €: BE = [0.6619 × 603 × 1397 + 597 × (2000 −
		//    603 × 0.6619)] ÷ 1397 = 1083.25022 → 1083.25; BE_AN = 597 × 2000
		//    ÷ 1397 = 854.68862 → 854.69.
		// KV 1083.25 × 8.75 % = 94.784375 → 94.78 × 2 = 189.56, employee
		//    854.69 × 8.75 % = 74.785375 → 74.79, employer 114.77 (not
		//    round(1083.25 × 17.5 %) = 189.57 − 74.79 = 114.78).
		// PV 1083.25 × 1.8 % = 19.4985 → 19.50 × 2 = 39.00, employee 854.69 ×
		//    1.8 % = 15.38, employer 23.62.
		// RV 1083.25 × 9.3 % = 100.74225 → 100.74 × 2 = 201.48, employee
		//    854.69 × 9.3 % = 79.49, employer 121.99.
		// AV 1083.25 × 1.3 % = 14.08225 → 14.08 × 2 = 28.16, employee 854.69
		//    × 1.3 % = 11.11, employer 17.05.
		{"midijob 1200", "1200.00", noChurch, map[string]string{
			"sv.midijob.base": "1083.25", "sv.midijob.employee_base": "854.69",
			"kv.employee": "74.79", "kv.employer": "114.77",
			"pv.employer": "23.62",
			"rv.employee": "79.49", "rv.employer": "121.99",
			"av.employee": "11.11", "av.employer": "17.05"}, nil},
		// Midijob at 1,800 €: BE = 0.6619 × 603 + 1600.8743 × 1197/1397
		//    = 1770.81256 → 1770.81; BE_AN = 2000 × 1197/1397 = 1713.67215 → 1713.67.
		// KV 1770.81 × 8.75 % = 154.945875 → 154.95 × 2 = 309.90, employee
		//    1713.67 × 8.75 % = 149.95, employer 159.95.
		// PV 1770.81 × 1.8 % = 31.87458 → 31.87 × 2 = 63.74, employee 1713.67
		//    × 1.8 % = 30.85 + 1770.81 × 0.6 % = 10.62 → 41.47, employer
		//    63.74 − 30.85 = 32.89.
		// RV 1770.81 × 9.3 % = 164.68533 → 164.69 × 2 = 329.38, employee
		//    1713.67 × 9.3 % = 159.37, employer 170.01.
		// AV 1770.81 × 1.3 % = 23.02053 → 23.02 × 2 = 46.04, employee 1713.67
		//    × 1.3 % = 22.28, employer 23.76.
		{"midijob 1800", "1800.00", noChurch, map[string]string{
			"sv.midijob.base": "1770.81", "sv.midijob.employee_base": "1713.67",
			"kv.employee": "149.95", "kv.employer": "159.95",
			"pv.employee": "41.47", "pv.employer": "32.89",
			"rv.employee": "159.37", "rv.employer": "170.01",
			"av.employee": "22.28", "av.employer": "23.76"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			all := amounts(t, calculate(t, input(t, "2026-03-01", tc.salary, tc.tp), nil))
			got := map[string]string{}
			for k := range tc.want {
				got[k] = all[k]
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			for _, code := range tc.absent {
				if v, ok := all[code]; ok {
					t.Errorf("line %s = %s, want none", code, v)
				}
			}
		})
	}
}

// TestCeilingAcrossYear runs 2026 month by month, each payslip's YTD the
// next one's input: 8,000 € a month, and in December a 10,000 € bonus.
// Current pay is capped at 8,000 (pension, below 8,450) and 5,812.50
// (health) every month. In December the pension room is the year's
// ceiling so far less the base used: 12 × 8,450 − 11 × 8,000 − 8,000 =
// 5,400, so the pension base is 13,400; the health room is 12 × 5,812.50 −
// 12 × 5,812.50 = 0, so the health base stays 5,812.50.
func TestCeilingAcrossYear(t *testing.T) {
	tp := profile()
	var ytd payroll.Accumulators
	var last payroll.Payslip
	for m := 1; m <= 12; m++ {
		in := input(t, date.New(2026, timeMonth(m), 1).String(), "8000.00", tp)
		in.YTD = ytd
		if m == 12 {
			in.Items = []hr.OneTimeItem{{Employee: in.Employee.ID, Key: "xmas", Date: in.Period.End,
				Type: hr.Bonus, Amount: eur("10000.00")}}
		}
		last = calculate(t, in, nil)
		ytd = last.YTD
	}
	got := amounts(t, last)
	want := map[string]string{"sv.pension.base": "13400.00", "sv.health.base": "5812.50",
		"rv.employee": "1246.20", "kv.employee": "508.59"}
	for k := range got {
		if _, ok := want[k]; !ok {
			delete(got, k)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("December (-want +got):\n%s", diff)
	}
	if y := last.YTD.Line(de.CodePensionBase).Year.Number(); y != "101400.00" {
		t.Errorf("pension base of the year %s, want the ceiling 101400.00", y)
	}
	if y := last.YTD.Line(de.CodeHealthBase).Year.Number(); y != "69750.00" {
		t.Errorf("health base of the year %s, want the ceiling 69750.00", y)
	}
	// The bonus is taxed as a sonstiger Bezug: more than December's tax on
	// current pay alone.
	if lst, _ := last.Sum(de.CodeWageTax); !lst.IsPositive() {
		t.Errorf("no wage tax in December")
	}
}

// papTax runs the PAP directly, to cross-check the pack's mapping.
func papTax(t *testing.T, on string, stkl int, re4 int64, church bool) (lst, bk int64) {
	t.Helper()
	calc, err := pap.For(date.MustParse(on))
	if err != nil {
		t.Fatal(err)
	}
	in := pap.DefaultInput()
	in.LZZ, in.STKL, in.RE4 = 2, stkl, decimal.NewFromInt(re4)
	in.KVZ, in.PVZ = decimal.RequireFromString("2.9"), 1
	if church {
		in.R = 1
	}
	out, err := calc.Calculate(in)
	if err != nil {
		t.Fatal(err)
	}
	return out.LSTLZZ.IntPart(), out.BK.IntPart()
}

// TestVersions checks the selection by date and tax class VI against the
// PAP run directly.
func TestVersions(t *testing.T) {
	vi := profile()
	vi.DE.TaxClass = 6
	tests := []struct {
		name, day, version, healthCeiling string
		tp                                hr.TaxProfile
		stkl                              int
	}{
		{"2025", "2025-12-01", "2025.1", "5512.50", profile(), 1},
		{"2026", "2026-01-01", "2026.1", "5812.50", profile(), 1},
		{"class VI", "2026-06-01", "2026.1", "5812.50", vi, 6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := calculate(t, input(t, tc.day, "5000.00", tc.tp), nil)
			lst, bk := papTax(t, s.Period.End.String(), tc.stkl, 500000, true)
			kist := bk * 9 / 100
			got := amounts(t, s)
			want := map[string]string{"version": tc.version, "ceiling": tc.healthCeiling,
				"lst": eurCents(lst), "kist": eurCents(kist)}
			got2 := map[string]string{"version": s.PackVersion, "ceiling": got[de.CodeHealthCeiling],
				"lst": got["lst"], "kist": got["kist"]}
			if diff := cmp.Diff(want, got2); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	// 2025 and 2026 tax differs for the same pay.
	a, _ := papTax(t, "2025-12-31", 1, 500000, true)
	b, _ := papTax(t, "2026-01-31", 1, 500000, true)
	if a == b {
		t.Errorf("2025 and 2026 wage tax are both %d ct", a)
	}
}

func eurCents(c int64) string {
	return decimal.NewFromInt(c).Shift(-2).StringFixed(2)
}

// TestBadInput checks the typed errors: each names the employee (through
// *payroll.Error) and the field.
func TestBadInput(t *testing.T) {
	class7 := profile()
	class7.DE.TaxClass = 7
	noState := profile()
	noState.DE.State = ""
	factor4 := profile()
	factor4.DE.TaxClass = 4
	tests := []struct {
		name  string
		tp    hr.TaxProfile
		field string
		want  error
	}{
		{"tax class 7", class7, "tax_class", de.ErrTaxClass},
		{"factor above 1", withExtra(factor4, de.ExtraFactor, "1.5"), "extra.de.factor", de.ErrFactor},
		{"factor with four decimals", withExtra(factor4, de.ExtraFactor, "0.9125"), "extra.de.factor", de.ErrFactor},
		{"factor zero", withExtra(factor4, de.ExtraFactor, "0"), "extra.de.factor", de.ErrFactor},
		{"factor in class I", withExtra(profile(), de.ExtraFactor, "0.9"), "extra.de.factor", de.ErrFactor},
		{"church tax without state", noState, "state", de.ErrState},
		{"no German profile", hr.TaxProfile{Employee: "acme/1001", Jurisdiction: "AT"}, "jurisdiction", de.ErrNoTaxProfile},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := input(t, "2026-03-01", "5000.00", tc.tp)
			_, err := payroll.Calculate(in, pack(t, "2026-03-31", nil))
			var pe *payroll.Error
			var fe *de.FieldError
			switch {
			case !errors.Is(err, tc.want) || !errors.Is(err, payroll.ErrInvalidInput):
				t.Fatalf("err = %v, want %v and payroll.ErrInvalidInput", err, tc.want)
			case !errors.As(err, &pe) || pe.Employee != "acme/1001" || pe.PersonnelNumber != "1001":
				t.Errorf("err = %v, want a *payroll.Error naming acme/1001", err)
			case !errors.As(err, &fe) || fe.Field != tc.field:
				t.Errorf("err = %v, want field %s", err, tc.field)
			}
		})
	}
	// A factor of three decimals in class IV is fine.
	calculate(t, input(t, "2026-03-01", "5000.00", withExtra(factor4, de.ExtraFactor, "0.912")), nil)

	t.Run("no version for the date", func(t *testing.T) {
		ps, err := de.Packs(nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ps.Select(de.ID, date.MustParse("2027-01-31")); !errors.Is(err, payroll.ErrNoPackVersion) {
			t.Errorf("Select 2027: %v, want ErrNoPackVersion", err)
		}
		in := input(t, "2027-01-01", "5000.00", profile())
		_, err = payroll.Calculate(in, pack(t, "2026-12-31", nil))
		var pe *payroll.Error
		if !errors.Is(err, payroll.ErrNoPackVersion) || !errors.As(err, &pe) || pe.Employee != "acme/1001" {
			t.Errorf("Calculate 2027 with 2026.1: %v, want ErrNoPackVersion naming the employee", err)
		}
		if _, err := de.New(2027, nil); !errors.Is(err, payroll.ErrNoPackVersion) {
			t.Errorf("New(2027): %v, want ErrNoPackVersion", err)
		}
	})
	t.Run("unknown chart", func(t *testing.T) {
		if _, err := de.New(2026, &de.Options{Chart: "skr99"}); !errors.Is(err, payroll.ErrInvalidPack) {
			t.Errorf("err = %v, want ErrInvalidPack", err)
		}
	})
}

// TestOwnAccounts: Options.Accounts put a book's own chart on the lines
// (here the default chart's payroll accounts), and must be complete.
func TestOwnAccounts(t *testing.T) {
	own := de.Accounts{Wages: "6100", SocialExpense: "6110", MinijobSocial: "6110", FlatTaxExpense: "6110",
		TaxPayable: "2140", SocialPayable: "2150", Withholdings: "2160", NetPayable: "2130"}
	s := calculate(t, input(t, "2026-03-01", "5000.00", profile()), &de.Options{Accounts: own})
	got := map[string][2]string{}
	for _, l := range s.Lines {
		if l.Code == "salary" || l.Code == "lst" || l.Code == "kv.employee" || l.Code == "kv.employer" {
			got[l.Code] = [2]string{l.Account, l.Offset}
		}
	}
	want := map[string][2]string{
		"salary": {"6100", ""}, "lst": {"2140", ""}, "kv.employee": {"2150", ""}, "kv.employer": {"2150", "6110"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("line accounts (-want +got):\n%s", diff)
	}
	partial := own
	partial.Withholdings = ""
	if _, err := de.New(2026, &de.Options{Accounts: partial}); !errors.Is(err, payroll.ErrInvalidPack) {
		t.Errorf("incomplete Accounts: %v, want ErrInvalidPack", err)
	}
}

// TestPartialMonth: a month employed in part is classed by the limits for
// its days, not by its prorated pay, and taxed by the daily table.
func TestPartialMonth(t *testing.T) {
	hired := func(day, salary string) payroll.Input {
		in := input(t, "2026-03-01", salary, profile())
		in.Employee.HireDate = date.MustParse(day)
		for i := range in.Contracts {
			in.Contracts[i].From = in.Employee.HireDate
			in.Contracts[i].Version.ValidFrom = in.Employee.HireDate
		}
		return in
	}
	// 5,000 a month, hired on 29 March: 3 of 31 days, 483.87 — above the
	// transition zone's limit for 3 days (2,000 × 3 ÷ 30 = 200.00), so
	// regular employment: full contributions on 483.87, wage tax by the
	// daily table for 3 days.
	s := calculate(t, hired("2026-03-29", "5000.00"), nil)
	got := amounts(t, s)
	if got["salary"] != "483.87" || got["kv.employee"] != "42.34" || got["minijob.flat_tax"] != "" {
		t.Errorf("hired on the 29th: %v", got)
	}
	for _, l := range s.Lines {
		if l.Code == "lst" && !slices.ContainsFunc(l.Trace, func(st payroll.Step) bool { return st.Name == "LZZ" && st.Value == "4" }) {
			t.Errorf("wage tax of a partial month not by days: %v", l.Trace)
		}
	}
	// 1,500 a month, hired on 16 March: 774.19 for 16 days, inside the
	// transition zone for 16 days (G = 603 × 16 ÷ 30 = 321.60, UG = 2,000
	// × 16 ÷ 30 = 1,066.67). F 0.6619: BE = [F·G·(UG−G) + (AE−G)·(UG−G·F)]
	// ÷ (UG−G) = 731.51, BE_AN = (AE−G)·UG ÷ (UG−G) = 647.94; health
	// 731.51 × 8.75 % = 64.007125 → 64.01 × 2 = 128.02, the employee
	// 8.75 % of BE_AN = 56.69, the employer 71.33.
	got = amounts(t, calculate(t, hired("2026-03-16", "1500.00"), nil))
	want := map[string]string{"salary": "774.19", "sv.midijob.base": "731.51", "sv.midijob.employee_base": "647.94",
		"kv.employee": "56.69", "kv.employer": "71.33"}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("midijob for 16 days: %s = %s, want %s", k, got[k], w)
		}
	}
}

// TestChildlessFromTheMonthAfter: born on 1 April 2003, the 23rd year is
// completed on 31 March 2026, so April 2026 carries the childless
// surcharge: 5,000 × (1.8 % + 0.6 %) = 120.00.
func TestChildlessFromTheMonthAfter(t *testing.T) {
	in := input(t, "2026-04-01", "5000.00", profile())
	in.Employee.BirthDate = date.MustParse("2003-04-01")
	if got := amounts(t, calculate(t, in, nil))["pv.employee"]; got != "120.00" {
		t.Errorf("pv.employee = %s, want 120.00", got)
	}
	in = input(t, "2026-03-01", "5000.00", profile())
	in.Employee.BirthDate = date.MustParse("2003-04-01")
	if got := amounts(t, calculate(t, in, nil))["pv.employee"]; got != "90.00" {
		t.Errorf("March: pv.employee = %s, want 90.00", got)
	}
}

// TestDeferralLimits: 800.00 of 5,000.00 deferred every month of 2026 into
// a company pension. Free of social insurance up to 4 % of the pension
// ceiling, 4,056.00 a year: January to May 800.00 each (4,000.00), June
// the remaining 56.00, then nothing. Free of tax up to 8 %, 8,112.00: 800.00
// a month to October (8,000.00), November 112.00, December nothing.
func TestDeferralLimits(t *testing.T) {
	var ytd payroll.Accumulators
	var sv, tax []string
	for m := 1; m <= 12; m++ {
		in := input(t, date.New(2026, timeMonth(m), 1).String(), "5000.00", profile())
		for i := range in.Contracts {
			in.Contracts[i].Version.Items = []hr.PayItem{{Code: "BAV", Kind: hr.PensionDeferral, Amount: eur("800.00")}}
		}
		in.YTD = ytd
		slip := calculate(t, in, nil)
		ytd = slip.YTD
		got := amounts(t, slip)
		sv, tax = append(sv, got[de.CodeSocialGross]), append(tax, got[de.CodeTaxGross])
	}
	wantSV := []string{"4200.00", "4200.00", "4200.00", "4200.00", "4200.00", "4944.00",
		"5000.00", "5000.00", "5000.00", "5000.00", "5000.00", "5000.00"}
	wantTax := []string{"4200.00", "4200.00", "4200.00", "4200.00", "4200.00", "4200.00",
		"4200.00", "4200.00", "4200.00", "4200.00", "4888.00", "5000.00"}
	if diff := cmp.Diff(wantSV, sv); diff != "" {
		t.Errorf("pay subject to social insurance by month (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantTax, tax); diff != "" {
		t.Errorf("taxable pay by month (-want +got):\n%s", diff)
	}
}

// TestMinijobPensionMinimum: a mini-job of 150.00 a month pays the full
// pension rate of 18.6 % on the minimum base of 175.00 (§ 163 Abs. 8 SGB
// VI): 32.55, of which the employer's 15 % of the pay, 22.50, and the
// employee the rest, 10.05. At 300.00 the pay is the base: 55.80 − 45.00 =
// 10.80.
func TestMinijobPensionMinimum(t *testing.T) {
	for _, tc := range []struct{ pay, ee, er string }{{"150.00", "10.05", "22.50"}, {"300.00", "10.80", "45.00"}} {
		got := amounts(t, calculate(t, input(t, "2026-03-01", tc.pay, profile()), nil))
		if got["rv.employee"] != tc.ee || got["rv.employer"] != tc.er || got["minijob.flat_tax"] == "" {
			t.Errorf("mini-job of %s: rv %s / %s, flat tax %q; want %s / %s", tc.pay, got["rv.employee"], got["rv.employer"], got["minijob.flat_tax"], tc.ee, tc.er)
		}
	}
}

// TestPrivateHealth: 8,000.00 a month in 2026, insured privately with
// premiums of 700.00 (health) and 120.00 (care). No statutory health or
// care lines; the employer's subsidies, half the premiums, 350.00 and
// 60.00, stay under their caps of 8.75 % (14.6 % + the average 2.9 %, ÷ 2)
// and 1.8 % of the health ceiling 5,812.50 (508.59, 104.63) and are paid
// on top, free of tax and contributions. Pension 9.3 % and unemployment
// 1.3 % of 8,000.00 as usual. The wage tax is the PAP's with PKV 1, PKPV
// 82000 and PKPVAGZ 41000, and differs from the statutory case's.
func TestPrivateHealth(t *testing.T) {
	tp := profile()
	tp.Extra = map[string]string{de.ExtraPrivateHealth: "700.00", de.ExtraPrivateCare: "120.00"}
	s := calculate(t, input(t, "2026-03-01", "8000.00", tp), nil)
	got := amounts(t, s)
	for k, w := range map[string]string{"kv.subsidy": "350.00", "pv.subsidy": "60.00", "rv.employee": "744.00",
		"av.employee": "104.00", "kv.employee": "", "kv.employer": "", "pv.employee": "", "pv.employer": "",
		"tax_gross": "8000.00", "sv_gross": "8000.00"} {
		if got[k] != w {
			t.Errorf("%s = %q, want %q", k, got[k], w)
		}
	}
	if g := s.Gross.Number(); g != "8410.00" {
		t.Errorf("gross %s, want 8410.00 (salary and subsidies)", g)
	}
	in := pap.DefaultInput()
	in.LZZ, in.RE4, in.STKL, in.KVZ, in.PVZ, in.R = 2, decimal.NewFromInt(800000), 1, decimal.RequireFromString("2.90"), 1, 1
	in.PKV, in.PKPV, in.PKPVAGZ = 1, decimal.NewFromInt(82000), decimal.NewFromInt(41000)
	calc, err := pap.For(date.MustParse("2026-03-31"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := calc.Calculate(in)
	if err != nil {
		t.Fatal(err)
	}
	want := out.LSTLZZ.Shift(-2).StringFixed(2)
	if got["lst"] != want {
		t.Errorf("lst = %s, want the PAP's %s", got["lst"], want)
	}
	statutory := amounts(t, calculate(t, input(t, "2026-03-01", "8000.00", profile()), nil))
	if statutory["lst"] == got["lst"] {
		t.Errorf("private insurance did not change the wage tax (%s)", got["lst"])
	}
}
