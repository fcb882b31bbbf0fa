package ledger_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

func usdMinor(n int64) money.Amount { return money.New(n, money.USD) }

func TestPeriodTransitions(t *testing.T) {
	ctx := context.Background()
	l := newBook(t, ledger.Book{ID: "acme"}, chart()...)
	post := func() error {
		_, err := l.Post(ctx, ledger.Entry{Book: "acme", Date: date.MustParse("2026-03-15"), Lines: []ledger.Line{
			ledger.Debit("1200", eurMinor(100)), ledger.Credit("8400", eurMinor(100))}})
		return err
	}
	closeP := func() error { return l.ClosePeriod(ctx, "acme", 2026, 3) }
	lock := func() error { return l.LockPeriod(ctx, "acme", 2026, 3) }
	reopen := func(reason string) func() error {
		return func() error { return l.ReopenPeriod(ctx, "acme", 2026, 3, reason) }
	}

	steps := []struct {
		name      string
		op        func() error
		wantErr   error
		wantState ledger.PeriodState
		wantPost  error
	}{
		{"reopen an open period is a no-op", reopen("nothing to do"), nil, ledger.Open, nil},
		{"lock an open period", lock, ledger.ErrState, ledger.Open, nil},
		{"close", closeP, nil, ledger.Closed, ledger.ErrPeriodClosed},
		{"close again is a no-op", closeP, nil, ledger.Closed, ledger.ErrPeriodClosed},
		{"reopen without reason", reopen(""), ledger.ErrInvalid, ledger.Closed, ledger.ErrPeriodClosed},
		{"reopen with a blank reason", reopen(" \t"), ledger.ErrInvalid, ledger.Closed, ledger.ErrPeriodClosed},
		{"reopen", reopen("late invoice"), nil, ledger.Open, nil},
		{"close once more", closeP, nil, ledger.Closed, ledger.ErrPeriodClosed},
		{"lock", lock, nil, ledger.Locked, ledger.ErrPeriodLocked},
		{"lock again is a no-op", lock, nil, ledger.Locked, ledger.ErrPeriodLocked},
		{"close a locked period is a no-op", closeP, nil, ledger.Locked, ledger.ErrPeriodLocked},
		{"reopen a locked period", reopen("please"), ledger.ErrState, ledger.Locked, ledger.ErrPeriodLocked},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if err := s.op(); !errors.Is(err, s.wantErr) || s.wantErr == nil && err != nil {
				t.Errorf("op = %v, want %v", err, s.wantErr)
			}
			p, err := l.Period(ctx, "acme", date.MustParse("2026-03-31"))
			if err != nil {
				t.Fatal(err)
			}
			if p.State != s.wantState {
				t.Errorf("state = %v, want %v", p.State, s.wantState)
			}
			if err := post(); !errors.Is(err, s.wantPost) || s.wantPost == nil && err != nil {
				t.Errorf("Post = %v, want %v", err, s.wantPost)
			}
		})
	}

	t.Run("history", func(t *testing.T) {
		got, err := l.PeriodHistory(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		// Only real changes are recorded, no-ops and refusals are not.
		type change struct {
			State  ledger.PeriodState
			Reason string
		}
		var changes []change
		for i, e := range got {
			changes = append(changes, change{e.State, e.Reason})
			if e.Book != "acme" || e.FiscalYear != 2026 || e.Number != 3 {
				t.Errorf("event %d = %+v, want book acme, period 2026/03", i, e)
			}
		}
		want := []change{{ledger.Closed, ""}, {ledger.Open, "late invoice"}, {ledger.Closed, ""}, {ledger.Locked, ""}}
		if diff := cmp.Diff(changes, want); diff != "" {
			t.Errorf("history (-got +want):\n%s", diff)
		}
	})

	t.Run("bad arguments", func(t *testing.T) {
		for _, n := range []int{0, 13, -1} {
			if err := l.ClosePeriod(ctx, "acme", 2026, n); !errors.Is(err, ledger.ErrInvalid) {
				t.Errorf("ClosePeriod(period %d) = %v, want ErrInvalid", n, err)
			}
		}
		if err := l.ClosePeriod(ctx, "nope", 2026, 1); !errors.Is(err, ledger.ErrUnknownBook) {
			t.Errorf("ClosePeriod(unknown book) = %v, want ErrUnknownBook", err)
		}
		if _, err := l.Period(ctx, "nope", date.MustParse("2026-03-01")); !errors.Is(err, ledger.ErrUnknownBook) {
			t.Errorf("Period(unknown book) = %v, want ErrUnknownBook", err)
		}
	})
}

