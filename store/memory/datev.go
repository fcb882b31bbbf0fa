package memory

import (
	"context"
	"fmt"
	"sync"

	"github.com/openbackoffice/backoffice/interchange/datev"
	"github.com/openbackoffice/backoffice/ledger"
)

var _ datev.SettingsStore = (*Store)(nil)

// datevData holds the DATEV settings by book, beside the transactions of
// the other domains (settings are one value, written alone).
type datevData struct {
	mu       sync.Mutex
	settings map[string]datev.Settings
}

// DatevSettings implements datev.SettingsStore.
func (s *Store) DatevSettings(ctx context.Context, book string) (datev.Settings, error) {
	s.datev.mu.Lock()
	defer s.datev.mu.Unlock()
	st, ok := s.datev.settings[book]
	if !ok {
		return datev.Settings{}, fmt.Errorf("memory: book %s: %w", book, datev.ErrNoSettings)
	}
	return st, nil
}

// SetDatevSettings implements datev.SettingsStore.
func (s *Store) SetDatevSettings(ctx context.Context, st datev.Settings) error {
	s.mu.RLock()
	_, ok := s.books[st.Book]
	s.mu.RUnlock()
	if !ok {
		return fmt.Errorf("memory: DATEV settings of %s: %w", st.Book, ledger.ErrUnknownBook)
	}
	s.datev.mu.Lock()
	defer s.datev.mu.Unlock()
	if s.datev.settings == nil {
		s.datev.settings = map[string]datev.Settings{}
	}
	s.datev.settings[st.Book] = st
	return nil
}
