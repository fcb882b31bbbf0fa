package fx

import (
	"cmp"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

// Table is an exchange-rate table: rates by currency pair, each pair's
// rates sorted by date, so that Lookup finds the rate in force on a day by
// binary search, O(log n) in the rates of the pair, without allocating.
//
// The zero Table is empty and ready to use. A Table is safe for
// concurrent use by multiple goroutines: Lookup and Convert never block,
// and see the table either before or after a concurrent Add, never half
// of it (Add builds a new version of what it changes and swaps it in).
// A Table must not be copied after first use.
type Table struct {
	mu   sync.Mutex // serializes Add
	data atomic.Pointer[tableData]
}

// pair is a direction of exchange: 1 from = rate to.
type pair struct{ from, to money.Currency }

// series are the rates of one pair, sorted by date, one per date.
type series struct {
	days  []date.Date // days[i] == rates[i].Date, searched without touching the rates
	rates []Rate
}

// tableData is one version of a Table; never modified once published.
type tableData struct {
	pairs map[pair]*series
	// quotes has both directions of every pair with rates in either, so
	// that Lookup finds both with one map access.
	quotes map[pair]quotes
	n      int
}

// quotes are the rates of a pair from→to and of its opposite, to→from;
// either may be nil.
type quotes struct{ direct, inverse *series }

// NewTable returns a table of rates, as Add adds them.
func NewTable(rates ...Rate) (*Table, error) {
	t := new(Table)
	if err := t.Add(rates...); err != nil {
		return nil, err
	}
	return t, nil
}

// Add adds rates to t, all or nothing. A rate equal to one in t or earlier
// in rates (same date, pair and value, whatever the source or the digits
// written: 1.083 equals 1.0830) is skipped; the first one stays. It fails
// with ErrInvalidRate if a rate does not pass Rate.Validate, and with
// ErrConflict, naming the pair, the date and both rates, if a rate's date
// and pair are in t or earlier in rates with another value. On error t is
// unchanged.
func (t *Table) Add(rates ...Rate) error {
	add := map[pair][]Rate{}
	for i, r := range rates {
		if err := r.Validate(); err != nil {
			return fmt.Errorf("fx: rate %d (%s→%s on %s): %w", i+1, r.From.Code(), r.To.Code(), r.Date, err)
		}
		p := pair{r.From, r.To}
		add[p] = append(add[p], r)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	old := t.data.Load()
	next := &tableData{pairs: make(map[pair]*series, len(add)), quotes: make(map[pair]quotes, 2*len(add))}
	if old != nil {
		next.n = old.n
		for p, s := range old.pairs {
			next.pairs[p] = s // shared: series are never modified
		}
		for p, q := range old.quotes {
			next.quotes[p] = q
		}
	}
	for p, rs := range add {
		var merged []Rate
		if s := next.pairs[p]; s != nil {
			merged = append(merged, s.rates...)
			next.n -= len(s.rates)
		}
		merged = append(merged, rs...)
		// Stable: of two rates of one date, the one already in t (or the
		// earlier in rates) comes first and stays.
		slices.SortStableFunc(merged, func(a, b Rate) int { return a.Date.Compare(b.Date) })
		s := &series{days: make([]date.Date, 0, len(merged)), rates: merged[:0]}
		for _, r := range merged {
			if n := len(s.rates); n > 0 && s.rates[n-1].Date == r.Date {
				if prev := s.rates[n-1]; !prev.Rate.Equal(r.Rate) {
					return fmt.Errorf("%w: %s→%s on %s: %s and %s", ErrConflict, p.from.Code(), p.to.Code(), r.Date, text(prev.Rate), text(r.Rate))
				}
				continue
			}
			s.days = append(s.days, r.Date)
			s.rates = append(s.rates, r)
		}
		next.pairs[p] = s
		next.n += len(s.rates)
	}
	for p := range add {
		inv := pair{p.to, p.from}
		next.quotes[p] = quotes{next.pairs[p], next.pairs[inv]}
		next.quotes[inv] = quotes{next.pairs[inv], next.pairs[p]}
	}
	t.data.Store(next)
	return nil
}

// Len returns the number of rates in t.
func (t *Table) Len() int {
	if d := t.data.Load(); d != nil {
		return d.n
	}
	return 0
}

// Rates returns the rates of t ordered by From and To (by currency code)
// and Date.
func (t *Table) Rates() []Rate {
	d := t.data.Load()
	if d == nil {
		return nil
	}
	pairs := make([]pair, 0, len(d.pairs))
	for p := range d.pairs {
		pairs = append(pairs, p)
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		return cmp.Or(cmp.Compare(a.from.Code(), b.from.Code()), cmp.Compare(a.to.Code(), b.to.Code()))
	})
	out := make([]Rate, 0, d.n)
	for _, p := range pairs {
		out = append(out, d.pairs[p].rates...)
	}
	return out
}

// Lookup returns the rate in force on day on for exchanging from into to:
// the latest rate on or before on. When t holds rates in both directions
// (from→to and to→from), the one with the later date is in force; on the
// same date the direct one (from→to). The rate is returned as stored, so
// its From is to when it is the opposite quotation: 1 EUR = 1.0823 USD
// serves USD→EUR as a division. Rate.Convert applies either correctly;
// never invert a rate into a rounded decimal.
//
// It fails with ErrInvalidRate if from or to is the zero Currency or they
// are the same, and with a *NoRateError (ErrNoRate) naming the pair and
// the day if t holds no rate of the pair in either direction on or before
// on. Lookup does not allocate, except for the error.
func (t *Table) Lookup(from, to money.Currency, on date.Date) (Rate, error) {
	if from.IsZero() || to.IsZero() || from == to {
		return Rate{}, fmt.Errorf("fx: look up %s→%s: %w", from.Code(), to.Code(), ErrInvalidRate)
	}
	if d := t.data.Load(); d != nil {
		q := d.quotes[pair{from, to}]
		direct, okd := q.direct.find(on)
		inverse, oki := q.inverse.find(on)
		switch {
		case okd && (!oki || !inverse.Date.After(direct.Date)):
			return direct, nil
		case oki:
			return inverse, nil
		}
	}
	return Rate{}, &NoRateError{From: from, To: to, On: on}
}

// find returns the latest rate of s on or before on. s may be nil.
func (s *series) find(on date.Date) (Rate, bool) {
	if s == nil {
		return Rate{}, false
	}
	// The first day after on, by binary search; the rate before it is in force.
	lo, hi := 0, len(s.days)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if s.days[mid].After(on) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	if lo == 0 {
		return Rate{}, false
	}
	return s.rates[lo-1], true
}

// Convert returns a in currency to at the rate in force on day on (see
// Lookup), rounded to to's minor units with money.HalfUp (commercial
// rounding, ties away from zero), once, from the exact product or
// quotient. An amount already in to is returned unchanged. It fails as
// Lookup does (ErrNoRate, ErrInvalidRate), and with money.ErrOverflow if
// the result is out of range.
func (t *Table) Convert(a money.Amount, to money.Currency, on date.Date) (money.Amount, error) {
	if a.Currency() == to {
		return a, nil
	}
	r, err := t.Lookup(a.Currency(), to, on)
	if err != nil {
		return money.Amount{}, err
	}
	out, err := r.Convert(a, money.HalfUp)
	if err != nil {
		return money.Amount{}, fmt.Errorf("fx: convert %s to %s at %s: %w", a.Currency().Code(), to.Code(), r, err)
	}
	return out, nil
}
