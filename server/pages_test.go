package server_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/partners"
	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/payroll/rules/generic"
	"github.com/openbackoffice/backoffice/reporting"
	"github.com/openbackoffice/backoffice/reporting/xlsx"
	"github.com/openbackoffice/backoffice/server"
	"github.com/openbackoffice/backoffice/store/memory"
)

// pageNow is the clock of the page tests: 20 April 2026.
var pageNow = time.Date(2026, 4, 20, 9, 0, 0, 0, time.UTC)

// pageStatementSize is the number of entries per page of an account
// statement.
const pageStatementSize = 100

// pageCashEntries is the number of cash sales on account 1110, more than
// one page of an account statement.
const pageCashEntries = 130

// pageEnv is a server over a memory store with the book "acme" (EUR, the
// default chart) holding four months of entries, a calculated and posted
// pay run, and a browser session per role.
type pageEnv struct {
	t      *testing.T
	h      http.Handler
	ledger *ledger.Ledger
	runs   *payroll.Runs
	cookie map[server.Role]string // session cookie per role
	csrf   map[server.Role]string
}

func newPageEnv(t *testing.T) *pageEnv {
	t.Helper()
	ctx := context.Background()
	now := func() time.Time { return pageNow }
	store := memory.New()
	l := ledger.New(store, &ledger.Options{Now: now})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(l.CreateBook(ctx, ledger.Book{ID: "acme", Name: "ACME <GmbH> & Co", Currency: money.EUR}))
	must(l.CreateAccounts(ctx, ledger.DefaultChart("acme")...))
	eur := func(s string) money.Amount { return money.MustParse(s, money.EUR) }
	post := func(key, day, desc string, lines ...ledger.Line) ledger.Posted {
		t.Helper()
		p, err := l.Post(ctx, ledger.Entry{Book: "acme", Key: key, Date: date.MustParse(day), Description: desc, Lines: lines})
		must(err)
		return p
	}
	post("capital", "2026-01-02", "Share capital", ledger.Debit("1120", eur("50000.00")), ledger.Credit("3100", eur("50000.00")))
	for m := 1; m <= 4; m++ {
		day := fmt.Sprintf("2026-%02d-", m)
		post("sale-"+strconv.Itoa(m), day+"10", "Consulting", ledger.Debit("1200", eur("11900.00")),
			ledger.Credit("4100", eur("10000.00")), ledger.Credit("2120", eur("1900.00")))
		post("paid-"+strconv.Itoa(m), day+"20", "Payment received", ledger.Debit("1120", eur("11900.00")), ledger.Credit("1200", eur("11900.00")))
		post("rent-"+strconv.Itoa(m), day+"01", "Rent", ledger.Debit("6200", eur("2000.00")), ledger.Credit("1120", eur("2000.00")))
	}
	for i := range pageCashEntries {
		d := date.MustParse("2026-02-01").AddDays(i % 70)
		post("cash-"+strconv.Itoa(i), d.String(), "Cash sale", ledger.Debit("1110", money.New(int64(100+i), money.EUR)),
			ledger.Credit("4100", money.New(int64(100+i), money.EUR)))
	}
	_, err := l.Post(ctx, ledger.Entry{Book: "acme", Key: "odd", Date: date.MustParse("2026-03-15"), Description: `<script>alert("x")</script>`,
		Voucher: "V-<1>", Metadata: map[string]string{"source": "test"},
		Lines: []ledger.Line{{Account: "6400", Amount: eur("12.34"), Memo: "pens", Dimensions: map[string]string{"cost_centre": "CC-10"}},
			ledger.Credit("1120", eur("12.34"))}})
	must(err)
	rent, err := l.EntryByKey(ctx, "acme", "rent-2")
	must(err)
	_, err = l.Reverse(ctx, "acme", rent.Seq, date.MustParse("2026-02-28"), "duplicate")
	must(err)

	// Payroll: one employee, a generic rule pack, the March run posted.
	records := hr.New(store, &hr.Options{Now: now})
	emp, err := records.Hire(ctx, hr.Employee{Employer: "acme", PersonnelNumber: "1001", FamilyName: "Muster", HireDate: date.MustParse("2025-01-01")})
	must(err)
	_, err = records.SetContract(ctx, hr.Contract{Employee: emp.ID, Effective: hr.Effective{ValidFrom: emp.HireDate},
		PayType: hr.Monthly, Amount: eur("4000.00"), Frequency: hr.MonthlyPay, WeeklyHours: decimal.NewFromInt(40), WorkDays: hr.MondayToFriday})
	must(err)
	from := date.MustParse("2026-01-01")
	pack, err := generic.New(generic.Config{
		ID: "generic", Version: "2026", ValidFrom: from, Rounding: money.HalfUp,
		Proration: payroll.Proration{Method: payroll.CalendarDays}, Bases: []string{"gross"},
		Taxes: []generic.Tax{{Code: "tax", Base: "gross", Rounding: money.HalfUp,
			Brackets: payroll.Table[[]generic.Bracket]{{From: from, Value: []generic.Bracket{{Rate: decimal.RequireFromString("0.25")}}}}}},
	})
	must(err)
	runs := payroll.New(store, &payroll.Options{Now: now, Packs: payroll.Packs{pack}})
	cal := payroll.Calendar{ID: "monthly", Frequency: hr.MonthlyPay, WorkDays: hr.MondayToFriday}
	period, err := cal.PeriodOf(date.MustParse("2026-03-01"))
	must(err)
	_, err = runs.CreateRun(ctx, payroll.RunSpec{ID: "acme/2026-03", Book: "acme", Period: period})
	must(err)
	_, err = runs.Calculate(ctx, "acme/2026-03")
	must(err)
	_, err = runs.Approve(ctx, "acme/2026-03")
	must(err)
	_, err = runs.Post(ctx, "acme/2026-03")
	must(err)

	// Customers: one invoice open.
	parties := partners.New(store, &partners.Options{Now: now})
	must(parties.AddParties(ctx, partners.Party{Book: "acme", Number: "10001", Role: partners.Customer, Name: "Kunde <GmbH>",
		Terms: partners.Terms{NetDays: 30}}))
	_, err = parties.Post(ctx, partners.Invoice{Book: "acme", Key: "inv-1", Kind: partners.InvoiceKind, Party: "10001",
		Date: date.MustParse("2026-03-05"), Lines: []partners.InvoiceLine{{Account: "4100", Net: eur("500.00"), VAT: "19"}}})
	must(err)

	tokens := &server.MemoryTokens{}
	secrets := map[server.Role]string{}
	for name, role := range map[string]server.Role{"vera": server.Viewer, "anna": server.Accountant, "adam": server.Admin} {
		s, err := server.NewToken(ctx, tokens, name, role, pageNow)
		must(err)
		secrets[role] = s
	}
	srv, err := server.New(server.Config{Ledger: l, Tokens: tokens, Now: now, RateLimit: 1e6, RateBurst: 1e6, HR: records,
		Logger:   slog.New(slog.DiscardHandler),
		Payroll:  func(context.Context, string) (*payroll.Runs, error) { return runs, nil },
		Partners: func(context.Context, string) (*partners.Parties, error) { return parties, nil }})
	must(err)
	e := &pageEnv{t: t, h: srv.Handler(), ledger: l, runs: runs, cookie: map[server.Role]string{}, csrf: map[server.Role]string{}}
	for role, secret := range secrets {
		rec := e.serve("POST", "/login", "", url.Values{"token": {secret}, "next": {"/"}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("login as %s: %d %s", role, rec.Code, rec.Body.String())
		}
		for _, c := range rec.Result().Cookies() {
			if c.Name == "bo_session" {
				e.cookie[role] = c.Name + "=" + c.Value
			}
		}
		body := e.get(role, "/")
		m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no CSRF token on the books page of %s", role)
		}
		e.csrf[role] = html.UnescapeString(m[1])
	}
	return e
}

