package sqlite_test

import (
	"context"
	"errors"
	"testing"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// TestGuards writes around the library with raw SQL and checks that the
// schema refuses what the ledger would: changing posted rows, an entry
// inside the chain, an unbalanced or one-line entry, a gap, a posting to an
// account not in the chart. After each refusal Verify still passes.
func TestGuards(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	l := ledger.New(s, nil)
	if err := l.CreateBook(ctx, ledger.Book{ID: "A", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	if err := l.CreateAccounts(ctx,
		ledger.Account{Book: "A", Code: "1000", Name: "Bank", Type: ledger.Asset},
		ledger.Account{Book: "A", Code: "4000", Name: "Revenue", Type: ledger.Revenue},
	); err != nil {
		t.Fatal(err)
	}
	eur := money.New(1000, money.EUR)
	p, err := l.Post(ctx, ledger.Entry{Book: "A", Date: date.MustParse("2026-01-05"),
		Lines: []ledger.Line{ledger.Debit("1000", eur), {Account: "4000", Amount: eur.Neg(), Dimensions: map[string]string{"cc": "10"}}}})
	if err != nil {
		t.Fatal(err)
	}
	hash := p.Hash[:]
	db := s.DB()
	// forge inserts a forged entry 2 with the given lines (account, minor
	// units) and moves the head to seq, all in one transaction.
	forge := func(seq int, lines [][2]any) error {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if _, err := tx.Exec(`INSERT INTO bo_entries (book, seq, key, date, description, voucher, journal, reverses, adjusts, metadata, recorded_at, digest, hash)
			VALUES ('A', 2, NULL, '2026-01-06', '', '', '', 0, 0, NULL, 0, ?, ?)`, hash, hash); err != nil {
			return err
		}
		for i, ln := range lines {
			if _, err := tx.Exec(`INSERT INTO bo_postings (book, seq, line, account, currency, amount, memo, dims, date, closing)
				VALUES ('A', 2, ?, ?, 'EUR', ?, '', NULL, '2026-01-06', 0)`, i, ln[0], ln[1]); err != nil {
				return err
			}
		}
		if _, err := tx.Exec("UPDATE bo_books SET head_seq = ?, head_hash = ? WHERE id = 'A'", seq, hash); err != nil {
			return err
		}
		return tx.Commit()
	}
	for _, c := range []struct {
		name string
		run  func() error
	}{
		{"UpdateEntry", func() error { _, err := db.Exec("UPDATE bo_entries SET description = 'x'"); return err }},
		{"DeleteEntry", func() error { _, err := db.Exec("DELETE FROM bo_entries"); return err }},
		{"UpdatePosting", func() error { _, err := db.Exec("UPDATE bo_postings SET amount = amount * 2"); return err }},
		{"DeletePosting", func() error { _, err := db.Exec("DELETE FROM bo_postings"); return err }},
		{"UpdateDim", func() error { _, err := db.Exec("UPDATE bo_dims SET value = 'x'"); return err }},
		{"DeleteDim", func() error { _, err := db.Exec("DELETE FROM bo_dims"); return err }},
		{"PostingInsideChain", func() error {
			_, err := db.Exec("INSERT INTO bo_postings (book, seq, line, account, currency, amount, memo, dims, date, closing) VALUES ('A', 1, 2, '1000', 'EUR', 5, '', NULL, '2026-01-05', 0)")
			return err
		}},
		{"Unbalanced", func() error { return forge(2, [][2]any{{"1000", 500}, {"4000", -400}}) }},
		{"OneLine", func() error { return forge(2, [][2]any{{"1000", 500}}) }},
		{"UnknownAccount", func() error { return forge(2, [][2]any{{"1000", 500}, {"9999", -500}}) }},
		{"Gap", func() error { return forge(3, [][2]any{{"1000", 500}, {"4000", -500}}) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := c.run(); err == nil {
				t.Fatal("the write was accepted")
			}
			if _, err := l.Verify(ctx, "A"); err != nil {
				t.Errorf("Verify after the refused write: %v", err)
			}
		})
	}
	// The same forged entry, balanced and continuing the chain, is stored:
	// the guards refuse what is wrong, not writes as such. Verify then
	// catches the forged hash.
	if err := forge(2, [][2]any{{"1000", 500}, {"4000", -500}}); err != nil {
		t.Fatalf("a well-formed forged entry was refused: %v", err)
	}
	if _, err := l.Verify(ctx, "A"); !errors.Is(err, ledger.ErrTampered) {
		t.Errorf("Verify after a forged entry: %v, want ErrTampered", err)
	}
}
