package reporting

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
)

// TestRateText: a rate applied to a basis is a percentage, exact, in the
// report's number format; a rate per unit of a quantity stays a number.
func TestRateText(t *testing.T) {
	de, err := LoadMessages("de")
	if err != nil {
		t.Fatal(err)
	}
	en, err := LoadMessages("en")
	if err != nil {
		t.Fatal(err)
	}
	basis := money.MustParse("3800.00", money.EUR)
	kv := &payroll.Line{Basis: basis, Rate: decimal.RequireFromString("0.0925")}
	hourly := &payroll.Line{Quantity: decimal.RequireFromString("10"), Rate: decimal.RequireFromString("25.50")}
	for _, tt := range []struct {
		msg  *Messages
		l    *payroll.Line
		want string
	}{
		{de, kv, "9,25 %"},
		{en, kv, "9.25 %"},
		{en, hourly, "25.5"},
	} {
		if got := rateText(tt.msg, tt.l); got != tt.want {
			t.Errorf("rateText(%s, %s) = %q, want %q", tt.msg.Language(), tt.l.Rate, got, tt.want)
		}
	}
}
