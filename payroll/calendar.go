package payroll

import (
	"fmt"
	"strconv"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
)

// Holidays is a set of public holidays: dates, as data. A pay calendar moves
// pay dates off them, and the WorkingDays and ContractHours proration
// methods do not count them as working days. A nil *Holidays is the empty
// set. Holidays is immutable once made and safe for concurrent use.
type Holidays struct {
	days map[date.Date]struct{}
}

// NewHolidays returns the set of the given dates; zero dates are ignored.
func NewHolidays(days ...date.Date) *Holidays {
	h := &Holidays{days: make(map[date.Date]struct{}, len(days))}
	for _, d := range days {
		if !d.IsZero() {
			h.days[d] = struct{}{}
		}
	}
	return h
}

// Has reports whether d is a holiday.
func (h *Holidays) Has(d date.Date) bool {
	if h == nil || len(h.days) == 0 {
		return false
	}
	_, ok := h.days[d]
	return ok
}

// Len returns the number of holidays in the set.
func (h *Holidays) Len() int {
	if h == nil {
		return 0
	}
	return len(h.days)
}

// YearBasis decides which year and quarter a period belongs to: the year
// its periods are numbered in, and the year and quarter its amounts
// accumulate into.
type YearBasis int

// Year bases.
const (
	// ByPeriodEnd puts a period into the year and quarter of its last day,
	// the rule of jurisdictions that tax current pay by the period worked
	// (Germany: §38a EStG). It is the zero value, so the default.
	ByPeriodEnd YearBasis = iota
	// ByPayDate puts a period into the year and quarter of its pay date,
	// the rule of jurisdictions that tax pay when paid (the United
	// States). A December period paid in January then belongs to January.
	ByPayDate
)

// Calendar generates the pay periods of one pay frequency. It is a plain
// value, safe for concurrent use (its Holidays are immutable).
//
// Periods are:
//
//   - hr.MonthlyPay: the calendar months.
//   - hr.Semimonthly: the 1st to the 15th and the 16th to the last day of
//     every month (so 16–28 February in a common year).
//   - hr.Weekly and hr.Biweekly: runs of 7 or 14 days, one of which starts
//     on Anchor; they run on across year ends.
//
// A period's pay date is its last day plus PayOffset days; if that is not a
// working day (a day of WorkDays that is not a holiday), the pay date moves
// back to the previous working day, never forward: pay is never late. A
// period belongs to the year (and quarter) YearBasis picks; the periods of a
// year are numbered from 1 in date order. A weekly calendar has 52 periods in
// most years and 53 in some (a biweekly one 26 or 27), while PeriodsPerYear
// stays 52 (26): an annual salary is paid as 1/52 per week, so a 53-period
// year pays one week more.
type Calendar struct {
	// ID names the calendar, such as "monthly" or "weekly-fri"; it is part
	// of every Period's Key.
	ID string
	// Frequency is the pay frequency.
	Frequency hr.Frequency
	// Anchor is the first day of some period of a weekly or biweekly
	// calendar; any period's start will do. Monthly and semimonthly
	// calendars ignore it.
	Anchor date.Date
	// PayOffset is the number of days from a period's last day to its
	// nominal pay date, -31 to 31: 0 pays on the last day, 5 five days
	// after (in arrears), -3 three days before.
	PayOffset int
	// WorkDays are the days of the week banks and payroll work; zero means
	// Monday to Friday.
	WorkDays hr.Weekdays
	// Holidays are the public holidays, or nil.
	Holidays *Holidays
	// YearBasis decides the year a period belongs to; the zero value is
	// ByPeriodEnd.
	YearBasis YearBasis
}

// Period is one pay period of a Calendar. It is a plain comparable value.
type Period struct {
	Calendar  string       // the ID of the calendar
	Frequency hr.Frequency // the calendar's frequency
	// Year is the year the period belongs to, by the calendar's YearBasis;
	// Quarter (1–4) likewise. Amounts of the period accumulate into them.
	Year, Quarter int
	// Number numbers the periods of Year from 1.
	Number int
	// Start and End are the first and last day, inclusive.
	Start, End date.Date
	// PayDate is the day the pay is due, a working day.
	PayDate date.Date
}

// IsZero reports whether p is the zero Period.
func (p Period) IsZero() bool { return p == Period{} }

// Days returns the number of days from Start to End inclusive.
func (p Period) Days() int { return p.Start.DaysUntil(p.End) + 1 }

// Contains reports whether d lies within the period.
func (p Period) Contains(d date.Date) bool { return !d.Before(p.Start) && !d.After(p.End) }

// Key returns a stable identifier of the period: the calendar ID, the year
// and the two-digit number, "monthly/2026/03"; "" for the zero Period. Pay
// runs and retro lines refer to periods by it.
func (p Period) Key() string {
	if p.IsZero() {
		return ""
	}
	b := make([]byte, 0, len(p.Calendar)+9)
	b = append(b, p.Calendar...)
	b = append(b, '/')
	b = strconv.AppendInt(b, int64(p.Year), 10)
	b = append(b, '/')
	if p.Number < 10 {
		b = append(b, '0')
	}
	b = strconv.AppendInt(b, int64(p.Number), 10)
	return string(b)
}

