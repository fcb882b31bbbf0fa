package ledger_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/memory"
)

var decCmp = cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })

// TestDecodeState replays a book's state log with DecodeState and gets the
// settings, chart and period events the store holds; a damaged record is
// ErrInvalid.
func TestDecodeState(t *testing.T) {
	ctx := context.Background()
	s := memory.New()
	l := ledger.New(s, nil)
	if err := l.CreateBook(ctx, ledger.Book{ID: "acme", Name: "ACME GmbH", Currency: money.EUR, FiscalYearStart: 4}); err != nil {
		t.Fatal(err)
	}
	accts := []ledger.Account{
		{Book: "acme", Code: "1200", Name: "Bank", Type: ledger.Asset, Constraint: ledger.NonNegative(), Metadata: map[string]string{"role": "bank"}},
		{Book: "acme", Code: "1210", Name: "Bank USD", Type: ledger.Asset, Parent: "1200", Currency: money.USD},
		{Book: "acme", Code: "8400", Name: "Erlöse", Type: ledger.Revenue, Constraint: ledger.Between(decimal.NewFromInt(-5), decimal.RequireFromString("1e9"))},
	}
	if err := l.CreateAccounts(ctx, accts...); err != nil {
		t.Fatal(err)
	}
	if err := l.ClosePeriod(ctx, "acme", 2025, 1); err != nil {
		t.Fatal(err)
	}
	if err := l.CloseAccount(ctx, "acme", "1210"); err != nil {
		t.Fatal(err)
	}
	if err := l.SetLockDate(ctx, "acme", date.MustParse("2025-04-30")); err != nil {
		t.Fatal(err)
	}
	var book ledger.Book
	chart := map[string]ledger.Account{}
	var events []ledger.PeriodEvent
	var recs []ledger.StateRecord
	err := s.View(ctx, func(tx ledger.ReadTx) error {
		return tx.(ledger.StateReader).ScanState(ctx, "acme", func(r ledger.StateRecord) error {
			recs = append(recs, r)
			ch, err := ledger.DecodeState(nil, "acme", r.Data)
			if err != nil {
				return err
			}
			switch {
			case ch.Book != nil:
				book = *ch.Book
			case ch.Account != nil:
				chart[ch.Account.Code] = *ch.Account
			default:
				events = append(events, *ch.Event)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	wantBook, err := l.Book(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(book, wantBook, ledgerCmp, decCmp); diff != "" {
		t.Errorf("book (-got +want):\n%s", diff)
	}
	wantChart, err := l.Accounts(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range wantChart {
		if diff := cmp.Diff(chart[a.Code], a, ledgerCmp, decCmp); diff != "" {
			t.Errorf("account %s (-got +want):\n%s", a.Code, diff)
		}
	}
	if len(chart) != len(wantChart) {
		t.Errorf("%d accounts replayed, the chart has %d", len(chart), len(wantChart))
	}
	var wantEvents []ledger.PeriodEvent
	if err := s.View(ctx, func(tx ledger.ReadTx) error {
		wantEvents, err = tx.PeriodEvents(ctx, "acme")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(events, wantEvents, ledgerCmp); diff != "" {
		t.Errorf("period events (-got +want):\n%s", diff)
	}

	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"version 2", append([]byte{2}, recs[0].Data[1:]...)},
		{"unknown kind", []byte{1, 'X'}},
		{"bytes left over", append(append([]byte(nil), recs[1].Data...), 0)},
		{"truncated", recs[1].Data[:len(recs[1].Data)-1]},
		{"another book", recs[0].Data},
	} {
		t.Run(tc.name, func(t *testing.T) {
			book := "acme"
			if tc.name == "another book" {
				book = "other"
			}
			if _, err := ledger.DecodeState(nil, book, tc.data); !errors.Is(err, ledger.ErrInvalid) {
				t.Errorf("got %v, want ErrInvalid", err)
			}
		})
	}
}
