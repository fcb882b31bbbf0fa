package journal_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/journal"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

const sample = `; A sample journal in hledger syntax
account assets:bank  ; type: A, name: Bank account
account revenue:consulting ; type: R

commodity EUR 1,000.00

2026-01-15 * (AR-1001) Consulting January  ; key: inv-1001
    ; billed on site
    ; meta.customer: K-17
    assets:receivables        EUR 1,190.00
    revenue:consulting       EUR -1000.00  ; net
        ; dim.cost_centre: 100
    liabilities:vat
    assets:receivables   0 = EUR 1190.00

2026/1/20 Customer pays
    assets:bank   €1190
    assets:receivables   -1190 EUR == EUR 0

2026.01.31 ! Fees
    expenses:bank fees    $5.00
    assets:bank   -$5
    assets:bank   0 = EUR 1190.00
`

var cmpOpts = []cmp.Option{
	cmp.Comparer(func(a, b money.Amount) bool { return a.Equal(b) }),
	cmp.Comparer(func(a, b date.Date) bool { return a == b }),
}

func TestRead(t *testing.T) {
	j, err := journal.Read(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	got := j.Entries("b")
	eur := func(s string) money.Amount { return money.MustParse(s, money.EUR) }
	usd := func(s string) money.Amount { return money.MustParse(s, money.USD) }
	want := []ledger.Entry{
		{Book: "b", Key: "inv-1001", Date: date.MustParse("2026-01-15"), Description: "Consulting January", Voucher: "AR-1001",
			Metadata: map[string]string{"comment": "billed on site", "customer": "K-17", "status": "cleared"},
			Lines: []ledger.Line{
				{Account: "assets:receivables", Amount: eur("1190.00")},
				{Account: "revenue:consulting", Amount: eur("-1000.00"), Memo: "net", Dimensions: map[string]string{"cost_centre": "100"}},
				{Account: "liabilities:vat", Amount: eur("-190.00")},
			}},
		{Book: "b", Key: got[1].Key, Date: date.MustParse("2026-01-20"), Description: "Customer pays",
			Lines: []ledger.Line{{Account: "assets:bank", Amount: eur("1190.00")}, {Account: "assets:receivables", Amount: eur("-1190.00")}}},
		{Book: "b", Key: got[2].Key, Date: date.MustParse("2026-01-31"), Description: "Fees", Metadata: map[string]string{"status": "pending"},
			Lines: []ledger.Line{{Account: "expenses:bank_fees", Amount: usd("5.00")}, {Account: "assets:bank", Amount: usd("-5.00")}}},
	}
	if diff := cmp.Diff(want, got, cmpOpts...); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(got[1].Key, "journal/") {
		t.Errorf("generated key %q", got[1].Key)
	}
	if typ, ok := j.Type("assets:bank:sub"); !ok || typ != ledger.Asset {
		t.Errorf("Type(assets:bank:sub) = %v, %v", typ, ok)
	}
	if typ, ok := j.Type("Income:x"); !ok || typ != ledger.Revenue {
		t.Errorf("Type(Income:x) = %v, %v", typ, ok)
	}
	if j.Accounts[0].Label != "Bank account" {
		t.Errorf("label %q", j.Accounts[0].Label)
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, in string
		line     int
		err      error
	}{
		{"unbalanced", "2026-01-01 x\n  a  EUR 1\n  b  EUR -2\n", 1, journal.ErrUnbalanced},
		{"two elided", "2026-01-01 x\n  a  EUR 1\n  b\n  c\n", 4, journal.ErrSyntax},
		{"assertion", "2026-01-01 x\n  a  EUR 1 = EUR 2\n  b\n", 2, journal.ErrAssertion},
		{"assertion in date order", "2026-01-02 x\n  a  EUR 1 = EUR 1\n  b\n\n2026-01-01 y\n  a  EUR 1\n  b\n", 2, journal.ErrAssertion},
		{"total assertion", "2026-01-01 x\n  a  EUR 1\n  a  USD 1 == EUR 1\n  b  EUR -1\n  b  USD -1\n", 3, journal.ErrAssertion},
		{"virtual cost", "2026-01-01 x\n  a  EUR 1 (@) USD 1.1\n  b\n", 2, journal.ErrUnsupported},
		{"virtual", "2026-01-01 x\n  (a)  EUR 1\n", 2, journal.ErrUnsupported},
		{"bad date", "2026-02-30 x\n  a  EUR 1\n  b\n", 1, journal.ErrSyntax},
		{"no year", "01/15 x\n  a  EUR 1\n  b\n", 1, journal.ErrSyntax},
		{"no commodity", "2026-01-01 x\n  a  10\n  b\n", 2, journal.ErrSyntax},
		{"custom commodity", "2026-01-01 x\n  a  10 AAPL\n  b\n", 2, journal.ErrUnsupported},
		{"scale", "2026-01-01 x\n  a  EUR 1.0001\n  b\n", 2, journal.ErrSyntax},
		{"ambiguous comma", "2026-01-01 x\n  a  EUR 1,500\n  b\n", 2, journal.ErrAmbiguous},
		{"ambiguous dot", "2026-01-01 x\n  a  EUR 1.500\n  b\n", 2, journal.ErrAmbiguous},
		{"ambiguous commodity sample", "commodity 1,000 EUR\n", 1, journal.ErrAmbiguous},
		{"bad groups", "decimal-mark ,\n2026-01-01 x\n  a  EUR 1.50\n  b\n", 3, journal.ErrSyntax},
		{"include cycle needs a file", "include other.journal\n", 1, journal.ErrUnsupported},
		{"csv include", "include csv:bank.csv\n", 1, journal.ErrUnsupported},
		{"posting date", "2026-01-01 x\n  a  EUR 1  ; date:2026-02-30\n  b\n", 2, journal.ErrSyntax},
		{"include", "include other.journal\n", 1, journal.ErrUnsupported},
		{"periodic", "~ monthly\n  a  EUR 1\n", 1, journal.ErrUnsupported},
		{"assignment", "2026-01-01 x\n  a  = EUR 1\n  b\n", 2, journal.ErrUnsupported},
		{"no postings", "2026-01-01 x\n\n", 1, journal.ErrSyntax},
		{"elided zero", "2026-01-01 x\n  a  EUR 1\n  b  EUR -1\n  c\n", 4, journal.ErrSyntax},
		{"two VAT codes", "2026-01-01 x\n  a  EUR 1  ; vat: USt19\n    ; dim.vat: USt7\n  b\n", 3, journal.ErrSyntax},
		{"two VAT tags", "2026-01-01 x\n  a  EUR 1  ; vat: USt19, vat: VSt19\n  b\n", 2, journal.ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j, err := journal.Read(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("Read = %+v, want an error", j)
			}
			var es journal.Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("error %v is not Errors", err)
			}
			if es[0].Line != tt.line || !errors.Is(es[0], tt.err) {
				t.Errorf("first error %v, want line %d wrapping %v", es[0], tt.line, tt.err)
			}
		})
	}
}