// PeriodsPerYear returns the nominal number of pay periods in a year: 52,
// 26, 24 or 12; 0 for an unknown frequency. Salaries are converted to
// period amounts with it, whatever the number of periods a given year has.
func PeriodsPerYear(f hr.Frequency) int {
	switch f {
	case hr.Weekly:
		return 52
	case hr.Biweekly:
		return 26
	case hr.Semimonthly:
		return 24
	case hr.MonthlyPay:
		return 12
	}
	return 0
}

// Validate checks the calendar: a known frequency, an anchor for weekly and
// biweekly calendars, a pay offset within ±31 days and a YearBasis that is
// one of the constants. It returns an error wrapping ErrInvalidCalendar.
func (c Calendar) Validate() error {
	switch {
	case !c.Frequency.Valid():
		return fmt.Errorf("%w: calendar %q: unknown frequency", ErrInvalidCalendar, c.ID)
	case (c.Frequency == hr.Weekly || c.Frequency == hr.Biweekly) && c.Anchor.IsZero():
		return fmt.Errorf("%w: calendar %q: a %s calendar needs an anchor", ErrInvalidCalendar, c.ID, c.Frequency)
	case c.PayOffset < -31 || c.PayOffset > 31:
		return fmt.Errorf("%w: calendar %q: pay offset out of range", ErrInvalidCalendar, c.ID)
	case c.WorkDays >= 1<<7:
		return fmt.Errorf("%w: calendar %q: work days are not a set of weekdays", ErrInvalidCalendar, c.ID)
	case c.YearBasis != ByPeriodEnd && c.YearBasis != ByPayDate:
		return fmt.Errorf("%w: calendar %q: unknown year basis", ErrInvalidCalendar, c.ID)
	}
	return nil
}

// WorkingDay reports whether d is a working day of the calendar: one of
// its WorkDays and not a holiday.
func (c Calendar) WorkingDay(d date.Date) bool {
	wd := c.WorkDays
	if wd == 0 {
		wd = hr.MondayToFriday
	}
	return wd.Has(d.Weekday()) && !c.Holidays.Has(d)
}

// payDate returns the pay date of a period ending on end.
func (c Calendar) payDate(end date.Date) (date.Date, error) {
	d := end.AddDays(c.PayOffset)
	for range 32 {
		if c.WorkingDay(d) {
			return d, nil
		}
		d = d.AddDays(-1)
	}
	return date.Date{}, fmt.Errorf("%w: calendar %q: no working day within a month before %s", ErrInvalidCalendar, c.ID, end)
}

// span returns the stretch of the raw period containing d.
func (c Calendar) span(d date.Date) (start, end date.Date) {
	switch c.Frequency {
	case hr.MonthlyPay:
		return d.StartOfMonth(), d.EndOfMonth()
	case hr.Semimonthly:
		if d.Day() <= 15 {
			s := d.StartOfMonth()
			return s, s.AddDays(14)
		}
		return d.StartOfMonth().AddDays(15), d.EndOfMonth()
	}
	n := 7
	if c.Frequency == hr.Biweekly {
		n = 14
	}
	k := floorDiv(c.Anchor.DaysUntil(d), n)
	start = c.Anchor.AddDays(k * n)
	return start, start.AddDays(n - 1)
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// period completes the raw period from start to end: pay date, year and
// quarter.
func (c Calendar) period(start, end date.Date) (Period, error) {
	pay, err := c.payDate(end)
	if err != nil {
		return Period{}, err
	}
	basis := end
	if c.YearBasis == ByPayDate {
		basis = pay
	}
	y, m, _ := basis.Date()
	return Period{Calendar: c.ID, Frequency: c.Frequency, Year: y, Quarter: (int(m)-1)/3 + 1,
		Start: start, End: end, PayDate: pay}, nil
}

// Periods returns the periods belonging to year, numbered and in date
// order. It fails with an error wrapping ErrInvalidCalendar if the calendar
// is invalid or year is outside 2–9998.
func (c Calendar) Periods(year int) ([]Period, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if year < 2 || year > 9998 {
		return nil, fmt.Errorf("%w: year %d out of range", ErrInvalidCalendar, year)
	}
	// Scan the raw periods from two months before the year to two after:
	// pay offsets and weekend moves shift a period by at most 45 days.
	from, to := date.New(year-1, time.November, 1), date.New(year+1, time.February, 28)
	ps := make([]Period, 0, 54)
	for d := from; !d.After(to); {
		start, end := c.span(d)
		p, err := c.period(start, end)
		if err != nil {
			return nil, err
		}
		if p.Year == year {
			p.Number = len(ps) + 1
			ps = append(ps, p)
		}
		d = end.AddDays(1)
	}
	return ps, nil
}

// PeriodOf returns the period containing day d, numbered within its year.
// It fails like Periods.
func (c Calendar) PeriodOf(d date.Date) (Period, error) {
	if err := c.Validate(); err != nil {
		return Period{}, err
	}
	if d.IsZero() {
		return Period{}, fmt.Errorf("%w: no date", ErrInvalidCalendar)
	}
	start, end := c.span(d)
	p, err := c.period(start, end)
	if err != nil {
		return Period{}, err
	}
	ps, err := c.Periods(p.Year)
	if err != nil {
		return Period{}, err
	}
	for _, q := range ps {
		if q.Start == start {
			return q, nil
		}
	}
	return Period{}, fmt.Errorf("%w: calendar %q: no period contains %s", ErrInvalidCalendar, c.ID, d) // unreachable
}
