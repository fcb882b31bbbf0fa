package pap_test

import (
	"fmt"
	"testing"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/payroll/rules/de/pap"
	"github.com/shopspring/decimal"
)

// generalInput is the "allgemeine Tabelle" setup (see general2026) as a
// year-independent Input, run through the selector.
func generalInput(euro int64, stkl int) pap.Input {
	in := pap.DefaultInput()
	in.LZZ = 1
	in.RE4 = decimal.NewFromInt(euro * 100)
	in.STKL = stkl
	in.KVZ = decimal.RequireFromString("2.50")
	in.PVZ = 1
	if stkl == 2 {
		in.PVZ = 0
	}
	return in
}

// TestInvariants runs annual wages 5,000–110,000 € in 2,500 € steps, tax
// classes I–VI, for 2025 and 2026, and checks properties that follow from
// the law rather than from this code:
//   - the annual tax is a whole euro amount (§ 32a Absatz 1 EStG rounds down
//     to full euro), so LSTLZZ (cent) is a multiple of 100;
//   - tax is non-decreasing in the wage within a class;
//   - without children and factor, classes I and IV are the same tariff;
//   - splitting (III) and the single-parent relief (II) never cost more than
//     I; V and VI never cost less than I, and VI (no lump sums) not less than V;
//   - wages below the basic allowance are tax-free in I–IV;
//   - no solidarity surcharge while the annual tax is at most the exemption
//     limit (Freigrenze; doubled for splitting), and never more than 5.5 %.
func TestInvariants(t *testing.T) {
	years := []struct {
		year     int
		soliFree int64 // SOLZFREI in €, § 3 Absatz 3 SolZG
		gfb      int64 // Grundfreibetrag in €, § 32a EStG
	}{
		{2025, 19950, 12096},
		{2026, 20350, 12348},
	}
	for _, y := range years {
		calc, err := pap.For(date.New(y.year, 6, 30))
		if err != nil {
			t.Fatal(err)
		}
		t.Run(fmt.Sprint(y.year), func(t *testing.T) {
			prev := map[int]int64{}
			for euro := int64(5000); euro <= 110000; euro += 2500 {
				tax := map[int]int64{}
				for stkl := 1; stkl <= 6; stkl++ {
					out, err := calc.Calculate(generalInput(euro, stkl))
					if err != nil {
						t.Fatalf("%d € class %d: %v", euro, stkl, err)
					}
					if !out.LSTLZZ.Mod(decimal.NewFromInt(100)).IsZero() {
						t.Errorf("%d € class %d: LSTLZZ %s not whole euros", euro, stkl, out.LSTLZZ)
					}
					lst := out.LSTLZZ.IntPart() / 100
					tax[stkl] = lst
					if p, ok := prev[stkl]; ok && lst < p {
						t.Errorf("%d € class %d: tax %d below %d at the previous wage", euro, stkl, lst, p)
					}
					prev[stkl] = lst
					free := y.soliFree
					if stkl == 3 {
						free *= 2
					}
					if lst <= free && !out.SOLZLZZ.IsZero() {
						t.Errorf("%d € class %d: tax %d ≤ %d but SOLZLZZ %s", euro, stkl, lst, free, out.SOLZLZZ)
					}
					if max := out.LSTLZZ.Mul(decimal.RequireFromString("0.055")); out.SOLZLZZ.GreaterThan(max) {
						t.Errorf("%d € class %d: SOLZLZZ %s above 5.5 %% of %s", euro, stkl, out.SOLZLZZ, out.LSTLZZ)
					}
					if stkl <= 4 && euro <= y.gfb && lst != 0 {
						t.Errorf("%d € class %d: tax %d below the basic allowance", euro, stkl, lst)
					}
				}
				switch {
				case tax[1] != tax[4]:
					t.Errorf("%d €: class I %d ≠ class IV %d", euro, tax[1], tax[4])
				case tax[3] > tax[1], tax[2] > tax[1]:
					t.Errorf("%d €: III %d or II %d above I %d", euro, tax[3], tax[2], tax[1])
				case tax[5] < tax[1], tax[6] < tax[5]:
					t.Errorf("%d €: V %d or VI %d out of order (I %d)", euro, tax[5], tax[6], tax[1])
				}
			}
		})
	}
}
