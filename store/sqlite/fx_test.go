package sqlite_test

import (
	"context"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/fx"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/storetest"
)

func TestFXConformance(t *testing.T) {
	storetest.FX(t, func(t *testing.T) storetest.FXStore { return newStore(t) })
}

// TestFXRatesGuards: a stored rate is decimal text with its digits, never
// REAL, and is never changed or deleted behind the store's back.
func TestFXRatesGuards(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	if err := ledger.New(s, nil).CreateBook(ctx, ledger.Book{ID: "A", Name: "A", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	r := fx.Rate{Date: date.MustParse("2025-03-07"), From: money.EUR, To: money.USD, Rate: decimal.RequireFromString("1.0830"), Source: "ECB"}
	if _, err := s.PutRates(ctx, "A", []fx.Rate{r}); err != nil {
		t.Fatal(err)
	}
	var typ, text string
	if err := s.DB().QueryRowContext(ctx, "SELECT typeof(rate), rate FROM bo_fx_rates").Scan(&typ, &text); err != nil {
		t.Fatal(err)
	}
	if typ != "text" || text != "1.0830" {
		t.Errorf("stored rate: %s %s, want text 1.0830", typ, text)
	}
	for _, q := range []string{
		"UPDATE bo_fx_rates SET rate = '1.09'",
		"DELETE FROM bo_fx_rates",
		"INSERT INTO bo_fx_rates (book, from_currency, to_currency, date, rate, source) VALUES ('A', 'EUR', 'GBP', '2025-03-07', '8.4e-1', '')",
		"INSERT INTO bo_fx_rates (book, from_currency, to_currency, date, rate, source) VALUES ('A', 'EUR', 'GBP', '2025-03-07', '0.000', '')",
	} {
		if _, err := s.DB().ExecContext(ctx, q); err == nil {
			t.Errorf("%s: succeeded", q)
		}
	}
}
