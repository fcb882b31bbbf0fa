package reporting_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/reporting"
)

// tbRows renders a trial balance as "account | amount | …" per row.
func tbRows(r reporting.Report) []string {
	var out []string
	for _, row := range r.Rows {
		s := row.Account
		for j, c := range r.Columns {
			if c.Kind == reporting.AmountColumn {
				s += " | " + row.Cells[j].Amount.Number()
			}
		}
		out = append(out, s)
	}
	return out
}

func columnKeys(r reporting.Report) []string {
	var out []string
	for _, c := range r.Columns {
		out = append(out, c.Key)
	}
	return out
}

func checkLabels(r reporting.Report) []string {
	var out []string
	for _, c := range r.Checks {
		out = append(out, c.Label)
	}
	return out
}

// TestTrialBalanceAcrossFiscalYears: with 2025 closed (its result, 2,000.00
// of sales, moved to 3200 Retained earnings by the closing entry on
// 2025-12-31), the trial balance from 2025-12-15 to 2026-02-28 opens with
// the balances before 2025-12-15 — E1 only: 1120 50,000.00 Dr, 3100
// 50,000.00 Cr — and counts everything after, by hand:
//
//	1120  Dec E2 2,000 + Jan E4 20,000 = 22,000 Dr; Jan E3 28,560 + Feb E8
//	      1,500 + E9 4,000 = 34,060 Cr; closing 50,000 + 22,000 − 34,060 = 37,940
//	4100  closing entry 2,000 Dr; E2 2,000 + E6 10,000 = 12,000 Cr; −10,000
//	3200  closing entry 2,000 Cr
//	1200 11,900 Dr (E6); 1300 8,000 Dr (E5), 6,000 Cr (E7); 1400 4,560, 1540
//	24,000 Dr (E3); 2110 8,000 Cr (E5); 2120 1,900 Cr (E6); 2510 20,000 Cr
//	(E4); 5000 6,000, 6100 4,000, 6200 1,500 Dr (E7, E9, E8)
//
// Σ debits = Σ credits = 83,960.00; the closing balances sum to zero.
func TestTrialBalanceAcrossFiscalYears(t *testing.T) {
	ctx := context.Background()
	l := handBook(t)
	if _, err := l.CloseYear(ctx, "acme", 2025, "3200"); err != nil {
		t.Fatal(err)
	}
	r, err := reporting.TrialBalance(ctx, l, "acme", opts("2025-12-15", "2026-02-28"))
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, r)
	if diff := cmp.Diff([]string{"account", "label", "opening", "debit", "credit", "closing"}, columnKeys(r)); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
	want := []string{
		"1120 | 50000.00 | 22000.00 | 34060.00 | 37940.00",
		"1200 | 0.00 | 11900.00 | 0.00 | 11900.00",
		"1300 | 0.00 | 8000.00 | 6000.00 | 2000.00",
		"1400 | 0.00 | 4560.00 | 0.00 | 4560.00",
		"1540 | 0.00 | 24000.00 | 0.00 | 24000.00",
		"2110 | 0.00 | 0.00 | 8000.00 | -8000.00",
		"2120 | 0.00 | 0.00 | 1900.00 | -1900.00",
		"2510 | 0.00 | 0.00 | 20000.00 | -20000.00",
		"3100 | -50000.00 | 0.00 | 0.00 | -50000.00",
		"3200 | 0.00 | 0.00 | 2000.00 | -2000.00",
		"4100 | 0.00 | 2000.00 | 12000.00 | -10000.00",
		"5000 | 0.00 | 6000.00 | 0.00 | 6000.00",
		"6100 | 0.00 | 4000.00 | 0.00 | 4000.00",
		"6200 | 0.00 | 1500.00 | 0.00 | 1500.00",
		" | 0.00 | 83960.00 | 83960.00 | 0.00",
	}
	if diff := cmp.Diff(want, tbRows(r)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Σ debits = Σ credits (period)", "Σ closing balances = 0"}, checkLabels(r)); diff != "" {
		t.Errorf("checks (-want +got):\n%s", diff)
	}

	// From the start of 2025: the opening is zero (nothing before), and
	// without the closing entries 4100 keeps its 12,000.00 Cr and 3200 is
	// gone.
	o := opts("2025-01-01", "2026-02-28")
	o.ExcludeClosing = true
	r, err = reporting.TrialBalance(ctx, l, "acme", o)
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, r)
	got := tbRows(r)
	for _, w := range []string{"1120 | 0.00 | 72000.00 | 34060.00 | 37940.00", "4100 | 0.00 | 0.00 | 12000.00 | -12000.00", " | 0.00 | 131960.00 | 131960.00 | 0.00"} {
		if !contains(got, w) {
			t.Errorf("no row %q in\n%v", w, got)
		}
	}
	for _, row := range r.Rows {
		if row.Account == "3200" {
			t.Errorf("3200 shown without closing entries: %v", row)
		}
	}
}

