package journal_test

import (
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/openbackoffice/backoffice/journal"
)

func Example() {
	in := `account assets:bank:checking   ; type: A

2026-01-15 * (AR-1001) Consulting January  ; key: inv-1001
    assets:receivables        EUR 1190.00
    income:consulting        EUR -1000.00  ; net
        ; dim.cost_centre: 100
    liabilities:vat
    assets:receivables                    0 = EUR 1190.00

2026-01-29 Customer pays
    assets:bank:checking   EUR 1190.00
    assets:receivables
`
	j, err := journal.Read(strings.NewReader(in))
	if err != nil {
		log.Fatal(err)
	}
	entries := j.Entries("acme")
	for _, e := range entries {
		fmt.Println(e.Date, e.Voucher, e.Description)
		for _, l := range e.Lines {
			t, _ := j.Type(l.Account)
			fmt.Println(strings.TrimSpace(fmt.Sprintf("  %-22s %-9s %10s %s", l.Account, t, l.Amount, l.Memo)))
		}
	}
	if err := journal.Write(os.Stdout, nil, entries[:1]); err != nil {
		log.Fatal(err)
	}
	// Output:
	// 2026-01-15 AR-1001 Consulting January
	// assets:receivables     asset     1190.00 EUR
	// income:consulting      revenue   -1000.00 EUR net
	// liabilities:vat        liability -190.00 EUR
	// 2026-01-29  Customer pays
	// assets:bank:checking   asset     1190.00 EUR
	// assets:receivables     asset     -1190.00 EUR
	// commodity EUR 1000.00
	//
	// 2026-01-15 * (AR-1001) Consulting January
	//     ; key: inv-1001
	//     assets:receivables  EUR 1190.00
	//     income:consulting  EUR -1000.00  ; net
	//         ; dim.cost_centre: 100
	//     liabilities:vat  EUR -190.00
}
