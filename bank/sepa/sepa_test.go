package sepa_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/bank/sepa"
	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
)

// Valid IBANs (their mod-97 checks worked by hand or published as examples).
const (
	ibanDebtor  = "DE02120300000000202051" // Deutsche Kreditbank example
	ibanDebtor2 = "DE02100100100006820101"
	ibanAnna    = "DE89370400440532013000" // the classic ISO 13616 example
	ibanJonas   = "AT611904300234573201"
	ibanLea     = "FR1420041010050500013M02606"
)

var created = time.Date(2025, 3, 27, 9, 30, 0, 0, time.UTC)

func eur(s string) money.Amount { return money.MustParse(s, money.EUR) }

func debtor() sepa.Party {
	return sepa.Party{Name: "Demo Trading GmbH", Account: hr.BankAccount{IBAN: ibanDebtor, BIC: "BYLADEM1001"}}
}

// salaries is a message of three salaries on one day from one account.
func salaries() sepa.Message {
	d := date.MustParse("2025-03-31")
	tr := func(e2e, amt, name, iban, bic string) sepa.Transfer {
		return sepa.Transfer{Debtor: debtor(), ExecutionDate: d, EndToEndID: e2e, Amount: eur(amt),
			Creditor: sepa.Party{Name: name, Account: hr.BankAccount{IBAN: iban, BIC: bic}},
			Purpose:  sepa.Salary, CategoryPurpose: sepa.Salary, Remittance: "Salary 2025-03"}
	}
	return sepa.Message{ID: "demo-2025-03", CreatedAt: created, InitiatingParty: "Demo Trading GmbH",
		BatchBooking: true, Transfers: []sepa.Transfer{
			tr("demo/2025-03/1001", "2814.36", "Anna Müller", ibanAnna, "COBADEFFXXX"),
			tr("demo/2025-03/1002", "3105.07", "Jonas Schmidt", ibanJonas, ""),
			tr("demo/2025-03/1003", "0.01", "Léa Straße & Söhne", ibanLea, ""),
		}}
}

// validate checks a document against the EPC schema with xmllint. It skips
// without xmllint unless BACKOFFICE_TEST_XMLLINT is set.
func validate(t *testing.T, doc []byte) {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("BACKOFFICE_TEST_XMLLINT") != "" {
			t.Fatalf("BACKOFFICE_TEST_XMLLINT is set but xmllint is missing: %v", err)
		}
		t.Skip("xmllint not installed (Debian: libxml2-utils); set BACKOFFICE_TEST_XMLLINT to require it")
	}
	f := filepath.Join(t.TempDir(), "pain.xml")
	if err := os.WriteFile(f, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--noout", "--schema", filepath.Join("testdata", "pain.001.001.09.xsd"), f).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint: %v\n%s\n%s", err, out, doc)
	}
}

func TestWriteSalaries(t *testing.T) {
	var buf bytes.Buffer
	res, err := sepa.Write(&buf, salaries())
	if err != nil {
		t.Fatal(err)
	}
	validate(t, buf.Bytes())
	// 2814.36 + 3105.07 + 0.01 = 5919.44, by hand.
	if res.Transactions != 3 || res.Blocks != 1 || res.Total != eur("5919.44") {
		t.Errorf("result: %d transactions, %d blocks, total %s; want 3, 1, 5919.44", res.Transactions, res.Blocks, res.Total)
	}
	want := []sepa.Change{
		{Index: 0, EndToEndID: "demo/2025-03/1001", Field: "creditor_name", Before: "Anna Müller", After: "Anna Mueller"},
		{Index: 2, EndToEndID: "demo/2025-03/1003", Field: "creditor_name", Before: "Léa Straße & Söhne", After: "Lea Strasse + Soehne"},
	}
	if d := cmp.Diff(res.Changes, want); d != "" {
		t.Errorf("changes (-got +want):\n%s", d)
	}
	golden(t, "salaries.xml", buf.Bytes())
}

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(string(got), string(want)); d != "" {
		t.Errorf("%s (-got +want):\n%s", name, d)
	}
}

