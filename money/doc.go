// Package money provides exact amounts of money.
//
// An Amount is a whole number of minor units (cents for EUR, yen for JPY,
// fils for BHD) in an int64, together with its Currency. Arithmetic on
// amounts is exact integer arithmetic: it never rounds silently, never
// loses a cent and never wraps around. Results outside ±math.MaxInt64
// minor units fail with ErrOverflow; mixing currencies fails with
// ErrCurrencyMismatch.
//
//	net := money.MustParse("1234.56", money.EUR)
//	vat, err := net.MulRate(decimal.RequireFromString("0.19"), money.HalfUp) // 234.57 EUR
//	gross, err := net.Add(vat)                                                // 1469.13 EUR
//
// # Minor units
//
// Each Currency knows its minor units: 2 for EUR, 0 for JPY, 3 for BHD,
// 4 for CLF. ParseCurrency and the package variables (EUR, USD, ...) cover
// ISO 4217; NewCurrency and Registry.Register create custom currencies.
// Text with more decimals than the currency has is refused (ErrScale)
// unless the extra digits are zeros.
//
// # Rounding is named
//
// Only operations that can produce a fraction of a minor unit round, and
// each takes a RoundingMode at the call site: Amount.MulRate for rates,
// Amount.Convert and Amount.ConvertInverse for exchange rates (into
// another currency, minding both currencies' minor units), Amount.Div for
// per-period amounts, FromDecimalRounded for converting a decimal. There is no default mode; the zero RoundingMode is refused
// with ErrRoundingMode. To split an amount without rounding loss, use
// Allocate, whose parts always add up to the total.
//
// # No floating point
//
// No function takes or returns a float64 amount. Amounts enter as integers
// of minor units (New), as decimal text (Parse, ParseFormat, JSON strings,
// SQL text and NUMERIC columns) or as decimal.Decimal (FromDecimal), and
// leave the same ways. Amount.Scan refuses float64 (ErrFloat) and
// UnmarshalJSON refuses JSON numbers.
//
// # Errors and personal data
//
// Amounts can be salaries. No error returned by this package contains the
// text of an amount: parse errors (*ParseError) give the byte position and
// the reason, and wrap a sentinel for errors.Is.
//
// # Concurrency
//
// Currency, Amount, Format and RoundingMode are immutable values, and every
// function and method of this package is safe for concurrent use. A
// Registry is safe for concurrent use by multiple goroutines. The package
// has no global mutable state: there are no settings to change, and custom
// currencies live on a Registry value, never in the package.
package money
