package storetest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// anyLine skips the check of EntryError.Line.
const anyLine = -2

// rejectBook sets up book R for the rejection tests:
//
//	1000 Cash         asset
//	1200 Bank         asset, must not go negative, balance 100.00 EUR
//	1210 Bank USD     asset, USD only
//	1500 Clearing     asset, must not go positive
//	1600 Payables     liability, must not go negative (natural balance)
//	1700 Petty cash   asset, between 0 and 500
//	1900 Old bank     asset, closed
//	3000 Equity       equity
//
// Entry "fund" (2026-01-05) debits 1200 100.00, entry "k1" (2026-01-06)
// debits 1000 10.00, both against 3000. Period 2026/02 is closed, 2026/03
// locked, and the lock date is 2025-12-31. It returns "k1" as posted.
func (e *env) rejectBook() ledger.Posted {
	e.t.Helper()
	e.book("R")
	closed := acct("R", "1900", "Old bank", ledger.Asset)
	closed.Closed = true
	usdOnly := acct("R", "1210", "Bank USD", ledger.Asset)
	usdOnly.Currency = money.USD
	withC := func(a ledger.Account, c ledger.Constraint) ledger.Account { a.Constraint = c; return a }
	e.accounts(
		acct("R", "1000", "Cash", ledger.Asset),
		withC(acct("R", "1200", "Bank", ledger.Asset), ledger.NonNegative()),
		usdOnly,
		withC(acct("R", "1500", "Clearing", ledger.Asset), ledger.NonPositive()),
		withC(acct("R", "1600", "Payables", ledger.Liability), ledger.NonNegative()),
		withC(acct("R", "1700", "Petty cash", ledger.Asset), ledger.Between(decimal.Zero, decimal.RequireFromString("500"))),
		closed,
		acct("R", "3000", "Equity", ledger.Equity),
	)
	e.post(ledger.Entry{Book: "R", Key: "fund", Date: day("2026-01-05"),
		Lines: []ledger.Line{ledger.Debit("1200", eur("100.00")), ledger.Credit("3000", eur("100.00"))}})
	k1 := e.post(ledger.Entry{Book: "R", Key: "k1", Date: day("2026-01-06"), Description: "first",
		Lines: []ledger.Line{ledger.Debit("1000", eur("10.00")), ledger.Credit("3000", eur("10.00"))}})
	for _, step := range []struct {
		name string
		err  error
	}{
		{"close 2026/02", e.l.ClosePeriod(e.ctx, "R", 2026, 2)},
		{"close 2026/03", e.l.ClosePeriod(e.ctx, "R", 2026, 3)},
		{"lock 2026/03", e.l.LockPeriod(e.ctx, "R", 2026, 3)},
		{"lock date", e.l.SetLockDate(e.ctx, "R", day("2025-12-31"))},
	} {
		if step.err != nil {
			e.t.Fatalf("%s: %v", step.name, step.err)
		}
	}
	return k1
}

func (s suite) testRejections(t *testing.T) {
	t.Run("Post", s.testRejectPost)
	t.Run("Limits", s.testLimits)
	t.Run("Idempotent", s.testIdempotent)
	t.Run("ChangesSeen", s.testChangesSeen)
	t.Run("CreateBook", s.testRejectCreateBook)
	t.Run("CreateAccounts", s.testRejectCreateAccounts)
}

