package reporting_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"

	"github.com/openbackoffice/backoffice/reporting"
)

// The expectations below are worked out by hand from handEntries.
//
// Balances at the start of fiscal year 2026 (2025 not closed):
//
//	1120 Bank  50,000.00 (E1) + 2,000.00 (E2)        = 52,000.00 Dr
//	3100 Share capital                                = 50,000.00 Cr
//	4100 Sales (2025 revenue, not closed)             =  2,000.00 Cr
//
// Bank in 2026: debits E4 20,000 + E10 11,900 = 31,900; credits E3 28,560 +
// E8 1,500 + E9 4,000 + E11 5,000 + E13 150 + E14 500 = 39,710; closing
// 52,000 + 31,900 − 39,710 = 44,190.00. February and March alone: debits
// 11,900, credits 1,500 + 4,000 + 5,000 + 150 + 500 = 11,150.
//
// Σ debits Jan–Mar = 500 + 31,900 + 11,900 + 8,000 + 4,560 + 24,000 + 5,000 +
// 6,000 + 4,000 + 1,500 + 1,200 + 150 = 98,710.00 = Σ credits 39,710 + 11,900 +
// 6,000 + 1,200 + 8,000 + 1,900 + 20,000 + 10,000. Feb–Mar: 42,150.00 each.

func TestTrialBalanceByHand(t *testing.T) {
	ctx := context.Background()
	l := handBook(t)
	r, err := reporting.TrialBalance(ctx, l, "acme", opts("2026-02-01", "2026-03-31"))
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, r)
	// account: opening (FY start), debit, credit (Feb–Mar), debit, credit YTD, closing
	want := []string{
		"1110 | 0.00 | 500.00 | 0.00 | 500.00 | 0.00 | 500.00",
		"1120 | 52000.00 | 11900.00 | 11150.00 | 31900.00 | 39710.00 | 44190.00",
		"1200 | 0.00 | 11900.00 | 11900.00 | 11900.00 | 11900.00 | 0.00",
		"1300 | 0.00 | 0.00 | 6000.00 | 8000.00 | 6000.00 | 2000.00",
		"1400 | 0.00 | 0.00 | 0.00 | 4560.00 | 0.00 | 4560.00",
		"1540 | 0.00 | 0.00 | 0.00 | 24000.00 | 0.00 | 24000.00",
		"1590 | 0.00 | 0.00 | 1200.00 | 0.00 | 1200.00 | -1200.00",
		"2110 | 0.00 | 5000.00 | 0.00 | 5000.00 | 8000.00 | -3000.00",
		"2120 | 0.00 | 0.00 | 1900.00 | 0.00 | 1900.00 | -1900.00",
		"2510 | 0.00 | 0.00 | 0.00 | 0.00 | 20000.00 | -20000.00",
		"3100 | -50000.00 | 0.00 | 0.00 | 0.00 | 0.00 | -50000.00",
		"4100 | -2000.00 | 0.00 | 10000.00 | 0.00 | 10000.00 | -12000.00",
		"5000 | 0.00 | 6000.00 | 0.00 | 6000.00 | 0.00 | 6000.00",
		"6100 | 0.00 | 4000.00 | 0.00 | 4000.00 | 0.00 | 4000.00",
		"6200 | 0.00 | 1500.00 | 0.00 | 1500.00 | 0.00 | 1500.00",
		"6800 | 0.00 | 1200.00 | 0.00 | 1200.00 | 0.00 | 1200.00",
		"6950 | 0.00 | 150.00 | 0.00 | 150.00 | 0.00 | 150.00",
		" | 0.00 | 42150.00 | 42150.00 | 98710.00 | 98710.00 | 0.00",
	}
	var got []string
	for _, row := range r.Rows {
		s := row.Account
		for _, c := range row.Cells[2:] {
			s += " | " + c.Amount.Number()
		}
		got = append(got, s)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if n := len(r.Checks); n != 3 {
		t.Errorf("%d checks, want 3", n)
	}
}

