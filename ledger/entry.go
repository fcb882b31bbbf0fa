package ledger

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

// Journal names used by the ledger itself. Callers may use any other name
// ("AP", "AR", "PAYROLL", …).
const (
	JournalGeneral = "GL"    // the default when Entry.Journal is empty
	JournalClosing = "CLOSE" // year-end closing entries, see Ledger.CloseYear
	// JournalRevaluation holds the valuation adjustments of foreign-currency
	// balances (see Ledger.Revalue): the only entries that may post the
	// book's base currency to an account restricted to another currency.
	JournalRevaluation = "FX"
)

// Entry is a journal entry to post: n debit and m credit lines on one booking date.
type Entry struct {
	Book string
	// Key makes posting idempotent: posting an entry whose Key is already
	// posted returns the first result if the payload is the same, and
	// ErrConflict if it differs. Empty means no deduplication.
	Key         string
	Date        date.Date // booking date
	Description string
	Voucher     string // voucher reference (Beleg)
	Journal     string // source journal: GL, AP, AR, PAYROLL …; empty means GL
	// Reverses is the sequence number of the entry this one cancels (Storno), or 0.
	Reverses uint64
	// Adjusts is the sequence number of the entry this one corrects, or 0.
	Adjusts  uint64
	Metadata map[string]string
	Lines    []Line
}

// Line is one posting of an entry. A positive Amount debits the account, a
// negative one credits it; use Debit and Credit to build lines readably.
//
// A line in a currency other than the book's base currency may carry Base,
// its value in the base currency as booked (Amount at the transaction's
// rate); reports in the base currency read it. An entry with any Base
// balances in the base currency: the Base of its converted lines plus the
// Amount of its base-currency lines sum to zero, and lines in other
// currencies without a Base balance per currency among themselves. An
// entry without any Base balances per currency. Base has Amount's sign, or
// is zero when the conversion rounds to nothing.
type Line struct {
	Account    string
	Amount     money.Amount
	Base       money.Amount // value in the book's base currency; zero (no currency) if not converted
	Memo       string
	Dimensions map[string]string // cost centre, department, project, employee …
}

// Converted reports whether the line carries a base-currency amount.
func (l Line) Converted() bool { return !l.Base.Currency().IsZero() }

// Debit returns a line debiting account with amount a (a negative a credits it).
func Debit(account string, a money.Amount) Line { return Line{Account: account, Amount: a} }

// Credit returns a line crediting account with amount a (a negative a debits it).
func Credit(account string, a money.Amount) Line { return Line{Account: account, Amount: a.Neg()} }

// Side returns the side the line posts to.
func (l Line) Side() Side {
	if l.Amount.IsNegative() {
		return SideCredit
	}
	return SideDebit
}

// Posted is an entry as the ledger recorded it.
type Posted struct {
	Entry
	Seq        uint64    // gapless per-book sequence number, from 1
	RecordedAt time.Time // when it was posted, UTC, microsecond precision
	// Digest is SHA-256 of the canonical payload (everything in Entry), used to
	// compare idempotent retries.
	Digest [32]byte
	// Hash chains the entry to its predecessor:
	// SHA-256(previous Hash ‖ Seq ‖ RecordedAt ‖ Digest); see Verify.
	Hash [32]byte
}

// Validate checks everything about e that needs no store: fields, at least two
// lines, non-zero amounts, each currency known to reg with its minor units (nil
// means ISO 4217 only), and a balance of zero per currency. Errors wrap a sentinel
// and name the line.
func (e *Entry) Validate(reg *money.Registry) error {
	return e.validate(func(c money.Currency) error { return checkCurrency(reg, c) })
}

