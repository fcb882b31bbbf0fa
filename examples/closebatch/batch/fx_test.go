package batch_test

import (
	"context"
	"errors"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/examples/closebatch/batch"
	"github.com/openbackoffice/backoffice/fx"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/memory"
)

// ledgerOnly hides the memory store's fx.Store: a store without rates.
type ledgerOnly struct{ ledger.Store }

// TestLoadFX: a book without rates gets none (and a ledger as before); with
// the shared rates it gets them and the default chart's fx_gains and
// fx_losses accounts, rounding on fx_losses unless an account has
// fx_rounding; two accounts with one role are an error.
func TestLoadFX(t *testing.T) {
	ctx := context.Background()
	s := memory.New()
	l := ledger.New(s, nil)
	for _, id := range []string{"a", "b"} {
		if err := l.CreateBook(ctx, ledger.Book{ID: id, Currency: money.EUR}); err != nil {
			t.Fatal(err)
		}
		if err := l.CreateAccounts(ctx, ledger.DefaultChart(id)...); err != nil {
			t.Fatal(err)
		}
	}
	f, err := batch.LoadFX(ctx, s, "a")
	if err != nil || f.Rates != nil || f.Options() != nil {
		t.Fatalf("LoadFX without rates = %+v, %v; want none", f, err)
	}
	if _, err := s.PutRates(ctx, "", []fx.Rate{{Date: date.MustParse("2025-01-15"), From: money.USD, To: money.EUR,
		Rate: decimal.RequireFromString("0.905"), Source: "test"}}); err != nil {
		t.Fatal(err)
	}
	if f, err := batch.LoadFX(ctx, ledgerOnly{s}, "a"); err != nil || f.Rates != nil {
		t.Errorf("LoadFX from a store without rates = %+v, %v; want none", f, err)
	}
	f, err = batch.LoadFX(ctx, s, "a")
	if err != nil || f.Rates == nil || f.Gains != "4200" || f.Losses != "6990" || f.Rounding != "6990" {
		t.Fatalf("LoadFX = %+v, %v; want the shared rate, 4200, 6990 and 6990", f, err)
	}
	if o := f.Options(); o == nil || o.Rates == nil || o.RoundingAccount != "6990" {
		t.Errorf("Options = %+v", o)
	}
	// Two lines of 10.05 USD at 0.905 are 9.10 EUR each (9.09525, HalfUp),
	// the bank's 18.19 EUR their sum at once: 0.01 to 6990.
	usd := money.MustParse("10.05", money.USD)
	p, err := f.Ledger(s).Post(ctx, ledger.Entry{Book: "a", Key: "r1", Date: date.MustParse("2025-03-05"), Lines: []ledger.Line{
		ledger.Debit("1120", usd), ledger.Debit("1120", usd), ledger.Credit("3100", money.MustParse("18.19", money.EUR))}})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Lines) != 4 || p.Lines[0].Base.String() != "9.10 EUR" || p.Lines[3].Account != "6990" || p.Lines[3].Amount.String() != "-0.01 EUR" {
		t.Errorf("posted %+v; want both USD lines at 9.10 EUR and -0.01 EUR on 6990", p.Lines)
	}

	err = l.CreateAccounts(ctx, ledger.Account{Book: "b", Code: "6991", Name: "Rounding", Type: ledger.Expense,
		Metadata: map[string]string{ledger.RoleKey: batch.RoleFXRounding}})
	if err != nil {
		t.Fatal(err)
	}
	if f, err := batch.LoadFX(ctx, s, "b"); err != nil || f.Rounding != "6991" || f.Losses != "6990" {
		t.Errorf("LoadFX with an fx_rounding account = %+v, %v; want rounding on 6991", f, err)
	}
	err = l.CreateAccounts(ctx, ledger.Account{Book: "b", Code: "4201", Name: "FX gains", Type: ledger.Revenue,
		Metadata: map[string]string{ledger.RoleKey: batch.RoleFXGains}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := batch.LoadFX(ctx, s, "b"); err == nil {
		t.Error("LoadFX with two fx_gains accounts: no error")
	}
}

// TestTrialBalancedInBase: a book whose entries balance in the base
// currency with base amounts (USD against EUR) is balanced; one with
// amounts in USD without base amounts is checked per currency, as before;
// one with both cannot be summed and says why.
func TestTrialBalancedInBase(t *testing.T) {
	ctx := context.Background()
	s := memory.New()
	l := ledger.New(s, nil)
	d := date.MustParse("2025-01-15")
	post := func(book, key string, lines ...ledger.Line) {
		t.Helper()
		if _, err := l.Post(ctx, ledger.Entry{Book: book, Key: key, Date: d, Lines: lines}); err != nil {
			t.Fatal(err)
		}
	}
	converted := ledger.Entry{Lines: []ledger.Line{
		{Account: "1120", Amount: money.MustParse("100.00", money.USD), Base: money.MustParse("90.00", money.EUR)},
		ledger.Credit("3100", money.MustParse("90.00", money.EUR))}}
	unconverted := ledger.Entry{Lines: []ledger.Line{
		ledger.Debit("1200", money.MustParse("5.00", money.USD)), ledger.Credit("4100", money.MustParse("5.00", money.USD))}}
	for _, id := range []string{"base", "usd", "both"} {
		if err := l.CreateBook(ctx, ledger.Book{ID: id, Currency: money.EUR}); err != nil {
			t.Fatal(err)
		}
		if err := l.CreateAccounts(ctx, ledger.DefaultChart(id)...); err != nil {
			t.Fatal(err)
		}
		if id != "usd" {
			post(id, "buy", converted.Lines...)
		}
		if id != "base" {
			post(id, "sale", unconverted.Lines...)
		}
	}
	for _, id := range []string{"base", "usd"} {
		if err := batch.TrialBalanced(ctx, l, id, d); err != nil {
			t.Errorf("book %s: %v", id, err)
		}
	}
	err := batch.TrialBalanced(ctx, l, "both", d)
	if !errors.Is(err, batch.ErrUnbalanced) || !errors.Is(err, ledger.ErrNotConverted) {
		t.Errorf("converted and unconverted: %v, want ErrUnbalanced naming what is not converted", err)
	}
}
