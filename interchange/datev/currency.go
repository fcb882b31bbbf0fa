package datev

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/money"
)

// Foreign-currency bookings. DATEV's format description of the
// Buchungsstapel (developer.datev.de, "DATEV-Format › Buchungsstapel",
// fields 1 to 6) defines them so:
//
//   - Umsatz (1): the amount, positive, two decimals
//     (^(?!0{1,10}\,00)\d{1,10}\,\d{2}$), in the currency of WKZ Umsatz.
//   - WKZ Umsatz (3): the ISO code of the currency of Umsatz; the
//     header's WKZ if empty.
//   - Kurs (4): "Wenn ein Umsatz in der Fremdwährung bei #1 angegeben
//     wird, sind #4, #5 und #6 zu übergeben. Der Fremdwährungskurs
//     (WKZ-Umsatz : WKZ-Basisumsatz) bestimmt, wie der angegebene Umsatz,
//     der in Fremdwährung übergeben wird, in die Basiswährung umzurechnen
//     ist" — units of the foreign currency per unit of the base currency
//     (the euro's Mengennotierung, 1 EUR = 1,111111 USD), at most four
//     digits before and six after the comma, never 0
//     (^([1-9]\d{0,3}[,]\d{2,6})$).
//   - Basis-Umsatz (5): the amount in the base currency, two decimals;
//     with it WKZ Basis-Umsatz (6), the base currency's ISO code.
//
// So a converted line (ledger.Line.Base) is written with Umsatz its
// amount in the foreign currency, WKZ Umsatz that currency, Basis-Umsatz
// its base amount in the book's currency (what the Finanzbuchhaltung
// books) and Kurs = Umsatz ÷ Basis-Umsatz to six decimals: the inverse of
// the ledger's implied rate Base ÷ Amount. DATEV converting back,
// Umsatz ÷ Kurs rounded to the cent, must give Basis-Umsatz again; where
// no Kurs of six decimals does (large amounts at a rate of more
// decimals), the booking keeps its base amount in Basis-Umsatz and a
// Notice says so.

// kursDecimals is the number of decimals DATEV's Kurs holds.
const kursDecimals = 6

// maxKurs bounds the Kurs: four digits before the comma.
var maxKurs = decimal.New(10000, 0)

var bigTen = big.NewInt(10)

func pow10(n int) *big.Int { return new(big.Int).Exp(bigTen, big.NewInt(int64(n)), nil) }

// quoteRate returns amount ÷ base rounded half up to decimals places: the
// foreign units per unit of the base currency. Both amounts are positive.
func quoteRate(amount, base money.Amount, decimals int) decimal.Decimal {
	// (a / 10^ua) / (b / 10^ub) × 10^d = a × 10^(ub+d) / (b × 10^ua).
	num := new(big.Int).Mul(big.NewInt(amount.MinorUnits()), pow10(base.Currency().MinorUnits()+decimals))
	den := new(big.Int).Mul(big.NewInt(base.MinorUnits()), pow10(amount.Currency().MinorUnits()))
	// Half up: floor((2·num + den) / (2·den)).
	num.Lsh(num, 1).Add(num, den)
	den.Lsh(den, 1)
	return decimal.NewFromBigInt(num.Quo(num, den), int32(-decimals))
}

// kurs returns DATEV's Kurs for a booking of amount (in a foreign
// currency) that books base (in the book's currency), both positive, with
// a description of what is wrong with it, or "" if nothing is: DATEV
// converting amount back at the Kurs (÷, rounded half up to the cent) gets
// base. An error means no Kurs can be written at all: the rate is 10000 or
// more, or rounds to 0 at six decimals.
func kurs(amount, base money.Amount) (decimal.Decimal, string, error) {
	k := quoteRate(amount, base, kursDecimals)
	switch {
	case k.Sign() == 0:
		return k, "", fmt.Errorf("the rate %s ÷ %s is 0 at %d decimals, which DATEV's Kurs cannot hold", amount, base, kursDecimals)
	case k.Cmp(maxKurs) >= 0:
		return k, "", fmt.Errorf("the rate %s ÷ %s = %s has more than the 4 digits before the comma of DATEV's Kurs", amount, base, kursText(k))
	}
	back, err := amount.ConvertInverse(base.Currency(), k, money.HalfUp)
	if err != nil {
		return k, "", err
	}
	var what []string
	if !back.Equal(base) {
		what = append(what, fmt.Sprintf("no Kurs of %d decimals converts %s to %s: %s ÷ %s is %s; Basis-Umsatz carries %s as booked",
			kursDecimals, amount, base, amount, kursText(k), back, base))
	}
	if k.LessThan(decimal.New(1, 0)) {
		what = append(what, fmt.Sprintf("%s is below 1, which the expression DATEV publishes for Kurs (^([1-9]\\d{0,3}[,]\\d{2,6})$) does not admit", kursText(k)))
	}
	return k, strings.Join(what, "; "), nil
}

