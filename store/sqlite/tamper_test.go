package sqlite_test

import (
	"database/sql"
	"testing"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/store/storetest"
)

// TestLedgerTamper changes the ledger tables in the SQLite file directly, as
// anyone with the file can: with the guards on, and with the triggers
// dropped and recreated around the change. Verify must name the first bad
// record either way.
func TestLedgerTamper(t *testing.T) {
	storetest.LedgerTamper(t, func(t *testing.T) (ledger.Store, storetest.TamperExec) {
		s := newStore(t)
		db := s.DB().DB
		return s, func(bypass bool, stmts ...string) error {
			tx, err := db.Begin()
			if err != nil {
				return err
			}
			defer tx.Rollback()
			var triggers []string
			if bypass {
				if triggers, err = dropTriggers(tx); err != nil {
					return err
				}
			}
			for _, q := range stmts {
				if _, err := tx.Exec(q); err != nil {
					return err
				}
			}
			for _, q := range triggers {
				if _, err := tx.Exec(q); err != nil {
					return err
				}
			}
			return tx.Commit()
		}
	})
}

// dropTriggers drops every trigger and returns the statements that create
// them again.
func dropTriggers(tx *sql.Tx) ([]string, error) {
	rows, err := tx.Query("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
	if err != nil {
		return nil, err
	}
	var names, defs []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return nil, err
		}
		names, defs = append(names, name), append(defs, def)
	}
	rows.Close()
	for _, n := range names {
		if _, err := tx.Exec("DROP TRIGGER " + n); err != nil {
			return nil, err
		}
	}
	return defs, rows.Err()
}
