package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// tx implements ledger.Tx over one SQL transaction.
type tx struct {
	s        *Store
	tx       *sql.Tx
	q        *queries
	readOnly bool
	// versions read together with a head lock: while the book row is locked
	// no other transaction can change them, so Version need not ask again.
	versions map[string]uint64
	// wrapErr, if set, wraps the driver errors of the helpers below instead
	// of Store.wrap, whose sentinels are the ledger's.
	wrapErr func(error) error
}

func (s *Store) newTx(t *sql.Tx) *tx { return &tx{s: s, tx: t, q: s.q} }

func (t *tx) writable() error {
	if t.readOnly {
		return fmt.Errorf("%s store: %w: write in a read-only transaction", t.s.d.Name, ledger.ErrState)
	}
	return nil
}

func (t *tx) wrap(err error) error {
	if t.wrapErr != nil && err != nil {
		return t.wrapErr(err)
	}
	return t.s.wrap(err)
}

func (t *tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, q, args...)
}

func (t *tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	r, err := t.tx.ExecContext(ctx, q, args...)
	return r, t.wrap(err)
}

// bookExists returns ErrUnknownBook if there is no book id. Reads that find
// nothing call it to tell an empty result from a missing book.
func (t *tx) bookExists(ctx context.Context, id string) error {
	if _, ok := t.versions[id]; ok {
		return nil // its row is locked: it exists until we end
	}
	var one int
	err := t.queryRow(ctx, t.q.bookExists, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return ledger.ErrUnknownBook
	}
	return t.wrap(err)
}

// Book implements ledger.ReadTx.
func (t *tx) Book(ctx context.Context, id string) (ledger.Book, error) {
	rows, err := t.tx.QueryContext(ctx, t.q.book, id)
	if err != nil {
		return ledger.Book{}, t.wrap(err)
	}
	bs, err := t.scanBooks(ctx, rows)
	if err != nil {
		return ledger.Book{}, err
	}
	if len(bs) == 0 {
		return ledger.Book{}, ledger.ErrUnknownBook
	}
	return bs[0], nil
}

// Books implements ledger.ReadTx.
func (t *tx) Books(ctx context.Context) ([]ledger.Book, error) {
	rows, err := t.tx.QueryContext(ctx, t.q.books)
	if err != nil {
		return nil, t.wrap(err)
	}
	return t.scanBooks(ctx, rows)
}

func (t *tx) scanBooks(ctx context.Context, rows *sql.Rows) ([]ledger.Book, error) {
	defer rows.Close()
	var out []ledger.Book
	var curs []string
	for rows.Next() {
		var (
			b   ledger.Book
			cur string
		)
		if err := rows.Scan(&b.ID, &b.Name, &cur, &b.FiscalYearStart, &b.LockDate); err != nil {
			return nil, t.wrap(err)
		}
		out = append(out, b)
		curs = append(curs, cur)
	}
	if err := rows.Err(); err != nil {
		return nil, t.wrap(err)
	}
	rows.Close()
	for i := range out {
		c, err := t.currency(ctx, curs[i])
		if err != nil {
			return nil, err
		}
		out[i].Currency = c
	}
	return out, nil
}

// Account implements ledger.ReadTx.
func (t *tx) Account(ctx context.Context, book, code string) (ledger.Account, error) {
	as, err := t.Accounts(ctx, book, code)
	if err != nil {
		return ledger.Account{}, err
	}
	if len(as) == 0 {
		return ledger.Account{}, ledger.ErrUnknownAccount
	}
	return as[0], nil
}

