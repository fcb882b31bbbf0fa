// Package backup writes portable archives of books and restores them into
// any store: a copy that proves it is complete and untampered, and the way
// from one store to another (SQLite to PostgreSQL and back).
//
// An archive is a zip file of JSON Lines members and a manifest:
//
//	manifest.json                       format name and version, created at, per book the
//	                                    chain heads and counts, and every member's line
//	                                    count and SHA-256
//	books/<book>/book.jsonl             the book's settings (with its lock date), one line
//	books/<book>/accounts.jsonl         the chart, ordered by code
//	books/<book>/periods.jsonl          the period events, oldest first
//	books/<book>/state.jsonl            the state log (seq, data in base64, hash in hex)
//	books/<book>/entries.jsonl          every entry with its seq, recorded-at, digest and hash
//	books/<book>/hr/*.jsonl             employees (every version), contracts and tax
//	                                    profiles (every version, both time axes), time
//	                                    entries, absences, one-time items of the employer
//	books/<book>/payroll/*.jsonl        pay runs and the payslips of every calculation
//	books/<book>/partners/*.jsonl       settings, parties (every version), invoices, items,
//	                                    moves, payments, dunning runs
//	books/<book>/fx/rates.jsonl         the exchange rates the book sees (its own and the
//	                                    shared ones, restored as its own), each rate as
//	                                    written; from format version 2 (version 1
//	                                    archives, without it, still restore)
//
// Entries keep their lines' base amounts (ledger.Line.Base) of
// multi-currency books. From format version 3 the manifest carries every
// book's trial balance summed from its entries ([TrialBalance]), which
// Verify recomputes.
//
// Amounts are money.Amount JSON: the number as a string with its currency,
// never a JSON number. Lists a store returns in any order are sorted, so
// the same data gives the same members byte for byte from any store.
//
// # Consistency
//
// [Write] reads every domain of a store that implements [Snapshotter]
// (store/sqlite and store/postgres do) in one read-only transaction: on
// PostgreSQL one REPEATABLE READ snapshot, on SQLite one read transaction of
// the WAL. Posting may go on meanwhile; the archive holds a consistent
// prefix, and its manifest names the chain head it ends at. A store without
// it (store/memory) is read one domain transaction at a time (ledger, then
// HR, payroll and partners per book), which is consistent per domain only;
// the manifest says which ("snapshot" or "per-domain").
//
// # Files
//
// [WriteFile] writes an archive to a temporary file beside its path,
// syncs it and renames it into place only when it is whole, so a backup
// that fails or is killed half-way never leaves a file at the path that
// looks complete, and a previous archive there stays as it was.
//
// # Point in time
//
// With [Options].Seq, Write archives a book as it stood when its entry Seq
// was recorded; with [Options].AsOf, every book as it stood at that time,
// its last entry being the last of the longest prefix of its chain recorded
// at or before AsOf. Call that time the cut (entry Seq's recording time, or
// AsOf); the manifest names it per book ([BookSummary].AsOf). What "as it
// stood" means, domain by domain:
//
//   - Entries: 1 to the last entry kept. The chain makes this exact, and
//     the archive restores to that head.
//   - State log, settings, chart, period events: the state log up to the
//     first period event recorded after the cut, and the settings, chart
//     and period events that prefix replays to ([ledger.DecodeState]), so
//     that Verify of the restored book holds. Period events carry their
//     time and are cut exactly. A change of the settings or the chart (a
//     lock date, a new or closed account) carries none: one recorded after
//     the last period event before the cut and before the first one after
//     it cannot be placed, and is kept; the manifest counts these
//     ([Cut].StateUndated), and books backup says so. A book whose store
//     kept no state log keeps its current settings and chart and the
//     period events up to the cut ([Cut].ChartAsStored).
//   - HR: employee versions, contract and tax profile versions, time
//     entries, absences and one-time items recorded at or before the cut
//     (their RecordedAt; the valid-time axis is untouched, a retroactive
//     change recorded later is left out). An employee without a version by
//     then is left out with all their records.
//   - Payroll: runs created at or before the cut, each taken back to the
//     state it had then: a payment, posting (an entry after the cut),
//     approval or first calculation made later is undone, with its payslips.
//     A run calculated again after the cut cannot be taken back exactly (its
//     earlier calculation's problems are not kept): Write fails with a
//     [*CutError] naming it; choose an earlier or a later cut.
//   - Partners: parties recorded at or before the cut; invoices, open
//     items, moves and payments whose ledger entry is kept (exact, by the
//     chain); dunning runs created at or before the cut; items' open
//     amounts and dunning levels recomputed from those. The partner
//     settings carry no time and are kept as they stand.
//   - Exchange rates carry no time of recording and are kept as they stand.
//
// A record whose time of recording is zero (written before it was kept)
// counts as made before the cut.
//
// # Restore
//
// [Restore] first reads and checks the whole archive ([Archive.Verify]):
// every member's SHA-256 and line count against the manifest, every line
// decoded strictly (unknown fields refused), every entry's digest and the
// hash chains of entries and state log recomputed, the heads and counts
// against the manifest. A bad archive is refused with an [*ArchiveError]
// naming the member and line, before anything is written. Then it writes
// every book with [ledger.Ledger.Restore] (entries as they are, never
// re-stamped) and the other domains through their stores' write
// transactions, runs ledger Verify and partners Verify, and reads every
// restored book back into the member encoding: each member must hash as the
// manifest says. Into a store that implements [Transactor] (store/sqlite,
// store/postgres) all of this runs in one transaction, so a restore that
// fails anywhere leaves the target as it was; a store without it
// (store/memory) may keep part of a restore that failed after the archive
// was checked, and should be discarded.
//
// # Encryption
//
// With [Options].Recipients, Write encrypts the whole archive with age
// (filippo.io/age, the age-encryption.org/v1 format: X25519 or hybrid
// post-quantum recipients, not mixed), so the file holds no member name or
// manifest in the clear. [OpenEncrypted] and [OpenFile] decrypt it with
// any one of the recipients' identities, piece by piece as it is read
// (age authenticates every 64 KiB chunk), so Verify and Restore read it
// as they read a plain archive. Without an identity opening it is
// [ErrEncrypted], with none that fits [ErrKey], and a damaged ciphertext
// an [*ArchiveError] ([ErrCorrupt]): in each case nothing is restored.
// Keys are the caller's business; books and closebatch take an identity
// file or $BOOKS_BACKUP_IDENTITY, never a key on the command line.
//
// # Restore drills
//
// [Drill] proves that an archive restores: it restores it into a scratch
// memory store (with every check of Restore), verifies the copy, compares
// its heads with the manifest's and its trial balance, read from the
// store's maintained balances, with the manifest's, which Verify recomputed
// from the entries. Given the live store, it also checks, by reading only,
// that the archive is a prefix of the live book's chain (the live entry at
// the archive's head has the same hash) and, if the live book has not gone
// on, that both trial balances are equal. books backup drill FILE and
// closebatch --drill FILE run it.
//
// Not yet covered: bank statements and reconciliation matches, API tokens,
// custom (non-ISO) currencies, incremental archives. Write streams
// entries, but Restore holds one archive's data in memory.
package backup
