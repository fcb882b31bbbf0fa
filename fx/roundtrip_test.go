package fx

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

// genRates draws valid rates, distinct by date and pair; sources drawn
// from alphabet.
func genRates(t *rapid.T, alphabet string) []Rate {
	curs := []money.Currency{money.EUR, money.USD, money.JPY, money.BHD, money.CLF}
	n := rapid.IntRange(0, 20).Draw(t, "n")
	seen := map[key]bool{}
	var out []Rate
	for range n {
		from := rapid.SampledFrom(curs).Draw(t, "from")
		to := rapid.SampledFrom(curs).Filter(func(c money.Currency) bool { return c != from }).Draw(t, "to")
		d := date.New(2000, 1, 1).AddDays(rapid.IntRange(0, 10000).Draw(t, "day"))
		if seen[key{d, from, to}] {
			continue
		}
		seen[key{d, from, to}] = true
		coef := rapid.Int64Range(1, 999_999_999_999).Draw(t, "coef")
		exp := rapid.Int32Range(-MaxDecimals, 0).Draw(t, "exp")
		src := rapid.StringOfN(rapid.SampledFrom([]rune(alphabet)), 0, 12, -1).Draw(t, "source")
		out = append(out, Rate{Date: d, From: from, To: to, Rate: decimal.New(coef, exp), Source: strings.TrimSpace(src)})
	}
	return out
}

// TestRoundTrip: reading what WriteCSV and WritePriceDirectives write gives
// the rates back, digit for digit.
func TestRoundTrip(t *testing.T) {
	t.Run("CSV", rapid.MakeCheck(func(t *rapid.T) {
		rates := genRates(t, `ab ,;"'€ECB`)
		var b bytes.Buffer
		if err := WriteCSV(&b, rates); err != nil {
			t.Fatal(err)
		}
		back, err := ReadCSV(&b, nil)
		if err != nil {
			t.Fatalf("%v\n%s", err, b.String())
		}
		if diff := cmp.Diff(back, rates, rateOpts, cmpEmpty); diff != "" {
			t.Fatalf("(-got +want):\n%s", diff)
		}
	}))
	t.Run("P directives", rapid.MakeCheck(func(t *rapid.T) {
		rates := genRates(t, `ab ;"'€:ECB`)
		var b bytes.Buffer
		if err := WritePriceDirectives(&b, rates); err != nil {
			t.Fatal(err)
		}
		back, err := ReadPriceDirectives(&b, nil)
		if err != nil {
			t.Fatalf("%v\n%s", err, b.String())
		}
		if diff := cmp.Diff(back, rates, rateOpts, cmpEmpty); diff != "" {
			t.Fatalf("(-got +want):\n%s", diff)
		}
	}))
}

// cmpEmpty treats nil and empty slices alike.
var cmpEmpty = cmp.FilterValues(func(a, b []Rate) bool { return len(a) == 0 && len(b) == 0 }, cmp.Ignore())
