package ledger_test

import (
	"encoding/binary"
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// sentinels are the ledger's sentinel errors by name, for tests that check
// which one an error wraps.
var sentinels = []struct {
	name string
	err  error
}{
	{"ErrUnknownBook", ledger.ErrUnknownBook},
	{"ErrUnknownAccount", ledger.ErrUnknownAccount},
	{"ErrAccountClosed", ledger.ErrAccountClosed},
	{"ErrCurrencyMismatch", ledger.ErrCurrencyMismatch},
	{"ErrUnknownCurrency", ledger.ErrUnknownCurrency},
	{"ErrScale", ledger.ErrScale},
	{"ErrUnbalanced", ledger.ErrUnbalanced},
	{"ErrZeroAmount", ledger.ErrZeroAmount},
	{"ErrInvalid", ledger.ErrInvalid},
	{"ErrPeriodClosed", ledger.ErrPeriodClosed},
	{"ErrPeriodLocked", ledger.ErrPeriodLocked},
	{"ErrConflict", ledger.ErrConflict},
	{"ErrConstraint", ledger.ErrConstraint},
	{"ErrOverflow", ledger.ErrOverflow},
	{"ErrDuplicate", ledger.ErrDuplicate},
	{"ErrNotFound", ledger.ErrNotFound},
	{"ErrState", ledger.ErrState},
	{"ErrTampered", ledger.ErrTampered},
}

// wrapped returns the names of the sentinels err wraps.
func wrapped(err error) []string {
	var names []string
	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			names = append(names, s.name)
		}
	}
	return names
}

func eurMinor(n int64) money.Amount { return money.New(n, money.EUR) }

// validEntry returns a balanced three-line entry in EUR.
func validEntry() ledger.Entry {
	return ledger.Entry{
		Book: "acme", Key: "inv/1", Date: date.MustParse("2026-03-15"),
		Description: "Invoice 1", Voucher: "RE-1",
		Lines: []ledger.Line{
			ledger.Debit("1400", eurMinor(11900)),  // 119.00
			ledger.Credit("8400", eurMinor(10000)), // 100.00
			ledger.Credit("1776", eurMinor(1900)),  //  19.00; 119.00 − 100.00 − 19.00 = 0
		},
	}
}

