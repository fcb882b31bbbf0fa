package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/examples/closebatch/batch"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/partners"
	"github.com/openbackoffice/backoffice/store/memory"
)

// memStore is the memory store as the books tool's store: it keeps
// customers and suppliers too (partners.Store).
type memStore struct{ *memory.Store }

func (memStore) Close() error { return nil }

// noPartners is a store that keeps no customers or suppliers.
type noPartners struct{ batch.Store }

// chartBook is a book on one shipped chart with its accounts: the mapping
// partners posts with, and where sales, purchases and the bank are.
type chartBook struct {
	name                   string
	chart                  func(string) []ledger.Account
	accounts               partners.Accounts
	sales, purchases, bank string
}

var chartBooks = []chartBook{
	{"default", ledger.DefaultChart, partners.DefaultAccounts(), "4100", "5000", "1120"},
	{"skr03", ledger.SKR03, partners.SKR03Accounts(), "8400", "3400", "1200"},
	{"skr04", ledger.SKR04, partners.SKR04Accounts(), "4400", "5400", "1800"},
}

// partnerEnv returns the books tool's env over a memory store holding book
// "acme" on chart cb, worked by hand:
//
//	10001 Alpha GmbH (customer, net 30 days, 2 % within 10 days)
//	  RE00001 2026-01-15  1000.00 + 19 % = 1190.00, due 02-14;
//	          paid 500.00 on 02-20 → open 690.00 (45 days overdue at 03-31)
//	  RE00002 2026-03-01   200.00 + 19 % =  238.00, due 03-31 (not due at 03-31),
//	          discount by 03-11: 2 % of 238.00 = 4.76
//	70001 Gamma KG (supplier, net 30 days)
//	  ER00001 2026-03-05  2000.00 + 19 % = 2380.00, due 04-04
//
// Receivables at 03-31: 690.00 + 238.00 = 928.00; payables 2380.00.
func partnerEnv(t *testing.T, cb chartBook) (*env, *bytes.Buffer) {
	t.Helper()
	ctx := context.Background()
	mem := memory.New()
	now := func() time.Time { return time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC) }
	l := ledger.New(mem, &ledger.Options{Now: now})
	if err := l.CreateBook(ctx, ledger.Book{ID: "acme", Name: "ACME GmbH", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	if err := l.CreateAccounts(ctx, cb.chart("acme")...); err != nil {
		t.Fatal(err)
	}
	p := partners.New(mem, &partners.Options{Now: now, Accounts: cb.accounts})
	if err := p.AddParties(ctx,
		partners.Party{Book: "acme", Number: "10001", Role: partners.Customer, Name: "Alpha GmbH",
			Terms: partners.Terms{NetDays: 30, DiscountDays: 10, DiscountRate: decimal.RequireFromString("0.02")}},
		partners.Party{Book: "acme", Number: "70001", Role: partners.Supplier, Name: "Gamma KG",
			Terms: partners.Terms{NetDays: 30}},
	); err != nil {
		t.Fatal(err)
	}
	eur := func(s string) money.Amount { return money.MustParse(s, money.EUR) }
	post := func(key, party, day, account, net string) {
		t.Helper()
		if _, err := p.Post(ctx, partners.Invoice{Book: "acme", Key: key, Kind: partners.InvoiceKind, Party: party,
			Date: date.MustParse(day), Lines: []partners.InvoiceLine{{Account: account, Net: eur(net), VAT: "19"}}}); err != nil {
			t.Fatalf("post %s: %v", key, err)
		}
	}
	// In date order: the tool's default date is the end of the month of
	// the last entry posted (ER00001, 2026-03-31).
	post("a1", "10001", "2026-01-15", cb.sales, "1000.00")
	if _, err := p.Settle(ctx, partners.Payment{Book: "acme", Key: "P1", Party: "10001", Date: date.MustParse("2026-02-20"),
		Account: cb.bank, Amount: eur("500.00"), Allocations: []partners.Allocation{{Item: "RE00001", Amount: eur("500.00")}}}); err != nil {
		t.Fatal(err)
	}
	post("a2", "10001", "2026-03-01", cb.sales, "200.00")
	post("g1", "70001", "2026-03-05", cb.purchases, "2000.00")
	var out bytes.Buffer
	return &env{store: memStore{mem}, ledger: l, hr: hr.New(mem, nil), stdout: &out, stop: ctx,
		log: slog.New(slog.NewTextHandler(io.Discard, nil))}, &out
}

// TestPartnerReports runs "books report" for the partner reports on books
// of each shipped chart: the tool must pick the chart's control accounts,
// or the reconciliation check names the wrong account (and fails).
func TestPartnerReports(t *testing.T) {
	control := map[string][2]string{"default": {"1200", "2110"}, "skr03": {"1400", "1600"}, "skr04": {"1200", "3300"}}
	for _, cb := range chartBooks {
		recv, pay := control[cb.name][0], control[cb.name][1]
		tests := []struct {
			name string
			args []string
			want string
		}{
			{"open items", []string{"open-items", "--as-of", "2026-03-31", "--format", "csv"},
				"row,level,account,line,party,label,date,due,days_overdue,amount,open\n" +
					"heading,0,,,10001,10001 Alpha GmbH,,,,,\n" +
					"detail,1,,,10001,RE00001,2026-01-15,2026-02-14,45,1190.00,690.00\n" +
					"detail,1,,,10001,RE00002,2026-03-01,2026-03-31,0,238.00,238.00\n" +
					"subtotal,0,,,10001,Total 10001,,,,1428.00,928.00\n" +
					"total,0,,,,Total,,,,1428.00,928.00\n"},
			// Same as of the end of the month of the last entry, 03-31.
			{"open items by default", []string{"open-items", "--format", "csv"},
				"row,level,account,line,party,label,date,due,days_overdue,amount,open\n" +
					"heading,0,,,10001,10001 Alpha GmbH,,,,,\n" +
					"detail,1,,,10001,RE00001,2026-01-15,2026-02-14,45,1190.00,690.00\n" +
					"detail,1,,,10001,RE00002,2026-03-01,2026-03-31,0,238.00,238.00\n" +
					"subtotal,0,,,10001,Total 10001,,,,1428.00,928.00\n" +
					"total,0,,,,Total,,,,1428.00,928.00\n"},
			{"aging of payables", []string{"aging", "--kind", "payables", "--as-of", "2026-03-31", "--format", "csv"},
				"row,level,account,line,party,label,not_due,days_1_30,days_31_60,days_61_90,days_over_90,total\n" +
					"detail,0,,,70001,Gamma KG,2380.00,0.00,0.00,0.00,0.00,2380.00\n" +
					"total,0,,,,Total,2380.00,0.00,0.00,0.00,0.00,2380.00\n"},
			{"party statement", []string{"party-statement", "--party", "10001", "--from", "2026-02", "--to", "2026-03", "--format", "csv"},
				"row,level,account,line,date,document,label,item,debit,credit,balance\n" +
					"detail,0,,,2026-02-01,,Opening balance,,,,1190.00\n" +
					"detail,0,,,2026-02-20,P1,Payment,RE00001,,500.00,690.00\n" +
					"detail,0,,,2026-03-01,RE00002,Invoice,RE00002,238.00,,928.00\n" +
					"total,0,,,,,Total,,238.00,500.00,\n" +
					"detail,0,,,2026-03-31,,Closing balance,,,,928.00\n"},
			// Without --party: every party's statement, by number.
			{"every party's statement", []string{"party-statement", "--from", "2026-03", "--to", "2026-03", "--format", "csv"},
				"row,level,account,line,date,document,label,item,debit,credit,balance\n" +
					"detail,0,,,2026-03-01,,Opening balance,,,,690.00\n" +
					"detail,0,,,2026-03-01,RE00002,Invoice,RE00002,238.00,,928.00\n" +
					"total,0,,,,,Total,,238.00,0.00,\n" +
					"detail,0,,,2026-03-31,,Closing balance,,,,928.00\n" +
					"row,level,account,line,date,document,label,item,debit,credit,balance\n" +
					"detail,0,,,2026-03-01,,Opening balance,,,,0.00\n" +
					"detail,0,,,2026-03-05,ER00001,Invoice,ER00001,,2380.00,2380.00\n" +
					"total,0,,,,,Total,,0.00,2380.00,\n" +
					"detail,0,,,2026-03-31,,Closing balance,,,,2380.00\n"},
			{"due receivables", []string{"due-payments", "--kind", "receivables", "--from", "2026-03-01", "--to", "2026-03-15", "--format", "csv"},
				"row,level,account,line,party,name,label,due,discount_date,open,discount,pay\n" +
					"detail,1,,,10001,Alpha GmbH,RE00002,2026-03-31,2026-03-11,238.00,4.76,233.24\n" +
					"subtotal,0,,,10001,Alpha GmbH,Total 10001,,,238.00,4.76,233.24\n" +
					"total,0,,,,,Total,,,238.00,4.76,233.24\n"},
			{"due payables", []string{"due-payments", "--from", "2026-04-01", "--to", "2026-04-30", "--format", "csv"},
				"row,level,account,line,party,name,label,due,discount_date,open,discount,pay\n" +
					"detail,1,,,70001,Gamma KG,ER00001,2026-04-04,,2380.00,,2380.00\n" +
					"subtotal,0,,,70001,Gamma KG,Total 70001,,,2380.00,0.00,2380.00\n" +
					"total,0,,,,,Total,,,2380.00,0.00,2380.00\n"},
		}
		for _, tt := range tests {
			t.Run(cb.name+"/"+tt.name, func(t *testing.T) {
				e, out := partnerEnv(t, cb)
				if err := runReport(context.Background(), e, tt.args); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(out.String(), tt.want); diff != "" {
					t.Errorf("output (-got +want):\n%s", diff)
				}
			})
		}
		// The reconciliation checks name the chart's control accounts and
		// hold; the JSON output carries them.
		for _, k := range []struct{ kind, account string }{{"receivables", recv}, {"payables", pay}} {
			t.Run(cb.name+"/checks "+k.kind, func(t *testing.T) {
				e, out := partnerEnv(t, cb)
				if err := runReport(context.Background(), e, []string{"open-items", "--kind", k.kind, "--as-of", "2026-03-31", "--format", "json"}); err != nil {
					t.Fatal(err)
				}
				want := `"label":"Σ open items = balance of account ` + k.account + `"`
				if !strings.Contains(out.String(), want) || !strings.Contains(out.String(), `"ok":true`) {
					t.Errorf("JSON lacks %s with ok true:\n%s", want, out.String())
				}
			})
		}
	}
}

// The open-item list as a workbook: cells read back from the file, the
// subtotals and the total as formulas.
func TestPartnerReportXLSX(t *testing.T) {
	e, _ := partnerEnv(t, chartBooks[0])
	path := filepath.Join(t.TempDir(), "opos.xlsx")
	if err := runReport(context.Background(), e, []string{"open-items", "--as-of", "2026-03-31", "--format", "xlsx", "-o", path}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	// Headings on row 8, report rows from row 9: heading, RE00001,
	// RE00002, subtotal, total; columns A party … G open.
	for _, c := range []struct {
		ref, want string
		formula   bool
	}{
		{"B8", "Item", false}, {"B10", "RE00001", false}, {"E10", "45", false}, {"G10", "690", false},
		{"G12", "928", true}, {"F13", "1428", true},
	} {
		got, err := f.GetCellValue(sheet, c.ref, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		formula, err := f.GetCellFormula(sheet, c.ref)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want || (formula != "") != c.formula {
			t.Errorf("%s = %q formula %q, want %q (formula: %v)", c.ref, got, formula, c.want, c.formula)
		}
	}
}

func TestPartnerReportFailures(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		setup func(t *testing.T, e *env)
		args  []string
		usage bool  // a usage error (exit code 2)
		want  error // else an error wrapping this, if not nil
		msg   string
	}{
		{name: "statement with a kind", args: []string{"party-statement", "--party", "10001", "--kind", "payables"}, usage: true},
		{name: "unknown kind", args: []string{"open-items", "--kind", "loans"}, usage: true},
		{name: "open items from a date", args: []string{"open-items", "--from", "2026-01"}, usage: true},
		{name: "party for a ledger report", args: []string{"trial-balance", "--party", "10001"}, usage: true},
		{name: "layout for a partner report", args: []string{"aging", "--layout", "hgb-266"}, usage: true},
		{name: "unknown party", args: []string{"party-statement", "--party", "19999", "--to", "2026-03"}, want: partners.ErrUnknownParty},
		// Posted to the receivables account by hand: the list is written,
		// but the tool fails (exit code 1) since it does not reconcile.
		{name: "does not reconcile", setup: func(t *testing.T, e *env) {
			if _, err := e.ledger.Post(ctx, ledger.Entry{Book: "acme", Date: date.MustParse("2026-03-20"), Description: "Manual",
				Lines: []ledger.Line{ledger.Debit("1200", money.MustParse("10.00", money.EUR)), ledger.Credit("4200", money.MustParse("10.00", money.EUR))}}); err != nil {
				t.Fatal(err)
			}
		}, args: []string{"open-items", "--as-of", "2026-03-31"}, want: errFailed},
		{name: "store without partners", setup: func(t *testing.T, e *env) { e.store = noPartners{e.store} },
			args: []string{"aging"}, msg: "keeps no customers and suppliers"},
		// A chart without receivables and payables accounts (meta.role).
		{name: "chart without control accounts", setup: func(t *testing.T, e *env) {
			if err := e.ledger.CreateBook(ctx, ledger.Book{ID: "other", Name: "Other", Currency: money.EUR}); err != nil {
				t.Fatal(err)
			}
			if err := e.ledger.CreateAccounts(ctx,
				ledger.Account{Book: "other", Code: "100", Name: "Debtors", Type: ledger.Asset},
				ledger.Account{Book: "other", Code: "200", Name: "Creditors", Type: ledger.Liability},
			); err != nil {
				t.Fatal(err)
			}
			e.book = "other"
		}, args: []string{"aging", "--as-of", "2026-03-31"}, want: partners.ErrNoAccount},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, _ := partnerEnv(t, chartBooks[0])
			if tt.setup != nil {
				tt.setup(t, e)
			}
			err := runReport(ctx, e, tt.args)
			var ue usageError
			switch {
			case tt.usage:
				if !errors.As(err, &ue) {
					t.Errorf("err = %v, want a usage error", err)
				}
			case tt.want != nil:
				if !errors.Is(err, tt.want) || errors.As(err, &ue) {
					t.Errorf("err = %v, want %v", err, tt.want)
				}
			default:
				if err == nil || !strings.Contains(err.Error(), tt.msg) {
					t.Errorf("err = %v, want one saying %q", err, tt.msg)
				}
			}
		})
	}
}
