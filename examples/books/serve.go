package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/openbackoffice/backoffice/examples/closebatch/batch"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/partners"
	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/server"
	"github.com/openbackoffice/backoffice/store/postgres"
)

// tokens returns the store's API tokens.
func (e *env) tokens(ctx context.Context) (server.TokenStore, error) {
	if err := e.open(ctx); err != nil {
		return nil, err
	}
	ts, ok := e.store.(server.TokenStore)
	if !ok {
		return nil, errors.New("this store keeps no API tokens")
	}
	return ts, nil
}

// runToken is "books token create|list|revoke".
func runToken(ctx context.Context, e *env, args []string) error {
	fs := e.flags("token", "create --name NAME --role viewer|accountant|admin | list | revoke --name NAME")
	name := fs.String("name", "", "create, revoke: the token's name (letters, digits, '.', '-', '_', '@'); writes record it as their actor")
	role := fs.String("role", "", "create: viewer (reads), accountant (also posts), admin (also closes periods, posts pay runs)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("want create, list or revoke")
	}
	switch fs.Arg(0) {
	case "create":
		if *name == "" || *role == "" {
			return usagef("create needs --name and --role")
		}
		r, err := server.ParseRole(*role)
		if err != nil {
			return usagef("--role: %v", err)
		}
		ts, err := e.tokens(ctx)
		if err != nil {
			return err
		}
		secret, err := server.NewToken(ctx, ts, *name, r, time.Now())
		if errors.Is(err, server.ErrInvalid) {
			return usagef("%v", err)
		}
		if err != nil {
			return err
		}
		// The secret goes to stdout once and nowhere else: not into the
		// log line, not into the store (which keeps its hash).
		fmt.Fprintln(e.stdout, secret)
		e.log.Info("token created", "name", *name, "role", string(r))
		return nil
	case "list":
		if *name != "" || *role != "" {
			return usagef("list takes no --name or --role")
		}
		ts, err := e.tokens(ctx)
		if err != nil {
			return err
		}
		all, err := ts.Tokens(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tROLE\tCREATED\tREVOKED")
		for _, t := range all {
			revoked := "-"
			if !t.RevokedAt.IsZero() {
				revoked = t.RevokedAt.UTC().Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.Name, t.Role, t.CreatedAt.UTC().Format(time.RFC3339), revoked)
		}
		return tw.Flush()
	case "revoke":
		if *name == "" {
			return usagef("revoke needs --name")
		}
		ts, err := e.tokens(ctx)
		if err != nil {
			return err
		}
		if err := ts.RevokeToken(ctx, *name, time.Now()); err != nil {
			return err
		}
		e.log.Info("token revoked", "name", *name)
		return nil
	}
	return usagef("unknown token command %q: want create, list or revoke", fs.Arg(0))
}

// The http.Server's limits. WriteTimeout is above the server's own
// 30-second bound on a request's work, so that a slow report ends with
// its problem rather than a cut connection.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 2 * time.Minute
	maxHeaderBytes    = 64 << 10
	// shutdownTimeout bounds the wait for in-flight requests after a
	// signal; then the remaining connections are closed.
	shutdownTimeout = 40 * time.Second
	// pgConns is the connection pool on PostgreSQL.
	pgConns = 8
)

// runServe is "books serve": the web pages and the JSON API until SIGINT
// or SIGTERM, then a graceful shutdown.
func runServe(ctx context.Context, e *env, args []string) error {
	fs := e.flags("serve", "[--addr 127.0.0.1:8080] [--tls-cert FILE --tls-key FILE] [--rate N] [--insecure]")
	addr := fs.String("addr", "127.0.0.1:8080", "listen address; port 0 picks a free port")
	certFile := fs.String("tls-cert", "", "TLS certificate (PEM); with --tls-key, serve HTTPS")
	keyFile := fs.String("tls-key", "", "TLS private key (PEM)")
	rate := fs.Float64("rate", 0, "requests per second each token may make, bursts of twice that (default 50)")
	insecure := fs.Bool("insecure", false, "allow plain HTTP on an address that is not loopback (tokens cross the network in clear)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usagef("serve takes no arguments")
	}
	if (*certFile == "") != (*keyFile == "") {
		return usagef("--tls-cert and --tls-key go together")
	}
	if *rate < 0 {
		return usagef("--rate must be positive")
	}
	tls := *certFile != ""
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return usagef("--addr: %v", err)
	}
	if !loopback(host) && !tls {
		if !*insecure {
			return usagef("--addr %s is not a loopback address: serve it with --tls-cert and --tls-key, or accept plain HTTP with --insecure", *addr)
		}
		e.log.Warn("serving plain HTTP on an address that is not loopback: tokens and session cookies cross the network in clear", "addr", *addr)
	}
	ts, err := e.tokens(ctx)
	if err != nil {
		return err
	}
	if ps, ok := e.store.(*postgres.Store); ok {
		// Concurrent requests queue for a few connections rather than each
		// opening a backend: PostgreSQL allows 100 by default, and posts to
		// one book serialize on its chain head anyway (see docs/BENCHMARKS.md,
		// "books serve").
		ps.DB().SetMaxOpenConns(pgConns)
	}
	// One ledger serves every book, each converting at its own rates.
	l := ledger.New(e.store, &ledger.Options{RatesFor: batch.RatesFor(e.store)})
	srv, err := server.New(server.Config{
		Ledger:    l,
		Tokens:    ts,
		Payroll:   func(ctx context.Context, book string) (*payroll.Runs, error) { return e.payrollRuns(ctx, book) },
		Partners:  func(ctx context.Context, book string) (*partners.Parties, error) { return e.parties(ctx, book) },
		HR:        e.hr,
		Logger:    e.log,
		RateLimit: *rate,
		// Ready pings the store with an empty read transaction.
		Ready: func(ctx context.Context) error { return e.store.View(ctx, func(ledger.ReadTx) error { return nil }) },
	})
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	scheme := "http"
	if tls {
		scheme = "https"
	}
	where := scheme + "://" + ln.Addr().String() + "/"
	fmt.Fprintf(os.Stderr, "books serve: listening on %s\n", where)
	e.log.Info("serving", "url", where, "db", redactDSN(batch.DB(e.db)))

	served := make(chan error, 1)
	go func() {
		if tls {
			served <- hs.ServeTLS(ln, *certFile, *keyFile)
		} else {
			served <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-served: // a listener that failed, a certificate that did not load
		return err
	case <-e.stop.Done():
	}
	// Every write is one transaction, so a request cut short leaves
	// nothing half-posted; still, in-flight requests are let finish.
	e.log.Info("shutting down: finishing in-flight requests", "timeout", shutdownTimeout.String())
	srv.Drain()
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		hs.Close()
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	e.log.Info("stopped")
	return nil
}

// loopback reports whether host (of a listen address) is a loopback
// address, reachable only from this machine. An empty host listens on
// every interface; a name other than localhost could resolve anywhere.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// redactDSN hides the password of a postgres:// DSN for the log.
func redactDSN(dsn string) string {
	if !strings.Contains(dsn, "://") {
		return dsn // a SQLite file
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "(a DSN that does not parse)"
	}
	return u.Redacted()
}
