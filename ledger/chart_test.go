package ledger_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/internal/csvio"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/memory"
)

// chartProblem is one problem of a ReadChart error as the tests compare it.
type chartProblem struct {
	Row    int
	Column string
	Is     string // the ledger sentinel it wraps
}

func chartProblems(t *testing.T, err error) []chartProblem {
	t.Helper()
	var list csvio.Errors
	if !errors.As(err, &list) {
		t.Fatalf("error %v (%T) holds no csvio.Errors", err, err)
	}
	var got []chartProblem
	for _, fe := range list {
		p := chartProblem{Row: fe.Row, Column: fe.Column}
		for _, s := range []struct {
			name string
			err  error
		}{{"ErrInvalid", ledger.ErrInvalid}, {"ErrDuplicate", ledger.ErrDuplicate}, {"ErrUnknownAccount", ledger.ErrUnknownAccount}} {
			if errors.Is(fe, s.err) {
				p.Is = s.name
			}
		}
		got = append(got, p)
	}
	return got
}

func TestReadChartErrors(t *testing.T) {
	const header = "code,name,type,parent,currency,min,max,closed\n"
	tests := []struct {
		name  string
		input string
		want  []chartProblem
	}{
		{"missing columns", "code,parent\n1000,\n", []chartProblem{{1, "name", "ErrInvalid"}, {1, "type", "ErrInvalid"}}},
		{"unknown column", "code,name,type,colour\n1000,Assets,asset,red\n", []chartProblem{{1, "colour", "ErrInvalid"}}},
		{"empty file", "", []chartProblem{{1, "", "ErrInvalid"}}},
		{"empty code", header + ",Assets,asset,,,,,\n", []chartProblem{{2, "code", "ErrInvalid"}}},
		{"bad code", header + "10 00,Assets,asset,,,,,\n", []chartProblem{{2, "code", "ErrInvalid"}}},
		{"empty name", header + "1000,,asset,,,,,\n", []chartProblem{{2, "name", "ErrInvalid"}}},
		{"bad type", header + "1000,Assets,stuff,,,,,\n", []chartProblem{{2, "type", "ErrInvalid"}}},
		{"bad currency", header + "1000,Assets,asset,,XXQ,,,\n", []chartProblem{{2, "currency", "ErrInvalid"}}},
		{"lower-case currency", header + "1000,Assets,asset,,eur,,,\n", []chartProblem{{2, "currency", "ErrInvalid"}}},
		{"bad min", header + "1000,Assets,asset,,,abc,,\n", []chartProblem{{2, "min", "ErrInvalid"}}},
		{"bad max", header + "1000,Assets,asset,,,,1.2.3,\n", []chartProblem{{2, "max", "ErrInvalid"}}},
		{"min above max", header + "1000,Assets,asset,,,10,5,\n", []chartProblem{{2, "min", "ErrInvalid"}}},
		{"bad closed", header + "1000,Assets,asset,,,,,yes\n", []chartProblem{{2, "closed", "ErrInvalid"}}},
		{"own parent", header + "1000,Assets,asset,1000,,,,\n", []chartProblem{{2, "parent", "ErrInvalid"}}},
		{"bad parent code", header + "1000,Assets,asset,a/b,,,,\n", []chartProblem{{2, "parent", "ErrInvalid"}}},
		{"duplicate code", header + "1000,Assets,asset,,,,,\n1100,Cash,asset,1000,,,,\n1000,Again,asset,,,,,\n",
			[]chartProblem{{4, "code", "ErrDuplicate"}}},
		{"unknown parent", header + "1000,Assets,asset,,,,,\n1100,Cash,asset,9999,,,,\n",
			[]chartProblem{{3, "parent", "ErrUnknownAccount"}}},
		{"cycle", header + "1000,A,asset,1200,,,,\n1100,B,asset,1000,,,,\n1200,C,asset,1100,,,,\n1300,D,asset,1300x,,,,\n1300x,E,asset,1300,,,,\n",
			[]chartProblem{{2, "parent", "ErrInvalid"}, {5, "parent", "ErrInvalid"}}},
		{"wrong field count", header + "1000,Assets,asset\n", []chartProblem{{2, "", "ErrInvalid"}}},
		{"bad quoting", header + "1000,Ass\"ets,asset,,,,,\n", []chartProblem{{2, "", "ErrInvalid"}}},
		{"invalid UTF-8", header + "1000,Ass\xffets,asset,,,,,\n", []chartProblem{{2, "name", "ErrInvalid"}}},
		{
			name: "several bad rows, all reported",
			input: header +
				"1000,Assets,asset,,,,,\n" +
				"1100,Cash,assets?,1000,,,,\n" +
				"\n" +
				"1200,Bank,asset,1000,EURO,x,,maybe\n" +
				"1000,Dup,asset,,,,,\n" +
				"1300,Orphan,asset,1999,,,,\n",
			want: []chartProblem{
				{3, "type", "ErrInvalid"},
				{5, "currency", "ErrInvalid"},
				{5, "min", "ErrInvalid"},
				{5, "closed", "ErrInvalid"},
				{6, "code", "ErrDuplicate"},
				{7, "parent", "ErrUnknownAccount"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			accounts, err := ledger.ReadChart(strings.NewReader(tt.input), "acme")
			if err == nil {
				t.Fatalf("ReadChart() error = nil, want %v", tt.want)
			}
			if accounts != nil {
				t.Errorf("ReadChart() accounts = %d accounts, want none", len(accounts))
			}
			if diff := cmp.Diff(chartProblems(t, err), tt.want); diff != "" {
				t.Errorf("problems: diff (-got +want):\n%s\nerror: %v", diff, err)
			}
		})
	}
}

func TestReadChartMessages(t *testing.T) {
	input := "code,name,type,min,meta.note\n1000,Erika Mustermann,assetx,12345.678x,\n1000,Max,asset,,\n"
	_, err := ledger.ReadChart(strings.NewReader(input), "acme")
	if err == nil {
		t.Fatal("ReadChart() error = nil, want problems")
	}
	got := err.Error()
	for _, secret := range []string{"Erika", "12345", "assetx"} {
		if strings.Contains(got, secret) {
			t.Errorf("error %q contains cell value %q", got, secret)
		}
	}
	for _, want := range []string{`row 2, column "type"`, `row 2, column "min"`, `row 3, column "code"`, "account 1000"} {
		if !strings.Contains(got, want) {
			t.Errorf("error %q does not mention %q", got, want)
		}
	}
}

func TestReadChartBadBook(t *testing.T) {
	_, err := ledger.ReadChart(strings.NewReader("code,name,type\n1,A,asset\n"), "a b")
	if !errors.Is(err, ledger.ErrInvalid) {
		t.Errorf("ReadChart(book %q) error = %v, want ErrInvalid", "a b", err)
	}
}

func TestReadChartIOError(t *testing.T) {
	boom := errors.New("disk on fire")
	_, err := ledger.ReadChart(iotest.ErrReader(boom), "acme")
	if !errors.Is(err, boom) {
		t.Errorf("ReadChart() error = %v, want it to wrap %v", err, boom)
	}
}

func TestReadChart(t *testing.T) {
	dec := func(s string) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.RequireFromString(s)) }
	tests := []struct {
		name  string
		input string
		want  []ledger.Account
	}{
		{
			name: "all columns, BOM, semicolons, header case and order",
			input: "\uFEFFName;CODE;Type;Parent;Currency;Min;Max;Closed;Meta.Role;meta.hgb\r\n" +
				"Assets;1000;Asset;;;;;;;\r\n" +
				"\"Cash; petty\";1010;asset;1000;EUR;0;;FALSE;cash;B.IV\r\n" +
				"Old bank;1020;asset;1000;;-500.50;1e6;true;;\r\n" +
				"\r\n",
			want: []ledger.Account{
				{Book: "acme", Code: "1000", Name: "Assets", Type: ledger.Asset},
				{Book: "acme", Code: "1010", Name: "Cash; petty", Type: ledger.Asset, Parent: "1000", Currency: money.EUR,
					Constraint: ledger.NonNegative(), Metadata: map[string]string{"role": "cash", "hgb": "B.IV"}},
				{Book: "acme", Code: "1020", Name: "Old bank", Type: ledger.Asset, Parent: "1000", Closed: true,
					Constraint: ledger.Constraint{Min: dec("-500.50"), Max: dec("1000000")}},
			},
		},
		{
			name:  "only required columns",
			input: "code,name,type\n4000,Sales,income\n",
			want:  []ledger.Account{{Book: "acme", Code: "4000", Name: "Sales", Type: ledger.Revenue}},
		},
		{
			name: "parents first, then file order",
			input: "code,name,type,parent\n" +
				"1110,Cash,asset,1100\n" +
				"2000,Liabilities,liability,\n" +
				"1100,Current assets,asset,1000\n" +
				"1120,Bank,asset,1100\n" +
				"1000,Assets,asset,\n" +
				"2100,Payables,liability,2000\n",
			want: []ledger.Account{
				{Book: "acme", Code: "2000", Name: "Liabilities", Type: ledger.Liability},
				{Book: "acme", Code: "1000", Name: "Assets", Type: ledger.Asset},
				{Book: "acme", Code: "1100", Name: "Current assets", Type: ledger.Asset, Parent: "1000"},
				{Book: "acme", Code: "1110", Name: "Cash", Type: ledger.Asset, Parent: "1100"},
				{Book: "acme", Code: "1120", Name: "Bank", Type: ledger.Asset, Parent: "1100"},
				{Book: "acme", Code: "2100", Name: "Payables", Type: ledger.Liability, Parent: "2000"},
			},
		},
		{
			name:  "header only",
			input: "code,name,type\n",
			want:  []ledger.Account{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ledger.ReadChart(strings.NewReader(tt.input), "acme")
			if err != nil {
				t.Fatalf("ReadChart() error = %v", err)
			}
			if diff := cmp.Diff(got, tt.want, cmp.Comparer(func(a, b money.Currency) bool { return a == b })); diff != "" {
				t.Errorf("ReadChart(): diff (-got +want):\n%s", diff)
			}
		})
	}
}

