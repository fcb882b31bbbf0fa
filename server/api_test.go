package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/payroll/rules/generic"
	"github.com/openbackoffice/backoffice/server"
	"github.com/openbackoffice/backoffice/store/memory"
)

// testNow is the clock of every test server: 27 March 2026.
var testNow = time.Date(2026, 3, 27, 10, 0, 0, 0, time.UTC)

// apiEnv is a server over a memory store with the book "acme" (EUR, the
// default chart), one employee, monthly pay runs and a token per role.
type apiEnv struct {
	t      *testing.T
	srv    *server.Server
	h      http.Handler
	ledger *ledger.Ledger
	tokens *server.MemoryTokens
	secret map[server.Role]string // the secrets of "vera" (viewer), "anna" (accountant), "adam" (admin)
	logs   *bytes.Buffer
	hr     *hr.Records
}

// newAPIEnv returns an apiEnv; change adjusts the server.Config before New.
func newAPIEnv(t *testing.T, change func(*server.Config)) *apiEnv {
	t.Helper()
	ctx := context.Background()
	now := func() time.Time { return testNow }
	store := memory.New()
	l := ledger.New(store, &ledger.Options{Now: now})
	if err := l.CreateBook(ctx, ledger.Book{ID: "acme", Name: "ACME GmbH", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	if err := l.CreateAccounts(ctx, ledger.DefaultChart("acme")...); err != nil {
		t.Fatal(err)
	}
	if err := l.CreateBook(ctx, ledger.Book{ID: "other", Currency: money.USD, FiscalYearStart: 7}); err != nil {
		t.Fatal(err)
	}
	records := hr.New(store, &hr.Options{Now: now})
	emp, err := records.Hire(ctx, hr.Employee{Employer: "acme", PersonnelNumber: "1001", FamilyName: "Muster",
		HireDate: date.MustParse("2025-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := records.SetContract(ctx, hr.Contract{Employee: emp.ID, Effective: hr.Effective{ValidFrom: emp.HireDate},
		PayType: hr.Monthly, Amount: money.MustParse("4000.00", money.EUR), Frequency: hr.MonthlyPay,
		WeeklyHours: decimal.NewFromInt(40), WorkDays: hr.MondayToFriday}); err != nil {
		t.Fatal(err)
	}
	from := date.MustParse("2026-01-01")
	pack, err := generic.New(generic.Config{
		ID: "generic", Version: "2026", ValidFrom: from, Rounding: money.HalfUp,
		Proration: payroll.Proration{Method: payroll.CalendarDays}, Bases: []string{"gross"},
		Taxes: []generic.Tax{{Code: "tax", Base: "gross", Rounding: money.HalfUp,
			Brackets: payroll.Table[[]generic.Bracket]{{From: from, Value: []generic.Bracket{{Rate: decimal.RequireFromString("0.25")}}}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	runs := payroll.New(store, &payroll.Options{Now: now, Packs: payroll.Packs{pack}})

	e := &apiEnv{t: t, ledger: l, tokens: &server.MemoryTokens{}, secret: map[server.Role]string{}, logs: &bytes.Buffer{}, hr: records}
	for name, role := range map[string]server.Role{"vera": server.Viewer, "anna": server.Accountant, "adam": server.Admin} {
		s, err := server.NewToken(ctx, e.tokens, name, role, testNow)
		if err != nil {
			t.Fatal(err)
		}
		e.secret[role] = s
	}
	cfg := server.Config{Ledger: l, Tokens: e.tokens, Now: now, RateLimit: 1e6, RateBurst: 1e6,
		Logger:  slog.New(slog.NewTextHandler(e.logs, nil)),
		Payroll: func(context.Context, string) (*payroll.Runs, error) { return runs, nil }}
	if change != nil {
		change(&cfg)
	}
	e.srv, err = server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.h = e.srv.Handler()
	return e
}

// do makes a request with the token of role (none if empty) and, for a
// body, Content-Type application/json; header adds name/value pairs.
func (e *apiEnv) do(method, path string, role server.Role, body string, header ...string) *httptest.ResponseRecorder {
	e.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+e.secret[role])
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	return rec
}

// post posts an entry body under key as the accountant.
func (e *apiEnv) post(key, body string) *httptest.ResponseRecorder {
	e.t.Helper()
	return e.do("POST", "/api/v1/books/acme/entries", server.Accountant, body, "Idempotency-Key", key)
}

// decodeBody decodes rec's JSON body into a value of type T.
func decodeBody[T any](t *testing.T, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decoding %q: %v", rec.Body.String(), err)
	}
	return v
}

// wantProblem checks that rec is a problem with the status and error name.
func wantProblem(t *testing.T, rec *httptest.ResponseRecorder, status int, name string) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d; body %s", rec.Code, status, rec.Body.String())
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type %q, want application/problem+json", ct)
	}
	p := decodeBody[server.Problem](t, rec)
	if p.Error != name || p.Status != status || p.Type != "urn:backoffice:error:"+name {
		t.Fatalf("problem %+v, want error %s", p, name)
	}
}

// sale is a balanced entry body: amount of sales on day, with VAT.
func sale(day, net, vat, gross string) string {
	return fmt.Sprintf(`{"date":%q,"description":"Sale","voucher":"AR-1","lines":[
		{"account":"1200","debit":%q},
		{"account":"4100","credit":%q,"dimensions":{"cost_centre":"CC-10"}},
		{"account":"2120","amount":"-%s","currency":"EUR","memo":"VAT"}]}`, day, gross, net, vat)
}

// openAPI is the parsed document, as far as the tests read it.
type openAPI struct {
	Paths map[string]map[string]json.RawMessage `json:"paths"`
}

func (d openAPI) operations() map[string]string { // "GET /books" → x-role
	ops := map[string]string{}
	for path, item := range d.Paths {
		for method, raw := range item {
			if method == "parameters" {
				continue
			}
			var op struct {
				Role string `json:"x-role"`
			}
			_ = json.Unmarshal(raw, &op)
			ops[strings.ToUpper(method)+" "+path] = op.Role
		}
	}
	return ops
}

// concrete fills a path's parameters with values that exist in apiEnv.
func concrete(path string) string {
	return strings.NewReplacer("{book}", "acme", "{seq}", "1", "{month}", "2026-01", "{id}", url.PathEscape("acme/2026-02")).Replace(path)
}

func TestAPIOpenAPIMatchesRoutes(t *testing.T) {
	e := newAPIEnv(t, nil)
	rec := e.do("GET", "/api/v1/openapi.json", server.Viewer, "")
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("openapi.json: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	doc := decodeBody[openAPI](t, rec)
	ops := doc.operations()
	if len(ops) == 0 {
		t.Fatal("the document lists no operations")
	}

	// An entry, a pay run and a closed period for the requests to find.
	if rec := e.post("k1", sale("2026-02-10", "100.00", "19.00", "119.00")); rec.Code != http.StatusCreated {
		t.Fatalf("post: %d %s", rec.Code, rec.Body.String())
	}
	if rec := e.do("POST", "/api/v1/books/acme/payruns", server.Accountant, `{"period":"2026-02"}`); rec.Code != http.StatusCreated {
		t.Fatalf("create run: %d %s", rec.Code, rec.Body.String())
	}

	t.Run("documented routes exist", func(t *testing.T) {
		for op := range ops {
			method, path, _ := strings.Cut(op, " ")
			t.Run(op, func(t *testing.T) {
				target := server.APIPrefix + concrete(path)
				req := httptest.NewRequest(method, target, nil)
				if pattern := e.srv.Pattern(req); pattern != method+" "+server.APIPrefix+path {
					t.Errorf("%s %s is routed to %q", method, target, pattern)
				}
				rec := e.do(method, target, server.Admin, "")
				if rec.Code == http.StatusNotFound || rec.Code == http.StatusMethodNotAllowed {
					if p := decodeBody[server.Problem](t, rec); p.Error == "no_route" || p.Error == "method_not_allowed" {
						t.Errorf("%s %s: %d %s", method, target, rec.Code, rec.Body.String())
					}
				}
			})
		}
	})
	t.Run("registered routes are documented", func(t *testing.T) {
		for _, rt := range e.srv.APIRoutes() {
			role, ok := ops[rt.Method+" "+rt.Path]
			if !ok {
				t.Errorf("%s %s is not in openapi.json", rt.Method, rt.Path)
				continue
			}
			if rt.Path != "/openapi.json" && role != string(rt.Need) {
				t.Errorf("%s %s: x-role %q, want %q", rt.Method, rt.Path, role, rt.Need)
			}
		}
		if got, want := len(e.srv.APIRoutes()), len(ops); got != want {
			t.Errorf("%d routes registered, %d documented", got, want)
		}
	})
}

func TestAPIRoles(t *testing.T) {
	e := newAPIEnv(t, nil)
	below := map[server.Role]server.Role{server.Accountant: server.Viewer, server.Admin: server.Accountant}
	for _, rt := range e.srv.APIRoutes() {
		low, ok := below[rt.Need]
		if !ok {
			continue
		}
		t.Run(rt.Method+" "+rt.Path, func(t *testing.T) {
			rec := e.do(rt.Method, server.APIPrefix+concrete(rt.Path), low, `{}`, "Idempotency-Key", "x")
			wantProblem(t, rec, http.StatusForbidden, "forbidden")
		})
	}
	t.Run("nothing posted", func(t *testing.T) {
		if ps, _ := e.ledger.Entries(context.Background(), "acme", ledger.EntryQuery{}); len(ps) != 0 {
			t.Errorf("%d entries posted by refused requests", len(ps))
		}
	})
}

func TestAPIPostEntryIdempotency(t *testing.T) {
	e := newAPIEnv(t, nil)
	body := sale("2026-03-02", "100.00", "19.00", "119.00")
	first := e.post("inv-1", body)
	if first.Code != http.StatusCreated {
		t.Fatalf("first post: %d %s", first.Code, first.Body.String())
	}
	again := e.post("inv-1", body)
	if again.Code != http.StatusOK {
		t.Fatalf("retry: %d %s", again.Code, again.Body.String())
	}
	a, b := decodeBody[server.EntryJSON](t, first), decodeBody[server.EntryJSON](t, again)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("retry answered another entry (-first +retry):\n%s", diff)
	}
	if got, want := first.Header().Get("Location"), "/api/v1/books/acme/entries/1"; got != want {
		t.Errorf("Location %q, want %q", got, want)
	}
	wantProblem(t, e.post("inv-1", sale("2026-03-03", "100.00", "19.00", "119.00")),
		http.StatusConflict, "ledger.ErrConflict")
	// Another token retrying: the actor is part of the payload.
	other := e.do("POST", "/api/v1/books/acme/entries", server.Admin, body, "Idempotency-Key", "inv-1")
	wantProblem(t, other, http.StatusConflict, "ledger.ErrConflict")
	if ps, _ := e.ledger.Entries(context.Background(), "acme", ledger.EntryQuery{}); len(ps) != 1 {
		t.Errorf("%d entries posted, want 1", len(ps))
	}
}

func TestAPIPostedEntry(t *testing.T) {
	e := newAPIEnv(t, nil)
	rec := e.post("inv-7", sale("2026-03-02", "100.00", "19.00", "119.00"))
	if rec.Code != http.StatusCreated {
		t.Fatalf("post: %d %s", rec.Code, rec.Body.String())
	}
	got := decodeBody[server.EntryJSON](t, e.do("GET", "/api/v1/books/acme/entries/1", server.Viewer, ""))
	p, err := e.ledger.Entry(context.Background(), "acme", 1)
	if err != nil {
		t.Fatal(err)
	}
	want := server.EntryJSON{Seq: 1, Key: "inv-7", Date: "2026-03-02", Description: "Sale", Voucher: "AR-1", Journal: "GL",
		Metadata: map[string]string{"actor": "anna"},
		Lines: []server.LineJSON{
			{Account: "1200", Amount: money.MustParse("119.00", money.EUR)},
			{Account: "4100", Amount: money.MustParse("-100.00", money.EUR), Dimensions: map[string]string{"cost_centre": "CC-10"}},
			{Account: "2120", Amount: money.MustParse("-19.00", money.EUR), Memo: "VAT"}},
		RecordedAt: testNow, Digest: fmt.Sprintf("%x", p.Digest), Hash: fmt.Sprintf("%x", p.Hash)}
	if diff := cmp.Diff(got, want, cmp.Comparer(func(a, b money.Amount) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("entry (-got +want):\n%s", diff)
	}
	if !strings.Contains(rec.Body.String(), `"amount":{"amount":"119.00","currency":"EUR"}`) {
		t.Errorf("amounts are not exact strings: %s", rec.Body.String())
	}
	log := e.logs.String()
	for _, s := range []string{"entry posted", "actor=anna", "book=acme", "key=inv-7", "seq=1"} {
		if !strings.Contains(log, s) {
			t.Errorf("log lacks %q:\n%s", s, log)
		}
	}
	for _, s := range []string{"119", "100.00", "19.00"} {
		if strings.Contains(log, s) {
			t.Errorf("log holds the amount %q:\n%s", s, log)
		}
	}
	wantProblem(t, e.do("GET", "/api/v1/books/acme/entries/9", server.Viewer, ""), http.StatusNotFound, "ledger.ErrNotFound")
	wantProblem(t, e.do("GET", "/api/v1/books/acme/entries/x", server.Viewer, ""), http.StatusBadRequest, "server.ErrInvalid")
}

func TestAPIPostEntryRefused(t *testing.T) {
	ok := sale("2026-03-02", "100.00", "19.00", "119.00")
	tests := []struct {
		name    string
		key     string
		ctype   string
		body    string
		status  int
		problem string
	}{
		{"unbalanced", "k", "", sale("2026-03-02", "100.00", "19.00", "120.00"), 422, "ledger.ErrUnbalanced"},
		{"number amount", "k", "", `{"date":"2026-03-02","lines":[{"account":"1200","debit":119.00},{"account":"4100","credit":"119.00"}]}`, 400, "server.ErrInvalid"},
		{"number signed amount", "k", "", `{"date":"2026-03-02","lines":[{"account":"1200","amount":1},{"account":"4100","amount":"-1"}]}`, 400, "server.ErrInvalid"},
		{"no idempotency key", "", "", ok, 400, "server.ErrInvalid"},
		{"reserved key", "reverse/1", "", ok, 400, "server.ErrInvalid"},
		{"unknown field", "k", "", `{"date":"2026-03-02","amount":"1","lines":[]}`, 400, "server.ErrInvalid"},
		{"unknown line field", "k", "", `{"date":"2026-03-02","lines":[{"account":"1200","debit":"1","cost":"1"},{"account":"4100","credit":"1"}]}`, 400, "server.ErrInvalid"},
		{"malformed JSON", "k", "", `{"date":`, 400, "server.ErrInvalid"},
		{"two values", "k", "", ok + ok, 400, "server.ErrInvalid"},
		{"not an object", "k", "", `[1]`, 400, "server.ErrInvalid"},
		{"no body", "k", "", "", 400, "server.ErrInvalid"},
		{"empty form", "k", "application/x-www-form-urlencoded", "", 415, "server.ErrInvalid"},
		{"form body", "k", "application/x-www-form-urlencoded", ok, 415, "server.ErrInvalid"},
		{"too large", "k", "", `{"description":"` + strings.Repeat("x", server.MaxBody) + `"}`, 413, "server.ErrInvalid"},
		{"bad date", "k", "", `{"date":"02.03.2026","lines":[]}`, 400, "server.ErrInvalid"},
		{"debit and credit", "k", "", `{"date":"2026-03-02","lines":[{"account":"1200","debit":"1","credit":"1"},{"account":"4100","credit":"1"}]}`, 400, "server.ErrInvalid"},
		{"no amount", "k", "", `{"date":"2026-03-02","lines":[{"account":"1200"},{"account":"4100","credit":"1"}]}`, 400, "server.ErrInvalid"},
		{"malformed amount", "k", "", `{"date":"2026-03-02","lines":[{"account":"1200","debit":"1,00"},{"account":"4100","credit":"1"}]}`, 400, "server.ErrInvalid"},
		{"negative debit", "k", "", `{"date":"2026-03-02","lines":[{"account":"1200","debit":"-1"},{"account":"4100","debit":"1"}]}`, 422, "ledger.ErrInvalid"},
		{"scale", "k", "", `{"date":"2026-03-02","lines":[{"account":"1200","debit":"1.005"},{"account":"4100","credit":"1.005"}]}`, 422, "ledger.ErrScale"},
		{"zero", "k", "", `{"date":"2026-03-02","lines":[{"account":"1200","debit":"0"},{"account":"4100","credit":"0"}]}`, 422, "ledger.ErrZeroAmount"},
		{"unknown account", "k", "", `{"date":"2026-03-02","lines":[{"account":"9999","debit":"1"},{"account":"4100","credit":"1"}]}`, 422, "ledger.ErrUnknownAccount"},
		{"unknown currency", "k", "", `{"date":"2026-03-02","lines":[{"account":"1200","debit":"1","currency":"XYZ"},{"account":"4100","credit":"1","currency":"XYZ"}]}`, 422, "ledger.ErrUnknownCurrency"},
		{"one line", "k", "", `{"date":"2026-03-02","lines":[{"account":"1200","debit":"1"}]}`, 422, "ledger.ErrInvalid"},
		{"actor in metadata", "k", "", `{"date":"2026-03-02","metadata":{"actor":"mallory"},"lines":[{"account":"1200","debit":"1"},{"account":"4100","credit":"1"}]}`, 400, "server.ErrInvalid"},
		{"unknown query", "k?dry_run=1", "", ok, 400, "server.ErrInvalid"},
	}
	e := newAPIEnv(t, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, q, _ := strings.Cut(tt.key, "?")
			if q != "" {
				q = "?" + q
			}
			req := httptest.NewRequest("POST", "/api/v1/books/acme/entries"+q, strings.NewReader(tt.body))
			req.Header.Set("Authorization", "Bearer "+e.secret[server.Accountant])
			req.Header.Set("Content-Type", "application/json")
			if tt.ctype != "" {
				req.Header.Set("Content-Type", tt.ctype)
			}
			if key != "" {
				req.Header.Set("Idempotency-Key", key)
			}
			rec := httptest.NewRecorder()
			e.h.ServeHTTP(rec, req)
			wantProblem(t, rec, tt.status, tt.problem)
		})
	}
	if ps, _ := e.ledger.Entries(context.Background(), "acme", ledger.EntryQuery{}); len(ps) != 0 {
		t.Errorf("%d entries posted by refused requests", len(ps))
	}
	wantProblem(t, e.do("POST", "/api/v1/books/nope/entries", server.Accountant, ok, "Idempotency-Key", "k"), 404, "ledger.ErrUnknownBook")
}

func TestAPIPeriods(t *testing.T) {
	e := newAPIEnv(t, nil)
	steps := []struct {
		name, method, path, body string
		role                     server.Role
		status                   int
		problem                  string // for a problem
		state                    string // else: the period's state afterwards
		changed                  bool
	}{
		{"close", "POST", "/periods/2026-01/close", "", server.Admin, 200, "", "closed", true},
		{"close again", "POST", "/periods/2026-01/close", "{}", server.Admin, 200, "", "closed", false},
		{"post into it", "POST", "/entries", sale("2026-01-15", "10.00", "1.90", "11.90"), server.Accountant, 409, "ledger.ErrPeriodClosed", "", false},
		{"reopen without reason", "POST", "/periods/2026-01/reopen", `{"reason":" "}`, server.Admin, 400, "server.ErrInvalid", "", false},
		{"reopen", "POST", "/periods/2026-01/reopen", `{"reason":"late invoice"}`, server.Admin, 200, "", "open", true},
		{"post into it now", "POST", "/entries", sale("2026-01-15", "10.00", "1.90", "11.90"), server.Accountant, 201, "", "", false},
		{"lock an open period", "POST", "/periods/2026-01/lock", "", server.Admin, 409, "ledger.ErrState", "", false},
		{"close for the lock", "POST", "/periods/2026-01/close", "", server.Admin, 200, "", "closed", true},
		{"lock", "POST", "/periods/2026-01/lock", "", server.Admin, 200, "", "locked", true},
		{"lock again", "POST", "/periods/2026-01/lock", "", server.Admin, 200, "", "locked", false},
		{"reopen a locked period", "POST", "/periods/2026-01/reopen", `{"reason":"again"}`, server.Admin, 409, "ledger.ErrState", "", false},
		{"post into a locked period", "POST", "/entries", sale("2026-01-16", "10.00", "1.90", "11.90"), server.Accountant, 409, "ledger.ErrPeriodLocked", "", false},
		{"bad month", "POST", "/periods/2026-1/close", "", server.Admin, 400, "server.ErrInvalid", "", false},
		{"body with a field", "POST", "/periods/2026-02/close", `{"force":true}`, server.Admin, 400, "server.ErrInvalid", "", false},
		{"unknown book", "POST", "/periods/2026-02/close", "", server.Admin, 404, "ledger.ErrUnknownBook", "", false},
	}
	for i, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			book := "acme"
			if st.name == "unknown book" {
				book = "nope"
			}
			rec := e.do(st.method, "/api/v1/books/"+book+st.path, st.role, st.body, "Idempotency-Key", fmt.Sprint("p", i))
			if st.problem != "" {
				wantProblem(t, rec, st.status, st.problem)
				return
			}
			if rec.Code != st.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, st.status, rec.Body.String())
			}
			if st.state == "" {
				return
			}
			got := decodeBody[struct {
				Period  server.PeriodJSON `json:"period"`
				Changed bool              `json:"changed"`
			}](t, rec)
			if got.Period.State != st.state || got.Changed != st.changed || got.Period.Month != "2026-01" || got.Period.Number != 1 {
				t.Errorf("got %+v, want state %s changed %v", got, st.state, st.changed)
			}
		})
	}
	t.Run("list", func(t *testing.T) {
		got := decodeBody[struct {
			FiscalYear int                 `json:"fiscal_year"`
			Periods    []server.PeriodJSON `json:"periods"`
		}](t, e.do("GET", "/api/v1/books/acme/periods", server.Viewer, ""))
		if got.FiscalYear != 2026 || len(got.Periods) != 12 || got.Periods[0].State != "locked" || got.Periods[1].State != "open" {
			t.Errorf("periods %+v", got)
		}
		// A July fiscal year: 2026-03 is period 9 of fiscal year 2025.
		other := decodeBody[struct {
			FiscalYear int                 `json:"fiscal_year"`
			Periods    []server.PeriodJSON `json:"periods"`
		}](t, e.do("GET", "/api/v1/books/other/periods", server.Viewer, ""))
		if other.FiscalYear != 2025 || other.Periods[8].Month != "2026-03" || other.Periods[0].Start != "2025-07-01" {
			t.Errorf("other's periods %+v", other)
		}
		wantProblem(t, e.do("GET", "/api/v1/books/acme/periods?fiscal_year=x", server.Viewer, ""), 400, "server.ErrInvalid")
	})
	if !strings.Contains(e.logs.String(), "period close") || !strings.Contains(e.logs.String(), "actor=adam") {
		t.Errorf("no log of the close:\n%s", e.logs.String())
	}
	hist, err := e.ledger.PeriodHistory(context.Background(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(hist, func(ev ledger.PeriodEvent) bool { return ev.Reason == "adam: late invoice" }) {
		t.Errorf("the reopen's reason does not name the actor: %+v", hist)
	}
}

func TestAPIEntriesPagination(t *testing.T) {
	e := newAPIEnv(t, nil)
	for i := range 7 {
		day := fmt.Sprintf("2026-03-%02d", i+1)
		if rec := e.post(fmt.Sprint("inv-", i), sale(day, "100.00", "19.00", "119.00")); rec.Code != http.StatusCreated {
			t.Fatalf("post %d: %d %s", i, rec.Code, rec.Body.String())
		}
	}
	type page struct {
		Entries []server.EntryJSON `json:"entries"`
		Next    string             `json:"next"`
	}
	walk := func(t *testing.T, filter string) []uint64 {
		t.Helper()
		var seqs []uint64
		after := ""
		for n := 0; ; n++ {
			if n > 10 {
				t.Fatal("pagination does not end")
			}
			rec := e.do("GET", "/api/v1/books/acme/entries?limit=2"+filter+after, server.Viewer, "")
			if rec.Code != http.StatusOK {
				t.Fatalf("page %d: %d %s", n, rec.Code, rec.Body.String())
			}
			p := decodeBody[page](t, rec)
			if len(p.Entries) > 2 {
				t.Fatalf("page %d has %d entries", n, len(p.Entries))
			}
			for _, en := range p.Entries {
				seqs = append(seqs, en.Seq)
			}
			if p.Next == "" {
				return seqs
			}
			after = "&after=" + url.QueryEscape(p.Next)
		}
	}
	tests := []struct {
		name, filter string
		want         []uint64
	}{
		{"all", "", []uint64{1, 2, 3, 4, 5, 6, 7}},
		{"dates", "&from=2026-03-02&to=2026-03-05", []uint64{2, 3, 4, 5}},
		{"account", "&account=4100", []uint64{1, 2, 3, 4, 5, 6, 7}},
		{"other account", "&account=1110", nil},
		{"key", "&key=inv-3", []uint64{4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(walk(t, tt.filter), tt.want); diff != "" {
				t.Errorf("seqs (-got +want):\n%s", diff)
			}
		})
	}
	t.Run("default limit", func(t *testing.T) {
		p := decodeBody[page](t, e.do("GET", "/api/v1/books/acme/entries", server.Viewer, ""))
		if len(p.Entries) != 7 || p.Next != "" || p.Entries[0].Metadata["actor"] != "anna" {
			t.Errorf("got %d entries, next %q", len(p.Entries), p.Next)
		}
	})
	for _, q := range []string{"limit=0", "limit=1001", "limit=x", "after=-1", "from=2026-13-01", "from=2026-03-05&to=2026-03-01", "limit=1&limit=2", "page=2"} {
		t.Run(q, func(t *testing.T) {
			wantProblem(t, e.do("GET", "/api/v1/books/acme/entries?"+q, server.Viewer, ""), 400, "server.ErrInvalid")
		})
	}
	wantProblem(t, e.do("GET", "/api/v1/books/nope/entries", server.Viewer, ""), 404, "ledger.ErrUnknownBook")
}

func TestAPIReverse(t *testing.T) {
	e := newAPIEnv(t, nil)
	if rec := e.post("inv-1", sale("2026-03-02", "100.00", "19.00", "119.00")); rec.Code != http.StatusCreated {
		t.Fatalf("post: %d %s", rec.Code, rec.Body.String())
	}
	body := `{"date":"2026-03-05","reason":"wrong customer"}`
	first := e.do("POST", "/api/v1/books/acme/entries/1/reverse", server.Accountant, body)
	if first.Code != http.StatusCreated {
		t.Fatalf("reverse: %d %s", first.Code, first.Body.String())
	}
	rev := decodeBody[server.EntryJSON](t, first)
	if rev.Seq != 2 || rev.Reverses != 1 || rev.Key != "reverse/1" || rev.Lines[0].Amount.String() != "-119.00 EUR" {
		t.Errorf("reversal %+v", rev)
	}
	again := e.do("POST", "/api/v1/books/acme/entries/1/reverse", server.Accountant, body)
	if again.Code != http.StatusOK || decodeBody[server.EntryJSON](t, again).Seq != 2 {
		t.Errorf("reverse again: %d %s", again.Code, again.Body.String())
	}
	wantProblem(t, e.do("POST", "/api/v1/books/acme/entries/1/reverse", server.Accountant, `{"date":"2026-03-06","reason":"wrong customer"}`),
		http.StatusConflict, "ledger.ErrState")
	wantProblem(t, e.do("POST", "/api/v1/books/acme/entries/9/reverse", server.Accountant, body), http.StatusNotFound, "ledger.ErrNotFound")
	wantProblem(t, e.do("POST", "/api/v1/books/acme/entries/1/reverse", server.Accountant, `{"reason":"x"}`), http.StatusBadRequest, "server.ErrInvalid")
	if !strings.Contains(e.logs.String(), "key=reverse/1") {
		t.Errorf("reversal not logged:\n%s", e.logs.String())
	}
}

func TestAPIBalancesAndTrialBalance(t *testing.T) {
	e := newAPIEnv(t, nil)
	for i, day := range []string{"2026-02-10", "2026-03-10"} {
		if rec := e.post(fmt.Sprint("inv-", i), sale(day, "100.00", "19.00", "119.00")); rec.Code != http.StatusCreated {
			t.Fatalf("post: %d %s", rec.Code, rec.Body.String())
		}
	}
	type balances struct {
		AsOf     string `json:"as_of"`
		Balances []struct {
			Account string       `json:"account"`
			Balance money.Amount `json:"balance"`
		} `json:"balances"`
	}
	tests := []struct {
		query string
		want  map[string]string
	}{
		{"?as_of=2026-02-28", map[string]string{"1200": "119.00 EUR", "2120": "-19.00 EUR", "4100": "-100.00 EUR"}},
		{"", map[string]string{"1200": "238.00 EUR", "2120": "-38.00 EUR", "4100": "-200.00 EUR"}},
		{"?as_of=2026-03-31&account=1200", map[string]string{"1200": "238.00 EUR"}},
		{"?as_of=2026-01-31", map[string]string{}},
	}
	for _, tt := range tests {
		t.Run("balances"+tt.query, func(t *testing.T) {
			rec := e.do("GET", "/api/v1/books/acme/balances"+tt.query, server.Viewer, "")
			if rec.Code != http.StatusOK {
				t.Fatalf("%d %s", rec.Code, rec.Body.String())
			}
			got := map[string]string{}
			for _, b := range decodeBody[balances](t, rec).Balances {
				got[b.Account] = b.Balance.String()
			}
			if diff := cmp.Diff(got, tt.want); diff != "" {
				t.Errorf("balances (-got +want):\n%s", diff)
			}
		})
	}
	wantProblem(t, e.do("GET", "/api/v1/books/acme/balances?account=9999", server.Viewer, ""), 422, "ledger.ErrUnknownAccount")
	wantProblem(t, e.do("GET", "/api/v1/books/acme/balances?as_of=yesterday", server.Viewer, ""), 400, "server.ErrInvalid")

	rec := e.do("GET", "/api/v1/books/acme/trial-balance?from=2026-03-01&to=2026-03-31", server.Viewer, "")
	if rec.Code != http.StatusOK {
		t.Fatalf("trial balance: %d %s", rec.Code, rec.Body.String())
	}
	tb := decodeBody[struct {
		Kind   string                     `json:"kind"`
		From   string                     `json:"from"`
		To     string                     `json:"to"`
		Rows   []struct{ Account string } `json:"rows"`
		Checks []struct{ OK bool }        `json:"checks"`
	}](t, rec)
	if tb.Kind != "trial-balance" || tb.From != "2026-03-01" || tb.To != "2026-03-31" || len(tb.Rows) != 4 || len(tb.Checks) == 0 {
		t.Errorf("trial balance %+v", tb)
	}
	for _, c := range tb.Checks {
		if !c.OK {
			t.Errorf("a check fails: %s", rec.Body.String())
		}
	}
	// Book other's fiscal year starts in July: 0001-03-01 lies in fiscal year 0.
	wantProblem(t, e.do("GET", "/api/v1/books/other/trial-balance?to=0001-03-01", server.Viewer, ""), 422, "reporting.ErrFiscalYear")
	wantProblem(t, e.do("GET", "/api/v1/books/acme/trial-balance?depth=-1", server.Viewer, ""), 400, "server.ErrInvalid")
	wantProblem(t, e.do("GET", "/api/v1/books/nope/trial-balance", server.Viewer, ""), 404, "ledger.ErrUnknownBook")
}

func TestAPIBooksAndAccounts(t *testing.T) {
	e := newAPIEnv(t, nil)
	books := decodeBody[struct {
		Books []server.BookJSON `json:"books"`
	}](t, e.do("GET", "/api/v1/books", server.Viewer, ""))
	want := []server.BookJSON{
		{ID: "acme", Name: "ACME GmbH", Currency: "EUR", FiscalYearStart: 1},
		{ID: "other", Currency: "USD", FiscalYearStart: 7},
	}
	if diff := cmp.Diff(books.Books, want); diff != "" {
		t.Errorf("books (-got +want):\n%s", diff)
	}
	if err := e.ledger.SetLockDate(context.Background(), "acme", date.MustParse("2025-12-31")); err != nil {
		t.Fatal(err)
	}
	rec := e.do("GET", "/api/v1/books/acme", server.Viewer, "")
	if !strings.Contains(rec.Body.String(), `"lock_date":"2025-12-31"`) {
		t.Errorf("book: %s", rec.Body.String())
	}
	wantProblem(t, e.do("GET", "/api/v1/books/nope", server.Viewer, ""), 404, "ledger.ErrUnknownBook")
	accts := decodeBody[struct {
		Accounts []server.AccountJSON `json:"accounts"`
	}](t, e.do("GET", "/api/v1/books/acme/accounts", server.Viewer, ""))
	if len(accts.Accounts) != len(ledger.DefaultChart("acme")) {
		t.Fatalf("%d accounts", len(accts.Accounts))
	}
	i := slices.IndexFunc(accts.Accounts, func(a server.AccountJSON) bool { return a.Code == "1110" })
	zero := "0"
	if diff := cmp.Diff(accts.Accounts[i], server.AccountJSON{Code: "1110", Name: "Cash", Type: "asset", Parent: "1100",
		Constraint: &server.ConstraintJSON{Min: &zero}, Metadata: map[string]string{"role": "cash", "cashflow": "cash"}}); diff != "" {
		t.Errorf("account 1110 (-got +want):\n%s", diff)
	}
	wantProblem(t, e.do("GET", "/api/v1/books/nope/accounts", server.Viewer, ""), 404, "ledger.ErrUnknownBook")
}

func TestAPIPayRuns(t *testing.T) {
	e := newAPIEnv(t, nil)
	run := "/api/v1/books/acme/payruns/" + url.PathEscape("acme/2026-02")
	steps := []struct {
		name, method, path, body string
		role                     server.Role
		status                   int
		problem                  string
		state                    string
	}{
		{"create", "POST", "/api/v1/books/acme/payruns", `{"period":"2026-02"}`, server.Accountant, 201, "", "draft"},
		{"create again", "POST", "/api/v1/books/acme/payruns", `{"period":"2026-02","kind":"regular"}`, server.Accountant, 200, "", "draft"},
		{"create with another spec", "POST", "/api/v1/books/acme/payruns", `{"period":"2026-02","date":"2026-02-27"}`, server.Accountant, 409, "payroll.ErrDuplicate", ""},
		{"offcycle without id", "POST", "/api/v1/books/acme/payruns", `{"period":"2026-02","kind":"offcycle"}`, server.Accountant, 400, "server.ErrInvalid", ""},
		{"bad period", "POST", "/api/v1/books/acme/payruns", `{"period":"Feb"}`, server.Accountant, 400, "server.ErrInvalid", ""},
		{"approve a draft", "POST", run + "/approve", "", server.Accountant, 409, "payroll.ErrRunState", ""},
		{"calculate", "POST", run + "/calculate", "", server.Accountant, 200, "", "calculated"},
		{"post unapproved", "POST", run + "/post", "", server.Admin, 409, "payroll.ErrRunState", ""},
		{"approve", "POST", run + "/approve", "{}", server.Accountant, 200, "", "approved"},
		{"post", "POST", run + "/post", "", server.Admin, 200, "", "posted"},
		{"post again", "POST", run + "/post", "", server.Admin, 200, "", "posted"},
		{"get", "GET", run, "", server.Viewer, 200, "", "posted"},
		{"unknown run", "GET", "/api/v1/books/acme/payruns/nope", "", server.Viewer, 404, "payroll.ErrRunNotFound", ""},
		{"through another book", "GET", "/api/v1/books/other/payruns/" + url.PathEscape("acme/2026-02"), "", server.Viewer, 404, "payroll.ErrRunNotFound", ""},
		{"unknown book", "GET", "/api/v1/books/nope/payruns", "", server.Viewer, 404, "ledger.ErrUnknownBook", ""},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			rec := e.do(st.method, st.path, st.role, st.body)
			if st.problem != "" {
				wantProblem(t, rec, st.status, st.problem)
				return
			}
			if rec.Code != st.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, st.status, rec.Body.String())
			}
			got := decodeBody[server.PayRunJSON](t, rec)
			if got.ID != "acme/2026-02" || got.Status != st.state || got.Period.Start != "2026-02-01" || len(got.Problems) != 0 {
				t.Errorf("run %+v, want status %s", got, st.state)
			}
		})
	}
	list := decodeBody[struct {
		Runs []server.PayRunJSON `json:"payruns"`
	}](t, e.do("GET", "/api/v1/books/acme/payruns", server.Viewer, ""))
	if len(list.Runs) != 1 || list.Runs[0].Entry == 0 || list.Runs[0].PostedAt == nil {
		t.Fatalf("runs %+v", list.Runs)
	}
	en := decodeBody[server.EntryJSON](t, e.do("GET", fmt.Sprint("/api/v1/books/acme/entries/", list.Runs[0].Entry), server.Viewer, ""))
	if en.Key != "payroll/acme/2026-02" || en.Journal != "PAYROLL" {
		t.Errorf("the run's entry %+v", en)
	}
	for _, s := range []string{"pay run post", "actor=adam", "run=acme/2026-02"} {
		if !strings.Contains(e.logs.String(), s) {
			t.Errorf("log lacks %q", s)
		}
	}
}