func TestTrialBalanceRollup(t *testing.T) {
	// With Depth 2 the default chart rolls up into Assets > Current assets,
	// Fixed assets; Liabilities > …; the total adds the level-0 rows only.
	l := handBook(t)
	o := opts("", "2026-03-31")
	o.Depth = 2
	r, err := reporting.TrialBalance(context.Background(), l, "acme", o)
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, r)
	want := []string{
		// Assets: debits 500 + 31,900 + 11,900 + 8,000 + 4,560 + 24,000 =
		// 80,860; credits 39,710 + 11,900 + 6,000 + 1,200 = 58,810; closing
		// 52,000 + 80,860 − 58,810 = 74,050. Current assets the same without
		// 1540 and 1590: 56,860, 57,610, 51,250.
		"detail 0 Assets | 52000.00 | 80860.00 | 58810.00 | 80860.00 | 58810.00 | 74050.00",
		"detail 1 Current assets | 52000.00 | 56860.00 | 57610.00 | 56860.00 | 57610.00 | 51250.00",
		"detail 1 Fixed assets | 0.00 | 24000.00 | 1200.00 | 24000.00 | 1200.00 | 22800.00",
		"detail 0 Liabilities | 0.00 | 5000.00 | 29900.00 | 5000.00 | 29900.00 | -24900.00",
		"detail 1 Current liabilities | 0.00 | 5000.00 | 9900.00 | 5000.00 | 9900.00 | -4900.00",
		"detail 1 Long-term liabilities | 0.00 | 0.00 | 20000.00 | 0.00 | 20000.00 | -20000.00",
		"detail 0 Equity | -50000.00 | 0.00 | 0.00 | 0.00 | 0.00 | -50000.00",
		"detail 1 Share capital | -50000.00 | 0.00 | 0.00 | 0.00 | 0.00 | -50000.00",
		"detail 0 Revenue | -2000.00 | 0.00 | 10000.00 | 0.00 | 10000.00 | -12000.00",
		"detail 1 Sales | -2000.00 | 0.00 | 10000.00 | 0.00 | 10000.00 | -12000.00",
		"detail 0 Cost of goods sold | 0.00 | 6000.00 | 0.00 | 6000.00 | 0.00 | 6000.00",
		"detail 0 Operating expenses | 0.00 | 6850.00 | 0.00 | 6850.00 | 0.00 | 6850.00",
		"detail 1 Salaries | 0.00 | 4000.00 | 0.00 | 4000.00 | 0.00 | 4000.00",
		"detail 1 Rent | 0.00 | 1500.00 | 0.00 | 1500.00 | 0.00 | 1500.00",
		"detail 1 Depreciation | 0.00 | 1200.00 | 0.00 | 1200.00 | 0.00 | 1200.00",
		"detail 1 Interest expense | 0.00 | 150.00 | 0.00 | 150.00 | 0.00 | 150.00",
		"total 0 Total | 0.00 | 98710.00 | 98710.00 | 98710.00 | 98710.00 | 0.00",
	}
	if diff := cmp.Diff(want, lines(r)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

// Balance sheet as of 2026-03-31, default layout, 2025 not closed:
//
//	Cash 1110 500 + 1120 44,190                    44,690.00
//	Inventory 1300                                  2,000.00
//	Other current assets 1400 VAT receivable        4,560.00
//	Current assets                                 51,250.00
//	Fixed assets 1540 24,000 − 1590 1,200          22,800.00
//	Assets                                         74,050.00
//	Payables 2110 3,000; VAT 2120 1,900; loan 2510 20,000: liabilities 24,900.00
//	Share capital 50,000; retained earnings = 2025's unclosed result 2,000;
//	result 2026 = revenue 10,000 − (6,000 + 4,000 + 1,500 + 1,200 + 150) = −2,850
//	Equity 49,150.00; liabilities and equity 74,050.00.
func TestBalanceSheetByHand(t *testing.T) {
	l := handBook(t)
	r, err := reporting.BalanceSheet(context.Background(), l, "acme", opts("", "2026-03-31"))
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, r)
	want := []string{
		"heading 0 Assets | ",
		"heading 1 Current assets | ",
		"heading 2 Cash and cash equivalents | ",
		"detail 3 1110 Cash | 500.00",
		"detail 3 1120 Bank | 44190.00",
		"subtotal 2 Total cash and cash equivalents | 44690.00",
		"heading 2 Inventory | ",
		"detail 3 1300 Inventory | 2000.00",
		"subtotal 2 Total inventory | 2000.00",
		"heading 2 Other current assets | ",
		"detail 3 1400 VAT receivable | 4560.00",
		"subtotal 2 Total other current assets | 4560.00",
		"subtotal 1 Total current assets | 51250.00",
		"heading 1 Fixed assets | ",
		"heading 2 Property, equipment and software | ",
		"detail 3 1540 Vehicles | 24000.00",
		"subtotal 2 Total property, equipment and software | 24000.00",
		"heading 2 Accumulated depreciation | ",
		"detail 3 1590 Accumulated depreciation | -1200.00",
		"subtotal 2 Total accumulated depreciation | -1200.00",
		"subtotal 1 Total fixed assets | 22800.00",
		"total 0 Total assets | 74050.00",
		"heading 0 Liabilities and equity | ",
		"heading 1 Liabilities | ",
		"heading 2 Accounts payable | ",
		"detail 3 2110 Accounts payable | 3000.00",
		"subtotal 2 Total accounts payable | 3000.00",
		"heading 2 Taxes and payroll liabilities | ",
		"detail 3 2120 VAT payable | 1900.00",
		"subtotal 2 Total taxes and payroll liabilities | 1900.00",
		"heading 2 Long-term liabilities | ",
		"detail 3 2510 Bank loans | 20000.00",
		"subtotal 2 Total long-term liabilities | 20000.00",
		"subtotal 1 Total liabilities | 24900.00",
		"heading 1 Equity | ",
		"heading 2 Share capital | ",
		"detail 3 3100 Share capital | 50000.00",
		"subtotal 2 Total share capital | 50000.00",
		"detail 2 Retained earnings | 2000.00",
		"detail 2 Result for the year | -2850.00",
		"subtotal 1 Total equity | 49150.00",
		"total 0 Total liabilities and equity | 74050.00",
	}
	if diff := cmp.Diff(want, lines(r)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if len(r.Checks) != 2 || r.Checks[0].Label != "Assets = Liabilities and equity" ||
		r.Checks[1].Label != "Σ negative cash balances = 0 (cash cannot be negative)" || !r.Checks[1].OK() {
		t.Errorf("checks = %+v", r.Checks)
	}
}

// After CloseYear(2025) into 3200 the 2,000.00 of 2025 is in retained
// earnings, an account row now, and the total is unchanged. As of
// 2025-12-31 the closed year shows no result line at all; before closing it
// showed 2,000.00 as the year's result.
func TestBalanceSheetAfterClosing(t *testing.T) {
	ctx := context.Background()
	l := handBook(t)
	o := opts("", "2025-12-31")
	o.Depth = 3 // lines only
	before, err := reporting.BalanceSheet(ctx, l, "acme", o)
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, before)
	if _, err := l.CloseYear(ctx, "acme", 2025, "3200"); err != nil {
		t.Fatal(err)
	}
	after, err := reporting.BalanceSheet(ctx, l, "acme", o)
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, after)
	tail := func(r reporting.Report) []string { s := lines(r); return s[len(s)-6:] }
	wantBefore := []string{
		"heading 1 Equity | ",
		"detail 2 Share capital | 50000.00",
		"detail 2 Result for the year | 2000.00",
		"subtotal 1 Total equity | 52000.00",
		"total 0 Total liabilities and equity | 52000.00",
	}
	if diff := cmp.Diff(wantBefore, tail(before)[1:]); diff != "" {
		t.Errorf("before closing (-want +got):\n%s", diff)
	}
	wantAfter := []string{
		"heading 1 Equity | ",
		"detail 2 Share capital | 50000.00",
		"detail 2 Retained earnings | 2000.00",
		"subtotal 1 Total equity | 52000.00",
		"total 0 Total liabilities and equity | 52000.00",
	}
	if diff := cmp.Diff(wantAfter, tail(after)[1:]); diff != "" {
		t.Errorf("after closing (-want +got):\n%s", diff)
	}

	// 2026 as before, but the 2,000.00 now comes from account 3200.
	r, err := reporting.BalanceSheet(ctx, l, "acme", opts("", "2026-03-31"))
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, r)
	got := strings.Join(lines(r), "\n")
	for _, want := range []string{"detail 3 3200 Retained earnings | 2000.00", "detail 2 Result for the year | -2850.00", "total 0 Total liabilities and equity | 74050.00"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
	// The income statement of the closed year leaves the closing entry out.
	is, err := reporting.IncomeStatement(ctx, l, "acme", opts("2025-01-01", "2025-12-31"))
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, is)
	if got, want := lines(is)[len(is.Rows)-1], "total 0 Net income | 2000.00"; got != want {
		t.Errorf("last row %q, want %q", got, want)
	}
}

