package vat_test

import (
	"errors"
	"fmt"

	"github.com/openbackoffice/backoffice/vat"
)

// ExampleCode_Field shows where the return puts the lines of a few codes:
// the base (a revenue or expense line with the code) and the tax on an
// output or input VAT account.
func ExampleCode_Field() {
	for _, name := range []string{"USt19", "VSt7", "IGE19", "RCEU19"} {
		c, _ := vat.Lookup(name)
		fmt.Printf("%-6s", name)
		for _, f := range []struct {
			part vat.Part
			side vat.Direction
			what string
		}{{vat.Base, vat.Output, "base"}, {vat.Tax, vat.Output, "output tax"}, {vat.Tax, vat.Input, "input tax"}} {
			if n, ok := c.Field(f.part, f.side); ok {
				k, _ := vat.KennzahlByNumber(n)
				fmt.Printf("  %s %s (line %s)", f.what, n, k.Label())
			}
		}
		fmt.Println()
	}
	// Output:
	// USt19   base 81 (line 81)  output tax 81 (line 81)
	// VSt7    input tax 66 (line 66)
	// IGE19   base 89 (line 89)  output tax 89 (line 89)  input tax 61 (line 61)
	// RCEU19  base 46 (line 46/47)  output tax 47 (line 46/47)  input tax 67 (line 67)
}

// ExampleCheckDimension checks line dimensions as the importers do.
func ExampleCheckDimension() {
	fmt.Println(vat.CheckDimension("vat", "USt19"))
	fmt.Println(vat.CheckDimension("cost_centre", "U19"))
	err := vat.CheckDimension("vat", "U19")
	fmt.Println(errors.Is(err, vat.ErrUnknownCode))
	// Output:
	// <nil>
	// <nil>
	// true
}
