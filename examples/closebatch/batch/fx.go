package batch

import (
	"context"
	"fmt"

	"github.com/openbackoffice/backoffice/fx"
	"github.com/openbackoffice/backoffice/ledger"
)

// The chart roles (account metadata ledger.RoleKey) of the accounts that
// take exchange differences; the shipped charts carry the first two
// (ledger/charts/README.md).
const (
	RoleFXGains    = "fx_gains"    // realised and unrealised exchange gains
	RoleFXLosses   = "fx_losses"   // exchange losses; the rounding residue too, unless an account has RoleFXRounding
	RoleFXRounding = "fx_rounding" // the residue of converting an entry's lines one by one
)

// FX is what a ledger needs to post and revalue in several currencies for
// one book: the book's exchange rates and the accounts that take the
// differences, found by their chart role. An FX is safe for concurrent use
// once loaded.
type FX struct {
	// Rates are the book's own rates over the shared ones; nil if it has
	// none (or the store keeps no rates).
	Rates *fx.Table
	// Gains and Losses are the accounts with RoleFXGains and RoleFXLosses;
	// Rounding the account with RoleFXRounding, else Losses. "" where the
	// chart has no such account, or the book no rates.
	Gains, Losses, Rounding string
}

// LoadFX reads the exchange rates of book from s, its own and the shared
// ones (fx.Store.Rates), and finds its exchange-difference accounts by
// role. A book without rates, or in a store that does not implement
// fx.Store, gets the zero FX. Two accounts with one role are an error:
// which one takes the differences would be a guess. LoadFX is safe for
// concurrent use.
func LoadFX(ctx context.Context, s ledger.Store, book string) (FX, error) {
	rs, ok := s.(fx.Store)
	if !ok {
		return FX{}, nil
	}
	rates, err := rs.Rates(ctx, book)
	if err != nil {
		return FX{}, fmt.Errorf("exchange rates of book %s: %w", book, err)
	}
	if len(rates) == 0 {
		return FX{}, nil
	}
	f := FX{}
	if f.Rates, err = fx.NewTable(rates...); err != nil {
		return FX{}, fmt.Errorf("exchange rates of book %s: %w", book, err)
	}
	var accounts []ledger.Account
	err = s.View(ctx, func(tx ledger.ReadTx) (err error) { accounts, err = tx.Accounts(ctx, book); return err })
	if err != nil {
		return FX{}, err
	}
	for _, a := range accounts {
		var dst *string
		switch a.Metadata[ledger.RoleKey] {
		case RoleFXGains:
			dst = &f.Gains
		case RoleFXLosses:
			dst = &f.Losses
		case RoleFXRounding:
			dst = &f.Rounding
		default:
			continue
		}
		if *dst != "" {
			return FX{}, fmt.Errorf("book %s: accounts %s and %s both have meta.%s %s", book, *dst, a.Code, ledger.RoleKey, a.Metadata[ledger.RoleKey])
		}
		*dst = a.Code
	}
	if f.Rounding == "" {
		f.Rounding = f.Losses
	}
	return f, nil
}

// Options returns the options of a ledger that converts at f's rates and
// puts the rounding residue on f.Rounding; nil (a ledger as NewLedger
// returns) if f has no rates, so a book without rates posts as before.
func (f FX) Options() *ledger.Options {
	if f.Rates == nil {
		return nil
	}
	return &ledger.Options{Rates: f.Rates, RoundingAccount: f.Rounding}
}

// Ledger returns a ledger over s with f.Options.
func (f FX) Ledger(s ledger.Store) *ledger.Ledger { return ledger.New(s, f.Options()) }

// RatesFor is ledger.Options.RatesFor over the rates in s: each book's own
// (LoadFX, read again per call so a rate imported meanwhile counts), for a
// ledger that serves many books, as books serve does.
func RatesFor(s ledger.Store) func(ctx context.Context, book string) (ledger.BookRates, error) {
	return func(ctx context.Context, book string) (ledger.BookRates, error) {
		f, err := LoadFX(ctx, s, book)
		if err != nil || f.Rates == nil {
			return ledger.BookRates{}, err // a nil *fx.Table is no Converter
		}
		return ledger.BookRates{Rates: f.Rates, RoundingAccount: f.Rounding}, nil
	}
}
