package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/partners"
)

var (
	_ partners.Store = (*Store)(nil)
	_ partners.Tx    = partTx{}
)

// errPartReadOnly refuses a write through the transaction of ViewPartners.
var errPartReadOnly = fmt.Errorf("memory: %w", partners.ErrReadOnly)

// partData holds the partner records of every book.
type partData struct {
	parties  map[docKey][]partners.Party // (book, number) → versions, in order
	settings map[string]partners.Settings
	series   map[docKey]int64 // (book, series) → last number drawn
	invoices map[docKey]*partners.Invoice
	invKeys  map[docKey]string // (book, key) → invoice number
	items    map[docKey]*partItem
	moves    map[string][]partners.Move // book → moves, in order of writing
	payments map[docKey]*partners.Payment
	dunning  map[string][]partners.DunningRun // book → runs, by date
}

// docKey identifies a record in a book.
type docKey struct{ book, id string }

// partItem is an item with the indexes of its moves in partData.moves.
type partItem struct {
	item  partners.Item
	moves []int
}

func newPartData() *partData {
	return &partData{
		parties:  map[docKey][]partners.Party{},
		settings: map[string]partners.Settings{},
		series:   map[docKey]int64{},
		invoices: map[docKey]*partners.Invoice{},
		invKeys:  map[docKey]string{},
		items:    map[docKey]*partItem{},
		moves:    map[string][]partners.Move{},
		payments: map[docKey]*partners.Payment{},
		dunning:  map[string][]partners.DunningRun{},
	}
}

// UpdatePartners implements partners.Store. It shares the store's one write
// lock and undo log with Update, UpdateHR and UpdatePayroll; the ledger view
// of its Tx writes into the same transaction.
func (s *Store) UpdatePartners(ctx context.Context, fn func(partners.Tx) error) error {
	return s.write(ctx, func(t *tx) error { return fn(partTx{t}) })
}

// ViewPartners implements partners.Store. Writes through its transaction,
// reached by a type assertion, fail with an error wrapping
// partners.ErrReadOnly.
func (s *Store) ViewPartners(ctx context.Context, fn func(partners.ReadTx) error) error {
	return s.view(ctx, func(t *tx) error { return fn(partTx{t}) })
}

// partTx is a transaction on the partner records of a Store.
type partTx struct{ t *tx }

func (x partTx) data() *partData { return x.t.s.part }

// Ledger implements partners.Tx: the ledger inside this transaction.
func (x partTx) Ledger() ledger.Store { return boundLedger(x) }

// utcMicro is t as the store keeps times: UTC, microsecond precision.
func utcMicro(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}

func (x partTx) PartyVersions(_ context.Context, book, number string) ([]partners.Party, error) {
	vs, ok := x.data().parties[docKey{book, number}]
	if !ok {
		return nil, fmt.Errorf("memory: party %s: %w", number, partners.ErrUnknownParty)
	}
	return slices.Clone(vs), nil
}

func (x partTx) Parties(_ context.Context, book string) ([]partners.Party, error) {
	var numbers []string
	for k := range x.data().parties {
		if k.book == book {
			numbers = append(numbers, k.id)
		}
	}
	slices.Sort(numbers)
	var out []partners.Party
	for _, n := range numbers {
		out = append(out, x.data().parties[docKey{book, n}]...)
	}
	return out, nil
}

func (x partTx) Settings(_ context.Context, book string) (partners.Settings, error) {
	if s, ok := x.data().settings[book]; ok {
		return s, nil
	}
	return partners.Settings{Book: book}, nil
}

func (x partTx) Invoice(_ context.Context, book, number string) (partners.Invoice, error) {
	inv, ok := x.data().invoices[docKey{book, number}]
	if !ok {
		return partners.Invoice{}, fmt.Errorf("memory: invoice %s: %w", number, partners.ErrNotFound)
	}
	return *inv, nil
}

func (x partTx) InvoiceByKey(ctx context.Context, book, key string) (partners.Invoice, error) {
	number, ok := x.data().invKeys[docKey{book, key}]
	if !ok {
		return partners.Invoice{}, fmt.Errorf("memory: invoice key %s: %w", key, partners.ErrNotFound)
	}
	return x.Invoice(ctx, book, number)
}

