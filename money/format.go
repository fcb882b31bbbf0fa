package money

import (
	"math"
	"unicode/utf8"
)

// Format describes how amounts are written as numbers: the decimal
// separator and the digit-group separator. Group 0 means no grouping:
// Amount.Format emits none and ParseFormat accepts none.
//
// A Format is valid when Decimal is a valid rune other than 0, U+FFFD, the
// digits 0–9, '+' and '-', and Group is 0 or such a rune different from Decimal.
// A Format is a plain value, safe for concurrent use.
type Format struct {
	Decimal rune // decimal separator, such as '.' or ','
	Group   rune // digit-group (thousands) separator, or 0 for none
}

// Predefined formats. They are values, not settings: never assign to them.
var (
	// Plain is the canonical form used by Parse, Amount.Number, JSON and
	// SQL: 1234.56.
	Plain = Format{Decimal: '.'}
	// English groups with commas: 1,234.56.
	English = Format{Decimal: '.', Group: ','}
	// German groups with full stops: 1.234,56.
	German = Format{Decimal: ',', Group: '.'}
)

// valid reports whether f can be parsed unambiguously.
func (f Format) valid() bool {
	ok := func(r rune) bool {
		return r > 0 && utf8.ValidRune(r) && r != utf8.RuneError &&
			(r < '0' || r > '9') && r != '+' && r != '-'
	}
	return ok(f.Decimal) && (f.Group == 0 || ok(f.Group) && f.Group != f.Decimal)
}

// pow10 holds the powers of ten that fit in a uint64 below 2^63.
var pow10 = [...]uint64{
	1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
	100_000_000, 1_000_000_000, 10_000_000_000, 100_000_000_000,
	1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000,
	1_000_000_000_000_000, 10_000_000_000_000_000, 100_000_000_000_000_000,
	1_000_000_000_000_000_000,
}

// Parse parses an amount written in the Plain format: an optional sign,
// one or more digits, and optionally a '.' followed by one or more digits:
// "1234.56", "-0.5", "+3", "12". Grouping, exponents, spaces, a missing
// leading digit (".5") and a trailing point ("1.") are syntax errors.
//
// Digits beyond the currency's minor units are accepted only if they are
// zero ("1.230" is 1.23 EUR); otherwise Parse fails with ErrScale rather
// than round. Errors are *ParseError values wrapping ErrSyntax, ErrScale or
// ErrOverflow; they give the byte position, never the input. If c is the
// zero Currency, Parse fails with ErrNoCurrency.
func Parse(s string, c Currency) (Amount, error) {
	return parse(s, c, Plain)
}

// MustParse is like Parse but panics on error. It is meant for constants
// in code, tests and examples.
func MustParse(s string, c Currency) Amount {
	a, err := Parse(s, c)
	if err != nil {
		panic(err)
	}
	return a
}

// ParseFormat is like Parse for numbers written in format f, such as
// "-1.234.567,89" in German. Group separators are optional, but where used
// they must be well formed: one to three leading digits, then groups of
// exactly three ("1.234.567,89" and "1234567,89" are accepted, "12.34,5"
// and "1.2345" are not). Group separators may not appear in the fraction.
// An invalid Format is reported as ErrSyntax.
func ParseFormat(s string, c Currency, f Format) (Amount, error) {
	return parse(s, c, f)
}

func syntaxError(pos int, reason string) error {
	return &ParseError{Pos: pos, Reason: reason, Err: ErrSyntax}
}

