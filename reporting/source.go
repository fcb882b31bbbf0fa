package reporting

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// Source is what the builders read: the ledger's book, chart, balances and
// entries. *ledger.Ledger satisfies it; a test may wrap one to inject a
// failure. Builders only read; they call no other method.
type Source interface {
	// Book returns the book, or an error wrapping ledger.ErrUnknownBook.
	Book(ctx context.Context, id string) (ledger.Book, error)
	// Accounts returns the book's chart ordered by code.
	Accounts(ctx context.Context, book string) ([]ledger.Account, error)
	// Balances returns per account and currency the opening balance, debits,
	// credits and closing balance for q (see ledger.Ledger.Balances).
	Balances(ctx context.Context, book string, q ledger.BalanceQuery) ([]ledger.BalanceRow, error)
	// Entries returns one page of entries matching q in sequence order (see
	// ledger.Ledger.Entries).
	Entries(ctx context.Context, book string, q ledger.EntryQuery) ([]ledger.Posted, error)
}

var _ Source = (*ledger.Ledger)(nil)

// Options selects what a report covers. The zero value of every field is a
// sensible default, except To, which every report needs. Each builder
// documents the fields it reads; one it does not support (comparison columns
// in a trial balance, say) is ErrOption rather than ignored.
type Options struct {
	// From and To bound the report's period, inclusive. To is required (a
	// balance sheet is as of To). A zero From means the first day of the
	// fiscal year To falls in. From after To is ErrRange.
	From, To date.Date
	// Currency is the report's currency. Zero means the book's base
	// currency, and then an account holding any other currency fails the
	// build with a *CurrencyError: nothing is dropped silently. Set it
	// explicitly to report one currency of a multi-currency book: amounts in
	// other currencies are then left out and Report.Filter says so.
	Currency money.Currency
	// Dimension restricts the report to posting lines carrying this
	// dimension value (a cost-centre income statement, say), if Name is set.
	// Such lines need not balance, so checks that rely on the whole book
	// balancing (Σ debits = Σ credits, assets = liabilities + equity) are
	// left out of a filtered report.
	Dimension ledger.Dimension
	// Compare adds comparison columns (balance sheet, income statement,
	// cash flow statement; Monthly and Quarterly also to a trial balance).
	Compare Compare
	// Depth limits the rows to the outermost Depth levels; deeper ones are
	// folded into their parent. Zero shows every level. In a trial balance
	// a Depth rolls accounts up the account hierarchy; in a layout report
	// levels are layout lines, with the accounts one level below their line.
	Depth int
	// Layout maps accounts to the lines of a balance sheet or income
	// statement; nil means the default layout for the default chart (see
	// LoadLayout).
	Layout *Layout
	// Accounts restricts a general ledger to these account codes.
	Accounts []string
	// AccountQuery restricts a trial balance or general ledger to the
	// accounts whose code or name matches this regular expression (Go's
	// syntax, matched case-insensitively anywhere in the text, as hledger's
	// account queries are), if set: "bank" matches 1120 Bank and
	// assets:bank:checking, "^4" the codes starting with 4. Report.Filter
	// says so ("accounts~bank"), and, as with Dimension, the checks that rely
	// on the whole book balancing are left out. An invalid expression is
	// ErrQuery; other builders refuse a query (ErrOption).
	AccountQuery string
	// ExcludeClosing leaves year-end closing entries out of a trial balance
	// or general ledger (a pre-closing trial balance). Income and cash flow
	// statements always leave them out, balance sheets never do.
	ExcludeClosing bool
	// ShowZero keeps layout lines that are zero in every column; by default
	// they are left out (§265 (8) HGB). Totals are always shown.
	ShowZero bool
	// Now stamps Report.Generated; nil means time.Now.
	Now func() time.Time
	// ValueAtEnd values amounts in other currencies at the exchange rate in
	// force on To (hledger's --value=end) instead of at their base amounts
	// as booked, in a trial balance; the difference to the booked values,
	// unrealised and not booked, gets a row of its own so the report still
	// balances. The source's ledger needs exchange rates
	// (ledger.Options.Rates). Other builders: ErrOption.
	ValueAtEnd bool
	// Language is the language of the report's frame ("de", "en": a
	// catalogue of LoadMessages; another is ErrOption). "" means the
	// book's (BookLanguage): German for SKR03 and SKR04 books.
	Language string
}

// Compare selects comparison columns.
type Compare uint8

// The comparisons. Flow reports (income and cash flow statements) compare
// periods; the balance sheet compares the dates those periods end on.
const (
	// NoCompare is one column for From–To (as of To for a balance sheet).
	NoCompare Compare = iota
	// PriorPeriod adds the period of the same length just before: as many
	// whole months if From–To is whole months, else as many days. A balance
	// sheet adds the day before From.
	PriorPeriod
	// PriorYear adds the same range one year earlier (month ends stay month
	// ends: 2024-02-29 compares with 2023-02-28).
	PriorYear
	// Monthly is one column per calendar month of the range (cut at From and
	// To), and for flow reports a total column.
	Monthly
	// Quarterly is one column per quarter of the fiscal year (cut at From
	// and To), and for flow reports a total column.
	Quarterly
)

