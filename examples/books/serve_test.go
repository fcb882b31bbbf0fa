package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// serving is a `books serve` running as a subprocess.
type serving struct {
	t    *testing.T
	cmd  *exec.Cmd
	url  string // http://127.0.0.1:PORT, no trailing slash
	mu   sync.Mutex
	logs strings.Builder // its stderr
	done chan struct{}   // closed when it has exited
	code int
}

// serve starts `books serve --addr 127.0.0.1:0 args...` in dir and waits
// for the URL it prints. The process is killed at cleanup if it still runs.
func serve(t *testing.T, dir string, args ...string) *serving {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "BOOKS_DB=")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &serving{t: t, cmd: cmd, done: make(chan struct{})}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			if u, ok := strings.CutPrefix(line, "books serve: listening on "); ok {
				urls <- strings.TrimSuffix(u, "/")
			}
			s.mu.Lock()
			s.logs.WriteString(line + "\n")
			s.mu.Unlock()
		}
		_ = cmd.Wait()
		s.code = cmd.ProcessState.ExitCode()
		close(s.done)
	}()
	t.Cleanup(func() {
		select {
		case <-s.done:
		default:
			_ = cmd.Process.Kill()
			<-s.done
		}
	})
	select {
	case s.url = <-urls:
	case <-s.done:
		t.Fatalf("books serve exited %d before listening:\n%s", s.code, s.stderr())
	case <-time.After(30 * time.Second):
		t.Fatalf("books serve printed no URL in 30 s:\n%s", s.stderr())
	}
	return s
}

func (s *serving) stderr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logs.String()
}

// stop sends SIGTERM and returns the exit code.
func (s *serving) stop() int {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.t.Fatal(err)
	}
	return s.wait()
}

// wait waits for the process to exit and returns its exit code.
func (s *serving) wait() int {
	s.t.Helper()
	select {
	case <-s.done:
		return s.code
	case <-time.After(60 * time.Second):
		s.t.Fatalf("books serve did not exit in 60 s:\n%s", s.stderr())
		return -1
	}
}

