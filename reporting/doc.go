// Package reporting builds financial reports from a ledger as plain data —
// trial balance (Summen- und Saldenliste), balance sheet, income statement,
// cash flow statement, general ledger and account statements — and renders
// them as aligned text, CSV and JSON. Package reporting/xlsx renders the same
// reports as styled Excel workbooks.
//
// A Report is columns, rows of exact cells (money.Amount, never float),
// subtotal rows that name the rows they add (Row.Terms), and checks that
// prove the report adds up. Builders read balances through the ledger;
// renderers never compute accounting.
//
// # Builders
//
// TrialBalance, BalanceSheet, IncomeStatement, CashFlow, GeneralLedger (and
// its stream GeneralLedgerRows) and AccountStatement each take a context, a
// Source (*ledger.Ledger is one), a book ID and Options: the period, the
// currency, a dimension filter, comparison columns, a depth limit, for the
// trial balance and general ledger an account query (a regular expression
// on account codes and names, as hledger's) and, for the balance sheet and
// income statement, a Layout. A trial balance may span fiscal years and
// show a column per month or quarter (hledger's balance -M and -Q). Balance-sheet reports
// and the trial balance read the ledger's maintained totals, so their cost
// grows with the number of accounts, not of postings. The general ledger
// reads postings and streams them.
//
// Because they read the maintained totals, a report is only as good as
// those tables: one changed behind the ledger's back gives a report that
// adds up and is wrong. Builders do not verify (a report's cost would grow
// with the postings again); run ledger.Ledger.Verify first, which checks
// the totals, balances and dimension index against the postings and names
// the first differing account and month, as books report does unless told
// --no-verify.
//
// PayrollRegister and Payslip report a calculated pay run from a
// PayrollSource (*payroll.Runs): per employee and cost centre, with the
// employer's cost, and one employee's payslip with year-to-date figures.
//
// OpenItems (the OPOS list), Aging, PartyStatement and DuePayments report
// customers' and suppliers' open items from a PartnerSource
// (*partners.Parties) with PartnerOptions: the open-item list and the
// aging check that Σ open items equals the balance of the receivables or
// payables control account, a party's statement that its closing balance
// equals what is open of its items.
//
// # Layouts
//
// Which account goes on which line of a balance sheet or income statement
// is data, a Layout read from CSV (ReadLayout) or shipped with the package
// (LoadLayout): defaults for ledger.DefaultChart, and the German HGB formats
// §266 (Bilanz) and §275 (2) (Gewinn- und Verlustrechnung,
// Gesamtkostenverfahren) for the SKR 03 and SKR 04 charts, which map
// accounts by their meta.hgb line code. An account with a balance that no
// line takes is ErrUnmapped and one that two lines take is ErrMappedTwice:
// a report never drops an amount silently.
//
// # Languages
//
// A report's frame — its title, column headings, fixed row labels
// ("Total", "Opening balance"), the default layouts' lines and its checks —
// is in the language of Options.Language ("de", "en"), by default the
// book's (BookLanguage: German for SKR03 and SKR04 books, which the HGB
// layouts' German lines go with). The words come from message catalogues,
// one plain-text file per language under messages/ (Messages, LoadMessages,
// ReadMessages): a language is added by adding a file. Report.Language
// tells the renderers, which take their own words and the format of
// amounts and dates from the same catalogue (1.234,56 and 31.12.2025 in
// German); CSV and JSON keep exact machine formats. Account names and
// entry texts are the book's data and are never translated.
//
// # Currencies
//
// A report is in one currency. By default that is the book's base currency
// and an account holding another is a *CurrencyError; set
// Options.Currency to report one currency of a multi-currency book.
//
// # Errors
//
// Errors wrap the sentinels in errors.go (ErrRange, ErrFiscalYear,
// ErrUnknownLayout, ErrLayout, ErrMappedTwice, ErrUnmapped, ErrCurrency,
// ErrOption, ErrQuery, ErrInconsistent, ErrNotCalculated, ErrNotInRun) or the
// Source's own (ledger.ErrUnknownBook, payroll.ErrRunNotFound,
// partners.ErrUnknownParty, …);
// MappingError, UnmappedError and CurrencyError carry the account,
// PayrollError the run and a reference to the employee ID (hr.IDRef).
//
// The package has no global state; every function is safe for concurrent
// use as long as the Source is.
package reporting
