package partners_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/partners"
)

// TestCashDiscount works a cash-discount case by hand. Customer 10001 has
// 2 % discount within 10 days, net 30. The invoice of 3 March 2025:
//
//	1000.00 net at 19 % → 190.00 tax
//	 250.00 net at  7 % →  17.50 tax
//	gross 1457.50, due 2 April, discount until 13 March
//
// Paid on 12 March with 1457.50 − 2 % = 1457.50 − 29.15 = 1428.35. The
// discount of 29.15 splits over the VAT codes by their gross amounts
// (1190.00 : 267.50): 29.15 × 1190/1457.50 = 23.80 and 5.35 (both exact);
// 23.80 holds 23.80 × 19/119 = 3.80 tax (net 20.00), 5.35 holds
// 5.35 × 7/107 = 0.35 tax (net 5.00). So the payment posts bank 1428.35,
// discount 25.00, VAT correction 3.80 + 0.35, against 1457.50 receivable.
func TestCashDiscount(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	inv, err := f.p.Post(ctx, partners.Invoice{Book: book, Key: "order-1", Kind: partners.InvoiceKind, Party: "10001",
		Date: day("2025-03-03"), Lines: []partners.InvoiceLine{
			{Account: "4100", Net: eur("1000.00"), VAT: "19"},
			{Account: "4100", Net: eur("250.00"), VAT: "7", CostCentre: "CC-10"},
		}})
	if err != nil {
		t.Fatal(err)
	}
	if inv.Number != "RE00001" || inv.Gross != eur("1457.50") || inv.VAT != eur("207.50") ||
		inv.DueDate != day("2025-04-02") || inv.DiscountDate != day("2025-03-13") || !inv.DiscountRate.Equal(dec("0.02")) {
		t.Fatalf("invoice = %s gross %s VAT %s due %s discount %s %s", inv.Number, inv.Gross, inv.VAT, inv.DueDate, inv.DiscountDate, inv.DiscountRate)
	}
	// Each net and tax line carries its code's package vat code, so that
	// the VAT return tells 19 % from 7 % on the default chart's one revenue
	// and one VAT account.
	want := []string{"1200 1457.50 item=RE00001", "4100 -1000.00 vat=USt19", "4100 -250.00 vat=USt7", "2120 -190.00 vat=USt19", "2120 -17.50 vat=USt7"}
	if diff := cmp.Diff(lines(t, f.l, inv.Entry), want); diff != "" {
		t.Errorf("invoice entry (-got +want):\n%s", diff)
	}
	pay, err := f.p.Settle(ctx, partners.Payment{Book: book, Key: "bank-1", Party: "10001", Date: day("2025-03-12"),
		Account: "1120", Amount: eur("1428.35")})
	if err != nil {
		t.Fatal(err)
	}
	if len(pay.Allocations) != 1 || pay.Allocations[0].Discount != eur("29.15") || pay.Allocations[0].Amount != eur("1428.35") {
		t.Fatalf("allocations = %+v", pay.Allocations)
	}
	// 2 % of 1,457.50 = 29.15, split by the codes' gross amounts 1,190.00
	// and 267.50: 23.80 (tax 3.80, net 20.00) and 5.35 (tax 0.35, net
	// 5.00); one net line per code, each with its code.
	want = []string{"1120 1428.35", "1200 -1457.50 item=RE00001", "4100 20.00 vat=USt19", "4100 5.00 vat=USt7", "2120 3.80 vat=USt19", "2120 0.35 vat=USt7"}
	if diff := cmp.Diff(lines(t, f.l, pay.Entry), want); diff != "" {
		t.Errorf("payment entry (-got +want):\n%s", diff)
	}
	it, err := f.p.Item(ctx, book, "RE00001")
	if err != nil {
		t.Fatal(err)
	}
	if !it.Open.IsZero() {
		t.Errorf("open = %s, want 0", it.Open)
	}
	// One day late, the discount is refused when asked for explicitly.
	inv2, err := f.p.Post(ctx, partners.Invoice{Book: book, Key: "order-2", Kind: partners.InvoiceKind, Party: "10001",
		Date: day("2025-03-03"), Lines: []partners.InvoiceLine{{Account: "4100", Net: eur("100.00"), VAT: "19"}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.p.Settle(ctx, partners.Payment{Book: book, Key: "bank-2", Party: "10001", Date: day("2025-03-14"),
		Account: "1120", Amount: eur("116.62"), Allocations: []partners.Allocation{{Item: inv2.Number, Amount: eur("116.62"), Discount: eur("2.38")}}})
	if !errors.Is(err, partners.ErrInvalid) {
		t.Errorf("late discount: err = %v, want ErrInvalid", err)
	}
	if err := f.p.Verify(ctx, book); err != nil {
		t.Error(err)
	}
	rec, err := f.p.Reconcile(ctx, book, day("2025-12-31"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rec {
		if !r.OK() {
			t.Errorf("%s: items %s, account %s", r.Kind, r.Items, r.Balance)
		}
	}
	if rec[0].Items != eur("119.00") {
		t.Errorf("receivables open = %s, want 119.00", rec[0].Items)
	}
}

// TestPartialPayment works a partial payment by hand. Customer 10002's
// invoice of 5 March 2025: 840.34 net at 19 % → 159.6646, rounded half up
// 159.66, gross 1000.00, due 19 March. 400.00 paid on 20 March leaves
// 600.00 open; 600.01 is an overpayment and posts nothing; 600.00 settles
// it; any further payment is refused.
func TestPartialPayment(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	inv, err := f.p.Post(ctx, partners.Invoice{Book: book, Key: "order-7", Kind: partners.InvoiceKind, Party: "10002",
		Date: day("2025-03-05"), Lines: []partners.InvoiceLine{{Account: "4100", Net: eur("840.34"), VAT: "19"}}})
	if err != nil {
		t.Fatal(err)
	}
	if inv.Gross != eur("1000.00") || inv.DueDate != day("2025-03-19") || !inv.DiscountDate.IsZero() {
		t.Fatalf("gross %s due %s discount %s", inv.Gross, inv.DueDate, inv.DiscountDate)
	}
	first := partners.Payment{Book: book, Key: "bank-7a", Party: "10002", Date: day("2025-03-20"), Account: "1120", Amount: eur("400.00")}
	if _, err := f.p.Settle(ctx, first); err != nil {
		t.Fatal(err)
	}
	it, _ := f.p.Item(ctx, book, inv.Number)
	if it.Open != eur("600.00") {
		t.Fatalf("open after 400.00 = %s, want 600.00", it.Open)
	}
	// The same payment again is the first; with another amount a conflict.
	again, err := f.p.Settle(ctx, first)
	if err != nil || again.Entry == 0 {
		t.Fatalf("retry: %v", err)
	}
	changed := first
	changed.Amount = eur("401.00")
	if _, err := f.p.Settle(ctx, changed); !errors.Is(err, partners.ErrConflict) {
		t.Errorf("changed retry: err = %v, want ErrConflict", err)
	}
	before := head(t, f.l)
	for _, tc := range []struct {
		name string
		pay  partners.Payment
		want error
	}{
		{"auto overpayment", partners.Payment{Amount: eur("600.01")}, partners.ErrOverpayment},
		{"explicit overpayment", partners.Payment{Amount: eur("600.01"), Allocations: []partners.Allocation{{Item: inv.Number, Amount: eur("600.01")}}}, partners.ErrOverpayment},
		{"more money than allocated", partners.Payment{Amount: eur("600.00"), Allocations: []partners.Allocation{{Item: inv.Number, Amount: eur("500.00")}}}, partners.ErrOverpayment},
		{"another currency", partners.Payment{Amount: money.MustParse("600.00", money.USD)}, partners.ErrCurrency},
		{"unknown item", partners.Payment{Amount: eur("1.00"), Allocations: []partners.Allocation{{Item: "RE99999", Amount: eur("1.00")}}}, partners.ErrNotFound},
		{"discount without terms", partners.Payment{Amount: eur("590.00"), Allocations: []partners.Allocation{{Item: inv.Number, Amount: eur("590.00"), Discount: eur("10.00")}}}, partners.ErrInvalid},
		{"unknown party", partners.Payment{Party: "10999", Amount: eur("1.00")}, partners.ErrUnknownParty},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.pay
			p.Book, p.Key, p.Date, p.Account = book, "bank-7-"+tc.name, day("2025-04-10"), "1120"
			if p.Party == "" {
				p.Party = "10002"
			}
			if _, err := f.p.Settle(ctx, p); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
	if got := head(t, f.l); got != before {
		t.Fatalf("refused payments posted: head %d → %d", before, got)
	}
	if _, err := f.p.Settle(ctx, partners.Payment{Book: book, Key: "bank-7b", Party: "10002", Date: day("2025-04-10"),
		Account: "1120", Amount: eur("600.00")}); err != nil {
		t.Fatal(err)
	}
	_, err = f.p.Settle(ctx, partners.Payment{Book: book, Key: "bank-7c", Party: "10002", Date: day("2025-04-11"),
		Account: "1120", Amount: eur("1.00"), Allocations: []partners.Allocation{{Item: inv.Number, Amount: eur("1.00")}}})
	if !errors.Is(err, partners.ErrSettled) {
		t.Errorf("settling twice: err = %v, want ErrSettled", err)
	}
	// Open as of a past day comes from the moves.
	items, err := f.p.Items(ctx, book, partners.ItemQuery{Party: "10002", AsOf: day("2025-03-31")})
	if err != nil || len(items) != 1 || items[0].Open != eur("600.00") {
		t.Errorf("as of 31 March: %v %+v", err, items)
	}
	if err := f.p.Verify(ctx, book); err != nil {
		t.Error(err)
	}
}

// TestCreditNote: an invoice of 1000.00 + 19 % = 1190.00, a credit note of
// 500.00 + 95.00 = 595.00 leaves 595.00 open; a second credit note of
// 600.00 + 114.00 = 714.00 exceeds it and uses no number, so the next
// document is RE00003.
func TestCreditNote(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	post := func(key string, kind partners.Kind, corrects, net string) (partners.Invoice, error) {
		return f.p.Post(ctx, partners.Invoice{Book: book, Key: key, Kind: kind, Party: "10002", Corrects: corrects,
			Date: day("2025-05-02"), Lines: []partners.InvoiceLine{{Account: "4100", Net: eur(net), VAT: "19"}}})
	}
	inv, err := post("i1", partners.InvoiceKind, "", "1000.00")
	if err != nil {
		t.Fatal(err)
	}
	cn, err := post("c1", partners.CreditNoteKind, inv.Number, "500.00")
	if err != nil {
		t.Fatal(err)
	}
	if cn.Number != "RE00002" || cn.Gross != eur("595.00") {
		t.Fatalf("credit note %s %s", cn.Number, cn.Gross)
	}
	want := []string{"1200 -595.00 item=RE00001", "4100 500.00 vat=USt19", "2120 95.00 vat=USt19"}
	if diff := cmp.Diff(lines(t, f.l, cn.Entry), want); diff != "" {
		t.Errorf("credit note entry (-got +want):\n%s", diff)
	}
	if _, err := post("c2", partners.CreditNoteKind, inv.Number, "600.00"); !errors.Is(err, partners.ErrCreditExceeds) {
		t.Errorf("credit exceeding: err = %v, want ErrCreditExceeds", err)
	}
	if _, err := post("c3", partners.CreditNoteKind, "RE77777", "1.00"); !errors.Is(err, partners.ErrNotFound) {
		t.Errorf("credit note for no invoice: err = %v, want ErrNotFound", err)
	}
	next, err := post("i2", partners.InvoiceKind, "", "1.00")
	if err != nil || next.Number != "RE00003" {
		t.Fatalf("next number %q, %v; want RE00003", next.Number, err)
	}
	// Reusing a key with another payload is a conflict; with the same, the first.
	if _, err := post("i2", partners.InvoiceKind, "", "2.00"); !errors.Is(err, partners.ErrConflict) {
		t.Errorf("reused key: err = %v, want ErrConflict", err)
	}
	if again, err := post("i2", partners.InvoiceKind, "", "1.00"); err != nil || again.Number != "RE00003" {
		t.Errorf("retry: %q %v", again.Number, err)
	}
	it, _ := f.p.Item(ctx, book, inv.Number)
	if it.Open != eur("595.00") {
		t.Errorf("open = %s, want 595.00", it.Open)
	}
	if err := f.p.Verify(ctx, book); err != nil {
		t.Error(err)
	}
}

// TestVATRounding: three lines of 10.02 at 19 % (1.9038 each). Per line,
// 1.90 × 3 = 5.70; per invoice, 30.06 × 19 % = 5.7114 → 5.71, allocated
// to the lines as 1.91, 1.90, 1.90 so that they add up.
func TestVATRounding(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		perLine bool
		tax     string
		lines   []string
	}{
		{"per invoice", false, "5.71", []string{"1.91", "1.90", "1.90"}},
		{"per line", true, "5.70", []string{"1.90", "1.90", "1.90"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			if err := f.p.SetSettings(ctx, partners.Settings{Book: book, LineRounding: tc.perLine}); err != nil {
				t.Fatal(err)
			}
			l := partners.InvoiceLine{Account: "4100", Net: eur("10.02"), VAT: "19"}
			inv, err := f.p.Post(ctx, partners.Invoice{Book: book, Key: "r", Kind: partners.InvoiceKind, Party: "10002",
				Date: day("2025-05-02"), Lines: []partners.InvoiceLine{l, l, l}})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, l := range inv.Lines {
				got = append(got, l.Tax.Number())
			}
			if inv.VAT != eur(tc.tax) || inv.Gross.MinorUnits() != 3006+eur(tc.tax).MinorUnits() {
				t.Errorf("VAT %s gross %s, want %s", inv.VAT, inv.Gross, tc.tax)
			}
			if diff := cmp.Diff(got, tc.lines); diff != "" {
				t.Errorf("line tax (-got +want):\n%s", diff)
			}
		})
	}
}

// TestProposal: supplier 70001's invoice of 1 March 2025, 2000.00 + 19 % =
// 2380.00, due 31 March, 3 % discount until 15 March. A proposal for
// 10 March up to 17 March takes it with 2380.00 × 3 % = 71.40 discount and
// pays 2308.60; the discount holds 71.40 × 19/119 = 11.40 input VAT (net
// 60.00), credited back.
func TestProposal(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	inv, err := f.p.Post(ctx, partners.Invoice{Book: book, Key: "lief-881", Kind: partners.InvoiceKind, Party: "70001",
		Reference: "881", Date: day("2025-03-01"), Lines: []partners.InvoiceLine{{Account: "6400", Net: eur("2000.00"), VAT: "19"}}})
	if err != nil {
		t.Fatal(err)
	}
	if inv.Number != "ER00001" {
		t.Errorf("number %s, want ER00001", inv.Number)
	}
	want := []string{"2110 -2380.00 item=ER00001", "6400 2000.00 vat=VSt19", "1400 380.00 vat=VSt19"}
	if diff := cmp.Diff(lines(t, f.l, inv.Entry), want); diff != "" {
		t.Errorf("invoice entry (-got +want):\n%s", diff)
	}
	none, err := f.p.Propose(ctx, partners.ProposalSpec{Book: book, PayDate: day("2025-03-10"), Account: "1120"})
	if err != nil || len(none.Payments) != 0 {
		t.Fatalf("proposal to 10 March: %v %+v", err, none.Payments)
	}
	prop, err := f.p.Propose(ctx, partners.ProposalSpec{Book: book, PayDate: day("2025-03-10"), DueBy: day("2025-03-17"), Account: "1120"})
	if err != nil {
		t.Fatal(err)
	}
	if len(prop.Payments) != 1 || prop.Payments[0].Amount != eur("2308.60") || prop.Payments[0].Allocations[0].Discount != eur("71.40") ||
		prop.Payments[0].EndToEndID != "PP20250310-70001" {
		t.Fatalf("proposal %+v", prop.Payments)
	}
	pays, err := f.p.PayProposal(ctx, prop)
	if err != nil {
		t.Fatal(err)
	}
	want = []string{"1120 -2308.60", "2110 2380.00 item=ER00001", "5000 -60.00 vat=VSt19", "1400 -11.40 vat=VSt19"}
	if diff := cmp.Diff(lines(t, f.l, pays[0].Entry), want); diff != "" {
		t.Errorf("payment entry (-got +want):\n%s", diff)
	}
	if again, err := f.p.PayProposal(ctx, prop); err != nil || again[0].Entry != pays[0].Entry {
		t.Errorf("paying again: %v", err)
	}
	if err := f.p.Verify(ctx, book); err != nil {
		t.Error(err)
	}
}

// TestDunning: an invoice of 1000.00 (840.34 + 159.66) due 19 March 2025 …
// is simpler by hand with a due date chosen: net 14 from 1 June gives 15
// June. The run of 20 July (35 days overdue) raises it to level 1, a
// reminder without fee or interest; the run of 5 August (51 days, 16 days
// after the first) to level 2: fee 5.00 and interest at base rate + 9
// points: 16–30 June, 15 days at 2.27 + 9 = 11.27 %, and 1 July – 5 August,
// 36 days at 1.27 + 9 = 10.27 %: 1000 × (11.27 × 15 + 10.27 × 36) / 36500 =
// 1000 × 538.77 / 36500 = 14.7608… → 14.76. Total 1019.76.
func TestDunning(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	if _, err := f.p.Post(ctx, partners.Invoice{Book: book, Key: "d1", Kind: partners.InvoiceKind, Party: "10002",
		Date: day("2025-06-01"), Lines: []partners.InvoiceLine{{Account: "4100", Net: eur("840.34"), VAT: "19"}}}); err != nil {
		t.Fatal(err)
	}
	r1, err := f.p.Dun(ctx, book, day("2025-07-20"))
	if err != nil {
		t.Fatal(err)
	}
	if len(r1.Notices) != 1 || r1.Notices[0].Level != 1 || !r1.Notices[0].Fee.IsZero() || !r1.Notices[0].Interest.IsZero() ||
		r1.Notices[0].Items[0].DaysOverdue != 35 {
		t.Fatalf("first run %+v", r1.Notices)
	}
	again, err := f.p.Dun(ctx, book, day("2025-07-20"))
	if err != nil || !again.CreatedAt.Equal(r1.CreatedAt) || len(again.Notices) != 1 {
		t.Errorf("rerun: %v", err)
	}
	// Within the interval nothing is dunned again.
	r15, err := f.p.Dun(ctx, book, day("2025-07-30"))
	if err != nil || len(r15.Notices) != 0 {
		t.Errorf("run within the interval: %v %+v", err, r15.Notices)
	}
	r2, err := f.p.Dun(ctx, book, day("2025-08-05"))
	if err != nil {
		t.Fatal(err)
	}
	n := r2.Notices[0]
	if n.Level != 2 || n.Fee != eur("5.00") || n.Interest != eur("14.76") || n.Total != eur("1019.76") {
		t.Errorf("second run: level %d fee %s interest %s total %s", n.Level, n.Fee, n.Interest, n.Total)
	}
	if _, err := f.p.Dun(ctx, book, day("2025-08-01")); !errors.Is(err, partners.ErrInvalid) {
		t.Errorf("run before the latest: err = %v", err)
	}
	it, _ := f.p.Item(ctx, book, "RE00001")
	if it.DunningLevel != 2 || it.LastDunned != day("2025-08-05") {
		t.Errorf("item level %d last %s", it.DunningLevel, it.LastDunned)
	}
}

func TestDefaultInterest(t *testing.T) {
	rates := partners.GermanBaseRates()
	for _, tc := range []struct {
		name, due, until string
		consumer         bool
		want             string
		err              error
	}{
		// 10000.00 × 10.27 % × 30 / 365 = 84.4109… → 84.41
		{"one rate", "2025-08-31", "2025-09-30", false, "84.41", nil},
		// consumer: 10000.00 × 6.27 % × 30 / 365 = 51.5342… → 51.53
		{"consumer", "2025-08-31", "2025-09-30", true, "51.53", nil},
		// 2024-12-31 … 2025-01-01: one day at 3.37 + 9 and one at 2.27 + 9:
		// 10000 × (12.37 + 11.27) / 36500 = 6.4767… → 6.48
		{"across a change", "2024-12-30", "2025-01-01", false, "6.48", nil},
		{"not due", "2025-09-30", "2025-09-30", false, "0.00", nil},
		{"beyond the table", "2026-06-01", "2026-07-01", false, "", partners.ErrNoRate},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := partners.DefaultInterest(rates, eur("10000.00"), day(tc.due), day(tc.until), tc.consumer)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if err == nil && got != eur(tc.want) {
				t.Errorf("interest = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestInvoiceErrors(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	good := partners.Invoice{Book: book, Key: "k", Kind: partners.InvoiceKind, Party: "10001", Date: day("2025-05-02"),
		Lines: []partners.InvoiceLine{{Account: "4100", Net: eur("10.00"), VAT: "19"}}}
	for _, tc := range []struct {
		name   string
		change func(*partners.Invoice)
		want   error
	}{
		{"no key", func(i *partners.Invoice) { i.Key = "" }, partners.ErrInvalid},
		{"no lines", func(i *partners.Invoice) { i.Lines = nil }, partners.ErrInvalid},
		{"negative net", func(i *partners.Invoice) { i.Lines[0].Net = eur("-1.00") }, partners.ErrInvalid},
		{"unknown VAT code", func(i *partners.Invoice) { i.Lines[0].VAT = "16" }, partners.ErrNoAccount},
		{"unknown party", func(i *partners.Invoice) { i.Party = "19999" }, partners.ErrUnknownParty},
		{"foreign currency", func(i *partners.Invoice) { i.Lines[0].Net = money.MustParse("10.00", money.USD) }, partners.ErrCurrency},
		{"due before date", func(i *partners.Invoice) { i.DueDate = day("2025-05-01") }, partners.ErrInvalid},
		{"credit note without invoice", func(i *partners.Invoice) { i.Kind = partners.CreditNoteKind }, partners.ErrInvalid},
		{"unknown account", func(i *partners.Invoice) { i.Lines[0].Account = "9999" }, ledger.ErrUnknownAccount},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inv := good
			inv.Lines = append([]partners.InvoiceLine(nil), good.Lines...)
			tc.change(&inv)
			if _, err := f.p.Post(ctx, inv); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
	// None of them used a number.
	inv, err := f.p.Post(ctx, good)
	if err != nil || inv.Number != "RE00001" {
		t.Errorf("first good invoice %q, %v", inv.Number, err)
	}
}

// TestOpening: an opening item of 500.00 from the old system, posted
// against the opening balance account, is settled like an invoice (a
// discount on it corrects no VAT), and Verify accepts it.
func TestOpening(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	o := partners.Opening{Book: book, ID: "ALT-2024-17", Party: "10002", Date: day("2024-12-10"), DueDate: day("2024-12-24"),
		Amount: eur("500.00"), Posted: day("2025-01-01"), Offset: "3100"}
	it, err := f.p.PostOpening(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(lines(t, f.l, it.Entry), []string{"1200 500.00 item=ALT-2024-17", "3100 -500.00"}); diff != "" {
		t.Errorf("opening entry (-got +want):\n%s", diff)
	}
	if again, err := f.p.PostOpening(ctx, o); err != nil || again.Entry != it.Entry {
		t.Errorf("again: %v", err)
	}
	o.Amount = eur("501.00")
	if _, err := f.p.PostOpening(ctx, o); !errors.Is(err, partners.ErrConflict) {
		t.Errorf("changed: err = %v, want ErrConflict", err)
	}
	if _, err := f.p.Settle(ctx, partners.Payment{Book: book, Key: "p", Party: "10002", Date: day("2025-01-15"), Account: "1120",
		Amount: eur("500.00")}); err != nil {
		t.Fatal(err)
	}
	if err := f.p.Verify(ctx, book); err != nil {
		t.Error(err)
	}
}

// TestNoLineCodes: a mapping whose VAT codes name no package vat code
// posts the lines without one, as before codes were posted.
func TestNoLineCodes(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	acc := partners.DefaultAccounts()
	for i := range acc.VAT {
		acc.VAT[i].Sales, acc.VAT[i].Purchases = "", ""
	}
	p := partners.New(f.store, &partners.Options{Accounts: acc})
	inv, err := p.Post(ctx, partners.Invoice{Book: book, Key: "plain", Kind: partners.InvoiceKind, Party: "10001",
		Date: day("2025-03-03"), Lines: []partners.InvoiceLine{{Account: "4100", Net: eur("1000.00"), VAT: "19"}, {Account: "4100", Net: eur("250.00"), VAT: "7"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"1200 1457.50 item=RE00001", "4100 -1000.00", "4100 -250.00", "2120 -190.00", "2120 -17.50"}
	if diff := cmp.Diff(lines(t, f.l, inv.Entry), want); diff != "" {
		t.Errorf("invoice entry (-got +want):\n%s", diff)
	}
	pay, err := p.Settle(ctx, partners.Payment{Book: book, Key: "bank-1", Party: "10001", Date: day("2025-03-12"),
		Account: "1120", Amount: eur("1428.35")})
	if err != nil {
		t.Fatal(err)
	}
	// The discount's net part on one line, as the codes' shares add up.
	want = []string{"1120 1428.35", "1200 -1457.50 item=RE00001", "4100 25.00", "2120 3.80", "2120 0.35"}
	if diff := cmp.Diff(lines(t, f.l, pay.Entry), want); diff != "" {
		t.Errorf("payment entry (-got +want):\n%s", diff)
	}
}
