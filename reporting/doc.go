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
package reporting
