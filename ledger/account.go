package ledger

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/internal/unitext"
	"github.com/openbackoffice/backoffice/money"
)

// Book is one set of books, usually one legal entity.
type Book struct {
	ID              string         // short identifier, unique in the store
	Name            string         // legal name, for reports
	Currency        money.Currency // base (reporting) currency
	FiscalYearStart int            // month the fiscal year starts in, 1–12; 0 means January
	LockDate        date.Date      // entries on or before this date are refused; zero means none
}

// fyStart returns the first month of the fiscal year, 1–12.
func (b Book) fyStart() int {
	if b.FiscalYearStart == 0 {
		return 1
	}
	return b.FiscalYearStart
}

// AccountType classifies an account for the balance sheet or income statement and
// fixes its normal side.
type AccountType uint8

// The five account types of double-entry bookkeeping.
const (
	Asset AccountType = iota + 1
	Liability
	Equity
	Revenue
	Expense
)

var accountTypeNames = [...]string{Asset: "asset", Liability: "liability", Equity: "equity", Revenue: "revenue", Expense: "expense"}

// String returns the lower-case name ("asset", "liability", …).
func (t AccountType) String() string {
	if t >= Asset && t <= Expense {
		return accountTypeNames[t]
	}
	return fmt.Sprintf("AccountType(%d)", t)
}

// ParseAccountType parses an account type name, case-insensitively. "income" is
// accepted for Revenue and "expenses", "assets", "liabilities" in the plural.
func ParseAccountType(s string) (AccountType, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "asset", "assets":
		return Asset, nil
	case "liability", "liabilities":
		return Liability, nil
	case "equity":
		return Equity, nil
	case "revenue", "revenues", "income":
		return Revenue, nil
	case "expense", "expenses":
		return Expense, nil
	}
	return 0, fmt.Errorf("%w: account type must be asset, liability, equity, revenue or expense", ErrInvalid)
}

// NormalSide returns SideDebit for assets and expenses and SideCredit for liabilities,
// equity and revenue: the side on which the account's balance normally stands.
func (t AccountType) NormalSide() Side {
	if t == Asset || t == Expense {
		return SideDebit
	}
	return SideCredit
}

// IsIncomeStatement reports whether accounts of this type are closed to retained
// earnings at year end (revenue and expense).
func (t AccountType) IsIncomeStatement() bool { return t == Revenue || t == Expense }

// Side is the debit or credit side of an account.
type Side int8

// The two sides. A line's amount is positive on the debit side and negative on
// the credit side.
const (
	SideDebit  Side = 1
	SideCredit Side = -1
)

// String returns "debit" or "credit".
func (s Side) String() string {
	if s == SideCredit {
		return "credit"
	}
	return "debit"
}

// Account is an account of a book's chart of accounts.
type Account struct {
	Book string
	Code string // e.g. "1200"; unique within the book
	Name string
	Type AccountType
	// Parent is the code of the parent account for roll-ups, or "".
	Parent string
	// Currency, if set, is the only currency the account accepts.
	Currency money.Currency
	// Closed accounts refuse postings; their history stays.
	Closed     bool
	Constraint Constraint
	Metadata   map[string]string
}

// Constraint bounds an account's natural balance (debit minus credit for debit-normal
// accounts, credit minus debit for credit-normal ones) in every currency. The ledger
// checks it atomically with the posting that would break it.
type Constraint struct {
	Min decimal.NullDecimal // lower bound, if Valid
	Max decimal.NullDecimal // upper bound, if Valid
}

// NonNegative is the constraint "must not go negative": the natural balance stays ≥ 0
// (a bank account without overdraft, a liability that must not turn into a receivable).
func NonNegative() Constraint {
	return Constraint{Min: decimal.NewNullDecimal(decimal.Zero)}
}

// NonPositive is the constraint "must not go positive": the natural balance stays ≤ 0.
func NonPositive() Constraint {
	return Constraint{Max: decimal.NewNullDecimal(decimal.Zero)}
}

// Between bounds the natural balance to [min, max].
func Between(min, max decimal.Decimal) Constraint {
	return Constraint{Min: decimal.NewNullDecimal(min), Max: decimal.NewNullDecimal(max)}
}

// IsZero reports whether c constrains nothing.
func (c Constraint) IsZero() bool { return !c.Min.Valid && !c.Max.Valid }

// allows reports whether a natural balance of minor units in currency cur is within c.
func (c Constraint) allows(natural int64, cur money.Currency) bool {
	if c.IsZero() {
		return true
	}
	v := decimal.New(natural, -int32(cur.MinorUnits()))
	if c.Min.Valid && v.LessThan(c.Min.Decimal) {
		return false
	}
	if c.Max.Valid && v.GreaterThan(c.Max.Decimal) {
		return false
	}
	return true
}

