// Package partners keeps a book's customers and suppliers (Debitoren und
// Kreditoren) and what they owe or are owed: invoices and credit notes,
// open items, payments with cash discounts and write-offs, dunning and
// payment proposals, all posted to package ledger.
//
// Parties work over a Store, which is also the ledger's store, so that a
// document, its open item and its journal entry commit in one transaction:
//
//	p := partners.New(store, &partners.Options{Accounts: partners.SKR03Accounts()})
//	err := p.AddParties(ctx, partners.Party{Book: "acme", Number: "10001", Role: partners.Customer,
//		Name: "Kunde GmbH", Terms: partners.Terms{NetDays: 30, DiscountDays: 10, DiscountRate: decimal.RequireFromString("0.02")}})
//	inv, err := p.Post(ctx, partners.Invoice{Book: "acme", Key: "order-4711", Kind: partners.InvoiceKind,
//		Party: "10001", Date: date.MustParse("2025-03-03"),
//		Lines: []partners.InvoiceLine{{Account: "8400", Net: money.MustParse("1000.00", money.EUR), VAT: "19"}}})
//	pay, err := p.Settle(ctx, partners.Payment{Book: "acme", Key: "bank/2025-03-12/1", Party: "10001",
//		Date: date.MustParse("2025-03-12"), Account: "1200", Amount: money.MustParse("1166.20", money.EUR)})
//
// # Parties
//
// A Party is a customer or supplier, numbered as a DATEV personal account
// (customers 10000–69999, suppliers 70000–99999 for four-digit accounts),
// with its address, VAT ID (format and, where published, check digit per
// EU country: CheckVATID), bank account, payment terms and dunning
// profile. Changes are versions valid from a day, appended, never
// overwritten. ReadParties reads them from CSV, all or nothing;
// ReadInvoices and ReadPayments read documents and payments for PostBatch
// and SettleBatch, which post them all or none.
//
// # Documents and open items
//
// Parties.Post numbers an invoice or credit note from its series without
// gaps (GoBD) and posts one entry: the gross amount on the control account
// (Accounts.Receivables or Payables) carrying the party and the item as
// ledger dimensions (DimParty, DimItem), the net amounts on the lines'
// accounts, the VAT per code. VAT is rounded half up once per code, or per
// line if the book's Settings say so; either way the lines' tax adds up to
// the code's. The net and tax lines carry the code's package vat code
// (DimVAT: "USt19" on a sale, "VSt19" on a purchase, as VATCode.Sales and
// Purchases say), and so do the lines with which a cash discount or
// write-off corrects them, one net line per code: the advance VAT return
// places them by code even on a chart with one VAT account for all rates. An invoice opens an Item; a credit note reduces the item of
// the invoice it corrects and can be no larger than what is open of it
// (documents are cancelled only by credit notes).
//
// Parties.Settle posts a payment against one or more items, partly or in
// full, with cash discounts within the item's terms and write-offs, whose
// VAT is corrected in the proportions of the item's VAT codes. Overpaying,
// settling a settled item, paying in another currency (multi-currency is
// not supported yet) and reusing a key with another payload are errors;
// nothing is posted then.
//
// An item's open amount is derived data: the store keeps it as the sum of
// the item's moves, and Parties.Verify recomputes it from the ledger's
// control-account lines alone. Parties.Reconcile compares Σ open items
// with the control accounts' balances, which agree when nothing else is
// posted on them.
//
// # Reports, dunning and payments
//
// Parties.Items lists open items as of any day (OPOS), Parties.Aging sums
// them by party and bucket of days overdue from the store's aggregate;
// package reporting turns them into reports. Parties.Dun runs the dunning
// of a day, idempotently: notices per customer with the level's fee and
// statutory default interest (§ 288 BGB: the base rate, GermanBaseRates,
// plus 9 points for businesses, 5 for consumers). Parties.Propose builds a
// payment proposal of due supplier items, taking cash discounts while the
// pay date allows, and Parties.PayProposal posts it; each payment's
// end-to-end ID ties the bank transfer back to the items.
//
// # Errors
//
// Every error a caller may branch on wraps one of the sentinel errors
// (ErrInvalid, ErrOverpayment …); test with errors.Is. A *FieldError names
// the record, its identifier and the field. Messages name party numbers,
// document numbers, item IDs and keys, never names, addresses, VAT IDs,
// bank accounts or amounts.
//
// # Concurrency
//
// A *Parties is safe for concurrent use; every call runs in one store
// transaction.
package partners