// TestTrialBalanceOpeningsAcrossYears: the opening entries of the fiscal
// year From falls in go to the opening column, those of a later year are
// movements of a range that spans both years (a one-year trial balance of
// the later year shows them as its opening).
//
//	2025-01-01 OPEN   1120 1,000.00 Dr / 3100 1,000.00 Cr
//	2025-06-01        1120   500.00 Dr / 4100   500.00 Cr
//	2026-01-01 OPEN   1120   200.00 Dr / 3100   200.00 Cr
func TestTrialBalanceOpeningsAcrossYears(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t, "ob", ledger.DefaultChart("ob"))
	for _, e := range []ledger.Entry{
		{Book: "ob", Date: d("2025-01-01"), Journal: ledger.JournalOpening, Lines: []ledger.Line{{Account: "1120", Amount: eur("1000.00")}, {Account: "3100", Amount: eur("-1000.00")}}},
		{Book: "ob", Date: d("2025-06-01"), Lines: []ledger.Line{{Account: "1120", Amount: eur("500.00")}, {Account: "4100", Amount: eur("-500.00")}}},
		{Book: "ob", Date: d("2026-01-01"), Journal: ledger.JournalOpening, Lines: []ledger.Line{{Account: "1120", Amount: eur("200.00")}, {Account: "3100", Amount: eur("-200.00")}}},
	} {
		if _, err := l.Post(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	r, err := reporting.TrialBalance(ctx, l, "ob", opts("2025-01-01", "2026-03-31"))
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, r)
	want := []string{
		"1120 | 1000.00 | 700.00 | 0.00 | 1700.00",
		"3100 | -1000.00 | 0.00 | 200.00 | -1200.00",
		"4100 | 0.00 | 0.00 | 500.00 | -500.00",
		" | 0.00 | 700.00 | 700.00 | 0.00",
	}
	if diff := cmp.Diff(want, tbRows(r)); diff != "" {
		t.Errorf("across the years (-want +got):\n%s", diff)
	}
	r, err = reporting.TrialBalance(ctx, l, "ob", opts("2026-01-01", "2026-03-31"))
	if err != nil {
		t.Fatal(err)
	}
	want = []string{ // opening, debit, credit, YTD debit, YTD credit, closing
		"1120 | 1700.00 | 0.00 | 0.00 | 0.00 | 0.00 | 1700.00",
		"3100 | -1200.00 | 0.00 | 0.00 | 0.00 | 0.00 | -1200.00",
		"4100 | -500.00 | 0.00 | 0.00 | 0.00 | 0.00 | -500.00",
		" | 0.00 | 0.00 | 0.00 | 0.00 | 0.00 | 0.00",
	}
	if diff := cmp.Diff(want, tbRows(r)); diff != "" {
		t.Errorf("2026 alone (-want +got):\n%s", diff)
	}
}

