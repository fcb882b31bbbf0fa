package datev_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/text/encoding/charmap"

	"github.com/openbackoffice/backoffice/interchange/datev"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/partners"
)

// decodeLines returns a DATEV file's lines, decoded from Windows-1252,
// and fails unless every line ends in CRLF.
func decodeLines(t *testing.T, b []byte) []string {
	t.Helper()
	s, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(s, []byte("\r\n")) || bytes.Count(s, []byte("\n")) != bytes.Count(s, []byte("\r\n")) {
		t.Errorf("lines not ended by CRLF: %q", s)
	}
	return strings.Split(strings.TrimSuffix(string(s), "\r\n"), "\r\n")
}

// TestLabelsHandWritten checks the Kontenbeschriftungen (category 20)
// against a file written by hand from the format: header (EXTF, 700, 20,
// "Kontenbeschriftungen", version 3, created 2 April 2025 09:30:15.123,
// origin RE, consultant 29098, client 55003, fiscal year from 1 January
// 2025, account length 4, no range, SKR 03), the four column headings, and
// one line per account: number unquoted, the label cut to 40 characters,
// "de-DE", the long label. Ł and ź are transliterated (ó is in
// Windows-1252 and stays), a five-digit code is no Sachkonto and is left
// out; both are reported, as is the label cut.
func TestLabelsHandWritten(t *testing.T) {
	chart := []ledger.Account{
		{Book: "b", Code: "1200", Name: "Bank", Type: ledger.Asset},
		{Book: "b", Code: "4920", Name: "Telefon Łódź", Type: ledger.Expense},
		{Book: "b", Code: "8400", Name: "Erlöse 19 % USt aus Lieferungen und sonstigen Leistungen", Type: ledger.Revenue},
		{Book: "b", Code: "10001", Name: "Müller GmbH", Type: ledger.Asset},
	}
	var buf bytes.Buffer
	b := ledger.Book{ID: "b", Name: "Test GmbH"}
	notices, err := datev.WriteLabels(&buf, chart, b, options(chart))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`"EXTF";700;20;"Kontenbeschriftungen";3;20250402093015123;;"RE";"";"";29098;55003;20250101;4;;;"";"";;;;"";;"";;;"03";;;"";""`,
		`Konto;Kontenbeschriftung;Sprach-ID;Kontenbeschriftung lang`,
		`1200;"Bank";"de-DE";"Bank"`,
		`4920;"Telefon Lódz";"de-DE";"Telefon Lódz"`,
		`8400;"Erlöse 19 % USt aus Lieferungen und sons";"de-DE";"Erlöse 19 % USt aus Lieferungen und sonstigen Leistungen"`,
	}
	if diff := cmp.Diff(want, decodeLines(t, buf.Bytes())); diff != "" {
		t.Errorf("labels (-want +got):\n%s", diff)
	}
	var got []string
	for _, n := range notices {
		got = append(got, n.Record+" "+n.Field)
	}
	wantN := []string{"4920 Kontenbeschriftung", "8400 Kontenbeschriftung", "10001 Konto"}
	if diff := cmp.Diff(wantN, got, cmpSorted); diff != "" {
		t.Errorf("notices (-want +got):\n%s", diff)
	}
}

var cmpSorted = cmpopts.SortSlices(func(a, b string) bool { return a < b })

// TestPartiesHandWritten checks the Debitoren/Kreditoren (category 16)
// against a file written by hand: the header as for the labels but
// category 16, "Debitoren/Kreditoren", version 5; 20 column headings; per
// party its personal account unquoted, the company name (≤ 50), four empty
// name columns, Adressattyp "2" (company), the short name cut to 15, the
// VAT ID split into country and number, four empty columns, Adressart
// "STR", street, empty Postfach, postal code, city, country. A party whose
// number is no five-digit personal account is left out and reported.
func TestPartiesHandWritten(t *testing.T) {
	_, _, chart := newBook(t, "b")
	parties := []partners.Party{
		{Book: "b", Number: "10001", Role: partners.Customer, Name: "Müller GmbH",
			Address: partners.Address{Street: "Hauptstraße 1", PostalCode: "50667", City: "Köln", Country: "DE"},
			VATID:   "DE123456789"},
		{Book: "b", Number: "70001", Role: partners.Supplier, Name: "Łukasz Wiśniewski Sp. z o.o.",
			Address: partners.Address{Street: "ul. Długa 5", PostalCode: "00-238", City: "Warszawa", Country: "PL"}},
		{Book: "b", Number: "K1", Role: partners.Customer, Name: "Barverkauf"},
	}
	var buf bytes.Buffer
	notices, err := datev.WriteParties(&buf, parties, ledger.Book{ID: "b"}, options(chart))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`"EXTF";700;16;"Debitoren/Kreditoren";5;20250402093015123;;"RE";"";"";29098;55003;20250101;4;;;"";"";;;;"";;"";;;"03";;;"";""`,
		`Konto;Name (Adressattyp Unternehmen);Unternehmensgegenstand;Name (Adressattyp natürl. Person);` +
			`Vorname (Adressattyp natürl. Person);Name (Adressattyp keine Angabe);Adressattyp;Kurzbezeichnung;` +
			`EU-Land;EU-UStID;Anrede;Titel/Akad. Grad;Adelstitel;Namensvorsatz;Adressart;Straße;Postfach;Postleitzahl;Ort;Land`,
		`10001;"Müller GmbH";"";"";"";"";"2";"Müller GmbH";"DE";"123456789";"";"";"";"";"STR";"Hauptstraße 1";"";"50667";"Köln";"DE"`,
		`70001;"Lukasz Wisniewski Sp. z o.o.";"";"";"";"";"2";"Lukasz Wisniews";"";"";"";"";"";"";"STR";"ul. Dluga 5";"";"00-238";"Warszawa";"PL"`,
	}
	if diff := cmp.Diff(want, decodeLines(t, buf.Bytes())); diff != "" {
		t.Errorf("parties (-want +got):\n%s", diff)
	}
	var got []string
	for _, n := range notices {
		got = append(got, n.Record+" "+n.Field)
	}
	wantN := []string{"70001 Name (Adressattyp Unternehmen)", "70001 Kurzbezeichnung", "70001 Straße", "K1 Konto"}
	if diff := cmp.Diff(wantN, got, cmpSorted); diff != "" {
		t.Errorf("notices (-want +got):\n%s", diff)
	}
}
