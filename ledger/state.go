package ledger

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/openbackoffice/backoffice/date"
)

// StateRecord is one record of a book's state log: the book's settings, one
// account of its chart or one period event, as the Ledger recorded it after a
// change. The records of a book form a hash chain of their own, apart from
// the entries' (see "The state log" in the package doc).
type StateRecord struct {
	Seq  uint64   // 1, 2, 3 … per book
	Data []byte   // the state encoding, version 1
	Hash [32]byte // SHA-256(previous Hash ‖ Seq ‖ SHA-256(Data))
}

// StateReader is implemented by a ReadTx whose store keeps a state log.
// Verify checks the chart, the settings and the period events against it;
// without one they are not verified.
type StateReader interface {
	// ScanState calls fn for every state record of the book, in sequence
	// order, until fn returns an error, which ScanState returns.
	ScanState(ctx context.Context, book string, fn func(StateRecord) error) error
}

// StateWriter is implemented by a Tx whose store keeps a state log.
type StateWriter interface {
	StateReader
	// StateHead returns the sequence number and hash of the book's last
	// state record (0 and the zero hash if there is none).
	StateHead(ctx context.Context, book string) (Head, error)
	// AppendState stores records, which continue the book's state log.
	AppendState(ctx context.Context, book string, recs []StateRecord) error
}

// TotalsRow is one row of the totals a store maintains: the debit and
// credit sums, in minor units, of an account's postings in one currency and
// one calendar month (Month 1–12) or year (Month 0), closing entries apart.
type TotalsRow struct {
	Account       string
	Currency      string // currency code
	Year, Month   int
	Closing       bool
	Debit, Credit int64
	// BaseDebit and BaseCredit sum the base amounts (Line.Base) of the
	// postings that carry one, ConvDebit and ConvCredit the amounts of
	// those postings, all ≥ 0.
	BaseDebit, BaseCredit int64
	ConvDebit, ConvCredit int64
}

// DimensionRow is one row of a store's dimension index: posting Line of
// entry Seq carries dimension Name with Value.
type DimensionRow struct {
	Seq         uint64
	Line        int
	Name, Value string
}

// DerivedReader is implemented by a ReadTx whose store maintains totals and
// a dimension index apart from the postings. Verify checks every row of
// them against the postings.
type DerivedReader interface {
	// ScanTotals calls fn for every maintained totals row of the book, in
	// any order.
	ScanTotals(ctx context.Context, book string, fn func(TotalsRow) error) error
	// ScanDimensions calls fn for every row of the book's dimension index,
	// in any order. A store without an index apart from the postings
	// returns ErrNotFound.
	ScanDimensions(ctx context.Context, book string, fn func(DimensionRow) error) error
}

// State record kinds.
const (
	stateBook    = 'B'
	stateAccount = 'A'
	statePeriod  = 'P'
)

func stateBookData(b Book) []byte {
	d := []byte{1, stateBook}
	d = appendString(d, b.ID)
	d = appendString(d, b.Name)
	d = appendString(d, b.Currency.Code())
	d = binary.AppendUvarint(d, uint64(b.fyStart()))
	lock := ""
	if !b.LockDate.IsZero() {
		lock = b.LockDate.String()
	}
	return appendString(d, lock)
}

func stateAccountData(a Account) []byte {
	d := []byte{1, stateAccount}
	d = appendString(d, a.Code)
	d = appendString(d, a.Name)
	d = binary.AppendUvarint(d, uint64(a.Type))
	d = appendString(d, a.Parent)
	d = appendString(d, a.Currency.Code())
	closed := byte(0)
	if a.Closed {
		closed = 1
	}
	d = append(d, closed)
	for _, v := range [2]struct {
		ok bool
		s  string
	}{{a.Constraint.Min.Valid, a.Constraint.Min.Decimal.String()}, {a.Constraint.Max.Valid, a.Constraint.Max.Decimal.String()}} {
		if !v.ok {
			v.s = ""
		}
		d = appendString(d, v.s)
	}
	return appendMap(d, a.Metadata)
}

func statePeriodData(ev PeriodEvent) []byte {
	d := []byte{1, statePeriod}
	d = binary.AppendVarint(d, int64(ev.FiscalYear))
	d = binary.AppendUvarint(d, uint64(ev.Number))
	d = binary.AppendUvarint(d, uint64(ev.State))
	d = binary.AppendVarint(d, ev.At.UnixMicro())
	return appendString(d, ev.Reason)
}

