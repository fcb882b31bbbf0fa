package ledger_test

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/memory"
)

// ledgerCmp compares the package's values: Currency and Date have unexported
// fields and no Equal method; both are comparable.
var ledgerCmp = cmp.Options{
	cmp.Comparer(func(a, b money.Currency) bool { return a == b }),
	cmp.Comparer(func(a, b date.Date) bool { return a == b }),
}

// testClock is a clock for Options.Now that advances by step on every call.
type testClock struct {
	mu   sync.Mutex
	t    time.Time
	step time.Duration
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.t
	c.t = c.t.Add(c.step)
	return t
}

// newBook returns a ledger over a fresh memory store holding book (EUR unless
// set) and accounts. The clock is fixed at 2026-04-01 09:00 UTC.
func newBook(t *testing.T, book ledger.Book, accounts ...ledger.Account) *ledger.Ledger {
	t.Helper()
	clock := &testClock{t: time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)}
	return newBookClock(t, clock, book, accounts...)
}

func newBookClock(t *testing.T, clock *testClock, book ledger.Book, accounts ...ledger.Account) *ledger.Ledger {
	t.Helper()
	ctx := context.Background()
	l := ledger.New(memory.New(), &ledger.Options{Now: clock.Now})
	if book.Currency.IsZero() {
		book.Currency = money.EUR
	}
	if err := l.CreateBook(ctx, book); err != nil {
		t.Fatal(err)
	}
	for i := range accounts {
		if accounts[i].Book == "" {
			accounts[i].Book = book.ID
		}
	}
	if len(accounts) > 0 {
		if err := l.CreateAccounts(ctx, accounts...); err != nil {
			t.Fatal(err)
		}
	}
	return l
}

// chart is a small chart for book "acme" (Book is filled in by newBook).
func chart() []ledger.Account {
	return []ledger.Account{
		{Code: "1200", Name: "Bank", Type: ledger.Asset},
		{Code: "1400", Name: "Receivables", Type: ledger.Asset},
		{Code: "1776", Name: "VAT payable", Type: ledger.Liability},
		{Code: "2970", Name: "Retained earnings", Type: ledger.Equity},
		{Code: "4210", Name: "Rent", Type: ledger.Expense},
		{Code: "8400", Name: "Revenue", Type: ledger.Revenue},
	}
}

func mustPost(t *testing.T, l *ledger.Ledger, e ledger.Entry) ledger.Posted {
	t.Helper()
	p, err := l.Post(context.Background(), e)
	if err != nil {
		t.Fatalf("Post(%q): %v", e.Key, err)
	}
	return p
}