// validCode reports whether s is usable as a book ID, account code or dimension name:
// 1–64 bytes of printable characters without spaces, control characters or
// '/', in Unicode NFC, and without look-alikes (see codeProblem).
func validCode(s string) bool { return codeProblem(s) == "" }

// codeProblem returns why s is not usable as an identifier, or "". Beyond
// ASCII it refuses invisible and bidirectional controls (unitext.Hidden:
// format characters such as U+200B or U+202E) and every space, text not in NFC (a decomposed
// "café", the Kelvin sign for K), and compatibility characters that
// NFKC maps to others (full-width digits, ligatures): codes that look alike
// but differ in bytes would be separate accounts. Pure ASCII, the common
// case, costs one pass over the bytes.
func codeProblem(s string) string {
	if s == "" || len(s) > 64 {
		return "empty or longer than 64 bytes"
	}
	ascii := true
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c <= ' ' || c == 0x7f || c == '/':
			return "space, control character or '/'"
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	if ascii {
		return ""
	}
	if !utf8.ValidString(s) {
		return "not UTF-8"
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unitext.Hidden(r) {
			return fmt.Sprintf("invisible or bidirectional character %U", r)
		}
	}
	if !norm.NFC.IsNormalString(s) {
		return fmt.Sprintf("not in Unicode NFC (write %q)", norm.NFC.String(s))
	}
	if k := norm.NFKC.String(s); k != s {
		return fmt.Sprintf("compatibility characters (looks like %q)", k)
	}
	if a, b := mixedScripts(s); a != "" {
		return fmt.Sprintf("letters of two scripts, %s and %s (a look-alike: Cyrillic а is not Latin a)", a, b)
	}
	return ""
}

// scriptSets are the combinations of scripts an identifier may mix, after
// the "highly restrictive" level of Unicode TS #39 (5.2): one script, or
// Latin with the scripts written together with Han in Japan, China and
// Korea. Characters of Common and Inherited (digits, punctuation,
// combining marks) go with any.
var scriptSets = [][]string{
	{"Latin", "Han", "Hiragana", "Katakana"},
	{"Latin", "Han", "Bopomofo"},
	{"Latin", "Han", "Hangul"},
}

// mixedScripts returns two scripts of s that no identifier may mix, or "".
func mixedScripts(s string) (string, string) {
	var seen []string
	for _, r := range s {
		if r < utf8.RuneSelf {
			if unicode.IsLetter(r) && !slices.Contains(seen, "Latin") {
				seen = append(seen, "Latin")
			}
			continue
		}
		sc := scriptOf(r)
		if sc == "" || sc == "Common" || sc == "Inherited" || slices.Contains(seen, sc) {
			continue
		}
		seen = append(seen, sc)
	}
	if len(seen) < 2 {
		return "", ""
	}
	for _, set := range scriptSets {
		if !slices.ContainsFunc(seen, func(sc string) bool { return !slices.Contains(set, sc) }) {
			return "", ""
		}
	}
	return seen[0], seen[1]
}

// commonScripts are tried first by scriptOf: codes are mostly in these.
var commonScripts = []string{"Latin", "Common", "Inherited", "Greek", "Cyrillic", "Han", "Hiragana", "Katakana", "Hangul", "Arabic", "Hebrew"}

// scriptOf returns the name of r's Unicode script, or "".
func scriptOf(r rune) string {
	for _, name := range commonScripts {
		if unicode.Is(unicode.Scripts[name], r) {
			return name
		}
	}
	for name, table := range unicode.Scripts {
		if unicode.Is(table, r) {
			return name
		}
	}
	return ""
}

// Validate checks the account's own fields (not its parent, which needs the store).
func (a Account) Validate() error {
	switch {
	case !validCode(a.Book):
		return fmt.Errorf("%w: account book ID", ErrInvalid)
	case codeProblem(a.Code) != "":
		return fmt.Errorf("%w: account code %q: %s", ErrInvalid, a.Code, codeProblem(a.Code))
	case strings.TrimSpace(a.Name) == "":
		return fmt.Errorf("%w: account %s: empty name", ErrInvalid, a.Code)
	case a.Type < Asset || a.Type > Expense:
		return fmt.Errorf("%w: account %s: type", ErrInvalid, a.Code)
	case a.Parent == a.Code:
		return fmt.Errorf("%w: account %s: its own parent", ErrInvalid, a.Code)
	case a.Constraint.Min.Valid && a.Constraint.Max.Valid && a.Constraint.Min.Decimal.GreaterThan(a.Constraint.Max.Decimal):
		return fmt.Errorf("%w: account %s: constraint min above max", ErrInvalid, a.Code)
	}
	return nil
}
