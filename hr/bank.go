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

// Validate checks b: an IBAN must pass the ISO 13616 mod-97 check (and have
// its country's length, for the countries this package knows), a BIC must
// be well formed, a routing number must pass the ABA checksum and come with
// an account number, and an IBAN and a routing number exclude each other.
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

// ibanLengths are the IBAN lengths of some countries (from the SWIFT IBAN
// registry); IBANs of other countries must be 15–34 characters.
var ibanLengths = map[string]int{
	"AT": 20, "BE": 16, "CH": 21, "CZ": 24, "DE": 22, "DK": 18, "ES": 24, "FI": 18, "FR": 27,
	"GB": 22, "IE": 22, "IT": 27, "LI": 21, "LU": 20, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "SE": 24,
}

// ValidIBAN reports whether s is an IBAN in electronic format (upper case,
// no spaces) that passes the mod-97 check.
func ValidIBAN(s string) bool { return checkIBAN(s) == "" }

// checkIBAN returns why s is not a valid IBAN, or "".
func checkIBAN(s string) string {
	if len(s) < 15 || len(s) > 34 {
		return "wrong length"
	}
	if !upperLetters(s[:2], 2) || !digits(s[2:4], 2, 2) {
		return "want a country code and two check digits"
	}
	if n, ok := ibanLengths[s[:2]]; ok && len(s) != n {
		return "wrong length for the country"
	}
	// Move the first four characters to the end, replace letters by 10–35
	// and take the number mod 97, digit by digit.
	rem := 0
	for i := range len(s) {
		c := s[(i+4)%len(s)]
		switch {
		case '0' <= c && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		case 'A' <= c && c <= 'Z':
			rem = (rem*100 + int(c-'A') + 10) % 97
		default:
			return "want only letters A–Z and digits"
		}
	}
	if rem != 1 {
		return "checksum"
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
// digits d1…d9 with 3(d1+d4+d7) + 7(d2+d5+d8) + (d3+d6+d9) ≡ 0 (mod 10).
func ValidRoutingNumber(s string) bool { return checkABA(s) == "" }

func checkABA(s string) string {
	if !digits(s, 9, 9) {
		return "want 9 digits"
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