// TestTrialBalanceMonthly: Q1 2026 of the hand-worked book with a column
// per month holding each account's change (debits − credits), by hand from
// handEntries:
//
//	1120  Jan E4 +20,000 − E3 28,560 = −8,560; Feb −E8 1,500 − E9 4,000 =
//	      −5,500; Mar +E10 11,900 − E11 5,000 − E14 500 − E13 150 = +6,250;
//	      closing 52,000 − 8,560 − 5,500 + 6,250 = 44,190 (as TestTrialBalanceByHand)
//	1200  Feb +11,900 (E6), Mar −11,900 (E10): closing 0.00, still shown
//	4100  opening −2,000 (2025's sales, not closed), Feb −10,000
//
// and every month's changes sum to zero.
func TestTrialBalanceMonthly(t *testing.T) {
	ctx := context.Background()
	l := handBook(t)
	o := opts("2026-01-01", "2026-03-31")
	o.Compare = reporting.Monthly
	r, err := reporting.TrialBalance(ctx, l, "acme", o)
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, r)
	if diff := cmp.Diff([]string{"account", "label", "opening", "2026-01", "2026-02", "2026-03", "closing"}, columnKeys(r)); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
	if c := r.Columns[4]; c.From != d("2026-02-01") || c.To != d("2026-02-28") {
		t.Errorf("column %s covers %s – %s", c.Key, c.From, c.To)
	}
	want := []string{
		"1110 | 0.00 | 0.00 | 0.00 | 500.00 | 500.00",
		"1120 | 52000.00 | -8560.00 | -5500.00 | 6250.00 | 44190.00",
		"1200 | 0.00 | 0.00 | 11900.00 | -11900.00 | 0.00",
		"1300 | 0.00 | 8000.00 | -6000.00 | 0.00 | 2000.00",
		"1400 | 0.00 | 4560.00 | 0.00 | 0.00 | 4560.00",
		"1540 | 0.00 | 24000.00 | 0.00 | 0.00 | 24000.00",
		"1590 | 0.00 | 0.00 | 0.00 | -1200.00 | -1200.00",
		"2110 | 0.00 | -8000.00 | 0.00 | 5000.00 | -3000.00",
		"2120 | 0.00 | 0.00 | -1900.00 | 0.00 | -1900.00",
		"2510 | 0.00 | -20000.00 | 0.00 | 0.00 | -20000.00",
		"3100 | -50000.00 | 0.00 | 0.00 | 0.00 | -50000.00",
		"4100 | -2000.00 | 0.00 | -10000.00 | 0.00 | -12000.00",
		"5000 | 0.00 | 0.00 | 6000.00 | 0.00 | 6000.00",
		"6100 | 0.00 | 0.00 | 4000.00 | 0.00 | 4000.00",
		"6200 | 0.00 | 0.00 | 1500.00 | 0.00 | 1500.00",
		"6800 | 0.00 | 0.00 | 0.00 | 1200.00 | 1200.00",
		"6950 | 0.00 | 0.00 | 0.00 | 150.00 | 150.00",
		" | 0.00 | 0.00 | 0.00 | 0.00 | 0.00",
	}
	if diff := cmp.Diff(want, tbRows(r)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if n := len(r.Checks); n != 4 { // one per month and the closing balances
		t.Errorf("%d checks, want 4: %v", n, checkLabels(r))
	}

	// Quarterly from 2025-10-01, with 2025 closed: Q4 2025 holds the capital,
	// the 2025 sales and their closing (4100 +2,000 − 2,000 = 0), Q1 2026 the
	// sums of the months above; 1200 is zero in every column and left out.
	if _, err := l.CloseYear(ctx, "acme", 2025, "3200"); err != nil {
		t.Fatal(err)
	}
	o = opts("2025-10-01", "2026-03-31")
	o.Compare = reporting.Quarterly
	r, err = reporting.TrialBalance(ctx, l, "acme", o)
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, r)
	if diff := cmp.Diff([]string{"account", "label", "opening", "2025-Q4", "2026-Q1", "closing"}, columnKeys(r)); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
	want = []string{
		"1110 | 0.00 | 0.00 | 500.00 | 500.00",
		"1120 | 0.00 | 52000.00 | -7810.00 | 44190.00",
		"1300 | 0.00 | 0.00 | 2000.00 | 2000.00",
		"1400 | 0.00 | 0.00 | 4560.00 | 4560.00",
		"1540 | 0.00 | 0.00 | 24000.00 | 24000.00",
		"1590 | 0.00 | 0.00 | -1200.00 | -1200.00",
		"2110 | 0.00 | 0.00 | -3000.00 | -3000.00",
		"2120 | 0.00 | 0.00 | -1900.00 | -1900.00",
		"2510 | 0.00 | 0.00 | -20000.00 | -20000.00",
		"3100 | 0.00 | -50000.00 | 0.00 | -50000.00",
		"3200 | 0.00 | -2000.00 | 0.00 | -2000.00",
		"4100 | 0.00 | 0.00 | -10000.00 | -10000.00",
		"5000 | 0.00 | 0.00 | 6000.00 | 6000.00",
		"6100 | 0.00 | 0.00 | 4000.00 | 4000.00",
		"6200 | 0.00 | 0.00 | 1500.00 | 1500.00",
		"6800 | 0.00 | 0.00 | 1200.00 | 1200.00",
		"6950 | 0.00 | 0.00 | 150.00 | 150.00",
		" | 0.00 | 0.00 | 0.00 | 0.00",
	}
	if diff := cmp.Diff(want, tbRows(r)); diff != "" {
		t.Errorf("quarterly rows (-want +got):\n%s", diff)
	}
}