func (s suite) testRejectPost(t *testing.T) {
	bonus := mustCurrency("BONUS", 0) // not registered with the ledger
	pts3 := mustCurrency("PTS", 3)    // registered with 2 minor units
	open := day("2026-04-15")         // in an open period
	entry := func(d date.Date, lines ...ledger.Line) ledger.Entry {
		return ledger.Entry{Book: "R", Date: d, Lines: lines}
	}
	pair := func(dr, cr string, a money.Amount) []ledger.Line {
		return []ledger.Line{ledger.Debit(dr, a), ledger.Credit(cr, a)}
	}
	tests := []struct {
		name  string
		entry ledger.Entry
		want  error
		line  int // EntryError.Line, -1 for the entry as a whole, anyLine to skip
	}{
		{"unbalanced", entry(open, ledger.Debit("1000", eur("10.00")), ledger.Credit("3000", eur("9.99"))), ledger.ErrUnbalanced, -1},
		{"unbalanced in second currency", entry(open,
			ledger.Debit("1000", eur("10.00")), ledger.Credit("3000", eur("10.00")),
			ledger.Debit("1000", usd("5.00")), ledger.Credit("3000", usd("4.99"))), ledger.ErrUnbalanced, -1},
		{"balanced only across currencies", entry(open, ledger.Debit("1000", eur("10.00")), ledger.Credit("3000", usd("10.00"))), ledger.ErrUnbalanced, -1},
		{"single line", entry(open, ledger.Debit("1000", eur("10.00"))), ledger.ErrInvalid, -1},
		{"no lines", entry(open), ledger.ErrInvalid, -1},
		{"no date", entry(date.Date{}, pair("1000", "3000", eur("1.00"))...), ledger.ErrInvalid, -1},
		{"zero amount", entry(open, ledger.Debit("1000", eur("0.00")), ledger.Credit("3000", eur("0.00"))), ledger.ErrZeroAmount, 0},
		{"unknown account", entry(open, pair("1000", "9000", eur("10.00"))...), ledger.ErrUnknownAccount, 1},
		{"closed account", entry(open, pair("1900", "3000", eur("10.00"))...), ledger.ErrAccountClosed, 0},
		{"currency restricted account", entry(open, pair("1210", "3000", eur("10.00"))...), ledger.ErrCurrencyMismatch, 0},
		{"unknown custom currency", entry(open, pair("1000", "3000", money.New(5, bonus))...), ledger.ErrUnknownCurrency, 0},
		// PTS is known with 2 minor units; 1 minor unit of a 3-decimal PTS
		// is 0.001 PTS, beyond them.
		{"scale", entry(open, pair("1000", "3000", money.New(1, pts3))...), ledger.ErrScale, 0},
		{"period closed", entry(day("2026-02-10"), pair("1000", "3000", eur("1.00"))...), ledger.ErrPeriodClosed, -1},
		{"period closed, last day", entry(day("2026-02-28"), pair("1000", "3000", eur("1.00"))...), ledger.ErrPeriodClosed, -1},
		{"period locked", entry(day("2026-03-01"), pair("1000", "3000", eur("1.00"))...), ledger.ErrPeriodLocked, -1},
		{"on the lock date", entry(day("2025-12-31"), pair("1000", "3000", eur("1.00"))...), ledger.ErrPeriodLocked, -1},
		{"before the lock date", entry(day("2025-06-30"), pair("1000", "3000", eur("1.00"))...), ledger.ErrPeriodLocked, -1},
		{"key reused with another amount", ledger.Entry{Book: "R", Key: "k1", Date: day("2026-01-06"), Description: "first",
			Lines: pair("1000", "3000", eur("10.01"))}, ledger.ErrConflict, -1},
		{"key reused with another description", ledger.Entry{Book: "R", Key: "k1", Date: day("2026-01-06"), Description: "second",
			Lines: pair("1000", "3000", eur("10.00"))}, ledger.ErrConflict, -1},
		{"key reused with another date", ledger.Entry{Book: "R", Key: "k1", Date: day("2026-01-07"), Description: "first",
			Lines: pair("1000", "3000", eur("10.00"))}, ledger.ErrConflict, -1},
		// 100.00 − 100.01 = −0.01 < 0.
		{"non-negative asset overdrawn", entry(open, pair("1000", "1200", eur("100.01"))...), ledger.ErrConstraint, 1},
		// A liability's natural balance is credit minus debit: 0 − 0.01 < 0.
		{"non-negative liability debited", entry(open, pair("1600", "3000", eur("0.01"))...), ledger.ErrConstraint, 0},
		// 0 + 0.01 > 0.
		{"non-positive asset debited", entry(open, pair("1500", "3000", eur("0.01"))...), ledger.ErrConstraint, 0},
		// 0 + 500.01 > 500.
		{"between, above max", entry(open, pair("1700", "3000", eur("500.01"))...), ledger.ErrConstraint, 0},
		// 0 − 0.01 < 0.
		{"between, below min", entry(open, pair("1000", "1700", eur("0.01"))...), ledger.ErrConstraint, 1},
		{"key longer than 256 bytes", ledger.Entry{Book: "R", Key: strings.Repeat("k", 257), Date: open, Lines: pair("1000", "3000", eur("1.00"))}, ledger.ErrInvalid, -1},
		{"dimension name with a space", entry(open, withDims(ledger.Debit("1000", eur("1.00")), "cost centre", "CC-1"), ledger.Credit("3000", eur("1.00"))), ledger.ErrInvalid, 0},
		{"reverses an entry not posted", ledger.Entry{Book: "R", Date: open, Reverses: 3, Lines: pair("1000", "3000", eur("1.00"))}, ledger.ErrInvalid, -1},
		{"adjusts an entry not posted", ledger.Entry{Book: "R", Date: open, Adjusts: 99, Lines: pair("1000", "3000", eur("1.00"))}, ledger.ErrInvalid, -1},
		{"unknown book", ledger.Entry{Book: "NOPE", Date: open, Lines: pair("1000", "3000", eur("1.00"))}, ledger.ErrUnknownBook, anyLine},
		{"invalid book ID", ledger.Entry{Book: "", Date: open, Lines: pair("1000", "3000", eur("1.00"))}, ledger.ErrInvalid, anyLine},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := s.env(t)
			e.rejectBook()
			before := e.snapshot("R")
			e.clock.Set(t0.Add(time.Hour))
			p, err := e.l.Post(e.ctx, tt.entry)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Post = %+v, %v; want an error wrapping %v", p, err, tt.want)
			}
			if tt.line != anyLine {
				var ee *ledger.EntryError
				if !errors.As(err, &ee) {
					t.Errorf("error %v is not an *EntryError", err)
				} else if ee.Index != 0 || ee.Line != tt.line {
					t.Errorf("EntryError Index %d, Line %d; want 0, %d", ee.Index, ee.Line, tt.line)
				}
			}
			e.unchanged("R", before)
			e.verify("R")
		})
	}
}