func TestWriteBlocks(t *testing.T) {
	m := salaries()
	d1, d2 := date.MustParse("2025-03-28"), date.MustParse("2025-03-31")
	other := sepa.Party{Name: "Demo Trading GmbH", Account: hr.BankAccount{IBAN: ibanDebtor2}}
	supplier := func(e2e, amt string, d date.Date, from sepa.Party) sepa.Transfer {
		return sepa.Transfer{Debtor: from, ExecutionDate: d, EndToEndID: e2e, Amount: eur(amt),
			Creditor: sepa.Party{Name: "Bürobedarf Nord GmbH", Account: hr.BankAccount{IBAN: ibanJonas}},
			Purpose:  sepa.SupplierPayment, Remittance: "Invoice R-2025-117 ä"}
	}
	m.BatchBooking = false
	m.Transfers = append(m.Transfers,
		supplier("P-1", "999999999.99", d2, debtor()), // the largest amount allowed
		supplier("P-2", "100.00", d1, debtor()),
		supplier("P-3", "200.50", d2, other),
		supplier("P-4", "0.49", d1, debtor()),
	)
	var buf bytes.Buffer
	res, err := sepa.Write(&buf, m)
	if err != nil {
		t.Fatal(err)
	}
	validate(t, buf.Bytes())
	// Blocks by (date, IBAN, category purpose):
	//   2025-03-28 DE021203… ""   P-2 100.00 + P-4 0.49              =        100.49
	//   2025-03-31 DE021001… ""   P-3 200.50                         =        200.50
	//   2025-03-31 DE021203… ""   P-1 999999999.99                   = 999999999.99
	//   2025-03-31 DE021203… SALA 2814.36 + 3105.07 + 0.01           =       5919.44
	// total 100.49 + 200.50 + 999999999.99 + 5919.44 = 1000006220.42
	if res.Transactions != 7 || res.Blocks != 4 || res.Total != eur("1000006220.42") {
		t.Errorf("result: %d transactions, %d blocks, total %s", res.Transactions, res.Blocks, res.Total)
	}
	doc := buf.String()
	for _, want := range []string{
		"<NbOfTxs>7</NbOfTxs>\n      <CtrlSum>1000006220.42</CtrlSum>",
		"<PmtInfId>demo-2025-03-1</PmtInfId>\n      <PmtMtd>TRF</PmtMtd>\n      <BtchBookg>false</BtchBookg>\n      <NbOfTxs>2</NbOfTxs>\n      <CtrlSum>100.49</CtrlSum>",
		"<PmtInfId>demo-2025-03-2</PmtInfId>\n      <PmtMtd>TRF</PmtMtd>\n      <BtchBookg>false</BtchBookg>\n      <NbOfTxs>1</NbOfTxs>\n      <CtrlSum>200.50</CtrlSum>",
		"<PmtInfId>demo-2025-03-3</PmtInfId>\n      <PmtMtd>TRF</PmtMtd>\n      <BtchBookg>false</BtchBookg>\n      <NbOfTxs>1</NbOfTxs>\n      <CtrlSum>999999999.99</CtrlSum>",
		"<PmtInfId>demo-2025-03-4</PmtInfId>\n      <PmtMtd>TRF</PmtMtd>\n      <BtchBookg>false</BtchBookg>\n      <NbOfTxs>3</NbOfTxs>\n      <CtrlSum>5919.44</CtrlSum>",
		"<Othr>\n            <Id>NOTPROVIDED</Id>", // the second debtor account has no BIC
		"<Ustrd>Invoice R-2025-117 ae</Ustrd>",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("document lacks %q:\n%s", want, doc)
		}
	}
	if n := strings.Count(doc, "<CtgyPurp>"); n != 1 {
		t.Errorf("%d category purposes, want 1 (the salary block)", n)
	}
}

