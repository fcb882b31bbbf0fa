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
		// Base amounts: a converted debit and credit, one rounding to
		// nothing, and a line in the base currency.
		{Book: "acme", Key: "fx-1", Date: date.MustParse("2026-02-02"), Description: "USD bought",
			Lines: []ledger.Line{
				{Account: "1121", Amount: money.MustParse("1000.00", money.USD), Base: eur("920.00")},
				{Account: "1120", Amount: eur("-920.00")},
				{Account: "1121", Amount: money.MustParse("0.01", money.USD), Base: eur("0.00"), Memo: "rounds to nothing"},
				{Account: "1210", Amount: money.MustParse("-0.01", money.USD), Base: eur("0.00")},
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

// TestEntriesBase: the base column holds a line's value in the book's base
// currency, signed with an amount column and unsigned (the side giving the
// sign) with debit and credit columns, in CSV and JSON alike.
func TestEntriesBase(t *testing.T) {
	eur := func(s string) money.Amount { return money.MustParse(s, money.EUR) }
	want := []ledger.Entry{{Book: "acme", Key: "e5", Date: date.MustParse("2025-06-30"), Description: "UK customer pays",
		Lines: []ledger.Line{
			{Account: "1120", Amount: eur("3540.00")},
			{Account: "1210", Amount: money.MustParse("-3000.00", money.GBP), Base: eur("-3600.00")},
			{Account: "6990", Amount: eur("60.00")},
		}}, {Book: "acme", Key: "e6", Date: date.MustParse("2025-09-15"),
		Lines: []ledger.Line{
			{Account: "6500", Amount: eur("920.00")},
			{Account: "1121", Amount: money.MustParse("-1000.00", money.USD)}, // for the ledger to convert
		}}}
	for _, tt := range []struct {
		name, in string
		json     bool
	}{
		{"amount", "key,date,account,amount,currency,base,description\n" +
			"e5,2025-06-30,1120,3540.00,,,UK customer pays\n" +
			"e5,,1210,-3000.00,GBP,-3600.00,\n" +
			"e5,,6990,60.00,,,\n" +
			"e6,2025-09-15,6500,920.00,EUR,,\n" +
			"e6,,1121,-1000.00,USD,,\n", false},
		{"debit and credit", "key;date;account;debit;credit;currency;base;base_currency;description\n" +
			"e5;2025-06-30;1120;3540.00;;;;;UK customer pays\n" +
			"e5;;1210;;3000.00;GBP;3600.00;EUR;\n" +
			"e5;;6990;60.00;;;;;\n" +
			"e6;2025-09-15;6500;920.00;;;;;\n" +
			"e6;;1121;;1000.00;USD;;;\n", false},
		{"json", `[{"key":"e5","date":"2025-06-30","description":"UK customer pays","lines":[
			{"account":"1120","amount":"3540.00"},
			{"account":"1210","amount":"-3000.00","currency":"GBP","base":"-3600.00","base_currency":"EUR"},
			{"account":"6990","amount":"60.00"}]},
			{"key":"e6","date":"2025-09-15","lines":[{"account":"6500","amount":"920.00"},{"account":"1121","amount":"-1000.00","currency":"USD"}]}]`, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			read := ledger.ReadEntries
			if tt.json {
				read = ledger.ReadEntriesJSON
			}
			opts := &ledger.EntryOptions{Currency: money.EUR}
			if _, err := read(strings.NewReader(tt.in), "acme", opts); !errors.Is(err, ledger.ErrUnbalanced) || !errors.Is(err, ledger.ErrNotConverted) ||
				!strings.Contains(err.Error(), "its lines in USD: ledger: postings without a base-currency amount in EUR") {
				t.Errorf("e6 without LedgerConverts: %v, want ErrUnbalanced naming the lines without base amounts", err)
			}
			opts.LedgerConverts = true
			got, err := read(strings.NewReader(tt.in), "acme", opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(got, want, entryCmp...); diff != "" {
				t.Errorf("entries (-got +want):\n%s", diff)
			}
		})
	}
	// WriteEntries adds the base columns only when a line has a base amount.
	var buf bytes.Buffer
	if err := ledger.WriteEntries(&buf, want); err != nil {
		t.Fatal(err)
	}
	wantCSV := "key,date,account,debit,credit,currency,base,base_currency,memo,description,voucher,journal,reverses,adjusts\n" +
		"e5,2025-06-30,1120,3540.00,,EUR,,,,UK customer pays,,,,\n" +
		"e5,,1210,,3000.00,GBP,3600.00,EUR,,,,,,\n" +
		"e5,,6990,60.00,,EUR,,,,,,,,\n" +
		"e6,2025-09-15,6500,920.00,,EUR,,,,,,,,\n" +
		"e6,,1121,,1000.00,USD,,,,,,,,\n"
	if got := buf.String(); got != wantCSV {
		t.Errorf("WriteEntries:\n%s\nwant:\n%s", got, wantCSV)
	}
	buf.Reset()
	if err := ledger.WriteEntries(&buf, want[1:]); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := strings.Cut(buf.String(), "\n"); got != "key,date,account,debit,credit,currency,memo,description,voucher,journal,reverses,adjusts" {
		t.Errorf("header without base amounts: %s", got)
	}
	// LedgerConverts lets through only what converting can balance.
	for _, in := range []string{
		"key,date,account,amount,currency,base\na,2026-01-01,1,10.00,USD,9.20\na,,2,-9.21,EUR,\n", // every line has its value in EUR
		"key,date,account,amount,currency,base\na,2026-01-01,1,10.00,EUR,\na,,2,-9.21,EUR,\n",
	} {
		if _, err := ledger.ReadEntries(strings.NewReader(in), "acme", &ledger.EntryOptions{Currency: money.EUR, LedgerConverts: true}); !errors.Is(err, ledger.ErrUnbalanced) {
			t.Errorf("LedgerConverts, nothing to convert: %v, want ErrUnbalanced\n%s", err, in)
		}
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
		{"base beyond minor units", "key,date,account,amount,currency,base\na,2026-01-01,1,10.00,USD,9.201\na,,2,-9.20,EUR,\n", []string{"2 base"}, ledger.ErrInvalid},
		{"base with grouping", "key,date,account,amount,currency,base\na,2026-01-01,1,1000.00,USD,\"1,920.00\"\na,,2,-1920.00,EUR,\n", []string{"2 base"}, ledger.ErrInvalid},
		{"base on a base-currency line", "key,date,account,amount,currency,base\na,2026-01-01,1,10.00,USD,9.20\na,,2,-9.20,EUR,9.20\n", []string{"3 base"}, ledger.ErrInvalid},
		{"base of the other sign", "key,date,account,amount,currency,base\na,2026-01-01,1,10.00,USD,-9.20\na,,2,-9.20,EUR,\n", []string{"2 base"}, ledger.ErrInvalid},
		{"negative base with debit and credit", "key,date,account,debit,credit,currency,base\na,2026-01-01,1,10.00,,USD,-9.20\na,,2,,9.20,EUR,\n", []string{"2 base"}, ledger.ErrInvalid},
		{"base of another book", "key,date,account,amount,currency,base,base_currency\na,2026-01-01,1,10.00,USD,7.70,GBP\na,,2,-7.70,GBP,,\n", []string{"2 base_currency"}, ledger.ErrInvalid},
		{"base currency without base", "key,date,account,amount,currency,base,base_currency\na,2026-01-01,1,10.00,USD,,EUR\na,,2,-10.00,USD,,\n", []string{"2 base"}, ledger.ErrInvalid},
		{"base does not balance", "key,date,account,amount,currency,base\na,2026-01-01,1,10.00,USD,9.20\na,,2,-9.21,EUR,\n", []string{"2 "}, ledger.ErrUnbalanced},
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
	{"key":"a","date":"bad","lines":[]},
	{"key":"b","date":"2026-01-01","lines":[{"account":"1","amount":"1.00","currency":"USD","base":"0.921"},{"account":"2","amount":"-0.92"}]},
	{"key":"c","date":"2026-01-01","lines":[{"account":"1","amount":"1.00","currency":"USD","base":"0.92","base_currency":"XXX"},{"account":"2","amount":"-0.92"}]}]`
	_, err := ledger.ReadEntriesJSON(strings.NewReader(in), "acme", &ledger.EntryOptions{Currency: money.EUR})
	var list ledger.ImportErrors
	if !errors.As(err, &list) {
		t.Fatalf("%v", err)
	}
	var where []string
	for _, fe := range list {
		where = append(where, itoa(fe.Row)+" "+fe.Column)
	}
	want := []string{"1 lines[2].amount", "2 key", "2 date", "2 lines", "3 lines[1].base", "4 lines[1].base_currency"}
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
	f.Add("key,date,account,amount,currency,base,base_currency\nk,2026-01-01,1121,10.00,USD,9.20,EUR\nk,2026-01-01,1120,-9.20,,,\n")
	f.Add("key,date,account,debit,credit,currency,base\nk,2026-01-01,1121,10.00,,USD,0\nk,2026-01-01,1122,,10.00,USD,0.00\n")
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

// TestReadEntriesCheckDimension: EntryOptions.CheckDimension refuses a
// dimension value with its row and column (CSV) or entry and field (JSON),
// wrapping ErrInvalid and the check's own error; other dimensions and a
// nil check let everything through.
func TestReadEntriesCheckDimension(t *testing.T) {
	errCode := errors.New("unknown VAT code")
	check := func(name, value string) error {
		if name == "vat" && value != "USt19" {
			return errCode
		}
		return nil
	}
	csvIn := "key,date,account,amount,dim.vat,dim.cost_centre\n" +
		"a,2026-01-01,1200,119.00,,X1\na,,8400,-100.00,USt19,X1\na,,1776,-19.00,USt19,\n" +
		"b,2026-01-02,1200,107.00,,\nb,,8300,-100.00,U7,\nb,,1771,-7.00,U7,\n"
	jsonIn := `[{"key":"a","date":"2026-01-01","lines":[{"account":"1200","amount":"119.00"},{"account":"8400","amount":"-100.00","dimensions":{"vat":"USt19"}},{"account":"1776","amount":"-19.00","dimensions":{"vat":"USt19","cost_centre":"X1"}}]},
	{"key":"b","date":"2026-01-02","lines":[{"account":"1200","amount":"107.00"},{"account":"8300","amount":"-100.00","dimensions":{"vat":"U7"}},{"account":"1771","amount":"-7.00","dimensions":{"vat":"U7"}}]}]`
	for _, tc := range []struct {
		name string
		read func(opts *ledger.EntryOptions) ([]ledger.Entry, error)
		want []string
	}{
		{"CSV", func(o *ledger.EntryOptions) ([]ledger.Entry, error) {
			return ledger.ReadEntries(strings.NewReader(csvIn), "acme", o)
		}, []string{"6 dim.vat", "7 dim.vat"}},
		{"JSON", func(o *ledger.EntryOptions) ([]ledger.Entry, error) {
			return ledger.ReadEntriesJSON(strings.NewReader(jsonIn), "acme", o)
		}, []string{"2 lines[2].dimensions.vat", "2 lines[3].dimensions.vat"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.read(&ledger.EntryOptions{Currency: money.EUR, CheckDimension: check})
			var list ledger.ImportErrors
			if got != nil || !errors.As(err, &list) {
				t.Fatalf("got %d entries, %v; want ImportErrors", len(got), err)
			}
			var where []string
			for _, fe := range list {
				where = append(where, itoa(fe.Row)+" "+fe.Column)
				if !errors.Is(fe, ledger.ErrInvalid) || !errors.Is(fe, errCode) {
					t.Errorf("%v does not wrap ErrInvalid and the check's error", fe)
				}
			}
			if diff := cmp.Diff(where, tc.want); diff != "" {
				t.Errorf("problems (-got +want):\n%s", diff)
			}
			all, err := tc.read(&ledger.EntryOptions{Currency: money.EUR})
			if err != nil || len(all) != 2 || all[1].Lines[1].Dimensions["vat"] != "U7" {
				t.Errorf("without a check: %v, %+v", err, all)
			}
		})
	}
}