// testLimits posts exactly up to each constraint and into the first open
// days around closed and locked periods: all must pass.
func (s suite) testLimits(t *testing.T) {
	e := s.env(t)
	e.rejectBook()
	pair := func(dr, cr string, a money.Amount) []ledger.Line {
		return []ledger.Line{ledger.Debit(dr, a), ledger.Credit(cr, a)}
	}
	for _, en := range []ledger.Entry{
		{Book: "R", Date: day("2026-04-01"), Lines: pair("1000", "1200", eur("100.00"))}, // 100.00 − 100.00 = 0
		{Book: "R", Date: day("2026-04-01"), Lines: pair("1700", "3000", eur("500.00"))}, // 0 + 500.00 = 500
		{Book: "R", Date: day("2026-04-01"), Lines: pair("1000", "1500", eur("0.01"))},   // 0 − 0.01 ≤ 0
		{Book: "R", Date: day("2026-04-01"), Lines: pair("3000", "1600", eur("0.01"))},   // natural 0 + 0.01 ≥ 0
		{Book: "R", Date: day("2026-04-01"), Lines: pair("1600", "3000", eur("0.01"))},   // back to 0
		{Book: "R", Date: day("2026-01-01"), Lines: pair("1000", "3000", eur("1.00"))},   // the day after the lock date
		{Book: "R", Date: day("2026-01-31"), Lines: pair("1000", "3000", eur("1.00"))},   // before closed February
		{Book: "R", Date: day("2026-04-01"), Lines: pair("1210", "3000", usd("1.00"))},   // USD on the USD account
		{Book: "R", Date: day("2026-04-01"), Lines: pair("1000", "3000", money.New(1, pts))},
	} {
		e.post(en)
	}
	// Bank 0, petty cash 500.00, clearing −0.01, payables 0.
	want := map[string]ledger.Balance{
		"1200": nil,
		"1700": {eur("500.00")},
		"1500": {eur("-0.01")},
		"1600": nil,
	}
	for code, w := range want {
		got, err := e.l.Balance(e.ctx, "R", code, date.Date{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(got, w, cmpOpts); diff != "" {
			t.Errorf("Balance(%s) (-got +want):\n%s", code, diff)
		}
	}
	e.verify("R")
}

func (s suite) testIdempotent(t *testing.T) {
	e := s.env(t)
	first := e.rejectBook()
	before := e.snapshot("R")
	e.clock.Set(t0.Add(24 * time.Hour)) // a retry a day later
	// The period of 2026-01-06 is still open; the retry is identical.
	again := ledger.Entry{Book: "R", Key: "k1", Date: day("2026-01-06"), Description: "first",
		Lines: []ledger.Line{ledger.Debit("1000", eur("10.00")), ledger.Credit("3000", eur("10.00"))}}
	for i := range 3 {
		got, err := e.l.Post(e.ctx, again)
		if err != nil {
			t.Fatalf("retry %d: %v", i, err)
		}
		if diff := cmp.Diff(got, first, cmpOpts); diff != "" {
			t.Errorf("retry %d (-got +want):\n%s", i, diff)
		}
	}
	// An empty journal is the general journal: the same payload.
	general := again
	general.Journal = ledger.JournalGeneral
	if got, err := e.l.Post(e.ctx, general); err != nil || !cmp.Equal(got, first, cmpOpts) {
		t.Errorf("retry naming journal GL = %+v, %v; want the first entry", got, err)
	}
	// A retry is answered even after its period closed or the lock date
	// passed it: the entry is posted, not posted again.
	if err := e.l.ClosePeriod(e.ctx, "R", 2026, 1); err != nil {
		t.Fatal(err)
	}
	before.Events = e.snapshot("R").Events
	got, err := e.l.Post(e.ctx, again)
	if err != nil {
		t.Fatalf("retry after closing the period: %v", err)
	}
	if diff := cmp.Diff(got, first, cmpOpts); diff != "" {
		t.Errorf("retry after closing the period (-got +want):\n%s", diff)
	}
	e.unchanged("R", before)
}

func (s suite) testRejectCreateBook(t *testing.T) {
	e := s.env(t)
	e.book("R")
	before := e.snapshot("R")
	tests := []struct {
		name string
		book ledger.Book
		want error
	}{
		{"duplicate", ledger.Book{ID: "R", Name: "Other name", Currency: money.USD}, ledger.ErrDuplicate},
		{"no ID", ledger.Book{Name: "No ID", Currency: money.EUR}, ledger.ErrInvalid},
		{"ID with a slash", ledger.Book{ID: "A/B", Name: "Slash", Currency: money.EUR}, ledger.ErrInvalid},
		{"no currency", ledger.Book{ID: "S", Name: "No currency"}, ledger.ErrInvalid},
		{"fiscal year start 13", ledger.Book{ID: "S", Name: "Month 13", Currency: money.EUR, FiscalYearStart: 13}, ledger.ErrInvalid},
		{"unknown currency", ledger.Book{ID: "S", Name: "Bonus", Currency: mustCurrency("BONUS", 0)}, ledger.ErrUnknownCurrency},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := e.in(t)
			wantErr(t, "CreateBook", e.l.CreateBook(e.ctx, tt.book), tt.want)
			e.unchanged("R", before)
		})
	}
}

