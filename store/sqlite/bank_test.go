package sqlite_test

import (
	"testing"

	"github.com/openbackoffice/backoffice/bank/reconcile"
	"github.com/openbackoffice/backoffice/store/storetest"
)

func TestStatementsConformance(t *testing.T) {
	storetest.Statements(t, func(t *testing.T) reconcile.Store { return newStore(t) })
}