func TestAPIPayRunProblems(t *testing.T) {
	e := newAPIEnv(t, nil)
	// An employee without a contract cannot be paid.
	emp, err := e.hr.Hire(context.Background(), hr.Employee{Employer: "acme", PersonnelNumber: "1002", FamilyName: "Ohne",
		HireDate: date.MustParse("2025-06-01")})
	if err != nil {
		t.Fatal(err)
	}
	body := fmt.Sprintf(`{"period":"2026-01","kind":"offcycle","id":"acme/2026-01/bonus","employees":[%q]}`, emp.ID)
	if rec := e.do("POST", "/api/v1/books/acme/payruns", server.Accountant, body); rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body.String())
	}
	run := "/api/v1/books/acme/payruns/" + url.PathEscape("acme/2026-01/bonus")
	rec := e.do("POST", run+"/calculate", server.Accountant, "", "Content-Type", "application/x-www-form-urlencoded")
	if rec.Code != http.StatusOK {
		t.Fatalf("calculate: %d %s", rec.Code, rec.Body.String())
	}
	got := decodeBody[server.PayRunJSON](t, rec)
	if got.Status != "calculated" || got.Kind != "offcycle" || len(got.Problems) != 1 || got.Problems[0].PersonnelNumber != "1002" ||
		got.Problems[0].Code != "no_compensation" {
		t.Errorf("run %+v", got)
	}
	wantProblem(t, e.do("POST", run+"/approve", server.Accountant, ""), http.StatusUnprocessableEntity, "payroll.ErrRunProblems")
	wantProblem(t, e.do("POST", run+"/calculate", server.Accountant, `{"force":true}`), http.StatusBadRequest, "server.ErrInvalid")
}

