package ledger_test

import (
	"context"
	"errors"
	"testing"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
)

// TestPeriodErrorNamesPeriodAndDate: an entry refused for its period says
// which period (fiscal year/number and its days) and the booking date, and
// still wraps ErrPeriodClosed or ErrPeriodLocked. The July book's
// 2027-03-15 lies in period 9 of fiscal year 2026.
func TestPeriodErrorNamesPeriodAndDate(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		book  ledger.Book
		setup func(*ledger.Ledger) error
		day   string
		want  error
		msg   string
	}{
		{"closed", ledger.Book{ID: "acme"}, func(l *ledger.Ledger) error { return l.ClosePeriod(ctx, "acme", 2026, 2) },
			"2026-02-10", ledger.ErrPeriodClosed, "ledger: period closed: 2026/02 (2026-02-01 – 2026-02-28), booking date 2026-02-10"},
		{"closed, July fiscal year", ledger.Book{ID: "acme", FiscalYearStart: 7}, func(l *ledger.Ledger) error { return l.ClosePeriod(ctx, "acme", 2026, 9) },
			"2027-03-15", ledger.ErrPeriodClosed, "ledger: period closed: 2026/09 (2027-03-01 – 2027-03-31), booking date 2027-03-15"},
		{"locked", ledger.Book{ID: "acme"}, func(l *ledger.Ledger) error {
			if err := l.ClosePeriod(ctx, "acme", 2026, 3); err != nil {
				return err
			}
			return l.LockPeriod(ctx, "acme", 2026, 3)
		}, "2026-03-31", ledger.ErrPeriodLocked, "ledger: period locked: 2026/03 (2026-03-01 – 2026-03-31), booking date 2026-03-31"},
		{"lock date", ledger.Book{ID: "acme"}, func(l *ledger.Ledger) error { return l.SetLockDate(ctx, "acme", date.MustParse("2026-01-31")) },
			"2026-01-20", ledger.ErrPeriodLocked, "ledger: period locked: booking date 2026-01-20 on or before the lock date 2026-01-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newBook(t, tt.book, chart()...)
			if err := tt.setup(l); err != nil {
				t.Fatal(err)
			}
			_, err := l.Post(ctx, ledger.Entry{Book: "acme", Date: date.MustParse(tt.day), Lines: []ledger.Line{
				ledger.Debit("1200", eurMinor(100)), ledger.Credit("8400", eurMinor(100))}})
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if got := err.Error(); got != tt.msg {
				t.Errorf("error %q\nwant  %q", got, tt.msg)
			}
		})
	}
}
