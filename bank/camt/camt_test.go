package camt_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/openbackoffice/backoffice/bank/camt"
	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

func eur(s string) money.Amount { return money.MustParse(s, money.EUR) }

// want is the statement every fixture in testdata holds, worked by hand:
// 10,000.00 + 1,190.00 − 2,480.55 − 15.00 = 8,694.45.
func want(format, id, account string) camt.Statement {
	d := date.MustParse
	return camt.Statement{ID: id, Account: account, Currency: money.EUR, Balances: true,
		Opening: eur("10000.00"), OpeningDate: d("2026-12-01"), Closing: eur("8694.45"), ClosingDate: d("2026-12-31"),
		Format: format,
		Lines: []camt.Line{
			{Ref: "BANK-0001", Booked: d("2026-12-03"), Value: d("2026-12-03"), Amount: eur("1190.00"),
				EndToEndIDs: []string{"INV-2026-0042"}, Counterparty: "Kunde GmbH", CounterpartyAccount: "DE89370400440532013000",
				Text: "Rechnung 2026-0042"},
			{Ref: "BANK-0002", Booked: d("2026-12-28"), Value: d("2026-12-28"), Amount: eur("-2480.55"),
				EndToEndIDs: []string{"SAL-2026-12-E001", "SAL-2026-12-E002"}, Text: "SEPA Sammelueberweisung Gehaelter"},
			{Ref: "BANK-0003", Booked: d("2026-12-31"), Amount: eur("-15.00"), Text: "Entgelt Kontofuehrung"},
		}}
}

var ignoreSource = cmp.Options{cmpopts.IgnoreFields(camt.Line{}, "Source"), cmpopts.EquateComparable(money.Amount{}, money.Currency{}, date.Date{})}

func TestReadCAMT053Versions(t *testing.T) {
	for _, v := range []string{"02", "04", "08"} {
		t.Run(v, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", "camt053-v"+v+".xml"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := camt.ReadCAMT053(f, "camt053-v"+v+".xml", &camt.Options{Currency: money.EUR})
			if err != nil {
				t.Fatal(err)
			}
			w := want("camt.053.001."+v, "2026-12-31-001", "DE02120300000000202051")
			if diff := cmp.Diff(got, []camt.Statement{w}, ignoreSource); diff != "" {
				t.Errorf("(-got +want):\n%s", diff)
			}
			if !strings.HasPrefix(got[0].Lines[1].Source, "camt053-v"+v+".xml:") {
				t.Errorf("source %q", got[0].Lines[1].Source)
			}
		})
	}
}

func TestReadMT940(t *testing.T) {
	f, err := os.Open("testdata/statement.sta")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := camt.ReadMT940(f, "statement.sta", &camt.Options{Currency: money.EUR})
	if err != nil {
		t.Fatal(err)
	}
	w := want("mt940", "00012/001/2026-12-31", "12030000/202051")
	w.Lines[0].Text = "SEPA-GUTSCHRIFT Rechnung 2026-0042"
	w.Lines[1].EndToEndIDs, w.Lines[1].Text = nil, "SAMMLER-UEBERWEISUNG SEPA Sammelueberweisung Gehaelter"
	w.Lines[2].Value, w.Lines[2].Text = w.Lines[2].Booked, "ENTGELT Entgelt Kontofuehrung"
	if diff := cmp.Diff(got, []camt.Statement{w}, ignoreSource); diff != "" {
		t.Errorf("(-got +want):\n%s", diff)
	}
	if got[0].Lines[2].Source != "statement.sta:10" {
		t.Errorf("source %q, want statement.sta:10", got[0].Lines[2].Source)
	}
}

