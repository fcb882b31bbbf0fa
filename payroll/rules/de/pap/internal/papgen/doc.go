// Package papgen turns the BMF's machine-readable wage-tax flow charts
// (Programmablaufplan, PAP, XML pseudo-code with Java BigDecimal expressions)
// into Go source for package pap.
//
// It is used by pap's go:generate directive (see ../gen) and by pap's test
// that checks the committed output is up to date. It is not safe for
// concurrent use of one Generator; separate calls to Generate are independent.
package papgen
