package payroll_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
)

// TestProration pays a monthly salary of 3,100.00 (so 100.00 per calendar
// day of March) under each method. March 2026 has 31 days, starts on a
// Sunday and has 22 working days (2–6, 9–13, 16–20, 23–27, 30–31); April
// 2026 has 30 days and 22 working days. The contract has 40 hours Monday to
// Friday, 8 a day, so ContractHours weighs like WorkingDays here. All
// rounding is HalfUp.
func TestProration(t *testing.T) {
	type want struct{ calendar, working, thirty, hours string }
	tests := []struct {
		name       string
		month      string // a day of the month
		hire, term string
		absences   []hr.Absence
		want       want
	}{
		{
			name: "joining on the last day of March", month: "2026-03-01", hire: "2026-03-31",
			want: want{
				calendar: "100.00", // 3100 × 1/31
				working:  "140.91", // 3100 × 1/22 = 140.909…
				thirty:   "0.00",   // the 31st weighs 0 in a 30-day month
				hours:    "140.91", // 8/176 = 1/22
			},
		},
		{
			name: "joining on the last day of April", month: "2026-04-01", hire: "2026-04-30",
			want: want{
				calendar: "103.33", // 3100 × 1/30 = 103.333…
				working:  "140.91", // Thu 30th: 3100 × 1/22
				thirty:   "103.33", // 3100 × 1/30
				hours:    "140.91",
			},
		},
		{
			name: "leaving on the first day of April", month: "2026-04-01", term: "2026-04-01",
			want: want{
				calendar: "103.33", // 3100 × 1/30
				working:  "140.91", // Wed 1st: 3100 × 1/22
				thirty:   "103.33", // 3100 × 1/30
				hours:    "140.91",
			},
		},
		{
			name: "joining and leaving in one month", month: "2026-03-01", hire: "2026-03-10", term: "2026-03-20",
			want: want{
				calendar: "1100.00", // 11 days: 3100 × 11/31
				working:  "1268.18", // Tue 10th–Fri 13th (4) + 16th–20th (5) = 9: 3100 × 9/22 = 1268.1818…
				thirty:   "1136.67", // 3100 × 11/30 = 1136.666…
				hours:    "1268.18",
			},
		},
		{
			name: "a full month unpaid", month: "2026-03-01",
			absences: []hr.Absence{{Employee: empID, Kind: hr.Unpaid, From: d("2026-03-01"), To: d("2026-03-31")}},
			want:     want{"0.00", "0.00", "0.00", "0.00"},
		},
		{
			name: "a week of unpaid leave", month: "2026-03-01",
			absences: []hr.Absence{{Employee: empID, Kind: hr.Unpaid, From: d("2026-03-16"), To: d("2026-03-20")}},
			want: want{
				calendar: "2600.00", // 3100 × 26/31
				working:  "2395.45", // 3100 × 17/22 = 2395.4545…
				thirty:   "2583.33", // 3100 × 25/30 = 2583.333…
				hours:    "2395.45",
			},
		},
		{
			name: "half a day unpaid, sick days paid", month: "2026-03-01",
			absences: []hr.Absence{
				{Employee: empID, Kind: hr.Unpaid, From: d("2026-03-17"), HalfDay: true},
				{Employee: empID, Kind: hr.Sick, From: d("2026-03-02"), To: d("2026-03-06")},
			},
			want: want{
				calendar: "3050.00", // 3100 × 30.5/31
				working:  "3029.55", // 3100 × 21.5/22 = 3029.5454…
				thirty:   "3048.33", // 3100 × 29.5/30 = 3048.333…
				hours:    "3029.55",
			},
		},
		{
			name: "joining in the middle of February", month: "2026-02-01", hire: "2026-02-16",
			want: want{
				calendar: "1439.29", // 3100 × 13/28 = 1439.2857…
				working:  "1550.00", // 16th–27th: 10 of 20 working days
				thirty:   "1550.00", // 16th–27th weigh 12, the 28th 3: 15/30
				hours:    "1550.00",
			},
		},
	}
	methods := []payroll.ProrationMethod{payroll.CalendarDays, payroll.WorkingDays, payroll.ThirtyDay, payroll.ContractHours}
	pack := newPack(t, baseConfig())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got want
			for _, m := range methods {
				in := input(t, tt.month, worker(tt.hire, tt.term), salaried("2020-01-01", hr.Monthly, "3100.00"))
				in.Absences = tt.absences
				in.Proration = m
				slip, err := payroll.Calculate(in, pack)
				if err != nil {
					t.Fatalf("%s: %v", m, err)
				}
				s, err := slip.Sum("salary")
				if err != nil {
					t.Fatal(err)
				}
				switch m {
				case payroll.CalendarDays:
					got.calendar = s.Number()
				case payroll.WorkingDays:
					got.working = s.Number()
				case payroll.ThirtyDay:
					got.thirty = s.Number()
				case payroll.ContractHours:
					got.hours = s.Number()
				}
			}
			if diff := cmp.Diff(got, tt.want, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("salary (-got +want):\n%s", diff)
			}
		})
	}
}

