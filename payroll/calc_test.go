package payroll_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/payroll/rules/generic"
)

func hours(day string, kind hr.HourKind, h string) hr.TimeEntry {
	return hr.TimeEntry{Employee: empID, Date: d(day), Kind: kind, Hours: dec(h)}
}

func TestEarnings(t *testing.T) {
	hourly := salaried("2020-01-01", hr.Hourly, "20.00")
	withItems := salaried("2020-01-01", hr.Monthly, "4000.00")
	withItems.Items = []hr.PayItem{
		{Code: "VWL", Kind: hr.Allowance, Amount: eur("40.00")},
		{Code: "CAR", Kind: hr.Benefit, Amount: eur("300.00")},
		{Code: "BAV", Kind: hr.PensionDeferral, Amount: eur("200.00")},
		{Code: "G1", Kind: hr.Garnishment, Amount: eur("150.00")},
	}
	tests := []struct {
		name     string
		contract hr.Contract
		time     []hr.TimeEntry
		items    []hr.OneTimeItem
		config   func(*generic.Config)
		want     map[string]string
		totals   [4]string // gross, taxes, deductions (pre + post), net
	}{
		{
			name: "hourly with overtime at 1.5", contract: hourly,
			time: []hr.TimeEntry{hours("2026-03-02", hr.Regular, "8"), hours("2026-03-03", hr.Regular, "7.5"),
				hours("2026-03-03", hr.Overtime, "2"), hours("2026-03-04", hr.Night, "4")},
			want: map[string]string{
				"hours.regular":   "310.00", // 15.5 h × 20.00
				"hours.overtime":  "60.00",  // 2 h × 20.00 × 1.5
				"hours.night":     "20.00",  // 4 h × 20.00 × 0.25 (a premium rate in this config)
				"tax":             "97.50",  // 25 % of 390.00
				"social.employee": "39.00",
			},
			totals: [4]string{"390.00", "136.50", "0.00", "253.50"},
		},
		{
			name: "salaried overtime at the hourly equivalent",
			// 5,200.00 a month, 40 h a week: 5200 × 12 ÷ (52 × 40) = 30.00 an hour.
			contract: salaried("2020-01-01", hr.Monthly, "5200.00"),
			time:     []hr.TimeEntry{hours("2026-03-02", hr.Regular, "8"), hours("2026-03-02", hr.Overtime, "10")},
			want: map[string]string{
				"salary":          "5200.00",
				"hours.overtime":  "450.00", // 10 h × 30.00 × 1.5; regular hours are in the salary
				"tax":             "1412.50",
				"social.employee": "565.00",
			},
			totals: [4]string{"5650.00", "1977.50", "0.00", "3672.50"},
		},
		{
			name: "annual salary, bonus, expense and a negative correction",
			// 58,000.00 ÷ 12 = 4833.333… → 4833.33 (HalfUp).
			contract: salaried("2020-01-01", hr.Annual, "58000.00"),
			items: []hr.OneTimeItem{
				{Employee: empID, Key: "b1", Date: d("2026-03-01"), Type: hr.Bonus, Amount: eur("1000.00")},
				{Employee: empID, Key: "e1", Date: d("2026-03-10"), Type: hr.Expense, Code: "travel", Amount: eur("85.20")},
				{Employee: empID, Key: "c1", Date: d("2026-03-31"), Type: hr.Correction, Amount: eur("-33.33")},
				{Employee: empID, Key: "x", Date: d("2026-04-01"), Type: hr.Bonus, Amount: eur("999.00")}, // April's
			},
			want: map[string]string{
				"salary":          "4833.33",
				"bonus":           "1000.00",
				"travel":          "85.20", // counts in no base
				"correction":      "-33.33",
				"tax":             "1450.00", // 25 % of 5800.00
				"social.employee": "580.00",
			},
			totals: [4]string{"5885.20", "2030.00", "0.00", "3855.20"},
		},
		{
			name: "recurring items: allowance, benefit in kind, pension deferral, garnishment",
			config: func(c *generic.Config) {
				// The deferral reduces the taxable base only.
				c.Items = map[hr.ItemKind]generic.Treatment{hr.PensionDeferral: {Bases: []string{"tax"}, Account: "3790"}}
			},
			contract: withItems,
			want: map[string]string{
				"salary":               "4000.00",
				"allowance.VWL":        "40.00",
				"benefit.CAR":          "300.00", // taxed, not paid
				"pension_deferral.BAV": "200.00",
				"social.employee":      "434.00",  // 10 % of 4000 + 40 + 300
				"tax":                  "1035.00", // 25 % of 4340 − 200
				"garnishment.G1":       "150.00",
			},
			// net = 4040 − 200 − 1469 − 150
			totals: [4]string{"4040.00", "1469.00", "350.00", "2221.00"},
		},
		{
			name:     "progressive annualised tax",
			contract: salaried("2020-01-01", hr.Monthly, "5000.00"),
			config: func(c *generic.Config) {
				c.Contributions = nil
				c.Taxes[0].Annual = true
				c.Taxes[0].Brackets = payroll.Table[[]generic.Bracket]{{From: d("2020-01-01"), Value: []generic.Bracket{
					{Rate: dec("0")}, {Over: eur("12000.00"), Rate: dec("0.20")}, {Over: eur("50000.00"), Rate: dec("0.40")}}}}
			},
			// 60,000 a year: 38,000 × 20 % + 10,000 × 40 % = 11,600.00; ÷ 12 = 966.666… → 966.67
			want:   map[string]string{"salary": "5000.00", "tax": "966.67"},
			totals: [4]string{"5000.00", "966.67", "0.00", "4033.33"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := baseConfig()
			if tt.config != nil {
				tt.config(&cfg)
			}
			in := input(t, "2026-03-01", worker("", ""), tt.contract)
			in.Time, in.Items = tt.time, tt.items
			slip, err := payroll.Calculate(in, newPack(t, cfg))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(sums(t, slip), tt.want); diff != "" {
				t.Errorf("lines (-got +want):\n%s", diff)
			}
			ded, _ := slip.PreTaxDeductions.Add(slip.PostTaxDeductions)
			got := [4]string{slip.Gross.Number(), slip.Taxes.Number(), ded.Number(), slip.Net.Number()}
			if got != tt.totals {
				t.Errorf("gross, taxes, deductions, net = %v, want %v", got, tt.totals)
			}
		})
	}
}

