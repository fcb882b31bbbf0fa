package datev

import (
	"strings"
	"testing"

	"github.com/openbackoffice/backoffice/money"
)

// TestKurs works DATEV's Kurs out by hand: Umsatz ÷ Basis-Umsatz rounded
// half up to six decimals, written with two to six; DATEV converting back
// (Umsatz ÷ Kurs, to the cent) must give Basis-Umsatz, else the Notice
// says what it gives.
func TestKurs(t *testing.T) {
	m := func(s, cur string) money.Amount { return money.MustParse(s, money.MustParseCurrency(cur)) }
	for _, tc := range []struct {
		name           string
		amount, base   money.Amount
		kurs, umsatz   string
		notice, refuse string
	}{
		{"USD", m("11000.00", "USD"), m("9900.00", "EUR"), "1,111111", "11000,00", "", ""},
		{"exact, two decimals at least", m("100.00", "USD"), m("50.00", "EUR"), "2,00", "100,00", "", ""},
		{"JPY, no minor units", m("150000", "JPY"), m("900.00", "EUR"), "166,666667", "150000,00", "", ""},
		{"KWD, a third decimal of 0", m("1.230", "KWD"), m("3.69", "EUR"), "0,333333", "1,23",
			"0,333333 is below 1, which the expression DATEV publishes for Kurs (^([1-9]\\d{0,3}[,]\\d{2,6})$) does not admit", ""},
		// 1371742.10 / 1234567.89 = 1.11111111…: 1,111111 gives back
		// 1371742.10 / 1.111111 = 1234568.0135 → 1234568.01, and no six
		// decimals do better (1,111112 gives 1234566.90).
		{"large amount", m("1371742.10", "USD"), m("1234567.89", "EUR"), "1,111111", "1371742,10",
			"no Kurs of 6 decimals converts 1371742.10 USD to 1234567.89 EUR: 1371742.10 USD ÷ 1,111111 is 1234568.01 EUR; Basis-Umsatz carries 1234567.89 EUR as booked", ""},
		{"IDR: five digits before the comma", m("1000000.00", "IDR"), m("55.00", "EUR"), "", "1000000,00", "",
			"the rate 1000000.00 IDR ÷ 55.00 EUR = 18181,818182 has more than the 4 digits before the comma of DATEV's Kurs"},
		{"rate 0 at six decimals", m("0.01", "GBP"), m("100000.00", "EUR"), "", "0,01", "",
			"the rate 0.01 GBP ÷ 100000.00 EUR is 0 at 6 decimals, which DATEV's Kurs cannot hold"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, err := umsatz(tc.amount)
			if err != nil || u != tc.umsatz {
				t.Errorf("umsatz = %q, %v; want %q", u, err, tc.umsatz)
			}
			if back, err := parseUmsatz(u, tc.amount.Currency()); err != nil || !back.Equal(tc.amount) {
				t.Errorf("parseUmsatz(%q) = %v, %v; want %v", u, back, err, tc.amount)
			}
			k, what, err := kurs(tc.amount, tc.base)
			if tc.refuse != "" {
				if err == nil || err.Error() != tc.refuse {
					t.Errorf("kurs: %v, want %q", err, tc.refuse)
				}
				return
			}
			if err != nil || kursText(k) != tc.kurs || what != tc.notice {
				t.Errorf("kurs = %s, %q, %v; want %s, %q", kursText(k), what, err, tc.kurs, tc.notice)
			}
			_, frac, _ := strings.Cut(tc.kurs, ",")
			if back, n, err := parseKurs(kursText(k)); err != nil || !back.Equal(k) || n != len(frac) {
				t.Errorf("parseKurs(%q) = %s, %d, %v", kursText(k), back, n, err)
			}
		})
	}
}

// TestUmsatzRefused: amounts DATEV's two decimals cannot hold.
func TestUmsatzRefused(t *testing.T) {
	if s, err := umsatz(money.MustParse("1.234", money.MustParseCurrency("KWD"))); err == nil {
		t.Errorf("umsatz(1.234 KWD) = %q, want an error", s)
	}
	for _, s := range []string{"1000,50", "1000,", "1.000,00", "-5,00"} {
		if a, err := parseUmsatz(s, money.JPY); err == nil {
			t.Errorf("parseUmsatz(%q, JPY) = %v, want an error", s, a)
		}
	}
	for _, s := range []string{"0,000000", "1", "12345,1", "1,1234567", "1.5"} {
		if k, _, err := parseKurs(s); err == nil {
			t.Errorf("parseKurs(%q) = %s, want an error", s, k)
		}
	}
}
