package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/openbackoffice/backoffice/bank/reconcile"
	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

// Statements runs the conformance suite of reconcile.Store against a new,
// empty store from newStore: statements and lines round-trip (amounts,
// dates, end-to-end IDs, times at microsecond precision), an import is
// all or nothing and idempotent by digest, line references are unique per
// account, lists come in their documented order, and matches are added all
// or none, once per line.
func Statements(t *testing.T, newStore func(t *testing.T) reconcile.Store) {
	ctx := context.Background()
	s := newStore(t)
	d := date.MustParse
	eur := func(v string) money.Amount { return money.MustParse(v, money.EUR) }
	at := time.Date(2026, 12, 31, 18, 0, 0, 123456000, time.UTC)
	st := reconcile.Statement{Book: "b", Account: "1200", ID: "2026-12", BankAccount: "DE02120300000000202051", Currency: money.EUR,
		Balances: true, Opening: eur("100.00"), Closing: eur("-5.50"), OpeningDate: d("2026-12-01"), ClosingDate: d("2026-12-31"),
		Format: "camt.053.001.08", Lines: 2, Digest: [32]byte{1}, ImportedAt: at}
	lines := []reconcile.Line{
		{N: 1, Ref: "R2", Booked: d("2026-12-05"), Value: d("2026-12-06"), Amount: eur("-105.50"),
			EndToEndIDs: []string{"run/1", "run/2"}, Text: "Gehälter"},
		{N: 2, Ref: "R1", Booked: d("2026-12-05"), Amount: eur("0.00"), Counterparty: "Kunde", CounterpartyAccount: "DE89370400440532013000", Text: ""},
	}
	added, err := s.AddStatement(ctx, st, lines)
	if err != nil || !added {
		t.Fatalf("AddStatement: %v, %v", added, err)
	}
	if added, err := s.AddStatement(ctx, st, lines); err != nil || added {
		t.Errorf("same statement again: added %v, err %v; want false, nil", added, err)
	}
	other := st
	other.Digest = [32]byte{2}
	if _, err := s.AddStatement(ctx, other, lines); !errors.Is(err, reconcile.ErrConflict) {
		t.Errorf("same ID, other digest: %v, want ErrConflict", err)
	}
	// A new statement reusing a reference writes nothing, not even its
	// other lines.
	st2 := st
	st2.ID, st2.Digest, st2.OpeningDate, st2.ClosingDate, st2.Opening = "2027-01", [32]byte{3}, d("2027-01-01"), d("2027-01-31"), eur("-5.50")
	lines2 := []reconcile.Line{{N: 1, Ref: "R3", Booked: d("2027-01-02"), Amount: eur("1.00")}, {N: 2, Ref: "R1", Booked: d("2027-01-03"), Amount: eur("1.00")}}
	if _, err := s.AddStatement(ctx, st2, lines2); !errors.Is(err, reconcile.ErrConflict) {
		t.Errorf("reused reference: %v, want ErrConflict", err)
	}
	// The same account in another book is another account.
	st3 := st
	st3.Book = "c"
	if added, err := s.AddStatement(ctx, st3, lines[:1]); err != nil || !added {
		t.Errorf("other book: %v, %v", added, err)
	}
	sts, err := s.Statements(ctx, "b", "1200")
	if err != nil {
		t.Fatal(err)
	}
	opts := cmp.Options{cmpopts.EquateComparable(money.Amount{}, money.Currency{}, date.Date{}), cmpopts.EquateEmpty()}
	if diff := cmp.Diff(sts, []reconcile.Statement{st}, opts); diff != "" {
		t.Errorf("Statements (-got +want):\n%s", diff)
	}
	want := make([]reconcile.Line, len(lines))
	for i, l := range lines {
		l.Book, l.Account, l.Statement = "b", "1200", "2026-12"
		want[i] = l
	}
	got, err := s.Lines(ctx, "b", reconcile.LineQuery{Account: "1200"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, want, opts); diff != "" {
		t.Errorf("Lines (-got +want):\n%s", diff)
	}
	if got, _ := s.Lines(ctx, "b", reconcile.LineQuery{To: d("2026-12-04")}); len(got) != 0 {
		t.Errorf("lines to 12-04: %d, want 0", len(got))
	}
	// Matches: all or none.
	m1 := reconcile.Match{Book: "b", Account: "1200", Ref: "R2", Entry: 7, Rule: "payroll", At: at}
	if err := s.AddMatches(ctx, []reconcile.Match{m1, {Book: "b", Account: "1200", Ref: "nope", Entry: 8, At: at}}); !errors.Is(err, reconcile.ErrNotFound) {
		t.Errorf("match of an unknown line: %v, want ErrNotFound", err)
	}
	if got, _ := s.Lines(ctx, "b", reconcile.LineQuery{Unmatched: true}); len(got) != 2 {
		t.Errorf("after a refused batch, %d unmatched lines, want 2", len(got))
	}
	if err := s.AddMatches(ctx, []reconcile.Match{m1, m1}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddMatches(ctx, []reconcile.Match{m1}); err != nil {
		t.Errorf("the same match again: %v", err)
	}
	m2 := m1
	m2.Entry = 9
	if err := s.AddMatches(ctx, []reconcile.Match{m2}); !errors.Is(err, reconcile.ErrConflict) {
		t.Errorf("matching a matched line to another entry: %v, want ErrConflict", err)
	}
	got, err = s.Lines(ctx, "b", reconcile.LineQuery{Account: "1200"})
	if err != nil {
		t.Fatal(err)
	}
	want[0].Entry, want[0].Rule, want[0].MatchedAt = 7, "payroll", at
	if diff := cmp.Diff(got, want, opts); diff != "" {
		t.Errorf("Lines after matching (-got +want):\n%s", diff)
	}
	got, err = s.Lines(ctx, "b", reconcile.LineQuery{Account: "1200", Unmatched: true})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, want[1:], opts); diff != "" {
		t.Errorf("unmatched lines (-got +want):\n%s", diff)
	}
}
