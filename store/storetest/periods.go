package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

func (s suite) testPeriods(t *testing.T) {
	t.Run("Transitions", s.testPeriodTransitions)
	t.Run("FiscalYearFromJuly", s.testFiscalJuly)
	t.Run("YearBounds", s.testYearBounds)
}

// testPeriodTransitions walks periods of 2026 through their states, one
// step a minute, and checks each step's outcome, the states, and the
// history recorded.
func (s suite) testPeriodTransitions(t *testing.T) {
	e := s.env(t)
	e.book("P")
	e.accounts(acct("P", "1000", "Cash", ledger.Asset), acct("P", "3000", "Equity", ledger.Equity))
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	recorded := func(min int) time.Time { return t0Recorded.Add(time.Duration(min) * time.Minute) }
	type op int
	const (
		closeOp op = iota
		lockOp
		reopenOp
	)
	steps := []struct {
		name   string
		op     op
		n      int // period of fiscal year 2026
		reason string
		want   error
		state  ledger.PeriodState // state of period n afterwards
	}{
		{"close open", closeOp, 1, "", nil, ledger.Closed},
		{"close closed is a no-op", closeOp, 1, "", nil, ledger.Closed},
		{"reopen without reason", reopenOp, 1, "  ", ledger.ErrInvalid, ledger.Closed},
		{"reopen closed", reopenOp, 1, "late invoice from supplier", nil, ledger.Open},
		{"reopen open is a no-op", reopenOp, 1, "again", nil, ledger.Open},
		{"lock open", lockOp, 2, "", ledger.ErrState, ledger.Open},
		{"close again", closeOp, 1, "", nil, ledger.Closed},
		{"lock closed", lockOp, 1, "", nil, ledger.Locked},
		{"lock locked is a no-op", lockOp, 1, "", nil, ledger.Locked},
		{"close locked is a no-op", closeOp, 1, "", nil, ledger.Locked},
		{"reopen locked", reopenOp, 1, "auditor asked", ledger.ErrState, ledger.Locked},
		{"period 0", closeOp, 0, "", ledger.ErrInvalid, ledger.Open},
		{"period 13", closeOp, 13, "", ledger.ErrInvalid, ledger.Open},
		{"close December", closeOp, 12, "", nil, ledger.Closed},
	}
	for i, st := range steps {
		e.clock.Set(at(i))
		var err error
		switch st.op {
		case closeOp:
			err = e.l.ClosePeriod(e.ctx, "P", 2026, st.n)
		case lockOp:
			err = e.l.LockPeriod(e.ctx, "P", 2026, st.n)
		case reopenOp:
			err = e.l.ReopenPeriod(e.ctx, "P", 2026, st.n, st.reason)
		}
		if !errors.Is(err, st.want) {
			t.Errorf("step %d (%s): %v, want %v", i, st.name, err, st.want)
		}
		if st.n < 1 || st.n > 12 {
			continue
		}
		p, err := e.l.Period(e.ctx, "P", day("2026-01-10").AddMonths(st.n-1))
		if err != nil {
			t.Fatal(err)
		}
		if p.State != st.state || p.FiscalYear != 2026 || p.Number != st.n {
			t.Errorf("step %d (%s): period %d/%d is %v, want 2026/%d %v", i, st.name, p.FiscalYear, p.Number, p.State, st.n, st.state)
		}
	}

	// Only real changes are recorded, with the time and reason.
	ev := func(n int, s ledger.PeriodState, min int, reason string) ledger.PeriodEvent {
		return ledger.PeriodEvent{Book: "P", FiscalYear: 2026, Number: n, State: s, At: recorded(min), Reason: reason}
	}
	want := []ledger.PeriodEvent{
		ev(1, ledger.Closed, 0, ""),
		ev(1, ledger.Open, 3, "late invoice from supplier"),
		ev(1, ledger.Closed, 6, ""),
		ev(1, ledger.Locked, 7, ""),
		ev(12, ledger.Closed, 13, ""),
	}
	got, err := e.l.PeriodHistory(e.ctx, "P")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, want, cmpOpts); diff != "" {
		t.Errorf("PeriodHistory (-got +want):\n%s", diff)
	}
	for i, ev := range got {
		if ev.At.Location() != time.UTC {
			t.Errorf("event %d: At in %v, want UTC", i, ev.At.Location())
		}
	}

	ps, err := e.l.Periods(e.ctx, "P", 2026)
	if err != nil {
		t.Fatal(err)
	}
	states := make([]ledger.PeriodState, len(ps))
	for i, p := range ps {
		states[i] = p.State
	}
	wantStates := []ledger.PeriodState{ledger.Locked, ledger.Open, ledger.Open, ledger.Open, ledger.Open, ledger.Open,
		ledger.Open, ledger.Open, ledger.Open, ledger.Open, ledger.Open, ledger.Closed}
	if diff := cmp.Diff(states, wantStates); diff != "" {
		t.Errorf("Periods states (-got +want):\n%s", diff)
	}
	// The states take effect: January refuses as locked, December as
	// closed, February takes entries.
	lines := []ledger.Line{ledger.Debit("1000", eur("1.00")), ledger.Credit("3000", eur("1.00"))}
	for _, tt := range []struct {
		date string
		want error
	}{
		{"2026-01-31", ledger.ErrPeriodLocked},
		{"2026-12-01", ledger.ErrPeriodClosed},
		{"2026-02-01", nil},
		{"2025-12-31", nil}, // another fiscal year
	} {
		_, err := e.l.Post(e.ctx, ledger.Entry{Book: "P", Date: day(tt.date), Lines: lines})
		if !errors.Is(err, tt.want) {
			t.Errorf("Post on %s: %v, want %v", tt.date, err, tt.want)
		}
	}
	wantErr(t, "ClosePeriod of an unknown book", e.l.ClosePeriod(e.ctx, "NOPE", 2026, 1), ledger.ErrUnknownBook)
	_, err = e.l.PeriodHistory(e.ctx, "NOPE")
	wantErr(t, "PeriodHistory of an unknown book", err, ledger.ErrUnknownBook)
}

