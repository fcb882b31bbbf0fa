package date

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrPeriod is wrapped by every *PeriodError: text that is not a period
// expression ParsePeriod reads.
var ErrPeriod = errors.New("date: invalid period expression")

// PeriodError reports a period expression ParsePeriod cannot read, naming
// the text and what is wrong with it. It wraps ErrPeriod.
type PeriodError struct {
	Text   string // the expression as given
	Reason string // what is wrong, such as "month 13"
}

func (e *PeriodError) Error() string {
	return fmt.Sprintf("period %q: %s: %v", e.Text, e.Reason, ErrPeriod)
}

// Unwrap returns ErrPeriod.
func (e *PeriodError) Unwrap() error { return ErrPeriod }

// Period is a span of whole days, From to To, both inclusive. A zero From
// is open towards the past (from the beginning), a zero To open towards the
// future; what an open side stands for is the caller's to say (hledger:
// the earliest or latest transaction).
type Period struct {
	From, To Date
}

// ParsePeriod parses s, an hledger period expression, with today the date
// that relative expressions count from. Letters may be in any case; words
// are separated by spaces.
//
// A single date stands for the whole span it names:
//
//	2025                     the year: 2025-01-01 to 2025-12-31
//	2025-Q1, 2025q1          the calendar quarter: 2025-01-01 to 2025-03-31
//	2025-03                  the month: 2025-03-01 to 2025-03-31
//	2025-03-15               the day (also 2025/3/15, 2025.03.15, 20250315)
//	today, yesterday, tomorrow
//	this|last|next day|week|month|quarter|year   the span holding today, the one
//	                         before it, the one after it (weeks start on Monday,
//	                         quarters and years are calendar ones); the space may
//	                         be left out ("lastmonth")
//
// A range is two of them joined by ".." or "to", optionally after "from";
// either side may be left out, leaving that side of the period open:
//
//	2025-01-01..2025-04-01   from 2025-01-01 to 2025-03-31
//	from 2025-01 to 2025-04  the same
//	2025-01-01..             from 2025-01-01 on (also "from 2025-01-01")
//	..2025-04-01             up to 2025-03-31 (also "to 2025-04-01")
//
// As in hledger, a range's start is inclusive and its end is exclusive:
// each side stands for the first day of the span it names, and the period
// ends the day before the end's first day. So "2025-01-01..2025-03-31"
// ends on 2025-03-30, and "2025..2026" is the year 2025. A range that
// holds no day ("2025-03..2025-03") is an error, not an empty period.
//
// Anything else — hledger's report intervals ("monthly"), dates without a
// year ("3/15", "q1", "january"), "-" between two dates, a month 13 or a
// 30 February — is a *PeriodError naming the text (errors.Is ErrPeriod).
// Quarters as the sides of a range ("2025-Q1..2025-Q3") are read by the
// same rule, a reading hledger itself refuses.
//
// ParsePeriod is a pure function, safe for concurrent use.
func ParsePeriod(s string, today Date) (Period, error) {
	text := s
	fail := func(format string, args ...any) (Period, error) {
		return Period{}, &PeriodError{Text: text, Reason: fmt.Sprintf(format, args...)}
	}
	s = strings.Join(strings.Fields(strings.ToLower(s)), " ")
	if s == "" {
		return fail("empty")
	}
	rest, from := strings.CutPrefix(s, "from ")
	var a, b string
	ranged := true
	switch {
	case strings.Contains(rest, ".."):
		a, b, _ = strings.Cut(rest, "..")
		a, b = strings.TrimSpace(a), strings.TrimSpace(b)
		if a == "" && b == "" {
			return fail("a range needs a start or an end")
		}
	case strings.HasPrefix(rest, "to ") && !from:
		b = rest[len("to "):]
	case strings.Contains(rest, " to "):
		a, b, _ = strings.Cut(rest, " to ")
	case from:
		a = rest
	default:
		a, ranged = rest, false
	}
	if from && a == "" {
		return fail(`"from" needs a date`)
	}
	if strings.Contains(b, "..") || strings.Contains(b, " to ") || strings.HasPrefix(b, "to ") {
		return fail("more than one range")
	}
	var p Period
	if a != "" {
		first, last, reason := span(a, today)
		if reason != "" {
			return fail("%s", reason)
		}
		if !ranged {
			return Period{From: first, To: last}, nil
		}
		p.From = first
	}
	if b != "" {
		end, _, reason := span(b, today) // exclusive
		if reason != "" {
			return fail("%s", reason)
		}
		if end.n <= 1 {
			return fail("nothing before %s", end)
		}
		p.To = end.AddDays(-1)
		if !p.From.IsZero() && p.To.Before(p.From) {
			return fail("holds no day: the end %s is exclusive, so the period ends on %s, before its start %s", b, p.To, p.From)
		}
	}
	return p, nil
}

