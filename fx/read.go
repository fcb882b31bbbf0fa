package fx

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

// ReadOptions are the options of the readers. A nil *ReadOptions means
// the defaults.
type ReadOptions struct {
	// Currencies resolves currency codes, for custom currencies; nil
	// resolves ISO 4217 codes only (money.ParseCurrency). Codes are case
	// sensitive: "usd" is unknown.
	Currencies *money.Registry

	// Only, if not empty, selects the rates to read: those whose two
	// currencies are both in Only. The other lines are skipped unread, so
	// that, say, the ECB's historical file, which lists currencies ISO
	// 4217 has withdrawn (CYP, EEK, …), reads with Only [EUR USD GBP].
	// The default reads every line and refuses an unknown currency.
	Only []money.Currency
}

// reader holds what the three readers share: options, problems found,
// the rates read and the line each came from, for conflicts.
type reader struct {
	opts  ReadOptions
	errs  Errors
	rates []Rate
	seen  map[key]seenRate
}

// key identifies a rate in one table: a date and a direction.
type key struct {
	day      date.Date
	from, to money.Currency
}

type seenRate struct {
	line int
	rate decimal.Decimal
}

func newReader(opts *ReadOptions) *reader {
	r := &reader{seen: map[key]seenRate{}}
	if opts != nil {
		r.opts = *opts
	}
	return r
}

// fail records a problem of line n.
func (r *reader) fail(n int, field string, err error) {
	r.errs = append(r.errs, &Error{Line: n, Field: field, Err: err})
}

// failf records a problem of line n wrapping sentinel.
func (r *reader) failf(n int, field string, sentinel error, format string, args ...any) {
	r.fail(n, field, fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...))
}

// wanted reports whether a rate between the currencies coded from and to
// is to be read, by ReadOptions.Only.
func (r *reader) wanted(from, to string) bool {
	if len(r.opts.Only) == 0 {
		return true
	}
	in := func(code string) bool {
		return slices.ContainsFunc(r.opts.Only, func(c money.Currency) bool { return c.Code() == code })
	}
	return in(from) && in(to)
}

// currency resolves a currency code of line n, or records the problem.
func (r *reader) currency(n int, field, code string) (money.Currency, bool) {
	if code == "" {
		r.failf(n, field, ErrSyntax, "currency is missing")
		return money.Currency{}, false
	}
	var c money.Currency
	var err error
	if r.opts.Currencies != nil {
		c, err = r.opts.Currencies.Lookup(code)
	} else {
		c, err = money.ParseCurrency(code)
	}
	if err != nil {
		r.fail(n, field, fmt.Errorf("%w: %w", ErrInvalidRate, err))
		return money.Currency{}, false
	}
	return c, true
}

// rate parses the rate of line n, or records the problem.
func (r *reader) rate(n int, field, s string) (decimal.Decimal, bool) {
	d, err := parseRate(s)
	if err != nil {
		r.fail(n, field, err)
		return decimal.Decimal{}, false
	}
	return d, true
}

// add checks a rate read from line n (the rules of Rate.Validate and
// conflicts with earlier lines) and keeps it, or records the problem.
func (r *reader) add(n int, rt Rate) {
	if rt.From == rt.To {
		r.failf(n, "to", ErrInvalidRate, "%s on both sides", rt.From.Code())
		return
	}
	if err := checkSource(rt.Source); err != nil {
		r.fail(n, "source", err)
		return
	}
	k := key{rt.Date, rt.From, rt.To}
	if prev, ok := r.seen[k]; ok {
		if !prev.rate.Equal(rt.Rate) {
			r.failf(n, "rate", ErrConflict, "%s→%s on %s is %s here and %s on line %d",
				rt.From.Code(), rt.To.Code(), rt.Date, text(rt.Rate), text(prev.rate), prev.line)
		}
	} else {
		r.seen[k] = seenRate{n, rt.Rate}
	}
	r.rates = append(r.rates, rt)
}

// result returns the rates read, or the problems found and no rates.
func (r *reader) result() ([]Rate, error) {
	if len(r.errs) > 0 {
		slices.SortStableFunc(r.errs, func(a, b *Error) int { return a.Line - b.Line })
		return nil, r.errs
	}
	return r.rates, nil
}

// parseRate parses a rate written as plain decimal digits with a decimal
// point: 1.0830, 161.2, 0.0061. It refuses, with ErrSyntax, what could be
// misread: a decimal comma or digit grouping (1,0830 and 1,083.00 are
// both seen in the wild), an exponent, a sign other than a leading minus,
// a bare point (.5, 5.). A rate that reads but is not allowed (zero,
// negative, too many digits) is ErrInvalidRate.
func parseRate(s string) (decimal.Decimal, error) {
	switch {
	case s == "":
		return decimal.Decimal{}, fmt.Errorf("%w: rate is missing", ErrSyntax)
	case strings.ContainsRune(s, ','):
		return decimal.Decimal{}, fmt.Errorf("%w: %q has a comma: write the rate with a decimal point and no digit grouping", ErrSyntax, clip(s))
	case strings.ContainsAny(s, "eE"):
		return decimal.Decimal{}, fmt.Errorf("%w: %q is in exponent form: write the rate's digits", ErrSyntax, clip(s))
	}
	body := strings.TrimPrefix(s, "-")
	intPart, frac, hasPoint := strings.Cut(body, ".")
	if !digits(intPart) || hasPoint && !digits(frac) {
		return decimal.Decimal{}, fmt.Errorf("%w: %q is not a decimal number (digits, one decimal point)", ErrSyntax, clip(s))
	}
	d, err := decimal.NewFromString(s)
	if err != nil { // not reached: the syntax is checked above
		return decimal.Decimal{}, fmt.Errorf("%w: %q is not a decimal number", ErrSyntax, clip(s))
	}
	if err := checkRate(d); err != nil {
		return decimal.Decimal{}, err
	}
	return d, nil
}

// digits reports whether s is one or more ASCII digits.
func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// clip shortens s for an error message.
func clip(s string) string {
	const max = 32
	if len(s) <= max {
		return s
	}
	return strings.ToValidUTF8(s[:max], "") + "…"
}