// Income statement Q1 2026, default layout:
//
//	Revenue 10,000 − cost of goods sold 6,000 = gross profit 4,000
//	Operating expenses: salaries 4,000 + rent 1,500 + depreciation 1,200 = 6,700
//	Operating result 4,000 − 6,700 = −2,700
//	Financial result: interest expense 150 → −150
//	Result before taxes = net income = −2,850.00
func TestIncomeStatementByHand(t *testing.T) {
	l := handBook(t)
	r, err := reporting.IncomeStatement(context.Background(), l, "acme", opts("2026-01-01", "2026-03-31"))
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, r)
	want := []string{
		"heading 0 Revenue | ",
		"detail 1 4100 Sales | 10000.00",
		"subtotal 0 Total revenue | 10000.00",
		"heading 0 Cost of goods sold | ",
		"detail 1 5000 Cost of goods sold | 6000.00",
		"subtotal 0 Total cost of goods sold | 6000.00",
		"total 0 Gross profit | 4000.00",
		"heading 0 Operating expenses | ",
		"heading 1 Personnel expenses | ",
		"detail 2 6100 Salaries | 4000.00",
		"subtotal 1 Total personnel expenses | 4000.00",
		"heading 1 Rent and utilities | ",
		"detail 2 6200 Rent | 1500.00",
		"subtotal 1 Total rent and utilities | 1500.00",
		"heading 1 Depreciation | ",
		"detail 2 6800 Depreciation | 1200.00",
		"subtotal 1 Total depreciation | 1200.00",
		"subtotal 0 Total operating expenses | 6700.00",
		"total 0 Operating result | -2700.00",
		"heading 0 Financial result | ",
		"heading 1 Interest expense | ",
		"detail 2 6950 Interest expense | 150.00",
		"subtotal 1 Total interest expense | 150.00",
		"subtotal 0 Total financial result | -150.00",
		"total 0 Result before income taxes | -2850.00",
		"total 0 Net income | -2850.00",
	}
	if diff := cmp.Diff(want, lines(r)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if len(r.Checks) != 1 || r.Checks[0].Right != eur("-2850.00") {
		t.Errorf("checks = %+v", r.Checks)
	}
}

