package hr

import "strings"

// BankAccount is where an employee's net pay goes: an IBAN (with an
// optional BIC), or a US ABA routing number with an account number, or
// nothing (paid otherwise). Records store accounts as Normalize returns
// them: the IBAN and BIC in upper case, without spaces.
type BankAccount struct {
	IBAN          string `json:"iban,omitempty"`           // electronic format, such as "DE89370400440532013000"
	BIC           string `json:"bic,omitempty"`            // 8 or 11 characters, such as "COBADEFFXXX"
	RoutingNumber string `json:"routing_number,omitempty"` // 9 digits with the ABA checksum
	AccountNumber string `json:"account_number,omitempty"` // with RoutingNumber: 1–17 digits
}

// IsZero reports whether b holds no account.
func (b BankAccount) IsZero() bool { return b == BankAccount{} }

// Normalize returns b with the IBAN and BIC in upper case and without spaces,
// the form Records store and Validate expects.
func (b BankAccount) Normalize() BankAccount {
	b.IBAN = strings.ToUpper(strings.Join(strings.Fields(b.IBAN), ""))
	b.BIC = strings.ToUpper(strings.TrimSpace(b.BIC))
	b.RoutingNumber = strings.TrimSpace(b.RoutingNumber)
	b.AccountNumber = strings.TrimSpace(b.AccountNumber)
	return b
}

// Validate checks b: an IBAN must be valid (see ValidIBAN: a registry
// country, its length and account format, the mod-97 check), a BIC must be
// well formed, a routing number must be valid (see ValidRoutingNumber) and
// come with an account number, and an IBAN and a routing number exclude
// each other.
// It returns a *FieldError wrapping ErrBankAccount.
func (b BankAccount) Validate() error { return b.validate("employee") }

func (b BankAccount) validate(rec string) error {
	switch {
	case b.IBAN != "" && (b.RoutingNumber != "" || b.AccountNumber != ""):
		return fieldErr(rec, "iban", ErrBankAccount, "either an IBAN or a US account, not both")
	case b.IBAN != "":
		if reason := checkIBAN(b.IBAN); reason != "" {
			return fieldErr(rec, "iban", ErrBankAccount, reason)
		}
	case b.RoutingNumber != "" || b.AccountNumber != "":
		if reason := checkABA(b.RoutingNumber); reason != "" {
			return fieldErr(rec, "routing_number", ErrBankAccount, reason)
		}
		if !digits(b.AccountNumber, 1, 17) {
			return fieldErr(rec, "account_number", ErrBankAccount, "want 1–17 digits")
		}
		if b.BIC != "" {
			return fieldErr(rec, "bic", ErrBankAccount, "a BIC goes with an IBAN")
		}
	}
	if b.BIC != "" && !ValidBIC(b.BIC) {
		return fieldErr(rec, "bic", ErrBankAccount, "want 8 or 11 characters: bank, country, location, branch")
	}
	return nil
}

