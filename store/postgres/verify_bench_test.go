package postgres_test

import (
	"testing"

	"github.com/openbackoffice/backoffice/store/storetest"
)

// BenchmarkVerify verifies 100,000 entries (200,000 postings).
//
//	BACKOFFICE_TEST_POSTGRES=… go test -run='^$' -bench=BenchmarkVerify -benchtime=3x -count=3 ./store/postgres
func BenchmarkVerify(b *testing.B) {
	testDSN(b)
	storetest.BenchVerify(b, newStore(b), 100_000)
}
