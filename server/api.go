package server

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/reporting"
)

// The JSON API under /api/v1. openapi.json describes every route; the
// tests check that the document and apiTable agree both ways.
//
// Conventions:
//   - Amounts are exact decimal strings, never JSON numbers: a request
//     with a number where an amount belongs is refused (400), so that no
//     float ever enters; responses write amounts as money.Amount's JSON,
//     {"amount":"1234.56","currency":"EUR"}.
//   - Request bodies are application/json, at most 1 MiB, one value,
//     without unknown fields; query strings may only hold the parameters
//     a route documents, each once.
//   - Errors are Problems (problem.go) naming the sentinel.

//go:embed openapi.json
var openAPIDoc []byte

// apiPrefix is where the JSON API lives; openapi.json's server URL.
const apiPrefix = "/api/v1"

// maxBody bounds every request body.
const maxBody = 1 << 20

// Entry lists are paged: limit defaults to defaultLimit, at most maxLimit.
const (
	defaultLimit = 100
	maxLimit     = 1000
)

// actorKey is the metadata key of the token name that posted an entry.
const actorKey = "actor"

// reservedKeys are the idempotency-key prefixes the packages post under
// themselves (ledger.Reverse, CloseYear, pay runs, partners): an API
// client may not take them, or it could pre-empt or collide with them.
var reservedKeys = []string{"reverse/", "close/", "payroll/", "payroll-payment/", "partners/"}

// apiRoute is one route of the JSON API: method, path below apiPrefix
// written as in the OpenAPI document ({name} parameters, which are
// also the ServeMux wildcards), the role it needs and its handler.
type apiRoute struct {
	method, path string
	need         Role
	h            http.HandlerFunc
}

// apiTable lists the API's routes. Pay-run routes exist only with
// Config.Payroll.
func (s *Server) apiTable() []apiRoute {
	rs := []apiRoute{
		{"GET", "/openapi.json", Viewer, s.apiOpenAPI},
		{"GET", "/books", Viewer, s.apiBooks},
		{"GET", "/books/{book}", Viewer, s.apiBook},
		{"GET", "/books/{book}/accounts", Viewer, s.apiAccounts},
		{"GET", "/books/{book}/entries", Viewer, s.apiEntries},
		{"POST", "/books/{book}/entries", Accountant, s.apiPostEntry},
		{"GET", "/books/{book}/entries/{seq}", Viewer, s.apiEntry},
		{"POST", "/books/{book}/entries/{seq}/reverse", Accountant, s.apiReverse},
		{"GET", "/books/{book}/balances", Viewer, s.apiBalances},
		{"GET", "/books/{book}/trial-balance", Viewer, s.apiTrialBalance},
		{"GET", "/books/{book}/periods", Viewer, s.apiPeriods},
		{"POST", "/books/{book}/periods/{month}/close", Admin, s.apiPeriodClose},
		{"POST", "/books/{book}/periods/{month}/lock", Admin, s.apiPeriodLock},
		{"POST", "/books/{book}/periods/{month}/reopen", Admin, s.apiPeriodReopen},
	}
	if s.cfg.Payroll != nil {
		rs = append(rs,
			apiRoute{"GET", "/books/{book}/payruns", Viewer, s.apiPayRuns},
			apiRoute{"POST", "/books/{book}/payruns", Accountant, s.apiCreatePayRun},
			apiRoute{"GET", "/books/{book}/payruns/{id}", Viewer, s.apiPayRun},
			apiRoute{"POST", "/books/{book}/payruns/{id}/calculate", Accountant, s.payRunStep("calculate", (*payroll.Runs).Calculate)},
			apiRoute{"POST", "/books/{book}/payruns/{id}/approve", Accountant, s.payRunStep("approve", (*payroll.Runs).Approve)},
			apiRoute{"POST", "/books/{book}/payruns/{id}/post", Admin, s.payRunStep("post", (*payroll.Runs).Post)},
		)
	}
	return rs
}

// apiRoutes registers the JSON API under /api/v1, and a catch-all that
// answers any other path under /api/ with a problem (404, or 405 with
// Allow for a known path and another method), never the HTML pages.
func (s *Server) apiRoutes() {
	for _, rt := range s.apiTable() {
		s.handle(rt.method+" "+apiPrefix+rt.path, rt.need, rt.h)
	}
	s.handle("/api/", Viewer, s.apiNoRoute)
}

func (s *Server) apiNoRoute(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		q := r.Clone(r.Context())
		q.Method = m
		if _, pattern := s.mux.Handler(q); pattern != "" && pattern != "/api/" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeProblem(w, r, http.StatusMethodNotAllowed, "method_not_allowed", "method not allowed on this route")
		return
	}
	writeProblem(w, r, http.StatusNotFound, "no_route", "no API route "+r.Method+" "+r.URL.Path)
}

func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(openAPIDoc)
}

// ---- request parsing ----

// requestError is a malformed request: the status (400, 413, 415) and a
// message that names fields, never their values. It wraps ErrInvalid.
type requestError struct {
	status int
	msg    string
}

func (e *requestError) Error() string { return e.msg }
func (e *requestError) Unwrap() error { return ErrInvalid }