// allEntries reads every entry of the book.
func allEntries(t *testing.T, l *ledger.Ledger, book string) []ledger.Posted {
	t.Helper()
	ps, err := l.Entries(context.Background(), book, ledger.EntryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// richEntry returns an entry using every field, with maps on the entry and
// on lines.
func richEntry() ledger.Entry {
	return ledger.Entry{
		Book: "acme", Key: "inv/2026-001", Date: date.MustParse("2026-03-15"),
		Description: "Invoice 2026-001", Voucher: "RE-2026-001", Journal: "AR",
		Metadata: map[string]string{"customer": "K-100", "source": "import"},
		Lines: []ledger.Line{
			{Account: "1400", Amount: eurMinor(11900), Memo: "gross", Dimensions: map[string]string{"customer": "K-100"}},
			{Account: "8400", Amount: eurMinor(-10000), Memo: "net", Dimensions: map[string]string{"costcentre": "CC-10", "project": "P-7"}},
			{Account: "1776", Amount: eurMinor(-1900), Memo: "VAT 19 %"}, // 11900 − 10000 − 1900 = 0
		},
	}
}

func TestPostSameKeyOtherPayload(t *testing.T) {
	tests := []struct {
		name string
		edit func(e *ledger.Entry)
	}{
		{"description", func(e *ledger.Entry) { e.Description = "Invoice 2026-001 " }},
		{"voucher", func(e *ledger.Entry) { e.Voucher = "RE-2026-002" }},
		{"date", func(e *ledger.Entry) { e.Date = date.MustParse("2026-03-16") }},
		{"journal", func(e *ledger.Entry) { e.Journal = "GL" }},
		{"journal emptied", func(e *ledger.Entry) { e.Journal = "" }},
		{"reverses", func(e *ledger.Entry) { e.Reverses = 1 }},
		{"adjusts", func(e *ledger.Entry) { e.Adjusts = 1 }},
		{"memo", func(e *ledger.Entry) { e.Lines[2].Memo = "VAT 19%" }},
		{"memo added", func(e *ledger.Entry) { e.Lines = slices.Clone(e.Lines); e.Lines[2].Memo += "!" }},
		{"dimension value", func(e *ledger.Entry) {
			e.Lines[1].Dimensions = map[string]string{"costcentre": "CC-11", "project": "P-7"}
		}},
		{"dimension added", func(e *ledger.Entry) { e.Lines[2].Dimensions = map[string]string{"costcentre": "CC-10"} }},
		{"dimension removed", func(e *ledger.Entry) { e.Lines[1].Dimensions = map[string]string{"project": "P-7"} }},
		{"dimension moved to another line", func(e *ledger.Entry) {
			e.Lines[0].Dimensions = nil
			e.Lines[1].Dimensions = map[string]string{"customer": "K-100", "costcentre": "CC-10", "project": "P-7"}
		}},
		{"metadata value", func(e *ledger.Entry) { e.Metadata = map[string]string{"customer": "K-101", "source": "import"} }},
		{"metadata added", func(e *ledger.Entry) {
			e.Metadata = map[string]string{"customer": "K-100", "source": "import", "x": ""}
		}},
		{"metadata removed", func(e *ledger.Entry) { e.Metadata = map[string]string{"customer": "K-100"} }},
		{"metadata key and value swapped", func(e *ledger.Entry) {
			e.Metadata = map[string]string{"K-100": "customer", "source": "import"}
		}},
		{"line order", func(e *ledger.Entry) { e.Lines[1], e.Lines[2] = e.Lines[2], e.Lines[1] }},
		{"account", func(e *ledger.Entry) { e.Lines[0].Account = "1200" }},
		{"amounts", func(e *ledger.Entry) {
			// 11901 − 10001 − 1900 = 0: still balanced, one cent more.
			e.Lines[0].Amount = eurMinor(11901)
			e.Lines[1].Amount = eurMinor(-10001)
		}},
		{"line split", func(e *ledger.Entry) {
			// 11900 − 10000 − 1000 − 900 = 0
			e.Lines = append(e.Lines[:2:2], ledger.Line{Account: "1776", Amount: eurMinor(-1000), Memo: "VAT 19 %"},
				ledger.Line{Account: "1776", Amount: eurMinor(-900)})
		}},
		{"currency", func(e *ledger.Entry) {
			for i := range e.Lines {
				e.Lines[i].Amount = money.New(e.Lines[i].Amount.MinorUnits(), money.USD)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			l := newBook(t, ledger.Book{ID: "acme"}, chart()...)
			first := mustPost(t, l, richEntry())

			e := richEntry()
			tt.edit(&e)
			if err := e.Validate(isoRegistry()); err != nil {
				t.Fatalf("the edited entry is invalid, fix the test: %v", err)
			}
			_, err := l.Post(ctx, e)
			if !errors.Is(err, ledger.ErrConflict) {
				t.Fatalf("Post(edited) = %v, want ErrConflict", err)
			}
			var ee *ledger.EntryError
			if !errors.As(err, &ee) || ee.Key != "inv/2026-001" || ee.Line != -1 || ee.Index != 0 {
				t.Errorf("Post(edited) = %#v, want an *EntryError for key inv/2026-001, line -1", err)
			}
			// Nothing was posted: the book still holds the first entry only.
			if diff := cmp.Diff(allEntries(t, l, "acme"), []ledger.Posted{first}, ledgerCmp); diff != "" {
				t.Errorf("entries (-got +want):\n%s", diff)
			}
		})
	}
}

// isoRegistry returns the registry a Ledger uses by default: ISO 4217 only.
func isoRegistry() *money.Registry { return money.NewRegistry() }

func TestPostSameKeySamePayload(t *testing.T) {
	// Maps with more than eight keys, built in opposite orders.
	keys := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"}
	forward, backward := map[string]string{}, map[string]string{}
	for i, k := range keys {
		forward[k] = keys[len(keys)-1-i]
	}
	for i := len(keys) - 1; i >= 0; i-- {
		backward[keys[i]] = keys[len(keys)-1-i]
	}

	tests := []struct {
		name        string
		first, edit func(e *ledger.Entry)
	}{
		{"identical", func(e *ledger.Entry) {}, func(e *ledger.Entry) {}},
		{"maps in another insertion order",
			func(e *ledger.Entry) { e.Metadata = forward; e.Lines[0].Dimensions = forward },
			func(e *ledger.Entry) { e.Metadata = backward; e.Lines[0].Dimensions = backward }},
		{"nil and empty maps", func(e *ledger.Entry) {
			e.Metadata = nil
			e.Lines[0].Dimensions = nil
		}, func(e *ledger.Entry) {
			e.Metadata = map[string]string{}
			e.Lines[0].Dimensions = map[string]string{}
		}},
		{"empty journal is GL", func(e *ledger.Entry) { e.Journal = "" }, func(e *ledger.Entry) { e.Journal = ledger.JournalGeneral }},
		{"GL journal is empty", func(e *ledger.Entry) { e.Journal = ledger.JournalGeneral }, func(e *ledger.Entry) { e.Journal = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			clock := &testClock{t: time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC), step: time.Hour}
			l := newBookClock(t, clock, ledger.Book{ID: "acme"}, chart()...)
			e1 := richEntry()
			tt.first(&e1)
			first := mustPost(t, l, e1)

			e2 := richEntry()
			tt.edit(&e2)
			got, err := l.Post(ctx, e2)
			if err != nil {
				t.Fatalf("Post(again) = %v", err)
			}
			// The first result, RecordedAt included, though the clock moved on.
			if diff := cmp.Diff(got, first, ledgerCmp); diff != "" {
				t.Errorf("Post(again) (-got +want):\n%s", diff)
			}
			if diff := cmp.Diff(allEntries(t, l, "acme"), []ledger.Posted{first}, ledgerCmp); diff != "" {
				t.Errorf("entries (-got +want):\n%s", diff)
			}
		})
	}
}

func TestPostBatchRepeatedKey(t *testing.T) {
	sale := func(key string, cents int64) ledger.Entry {
		return ledger.Entry{Book: "acme", Key: key, Date: date.MustParse("2026-03-15"), Lines: []ledger.Line{
			ledger.Debit("1200", eurMinor(cents)), ledger.Credit("8400", eurMinor(cents))}}
	}
	t.Run("same payload", func(t *testing.T) {
		l := newBook(t, ledger.Book{ID: "acme"}, chart()...)
		ps, err := l.PostBatch(context.Background(), []ledger.Entry{sale("a", 100), sale("b", 200), sale("a", 100)})
		if err != nil {
			t.Fatalf("PostBatch = %v", err)
		}
		// Entries 0 and 2 are one posting, seq 1; entry 1 is seq 2.
		if got, want := []uint64{ps[0].Seq, ps[1].Seq, ps[2].Seq}, []uint64{1, 2, 1}; !slices.Equal(got, want) {
			t.Errorf("seqs = %v, want %v", got, want)
		}
		if diff := cmp.Diff(ps[2], ps[0], ledgerCmp); diff != "" {
			t.Errorf("repeated entry (-got +want):\n%s", diff)
		}
		if diff := cmp.Diff(allEntries(t, l, "acme"), ps[:2], ledgerCmp); diff != "" {
			t.Errorf("entries (-got +want):\n%s", diff)
		}
	})
	t.Run("other payload", func(t *testing.T) {
		l := newBook(t, ledger.Book{ID: "acme"}, chart()...)
		_, err := l.PostBatch(context.Background(), []ledger.Entry{sale("a", 100), sale("b", 200), sale("a", 101)})
		var ee *ledger.EntryError
		if !errors.Is(err, ledger.ErrConflict) || !errors.As(err, &ee) || ee.Index != 2 || ee.Line != -1 {
			t.Fatalf("PostBatch = %v, want ErrConflict at entry 2", err)
		}
		if got := allEntries(t, l, "acme"); len(got) != 0 {
			t.Errorf("%d entries posted, want none", len(got))
		}
	})
}

// TestPostCopies checks that nothing a caller holds shares memory with what
// the ledger stored.
func TestPostCopies(t *testing.T) {
	ctx := context.Background()
	l := newBook(t, ledger.Book{ID: "acme"}, chart()...)
	want := richEntry()
	want.Journal = "AR"

	e := richEntry()
	p := mustPost(t, l, e)

	// Change everything the caller's entry holds.
	e.Description = "changed"
	e.Metadata["customer"] = "changed"
	e.Metadata["new"] = "x"
	e.Lines[0].Memo = "changed"
	e.Lines[0].Amount = eurMinor(1)
	e.Lines[0].Dimensions["customer"] = "changed"
	e.Lines[1].Dimensions["extra"] = "x"
	e.Lines[2].Account = "1200"

	// Change everything the returned Posted holds.
	p.Metadata["source"] = "changed"
	p.Lines[0].Dimensions["customer"] = "changed again"
	p.Lines[1].Memo = "changed"
	p.Lines[2].Amount = eurMinor(2)
	delete(p.Lines[1].Dimensions, "project")

	check := func(t *testing.T) ledger.Posted {
		t.Helper()
		got, err := l.Entry(ctx, "acme", 1)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(got.Entry, want, ledgerCmp); diff != "" {
			t.Errorf("stored entry (-got +want):\n%s", diff)
		}
		if _, err := l.Verify(ctx, "acme"); err != nil {
			t.Errorf("Verify = %v", err)
		}
		return got
	}
	t.Run("after changing the posted and returned values", func(t *testing.T) { check(t) })

	t.Run("after changing a read entry", func(t *testing.T) {
		got := check(t)
		got.Metadata["customer"] = "changed"
		got.Lines[0].Dimensions["customer"] = "changed"
		got.Lines[0].Memo = "changed"
		byKey, err := l.EntryByKey(ctx, "acme", "inv/2026-001")
		if err != nil {
			t.Fatal(err)
		}
		byKey.Lines[1].Dimensions["costcentre"] = "changed"
		all := allEntries(t, l, "acme")
		all[0].Metadata["source"] = "changed"
		all[0].Lines[2].Memo = "changed"
		check(t)
	})

	t.Run("after changing a replayed result", func(t *testing.T) {
		again, err := l.Post(ctx, richEntry())
		if err != nil {
			t.Fatal(err)
		}
		again.Metadata["customer"] = "changed"
		again.Lines[0].Dimensions["customer"] = "changed"
		check(t)
	})

	t.Run("batch", func(t *testing.T) {
		b := richEntry()
		b.Key = "inv/2026-002"
		batch := []ledger.Entry{b}
		ps, err := l.PostBatch(ctx, batch)
		if err != nil {
			t.Fatal(err)
		}
		batch[0].Lines[0].Dimensions["customer"] = "changed"
		batch[0].Metadata["customer"] = "changed"
		ps[0].Lines[1].Dimensions["costcentre"] = "changed"
		got, err := l.EntryByKey(ctx, "acme", "inv/2026-002")
		if err != nil {
			t.Fatal(err)
		}
		wantB := richEntry()
		wantB.Key = "inv/2026-002"
		if diff := cmp.Diff(got.Entry, wantB, ledgerCmp); diff != "" {
			t.Errorf("stored entry (-got +want):\n%s", diff)
		}
	})
}

func TestAccountCopies(t *testing.T) {
	ctx := context.Background()
	l := newBook(t, ledger.Book{ID: "acme"})
	meta := map[string]string{"role": "bank"}
	if err := l.CreateAccounts(ctx, ledger.Account{Book: "acme", Code: "1200", Name: "Bank", Type: ledger.Asset, Metadata: meta}); err != nil {
		t.Fatal(err)
	}
	meta["role"] = "changed"
	a, err := l.Account(ctx, "acme", "1200")
	if err != nil {
		t.Fatal(err)
	}
	a.Metadata["role"] = "changed again"
	as, err := l.Accounts(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	as[0].Metadata["role"] = "changed once more"
	got, err := l.Account(ctx, "acme", "1200")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got.Metadata, map[string]string{"role": "bank"}); diff != "" {
		t.Errorf("stored metadata (-got +want):\n%s", diff)
	}
}

// canonical is the canonical encoding of e, version 1, written from the
// package documentation independently of the code.
func canonical(e ledger.Entry) []byte {
	var b []byte
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	dict := func(m map[string]string) {
		b = binary.AppendUvarint(b, uint64(len(m)))
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			str(k)
			str(m[k])
		}
	}
	b = append(b, 1)
	str(e.Book)
	str(e.Key)
	str(e.Date.String())
	str(e.Description)
	str(e.Voucher)
	if e.Journal == "" {
		str("GL")
	} else {
		str(e.Journal)
	}
	b = binary.AppendUvarint(b, e.Reverses)
	b = binary.AppendUvarint(b, e.Adjusts)
	dict(e.Metadata)
	b = binary.AppendUvarint(b, uint64(len(e.Lines)))
	for _, ln := range e.Lines {
		str(ln.Account)
		str(ln.Amount.Currency().Code())
		b = binary.AppendUvarint(b, uint64(ln.Amount.Currency().MinorUnits()))
		b = binary.AppendVarint(b, ln.Amount.MinorUnits())
		str(ln.Memo)
		dict(ln.Dimensions)
	}
	return b
}

// chain is SHA-256(prev ‖ seq ‖ recordedAt ‖ digest), integers big-endian.
func chain(prev [32]byte, seq uint64, at time.Time, digest [32]byte) [32]byte {
	b := slices.Concat(prev[:],
		binary.BigEndian.AppendUint64(nil, seq),
		binary.BigEndian.AppendUint64(nil, uint64(at.UnixMicro())),
		digest[:])
	return sha256.Sum256(b)
}

func TestCanonicalBytes(t *testing.T) {
	e := ledger.Entry{Book: "b", Key: "k", Date: date.MustParse("2026-03-15"), Lines: []ledger.Line{
		ledger.Debit("1", eurMinor(100)), ledger.Credit("2", eurMinor(100))}}
	want := []byte{
		1,      // version
		1, 'b', // book
		1, 'k', // key
		10, '2', '0', '2', '6', '-', '0', '3', '-', '1', '5', // date
		0,           // description
		0,           // voucher
		2, 'G', 'L', // journal: empty means GL
		0,                                             // reverses
		0,                                             // adjusts
		0,                                             // metadata: no pairs
		2,                                             // lines
		1, '1', 3, 'E', 'U', 'R', 2, 0xc8, 0x01, 0, 0, // zig-zag(100) = 200 = 0x48|0x80, 0x01
		1, '2', 3, 'E', 'U', 'R', 2, 0xc7, 0x01, 0, 0, // zig-zag(−100) = 199 = 0x47|0x80, 0x01
	}
	if diff := cmp.Diff(canonical(e), want); diff != "" {
		t.Fatalf("the test's encoder is wrong (-got +want):\n%s", diff)
	}
	l := newBook(t, ledger.Book{ID: "b"},
		ledger.Account{Code: "1", Name: "One", Type: ledger.Asset},
		ledger.Account{Code: "2", Name: "Two", Type: ledger.Revenue})
	p := mustPost(t, l, e)
	if got, want := p.Digest, sha256.Sum256(want); got != want {
		t.Errorf("Digest = %x, want %x", got, want)
	}
}

func TestHashChain(t *testing.T) {
	ctx := context.Background()
	// A clock in another zone with nanoseconds: RecordedAt is UTC, truncated
	// to microseconds.
	cet := time.FixedZone("CET", 3600)
	clock := &testClock{t: time.Date(2026, 3, 31, 18, 30, 0, 123456789, cet), step: 1500 * time.Millisecond}
	l := newBookClock(t, clock, ledger.Book{ID: "acme"}, chart()...)

	entries := []ledger.Entry{
		richEntry(),
		{Book: "acme", Date: date.MustParse("2026-03-20"), Lines: []ledger.Line{
			ledger.Debit("1200", eurMinor(11900)), ledger.Credit("1400", eurMinor(11900))}},
		{Book: "acme", Key: "rent/03", Date: date.MustParse("2026-03-31"), Journal: "AP", Reverses: 0, Adjusts: 2,
			Metadata: map[string]string{"z": "1", "a": "2"}, Lines: []ledger.Line{
				ledger.Debit("4210", eurMinor(80000)), ledger.Credit("1200", eurMinor(80000))}},
	}
	var posted []ledger.Posted
	for _, e := range entries {
		posted = append(posted, mustPost(t, l, e))
	}

	wantAt := []time.Time{
		time.Date(2026, 3, 31, 17, 30, 0, 123456000, time.UTC), // 18:30:00.123456789 CET
		time.Date(2026, 3, 31, 17, 30, 1, 623456000, time.UTC), // + 1.5 s
		time.Date(2026, 3, 31, 17, 30, 3, 123456000, time.UTC), // + 3 s
	}
	var prev [32]byte
	for i, p := range posted {
		if p.Seq != uint64(i+1) {
			t.Errorf("entry %d: Seq = %d, want %d", i, p.Seq, i+1)
		}
		if !p.RecordedAt.Equal(wantAt[i]) || p.RecordedAt.Location() != time.UTC {
			t.Errorf("entry %d: RecordedAt = %v, want %v", i, p.RecordedAt, wantAt[i])
		}
		if got, want := p.Digest, sha256.Sum256(canonical(entries[i])); got != want {
			t.Errorf("entry %d: Digest = %x, want %x", i, got, want)
		}
		want := chain(prev, uint64(i+1), wantAt[i], p.Digest)
		if p.Hash != want {
			t.Errorf("entry %d: Hash = %x, want %x", i, p.Hash, want)
		}
		prev = want
	}

	head, err := l.Verify(ctx, "acme")
	if err != nil {
		t.Fatalf("Verify = %v", err)
	}
	last := posted[len(posted)-1]
	if diff := cmp.Diff(head, ledger.Head{Seq: last.Seq, Hash: last.Hash}); diff != "" {
		t.Errorf("Verify head (-got +want):\n%s", diff)
	}

	t.Run("empty book", func(t *testing.T) {
		l := newBook(t, ledger.Book{ID: "empty"})
		head, err := l.Verify(ctx, "empty")
		if err != nil || head != (ledger.Head{}) {
			t.Errorf("Verify = %+v, %v; want the zero Head", head, err)
		}
	})
	t.Run("unknown book", func(t *testing.T) {
		if _, err := l.Verify(ctx, "nope"); !errors.Is(err, ledger.ErrUnknownBook) {
			t.Errorf("Verify = %v, want ErrUnknownBook", err)
		}
	})
}

func TestCreateBook(t *testing.T) {
	ctx := context.Background()
	zzz, err := money.NewCurrency("ZZZ", 2)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		book    ledger.Book
		wantErr error
	}{
		{"empty ID", ledger.Book{Currency: money.EUR}, ledger.ErrInvalid},
		{"ID with slash", ledger.Book{ID: "a/b", Currency: money.EUR}, ledger.ErrInvalid},
		{"fiscal year start 13", ledger.Book{ID: "acme", Currency: money.EUR, FiscalYearStart: 13}, ledger.ErrInvalid},
		{"fiscal year start -1", ledger.Book{ID: "acme", Currency: money.EUR, FiscalYearStart: -1}, ledger.ErrInvalid},
		{"no currency", ledger.Book{ID: "acme"}, ledger.ErrInvalid},
		{"unknown currency", ledger.Book{ID: "acme", Currency: zzz}, ledger.ErrUnknownCurrency},
		{"duplicate", ledger.Book{ID: "taken", Currency: money.EUR}, ledger.ErrDuplicate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newBook(t, ledger.Book{ID: "taken"})
			if err := l.CreateBook(ctx, tt.book); !errors.Is(err, tt.wantErr) {
				t.Errorf("CreateBook = %v, want %v", err, tt.wantErr)
			}
			bs, err := l.Books(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(bs) != 1 || bs[0].ID != "taken" {
				t.Errorf("books = %+v, want only taken", bs)
			}
		})
	}
	t.Run("default fiscal year start", func(t *testing.T) {
		l := newBook(t, ledger.Book{ID: "acme", Name: "ACME GmbH"})
		got, err := l.Book(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		want := ledger.Book{ID: "acme", Name: "ACME GmbH", Currency: money.EUR, FiscalYearStart: 1}
		if diff := cmp.Diff(got, want, ledgerCmp); diff != "" {
			t.Errorf("Book (-got +want):\n%s", diff)
		}
	})
}

func TestCreateAccounts(t *testing.T) {
	ctx := context.Background()
	acct := func(code, parent string) ledger.Account {
		return ledger.Account{Book: "acme", Code: code, Name: "Account " + code, Type: ledger.Asset, Parent: parent}
	}
	zzz, err := money.NewCurrency("ZZZ", 2)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		accounts  []ledger.Account
		wantErr   error
		wantCodes []string // the book's accounts afterwards; 1000 exists before
	}{
		{"parent exists", []ledger.Account{acct("1100", "1000")}, nil, []string{"1000", "1100"}},
		{"parent earlier in the call", []ledger.Account{acct("1100", "1000"), acct("1110", "1100"), acct("1111", "1110")}, nil,
			[]string{"1000", "1100", "1110", "1111"}},
		{"parent later in the call", []ledger.Account{acct("1110", "1100"), acct("1100", "1000")}, ledger.ErrUnknownAccount, []string{"1000"}},
		{"unknown parent", []ledger.Account{acct("1100", "9999")}, ledger.ErrUnknownAccount, []string{"1000"}},
		{"parent in another book", []ledger.Account{acct("1100", "5000")}, ledger.ErrUnknownAccount, []string{"1000"}},
		{"own parent", []ledger.Account{acct("1100", "1100")}, ledger.ErrInvalid, []string{"1000"}},
		{"bad third account", []ledger.Account{acct("1100", "1000"), acct("1200", ""), {Book: "acme", Code: "1300", Type: ledger.Asset}},
			ledger.ErrInvalid, []string{"1000"}},
		{"third account exists", []ledger.Account{acct("1100", "1000"), acct("1200", ""), acct("1000", "")},
			ledger.ErrDuplicate, []string{"1000"}},
		{"third account repeats the first", []ledger.Account{acct("1100", "1000"), acct("1200", ""), acct("1100", "")},
			ledger.ErrDuplicate, []string{"1000"}},
		{"third account in an unknown book", []ledger.Account{acct("1100", "1000"), acct("1200", ""), {Book: "nope", Code: "1300", Name: "x", Type: ledger.Asset}},
			ledger.ErrUnknownBook, []string{"1000"}},
		{"third account in an unknown currency", []ledger.Account{acct("1100", "1000"), acct("1200", ""), {Book: "acme", Code: "1300", Name: "x", Type: ledger.Asset, Currency: zzz}},
			ledger.ErrUnknownCurrency, []string{"1000"}},
		{"none", nil, nil, []string{"1000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newBook(t, ledger.Book{ID: "acme"}, acct("1000", ""))
			if err := l.CreateBook(ctx, ledger.Book{ID: "other", Currency: money.EUR}); err != nil {
				t.Fatal(err)
			}
			if err := l.CreateAccounts(ctx, ledger.Account{Book: "other", Code: "5000", Name: "x", Type: ledger.Asset}); err != nil {
				t.Fatal(err)
			}
			err := l.CreateAccounts(ctx, tt.accounts...)
			if tt.wantErr == nil && err != nil || !errors.Is(err, tt.wantErr) {
				t.Errorf("CreateAccounts = %v, want %v", err, tt.wantErr)
			}
			as, err := l.Accounts(ctx, "acme")
			if err != nil {
				t.Fatal(err)
			}
			var codes []string
			for _, a := range as {
				codes = append(codes, a.Code)
			}
			if diff := cmp.Diff(codes, tt.wantCodes); diff != "" {
				t.Errorf("accounts (-got +want):\n%s", diff)
			}
		})
	}
}

