package memory

import (
	"cmp"
	"context"
	"fmt"
	"hash/maphash"
	"slices"
	"strings"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
)

func (t *tx) book(id string) (*book, error) {
	b, ok := t.s.books[id]
	if !ok {
		return nil, fmt.Errorf("book %q: %w", id, ledger.ErrUnknownBook)
	}
	return b, nil
}

func (t *tx) Book(_ context.Context, id string) (ledger.Book, error) {
	b, err := t.book(id)
	if err != nil {
		return ledger.Book{}, err
	}
	return b.info, nil
}

func (t *tx) Books(context.Context) ([]ledger.Book, error) {
	out := make([]ledger.Book, 0, len(t.s.books))
	for _, b := range t.s.books {
		out = append(out, b.info)
	}
	slices.SortFunc(out, func(a, b ledger.Book) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

func (t *tx) CreateBook(_ context.Context, info ledger.Book) error {
	if t.ro {
		return errReadOnly
	}
	if _, ok := t.s.books[info.ID]; ok {
		return fmt.Errorf("book %q: %w", info.ID, ledger.ErrDuplicate)
	}
	t.s.books[info.ID] = &book{
		info:     info,
		accounts: make(map[string]*acct),
		seed:     maphash.MakeSeed(),
		byKey:    make(map[uint64]int),
		periods:  make(map[[2]int]ledger.PeriodState),
	}
	t.onUndo(func() { delete(t.s.books, info.ID) })
	t.changed(t.s.books[info.ID])
	return nil
}

func (t *tx) SetLockDate(_ context.Context, id string, d date.Date) error {
	if t.ro {
		return errReadOnly
	}
	b, err := t.book(id)
	if err != nil {
		return err
	}
	old := b.info.LockDate
	b.info.LockDate = d
	t.onUndo(func() { b.info.LockDate = old })
	t.changed(b)
	return nil
}

func (t *tx) Account(_ context.Context, id, code string) (ledger.Account, error) {
	b, err := t.book(id)
	if err != nil {
		return ledger.Account{}, err
	}
	a, ok := b.accounts[code]
	if !ok {
		return ledger.Account{}, fmt.Errorf("account %s: %w", code, ledger.ErrUnknownAccount)
	}
	return a.info, nil
}

func (t *tx) Accounts(_ context.Context, id string, codes ...string) ([]ledger.Account, error) {
	b, err := t.book(id)
	if err != nil {
		return nil, err
	}
	if len(codes) == 0 {
		codes = b.codes
	} else if !strictlySorted(codes) {
		codes = slices.Clone(codes)
		slices.Sort(codes)
		codes = slices.Compact(codes)
	}
	out := make([]ledger.Account, 0, len(codes))
	for _, c := range codes {
		if a, ok := b.accounts[c]; ok {
			out = append(out, a.info)
		}
	}
	return out, nil
}

func strictlySorted(s []string) bool {
	for i := 1; i < len(s); i++ {
		if cmp.Compare(s[i-1], s[i]) >= 0 {
			return false
		}
	}
	return true
}

func (t *tx) PutAccount(_ context.Context, a ledger.Account) error {
	if t.ro {
		return errReadOnly
	}
	b, err := t.book(a.Book)
	if err != nil {
		return err
	}
	a.Metadata = cloneMap(a.Metadata)
	t.changed(b)
	st, existed := b.accounts[a.Code]
	if existed {
		old := st.info
		st.info = a
		t.onUndo(func() { st.info = old })
		return nil
	}
	b.accounts[a.Code] = &acct{info: a}
	i, _ := slices.BinarySearch(b.codes, a.Code)
	b.codes = slices.Insert(b.codes, i, a.Code)
	t.onUndo(func() {
		delete(b.accounts, a.Code)
		i, _ := slices.BinarySearch(b.codes, a.Code)
		b.codes = slices.Delete(b.codes, i, i+1)
	})
	return nil
}

func (t *tx) Version(_ context.Context, id string) (uint64, error) {
	b, err := t.book(id)
	if err != nil {
		return 0, err
	}
	return b.version, nil
}

// changed bumps the book's version, and restores it on rollback.
func (t *tx) changed(b *book) {
	old := b.version
	b.version = t.s.nextVersion()
	t.onUndo(func() { b.version = old })
}

func (t *tx) Head(_ context.Context, id string) (ledger.Head, error) {
	b, err := t.book(id)
	if err != nil {
		return ledger.Head{}, err
	}
	return b.head, nil
}

// LockHead is Head: the store's write lock already serializes transactions.
func (t *tx) LockHead(ctx context.Context, id string) (ledger.Head, error) { return t.Head(ctx, id) }

func (t *tx) LockBalances(_ context.Context, id string, keys []ledger.BalanceKey) ([]int64, error) {
	b, err := t.book(id)
	if err != nil {
		return nil, err
	}
	out := make([]int64, len(keys))
	for i, k := range keys {
		if st, ok := b.accounts[k.Account]; ok {
			if tot := st.totals(k.Currency, false); tot != nil {
				out[i] = tot.balance
			}
		}
	}
	return out, nil
}

func (t *tx) Entry(_ context.Context, id string, seq uint64) (ledger.Posted, error) {
	b, err := t.book(id)
	if err != nil {
		return ledger.Posted{}, err
	}
	if seq == 0 || seq > uint64(b.n) {
		return ledger.Posted{}, fmt.Errorf("entry %d: %w", seq, ledger.ErrNotFound)
	}
	return *b.entry(int(seq - 1)), nil
}

func (t *tx) EntryByKey(_ context.Context, id, key string) (ledger.Posted, error) {
	b, err := t.book(id)
	if err != nil {
		return ledger.Posted{}, err
	}
	i, ok := b.keyIndex(key)
	if !ok {
		return ledger.Posted{}, ledger.ErrNotFound
	}
	return *b.entry(i), nil
}

func (t *tx) EntriesByKey(_ context.Context, id string, keys []string) ([]ledger.Posted, error) {
	b, err := t.book(id)
	if err != nil {
		return nil, err
	}
	var out []ledger.Posted
	for _, k := range keys {
		if i, ok := b.keyIndex(k); ok {
			out = append(out, *b.entry(i))
		}
	}
	return out, nil
}

// keyIndex returns the index of the entry posted with idempotency key key.
func (b *book) keyIndex(key string) (int, bool) {
	if i, ok := b.byKey[maphash.String(b.seed, key)]; ok && b.entry(i).Key == key {
		return i, true
	}
	i, ok := b.keyClash[key]
	return i, ok
}

func (t *tx) Scan(ctx context.Context, id string, from uint64, fn func(*ledger.Posted) error) error {
	b, err := t.book(id)
	if err != nil {
		return err
	}
	if from == 0 {
		from = 1
	}
	var p ledger.Posted // one copy for all: fn may not keep it
	for i := int(from - 1); i < b.n; i++ {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		p = *b.entry(i)
		if err := fn(&p); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) Entries(_ context.Context, id string, q ledger.EntryQuery) ([]ledger.Posted, error) {
	b, err := t.book(id)
	if err != nil {
		return nil, err
	}
	var out []ledger.Posted
	match := func(i int) bool {
		p := b.entry(i)
		return p.Seq > q.After &&
			(q.From.IsZero() || !p.Date.Before(q.From)) &&
			(q.To.IsZero() || !p.Date.After(q.To)) &&
			(q.Key == "" || p.Key == q.Key) &&
			(q.Voucher == "" || p.Voucher == q.Voucher) &&
			(q.Journal == "" || p.Journal == q.Journal) &&
			(q.Account == "" && q.Dimension.Name == "" || hasLine(p, q.Account, q.Dimension))
	}
	full := func() bool { return q.Limit > 0 && len(out) >= q.Limit }
	switch {
	case q.Key != "":
		if i, ok := b.keyIndex(q.Key); ok && match(i) {
			out = append(out, *b.entry(i))
		}
	case q.Account != "" || q.Voucher != "":
		var idx []int
		if q.Account != "" {
			if st, ok := b.accounts[q.Account]; ok {
				idx = st.idx
			}
		} else {
			idx = b.voucherEntries(q.Voucher)
		}
		start, _ := slices.BinarySearch(idx, int(min(q.After, uint64(b.n))))
		for _, i := range idx[start:] {
			if full() {
				break
			}
			if match(i) {
				out = append(out, *b.entry(i))
			}
		}
	default:
		for i := int(min(q.After, uint64(b.n))); i < b.n && !full(); i++ {
			if match(i) {
				out = append(out, *b.entry(i))
			}
		}
	}
	return out, nil
}

// hasLine reports whether p has a line on account (any, if empty) carrying
// dimension d (any, if d.Name is empty).
func hasLine(p *ledger.Posted, account string, d ledger.Dimension) bool {
	for _, l := range p.Lines {
		if (account == "" || l.Account == account) && (d.Name == "" || l.Dimensions[d.Name] == d.Value) {
			return true
		}
	}
	return false
}

const (
	arenaChunk = 4096 // lines per arena chunk
	chunkSize  = 1024 // entries per chunk: appends never copy old entries
)

func (b *book) entry(i int) *ledger.Posted { return &b.chunks[i/chunkSize][i%chunkSize] }

func (b *book) push(p ledger.Posted) {
	if b.n%chunkSize == 0 {
		b.chunks = append(b.chunks, make([]ledger.Posted, 0, chunkSize))
	}
	c := &b.chunks[len(b.chunks)-1]
	*c = append(*c, p)
	b.n++
}

// truncate drops the entries from index n on.
func (b *book) truncate(n int) {
	for b.n > n {
		c := &b.chunks[len(b.chunks)-1]
		(*c)[len(*c)-1] = ledger.Posted{}
		*c = (*c)[:len(*c)-1]
		b.n--
		if len(*c) == 0 {
			b.chunks = b.chunks[:len(b.chunks)-1]
		}
	}
}

func (t *tx) Append(_ context.Context, id string, entries []ledger.Posted) error {
	if t.ro {
		return errReadOnly
	}
	b, err := t.book(id)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	for i, p := range entries {
		if p.Seq != b.head.Seq+1+uint64(i) || uint64(b.n) != b.head.Seq {
			return fmt.Errorf("memory: append seq %d after %d", p.Seq, b.head.Seq)
		}
	}
	oldHead, oldN, oldLines := b.head, b.n, b.lines
	counted := oldN // entries before counted have their lines in the totals
	t.onUndo(func() {
		for i := b.n - 1; i >= oldN; i-- {
			p := b.entry(i)
			b.unindex(p, i)
			if i < counted {
				b.uncount(p, len(p.Lines))
			}
		}
		b.truncate(oldN)
		b.head, b.lines = oldHead, oldLines
	})
	// Three passes: copy, keys, lines. The key index is a large map whose
	// probes miss the cache; run back to back, the misses overlap.
	for _, p := range entries {
		// Copy the lines into the arena: the store keeps nothing of the caller's.
		if len(b.lines)+len(p.Lines) > cap(b.lines) {
			b.lines = make([]ledger.Line, 0, max(arenaChunk, len(p.Lines)))
		}
		start := len(b.lines)
		for _, l := range p.Lines {
			l.Dimensions = cloneMap(l.Dimensions)
			b.lines = append(b.lines, l)
		}
		p.Lines = b.lines[start:len(b.lines):len(b.lines)]
		p.Metadata = cloneMap(p.Metadata)
		b.push(p)
	}
	for i := oldN; i < b.n; i++ {
		if err := b.indexKey(b.entry(i), i); err != nil {
			return err
		}
	}
	for i := oldN; i < b.n; i++ {
		if err := b.count(b.entry(i), i); err != nil {
			return err
		}
		counted = i + 1
	}
	last := b.entry(b.n - 1)
	b.head = ledger.Head{Seq: last.Seq, Hash: last.Hash}
	return nil
}

// indexKey adds entry i (p) to the key index; a key already there is
// ErrDuplicate.
func (b *book) indexKey(p *ledger.Posted, i int) error {
	if p.Key == "" {
		return nil
	}
	h := maphash.String(b.seed, p.Key)
	j, clash := b.byKey[h]
	if !clash {
		b.byKey[h] = i
		return nil
	}
	if _, dup := b.keyIndex(p.Key); dup || b.entry(j).Key == p.Key {
		return fmt.Errorf("entry key: %w", ledger.ErrDuplicate)
	}
	if b.keyClash == nil {
		b.keyClash = make(map[string]int)
	}
	b.keyClash[p.Key] = i
	return nil
}

// count adds the lines of entry i (p) to the accounts' postings indexes and
// maintained totals. On error it has changed no totals.
func (b *book) count(p *ledger.Posted, i int) error {
	closing := p.Journal == ledger.JournalClosing
	for li, l := range p.Lines {
		st, ok := b.accounts[l.Account]
		var err error
		if !ok {
			err = fmt.Errorf("account %s: %w", l.Account, ledger.ErrUnknownAccount)
		} else {
			if len(st.idx) == 0 || st.idx[len(st.idx)-1] != i {
				st.idx = append(st.idx, i)
			}
			tot := st.totals(l.Amount.Currency(), true)
			err = tot.add(p.Date, l.Amount.MinorUnits(), closing)
			if err == nil && l.Converted() {
				f := st.fxTotals(l.Amount.Currency(), true)
				if err = f.base.add(p.Date, l.Base.MinorUnits(), closing); err != nil {
					tot.sub(p.Date, l.Amount.MinorUnits(), closing)
				} else {
					// Cannot overflow: a part of the amounts' sums.
					_ = f.conv.add(p.Date, l.Amount.MinorUnits(), closing)
				}
			}
		}
		if err != nil {
			b.uncount(p, li)
			return err
		}
	}
	return nil
}

// uncount takes the first n lines of p back out of the totals.
func (b *book) uncount(p *ledger.Posted, n int) {
	closing := p.Journal == ledger.JournalClosing
	for _, l := range p.Lines[:n] {
		st := b.accounts[l.Account]
		st.totals(l.Amount.Currency(), false).sub(p.Date, l.Amount.MinorUnits(), closing)
		if l.Converted() {
			f := st.fxTotals(l.Amount.Currency(), false)
			f.base.sub(p.Date, l.Base.MinorUnits(), closing)
			f.conv.sub(p.Date, l.Amount.MinorUnits(), closing)
		}
	}
}

// unindex removes entry i (p), the last one appended, from the key index,
// the accounts' postings indexes and the voucher index; it tolerates an
// entry that was only partly indexed.
func (b *book) unindex(p *ledger.Posted, i int) {
	if p.Key != "" {
		h := maphash.String(b.seed, p.Key)
		if j, ok := b.keyClash[p.Key]; ok && j == i {
			delete(b.keyClash, p.Key)
		} else if j, ok := b.byKey[h]; ok && j == i {
			delete(b.byKey, h)
		}
	}
	if b.vouchers.n > i { // the lazy voucher index covered it: start that over
		b.vouchers = voucherIndex{}
	}
	for _, l := range p.Lines {
		if st, ok := b.accounts[l.Account]; ok && len(st.idx) > 0 && st.idx[len(st.idx)-1] == i {
			st.idx = st.idx[:len(st.idx)-1]
		}
	}
}

// voucherIndex finds entries by voucher. Few queries ask for vouchers, so it is
// built on the first such query and extended by later ones, rather than
// costing every append a map insert. book.vmu guards it: queries under the
// store's read lock extend it.
type voucherIndex struct {
	n    int            // entries indexed: 0 … n-1
	last map[uint64]int // voucher hash → last entry index with it
	prev []int          // per entry: previous entry index with the same voucher hash, or -1
}

// voucherEntries returns the indexes of the entries with voucher v, ascending.
func (b *book) voucherEntries(v string) []int {
	b.vmu.Lock()
	defer b.vmu.Unlock()
	x := &b.vouchers
	if x.last == nil {
		x.last = make(map[uint64]int)
	}
	for ; x.n < b.n; x.n++ {
		prev := -1
		if pv := b.entry(x.n).Voucher; pv != "" {
			h := maphash.String(b.seed, pv)
			if j, ok := x.last[h]; ok {
				prev = j // perhaps another voucher with the same hash: queries compare
			}
			x.last[h] = x.n
		}
		x.prev = append(x.prev, prev)
	}
	var idx []int
	if i, ok := x.last[maphash.String(b.seed, v)]; ok {
		for ; i >= 0; i = x.prev[i] {
			idx = append(idx, i)
		}
		slices.Reverse(idx)
	}
	return idx
}

// LatestDate implements ledger.DateRanger: the latest day of the accounts'
// maintained month sums, so no entry is read.
func (t *tx) LatestDate(_ context.Context, id string) (date.Date, error) {
	b, err := t.book(id)
	if err != nil {
		return date.Date{}, err
	}
	var last date.Date
	for _, a := range b.accounts {
		for _, ct := range a.currencies() {
			if d := ct.t.lastDay(); d.After(last) {
				last = d
			}
		}
	}
	return last, nil
}
