package partners_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/partners"
)

// docCmp compares documents and payments: dates, decimals and amounts by
// value, currencies with ==, nil and empty slices alike.
var docCmp = cmp.Options{partyCmp, cmpopts.EquateComparable(money.Currency{})}

func TestReadInvoices(t *testing.T) {
	tests := []struct {
		name     string
		input    string
		currency money.Currency // zero means EUR
		want     []partners.Invoice
	}{
		{
			name: "commas, every column, a two-line invoice and a credit note",
			input: "key,kind,series,party,date,due_date,discount_date,discount_percent,currency,reference,corrects,text," +
				"account,net,vat,cost_centre,line_text\n" +
				`order-4711,invoice,RE2025-,10001,2025-03-03,2025-04-02,2025-03-13,2,EUR,PO 881,,"March, as agreed",` +
				`4100,1000.00,19,CC-10,Consulting` + "\n" +
				`order-4711,,,,,,,,,,,,4100,250.5,7,,"Books ""used"""` + "\n" +
				`cn-1,credit_note,,10001,2025-03-20,,,,,,RE2025-00001,Refund,4100,100,19,,` + "\n",
			want: []partners.Invoice{
				{Book: csvBook, Key: "order-4711", Kind: partners.InvoiceKind, Series: "RE2025-", Party: "10001",
					Date: day("2025-03-03"), DueDate: day("2025-04-02"), DiscountDate: day("2025-03-13"), DiscountRate: dec("0.02"),
					Currency: money.EUR, Reference: "PO 881", Text: "March, as agreed",
					Lines: []partners.InvoiceLine{
						{Account: "4100", Net: eur("1000.00"), VAT: "19", CostCentre: "CC-10", Text: "Consulting"},
						{Account: "4100", Net: eur("250.50"), VAT: "7", Text: `Books "used"`},
					}},
				{Book: csvBook, Key: "cn-1", Kind: partners.CreditNoteKind, Party: "10001", Date: day("2025-03-20"),
					Corrects: "RE2025-00001", Text: "Refund",
					Lines: []partners.InvoiceLine{{Account: "4100", Net: eur("100.00"), VAT: "19"}}},
			},
		},
		{
			name: "semicolons, byte order mark, any order and case, document cells repeated on later rows",
			input: "\uFEFFNet;VAT;Account;KEY;Party;Date;Discount_Percent;discount_date;Kind\n" +
				" 19.99 ;19;6400;ER-7;70001;2025-02-01;2,5;2025-02-10;INVOICE\n" +
				"\n" +
				"0.01;0;6400;ER-7;70001;2025-02-01;;;\n" +
				"5;7;6400;ER-8;70001;2025-02-02;;;\n",
			want: []partners.Invoice{
				{Book: csvBook, Key: "ER-7", Kind: partners.InvoiceKind, Party: "70001", Date: day("2025-02-01"),
					DiscountDate: day("2025-02-10"), DiscountRate: dec("0.025"),
					Lines: []partners.InvoiceLine{
						{Account: "6400", Net: eur("19.99"), VAT: "19"},
						{Account: "6400", Net: eur("0.01"), VAT: "0"},
					}},
				{Book: csvBook, Key: "ER-8", Kind: partners.InvoiceKind, Party: "70001", Date: day("2025-02-02"),
					Lines: []partners.InvoiceLine{{Account: "6400", Net: eur("5.00"), VAT: "7"}}},
			},
		},
		{
			name: "another currency per document, and a default without decimals",
			input: "key;party;date;currency;account;net;vat\n" +
				"a;10001;2025-01-02;;4100;1500;19\n" +
				"b;10001;2025-01-02;BHD;4100;1.234;19\n" +
				"c;10001;2025-01-02;JPY;4100;7;19\n",
			currency: money.JPY,
			want: []partners.Invoice{
				{Book: csvBook, Key: "a", Kind: partners.InvoiceKind, Party: "10001", Date: day("2025-01-02"),
					Lines: []partners.InvoiceLine{{Account: "4100", Net: money.New(1500, money.JPY), VAT: "19"}}},
				{Book: csvBook, Key: "b", Kind: partners.InvoiceKind, Party: "10001", Date: day("2025-01-02"), Currency: money.BHD,
					Lines: []partners.InvoiceLine{{Account: "4100", Net: money.New(1234, money.BHD), VAT: "19"}}},
				{Book: csvBook, Key: "c", Kind: partners.InvoiceKind, Party: "10001", Date: day("2025-01-02"), Currency: money.JPY,
					Lines: []partners.InvoiceLine{{Account: "4100", Net: money.New(7, money.JPY), VAT: "19"}}},
			},
		},
		{
			name:  "header only",
			input: "key,party,date,account,net,vat\n",
			want:  nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.currency
			if c.IsZero() {
				c = money.EUR
			}
			got, err := partners.ReadInvoices(strings.NewReader(tt.input), csvBook, c)
			if err != nil {
				t.Fatalf("ReadInvoices: %v", err)
			}
			if diff := cmp.Diff(got, tt.want, docCmp); diff != "" {
				t.Errorf("ReadInvoices (-got +want):\n%s", diff)
			}
		})
	}
}

