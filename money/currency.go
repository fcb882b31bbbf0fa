package money

import "fmt"

// Currency identifies a currency and the number of its minor units
// (decimal places): EUR has 2, JPY 0, BHD 3. It is a comparable 8-byte value
// (== is one machine-word compare); two Currency values are == exactly when
// code and minor units agree. The zero Currency means "no currency".
//
// Obtain ISO 4217 currencies from the package variables (EUR, USD, ...),
// ParseCurrency or ISOCurrencies; custom currencies (loyalty points, a
// crypto unit) from NewCurrency or Registry.Register.
//
// A Currency is immutable and safe for concurrent use.
type Currency struct {
	// v packs the code and the minor units into one word, so that
	// Currency (and Amount) stay in registers: byte i of the code (1–7
	// bytes, NUL padded) is bits 8i to 8i+7, the minor units (0–18) are
	// bits 56 to 63. An [8]byte would be the same size, but the compiler
	// keeps arrays in memory, which made Amount.Add ten times slower.
	v uint64
}

// maxMinorUnits is the largest number of minor units a Currency may have:
// 10^18 is the largest power of ten below math.MaxInt64.
const maxMinorUnits = 18

// maxCodeLen is the longest currency code a Currency can hold.
const maxCodeLen = 7

// The exported ISO 4217 currencies. They are values, not settings: never
// assign to them. Every other ISO currency is available from ParseCurrency.
var (
	// EUR is the euro (2 minor units).
	EUR = Currency{'E' | 'U'<<8 | 'R'<<16 | 2<<56}
	// USD is the US dollar (2 minor units).
	USD = Currency{'U' | 'S'<<8 | 'D'<<16 | 2<<56}
	// GBP is the pound sterling (2 minor units).
	GBP = Currency{'G' | 'B'<<8 | 'P'<<16 | 2<<56}
	// CHF is the Swiss franc (2 minor units).
	CHF = Currency{'C' | 'H'<<8 | 'F'<<16 | 2<<56}
	// JPY is the Japanese yen (no minor unit).
	JPY = Currency{'J' | 'P'<<8 | 'Y'<<16 | 0<<56}
	// SEK is the Swedish krona (2 minor units).
	SEK = Currency{'S' | 'E'<<8 | 'K'<<16 | 2<<56}
	// NOK is the Norwegian krone (2 minor units).
	NOK = Currency{'N' | 'O'<<8 | 'K'<<16 | 2<<56}
	// DKK is the Danish krone (2 minor units).
	DKK = Currency{'D' | 'K'<<8 | 'K'<<16 | 2<<56}
	// PLN is the Polish złoty (2 minor units).
	PLN = Currency{'P' | 'L'<<8 | 'N'<<16 | 2<<56}
	// CZK is the Czech koruna (2 minor units).
	CZK = Currency{'C' | 'Z'<<8 | 'K'<<16 | 2<<56}
	// HUF is the Hungarian forint (2 minor units).
	HUF = Currency{'H' | 'U'<<8 | 'F'<<16 | 2<<56}
	// RON is the Romanian leu (2 minor units).
	RON = Currency{'R' | 'O'<<8 | 'N'<<16 | 2<<56}
	// ISK is the Icelandic króna (no minor unit).
	ISK = Currency{'I' | 'S'<<8 | 'K'<<16 | 0<<56}
	// TRY is the Turkish lira (2 minor units).
	TRY = Currency{'T' | 'R'<<8 | 'Y'<<16 | 2<<56}
	// CAD is the Canadian dollar (2 minor units).
	CAD = Currency{'C' | 'A'<<8 | 'D'<<16 | 2<<56}
	// AUD is the Australian dollar (2 minor units).
	AUD = Currency{'A' | 'U'<<8 | 'D'<<16 | 2<<56}
	// NZD is the New Zealand dollar (2 minor units).
	NZD = Currency{'N' | 'Z'<<8 | 'D'<<16 | 2<<56}
	// CNY is the Chinese yuan renminbi (2 minor units).
	CNY = Currency{'C' | 'N'<<8 | 'Y'<<16 | 2<<56}
	// HKD is the Hong Kong dollar (2 minor units).
	HKD = Currency{'H' | 'K'<<8 | 'D'<<16 | 2<<56}
	// SGD is the Singapore dollar (2 minor units).
	SGD = Currency{'S' | 'G'<<8 | 'D'<<16 | 2<<56}
	// KRW is the South Korean won (no minor unit).
	KRW = Currency{'K' | 'R'<<8 | 'W'<<16 | 0<<56}
	// INR is the Indian rupee (2 minor units).
	INR = Currency{'I' | 'N'<<8 | 'R'<<16 | 2<<56}
	// VND is the Vietnamese đồng (no minor unit).
	VND = Currency{'V' | 'N'<<8 | 'D'<<16 | 0<<56}
	// MXN is the Mexican peso (2 minor units).
	MXN = Currency{'M' | 'X'<<8 | 'N'<<16 | 2<<56}
	// BRL is the Brazilian real (2 minor units).
	BRL = Currency{'B' | 'R'<<8 | 'L'<<16 | 2<<56}
	// CLP is the Chilean peso (no minor unit).
	CLP = Currency{'C' | 'L'<<8 | 'P'<<16 | 0<<56}
	// CLF is the Chilean unidad de fomento (4 minor units).
	CLF = Currency{'C' | 'L'<<8 | 'F'<<16 | 4<<56}
	// UYW is the Uruguayan unidad previsional (4 minor units).
	UYW = Currency{'U' | 'Y'<<8 | 'W'<<16 | 4<<56}
	// ZAR is the South African rand (2 minor units).
	ZAR = Currency{'Z' | 'A'<<8 | 'R'<<16 | 2<<56}
	// ILS is the Israeli new shekel (2 minor units).
	ILS = Currency{'I' | 'L'<<8 | 'S'<<16 | 2<<56}
	// AED is the UAE dirham (2 minor units).
	AED = Currency{'A' | 'E'<<8 | 'D'<<16 | 2<<56}
	// SAR is the Saudi riyal (2 minor units).
	SAR = Currency{'S' | 'A'<<8 | 'R'<<16 | 2<<56}
	// BHD is the Bahraini dinar (3 minor units).
	BHD = Currency{'B' | 'H'<<8 | 'D'<<16 | 3<<56}
	// KWD is the Kuwaiti dinar (3 minor units).
	KWD = Currency{'K' | 'W'<<8 | 'D'<<16 | 3<<56}
	// OMR is the Omani rial (3 minor units).
	OMR = Currency{'O' | 'M'<<8 | 'R'<<16 | 3<<56}
	// JOD is the Jordanian dinar (3 minor units).
	JOD = Currency{'J' | 'O'<<8 | 'D'<<16 | 3<<56}
	// TND is the Tunisian dinar (3 minor units).
	TND = Currency{'T' | 'N'<<8 | 'D'<<16 | 3<<56}
	// LYD is the Libyan dinar (3 minor units).
	LYD = Currency{'L' | 'Y'<<8 | 'D'<<16 | 3<<56}
	// IQD is the Iraqi dinar (3 minor units).
	IQD = Currency{'I' | 'Q'<<8 | 'D'<<16 | 3<<56}
)

