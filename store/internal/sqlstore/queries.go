package sqlstore

import (
	"cmp"
	"sync"
)

// queries holds the static SQL of a dialect, rebound once.
type queries struct {
	d *Dialect

	bookExists, book, books, accounts, version, head, lockHead, bump string
	createBook, setLockDate, putAccount, addPeriodEvent, period      string
	periodEvents, balances, currency, registerCurrency, moveHead     string
	upsertBalances, upsertTotals                                     string

	hr   hrQueries
	pay  payQueries
	part partQueries

	mu          sync.Mutex
	accountsInN map[int]string
	lockBalN    map[int]string
}

const accountCols = "book, code, name, type, parent, currency, closed, min_balance, max_balance, metadata"

func newQueries(d *Dialect) *queries {
	r := func(q string) string { return rebind(d, q) }
	return &queries{
		d:          d,
		hr:         newHRQueries(d),
		pay:        newPayQueries(d),
		part:       newPartQueries(d),
		bookExists: r("SELECT 1 FROM bo_books WHERE id = ?"),
		book:       r("SELECT id, name, currency, fy_start, lock_date FROM bo_books WHERE id = ?"),
		books:      r("SELECT id, name, currency, fy_start, lock_date FROM bo_books ORDER BY id"),
		accounts:   r("SELECT " + accountCols + " FROM bo_accounts WHERE book = ? ORDER BY code"),
		version:    r("SELECT version FROM bo_books WHERE id = ?"),
		head:       r("SELECT head_seq, head_hash, version FROM bo_books WHERE id = ?"),
		lockHead:   r("SELECT head_seq, head_hash, version FROM bo_books WHERE id = ?" + d.ForUpdate),
		bump:       r("UPDATE bo_books SET version = " + d.NextVersion + " WHERE id = ? RETURNING version"),
		createBook: r("INSERT INTO bo_books (version, id, name, currency, fy_start, lock_date, head_seq, head_hash) VALUES (" +
			cmp.Or(d.FirstVersion, d.NextVersion) + ", ?, ?, ?, ?, ?, 0, ?)"),
		setLockDate: r("UPDATE bo_books SET lock_date = ? WHERE id = ?"),
		putAccount: r("INSERT INTO bo_accounts (" + accountCols + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" +
			" ON CONFLICT (book, code) DO UPDATE SET name = excluded.name, type = excluded.type, parent = excluded.parent," +
			" currency = excluded.currency, closed = excluded.closed, min_balance = excluded.min_balance," +
			" max_balance = excluded.max_balance, metadata = excluded.metadata"),
		addPeriodEvent: r("INSERT INTO bo_period_events (book, ord, fiscal_year, number, state, at, reason)" +
			" SELECT ?, COALESCE(MAX(ord), 0) + 1, ?, ?, ?, ?, ? FROM bo_period_events WHERE book = ?"),
		period:           r("SELECT state FROM bo_period_events WHERE book = ? AND fiscal_year = ? AND number = ? ORDER BY ord DESC LIMIT 1"),
		periodEvents:     r("SELECT fiscal_year, number, state, at, reason FROM bo_period_events WHERE book = ? ORDER BY ord"),
		balances:         r("SELECT account, currency, balance FROM bo_balances WHERE book = ? ORDER BY account, currency"),
		currency:         r("SELECT minor FROM bo_currencies WHERE code = ?"),
		registerCurrency: r("INSERT INTO bo_currencies (code, minor) VALUES (?, ?) ON CONFLICT (code) DO NOTHING"),
		moveHead:         r("UPDATE bo_books SET head_seq = ?, head_hash = ? WHERE id = ? AND head_seq = ?"),
		// Upserts keep their row source as %s: VALUES or unnest, per call.
		upsertBalances: "INSERT INTO bo_balances (book, account, currency, balance) %s" +
			" ON CONFLICT (book, account, currency) DO UPDATE SET balance = bo_balances.balance + excluded.balance",
		upsertTotals: "INSERT INTO bo_totals (book, account, currency, level, bucket, closing, debit, credit," +
			" base_debit, base_credit, conv_debit, conv_credit) %s" +
			" ON CONFLICT (book, account, currency, level, bucket, closing) DO UPDATE SET" +
			" debit = bo_totals.debit + excluded.debit, credit = bo_totals.credit + excluded.credit," +
			" base_debit = bo_totals.base_debit + excluded.base_debit, base_credit = bo_totals.base_credit + excluded.base_credit," +
			" conv_debit = bo_totals.conv_debit + excluded.conv_debit, conv_credit = bo_totals.conv_credit + excluded.conv_credit",
	}
}

// accountsIn selects the accounts of a book with n given codes.
func (q *queries) accountsIn(n int) string {
	return q.cached(&q.accountsInN, n, func() string {
		return "SELECT " + accountCols + " FROM bo_accounts WHERE book = ? AND code IN (" + placeholders(n) + ") ORDER BY code"
	})
}

// lockBalances reads and locks n balances of a book, in key order.
func (q *queries) lockBalances(n int) string {
	return q.cached(&q.lockBalN, n, func() string {
		s := "SELECT account, currency, balance FROM bo_balances WHERE book = ? AND (account, currency) IN ("
		for i := range n {
			if i > 0 {
				s += ", "
			}
			s += "(?, ?)"
		}
		return s + ") ORDER BY account, currency" + q.d.ForUpdate
	})
}

func (q *queries) cached(m *map[int]string, n int, build func() string) string {
	q.mu.Lock()
	defer q.mu.Unlock()
	if s, ok := (*m)[n]; ok {
		return s
	}
	if *m == nil {
		*m = make(map[int]string)
	}
	s := rebind(q.d, build())
	if len(*m) < 64 {
		(*m)[n] = s
	}
	return s
}