// serve makes a request with cookie (may be empty) and, for a form, its
// values.
func (e *pageEnv) serve(method, path, cookie string, form url.Values) *httptest.ResponseRecorder {
	e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	return rec
}

// do makes a request in role's session.
func (e *pageEnv) do(role server.Role, method, path string, form url.Values) *httptest.ResponseRecorder {
	e.t.Helper()
	if form != nil {
		form.Set("csrf", e.csrf[role])
	}
	return e.serve(method, path, e.cookie[role], form)
}

// get returns the body of a page that must answer 200.
func (e *pageEnv) get(role server.Role, path string) string {
	e.t.Helper()
	rec := e.do(role, "GET", path, nil)
	if rec.Code != http.StatusOK {
		e.t.Fatalf("GET %s as %s: %d %s", path, role, rec.Code, rec.Body.String())
	}
	return rec.Body.String()
}

var (
	hrefRe        = regexp.MustCompile(`href="([^"]*)"`)
	inlineStyleRe = regexp.MustCompile(`(?i)\sstyle\s*=`)
	styleTagRe    = regexp.MustCompile(`(?i)<style[\s>]`)
	scriptRe      = regexp.MustCompile(`(?is)<script([^>]*)>(.*?)</script>`)
	eventAttrRe   = regexp.MustCompile(`(?i)\son[a-z]+\s*=`)
)

