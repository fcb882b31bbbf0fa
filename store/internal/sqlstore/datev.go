package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/openbackoffice/backoffice/interchange/datev"
	"github.com/openbackoffice/backoffice/ledger"
)

var _ datev.SettingsStore = (*Store)(nil)

// DatevSettings implements datev.SettingsStore.
func (s *Store) DatevSettings(ctx context.Context, book string) (datev.Settings, error) {
	out := datev.Settings{Book: book}
	err := s.read(ctx, func(x *tx) error {
		err := x.queryRow(ctx, rebind(s.d, "SELECT consultant, client, account_length FROM bo_datev_settings WHERE book = ?"), book).
			Scan(&out.Consultant, &out.Client, &out.AccountLength)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%s store: book %s: %w", s.d.Name, book, datev.ErrNoSettings)
		}
		return err
	})
	return out, err
}

// SetDatevSettings implements datev.SettingsStore.
func (s *Store) SetDatevSettings(ctx context.Context, st datev.Settings) error {
	return s.write(ctx, func(x *tx) error {
		var one int
		err := x.queryRow(ctx, rebind(s.d, "SELECT 1 FROM bo_books WHERE id = ?"), st.Book).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%s store: DATEV settings of %s: %w", s.d.Name, st.Book, ledger.ErrUnknownBook)
		}
		if err != nil {
			return err
		}
		_, err = x.exec(ctx, rebind(s.d, `INSERT INTO bo_datev_settings (book, consultant, client, account_length) VALUES (?, ?, ?, ?)
ON CONFLICT (book) DO UPDATE SET consultant = excluded.consultant, client = excluded.client, account_length = excluded.account_length`),
			st.Book, st.Consultant, st.Client, st.AccountLength)
		return err
	})
}
