package reporting_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/internal/threecurrency"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/reporting"
	"github.com/openbackoffice/backoffice/store/memory"
)

// The three-currency company, worked by hand: a EUR book (default chart)
// with a USD bank account (1121), a GBP customer (1210) and a CHF supplier
// (2110), over 2025 and 2026, revalued at each year end. Rates are quoted
// as 1 unit = x EUR (hledger's P USD 0.90 EUR) and chosen so that every
// conversion is exact to the cent:
//
//	date        USD   GBP   CHF
//	2025-01-15  0.90
//	2025-03-10        1.20
//	2025-04-20              1.05
//	2025-09-15  0.92
//	2025-12-31  0.95  1.15  1.10   closing rates 2025
//	2026-08-01  0.88
//	2026-12-31  0.85  1.15  1.10   closing rates 2026
//
// 2025                                                            EUR
//
//	E1 01-02 capital        1120 Dr 100,000.00      3100 Cr           100,000.00
//	E2 01-15 buy USD        1121 Dr 11,000 USD      1120 Cr   9,900.00 (× 0.90)
//	E3 03-10 sale UK        1210 Dr  5,000 GBP      4100 Cr   6,000.00 (× 1.20)
//	E4 04-20 CHF invoice    6700 Dr   2,100.00      2110 Cr 2,000 CHF  (× 1.05)
//	E5 06-30 UK pays 3,000 GBP, the bank credits 3,540.00 EUR: 1210 Cr at its
//	   carrying amount 6,000 × 3/5 = 3,600.00; realised loss 60.00 (6990)
//	E6 09-15 travel         6500 Dr     920.00      1121 Cr 1,000 USD  (× 0.92)
//	R1 12-31 revaluation:   1121  10,000 USD carried 9,900 − 920 = 8,980.00,
//	                              at 0.95 = 9,500.00: +520.00 gain (4200)
//	                        1210   2,000 GBP carried 2,400.00, at 1.15 =
//	                              2,300.00: −100.00 loss (6990)
//	                        2110  −2,000 CHF carried −2,100.00, at 1.10 =
//	                              −2,200.00: −100.00 loss (6990)
//	Result 2025: revenue 6,000 + gain 520 − 2,100 − 920 − 60 − 200 = 3,240.00
//	Balance sheet 31.12.2025: bank 100,000 − 9,900 + 3,540 = 93,640.00, USD
//	bank 9,500.00, receivable 2,300.00 = 105,440.00 = payable 2,200.00 +
//	capital 100,000.00 + result 3,240.00. The year is closed to 3200.
//
// 2026
//
//	E7 02-10 pay the CHF supplier 2,000 CHF, the bank debits 2,160.00: 2110 Dr
//	   at its carrying amount 2,200.00; realised gain 40.00 (4200)
//	E8 05-05 UK pays 2,000 GBP, the bank credits 2,360.00: 1210 Cr at 2,300.00;
//	   realised gain 60.00
//	E9 08-01 US sale paid in USD 1121 Dr 3,000 USD      4100 Cr 2,640.00 (× 0.88)
//	R2 12-31 revaluation:   1121  13,000 USD carried 9,900 − 920 + 2,640 +
//	                              520 = 12,140.00, at 0.85 = 11,050.00:
//	                              −1,090.00 loss; 1210 and 2110 are settled:
//	                              0 in GBP and CHF, and 0.00 in EUR
//	Result 2026: 2,640 + 40 + 60 − 1,090 = 1,650.00
//	Balance sheet 31.12.2026: bank 93,640 − 2,160 + 2,360 = 93,840.00, USD
//	bank 11,050.00 = 104,890.00 = capital 100,000 + retained 3,240 + result
//	1,650.00.
func TestThreeCurrencyCompany(t *testing.T) {
	ctx := context.Background()
	rates, err := threecurrency.Rates()
	if err != nil {
		t.Fatal(err)
	}
	l := ledger.New(memory.New(), &ledger.Options{Now: clock, Rates: rates, RoundingAccount: threecurrency.Rounding})
	if err := threecurrency.Setup(ctx, l); err != nil {
		t.Fatal(err)
	}
	if err := threecurrency.Post2025(ctx, l); err != nil {
		t.Fatal(err)
	}
	revalue := func(day string) {
		t.Helper()
		if err := threecurrency.Revalue(ctx, l, day); err != nil {
			t.Fatal(err)
		}
	}
	// Before revaluing, valued at the closing rates (hledger's
	// --value=end): the foreign balances at today's worth, and the
	// unrealised difference (+520.00 − 100.00 − 100.00) on a row of its own.
	o := opts("", "2025-12-31")
	o.ValueAtEnd = true
	vr, err := reporting.TrialBalance(ctx, l, "tri", o)
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, vr)
	valued := map[string]string{}
	for _, row := range vr.Rows {
		key := row.Account
		if key == "" {
			key = row.Label
		}
		valued[key] = row.Cells[len(row.Cells)-1].Amount.Number()
	}
	for k, want := range map[string]string{"1121": "9500.00", "1210": "2300.00", "2110": "-2200.00",
		"Unrealised exchange difference (not booked)": "-320.00", "Total": "0.00"} {
		if valued[k] != want {
			t.Errorf("trial balance valued at the end: %s = %s, want %s", k, valued[k], want)
		}
	}
	// The same across fiscal years (from December 2024, with nothing in it):
	// the same closing balances and unrealised difference.
	ox := opts("2024-12-01", "2025-12-31")
	ox.ValueAtEnd = true
	xr, err := reporting.TrialBalance(ctx, l, "tri", ox)
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, xr)
	for _, row := range xr.Rows {
		key := row.Account
		if key == "" {
			key = row.Label
		}
		if got := row.Cells[len(row.Cells)-1].Amount.Number(); got != valued[key] {
			t.Errorf("valued at the end across fiscal years: %s = %s, want %s as in one year", key, got, valued[key])
		}
	}
	if len(xr.Rows) != len(vr.Rows) {
		t.Errorf("valued at the end across fiscal years: %d rows, want %d", len(xr.Rows), len(vr.Rows))
	}
	if _, err := reporting.BalanceSheet(ctx, l, "tri", o); !errors.Is(err, reporting.ErrOption) {
		t.Errorf("balance sheet valued at the end = %v, want ErrOption", err)
	}
	revalue("2025-12-31")
	revalue("2025-12-31") // idempotent

	tb := func(to string) map[string]string {
		t.Helper()
		r, err := reporting.TrialBalance(ctx, l, "tri", opts("", to))
		if err != nil {
			t.Fatal(err)
		}
		checkReport(t, r)
		got := map[string]string{}
		col := slices.IndexFunc(r.Columns, func(c reporting.Column) bool { return c.Key == "closing" })
		if col < 0 {
			t.Fatalf("no closing column in %v", r.Columns)
		}
		for _, row := range r.Rows {
			if row.Account != "" && !row.Cells[col].Blank && !row.Cells[col].Amount.IsZero() {
				got[row.Account] = row.Cells[col].Amount.Number()
			}
		}
		return got
	}
	want2025 := map[string]string{
		"1120": "93640.00", "1121": "9500.00", "1210": "2300.00", "2110": "-2200.00", "3100": "-100000.00",
		"4100": "-6000.00", "4200": "-520.00", "6500": "920.00", "6700": "2100.00", "6990": "260.00",
	}
	if diff := cmp.Diff(leaves(tb("2025-12-31")), want2025); diff != "" {
		t.Errorf("trial balance 2025 in EUR (-got +want):\n%s", diff)
	}
	is, err := reporting.IncomeStatement(ctx, l, "tri", opts("2025-01-01", "2025-12-31"))
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, is)
	if got := lastAmount(is); got != "3240.00" {
		t.Errorf("result 2025 = %s, want 3240.00\n%s", got, strings.Join(lines(is), "\n"))
	}
	bs, err := reporting.BalanceSheet(ctx, l, "tri", opts("", "2025-12-31"))
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, bs)
	if got := rowAmount(bs, "Total assets"); got != "105440.00" {
		t.Errorf("total assets 31.12.2025 = %s, want 105440.00\n%s", got, strings.Join(lines(bs), "\n"))
	}
	if _, err := l.CloseYear(ctx, "tri", 2025, "3200"); err != nil {
		t.Fatal(err)
	}

	if err := threecurrency.Post2026(ctx, l); err != nil {
		t.Fatal(err)
	}
	revalue("2026-12-31")

	want2026 := map[string]string{
		"1120": "93840.00", "1121": "11050.00", "3100": "-100000.00", "3200": "-3240.00",
		"4100": "-2640.00", "4200": "-100.00", "6990": "1090.00",
	}
	if diff := cmp.Diff(leaves(tb("2026-12-31")), want2026); diff != "" {
		t.Errorf("trial balance 2026 in EUR (-got +want):\n%s", diff)
	}
	is, err = reporting.IncomeStatement(ctx, l, "tri", opts("2026-01-01", "2026-12-31"))
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, is)
	if got := lastAmount(is); got != "1650.00" {
		t.Errorf("result 2026 = %s, want 1650.00\n%s", got, strings.Join(lines(is), "\n"))
	}
	bs, err = reporting.BalanceSheet(ctx, l, "tri", opts("", "2026-12-31"))
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, bs)
	if got := rowAmount(bs, "Total assets"); got != "104890.00" {
		t.Errorf("total assets 31.12.2026 = %s, want 104890.00\n%s", got, strings.Join(lines(bs), "\n"))
	}
	// Settled items stand at zero in their currency and in EUR.
	brs, err := l.Balances(ctx, "tri", ledger.BalanceQuery{To: d("2026-12-31")})
	if err != nil {
		t.Fatal(err)
	}
	base, err := l.Balances(ctx, "tri", ledger.BalanceQuery{To: d("2026-12-31"), InBase: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range append(brs, base...) {
		inBase := i >= len(brs)
		if (r.Account.Code == "1210" || r.Account.Code == "2110") && (inBase || r.Currency != money.EUR) && !r.Closing.IsZero() {
			t.Errorf("%s after settlement: %v (in base: %v), want 0", r.Account.Code, r.Closing, inBase)
		}
	}
	cf, err := reporting.CashFlow(ctx, l, "tri", opts("2026-01-01", "2026-12-31"))
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, cf)
	gl, err := reporting.GeneralLedger(ctx, l, "tri", reporting.Options{From: d("2026-01-01"), To: d("2026-12-31"), Accounts: []string{"1121"}, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	var amounts []string
	for _, row := range gl.Rows {
		for j, c := range gl.Columns {
			if (c.Key == "debit" || c.Key == "credit") && !row.Cells[j].Blank && row.Kind == reporting.DetailRow && !row.Cells[j].Amount.IsZero() {
				amounts = append(amounts, c.Key+" "+row.Cells[j].Amount.String())
			}
		}
	}
	// E9 at its base amount and the revaluation, in EUR.
	if diff := cmp.Diff(amounts, []string{"debit 2640.00 EUR", "credit 1090.00 EUR"}); diff != "" {
		t.Errorf("general ledger of 1121 in EUR (-got +want):\n%s", diff)
	}
	if _, err := l.Verify(ctx, "tri"); err != nil {
		t.Fatal(err)
	}
}

// leaves drops the parent accounts' rolled-up rows of a trial balance.
func leaves(m map[string]string) map[string]string {
	for _, p := range []string{"1000", "1100", "2000", "2100", "3000", "4000", "6000"} {
		delete(m, p)
	}
	return m
}

// lastAmount is the first amount of a report's last row.
func lastAmount(r reporting.Report) string {
	row := r.Rows[len(r.Rows)-1]
	for j, c := range r.Columns {
		if c.Kind == reporting.AmountColumn && !row.Cells[j].Blank {
			return row.Cells[j].Amount.Number()
		}
	}
	return ""
}

// rowAmount is the first amount of the row labelled label.
func rowAmount(r reporting.Report, label string) string {
	for _, row := range r.Rows {
		if row.Label != label && !strings.HasPrefix(row.Label, label+" ") {
			continue
		}
		for j, c := range r.Columns {
			if c.Kind == reporting.AmountColumn && !row.Cells[j].Blank {
				return row.Cells[j].Amount.Number()
			}
		}
	}
	return ""
}

// TestUnconvertedRefused: a foreign-currency posting without a base amount
// keeps a report in the base currency from reading it, with an error that
// names the account; nothing is dropped.
func TestUnconvertedRefused(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t, "u", ledger.DefaultChart("u"))
	usd := money.MustParse("10.00", money.USD)
	if _, err := l.Post(ctx, ledger.Entry{Book: "u", Date: date.MustParse("2026-01-05"), Lines: []ledger.Line{
		ledger.Debit("1120", usd), ledger.Credit("4100", usd)}}); err != nil {
		t.Fatal(err)
	}
	_, err := reporting.TrialBalance(ctx, l, "u", opts("", "2026-01-31"))
	var ce *reporting.CurrencyError
	if !errors.As(err, &ce) || !errors.Is(err, ledger.ErrNotConverted) || ce.Account != "1120" {
		t.Errorf("TrialBalance = %v, want a CurrencyError on 1120 wrapping ErrNotConverted", err)
	}
}
