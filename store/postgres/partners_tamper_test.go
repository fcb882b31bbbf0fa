package postgres_test

import (
	"testing"

	"github.com/openbackoffice/backoffice/store/storetest"
)

// TestPartnersTamper changes open items and moves as a role with plain
// UPDATE and DELETE rights can; the guarded tables are changed with every
// trigger off for the transaction (session_replication_role = replica),
// as a database owner can. Verify must notice both.
func TestPartnersTamper(t *testing.T) {
	testDSN(t)
	storetest.PartnersTamper(t, func(t *testing.T) (storetest.PartnersStore, func(string) error) {
		s := newStore(t)
		return s, func(q string) error {
			tx, err := s.DB().Begin()
			if err != nil {
				return err
			}
			if _, err := tx.Exec("SET LOCAL session_replication_role = replica"); err != nil {
				tx.Rollback()
				return err
			}
			if _, err := tx.Exec(q); err != nil {
				tx.Rollback()
				return err
			}
			return tx.Commit()
		}
	})
}