// span returns the first and last day of the span one date of a period
// expression names, or why it names none.
func span(s string, today Date) (first, last Date, reason string) {
	switch s {
	case "today", "yesterday", "tomorrow":
		if today.IsZero() {
			return first, last, fmt.Sprintf("%q needs today's date", s)
		}
		d := today.AddDays(map[string]int{"today": 0, "yesterday": -1, "tomorrow": 1}[s])
		if !d.valid() {
			return first, last, "out of the years 1–9999"
		}
		return d, d, ""
	}
	for _, rel := range []string{"this", "last", "next"} {
		unit, ok := strings.CutPrefix(s, rel)
		if !ok {
			continue
		}
		unit = strings.TrimPrefix(unit, " ")
		n := map[string]int{"this": 0, "last": -1, "next": 1}[rel]
		switch unit {
		case "day", "week", "month", "quarter", "year":
		default:
			return first, last, fmt.Sprintf("%q: want %s day, week, month, quarter or year", s, rel)
		}
		if today.IsZero() {
			return first, last, fmt.Sprintf("%q needs today's date", s)
		}
		return relative(today, unit, n)
	}
	digits := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
		return s != ""
	}
	if len(s) < 4 || !digits(s[:4]) {
		return first, last, fmt.Sprintf("%q is not a date: want a year first (2025, 2025-Q1, 2025-03, 2025-03-15) or this, last or next month, quarter or year", s)
	}
	year, _ := strconv.Atoi(s[:4])
	if year < 1 {
		return first, last, "year 0000"
	}
	rest := s[4:]
	switch {
	case rest == "":
		first = New(year, time.January, 1)
		return first, New(year, time.December, 31), ""
	case len(rest) == 4 && digits(rest): // YYYYMMDD
		return day(year, rest[:2], rest[2:])
	}
	if q, ok := strings.CutPrefix(strings.TrimPrefix(rest, "-"), "q"); ok {
		n, err := strconv.Atoi(q)
		if err != nil || len(q) != 1 || n < 1 || n > 4 {
			return first, last, fmt.Sprintf("quarter %q: quarters are 1 to 4", q)
		}
		first = New(year, time.Month(3*n-2), 1)
		return first, first.AddMonths(2).EndOfMonth(), ""
	}
	sep := rest[0]
	if sep != '-' && sep != '/' && sep != '.' {
		return first, last, fmt.Sprintf("%q is not a date: want 2025, 2025-Q1, 2025-03 or 2025-03-15", s)
	}
	parts := strings.Split(rest[1:], string(sep))
	for _, p := range parts {
		if len(p) < 1 || len(p) > 2 || !digits(p) {
			return first, last, fmt.Sprintf("%q is not a date: want 2025, 2025-Q1, 2025-03 or 2025-03-15", s)
		}
	}
	switch len(parts) {
	case 1:
		m, _ := strconv.Atoi(parts[0])
		if m < 1 || m > 12 {
			return first, last, fmt.Sprintf("month %d", m)
		}
		first = New(year, time.Month(m), 1)
		return first, first.EndOfMonth(), ""
	case 2:
		return day(year, parts[0], parts[1])
	}
	return first, last, fmt.Sprintf("%q is not a date: want 2025, 2025-Q1, 2025-03 or 2025-03-15", s)
}

// day returns the day year-month-dd, or why there is none.
func day(year int, month, dd string) (first, last Date, reason string) {
	m, _ := strconv.Atoi(month)
	d, _ := strconv.Atoi(dd)
	if m < 1 || m > 12 {
		return first, last, fmt.Sprintf("month %d", m)
	}
	first = New(year, time.Month(m), 1)
	if d < 1 || d > first.EndOfMonth().Day() {
		return Date{}, last, fmt.Sprintf("%04d-%02d has no day %d", year, m, d)
	}
	first = first.AddDays(d - 1)
	return first, first, ""
}

// relative returns the day, week, month, quarter or year n such spans from
// the one holding today.
func relative(today Date, unit string, n int) (first, last Date, reason string) {
	const outOfRange = "out of the years 1–9999"
	y, m, _ := today.Date()
	switch unit {
	case "day", "week":
		first, last = today.AddDays(n), today.AddDays(n)
		if unit == "week" {
			first = today.AddDays(-(int(today.Weekday())+6)%7 + 7*n)
			last = first.AddDays(6)
		}
		if !first.valid() || !last.valid() {
			return Date{}, Date{}, outOfRange
		}
		return first, last, ""
	}
	months, start := 1, y*12+int(m)-1 // start: months since January of year 0
	switch unit {
	case "quarter":
		months, start = 3, start-(int(m)-1)%3
	case "year":
		months, start = 12, start-(int(m)-1)
	}
	start += n * months
	if start < 12 || start+months-1 > 9999*12+11 {
		return Date{}, Date{}, outOfRange
	}
	first = New(start/12, time.Month(start%12+1), 1)
	return first, first.AddMonths(months - 1).EndOfMonth(), ""
}

// valid reports whether d lies in the years 1–9999 (arithmetic near the
// ends may leave them).
func (d Date) valid() bool { return d.n >= 1 && d.n <= daysFromCivil(9999, 12, 31)+1 }
