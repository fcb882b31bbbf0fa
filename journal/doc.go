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
//     optional secondary date "=DATE", kept as Metadata["date2"]), an
//     optional status mark (* or !, kept as Metadata["status"] "cleared" or
//     "pending"), an optional code in parentheses (kept as the voucher) and
//     a description; a comment after ';' is kept as the transaction's
//     comment. A comment line that is exactly "NAME: VALUE" with NAME one of
//     key, journal, voucher, description or meta.X sets that field of the
//     entry ("key: inv-1001" is its idempotency key); "dim.X: VALUE" below a
//     posting sets a dimension of the line. A "vat:" tag in a posting's
//     comment ("; vat: USt19", hledger's tag syntax) sets the line's VAT
//     code, its dimension "vat", as "dim.vat: USt19" does (the comment
//     stays its memo; a tag without a value sets none); two different
//     codes on one posting are refused. A transaction's own tags are not
//     given to its postings: tag the postings whose base or tax the code
//     is, not the bank's or the receivable's. Journal.CheckDimensions
//     checks the codes (with vat.CheckDimension: the codes package vat
//     knows).
//   - Postings: indented lines "[*|!] ACCOUNT  AMOUNT"; the account name ends
//     at two spaces or a tab; a posting's status mark is kept as its line's
//     "status" dimension. An amount is a commodity and a number, either way
//     round ("EUR 10.00", "10.00 EUR", "€10.00", "-$5", "$-5"), the symbols
//     $, €, £ and ¥ standing for USD, EUR, GBP and JPY; otherwise the
//     commodity must be an ISO 4217 code ("D EUR 1000.00" sets a default for
//     bare numbers). One posting of a transaction may leave its amount out;
//     it gets the rest of each commodity (one posting per commodity).
//   - Numbers are read as hledger reads them. The decimal mark is the one
//     the commodity's "commodity" directive shows ("commodity 1.000,00 EUR"
//     or "commodity EUR" with "format 1.000,00 EUR": then "1,500 EUR" is
//     1.50 and "1.500 EUR" is 1500.00), else the "decimal-mark" directive's
//     (for the rest of its file), else: of '.' and ',' the last is the
//     decimal mark, a mark occurring twice groups digits, and a single mark
//     is the decimal mark, except that a single mark followed by exactly
//     three digits ("1,500", "1.500") is refused as ambiguous (ErrAmbiguous):
//     hledger reads it as 1.5, many writers mean 1500 ("0.925" is not
//     ambiguous: no digit group starts with 0). Digit groups are the
//     other mark or a space, three digits each after the first. A commodity
//     directive whose sample does not show its decimal mark is refused.
//   - Posting dates: a "date:DATE" tag (the year may be left out) or
//     "[DATE]" in a posting's comment gives it its own date, as in hledger;
//     see Journal.Entries for how such a transaction becomes entries.
//     Balance assertions are checked in posting-date order.
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
//     or Asset, Liability, Equity, Revenue, Expense, Cash, Conversion),
//     "name:" and "code:" tags; "commodity" and "decimal-mark" (above);
//     "include PATH" (ReadFile only: relative to the including file, globs
//     expanded, cycles refused; the included file's alias, apply account,
//     decimal-mark and D directives end with it, as in hledger); "alias
//     OLD = NEW" and "alias /REGEX/ = NEW" (case-insensitive, \1 for groups),
//     "end aliases", "apply account NAME" … "end apply account", applied as
//     hledger does (the prefix first, then the aliases, most recent first,
//     to postings and account directives); "P DATE COMMODITY AMOUNT", kept
//     in Journal.Prices (see below); "payee"
//     and "tag" declarations; "comment" … "end comment" blocks are skipped.
//
// An account named "equity:opening balances" (or hledger close's
// "equity:opening/closing balances") is the opening-balances account: see
// IsOpeningAccount and ledger.JournalOpening.
//
// # Costs, conversions and market prices
//
// A posting may have a cost in another currency: "USD 100.00 @@ EUR 92.00"
// (a total cost, written without a sign) or "USD 100.00 @ EUR 0.92" (a unit
// cost, multiplied out and rounded half up to the cost currency's minor
// units); the transaction balances with the posting counted at its cost,
// as in hledger, and the unrounded unit costs must balance too. A
// transaction in two currencies without a cost, the sums of the two of
// opposite signs ("USD 100.00" and "EUR -92.00"), is the conversion hledger
// infers (Transaction.Conversion). Journal.EntriesIn turns both into lines
// with their value in the book's base currency (ledger.Line.Base), and
// refuses, rather than guesses, a cost in a third currency, a conversion
// between two currencies other than the base currency, and a conversion
// whose value cannot be shared among its postings exactly.
//
// P directives are kept in Journal.Prices, exactly as written; they value
// no posting (a posting's value is its cost, never a market price).
// Journal.Rates returns them as exchange rates (fx.Rate) for an fx.Store.
//
// Everything else is refused with its file and line rather than misread:
// virtual postings ((acct) and [acct]) and virtual costs ((@), (@@)), a
// cost with a sign or in the posting's own commodity, lot prices,
// includes of other formats, periodic (~) and automated (=) transactions,
// other directives (Y, year, apply tag, …), amounts with more decimals than
// the currency has, ambiguous numbers, and unbalanced transactions.
//
// Read reads the whole input and is all-or-nothing: it returns every problem
// it finds, each with its file and line number, as an Errors value.
//
// # Large journals
//
// ScanFile reads a file as ReadFile does, with the same checks and errors,
// but keeps no transaction: a File holds what is global to the journal
// (directives, styles, prices, the accounts used, the commonest currency),
// and its Transactions and Entries read the file again, handing over one
// transaction or one chunk of entries at a time, with the keys
// Journal.EntriesIn gives. Memory stays flat in the size of the file, the
// files it includes counted: balance assertions are checked with a running
// balance per account (in date order, as hledger does; see File for the
// little that grows when postings are not in date order). A file that
// changes between two readings is refused (ErrChanged).
//
// # Identity on re-import
//
// Journal.Entries gives each transaction the idempotency key of its "key:"
// tag, or else one derived from its date, code and description and its
// occurrence among transactions with the same three (see
// Transaction.Entry) — not from its amounts or accounts. Importing a file
// again posts nothing twice; a transaction whose amounts were edited keeps
// its key and conflicts with the entry posted before (ledger.ErrConflict),
// so the edit is found, not double-posted. An edit of the date, code or
// description makes it another transaction: give transactions a "key:" tag
// to edit those too.
//
// # Writing
//
// Write writes ledger entries as an hledger journal that hledger (hledger
// check -s included) and Read read back with the same balances: a
// "commodity" directive for every currency, ISO codes as commodities placed
// before the number ("EUR 1190.00") — or, for a currency whose Style an
// account's Metadata records (StyleKey: the journal import records the
// style hledger gives each currency of the source, Journal.Styles), that
// style, so that hledger shows the export's amounts as the source's — every amount explicit, status marks
// and secondary dates in the header, the entry's key as a "key:" tag so
// that a re-import finds the entries already posted, and an account
// directive with its type for every account (C for cash funds). Accounts
// keep the hledger names they were imported with, spaces and all; other
// charts (numeric codes) are written as "CODE Name" paths, "1000
// Assets:1100 Current assets:1120 Bank", with "code:" and "name:" tags
// that Read and the importer restore. A foreign-currency line with a base
// amount is written at that total cost ("USD 11000.00 @@ EUR 9900.00") and
// the book's exchange rates, if given, as P directives, so that hledger's
// reports in the base currency (-B, or -X EUR --value=then) agree with the
// ledger's (ledger.BalanceQuery.InBase).
//
// The package is safe for concurrent use: it has no state.
package journal
