package hr

import (
	"strings"
	"unicode"
)

// Personal identifiers of German and US payroll. Records store them as
// Employee.Normalize returns them (compact: digits and, in the social
// insurance number, one upper-case letter), check them with the functions
// below, and never put them in an error or log message: an error names the
// field (tax_id, social_insurance_number, ssn) and the personnel number.

// ValidTaxID reports whether s is a German tax identification number
// (steuerliche Identifikationsnummer, § 139b AO) in compact form: 11
// digits, the first not 0; among the first ten, exactly one digit occurs
// more than once, two or three times, and not three times in a row; the
// eleventh is the check digit of ISO 7064 MOD 11,10. The Federal Central
// Tax Office's (BZSt) example 36 574 261 809 is one. ValidTaxID is safe for
// concurrent use.
func ValidTaxID(s string) bool { return checkTaxID(s) == "" }

func checkTaxID(s string) string {
	if !digits(s, 11, 11) || s[0] == '0' {
		return "want 11 digits, the first not 0"
	}
	var count [10]int
	repeated, most := 0, 0
	for i := range 10 {
		d := s[i] - '0'
		count[d]++
		if count[d] == 2 {
			repeated++
		}
		most = max(most, count[d])
		if i >= 2 && s[i] == s[i-1] && s[i] == s[i-2] {
			return "a digit three times in a row"
		}
	}
	if repeated != 1 || most > 3 {
		return "want exactly one digit of the first ten twice or three times, the others once or not at all"
	}
	if mod11_10(s[:10]) != s[10]-'0' {
		return "check digit"
	}
	return ""
}

// mod11_10 returns the check digit of ISO 7064 MOD 11,10 for the digits s.
func mod11_10(s string) byte {
	product := 10
	for i := 0; i < len(s); i++ {
		sum := (int(s[i]-'0') + product) % 10
		if sum == 0 {
			sum = 10
		}
		product = sum * 2 % 11
	}
	return byte((11 - product) % 10)
}

// ValidSocialInsuranceNumber reports whether s is a German social
// insurance number (Versicherungsnummer of the pension insurance, § 147
// SGB VI, § 2 VKVV) in compact form, 12 characters: the area number of the
// issuing pension insurer (2 digits), the birth date as DDMMYY (6 digits),
// the initial of the birth name (a letter A–Z), a serial number (2 digits,
// 00–49 men, 50–99 women) and a check digit. The check digit: the letter
// replaced by its position in the alphabet (01–26), the twelve digits
// weighted 2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1, the digit sums of the
// products added, the sum's remainder by 10 (§ 2 (6) VKVV).
//
// The birth date part is checked for digits only: for an unknown birth
// date or when the serial numbers of a day are used up, the insurers shape
// it otherwise (§ 2 (3) and (5) VKVV), and a number issued under a birth
// date corrected later stays valid until it is replaced. For the same
// reasons it is not compared with Employee.BirthDate, nor the letter with
// the family name (which need not be the birth name).
// ValidSocialInsuranceNumber is safe for concurrent use.
func ValidSocialInsuranceNumber(s string) bool { return checkSocialInsurance(s) == "" }

func checkSocialInsurance(s string) string {
	if len(s) != 12 || !digits(s[:8], 8, 8) || !upperLetters(s[8:9], 1) || !digits(s[9:], 3, 3) {
		return "want 2 digits of area, 6 of birth date, the initial of the birth name, 2 of serial number and a check digit"
	}
	letter := int(s[8]-'A') + 1
	ds := s[:8] + string(rune('0'+letter/10)) + string(rune('0'+letter%10)) + s[9:11]
	weights := [12]int{2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1}
	sum := 0
	for i, w := range weights {
		p := int(ds[i]-'0') * w
		sum += p/10 + p%10
	}
	if byte(sum%10) != s[11]-'0' {
		return "check digit"
	}
	return ""
}

// voidSSNs are numbers the Social Security Administration voided after
// they were printed in advertising (the Woolworth wallet insert of 1938,
// and 219-09-9999 of a 1940 pamphlet).
var voidSSNs = map[string]bool{"078051120": true, "219099999": true}

// ValidSSN reports whether s is a US social security number in compact
// form, 9 digits AAAGGSSSS, that the Social Security Administration can
// have issued: the area AAA not 000, 666 or 900–999 (9xx are individual
// taxpayer identification numbers, not SSNs), the group GG not 00, the
// serial SSSS not 0000, and not one of the numbers voided after they were
// printed in advertising (078-05-1120, 219-09-9999). Since the
// randomization of 2011 nothing more can be checked: there is no check
// digit. ValidSSN is safe for concurrent use.
func ValidSSN(s string) bool { return checkSSN(s) == "" }

func checkSSN(s string) string {
	switch {
	case !digits(s, 9, 9):
		return "want 9 digits"
	case s[:3] == "000" || s[:3] == "666" || s[0] == '9':
		return "area 000, 666 and 900–999 are never issued"
	case s[3:5] == "00":
		return "group 00 is never issued"
	case s[5:] == "0000":
		return "serial number 0000 is never issued"
	case voidSSNs[s]:
		return "voided by the Social Security Administration"
	}
	return ""
}

// compactID returns s without spaces, hyphens, dots and slashes, in upper
// case: the form Records store identifiers in, whatever way they were
// typed ("36 574 261 809", "123-45-6789", "15 070649 c 103").
func compactID(s string) string {
	return strings.ToUpper(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' || r == '.' || r == '/' {
			return -1
		}
		return r
	}, s))
}