func TestReadCSV(t *testing.T) {
	mf, err := os.Open("testdata/export.json")
	if err != nil {
		t.Fatal(err)
	}
	defer mf.Close()
	m, err := camt.ReadMapping(mf)
	if err != nil {
		t.Fatal(err)
	}
	m.ID = "2026-12"
	data, err := os.ReadFile("testdata/export.csv")
	if err != nil {
		t.Fatal(err)
	}
	got, err := camt.ReadCSV(bytes.NewReader(data), "export.csv", m, &camt.Options{Currency: money.EUR})
	if err != nil {
		t.Fatal(err)
	}
	w := want("csv", "2026-12", "DE02120300000000202051")
	// A CSV export's balances are those around its lines: the opening as
	// of the first line's day, the closing as of the last's.
	w.OpeningDate = date.MustParse("2026-12-03")
	w.Lines[1].EndToEndIDs, w.Lines[1].Text = nil, "SEPA Sammelueberweisung; Gehaelter"
	w.Lines[2].Value = w.Lines[2].Booked
	w.Lines[0].EndToEndIDs = nil
	if diff := cmp.Diff(got, w, ignoreSource); diff != "" {
		t.Errorf("(-got +want):\n%s", diff)
	}
}

// TestWriteCAMT053 writes the fixture's statement back and reads it again,
// and validates what it wrote against the XSD.
func TestWriteCAMT053(t *testing.T) {
	w := want("camt.053.001.08", "2026-12-31-001", "DE02120300000000202051")
	var buf bytes.Buffer
	if err := camt.WriteCAMT053(&buf, "MSG-1", []camt.Statement{w}); err != nil {
		t.Fatal(err)
	}
	got, err := camt.ReadCAMT053(bytes.NewReader(buf.Bytes()), "written.xml", nil)
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if diff := cmp.Diff(got, []camt.Statement{w}, ignoreSource); diff != "" {
		t.Errorf("round trip (-got +want):\n%s", diff)
	}
	path := filepath.Join(t.TempDir(), "written.xml")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ValidateXSD(t, path)
}

// TestFixturesValidate validates the version 08 fixtures against the
// shared XSD.
func TestFixturesValidate(t *testing.T) {
	ValidateXSD(t, filepath.Join("testdata", "camt053-v08.xml"))
}

