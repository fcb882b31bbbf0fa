package money

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
)

// fuzzCurrencies covers every scale: 0, 2, 3, 4 and the maximum 18.
var fuzzCurrencies = []Currency{JPY, EUR, BHD, CLF, makeCurrency("X18", 18)}

// parseReasons are all ParseError reasons. Checking that every error's
// text is built from its position and one of these proves structurally
// that no input text leaks into error strings.
var parseReasons = map[string]bool{
	"":                                      true,
	"invalid Format":                        true,
	"digit expected":                        true,
	"digit expected before group separator": true,
	"more than three digits before group separator":    true,
	"digit group must have three digits":               true,
	"unexpected character":                             true,
	"digit expected after decimal separator":           true,
	"non-zero digit beyond the currency's minor units": true,
}

func FuzzParse(f *testing.F) {
	seeds := []string{
		"1234.56", "-0.5", "+3", "12", "0", "-0", "1.230", "007.50",
		"92233720368547758.07", "-92233720368547758.07", "92233720368547758.08",
		"9223372036854775807", "9223372036854775808", "99999999999999999999999",
		"", "-", "1.", ".5", "1e5", "1,5", " 1", "1.2.3", "1.234.567,89",
		"12.34,5", "1,234,567.89", "0.0000000000000000001", "1.000000000000000000000",
		"١٢", "1\xff", "--1",
	}
	for i, s := range seeds {
		f.Add(s, uint8(i))
	}
	f.Fuzz(func(t *testing.T, s string, ci uint8) {
		c := fuzzCurrencies[int(ci)%len(fuzzCurrencies)]
		mu := c.MinorUnits()

		a, err := Parse(s, c)
		if err != nil {
			checkFuzzError(t, err)
		} else {
			if a.Currency() != c {
				t.Fatalf("Parse(%q) currency = %v, want %v", s, a.Currency(), c)
			}
			// Number reads back.
			b, err := Parse(a.Number(), c)
			if err != nil || b != a {
				t.Fatalf("Parse(Number()) of %q = %v, %v; want %v", s, b, err, a)
			}
			// Agrees with shopspring/decimal × 10^minor.
			d, err := decimal.NewFromString(s)
			if err != nil {
				t.Fatalf("Parse accepted %q, decimal.NewFromString refused it: %v", s, err)
			}
			if want := decimal.NewFromInt(a.MinorUnits()); !d.Shift(int32(mu)).Equal(want) {
				t.Fatalf("Parse(%q) = %d minor units, decimal says %s", s, a.MinorUnits(), d.Shift(int32(mu)))
			}
			// Formats read back.
			for _, f := range []Format{German, English, Plain} {
				b, err := ParseFormat(a.Format(f), c, f)
				if err != nil || b != a {
					t.Fatalf("ParseFormat(Format(%v)) of %q = %v, %v; want %v", f, s, b, err, a)
				}
			}
		}

		// German input directly: never panics, reads back when accepted.
		g, err := ParseFormat(s, c, German)
		if err != nil {
			checkFuzzError(t, err)
			return
		}
		if b, err := ParseFormat(g.Format(German), c, German); err != nil || b != g {
			t.Fatalf("German round trip of %q = %v, %v; want %v", s, b, err, g)
		}
	})
}

func checkFuzzError(t *testing.T, err error) {
	t.Helper()
	var perr *ParseError
	if !errors.As(err, &perr) {
		t.Fatalf("error %v (%T) is not a *ParseError", err, err)
	}
	if perr.Err != ErrSyntax && perr.Err != ErrScale && perr.Err != ErrOverflow {
		t.Fatalf("ParseError.Err = %v", perr.Err)
	}
	if !parseReasons[perr.Reason] {
		t.Fatalf("unexpected ParseError.Reason %q", perr.Reason)
	}
	if perr.Error() != (&ParseError{Pos: perr.Pos, Reason: perr.Reason, Err: perr.Err}).Error() {
		t.Fatalf("error text %q depends on more than position and reason", perr.Error())
	}
}
