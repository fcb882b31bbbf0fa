// Package fx keeps exchange rates as data: tables of dated rates per
// currency pair, read from the European Central Bank's reference rates,
// from CSV and from the P directives of plain-text journals, looked up by
// date and applied to money.Amount exactly.
//
// # Rates
//
// A Rate says that on Date, 1 From = Rate To; Rate is a decimal.Decimal,
// never a float, kept with the digits it was written with. A rate is in
// force from its date until the next rate of the same pair. Rate.Validate
// states what is accepted: a positive rate of at most
// MaxSignificantDigits significant digits, two different currencies.
//
// # Lookup and conversion
//
// A Table holds rates sorted per pair. Table.Lookup finds the rate in
// force on a day, the latest on or before it, by binary search: O(log n)
// in the rates of the pair, no allocation, millions of lookups a second
// (docs/BENCHMARKS.md). A pair quoted only the other way round is served
// by that quotation: EUR→USD 1.0823 converts USD into EUR by dividing by
// 1.0823, as an exact fraction, never through a rounded inverse rate.
// When both directions are quoted, the later rate is in force, the direct
// one on the same day. Where no rate is in force the error names the pair
// and the day: "fx: no USD→EUR rate on or before 2025-03-01" (ErrNoRate).
//
// Table.Convert converts an amount on a day and rounds once, to the
// target currency's minor units, with money.HalfUp (commercial rounding);
// Rate.Convert takes any money.RoundingMode. Both compute the exact
// product or quotient first (money.Amount.Convert, ConvertInverse), minding
// the minor units of both currencies: 1000 JPY × 0.0061 = 6.10 EUR.
//
// # Imports
//
// ReadCSV, ReadECB and ReadPriceDirectives read rates, all or nothing:
// on any problem they return no rates and an Errors naming each problem's
// line and field (errors.As to *Error; errors.Is to ErrSyntax,
// ErrInvalidRate, ErrConflict or ErrUnsupported). They read what they can
// read faithfully and refuse the rest, never guessing: numbers are plain
// decimal digits with a decimal point (a decimal comma, digit grouping and
// exponent forms are refused), currency codes must be known (ISO 4217, or
// a money.Registry's), and a commodity symbol such as $ is refused for the
// ISO code. Each reader's documentation lists what it reads and refuses.
// WriteCSV and WritePriceDirectives write rates so that they read back
// identically.
//
// # Storage
//
// A Store keeps rates per book, and rates shared by every book under the
// book "": importing is idempotent (an identical rate is skipped) and a
// rate that differs from a stored one for the same date and pair is a
// conflict (ErrConflict). Load makes a Table of a book's rates.
//
// # Concurrency
//
// Rate, NoRateError and Error are plain values. A Table is safe for
// concurrent use: lookups never block and never see half an Add. The
// readers and writers keep no state between calls.
package fx
