package server

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/journal"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/partners"
	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/reporting"
	"github.com/openbackoffice/backoffice/reporting/xlsx"
)

// pageRoutes registers the web pages. Every page is server-rendered HTML
// that works without JavaScript; reads need Viewer, posting an entry
// Accountant, closing and locking periods Admin.
func (s *Server) pageRoutes() {
	s.handle("GET /{$}", Viewer, s.booksPage)
	s.handle("GET /books/{book}", Viewer, s.bookPage)
	s.handle("GET /books/{book}/reports/{kind}", Viewer, s.reportPage)
	s.handle("GET /books/{book}/lines", Viewer, s.linePage)
	s.handle("GET /books/{book}/accounts/{code}", Viewer, s.accountPage)
	s.handle("GET /books/{book}/entries/{seq}", Viewer, s.entryPage)
	s.handle("GET /books/{book}/entries/new", Accountant, s.entryForm)
	s.handle("POST /books/{book}/entries", Accountant, s.postEntryForm)
	s.handle("GET /books/{book}/periods", Viewer, s.periodsPage)
	s.handle("POST /books/{book}/periods/close", Admin, s.pageClosePeriod)
	s.handle("POST /books/{book}/periods/lock", Admin, s.lockThrough)
	s.handle("GET /books/{book}/verify", Viewer, s.verifyPage)
	s.handle("GET /books/{book}/export/journal", Viewer, s.exportJournal)
	s.handle("GET /books/{book}/payroll", Viewer, s.payrollPage)
	s.handle("GET /books/{book}/payroll/runs", Viewer, s.runPage)
	s.handle("GET /books/{book}/payroll/register", Viewer, s.registerPage)
	s.handle("GET /books/{book}/payroll/payslip", Viewer, s.payslipPage)
	s.handle("GET /books/{book}/partners", Viewer, s.partnersPage)
}

// statementPageSize is the number of entries an account statement shows per page.
const statementPageSize = 100

// ---- helpers ----

// renderPageStatus is render with another status than 200 (a form shown again
// with its error).
func (s *Server) renderPageStatus(w http.ResponseWriter, r *http.Request, status int, name, title, book string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	s.render(w, r, name, title, book, data)
}

// pageUserErrors are errors of package reporting that the problem table
// does not name but that a page shows as the user's mistake (a layout
// that does not fit the chart, a run not calculated yet), with their status.
var pageUserErrors = []struct {
	err    error
	status int
}{
	{reporting.ErrUnmapped, http.StatusUnprocessableEntity},
	{reporting.ErrMappedTwice, http.StatusUnprocessableEntity},
	{reporting.ErrLayout, http.StatusUnprocessableEntity},
	{reporting.ErrUnknownLayout, http.StatusBadRequest},
	{reporting.ErrNotCalculated, http.StatusConflict},
	{reporting.ErrNotInRun, http.StatusNotFound},
	{xlsx.ErrPrecision, http.StatusUnprocessableEntity},
}

// pageStatus is the status a page gives err: problemStatus's, or for the
// pageUserErrors theirs.
func pageStatus(err error) int {
	st := problemStatus(err)
	if st < 500 {
		return st
	}
	for _, u := range pageUserErrors {
		if errors.Is(err, u.err) {
			return u.status
		}
	}
	return st
}

// pageError shows err as an error page: writePageError, except for the
// pageUserErrors, whose message is shown with their status.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	st := pageStatus(err)
	if st >= 500 || st == problemStatus(err) {
		s.writePageError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(st)
	_ = templates.ExecuteTemplate(w, "error.html", page{Title: http.StatusText(st), User: who(r).name, Data: err.Error()})
}

// pageBook returns the book named by the path.
func (s *Server) pageBook(r *http.Request) (ledger.Book, error) {
	return s.cfg.Ledger.Book(r.Context(), r.PathValue("book"))
}

// pageURL returns the path of a page of book b: pageURL("acme", "accounts", "1200").
func pageURL(book string, parts ...string) string {
	var sb strings.Builder
	sb.WriteString("/books/")
	sb.WriteString(url.PathEscape(book))
	for _, p := range parts {
		sb.WriteByte('/')
		sb.WriteString(url.PathEscape(p))
	}
	return sb.String()
}