func (x partTx) Invoices(_ context.Context, book string, q partners.InvoiceQuery) ([]partners.Invoice, error) {
	var out []partners.Invoice
	for k, inv := range x.data().invoices {
		if k.book != book ||
			q.Party != "" && inv.Party != q.Party ||
			!q.From.IsZero() && inv.Date.Before(q.From) ||
			!q.To.IsZero() && inv.Date.After(q.To) {
			continue
		}
		out = append(out, *inv)
	}
	slices.SortFunc(out, func(a, b partners.Invoice) int { return cmp.Compare(a.Number, b.Number) })
	return out, nil
}

func (x partTx) Payment(_ context.Context, book, key string) (partners.Payment, error) {
	p, ok := x.data().payments[docKey{book, key}]
	if !ok {
		return partners.Payment{}, fmt.Errorf("memory: payment %s: %w", key, partners.ErrNotFound)
	}
	return *p, nil
}

func (x partTx) DunningRuns(_ context.Context, book string, from, to date.Date) ([]partners.DunningRun, error) {
	var out []partners.DunningRun
	for _, r := range x.data().dunning[book] {
		if !from.IsZero() && r.Date.Before(from) || !to.IsZero() && r.Date.After(to) {
			continue
		}
		out = append(out, r)
	}
	return out, nil
}

func (x partTx) Item(_ context.Context, book, id string) (partners.Item, error) {
	it, ok := x.data().items[docKey{book, id}]
	if !ok {
		return partners.Item{}, fmt.Errorf("memory: item %s: %w", id, partners.ErrNotFound)
	}
	return it.item, nil
}

// openAsOf returns what was open of it at the end of day asOf: its amount
// less its moves dated on or before asOf. A zero asOf means now.
func (x partTx) openAsOf(book string, it *partItem, asOf date.Date) (money.Amount, error) {
	if asOf.IsZero() {
		return it.item.Open, nil
	}
	open := it.item.Amount
	moves := x.data().moves[book]
	for _, i := range it.moves {
		if m := moves[i]; !m.Date.After(asOf) {
			var err error
			if open, err = open.Sub(m.Amount); err != nil {
				return money.Amount{}, fmt.Errorf("memory: item %s: %w", it.item.ID, err)
			}
		}
	}
	return open, nil
}

func (x partTx) Items(_ context.Context, book string, q partners.ItemQuery) ([]partners.Item, error) {
	var out []partners.Item
	for k, it := range x.data().items {
		i := it.item
		if k.book != book ||
			q.Party != "" && i.Party != q.Party ||
			q.Kind != "" && i.Kind != q.Kind ||
			!q.DueBy.IsZero() && i.DueDate.After(q.DueBy) ||
			!q.AsOf.IsZero() && i.Date.After(q.AsOf) {
			continue
		}
		open, err := x.openAsOf(book, it, q.AsOf)
		if err != nil {
			return nil, err
		}
		if q.OpenOnly && open.IsZero() {
			continue
		}
		i.Open = open
		out = append(out, i)
	}
	slices.SortFunc(out, func(a, b partners.Item) int {
		return cmp.Or(cmp.Compare(a.Party, b.Party), a.DueDate.Compare(b.DueDate), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

func (x partTx) Moves(_ context.Context, book string, q partners.MoveQuery) ([]partners.Move, error) {
	var out []partners.Move
	for _, m := range x.data().moves[book] {
		if q.Item != "" && m.Item != q.Item ||
			!q.From.IsZero() && m.Date.Before(q.From) ||
			!q.To.IsZero() && m.Date.After(q.To) {
			continue
		}
		if q.Party != "" {
			if it, ok := x.data().items[docKey{book, m.Item}]; !ok || it.item.Party != q.Party {
				continue
			}
		}
		out = append(out, m)
	}
	slices.SortStableFunc(out, func(a, b partners.Move) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.Entry, b.Entry), cmp.Compare(a.Item, b.Item))
	})
	return out, nil
}

// agingKey groups the rows of Aging.
type agingKey struct {
	party string
	cur   money.Currency
}

func (x partTx) Aging(_ context.Context, book string, q partners.AgingQuery) ([]partners.AgingRow, error) {
	rows := map[agingKey]*partners.AgingRow{}
	for k, it := range x.data().items {
		i := it.item
		if k.book != book || i.Kind != q.Kind ||
			q.Party != "" && i.Party != q.Party ||
			i.Date.After(q.AsOf) {
			continue
		}
		open, err := x.openAsOf(book, it, q.AsOf)
		if err != nil {
			return nil, err
		}
		if open.IsZero() {
			continue
		}
		cur := open.Currency()
		r := rows[agingKey{i.Party, cur}]
		if r == nil {
			r = &partners.AgingRow{Party: i.Party, Currency: cur, Buckets: make([]money.Amount, len(q.Limits)+1), Total: money.Zero(cur)}
			for b := range r.Buckets {
				r.Buckets[b] = money.Zero(cur)
			}
			rows[agingKey{i.Party, cur}] = r
		}
		b := agingBucket(i.DueDate.DaysUntil(q.AsOf), q.Limits)
		if r.Buckets[b], err = r.Buckets[b].Add(open); err != nil {
			return nil, fmt.Errorf("memory: aging of party %s: %w", i.Party, err)
		}
		if r.Total, err = r.Total.Add(open); err != nil {
			return nil, fmt.Errorf("memory: aging of party %s: %w", i.Party, err)
		}
	}
	out := make([]partners.AgingRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b partners.AgingRow) int {
		return cmp.Or(cmp.Compare(a.Party, b.Party), cmp.Compare(a.Currency.Code(), b.Currency.Code()))
	})
	return out, nil
}

