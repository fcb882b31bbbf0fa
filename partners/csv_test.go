package partners_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/partners"
)

// partyCmp compares parties: dates and decimals by value.
var partyCmp = cmp.Options{
	cmp.Comparer(func(a, b date.Date) bool { return a == b }),
	cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) }),
	cmpopts.EquateEmpty(),
}

const csvBook = "acme"

func TestReadParties(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []partners.Party
	}{
		{
			name: "semicolons, byte order mark, any order and case, normalized cells",
			input: "\uFEFFName;NUMBER;Role;vat_id;IBAN;bic;Net_Days;discount_days;discount_percent;valid_from;country\n" +
				"Muster GmbH;10001;Customer;de 136.695-976;de89 3704 0044 0532 0130 00;cobadeffxxx;30;10;2,5;2025-01-01;DE\n" +
				"\n" +
				"  Lieferant AG  ;70001;supplier;;;;14;;;;\n",
			want: []partners.Party{
				{Book: csvBook, Number: "10001", Role: partners.Customer, ValidFrom: date.MustParse("2025-01-01"),
					Name: "Muster GmbH", Address: partners.Address{Country: "DE"}, VATID: "DE136695976",
					Bank:  hr.BankAccount{IBAN: "DE89370400440532013000", BIC: "COBADEFFXXX"},
					Terms: partners.Terms{NetDays: 30, DiscountDays: 10, DiscountRate: decimal.RequireFromString("0.025")}},
				{Book: csvBook, Number: "70001", Role: partners.Supplier, Name: "Lieferant AG",
					Terms: partners.Terms{NetDays: 14}},
			},
		},
		{
			name: "commas, every column, quoted cells",
			input: "number,role,valid_from,name,street,postal_code,city,country,vat_id,iban,bic,routing_number,account_number," +
				"net_days,discount_days,discount_percent,dunning,consumer\n" +
				`K-1,customer,,"Doe, Jane","Main St. 1",12345,Springfield,US,,,,021000021,123456789,14,,,none,TRUE` + "\n" +
				`80000,supplier,2024-02-29,"Van ""Dijk"" BV",,,,NL,NL004495445B01,NL91ABNA0417164300,,,,60,14,3,,false` + "\n",
			want: []partners.Party{
				{Book: csvBook, Number: "K-1", Role: partners.Customer, Name: "Doe, Jane",
					Address: partners.Address{Street: "Main St. 1", PostalCode: "12345", City: "Springfield", Country: "US"},
					Bank:    hr.BankAccount{RoutingNumber: "021000021", AccountNumber: "123456789"},
					Terms:   partners.Terms{NetDays: 14}, Dunning: "none", Consumer: true},
				{Book: csvBook, Number: "80000", Role: partners.Supplier, ValidFrom: date.MustParse("2024-02-29"),
					Name: `Van "Dijk" BV`, Address: partners.Address{Country: "NL"}, VATID: "NL004495445B01",
					Bank:  hr.BankAccount{IBAN: "NL91ABNA0417164300"},
					Terms: partners.Terms{NetDays: 60, DiscountDays: 14, DiscountRate: decimal.RequireFromString("0.03")}},
			},
		},
		{
			name: "versions of one party",
			input: "number;role;name;valid_from\n" +
				"10001;customer;Alt GmbH;\n" +
				"10001;customer;Neu GmbH;2025-07-01\n",
			want: []partners.Party{
				{Book: csvBook, Number: "10001", Role: partners.Customer, Name: "Alt GmbH"},
				{Book: csvBook, Number: "10001", Role: partners.Customer, Name: "Neu GmbH", ValidFrom: date.MustParse("2025-07-01")},
			},
		},
		{
			name: "short and non-numeric numbers are not DATEV accounts",
			input: "number,role,name\n" +
				"9,customer,A\n" +
				"0815,customer,B\n" +
				"1000A,supplier,C\n",
			want: []partners.Party{
				{Book: csvBook, Number: "9", Role: partners.Customer, Name: "A"},
				{Book: csvBook, Number: "0815", Role: partners.Customer, Name: "B"},
				{Book: csvBook, Number: "1000A", Role: partners.Supplier, Name: "C"},
			},
		},
		{
			name:  "header only",
			input: "number;role;name\n",
			want:  nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := partners.ReadParties(strings.NewReader(tt.input), csvBook)
			if err != nil {
				t.Fatalf("ReadParties: %v", err)
			}
			if diff := cmp.Diff(got, tt.want, partyCmp); diff != "" {
				t.Errorf("ReadParties (-got +want):\n%s", diff)
			}
		})
	}
}

