package pap_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/openbackoffice/backoffice/payroll/rules/de/pap"
	"github.com/shopspring/decimal"
)

// general2026 is the BMF "allgemeine Lohnsteuertabelle" setup for an annual
// wage: statutory pension and unemployment insurance (KRV=0, ALV=0),
// statutory health insurance (PKV=0) with 2.90 % additional contribution,
// childless surcharge in long-term care (PVZ=1) except in class II
// (single parent: PVZ=0), no children's allowances, no church tax.
func general2026(euro int64, stkl int) pap.Input2026 {
	in := pap.DefaultInput2026()
	in.LZZ = 1
	in.RE4 = decimal.NewFromInt(euro * 100)
	in.STKL = stkl
	in.KVZ = decimal.RequireFromString("2.90")
	in.PVZ = 1
	if stkl == 2 {
		in.PVZ = 0
	}
	return in
}

// TestPublished2026 checks values published independently of this code:
// the BMF's 2026 annual table at 50,000 €, the BMF test-interface case and
// the monthly example of issue 6.
func TestPublished2026(t *testing.T) {
	type result struct{ LSTLZZ, SOLZLZZ, BK string }
	cent := func(d decimal.Decimal) string { return d.String() }
	tests := []struct {
		name string
		in   pap.Input2026
		want result
	}{
		{"annual table 50000 I", general2026(50000, 1), result{"678800", "0", "0"}},
		{"annual table 50000 II", general2026(50000, 2), result{"558000", "0", "0"}},
		{"annual table 50000 III", general2026(50000, 3), result{"281000", "0", "0"}},
		{"annual table 50000 IV", general2026(50000, 4), result{"678800", "0", "0"}},
		{"annual table 50000 V", general2026(50000, 5), result{"1201000", "0", "0"}},
		{"annual table 50000 VI", general2026(50000, 6), result{"1254200", "0", "0"}},
		{"BMF interface case LZZ=1 RE4=2500000 STKL=1", func() pap.Input2026 {
			in := pap.DefaultInput2026()
			in.LZZ, in.RE4, in.STKL = 1, decimal.NewFromInt(2500000), 1
			return in
		}(), result{"137600", "0", "0"}},
		{"issue 6 monthly 5000 I church", func() pap.Input2026 {
			in := pap.DefaultInput2026()
			in.LZZ, in.RE4, in.STKL, in.R = 2, decimal.NewFromInt(500000), 1, 1
			in.KVZ, in.PVZ = decimal.RequireFromString("2.90"), 1
			return in
		}(), result{"78241", "0", "78241"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := pap.Lohnsteuer2026(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			got := result{cent(out.LSTLZZ), cent(out.SOLZLZZ), cent(out.BK)}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("outputs (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("issue 6 church tax 9 percent", func(t *testing.T) {
		in := pap.DefaultInput2026()
		in.LZZ, in.RE4, in.STKL, in.R = 2, decimal.NewFromInt(500000), 1, 1
		in.KVZ, in.PVZ = decimal.RequireFromString("2.90"), 1
		out, err := pap.Lohnsteuer2026(in)
		if err != nil {
			t.Fatal(err)
		}
		// Church tax is 9 % of BK, rounded down to the cent: 70.41 €.
		got := out.BK.Mul(decimal.RequireFromString("0.09")).RoundDown(0)
		if want := decimal.NewFromInt(7041); !got.Equal(want) {
			t.Errorf("church tax = %s cent, want %s", got, want)
		}
	})
}