// Monthly columns: January has no revenue or expense; February revenue
// 10,000, COGS 6,000, salaries 4,000, rent 1,500 → −1,500; March
// depreciation 1,200 and interest 150 → −1,350; total −2,850.
func TestIncomeStatementMonthly(t *testing.T) {
	l := handBook(t)
	o := opts("2026-01-01", "2026-03-31")
	o.Compare, o.Depth = reporting.Monthly, 1
	r, err := reporting.IncomeStatement(context.Background(), l, "acme", o)
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, r)
	want := []string{
		"detail 0 Revenue | 0.00 | 10000.00 | 0.00 | 10000.00",
		"detail 0 Cost of goods sold | 0.00 | 6000.00 | 0.00 | 6000.00",
		"total 0 Gross profit | 0.00 | 4000.00 | 0.00 | 4000.00",
		"detail 0 Operating expenses | 0.00 | 5500.00 | 1200.00 | 6700.00",
		"total 0 Operating result | 0.00 | -1500.00 | -1200.00 | -2700.00",
		"detail 0 Financial result | 0.00 | 0.00 | -150.00 | -150.00",
		"total 0 Result before income taxes | 0.00 | -1500.00 | -1350.00 | -2850.00",
		"total 0 Net income | 0.00 | -1500.00 | -1350.00 | -2850.00",
	}
	if diff := cmp.Diff(want, lines(r)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	var keys []string
	for _, c := range r.Columns {
		keys = append(keys, c.Key)
	}
	if diff := cmp.Diff([]string{"label", "2026-01", "2026-02", "2026-03", "total"}, keys); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
	if len(r.Checks) != 4 {
		t.Errorf("%d checks, want one per column", len(r.Checks))
	}
}

// Prior-year comparison of the balance sheet: as of 2025-03-31 the book
// was empty, so every line of that column is zero.
func TestBalanceSheetPriorYear(t *testing.T) {
	l := handBook(t)
	o := opts("", "2026-03-31")
	o.Compare, o.Depth = reporting.PriorYear, 1
	r, err := reporting.BalanceSheet(context.Background(), l, "acme", o)
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, r)
	want := []string{"detail 0 Assets | 74050.00 | 0.00", "detail 0 Liabilities and equity | 74050.00 | 0.00"}
	if diff := cmp.Diff(want, lines(r)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if got := r.Columns[2].To; got != d("2025-03-31") {
		t.Errorf("prior-year column as of %s", got)
	}
}

