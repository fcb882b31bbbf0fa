package server_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/reporting"
	"github.com/openbackoffice/backoffice/reporting/xlsx"
	"github.com/openbackoffice/backoffice/server"
	"github.com/openbackoffice/backoffice/store/memory"
)

// chromium returns the Chromium binary: $BACKOFFICE_TEST_CHROMIUM, which
// CI sets so that the browser test cannot be skipped there, else
// chromium, chromium-browser or google-chrome on the PATH. It skips the
// test if there is none.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("BACKOFFICE_TEST_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium found (apt-get install chromium, or set BACKOFFICE_TEST_CHROMIUM)")
	return ""
}

// browserNow is the clock of the browser test's server: 20 April 2026.
var browserNow = time.Date(2026, 4, 20, 9, 0, 0, 0, time.UTC)

// newBrowserBook returns a ledger over a memory store with the book
// "acme" (EUR, the default chart) holding four months of a small
// company's entries, and the secrets of a viewer ("vera") and an
// accountant ("anna").
func newBrowserBook(t *testing.T) (*memory.Store, *ledger.Ledger, map[server.Role]string) {
	t.Helper()
	ctx := context.Background()
	store := memory.New()
	l := ledger.New(store, &ledger.Options{Now: func() time.Time { return browserNow }})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(l.CreateBook(ctx, ledger.Book{ID: "acme", Name: "ACME GmbH", Currency: money.EUR}))
	must(l.CreateAccounts(ctx, ledger.DefaultChart("acme")...))
	eur := func(s string) money.Amount { return money.MustParse(s, money.EUR) }
	var entries []ledger.Entry
	add := func(key, day, desc string, lines ...ledger.Line) {
		entries = append(entries, ledger.Entry{Book: "acme", Key: key, Date: date.MustParse(day), Description: desc, Lines: lines})
	}
	add("capital", "2026-01-02", "Share capital paid in", ledger.Debit("1120", eur("50000.00")), ledger.Credit("3100", eur("50000.00")))
	for m := 1; m <= 4; m++ {
		day := fmt.Sprintf("2026-%02d-", m)
		net := money.New(int64(800000+m*12345), money.EUR)
		vat, err := net.MulRate(decimal.RequireFromString("0.19"), money.HalfUp)
		must(err)
		gross, err := net.Add(vat)
		must(err)
		add(fmt.Sprint("rent-", m), day+"01", "Office rent", ledger.Debit("6200", eur("2000.00")), ledger.Credit("1120", eur("2000.00")))
		add(fmt.Sprint("sale-", m), day+"10", "Consulting invoice", ledger.Debit("1200", gross), ledger.Credit("4100", net), ledger.Credit("2120", vat))
		add(fmt.Sprint("cash-", m), day+"12", "Cash sale", ledger.Debit("1110", eur("350.00")), ledger.Credit("4100", eur("350.00")))
		if m < 4 {
			add(fmt.Sprint("paid-", m), day+"25", "Payment received", ledger.Debit("1120", gross), ledger.Credit("1200", gross))
		}
	}
	_, err := l.PostBatch(ctx, entries)
	must(err)
	secrets := map[server.Role]string{}
	for name, role := range map[string]server.Role{"vera": server.Viewer, "anna": server.Accountant} {
		s, err := server.NewToken(ctx, store, name, role, browserNow)
		must(err)
		secrets[role] = s
	}
	return store, l, secrets
}

// browserRows is the JavaScript that reads the rows of a page's first
// report table: the trimmed text of every cell.
const browserRows = `Array.from(document.querySelectorAll("table.report tbody tr")).map(tr => Array.from(tr.cells).map(td => td.textContent.trim()))`

// wantRows returns the cells of rep as the pages show them.
func wantRows(rep reporting.Report) [][]string {
	var out [][]string
	for _, row := range rep.Rows {
		var cells []string
		for i, c := range row.Cells {
			switch {
			case c.Blank:
				cells = append(cells, "")
			case rep.Columns[i].Kind == reporting.AmountColumn:
				cells = append(cells, c.Amount.Number())
			case rep.Columns[i].Kind == reporting.DateColumn:
				cells = append(cells, c.Date.String())
			default:
				cells = append(cells, c.Text)
			}
		}
		out = append(out, cells)
	}
	return out
}

