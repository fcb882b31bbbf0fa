// Package sepa writes SEPA credit transfers as pain.001.001.09 customer
// credit transfer initiations under the EPC SEPA Credit Transfer
// customer-to-bank implementation guidelines (EPC132-08, 2023): the file a
// company uploads to its bank to pay salaries or suppliers.
//
//	res, err := sepa.Write(w, sepa.Message{
//		ID: "PAY-2025-03", CreatedAt: now, InitiatingParty: "Demo Trading GmbH",
//		BatchBooking: true,
//		Transfers: []sepa.Transfer{{
//			Debtor:        sepa.Party{Name: "Demo Trading GmbH", Account: hr.BankAccount{IBAN: "DE02120300000000202051"}},
//			ExecutionDate: date.MustParse("2025-03-31"),
//			EndToEndID:    "demo/2025-03/1001",
//			Amount:        money.MustParse("2814.36", money.EUR),
//			Creditor:      sepa.Party{Name: "Anna Müller", Account: hr.BankAccount{IBAN: "DE89370400440532013000"}},
//			Purpose:       sepa.Salary, CategoryPurpose: sepa.Salary,
//			Remittance:    "Salary 2025-03",
//		}},
//	})
//
// Write takes any list of transfers; Salaries makes them from a pay run's
// payroll.Transfer values, and a supplier payment proposal's payments
// (partners.ProposedPayment) carry what a Transfer needs.
//
// # What is checked
//
// Accounts are IBANs, checked by hr.BankAccount.Validate (ISO 13616 mod 97
// and the country's length), with an optional BIC; a US routing and
// account number is refused. Amounts are in euros, exact
// (money.Amount), 0.01–999,999,999.99. End-to-end and message IDs are 1–35
// characters of the SEPA set and are never changed. A message with any
// problem is not written at all; the error names each transfer by its index
// and the field, never an IBAN, a name or a text.
//
// # Character set
//
// The guidelines allow the Latin character set a–z A–Z 0–9 / - ? : ( ) . ,
// ' + and space. Latin converts names and texts to it (ä → ae, ß → ss,
// é → e, & → +, anything else → '.'), and Write reports every converted
// or shortened name and text in Result.Changes, for the user to check. The
// changes hold names: show them, never log them.
//
// # Concurrency
//
// Every function of the package is safe for concurrent use.
package sepa