func badRequest(format string, args ...any) error {
	return &requestError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}

// fail writes err as a problem: a requestError with its own status as
// server.ErrInvalid, anything else through writeError.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var re *requestError
	if errors.As(err, &re) {
		writeProblem(w, r, re.status, "server.ErrInvalid", re.msg)
		return
	}
	s.writeError(w, r, err)
}

// decode reads the request body, application/json of at most maxBody
// bytes, into v: exactly one JSON value without unknown fields. An empty
// body leaves v as it is if optional.
func decode(w http.ResponseWriter, r *http.Request, v any, optional bool) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	body, err := io.ReadAll(r.Body)
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return &requestError{status: http.StatusRequestEntityTooLarge, msg: "the body is larger than 1 MiB"}
		}
		return badRequest("reading the body failed")
	}
	empty := len(bytes.TrimSpace(body)) == 0
	if empty && optional {
		return nil // whatever its Content-Type says (curl -d '' sends a form type)
	}
	ct := r.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); (ct != "" || !empty) && (err != nil || mt != "application/json") {
		return &requestError{status: http.StatusUnsupportedMediaType, msg: "the body must be application/json"}
	}
	if empty {
		return badRequest("a JSON body is required")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return badRequest("the body must hold one JSON value")
	}
	return nil
}

// errAmountNumber is the error of an amount written as a JSON number.
var errAmountNumber = errors.New("amounts are decimal strings (\"12.50\"), never JSON numbers")

// jsonError turns a decoding error into a requestError whose message
// names the field or offset, never the input.
func jsonError(err error) error {
	if errors.Is(err, errAmountNumber) {
		return badRequest("%s", errAmountNumber.Error())
	}
	if se, ok := errors.AsType[*json.SyntaxError](err); ok {
		return badRequest("malformed JSON at byte %d", se.Offset)
	}
	if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		if te.Field == "" {
			return badRequest("the body must be a JSON object")
		}
		return badRequest("field %s: want %s, not a JSON %s", te.Field, jsonType(te.Type.Kind().String()), te.Value)
	}
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return badRequest("unknown field %s", f)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return badRequest("the JSON body ends too soon")
	}
	return badRequest("malformed JSON body")
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "map", "struct":
		return "an object"
	case "slice":
		return "an array"
	case "bool":
		return "a boolean"
	}
	return "a number"
}

// decimalString is an amount as a JSON string; a JSON number is refused
// with errAmountNumber.
type decimalString string

// UnmarshalJSON implements json.Unmarshaler.
func (d *decimalString) UnmarshalJSON(b []byte) error {
	if len(b) == 0 || b[0] != '"' {
		return errAmountNumber
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*d = decimalString(s)
	return nil
}

// query checks that r's query string holds only the names allowed, each
// at most once, and returns it.
func query(r *http.Request, allowed ...string) (url.Values, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, badRequest("malformed query string")
	}
	for name, vs := range q {
		ok := false
		for _, a := range allowed {
			ok = ok || a == name
		}
		if !ok {
			return nil, badRequest("unknown query parameter %q", name)
		}
		if len(vs) > 1 {
			return nil, badRequest("query parameter %s given more than once", name)
		}
	}
	return q, nil
}

// dateParam parses an optional YYYY-MM-DD value (zero if empty).
func dateParam(name, v string) (date.Date, error) {
	if v == "" {
		return date.Date{}, nil
	}
	d, err := date.Parse(v)
	if err != nil {
		return date.Date{}, badRequest("%s: want a date YYYY-MM-DD", name)
	}
	return d, nil
}

// today is the server's current date in UTC.
func (s *Server) today() date.Date { return date.Of(s.cfg.Now().UTC()) }

// ---- response shapes ----

