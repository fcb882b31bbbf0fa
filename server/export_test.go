package server

import "net/http"

// Exports for the tests of package server_test, which are external
// because they run against store/memory, and store/memory imports server
// (it implements TokenStore).

// Identifiers the tests read.
const (
	APIPrefix     = apiPrefix
	MaxBody       = maxBody
	SessionCookie = sessionCookie
)

// OpenAPIDoc is the embedded OpenAPI document.
var OpenAPIDoc = openAPIDoc

// LocalPath is localPath.
func LocalPath(p string) string { return localPath(p) }

// The API's JSON shapes.
type (
	EntryJSON      = entryJSON
	LineJSON       = lineJSON
	BookJSON       = bookJSON
	AccountJSON    = accountJSON
	ConstraintJSON = constraintJSON
	PeriodJSON     = periodJSON
	PayRunJSON     = payRunJSON
	EntryIn        = entryIn
	LineIn         = lineIn
	ReverseIn      = reverseIn
	ReopenIn       = reopenIn
	PayRunIn       = payRunIn
)

// APIRoute is a registered API route without its handler.
type APIRoute struct {
	Method, Path string
	Need         Role
}

// APIRoutes returns the API routes the server registered.
func (s *Server) APIRoutes() []APIRoute {
	var out []APIRoute
	for _, rt := range s.apiTable() {
		out = append(out, APIRoute{rt.method, rt.path, rt.need})
	}
	return out
}

// Pattern returns the ServeMux pattern r is routed to.
func (s *Server) Pattern(r *http.Request) string {
	_, p := s.mux.Handler(r)
	return p
}

// SessionCSRF returns the CSRF token of the live session id.
func (s *Server) SessionCSRF(id string) (string, bool) {
	x, ok := s.sessions.get(id)
	if !ok {
		return "", false
	}
	return x.csrf, true
}
