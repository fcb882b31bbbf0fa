package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPartnersCommands sets up customers and suppliers from CSV files,
// posts invoices and payments, runs dunning with letters and a payment
// proposal, and checks the figures by hand:
//
//	10001 (net 14): RE00001 2025-02-03, 1000.00 + 190.00 = 1190.00, due 02-17;
//	                paid 190.00 on 02-20 → 1000.00 open
//	70001 (net 30, 3 % in 14 days): ER00001 2025-03-01, 500.00 + 95.00 = 595.00,
//	                due 03-31, discount 17.85 until 03-15 → pays 577.15 on 03-10
//
// Refused files post nothing.
func TestPartnersCommands(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		return name
	}
	ok(t, dir, "--book", "acme", "init", "--currency", "EUR")
	parties := write("parties.csv", "number;role;name;country;vat_id;iban;net_days;discount_days;discount_percent\n"+
		"10001;customer;Kunde Eins GmbH;DE;DE136695976;;14;;\n"+
		"70001;supplier;Lieferant AG;DE;;DE89370400440532013000;30;14;3\n")
	ok(t, dir, "partners", "import", "parties", parties)
	// Again: nothing new.
	ok(t, dir, "partners", "import", "parties", parties)
	list := ok(t, dir, "partners", "list").stdout
	if !strings.Contains(list, "10001") || !strings.Contains(list, "3 % in 14 days") || strings.Count(list, "\n") != 3 {
		t.Errorf("list:\n%s", list)
	}
	// A bad VAT ID refuses the whole file.
	bad := write("bad.csv", "number,role,name,vat_id\n10002,customer,Neu,DE136695976\n10003,customer,Falsch,DE136695977\n")
	if r := books(t, dir, "partners", "import", "parties", bad); r.code != 1 || !strings.Contains(r.stderr, "row 3") {
		t.Errorf("bad parties: exit %d, %s", r.code, r.stderr)
	}
	if strings.Contains(ok(t, dir, "partners", "list").stdout, "10002") {
		t.Error("a refused file added a party")
	}
	invoices := write("invoices.csv", "key,party,date,account,net,vat\n"+
		"s-1,10001,2025-02-03,4100,1000.00,19\n"+
		"p-1,70001,2025-03-01,6400,500.00,19\n")
	ok(t, dir, "partners", "import", "invoices", invoices)
	// A file whose second invoice names an unknown party posts nothing.
	badInv := write("badinv.csv", "key,party,date,account,net,vat\ns-2,10001,2025-02-04,4100,10.00,19\ns-3,19999,2025-02-04,4100,10.00,19\n")
	if r := books(t, dir, "partners", "import", "invoices", badInv); r.code != 1 || !strings.Contains(r.stderr, "unknown party") {
		t.Errorf("bad invoices: exit %d, %s", r.code, r.stderr)
	}
	over := write("over.csv", "key,party,date,account,amount,item,paid\nb-9,10001,2025-02-20,1120,1190.01,RE00001,1190.01\n")
	if r := books(t, dir, "partners", "import", "payments", over); r.code != 1 || !strings.Contains(r.stderr, "exceeds what is open") {
		t.Errorf("overpayment: exit %d, %s", r.code, r.stderr)
	}
	payments := write("payments.csv", "key,party,date,account,amount\nb-1,10001,2025-02-20,1120,190.00\n")
	ok(t, dir, "partners", "import", "payments", payments)
	items := ok(t, dir, "report", "open-items", "--as-of", "2025-03-31", "--format", "csv").stdout
	for _, want := range []string{"RE00001", "1000.00", "1190.00"} {
		if !strings.Contains(items, want) {
			t.Errorf("open items lack %q:\n%s", want, items)
		}
	}
	if strings.Contains(items, "RE00002") {
		t.Errorf("the refused file's invoice is open:\n%s", items)
	}
	// 42 days overdue on 31 March: a reminder (level 1, no fee), with a letter.
	dun := ok(t, dir, "partners", "dun", "--date", "2025-03-31", "--letters", "letters").stdout
	if !strings.Contains(dun, "1 notices") || !strings.Contains(dun, "10001") {
		t.Errorf("dunning:\n%s", dun)
	}
	letter, err := os.ReadFile(filepath.Join(dir, "letters", "dunning-2025-03-31-10001.txt"))
	if err != nil || !strings.Contains(string(letter), "PAYMENT REMINDER") || !strings.Contains(string(letter), "1000.00 EUR") {
		t.Errorf("letter: %v\n%s", err, letter)
	}
	prop := ok(t, dir, "partners", "propose", "--date", "2025-03-10", "--due-by", "2025-03-20", "--pay",
		"--sepa", "suppliers.xml", "--from-iban", "DE02120300000000202051").stdout
	// The transfer file holds the proposal: the supplier's IBAN, 577.15, its end-to-end ID.
	xml, err := os.ReadFile(filepath.Join(dir, "suppliers.xml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<IBAN>DE89370400440532013000</IBAN>", `<InstdAmt Ccy="EUR">577.15</InstdAmt>`,
		"<EndToEndId>PP20250310-70001</EndToEndId>", "<CtrlSum>577.15</CtrlSum>"} {
		if !strings.Contains(string(xml), want) {
			t.Errorf("suppliers.xml lacks %s:\n%s", want, xml)
		}
	}
	if !strings.Contains(prop, "577.15") || !strings.Contains(prop, "17.85") || !strings.Contains(prop, "PP20250310-70001") {
		t.Errorf("proposal:\n%s", prop)
	}
	payables := ok(t, dir, "report", "open-items", "--kind", "payables", "--as-of", "2025-03-31", "--format", "csv").stdout
	if strings.Contains(payables, "ER00001") {
		t.Errorf("the paid supplier invoice is open:\n%s", payables)
	}
	if v := ok(t, dir, "verify"); !strings.Contains(v.stdout, "acme: ok") {
		t.Errorf("verify: %s", v.stdout)
	}
}
