package payroll_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/payroll"
)

// span is a period's dates as text, for compact tables.
type span struct {
	Year, Number    int
	Start, End, Pay string
}

func spanOf(p payroll.Period) span {
	return span{p.Year, p.Number, p.Start.String(), p.End.String(), p.PayDate.String()}
}

func TestPeriods(t *testing.T) {
	tests := []struct {
		name  string
		cal   payroll.Calendar
		year  int
		count int
		pick  []int // indexes of periods to compare (negative from the end)
		want  []span
	}{
		{
			name: "monthly, weekend pay dates move back", year: 2026, count: 12,
			cal:  payroll.Calendar{ID: "m", Frequency: hr.MonthlyPay},
			pick: []int{0, 4, 11},
			want: []span{
				{2026, 1, "2026-01-01", "2026-01-31", "2026-01-30"},  // Sat → Fri
				{2026, 5, "2026-05-01", "2026-05-31", "2026-05-29"},  // Sun → Fri
				{2026, 12, "2026-12-01", "2026-12-31", "2026-12-31"}, // Thu
			},
		},
		{
			name: "monthly, a holiday on the Friday moves to Thursday", year: 2026, count: 12,
			cal:  payroll.Calendar{ID: "m", Frequency: hr.MonthlyPay, Holidays: payroll.NewHolidays(d("2026-05-29"))},
			pick: []int{4},
			want: []span{{2026, 5, "2026-05-01", "2026-05-31", "2026-05-28"}},
		},
		{
			name: "monthly in arrears by pay date: December belongs to the next year", year: 2026, count: 12,
			cal:  payroll.Calendar{ID: "m", Frequency: hr.MonthlyPay, PayOffset: 5, YearBasis: payroll.ByPayDate},
			pick: []int{0, 11},
			want: []span{
				{2026, 1, "2025-12-01", "2025-12-31", "2026-01-05"},  // Mon
				{2026, 12, "2026-11-01", "2026-11-30", "2026-12-04"}, // Sat 5th → Fri 4th
			},
		},
		{
			name: "semimonthly February of a common year", year: 2026, count: 24,
			cal:  payroll.Calendar{ID: "s", Frequency: hr.Semimonthly},
			pick: []int{2, 3},
			want: []span{
				{2026, 3, "2026-02-01", "2026-02-15", "2026-02-13"}, // Sun → Fri
				{2026, 4, "2026-02-16", "2026-02-28", "2026-02-27"}, // Sat → Fri
			},
		},
		{
			name: "semimonthly February of a leap year", year: 2028, count: 24,
			cal:  payroll.Calendar{ID: "s", Frequency: hr.Semimonthly},
			pick: []int{3},
			want: []span{{2028, 4, "2028-02-16", "2028-02-29", "2028-02-29"}}, // Tue
		},
		{
			name: "biweekly across the year end", year: 2026, count: 26,
			// Monday to Sunday fortnights, paid on the Friday before the end.
			cal:  payroll.Calendar{ID: "b", Frequency: hr.Biweekly, Anchor: d("2025-12-22"), PayOffset: -2},
			pick: []int{0, -1},
			want: []span{
				{2026, 1, "2025-12-22", "2026-01-04", "2026-01-02"},
				{2026, 26, "2026-12-07", "2026-12-20", "2026-12-18"},
			},
		},
		{
			name: "biweekly with 27 periods: an end falls on 1 January", year: 2026, count: 27,
			cal:  payroll.Calendar{ID: "b", Frequency: hr.Biweekly, Anchor: d("2025-12-19")},
			pick: []int{0, -1},
			want: []span{
				{2026, 1, "2025-12-19", "2026-01-01", "2026-01-01"},  // Thu
				{2026, 27, "2026-12-18", "2026-12-31", "2026-12-31"}, // Thu
			},
		},
		{
			name: "weekly ending Fridays: 52 in 2026", year: 2026, count: 52,
			cal:  payroll.Calendar{ID: "w", Frequency: hr.Weekly, Anchor: d("2025-12-27")},
			pick: []int{0, -1},
			want: []span{
				{2026, 1, "2025-12-27", "2026-01-02", "2026-01-02"},
				{2026, 52, "2026-12-19", "2026-12-25", "2026-12-25"},
			},
		},
		{
			name: "weekly ending Fridays: 53 in 2027", year: 2027, count: 53,
			cal:  payroll.Calendar{ID: "w", Frequency: hr.Weekly, Anchor: d("2025-12-27")},
			pick: []int{0, -1},
			want: []span{
				{2027, 1, "2026-12-26", "2027-01-01", "2027-01-01"},
				{2027, 53, "2027-12-25", "2027-12-31", "2027-12-31"},
			},
		},
		{
			name: "weekly by pay date: a New Year holiday pays on 31 December", year: 2026, count: 53,
			cal: payroll.Calendar{ID: "w", Frequency: hr.Weekly, Anchor: d("2025-12-27"), YearBasis: payroll.ByPayDate,
				Holidays: payroll.NewHolidays(d("2027-01-01"))},
			pick: []int{-1},
			// The week ending Fri 1 Jan 2027 is paid Thu 31 Dec 2026, so it
			// is 2026's 53rd period (52 Fridays, 2 Jan to 25 Dec, plus it).
			want: []span{{2026, 53, "2026-12-26", "2027-01-01", "2026-12-31"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, err := tt.cal.Periods(tt.year)
			if err != nil {
				t.Fatal(err)
			}
			var got []span
			for _, i := range tt.pick {
				if i < 0 {
					i += len(ps)
				}
				got = append(got, spanOf(ps[i]))
			}
			if diff := cmp.Diff(got, tt.want); diff != "" {
				t.Errorf("periods (-got +want):\n%s", diff)
			}
			if len(ps) != tt.count {
				t.Errorf("got %d periods, want %d", len(ps), tt.count)
			}
			for i, p := range ps {
				if i > 0 && ps[i-1].End.AddDays(1) != p.Start {
					t.Errorf("gap or overlap before period %d", p.Number)
				}
				if !tt.cal.WorkingDay(p.PayDate) {
					t.Errorf("period %d pays on a non-working day %s", p.Number, p.PayDate)
				}
				q, err := tt.cal.PeriodOf(p.Start.AddDays(p.Days() / 2))
				if err != nil || q != p {
					t.Errorf("PeriodOf(middle of %d) = %+v, %v", p.Number, q, err)
				}
			}
		})
	}
}

func TestPeriodKeyAndQuarter(t *testing.T) {
	p, err := monthlyCal.PeriodOf(d("2026-08-15"))
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Key(); got != "monthly/2026/08" {
		t.Errorf("Key = %q", got)
	}
	if p.Quarter != 3 || p.Days() != 31 {
		t.Errorf("quarter %d, days %d", p.Quarter, p.Days())
	}
}

func TestCalendarInvalid(t *testing.T) {
	for _, c := range []payroll.Calendar{
		{ID: "x", Frequency: "daily"},
		{ID: "x", Frequency: hr.Weekly}, // no anchor
		{ID: "x", Frequency: hr.MonthlyPay, PayOffset: 40},
		{ID: "x", Frequency: hr.MonthlyPay, YearBasis: 7},
	} {
		if _, err := c.Periods(2026); !errors.Is(err, payroll.ErrInvalidCalendar) {
			t.Errorf("%+v: err = %v, want ErrInvalidCalendar", c, err)
		}
	}
	if _, err := monthlyCal.Periods(10000); !errors.Is(err, payroll.ErrInvalidCalendar) {
		t.Errorf("year 10000: err = %v", err)
	}
}
