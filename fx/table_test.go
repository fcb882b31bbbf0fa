package fx

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

func TestLookup(t *testing.T) {
	table, err := NewTable(
		rt("2025-03-03", "EUR", "USD", "1.0465", "ECB"),
		rt("2025-03-07", "EUR", "USD", "1.0830", "ECB"),
		rt("2025-03-05", "EUR", "USD", "1.0694", "ECB"),
		// USD→EUR quoted too, by a bank, on some days only.
		rt("2025-03-04", "USD", "EUR", "0.9470", "bank"),
		rt("2025-03-07", "USD", "EUR", "0.9230", "bank"),
		// GBP only as EUR→GBP.
		rt("2025-03-03", "EUR", "GBP", "0.82675", "ECB"),
	)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		from, to string
		on       string
		want     Rate // zero: no rate
	}{
		{"on a rate's day", "EUR", "USD", "2025-03-05", rt("2025-03-05", "EUR", "USD", "1.0694", "ECB")},
		{"between rates: the earlier", "EUR", "USD", "2025-03-06", rt("2025-03-05", "EUR", "USD", "1.0694", "ECB")},
		{"after the last", "EUR", "USD", "2026-01-01", rt("2025-03-07", "EUR", "USD", "1.0830", "ECB")},
		{"first day", "EUR", "USD", "2025-03-03", rt("2025-03-03", "EUR", "USD", "1.0465", "ECB")},
		{"before the first", "EUR", "USD", "2025-03-02", Rate{}},
		{"inverse quotation later than the direct one", "EUR", "USD", "2025-03-04", rt("2025-03-04", "USD", "EUR", "0.9470", "bank")},
		{"direct quotation later than the inverse one", "USD", "EUR", "2025-03-06", rt("2025-03-05", "EUR", "USD", "1.0694", "ECB")},
		{"direct quotation", "USD", "EUR", "2025-03-04", rt("2025-03-04", "USD", "EUR", "0.9470", "bank")},
		{"same day both ways: the direct one", "USD", "EUR", "2025-03-07", rt("2025-03-07", "USD", "EUR", "0.9230", "bank")},
		{"same day both ways, other direction", "EUR", "USD", "2025-03-08", rt("2025-03-07", "EUR", "USD", "1.0830", "ECB")},
		{"only the inverse pair", "GBP", "EUR", "2025-06-30", rt("2025-03-03", "EUR", "GBP", "0.82675", "ECB")},
		{"only the inverse pair, before it", "GBP", "EUR", "2025-03-02", Rate{}},
		{"no pair", "USD", "GBP", "2025-03-07", Rate{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, to, on := money.MustParseCurrency(tt.from), money.MustParseCurrency(tt.to), date.MustParse(tt.on)
			got, err := table.Lookup(from, to, on)
			if tt.want == (Rate{}) {
				var nr *NoRateError
				if !errors.Is(err, ErrNoRate) || !errors.As(err, &nr) || nr.From != from || nr.To != to || nr.On != on {
					t.Fatalf("Lookup = %v, %v; want a NoRateError", got, err)
				}
				if want := fmt.Sprintf("fx: no %s→%s rate on or before %s", tt.from, tt.to, tt.on); err.Error() != want {
					t.Errorf("message %q, want %q", err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(got, tt.want, rateOpts); diff != "" {
				t.Errorf("Lookup (-got +want):\n%s", diff)
			}
		})
	}
	for _, c := range [][2]money.Currency{{money.EUR, money.EUR}, {{}, money.EUR}, {money.EUR, {}}} {
		if _, err := table.Lookup(c[0], c[1], date.MustParse("2025-03-07")); !errors.Is(err, ErrInvalidRate) {
			t.Errorf("Lookup(%q, %q): %v, want ErrInvalidRate", c[0], c[1], err)
		}
	}
	var empty Table
	if _, err := empty.Lookup(money.EUR, money.USD, date.MustParse("2025-03-07")); !errors.Is(err, ErrNoRate) {
		t.Errorf("zero Table: %v, want ErrNoRate", err)
	}
}

func TestConvert(t *testing.T) {
	table, err := NewTable(
		rt("2025-03-07", "EUR", "USD", "1.0823", "ECB"),
		rt("2025-03-07", "EUR", "JPY", "161.2", "ECB"),
		rt("2025-03-07", "JPY", "CHF", "0.0061", ""),
	)
	if err != nil {
		t.Fatal(err)
	}
	on := date.MustParse("2025-03-10")
	tests := []struct {
		name string
		a    money.Amount
		to   money.Currency
		want money.Amount
	}{
		{"direct", money.MustParse("100.00", money.EUR), money.USD, money.MustParse("108.23", money.USD)},
		{"inverse, exact quotient", money.MustParse("108.23", money.USD), money.EUR, money.MustParse("100.00", money.EUR)},
		{"inverse, HalfUp", money.MustParse("100.00", money.USD), money.EUR, money.MustParse("92.40", money.EUR)},         // 92.3958…
		{"inverse, negative", money.MustParse("-100.00", money.USD), money.EUR, money.MustParse("-92.40", money.EUR)},     // -92.3958…
		{"minor units 2 → 0, HalfUp", money.MustParse("12.34", money.EUR), money.JPY, money.MustParse("1989", money.JPY)}, // 1989.208
		{"minor units 2 → 0, up", money.MustParse("0.50", money.EUR), money.JPY, money.MustParse("81", money.JPY)},        // 80.6
		{"minor units 0 → 2", money.MustParse("1000", money.JPY), money.CHF, money.MustParse("6.10", money.CHF)},
		{"inverse, minor units 2 → 0", money.MustParse("6.10", money.CHF), money.JPY, money.MustParse("1000", money.JPY)},
		{"same currency: unchanged", money.MustParse("12.345", money.BHD), money.BHD, money.MustParse("12.345", money.BHD)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := table.Convert(tt.a, tt.to, on)
			if err != nil || got != tt.want {
				t.Errorf("Convert(%v, %v) = %v, %v; want %v", tt.a, tt.to, got, err, tt.want)
			}
		})
	}
	_, err = table.Convert(money.MustParse("1.00", money.USD), money.GBP, on)
	if !errors.Is(err, ErrNoRate) || err.Error() != "fx: no USD→GBP rate on or before 2025-03-10" {
		t.Errorf("no rate: %v", err)
	}
	_, err = table.Convert(money.MustParse("1.00", money.EUR), money.USD, date.MustParse("2025-03-06"))
	if !errors.Is(err, ErrNoRate) || err.Error() != "fx: no EUR→USD rate on or before 2025-03-06" {
		t.Errorf("before the first rate: %v", err)
	}
	_, err = table.Convert(money.New(9_000_000_000_000_000_000, money.EUR), money.USD, on)
	if !errors.Is(err, money.ErrOverflow) {
		t.Errorf("overflow: %v", err)
	}
}

// TestConvertTie: a tie rounds away from zero (money.HalfUp).
func TestConvertTie(t *testing.T) {
	table, err := NewTable(rt("2025-01-01", "USD", "EUR", "0.125", ""))
	if err != nil {
		t.Fatal(err)
	}
	on := date.MustParse("2025-01-01")
	for _, c := range []struct{ a, want string }{{"1.00", "0.13"}, {"-1.00", "-0.13"}, {"0.01", "0.00"}} {
		got, err := table.Convert(money.MustParse(c.a, money.USD), money.EUR, on)
		if err != nil || got != money.MustParse(c.want, money.EUR) {
			t.Errorf("%s USD × 0.125 = %v, %v; want %s EUR", c.a, got, err, c.want)
		}
	}
	// The inverse: 0.25 EUR ÷ 2 = 0.125 USD at 1 USD = 2 EUR.
	inv, _ := NewTable(rt("2025-01-01", "USD", "EUR", "2", ""))
	for _, c := range []struct{ a, want string }{{"0.25", "0.13"}, {"-0.25", "-0.13"}} {
		got, err := inv.Convert(money.MustParse(c.a, money.EUR), money.USD, on)
		if err != nil || got != money.MustParse(c.want, money.USD) {
			t.Errorf("%s EUR ÷ 2 = %v, %v; want %s USD", c.a, got, err, c.want)
		}
	}
}

func TestAdd(t *testing.T) {
	a := rt("2025-03-07", "EUR", "USD", "1.0830", "ECB")
	table, err := NewTable(a, rt("2025-03-06", "EUR", "USD", "1.0807", "ECB"))
	if err != nil {
		t.Fatal(err)
	}
	before := table.Rates()

	// The same rate again, with other digits and another source: skipped,
	// the first stays.
	if err := table.Add(rt("2025-03-07", "EUR", "USD", "1.083", "bank"), rt("2025-03-07", "EUR", "USD", "1.08300", "x")); err != nil {
		t.Fatalf("Add an equal rate: %v", err)
	}
	if diff := cmp.Diff(table.Rates(), before, rateOpts); diff != "" {
		t.Errorf("an equal rate changed the table (-got +want):\n%s", diff)
	}

	// A conflict, with a new rate beside it: nothing is added.
	err = table.Add(rt("2025-03-10", "EUR", "USD", "1.0857", "ECB"), rt("2025-03-07", "EUR", "USD", "1.0831", "bank"))
	if !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "EUR→USD on 2025-03-07: 1.0830 and 1.0831") {
		t.Errorf("conflict: %v", err)
	}
	// A conflict within one call.
	err = table.Add(rt("2025-03-11", "EUR", "JPY", "160.1", ""), rt("2025-03-11", "EUR", "JPY", "160.2", ""))
	if !errors.Is(err, ErrConflict) {
		t.Errorf("conflict within one Add: %v", err)
	}
	// An invalid rate.
	err = table.Add(rt("2025-03-12", "EUR", "GBP", "0.84", ""), rt("2025-03-12", "EUR", "GBP", "-0.84", ""))
	if !errors.Is(err, ErrInvalidRate) || !strings.Contains(err.Error(), "rate 2 (EUR→GBP on 2025-03-12)") {
		t.Errorf("invalid rate: %v", err)
	}
	if diff := cmp.Diff(table.Rates(), before, rateOpts); diff != "" {
		t.Errorf("a refused Add changed the table (-got +want):\n%s", diff)
	}
	if table.Len() != 2 {
		t.Errorf("Len = %d, want 2", table.Len())
	}

	// Rates are ordered by from, to and date, whatever the order added.
	if err := table.Add(rt("2025-03-05", "CHF", "EUR", "1.0493", ""), rt("2025-03-01", "EUR", "CHF", "0.94", ""), a); err != nil {
		t.Fatal(err)
	}
	want := []Rate{
		rt("2025-03-05", "CHF", "EUR", "1.0493", ""),
		rt("2025-03-01", "EUR", "CHF", "0.94", ""),
		rt("2025-03-06", "EUR", "USD", "1.0807", "ECB"),
		a,
	}
	if diff := cmp.Diff(table.Rates(), want, rateOpts); diff != "" {
		t.Errorf("Rates (-got +want):\n%s", diff)
	}
}

// TestConcurrent runs lookups beside Adds; with -race it checks that a
// lookup never sees a table half added.
func TestConcurrent(t *testing.T) {
	var table Table
	first := date.MustParse("2020-01-01")
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := range 200 {
			// Two rates at once: 1 EUR = 2 USD and 1 USD = 0.5 EUR.
			d := first.AddDays(i)
			r := rt(d.String(), "EUR", "USD", "2", "")
			s := rt(d.String(), "USD", "EUR", "0.5", "")
			if err := table.Add(r, s); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	go func() {
		defer wg.Done()
		for i := range 2000 {
			got, err := table.Convert(money.MustParse("10.00", money.EUR), money.USD, first.AddDays(i%250))
			if err != nil && !errors.Is(err, ErrNoRate) {
				t.Error(err)
				return
			}
			if err == nil && got != money.MustParse("20.00", money.USD) {
				t.Errorf("Convert = %v, want 20.00 USD", got)
				return
			}
		}
	}()
	wg.Wait()
	if table.Len() != 400 {
		t.Errorf("Len = %d, want 400", table.Len())
	}
}
