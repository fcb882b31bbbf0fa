package postgres_test

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// guardFixture is a fixture with three entries (one with dimensions, all
// with keys) and a period event, so that every guarded table has rows.
func guardFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	f.post(move("k1", date.New(2026, 1, 10), "1000", "4000", eur("100.00")))
	e := move("k2", date.New(2026, 2, 10), "1200", "4000", eur("50.00"))
	e.Lines[0].Dimensions = map[string]string{"cc": "10", "project": "p1"}
	e.Voucher = "V-2"
	f.post(e)
	f.post(move("k3", date.New(2026, 2, 11), "3000", "1000", eur("20.00")))
	if err := f.l.ClosePeriod(f.ctx, "A", 2026, 1); err != nil {
		t.Fatal(err)
	}
	return f
}

// inTx runs fn in a transaction on db and rolls it back, whatever fn did:
// a guard that fails to refuse a statement must not spoil the next case.
func inTx(t *testing.T, db *sql.DB, fn func(tx *sql.Tx) error) error {
	t.Helper()
	tx, err := db.BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	return fn(tx)
}

// TestGuardsImmutable changes posted rows with raw SQL, around the library:
// the triggers of migrations/0002_guards.sql refuse every change with
// SQLSTATE BO001, and the book stays as posted.
func TestGuardsImmutable(t *testing.T) {
	f := guardFixture(t)
	before := stateOf(t, f.s)
	if before.Dims == 0 || before.Events == 0 {
		t.Fatalf("fixture has %d dimension rows and %d period events, want some of each", before.Dims, before.Events)
	}
	for _, tc := range []struct {
		name, stmt, code string // code: the SQLSTATE of the refusal
	}{
		{"UpdateEntryDescription", "UPDATE bo_entries SET description = 'changed' WHERE book = 'A' AND seq = 1", "BO001"},
		{"UpdateEntryKey", "UPDATE bo_entries SET key = NULL WHERE book = 'A' AND seq = 2", "BO001"},
		{"UpdateEntryHash", "UPDATE bo_entries SET hash = digest WHERE book = 'A'", "BO001"},
		{"DeleteLastEntry", "DELETE FROM bo_entries WHERE book = 'A' AND seq = 3", "BO001"},
		{"UpdatePostingAmount", "UPDATE bo_postings SET amount = amount * 2 WHERE book = 'A' AND seq = 1", "BO001"},
		{"UpdatePostingAccount", "UPDATE bo_postings SET account = '1200' WHERE book = 'A' AND seq = 1 AND line = 0", "BO001"},
		{"DeletePosting", "DELETE FROM bo_postings WHERE book = 'A' AND seq = 3 AND line = 1", "BO001"},
		{"UpdateDim", "UPDATE bo_dims SET value = 'other' WHERE book = 'A'", "BO001"},
		{"DeleteDim", "DELETE FROM bo_dims WHERE book = 'A'", "BO001"},
		{"UpdatePeriodEvent", "UPDATE bo_period_events SET state = 0 WHERE book = 'A'", "BO001"},
		{"DeletePeriodEvent", "DELETE FROM bo_period_events WHERE book = 'A'", "BO001"},
		{"TruncateEntries", "TRUNCATE bo_entries", "BO001"},
		{"TruncateEntriesCascade", "TRUNCATE bo_entries CASCADE", "BO001"},
		{"TruncatePostings", "TRUNCATE bo_postings", "BO001"},
		{"TruncatePostingsCascade", "TRUNCATE bo_postings CASCADE", "BO001"},
		// bo_dims and bo_period_events have row guards but no TRUNCATE
		// guard: TRUNCATE bo_period_events reopens closed and locked
		// periods, TRUNCATE bo_dims empties the dimension index, and
		// Verify notices neither.
		{"TruncateDims", "TRUNCATE bo_dims", "BO001"},
		{"TruncatePeriodEvents", "TRUNCATE bo_period_events", "BO001"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := inTx(t, f.s.DB().DB, func(tx *sql.Tx) error { return exec(f.ctx, tx, tc.stmt) })
			wantCode(t, tc.stmt, err, tc.code)
			unchanged(t, f.s, before)
			verify(t, f.s, nil)
		})
	}
	// The ledger still posts, and the closed period still refuses.
	_, err := f.l.Post(f.ctx, move("k4", date.New(2026, 1, 20), "1000", "4000", eur("1.00")))
	wantIs(t, "Post into the closed period", err, ledger.ErrPeriodClosed)
	f.post(move("k4", date.New(2026, 3, 1), "1000", "4000", eur("1.00")))
	verify(t, f.s, nil)
}

// forged is a stand-in for what a program writing entries around the
// library would insert: raw rows into bo_entries and bo_postings, and a move
// of the book's head.
type forged struct{ tx *sql.Tx }

