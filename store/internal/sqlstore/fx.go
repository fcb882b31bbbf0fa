package sqlstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/fx"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

var _ fx.Store = (*Store)(nil)

const fxCols = "book, from_currency, to_currency, date, rate, source"

// fxKey identifies a rate of one book: a date and a direction.
type fxKey struct {
	day      date.Date
	from, to money.Currency
}

// PutRates implements fx.Store in one transaction. The rates are checked
// and deduplicated first; then, per pair, the stored rates in the new
// ones' date range are read and compared; what is new is inserted in
// multi-row statements. Two transactions that insert the same date and
// pair at once collide on the primary key: the loser runs again (errRetry)
// and finds the winner's rate, equal (skipped) or not (ErrConflict).
func (s *Store) PutRates(ctx context.Context, book string, rates []fx.Rate) (int, error) {
	uniq := make([]fx.Rate, 0, len(rates))
	first := make(map[fxKey]decimal.Decimal, len(rates))
	for i, r := range rates {
		if err := r.Validate(); err != nil {
			return 0, fmt.Errorf("%s store: rates of book %q: rate %d: %w", s.d.Name, book, i+1, err)
		}
		k := fxKey{r.Date, r.From, r.To}
		if prev, ok := first[k]; ok {
			if !prev.Equal(r.Rate) {
				return 0, s.fxConflict(book, r, prev)
			}
			continue
		}
		first[k] = r.Rate
		uniq = append(uniq, r)
	}
	added := 0
	err := s.write(ctx, func(x *tx) error {
		added = 0
		if book != "" {
			if err := x.bookExists(ctx, book); err != nil {
				return fmt.Errorf("%s store: rates of book %s: %w", s.d.Name, book, err)
			}
		}
		fresh, err := s.newRates(ctx, x, book, uniq)
		if err != nil || len(fresh) == 0 {
			return err
		}
		if err := s.fxCurrencies(ctx, x, fresh); err != nil {
			return err
		}
		err = x.multi(ctx, "INSERT INTO bo_fx_rates ("+fxCols+") VALUES ", "", 6, len(fresh), func(i int, dst []any) {
			r := &fresh[i]
			dst[0], dst[1], dst[2], dst[3], dst[4], dst[5] = book, r.From.Code(), r.To.Code(), r.Date.String(), rateText(r.Rate), r.Source
		})
		if errors.Is(err, ledger.ErrDuplicate) {
			return fmt.Errorf("%s store: rates of book %q: %w: imported concurrently: %w", s.d.Name, book, fx.ErrConflict, errRetry)
		}
		if err != nil {
			return err
		}
		added = len(fresh)
		return nil
	})
	return added, err
}

// newRates returns the rates of rs that book does not hold yet, or
// ErrConflict for one it holds with another value.
func (s *Store) newRates(ctx context.Context, x *tx, book string, rs []fx.Rate) ([]fx.Rate, error) {
	type pair struct{ from, to money.Currency }
	type span struct{ lo, hi date.Date }
	spans := map[pair]span{}
	for _, r := range rs {
		p := pair{r.From, r.To}
		sp, ok := spans[p]
		if !ok {
			sp = span{r.Date, r.Date}
		}
		spans[p] = span{minDate(sp.lo, r.Date), maxDate(sp.hi, r.Date)}
	}
	stored := map[fxKey]decimal.Decimal{}
	q := rebind(s.d, "SELECT date, rate FROM bo_fx_rates WHERE book = ? AND from_currency = ? AND to_currency = ? AND date BETWEEN ? AND ?")
	for p, sp := range spans {
		rows, err := x.tx.QueryContext(ctx, q, book, p.from.Code(), p.to.Code(), sp.lo.String(), sp.hi.String())
		if err != nil {
			return nil, x.wrap(err)
		}
		for rows.Next() {
			var d date.Date
			var text string
			if err := rows.Scan(&d, &text); err != nil {
				rows.Close()
				return nil, x.wrap(err)
			}
			rate, err := storedRate(text)
			if err != nil {
				rows.Close()
				return nil, err
			}
			stored[fxKey{d, p.from, p.to}] = rate
		}
		if err := rows.Close(); err != nil {
			return nil, x.wrap(err)
		}
		if err := rows.Err(); err != nil {
			return nil, x.wrap(err)
		}
	}
	var fresh []fx.Rate
	for _, r := range rs {
		old, ok := stored[fxKey{r.Date, r.From, r.To}]
		switch {
		case !ok:
			fresh = append(fresh, r)
		case !old.Equal(r.Rate):
			return nil, s.fxConflict(book, r, old)
		}
	}
	return fresh, nil
}