func TestEntryValidate(t *testing.T) {
	reg := money.NewRegistry()
	pts, err := reg.Register("PTS", 0) // loyalty points, whole numbers
	if err != nil {
		t.Fatal(err)
	}
	pts2, err := money.NewCurrency("PTS", 2) // the same code with cents: not what reg knows
	if err != nil {
		t.Fatal(err)
	}
	zzz, err := money.NewCurrency("ZZZ", 2) // never registered
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name     string
		edit     func(e *ledger.Entry)
		wantErr  string // sentinel name; "" means valid
		wantLine int
	}{
		{"valid", func(e *ledger.Entry) {}, "", 0},
		{"valid two lines", func(e *ledger.Entry) {
			e.Lines = []ledger.Line{ledger.Debit("1200", eurMinor(1)), ledger.Credit("8400", eurMinor(1))}
		}, "", 0},
		{"valid without key", func(e *ledger.Entry) { e.Key = "" }, "", 0},
		{"valid key of 256 bytes", func(e *ledger.Entry) { e.Key = strings.Repeat("k", 256) }, "", 0},
		{"valid book ID of 64 bytes", func(e *ledger.Entry) { e.Book = strings.Repeat("b", 64) }, "", 0},
		{"valid custom currency", func(e *ledger.Entry) {
			e.Lines = []ledger.Line{ledger.Debit("1200", money.New(500, pts)), ledger.Credit("8400", money.New(500, pts))}
		}, "", 0},
		{"valid in two currencies", func(e *ledger.Entry) {
			// EUR: 10.00 − 10.00 = 0; JPY: 1500 − 1000 − 500 = 0
			e.Lines = []ledger.Line{
				ledger.Debit("1200", eurMinor(1000)),
				ledger.Debit("1210", money.New(1500, money.JPY)),
				ledger.Credit("8400", eurMinor(1000)),
				ledger.Credit("8410", money.New(1000, money.JPY)),
				ledger.Credit("8410", money.New(500, money.JPY)),
			}
		}, "", 0},
		{"valid dimensions", func(e *ledger.Entry) {
			e.Lines[0].Dimensions = map[string]string{"costcentre": "CC 10 / Berlin", "employee": ""}
		}, "", 0},
		{"valid negative debit", func(e *ledger.Entry) {
			// Debit of −5.00 is a credit of 5.00: −5.00 + 5.00 = 0.
			e.Lines = []ledger.Line{ledger.Debit("1200", eurMinor(-500)), ledger.Debit("8400", eurMinor(500))}
		}, "", 0},

		{"empty book ID", func(e *ledger.Entry) { e.Book = "" }, "ErrInvalid", -1},
		{"book ID with space", func(e *ledger.Entry) { e.Book = "ac me" }, "ErrInvalid", -1},
		{"book ID with slash", func(e *ledger.Entry) { e.Book = "ac/me" }, "ErrInvalid", -1},
		{"book ID with control character", func(e *ledger.Entry) { e.Book = "acme\x7f" }, "ErrInvalid", -1},
		{"book ID of 65 bytes", func(e *ledger.Entry) { e.Book = strings.Repeat("b", 65) }, "ErrInvalid", -1},
		{"no date", func(e *ledger.Entry) { e.Date = date.Date{} }, "ErrInvalid", -1},
		{"no lines", func(e *ledger.Entry) { e.Lines = nil }, "ErrInvalid", -1},
		{"one line", func(e *ledger.Entry) { e.Lines = e.Lines[:1] }, "ErrInvalid", -1},
		{"key of 257 bytes", func(e *ledger.Entry) { e.Key = strings.Repeat("k", 257) }, "ErrInvalid", -1},
		{"empty account", func(e *ledger.Entry) { e.Lines[1].Account = "" }, "ErrInvalid", 1},
		{"account with space", func(e *ledger.Entry) { e.Lines[2].Account = "17 76" }, "ErrInvalid", 2},
		{"account with slash", func(e *ledger.Entry) { e.Lines[0].Account = "14/00" }, "ErrInvalid", 0},
		{"account of 65 bytes", func(e *ledger.Entry) { e.Lines[2].Account = strings.Repeat("1", 65) }, "ErrInvalid", 2},
		{"zero amount", func(e *ledger.Entry) { e.Lines = append(e.Lines, ledger.Debit("1200", eurMinor(0))) }, "ErrZeroAmount", 3},
		{"zero Amount value", func(e *ledger.Entry) { e.Lines[1].Amount = money.Amount{} }, "ErrZeroAmount", 1},
		{"amount without currency", func(e *ledger.Entry) { e.Lines[1].Amount = money.New(-10000, money.Currency{}) }, "ErrUnknownCurrency", 1},
		{"unregistered custom currency", func(e *ledger.Entry) {
			e.Lines = append(e.Lines, ledger.Debit("1200", money.New(1, zzz)), ledger.Credit("8400", money.New(1, zzz)))
		}, "ErrUnknownCurrency", 3},
		{"currency with other minor units than registered", func(e *ledger.Entry) {
			e.Lines = []ledger.Line{ledger.Debit("1200", money.New(150, pts2)), ledger.Credit("8400", money.New(150, pts2))}
		}, "ErrScale", 0},
		{"bad currency after good ones", func(e *ledger.Entry) {
			e.Lines = append(e.Lines, ledger.Debit("1200", money.New(1, pts)), ledger.Credit("8400", money.New(1, pts2)))
		}, "ErrScale", 4},
		{"empty dimension name", func(e *ledger.Entry) { e.Lines[2].Dimensions = map[string]string{"": "x"} }, "ErrInvalid", 2},
		{"dimension name with space", func(e *ledger.Entry) { e.Lines[1].Dimensions = map[string]string{"cost centre": "10"} }, "ErrInvalid", 1},
		{"dimension name with slash", func(e *ledger.Entry) { e.Lines[0].Dimensions = map[string]string{"a/b": "10"} }, "ErrInvalid", 0},
		{"overflow", func(e *ledger.Entry) {
			// MaxInt64 + 1 leaves the range at line 1.
			e.Lines = []ledger.Line{ledger.Debit("1200", eurMinor(math.MaxInt64)), ledger.Debit("1200", eurMinor(1)), ledger.Credit("8400", eurMinor(1))}
		}, "ErrOverflow", 1},
		{"overflow in second currency", func(e *ledger.Entry) {
			e.Lines = []ledger.Line{
				ledger.Debit("1200", eurMinor(1)),
				ledger.Debit("1210", money.New(math.MaxInt64, money.JPY)),
				ledger.Credit("8400", eurMinor(1)),
				ledger.Debit("1210", money.New(math.MaxInt64, money.JPY)),
			}
		}, "ErrOverflow", 3},
		{"unbalanced", func(e *ledger.Entry) { e.Lines[2].Amount = eurMinor(-1899) }, "ErrUnbalanced", -1},
		{"unbalanced by one cent the other way", func(e *ledger.Entry) { e.Lines[2].Amount = eurMinor(-1901) }, "ErrUnbalanced", -1},
		{"all debits", func(e *ledger.Entry) {
			e.Lines = []ledger.Line{ledger.Debit("1200", eurMinor(100)), ledger.Debit("8400", eurMinor(100))}
		}, "ErrUnbalanced", -1},
		{"balanced total but not per currency", func(e *ledger.Entry) {
			// 10.00 EUR − 10.00 USD is zero minor units in sum, but not per currency.
			e.Lines = []ledger.Line{ledger.Debit("1200", eurMinor(1000)), ledger.Credit("8400", money.New(1000, money.USD))}
		}, "ErrUnbalanced", -1},
		{"unbalanced in second currency", func(e *ledger.Entry) {
			e.Lines = append(e.Lines, ledger.Debit("1210", money.New(100, money.JPY)), ledger.Credit("8410", money.New(99, money.JPY)))
		}, "ErrUnbalanced", -1},
		{"first rule broken wins", func(e *ledger.Entry) { e.Book = ""; e.Date = date.Date{}; e.Lines = nil }, "ErrInvalid", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := validEntry()
			tt.edit(&e)
			err := e.Validate(reg)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if diff := cmp.Diff(wrapped(err), []string{tt.wantErr}); diff != "" {
				t.Errorf("Validate() = %v, wrapping (-got +want):\n%s", err, diff)
			}
			var ee *ledger.EntryError
			if !errors.As(err, &ee) {
				t.Fatalf("Validate() = %v (%T), want an *EntryError", err, err)
			}
			if ee.Line != tt.wantLine || ee.Key != e.Key || ee.Index != 0 {
				t.Errorf("EntryError{Index: %d, Key: %q, Line: %d}, want {0, %q, %d}", ee.Index, ee.Key, ee.Line, e.Key, tt.wantLine)
			}
		})
	}
}