// stateKey returns the kind of a state record and the code it is about (the
// account code, the book ID, "" for a period event).
func stateKey(data []byte) (kind byte, key string, ok bool) {
	if len(data) < 2 || data[0] != 1 {
		return 0, "", false
	}
	kind = data[1]
	if kind == statePeriod {
		return kind, "", true
	}
	n, w := binary.Uvarint(data[2:])
	if w <= 0 || uint64(len(data)-2-w) < n {
		return 0, "", false
	}
	return kind, string(data[2+w : 2+w+int(n)]), true
}

func stateHash(prev [32]byte, seq uint64, data []byte) [32]byte {
	var b [32 + 8 + 32]byte
	copy(b[:32], prev[:])
	binary.BigEndian.PutUint64(b[32:], seq)
	d := sha256.Sum256(data)
	copy(b[40:], d[:])
	return sha256.Sum256(b[:])
}

// stateTx records every change of a book's state that goes through it in
// the store's state log, if the store keeps one.
type stateTx struct {
	Tx
	w     StateWriter
	heads map[string]Head
}

// update is Store.Update for changes of a book's settings, chart or
// periods: they go into the state log in the same transaction.
func (l *Ledger) update(ctx context.Context, fn func(Tx) error) error {
	return l.store.Update(ctx, func(tx Tx) error {
		w, ok := tx.(StateWriter)
		if !ok {
			return fn(tx)
		}
		return fn(&stateTx{Tx: tx, w: w, heads: map[string]Head{}})
	})
}

// record appends data to the book's state log. A book without records yet
// (created before the log existed) first gets a record of its whole state
// as it stands, without the change being recorded.
func (t *stateTx) record(ctx context.Context, book string, data ...[]byte) error {
	h, ok := t.heads[book]
	if !ok {
		if _, err := t.Tx.LockHead(ctx, book); err != nil {
			return err
		}
		var err error
		if h, err = t.w.StateHead(ctx, book); err != nil {
			return err
		}
	}
	recs := make([]StateRecord, len(data))
	for i, d := range data {
		h.Seq++
		h.Hash = stateHash(h.Hash, h.Seq, d)
		recs[i] = StateRecord{Seq: h.Seq, Data: d, Hash: h.Hash}
	}
	if err := t.w.AppendState(ctx, book, recs); err != nil {
		return err
	}
	t.heads[book] = h
	return nil
}

// seal records the book's whole state if its log is still empty.
func (t *stateTx) seal(ctx context.Context, book string) error {
	if _, ok := t.heads[book]; ok {
		return nil
	}
	if _, err := t.Tx.LockHead(ctx, book); err != nil {
		return err
	}
	h, err := t.w.StateHead(ctx, book)
	if err != nil {
		return err
	}
	t.heads[book] = h
	if h.Seq > 0 {
		return nil
	}
	data, err := currentState(ctx, t.Tx, book)
	if err != nil {
		return err
	}
	return t.record(ctx, book, data...)
}

// currentState encodes the book's settings, chart and period events as
// the store holds them.
func currentState(ctx context.Context, tx ReadTx, book string) ([][]byte, error) {
	b, err := tx.Book(ctx, book)
	if err != nil {
		return nil, err
	}
	accts, err := tx.Accounts(ctx, book)
	if err != nil {
		return nil, err
	}
	evs, err := tx.PeriodEvents(ctx, book)
	if err != nil {
		return nil, err
	}
	data := [][]byte{stateBookData(b)}
	for _, a := range accts {
		data = append(data, stateAccountData(a))
	}
	for _, ev := range evs {
		data = append(data, statePeriodData(ev))
	}
	return data, nil
}

func (t *stateTx) CreateBook(ctx context.Context, b Book) error {
	if err := t.Tx.CreateBook(ctx, b); err != nil {
		return err
	}
	t.heads[b.ID] = Head{} // a new book: its log starts now
	stored, err := t.Tx.Book(ctx, b.ID)
	if err != nil {
		return err
	}
	return t.record(ctx, b.ID, stateBookData(stored))
}

func (t *stateTx) SetLockDate(ctx context.Context, book string, d date.Date) error {
	if err := t.seal(ctx, book); err != nil {
		return err
	}
	if err := t.Tx.SetLockDate(ctx, book, d); err != nil {
		return err
	}
	stored, err := t.Tx.Book(ctx, book)
	if err != nil {
		return err
	}
	return t.record(ctx, book, stateBookData(stored))
}

func (t *stateTx) PutAccount(ctx context.Context, a Account) error {
	if err := t.seal(ctx, a.Book); err != nil {
		return err
	}
	if err := t.Tx.PutAccount(ctx, a); err != nil {
		return err
	}
	stored, err := t.Tx.Account(ctx, a.Book, a.Code)
	if err != nil {
		return err
	}
	return t.record(ctx, a.Book, stateAccountData(stored))
}

