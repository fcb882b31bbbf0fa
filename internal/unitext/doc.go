// Package unitext holds the one rule of the module for characters that text
// must not contain: controls, bidirectional controls and characters that
// are invisible. The ledger uses it for codes (book IDs, account codes),
// hr for names and other free text.
//
// A reader cannot see these characters, so two values that look the same
// may differ (a zero-width space in a name makes a second person), and a
// bidirectional override (U+202E) makes a value display as something else
// than what it is: "Trojan Source" in data.
package unitext