// TestEntryValidateNilRegistry checks the documented default: a nil registry
// means ISO 4217 only.
func TestEntryValidateNilRegistry(t *testing.T) {
	zzz, err := money.NewCurrency("ZZZ", 2)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		lines   []ledger.Line
		wantErr []string
	}{
		{"ISO currency", []ledger.Line{ledger.Debit("1200", eurMinor(100)), ledger.Credit("8400", eurMinor(100))}, nil},
		{"custom currency", []ledger.Line{ledger.Debit("1200", money.New(1, zzz)), ledger.Credit("8400", money.New(1, zzz))}, []string{"ErrUnknownCurrency"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := ledger.Entry{Book: "acme", Date: date.MustParse("2026-03-15"), Lines: tt.lines}
			var err error
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Fatalf("Validate(nil) panicked: %v", p)
					}
				}()
				err = e.Validate(nil)
			}()
			if diff := cmp.Diff(wrapped(err), tt.wantErr); diff != "" {
				t.Errorf("Validate(nil) = %v, wrapping (-got +want):\n%s", err, diff)
			}
		})
	}
}

// TestEntryErrorMessage checks that messages name the key and line but carry
// no amounts or free text, which may be personal data.
func TestEntryErrorMessage(t *testing.T) {
	e := ledger.Entry{
		Book: "acme", Key: "payroll/2026-03/E-17", Date: date.MustParse("2026-03-31"),
		Description: "Salary Jane Doe",
		Lines: []ledger.Line{
			{Account: "4120", Amount: eurMinor(654321), Memo: "Jane Doe"},
			{Account: "1200", Amount: eurMinor(-654320), Memo: "Jane Doe"},
		},
	}
	tests := []struct {
		name string
		edit func(e *ledger.Entry)
		want string
	}{
		{"unbalanced", func(e *ledger.Entry) {}, `entry (key "payroll/2026-03/E-17"): ledger: entry does not balance in EUR`},
		{"zero amount", func(e *ledger.Entry) { e.Lines[1].Amount = eurMinor(0) }, `entry (key "payroll/2026-03/E-17") line 1, account 1200: ledger: zero amount`},
		{"no key", func(e *ledger.Entry) { e.Key = ""; e.Lines[1].Account = "" }, `entry line 1: ledger: invalid: account code`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := e
			e.Lines = append([]ledger.Line(nil), e.Lines...)
			tt.edit(&e)
			err := e.Validate(money.NewRegistry())
			if err == nil {
				t.Fatal("Validate() = nil, want an error")
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
			for _, secret := range []string{"6543", "Jane"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("Error() = %q contains %q", err.Error(), secret)
				}
			}
		})
	}
}