// span is the period of one amount column.
type span struct {
	from, to   date.Date
	key, label string
	total      bool // the total of the columns before it (flow reports)
}

// period checks opts' range for book b and returns From (defaulted) and To.
func period(b ledger.Book, opts Options) (from, to date.Date, err error) {
	to = opts.To
	if to.IsZero() {
		return from, to, fmt.Errorf("%w: no end date", ErrRange)
	}
	fyStart, _, err := fiscalYear(b, to)
	if err != nil {
		return from, to, err
	}
	from = opts.From
	if from.IsZero() {
		from = fyStart
	}
	if from.After(to) {
		return from, to, fmt.Errorf("%w: from %s is after to %s", ErrRange, from, to)
	}
	if _, _, err := fiscalYear(b, from); err != nil {
		return from, to, err
	}
	return from, to, nil
}

// fiscalYear returns the first and last day of the fiscal year d falls in,
// or ErrFiscalYear if that year is not one a ledger can hold.
func fiscalYear(b ledger.Book, d date.Date) (first, last date.Date, err error) {
	fy, _ := b.PeriodOf(d)
	start := b.FiscalYearStart
	if start == 0 {
		start = 1
	}
	if fy < 1 || fy > 9999 || fy == 9999 && start != 1 {
		return first, last, fmt.Errorf("%w: %s lies in fiscal year %d", ErrFiscalYear, d, fy)
	}
	first, last = b.FiscalYearRange(fy)
	return first, last, nil
}

// shift moves d by n months, or fails with ErrFiscalYear if that leaves the
// years 1–9999 (or, for a month end, to the end of the target month).
func shift(b ledger.Book, d date.Date, n int, keepEnd bool) (date.Date, error) {
	y := d.Year()*12 + int(d.Month()) - 1 + n
	if y < 12 || y >= 10000*12 {
		return date.Date{}, fmt.Errorf("%w: %s shifted by %d months", ErrFiscalYear, d, n)
	}
	out := d.AddMonths(n)
	if keepEnd && d == d.EndOfMonth() {
		out = out.EndOfMonth()
	}
	if _, _, err := fiscalYear(b, out); err != nil {
		return date.Date{}, err
	}
	return out, nil
}

// spans returns the amount columns of a flow report over from–to.
func spans(m *Messages, b ledger.Book, from, to date.Date, c Compare) ([]span, error) {
	rangeLabel := m.Range
	cur := span{from: from, to: to, key: "amount", label: rangeLabel(from, to)}
	switch c {
	case NoCompare:
		return []span{cur}, nil
	case PriorYear:
		pf, err := shift(b, from, -12, false)
		if err != nil {
			return nil, err
		}
		pt, err := shift(b, to, -12, true)
		if err != nil {
			return nil, err
		}
		return []span{cur, {from: pf, to: pt, key: "prior_year", label: rangeLabel(pf, pt)}}, nil
	case PriorPeriod:
		var pf, pt date.Date
		if from == from.StartOfMonth() && to == to.EndOfMonth() {
			n := (to.Year()-from.Year())*12 + int(to.Month()-from.Month()) + 1
			var err error
			if pf, err = shift(b, from, -n, false); err != nil {
				return nil, err
			}
			pt = from.AddDays(-1)
		} else {
			n := from.DaysUntil(to) + 1
			pt = from.AddDays(-1)
			if date.New(1, 1, 1).DaysUntil(from) < n {
				return nil, fmt.Errorf("%w: the period before %s", ErrFiscalYear, from)
			}
			pf = from.AddDays(-n)
		}
		if _, _, err := fiscalYear(b, pf); err != nil {
			return nil, err
		}
		return []span{cur, {from: pf, to: pt, key: "prior", label: rangeLabel(pf, pt)}}, nil
	case Monthly, Quarterly:
		cols := cuts(m, b, from, to, c)
		if len(cols) > 1 {
			cols = append(cols, span{from: from, to: to, key: "total", label: m.Text("Total"), total: true})
		}
		return cols, nil
	}
	return nil, fmt.Errorf("%w: comparison %d", ErrOption, c)
}

// asOfSpans returns the amount columns of a report as of dates (a balance
// sheet): span.to is the date, span.from the start of the period it ends.
func asOfSpans(m *Messages, b ledger.Book, from, to date.Date, c Compare) ([]span, error) {
	asOf := func(d date.Date, key string) span { return span{to: d, key: key, label: m.Date(d)} }
	switch c {
	case NoCompare:
		return []span{asOf(to, "balance")}, nil
	case PriorYear:
		pt, err := shift(b, to, -12, true)
		if err != nil {
			return nil, err
		}
		return []span{asOf(to, "balance"), asOf(pt, "prior_year")}, nil
	case PriorPeriod:
		if from.Year() == 1 && from.Month() == 1 && from.Day() == 1 {
			return nil, fmt.Errorf("%w: the day before %s", ErrFiscalYear, from)
		}
		pt := from.AddDays(-1)
		if _, _, err := fiscalYear(b, pt); err != nil {
			return nil, err
		}
		return []span{asOf(to, "balance"), asOf(pt, "prior")}, nil
	case Monthly, Quarterly:
		cols := cuts(m, b, from, to, c)
		for i := range cols {
			cols[i].label = m.Date(cols[i].to)
		}
		return cols, nil
	}
	return nil, fmt.Errorf("%w: comparison %d", ErrOption, c)
}