func TestLatin(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Müller", "Mueller"},
		{"Änne Öztürk-Übel", "Aenne Oeztuerk-Uebel"},
		{"Straße", "Strasse"},
		{"GROẞ", "GROSS"},
		{"Édouard Françoise Noël", "Edouard Francoise Noel"},
		{"Łukasz Żółć", "Lukasz Zolc"},
		{"Ørsted Åse Æbelø", "Orsted Ase AEbelo"},
		{"Œuvre", "OEuvre"},
		{"Þór", "THor"},
		{"Peña Núñez", "Pena Nunez"},
		{"Dvořák Škoda", "Dvorak Skoda"},
		{"Smith & Sons", "Smith + Sons"},
		{"a_b – c — d", "a-b - c - d"},
		{`„Zitat“ "x" ‘y’`, "'Zitat' 'x' 'y'"},
		{"Rechnung 1; 2!", "Rechnung 1, 2."},
		{"mail@example.com #5 50% *", "mail.example.com .5 50. ."},
		{"  two\t spaces\n\u00a0 ", "two spaces"},
		{"王小明", "..."},
		{"ok /-?:().,'+ AZaz09", "ok /-?:().,'+ AZaz09"},
		{"", ""},
	} {
		t.Run(c.in, func(t *testing.T) {
			if got := sepa.Latin(c.in); got != c.want {
				t.Errorf("Latin(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestNameShortened(t *testing.T) {
	m := salaries()
	long := strings.Repeat("Ä", 40) // 80 characters after conversion
	m.Transfers[1].Creditor.Name = long
	var buf bytes.Buffer
	res, err := sepa.Write(&buf, m)
	if err != nil {
		t.Fatal(err)
	}
	validate(t, buf.Bytes())
	want := strings.Repeat("Ae", 35)
	if len(res.Changes) != 3 || res.Changes[1].Before != long || res.Changes[1].After != want {
		t.Errorf("changes %+v, want the long name shortened to %q", res.Changes, want)
	}
}

func TestWriteErrors(t *testing.T) {
	for _, c := range []struct {
		name   string
		change func(m *sepa.Message)
		index  int
		field  string
		want   error
	}{
		{"IBAN failing mod 97", func(m *sepa.Message) { m.Transfers[1].Creditor.Account.IBAN = "DE89370400440532013001" }, 1, "creditor_iban", sepa.ErrIBAN},
		{"IBAN wrong length", func(m *sepa.Message) { m.Transfers[1].Creditor.Account.IBAN = "DE8937040044053201300" }, 1, "creditor_iban", sepa.ErrIBAN},
		{"debtor IBAN failing mod 97", func(m *sepa.Message) { m.Transfers[0].Debtor.Account.IBAN = "DE02120300000000202052" }, 0, "debtor_iban", sepa.ErrIBAN},
		{"no IBAN", func(m *sepa.Message) { m.Transfers[2].Creditor.Account = hr.BankAccount{} }, 2, "creditor_iban", sepa.ErrIBAN},
		{"US account", func(m *sepa.Message) {
			m.Transfers[2].Creditor.Account = hr.BankAccount{RoutingNumber: "011000015", AccountNumber: "12345"}
		}, 2, "creditor_iban", sepa.ErrIBAN},
		{"bad BIC", func(m *sepa.Message) { m.Transfers[0].Creditor.Account.BIC = "COBA" }, 0, "creditor_bic", sepa.ErrBIC},
		{"amount above the limit", func(m *sepa.Message) { m.Transfers[1].Amount = eur("1000000000.00") }, 1, "amount", sepa.ErrAmount},
		{"amount below 0.01", func(m *sepa.Message) { m.Transfers[1].Amount = eur("0.00") }, 1, "amount", sepa.ErrAmount},
		{"negative amount", func(m *sepa.Message) { m.Transfers[1].Amount = eur("-5.00") }, 1, "amount", sepa.ErrAmount},
		{"not EUR", func(m *sepa.Message) { m.Transfers[2].Amount = money.MustParse("10.00", money.CHF) }, 2, "amount", sepa.ErrCurrency},
		{"empty creditor name", func(m *sepa.Message) { m.Transfers[1].Creditor.Name = " " }, 1, "creditor_name", sepa.ErrName},
		{"name outside the set", func(m *sepa.Message) { m.Transfers[1].Creditor.Name = "王小明" }, 1, "creditor_name", sepa.ErrName},
		{"empty debtor name", func(m *sepa.Message) { m.Transfers[0].Debtor.Name = "" }, 0, "debtor_name", sepa.ErrName},
		{"empty initiating party", func(m *sepa.Message) { m.InitiatingParty = "" }, -1, "initiating_party", sepa.ErrName},
		{"remittance too long", func(m *sepa.Message) { m.Transfers[0].Remittance = strings.Repeat("ß", 71) }, 0, "remittance", sepa.ErrText},
		{"end-to-end ID too long", func(m *sepa.Message) { m.Transfers[0].EndToEndID = strings.Repeat("x", 36) }, 0, "end_to_end_id", sepa.ErrReference},
		{"end-to-end ID with umlaut", func(m *sepa.Message) { m.Transfers[0].EndToEndID = "Gehalt-März" }, 0, "end_to_end_id", sepa.ErrReference},
		{"end-to-end ID with //", func(m *sepa.Message) { m.Transfers[0].EndToEndID = "a//b" }, 0, "end_to_end_id", sepa.ErrReference},
		{"end-to-end ID missing", func(m *sepa.Message) { m.Transfers[0].EndToEndID = "" }, 0, "end_to_end_id", sepa.ErrReference},
		{"duplicate end-to-end ID", func(m *sepa.Message) { m.Transfers[2].EndToEndID = m.Transfers[0].EndToEndID }, 2, "end_to_end_id", sepa.ErrDuplicate},
		{"debtor named differently", func(m *sepa.Message) { m.Transfers[1].Debtor.Name = "Other GmbH" }, 1, "debtor", sepa.ErrDebtor},
		{"bad purpose", func(m *sepa.Message) { m.Transfers[1].Purpose = "sal" }, 1, "purpose", sepa.ErrCode},
		{"no execution date", func(m *sepa.Message) { m.Transfers[1].ExecutionDate = date.Date{} }, 1, "execution_date", sepa.ErrDate},
		{"no message ID", func(m *sepa.Message) { m.ID = "" }, -1, "id", sepa.ErrReference},
		{"no creation time", func(m *sepa.Message) { m.CreatedAt = time.Time{} }, -1, "created_at", sepa.ErrDate},
		{"no transfers", func(m *sepa.Message) { m.Transfers = nil }, -1, "transfers", sepa.ErrEmpty},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := salaries()
			c.change(&m)
			var buf bytes.Buffer
			res, err := sepa.Write(&buf, m)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			var se *sepa.Error
			if !errors.As(err, &se) || se.Index != c.index || se.Field != c.field {
				t.Errorf("err = %#v, want transfer %d, field %s", se, c.index, c.field)
			}
			if buf.Len() != 0 || res.Transactions != 0 || res.Changes != nil {
				t.Errorf("wrote %d bytes and %+v despite the error", buf.Len(), res)
			}
			// The message names no account, name or text.
			for _, secret := range []string{"DE8937", "DE0212", "Müller", "Schmidt", "Salary", "王", "Other"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q contains %q", err, secret)
				}
			}
		})
	}
}

func TestWriteAllErrors(t *testing.T) {
	m := salaries()
	m.Transfers[0].Amount = eur("0.00")
	m.Transfers[2].Creditor.Account.IBAN = "DE89370400440532013001"
	_, err := sepa.Write(&bytes.Buffer{}, m)
	got := err.Error()
	want := "sepa: transfer 0: amount: sepa: amount outside 0.01–999,999,999.99\n" +
		"sepa: transfer 2: creditor_iban: checksum: sepa: invalid IBAN"
	if got != want {
		t.Errorf("err = %q\nwant %q", got, want)
	}
}

func TestSalaries(t *testing.T) {
	pay := []payroll.Transfer{
		{Run: "demo/2025-03", PersonnelNumber: "1001", Name: "Anna Müller", Bank: hr.BankAccount{IBAN: ibanAnna},
			Amount: eur("2814.36"), PayDate: date.MustParse("2025-03-31"), EndToEndID: "demo/2025-03/1001", Remittance: "Salary 2025-03"},
		{Run: "demo/2025-03", PersonnelNumber: "1002", Name: "Jonas Schmidt", Bank: hr.BankAccount{IBAN: ibanJonas},
			Amount: eur("3105.07"), PayDate: date.MustParse("2025-03-31"), EndToEndID: "demo/2025-03/1002", Remittance: "Salary 2025-03"},
	}
	ts, err := sepa.Salaries(pay, debtor())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	res, err := sepa.Write(&buf, sepa.Message{ID: "demo-2025-03", CreatedAt: created, InitiatingParty: "Demo Trading GmbH", BatchBooking: true, Transfers: ts})
	if err != nil {
		t.Fatal(err)
	}
	validate(t, buf.Bytes())
	if res.Total != eur("5919.43") || !strings.Contains(buf.String(), "<CtgyPurp>\n          <Cd>SALA</Cd>") ||
		strings.Count(buf.String(), "<Purp>\n          <Cd>SALA</Cd>") != 2 {
		t.Errorf("total %s (want 2814.36 + 3105.07 = 5919.43), or SALA missing:\n%s", res.Total, buf.String())
	}
	// A US account and a missing one are refused by personnel number.
	pay[0].Bank = hr.BankAccount{RoutingNumber: "011000015", AccountNumber: "12345"}
	pay[1].Bank = hr.BankAccount{}
	_, err = sepa.Salaries(pay, debtor())
	if !errors.Is(err, sepa.ErrIBAN) || !strings.Contains(err.Error(), "employee 1001") || !strings.Contains(err.Error(), "employee 1002") {
		t.Errorf("err = %v, want ErrIBAN naming 1001 and 1002", err)
	}
	pay[0].Bank, pay[1].Bank = hr.BankAccount{IBAN: ibanAnna}, hr.BankAccount{IBAN: ibanJonas}
	pay[1].Amount = money.MustParse("100.00", money.USD)
	if _, err = sepa.Salaries(pay, debtor()); !errors.Is(err, sepa.ErrCurrency) || !strings.Contains(err.Error(), "employee 1002") {
		t.Errorf("err = %v, want ErrCurrency naming 1002", err)
	}
}