// fxCurrencies records the custom currencies of rates in bo_currencies,
// and refuses one whose code is recorded with other minor units.
func (s *Store) fxCurrencies(ctx context.Context, x *tx, rates []fx.Rate) error {
	seen := map[money.Currency]bool{}
	for _, r := range rates {
		for _, c := range []money.Currency{r.From, r.To} {
			if seen[c] {
				continue
			}
			seen[c] = true
			if err := x.registerCurrency(ctx, c); err != nil {
				return err
			}
			got, err := x.currency(ctx, c.Code())
			if err != nil {
				return err
			}
			if got != c {
				return fmt.Errorf("%s store: currency %s has %d minor units here, %d in the store: %w", s.d.Name, c.Code(), c.MinorUnits(), got.MinorUnits(), money.ErrInvalidCurrency)
			}
		}
	}
	return nil
}

func (s *Store) fxConflict(book string, r fx.Rate, other decimal.Decimal) error {
	return fmt.Errorf("%s store: rates of book %q: %w: %s→%s on %s: %s and %s", s.d.Name, book, fx.ErrConflict,
		r.From.Code(), r.To.Code(), r.Date, rateText(other), rateText(r.Rate))
}

// Rates implements fx.Store: the book's rows and the shared ones in one
// query, ordered so that of a date and pair the shared row (”) comes
// first and the book's own replaces it.
func (s *Store) Rates(ctx context.Context, book string) ([]fx.Rate, error) {
	var out []fx.Rate
	err := s.read(ctx, func(x *tx) error {
		out = out[:0]
		if book != "" {
			if err := x.bookExists(ctx, book); err != nil {
				return fmt.Errorf("%s store: rates of book %s: %w", s.d.Name, book, err)
			}
		}
		rows, err := x.tx.QueryContext(ctx, rebind(s.d, "SELECT "+fxCols+" FROM bo_fx_rates WHERE book = ? OR book = '' ORDER BY from_currency, to_currency, date, book"), book)
		if err != nil {
			return x.wrap(err)
		}
		defer rows.Close()
		type row struct {
			from, to, rate string
			r              fx.Rate
		}
		var rs []row
		for rows.Next() {
			var b string
			var w row
			if err := rows.Scan(&b, &w.from, &w.to, &w.r.Date, &w.rate, &w.r.Source); err != nil {
				return x.wrap(err)
			}
			if n := len(rs); n > 0 && rs[n-1].from == w.from && rs[n-1].to == w.to && rs[n-1].r.Date == w.r.Date {
				rs[n-1] = w // the book's own after the shared one
				continue
			}
			rs = append(rs, w)
		}
		if err := rows.Err(); err != nil {
			return x.wrap(err)
		}
		rows.Close() // before currency lookups, which query on the same connection
		for _, w := range rs {
			var err error
			if w.r.From, err = x.currency(ctx, w.from); err != nil {
				return err
			}
			if w.r.To, err = x.currency(ctx, w.to); err != nil {
				return err
			}
			if w.r.Rate, err = storedRate(w.rate); err != nil {
				return err
			}
			out = append(out, w.r)
		}
		return nil
	})
	return out, err
}

// rateText stores a rate with the digits it has: 1.0830 as "1.0830".
func rateText(d decimal.Decimal) string { return d.StringFixed(max(0, -d.Exponent())) }

// storedRate reads a stored rate.
func storedRate(s string) (decimal.Decimal, error) {
	d, err := decimal.NewFromString(s)
	if err != nil || d.Sign() <= 0 {
		return decimal.Decimal{}, fmt.Errorf("%w: a stored exchange rate is not a positive decimal", ledger.ErrTampered)
	}
	return d, nil
}

func minDate(a, b date.Date) date.Date {
	if b.Before(a) {
		return b
	}
	return a
}

func maxDate(a, b date.Date) date.Date {
	if b.After(a) {
		return b
	}
	return a
}
