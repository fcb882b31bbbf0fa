package storetest

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// testStoreContract checks promises of the Store interface that the
// ledger's methods do not show directly.
func (s suite) testStoreContract(t *testing.T) {
	t.Run("UnknownBook", s.testStoreUnknownBook)
	t.Run("NotFound", s.testStoreNotFound)
	t.Run("Accounts", s.testStoreAccounts)
	t.Run("Scan", s.testStoreScan)
	t.Run("EntriesByKey", s.testStoreEntriesByKey)
	t.Run("LockBalances", s.testStoreLockBalances)
	t.Run("Totals", s.testStoreTotals)
	t.Run("Periods", s.testStorePeriods)
	t.Run("AppendCopies", s.testStoreAppendCopies)
	t.Run("DuplicateBook", s.testStoreDuplicateBook)
	t.Run("Version", s.testStoreVersion)
}

func (s suite) testStoreUnknownBook(t *testing.T) {
	e := s.env(t)
	e.book("K") // another book exists
	e.accounts(acct("K", "1000", "Cash", ledger.Asset), acct("K", "3000", "Equity", ledger.Equity))
	e.post(ledger.Entry{Book: "K", Key: "k", Date: day("2026-01-10"),
		Lines: []ledger.Line{ledger.Debit("1000", eur("1.00")), ledger.Credit("3000", eur("1.00"))}})
	ctx := e.ctx
	const nope = "NOPE"
	reads := []struct {
		name string
		call func(tx ledger.ReadTx) error
	}{
		{"Book", func(tx ledger.ReadTx) error { _, err := tx.Book(ctx, nope); return err }},
		{"Account", func(tx ledger.ReadTx) error { _, err := tx.Account(ctx, nope, "1000"); return err }},
		{"Accounts", func(tx ledger.ReadTx) error { _, err := tx.Accounts(ctx, nope); return err }},
		{"Accounts with codes", func(tx ledger.ReadTx) error { _, err := tx.Accounts(ctx, nope, "1000"); return err }},
		{"Head", func(tx ledger.ReadTx) error { _, err := tx.Head(ctx, nope); return err }},
		{"Entry", func(tx ledger.ReadTx) error { _, err := tx.Entry(ctx, nope, 1); return err }},
		{"EntryByKey", func(tx ledger.ReadTx) error { _, err := tx.EntryByKey(ctx, nope, "k"); return err }},
		{"Entries", func(tx ledger.ReadTx) error { _, err := tx.Entries(ctx, nope, ledger.EntryQuery{}); return err }},
		{"Scan", func(tx ledger.ReadTx) error {
			return tx.Scan(ctx, nope, 1, func(*ledger.Posted) error { return nil })
		}},
		{"Totals", func(tx ledger.ReadTx) error { _, err := tx.Totals(ctx, nope, ledger.TotalsQuery{}); return err }},
		{"Totals by dimension", func(tx ledger.ReadTx) error {
			_, err := tx.Totals(ctx, nope, ledger.TotalsQuery{Dimension: ledger.Dimension{Name: "cc", Value: "x"}})
			return err
		}},
		{"Balances", func(tx ledger.ReadTx) error { _, err := tx.Balances(ctx, nope); return err }},
		{"Period", func(tx ledger.ReadTx) error { _, err := tx.Period(ctx, nope, 2026, 1); return err }},
		{"PeriodEvents", func(tx ledger.ReadTx) error { _, err := tx.PeriodEvents(ctx, nope); return err }},
	}
	for _, r := range reads {
		t.Run(r.name, func(t *testing.T) {
			err := e.store.View(ctx, r.call)
			wantErr(t, "View", err, ledger.ErrUnknownBook)
			// The same read inside Update, where LockHead is Head.
			err = e.store.Update(ctx, func(tx ledger.Tx) error { return r.call(tx) })
			wantErr(t, "Update", err, ledger.ErrUnknownBook)
		})
	}
	t.Run("LockHead", func(t *testing.T) {
		err := e.store.Update(ctx, func(tx ledger.Tx) error { _, err := tx.LockHead(ctx, nope); return err })
		wantErr(t, "LockHead", err, ledger.ErrUnknownBook)
	})
	t.Run("Ledger", func(t *testing.T) {
		_, err := e.l.Verify(ctx, nope)
		wantErr(t, "Verify", err, ledger.ErrUnknownBook)
		_, err = e.l.Balances(ctx, nope, ledger.BalanceQuery{})
		wantErr(t, "Balances", err, ledger.ErrUnknownBook)
		_, err = e.l.Entries(ctx, nope, ledger.EntryQuery{})
		wantErr(t, "Entries", err, ledger.ErrUnknownBook)
		_, err = e.l.Accounts(ctx, nope)
		wantErr(t, "Accounts", err, ledger.ErrUnknownBook)
		_, err = e.l.Periods(ctx, nope, 2026)
		wantErr(t, "Periods", err, ledger.ErrUnknownBook)
		wantErr(t, "SetLockDate", e.l.SetLockDate(ctx, nope, day("2026-01-01")), ledger.ErrUnknownBook)
	})
}

