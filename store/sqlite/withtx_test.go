package sqlite_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/store/sqlite"
	"github.com/openbackoffice/backoffice/store/storetest"
)

// txStore binds a store to transactions its test begins.
type txStore struct{ *sqlite.Store }

func (s txStore) Begin(ctx context.Context) (*sql.Tx, ledger.Store, error) {
	tx, err := s.DB().BeginTx(ctx, nil)
	if err != nil {
		return nil, nil, err
	}
	return tx, s.InTx(tx), nil
}

func TestWithTx(t *testing.T) {
	storetest.WithTx(t, func(t *testing.T) storetest.TxStore { return txStore{newStore(t)} })
}

// BenchmarkWithTx: posting in the caller's transaction against the shared
// ledger (storetest.BenchWithTx).
func BenchmarkWithTx(b *testing.B) { storetest.BenchWithTx(b, txStore{newStore(b)}) }
