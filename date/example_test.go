package date_test

import (
	"fmt"

	"github.com/openbackoffice/backoffice/date"
)

func ExampleParsePeriod() {
	today := date.MustParse("2025-04-15")
	for _, s := range []string{"2025-Q1", "last month", "2025-01-01..2025-04-01", "2025-03-01..", "2025-02-30"} {
		p, err := date.ParsePeriod(s, today)
		if err != nil {
			fmt.Println(err)
			continue
		}
		to := p.To.String()
		if p.To.IsZero() {
			to = "(open)"
		}
		fmt.Printf("%-24s %s – %s\n", s, p.From, to)
	}
	// Output:
	// 2025-Q1                  2025-01-01 – 2025-03-31
	// last month               2025-03-01 – 2025-03-31
	// 2025-01-01..2025-04-01   2025-01-01 – 2025-03-31
	// 2025-03-01..             2025-03-01 – (open)
	// period "2025-02-30": 2025-02 has no day 30: date: invalid period expression
}
