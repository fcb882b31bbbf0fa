package sepa_test

import (
	"fmt"
	"io"
	"time"

	"github.com/openbackoffice/backoffice/bank/sepa"
	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
)

func ExampleWrite() {
	from := sepa.Party{Name: "Demo Trading GmbH", Account: hr.BankAccount{IBAN: "DE02120300000000202051"}}
	res, err := sepa.Write(io.Discard, sepa.Message{
		ID:              "demo-2025-03",
		CreatedAt:       time.Date(2025, 3, 27, 9, 30, 0, 0, time.UTC),
		InitiatingParty: "Demo Trading GmbH",
		BatchBooking:    true,
		Transfers: []sepa.Transfer{{
			Debtor:        from,
			ExecutionDate: date.MustParse("2025-03-31"),
			EndToEndID:    "demo/2025-03/1001",
			Amount:        money.MustParse("2814.36", money.EUR),
			Creditor:      sepa.Party{Name: "Anna Müller", Account: hr.BankAccount{IBAN: "DE89 3704 0044 0532 0130 00"}},
			Purpose:       sepa.Salary, CategoryPurpose: sepa.Salary,
			Remittance: "Salary 2025-03",
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Transactions, res.Total)
	for _, c := range res.Changes {
		fmt.Printf("%s %s: %s → %s\n", c.EndToEndID, c.Field, c.Before, c.After)
	}
	// Output:
	// 1 2814.36 EUR
	// demo/2025-03/1001 creditor_name: Anna Müller → Anna Mueller
}
