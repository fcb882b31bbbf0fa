package memory_test

import (
	"testing"

	"github.com/openbackoffice/backoffice/store/memory"
	"github.com/openbackoffice/backoffice/store/storetest"
)

func TestFXConformance(t *testing.T) {
	storetest.FX(t, func(t *testing.T) storetest.FXStore { return memory.New() })
}