// importErrorCase is a file ReadInvoices or ReadPayments refuses.
type importErrorCase struct {
	name     string
	input    string
	book     string   // ReadParties' book; "" means csvBook
	wantIs   []error  // every one must match
	wantMsg  []string // substrings of the message
	problems int      // how many problems the error lists
	secret   []string // values the message must not repeat
}

// checkImportError checks err against tt, for the record kind of file
// ("invoice" or "payment").
func checkImportError[T any](t *testing.T, got []T, err error, tt importErrorCase, record string) {
	t.Helper()
	if err == nil {
		t.Fatalf("read %d records, nil error; want an error", len(got))
	}
	if got != nil {
		t.Errorf("read %d records with the error, want none", len(got))
	}
	for _, target := range tt.wantIs {
		if !errors.Is(err, target) {
			t.Errorf("errors.Is(%v, %v) = false", err, target)
		}
	}
	msg := err.Error()
	for _, s := range tt.wantMsg {
		if !strings.Contains(msg, s) {
			t.Errorf("message %q does not contain %q", msg, s)
		}
	}
	for _, s := range tt.secret {
		if strings.Contains(msg, s) {
			t.Errorf("message %q repeats the value %q", msg, s)
		}
	}
	if tt.problems == 0 {
		return
	}
	list, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("error %T does not list its problems", err)
	}
	probs := list.Unwrap()
	if len(probs) != tt.problems {
		t.Errorf("%d problems, want %d: %v", len(probs), tt.problems, err)
	}
	for _, p := range probs {
		var fe *partners.FieldError
		if !errors.As(p, &fe) || !strings.HasPrefix(fe.Record, record) {
			t.Errorf("problem %v is not a *partners.FieldError of %s", p, record)
		}
		if !errors.Is(p, partners.ErrInvalid) && !errors.Is(p, partners.ErrDuplicate) {
			t.Errorf("problem %v wraps neither ErrInvalid nor ErrDuplicate", p)
		}
	}
}

