package ledger

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

// Period is one monthly fiscal period of a book.
type Period struct {
	Book       string
	FiscalYear int // the calendar year in which the fiscal year starts
	Number     int // 1–12, counted from the fiscal year's first month
	Start, End date.Date
	State      PeriodState
}

// PeriodOf returns the fiscal year and period number that d falls in. Fiscal
// years are named by the calendar year they start in: with a July start,
// 2027-03-15 is period 9 of fiscal year 2026.
func (b Book) PeriodOf(d date.Date) (fiscalYear, number int) {
	y, m, _ := d.Date()
	n := int(m) - b.fyStart() + 1
	if n <= 0 {
		return y - 1, n + 12
	}
	return y, n
}

// FiscalYearRange returns the first and last day of fiscal year fy, or two
// zero dates if some day of it lies outside the years 1–9999 a date.Date
// holds (see CheckFiscalYear).
func (b Book) FiscalYearRange(fy int) (first, last date.Date) {
	if b.validYear(fy) != nil {
		return date.Date{}, date.Date{}
	}
	first = date.New(fy, time.Month(b.fyStart()), 1)
	return first, first.AddMonths(11).EndOfMonth()
}

// periodErr wraps sentinel (ErrPeriodClosed, ErrPeriodLocked) naming
// period n of fiscal year fy of b, its days, and the booking date d it
// refuses: "ledger: period closed: 2026/03 (2026-03-01 – 2026-03-31),
// booking date 2026-03-15".
func periodErr(sentinel error, b Book, fy, n int, d date.Date) error {
	first, last := b.periodRange(fy, n)
	return fmt.Errorf("%w: %d/%02d (%s – %s), booking date %s", sentinel, fy, n, first, last, d)
}

// CheckFiscalYear returns an error wrapping ErrInvalid if some day of fiscal
// year fy lies outside the years 1–9999 a date.Date holds, else nil.
func (b Book) CheckFiscalYear(fy int) error { return b.validYear(fy) }

// validYear reports whether every day of fiscal year fy is a valid Date.
func (b Book) validYear(fy int) error {
	if fy < 1 || fy > 9999 || fy == 9999 && b.fyStart() != 1 {
		return fmt.Errorf("%w: fiscal year %d out of range", ErrInvalid, fy)
	}
	return nil
}

// periodRange returns the first and last day of period n of fiscal year fy.
func (b Book) periodRange(fy, n int) (first, last date.Date) {
	first = date.New(fy, time.Month(b.fyStart()+n-1), 1)
	return first, first.EndOfMonth()
}

// Period returns the period that d falls in, with its state.
func (l *Ledger) Period(ctx context.Context, book string, d date.Date) (Period, error) {
	var p Period
	err := l.store.View(ctx, func(tx ReadTx) error {
		b, err := tx.Book(ctx, book)
		if err != nil {
			return err
		}
		if d.IsZero() {
			return fmt.Errorf("period of book %s: %w: no date", book, ErrInvalid)
		}
		fy, n := b.PeriodOf(d)
		if err := b.validYear(fy); err != nil {
			return err
		}
		p, err = period(ctx, tx, b, fy, n)
		return err
	})
	return p, err
}

// Periods returns the twelve periods of fiscal year fy.
func (l *Ledger) Periods(ctx context.Context, book string, fy int) ([]Period, error) {
	var ps []Period
	err := l.store.View(ctx, func(tx ReadTx) error {
		b, err := tx.Book(ctx, book)
		if err != nil {
			return err
		}
		if err := b.validYear(fy); err != nil {
			return err
		}
		for n := 1; n <= 12; n++ {
			p, err := period(ctx, tx, b, fy, n)
			if err != nil {
				return err
			}
			ps = append(ps, p)
		}
		return nil
	})
	return ps, err
}

func period(ctx context.Context, tx ReadTx, b Book, fy, n int) (Period, error) {
	s, err := tx.Period(ctx, b.ID, fy, n)
	if err != nil {
		return Period{}, err
	}
	first, last := b.periodRange(fy, n)
	return Period{Book: b.ID, FiscalYear: fy, Number: n, Start: first, End: last, State: s}, nil
}

// PeriodHistory returns every recorded change of the book's period states, oldest first.
func (l *Ledger) PeriodHistory(ctx context.Context, book string) ([]PeriodEvent, error) {
	var evs []PeriodEvent
	err := l.store.View(ctx, func(tx ReadTx) (err error) { evs, err = tx.PeriodEvents(ctx, book); return err })
	return evs, err
}

