package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/lib/pq"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/store/internal/sqlstore"
)

// TestRetry checks Update's retry loop: serialization failures and
// deadlocks run the transaction again, a bounded number of times; any other
// SQLSTATE is returned at once, wrapped, the *pq.Error still reachable.
func TestRetry(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	for _, c := range []struct {
		name     string
		codes    []pq.ErrorCode // what fn fails with, call by call; then it succeeds
		calls    int
		wantCode pq.ErrorCode // "" for success
	}{
		{"SerializationThenOK", []pq.ErrorCode{"40001", "40001"}, 3, ""},
		{"DeadlockThenOK", []pq.ErrorCode{"40P01"}, 2, ""},
		{"Unknown", []pq.ErrorCode{"XX000"}, 1, "XX000"},
		{"UnknownAfterRetry", []pq.ErrorCode{"40001", "22P02"}, 2, "22P02"},
		{"Endless", repeat("40001", sqlstore.MaxAttempts+5), sqlstore.MaxAttempts, "40001"},
	} {
		t.Run(c.name, func(t *testing.T) {
			calls := 0
			err := s.Update(ctx, func(tx ledger.Tx) error {
				calls++
				if calls <= len(c.codes) {
					return &pq.Error{Code: c.codes[calls-1], Message: "injected"}
				}
				return nil
			})
			if calls != c.calls {
				t.Errorf("fn ran %d times, want %d", calls, c.calls)
			}
			switch {
			case c.wantCode == "" && err != nil:
				t.Errorf("Update = %v, want nil", err)
			case c.wantCode != "":
				var pe *pq.Error
				if !errors.As(err, &pe) || pe.Code != c.wantCode {
					t.Errorf("Update = %v, want the pq error %s", err, c.wantCode)
				}
			}
		})
	}
}

func repeat(code pq.ErrorCode, n int) []pq.ErrorCode {
	out := make([]pq.ErrorCode, n)
	for i := range out {
		out[i] = code
	}
	return out
}
