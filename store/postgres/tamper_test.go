package postgres_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"github.com/openbackoffice/backoffice/ledger"
)

// TestTampering changes posted rows behind the library's back, the way a
// database owner can: with a guard trigger disabled for the table, or with
// every trigger off for one transaction (session_replication_role =
// replica). Verify must then fail with a *VerifyError wrapping ErrTampered
// that names the changed entry or account.
func TestTampering(t *testing.T) {
	testDSN(t)
	// Entry 2 of guardFixture debits 1200 and credits 4000 with 50.00.
	for _, tc := range []struct {
		name string
		// table and trigger to disable around stmts; empty: replica role.
		table, trigger string
		stmts          []string
		seq            uint64 // the entry Verify must name, or 0
		account        string // the account Verify must name, or ""
	}{
		{"PostingAmountBalanced", "bo_postings", "bo_postings_immutable",
			[]string{"UPDATE bo_postings SET amount = amount * 3 WHERE book = 'A' AND seq = 2"}, 2, ""},
		{"PostingAmountUnbalanced", "", "",
			[]string{"UPDATE bo_postings SET amount = 60 WHERE book = 'A' AND seq = 2 AND line = 0"}, 2, ""},
		{"PostingAccount", "bo_postings", "bo_postings_immutable",
			[]string{"UPDATE bo_postings SET account = '1000' WHERE book = 'A' AND seq = 2 AND line = 0"}, 2, ""},
		{"EntryDescription", "bo_entries", "bo_entries_immutable",
			[]string{"UPDATE bo_entries SET description = 'something else' WHERE book = 'A' AND seq = 2"}, 2, ""},
		{"EntryDate", "bo_entries", "bo_entries_immutable",
			[]string{"UPDATE bo_entries SET date = '2026-02-12' WHERE book = 'A' AND seq = 2"}, 2, ""},
		{"EntryDeleted", "", "", []string{
			"DELETE FROM bo_dims WHERE book = 'A' AND seq = 2",
			"DELETE FROM bo_postings WHERE book = 'A' AND seq = 2",
			"DELETE FROM bo_entries WHERE book = 'A' AND seq = 2",
		}, 2, ""},
		{"LastEntryDeleted", "", "", []string{
			"DELETE FROM bo_postings WHERE book = 'A' AND seq = 3",
			"DELETE FROM bo_entries WHERE book = 'A' AND seq = 3",
		}, 3, ""},
		// bo_balances is maintained, not guarded: Verify compares it with
		// the postings.
		{"Balance", "", "",
			[]string{"UPDATE bo_balances SET balance = balance + 1 WHERE book = 'A' AND account = '1200'"}, 0, "1200"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := guardFixture(t)
			verify(t, f.s, nil)
			db := f.s.DB().DB
			if tc.table != "" {
				mustExec(t, db, "ALTER TABLE "+tc.table+" DISABLE TRIGGER "+tc.trigger)
				for _, s := range tc.stmts {
					mustExec(t, db, s)
				}
				mustExec(t, db, "ALTER TABLE "+tc.table+" ENABLE TRIGGER "+tc.trigger)
				// The guard is back.
				wantCode(t, "after ENABLE TRIGGER", exec(f.ctx, db, tc.stmts[0]), "BO001")
			} else {
				err := inTx(t, db, func(tx *sql.Tx) error {
					if err := exec(f.ctx, tx, "SET LOCAL session_replication_role = replica"); err != nil {
						return err
					}
					for _, s := range tc.stmts {
						if err := exec(f.ctx, tx, s); err != nil {
							return err
						}
					}
					return tx.Commit()
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			_, err := f.l.Verify(f.ctx, "A")
			if !errors.Is(err, ledger.ErrTampered) {
				t.Fatalf("Verify: %v, want ErrTampered", err)
			}
			var ve *ledger.VerifyError
			if !errors.As(err, &ve) {
				t.Fatalf("Verify: %T, want a *ledger.VerifyError", err)
			}
			if ve.Book != "A" || ve.Seq != tc.seq || ve.Account != tc.account {
				t.Errorf("Verify names book %q, entry %d, account %q; want book A, entry %d, account %q (%v)",
					ve.Book, ve.Seq, ve.Account, tc.seq, tc.account, err)
			}
		})
	}
}

func mustExec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.ExecContext(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