// do makes a request with a bearer token (none if empty) and returns the
// status and body.
func (s *serving) do(method, path, token, key, body string) (int, string) {
	s.t.Helper()
	req, err := http.NewRequest(method, s.url+path, strings.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// entryBody is a balanced entry: amount cents from the bank to revenue.
func entryBody(cents int) string {
	return fmt.Sprintf(`{"date":"2026-03-10","description":"served","lines":[`+
		`{"account":"1120","debit":"%d.%02d"},{"account":"4100","credit":"%d.%02d"}]}`, cents/100, cents%100, cents/100, cents%100)
}

// newToken runs `books token create` and returns the secret.
func newToken(t *testing.T, dir, name, role string) string {
	t.Helper()
	r := ok(t, dir, "token", "create", "--name", name, "--role", role)
	secret := strings.TrimSpace(r.stdout)
	if !strings.HasPrefix(secret, "bo_") || strings.Contains(secret, "\n") {
		t.Fatalf("token create printed %q, want one secret", r.stdout)
	}
	if strings.Contains(r.stderr, secret) || !strings.Contains(r.stderr, name) {
		t.Fatalf("token create logged %q: want the name and never the secret", r.stderr)
	}
	return secret
}

func TestServeTokens(t *testing.T) {
	dir := t.TempDir()
	ok(t, dir, "init")
	anna := newToken(t, dir, "anna", "accountant")
	vera := newToken(t, dir, "vera", "viewer")

	for _, tt := range []struct {
		name string
		args []string
		code int
		want string // in stderr
	}{
		{"duplicate name", []string{"token", "create", "--name", "anna", "--role", "viewer"}, 1, "exists"},
		{"bad role", []string{"token", "create", "--name", "bob", "--role", "owner"}, 2, "--role"},
		{"bad name", []string{"token", "create", "--name", "bob smith", "--role", "viewer"}, 2, "token name"},
		{"no role", []string{"token", "create", "--name", "bob"}, 2, "--role"},
		{"revoke unknown", []string{"token", "revoke", "--name", "bob"}, 1, "not found"},
		{"no subcommand", []string{"token"}, 2, "create, list or revoke"},
		{"not loopback", []string{"serve", "--addr", "0.0.0.0:0"}, 2, "--insecure"},
		{"cert without key", []string{"serve", "--tls-cert", "c.pem"}, 2, "go together"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := books(t, dir, tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", r.code, r.stderr, tt.code, tt.want)
			}
		})
	}

	list := ok(t, dir, "token", "list").stdout
	for _, secret := range []string{anna, vera} {
		h := sha256.Sum256([]byte(secret))
		if strings.Contains(list, secret) || strings.Contains(list, hex.EncodeToString(h[:])) {
			t.Errorf("token list shows a secret or a hash:\n%s", list)
		}
	}
	if !strings.Contains(list, "anna  accountant") || !strings.Contains(list, "vera  viewer") {
		t.Errorf("token list:\n%s", list)
	}

	s := serve(t, dir)
	if code, body := s.do("GET", "/healthz", "", "", ""); code != http.StatusOK {
		t.Errorf("/healthz: %d %s", code, body)
	}
	if code, body := s.do("GET", "/readyz", "", "", ""); code != http.StatusOK {
		t.Errorf("/readyz: %d %s", code, body)
	}
	if code, _ := s.do("GET", "/api/v1/books", "", "", ""); code != http.StatusUnauthorized {
		t.Errorf("without a token: %d, want 401", code)
	}
	if code, _ := s.do("GET", "/api/v1/books", "bo_not-a-token", "", ""); code != http.StatusUnauthorized {
		t.Errorf("with an unknown token: %d, want 401", code)
	}
	if code, body := s.do("GET", "/api/v1/books", vera, "", ""); code != http.StatusOK || !strings.Contains(body, `"id":"main"`) {
		t.Errorf("books as vera: %d %s", code, body)
	}
	if code, body := s.do("POST", "/api/v1/books/main/entries", vera, "v-1", entryBody(100)); code != http.StatusForbidden {
		t.Errorf("post as viewer: %d %s, want 403", code, body)
	}
	if code, body := s.do("POST", "/api/v1/books/main/entries", anna, "a-1", entryBody(100)); code != http.StatusCreated || !strings.Contains(body, `"actor":"anna"`) {
		t.Errorf("post as anna: %d %s", code, body)
	}

	// Revoked from another process while the server runs: the next
	// request with it is refused.
	ok(t, dir, "token", "revoke", "--name", "vera")
	if code, _ := s.do("GET", "/api/v1/books", vera, "", ""); code != http.StatusUnauthorized {
		t.Errorf("with a revoked token: %d, want 401", code)
	}
	ok(t, dir, "token", "revoke", "--name", "vera") // again: a no-op
	list = ok(t, dir, "token", "list").stdout
	for _, line := range strings.Split(strings.TrimSpace(list), "\n")[1:] {
		f := strings.Fields(line)
		if len(f) != 4 || (f[0] == "vera") == (f[3] == "-") {
			t.Errorf("token list line %q: want vera, and only vera, revoked", line)
		}
	}

	if code := s.stop(); code != 0 {
		t.Errorf("serve exited %d after SIGTERM:\n%s", code, s.stderr())
	}
	logs := s.stderr()
	if strings.Contains(logs, anna) || strings.Contains(logs, vera) {
		t.Errorf("a secret in the server's log:\n%s", logs)
	}
	if !strings.Contains(logs, "actor=anna") {
		t.Errorf("no request logged with its actor:\n%s", logs)
	}
}

// TestServeShutdown sends SIGTERM during a burst of posts: the server
// exits 0, every post it acknowledged is in the book exactly once, and
// the book verifies.
func TestServeShutdown(t *testing.T) {
	dir := t.TempDir()
	ok(t, dir, "init")
	anna := newToken(t, dir, "anna", "accountant")
	s := serve(t, dir, "--rate", "100000")

	const workers = 8
	var (
		acked   sync.Map // key → true, for every 2xx
		nAcked  atomic.Int64
		refused atomic.Int64 // posts that found the server gone
		wg      sync.WaitGroup
		sent    = make(chan struct{})
		once    sync.Once
	)
	client := &http.Client{Timeout: 30 * time.Second}
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				key := fmt.Sprintf("burst-%d-%d", w, i)
				req, _ := http.NewRequest("POST", s.url+"/api/v1/books/main/entries", strings.NewReader(entryBody(100+i)))
				req.Header.Set("Authorization", "Bearer "+anna)
				req.Header.Set("Idempotency-Key", key)
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					refused.Add(1)
					return // the server is gone (or going): stop
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				switch {
				case resp.StatusCode == http.StatusCreated || resp.StatusCode == http.StatusOK:
					acked.Store(key, true)
					if nAcked.Add(1) == 200 {
						once.Do(func() { close(sent) })
					}
				default:
					t.Errorf("post %s: %d %s", key, resp.StatusCode, b)
					return
				}
			}
		}()
	}
	select {
	case <-sent:
	case <-time.After(60 * time.Second):
		t.Fatalf("fewer than 200 posts acknowledged in 60 s:\n%s", s.stderr())
	}
	if code := s.stop(); code != 0 {
		t.Errorf("serve exited %d after SIGTERM:\n%s", code, s.stderr())
	}
	wg.Wait()
	t.Logf("%d posts acknowledged, %d workers found the server gone", nAcked.Load(), refused.Load())

	// Every acknowledged key is in the book exactly once.
	ok(t, dir, "export", "entries", "--format", "json", "-o", "entries.json")
	data, err := os.ReadFile(filepath.Join(dir, "entries.json"))
	if err != nil {
		t.Fatal(err)
	}
	var entries []struct {
		Key string `json:"key"`
	}
	if err := json.Unmarshal(data, &entries); err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, e := range entries {
		seen[e.Key]++
	}
	acked.Range(func(k, _ any) bool {
		if n := seen[k.(string)]; n != 1 {
			t.Errorf("acknowledged post %s is in the book %d times", k, n)
		}
		return true
	})
	for k, n := range seen {
		if n != 1 {
			t.Errorf("key %s in the book %d times", k, n)
		}
	}
	if int64(len(entries)) < nAcked.Load() {
		t.Errorf("%d entries in the book, %d posts acknowledged", len(entries), nAcked.Load())
	}
	// No entry half-written: the chain and the balances verify.
	if v := ok(t, dir, "verify"); !strings.Contains(v.stdout, "main: ok") {
		t.Errorf("verify: %s", v.stdout)
	}
}

