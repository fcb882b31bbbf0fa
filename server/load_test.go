package server_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/server"
	"github.com/openbackoffice/backoffice/store/postgres"
	"github.com/openbackoffice/backoffice/store/sqlite"
)

// The load test and benchmarks: many API clients posting at once through
// a real HTTP server on the loopback interface, against the SQL stores.
//
//	BACKOFFICE_TEST_LOAD=1 go test -run TestLoad -v ./server
//	go test -run '^$' -bench BenchmarkLoad ./server
//
// BACKOFFICE_TEST_LOAD_SECONDS (default 30) and BACKOFFICE_TEST_LOAD_CLIENTS
// (default 200) size TestLoad; BACKOFFICE_TEST_POSTGRES adds PostgreSQL.

// loadStore is what a load runs against: a ledger store that also keeps
// the tokens.
type loadStore interface {
	ledger.Store
	server.TokenStore
}

// loadBackends are the stores under load. PostgreSQL skips without
// BACKOFFICE_TEST_POSTGRES.
var loadBackends = []struct {
	name string
	open func(tb testing.TB) loadStore
}{
	{"sqlite", loadSQLite},
	{"postgres", loadPostgres},
}

// loadSQLite opens a SQLite store in a new file.
func loadSQLite(tb testing.TB) loadStore {
	s, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "load.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// loadPostgres opens a migrated PostgreSQL store in a schema of its own,
// dropped at cleanup.
func loadPostgres(tb testing.TB) loadStore {
	dsn := os.Getenv("BACKOFFICE_TEST_POSTGRES")
	if dsn == "" {
		tb.Skip("BACKOFFICE_TEST_POSTGRES is not set")
	}
	ctx := context.Background()
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "bo_load_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("postgres", dsn)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	s, err := postgres.Open(ctx, u.String())
	if err != nil {
		tb.Fatal(err)
	}
	// The pool books serve sets: well below PostgreSQL's max_connections (100
	// by default), with 200 clients queueing in database/sql rather than
	// each holding a backend.
	s.DB().SetMaxOpenConns(envInt("BACKOFFICE_TEST_LOAD_PGCONNS", 8))
	tb.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	return s
}

// loadServer serves store over loopback HTTP with the book "load" (EUR,
// the default chart) and returns the server's URL, the ledger and an
// accountant's token. Rate limits are off: the clients are the load.
func loadServer(tb testing.TB, store loadStore, book string) (string, *ledger.Ledger, string) {
	tb.Helper()
	ctx := context.Background()
	l := ledger.New(store, nil)
	if err := l.CreateBook(ctx, ledger.Book{ID: book, Name: "Load Ltd", Currency: money.EUR}); err != nil {
		tb.Fatal(err)
	}
	if err := l.CreateAccounts(ctx, ledger.DefaultChart(book)...); err != nil {
		tb.Fatal(err)
	}
	token, err := server.NewToken(ctx, store, "loader", server.Accountant, time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	srv, err := server.New(server.Config{Ledger: l, Tokens: store, RateLimit: 1e9, RateBurst: 1e9,
		Ready: func(ctx context.Context) error { return store.View(ctx, func(ledger.ReadTx) error { return nil }) }})
	if err != nil {
		tb.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler()) // 127.0.0.1
	tb.Cleanup(ts.Close)
	return ts.URL, l, token
}

// loadPairs are the debit and credit accounts of the posted entries.
var loadPairs = [][2]string{{"1120", "4100"}, {"1110", "4100"}, {"6200", "1120"}, {"6400", "1120"}, {"1200", "4100"}, {"1120", "1200"}}

// loadBody is a balanced entry on a day of 2026.
func loadBody(rng *mrand.Rand) string {
	p := loadPairs[rng.IntN(len(loadPairs))]
	cents := 100 + rng.IntN(1_000_000)
	amt := fmt.Sprintf("%d.%02d", cents/100, cents%100)
	day := date.MustParse("2026-01-01").AddDays(rng.IntN(365))
	return fmt.Sprintf(`{"date":%q,"description":"load","lines":[{"account":%q,"debit":%q},{"account":%q,"credit":%q}]}`,
		day.String(), p[0], amt, p[1], amt)
}

// loadStats is what a load saw.
type loadStats struct {
	requests  int             // HTTP requests made
	created   int             // 201s: posts that were new
	replayed  int             // 200s: a key posted before, answered with its entry
	failed    map[string]int  // other outcomes: status code or transport error
	wrongSeq  int             // a retry answered with another entry than the first
	latencies []time.Duration // of every request
	acked     map[string]uint64
	elapsed   time.Duration
}

func (s *loadStats) percentile(q float64) time.Duration {
	if len(s.latencies) == 0 {
		return 0
	}
	return s.latencies[int(q*float64(len(s.latencies)-1))]
}

// runLoad runs clients closed-loop API clients against base, each posting
// entries under keys of its own while next says so. A tenth of the
// acknowledged posts are sent again (a client that lost the answer), and
// one post in fifty is sent twice at once (a client that retried too
// early); both must give the first entry.
func runLoad(tb testing.TB, base, book, token string, clients int, next func() bool) *loadStats {
	tb.Helper()
	tr := &http.Transport{MaxIdleConns: 2 * clients, MaxIdleConnsPerHost: 2 * clients, MaxConnsPerHost: 0}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 2 * time.Minute}
	endpoint := base + "/api/v1/books/" + book + "/entries"

	type answer struct {
		status int
		seq    uint64
		err    string
	}
	post := func(key, body string) (answer, time.Duration) {
		req, _ := http.NewRequest("POST", endpoint, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", key)
		t0 := time.Now()
		resp, err := hc.Do(req)
		if err != nil {
			return answer{err: "transport: " + err.Error()}, time.Since(t0)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		d := time.Since(t0)
		a := answer{status: resp.StatusCode}
		if resp.StatusCode/100 == 2 {
			var e struct {
				Seq uint64 `json:"seq"`
			}
			if err := json.Unmarshal(b, &e); err != nil || e.Seq == 0 {
				a.err = "undecodable answer"
			}
			a.seq = e.Seq
		}
		return a, d
	}

	total := &loadStats{failed: map[string]int{}, acked: map[string]uint64{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	t0 := time.Now()
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := mrand.New(mrand.NewPCG(uint64(c), 21))
			st := &loadStats{failed: map[string]int{}, acked: map[string]uint64{}}
			record := func(key string, a answer, d time.Duration) {
				st.requests++
				st.latencies = append(st.latencies, d)
				switch {
				case a.err != "":
					st.failed[a.err]++
				case a.status == http.StatusCreated || a.status == http.StatusOK:
					if a.status == http.StatusCreated {
						st.created++
					} else {
						st.replayed++
					}
					if first, ok := st.acked[key]; ok && first != a.seq {
						st.wrongSeq++
					} else {
						st.acked[key] = a.seq
					}
				default:
					st.failed[strconv.Itoa(a.status)]++
				}
			}
			for i := 0; next(); i++ {
				key, body := fmt.Sprintf("load-%03d-%07d", c, i), loadBody(rng)
				if rng.IntN(50) == 0 { // twice at once
					var twin answer
					var twinD time.Duration
					done := make(chan struct{})
					go func() { twin, twinD = post(key, body); close(done) }()
					a, d := post(key, body)
					<-done
					record(key, a, d)
					record(key, twin, twinD)
					continue
				}
				a, d := post(key, body)
				record(key, a, d)
				if a.err == "" && a.status/100 == 2 && rng.IntN(10) == 0 { // the answer "lost": again
					a, d := post(key, body)
					record(key, a, d)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			total.requests += st.requests
			total.created += st.created
			total.replayed += st.replayed
			total.wrongSeq += st.wrongSeq
			total.latencies = append(total.latencies, st.latencies...)
			for k, n := range st.failed {
				total.failed[k] += n
			}
			for k, seq := range st.acked {
				total.acked[k] = seq
			}
		}()
	}
	wg.Wait()
	total.elapsed = time.Since(t0)
	slices.Sort(total.latencies)
	return total
}

// checkBook checks the book after a load: every acknowledged key is in it
// exactly once, under the sequence number its answer named (none lost);
// it holds no entry but those (none doubled); its chain and balances
// verify.
func checkBook(tb testing.TB, l *ledger.Ledger, book string, st *loadStats) {
	tb.Helper()
	ctx := context.Background()
	head, err := l.Verify(ctx, book)
	if err != nil {
		tb.Fatalf("verify after the load: %v", err)
	}
	all, err := l.Entries(ctx, book, ledger.EntryQuery{})
	if err != nil {
		tb.Fatal(err)
	}
	seen := make(map[string]int, len(all))
	seqOf := make(map[string]uint64, len(all))
	for _, p := range all {
		seen[p.Key]++
		seqOf[p.Key] = p.Seq
	}
	lost, doubled := 0, 0
	for k, seq := range st.acked {
		if seen[k] != 1 || seqOf[k] != seq {
			lost++
			if lost <= 5 {
				tb.Errorf("acknowledged key %s (entry %d) is in the book %d times (entry %d)", k, seq, seen[k], seqOf[k])
			}
		}
	}
	for _, n := range seen {
		if n > 1 {
			doubled += n - 1
		}
	}
	extra := len(all) - len(st.acked)
	if lost != 0 || doubled != 0 || st.wrongSeq != 0 || uint64(len(all)) != head.Seq || (extra != 0 && len(st.failed) == 0) {
		tb.Errorf("lost %d, doubled %d, retries answered with another entry %d, entries %d, head %d, acknowledged keys %d",
			lost, doubled, st.wrongSeq, len(all), head.Seq, len(st.acked))
	}
	if len(st.failed) > 0 {
		tb.Errorf("failed requests: %v", st.failed)
	}
}

func (s *loadStats) summary(clients int) string {
	return fmt.Sprintf("%d clients, %.1f s: %d requests (%d new posts, %d replays), %d keys acknowledged, %.0f posts/s, %.0f requests/s; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms; failed %v",
		clients, s.elapsed.Seconds(), s.requests, s.created, s.replayed, len(s.acked),
		float64(len(s.acked))/s.elapsed.Seconds(), float64(s.requests)/s.elapsed.Seconds(),
		ms(s.percentile(0.50)), ms(s.percentile(0.99)), ms(s.percentile(1)), s.failed)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// TestLoad runs 200 API clients for 30 seconds against each SQL store and
// checks that no acknowledged post is lost or doubled. It reports
// throughput and latency; it asserts nothing about time.
func TestLoad(t *testing.T) {
	if testing.Short() || os.Getenv("BACKOFFICE_TEST_LOAD") != "1" {
		t.Skip("set BACKOFFICE_TEST_LOAD=1 to run the load test (not with -short)")
	}
	clients := envInt("BACKOFFICE_TEST_LOAD_CLIENTS", 200)
	dur := time.Duration(envInt("BACKOFFICE_TEST_LOAD_SECONDS", 30)) * time.Second
	for _, be := range loadBackends {
		t.Run(be.name, func(t *testing.T) {
			store := be.open(t)
			base, l, token := loadServer(t, store, "load")
			deadline := time.Now().Add(dur)
			st := runLoad(t, base, "load", token, clients, func() bool { return time.Now().Before(deadline) })
			t.Logf("%s: %s", be.name, st.summary(clients))
			checkBook(t, l, "load", st)
		})
	}
}

// BenchmarkLoad posts b.N entries through 200 concurrent API clients
// (plus the retries of runLoad) and reports posts/s and the latency of a
// request.
func BenchmarkLoad(b *testing.B) {
	clients := envInt("BACKOFFICE_TEST_LOAD_CLIENTS", 200)
	for _, be := range loadBackends {
		b.Run(be.name, func(b *testing.B) {
			store := be.open(b)
			base, l, token := loadServer(b, store, "load")
			var started atomic.Int64
			n := int64(b.N)
			b.ResetTimer()
			st := runLoad(b, base, "load", token, clients, func() bool { return started.Add(1) <= n })
			b.StopTimer()
			checkBook(b, l, "load", st)
			b.ReportMetric(float64(len(st.acked))/st.elapsed.Seconds(), "posts/s")
			b.ReportMetric(ms(st.percentile(0.50)), "p50-ms")
			b.ReportMetric(ms(st.percentile(0.99)), "p99-ms")
		})
	}
}

// BenchmarkLoadReportPage times report pages (HTML, over loopback HTTP)
// of a SQLite book with 1,000,000 postings: 500,000 two-line entries over
// 2025 and 2026, bulk-loaded with PostBatch in chunks of 10,000 (not
// timed). It reports the 50th and 95th percentile of the requests; run it
// with -benchtime=50x for the p95 of 50 requests.
func BenchmarkLoadReportPage(b *testing.B) {
	ctx := context.Background()
	store := loadSQLite(b)
	base, l, token := loadServer(b, store, "big")
	const entries, chunk = 500_000, 10_000
	t0 := time.Now()
	rng := mrand.New(mrand.NewPCG(1, 2))
	start := date.MustParse("2025-01-01")
	batch := make([]ledger.Entry, 0, chunk)
	for i := range entries {
		p := loadPairs[rng.IntN(len(loadPairs))]
		amt := money.New(int64(100+rng.IntN(1_000_000)), money.EUR)
		batch = append(batch, ledger.Entry{Book: "big", Date: start.AddDays(i * 730 / entries), Description: "bulk",
			Lines: []ledger.Line{ledger.Debit(p[0], amt), ledger.Credit(p[1], amt)}})
		if len(batch) == chunk {
			posted, err := l.PostBatch(ctx, batch)
			if err != nil {
				b.Fatal(err)
			}
			if last := posted[len(posted)-1].Seq; last != uint64(i+1) {
				b.Fatalf("entry %d posted as %d", i+1, last)
			}
			batch = batch[:0]
		}
	}
	b.Logf("%d postings loaded in %.1f s", 2*entries, time.Since(t0).Seconds())
	hc := &http.Client{Timeout: time.Minute}
	for _, page := range []string{"trial-balance", "balance-sheet"} {
		b.Run(page, func(b *testing.B) {
			var lat []time.Duration
			for b.Loop() {
				req, _ := http.NewRequest("GET", base+"/books/big/reports/"+page, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				t1 := time.Now()
				resp, err := hc.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				lat = append(lat, time.Since(t1))
				if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "<table") {
					b.Fatalf("GET %s: %d", page, resp.StatusCode)
				}
			}
			slices.Sort(lat)
			b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
			b.ReportMetric(ms(lat[int(0.95*float64(len(lat)-1))]), "p95-ms")
		})
	}
}
