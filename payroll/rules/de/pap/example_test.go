package pap_test

import (
	"fmt"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/payroll/rules/de/pap"
	"github.com/shopspring/decimal"
)

// The BMF test-interface case for 2026: an annual wage of 25,000 € in tax
// class I. Amounts are in cent.
func ExampleLohnsteuer2026() {
	in := pap.DefaultInput2026()
	in.LZZ = 1                             // annual pay period
	in.RE4 = decimal.NewFromInt(2_500_000) // 25,000.00 €
	in.STKL = 1
	out, err := pap.Lohnsteuer2026(in)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("LSTLZZ", out.LSTLZZ, "SOLZLZZ", out.SOLZLZZ)
	// Output: LSTLZZ 137600 SOLZLZZ 0
}

// A monthly wage of 5,000 € in class I with church tax, childless, 2.90 %
// additional health contribution, paid in January 2026.
func ExampleFor() {
	calc, err := pap.For(date.New(2026, 1, 31))
	if err != nil {
		fmt.Println(err)
		return
	}
	in := pap.DefaultInput()
	in.LZZ = 2 // month
	in.RE4 = decimal.NewFromInt(500_000)
	in.STKL = 1
	in.R = 1 // church member
	in.KVZ = decimal.RequireFromString("2.90")
	in.PVZ = 1 // childless surcharge
	out, err := calc.Calculate(in)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(calc.Year(), "wage tax", out.LSTLZZ.Shift(-2).StringFixed(2), "€, church-tax base", out.BK.Shift(-2).StringFixed(2), "€")
	// Output: 2026 wage tax 782.41 €, church-tax base 782.41 €
}
