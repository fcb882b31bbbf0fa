package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// closing is the part of a closing entry the suite checks.
type closing struct {
	Seq     uint64
	Key     string
	Journal string
	Date    string
	Lines   []string // "account amount", sorted
}

func closingOf(ps []ledger.Posted) []closing {
	out := make([]closing, len(ps))
	for i, p := range ps {
		c := closing{Seq: p.Seq, Key: p.Key, Journal: p.Journal, Date: p.Date.String()}
		for _, l := range p.Lines {
			c.Lines = append(c.Lines, l.Account+" "+l.Amount.String())
		}
		out[i] = c
	}
	return out
}

var sortStrings = cmpopts.SortSlices(func(a, b string) bool { return a < b })

// testCloseYear closes 2026 of book CY:
//
//	seq date        lines
//	1   2026-01-10  1200 Bank Dr 5000.00          3000 Capital Cr 5000.00
//	2   2026-03-15  1200 Bank Dr 1000.00          4000 Revenue Cr 1000.00
//	3   2026-06-30  6000 Expenses Dr 600.00       1600 Payables Cr 600.00
//	4   2026-11-30  1600 Payables Dr 400.00       1200 Bank Cr 400.00
//
// At the end of 2026: bank 5000 + 1000 − 400 = 5600, payables −600 + 400 =
// −200, capital −5000, revenue −1000, expenses 600 (sum 0). Closing moves
// revenue 1000 − expenses 600 = profit 400 to retained earnings (2970).
func (s suite) testCloseYear(t *testing.T) {
	t.Run("CalendarYear", s.testCloseCalendarYear)
	t.Run("FiscalYearFromJuly", s.testCloseJulyYear)
}

