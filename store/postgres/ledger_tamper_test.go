package postgres_test

import (
	"testing"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/store/storetest"
)

// TestLedgerTamper changes the ledger tables as the application role can
// (every guard on) and, where the guards refuse, as a database owner can,
// with every trigger off for the transaction (session_replication_role =
// replica). Verify must name the first bad record either way.
func TestLedgerTamper(t *testing.T) {
	testDSN(t)
	storetest.LedgerTamper(t, func(t *testing.T) (ledger.Store, storetest.TamperExec) {
		s := newStore(t)
		return s, func(bypass bool, stmts ...string) error {
			tx, err := s.DB().Begin()
			if err != nil {
				return err
			}
			defer tx.Rollback()
			if bypass {
				if _, err := tx.Exec("SET LOCAL session_replication_role = replica"); err != nil {
					return err
				}
			}
			for _, q := range stmts {
				if _, err := tx.Exec(q); err != nil {
					return err
				}
			}
			return tx.Commit()
		}
	})
}
