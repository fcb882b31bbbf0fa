package fx_test

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/fx"
	"github.com/openbackoffice/backoffice/money"
)

// An ECB reference rate converts euros into yen and, by the same
// quotation, dollars into euros.
func Example() {
	const daily = `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
	<gesmes:subject>Reference rates</gesmes:subject>
	<gesmes:Sender><gesmes:name>European Central Bank</gesmes:name></gesmes:Sender>
	<Cube>
		<Cube time='2025-03-07'>
			<Cube currency='USD' rate='1.0830'/>
			<Cube currency='JPY' rate='160.36'/>
		</Cube>
	</Cube>
</gesmes:Envelope>`
	rates, err := fx.ReadECB(strings.NewReader(daily), nil)
	if err != nil {
		panic(err)
	}
	table, err := fx.NewTable(rates...)
	if err != nil {
		panic(err)
	}
	monday := date.MustParse("2025-03-10") // Friday's rates are in force

	yen, err := table.Convert(money.MustParse("12.34", money.EUR), money.JPY, monday)
	if err != nil {
		panic(err)
	}
	fmt.Println(yen) // 12.34 × 160.36 = 1978.8424

	eur, err := table.Convert(money.MustParse("100.00", money.USD), money.EUR, monday)
	if err != nil {
		panic(err)
	}
	fmt.Println(eur) // 100.00 ÷ 1.0830 = 92.3361…

	_, err = table.Convert(money.MustParse("100.00", money.USD), money.EUR, date.MustParse("2025-03-06"))
	fmt.Println(err)
	// Output:
	// 1979 JPY
	// 92.34 EUR
	// fx: no USD→EUR rate on or before 2025-03-06
}

func ExampleTable_Lookup() {
	table, err := fx.NewTable(fx.Rate{
		Date: date.MustParse("2025-03-07"), From: money.EUR, To: money.USD,
		Rate: decimal.RequireFromString("1.0830"), Source: "ECB",
	})
	if err != nil {
		panic(err)
	}
	// USD→EUR is served by the EUR→USD quotation, returned as stored.
	r, err := table.Lookup(money.USD, money.EUR, date.MustParse("2025-03-31"))
	if err != nil {
		panic(err)
	}
	fmt.Println(r)
	a, err := r.Convert(money.MustParse("1083.00", money.USD), money.HalfUp)
	fmt.Println(a, err)
	// Output:
	// 2025-03-07 1 EUR = 1.0830 USD (ECB)
	// 1000.00 EUR <nil>
}

func ExampleReadCSV() {
	const csv = "date,from,to,rate,source\n" +
		"2025-03-07,EUR,USD,1.0830,ECB\n" +
		"2025-03-07,EUR,CHF,\"0,9537\",ECB\n" +
		"2025-03-07,EUR,XXY,1.5,\n"
	_, err := fx.ReadCSV(strings.NewReader(csv), nil)
	fmt.Println(err)
	// Output:
	// fx: 2 errors: line 3, rate: syntax error: "0,9537" has a comma: write the rate with a decimal point and no digit grouping; line 4, to: invalid rate: money: currency XXY: money: unknown currency
}