func TestDebitCredit(t *testing.T) {
	tests := []struct {
		name       string
		line       ledger.Line
		wantMinor  int64
		wantSide   ledger.Side
		wantString string
	}{
		{"debit", ledger.Debit("1200", eurMinor(12345)), 12345, ledger.SideDebit, "debit"},
		{"credit", ledger.Credit("8400", eurMinor(12345)), -12345, ledger.SideCredit, "credit"},
		{"debit of a negative amount credits", ledger.Debit("1200", eurMinor(-5)), -5, ledger.SideCredit, "credit"},
		{"credit of a negative amount debits", ledger.Credit("8400", eurMinor(-5)), 5, ledger.SideDebit, "debit"},
		{"zero is on the debit side", ledger.Credit("8400", eurMinor(0)), 0, ledger.SideDebit, "debit"},
		{"credit of the largest amount", ledger.Credit("8400", eurMinor(math.MaxInt64)), -math.MaxInt64, ledger.SideCredit, "credit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.line.Amount.MinorUnits(); got != tt.wantMinor {
				t.Errorf("Amount = %d minor units, want %d", got, tt.wantMinor)
			}
			if got := tt.line.Amount.Currency(); got != money.EUR {
				t.Errorf("currency = %v, want EUR", got)
			}
			if got := tt.line.Side(); got != tt.wantSide {
				t.Errorf("Side() = %v, want %v", got, tt.wantSide)
			}
			if got := tt.line.Side().String(); got != tt.wantString {
				t.Errorf("Side().String() = %q, want %q", got, tt.wantString)
			}
		})
	}
	t.Run("fields", func(t *testing.T) {
		got := []ledger.Line{ledger.Debit("1200", eurMinor(1)), ledger.Credit("8400", eurMinor(1))}
		want := []ledger.Line{{Account: "1200", Amount: eurMinor(1)}, {Account: "8400", Amount: eurMinor(-1)}}
		if diff := cmp.Diff(got, want); diff != "" {
			t.Errorf("lines (-got +want):\n%s", diff)
		}
	})
}

