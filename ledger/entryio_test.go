package ledger_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

var entryCmp = []cmp.Option{
	cmp.Comparer(func(a, b money.Amount) bool { return a.Equal(b) }),
	cmp.Comparer(func(a, b date.Date) bool { return a == b }),
}

func sampleEntries() []ledger.Entry {
	eur := func(s string) money.Amount { return money.MustParse(s, money.EUR) }
	return []ledger.Entry{
		{Book: "acme", Key: "inv-1001", Date: date.MustParse("2026-01-15"), Description: "Consulting, January", Voucher: "AR-1001", Journal: "AR",
			Metadata: map[string]string{"customer": "K-17"},
			Lines: []ledger.Line{
				{Account: "1200", Amount: eur("1190.00")},
				{Account: "8400", Amount: eur("-1000.00"), Memo: "net", Dimensions: map[string]string{"cost_centre": "100"}},
				{Account: "1776", Amount: eur("-190.00")},
			}},
		{Book: "acme", Key: "pay-1001", Date: date.MustParse("2026-01-29"), Description: "Paid", Reverses: 0,
			Lines: []ledger.Line{
				{Account: "1000", Amount: money.MustParse("100", money.JPY)},
				{Account: "1001", Amount: money.MustParse("-100", money.JPY)},
			}},
	}
}

func TestEntriesRoundTrip(t *testing.T) {
	for _, tt := range []struct {
		name  string
		write func(*bytes.Buffer, []ledger.Entry) error
		read  func(*bytes.Buffer) ([]ledger.Entry, error)
	}{
		{"csv", func(b *bytes.Buffer, e []ledger.Entry) error { return ledger.WriteEntries(b, e) },
			func(b *bytes.Buffer) ([]ledger.Entry, error) { return ledger.ReadEntries(b, "acme", nil) }},
		{"json", func(b *bytes.Buffer, e []ledger.Entry) error { return ledger.WriteEntriesJSON(b, e) },
			func(b *bytes.Buffer) ([]ledger.Entry, error) { return ledger.ReadEntriesJSON(b, "acme", nil) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tt.write(&buf, sampleEntries()); err != nil {
				t.Fatal(err)
			}
			text := buf.String()
			got, err := tt.read(&buf)
			if err != nil {
				t.Fatalf("%v\n%s", err, text)
			}
			if diff := cmp.Diff(sampleEntries(), got, entryCmp...); diff != "" {
				t.Errorf("round trip (-want +got):\n%s\n%s", diff, text)
			}
		})
	}
}

func TestReadEntriesCSV(t *testing.T) {
	in := "key;date;account;amount;description;dim.cc\n" +
		"a;2026-01-15;1200;119.00;Sale;\n" +
		"a;;8400;-100.00;;100\n" +
		"a;;1776;-19.00;;\n" +
		"\n" +
		"b;2026-01-16;1000;5;x;\n" +
		"b;;1200;-5;;\n"
	got, err := ledger.ReadEntries(strings.NewReader(in), "acme", &ledger.EntryOptions{Currency: money.EUR})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || len(got[0].Lines) != 3 || got[0].Lines[1].Dimensions["cc"] != "100" || !got[1].Lines[1].Amount.Equal(money.MustParse("-5", money.EUR)) {
		t.Errorf("got %+v", got)
	}
}

func TestReadEntriesErrors(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string // "row column" of each problem
		sentinel error
	}{
		{"unbalanced", "key,date,account,amount\na,2026-01-01,1,1.00\na,,2,-2.00\n", []string{"2 "}, ledger.ErrUnbalanced},
		{"scale", "key,date,account,amount\na,2026-01-01,1,1.001\na,,2,-1.001\n", []string{"2 amount", "3 amount"}, ledger.ErrInvalid},
		{"both debit and credit", "key,date,account,debit,credit\na,2026-01-01,1,1,1\na,,2,,1\n", []string{"2 credit"}, ledger.ErrInvalid},
		{"no amount columns", "key,date,account\na,2026-01-01,1\n", []string{"1 amount"}, ledger.ErrInvalid},
		{"key comes back", "key,date,account,amount\na,2026-01-01,1,1\na,,2,-1\nb,2026-01-01,1,1\nb,,2,-1\na,,3,1\n", []string{"6 key"}, ledger.ErrDuplicate},
		{"bad date and currency", "key,date,account,amount,currency\na,2026-13-01,1,1,EUR\na,,2,-1,XXX\n", []string{"2 date", "3 currency"}, ledger.ErrInvalid},
		{"differs", "key,date,account,amount,voucher\na,2026-01-01,1,1,V1\na,,2,-1,V2\n", []string{"3 voucher"}, ledger.ErrInvalid},
		{"unknown column", "key,date,account,amount,colour\n", []string{"1 colour"}, ledger.ErrInvalid},
		{"missing key column", "date,account,amount\n", []string{"1 key"}, ledger.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ledger.ReadEntries(strings.NewReader(tt.in), "acme", &ledger.EntryOptions{Currency: money.EUR})
			if err == nil {
				t.Fatalf("ReadEntries = %+v, want an error", got)
			}
			if got != nil {
				t.Errorf("entries returned with an error")
			}
			var list ledger.ImportErrors
			if !errors.As(err, &list) {
				t.Fatalf("%v is not ImportErrors", err)
			}
			var where []string
			for _, fe := range list {
				where = append(where, strings.TrimSpace(itoa(fe.Row)+" "+fe.Column))
				if !errors.Is(fe, tt.sentinel) {
					t.Errorf("%v does not wrap %v", fe, tt.sentinel)
				}
			}
			for i := range tt.want {
				tt.want[i] = strings.TrimSpace(tt.want[i])
			}
			if diff := cmp.Diff(tt.want, where); diff != "" {
				t.Errorf("problems (-want +got):\n%s\n%v", diff, err)
			}
		})
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestReadEntriesJSONErrors(t *testing.T) {
	in := `[{"key":"a","date":"2026-01-01","lines":[{"account":"1","amount":"1.00"},{"account":"2","amount":"x"}]},
	{"key":"a","date":"bad","lines":[]}]`
	_, err := ledger.ReadEntriesJSON(strings.NewReader(in), "acme", &ledger.EntryOptions{Currency: money.EUR})
	var list ledger.ImportErrors
	if !errors.As(err, &list) {
		t.Fatalf("%v", err)
	}
	var where []string
	for _, fe := range list {
		where = append(where, itoa(fe.Row)+" "+fe.Column)
	}
	want := []string{"1 lines[2].amount", "2 key", "2 date", "2 lines"}
	if diff := cmp.Diff(want, where); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if _, err := ledger.ReadEntriesJSON(strings.NewReader("[{]"), "acme", nil); err == nil || !errors.Is(err, ledger.ErrInvalid) {
		t.Errorf("syntax error: %v", err)
	}
}

