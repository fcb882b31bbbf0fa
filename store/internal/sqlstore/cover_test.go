package sqlstore

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/openbackoffice/backoffice/date"
)

// days expands a span into the day numbers it covers, clipped to [lo, hi).
func (s span) days(lo, hi int64) (out []int64) {
	for d := lo; d < hi; d++ {
		dt := epoch.AddDays(int(d))
		var b int64
		switch s.level {
		case 0:
			b = d
		case 1:
			b = monthNumber(dt)
		case 2:
			b = int64(dt.Year())
		}
		if b >= s.lo && b < s.hi {
			out = append(out, d)
		}
	}
	return out
}

// TestCover checks that cover splits [from, to) into spans that cover every
// day of it exactly once and nothing else, against a day-by-day expansion.
func TestCover(t *testing.T) {
	first, last := date.MustParse("1999-11-01"), date.MustParse("2003-02-28")
	rapid.Check(t, func(t *rapid.T) {
		n := first.DaysUntil(last)
		var from, to date.Date
		if !rapid.Bool().Draw(t, "openFrom") {
			from = first.AddDays(rapid.IntRange(1, n).Draw(t, "from"))
		}
		if !rapid.Bool().Draw(t, "openTo") {
			lo := 1
			if !from.IsZero() {
				lo = first.DaysUntil(from)
			}
			to = first.AddDays(rapid.IntRange(lo, n).Draw(t, "to"))
		}
		lo, hi := dayNumber(first), dayNumber(last)+1
		want := map[int64]bool{}
		for d := lo; d < hi; d++ {
			if (from.IsZero() || d >= dayNumber(from)) && (to.IsZero() || d < dayNumber(to)) {
				want[d] = true
			}
		}
		got := map[int64]int{}
		for _, s := range cover(from, to) {
			for _, d := range s.days(lo, hi) {
				got[d]++
			}
		}
		for d := lo; d < hi; d++ {
			if want[d] && got[d] != 1 || !want[d] && got[d] != 0 {
				t.Fatalf("cover(%v, %v) = %v: day %v covered %d times, want in range %v", from, to, cover(from, to), epoch.AddDays(int(d)), got[d], want[d])
			}
		}
	})
}

func TestCoverLastYear(t *testing.T) {
	// Must not build a date in year 10000.
	for _, from := range []string{"9999-01-01", "9999-03-15", "9999-12-31"} {
		if len(cover(date.MustParse(from), date.Date{})) == 0 {
			t.Errorf("cover(%s, open) is empty", from)
		}
	}
}
