package ledger_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/memory"
)

// groupStore is a memory store that counts Update calls, can make them slow
// or hold one until released (so that Post calls pile up behind it), and can
// fail or panic in Append for a chosen entry key.
type groupStore struct {
	*memory.Store
	updates  atomic.Int64
	delay    time.Duration // every transaction sleeps this long
	failKey  string        // Append fails with errInjected if an entry has this key
	panicKey string        // Append panics if an entry has this key

	mu   sync.Mutex
	hold *gate // the next Update waits on it inside its transaction
}

var errInjected = errors.New("injected store failure")

// gate holds one transaction: held is closed once it waits, and it goes on
// when release is closed.
type gate struct{ held, release chan struct{} }

// holdNext makes the next Update wait inside its transaction until released.
func (s *groupStore) holdNext() *gate {
	g := &gate{held: make(chan struct{}), release: make(chan struct{})}
	s.mu.Lock()
	s.hold = g
	s.mu.Unlock()
	return g
}

func (s *groupStore) Update(ctx context.Context, fn func(ledger.Tx) error) error {
	s.updates.Add(1)
	s.mu.Lock()
	g := s.hold
	s.hold = nil
	s.mu.Unlock()
	return s.Store.Update(ctx, func(tx ledger.Tx) error {
		if g != nil {
			close(g.held)
			<-g.release
		}
		if s.delay > 0 {
			time.Sleep(s.delay)
		}
		return fn(faultTx{Tx: tx, s: s})
	})
}

type faultTx struct {
	ledger.Tx
	s *groupStore
}

func (t faultTx) Append(ctx context.Context, book string, entries []ledger.Posted) error {
	for _, p := range entries {
		switch {
		case t.s.failKey != "" && p.Key == t.s.failKey:
			return fmt.Errorf("append %s: %w", p.Key, errInjected)
		case t.s.panicKey != "" && p.Key == t.s.panicKey:
			panic("injected panic")
		}
	}
	return t.Tx.Append(ctx, book, entries)
}

// queueCtx reports, by closing waiting, the first call of Done: a Post that
// waits in its book's queue watches its context, so once Done was called
// the Post is queued.
type queueCtx struct {
	context.Context
	once    sync.Once
	waiting chan struct{}
}

func (c *queueCtx) Done() <-chan struct{} {
	c.once.Do(func() { close(c.waiting) })
	return c.Context.Done()
}

type postResult struct {
	p   ledger.Posted
	err error
}

// postQueued starts Post(ctx, e) on its own goroutine and returns once the
// call waits in the book's queue; the result arrives on the channel.
func postQueued(t *testing.T, l *ledger.Ledger, ctx context.Context, e ledger.Entry) <-chan postResult {
	t.Helper()
	qc := &queueCtx{Context: ctx, waiting: make(chan struct{})}
	ch := make(chan postResult, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				ch <- postResult{err: fmt.Errorf("panic: %v", r)}
			}
		}()
		p, err := l.Post(qc, e)
		ch <- postResult{p, err}
	}()
	select {
	case <-qc.waiting:
	case r := <-ch:
		t.Fatalf("Post(%s) = %v before it queued", e.Key, r.err)
	}
	return ch
}

// holdBook posts e and holds its transaction, so that further Post calls to
// the book queue behind it. Release the gate to let it commit.
func holdBook(t *testing.T, l *ledger.Ledger, st *groupStore, e ledger.Entry) (*gate, <-chan postResult) {
	t.Helper()
	g := st.holdNext()
	ch := make(chan postResult, 1)
	go func() {
		p, err := l.Post(context.Background(), e)
		ch <- postResult{p, err}
	}()
	<-g.held
	return g, ch
}

var groupDay = date.MustParse("2026-03-10")

// groupChart is the chart of book "grp": a cash account that must not go
// negative, equity, an expense account and a closed asset account.
func groupChart() []ledger.Account {
	return []ledger.Account{
		{Book: "grp", Code: "1000", Name: "Cash", Type: ledger.Asset, Constraint: ledger.NonNegative()},
		{Book: "grp", Code: "1900", Name: "Old bank", Type: ledger.Asset},
		{Book: "grp", Code: "3000", Name: "Equity", Type: ledger.Equity},
		{Book: "grp", Code: "4000", Name: "Expenses", Type: ledger.Expense},
	}
}