func (g forged) moveHead(seq int64, hash []byte) error {
	return exec(context.Background(), g.tx, "UPDATE bo_books SET head_seq = $1, head_hash = $2 WHERE id = 'A'", seq, hash)
}

func (g forged) entry(seq int64, key any, hash []byte) error {
	return exec(context.Background(), g.tx, `INSERT INTO bo_entries (book, seq, key, date, description, voucher, journal, reverses, adjusts, metadata, recorded_at, digest, hash)
		VALUES ('A', $1, $2, '2026-03-01', 'forged', '', 'GL', 0, 0, NULL, now(), $3, $3)`, seq, key, hash)
}

// postings inserts one posting per amount (on 1000, 4000, 1000 …), all in
// one statement.
func (g forged) postings(seq int64, amounts ...string) error {
	var (
		b    strings.Builder
		args = []any{seq}
	)
	b.WriteString("INSERT INTO bo_postings (book, seq, line, account, currency, amount, memo, dims, date, closing) VALUES ")
	for i, a := range amounts {
		if i > 0 {
			b.WriteString(", ")
		}
		acct := "1000"
		if i%2 == 1 {
			acct = "4000"
		}
		args = append(args, i, acct, a)
		n := len(args)
		b.WriteString("('A', $1, $" + strconv.Itoa(n-2) + ", $" + strconv.Itoa(n-1) + ", 'EUR', $" + strconv.Itoa(n) + "::numeric, '', NULL, '2026-03-01', false)")
	}
	return exec(context.Background(), g.tx, b.String(), args...)
}

// hash32 returns 32 bytes filled with b.
func hash32(b byte) []byte {
	h := make([]byte, 32)
	for i := range h {
		h[i] = b
	}
	return h
}

// TestGuardsWritingAround inserts entries with raw SQL as a program writing
// around the library might: beyond the head, unbalanced, with too few
// lines, with a gap or a wrong head, with a key already taken. Each is
// refused, at its statement or at COMMIT, and the book is left as posted.
func TestGuardsWritingAround(t *testing.T) {
	f := guardFixture(t)
	before := stateOf(t, f.s)
	h := int64(before.Head.Seq)
	for _, tc := range []struct {
		name string
		// write returns the error of the statement the guard refuses, or
		// nil if every statement passed and the refusal is due at commit.
		write func(g forged) error
		code  string
	}{
		{"EntryBeyondHead", func(g forged) error {
			return g.entry(h+1, nil, hash32(1))
		}, "BO002"},
		{"EntriesBeyondMovedHead", func(g forged) error {
			if err := g.moveHead(h+1, hash32(1)); err != nil {
				return err
			}
			return exec(f.ctx, g.tx, `INSERT INTO bo_entries (book, seq, key, date, description, voucher, journal, reverses, adjusts, recorded_at, digest, hash)
				VALUES ('A', $1, NULL, '2026-03-01', 'x', '', 'GL', 0, 0, now(), $3, $3), ('A', $2, NULL, '2026-03-01', 'x', '', 'GL', 0, 0, now(), $3, $3)`, h+1, h+2, hash32(1))
		}, "BO002"},
		{"UnbalancedPostings", func(g forged) error {
			if err := g.moveHead(h+1, hash32(1)); err != nil {
				return err
			}
			if err := g.entry(h+1, nil, hash32(1)); err != nil {
				return err
			}
			return g.postings(h+1, "100.00", "-90.00")
		}, "BO003"},
		{"BalancedInTwoStatements", func(g forged) error {
			// Each statement must balance by itself: a later statement
			// could otherwise unbalance an entry committed before.
			if err := g.moveHead(h+1, hash32(1)); err != nil {
				return err
			}
			if err := g.entry(h+1, nil, hash32(1)); err != nil {
				return err
			}
			if err := g.postings(h+1, "100.00"); err != nil {
				return err
			}
			return exec(f.ctx, g.tx, "INSERT INTO bo_postings (book, seq, line, account, currency, amount, memo, date, closing) VALUES ('A', $1, 1, '4000', 'EUR', -100, '', '2026-03-01', false)", h+1)
		}, "BO003"},
		{"OneLine", func(g forged) error {
			// A single non-zero line cannot balance, so the statement
			// fails before the commit check would count the lines.
			if err := g.moveHead(h+1, hash32(1)); err != nil {
				return err
			}
			if err := g.entry(h+1, nil, hash32(1)); err != nil {
				return err
			}
			return g.postings(h+1, "100.00")
		}, "BO003"},
		{"NoLines", func(g forged) error {
			if err := g.moveHead(h+1, hash32(1)); err != nil {
				return err
			}
			return g.entry(h+1, nil, hash32(1))
		}, "BO003"},
		{"Gap", func(g forged) error {
			if err := g.moveHead(h+2, hash32(2)); err != nil {
				return err
			}
			if err := g.entry(h+2, nil, hash32(2)); err != nil {
				return err
			}
			return g.postings(h+2, "1.00", "-1.00")
		}, "BO004"},
		{"HeadHashMismatch", func(g forged) error {
			if err := g.moveHead(h+1, hash32(7)); err != nil {
				return err
			}
			if err := g.entry(h+1, nil, hash32(1)); err != nil {
				return err
			}
			return g.postings(h+1, "1.00", "-1.00")
		}, "BO004"},
		{"HeadMovedBack", func(g forged) error {
			return g.moveHead(h-1, hash32(0))
		}, "BO004"},
		{"DuplicateKey", func(g forged) error {
			if err := g.moveHead(h+1, hash32(1)); err != nil {
				return err
			}
			return g.entry(h+1, "k2", hash32(1))
		}, "23505"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := inTx(t, f.s.DB().DB, func(tx *sql.Tx) error {
				if err := tc.write(forged{tx}); err != nil {
					return err
				}
				return tx.Commit()
			})
			wantCode(t, tc.name, err, tc.code)
			unchanged(t, f.s, before)
			verify(t, f.s, nil)
		})
	}
	f.post(move("k4", date.New(2026, 3, 1), "1000", "4000", eur("1.00")))
	verify(t, f.s, nil)
}