// pageQuery appends q to path.
func pageQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// pageHeadSeq returns the sequence number of the book's last entry (0 if it
// has none), found by galloping and bisecting over Ledger.Entry, since
// sequence numbers are gapless: a few lookups, however long the book.
// known is a sequence number known to exist, or 0.
func (s *Server) pageHeadSeq(ctx context.Context, book string, known uint64) (uint64, error) {
	exists := func(seq uint64) (bool, error) {
		_, err := s.cfg.Ledger.Entry(ctx, book, seq)
		if errors.Is(err, ledger.ErrNotFound) {
			return false, nil
		}
		return err == nil, err
	}
	lo := known // exists (or 0)
	step := uint64(1)
	hi := lo + step
	for {
		ok, err := exists(hi)
		if err != nil {
			return 0, err
		}
		if !ok {
			break
		}
		lo = hi
		step *= 2
		hi = lo + step
	}
	for hi-lo > 1 { // lo exists, hi does not
		mid := lo + (hi-lo)/2
		ok, err := exists(mid)
		if err != nil {
			return 0, err
		}
		if ok {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo, nil
}

// pageLastMonthEnd is the end of the month of the book's last entry, or of
// today for a book without entries: the default end of a report.
func (s *Server) pageLastMonthEnd(ctx context.Context, book string) (date.Date, error) {
	seq, err := s.pageHeadSeq(ctx, book, 0)
	if err != nil {
		return date.Date{}, err
	}
	if seq == 0 {
		return date.Of(s.cfg.Now()).EndOfMonth(), nil
	}
	p, err := s.cfg.Ledger.Entry(ctx, book, seq)
	if err != nil {
		return date.Date{}, err
	}
	return p.Date.EndOfMonth(), nil
}

// pageInvalid is a bad request parameter.
func pageInvalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
}

// pageMonth parses "YYYY-MM" to the first day of the month.
func pageMonth(s string) (date.Date, error) {
	t, err := time.Parse("2006-01", strings.TrimSpace(s))
	if err != nil {
		return date.Date{}, pageInvalid("month %q: want YYYY-MM", s)
	}
	return date.Of(t), nil
}

func pageMonthKey(d date.Date) string { return fmt.Sprintf("%04d-%02d", d.Year(), int(d.Month())) }

// pageLink is a labelled URL.
type pageLink struct {
	Label, URL string
}

// ---- books ----

func (s *Server) booksPage(w http.ResponseWriter, r *http.Request) {
	books, err := s.cfg.Ledger.Books(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	type row struct {
		ledger.Book
		URL string
	}
	rows := make([]row, len(books))
	for i, b := range books {
		rows[i] = row{b, pageURL(b.ID)}
	}
	s.render(w, r, "books.html", "Books", "", rows)
}

// bookView is the book overview.
type bookView struct {
	Book      ledger.Book
	FY        int
	FYFrom    date.Date
	FYTo      date.Date
	Entries   uint64
	Periods   []ledger.Period
	Open      int
	Closed    int
	Locked    int
	Links     []pageLink
	Charts    []template.HTML
	ChartNote string
}

func (s *Server) bookPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	b, err := s.pageBook(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	head, err := s.pageHeadSeq(ctx, b.ID, 0)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	end, err := s.pageLastMonthEnd(ctx, b.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	fy, _ := b.PeriodOf(end)
	v := bookView{Book: b, FY: fy, Entries: head}
	v.FYFrom, v.FYTo = b.FiscalYearRange(fy)
	if v.Periods, err = s.cfg.Ledger.Periods(ctx, b.ID, fy); err != nil {
		s.pageError(w, r, err)
		return
	}
	for _, p := range v.Periods {
		switch p.State {
		case ledger.Open:
			v.Open++
		case ledger.Closed:
			v.Closed++
		case ledger.Locked:
			v.Locked++
		}
	}
	id := b.ID
	v.Links = []pageLink{
		{"Trial balance", pageURL(id, "reports", "trial-balance")},
		{"Balance sheet", pageURL(id, "reports", "balance-sheet")},
		{"Income statement", pageURL(id, "reports", "income-statement")},
		{"Income statement by month", pageURL(id, "reports", "income-statement") + "?compare=monthly"},
		{"Cash flow statement", pageURL(id, "reports", "cash-flow")},
		{"Periods", pageURL(id, "periods")},
		{"Verify the audit chain", pageURL(id, "verify")},
		{"Export as journal (hledger)", pageURL(id, "export", "journal")},
	}
	if who(r).role.Allows(Accountant) {
		v.Links = append(v.Links, pageLink{"Post an entry", pageURL(id, "entries", "new")})
	}
	if s.cfg.Payroll != nil {
		v.Links = append(v.Links, pageLink{"Payroll", pageURL(id, "payroll")})
	}
	if s.cfg.Partners != nil {
		v.Links = append(v.Links, pageLink{"Customers & suppliers", pageURL(id, "partners")})
	}
	charts, err := s.bookCharts(ctx, b, fy, end)
	if err != nil {
		// Charts are a view of the books; a book whose chart the default
		// layouts cannot place still gets its overview.
		v.ChartNote = "Charts unavailable: " + err.Error()
	}
	v.Charts = charts
	s.render(w, r, "book.html", b.Name, b.ID, v)
}

// bookCharts draws the overview's charts for fiscal year fy: revenue,
// expenses and result by month, the cash position at each month end, and
// the balance sheet's composition as of today (at least as of end, the
// last entry's month end).
func (s *Server) bookCharts(ctx context.Context, b ledger.Book, fy int, end date.Date) ([]template.HTML, error) {
	cur := b.Currency
	first, last := b.FiscalYearRange(fy)
	var labels []string
	var rev, exp, res, cash []money.Amount
	for m := first; !m.After(last); m = m.AddMonths(1) {
		rows, err := s.cfg.Ledger.Balances(ctx, b.ID, ledger.BalanceQuery{From: m, To: m.EndOfMonth(), ExcludeClosing: true})
		if err != nil {
			return nil, err
		}
		rv, ex, cs := money.Zero(cur), money.Zero(cur), money.Zero(cur)
		for _, row := range rows {
			if row.Currency != cur {
				continue
			}
			var err error
			switch {
			case row.Account.Type == ledger.Revenue:
				rv, err = addAmounts(rv, row.Credit, row.Debit.Neg())
			case row.Account.Type == ledger.Expense:
				ex, err = addAmounts(ex, row.Debit, row.Credit.Neg())
			}
			if err != nil {
				return nil, err
			}
			if role := row.Account.Metadata["role"]; role == "cash" || role == "bank" {
				if cs, err = cs.Add(row.Closing); err != nil {
					return nil, err
				}
			}
		}
		rs, err := rv.Sub(ex)
		if err != nil {
			return nil, err
		}
		labels = append(labels, m.Month().String()[:3])
		rev, exp, res, cash = append(rev, rv), append(exp, ex), append(res, rs), append(cash, cs)
	}
	charts := []template.HTML{
		// Our own SVG: every text in it is escaped by the chart functions.
		template.HTML(barLineChart(fmt.Sprintf("Revenue, expenses and result %d (%s)", fy, cur.Code()), cur, labels,
			[]chartSeries{{Name: "Revenue", Colour: "#1f5fa8", Values: rev}, {Name: "Expenses", Colour: "#d9822b", Values: exp}},
			&chartSeries{Name: "Result", Colour: "#2e7d32", Values: res})),
		template.HTML(lineChart(fmt.Sprintf("Cash position %d (%s)", fy, cur.Code()), cur, labels,
			chartSeries{Name: "Cash and bank", Colour: "#1f5fa8", Values: cash})),
	}
	// The balance sheet as of today, within the fiscal year, or as of the
	// last entry's month if the books run ahead of the clock.
	asOf := date.Of(s.cfg.Now())
	if asOf.After(last) {
		asOf = last
	}
	if asOf.Before(end) {
		asOf = end
	}
	stacks, err := s.composition(ctx, b, asOf)
	if err != nil {
		return charts, err
	}
	if len(stacks) > 0 {
		charts = append(charts, template.HTML(stackedBarChart(fmt.Sprintf("Balance sheet as of %s (%s)", asOf, cur.Code()), cur, stacks)))
	}
	return charts, nil
}

func addAmounts(a money.Amount, xs ...money.Amount) (money.Amount, error) {
	for _, x := range xs {
		var err error
		if a, err = a.Add(x); err != nil {
			return a, err
		}
	}
	return a, nil
}

// composition returns the two sides of the balance sheet as of d as
// stacks: the lines directly under the layout's left line (assets) and
// its right line (liabilities and equity).
func (s *Server) composition(ctx context.Context, b ledger.Book, d date.Date) ([]chartStack, error) {
	layout, err := s.layoutFor(ctx, b.ID, reporting.BalanceSheetReport, "")
	if err != nil {
		return nil, err
	}
	rep, err := reporting.BalanceSheet(ctx, s.cfg.Ledger, b.ID, reporting.Options{To: d, Layout: layout, Now: s.cfg.Now})
	if err != nil {
		return nil, err
	}
	lay := layout
	if lay == nil {
		if lay, err = reporting.LoadLayout("default-balance-sheet"); err != nil {
			return nil, err
		}
	}
	var stacks []chartStack
	for _, side := range []string{"left", "right"} {
		var top reporting.LayoutLine
		for _, ln := range lay.Lines {
			if ln.Check == side {
				top = ln
			}
		}
		if top.ID == "" {
			return nil, nil
		}
		st := chartStack{Label: top.Label}
		for _, ln := range lay.Lines {
			if ln.Parent != top.ID {
				continue
			}
			for _, row := range rep.Rows {
				if row.Line == ln.ID && row.Account == "" && row.Kind != reporting.HeadingRow && len(row.Cells) > 1 && !row.Cells[1].Blank {
					st.Parts = append(st.Parts, chartPart{Label: ln.Label, Amount: row.Cells[1].Amount})
				}
			}
		}
		stacks = append(stacks, st)
	}
	return stacks, nil
}

// ---- reports ----

// reportKinds are the reports the report page builds, in the order the
// page lists them.
var reportKinds = map[string]string{
	string(reporting.TrialBalanceReport):    "Trial balance",
	string(reporting.BalanceSheetReport):    "Balance sheet",
	string(reporting.IncomeStatementReport): "Income statement",
	string(reporting.CashFlowReport):        "Cash flow statement",
	string(reporting.OpenItemsReport):       "Open items",
	string(reporting.AgingReport):           "Aging",
}

func partnerKind(kind string) bool {
	return kind == string(reporting.OpenItemsReport) || kind == string(reporting.AgingReport)
}

// filterForm is the state of a report's filter form.
type filterForm struct {
	Action   string
	Kind     string // the report
	Period   string // month, quarter, year or custom
	Month    string // YYYY-MM
	Quarter  string // 1–4
	Year     string // fiscal year
	From, To string // YYYY-MM-DD
	Compare  string
	Depth    string
	Layout   string
	Items    string // receivables or payables (partner reports)
	Layouts  []string
	// What the report takes.
	HasCompare, HasDepth, HasLayout, HasItems, AsOf bool
}

// period resolves the form's period for book b; def is the default end,
// today the server's date.
func (f *filterForm) period(b ledger.Book, q url.Values, def, today date.Date) (from, to date.Date, err error) {
	f.Period, f.Month, f.Quarter, f.Year = q.Get("period"), q.Get("month"), q.Get("quarter"), q.Get("year")
	f.From, f.To = q.Get("from"), q.Get("to")
	if f.Period == "" {
		switch {
		case f.From != "" || f.To != "":
			f.Period = "custom"
		case f.AsOf:
			// Open items and aging are as of today by default.
			f.Period, f.To = "custom", today.String()
		default:
			f.Period = "year"
		}
	}
	fyDef, nDef := b.PeriodOf(def)
	if f.Month == "" {
		f.Month = pageMonthKey(def)
	}
	if f.Year == "" {
		f.Year = strconv.Itoa(fyDef)
	}
	if f.Quarter == "" {
		f.Quarter = strconv.Itoa((nDef-1)/3 + 1)
	}
	switch f.Period {
	case "month":
		m, err := pageMonth(f.Month)
		if err != nil {
			return from, to, err
		}
		from, to = m, m.EndOfMonth()
	case "quarter", "year":
		fy, err := strconv.Atoi(f.Year)
		if err != nil || fy < 1 || fy > 9998 {
			return from, to, pageInvalid("fiscal year %q", f.Year)
		}
		from, to = b.FiscalYearRange(fy)
		if f.Period == "quarter" {
			qn, err := strconv.Atoi(f.Quarter)
			if err != nil || qn < 1 || qn > 4 {
				return from, to, pageInvalid("quarter %q: want 1–4", f.Quarter)
			}
			from = from.AddMonths(3 * (qn - 1))
			to = from.AddMonths(3).AddDays(-1)
		}
	case "custom":
		if f.To == "" {
			to = def
		} else if to, err = date.Parse(f.To); err != nil {
			return from, to, pageInvalid("to %q: want YYYY-MM-DD", f.To)
		}
		if f.From != "" {
			if from, err = date.Parse(f.From); err != nil {
				return from, to, pageInvalid("from %q: want YYYY-MM-DD", f.From)
			}
		} else {
			fy, _ := b.PeriodOf(to)
			from, _ = b.FiscalYearRange(fy)
		}
	default:
		return from, to, pageInvalid("period %q: want month, quarter, year or custom", f.Period)
	}
	if from.After(to) {
		return from, to, pageInvalid("from %s is after to %s", from, to)
	}
	f.From, f.To = from.String(), to.String()
	return from, to, nil
}

var pageCompares = map[string]reporting.Compare{
	"":             reporting.NoCompare,
	"none":         reporting.NoCompare,
	"monthly":      reporting.Monthly,
	"quarterly":    reporting.Quarterly,
	"prior-year":   reporting.PriorYear,
	"prior-period": reporting.PriorPeriod,
}

// layoutFor returns the layout of a balance sheet or income statement:
// the named one, or for a chart whose accounts carry meta.hgb the HGB
// layouts, else nil (the default layouts).
func (s *Server) layoutFor(ctx context.Context, book string, kind reporting.Kind, name string) (*reporting.Layout, error) {
	if name != "" {
		l, err := reporting.LoadLayout(name)
		if err != nil {
			return nil, pageInvalid("layout %q: have %v", name, reporting.Layouts())
		}
		return l, nil
	}
	accts, err := s.cfg.Ledger.Accounts(ctx, book)
	if err != nil {
		return nil, err
	}
	for _, a := range accts {
		if a.Metadata["hgb"] != "" {
			if kind == reporting.BalanceSheetReport {
				return reporting.LoadLayout("hgb-266")
			}
			return reporting.LoadLayout("hgb-275")
		}
	}
	return nil, nil
}

// reportView is a report laid out for a page.
type reportView struct {
	Title, Company, Book, Period, Filter, Currency string
	Generated                                      string
	Columns                                        []colView
	Rows                                           []rowView
	Checks                                         []checkView
	Form                                           *filterForm
	Downloads                                      []pageLink
	Error                                          string
	Print                                          bool
	Back                                           *pageLink
}

type colView struct {
	Label string
	Num   bool
}

type rowView struct {
	Class string
	Cells []cellView
}

type cellView struct {
	Text  string
	Class string
	Link  string
}

type checkView struct {
	Label, Left, Right string
	OK                 bool
}

// viewReport lays out rep; link returns the drill-down URL of a row, or "".
func viewReport(rep reporting.Report, link func(reporting.Row) string) reportView {
	v := reportView{Title: rep.Title, Company: rep.Company, Book: rep.Book, Filter: rep.Filter, Currency: rep.Currency.Code()}
	switch {
	case rep.From.IsZero() && !rep.To.IsZero():
		v.Period = "as of " + rep.To.String()
	case !rep.To.IsZero():
		v.Period = rep.From.String() + " – " + rep.To.String()
	}
	if !rep.Generated.IsZero() {
		v.Generated = rep.Generated.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	labelCol := -1
	for i, c := range rep.Columns {
		if c.Key == "label" {
			labelCol = i
		}
	}
	if labelCol < 0 {
		for i, c := range rep.Columns {
			if c.Kind == reporting.TextColumn {
				labelCol = i
				break
			}
		}
	}
	for _, c := range rep.Columns {
		v.Columns = append(v.Columns, colView{Label: c.Label, Num: c.Kind == reporting.AmountColumn})
	}
	for _, row := range rep.Rows {
		rv := rowView{Class: rowClass(row.Kind)}
		href := ""
		if link != nil {
			href = link(row)
		}
		for i, c := range row.Cells {
			if i >= len(rep.Columns) {
				break
			}
			cv := cellView{}
			switch rep.Columns[i].Kind {
			case reporting.AmountColumn:
				cv.Class = "num"
				if !c.Blank {
					cv.Text = c.Amount.Number()
					if c.Amount.IsNegative() {
						cv.Class = "num neg"
					}
				}
			case reporting.DateColumn:
				if !c.Blank && !c.Date.IsZero() {
					cv.Text = c.Date.String()
				}
			default:
				cv.Text = c.Text
			}
			if i == labelCol {
				if row.Level > 0 {
					cv.Class = "l" + strconv.Itoa(min(row.Level, 4))
				}
				cv.Link = href
			}
			rv.Cells = append(rv.Cells, cv)
		}
		v.Rows = append(v.Rows, rv)
	}
	for _, c := range rep.Checks {
		v.Checks = append(v.Checks, checkView{Label: c.Label, Left: c.Left.Number(), Right: c.Right.Number(), OK: c.OK()})
	}
	return v
}

func rowClass(k reporting.RowKind) string {
	switch k {
	case reporting.HeadingRow:
		return "heading"
	case reporting.SubtotalRow:
		return "subtotal"
	case reporting.TotalRow:
		return "total"
	}
	return "detail"
}

// pagePartnerSource gives the partner reports the parties and the book.
type pagePartnerSource struct {
	*partners.Parties
	*ledger.Ledger
}

// Book resolves the ambiguity of the embedded types in favour of the ledger.
func (p pagePartnerSource) Book(ctx context.Context, id string) (ledger.Book, error) {
	return p.Ledger.Book(ctx, id)
}

func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	kind := r.PathValue("kind")
	title, ok := reportKinds[kind]
	if !ok || partnerKind(kind) && s.cfg.Partners == nil {
		s.pageError(w, r, fmt.Errorf("%w: no report %q", ErrNotFound, kind))
		return
	}
	b, err := s.pageBook(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	def, err := s.pageLastMonthEnd(ctx, b.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	q := r.URL.Query()
	f := &filterForm{Action: pageURL(b.ID, "reports", kind), Kind: kind, Compare: q.Get("compare"), Depth: q.Get("depth"),
		Layout: q.Get("layout"), Items: q.Get("items")}
	switch reporting.Kind(kind) {
	case reporting.TrialBalanceReport:
		f.HasDepth = true
	case reporting.BalanceSheetReport, reporting.IncomeStatementReport:
		f.HasCompare, f.HasDepth, f.HasLayout = true, true, true
		f.Layouts = reporting.Layouts()
	case reporting.CashFlowReport:
		f.HasCompare, f.HasDepth = true, true
	default:
		f.HasItems, f.AsOf = true, true
	}
	v := reportView{Title: title, Form: f}
	fail := func(err error) {
		if pageStatus(err) >= 500 {
			s.pageError(w, r, err)
			return
		}
		v.Error = err.Error()
		s.renderPageStatus(w, r, pageStatus(err), "report.html", title, b.ID, v)
	}
	from, to, err := f.period(b, q, def, date.Of(s.cfg.Now()))
	if err != nil {
		fail(err)
		return
	}
	opts := reporting.Options{From: from, To: to, Now: s.cfg.Now}
	if f.HasCompare {
		c, ok := pageCompares[f.Compare]
		if !ok {
			fail(pageInvalid("compare %q", f.Compare))
			return
		}
		opts.Compare = c
	}
	if f.HasDepth && f.Depth != "" {
		if opts.Depth, err = strconv.Atoi(f.Depth); err != nil || opts.Depth < 0 {
			fail(pageInvalid("depth %q", f.Depth))
			return
		}
	}
	if f.HasLayout {
		if opts.Layout, err = s.layoutFor(ctx, b.ID, reporting.Kind(kind), f.Layout); err != nil {
			fail(err)
			return
		}
	}
	var rep reporting.Report
	switch reporting.Kind(kind) {
	case reporting.TrialBalanceReport:
		rep, err = reporting.TrialBalance(ctx, s.cfg.Ledger, b.ID, opts)
	case reporting.BalanceSheetReport:
		rep, err = reporting.BalanceSheet(ctx, s.cfg.Ledger, b.ID, opts)
	case reporting.IncomeStatementReport:
		rep, err = reporting.IncomeStatement(ctx, s.cfg.Ledger, b.ID, opts)
	case reporting.CashFlowReport:
		rep, err = reporting.CashFlow(ctx, s.cfg.Ledger, b.ID, opts)
	default:
		rep, err = s.partnerReport(ctx, b.ID, kind, f.Items, to)
	}
	if err != nil {
		fail(err)
		return
	}
	if format := q.Get("format"); format != "" {
		s.pageDownload(w, r, rep, format)
		return
	}
	// Drill-down: accounts to their statement, layout lines to their
	// accounts, over the report's period (a balance sheet's: its fiscal
	// year up to the date).
	dfrom := from
	if rep.From.IsZero() {
		fy, _ := b.PeriodOf(to)
		dfrom, _ = b.FiscalYearRange(fy)
	}
	span := url.Values{"from": {dfrom.String()}, "to": {to.String()}}
	layoutName := ""
	if opts.Layout != nil {
		layoutName = opts.Layout.Name
	}
	lineLinks := reporting.Kind(kind) == reporting.BalanceSheetReport || reporting.Kind(kind) == reporting.IncomeStatementReport
	v = viewReport(rep, func(row reporting.Row) string {
		switch {
		case row.Account != "":
			return pageQuery(pageURL(b.ID, "accounts", row.Account), span)
		case lineLinks && row.Line != "" && row.Kind != reporting.HeadingRow:
			lq := url.Values{"report": {kind}, "line": {row.Line}, "from": {dfrom.String()}, "to": {to.String()}}
			if layoutName != "" {
				lq.Set("layout", layoutName)
			}
			return pageQuery(pageURL(b.ID, "lines"), lq)
		}
		return ""
	})
	v.Form = f
	v.Downloads = pageDownloads(r.URL)
	s.render(w, r, "report.html", rep.Title, b.ID, v)
}

// partnerReport builds open items or aging as of d.
func (s *Server) partnerReport(ctx context.Context, book, kind, items string, d date.Date) (reporting.Report, error) {
	p, err := s.cfg.Partners(ctx, book)
	if err != nil {
		return reporting.Report{}, err
	}
	opts := reporting.PartnerOptions{AsOf: d, Now: s.cfg.Now}
	switch items {
	case "", "receivables":
		opts.Kind = partners.Receivable
	case "payables":
		opts.Kind = partners.Payable
	default:
		return reporting.Report{}, pageInvalid("items %q: want receivables or payables", items)
	}
	src := pagePartnerSource{p, s.cfg.Ledger}
	if kind == string(reporting.AgingReport) {
		return reporting.Aging(ctx, src, book, opts)
	}
	return reporting.OpenItems(ctx, src, book, opts)
}

// pageDownloads returns the links to u as a workbook and as CSV.
func pageDownloads(u *url.URL) []pageLink {
	var out []pageLink
	for _, f := range []struct{ label, format string }{{"Excel (.xlsx)", "xlsx"}, {"CSV", "csv"}} {
		q := u.Query()
		q.Set("format", f.format)
		out = append(out, pageLink{f.label, pageQuery(u.Path, q)})
	}
	return out
}

// pageDownload writes rep as an attachment in format xlsx or csv.
func (s *Server) pageDownload(w http.ResponseWriter, r *http.Request, rep reporting.Report, format string) {
	var buf bytes.Buffer
	var ctype, ext string
	switch format {
	case "xlsx":
		if err := xlsx.Write(&buf, []reporting.Report{rep}, nil); err != nil {
			s.pageError(w, r, err)
			return
		}
		ctype, ext = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
	case "csv":
		if err := reporting.WriteCSV(&buf, rep, nil); err != nil {
			s.pageError(w, r, err)
			return
		}
		ctype, ext = "text/csv; charset=utf-8", "csv"
	default:
		s.pageError(w, r, pageInvalid("format %q: want xlsx or csv", format))
		return
	}
	name := pageFileName(rep.Book, string(rep.Kind))
	if !rep.From.IsZero() {
		name += "_" + rep.From.String()
	}
	if !rep.To.IsZero() {
		name += "_" + rep.To.String()
	}
	s.pageAttach(w, ctype, name+"."+ext, buf.Bytes())
}

// pageFileName joins parts into a file name of safe characters.
func pageFileName(parts ...string) string {
	var b strings.Builder
	for i, p := range parts {
		if p == "" {
			continue
		}
		if i > 0 && b.Len() > 0 {
			b.WriteByte('_')
		}
		for _, c := range p {
			switch {
			case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '.':
				b.WriteRune(c)
			default:
				b.WriteByte('-')
			}
		}
	}
	return b.String()
}

func (s *Server) pageAttach(w http.ResponseWriter, ctype, name string, body []byte) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

// ---- layout lines ----

// lineView lists the accounts a layout line takes.
type lineView struct {
	Report, Line, Label, Layout string
	From, To                    date.Date
	Accounts                    []lineAccount
	Note                        string
	Back                        string
}

type lineAccount struct {
	Code, Name, Amount, URL string
	Neg                     bool
}

// linePage lists the accounts under a layout line of a balance sheet or
// income statement — those its selectors and those of the item lines
// below it match — with their balance (balance sheet) or movement
// (income statement), each linking to its statement.
func (s *Server) linePage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	b, err := s.pageBook(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	q := r.URL.Query()
	kind := reporting.Kind(q.Get("report"))
	if kind != reporting.BalanceSheetReport && kind != reporting.IncomeStatementReport {
		s.pageError(w, r, pageInvalid("report %q: want balance-sheet or income-statement", kind))
		return
	}
	from, err1 := date.Parse(q.Get("from"))
	to, err2 := date.Parse(q.Get("to"))
	if err1 != nil || err2 != nil || from.After(to) {
		s.pageError(w, r, pageInvalid("from and to: want YYYY-MM-DD, from not after to"))
		return
	}
	layout, err := s.layoutFor(ctx, b.ID, kind, q.Get("layout"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if layout == nil {
		name := "default-income-statement"
		if kind == reporting.BalanceSheetReport {
			name = "default-balance-sheet"
		}
		if layout, err = reporting.LoadLayout(name); err != nil {
			s.pageError(w, r, err)
			return
		}
	}
	id := q.Get("line")
	i := slices.IndexFunc(layout.Lines, func(l reporting.LayoutLine) bool { return l.ID == id })
	if i < 0 {
		s.pageError(w, r, fmt.Errorf("%w: line %q in layout %s", ErrNotFound, id, layout.Name))
		return
	}
	line := layout.Lines[i]
	v := lineView{Report: string(kind), Line: line.ID, Label: line.Label, Layout: layout.Name, From: from, To: to,
		Back: pageQuery(pageURL(b.ID, "reports", string(kind)), url.Values{"period": {"custom"}, "from": {from.String()}, "to": {to.String()}, "layout": {layout.Name}})}
	// The line and its item-line descendants; a total line adds other
	// lines, whose accounts are those of the lines it names.
	ids := map[string]bool{line.ID: true}
	if line.Kind == reporting.TotalLine {
		for _, t := range line.Sum {
			ids[t.Line] = true
		}
		v.Note = "A total: the accounts of the lines it adds."
	}
	for changed := true; changed; {
		changed = false
		for _, l := range layout.Lines {
			if !ids[l.ID] && ids[l.Parent] {
				ids[l.ID], changed = true, true
			}
		}
	}
	var sels []reporting.Selector
	result := false
	for _, l := range layout.Lines {
		if !ids[l.ID] {
			continue
		}
		for _, sel := range l.Match {
			if sel.Field == "result" {
				result = true
				continue
			}
			sels = append(sels, sel)
		}
	}
	if result {
		v.Note = "The line includes the result of the year: see the income statement."
	}
	rows, err := s.cfg.Ledger.Balances(ctx, b.ID, ledger.BalanceQuery{From: from, To: to, ExcludeClosing: kind == reporting.IncomeStatementReport})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	span := url.Values{"from": {from.String()}, "to": {to.String()}}
	for _, row := range rows {
		if row.Currency != b.Currency || row.Account.Type.IsIncomeStatement() != (kind == reporting.IncomeStatementReport) {
			continue
		}
		if !slices.ContainsFunc(sels, func(sel reporting.Selector) bool { return lineSelects(sel, row.Account) }) {
			continue
		}
		amt := row.Closing
		if kind == reporting.IncomeStatementReport {
			if amt, err = row.Debit.Sub(row.Credit); err != nil {
				s.pageError(w, r, err)
				return
			}
		}
		if line.Side == ledger.SideCredit {
			amt = amt.Neg()
		}
		if amt.IsZero() {
			continue
		}
		v.Accounts = append(v.Accounts, lineAccount{Code: row.Account.Code, Name: row.Account.Name, Amount: amt.Number(),
			Neg: amt.IsNegative(), URL: pageQuery(pageURL(b.ID, "accounts", row.Account.Code), span)})
	}
	s.render(w, r, "line.html", line.Label, b.ID, v)
}

// lineSelects reports whether sel takes account a, as a layout does (see
// reporting.Selector); the side condition (@debit, @credit) is not applied:
// the page lists every account the line may take.
func lineSelects(sel reporting.Selector, a ledger.Account) bool {
	switch {
	case sel.Field == "code" && sel.Last != "":
		return pageCmpCode(sel.Value, a.Code) <= 0 && pageCmpCode(a.Code, sel.Last) <= 0
	case sel.Field == "code":
		return a.Code == sel.Value
	case sel.Field == "type":
		return a.Type.String() == sel.Value
	case strings.HasPrefix(sel.Field, "meta."):
		v, ok := a.Metadata[strings.TrimPrefix(sel.Field, "meta.")]
		return ok && v == sel.Value
	}
	return false
}

// cmpCode pageCompares account codes as package reporting does: as numbers if
// both are all digits, else as strings.
func pageCmpCode(a, b string) int {
	digits := func(s string) bool {
		for _, c := range s {
			if c < '0' || c > '9' {
				return false
			}
		}
		return s != ""
	}
	if digits(a) && digits(b) {
		a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
		if len(a) != len(b) {
			return len(a) - len(b)
		}
	}
	return strings.Compare(a, b)
}

// ---- account statement ----

type statementView struct {
	Account  ledger.Account
	Currency string
	From, To date.Date
	Opening  amountView // at the start of this page
	Lines    []statementLine
	Next     string
	First    string
	Last     bool
	Closing  amountView // per the ledger, on the last page
	Running  amountView
	Agrees   bool
	Span     url.Values
}

type amountView struct {
	Text string
	Neg  bool
}

func amountOf(a money.Amount) amountView { return amountView{a.Number(), a.IsNegative()} }

type statementLine struct {
	Date                   date.Date
	Seq                    uint64
	URL                    string
	Description, Voucher   string
	Contra                 string
	Debit, Credit, Foreign string
	Balance                amountView
}

// accountPage shows an account's postings from..to with a running
// balance, statementPageSize entries a page, in sequence order. The next page's
// link carries the cursor (after=<last seq>); the page's opening balance is
// recomputed from the ledger's balance before the period and the lines
// before the cursor.
func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	b, err := s.pageBook(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	acct, err := s.cfg.Ledger.Account(ctx, b.ID, r.PathValue("code"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	cur := acct.Currency
	if cur == (money.Currency{}) {
		cur = b.Currency
	}
	q := r.URL.Query()
	var from, to date.Date
	if t := q.Get("to"); t != "" {
		if to, err = date.Parse(t); err != nil {
			s.pageError(w, r, pageInvalid("to %q", t))
			return
		}
	} else if to, err = s.pageLastMonthEnd(ctx, b.ID); err != nil {
		s.pageError(w, r, err)
		return
	}
	if f := q.Get("from"); f != "" {
		if from, err = date.Parse(f); err != nil {
			s.pageError(w, r, pageInvalid("from %q", f))
			return
		}
	} else {
		fy, _ := b.PeriodOf(to)
		from, _ = b.FiscalYearRange(fy)
	}
	if from.After(to) {
		s.pageError(w, r, pageInvalid("from %s is after to %s", from, to))
		return
	}
	var after uint64
	if a := q.Get("after"); a != "" {
		if after, err = strconv.ParseUint(a, 10, 64); err != nil {
			s.pageError(w, r, pageInvalid("after %q", a))
			return
		}
	}
	// The balance at the start of this page.
	running := money.Zero(cur)
	if from.After(date.New(1, 1, 1)) {
		bal, err := s.cfg.Ledger.Balance(ctx, b.ID, acct.Code, from.AddDays(-1))
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		running = bal.In(cur)
	}
	if after > 0 {
		// Recomputed from the ledger, never taken from the link: a
		// bookmarked page must not show a balance that entries posted
		// since have made stale.
		if running, err = s.runningBefore(ctx, b.ID, acct.Code, cur, from, to, after, running); err != nil {
			s.pageError(w, r, err)
			return
		}
	}
	page, err := s.cfg.Ledger.Entries(ctx, b.ID, ledger.EntryQuery{Account: acct.Code, From: from, To: to, After: after, Limit: statementPageSize + 1})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	more := len(page) > statementPageSize
	if more {
		page = page[:statementPageSize]
	}
	span := url.Values{"from": {from.String()}, "to": {to.String()}}
	v := statementView{Account: acct, Currency: cur.Code(), From: from, To: to, Opening: amountOf(running), Span: span}
	for _, p := range page {
		for k, ln := range p.Lines {
			if ln.Account != acct.Code {
				continue
			}
			sl := statementLine{Date: p.Date, Seq: p.Seq, URL: pageURL(b.ID, "entries", strconv.FormatUint(p.Seq, 10)),
				Description: p.Description, Voucher: p.Voucher, Contra: contraAccounts(p, k)}
			if ln.Amount.Currency() != cur {
				// Another currency than the statement's: shown, not added.
				sl.Foreign = ln.Amount.String()
			} else {
				if ln.Amount.IsPositive() {
					sl.Debit = ln.Amount.Number()
				} else {
					sl.Credit = ln.Amount.Neg().Number()
				}
				if running, err = running.Add(ln.Amount); err != nil {
					s.pageError(w, r, err)
					return
				}
			}
			sl.Balance = amountOf(running)
			v.Lines = append(v.Lines, sl)
		}
	}
	v.Running = amountOf(running)
	base := pageURL(b.ID, "accounts", acct.Code)
	if after > 0 {
		v.First = pageQuery(base, span)
	}
	if more {
		nq := url.Values{"from": {from.String()}, "to": {to.String()},
			"after": {strconv.FormatUint(page[len(page)-1].Seq, 10)}}
		v.Next = pageQuery(base, nq)
	} else {
		v.Last = true
		bal, err := s.cfg.Ledger.Balance(ctx, b.ID, acct.Code, to)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		v.Closing = amountOf(bal.In(cur))
		v.Agrees = bal.In(cur) == running
	}
	s.render(w, r, "account.html", acct.Code+" "+acct.Name, b.ID, v)
}

// runningBefore returns start plus the account's lines in cur of the
// entries from..to up to and including sequence number upto, read in pages.
func (s *Server) runningBefore(ctx context.Context, book, code string, cur money.Currency, from, to date.Date, upto uint64, start money.Amount) (money.Amount, error) {
	var after uint64
	for {
		page, err := s.cfg.Ledger.Entries(ctx, book, ledger.EntryQuery{Account: code, From: from, To: to, After: after, Limit: 1000})
		if err != nil {
			return start, err
		}
		for _, p := range page {
			if p.Seq > upto {
				return start, nil
			}
			for _, ln := range p.Lines {
				if ln.Account == code && ln.Amount.Currency() == cur {
					if start, err = start.Add(ln.Amount); err != nil {
						return start, err
					}
				}
			}
		}
		if len(page) < 1000 {
			return start, nil
		}
		after = page[len(page)-1].Seq
	}
}

// contraAccounts names the accounts on the other side of line k of p.
func contraAccounts(p ledger.Posted, k int) string {
	side := p.Lines[k].Amount.Sign()
	var out []string
	for i, ln := range p.Lines {
		if i != k && ln.Amount.Sign() != side && !slices.Contains(out, ln.Account) {
			out = append(out, ln.Account)
		}
	}
	return strings.Join(out, ", ")
}

// ---- entries ----

type entryView struct {
	P          ledger.Posted
	Journal    string
	Head       uint64
	Digest     string
	Hash       string
	Recorded   string
	Meta       []pageKV
	Lines      []entryLine
	Reverses   string    // URL of the entry this one reverses
	ReversedBy *pageLink // the reversal of this entry
	Adjusts    string
	Prev, Next *pageLink
}

type pageKV struct{ K, V string }

type entryLine struct {
	Account, Name, URL, Debit, Credit, Currency, Memo string
	Dims                                              []pageKV
}

func pageSortedKV(m map[string]string) []pageKV {
	out := make([]pageKV, 0, len(m))
	for k, v := range m {
		out = append(out, pageKV{k, v})
	}
	slices.SortFunc(out, func(a, b pageKV) int { return strings.Compare(a.K, b.K) })
	return out
}

func (s *Server) entryPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	b, err := s.pageBook(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	seq, err := strconv.ParseUint(r.PathValue("seq"), 10, 64)
	if err != nil || seq == 0 {
		s.pageError(w, r, fmt.Errorf("%w: entry %q", ledger.ErrNotFound, r.PathValue("seq")))
		return
	}
	p, err := s.cfg.Ledger.Entry(ctx, b.ID, seq)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	head, err := s.pageHeadSeq(ctx, b.ID, seq)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	accts, err := s.cfg.Ledger.Accounts(ctx, b.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	names := make(map[string]string, len(accts))
	for _, a := range accts {
		names[a.Code] = a.Name
	}
	span := url.Values{}
	fy, _ := b.PeriodOf(p.Date)
	fyFrom, fyTo := b.FiscalYearRange(fy)
	span.Set("from", fyFrom.String())
	span.Set("to", fyTo.String())
	v := entryView{P: p, Journal: p.Journal, Head: head, Digest: hex.EncodeToString(p.Digest[:]), Hash: hex.EncodeToString(p.Hash[:]),
		Recorded: p.RecordedAt.UTC().Format("2006-01-02 15:04:05.000000 UTC"), Meta: pageSortedKV(p.Metadata)}
	if v.Journal == "" {
		v.Journal = ledger.JournalGeneral
	}
	for _, ln := range p.Lines {
		el := entryLine{Account: ln.Account, Name: names[ln.Account], URL: pageQuery(pageURL(b.ID, "accounts", ln.Account), span),
			Currency: ln.Amount.Currency().Code(), Memo: ln.Memo, Dims: pageSortedKV(ln.Dimensions)}
		if ln.Amount.IsPositive() {
			el.Debit = ln.Amount.Number()
		} else {
			el.Credit = ln.Amount.Neg().Number()
		}
		v.Lines = append(v.Lines, el)
	}
	if p.Reverses != 0 {
		v.Reverses = pageURL(b.ID, "entries", strconv.FormatUint(p.Reverses, 10))
	}
	if p.Adjusts != 0 {
		v.Adjusts = pageURL(b.ID, "entries", strconv.FormatUint(p.Adjusts, 10))
	}
	if seq > 1 {
		v.Prev = &pageLink{fmt.Sprintf("entry %d", seq-1), pageURL(b.ID, "entries", strconv.FormatUint(seq-1, 10))}
	}
	if seq < head {
		v.Next = &pageLink{fmt.Sprintf("entry %d", seq+1), pageURL(b.ID, "entries", strconv.FormatUint(seq+1, 10))}
	}
	// Ledger.Reverse posts under the key "reverse/<seq>".
	rev, err := s.cfg.Ledger.EntryByKey(ctx, b.ID, "reverse/"+strconv.FormatUint(seq, 10))
	switch {
	case err == nil && rev.Reverses == seq:
		v.ReversedBy = &pageLink{fmt.Sprintf("entry %d of %s", rev.Seq, rev.Date), pageURL(b.ID, "entries", strconv.FormatUint(rev.Seq, 10))}
	case err != nil && !errors.Is(err, ledger.ErrNotFound):
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, "entry.html", fmt.Sprintf("Entry %d", seq), b.ID, v)
}

// formLines is the number of lines the entry form offers.
const formLines = 6

type entryFormData struct {
	Action      string
	Date        string
	Description string
	Voucher     string
	Idem        string
	Lines       []formLine
	Accounts    []ledger.Account
	Error       string
	Currency    string
}

type formLine struct{ Account, Debit, Credit string }

func (s *Server) entryForm(w http.ResponseWriter, r *http.Request) {
	b, err := s.pageBook(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	f := entryFormData{Date: date.Of(s.cfg.Now()).String(), Idem: randomID(), Lines: make([]formLine, formLines)}
	s.showEntryForm(w, r, b, f, http.StatusOK)
}

func (s *Server) showEntryForm(w http.ResponseWriter, r *http.Request, b ledger.Book, f entryFormData, status int) {
	accts, err := s.cfg.Ledger.Accounts(r.Context(), b.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	for _, a := range accts {
		if !a.Closed {
			f.Accounts = append(f.Accounts, a)
		}
	}
	f.Action, f.Currency = pageURL(b.ID, "entries"), b.Currency.Code()
	if status == http.StatusOK {
		s.render(w, r, "entry_new.html", "Post an entry", b.ID, f)
		return
	}
	s.renderPageStatus(w, r, status, "entry_new.html", "Post an entry", b.ID, f)
}

// postEntryForm posts the entry of the form under the key "form/<idem>",
// idem being the form's random hidden field: submitting the same form
// twice posts once (the ledger returns the first result). The entry
// records who posted it as metadata "actor".
func (s *Server) postEntryForm(w http.ResponseWriter, r *http.Request) {
	b, err := s.pageBook(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.pageError(w, r, pageInvalid("malformed form"))
		return
	}
	f := entryFormData{Date: r.PostFormValue("date"), Description: r.PostFormValue("description"), Voucher: r.PostFormValue("voucher"),
		Idem: r.PostFormValue("idem"), Lines: make([]formLine, formLines)}
	for i := range f.Lines {
		n := strconv.Itoa(i)
		f.Lines[i] = formLine{Account: strings.TrimSpace(r.PostFormValue("account" + n)),
			Debit: strings.TrimSpace(r.PostFormValue("debit" + n)), Credit: strings.TrimSpace(r.PostFormValue("credit" + n))}
	}
	e, err := f.entry(b, who(r).name)
	if err == nil {
		var p ledger.Posted
		if p, err = s.cfg.Ledger.Post(r.Context(), e); err == nil {
			s.cfg.Logger.Info("posted", "actor", who(r).name, "book", b.ID, "seq", p.Seq)
			http.Redirect(w, r, pageURL(b.ID, "entries", strconv.FormatUint(p.Seq, 10)), http.StatusSeeOther)
			return
		}
	}
	status := pageStatus(err)
	if status >= 500 {
		s.pageError(w, r, err)
		return
	}
	f.Error = err.Error()
	s.showEntryForm(w, r, b, f, status)
}

// entry builds the ledger entry of the form.
func (f entryFormData) entry(b ledger.Book, actor string) (ledger.Entry, error) {
	if !validIdem(f.Idem) {
		return ledger.Entry{}, pageInvalid("the form has no valid idempotency field; reload it")
	}
	d, err := date.Parse(strings.TrimSpace(f.Date))
	if err != nil {
		return ledger.Entry{}, pageInvalid("date %q: want YYYY-MM-DD", f.Date)
	}
	e := ledger.Entry{Book: b.ID, Key: "form/" + f.Idem, Date: d, Description: strings.TrimSpace(f.Description),
		Voucher: strings.TrimSpace(f.Voucher), Metadata: map[string]string{"actor": actor}}
	for i, ln := range f.Lines {
		if ln.Account == "" && ln.Debit == "" && ln.Credit == "" {
			continue
		}
		switch {
		case ln.Account == "":
			return e, pageInvalid("line %d: no account", i+1)
		case ln.Debit != "" && ln.Credit != "":
			return e, pageInvalid("line %d: a debit or a credit, not both", i+1)
		case ln.Debit == "" && ln.Credit == "":
			return e, pageInvalid("line %d: no amount", i+1)
		}
		text, credit := ln.Debit, false
		if text == "" {
			text, credit = ln.Credit, true
		}
		a, err := money.Parse(text, b.Currency)
		if err != nil {
			return e, pageInvalid("line %d: amount %q: %v", i+1, text, err)
		}
		if credit {
			e.Lines = append(e.Lines, ledger.Credit(ln.Account, a))
		} else {
			e.Lines = append(e.Lines, ledger.Debit(ln.Account, a))
		}
	}
	if len(e.Lines) < 2 {
		return e, pageInvalid("an entry needs at least two lines")
	}
	return e, nil
}

// validIdem accepts the form's idempotency field: 16–64 base64url
// characters (randomID makes 43).
func validIdem(s string) bool {
	if len(s) < 16 || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// ---- periods ----

type periodsView struct {
	Book     ledger.Book
	LockDate string
	Years    []yearView
	Months   []string // months that can be locked through (after the lock date)
	Admin    bool
	Close    string
	Lock     string
}

type yearView struct {
	FY      int
	Periods []periodRow
}

type periodRow struct {
	ledger.Period
	Month string
	Open  bool
}

// periodsPage shows the period states of the fiscal years from the first
// entry's to the last entry's (at most the last ten), and the lock date;
// an Admin gets the forms to close a month and to lock through a month.
func (s *Server) periodsPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	b, err := s.pageBook(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	head, err := s.pageHeadSeq(ctx, b.ID, 0)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	first, last := date.Of(s.cfg.Now()), date.Of(s.cfg.Now())
	if head > 0 {
		p1, err := s.cfg.Ledger.Entry(ctx, b.ID, 1)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		pn, err := s.cfg.Ledger.Entry(ctx, b.ID, head)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		first, last = p1.Date, pn.Date
		if last.Before(first) {
			first, last = last, first
		}
	}
	fy0, _ := b.PeriodOf(first)
	fy1, _ := b.PeriodOf(last)
	fy0 = max(fy0, fy1-9)
	v := periodsView{Book: b, Admin: who(r).role.Allows(Admin), Close: pageURL(b.ID, "periods", "close"), Lock: pageURL(b.ID, "periods", "lock")}
	if !b.LockDate.IsZero() {
		v.LockDate = b.LockDate.String()
	}
	for fy := fy1; fy >= fy0; fy-- {
		ps, err := s.cfg.Ledger.Periods(ctx, b.ID, fy)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		yv := yearView{FY: fy}
		for _, p := range ps {
			yv.Periods = append(yv.Periods, periodRow{Period: p, Month: pageMonthKey(p.Start), Open: p.State == ledger.Open})
			if b.LockDate.IsZero() || p.End.After(b.LockDate) {
				v.Months = append(v.Months, pageMonthKey(p.Start))
			}
		}
		v.Years = append(v.Years, yv)
	}
	slices.Sort(v.Months)
	s.render(w, r, "periods.html", "Periods", b.ID, v)
}

// pagePeriodOf parses the form's period=YYYY-MM into a fiscal year and period.
func pagePeriodOf(b ledger.Book, r *http.Request) (date.Date, int, int, error) {
	m, err := pageMonth(r.PostFormValue("period"))
	if err != nil {
		return m, 0, 0, err
	}
	fy, n := b.PeriodOf(m)
	return m, fy, n, nil
}

func (s *Server) pageClosePeriod(w http.ResponseWriter, r *http.Request) {
	b, err := s.pageBook(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	_, fy, n, err := pagePeriodOf(b, r)
	if err == nil {
		err = s.cfg.Ledger.ClosePeriod(r.Context(), b.ID, fy, n)
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.cfg.Logger.Info("period closed", "actor", who(r).name, "book", b.ID, "fy", fy, "period", n)
	http.Redirect(w, r, pageURL(b.ID, "periods"), http.StatusSeeOther)
}

// lockThrough sets the book's lock date to the last day of the month:
// entries on or before it are refused from then on.
func (s *Server) lockThrough(w http.ResponseWriter, r *http.Request) {
	b, err := s.pageBook(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	m, _, _, err := pagePeriodOf(b, r)
	if err == nil {
		err = s.cfg.Ledger.SetLockDate(r.Context(), b.ID, m.EndOfMonth())
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.cfg.Logger.Info("lock date set", "actor", who(r).name, "book", b.ID, "date", m.EndOfMonth().String())
	http.Redirect(w, r, pageURL(b.ID, "periods"), http.StatusSeeOther)
}

// ---- verify ----

type verifyView struct {
	OK       bool
	Seq      uint64
	Hash     string
	Error    string
	Partners string // "" if not checked
	PartOK   bool
}

func (s *Server) verifyPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	b, err := s.pageBook(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	var v verifyView
	head, err := s.cfg.Ledger.Verify(ctx, b.ID)
	switch {
	case err == nil:
		v.OK, v.Seq, v.Hash = true, head.Seq, hex.EncodeToString(head.Hash[:])
	case errors.Is(err, ledger.ErrTampered):
		v.Error = err.Error() // names the record, never amounts or text
	default:
		s.pageError(w, r, err)
		return
	}
	if s.cfg.Partners != nil {
		p, err := s.cfg.Partners(ctx, b.ID)
		if err == nil {
			err = p.Verify(ctx, b.ID)
		}
		var ve *partners.VerifyError
		switch {
		case err == nil:
			v.Partners, v.PartOK = "Open items agree with the ledger.", true
		case errors.As(err, &ve):
			v.Partners = err.Error()
		default:
			s.pageError(w, r, err)
			return
		}
	}
	s.render(w, r, "verify.html", "Verify", b.ID, v)
}

// ---- export ----

// exportJournal writes the book as a plain-text journal that hledger
// reads with the same balances (package journal).
func (s *Server) exportJournal(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	b, err := s.pageBook(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	accts, err := s.cfg.Ledger.Accounts(ctx, b.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	var entries []ledger.Entry
	var after uint64
	for {
		page, err := s.cfg.Ledger.Entries(ctx, b.ID, ledger.EntryQuery{After: after, Limit: 1000})
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		for _, p := range page {
			entries = append(entries, p.Entry)
		}
		if len(page) < 1000 {
			break
		}
		after = page[len(page)-1].Seq
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "; book %s (%s), exported by backoffice\n\n", b.ID, strings.ReplaceAll(b.Name, "\n", " "))
	if err := journal.Write(&buf, accts, entries); err != nil {
		s.pageError(w, r, err)
		return
	}
	s.pageAttach(w, "text/plain; charset=utf-8", pageFileName(b.ID)+".journal", buf.Bytes())
}

// ---- payroll ----

// pagePayrollSource gives the payroll reports the runs, the book's name and,
// if the server has HR records, the employees' cost centres.
type pagePayrollSource struct {
	*payroll.Runs
	*ledger.Ledger
}

type pagePayrollHRSource struct {
	pagePayrollSource
	*hr.Records
}

func (s *Server) payrollSrc(runs *payroll.Runs) reporting.PayrollSource {
	src := pagePayrollSource{runs, s.cfg.Ledger}
	if s.cfg.HR != nil {
		return pagePayrollHRSource{src, s.cfg.HR}
	}
	return src
}

type payrollView struct {
	Configured bool
	Runs       []runRow
}

type runRow struct {
	payroll.Run
	URL, EntryURL, PaymentURL string
}

func (s *Server) pageRunRow(book string, run payroll.Run) runRow {
	rr := runRow{Run: run, URL: pageQuery(pageURL(book, "payroll", "runs"), url.Values{"id": {run.ID}})}
	if run.Entry != 0 {
		rr.EntryURL = pageURL(book, "entries", strconv.FormatUint(run.Entry, 10))
	}
	if run.PaymentEntry != 0 {
		rr.PaymentURL = pageURL(book, "entries", strconv.FormatUint(run.PaymentEntry, 10))
	}
	return rr
}

func (s *Server) payrollPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	b, err := s.pageBook(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v := payrollView{Configured: s.cfg.Payroll != nil}
	if v.Configured {
		runs, err := s.cfg.Payroll(ctx, b.ID)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		list, err := runs.List(ctx, b.ID)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		for _, run := range list {
			v.Runs = append(v.Runs, s.pageRunRow(b.ID, run))
		}
	}
	s.render(w, r, "payroll.html", "Payroll", b.ID, v)
}

// pageRun returns the pay runs and the run named by ?id= of the page's book.
func (s *Server) pageRun(r *http.Request, b ledger.Book) (*payroll.Runs, payroll.Run, error) {
	if s.cfg.Payroll == nil {
		return nil, payroll.Run{}, fmt.Errorf("%w: payroll is not served", ErrNotFound)
	}
	runs, err := s.cfg.Payroll(r.Context(), b.ID)
	if err != nil {
		return nil, payroll.Run{}, err
	}
	id := r.URL.Query().Get("id")
	run, err := runs.Run(r.Context(), id)
	if err != nil {
		return nil, run, err
	}
	if run.Book != b.ID { // a run of another book is not found in this one
		return nil, payroll.Run{}, fmt.Errorf("run %s: %w", id, payroll.ErrRunNotFound)
	}
	return runs, run, nil
}

type runView struct {
	Run      runRow
	Payslips []payslipRow
	Register string
}

type payslipRow struct {
	Employee, Number, Gross, Net, URL string
}

func (s *Server) runPage(w http.ResponseWriter, r *http.Request) {
	b, err := s.pageBook(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	runs, run, err := s.pageRun(r, b)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	slips, err := runs.Payslips(r.Context(), run.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v := runView{Run: s.pageRunRow(b.ID, run)}
	if len(slips) > 0 {
		v.Register = pageQuery(pageURL(b.ID, "payroll", "register"), url.Values{"id": {run.ID}})
	}
	for _, p := range slips {
		v.Payslips = append(v.Payslips, payslipRow{Employee: p.Employee, Number: p.PersonnelNumber, Gross: p.Gross.Number(), Net: p.Net.Number(),
			URL: pageQuery(pageURL(b.ID, "payroll", "payslip"), url.Values{"id": {run.ID}, "employee": {p.Employee}})})
	}
	s.render(w, r, "run.html", "Pay run "+run.ID, b.ID, v)
}

func (s *Server) registerPage(w http.ResponseWriter, r *http.Request) {
	s.payrollReport(w, r, false)
}

func (s *Server) payslipPage(w http.ResponseWriter, r *http.Request) {
	s.payrollReport(w, r, true)
}

// payrollReport shows the payroll register of a run, or one employee's
// payslip (printable: the print stylesheet hides everything else).
func (s *Server) payrollReport(w http.ResponseWriter, r *http.Request, slip bool) {
	b, err := s.pageBook(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	runs, run, err := s.pageRun(r, b)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	src := s.payrollSrc(runs)
	opts := reporting.Options{Now: s.cfg.Now}
	var rep reporting.Report
	if slip {
		rep, err = reporting.Payslip(r.Context(), src, run.ID, r.URL.Query().Get("employee"), opts)
	} else {
		rep, err = reporting.PayrollRegister(r.Context(), src, run.ID, opts)
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if format := r.URL.Query().Get("format"); format != "" {
		s.pageDownload(w, r, rep, format)
		return
	}
	v := viewReport(rep, nil)
	v.Downloads = pageDownloads(r.URL)
	v.Print = slip
	rr := s.pageRunRow(b.ID, run)
	v.Back = &pageLink{"Pay run " + run.ID, rr.URL}
	s.render(w, r, "report.html", rep.Title, b.ID, v)
}

// ---- partners ----

type partnersView struct {
	Configured bool
	Parties    []partners.Party
	Reports    []pageLink
}

func (s *Server) partnersPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	b, err := s.pageBook(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v := partnersView{Configured: s.cfg.Partners != nil}
	if v.Configured {
		p, err := s.cfg.Partners(ctx, b.ID)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		if v.Parties, err = p.List(ctx, b.ID, date.Date{}); err != nil {
			s.pageError(w, r, err)
			return
		}
		for _, k := range []struct{ label, items string }{{"receivables", "receivables"}, {"payables", "payables"}} {
			q := url.Values{"items": {k.items}}
			v.Reports = append(v.Reports,
				pageLink{"Open items, " + k.label, pageQuery(pageURL(b.ID, "reports", "open-items"), q)},
				pageLink{"Aging, " + k.label, pageQuery(pageURL(b.ID, "reports", "aging"), q)})
		}
	}
	s.render(w, r, "partners.html", "Customers & suppliers", b.ID, v)
}
