package partners

import (
	"fmt"
	"strings"
	"unicode"
)

// NormalizeVATID returns s in the form CheckVATID checks and parties store:
// without spaces (any Unicode white space), dots and hyphens, and with the
// ASCII letters in upper case. "de 136.695-976" becomes "DE136695976".
// NormalizeVATID is safe for concurrent use.
func NormalizeVATID(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '.' || r == '-' || unicode.IsSpace(r):
		case 'a' <= r && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// CheckVATID checks that id is a well-formed VAT identification number of
// an EU member state or of Northern Ireland (XI): a two-letter prefix
// followed by the national part in its country's format, as the VIES
// format table of the European Commission lists them. Greece's prefix is
// EL, not GR. The input is normalized first (see NormalizeVATID), so
// "de 136 695 976" passes.
//
// The national check digits are verified for Austria (AT, the Luhn-like
// sum of the UID), Belgium (BE, 97 − the first eight digits mod 97),
// Germany (DE, ISO 7064 MOD 11,10), France (FR, the numeric key
// (12 + 3 × (SIREN mod 97)) mod 97; keys with letters are checked for
// form only), Italy (IT, Luhn) and the Netherlands (NL, the mod-11 test of
// the RSIN or BSN, or, for the btw-identificatienummer of sole
// proprietors issued since 2020, ISO 7064 MOD 97-10 over "NL" and the
// number; either passes). The other countries are checked for form only.
//
// CheckVATID does not ask VIES whether the number is registered. It
// returns nil or a *FieldError{Record: "party", Field: "vat_id"} wrapping
// ErrInvalid, whose message says what is wrong but never repeats id.
// CheckVATID is safe for concurrent use.
func CheckVATID(id string) error {
	id = NormalizeVATID(id)
	if id == "" {
		return vatErr("empty")
	}
	if len(id) < 2 {
		return vatErr("want a two-letter country prefix and the national number")
	}
	check, ok := vatFormats[id[:2]]
	if !ok {
		return vatErr("unknown country prefix")
	}
	if reason := check(id[2:]); reason != "" {
		return vatErr(reason)
	}
	return nil
}

func vatErr(reason string) error {
	return &FieldError{Record: "party", Field: "vat_id", Err: fmt.Errorf("%w: VAT ID: %s", ErrInvalid, reason)}
}

// Reasons CheckVATID gives.
const (
	vatBadFormat = "wrong format for its country"
	vatBadCheck  = "check digit does not match"
)

// vatFormats maps each prefix to the check of the national part, which
// returns why it is invalid or "". Formats after the VIES table of the
// European Commission.
var vatFormats = map[string]func(string) string{
	"AT": vatCheckAT,
	"BE": vatCheckBE,
	"BG": vatDigits(9, 10),
	"CY": vatPattern("99999999L"),
	"CZ": vatDigits(8, 9, 10),
	"DE": vatCheckDE,
	"DK": vatDigits(8),
	"EE": vatDigits(9),
	"EL": vatDigits(9),
	"ES": vatPattern("X9999999X"),
	"FI": vatDigits(8),
	"FR": vatCheckFR,
	"HR": vatDigits(11),
	"HU": vatDigits(8),
	"IE": vatCheckIE,
	"IT": vatCheckIT,
	"LT": vatDigits(9, 12),
	"LU": vatDigits(8),
	"LV": vatDigits(11),
	"MT": vatDigits(8),
	"NL": vatCheckNL,
	"PL": vatDigits(10),
	"PT": vatDigits(9),
	"RO": vatDigits(2, 3, 4, 5, 6, 7, 8, 9, 10),
	"SE": vatCheckSE,
	"SI": vatDigits(8),
	"SK": vatDigits(10),
	"XI": vatCheckXI,
}

// vatDigits returns a check that accepts only ASCII digits, as many as one
// of lengths.
func vatDigits(lengths ...int) func(string) string {
	return func(s string) string {
		for _, n := range lengths {
			if len(s) == n && vatAllDigits(s) {
				return ""
			}
		}
		return vatBadFormat
	}
}

// vatPattern returns a check that accepts strings of the form of p, position
// by position: '9' a digit, 'L' a letter, 'X' a letter or a digit; other
// characters stand for themselves.
func vatPattern(p string) func(string) string {
	return func(s string) string {
		if !vatMatches(s, p) {
			return vatBadFormat
		}
		return ""
	}
}

func vatMatches(s, p string) bool {
	if len(s) != len(p) {
		return false
	}
	for i := range len(p) {
		c := s[i]
		switch p[i] {
		case '9':
			if !vatIsDigit(c) {
				return false
			}
		case 'L':
			if !vatIsUpper(c) {
				return false
			}
		case 'X':
			if !vatIsDigit(c) && !vatIsUpper(c) {
				return false
			}
		default:
			if c != p[i] {
				return false
			}
		}
	}
	return true
}

func vatIsDigit(c byte) bool { return '0' <= c && c <= '9' }
func vatIsUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

func vatAllDigits(s string) bool {
	for i := range len(s) {
		if !vatIsDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

// vatCheckAT checks an Austrian UID: U and eight digits C1…C8, where C8 is
// (10 − (S + 4) mod 10) mod 10 with S the sum of C1, C3, C5, C7 and, for
// C2, C4, C6, the digit sum of twice the digit.
func vatCheckAT(s string) string {
	if !vatMatches(s, "U99999999") {
		return vatBadFormat
	}
	d := s[1:]
	sum := 0
	for i := range 7 {
		v := int(d[i] - '0')
		if i%2 == 1 {
			v *= 2
			v = v/10 + v%10
		}
		sum += v
	}
	if int(d[7]-'0') != (10-(sum+4)%10)%10 {
		return vatBadCheck
	}
	return ""
}

// vatCheckBE checks a Belgian enterprise number: ten digits starting with 0
// or 1, the last two being 97 − (the first eight mod 97).
func vatCheckBE(s string) string {
	if len(s) != 10 || !vatAllDigits(s) || s[0] > '1' {
		return vatBadFormat
	}
	if 97-vatNumber(s[:8])%97 != vatNumber(s[8:]) {
		return vatBadCheck
	}
	return ""
}

// vatCheckDE checks a German USt-IdNr.: nine digits, the first not 0, the
// last an ISO 7064 MOD 11,10 check digit over the first eight.
func vatCheckDE(s string) string {
	if len(s) != 9 || !vatAllDigits(s) || s[0] == '0' {
		return vatBadFormat
	}
	if int(s[8]-'0') != vatMod1110(s[:8]) {
		return vatBadCheck
	}
	return ""
}

// vatMod1110 returns the ISO 7064 MOD 11,10 check digit of the digits s.
func vatMod1110(s string) int {
	product := 10
	for i := range len(s) {
		sum := (int(s[i]-'0') + product) % 10
		if sum == 0 {
			sum = 10
		}
		product = 2 * sum % 11
	}
	return (11 - product) % 10
}

// vatFRKeyAlphabet are the characters of a French key: digits and letters
// without I and O.
const vatFRKeyAlphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// vatCheckFR checks a French numéro de TVA: a two-character key and the
// nine-digit SIREN. A numeric key must be (12 + 3 × (SIREN mod 97)) mod 97;
// keys with letters, which use another scheme, are checked for form only.
func vatCheckFR(s string) string {
	if len(s) != 11 || !strings.ContainsRune(vatFRKeyAlphabet, rune(s[0])) ||
		!strings.ContainsRune(vatFRKeyAlphabet, rune(s[1])) || !vatAllDigits(s[2:]) {
		return vatBadFormat
	}
	if vatAllDigits(s[:2]) && vatNumber(s[:2]) != (12+3*(vatNumber(s[2:])%97))%97 {
		return vatBadCheck
	}
	return ""
}

// vatCheckIE checks an Irish VAT number: eight characters (a digit, a digit,
// letter, '+' or '*', five digits and a letter) or nine (seven digits and
// two letters).
func vatCheckIE(s string) string {
	switch len(s) {
	case 8:
		if vatIsDigit(s[0]) && (vatIsDigit(s[1]) || vatIsUpper(s[1]) || s[1] == '+' || s[1] == '*') &&
			vatAllDigits(s[2:7]) && vatIsUpper(s[7]) {
			return ""
		}
	case 9:
		if vatMatches(s, "9999999LL") {
			return ""
		}
	}
	return vatBadFormat
}

// vatCheckIT checks an Italian partita IVA: eleven digits passing the Luhn
// check.
func vatCheckIT(s string) string {
	if len(s) != 11 || !vatAllDigits(s) {
		return vatBadFormat
	}
	if !vatLuhn(s) {
		return vatBadCheck
	}
	return ""
}

// vatLuhn reports whether the digits s pass the Luhn check.
func vatLuhn(s string) bool {
	sum := 0
	for i := range len(s) {
		v := int(s[len(s)-1-i] - '0')
		if i%2 == 1 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}

// vatCheckNL checks a Dutch btw-identificatienummer: nine digits, B and two
// digits 01–99. The nine digits pass the mod-11 test of the RSIN and BSN
// (9·C1 + 8·C2 + … + 2·C8 − C9 ≡ 0 mod 11), or, for numbers issued since
// 2020 that do not contain the BSN, "NL" and the twelve characters pass
// ISO 7064 MOD 97-10 (letters counting as 10–35).
func vatCheckNL(s string) string {
	if !vatMatches(s, "999999999B99") || s[10:] == "00" {
		return vatBadFormat
	}
	sum := 0
	for i := range 8 {
		sum += (9 - i) * int(s[i]-'0')
	}
	sum -= int(s[8] - '0')
	if sum%11 == 0 || vatMod97("NL"+s) == 1 {
		return ""
	}
	return vatBadCheck
}

// vatMod97 returns the number spelled by s mod 97, letters counting as the
// two digits 10 (A) to 35 (Z), as in IBANs.
func vatMod97(s string) int {
	rem := 0
	for i := range len(s) {
		c := s[i]
		if vatIsUpper(c) {
			rem = (rem*100 + int(c-'A') + 10) % 97
		} else {
			rem = (rem*10 + int(c-'0')) % 97
		}
	}
	return rem
}

// vatCheckSE checks a Swedish momsregistreringsnummer: twelve digits ending
// in 01.
func vatCheckSE(s string) string {
	if len(s) != 12 || !vatAllDigits(s) || !strings.HasSuffix(s, "01") {
		return vatBadFormat
	}
	return ""
}

// vatCheckXI checks a Northern Ireland VAT number, which has the forms of a
// United Kingdom one: nine digits, twelve digits (a branch), GD and three
// digits 000–499 (government departments) or HA and three digits 500–999
// (health authorities).
func vatCheckXI(s string) string {
	switch {
	case len(s) == 9 && vatAllDigits(s), len(s) == 12 && vatAllDigits(s):
		return ""
	case vatMatches(s, "GD999") && s[2] <= '4', vatMatches(s, "HA999") && s[2] >= '5':
		return ""
	}
	return vatBadFormat
}

// vatNumber returns the value of the digits s (at most 18).
func vatNumber(s string) int {
	n := 0
	for i := range len(s) {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
