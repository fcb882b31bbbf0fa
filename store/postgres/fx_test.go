package postgres_test

import (
	"context"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/fx"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/storetest"
)

func TestFXConformance(t *testing.T) {
	testDSN(t)
	storetest.FX(t, func(t *testing.T) storetest.FXStore { return newStore(t) })
}

// TestFXRatesGuards: a stored rate is NUMERIC with its digits, and is never
// changed, deleted or truncated away behind the store's back.
func TestFXRatesGuards(t *testing.T) {
	f := newFixture(t)
	r := fx.Rate{Date: date.MustParse("2025-03-07"), From: money.EUR, To: money.USD, Rate: decimal.RequireFromString("1.0830"), Source: "ECB"}
	if _, err := f.s.PutRates(f.ctx, "A", []fx.Rate{r}); err != nil {
		t.Fatal(err)
	}
	var typ, text string
	if err := f.s.DB().QueryRowContext(f.ctx, "SELECT pg_typeof(rate)::text, rate::text FROM bo_fx_rates").Scan(&typ, &text); err != nil {
		t.Fatal(err)
	}
	if typ != "numeric" || text != "1.0830" {
		t.Errorf("stored rate: %s %s, want numeric 1.0830", typ, text)
	}
	ctx := context.Background()
	for _, q := range []string{
		"UPDATE bo_fx_rates SET rate = 1.09",
		"DELETE FROM bo_fx_rates",
		"TRUNCATE bo_fx_rates",
	} {
		wantCode(t, q, exec(ctx, f.s.DB(), q), "BO001")
	}
}
