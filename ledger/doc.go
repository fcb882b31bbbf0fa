// Package ledger is a decimal-exact double-entry ledger: books, a chart of
// accounts per book, journal entries, fiscal periods, balances and an audit
// trail that detects changes made behind its back.
//
// A Ledger works over a Store:
//
//	l := ledger.New(memory.New(), nil) // or sqlite.Open, postgres.Open …
//	err := l.CreateBook(ctx, ledger.Book{ID: "acme", Currency: money.EUR})
//	err = l.CreateAccounts(ctx, ledger.SKR03("acme")...)
//	p, err := l.Post(ctx, ledger.Entry{
//		Book: "acme", Key: "invoice/2026-001", Date: date.MustParse("2026-03-15"),
//		Lines: []ledger.Line{
//			ledger.Debit("1200", money.MustParse("119.00", money.EUR)),
//			ledger.Credit("8400", money.MustParse("100.00", money.EUR)),
//			ledger.Credit("1776", money.MustParse("19.00", money.EUR)),
//		},
//	})
//
// # Books and accounts
//
// A Book is one set of books, usually one legal entity, with a base currency
// and the month its fiscal year starts in. Its chart of accounts is a set of
// Accounts, each of one of the five AccountTypes, optionally under a parent
// account (for roll-ups), restricted to one currency, or bound by a Constraint
// such as NonNegative. [Ledger.CreateAccounts] adds accounts all or none; a
// parent must exist already or come earlier in the same call. Closed accounts
// refuse postings and keep their history. Book IDs, account codes and
// dimension names are identifiers: beyond ASCII they must be in Unicode NFC
// and free of invisible and bidirectional controls and of compatibility
// characters, so that two codes that look alike cannot be two accounts
// (ErrInvalid, naming the character or the normal form). [DefaultChart], [SKR03] and [SKR04] return
// shipped charts; [ReadChart] reads one from CSV.
//
// # Entries and signs
//
// An Entry is a journal entry: two or more Lines on one booking date. A line's
// Amount is positive for a debit and negative for a credit; Debit and Credit
// build lines readably (Credit("8400", x) holds -x). Balances are debit
// positive too: an asset normally has a positive balance, a liability or
// revenue account a negative one (see [AccountType.NormalSide]). A Posted entry
// is an Entry as recorded, with its sequence number, time of recording, digest
// and hash.
//
// Posted entries never change. [Ledger.Reverse] posts the Storno of an entry
// (its lines with opposite signs, pointing back through [Entry.Reverses]);
// [Entry.Adjusts] marks an adjusting entry.
//
// # Idempotency
//
// An Entry's Key makes posting it idempotent: posting again with the same Key
// and the same payload (every field of the Entry, compared through the SHA-256
// digest of its canonical encoding) returns the first result and posts
// nothing; the same Key with any other payload is ErrConflict. An empty Key
// means no deduplication. Keys are per book and at most 256 bytes. The ledger
// itself posts under two key prefixes, which callers should not use for their
// own entries: "reverse/<seq>" for Ledger.Reverse and "close/<fiscal
// year>/<n>" for the closing entries of [Ledger.CloseYear].
//
// # Periods
//
// Every book has twelve monthly periods per fiscal year. A fiscal year is
// named by the calendar year it starts in: with [Book.FiscalYearStart] 7 (July),
// 2027-03-15 lies in period 9 of fiscal year 2026 (see [Book.PeriodOf] and
// [Book.FiscalYearRange]). A period is Open until it is closed: nothing needs
// to be created first. [Ledger.ClosePeriod] closes one, [Ledger.ReopenPeriod]
// opens it again (with a reason, recorded in [Ledger.PeriodHistory]), and
// [Ledger.LockPeriod] locks a closed period for good. [Ledger.SetLockDate] refuses
// every entry dated on or before a date, whatever its period's state; it only
// moves forward. Ledger.CloseYear posts the year-end closing entries that
// bring revenue and expense accounts to zero against retained earnings, and
// closes the year's periods.
//
// # Balances
//
// [Ledger.Balances] returns trial-balance rows (opening, debit, credit, closing
// per account and currency) for a date range, optionally for one dimension
// value or rolled up through the account hierarchy; [Ledger.Balance] returns one
// account's balance as of a date. Both read totals the store maintains, so
// their cost does not grow with the number of postings.
//
// # Several currencies
//
// A line in a currency other than its book's base currency may carry its
// value in the base currency as booked, [Line.Base]: given by the caller
// (the bank's rate), or filled in by a Ledger with [Options.Rates] at the
// rate in force on the entry's date, the residue of rounding line by line
// going to [Options.RoundingAccount]. Balances with [BalanceQuery.InBase]
// give every account in the base currency from those amounts (hledger's
// --value=then), with [BalanceQuery.ValueAt] at a date's rate instead
// (--value=end). [Ledger.Revalue] values the foreign balances of accounts
// marked [MetaRevalue] at the closing rate and posts the differences
// (journal FX, HGB § 256a imparity for long-term items), and
// [Ledger.SettlementLines] books the realised difference when a
// foreign-currency item is paid at another rate.
//
// # Invariants
//
// The Ledger guarantees these, in any store and under any concurrency:
//
//  1. An entry balances, exactly: in the base currency over its lines with a
//     base amount (their Base) and its lines in the base currency (their
//     Amount), and per currency over its other lines; an entry without base
//     amounts therefore balances per currency. Amounts are money.Amount,
//     whole minor units in an int64;
//     there is no floating point. Enforced by [Entry.Validate] (ErrUnbalanced),
//     which Post and PostBatch run on a copy of each entry before the store
//     is touched.
//  2. Every posted amount is non-zero (ErrZeroAmount) and in a currency known
//     to the Ledger's money.Registry (ErrUnknownCurrency) with that currency's
//     minor units (ErrScale); also Entry.Validate. Sums that would leave the
//     int64 range fail with ErrOverflow. Rounding happens before posting, in
//     the money package, and always names its mode.
//  3. Posted entries never change and are never deleted: the Store interface
//     has no way to update or delete one, and the Ledger copies entries on
//     the way in and out, so a caller changing an Entry or a returned Posted
//     changes nothing stored. Corrections are reversals (Ledger.Reverse) or
//     adjusting entries (Entry.Adjusts).
//  4. An entry's date lies in an open period of its book: entries in a closed
//     period fail with ErrPeriodClosed, in a locked period or on or before the
//     lock date with ErrPeriodLocked. Checked inside the posting transaction.
//     The one exception: Ledger.CloseYear's closing entries may go into a
//     closed (never a locked) period and onto closed accounts.
//  5. The same idempotency key with the same payload returns the first
//     result; with another payload it is ErrConflict. The check runs inside
//     the posting transaction, so concurrent retries never post twice.
//  6. The entries of a book carry a gapless sequence number from 1 and a hash
//     chain, both computed by the Ledger under [Tx.LockHead]. [Ledger.Verify]
//     re-reads the book and reports any change made behind the library's back
//     as a *VerifyError wrapping ErrTampered.
//  7. Account constraints hold atomically under concurrent posting: the
//     Ledger checks them against balances read with [Tx.LockBalances] in the
//     posting transaction (ErrConstraint). PostBatch is all or nothing.
//  8. For every currency the balances of all accounts of a book, counting
//     the postings without a base amount, sum to zero; so do, in the base
//     currency, the base amounts together with the base-currency postings;
//     and every maintained balance and total (base sums included) equals the
//     sum of its postings. This follows from 1 and from the
//     store adding every line of an appended entry to its maintained totals
//     in the same transaction; Ledger.Verify checks it.
//
// # The audit chain
//
// Each Posted carries Digest, the SHA-256 of the entry's canonical encoding,
// and Hash = SHA-256(previous Hash ‖ Seq ‖ RecordedAt ‖ Digest), where Seq is
// 8 bytes big-endian, RecordedAt is its Unix time in microseconds as 8 bytes
// big-endian, and the first entry's previous Hash is 32 zero bytes. The
// canonical encoding (version 1, written by appendCanonical in entry.go) is a
// version byte 1 followed by: book, key, the date as "YYYY-MM-DD",
// description, voucher and journal (an empty journal counts as "GL") as
// strings; Reverses and Adjusts as uvarints; the metadata; the number of lines
// as a uvarint; and for each line, in order, its account, currency code,
// currency minor units (uvarint), amount in minor units (zig-zag varint),
// memo and dimensions; then, only if some line has a base amount (so
// entries without any hash as before), the base currency's code and minor
// units and, per such line, its index (uvarint) and base amount in minor
// units (zig-zag varint). A string is its length as a uvarint followed by its
// bytes; a map is its number of pairs as a uvarint followed by its key/value
// pairs as strings, ordered by key. The encoding is part of the stored data
// and never changes; a new version would get a new version byte. Stores never
// compute it: Verify recomputes it from what they return. Ledger.Verify
// returns the verified Head, which can be kept elsewhere to detect a chain
// rewritten from scratch.
//
// # The state log
//
// What a report reads besides the entries is covered too, without changing
// the encoding of a single entry. Derived data is checked against its source:
// a store that maintains totals and a dimension index ([DerivedReader])
// shows Verify every month and year row and every index row, and Verify
// recomputes them from the postings in the same pass that checks the chain
// (a differing totals row is named by account and month, months before
// years). Master data is in a chain of its own: every change the Ledger
// makes to a book's settings (CreateBook, SetLockDate), to an account
// (CreateAccounts, CloseAccount, ReopenAccount) or to a period (ClosePeriod,
// ReopenPeriod, LockPeriod, CloseYear) appends, in the same transaction, a
// [StateRecord] holding the new state as the store returned it, to a store
// that keeps a state log ([StateWriter]). A record's Data is encoded like an
// entry (strings and maps as above, integers as uvarints, signed ones as
// zig-zag varints), state encoding version 1: a version byte 1, a kind byte
// and its fields —
//
//	'B' book:    ID, name, currency code, fiscal year start month, lock date ("YYYY-MM-DD" or "")
//	'A' account: code, name, type, parent, currency code ("" for any), closed (one byte 0/1),
//	             minimum and maximum of the constraint (decimal text, "" if unbounded), metadata
//	'P' period event: fiscal year (varint), number, state, time (Unix µs, varint), reason
//
// and its Hash is SHA-256(previous Hash ‖ Seq as 8 bytes big-endian ‖
// SHA-256(Data)), the first record's previous Hash being 32 zero bytes.
// Verify replays the log and requires the book's settings to equal its last
// 'B' record, every account its last 'A' record of that code (no more, no
// fewer accounts), and the period events, in order, its 'P' records. A book
// created before its store kept a state log gets a record of its whole
// state as it stands at its first change through the Ledger; until then its
// state is not verified. [Ledger.VerifyHeads] returns the state log's head
// with the entries'; a [Checkpoint] signs both.
//
// # Errors
//
// Every error a caller may branch on wraps exactly one of the sentinel errors
// (ErrUnbalanced, ErrPeriodClosed, ErrConflict …); test with errors.Is. Post
// and PostBatch return an *EntryError naming the entry of the batch and the
// line at fault. Error messages name keys, codes and indexes, never amounts or
// free text, which may be personal data.
//
// # Stores
//
// The Store, ReadTx and Tx interfaces are what the Ledger needs from
// persistence. Implementations live in the store/* packages (store/memory,
// store/sqlite, store/postgres) and must pass the conformance suite in
// store/storetest. Stores keep data consistent but decide nothing: the Ledger
// validates entries and computes sequence numbers, hashes and balance
// changes before it asks a store to append.
//
// A Ledger keeps, per book, a read-only snapshot of the book's settings, its
// chart and its period states, tagged with the store's [ReadTx.Version]. Each
// post reads the version under the head lock and uses the snapshot only if it
// still matches, so a change made through another Ledger or another process
// is seen by the very next post, while a post itself reads no accounts.
//
// # Concurrency
//
// A *Ledger is safe for concurrent use by multiple goroutines, and so must
// every Store be. Posts to one book are serialized by the store through
// Tx.LockHead; posts to different books may run in parallel where the store
// allows it. Concurrent Post calls to one book share a transaction (group
// commit, see Options.MaxGroup), each still getting its own result or error.
// The Books, Accounts, Posted entries and other values the package returns
// are copies owned by the caller.
package ledger
