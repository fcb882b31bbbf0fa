package ledger

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

// Entry returns the entry with sequence number seq, or ErrNotFound.
func (l *Ledger) Entry(ctx context.Context, book string, seq uint64) (Posted, error) {
	var p Posted
	err := l.store.View(ctx, func(tx ReadTx) (err error) { p, err = tx.Entry(ctx, book, seq); return err })
	return p.clone(), err
}

// EntryByKey returns the entry posted under idempotency key key, or ErrNotFound.
func (l *Ledger) EntryByKey(ctx context.Context, book, key string) (Posted, error) {
	var p Posted
	err := l.store.View(ctx, func(tx ReadTx) (err error) { p, err = tx.EntryByKey(ctx, book, key); return err })
	return p.clone(), err
}

// Entries returns one page of the entries matching q in sequence order. To read
// the next page, set q.After to the Seq of the last entry returned.
func (l *Ledger) Entries(ctx context.Context, book string, q EntryQuery) ([]Posted, error) {
	var ps []Posted
	err := l.store.View(ctx, func(tx ReadTx) (err error) { ps, err = tx.Entries(ctx, book, q); return err })
	return clonePosted(ps), err
}

// Balance is an amount per currency, sorted by currency code, without zero
// amounts. A nil Balance is zero.
type Balance []money.Amount

// In returns the amount in currency c (zero if none).
func (b Balance) In(c money.Currency) money.Amount {
	for _, a := range b {
		if a.Currency() == c {
			return a
		}
	}
	return money.Zero(c)
}

// String formats b as "1.00 EUR, 2.00 USD", or "0" if it is zero.
func (b Balance) String() string {
	if len(b) == 0 {
		return "0"
	}
	s := make([]string, len(b))
	for i, a := range b {
		s[i] = a.String()
	}
	return strings.Join(s, ", ")
}

// BalanceQuery selects the rows of Ledger.Balances.
type BalanceQuery struct {
	// From and To bound the period, inclusive. Opening is the balance before
	// From; a zero From means from the beginning; a zero To means no end.
	From, To date.Date
	// Dimension keeps only lines with this dimension value (a cost-centre
	// trial balance, say), if Name is set.
	Dimension Dimension
	// ExcludeClosing leaves the year-end closing entries dated From to To
	// out of Debit and Credit (the opening keeps earlier years' closings,
	// which zeroed their income and expense accounts), as an income
	// statement for a closed year needs.
	ExcludeClosing bool
	// Rollup adds every account's amounts to all its ancestors and returns a
	// row for each ancestor too, so a parent's row covers its subtree.
	Rollup bool
	// Openings counts the opening entries dated From to To (see
	// JournalOpening) into Opening instead of Debit and Credit: balances
	// brought forward, as a trial balance's opening column (DATEV's
	// EB-Wert) and a cash flow statement's cash at beginning need them.
	// Closing is the same either way.
	Openings bool
	// InBase returns every account's rows as one row in the book's base
	// currency: amounts in other currencies count with their base amounts
	// as booked (Line.Base, and the revaluations of Ledger.Revalue), which
	// is hledger's --value=then. An account with postings in another
	// currency that carry no base amount fails with ErrNotConverted.
	InBase bool
	// ValueAt, with InBase, values the amounts in other currencies at the
	// rate in force on ValueAt (Options.Rates) instead of their base
	// amounts: hledger's --value=end with ValueAt the period's end. Opening,
	// debit and credit are converted one by one (money.HalfUp through the
	// Converter) and the closing balance is their sum, so the rows need
	// not sum to zero: the difference is the unrealised exchange
	// difference, not booked. Postings without base amounts need none.
	ValueAt date.Date
}

// BalanceRow is one account's movement in one currency. Debit-positive:
// Closing = Opening + Debit − Credit, Debit and Credit both ≥ 0.
type BalanceRow struct {
	Account  Account
	Level    int // depth in the account hierarchy, 0 for a top-level account
	Currency money.Currency
	Opening  money.Amount
	Debit    money.Amount
	Credit   money.Amount
	Closing  money.Amount
}