// TestBrowser drives a headless Chromium through the pages as a finance
// team would: log in with a token, read the balance sheet and check its
// figures against reporting.BalanceSheet, click down from a report line
// to an account statement and an entry, download the report as a
// workbook, then log in as an accountant, post an entry through the form
// and find it in the trial balance. A screenshot of the balance sheet is
// kept as an artefact ($BACKOFFICE_TEST_ARTIFACTS, else a temporary
// directory).
func TestBrowser(t *testing.T) {
	exe := chromium(t)
	store, l, secrets := newBrowserBook(t)
	srv, err := server.New(server.Config{Ledger: l, Tokens: store, Now: func() time.Time { return browserNow }})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	ctx := context.Background()

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.WindowSize(1280, 1000))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to run as root with its sandbox
	}
	actx, cancel := chromedp.NewExecAllocator(ctx, opts...)
	defer cancel()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	bctx, cancel = context.WithTimeout(bctx, 3*time.Minute)
	defer cancel()

	// step runs actions that end on a new page (a click on a link, a form
	// submitted) and returns the path and query of that page.
	step := func(what string, actions ...chromedp.Action[chromedp.Void]) string {
		t.Helper()
		resp, err := chromedp.RunResponse(bctx, actions...)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if resp.Status != 200 {
			t.Fatalf("%s: %s answered %d", what, resp.URL, resp.Status)
		}
		loc, err := chromedp.Run(bctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(loc)
		return u.RequestURI()
	}
	rows := func() [][]string {
		t.Helper()
		got, err := chromedp.Run(bctx, chromedp.Evaluate[[][]string](browserRows))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return strings.TrimSpace(s)
	}
	login := func(secret string) string {
		t.Helper()
		if err := chromedp.Do(bctx, chromedp.SendKeys(chromedp.ID("token"), secret)); err != nil {
			t.Fatal(err)
		}
		return step("log in", chromedp.Click(chromedp.CSS("form.login button")))
	}

	// Log in: any page asks for a token first, then comes back.
	if got := step("open /", chromedp.Navigate(ts.URL+"/")); !strings.HasPrefix(got, "/login") {
		t.Fatalf("without a session / went to %s, want the login page", got)
	}
	if got := login(secrets[server.Viewer]); got != "/" {
		t.Fatalf("after login: %s, want /", got)
	}
	if user := text("header .user"); user != "vera (viewer)" {
		t.Errorf("header shows %q, want vera (viewer)", user)
	}

	// The balance sheet, reached through the links; its default period is
	// the fiscal year of the latest entry.
	step("open the book", chromedp.Click(chromedp.CSS(`a[href="/books/acme"]`)))
	step("open the balance sheet", chromedp.Click(chromedp.CSS(`nav.book a[href="/books/acme/reports/balance-sheet"]`)))
	year := reporting.Options{From: date.MustParse("2026-01-01"), To: date.MustParse("2026-12-31"), Now: func() time.Time { return browserNow }}
	rep, err := reporting.BalanceSheet(ctx, l, "acme", year)
	if err != nil {
		t.Fatal(err)
	}
	got, want := rows(), wantRows(rep)
	if len(got) < len(want) {
		t.Fatalf("balance sheet page has %d rows, want %d:\n%q", len(got), len(want), got)
	}
	totals := 0
	for i := range want {
		if strings.Join(got[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("balance sheet row %d = %q, want %q", i, got[i], want[i])
		}
		if rep.Rows[i].Kind == reporting.TotalRow {
			totals++
			t.Logf("balance sheet: %s = %s (page) = %s (reporting.BalanceSheet)", rep.Rows[i].Label, got[i][1], rep.Rows[i].Cells[1].Amount.Number())
		}
	}
	if totals != 2 {
		t.Errorf("%d total rows, want 2", totals)
	}

	// The screenshot, an artefact of the test run.
	shot, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("BACKOFFICE_TEST_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	shotPath := filepath.Join(dir, "balance-sheet.png")
	if err := os.WriteFile(shotPath, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of the balance sheet: %s (%d bytes)", shotPath, len(shot))

	// The period picker submits itself when its select changes
	// (static/app.js, allowed by the page's Content-Security-Policy).
	page := step("choose the month", chromedp.Evaluate[chromedp.Void](
		`(s => { s.value = "month"; s.dispatchEvent(new Event("change", {bubbles: true})); })(document.querySelector('select[name="period"]'))`))
	if !strings.Contains(page, "period=month") || !strings.Contains(page, "month=2026-04") {
		t.Errorf("after choosing Month: %s, want period=month and month=2026-04", page)
	}
	april := year
	april.From, april.To = date.MustParse("2026-04-01"), date.MustParse("2026-04-30")
	aprilRep, err := reporting.BalanceSheet(ctx, l, "acme", april)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := rows(), wantRows(aprilRep); len(got) < len(want) || strings.Join(got[len(want)-1], "|") != strings.Join(want[len(want)-1], "|") {
		t.Errorf("April's balance sheet ends %q, want %q", got, want[len(want)-1])
	}
	step("back to the year", chromedp.Navigate(ts.URL+"/books/acme/reports/balance-sheet"))

	// The workbook download.
	downloads := t.TempDir()
	progress := chromedp.Events(bctx, browser.DownloadProgress)
	if _, err := chromedp.Call(bctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: downloads, EventsEnabled: ptrTo(true),
	}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(bctx, chromedp.Click(chromedp.CSS(`p.downloads a[href*="format=xlsx"]`))); err != nil {
		t.Fatal(err)
	}
	var file string
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("waiting for the download: %v", err)
		}
		if ev.State == browser.DownloadProgressStateCanceled {
			t.Fatal("the download was cancelled")
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			file = filepath.Join(downloads, ev.GUID)
			break
		}
	}
	wb, err := excelize.OpenFile(file, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("the downloaded workbook does not open: %v", err)
	}
	sheet := wb.GetSheetName(0)
	for i, row := range rep.Rows {
		if row.Kind != reporting.TotalRow {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(2, xlsx.HeaderRows+2+i)
		v, err := wb.GetCellValue(sheet, cell)
		if d, derr := decimal.NewFromString(v); err != nil || derr != nil || !d.Equal(row.Cells[1].Amount.Decimal()) {
			t.Errorf("workbook %s!%s = %q, want %s (%s)", sheet, cell, v, row.Cells[1].Amount.Number(), row.Label)
		}
	}
	wb.Close()

	// Drill down: a report line, its accounts, an account's statement, an
	// entry.
	page = step("open the line cash", chromedp.Click(chromedp.CSS(`table.report a[href*="line=cash"]`)))
	if !strings.HasPrefix(page, "/books/acme/lines?") {
		t.Fatalf("the line link went to %s", page)
	}
	page = step("open account 1120", chromedp.Click(chromedp.CSS(`table.report a[href^="/books/acme/accounts/1120"]`)))
	if !strings.HasPrefix(page, "/books/acme/accounts/1120") {
		t.Fatalf("the account link went to %s", page)
	}
	bal, err := l.Balance(ctx, "acme", "1120", date.MustParse("2026-12-31"))
	if err != nil {
		t.Fatal(err)
	}
	if got := text("table.statement tr.closing td.num"); got != bal.In(money.EUR).Number() {
		t.Errorf("statement of 1120 closes at %s, want the ledger's %s", got, bal.In(money.EUR).Number())
	}
	if fails, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll(".checks li.fail").length`)); err != nil || fails != 0 {
		t.Errorf("statement checks: %d failed (%v)", fails, err)
	}
	page = step("open an entry", chromedp.Click(chromedp.CSS(`table.statement tr.detail a`)))
	m := regexp.MustCompile(`^/books/acme/entries/(\d+)$`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the entry link went to %s", page)
	}
	seq, _ := strconv.ParseUint(m[1], 10, 64)
	p, err := l.Entry(ctx, "acme", seq)
	if err != nil {
		t.Fatal(err)
	}
	if h1 := text("h1"); h1 != fmt.Sprintf("Entry %d: %s", seq, p.Description) {
		t.Errorf("entry page: %q, want entry %d, %s", h1, seq, p.Description)
	}

	// As an accountant: post an entry through the form.
	if got := step("log out", chromedp.Click(chromedp.CSS("form.logout button"))); !strings.HasPrefix(got, "/login") {
		t.Fatalf("after logout: %s", got)
	}
	if got := step("open the form", chromedp.Navigate(ts.URL+"/books/acme/entries/new")); !strings.HasPrefix(got, "/login") {
		t.Fatalf("the form without a session: %s, want the login page", got)
	}
	if got := login(secrets[server.Accountant]); got != "/books/acme/entries/new" {
		t.Fatalf("after login: %s, want the form", got)
	}
	before, err := l.Verify(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(bctx,
		chromedp.SetValue(chromedp.CSS(`input[name="date"]`), "2026-04-15"),
		chromedp.SendKeys(chromedp.CSS(`input[name="description"]`), "Office chair"),
		chromedp.SendKeys(chromedp.CSS(`input[name="account0"]`), "6400"),
		chromedp.SendKeys(chromedp.CSS(`input[name="debit0"]`), "249.90"),
		chromedp.SendKeys(chromedp.CSS(`input[name="account1"]`), "1120"),
		chromedp.SendKeys(chromedp.CSS(`input[name="credit1"]`), "249.90"),
	); err != nil {
		t.Fatal(err)
	}
	page = step("post the entry", chromedp.Click(chromedp.CSS(`form.entry button[type="submit"]`)))
	after, err := l.Verify(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if after.Seq != before.Seq+1 || page != fmt.Sprint("/books/acme/entries/", after.Seq) {
		t.Fatalf("posting went to %s; head %d → %d", page, before.Seq, after.Seq)
	}
	posted, err := l.Entry(ctx, "acme", after.Seq)
	if err != nil {
		t.Fatal(err)
	}
	if posted.Metadata["actor"] != "anna" || posted.Description != "Office chair" {
		t.Errorf("posted %+v", posted.Entry)
	}

	step("open the trial balance", chromedp.Click(chromedp.CSS(`nav.book a[href="/books/acme/reports/trial-balance"]`)))
	tb, err := reporting.TrialBalance(ctx, l, "acme", year)
	if err != nil {
		t.Fatal(err)
	}
	got, want = rows(), wantRows(tb)
	if len(got) < len(want) {
		t.Fatalf("trial balance page has %d rows, want %d", len(got), len(want))
	}
	found := false
	for i := range want {
		if strings.Join(got[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("trial balance row %d = %q, want %q", i, got[i], want[i])
		}
		found = found || len(got[i]) > 0 && got[i][0] == "6400" && strings.Contains(strings.Join(got[i], "|"), "249.90")
	}
	if !found {
		t.Errorf("the trial balance shows no 249.90 on account 6400:\n%q", got)
	}
}

func ptrTo[T any](v T) *T { return &v }
