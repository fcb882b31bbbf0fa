// Package datev writes and reads the DATEV-Format (EXTF), the files German
// tax advisors import into DATEV Rechnungswesen: the Buchungsstapel
// (bookings, data category 21, format version 13), Kontenbeschriftungen
// (account labels, category 20, format version 3) and Debitoren/Kreditoren
// (customers and suppliers, category 16, format version 5), all under
// header version 700. The fields follow DATEV's format description on the
// DATEV developer portal (developer.datev.de, "DATEV-Format": Header and
// Buchungsstapel).
//
// Files are Windows-1252 ("ANSI") with CRLF line ends, fields separated by
// ';', text fields in double quotes with quotes doubled, numbers without
// quotes, amounts positive with a decimal comma and the side in the
// Soll/Haben-Kennzeichen, the Belegdatum as DDMM within the header's date
// range. Characters outside Windows-1252 are transliterated (diacritics
// dropped, Ł as L …) and texts longer than a field's maximum are cut; each
// such change is reported as a Notice, never made silently.
//
// # Export
//
// WriteBookings streams a book's entries of a date range within one fiscal
// year, a page at a time. Bookings turns one entry into DATEV's
// two-account bookings exactly: one booking per line against the entry's
// single debit or credit line, or, for n debit and m credit lines, an
// in-order split; the amounts per account always add up to the entry's.
// VAT lines are merged into the gross amounts of DATEV automatic accounts
// (Automatikkonten, from package vat) when DATEV's own tax computation gives
// the same cents, and are otherwise booked directly, the automatic
// accounts then with BU-Schlüssel 40. Likewise the tax of a line's VAT code
// (dimension "vat") that has a BU-Schlüssel is merged into the other lines
// with that code, which are then booked gross with the code's
// BU-Schlüssel, when DATEV's computation gives the same cents; otherwise
// it is booked directly, the lines net without BU-Schlüssel, and a Notice
// says why. Lines on the receivables and payables
// control accounts carrying the party dimension are booked on the party's
// personal account; the cost-centre dimension goes to KOST1 (and one more
// to KOST2); other dimensions go to the Zusatzinformation columns.
// Festschreibung is set for bookings in locked periods.
//
// A line in another currency than the book's that carries its base amount
// (ledger.Line.Base) is written as DATEV defines a foreign-currency
// booking: Umsatz and WKZ Umsatz its amount in its currency, Basis-Umsatz
// and WKZ Basis-Umsatz its base amount in the book's currency (what DATEV
// books), and Kurs the units of the foreign currency per unit of the
// book's, to six decimals (11,000.00 USD booked at 9,900.00 EUR: Kurs
// 1,111111). The split keeps every account's sum in the book's currency and
// in each foreign one; revaluations (the book's currency on an account
// held in a foreign one) are plain bookings. A Kurs that does not convert
// the Umsatz back to the cent of Basis-Umsatz, and one below 1 (outside the
// expression DATEV publishes), are reported as Notices. What DATEV cannot
// hold — a line in another currency without a base amount, a base amount
// of 0.00, one booking between two foreign currencies, a rate of five
// digits before the comma, account or party numbers that are no DATEV
// accounts, conflicting dimension values in one booking — is refused with
// an *EntryError naming the entry.
//
// # Import
//
// ReadBookings reads a Buchungsstapel back, all or nothing, faithful or
// refusing: any value in a column it does not read (Skonto, Generalumkehr
// …) fails the file with a *FieldError naming file, line and column. Tax
// on automatic accounts and from BU-Schlüssel is split off as DATEV
// computes it; a BU-Schlüssel's net and tax lines carry its VAT code as
// dimension "vat". A foreign-currency booking, which must give Kurs and
// Basis-Umsatz consistently, becomes converted lines on the accounts held
// in its currency; a revaluation an entry of journal FX. Entry keys derive
// from the header and the line, so an import is idempotent through
// ledger.Ledger.PostBatch.
//
// # Concurrency
//
// The functions of this package share no state and are safe for concurrent
// use; an Options value must not change while in use.
package datev
