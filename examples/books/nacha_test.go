package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/moov-io/ach"
)

// TestPayNACHA is the US example paying by NACHA: a USD book set up from
// spreadsheets (employees with ABA routing and account numbers, monthly
// contracts, US tax profiles), March's pay run posted and paid with
// `payroll pay --nacha`; the file is read back and validated with
// moov-io/ach, and its PPD credits equal the payslips' net pay to the cent.
func TestPayNACHA(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	ok(t, dir, "--book", "us", "init", "--currency", "USD")
	write("emp.csv", "personnel_number;family_name;given_name;hire_date;routing_number;account_number\n"+
		"2001;Smith;Jane;2026-01-01;121042882;123456789\n"+
		"2002;Doe;John;2026-01-01;031300012;987654321\n")
	write("con.csv", "personnel_number;valid_from;pay_type;amount;currency;frequency;weekly_hours;work_days\n"+
		"2001;2026-01-01;monthly;6000.00;USD;monthly;40;Mon Tue Wed Thu Fri\n"+
		"2002;2026-01-01;monthly;4500.00;USD;monthly;40;Mon Tue Wed Thu Fri\n")
	write("tax.csv", "personnel_number;valid_from;jurisdiction;filing_status\n"+
		"2001;2026-01-01;US;single\n2002;2026-01-01;US;married_jointly\n")
	ok(t, dir, "import", "employees", "emp.csv")
	ok(t, dir, "import", "contracts", "con.csv")
	ok(t, dir, "import", "taxprofiles", "tax.csv")
	write("ach.json", `{"immediate_destination":"031300012","immediate_destination_name":"Fed","immediate_origin":"1234567890",
		"immediate_origin_name":"US Example","company_name":"US Example","company_id":"1234567890","odfi":"121042882"}`)
	ok(t, dir, "payroll", "run", "--period", "2026-03", "--post")
	ok(t, dir, "payroll", "pay", "--period", "2026-03", "--nacha", "pay.ach", "--nacha-config", "ach.json")

	data, err := os.ReadFile(filepath.Join(dir, "pay.ach"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := ach.NewReader(bytes.NewReader(data)).Read()
	if err != nil {
		t.Fatalf("read back: %v", err)
	}
	if err := f.Validate(); err != nil {
		t.Fatalf("validate: %v", err)
	}
	if len(f.Batches) != 1 || f.Batches[0].GetHeader().StandardEntryClassCode != ach.PPD {
		t.Fatalf("want one PPD batch, got %d", len(f.Batches))
	}
	// The payslips' net pay, from the register, in cents.
	reg := ok(t, dir, "payroll", "register", "--period", "2026-03", "--format", "csv").stdout
	want := map[string]int{}
	lines := strings.Split(strings.TrimSpace(reg), "\n")
	head := strings.Split(lines[0], ",")
	col := func(name string) int {
		for i, h := range head {
			if h == name {
				return i
			}
		}
		t.Fatalf("register has no column %q: %s", name, lines[0])
		return -1
	}
	emp, net := col("employee"), col("net")
	for _, l := range lines[1:] {
		cells := strings.Split(l, ",")
		if len(cells) <= net || !strings.HasPrefix(cells[emp], "us/") {
			continue
		}
		want[strings.TrimPrefix(cells[emp], "us/")] = cents(t, cells[net])
	}
	if len(want) != 2 {
		t.Fatalf("register rows for 2 employees, got %v:\n%s", want, reg)
	}
	got := map[string]int{}
	for _, e := range f.Batches[0].GetEntries() {
		if e.TransactionCode != ach.CheckingCredit {
			t.Errorf("entry %s: transaction code %d, want a checking credit", e.IdentificationNumber, e.TransactionCode)
		}
		got[strings.TrimSpace(e.IdentificationNumber)] = e.Amount
	}
	for emp, c := range want {
		if got[emp] != c {
			t.Errorf("employee %s: ACH credit %d cents, payslip net %d cents", emp, got[emp], c)
		}
	}
	if run := ok(t, dir, "payroll", "run", "--period", "2026-03"); !strings.Contains(run.stdout, "paid") {
		t.Errorf("after the NACHA file the run is %s, want paid", run.stdout)
	}
}

// cents reads a decimal amount cell ("4123.45") as cents.
func cents(t *testing.T, s string) int {
	t.Helper()
	s = strings.TrimSpace(s)
	whole, frac, _ := strings.Cut(s, ".")
	frac = (frac + "00")[:2]
	n := 0
	for _, c := range whole + frac {
		if c < '0' || c > '9' {
			t.Fatalf("amount %q", s)
		}
		n = n*10 + int(c-'0')
	}
	return n
}