// TestTrialBalanceAccountQuery: a query keeps the accounts whose code or
// name matches, case-insensitively; the total adds the rows shown, and the
// checks, which need the whole book, are left out.
func TestTrialBalanceAccountQuery(t *testing.T) {
	ctx := context.Background()
	l := handBook(t)
	tests := []struct {
		name  string
		query string
		depth int
		want  []string
	}{
		// 1120 Bank by name, 4100 by code; figures as in TestTrialBalanceByHand
		// for Q1 (the period is the year to date).
		// (2510 Bank loan does not end in "bank".)
		{"name or code", "BANK$|^41", 0, []string{
			"1120 | 52000.00 | 31900.00 | 39710.00 | 31900.00 | 39710.00 | 44190.00",
			"4100 | -2000.00 | 0.00 | 10000.00 | 0.00 | 10000.00 | -12000.00",
			" | 50000.00 | 31900.00 | 49710.00 | 31900.00 | 49710.00 | 32190.00",
		}},
		// Rolled up (as TestTrialBalanceRollup): both subtrees are shown
		// without their parents, so both count.
		{"rolled up, parents hidden", "current", 2, []string{
			"1100 | 52000.00 | 56860.00 | 57610.00 | 56860.00 | 57610.00 | 51250.00",
			"2100 | 0.00 | 5000.00 | 9900.00 | 5000.00 | 9900.00 | -4900.00",
			" | 52000.00 | 61860.00 | 67510.00 | 61860.00 | 67510.00 | 46350.00",
		}},
		// Assets covers Current and Fixed assets: the total counts it once.
		{"rolled up, parent shown", "assets", 2, []string{
			"1000 | 52000.00 | 80860.00 | 58810.00 | 80860.00 | 58810.00 | 74050.00",
			"1100 | 52000.00 | 56860.00 | 57610.00 | 56860.00 | 57610.00 | 51250.00",
			"1500 | 0.00 | 24000.00 | 1200.00 | 24000.00 | 1200.00 | 22800.00",
			" | 52000.00 | 80860.00 | 58810.00 | 80860.00 | 58810.00 | 74050.00",
		}},
		{"nothing matches", "^9", 0, []string{" | 0.00 | 0.00 | 0.00 | 0.00 | 0.00 | 0.00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := opts("", "2026-03-31")
			o.AccountQuery, o.Depth = tt.query, tt.depth
			r, err := reporting.TrialBalance(ctx, l, "acme", o)
			if err != nil {
				t.Fatal(err)
			}
			checkReport(t, r)
			if diff := cmp.Diff(tt.want, tbRows(r)); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
			if r.Filter != "accounts~"+tt.query {
				t.Errorf("Filter %q", r.Filter)
			}
			if len(r.Checks) != 0 {
				t.Errorf("checks on a filtered report: %v", checkLabels(r))
			}
		})
	}
}

// TestGeneralLedgerAccountQuery: the general ledger of the accounts
// matching "^12|^accounts rec" is 1200 Accounts receivable alone (not 1400
// VAT receivable): E6 11,900.00 Dr on 02-03, E10
// 11,900.00 Cr on 03-01, closing 0.00; no check.
func TestGeneralLedgerAccountQuery(t *testing.T) {
	l := handBook(t)
	o := opts("2026-01-01", "2026-03-31")
	o.AccountQuery = "^12|^accounts rec"
	r, err := reporting.GeneralLedger(context.Background(), l, "acme", o)
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, r)
	want := []string{
		"heading 0 1200 Accounts receivable |  |  | ",
		"detail 1 Opening balance |  |  | 0.00",
		"detail 1 Invoice 001 | 11900.00 |  | 11900.00",
		"detail 1 Customer payment 001 |  | 11900.00 | 0.00",
		"total 1 Total | 11900.00 | 11900.00 | ",
		"detail 1 Closing balance |  |  | 0.00",
	}
	if diff := cmp.Diff(want, lines(r)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if r.Filter != "accounts~^12|^accounts rec" || len(r.Checks) != 0 {
		t.Errorf("Filter %q, checks %v", r.Filter, checkLabels(r))
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
