package payroll_test

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/payroll/rules/generic"
)

var calendars = []payroll.Calendar{
	{ID: "monthly", Frequency: hr.MonthlyPay},
	{ID: "semimonthly", Frequency: hr.Semimonthly},
	{ID: "biweekly", Frequency: hr.Biweekly, Anchor: date.MustParse("2025-12-22")},
	{ID: "weekly", Frequency: hr.Weekly, Anchor: date.MustParse("2025-12-29")},
}

func amount(t *rapid.T, label string, lo, hi int64) money.Amount {
	return money.New(rapid.Int64Range(lo, hi).Draw(t, label), money.EUR)
}

func dayIn(t *rapid.T, label string, p payroll.Period) date.Date {
	return p.Start.AddDays(rapid.IntRange(0, p.Days()-1).Draw(t, label))
}

// randomInput draws an employee, contract versions (changing within the
// period), time, absences and items for a random period of a random
// calendar, with random accumulators and a random proration method.
func randomInput(t *rapid.T) payroll.Input {
	cal := rapid.SampledFrom(calendars).Draw(t, "calendar")
	p, err := cal.PeriodOf(date.New(2026, 1, 1).AddDays(rapid.IntRange(0, 364).Draw(t, "day")))
	if err != nil {
		t.Fatal(err)
	}
	e := hr.Employee{ID: empID, PersonnelNumber: "1001", HireDate: date.MustParse("2020-01-01")}
	if rapid.Bool().Draw(t, "hired in period") {
		e.HireDate = dayIn(t, "hire", p)
	}
	if rapid.Bool().Draw(t, "leaves in period") {
		e.TerminationDate = dayIn(t, "term", p)
		if e.TerminationDate.Before(e.HireDate) {
			e.HireDate, e.TerminationDate = e.TerminationDate, e.HireDate
		}
	}
	n := rapid.IntRange(1, 3).Draw(t, "versions")
	var versions []hr.Contract
	from := date.MustParse("2020-01-01")
	for i := range n {
		ct := hr.Contract{Employee: empID, Effective: hr.Effective{ValidFrom: from, Seq: int64(i + 1)},
			PayType:     rapid.SampledFrom([]hr.PayType{hr.Annual, hr.Monthly, hr.Hourly}).Draw(t, "pay type"),
			Frequency:   cal.Frequency,
			WeeklyHours: decimal.NewFromInt(rapid.Int64Range(1, 60).Draw(t, "weekly hours")),
			WorkDays:    hr.Weekdays(rapid.IntRange(1, 127).Draw(t, "work days")),
		}
		switch ct.PayType {
		case hr.Hourly:
			ct.Amount = amount(t, "rate", 1, 20000)
		case hr.Monthly:
			ct.Amount = amount(t, "monthly", 1, 5_000_000)
		default:
			ct.Amount = amount(t, "annual", 1, 50_000_000)
		}
		for j, k := range []hr.ItemKind{hr.Allowance, hr.Benefit, hr.PensionDeferral, hr.Garnishment} {
			if rapid.Bool().Draw(t, "item") {
				ct.Items = append(ct.Items, hr.PayItem{Code: string(rune('A' + j)), Kind: k, Amount: amount(t, "item amount", 1, 100_000)})
			}
		}
		versions = append(versions, ct)
		from = dayIn(t, "change", p)
		if !from.After(versions[len(versions)-1].ValidFrom) {
			break
		}
	}
	in := payroll.Input{Employee: e, Period: p, Currency: money.EUR, Contracts: hr.Timeline(versions, timeZero)}
	for range rapid.IntRange(0, 6).Draw(t, "time entries") {
		in.Time = append(in.Time, hr.TimeEntry{Employee: empID, Date: dayIn(t, "worked", p),
			Kind:  rapid.SampledFrom([]hr.HourKind{hr.Regular, hr.Overtime, hr.Night, hr.Holiday}).Draw(t, "kind"),
			Hours: decimal.New(rapid.Int64Range(1, 40).Draw(t, "quarter hours"), 0).Div(decimal.NewFromInt(4))})
	}
	// Time only on employed days.
	kept := in.Time[:0]
	for _, te := range in.Time {
		if e.Employed(te.Date) {
			kept = append(kept, te)
		}
	}
	in.Time = kept
	for range rapid.IntRange(0, 2).Draw(t, "absences") {
		a := hr.Absence{Employee: empID, Kind: rapid.SampledFrom([]hr.AbsenceKind{hr.Unpaid, hr.Sick, hr.Vacation}).Draw(t, "absence kind"),
			From: dayIn(t, "from", p), HalfDay: rapid.Bool().Draw(t, "half day")}
		a.To = a.From
		if !a.HalfDay {
			a.To = a.From.AddDays(rapid.IntRange(0, 20).Draw(t, "absence days"))
		}
		in.Absences = append(in.Absences, a)
	}
	for i := range rapid.IntRange(0, 3).Draw(t, "one-time items") {
		it := hr.OneTimeItem{Employee: empID, Key: string(rune('a' + i)), Date: dayIn(t, "item date", p),
			Type: rapid.SampledFrom([]hr.ItemType{hr.Bonus, hr.Commission, hr.Expense, hr.Correction}).Draw(t, "type")}
		it.Amount = amount(t, "one-time amount", 1, 1_000_000)
		if it.Type == hr.Correction && rapid.Bool().Draw(t, "negative") {
			it.Amount = it.Amount.Neg()
		}
		in.Items = append(in.Items, it)
	}
	if rapid.Bool().Draw(t, "ytd") {
		in.YTD = payroll.Accumulators{Year: p.Year, Quarter: p.Quarter, Lines: map[string]payroll.Figures{
			"social.base": {Year: amount(t, "ytd base", 0, 10_000_000)}}}
	}
	methods := []payroll.ProrationMethod{payroll.CalendarDays, payroll.WorkingDays, payroll.ContractHours}
	if cal.Frequency == hr.MonthlyPay || cal.Frequency == hr.Semimonthly {
		methods = append(methods, payroll.ThirtyDay)
	}
	in.Proration = rapid.SampledFrom(methods).Draw(t, "proration")
	return in
}