func TestAPIPayRunsHiddenWithoutPayroll(t *testing.T) {
	e := newAPIEnv(t, func(c *server.Config) { c.Payroll = nil })
	wantProblem(t, e.do("GET", "/api/v1/books/acme/payruns", server.Viewer, ""), 404, "no_route")
}

func TestAPIUnknownRoutes(t *testing.T) {
	e := newAPIEnv(t, nil)
	tests := []struct {
		method, path string
		role         server.Role
		status       int
		problem      string
		allow        string
	}{
		{"GET", "/api/v1/nope", server.Viewer, 404, "no_route", ""},
		{"GET", "/api/v2/books", server.Viewer, 404, "no_route", ""},
		{"GET", "/api/", server.Viewer, 404, "no_route", ""},
		{"DELETE", "/api/v1/books/acme", server.Admin, 405, "method_not_allowed", "GET"},
		{"PUT", "/api/v1/books/acme/entries", server.Admin, 405, "method_not_allowed", "GET, POST"},
		{"GET", "/api/v1/nope", "", 401, "unauthorized", ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			rec := e.do(tt.method, tt.path, tt.role, "")
			wantProblem(t, rec, tt.status, tt.problem)
			if got := rec.Header().Get("Allow"); got != tt.allow {
				t.Errorf("Allow %q, want %q", got, tt.allow)
			}
		})
	}
}