func TestReadInvoicesErrors(t *testing.T) {
	const header = "key;kind;party;date;due_date;discount_date;discount_percent;corrects;account;net;vat\n"
	row := func(key, net string) string { return key + ";;10001;2025-03-03;;;;;4100;" + net + ";19\n" }
	tests := []importErrorCase{
		{
			name:   "unknown column",
			input:  "key;party;date;account;net;vat;colour\n" + "a;10001;2025-03-03;4100;1.00;19;red\n",
			wantIs: []error{partners.ErrInvalid}, problems: 1,
			wantMsg: []string{`row 1, column "colour"`, "unknown column"},
		},
		{
			name:   "missing key column",
			input:  "party;date;account;net;vat\n" + "10001;2025-03-03;4100;1.00;19\n",
			wantIs: []error{partners.ErrInvalid}, problems: 1,
			wantMsg: []string{`row 1, column "key"`, "missing required column"},
		},
		{
			name:   "missing key",
			input:  header + row("", "1.00"),
			wantIs: []error{partners.ErrInvalid}, problems: 1,
			wantMsg: []string{`row 2, column "key"`, "required"},
		},
		{
			name:   "key of more than 200 bytes",
			input:  header + row(strings.Repeat("k", 201), "1.00"),
			wantIs: []error{partners.ErrInvalid}, problems: 1,
			wantMsg: []string{`row 2, column "key"`, "200 bytes"},
			secret:  []string{"kkk"},
		},
		{
			name:   "key not consecutive",
			input:  header + row("a", "1.00") + row("b", "1.00") + row("a", "2.00"),
			wantIs: []error{partners.ErrDuplicate}, problems: 1,
			wantMsg: []string{`row 4, column "key"`, "invoice a", "row 2", "consecutive"},
		},
		{
			name:   "German amount",
			input:  header + row("a", "1.000,00"),
			wantIs: []error{partners.ErrInvalid}, problems: 1,
			wantMsg: []string{`row 2, column "net"`, "invoice a line 1", "'.' as the decimal point"},
			secret:  []string{"1.000,00", "1000"},
		},
		{
			name:   "comma as thousands separator",
			input:  header + row("a", "1,500"),
			wantIs: []error{partners.ErrInvalid}, problems: 1,
			wantMsg: []string{`row 2, column "net"`, "no thousands separators"},
			secret:  []string{"1,500", "1500"},
		},
		{
			name:   "full stop as thousands separator",
			input:  header + row("a", "1.000"),
			wantIs: []error{partners.ErrInvalid}, problems: 1,
			wantMsg: []string{`row 2, column "net"`, "more decimals than the currency's 2"},
		},
		{
			name:   "three decimals in EUR",
			input:  header + row("a", "12.345"),
			wantIs: []error{partners.ErrInvalid}, problems: 1,
			wantMsg: []string{`row 2, column "net"`, "more decimals than the currency's 2"},
			secret:  []string{"12.345", "345"},
		},
		{
			name:   "not a number",
			input:  header + row("a", "1e3") + row("b", "12 EUR") + row("c", ".5"),
			wantIs: []error{partners.ErrInvalid}, problems: 3,
			wantMsg: []string{`row 2, column "net"`, `row 3, column "net"`, `row 4, column "net"`, "not an amount"},
		},
		{
			name:   "negative and zero net",
			input:  header + row("a", "-10.00") + row("b", "0.00"),
			wantIs: []error{partners.ErrInvalid}, problems: 2,
			wantMsg: []string{`row 2, column "net"`, `row 3, column "net"`, "positive"},
			secret:  []string{"10.00"},
		},
		{
			name:   "missing cells of a line",
			input:  header + "a;;10001;2025-03-03;;;;;;;\n",
			wantIs: []error{partners.ErrInvalid}, problems: 3,
			wantMsg: []string{`row 2, column "account"`, `row 2, column "net"`, `row 2, column "vat"`},
		},
		{
			name:   "discount without date",
			input:  header + "a;;10001;2025-03-03;;;2;;4100;1.00;19\n",
			wantIs: []error{partners.ErrInvalid}, problems: 1,
			wantMsg: []string{`row 2, column "discount_date"`, "without a discount date"},
		},
		{
			name:   "discount date without percentage",
			input:  header + "a;;10001;2025-03-03;;2025-03-10;;;4100;1.00;19\n",
			wantIs: []error{partners.ErrInvalid}, problems: 1,
			wantMsg: []string{`row 2, column "discount_percent"`, "without a percentage"},
		},
		{
			name: "dates out of order",
			input: header +
				"a;;10001;2025-03-03;2025-03-02;;;;4100;1.00;19\n" +
				"b;;10001;2025-03-03;;2025-03-02;2;;4100;1.00;19\n" +
				"c;;10001;2025-03-03;2025-03-10;2025-03-11;2;;4100;1.00;19\n",
			wantIs: []error{partners.ErrInvalid}, problems: 3,
			wantMsg: []string{`row 2, column "due_date"`, `row 3, column "discount_date"`, "before the invoice date",
				`row 4, column "discount_date"`, "after the due date"},
		},
		{
			name: "bad cells of the document",
			input: header +
				"a;bill;10001;03.03.2025;2025-13-01;;100;;4100;1.00;19\n" +
				"b;;10 001;;;;-1;;4100;1.00;19\n",
			wantIs: []error{partners.ErrInvalid}, problems: 7,
			wantMsg: []string{`row 2, column "kind"`, `row 2, column "date"`, `row 2, column "due_date"`,
				`row 2, column "discount_percent"`, `row 3, column "party"`, `row 3, column "date"`, `row 3, column "discount_percent"`},
		},
		{
			name: "kind and corrects",
			input: header +
				"a;credit_note;10001;2025-03-03;;;;;4100;1.00;19\n" +
				"b;invoice;10001;2025-03-03;;;;RE00001;4100;1.00;19\n",
			wantIs: []error{partners.ErrInvalid}, problems: 2,
			wantMsg: []string{`row 2, column "corrects"`, "names the invoice it corrects", `row 3, column "corrects"`, "only credit notes"},
		},
		{
			name: "later row differs from the first",
			input: header + row("a", "1.00") +
				"a;credit_note;10002;2025-03-03;;;;;4100;2.00;19\n",
			wantIs: []error{partners.ErrInvalid}, problems: 2,
			wantMsg: []string{`row 3, column "kind"`, `row 3, column "party"`, "differs from row 2"},
			secret:  []string{"10002"},
		},
		{
			name:   "currency, series, cost centre",
			input:  "key;party;date;currency;series;account;net;vat;cost_centre\n" + "a;10001;2025-03-03;eur;R/1;4100;1.00;19;C C\n",
			wantIs: []error{partners.ErrInvalid}, problems: 3,
			wantMsg: []string{`row 2, column "currency"`, `row 2, column "series"`, `row 2, column "cost_centre"`},
		},
		{
			name:   "no scale error for a document with a bad currency",
			input:  "key;party;date;currency;account;net;vat\n" + "a;10001;2025-03-03;XYZ;4100;1.234;19\n",
			wantIs: []error{partners.ErrInvalid}, problems: 1,
			wantMsg: []string{`row 2, column "currency"`},
		},
		{
			name:   "wrong number of cells",
			input:  header + "a;;10001\n",
			wantIs: []error{partners.ErrInvalid}, problems: 1,
			wantMsg: []string{"row 2: ", "wrong number of fields"},
		},
		{
			name:   "empty input",
			input:  "",
			wantIs: []error{partners.ErrInvalid}, problems: 1,
			wantMsg: []string{"no header row"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := partners.ReadInvoices(strings.NewReader(tt.input), csvBook, money.EUR)
			checkImportError(t, got, err, tt, "invoice")
		})
	}
}