// NewCurrency returns the currency with the given code and minor units,
// for custom currencies that ISO 4217 does not list. The code must be 1–7
// characters A–Z or 0–9 and minorUnits between 0 and 18; otherwise the
// error wraps ErrInvalidCurrency. An ISO 4217 code is accepted only with
// its ISO minor units (NewCurrency("EUR", 2) == EUR), so that a code always
// means one currency.
//
// Prefer a Registry when codes come from input or configuration.
func NewCurrency(code string, minorUnits int) (Currency, error) {
	if !validCode(code) {
		return Currency{}, fmt.Errorf("money: currency code must be 1-7 characters A-Z or 0-9: %w", ErrInvalidCurrency)
	}
	if minorUnits < 0 || minorUnits > maxMinorUnits {
		return Currency{}, fmt.Errorf("money: currency %s: minor units must be 0-%d: %w", code, maxMinorUnits, ErrInvalidCurrency)
	}
	if iso, ok := isoLookup(code); ok && iso != minorUnits {
		return Currency{}, fmt.Errorf("money: currency %s: ISO 4217 gives %d minor units, not %d: %w", code, iso, minorUnits, ErrInvalidCurrency)
	}
	return makeCurrency(code, minorUnits), nil
}

// makeCurrency builds a Currency from a code already checked by validCode
// and minor units in range.
func makeCurrency(code string, minorUnits int) Currency {
	var v uint64
	for i := 0; i < len(code) && i < maxCodeLen; i++ {
		v |= uint64(code[i]) << (8 * i)
	}
	return Currency{v | uint64(minorUnits)<<56}
}

