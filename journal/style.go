package journal

import (
	"fmt"
	"strings"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// Style is how hledger displays a commodity's amounts: the commodity as
// written ("EUR", "€"), on which side of the number and whether a space
// separates them, the decimal mark, the digit group mark and the number of
// decimals. Read gives each currency of a journal the style hledger gives
// it (Journal.Styles); Write writes amounts and commodity directives in
// it, so that hledger shows an export's amounts as it shows the original's.
//
// The zero Style is no style. A Style is a value, safe for concurrent use.
type Style struct {
	Commodity string // as written, unquoted: an ISO code or a symbol Read knows
	Right     bool   // the commodity after the number ("10.00 EUR")
	Space     bool   // a space between commodity and number
	Mark      byte   // the decimal mark, '.' or ','
	Group     byte   // the digit group mark (',', '.' or ' '), or 0 for none
	Precision int    // decimals shown
}

// StyleKeyPrefix starts the ledger.Account Metadata keys that hold a
// commodity style: StyleKey(code) → Style.String(), "1.000,00 EUR". The
// journal import sets it on each account it creates, for each currency the
// account's postings use; Write reads it back (see Write).
const StyleKeyPrefix = "journal.style."

// StyleKey returns the account metadata key of currency code's style.
func StyleKey(code string) string { return StyleKeyPrefix + code }

// String returns the style as a commodity directive's sample, which
// hledger and ParseStyle read back as the same style: "1.000,00 EUR",
// "EUR 1000.00", "€1,000." (no decimals: the mark is shown, so that the
// sample says which one it is).
func (s Style) String() string {
	num := "1000"
	if s.Group != 0 {
		num = "1" + string(s.Group) + "000"
	}
	num += string(s.Mark) + strings.Repeat("0", s.Precision)
	return s.place(num)
}

// place puts the commodity next to num (which may have a sign).
func (s Style) place(num string) string {
	sp := ""
	if s.Space {
		sp = " "
	}
	if s.Right {
		return num + sp + s.Commodity
	}
	return s.Commodity + sp + num
}

// ParseStyle reads a Style from a commodity directive's sample, as
// String writes it. It fails on a sample that does not show its decimal
// mark or whose commodity is not a currency Read knows.
func ParseStyle(sample string) (Style, error) {
	p := newParser()
	// String always shows the decimal mark, and a group mark only before it.
	if i := strings.LastIndexAny(sample, ".,"); i >= 0 {
		p.sc.decimal = sample[i]
	}
	st, _, err := p.style(sample)
	if err != nil {
		return Style{}, fmt.Errorf("journal: style %q: %w", sample, err)
	}
	if st.Mark == 0 {
		return Style{}, fmt.Errorf("journal: style %q: %w: no decimal mark", sample, ErrAmbiguous)
	}
	return st, nil
}

// style parses an amount sample into its style and currency.
func (p *parser) style(s string) (Style, money.Currency, error) {
	_, cur, st, err := p.numberStyle(s)
	if err == nil && cur.IsZero() {
		err = fmt.Errorf("%w: no commodity", ErrSyntax)
	}
	return st, cur, err
}

// Format writes amount a in style s, with all of a's decimals (never
// rounded to s.Precision): "-1.234,50 EUR".
func (s Style) Format(a money.Amount) string {
	num := a.Abs().Number()
	intPart, frac, _ := strings.Cut(num, ".")
	if s.Group != 0 && len(intPart) > 3 {
		var b strings.Builder
		for i, c := range intPart {
			if i > 0 && (len(intPart)-i)%3 == 0 {
				b.WriteByte(s.Group)
			}
			b.WriteRune(c)
		}
		intPart = b.String()
	}
	if frac != "" {
		intPart += string(s.Mark) + frac
	}
	if a.IsNegative() {
		intPart = "-" + intPart
	}
	return s.place(intPart)
}

// observe records one style-influencing amount's style for its currency,
// folded (see fold) into the observation of the same currency and
// commodity: inferStyles folds the amounts in order, so one folded
// observation per commodity gives the same styles with memory flat in the
// number of postings.
func (p *parser) observe(cur money.Currency, st Style) {
	if cur.IsZero() {
		return
	}
	for i := range p.observed {
		if o := &p.observed[i]; o.cur == cur && o.st.Commodity == st.Commodity {
			o.st = fold(o.st, st)
			return
		}
	}
	p.observed = append(p.observed, observation{cur, st})
}

// fold returns style s, inferred from amounts so far, with one more
// amount's style o counted: the most decimals, the first digit group mark
// and the first decimal mark.
func fold(s, o Style) Style {
	s.Precision = max(s.Precision, o.Precision)
	if s.Group == 0 && o.Group != 0 {
		s.Group = o.Group
	}
	if s.Mark == 0 {
		s.Mark = o.Mark
	}
	return s
}

// observation is one amount's style.
type observation struct {
	cur money.Currency
	st  Style
}

// inferStyles returns the style hledger gives each currency (see Journal.Styles).
func (p *parser) inferStyles() map[string]Style {
	// A currency written two ways ("€" and "EUR") is two commodities to
	// hledger: the one of its first posting is the one whose style counts.
	chosen := map[string]string{}
	for _, o := range p.observed {
		if _, ok := chosen[o.cur.Code()]; !ok {
			chosen[o.cur.Code()] = o.st.Commodity
		}
	}
	// hledger's order: the default commodity (D), P directives, postings.
	var obs []observation
	if p.dObs != nil {
		obs = append(obs, *p.dObs)
	}
	obs = append(append(obs, p.pObs...), p.observed...)
	out := map[string]Style{}
	for _, o := range obs {
		code := o.cur.Code()
		if c, ok := chosen[code]; !ok {
			chosen[code] = o.st.Commodity // a currency of no posting
		} else if c != o.st.Commodity {
			continue
		}
		s, ok := out[code]
		if !ok {
			out[code] = o.st
			continue
		}
		out[code] = fold(s, o.st)
	}
	for code, s := range out {
		switch { // hledger: a group mark decides the decimal mark, else the first one used, else '.'
		case s.Group == '.':
			s.Mark = ','
		case s.Group != 0, s.Mark == 0:
			s.Mark = '.'
		}
		if d, ok := p.declaredStyle[s.Commodity]; ok {
			s = d // a commodity directive's style is the style
		}
		out[code] = s
	}
	return out
}

// StyleMetadata returns, by account code, the Metadata entries (StyleKey)
// each account gets from the journal: the styles (Styles) of the
// currencies of its postings. The importer adds them to the accounts it
// creates, so that Write writes the book in the journal's styles.
func (j *Journal) StyleMetadata() map[string]map[string]string {
	return styleMetadata(j.Styles, j.Code, j.summary().curs)
}

// styleMetadata is StyleMetadata of the accounts whose postings have the
// currencies curs (by account name).
func styleMetadata(styles map[string]Style, code func(string) string, curs map[string][]money.Currency) map[string]map[string]string {
	out := map[string]map[string]string{}
	for name, cs := range curs {
		for _, c := range cs {
			st, ok := styles[c.Code()]
			if !ok {
				continue
			}
			code := code(name)
			if out[code] == nil {
				out[code] = map[string]string{}
			}
			out[code][StyleKey(c.Code())] = st.String()
		}
	}
	return out
}

// accountStylesOf returns the styles recorded on accounts (StyleKey), by
// currency code, the first account's (in the order given) where several
// record one. A recorded style that does not parse is an error.
func accountStylesOf(accounts []ledger.Account) (map[string]Style, error) {
	out := map[string]Style{}
	for _, a := range accounts {
		for k, v := range a.Metadata {
			code, ok := strings.CutPrefix(k, StyleKeyPrefix)
			if !ok {
				continue
			}
			if _, ok := out[code]; ok {
				continue
			}
			st, err := ParseStyle(v)
			if err != nil {
				return nil, fmt.Errorf("account %s: metadata %s: %w", a.Code, k, err)
			}
			if c, err := money.ParseCurrency(code); err != nil || st.currency() != c {
				return nil, fmt.Errorf("account %s: metadata %s: style %q is not of %s", a.Code, k, v, code)
			}
			out[code] = st
		}
	}
	return out, nil
}

// currency returns the currency of the style's commodity.
func (s Style) currency() money.Currency {
	iso := s.Commodity
	if c, ok := symbols[iso]; ok {
		iso = c
	}
	c, _ := money.ParseCurrency(iso)
	return c
}