// Accounts implements ledger.ReadTx.
func (t *tx) Accounts(ctx context.Context, book string, codes ...string) ([]ledger.Account, error) {
	var out []ledger.Account
	if len(codes) == 0 {
		rows, err := t.tx.QueryContext(ctx, t.q.accounts, book)
		if err != nil {
			return nil, t.wrap(err)
		}
		if out, err = t.scanAccounts(ctx, rows, out); err != nil {
			return nil, err
		}
	} else {
		for chunk := range chunks(codes, 500) {
			args := make([]any, 0, len(chunk)+1)
			args = append(args, book)
			for _, c := range chunk {
				args = append(args, c)
			}
			rows, err := t.tx.QueryContext(ctx, t.q.accountsIn(len(chunk)), args...)
			if err != nil {
				return nil, t.wrap(err)
			}
			if out, err = t.scanAccounts(ctx, rows, out); err != nil {
				return nil, err
			}
		}
		if len(codes) > 500 {
			sortAccounts(out)
		}
	}
	if len(out) == 0 {
		if err := t.bookExists(ctx, book); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (t *tx) scanAccounts(ctx context.Context, rows *sql.Rows, out []ledger.Account) ([]ledger.Account, error) {
	defer rows.Close()
	type pending struct {
		i   int
		cur string
	}
	var curs []pending
	for rows.Next() {
		var (
			a      ledger.Account
			typ    int
			parent sql.NullString
			cur    sql.NullString
			meta   []byte
		)
		if err := rows.Scan(&a.Book, &a.Code, &a.Name, &typ, &parent, &cur, &a.Closed, &a.Constraint.Min, &a.Constraint.Max, &meta); err != nil {
			return nil, t.wrap(err)
		}
		a.Type = ledger.AccountType(typ)
		a.Parent = parent.String
		m, err := decodeMap(meta)
		if err != nil {
			return nil, err
		}
		a.Metadata = m
		if cur.Valid {
			curs = append(curs, pending{len(out), cur.String})
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, t.wrap(err)
	}
	rows.Close()
	for _, p := range curs {
		c, err := t.currency(ctx, p.cur)
		if err != nil {
			return nil, err
		}
		out[p.i].Currency = c
	}
	return out, nil
}

// Version implements ledger.ReadTx.
func (t *tx) Version(ctx context.Context, book string) (uint64, error) {
	if v, ok := t.versions[book]; ok {
		return v, nil
	}
	var v int64
	err := t.queryRow(ctx, t.q.version, book).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ledger.ErrUnknownBook
	}
	return uint64(v), t.wrap(err)
}

// Head implements ledger.ReadTx.
func (t *tx) Head(ctx context.Context, book string) (ledger.Head, error) {
	h, _, err := t.head(ctx, t.q.head, book)
	return h, err
}

func (t *tx) head(ctx context.Context, q, book string) (ledger.Head, int64, error) {
	var (
		h    ledger.Head
		seq  int64
		v    int64
		hash []byte
	)
	err := t.queryRow(ctx, q, book).Scan(&seq, &hash, &v)
	if errors.Is(err, sql.ErrNoRows) {
		return h, 0, ledger.ErrUnknownBook
	}
	if err != nil {
		return h, 0, t.wrap(err)
	}
	h.Seq = uint64(seq)
	if len(hash) == 32 {
		copy(h.Hash[:], hash)
	} else if seq != 0 {
		return h, 0, fmt.Errorf("%w: chain head of book has a %d-byte hash", ledger.ErrTampered, len(hash))
	}
	return h, v, nil
}

// LockHead implements ledger.Tx: it locks the book's row until the
// transaction ends, and with it the chain, the chart and the periods.
func (t *tx) LockHead(ctx context.Context, book string) (ledger.Head, error) {
	if err := t.writable(); err != nil {
		return ledger.Head{}, err
	}
	h, v, err := t.head(ctx, t.q.lockHead, book)
	if err != nil {
		return h, err
	}
	t.setVersion(book, v)
	return h, nil
}

func (t *tx) setVersion(book string, v int64) {
	if t.versions == nil {
		t.versions = make(map[string]uint64, 1)
	}
	t.versions[book] = uint64(v)
}

// versionArgs returns args preceded by the argument of NextVersion, if it has one.
func (t *tx) versionArgs(args ...any) []any {
	if t.s.d.VersionArg == nil {
		return args
	}
	return append([]any{t.s.d.VersionArg()}, args...)
}

// bump gives the book a new version number (and locks its row).
func (t *tx) bump(ctx context.Context, book string) error {
	var v int64
	err := t.queryRow(ctx, t.q.bump, t.versionArgs(book)...).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return ledger.ErrUnknownBook
	}
	if err != nil {
		return t.wrap(err)
	}
	if _, ok := t.versions[book]; ok {
		t.versions[book] = uint64(v)
	}
	return nil
}

// CreateBook implements ledger.Tx.
func (t *tx) CreateBook(ctx context.Context, b ledger.Book) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := t.registerCurrency(ctx, b.Currency); err != nil {
		return err
	}
	_, err := t.exec(ctx, t.q.createBook, t.versionArgs(b.ID, b.Name, b.Currency.Code(), b.FiscalYearStart, b.LockDate, make([]byte, 32))...)
	return err
}

// SetLockDate implements ledger.Tx.
func (t *tx) SetLockDate(ctx context.Context, book string, d date.Date) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := t.bump(ctx, book); err != nil {
		return err
	}
	_, err := t.exec(ctx, t.q.setLockDate, d, book)
	return err
}