func TestReadPartiesErrors(t *testing.T) {
	const header = "number;role;name;country;vat_id;iban;bic;routing_number;account_number;net_days;discount_days;discount_percent;valid_from;consumer\n"
	tests := []importErrorCase{
		{
			name:   "VAT ID check digit",
			input:  header + "10001;customer;Muster GmbH;DE;DE136695978;;;;;;;;;\n",
			wantIs: []error{partners.ErrInvalid}, problems: 1,
			wantMsg: []string{`row 2, column "vat_id"`, "party 10001", "check digit"},
			secret:  []string{"136695978"},
		},
		{
			name:   "VAT ID of an unknown country",
			input:  header + "10001;customer;Muster GmbH;;GR123456789;;;;;;;;;\n",
			wantIs: []error{partners.ErrInvalid}, problems: 1,
			wantMsg: []string{`row 2, column "vat_id"`, "unknown country prefix"},
			secret:  []string{"123456789"},
		},
		{
			name:   "IBAN checksum",
			input:  header + "10001;customer;Muster GmbH;;;DE89370400440532013001;;;;;;;;\n",
			wantIs: []error{partners.ErrInvalid, hr.ErrBankAccount}, problems: 1,
			wantMsg: []string{`row 2, column "iban"`, "checksum"},
			secret:  []string{"370400440532013001"},
		},
		{
			name:   "routing number without account number",
			input:  header + "10001;customer;Muster GmbH;;;;;021000021;;;;;;\n",
			wantIs: []error{partners.ErrInvalid, hr.ErrBankAccount}, problems: 1,
			wantMsg: []string{`row 2, column "account_number"`},
		},
		{
			name: "same number and valid_from twice",
			input: header +
				"10001;customer;Muster GmbH;;;;;;;;;;2025-01-01;\n" +
				"10002;customer;Other;;;;;;;;;;;\n" +
				"10001;customer;Muster AG;;;;;;;;;;2025-01-01;\n",
			wantIs: []error{partners.ErrDuplicate}, problems: 1,
			wantMsg: []string{`row 4, column "number"`, "party 10001", "row 2"},
		},
		{
			name: "same number without valid_from twice",
			input: header +
				"70001;supplier;A;;;;;;;;;;;\n" +
				"70001;supplier;B;;;;;;;;;;;\n",
			wantIs: []error{partners.ErrDuplicate}, problems: 1,
			wantMsg: []string{`row 3, column "number"`},
		},
		{
			name: "role changes between versions",
			input: header +
				"K1;customer;A;;;;;;;;;;;\n" +
				"K1;supplier;A;;;;;;;;;;2025-01-01;\n",
			wantIs: []error{partners.ErrInvalid}, problems: 1,
			wantMsg: []string{`row 3, column "role"`, "customer in row 2"},
		},
		{
			name:   "customer outside the DATEV range",
			input:  header + "70001;customer;A;;;;;;;;;;;\n",
			wantIs: []error{partners.ErrInvalid}, problems: 1,
			wantMsg: []string{`row 2, column "number"`, "1–6"},
		},
		{
			name:   "supplier outside the DATEV range",
			input:  header + "10001;supplier;A;;;;;;;;;;;\n",
			wantIs: []error{partners.ErrInvalid}, problems: 1,
			wantMsg: []string{`row 2, column "number"`, "7–9"},
		},
		{
			name:   "DATEV number starting with 0",
			input:  header + "01234;customer;A;;;;;;;;;;;\n",
			wantIs: []error{partners.ErrInvalid}, problems: 1,
			wantMsg: []string{`row 2, column "number"`},
		},
		{
			name: "malformed numbers",
			input: header +
				"10 01;customer;A;;;;;;;;;;;\n" +
				"10/01;customer;A;;;;;;;;;;;\n" +
				strings.Repeat("x", 65) + ";customer;A;;;;;;;;;;;\n" +
				";customer;A;;;;;;;;;;;\n",
			wantIs: []error{partners.ErrInvalid}, problems: 4,
			wantMsg: []string{`row 2, column "number"`, `row 3, column "number"`, `row 4, column "number"`, `row 5, column "number"`},
			secret:  []string{"10 01", "10/01", "xxxxxxxx"},
		},
		{
			name: "role and name",
			input: header +
				"1;;A;;;;;;;;;;;\n" +
				"2;debtor;A;;;;;;;;;;;\n" +
				"3;customer;   ;;;;;;;;;;;\n",
			wantIs: []error{partners.ErrInvalid}, problems: 3,
			wantMsg: []string{`row 2, column "role"`, "required", `row 3, column "role"`, "want customer or supplier", `row 4, column "name"`},
		},
		{
			name:   "country in lower case",
			input:  header + "1;customer;A;de;;;;;;;;;;\n",
			wantIs: []error{partners.ErrInvalid}, problems: 1,
			wantMsg: []string{`row 2, column "country"`},
		},
		{
			name: "payment terms",
			input: header +
				"1;customer;A;;;;;;;-1;;;;\n" +
				"2;customer;A;;;;;;;thirty;;;;\n" +
				"3;customer;A;;;;;;;10;14;2;;\n" +
				"4;customer;A;;;;;;;30;;2;;\n" +
				"5;customer;A;;;;;;;30;10;100;;\n" +
				"6;customer;A;;;;;;;30;10;-1;;\n" +
				"7;customer;A;;;;;;;30;10;2 %;;\n" +
				"8;customer;A;;;;;;;1000;;;;\n",
			wantIs: []error{partners.ErrInvalid}, problems: 8,
			wantMsg: []string{
				`row 2, column "net_days": partners: party 1: field net_days: partners: invalid: must not be negative`,
				`row 3, column "net_days": partners: party 2: field net_days: partners: invalid: not a whole number`,
				`row 4, column "discount_days": partners: party 3: field discount_days: partners: invalid: more than net_days`,
				`row 5, column "discount_days": partners: party 4: field discount_days: partners: invalid: a cash discount needs discount days`,
				`row 6, column "discount_percent"`, `row 7, column "discount_percent"`,
				`row 8, column "discount_percent": partners: party 7: field discount_percent: partners: invalid: not a decimal number`,
				`row 9, column "net_days"`,
			},
		},
		{
			name:   "date and flag",
			input:  header + "1;customer;A;;;;;;;;;;2025-02-30;maybe\n",
			wantIs: []error{partners.ErrInvalid}, problems: 2,
			wantMsg: []string{`row 2, column "valid_from"`, "YYYY-MM-DD", `row 2, column "consumer"`},
		},
		{
			name: "every problem of every row",
			input: header +
				"10001;customer;A;;DE136695978;DE00;;;;;;;;\n" +
				"ok;customer;B;;;;;;;;;;;\n" +
				"x y;;;;;;;;;;;;;\n",
			wantIs: []error{partners.ErrInvalid, hr.ErrBankAccount}, problems: 5,
			wantMsg: []string{`5 errors: row 2, column "vat_id"`, `row 2, column "iban"`, `row 4, column "number"`, `row 4, column "role"`, `row 4, column "name"`},
		},
		{
			name:   "missing and unknown columns",
			input:  "number;role;nickname\n1;customer;A\n",
			wantIs: []error{partners.ErrInvalid}, problems: 2,
			wantMsg: []string{`row 1, column "name"`, "missing required column", `row 1, column "nickname"`, "unknown column"},
		},
		{
			name:   "wrong number of cells and bad quoting",
			input:  "number;role;name\n1;customer\n2;customer;\"A\"B\n3;customer;C\n",
			wantIs: []error{partners.ErrInvalid}, problems: 2,
			wantMsg: []string{"row 2: ", "wrong number of fields", "row 3: ", "malformed CSV"},
		},
		{
			name:   "empty input",
			input:  "",
			wantIs: []error{partners.ErrInvalid}, problems: 1,
			wantMsg: []string{"no header row"},
		},
		{
			name:   "invalid book",
			input:  "number;role;name\n1;customer;A\n",
			book:   "my book",
			wantIs: []error{partners.ErrInvalid}, problems: 0,
			wantMsg: []string{"book"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			book := tt.book
			if book == "" {
				book = csvBook
			}
			got, err := partners.ReadParties(strings.NewReader(tt.input), book)
			checkImportError(t, got, err, tt, "party")
		})
	}
}

