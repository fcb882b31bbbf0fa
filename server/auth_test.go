package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/openbackoffice/backoffice/server"
)

func TestAuthTokens(t *testing.T) {
	e := newAPIEnv(t, nil)
	if err := e.tokens.RevokeToken(context.Background(), "vera", testNow); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, header string
	}{
		{"no token", ""},
		{"unknown token", "Bearer bo_nope"},
		{"revoked token", "Bearer " + e.secret[server.Viewer]},
		{"basic auth", "Basic " + e.secret[server.Admin]},
		{"empty bearer", "Bearer "},
	}
	for _, tt := range tests {
		for _, target := range []string{"GET /api/v1/books", "POST /api/v1/books/acme/entries", "GET /api/v1/nope"} {
			t.Run(tt.name+" "+target, func(t *testing.T) {
				method, path, _ := strings.Cut(target, " ")
				rec := e.do(method, path, "", `{}`, "Authorization", tt.header, "Idempotency-Key", "k")
				wantProblem(t, rec, http.StatusUnauthorized, "unauthorized")
				if got := rec.Header().Get("WWW-Authenticate"); got != `Bearer realm="backoffice"` {
					t.Errorf("WWW-Authenticate %q", got)
				}
			})
		}
	}
	t.Run("valid token", func(t *testing.T) {
		if rec := e.do("GET", "/api/v1/books", server.Accountant, ""); rec.Code != http.StatusOK {
			t.Errorf("status %d: %s", rec.Code, rec.Body.String())
		}
	})
}

// login logs in with secret as the browser at host would and returns the
// response.
func login(e *apiEnv, host, secret, next string) *httptest.ResponseRecorder {
	form := url.Values{"token": {secret}, "next": {next}}
	req := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
	req.Host = host
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://"+host)
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	return rec
}

// sessionCookieOf returns the session cookie rec sets, or nil.
func sessionCookieOf(rec *httptest.ResponseRecorder) *http.Cookie {
	for _, c := range rec.Result().Cookies() {
		if c.Name == server.SessionCookie {
			return c
		}
	}
	return nil
}

func TestAuthLoginCookie(t *testing.T) {
	tests := []struct {
		host       string
		wantSecure bool
	}{
		{"127.0.0.1:8080", true},
		{"localhost:8080", true},
		{"[::1]:8080", true},
		{"books.example:80", false},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			e := newAPIEnv(t, nil)
			rec := login(e, tt.host, e.secret[server.Viewer], "/books/acme")
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/books/acme" {
				t.Fatalf("login: %d to %q", rec.Code, rec.Header().Get("Location"))
			}
			c := sessionCookieOf(rec)
			if c == nil {
				t.Fatal("no session cookie")
			}
			if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Secure != tt.wantSecure || c.Path != "/" || c.MaxAge <= 0 {
				t.Errorf("cookie %+v: want HttpOnly, SameSite=Strict, Secure %v, Path /", c, tt.wantSecure)
			}
			if strings.Contains(c.Value, e.secret[server.Viewer]) {
				t.Error("the cookie holds the token")
			}
		})
	}
	t.Run("unknown token", func(t *testing.T) {
		e := newAPIEnv(t, nil)
		rec := login(e, "127.0.0.1:8080", "bo_nope", "/")
		if rec.Code != http.StatusUnauthorized || sessionCookieOf(rec) != nil {
			t.Errorf("login with an unknown token: %d, cookie %v", rec.Code, sessionCookieOf(rec))
		}
	})
	t.Run("foreign redirect", func(t *testing.T) {
		e := newAPIEnv(t, nil)
		rec := login(e, "127.0.0.1:8080", e.secret[server.Viewer], "//evil.example/x")
		if got := rec.Header().Get("Location"); got != "/" {
			t.Errorf("redirected to %q", got)
		}
	})
	t.Run("cross-origin login", func(t *testing.T) {
		e := newAPIEnv(t, nil)
		form := url.Values{"token": {e.secret[server.Viewer]}}
		req := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "http://evil.example")
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden || sessionCookieOf(rec) != nil {
			t.Errorf("cross-origin login: %d", rec.Code)
		}
	})
}