func (s suite) testRejectCreateAccounts(t *testing.T) {
	e := s.env(t)
	e.book("R")
	e.accounts(acct("R", "1000", "Cash", ledger.Asset))
	before := e.snapshot("R")
	tests := []struct {
		name     string
		accounts []ledger.Account
		want     error
	}{
		{"duplicate of a stored account", []ledger.Account{acct("R", "1100", "New", ledger.Asset), acct("R", "1000", "Again", ledger.Asset)}, ledger.ErrDuplicate},
		{"duplicate within the call", []ledger.Account{acct("R", "1100", "New", ledger.Asset), acct("R", "1100", "Again", ledger.Liability)}, ledger.ErrDuplicate},
		{"unknown book", []ledger.Account{acct("NOPE", "1100", "New", ledger.Asset)}, ledger.ErrUnknownBook},
		{"unknown parent", []ledger.Account{{Book: "R", Code: "1100", Name: "Child", Type: ledger.Asset, Parent: "0900"}}, ledger.ErrUnknownAccount},
		{"no type", []ledger.Account{{Book: "R", Code: "1100", Name: "Typeless"}}, ledger.ErrInvalid},
		{"min above max", []ledger.Account{{Book: "R", Code: "1100", Name: "Bad", Type: ledger.Asset,
			Constraint: ledger.Between(decimal.RequireFromString("1"), decimal.RequireFromString("0.99"))}}, ledger.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := e.in(t)
			wantErr(t, "CreateAccounts", e.l.CreateAccounts(e.ctx, tt.accounts...), tt.want)
			e.unchanged("R", before)
		})
	}
}

