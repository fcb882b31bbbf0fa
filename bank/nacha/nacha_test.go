package nacha_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/moov-io/ach"

	"github.com/openbackoffice/backoffice/bank/nacha"
	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
)

func usd(s string) money.Amount { return money.MustParse(s, money.USD) }

func config() nacha.Config {
	return nacha.Config{
		ImmediateDestination: "031300012", ImmediateDestinationName: "Federal Reserve Bank",
		ImmediateOrigin: "1234567890", ImmediateOriginName: "Acme Inc",
		CompanyName: "Acme Inc", CompanyID: "1234567890", ODFI: "121042882",
		Savings: []string{"2002"},
	}
}

func transfers() []payroll.Transfer {
	tr := func(number, name, routing, account, amount string) payroll.Transfer {
		return payroll.Transfer{Run: "acme/2026-03", PersonnelNumber: number, Name: name,
			Bank:   hr.BankAccount{RoutingNumber: routing, AccountNumber: account},
			Amount: usd(amount), PayDate: date.MustParse("2026-03-31"),
			EndToEndID: payroll.EndToEndID("acme/2026-03", number)}
	}
	return []payroll.Transfer{
		tr("2001", "José Álvarez-Müller Jr. the Third", "021000021", "000123456789", "3120.55"),
		tr("2002", "Mary Smith", "011000015", "98765", "2479.45"),
		tr("2003", "Li Wei", "231380104", "5550001", "0.01"),
	}
}

var (
	effective = date.MustParse("2026-03-31")
	created   = time.Date(2026, 3, 27, 9, 30, 0, 0, time.UTC)
)

// read parses a file with moov-io/ach and validates it.
func read(t *testing.T, data []byte) ach.File {
	t.Helper()
	f, err := ach.NewReader(bytes.NewReader(data)).Read()
	if err != nil {
		t.Fatalf("read back: %v\n%s", err, data)
	}
	if err := f.Validate(); err != nil {
		t.Fatalf("validate read file: %v", err)
	}
	return f
}

