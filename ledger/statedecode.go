package ledger

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

// StateChange is one state record decoded (see "The state log" in the
// package doc): exactly one of Book, Account and Event is set.
type StateChange struct {
	Book    *Book        // a 'B' record: the book's settings with its lock date
	Account *Account     // an 'A' record: one account as it stood after the change
	Event   *PeriodEvent // a 'P' record: one period event
}

// DecodeState decodes the state record data of book (state encoding
// version 1). Currencies are resolved with reg (nil: ISO 4217 only). The
// decoded value is encoded again and must give data byte for byte, so a
// record that decodes is read faithfully; anything else (another version,
// an unknown kind, bytes left over, a currency reg does not know) is an
// error wrapping ErrInvalid. DecodeState is a pure function, safe for
// concurrent use.
//
// With it a backup replays a prefix of a book's state log into the
// settings, chart and period events the book had at that point.
func DecodeState(reg *money.Registry, book string, data []byte) (StateChange, error) {
	lookup := money.ParseCurrency
	if reg != nil {
		lookup = reg.Lookup
	}
	r := &stateDecoder{b: data}
	if len(data) < 2 || data[0] != 1 {
		return StateChange{}, fmt.Errorf("%w: state record of another encoding version", ErrInvalid)
	}
	r.b = data[2:]
	currency := func(code string) money.Currency {
		if code == "" || r.err != nil {
			return money.Currency{}
		}
		c, err := lookup(code)
		if err != nil {
			r.err = err
		}
		return c
	}
	var ch StateChange
	switch data[1] {
	case stateBook:
		b := &Book{ID: r.str(), Name: r.str()}
		b.Currency = currency(r.str())
		b.FiscalYearStart = int(r.uvarint())
		if lock := r.str(); lock != "" && r.err == nil {
			b.LockDate, r.err = date.Parse(lock)
		}
		if r.err == nil && b.ID != book {
			r.err = fmt.Errorf("settings of book %q", b.ID)
		}
		ch.Book = b
	case stateAccount:
		a := &Account{Book: book, Code: r.str(), Name: r.str()}
		a.Type = AccountType(r.uvarint())
		a.Parent = r.str()
		a.Currency = currency(r.str())
		a.Closed = r.byte() == 1
		a.Constraint.Min = r.bound()
		a.Constraint.Max = r.bound()
		a.Metadata = r.strMap()
		ch.Account = a
	case statePeriod:
		ev := &PeriodEvent{Book: book}
		ev.FiscalYear = int(r.varint())
		ev.Number = int(r.uvarint())
		ev.State = PeriodState(r.uvarint())
		ev.At = time.UnixMicro(r.varint()).UTC()
		ev.Reason = r.str()
		ch.Event = ev
	default:
		return StateChange{}, fmt.Errorf("%w: state record of unknown kind %q", ErrInvalid, data[1])
	}
	if r.err == nil && len(r.b) > 0 {
		r.err = errors.New("bytes left over")
	}
	if r.err != nil {
		return StateChange{}, fmt.Errorf("%w: state record of kind %c: %v", ErrInvalid, data[1], r.err)
	}
	var again []byte
	switch {
	case ch.Book != nil:
		again = stateBookData(*ch.Book)
	case ch.Account != nil:
		again = stateAccountData(*ch.Account)
	default:
		again = statePeriodData(*ch.Event)
	}
	if !slices.Equal(again, data) {
		return StateChange{}, fmt.Errorf("%w: state record of kind %c does not encode back to itself", ErrInvalid, data[1])
	}
	return ch, nil
}

// stateDecoder reads the fields of a state record; the first error sticks.
type stateDecoder struct {
	b   []byte
	err error
}

func (r *stateDecoder) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, w := binary.Uvarint(r.b)
	if w <= 0 {
		r.err = errors.New("bad varint")
		return 0
	}
	r.b = r.b[w:]
	return v
}

func (r *stateDecoder) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, w := binary.Varint(r.b)
	if w <= 0 {
		r.err = errors.New("bad varint")
		return 0
	}
	r.b = r.b[w:]
	return v
}

func (r *stateDecoder) str() string {
	n := r.uvarint()
	if r.err != nil {
		return ""
	}
	if uint64(len(r.b)) < n {
		r.err = errors.New("string runs past the end")
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *stateDecoder) byte() byte {
	if r.err != nil {
		return 0
	}
	if len(r.b) == 0 {
		r.err = errors.New("record ends early")
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *stateDecoder) bound() decimal.NullDecimal {
	s := r.str()
	if s == "" || r.err != nil {
		return decimal.NullDecimal{}
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		r.err = err
		return decimal.NullDecimal{}
	}
	return decimal.NullDecimal{Decimal: d, Valid: true}
}

func (r *stateDecoder) strMap() map[string]string {
	n := r.uvarint()
	if r.err != nil || n == 0 {
		return nil
	}
	if n > uint64(len(r.b)) {
		r.err = errors.New("map runs past the end")
		return nil
	}
	m := make(map[string]string, n)
	for range n {
		k := r.str()
		m[k] = r.str()
	}
	return m
}
