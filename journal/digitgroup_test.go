package journal_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/openbackoffice/backoffice/journal"
)

// TestDigitGroupSpace: a space groups digits as in hledger ("1 234.56 EUR"
// is 1234.56 euros, not the number 1 and a commodity "234.56 EUR"), on
// either side of the commodity and with a declared decimal comma; two
// spaces, or groups not of three digits, are refused with the line and
// what is wrong.
func TestDigitGroupSpace(t *testing.T) {
	tests := []struct {
		amount string
		header string // directives before the transaction
		want   string // the first posting's amount, or "" if refused
		err    string // in the error, if refused
	}{
		{"1 234.56 EUR", "", "1234.56 EUR", ""},
		{"EUR 1 234.56", "", "1234.56 EUR", ""},
		{"-1 234 567.89 EUR", "", "-1234567.89 EUR", ""},
		{"1 234,56 EUR", "commodity 1.000,00 EUR\n", "1234.56 EUR", ""},
		{"1  234.56 EUR", "", "", `"1  234.56 EUR": the number "1", then "234.56 EUR", which is no commodity (digits are grouped by one '.', ',' or space)`},
		{"12 34.56 EUR", "", "", "digit groups of three after the first"},
	}
	for _, tt := range tests {
		t.Run(tt.amount, func(t *testing.T) {
			src := tt.header + "2025-01-10 x\n    assets:bank  " + tt.amount + "\n    equity:capital\n"
			j, err := journal.Read(strings.NewReader(src))
			if tt.want == "" {
				var je *journal.Error
				if !errors.As(err, &je) || je.Line != strings.Count(tt.header, "\n")+2 || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want one naming line %d and %q", err, strings.Count(tt.header, "\n")+2, tt.err)
				}
				if strings.Contains(err.Error(), "ISO 4217") {
					t.Errorf("a digit group read as a commodity: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := j.Transactions[0].Postings[0].Amount.String(); got != tt.want {
				t.Errorf("amount %s, want %s", got, tt.want)
			}
		})
	}
}
