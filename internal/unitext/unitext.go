package unitext

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// Hidden reports whether r is a character text must not contain, because
// it is not shown as itself or changes how the text around it is shown:
//
//   - C0 and C1 controls and DEL (category Cc), tab and line feed included;
//   - format characters (Cf): the bidirectional controls U+061C, U+200E,
//     U+200F, U+202A–U+202E and U+2066–U+2069, the zero-width space,
//     joiners and non-joiners, the soft hyphen, the byte order mark, tags;
//   - line and paragraph separators (Zl, Zp);
//   - other default-ignorable code points (Hangul fillers, U+034F) and
//     variation selectors;
//   - private-use characters (Co), surrogates (Cs), noncharacters
//     (U+FDD0–U+FDEF and the last two of every plane) and U+FFFD, the mark
//     of invalid UTF-8.
//
// Ordinary spaces, including the no-break and the ideographic space, are
// not hidden; whether a value may contain them is the caller's rule.
// Hidden is safe for concurrent use.
func Hidden(r rune) bool {
	switch {
	case r < 0x20 || r == 0x7f:
		return true
	case r < 0xa0 && r > 0x7f:
		return true // C1
	case r < 0xad:
		return false // the rest of Latin-1: the common case, answered fast
	case r == utf8.RuneError, 0xfdd0 <= r && r <= 0xfdef, r&0xfffe == 0xfffe:
		return true
	}
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs, unicode.Zl, unicode.Zp,
		unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector)
}

// Problem returns why s is not fit as a line of free text of at most max
// characters (runes, not bytes: a name of 100 Chinese characters is 300
// bytes of UTF-8), or "". It refuses invalid UTF-8 and every Hidden
// character, but for the zero-width non-joiner and joiner (U+200C,
// U+200D) between two letters or marks, where Persian, Indic and other
// scripts need them to spell a name right (as IDNA's CONTEXTJ rules allow
// them, simplified). The reason names the rule and, for a hidden
// character, its code point and position, never the text around it.
// Problem is safe for concurrent use.
func Problem(s string, max int) string {
	if !utf8.ValidString(s) {
		return "not UTF-8"
	}
	n := 0
	prev := rune(-1)
	for i, r := range s {
		n++
		if Hidden(r) && !joinerBetweenLetters(prev, r, s[i+utf8.RuneLen(r):]) {
			return fmt.Sprintf("control, invisible or bidirectional character %U at character %d", r, n)
		}
		prev = r
	}
	if n > max {
		return fmt.Sprintf("longer than %d characters", max)
	}
	return ""
}

// joinerBetweenLetters reports whether r is a zero-width (non-)joiner
// after the letter or mark prev and before one that starts rest.
func joinerBetweenLetters(prev, r rune, rest string) bool {
	if r != 0x200c && r != 0x200d {
		return false
	}
	next, _ := utf8.DecodeRuneInString(rest)
	letter := func(c rune) bool { return c >= 0 && (unicode.IsLetter(c) || unicode.IsMark(c)) }
	return letter(prev) && next != utf8.RuneError && letter(next)
}