func TestReadDocumentsArguments(t *testing.T) {
	const input = "key,party,date,amount,account,net,vat\n"
	tests := []struct {
		name     string
		book     string
		currency money.Currency
		field    string
	}{
		{"book with a space", "my book", money.EUR, "book"},
		{"no book", "", money.EUR, "book"},
		{"no currency", csvBook, money.Currency{}, "currency"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for name, read := range map[string]func() error{
				"ReadInvoices": func() error {
					_, err := partners.ReadInvoices(strings.NewReader(input), tt.book, tt.currency)
					return err
				},
				"ReadPayments": func() error {
					_, err := partners.ReadPayments(strings.NewReader(input), tt.book, tt.currency)
					return err
				},
			} {
				err := read()
				var fe *partners.FieldError
				if !errors.As(err, &fe) || fe.Field != tt.field || !errors.Is(err, partners.ErrInvalid) {
					t.Errorf("%s = %v, want a *FieldError of field %s wrapping ErrInvalid", name, err, tt.field)
				}
			}
		})
	}
}

func TestReadDocumentsIOError(t *testing.T) {
	boom := errors.New("disk on fire")
	invs, err := partners.ReadInvoices(&errReader{data: "key,party,date,account,net,vat\na,1,2025-01-01,4100,1.00,19\n", err: boom}, csvBook, money.EUR)
	if !errors.Is(err, boom) || invs != nil {
		t.Errorf("ReadInvoices = %d, %v; want no invoices and an error wrapping the reader's", len(invs), err)
	}
	pays, err := partners.ReadPayments(&errReader{data: "key,party,date,amount\na,1,2025-01-01,0\n", err: boom}, csvBook, money.EUR)
	if !errors.Is(err, boom) || pays != nil {
		t.Errorf("ReadPayments = %d, %v; want no payments and an error wrapping the reader's", len(pays), err)
	}
}

func TestReadPayments(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []partners.Payment
	}{
		{
			name: "a payment settling two items with a discount, semicolons, byte order mark",
			input: "\uFEFFkey;party;date;account;amount;end_to_end_id;text;item;paid;discount;writeoff\n" +
				"bank/2025-03-12/1;10001;2025-03-12;1120;1666.00;E2E-1;\"Invoices 1; 2\";RE00001;1166.20;23.80;\n" +
				"bank/2025-03-12/1;;;;;;;RE00002;499.80;;0.00\n",
			want: []partners.Payment{
				{Book: csvBook, Key: "bank/2025-03-12/1", Party: "10001", Date: day("2025-03-12"), Account: "1120",
					Amount: eur("1666.00"), EndToEndID: "E2E-1", Text: "Invoices 1; 2",
					Allocations: []partners.Allocation{
						{Item: "RE00001", Amount: eur("1166.20"), Discount: eur("23.80")},
						{Item: "RE00002", Amount: eur("499.80"), WriteOff: eur("0")},
					}},
			},
		},
		{
			name: "automatic allocation, a settlement without money, repeated payment cells, commas",
			input: "Item,Key,Party,Date,Amount,Account,Discount,Writeoff\n" +
				",b-1,10002,2025-04-10,600,1120,,\n" +
				"RE00007,wo-1,10002,2025-04-30,0.00,,,12.00\n" +
				"RE00008,wo-1,10002,2025-04-30,0.00,,1.5,\n",
			want: []partners.Payment{
				{Book: csvBook, Key: "b-1", Party: "10002", Date: day("2025-04-10"), Account: "1120", Amount: eur("600.00")},
				{Book: csvBook, Key: "wo-1", Party: "10002", Date: day("2025-04-30"), Amount: eur("0"),
					Allocations: []partners.Allocation{
						{Item: "RE00007", WriteOff: eur("12.00")},
						{Item: "RE00008", Discount: eur("1.50")},
					}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := partners.ReadPayments(strings.NewReader(tt.input), csvBook, money.EUR)
			if err != nil {
				t.Fatalf("ReadPayments: %v", err)
			}
			if diff := cmp.Diff(got, tt.want, docCmp); diff != "" {
				t.Errorf("ReadPayments (-got +want):\n%s", diff)
			}
		})
	}
}

