package partners_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/partners"
	"github.com/openbackoffice/backoffice/store/memory"
)

const book = "acme"

func eur(s string) money.Amount { return money.MustParse(s, money.EUR) }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func day(s string) date.Date { return date.MustParse(s) }

type fixture struct {
	store *memory.Store
	l     *ledger.Ledger
	p     *partners.Parties
}

// newFixture returns a book on the default chart with customers 10001 (net
// 30, 2 % in 10 days), 10002 (net 14) and supplier 70001 (net 30, 3 % in
// 14 days).
func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	s := memory.New()
	now := func() time.Time { return time.Date(2025, 12, 31, 12, 0, 0, 0, time.UTC) }
	f := &fixture{store: s, l: ledger.New(s, &ledger.Options{Now: now}), p: partners.New(s, &partners.Options{Now: now})}
	if err := f.l.CreateBook(ctx, ledger.Book{ID: book, Name: "ACME GmbH", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	if err := f.l.CreateAccounts(ctx, ledger.DefaultChart(book)...); err != nil {
		t.Fatal(err)
	}
	err := f.p.AddParties(ctx,
		partners.Party{Book: book, Number: "10001", Role: partners.Customer, Name: "Kunde Eins GmbH",
			Address: partners.Address{Country: "DE"},
			Terms:   partners.Terms{NetDays: 30, DiscountDays: 10, DiscountRate: dec("0.02")}},
		partners.Party{Book: book, Number: "10002", Role: partners.Customer, Name: "Kunde Zwei KG",
			Terms: partners.Terms{NetDays: 14}},
		partners.Party{Book: book, Number: "70001", Role: partners.Supplier, Name: "Lieferant AG",
			Terms: partners.Terms{NetDays: 30, DiscountDays: 14, DiscountRate: dec("0.03")}},
	)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// lines returns the entry's lines as account → signed amounts, in order,
// with their item and VAT code dimensions.
func lines(t *testing.T, l *ledger.Ledger, seq uint64) []string {
	t.Helper()
	e, err := l.Entry(context.Background(), book, seq)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, x := range e.Lines {
		s := x.Account + " " + x.Amount.Number()
		if it := x.Dimensions[partners.DimItem]; it != "" {
			s += " item=" + it
		}
		if v := x.Dimensions[partners.DimVAT]; v != "" {
			s += " vat=" + v
		}
		out = append(out, s)
	}
	return out
}

func head(t *testing.T, l *ledger.Ledger) uint64 {
	t.Helper()
	h, err := l.Verify(context.Background(), book)
	if err != nil {
		t.Fatal(err)
	}
	return h.Seq
}
