// Package camt reads bank statements: ISO 20022 camt.053 (versions
// 001.02, 001.04 and 001.08), SWIFT MT940 with the German structured :86:
// field, and CSV exports described by a Mapping. Every reader returns the
// same Statement: the bank account, its currency, the opening and closing
// booked balances and the booked lines, each with the bank's reference.
//
//	sts, err := camt.ReadCAMT053(f, "2026-12.xml", &camt.Options{Currency: money.EUR})
//	sts, err := camt.ReadMT940(f, "2026-12.sta", nil)
//	m, err := camt.ReadMapping(mappingFile)
//	st, err := camt.ReadCSV(f, "export.csv", m, nil)
//
// # Faithful or refused
//
// A reader returns what the file says or an error; it never drops, guesses or
// rounds. Every error is a *Error naming the file, the line (and for XML the
// element path) and the reason, and wraps one sentinel: ErrFormat for
// malformed input, ErrVersion for a camt.053 version other than 02, 04 and 08,
// ErrScale for an amount with more decimals than its currency has, ErrIndicator
// for a missing or unknown credit/debit indicator, ErrCurrency for an amount
// in another currency than the account's (or than Options.Currency), ErrStatus
// for an entry that is not booked (pending or information entries are not
// part of the booked balance), and ErrBalance for a statement whose opening
// balance plus its lines is not its closing balance (a *BalanceError names
// the gap).
//
// # What is read
//
// camt.053: GrpHdr/MsgId; per Stmt its Id, Acct/Id (IBAN or Othr/Id),
// Acct/Ccy, the balances OPBD or PRCD (opening) and CLBD (closing), and per
// Ntry its amount, CdtDbtInd, status (BOOK), booking and value dates,
// AcctSvcrRef (else NtryRef), AddtlNtryInf and per TxDtls the end-to-end ID,
// the counterparty's name and account and the remittance information
// (unstructured lines and the structured creditor reference). The versions
// differ where this package reads in two places, handled explicitly: the
// entry status is plain text in 02 and 04 (<Sts>BOOK</Sts>) and a choice in
// 08 (<Sts><Cd>BOOK</Cd></Sts>), and a party is PartyIdentification in 02
// and 04 (<Dbtr><Nm>) and Party40Choice in 08 (<Dbtr><Pty><Nm>). Other
// elements (other balance types, availability, charges detail, batch
// counts) are skipped: they change no amount of a booked line.
//
// MT940: :20:, :25: (the account), :28C:, :60F: or :60M:, :61: with :86:,
// :62F: or :62M:, and :64:/:65:/:86: after the closing balance (skipped). :86:
// fields in the German structured form (a three-digit business transaction
// code followed by ?NN subfields) give the booking text (?00), the purpose
// (?20–?29 and ?60–?63, with SEPA keys such as EREF+ for the end-to-end ID
// and SVWZ+ for the remittance text), the counterparty's bank code and account
// (?30, ?31) and name (?32, ?33); other :86: text is the line's text.
//
// CSV: the columns a Mapping names; see Mapping.
//
// # References
//
// A Line's Ref identifies it at the bank and makes importing idempotent:
// camt.053's AcctSvcrRef (else NtryRef), MT940's bank reference (after //,
// else the account owner's reference unless NONREF), the CSV reference
// column. A line without one gets "<statement ID>/<position>", stable for
// the same statement but not across statements: a bank that sends
// overlapping exports without references cannot be told apart from one that
// booked a line twice.
//
// All functions are safe for concurrent use; a Statement is a plain value.
package camt