func TestReadPaymentsErrors(t *testing.T) {
	const header = "key;party;date;account;amount;end_to_end_id;item;paid;discount;writeoff\n"
	tests := []importErrorCase{
		{
			name: "paid does not add up to the amount",
			input: header +
				"p;10001;2025-03-12;1120;1666.00;;RE00001;1166.20;23.80;\n" +
				"p;;;;;;RE00002;499.00;;\n",
			wantIs: []error{partners.ErrInvalid}, problems: 1,
			wantMsg: []string{`row 2, column "amount"`, "payment p", "does not add up"},
			secret:  []string{"1666", "1166", "499"},
		},
		{
			name: "an item on some rows only",
			input: header +
				"p;10001;2025-03-12;1120;2.00;;RE00001;1.00;;\n" +
				"p;;;;;;;1.00;;\n",
			wantIs: []error{partners.ErrInvalid}, problems: 1,
			wantMsg: []string{`row 3, column "item"`, "other rows of the payment name items"},
		},
		{
			name: "an item twice",
			input: header +
				"p;10001;2025-03-12;1120;2.00;;RE00001;1.00;;\n" +
				"p;;;;;;RE00001;1.00;;\n",
			wantIs: []error{partners.ErrDuplicate}, problems: 1,
			wantMsg: []string{`row 3, column "item"`, "item RE00001 of row 2 again"},
		},
		{
			name: "key not consecutive",
			input: header +
				"p;10001;2025-03-12;1120;2.00;;;;;\n" +
				"q;10001;2025-03-12;1120;2.00;;;;;\n" +
				"p;10001;2025-03-12;1120;2.00;;;;;\n",
			wantIs: []error{partners.ErrDuplicate}, problems: 1,
			wantMsg: []string{`row 4, column "key"`, "payment p", "consecutive"},
		},
		{
			name:   "negative amount, malformed paid and discount",
			input:  header + "p;10001;2025-03-12;1120;-5.00;;RE00001;1,00;-1.00;\n",
			wantIs: []error{partners.ErrInvalid}, problems: 3,
			wantMsg: []string{`row 2, column "amount"`, "zero or a positive amount", `row 2, column "paid"`,
				`row 2, column "discount"`, "payment p allocation 1"},
			secret: []string{"5.00", "1,00"},
		},
		{
			name:   "money without an account, a long end-to-end ID",
			input:  header + "p;10001;2025-03-12;;5.00;" + strings.Repeat("E", 36) + ";;;;\n",
			wantIs: []error{partners.ErrInvalid}, problems: 2,
			wantMsg: []string{`row 2, column "account"`, `row 2, column "end_to_end_id"`},
			secret:  []string{"EEE"},
		},
		{
			name: "automatic allocation in two rows, amounts without item",
			input: header +
				"p;10001;2025-03-12;1120;5.00;;;5.00;;\n" +
				"p;;;;;;;;;\n",
			wantIs: []error{partners.ErrInvalid}, problems: 2,
			wantMsg: []string{`row 2, column "paid"`, "for no item", `row 3, column "item"`, "several rows"},
		},
		{
			name:   "no money and no items",
			input:  header + "p;10001;2025-03-12;;0;;;;;\n",
			wantIs: []error{partners.ErrInvalid}, problems: 1,
			wantMsg: []string{`row 2, column "item"`, "without money"},
		},
		{
			name:   "a row that settles nothing",
			input:  header + "p;10001;2025-03-12;;0;;RE00001;0.00;;\n",
			wantIs: []error{partners.ErrInvalid}, problems: 1,
			wantMsg: []string{`row 2, column "paid"`, "settles nothing"},
		},
		{
			name:   "missing payment cells",
			input:  header + "p;;;;;;;;;\n",
			wantIs: []error{partners.ErrInvalid}, problems: 3,
			wantMsg: []string{`row 2, column "party"`, `row 2, column "date"`, `row 2, column "amount"`},
		},
		{
			name: "later row differs from the first",
			input: header +
				"p;10001;2025-03-12;1120;2.00;;RE00001;1.00;;\n" +
				"p;10001;2025-03-13;1120;2.00;;RE00002;1.00;;\n",
			wantIs: []error{partners.ErrInvalid}, problems: 1,
			wantMsg: []string{`row 3, column "date"`, "differs from row 2"},
		},
		{
			name:   "unknown column",
			input:  "key;party;date;amount;currency\n" + "p;10001;2025-03-12;0;EUR\n",
			wantIs: []error{partners.ErrInvalid}, problems: 1,
			wantMsg: []string{`row 1, column "currency"`, "unknown column"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := partners.ReadPayments(strings.NewReader(tt.input), csvBook, money.EUR)
			checkImportError(t, got, err, tt, "payment")
		})
	}
}

