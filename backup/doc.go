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
// Verify recomputes. Version 4 added incremental archives; a version 4
// full archive differs from a version 3 one only in its version number.
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
// # Incremental archives
//
// With [Options].Since, Write writes an incremental archive: of every book
// the base archive Since holds, only what came after it, so that the base
// and its increments, restored in order, give the book as a full archive
// written at the increment's moment would. The manifest names the base
// ([Manifest].Base: the SHA-256 of its manifest, [Archive.Digest]) and,
// per book, where the base ends ([BookSummary].Base: both heads, the
// number of period events, the trial balance). Head, StateHead and
// TrialBalance are the book's whole after the increment, and Whole lists
// what every member but the entries and the state log hashes to in a full
// archive of that moment. Only the base's manifest is read, so an
// increment can be written on an increment. Which records are cut, and
// which are written whole, kind by kind:
//
//   - Cut by sequence, exactly: entries after the base's head, state
//     records after its state head (both chains go on from the base's
//     heads; Write refuses with a [*BaseError] a store whose entry or
//     state record at the base's head has another hash), and period events
//     after the base's (append-only, oldest first, and in the state log
//     too). Invoices, open items, moves and payments of the partners are
//     each written with an entry, and are cut by it: those of entries after
//     the base's head.
//   - Written whole, as they stand: the book's settings (the lock date
//     changes), the chart (accounts are closed, renamed), the partner
//     settings, and pay runs with all their payslips (a run changes status
//     as it is calculated, approved, posted and paid).
//   - Written whole although append-only, since no sequence cuts them
//     exactly: HR records (employee, contract and tax profile versions,
//     time entries, absences, one-time items), party versions, dunning runs
//     and exchange rates. Their times of recording are stamped before their
//     transaction commits, so a cut by time could miss a record committed
//     after the base's snapshot began. They are small beside the entries.
//
// Restoring an increment applies it on top of a target that holds the
// base exactly: per book, the target's entries and state log must end at
// the base's heads and hold its number of period events, else Restore
// refuses with a [*BaseError] ([ErrBase]) naming the book and both heads.
// It continues the chains ([ledger.Ledger.Continue]), writes changed
// accounts, the lock date and the new period events, and adds of the
// records written whole those the target lacks (by identity: employee and
// version, employee and sequence, party number, valid-from and recording
// time, dunning date; time entries and absences, which have none, by
// count of equal records; a pay run that changed gets its new
// calculations' payslips and its new state). A book the base does not hold
// is written whole. [RestoreChain] restores a full archive and its
// increments, or increments alone, in one go: each archive after the first
// must name the one before as its base, else a [*ChainError] ([ErrChain]:
// one missing or out of order). After an increment the restored book is
// read back and must hash as Whole says.
//
// # Restore
//
// [Restore] and [RestoreChain] read a book in two parts. Its small members
// (settings, chart, period events, state log, HR, payroll, partners,
// rates) are read and checked first: every member's SHA-256 and line count
// against the manifest, every line decoded strictly (unknown fields
// refused), the state log's chain. Its entries are then read one at a time
// as they are written ([ledger.Restoration].Scan), each checked (digest and
// chain recomputed) before it goes to the store, and the member's SHA-256,
// line count, head and trial balance checked at its end. A bad archive is
// an [*ArchiveError] naming the member and line. Every book is written with
// [ledger.Ledger.Restore] (entries as they are, never re-stamped) or
// Continue, and the other domains through their stores' write
// transactions; then ledger Verify and partners Verify run, the store's
// trial balance is compared with the manifest's, and every restored book
// is read back into the member encoding: each member must hash as the
// manifest says. Into a store that implements [Transactor] (store/sqlite,
// store/postgres) or a store/memory Store (its UpdateAll) all of this runs
// in one transaction, so a restore that fails anywhere, at a line damaged
// late in the archive too, leaves the target as it was. Into another store
// every archive is verified whole first ([Archive.Verify]), then written.
// Memory does not grow with the number of entries: they are never held all
// at once, only the small members of one book.
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
// [Drill] ([DrillChain] for a full archive and its increments) proves
// that an archive restores: it restores it into a scratch
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
// custom (non-ISO) currencies, incremental archives of a point in time
// (Since with Seq or AsOf).
package backup
