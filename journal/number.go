package journal

import (
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/money"
)

// amount parses an amount with its commodity.
func (p *parser) amount(s string) (money.Amount, error) {
	a, _, err := p.amountCom(s)
	return a, err
}

// amountStyle parses an amount and returns its style too.
func (p *parser) amountStyle(s string) (money.Amount, Style, error) {
	plain, cur, st, err := p.numberStyle(s)
	if err != nil || cur.IsZero() {
		return money.Amount{}, st, err
	}
	a, err := money.Parse(plain, cur)
	return a, st, err
}

// amountCom parses an amount and returns the commodity as written too.
// The number is read with the decimal mark of the commodity's directive,
// else of the decimal-mark directive, else as hledger reads an undeclared
// number, refusing the ambiguous ones (see plainNumber).
func (p *parser) amountCom(s string) (money.Amount, string, error) {
	plain, cur, written, err := p.number(s)
	if err != nil || cur.IsZero() {
		return money.Amount{}, written, err
	}
	a, err := money.Parse(plain, cur)
	return a, written, err
}

// decimalCom parses a price: a number with a currency, read as amountCom
// reads amounts but kept exactly as written, however many decimals it has
// ("0.923456 EUR", "1.0830 USD").
func (p *parser) decimalCom(s string) (decimal.Decimal, money.Currency, error) {
	plain, cur, _, err := p.number(s)
	if err != nil {
		return decimal.Decimal{}, money.Currency{}, err
	}
	if cur.IsZero() {
		return decimal.Decimal{}, money.Currency{}, errors.New("no commodity")
	}
	d, err := decimal.NewFromString(plain)
	if err != nil {
		return decimal.Decimal{}, money.Currency{}, fmt.Errorf("malformed number %q", truncate(plain, 20))
	}
	return d, cur, nil
}

// number parses an amount into its plain number ('.' as the decimal mark,
// signed, no digit groups), its currency and its commodity as written. A
// bare zero ("0") has no currency.
func (p *parser) number(s string) (plain string, cur money.Currency, written string, err error) {
	plain, cur, st, err := p.numberStyle(s)
	return plain, cur, st.Commodity, err
}

// numberStyle is number, returning the amount's style (its Commodity the
// commodity as written) rather than just the commodity.
func (p *parser) numberStyle(s string) (plain string, cur money.Currency, st Style, err error) {
	var written string
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = strings.TrimSpace(s[1:])
	}
	amount := s
	var com, num string
	if s == "" {
		return "", cur, st, errors.New("missing")
	}
	if c := s[0]; c >= '0' && c <= '9' {
		i := numberEnd(s)
		num, com = s[:i], strings.TrimSpace(s[i:])
		st.Right, st.Space = true, i < len(s) && (s[i] == ' ' || s[i] == '\t')
	} else {
		i := commodityEnd(s)
		if i == 0 {
			return "", cur, st, errors.New("no commodity or number")
		}
		st.Space = i < len(s) && (s[i] == ' ' || s[i] == '\t')
		com, s = s[:i], strings.TrimSpace(s[i:])
		if s != "" && (s[0] == '-' || s[0] == '+') {
			if neg {
				return "", cur, st, errors.New("two signs")
			}
			neg = s[0] == '-'
			s = strings.TrimSpace(s[1:])
		}
		num = s
		if num == "" || numberEnd(num) != len(num) {
			return "", cur, st, fmt.Errorf("malformed number %q", truncate(num, 20))
		}
	}
	com = strings.Trim(com, `"`)
	written = com
	if com == "" {
		if strings.Trim(num, "0., ") == "" && num != "" {
			return "0", cur, st, nil // a bare zero, as in "0 = EUR 10.00"
		}
		if p.sc.defaultCur.IsZero() {
			return "", cur, st, errors.New("no commodity (write EUR 10.00, or declare a default with D)")
		}
		cur, written = p.sc.defaultCur, p.sc.defaultCom
		if p.dObs != nil { // hledger places it as the default commodity's amount
			st.Right, st.Space = p.dObs.st.Right, p.dObs.st.Space
		}
	} else {
		iso := com
		if c, ok := symbols[com]; ok {
			iso = c
		}
		c, err := money.ParseCurrency(iso)
		if err != nil {
			if strings.ContainsAny(com, "0123456789") {
				return "", cur, st, fmt.Errorf("%w: %q: the number %q, then %q, which is no commodity (digits are grouped by one '.', ',' or space)", ErrSyntax, truncate(amount, 30), truncate(num, 20), truncate(com, 16))
			}
			return "", cur, st, fmt.Errorf("%w: commodity %q is not an ISO 4217 currency", ErrUnsupported, truncate(com, 16))
		}
		cur = c
	}
	dm, ok := p.styles[written]
	if !ok {
		dm = p.sc.decimal
	}
	st.Commodity = written
	plain, st.Mark, st.Group, err = parseNumber(num, dm)
	if err != nil {
		return "", money.Currency{}, st, err
	}
	if _, frac, ok := strings.Cut(plain, "."); ok {
		st.Precision = len(frac)
	}
	if neg {
		plain = "-" + plain
	}
	return plain, cur, st, nil
}