// agingBucket returns the index of the bucket of partners.AgingQuery.Limits
// that an item days overdue falls in: the first limit it does not exceed,
// or len(limits) if it exceeds them all.
func agingBucket(days int, limits []int) int {
	for b, l := range limits {
		if days <= l {
			return b
		}
	}
	return len(limits)
}

func (x partTx) AddParty(_ context.Context, p partners.Party) error {
	if x.t.ro {
		return errPartReadOnly
	}
	p.RecordedAt = utcMicro(p.RecordedAt)
	k := docKey{p.Book, p.Number}
	d := x.data()
	vs, had := d.parties[k]
	for _, v := range vs {
		if v.ValidFrom == p.ValidFrom && v.RecordedAt.Equal(p.RecordedAt) {
			return fmt.Errorf("memory: party %s: %w", p.Number, partners.ErrDuplicate)
		}
	}
	i, _ := slices.BinarySearchFunc(vs, p, func(a, b partners.Party) int {
		return cmp.Or(a.ValidFrom.Compare(b.ValidFrom), a.RecordedAt.Compare(b.RecordedAt), -1)
	})
	nv := slices.Insert(slices.Clone(vs), i, p)
	d.parties[k] = nv
	x.t.onUndo(func() {
		if had {
			d.parties[k] = vs
		} else {
			delete(d.parties, k)
		}
	})
	return nil
}

func (x partTx) SetSettings(_ context.Context, s partners.Settings) error {
	if x.t.ro {
		return errPartReadOnly
	}
	d := x.data()
	old, had := d.settings[s.Book]
	d.settings[s.Book] = s
	x.t.onUndo(func() {
		if had {
			d.settings[s.Book] = old
		} else {
			delete(d.settings, s.Book)
		}
	})
	return nil
}

func (x partTx) NextNumber(_ context.Context, book, series string) (int64, error) {
	if x.t.ro {
		return 0, errPartReadOnly
	}
	d := x.data()
	k := docKey{book, series}
	old, had := d.series[k]
	d.series[k] = old + 1
	x.t.onUndo(func() {
		if had {
			d.series[k] = old
		} else {
			delete(d.series, k)
		}
	})
	return old + 1, nil
}

func (x partTx) AddInvoice(_ context.Context, inv partners.Invoice) error {
	if x.t.ro {
		return errPartReadOnly
	}
	d := x.data()
	k, kk := docKey{inv.Book, inv.Number}, docKey{inv.Book, inv.Key}
	if _, ok := d.invoices[k]; ok {
		return fmt.Errorf("memory: invoice %s: %w", inv.Number, partners.ErrDuplicate)
	}
	if _, ok := d.invKeys[kk]; ok {
		return fmt.Errorf("memory: invoice key %s: %w", inv.Key, partners.ErrDuplicate)
	}
	inv.Lines = slices.Clone(inv.Lines)
	inv.VATLines = slices.Clone(inv.VATLines)
	inv.PostedAt = utcMicro(inv.PostedAt)
	d.invoices[k] = &inv
	d.invKeys[kk] = inv.Number
	x.t.onUndo(func() {
		delete(d.invoices, k)
		delete(d.invKeys, kk)
	})
	return nil
}