// validate is Validate with the currency check supplied by the caller.
func (e *Entry) validate(checkCur func(money.Currency) error) error {
	line := func(i int, err error) error { return lineError(e, i, err) }
	whole := func(err error) error { return lineError(e, -1, err) }
	switch {
	case !validCode(e.Book):
		return whole(fmt.Errorf("%w: book ID", ErrInvalid))
	case e.Date.IsZero():
		return whole(fmt.Errorf("%w: no booking date", ErrInvalid))
	case len(e.Lines) < 2:
		return whole(fmt.Errorf("%w: an entry needs at least two lines", ErrInvalid))
	case len(e.Key) > 256:
		return whole(fmt.Errorf("%w: key longer than 256 bytes", ErrInvalid))
	}
	if base, ok, err := e.baseCurrency(); err != nil {
		return err
	} else if ok {
		return e.validateBase(base, checkCur)
	}
	// Most entries have one currency: keep its sum in a local and fall back to
	// a small slice only for multi-currency entries.
	first := e.Lines[0].Amount.Currency()
	var sum int64
	var others []money.Amount
	var checked money.Currency
	for i := range e.Lines {
		l := &e.Lines[i]
		if err := lineProblem(l); err != nil {
			return line(i, err)
		}
		c := l.Amount.Currency()
		if i == 0 || c != checked {
			if err := checkCur(c); err != nil {
				return line(i, err)
			}
			checked = c
		}
		if c == first {
			s, ok := money.AddMinor(sum, l.Amount.MinorUnits())
			if !ok {
				return line(i, ErrOverflow)
			}
			sum = s
			continue
		}
		var ok bool
		if others, ok = addPerCurrency(others, l.Amount); !ok {
			return line(i, ErrOverflow)
		}
	}
	if sum != 0 {
		return whole(fmt.Errorf("%w in %s", ErrUnbalanced, first.Code()))
	}
	if err := unbalanced(others); err != nil {
		return whole(err)
	}
	return nil
}

// baseCurrency returns the currency of the entry's Base amounts, and
// whether it has any; Base amounts in two currencies are an error.
func (e *Entry) baseCurrency() (money.Currency, bool, error) {
	var base money.Currency
	for i := range e.Lines {
		l := &e.Lines[i]
		if !l.Converted() {
			continue
		}
		switch c := l.Base.Currency(); {
		case base.IsZero():
			base = c
		case c != base:
			return base, false, lineError(e, i, fmt.Errorf("%w: base amounts in %s and %s", ErrCurrencyMismatch, base.Code(), c.Code()))
		}
	}
	return base, !base.IsZero(), nil
}

// validateBase is validate for an entry with base amounts in base: it
// balances in base over converted and base-currency lines, and per currency
// over the other lines.
func (e *Entry) validateBase(base money.Currency, checkCur func(money.Currency) error) error {
	line := func(i int, err error) error { return lineError(e, i, err) }
	if err := checkCur(base); err != nil {
		return line(slices.IndexFunc(e.Lines, Line.Converted), err)
	}
	var sum int64
	var others []money.Amount
	for i := range e.Lines {
		l := &e.Lines[i]
		if err := lineProblem(l); err != nil {
			return line(i, err)
		}
		c := l.Amount.Currency()
		if err := checkCur(c); err != nil {
			return line(i, err)
		}
		v := l.Amount
		switch {
		case l.Converted() && c == base:
			return line(i, fmt.Errorf("%w: a base amount on a line in the base currency", ErrInvalid))
		case l.Converted() && l.Base.Sign() != 0 && l.Base.Sign() != l.Amount.Sign():
			return line(i, fmt.Errorf("%w: base amount of the other sign", ErrInvalid))
		case l.Converted():
			v = l.Base
		case c != base:
			var ok bool
			if others, ok = addPerCurrency(others, l.Amount); !ok {
				return line(i, ErrOverflow)
			}
			continue
		}
		s, ok := money.AddMinor(sum, v.MinorUnits())
		if !ok {
			return line(i, ErrOverflow)
		}
		sum = s
	}
	whole := func(err error) error { return lineError(e, -1, err) }
	if sum != 0 {
		return whole(fmt.Errorf("%w in %s (base)", ErrUnbalanced, base.Code()))
	}
	if err := unbalanced(others); err != nil {
		return whole(err)
	}
	return nil
}

