package sqlite_test

import (
	"context"
	"testing"

	"github.com/openbackoffice/backoffice/store/internal/sqlstore"
	"github.com/openbackoffice/backoffice/store/storetest"
)

// BenchmarkVerify verifies 100,000 entries (200,000 postings), beside
// SHA-256 of the same bytes and the SELECTs of Scan decoded into Go values.
//
//	go test -run='^$' -bench=BenchmarkVerify -benchtime=3x -count=3 ./store/sqlite
func BenchmarkVerify(b *testing.B) {
	s := newStore(b)
	storetest.BenchVerify(b, s, 100_000, func(ctx context.Context, book string) (int, error) {
		return sqlstore.ReadScanRows(ctx, s.Store, book)
	})
}
