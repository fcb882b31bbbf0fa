package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/fx"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// FXStore is what FX tests: a store that creates books and keeps their
// exchange rates.
type FXStore interface {
	ledger.Store
	fx.Store
}

// fxRate is a rate for the suite: fxRate("2025-03-07", "EUR", "USD", "1.0830", "ECB").
func fxRate(day, from, to, rate, source string) fx.Rate {
	return fx.Rate{Date: date.MustParse(day), From: money.MustParseCurrency(from), To: money.MustParseCurrency(to),
		Rate: decimal.RequireFromString(rate), Source: source}
}

// fxOpts compares rates exactly: a stored rate keeps its digits (1.0830
// stays 1.0830, not 1.083).
var fxOpts = cmp.Options{
	cmp.Comparer(func(a, b date.Date) bool { return a == b }),
	cmp.Comparer(func(a, b money.Currency) bool { return a == b }),
	cmp.Comparer(func(a, b decimal.Decimal) bool {
		return a.Equal(b) && a.Exponent() == b.Exponent()
	}),
}

// FX runs the conformance suite of fx.Store against a new, empty store
// from newStore: rates round-trip per book exactly, digits and custom
// currencies included, ordered by pair and date; putting them again adds
// nothing; a rate that differs from a stored one (or one earlier in the
// same call) for its date and pair is ErrConflict and an invalid one
// ErrInvalidRate, each writing nothing; the shared book "" serves every
// book, a book's own rate winning; an unknown book is ledger.ErrUnknownBook;
// and of concurrent conflicting puts exactly one wins.
func FX(t *testing.T, newStore func(t *testing.T) FXStore) {
	ctx := context.Background()
	s := newStore(t)
	l := ledger.New(s, nil)
	for _, id := range []string{"a", "b", "c"} {
		if err := l.CreateBook(ctx, ledger.Book{ID: id, Name: id, Currency: money.EUR}); err != nil {
			t.Fatal(err)
		}
	}
	pts, err := money.NewCurrency("PTS", 0) // a custom currency
	if err != nil {
		t.Fatal(err)
	}
	rates := func(book string) []fx.Rate {
		t.Helper()
		rs, err := s.Rates(ctx, book)
		if err != nil {
			t.Fatalf("Rates(%q): %v", book, err)
		}
		return rs
	}
	put := func(book string, want int, rs ...fx.Rate) {
		t.Helper()
		n, err := s.PutRates(ctx, book, rs)
		if err != nil || n != want {
			t.Fatalf("PutRates(%q) = %d, %v; want %d added", book, n, err, want)
		}
	}
	check := func(what, book string, want []fx.Rate) {
		t.Helper()
		got := rates(book)
		if len(got) == 0 && len(want) == 0 {
			return
		}
		if diff := cmp.Diff(got, want, fxOpts); diff != "" {
			t.Errorf("%s: Rates(%q) (-got +want):\n%s", what, book, diff)
		}
	}

	t.Run("empty", func(t *testing.T) {
		check("no rates yet", "a", nil)
		check("no shared rates yet", "", nil)
	})

	usd07 := fxRate("2025-03-07", "EUR", "USD", "1.0830", "ECB")
	usd06 := fxRate("2025-03-06", "EUR", "USD", "1.0807", "ECB")
	jpy := fxRate("2025-03-07", "USD", "JPY", "148.05", "")
	tiny := fxRate("2025-03-07", "CHF", "EUR", "0.000000000000000000000001", "edge: 24 decimals")
	wide := fxRate("2025-03-07", "EUR", "KRW", "1474.86000000", "12 significant digits")
	custom := fx.Rate{Date: date.MustParse("2025-01-01"), From: pts, To: money.EUR, Rate: decimal.RequireFromString("0.01"), Source: "loyalty programme"}
	want := []fx.Rate{tiny, usd06, wide, usd07, custom, jpy} // by from, to, date: CHF, EUR→KRW, EUR→USD, PTS, USD
	want[1], want[2], want[3] = wide, usd06, usd07

	t.Run("round trip", func(t *testing.T) {
		// The same rate twice in one call, with other digits: added once,
		// the first kept.
		put("a", 6, usd07, jpy, tiny, wide, custom, usd06, fxRate("2025-03-07", "EUR", "USD", "1.083", "bank"))
		check("after the first put", "a", want)
		check("another book", "b", nil)
	})

	t.Run("idempotent", func(t *testing.T) {
		put("a", 0, jpy, usd07, custom)
		usd10 := fxRate("2025-03-10", "EUR", "USD", "1.0857", "ECB")
		put("a", 1, usd07, usd10, usd06)
		want = append(want[:4:4], usd10, custom, jpy)
		check("after putting again", "a", want)
	})

	t.Run("conflict", func(t *testing.T) {
		tests := []struct {
			name  string
			rates []fx.Rate
			want  error
		}{
			{"with a stored rate", []fx.Rate{fxRate("2025-03-11", "EUR", "USD", "1.09", "ECB"), fxRate("2025-03-07", "EUR", "USD", "1.0831", "bank")}, fx.ErrConflict},
			{"within the call", []fx.Rate{fxRate("2025-03-12", "EUR", "GBP", "0.84", ""), fxRate("2025-03-12", "EUR", "GBP", "0.85", "")}, fx.ErrConflict},
			{"invalid", []fx.Rate{fxRate("2025-03-12", "EUR", "GBP", "0.84", ""), fxRate("2025-03-12", "GBP", "EUR", "-1.19", "")}, fx.ErrInvalidRate},
			{"too many digits", []fx.Rate{fxRate("2025-03-12", "GBP", "EUR", "1.1900000000001", "")}, fx.ErrInvalidRate},
			{"same currency", []fx.Rate{fxRate("2025-03-12", "EUR", "EUR", "1", "")}, fx.ErrInvalidRate},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				n, err := s.PutRates(ctx, "a", tt.rates)
				if !errors.Is(err, tt.want) || n != 0 {
					t.Errorf("PutRates = %d, %v; want 0, %v", n, err, tt.want)
				}
				check("after a refused put", "a", want)
			})
		}
	})

	t.Run("shared", func(t *testing.T) {
		sharedUSD := fxRate("2025-03-07", "EUR", "USD", "1.0900", "shared")
		gbp := fxRate("2025-03-07", "EUR", "GBP", "0.84010", "ECB")
		// No conflict with book a's own EUR→USD of 7 March.
		put("", 2, sharedUSD, gbp)
		check("the shared rates", "", []fx.Rate{gbp, sharedUSD})
		check("a book without rates of its own", "b", []fx.Rate{gbp, sharedUSD})
		withShared := append([]fx.Rate{want[0], gbp}, want[1:]...) // a's own EUR→USD of 7 March wins
		check("a book with rates of its own", "a", withShared)
		if _, err := s.PutRates(ctx, "", []fx.Rate{fxRate("2025-03-07", "EUR", "GBP", "0.8402", "")}); !errors.Is(err, fx.ErrConflict) {
			t.Errorf("a shared conflict: %v, want ErrConflict", err)
		}
		// A book's own rate may differ from the shared one.
		put("b", 1, fxRate("2025-03-07", "EUR", "GBP", "0.8450", "bank"))
		check("a book's own over a shared rate", "b", []fx.Rate{fxRate("2025-03-07", "EUR", "GBP", "0.8450", "bank"), sharedUSD})
	})

	t.Run("unknown book", func(t *testing.T) {
		if _, err := s.PutRates(ctx, "nope", []fx.Rate{usd07}); !errors.Is(err, ledger.ErrUnknownBook) {
			t.Errorf("PutRates: %v, want ErrUnknownBook", err)
		}
		if _, err := s.Rates(ctx, "nope"); !errors.Is(err, ledger.ErrUnknownBook) {
			t.Errorf("Rates: %v, want ErrUnknownBook", err)
		}
	})

	t.Run("concurrent", func(t *testing.T) {
		// Eight imports of one date and pair into book c: four with one
		// rate, four with another. The first to commit wins; the other
		// rate is ErrConflict; the same rate again adds nothing.
		var wg sync.WaitGroup
		type result struct {
			rate  string
			added int
			err   error
		}
		results := make([]result, 8)
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rate := []string{"1.10", "1.20"}[i%2]
				n, err := s.PutRates(ctx, "c", []fx.Rate{fxRate("2025-03-07", "EUR", "USD", rate, ""), fxRate("2025-03-06", "EUR", "USD", "1.05", "")})
				results[i] = result{rate, n, err}
			}()
		}
		wg.Wait()
		var got []fx.Rate // c's own EUR→USD; the shared ones are beside them
		for _, r := range rates("c") {
			if r.From == money.EUR && r.To == money.USD {
				got = append(got, r)
			}
		}
		if len(got) != 2 || got[0].Source != "" || got[1].Source != "" {
			t.Fatalf("book c holds %v, want two EUR→USD rates of its own", got)
		}
		winner := got[1].Rate.StringFixed(2)
		added := 0
		for _, r := range results {
			switch {
			case r.rate == winner && r.err == nil:
				added += r.added
			case r.rate != winner && errors.Is(r.err, fx.ErrConflict) && r.added == 0:
			default:
				t.Errorf("a put of %s (the stored rate is %s): %d added, %v", r.rate, winner, r.added, r.err)
			}
		}
		if added != 2 {
			t.Errorf("the puts of the stored rate added %d rates in all, want 2", added)
		}
	})
}
