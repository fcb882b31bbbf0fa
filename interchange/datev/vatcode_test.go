package datev_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"
	"golang.org/x/text/encoding/charmap"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/interchange/datev"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/store/memory"
	"github.com/openbackoffice/backoffice/vat"
)

// newDefaultBook returns a ledger with book id on the default chart, and
// options for it without a VAT table, as vat.For leaves them for that
// chart.
func newDefaultBook(t testing.TB, id string) (*ledger.Ledger, ledger.Book, *datev.Options) {
	t.Helper()
	ctx := context.Background()
	l := ledger.New(memory.New(), nil)
	b := ledger.Book{ID: id, Name: "Test GmbH", Currency: eur("0").Currency()}
	if err := l.CreateBook(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := l.CreateAccounts(ctx, ledger.DefaultChart(id)...); err != nil {
		t.Fatal(err)
	}
	chart, err := l.Accounts(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := vat.For(chart); ok {
		t.Fatal("the default chart has a DATEV VAT table")
	}
	return l, b, &datev.Options{Consultant: 29098, Client: 55003, Chart: chart,
		Created: time.Date(2025, 4, 2, 9, 30, 15, 0, time.UTC)}
}

func coded(account, amount, code string) ledger.Line {
	return ledger.Line{Account: account, Amount: eur(amount), Dimensions: map[string]string{vat.Dimension: code}}
}

// vatCodeEntries are hand-worked entries on the default chart whose lines
// carry VAT codes.
func vatCodeEntries(book string) []ledger.Entry {
	d := date.MustParse("2025-03-05")
	return []ledger.Entry{
		// 1: 1,000.00 at 19 %: DATEV computes 1,190.00 × 19/119 = 190.00
		// from the gross amount with BU-Schlüssel 3, the tax booked.
		{Book: book, Key: "v1", Date: d, Voucher: "RE-1", Description: "Rechnung 1", Lines: []ledger.Line{
			coded("4100", "-1000.00", "USt19"),
			coded("2120", "-190.00", "USt19"),
			ledger.Debit("1200", eur("1190.00")),
		}},
		// 2: the tax of 30.55 on the total, 5.80 (5.8045), spread over the
		// lines by net amount (money.Allocate): 580 × 1000/3055 = 189.85,
		// × 1015/3055 = 192.70, × 1040/3055 = 197.45; the two cents left go
		// to the largest remainders: 1.90, 1.93, 1.97. DATEV computes 1.90
		// from 11.90 and 1.93 from 12.08 (1.9287), but 1.98 from 12.37
		// (235.03/119 = 1.97504), not 1.97: the tax stays a booking of its
		// own, the revenue net without BU-Schlüssel.
		{Book: book, Key: "v2", Date: d, Voucher: "RE-2", Description: "Rechnung 2", Lines: []ledger.Line{
			coded("4100", "-10.00", "USt19"),
			coded("4100", "-10.15", "USt19"),
			coded("4100", "-10.40", "USt19"),
			coded("2120", "-5.80", "USt19"),
			ledger.Debit("1200", eur("36.35")),
		}},
		// 3: a customer's invoice at 7 %: 214.00 × 7/107 = 14.00, the
		// personal account as Konto, 4100 with BU-Schlüssel 2.
		{Book: book, Key: "v3", Date: d, Voucher: "RE-3", Description: "Rechnung 3", Lines: []ledger.Line{
			coded("4100", "-200.00", "USt7"),
			coded("2120", "-14.00", "USt7"),
			{Account: "1200", Amount: eur("214.00"), Dimensions: map[string]string{"party": "10001"}},
		}},
		// 4: a supplier's bill at 19 %: 238.00 × 19/119 = 38.00 input tax,
		// 6400 with BU-Schlüssel 9 against the payables.
		{Book: book, Key: "v4", Date: d, Voucher: "ER-4", Description: "Büromaterial", Lines: []ledger.Line{
			coded("6400", "200.00", "VSt19"),
			coded("1400", "38.00", "VSt19"),
			ledger.Credit("2110", eur("238.00")),
		}},
	}
}

func TestExportVATCodeBU(t *testing.T) {
	ctx := context.Background()
	l, b, o := newDefaultBook(t, "t")
	if _, err := l.PostBatch(ctx, vatCodeEntries("t")); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	res, err := datev.WriteBookings(ctx, &buf, l, b, date.MustParse("2025-03-01"), date.MustParse("2025-03-31"), o)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\r\n"), "\r\n")
	type row struct {
		Umsatz, SH, WKZ, Kurs, Basis, WKZBasis, Konto, Gegenkonto, BU, Datum, Beleg, Text, Kost1, Art1, Inhalt1, Art2, Festschreibung string
	}
	want := []row{
		// Entry 1: one booking, 1.190,00 S on 1200 against 4100 with the
		// BU-Schlüssel of USt19; the code is in the key, not repeated.
		{"1190,00", "S", "EUR", "", "", "", "1200", "4100", "3", "0503", "RE-1", "Rechnung 1", "", "", "", "", "0"},
		// Entry 2: split as booked, the code as Zusatzinformation.
		{"10,00", "S", "EUR", "", "", "", "1200", "4100", "", "0503", "RE-2", "Rechnung 2", "", "vat", "USt19", "", "0"},
		{"10,15", "S", "EUR", "", "", "", "1200", "4100", "", "0503", "RE-2", "Rechnung 2", "", "vat", "USt19", "", "0"},
		{"10,40", "S", "EUR", "", "", "", "1200", "4100", "", "0503", "RE-2", "Rechnung 2", "", "vat", "USt19", "", "0"},
		{"5,80", "S", "EUR", "", "", "", "1200", "2120", "", "0503", "RE-2", "Rechnung 2", "", "vat", "USt19", "", "0"},
		// Entry 3: the personal account as Konto.
		{"214,00", "S", "EUR", "", "", "", "10001", "4100", "2", "0503", "RE-3", "Rechnung 3", "", "", "", "", "0"},
		// Entry 4: the payables credited, 6400 with BU-Schlüssel 9.
		{"238,00", "H", "EUR", "", "", "", "2110", "6400", "9", "0503", "ER-4", "B\xfcromaterial", "", "", "", "", "0"},
	}
	var got []row
	for _, ln := range lines[2:] {
		f := splitLine(ln)
		got = append(got, row{f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[13], f[36], f[47], f[48], f[49], f[113]})
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("bookings (-want +got):\n%s", d)
	}
	if res.Entries != 4 || res.Bookings != 7 {
		t.Errorf("result %d entries, %d bookings, want 4 and 7", res.Entries, res.Bookings)
	}
	var notes []string
	for _, n := range res.Notices {
		notes = append(notes, n.String())
	}
	wantNotes := []string{"entry 2: BU-Schlüssel: tax 5.80 EUR of VAT code USt19 on 2120 booked on its own, 4100 without BU-Schlüssel 3: " +
		"DATEV would compute 1.98 EUR from the gross 12.37 EUR on 4100, not 1.97 EUR"}
	if d := cmp.Diff(wantNotes, notes); d != "" {
		t.Errorf("notices (-want +got):\n%s", d)
	}
}

// TestVATCodeNotMerged checks the cases in which a code's tax stays a
// booking of its own, each with its notice, and codes without a
// BU-Schlüssel, which are exported as before.
func TestVATCodeNotMerged(t *testing.T) {
	_, _, o := newDefaultBook(t, "t")
	d := date.MustParse("2025-03-05")
	for _, tc := range []struct {
		name   string
		lines  []ledger.Line
		wantBU []string
		notes  []string
	}{
		{"no BU-Schlüssel (USt0)", []ledger.Line{coded("4100", "-50.00", "USt0"), ledger.Debit("1200", eur("50.00"))}, []string{""}, nil},
		{"no BU-Schlüssel (IGL)", []ledger.Line{coded("4100", "-50.00", "IGL"), ledger.Debit("1200", eur("50.00"))}, []string{""}, nil},
		{"tax on the account of another direction", []ledger.Line{
			coded("4100", "-100.00", "USt19"), coded("1400", "-19.00", "USt19"), ledger.Debit("1200", eur("119.00")),
		}, []string{"", ""}, []string{"entry 7: BU-Schlüssel: tax 19.00 EUR of VAT code USt19 on 1400 booked on its own, 4100 without BU-Schlüssel 3: BU-Schlüssel 3 would book the tax on 2120"}},
		{"gross split over several bookings", []ledger.Line{
			coded("4100", "-100.00", "USt19"), coded("2120", "-19.00", "USt19"), ledger.Credit("2160", eur("1.00")),
			ledger.Debit("1200", eur("60.00")), ledger.Debit("1120", eur("60.00")),
		}, []string{"", "", "", ""}, []string{"entry 7: BU-Schlüssel: tax 19.00 EUR of VAT code USt19 on 2120 booked on its own, 4100 without BU-Schlüssel 3: a gross amount would be split over several bookings, each taxed on its own"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := ledger.Posted{Entry: ledger.Entry{Key: "k", Date: d, Lines: tc.lines}, Seq: 7}
			bs, notices, err := datev.Bookings(p, eur("0").Currency(), o)
			if err != nil {
				t.Fatal(err)
			}
			var gotBU, notes []string
			for _, b := range bs {
				gotBU = append(gotBU, b.BU)
			}
			for _, n := range notices {
				notes = append(notes, n.String())
			}
			if d := cmp.Diff(tc.wantBU, gotBU); d != "" {
				t.Errorf("BU-Schlüssel (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.notes, notes); d != "" {
				t.Errorf("notices (-want +got):\n%s", d)
			}
		})
	}
}

// codedSums returns the sums of the entries' lines per account and VAT
// code: "4100 USt19" → cents.
func codedSums(lines []ledger.Line) map[string]int64 {
	out := map[string]int64{}
	for _, l := range lines {
		out[l.Account+" "+l.Dimensions[vat.Dimension]] += l.Amount.MinorUnits()
	}
	return out
}

func TestVATCodeRoundTrip(t *testing.T) {
	ctx := context.Background()
	l, b, o := newDefaultBook(t, "t")
	entries := vatCodeEntries("t")
	if _, err := l.PostBatch(ctx, entries); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := datev.WriteBookings(ctx, &buf, l, b, date.MustParse("2025-03-01"), date.MustParse("2025-03-31"), o); err != nil {
		t.Fatal(err)
	}
	l2, b2, o2 := newDefaultBook(t, "u")
	back, err := datev.ReadBookings(bytes.NewReader(buf.Bytes()), "EXTF_vat.csv", b2, o2)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != len(entries) {
		t.Fatalf("%d entries, want %d", len(back), len(entries))
	}
	for i := range entries {
		if d := cmp.Diff(codedSums(entries[i].Lines), codedSums(back[i].Lines)); d != "" {
			t.Errorf("entry %d: sums per account and VAT code (-exported +imported):\n%s", i+1, d)
		}
	}
	if _, err := l2.PostBatch(ctx, back); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(balances(t, l, "t"), balances(t, l2, "u")); d != "" {
		t.Errorf("trial balance after the round trip (-exported +imported):\n%s", d)
	}
}

// TestImportBUVATCode reads a booking with a BU-Schlüssel on a
// non-automatic SKR03 account: the gross amount splits into net and tax
// on the code's VAT account, both with the code.
func TestImportBUVATCode(t *testing.T) {
	_, b, chart := newBook(t, "t")
	header := `"EXTF";700;21;"Buchungsstapel";13;20250402093015123;;"RE";"";"";29098;55003;20250101;4;20250301;20250331;"";"";1;0;0;"EUR";;"";;;"03";;;"";""` + "\r\n"
	heads := `Umsatz (ohne Soll/Haben-Kz);Soll/Haben-Kennzeichen;WKZ Umsatz;Konto;Gegenkonto (ohne BU-Schlüssel);BU-Schlüssel;Belegdatum;Belegfeld 1;Buchungstext` + "\r\n"
	body := `119,00;"S";"EUR";1200;8200;"3";0503;"B1";"Erlöse"` + "\r\n"
	in, _ := charmap.Windows1252.NewEncoder().String(header + heads + body)
	es, err := datev.ReadBookings(strings.NewReader(in), "f.csv", b, options(chart))
	if err != nil {
		t.Fatal(err)
	}
	want := []ledger.Line{
		ledger.Debit("1200", eur("119.00")),
		coded("8200", "-100.00", "USt19"),
		coded("1776", "-19.00", "USt19"),
	}
	if len(es) != 1 {
		t.Fatalf("%d entries", len(es))
	}
	if d := cmp.Diff(want, es[0].Lines); d != "" {
		t.Errorf("lines (-want +got):\n%s", d)
	}
}

// TestExportBUVATCodeSKR03 books a code's tax with its BU-Schlüssel on a
// non-automatic SKR03 revenue account (8200 Erlöse), the tax on the
// code's account 1776: 119.00 × 19/119 = 19.00.
func TestExportBUVATCodeSKR03(t *testing.T) {
	_, _, chart := newBook(t, "t")
	p := ledger.Posted{Entry: ledger.Entry{Key: "k", Date: date.MustParse("2025-03-05"), Voucher: "B1", Description: "Erlöse", Lines: []ledger.Line{
		ledger.Debit("1200", eur("119.00")),
		coded("8200", "-100.00", "USt19"),
		coded("1776", "-19.00", "USt19"),
	}}, Seq: 1}
	bs, notices, err := datev.Bookings(p, eur("0").Currency(), options(chart))
	if err != nil {
		t.Fatal(err)
	}
	want := []datev.Booking{{Amount: eur("119.00"), Side: ledger.SideDebit, Account: "1200", Contra: "8200", BU: "3",
		Date: p.Date, Voucher: "B1", Text: "Erlöse"}}
	if d := cmp.Diff(want, bs, cmp.Comparer(decimal.Decimal.Equal), cmpopts.EquateComparable(date.Date{})); d != "" || len(notices) != 0 {
		t.Errorf("bookings (-want +got):\n%s\nnotices %v", d, notices)
	}
}
