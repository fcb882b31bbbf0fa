package postgres_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/postgres"
)

// recorder keeps the statements a store sends, with their arguments, while on.
type recorder struct {
	mu sync.Mutex
	on bool
	qs []recorded
}

type recorded struct {
	sql  string
	args []any
}

func (r *recorder) record(q string, args []driver.NamedValue) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.on {
		return
	}
	vs := make([]any, len(args))
	for i, a := range args {
		vs[i] = a.Value
	}
	r.qs = append(r.qs, recorded{q, vs})
}

// start clears the record and starts recording; stop stops and returns it.
func (r *recorder) start() { r.mu.Lock(); r.on, r.qs = true, nil; r.mu.Unlock() }

func (r *recorder) stop() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.on = false
	return r.qs
}

// recConnector hands out lib/pq connections that tell a recorder every
// query and statement they run directly (not prepared ones, such as COPY).
type recConnector struct {
	driver.Connector
	r *recorder
}

func (c recConnector) Connect(ctx context.Context) (driver.Conn, error) {
	cn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return recConn{cn, c.r}, nil
}

// recConn passes every method lib/pq's connection has on to it.
type recConn struct {
	driver.Conn
	r *recorder
}

func (c recConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	c.r.record(q, args)
	return c.Conn.(driver.QueryerContext).QueryContext(ctx, q, args)
}

func (c recConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	c.r.record(q, args)
	return c.Conn.(driver.ExecerContext).ExecContext(ctx, q, args)
}

func (c recConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	return c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, q)
}

func (c recConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c recConn) CheckNamedValue(nv *driver.NamedValue) error {
	return c.Conn.(driver.NamedValueChecker).CheckNamedValue(nv)
}

func (c recConn) ResetSession(ctx context.Context) error {
	return c.Conn.(driver.SessionResetter).ResetSession(ctx)
}

func (c recConn) IsValid() bool { return c.Conn.(driver.Validator).IsValid() }

func (c recConn) Ping(ctx context.Context) error { return c.Conn.(driver.Pinger).Ping(ctx) }

