package sqlite_test

import (
	"testing"

	"github.com/openbackoffice/backoffice/store/storetest"
)

// TestPartnersTamper changes open items and moves in the SQLite file
// directly, as anyone with the file can: Verify must notice.
func TestPartnersTamper(t *testing.T) {
	storetest.PartnersTamper(t, func(t *testing.T) (storetest.PartnersStore, func(string) error) {
		s := newStore(t)
		return s, func(q string) error { _, err := s.DB().Exec(q); return err }
	})
}
