package server

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/partners"
	"github.com/openbackoffice/backoffice/payroll"
)

// Config is what a Server serves. Ledger and Tokens are required; the
// others may be nil, which hides their pages and API routes.
type Config struct {
	Ledger *ledger.Ledger
	Tokens TokenStore
	// Payroll returns the pay runs of a book.
	Payroll func(ctx context.Context, book string) (*payroll.Runs, error)
	// Partners returns the customers and suppliers of a book.
	Partners func(ctx context.Context, book string) (*partners.Parties, error)
	HR       *hr.Records
	// Logger receives one line per request (method, path, status, token
	// name, duration) and one per write; nil discards them.
	Logger *slog.Logger
	// Now is the clock; default time.Now.
	Now func() time.Time
	// RequestTimeout bounds every request's work; default 30 s.
	RequestTimeout time.Duration
	// RateLimit is the requests per second each token may make, with bursts
	// of RateBurst; default 50 and 100. Login attempts are limited per
	// client address to 5 a minute.
	RateLimit float64
	RateBurst int
	// SessionTTL is how long a browser session lasts without use; default
	// 8 hours.
	SessionTTL time.Duration
	// Ready reports whether the server can serve (its store answers);
	// /readyz calls it. Nil means always ready.
	Ready func(ctx context.Context) error
}

// Server serves the books as web pages and as a JSON API. Its Handler
// can be mounted in any net/http server. A Server is safe for concurrent
// use.
type Server struct {
	cfg      Config
	mux      *http.ServeMux
	sessions *sessions
	limits   *limiter
	logins   *limiter
	draining chan struct{}
	drainMu  sync.Once
}

// New returns a Server for cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Ledger == nil || cfg.Tokens == nil {
		return nil, fmt.Errorf("%w: Config needs a Ledger and a TokenStore", ErrInvalid)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 30 * time.Second
	}
	if cfg.RateLimit <= 0 {
		cfg.RateLimit, cfg.RateBurst = 50, 100
	}
	if cfg.RateBurst <= 0 {
		cfg.RateBurst = int(cfg.RateLimit * 2)
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 8 * time.Hour
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux(), sessions: newSessions(cfg.Now, cfg.SessionTTL),
		limits: newLimiter(cfg.Now, cfg.RateLimit, cfg.RateBurst), logins: newLimiter(cfg.Now, 5.0/60, 5),
		draining: make(chan struct{})}
	s.routes()
	return s, nil
}

// Handler returns the server's handler: security headers, request logs,
// timeouts and authentication around every route.
func (s *Server) Handler() http.Handler { return s.logRequests(s.secureHeaders(s.mux)) }

// Drain makes /readyz fail, so that a load balancer stops sending new
// requests before a graceful shutdown (http.Server.Shutdown) lets the
// in-flight ones finish.
func (s *Server) Drain() { s.drainMu.Do(func() { close(s.draining) }) }

// principal is who makes a request: a token's name and role, and whether
// it came through a browser session (which CSRF protection then covers).
type principal struct {
	name    string
	role    Role
	session *session // nil for a bearer token
}

type ctxKey struct{}

func who(r *http.Request) principal {
	p, _ := r.Context().Value(ctxKey{}).(principal)
	return p
}

// handle registers a route that needs role need (empty: none, a public
// route). Unsafe methods through a browser session also need a valid CSRF
// token and a same-origin request.
func (s *Server) handle(pattern string, need Role, h http.HandlerFunc) {
	s.mux.Handle(pattern, s.guard(need, h))
}

