package date

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{"2026-03-31", "2026-03-31", false},
		{"0001-01-01", "0001-01-01", false},
		{"9999-12-31", "9999-12-31", false},
		{"2024-02-29", "2024-02-29", false},
		{"2026-02-29", "", true},
		{"2026-13-01", "", true},
		{"2026-3-1", "", true},
		{"", "", true},
		{"31.03.2026", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			if tt.wantErr {
				if !errors.Is(err, ErrInvalid) {
					t.Fatalf("Parse(%q) error = %v, want ErrInvalid", tt.in, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != tt.want {
				t.Errorf("Parse(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestArithmetic(t *testing.T) {
	d := MustParse("2026-01-31")
	tests := []struct {
		name string
		got  Date
		want string
	}{
		{"AddMonths clamps", d.AddMonths(1), "2026-02-28"},
		{"AddMonths leap", MustParse("2024-01-31").AddMonths(1), "2024-02-29"},
		{"AddMonths back over year", d.AddMonths(-2), "2025-11-30"},
		{"AddDays", d.AddDays(1), "2026-02-01"},
		{"EndOfMonth", MustParse("2026-02-10").EndOfMonth(), "2026-02-28"},
		{"StartOfMonth", MustParse("2026-02-10").StartOfMonth(), "2026-02-01"},
		{"New normalizes", New(2026, 2, 29), "2026-03-01"},
		{"Of keeps local date", Of(time.Date(2026, 3, 31, 23, 30, 0, 0, time.FixedZone("CEST", 2*3600))), "2026-03-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.got.String(); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
	if n := MustParse("2026-01-01").DaysUntil(MustParse("2027-01-01")); n != 365 {
		t.Errorf("DaysUntil = %d, want 365", n)
	}
	if !MustParse("2026-01-01").Before(MustParse("2026-01-02")) || MustParse("2026-01-02").Compare(MustParse("2026-01-01")) != 1 {
		t.Error("ordering broken")
	}
	if (Date{}).String() != "" || !(Date{}).IsZero() {
		t.Error("zero Date must be empty")
	}
}

func TestRoundTrips(t *testing.T) {
	for _, s := range []string{"0001-01-01", "1970-01-01", "2026-11-27", "9999-12-31"} {
		d := MustParse(s)
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		var got Date
		if err := json.Unmarshal(b, &got); err != nil || got != d {
			t.Errorf("JSON %s: got %v, %v", s, got, err)
		}
		v, _ := d.Value()
		var scanned Date
		if err := scanned.Scan(v); err != nil || scanned != d {
			t.Errorf("Scan(Value) %s: got %v, %v", s, scanned, err)
		}
		if err := scanned.Scan(d.Time()); err != nil || scanned != d {
			t.Errorf("Scan(time) %s: got %v, %v", s, scanned, err)
		}
	}
	var d Date
	if err := d.Scan(3.5); !errors.Is(err, ErrInvalid) {
		t.Errorf("Scan(float) = %v, want ErrInvalid", err)
	}
}

// TestCivilAgreesWithTime checks the integer calendar arithmetic against the
// time package for every day of four centuries and the range ends.
func TestCivilAgreesWithTime(t *testing.T) {
	check := func(tm time.Time) {
		d := Of(tm)
		y, m, dd := d.Date()
		ty, tmo, td := tm.Date()
		if y != ty || m != tmo || dd != td || !d.Time().Equal(time.Date(ty, tmo, td, 0, 0, 0, 0, time.UTC)) {
			t.Fatalf("%s: got %04d-%02d-%02d", tm.Format(Layout), y, m, dd)
		}
		if d.Weekday() != tm.Weekday() {
			t.Fatalf("%s: weekday %s, want %s", tm.Format(Layout), d.Weekday(), tm.Weekday())
		}
	}
	for tm := time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC); tm.Year() < 2200; tm = tm.AddDate(0, 0, 1) {
		check(tm)
	}
	check(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC))
	check(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC))
	if New(1, 1, 1).n != 1 {
		t.Errorf("0001-01-01 must be day 1")
	}
}