// shippedCharts are the charts the package ships, by name.
var shippedCharts = []struct {
	name  string
	file  string
	chart func(book string) []ledger.Account
}{
	{"default", "charts/default.csv", ledger.DefaultChart},
	{"SKR03", "charts/skr03.csv", ledger.SKR03},
	{"SKR04", "charts/skr04.csv", ledger.SKR04},
}

func TestShippedCharts(t *testing.T) {
	for _, c := range shippedCharts {
		t.Run(c.name, func(t *testing.T) {
			f, err := os.Open(c.file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			accounts, err := ledger.ReadChart(f, "acme")
			if err != nil {
				t.Fatalf("ReadChart(%s) error = %v", c.file, err)
			}
			if diff := cmp.Diff(c.chart("acme"), accounts, cmp.Comparer(func(a, b money.Currency) bool { return a == b })); diff != "" {
				t.Errorf("%s() differs from ReadChart(%s): (-got +want):\n%s", c.name, c.file, diff)
			}

			roles := map[string][]string{}
			placed := map[string]bool{}
			for _, a := range accounts {
				if a.Book != "acme" {
					t.Errorf("account %s: book %q, want %q", a.Code, a.Book, "acme")
				}
				if a.Parent != "" && !placed[a.Parent] {
					t.Errorf("account %s comes before its parent %s", a.Code, a.Parent)
				}
				placed[a.Code] = true
				switch cf := a.Metadata["cashflow"]; cf {
				case "cash", "operating", "investing", "financing", "non_cash":
				default:
					t.Errorf("account %s: meta.cashflow %q, want cash, operating, investing, financing or non_cash", a.Code, cf)
				}
				if r := a.Metadata["role"]; r != "" {
					roles[r] = append(roles[r], a.Code)
				}
				if !a.Currency.IsZero() {
					t.Errorf("account %s: currency %v, want any", a.Code, a.Currency)
				}
			}
			for role, codes := range roles {
				if len(codes) != 1 {
					t.Errorf("role %s on %d accounts %v, want 1", role, len(codes), codes)
				}
			}
			wantRoles := []string{"bank", "cash", "cogs", "depreciation_expense", "employer_social_security_expense",
				"fx_gains", "fx_losses", "payables", "receivables", "retained_earnings", "revenue", "salaries_expense",
				"social_security_payable", "vat_input", "vat_output", "wage_tax_payable", "wages_payable"}
			if c.name == "default" {
				wantRoles = append(wantRoles, "accumulated_depreciation")
			}
			for _, r := range wantRoles {
				if len(roles[r]) != 1 {
					t.Errorf("role %s: accounts %v, want exactly one", r, roles[r])
				}
			}
		})
	}
}

func TestShippedChartsFreshValues(t *testing.T) {
	a := ledger.SKR03("x")
	a[0].Metadata["role"] = "changed"
	a[0].Name = "changed"
	if b := ledger.SKR03("x"); b[0].Metadata["role"] == "changed" || b[0].Name == "changed" {
		t.Error("SKR03 returned values shared with an earlier call")
	}
}

func TestShippedChartsCreate(t *testing.T) {
	ctx := context.Background()
	for _, c := range shippedCharts {
		t.Run(c.name, func(t *testing.T) {
			l := ledger.New(memory.New(), nil)
			if err := l.CreateBook(ctx, ledger.Book{ID: "acme", Currency: money.EUR}); err != nil {
				t.Fatal(err)
			}
			want := c.chart("acme")
			if err := l.CreateAccounts(ctx, want...); err != nil {
				t.Fatalf("CreateAccounts(%s) error = %v", c.name, err)
			}
			got, err := l.Accounts(ctx, "acme")
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Errorf("Accounts() = %d accounts, want %d", len(got), len(want))
			}
		})
	}
}