// testFiscalJuly checks a book whose fiscal year starts in July: fiscal
// year 2026 runs from 2026-07-01 to 2027-06-30.
func (s suite) testFiscalJuly(t *testing.T) {
	e := s.env(t)
	if err := e.l.CreateBook(e.ctx, ledger.Book{ID: "FY", Name: "July Ltd", Currency: money.GBP, FiscalYearStart: 7}); err != nil {
		t.Fatal(err)
	}
	e.accounts(acct("FY", "1000", "Cash", ledger.Asset), acct("FY", "3000", "Equity", ledger.Equity))
	b, err := e.l.Book(e.ctx, "FY")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		date   string
		fy, no int
	}{
		{"2026-07-01", 2026, 1},
		{"2026-07-31", 2026, 1},
		{"2026-12-31", 2026, 6},
		{"2027-01-01", 2026, 7},
		{"2027-03-15", 2026, 9},
		{"2027-06-30", 2026, 12},
		{"2026-06-30", 2025, 12},
		{"2026-01-15", 2025, 7},
	} {
		fy, no := b.PeriodOf(day(tt.date))
		if fy != tt.fy || no != tt.no {
			t.Errorf("PeriodOf(%s) = %d/%d, want %d/%d", tt.date, fy, no, tt.fy, tt.no)
		}
		p, err := e.l.Period(e.ctx, "FY", day(tt.date))
		if err != nil {
			t.Fatal(err)
		}
		if p.FiscalYear != tt.fy || p.Number != tt.no {
			t.Errorf("Period(%s) = %d/%d, want %d/%d", tt.date, p.FiscalYear, p.Number, tt.fy, tt.no)
		}
	}
	first, last := b.FiscalYearRange(2026)
	if first != day("2026-07-01") || last != day("2027-06-30") {
		t.Errorf("FiscalYearRange(2026) = %v … %v, want 2026-07-01 … 2027-06-30", first, last)
	}

	if err := e.l.ClosePeriod(e.ctx, "FY", 2026, 9); err != nil { // March 2027
		t.Fatal(err)
	}
	ps, err := e.l.Periods(e.ctx, "FY", 2026)
	if err != nil {
		t.Fatal(err)
	}
	// Month ends written out: Jul 31, Aug 31, Sep 30, Oct 31, Nov 30,
	// Dec 31, Jan 31, Feb 28 (2027 is no leap year), Mar 31, Apr 30,
	// May 31, Jun 30.
	ranges := [][2]string{
		{"2026-07-01", "2026-07-31"}, {"2026-08-01", "2026-08-31"}, {"2026-09-01", "2026-09-30"},
		{"2026-10-01", "2026-10-31"}, {"2026-11-01", "2026-11-30"}, {"2026-12-01", "2026-12-31"},
		{"2027-01-01", "2027-01-31"}, {"2027-02-01", "2027-02-28"}, {"2027-03-01", "2027-03-31"},
		{"2027-04-01", "2027-04-30"}, {"2027-05-01", "2027-05-31"}, {"2027-06-01", "2027-06-30"},
	}
	var want []ledger.Period
	for i, r := range ranges {
		p := ledger.Period{Book: "FY", FiscalYear: 2026, Number: i + 1, Start: day(r[0]), End: day(r[1])}
		if i+1 == 9 {
			p.State = ledger.Closed
		}
		want = append(want, p)
	}
	if diff := cmp.Diff(ps, want, cmpOpts); diff != "" {
		t.Errorf("Periods(2026) (-got +want):\n%s", diff)
	}
	gbp := money.MustParse("1.00", money.GBP)
	lines := []ledger.Line{ledger.Debit("1000", gbp), ledger.Credit("3000", gbp)}
	for _, tt := range []struct {
		date string
		want error
	}{
		{"2027-03-15", ledger.ErrPeriodClosed}, // 2026/9
		{"2026-03-15", nil},                    // 2025/9
		{"2027-04-01", nil},                    // 2026/10
	} {
		_, err := e.l.Post(e.ctx, ledger.Entry{Book: "FY", Date: day(tt.date), Lines: lines})
		if !errors.Is(err, tt.want) {
			t.Errorf("Post on %s: %v, want %v", tt.date, err, tt.want)
		}
	}
}