// checkCSP fails for anything the Content-Security-Policy would block:
// inline script bodies, style attributes or elements, event handler
// attributes.
func checkCSP(t *testing.T, path, body string) {
	t.Helper()
	if inlineStyleRe.MatchString(body) || styleTagRe.MatchString(body) {
		t.Errorf("%s: inline style", path)
	}
	if eventAttrRe.MatchString(body) {
		t.Errorf("%s: inline event handler", path)
	}
	for _, m := range scriptRe.FindAllStringSubmatch(body, -1) {
		if strings.TrimSpace(m[2]) != "" || !strings.Contains(m[1], "src=") {
			t.Errorf("%s: inline script %q", path, m[0])
		}
	}
}

// TestPagesCrawl walks every page a viewer can reach from the books list
// by following links (downloads aside): each answers 200, complies with
// the CSP and escapes what it shows. So every drill-down link resolves.
func TestPagesCrawl(t *testing.T) {
	e := newPageEnv(t)
	start := []string{"/", "/books/acme", "/books/acme/reports/income-statement?compare=monthly",
		"/books/acme/reports/balance-sheet?compare=prior-year", "/books/acme/reports/cash-flow?compare=monthly",
		"/books/acme/reports/trial-balance?period=month&month=2026-02", "/books/acme/reports/balance-sheet?period=quarter&year=2026&quarter=1&depth=2",
		"/books/acme/reports/income-statement?period=custom&from=2026-02-01&to=2026-03-31"}
	seen := map[string]bool{}
	queue := append([]string(nil), start...)
	kinds := map[string]bool{}
	for len(queue) > 0 && len(seen) < 600 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		rec := e.do(server.Viewer, "GET", p, nil)
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s: %d %s", p, rec.Code, rec.Body.String())
			continue
		}
		if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("GET %s: Content-Type %q", p, ct)
		}
		body := rec.Body.String()
		checkCSP(t, p, body)
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<GmbH>") {
			t.Errorf("%s: unescaped text", p)
		}
		u, _ := url.Parse(p)
		kinds[strings.SplitN(strings.TrimPrefix(u.Path, "/books/acme/"), "/", 2)[0]] = true
		for _, m := range hrefRe.FindAllStringSubmatch(body, -1) {
			h := html.UnescapeString(m[1])
			if !strings.HasPrefix(h, "/") || strings.HasPrefix(h, "/static/") || strings.Contains(h, "format=") ||
				strings.Contains(h, "/export/") || strings.Contains(h, "/entries/new") {
				continue
			}
			if !seen[h] {
				queue = append(queue, h)
			}
		}
	}
	for _, p := range []string{"/books/acme/reports/open-items?items=receivables", "/books/acme/reports/aging?items=payables"} {
		if !seen[p] {
			t.Errorf("the crawl did not reach %s", p)
		}
	}
	for _, k := range []string{"reports", "accounts", "entries", "lines", "payroll", "partners", "periods", "verify"} {
		if !kinds[k] {
			t.Errorf("the crawl reached no %s page (saw %d pages)", k, len(seen))
		}
	}
	t.Logf("crawled %d pages", len(seen))
}

// TestPagesStatic checks the layout's script and stylesheet are served.
func TestPagesStatic(t *testing.T) {
	e := newPageEnv(t)
	for _, p := range []string{"/static/style.css", "/static/app.js"} {
		if rec := e.serve("GET", p, "", nil); rec.Code != 200 {
			t.Errorf("GET %s: %d", p, rec.Code)
		}
	}
}

