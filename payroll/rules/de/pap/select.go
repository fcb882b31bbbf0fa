package pap

import "github.com/openbackoffice/backoffice/date"

// Calculator runs the PAP of one year. Implementations are stateless and
// safe for concurrent use.
type Calculator interface {
	// Year returns the calendar year whose PAP the Calculator runs.
	Year() int
	// Calculate runs the PAP on the fields of in that its version declares
	// (others are ignored) and returns the outputs; fields the version does
	// not declare stay zero. Errors are as for Lohnsteuer2026.
	Calculate(in Input) (Output, error)
}

// For returns the Calculator for the calendar year of d: the 2025 PAP for
// dates in 2025, the 2026 PAP for dates in 2026. Pass the date that decides
// the tax year: for current wages the last day of the pay period (§ 38a
// Absatz 1 Satz 2 EStG), for other payments (sonstige Bezüge) the payment
// date. A zero date or a year without a generated PAP returns a
// *NoVersionError wrapping ErrNoVersion.
func For(d date.Date) (Calculator, error) {
	if !d.IsZero() {
		if c, ok := calculatorFor(d.Year()); ok {
			return c, nil
		}
	}
	return nil, &NoVersionError{Date: d}
}