func (s suite) testStoreNotFound(t *testing.T) {
	e := s.env(t)
	e.book("K")
	e.accounts(acct("K", "1000", "Cash", ledger.Asset), acct("K", "3000", "Equity", ledger.Equity))
	e.post(ledger.Entry{Book: "K", Key: "k", Date: day("2026-01-10"),
		Lines: []ledger.Line{ledger.Debit("1000", eur("1.00")), ledger.Credit("3000", eur("1.00"))}})
	ctx := e.ctx
	for _, tt := range []struct {
		name string
		call func(tx ledger.ReadTx) error
		want error
	}{
		{"Account", func(tx ledger.ReadTx) error { _, err := tx.Account(ctx, "K", "2000"); return err }, ledger.ErrUnknownAccount},
		{"Entry 0", func(tx ledger.ReadTx) error { _, err := tx.Entry(ctx, "K", 0); return err }, ledger.ErrNotFound},
		{"Entry 2", func(tx ledger.ReadTx) error { _, err := tx.Entry(ctx, "K", 2); return err }, ledger.ErrNotFound},
		{"EntryByKey", func(tx ledger.ReadTx) error { _, err := tx.EntryByKey(ctx, "K", "K"); return err }, ledger.ErrNotFound},
		{"EntryByKey empty", func(tx ledger.ReadTx) error { _, err := tx.EntryByKey(ctx, "K", ""); return err }, ledger.ErrNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			wantErr(t, tt.name, e.store.View(ctx, tt.call), tt.want)
		})
	}
}