func TestReadAllErrors(t *testing.T) {
	_, err := journal.Read(strings.NewReader("2026-01-01 x\n  a  EUR 1\n\n2026-13-01 y\n  a  EUR 1\n  b\n\nfoo bar\n"))
	var es journal.Errors
	if !errors.As(err, &es) {
		t.Fatal(err)
	}
	var lines []int
	for _, e := range es {
		lines = append(lines, e.Line)
	}
	if diff := cmp.Diff([]int{1, 4, 8}, lines); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
}

// TestRoundTrip writes entries and reads them back: same entries, same keys.
func TestRoundTrip(t *testing.T) {
	eur := func(s string) money.Amount { return money.MustParse(s, money.EUR) }
	entries := []ledger.Entry{
		{Book: "b", Key: "k1", Date: date.MustParse("2026-03-01"), Description: "Sale; with a semicolon", Voucher: "V(1)", Journal: "AR",
			Metadata: map[string]string{"comment": "line one\nline two", "customer": "K-1"},
			Lines: []ledger.Line{
				{Account: "1200", Amount: eur("119.00"), Memo: "gross", Dimensions: map[string]string{"cc": "100", "project": "p 7"}},
				{Account: "8400", Amount: eur("-100.00")}, {Account: "1776", Amount: eur("-19.00"), Memo: "vat\nsecond"},
			}},
		{Book: "b", Key: "k2", Date: date.MustParse("2026-03-02"), Description: "Pay", Voucher: "V2",
			Lines: []ledger.Line{{Account: "1000", Amount: eur("119.00")}, {Account: "1200", Amount: eur("-119.00")}}},
	}
	accounts := []ledger.Account{{Code: "1000", Name: "Bank, main", Type: ledger.Asset}, {Code: "8400", Name: "Revenue", Type: ledger.Revenue}}
	var buf bytes.Buffer
	if err := journal.Write(&buf, accounts, entries); err != nil {
		t.Fatal(err)
	}
	j, err := journal.Read(&buf)
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	got := j.Entries("b")
	if diff := cmp.Diff(entries, got, cmpOpts...); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if j.Accounts[0].Label != "Bank, main" || j.Accounts[1].Type != ledger.Revenue {
		t.Errorf("accounts %+v", j.Accounts)
	}
}

