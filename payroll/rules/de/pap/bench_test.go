package pap_test

import (
	"testing"

	"github.com/openbackoffice/backoffice/payroll/rules/de/pap"
	"github.com/shopspring/decimal"
)

// BenchmarkLohnsteuer2026 measures one low-level calculation: the monthly
// 5,000 € case of issue 6 (class I, church tax, no other payments).
func BenchmarkLohnsteuer2026(b *testing.B) {
	in := pap.DefaultInput2026()
	in.LZZ, in.RE4, in.STKL, in.R = 2, decimal.NewFromInt(500_000), 1, 1
	in.KVZ, in.PVZ = decimal.RequireFromString("2.90"), 1
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pap.Lohnsteuer2026(in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLohnsteuer2026ClassV measures the annual-table case (LZZ=1) in
// tax class V, which runs the class V/VI tariff three times.
func BenchmarkLohnsteuer2026ClassV(b *testing.B) {
	in := pap.DefaultInput2026()
	in.LZZ, in.RE4, in.STKL = 1, decimal.NewFromInt(5_000_000), 5
	in.KVZ, in.PVZ = decimal.RequireFromString("2.90"), 1
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pap.Lohnsteuer2026(in); err != nil {
			b.Fatal(err)
		}
	}
}
