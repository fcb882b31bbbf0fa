package reporting_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/reporting"
)

type builder func(context.Context, reporting.Source, string, reporting.Options) (reporting.Report, error)

var builders = map[string]builder{
	"trial balance":    reporting.TrialBalance,
	"balance sheet":    reporting.BalanceSheet,
	"income statement": reporting.IncomeStatement,
	"cash flow":        reporting.CashFlow,
	"general ledger":   reporting.GeneralLedger,
	"account statement": func(ctx context.Context, src reporting.Source, book string, o reporting.Options) (reporting.Report, error) {
		return reporting.AccountStatement(ctx, src, book, "1120", o)
	},
}

func TestRangeErrors(t *testing.T) {
	ctx := context.Background()
	l := handBook(t)
	if err := l.CreateBook(ctx, ledger.Book{ID: "july", Currency: money.EUR, FiscalYearStart: 7}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		book string
		o    reporting.Options
		want error
	}{
		{"from after to", "acme", opts("2026-03-31", "2026-03-01"), reporting.ErrRange},
		{"no end date", "acme", reporting.Options{From: d("2026-01-01")}, reporting.ErrRange},
		{"fiscal year 0", "july", opts("", "0001-03-01"), reporting.ErrFiscalYear},
		{"unknown book", "nope", opts("", "2026-03-31"), ledger.ErrUnknownBook},
	}
	for _, tt := range tests {
		for name, build := range builders {
			t.Run(tt.name+"/"+name, func(t *testing.T) {
				_, err := build(ctx, l, tt.book, tt.o)
				if !errors.Is(err, tt.want) {
					t.Errorf("err = %v, want %v", err, tt.want)
				}
			})
		}
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	l := handBook(t)
	// An asset no default layout line takes, with a balance, and no cash flow class.
	if err := l.CreateAccounts(ctx, ledger.Account{Book: "acme", Code: "1999", Name: "Suspense", Type: ledger.Asset},
		ledger.Account{Book: "acme", Code: "4999", Name: "Odd income", Type: ledger.Revenue},
		ledger.Account{Book: "acme", Code: "1130", Name: "USD bank", Type: ledger.Asset, Metadata: map[string]string{"cashflow": "cash"}}); err != nil {
		t.Fatal(err)
	}
	post(t, l, "acme", entry{"2026-03-31", "X1", "Suspense", []ln{{"1999", "10.00"}, {"4999", "-10.00"}}})

	twice, err := reporting.ReadLayout(strings.NewReader("line,label,side,match\na,A,debit,code=1100..1199\nb,B,debit,code=1120\n"), "twice")
	if err != nil {
		t.Fatal(err)
	}
	noResult, err := reporting.ReadLayout(strings.NewReader("line,label,side,match\na,A,debit,type=asset\nl,L,credit,type=liability type=equity\n"), "no-result")
	if err != nil {
		t.Fatal(err)
	}
	q1 := opts("2026-01-01", "2026-03-31")
	with := func(f func(*reporting.Options)) reporting.Options { o := q1; f(&o); return o }
	tests := []struct {
		name    string
		build   builder
		o       reporting.Options
		want    error
		account string // named by the typed error
	}{
		{"trial balance monthly valued at the end", reporting.TrialBalance, with(func(o *reporting.Options) { o.Compare, o.ValueAtEnd = reporting.Monthly, true }), reporting.ErrOption, ""},
		{"invalid account query", reporting.TrialBalance, with(func(o *reporting.Options) { o.AccountQuery = "(bank" }), reporting.ErrQuery, ""},
		{"general ledger invalid account query", reporting.GeneralLedger, with(func(o *reporting.Options) { o.AccountQuery = "[" }), reporting.ErrQuery, ""},
		{"balance sheet account query", reporting.BalanceSheet, with(func(o *reporting.Options) { o.AccountQuery = "bank" }), reporting.ErrOption, ""},
		{"income statement account query", reporting.IncomeStatement, with(func(o *reporting.Options) { o.AccountQuery = "bank" }), reporting.ErrOption, ""},
		{"cash flow account query", reporting.CashFlow, with(func(o *reporting.Options) { o.AccountQuery = "bank" }), reporting.ErrOption, ""},
		{"account statement account query", func(ctx context.Context, src reporting.Source, book string, o reporting.Options) (reporting.Report, error) {
			return reporting.AccountStatement(ctx, src, book, "1120", o)
		}, with(func(o *reporting.Options) { o.AccountQuery = "bank" }), reporting.ErrOption, ""},
		{"prior year of year 1", reporting.IncomeStatement, with(func(o *reporting.Options) {
			o.From, o.To, o.Compare = d("0001-01-01"), d("0001-03-31"), reporting.PriorYear
		}), reporting.ErrFiscalYear, ""},
		{"mapped twice", reporting.BalanceSheet, with(func(o *reporting.Options) { o.Layout = twice }), reporting.ErrMappedTwice, "1120"},
		{"unmapped result", reporting.BalanceSheet, with(func(o *reporting.Options) { o.Layout = noResult }), reporting.ErrUnmapped, "(result)"},
		{"trial balance comparison", reporting.TrialBalance, with(func(o *reporting.Options) { o.Compare = reporting.PriorYear }), reporting.ErrOption, ""},
		{"general ledger depth", reporting.GeneralLedger, with(func(o *reporting.Options) { o.Depth = 1 }), reporting.ErrOption, ""},
		{"cash flow by dimension", reporting.CashFlow, with(func(o *reporting.Options) { o.Dimension = ledger.Dimension{Name: "cc", Value: "1"} }), reporting.ErrOption, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.build(ctx, l, "acme", tt.o)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			var me *reporting.MappingError
			var ue *reporting.UnmappedError
			switch {
			case errors.As(err, &me):
				if me.Account != tt.account {
					t.Errorf("MappingError names %s, want %s", me.Account, tt.account)
				}
			case errors.As(err, &ue):
				if ue.Account != tt.account {
					t.Errorf("UnmappedError names %s, want %s", ue.Account, tt.account)
				}
			case tt.account != "":
				t.Errorf("%v is no typed error naming %s", err, tt.account)
			}
		})
	}

	t.Run("unknown layout", func(t *testing.T) {
		if _, err := reporting.LoadLayout("hgb-999"); !errors.Is(err, reporting.ErrUnknownLayout) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("unknown account", func(t *testing.T) {
		_, err := reporting.AccountStatement(ctx, l, "acme", "0000", q1)
		if !errors.Is(err, ledger.ErrUnknownAccount) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestCurrency(t *testing.T) {
	ctx := context.Background()
	l := handBook(t)
	if err := l.CreateAccounts(ctx, ledger.Account{Book: "acme", Code: "1130", Name: "USD bank", Type: ledger.Asset, Parent: "1100",
		Metadata: map[string]string{"cashflow": "cash"}}); err != nil {
		t.Fatal(err)
	}
	usd := money.MustParse("250.00", money.USD)
	if _, err := l.Post(ctx, ledger.Entry{Book: "acme", Date: d("2026-03-15"), Lines: []ledger.Line{ledger.Debit("1130", usd), ledger.Credit("4200", usd)}}); err != nil {
		t.Fatal(err)
	}
	// The base currency, implicitly: the USD account is an error, never dropped.
	_, err := reporting.TrialBalance(ctx, l, "acme", opts("", "2026-03-31"))
	var ce *reporting.CurrencyError
	if !errors.As(err, &ce) || !errors.Is(err, reporting.ErrCurrency) || ce.Account != "1130" || ce.Currency != money.USD || ce.Want != money.EUR {
		t.Fatalf("err = %v, want a CurrencyError for 1130", err)
	}
	// One currency, explicitly: a report per currency.
	o := opts("", "2026-03-31")
	o.Currency = money.USD
	r, err := reporting.TrialBalance(ctx, l, "acme", o)
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, r)
	if len(r.Rows) != 3 || r.Filter != "currency=USD" || r.Currency != money.USD {
		t.Errorf("USD trial balance: %d rows, filter %q, currency %v", len(r.Rows), r.Filter, r.Currency)
	}
	o.Currency = money.EUR
	r, err = reporting.BalanceSheet(ctx, l, "acme", o)
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, r)
	if r.Filter != "currency=EUR" {
		t.Errorf("filter %q", r.Filter)
	}
}

// brokenSource drops the last entry of every page it returns.
type brokenSource struct{ *ledger.Ledger }

func (b brokenSource) Entries(ctx context.Context, book string, q ledger.EntryQuery) ([]ledger.Posted, error) {
	ps, err := b.Ledger.Entries(ctx, book, q)
	if len(ps) > 0 {
		ps = ps[:len(ps)-1]
	}
	return ps, err
}

func TestGeneralLedgerInconsistent(t *testing.T) {
	l := handBook(t)
	_, rows, err := reporting.GeneralLedgerRows(context.Background(), brokenSource{l}, "acme", opts("", "2026-03-31"))
	if err != nil {
		t.Fatal(err)
	}
	var got error
	for _, err := range rows {
		if err != nil {
			got = err
		}
	}
	if !errors.Is(got, reporting.ErrInconsistent) {
		t.Errorf("err = %v, want ErrInconsistent", got)
	}
}

// TestUnmappedPlaced: accounts no layout line takes (and balance-sheet
// accounts without a cash-flow class) are placed by type, never an error;
// the report adds up and a check names them.
func TestUnmappedPlaced(t *testing.T) {
	ctx := context.Background()
	l := handBook(t)
	if err := l.CreateAccounts(ctx, ledger.Account{Book: "acme", Code: "1999", Name: "Suspense", Type: ledger.Asset},
		ledger.Account{Book: "acme", Code: "4999", Name: "Odd income", Type: ledger.Revenue}); err != nil {
		t.Fatal(err)
	}
	post(t, l, "acme", entry{"2026-03-31", "X1", "Suspense", []ln{{"1999", "10.00"}, {"4999", "-10.00"}}})
	q1 := opts("2026-01-01", "2026-03-31")
	for _, tt := range []struct {
		name  string
		build builder
		line  string // the line the account is placed under ("" for the cash flow)
		code  string
	}{
		{"balance sheet", reporting.BalanceSheet, reporting.UnmappedAssets, "1999"},
		{"income statement", reporting.IncomeStatement, reporting.UnmappedRevenue, "4999"},
		{"cash flow", reporting.CashFlow, "", "1999"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := tt.build(ctx, l, "acme", q1)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, row := range r.Rows {
				if row.Account == tt.code && (tt.line == "" || row.Line == tt.line) {
					found = true
				}
			}
			if !found {
				t.Errorf("no row of %s under %q", tt.code, tt.line)
			}
			named := false
			for _, c := range r.Checks {
				if !c.OK() {
					t.Errorf("check %q: %s ≠ %s", c.Label, c.Left, c.Right)
				}
				named = named || strings.Contains(c.Label, tt.code) && strings.Contains(c.Label, "placed by")
			}
			if !named {
				t.Errorf("no check names %s: %+v", tt.code, r.Checks)
			}
		})
	}
}
