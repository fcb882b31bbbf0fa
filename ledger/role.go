package ledger

import (
	"context"
	"fmt"
)

// ByRole returns the account of accounts whose metadata RoleKey is role
// (a chart's purpose: "retained_earnings", "bank", "fx_gains", …; see
// charts/README.md), so that code need not carry a chart's account
// numbers ("0860" in SKR 03, "2970" in SKR 04). It fails with ErrNotFound
// if no account has the role, and with ErrInvalid naming both accounts if
// two have it: which one was meant would be a guess.
func ByRole(accounts []Account, role string) (Account, error) {
	found := -1
	for i := range accounts {
		if accounts[i].Metadata[RoleKey] != role {
			continue
		}
		if found >= 0 {
			return Account{}, fmt.Errorf("%w: accounts %s and %s both have the role %s", ErrInvalid, accounts[found].Code, accounts[i].Code, role)
		}
		found = i
	}
	if found < 0 {
		return Account{}, fmt.Errorf("%w: no account has the role %s", ErrNotFound, role)
	}
	return accounts[found], nil
}

// AccountByRole is ByRole over the accounts of book.
func (l *Ledger) AccountByRole(ctx context.Context, book, role string) (Account, error) {
	accts, err := l.Accounts(ctx, book)
	if err != nil {
		return Account{}, err
	}
	a, err := ByRole(accts, role)
	if err != nil {
		return Account{}, fmt.Errorf("book %s: %w", book, err)
	}
	return a, nil
}
