package hr

// IBANFormats exposes the IBAN registry table to the tests of package hr_test.
var IBANFormats = ibanFormats