// cuts splits from–to into calendar months or fiscal quarters.
func cuts(m *Messages, b ledger.Book, from, to date.Date, c Compare) []span {
	var out []span
	for start := from; !start.After(to); {
		end := start.EndOfMonth()
		key := fmt.Sprintf("%04d-%02d", start.Year(), start.Month())
		if c == Quarterly {
			fy, n := b.PeriodOf(start)
			q := (n-1)/3 + 1
			qs, _ := b.FiscalYearRange(fy)
			end = qs.AddMonths(3*q - 1).EndOfMonth()
			key = fmt.Sprintf("%04d-Q%d", fy, q)
		}
		if end.After(to) {
			end = to
		}
		label := m.Month(start)
		if c == Quarterly {
			label = key[5:] + " " + key[:4]
		}
		if c == Monthly && (start != start.StartOfMonth() || end != end.EndOfMonth()) || c == Quarterly {
			label += " (" + m.Range(start, end) + ")"
		}
		out = append(out, span{from: start, to: end, key: key, label: label})
		start = end.AddDays(1)
	}
	return out
}

// header starts a report of kind k for book b in the language of m; title
// is a message key.
func header(m *Messages, k Kind, title string, b ledger.Book, cur money.Currency, from, to date.Date, opts Options) Report {
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	r := Report{
		Kind: k, Title: m.Text(title), Company: b.Name, Book: b.ID, Currency: cur,
		From: from, To: to, Generated: now().UTC(), Language: m.Language(),
	}
	if opts.Dimension.Name != "" {
		r.Filter = opts.Dimension.Name + "=" + opts.Dimension.Value
	}
	return r
}

// addFilter appends a restriction to r.Filter.
func (r *Report) addFilter(s string) {
	if r.Filter == "" {
		r.Filter = s
	} else if !strings.Contains(r.Filter, s) {
		r.Filter += ", " + s
	}
}

// currency returns the report's currency and whether other currencies are an
// error (strict) or left out.
func currency(b ledger.Book, opts Options) (money.Currency, bool) {
	if opts.Currency.IsZero() {
		return b.Currency, true
	}
	return opts.Currency, false
}

// inCurrency keeps the rows in currency cur. A row in another currency with
// any amount is a *CurrencyError if strict; otherwise it is left out and
// dropped reports true.
func inCurrency(rows []ledger.BalanceRow, cur money.Currency, strict bool) (out []ledger.BalanceRow, dropped bool, err error) {
	out = rows[:0:0]
	for _, r := range rows {
		if r.Currency != cur {
			if r.Opening.IsZero() && r.Debit.IsZero() && r.Credit.IsZero() {
				continue
			}
			if strict {
				return nil, false, &CurrencyError{Account: r.Account.Code, Currency: r.Currency, Want: cur}
			}
			dropped = true
			continue
		}
		out = append(out, r)
	}
	return out, dropped, nil
}

// balances reads the rows for q in the report's currency.
//
// A report in the base currency (strict) reads every account in it: amounts
// in other currencies count with their base amounts as booked, and an
// account with postings in another currency without them is a
// *CurrencyError.
func balances(ctx context.Context, src Source, r *Report, strict bool, q ledger.BalanceQuery) ([]ledger.BalanceRow, error) {
	q.InBase = strict
	rows, err := src.Balances(ctx, r.Book, q)
	if ce := (*ledger.ConversionError)(nil); errors.As(err, &ce) {
		c, _ := money.ParseCurrency(ce.Currency)
		return nil, &CurrencyError{Account: ce.Account, Currency: c, Want: r.Currency, Unconverted: true}
	}
	if err != nil {
		return nil, err
	}
	rows, dropped, err := inCurrency(rows, r.Currency, strict)
	if dropped {
		r.addFilter("currency=" + r.Currency.Code())
	}
	return rows, err
}

// sum is an overflow-checked running total in minor units.
type sum struct {
	n   int64
	err error
}

func (s *sum) add(x int64) {
	if v, ok := money.AddMinor(s.n, x); ok {
		s.n = v
	} else if s.err == nil {
		s.err = money.ErrOverflow
	}
}

// movement returns debit − credit of r in minor units.
func movement(r ledger.BalanceRow) (int64, error) {
	v, ok := money.AddMinor(r.Debit.MinorUnits(), -r.Credit.MinorUnits())
	if !ok {
		return 0, fmt.Errorf("account %s: %w", r.Account.Code, money.ErrOverflow)
	}
	return v, nil
}

func textCell(s string) Cell { return Cell{Text: s} }

func blankCell() Cell { return Cell{Blank: true} }
