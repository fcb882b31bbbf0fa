package ledger_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// TestReadEntriesAmountHabits: an amount written as for people — digits
// grouped by spaces, commas or apostrophes, a decimal comma, a currency
// beside it — is refused with the row and column, what is wrong and how to
// write it, without repeating the value; other malformed amounts keep
// money's error.
func TestReadEntriesAmountHabits(t *testing.T) {
	const fix = "write the number without digit groups and with '.' as the decimal mark, as 1234.56"
	tests := []struct {
		amount string
		want   string // the reason after `row 2, column "amount": ledger: invalid: `
	}{
		{"1 234.56 EUR", "a space as digit group separator and a currency in the amount: " + fix + ", and the currency in the currency column"},
		{"1 234.56", "a space as digit group separator: " + fix},
		{"-1\u00a0234.56", "a space as digit group separator: " + fix},
		{"1,234.56", "a comma (as digit group separator or decimal mark): " + fix},
		{"12,50", "a comma (as digit group separator or decimal mark): " + fix},
		{"1'234.56", "an apostrophe as digit group separator: " + fix},
		{"1234.56 EUR", "a currency in the amount: " + fix + ", and the currency in the currency column"},
		{"€12.50", "a currency in the amount: " + fix + ", and the currency in the currency column"},
		{"12.345", "money: "}, // too many decimals: money's own error
		{"1e5", "money: "},
		{"1..2", "money: "},
	}
	for _, tt := range tests {
		t.Run(tt.amount, func(t *testing.T) {
			in := "key,date,account,amount\nk,2026-01-02,1200,\"" + tt.amount + "\"\nk,,8400,-1234.56\n"
			_, err := ledger.ReadEntries(strings.NewReader(in), "acme", &ledger.EntryOptions{Currency: money.EUR})
			if !errors.Is(err, ledger.ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			var list ledger.ImportErrors
			if !errors.As(err, &list) || len(list) == 0 || list[0].Row != 2 || list[0].Column != "amount" {
				t.Fatalf("err = %v, want a problem in row 2, column amount", err)
			}
			if got := list[0].Err.Error(); !strings.HasPrefix(got, "ledger: invalid: "+tt.want) {
				t.Errorf("reason %q\nwant      %q", got, "ledger: invalid: "+tt.want)
			}
			if strings.Contains(err.Error(), tt.amount) {
				t.Errorf("the message repeats the value: %v", err)
			}
		})
	}
	// The debit and credit columns and JSON say the same.
	in := "key,date,account,debit,credit\nk,2026-01-02,1200,1 234.56,\nk,,8400,,1234.56\n"
	if _, err := ledger.ReadEntries(strings.NewReader(in), "acme", &ledger.EntryOptions{Currency: money.EUR}); err == nil ||
		!strings.Contains(err.Error(), `row 2, column "debit": ledger: invalid: a space as digit group separator`) {
		t.Errorf("debit column: %v", err)
	}
	js := `[{"key":"k","date":"2026-01-02","lines":[{"account":"1200","amount":"1 234.56 EUR"},{"account":"8400","amount":"-1234.56"}]}]`
	if _, err := ledger.ReadEntriesJSON(strings.NewReader(js), "acme", &ledger.EntryOptions{Currency: money.EUR}); err == nil ||
		!strings.Contains(err.Error(), `"lines[1].amount"`) || !strings.Contains(err.Error(), "a space as digit group separator and a currency in the amount") {
		t.Errorf("JSON: %v", err)
	}
}