// lineProblem checks what a line needs apart from its currency: an
// account code, a non-zero amount, valid dimension names.
func lineProblem(l *Line) error {
	if !validCode(l.Account) {
		return fmt.Errorf("%w: account code", ErrInvalid)
	}
	if l.Amount.IsZero() {
		return ErrZeroAmount
	}
	for k := range l.Dimensions {
		if !validCode(k) {
			return fmt.Errorf("%w: dimension name", ErrInvalid)
		}
	}
	return nil
}

// addPerCurrency adds a to its currency's sum in sums (appending one for a
// new currency); false on overflow.
func addPerCurrency(sums []money.Amount, a money.Amount) ([]money.Amount, bool) {
	j := slices.IndexFunc(sums, func(x money.Amount) bool { return x.Currency() == a.Currency() })
	if j < 0 {
		return append(sums, a), true
	}
	s, err := sums[j].Add(a)
	if err != nil {
		return sums, false
	}
	sums[j] = s
	return sums, true
}

// unbalanced returns the first non-zero sum of sums as ErrUnbalanced, or nil.
func unbalanced(sums []money.Amount) error {
	for _, o := range sums {
		if !o.IsZero() {
			return fmt.Errorf("%w in %s", ErrUnbalanced, o.Currency().Code())
		}
	}
	return nil
}

// knownCurrencies remembers the currencies a Ledger's registry accepted, so a
// post checks its currency without taking the registry's lock. A registry
// never forgets or redefines a currency, so remembering is safe.
type knownCurrencies struct {
	m atomic.Pointer[map[money.Currency]struct{}] // copied on write
}

func (k *knownCurrencies) check(reg *money.Registry, c money.Currency) error {
	if m := k.m.Load(); m != nil {
		if _, ok := (*m)[c]; ok {
			return nil
		}
	}
	if err := checkCurrency(reg, c); err != nil {
		return err
	}
	for {
		old := k.m.Load()
		next := make(map[money.Currency]struct{}, 1)
		if old != nil {
			maps.Copy(next, *old)
		}
		next[c] = struct{}{}
		if k.m.CompareAndSwap(old, &next) {
			return nil
		}
	}
}

func checkCurrency(reg *money.Registry, c money.Currency) error {
	if c.IsZero() {
		return fmt.Errorf("%w: amount without currency", ErrUnknownCurrency)
	}
	var known money.Currency
	var err error
	if reg == nil {
		known, err = money.ParseCurrency(c.Code())
	} else {
		known, err = reg.Lookup(c.Code())
	}
	if err != nil {
		return fmt.Errorf("%w: %s", ErrUnknownCurrency, c.Code())
	}
	if known != c {
		return fmt.Errorf("%w: %s has %d decimal places", ErrScale, c.Code(), known.MinorUnits())
	}
	return nil
}

// canonical encoding, version 1. The bytes hashed for an entry are, in order:
// each string as uvarint length + bytes; integers as uvarint; the date as the
// "YYYY-MM-DD" string; maps as a uvarint count and then sorted key/value pairs;
// for each line: account, currency code, currency minor units, amount in minor
// units (zig-zag varint), memo, dimensions. Stores never compute this; Verify
// recomputes it from what they return, so any changed field shows.
const canonicalVersion = 1

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendMap(b []byte, m map[string]string) []byte {
	b = binary.AppendUvarint(b, uint64(len(m)))
	if len(m) == 0 {
		return b
	}
	var buf [8]string
	keys := buf[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b = appendString(b, k)
		b = appendString(b, m[k])
	}
	return b
}