// ClosePeriod closes period n of fiscal year fy: it refuses entries until reopened.
// Closing a closed or locked period is a no-op.
func (l *Ledger) ClosePeriod(ctx context.Context, book string, fy, n int) error {
	_, err := l.transition(ctx, book, fy, n, Closed, "")
	return err
}

// CloseOpenPeriod is ClosePeriod, and reports whether this call closed the
// period: false if it was closed or locked already, by an earlier call or
// by another process whose close this one waited for (both take the
// book's lock). A batch job tells from it what it did itself.
func (l *Ledger) CloseOpenPeriod(ctx context.Context, book string, fy, n int) (closed bool, err error) {
	return l.transition(ctx, book, fy, n, Closed, "")
}

// LockPeriod locks a closed period for good; a locked period cannot be reopened.
// Locking an open period is ErrState: close it first. Locking a locked period is a no-op.
func (l *Ledger) LockPeriod(ctx context.Context, book string, fy, n int) error {
	_, err := l.transition(ctx, book, fy, n, Locked, "")
	return err
}

// ReopenPeriod reopens a closed period, recording who asked why in reason
// (required). Reopening a locked period is ErrState; an open one, a no-op.
func (l *Ledger) ReopenPeriod(ctx context.Context, book string, fy, n int, reason string) error {
	if strings.TrimSpace(reason) == "" {
		return fmt.Errorf("reopen period %d/%02d: %w: a reason is required", fy, n, ErrInvalid)
	}
	_, err := l.transition(ctx, book, fy, n, Open, reason)
	return err
}

// transition moves a period to state to and reports whether it changed.
func (l *Ledger) transition(ctx context.Context, book string, fy, n int, to PeriodState, reason string) (changed bool, err error) {
	if n < 1 || n > 12 {
		return false, fmt.Errorf("period %d/%02d: %w: period number", fy, n, ErrInvalid)
	}
	err = l.update(ctx, func(tx Tx) error {
		changed = false // the store may run this again
		if _, err := tx.LockHead(ctx, book); err != nil {
			return err
		}
		b, err := tx.Book(ctx, book)
		if err != nil {
			return err
		}
		if err := b.validYear(fy); err != nil {
			return err
		}
		changed, err = l.setPeriod(ctx, tx, book, fy, n, to, reason)
		return err
	})
	return changed && err == nil, err
}

// setPeriod records the move of a period to state to, if it is one, and
// reports whether it recorded one.
func (l *Ledger) setPeriod(ctx context.Context, tx Tx, book string, fy, n int, to PeriodState, reason string) (bool, error) {
	from, err := tx.Period(ctx, book, fy, n)
	if err != nil {
		return false, err
	}
	switch {
	case from == to, from == Locked && to == Closed:
		return false, nil
	case from == Locked:
		return false, fmt.Errorf("period %d/%02d: %w: locked periods stay locked", fy, n, ErrState)
	case from == Open && to == Locked:
		return false, fmt.Errorf("period %d/%02d: %w: close the period before locking it", fy, n, ErrState)
	}
	err = tx.AddPeriodEvent(ctx, PeriodEvent{
		Book: book, FiscalYear: fy, Number: n, State: to,
		At: l.now().UTC().Truncate(time.Microsecond), Reason: reason,
	})
	return err == nil, err
}

// SetLockDate sets the book's lock date: from then on entries dated on or before
// it are refused with ErrPeriodLocked, whatever their period's state. The lock
// date only moves forward; an earlier date is ErrState.
func (l *Ledger) SetLockDate(ctx context.Context, book string, d date.Date) error {
	return l.update(ctx, func(tx Tx) error {
		if _, err := tx.LockHead(ctx, book); err != nil {
			return err
		}
		b, err := tx.Book(ctx, book)
		if err != nil {
			return err
		}
		if d.Before(b.LockDate) || d.IsZero() {
			return fmt.Errorf("set lock date: %w: the lock date only moves forward", ErrState)
		}
		return tx.SetLockDate(ctx, book, d)
	})
}