func TestCloseAccount(t *testing.T) {
	ctx := context.Background()
	l := newBook(t, ledger.Book{ID: "acme"}, chart()...)
	sale := func(key string) ledger.Entry {
		return ledger.Entry{Book: "acme", Key: key, Date: date.MustParse("2026-03-15"), Lines: []ledger.Line{
			ledger.Debit("1200", eurMinor(5000)), ledger.Credit("8400", eurMinor(5000))}}
	}
	mustPost(t, l, sale("s1"))

	closed := func(t *testing.T) bool {
		t.Helper()
		a, err := l.Account(ctx, "acme", "8400")
		if err != nil {
			t.Fatal(err)
		}
		return a.Closed
	}
	balance := func(t *testing.T) ledger.Balance {
		t.Helper()
		b, err := l.Balance(ctx, "acme", "8400", date.Date{})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	wantBal := ledger.Balance{eurMinor(-5000)} // one sale of 50.00 credited

	steps := []struct {
		name       string
		op         func() error
		wantClosed bool
		wantPost   error
		wantBal    ledger.Balance
	}{
		{"close", func() error { return l.CloseAccount(ctx, "acme", "8400") }, true, ledger.ErrAccountClosed, wantBal},
		{"close again is a no-op", func() error { return l.CloseAccount(ctx, "acme", "8400") }, true, ledger.ErrAccountClosed, wantBal},
		{"reopen", func() error { return l.ReopenAccount(ctx, "acme", "8400") }, false, nil, ledger.Balance{eurMinor(-10000)}},
		{"reopen again is a no-op", func() error { return l.ReopenAccount(ctx, "acme", "8400") }, false, nil, ledger.Balance{eurMinor(-15000)}},
	}
	for i, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if err := s.op(); err != nil {
				t.Fatalf("%s = %v", s.name, err)
			}
			if got := closed(t); got != s.wantClosed {
				t.Errorf("Closed = %t, want %t", got, s.wantClosed)
			}
			_, err := l.Post(ctx, sale("s"+string(rune('2'+i))))
			if !errors.Is(err, s.wantPost) || s.wantPost == nil && err != nil {
				t.Errorf("Post = %v, want %v", err, s.wantPost)
			}
			var ee *ledger.EntryError
			if s.wantPost != nil && (!errors.As(err, &ee) || ee.Line != 1) {
				t.Errorf("Post = %v, want an *EntryError for line 1", err)
			}
			if diff := cmp.Diff(balance(t), s.wantBal, ledgerCmp); diff != "" {
				t.Errorf("balance (-got +want):\n%s", diff)
			}
		})
	}
	t.Run("unknown", func(t *testing.T) {
		if err := l.CloseAccount(ctx, "acme", "9999"); !errors.Is(err, ledger.ErrUnknownAccount) {
			t.Errorf("CloseAccount(unknown account) = %v, want ErrUnknownAccount", err)
		}
		if err := l.ReopenAccount(ctx, "nope", "8400"); !errors.Is(err, ledger.ErrUnknownBook) {
			t.Errorf("ReopenAccount(unknown book) = %v, want ErrUnknownBook", err)
		}
	})
	t.Run("replay of an entry posted before closing", func(t *testing.T) {
		if err := l.CloseAccount(ctx, "acme", "8400"); err != nil {
			t.Fatal(err)
		}
		p, err := l.Post(ctx, sale("s1"))
		if err != nil || p.Seq != 1 {
			t.Errorf("Post(replay) = seq %d, %v; want seq 1, nil", p.Seq, err)
		}
	})
}

