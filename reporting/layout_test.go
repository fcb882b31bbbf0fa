package reporting_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/reporting"
)

func TestLoadLayout(t *testing.T) {
	want := []string{"default-balance-sheet", "default-income-statement", "hgb-266", "hgb-275"}
	if diff := cmp.Diff(want, reporting.Layouts()); diff != "" {
		t.Fatalf("Layouts (-want +got):\n%s", diff)
	}
	for _, name := range want {
		l, err := reporting.LoadLayout(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if l.Name != name || l.Title == "" || len(l.Lines) == 0 {
			t.Errorf("%s: name %q title %q, %d lines", name, l.Name, l.Title, len(l.Lines))
		}
	}
	// The official §266 and §275 structure: every item of the law is a line.
	bilanz, _ := reporting.LoadLayout("hgb-266")
	guv, _ := reporting.LoadLayout("hgb-275")
	ids := func(l *reporting.Layout) (s []string) {
		for _, ln := range l.Lines {
			s = append(s, ln.ID)
		}
		return s
	}
	wantBilanz := "Aktiva A A.I A.I.1 A.I.2 A.I.3 A.I.4 A.II A.II.1 A.II.2 A.II.3 A.II.4 A.III A.III.1 A.III.2 A.III.3 A.III.4 A.III.5 A.III.6 " +
		"B B.I B.I.1 B.I.2 B.I.3 B.I.4 B.II B.II.1 B.II.2 B.II.3 B.II.4 B.III B.III.1 B.III.2 B.IV C D E " +
		"Passiva P.A P.A.I P.A.II P.A.III P.A.III.1 P.A.III.2 P.A.III.3 P.A.III.4 P.A.IV P.A.V P.B P.B.1 P.B.2 P.B.3 " +
		"P.C P.C.1 P.C.2 P.C.3 P.C.4 P.C.5 P.C.6 P.C.7 P.C.8 P.D P.E"
	if diff := cmp.Diff(strings.Fields(wantBilanz), ids(bilanz)); diff != "" {
		t.Errorf("§266 lines (-want +got):\n%s", diff)
	}
	wantGuV := "GuV.1 GuV.2 GuV.3 GuV.4 GuV.5 GuV.5a GuV.5b GuV.6 GuV.6a GuV.6b GuV.7 GuV.7a GuV.7b GuV.8 GuV.9 GuV.10 GuV.11 GuV.12 GuV.13 GuV.14 GuV.15 GuV.16 GuV.17"
	if diff := cmp.Diff(strings.Fields(wantGuV), ids(guv)); diff != "" {
		t.Errorf("§275 lines (-want +got):\n%s", diff)
	}
	if got := guv.Lines[len(guv.Lines)-1].Label; got != "17. Jahresüberschuss/Jahresfehlbetrag" {
		t.Errorf("last §275 line %q", got)
	}
	// Every meta.hgb code of the shipped SKR charts has its line.
	lines := map[string]bool{}
	for _, id := range append(ids(bilanz), ids(guv)...) {
		lines[id] = true
	}
	for _, chart := range [][]ledger.Account{ledger.SKR03("b"), ledger.SKR04("b")} {
		for _, a := range chart {
			if h := a.Metadata["hgb"]; !lines[h] {
				t.Errorf("account %s: meta.hgb %s has no layout line", a.Code, h)
			}
		}
	}
}

// The shipped layouts map every account of their chart exactly once: a
// balance of 1.00 on each account builds without ErrUnmapped or
// ErrMappedTwice.
func TestLayoutsCoverCharts(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		chart  []ledger.Account
		bs, is string
	}{
		{ledger.DefaultChart("b"), "default-balance-sheet", "default-income-statement"},
		{ledger.SKR03("b"), "hgb-266", "hgb-275"},
		{ledger.SKR04("b"), "hgb-266", "hgb-275"},
	} {
		t.Run(tt.bs+"/"+tt.chart[1].Code, func(t *testing.T) {
			l := newLedger(t, "b", tt.chart)
			counter := ""
			for _, a := range tt.chart {
				if a.Type == ledger.Equity && a.Constraint.IsZero() && counter == "" {
					counter = a.Code
				}
			}
			var es []entry
			for _, a := range tt.chart {
				if a.Code != counter {
					es = append(es, entry{"2026-01-01", "V" + a.Code, "", []ln{{a.Code, "1.00"}, {counter, "-1.00"}}})
				}
			}
			post(t, l, "b", es...)
			for _, name := range []string{tt.bs, tt.is} {
				layout, err := reporting.LoadLayout(name)
				if err != nil {
					t.Fatal(err)
				}
				o := opts("", "2026-12-31")
				o.Layout = layout
				build := reporting.BalanceSheet
				if name == tt.is {
					build = reporting.IncomeStatement
				}
				r, err := build(ctx, l, "b", o)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				checkReport(t, r)
			}
			cf, err := reporting.CashFlow(ctx, l, "b", opts("", "2026-12-31"))
			if err != nil {
				t.Fatal(err)
			}
			checkReport(t, cf)
		})
	}
}