// Cash flow Q1 2026 (indirect):
//
//	Net result                                −2,850.00
//	Depreciation 6800 (non_cash)              +1,200.00
//	Working capital: inventory 1300 −2,000; VAT receivable 1400 −4,560;
//	payables 2110 +3,000; VAT payable 2120 +1,900           −1,660.00
//	Operating                                 −3,310.00
//	Investing: vehicles 1540                 −24,000.00 (1590 is non_cash:
//	  it offsets the add-back, so no write-down row)
//	Financing: bank loan 2510                +20,000.00
//	Net change                                −7,310.00
//	Cash at beginning 1120 52,000.00; at end 52,000 − 7,310 = 44,690.00
//	= 1110 500 + 1120 44,190.
func TestCashFlowByHand(t *testing.T) {
	l := handBook(t)
	r, err := reporting.CashFlow(context.Background(), l, "acme", opts("2026-01-01", "2026-03-31"))
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, r)
	want := []string{
		"heading 0 Cash flow from operating activities | ",
		"detail 1 Net result | -2850.00",
		"detail 1 Depreciation and other non-cash expenses | 1200.00",
		"heading 1 Changes in working capital | ",
		"detail 2 1300 Inventory | -2000.00",
		"detail 2 1400 VAT receivable | -4560.00",
		"detail 2 2110 Accounts payable | 3000.00",
		"detail 2 2120 VAT payable | 1900.00",
		"subtotal 1 Total changes in working capital | -1660.00",
		"subtotal 0 Total cash flow from operating activities | -3310.00",
		"heading 0 Cash flow from investing activities | ",
		"detail 1 1540 Vehicles | -24000.00",
		"subtotal 0 Total cash flow from investing activities | -24000.00",
		"heading 0 Cash flow from financing activities | ",
		"detail 1 2510 Bank loans | 20000.00",
		"subtotal 0 Total cash flow from financing activities | 20000.00",
		"total 0 Net change in cash | -7310.00",
		"detail 0 Cash at beginning of period | 52000.00",
		"total 0 Cash at end of period | 44690.00",
	}
	if diff := cmp.Diff(want, lines(r)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if len(r.Checks) != 2 {
		t.Errorf("%d checks, want 2", len(r.Checks))
	}
}

// Bank, February–March: opening 52,000 + 20,000 (E4) − 28,560 (E3) =
// 43,440.00; then by date E8 −1,500 (posted after E9), E9 −4,000, E10
// +11,900, E11 −5,000, and on 03-31 E14 −500 before E13 −150 (sequence
// order): 41,940; 37,940; 49,840; 44,840; 44,340; 44,190.
func TestAccountStatementByHand(t *testing.T) {
	l := handBook(t)
	r, err := reporting.AccountStatement(context.Background(), l, "acme", "1120", opts("2026-02-01", "2026-03-31"))
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, r)
	var got []string
	for _, row := range r.Rows {
		s := row.Kind.String()
		for j, c := range r.Columns {
			cell := row.Cells[j]
			switch {
			case cell.Blank:
				s += " |"
			case c.Kind == reporting.AmountColumn:
				s += " | " + cell.Amount.Number()
			case c.Kind == reporting.DateColumn:
				s += " | " + cell.Date.String()
			default:
				s += " | " + cell.Text
			}
		}
		got = append(got, s)
	}
	want := []string{
		"heading | | | | 1120 Bank | | | |",
		"detail | 2026-02-01 | | | Opening balance | | | | 43440.00",
		"detail | 2026-02-15 | 9 | E8 | Rent February | 6200 | | 1500.00 | 41940.00",
		"detail | 2026-02-28 | 8 | E9 | Salaries February | 6100 | | 4000.00 | 37940.00",
		"detail | 2026-03-01 | 10 | E10 | Customer payment 001 | 1200 | 11900.00 | | 49840.00",
		"detail | 2026-03-10 | 11 | E11 | Supplier payment | 2110 | | 5000.00 | 44840.00",
		"detail | 2026-03-31 | 13 | E14 | Cash withdrawal | 1110 | | 500.00 | 44340.00",
		"detail | 2026-03-31 | 14 | E13 | Loan interest | 6950 | | 150.00 | 44190.00",
		"total | | | | Total | | 11900.00 | 11150.00 |",
		"detail | 2026-03-31 | | | Closing balance | | | | 44190.00",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

func TestGeneralLedger(t *testing.T) {
	ctx := context.Background()
	l := handBook(t)
	o := opts("2026-01-01", "2026-03-31")
	r, err := reporting.GeneralLedger(ctx, l, "acme", o)
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, r)
	// 16 accounts moved in Q1 (all of the trial balance but 3100), each with
	// heading, opening, total and closing rows; 26 posting lines on them
	// (E3 to E14: 3+2+2+3+2+2+2+2+2+2+2+2).
	var headings, postings int
	for _, row := range r.Rows {
		switch {
		case row.Kind == reporting.HeadingRow:
			headings++
		case row.Kind == reporting.DetailRow && !row.Cells[1].Blank:
			postings++
		}
	}
	if headings != 16 || postings != 26 {
		t.Errorf("%d accounts, %d postings; want 16, 26", headings, postings)
	}
	if len(r.Checks) != 1 || r.Checks[0].Left != eur("98710.00") {
		t.Errorf("checks = %+v", r.Checks)
	}
	// The stream yields the same rows; stopping early is fine.
	_, rows, err := reporting.GeneralLedgerRows(ctx, l, "acme", o)
	if err != nil {
		t.Fatal(err)
	}
	i := 0
	for row, err := range rows {
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(r.Rows[i], row, equateValues); diff != "" {
			t.Fatalf("row %d (-collected +streamed):\n%s", i, diff)
		}
		if i++; i == 10 {
			break
		}
	}
}