// TestPeriodHistoryTimes checks the recorded times against the clock.
func TestPeriodHistoryTimes(t *testing.T) {
	ctx := context.Background()
	clock := &testClock{t: time.Date(2026, 4, 1, 11, 0, 0, 999, time.FixedZone("CEST", 2*3600)), step: time.Minute}
	l := newBookClock(t, clock, ledger.Book{ID: "acme"})
	for _, op := range []func() error{
		func() error { return l.ClosePeriod(ctx, "acme", 2026, 1) },                // 09:00 UTC
		func() error { return l.ClosePeriod(ctx, "acme", 2026, 2) },                // 09:01
		func() error { return l.ReopenPeriod(ctx, "acme", 2026, 1, "correction") }, // 09:02
	} {
		if err := op(); err != nil {
			t.Fatal(err)
		}
	}
	got, err := l.PeriodHistory(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	at := func(min int) time.Time { return time.Date(2026, 4, 1, 9, min, 0, 0, time.UTC) } // 999 ns truncated
	want := []ledger.PeriodEvent{
		{Book: "acme", FiscalYear: 2026, Number: 1, State: ledger.Closed, At: at(0)},
		{Book: "acme", FiscalYear: 2026, Number: 2, State: ledger.Closed, At: at(1)},
		{Book: "acme", FiscalYear: 2026, Number: 1, State: ledger.Open, At: at(2), Reason: "correction"},
	}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("history (-got +want):\n%s", diff)
	}
	for i, e := range got {
		if e.At.Location() != time.UTC {
			t.Errorf("event %d at %v, want UTC", i, e.At)
		}
	}
}

