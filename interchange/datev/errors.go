package datev

import (
	"errors"
	"fmt"
)

// Sentinel errors; every error of this package wraps one of them.
var (
	// ErrUnsupported: an entry or a row holds something the other side
	// cannot express faithfully (several currencies in one entry,
	// conflicting cost centres in one booking, a DATEV column this
	// package does not read).
	ErrUnsupported = errors.New("datev: cannot be expressed faithfully")
	// ErrInvalid: a value breaks the format (an account too long, a bad
	// amount or date, a wrong header).
	ErrInvalid = errors.New("datev: invalid")
)

// EntryError is an export error naming the ledger entry at fault.
type EntryError struct {
	Seq    uint64
	Key    string
	Reason string
	Err    error // ErrUnsupported or ErrInvalid
}

func (e *EntryError) Error() string {
	return fmt.Sprintf("datev: entry %d (key %q): %s", e.Seq, e.Key, e.Reason)
}

func (e *EntryError) Unwrap() error { return e.Err }

// FieldError is an import error naming the file, line and DATEV column at
// fault.
type FieldError struct {
	File   string
	Line   int
	Column string // the column heading, or the header field's name
	Msg    string
	Err    error // ErrUnsupported or ErrInvalid
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Column, e.Msg)
}

func (e *FieldError) Unwrap() error { return e.Err }

// SyntaxError is a line that is not DATEV CSV: a quote left open, text
// after a closing quote.
type SyntaxError struct {
	File   string
	Line   int
	Column int // 1-based field number
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s:%d: field %d: %s", e.File, e.Line, e.Column, e.Msg)
}

func (e *SyntaxError) Unwrap() error { return ErrInvalid }