// TestMidPeriodChange splits March at a raise on the 16th: 15 days at
// 3,100.00 and 16 at 4,650.00, calendar days: 3100 × 15/31 + 4650 × 16/31
// = 1500.00 + 2400.00.
func TestMidPeriodChange(t *testing.T) {
	raise := salaried("2026-03-16", hr.Monthly, "4650.00")
	raise.Seq = 2
	in := input(t, "2026-03-01", worker("", ""), salaried("2020-01-01", hr.Monthly, "3100.00"), raise)
	slip, err := payroll.Calculate(in, newPack(t, baseConfig()))
	if err != nil {
		t.Fatal(err)
	}
	type seg struct{ From, To, Amount string }
	var got []seg
	for _, l := range slip.Lines {
		if l.Code == "salary" {
			got = append(got, seg{l.From.String(), l.To.String(), l.Amount.Number()})
		}
	}
	want := []seg{{"2026-03-01", "2026-03-15", "1500.00"}, {"2026-03-16", "2026-03-31", "2400.00"}}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("salary lines (-got +want):\n%s", diff)
	}
	if len(slip.Segments) != 2 {
		t.Errorf("got %d segments", len(slip.Segments))
	}
}

// TestProrateCumulative: two changes that keep the salary (fewer hours,
// same pay) split March into 10, 10 and 11 days. Rounding each part alone
// would pay 322.58 + 322.58 + 354.84 = 1000.00 of 1,000.01; cumulative
// rounding pays the salary to the cent.
func TestProrateCumulative(t *testing.T) {
	v1 := salaried("2020-01-01", hr.Monthly, "1000.01")
	v2 := salaried("2026-03-11", hr.Monthly, "1000.01")
	v2.Seq, v2.WeeklyHours = 2, dec("30")
	v3 := salaried("2026-03-21", hr.Monthly, "1000.01")
	v3.Seq, v3.WeeklyHours = 3, dec("20")
	in := input(t, "2026-03-01", worker("", ""), v1, v2, v3)
	slip, err := payroll.Calculate(in, newPack(t, baseConfig()))
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, l := range slip.Lines {
		if l.Code == "salary" {
			parts = append(parts, l.Amount.Number())
		}
	}
	// 1000.01 × 10/31 = 322.5838… → 322.58; × 20/31 = 645.1677… → 645.17,
	// so the second part is 322.59; × 31/31 = 1000.01, the third 354.84.
	if diff := cmp.Diff(parts, []string{"322.58", "322.59", "354.84"}); diff != "" {
		t.Errorf("parts (-got +want):\n%s", diff)
	}
	if s, _ := slip.Sum("salary"); s != eur("1000.01") {
		t.Errorf("sum %v", s)
	}
}

func TestMulDiv(t *testing.T) {
	tests := []struct {
		a, num, den string
		m           money.RoundingMode
		want        string
	}{
		{"100.00", "1", "3", money.HalfUp, "33.33"},
		{"100.00", "2", "3", money.HalfUp, "66.67"},
		{"100.00", "2", "3", money.Down, "66.66"},
		{"0.05", "1", "2", money.HalfEven, "0.02"},
		{"0.07", "1", "2", money.HalfEven, "0.04"},
		{"-0.05", "1", "2", money.HalfUp, "-0.03"},
		{"-0.05", "1", "2", money.Floor, "-0.03"},
		{"-0.05", "1", "2", money.Ceiling, "-0.02"},
		{"5200.00", "150", "2080", money.HalfUp, "375.00"},
		{"1234.56", "0.19", "1", money.HalfUp, "234.57"},
		{"1.00", "1", "0.3", money.HalfUp, "3.33"},
	}
	for _, tt := range tests {
		got, err := payroll.MulDiv(eur(tt.a), dec(tt.num), dec(tt.den), tt.m)
		if err != nil || got.Number() != tt.want {
			t.Errorf("MulDiv(%s, %s, %s, %v) = %v, %v; want %s", tt.a, tt.num, tt.den, tt.m, got, err, tt.want)
		}
	}
}
