package memory_test

import (
	"testing"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/store/memory"
	"github.com/openbackoffice/backoffice/store/storetest"
)

func TestLedgerConformance(t *testing.T) {
	storetest.Ledger(t, func(t *testing.T) ledger.Store { return memory.New() })
}
