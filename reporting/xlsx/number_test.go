package xlsx

import (
	"errors"
	"strconv"
	"testing"

	"github.com/openbackoffice/backoffice/money"
	"pgregory.net/rapid"
)

// excelizeText is how excelize writes a float64 into a cell's XML
// (formatCellFloat with automatic precision): the shortest decimal that
// converts back to the same double.
func excelizeText(v any) string {
	switch v := v.(type) {
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	panic("unexpected type")
}

func TestExactNumber(t *testing.T) {
	tests := []struct {
		amount string
		cur    money.Currency
		want   string // the cell's XML text; "" for ErrPrecision
	}{
		{"0.00", money.EUR, "0"},
		{"0.01", money.EUR, "0.01"},
		{"-0.01", money.EUR, "-0.01"},
		{"0.10", money.EUR, "0.1"},
		{"1234.56", money.EUR, "1234.56"},
		{"9999999999999.99", money.EUR, "9999999999999.99"}, // the largest EUR amount with 15 digits
		{"-9999999999999.99", money.EUR, "-9999999999999.99"},
		{"1000000000000000.00", money.EUR, "1000000000000000"}, // one significant digit
		{"12345678901234500.00", money.EUR, "12345678901234500"},
		{"10000000000000.01", money.EUR, ""},    // 16 digits
		{"92233720368547758.07", money.EUR, ""}, // the largest EUR amount
		{"999999999999999", money.JPY, "999999999999999"},
		{"-999999999999999", money.JPY, "-999999999999999"},
		{"9999999999999999", money.JPY, ""},
		{"999999999999.999", money.BHD, "999999999999.999"},
		{"0.001", money.BHD, "0.001"},
		{"99999999999.9999", money.CLF, "99999999999.9999"},
		{"0.0001", money.CLF, "0.0001"},
	}
	for _, tt := range tests {
		t.Run(tt.amount+" "+tt.cur.Code(), func(t *testing.T) {
			v, err := exactNumber(money.MustParse(tt.amount, tt.cur))
			if tt.want == "" {
				if !errors.Is(err, ErrPrecision) {
					t.Errorf("exactNumber = %v, %v, want ErrPrecision", v, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := excelizeText(v); got != tt.want {
				t.Errorf("cell text %s, want %s", got, tt.want)
			}
		})
	}
}

// TestExactNumberProperty checks the rule by property: every amount of at
// most 15 significant digits, in currencies of 0 to 4 decimals, is written as
// its own decimal value.
func TestExactNumberProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cur := rapid.SampledFrom([]money.Currency{money.JPY, money.EUR, money.BHD, money.CLF}).Draw(t, "currency")
		digits := rapid.IntRange(1, 15).Draw(t, "digits")
		max := int64(1)
		for range digits {
			max *= 10
		}
		minor := rapid.Int64Range(-max+1, max-1).Draw(t, "minor")
		a := money.New(minor, cur)
		v, err := exactNumber(a)
		if err != nil {
			t.Fatalf("exactNumber(%s): %v", a, err)
		}
		back, err := money.Parse(excelizeText(v), cur)
		if err != nil {
			t.Fatalf("cell text %q: %v", excelizeText(v), err)
		}
		if back != a {
			t.Fatalf("%s is written as %s", a, excelizeText(v))
		}
	})
}

func TestSignificantDigits(t *testing.T) {
	tests := []struct {
		n    int64
		want int
	}{
		{0, 0}, {1, 1}, {-1, 1}, {10, 1}, {101, 3}, {999999999999999, 15},
		{1000000000000000000, 1}, {9223372036854775807, 19}, {-9223372036854775807, 19},
	}
	for _, tt := range tests {
		if got := significantDigits(tt.n); got != tt.want {
			t.Errorf("significantDigits(%d) = %d, want %d", tt.n, got, tt.want)
		}
	}
}