func parse(s string, c Currency, f Format) (Amount, error) {
	if c.IsZero() {
		return Amount{}, ErrNoCurrency
	}
	if !f.valid() {
		return Amount{}, syntaxError(0, "invalid Format")
	}

	// Pass 1: syntax. Find the integer digits s[intStart:intEnd] (which
	// may contain group separators) and the fraction s[fracStart:].
	pos := 0
	neg := false
	if pos < len(s) && (s[pos] == '+' || s[pos] == '-') {
		neg = s[pos] == '-'
		pos++
	}
	intStart := pos
	run := 0         // digits since the start or the last group separator
	grouped := false // a group separator was seen
	for pos < len(s) {
		ch := s[pos]
		if '0' <= ch && ch <= '9' {
			run++
			pos++
			continue
		}
		if f.Group == 0 {
			break
		}
		r, size := rune(ch), 1
		if ch >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[pos:])
		}
		if r != f.Group {
			break
		}
		switch {
		case run == 0:
			return Amount{}, syntaxError(pos, "digit expected before group separator")
		case !grouped && run > 3:
			return Amount{}, syntaxError(pos, "more than three digits before group separator")
		case grouped && run != 3:
			return Amount{}, syntaxError(pos, "digit group must have three digits")
		}
		grouped = true
		run = 0
		pos += size
	}
	intEnd := pos
	if run == 0 {
		return Amount{}, syntaxError(pos, "digit expected")
	}
	if grouped && run != 3 {
		return Amount{}, syntaxError(pos, "digit group must have three digits")
	}
	fracStart, fracEnd := pos, pos
	if pos < len(s) {
		r, size := utf8.DecodeRuneInString(s[pos:])
		if r != f.Decimal {
			return Amount{}, syntaxError(pos, "unexpected character")
		}
		pos += size
		fracStart = pos
		for pos < len(s) && '0' <= s[pos] && s[pos] <= '9' {
			pos++
		}
		fracEnd = pos
		if fracEnd == fracStart {
			return Amount{}, syntaxError(pos, "digit expected after decimal separator")
		}
		if pos < len(s) {
			return Amount{}, syntaxError(pos, "unexpected character")
		}
	}

	// Pass 2: value, in minor units.
	const maxDiv10, maxMod10 = math.MaxInt64 / 10, math.MaxInt64 % 10
	overflow := func() error { return &ParseError{Pos: intStart, Err: ErrOverflow} }
	var v uint64
	for i := intStart; i < intEnd; i++ {
		d := uint64(s[i]) - '0'
		if d > 9 {
			continue // group separator byte
		}
		if v > maxDiv10 || v == maxDiv10 && d > maxMod10 {
			return Amount{}, overflow()
		}
		v = v*10 + d
	}
	mu := c.MinorUnits()
	for i := fracStart; i < fracEnd; i++ {
		d := uint64(s[i]) - '0'
		if i-fracStart >= mu {
			if d != 0 {
				return Amount{}, &ParseError{Pos: i, Reason: "non-zero digit beyond the currency's minor units", Err: ErrScale}
			}
			continue
		}
		if v > maxDiv10 || v == maxDiv10 && d > maxMod10 {
			return Amount{}, overflow()
		}
		v = v*10 + d
	}
	if missing := mu - (fracEnd - fracStart); missing > 0 {
		p := pow10[missing]
		if v > math.MaxInt64/p {
			return Amount{}, overflow()
		}
		v *= p
	}
	n := int64(v)
	if neg {
		n = -n
	}
	return Amount{cur: c, n: n}, nil
}

// String returns a with exactly as many decimals as its currency has,
// followed by a space and the currency code: "1234.56 EUR", "-0.05 EUR",
// "1200 JPY", "0.000 BHD". The zero Amount is "0".
func (a Amount) String() string {
	var buf [64]byte
	b := a.appendNumber(buf[:0], Plain)
	if !a.cur.IsZero() {
		b = append(b, ' ')
		b = a.cur.appendCode(b)
	}
	return string(b)
}

// Number returns a as exact decimal text without currency, with exactly
// as many decimals as the currency has: "1234.56", "-0.05", "1200". It is
// the Plain format, which Parse reads back.
func (a Amount) Number() string {
	var buf [48]byte
	return string(a.appendNumber(buf[:0], Plain))
}

// Format returns a as a number in format f, without currency: in German,
// -1234.56 EUR is "-1.234,56". ParseFormat with the same format reads it
// back.
func (a Amount) Format(f Format) string {
	var buf [96]byte
	return string(a.appendNumber(buf[:0], f))
}

// appendNumber appends a's number in format f to b.
func (a Amount) appendNumber(b []byte, f Format) []byte {
	if a.n < 0 {
		b = append(b, '-')
	}
	u := abs64(a.n)
	mu := a.cur.MinorUnits()
	ip, fp := u/pow10[mu], u%pow10[mu]

	var digits [20]byte
	i := len(digits)
	for {
		i--
		digits[i] = byte('0' + ip%10)
		ip /= 10
		if ip == 0 {
			break
		}
	}
	intDigits := digits[i:]
	if f.Group == 0 {
		b = append(b, intDigits...)
	} else {
		lead := len(intDigits) % 3
		if lead == 0 {
			lead = 3
		}
		b = append(b, intDigits[:lead]...)
		for j := lead; j < len(intDigits); j += 3 {
			b = utf8.AppendRune(b, f.Group)
			b = append(b, intDigits[j:j+3]...)
		}
	}
	if mu > 0 {
		b = utf8.AppendRune(b, f.Decimal)
		for k := mu - 1; k >= 0; k-- {
			b = append(b, byte('0'+fp/pow10[k]%10))
		}
	}
	return b
}