func TestParseAccountType(t *testing.T) {
	tests := []struct {
		in      string
		want    ledger.AccountType
		wantErr bool
	}{
		{"asset", ledger.Asset, false},
		{"Assets", ledger.Asset, false},
		{" ASSET ", ledger.Asset, false},
		{"liability", ledger.Liability, false},
		{"Liabilities", ledger.Liability, false},
		{"equity", ledger.Equity, false},
		{"EQUITY", ledger.Equity, false},
		{"revenue", ledger.Revenue, false},
		{"revenues", ledger.Revenue, false},
		{"Income", ledger.Revenue, false},
		{"expense", ledger.Expense, false},
		{"expenses", ledger.Expense, false},
		{"\texpense\n", ledger.Expense, false},
		{"", 0, true},
		{"equities", 0, true},
		{"cost", 0, true},
		{"a sset", 0, true},
		{"1", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ledger.ParseAccountType(tt.in)
			if tt.wantErr {
				if !errors.Is(err, ledger.ErrInvalid) {
					t.Errorf("ParseAccountType(%q) = %v, %v; want ErrInvalid", tt.in, got, err)
				}
				if err != nil && strings.Contains(err.Error(), tt.in) && tt.in != "" {
					t.Errorf("error %q repeats the input", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ParseAccountType(%q) = %v, %v; want %v, nil", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestAccountType(t *testing.T) {
	tests := []struct {
		typ           ledger.AccountType
		wantString    string
		wantSide      ledger.Side
		wantPL        bool
		wantRoundTrip bool
	}{
		{ledger.Asset, "asset", ledger.SideDebit, false, true},
		{ledger.Liability, "liability", ledger.SideCredit, false, true},
		{ledger.Equity, "equity", ledger.SideCredit, false, true},
		{ledger.Revenue, "revenue", ledger.SideCredit, true, true},
		{ledger.Expense, "expense", ledger.SideDebit, true, true},
		{0, "AccountType(0)", ledger.SideCredit, false, false},
		{6, "AccountType(6)", ledger.SideCredit, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.wantString, func(t *testing.T) {
			if got := tt.typ.String(); got != tt.wantString {
				t.Errorf("String() = %q, want %q", got, tt.wantString)
			}
			if got := tt.typ.NormalSide(); got != tt.wantSide {
				t.Errorf("NormalSide() = %v, want %v", got, tt.wantSide)
			}
			if got := tt.typ.IsIncomeStatement(); got != tt.wantPL {
				t.Errorf("IsIncomeStatement() = %t, want %t", got, tt.wantPL)
			}
			if tt.wantRoundTrip {
				if got, err := ledger.ParseAccountType(tt.typ.String()); err != nil || got != tt.typ {
					t.Errorf("ParseAccountType(String()) = %v, %v", got, err)
				}
			}
		})
	}
}

func TestConstraintHelpers(t *testing.T) {
	d := decimal.RequireFromString
	null := func(s string) decimal.NullDecimal { return decimal.NewNullDecimal(d(s)) }
	tests := []struct {
		name     string
		got      ledger.Constraint
		want     ledger.Constraint
		wantZero bool
	}{
		{"zero value", ledger.Constraint{}, ledger.Constraint{}, true},
		{"NonNegative", ledger.NonNegative(), ledger.Constraint{Min: null("0")}, false},
		{"NonPositive", ledger.NonPositive(), ledger.Constraint{Max: null("0")}, false},
		{"Between", ledger.Between(d("-100.50"), d("2500")), ledger.Constraint{Min: null("-100.5"), Max: null("2500.00")}, false},
		{"Between one value", ledger.Between(d("7"), d("7")), ledger.Constraint{Min: null("7"), Max: null("7")}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// decimal.Decimal has an Equal method, which cmp uses: 2500 == 2500.00.
			if diff := cmp.Diff(tt.got, tt.want); diff != "" {
				t.Errorf("constraint (-got +want):\n%s", diff)
			}
			if got := tt.got.IsZero(); got != tt.wantZero {
				t.Errorf("IsZero() = %t, want %t", got, tt.wantZero)
			}
		})
	}
}

func TestAccountValidate(t *testing.T) {
	d := decimal.RequireFromString
	valid := ledger.Account{Book: "acme", Code: "1200", Name: "Bank", Type: ledger.Asset}
	tests := []struct {
		name    string
		edit    func(a *ledger.Account)
		wantErr bool
	}{
		{"valid", func(a *ledger.Account) {}, false},
		{"valid with parent and constraint", func(a *ledger.Account) { a.Parent = "1000"; a.Constraint = ledger.Between(d("0"), d("0")) }, false},
		{"no book", func(a *ledger.Account) { a.Book = "" }, true},
		{"no code", func(a *ledger.Account) { a.Code = "" }, true},
		{"code with slash", func(a *ledger.Account) { a.Code = "12/00" }, true},
		{"blank name", func(a *ledger.Account) { a.Name = " \t" }, true},
		{"no type", func(a *ledger.Account) { a.Type = 0 }, true},
		{"type out of range", func(a *ledger.Account) { a.Type = ledger.Expense + 1 }, true},
		{"own parent", func(a *ledger.Account) { a.Parent = "1200" }, true},
		{"min above max", func(a *ledger.Account) { a.Constraint = ledger.Between(d("0.01"), d("0")) }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := valid
			tt.edit(&a)
			err := a.Validate()
			if got := err != nil; got != tt.wantErr {
				t.Fatalf("Validate() = %v, want error: %t", err, tt.wantErr)
			}
			if err != nil && !errors.Is(err, ledger.ErrInvalid) {
				t.Errorf("Validate() = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestBookPeriodOf(t *testing.T) {
	type period struct{ FY, N int }
	tests := []struct {
		name    string
		fyStart int
		day     string
		want    period
	}{
		{"zero start is January, first day", 0, "2026-01-01", period{2026, 1}},
		{"zero start is January, last day", 0, "2026-12-31", period{2026, 12}},
		{"January start, March", 1, "2026-03-15", period{2026, 3}},
		{"January start, leap day", 1, "2028-02-29", period{2028, 2}},
		// July start: period n covers month 7+n−1, so March (month 3 of the
		// next calendar year) is 3 + 12 − 7 + 1 = 9, in the year named by July 2026.
		{"July start, March of next year", 7, "2027-03-15", period{2026, 9}},
		{"July start, first day", 7, "2026-07-01", period{2026, 1}},
		{"July start, day before", 7, "2026-06-30", period{2025, 12}},
		{"July start, December", 7, "2026-12-31", period{2026, 6}},       // 12 − 7 + 1 = 6
		{"July start, January", 7, "2027-01-01", period{2026, 7}},        // 1 + 12 − 7 + 1 = 7
		{"December start, December", 12, "2026-12-01", period{2026, 1}},  // 12 − 12 + 1 = 1
		{"December start, November", 12, "2026-11-30", period{2025, 12}}, // 11 + 12 − 12 + 1 = 12
		{"February start, January", 2, "2027-01-31", period{2026, 12}},   // 1 + 12 − 2 + 1 = 12
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := ledger.Book{ID: "acme", Currency: money.EUR, FiscalYearStart: tt.fyStart}
			fy, n := b.PeriodOf(date.MustParse(tt.day))
			if diff := cmp.Diff(period{fy, n}, tt.want); diff != "" {
				t.Errorf("PeriodOf(%s) (-got +want):\n%s", tt.day, diff)
			}
		})
	}
}

func TestBookFiscalYearRange(t *testing.T) {
	tests := []struct {
		name                string
		fyStart, fy         int
		wantFirst, wantLast string
	}{
		{"zero start is January", 0, 2026, "2026-01-01", "2026-12-31"},
		{"January", 1, 2026, "2026-01-01", "2026-12-31"},
		{"July", 7, 2026, "2026-07-01", "2027-06-30"},
		{"July, previous year", 7, 2025, "2025-07-01", "2026-06-30"},
		{"March, ends on a leap day", 3, 2027, "2027-03-01", "2028-02-29"},
		{"March, ends on 28 February", 3, 2026, "2026-03-01", "2027-02-28"},
		{"December", 12, 2026, "2026-12-01", "2027-11-30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := ledger.Book{ID: "acme", Currency: money.EUR, FiscalYearStart: tt.fyStart}
			first, last := b.FiscalYearRange(tt.fy)
			got := []string{first.String(), last.String()}
			if diff := cmp.Diff(got, []string{tt.wantFirst, tt.wantLast}); diff != "" {
				t.Errorf("FiscalYearRange(%d) (-got +want):\n%s", tt.fy, diff)
			}
			// Both ends lie in the year they bound: period 1 and period 12.
			if fy, n := b.PeriodOf(first); fy != tt.fy || n != 1 {
				t.Errorf("PeriodOf(first) = %d, %d; want %d, 1", fy, n, tt.fy)
			}
			if fy, n := b.PeriodOf(last); fy != tt.fy || n != 12 {
				t.Errorf("PeriodOf(last) = %d, %d; want %d, 12", fy, n, tt.fy)
			}
		})
	}
}

// fuzzCurrencies are the currencies FuzzValidate draws from; the registry it
// validates against knows the first four.
var fuzzCurrencies = func() []money.Currency {
	p0, _ := money.NewCurrency("PTS", 0)
	p2, _ := money.NewCurrency("PTS", 2)  // wrong minor units for the registry
	zzz, _ := money.NewCurrency("ZZZ", 2) // unknown to the registry
	return []money.Currency{money.EUR, money.JPY, money.BHD, p0, p2, zzz, {}}
}()

func FuzzValidate(f *testing.F) {
	enc := func(parts ...any) []byte {
		var b []byte
		for _, p := range parts {
			switch v := p.(type) {
			case int:
				b = append(b, byte(v))
			case int64:
				b = binary.BigEndian.AppendUint64(b, uint64(v))
			}
		}
		return b
	}
	f.Add("acme", "k", "1200", enc(1, 0, int64(100), 0, int64(-100)))
	f.Add("acme", "", "1200", enc(0, 0, int64(100), 1, int64(-5), 0x40, int64(-100)))
	f.Add("acme", "k", "", enc(1, 0, int64(math.MaxInt64), 0, int64(math.MaxInt64)))
	f.Add("a/b", "k", "1200", enc(1, 2, int64(1)))
	f.Add("acme", "k", "a b", enc(1, 0x63, int64(7), 0x23, int64(9)))
	f.Add("acme", "k", "1200", enc(3, 3, int64(1), 4, int64(1), 5, int64(1), 6, int64(1)))

	reg := money.NewRegistry()
	if _, err := reg.Register("PTS", 0); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, book, key, account string, data []byte) {
		if len(data) == 0 {
			return
		}
		flags := data[0]
		data = data[1:]
		e := ledger.Entry{Book: book, Key: key, Date: date.MustParse("2026-03-15")}
		if flags&2 != 0 {
			e.Date = date.Date{}
		}
		// Each line is a selector byte and an int64: bits 0–2 of the selector
		// pick the currency, bit 5 adds a dimension named account, bit 6
		// books to account instead of "1200", bit 7 keeps only 16 bits of the
		// amount so that sums balance more often.
		for len(data) >= 9 && len(e.Lines) < 64 {
			sel := data[0]
			n := int64(binary.BigEndian.Uint64(data[1:9]))
			data = data[9:]
			if sel&0x80 != 0 {
				n = int64(int16(n))
			}
			if n == math.MinInt64 {
				n = math.MaxInt64
			}
			ln := ledger.Line{Account: "1200", Amount: money.New(n, fuzzCurrencies[int(sel&7)%len(fuzzCurrencies)])}
			if sel&0x40 != 0 {
				ln.Account = account
			}
			if sel&0x20 != 0 {
				ln.Dimensions = map[string]string{account: "v"}
			}
			e.Lines = append(e.Lines, ln)
		}
		if flags&1 != 0 {
			// Add one line per currency that brings it to zero, if it fits.
			sums, order := sumPerCurrency(e.Lines)
			for _, c := range order {
				s := sums[c]
				if s.Sign() != 0 && s.IsInt64() && s.Int64() != math.MinInt64 {
					e.Lines = append(e.Lines, ledger.Line{Account: "9999", Amount: money.New(-s.Int64(), c)})
				}
			}
		}

		err := e.Validate(reg)
		if err != nil {
			var ee *ledger.EntryError
			if !errors.As(err, &ee) {
				t.Fatalf("Validate() = %v (%T), want an *EntryError", err, err)
			}
			if ee.Line < -1 || ee.Line >= len(e.Lines) {
				t.Errorf("EntryError.Line = %d with %d lines", ee.Line, len(e.Lines))
			}
			if got := wrapped(err); len(got) != 1 {
				t.Errorf("Validate() = %v wraps %v, want exactly one sentinel", err, got)
			}
			return
		}
		// Accepted: check by independent summation.
		if len(e.Lines) < 2 {
			t.Fatalf("accepted an entry with %d lines", len(e.Lines))
		}
		if e.Date.IsZero() {
			t.Fatal("accepted an entry without date")
		}
		for i, ln := range e.Lines {
			if ln.Amount.IsZero() {
				t.Errorf("accepted zero amount on line %d", i)
			}
			if c := ln.Amount.Currency(); c.IsZero() || c == fuzzCurrencies[4] || c == fuzzCurrencies[5] {
				t.Errorf("accepted currency %q (%d minor units) on line %d", c.Code(), c.MinorUnits(), i)
			}
		}
		sums, _ := sumPerCurrency(e.Lines)
		for c, s := range sums {
			if s.Sign() != 0 {
				t.Errorf("accepted an entry that sums to %v minor units of %s", s, c.Code())
			}
		}
	})
}

// sumPerCurrency sums lines per currency exactly, in big integers, and
// returns the currencies in order of first appearance.
func sumPerCurrency(lines []ledger.Line) (map[money.Currency]*big.Int, []money.Currency) {
	sums := map[money.Currency]*big.Int{}
	var order []money.Currency
	for _, ln := range lines {
		c := ln.Amount.Currency()
		if sums[c] == nil {
			sums[c] = new(big.Int)
			order = append(order, c)
		}
		sums[c].Add(sums[c], big.NewInt(ln.Amount.MinorUnits()))
	}
	return sums, order
}