func (t *stateTx) AddPeriodEvent(ctx context.Context, ev PeriodEvent) error {
	if err := t.seal(ctx, ev.Book); err != nil {
		return err
	}
	if err := t.Tx.AddPeriodEvent(ctx, ev); err != nil {
		return err
	}
	evs, err := t.Tx.PeriodEvents(ctx, ev.Book)
	if err != nil {
		return err
	}
	if len(evs) == 0 {
		return errors.New("ledger: period event not stored")
	}
	return t.record(ctx, ev.Book, statePeriodData(evs[len(evs)-1]))
}

// verifyState checks the book's state log: its chain, and that the book's
// settings, chart and period events are what it last recorded. It returns
// the head of the log (zero if the store keeps none or the log is empty, in
// which case nothing is checked).
func verifyState(ctx context.Context, tx ReadTx, book string) (Head, error) {
	r, ok := tx.(StateReader)
	if !ok {
		return Head{}, nil
	}
	var head Head
	settings := []byte(nil)
	accounts := map[string][]byte{}
	var periods [][]byte
	err := r.ScanState(ctx, book, func(rec StateRecord) error {
		if rec.Seq != head.Seq+1 {
			return &VerifyError{Book: book, State: head.Seq + 1, Reason: fmt.Sprintf("state log continues at %d", rec.Seq)}
		}
		if stateHash(head.Hash, rec.Seq, rec.Data) != rec.Hash {
			return &VerifyError{Book: book, State: rec.Seq, Reason: "state record does not match its hash"}
		}
		kind, key, ok := stateKey(rec.Data)
		if !ok {
			return &VerifyError{Book: book, State: rec.Seq, Reason: "state record malformed"}
		}
		switch kind {
		case stateBook:
			if key != book {
				return &VerifyError{Book: book, State: rec.Seq, Reason: "state record of another book"}
			}
			settings = rec.Data
		case stateAccount:
			accounts[key] = rec.Data
		case statePeriod:
			periods = append(periods, rec.Data)
		default:
			return &VerifyError{Book: book, State: rec.Seq, Reason: "state record of unknown kind"}
		}
		head = Head{Seq: rec.Seq, Hash: rec.Hash}
		return nil
	})
	if err != nil || head.Seq == 0 {
		return head, err
	}
	b, err := tx.Book(ctx, book)
	if err != nil {
		return head, err
	}
	if !slices.Equal(stateBookData(b), settings) {
		return head, &VerifyError{Book: book, Reason: "book settings or lock date differ from the state log"}
	}
	accts, err := tx.Accounts(ctx, book)
	if err != nil {
		return head, err
	}
	for _, a := range accts {
		want, ok := accounts[a.Code]
		if !ok {
			return head, &VerifyError{Book: book, Account: a.Code, Reason: "account not in the state log"}
		}
		if !slices.Equal(stateAccountData(a), want) {
			return head, &VerifyError{Book: book, Account: a.Code, Reason: "account (type, parent, currency, constraint …) differs from the state log"}
		}
		delete(accounts, a.Code)
	}
	if len(accounts) > 0 {
		codes := make([]string, 0, len(accounts))
		for c := range accounts {
			codes = append(codes, c)
		}
		slices.Sort(codes)
		return head, &VerifyError{Book: book, Account: codes[0], Reason: "account of the state log missing from the chart"}
	}
	evs, err := tx.PeriodEvents(ctx, book)
	if err != nil {
		return head, err
	}
	for i := 0; i < max(len(evs), len(periods)); i++ {
		var ev PeriodEvent
		if i < len(evs) {
			ev = evs[i]
		}
		switch {
		case i >= len(periods):
			return head, &VerifyError{Book: book, Period: fmt.Sprintf("%d/%02d", ev.FiscalYear, ev.Number), Reason: fmt.Sprintf("period event %d not in the state log", i+1)}
		case i >= len(evs):
			return head, &VerifyError{Book: book, Period: periodName(periods[i]), Reason: fmt.Sprintf("period event %d of the state log missing", i+1)}
		case !slices.Equal(statePeriodData(ev), periods[i]):
			return head, &VerifyError{Book: book, Period: periodName(periods[i]), Reason: fmt.Sprintf("period event %d differs from the state log", i+1)}
		}
	}
	return head, nil
}

// periodName returns "FY/NN" of a period event's state record.
func periodName(data []byte) string {
	fy, w := binary.Varint(data[2:])
	if w <= 0 {
		return "?"
	}
	n, w2 := binary.Uvarint(data[2+w:])
	if w2 <= 0 {
		return "?"
	}
	return fmt.Sprintf("%d/%02d", fy, n)
}