// cellsOf returns the texts of the table cells of body, in order.
func cellsOf(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`).FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], "")))
	}
	return out
}

// TestPagesReportFigures compares the report pages with the builders'
// reports for the same options: every row's cells, in order.
func TestPagesReportFigures(t *testing.T) {
	e := newPageEnv(t)
	ctx := context.Background()
	opts := reporting.Options{From: date.MustParse("2026-01-01"), To: date.MustParse("2026-12-31")}
	monthly := opts
	monthly.Compare = reporting.Monthly
	tests := []struct {
		name  string
		path  string
		build func() (reporting.Report, error)
	}{
		{"balance sheet", "/books/acme/reports/balance-sheet?period=year&year=2026",
			func() (reporting.Report, error) { return reporting.BalanceSheet(ctx, e.ledger, "acme", opts) }},
		{"income statement monthly", "/books/acme/reports/income-statement?period=year&year=2026&compare=monthly",
			func() (reporting.Report, error) { return reporting.IncomeStatement(ctx, e.ledger, "acme", monthly) }},
		{"trial balance", "/books/acme/reports/trial-balance",
			func() (reporting.Report, error) { return reporting.TrialBalance(ctx, e.ledger, "acme", opts) }},
		{"cash flow", "/books/acme/reports/cash-flow?period=custom&from=2026-01-01&to=2026-12-31",
			func() (reporting.Report, error) { return reporting.CashFlow(ctx, e.ledger, "acme", opts) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := tt.build()
			if err != nil {
				t.Fatal(err)
			}
			got := cellsOf(e.get(server.Viewer, tt.path))
			var want []string
			for _, row := range rep.Rows {
				for i, c := range row.Cells {
					switch {
					case c.Blank:
						want = append(want, "")
					case rep.Columns[i].Kind == reporting.AmountColumn:
						want = append(want, c.Amount.Number())
					case rep.Columns[i].Kind == reporting.DateColumn:
						want = append(want, c.Date.String())
					default:
						want = append(want, c.Text)
					}
				}
			}
			if len(got) < len(want) {
				t.Fatalf("%d cells, want %d", len(got), len(want))
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("cell %d = %q, want %q", i, got[i], want[i])
				}
			}
			body := e.get(server.Viewer, tt.path)
			for _, c := range rep.Checks {
				if !strings.Contains(body, html.EscapeString(c.Label)) || !strings.Contains(body, c.Left.Number()) {
					t.Errorf("check %q not shown", c.Label)
				}
			}
		})
	}
}

// TestPagesBalanceSheetTotals checks the totals the balance sheet page
// shows against reporting.BalanceSheet, and that its charts are there.
func TestPagesBalanceSheetTotals(t *testing.T) {
	e := newPageEnv(t)
	rep, err := reporting.BalanceSheet(context.Background(), e.ledger, "acme", reporting.Options{To: date.MustParse("2026-12-31")})
	if err != nil {
		t.Fatal(err)
	}
	cells := cellsOf(e.get(server.Viewer, "/books/acme/reports/balance-sheet"))
	n := 0
	for _, row := range rep.Rows {
		if row.Kind == reporting.TotalRow {
			n++
			want := row.Cells[1].Amount.Number()
			found := false
			for i := 0; i+1 < len(cells); i++ {
				found = found || cells[i] == row.Label && cells[i+1] == want
			}
			if !found {
				t.Errorf("total %q = %s not shown", row.Label, want)
			}
		}
	}
	if n != 2 {
		t.Errorf("%d total rows, want 2 (assets, liabilities and equity)", n)
	}
	overview := e.get(server.Viewer, "/books/acme")
	if c := strings.Count(overview, `<svg class="chart"`); c != 3 {
		t.Errorf("%d charts on the overview, want 3", c)
	}
}

// TestPagesLineDrillDown follows a layout line of the balance sheet to
// its accounts.
func TestPagesLineDrillDown(t *testing.T) {
	e := newPageEnv(t)
	body := e.get(server.Viewer, "/books/acme/reports/balance-sheet")
	m := regexp.MustCompile(`href="(/books/acme/lines\?[^"]*line=cash[^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no drill-down link for the line cash")
	}
	lines := e.get(server.Viewer, html.UnescapeString(m[1]))
	for _, code := range []string{"1110", "1120"} {
		if !strings.Contains(lines, "/books/acme/accounts/"+code+"?") {
			t.Errorf("line cash does not list account %s", code)
		}
	}
	if strings.Contains(lines, "/accounts/1200?") {
		t.Errorf("line cash lists receivables")
	}
}