// roundTripInvoices are valid documents using every column, with cells a
// spreadsheet or CSV writer might trip over.
func roundTripInvoices() []partners.Invoice {
	return []partners.Invoice{
		{Book: csvBook, Key: "order-4711", Kind: partners.InvoiceKind, Series: "RE2025-", Party: "10001",
			Date: day("2025-03-03"), DueDate: day("2025-04-02"), DiscountDate: day("2025-03-13"), DiscountRate: dec("0.0125"),
			Currency: money.EUR, Reference: "PO; 881", Text: "=SUM(A1)\n\"quoted\", twice",
			Lines: []partners.InvoiceLine{
				{Account: "4100", Net: eur("1000.00"), VAT: "19", CostCentre: "CC-10", Text: "Consulting"},
				{Account: "4100", Net: eur("0.01"), VAT: "7", Text: "Bücher"},
				{Account: "4200", Net: eur("123456789.99"), VAT: "0"},
			}},
		{Book: csvBook, Key: "cn 1/2025", Kind: partners.CreditNoteKind, Party: "10001", Date: day("2025-03-20"),
			Corrects: "RE2025-00001",
			Lines:    []partners.InvoiceLine{{Account: "4100", Net: eur("100.00"), VAT: "19"}}},
		{Book: csvBook, Key: "usd", Kind: partners.InvoiceKind, Party: "K-7", Date: day("2025-03-21"), Currency: money.USD,
			Lines: []partners.InvoiceLine{{Account: "4100", Net: money.MustParse("5", money.USD), VAT: "19"}}},
	}
}

// roundTripPayments are valid payments using every column.
func roundTripPayments() []partners.Payment {
	return []partners.Payment{
		{Book: csvBook, Key: "bank/2025-03-12/1", Party: "10001", Date: day("2025-03-12"), Account: "1120",
			Amount: eur("1666.00"), EndToEndID: "E2E-1", Text: "Invoices 1, 2;\n\"3\"",
			Allocations: []partners.Allocation{
				{Item: "RE00001", Amount: eur("1166.20"), Discount: eur("23.80")},
				{Item: "RE00002", Amount: eur("499.80"), WriteOff: eur("0.00")},
			}},
		{Book: csvBook, Key: "b-1", Party: "10002", Date: day("2025-04-10"), Account: "1120", Amount: eur("600.00")},
		{Book: csvBook, Key: "wo-1", Party: "10002", Date: day("2025-04-30"), Amount: eur("0"),
			Allocations: []partners.Allocation{{Item: "RE00007", WriteOff: eur("12.00")}}},
	}
}

func TestWriteInvoices(t *testing.T) {
	tests := []struct {
		name     string
		invoices []partners.Invoice
	}{
		{"every column", roundTripInvoices()},
		{"none", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := partners.WriteInvoices(&buf, tt.invoices); err != nil {
				t.Fatalf("WriteInvoices: %v", err)
			}
			header, _, _ := strings.Cut(buf.String(), "\n")
			wantHeader := "key,kind,series,party,date,due_date,discount_date,discount_percent,currency,reference,corrects,text," +
				"account,net,vat,cost_centre,line_text"
			if header != wantHeader {
				t.Errorf("header = %q, want %q", header, wantHeader)
			}
			got, err := partners.ReadInvoices(&buf, csvBook, money.EUR)
			if err != nil {
				t.Fatalf("ReadInvoices(WriteInvoices(x)): %v", err)
			}
			if diff := cmp.Diff(got, tt.invoices, docCmp); diff != "" {
				t.Errorf("ReadInvoices(WriteInvoices(x)) (-got +want):\n%s", diff)
			}
		})
	}
}

func TestWritePayments(t *testing.T) {
	tests := []struct {
		name     string
		payments []partners.Payment
	}{
		{"every column", roundTripPayments()},
		{"none", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := partners.WritePayments(&buf, tt.payments); err != nil {
				t.Fatalf("WritePayments: %v", err)
			}
			header, _, _ := strings.Cut(buf.String(), "\n")
			if want := "key,party,date,account,amount,end_to_end_id,text,item,paid,discount,writeoff"; header != want {
				t.Errorf("header = %q, want %q", header, want)
			}
			got, err := partners.ReadPayments(&buf, csvBook, money.EUR)
			if err != nil {
				t.Fatalf("ReadPayments(WritePayments(x)): %v", err)
			}
			if diff := cmp.Diff(got, tt.payments, docCmp); diff != "" {
				t.Errorf("ReadPayments(WritePayments(x)) (-got +want):\n%s", diff)
			}
		})
	}
}

