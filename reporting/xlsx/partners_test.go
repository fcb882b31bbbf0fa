package xlsx_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/partners"
	"github.com/openbackoffice/backoffice/reporting"
	"github.com/openbackoffice/backoffice/reporting/xlsx"
	"github.com/openbackoffice/backoffice/store/memory"
)

// openItems returns the open-item list as of 2026-03-31 of a book on the
// default chart, worked by hand:
//
//	10001 Alpha GmbH  RE00001 2026-01-15 1000.00 + 19 % = 1190.00, due 02-14
//	                  (45 days overdue), 500.00 paid on 02-20 → open 690.00
//	                  RE00002 2026-03-01  200.00 + 19 % =  238.00, due 03-31 (0 days)
//	10002 Beta AG     RE00003 2025-12-16  500.00 + 19 % =  595.00, due 2025-12-30 (91 days)
//
// Alpha 1428.00 / 928.00, Beta 595.00 / 595.00, total 2023.00 / 1523.00,
// the balance of 1200 Accounts receivable.
func openItems(t *testing.T) reporting.Report {
	t.Helper()
	ctx := context.Background()
	now := func() time.Time { return generated }
	store := memory.New()
	books := ledger.New(store, &ledger.Options{Now: now})
	if err := books.CreateBook(ctx, ledger.Book{ID: "acme", Name: "ACME GmbH", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	if err := books.CreateAccounts(ctx, ledger.DefaultChart("acme")...); err != nil {
		t.Fatal(err)
	}
	p := partners.New(store, &partners.Options{Now: now})
	if err := p.AddParties(ctx,
		partners.Party{Book: "acme", Number: "10001", Role: partners.Customer, Name: "Alpha GmbH", Terms: partners.Terms{NetDays: 30}},
		partners.Party{Book: "acme", Number: "10002", Role: partners.Customer, Name: "Beta AG", Terms: partners.Terms{NetDays: 14}},
	); err != nil {
		t.Fatal(err)
	}
	for _, inv := range []struct{ key, party, day, net string }{
		{"a1", "10001", "2026-01-15", "1000.00"},
		{"a2", "10001", "2026-03-01", "200.00"},
		{"b1", "10002", "2025-12-16", "500.00"},
	} {
		if _, err := p.Post(ctx, partners.Invoice{Book: "acme", Key: inv.key, Kind: partners.InvoiceKind, Party: inv.party,
			Date: date.MustParse(inv.day), Lines: []partners.InvoiceLine{{Account: "4100", Net: eur(inv.net), VAT: "19"}}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.Settle(ctx, partners.Payment{Book: "acme", Key: "P1", Party: "10001", Date: date.MustParse("2026-02-20"),
		Account: "1120", Amount: eur("500.00"), Allocations: []partners.Allocation{{Item: "RE00001", Amount: eur("500.00")}}}); err != nil {
		t.Fatal(err)
	}
	src := struct {
		*partners.Parties
		*ledger.Ledger
	}{p, books}
	r, err := reporting.OpenItems(ctx, src, "acme", reporting.PartnerOptions{AsOf: date.MustParse("2026-03-31"), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestOpenItemsWorkbook writes the open-item list to a file, opens it with
// excelize and reads the cells back: texts, dates (Excel serials), exact
// amounts, the subtotals and the total as formulas over the right cells,
// and the reconciliation check below the rows.
func TestOpenItemsWorkbook(t *testing.T) {
	r := openItems(t)
	path := filepath.Join(t.TempDir(), "open-items.xlsx")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := xlsx.Write(out, []reporting.Report{r}, nil); err != nil {
		t.Fatalf("Write: %v", err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	// Headings on row 8; report rows from row 9: 9 Alpha, 10 RE00001,
	// 11 RE00002, 12 subtotal, 13 Beta, 14 RE00003, 15 subtotal, 16 total;
	// columns A party, B item, C invoice date, D due date, E days overdue,
	// F amount, G open. Checks from row 18.
	tests := []struct {
		ref, value, formula string // formula "" for a plain value
	}{
		{"A1", "Open items (receivables)", ""},
		{"A8", "Party", ""},
		{"E8", "Days overdue", ""},
		{"G8", "Open", ""},
		{"B9", "10001 Alpha GmbH", ""},
		{"A10", "10001", ""},
		{"B10", "RE00001", ""},
		{"C10", "46037", ""}, // 2026-01-15
		{"D10", "46067", ""}, // 2026-02-14
		{"E10", "45", ""},
		{"F10", "1190", ""},
		{"G10", "690", ""},
		{"D11", "46112", ""}, // 2026-03-31
		{"E11", "0", ""},
		{"G11", "238", ""},
		{"B12", "Total 10001", ""},
		{"F12", "1428", "ROUND(SUM(F10:F11),2)"},
		{"G12", "928", "ROUND(SUM(G10:G11),2)"},
		{"B13", "10002 Beta AG", ""},
		{"E14", "91", ""},
		{"G14", "595", ""},
		{"G15", "595", "ROUND(G14,2)"},
		{"B16", "Total", ""},
		{"F16", "2023", "ROUND(F12+F15,2)"},
		{"G16", "1523", "ROUND(G12+G15,2)"},
		{"A18", "Checks", ""},
		{"A19", "Σ open items = balance of account 1200", ""}, // over the text columns A:B
		{"C19", "1523", ""},
		{"D19", "1523", ""},
		{"E19", "OK", ""},
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
