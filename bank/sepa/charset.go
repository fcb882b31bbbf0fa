package sepa

import "strings"

// Latin returns s in the SEPA Latin character set of the EPC guidelines:
// a–z, A–Z, 0–9, space and / - ? : ( ) . , ' +. It transliterates as
// German banks do (ä → ae, ö → oe, ü → ue, Ä → Ae, Ö → Oe, Ü → Ue, ß → ss)
// and strips the accents of the other Latin letters (é → e, ł → l, ñ → n,
// å → a, æ → ae, œ → oe, þ → th); it maps & to +, _ and dashes to -,
// quotation marks to ', an ellipsis to ..., ; to , and ! to .; every other
// character becomes '.'. Runs of white space become one space, and leading
// and trailing space is dropped. Latin is safe for concurrent use.
func Latin(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false // a space is pending
	for _, r := range s {
		if isSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		switch {
		case allowed(r):
			b.WriteRune(r)
		case translit[r] != "":
			b.WriteString(translit[r])
		default:
			b.WriteByte('.')
		}
	}
	return b.String()
}

// inCharset reports whether s holds only characters of the SEPA Latin set.
func inCharset(s string) bool {
	for _, r := range s {
		if !allowed(r) {
			return false
		}
	}
	return true
}

// allowed reports whether r is in the SEPA Latin character set.
func allowed(r rune) bool {
	switch {
	case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
		return true
	}
	return strings.ContainsRune("/-?:().,'+ ", r)
}

func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u2007', '\u202f', '\u2009', '\u200a', '\u3000':
		return true
	}
	return false
}

// translit maps the characters Latin converts to one or more characters of
// the set.
var translit = func() map[rune]string {
	m := map[rune]string{
		'ä': "ae", 'ö': "oe", 'ü': "ue", 'Ä': "Ae", 'Ö': "Oe", 'Ü': "Ue", 'ß': "ss", 'ẞ': "SS",
		'æ': "ae", 'Æ': "AE", 'œ': "oe", 'Œ': "OE", 'ĳ': "ij", 'Ĳ': "IJ", 'þ': "th", 'Þ': "TH",
		'&': "+", '_': "-", '–': "-", '—': "-", '‐': "-", '‑': "-", '−': "-",
		'"': "'", '“': "'", '”': "'", '„': "'", '«': "'", '»': "'", '‹': "'", '›': "'",
		'‘': "'", '’': "'", '‚': "'", '`': "'", '´': "'", '…': "...", ';': ",", '!': ".",
	}
	for base, letters := range map[string]string{
		"a": "àáâãåāăą", "A": "ÀÁÂÃÅĀĂĄ", "c": "çćĉċč", "C": "ÇĆĈĊČ", "d": "ďđð", "D": "ĎĐÐ",
		"e": "èéêëēĕėęě", "E": "ÈÉÊËĒĔĖĘĚ", "g": "ĝğġģ", "G": "ĜĞĠĢ", "h": "ĥħ", "H": "ĤĦ",
		"i": "ìíîïĩīĭįı", "I": "ÌÍÎÏĨĪĬĮİ", "j": "ĵ", "J": "Ĵ", "k": "ķĸ", "K": "Ķ",
		"l": "ĺļľŀł", "L": "ĹĻĽĿŁ", "n": "ñńņňŉŋ", "N": "ÑŃŅŇŊ", "o": "òóôõōŏőø", "O": "ÒÓÔÕŌŎŐØ",
		"r": "ŕŗř", "R": "ŔŖŘ", "s": "śŝşšſș", "S": "ŚŜŞŠȘ", "t": "ţťŧț", "T": "ŢŤŦȚ",
		"u": "ùúûũūŭůűų", "U": "ÙÚÛŨŪŬŮŰŲ", "w": "ŵ", "W": "Ŵ", "y": "ýÿŷ", "Y": "ÝŸŶ",
		"z": "źżž", "Z": "ŹŻŽ",
	} {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()