// writeJSON writes v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var b bytes.Buffer
	if err := json.NewEncoder(&b).Encode(v); err != nil {
		writeProblem(w, nil, http.StatusInternalServerError, "internal", "") // writeProblem does not read the request
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

// optDate is d as "YYYY-MM-DD", or nil (JSON null) if zero.
func optDate(d date.Date) *string {
	if d.IsZero() {
		return nil
	}
	s := d.String()
	return &s
}

// optTime is t in UTC, or nil (JSON null) if zero.
func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

type bookJSON struct {
	ID              string  `json:"id"`
	Name            string  `json:"name"`
	Currency        string  `json:"currency"`
	FiscalYearStart int     `json:"fiscal_year_start"`
	LockDate        *string `json:"lock_date"`
}

func bookOut(b ledger.Book) bookJSON {
	fys := b.FiscalYearStart
	if fys == 0 {
		fys = 1
	}
	return bookJSON{ID: b.ID, Name: b.Name, Currency: b.Currency.Code(), FiscalYearStart: fys, LockDate: optDate(b.LockDate)}
}

type constraintJSON struct {
	Min *string `json:"min"`
	Max *string `json:"max"`
}

type accountJSON struct {
	Code       string            `json:"code"`
	Name       string            `json:"name"`
	Type       string            `json:"type"`
	Parent     string            `json:"parent,omitempty"`
	Currency   string            `json:"currency,omitempty"`
	Closed     bool              `json:"closed"`
	Constraint *constraintJSON   `json:"constraint,omitempty"`
	Metadata   map[string]string `json:"metadata,omitempty"`
}

func accountOut(a ledger.Account) accountJSON {
	out := accountJSON{Code: a.Code, Name: a.Name, Type: a.Type.String(), Parent: a.Parent, Closed: a.Closed, Metadata: a.Metadata}
	if !a.Currency.IsZero() {
		out.Currency = a.Currency.Code()
	}
	if !a.Constraint.IsZero() {
		c := &constraintJSON{}
		if a.Constraint.Min.Valid {
			v := a.Constraint.Min.Decimal.String()
			c.Min = &v
		}
		if a.Constraint.Max.Valid {
			v := a.Constraint.Max.Decimal.String()
			c.Max = &v
		}
		out.Constraint = c
	}
	return out
}

type lineJSON struct {
	Account    string            `json:"account"`
	Amount     money.Amount      `json:"amount"`
	Base       *money.Amount     `json:"base,omitempty"`
	Memo       string            `json:"memo,omitempty"`
	Dimensions map[string]string `json:"dimensions,omitempty"`
}

type entryJSON struct {
	Seq         uint64            `json:"seq"`
	Key         string            `json:"key"`
	Date        string            `json:"date"`
	Description string            `json:"description"`
	Voucher     string            `json:"voucher"`
	Journal     string            `json:"journal"`
	Reverses    uint64            `json:"reverses"`
	Adjusts     uint64            `json:"adjusts"`
	Metadata    map[string]string `json:"metadata"`
	Lines       []lineJSON        `json:"lines"`
	RecordedAt  time.Time         `json:"recorded_at"`
	Digest      string            `json:"digest"`
	Hash        string            `json:"hash"`
}

func entryOut(p ledger.Posted) entryJSON {
	j := p.Journal
	if j == "" {
		j = ledger.JournalGeneral
	}
	meta := p.Metadata
	if meta == nil {
		meta = map[string]string{}
	}
	out := entryJSON{Seq: p.Seq, Key: p.Key, Date: p.Date.String(), Description: p.Description, Voucher: p.Voucher,
		Journal: j, Reverses: p.Reverses, Adjusts: p.Adjusts, Metadata: meta, Lines: make([]lineJSON, len(p.Lines)),
		RecordedAt: p.RecordedAt.UTC(), Digest: hex.EncodeToString(p.Digest[:]), Hash: hex.EncodeToString(p.Hash[:])}
	for i, l := range p.Lines {
		out.Lines[i] = lineJSON{Account: l.Account, Amount: l.Amount, Memo: l.Memo, Dimensions: l.Dimensions}
		if l.Converted() {
			out.Lines[i].Base = &l.Base
		}
	}
	return out
}

// ---- books and accounts ----

func (s *Server) apiBooks(w http.ResponseWriter, r *http.Request) {
	if _, err := query(r); err != nil {
		s.fail(w, r, err)
		return
	}
	books, err := s.cfg.Ledger.Books(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]bookJSON, len(books))
	for i, b := range books {
		out[i] = bookOut(b)
	}
	writeJSON(w, http.StatusOK, map[string]any{"books": out})
}

func (s *Server) apiBook(w http.ResponseWriter, r *http.Request) {
	if _, err := query(r); err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := s.cfg.Ledger.Book(r.Context(), r.PathValue("book"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, bookOut(b))
}

func (s *Server) apiAccounts(w http.ResponseWriter, r *http.Request) {
	if _, err := query(r); err != nil {
		s.fail(w, r, err)
		return
	}
	book := r.PathValue("book")
	if _, err := s.cfg.Ledger.Book(r.Context(), book); err != nil {
		s.fail(w, r, err)
		return
	}
	accts, err := s.cfg.Ledger.Accounts(r.Context(), book)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]accountJSON, len(accts))
	for i, a := range accts {
		out[i] = accountOut(a)
	}
	writeJSON(w, http.StatusOK, map[string]any{"accounts": out})
}

// ---- entries ----