func TestWriteDocumentsRefused(t *testing.T) {
	invs := roundTripInvoices()
	noLines := invs[1]
	noLines.Lines = nil
	pays := roundTripPayments()
	tests := []struct {
		name  string
		write func(w *bytes.Buffer) error
		want  error
	}{
		{"invoice without lines", func(w *bytes.Buffer) error {
			return partners.WriteInvoices(w, []partners.Invoice{invs[0], noLines})
		}, partners.ErrInvalid},
		{"two invoices with one key", func(w *bytes.Buffer) error {
			return partners.WriteInvoices(w, []partners.Invoice{invs[0], invs[1], invs[0]})
		}, partners.ErrDuplicate},
		{"two payments with one key", func(w *bytes.Buffer) error {
			return partners.WritePayments(w, []partners.Payment{pays[1], pays[1]})
		}, partners.ErrDuplicate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := tt.write(&buf)
			var fe *partners.FieldError
			if !errors.Is(err, tt.want) || !errors.As(err, &fe) {
				t.Errorf("write = %v, want a *FieldError wrapping %v", err, tt.want)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes before failing, want none", buf.Len())
			}
		})
	}
}

func TestWriteDocumentsError(t *testing.T) {
	if err := partners.WriteInvoices(failingWriter{}, roundTripInvoices()); !errors.Is(err, io.ErrShortWrite) {
		t.Errorf("WriteInvoices = %v, want it to wrap the writer's error", err)
	}
	if err := partners.WritePayments(failingWriter{}, roundTripPayments()); !errors.Is(err, io.ErrShortWrite) {
		t.Errorf("WritePayments = %v, want it to wrap the writer's error", err)
	}
}

// TestReadDocumentsPost posts what ReadInvoices and ReadPayments read.
func TestReadDocumentsPost(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	invs, err := partners.ReadInvoices(strings.NewReader(
		"key;party;date;discount_date;discount_percent;account;net;vat;line_text\n"+
			"order-1;10001;2025-03-03;2025-03-13;2;4100;1000.00;19;Consulting\n"+
			"order-1;;;;;4100;200.00;7;Books\n"+
			"order-2;10001;2025-03-04;;;4100;420.00;19;\n"), book, money.EUR)
	if err != nil {
		t.Fatal(err)
	}
	posted, err := f.p.PostBatch(ctx, invs)
	if err != nil {
		t.Fatalf("PostBatch: %v", err)
	}
	var gross []string
	for _, inv := range posted {
		gross = append(gross, inv.Number+" "+inv.Gross.String())
	}
	if diff := cmp.Diff(gross, []string{"RE00001 1404.00 EUR", "RE00002 499.80 EUR"}); diff != "" {
		t.Errorf("posted (-got +want):\n%s", diff)
	}
	pays, err := partners.ReadPayments(strings.NewReader(
		"key;party;date;account;amount;item;paid;discount\n"+
			"bank-1;10001;2025-03-12;1120;1875.72;RE00001;1375.92;28.08\n"+
			"bank-1;;;;;RE00002;499.80;\n"), book, money.EUR)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.p.Settle(ctx, pays[0]); err != nil {
		t.Fatalf("Settle: %v", err)
	}
	items, err := f.p.Items(ctx, book, partners.ItemQuery{Party: "10001", OpenOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 0 {
		t.Errorf("%d items open after the payment, want none", len(items))
	}
}

func FuzzReadInvoices(f *testing.F) {
	var buf bytes.Buffer
	if err := partners.WriteInvoices(&buf, roundTripInvoices()); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.String())
	f.Add("\uFEFFkey;party;date;discount_percent;discount_date;account;net;vat\na;10001;2025-01-01;2,5;2025-01-05;4100;1.5;19\na;;;;;4100;2;7\n")
	f.Add("key,kind,party,date,corrects,currency,account,net,vat\nc,CREDIT_NOTE,1,2025-01-01,RE1,JPY,4100,7,0\n")
	f.Add("key;party;date;account;net;vat\na;1;2025-01-01;4100;1.000,00;19\nb;1;2025-01-01;4100;-1;19\na;1;2025-01-01;4100;1;19\n")
	f.Fuzz(func(t *testing.T, input string) {
		invs, err := partners.ReadInvoices(strings.NewReader(input), csvBook, money.EUR)
		if err != nil {
			if invs != nil {
				t.Fatalf("ReadInvoices returned %d invoices and an error", len(invs))
			}
			if !errors.Is(err, partners.ErrInvalid) && !errors.Is(err, partners.ErrDuplicate) {
				t.Fatalf("error %v wraps neither ErrInvalid nor ErrDuplicate", err)
			}
			return
		}
		var out bytes.Buffer
		if err := partners.WriteInvoices(&out, invs); err != nil {
			t.Fatalf("WriteInvoices: %v", err)
		}
		again, err := partners.ReadInvoices(&out, csvBook, money.EUR)
		if err != nil {
			t.Fatalf("ReadInvoices(WriteInvoices(x)): %v\n%q", err, out.String())
		}
		if diff := cmp.Diff(again, invs, docCmp); diff != "" {
			t.Fatalf("ReadInvoices(WriteInvoices(x)) (-got +want):\n%s", diff)
		}
	})
}

func FuzzReadPayments(f *testing.F) {
	var buf bytes.Buffer
	if err := partners.WritePayments(&buf, roundTripPayments()); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.String())
	f.Add("\uFEFFkey;party;date;account;amount;item;paid;discount\np;1;2025-01-01;1120;3;A;1;\np;;;;;B;2;0.5\n")
	f.Add("key,party,date,amount,item,writeoff\nw,1,2025-01-01,0,A,1\nv,1,2025-01-01,0,,\n")
	f.Fuzz(func(t *testing.T, input string) {
		pays, err := partners.ReadPayments(strings.NewReader(input), csvBook, money.EUR)
		if err != nil {
			if pays != nil {
				t.Fatalf("ReadPayments returned %d payments and an error", len(pays))
			}
			if !errors.Is(err, partners.ErrInvalid) && !errors.Is(err, partners.ErrDuplicate) {
				t.Fatalf("error %v wraps neither ErrInvalid nor ErrDuplicate", err)
			}
			return
		}
		var out bytes.Buffer
		if err := partners.WritePayments(&out, pays); err != nil {
			t.Fatalf("WritePayments: %v", err)
		}
		again, err := partners.ReadPayments(&out, csvBook, money.EUR)
		if err != nil {
			t.Fatalf("ReadPayments(WritePayments(x)): %v\n%q", err, out.String())
		}
		if diff := cmp.Diff(again, pays, docCmp); diff != "" {
			t.Fatalf("ReadPayments(WritePayments(x)) (-got +want):\n%s", diff)
		}
	})
}