// errReader returns some input and then an error.
type errReader struct {
	data string
	err  error
}

func (r *errReader) Read(p []byte) (int, error) {
	if r.data == "" {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestReadPartiesIOError(t *testing.T) {
	boom := errors.New("disk on fire")
	got, err := partners.ReadParties(&errReader{data: "number;role;name\n1;customer;A\n", err: boom}, csvBook)
	if !errors.Is(err, boom) {
		t.Fatalf("ReadParties = %v, %v; want an error wrapping the reader's", got, err)
	}
	if got != nil {
		t.Errorf("ReadParties returned %d parties with the error, want none", len(got))
	}
}

// roundTripParties are valid parties using every column, with cells a
// spreadsheet or CSV writer might trip over.
func roundTripParties() []partners.Party {
	return []partners.Party{
		{Book: csvBook, Number: "10001", Role: partners.Customer, ValidFrom: date.MustParse("2025-01-01"),
			Name:    "Muster GmbH",
			Address: partners.Address{Street: "Hauptstraße 1", PostalCode: "10115", City: "Berlin", Country: "DE"},
			VATID:   "DE136695976",
			Bank:    hr.BankAccount{IBAN: "DE89370400440532013000", BIC: "COBADEFFXXX"},
			Terms:   partners.Terms{NetDays: 30, DiscountDays: 10, DiscountRate: decimal.RequireFromString("0.025")}},
		{Book: csvBook, Number: "10001", Role: partners.Customer, ValidFrom: date.MustParse("2026-03-15"),
			Name: "Muster AG", Address: partners.Address{Country: "DE"}, VATID: "DE136695976",
			Terms: partners.Terms{NetDays: 14, DiscountDays: 7, DiscountRate: decimal.RequireFromString("0.0125")}},
		{Book: csvBook, Number: "K-7", Role: partners.Customer,
			Name:    "=Doe, \"Jane\"\nc/o Smith; Jr.",
			Address: partners.Address{Street: "1 Main St", City: "Springfield", Country: "US"},
			Bank:    hr.BankAccount{RoutingNumber: "021000021", AccountNumber: "000123456789"},
			Dunning: "none", Consumer: true},
		{Book: csvBook, Number: "70001", Role: partners.Supplier,
			Name: "Van Dijk BV", Address: partners.Address{Country: "NL"}, VATID: "NL002455799B11",
			Bank:  hr.BankAccount{IBAN: "NL91ABNA0417164300"},
			Terms: partners.Terms{NetDays: 60, DiscountDays: 14, DiscountRate: decimal.RequireFromString("0.03")}},
		{Book: csvBook, Number: "70002", Role: partners.Supplier, Name: "Minimal", Dunning: "slow",
			Terms: partners.Terms{DiscountDays: 5, DiscountRate: decimal.RequireFromString("0.99999")}},
	}
}

func TestWriteParties(t *testing.T) {
	tests := []struct {
		name    string
		parties []partners.Party
	}{
		{"every column", roundTripParties()},
		{"none", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, p := range tt.parties {
				if err := p.Validate(); err != nil {
					t.Fatalf("fixture does not validate: %v", err)
				}
			}
			var buf bytes.Buffer
			if err := partners.WriteParties(&buf, tt.parties); err != nil {
				t.Fatalf("WriteParties: %v", err)
			}
			header, _, _ := strings.Cut(buf.String(), "\n")
			wantHeader := "number,role,valid_from,name,street,postal_code,city,country,vat_id,iban,bic," +
				"routing_number,account_number,net_days,discount_days,discount_percent,dunning,consumer"
			if header != wantHeader {
				t.Errorf("header = %q, want %q", header, wantHeader)
			}
			got, err := partners.ReadParties(&buf, csvBook)
			if err != nil {
				t.Fatalf("ReadParties(WriteParties(x)): %v", err)
			}
			if diff := cmp.Diff(got, tt.parties, partyCmp); diff != "" {
				t.Errorf("ReadParties(WriteParties(x)) (-got +want):\n%s", diff)
			}
		})
	}
}

func TestWritePartiesPercent(t *testing.T) {
	tests := []struct {
		name string
		rate string
		want string
	}{
		{"two percent", "0.02", "2"},
		{"two and a half", "0.025", "2.5"},
		{"trailing zeros", "0.02500", "2.5"},
		{"small", "0.0001", "0.01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := partners.Party{Number: "1", Role: partners.Customer, Name: "A",
				Terms: partners.Terms{DiscountDays: 1, DiscountRate: decimal.RequireFromString(tt.rate)}}
			var buf bytes.Buffer
			if err := partners.WriteParties(&buf, []partners.Party{p}); err != nil {
				t.Fatal(err)
			}
			_, row, _ := strings.Cut(strings.TrimSpace(buf.String()), "\n")
			cells := strings.Split(row, ",")
			if got := cells[15]; got != tt.want {
				t.Errorf("discount_percent = %q, want %q", got, tt.want)
			}
		})
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, io.ErrShortWrite }

