package ledger_test

import (
	"context"
	"errors"
	"testing"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// TestReviseAmend: an edited entry is a Revision of the posted one; Amend
// posts its Storno and the new version; the next Revise finds the edited
// entry posted (under the version's key) and a second edit amends the
// latest version.
func TestReviseAmend(t *testing.T) {
	ctx := context.Background()
	l := newBook(t, ledger.Book{ID: "acme"}, chart()...)
	first := mustPost(t, l, richEntry())
	edit := func(cents int64) []ledger.Entry {
		e := richEntry()
		e.Lines[0].Amount = eurMinor(e.Lines[0].Amount.MinorUnits() + cents)
		e.Lines[1].Amount = eurMinor(e.Lines[1].Amount.MinorUnits() - cents)
		return []ledger.Entry{e}
	}
	same := []ledger.Entry{richEntry()}
	if revs, err := l.Revise(ctx, "acme", same); err != nil || len(revs) != 0 || same[0].Key != first.Key {
		t.Fatalf("Revise(unchanged) = %v, %v, key %q", revs, err, same[0].Key)
	}
	for v, cents := range []int64{100, 250} {
		es := edit(cents)
		revs, err := l.Revise(ctx, "acme", es)
		if err != nil || len(revs) != 1 {
			t.Fatalf("Revise(edited) = %v, %v", revs, err)
		}
		if _, err := l.Post(ctx, es[0]); !errors.Is(err, ledger.ErrConflict) {
			t.Fatalf("Post(edited) = %v, want ErrConflict", err)
		}
		posted, err := l.Amend(ctx, "acme", es, revs)
		if err != nil || len(posted) != 1 {
			t.Fatalf("Amend = %v, %v", posted, err)
		}
		want := first.Key + "#" + string(rune('2'+v))
		if posted[0].Key != want || posted[0].Adjusts != revs[0].Current.Seq {
			t.Errorf("amended version: key %q adjusts %d, want %q and %d", posted[0].Key, posted[0].Adjusts, want, revs[0].Current.Seq)
		}
		again := edit(cents)
		if revs, err := l.Revise(ctx, "acme", again); err != nil || len(revs) != 0 || again[0].Key != want {
			t.Errorf("Revise(after Amend) = %v, %v, key %q", revs, err, again[0].Key)
		}
	}
	if _, err := l.Verify(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
}

// TestReviseConverted: an entry the ledger converted at its rates is the
// same entry when imported again without base amounts: Revise finds it
// posted, not edited; an edit of its foreign amount is a Revision.
func TestReviseConverted(t *testing.T) {
	ctx := context.Background()
	l := fxBook(t, rateOn{"2026-01-02": "0.90", "2026-02-02": "0.92"})
	entry := func(usd string) []ledger.Entry {
		return []ledger.Entry{{Book: "B", Key: "fx-1", Date: date.MustParse("2026-02-02"), Lines: []ledger.Line{
			ledger.Debit("1200", money.MustParse("920.00", money.EUR)), ledger.Credit("1210", money.MustParse(usd, money.USD))}}}
	}
	p := mustPost(t, l, entry("1000.00")[0])
	if !p.Lines[1].Base.Equal(money.MustParse("-920.00", money.EUR)) {
		t.Fatalf("posted %+v, want 1210 converted to -920.00 EUR", p.Lines)
	}
	if revs, err := l.Revise(ctx, "B", entry("1000.00")); err != nil || len(revs) != 0 {
		t.Errorf("Revise(same entry, unconverted) = %+v, %v; want no revision", revs, err)
	}
	revs, err := l.Revise(ctx, "B", entry("1001.00"))
	if err != nil || len(revs) != 1 || revs[0].Current.Seq != p.Seq {
		t.Errorf("Revise(edited) = %+v, %v; want one revision of entry %d", revs, err, p.Seq)
	}
}