func (x partTx) AddItem(_ context.Context, it partners.Item) error {
	if x.t.ro {
		return errPartReadOnly
	}
	d := x.data()
	k := docKey{it.Book, it.ID}
	if _, ok := d.items[k]; ok {
		return fmt.Errorf("memory: item %s: %w", it.ID, partners.ErrDuplicate)
	}
	it.VAT = slices.Clone(it.VAT)
	d.items[k] = &partItem{item: it}
	x.t.onUndo(func() { delete(d.items, k) })
	return nil
}

func (x partTx) AddMoves(_ context.Context, book string, moves []partners.Move) error {
	if x.t.ro {
		return errPartReadOnly
	}
	d := x.data()
	// Check the whole batch before writing anything: several moves may take
	// from the same item.
	open := map[string]money.Amount{}
	for _, m := range moves {
		it, ok := d.items[docKey{book, m.Item}]
		if !ok {
			return fmt.Errorf("memory: move of item %s: %w", m.Item, partners.ErrNotFound)
		}
		o, ok := open[m.Item]
		if !ok {
			o = it.item.Open
		}
		o, err := o.Sub(m.Amount)
		if err != nil {
			return fmt.Errorf("memory: move of item %s: %w: %w", m.Item, partners.ErrCurrency, err)
		}
		if o.IsNegative() {
			return fmt.Errorf("memory: move of item %s: %w", m.Item, partners.ErrOverpayment)
		}
		open[m.Item] = o
	}
	n := len(d.moves[book])
	for _, m := range moves {
		m.Book = book
		it := d.items[docKey{book, m.Item}]
		oldOpen, oldMoves := it.item.Open, it.moves
		it.item.Open = open[m.Item]
		it.moves = append(slices.Clip(it.moves), len(d.moves[book]))
		d.moves[book] = append(d.moves[book], m)
		x.t.onUndo(func() { it.item.Open, it.moves = oldOpen, oldMoves })
	}
	x.t.onUndo(func() { d.moves[book] = d.moves[book][:n] })
	return nil
}

func (x partTx) AddPayment(_ context.Context, p partners.Payment) error {
	if x.t.ro {
		return errPartReadOnly
	}
	d := x.data()
	k := docKey{p.Book, p.Key}
	if _, ok := d.payments[k]; ok {
		return fmt.Errorf("memory: payment %s: %w", p.Key, partners.ErrDuplicate)
	}
	p.Allocations = slices.Clone(p.Allocations)
	p.PostedAt = utcMicro(p.PostedAt)
	d.payments[k] = &p
	x.t.onUndo(func() { delete(d.payments, k) })
	return nil
}

func (x partTx) AddDunningRun(_ context.Context, r partners.DunningRun) error {
	if x.t.ro {
		return errPartReadOnly
	}
	d := x.data()
	runs := d.dunning[r.Book]
	i, found := slices.BinarySearchFunc(runs, r.Date, func(a partners.DunningRun, day date.Date) int { return a.Date.Compare(day) })
	if found {
		return fmt.Errorf("memory: dunning run of %s: %w", r.Date, partners.ErrDuplicate)
	}
	for _, n := range r.Notices {
		for _, ni := range n.Items {
			if _, ok := d.items[docKey{r.Book, ni.Item}]; !ok {
				return fmt.Errorf("memory: dunning run of %s: item %s: %w", r.Date, ni.Item, partners.ErrNotFound)
			}
		}
	}
	r.CreatedAt = utcMicro(r.CreatedAt)
	r.Notices = slices.Clone(r.Notices)
	for j := range r.Notices {
		r.Notices[j].Items = slices.Clone(r.Notices[j].Items)
	}
	d.dunning[r.Book] = slices.Insert(slices.Clone(runs), i, r)
	x.t.onUndo(func() { d.dunning[r.Book] = runs })
	for _, n := range r.Notices {
		for _, ni := range n.Items {
			it := d.items[docKey{r.Book, ni.Item}]
			if ni.Level < it.item.DunningLevel {
				continue
			}
			oldLevel, oldDay := it.item.DunningLevel, it.item.LastDunned
			it.item.DunningLevel, it.item.LastDunned = ni.Level, r.Date
			x.t.onUndo(func() { it.item.DunningLevel, it.item.LastDunned = oldLevel, oldDay })
		}
	}
	return nil
}
