package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// TamperExec runs SQL statements directly on a store's database, in one
// transaction. With bypass false it runs them as the application may
// (every guard trigger on); with bypass true as the database owner can,
// with the guards off (SQLite: triggers dropped and recreated;
// PostgreSQL: session_replication_role = replica).
type TamperExec func(bypass bool, stmts ...string) error

// LedgerTamper changes the ledger tables of a SQL store behind the
// library's back, one change per subtest, and checks that Ledger.Verify
// fails with a *ledger.VerifyError naming the first bad record: the entry,
// the account and month of a totals row, the account of a balance or of the
// chart, the period of a period event, or the state record. newStore returns
// a new, empty store and a TamperExec on its database. Statements use the
// table names of the shared schema; amounts are shifted relatively (minor
// units in SQLite, decimals in PostgreSQL postings).
//
// Each change is first tried with the guards on: if they refuse it, the
// subtest logs so and tries again with them off, as an owner of the
// database can. Either way, once it is stored, Verify must find it.
//
// The fixture, book T (EUR), accounts 1000 cash, 1200 bank, 3000 equity,
// 4000 revenue, 5000 costs (never posted to):
//
//	1  2026-01-10  1000 Dr 100.00      3000 Cr 100.00
//	2  2026-01-11  1200 Dr 40.00 cc=CC-1  1000 Cr 40.00
//	3  2026-02-12  1000 Dr 5.00        4000 Cr 5.00
//	4  2026-02-13  1000 Dr 7.00        4000 Cr 7.00
//
// then period 2026/01 closed and locked, and the lock date 2026-01-31.
func LedgerTamper(t *testing.T, newStore func(t *testing.T) (ledger.Store, TamperExec)) {
	move := func(table string, from, to int) string {
		return "UPDATE " + table + " SET seq = " + itoa(to) + " WHERE book = 'T' AND seq = " + itoa(from)
	}
	del := func(seq int) []string {
		s := itoa(seq)
		return []string{
			"DELETE FROM bo_dims WHERE book = 'T' AND seq = " + s,
			"DELETE FROM bo_postings WHERE book = 'T' AND seq = " + s,
			"DELETE FROM bo_entries WHERE book = 'T' AND seq = " + s,
		}
	}
	var swap []string
	for _, tbl := range []string{"bo_entries", "bo_postings", "bo_dims"} {
		swap = append(swap, move(tbl, 2, 100), move(tbl, 3, 2), move(tbl, 100, 3))
	}
	for _, tc := range []struct {
		name    string
		stmts   []string
		want    ledger.VerifyError // Book T; Reason: a substring of the error
		guarded bool               // the guards must refuse it
	}{
		{name: "PostingChanged", guarded: true, stmts: []string{"UPDATE bo_postings SET amount = amount * 2 WHERE book = 'T' AND seq = 2"},
			want: ledger.VerifyError{Seq: 2}},
		{name: "EntryDeleted", guarded: true, stmts: del(2), want: ledger.VerifyError{Seq: 2}},
		{name: "TwoSwapped", guarded: true, stmts: swap, want: ledger.VerifyError{Seq: 2}},
		{name: "TailCut", guarded: true, stmts: append(del(4), del(3)...), want: ledger.VerifyError{Seq: 3, Reason: "missing"}},
		{name: "HeadEdited", guarded: true, stmts: []string{"UPDATE bo_entries SET description = 'other' WHERE book = 'T' AND seq = 4"},
			want: ledger.VerifyError{Seq: 4}},
		{name: "HeadHash", stmts: []string{"UPDATE bo_books SET head_hash = (SELECT hash FROM bo_entries WHERE book = 'T' AND seq = 3) WHERE id = 'T'"},
			want: ledger.VerifyError{Seq: 4}},
		{name: "BalanceChanged", stmts: []string{"UPDATE bo_balances SET balance = balance + 1 WHERE book = 'T' AND account = '1200'"},
			want: ledger.VerifyError{Account: "1200"}},
		{name: "BalanceDeleted", guarded: true, stmts: []string{"DELETE FROM bo_balances WHERE book = 'T' AND account = '1200'"},
			want: ledger.VerifyError{Account: "1200"}},
		// The reproduction: 500.00 more on the bank and on equity,
		// balanced, with nothing but UPDATE rights.
		{name: "TotalsBalanced", stmts: []string{
			"UPDATE bo_totals SET debit = debit + 50000 WHERE book = 'T' AND account = '1200'",
			"UPDATE bo_totals SET credit = credit + 50000 WHERE book = 'T' AND account = '3000'",
		}, want: ledger.VerifyError{Account: "1200", Month: "2026-01"}},
		// Base sums are checked like the others, though this book has
		// no base amounts: a made-up EUR value of the bank shows.
		{name: "TotalsBaseRaised", stmts: []string{"UPDATE bo_totals SET base_debit = base_debit + 100, conv_debit = conv_debit + 100 WHERE book = 'T' AND account = '1200'"},
			want: ledger.VerifyError{Account: "1200", Month: "2026-01"}},
		{name: "TotalsLowered", guarded: true, stmts: []string{"UPDATE bo_totals SET credit = credit - 500 WHERE book = 'T' AND account = '4000' AND level = 1"},
			want: ledger.VerifyError{Account: "4000", Month: "2026-02"}},
		{name: "TotalsYearOnly", stmts: []string{"UPDATE bo_totals SET credit = credit + 1 WHERE book = 'T' AND account = '4000' AND level = 2"},
			want: ledger.VerifyError{Account: "4000", Month: "2026"}},
		{name: "TotalsMonthMoved", guarded: true, stmts: []string{"UPDATE bo_totals SET bucket = bucket + 1 WHERE book = 'T' AND account = '1200' AND level = 1"},
			want: ledger.VerifyError{Account: "1200", Month: "2026-01"}},
		{name: "TotalsDeleted", guarded: true, stmts: []string{"DELETE FROM bo_totals WHERE book = 'T' AND account = '3000'"},
			want: ledger.VerifyError{Account: "3000", Month: "2026-01"}},
		{name: "DimensionMoved", guarded: true, stmts: []string{"UPDATE bo_dims SET value = 'CC-2' WHERE book = 'T' AND seq = 2"},
			want: ledger.VerifyError{Seq: 2, Reason: "dimension"}},
		{name: "DimensionAdded", stmts: []string{"INSERT INTO bo_dims (book, seq, line, name, value) VALUES ('T', 3, 0, 'cc', 'CC-1')"},
			want: ledger.VerifyError{Seq: 3, Reason: "dimension"}},
		{name: "PeriodReopened", guarded: true, stmts: []string{"DELETE FROM bo_period_events WHERE book = 'T'", "UPDATE bo_books SET lock_date = NULL WHERE id = 'T'"},
			want: ledger.VerifyError{Reason: "lock date"}},
		{name: "PeriodEventsDeleted", guarded: true, stmts: []string{"DELETE FROM bo_period_events WHERE book = 'T' AND ord > 1"},
			want: ledger.VerifyError{Period: "2026/01", Reason: "period event 2"}},
		{name: "LockDateCleared", guarded: true, stmts: []string{"UPDATE bo_books SET lock_date = NULL WHERE id = 'T'"},
			want: ledger.VerifyError{Reason: "lock date"}},
		{name: "AccountRetyped", guarded: true, stmts: []string{"UPDATE bo_accounts SET type = 3 WHERE book = 'T' AND code = '4000'"},
			want: ledger.VerifyError{Account: "4000"}},
		{name: "AccountReparented", stmts: []string{"UPDATE bo_accounts SET parent = '1000' WHERE book = 'T' AND code = '1200'"},
			want: ledger.VerifyError{Account: "1200"}},
		{name: "AccountCurrency", stmts: []string{"UPDATE bo_accounts SET currency = 'USD' WHERE book = 'T' AND code = '1200'"},
			want: ledger.VerifyError{Account: "1200"}},
		{name: "AccountDeleted", guarded: true, stmts: []string{"DELETE FROM bo_accounts WHERE book = 'T' AND code = '5000'"},
			want: ledger.VerifyError{Account: "5000"}},
		{name: "AccountAdded", stmts: []string{"INSERT INTO bo_accounts (book, code, name, type, closed) SELECT 'T', '6000', 'Other', 5, closed FROM bo_accounts WHERE book = 'T' AND code = '1000'"},
			want: ledger.VerifyError{Account: "6000"}},
		{name: "StateRecordDeleted", guarded: true, stmts: []string{"DELETE FROM bo_state WHERE book = 'T' AND seq = 2"},
			want: ledger.VerifyError{State: 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, exec := newStore(t)
			l := ledgerTamperFixture(t, s)
			ctx := context.Background()
			if _, err := l.Verify(ctx, "T"); err != nil {
				t.Fatalf("before tampering: %v", err)
			}
			err := exec(false, tc.stmts...)
			switch {
			case err != nil && !tc.guarded:
				t.Errorf("the guards refused a change they let through before: %v", err)
			case err == nil && tc.guarded:
				t.Errorf("the guards let the change through")
			}
			if err != nil {
				t.Logf("refused by the guards: %v", err)
				if err := exec(true, tc.stmts...); err != nil {
					t.Fatalf("with the guards off: %v", err)
				}
			}
			_, err = l.Verify(ctx, "T")
			var ve *ledger.VerifyError
			if !errors.As(err, &ve) || !errors.Is(err, ledger.ErrTampered) {
				t.Fatalf("Verify = %v, want a *ledger.VerifyError", err)
			}
			w := tc.want
			if ve.Book != "T" || ve.Seq != w.Seq || ve.Account != w.Account || ve.Month != w.Month || ve.Period != w.Period ||
				ve.State != w.State || !strings.Contains(ve.Error(), w.Reason) {
				t.Errorf("Verify = %v\n(entry %d, account %q, month %q, period %q, state %d); want entry %d, account %q, month %q, period %q, state %d, %q",
					err, ve.Seq, ve.Account, ve.Month, ve.Period, ve.State, w.Seq, w.Account, w.Month, w.Period, w.State, w.Reason)
			}
		})
	}
	t.Run("Pages", func(t *testing.T) { ledgerTamperPages(t, newStore) })
}