// equateValues compares the library's comparable value types with ==.
var equateValues = cmpopts.EquateComparable(date.Date{}, money.Amount{}, money.Currency{})

func TestComparisonColumns(t *testing.T) {
	ctx := context.Background()
	l := handBook(t)
	if err := l.CreateBook(ctx, ledgerBook("july", 7)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		build builder
		book  string
		o     reporting.Options
		want  []string // key from–to
	}{
		{"quarters", reporting.IncomeStatement, "acme", withCompare(opts("2026-01-01", "2026-05-31"), reporting.Quarterly),
			[]string{"2026-Q1 2026-01-01 2026-03-31", "2026-Q2 2026-04-01 2026-05-31", "total 2026-01-01 2026-05-31"}},
		{"fiscal quarters from July", reporting.IncomeStatement, "july", withCompare(opts("2026-07-15", "2026-10-31"), reporting.Quarterly),
			[]string{"2026-Q1 2026-07-15 2026-09-30", "2026-Q2 2026-10-01 2026-10-31", "total 2026-07-15 2026-10-31"}},
		{"prior period of whole months", reporting.IncomeStatement, "acme", withCompare(opts("2026-02-01", "2026-03-31"), reporting.PriorPeriod),
			[]string{"amount 2026-02-01 2026-03-31", "prior 2025-12-01 2026-01-31"}},
		{"prior period of days", reporting.CashFlow, "acme", withCompare(opts("2026-02-10", "2026-02-19"), reporting.PriorPeriod),
			[]string{"amount 2026-02-10 2026-02-19", "prior 2026-01-31 2026-02-09"}},
		{"prior year of a leap day", reporting.IncomeStatement, "acme", withCompare(opts("2028-02-01", "2028-02-29"), reporting.PriorYear),
			[]string{"amount 2028-02-01 2028-02-29", "prior_year 2027-02-01 2027-02-28"}},
		{"balance sheet prior period", reporting.BalanceSheet, "acme", withCompare(opts("2026-02-01", "2026-03-31"), reporting.PriorPeriod),
			[]string{"balance  2026-03-31", "prior  2026-01-31"}},
		{"balance sheet monthly", reporting.BalanceSheet, "acme", withCompare(opts("2026-01-01", "2026-03-15"), reporting.Monthly),
			[]string{"2026-01 2026-01-01 2026-01-31", "2026-02 2026-02-01 2026-02-28", "2026-03 2026-03-01 2026-03-15"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := tt.build(ctx, l, tt.book, tt.o)
			if err != nil {
				t.Fatal(err)
			}
			checkReport(t, r)
			var got []string
			for _, c := range r.Columns[1:] {
				got = append(got, c.Key+" "+c.From.String()+" "+c.To.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("columns (-want +got):\n%s", diff)
			}
		})
	}
}

func withCompare(o reporting.Options, c reporting.Compare) reporting.Options {
	o.Compare = c
	return o
}

func ledgerBook(id string, fyStart int) ledger.Book {
	return ledger.Book{ID: id, Name: id, Currency: money.EUR, FiscalYearStart: fyStart}
}