// PutAccount implements ledger.Tx.
func (t *tx) PutAccount(ctx context.Context, a ledger.Account) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := t.bump(ctx, a.Book); err != nil {
		return err
	}
	var cur, parent any
	if !a.Currency.IsZero() {
		if err := t.registerCurrency(ctx, a.Currency); err != nil {
			return err
		}
		cur = a.Currency.Code()
	}
	if a.Parent != "" {
		parent = a.Parent
	}
	meta, err := encodeMap(a.Metadata)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, t.q.putAccount, a.Book, a.Code, a.Name, int(a.Type), parent, cur, a.Closed, a.Constraint.Min, a.Constraint.Max, meta)
	return err
}

// AddPeriodEvent implements ledger.Tx.
func (t *tx) AddPeriodEvent(ctx context.Context, ev ledger.PeriodEvent) error {
	if err := t.writable(); err != nil {
		return err
	}
	// The bump locks the book's row, so the next ordinal is ours alone.
	if err := t.bump(ctx, ev.Book); err != nil {
		return err
	}
	_, err := t.exec(ctx, t.q.addPeriodEvent, ev.Book, ev.FiscalYear, ev.Number, int(ev.State), t.s.d.Time(ev.At), ev.Reason, ev.Book)
	return err
}

// Period implements ledger.ReadTx.
func (t *tx) Period(ctx context.Context, book string, fiscalYear, number int) (ledger.PeriodState, error) {
	var st int
	err := t.queryRow(ctx, t.q.period, book, fiscalYear, number).Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return ledger.Open, t.bookExists(ctx, book)
	}
	return ledger.PeriodState(st), t.wrap(err)
}

