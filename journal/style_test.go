package journal_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/journal"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// TestStyleRoundTrip: Read infers each currency's style as hledger does,
// String and ParseStyle round-trip it, and Write writes amounts and
// commodity directives in the style recorded on an account (StyleKey),
// which Read reads back to the same amounts and the same style.
func TestStyleRoundTrip(t *testing.T) {
	tests := []struct {
		name, src string
		want      string // Styles["EUR"].String()
		amount    string // EUR -1234567.80 as Write writes it
	}{
		{"directive", "commodity 1.000,00 EUR\n2025-01-01 x\n    a  1,5 EUR\n    b\n", "1.000,00 EUR", "-1.234.567,80 EUR"},
		{"format line", "commodity EUR\n    format EUR 1 000,0\n2025-01-01 x\n    a  EUR 1,5\n    b\n", "EUR 1 000,0", "EUR -1 234 567,80"},
		{"right, precision 0", "2025-01-01 x\n    a  10 EUR\n    b  -10 EUR\n", "1000. EUR", "-1234567.80 EUR"},
		{"max precision, first group", "2025-01-01 x\n    a  EUR 10\n    a  EUR 5.5\n    b  EUR -1,000.25\n    c\n", "EUR 1,000.00", "EUR -1,234,567.80"},
		{"space group implies point", "2025-01-01 x\n    a  2 500,00 EUR\n    b\n", "1 000.00 EUR", "-1 234 567.80 EUR"},
		{"symbol", "2025-01-01 x\n    a  €10,50\n    b  €-10,50\n", "€1000,00", "€-1234567,80"},
		{"P directive first", "P 2025-01-01 USD 0.923456 EUR\n2025-01-01 x\n    a  EUR 10.00\n    b\n", "1000.000000 EUR", "-1234567.80 EUR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j, err := journal.Read(strings.NewReader(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			st, ok := j.Styles["EUR"]
			if !ok {
				t.Fatalf("no EUR style in %v", j.Styles)
			}
			if got := st.String(); got != tt.want {
				t.Errorf("style %q, want %q", got, tt.want)
			}
			back, err := journal.ParseStyle(st.String())
			if err != nil || back != st {
				t.Errorf("ParseStyle(%q) = %+v, %v; want %+v", st.String(), back, err, st)
			}
			a := money.MustParse("-1234567.80", money.EUR)
			if got := st.Format(a); got != tt.amount {
				t.Errorf("Format = %q, want %q", got, tt.amount)
			}
			// Write in the recorded style and read back.
			accounts := []ledger.Account{
				{Book: "b", Code: "assets:a", Name: "assets:a", Type: ledger.Asset, Metadata: j.StyleMetadata()["a"]},
				{Book: "b", Code: "equity:b", Name: "equity:b", Type: ledger.Equity},
			}
			if accounts[0].Metadata == nil {
				t.Fatalf("no style metadata for a: %v", j.StyleMetadata())
			}
			e := ledger.Entry{Book: "b", Key: "k", Date: date.MustParse("2025-01-02"), Lines: []ledger.Line{
				{Account: "assets:a", Amount: a}, {Account: "equity:b", Amount: a.Neg()},
			}}
			var buf bytes.Buffer
			if err := journal.Write(&buf, accounts, []ledger.Entry{e}); err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"commodity " + tt.want + "\n", "    assets:a  " + tt.amount + "\n"} {
				if !strings.Contains(buf.String(), want) {
					t.Errorf("export lacks %q:\n%s", want, buf.String())
				}
			}
			j2, err := journal.Read(&buf)
			if err != nil {
				t.Fatalf("Read(export): %v", err)
			}
			if got := j2.Transactions[0].Postings[0].Amount; got != a {
				t.Errorf("read back %v, want %v", got, a)
			}
			if got := j2.Styles["EUR"]; got != st {
				t.Errorf("style read back %+v, want %+v", got, st)
			}
		})
	}
}
