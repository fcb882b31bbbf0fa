package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/sqlite"
)

var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "closebatch-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "closebatch")
	args := []string{"build", "-o", bin}
	if raceBuild {
		args = append(args, "-race")
	}
	if out, err := exec.Command("go", append(args, ".")...).CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const nBooks = 30

// fixture writes a SQLite file with nBooks books of entries in March 2026
// and a books list naming them (and, if bad, a book that does not exist).
func fixture(t testing.TB, dir string, bad bool) (db, list string) {
	t.Helper()
	ctx := context.Background()
	db = filepath.Join(dir, "books.db")
	s, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	l := ledger.New(s, nil)
	var ids []string
	for i := range nBooks {
		id := fmt.Sprintf("b%03d", i)
		ids = append(ids, id)
		if err := l.CreateBook(ctx, ledger.Book{ID: id, Name: id, Currency: money.EUR}); err != nil {
			t.Fatal(err)
		}
		if err := l.CreateAccounts(ctx, ledger.DefaultChart(id)...); err != nil {
			t.Fatal(err)
		}
		var es []ledger.Entry
		for j := range 200 {
			a := money.New(int64(100+j), money.EUR)
			es = append(es, ledger.Entry{Book: id, Key: fmt.Sprint(j), Date: date.New(2026, 3, 1+j%31),
				Lines: []ledger.Line{ledger.Debit("1120", a), ledger.Credit("4100", a)}})
		}
		if _, err := l.PostBatch(ctx, es); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if bad {
		ids = append(ids[:5], append([]string{"nosuchbook"}, ids[5:]...)...)
	}
	list = filepath.Join(dir, "books.txt")
	if err := os.WriteFile(list, []byte("# books to close\n"+strings.Join(ids, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return db, list
}

type result struct {
	stdout, stderr string
	code           int
}

func closebatch(t testing.TB, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return r
}

// state is everything closing may change, per book: period states of 2026,
// the number of recorded period events per period, and the chain head.
func state(t testing.TB, db string) map[string]string {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	l := ledger.New(s, nil)
	all, err := l.Books(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st := map[string]string{}
	for _, b := range all {
		ps, err := l.Periods(ctx, b.ID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		evs, err := l.PeriodHistory(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		h, err := l.Verify(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		var sb strings.Builder
		for _, p := range ps {
			sb.WriteString(p.State.String()[:1])
		}
		fmt.Fprintf(&sb, " events=%d head=%d/%x", len(evs), h.Seq, h.Hash[:6])
		for _, ev := range evs {
			fmt.Fprintf(&sb, " %d/%d:%v", ev.FiscalYear, ev.Number, ev.State)
		}
		st[b.ID] = sb.String()
	}
	return st
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"--books", "x"}, {"--period", "2026-03"}, {"--books", "x", "--period", "March"}, {"--nope"}} {
		if r := closebatch(t, args...); r.code != 2 {
			t.Errorf("closebatch %v: exit %d, want 2\n%s", args, r.code, r.stderr)
		}
	}
}

// TestFailingBook: a book that fails is named and skipped, the others close,
// and a rerun changes nothing.
func TestFailingBook(t *testing.T) {
	db, list := fixture(t, t.TempDir(), true)
	r := closebatch(t, "--db", db, "--books", list, "--period", "2026-03", "--log-format", "json")
	if r.code != 1 || !strings.Contains(r.stderr, "1 books failed: nosuchbook") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, `"msg":"period closed"`) {
		t.Errorf("no JSON log lines:\n%s", r.stderr)
	}
	first := state(t, db)
	for id, s := range first {
		if !strings.HasPrefix(s, "ooc") || !strings.Contains(s, "events=1 ") {
			t.Errorf("book %s: %s", id, s)
		}
	}
	r = closebatch(t, "--db", db, "--books", list, "--period", "2026-03")
	if r.code != 1 || strings.Count(r.stderr, "already closed") != nBooks {
		t.Errorf("rerun: exit %d\n%s", r.code, r.stderr)
	}
	if diff := cmp.Diff(first, state(t, db)); diff != "" {
		t.Errorf("rerun changed the state (-first +second):\n%s", diff)
	}
}

// TestKillAndRerun kills the job with SIGKILL at random moments, reruns it
// until it finishes, and compares the result with an uninterrupted run.
func TestKillAndRerun(t *testing.T) {
	base := t.TempDir()
	db, list := fixture(t, base, false)
	// The uninterrupted run, on a copy.
	cleanDir := t.TempDir()
	cleanDB := filepath.Join(cleanDir, "books.db")
	copyFile(t, db, cleanDB)
	t0 := time.Now()
	if r := closebatch(t, "--db", cleanDB, "--books", list, "--period", "2026-03"); r.code != 0 {
		t.Fatalf("clean run: exit %d\n%s", r.code, r.stderr)
	}
	full := time.Since(t0)
	want := state(t, cleanDB)

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	kills := 0
	for attempt := 0; attempt < 8; attempt++ {
		cmd := exec.Command(bin, "--db", db, "--books", list, "--period", "2026-03")
		cmd.Stderr = io.Discard
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.Int64N(int64(full))))
		if err := cmd.Process.Signal(syscall.SIGKILL); err == nil {
			kills++
		}
		cmd.Wait()
	}
	if r := closebatch(t, "--db", db, "--books", list, "--period", "2026-03"); r.code != 0 {
		t.Fatalf("final run: exit %d\n%s", r.code, r.stderr)
	}
	t.Logf("%d SIGKILLs (uninterrupted run %v)", kills, full)
	if diff := cmp.Diff(want, state(t, db)); diff != "" {
		t.Errorf("killed and rerun differs from an uninterrupted run (-want +got):\n%s", diff)
	}
}

// TestTwoCopies starts two copies at once: both succeed, and every book is
// closed exactly once (one period event each).
func TestTwoCopies(t *testing.T) {
	db, list := fixture(t, t.TempDir(), false)
	var wg sync.WaitGroup
	res := make([]result, 2)
	for i := range res {
		wg.Go(func() { res[i] = closebatch(t, "--db", db, "--books", list, "--period", "2026-03") })
	}
	wg.Wait()
	closed := 0
	for i, r := range res {
		if r.code != 0 {
			t.Errorf("copy %d: exit %d\n%s", i, r.code, r.stderr)
		}
		closed += strings.Count(r.stderr, `msg="period closed"`)
	}
	t.Logf("copies reported %d closes for %d books", closed, nBooks)
	if closed != nBooks {
		t.Errorf("the copies claim %d closes of %d books:\n%s\n%s", closed, nBooks, res[0].stderr, res[1].stderr)
	}
	for id, s := range state(t, db) {
		if !strings.HasPrefix(s, "ooc") || !strings.Contains(s, "events=1 ") {
			t.Errorf("book %s: %s", id, s)
		}
	}
}

func copyFile(t testing.TB, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestInterrupt sends SIGINT: the job stops between books, says so, exits 1,
// and a rerun finishes the rest.
func TestInterrupt(t *testing.T) {
	db, list := fixture(t, t.TempDir(), false)
	cmd := exec.Command(bin, "--db", db, "--books", list, "--period", "2026-03")
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Signal once the job has said "closing", which it logs after it
	// handles SIGINT: on a loaded machine a fixed sleep can fire before the
	// handler is installed, and the default action kills the process.
	var errb bytes.Buffer
	started := make(chan struct{})
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		buf := make([]byte, 4096)
		once := false
		for {
			n, err := pipe.Read(buf)
			errb.Write(buf[:n])
			if !once && strings.Contains(errb.String(), "closing") {
				once = true
				close(started)
			}
			if err != nil {
				if !once {
					close(started)
				}
				return
			}
		}
	}()
	<-started
	time.Sleep(5 * time.Millisecond)
	cmd.Process.Signal(os.Interrupt)
	<-copied
	err = cmd.Wait()
	var ee *exec.ExitError
	switch {
	case err == nil:
		t.Log("the job finished before the signal")
	case errors.As(err, &ee) && ee.ExitCode() == 1 && strings.Contains(errb.String(), "interrupted"):
		t.Logf("interrupted: %s", errb.String()[strings.LastIndex(errb.String(), "closebatch:"):])
	default:
		t.Fatalf("after SIGINT: %v\n%s", err, errb.String())
	}
	if r := closebatch(t, "--db", db, "--books", list, "--period", "2026-03"); r.code != 0 {
		t.Fatalf("rerun: exit %d\n%s", r.code, r.stderr)
	}
	for id, s := range state(t, db) {
		if !strings.HasPrefix(s, "ooc") || !strings.Contains(s, "events=1 ") {
			t.Errorf("book %s: %s", id, s)
		}
	}
}