func TestWritePartiesError(t *testing.T) {
	err := partners.WriteParties(failingWriter{}, roundTripParties())
	if !errors.Is(err, io.ErrShortWrite) {
		t.Errorf("WriteParties = %v, want it to wrap the writer's error", err)
	}
}

func TestPartyValidate(t *testing.T) {
	valid := func() partners.Party {
		return partners.Party{Book: csvBook, Number: "10001", Role: partners.Customer, Name: "Muster GmbH",
			Address: partners.Address{Country: "DE"}, VATID: "DE136695976",
			Bank:  hr.BankAccount{IBAN: "DE89370400440532013000"},
			Terms: partners.Terms{NetDays: 30, DiscountDays: 10, DiscountRate: decimal.RequireFromString("0.02")}}
	}
	tests := []struct {
		name      string
		change    func(p *partners.Party)
		wantField string // "" for valid
		wantIs    error
	}{
		{"valid", func(p *partners.Party) {}, "", nil},
		{"supplier in range", func(p *partners.Party) { p.Number, p.Role = "99999", partners.Supplier }, "", nil},
		{"long DATEV number", func(p *partners.Party) { p.Number = "600000001" }, "", nil},
		{"net days 0 allows any discount days", func(p *partners.Party) { p.Terms.NetDays = 0 }, "", nil},
		{"no book", func(p *partners.Party) { p.Book = "" }, "book", partners.ErrInvalid},
		{"book with slash", func(p *partners.Party) { p.Book = "a/b" }, "book", partners.ErrInvalid},
		{"no number", func(p *partners.Party) { p.Number = "" }, "number", partners.ErrInvalid},
		{"number with tab", func(p *partners.Party) { p.Number = "1\t2" }, "number", partners.ErrInvalid},
		{"number with no-break space", func(p *partners.Party) { p.Number = "1\u00a02" }, "number", partners.ErrInvalid},
		{"number with control character", func(p *partners.Party) { p.Number = "1\x002" }, "number", partners.ErrInvalid},
		{"number of 64 characters", func(p *partners.Party) { p.Number = strings.Repeat("ä", 64) }, "", nil},
		{"number of 65 characters", func(p *partners.Party) { p.Number = strings.Repeat("ä", 65) }, "number", partners.ErrInvalid},
		{"number of invalid UTF-8", func(p *partners.Party) { p.Number = "\xff" }, "number", partners.ErrInvalid},
		{"customer out of range", func(p *partners.Party) { p.Number = "70000" }, "number", partners.ErrInvalid},
		{"supplier out of range", func(p *partners.Party) { p.Role = partners.Supplier }, "number", partners.ErrInvalid},
		{"no role", func(p *partners.Party) { p.Role = "" }, "role", partners.ErrInvalid},
		{"unknown role", func(p *partners.Party) { p.Role = "Customer" }, "role", partners.ErrInvalid},
		{"blank name", func(p *partners.Party) { p.Name = " \t" }, "name", partners.ErrInvalid},
		{"country of three letters", func(p *partners.Party) { p.Address.Country = "DEU" }, "country", partners.ErrInvalid},
		{"country in lower case", func(p *partners.Party) { p.Address.Country = "de" }, "country", partners.ErrInvalid},
		{"VAT ID not normalized", func(p *partners.Party) { p.VATID = "DE 136695976" }, "vat_id", partners.ErrInvalid},
		{"VAT ID check digit", func(p *partners.Party) { p.VATID = "DE136695977" }, "vat_id", partners.ErrInvalid},
		{"IBAN checksum", func(p *partners.Party) { p.Bank.IBAN = "DE89370400440532013001" }, "iban", hr.ErrBankAccount},
		{"IBAN in lower case", func(p *partners.Party) { p.Bank.IBAN = "de89370400440532013000" }, "iban", partners.ErrInvalid},
		{"BIC malformed", func(p *partners.Party) { p.Bank.BIC = "COBA" }, "bic", hr.ErrBankAccount},
		{"negative net days", func(p *partners.Party) { p.Terms.NetDays = -1 }, "net_days", partners.ErrInvalid},
		{"too many net days", func(p *partners.Party) { p.Terms.NetDays = 1000 }, "net_days", partners.ErrInvalid},
		{"negative discount days", func(p *partners.Party) { p.Terms.DiscountDays = -1 }, "discount_days", partners.ErrInvalid},
		{"discount days after net days", func(p *partners.Party) { p.Terms.DiscountDays = 31 }, "discount_days", partners.ErrInvalid},
		{"discount without days", func(p *partners.Party) { p.Terms.DiscountDays = 0 }, "discount_days", partners.ErrInvalid},
		{"negative discount", func(p *partners.Party) { p.Terms.DiscountRate = decimal.RequireFromString("-0.01") }, "discount_percent", partners.ErrInvalid},
		{"discount of 100 percent", func(p *partners.Party) { p.Terms.DiscountRate = decimal.NewFromInt(1) }, "discount_percent", partners.ErrInvalid},
		{"the first problem wins", func(p *partners.Party) { p.Name, p.Terms.NetDays = "", -1 }, "name", partners.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := valid()
			tt.change(&p)
			err := p.Validate()
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			var fe *partners.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("Validate = %v, want a *FieldError", err)
			}
			if fe.Field != tt.wantField || fe.Record != "party" {
				t.Errorf("Validate = %v: record %q field %q, want party field %q", err, fe.Record, fe.Field, tt.wantField)
			}
			if !errors.Is(err, tt.wantIs) || !errors.Is(err, partners.ErrInvalid) {
				t.Errorf("Validate = %v, want it to wrap %v and ErrInvalid", err, tt.wantIs)
			}
		})
	}
}