func TestAuthSession(t *testing.T) {
	e := newAPIEnv(t, nil)
	const host = "127.0.0.1:8080"
	c := sessionCookieOf(login(e, host, e.secret[server.Accountant], "/"))
	if c == nil {
		t.Fatal("no session cookie")
	}
	csrf, ok := e.srv.SessionCSRF(c.Value)
	if !ok {
		t.Fatal("no session")
	}
	send := func(method, path, body string, header ...string) *httptest.ResponseRecorder {
		t.Helper()
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Host = host
		req.AddCookie(c)
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
	entry := sale("2026-03-02", "100.00", "19.00", "119.00")
	tests := []struct {
		name    string
		header  []string
		status  int
		problem string
	}{
		{"no CSRF token", []string{"Idempotency-Key", "s1"}, 403, "csrf"},
		{"wrong CSRF token", []string{"Idempotency-Key", "s1", "X-CSRF-Token", "nope"}, 403, "csrf"},
		{"foreign origin", []string{"Idempotency-Key", "s1", "X-CSRF-Token", csrf, "Origin", "http://evil.example"}, 403, "cross_origin"},
		{"foreign referer", []string{"Idempotency-Key", "s1", "X-CSRF-Token", csrf, "Referer", "http://evil.example/page"}, 403, "cross_origin"},
		{"same origin with the CSRF token", []string{"Idempotency-Key", "s1", "X-CSRF-Token", csrf, "Origin", "http://" + host}, 201, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := send("POST", "/api/v1/books/acme/entries", entry, tt.header...)
			if tt.problem != "" {
				wantProblem(t, rec, tt.status, tt.problem)
				return
			}
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body.String())
			}
			if got := decodeBody[server.EntryJSON](t, rec).Metadata["actor"]; got != "anna" {
				t.Errorf("actor %q, want anna", got)
			}
		})
	}
	t.Run("reads need no CSRF token", func(t *testing.T) {
		if rec := send("GET", "/api/v1/books/acme/entries", ""); rec.Code != http.StatusOK {
			t.Errorf("status %d: %s", rec.Code, rec.Body.String())
		}
	})
	t.Run("role", func(t *testing.T) {
		rec := send("POST", "/api/v1/books/acme/periods/2026-01/close", "", "X-CSRF-Token", csrf)
		wantProblem(t, rec, http.StatusForbidden, "forbidden")
	})
	t.Run("logout", func(t *testing.T) {
		rec := send("POST", "/logout", "", "X-CSRF-Token", csrf)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("logout: %d %s", rec.Code, rec.Body.String())
		}
		gone := sessionCookieOf(rec)
		if gone == nil || gone.MaxAge >= 0 || gone.Value != "" {
			t.Errorf("logout cookie %+v, want it deleted", gone)
		}
		wantProblem(t, send("GET", "/api/v1/books", ""), http.StatusUnauthorized, "unauthorized")
	})
	t.Run("revoked token ends its sessions", func(t *testing.T) {
		c2 := sessionCookieOf(login(e, host, e.secret[server.Admin], "/"))
		req := httptest.NewRequest("GET", "/api/v1/books", nil)
		req.AddCookie(c2)
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("before revoking: %d", rec.Code)
		}
		if err := e.tokens.RevokeToken(context.Background(), "adam", testNow); err != nil {
			t.Fatal(err)
		}
		rec = httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		wantProblem(t, rec, http.StatusUnauthorized, "unauthorized")
	})
}

func TestAuthRateLimit(t *testing.T) {
	e := newAPIEnv(t, func(c *server.Config) { c.RateLimit, c.RateBurst = 1, 2 })
	for i, want := range []int{200, 200, 429} {
		rec := e.do("GET", "/api/v1/books", server.Viewer, "")
		if rec.Code != want {
			t.Fatalf("request %d: %d, want %d", i+1, rec.Code, want)
		}
		if want == 429 {
			wantProblem(t, rec, http.StatusTooManyRequests, "rate_limited")
			if got := rec.Header().Get("Retry-After"); got != "1" {
				t.Errorf("Retry-After %q, want 1", got)
			}
		}
	}
	// Buckets are per token: another token is not limited.
	if rec := e.do("GET", "/api/v1/books", server.Accountant, ""); rec.Code != http.StatusOK {
		t.Errorf("another token: %d", rec.Code)
	}
}

func TestLocalPath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "/"},
		{"/", "/"},
		{"/books/acme?x=1", "/books/acme?x=1"},
		{"//evil.example", "/"},
		{"//evil.example/path", "/"},
		{"https://evil.example", "/"},
		{"http://evil.example/", "/"},
		{"/\\evil.example", "/"},
		{"evil.example", "/"},
		{"javascript:alert(1)", "/"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := server.LocalPath(tt.in); got != tt.want {
				t.Errorf("localPath(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
