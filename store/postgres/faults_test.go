package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/store/postgres"
)

// faultBatch is the size of the PostBatch the faults hit: large enough to
// run for about a second, so that a fault lands while it is in flight.
const faultBatch = 20000

// strike says when a fault lands: as soon as the batch's connection is seen
// executing a statement that starts with query (a LIKE pattern over
// pg_stat_activity.query). The COPYs take most of a batch's time; the
// upserts of the maintained totals and the commit (with its deferred chain
// check) take milliseconds, and a strike that misses them lands too late
// or not at all.
type strike struct {
	phase, query string
}

var (
	copyEntries  = strike{"CopyEntries", `COPY "bo_entries"%`}
	copyPostings = strike{"CopyPostings", `COPY "bo_postings"%`}
	upsertTotals = strike{"UpsertTotals", `INSERT INTO bo_totals%`}
	commit       = strike{"Commit", `COMMIT`}
)

// hangAfter is how long a batch may take to return after a fault before the
// test calls it hung. A batch that is not hung returns within milliseconds.
const hangAfter = 20 * time.Second

// TestFaults breaks a large PostBatch while its transaction is writing:
// the caller cancels its context, the caller closes the pool, or the server
// drops the connection. The batch must be all or nothing: either it failed
// and left no trace (head, entries, postings, dimensions, balances and
// totals as before), or the fault came too late and every entry landed. It
// must return promptly either way. Afterwards Verify passes and a new store
// handle posts again.
//
// Closing the pool is the odd one: database/sql's DB.Close closes idle
// connections only and lets a transaction in flight run to its end, so the
// batch commits whole however early the close comes. What must hold is all
// or nothing, and that the closed store refuses the next write.
func TestFaults(t *testing.T) {
	testDSN(t)
	for _, tc := range []struct {
		name string
		// inject breaks the batch running on store bs under ctx cancel;
		// pid is its server process.
		inject func(t *testing.T, admin *sql.DB, bs *postgres.Store, cancel context.CancelFunc, pid int)
		// mustFail: a fault that lands mid-flight fails the batch; else
		// the batch may finish (a hit is then a fault while in flight).
		mustFail bool
		// strikes are the attempts. A cancel during COPY races in the
		// client (database/sql rolls back on the connection the COPY is
		// using), so it is tried several times; a failed batch is cheap.
		// A closed pool lets every batch land, which makes each attempt
		// dearer.
		strikes []strike
	}{
		{"CancelContext", func(t *testing.T, _ *sql.DB, _ *postgres.Store, cancel context.CancelFunc, _ int) {
			cancel()
		}, true, []strike{
			copyEntries, copyPostings, copyEntries, copyPostings, copyEntries, copyPostings,
			copyEntries, copyPostings, copyEntries, copyPostings, upsertTotals, commit,
		}},
		{"ClosePool", func(t *testing.T, _ *sql.DB, bs *postgres.Store, _ context.CancelFunc, _ int) {
			if err := bs.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		}, false, []strike{copyPostings, commit}},
		{"TerminateBackend", func(t *testing.T, admin *sql.DB, _ *postgres.Store, _ context.CancelFunc, pid int) {
			var ok bool
			if err := admin.QueryRow("SELECT pg_terminate_backend($1)", pid).Scan(&ok); err != nil {
				t.Errorf("pg_terminate_backend: %v", err)
			} else if !ok {
				t.Errorf("pg_terminate_backend(%d) found no such process", pid)
			}
		}, true, []strike{copyEntries, copyPostings, upsertTotals, commit}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			// Some history first, with dimensions and a closed period, so
			// that "unchanged" covers every table.
			f.post(move("seed/1", date.New(2025, 12, 1), "1000", "4000", eur("10.00")))
			e := move("seed/2", date.New(2025, 12, 2), "1200", "4000", eur("5.00"))
			e.Lines[0].Dimensions = map[string]string{"cc": "10"}
			f.post(e)
			if err := f.l.ClosePeriod(f.ctx, "A", 2025, 12); err != nil {
				t.Fatal(err)
			}
			hits := 0
			for _, st := range tc.strikes {
				injected, refused := faultAttempt(t, f, st, tc.inject)
				if injected && (refused || !tc.mustFail) {
					hits++
				}
			}
			if hits == 0 {
				t.Errorf("none of %d attempts hit the batch mid-flight", len(tc.strikes))
			}
			verify(t, f.s, nil)
			// A new handle posts and the book verifies.
			fresh := f.reopen()
			l := ledger.New(fresh, nil)
			before := stateOf(t, fresh)
			p, err := l.Post(f.ctx, move("after", date.New(2026, 7, 1), "1000", "3000", eur("1.00")))
			if err != nil {
				t.Fatalf("Post on a new handle: %v", err)
			}
			if p.Seq != before.Head.Seq+1 {
				t.Errorf("Post on a new handle: seq %d, want %d", p.Seq, before.Head.Seq+1)
			}
			verify(t, fresh, nil)
		})
	}
}