func TestWrite(t *testing.T) {
	var buf bytes.Buffer
	res, err := nacha.Write(&buf, config(), effective, created, transfers())
	if err != nil {
		t.Fatal(err)
	}
	// 3120.55 + 2479.45 + 0.01 = 5600.01, by hand.
	if res.Entries != 3 || res.Total != usd("5600.01") || !res.Offset.IsZero() {
		t.Errorf("result %+v, want 3 entries totalling 5600.01 without offset", res)
	}
	f := read(t, buf.Bytes())
	if len(f.Batches) != 1 {
		t.Fatalf("%d batches, want 1", len(f.Batches))
	}
	b := f.Batches[0]
	if h := b.GetHeader(); h.StandardEntryClassCode != ach.PPD || h.ServiceClassCode != ach.CreditsOnly ||
		h.CompanyName != "Acme Inc" || h.CompanyEntryDescription != "PAYROLL" || h.EffectiveEntryDate != "260331" {
		t.Errorf("batch header %+v", h)
	}
	type entry struct {
		code  int
		rdfi  string
		acct  string
		cents int
		id    string
		name  string
	}
	var got []entry
	for _, e := range b.GetEntries() {
		got = append(got, entry{e.TransactionCode, e.RDFIIdentification + e.CheckDigit, strings.TrimSpace(e.DFIAccountNumber),
			e.Amount, strings.TrimSpace(e.IdentificationNumber), strings.TrimSpace(e.IndividualName)})
	}
	want := []entry{
		{ach.CheckingCredit, "021000021", "000123456789", 312055, "2001", "JOSE ALVAREZ-MUELLER J"},
		{ach.SavingsCredit, "011000015", "98765", 247945, "2002", "MARY SMITH"},
		{ach.CheckingCredit, "231380104", "5550001", 1, "2003", "LI WEI"},
	}
	if len(got) != len(want) {
		t.Fatalf("entries %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if c := b.GetControl(); c.TotalCreditEntryDollarAmount != 560001 || c.TotalDebitEntryDollarAmount != 0 || c.EntryAddendaCount != 3 {
		t.Errorf("batch control %+v", c)
	}
	if f.Control.TotalCreditEntryDollarAmountInFile != 560001 || f.Control.EntryAddendaCount != 3 || f.Control.BatchCount != 1 {
		t.Errorf("file control %+v", f.Control)
	}
	if f.Header.FileCreationDate != "260327" || f.Header.FileCreationTime != "0930" {
		t.Errorf("file header created %s %s", f.Header.FileCreationDate, f.Header.FileCreationTime)
	}
}

func TestWriteOffset(t *testing.T) {
	cfg := config()
	cfg.Offset = &nacha.Offset{RoutingNumber: "121042882", AccountNumber: "1112223334"}
	var buf bytes.Buffer
	res, err := nacha.Write(&buf, cfg, effective, created, transfers())
	if err != nil {
		t.Fatal(err)
	}
	if res.Offset != usd("5600.01") {
		t.Errorf("offset %s, want 5600.01", res.Offset)
	}
	f := read(t, buf.Bytes())
	es := f.Batches[0].GetEntries()
	if len(es) != 4 {
		t.Fatalf("%d entries, want 3 credits and the offset", len(es))
	}
	off := es[3]
	if off.TransactionCode != ach.CheckingDebit || off.Amount != 560001 || strings.TrimSpace(off.IndividualName) != "OFFSET" {
		t.Errorf("offset entry %+v", off)
	}
	// Balanced: debits equal credits.
	if c := f.Control; c.TotalDebitEntryDollarAmountInFile != 560001 || c.TotalCreditEntryDollarAmountInFile != 560001 || c.EntryAddendaCount != 4 {
		t.Errorf("file control %+v", c)
	}
}

func TestWriteErrors(t *testing.T) {
	for _, c := range []struct {
		name   string
		change func(cfg *nacha.Config, ts []payroll.Transfer) []payroll.Transfer
		want   error
		number string
	}{
		{"an IBAN", func(_ *nacha.Config, ts []payroll.Transfer) []payroll.Transfer {
			ts[1].Bank = hr.BankAccount{IBAN: "DE89370400440532013000"}
			return ts
		}, nacha.ErrAccount, "2002"},
		{"no account", func(_ *nacha.Config, ts []payroll.Transfer) []payroll.Transfer {
			ts[2].Bank = hr.BankAccount{}
			return ts
		}, nacha.ErrAccount, "2003"},
		{"bad routing number", func(_ *nacha.Config, ts []payroll.Transfer) []payroll.Transfer {
			ts[0].Bank.RoutingNumber = "021000022"
			return ts
		}, hr.ErrBankAccount, "2001"},
		{"euros", func(_ *nacha.Config, ts []payroll.Transfer) []payroll.Transfer {
			ts[0].Amount = money.MustParse("10.00", money.EUR)
			return ts
		}, nacha.ErrAmount, "2001"},
		{"too large", func(_ *nacha.Config, ts []payroll.Transfer) []payroll.Transfer {
			ts[0].Amount = usd("100000000.00")
			return ts
		}, nacha.ErrAmount, "2001"},
		{"no transfers", func(_ *nacha.Config, _ []payroll.Transfer) []payroll.Transfer { return nil }, nacha.ErrEmpty, ""},
		{"bad ODFI", func(cfg *nacha.Config, ts []payroll.Transfer) []payroll.Transfer {
			cfg.ODFI = "12345"
			return ts
		}, nacha.ErrConfig, "odfi"},
		{"long company name", func(cfg *nacha.Config, ts []payroll.Transfer) []payroll.Transfer {
			cfg.CompanyName = "Acme Incorporated Worldwide"
			return ts
		}, nacha.ErrConfig, "company_name"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := config()
			ts := c.change(&cfg, transfers())
			var buf bytes.Buffer
			_, err := nacha.Write(&buf, cfg, effective, created, ts)
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.number) {
				t.Fatalf("err = %v, want %v naming %q", err, c.want, c.number)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes despite the error", buf.Len())
			}
			for _, secret := range []string{"DE8937", "Mary", "98765", "000123456789"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q contains %q", err, secret)
				}
			}
		})
	}
}