func (s *Server) guard(need Role, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.RequestTimeout)
		defer cancel()
		r = r.WithContext(ctx)
		if need == "" {
			h(w, r)
			return
		}
		p, err := s.authenticate(r)
		if err != nil {
			if isAPI(r) {
				w.Header().Set("WWW-Authenticate", `Bearer realm="backoffice"`)
				writeProblem(w, r, http.StatusUnauthorized, "unauthorized", "a valid token is required")
				return
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if ok, retry := s.limits.allow(p.name); !ok {
			w.Header().Set("Retry-After", fmt.Sprint(max(1, int(math.Ceil(retry.Seconds()))))) // whole seconds, rounded up
			writeProblem(w, r, http.StatusTooManyRequests, "rate_limited", "too many requests for this token")
			return
		}
		if !safeMethod(r.Method) && p.session != nil {
			if !sameOrigin(r) {
				writeProblem(w, r, http.StatusForbidden, "cross_origin", "cross-origin request refused")
				return
			}
			if err := r.ParseForm(); err != nil {
				writeProblem(w, r, http.StatusBadRequest, "invalid", "malformed form")
				return
			}
			got := r.PostFormValue("csrf")
			if got == "" {
				got = r.Header.Get("X-CSRF-Token")
			}
			if subtle.ConstantTimeCompare([]byte(got), []byte(p.session.csrf)) != 1 {
				writeProblem(w, r, http.StatusForbidden, "csrf", "missing or wrong CSRF token")
				return
			}
		}
		if !p.role.Allows(need) {
			writeProblem(w, r, http.StatusForbidden, "forbidden", fmt.Sprintf("this needs the %s role", need))
			return
		}
		if lw, ok := w.(*logWriter); ok {
			lw.actor = p.name
		}
		h(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, p)))
	})
}

// authenticate finds the request's principal: a bearer token, or a
// session cookie.
func (s *Server) authenticate(r *http.Request) (principal, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		secret, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return principal{}, ErrNotFound
		}
		t, err := s.cfg.Tokens.TokenByHash(r.Context(), HashToken(strings.TrimSpace(secret)))
		if err != nil || !t.RevokedAt.IsZero() {
			return principal{}, ErrNotFound
		}
		return principal{name: t.Name, role: t.Role}, nil
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return principal{}, ErrNotFound
	}
	sess, ok := s.sessions.get(c.Value)
	if !ok {
		return principal{}, ErrNotFound
	}
	// A token revoked after login ends its sessions at the next request.
	t, err := s.cfg.Tokens.TokenByHash(r.Context(), sess.token)
	if err != nil || !t.RevokedAt.IsZero() {
		s.sessions.end(c.Value)
		return principal{}, ErrNotFound
	}
	return principal{name: t.Name, role: t.Role, session: sess}, nil
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// sameOrigin checks Origin (or, without it, Referer) against the request's
// own host: a form posted from another site is refused even with a valid
// cookie. A request with neither header is from no browser page and
// passes (the CSRF token still applies).
func sameOrigin(r *http.Request) bool {
	src := r.Header.Get("Origin")
	if src == "" {
		src = r.Header.Get("Referer")
	}
	if src == "" {
		return true
	}
	u, err := url.Parse(src)
	if err != nil {
		return false
	}
	return u.Host == r.Host
}

// secureHeaders sets the headers every response carries: a strict
// Content-Security-Policy (no inline script, nothing from elsewhere),
// no framing, no MIME sniffing, no referrer to other sites.
func (s *Server) secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// logWriter records the status and the actor for the request log.
type logWriter struct {
	http.ResponseWriter
	status int
	actor  string
}

func (w *logWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *logWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *logWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs one line per request. Paths are logged, query strings
// are not (they may carry names), and no token ever is.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t0 := s.cfg.Now()
		lw := &logWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				s.cfg.Logger.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v))
				if lw.status == 0 {
					writeProblem(lw, r, http.StatusInternalServerError, "internal", "internal error")
				}
			}
			s.cfg.Logger.Info("request", "method", r.Method, "path", r.URL.Path, "status", lw.status,
				"actor", lw.actor, "ms", s.cfg.Now().Sub(t0).Milliseconds())
		}()
		next.ServeHTTP(lw, r)
	})
}

// clientIP is the request's remote address without its port.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// randomID returns 256 random bits, base64url-encoded.
func randomID() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}
