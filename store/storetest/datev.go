package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/openbackoffice/backoffice/interchange/datev"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// DatevStore is what DatevSettings tests: a store that creates books and
// keeps their DATEV settings.
type DatevStore interface {
	ledger.Store
	datev.SettingsStore
}

// DatevSettings runs the conformance suite of datev.SettingsStore against
// a new, empty store from newStore: a book without settings reports
// ErrNoSettings, settings round-trip per book, setting again replaces
// them, and settings of an unknown book are refused with
// ledger.ErrUnknownBook.
func DatevSettings(t *testing.T, newStore func(t *testing.T) DatevStore) {
	ctx := context.Background()
	s := newStore(t)
	l := ledger.New(s, nil)
	for _, id := range []string{"a", "b"} {
		if err := l.CreateBook(ctx, ledger.Book{ID: id, Name: id, Currency: money.EUR}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.DatevSettings(ctx, "a"); !errors.Is(err, datev.ErrNoSettings) {
		t.Errorf("no settings yet: err = %v, want ErrNoSettings", err)
	}
	a := datev.Settings{Book: "a", Consultant: 29098, Client: 55003, AccountLength: 4}
	b := datev.Settings{Book: "b", Consultant: 9999999, Client: 1, AccountLength: 8}
	for _, st := range []datev.Settings{a, b, a} {
		if err := s.SetDatevSettings(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	a.Client, a.AccountLength = 99999, 5
	if err := s.SetDatevSettings(ctx, a); err != nil {
		t.Fatal(err)
	}
	for _, want := range []datev.Settings{a, b} {
		got, err := s.DatevSettings(ctx, want.Book)
		if err != nil || got != want {
			t.Errorf("DatevSettings(%s) = %+v, %v; want %+v", want.Book, got, err, want)
		}
	}
	if err := s.SetDatevSettings(ctx, datev.Settings{Book: "nope", Consultant: 1001, Client: 1, AccountLength: 4}); !errors.Is(err, ledger.ErrUnknownBook) {
		t.Errorf("settings of an unknown book: err = %v, want ErrUnknownBook", err)
	}
}
