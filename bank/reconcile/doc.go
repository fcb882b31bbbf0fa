// Package reconcile keeps bank statements and matches their lines to the
// books: to ledger entries already posted on the bank account, to the open
// items of customers and suppliers (package partners), and by rules to
// accounts such as bank fees and interest.
//
//	r := reconcile.New(store, l, &reconcile.Options{Parties: parties})
//	st, added, err := r.Import(ctx, "acme", "1200", statement) // a camt.Statement
//	res, err := r.Reconcile(ctx, "acme", "1200", reconcile.DefaultRules(), true)
//	rep, err := r.Report(ctx, "acme", "1200", date.Date{})
//
// # Import
//
// Reconciler.Import stores a statement read by package bank/camt under a
// ledger account, all or nothing: checked (balances, the account's
// currency, the same bank account as the account's earlier statements),
// idempotent by the statement's ID and content (the same statement again
// adds nothing; the same ID with other content is ErrConflict), and each
// line recorded once by its bank reference.
//
// # Matching
//
// Reconciler.Reconcile looks at the account's unmatched lines and, in this
// order:
//
//  1. links a line to the entry posted for it before (key
//     "bank/<account>/<ref>"), so an interrupted run resumes;
//  2. matches the salary debits of a pay run to the run's payment entry
//     (key "payroll-payment/<run>") by their end-to-end IDs, without a rule:
//     the lines whose IDs name one run (Options.PayrollRun; by default the
//     ID up to its last '/', payroll.EndToEndID's readable form) match when
//     their sum is the entry's amount on the account;
//  3. applies Rules in their order: RuleEndToEnd (the entry whose metadata
//     "end_to_end_id" is the line's, with the same amount on the account),
//     RuleBookLines (an entry on the account not matched yet, with the same
//     amount, dated within Days of the line; the nearest, then the oldest),
//     RuleOpenItems (one open item of a party with exactly the line's amount
//     open, or open less its cash discount while the discount date allows,
//     dated on or before the line and due at most Days before it; customer
//     receipts against receivables, supplier payments against payables; an
//     item the line's text names wins over others, several candidates
//     otherwise leave the line alone), and RuleText (a regular expression on
//     the line's text and counterparty posts it to an account).
//
// A matched line links to its ledger entry (a Match, stored). Lines matched
// to open items are settled through partners.Parties.Settle and lines
// matched by a text rule are posted as an entry whose voucher is the line's
// reference, both only when Reconcile is asked to post; otherwise they are
// reported as proposals. Matching is indexed by end-to-end ID, amount and
// date and never compares every line with every candidate: Plan, the pure
// matching step, is O((lines + candidates) · log).
//
// Each posting is idempotent (its key is "bank/<account>/<ref>"), and its
// match is stored right after it; a run stopped between the two resumes
// by step 1.
//
// # Report
//
// Reconciler.Report builds the reconciliation of an account as a
// reporting.Report: the bank balance per the latest statement, the book
// balance on its closing day, and every open item between them (statement
// lines not in the books, book lines on the account since the first
// statement that no line matches); its check proves bank balance − lines
// not in the books + book lines not on the statement = book balance.
//
// A *Reconciler is safe for concurrent use; concurrent Reconcile calls on
// one account may try to post the same line, which the idempotent keys
// turn into one posting and the store into one match.
package reconcile
