package journal

import (
	"fmt"

	"github.com/openbackoffice/backoffice/fx"
	"github.com/openbackoffice/backoffice/money"
)

// Rates returns the journal's market prices (its P directives, in file
// order) as exchange rates, for an fx.Store: "P 2025-01-15 USD 0.90 EUR"
// is fx.Rate{Date: 2025-01-15, From: USD, To: EUR, Rate: 0.90}, the price
// exactly as written, its Source the directive's "source:" tag. The same
// rate given twice (same date, pair and price) is returned once.
//
// Rates refuses, each with its file and line, as Errors, what is not an
// exchange rate it can keep faithfully: a price of a commodity that is
// not an ISO 4217 currency (ErrUnsupported: a stock's price is no rate),
// a time of day other than midnight, 00:00 or 00:00:00, which is the day
// itself (ErrUnsupported: a rate is in force for a whole day), a
// price that fx.Rate.Validate refuses (it wraps fx.ErrInvalidRate: zero,
// negative, too many digits), and two prices of one date and pair that
// differ (it wraps fx.ErrConflict; hledger would take the later one).
// On any problem it returns no rates.
func (j *Journal) Rates() ([]fx.Rate, error) {
	var (
		out  []fx.Rate
		errs Errors
	)
	type key struct {
		day      string
		from, to money.Currency
	}
	seen := map[key]int{} // → index in out
	lines := map[key]Price{}
	for _, p := range j.Prices {
		fail := func(sentinel error, format string, args ...any) {
			errs = append(errs, &Error{File: p.File, Line: p.Line, Err: fmt.Errorf("%w: P directive: "+format, append([]any{sentinel}, args...)...)})
		}
		if p.Time != "" && !midnight(p.Time) {
			fail(ErrUnsupported, "a time of day (%s): a rate is in force for a whole day", truncate(p.Time, 20))
			continue
		}
		from, err := money.ParseCurrency(p.Commodity)
		if err != nil {
			fail(ErrUnsupported, "%q is not an ISO 4217 currency: its price is no exchange rate", truncate(p.Commodity, 16))
			continue
		}
		r := fx.Rate{Date: p.Date, From: from, To: p.Currency, Rate: p.Price, Source: p.Source}
		if err := r.Validate(); err != nil {
			fail(err, "%s %s %s", from.Code(), p.Price, p.Currency.Code())
			continue
		}
		k := key{p.Date.String(), from, p.Currency}
		if i, ok := seen[k]; ok {
			if !out[i].Rate.Equal(r.Rate) {
				prev := lines[k]
				where := fmt.Sprintf("line %d", prev.Line)
				if prev.File != p.File {
					where = fmt.Sprintf("%s:%d", prev.File, prev.Line)
				}
				fail(fx.ErrConflict, "%s %s on %s is %s, and %s at %s", from.Code(), p.Currency.Code(), p.Date, r.Rate, out[i].Rate, where)
			}
			continue
		}
		seen[k], lines[k] = len(out), p
		out = append(out, r)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// midnight reports whether t is the start of the day: "00:00", "00:00:00".
func midnight(t string) bool { return t == "00:00" || t == "00:00:00" }