// TestGuardsThroughStore appends forged entries through the store's own
// Tx, skipping the ledger's checks: the schema refuses them, and the
// store translates the SQLSTATE to the ledger's sentinel, keeping the
// *pq.Error in the chain.
func TestGuardsThroughStore(t *testing.T) {
	f := guardFixture(t)
	before := stateOf(t, f.s)
	h := before.Head
	posted := func(seq uint64, key string, lines ...ledger.Line) ledger.Posted {
		p := ledger.Posted{
			Entry:      ledger.Entry{Book: "A", Key: key, Date: date.New(2026, 3, 1), Description: "forged", Lines: lines},
			Seq:        seq,
			RecordedAt: time.Now().UTC().Truncate(time.Microsecond),
		}
		p.Hash[0] = byte(seq)
		return p
	}
	dr := func(s string) ledger.Line { return ledger.Debit("1000", eur(s)) }
	cr := func(s string) ledger.Line { return ledger.Credit("4000", eur(s)) }
	for _, tc := range []struct {
		name    string
		entries []ledger.Posted
		want    error
		code    string // SQLSTATE in the chain; "" for a refusal in Go
	}{
		{"Unbalanced", []ledger.Posted{posted(h.Seq+1, "", dr("100.00"), cr("90.00"))}, ledger.ErrUnbalanced, "BO003"},
		{"OneLine", []ledger.Posted{posted(h.Seq+1, "", dr("100.00"))}, ledger.ErrUnbalanced, "BO003"},
		{"NoLines", []ledger.Posted{posted(h.Seq+1, "")}, ledger.ErrUnbalanced, "BO003"},
		{"Gap", []ledger.Posted{posted(h.Seq+1, "", dr("1.00"), cr("1.00")), posted(h.Seq+3, "", dr("1.00"), cr("1.00"))}, ledger.ErrState, "BO004"},
		{"DuplicateKey", []ledger.Posted{posted(h.Seq+1, "k1", dr("1.00"), cr("1.00"))}, ledger.ErrDuplicate, "23505"},
		{"NotContinuingHead", []ledger.Posted{posted(h.Seq+2, "", dr("1.00"), cr("1.00"))}, ledger.ErrState, ""},
		{"UnknownAccount", []ledger.Posted{posted(h.Seq+1, "", ledger.Debit("9999", eur("1.00")), cr("1.00"))}, ledger.ErrInvalid, "23503"},
		{"ZeroAmount", []ledger.Posted{posted(h.Seq+1, "", dr("0.00"), cr("0.00"))}, ledger.ErrInvalid, "23514"},
		{"Overflow", []ledger.Posted{posted(h.Seq+1, "", ledger.Debit("1000", money.New(1<<62, money.EUR)), ledger.Debit("1000", money.New(1<<62, money.EUR)), ledger.Credit("4000", money.New(1<<62, money.EUR)), ledger.Credit("4000", money.New(1<<62, money.EUR)))}, ledger.ErrOverflow, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := f.s.Update(f.ctx, func(tx ledger.Tx) error { return tx.Append(f.ctx, "A", tc.entries) })
			wantIs(t, "Append", err, tc.want)
			if tc.code != "" {
				wantCode(t, "Append", err, tc.code)
			}
			unchanged(t, f.s, before)
			verify(t, f.s, nil)
		})
	}
}
