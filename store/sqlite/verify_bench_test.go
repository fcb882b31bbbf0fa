package sqlite_test

import (
	"testing"

	"github.com/openbackoffice/backoffice/store/storetest"
)

// BenchmarkVerify verifies 100,000 entries (200,000 postings).
//
//	go test -run='^$' -bench=BenchmarkVerify -benchtime=3x -count=3 ./store/sqlite
func BenchmarkVerify(b *testing.B) {
	storetest.BenchVerify(b, newStore(b), 100_000)
}
