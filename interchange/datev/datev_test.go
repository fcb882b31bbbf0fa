package datev_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/charmap"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/interchange/datev"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/memory"
	"github.com/openbackoffice/backoffice/vat"
)

func eur(s string) money.Amount { return money.MustParse(s, money.EUR) }

func newBook(t testing.TB, id string) (*ledger.Ledger, ledger.Book, []ledger.Account) {
	t.Helper()
	ctx := context.Background()
	l := ledger.New(memory.New(), nil)
	b := ledger.Book{ID: id, Name: "Test GmbH", Currency: money.EUR}
	if err := l.CreateBook(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := l.CreateAccounts(ctx, ledger.SKR03(id)...); err != nil {
		t.Fatal(err)
	}
	chart, err := l.Accounts(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return l, b, chart
}

func options(chart []ledger.Account) *datev.Options {
	return &datev.Options{Consultant: 29098, Client: 55003, Chart: chart, VAT: vat.SKR03(),
		Description: "März 2025", Initials: "WD",
		Created: time.Date(2025, 4, 2, 9, 30, 15, 123e6, time.UTC)}
}

// handBook posts the hand-worked entries of March 2025.
func handBook(t *testing.T, l *ledger.Ledger, book string) {
	t.Helper()
	d := date.MustParse("2025-03-05")
	party := func(p, item string) map[string]string { return map[string]string{"party": p, "item": item} }
	cc := func(c string) map[string]string { return map[string]string{"cost_centre": c} }
	entries := []ledger.Entry{
		// 1: an invoice at 19 %: DATEV's automatic account 8400 takes the
		// gross amount and computes 119.00 × 19/119 = 19.00 itself.
		{Book: book, Key: "e1", Date: d, Voucher: "RE-2025-001", Description: "Rechnung Müller GmbH", Lines: []ledger.Line{
			{Account: "1400", Amount: eur("119.00"), Dimensions: party("10001", "I1")},
			ledger.Credit("8400", eur("100.00")),
			ledger.Credit("1776", eur("19.00")),
		}},
		// 2: three debits against one credit: three bookings against the
		// bank, the cost centres as KOST1.
		{Book: book, Key: "e2", Date: date.MustParse("2025-03-10"), Voucher: "BA 17", Description: "Miete und Telefon", Lines: []ledger.Line{
			{Account: "4210", Amount: eur("800.00"), Dimensions: cc("100")},
			{Account: "4920", Amount: eur("50.00"), Dimensions: cc("200"), Memo: "Telefon Łódź"},
			ledger.Debit("1576", eur("9.50")),
			ledger.Credit("1200", eur("859.50")),
		}},
		// 3: two debits, two credits: split in order, 60 | 10 + 30.
		{Book: book, Key: "e3", Date: date.MustParse("2025-03-20"), Voucher: "K-3", Description: "Umbuchung", Lines: []ledger.Line{
			ledger.Debit("1200", eur("60.00")),
			ledger.Debit("1000", eur("40.00")),
			ledger.Credit("1590", eur("70.00")),
			ledger.Credit("1360", eur("30.00")),
		}},
		// 4: tax DATEV would not compute from the gross amounts (3.81 on
		// 20.00, where each 11.90/11.91 gives 1.90): booked on 1776
		// directly, 8400 with BU 40.
		{Book: book, Key: "e4", Date: date.MustParse("2025-03-31"), Voucher: "RE-2025-002", Description: "Rechnung", Lines: []ledger.Line{
			{Account: "1400", Amount: eur("23.81"), Dimensions: party("10002", "I2")},
			ledger.Credit("8400", eur("10.00")),
			ledger.Credit("8400", eur("10.00")),
			ledger.Credit("1776", eur("3.81")),
		}},
	}
	if _, err := l.PostBatch(context.Background(), entries); err != nil {
		t.Fatal(err)
	}
}

// splitLine splits a DATEV line into its fields, unquoting text.
func splitLine(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ";") {
		out = append(out, strings.Trim(f, `"`))
	}
	return out
}

func TestExportHandWorked(t *testing.T) {
	ctx := context.Background()
	l, b, chart := newBook(t, "t")
	handBook(t, l, "t")
	var buf bytes.Buffer
	res, err := datev.WriteBookings(ctx, &buf, l, b, date.MustParse("2025-03-01"), date.MustParse("2025-03-31"), options(chart))
	if err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	if !bytes.HasSuffix(raw, []byte("\r\n")) || bytes.Count(raw, []byte("\r\n")) != bytes.Count(raw, []byte("\n")) {
		t.Fatal("lines must end in CRLF, every one")
	}
	// Windows-1252: ü is the byte 0xFC, ä 0xE4.
	if !bytes.Contains(raw, []byte("Rechnung M\xfcller GmbH")) || !bytes.Contains(raw, []byte("M\xe4rz 2025")) {
		t.Fatal("umlauts not in Windows-1252")
	}
	lines := strings.Split(strings.TrimSuffix(string(raw), "\r\n"), "\r\n")

	// The header, field by field, as DATEV documents it.
	wantHeader := `"EXTF";700;21;"Buchungsstapel";13;20250402093015123;;"RE";"";"";29098;55003;20250101;4;20250301;20250331;"M` + "\xe4" + `rz 2025";"WD";1;0;0;"EUR";;"";;;"03";;;"";""`
	if lines[0] != wantHeader {
		t.Errorf("header\n got %q\nwant %q", lines[0], wantHeader)
	}
	heads := strings.Split(lines[1], ";")
	if len(heads) != 125 || heads[0] != "Umsatz (ohne Soll/Haben-Kz)" || heads[13] != "Buchungstext" || heads[113] != "Festschreibung" {
		t.Errorf("column headings: %d, %q … %q … %q", len(heads), heads[0], heads[13], heads[113])
	}

	type row struct{ Umsatz, SH, WKZ, Konto, Gegenkonto, BU, Datum, Beleg, Text, Kost1, Art1, Inhalt1 string }
	want := []row{
		{"119,00", "S", "EUR", "10001", "8400", "", "0503", "RE-2025-001", "Rechnung M\xfcller GmbH", "", "item", "I1"},
		{"800,00", "H", "EUR", "1200", "4210", "", "1003", "BA-17", "Miete und Telefon", "100", "", ""},
		{"50,00", "H", "EUR", "1200", "4920", "", "1003", "BA-17", "Telefon L\xf3dz", "200", "", ""},
		{"9,50", "H", "EUR", "1200", "1576", "", "1003", "BA-17", "Miete und Telefon", "", "", ""},
		{"60,00", "S", "EUR", "1200", "1590", "", "2003", "K-3", "Umbuchung", "", "", ""},
		{"10,00", "S", "EUR", "1000", "1590", "", "2003", "K-3", "Umbuchung", "", "", ""},
		{"30,00", "S", "EUR", "1000", "1360", "", "2003", "K-3", "Umbuchung", "", "", ""},
		{"10,00", "S", "EUR", "10002", "8400", "40", "3103", "RE-2025-002", "Rechnung", "", "item", "I2"},
		{"10,00", "S", "EUR", "10002", "8400", "40", "3103", "RE-2025-002", "Rechnung", "", "item", "I2"},
		{"3,81", "S", "EUR", "10002", "1776", "", "3103", "RE-2025-002", "Rechnung", "", "item", "I2"},
	}
	var got []row
	for _, ln := range lines[2:] {
		f := splitLine(ln)
		if len(f) != 125 {
			t.Fatalf("%d fields in %q", len(f), ln)
		}
		if f[113] != "0" {
			t.Errorf("Festschreibung %q, want 0", f[113])
		}
		got = append(got, row{f[0], f[1], f[2], f[6], f[7], f[8], f[9], f[10], f[13], f[36], f[47], f[48]})
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("bookings (-want +got):\n%s", d)
	}
	if res.Entries != 4 || res.Bookings != 10 {
		t.Errorf("result %d entries, %d bookings", res.Entries, res.Bookings)
	}
	var notes []string
	for _, n := range res.Notices {
		notes = append(notes, n.String())
	}
	wantNotes := []string{`entry 2: Belegfeld 1: ' ' replaced by '-'`, `entry 2: Buchungstext: 'Ł' transliterated as "L"; 'ź' transliterated as "z"`}
	if d := cmp.Diff(wantNotes, notes); d != "" {
		t.Errorf("notices (-want +got):\n%s", d)
	}
}

// TestSplitSums checks that for every account the bookings of each entry
// add up to the entry's lines on it, the tax merged into automatic
// accounts counted on the tax account.
func TestSplitSums(t *testing.T) {
	ctx := context.Background()
	l, _, chart := newBook(t, "t")
	handBook(t, l, "t")
	o := options(chart)
	ps, err := l.Entries(ctx, "t", ledger.EntryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		bs, _, err := datev.Bookings(p, money.EUR, o)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int64{}
		for _, ln := range p.Lines {
			acct := ln.Account
			if party := ln.Dimensions["party"]; party != "" {
				acct = party
			}
			want[acct] += ln.Amount.MinorUnits()
		}
		got := map[string]int64{}
		for _, b := range bs {
			m := b.Amount.MinorUnits() * int64(b.Side)
			got[b.Account] += m
			if b.BU == "" {
				if c, ok := vat.SKR03().AutomaticFor(b.Contra); ok {
					tax := c.TaxOfGross(money.New(-m, money.EUR)).MinorUnits()
					got[c.Account] += tax
					got[b.Contra] += -m - tax
					continue
				}
			}
			got[b.Contra] -= m
		}
		for k, v := range got {
			if v == 0 {
				delete(got, k)
			}
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("entry %d sums (-want +got):\n%s", p.Seq, d)
		}
	}
}

func balances(t *testing.T, l *ledger.Ledger, book string) map[string]string {
	t.Helper()
	rows, err := l.Balances(context.Background(), book, ledger.BalanceQuery{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rows {
		if !r.Closing.IsZero() {
			out[r.Account.Code] = r.Closing.String()
		}
	}
	return out
}

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	l, b, chart := newBook(t, "t")
	handBook(t, l, "t")
	var buf bytes.Buffer
	if _, err := datev.WriteBookings(ctx, &buf, l, b, date.MustParse("2025-03-01"), date.MustParse("2025-03-31"), options(chart)); err != nil {
		t.Fatal(err)
	}
	l2, b2, chart2 := newBook(t, "u")
	entries, err := datev.ReadBookings(bytes.NewReader(buf.Bytes()), "EXTF_test.csv", b2, options(chart2))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 4 {
		t.Errorf("%d entries, want 4 (bookings grouped by voucher and date)", len(entries))
	}
	if _, err := l2.PostBatch(ctx, entries); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(balances(t, l, "t"), balances(t, l2, "u")); d != "" {
		t.Errorf("trial balance after the round trip (-exported +imported):\n%s", d)
	}
	// Idempotent: the same file again posts nothing new.
	again, err := datev.ReadBookings(bytes.NewReader(buf.Bytes()), "EXTF_test.csv", b2, options(chart2))
	if err != nil {
		t.Fatal(err)
	}
	ps, err := l2.PostBatch(ctx, again)
	if err != nil {
		t.Fatal(err)
	}
	if ps[0].Seq != 1 {
		t.Errorf("re-import posted anew: seq %d", ps[0].Seq)
	}
	// The customer's personal account comes back as the control account
	// with the party dimension.
	p, err := l2.Entry(ctx, "u", 1)
	if err != nil {
		t.Fatal(err)
	}
	if p.Lines[0].Account != "1400" || p.Lines[0].Dimensions["party"] != "10001" || p.Lines[0].Dimensions["item"] != "I1" {
		t.Errorf("first line %+v", p.Lines[0])
	}
}

func TestExportRefuses(t *testing.T) {
	_, _, chart := newBook(t, "t")
	d := date.MustParse("2025-03-05")
	conv := func(account, a, cur, base string) ledger.Line {
		return ledger.Line{Account: account, Amount: money.MustParse(a, money.MustParseCurrency(cur)), Base: eur(base)}
	}
	for _, tc := range []struct {
		name  string
		lines []ledger.Line
		want  error
	}{
		{"foreign currency", []ledger.Line{ledger.Debit("1200", money.MustParse("1", money.USD)), ledger.Credit("1590", money.MustParse("1", money.USD))}, datev.ErrUnsupported},
		{"party no personal account", []ledger.Line{{Account: "1400", Amount: eur("1"), Dimensions: map[string]string{"party": "K1"}}, ledger.Credit("1590", eur("1"))}, datev.ErrUnsupported},
		{"conflicting dimension", []ledger.Line{{Account: "4210", Amount: eur("1"), Dimensions: map[string]string{"project": "a"}}, {Account: "1200", Amount: eur("-1"), Dimensions: map[string]string{"project": "b"}}}, datev.ErrUnsupported},
		{"base amount of 0.00", []ledger.Line{conv("1210", "0.01", "USD", "0.00"), conv("2660", "-0.01", "USD", "0.00")}, datev.ErrUnsupported},
		{"two foreign currencies in one booking", []ledger.Line{conv("1210", "100.00", "USD", "90.00"), conv("1410", "-75.00", "GBP", "-90.00")}, datev.ErrUnsupported},
		{"one currency at two rates in one booking", []ledger.Line{conv("1210", "100.00", "USD", "90.00"), conv("1590", "-101.00", "USD", "-90.00")}, datev.ErrUnsupported},
		{"Kurs of five digits", []ledger.Line{conv("1590", "1000000.00", "IDR", "55.00"), ledger.Credit("8338", eur("55.00"))}, datev.ErrUnsupported},
		{"three decimals", []ledger.Line{conv("1590", "1.234", "KWD", "3.70"), ledger.Credit("8338", eur("3.70"))}, datev.ErrUnsupported},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := ledger.Posted{Entry: ledger.Entry{Key: "k", Date: d, Lines: tc.lines}, Seq: 7}
			_, _, err := datev.Bookings(p, money.EUR, options(chart))
			var ee *datev.EntryError
			if !errors.Is(err, tc.want) || !errors.As(err, &ee) || ee.Seq != 7 {
				t.Errorf("got %v, want an *EntryError for entry 7 wrapping %v", err, tc.want)
			}
		})
	}
}