// appendCanonical appends e's canonical payload to b.
func (e *Entry) appendCanonical(b []byte) []byte {
	b = append(b, canonicalVersion)
	b = appendString(b, e.Book)
	b = appendString(b, e.Key)
	b = binary.AppendUvarint(b, 10)
	b = e.Date.AppendText(b)
	b = appendString(b, e.Description)
	b = appendString(b, e.Voucher)
	b = appendString(b, e.journal())
	b = binary.AppendUvarint(b, e.Reverses)
	b = binary.AppendUvarint(b, e.Adjusts)
	b = appendMap(b, e.Metadata)
	b = binary.AppendUvarint(b, uint64(len(e.Lines)))
	for i := range e.Lines {
		l := &e.Lines[i]
		c := l.Amount.Currency()
		b = appendString(b, l.Account)
		b = appendString(b, c.Code())
		b = binary.AppendUvarint(b, uint64(c.MinorUnits()))
		b = binary.AppendVarint(b, l.Amount.MinorUnits())
		b = appendString(b, l.Memo)
		b = appendMap(b, l.Dimensions)
	}
	// Base amounts come after the lines, and only if there are any, so the
	// bytes (and hashes) of entries without them are those of version 1
	// before base amounts existed: the base currency code and minor units,
	// then per converted line its index and base in minor units.
	if base, ok, _ := e.baseCurrency(); ok {
		b = appendString(b, base.Code())
		b = binary.AppendUvarint(b, uint64(base.MinorUnits()))
		for i := range e.Lines {
			if l := &e.Lines[i]; l.Converted() {
				b = binary.AppendUvarint(b, uint64(i))
				b = binary.AppendVarint(b, l.Base.MinorUnits())
			}
		}
	}
	return b
}

func (e *Entry) journal() string {
	if e.Journal == "" {
		return JournalGeneral
	}
	return e.Journal
}

// digest returns the SHA-256 of e's canonical payload, using buf as scratch space.
func (e *Entry) digest(buf []byte) ([32]byte, []byte) {
	buf = e.appendCanonical(buf[:0])
	return sha256.Sum256(buf), buf
}

// chainHash returns SHA-256(prev ‖ seq ‖ recordedAt ‖ digest).
func chainHash(prev [32]byte, seq uint64, recordedAt time.Time, digest [32]byte) [32]byte {
	var b [32 + 8 + 8 + 32]byte
	copy(b[:32], prev[:])
	binary.BigEndian.PutUint64(b[32:], seq)
	binary.BigEndian.PutUint64(b[40:], uint64(recordedAt.UnixMicro()))
	copy(b[48:], digest[:])
	return sha256.Sum256(b[:])
}

// clone returns a deep copy of e, so that a caller changing its Entry after Post
// cannot change what was posted.
func (e Entry) clone() Entry {
	e.Metadata = cloneMap(e.Metadata)
	lines := make([]Line, len(e.Lines))
	copy(lines, e.Lines)
	for i := range lines {
		lines[i].Dimensions = cloneMap(lines[i].Dimensions)
	}
	e.Lines = lines
	if e.Journal == "" {
		e.Journal = JournalGeneral
	}
	return e
}

// clone returns a deep copy of p, for handing out values a store may share.
func (p Posted) clone() Posted {
	p.Entry = p.Entry.clone()
	return p
}

func clonePosted(ps []Posted) []Posted {
	for i := range ps {
		ps[i] = ps[i].clone()
	}
	return ps
}

func (a Account) clone() Account {
	a.Metadata = cloneMap(a.Metadata)
	return a
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

// reversal returns the Storno of p: the same lines with opposite signs.
func (p *Posted) reversal(d date.Date, reason string) Entry {
	lines := make([]Line, len(p.Lines))
	for i, l := range p.Lines {
		l.Amount = l.Amount.Neg()
		l.Base = l.Base.Neg()
		l.Dimensions = cloneMap(l.Dimensions)
		lines[i] = l
	}
	desc := "Storno: " + p.Description
	if reason != "" {
		desc = strings.TrimSpace("Storno: " + reason)
	}
	return Entry{
		Book:        p.Book,
		Key:         fmt.Sprintf("reverse/%d", p.Seq),
		Date:        d,
		Description: desc,
		Voucher:     p.Voucher,
		Journal:     p.Journal,
		Reverses:    p.Seq,
		Lines:       lines,
	}
}