// kursText writes a Kurs with a decimal comma and two to six decimals:
// 1,111111, 2,00.
func kursText(k decimal.Decimal) string {
	s := k.StringFixed(kursDecimals)
	whole, frac, _ := strings.Cut(s, ".")
	frac = strings.TrimRight(frac, "0")
	for len(frac) < 2 {
		frac += "0"
	}
	return whole + "," + frac
}

// parseKurs reads a Kurs: digits, a decimal comma and one to six
// decimals, positive, below 10000. It returns the rate and its number of
// decimals.
func parseKurs(s string) (decimal.Decimal, int, error) {
	whole, frac, ok := strings.Cut(s, ",")
	if !ok || whole == "" || len(whole) > 4 || !digits(whole) || frac == "" || len(frac) > kursDecimals || !digits(frac) {
		return decimal.Decimal{}, 0, fmt.Errorf("want a rate with a decimal comma, at most 4 digits before it and 6 after, like 1,085600")
	}
	k, err := decimal.NewFromString(whole + "." + frac)
	if err != nil || k.Sign() == 0 {
		return decimal.Decimal{}, 0, fmt.Errorf("the rate is zero")
	}
	return k, len(frac), nil
}

// umsatzDecimals is the number of decimals of Umsatz and Basis-Umsatz.
const umsatzDecimals = 2

// umsatz writes the absolute value of a as DATEV's Umsatz takes it: a
// decimal comma and exactly two decimals, whatever the currency's minor
// units (1000 JPY is 1000,00). An amount with a third decimal other than
// 0 (1,234 KWD) cannot be written: an error.
func umsatz(a money.Amount) (string, error) {
	s := amount(a)
	u := a.Currency().MinorUnits()
	switch {
	case u == umsatzDecimals:
		return s, nil
	case u < umsatzDecimals:
		if u == 0 {
			s += ","
		}
		return s + strings.Repeat("0", umsatzDecimals-u), nil
	}
	if strings.Trim(s[len(s)-(u-umsatzDecimals):], "0") != "" {
		return "", fmt.Errorf("%s has more decimals than the %d of DATEV's Umsatz", a.Abs(), umsatzDecimals)
	}
	return s[:len(s)-(u-umsatzDecimals)], nil
}

// parseUmsatz reads an Umsatz in currency c: digits, a decimal comma and
// at most two decimals, positive; decimals beyond c's minor units must be
// 0 (1000,00 JPY is 1000 yen, 1000,50 JPY is refused).
func parseUmsatz(s string, c money.Currency) (money.Amount, error) {
	u := c.MinorUnits()
	if u >= umsatzDecimals {
		return parseAmount(s, c)
	}
	whole, frac, ok := strings.Cut(s, ",")
	if ok && (frac == "" || len(frac) > umsatzDecimals || !digits(frac)) {
		return money.Amount{}, fmt.Errorf("want a positive amount with a decimal comma and at most %d decimals, like 1234,56", umsatzDecimals)
	}
	if len(frac) > u {
		if strings.Trim(frac[u:], "0") != "" {
			return money.Amount{}, fmt.Errorf("%s has only %d decimals", c.Code(), u)
		}
		frac = frac[:u]
	}
	if frac == "" {
		return parseAmount(whole, c)
	}
	return parseAmount(whole+","+frac, c)
}