// newGroupBook returns a ledger over a groupStore holding book "grp" with
// groupChart, lock date 2026-01-31, account 1900 closed and one entry
// posted (which is what lets later posts to the book be grouped). The clock
// stands still, so ledgers set up alike post alike entries alike.
func newGroupBook(t *testing.T, opts ledger.Options) (*ledger.Ledger, *groupStore) {
	t.Helper()
	ctx := context.Background()
	st := &groupStore{Store: memory.New()}
	clock := &testClock{t: time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)}
	opts.Now = clock.Now
	l := ledger.New(st, &opts)
	if err := l.CreateBook(ctx, ledger.Book{ID: "grp", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	if err := l.CreateAccounts(ctx, groupChart()...); err != nil {
		t.Fatal(err)
	}
	if err := l.CloseAccount(ctx, "grp", "1900"); err != nil {
		t.Fatal(err)
	}
	if err := l.SetLockDate(ctx, "grp", date.MustParse("2026-01-31")); err != nil {
		t.Fatal(err)
	}
	mustPost(t, l, transfer("seed", "4000", "3000", 1))
	return l, st
}

// transfer returns an entry of book "grp" debiting dr and crediting cr with
// cents euro cents.
func transfer(key, dr, cr string, cents int64) ledger.Entry {
	return ledger.Entry{Book: "grp", Key: key, Date: groupDay, Description: "transfer " + key, Lines: []ledger.Line{
		ledger.Debit(dr, eurMinor(cents)), ledger.Credit(cr, eurMinor(cents)),
	}}
}

func balanceOf(t *testing.T, l *ledger.Ledger, code string) money.Amount {
	t.Helper()
	b, err := l.Balance(context.Background(), "grp", code, date.Date{})
	if err != nil {
		t.Fatal(err)
	}
	return b.In(money.EUR)
}

func mustVerify(t *testing.T, l *ledger.Ledger, book string) ledger.Head {
	t.Helper()
	h, err := l.Verify(context.Background(), book)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	return h
}

func TestPostGroupConcurrent(t *testing.T) {
	const (
		workers = 24
		each    = 8
	)
	l, st := newGroupBook(t, ledger.Options{})
	st.delay = time.Millisecond // slow commits: callers pile up
	before := st.updates.Load()
	ctx := context.Background()
	codes := []string{"1000", "3000", "4000"}
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		want     = map[string]int64{"4000": 1, "3000": -1} // the seed entry
		reversed int
	)
	for g := range workers {
		wg.Go(func() {
			for i := range each {
				cents := int64(100*g + i + 1)
				dr, cr := codes[(g+i)%3], codes[(g+i+1)%3]
				if dr == "1000" || cr == "1000" { // keep Cash non-negative: no credits to it
					dr, cr = "1000", codes[1+(g+i)%2]
				}
				p, err := l.Post(ctx, transfer(fmt.Sprintf("w%02d-%d", g, i), dr, cr, cents))
				if err != nil {
					t.Errorf("Post: %v", err)
					return
				}
				mu.Lock()
				want[dr] += cents
				want[cr] -= cents
				mu.Unlock()
				if i%4 == 3 && dr != "1000" { // Reverse goes through Post too
					if _, err := l.Reverse(ctx, "grp", p.Seq, groupDay, "undo"); err != nil {
						t.Errorf("Reverse(%d): %v", p.Seq, err)
						return
					}
					mu.Lock()
					want[dr] -= cents
					want[cr] += cents
					reversed++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	n := 1 + workers*each + reversed
	updates := st.updates.Load() - before
	t.Logf("%d posts (%d reversals) in %d transactions", workers*each+reversed, reversed, updates)
	if updates >= int64(workers*each+reversed) {
		t.Errorf("%d Update calls for %d posts: no groups formed", updates, workers*each+reversed)
	}
	entries := allEntries(t, l, "grp")
	if len(entries) != n {
		t.Fatalf("%d entries, want %d", len(entries), n)
	}
	for i, p := range entries {
		if p.Seq != uint64(i+1) {
			t.Fatalf("entry %d has Seq %d", i+1, p.Seq)
		}
	}
	if h := mustVerify(t, l, "grp"); h.Seq != uint64(n) {
		t.Errorf("Verify head %d, want %d", h.Seq, n)
	}
	for _, code := range []string{"1000", "3000", "4000"} {
		if got := balanceOf(t, l, code); got != eurMinor(want[code]) {
			t.Errorf("balance of %s = %v, want %v", code, got, eurMinor(want[code]))
		}
	}
}

// groupCase is one Post of a group: its entry and the sentinel its error
// must wrap (nil: posted).
type groupCase struct {
	name  string
	entry ledger.Entry
	want  error
}

// runGroup posts lead, holds its transaction while cases queue up in order,
// then lets them all go. It returns the results in order (lead's first)
// and the number of Update calls that took.
func runGroup(t *testing.T, l *ledger.Ledger, st *groupStore, lead ledger.Entry, cases []groupCase) ([]postResult, int64) {
	t.Helper()
	before := st.updates.Load()
	g, leadCh := holdBook(t, l, st, lead)
	chans := []<-chan postResult{leadCh}
	for _, c := range cases {
		chans = append(chans, postQueued(t, l, context.Background(), c.entry))
	}
	close(g.release)
	var out []postResult
	for _, ch := range chans {
		out = append(out, <-ch)
	}
	return out, st.updates.Load() - before
}

// postAlone posts the same entries one after another through a ledger that
// does not group, set up like l.
func postAlone(t *testing.T, entries []ledger.Entry) []postResult {
	t.Helper()
	l, _ := newGroupBook(t, ledger.Options{MaxGroup: 1})
	var out []postResult
	for _, e := range entries {
		p, err := l.Post(context.Background(), e)
		out = append(out, postResult{p, err})
	}
	return out
}

func TestPostGroupMixed(t *testing.T) {
	withKey := func(e ledger.Entry, key string) ledger.Entry { e.Key = key; return e }
	lineOn := func(e ledger.Entry, i int, code string) ledger.Entry {
		e.Lines = slices.Clone(e.Lines)
		e.Lines[i].Account = code
		return e
	}
	dated := func(e ledger.Entry, d string) ledger.Entry { e.Date = date.MustParse(d); return e }
	reversing := func(e ledger.Entry, seq uint64) ledger.Entry { e.Reverses = seq; return e }

	// Seq 1 is the seed, 2 the lead; the group's entries that post follow.
	lead := transfer("lead", "4000", "3000", 500)
	cases := []groupCase{
		{"fund cash", transfer("fund", "1000", "3000", 10000), nil},                   // 3, cash 100.00
		{"spend within cash", transfer("spend1", "4000", "1000", 8000), nil},          // 4, cash 20.00
		{"overspend", transfer("spend2", "4000", "1000", 5000), ledger.ErrConstraint}, // cash stays 20.00
		{"spend the rest", transfer("spend3", "4000", "1000", 2000), nil},             // 5, cash 0: passes only if spend2 left no trace
		{"unknown account", lineOn(transfer("unknown", "4000", "3000", 10), 0, "9999"), ledger.ErrUnknownAccount},
		{"closed account", transfer("closed", "1900", "3000", 10), ledger.ErrAccountClosed},
		{"locked date", dated(transfer("locked", "4000", "3000", 10), "2026-01-15"), ledger.ErrPeriodLocked},
		{"posted key, other payload", withKey(transfer("x", "4000", "3000", 7), "lead"), ledger.ErrConflict},
		{"posted key, same payload", lead, nil},                                                // the lead's result
		{"key first", transfer("dup", "4000", "3000", 30), nil},                                // 6
		{"key again, same payload", transfer("dup", "4000", "3000", 30), nil},                  // 6 again
		{"key first, other payload later", transfer("dup2", "4000", "3000", 40), nil},          // 7
		{"key again, other payload", transfer("dup2", "4000", "3000", 41), ledger.ErrConflict}, // 7 stays
		{"key first fails", lineOn(transfer("retry", "4000", "3000", 50), 1, "9999"), ledger.ErrUnknownAccount},
		{"key again succeeds", transfer("retry", "4000", "3000", 51), nil},                               // 8
		{"reverses the next seq", reversing(transfer("rev9", "3000", "4000", 51), 9), ledger.ErrInvalid}, // head is 8: failures took no seq
		{"reverses the last seq", reversing(transfer("rev8", "3000", "4000", 51), 8), nil},               // 9
		{"spends cash it no longer has", transfer("spend4", "4000", "1000", 1), ledger.ErrConstraint},
	}
	l, st := newGroupBook(t, ledger.Options{})
	got, updates := runGroup(t, l, st, lead, cases)
	if updates != 2 {
		t.Errorf("%d Update calls, want 2 (the lead, then one for the group)", updates)
	}
	if got[0].err != nil {
		t.Fatalf("lead: %v", got[0].err)
	}
	for i, c := range cases {
		r := got[i+1]
		if !errors.Is(r.err, c.want) || c.want == nil && r.err != nil {
			t.Errorf("%s: Post = %v, want %v", c.name, r.err, c.want)
			continue
		}
		if c.want == nil {
			continue
		}
		var ee *ledger.EntryError
		if !errors.As(r.err, &ee) || ee.Index != 0 || ee.Key != c.entry.Key {
			t.Errorf("%s: Post = %#v, want an *EntryError for index 0, key %q", c.name, r.err, c.entry.Key)
		}
	}

	// Each caller got what it would have got posting alone, in that order.
	entries := []ledger.Entry{lead}
	for _, c := range cases {
		entries = append(entries, c.entry)
	}
	alone := postAlone(t, entries)
	for i, r := range got {
		name := "lead"
		if i > 0 {
			name = cases[i-1].name
		}
		if fmt.Sprint(r.err) != fmt.Sprint(alone[i].err) {
			t.Errorf("%s: grouped Post = %v, alone %v", name, r.err, alone[i].err)
		}
		if diff := cmp.Diff(r.p, alone[i].p, ledgerCmp); diff != "" {
			t.Errorf("%s: grouped Post differs from alone (-grouped +alone):\n%s", name, diff)
		}
	}

	if h := mustVerify(t, l, "grp"); h.Seq != 9 {
		t.Errorf("head %d, want 9", h.Seq)
	}
	if got := balanceOf(t, l, "1000"); !got.IsZero() {
		t.Errorf("cash %v, want 0", got)
	}
}

func TestPostGroupSameKey(t *testing.T) {
	l, st := newGroupBook(t, ledger.Options{})
	e := transfer("k", "4000", "3000", 123)
	e.Metadata = map[string]string{"source": "test"}
	other := e
	other.Description = "another payload"
	got, _ := runGroup(t, l, st, transfer("lead", "4000", "3000", 1), []groupCase{
		{"first", e, nil},
		{"same payload", e, nil},
		{"other payload", other, ledger.ErrConflict},
		{"same payload after the conflict", e, nil},
	})
	first, same, conflict, again := got[1], got[2], got[3], got[4]
	if first.err != nil || same.err != nil || again.err != nil {
		t.Fatalf("Post = %v, %v, %v; want no errors", first.err, same.err, again.err)
	}
	if !errors.Is(conflict.err, ledger.ErrConflict) {
		t.Errorf("other payload: Post = %v, want ErrConflict", conflict.err)
	}
	if first.p.Seq != 3 {
		t.Errorf("Seq %d, want 3", first.p.Seq)
	}
	for _, r := range []postResult{same, again} {
		if diff := cmp.Diff(r.p, first.p, ledgerCmp); diff != "" {
			t.Errorf("replay differs from the first result (-replay +first):\n%s", diff)
		}
	}
	// Posted once, and each caller owns its result.
	ps, err := l.Entries(context.Background(), "grp", ledger.EntryQuery{Key: "k"})
	if err != nil || len(ps) != 1 {
		t.Fatalf("entries with key k: %d, %v; want 1", len(ps), err)
	}
	first.p.Metadata["source"] = "changed"
	first.p.Lines[0].Memo = "changed"
	if same.p.Metadata["source"] != "test" || same.p.Lines[0].Memo != "" {
		t.Errorf("two callers share the memory of one result")
	}
	mustVerify(t, l, "grp")
}

func TestPostGroupStoreFailure(t *testing.T) {
	l, st := newGroupBook(t, ledger.Options{})
	st.failKey = "bad"
	cases := []groupCase{
		{"before", transfer("g1", "4000", "3000", 10), nil},
		{"failing", transfer("bad", "4000", "3000", 20), errInjected},
		{"after", transfer("g2", "4000", "3000", 30), nil},
		{"breaks a rule", transfer("g3", "1900", "3000", 40), ledger.ErrAccountClosed},
		{"last", transfer("g4", "4000", "3000", 50), nil},
	}
	got, updates := runGroup(t, l, st, transfer("lead", "4000", "3000", 1), cases)
	// The lead, the group that failed, then each member alone.
	if want := int64(2 + len(cases)); updates != want {
		t.Errorf("%d Update calls, want %d", updates, want)
	}
	for i, c := range cases {
		if r := got[i+1]; !errors.Is(r.err, c.want) || c.want == nil && r.err != nil {
			t.Errorf("%s: Post = %v, want %v", c.name, r.err, c.want)
		}
	}
	if _, err := l.EntryByKey(context.Background(), "grp", "bad"); !errors.Is(err, ledger.ErrNotFound) {
		t.Errorf("EntryByKey(bad) = %v, want ErrNotFound", err)
	}
	if h := mustVerify(t, l, "grp"); h.Seq != 5 {
		t.Errorf("head %d, want 5 (seed, lead, g1, g2, g4)", h.Seq)
	}
}

func TestPostGroupStorePanic(t *testing.T) {
	l, st := newGroupBook(t, ledger.Options{})
	st.panicKey = "boom"
	// boom queues first, so it leads the group and its goroutine panics;
	// the others post alone.
	got, _ := runGroup(t, l, st, transfer("lead", "4000", "3000", 1), []groupCase{
		{"panics", transfer("boom", "4000", "3000", 10), nil},
		{"other", transfer("g1", "4000", "3000", 20), nil},
		{"another", transfer("g2", "4000", "3000", 30), nil},
	})
	if got[1].err == nil || got[2].err != nil || got[3].err != nil {
		t.Errorf("Post = %v, %v, %v; want a panic, nil, nil", got[1].err, got[2].err, got[3].err)
	}
	// The book goes on.
	mustPost(t, l, transfer("later", "4000", "3000", 40))
	if h := mustVerify(t, l, "grp"); h.Seq != 5 {
		t.Errorf("head %d, want 5 (seed, lead, g1, g2, later)", h.Seq)
	}
}

func TestPostGroupCancel(t *testing.T) {
	ctx := context.Background()
	t.Run("queued", func(t *testing.T) {
		l, st := newGroupBook(t, ledger.Options{})
		before := st.updates.Load()
		g, lead := holdBook(t, l, st, transfer("lead", "4000", "3000", 1))
		ctx1, cancel1 := context.WithCancel(ctx)
		ctx3, cancel3 := context.WithCancel(ctx)
		c1 := postQueued(t, l, ctx1, transfer("c1", "4000", "3000", 10))
		c2 := postQueued(t, l, ctx, transfer("c2", "4000", "3000", 20))
		c3 := postQueued(t, l, ctx3, transfer("c3", "4000", "3000", 30))
		// The cancelled callers return while the transaction still runs.
		cancel1()
		cancel3()
		for _, ch := range []<-chan postResult{c1, c3} {
			if r := <-ch; !errors.Is(r.err, context.Canceled) {
				t.Errorf("cancelled Post = %v, want context.Canceled", r.err)
			}
		}
		close(g.release)
		if r := <-lead; r.err != nil {
			t.Fatal(r.err)
		}
		if r := <-c2; r.err != nil || r.p.Seq != 3 {
			t.Errorf("Post(c2) = %d, %v; want 3, nil", r.p.Seq, r.err)
		}
		if n := st.updates.Load() - before; n != 2 {
			t.Errorf("%d Update calls, want 2", n)
		}
		for _, key := range []string{"c1", "c3"} {
			if _, err := l.EntryByKey(ctx, "grp", key); !errors.Is(err, ledger.ErrNotFound) {
				t.Errorf("EntryByKey(%s) = %v, want ErrNotFound", key, err)
			}
		}
		// The committer keeps working: a held transaction, a queued caller.
		g, lead = holdBook(t, l, st, transfer("lead2", "4000", "3000", 1))
		c4 := postQueued(t, l, ctx, transfer("c4", "4000", "3000", 40))
		close(g.release)
		if r, r4 := <-lead, <-c4; r.err != nil || r4.err != nil || r4.p.Seq != 5 {
			t.Errorf("after: Post = %v; %d, %v", r.err, r4.p.Seq, r4.err)
		}
		mustVerify(t, l, "grp")
	})
	t.Run("leader", func(t *testing.T) {
		// The caller leading a group is cancelled while the group's
		// transaction runs: the transaction fails, the others post alone.
		l, st := newGroupBook(t, ledger.Options{})
		g, lead := holdBook(t, l, st, transfer("lead", "4000", "3000", 1))
		ctx1, cancel1 := context.WithCancel(ctx)
		m1 := postQueued(t, l, ctx1, transfer("m1", "4000", "3000", 10))
		m2 := postQueued(t, l, ctx, transfer("m2", "4000", "3000", 20))
		m3 := postQueued(t, l, ctx, transfer("m3", "4000", "3000", 30))
		g2 := st.holdNext() // m1's transaction for the group
		close(g.release)
		<-g2.held
		cancel1()
		close(g2.release)
		if r := <-lead; r.err != nil {
			t.Fatal(r.err)
		}
		if r := <-m1; !errors.Is(r.err, context.Canceled) {
			t.Errorf("Post(m1) = %v, want context.Canceled", r.err)
		}
		for _, ch := range []<-chan postResult{m2, m3} {
			if r := <-ch; r.err != nil {
				t.Errorf("Post = %v", r.err)
			}
		}
		if _, err := l.EntryByKey(ctx, "grp", "m1"); !errors.Is(err, ledger.ErrNotFound) {
			t.Errorf("EntryByKey(m1) = %v, want ErrNotFound", err)
		}
		if h := mustVerify(t, l, "grp"); h.Seq != 4 {
			t.Errorf("head %d, want 4", h.Seq)
		}
	})
}

func TestPostGroupMaxGroup(t *testing.T) {
	t.Run("1 disables grouping", func(t *testing.T) {
		l, st := newGroupBook(t, ledger.Options{MaxGroup: 1})
		st.delay = 200 * time.Microsecond
		before := st.updates.Load()
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Go(func() {
				for i := range 5 {
					if _, err := l.Post(context.Background(), transfer(fmt.Sprintf("w%d-%d", g, i), "4000", "3000", 1)); err != nil {
						t.Error(err)
					}
				}
			})
		}
		wg.Wait()
		if n := st.updates.Load() - before; n != 40 {
			t.Errorf("%d Update calls for 40 posts, want 40", n)
		}
		mustVerify(t, l, "grp")
	})
	t.Run("2", func(t *testing.T) {
		l, st := newGroupBook(t, ledger.Options{MaxGroup: 2})
		var cases []groupCase
		for i := range 5 {
			cases = append(cases, groupCase{fmt.Sprint(i), transfer(fmt.Sprintf("m%d", i), "4000", "3000", 1), nil})
		}
		got, updates := runGroup(t, l, st, transfer("lead", "4000", "3000", 1), cases)
		// The lead, then groups of two, two and one.
		if updates != 4 {
			t.Errorf("%d Update calls, want 4", updates)
		}
		for i, r := range got {
			if r.err != nil || r.p.Seq != uint64(i+2) {
				t.Errorf("Post %d = %d, %v; want %d, nil", i, r.p.Seq, r.err, i+2)
			}
		}
	})
}