var timeZero = (&hr.Effective{}).RecordedAt

func randomPack(t *rapid.T) *payroll.Pack {
	cfg := baseConfig()
	cfg.Rounding = rapid.SampledFrom([]money.RoundingMode{money.HalfUp, money.HalfEven, money.Down, money.Up}).Draw(t, "rounding")
	cfg.Contributions[0].Rates = payroll.Table[generic.Rates]{{From: date.MustParse("2020-01-01"), Value: generic.Rates{
		Employee:      decimal.New(rapid.Int64Range(0, 2000).Draw(t, "ee rate"), -4),
		Employer:      decimal.New(rapid.Int64Range(0, 2000).Draw(t, "er rate"), -4),
		AnnualCeiling: amount(t, "ceiling", 0, 10_000_000)}}}
	if rapid.Bool().Draw(t, "pre-tax contribution") {
		cfg.Contributions[0].Kind = payroll.PreTaxDeduction
		cfg.Contributions[0].Reduces = []string{"tax"}
	}
	cfg.Taxes[0].Annual = rapid.Bool().Draw(t, "annual")
	cfg.Taxes[0].Brackets = payroll.Table[[]generic.Bracket]{{From: date.MustParse("2020-01-01"), Value: []generic.Bracket{
		{Rate: decimal.New(rapid.Int64Range(0, 300).Draw(t, "r0"), -3)},
		{Over: amount(t, "b1", 1, 1_000_000), Rate: decimal.New(rapid.Int64Range(0, 450).Draw(t, "r1"), -3)},
	}}}
	cfg.Taxes[0].Brackets[0].Value[1].Over = cfg.Taxes[0].Brackets[0].Value[1].Over.Abs()
	p, err := generic.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPayslipBalances checks, for random contracts, time, absences and
// items, that gross = net + employee deductions + taxes to the cent, that
// the totals are the sums of their lines, and that the accumulators take
// the period.
func TestPayslipBalances(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := randomInput(t)
		pack := randomPack(t)
		s, err := payroll.Calculate(in, pack)
		if err != nil && !errors.Is(err, payroll.ErrNegativeNet) {
			t.Fatalf("Calculate: %v", err)
		}
		if errors.Is(err, payroll.ErrNegativeNet) != s.Net.IsNegative() {
			t.Fatalf("negative net %v but error %v", s.Net, err)
		}
		sum, err := money.Sum(money.EUR, s.Net, s.PreTaxDeductions, s.Taxes, s.PostTaxDeductions)
		if err != nil {
			t.Fatal(err)
		}
		if sum != s.Gross {
			t.Fatalf("gross %v ≠ net %v + pre %v + taxes %v + post %v", s.Gross, s.Net, s.PreTaxDeductions, s.Taxes, s.PostTaxDeductions)
		}
		byKind := map[payroll.Kind]money.Amount{}
		for _, l := range s.Lines {
			if l.Amount.Currency() != money.EUR {
				t.Fatalf("line %s in %v", l.Code, l.Amount.Currency())
			}
			if l.Pack != "generic" || l.Rule == "" || l.From.IsZero() {
				t.Fatalf("line %s not stamped: %+v", l.Code, l)
			}
			v, ok := byKind[l.Kind]
			if !ok {
				v = money.Zero(money.EUR)
			}
			byKind[l.Kind], _ = v.Add(l.Amount)
		}
		for k, total := range map[payroll.Kind]money.Amount{payroll.Earning: s.Gross, payroll.PreTaxDeduction: s.PreTaxDeductions,
			payroll.Tax: s.Taxes, payroll.PostTaxDeduction: s.PostTaxDeductions, payroll.EmployerContribution: s.EmployerContributions} {
			got, ok := byKind[k]
			if !ok {
				got = money.Zero(money.EUR)
			}
			if got != total {
				t.Fatalf("%s lines sum to %v, total %v", k, got, total)
			}
		}
		if s.YTD.Gross.Period != s.Gross || s.YTD.Net.Period != s.Net {
			t.Fatalf("YTD period gross %v net %v", s.YTD.Gross.Period, s.YTD.Net.Period)
		}
		// Deterministic: the same input gives the same payslip.
		again, _ := payroll.Calculate(in, pack)
		if again.Net != s.Net || len(again.Lines) != len(s.Lines) {
			t.Fatalf("not deterministic")
		}
	})
}

