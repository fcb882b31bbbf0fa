package ledger_test

import (
	"context"
	"errors"
	"testing"

	"github.com/openbackoffice/backoffice/ledger"
)

// TestAccountByRole finds the retained-earnings account of the shipped
// SKR 03 and SKR 04 charts by its role (0860 and 2970, as the charts'
// README lists them), and refuses a role no account has or two have.
func TestAccountByRole(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		chart string
		accts []ledger.Account
		want  string
	}{{"skr03", ledger.SKR03("acme"), "0860"}, {"skr04", ledger.SKR04("acme"), "2970"}, {"default", ledger.DefaultChart("acme"), "3200"}} {
		l := newBook(t, ledger.Book{ID: "acme"}, tt.accts...)
		a, err := l.AccountByRole(ctx, "acme", "retained_earnings")
		if err != nil || a.Code != tt.want {
			t.Errorf("%s: retained_earnings = %s, %v; want %s", tt.chart, a.Code, err, tt.want)
		}
		if _, err := l.AccountByRole(ctx, "acme", "no_such_role"); !errors.Is(err, ledger.ErrNotFound) {
			t.Errorf("%s: unknown role: %v", tt.chart, err)
		}
	}
	two := []ledger.Account{
		{Code: "1200", Metadata: map[string]string{ledger.RoleKey: "bank"}},
		{Code: "1210", Metadata: map[string]string{ledger.RoleKey: "bank"}},
	}
	if _, err := ledger.ByRole(two, "bank"); !errors.Is(err, ledger.ErrInvalid) || err.Error() != "ledger: invalid: accounts 1200 and 1210 both have the role bank" {
		t.Errorf("two banks: %v", err)
	}
}