// apiEntries lists entries a page at a time. The cursor is the sequence
// number of the page's last entry, as a string clients treat as opaque;
// "next" is present only when more entries follow (the page is read with
// one entry more than asked, which is not returned).
func (s *Server) apiEntries(w http.ResponseWriter, r *http.Request) {
	q, err := query(r, "account", "from", "to", "journal", "voucher", "key", "after", "limit")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	eq := ledger.EntryQuery{Account: q.Get("account"), Journal: q.Get("journal"), Voucher: q.Get("voucher"), Key: q.Get("key")}
	if eq.From, err = dateParam("from", q.Get("from")); err != nil {
		s.fail(w, r, err)
		return
	}
	if eq.To, err = dateParam("to", q.Get("to")); err != nil {
		s.fail(w, r, err)
		return
	}
	if !eq.From.IsZero() && !eq.To.IsZero() && eq.To.Before(eq.From) {
		s.fail(w, r, badRequest("to lies before from"))
		return
	}
	if a := q.Get("after"); a != "" {
		if eq.After, err = strconv.ParseUint(a, 10, 64); err != nil {
			s.fail(w, r, badRequest("after: not a cursor this API returned"))
			return
		}
	}
	limit := defaultLimit
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > maxLimit {
			s.fail(w, r, badRequest("limit: want 1 to %d", maxLimit))
			return
		}
	}
	book := r.PathValue("book")
	if _, err := s.cfg.Ledger.Book(r.Context(), book); err != nil {
		s.fail(w, r, err)
		return
	}
	eq.Limit = limit + 1
	ps, err := s.cfg.Ledger.Entries(r.Context(), book, eq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var resp struct {
		Entries []entryJSON `json:"entries"`
		Next    string      `json:"next,omitempty"`
	}
	if len(ps) > limit {
		ps = ps[:limit]
		resp.Next = strconv.FormatUint(ps[len(ps)-1].Seq, 10)
	}
	resp.Entries = make([]entryJSON, len(ps))
	for i, p := range ps {
		resp.Entries[i] = entryOut(p)
	}
	writeJSON(w, http.StatusOK, resp)
}

// seqParam parses the {seq} path parameter.
func seqParam(r *http.Request) (uint64, error) {
	seq, err := strconv.ParseUint(r.PathValue("seq"), 10, 64)
	if err != nil || seq == 0 {
		return 0, badRequest("seq: want a sequence number from 1")
	}
	return seq, nil
}

func (s *Server) apiEntry(w http.ResponseWriter, r *http.Request) {
	if _, err := query(r); err != nil {
		s.fail(w, r, err)
		return
	}
	seq, err := seqParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.cfg.Ledger.Entry(r.Context(), r.PathValue("book"), seq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, entryOut(p))
}

// entryIn is the body of POST …/entries.
type entryIn struct {
	Date        string            `json:"date"`
	Description string            `json:"description"`
	Voucher     string            `json:"voucher"`
	Journal     string            `json:"journal"`
	Adjusts     uint64            `json:"adjusts"`
	Metadata    map[string]string `json:"metadata"`
	Lines       []lineIn          `json:"lines"`
}

// lineIn is one line of entryIn: exactly one of Debit, Credit (both
// unsigned) or Amount (signed, debit positive).
type lineIn struct {
	Account    string            `json:"account"`
	Debit      *decimalString    `json:"debit"`
	Credit     *decimalString    `json:"credit"`
	Amount     *decimalString    `json:"amount"`
	Currency   string            `json:"currency"`
	Base       *decimalString    `json:"base"` // in the book's currency, signed like the line
	Memo       string            `json:"memo"`
	Dimensions map[string]string `json:"dimensions"`
}

// entry makes the ledger entry of in for book b. Amounts are parsed
// exactly (money.Parse); a currency left out is the book's.
func (in *entryIn) entry(b ledger.Book) (ledger.Entry, error) {
	d, err := date.Parse(in.Date)
	if err != nil {
		return ledger.Entry{}, badRequest("date: want a date YYYY-MM-DD")
	}
	if _, ok := in.Metadata[actorKey]; ok {
		return ledger.Entry{}, badRequest("metadata.%s is set by the server to the token's name", actorKey)
	}
	e := ledger.Entry{Book: b.ID, Date: d, Description: in.Description, Voucher: in.Voucher, Journal: in.Journal,
		Adjusts: in.Adjusts, Metadata: map[string]string{}, Lines: make([]ledger.Line, len(in.Lines))}
	for k, v := range in.Metadata {
		e.Metadata[k] = v
	}
	for i, l := range in.Lines {
		cur := b.Currency
		if l.Currency != "" && l.Currency != b.Currency.Code() {
			if cur, err = money.ParseCurrency(l.Currency); err != nil {
				return ledger.Entry{}, fmt.Errorf("lines[%d].currency: %w", i, ledger.ErrUnknownCurrency)
			}
		}
		var (
			field string
			v     decimalString
			sign  int
			n     int
		)
		for _, c := range []struct {
			name string
			v    *decimalString
			sign int
		}{{"debit", l.Debit, 1}, {"credit", l.Credit, -1}, {"amount", l.Amount, 0}} {
			if c.v != nil {
				field, v, sign = c.name, *c.v, c.sign
				n++
			}
		}
		if n != 1 {
			return ledger.Entry{}, badRequest("lines[%d]: want exactly one of debit, credit and amount", i)
		}
		a, err := money.Parse(string(v), cur)
		switch {
		case errors.Is(err, money.ErrScale):
			return ledger.Entry{}, fmt.Errorf("lines[%d].%s: %w", i, field, ledger.ErrScale)
		case errors.Is(err, money.ErrOverflow):
			return ledger.Entry{}, fmt.Errorf("lines[%d].%s: %w", i, field, ledger.ErrOverflow)
		case err != nil:
			return ledger.Entry{}, badRequest("lines[%d].%s: want a decimal string such as \"1234.56\"", i, field)
		}
		if sign != 0 && a.IsNegative() {
			return ledger.Entry{}, fmt.Errorf("lines[%d].%s: %w: debit and credit are unsigned; use amount for a signed value", i, field, ledger.ErrInvalid)
		}
		if sign < 0 {
			a = a.Neg()
		}
		e.Lines[i] = ledger.Line{Account: l.Account, Amount: a, Memo: l.Memo, Dimensions: l.Dimensions}
		if l.Base != nil {
			if e.Lines[i].Base, err = money.Parse(string(*l.Base), b.Currency); err != nil {
				return ledger.Entry{}, badRequest("lines[%d].base: want a decimal string in %s such as \"-92.37\"", i, b.Currency.Code())
			}
		}
	}
	return e, nil
}