// TestSplitKeepsSalary: any number of contract changes that keep the
// salary pays exactly the period salary for a full period.
func TestSplitKeepsSalary(t *testing.T) {
	pack := newPack(t, baseConfig())
	rapid.Check(t, func(t *rapid.T) {
		in := randomInput(t)
		in.Employee.HireDate, in.Employee.TerminationDate = date.MustParse("2020-01-01"), date.Date{}
		in.Absences, in.Time, in.Items = nil, nil, nil
		first := in.Contracts[0].Version
		if first.PayType == hr.Hourly {
			first.PayType = hr.Monthly
		}
		var versions []hr.Contract
		for i, sp := range in.Contracts {
			v := first
			v.Seq, v.ValidFrom, v.Items = int64(i+1), sp.From, nil
			v.WeeklyHours = sp.Version.WeeklyHours // a change that keeps the pay
			versions = append(versions, v)
		}
		in.Contracts = hr.Timeline(versions, timeZero)
		s, err := payroll.Calculate(in, pack)
		if err != nil && !errors.Is(err, payroll.ErrNegativeNet) {
			t.Fatal(err)
		}
		want, err := payroll.PeriodSalary(first, payroll.PeriodsPerYear(in.Period.Frequency), money.HalfUp)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Sum("salary"); got != want {
			t.Fatalf("salary %v over %d segments, want %v", got, len(s.Segments), want)
		}
	})
}
