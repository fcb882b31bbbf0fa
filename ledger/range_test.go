package ledger_test

import (
	"context"
	"errors"
	"testing"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
)

// TestOutOfRange gives every exported function that takes a fiscal year,
// period or date values outside what a date.Date holds: an error, never a
// panic.
func TestOutOfRange(t *testing.T) {
	ctx := context.Background()
	l := newBook(t, ledger.Book{ID: "acme", FiscalYearStart: 7}, chart()...)
	b, err := l.Book(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	for _, fy := range []int{-1, 0, 9999, 10000, 1 << 40, -1 << 40} {
		if first, last := b.FiscalYearRange(fy); !first.IsZero() || !last.IsZero() {
			t.Errorf("FiscalYearRange(%d) = %v, %v; want zero dates", fy, first, last)
		}
		if err := b.CheckFiscalYear(fy); !errors.Is(err, ledger.ErrInvalid) {
			t.Errorf("CheckFiscalYear(%d) = %v", fy, err)
		}
		for name, f := range map[string]func() error{
			"Periods":      func() error { _, err := l.Periods(ctx, "acme", fy); return err },
			"ClosePeriod":  func() error { return l.ClosePeriod(ctx, "acme", fy, 1) },
			"LockPeriod":   func() error { return l.LockPeriod(ctx, "acme", fy, 1) },
			"ReopenPeriod": func() error { return l.ReopenPeriod(ctx, "acme", fy, 1, "x") },
			"CloseYear":    func() error { _, err := l.CloseYear(ctx, "acme", fy, "2970"); return err },
			"CloseOpenPeriod": func() error {
				_, err := l.CloseOpenPeriod(ctx, "acme", fy, 1)
				return err
			},
		} {
			if err := f(); !errors.Is(err, ledger.ErrInvalid) {
				t.Errorf("%s(%d) = %v, want ErrInvalid", name, fy, err)
			}
		}
	}
	for _, n := range []int{0, 13, -1} {
		if err := l.ClosePeriod(ctx, "acme", 2026, n); !errors.Is(err, ledger.ErrInvalid) {
			t.Errorf("ClosePeriod(2026, %d) = %v", n, err)
		}
	}
	// The zero date; the first day of year 1, whose fiscal year (July
	// start) began in year 0; the last of 9999, whose ends in year 10000.
	for _, d := range []date.Date{{}, date.MustParse("0001-01-01"), date.MustParse("9999-12-31")} {
		if _, err := l.Period(ctx, "acme", d); !errors.Is(err, ledger.ErrInvalid) {
			t.Errorf("Period(%v) = %v, want ErrInvalid", d, err)
		}
	}
	if _, err := l.Period(ctx, "acme", date.MustParse("9999-06-30")); err != nil {
		t.Errorf("Period(9999-06-30) = %v", err)
	}
	for _, q := range []ledger.BalanceQuery{{From: date.MustParse("9999-12-31")}, {To: date.MustParse("0001-01-01")}, {From: date.MustParse("0001-01-01"), To: date.MustParse("9999-12-31")}} {
		if _, err := l.Balances(ctx, "acme", q); err != nil {
			t.Errorf("Balances(%+v) = %v", q, err)
		}
	}
}