// CloseYear closes fiscal year fy: it posts closing entries (journal CLOSE,
// dated the year's last day) that bring every revenue and expense account to
// zero against retainedEarnings, an equity account, and then closes the
// year's twelve periods. Balance-sheet accounts carry their balances into the
// next year unchanged, so the next year's opening balances are this year's
// closing balances.
//
// CloseYear is idempotent: run again, it finds nothing left to close and posts
// nothing. If the year's last period was reopened and more was posted, a
// second closing entry closes just the difference. It returns all closing
// entries of the year. Locked periods refuse closing entries (ErrPeriodLocked);
// closed ones accept them.
func (l *Ledger) CloseYear(ctx context.Context, book string, fy int, retainedEarnings string) ([]Posted, error) {
	var closing []Posted
	err := l.update(ctx, func(tx Tx) error {
		closing = closing[:0]
		b, err := tx.Book(ctx, book)
		if err != nil {
			return err
		}
		if _, err := tx.LockHead(ctx, book); err != nil {
			return err
		}
		if err := b.validYear(fy); err != nil {
			return err
		}
		re, err := tx.Account(ctx, book, retainedEarnings)
		if err != nil {
			return fmt.Errorf("retained earnings: %w", err)
		}
		if re.Type != Equity {
			return fmt.Errorf("%w: retained earnings account %s is not equity", ErrInvalid, re.Code)
		}
		accts, err := tx.Accounts(ctx, book)
		if err != nil {
			return err
		}
		pl := make(map[string]bool)
		for _, a := range accts {
			if a.Type.IsIncomeStatement() {
				pl[a.Code] = true
			}
		}
		// Only the year's own movement: an earlier year still open keeps its
		// result until it is closed, so years may be closed in any order.
		first, last := b.FiscalYearRange(fy)
		rows, err := tx.Totals(ctx, book, TotalsQuery{From: first, To: last})
		if err != nil {
			return err
		}
		var lines []Line
		sums := map[money.Currency]money.Amount{}
		for _, r := range rows {
			if !pl[r.Account] {
				continue
			}
			bal, err := r.Debit.Sub(r.Credit)
			if err != nil {
				return ErrOverflow
			}
			if c := bal.Currency(); c != b.Currency && (r.BaseDebit != 0 || r.BaseCredit != 0) {
				// Converted postings close at their base amounts, into
				// retained earnings in the base currency.
				if !r.Converted {
					return &ConversionError{Account: r.Account, Currency: c.Code()}
				}
				bb := money.New(r.BaseDebit-r.BaseCredit, b.Currency)
				if !bal.IsZero() {
					lines = append(lines, Line{Account: r.Account, Amount: bal.Neg(), Base: bb.Neg()})
				} else if !bb.IsZero() {
					// Only a base value is left (a refund at another
					// rate): it closes in the base currency.
					lines = append(lines, Line{Account: r.Account, Amount: bb.Neg()})
				}
				bal = bb
			} else if !bal.IsZero() {
				lines = append(lines, Line{Account: r.Account, Amount: bal.Neg()})
			}
			if bal.IsZero() {
				continue
			}
			c := bal.Currency()
			if s, ok := sums[c]; ok {
				if bal, err = s.Add(bal); err != nil {
					return ErrOverflow
				}
			}
			sums[c] = bal
		}
		curs := make([]money.Currency, 0, len(sums))
		for c := range sums {
			curs = append(curs, c)
		}
		slices.SortFunc(curs, func(a, b money.Currency) int { return strings.Compare(a.Code(), b.Code()) })
		for _, c := range curs {
			if s := sums[c]; !s.IsZero() {
				lines = append(lines, Line{Account: retainedEarnings, Amount: s})
			}
		}
		// Earlier closing entries of this year, keyed close/<fy>/<k>.
		k := 1
		for ; ; k++ {
			p, err := tx.EntryByKey(ctx, book, closeKey(fy, k))
			if errors.Is(err, ErrNotFound) {
				break
			}
			if err != nil {
				return err
			}
			closing = append(closing, p.clone())
		}
		if len(lines) > 0 {
			e := Entry{
				Book: book, Key: closeKey(fy, k), Date: last, Journal: JournalClosing,
				Description: fmt.Sprintf("Year-end closing %d", fy), Lines: lines,
			}
			ps, err := l.prepare(ctx, []Entry{e}, false)
			if err != nil {
				return err
			}
			res, _, err := l.append(ctx, tx, ps, postOptions{allowClosed: true})
			if err != nil {
				return err
			}
			res.apply(ps)
			closing = append(closing, ps...)
		}
		for n := 1; n <= 12; n++ {
			if _, err := l.setPeriod(ctx, tx, book, fy, n, Closed, "year-end closing"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("close year %d: %w", fy, err)
	}
	return closing, nil
}

func closeKey(fy, k int) string { return fmt.Sprintf("close/%d/%d", fy, k) }
