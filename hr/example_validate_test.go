package hr_test

import (
	"errors"
	"fmt"

	"github.com/openbackoffice/backoffice/hr"
)

// The three IBANs of issue 26 that a checksum alone accepts: an unknown
// country, letters in a German account number, check digits 01.
func ExampleValidIBAN() {
	for _, iban := range []string{"DE89370400440532013000", "ZZ1812345678901234", "DE6937040044ABCDEFGHIJ", "DE01370400440000000042"} {
		fmt.Println(iban, hr.ValidIBAN(iban))
	}
	// Output:
	// DE89370400440532013000 true
	// ZZ1812345678901234 false
	// DE6937040044ABCDEFGHIJ false
	// DE01370400440000000042 false
}

func ExampleValidTaxID() {
	fmt.Println(hr.ValidTaxID("36574261809"), hr.ValidTaxID("36574261890"))
	// Output: true false
}

// An error names the field and the personnel number, never the value.
func ExampleEmployee_Validate_personalID() {
	e := hr.Employee{ID: "acme/1001", Employer: "acme", PersonnelNumber: "1001", FamilyName: "Muster",
		HireDate: day("2026-01-01"), SSN: "666123456"}
	err := e.Validate()
	fmt.Println(errors.Is(err, hr.ErrPersonalID))
	fmt.Println(err)
	// Output:
	// true
	// hr: employee 1001: field ssn: hr: invalid personal identifier: area 000, 666 and 900–999 are never issued
}
