// Package memory is an in-memory store for every domain of backoffice: the fake
// that tests and examples use, and a real store for short-lived tools.
//
// It keeps everything in maps and slices behind one sync.RWMutex: Update holds
// the write lock for the whole transaction, so writers are serialized and each
// sees the last committed state; View holds the read lock. A failed Update is
// rolled back from an undo log, so nothing it wrote remains.
//
// Balances are maintained per account and currency together with daily and
// monthly totals, so a trial balance or a balance as of any past date costs a
// few steps per account, however many postings the book holds.
//
// A *Store is safe for concurrent use.
package memory