// numberEnd returns the length of the number at the start of s: digits,
// '.', ',' and single spaces between digits (digit groups).
func numberEnd(s string) int {
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c >= '0' && c <= '9' || c == '.' || c == ',':
			i++
		case c == ' ' && i > 0 && s[i-1] >= '0' && s[i-1] <= '9' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			i++
		default:
			return i
		}
	}
	return i
}

// commodityEnd returns the length of the commodity at the start of s.
func commodityEnd(s string) int {
	if s[0] == '"' {
		if i := strings.IndexByte(s[1:], '"'); i >= 0 {
			return i + 2
		}
		return 0
	}
	for sym := range symbols {
		if strings.HasPrefix(s, sym) {
			return len(sym)
		}
	}
	i := 0
	for i < len(s) && (s[i] >= 'A' && s[i] <= 'Z' || s[i] >= 'a' && s[i] <= 'z') {
		i++
	}
	return i
}

// plainNumber returns the number s with its digit groups removed and '.' as
// its decimal mark. dm is the declared decimal mark ('.' or ','), whose
// other mark and spaces then group digits; 0 means undeclared, and s is read
// as hledger reads it: of two marks the last is the decimal mark, a mark
// that occurs several times groups digits, and a single mark is the decimal
// mark, except that a single mark followed by exactly three digits
// ("1,500", "1.500") is refused as ambiguous, hledger's reading (1.5) being
// the opposite of many a writer's; after a zero ("0.925", a unit cost) it
// can only be a decimal mark, as no digit group starts with 0. Digit groups other than the first must
// have three digits.
func plainNumber(s string, dm byte) (string, error) {
	plain, _, _, err := parseNumber(s, dm)
	return plain, err
}

// parseNumber is plainNumber, returning the decimal mark the number shows
// (0 if none) and its digit group mark (0 if none) too.
func parseNumber(s string, dm byte) (plain string, mark, group byte, err error) {
	if s == "" {
		return "", 0, 0, errors.New("missing number")
	}
	if dm == 0 {
		dot, comma := strings.LastIndexByte(s, '.'), strings.LastIndexByte(s, ',')
		switch {
		case dot >= 0 && comma >= 0:
			dm = '.'
			if comma > dot {
				dm = ','
			}
		case dot < 0 && comma < 0:
			dm = '.'
		default:
			m := byte('.')
			i := dot
			if comma >= 0 {
				m, i = ',', comma
			}
			if strings.Count(s, string(m)) > 1 {
				dm = other(m) // "1,000,000": only group marks
				break
			}
			if len(s)-i-1 == 3 && !strings.Contains(s, " ") && strings.TrimLeft(s[:i], "0") != "" {
				return "", 0, 0, fmt.Errorf("%w %q: hledger reads it as %s; declare the decimal mark (decimal-mark %c, or a commodity directive such as \"commodity 1.000,00 EUR\")",
					ErrAmbiguous, s, strings.ReplaceAll(s, string(m), "."), m)
			}
			dm = m
		}
	}
	intPart, frac, hasDec := strings.Cut(s, string(dm))
	if strings.ContainsAny(frac, ".,") {
		return "", 0, 0, fmt.Errorf("malformed number %q: a mark after the decimal mark %q", s, dm)
	}
	groups := strings.FieldsFunc(intPart, func(r rune) bool { return r == ' ' || r == rune(other(dm)) })
	if len(groups) > 1 || strings.ContainsAny(intPart, " "+string(other(dm))) {
		for i, g := range groups {
			if g == "" || len(g) > 3 || i > 0 && len(g) != 3 {
				if dm == '.' && strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
					return "", 0, 0, fmt.Errorf("malformed number %q: ',' used as a decimal mark; declare it (decimal-mark ,) or write 1234.56", s)
				}
				return "", 0, 0, fmt.Errorf("malformed number %q: digit groups of three after the first, decimal mark %q", s, dm)
			}
		}
		if strings.Count(intPart, string(other(dm)))+strings.Count(intPart, " ") != len(groups)-1 {
			return "", 0, 0, fmt.Errorf("malformed number %q", s)
		}
	}
	if j := strings.IndexAny(intPart, " "+string(other(dm))); j >= 0 {
		group = intPart[j]
	}
	out := strings.Join(groups, "")
	if out == "" {
		out = "0"
	}
	if hasDec {
		mark = dm
		if frac == "" {
			return out, mark, group, nil // "10." is 10
		}
		out += "." + frac
	}
	return out, mark, group, nil
}

// other returns the other mark of '.' and ','.
func other(m byte) byte {
	if m == ',' {
		return '.'
	}
	return ','
}
