package reporting_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/partners"
	"github.com/openbackoffice/backoffice/reporting"
	"github.com/openbackoffice/backoffice/store/memory"
)

// partnerSource is what the books tool passes: the parties and the ledger
// (for the company's name, currency and fiscal year).
type partnerSource struct {
	*partners.Parties
	*ledger.Ledger
}

// The hand-worked partner book "acme" on ledger.DefaultChart (receivables
// on 1200, payables on 2110, bank 1120), EUR:
//
// Customers
//
//	10001 Alpha GmbH   net 30 days, 2 % within 10 days
//	10002 Beta AG      net 14 days
//
//	RE00001 Alpha 2026-01-15  1000.00 + 19 % = 1190.00, due 02-14, discount by 01-25
//	RE00002 Alpha 2026-03-01   200.00 +  7 % =  214.00, due 03-31, discount by 03-11
//	RE00003 Beta  2025-12-16   500.00 + 19 % =  595.00, due 2025-12-30
//	RE00004 Beta  2026-02-15   100.00 + 19 % =  119.00, due 03-01
//	RE00005 Beta  2026-02-14   300.00 +  0 % =  300.00, due 02-28
//	RE00006 Beta  2026-03-10   credit note on RE00004: 50.00 + 19 % = 59.50
//	RE00007 Alpha 2026-02-01   100.00 + 19 % =  119.00, due 03-03, discount by 02-11
//
//	P2 2026-02-10 Alpha pays RE00007: 116.62 + cash discount 2 % of 119.00 = 2.38
//	P1 2026-02-20 Alpha pays 500.00 on RE00001 → open 690.00
//
// Suppliers
//
//	70001 Gamma KG     net 30 days, 3 % within 14 days
//	70002 Delta OHG    net 60 days
//
//	ER00001 Delta 2026-01-05   800.00 + 19 % =  952.00, due 03-06
//	ER00002 Delta 2026-02-10   500.00 +  7 % =  535.00, due 04-11
//	ER00003 Gamma 2026-03-05  2000.00 + 19 % = 2380.00, due 04-04, discount by 03-19
//	ER00004 Gamma 2026-03-20  1001.50 +  0 % = 1001.50, due 04-19, discount by 04-03
//
//	S1 2026-03-15 the book pays Delta 200.00 on ER00002 → open 335.00
//
// Control accounts at 2026-03-31: 1200 = 1190.00 + 214.00 + 595.00 +
// 119.00 + 300.00 + 119.00 − 59.50 − 500.00 − 116.62 − 2.38 = 1858.50
// (debit); 2110 = 952.00 + 535.00 + 2380.00 + 1001.50 − 200.00 = 4668.50
// (credit).
func partnerBook(t testing.TB) (partnerSource, *partners.Parties) {
	t.Helper()
	ctx := context.Background()
	store := memory.New()
	l := ledger.New(store, &ledger.Options{Now: clock})
	if err := l.CreateBook(ctx, ledger.Book{ID: "acme", Name: "ACME GmbH", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	if err := l.CreateAccounts(ctx, ledger.DefaultChart("acme")...); err != nil {
		t.Fatal(err)
	}
	p := partners.New(store, &partners.Options{Now: clock})
	rate := decimal.RequireFromString
	if err := p.AddParties(ctx,
		partners.Party{Book: "acme", Number: "10001", Role: partners.Customer, Name: "Alpha GmbH",
			Terms: partners.Terms{NetDays: 30, DiscountDays: 10, DiscountRate: rate("0.02")}},
		partners.Party{Book: "acme", Number: "10002", Role: partners.Customer, Name: "Beta AG",
			Terms: partners.Terms{NetDays: 14}},
		partners.Party{Book: "acme", Number: "70001", Role: partners.Supplier, Name: "Gamma KG",
			Terms: partners.Terms{NetDays: 30, DiscountDays: 14, DiscountRate: rate("0.03")}},
		partners.Party{Book: "acme", Number: "70002", Role: partners.Supplier, Name: "Delta OHG",
			Terms: partners.Terms{NetDays: 60}},
	); err != nil {
		t.Fatal(err)
	}
	for _, inv := range []struct {
		key, party, date, account, net, vat, corrects, want string
	}{
		{"a1", "10001", "2026-01-15", "4100", "1000.00", "19", "", "RE00001"},
		{"a2", "10001", "2026-03-01", "4100", "200.00", "7", "", "RE00002"},
		{"b1", "10002", "2025-12-16", "4100", "500.00", "19", "", "RE00003"},
		{"b2", "10002", "2026-02-15", "4100", "100.00", "19", "", "RE00004"},
		{"b3", "10002", "2026-02-14", "4100", "300.00", "0", "", "RE00005"},
		{"b4", "10002", "2026-03-10", "4100", "50.00", "19", "RE00004", "RE00006"},
		{"a3", "10001", "2026-02-01", "4100", "100.00", "19", "", "RE00007"},
		{"d1", "70002", "2026-01-05", "5000", "800.00", "19", "", "ER00001"},
		{"d2", "70002", "2026-02-10", "5000", "500.00", "7", "", "ER00002"},
		{"g1", "70001", "2026-03-05", "5000", "2000.00", "19", "", "ER00003"},
		{"g2", "70001", "2026-03-20", "6200", "1001.50", "0", "", "ER00004"},
	} {
		kind := partners.InvoiceKind
		if inv.corrects != "" {
			kind = partners.CreditNoteKind
		}
		posted, err := p.Post(ctx, partners.Invoice{Book: "acme", Key: inv.key, Kind: kind, Party: inv.party,
			Date: d(inv.date), Corrects: inv.corrects,
			Lines: []partners.InvoiceLine{{Account: inv.account, Net: eur(inv.net), VAT: inv.vat}}})
		if err != nil {
			t.Fatalf("post %s: %v", inv.key, err)
		}
		if posted.Number != inv.want {
			t.Fatalf("invoice %s numbered %s, want %s", inv.key, posted.Number, inv.want)
		}
	}
	for _, pay := range []partners.Payment{
		{Key: "P2", Party: "10001", Date: d("2026-02-10"), Amount: eur("116.62"),
			Allocations: []partners.Allocation{{Item: "RE00007", Amount: eur("116.62"), Discount: eur("2.38")}}},
		{Key: "P1", Party: "10001", Date: d("2026-02-20"), Amount: eur("500.00"),
			Allocations: []partners.Allocation{{Item: "RE00001", Amount: eur("500.00")}}},
		{Key: "S1", Party: "70002", Date: d("2026-03-15"), Amount: eur("200.00"),
			Allocations: []partners.Allocation{{Item: "ER00002", Amount: eur("200.00")}}},
	} {
		pay.Book, pay.Account = "acme", "1120"
		if _, err := p.Settle(ctx, pay); err != nil {
			t.Fatalf("settle %s: %v", pay.Key, err)
		}
	}
	return partnerSource{p, l}, p
}

// cells renders every row of r: "kind level | cell | cell …", text as is,
// dates as YYYY-MM-DD, amounts as plain decimals, blank and empty cells as
// nothing ("| |").
func cells(r reporting.Report) []string {
	out := make([]string, len(r.Rows))
	for i, row := range r.Rows {
		var b strings.Builder
		fmt.Fprintf(&b, "%s %d", row.Kind, row.Level)
		for j, c := range r.Columns {
			cell := row.Cells[j]
			var s string
			switch {
			case cell.Blank:
			case c.Kind == reporting.AmountColumn:
				s = cell.Amount.Number()
			case c.Kind == reporting.DateColumn:
				s = cell.Date.String()
			default:
				s = cell.Text
			}
			b.WriteString(" |")
			if s != "" {
				b.WriteString(" " + s)
			}
		}
		out[i] = b.String()
	}
	return out
}

func keys(r reporting.Report) string {
	var ks []string
	for _, c := range r.Columns {
		ks = append(ks, c.Key+"="+c.Label)
	}
	return strings.Join(ks, " ")
}

func checks(r reporting.Report) []string {
	var out []string
	for _, c := range r.Checks {
		out = append(out, fmt.Sprintf("%s: %s = %s", c.Label, c.Left.Number(), c.Right.Number()))
	}
	return out
}

// reportHead is what the tests compare of a report's header.
func reportHead(r reporting.Report) string {
	return fmt.Sprintf("%s %q %q %s %s %s–%s %q", r.Kind, r.Title, r.Company, r.Book, r.Currency.Code(), r.From, r.To, r.Filter)
}

// Open items as of 2026-03-31. Days overdue from the due date to 03-31:
// RE00001 02-14 → 14 + 31 = 45; RE00002 03-31 → 0; RE00003 2025-12-30 →
// 1 + 31 + 28 + 31 = 91; RE00005 02-28 → 31; RE00004 03-01 → 30. Open:
// RE00001 1190.00 − 500.00 = 690.00, RE00004 119.00 − 59.50 = 59.50;
// RE00007 is settled and left out. Alpha 1404.00 / 904.00, Beta 595.00 +
// 300.00 + 119.00 = 1014.00 / 954.50, total 2418.00 / 1858.50 = 1200.
//
// Payables: ER00003 due 04-04 → −4, ER00004 04-19 → −19, ER00001 03-06 →
// 25, ER00002 04-11 → −11; Gamma 3381.50 / 3381.50, Delta 952.00 + 535.00
// = 1487.00 / 952.00 + 335.00 = 1287.00; total 4868.50 / 4668.50 = 2110.
func TestOpenItems(t *testing.T) {
	src, parties := partnerBook(t)
	ctx := context.Background()
	tests := []struct {
		name   string
		src    reporting.PartnerSource
		opts   reporting.PartnerOptions
		head   string
		rows   []string
		checks []string
	}{
		{"receivables", src, reporting.PartnerOptions{AsOf: d("2026-03-31")},
			`open-items "Open items (receivables)" "ACME GmbH" acme EUR –2026-03-31 "kind=receivable"`,
			[]string{
				"heading 0 | 10001 | 10001 Alpha GmbH | | | | |",
				"detail 1 | 10001 | RE00001 | 2026-01-15 | 2026-02-14 | 45 | 1190.00 | 690.00",
				"detail 1 | 10001 | RE00002 | 2026-03-01 | 2026-03-31 | 0 | 214.00 | 214.00",
				"subtotal 0 | 10001 | Total 10001 | | | | 1404.00 | 904.00",
				"heading 0 | 10002 | 10002 Beta AG | | | | |",
				"detail 1 | 10002 | RE00003 | 2025-12-16 | 2025-12-30 | 91 | 595.00 | 595.00",
				"detail 1 | 10002 | RE00005 | 2026-02-14 | 2026-02-28 | 31 | 300.00 | 300.00",
				"detail 1 | 10002 | RE00004 | 2026-02-15 | 2026-03-01 | 30 | 119.00 | 59.50",
				"subtotal 0 | 10002 | Total 10002 | | | | 1014.00 | 954.50",
				"total 0 | | Total | | | | 2418.00 | 1858.50",
			},
			[]string{"Σ open items = balance of account 1200: 1858.50 = 1858.50"}},
		// Before the payment of 02-20 and the credit note of 03-10, without
		// the invoices of March: RE00001 open 1190.00 and 5 days overdue,
		// RE00003 1 + 31 + 19 = 51, RE00005 not yet due (−9), RE00004
		// 119.00 and not yet due (−10). 1200 at 02-19: 1190.00 + 595.00 + 119.00 + 300.00 + 119.00 −
		// 116.62 − 2.38 = 2204.00.
		{"earlier, parties only", parties, reporting.PartnerOptions{Kind: partners.Receivable, AsOf: d("2026-02-19")},
			`open-items "Open items (receivables)" "" acme EUR –2026-02-19 "kind=receivable"`,
			[]string{
				"heading 0 | 10001 | 10001 Alpha GmbH | | | | |",
				"detail 1 | 10001 | RE00001 | 2026-01-15 | 2026-02-14 | 5 | 1190.00 | 1190.00",
				"subtotal 0 | 10001 | Total 10001 | | | | 1190.00 | 1190.00",
				"heading 0 | 10002 | 10002 Beta AG | | | | |",
				"detail 1 | 10002 | RE00003 | 2025-12-16 | 2025-12-30 | 51 | 595.00 | 595.00",
				"detail 1 | 10002 | RE00005 | 2026-02-14 | 2026-02-28 | -9 | 300.00 | 300.00",
				"detail 1 | 10002 | RE00004 | 2026-02-15 | 2026-03-01 | -10 | 119.00 | 119.00",
				"subtotal 0 | 10002 | Total 10002 | | | | 1014.00 | 1014.00",
				"total 0 | | Total | | | | 2204.00 | 2204.00",
			},
			[]string{"Σ open items = balance of account 1200: 2204.00 = 2204.00"}},
		{"payables", src, reporting.PartnerOptions{Kind: partners.Payable, AsOf: d("2026-03-31")},
			`open-items "Open items (payables)" "ACME GmbH" acme EUR –2026-03-31 "kind=payable"`,
			[]string{
				"heading 0 | 70001 | 70001 Gamma KG | | | | |",
				"detail 1 | 70001 | ER00003 | 2026-03-05 | 2026-04-04 | -4 | 2380.00 | 2380.00",
				"detail 1 | 70001 | ER00004 | 2026-03-20 | 2026-04-19 | -19 | 1001.50 | 1001.50",
				"subtotal 0 | 70001 | Total 70001 | | | | 3381.50 | 3381.50",
				"heading 0 | 70002 | 70002 Delta OHG | | | | |",
				"detail 1 | 70002 | ER00001 | 2026-01-05 | 2026-03-06 | 25 | 952.00 | 952.00",
				"detail 1 | 70002 | ER00002 | 2026-02-10 | 2026-04-11 | -11 | 535.00 | 335.00",
				"subtotal 0 | 70002 | Total 70002 | | | | 1487.00 | 1287.00",
				"total 0 | | Total | | | | 4868.50 | 4668.50",
			},
			[]string{"Σ open items = balance of account 2110: 4668.50 = 4668.50"}},
		// One party: no reconciliation with the whole control account.
		{"one party", src, reporting.PartnerOptions{Party: "10002", AsOf: d("2026-03-31")},
			`open-items "Open items (receivables)" "ACME GmbH" acme EUR –2026-03-31 "kind=receivable, party=10002"`,
			[]string{
				"heading 0 | 10002 | 10002 Beta AG | | | | |",
				"detail 1 | 10002 | RE00003 | 2025-12-16 | 2025-12-30 | 91 | 595.00 | 595.00",
				"detail 1 | 10002 | RE00005 | 2026-02-14 | 2026-02-28 | 31 | 300.00 | 300.00",
				"detail 1 | 10002 | RE00004 | 2026-02-15 | 2026-03-01 | 30 | 119.00 | 59.50",
				"subtotal 0 | 10002 | Total 10002 | | | | 1014.00 | 954.50",
				"total 0 | | Total | | | | 1014.00 | 954.50",
			},
			nil},
		{"nothing open yet", src, reporting.PartnerOptions{Kind: partners.Payable, AsOf: d("2025-12-31")},
			`open-items "Open items (payables)" "ACME GmbH" acme EUR –2025-12-31 "kind=payable"`,
			[]string{"total 0 | | Total | | | | 0.00 | 0.00"},
			[]string{"Σ open items = balance of account 2110: 0.00 = 0.00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Now = clock
			r, err := reporting.OpenItems(ctx, tt.src, "acme", tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			checkReport(t, r)
			if diff := cmp.Diff(reportHead(r), tt.head); diff != "" {
				t.Errorf("header (-got +want):\n%s", diff)
			}
			if diff := cmp.Diff(cells(r), tt.rows); diff != "" {
				t.Errorf("rows (-got +want):\n%s", diff)
			}
			if diff := cmp.Diff(checks(r), tt.checks); diff != "" {
				t.Errorf("checks (-got +want):\n%s", diff)
			}
			wantKeys := "party=Party label=Item date=Invoice date due=Due date days_overdue=Days overdue amount=Amount open=Open"
			if got := keys(r); got != wantKeys {
				t.Errorf("columns %s, want %s", got, wantKeys)
			}
			if !r.Generated.Equal(clock()) {
				t.Errorf("generated %v, want %v", r.Generated, clock())
			}
		})
	}
}

// Aging of the open items of TestOpenItems. As of 03-31 (buckets not due,
// 1–30, 31–60, 61–90, > 90): Alpha RE00002 0 days → not due 214.00,
// RE00001 45 → 31–60 690.00; Beta RE00004 30 → 1–30 59.50, RE00005 31 →
// 31–60 300.00, RE00003 91 → > 90 595.00. One day earlier every item is a
// day less overdue: RE00002 −1 → not due, RE00004 29 and RE00005 30 →
// 1–30, RE00001 44 → 31–60, RE00003 90 → 61–90.
func TestAging(t *testing.T) {
	src, parties := partnerBook(t)
	ctx := context.Background()
	std := "party=Party label=Name not_due=Not due days_1_30=1–30 days_31_60=31–60 days_61_90=61–90 days_over_90=> 90 total=Total"
	tests := []struct {
		name         string
		src          reporting.PartnerSource
		opts         reporting.PartnerOptions
		cols, filter string
		rows         []string
		checks       []string
	}{
		{"receivables 03-31", src, reporting.PartnerOptions{AsOf: d("2026-03-31")}, std, "kind=receivable",
			[]string{
				"detail 0 | 10001 | Alpha GmbH | 214.00 | 0.00 | 690.00 | 0.00 | 0.00 | 904.00",
				"detail 0 | 10002 | Beta AG | 0.00 | 59.50 | 300.00 | 0.00 | 595.00 | 954.50",
				"total 0 | | Total | 214.00 | 59.50 | 990.00 | 0.00 | 595.00 | 1858.50",
			},
			[]string{"Σ buckets = Σ totals: 1858.50 = 1858.50", "Σ open items = balance of account 1200: 1858.50 = 1858.50"}},
		{"receivables 03-30, a day earlier", parties, reporting.PartnerOptions{AsOf: d("2026-03-30")}, std, "kind=receivable",
			[]string{
				"detail 0 | 10001 | Alpha GmbH | 214.00 | 0.00 | 690.00 | 0.00 | 0.00 | 904.00",
				"detail 0 | 10002 | Beta AG | 0.00 | 359.50 | 0.00 | 595.00 | 0.00 | 954.50",
				"total 0 | | Total | 214.00 | 359.50 | 690.00 | 595.00 | 0.00 | 1858.50",
			},
			[]string{"Σ buckets = Σ totals: 1858.50 = 1858.50", "Σ open items = balance of account 1200: 1858.50 = 1858.50"}},
		// Payables with limits [0 14]: ER00001 25 days → > 14; the rest not due.
		{"payables, own limits, one party", src, reporting.PartnerOptions{Kind: partners.Payable, Party: "70002", AsOf: d("2026-03-31"), Limits: []int{0, 14}},
			"party=Party label=Name not_due=Not due days_1_14=1–14 days_over_14=> 14 total=Total", "kind=payable, party=70002",
			[]string{
				"detail 0 | 70002 | Delta OHG | 335.00 | 0.00 | 952.00 | 1287.00",
				"total 0 | | Total | 335.00 | 0.00 | 952.00 | 1287.00",
			},
			[]string{"Σ buckets = Σ totals: 1287.00 = 1287.00"}},
		// Limits [-7 0 1]: ER00004 −19 and ER00002 −11 → ≤ −7; ER00003 −4 →
		// −6–0; ER00001 25 → > 1.
		{"payables, odd limits", src, reporting.PartnerOptions{Kind: partners.Payable, AsOf: d("2026-03-31"), Limits: []int{-7, 0, 1}},
			"party=Party label=Name days_to_-7=≤ -7 days_-6_0=-6–0 days_1=1 days_over_1=> 1 total=Total", "kind=payable",
			[]string{
				"detail 0 | 70001 | Gamma KG | 1001.50 | 2380.00 | 0.00 | 0.00 | 3381.50",
				"detail 0 | 70002 | Delta OHG | 335.00 | 0.00 | 0.00 | 952.00 | 1287.00",
				"total 0 | | Total | 1336.50 | 2380.00 | 0.00 | 952.00 | 4668.50",
			},
			[]string{"Σ buckets = Σ totals: 4668.50 = 4668.50", "Σ open items = balance of account 2110: 4668.50 = 4668.50"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Now = clock
			r, err := reporting.Aging(ctx, tt.src, "acme", tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			checkReport(t, r)
			if r.Kind != reporting.AgingReport || r.Filter != tt.filter || r.To != tt.opts.AsOf || !r.From.IsZero() {
				t.Errorf("header %s, want filter %q", reportHead(r), tt.filter)
			}
			if got := keys(r); got != tt.cols {
				t.Errorf("columns\n%s, want\n%s", got, tt.cols)
			}
			if diff := cmp.Diff(cells(r), tt.rows); diff != "" {
				t.Errorf("rows (-got +want):\n%s", diff)
			}
			if diff := cmp.Diff(checks(r), tt.checks); diff != "" {
				t.Errorf("checks (-got +want):\n%s", diff)
			}
		})
	}
}

// Party statements. Alpha 02-01–03-31: opening = open at 01-31 = RE00001
// 1190.00; RE00007 +119.00 → 1309.00; P2 −116.62 → 1192.38, discount −2.38
// → 1190.00; P1 −500.00 → 690.00; RE00002 +214.00 → 904.00 = RE00001
// 690.00 + RE00002 214.00. Debits 119.00 + 214.00 = 333.00, credits 116.62
// + 2.38 + 500.00 = 619.00.
//
// Beta in March: opening at 02-28 = 595.00 + 300.00 + 119.00 = 1014.00;
// credit note RE00006 on RE00004 −59.50 → 954.50.
//
// Delta from the start of the fiscal year (From zero) to 03-31: invoices
// are credits on a supplier's account, payments debits: ER00001 952.00,
// ER00002 535.00 → 1487.00; S1 200.00 → 1287.00.
func TestPartyStatement(t *testing.T) {
	src, parties := partnerBook(t)
	ctx := context.Background()
	tests := []struct {
		name, party, from, to string
		src                   reporting.PartnerSource
		title                 string
		rows                  []string
		check                 string
	}{
		{"customer", "10001", "2026-02-01", "2026-03-31", src, "Statement of account 10001 Alpha GmbH", []string{
			"detail 0 | 2026-02-01 | | Opening balance | | | | 1190.00",
			"detail 0 | 2026-02-01 | RE00007 | Invoice | RE00007 | 119.00 | | 1309.00",
			"detail 0 | 2026-02-10 | P2 | Payment | RE00007 | | 116.62 | 1192.38",
			"detail 0 | 2026-02-10 | P2 | Cash discount | RE00007 | | 2.38 | 1190.00",
			"detail 0 | 2026-02-20 | P1 | Payment | RE00001 | | 500.00 | 690.00",
			"detail 0 | 2026-03-01 | RE00002 | Invoice | RE00002 | 214.00 | | 904.00",
			"total 0 | | | Total | | 333.00 | 619.00 |",
			"detail 0 | 2026-03-31 | | Closing balance | | | | 904.00",
		}, "closing balance = Σ open items of 10001: 904.00 = 904.00"},
		{"credit note", "10002", "2026-03-01", "2026-03-31", parties, "Statement of account 10002 Beta AG", []string{
			"detail 0 | 2026-03-01 | | Opening balance | | | | 1014.00",
			"detail 0 | 2026-03-10 | RE00006 | Credit note | RE00004 | | 59.50 | 954.50",
			"total 0 | | | Total | | 0.00 | 59.50 |",
			"detail 0 | 2026-03-31 | | Closing balance | | | | 954.50",
		}, "closing balance = Σ open items of 10002: 954.50 = 954.50"},
		{"supplier from the fiscal year", "70002", "", "2026-03-31", src, "Statement of account 70002 Delta OHG", []string{
			"detail 0 | 2026-01-01 | | Opening balance | | | | 0.00",
			"detail 0 | 2026-01-05 | ER00001 | Invoice | ER00001 | | 952.00 | 952.00",
			"detail 0 | 2026-02-10 | ER00002 | Invoice | ER00002 | | 535.00 | 1487.00",
			"detail 0 | 2026-03-15 | S1 | Payment | ER00002 | 200.00 | | 1287.00",
			"total 0 | | | Total | | 200.00 | 1487.00 |",
			"detail 0 | 2026-03-31 | | Closing balance | | | | 1287.00",
		}, "closing balance = Σ open items of 70002: 1287.00 = 1287.00"},
		// Without PartnerBooks a zero From is January 1.
		{"supplier, parties only", "70002", "", "2026-02-28", parties, "Statement of account 70002 Delta OHG", []string{
			"detail 0 | 2026-01-01 | | Opening balance | | | | 0.00",
			"detail 0 | 2026-01-05 | ER00001 | Invoice | ER00001 | | 952.00 | 952.00",
			"detail 0 | 2026-02-10 | ER00002 | Invoice | ER00002 | | 535.00 | 1487.00",
			"total 0 | | | Total | | 0.00 | 1487.00 |",
			"detail 0 | 2026-02-28 | | Closing balance | | | | 1487.00",
		}, "closing balance = Σ open items of 70002: 1487.00 = 1487.00"},
		// An opening item (no invoice) of 100.00 dated 03-05: a debit of its
		// own, 1014.00 + 100.00 = 1114.00, then the credit note → 1054.50 =
		// 954.50 + 100.00.
		{"opening item", "10002", "2026-03-01", "2026-03-31", withOpeningItem{parties, partners.Item{Book: "acme", ID: "OP-1",
			Party: "10002", Kind: partners.Receivable, Date: d("2026-03-05"), DueDate: d("2026-03-05"), Amount: eur("100.00"), Open: eur("100.00")}},
			"Statement of account 10002 Beta AG", []string{
				"detail 0 | 2026-03-01 | | Opening balance | | | | 1014.00",
				"detail 0 | 2026-03-05 | OP-1 | Opening item | OP-1 | 100.00 | | 1114.00",
				"detail 0 | 2026-03-10 | RE00006 | Credit note | RE00004 | | 59.50 | 1054.50",
				"total 0 | | | Total | | 100.00 | 59.50 |",
				"detail 0 | 2026-03-31 | | Closing balance | | | | 1054.50",
			}, "closing balance = Σ open items of 10002: 1054.50 = 1054.50"},
		{"quiet period", "70001", "2026-01-01", "2026-02-28", src, "Statement of account 70001 Gamma KG", []string{
			"detail 0 | 2026-01-01 | | Opening balance | | | | 0.00",
			"total 0 | | | Total | | 0.00 | 0.00 |",
			"detail 0 | 2026-02-28 | | Closing balance | | | | 0.00",
		}, "closing balance = Σ open items of 70001: 0.00 = 0.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := reporting.PartnerOptions{To: d(tt.to), Now: clock}
			if tt.from != "" {
				opts.From = d(tt.from)
			}
			r, err := reporting.PartyStatement(ctx, tt.src, "acme", tt.party, opts)
			if err != nil {
				t.Fatal(err)
			}
			checkReport(t, r)
			if r.Kind != reporting.PartyStatementReport || r.Title != tt.title || r.Filter != "party="+tt.party {
				t.Errorf("header %s", reportHead(r))
			}
			if diff := cmp.Diff(cells(r), tt.rows); diff != "" {
				t.Errorf("rows (-got +want):\n%s", diff)
			}
			if diff := cmp.Diff(checks(r), []string{tt.check}); diff != "" {
				t.Errorf("checks (-got +want):\n%s", diff)
			}
		})
	}
}

// withOpeningItem adds an opening item (one without an invoice, as an
// import of opening balances makes) to the items its source returns.
type withOpeningItem struct {
	reporting.PartnerSource
	item partners.Item
}

func (w withOpeningItem) Items(ctx context.Context, book string, q partners.ItemQuery) ([]partners.Item, error) {
	items, err := w.PartnerSource.Items(ctx, book, q)
	if err == nil && (q.Party == "" || q.Party == w.item.Party) && (q.AsOf.IsZero() || !w.item.Date.After(q.AsOf)) {
		items = append(items, w.item)
	}
	return items, err
}

// Due payments 04-01–04-15 (payables open at 04-15):
//
//	ER00003 Gamma due 04-04: discount date 03-19 passed → 2380.00, no discount
//	ER00004 Gamma due 04-19, discount date 04-03 in the range: 3 % of
//	        1001.50 = 30.045 → 30.05 half up (30.04 half even); pay 971.45
//	ER00002 Delta due 04-11: open 335.00
//	ER00001 Delta due 03-06, before From: not listed
//
// Gamma 3381.50 / 30.05 / 3351.45; Delta 335.00 / 0.00 / 335.00; total
// 3716.50 / 30.05 / 3686.45.
//
// Receivables 03-01–03-15: RE00004 due 03-01, open 59.50; RE00002 due
// 03-31 but discount by 03-11: 2 % of 214.00 = 4.28, pay 209.72.
func TestDuePayments(t *testing.T) {
	src, _ := partnerBook(t)
	ctx := context.Background()
	tests := []struct {
		name     string
		opts     reporting.PartnerOptions
		rows     []string
		check    string
		filter   string
		from, to string
	}{
		{"payables", reporting.PartnerOptions{From: d("2026-04-01"), To: d("2026-04-15")}, []string{
			"detail 1 | 70001 | Gamma KG | ER00003 | 2026-04-04 | | 2380.00 | | 2380.00",
			"detail 1 | 70001 | Gamma KG | ER00004 | 2026-04-19 | 2026-04-03 | 1001.50 | 30.05 | 971.45",
			"subtotal 0 | 70001 | Gamma KG | Total 70001 | | | 3381.50 | 30.05 | 3351.45",
			"detail 1 | 70002 | Delta OHG | ER00002 | 2026-04-11 | | 335.00 | | 335.00",
			"subtotal 0 | 70002 | Delta OHG | Total 70002 | | | 335.00 | 0.00 | 335.00",
			"total 0 | | | Total | | | 3716.50 | 30.05 | 3686.45",
		}, "Σ open − Σ cash discount = Σ to pay: 3686.45 = 3686.45", "kind=payable", "2026-04-01", "2026-04-15"},
		{"receivables", reporting.PartnerOptions{Kind: partners.Receivable, From: d("2026-03-01"), To: d("2026-03-15")}, []string{
			"detail 1 | 10001 | Alpha GmbH | RE00002 | 2026-03-31 | 2026-03-11 | 214.00 | 4.28 | 209.72",
			"subtotal 0 | 10001 | Alpha GmbH | Total 10001 | | | 214.00 | 4.28 | 209.72",
			"detail 1 | 10002 | Beta AG | RE00004 | 2026-03-01 | | 59.50 | | 59.50",
			"subtotal 0 | 10002 | Beta AG | Total 10002 | | | 59.50 | 0.00 | 59.50",
			"total 0 | | | Total | | | 273.50 | 4.28 | 269.22",
		}, "Σ open − Σ cash discount = Σ to pay: 269.22 = 269.22", "kind=receivable", "2026-03-01", "2026-03-15"},
		// From the start of the fiscal year (From zero): ER00001 due 03-06
		// too, and ER00003's discount by 03-19: 3 % of 2380.00 = 71.40.
		{"from the fiscal year", reporting.PartnerOptions{To: d("2026-04-15")}, []string{
			"detail 1 | 70001 | Gamma KG | ER00003 | 2026-04-04 | 2026-03-19 | 2380.00 | 71.40 | 2308.60",
			"detail 1 | 70001 | Gamma KG | ER00004 | 2026-04-19 | 2026-04-03 | 1001.50 | 30.05 | 971.45",
			"subtotal 0 | 70001 | Gamma KG | Total 70001 | | | 3381.50 | 101.45 | 3280.05",
			"detail 1 | 70002 | Delta OHG | ER00001 | 2026-03-06 | | 952.00 | | 952.00",
			"detail 1 | 70002 | Delta OHG | ER00002 | 2026-04-11 | | 335.00 | | 335.00",
			"subtotal 0 | 70002 | Delta OHG | Total 70002 | | | 1287.00 | 0.00 | 1287.00",
			"total 0 | | | Total | | | 4668.50 | 101.45 | 4567.05",
		}, "Σ open − Σ cash discount = Σ to pay: 4567.05 = 4567.05", "kind=payable", "2026-01-01", "2026-04-15"},
		{"one party", reporting.PartnerOptions{Party: "70002", From: d("2026-04-01"), To: d("2026-04-15")}, []string{
			"detail 1 | 70002 | Delta OHG | ER00002 | 2026-04-11 | | 335.00 | | 335.00",
			"subtotal 0 | 70002 | Delta OHG | Total 70002 | | | 335.00 | 0.00 | 335.00",
			"total 0 | | | Total | | | 335.00 | 0.00 | 335.00",
		}, "Σ open − Σ cash discount = Σ to pay: 335.00 = 335.00", "kind=payable, party=70002", "2026-04-01", "2026-04-15"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Now = clock
			r, err := reporting.DuePayments(ctx, src, "acme", tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			checkReport(t, r)
			if r.Kind != reporting.DuePaymentsReport || r.Filter != tt.filter || r.From != d(tt.from) || r.To != d(tt.to) {
				t.Errorf("header %s", reportHead(r))
			}
			if diff := cmp.Diff(cells(r), tt.rows); diff != "" {
				t.Errorf("rows (-got +want):\n%s", diff)
			}
			if diff := cmp.Diff(checks(r), []string{tt.check}); diff != "" {
				t.Errorf("checks (-got +want):\n%s", diff)
			}
		})
	}
}

// A control account posted to outside the partner package no longer
// reconciles: the open-item list shows it in its check.
func TestOpenItemsReconciliationFails(t *testing.T) {
	src, _ := partnerBook(t)
	ctx := context.Background()
	if _, err := src.Ledger.Post(ctx, ledger.Entry{Book: "acme", Date: d("2026-03-20"), Description: "Manual",
		Lines: []ledger.Line{ledger.Debit("1200", eur("10.00")), ledger.Credit("4200", eur("10.00"))}}); err != nil {
		t.Fatal(err)
	}
	for _, build := range []func(context.Context, reporting.PartnerSource, string, reporting.PartnerOptions) (reporting.Report, error){
		reporting.OpenItems, reporting.Aging,
	} {
		r, err := build(ctx, src, "acme", reporting.PartnerOptions{AsOf: d("2026-03-31"), Now: clock})
		if err != nil {
			t.Fatal(err)
		}
		label := "Σ open items = balance of account 1200"
		checkReport(t, r, label)
		c := r.Checks[len(r.Checks)-1]
		if c.Label != label || c.OK() || c.Left != eur("1858.50") || c.Right != eur("1868.50") {
			t.Errorf("%s: check %+v, want 1858.50 ≠ 1868.50", r.Kind, c)
		}
	}
}

func TestPartnerErrors(t *testing.T) {
	src, _ := partnerBook(t)
	ctx := context.Background()
	asOf, from, to := d("2026-03-31"), d("2026-03-01"), d("2026-03-31")
	type build func() (reporting.Report, error)
	open := func(o reporting.PartnerOptions) build {
		return func() (reporting.Report, error) { return reporting.OpenItems(ctx, src, "acme", o) }
	}
	age := func(o reporting.PartnerOptions) build {
		return func() (reporting.Report, error) { return reporting.Aging(ctx, src, "acme", o) }
	}
	stmt := func(party string, o reporting.PartnerOptions) build {
		return func() (reporting.Report, error) { return reporting.PartyStatement(ctx, src, "acme", party, o) }
	}
	due := func(o reporting.PartnerOptions) build {
		return func() (reporting.Report, error) { return reporting.DuePayments(ctx, src, "acme", o) }
	}
	tests := []struct {
		name  string
		build build
		want  error
	}{
		{"open items without a date", open(reporting.PartnerOptions{}), reporting.ErrRange},
		{"open items with a range", open(reporting.PartnerOptions{AsOf: asOf, To: to}), reporting.ErrOption},
		{"open items with limits", open(reporting.PartnerOptions{AsOf: asOf, Limits: []int{0}}), reporting.ErrOption},
		{"open items of another kind", open(reporting.PartnerOptions{AsOf: asOf, Kind: "loans"}), reporting.ErrOption},
		{"open items of an unknown book", func() (reporting.Report, error) {
			return reporting.OpenItems(ctx, src, "nope", reporting.PartnerOptions{AsOf: asOf})
		}, ledger.ErrUnknownBook},
		{"aging without a date", age(reporting.PartnerOptions{}), reporting.ErrRange},
		{"aging with a range", age(reporting.PartnerOptions{AsOf: asOf, From: from}), reporting.ErrOption},
		{"aging with falling limits", age(reporting.PartnerOptions{AsOf: asOf, Limits: []int{30, 0}}), partners.ErrInvalid},
		{"statement without an end", stmt("10001", reporting.PartnerOptions{From: from}), reporting.ErrRange},
		{"statement backwards", stmt("10001", reporting.PartnerOptions{From: to, To: from}), reporting.ErrRange},
		{"statement with a kind", stmt("10001", reporting.PartnerOptions{To: to, Kind: partners.Payable}), reporting.ErrOption},
		{"statement with a party option", stmt("10001", reporting.PartnerOptions{To: to, Party: "10001"}), reporting.ErrOption},
		{"statement with an as-of date", stmt("10001", reporting.PartnerOptions{To: to, AsOf: to}), reporting.ErrOption},
		{"statement of an unknown party", stmt("19999", reporting.PartnerOptions{To: to}), partners.ErrUnknownParty},
		{"due payments without an end", due(reporting.PartnerOptions{From: from}), reporting.ErrRange},
		{"due payments backwards", due(reporting.PartnerOptions{From: to, To: from}), reporting.ErrRange},
		{"due payments with an as-of date", due(reporting.PartnerOptions{From: from, To: to, AsOf: to}), reporting.ErrOption},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.build()
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

// A party statement's lines render through every renderer without any of
// them computing: CSV holds the same exact amounts as the report.
func TestPartnerReportsRender(t *testing.T) {
	src, _ := partnerBook(t)
	ctx := context.Background()
	r, err := reporting.OpenItems(ctx, src, "acme", reporting.PartnerOptions{AsOf: d("2026-03-31"), Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := reporting.WriteCSV(&b, r, nil); err != nil {
		t.Fatal(err)
	}
	want := "row,level,account,line,party,label,date,due,days_overdue,amount,open\n" +
		"heading,0,,,10001,10001 Alpha GmbH,,,,,\n" +
		"detail,1,,,10001,RE00001,2026-01-15,2026-02-14,45,1190.00,690.00\n" +
		"detail,1,,,10001,RE00002,2026-03-01,2026-03-31,0,214.00,214.00\n" +
		"subtotal,0,,,10001,Total 10001,,,,1404.00,904.00\n" +
		"heading,0,,,10002,10002 Beta AG,,,,,\n" +
		"detail,1,,,10002,RE00003,2025-12-16,2025-12-30,91,595.00,595.00\n" +
		"detail,1,,,10002,RE00005,2026-02-14,2026-02-28,31,300.00,300.00\n" +
		"detail,1,,,10002,RE00004,2026-02-15,2026-03-01,30,119.00,59.50\n" +
		"subtotal,0,,,10002,Total 10002,,,,1014.00,954.50\n" +
		"total,0,,,,Total,,,,2418.00,1858.50\n"
	if diff := cmp.Diff(b.String(), want); diff != "" {
		t.Errorf("CSV (-got +want):\n%s", diff)
	}
	b.Reset()
	if err := reporting.WriteText(&b, r, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "1,858.50") {
		t.Errorf("text lacks the total:\n%s", b.String())
	}
}

func ExampleOpenItems() {
	ctx := context.Background()
	store := memory.New()
	books := ledger.New(store, nil)
	if err := books.CreateBook(ctx, ledger.Book{ID: "acme", Name: "ACME Ltd", Currency: money.EUR}); err != nil {
		log.Fatal(err)
	}
	if err := books.CreateAccounts(ctx, ledger.DefaultChart("acme")...); err != nil {
		log.Fatal(err)
	}
	p := partners.New(store, nil)
	if err := p.AddParties(ctx, partners.Party{Book: "acme", Number: "10001", Role: partners.Customer, Name: "Alpha GmbH",
		Terms: partners.Terms{NetDays: 30}}); err != nil {
		log.Fatal(err)
	}
	// 1000.00 + 19 % VAT = 1190.00, due 30 days later; 500.00 paid.
	if _, err := p.Post(ctx, partners.Invoice{Book: "acme", Key: "order-1", Kind: partners.InvoiceKind, Party: "10001",
		Date: date.MustParse("2026-01-15"), Lines: []partners.InvoiceLine{
			{Account: "4100", Net: money.MustParse("1000.00", money.EUR), VAT: "19"}}}); err != nil {
		log.Fatal(err)
	}
	if _, err := p.Settle(ctx, partners.Payment{Book: "acme", Key: "bank-1", Party: "10001", Date: date.MustParse("2026-02-20"),
		Account: "1120", Amount: money.MustParse("500.00", money.EUR)}); err != nil {
		log.Fatal(err)
	}
	src := struct {
		*partners.Parties
		*ledger.Ledger
	}{p, books}
	r, err := reporting.OpenItems(ctx, src, "acme", reporting.PartnerOptions{AsOf: date.MustParse("2026-03-31"),
		Now: func() time.Time { return time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC) }})
	if err != nil {
		log.Fatal(err)
	}
	for _, row := range r.Rows {
		if row.Kind == reporting.HeadingRow {
			fmt.Println(row.Label)
			continue
		}
		// Columns: party, label, date, due, days_overdue, amount, open.
		fmt.Printf("  %-12s %3s %8s %8s\n", row.Label, row.Cells[4].Text, row.Cells[5].Amount.Number(), row.Cells[6].Amount.Number())
	}
	for _, c := range r.Checks {
		fmt.Println(c.Label, c.OK())
	}
	// Output:
	// 10001 Alpha GmbH
	//   RE00001       45  1190.00   690.00
	//   Total 10001       1190.00   690.00
	//   Total             1190.00   690.00
	// Σ open items = balance of account 1200 true
}
