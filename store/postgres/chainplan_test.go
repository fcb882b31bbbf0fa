package postgres_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
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

// planLog keeps the plans auto_explain sends as notices, while on.
type planLog struct {
	mu    sync.Mutex
	plans []explained
	bad   []string // notices that looked like plans but did not parse
}

// explained is one plan as auto_explain logs it in JSON.
type explained struct {
	Query string   `json:"Query Text"`
	Plan  planNode `json:"Plan"`
}

// planNode is a node of a JSON plan, with the fields the checks read.
type planNode struct {
	Type      string     `json:"Node Type"`
	Relation  string     `json:"Relation Name"`
	Index     string     `json:"Index Name"`
	IndexCond string     `json:"Index Cond"`
	Filter    string     `json:"Filter"`
	Plans     []planNode `json:"Plans"`
}

func (l *planLog) notice(e *pq.Error) {
	// "duration: 0.123 ms  plan:\n{...}"
	_, js, ok := strings.Cut(e.Message, "plan:\n")
	if !ok {
		return
	}
	var p explained
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := json.Unmarshal([]byte(js), &p); err != nil {
		l.bad = append(l.bad, e.Message)
		return
	}
	l.plans = append(l.plans, p)
}

// take returns the plans logged since the last take.
func (l *planLog) take() ([]explained, []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ps, bad := l.plans, l.bad
	l.plans, l.bad = nil, nil
	return ps, bad
}

// explainedDSN returns dsn with auto_explain loaded into every session and
// logging every plan, nested statements (trigger functions) included, as a
// NOTICE in JSON to the client.
func explainedDSN(t *testing.T, dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("DSN is not a URL: %v", err)
	}
	q := u.Query()
	q.Set("session_preload_libraries", "auto_explain")
	q.Set("auto_explain.log_min_duration", "0")
	q.Set("auto_explain.log_nested_statements", "on")
	q.Set("auto_explain.log_format", "json")
	q.Set("auto_explain.log_level", "notice")
	q.Set("client_min_messages", "notice")
	u.RawQuery = q.Encode()
	return u.String()
}

// chainScans describes how a plan of the chain check reads bo_entries and
// bo_postings, one string per scan, and whether each scan is a range of the
// table's primary key on (book, seq): anything else (a sequential scan, or
// another index filtered on seq) reads the whole book.
func chainScans(n planNode, out []string, ok bool) ([]string, bool) {
	switch n.Relation {
	case "bo_entries", "bo_postings":
		s := n.Type + " on " + n.Relation
		switch n.Type {
		case "Index Scan", "Index Only Scan":
			s += " using " + n.Index + " (" + n.IndexCond + ")"
			ok = ok && n.Index == n.Relation+"_pkey" && strings.Contains(n.IndexCond, "seq")
		case "Bitmap Heap Scan":
			for _, c := range n.Plans {
				s += " over " + c.Type + " using " + c.Index + " (" + c.IndexCond + ")"
				ok = ok && c.Type == "Bitmap Index Scan" && c.Index == n.Relation+"_pkey" && strings.Contains(c.IndexCond, "seq")
			}
		default:
			ok = false
		}
		if n.Filter != "" {
			s += " filter (" + n.Filter + ")"
		}
		out = append(out, s)
		if n.Type == "Bitmap Heap Scan" {
			return out, ok
		}
	}
	for _, c := range n.Plans {
		out, ok = chainScans(c, out, ok)
	}
	return out, ok
}

// TestChainCheckPlanStaleStatistics posts a book the planner statistics have
// never seen (autovacuum off for bo_entries and bo_postings) in batches
// through PostBatch's COPY path, with auto_explain logging the plans of the
// commit-time chain check (bo_check_chain). Every read of bo_entries and
// bo_postings in those plans must be a range of the primary key on (book,
// seq). With the tables last analyzed while only another book existed,
// PostgreSQL 15 probed bo_postings through bo_postings_date (book, date),
// filtering on seq, once per entry of the stretch, and a commit read the
// book once per entry it added (docs/BENCHMARKS.md, books bench); the
// cases of tables analyzed empty or never analyzed keep the other states
// of stale statistics covered.
func TestChainCheckPlanStaleStatistics(t *testing.T) {
	if testing.Short() {
		t.Skip("posts 20,000 entries per case")
	}
	for _, tc := range []struct {
		name string
		// other: entries of book A posted, then analyzed, before book B.
		other   int
		analyze bool
	}{
		{"AnalyzedWithAnotherBook", 3000, true},
		{"AnalyzedEmpty", 0, true},
		{"NeverAnalyzed", 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) { testChainCheckPlan(t, tc.other, tc.analyze) })
	}
}