// TestCeilingAcrossTheYear pays 7,000.00 a month under a contribution of
// 10 % + 10 % with an annual ceiling of 60,000.00, carrying the
// accumulators from each payslip to the next. January to August are
// contributed in full (8 × 7,000 = 56,000), September on the 4,000 left,
// October to December on nothing: 6,000.00 a side in the year.
func TestCeilingAcrossTheYear(t *testing.T) {
	cfg := baseConfig()
	cfg.Contributions[0].Rates = payroll.Table[generic.Rates]{{From: d("2020-01-01"), Value: generic.Rates{
		Employee: dec("0.10"), Employer: dec("0.10"), AnnualCeiling: eur("60000.00")}}}
	pack := newPack(t, cfg)
	var ytd payroll.Accumulators
	var got []string
	for m := time.January; m <= time.December; m++ {
		in := input(t, time.Date(2026, m, 1, 0, 0, 0, 0, time.UTC).Format("2006-01-02"), worker("", ""),
			salaried("2020-01-01", hr.Monthly, "7000.00"))
		in.YTD = ytd
		slip, err := payroll.Calculate(in, pack)
		if err != nil {
			t.Fatal(err)
		}
		s := sums(t, slip)
		got = append(got, s["social.base"]+" "+s["social.employee"]+" "+s["social.employer"])
		ytd = slip.YTD
		if m == time.September {
			if q := ytd.Line("social.employee").Quarter.Number(); q != "1800.00" { // 700 + 700 + 400
				t.Errorf("Q3 employee share %s, want 1800.00", q)
			}
		}
		if m == time.October {
			if q := ytd.Line("social.employee").Quarter.Number(); q != "0.00" {
				t.Errorf("Q4 after October %s, want 0.00", q)
			}
		}
	}
	want := []string{
		"7000.00 700.00 700.00", "7000.00 700.00 700.00", "7000.00 700.00 700.00", "7000.00 700.00 700.00",
		"7000.00 700.00 700.00", "7000.00 700.00 700.00", "7000.00 700.00 700.00", "7000.00 700.00 700.00",
		"4000.00 400.00 400.00", "0.00  ", "0.00  ", "0.00  ",
	}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("capped base, employee, employer by month (-got +want):\n%s", diff)
	}
	for k, w := range map[string]string{"social.employee": "6000.00", "social.employer": "6000.00", "social.base": "60000.00"} {
		if g := ytd.Line(k).Year.Number(); g != w {
			t.Errorf("YTD %s = %s, want %s", k, g, w)
		}
	}
	if g := ytd.Gross.Year.Number(); g != "84000.00" {
		t.Errorf("YTD gross %s", g)
	}
	if g := ytd.Base("social").Year.Number(); g != "84000.00" {
		t.Errorf("YTD base social %s", g)
	}
	// The next year starts from zero.
	in := input(t, "2027-01-01", worker("", ""), salaried("2020-01-01", hr.Monthly, "7000.00"))
	in.YTD = ytd
	slip, err := payroll.Calculate(in, pack)
	if err != nil {
		t.Fatal(err)
	}
	if s := sums(t, slip)["social.employee"]; s != "700.00" {
		t.Errorf("January 2027: %s", s)
	}
	// Accumulators of a later period are refused.
	in = input(t, "2026-06-01", worker("", ""), salaried("2020-01-01", hr.Monthly, "7000.00"))
	in.YTD = ytd
	if _, err := payroll.Calculate(in, pack); !errors.Is(err, payroll.ErrInvalidInput) {
		t.Errorf("later accumulators: %v", err)
	}
}

