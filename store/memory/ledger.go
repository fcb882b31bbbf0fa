package memory

import (
	"cmp"
	"context"
	"fmt"
	"hash/maphash"
	"slices"
	"strings"
	"sync"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

var (
	_ ledger.Store         = (*Store)(nil)
	_ ledger.Tx            = (*tx)(nil)
	_ ledger.StateWriter   = (*tx)(nil)
	_ ledger.DerivedReader = (*tx)(nil)
)

// Update implements ledger.Store.
func (s *Store) Update(ctx context.Context, fn func(ledger.Tx) error) (err error) {
	return s.write(ctx, func(t *tx) error { return fn(t) })
}

// View implements ledger.Store.
func (s *Store) View(ctx context.Context, fn func(ledger.ReadTx) error) error {
	return s.view(ctx, func(t *tx) error { return fn(t) })
}

type book struct {
	info     ledger.Book
	accounts map[string]*acct
	codes    []string // account codes, sorted
	head     ledger.Head
	version  uint64            // see ledger.ReadTx.Version
	n        int               // number of entries
	chunks   [][]ledger.Posted // entry i (Seq i+1) is chunks[i/chunkSize][i%chunkSize]
	lines    []ledger.Line     // current arena chunk the entries' lines live in
	// Keys are indexed by a 64-bit hash, which makes this map, a costly
	// part of appending, half as expensive as with string keys. Lookups
	// compare the entry's own key; the rare key whose hash collides with
	// another's goes to keyClash.
	seed     maphash.Seed
	byKey    map[uint64]int
	keyClash map[string]int
	vmu      sync.Mutex
	vouchers voucherIndex
	periods  map[[2]int]ledger.PeriodState
	events   []ledger.PeriodEvent
	state    []ledger.StateRecord // the state log
}

// acct is an account with its postings index and its totals per currency,
// so that posting a line costs one map lookup. The fields a posting touches
// come first and the first currency's totals are inline, so a line mostly
// costs one cache line here.
type acct struct {
	idx  []int       // entry indexes with a line on the account, ascending
	cur0 curTotals   // the account's first currency
	more []curTotals // any further currencies, ordered by code
	info ledger.Account
	fx   map[money.Currency]*fxTotals // per currency, of the postings with a base amount
}

// fxTotals are the totals of an account's postings in one currency that
// carry a base amount: of the base amounts, and of the amounts themselves.
type fxTotals struct {
	base, conv totals
}

// fxTotals returns the account's fxTotals in currency c, or nil if it has
// none and create is false.
func (a *acct) fxTotals(c money.Currency, create bool) *fxTotals {
	f := a.fx[c]
	if f == nil && create {
		if a.fx == nil {
			a.fx = make(map[money.Currency]*fxTotals)
		}
		f = new(fxTotals)
		a.fx[c] = f
	}
	return f
}

type curTotals struct {
	c money.Currency
	t totals
}

// totals returns the account's totals in currency c, or nil if it has none
// and create is false.
func (a *acct) totals(c money.Currency, create bool) *totals {
	if a.cur0.c == c {
		return &a.cur0.t
	}
	for i := range a.more {
		if a.more[i].c == c {
			return &a.more[i].t
		}
	}
	if !create {
		return nil
	}
	if a.cur0.c.IsZero() {
		a.cur0.c = c
		return &a.cur0.t
	}
	i, _ := slices.BinarySearchFunc(a.more, c.Code(), func(ct curTotals, code string) int { return strings.Compare(ct.c.Code(), code) })
	a.more = slices.Insert(a.more, i, curTotals{c: c})
	return &a.more[i].t
}

// currencies returns the account's totals ordered by currency code.
func (a *acct) currencies() []*curTotals { return a.appendCurrencies(nil) }

// appendCurrencies appends the account's totals, ordered by currency code,
// to buf: a caller walking many accounts reuses one buffer.
func (a *acct) appendCurrencies(buf []*curTotals) []*curTotals {
	if a.cur0.c.IsZero() {
		return buf
	}
	start := len(buf)
	buf = append(buf, &a.cur0)
	for i := range a.more {
		buf = append(buf, &a.more[i])
	}
	if out := buf[start:]; len(out) > 1 {
		slices.SortFunc(out, func(x, y *curTotals) int { return strings.Compare(x.c.Code(), y.c.Code()) })
	}
	return buf
}

// totals are an account's maintained figures in one currency: the balance, and
// the sums of each month and of each day with postings, so that sums up to any
// date take a few steps however many postings there are.
type totals struct {
	balance int64
	n       int64     // number of postings
	firstD  date.Date // earliest date with a posting; zero if n == 0
	base    int       // year×12 + month−1 of months[0]
	months  []month   // consecutive months from base; days is nil for a month without postings
}

// month holds the sums of one calendar month and of each of its days.
// Closing entries are summed a second time in cdays/csum, allocated only for
// the month that has them, so queries can leave them out.
type month struct {
	start     date.Date
	sum, csum bucket
	days      *[31]bucket // indexed by day of month − 1
	cdays     *[31]bucket // closing entries only; nil if none
}

// bucket sums postings: 16 bytes, so a month's days fill eight cache lines.
type bucket struct {
	debit, credit int64
}

// add adds amt (debit positive) to b; it reports false on overflow and then
// leaves b unchanged.
func (b *bucket) add(amt int64) bool {
	if amt >= 0 {
		dr, ok := money.AddMinor(b.debit, amt)
		if ok {
			b.debit = dr
		}
		return ok
	}
	cr, ok := money.AddMinor(b.credit, -amt)
	if ok {
		b.credit = cr
	}
	return ok
}

// sub reverses a successful add of amt.
func (b *bucket) sub(amt int64) {
	if amt >= 0 {
		b.debit -= amt
	} else {
		b.credit += amt
	}
}

// locate returns the month of d and d's index in it, creating the month if
// need be. months[k] is the k-th month after the first one with postings, so
// finding a month is arithmetic, not a search.
func (tot *totals) locate(d date.Date) (*month, int) {
	y, mo, day := d.Date()
	mi := y*12 + int(mo) - 1
	if len(tot.months) == 0 {
		tot.base = mi
	}
	if k := mi - tot.base; k < 0 { // back-dated before the first month: prepend
		tot.months = slices.Insert(tot.months, 0, make([]month, -k)...)
		tot.base = mi
	}
	for k := mi - tot.base; k >= len(tot.months); {
		tot.months = append(tot.months, month{})
	}
	m := &tot.months[mi-tot.base]
	if m.days == nil {
		m.start = d.AddDays(1 - day)
		m.days = new([31]bucket)
	}
	return m, day - 1
}

func (tot *totals) add(d date.Date, amt int64, closing bool) error {
	bal, ok := money.AddMinor(tot.balance, amt)
	if !ok {
		return fmt.Errorf("account balance: %w", ledger.ErrOverflow)
	}
	m, j := tot.locate(d)
	sum := m.sum
	if !sum.add(amt) {
		return fmt.Errorf("period totals: %w", ledger.ErrOverflow)
	}
	m.sum = sum
	m.days[j].add(amt) // cannot overflow: the month's sums cover the day's
	if closing {
		if m.cdays == nil {
			m.cdays = new([31]bucket)
		}
		m.csum.add(amt)
		m.cdays[j].add(amt)
	}
	tot.balance = bal
	tot.n++
	if tot.firstD.IsZero() || d.Before(tot.firstD) {
		tot.firstD = d
	}
	return nil
}

// sub reverses add. Emptied buckets stay; they change no sum.
func (tot *totals) sub(d date.Date, amt int64, closing bool) {
	tot.balance -= amt
	tot.n--
	defer func() {
		if tot.n == 0 {
			tot.firstD = date.Date{}
		} else if d == tot.firstD {
			tot.firstD = tot.scanFirst()
		}
	}()
	m, j := tot.locate(d)
	m.sum.sub(amt)
	m.days[j].sub(amt)
	if closing {
		m.csum.sub(amt)
		m.cdays[j].sub(amt)
	}
}

// sumBefore returns the debit and credit sums of postings dated before d (all
// of them if d is zero), leaving out closing entries if excl is set.
func (tot *totals) sumBefore(d date.Date, excl bool) (dr, cr int64) {
	take := func(b, c *bucket) {
		dr += b.debit
		cr += b.credit
		if excl && c != nil {
			dr -= c.debit
			cr -= c.credit
		}
	}
	ms := d.StartOfMonth()
	for i := range tot.months {
		m := &tot.months[i]
		if m.days == nil {
			continue
		}
		if d.IsZero() || m.start.Before(ms) {
			take(&m.sum, &m.csum)
			continue
		}
		if m.start == ms {
			for j := range ms.DaysUntil(d) {
				var c *bucket
				if m.cdays != nil {
					c = &m.cdays[j]
				}
				take(&m.days[j], c)
			}
		}
		break
	}
	return dr, cr
}

// rangeSums returns the opening balance before q.From and the debit and
// credit sums from q.From up to end (exclusive; zero: no end). The opening
// holds every posting before From; ExcludeClosing leaves closing entries
// out of the range only.
func (tot *totals) rangeSums(q ledger.TotalsQuery, end date.Date) (open, dr, cr int64) {
	var odr, ocr, sdr, scr int64
	if !q.From.IsZero() {
		odr, ocr = tot.sumBefore(q.From, false)
		sdr, scr = odr, ocr
		if q.ExcludeClosing {
			sdr, scr = tot.sumBefore(q.From, true)
		}
	}
	edr, ecr := tot.sumBefore(end, q.ExcludeClosing)
	return odr - ocr, edr - sdr, ecr - scr
}

// first returns the earliest day with postings, or the zero Date.
func (tot *totals) first() date.Date { return tot.firstD }

// scanFirst finds the earliest day whose buckets are not empty; a rollback
// uses it when it removed a posting on the first day.
func (tot *totals) scanFirst() date.Date {
	for _, m := range tot.months {
		if m.days == nil || m.sum == (bucket{}) {
			continue // no postings, or emptied by a rollback
		}
		for j := range m.days {
			if m.days[j] != (bucket{}) {
				return m.start.AddDays(j)
			}
		}
	}
	return date.Date{}
}

func (t *tx) Totals(ctx context.Context, id string, q ledger.TotalsQuery) ([]ledger.Totals, error) {
	b, err := t.book(id)
	if err != nil {
		return nil, err
	}
	if q.Dimension.Name != "" {
		return b.scanTotals(ctx, q)
	}
	var end date.Date // first day after the range
	if !q.To.IsZero() {
		end = q.To.AddDays(1)
	}
	codes := b.codes
	if len(q.Accounts) > 0 {
		codes = slices.Clone(q.Accounts)
		slices.Sort(codes)
		codes = slices.Compact(codes)
	}
	out := make([]ledger.Totals, 0, len(codes))
	var curs []*curTotals
	for _, code := range codes {
		st, ok := b.accounts[code]
		if !ok {
			continue
		}
		curs = st.appendCurrencies(curs[:0])
		for _, ct := range curs {
			tot, c := &ct.t, ct.c
			if f := tot.first(); f.IsZero() || !q.To.IsZero() && !f.Before(end) {
				continue // nothing posted up to To, or only rolled back
			}
			open, dr, cr := tot.rangeSums(q, end)
			t := ledger.Totals{
				Account: code,
				Opening: money.New(open, c),
				Debit:   money.New(dr, c),
				Credit:  money.New(cr, c),
			}
			if f := st.fxTotals(c, false); f != nil {
				t.BaseOpening, t.BaseDebit, t.BaseCredit = f.base.rangeSums(q, end)
				if f.conv.n == tot.n {
					t.Converted = true // every posting ever, so every one up to To
				} else {
					adr, acr := tot.sumBefore(end, false)
					vdr, vcr := f.conv.sumBefore(end, false)
					t.Converted = adr == vdr && acr == vcr
				}
			}
			out = append(out, t)
		}
	}
	return out, nil
}

// scanTotals computes Totals from the postings themselves: maintained totals
// are not kept per dimension value.
func (b *book) scanTotals(ctx context.Context, q ledger.TotalsQuery) ([]ledger.Totals, error) {
	type sums struct{ open, dr, cr, bopen, bdr, bcr, plain int64 } // plain counts postings without a base amount
	acc := map[ledger.BalanceKey]*sums{}
	for i := range b.n {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		p := b.entry(i)
		opening := !q.From.IsZero() && p.Date.Before(q.From)
		if !q.To.IsZero() && p.Date.After(q.To) || !opening && q.ExcludeClosing && p.Journal == ledger.JournalClosing {
			continue
		}
		for _, l := range p.Lines {
			if l.Dimensions[q.Dimension.Name] != q.Dimension.Value || len(q.Accounts) > 0 && !slices.Contains(q.Accounts, l.Account) {
				continue
			}
			k := ledger.BalanceKey{Account: l.Account, Currency: l.Amount.Currency()}
			s := acc[k]
			if s == nil {
				s = &sums{}
				acc[k] = s
			}
			n, bn := l.Amount.MinorUnits(), l.Base.MinorUnits()
			if !l.Converted() {
				s.plain++
			}
			switch {
			case opening:
				s.open += n
				s.bopen += bn
			case n > 0:
				s.dr += n
				s.bdr += bn
			default:
				s.cr -= n
				s.bcr -= bn
			}
		}
	}
	keys := make([]ledger.BalanceKey, 0, len(acc))
	for k := range acc {
		keys = append(keys, k)
	}
	sortKeys(keys)
	out := make([]ledger.Totals, len(keys))
	for i, k := range keys {
		s := acc[k]
		out[i] = ledger.Totals{Account: k.Account, Opening: money.New(s.open, k.Currency), Debit: money.New(s.dr, k.Currency), Credit: money.New(s.cr, k.Currency),
			BaseOpening: s.bopen, BaseDebit: s.bdr, BaseCredit: s.bcr, Converted: s.plain == 0}
	}
	return out, nil
}

func sortKeys(keys []ledger.BalanceKey) {
	slices.SortFunc(keys, func(a, b ledger.BalanceKey) int {
		return cmp.Or(strings.Compare(a.Account, b.Account), strings.Compare(a.Currency.Code(), b.Currency.Code()))
	})
}

func (t *tx) Balances(_ context.Context, id string) ([]ledger.AccountBalance, error) {
	b, err := t.book(id)
	if err != nil {
		return nil, err
	}
	var out []ledger.AccountBalance
	for _, code := range b.codes {
		for _, ct := range b.accounts[code].currencies() {
			if ct.t.first().IsZero() {
				continue // only rolled-back postings
			}
			out = append(out, ledger.AccountBalance{Account: code, Balance: money.New(ct.t.balance, ct.c)})
		}
	}
	return out, nil
}

func (t *tx) Period(_ context.Context, id string, fy, n int) (ledger.PeriodState, error) {
	b, err := t.book(id)
	if err != nil {
		return 0, err
	}
	return b.periods[[2]int{fy, n}], nil
}

func (t *tx) PeriodEvents(_ context.Context, id string) ([]ledger.PeriodEvent, error) {
	b, err := t.book(id)
	if err != nil {
		return nil, err
	}
	return slices.Clone(b.events), nil
}

func (t *tx) AddPeriodEvent(_ context.Context, ev ledger.PeriodEvent) error {
	if t.ro {
		return errReadOnly
	}
	b, err := t.book(ev.Book)
	if err != nil {
		return err
	}
	k := [2]int{ev.FiscalYear, ev.Number}
	old, had := b.periods[k]
	b.periods[k] = ev.State
	b.events = append(b.events, ev)
	t.changed(b)
	t.onUndo(func() {
		b.events = b.events[:len(b.events)-1]
		if had {
			b.periods[k] = old
		} else {
			delete(b.periods, k)
		}
	})
	return nil
}

func cloneMap(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// ScanState implements ledger.StateReader.
func (t *tx) ScanState(_ context.Context, id string, fn func(ledger.StateRecord) error) error {
	b, err := t.book(id)
	if err != nil {
		return err
	}
	for _, r := range b.state {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// StateHead implements ledger.StateWriter.
func (t *tx) StateHead(_ context.Context, id string) (ledger.Head, error) {
	b, err := t.book(id)
	if err != nil || len(b.state) == 0 {
		return ledger.Head{}, err
	}
	r := b.state[len(b.state)-1]
	return ledger.Head{Seq: r.Seq, Hash: r.Hash}, nil
}

// AppendState implements ledger.StateWriter.
func (t *tx) AppendState(_ context.Context, id string, recs []ledger.StateRecord) error {
	if t.ro {
		return errReadOnly
	}
	b, err := t.book(id)
	if err != nil {
		return err
	}
	n := len(b.state)
	for i, r := range recs {
		if r.Seq != uint64(n+i+1) {
			return fmt.Errorf("memory: state record %d out of sequence: %w", r.Seq, ledger.ErrDuplicate)
		}
		r.Data = slices.Clone(r.Data)
		b.state = append(b.state, r)
	}
	t.onUndo(func() { b.state = b.state[:n] })
	return nil
}

// ScanTotals implements ledger.DerivedReader: the maintained month sums,
// and the year sums added up from them.
func (t *tx) ScanTotals(_ context.Context, id string, fn func(ledger.TotalsRow) error) error {
	b, err := t.book(id)
	if err != nil {
		return err
	}
	type rk struct {
		year, month int
		closing     bool
	}
	for _, code := range b.codes {
		a := b.accounts[code]
		for _, ct := range a.currencies() {
			rows := map[rk]*ledger.TotalsRow{}
			// each adds the months of tot through set, and their years.
			each := func(tot *totals, set func(r *ledger.TotalsRow, b bucket)) {
				for k, m := range tot.months {
					mi := tot.base + k
					y, mo := mi/12, mi%12+1
					open := bucket{m.sum.debit - m.csum.debit, m.sum.credit - m.csum.credit}
					for _, r := range [...]struct {
						b       bucket
						closing bool
					}{{open, false}, {m.csum, true}} {
						if r.b == (bucket{}) {
							continue
						}
						for _, key := range [...]rk{{y, mo, r.closing}, {y, 0, r.closing}} {
							row := rows[key]
							if row == nil {
								row = &ledger.TotalsRow{Account: code, Currency: ct.c.Code(), Year: key.year, Month: key.month, Closing: key.closing}
								rows[key] = row
							}
							set(row, r.b)
						}
					}
				}
			}
			each(&ct.t, func(r *ledger.TotalsRow, b bucket) { r.Debit += b.debit; r.Credit += b.credit })
			if f := a.fxTotals(ct.c, false); f != nil {
				each(&f.base, func(r *ledger.TotalsRow, b bucket) { r.BaseDebit += b.debit; r.BaseCredit += b.credit })
				each(&f.conv, func(r *ledger.TotalsRow, b bucket) { r.ConvDebit += b.debit; r.ConvCredit += b.credit })
			}
			for _, r := range rows {
				if err := fn(*r); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// ScanDimensions implements ledger.DerivedReader: the memory store keeps
// no dimension index apart from the postings (ErrNotFound).
func (t *tx) ScanDimensions(context.Context, string, func(ledger.DimensionRow) error) error {
	return ledger.ErrNotFound
}

// lastDay returns the latest day with postings, or the zero Date.
func (tot *totals) lastDay() date.Date {
	for k := len(tot.months) - 1; k >= 0; k-- {
		m := &tot.months[k]
		if m.days == nil || m.sum == (bucket{}) {
			continue // no postings, or emptied by a rollback
		}
		for j := len(m.days) - 1; j >= 0; j-- {
			if m.days[j] != (bucket{}) {
				return m.start.AddDays(j)
			}
		}
	}
	return date.Date{}
}