func TestPeriodsJulyStart(t *testing.T) {
	ctx := context.Background()
	l := newBook(t, ledger.Book{ID: "acme", FiscalYearStart: 7}, chart()...)
	if err := l.ClosePeriod(ctx, "acme", 2026, 9); err != nil { // March 2027
		t.Fatal(err)
	}
	got, err := l.Periods(ctx, "acme", 2026)
	if err != nil {
		t.Fatal(err)
	}
	p := func(n int, start, end string) ledger.Period {
		s := ledger.Open
		if n == 9 {
			s = ledger.Closed
		}
		return ledger.Period{Book: "acme", FiscalYear: 2026, Number: n, Start: date.MustParse(start), End: date.MustParse(end), State: s}
	}
	want := []ledger.Period{
		p(1, "2026-07-01", "2026-07-31"), p(2, "2026-08-01", "2026-08-31"), p(3, "2026-09-01", "2026-09-30"),
		p(4, "2026-10-01", "2026-10-31"), p(5, "2026-11-01", "2026-11-30"), p(6, "2026-12-01", "2026-12-31"),
		p(7, "2027-01-01", "2027-01-31"), p(8, "2027-02-01", "2027-02-28"), p(9, "2027-03-01", "2027-03-31"),
		p(10, "2027-04-01", "2027-04-30"), p(11, "2027-05-01", "2027-05-31"), p(12, "2027-06-01", "2027-06-30"),
	}
	if diff := cmp.Diff(got, want, ledgerCmp); diff != "" {
		t.Errorf("Periods(2026) (-got +want):\n%s", diff)
	}

	tests := []struct {
		day     string
		wantErr error
	}{
		{"2027-03-15", ledger.ErrPeriodClosed}, // FY 2026 period 9
		{"2027-03-01", ledger.ErrPeriodClosed},
		{"2027-03-31", ledger.ErrPeriodClosed},
		{"2026-03-15", nil}, // FY 2025 period 9: open
		{"2027-04-01", nil}, // FY 2026 period 10
		{"2027-02-28", nil}, // FY 2026 period 8
	}
	for _, tt := range tests {
		t.Run(tt.day, func(t *testing.T) {
			_, err := l.Post(ctx, ledger.Entry{Book: "acme", Date: date.MustParse(tt.day), Lines: []ledger.Line{
				ledger.Debit("1200", eurMinor(100)), ledger.Credit("8400", eurMinor(100))}})
			if !errors.Is(err, tt.wantErr) || tt.wantErr == nil && err != nil {
				t.Errorf("Post = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestLockDate(t *testing.T) {
	ctx := context.Background()
	l := newBook(t, ledger.Book{ID: "acme"}, chart()...)
	entry := func(key, day string) ledger.Entry {
		return ledger.Entry{Book: "acme", Key: key, Date: date.MustParse(day), Lines: []ledger.Line{
			ledger.Debit("1200", eurMinor(100)), ledger.Credit("8400", eurMinor(100))}}
	}
	early := mustPost(t, l, entry("early", "2026-01-10"))

	steps := []struct {
		name         string
		set          string // "" sets the zero Date
		wantErr      error
		wantLockDate string
	}{
		{"set", "2026-01-31", nil, "2026-01-31"},
		{"same date", "2026-01-31", nil, "2026-01-31"},
		{"one day back", "2026-01-30", ledger.ErrState, "2026-01-31"},
		{"zero", "", ledger.ErrState, "2026-01-31"},
		{"forward", "2026-02-28", nil, "2026-02-28"},
		{"back to the first one", "2026-01-31", ledger.ErrState, "2026-02-28"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			var d date.Date
			if s.set != "" {
				d = date.MustParse(s.set)
			}
			err := l.SetLockDate(ctx, "acme", d)
			if !errors.Is(err, s.wantErr) || s.wantErr == nil && err != nil {
				t.Errorf("SetLockDate(%s) = %v, want %v", s.set, err, s.wantErr)
			}
			b, err := l.Book(ctx, "acme")
			if err != nil {
				t.Fatal(err)
			}
			if got := b.LockDate.String(); got != s.wantLockDate {
				t.Errorf("LockDate = %s, want %s", got, s.wantLockDate)
			}
		})
	}

	posts := []struct {
		name    string
		entry   ledger.Entry
		wantErr error
	}{
		{"on the lock date", entry("a", "2026-02-28"), ledger.ErrPeriodLocked},
		{"before the lock date", entry("b", "2026-01-15"), ledger.ErrPeriodLocked},
		{"the day after", entry("c", "2026-03-01"), nil},
		{"replay of an entry posted before the lock", entry("early", "2026-01-10"), nil},
	}
	for _, p := range posts {
		t.Run(p.name, func(t *testing.T) {
			_, err := l.Post(ctx, p.entry)
			if !errors.Is(err, p.wantErr) || p.wantErr == nil && err != nil {
				t.Errorf("Post = %v, want %v", err, p.wantErr)
			}
		})
	}

	t.Run("reopening the period does not help", func(t *testing.T) {
		if err := l.ClosePeriod(ctx, "acme", 2026, 2); err != nil {
			t.Fatal(err)
		}
		if err := l.ReopenPeriod(ctx, "acme", 2026, 2, "try"); err != nil {
			t.Fatal(err)
		}
		if _, err := l.Post(ctx, entry("d", "2026-02-15")); !errors.Is(err, ledger.ErrPeriodLocked) {
			t.Errorf("Post = %v, want ErrPeriodLocked", err)
		}
	})
	t.Run("reversal dated before the lock date", func(t *testing.T) {
		if _, err := l.Reverse(ctx, "acme", early.Seq, date.MustParse("2026-02-01"), ""); !errors.Is(err, ledger.ErrPeriodLocked) {
			t.Errorf("Reverse = %v, want ErrPeriodLocked", err)
		}
	})
	t.Run("unknown book", func(t *testing.T) {
		if err := l.SetLockDate(ctx, "nope", date.MustParse("2026-12-31")); !errors.Is(err, ledger.ErrUnknownBook) {
			t.Errorf("SetLockDate = %v, want ErrUnknownBook", err)
		}
	})
}

// multiCurrencyChart has EUR and USD bank accounts and P&L accounts used in
// both currencies.
func multiCurrencyChart() []ledger.Account {
	return []ledger.Account{
		{Code: "1200", Name: "Bank EUR", Type: ledger.Asset, Currency: money.EUR},
		{Code: "1210", Name: "Bank USD", Type: ledger.Asset, Currency: money.USD},
		{Code: "2970", Name: "Retained earnings", Type: ledger.Equity},
		{Code: "4210", Name: "Rent", Type: ledger.Expense},
		{Code: "4900", Name: "Bank fees", Type: ledger.Expense},
		{Code: "8400", Name: "Revenue", Type: ledger.Revenue},
		{Code: "8410", Name: "Revenue export", Type: ledger.Revenue},
	}
}

func move(day, dr, cr string, a money.Amount) ledger.Entry {
	return ledger.Entry{Book: "acme", Date: date.MustParse(day), Lines: []ledger.Line{ledger.Debit(dr, a), ledger.Credit(cr, a)}}
}

func TestCloseYearMultiCurrency(t *testing.T) {
	ctx := context.Background()
	l := newBook(t, ledger.Book{ID: "acme"}, multiCurrencyChart()...)
	for _, e := range []ledger.Entry{
		move("2026-02-10", "1200", "8400", eurMinor(100000)), // sale 1000.00 EUR
		move("2026-05-05", "1210", "8410", usdMinor(50000)),  // export 500.00 USD
		move("2026-06-30", "4210", "1200", eurMinor(30000)),  // rent 300.00 EUR
		move("2026-09-01", "4900", "1210", usdMinor(2000)),   // fees 20.00 USD
		move("2026-11-11", "1210", "8400", usdMinor(8000)),   // sale 80.00 USD
		move("2027-01-15", "1200", "8400", eurMinor(5000)),   // next year: 50.00 EUR
	} {
		mustPost(t, l, e)
	}

	closing, err := l.CloseYear(ctx, "acme", 2026, "2970")
	if err != nil {
		t.Fatalf("CloseYear = %v", err)
	}
	// Every P&L balance at 2026-12-31 is reversed, in account and currency
	// order; retained earnings takes the sum per currency:
	//   EUR: 300.00 − 1000.00 = −700.00 (a profit, credited)
	//   USD: 20.00 − 80.00 − 500.00 = −560.00
	want := ledger.Entry{
		Book: "acme", Key: "close/2026/1", Date: date.MustParse("2026-12-31"), Journal: ledger.JournalClosing,
		Description: "Year-end closing 2026",
		Lines: []ledger.Line{
			{Account: "4210", Amount: eurMinor(-30000)},
			{Account: "4900", Amount: usdMinor(-2000)},
			{Account: "8400", Amount: eurMinor(100000)},
			{Account: "8400", Amount: usdMinor(8000)},
			{Account: "8410", Amount: usdMinor(50000)},
			{Account: "2970", Amount: eurMinor(-70000)},
			{Account: "2970", Amount: usdMinor(-56000)},
		},
	}
	if len(closing) != 1 {
		t.Fatalf("CloseYear returned %d entries, want 1", len(closing))
	}
	if diff := cmp.Diff(closing[0].Entry, want, ledgerCmp); diff != "" {
		t.Errorf("closing entry (-got +want):\n%s", diff)
	}
	if closing[0].Seq != 7 {
		t.Errorf("closing Seq = %d, want 7", closing[0].Seq)
	}

	type bal struct {
		Account string
		Closing string
	}
	balances := func(t *testing.T, q ledger.BalanceQuery) []bal {
		t.Helper()
		rows, err := l.Balances(ctx, "acme", q)
		if err != nil {
			t.Fatal(err)
		}
		var out []bal
		for _, r := range rows {
			if !r.Closing.IsZero() {
				out = append(out, bal{r.Account.Code, r.Closing.String()})
			}
		}
		return out
	}
	t.Run("balances at year end", func(t *testing.T) {
		got := balances(t, ledger.BalanceQuery{To: date.MustParse("2026-12-31")})
		want := []bal{
			{"1200", "700.00 EUR"}, // 1000.00 − 300.00
			{"1210", "560.00 USD"}, // 500.00 − 20.00 + 80.00
			{"2970", "-700.00 EUR"},
			{"2970", "-560.00 USD"},
		}
		if diff := cmp.Diff(got, want); diff != "" {
			t.Errorf("balances (-got +want):\n%s", diff)
		}
	})
	t.Run("income statement without the closing entry", func(t *testing.T) {
		got := balances(t, ledger.BalanceQuery{From: date.MustParse("2026-01-01"), To: date.MustParse("2026-12-31"), ExcludeClosing: true})
		want := []bal{
			{"1200", "700.00 EUR"},
			{"1210", "560.00 USD"},
			{"4210", "300.00 EUR"},
			{"4900", "20.00 USD"},
			{"8400", "-1000.00 EUR"},
			{"8400", "-80.00 USD"},
			{"8410", "-500.00 USD"},
		}
		if diff := cmp.Diff(got, want); diff != "" {
			t.Errorf("balances (-got +want):\n%s", diff)
		}
	})
	t.Run("next year", func(t *testing.T) {
		got := balances(t, ledger.BalanceQuery{})
		want := []bal{
			{"1200", "750.00 EUR"}, // 700.00 + 50.00
			{"1210", "560.00 USD"},
			{"2970", "-700.00 EUR"},
			{"2970", "-560.00 USD"},
			{"8400", "-50.00 EUR"}, // only 2027
		}
		if diff := cmp.Diff(got, want); diff != "" {
			t.Errorf("balances (-got +want):\n%s", diff)
		}
	})
	t.Run("periods", func(t *testing.T) {
		ps, err := l.Periods(ctx, "acme", 2026)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			if p.State != ledger.Closed {
				t.Errorf("period %d/%02d is %v, want closed", p.FiscalYear, p.Number, p.State)
			}
		}
		p, err := l.Period(ctx, "acme", date.MustParse("2027-01-01"))
		if err != nil || p.State != ledger.Open {
			t.Errorf("Period(2027-01-01) = %+v, %v; want open", p, err)
		}
	})
	t.Run("again", func(t *testing.T) {
		again, err := l.CloseYear(ctx, "acme", 2026, "2970")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(again, closing, ledgerCmp); diff != "" {
			t.Errorf("CloseYear again (-got +want):\n%s", diff)
		}
		if n := len(allEntries(t, l, "acme")); n != 7 {
			t.Errorf("%d entries, want 7", n)
		}
	})
	t.Run("after a late entry", func(t *testing.T) {
		if err := l.ReopenPeriod(ctx, "acme", 2026, 12, "late invoice"); err != nil {
			t.Fatal(err)
		}
		mustPost(t, l, move("2026-12-15", "1200", "8400", eurMinor(4000))) // 40.00 EUR, seq 8
		got, err := l.CloseYear(ctx, "acme", 2026, "2970")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("CloseYear returned %d entries, want 2", len(got))
		}
		if diff := cmp.Diff(got[0], closing[0], ledgerCmp); diff != "" {
			t.Errorf("first closing entry (-got +want):\n%s", diff)
		}
		want := ledger.Entry{
			Book: "acme", Key: "close/2026/2", Date: date.MustParse("2026-12-31"), Journal: ledger.JournalClosing,
			Description: "Year-end closing 2026",
			Lines: []ledger.Line{
				{Account: "8400", Amount: eurMinor(4000)},
				{Account: "2970", Amount: eurMinor(-4000)},
			},
		}
		if diff := cmp.Diff(got[1].Entry, want, ledgerCmp); diff != "" {
			t.Errorf("second closing entry (-got +want):\n%s", diff)
		}
		if got[1].Seq != 9 {
			t.Errorf("second closing Seq = %d, want 9", got[1].Seq)
		}
		p, err := l.Period(ctx, "acme", date.MustParse("2026-12-31"))
		if err != nil || p.State != ledger.Closed {
			t.Errorf("Period(2026-12-31) = %+v, %v; want closed", p, err)
		}
	})
	t.Run("verify", func(t *testing.T) {
		head, err := l.Verify(ctx, "acme")
		if err != nil || head.Seq != 9 {
			t.Errorf("Verify = %+v, %v; want seq 9", head, err)
		}
	})
}

func TestCloseYearJulyStart(t *testing.T) {
	ctx := context.Background()
	l := newBook(t, ledger.Book{ID: "acme", FiscalYearStart: 7}, chart()...)
	mustPost(t, l, move("2026-06-30", "1200", "8400", eurMinor(100)))  // FY 2025
	mustPost(t, l, move("2026-07-01", "1200", "8400", eurMinor(2000))) // FY 2026
	mustPost(t, l, move("2027-06-30", "4210", "1200", eurMinor(500)))  // FY 2026
	mustPost(t, l, move("2027-07-01", "1200", "8400", eurMinor(7)))    // FY 2027

	if _, err := l.CloseYear(ctx, "acme", 2025, "2970"); err != nil {
		t.Fatal(err)
	}
	got, err := l.CloseYear(ctx, "acme", 2026, "2970")
	if err != nil {
		t.Fatal(err)
	}
	// FY 2026 runs 2026-07-01 to 2027-06-30: revenue 20.00, rent 5.00.
	want := ledger.Entry{
		Book: "acme", Key: "close/2026/1", Date: date.MustParse("2027-06-30"), Journal: ledger.JournalClosing,
		Description: "Year-end closing 2026",
		Lines: []ledger.Line{
			{Account: "4210", Amount: eurMinor(-500)},
			{Account: "8400", Amount: eurMinor(2000)},
			{Account: "2970", Amount: eurMinor(-1500)}, // 5.00 − 20.00
		},
	}
	if len(got) != 1 {
		t.Fatalf("CloseYear returned %d entries, want 1", len(got))
	}
	if diff := cmp.Diff(got[0].Entry, want, ledgerCmp); diff != "" {
		t.Errorf("closing entry (-got +want):\n%s", diff)
	}
	for _, tt := range []struct {
		day  string
		want ledger.PeriodState
	}{{"2026-07-01", ledger.Closed}, {"2027-06-30", ledger.Closed}, {"2027-07-01", ledger.Open}} {
		p, err := l.Period(ctx, "acme", date.MustParse(tt.day))
		if err != nil || p.State != tt.want {
			t.Errorf("Period(%s) = %+v, %v; want %v", tt.day, p, err, tt.want)
		}
	}
}

// TestCloseYearOutOfOrder closes a year before the one before it. Either
// CloseYear refuses (ErrState), or each year's profit reaches retained
// earnings exactly once.
func TestCloseYearOutOfOrder(t *testing.T) {
	ctx := context.Background()
	l := newBook(t, ledger.Book{ID: "acme"}, chart()...)
	mustPost(t, l, move("2025-06-01", "1200", "8400", eurMinor(10000))) // 100.00 in 2025
	mustPost(t, l, move("2026-06-01", "1200", "8400", eurMinor(5000)))  //  50.00 in 2026

	for _, fy := range []int{2026, 2025} {
		_, err := l.CloseYear(ctx, "acme", fy, "2970")
		if errors.Is(err, ledger.ErrState) {
			return // refusing to close a year while an earlier one is open is fine
		}
		if err != nil {
			t.Fatalf("CloseYear(%d) = %v", fy, err)
		}
	}
	tests := []struct {
		account, asOf string
		want          ledger.Balance
	}{
		{"8400", "2025-12-31", nil},
		{"2970", "2025-12-31", ledger.Balance{eurMinor(-10000)}}, // 2025's profit
		{"8400", "2026-12-31", nil},
		{"2970", "2026-12-31", ledger.Balance{eurMinor(-15000)}}, // 100.00 + 50.00, once each
	}
	for _, tt := range tests {
		t.Run(tt.account+" "+tt.asOf, func(t *testing.T) {
			got, err := l.Balance(ctx, "acme", tt.account, date.MustParse(tt.asOf))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(got, tt.want, ledgerCmp); diff != "" {
				t.Errorf("Balance (-got +want):\n%s", diff)
			}
		})
	}
}

func TestCloseYearErrors(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		book    string
		re      string
		setup   func(l *ledger.Ledger) error
		wantErr error
	}{
		{"unknown book", "nope", "2970", nil, ledger.ErrUnknownBook},
		{"unknown retained earnings", "acme", "2999", nil, ledger.ErrUnknownAccount},
		{"retained earnings not equity", "acme", "1200", nil, ledger.ErrInvalid},
		{"last period locked", "acme", "2970", func(l *ledger.Ledger) error {
			if err := l.ClosePeriod(ctx, "acme", 2026, 12); err != nil {
				return err
			}
			return l.LockPeriod(ctx, "acme", 2026, 12)
		}, ledger.ErrPeriodLocked},
		{"lock date at year end", "acme", "2970", func(l *ledger.Ledger) error {
			return l.SetLockDate(ctx, "acme", date.MustParse("2026-12-31"))
		}, ledger.ErrPeriodLocked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newBook(t, ledger.Book{ID: "acme"}, chart()...)
			mustPost(t, l, move("2026-03-01", "1200", "8400", eurMinor(100)))
			if tt.setup != nil {
				if err := tt.setup(l); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := l.CloseYear(ctx, tt.book, 2026, tt.re); !errors.Is(err, tt.wantErr) {
				t.Errorf("CloseYear = %v, want %v", err, tt.wantErr)
			}
			// All or nothing: no closing entry, and the year's first period
			// is still open.
			if n := len(allEntries(t, l, "acme")); n != 1 {
				t.Errorf("%d entries, want 1", n)
			}
			p, err := l.Period(ctx, "acme", date.MustParse("2026-01-01"))
			if err != nil {
				t.Fatal(err)
			}
			if p.State != ledger.Open {
				t.Errorf("period 2026/01 is %v, want open", p.State)
			}
		})
	}
}

// TestCloseOpenPeriod: only the call that closes the period says so, also
// when two race for it.
func TestCloseOpenPeriod(t *testing.T) {
	ctx := context.Background()
	l := newBook(t, ledger.Book{ID: "acme"}, chart()...)
	var wg sync.WaitGroup
	var closedBy atomic.Int32
	for range 8 {
		wg.Go(func() {
			closed, err := l.CloseOpenPeriod(ctx, "acme", 2026, 4)
			if err != nil {
				t.Error(err)
			}
			if closed {
				closedBy.Add(1)
			}
		})
	}
	wg.Wait()
	if n := closedBy.Load(); n != 1 {
		t.Errorf("%d calls closed the period, want 1", n)
	}
	if err := l.LockPeriod(ctx, "acme", 2026, 4); err != nil {
		t.Fatal(err)
	}
	if closed, err := l.CloseOpenPeriod(ctx, "acme", 2026, 4); closed || err != nil {
		t.Errorf("closing a locked period: %v, %v; want false, nil", closed, err)
	}
	if closed, err := l.CloseOpenPeriod(ctx, "acme", 2026, 13); closed || !errors.Is(err, ledger.ErrInvalid) {
		t.Errorf("period 13: %v, %v; want false, ErrInvalid", closed, err)
	}
}