func ExampleReadEntries() {
	in := `key,date,account,debit,credit,description,voucher,dim.cost_centre
inv-1001,2026-01-15,1200,1190.00,,Consulting January,AR-1001,
inv-1001,,8400,,1000.00,,,100
inv-1001,,1776,,190.00,,,
`
	entries, err := ledger.ReadEntries(strings.NewReader(in), "acme", &ledger.EntryOptions{Currency: money.EUR})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range entries {
		fmt.Println(e.Key, e.Date, e.Voucher, e.Description)
		for _, l := range e.Lines {
			fmt.Println(" ", l.Account, l.Amount, l.Dimensions)
		}
	}
	_, err = ledger.ReadEntries(strings.NewReader("key,date,account,amount\na,2026-02-30,1200,1.00\na,,8400,-1.001\n"), "acme",
		&ledger.EntryOptions{Currency: money.EUR})
	fmt.Println(err)
	// Output:
	// inv-1001 2026-01-15 AR-1001 Consulting January
	//   1200 1190.00 EUR map[]
	//   8400 -1000.00 EUR map[cost_centre:100]
	//   1776 -190.00 EUR map[]
	// 2 errors: row 2, column "date": ledger: invalid: not a date (YYYY-MM-DD); row 3, column "amount": ledger: invalid: money: more decimal places than the currency has at byte 5: non-zero digit beyond the currency's minor units
}

// FuzzReadEntries: whatever the file, ReadEntries never panics; it returns
// either entries that validate and read back the same after WriteEntries,
// or ImportErrors and no entries.
func FuzzReadEntries(f *testing.F) {
	f.Add("key,date,account,amount,description\ninv-1,2026-01-15,1200,1190.00,Consulting\ninv-1,2026-01-15,8400,-1190.00,\n")
	f.Add("key;date;account;debit;credit;currency;dim.cc;meta.x\nk;2026-02-01;1000;10,00;;EUR;100;a\nk;2026-02-01;2000;;10,00;EUR;;\n")
	f.Add("key,date,account,amount\nk,2026-13-01,1000,1\n")
	f.Add("key,date,account,amount\nk,2026-01-01,1000,1.001\nk,2026-01-01,2000,-1.001\n")
	f.Add("key,date,account,amount\na,2026-01-01,1000,1\nb,2026-01-01,2000,-1\na,2026-01-01,3000,1\n")
	f.Add("\uFEFFkey,date,account,amount,memo\n\"=k\",2026-01-01,1000,5,\"x\"\"y\"\n\"=k\",2026-01-01,2000,-5,\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, src string) {
		entries, err := ledger.ReadEntries(strings.NewReader(src), "b", &ledger.EntryOptions{Currency: money.EUR})
		if err != nil {
			var ie ledger.ImportErrors
			if !errors.As(err, &ie) || len(ie) == 0 || entries != nil {
				t.Fatalf("error %v (%T) with %d entries: want ImportErrors and none", err, err, len(entries))
			}
			return
		}
		for i := range entries {
			if err := entries[i].Validate(nil); err != nil {
				t.Fatalf("entry %d does not validate: %v", i, err)
			}
		}
		var buf bytes.Buffer
		if err := ledger.WriteEntries(&buf, entries); err != nil {
			t.Fatalf("WriteEntries: %v", err)
		}
		again, err := ledger.ReadEntries(&buf, "b", &ledger.EntryOptions{Currency: money.EUR})
		if err != nil {
			t.Fatalf("reading back: %v\n%s", err, buf.String())
		}
		if diff := cmp.Diff(entries, again, entryCmp...); diff != "" {
			t.Fatalf("round trip (-first +again):\n%s", diff)
		}
	})
}
