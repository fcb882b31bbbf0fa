// Package date provides Date, a calendar date without time of day or time zone.
//
// Accounting is done in calendar dates: an entry is booked on 31 March, not at an
// instant that a time zone could move into April. Date is a small comparable value
// (days since 0001-01-01), so it sorts, compares with == and serves as a map key.
// The zero Date is "no date" (IsZero reports true); every other value is a valid
// proleptic Gregorian date from 0001-01-01 to 9999-12-31.
//
// ParsePeriod reads hledger's period expressions ("2025-Q1", "last month",
// "2025-01-01..2025-04-01") into a Period of whole days.
//
// Date values are immutable and safe for concurrent use.
package date

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"time"
)

// ErrInvalid is returned for text or values that do not denote a calendar date.
var ErrInvalid = errors.New("date: invalid date")

// Date is a calendar date. The zero value is no date; see IsZero.
type Date struct {
	n int32 // days since 0001-01-01, plus one; 0 means no date
}

// Layout is the only text form of a Date, ISO 8601 "YYYY-MM-DD".
const Layout = "2006-01-02"

// epochUnix is 0001-01-01T00:00:00Z in Unix seconds. Arithmetic is done in Unix
// seconds because time.Duration cannot span two thousand years.
var epochUnix = time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC).Unix()

const secondsPerDay = 24 * 60 * 60

// New returns the date year-month-day. Like time.Date it normalizes out-of-range
// months and days (New(2026, 2, 29) is 2026-03-01); use Parse to reject them.
// New panics if the result lies outside years 1–9999.
func New(year int, month time.Month, day int) Date {
	d, ok := fromTime(time.Date(year, month, day, 0, 0, 0, 0, time.UTC))
	if !ok {
		panic(fmt.Sprintf("date: year %d out of range", year))
	}
	return d
}

// Of returns the calendar date of t in t's location.
func Of(t time.Time) Date {
	y, m, d := t.Date()
	return New(y, m, d)
}

func fromTime(t time.Time) (Date, bool) {
	y, m, d := t.Date()
	if y < 1 || y > 9999 {
		return Date{}, false
	}
	return Date{n: daysFromCivil(y, int(m), d) + 1}, true
}

// daysFromCivil returns the days from 0001-01-01 to y-m-d (a valid date), by
// Howard Hinnant's algorithm: pure integer arithmetic, no time.Time.
func daysFromCivil(y, m, d int) int32 {
	if m <= 2 {
		y--
	}
	era := y / 400 // y ≥ 0 here
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int32(era*146097 + doe - 306) // 0000-03-01 is day 0 of era 0; 0001-01-01 is day 306
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(n int32) (y, m, d int) {
	z := int(n) + 306
	era := z / 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	y = yoe + era*400
	if m <= 2 {
		y++
	}
	return y, m, d
}

// Parse parses "YYYY-MM-DD" strictly: the day must exist in that month.
func Parse(s string) (Date, error) {
	t, err := time.Parse(Layout, s)
	if err != nil {
		return Date{}, fmt.Errorf("%w: want YYYY-MM-DD", ErrInvalid)
	}
	d, ok := fromTime(t)
	if !ok {
		return Date{}, fmt.Errorf("%w: year out of range", ErrInvalid)
	}
	return d, nil
}

// MustParse is like Parse but panics on error. It is meant for constants in code
// and tests.
func MustParse(s string) Date {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// IsZero reports whether d is the zero Date (no date).
func (d Date) IsZero() bool { return d.n == 0 }

// Time returns midnight UTC at the start of d.
func (d Date) Time() time.Time {
	return time.Unix(epochUnix+int64(d.n-1)*secondsPerDay, 0).UTC()
}

// Date returns the year, month and day of d.
func (d Date) Date() (year int, month time.Month, day int) {
	y, m, dd := civilFromDays(d.n - 1)
	return y, time.Month(m), dd
}

// Year returns the year of d.
func (d Date) Year() int { y, _, _ := d.Date(); return y }

// Month returns the month of d.
func (d Date) Month() time.Month { _, m, _ := d.Date(); return m }

// Day returns the day of the month of d.
func (d Date) Day() int { _, _, dd := d.Date(); return dd }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.Time().Weekday() }

// AddDays returns d plus n days (n may be negative).
func (d Date) AddDays(n int) Date { return Date{n: d.n + int32(n)} }

// AddMonths returns the date n months after d, clamping the day to the end of the
// target month (2026-01-31 plus one month is 2026-02-28), as accountants expect.
func (d Date) AddMonths(n int) Date {
	y, m, day := d.Date()
	first := New(y, m+time.Month(n), 1)
	if last := first.EndOfMonth().Day(); day > last {
		day = last
	}
	return first.AddDays(day - 1)
}

// StartOfMonth returns the first day of d's month.
func (d Date) StartOfMonth() Date { return d.AddDays(1 - d.Day()) }

// EndOfMonth returns the last day of d's month.
func (d Date) EndOfMonth() Date {
	y, m, _ := d.Date()
	if m == 12 {
		return Date{n: daysFromCivil(y+1, 1, 1)}
	}
	return Date{n: daysFromCivil(y, int(m)+1, 1)}
}

// DaysUntil returns the number of days from d to e (negative if e is before d).
func (d Date) DaysUntil(e Date) int { return int(e.n - d.n) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.n < e.n }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.n > e.n }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.n < e.n:
		return -1
	case d.n > e.n:
		return 1
	}
	return 0
}

// String returns d as "YYYY-MM-DD", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return string(d.AppendText(make([]byte, 0, 10)))
}

// AppendText appends "YYYY-MM-DD" to b without allocating.
func (d Date) AppendText(b []byte) []byte {
	y, m, day := d.Date()
	return append(b,
		byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+int(m)/10), byte('0'+int(m)%10), '-',
		byte('0'+day/10), byte('0'+day%10))
}

// MarshalText implements encoding.TextMarshaler ("YYYY-MM-DD"; empty for the zero Date).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; empty text is the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	p, err := Parse(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// Value implements driver.Valuer: "YYYY-MM-DD" text, which SQL DATE and TEXT columns
// both accept; the zero Date is NULL.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan implements sql.Scanner for DATE, TEXT and timestamp columns; NULL is the zero Date.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case time.Time:
		*d = Of(v)
		return nil
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	}
	return fmt.Errorf("%w: cannot scan %T", ErrInvalid, src)
}

func (d *Date) scanText(s string) error {
	if len(s) > 10 { // drivers may render DATE as a timestamp text
		s = s[:10]
	}
	return d.UnmarshalText([]byte(s))
}
