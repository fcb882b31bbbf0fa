package reconcile_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/openbackoffice/backoffice/bank/camt"
	"github.com/openbackoffice/backoffice/bank/camt/camttest"
	"github.com/openbackoffice/backoffice/bank/reconcile"
	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/partners"
	"github.com/openbackoffice/backoffice/reporting"
	"github.com/openbackoffice/backoffice/store/memory"
)

func eur(s string) money.Amount { return money.MustParse(s, money.EUR) }

var feeRule = reconcile.Rule{Name: "fees", Kind: reconcile.RuleText, Pattern: "(?i)entgelt|gebühr", Direction: "debit", Account: "6900", Description: "Bank fees"}

// books is a December of a small company: opening balance 10,000.00 on the
// bank (1120), rent 1,500.00 on the 3rd, a customer invoice of 1,190.00
// (1,000.00 + 19 %), a supplier invoice of 595.00 paid on the 15th with an
// end-to-end ID, and the net pay of a run (1,200.00 + 1,280.55) paid on
// the 28th.
func books(t *testing.T) (*ledger.Ledger, *partners.Parties, *memory.Store, partners.Invoice) {
	t.Helper()
	ctx := context.Background()
	s := memory.New()
	l := ledger.New(s, nil)
	if err := l.CreateBook(ctx, ledger.Book{ID: "acme", Name: "Acme", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	if err := l.CreateAccounts(ctx, ledger.DefaultChart("acme")...); err != nil {
		t.Fatal(err)
	}
	d := date.MustParse
	post := func(e ledger.Entry) {
		t.Helper()
		e.Book = "acme"
		if _, err := l.Post(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	post(ledger.Entry{Key: "opening", Date: d("2026-11-30"), Lines: []ledger.Line{ledger.Debit("1120", eur("10000.00")), ledger.Credit("3100", eur("10000.00"))}})
	post(ledger.Entry{Key: "rent", Date: d("2026-12-03"), Description: "Rent", Lines: []ledger.Line{ledger.Debit("6200", eur("1500.00")), ledger.Credit("1120", eur("1500.00"))}})
	p := partners.New(s, &partners.Options{Accounts: partners.DefaultAccounts()})
	if err := p.AddParties(ctx, partners.Party{Book: "acme", Number: "10001", Role: partners.Customer, Name: "Kunde", Terms: partners.Terms{NetDays: 14}},
		partners.Party{Book: "acme", Number: "70001", Role: partners.Supplier, Name: "Lieferant", Terms: partners.Terms{NetDays: 30}}); err != nil {
		t.Fatal(err)
	}
	inv, err := p.Post(ctx, partners.Invoice{Book: "acme", Key: "ar-1", Kind: partners.InvoiceKind, Party: "10001", Date: d("2026-12-02"),
		Lines: []partners.InvoiceLine{{Account: "4100", Net: eur("1000.00"), VAT: "19"}}})
	if err != nil {
		t.Fatal(err)
	}
	bill, err := p.Post(ctx, partners.Invoice{Book: "acme", Key: "ap-1", Kind: partners.InvoiceKind, Party: "70001", Date: d("2026-12-05"),
		Lines: []partners.InvoiceLine{{Account: "5000", Net: eur("500.00"), VAT: "19"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Settle(ctx, partners.Payment{Book: "acme", Key: "pay-1", Party: "70001", Date: d("2026-12-15"), Account: "1120",
		Amount: eur("595.00"), EndToEndID: "PAY-70001-1", Allocations: []partners.Allocation{{Item: bill.Number, Amount: eur("595.00")}}}); err != nil {
		t.Fatal(err)
	}
	post(ledger.Entry{Key: "payroll-payment/acme/2026-12", Date: d("2026-12-28"), Description: "Net pay 2026-12", Lines: []ledger.Line{
		{Account: "2130", Amount: eur("1200.00"), Dimensions: map[string]string{"employee": "E1"}},
		{Account: "2130", Amount: eur("1280.55"), Dimensions: map[string]string{"employee": "E2"}},
		ledger.Credit("1120", eur("2480.55"))}})
	return l, p, s, inv
}

// statement plays the bank for December: the book's lines on 1120, the
// customer's receipt of the invoice on the 20th and a fee of 15.00 on the
// 31st: 10,000.00 − 1,500.00 − 595.00 + 1,190.00 − 2,480.55 − 15.00 =
// 6,599.45.
func statement(t *testing.T, l *ledger.Ledger, inv partners.Invoice) camt.Statement {
	t.Helper()
	d := date.MustParse
	bank := camttest.Bank{Book: "acme", Account: "1120", IBAN: "DE02120300000000202051", Currency: money.EUR}
	st, err := bank.Statement(context.Background(), l, d("2026-12-01"), d("2026-12-31"), []camt.Line{
		{Booked: d("2026-12-20"), Amount: eur("1190.00"), Counterparty: "Kunde", Text: "Rechnung " + inv.Number},
		{Booked: d("2026-12-31"), Amount: eur("-15.00"), Text: "Entgelt Kontofuehrung"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if st.Opening != eur("10000.00") || st.Closing != eur("6599.45") || len(st.Lines) != 5 {
		t.Fatalf("statement: opening %s, closing %s, %d lines", st.Opening, st.Closing, len(st.Lines))
	}
	return st
}

// TestReconcileMonth imports a month's camt.053 statement that the test
// bank wrote (salary debits, a customer receipt, a fee) and reconciles it to
// zero open items: each line by the rule worked out by hand.
func TestReconcileMonth(t *testing.T) {
	ctx := context.Background()
	l, p, s, inv := books(t)
	st := statement(t, l, inv)
	var buf bytes.Buffer
	if err := camt.WriteCAMT053(&buf, "MSG-2026-12", []camt.Statement{st}); err != nil {
		t.Fatal(err)
	}
	read, err := camt.ReadCAMT053(&buf, "2026-12.xml", &camt.Options{Currency: money.EUR})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2027, 1, 2, 9, 0, 0, 0, time.UTC)
	r := reconcile.New(s, l, &reconcile.Options{Parties: p, Now: func() time.Time { return now }})
	if _, added, err := r.Import(ctx, "acme", "1120", read[0]); err != nil || !added {
		t.Fatalf("Import: %v, %v", added, err)
	}
	if _, added, err := r.Import(ctx, "acme", "1120", read[0]); err != nil || added {
		t.Errorf("Import again: added %v, err %v; want false, nil", added, err)
	}
	changed := read[0]
	changed.Lines = append([]camt.Line(nil), changed.Lines...)
	changed.Lines[4].Text = "another text"
	if _, _, err := r.Import(ctx, "acme", "1120", changed); !errors.Is(err, reconcile.ErrConflict) {
		t.Errorf("the same statement with other content: %v, want ErrConflict", err)
	}
	rules := append(reconcile.DefaultRules(), feeRule)
	// Without posting: links and proposals.
	res, err := r.Reconcile(ctx, "acme", "1120", rules, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Matches) != 3 || len(res.Proposals) != 2 || res.Posted != 0 {
		t.Errorf("dry run: %d matches, %d proposals, %d posted; want 3, 2, 0", len(res.Matches), len(res.Proposals), res.Posted)
	}
	res, err = r.Reconcile(ctx, "acme", "1120", rules, true)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"open-items": 1, "fees": 1}
	if len(res.Unmatched) != 0 || res.Posted != 2 || len(res.ByRule) != 2 || res.ByRule["open-items"] != want["open-items"] || res.ByRule["fees"] != 1 {
		t.Errorf("post: %+v", res.ByRule)
	}
	lines, err := s.Lines(ctx, "acme", reconcile.LineQuery{Account: "1120"})
	if err != nil {
		t.Fatal(err)
	}
	gotRules := []string{}
	for _, l := range lines {
		gotRules = append(gotRules, l.Rule)
	}
	if got, want := strings.Join(gotRules, ","), "book-lines,end-to-end,open-items,payroll,fees"; got != want {
		t.Errorf("rules by line: %s, want %s", got, want)
	}
	it, err := p.Item(ctx, "acme", inv.Number)
	if err != nil {
		t.Fatal(err)
	}
	if !it.Open.IsZero() {
		t.Errorf("invoice %s open %s after its receipt, want 0", inv.Number, it.Open)
	}
	fee, err := l.EntryByKey(ctx, "acme", reconcile.PostingKey("1120", lines[4].Ref))
	if err != nil || fee.Voucher != lines[4].Ref || fee.Lines[1].Account != "6900" {
		t.Errorf("fee entry %+v, %v", fee, err)
	}
	status, err := r.Status(ctx, "acme", "1120", date.Date{})
	if err != nil {
		t.Fatal(err)
	}
	if status.Open() != 0 || status.BankBalance != eur("6599.45") || status.BookBalance != eur("6599.45") || !status.StartDifference.IsZero() {
		t.Errorf("status: %d open, bank %s, book %s, start %s", status.Open(), status.BankBalance, status.BookBalance, status.StartDifference)
	}
	// Again: nothing to do.
	res, err = r.Reconcile(ctx, "acme", "1120", rules, true)
	if err != nil || len(res.Lines) != 0 || res.Posted != 0 {
		t.Errorf("rerun: %d lines, %d posted, %v", len(res.Lines), res.Posted, err)
	}
	rep, err := r.Report(ctx, "acme", "1120", date.Date{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range rep.Checks {
		if !c.OK() {
			t.Errorf("check %s: %s ≠ %s", c.Label, c.Left, c.Right)
		}
	}
	var text bytes.Buffer
	if err := reporting.WriteText(&text, rep, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "6,599.45") && !strings.Contains(text.String(), "6599.45") {
		t.Errorf("report:\n%s", text.String())
	}
}

// TestReconcileOpenItems leaves a line unmatched and a book line off the
// statement, and finds both in the report, whose check still holds.
func TestReconcileOpenItems(t *testing.T) {
	ctx := context.Background()
	l, p, s, inv := books(t)
	st := statement(t, l, inv)
	r := reconcile.New(s, l, &reconcile.Options{Parties: p})
	if _, _, err := r.Import(ctx, "acme", "1120", st); err != nil {
		t.Fatal(err)
	}
	// A cheque the bank has not cashed yet.
	if _, err := l.Post(ctx, ledger.Entry{Book: "acme", Key: "cheque", Date: date.MustParse("2026-12-30"), Description: "Cheque 17",
		Lines: []ledger.Line{ledger.Debit("6200", eur("99.00")), ledger.Credit("1120", eur("99.00"))}}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Reconcile(ctx, "acme", "1120", reconcile.DefaultRules(), true); err != nil { // no fee rule
		t.Fatal(err)
	}
	status, err := r.Status(ctx, "acme", "1120", date.Date{})
	if err != nil {
		t.Fatal(err)
	}
	if len(status.NotInBooks) != 1 || status.NotInBooks[0].Amount != eur("-15.00") || len(status.NotOnStatement) != 1 || status.NotOnStatement[0].Amount != eur("-99.00") {
		t.Errorf("open items: %+v, %+v", status.NotInBooks, status.NotOnStatement)
	}
	// 6,599.45 + 15.00 − 99.00 = 6,515.45, the book balance.
	rep, err := r.Report(ctx, "acme", "1120", date.Date{})
	if err != nil {
		t.Fatal(err)
	}
	if c := rep.Checks[0]; !c.OK() || c.Right != eur("6515.45") {
		t.Errorf("check %s: %s vs %s", c.Label, c.Left, c.Right)
	}
}

func TestImportErrors(t *testing.T) {
	ctx := context.Background()
	l, p, s, inv := books(t)
	st := statement(t, l, inv)
	r := reconcile.New(s, l, &reconcile.Options{Parties: p})
	usd := st
	usd.Currency = money.USD
	if _, _, err := r.Import(ctx, "acme", "1120", usd); !errors.Is(err, camt.ErrCurrency) {
		t.Errorf("USD statement: %v", err)
	}
	if _, _, err := r.Import(ctx, "acme", "9999", st); !errors.Is(err, reconcile.ErrInvalid) {
		t.Errorf("unknown account: %v", err)
	}
	gap := st
	gap.Closing = eur("6599.00")
	var be *camt.BalanceError
	if _, _, err := r.Import(ctx, "acme", "1120", gap); !errors.As(err, &be) || be.Gap != eur("-0.45") {
		t.Errorf("gap: %v", err)
	}
	if _, _, err := r.Import(ctx, "acme", "1120", st); err != nil {
		t.Fatal(err)
	}
	other := st
	other.ID, other.Account = "OTHER", "DE89370400440532013000"
	if _, _, err := r.Import(ctx, "acme", "1120", other); !errors.Is(err, reconcile.ErrInvalid) {
		t.Errorf("another bank account: %v", err)
	}
	dup := st
	dup.ID = "STMT-AGAIN"
	if _, _, err := r.Import(ctx, "acme", "1120", dup); !errors.Is(err, reconcile.ErrConflict) {
		t.Errorf("lines imported before under another statement: %v", err)
	}
	if lines, _ := s.Lines(ctx, "acme", reconcile.LineQuery{}); len(lines) != 5 {
		t.Errorf("%d lines stored, want 5", len(lines))
	}
}

func TestReadRules(t *testing.T) {
	rs, err := reconcile.ReadRules(strings.NewReader(`{"rules": [{"name": "e2e", "kind": "end_to_end"},
		{"name": "fees", "kind": "text", "pattern": "(?i)entgelt", "direction": "debit", "account": "6900"}]}`))
	if err != nil || len(rs) != 2 {
		t.Fatalf("%v %v", rs, err)
	}
	for _, bad := range []string{
		`{"rules": [{"name": "x", "kind": "magic"}]}`,
		`{"rules": [{"name": "x", "kind": "text", "pattern": "("}]}`,
		`{"rules": [{"name": "x", "kind": "text", "pattern": "a"}]}`,
		`{"rules": [{"name": "x", "kind": "end_to_end"}, {"name": "x", "kind": "end_to_end"}]}`,
		`{"rules": [{"name": "x", "kind": "book_lines", "days": -1}]}`,
		`{"rules": [{"name": "x", "kind": "book_lines", "colour": "red"}]}`,
	} {
		if _, err := reconcile.ReadRules(strings.NewReader(bad)); !errors.Is(err, reconcile.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", bad, err)
		}
	}
}
