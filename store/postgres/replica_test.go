package postgres_test

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/jmoiron/sqlx"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/reporting"
	"github.com/openbackoffice/backoffice/store/postgres"
)

// replicaDSN returns the DSN of a hot standby of the test server, or skips
// the test. .ci/run makes one (.ci/pg-replica) and sets the variable.
func replicaDSN(t testing.TB) string {
	dsn := os.Getenv("BACKOFFICE_TEST_POSTGRES_REPLICA")
	if dsn == "" {
		t.Skip("BACKOFFICE_TEST_POSTGRES_REPLICA is not set")
	}
	return dsn
}

// replayTimeout bounds how long the test waits for the standby to replay
// what the primary wrote.
const replayTimeout = 2 * time.Minute

// waitForReplay waits until the standby has replayed the primary's WAL as
// far as it was written when waitForReplay was called.
func waitForReplay(t testing.TB, primary, standby *sql.DB) {
	t.Helper()
	ctx := context.Background()
	var lsn string
	if err := primary.QueryRowContext(ctx, "SELECT pg_current_wal_lsn()::text").Scan(&lsn); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(replayTimeout)
	for {
		var done bool
		err := standby.QueryRowContext(ctx, "SELECT COALESCE(pg_last_wal_replay_lsn() >= $1::pg_lsn, false)", lsn).Scan(&done)
		if err != nil {
			t.Fatal(err)
		}
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the standby has not replayed the primary's WAL up to %s in %v", lsn, replayTimeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// schemaOf returns the search_path newSchema put into dsn.
func schemaOf(t testing.TB, dsn string) string {
	t.Helper()
	if i := strings.Index(dsn, " search_path="); i >= 0 {
		return dsn[i+len(" search_path="):]
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("search_path")
}

// TestReplica reads reports on a hot standby of the test server through
// Store.Replica: they equal the primary's once the standby has replayed;
// while it lags, writes and the idempotency of a re-post still go to the
// primary, and Position says how far the standby is.
func TestReplica(t *testing.T) {
	rdsn := replicaDSN(t)
	f := newFixture(t)
	ctx := f.ctx

	standby, err := sqlx.Open("postgres", rdsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { standby.Close() })
	var inRecovery bool
	if err := standby.QueryRowContext(ctx, "SELECT pg_is_in_recovery()").Scan(&inRecovery); err != nil {
		t.Fatal(err)
	}
	if !inRecovery {
		t.Fatal("BACKOFFICE_TEST_POSTGRES_REPLICA names a server that is not a standby (pg_is_in_recovery() is false)")
	}
	// Lagging pauses the standby's replay. Another run of this test doing
	// the same would make this one's lag come and go: one run at a time
	// (the lock goes with the connection), and a pause that a killed run
	// left behind is lifted.
	lock, err := f.s.DB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lock.ExecContext(ctx, "SELECT pg_advisory_lock(20005)"); err != nil {
		lock.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		lock.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(20005)")
		lock.Close()
	})
	mustExec(t, standby.DB, "SELECT pg_wal_replay_resume()")

	s, err := postgres.OpenWithReplica(ctx, f.dsn, withSearchPath(t, rdsn, schemaOf(t, f.dsn)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	primary, replica := ledger.New(s, nil), ledger.New(s.Replica(), nil)

	for i, e := range []ledger.Entry{
		move("r/1", date.New(2026, 1, 5), "1000", "4000", eur("100.00")),
		move("r/2", date.New(2026, 1, 20), "1200", "4000", eur("250.50")),
		move("r/3", date.New(2026, 2, 3), "1000", "1200", eur("200.00")),
		move("r/4", date.New(2026, 2, 28), "1000", "3000", eur("75.25")),
	} {
		if _, err := primary.Post(ctx, e); err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
	}
	waitForReplay(t, f.s.DB().DB, standby.DB)

	t.Run("Reports", func(t *testing.T) {
		now := func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }
		opts := reporting.Options{From: date.New(2026, 1, 1), To: date.New(2026, 2, 28), Now: now}
		for _, tt := range []struct {
			name  string
			build func(src reporting.Source) (reporting.Report, error)
		}{
			{"TrialBalance", func(src reporting.Source) (reporting.Report, error) {
				return reporting.TrialBalance(ctx, src, "A", opts)
			}},
			{"TrialBalanceMonthly", func(src reporting.Source) (reporting.Report, error) {
				o := opts
				o.Compare = reporting.Monthly
				return reporting.TrialBalance(ctx, src, "A", o)
			}},
			{"IncomeStatement", func(src reporting.Source) (reporting.Report, error) {
				return reporting.IncomeStatement(ctx, src, "A", opts)
			}},
			{"BalanceSheet", func(src reporting.Source) (reporting.Report, error) {
				return reporting.BalanceSheet(ctx, src, "A", opts)
			}},
			{"GeneralLedger", func(src reporting.Source) (reporting.Report, error) {
				return reporting.GeneralLedger(ctx, src, "A", opts)
			}},
			{"AccountStatement", func(src reporting.Source) (reporting.Report, error) {
				return reporting.AccountStatement(ctx, src, "A", "1000", opts)
			}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				want, err := tt.build(primary)
				if err != nil {
					t.Fatalf("on the primary: %v", err)
				}
				got, err := tt.build(replica)
				if err != nil {
					t.Fatalf("on the standby: %v", err)
				}
				if len(want.Rows) == 0 {
					t.Fatal("the primary's report has no rows")
				}
				if diff := cmp.Diff(got, want, cmpopts.EquateComparable(date.Date{}, money.Amount{}, money.Currency{})); diff != "" {
					t.Errorf("standby's report differs from the primary's (-standby +primary):\n%s", diff)
				}
			})
		}
	})

	t.Run("Position", func(t *testing.T) {
		head := stateOf(t, f.s).Head.Seq
		got, err := s.Replica().Position(ctx, "A")
		if err != nil {
			t.Fatal(err)
		}
		if got.Head != head || !got.Standby || got.LSN == "" || got.Replayed.IsZero() {
			t.Errorf("standby's Position = %+v, want head %d, Standby, an LSN and a replay time", got, head)
		}
		got, err = s.Position(ctx, "A")
		if err != nil {
			t.Fatal(err)
		}
		if got.Head != head || got.Standby || got.LSN == "" || !got.Replayed.IsZero() {
			t.Errorf("primary's Position = %+v, want head %d, not Standby, an LSN, no replay time", got, head)
		}
		_, err = s.Replica().Position(ctx, "NOPE")
		wantIs(t, "Position(NOPE)", err, ledger.ErrUnknownBook)
	})

	t.Run("Lagging", func(t *testing.T) {
		before := stateOf(t, f.s).Head.Seq
		waitForReplay(t, f.s.DB().DB, standby.DB)
		mustExec(t, standby.DB, "SELECT pg_wal_replay_pause()")
		resumed := false
		resume := func() {
			if !resumed {
				resumed = true
				mustExec(t, standby.DB, "SELECT pg_wal_replay_resume()")
			}
		}
		defer resume()

		// A post through the replica's ledger is written on the primary.
		e := move("r/lag", date.New(2026, 2, 28), "1200", "4000", eur("9.99"))
		p, err := replica.Post(ctx, e)
		if err != nil {
			t.Fatalf("Post through the replica's store: %v", err)
		}
		if p.Seq != before+1 {
			t.Fatalf("posted as %d, want %d", p.Seq, before+1)
		}
		if got, err := primary.EntryByKey(ctx, "A", e.Key); err != nil || got.Seq != p.Seq {
			t.Fatalf("the primary has %+v, %v; want entry %d", got, err, p.Seq)
		}
		// The standby does not have it yet: reads there lag.
		_, err = replica.EntryByKey(ctx, "A", e.Key)
		wantIs(t, "EntryByKey on the paused standby", err, ledger.ErrNotFound)
		pos, err := s.Replica().Position(ctx, "A")
		if err != nil {
			t.Fatal(err)
		}
		if pos.Head != before {
			t.Errorf("paused standby's Position.Head = %d, want %d", pos.Head, before)
		}
		// A re-post finds the first one on the primary, through either
		// store, and posts nothing.
		for _, l := range []*ledger.Ledger{replica, primary} {
			again, err := l.Post(ctx, e)
			if err != nil {
				t.Fatalf("re-post: %v", err)
			}
			if again.Seq != p.Seq || again.Hash != p.Hash {
				t.Errorf("re-post returned entry %d, want the first, %d", again.Seq, p.Seq)
			}
		}
		e.Lines = e.Lines[:0]
		e.Lines = append(e.Lines, ledger.Debit("1200", eur("1.00")), ledger.Credit("4000", eur("1.00")))
		_, err = replica.Post(ctx, e)
		wantIs(t, "re-post of another payload", err, ledger.ErrConflict)
		if got := stateOf(t, f.s).Head.Seq; got != p.Seq {
			t.Errorf("primary's head after the re-posts = %d, want %d", got, p.Seq)
		}

		resume()
		waitForReplay(t, f.s.DB().DB, standby.DB)
		pos, err = s.Replica().Position(ctx, "A")
		if err != nil {
			t.Fatal(err)
		}
		if pos.Head != p.Seq {
			t.Errorf("standby's Position.Head after replay = %d, want %d", pos.Head, p.Seq)
		}
		if got, err := replica.EntryByKey(ctx, "A", e.Key); err != nil || got.Seq != p.Seq {
			t.Errorf("EntryByKey on the standby after replay: %+v, %v; want entry %d", got, err, p.Seq)
		}
	})

	t.Run("Snapshot", func(t *testing.T) {
		// The package documentation's recipe for a report as of one
		// position: one REPEATABLE READ, READ ONLY transaction on the
		// standby, through InTx.
		waitForReplay(t, f.s.DB().DB, standby.DB)
		tx, err := s.ReplicaDB().BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		snap := s.InTx(tx)
		pos, err := snap.Position(ctx, "A")
		if err != nil {
			t.Fatal(err)
		}
		if head := stateOf(t, f.s).Head.Seq; pos.Head != head || !pos.Standby {
			t.Errorf("Position in the snapshot = %+v, want head %d on the standby", pos, head)
		}
		opts := reporting.Options{To: date.New(2026, 2, 28), Now: func() time.Time { return time.Unix(0, 0) }}
		for _, build := range []func(reporting.Source) (reporting.Report, error){
			func(src reporting.Source) (reporting.Report, error) {
				return reporting.TrialBalance(ctx, src, "A", opts)
			},
			func(src reporting.Source) (reporting.Report, error) {
				return reporting.GeneralLedger(ctx, src, "A", opts)
			},
		} {
			want, err := build(primary)
			if err != nil {
				t.Fatal(err)
			}
			got, err := build(ledger.New(snap, nil))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(got, want, cmpopts.EquateComparable(date.Date{}, money.Amount{}, money.Currency{})); diff != "" {
				t.Errorf("%s in the snapshot differs from the primary's (-snapshot +primary):\n%s", want.Kind, diff)
			}
		}
	})

	t.Run("InTx", func(t *testing.T) {
		// The caller's transaction is the caller's: Replica leaves a Store
		// bound to it as it is, and it reads its own uncommitted writes.
		tx, err := s.DB().BeginTxx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		in := s.InTx(tx.Tx)
		if in.Replica() != in {
			t.Error("Replica of a Store bound to a transaction is another Store")
		}
		l := ledger.New(in.Replica(), nil)
		p, err := l.Post(ctx, move("r/tx", date.New(2026, 2, 28), "1000", "4000", eur("1.00")))
		if err != nil {
			t.Fatal(err)
		}
		got, err := l.EntryByKey(ctx, "A", "r/tx")
		if err != nil || got.Seq != p.Seq {
			t.Errorf("EntryByKey inside the transaction: %+v, %v; want entry %d", got, err, p.Seq)
		}
		pos, err := in.Replica().Position(ctx, "A")
		if err != nil {
			t.Fatal(err)
		}
		if pos.Head != p.Seq || pos.Standby {
			t.Errorf("Position inside the transaction = %+v, want head %d on the primary", pos, p.Seq)
		}
	})

	t.Run("WithoutReplica", func(t *testing.T) {
		if f.s.Replica() != f.s {
			t.Error("Replica of a Store without one is another Store")
		}
		if f.s.ReplicaDB() != nil {
			t.Error("ReplicaDB of a Store without one is not nil")
		}
	})

	t.Run("Unreachable", func(t *testing.T) {
		_, err := postgres.OpenWithReplica(ctx, f.dsn, "postgres://postgres:secret@127.0.0.1:1/test?sslmode=disable&connect_timeout=2")
		if err == nil || !strings.Contains(err.Error(), "replica") {
			t.Errorf("OpenWithReplica with an unreachable replica: %v, want an error naming the replica", err)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("the error shows the password: %v", err)
		}
	})
}
