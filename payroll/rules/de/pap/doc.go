// Package pap computes German wage tax (Lohnsteuer), solidarity surcharge
// (Solidaritätszuschlag) and the church-tax base exactly as the Federal
// Ministry of Finance's Programmablaufplan (PAP) prescribes, to the cent.
//
// The code for each year is generated from the BMF's machine-readable PAP
// (XML pseudo-code with Java BigDecimal arithmetic, copies in testdata/) by
// internal/papgen: one Go method per PAP method, one struct field per PAP
// variable, the same names. Arithmetic is exact decimal arithmetic
// (shopspring/decimal) with Java BigDecimal's semantics: add, subtract and
// multiply are exact, divide(d) is exact or fails with ErrArithmetic,
// divide(d, scale, mode) and setScale(scale, mode) round with the named
// Java rounding mode (ROUND_DOWN toward zero, ROUND_UP away from zero).
// The package never changes decimal.DivisionPrecision and never uses
// decimal.Div.
//
// There are two levels:
//
//   - Lohnsteuer2025 and Lohnsteuer2026 take one year's inputs (Input2025,
//     Input2026) and return its outputs, field for field as the XML
//     declares them. Amounts are in cent.
//   - For picks the Calculator for a date; Calculator.Calculate takes the
//     year-independent Input (the union of all years' fields).
//
// All functions are pure and safe for concurrent use.
//
// To refresh the generated files after replacing the XML in testdata:
//
//	go generate ./payroll/rules/de/pap
package pap

//go:generate go run ./internal/gen -in testdata -out .