// ValidateXSD validates a camt.053.001.08 file with xmllint against
// testdata/camt.053.001.08.xsd. Without xmllint the test is skipped, unless
// $BACKOFFICE_TEST_XMLLINT is set (as CI does), which makes it fail.
func ValidateXSD(t *testing.T, path string) {
	t.Helper()
	lint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("BACKOFFICE_TEST_XMLLINT") != "" {
			t.Fatalf("BACKOFFICE_TEST_XMLLINT is set but xmllint is not installed: %v", err)
		}
		t.Skip("xmllint not installed (Debian: libxml2-utils); set BACKOFFICE_TEST_XMLLINT to require it")
	}
	xsd, err := filepath.Abs(filepath.Join("testdata", "camt.053.001.08.xsd"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(lint, "--noout", "--schema", xsd, path).CombinedOutput()
	if err != nil {
		t.Errorf("%s does not validate: %v\n%s", path, err, out)
	}
}

func TestReadErrors(t *testing.T) {
	v08, err := os.ReadFile("testdata/camt053-v08.xml")
	if err != nil {
		t.Fatal(err)
	}
	v02, err := os.ReadFile("testdata/camt053-v02.xml")
	if err != nil {
		t.Fatal(err)
	}
	sta, err := os.ReadFile("testdata/statement.sta")
	if err != nil {
		t.Fatal(err)
	}
	csvData, err := os.ReadFile("testdata/export.csv")
	if err != nil {
		t.Fatal(err)
	}
	edit := func(b []byte, old, new string) string {
		if !bytes.Contains(b, []byte(old)) {
			t.Fatalf("fixture lacks %q", old)
		}
		return strings.Replace(string(b), old, new, 1)
	}
	m := camt.Mapping{Delimiter: ";", DecimalComma: true, Thousands: ".", DateFormat: "02.01.2006", Account: "DE02120300000000202051",
		Currency: "EUR", Date: "Buchungstag", Amount: "Betrag", Reference: "Referenz", Balance: "Saldo"}
	eurOnly := &camt.Options{Currency: money.EUR}
	tests := []struct {
		name, format, in string
		opts             *camt.Options
		want             error
		where            string // in the message: file:line and path
	}{
		{"camt version 05", "camt", edit(v08, "camt.053.001.08", "camt.053.001.05"), nil, camt.ErrVersion, "f:2: Document"},
		{"camt another message", "camt", edit(v08, "camt.053.001.08", "camt.052.001.08"), nil, camt.ErrVersion, "f:2"},
		{"camt three decimals", "camt", edit(v08, "<Amt Ccy=\"EUR\">15.00</Amt>", "<Amt Ccy=\"EUR\">15.001</Amt>"), nil, camt.ErrScale, "Stmt[1]/Ntry[3]/Amt"},
		{"camt no indicator", "camt", edit(v08, "<CdtDbtInd>DBIT</CdtDbtInd>\n        <Sts>", "<Sts>"), nil, camt.ErrIndicator, "Ntry[2]/CdtDbtInd"},
		{"camt bad indicator", "camt", edit(v08, "<CdtDbtInd>DBIT</CdtDbtInd>\n        <Sts>", "<CdtDbtInd>DEBIT</CdtDbtInd><Sts>"), nil, camt.ErrIndicator, "Ntry[2]/CdtDbtInd"},
		{"camt gap", "camt", edit(v08, "<Amt Ccy=\"EUR\">15.00</Amt>", "<Amt Ccy=\"EUR\">15.10</Amt>"), nil, camt.ErrBalance, "gap 0.10"},
		{"camt account in USD", "camt", string(v08), &camt.Options{Currency: money.USD}, camt.ErrCurrency, "Acct/Ccy"},
		{"camt line in USD", "camt", edit(v08, "<Amt Ccy=\"EUR\">15.00</Amt>", "<Amt Ccy=\"USD\">15.00</Amt>"), nil, camt.ErrCurrency, "Ntry[3]/Amt"},
		{"camt pending", "camt", edit(v08, "<Sts><Cd>BOOK</Cd></Sts>", "<Sts><Cd>PDNG</Cd></Sts>"), nil, camt.ErrStatus, "Ntry[1]/Sts"},
		{"camt 08 with 02 status", "camt", edit(v08, "<Sts><Cd>BOOK</Cd></Sts>", "<Sts>BOOK</Sts>"), nil, camt.ErrFormat, "Ntry[1]/Sts"},
		{"camt 02 with 08 status", "camt", edit(v02, "<Sts>BOOK</Sts>", "<Sts><Cd>BOOK</Cd></Sts>"), nil, camt.ErrFormat, "Ntry[1]/Sts"},
		{"camt 02 with 08 party", "camt", edit(v02, "<Dbtr><Nm>Kunde GmbH</Nm></Dbtr>", "<Dbtr><Pty><Nm>Kunde GmbH</Nm></Pty></Dbtr>"), nil, camt.ErrFormat, "RltdPties"},
		{"camt no closing", "camt", edit(v08, "<Cd>CLBD</Cd>", "<Cd>CLAV</Cd>"), nil, camt.ErrFormat, "Bal"},
		{"camt not xml", "camt", "<Document", nil, camt.ErrFormat, "f:1"},
		{"mt940 gap", "mt940", edit(sta, ":62F:C261231EUR8694,45", ":62F:C261231EUR8694,46"), nil, camt.ErrBalance, "f:1: :20:"},
		{"mt940 no mark", "mt940", edit(sta, "2612031203CR1190,00", "26120312031190,00"), nil, camt.ErrIndicator, "f:5: :61:"},
		{"mt940 three decimals", "mt940", edit(sta, "CR1190,00", "CR1190,001"), nil, camt.ErrScale, "f:5: :61:"},
		{"mt940 account in USD", "mt940", string(sta), &camt.Options{Currency: money.USD}, camt.ErrCurrency, "f:4: :60F:"},
		{"mt940 closing in USD", "mt940", edit(sta, "C261231EUR8694,45", "C261231USD8694,45"), nil, camt.ErrCurrency, "f:12: :62F:"},
		{"mt940 bad date", "mt940", edit(sta, ":60F:C261201", ":60F:C261301"), nil, camt.ErrFormat, "f:4: :60F:"},
		{"mt940 no closing", "mt940", edit(sta, ":62F:C261231EUR8694,45", ""), nil, camt.ErrFormat, "f:1: :20:"},
		{"csv gap", "csv", edit(csvData, "-15,00;8694,45", "-15,00;8694,40"), eurOnly, camt.ErrBalance, "f:4: Saldo"},
		{"csv three decimals", "csv", edit(csvData, "-15,00", "-15,001"), eurOnly, camt.ErrScale, "f:4: Betrag"},
		{"csv point", "csv", edit(csvData, "-2480,55", "-2480.55"), eurOnly, camt.ErrFormat, "f:3: Betrag"},
		{"csv bad date", "csv", edit(csvData, "28.12.2026;28", "28.13.2026;28"), eurOnly, camt.ErrFormat, "f:3: Buchungstag"},
		{"csv account in USD", "csv", string(csvData), &camt.Options{Currency: money.USD}, camt.ErrCurrency, "mapping: currency"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			switch tc.format {
			case "camt":
				_, err = camt.ReadCAMT053(strings.NewReader(tc.in), "f", tc.opts)
			case "mt940":
				_, err = camt.ReadMT940(strings.NewReader(tc.in), "f", tc.opts)
			case "csv":
				_, err = camt.ReadCSV(strings.NewReader(tc.in), "f", m, tc.opts)
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.where) {
				t.Errorf("err = %q, want %q in it", err, tc.where)
			}
		})
	}
}

