package datev

import (
	"context"
	"errors"
	"fmt"
)

// ErrNoSettings: a book has no DATEV settings stored.
var ErrNoSettings = errors.New("datev: no settings stored for the book")

// Settings are a book's DATEV numbers, stored with the book so that an
// export needs no flags: the tax advisor's consultant number, the client's
// number at the advisor and the chart's account length. Settings is a
// plain value, safe for concurrent use.
type Settings struct {
	Book          string
	Consultant    int // Beraternummer, 1001–9999999
	Client        int // Mandantennummer, 1–99999
	AccountLength int // Sachkontenlänge, 4–8
}

// Validate reports a Settings DATEV would refuse, wrapping ErrInvalid.
func (s Settings) Validate() error {
	switch {
	case s.Book == "":
		return fmt.Errorf("%w: settings without a book", ErrInvalid)
	case s.Consultant < 1001 || s.Consultant > 9999999:
		return fmt.Errorf("%w: consultant number %d, want 1001–9999999", ErrInvalid, s.Consultant)
	case s.Client < 1 || s.Client > 99999:
		return fmt.Errorf("%w: client number %d, want 1–99999", ErrInvalid, s.Client)
	case s.AccountLength < 4 || s.AccountLength > 8:
		return fmt.Errorf("%w: account length %d, want 4–8", ErrInvalid, s.AccountLength)
	}
	return nil
}

// SettingsStore keeps each book's Settings; the SQLite, PostgreSQL and
// memory stores implement it, and storetest.DatevSettings is its
// conformance suite. Implementations are safe for concurrent use.
type SettingsStore interface {
	// DatevSettings returns the book's settings, or an error wrapping
	// ErrNoSettings when none were stored.
	DatevSettings(ctx context.Context, book string) (Settings, error)
	// SetDatevSettings stores s (valid: callers check Validate first) in
	// place of the book's settings; the book must exist (an error
	// wrapping ledger.ErrUnknownBook otherwise). Setting the same values
	// again changes nothing.
	SetDatevSettings(ctx context.Context, s Settings) error
}