// ibanFormats is the SWIFT IBAN registry (ISO 13616, the 89 countries
// published in 2024): the BBAN structure of every country that issues IBANs, in
// the registry's notation. "8!n" is 8 digits, "4!a" four letters A–Z,
// "12!c" twelve letters or digits; the IBAN is the country code, two check
// digits and the BBAN, so its length is 4 plus the BBAN's. Territories that
// use another country's IBAN (French overseas departments, Åland, the
// Channel Islands) write that country's code and are not listed apart.
var ibanFormats = map[string]string{
	"AD": "4!n4!n12!c",          // Andorra
	"AE": "3!n16!n",             // United Arab Emirates
	"AL": "8!n16!c",             // Albania
	"AT": "5!n11!n",             // Austria
	"AZ": "4!a20!c",             // Azerbaijan
	"BA": "3!n3!n8!n2!n",        // Bosnia and Herzegovina
	"BE": "3!n7!n2!n",           // Belgium
	"BG": "4!a4!n2!n8!c",        // Bulgaria
	"BH": "4!a14!c",             // Bahrain
	"BI": "5!n5!n11!n2!n",       // Burundi
	"BR": "8!n5!n10!n1!a1!c",    // Brazil
	"BY": "4!c4!n16!c",          // Belarus
	"CH": "5!n12!c",             // Switzerland
	"CR": "4!n14!n",             // Costa Rica
	"CY": "3!n5!n16!c",          // Cyprus
	"CZ": "4!n6!n10!n",          // Czechia
	"DE": "8!n10!n",             // Germany
	"DJ": "5!n5!n11!n2!n",       // Djibouti
	"DK": "4!n9!n1!n",           // Denmark
	"DO": "4!c20!n",             // Dominican Republic
	"EE": "2!n14!n",             // Estonia
	"EG": "4!n4!n17!n",          // Egypt
	"ES": "4!n4!n1!n1!n10!n",    // Spain
	"FI": "3!n11!n",             // Finland
	"FK": "2!a12!n",             // Falkland Islands
	"FO": "4!n9!n1!n",           // Faroe Islands
	"FR": "5!n5!n11!c2!n",       // France
	"GB": "4!a6!n8!n",           // United Kingdom
	"GE": "2!a16!n",             // Georgia
	"GI": "4!a15!c",             // Gibraltar
	"GL": "4!n9!n1!n",           // Greenland
	"GR": "3!n4!n16!c",          // Greece
	"GT": "4!c20!c",             // Guatemala
	"HN": "4!a20!n",             // Honduras
	"HR": "7!n10!n",             // Croatia
	"HU": "3!n4!n1!n15!n1!n",    // Hungary
	"IE": "4!a6!n8!n",           // Ireland
	"IL": "3!n3!n13!n",          // Israel
	"IQ": "4!a3!n12!n",          // Iraq
	"IS": "4!n2!n6!n10!n",       // Iceland
	"IT": "1!a5!n5!n12!c",       // Italy
	"JO": "4!a4!n18!c",          // Jordan
	"KW": "4!a22!c",             // Kuwait
	"KZ": "3!n13!c",             // Kazakhstan
	"LB": "4!n20!c",             // Lebanon
	"LC": "4!a24!c",             // Saint Lucia
	"LI": "5!n12!c",             // Liechtenstein
	"LT": "5!n11!n",             // Lithuania
	"LU": "3!n13!c",             // Luxembourg
	"LV": "4!a13!c",             // Latvia
	"LY": "3!n3!n15!n",          // Libya
	"MC": "5!n5!n11!c2!n",       // Monaco
	"MD": "2!c18!c",             // Moldova
	"ME": "3!n13!n2!n",          // Montenegro
	"MK": "3!n10!c2!n",          // North Macedonia
	"MN": "4!n12!n",             // Mongolia
	"MR": "5!n5!n11!n2!n",       // Mauritania
	"MT": "4!a5!n18!c",          // Malta
	"MU": "4!a2!n2!n12!n3!n3!a", // Mauritius
	"NI": "4!a20!n",             // Nicaragua
	"NL": "4!a10!n",             // Netherlands
	"NO": "4!n6!n1!n",           // Norway
	"OM": "3!n16!c",             // Oman
	"PK": "4!a16!c",             // Pakistan
	"PL": "8!n16!n",             // Poland
	"PS": "4!a21!c",             // Palestine
	"PT": "4!n4!n11!n2!n",       // Portugal
	"QA": "4!a21!c",             // Qatar
	"RO": "4!a16!c",             // Romania
	"RS": "3!n13!n2!n",          // Serbia
	"RU": "9!n5!n15!c",          // Russia
	"SA": "2!n18!c",             // Saudi Arabia
	"SC": "4!a2!n2!n16!n3!a",    // Seychelles
	"SD": "2!n12!n",             // Sudan
	"SE": "3!n16!n1!n",          // Sweden
	"SI": "5!n8!n2!n",           // Slovenia
	"SK": "4!n6!n10!n",          // Slovakia
	"SM": "1!a5!n5!n12!c",       // San Marino
	"SO": "4!n3!n12!n",          // Somalia
	"ST": "8!n11!n2!n",          // Sao Tome and Principe
	"SV": "4!a20!n",             // El Salvador
	"TL": "3!n14!n2!n",          // Timor-Leste
	"TN": "2!n3!n13!n2!n",       // Tunisia
	"TR": "5!n1!n16!c",          // Turkey
	"UA": "6!n19!c",             // Ukraine
	"VA": "3!n15!n",             // Vatican City State
	"VG": "4!a16!n",             // British Virgin Islands
	"XK": "4!n10!n2!n",          // Kosovo
	"YE": "4!a4!n18!c",          // Yemen
}

