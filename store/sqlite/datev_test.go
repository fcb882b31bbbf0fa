package sqlite_test

import (
	"testing"

	"github.com/openbackoffice/backoffice/store/storetest"
)

func TestDatevSettingsConformance(t *testing.T) {
	storetest.DatevSettings(t, func(t *testing.T) storetest.DatevStore { return newStore(t) })
}