// TestConstraintNaturalSide checks that constraints bound the natural
// balance: credit minus debit on a credit-normal account.
func TestConstraintNaturalSide(t *testing.T) {
	ctx := context.Background()
	l := newBook(t, ledger.Book{ID: "acme"},
		ledger.Account{Code: "1200", Name: "Bank", Type: ledger.Asset, Constraint: ledger.NonNegative()},
		ledger.Account{Code: "1700", Name: "Customer deposits", Type: ledger.Liability, Constraint: ledger.NonNegative()},
		ledger.Account{Code: "8400", Name: "Revenue", Type: ledger.Revenue},
	)
	move := func(key, dr, cr string, cents int64) ledger.Entry {
		return ledger.Entry{Book: "acme", Key: key, Date: date.MustParse("2026-03-15"), Lines: []ledger.Line{
			ledger.Debit(dr, eurMinor(cents)), ledger.Credit(cr, eurMinor(cents))}}
	}
	steps := []struct {
		entry    ledger.Entry
		wantErr  error
		wantLine int
	}{
		{move("deposit", "1200", "1700", 10000), nil, 0},                       // bank 100.00 dr, deposits 100.00 cr (natural +100.00)
		{move("use too much", "1700", "8400", 10001), ledger.ErrConstraint, 0}, // deposits natural 100.00 − 100.01 < 0
		{move("use all", "1700", "8400", 10000), nil, 0},                       // deposits natural 0
		{move("overdraw", "8400", "1200", 10001), ledger.ErrConstraint, 1},     // bank 100.00 − 100.01 < 0
		{move("empty bank", "8400", "1200", 10000), nil, 0},                    // bank 0
	}
	for _, s := range steps {
		t.Run(s.entry.Key, func(t *testing.T) {
			_, err := l.Post(ctx, s.entry)
			if s.wantErr == nil {
				if err != nil {
					t.Fatalf("Post = %v", err)
				}
				return
			}
			var ee *ledger.EntryError
			if !errors.Is(err, s.wantErr) || !errors.As(err, &ee) || ee.Line != s.wantLine {
				t.Errorf("Post = %v, want %v on line %d", err, s.wantErr, s.wantLine)
			}
		})
	}
}