func TestReadLayoutErrors(t *testing.T) {
	tests := []struct {
		name, csv string
	}{
		{"no label column", "line,side\na,debit\n"},
		{"empty", ""},
		{"no lines", "line,label\n"},
		{"line twice", "line,label,side\na,A,debit\na,B,debit\n"},
		{"space in ID", "line,label,side\na b,A,debit\n"},
		{"unknown parent", "line,label,parent,side\na,A,x,debit\n"},
		{"parent not nesting", "line,label,parent,side\na,A,,debit\nb,B,,debit\nc,C,a,\n"},
		{"parent is a total", "line,label,parent,kind,side,sum\na,A,,,debit,\nt,T,,total,debit,+a\nc,C,t,,,\n"},
		{"unknown kind", "line,label,kind,side\na,A,sum,debit\n"},
		{"no side", "line,label\na,A\n"},
		{"bad side", "line,label,side\na,A,left\n"},
		{"total without sum", "line,label,kind,side\nt,T,total,credit\n"},
		{"sum on an item", "line,label,side,sum\na,A,debit,\nb,B,debit,+a\n"},
		{"sum of a later line", "line,label,kind,side,sum\nt,T,total,credit,+a\na,A,,debit,\n"},
		{"sum of an ancestor", "line,label,parent,kind,side,sum\na,A,,,debit,\nt,T,a,total,,+a\n"},
		{"sum of a heading", "line,label,kind,side,sum\nh,H,heading,,\nt,T,total,credit,+h\n"},
		{"match on a total", "line,label,kind,side,sum,match\na,A,,debit,,\nt,T,total,credit,+a,code=1\n"},
		{"unknown field", "line,label,side,match\na,A,debit,name=Bank\n"},
		{"no value", "line,label,side,match\na,A,debit,code=\n"},
		{"bad range", "line,label,side,match\na,A,debit,code=2000..1000\n"},
		{"bad type", "line,label,side,match\na,A,debit,type=cash\n"},
		{"bad side suffix", "line,label,side,match\na,A,debit,code=1@left\n"},
		{"bad result", "line,label,side,match\na,A,debit,result=next\n"},
		{"two result lines", "line,label,side,match\na,A,credit,result\nb,B,credit,result\n"},
		{"left without right", "line,label,side,check\na,A,debit,left\n"},
		{"bad check", "line,label,side,check\na,A,debit,middle\n"},
		{"unknown column", "line,label,side,colour\na,A,debit,red\n"},
		{"bad CSV", "line,label,side\n\"a,A,debit\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := reporting.ReadLayout(strings.NewReader(tt.csv), "test")
			if !errors.Is(err, reporting.ErrLayout) {
				t.Errorf("err = %v, want ErrLayout", err)
			}
			if l != nil {
				t.Errorf("got a layout with the error")
			}
		})
	}
}

func TestReadLayout(t *testing.T) {
	// Semicolons, any column order, upper-case names; sides inherit.
	src := "LINE;Side;Label;Parent;Kind;Match;Sum;Check\n" +
		"a;debit;Assets;;;;;left\n" +
		"a.1;;Cash;a;;code=1000..1999@debit meta.cashflow=cash;;\n" +
		"l;credit;Liabilities;;;type=liability result result=prior;;right\n" +
		"t;credit;Net;;total;;+l -a;\n"
	l, err := reporting.ReadLayout(strings.NewReader(src), "mine")
	if err != nil {
		t.Fatal(err)
	}
	want := &reporting.Layout{Name: "mine", Lines: []reporting.LayoutLine{
		{ID: "a", Label: "Assets", Side: ledger.SideDebit, Check: "left"},
		{ID: "a.1", Parent: "a", Label: "Cash", Side: ledger.SideDebit, Match: []reporting.Selector{
			{Field: "code", Value: "1000", Last: "1999", Side: ledger.SideDebit}, {Field: "meta.cashflow", Value: "cash"}}},
		{ID: "l", Label: "Liabilities", Side: ledger.SideCredit, Check: "right", Match: []reporting.Selector{
			{Field: "type", Value: "liability"}, {Field: "result", Value: "current"}, {Field: "result", Value: "prior"}}},
		{ID: "t", Label: "Net", Kind: reporting.TotalLine, Side: ledger.SideCredit, Sum: []reporting.LineTerm{{Line: "l"}, {Line: "a", Neg: true}}},
	}}
	if diff := cmp.Diff(want, l); diff != "" {
		t.Errorf("layout (-want +got):\n%s", diff)
	}
	var s []string
	for _, sel := range append(l.Lines[1].Match, l.Lines[2].Match...) {
		s = append(s, sel.String())
	}
	if diff := cmp.Diff([]string{"code=1000..1999@debit", "meta.cashflow=cash", "type=liability", "result", "result=prior"}, s); diff != "" {
		t.Errorf("selectors (-want +got):\n%s", diff)
	}
}

// Code ranges compare numerically: 10000 is not in 1000..1999, but 0999 is
// below it and 1500 in it.
func TestCodeRanges(t *testing.T) {
	ctx := context.Background()
	chart := []ledger.Account{
		{Book: "b", Code: "0999", Name: "Low", Type: ledger.Asset},
		{Book: "b", Code: "1500", Name: "In", Type: ledger.Asset},
		{Book: "b", Code: "10000", Name: "High", Type: ledger.Asset},
		{Book: "b", Code: "9000", Name: "Equity", Type: ledger.Equity},
	}
	l := newLedger(t, "b", chart)
	post(t, l, "b", entry{"2026-01-01", "1", "", []ln{{"0999", "1.00"}, {"1500", "2.00"}, {"10000", "4.00"}, {"9000", "-7.00"}}})
	layout, err := reporting.ReadLayout(strings.NewReader("line,label,side,match,check\n"+
		"low,Low,debit,code=0..999,\nmid,Mid,debit,code=1000..1999,\nhigh,High,debit,code=2000..8999 code=10000..99999,\neq,Equity,credit,type=equity result,\n"), "ranges")
	if err != nil {
		t.Fatal(err)
	}
	o := opts("", "2026-12-31")
	o.Layout, o.Depth = layout, 1
	r, err := reporting.BalanceSheet(ctx, l, "b", o)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"detail 0 Low | 1.00", "detail 0 Mid | 2.00", "detail 0 High | 4.00", "detail 0 Equity | 7.00"}
	if diff := cmp.Diff(want, lines(r)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}