// TestRetro is the acceptance scenario: tax 25 %, social 10 % of gross.
// 4,800.00 a month is paid for January and February. On 10 March a raise
// to 5,800.00 effective 1 January is recorded. The March run pays
// 5,800.00 plus, for January and February each, +1,000.00 salary, +250.00
// tax and +100.00 social.
func TestRetro(t *testing.T) {
	pack := newPack(t, baseConfig())
	orig := salaried("2026-01-01", hr.Monthly, "4800.00")
	orig.RecordedAt = time.Date(2025, 12, 15, 9, 0, 0, 0, time.UTC)
	raise := salaried("2026-01-01", hr.Monthly, "5800.00")
	raise.Seq, raise.RecordedAt = 2, time.Date(2026, 3, 10, 14, 0, 0, 0, time.UTC)
	versions := []hr.Contract{orig, raise}
	e := worker("2026-01-01", "")

	calc := func(month string, asOf time.Time, ytd payroll.Accumulators, retro []payroll.Line) payroll.Payslip {
		t.Helper()
		in := payroll.Input{Employee: e, Period: period(t, month), Currency: money.EUR,
			Contracts: hr.Timeline(versions, asOf), YTD: ytd, Retro: retro}
		slip, err := payroll.Calculate(in, pack)
		if err != nil {
			t.Fatal(err)
		}
		return slip
	}
	janRun := time.Date(2026, 1, 28, 0, 0, 0, 0, time.UTC)
	febRun := time.Date(2026, 2, 25, 0, 0, 0, 0, time.UTC)
	marRun := time.Date(2026, 3, 25, 0, 0, 0, 0, time.UTC)

	jan := calc("2026-01-01", janRun, payroll.Accumulators{}, nil)
	feb := calc("2026-02-01", febRun, jan.YTD, nil)
	if s, _ := feb.Sum("salary"); s != eur("4800.00") {
		t.Fatalf("February paid %v", s)
	}

	var retro []payroll.Line
	for _, p := range []payroll.Payslip{jan, feb} {
		again := calc(p.Period.Start.String(), marRun, payroll.Accumulators{}, nil)
		lines, err := payroll.Retro(p, again)
		if err != nil {
			t.Fatal(err)
		}
		retro = append(retro, lines...)
	}
	mar := calc("2026-03-01", marRun, feb.YTD, retro)

	type line struct{ Code, Amount, Corrects string }
	var got []line
	for _, l := range mar.Lines {
		got = append(got, line{l.Code, l.Amount.Number(), l.Corrects.Key()})
	}
	want := []line{
		{"salary", "5800.00", ""},
		{"social.employee", "580.00", ""},
		{"tax", "1450.00", ""},
		{"salary", "1000.00", "monthly/2026/01"},
		{"social.employee", "100.00", "monthly/2026/01"},
		{"tax", "250.00", "monthly/2026/01"},
		{"salary", "1000.00", "monthly/2026/02"},
		{"social.employee", "100.00", "monthly/2026/02"},
		{"tax", "250.00", "monthly/2026/02"},
	}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("March lines (-got +want):\n%s", diff)
	}
	if diff := cmp.Diff(sums(t, mar), map[string]string{"salary": "7800.00", "tax": "1950.00", "social.employee": "780.00"}); diff != "" {
		t.Errorf("March sums (-got +want):\n%s", diff)
	}
	// Net: 5800 − 1450 − 580 + 2000 − 500 − 200.
	if mar.Net != eur("5070.00") || mar.Gross != eur("7800.00") {
		t.Errorf("gross %v net %v", mar.Gross, mar.Net)
	}
	// This period's bases leave the retro lines out; the year includes them.
	if b := mar.Bases["tax"]; b != eur("5800.00") {
		t.Errorf("March tax base %v", b)
	}
	for k, w := range map[string]string{"salary": "17400.00", "tax": "4350.00", "social.employee": "1740.00"} {
		if g := mar.YTD.Line(k).Year.Number(); g != w {
			t.Errorf("YTD %s = %s, want %s", k, g, w)
		}
	}
	if g := mar.YTD.Line("salary").Period.Number(); g != "7800.00" {
		t.Errorf("period salary figure %s", g)
	}
	if g := mar.YTD.Base("tax").Year.Number(); g != "17400.00" {
		t.Errorf("YTD tax base %s", g)
	}
	// Recalculating with the records as of February changes nothing.
	again := calc("2026-02-01", febRun, payroll.Accumulators{}, nil)
	if lines, err := payroll.Retro(feb, again); err != nil || len(lines) != 0 {
		t.Errorf("no change: %v, %v", lines, err)
	}
	if _, err := payroll.Retro(jan, feb); !errors.Is(err, payroll.ErrRetroMismatch) {
		t.Errorf("different periods: %v", err)
	}
}