// validCode reports whether code is 1–7 characters A–Z or 0–9.
func validCode(code string) bool {
	if len(code) == 0 || len(code) > maxCodeLen {
		return false
	}
	for i := 0; i < len(code); i++ {
		ch := code[i]
		if (ch < 'A' || ch > 'Z') && (ch < '0' || ch > '9') {
			return false
		}
	}
	return true
}

// ParseCurrency returns the ISO 4217 currency with the given alphabetic
// code, which must be upper case ("EUR", not "eur"). For a code not in the
// table the error wraps ErrUnknownCurrency. Use a Registry to also resolve
// custom currencies.
func ParseCurrency(code string) (Currency, error) {
	mu, ok := isoLookup(code)
	if !ok {
		return Currency{}, unknownCurrency(code)
	}
	return makeCurrency(code, mu), nil
}

// unknownCurrency returns an error wrapping ErrUnknownCurrency. It names
// the code only when the code is well formed, so that arbitrary input
// never reaches an error string.
func unknownCurrency(code string) error {
	if validCode(code) {
		return fmt.Errorf("money: currency %s: %w", code, ErrUnknownCurrency)
	}
	return fmt.Errorf("money: malformed currency code: %w", ErrUnknownCurrency)
}

// MustParseCurrency is like ParseCurrency but panics if code is not an ISO
// 4217 code. It is meant for constants in code and tests.
func MustParseCurrency(code string) Currency {
	c, err := ParseCurrency(code)
	if err != nil {
		panic(err)
	}
	return c
}

// Code returns the currency code, such as "EUR", or "" for the zero
// Currency.
func (c Currency) Code() string {
	var buf [maxCodeLen]byte
	return string(c.appendCode(buf[:0]))
}

// appendCode appends the currency code to b.
func (c Currency) appendCode(b []byte) []byte {
	for i := 0; i < maxCodeLen; i++ {
		ch := byte(c.v >> (8 * i))
		if ch == 0 {
			break
		}
		b = append(b, ch)
	}
	return b
}

// MinorUnits returns the number of decimal places of the currency: 2 for
// EUR, 0 for JPY, 3 for BHD.
func (c Currency) MinorUnits() int { return int(c.v >> 56) }

// IsZero reports whether c is the zero Currency, meaning no currency.
func (c Currency) IsZero() bool { return c == Currency{} }

// String returns the currency code, or "" for the zero Currency.
func (c Currency) String() string { return c.Code() }

// MarshalText implements encoding.TextMarshaler: the code, such as "EUR".
// The zero Currency encodes as empty text.
func (c Currency) MarshalText() ([]byte, error) {
	return []byte(c.Code()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler. It accepts ISO 4217
// codes; a custom code is accepted only if *c already holds a currency
// with that code (decode into a value preset from a Registry). Empty text
// decodes to the zero Currency, mirroring MarshalText.
func (c *Currency) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*c = Currency{}
		return nil
	}
	cur, err := resolve(string(text), *c)
	if err != nil {
		return err
	}
	*c = cur
	return nil
}

// resolve returns the ISO currency with the given code, or hint if it is
// a (custom) currency with that code.
func resolve(code string, hint Currency) (Currency, error) {
	if !hint.IsZero() && hint.Code() == code {
		return hint, nil
	}
	return ParseCurrency(code)
}