// faultAttempt runs one large PostBatch on a store of its own and breaks it
// with inject when st's statement is seen running on the server. It reports
// whether the fault was injected while the batch ran, and whether the batch
// failed and wrote nothing; a batch that landed despite the fault must have
// landed whole. The store is closed afterwards, and a write through it must
// fail and write nothing.
func faultAttempt(t *testing.T, f *fixture, st strike, inject func(*testing.T, *sql.DB, *postgres.Store, context.CancelFunc, int)) (injected, refused bool) {
	t.Helper()
	app := uniqueName("bo_fault_")
	bs, err := postgres.Open(f.ctx, withParam(t, f.dsn, "application_name", app))
	if err != nil {
		t.Fatal(err)
	}
	defer bs.Close()
	admin := f.s.DB().DB
	before := stateOf(t, f.s)

	ctx, cancel := context.WithCancel(f.ctx)
	defer cancel()
	batch := bigBatch(faultBatch, app)
	done := make(chan error, 1)
	go func() {
		_, err := ledger.New(bs, nil).PostBatch(ctx, batch)
		done <- err
	}()

	var (
		perr     error
		finished bool
	)
	deadline := time.Now().Add(hangAfter)
poll:
	for time.Now().Before(deadline) {
		select {
		case perr = <-done:
			finished = true
			break poll
		default:
		}
		var pid int
		err := admin.QueryRowContext(f.ctx, `SELECT pid FROM pg_stat_activity
			WHERE application_name = $1 AND state = 'active' AND query LIKE $2 LIMIT 1`, app, st.query).Scan(&pid)
		if err == sql.ErrNoRows {
			continue
		}
		if err != nil {
			t.Fatalf("poll pg_stat_activity: %v", err)
		}
		inject(t, admin, bs, cancel, pid)
		injected = true
		break
	}
	if !finished {
		select {
		case perr = <-done:
		case <-time.After(hangAfter):
			t.Errorf("%s: PostBatch did not return within %v of the fault (injected: %v)\n%s", st.phase, hangAfter, injected, hangReport(f.ctx, admin, app))
			// Free the stuck connection, so that the batch returns.
			admin.ExecContext(f.ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", app)
			select {
			case perr = <-done:
			case <-time.After(hangAfter):
				t.Fatalf("%s: PostBatch still hung after its backend was terminated", st.phase)
			}
		}
	}

	after := stateOf(t, f.s)
	switch after.Head.Seq {
	case before.Head.Seq:
		if perr == nil {
			t.Errorf("%s: PostBatch returned nil but posted nothing", st.phase)
		}
		unchanged(t, f.s, before)
		refused = true
		t.Logf("%s: batch refused (%v), nothing written", st.phase, perr)
	case before.Head.Seq + faultBatch:
		if after.Entries != before.Entries+faultBatch || after.Postings != before.Postings+2*faultBatch {
			t.Errorf("%s: head moved by the batch but entries %d→%d, postings %d→%d",
				st.phase, before.Entries, after.Entries, before.Postings, after.Postings)
		}
		t.Logf("%s: the whole batch landed (fault injected while running: %v); PostBatch returned %v", st.phase, injected, perr)
	default:
		t.Errorf("%s: half-written: head %d, was %d, batch of %d (err %v)", st.phase, after.Head.Seq, before.Head.Seq, faultBatch, perr)
	}

	// The store that was broken refuses to write once closed.
	bs.Close()
	after = stateOf(t, f.s)
	if _, err := ledger.New(bs, nil).Post(f.ctx, move("", date.New(2026, 7, 2), "1000", "3000", eur("1.00"))); err == nil {
		t.Errorf("%s: Post on a closed store succeeded", st.phase)
	}
	unchanged(t, f.s, after)
	return injected, refused
}

// hangReport describes a hung batch: its backends and every goroutine.
func hangReport(ctx context.Context, admin *sql.DB, app string) string {
	var b strings.Builder
	rows, err := admin.QueryContext(ctx, "SELECT pid, state, wait_event_type, wait_event, query FROM pg_stat_activity WHERE application_name = $1", app)
	if err == nil {
		for rows.Next() {
			var (
				pid              int
				state, wt, we, q sql.NullString
			)
			if rows.Scan(&pid, &state, &wt, &we, &q) == nil {
				fmt.Fprintf(&b, "backend %d %s %s/%s: %.100s\n", pid, state.String, wt.String, we.String, q.String)
			}
		}
		rows.Close()
	}
	pprof.Lookup("goroutine").WriteTo(&b, 2)
	return b.String()
}
