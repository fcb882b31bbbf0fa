package de

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/money"
)

// TestTransitionTotal checks the total contribution in the transition
// zone against the Minijob-Zentrale's worked example for 521 € a month in
// 2023 (G 520, UG 2,000): BE 365.61, BE_AN 1.48, each total the half rate
// on BE rounded and doubled, the employee's share the half rate on BE_AN,
// the employer's the difference. Worked by hand:
//
//	KV   365.61 × 7.3 %   = 26.689530 → 26.69 × 2 = 53.38; 1.48 × 7.3 %   = 0.10804 → 0.11; employer 53.27
//	ZB   365.61 × 0.65 %  =  2.376465 →  2.38 × 2 =  4.76; 1.48 × 0.65 %  = 0.00962 → 0.01; employer  4.75
//	PV   365.61 × 1.525 % =  5.575553 →  5.58 × 2 = 11.16; 1.48 × 1.525 % = 0.02257 → 0.02; employer 11.14
//	RV   365.61 × 9.3 %   = 34.001730 → 34.00 × 2 = 68.00; 1.48 × 9.3 %   = 0.13764 → 0.14; employer 67.86
//	AV   365.61 × 1.2 %   =  4.387320 →  4.39 × 2 =  8.78; 1.48 × 1.2 %   = 0.01776 → 0.02; employer  8.76
//
// Rounding the full rate instead would give PV 11.15 and AV 8.77.
func TestTransitionTotal(t *testing.T) {
	be, eb := money.MustParse("365.61", money.EUR), money.MustParse("1.48", money.EUR)
	tests := []struct {
		name                   string
		full                   string // percent
		total, employee, owner string
	}{
		{"health", "14.6", "53.38", "0.11", "53.27"},
		{"health add-on", "1.3", "4.76", "0.01", "4.75"},
		{"care", "3.05", "11.16", "0.02", "11.14"},
		{"pension", "18.6", "68.00", "0.14", "67.86"},
		{"unemployment", "2.4", "8.78", "0.02", "8.76"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			full := decimal.RequireFromString(tc.full).Shift(-2)
			tot, err := transitionTotal(be, full)
			if err != nil {
				t.Fatal(err)
			}
			ee, err := eb.MulRate(full.Mul(half), money.HalfUp)
			if err != nil {
				t.Fatal(err)
			}
			er, err := tot.Sub(ee)
			if err != nil {
				t.Fatal(err)
			}
			if got := [3]string{tot.Number(), ee.Number(), er.Number()}; got != [3]string{tc.total, tc.employee, tc.owner} {
				t.Errorf("total, employee, employer = %v, want %v", got, [3]string{tc.total, tc.employee, tc.owner})
			}
		})
	}
}