func FuzzReadParties(f *testing.F) {
	var buf bytes.Buffer
	if err := partners.WriteParties(&buf, roundTripParties()); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.String())
	f.Add("\uFEFFnumber;role;name;discount_percent;discount_days;net_days\n10001;customer;A;2,5;10;30\n")
	f.Add("number,role,name,vat_id,iban\n70001,supplier,\"B, C\",nl 004495445 b01,NL91 ABNA 0417 1643 00\n")
	f.Add("number;role;name;valid_from\n1;customer;A;2025-01-01\n1;customer;A;2025-01-01\n")
	f.Add("number;role;name\n\"1;customer;A\n")
	f.Fuzz(func(t *testing.T, input string) {
		parties, err := partners.ReadParties(strings.NewReader(input), csvBook)
		if err != nil {
			if parties != nil {
				t.Fatalf("ReadParties returned %d parties and an error", len(parties))
			}
			if !errors.Is(err, partners.ErrInvalid) && !errors.Is(err, partners.ErrDuplicate) {
				t.Fatalf("error %v wraps neither ErrInvalid nor ErrDuplicate", err)
			}
			return
		}
		for _, p := range parties {
			if err := p.Validate(); err != nil {
				t.Fatalf("ReadParties returned a party that does not validate: %v", err)
			}
		}
		var out bytes.Buffer
		if err := partners.WriteParties(&out, parties); err != nil {
			t.Fatalf("WriteParties: %v", err)
		}
		again, err := partners.ReadParties(&out, csvBook)
		if err != nil {
			t.Fatalf("ReadParties(WriteParties(x)): %v\n%q", err, out.String())
		}
		if diff := cmp.Diff(again, parties, partyCmp); diff != "" {
			t.Fatalf("ReadParties(WriteParties(x)) (-got +want):\n%s", diff)
		}
	})
}