// ValidIBAN reports whether s is an IBAN in electronic format (upper case,
// no spaces): a country of the SWIFT IBAN registry, that country's length
// and BBAN structure (Germany: 8 digits of bank code, 10 of account
// number), check digits 02–98, and the ISO 7064 mod-97 check. It does not
// check national check digits inside the BBAN, nor that the account exists.
// ValidIBAN is safe for concurrent use.
func ValidIBAN(s string) bool { return checkIBAN(s) == "" }

// checkIBAN returns why s is not a valid IBAN, or "". The reason never
// repeats s or a part of it.
func checkIBAN(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return "want only letters A–Z and digits"
		}
	}
	if len(s) < 5 || !upperLetters(s[:2], 2) || !digits(s[2:4], 2, 2) {
		return "want a country code, two check digits and the account"
	}
	format, ok := ibanFormats[s[:2]]
	if !ok {
		return "not a country of the IBAN registry"
	}
	if cd := s[2:4]; cd == "00" || cd == "01" || cd == "99" {
		return "check digits 00, 01 and 99 are never issued"
	}
	if reason := checkBBAN(s[4:], format); reason != "" {
		return reason
	}
	// Move the first four characters to the end, replace letters by 10–35
	// and take the number mod 97, digit by digit.
	rem := 0
	for i := range len(s) {
		c := s[(i+4)%len(s)]
		if c <= '9' {
			rem = (rem*10 + int(c-'0')) % 97
		} else {
			rem = (rem*100 + int(c-'A') + 10) % 97
		}
	}
	if rem != 1 {
		return "checksum"
	}
	return ""
}

// checkBBAN returns why bban (upper-case letters and digits) does not have
// the structure format of the IBAN registry, or "".
func checkBBAN(bban, format string) string {
	pos := 0
	for f := format; f != ""; {
		n := 0
		for f[0] >= '0' && f[0] <= '9' {
			n = n*10 + int(f[0]-'0')
			f = f[1:]
		}
		// Every entry of the registry has a fixed length ("!").
		class := f[1]
		f = f[2:]
		if pos+n > len(bban) {
			return "wrong length for the country"
		}
		for _, c := range []byte(bban[pos : pos+n]) {
			digit := '0' <= c && c <= '9'
			if class == 'n' && !digit || class == 'a' && digit {
				return "not the country's account format " + format
			}
		}
		pos += n
	}
	if pos != len(bban) {
		return "wrong length for the country"
	}
	return ""
}

// ValidBIC reports whether s is a well-formed BIC (ISO 9362): four letters
// (bank), two letters (country), two letters or digits (location) and
// optionally three letters or digits (branch).
func ValidBIC(s string) bool {
	if len(s) != 8 && len(s) != 11 {
		return false
	}
	if !upperLetters(s[:4], 4) || !upperLetters(s[4:6], 2) {
		return false
	}
	for i := 6; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// ValidRoutingNumber reports whether s is a US ABA routing number: nine
// digits d1…d9 with 3(d1+d4+d7) + 7(d2+d5+d8) + (d3+d6+d9) ≡ 0 (mod 10),
// whose first two digits are a Federal Reserve routing symbol an account
// can be reached at: 01–12 (the twelve Federal Reserve districts), 21–32
// (the same districts, thrift institutions), 61–72 (the same, electronic
// transactions) or 80 (traveller's cheques). Prefix 00 is reserved to the
// United States government, which holds no employee's account, and the
// other prefixes are unassigned: both are refused, and with them
// "000000000", which passes the checksum. ValidRoutingNumber is safe for
// concurrent use.
func ValidRoutingNumber(s string) bool { return checkABA(s) == "" }

func checkABA(s string) string {
	if !digits(s, 9, 9) {
		return "want 9 digits"
	}
	switch p := int(s[0]-'0')*10 + int(s[1]-'0'); {
	case 1 <= p && p <= 12, 21 <= p && p <= 32, 61 <= p && p <= 72, p == 80:
	default:
		return "want a Federal Reserve routing symbol 01–12, 21–32, 61–72 or 80"
	}
	sum := 0
	for i := range 9 {
		sum += int(s[i]-'0') * [3]int{3, 7, 1}[i%3]
	}
	if sum%10 != 0 {
		return "checksum"
	}
	return ""
}

// digits reports whether s is min–max ASCII digits.
func digits(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
