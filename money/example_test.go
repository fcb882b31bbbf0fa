package money_test

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/openbackoffice/backoffice/money"
	"github.com/shopspring/decimal"
)

func ExampleParse() {
	a, err := money.Parse("1234.56", money.EUR)
	if err != nil {
		panic(err)
	}
	fmt.Println(a, a.MinorUnits())

	_, err = money.Parse("0.125", money.EUR)
	fmt.Println(errors.Is(err, money.ErrScale), err)
	// Output:
	// 1234.56 EUR 123456
	// true money: more decimal places than the currency has at byte 4: non-zero digit beyond the currency's minor units
}

func ExampleParseFormat() {
	a, err := money.ParseFormat("-1.234.567,89", money.EUR, money.German)
	if err != nil {
		panic(err)
	}
	fmt.Println(a)
	fmt.Println(a.Format(money.English))

	_, err = money.ParseFormat("12.34,5", money.EUR, money.German)
	fmt.Println(err)
	// Output:
	// -1234567.89 EUR
	// -1,234,567.89
	// money: invalid amount syntax at byte 5: digit group must have three digits
}

func ExampleAmount_MulRate() {
	net := money.MustParse("1234.56", money.EUR)
	rate := decimal.RequireFromString("0.19") // 234.5664 exactly

	vat, err := net.MulRate(rate, money.HalfUp)
	if err != nil {
		panic(err)
	}
	gross, err := net.Add(vat)
	if err != nil {
		panic(err)
	}
	fmt.Println(vat, gross)

	down, _ := net.MulRate(rate, money.Down)
	fmt.Println(down)
	// Output:
	// 234.57 EUR 1469.13 EUR
	// 234.56 EUR
}

func ExampleAmount_Convert() {
	// 1 EUR = 161.2 JPY: 12.34 EUR is 1989.208 JPY, and the yen has no
	// minor unit.
	yen, err := money.MustParse("12.34", money.EUR).Convert(money.JPY, decimal.RequireFromString("161.2"), money.HalfUp)
	if err != nil {
		panic(err)
	}
	fmt.Println(yen)

	// The same quotation read the other way: 1989 JPY ÷ 161.2 = 12.3387… EUR.
	eur, err := yen.ConvertInverse(money.EUR, decimal.RequireFromString("161.2"), money.HalfUp)
	if err != nil {
		panic(err)
	}
	fmt.Println(eur)
	// Output:
	// 1989 JPY
	// 12.34 EUR
}

func ExampleAmount_Div() {
	yearly := money.MustParse("1000.00", money.EUR)
	monthly, err := yearly.Div(12, money.HalfEven)
	if err != nil {
		panic(err)
	}
	fmt.Println(monthly)
	// Output:
	// 83.33 EUR
}

func ExampleAllocate() {
	parts, err := money.Allocate(money.MustParse("100.00", money.EUR), 1, 1, 1)
	if err != nil {
		panic(err)
	}
	fmt.Println(parts)

	// 0.05 by 3:7 is 0.015 and 0.035: the remainders tie, the lower index
	// gets the cent. Negative totals split like positive ones.
	parts, err = money.Allocate(money.MustParse("-0.05", money.EUR), 3, 7)
	if err != nil {
		panic(err)
	}
	fmt.Println(parts)
	// Output:
	// [33.34 EUR 33.33 EUR 33.33 EUR]
	// [-0.02 EUR -0.03 EUR]
}

func ExampleSum() {
	lines := []money.Amount{
		money.MustParse("19.99", money.EUR),
		money.MustParse("5.01", money.EUR),
		money.MustParse("-2.50", money.EUR),
	}
	total, err := money.Sum(money.EUR, lines...)
	if err != nil {
		panic(err)
	}
	fmt.Println(total)

	_, err = money.Sum(money.EUR, money.MustParse("1.00", money.USD))
	fmt.Println(err)
	// Output:
	// 22.50 EUR
	// money: sum: amount 0: money: currency mismatch
}

func ExampleRegistry() {
	reg := money.NewRegistry()
	points, err := reg.Register("PTS", 0)
	if err != nil {
		panic(err)
	}

	c, err := reg.Lookup("PTS")
	fmt.Println(c == points, err)
	c, err = reg.Lookup("BHD")
	fmt.Println(c, c.MinorUnits(), err)

	_, err = reg.Register("PTS", 2)
	fmt.Println(errors.Is(err, money.ErrInvalidCurrency))
	_, err = money.ParseCurrency("PTS") // registrations are not global
	fmt.Println(errors.Is(err, money.ErrUnknownCurrency))
	// Output:
	// true <nil>
	// BHD 3 <nil>
	// true
	// true
}

func ExampleRoundingMode() {
	eighth := decimal.RequireFromString("0.125")
	for _, m := range []money.RoundingMode{money.HalfUp, money.HalfEven, money.Down, money.Ceiling} {
		a, err := money.FromDecimalRounded(eighth, money.EUR, m)
		if err != nil {
			panic(err)
		}
		fmt.Println(m, a)
	}
	// Output:
	// HalfUp 0.13 EUR
	// HalfEven 0.12 EUR
	// Down 0.12 EUR
	// Ceiling 0.13 EUR
}

func ExampleAmount_MarshalJSON() {
	b, err := json.Marshal(money.MustParse("1234.56", money.EUR))
	if err != nil {
		panic(err)
	}
	fmt.Println(string(b))

	var a money.Amount
	err = json.Unmarshal([]byte(`{"amount":1234.56,"currency":"EUR"}`), &a)
	fmt.Println(errors.Is(err, money.ErrSyntax))
	// Output:
	// {"amount":"1234.56","currency":"EUR"}
	// true
}

func ExampleAmount_Format() {
	a := money.MustParse("-1234.56", money.EUR)
	fmt.Println(a.Format(money.German))
	fmt.Println(a.Format(money.English))
	fmt.Println(a.Number())
	// Output:
	// -1.234,56
	// -1,234.56
	// -1234.56
}