// Balances returns the trial balance rows of the book for q: per account and
// currency, the opening balance, debits and credits in the range, and the
// closing balance, ordered by account code and currency. It reads maintained
// totals, so its cost does not grow with the number of postings.
func (l *Ledger) Balances(ctx context.Context, book string, q BalanceQuery) ([]BalanceRow, error) {
	var (
		rows  []Totals
		snap  *snapshot
		rates Converter
	)
	if !q.ValueAt.IsZero() { // before the View: RatesFor may read the store
		br, err := l.ratesOf(ctx, book)
		if err != nil {
			return nil, err
		}
		rates = br.Rates
	}
	err := l.store.View(ctx, func(tx ReadTx) (err error) {
		// The chart comes from the snapshot cached by store version: a
		// trial balance of 10,000 accounts need not read them every time.
		if snap, err = l.snapshot(ctx, tx, book); err != nil {
			return err
		}
		rows, err = tx.Totals(ctx, book, TotalsQuery{From: q.From, To: q.To, Dimension: q.Dimension, ExcludeClosing: q.ExcludeClosing})
		if err != nil {
			return err
		}
		if q.Openings {
			ps, err := openingEntries(ctx, tx, book, snap.list, q)
			if err != nil {
				return err
			}
			if err := moveOpenings(rows, ps, q.Dimension); err != nil {
				return err
			}
		}
		switch {
		case q.InBase && !q.ValueAt.IsZero():
			rows, err = valueAt(rates, rows, snap.book.Currency, q.ValueAt)
		case q.InBase:
			rows, err = inBase(rows, snap.book.Currency)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	l.publish(snap) // built from committed state: a View sees nothing else
	accts := make([]Account, len(snap.list))
	for i := range snap.list {
		accts[i] = snap.list[i].clone()
	}
	return buildRows(accts, rows, q.Rollup)
}

// inBase turns totals rows into rows in the base currency: rows in another
// currency take their base sums, which must cover every posting. The rows
// of one account, adjacent as stores order them, merge into one.
func inBase(rows []Totals, base money.Currency) ([]Totals, error) {
	if !slices.ContainsFunc(rows, func(t Totals) bool { return t.Opening.Currency() != base }) {
		return rows, nil // one currency: nothing to convert or merge
	}
	out := make([]Totals, 0, len(rows))
	for _, t := range rows {
		if t.Opening.Currency() != base {
			if !t.Converted {
				return nil, &ConversionError{Account: t.Account, Currency: t.Opening.Currency().Code()}
			}
			t = Totals{Account: t.Account, Opening: money.New(t.BaseOpening, base), Debit: money.New(t.BaseDebit, base), Credit: money.New(t.BaseCredit, base)}
		}
		if n := len(out); n > 0 && out[n-1].Account == t.Account {
			o := &out[n-1]
			var e1, e2, e3 error
			o.Opening, e1 = o.Opening.Add(t.Opening)
			o.Debit, e2 = o.Debit.Add(t.Debit)
			o.Credit, e3 = o.Credit.Add(t.Credit)
			if e1 != nil || e2 != nil || e3 != nil {
				return nil, fmt.Errorf("account %s: %w", t.Account, ErrOverflow)
			}
			continue
		}
		out = append(out, t)
	}
	return out, nil
}

// valueAt turns totals rows into rows in the base currency, valuing rows
// in another currency at the rate on d.
func valueAt(rates Converter, rows []Totals, base money.Currency, d date.Date) ([]Totals, error) {
	if rates == nil {
		return nil, fmt.Errorf("%w: valuation at a date needs Options.Rates", ErrInvalid)
	}
	out := make([]Totals, len(rows))
	for i, t := range rows {
		if t.Opening.Currency() == base {
			out[i] = t
			continue
		}
		var v [3]money.Amount
		for j, a := range [3]money.Amount{t.Opening, t.Debit, t.Credit} {
			c, err := rates.Convert(a, base, d)
			if err != nil {
				return nil, fmt.Errorf("account %s: %w", t.Account, err)
			}
			v[j] = c
		}
		out[i] = Totals{Account: t.Account, Opening: v[0], Debit: v[1], Credit: v[2]}
	}
	return out, nil
}

func (t Totals) closing() (money.Amount, error) {
	s, err := t.Opening.Add(t.Debit)
	if err == nil {
		s, err = s.Sub(t.Credit)
	}
	if err != nil {
		return money.Amount{}, fmt.Errorf("account %s: %w", t.Account, ErrOverflow)
	}
	return s, nil
}

func buildRows(accts []Account, rows []Totals, rollup bool) ([]BalanceRow, error) {
	byCode := make(map[string]int, len(accts))
	for i, a := range accts {
		byCode[a.Code] = i
	}
	level := func(a Account) int {
		n := 0
		for a.Parent != "" && n < len(accts) {
			a = accts[byCode[a.Parent]]
			n++
		}
		return n
	}
	type key struct {
		code string
		cur  money.Currency
	}
	out := make([]BalanceRow, 0, len(rows))
	index := make(map[key]int, len(rows))
	add := func(code string, t Totals) error {
		i, ok := byCode[code]
		if !ok {
			return fmt.Errorf("totals name account %s: %w", code, ErrUnknownAccount)
		}
		k := key{code, t.Opening.Currency()}
		j, ok := index[k]
		if !ok {
			out = append(out, BalanceRow{
				Account: accts[i].clone(), Level: level(accts[i]), Currency: k.cur,
				Opening: money.Zero(k.cur), Debit: money.Zero(k.cur), Credit: money.Zero(k.cur),
			})
			j = len(out) - 1
			index[k] = j
		}
		r := &out[j]
		var e1, e2, e3 error
		r.Opening, e1 = r.Opening.Add(t.Opening)
		r.Debit, e2 = r.Debit.Add(t.Debit)
		r.Credit, e3 = r.Credit.Add(t.Credit)
		if e1 != nil || e2 != nil || e3 != nil {
			return fmt.Errorf("account %s: %w", code, ErrOverflow)
		}
		return nil
	}
	for _, t := range rows {
		if err := add(t.Account, t); err != nil {
			return nil, err
		}
		if !rollup {
			continue
		}
		for p, n := accts[byCode[t.Account]].Parent, 0; p != "" && n < len(accts); n++ {
			if err := add(p, t); err != nil {
				return nil, err
			}
			p = accts[byCode[p]].Parent
		}
	}
	for i := range out {
		r := &out[i]
		c, err := Totals{Account: r.Account.Code, Opening: r.Opening, Debit: r.Debit, Credit: r.Credit}.closing()
		if err != nil {
			return nil, err
		}
		r.Closing = c
	}
	slices.SortFunc(out, func(a, b BalanceRow) int {
		if c := strings.Compare(a.Account.Code, b.Account.Code); c != 0 {
			return c
		}
		return strings.Compare(a.Currency.Code(), b.Currency.Code())
	})
	return out, nil
}

// Balance returns the balance of one account as of the end of day asOf (a zero
// asOf means now), debit positive.
func (l *Ledger) Balance(ctx context.Context, book, code string, asOf date.Date) (Balance, error) {
	return l.balance(ctx, book, code, asOf, false)
}

// SubtreeBalance is Balance of an account and all its descendants, rolled up.
func (l *Ledger) SubtreeBalance(ctx context.Context, book, code string, asOf date.Date) (Balance, error) {
	return l.balance(ctx, book, code, asOf, true)
}

func (l *Ledger) balance(ctx context.Context, book, code string, asOf date.Date, subtree bool) (Balance, error) {
	var (
		rows  []Totals
		accts []Account
	)
	err := l.store.View(ctx, func(tx ReadTx) (err error) {
		a, err := tx.Account(ctx, book, code)
		if err != nil {
			return err
		}
		q := TotalsQuery{To: asOf}
		if subtree {
			accts, err = tx.Accounts(ctx, book)
		} else {
			// One account, no roll-up: no need to read the chart.
			a.Parent = ""
			accts, q.Accounts = []Account{a}, []string{code}
		}
		if err != nil {
			return err
		}
		rows, err = tx.Totals(ctx, book, q)
		return err
	})
	if err != nil {
		return nil, err
	}
	br, err := buildRows(accts, rows, subtree)
	if err != nil {
		return nil, err
	}
	var b Balance
	for _, r := range br {
		if r.Account.Code == code && !r.Closing.IsZero() {
			b = append(b, r.Closing)
		}
	}
	return b, nil
}

// DateRanger is implemented by a ReadTx that can tell the latest booking
// date of a book without reading its entries (SQL: an index on dates).
type DateRanger interface {
	// LatestDate returns the latest booking date of the book's entries,
	// zero for a book without entries.
	LatestDate(ctx context.Context, book string) (date.Date, error)
}

// LatestDate returns the latest booking date of the book's entries (zero
// for a book without any): not the date of the entry posted last, which a
// back-dated entry makes earlier. A store without DateRanger is scanned.
func (l *Ledger) LatestDate(ctx context.Context, book string) (date.Date, error) {
	var last date.Date
	err := l.store.View(ctx, func(tx ReadTx) (err error) {
		if dr, ok := tx.(DateRanger); ok {
			last, err = dr.LatestDate(ctx, book)
			return err
		}
		return tx.Scan(ctx, book, 1, func(p *Posted) error {
			if p.Date.After(last) {
				last = p.Date
			}
			return nil
		})
	})
	return last, err
}