// testChangesSeen changes accounts, periods and the lock date after a
// ledger has posted (and may have cached what it validated against), by
// the same ledger, by a second ledger over the same store (another
// process) and through the store directly: the next post must see each
// change.
func (s suite) testChangesSeen(t *testing.T) {
	e := s.env(t)
	e.rejectBook()
	other := ledger.New(e.store, &ledger.Options{Now: e.clock.Now, Currencies: e.reg})
	post := func(dr string, d string) error {
		_, err := e.l.Post(e.ctx, ledger.Entry{Book: "R", Date: day(d),
			Lines: []ledger.Line{ledger.Debit(dr, eur("1.00")), ledger.Credit("3000", eur("1.00"))}})
		return err
	}
	putAccount := func(a ledger.Account) error {
		return e.store.Update(e.ctx, func(tx ledger.Tx) error { return tx.PutAccount(e.ctx, a) })
	}
	usdCash := acct("R", "1050", "Cash box", ledger.Asset)
	usdCash.Currency = money.USD
	steps := []struct {
		name   string
		change func() error
		dr     string // account debited by the post that follows
		date   string
		want   error
	}{
		{"nothing changed", func() error { return nil }, "1000", "2026-04-15", nil},
		{"account closed by another ledger", func() error { return other.CloseAccount(e.ctx, "R", "1000") }, "1000", "2026-04-15", ledger.ErrAccountClosed},
		{"account reopened by another ledger", func() error { return other.ReopenAccount(e.ctx, "R", "1000") }, "1000", "2026-04-15", nil},
		{"account closed by this ledger", func() error { return e.l.CloseAccount(e.ctx, "R", "1000") }, "1000", "2026-04-16", ledger.ErrAccountClosed},
		{"account reopened by this ledger", func() error { return e.l.ReopenAccount(e.ctx, "R", "1000") }, "1000", "2026-04-16", nil},
		{"account created by another ledger", func() error {
			return other.CreateAccounts(e.ctx, acct("R", "1050", "Cash box", ledger.Asset))
		}, "1050", "2026-04-15", nil},
		{"account restricted to USD in the store", func() error { return putAccount(usdCash) }, "1050", "2026-04-17", ledger.ErrCurrencyMismatch},
		{"period closed by another ledger", func() error { return other.ClosePeriod(e.ctx, "R", 2026, 4) }, "1000", "2026-04-18", ledger.ErrPeriodClosed},
		{"period reopened by another ledger", func() error { return other.ReopenPeriod(e.ctx, "R", 2026, 4, "correction") }, "1000", "2026-04-18", nil},
		{"period closed in the store", func() error {
			return e.store.Update(e.ctx, func(tx ledger.Tx) error {
				return tx.AddPeriodEvent(e.ctx, ledger.PeriodEvent{Book: "R", FiscalYear: 2026, Number: 5, State: ledger.Closed, At: t0Recorded})
			})
		}, "1000", "2026-05-02", ledger.ErrPeriodClosed},
		{"lock date set by another ledger", func() error { return other.SetLockDate(e.ctx, "R", day("2026-01-31")) }, "1000", "2026-01-20", ledger.ErrPeriodLocked},
		{"lock date set in the store", func() error {
			return e.store.Update(e.ctx, func(tx ledger.Tx) error { return tx.SetLockDate(e.ctx, "R", day("2026-04-30")) })
		}, "1000", "2026-04-19", ledger.ErrPeriodLocked},
		{"a failed change", func() error {
			err := e.store.Update(e.ctx, func(tx ledger.Tx) error {
				if err := tx.SetLockDate(e.ctx, "R", day("2026-12-31")); err != nil {
					return err
				}
				return errCommit
			})
			if !errors.Is(err, errCommit) {
				return err
			}
			return nil
		}, "1000", "2026-06-01", nil},
	}
	for _, st := range steps {
		if err := st.change(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if err := post(st.dr, st.date); !errors.Is(err, st.want) {
			t.Errorf("%s: Post = %v, want %v", st.name, err, st.want)
		}
	}
	// The entries are whole, but the chart, a period and the lock date
	// were changed in the store, around the ledger: a store that keeps a
	// state log shows it.
	if _, _, err := e.l.VerifyHeads(e.ctx, "R"); err != nil {
		var ve *ledger.VerifyError
		if !errors.As(err, &ve) || ve.Seq != 0 {
			t.Errorf("Verify(R) = %v, want the settings named", err)
		}
	}
}