func TestReverse(t *testing.T) {
	ctx := context.Background()
	l := newBook(t, ledger.Book{ID: "acme"}, chart()...)
	orig := mustPost(t, l, richEntry())
	d := date.MustParse("2026-03-20")

	r, err := l.Reverse(ctx, "acme", orig.Seq, d, "wrong customer")
	if err != nil {
		t.Fatal(err)
	}
	want := ledger.Entry{
		Book: "acme", Key: "reverse/1", Date: d, Description: "Storno: wrong customer",
		Voucher: "RE-2026-001", Journal: "AR", Reverses: 1,
		Lines: []ledger.Line{
			{Account: "1400", Amount: eurMinor(-11900), Memo: "gross", Dimensions: map[string]string{"customer": "K-100"}},
			{Account: "8400", Amount: eurMinor(10000), Memo: "net", Dimensions: map[string]string{"costcentre": "CC-10", "project": "P-7"}},
			{Account: "1776", Amount: eurMinor(1900), Memo: "VAT 19 %"},
		},
	}
	if diff := cmp.Diff(r.Entry, want, ledgerCmp); diff != "" {
		t.Errorf("reversal (-got +want):\n%s", diff)
	}

	tests := []struct {
		name    string
		seq     uint64
		d       date.Date
		reason  string
		wantSeq uint64
		wantErr error
	}{
		{"again", 1, d, "wrong customer", 2, nil},
		{"again on another day", 1, d.AddDays(1), "wrong customer", 0, ledger.ErrState},
		{"again for another reason", 1, d, "other", 0, ledger.ErrState},
		{"unknown entry", 9, d, "", 0, ledger.ErrNotFound},
		{"the reversal", 2, d, "", 3, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := l.Reverse(ctx, "acme", tt.seq, tt.d, tt.reason)
			if !errors.Is(err, tt.wantErr) || tt.wantErr == nil && err != nil {
				t.Fatalf("Reverse = %v, want %v", err, tt.wantErr)
			}
			if p.Seq != tt.wantSeq {
				t.Errorf("Seq = %d, want %d", p.Seq, tt.wantSeq)
			}
		})
	}
	t.Run("description without reason", func(t *testing.T) {
		p, err := l.Entry(ctx, "acme", 3)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := p.Description, "Storno: Storno: wrong customer"; got != want {
			t.Errorf("Description = %q, want %q", got, want)
		}
	})
}
