package fx

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

func TestValidate(t *testing.T) {
	good := rt("2025-03-07", "EUR", "USD", "1.0830", "ECB")
	tests := []struct {
		name   string
		change func(r *Rate)
		want   string // in the error; "" for valid
	}{
		{"valid", func(r *Rate) {}, ""},
		{"12 significant digits", func(r *Rate) { r.Rate = decimal.RequireFromString("1.08230000000") }, ""},
		{"leading zeros do not count", func(r *Rate) { r.Rate = decimal.RequireFromString("0.000000123456789012") }, ""},
		{"24 decimals", func(r *Rate) { r.Rate = decimal.RequireFromString("0.000000000000000000000001") }, ""},
		{"custom currency", func(r *Rate) { r.To, _ = money.NewCurrency("PTS", 0) }, ""},
		{"no date", func(r *Rate) { r.Date = date.Date{} }, "no date"},
		{"no from", func(r *Rate) { r.From = money.Currency{} }, "no currency"},
		{"no to", func(r *Rate) { r.To = money.Currency{} }, "no currency"},
		{"same currency", func(r *Rate) { r.To = money.EUR }, "EUR on both sides"},
		{"zero", func(r *Rate) { r.Rate = decimal.Zero }, "0 is not positive"},
		{"negative", func(r *Rate) { r.Rate = decimal.RequireFromString("-1.08") }, "-1.08 is not positive"},
		{"13 significant digits", func(r *Rate) { r.Rate = decimal.RequireFromString("1.082300000000") }, "13 significant digits"},
		{"a float in full", func(r *Rate) { r.Rate = decimal.NewFromFloat(1.0823).Add(decimal.New(1, -17)) }, "18 significant digits"},
		{"zeros of a positive exponent count", func(r *Rate) { r.Rate = decimal.New(123, 10) }, "13 significant digits"},
		{"25 decimals", func(r *Rate) { r.Rate = decimal.New(1, -25) }, "more than 24 decimal places"},
		{"line break in source", func(r *Rate) { r.Source = "ECB\nx" }, "control character"},
		{"invalid UTF-8 source", func(r *Rate) { r.Source = "\xff" }, "not UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := good
			tt.change(&r)
			err := r.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrInvalidRate) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate = %v, want ErrInvalidRate saying %q", err, tt.want)
			}
		})
	}
}

func TestRateConvert(t *testing.T) {
	r := rt("2025-03-07", "EUR", "JPY", "161.2", "")
	tests := []struct {
		a    money.Amount
		m    money.RoundingMode
		want money.Amount
	}{
		{money.MustParse("12.34", money.EUR), money.HalfUp, money.MustParse("1989", money.JPY)}, // 1989.208
		{money.MustParse("12.34", money.EUR), money.Up, money.MustParse("1990", money.JPY)},
		{money.MustParse("1989", money.JPY), money.HalfUp, money.MustParse("12.34", money.EUR)}, // ÷ 161.2 = 12.3387…
		{money.MustParse("-1989", money.JPY), money.Down, money.MustParse("-12.33", money.EUR)},
	}
	for _, tt := range tests {
		t.Run(tt.a.String()+" "+tt.m.String(), func(t *testing.T) {
			got, err := r.Convert(tt.a, tt.m)
			if err != nil || got != tt.want {
				t.Errorf("Convert = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
	if _, err := r.Convert(money.MustParse("1.00", money.USD), money.HalfUp); !errors.Is(err, money.ErrCurrencyMismatch) {
		t.Errorf("USD at a EUR→JPY rate: %v, want ErrCurrencyMismatch", err)
	}
}

func TestMessages(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&NoRateError{From: money.USD, To: money.EUR, On: date.MustParse("2025-03-01")}, "fx: no USD→EUR rate on or before 2025-03-01"},
		{&Error{Line: 3, Field: "rate", Err: invalid("-1.08 is not positive")}, "fx: line 3, rate: invalid rate: -1.08 is not positive"},
		{&Error{Line: 7, Err: ErrSyntax}, "fx: line 7: syntax error"},
		{Errors{{Line: 2, Field: "from", Err: ErrInvalidRate}, {Line: 5, Err: ErrConflict}}, "fx: 2 errors: line 2, from: invalid rate; line 5: conflicting rates"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	if got := rt("2025-03-07", "EUR", "USD", "1.0830", "ECB").String(); got != "2025-03-07 1 EUR = 1.0830 USD (ECB)" {
		t.Errorf("Rate.String() = %q", got)
	}
}