// TestPagesAccountPagination walks the statement of the cash account page
// by page: every entry once, in order, with a running balance that
// continues across the page boundary and ends at the ledger's balance.
func TestPagesAccountPagination(t *testing.T) {
	e := newPageEnv(t)
	ctx := context.Background()
	rowRe := regexp.MustCompile(`(?s)<tr class="detail">.*?entries/(\d+)">.*?<td class="num">([0-9.]*)</td><td class="num">([0-9.]*)</td>\s*<td class="num balance[^"]*">(-?[0-9.]+)</td>`)
	next := "/books/acme/accounts/1110?from=2026-01-01&to=2026-12-31"
	seen := map[uint64]bool{}
	running := money.Zero(money.EUR)
	var last uint64
	pages := 0
	for next != "" {
		pages++
		body := e.get(server.Viewer, next)
		checkCSP(t, next, body)
		rows := rowRe.FindAllStringSubmatch(body, -1)
		if pages == 1 && len(rows) != pageStatementSize {
			t.Fatalf("first page has %d rows, want %d", len(rows), pageStatementSize)
		}
		for _, r := range rows {
			seq, _ := strconv.ParseUint(r[1], 10, 64)
			if seen[seq] || seq <= last {
				t.Fatalf("entry %d twice or out of order", seq)
			}
			seen[seq], last = true, seq
			debit := money.Zero(money.EUR)
			if r[2] != "" {
				debit = money.MustParse(r[2], money.EUR)
			}
			running, _ = running.Add(debit)
			if r[3] != "" {
				running, _ = running.Sub(money.MustParse(r[3], money.EUR))
			}
			if got := money.MustParse(r[4], money.EUR); got != running {
				t.Fatalf("page %d, entry %d: balance %s, want %s", pages, seq, got.Number(), running.Number())
			}
		}
		m := regexp.MustCompile(`class="next" href="([^"]+)"`).FindStringSubmatch(body)
		next = ""
		if m != nil {
			next = html.UnescapeString(m[1])
			// Without the carried balance the page recomputes it.
			u, _ := url.Parse(next)
			q := u.Query()
			q.Del("bal")
			plain := e.get(server.Viewer, u.Path+"?"+q.Encode())
			if a, b := cellsOf(plain), cellsOf(e.get(server.Viewer, next)); strings.Join(a, "|") != strings.Join(b, "|") {
				t.Errorf("page after %s differs without bal", q.Get("after"))
			}
		} else if !strings.Contains(body, "✓ Running balance = ledger balance") {
			t.Errorf("last page: running balance does not agree with the ledger")
		}
	}
	if pages != 2 || len(seen) != pageCashEntries {
		t.Fatalf("%d pages, %d entries; want 2 pages, %d entries", pages, len(seen), pageCashEntries)
	}
	bal, err := e.ledger.Balance(ctx, "acme", "1110", date.MustParse("2026-12-31"))
	if err != nil {
		t.Fatal(err)
	}
	if bal.In(money.EUR) != running {
		t.Errorf("running balance %s, ledger %s", running.Number(), bal.In(money.EUR).Number())
	}
}

// TestPagesEntry shows an entry with its metadata, dimensions, chain
// position, hashes and reversal.
func TestPagesEntry(t *testing.T) {
	e := newPageEnv(t)
	ctx := context.Background()
	rent, _ := e.ledger.EntryByKey(ctx, "acme", "rent-2")
	rev, err := e.ledger.EntryByKey(ctx, "acme", "reverse/"+strconv.FormatUint(rent.Seq, 10))
	if err != nil {
		t.Fatal(err)
	}
	body := e.get(server.Viewer, fmt.Sprint("/books/acme/entries/", rent.Seq))
	head, err := e.ledger.Verify(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		fmt.Sprintf("%d of %d", rent.Seq, head.Seq),
		fmt.Sprintf("%x", rent.Hash), fmt.Sprintf("%x", rent.Digest),
		fmt.Sprintf(`href="/books/acme/entries/%d"`, rev.Seq), "Reversed by",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("entry page lacks %q", want)
		}
	}
	body = e.get(server.Viewer, fmt.Sprint("/books/acme/entries/", rev.Seq))
	if !strings.Contains(body, fmt.Sprintf(`<dt>Reverses</dt><dd><a href="/books/acme/entries/%d">`, rent.Seq)) {
		t.Errorf("reversal page does not link what it reverses")
	}
	odd, _ := e.ledger.EntryByKey(ctx, "acme", "odd")
	body = e.get(server.Viewer, fmt.Sprint("/books/acme/entries/", odd.Seq))
	for _, want := range []string{"cost_centre=CC-10", "pens", "<dt>source</dt><dd>test</dd>", "V-&lt;1&gt;", "&lt;script&gt;"} {
		if !strings.Contains(body, want) {
			t.Errorf("entry page lacks %q", want)
		}
	}
	if rec := e.do(server.Viewer, "GET", "/books/acme/entries/99999", nil); rec.Code != http.StatusNotFound {
		t.Errorf("unknown entry: %d", rec.Code)
	}
}

