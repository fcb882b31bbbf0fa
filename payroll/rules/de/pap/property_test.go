package pap_test

import (
	"errors"
	"testing"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/payroll/rules/de/pap"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// cents draws a non-negative cent amount up to max.
func cents(t *rapid.T, label string, max int64) decimal.Decimal {
	return decimal.NewFromInt(rapid.Int64Range(0, max).Draw(t, label))
}

// validInput draws any input inside the documented ranges, including
// pensions, age relief, other payments, private insurance and factors.
func validInput(t *rapid.T, year int) pap.Input {
	in := pap.DefaultInput()
	in.LZZ = rapid.IntRange(1, 4).Draw(t, "LZZ")
	in.STKL = rapid.IntRange(1, 6).Draw(t, "STKL")
	in.RE4 = cents(t, "RE4", 100_000_000)
	in.VBEZ = decimal.Min(in.RE4, cents(t, "VBEZ", 10_000_000))
	in.VBEZM = cents(t, "VBEZM", 1_000_000)
	in.VBEZS = cents(t, "VBEZS", 1_000_000)
	in.VJAHR = rapid.IntRange(1990, 2070).Draw(t, "VJAHR")
	in.ZMVB = rapid.IntRange(0, 12).Draw(t, "ZMVB")
	in.ALTER1 = rapid.IntRange(0, 1).Draw(t, "ALTER1")
	in.AJAHR = rapid.IntRange(1990, 2070).Draw(t, "AJAHR")
	in.KRV = rapid.IntRange(0, 1).Draw(t, "KRV")
	in.ALV = rapid.IntRange(0, 1).Draw(t, "ALV")
	in.PKV = rapid.IntRange(0, map[bool]int{true: 2, false: 1}[year == 2025]).Draw(t, "PKV")
	in.PKPV = cents(t, "PKPV", 200_000)
	in.PKPVAGZ = cents(t, "PKPVAGZ", 100_000)
	in.KVZ = decimal.New(rapid.Int64Range(0, 500).Draw(t, "KVZ"), -2)
	in.PVS = rapid.IntRange(0, 1).Draw(t, "PVS")
	in.PVZ = rapid.IntRange(0, 1).Draw(t, "PVZ")
	in.PVA = decimal.NewFromInt(rapid.Int64Range(0, 4).Draw(t, "PVA"))
	in.R = rapid.IntRange(0, 1).Draw(t, "R")
	in.ZKF = decimal.New(rapid.Int64Range(0, 60).Draw(t, "ZKF")*5, -1)
	in.LZZFREIB = cents(t, "LZZFREIB", 1_000_000)
	in.LZZHINZU = cents(t, "LZZHINZU", 1_000_000)
	in.SONSTB = cents(t, "SONSTB", 50_000_000)
	in.SONSTENT = decimal.Min(in.SONSTB, cents(t, "SONSTENT", 10_000_000))
	in.VBS = decimal.Min(in.SONSTB, cents(t, "VBS", 1_000_000))
	in.STERBE = decimal.Min(in.VBS, cents(t, "STERBE", 1_000_000))
	in.JRE4 = cents(t, "JRE4", 200_000_000)
	in.JRE4ENT = decimal.Min(in.JRE4, cents(t, "JRE4ENT", 1_000_000))
	in.JVBEZ = decimal.Min(in.JRE4, cents(t, "JVBEZ", 10_000_000))
	in.JFREIB = cents(t, "JFREIB", 1_000_000)
	in.JHINZU = cents(t, "JHINZU", 1_000_000)
	in.MBV = cents(t, "MBV", 1_000_000)
	if in.STKL == 4 && rapid.Bool().Draw(t, "factor") {
		in.AF = 1
		in.F = float64(rapid.IntRange(1, 1000).Draw(t, "F1000")) / 1000
	}
	return in
}

// TestPropertyNeverFails runs both years on arbitrary valid input: no panic,
// no error, and the withheld amounts are never negative.
func TestPropertyNeverFails(t *testing.T) {
	for _, year := range []int{2025, 2026} {
		calc, err := pap.For(date.New(year, 1, 1))
		if err != nil {
			t.Fatal(err)
		}
		rapid.Check(t, func(t *rapid.T) {
			in := validInput(t, year)
			out, err := calc.Calculate(in)
			if err != nil {
				t.Fatalf("Calculate: %v", err)
			}
			for name, v := range map[string]decimal.Decimal{"LSTLZZ": out.LSTLZZ, "SOLZLZZ": out.SOLZLZZ, "BK": out.BK, "STS": out.STS, "SOLZS": out.SOLZS, "BKS": out.BKS} {
				if v.Sign() < 0 {
					t.Fatalf("%s = %s < 0", name, v)
				}
				if !v.Equal(v.Truncate(0)) {
					t.Fatalf("%s = %s is not whole cents", name, v)
				}
			}
		})
	}
}

// TestForBoundaries checks the version switch at the turn of the year.
func TestForBoundaries(t *testing.T) {
	tests := []struct {
		name string
		d    date.Date
		want int // 0: ErrNoVersion
	}{
		{"first day 2025", date.New(2025, 1, 1), 2025},
		{"31 Dec 2025", date.New(2025, 12, 31), 2025},
		{"1 Jan 2026", date.New(2026, 1, 1), 2026},
		{"31 Dec 2026", date.New(2026, 12, 31), 2026},
		{"31 Dec 2024", date.New(2024, 12, 31), 0},
		{"1 Jan 2027", date.New(2027, 1, 1), 0},
		{"zero date", date.Date{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := pap.For(tt.d)
			if tt.want == 0 {
				var nv *pap.NoVersionError
				if !errors.Is(err, pap.ErrNoVersion) || !errors.As(err, &nv) || nv.Date != tt.d {
					t.Fatalf("For(%v) = %v, %v; want *NoVersionError wrapping ErrNoVersion", tt.d, c, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Year(); got != tt.want {
				t.Errorf("For(%v).Year() = %d, want %d", tt.d, got, tt.want)
			}
		})
	}
}