func testChainCheckPlan(t *testing.T, other int, analyze bool) {
	dsn := newSchema(t)
	ctx := context.Background()
	plain := openStore(t, dsn) // migrates
	db := plain.DB().DB
	for _, table := range []string{"bo_entries", "bo_postings"} {
		mustExec(t, db, "ALTER TABLE "+table+" SET (autovacuum_enabled = false)")
	}
	l := ledger.New(plain, nil)
	accts := func(book string) []ledger.Account {
		return []ledger.Account{
			{Book: book, Code: "1000", Name: "Bank", Type: ledger.Asset},
			{Book: book, Code: "4000", Name: "Revenue", Type: ledger.Revenue},
		}
	}
	entries := func(book string, lo, n int) []ledger.Entry {
		es := make([]ledger.Entry, n)
		for j := range es {
			i := lo + j
			a := money.New(int64(100+i%997), money.EUR)
			es[j] = ledger.Entry{
				Book: book, Key: fmt.Sprintf("e/%d", i), Date: date.New(2026, 1, 1).AddDays(i % 365),
				Description: "chain", Lines: []ledger.Line{ledger.Debit("1000", a), ledger.Credit("4000", a)},
			}
		}
		return es
	}
	for _, b := range []string{"A", "B"} {
		if err := l.CreateBook(ctx, ledger.Book{ID: b, Name: "Chain " + b, Currency: money.EUR}); err != nil {
			t.Fatal(err)
		}
		if err := l.CreateAccounts(ctx, accts(b)...); err != nil {
			t.Fatal(err)
		}
	}
	if other > 0 {
		if _, err := l.PostBatch(ctx, entries("A", 0, other)); err != nil {
			t.Fatal(err)
		}
	}
	if analyze {
		mustExec(t, db, "ANALYZE bo_entries, bo_postings")
	}

	logged := &planLog{}
	conn, err := pq.NewConnector(explainedDSN(t, dsn))
	if err != nil {
		t.Fatal(err)
	}
	xdb := sql.OpenDB(pq.ConnectorWithNoticeHandler(conn, logged.notice))
	if err := xdb.PingContext(ctx); err != nil {
		t.Fatalf("a session with auto_explain (contrib; the test's role must be allowed to preload it): %v", err)
	}
	s := postgres.New(sqlx.NewDb(xdb, "postgres"))
	t.Cleanup(func() { s.Close() })
	xl := ledger.New(s, nil)

	// Batches of 2,000 entries: 4,000 postings per COPY, below the
	// store's threshold for an ANALYZE after a COPY (analyzeIfGrown), so
	// the statistics never learn of book B.
	const (
		nentries = 20000
		chunk    = 2000
	)
	for lo := 0; lo < nentries; lo += chunk {
		logged.take()
		if _, err := xl.PostBatch(ctx, entries("B", lo, chunk)); err != nil {
			t.Fatal(err)
		}
		plans, bad := logged.take()
		for _, m := range bad {
			t.Errorf("a notice that is not a JSON plan: %.200s", m)
		}
		read := map[string]bool{}
		for _, p := range plans {
			if !strings.Contains(p.Query, "NEW.head_seq") {
				continue // not bo_check_chain's
			}
			scans, ok := chainScans(p.Plan, nil, true)
			for _, s := range scans {
				read[strings.Fields(strings.SplitN(s, " on ", 2)[1])[0]] = true
			}
			if !ok {
				t.Fatalf("batch at entry %d: the chain check reads the book otherwise than by its primary key:\n%s\nquery:\n%s",
					lo, strings.Join(scans, "\n"), p.Query)
			}
		}
		if !read["bo_entries"] || !read["bo_postings"] {
			t.Fatalf("batch at entry %d: no plan of the chain check read bo_entries and bo_postings among %d plans logged (read %v)", lo, len(plans), read)
		}
	}

	// The statistics still predate book B: the planner expects a small
	// fraction of its postings.
	var plan []byte
	if err := db.QueryRowContext(ctx, "EXPLAIN (FORMAT JSON) SELECT 1 FROM bo_postings WHERE book = 'B'").Scan(&plan); err != nil {
		t.Fatal(err)
	}
	var est []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		} `json:"Plan"`
	}
	if err := json.Unmarshal(plan, &est); err != nil || len(est) != 1 {
		t.Fatalf("EXPLAIN: %v\n%s", err, plan)
	}
	if got, actual := est[0].Plan.Rows, float64(2*nentries); got > actual/10 {
		t.Errorf("the planner expects %.0f postings of book B, of %.0f: the statistics know the book, the test tests nothing", got, actual)
	}
	if _, err := xl.Verify(ctx, "B"); err != nil {
		t.Errorf("Verify B: %v", err)
	}
}
