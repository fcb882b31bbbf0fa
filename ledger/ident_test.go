package ledger_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// TestLookAlikeCodes: codes that look like others but differ in bytes are
// refused, not made separate accounts, books or dimensions (issue 15, 7).
func TestLookAlikeCodes(t *testing.T) {
	ctx := context.Background()
	l := newBook(t, ledger.Book{ID: "acme"}, chart()...)
	for _, tc := range []struct{ name, code, why string }{
		{"decomposed é", "cafe\u0301", "NFC"},
		{"zero-width space", "12\u200b00", "U+200B"},
		{"right-to-left override", "1200\u202e", "U+202E"},
		{"full-width digits", "１２００", "compatibility"},
		{"Kelvin sign", "\u212a1200", "NFC"},
		{"no-break space", "12\u00a000", "U+00A0"},
		{"ligature", "\ufb01le", "compatibility"},
		{"Cyrillic a in Latin", "B\u0430nk", "Latin and Cyrillic"},
		{"Greek omicron in Latin", "Inc\u03bfme", "Latin and Greek"},
		{"Cyrillic and Greek", "\u0430\u03b1", "Cyrillic and Greek"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := l.CreateAccounts(ctx, ledger.Account{Book: "acme", Code: tc.code, Name: "X", Type: ledger.Asset})
			if !errors.Is(err, ledger.ErrInvalid) || !strings.Contains(err.Error(), tc.why) {
				t.Errorf("CreateAccounts(%q) = %v, want ErrInvalid naming %s", tc.code, err, tc.why)
			}
			if err := l.CreateBook(ctx, ledger.Book{ID: tc.code, Currency: money.EUR}); !errors.Is(err, ledger.ErrInvalid) {
				t.Errorf("CreateBook(%q) = %v, want ErrInvalid", tc.code, err)
			}
			_, err = l.Post(ctx, ledger.Entry{Book: "acme", Date: date.MustParse("2026-03-01"), Lines: []ledger.Line{
				{Account: "1200", Amount: money.MustParse("1.00", money.EUR), Dimensions: map[string]string{tc.code: "x"}},
				ledger.Credit("8400", money.MustParse("1.00", money.EUR))}})
			if !errors.Is(err, ledger.ErrInvalid) {
				t.Errorf("Post with dimension %q = %v, want ErrInvalid", tc.code, err)
			}
		})
	}
	// Letters beyond ASCII in NFC are fine.
	// So are one script's letters, and Latin with the scripts Japanese,
	// Chinese and Korean write together with Han.
	for _, code := range []string{"café", "Büro", "Ära-1", "κ100", "科目1", "Касса", "売上げカ-A1", "현금A", "ㄅ科A"} {
		if err := l.CreateAccounts(ctx, ledger.Account{Book: "acme", Code: code, Name: "X", Type: ledger.Expense}); err != nil {
			t.Errorf("CreateAccounts(%q) = %v", code, err)
		}
	}
}
