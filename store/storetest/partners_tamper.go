package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/partners"
)

// PartnersTamper changes the derived partner tables of a SQL store behind
// the library's back, with exec running one statement directly on the
// database, and checks that partners.Parties.Verify finds every change
// (a *partners.VerifyError naming the item, wrapping partners.ErrTampered
// and ledger.ErrTampered). Open amounts are derived data the store may
// update, so no trigger guards them: Verify is what catches a change.
// newStore must return a new, empty store and exec a function running SQL
// on its database (statements use the table names of the shared schema,
// bo_ar_items and bo_ar_moves). A statement the store's guards refuse
// passes: the guard caught it.
func PartnersTamper(t *testing.T, newStore func(t *testing.T) (PartnersStore, func(query string) error)) {
	for _, tc := range []struct {
		name, stmt, item string
	}{
		// RE00001 is 1190.00 with 190.00 paid, 1000.00 open; RE00002 is
		// 238.00, untouched. Amounts are minor units or decimals by engine,
		// so statements shift them relatively.
		{"OpenLowered", "UPDATE bo_ar_items SET open = open - 1 WHERE id = 'RE00001'", "RE00001"},
		{"MarkedSettled", "UPDATE bo_ar_items SET open = 0 WHERE id = 'RE00002'", "RE00002"},
		{"AmountAndOpenRaised", "UPDATE bo_ar_items SET amount = amount + 100, open = open + 100 WHERE id = 'RE00002'", "RE00002"},
		{"PaymentUndone", "UPDATE bo_ar_items SET open = amount WHERE id = 'RE00001'", "RE00001"},
		{"MoveDeleted", "DELETE FROM bo_ar_moves WHERE item = 'RE00001'", "RE00001"},
		{"MoveAmount", "UPDATE bo_ar_moves SET amount = amount + 1 WHERE item = 'RE00001'", "RE00001"},
		{"ItemDeleted", "DELETE FROM bo_ar_items WHERE id = 'RE00002'", "RE00002"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, exec := newStore(t)
			p := tamperFixture(t, s)
			if err := p.Verify(context.Background(), "T"); err != nil {
				t.Fatalf("before tampering: %v", err)
			}
			if err := exec(tc.stmt); err != nil {
				t.Logf("refused by the store: %v", err)
				return
			}
			err := p.Verify(context.Background(), "T")
			var ve *partners.VerifyError
			if !errors.As(err, &ve) || !errors.Is(err, partners.ErrTampered) || !errors.Is(err, ledger.ErrTampered) {
				t.Fatalf("Verify after %q = %v, want a *partners.VerifyError", tc.stmt, err)
			}
			if !strings.Contains(err.Error(), tc.item) {
				t.Errorf("Verify error %q does not name item %s", err, tc.item)
			}
		})
	}
}

// tamperFixture posts, in book T on the default chart: customer 10001,
// RE00001 1000.00 + 19 % = 1190.00 paid 190.00, RE00002 200.00 + 19 % =
// 238.00 open.
func tamperFixture(t *testing.T, s PartnersStore) *partners.Parties {
	t.Helper()
	ctx := context.Background()
	l := ledger.New(s, nil)
	p := partners.New(s, nil)
	eur := func(v string) money.Amount { return money.MustParse(v, money.EUR) }
	d := date.MustParse
	if err := l.CreateBook(ctx, ledger.Book{ID: "T", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	if err := l.CreateAccounts(ctx, ledger.DefaultChart("T")...); err != nil {
		t.Fatal(err)
	}
	if err := p.AddParties(ctx, partners.Party{Book: "T", Number: "10001", Role: partners.Customer, Name: "C",
		Terms: partners.Terms{NetDays: 14}}); err != nil {
		t.Fatal(err)
	}
	for i, net := range []string{"1000.00", "200.00"} {
		if _, err := p.Post(ctx, partners.Invoice{Book: "T", Key: string(rune('a' + i)), Kind: partners.InvoiceKind, Party: "10001",
			Date: d("2025-03-01"), Lines: []partners.InvoiceLine{{Account: "4100", Net: eur(net), VAT: "19"}}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.Settle(ctx, partners.Payment{Book: "T", Key: "pay", Party: "10001", Date: d("2025-03-20"), Account: "1120",
		Amount: eur("190.00"), Allocations: []partners.Allocation{{Item: "RE00001", Amount: eur("190.00")}}}); err != nil {
		t.Fatal(err)
	}
	return p
}
