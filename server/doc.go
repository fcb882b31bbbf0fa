// Package server serves the books to people and programs over HTTP: web
// pages a finance team reads in a browser (reports with drill-down to the
// entry, payroll, customers and suppliers, periods, verification) and a
// JSON API under /api/v1 described by an OpenAPI 3 document, for apps not
// written in Go. Embedders mount Server.Handler in their own net/http
// server; the books tool runs it as `books serve`.
//
// # Security
//
// Every route but /healthz, /readyz, /login and /static needs a token.
// Tokens (NewToken) have a name and a Role — Viewer reads, Accountant also
// posts and imports, Admin also closes and locks periods, posts pay runs
// and manages tokens — and are stored only as a SHA-256 hash (TokenStore).
// Programs send "Authorization: Bearer <token>"; people log in with a
// token once and get a session cookie (HttpOnly, SameSite=Strict, Secure
// over TLS and on loopback addresses). Every form that changes something
// carries the session's CSRF token, and a cross-origin post is refused.
// Responses carry a strict Content-Security-Policy: no inline script,
// nothing loaded from elsewhere. Requests are rate-limited per token and
// bounded in time; writes record the token's name as their actor.
//
// # Errors
//
// API errors are RFC 9457 problem details (Problem) naming the sentinel
// error they stand for ("ledger.ErrPeriodClosed").
package server