func ExampleReadInvoices() {
	input := "\uFEFFkey;party;date;discount_date;discount_percent;account;net;vat;line_text\n" +
		"order-4711;10001;2025-03-03;2025-03-13;2;8400;1000.00;19;Consulting\n" +
		"order-4711;;;;;8300;200.00;7;Books\n"
	invs, err := partners.ReadInvoices(strings.NewReader(input), "acme", money.EUR)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, inv := range invs {
		fmt.Println(inv.Key, inv.Kind, inv.Party, inv.Date, inv.DiscountDate, inv.DiscountRate)
		for _, l := range inv.Lines {
			fmt.Println(" ", l.Account, l.Net, l.VAT, l.Text)
		}
	}

	_, err = partners.ReadInvoices(strings.NewReader("key;party;date;account;net;vat\nx;10001;2025-03-03;8400;1.000,00;19\n"), "acme", money.EUR)
	fmt.Println(err)
	// Output:
	// order-4711 invoice 10001 2025-03-03 2025-03-13 0.02
	//   8400 1000.00 EUR 19 Consulting
	//   8300 200.00 EUR 7 Books
	// row 2, column "net": partners: invoice x line 1: field net: partners: invalid: a ',' in an amount: write digits with '.' as the decimal point and no thousands separators
}

func ExampleWritePayments() {
	payments := []partners.Payment{{
		Key: "bank/2025-03-12/1", Party: "10001", Date: date.MustParse("2025-03-12"), Account: "1200",
		Amount: money.MustParse("1666.00", money.EUR),
		Allocations: []partners.Allocation{
			{Item: "RE00001", Amount: money.MustParse("1166.20", money.EUR), Discount: money.MustParse("23.80", money.EUR)},
			{Item: "RE00002", Amount: money.MustParse("499.80", money.EUR)},
		},
	}}
	if err := partners.WritePayments(os.Stdout, payments); err != nil {
		fmt.Println(err)
	}
	// Output:
	// key,party,date,account,amount,end_to_end_id,text,item,paid,discount,writeoff
	// bank/2025-03-12/1,10001,2025-03-12,1200,1666.00,,,RE00001,1166.20,23.80,
	// bank/2025-03-12/1,,,,,,,RE00002,499.80,,
}