// TestServeConverts: an entry in USD posted through the API to a book with
// exchange rates gets its base amounts at the book's rate (0.90 EUR to the
// dollar on 1 March), or keeps the base the request gives.
func TestServeConverts(t *testing.T) {
	dir := t.TempDir()
	ok(t, dir, "init")
	rates := filepath.Join(dir, "rates.csv")
	if err := os.WriteFile(rates, []byte("date,from,to,rate\n2026-03-01,USD,EUR,0.90\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ok(t, dir, "fx", "import", rates)
	anna := newToken(t, dir, "anna", "accountant")
	s := serve(t, dir)
	body := `{"date":"2026-03-10","lines":[{"account":"1120","debit":"100.00","currency":"USD"},{"account":"4100","credit":"100.00","currency":"USD"}]}`
	code, resp := s.do("POST", "/api/v1/books/main/entries", anna, "usd-1", body)
	if code != http.StatusCreated || !strings.Contains(resp, `"base":{"amount":"90.00","currency":"EUR"}`) ||
		!strings.Contains(resp, `"base":{"amount":"-90.00","currency":"EUR"}`) {
		t.Errorf("post in USD: %d %s, want base amounts of ±90.00 EUR", code, resp)
	}
	body = `{"date":"2026-03-10","lines":[{"account":"1120","debit":"100.00","currency":"USD","base":"91.50"},{"account":"4100","credit":"91.50"}]}`
	code, resp = s.do("POST", "/api/v1/books/main/entries", anna, "usd-2", body)
	if code != http.StatusCreated || !strings.Contains(resp, `"base":{"amount":"91.50","currency":"EUR"}`) {
		t.Errorf("post with a given base: %d %s", code, resp)
	}
	s.stop()
}