// TestPagesPostEntry posts through the form: a double submit posts once,
// the actor is recorded, errors show the form again.
func TestPagesPostEntry(t *testing.T) {
	e := newPageEnv(t)
	ctx := context.Background()
	form := e.get(server.Accountant, "/books/acme/entries/new")
	checkCSP(t, "entries/new", form)
	m := regexp.MustCompile(`name="idem" value="([^"]+)"`).FindStringSubmatch(form)
	if m == nil {
		t.Fatal("no idempotency field")
	}
	values := func() url.Values {
		return url.Values{"idem": {m[1]}, "date": {"2026-04-15"}, "description": {"Office chair"},
			"account0": {"6400"}, "debit0": {"249.90"}, "account1": {"1120"}, "credit1": {"249.90"}}
	}
	before, err := e.ledger.Verify(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	var locs []string
	for range 2 {
		rec := e.do(server.Accountant, "POST", "/books/acme/entries", values())
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("post: %d %s", rec.Code, rec.Body.String())
		}
		locs = append(locs, rec.Header().Get("Location"))
	}
	after, _ := e.ledger.Verify(ctx, "acme")
	if after.Seq != before.Seq+1 || locs[0] != locs[1] || locs[0] != fmt.Sprint("/books/acme/entries/", after.Seq) {
		t.Fatalf("double submit: head %d → %d, redirects %v", before.Seq, after.Seq, locs)
	}
	p, _ := e.ledger.Entry(ctx, "acme", after.Seq)
	if p.Metadata["actor"] != "anna" || p.Description != "Office chair" || len(p.Lines) != 2 {
		t.Errorf("posted %+v", p.Entry)
	}
	if body := e.get(server.Viewer, locs[0]); !strings.Contains(body, "<dt>actor</dt><dd>anna</dd>") {
		t.Errorf("entry page does not show the actor")
	}
	bad := values()
	bad.Set("idem", "another-random-field-0123")
	bad.Set("credit1", "249.00")
	rec := e.do(server.Accountant, "POST", "/books/acme/entries", bad)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `class="error"`) ||
		!strings.Contains(rec.Body.String(), `value="249.00"`) {
		t.Errorf("unbalanced entry: %d %s", rec.Code, rec.Body.String())
	}
	if again, _ := e.ledger.Verify(ctx, "acme"); again.Seq != after.Seq {
		t.Errorf("the refused entry was posted")
	}
}

