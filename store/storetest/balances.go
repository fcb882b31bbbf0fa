package storetest

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
)

// trialBook sets up book TB with a three-level chart and nine entries over
// the first quarter of 2026, the last one posted late and back-dated:
//
//	1000 Assets              ─ level 0
//	  1200 Bank              ─ level 1
//	    1201 Current account ─ level 2
//	    1202 Savings         ─ level 2
//	  1400 Receivables       ─ level 1
//	3000 Equity, 4000 Revenue, 6000 Expenses ─ level 0
//	  6100 Rent              ─ level 1
//
//	seq date        key          journal voucher lines
//	1   2026-01-05  capital      GL      CAP-1   1201 Dr 10000.00           3000 Cr 10000.00
//	2   2026-01-20  inv-1        AR      AR-1    1400 Dr  1190.00           4000 Cr  1190.00 cc=CC-10
//	3   2026-01-31  rent-01      GL              6100 Dr   800.00 cc=CC-20  1201 Cr   800.00
//	4   2026-02-01  pay-1        BANK    AR-1    1201 Dr  1190.00           1400 Cr  1190.00
//	5   2026-02-15  save         BANK            1202 Dr  5000.00           1201 Cr  5000.00
//	6   2026-02-28  rent-02      GL              6100 Dr   800.00 cc=CC-20  1201 Cr   800.00
//	7   2026-03-01  inv-2        AR      AR-2    1400 Dr  2380.00           4000 Cr  1500.00 cc=CC-10
//	                                                                        4000 Cr   880.00 cc=CC-20
//	8   2026-03-31  rent-03      GL              6100 Dr   800.00 cc=CC-10  1201 Cr   800.00
//	9   2026-02-10  capital-usd  GL              1201 Dr   500.00 USD       3000 Cr   500.00 USD
func (e *env) trialBook() {
	e.t.Helper()
	e.book("TB")
	child := func(code, name, parent string, typ ledger.AccountType) ledger.Account {
		a := acct("TB", code, name, typ)
		a.Parent = parent
		return a
	}
	e.accounts(
		acct("TB", "1000", "Assets", ledger.Asset),
		child("1200", "Bank", "1000", ledger.Asset),
		child("1201", "Current account", "1200", ledger.Asset),
		child("1202", "Savings", "1200", ledger.Asset),
		child("1400", "Receivables", "1000", ledger.Asset),
		acct("TB", "3000", "Equity", ledger.Equity),
		acct("TB", "4000", "Revenue", ledger.Revenue),
		acct("TB", "6000", "Expenses", ledger.Expense),
		child("6100", "Rent", "6000", ledger.Expense),
	)
	cc := func(l ledger.Line, v string) ledger.Line { return withDims(l, "cc", v) }
	for _, en := range []ledger.Entry{
		{Key: "capital", Date: day("2026-01-05"), Journal: "GL", Voucher: "CAP-1",
			Lines: []ledger.Line{ledger.Debit("1201", eur("10000.00")), ledger.Credit("3000", eur("10000.00"))}},
		{Key: "inv-1", Date: day("2026-01-20"), Journal: "AR", Voucher: "AR-1",
			Lines: []ledger.Line{ledger.Debit("1400", eur("1190.00")), cc(ledger.Credit("4000", eur("1190.00")), "CC-10")}},
		{Key: "rent-01", Date: day("2026-01-31"), Journal: "GL",
			Lines: []ledger.Line{cc(ledger.Debit("6100", eur("800.00")), "CC-20"), ledger.Credit("1201", eur("800.00"))}},
		{Key: "pay-1", Date: day("2026-02-01"), Journal: "BANK", Voucher: "AR-1",
			Lines: []ledger.Line{ledger.Debit("1201", eur("1190.00")), ledger.Credit("1400", eur("1190.00"))}},
		{Key: "save", Date: day("2026-02-15"), Journal: "BANK",
			Lines: []ledger.Line{ledger.Debit("1202", eur("5000.00")), ledger.Credit("1201", eur("5000.00"))}},
		{Key: "rent-02", Date: day("2026-02-28"), Journal: "GL",
			Lines: []ledger.Line{cc(ledger.Debit("6100", eur("800.00")), "CC-20"), ledger.Credit("1201", eur("800.00"))}},
		{Key: "inv-2", Date: day("2026-03-01"), Journal: "AR", Voucher: "AR-2",
			Lines: []ledger.Line{ledger.Debit("1400", eur("2380.00")),
				cc(ledger.Credit("4000", eur("1500.00")), "CC-10"), cc(ledger.Credit("4000", eur("880.00")), "CC-20")}},
		{Key: "rent-03", Date: day("2026-03-31"), Journal: "GL",
			Lines: []ledger.Line{cc(ledger.Debit("6100", eur("800.00")), "CC-10"), ledger.Credit("1201", eur("800.00"))}},
		{Key: "capital-usd", Date: day("2026-02-10"), Journal: "GL",
			Lines: []ledger.Line{ledger.Debit("1201", usd("500.00")), ledger.Credit("3000", usd("500.00"))}},
	} {
		en.Book = "TB"
		en.Description = en.Key
		e.post(en)
	}
}

