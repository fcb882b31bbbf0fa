package postgres_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/lib/pq"
	"github.com/lib/pq/pqerror"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/postgres"
)

// The helpers below serve the fault, guard and schema tests of this package;
// TestLedgerConformance needs none of them.

// openStore opens a store on dsn, migrates it and closes it at cleanup.
func openStore(t testing.TB, dsn string) *postgres.Store {
	t.Helper()
	ctx := context.Background()
	s, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// fixture is one test's world: a schema of its own, a store on it and a
// ledger over the store, with book "A" (EUR) and a few accounts.
type fixture struct {
	t   testing.TB
	ctx context.Context
	dsn string
	s   *postgres.Store
	l   *ledger.Ledger
}

// fixtureAccounts are the accounts of book "A": 1000 and 1200 assets, 3000
// a liability, 4000 revenue.
var fixtureAccounts = []ledger.Account{
	{Book: "A", Code: "1000", Name: "Bank", Type: ledger.Asset},
	{Book: "A", Code: "1200", Name: "Receivables", Type: ledger.Asset},
	{Book: "A", Code: "3000", Name: "Payables", Type: ledger.Liability},
	{Book: "A", Code: "4000", Name: "Revenue", Type: ledger.Revenue},
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	dsn := newSchema(t)
	f := &fixture{t: t, ctx: context.Background(), dsn: dsn}
	f.s = openStore(t, dsn)
	f.l = ledger.New(f.s, nil)
	if err := f.l.CreateBook(f.ctx, ledger.Book{ID: "A", Name: "Test", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	if err := f.l.CreateAccounts(f.ctx, fixtureAccounts...); err != nil {
		t.Fatal(err)
	}
	return f
}

// reopen returns a new store handle (a pool of its own) on the fixture's
// schema, closed at cleanup.
func (f *fixture) reopen() *postgres.Store {
	f.t.Helper()
	s, err := postgres.Open(f.ctx, f.dsn)
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { s.Close() })
	return s
}

// move is an entry of book "A" debiting dr and crediting cr with a.
func move(key string, d date.Date, dr, cr string, a money.Amount) ledger.Entry {
	return ledger.Entry{
		Book: "A", Key: key, Date: d, Description: "move " + key,
		Lines: []ledger.Line{ledger.Debit(dr, a), ledger.Credit(cr, a)},
	}
}

func eur(s string) money.Amount { return money.MustParse(s, money.EUR) }

// post posts e through the fixture's ledger.
func (f *fixture) post(e ledger.Entry) ledger.Posted {
	f.t.Helper()
	p, err := f.l.Post(f.ctx, e)
	if err != nil {
		f.t.Fatalf("Post(%q): %v", e.Key, err)
	}
	return p
}

// bookState is what a refused or failed write must leave unchanged.
type bookState struct {
	Head     ledger.Head
	Entries  int // rows in bo_entries
	Postings int // rows in bo_postings
	Dims     int // rows in bo_dims
	Events   int // rows in bo_period_events
	Balances []string
	Totals   string // digest of bo_totals
}

// stateOf reads book "A" through s.
func stateOf(t testing.TB, s *postgres.Store) bookState {
	t.Helper()
	ctx := context.Background()
	var st bookState
	err := s.View(ctx, func(tx ledger.ReadTx) error {
		var err error
		if st.Head, err = tx.Head(ctx, "A"); err != nil {
			return err
		}
		bals, err := tx.Balances(ctx, "A")
		if err != nil {
			return err
		}
		for _, b := range bals {
			st.Balances = append(st.Balances, b.Account+" "+b.Balance.String())
		}
		return nil
	})
	if err != nil {
		t.Fatalf("read state: %v", err)
	}
	for _, c := range []struct {
		n     *int
		table string
	}{{&st.Entries, "bo_entries"}, {&st.Postings, "bo_postings"}, {&st.Dims, "bo_dims"}, {&st.Events, "bo_period_events"}} {
		if err := s.DB().QueryRowContext(ctx, "SELECT count(*) FROM "+c.table).Scan(c.n); err != nil {
			t.Fatalf("count %s: %v", c.table, err)
		}
	}
	q := `SELECT coalesce(md5(string_agg(format('%s/%s/%s/%s/%s/%s/%s/%s', book, account, currency, level, bucket, closing, debit, credit), ';'
		ORDER BY book, account, currency, level, bucket, closing)), '') FROM bo_totals`
	if err := s.DB().QueryRowContext(ctx, q).Scan(&st.Totals); err != nil {
		t.Fatalf("digest bo_totals: %v", err)
	}
	return st
}

// unchanged fails t unless book "A" read through s is as before.
func unchanged(t testing.TB, s *postgres.Store, before bookState) {
	t.Helper()
	if diff := cmp.Diff(stateOf(t, s), before); diff != "" {
		t.Errorf("book changed (-got +want):\n%s", diff)
	}
}

// verify runs Ledger.Verify on book "A" through a ledger over s.
func verify(t testing.TB, s ledger.Store, opts *ledger.Options) ledger.Head {
	t.Helper()
	h, err := ledger.New(s, opts).Verify(context.Background(), "A")
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	return h
}

// wantCode fails t unless err is a pq error with the given SQLSTATE.
func wantCode(t testing.TB, what string, err error, code string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: succeeded, want SQLSTATE %s", what, code)
		return
	}
	if pq.As(err, pqerror.Code(code)) == nil {
		t.Errorf("%s: %v, want SQLSTATE %s", what, err, code)
	}
}

// wantIs fails t unless errors.Is(err, target).
func wantIs(t testing.TB, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: %v, want %v", what, err, target)
	}
}

// exec runs a statement on db and returns its error.
func exec(ctx context.Context, db interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, q string, args ...any) error {
	_, err := db.ExecContext(ctx, q, args...)
	return err
}

// bigBatch returns n balanced entries of book "A" (no keys), dated over
// January to June 2026.
func bigBatch(n int, tag string) []ledger.Entry {
	es := make([]ledger.Entry, n)
	first := date.New(2026, time.January, 1)
	codes := []string{"1000", "1200", "3000", "4000"}
	for i := range es {
		a := money.New(int64(100+i%9973), money.EUR)
		es[i] = ledger.Entry{
			Book: "A", Date: first.AddDays(i % 180), Description: fmt.Sprintf("%s %d", tag, i),
			Voucher: fmt.Sprintf("V-%s-%d", tag, i%50),
			Lines: []ledger.Line{
				ledger.Debit(codes[i%4], a),
				ledger.Credit(codes[(i+1)%4], a),
			},
		}
	}
	return es
}

// withParam returns dsn with one more connection parameter.
func withParam(t testing.TB, dsn, key, value string) string {
	t.Helper()
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set(key, value)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " " + key + "=" + value
}

// uniqueName returns prefix followed by random hex, for names that must not
// collide with those of other tests on the same server.
func uniqueName(prefix string) string {
	var b [6]byte
	rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}
