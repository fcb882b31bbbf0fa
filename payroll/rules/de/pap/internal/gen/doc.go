// Command gen regenerates package pap's *_gen.go files from the PAP XML
// files in pap/testdata. Run it through go generate in package pap:
//
//	go generate ./payroll/rules/de/pap
package main
