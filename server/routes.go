package server

import (
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// routes registers every route. The pages live in pages.go, the JSON API
// in api.go.
func (s *Server) routes() {
	s.handle("GET /healthz", "", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	s.handle("GET /readyz", "", s.readyz)
	s.handle("GET /login", "", s.loginForm)
	s.handle("POST /login", "", s.login)
	s.handle("POST /logout", Viewer, s.logout)
	static, _ := fs.Sub(staticFiles, "static")
	files := http.StripPrefix("/static/", http.FileServerFS(static))
	s.handle("GET /static/", "", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
	s.apiRoutes()
	s.pageRoutes()
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	select {
	case <-s.draining:
		http.Error(w, "draining", http.StatusServiceUnavailable)
		return
	default:
	}
	if s.cfg.Ready != nil {
		if err := s.cfg.Ready(r.Context()); err != nil {
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ready\n"))
}

// templates are parsed once: the layout and one file per page.
var templates = template.Must(template.New("").Funcs(templateFuncs).ParseFS(templateFiles, "templates/*.html"))

// page is what every page template gets besides its own data.
type page struct {
	Title string
	User  string // the token's name
	Role  Role
	CSRF  string // for every form that posts
	Book  string // the book the page is about, for the navigation
	Data  any
}

// render executes template name with the layout around it.
func (s *Server) render(w http.ResponseWriter, r *http.Request, name, title, book string, data any) {
	p := who(r)
	pg := page{Title: title, User: p.name, Role: p.role, Book: book, Data: data}
	if p.session != nil {
		pg.CSRF = p.session.csrf
	}
	var b strings.Builder
	if err := templates.ExecuteTemplate(&b, name, pg); err != nil {
		s.writePageError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(b.String()))
}

// writePageError shows an error as a page with the status writeError
// would give it.
func (s *Server) writePageError(w http.ResponseWriter, r *http.Request, err error) {
	status := problemStatus(err)
	msg := err.Error()
	if status >= 500 {
		s.cfg.Logger.Error("page failed", "path", r.URL.Path, "err", err.Error())
		msg = "internal error"
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = templates.ExecuteTemplate(w, "error.html", page{Title: http.StatusText(status), User: who(r).name, Data: msg})
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, "login.html", "Log in", "", map[string]string{"Next": localPath(r.URL.Query().Get("next")), "Error": ""})
}

// login exchanges a token for a session cookie. Attempts are limited per
// client address; the token is looked up by its hash, never logged.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if ok, _ := s.logins.allow(clientIP(r)); !ok {
		writeProblem(w, r, http.StatusTooManyRequests, "rate_limited", "too many login attempts")
		return
	}
	if !sameOrigin(r) {
		writeProblem(w, r, http.StatusForbidden, "cross_origin", "cross-origin request refused")
		return
	}
	next := localPath(r.PostFormValue("next"))
	h := HashToken(strings.TrimSpace(r.PostFormValue("token")))
	t, err := s.cfg.Tokens.TokenByHash(r.Context(), h)
	if err != nil || !t.RevokedAt.IsZero() {
		w.WriteHeader(http.StatusUnauthorized)
		s.render(w, r, "login.html", "Log in", "", map[string]string{"Next": next, "Error": "Unknown or revoked token."})
		return
	}
	id, _ := s.sessions.start(h)
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", HttpOnly: true, Secure: secureCookie(r),
		SameSite: http.SameSiteStrictMode, MaxAge: int(s.cfg.SessionTTL.Seconds())})
	s.cfg.Logger.Info("login", "actor", t.Name)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.sessions.end(c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: secureCookie(r),
		SameSite: http.SameSiteStrictMode, MaxAge: -1})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// secureCookie says whether the session cookie gets the Secure flag: over
// TLS, and on loopback addresses, which browsers treat as secure contexts
// even over plain HTTP.
func secureCookie(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	host := r.Host
	if i := strings.LastIndex(host, ":"); i >= 0 && !strings.HasSuffix(host, "]") {
		host = host[:i]
	}
	return host == "localhost" || host == "127.0.0.1" || host == "[::1]"
}

// localPath keeps a redirect target on this server: a path, never a URL
// to elsewhere ("//evil.example" included).
func localPath(p string) string {
	if p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return "/"
	}
	return p
}