// The independently known facts about the SKR charts: code, name and type.
func TestSKRFacts(t *testing.T) {
	type fact struct {
		Code, Name string
		Type       ledger.AccountType
		Role, HGB  string
	}
	tests := []struct {
		name  string
		chart []ledger.Account
		facts []fact
	}{
		{"SKR03", ledger.SKR03("b"), []fact{
			{"0800", "Gezeichnetes Kapital", ledger.Equity, "", "P.A.I"},
			{"0860", "Gewinnvortrag vor Verwendung", ledger.Equity, "retained_earnings", "P.A.IV"},
			{"1000", "Kasse", ledger.Asset, "cash", "B.IV"},
			{"1200", "Bank", ledger.Asset, "bank", "B.IV"},
			{"1400", "Forderungen aus Lieferungen und Leistungen", ledger.Asset, "receivables", "B.II.1"},
			{"1576", "Abziehbare Vorsteuer 19 %", ledger.Asset, "vat_input", "B.II.4"},
			{"1600", "Verbindlichkeiten aus Lieferungen und Leistungen", ledger.Liability, "payables", "P.C.4"},
			{"1776", "Umsatzsteuer 19 %", ledger.Liability, "vat_output", "P.C.8"},
			{"2150", "Aufwendungen aus der Währungsumrechnung", ledger.Expense, "fx_losses", "GuV.8"},
			{"2660", "Erträge aus der Währungsumrechnung", ledger.Revenue, "fx_gains", "GuV.4"},
			{"4120", "Gehälter", ledger.Expense, "salaries_expense", "GuV.6a"},
			{"4130", "Gesetzliche soziale Aufwendungen", ledger.Expense, "employer_social_security_expense", "GuV.6b"},
			{"8400", "Erlöse 19 % USt", ledger.Revenue, "revenue", "GuV.1"},
		}},
		{"SKR04", ledger.SKR04("b"), []fact{
			{"1200", "Forderungen aus Lieferungen und Leistungen", ledger.Asset, "receivables", "B.II.1"},
			{"1406", "Abziehbare Vorsteuer 19 %", ledger.Asset, "vat_input", "B.II.4"},
			{"1600", "Kasse", ledger.Asset, "cash", "B.IV"},
			{"1800", "Bank", ledger.Asset, "bank", "B.IV"},
			{"2900", "Gezeichnetes Kapital", ledger.Equity, "", "P.A.I"},
			{"2970", "Gewinnvortrag vor Verwendung", ledger.Equity, "retained_earnings", "P.A.IV"},
			{"3300", "Verbindlichkeiten aus Lieferungen und Leistungen", ledger.Liability, "payables", "P.C.4"},
			{"3806", "Umsatzsteuer 19 %", ledger.Liability, "vat_output", "P.C.8"},
			{"4400", "Erlöse 19 % USt", ledger.Revenue, "revenue", "GuV.1"},
			{"4840", "Erträge aus der Währungsumrechnung", ledger.Revenue, "fx_gains", "GuV.4"},
			{"6020", "Gehälter", ledger.Expense, "salaries_expense", "GuV.6a"},
			{"6110", "Gesetzliche soziale Aufwendungen", ledger.Expense, "employer_social_security_expense", "GuV.6b"},
			{"6880", "Aufwendungen aus der Währungsumrechnung", ledger.Expense, "fx_losses", "GuV.8"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			byCode := map[string]ledger.Account{}
			for _, a := range tt.chart {
				byCode[a.Code] = a
			}
			for _, f := range tt.facts {
				a, ok := byCode[f.Code]
				if !ok {
					t.Errorf("account %s missing", f.Code)
					continue
				}
				got := fact{a.Code, a.Name, a.Type, a.Metadata["role"], a.Metadata["hgb"]}
				if diff := cmp.Diff(got, f); diff != "" {
					t.Errorf("account %s: diff (-got +want):\n%s", f.Code, diff)
				}
			}
		})
	}
}

// hgbLines are the §266 (balance sheet) and §275(2) (income statement, nature of
// expense method, numbering as amended by BilRUG) lines meta.hgb may name.
var hgbLines = []string{
	"A.I.1", "A.I.2", "A.I.3", "A.I.4", "A.II.1", "A.II.2", "A.II.3", "A.II.4",
	"A.III.1", "A.III.2", "A.III.3", "A.III.4", "A.III.5", "A.III.6",
	"B.I.1", "B.I.2", "B.I.3", "B.I.4", "B.II.1", "B.II.2", "B.II.3", "B.II.4",
	"B.III.1", "B.III.2", "B.IV", "C", "D", "E",
	"P.A.I", "P.A.II", "P.A.III.1", "P.A.III.2", "P.A.III.3", "P.A.III.4", "P.A.IV", "P.A.V",
	"P.B.1", "P.B.2", "P.B.3",
	"P.C.1", "P.C.2", "P.C.3", "P.C.4", "P.C.5", "P.C.6", "P.C.7", "P.C.8", "P.D", "P.E",
	"GuV.1", "GuV.2", "GuV.3", "GuV.4", "GuV.5a", "GuV.5b", "GuV.6a", "GuV.6b", "GuV.7a", "GuV.7b",
	"GuV.8", "GuV.9", "GuV.10", "GuV.11", "GuV.12", "GuV.13", "GuV.14", "GuV.16",
}

func TestSKRHGB(t *testing.T) {
	for _, c := range shippedCharts[1:] {
		t.Run(c.name, func(t *testing.T) {
			for _, a := range c.chart("b") {
				line := a.Metadata["hgb"]
				if !slices.Contains(hgbLines, line) {
					t.Errorf("account %s: meta.hgb %q is not a §266/§275 line", a.Code, line)
					continue
				}
				// The line's statement and side must fit the account type.
				var want string
				switch {
				case strings.HasPrefix(line, "GuV."):
					want = "income statement"
				case strings.HasPrefix(line, "P.A."):
					want = "equity"
				case strings.HasPrefix(line, "P."):
					want = "liability"
				default:
					want = "asset"
				}
				got := a.Type.String()
				if a.Type.IsIncomeStatement() {
					got = "income statement"
				}
				if got != want {
					t.Errorf("account %s (%s): meta.hgb %s is a line for %s", a.Code, a.Type, line, want)
				}
			}
		})
	}
}

func ExampleReadChart() {
	csv := "code;name;type;parent;min;meta.role\n" +
		"1000;Assets;asset;;;\n" +
		"1010;Cash;asset;1000;0;cash\n" +
		"1020;Bank;asset;1000;;bank\n"
	accounts, err := ledger.ReadChart(strings.NewReader(csv), "acme")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range accounts {
		min := "none"
		if a.Constraint.Min.Valid {
			min = a.Constraint.Min.Decimal.String()
		}
		fmt.Printf("%s %-6s parent=%-4s role=%-4s min=%s\n", a.Code, a.Name, a.Parent, a.Metadata["role"], min)
	}

	_, err = ledger.ReadChart(strings.NewReader("code,name,type,parent\n1000,Assets,asset,\n1010,Cash,cash,1000\n1010,Bank,asset,1999\n"), "acme")
	fmt.Println(err)
	fmt.Println(errors.Is(err, ledger.ErrInvalid), errors.Is(err, ledger.ErrDuplicate))
	// Output:
	// 1000 Assets parent=     role=     min=none
	// 1010 Cash   parent=1000 role=cash min=0
	// 1020 Bank   parent=1000 role=bank min=none
	// 2 errors: row 3, column "type": ledger: invalid: account type must be asset, liability, equity, revenue or expense; row 4, column "code": ledger: already exists: account 1010 is already defined in row 3
	// true true
}

func FuzzReadChart(f *testing.F) {
	f.Add("code,name,type,parent,currency,min,max,closed,meta.role\n1000,A,asset,,EUR,0,10,false,cash\n1100,B,asset,1000,,,,,\n")
	f.Add("code;name;type;parent\n1;A;asset;2\n2;B;asset;1\n")
	f.Add("code,name,type\n1,A,asset\n1,B,expense\n")
	f.Fuzz(func(t *testing.T, input string) {
		accounts, err := ledger.ReadChart(strings.NewReader(input), "acme")
		if err != nil {
			if accounts != nil {
				t.Fatalf("ReadChart() = %d accounts and error %v, want no accounts", len(accounts), err)
			}
			for _, p := range chartProblems(t, err) {
				if p.Is == "" || p.Row < 1 {
					t.Errorf("problem %+v: wraps no ledger sentinel or has no row; error %v", p, err)
				}
			}
			return
		}
		placed := map[string]bool{}
		for _, a := range accounts {
			if err := a.Validate(); err != nil {
				t.Errorf("account %q: %v", a.Code, err)
			}
			if placed[a.Code] {
				t.Errorf("account %q twice", a.Code)
			}
			if a.Parent != "" && !placed[a.Parent] {
				t.Errorf("account %q before its parent %q", a.Code, a.Parent)
			}
			placed[a.Code] = true
		}
	})
}