// TestWriteSyntax checks the output against hledger's documented journal
// syntax (hledger is not installed here): a date at column 0, postings
// indented, account and amount separated by two spaces, a commodity symbol
// left of the amount with a space, comments after "  ;", account
// directives with a type: tag.
func TestWriteSyntax(t *testing.T) {
	var buf bytes.Buffer
	err := journal.Write(&buf, []ledger.Account{{Code: "1200", Name: "AR", Type: ledger.Asset}}, []ledger.Entry{{
		Key: "k", Date: date.MustParse("2026-03-01"), Description: "Sale", Voucher: "INV-1",
		Lines: []ledger.Line{{Account: "1200", Amount: money.MustParse("-1234.50", money.EUR), Memo: "m"},
			{Account: "8400", Amount: money.MustParse("1234.50", money.EUR)}}}})
	if err != nil {
		t.Fatal(err)
	}
	want := "commodity EUR 1000.00\n\n" +
		"account 1200 AR  ; type: A, code: 1200, name: AR\n\n" +
		"2026-03-01 (INV-1) Sale\n" +
		"    ; key: k\n" +
		"    1200 AR  EUR -1234.50  ; m\n" +
		"    8400  EUR 1234.50\n\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
}

// bigJournal returns a journal of n transactions.
func bigJournal(n int) []byte {
	var b bytes.Buffer
	b.WriteString("account assets:bank  ; type: A\n\n")
	d := date.MustParse("2026-01-01")
	for i := range n {
		fmt.Fprintf(&b, "%s * (INV-%d) Sale %d  ; key: s-%d\n    assets:receivables  EUR %d.%02d\n    revenue:sales  EUR -%d.%02d  ; net\n    liabilities:vat\n\n",
			d.AddDays(i%365), i, i, i, 100+i%1000, i%100, 80+i%900, i%100)
	}
	return b.Bytes()
}

func BenchmarkRead(b *testing.B) {
	data := bigJournal(100_000)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		j, err := journal.Read(bytes.NewReader(data))
		if err != nil || len(j.Transactions) != 100_000 {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(100_000*b.N)/b.Elapsed().Seconds(), "tx/s")
}

func FuzzRead(f *testing.F) {
	f.Add(sample)
	f.Add("2026-01-01 x\n  a  EUR 1 = EUR 1\n  b\n")
	f.Add("account a ; type: X\n2026/1/1 (c) d ; key: k\n  ; c\n  a  $1,000.00\n  b  -1000 USD == USD -1000\n")
	f.Add("2025-01-15 x\n  usd  USD 100.00 @ EUR 0.92\n  eur\n\n2025-01-16 y\n  eur  EUR -92.00\n  usd  USD 60.00\n  usd  USD 40.00\n")
	f.Fuzz(func(t *testing.T, in string) {
		j, err := journal.Read(strings.NewReader(in))
		if err != nil {
			var es journal.Errors
			if !errors.As(err, &es) || len(es) == 0 || j != nil {
				t.Fatalf("error %v is not a non-empty Errors, or a journal came with it", err)
			}
			for _, e := range es {
				if e.Line < 1 {
					t.Fatalf("error without a line: %v", e)
				}
			}
			return
		}
		// Everything read balances (in EUR, costs and conversions at their
		// base amounts), and writes and reads back the same.
		entries, _, err := j.EntriesIn("b", money.EUR)
		if err != nil {
			var es journal.Errors
			if !errors.As(err, &es) || len(es) == 0 || es[0].Line < 1 {
				t.Fatalf("EntriesIn: %v is not Errors with lines", err)
			}
			return
		}
		for _, e := range entries {
			sums := map[money.Currency]int64{}
			for _, l := range e.Lines {
				if l.Converted() {
					sums[l.Base.Currency()] += l.Base.MinorUnits()
					continue
				}
				sums[l.Amount.Currency()] += l.Amount.MinorUnits()
			}
			for c, s := range sums {
				if s != 0 {
					t.Fatalf("entry %q unbalanced in %s", e.Key, c)
				}
			}
		}
		var buf bytes.Buffer
		if err := journal.Write(&buf, nil, entries); err != nil {
			t.Fatal(err)
		}
		j2, err := journal.Read(&buf)
		if err != nil {
			t.Fatalf("reading written journal: %v\n%s", err, buf.String())
		}
		entries2, _, err := j2.EntriesIn("b", money.EUR)
		if err != nil {
			t.Fatalf("EntriesIn of the written journal: %v\n%s", err, buf.String())
		}
		if diff := cmp.Diff(balances(entries), balances(entries2)); diff != "" {
			t.Fatalf("balances differ after round trip (-want +got):\n%s", diff)
		}
	})
}