func (s suite) testStoreAccounts(t *testing.T) {
	e := s.env(t)
	e.book("K")
	e.accounts(acct("K", "3000", "Equity", ledger.Equity), acct("K", "1000", "Cash", ledger.Asset),
		acct("K", "2000", "Debt", ledger.Liability), acct("K", "10", "Short code", ledger.Asset))
	ctx := e.ctx
	codes := func(as []ledger.Account) []string {
		var out []string
		for _, a := range as {
			out = append(out, a.Code)
		}
		return out
	}
	for _, tt := range []struct {
		name  string
		codes []string
		want  []string
	}{
		// Codes order as strings: "10" < "1000" < "2000" < "3000".
		{"all", nil, []string{"10", "1000", "2000", "3000"}},
		{"some, unsorted, with a missing code", []string{"3000", "9999", "10"}, []string{"10", "3000"}},
		{"one", []string{"2000"}, []string{"2000"}},
		{"only missing codes", []string{"9999", "8888"}, nil},
	} {
		var got []ledger.Account
		err := e.store.View(ctx, func(tx ledger.ReadTx) (err error) { got, err = tx.Accounts(ctx, "K", tt.codes...); return err })
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if diff := cmp.Diff(codes(got), tt.want, cmpOpts); diff != "" {
			t.Errorf("Accounts(%s) (-got +want):\n%s", tt.name, diff)
		}
	}

	// PutAccount replaces an account.
	changed := acct("K", "2000", "Long-term debt", ledger.Liability)
	changed.Metadata = map[string]string{"term": "long"}
	changed.Closed = true
	if err := e.store.Update(ctx, func(tx ledger.Tx) error { return tx.PutAccount(ctx, changed) }); err != nil {
		t.Fatal(err)
	}
	got, err := e.l.Account(ctx, "K", "2000")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, changed, cmpOpts); diff != "" {
		t.Errorf("replaced account (-got +want):\n%s", diff)
	}
	all, err := e.l.Accounts(ctx, "K")
	if err != nil || len(all) != 4 {
		t.Errorf("after replacing: %d accounts, %v; want 4", len(all), err)
	}
	// The store keeps no reference to the map it was given.
	changed.Metadata["term"] = "short"
	if got, _ := e.l.Account(ctx, "K", "2000"); got.Metadata["term"] != "long" {
		t.Errorf("stored account changed with the caller's map: %v", got.Metadata)
	}
}