func (s suite) testCloseCalendarYear(t *testing.T) {
	e := s.env(t)
	e.book("CY")
	e.accounts(
		acct("CY", "1200", "Bank", ledger.Asset),
		acct("CY", "1600", "Payables", ledger.Liability),
		acct("CY", "2970", "Retained earnings", ledger.Equity),
		acct("CY", "3000", "Capital", ledger.Equity),
		acct("CY", "4000", "Revenue", ledger.Revenue),
		acct("CY", "6000", "Expenses", ledger.Expense),
	)
	pair := func(d, dr, cr, a string) ledger.Entry {
		return ledger.Entry{Book: "CY", Date: day(d), Lines: []ledger.Line{ledger.Debit(dr, eur(a)), ledger.Credit(cr, eur(a))}}
	}
	e.post(pair("2026-01-10", "1200", "3000", "5000.00"))
	e.post(pair("2026-03-15", "1200", "4000", "1000.00"))
	e.post(pair("2026-06-30", "6000", "1600", "600.00"))
	e.post(pair("2026-11-30", "1600", "1200", "400.00"))

	before := e.snapshot("CY")
	_, err := e.l.CloseYear(e.ctx, "CY", 2026, "3999")
	wantErr(t, "CloseYear to an unknown account", err, ledger.ErrUnknownAccount)
	_, err = e.l.CloseYear(e.ctx, "CY", 2026, "1200")
	wantErr(t, "CloseYear to an asset", err, ledger.ErrInvalid)
	_, err = e.l.CloseYear(e.ctx, "NOPE", 2026, "2970")
	wantErr(t, "CloseYear of an unknown book", err, ledger.ErrUnknownBook)
	e.unchanged("CY", before)

	e.clock.Set(t0.Add(time.Hour))
	first, err := e.l.CloseYear(e.ctx, "CY", 2026, "2970")
	if err != nil {
		t.Fatal(err)
	}
	wantFirst := closing{Seq: 5, Key: "close/2026/1", Journal: ledger.JournalClosing, Date: "2026-12-31",
		Lines: []string{"2970 -400.00 EUR", "4000 1000.00 EUR", "6000 -600.00 EUR"}}
	if diff := cmp.Diff(closingOf(first), []closing{wantFirst}, sortStrings); diff != "" {
		t.Errorf("CloseYear (-got +want):\n%s", diff)
	}
	if len(first) == 1 {
		stored, err := e.l.EntryByKey(e.ctx, "CY", "close/2026/1")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(stored, first[0], cmpOpts); diff != "" {
			t.Errorf("stored closing entry (-got +want):\n%s", diff)
		}
	}

	balance := func(code, asOf string, want ledger.Balance) {
		t.Helper()
		got, err := e.l.Balance(e.ctx, "CY", code, day(asOf))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(got, want, cmpOpts); diff != "" {
			t.Errorf("Balance(%s, %s) (-got +want):\n%s", code, asOf, diff)
		}
	}
	balance("4000", "2026-12-31", nil)
	balance("6000", "2026-12-31", nil)
	balance("2970", "2026-12-31", ledger.Balance{eur("-400.00")})
	balance("4000", "2026-12-30", ledger.Balance{eur("-1000.00")}) // before the closing date

	trial := func(name string, q ledger.BalanceQuery, codes []string, want []row) {
		t.Helper()
		rows, err := e.l.Balances(e.ctx, "CY", q)
		if err != nil {
			t.Fatal(err)
		}
		var got []row
		for _, r := range rowsOf(rows) {
			for _, c := range codes {
				if r.Account == c {
					got = append(got, r)
				}
			}
		}
		if diff := cmp.Diff(got, want, cmpOpts); diff != "" {
			t.Errorf("%s (-got +want):\n%s", name, diff)
		}
	}
	year := ledger.BalanceQuery{From: day("2026-01-01"), To: day("2026-12-31")}
	incomeStatement := year
	incomeStatement.ExcludeClosing = true
	trial("income statement 2026", incomeStatement, []string{"4000", "6000"}, []row{
		{"4000", 0, "EUR", "0.00", "0.00", "1000.00", "-1000.00"},
		{"6000", 0, "EUR", "0.00", "600.00", "0.00", "600.00"},
	})
	trial("trial balance 2026", year, []string{"2970", "4000", "6000"}, []row{
		{"2970", 0, "EUR", "0.00", "0.00", "400.00", "-400.00"},
		{"4000", 0, "EUR", "0.00", "1000.00", "1000.00", "0.00"},
		{"6000", 0, "EUR", "0.00", "600.00", "600.00", "0.00"},
	})
	// 2027 opens with the balance sheet of 2026 and empty P&L accounts.
	trial("opening 2027", ledger.BalanceQuery{From: day("2027-01-01"), To: day("2027-12-31")},
		[]string{"1200", "1600", "2970", "3000", "4000", "6000"}, []row{
			{"1200", 0, "EUR", "5600.00", "0.00", "0.00", "5600.00"},
			{"1600", 0, "EUR", "-200.00", "0.00", "0.00", "-200.00"},
			{"2970", 0, "EUR", "-400.00", "0.00", "0.00", "-400.00"},
			{"3000", 0, "EUR", "-5000.00", "0.00", "0.00", "-5000.00"},
			{"4000", 0, "EUR", "0.00", "0.00", "0.00", "0.00"},
			{"6000", 0, "EUR", "0.00", "0.00", "0.00", "0.00"},
		})

	ps, err := e.l.Periods(e.ctx, "CY", 2026)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.State != ledger.Closed {
			t.Errorf("period 2026/%d is %v, want closed", p.Number, p.State)
		}
	}
	_, err = e.l.Post(e.ctx, pair("2026-12-31", "6000", "1200", "1.00"))
	wantErr(t, "Post into the closed year", err, ledger.ErrPeriodClosed)

	// Closing again finds nothing to close and returns the same entry.
	before = e.snapshot("CY")
	e.clock.Set(t0.Add(2 * time.Hour))
	again, err := e.l.CloseYear(e.ctx, "CY", 2026, "2970")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(again, first, cmpOpts); diff != "" {
		t.Errorf("second CloseYear (-got +want):\n%s", diff)
	}
	e.unchanged("CY", before)

	// 2027 goes on (seq 6); then a late 2026 invoice of 50.00 (seq 7) in
	// reopened December is closed by a second closing entry (seq 8):
	// expenses Cr 50, retained earnings Dr 50, now −400 + 50 = −350.
	e.post(pair("2027-01-15", "1200", "4000", "100.00"))
	if err := e.l.ReopenPeriod(e.ctx, "CY", 2026, 12, "late invoice"); err != nil {
		t.Fatal(err)
	}
	e.post(pair("2026-12-28", "6000", "1600", "50.00"))
	all, err := e.l.CloseYear(e.ctx, "CY", 2026, "2970")
	if err != nil {
		t.Fatal(err)
	}
	wantSecond := closing{Seq: 8, Key: "close/2026/2", Journal: ledger.JournalClosing, Date: "2026-12-31",
		Lines: []string{"2970 50.00 EUR", "6000 -50.00 EUR"}}
	if diff := cmp.Diff(closingOf(all), []closing{wantFirst, wantSecond}, sortStrings); diff != "" {
		t.Errorf("CloseYear after reopening (-got +want):\n%s", diff)
	}
	balance("6000", "2026-12-31", nil)
	balance("2970", "2026-12-31", ledger.Balance{eur("-350.00")})
	balance("1600", "2026-12-31", ledger.Balance{eur("-250.00")}) // −200 − 50
	balance("4000", "2027-12-31", ledger.Balance{eur("-100.00")}) // 2027 revenue only

	if p, err := e.l.Period(e.ctx, "CY", day("2026-12-01")); err != nil || p.State != ledger.Closed {
		t.Errorf("December 2026 after the second closing: %v, %v; want closed", p.State, err)
	}
	evs, err := e.l.PeriodHistory(e.ctx, "CY")
	if err != nil {
		t.Fatal(err)
	}
	// Twelve closings, the reopening of December, its closing again.
	type change struct {
		n     int
		state ledger.PeriodState
	}
	var got, want []change
	for _, ev := range evs {
		got = append(got, change{ev.Number, ev.State})
	}
	for n := 1; n <= 12; n++ {
		want = append(want, change{n, ledger.Closed})
	}
	want = append(want, change{12, ledger.Open}, change{12, ledger.Closed})
	if diff := cmp.Diff(got, want, cmp.AllowUnexported(change{})); diff != "" {
		t.Errorf("period history (-got +want):\n%s", diff)
	}
	if len(evs) == 14 && evs[12].Reason != "late invoice" {
		t.Errorf("reopening reason %q, want %q", evs[12].Reason, "late invoice")
	}
	e.verify("CY")
}