func TestCSVIndicators(t *testing.T) {
	m := camt.Mapping{Account: "X", Currency: "EUR", Date: "d", Debit: "soll", Credit: "haben", Reference: "ref"}
	st, err := camt.ReadCSV(strings.NewReader("d,soll,haben,ref\n2026-01-02,12.50,,a\n2026-01-03,,100.00,b\n"), "f", m, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.Lines[0].Amount != eur("-12.50") || st.Lines[1].Amount != eur("100.00") || st.Balances {
		t.Errorf("lines %+v", st.Lines)
	}
	_, err = camt.ReadCSV(strings.NewReader("d,soll,haben,ref\n2026-01-02,,,a\n"), "f", m, nil)
	if !errors.Is(err, camt.ErrIndicator) || !strings.Contains(err.Error(), "f:2: soll") {
		t.Errorf("neither: %v", err)
	}
	m = camt.Mapping{Account: "X", Currency: "EUR", Date: "d", Amount: "betrag", Indicator: "sh", CreditValue: "H", DebitValue: "S"}
	st, err = camt.ReadCSV(strings.NewReader("d,betrag,sh\n2026-01-02,12.50,S\n2026-01-02,1.00,H\n"), "f", m, nil)
	if err != nil || st.Lines[0].Amount != eur("-12.50") || st.Lines[1].Amount != eur("1.00") {
		t.Errorf("indicator column: %v %+v", err, st.Lines)
	}
	if st.Lines[0].Ref == "" || st.Lines[0].Ref == st.Lines[1].Ref {
		t.Errorf("derived references %q, %q", st.Lines[0].Ref, st.Lines[1].Ref)
	}
	_, err = camt.ReadCSV(strings.NewReader("d,betrag,sh\n2026-01-02,12.50,\n"), "f", m, nil)
	if !errors.Is(err, camt.ErrIndicator) {
		t.Errorf("no indicator: %v", err)
	}
	if _, err := camt.ReadMapping(strings.NewReader(`{"date":"d","account":"x","currency":"EUR","amount":"a","colour":"red"}`)); !errors.Is(err, camt.ErrFormat) {
		t.Errorf("unknown mapping key: %v", err)
	}
}