func (s suite) testStoreEntriesByKey(t *testing.T) {
	e := s.env(t)
	e.book("K")
	e.book("L")
	e.accounts(acct("K", "1000", "Cash", ledger.Asset), acct("K", "3000", "Equity", ledger.Equity))
	e.accounts(acct("L", "1000", "Cash", ledger.Asset), acct("L", "3000", "Equity", ledger.Equity))
	for i, key := range []string{"a", "b", "", "c"} {
		e.post(ledger.Entry{Book: "K", Key: key, Date: day("2026-01-10"), Description: fmt.Sprint("entry ", i+1),
			Lines: []ledger.Line{ledger.Debit("1000", eur("1.00")), ledger.Credit("3000", eur("1.00"))}})
	}
	e.post(ledger.Entry{Book: "L", Key: "d", Date: day("2026-01-10"),
		Lines: []ledger.Line{ledger.Debit("1000", eur("1.00")), ledger.Credit("3000", eur("1.00"))}})
	ctx := e.ctx
	for _, tt := range []struct {
		name string
		keys []string
		want []uint64 // sequence numbers found, in any order
	}{
		{"none asked", nil, nil},
		{"all found", []string{"c", "a", "b"}, []uint64{1, 2, 4}},
		{"some missing", []string{"x", "b", "y"}, []uint64{2}},
		{"none found", []string{"x", "y"}, nil},
		{"another book's key", []string{"d"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []uint64
			err := e.store.View(ctx, func(tx ledger.ReadTx) error {
				ps, err := tx.EntriesByKey(ctx, "K", tt.keys)
				for _, p := range ps {
					got = append(got, p.Seq)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(got)
			if diff := cmp.Diff(got, tt.want, cmpOpts); diff != "" {
				t.Errorf("EntriesByKey(%q) seqs (-got +want):\n%s", tt.keys, diff)
			}
		})
	}
	err := e.store.View(ctx, func(tx ledger.ReadTx) error { _, err := tx.EntriesByKey(ctx, "NOPE", []string{"a"}); return err })
	wantErr(t, "EntriesByKey(NOPE)", err, ledger.ErrUnknownBook)
}

func (s suite) testStoreScan(t *testing.T) {
	e := s.env(t)
	e.book("K")
	e.accounts(acct("K", "1000", "Cash", ledger.Asset), acct("K", "3000", "Equity", ledger.Equity))
	for i := 1; i <= 5; i++ {
		e.post(ledger.Entry{Book: "K", Date: day("2026-01-10"),
			Lines: []ledger.Line{ledger.Debit("1000", eur("1.00")), ledger.Credit("3000", eur("1.00"))}})
	}
	ctx := e.ctx
	scan := func(from uint64, stopAt uint64) ([]uint64, error) {
		var got []uint64
		stop := errors.New("stop")
		err := e.store.View(ctx, func(tx ledger.ReadTx) error {
			got = got[:0]
			return tx.Scan(ctx, "K", from, func(p *ledger.Posted) error {
				got = append(got, p.Seq)
				if p.Seq == stopAt {
					return stop
				}
				return nil
			})
		})
		if errors.Is(err, stop) {
			err = nil
		} else if err == nil && stopAt != 0 {
			err = errors.New("the stop error was not returned")
		}
		return got, err
	}
	for _, tt := range []struct {
		name       string
		from, stop uint64
		want       []uint64
	}{
		{"from 1", 1, 0, []uint64{1, 2, 3, 4, 5}},
		{"from 3", 3, 0, []uint64{3, 4, 5}},
		{"from 5", 5, 0, []uint64{5}},
		{"from 6", 6, 0, nil},
		{"stopped at 2", 1, 2, []uint64{1, 2}},
		{"from 4 stopped at 4", 4, 4, []uint64{4}},
	} {
		got, err := scan(tt.from, tt.stop)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
		if diff := cmp.Diff(got, tt.want, cmpOpts); diff != "" {
			t.Errorf("%s (-got +want):\n%s", tt.name, diff)
		}
	}
}

func (s suite) testStoreLockBalances(t *testing.T) {
	e := s.env(t)
	e.trialBook()
	ctx := e.ctx
	// Current balances from trialBook's table: 1201 EUR 3790.00, 1201
	// USD 500.00, 3000 USD −500.00, 4000 EUR −3570.00; 1202 never had
	// USD and 1000 never had anything.
	keys := []ledger.BalanceKey{
		{Account: "1000", Currency: money.EUR},
		{Account: "1201", Currency: money.EUR},
		{Account: "1201", Currency: money.USD},
		{Account: "1202", Currency: money.USD},
		{Account: "3000", Currency: money.USD},
		{Account: "4000", Currency: money.EUR},
	}
	var got []int64
	err := e.store.Update(ctx, func(tx ledger.Tx) (err error) {
		got, err = tx.LockBalances(ctx, "TB", keys)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, []int64{0, 379000, 50000, 0, -50000, -357000}); diff != "" {
		t.Errorf("LockBalances (-got +want):\n%s", diff)
	}
}

func (s suite) testStoreTotals(t *testing.T) {
	e := s.env(t)
	e.trialBook()
	ctx := e.ctx
	type total struct{ Account, Currency, Opening, Debit, Credit string }
	totals := func(q ledger.TotalsQuery) []total {
		t.Helper()
		var rows []ledger.Totals
		err := e.store.View(ctx, func(tx ledger.ReadTx) (err error) { rows, err = tx.Totals(ctx, "TB", q); return err })
		if err != nil {
			t.Fatal(err)
		}
		var out []total
		for _, r := range rows {
			out = append(out, total{r.Account, r.Opening.Currency().Code(), r.Opening.Number(), r.Debit.Number(), r.Credit.Number()})
		}
		return out
	}
	feb := ledger.TotalsQuery{From: day("2026-02-01"), To: day("2026-02-28"), Accounts: []string{"4000", "1201"}}
	// From trialBook's table: 1201 EUR opening 10000 − 800, debit 1190,
	// credit 5000 + 800; USD 500 debit; 4000 opening −1190.
	want := []total{
		{"1201", "EUR", "9200.00", "1190.00", "5800.00"},
		{"1201", "USD", "0.00", "500.00", "0.00"},
		{"4000", "EUR", "-1190.00", "0.00", "0.00"},
	}
	if diff := cmp.Diff(totals(feb), want); diff != "" {
		t.Errorf("Totals for two accounts (-got +want):\n%s", diff)
	}
	feb.Dimension = ledger.Dimension{Name: "cc", Value: "CC-10"}
	// CC-10 lines of 1201 and 4000 up to February: only inv-1's 4000 Cr 1190.
	want = []total{{"4000", "EUR", "-1190.00", "0.00", "0.00"}}
	if diff := cmp.Diff(totals(feb), want); diff != "" {
		t.Errorf("Totals for two accounts in CC-10 (-got +want):\n%s", diff)
	}
	// The maintained balances equal the totals of all time.
	var bals []ledger.AccountBalance
	if err := e.store.View(ctx, func(tx ledger.ReadTx) (err error) { bals, err = tx.Balances(ctx, "TB"); return err }); err != nil {
		t.Fatal(err)
	}
	var gotBal []string
	for _, b := range bals {
		if !b.Balance.IsZero() {
			gotBal = append(gotBal, b.Account+" "+b.Balance.String())
		}
	}
	wantBal := []string{
		"1201 3790.00 EUR", "1201 500.00 USD", "1202 5000.00 EUR", "1400 2380.00 EUR",
		"3000 -10000.00 EUR", "3000 -500.00 USD", "4000 -3570.00 EUR", "6100 2400.00 EUR",
	}
	if diff := cmp.Diff(gotBal, wantBal); diff != "" {
		t.Errorf("Balances (-got +want):\n%s", diff)
	}

	// A closing entry (journal CLOSE) on 31 March with a cost centre:
	// revenue 4000 Dr 1500.00 cc=CC-10 against 3000.
	e.post(ledger.Entry{Book: "TB", Key: "close-cc", Date: day("2026-03-31"), Journal: ledger.JournalClosing,
		Lines: []ledger.Line{withDims(ledger.Debit("4000", eur("1500.00")), "cc", "CC-10"), ledger.Credit("3000", eur("1500.00"))}})
	march := ledger.TotalsQuery{From: day("2026-03-01"), To: day("2026-03-31"), Accounts: []string{"4000"}}
	for _, tt := range []struct {
		name string
		q    func(q ledger.TotalsQuery) ledger.TotalsQuery
		want []total
	}{
		// 4000 in March: inv-2 Cr 1500 + 880, close-cc Dr 1500; opening
		// is inv-1's Cr 1190.
		{"with closing", func(q ledger.TotalsQuery) ledger.TotalsQuery { return q },
			[]total{{"4000", "EUR", "-1190.00", "1500.00", "2380.00"}}},
		{"without closing", func(q ledger.TotalsQuery) ledger.TotalsQuery { q.ExcludeClosing = true; return q },
			[]total{{"4000", "EUR", "-1190.00", "0.00", "2380.00"}}},
		// Only the CC-10 lines: inv-1 Cr 1190 (opening), inv-2 Cr 1500,
		// close-cc Dr 1500.
		{"CC-10 with closing", func(q ledger.TotalsQuery) ledger.TotalsQuery {
			q.Dimension = ledger.Dimension{Name: "cc", Value: "CC-10"}
			return q
		}, []total{{"4000", "EUR", "-1190.00", "1500.00", "1500.00"}}},
		{"CC-10 without closing", func(q ledger.TotalsQuery) ledger.TotalsQuery {
			q.Dimension = ledger.Dimension{Name: "cc", Value: "CC-10"}
			q.ExcludeClosing = true
			return q
		}, []total{{"4000", "EUR", "-1190.00", "0.00", "1500.00"}}},
	} {
		if diff := cmp.Diff(totals(tt.q(march)), tt.want); diff != "" {
			t.Errorf("Totals %s (-got +want):\n%s", tt.name, diff)
		}
	}
	// ExcludeClosing leaves out the range's closing entries only: in
	// April the opening still holds March's close-cc, which moved 1500.00
	// of revenue to 3000. 4000 before April: −1190 − 2380 + 1500; its CC-10
	// lines: −1190 − 1500 + 1500.
	april := ledger.TotalsQuery{From: day("2026-04-01"), To: day("2026-04-30"), Accounts: []string{"4000"}, ExcludeClosing: true}
	if diff := cmp.Diff(totals(april), []total{{"4000", "EUR", "-2070.00", "0.00", "0.00"}}); diff != "" {
		t.Errorf("Totals after a closing, without closing (-got +want):\n%s", diff)
	}
	april.Dimension = ledger.Dimension{Name: "cc", Value: "CC-10"}
	if diff := cmp.Diff(totals(april), []total{{"4000", "EUR", "-1190.00", "0.00", "0.00"}}); diff != "" {
		t.Errorf("CC-10 totals after a closing, without closing (-got +want):\n%s", diff)
	}
}

func (s suite) testStorePeriods(t *testing.T) {
	e := s.env(t)
	e.book("K")
	ctx := e.ctx
	evs := []ledger.PeriodEvent{
		{Book: "K", FiscalYear: 2026, Number: 3, State: ledger.Closed, At: t0Recorded, Reason: "month end"},
		{Book: "K", FiscalYear: 2025, Number: 12, State: ledger.Closed, At: t0Recorded.Add(1), Reason: ""},
		{Book: "K", FiscalYear: 2026, Number: 3, State: ledger.Locked, At: t0Recorded.Add(2000), Reason: "audit"},
	}
	for _, ev := range evs {
		if err := e.store.Update(ctx, func(tx ledger.Tx) error { return tx.AddPeriodEvent(ctx, ev) }); err != nil {
			t.Fatal(err)
		}
	}
	var got []ledger.PeriodEvent
	states := map[[2]int]ledger.PeriodState{}
	err := e.store.View(ctx, func(tx ledger.ReadTx) (err error) {
		if got, err = tx.PeriodEvents(ctx, "K"); err != nil {
			return err
		}
		for _, k := range [][2]int{{2026, 3}, {2025, 12}, {2026, 4}, {2024, 1}} {
			if states[k], err = tx.Period(ctx, "K", k[0], k[1]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Times are kept to the microsecond: t0Recorded.Add(1) (one
	// nanosecond later) need not survive, so compare at µs precision.
	if diff := cmp.Diff(got, evs, cmpOpts, cmp.Comparer(func(a, b ledger.PeriodEvent) bool {
		return a.Book == b.Book && a.FiscalYear == b.FiscalYear && a.Number == b.Number && a.State == b.State &&
			a.Reason == b.Reason && a.At.UnixMicro() == b.At.UnixMicro()
	})); diff != "" {
		t.Errorf("PeriodEvents (-got +want):\n%s", diff)
	}
	want := map[[2]int]ledger.PeriodState{{2026, 3}: ledger.Locked, {2025, 12}: ledger.Closed, {2026, 4}: ledger.Open, {2024, 1}: ledger.Open}
	if !maps.Equal(states, want) {
		t.Errorf("Period states %v, want %v", states, want)
	}
}

func (s suite) testStoreAppendCopies(t *testing.T) {
	e := s.env(t)
	e.atomicBook()
	ps := e.prepare(laterEntries()...)
	want := []ledger.Posted{copyPosted(ps[0]), copyPosted(ps[1])}
	if err := e.store.Update(e.ctx, func(tx ledger.Tx) error { return tx.Append(e.ctx, "A", ps) }); err != nil {
		t.Fatal(err)
	}
	// Scribble over everything the caller could still reach.
	ps[0].Metadata["m"] = "changed"
	ps[0].Lines[0].Dimensions["cc"] = "changed"
	ps[0].Lines[0].Memo = "changed"
	ps[1].Lines[1].Amount = usd("-4.00")
	ps[1].Description = "changed"
	got := e.allEntries("A")[1:]
	if diff := cmp.Diff(got, want, cmpOpts); diff != "" {
		t.Errorf("stored entries changed with the caller's (-got +want):\n%s", diff)
	}
	if h := e.head("A"); h.Seq != 3 || h.Hash != want[1].Hash {
		t.Errorf("Head after Append = %d %x, want 3 %x", h.Seq, h.Hash, want[1].Hash)
	}
	e.verify("A")
}

func (s suite) testStoreDuplicateBook(t *testing.T) {
	e := s.env(t)
	e.book("K")
	err := e.store.Update(e.ctx, func(tx ledger.Tx) error {
		return tx.CreateBook(e.ctx, ledger.Book{ID: "K", Name: "Again", Currency: money.USD, FiscalYearStart: 1})
	})
	wantErr(t, "CreateBook", err, ledger.ErrDuplicate)
	b, err := e.l.Book(e.ctx, "K")
	if err != nil || b.Name != "Book K" || b.Currency != money.EUR {
		t.Errorf("book K after a duplicate CreateBook: %+v, %v", b, err)
	}
}

// testStoreVersion checks that ReadTx.Version changes with every change of
// the book's settings, accounts and periods, never returns to a value seen
// before, and is kept apart per book.
func (s suite) testStoreVersion(t *testing.T) {
	e := s.env(t)
	e.book("K")
	e.book("L")
	ctx := e.ctx
	version := func(book string) uint64 {
		t.Helper()
		var v uint64
		if err := e.store.View(ctx, func(tx ledger.ReadTx) (err error) { v, err = tx.Version(ctx, book); return err }); err != nil {
			t.Fatal(err)
		}
		return v
	}
	seen := map[uint64]string{version("K"): "after CreateBook"}
	otherBook := version("L")
	for _, st := range []struct {
		name string
		fn   func(tx ledger.Tx) error
	}{
		{"PutAccount (new)", func(tx ledger.Tx) error { return tx.PutAccount(ctx, acct("K", "1000", "Cash", ledger.Asset)) }},
		{"PutAccount (replace)", func(tx ledger.Tx) error { return tx.PutAccount(ctx, acct("K", "1000", "Cash box", ledger.Asset)) }},
		{"SetLockDate", func(tx ledger.Tx) error { return tx.SetLockDate(ctx, "K", day("2025-12-31")) }},
		{"AddPeriodEvent", func(tx ledger.Tx) error {
			return tx.AddPeriodEvent(ctx, ledger.PeriodEvent{Book: "K", FiscalYear: 2026, Number: 1, State: ledger.Closed, At: t0Recorded})
		}},
		{"two changes in one transaction", func(tx ledger.Tx) error {
			if err := tx.PutAccount(ctx, acct("K", "3000", "Equity", ledger.Equity)); err != nil {
				return err
			}
			return tx.SetLockDate(ctx, "K", day("2026-01-31"))
		}},
	} {
		// A failed attempt first: it may or may not move the version, but
		// the successful change after it must reach a new one.
		err := e.store.Update(ctx, func(tx ledger.Tx) error {
			if err := st.fn(tx); err != nil {
				return err
			}
			return errCommit
		})
		if !errors.Is(err, errCommit) {
			t.Fatalf("%s (failed): %v", st.name, err)
		}
		if err := e.store.Update(ctx, st.fn); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		v := version("K")
		if prev, ok := seen[v]; ok {
			t.Errorf("version %d after %s, as %s", v, st.name, prev)
		}
		seen[v] = "after " + st.name
	}
	if v := version("L"); v != otherBook {
		t.Errorf("book L's version moved from %d to %d with changes to book K", otherBook, v)
	}
	err := e.store.View(ctx, func(tx ledger.ReadTx) error { _, err := tx.Version(ctx, "NOPE"); return err })
	wantErr(t, "Version(NOPE)", err, ledger.ErrUnknownBook)
}