// TestPagesRoles: a viewer may not post, close or lock (403); an admin
// closes a month and locks through it.
func TestPagesRoles(t *testing.T) {
	e := newPageEnv(t)
	ctx := context.Background()
	for _, tt := range []struct {
		role   server.Role
		method string
		path   string
		form   url.Values
		want   int
	}{
		{server.Viewer, "GET", "/books/acme/entries/new", nil, 403},
		{server.Viewer, "POST", "/books/acme/entries", url.Values{"idem": {"0123456789abcdefgh"}}, 403},
		{server.Viewer, "POST", "/books/acme/periods/close", url.Values{"period": {"2026-01"}}, 403},
		{server.Viewer, "POST", "/books/acme/periods/lock", url.Values{"period": {"2026-01"}}, 403},
		{server.Accountant, "POST", "/books/acme/periods/close", url.Values{"period": {"2026-01"}}, 403},
		{server.Accountant, "POST", "/books/acme/periods/lock", url.Values{"period": {"2026-01"}}, 403},
	} {
		if rec := e.do(tt.role, tt.method, tt.path, tt.form); rec.Code != tt.want {
			t.Errorf("%s %s as %s: %d, want %d", tt.method, tt.path, tt.role, rec.Code, tt.want)
		}
	}
	// Without the CSRF token even an admin is refused.
	if rec := e.serve("POST", "/books/acme/periods/close", e.cookie[server.Admin], url.Values{"period": {"2026-01"}}); rec.Code != 403 {
		t.Errorf("close without CSRF: %d", rec.Code)
	}
	if body := e.get(server.Viewer, "/books/acme/periods"); strings.Contains(body, "periods/close") {
		t.Errorf("a viewer sees the close form")
	}
	if body := e.get(server.Admin, "/books/acme/periods"); !strings.Contains(body, `action="/books/acme/periods/close"`) {
		t.Errorf("an admin does not see the close form")
	}
	for _, p := range []string{"/books/acme/periods/close", "/books/acme/periods/lock"} {
		if rec := e.do(server.Admin, "POST", p, url.Values{"period": {"2026-01"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("POST %s as admin: %d %s", p, rec.Code, rec.Body.String())
		}
	}
	per, _ := e.ledger.Period(ctx, "acme", date.MustParse("2026-01-15"))
	b, _ := e.ledger.Book(ctx, "acme")
	if per.State != ledger.Closed || b.LockDate != date.MustParse("2026-01-31") {
		t.Errorf("period %s, lock date %s", per.State, b.LockDate)
	}
	body := e.get(server.Viewer, "/books/acme/periods")
	if !strings.Contains(body, "2026-01-31 (entries on or before it") || !strings.Contains(body, "<td>closed</td>") {
		t.Errorf("periods page does not show the close and the lock date")
	}
	if rec := e.do(server.Admin, "POST", "/books/acme/periods/close", url.Values{"period": {"Jan"}}); rec.Code != http.StatusBadRequest {
		t.Errorf("bad period: %d", rec.Code)
	}
}

// TestPagesDownloads: reports download as workbooks and CSV, the book as
// a journal.
func TestPagesDownloads(t *testing.T) {
	e := newPageEnv(t)
	rep, err := reporting.TrialBalance(context.Background(), e.ledger, "acme", reporting.Options{From: date.MustParse("2026-01-01"), To: date.MustParse("2026-12-31")})
	if err != nil {
		t.Fatal(err)
	}
	rec := e.do(server.Viewer, "GET", "/books/acme/reports/trial-balance?format=xlsx", nil)
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Disposition"), "attachment;") ||
		!strings.Contains(rec.Header().Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("xlsx: %d %v", rec.Code, rec.Header())
	}
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()), excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	last := len(rep.Rows) - 1
	for col, c := range rep.Columns {
		if c.Kind != reporting.AmountColumn {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(col+1, xlsx.HeaderRows+2+last)
		got, err := f.GetCellValue(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		want := rep.Rows[last].Cells[col].Amount.Decimal()
		if d, err := decimal.NewFromString(got); err != nil || !d.Equal(want) {
			t.Errorf("cell %s = %q, want %s", cell, got, want)
		}
	}
	rec = e.do(server.Viewer, "GET", "/books/acme/reports/balance-sheet?format=csv", nil)
	if rec.Code != 200 || !strings.Contains(rec.Header().Get("Content-Disposition"), ".csv") || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
		t.Errorf("csv: %d %v", rec.Code, rec.Header())
	}
	rec = e.do(server.Viewer, "GET", "/books/acme/export/journal", nil)
	if rec.Code != 200 || !strings.Contains(rec.Header().Get("Content-Disposition"), "acme.journal") || !strings.Contains(rec.Body.String(), "EUR 11900.00") {
		t.Errorf("journal: %d %v", rec.Code, rec.Header())
	}
	rec = e.do(server.Viewer, "GET", "/books/acme/payroll/register?id=acme%2F2026-03&format=xlsx", nil)
	if rec.Code != 200 {
		t.Errorf("register xlsx: %d", rec.Code)
	}
	if rec := e.do(server.Viewer, "GET", "/books/acme/reports/trial-balance?format=pdf", nil); rec.Code != http.StatusBadRequest {
		t.Errorf("format pdf: %d", rec.Code)
	}
}

// TestPagesPayroll shows the runs, a run, its register and a payslip.
func TestPagesPayroll(t *testing.T) {
	e := newPageEnv(t)
	ctx := context.Background()
	list := e.get(server.Viewer, "/books/acme/payroll")
	if !strings.Contains(list, `href="/books/acme/payroll/runs?id=acme%2F2026-03"`) {
		t.Fatalf("runs page lacks the run: %s", list)
	}
	run := e.get(server.Viewer, "/books/acme/payroll/runs?id=acme%2F2026-03")
	slips, err := e.runs.Payslips(ctx, "acme/2026-03")
	if err != nil || len(slips) != 1 {
		t.Fatal(slips, err)
	}
	if !strings.Contains(run, slips[0].Net.Number()) {
		t.Errorf("run page lacks the net pay %s", slips[0].Net.Number())
	}
	reg := e.get(server.Viewer, "/books/acme/payroll/register?id=acme%2F2026-03")
	if !strings.Contains(reg, slips[0].Gross.Number()) {
		t.Errorf("register lacks the gross pay")
	}
	slip := e.get(server.Viewer, "/books/acme/payroll/payslip?id=acme%2F2026-03&employee="+url.QueryEscape(slips[0].Employee))
	if !strings.Contains(slip, "printable") || !strings.Contains(slip, slips[0].Net.Number()) {
		t.Errorf("payslip page")
	}
	if rec := e.do(server.Viewer, "GET", "/books/acme/payroll/runs?id=nope", nil); rec.Code != http.StatusNotFound {
		t.Errorf("unknown run: %d", rec.Code)
	}
}

// TestPagesVerify shows the verified head hash.
func TestPagesVerify(t *testing.T) {
	e := newPageEnv(t)
	head, err := e.ledger.Verify(context.Background(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	body := e.get(server.Viewer, "/books/acme/verify")
	if !strings.Contains(body, fmt.Sprintf("%x", head.Hash)) || !strings.Contains(body, "✓") {
		t.Errorf("verify page lacks the head hash")
	}
}

// TestPagesNotLoggedIn redirects to the login page.
func TestPagesNotLoggedIn(t *testing.T) {
	e := newPageEnv(t)
	rec := e.serve("GET", "/books/acme", "", nil)
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login?next=") {
		t.Errorf("anonymous: %d %v", rec.Code, rec.Header())
	}
	if rec := e.do(server.Viewer, "GET", "/books/nope", nil); rec.Code != http.StatusNotFound {
		t.Errorf("unknown book: %d", rec.Code)
	}
}

// TestPagesReportErrors shows a report's problem on its page with the
// filter form, with the status of the error.
func TestPagesReportErrors(t *testing.T) {
	e := newPageEnv(t)
	for _, tt := range []struct {
		path string
		want int
	}{
		{"/books/acme/reports/balance-sheet?layout=nope", http.StatusBadRequest},
		{"/books/acme/reports/income-statement?compare=weekly", http.StatusBadRequest},
		{"/books/acme/reports/trial-balance?period=month&month=2026-13", http.StatusBadRequest},
		{"/books/acme/reports/trial-balance?period=custom&from=2026-05-01&to=2026-04-01", http.StatusBadRequest},
		{"/books/acme/reports/general-ledger", http.StatusNotFound},
		{"/books/acme/lines?report=balance-sheet&line=nope&from=2026-01-01&to=2026-12-31", http.StatusNotFound},
		{"/books/acme/accounts/9999", http.StatusUnprocessableEntity},
	} {
		rec := e.do(server.Viewer, "GET", tt.path, nil)
		body := rec.Body.String()
		if rec.Code != tt.want || !strings.Contains(body, `class="error"`) || strings.Contains(body, "internal error") {
			t.Errorf("GET %s: %d, want %d: %s", tt.path, rec.Code, tt.want, body)
		}
		checkCSP(t, tt.path, body)
	}
	// The default chart has no meta.hgb: its accounts are placed by type,
	// not an error, and the checks name them.
	path := "/books/acme/reports/balance-sheet?layout=hgb-266"
	if rec := e.do(server.Viewer, "GET", path, nil); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "placed by account type") {
		t.Errorf("GET %s: %d: %s", path, rec.Code, rec.Body.String())
	}
}