func ExampleReadParties() {
	input := "\uFEFFnumber;role;name;vat_id;net_days;discount_days;discount_percent\n" +
		"10001;customer;Muster GmbH;de 136 695 976;30;10;2,5\n" +
		"70001;supplier;Lieferant AG;;14;;\n"
	parties, err := partners.ReadParties(strings.NewReader(input), "acme")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range parties {
		fmt.Println(p.Number, p.Role, p.VATID, p.Terms.NetDays, p.Terms.DiscountDays, p.Terms.DiscountRate)
	}

	_, err = partners.ReadParties(strings.NewReader("number;role;name;vat_id\n70001;customer;A;DE136695978\n"), "acme")
	fmt.Println(err)
	// Output:
	// 10001 customer DE136695976 30 10 0.025
	// 70001 supplier  14 0 0
	// 2 errors: row 2, column "number": partners: party 70001: field number: partners: invalid: a customer's DATEV number of five or more digits must start with 1–6; row 2, column "vat_id": partners: party 70001: field vat_id: partners: invalid: VAT ID: check digit does not match
}

func ExampleWriteParties() {
	parties := []partners.Party{{
		Number: "10001", Role: partners.Customer, ValidFrom: date.MustParse("2025-01-01"), Name: "Muster GmbH",
		VATID: "DE136695976", Terms: partners.Terms{NetDays: 30, DiscountDays: 10, DiscountRate: decimal.RequireFromString("0.025")},
	}}
	if err := partners.WriteParties(os.Stdout, parties); err != nil {
		fmt.Println(err)
	}
	// Output:
	// number,role,valid_from,name,street,postal_code,city,country,vat_id,iban,bic,routing_number,account_number,net_days,discount_days,discount_percent,dunning,consumer
	// 10001,customer,2025-01-01,Muster GmbH,,,,,DE136695976,,,,,30,10,2.5,,false
}