func balances(es []ledger.Entry) map[string]int64 {
	m := map[string]int64{}
	for _, e := range es {
		for _, l := range e.Lines {
			m[l.Account+" "+l.Amount.Currency().Code()] += l.Amount.MinorUnits()
		}
	}
	return m
}

// TestEntriesWithLines: a transaction that only asserts a balance yields no
// entry, and the lines of the entries after it still name their own
// transactions.
func TestEntriesWithLines(t *testing.T) {
	src := "2026-01-01 opening\n" +
		"    assets:bank    EUR 100.00\n" +
		"    equity:capital\n" +
		"\n" +
		"2026-01-02 check only\n" +
		"    assets:bank    EUR 0.00 = EUR 100.00\n" +
		"\n" +
		"2026-01-03 rent\n" +
		"    expenses:rent    EUR 40.00\n" +
		"    assets:bank\n"
	j, err := journal.Read(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	entries, lines := j.EntriesWithLines("b")
	var got []string
	for i, e := range entries {
		got = append(got, fmt.Sprintf("%d %s", lines[i], e.Description))
	}
	if diff := cmp.Diff(got, []string{"1 opening", "8 rent"}); diff != "" {
		t.Errorf("entries and lines (-got +want):\n%s", diff)
	}
}

// TestVATTag: a posting's "vat:" tag gives its line the dimension "vat",
// as a "dim.vat:" line does, the comment staying the memo; a
// transaction's tag gives its postings none, nor does a tag without a
// value. CheckDimensions refuses the
// codes its check refuses, with file and line.
func TestVATTag(t *testing.T) {
	in := `2025-03-03 Sale  ; vat: USt19
    assets:receivables        EUR 1190.00
    revenue:sales            EUR -1000.00  ; vat: USt19
    liabilities:vat           EUR -190.00
        ; dim.vat: USt19

2025-03-04 Sale at 7 %
    assets:receivables        EUR 107.00
    revenue:sales             EUR -100.00  ; shop, VAT:U7
    liabilities:vat             EUR -7.00  ; vat: U7
    assets:receivables          EUR 0.00  ; vat:
`
	j, err := journal.Read(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	es := j.Entries("b")
	var got []string
	for _, e := range es {
		for _, l := range e.Lines {
			got = append(got, fmt.Sprintf("%s %s vat=%q memo=%q", l.Account, l.Amount.Number(), l.Dimensions["vat"], l.Memo))
		}
	}
	want := []string{
		`assets:receivables 1190.00 vat="" memo=""`,
		`revenue:sales -1000.00 vat="USt19" memo="vat: USt19"`,
		`liabilities:vat -190.00 vat="USt19" memo=""`,
		`assets:receivables 107.00 vat="" memo=""`,
		`revenue:sales -100.00 vat="U7" memo="shop, VAT:U7"`,
		`liabilities:vat -7.00 vat="U7" memo="vat: U7"`,
	}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("lines (-got +want):\n%s", diff)
	}
	errCode := errors.New("unknown code")
	err = j.CheckDimensions(func(name, value string) error {
		if name == "vat" && value != "USt19" {
			return errCode
		}
		return nil
	})
	var list journal.Errors
	if !errors.As(err, &list) || len(list) != 2 || list[0].Line != 9 || list[1].Line != 10 || !errors.Is(err, errCode) {
		t.Errorf("CheckDimensions = %v, want lines 9 and 10 refused", err)
	}
	if err := j.CheckDimensions(func(string, string) error { return nil }); err != nil {
		t.Errorf("CheckDimensions accepting all = %v", err)
	}
	// Written and read back: the same codes.
	var buf bytes.Buffer
	if err := journal.Write(&buf, nil, es); err != nil {
		t.Fatal(err)
	}
	back, err := journal.Read(&buf)
	if err != nil {
		t.Fatalf("read back: %v\n%s", err, buf.String())
	}
	bes := back.Entries("b")
	for i := range es {
		for k := range es[i].Lines {
			if g, w := bes[i].Lines[k].Dimensions["vat"], es[i].Lines[k].Dimensions["vat"]; g != w {
				t.Errorf("entry %d line %d read back with VAT code %q, want %q", i, k, g, w)
			}
		}
	}
}