// noPanic runs f and turns a panic into a test error.
func noPanic(t *testing.T, name string, f func() error) (err error) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Errorf("%s panicked: %v", name, p)
			err = errPanicked
		}
	}()
	return f()
}

var errPanicked = errors.New("storetest: panicked")

// testYearBounds uses the first and last fiscal years whose dates exist
// (dates run from 0001-01-01 to 9999-12-31), and years beyond them, which
// must be refused as invalid rather than crash.
func (s suite) testYearBounds(t *testing.T) {
	e := s.env(t)
	e.book("Y") // fiscal year = calendar year
	if err := e.l.CreateBook(e.ctx, ledger.Book{ID: "YJ", Name: "July", Currency: money.EUR, FiscalYearStart: 7}); err != nil {
		t.Fatal(err)
	}
	for _, b := range []string{"Y", "YJ"} {
		e.accounts(acct(b, "1000", "Cash", ledger.Asset), acct(b, "2970", "Retained earnings", ledger.Equity),
			acct(b, "4000", "Revenue", ledger.Revenue))
		for _, d := range []string{"0001-01-01", "9999-12-31"} {
			e.post(ledger.Entry{Book: b, Date: day(d), Lines: []ledger.Line{ledger.Debit("1000", eur("1.00")), ledger.Credit("4000", eur("1.00"))}})
		}
	}
	// The first and last valid years: 1 and 9999 of the calendar book; 1
	// (0001-07-01 to 0002-06-30) and 9998 (9998-07-01 to 9999-06-30) of
	// the July book, whose year 9999 would end in 10000.
	for _, tt := range []struct {
		book        string
		fy          int
		first, last string
	}{
		{"Y", 1, "0001-01-01", "0001-12-31"},
		{"Y", 9999, "9999-01-01", "9999-12-31"},
		{"YJ", 1, "0001-07-01", "0002-06-30"},
		{"YJ", 9998, "9998-07-01", "9999-06-30"},
	} {
		var ps []ledger.Period
		err := noPanic(t, "Periods", func() (err error) { ps, err = e.l.Periods(e.ctx, tt.book, tt.fy); return err })
		if err != nil {
			t.Errorf("Periods(%s, %d): %v", tt.book, tt.fy, err)
		} else if len(ps) != 12 || ps[0].Start != day(tt.first) || ps[11].End != day(tt.last) {
			t.Errorf("Periods(%s, %d): %d periods, want 12 from %s to %s", tt.book, tt.fy, len(ps), tt.first, tt.last)
		}
		err = noPanic(t, "CloseYear", func() error { _, err := e.l.CloseYear(e.ctx, tt.book, tt.fy, "2970"); return err })
		if err != nil {
			t.Errorf("CloseYear(%s, %d): %v", tt.book, tt.fy, err)
		}
	}
	// Years with days outside 0001-01-01 … 9999-12-31.
	for _, tt := range []struct {
		book string
		fy   int
	}{
		{"Y", 0}, {"Y", 10000}, {"YJ", 0}, {"YJ", 9999}, {"Y", -1},
	} {
		for _, op := range []struct {
			name string
			run  func() error
		}{
			{"Periods", func() error { _, err := e.l.Periods(e.ctx, tt.book, tt.fy); return err }},
			{"CloseYear", func() error { _, err := e.l.CloseYear(e.ctx, tt.book, tt.fy, "2970"); return err }},
			{"ClosePeriod", func() error { return e.l.ClosePeriod(e.ctx, tt.book, tt.fy, 1) }},
		} {
			err := noPanic(t, op.name, op.run)
			if !errors.Is(err, ledger.ErrInvalid) && !errors.Is(err, errPanicked) {
				t.Errorf("%s(%s, %d) = %v, want ErrInvalid", op.name, tt.book, tt.fy, err)
			}
		}
	}
	e.verify("Y")
	e.verify("YJ")
}
