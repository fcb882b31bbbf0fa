package pap_test

import (
	"errors"
	"math"
	"testing"

	"github.com/openbackoffice/backoffice/payroll/rules/de/pap"
	"github.com/shopspring/decimal"
)

func TestInvalidInput(t *testing.T) {
	base := func() pap.Input2026 {
		in := pap.DefaultInput2026()
		in.RE4 = decimal.NewFromInt(500000)
		return in
	}
	tests := []struct {
		name   string
		edit   func(*pap.Input2026)
		field  string
		target error
	}{
		{"tax class 0", func(in *pap.Input2026) { in.STKL = 0 }, "STKL", pap.ErrTaxClass},
		{"tax class 7", func(in *pap.Input2026) { in.STKL = 7 }, "STKL", pap.ErrTaxClass},
		{"pay period 0", func(in *pap.Input2026) { in.LZZ = 0 }, "LZZ", pap.ErrPayPeriod},
		{"pay period 5", func(in *pap.Input2026) { in.LZZ = 5 }, "LZZ", pap.ErrPayPeriod},
		{"factor above 1", func(in *pap.Input2026) { in.STKL, in.F = 4, 1.001 }, "F", pap.ErrFactor},
		{"factor zero", func(in *pap.Input2026) { in.STKL, in.F = 4, 0 }, "F", pap.ErrFactor},
		{"factor negative", func(in *pap.Input2026) { in.STKL, in.F = 4, -0.5 }, "F", pap.ErrFactor},
		{"factor four decimals", func(in *pap.Input2026) { in.STKL, in.F = 4, 0.7215 }, "F", pap.ErrFactor},
		{"factor NaN", func(in *pap.Input2026) { in.STKL, in.F = 4, math.NaN() }, "F", pap.ErrFactor},
		{"factor outside class IV", func(in *pap.Input2026) { in.STKL, in.F = 1, 0.9 }, "F", pap.ErrFactor},
		{"AF 2", func(in *pap.Input2026) { in.AF = 2 }, "AF", pap.ErrOutOfRange},
		{"negative wage", func(in *pap.Input2026) { in.RE4 = decimal.NewFromInt(-1) }, "RE4", pap.ErrNegative},
		{"negative other payment", func(in *pap.Input2026) { in.SONSTB = decimal.NewFromInt(-100) }, "SONSTB", pap.ErrNegative},
		{"negative annual wage", func(in *pap.Input2026) { in.JRE4 = decimal.NewFromInt(-100) }, "JRE4", pap.ErrNegative},
		{"negative children", func(in *pap.Input2026) { in.ZKF = decimal.RequireFromString("-0.5") }, "ZKF", pap.ErrNegative},
		{"PKV 2 in 2026", func(in *pap.Input2026) { in.PKV = 2 }, "PKV", pap.ErrOutOfRange},
		{"PVS 2", func(in *pap.Input2026) { in.PVS = 2 }, "PVS", pap.ErrOutOfRange},
		{"ZMVB 13", func(in *pap.Input2026) { in.ZMVB = 13 }, "ZMVB", pap.ErrOutOfRange},
		{"PVA 5", func(in *pap.Input2026) { in.PVA = decimal.NewFromInt(5) }, "PVA", pap.ErrOutOfRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base()
			tt.edit(&in)
			_, err := pap.Lohnsteuer2026(in)
			if !errors.Is(err, tt.target) {
				t.Fatalf("err = %v, want %v", err, tt.target)
			}
			var ie *pap.InputError
			if !errors.As(err, &ie) || ie.Field != tt.field || ie.Year != 2026 {
				t.Fatalf("err = %#v, want *InputError for field %s", err, tt.field)
			}
		})
	}
	t.Run("valid factor in class IV", func(t *testing.T) {
		in := base()
		in.STKL, in.F = 4, 0.721
		if _, err := pap.Lohnsteuer2026(in); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("PKV 2 accepted in 2025", func(t *testing.T) {
		in := pap.DefaultInput2025()
		in.LZZ, in.STKL, in.PKV = 1, 1, 2
		in.RE4 = decimal.NewFromInt(5000000)
		if _, err := pap.Lohnsteuer2025(in); err != nil {
			t.Fatal(err)
		}
	})
}
