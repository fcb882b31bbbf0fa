package money

import (
	"errors"
	"testing"
)

// TestColumns reads amounts from a number and a currency column in
// either order, the currency deciding the scale (1234.5 JPY has too many
// decimals), and refuses floats, NULLs and unknown codes.
func TestColumns(t *testing.T) {
	tests := []struct {
		name      string
		num, code any
		want      string
		err       error
	}{
		{"text", "1234.56", "EUR", "1234.56 EUR", nil},
		{"bytes, NUMERIC zeros", []byte("10.5000"), []byte("USD"), "10.50 USD", nil},
		{"whole major units", int64(7), "JPY", "7 JPY", nil},
		{"three decimals", "1.234", "KWD", "1.234 KWD", nil},
		{"too many decimals for JPY", "1234.5", "JPY", "", ErrScale},
		{"float", 1.5, "EUR", "", ErrFloat},
		{"NULL number", nil, "EUR", "", ErrNull},
		{"NULL currency", "1.00", nil, "", ErrNull},
		{"unknown code", "1.00", "XYZ", "", ErrUnknownCurrency},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Columns
			err := c.Currency().Scan(tt.code) // the currency first: order does not matter
			if err == nil {
				err = c.Number().Scan(tt.num)
			}
			var a Amount
			if err == nil {
				a, err = c.Amount()
			}
			if !errors.Is(err, tt.err) || tt.err == nil && err != nil {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if tt.err == nil && a.String() != tt.want {
				t.Errorf("amount %s, want %s", a, tt.want)
			}
		})
	}
	var c Columns
	if _, err := c.Amount(); !errors.Is(err, ErrNoCurrency) {
		t.Errorf("nothing scanned: %v", err)
	}
}