// PeriodEvents implements ledger.ReadTx.
func (t *tx) PeriodEvents(ctx context.Context, book string) ([]ledger.PeriodEvent, error) {
	rows, err := t.tx.QueryContext(ctx, t.q.periodEvents, book)
	if err != nil {
		return nil, t.wrap(err)
	}
	defer rows.Close()
	var out []ledger.PeriodEvent
	for rows.Next() {
		ev := ledger.PeriodEvent{Book: book}
		var (
			st int
			at any
		)
		if err := rows.Scan(&ev.FiscalYear, &ev.Number, &st, &at, &ev.Reason); err != nil {
			return nil, t.wrap(err)
		}
		ev.State = ledger.PeriodState(st)
		if ev.At, err = scanTime(at); err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	if err := rows.Err(); err != nil {
		return nil, t.wrap(err)
	}
	if len(out) == 0 {
		if err := t.bookExists(ctx, book); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// LockBalances implements ledger.Tx.
func (t *tx) LockBalances(ctx context.Context, book string, keys []ledger.BalanceKey) ([]int64, error) {
	if err := t.writable(); err != nil {
		return nil, err
	}
	out := make([]int64, len(keys))
	idx := make(map[ledger.BalanceKey]int, len(keys))
	for i, k := range keys {
		idx[k] = i
	}
	for lo := 0; lo < len(keys); lo += 500 {
		chunk := keys[lo:min(lo+500, len(keys))]
		args := make([]any, 0, 1+2*len(chunk))
		args = append(args, book)
		for _, k := range chunk {
			args = append(args, k.Account, k.Currency.Code())
		}
		rows, err := t.tx.QueryContext(ctx, t.q.lockBalances(len(chunk)), args...)
		if err != nil {
			return nil, t.wrap(err)
		}
		for rows.Next() {
			var (
				acct, cur string
				bal       int64
			)
			if err := rows.Scan(&acct, &cur, &bal); err != nil {
				rows.Close()
				return nil, t.wrap(err)
			}
			for i, k := range chunk {
				if k.Account == acct && k.Currency.Code() == cur {
					out[lo+i] = bal
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, t.wrap(err)
		}
	}
	return out, nil
}

// Balances implements ledger.ReadTx.
func (t *tx) Balances(ctx context.Context, book string) ([]ledger.AccountBalance, error) {
	rows, err := t.tx.QueryContext(ctx, t.q.balances, book)
	if err != nil {
		return nil, t.wrap(err)
	}
	defer rows.Close()
	type row struct {
		acct, cur string
		bal       int64
	}
	var rs []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.acct, &r.cur, &r.bal); err != nil {
			return nil, t.wrap(err)
		}
		rs = append(rs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, t.wrap(err)
	}
	rows.Close()
	if len(rs) == 0 {
		return nil, t.bookExists(ctx, book)
	}
	out := make([]ledger.AccountBalance, len(rs))
	for i, r := range rs {
		c, err := t.currency(ctx, r.cur)
		if err != nil {
			return nil, err
		}
		out[i] = ledger.AccountBalance{Account: r.acct, Balance: money.New(r.bal, c)}
	}
	return out, nil
}

// currency resolves a stored currency code: ISO codes by themselves, others
// through bo_currencies.
func (t *tx) currency(ctx context.Context, code string) (money.Currency, error) {
	if c, ok := t.s.curs.m.Load(code); ok {
		return c.(money.Currency), nil
	}
	c, err := money.ParseCurrency(code)
	if err != nil {
		var minor int
		if qerr := t.queryRow(ctx, t.q.currency, code).Scan(&minor); qerr != nil {
			if errors.Is(qerr, sql.ErrNoRows) {
				return money.Currency{}, fmt.Errorf("%w: stored currency is not registered in bo_currencies", ledger.ErrUnknownCurrency)
			}
			return money.Currency{}, t.wrap(qerr)
		}
		if c, err = money.NewCurrency(code, minor); err != nil {
			return money.Currency{}, err
		}
	}
	t.s.curs.m.Store(code, c)
	return c, nil
}

// registerCurrency records a non-ISO currency's minor units, so that codes
// read back resolve to the same currency.
func (t *tx) registerCurrency(ctx context.Context, c money.Currency) error {
	if iso, err := money.ParseCurrency(c.Code()); err == nil && iso == c {
		return nil
	}
	if _, ok := t.s.curs.m.Load(c.Code()); ok {
		return nil
	}
	_, err := t.exec(ctx, t.q.registerCurrency, c.Code(), c.MinorUnits())
	return err
}

// encodeMap stores a string map as JSON, NULL when empty.
func encodeMap(m map[string]string) (any, error) {
	if len(m) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

func decodeMap(b []byte) (map[string]string, error) {
	if len(b) == 0 {
		return nil, nil
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%w: stored metadata is not a JSON object of strings", ledger.ErrTampered)
	}
	if len(m) == 0 {
		return nil, nil
	}
	return m, nil
}

// scanTime reads a timestamp stored by Dialect.Time: a time.Time
// (PostgreSQL TIMESTAMPTZ) or Unix microseconds (SQLite INTEGER).
func scanTime(v any) (time.Time, error) {
	switch v := v.(type) {
	case time.Time:
		return v.UTC(), nil
	case int64:
		return time.UnixMicro(v).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("%w: timestamp stored as %T", ledger.ErrTampered, v)
}

// scanInt reads an integer sum: int64 from SQLite, NUMERIC text from
// PostgreSQL (SUM of BIGINT is NUMERIC there). Out of the int64 range is
// ErrOverflow.
func scanInt(v any) (int64, error) {
	switch v := v.(type) {
	case int64:
		if v == math.MinInt64 {
			return 0, ledger.ErrOverflow // no Amount holds it
		}
		return v, nil
	case nil:
		return 0, nil
	case []byte:
		return parseInt(string(v))
	case string:
		return parseInt(v)
	}
	return 0, fmt.Errorf("sum stored as %T", v)
}

func parseInt(s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err == nil && n == math.MinInt64 {
		return 0, ledger.ErrOverflow // no Amount holds it
	}
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
			return 0, ledger.ErrOverflow
		}
		// NUMERIC may render an integral sum with a fraction of zeros.
		if d, derr := decimal.NewFromString(s); derr == nil && d.IsInteger() {
			if !d.BigInt().IsInt64() {
				return 0, ledger.ErrOverflow
			}
			return d.IntPart(), nil
		}
		return 0, err
	}
	return n, nil
}

// scanAmount reads a posting amount stored by Dialect.Amount: minor units
// (int64) or decimal text in currency c.
func scanAmount(v any, c money.Currency) (money.Amount, error) {
	if n, ok := v.(int64); ok {
		return money.New(n, c), nil
	}
	a := money.New(0, c)
	if err := a.Scan(v); err != nil {
		return money.Amount{}, fmt.Errorf("%w: stored amount: %w", ledger.ErrTampered, err)
	}
	return a, nil
}

// dayNumber maps a date to the integer bucket of bo_totals' day level.
func dayNumber(d date.Date) int64 { return int64(epoch.DaysUntil(d)) }

var epoch = date.New(1970, time.January, 1)

func monthNumber(d date.Date) int64 { y, m, _ := d.Date(); return int64(y)*12 + int64(m) - 1 }

// negInf and posInf bound open ranges of buckets.
const (
	negInf = math.MinInt64
	posInf = math.MaxInt64
)

func sortAccounts(as []ledger.Account) {
	slices.SortFunc(as, func(a, b ledger.Account) int { return strings.Compare(a.Code, b.Code) })
}

// chunks splits s into pieces of at most n.
func chunks[T any](s []T, n int) func(func([]T) bool) {
	return func(yield func([]T) bool) {
		for lo := 0; lo < len(s); lo += n {
			if !yield(s[lo:min(lo+n, len(s))]) {
				return
			}
		}
	}
}