// testCloseJulyYear closes fiscal year 2026 of a book whose years start in
// July: 2026-07-01 to 2027-06-30.
//
//	2026-08-01  1200 Dr 100.00  4000 Cr 100.00   FY 2026
//	2027-06-30  1200 Dr  50.00  4000 Cr  50.00   FY 2026, its last day
//	2027-07-01  1200 Dr  30.00  4000 Cr  30.00   FY 2027
//
// Closing moves 100 + 50 = 150 of revenue to retained earnings on 2027-06-30.
func (s suite) testCloseJulyYear(t *testing.T) {
	e := s.env(t)
	if err := e.l.CreateBook(e.ctx, ledger.Book{ID: "JY", Name: "July", Currency: money.EUR, FiscalYearStart: 7}); err != nil {
		t.Fatal(err)
	}
	e.accounts(acct("JY", "1200", "Bank", ledger.Asset), acct("JY", "2970", "Retained earnings", ledger.Equity),
		acct("JY", "4000", "Revenue", ledger.Revenue))
	sale := func(d, a string) ledger.Entry {
		return ledger.Entry{Book: "JY", Date: day(d), Lines: []ledger.Line{ledger.Debit("1200", eur(a)), ledger.Credit("4000", eur(a))}}
	}
	e.post(sale("2026-08-01", "100.00"))
	e.post(sale("2027-06-30", "50.00"))
	e.post(sale("2027-07-01", "30.00"))
	got, err := e.l.CloseYear(e.ctx, "JY", 2026, "2970")
	if err != nil {
		t.Fatal(err)
	}
	want := []closing{{Seq: 4, Key: "close/2026/1", Journal: ledger.JournalClosing, Date: "2027-06-30",
		Lines: []string{"2970 -150.00 EUR", "4000 150.00 EUR"}}}
	if diff := cmp.Diff(closingOf(got), want, sortStrings); diff != "" {
		t.Errorf("CloseYear (-got +want):\n%s", diff)
	}
	bal, err := e.l.Balance(e.ctx, "JY", "4000", day("2027-07-01"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(bal, ledger.Balance{eur("-30.00")}, cmpOpts); diff != "" {
		t.Errorf("revenue on 2027-07-01 (-got +want):\n%s", diff)
	}
	for _, tt := range []struct {
		date string
		want error
	}{
		{"2026-07-01", ledger.ErrPeriodClosed}, // FY 2026 period 1
		{"2027-06-30", ledger.ErrPeriodClosed}, // FY 2026 period 12
		{"2027-07-01", nil},                    // FY 2027 period 1
		{"2026-06-30", nil},                    // FY 2025 period 12
	} {
		_, err := e.l.Post(e.ctx, sale(tt.date, "1.00"))
		if !errors.Is(err, tt.want) {
			t.Errorf("Post on %s: %v, want %v", tt.date, err, tt.want)
		}
	}

	// Lock June 2027 and post to reopened May: the difference would need a
	// closing entry in locked June, which CloseYear refuses, changing nothing.
	if err := e.l.LockPeriod(e.ctx, "JY", 2026, 12); err != nil {
		t.Fatal(err)
	}
	if err := e.l.ReopenPeriod(e.ctx, "JY", 2026, 11, "late sale"); err != nil {
		t.Fatal(err)
	}
	e.post(sale("2027-05-15", "20.00"))
	before := e.snapshot("JY")
	_, err = e.l.CloseYear(e.ctx, "JY", 2026, "2970")
	wantErr(t, "CloseYear into a locked period", err, ledger.ErrPeriodLocked)
	e.unchanged("JY", before)
	if p, err := e.l.Period(e.ctx, "JY", day("2027-05-15")); err != nil || p.State != ledger.Open {
		t.Errorf("May 2027 after the refused closing: %v, %v; want open", p.State, err)
	}
	e.verify("JY")
}
