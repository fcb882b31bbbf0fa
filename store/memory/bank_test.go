package memory_test

import (
	"testing"

	"github.com/openbackoffice/backoffice/bank/reconcile"
	"github.com/openbackoffice/backoffice/store/memory"
	"github.com/openbackoffice/backoffice/store/storetest"
)

func TestStatementsConformance(t *testing.T) {
	storetest.Statements(t, func(t *testing.T) reconcile.Store { return memory.New() })
}