// idempotencyKey returns the request's Idempotency-Key header, which
// becomes the entry's Key.
func idempotencyKey(r *http.Request) (string, error) {
	vs := r.Header.Values("Idempotency-Key")
	if len(vs) != 1 || strings.TrimSpace(vs[0]) == "" {
		return "", badRequest("one Idempotency-Key header is required")
	}
	k := vs[0]
	for _, p := range reservedKeys {
		if strings.HasPrefix(k, p) {
			return "", badRequest("Idempotency-Key: the prefix %q is reserved", p)
		}
	}
	return k, nil
}

// apiPostEntry posts an entry under the request's Idempotency-Key, with
// the token's name as metadata "actor" (part of the payload, so a retry
// must come from the same token). It answers 201 when this request
// posted the entry and 200 when the key was posted before with the same
// payload; another payload is 409 ledger.ErrConflict. Two identical
// requests racing may both see 201; they get the same entry.
func (s *Server) apiPostEntry(w http.ResponseWriter, r *http.Request) {
	if _, err := query(r); err != nil {
		s.fail(w, r, err)
		return
	}
	key, err := idempotencyKey(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in entryIn
	if err := decode(w, r, &in, false); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx, l := r.Context(), s.cfg.Ledger
	b, err := l.Book(ctx, r.PathValue("book"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	e, err := in.entry(b)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	actor := who(r).name
	e.Key, e.Metadata[actorKey] = key, actor
	s.postEntry(w, r, e, func() (ledger.Posted, error) { return l.Post(ctx, e) })
}

// postEntry runs post, which posts e idempotently under e.Key, and
// answers with the entry: 201 if it is new, 200 if the key was taken
// before the call.
func (s *Server) postEntry(w http.ResponseWriter, r *http.Request, e ledger.Entry, post func() (ledger.Posted, error)) {
	ctx := r.Context()
	_, err := s.cfg.Ledger.EntryByKey(ctx, e.Book, e.Key)
	existed := err == nil
	if err != nil && !errors.Is(err, ledger.ErrNotFound) {
		s.fail(w, r, err)
		return
	}
	p, err := post()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	status := http.StatusCreated
	if existed {
		status = http.StatusOK
	}
	s.cfg.Logger.Info("entry posted", "actor", who(r).name, "book", p.Book, "key", p.Key, "seq", p.Seq, "replay", existed)
	w.Header().Set("Location", apiPrefix+"/books/"+url.PathEscape(p.Book)+"/entries/"+strconv.FormatUint(p.Seq, 10))
	writeJSON(w, status, entryOut(p))
}

// reverseIn is the body of POST …/entries/{seq}/reverse.
type reverseIn struct {
	Date   string `json:"date"`
	Reason string `json:"reason"`
}

// apiReverse posts the Storno of an entry through ledger.Reverse, which
// is idempotent under the key "reverse/<seq>": the same date and reason
// again give the first reversal (200), others 409 ledger.ErrState naming
// the reversal.
func (s *Server) apiReverse(w http.ResponseWriter, r *http.Request) {
	if _, err := query(r); err != nil {
		s.fail(w, r, err)
		return
	}
	seq, err := seqParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in reverseIn
	if err := decode(w, r, &in, false); err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := date.Parse(in.Date)
	if err != nil {
		s.fail(w, r, badRequest("date: want a date YYYY-MM-DD"))
		return
	}
	ctx, book := r.Context(), r.PathValue("book")
	if _, err := s.cfg.Ledger.Entry(ctx, book, seq); err != nil {
		s.fail(w, r, err)
		return
	}
	e := ledger.Entry{Book: book, Key: "reverse/" + strconv.FormatUint(seq, 10)}
	s.postEntry(w, r, e, func() (ledger.Posted, error) { return s.cfg.Ledger.Reverse(ctx, book, seq, d, in.Reason) })
}

// ---- balances and reports ----

type balanceJSON struct {
	Account string       `json:"account"`
	Name    string       `json:"name"`
	Balance money.Amount `json:"balance"`
}

// apiBalances returns each account's balance per currency at the end of
// as_of (default today), debit positive.
func (s *Server) apiBalances(w http.ResponseWriter, r *http.Request) {
	q, err := query(r, "as_of", "account")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	asOf, err := dateParam("as_of", q.Get("as_of"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if asOf.IsZero() {
		asOf = s.today()
	}
	ctx, book, account := r.Context(), r.PathValue("book"), q.Get("account")
	if account != "" {
		if _, err := s.cfg.Ledger.Account(ctx, book, account); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	rows, err := s.cfg.Ledger.Balances(ctx, book, ledger.BalanceQuery{To: asOf})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := []balanceJSON{}
	for _, row := range rows {
		if account == "" || row.Account.Code == account {
			out = append(out, balanceJSON{Account: row.Account.Code, Name: row.Account.Name, Balance: row.Closing})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"book": book, "as_of": asOf.String(), "balances": out})
}

// apiTrialBalance renders reporting.TrialBalance with reporting.WriteJSON.
func (s *Server) apiTrialBalance(w http.ResponseWriter, r *http.Request) {
	q, err := query(r, "from", "to", "currency", "depth", "exclude_closing")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	opts := reporting.Options{Now: s.cfg.Now}
	if opts.From, err = dateParam("from", q.Get("from")); err != nil {
		s.fail(w, r, err)
		return
	}
	if opts.To, err = dateParam("to", q.Get("to")); err != nil {
		s.fail(w, r, err)
		return
	}
	if opts.To.IsZero() {
		opts.To = s.today()
	}
	if c := q.Get("currency"); c != "" {
		if opts.Currency, err = money.ParseCurrency(c); err != nil {
			s.fail(w, r, fmt.Errorf("currency: %w", ledger.ErrUnknownCurrency))
			return
		}
	}
	if v := q.Get("depth"); v != "" {
		if opts.Depth, err = strconv.Atoi(v); err != nil || opts.Depth < 0 || opts.Depth > 64 {
			s.fail(w, r, badRequest("depth: want 0 to 64"))
			return
		}
	}
	switch q.Get("exclude_closing") {
	case "", "false":
	case "true":
		opts.ExcludeClosing = true
	default:
		s.fail(w, r, badRequest("exclude_closing: want true or false"))
		return
	}
	rep, err := reporting.TrialBalance(r.Context(), s.cfg.Ledger, r.PathValue("book"), opts)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var b bytes.Buffer
	if err := reporting.WriteJSON(&b, rep); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b.Bytes())
}

// ---- periods ----

type periodJSON struct {
	FiscalYear int    `json:"fiscal_year"`
	Number     int    `json:"number"`
	Month      string `json:"month"`
	Start      string `json:"start"`
	End        string `json:"end"`
	State      string `json:"state"`
}

func periodOut(p ledger.Period) periodJSON {
	return periodJSON{FiscalYear: p.FiscalYear, Number: p.Number, Month: p.Start.String()[:7],
		Start: p.Start.String(), End: p.End.String(), State: p.State.String()}
}

// apiPeriods lists the twelve periods of fiscal_year (default: the one
// today falls in).
func (s *Server) apiPeriods(w http.ResponseWriter, r *http.Request) {
	q, err := query(r, "fiscal_year")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx, book := r.Context(), r.PathValue("book")
	b, err := s.cfg.Ledger.Book(ctx, book)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	fy, _ := b.PeriodOf(s.today())
	if v := q.Get("fiscal_year"); v != "" {
		if fy, err = strconv.Atoi(v); err != nil || fy < 1 || fy > 9998 {
			s.fail(w, r, badRequest("fiscal_year: want a year"))
			return
		}
	}
	ps, err := s.cfg.Ledger.Periods(ctx, book, fy)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]periodJSON, len(ps))
	for i, p := range ps {
		out[i] = periodOut(p)
	}
	writeJSON(w, http.StatusOK, map[string]any{"book": book, "fiscal_year": fy, "lock_date": optDate(b.LockDate), "periods": out})
}

// monthParam parses the {month} path parameter, YYYY-MM, into the
// period's first day.
func monthParam(r *http.Request) (date.Date, error) {
	m := r.PathValue("month")
	d, err := date.Parse(m + "-01")
	if err != nil || len(m) != 7 {
		return date.Date{}, badRequest("month: want YYYY-MM")
	}
	return d, nil
}

// periodChange runs change on the period of {month} and answers with the
// period's state afterwards and whether this request changed it.
func (s *Server) periodChange(w http.ResponseWriter, r *http.Request, op string, body any,
	change func(b ledger.Book, fy, n int) (bool, error)) {
	if _, err := query(r); err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := monthParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := decode(w, r, body, op != "reopen"); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx, l := r.Context(), s.cfg.Ledger
	b, err := l.Book(ctx, r.PathValue("book"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	fy, n := b.PeriodOf(d)
	changed, err := change(b, fy, n)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := l.Period(ctx, b.ID, d)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.cfg.Logger.Info("period "+op, "actor", who(r).name, "book", b.ID, "fiscal_year", fy, "period", n, "changed", changed)
	writeJSON(w, http.StatusOK, map[string]any{"period": periodOut(p), "changed": changed})
}

func (s *Server) apiPeriodClose(w http.ResponseWriter, r *http.Request) {
	s.periodChange(w, r, "close", &struct{}{}, func(b ledger.Book, fy, n int) (bool, error) {
		return s.cfg.Ledger.CloseOpenPeriod(r.Context(), b.ID, fy, n)
	})
}

func (s *Server) apiPeriodLock(w http.ResponseWriter, r *http.Request) {
	s.periodChange(w, r, "lock", &struct{}{}, func(b ledger.Book, fy, n int) (bool, error) {
		return s.transition(r, b, fy, n, ledger.Locked, func() error { return s.cfg.Ledger.LockPeriod(r.Context(), b.ID, fy, n) })
	})
}

// reopenIn is the body of POST …/periods/{month}/reopen.
type reopenIn struct {
	Reason string `json:"reason"`
}

// apiPeriodReopen reopens a closed period; the reason recorded in the
// period history is "<token name>: <reason>".
func (s *Server) apiPeriodReopen(w http.ResponseWriter, r *http.Request) {
	var in reopenIn
	s.periodChange(w, r, "reopen", &in, func(b ledger.Book, fy, n int) (bool, error) {
		if strings.TrimSpace(in.Reason) == "" {
			return false, badRequest("reason: required")
		}
		return s.transition(r, b, fy, n, ledger.Open, func() error {
			return s.cfg.Ledger.ReopenPeriod(r.Context(), b.ID, fy, n, who(r).name+": "+in.Reason)
		})
	})
}

// transition runs do and reports whether the period's state moved to to.
// (Another request changing it at the same moment may be counted too.)
func (s *Server) transition(r *http.Request, b ledger.Book, fy, n int, to ledger.PeriodState, do func() error) (bool, error) {
	first, _ := b.FiscalYearRange(fy)
	d := first.AddMonths(n - 1)
	before, err := s.cfg.Ledger.Period(r.Context(), b.ID, d)
	if err != nil {
		return false, err
	}
	if err := do(); err != nil {
		return false, err
	}
	return before.State != to, nil
}

// ---- pay runs ----

type payPeriodJSON struct {
	Calendar  string `json:"calendar"`
	Frequency string `json:"frequency"`
	Year      int    `json:"year"`
	Quarter   int    `json:"quarter"`
	Number    int    `json:"number"`
	Start     string `json:"start"`
	End       string `json:"end"`
	PayDate   string `json:"pay_date"`
}

type runProblemJSON struct {
	Employee        string `json:"employee"`
	PersonnelNumber string `json:"personnel_number"`
	Code            string `json:"code"`
	Reason          string `json:"reason"`
}

type payRunJSON struct {
	ID           string           `json:"id"`
	Book         string           `json:"book"`
	Kind         string           `json:"kind"`
	Period       payPeriodJSON    `json:"period"`
	Employees    []string         `json:"employees"`
	Date         string           `json:"date"`
	Status       string           `json:"status"`
	Calculation  int              `json:"calculation"`
	Problems     []runProblemJSON `json:"problems"`
	PostSeq      uint64           `json:"post_seq"`
	Entry        uint64           `json:"entry"`
	PaymentEntry uint64           `json:"payment_entry"`
	BankAccount  string           `json:"bank_account,omitempty"`
	PaymentDate  *string          `json:"payment_date"`
	CreatedAt    *time.Time       `json:"created_at"`
	CalculatedAt *time.Time       `json:"calculated_at"`
	ApprovedAt   *time.Time       `json:"approved_at"`
	PostedAt     *time.Time       `json:"posted_at"`
	PaidAt       *time.Time       `json:"paid_at"`
}

func payRunOut(run payroll.Run) payRunJSON {
	p := run.Period
	out := payRunJSON{ID: run.ID, Book: run.Book, Kind: string(run.Kind),
		Period: payPeriodJSON{Calendar: p.Calendar, Frequency: string(p.Frequency), Year: p.Year, Quarter: p.Quarter,
			Number: p.Number, Start: p.Start.String(), End: p.End.String(), PayDate: p.PayDate.String()},
		Employees: run.Employees, Date: run.Date.String(), Status: string(run.Status), Calculation: run.Calculation,
		Problems: make([]runProblemJSON, len(run.Problems)), PostSeq: run.PostSeq, Entry: run.Entry,
		PaymentEntry: run.PaymentEntry, BankAccount: run.BankAccount, PaymentDate: optDate(run.PaymentDate),
		CreatedAt: optTime(run.CreatedAt), CalculatedAt: optTime(run.CalculatedAt), ApprovedAt: optTime(run.ApprovedAt),
		PostedAt: optTime(run.PostedAt), PaidAt: optTime(run.PaidAt)}
	if out.Employees == nil {
		out.Employees = []string{}
	}
	for i, pr := range run.Problems {
		out.Problems[i] = runProblemJSON{Employee: pr.Employee, PersonnelNumber: pr.PersonnelNumber, Code: pr.Code, Reason: pr.Reason}
	}
	return out
}

// monthlyCalendar is the calendar pay runs created through the API pay
// by, as the books tool does: calendar months, paid on the last working
// day.
var monthlyCalendar = payroll.Calendar{ID: "monthly", Frequency: hr.MonthlyPay, WorkDays: hr.MondayToFriday}

// payRuns returns the pay runs of the request's book.
func (s *Server) payRuns(r *http.Request) (*payroll.Runs, error) {
	book := r.PathValue("book")
	if _, err := s.cfg.Ledger.Book(r.Context(), book); err != nil {
		return nil, err
	}
	return s.cfg.Payroll(r.Context(), book)
}

// payRun returns the runs and the run {id} of the request's book; a run
// of another book is payroll.ErrRunNotFound.
func (s *Server) payRun(r *http.Request) (*payroll.Runs, payroll.Run, error) {
	runs, err := s.payRuns(r)
	if err != nil {
		return nil, payroll.Run{}, err
	}
	id := r.PathValue("id")
	run, err := runs.Run(r.Context(), id)
	if err == nil && run.Book != r.PathValue("book") {
		err = fmt.Errorf("payroll: run %s: %w in book %s", id, payroll.ErrRunNotFound, r.PathValue("book"))
	}
	return runs, run, err
}

func (s *Server) apiPayRuns(w http.ResponseWriter, r *http.Request) {
	if _, err := query(r); err != nil {
		s.fail(w, r, err)
		return
	}
	runs, err := s.payRuns(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := runs.List(r.Context(), r.PathValue("book"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]payRunJSON, len(list))
	for i, run := range list {
		out[i] = payRunOut(run)
	}
	writeJSON(w, http.StatusOK, map[string]any{"payruns": out})
}

func (s *Server) apiPayRun(w http.ResponseWriter, r *http.Request) {
	if _, err := query(r); err != nil {
		s.fail(w, r, err)
		return
	}
	_, run, err := s.payRun(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, payRunOut(run))
}

// payRunIn is the body of POST …/payruns.
type payRunIn struct {
	Period    string   `json:"period"`
	Kind      string   `json:"kind"`
	ID        string   `json:"id"`
	Employees []string `json:"employees"`
	Date      string   `json:"date"`
}

// apiCreatePayRun creates a pay run of a calendar month, idempotently:
// 201 when created, 200 when a run with the same ID and spec exists, 409
// payroll.ErrDuplicate for the same ID with another spec. The ID defaults
// to "<book>/<YYYY-MM>" for a regular run (as the books tool names them);
// an off-cycle run needs one.
func (s *Server) apiCreatePayRun(w http.ResponseWriter, r *http.Request) {
	if _, err := query(r); err != nil {
		s.fail(w, r, err)
		return
	}
	var in payRunIn
	if err := decode(w, r, &in, false); err != nil {
		s.fail(w, r, err)
		return
	}
	month, err := date.Parse(in.Period + "-01")
	if err != nil || len(in.Period) != 7 {
		s.fail(w, r, badRequest("period: want a month YYYY-MM"))
		return
	}
	d, err := dateParam("date", in.Date)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	book := r.PathValue("book")
	spec := payroll.RunSpec{ID: in.ID, Book: book, Kind: payroll.RunKind(in.Kind), Employees: in.Employees, Date: d}
	switch spec.Kind {
	case "":
		spec.Kind = payroll.Regular
	case payroll.Regular, payroll.OffCycle:
	default:
		s.fail(w, r, badRequest("kind: want regular or offcycle"))
		return
	}
	if spec.ID == "" {
		if spec.Kind != payroll.Regular {
			s.fail(w, r, badRequest("id: required for an off-cycle run"))
			return
		}
		spec.ID = book + "/" + in.Period
	}
	if spec.Period, err = monthlyCalendar.PeriodOf(month); err != nil {
		s.fail(w, r, badRequest("period: %v", err))
		return
	}
	runs, err := s.payRuns(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	_, err = runs.Run(ctx, spec.ID)
	existed := err == nil
	if err != nil && !errors.Is(err, payroll.ErrRunNotFound) {
		s.fail(w, r, err)
		return
	}
	run, err := runs.CreateRun(ctx, spec)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	status := http.StatusCreated
	if existed {
		status = http.StatusOK
	}
	s.cfg.Logger.Info("pay run created", "actor", who(r).name, "book", book, "run", run.ID, "replay", existed)
	w.Header().Set("Location", apiPrefix+"/books/"+url.PathEscape(book)+"/payruns/"+url.PathEscape(run.ID))
	writeJSON(w, status, payRunOut(run))
}

// payRunStep returns the handler of a pay-run step (calculate, approve,
// post), each idempotent in payroll. A calculation with problems for
// some employees is stored and answered with 200 and the run, whose
// problems list them; approving such a run is 422 payroll.ErrRunProblems.
func (s *Server) payRunStep(op string, step func(*payroll.Runs, context.Context, string) (payroll.Run, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, err := query(r); err != nil {
			s.fail(w, r, err)
			return
		}
		if err := decode(w, r, &struct{}{}, true); err != nil {
			s.fail(w, r, err)
			return
		}
		runs, run, err := s.payRun(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		run, err = step(runs, r.Context(), run.ID)
		if _, ok := errors.AsType[*payroll.RunError](err); ok && op == "calculate" && run.ID != "" {
			err = nil
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.cfg.Logger.Info("pay run "+op, "actor", who(r).name, "book", run.Book, "run", run.ID, "status", string(run.Status),
			"seq", run.Entry, "problems", len(run.Problems))
		writeJSON(w, http.StatusOK, payRunOut(run))
	}
}
