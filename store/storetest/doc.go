// Package storetest holds the conformance suites that every store of
// backoffice must pass, in the manner of testing/slogtest.
//
// A store package runs a suite from its own tests, handing it a function that
// makes a new, empty store:
//
//	func TestLedgerConformance(t *testing.T) {
//		storetest.Ledger(t, func(t *testing.T) ledger.Store { return memory.New() })
//	}
//
// Ledger drives the store mostly through a ledger.Ledger, as users see it, and
// through the ledger.Store interface directly where the contract is the
// store's own (transactions, read methods, Append). It checks only what the
// interface documentation promises, never one store's internals, and every
// expected value in it is worked out by hand, not copied from a run.
//
// The suites use a fake clock and fixed random seeds (the concurrency test's
// interleaving aside), never sleep and never assert on wall-clock time. Each
// test makes its own store; the rows of a table test may share one, and the
// property tests use a new book per run. No subtest calls t.Parallel, so
// stores that share one database (a PostgreSQL server, say) may hand out
// schemas or databases one at a time.
//
// The functions of this package are meant to be called from tests only. They
// are safe for concurrent use if the stores they are given are.
package storetest
