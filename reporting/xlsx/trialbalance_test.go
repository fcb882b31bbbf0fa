package xlsx_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/reporting"
	"github.com/openbackoffice/backoffice/reporting/xlsx"
	"github.com/openbackoffice/backoffice/store/memory"
)

// TestMonthlyTrialBalanceWorkbook writes a trial balance with a column per
// month and reads the cells back. The book, by hand:
//
//	2026-01-01 OPEN 1120 Bank 1,000.00 Dr / 3100 Share capital 1,000.00 Cr
//	2026-01-15      1120 500.00 Dr / 4100 Sales 500.00 Cr
//	2026-02-10      6200 Rent 300.00 Dr / 1120 300.00 Cr
//	2026-03-05      1120 200.00 Dr / 4100 200.00 Cr
//
// gives (opening | Jan | Feb | Mar | closing) 1120 1,000 | 500 | −300 |
// 200 | 1,400; 3100 −1,000 | 0 | 0 | 0 | −1,000; 4100 0 | −500 | 0 | −200 |
// −700; 6200 0 | 0 | 300 | 0 | 300; the total row zero in every column, as
// formulas over the account rows.
func TestMonthlyTrialBalanceWorkbook(t *testing.T) {
	ctx := context.Background()
	now := func() time.Time { return generated }
	l := ledger.New(memory.New(), &ledger.Options{Now: now})
	if err := l.CreateBook(ctx, ledger.Book{ID: "acme", Name: "ACME GmbH", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	if err := l.CreateAccounts(ctx, ledger.DefaultChart("acme")...); err != nil {
		t.Fatal(err)
	}
	for _, e := range []struct {
		day, journal, dr, cr, amount string
	}{
		{"2026-01-01", ledger.JournalOpening, "1120", "3100", "1000.00"},
		{"2026-01-15", "", "1120", "4100", "500.00"},
		{"2026-02-10", "", "6200", "1120", "300.00"},
		{"2026-03-05", "", "1120", "4100", "200.00"},
	} {
		if _, err := l.Post(ctx, ledger.Entry{Book: "acme", Date: date.MustParse(e.day), Journal: e.journal,
			Lines: []ledger.Line{{Account: e.dr, Amount: eur(e.amount)}, {Account: e.cr, Amount: eur(e.amount).Neg()}}}); err != nil {
			t.Fatal(err)
		}
	}
	r, err := reporting.TrialBalance(ctx, l, "acme", reporting.Options{From: date.MustParse("2026-01-01"), To: date.MustParse("2026-03-31"),
		Compare: reporting.Monthly, Now: now, Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := xlsx.Write(&buf, []reporting.Report{r}, nil); err != nil {
		t.Fatalf("Write: %v", err)
	}
	f := openBook(t, buf.Bytes())
	sheet := f.GetSheetList()[0]
	// Headings on row 8, accounts from row 9, the total on row 13; columns
	// A account, B name, C opening, D–F January to March, G closing.
	tests := []struct {
		ref, value, formula string
	}{
		{"A8", "Account", ""},
		{"C8", "Opening balance", ""},
		{"D8", "2026-01", ""},
		{"F8", "2026-03", ""},
		{"G8", "Closing balance", ""},
		{"A9", "1120", ""},
		{"B9", "Bank", ""},
		{"C9", "1000", ""},
		{"D9", "500", ""},
		{"E9", "-300", ""},
		{"F9", "200", ""},
		{"G9", "1400", ""},
		{"A10", "3100", ""},
		{"C10", "-1000", ""},
		{"G10", "-1000", ""},
		{"A11", "4100", ""},
		{"D11", "-500", ""},
		{"F11", "-200", ""},
		{"G11", "-700", ""},
		{"A12", "6200", ""},
		{"E12", "300", ""},
		{"G12", "300", ""},
		{"B13", "Total", ""},
		{"C13", "0", "ROUND(SUM(C9:C12),2)"},
		{"E13", "0", "ROUND(SUM(E9:E12),2)"},
		{"G13", "0", "ROUND(SUM(G9:G12),2)"},
	}
	for _, tt := range tests {
		got, err := f.GetCellValue(sheet, tt.ref, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.value {
			t.Errorf("%s = %q, want %q", tt.ref, got, tt.value)
		}
		formula, err := f.GetCellFormula(sheet, tt.ref)
		if err != nil {
			t.Fatal(err)
		}
		if formula != tt.formula {
			t.Errorf("%s formula %q, want %q", tt.ref, formula, tt.formula)
		}
	}
}
