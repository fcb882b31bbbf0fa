package ledger_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
)

// TestBalancesOpenings: with Openings, entries on journal OB or OPEN and
// entries against an account with the role opening_balances count into
// the opening balance, not the range's debits and credits; the closing
// balance is the same either way.
func TestBalancesOpenings(t *testing.T) {
	ctx := context.Background()
	accts := append(chart(), ledger.Account{Code: "9000", Name: "Opening balances", Type: ledger.Equity,
		Metadata: map[string]string{ledger.RoleKey: ledger.RoleOpeningBalances}})
	l := newBook(t, ledger.Book{ID: "acme"}, accts...)
	d := date.New(2025, 1, 1)
	mustPost(t, l, ledger.Entry{Book: "acme", Key: "ob", Date: d, Journal: "OB", Description: "Opening balances",
		Lines: []ledger.Line{ledger.Debit("1200", eurMinor(100000)), ledger.Credit("2970", eurMinor(100000))}})
	mustPost(t, l, ledger.Entry{Book: "acme", Key: "eb", Date: d, Description: "EB receivables",
		Lines: []ledger.Line{ledger.Debit("1400", eurMinor(30000)), ledger.Credit("9000", eurMinor(30000))}})
	mustPost(t, l, ledger.Entry{Book: "acme", Key: "sale", Date: d.AddDays(4), Description: "Sale",
		Lines: []ledger.Line{ledger.Debit("1200", eurMinor(5000)), ledger.Credit("8400", eurMinor(5000))}})
	type row struct {
		Code                            string
		Opening, Debit, Credit, Closing int64
	}
	read := func(openings bool) []row {
		rows, err := l.Balances(ctx, "acme", ledger.BalanceQuery{From: d, To: d.EndOfMonth(), Openings: openings})
		if err != nil {
			t.Fatal(err)
		}
		var out []row
		for _, r := range rows {
			out = append(out, row{r.Account.Code, r.Opening.MinorUnits(), r.Debit.MinorUnits(), r.Credit.MinorUnits(), r.Closing.MinorUnits()})
		}
		return out
	}
	tests := []struct {
		name     string
		openings bool
		want     []row
	}{
		{"flows", false, []row{
			{"1200", 0, 105000, 0, 105000}, {"1400", 0, 30000, 0, 30000}, {"2970", 0, 0, 100000, -100000},
			{"8400", 0, 0, 5000, -5000}, {"9000", 0, 0, 30000, -30000}}},
		{"openings", true, []row{
			{"1200", 100000, 5000, 0, 105000}, {"1400", 30000, 0, 0, 30000}, {"2970", -100000, 0, 0, -100000},
			{"8400", 0, 0, 5000, -5000}, {"9000", -30000, 0, 0, -30000}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(read(tt.openings), tt.want); diff != "" {
				t.Errorf("Balances (-got +want):\n%s", diff)
			}
		})
	}
	if !ledger.IsOpeningJournal("OPEN") || !ledger.IsOpeningJournal("OB") || ledger.IsOpeningJournal("GL") {
		t.Error("IsOpeningJournal")
	}
}