// row is a BalanceRow written out as text, for hand-made tables.
type row struct {
	Account                         string
	Level                           int
	Currency                        string
	Opening, Debit, Credit, Closing string
}

func rowsOf(rs []ledger.BalanceRow) []row {
	out := make([]row, len(rs))
	for i, r := range rs {
		out[i] = row{r.Account.Code, r.Level, r.Currency.Code(),
			r.Opening.Number(), r.Debit.Number(), r.Credit.Number(), r.Closing.Number()}
	}
	return out
}

func (s suite) testBalances(t *testing.T) {
	e := s.env(t)
	e.trialBook()
	feb, mar := day("2026-02-01"), day("2026-03-01")
	tests := []struct {
		name string
		q    ledger.BalanceQuery
		want []row
	}{
		{
			// 1201 EUR: opening 10000 − 800 = 9200; debit 1190; credit
			// 5000 + 800 = 5800; closing 9200 + 1190 − 5800 = 4590.
			// EUR closings: 4590 + 5000 + 0 − 10000 − 1190 + 1600 = 0.
			name: "February",
			q:    ledger.BalanceQuery{From: feb, To: mar.AddDays(-1)},
			want: []row{
				{"1201", 2, "EUR", "9200.00", "1190.00", "5800.00", "4590.00"},
				{"1201", 2, "USD", "0.00", "500.00", "0.00", "500.00"},
				{"1202", 2, "EUR", "0.00", "5000.00", "0.00", "5000.00"},
				{"1400", 1, "EUR", "1190.00", "0.00", "1190.00", "0.00"},
				{"3000", 0, "EUR", "-10000.00", "0.00", "0.00", "-10000.00"},
				{"3000", 0, "USD", "0.00", "0.00", "500.00", "-500.00"},
				{"4000", 0, "EUR", "-1190.00", "0.00", "0.00", "-1190.00"},
				{"6100", 1, "EUR", "800.00", "800.00", "0.00", "1600.00"},
			},
		},
		{
			// 1000 EUR = 1201 + 1202 + 1400: opening 9200 + 0 + 1190 =
			// 10390; debit 1190 + 5000 + 0 = 6190; credit 5800 + 0 + 1190
			// = 6990; closing 10390 + 6190 − 6990 = 9590.
			// 1200 EUR = 1201 + 1202: 9200, 6190, 5800, 9590.
			name: "February rolled up",
			q:    ledger.BalanceQuery{From: feb, To: mar.AddDays(-1), Rollup: true},
			want: []row{
				{"1000", 0, "EUR", "10390.00", "6190.00", "6990.00", "9590.00"},
				{"1000", 0, "USD", "0.00", "500.00", "0.00", "500.00"},
				{"1200", 1, "EUR", "9200.00", "6190.00", "5800.00", "9590.00"},
				{"1200", 1, "USD", "0.00", "500.00", "0.00", "500.00"},
				{"1201", 2, "EUR", "9200.00", "1190.00", "5800.00", "4590.00"},
				{"1201", 2, "USD", "0.00", "500.00", "0.00", "500.00"},
				{"1202", 2, "EUR", "0.00", "5000.00", "0.00", "5000.00"},
				{"1400", 1, "EUR", "1190.00", "0.00", "1190.00", "0.00"},
				{"3000", 0, "EUR", "-10000.00", "0.00", "0.00", "-10000.00"},
				{"3000", 0, "USD", "0.00", "0.00", "500.00", "-500.00"},
				{"4000", 0, "EUR", "-1190.00", "0.00", "0.00", "-1190.00"},
				{"6000", 0, "EUR", "800.00", "800.00", "0.00", "1600.00"},
				{"6100", 1, "EUR", "800.00", "800.00", "0.00", "1600.00"},
			},
		},
		{
			// 1201 EUR debit 10000 + 1190 = 11190, credit 800 + 5000 +
			// 800 + 800 = 7400, closing 3790. 1400: 1190 + 2380 = 3570
			// debit, 1190 credit. 4000: 1190 + 1500 + 880 = 3570 credit.
			name: "first quarter",
			q:    ledger.BalanceQuery{From: day("2026-01-01"), To: day("2026-03-31")},
			want: []row{
				{"1201", 2, "EUR", "0.00", "11190.00", "7400.00", "3790.00"},
				{"1201", 2, "USD", "0.00", "500.00", "0.00", "500.00"},
				{"1202", 2, "EUR", "0.00", "5000.00", "0.00", "5000.00"},
				{"1400", 1, "EUR", "0.00", "3570.00", "1190.00", "2380.00"},
				{"3000", 0, "EUR", "0.00", "0.00", "10000.00", "-10000.00"},
				{"3000", 0, "USD", "0.00", "0.00", "500.00", "-500.00"},
				{"4000", 0, "EUR", "0.00", "0.00", "3570.00", "-3570.00"},
				{"6100", 1, "EUR", "0.00", "2400.00", "0.00", "2400.00"},
			},
		},
		{
			// No bounds: the same as the quarter, which holds everything.
			name: "all time",
			q:    ledger.BalanceQuery{},
			want: []row{
				{"1201", 2, "EUR", "0.00", "11190.00", "7400.00", "3790.00"},
				{"1201", 2, "USD", "0.00", "500.00", "0.00", "500.00"},
				{"1202", 2, "EUR", "0.00", "5000.00", "0.00", "5000.00"},
				{"1400", 1, "EUR", "0.00", "3570.00", "1190.00", "2380.00"},
				{"3000", 0, "EUR", "0.00", "0.00", "10000.00", "-10000.00"},
				{"3000", 0, "USD", "0.00", "0.00", "500.00", "-500.00"},
				{"4000", 0, "EUR", "0.00", "0.00", "3570.00", "-3570.00"},
				{"6100", 1, "EUR", "0.00", "2400.00", "0.00", "2400.00"},
			},
		},
		{
			// From March on, no end: openings are the February closings.
			// 1201 EUR: opening 4590, credit 800 (31 March), closing 3790.
			// 1400: opening 0, debit 2380. 4000: opening −1190, credit
			// 1500 + 880 = 2380, closing −3570. 6100: 1600 + 800 = 2400.
			name: "from March, open end",
			q:    ledger.BalanceQuery{From: mar},
			want: []row{
				{"1201", 2, "EUR", "4590.00", "0.00", "800.00", "3790.00"},
				{"1201", 2, "USD", "500.00", "0.00", "0.00", "500.00"},
				{"1202", 2, "EUR", "5000.00", "0.00", "0.00", "5000.00"},
				{"1400", 1, "EUR", "0.00", "2380.00", "0.00", "2380.00"},
				{"3000", 0, "EUR", "-10000.00", "0.00", "0.00", "-10000.00"},
				{"3000", 0, "USD", "-500.00", "0.00", "0.00", "-500.00"},
				{"4000", 0, "EUR", "-1190.00", "0.00", "2380.00", "-3570.00"},
				{"6100", 1, "EUR", "1600.00", "800.00", "0.00", "2400.00"},
			},
		},
		{
			// Lines with cc=CC-10: inv-1 4000 Cr 1190 (January, so
			// opening), inv-2 4000 Cr 1500, rent-03 6100 Dr 800.
			name: "cost centre CC-10, February to March",
			q:    ledger.BalanceQuery{From: feb, To: day("2026-03-31"), Dimension: ledger.Dimension{Name: "cc", Value: "CC-10"}},
			want: []row{
				{"4000", 0, "EUR", "-1190.00", "0.00", "1500.00", "-2690.00"},
				{"6100", 1, "EUR", "0.00", "800.00", "0.00", "800.00"},
			},
		},
		{
			// Lines with cc=CC-20 up to 31 January: rent-01 only; rent-02
			// and inv-2 come later.
			name: "cost centre CC-20, January",
			q:    ledger.BalanceQuery{From: day("2026-01-01"), To: day("2026-01-31"), Dimension: ledger.Dimension{Name: "cc", Value: "CC-20"}},
			want: []row{
				{"6100", 1, "EUR", "0.00", "800.00", "0.00", "800.00"},
			},
		},
		{
			// Rolled up, 6000 covers 6100: CC-20 lines are rent-01,
			// rent-02 (6100 Dr 800 each) and inv-2 (4000 Cr 880).
			name: "cost centre CC-20 rolled up",
			q:    ledger.BalanceQuery{Dimension: ledger.Dimension{Name: "cc", Value: "CC-20"}, Rollup: true},
			want: []row{
				{"4000", 0, "EUR", "0.00", "0.00", "880.00", "-880.00"},
				{"6000", 0, "EUR", "0.00", "1600.00", "0.00", "1600.00"},
				{"6100", 1, "EUR", "0.00", "1600.00", "0.00", "1600.00"},
			},
		},
		{
			name: "unknown cost centre",
			q:    ledger.BalanceQuery{Dimension: ledger.Dimension{Name: "cc", Value: "CC-99"}},
			want: []row{},
		},
		{
			// Before the first entry nothing has been posted.
			name: "2025",
			q:    ledger.BalanceQuery{From: day("2025-01-01"), To: day("2025-12-31")},
			want: []row{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.l.Balances(e.ctx, "TB", tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(rowsOf(got), tt.want, cmpOpts); diff != "" {
				t.Errorf("Balances (-got +want):\n%s", diff)
			}
		})
	}

	// The Totals contract gives rows to accounts with a posting up to To;
	// accounts whose first posting comes later in the same month have none.
	t.Run("only accounts posted by To", func(t *testing.T) {
		got, err := e.l.Balances(e.ctx, "TB", ledger.BalanceQuery{From: day("2026-01-01"), To: day("2026-01-10")})
		if err != nil {
			t.Fatal(err)
		}
		want := []row{
			{"1201", 2, "EUR", "0.00", "10000.00", "0.00", "10000.00"},
			{"3000", 0, "EUR", "0.00", "0.00", "10000.00", "-10000.00"},
		}
		if diff := cmp.Diff(rowsOf(got), want, cmpOpts); diff != "" {
			t.Errorf("Balances 1–10 January (-got +want):\n%s", diff)
		}
	})

	t.Run("parents with postings of their own", s.testRollupOwnPostings)

	t.Run("Balance as of", func(t *testing.T) {
		tests := []struct {
			code    string
			asOf    string // "" for now
			subtree bool
			want    ledger.Balance
		}{
			{"1201", "2026-01-04", false, nil},                             // before the first entry
			{"1201", "2026-01-05", false, ledger.Balance{eur("10000.00")}}, // on it
			{"1201", "2026-01-30", false, ledger.Balance{eur("10000.00")}}, // after it
			{"1201", "2026-01-31", false, ledger.Balance{eur("9200.00")}},  // 10000 − 800
			{"1201", "2026-02-01", false, ledger.Balance{eur("10390.00")}}, // 9200 + 1190, across the month end
			{"1201", "2026-02-09", false, ledger.Balance{eur("10390.00")}}, // the day before the back-dated USD entry
			{"1201", "2026-02-10", false, ledger.Balance{eur("10390.00"), usd("500.00")}},
			{"1201", "2026-02-15", false, ledger.Balance{eur("5390.00"), usd("500.00")}}, // 10390 − 5000
			{"1201", "2026-02-28", false, ledger.Balance{eur("4590.00"), usd("500.00")}}, // 5390 − 800
			{"1201", "2026-03-30", false, ledger.Balance{eur("4590.00"), usd("500.00")}},
			{"1201", "2026-03-31", false, ledger.Balance{eur("3790.00"), usd("500.00")}}, // 4590 − 800
			{"1201", "2030-01-01", false, ledger.Balance{eur("3790.00"), usd("500.00")}},
			{"1201", "", false, ledger.Balance{eur("3790.00"), usd("500.00")}},
			{"1400", "2026-02-01", false, nil},                             // 1190 − 1190
			{"4000", "2026-03-01", false, ledger.Balance{eur("-3570.00")}}, // −1190 − 2380
			{"6000", "", false, nil},                                                     // nothing posted on 6000 itself
			{"6000", "2026-02-27", true, ledger.Balance{eur("800.00")}},                  // rent-01 only
			{"6000", "2026-02-28", true, ledger.Balance{eur("1600.00")}},                 // + rent-02
			{"1200", "2026-02-15", true, ledger.Balance{eur("10390.00"), usd("500.00")}}, // 5390 + 5000
			{"1000", "2026-01-31", true, ledger.Balance{eur("10390.00")}},                // 9200 + 1190
			{"1000", "2026-02-28", true, ledger.Balance{eur("9590.00"), usd("500.00")}},  // 4590 + 5000 + 0
			{"1000", "", true, ledger.Balance{eur("11170.00"), usd("500.00")}},           // 3790 + 5000 + 2380
		}
		for _, tt := range tests {
			var asOf date.Date
			if tt.asOf != "" {
				asOf = day(tt.asOf)
			}
			balance := e.l.Balance
			if tt.subtree {
				balance = e.l.SubtreeBalance
			}
			got, err := balance(e.ctx, "TB", tt.code, asOf)
			if err != nil {
				t.Errorf("Balance(%s, %s, %v): %v", tt.code, tt.asOf, tt.subtree, err)
				continue
			}
			if diff := cmp.Diff(got, tt.want, cmpOpts); diff != "" {
				t.Errorf("Balance(%s, %q, subtree %v) (-got +want):\n%s", tt.code, tt.asOf, tt.subtree, diff)
			}
		}
	})
	e.verify("TB")
}

// testRollupOwnPostings rolls up a hierarchy whose parents have postings
// of their own: 1000 (10.00) ← 1100 (5.00) ← 1110 (2.00), against 3000.
func (s suite) testRollupOwnPostings(t *testing.T) {
	e := s.env(t)
	e.book("RU")
	child := func(code, parent string) ledger.Account {
		a := acct("RU", code, "Account "+code, ledger.Asset)
		a.Parent = parent
		return a
	}
	e.accounts(acct("RU", "1000", "Assets", ledger.Asset), child("1100", "1000"), child("1110", "1100"), acct("RU", "3000", "Equity", ledger.Equity))
	for code, a := range map[string]string{"1000": "10.00", "1100": "5.00", "1110": "2.00"} {
		e.post(ledger.Entry{Book: "RU", Date: day("2026-06-30"), Lines: []ledger.Line{ledger.Debit(code, eur(a)), ledger.Credit("3000", eur(a))}})
	}
	rows, err := e.l.Balances(e.ctx, "RU", ledger.BalanceQuery{Rollup: true})
	if err != nil {
		t.Fatal(err)
	}
	// 1000: 10 + 5 + 2 = 17; 1100: 5 + 2 = 7; 1110: 2.
	want := []row{
		{"1000", 0, "EUR", "0.00", "17.00", "0.00", "17.00"},
		{"1100", 1, "EUR", "0.00", "7.00", "0.00", "7.00"},
		{"1110", 2, "EUR", "0.00", "2.00", "0.00", "2.00"},
		{"3000", 0, "EUR", "0.00", "0.00", "17.00", "-17.00"},
	}
	if diff := cmp.Diff(rowsOf(rows), want, cmpOpts); diff != "" {
		t.Errorf("rolled-up Balances (-got +want):\n%s", diff)
	}
	for _, tt := range []struct {
		code    string
		subtree bool
		want    string
	}{
		{"1000", false, "10.00"}, {"1000", true, "17.00"}, {"1100", true, "7.00"}, {"1110", true, "2.00"},
	} {
		balance := e.l.Balance
		if tt.subtree {
			balance = e.l.SubtreeBalance
		}
		got, err := balance(e.ctx, "RU", tt.code, date.Date{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(got, ledger.Balance{eur(tt.want)}, cmpOpts); diff != "" {
			t.Errorf("Balance(%s, subtree %v) (-got +want):\n%s", tt.code, tt.subtree, diff)
		}
	}
	_, err = e.l.Balance(e.ctx, "RU", "1999", date.Date{})
	wantErr(t, "Balance of an unknown account", err, ledger.ErrUnknownAccount)
}