func TestAPIHeaders(t *testing.T) {
	e := newAPIEnv(t, nil)
	rec := e.do("GET", "/api/v1/books", server.Viewer, "")
	for name, want := range map[string]string{"Content-Type": "application/json", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"} {
		if got := rec.Header().Get(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
}

// jsonFields returns the JSON names of the fields of struct type T.
func jsonFields[T any]() []string {
	var out []string
	t := reflect.TypeFor[T]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

func TestAPIOpenAPISchemasMatchTypes(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(server.OpenAPIDoc, &doc); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		schema string
		fields []string
	}{
		{"Problem", jsonFields[server.Problem]()},
		{"Book", jsonFields[server.BookJSON]()},
		{"Account", jsonFields[server.AccountJSON]()},
		{"Line", jsonFields[server.LineJSON]()},
		{"Entry", jsonFields[server.EntryJSON]()},
		{"EntryInput", jsonFields[server.EntryIn]()},
		{"LineInput", jsonFields[server.LineIn]()},
		{"ReverseInput", jsonFields[server.ReverseIn]()},
		{"ReopenInput", jsonFields[server.ReopenIn]()},
		{"Period", jsonFields[server.PeriodJSON]()},
		{"PayRun", jsonFields[server.PayRunJSON]()},
		{"PayRunInput", jsonFields[server.PayRunIn]()},
	}
	for _, tt := range tests {
		t.Run(tt.schema, func(t *testing.T) {
			s, ok := doc.Components.Schemas[tt.schema]
			if !ok {
				t.Fatalf("no schema %s", tt.schema)
			}
			got := slices.Sorted(maps.Keys(s.Properties))
			if diff := cmp.Diff(got, tt.fields); diff != "" {
				t.Errorf("properties of %s (-doc +Go):\n%s", tt.schema, diff)
			}
		})
	}
}

// TestAPIOpenAPIQueryParameters checks that every documented query
// parameter is one its handler accepts (handlers refuse unknown ones).
func TestAPIOpenAPIQueryParameters(t *testing.T) {
	e := newAPIEnv(t, nil)
	type param struct {
		Name   string `json:"name"`
		In     string `json:"in"`
		Schema struct {
			Type   string `json:"type"`
			Format string `json:"format"`
		} `json:"schema"`
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(server.OpenAPIDoc, &doc); err != nil {
		t.Fatal(err)
	}
	values := map[string]string{"integer": "1", "boolean": "true", "date": "2026-03-01"}
	for path, item := range doc.Paths {
		for method, raw := range item {
			if method != "get" {
				continue
			}
			var op struct {
				Parameters []param `json:"parameters"`
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatal(err)
			}
			for _, p := range op.Parameters {
				if p.In != "query" {
					continue
				}
				t.Run(path+"?"+p.Name, func(t *testing.T) {
					v := values[p.Schema.Format]
					if v == "" {
						v = values[p.Schema.Type]
					}
					if v == "" {
						v = "x"
					}
					if p.Name == "currency" {
						v = "EUR"
					}
					rec := e.do("GET", server.APIPrefix+concrete(path)+"?"+p.Name+"="+v, server.Viewer, "")
					if strings.Contains(rec.Body.String(), "unknown query parameter") {
						t.Errorf("%s refuses the documented parameter %s", path, p.Name)
					}
				})
			}
		}
	}
}
