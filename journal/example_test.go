package journal_test

import (
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/openbackoffice/backoffice/journal"
	"github.com/openbackoffice/backoffice/money"
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

func ExampleJournal_EntriesIn() {
	in := `P 2025-01-15 USD 0.92 EUR

2025-01-15 Buy dollars
    assets:usd   USD 100.00 @@ EUR 92.00
    assets:eur

2025-01-20 Travel, the conversion left to hledger
    expenses:travel   EUR 46.00
    assets:usd        USD -50.00
`
	j, err := journal.Read(strings.NewReader(in))
	if err != nil {
		log.Fatal(err)
	}
	entries, _, err := j.EntriesIn("acme", money.EUR)
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range entries {
		fmt.Println(e.Date, e.Description)
		for _, l := range e.Lines {
			if l.Converted() {
				fmt.Printf("  %-16s %12s @@ %s\n", l.Account, l.Amount, l.Base)
			} else {
				fmt.Printf("  %-16s %12s\n", l.Account, l.Amount)
			}
		}
	}
	rates, err := j.Rates()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rates)
	// Output:
	// 2025-01-15 Buy dollars
	//   assets:usd         100.00 USD @@ 92.00 EUR
	//   assets:eur         -92.00 EUR
	// 2025-01-20 Travel, the conversion left to hledger
	//   expenses:travel     46.00 EUR
	//   assets:usd         -50.00 USD @@ -46.00 EUR
	// [2025-01-15 1 USD = 0.92 EUR]
}