func TestImportRefuses(t *testing.T) {
	_, b, chart := newBook(t, "t")
	header := `"EXTF";700;21;"Buchungsstapel";13;20250402093015123;;"RE";"";"";29098;55003;20250101;4;20250301;20250331;"";"";1;0;0;"EUR";;"";;;"03";;;"";""` + "\r\n"
	heads := `Umsatz (ohne Soll/Haben-Kz);Soll/Haben-Kennzeichen;WKZ Umsatz;Kurs;Basis-Umsatz;WKZ Basis-Umsatz;Konto;Gegenkonto (ohne BU-Schlüssel);BU-Schlüssel;Belegdatum;Belegfeld 1;Belegfeld 2;Skonto;Buchungstext` + "\r\n"
	for _, tc := range []struct {
		name, body string
		line       int
		column     string
	}{
		{"dot decimal", `100.00;"S";"EUR";;;;1200;1590;"";0503;"B1";"";;"x"`, 3, "Umsatz (ohne Soll/Haben-Kz)"},
		{"rate without Basis-Umsatz", `100,00;"S";"USD";1,1;;;1200;1590;"";0503;"B1";"";;"x"`, 3, "Basis-Umsatz"},
		{"foreign without Kurs", `100,00;"S";"USD";;90,00;"EUR";1200;1590;"";0503;"B1";"";;"x"`, 3, "Kurs"},
		{"Kurs contradicts Basis-Umsatz", `100,00;"S";"USD";1,2;90,00;"EUR";1200;1590;"";0503;"B1";"";;"x"`, 3, "Kurs"},
		{"Kurs on a booking in EUR", `100,00;"S";"EUR";1,1;;;1200;1590;"";0503;"B1";"";;"x"`, 3, "Kurs"},
		{"Basis-Umsatz not in EUR", `100,00;"S";"USD";1,111111;90,00;"CHF";1200;1590;"";0503;"B1";"";;"x"`, 3, "WKZ Basis-Umsatz"},
		{"unknown currency", `100,00;"S";"XQQ";1,1;90,91;"EUR";1200;1590;"";0503;"B1";"";;"x"`, 3, "WKZ Umsatz"},
		{"yen with cents", `100,50;"S";"JPY";1,5;67,00;"EUR";1200;1590;"";0503;"B1";"";;"x"`, 3, "Umsatz (ohne Soll/Haben-Kz)"},
		{"tax on a foreign booking", `119,00;"S";"USD";1,19;100,00;"EUR";1200;8400;"";0503;"B1";"";;"x"`, 3, "Gegenkonto (ohne BU-Schlüssel)"},
		{"skonto", `100,00;"S";"EUR";;;;1200;1590;"";0503;"B1";"";2,00;"x"`, 3, "Skonto"},
		{"date outside", `100,00;"S";"EUR";;;;1200;1590;"";0504;"B1";"";;"x"`, 3, "Belegdatum"},
		{"unknown account", `100,00;"S";"EUR";;;;1201;1590;"";0503;"B1";"";;"x"`, 3, "Konto"},
		{"BU on automatic", `119,00;"S";"EUR";;;;1200;8400;"3";0503;"B1";"";;"x"`, 3, "BU-Schlüssel"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			good := `1,00;"S";"EUR";;;;1200;1590;"";0503;"B0";"";;"ok"` + "\r\n"
			in, _ := charmap.Windows1252.NewEncoder().String(header + heads + good + tc.body + "\r\n")
			_, err := datev.ReadBookings(strings.NewReader(in), "f.csv", b, options(chart))
			var fe *datev.FieldError
			if !errors.As(err, &fe) || fe.Line != tc.line+1 || fe.Column != tc.column || fe.File != "f.csv" {
				t.Errorf("got %v, want f.csv:%d: %s", err, tc.line+1, tc.column)
			}
		})
	}
}
