// Package journal reads and writes plain-text accounting journals in the
// format of hledger and Ledger, for teams moving their books from plain-text
// accounting to backoffice and back.
//
// # The subset read
//
// Read accepts the common core of the hledger journal format
// (https://hledger.org/hledger.html#journal):
//
//	; a comment line (also # and * at the start of a line)
//	account assets:bank:checking   ; type: A
//	commodity EUR 1,000.00
//
//	2026-01-15 * (AR-1001) Consulting January  ; key: inv-1001
//	    assets:receivables        EUR 1190.00
//	    income:consulting        EUR -1000.00  ; net
//	        ; dim.cost_centre: 100
//	    liabilities:vat                         ; the elided amount: EUR -190.00
//	    assets:receivables                    0 = EUR 1190.00
//
// In detail:
//
//   - Transactions: a date (YYYY-MM-DD, YYYY/MM/DD or YYYY.MM.DD, with an
//     optional secondary date "=DATE", which is ignored), an optional status
//     mark (* or !), an optional code in parentheses (kept as the voucher)
//     and a description; a comment after ';' is kept as the transaction's
//     comment. A comment line that is exactly "NAME: VALUE" with NAME one of
//     key, journal, voucher, description or meta.X sets that field of the
//     entry ("key: inv-1001" is its idempotency key); "dim.X: VALUE" below a
//     posting sets a dimension of the line.
//   - Postings: indented lines "ACCOUNT  AMOUNT"; the account name ends at two
//     spaces or a tab. An amount is a commodity and a number, either way round
//     ("EUR 10.00", "10.00 EUR", "€10.00", "-$5", "$-5"), the symbols $, €, £
//     and ¥ standing for USD, EUR, GBP and JPY; otherwise the commodity must
//     be an ISO 4217 code ("D EUR 1000.00" sets a default for bare numbers).
//     A number uses '.' as its decimal mark; ',' digit groups are accepted
//     when every group has three digits. One posting of a transaction may
//     leave its amount out; it gets the rest of each commodity (one posting
//     per commodity).
//   - Balance assertions "= AMOUNT" (the account's balance in that commodity
//     after this posting, all earlier postings counted, in date order then
//     file order, as hledger does) and "== AMOUNT" (the same, and no other
//     commodity). An assertion without an amount is a balance assignment,
//     which is refused; "0 = EUR 10.00" asserts without moving anything
//     (zero postings are not posted).
//   - Comments after ';' on a posting, or on indented lines below it, are the
//     posting's comment (the line's memo); on indented lines right below the
//     header, the transaction's comment.
//   - Directives: "account NAME" with optional "type:" (A, L, E, R, X, C, V
//     or Asset, Liability, Equity, Revenue, Expense, Cash, Conversion) and
//     "name:" tags; "commodity", "decimal-mark .", "P" (market prices) are
//     accepted and ignored; "comment" … "end comment" blocks are skipped.
//
// Everything else is refused with its line rather than misread: virtual
// postings ((acct) and [acct]), costs (@, @@), lot prices, include,
// periodic (~) and automated (=) transactions, other directives, amounts
// with more decimals than the currency has, and unbalanced transactions.
//
// Read reads the whole input and is all-or-nothing: it returns every problem
// it finds, each with its line number, as an Errors value.
//
// # Writing
//
// Write writes ledger entries as an hledger journal that hledger (and Read)
// read back with the same balances: ISO codes as commodities placed before
// the number ("EUR 1190.00"), every amount explicit, the entry's key as a
// "key:" tag so that a re-import finds the entries already posted, and an
// account directive with its type for every account.
//
// The package is safe for concurrent use: it has no state.
package journal