// ledgerTamperPages changes a book of 12,000 entries, more than a SQL
// store reads per query (5,000), at one entry after another, each before
// the ones changed so far, and checks after each change that Verify names
// it: the store reads the next page while Verify checks the last, and
// hashes are checked apart from the rest, yet the first bad entry is the
// one named, also when a later one cannot even be read (left without its
// first line), in the same page or the next.
func ledgerTamperPages(t *testing.T, newStore func(t *testing.T) (ledger.Store, TamperExec)) {
	s, exec := newStore(t)
	ctx := context.Background()
	l := ledger.New(s, nil)
	if err := l.CreateBook(ctx, ledger.Book{ID: "P", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	if err := l.CreateAccounts(ctx, ledger.Account{Book: "P", Code: "1000", Name: "Cash", Type: ledger.Asset},
		ledger.Account{Book: "P", Code: "3000", Name: "Equity", Type: ledger.Equity}); err != nil {
		t.Fatal(err)
	}
	es := make([]ledger.Entry, 12_000)
	for i := range es {
		a := money.New(int64(i+1), money.EUR)
		es[i] = ledger.Entry{Book: "P", Date: date.MustParse("2026-01-01").AddDays(i % 365), Description: "entry " + itoa(i+1),
			Lines: []ledger.Line{ledger.Debit("1000", a), ledger.Credit("3000", a)}}
	}
	for i := 0; i < len(es); i += 4000 {
		if _, err := l.PostBatch(ctx, es[i:i+4000]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := l.Verify(ctx, "P"); err != nil {
		t.Fatalf("before tampering: %v", err)
	}
	for _, tc := range []struct {
		stmt   string
		seq    uint64
		reason string
	}{
		{"UPDATE bo_postings SET amount = amount * 2 WHERE book = 'P' AND seq = 11000", 11000, "digest"},
		{"DELETE FROM bo_postings WHERE book = 'P' AND seq = 7500 AND line = 1", 7500, "digest"},
		{"UPDATE bo_entries SET description = 'x' WHERE book = 'P' AND seq = 5000", 5000, "digest"},
		{"DELETE FROM bo_postings WHERE book = 'P' AND seq = 5001 AND line = 0", 5000, "digest"},
		{"UPDATE bo_entries SET hash = digest WHERE book = 'P' AND seq = 4000", 4000, "chain"},
		{"DELETE FROM bo_postings WHERE book = 'P' AND seq = 4001 AND line = 0", 4000, "chain"},
		{"UPDATE bo_entries SET description = 'x' WHERE book = 'P' AND seq = 2", 2, "digest"},
		// Entry 1 cannot be read: the store says so (seq 0: no VerifyError).
		{"DELETE FROM bo_postings WHERE book = 'P' AND seq = 1 AND line = 0", 0, "entry 1 lacks line 0"},
	} {
		if err := exec(true, tc.stmt); err != nil {
			t.Fatalf("%s: %v", tc.stmt, err)
		}
		_, err := l.Verify(ctx, "P")
		var ve *ledger.VerifyError
		switch {
		case tc.seq == 0 && (!errors.Is(err, ledger.ErrTampered) || errors.As(err, &ve) || !strings.Contains(err.Error(), tc.reason)):
			t.Errorf("after %s: Verify = %v; want the store's error: %s", tc.stmt, err, tc.reason)
		case tc.seq != 0 && (!errors.As(err, &ve) || ve.Seq != tc.seq || !strings.Contains(ve.Reason, tc.reason)):
			t.Errorf("after %s: Verify = %v; want entry %d named: %s", tc.stmt, err, tc.seq, tc.reason)
		}
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

func ledgerTamperFixture(t *testing.T, s ledger.Store) *ledger.Ledger {
	t.Helper()
	ctx := context.Background()
	l := ledger.New(s, nil)
	e := func(v string) money.Amount { return money.MustParse(v, money.EUR) }
	d := date.MustParse
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(l.CreateBook(ctx, ledger.Book{ID: "T", Currency: money.EUR}))
	must(l.CreateAccounts(ctx,
		ledger.Account{Book: "T", Code: "1000", Name: "Cash", Type: ledger.Asset},
		ledger.Account{Book: "T", Code: "1200", Name: "Bank", Type: ledger.Asset},
		ledger.Account{Book: "T", Code: "3000", Name: "Equity", Type: ledger.Equity},
		ledger.Account{Book: "T", Code: "4000", Name: "Revenue", Type: ledger.Revenue},
		ledger.Account{Book: "T", Code: "5000", Name: "Costs", Type: ledger.Expense}))
	_, err := l.PostBatch(ctx, []ledger.Entry{
		{Book: "T", Date: d("2026-01-10"), Lines: []ledger.Line{ledger.Debit("1000", e("100.00")), ledger.Credit("3000", e("100.00"))}},
		{Book: "T", Date: d("2026-01-11"), Lines: []ledger.Line{
			{Account: "1200", Amount: e("40.00"), Dimensions: map[string]string{"cc": "CC-1"}}, ledger.Credit("1000", e("40.00"))}},
		{Book: "T", Date: d("2026-02-12"), Lines: []ledger.Line{ledger.Debit("1000", e("5.00")), ledger.Credit("4000", e("5.00"))}},
		{Book: "T", Date: d("2026-02-13"), Lines: []ledger.Line{ledger.Debit("1000", e("7.00")), ledger.Credit("4000", e("7.00"))}},
	})
	must(err)
	must(l.ClosePeriod(ctx, "T", 2026, 1))
	must(l.LockPeriod(ctx, "T", 2026, 1))
	must(l.SetLockDate(ctx, "T", d("2026-01-31")))
	return l
}