// TestQueryPlans fills a book with 200 accounts and 50,000 postings, then
// records the SQL the store sends for the ledger's everyday reads and has
// PostgreSQL EXPLAIN each statement with the arguments it was sent with: no
// plan may scan bo_entries, bo_postings or bo_totals sequentially, as a
// book's reads must not grow with its history.
func TestQueryPlans(t *testing.T) {
	if testing.Short() {
		t.Skip("fills a book of 50,000 postings")
	}
	dsn := newSchema(t)
	ctx := context.Background()
	plain := openStore(t, dsn) // migrates; EXPLAINs run on it
	conn, err := pq.NewConnector(dsn)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	db := sqlx.NewDb(sql.OpenDB(recConnector{conn, rec}), "postgres")
	s := postgres.New(db)
	t.Cleanup(func() { s.Close() })
	l := ledger.New(s, nil)

	if err := l.CreateBook(ctx, ledger.Book{ID: "A", Name: "Plans", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	const naccts = 200
	accts := make([]ledger.Account, naccts)
	for i := range accts {
		accts[i] = ledger.Account{Book: "A", Code: fmt.Sprint(1000 + i), Name: "Account", Type: ledger.AccountType(1 + i%5)}
	}
	if err := l.CreateAccounts(ctx, accts...); err != nil {
		t.Fatal(err)
	}
	const (
		nentries = 25000 // two postings each
		chunk    = 5000
	)
	first := date.New(2025, 1, 1)
	for lo := 0; lo < nentries; lo += chunk {
		es := make([]ledger.Entry, chunk)
		for j := range es {
			i := lo + j
			a := money.New(int64(100+i%997), money.EUR)
			es[j] = ledger.Entry{
				Book: "A", Key: fmt.Sprintf("e/%d", i), Date: first.AddDays(i * 730 / nentries),
				Voucher: fmt.Sprintf("V-%d", i/5), Description: "plan",
				Lines: []ledger.Line{
					ledger.Debit(accts[i%naccts].Code, a),
					ledger.Credit(accts[(i*7+3)%naccts].Code, a),
				},
			}
			if i%naccts == (i*7+3)%naccts {
				es[j].Lines[1].Account = accts[(i+1)%naccts].Code
			}
		}
		if _, err := l.PostBatch(ctx, es); err != nil {
			t.Fatal(err)
		}
	}
	mustExec(t, plain.DB().DB, "ANALYZE bo_entries, bo_postings, bo_dims, bo_totals, bo_balances")

	// The check can fail: on this book, a query no index serves is
	// planned as a sequential scan.
	if plan := explain(t, plain.DB().DB, recorded{"SELECT count(*) FROM bo_postings WHERE memo = $1", []any{"x"}}); !strings.Contains(plan, "Seq Scan on bo_postings") {
		t.Errorf("a query on bo_postings.memo is planned without a sequential scan:\n%s", plan)
	}

	page1, err := l.Entries(ctx, "A", ledger.EntryQuery{Account: "1042", Limit: 50})
	if err != nil || len(page1) != 50 {
		t.Fatalf("Entries on 1042: %d entries, %v; want 50", len(page1), err)
	}
	for _, op := range []struct {
		name string
		run  func() error
	}{
		{"EntriesByAccount", func() error {
			_, err := l.Entries(ctx, "A", ledger.EntryQuery{Account: "1042", Limit: 50})
			return err
		}},
		{"EntriesByAccountNextPage", func() error {
			_, err := l.Entries(ctx, "A", ledger.EntryQuery{Account: "1042", After: page1[49].Seq, Limit: 50})
			return err
		}},
		{"EntriesByVoucher", func() error {
			ps, err := l.Entries(ctx, "A", ledger.EntryQuery{Voucher: "V-1234"})
			if err == nil && len(ps) != 5 {
				err = fmt.Errorf("%d entries, want 5", len(ps))
			}
			return err
		}},
		{"EntriesByDate", func() error {
			_, err := l.Entries(ctx, "A", ledger.EntryQuery{From: date.New(2026, 3, 1), To: date.New(2026, 3, 31), Limit: 100})
			return err
		}},
		{"EntryByKey", func() error {
			_, err := l.EntryByKey(ctx, "A", "e/12345")
			return err
		}},
		{"EntryBySeq", func() error {
			_, err := l.Entry(ctx, "A", 12345)
			return err
		}},
		{"TotalsForMonth", func() error {
			_, err := l.Balances(ctx, "A", ledger.BalanceQuery{From: date.New(2026, 3, 1), To: date.New(2026, 3, 31)})
			return err
		}},
		{"TotalsForAccountMidMonth", func() error {
			_, err := l.Balance(ctx, "A", "1042", date.New(2026, 3, 15))
			return err
		}},
	} {
		t.Run(op.name, func(t *testing.T) {
			rec.start()
			err := op.run()
			qs := rec.stop()
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, q := range qs {
				if !strings.Contains(q.sql, "bo_entries") && !strings.Contains(q.sql, "bo_postings") && !strings.Contains(q.sql, "bo_totals") {
					continue
				}
				n++
				plan := explain(t, plain.DB().DB, q)
				for _, table := range []string{"bo_entries", "bo_postings", "bo_totals"} {
					if strings.Contains(plan, "Seq Scan on "+table) {
						t.Errorf("sequential scan of %s in the plan of\n%s\n%v\n%s", table, q.sql, q.args, plan)
					}
				}
			}
			if n == 0 {
				t.Errorf("recorded no query of bo_entries, bo_postings or bo_totals among %d statements", len(qs))
			}
		})
	}
}

// explain returns PostgreSQL's plan for q, planned with q's arguments.
func explain(t *testing.T, db *sql.DB, q recorded) string {
	t.Helper()
	rows, err := db.Query("EXPLAIN (FORMAT TEXT) "+q.sql, q.args...)
	if err != nil {
		t.Fatalf("EXPLAIN %s: %v", q.sql, err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
