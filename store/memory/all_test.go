package memory_test

import (
	"context"
	"errors"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/fx"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/memory"
)

// TestUpdateAll: what the domains' Updates and PutRates write inside
// UpdateAll stays if its function succeeds and is all undone if it
// fails, and a failed Update inside it undoes only its own writes.
func TestUpdateAll(t *testing.T) {
	ctx := context.Background()
	rate := fx.Rate{Date: date.MustParse("2025-01-02"), From: money.EUR, To: money.USD, Rate: decimal.RequireFromString("1.035")}
	fill := func(b *memory.Bound) error {
		if err := ledger.New(b, nil).CreateBook(ctx, ledger.Book{ID: "acme", Currency: money.EUR}); err != nil {
			return err
		}
		if _, err := hr.New(b, nil).Hire(ctx, hr.Employee{Employer: "acme", PersonnelNumber: "1", GivenName: "A", FamilyName: "B",
			HireDate: date.MustParse("2025-01-01")}); err != nil {
			return err
		}
		// A failing Update inside: a savepoint, the rest goes on.
		if err := b.Update(ctx, func(tx ledger.Tx) error {
			if err := tx.CreateBook(ctx, ledger.Book{ID: "gone", Currency: money.EUR}); err != nil {
				return err
			}
			return errors.New("undo me")
		}); err == nil {
			return errors.New("the inner Update did not fail")
		}
		_, err := b.PutRates(ctx, "acme", []fx.Rate{rate})
		return err
	}
	held := func(s *memory.Store) (books, emps, rates int) {
		bs, _ := ledger.New(s, nil).Books(ctx)
		es, _ := hr.New(s, nil).Employees(ctx, "acme")
		rs, _ := s.Rates(ctx, "")
		if len(bs) > 0 {
			rs, _ = s.Rates(ctx, "acme")
		}
		return len(bs), len(es), len(rs)
	}

	s := memory.New()
	boom := errors.New("boom")
	if err := s.UpdateAll(ctx, func(b *memory.Bound) error {
		if err := fill(b); err != nil {
			return err
		}
		return boom
	}); !errors.Is(err, boom) {
		t.Fatalf("UpdateAll: %v", err)
	}
	if b, e, r := held(s); b+e+r != 0 {
		t.Errorf("after a failed UpdateAll: %d books, %d employees, %d rates; want none", b, e, r)
	}
	if err := s.UpdateAll(ctx, fill); err != nil {
		t.Fatal(err)
	}
	if b, e, r := held(s); b != 1 || e != 1 || r != 1 {
		t.Errorf("after UpdateAll: %d books, %d employees, %d rates; want 1 each", b, e, r)
	}
}