func TestErrors(t *testing.T) {
	pack := newPack(t, baseConfig())
	usd := salaried("2020-01-01", hr.Monthly, "4000.00")
	usd.Amount = money.MustParse("4000.00", money.USD)
	garnished := salaried("2020-01-01", hr.Monthly, "1000.00")
	garnished.Items = []hr.PayItem{{Code: "G1", Kind: hr.Garnishment, Amount: eur("900.00")}}
	weekly := salaried("2020-01-01", hr.Monthly, "4000.00")
	weekly.Frequency = hr.Weekly
	later := salaried("2026-03-10", hr.Monthly, "4000.00")
	tests := []struct {
		name   string
		in     func() payroll.Input
		pack   *payroll.Pack
		want   error
		rule   string
		hasPay bool
	}{
		{name: "no contract for part of the period", want: payroll.ErrNoCompensation,
			in: func() payroll.Input { return input(t, "2026-03-01", worker("", ""), later) }},
		{name: "no contract at all", want: payroll.ErrNoCompensation,
			in: func() payroll.Input { return input(t, "2026-03-01", worker("", "")) }},
		{name: "not employed", want: payroll.ErrNotEmployed,
			in: func() payroll.Input {
				return input(t, "2026-03-01", worker("", "2026-02-28"), salaried("2020-01-01", hr.Monthly, "1.00"))
			}},
		{name: "contract in another currency", want: payroll.ErrCurrency,
			in: func() payroll.Input { return input(t, "2026-03-01", worker("", ""), usd) }},
		{name: "contract paid weekly on a monthly calendar", want: payroll.ErrInvalidInput,
			in: func() payroll.Input { return input(t, "2026-03-01", worker("", ""), weekly) }},
		{name: "negative net pay", want: payroll.ErrNegativeNet, hasPay: true,
			// 1000 − 250 tax − 100 social − 900 garnishment = −250
			in: func() payroll.Input { return input(t, "2026-03-01", worker("", ""), garnished) }},
		{name: "pack not valid for the period", want: payroll.ErrNoPackVersion,
			pack: func() *payroll.Pack { c := baseConfig(); c.ValidFrom = d("2027-01-01"); return newPack(t, c) }(),
			in: func() payroll.Input {
				return input(t, "2026-03-01", worker("", ""), salaried("2020-01-01", hr.Monthly, "1.00"))
			}},
		{name: "a table without an entry for the day", want: payroll.ErrNoPackVersion, rule: generic.RuleTaxes,
			pack: func() *payroll.Pack {
				c := baseConfig()
				c.Taxes[0].Brackets[0].From = d("2027-01-01")
				return newPack(t, c)
			}(),
			in: func() payroll.Input {
				return input(t, "2026-03-01", worker("", ""), salaried("2020-01-01", hr.Monthly, "1.00"))
			}},
		{name: "time on a day before the hire", want: payroll.ErrInvalidInput, rule: generic.RuleEarnings,
			in: func() payroll.Input {
				in := input(t, "2026-03-01", worker("2026-03-10", ""), salaried("2026-03-10", hr.Hourly, "20.00"))
				in.Time = []hr.TimeEntry{hours("2026-03-09", hr.Regular, "8")}
				return in
			}},
		{name: "no pack", want: payroll.ErrUnknownPack, pack: (*payroll.Pack)(nil),
			in: func() payroll.Input {
				return input(t, "2026-03-01", worker("", ""), salaried("2020-01-01", hr.Monthly, "1.00"))
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := pack
			if tt.pack != nil || tt.want == payroll.ErrUnknownPack {
				p = tt.pack
			}
			slip, err := payroll.Calculate(tt.in(), p)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			var pe *payroll.Error
			if !errors.As(err, &pe) || pe.Employee != empID || pe.PersonnelNumber != "1001" || pe.Rule != tt.rule {
				t.Errorf("error %#v", err)
			}
			msg := err.Error()
			for _, secret := range []string{"Müller", "4000", "1000", "900", "20.00"} {
				if strings.Contains(msg, secret) {
					t.Errorf("message %q contains %q", msg, secret)
				}
			}
			if !strings.Contains(msg, "employee 1001,") || strings.Contains(msg, empID) {
				t.Errorf("message %q does not name the employee by personnel number alone", msg)
			}
			if tt.hasPay != (len(slip.Lines) > 0) {
				t.Errorf("payslip returned: %v", len(slip.Lines) > 0)
			}
		})
	}
	if got := (&payroll.Error{Employee: empID, PersonnelNumber: "1001", Period: period(t, "2026-03-01"),
		Rule: "generic.taxes", Err: payroll.ErrNegativeNet}).Error(); got !=
		"payroll: employee 1001, period 2026-03-01..2026-03-31, rule generic.taxes: payroll: negative net pay" {
		t.Errorf("Error() = %q", got)
	}
	// An ID may be an e-mail address: without a personnel number the
	// message names it by hr.IDRef, never as it is.
	if got, want := (&payroll.Error{Employee: "jane.doe@example.org", Period: period(t, "2026-03-01"), Err: payroll.ErrNotEmployed}).Error(),
		"payroll: employee "+hr.IDRef("jane.doe@example.org")+", period 2026-03-01..2026-03-31: payroll: not employed in the period"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestPacksSelect(t *testing.T) {
	mk := func(version, from, to string) *payroll.Pack {
		c := baseConfig()
		c.Version, c.ValidFrom = version, d(from)
		if to != "" {
			c.ValidTo = d(to)
		}
		return newPack(t, c)
	}
	packs := payroll.Packs{mk("2025.1", "2025-01-01", "2025-12-31"), mk("2026.1", "2026-01-01", ""), mk("2026.2", "2026-07-01", "")}
	for _, tt := range []struct {
		on, want string
		err      error
	}{
		{"2025-06-30", "2025.1", nil},
		{"2026-06-30", "2026.1", nil},
		{"2026-07-31", "2026.2", nil},
		{"2024-12-31", "", payroll.ErrNoPackVersion},
	} {
		p, err := packs.Select("generic", d(tt.on))
		if !errors.Is(err, tt.err) || err == nil && p.Version != tt.want {
			t.Errorf("Select on %s = %v, %v; want %s, %v", tt.on, p, err, tt.want, tt.err)
		}
	}
	if _, err := packs.Select("de", d("2026-01-01")); !errors.Is(err, payroll.ErrUnknownPack) {
		t.Errorf("unknown pack: %v", err)
	}
}

func TestInvalidConfig(t *testing.T) {
	for name, mutate := range map[string]func(*generic.Config){
		"no rounding":          func(c *generic.Config) { c.Rounding = 0 },
		"no proration":         func(c *generic.Config) { c.Proration.Method = "" },
		"tax without rounding": func(c *generic.Config) { c.Taxes[0].Rounding = 0 },
		"brackets descending": func(c *generic.Config) {
			c.Taxes[0].Brackets[0].Value = []generic.Bracket{{}, {Over: eur("10.00")}, {Over: eur("5.00")}}
		},
		"duplicate table dates": func(c *generic.Config) {
			c.Contributions[0].Rates = append(c.Contributions[0].Rates, c.Contributions[0].Rates[0])
		},
	} {
		if _, err := generic.New(func() generic.Config { c := baseConfig(); mutate(&c); return c }()); !errors.Is(err, payroll.ErrInvalidPack) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
