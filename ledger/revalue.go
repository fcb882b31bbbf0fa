package ledger

import (
	"context"
	"errors"
	"fmt"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

// MetaRevalue is the account metadata key that marks a monetary account in a
// foreign currency (bank, receivable, payable) for Revalue: "short" values
// its balance at the closing rate both ways; "long", for items with a
// remaining term over one year, follows the imparity principle of HGB §
// 256a: no unrealised gain above the acquisition cost (losses always).
const MetaRevalue = "revalue"

// RevalueOptions configures Revalue.
type RevalueOptions struct {
	// Gains and Losses are the accounts that take unrealised exchange
	// gains and losses (SKR03 2668/2150, SKR04 4843/6883). Required.
	Gains, Losses string
	// Reverse posts the reversal of the revaluation on the next day, the
	// first of the next period, as ERPNext does: the new period starts
	// again from the booked rates.
	Reverse bool
	// Rates gives the closing rates; nil means Options.Rates.
	Rates Converter
}

// Revalue values the open foreign-currency balances of the book's accounts
// marked with MetaRevalue at the rate in force on d and posts the
// differences to their carrying amounts in the base currency (the booked
// base amounts plus earlier revaluations) as one entry of journal
// JournalRevaluation dated d, against opts.Gains and opts.Losses. Each
// account and currency is converted once (money.HalfUp, through the
// Converter), so the result is exact to the cent. Revaluing the same date
// again returns the first entry (key "revalue/" + d); with nothing to
// change it posts nothing and returns a zero Posted and no error.
//
// Only accounts restricted to one foreign currency (Account.Currency) can
// be revalued: their base-currency amounts are then all revaluations. An
// account whose postings lack base amounts is a *ConversionError.
func (l *Ledger) Revalue(ctx context.Context, book string, d date.Date, opts RevalueOptions) (Posted, error) {
	key := "revalue/" + d.String()
	if p, err := l.EntryByKey(ctx, book, key); err == nil {
		return p, l.reverseRevaluation(ctx, p, opts) // a run cut short after posting
	} else if !errors.Is(err, ErrNotFound) {
		return Posted{}, fmt.Errorf("revalue: %w", err)
	}
	lines, err := l.RevaluationLines(ctx, book, d, opts)
	if err != nil || len(lines) == 0 {
		return Posted{}, err
	}
	p, err := l.Post(ctx, Entry{Book: book, Key: key, Date: d, Journal: JournalRevaluation,
		Description: "Revaluation of foreign-currency balances at " + d.String(), Lines: lines})
	if err != nil {
		return Posted{}, fmt.Errorf("revalue: %w", err)
	}
	return p, l.reverseRevaluation(ctx, p, opts)
}

// RevaluationLines returns the lines Revalue would post for d, without
// posting them (none if nothing changes): the unrealised exchange
// differences of the marked accounts as of d, for a preview.
func (l *Ledger) RevaluationLines(ctx context.Context, book string, d date.Date, opts RevalueOptions) ([]Line, error) {
	rates := opts.Rates
	if rates == nil {
		br, err := l.ratesOf(ctx, book)
		if err != nil {
			return nil, fmt.Errorf("revalue: %w", err)
		}
		rates = br.Rates
	}
	switch {
	case rates == nil:
		return nil, fmt.Errorf("revalue: %w: no exchange rates", ErrInvalid)
	case opts.Gains == "" || opts.Losses == "":
		return nil, fmt.Errorf("revalue: %w: gains and losses accounts are required", ErrInvalid)
	}
	var (
		b     Book
		accts []Account
		rows  []Totals
	)
	err := l.store.View(ctx, func(tx ReadTx) (err error) {
		if b, err = tx.Book(ctx, book); err != nil {
			return err
		}
		all, err := tx.Accounts(ctx, book)
		if err != nil {
			return err
		}
		var codes []string
		for _, a := range all {
			if m := a.Metadata[MetaRevalue]; m == "" {
				continue
			} else if m != "short" && m != "long" {
				return fmt.Errorf("account %s: %w: metadata %s=%q, want short or long", a.Code, ErrInvalid, MetaRevalue, m)
			}
			if a.Currency.IsZero() {
				return fmt.Errorf("account %s: %w: a revalued account must be restricted to one currency", a.Code, ErrInvalid)
			}
			accts = append(accts, a)
			codes = append(codes, a.Code)
		}
		if len(codes) == 0 {
			return nil
		}
		rows, err = tx.Totals(ctx, book, TotalsQuery{To: d, Accounts: codes})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("revalue: %w", err)
	}
	type value struct {
		amount        money.Amount // in the account's currency
		cost, carried int64        // base minor units: as booked; with revaluations
	}
	vals := make(map[string]*value, len(accts))
	for _, r := range rows {
		v := vals[r.Account]
		if v == nil {
			v = &value{}
			vals[r.Account] = v
		}
		c, err := r.closing()
		if err != nil {
			return nil, fmt.Errorf("revalue: %w", err)
		}
		if c.Currency() == b.Currency { // earlier revaluations
			v.carried += c.MinorUnits()
			continue
		}
		if !r.Converted {
			return nil, fmt.Errorf("revalue: %w", &ConversionError{Account: r.Account, Currency: c.Currency().Code()})
		}
		base := r.BaseOpening + r.BaseDebit - r.BaseCredit
		v.amount, v.cost = c, base
		v.carried += base
	}
	var lines []Line
	var gains, losses int64
	for _, a := range accts {
		v := vals[a.Code]
		if v == nil || v.amount.Currency().IsZero() {
			continue
		}
		target, err := rates.Convert(v.amount, b.Currency, d)
		if err != nil {
			return nil, fmt.Errorf("revalue account %s: %w", a.Code, err)
		}
		want := target.MinorUnits()
		if a.Metadata[MetaRevalue] == "long" {
			// Imparity: in debit-positive terms a gain is always a rise,
			// for assets and liabilities alike, so the value may not rise
			// above the acquisition cost.
			want = min(want, v.cost)
		}
		diff := want - v.carried
		if diff == 0 {
			continue
		}
		lines = append(lines, Line{Account: a.Code, Amount: money.New(diff, b.Currency),
			Memo: fmt.Sprintf("%s at %s", v.amount.Currency().Code(), d)})
		if diff > 0 {
			gains += diff
		} else {
			losses -= diff
		}
	}
	if gains != 0 {
		lines = append(lines, Line{Account: opts.Gains, Amount: money.New(-gains, b.Currency)})
	}
	if losses != 0 {
		lines = append(lines, Line{Account: opts.Losses, Amount: money.New(losses, b.Currency)})
	}
	return lines, nil
}

// reverseRevaluation posts the reversal of revaluation p on the next day if
// opts.Reverse; posting it again returns the first one.
func (l *Ledger) reverseRevaluation(ctx context.Context, p Posted, opts RevalueOptions) error {
	if !opts.Reverse {
		return nil
	}
	if _, err := l.Reverse(ctx, p.Book, p.Seq, p.Date.AddDays(1), "revaluation reversed"); err != nil {
		return fmt.Errorf("revalue: reverse: %w", err)
	}
	return nil
}

// Settlement describes a payment that settles part or all of a
// foreign-currency item (a receivable or payable) at another rate than the
// item was booked at; see Ledger.SettlementLines.
type Settlement struct {
	// Account is the item's account, Amount what the payment posts to it
	// in the item's currency, debit positive: −3000.00 GBP received from a
	// customer, +2000.00 CHF paid to a supplier.
	Account string
	Amount  money.Amount
	// Counter are the payment's other lines (the bank's), in the base
	// currency or carrying their base amounts.
	Counter []Line
	// Date is the payment's date: the item's carrying amount is read as of
	// that day.
	Date date.Date
	// Gains and Losses take the realised exchange difference (SKR03
	// 2660/2150, SKR04 4840/6880).
	Gains, Losses string
}

// SettlementLines returns the lines of a payment entry that settles s: the
// item's line at its share of the item's carrying amount in the base
// currency (booked base amounts plus revaluations, pro rata to the part
// settled, money.HalfUp), s.Counter, and the realised exchange difference
// on s.Gains or s.Losses, so the entry balances in the base currency and
// a fully settled item stands at zero in both currencies.
func (l *Ledger) SettlementLines(ctx context.Context, book string, s Settlement) ([]Line, error) {
	if s.Gains == "" || s.Losses == "" || s.Amount.IsZero() {
		return nil, fmt.Errorf("settlement: %w: amount, gains and losses accounts are required", ErrInvalid)
	}
	var (
		b    Book
		rows []Totals
	)
	err := l.store.View(ctx, func(tx ReadTx) (err error) {
		if b, err = tx.Book(ctx, book); err != nil {
			return err
		}
		rows, err = tx.Totals(ctx, book, TotalsQuery{To: s.Date, Accounts: []string{s.Account}})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("settlement: %w", err)
	}
	var balance money.Amount
	var carried int64
	for _, r := range rows {
		c, err := r.closing()
		if err != nil {
			return nil, err
		}
		switch {
		case c.Currency() == b.Currency:
			carried += c.MinorUnits() // revaluations
		case c.Currency() == s.Amount.Currency():
			if !r.Converted {
				return nil, fmt.Errorf("settlement: %w", &ConversionError{Account: s.Account, Currency: c.Currency().Code()})
			}
			balance = c
			carried += r.BaseOpening + r.BaseDebit - r.BaseCredit
		}
	}
	if balance.IsZero() || balance.Sign() == s.Amount.Sign() || s.Amount.Abs().MinorUnits() > balance.Abs().MinorUnits() {
		return nil, fmt.Errorf("settlement: %w: account %s holds %v, which %v does not settle", ErrInvalid, s.Account, balance, s.Amount)
	}
	// The part of the carrying amount: carried × amount / balance (of the
	// other sign), once rounded; a full settlement takes all of it.
	part := -carried
	if s.Amount.MinorUnits() != -balance.MinorUnits() {
		v, err := money.New(carried, b.Currency).Mul(s.Amount.MinorUnits())
		if err == nil {
			v, err = v.Div(balance.MinorUnits(), money.HalfUp)
		}
		if err != nil {
			return nil, fmt.Errorf("settlement: %w", err)
		}
		part = v.MinorUnits()
	}
	lines := append([]Line{{Account: s.Account, Amount: s.Amount, Base: money.New(part, b.Currency)}}, s.Counter...)
	var sum int64
	for _, ln := range lines {
		switch {
		case ln.Converted():
			sum += ln.Base.MinorUnits()
		case ln.Amount.Currency() == b.Currency:
			sum += ln.Amount.MinorUnits()
		default:
			return nil, fmt.Errorf("settlement: %w: a counter line in %s without a base amount", ErrNotConverted, ln.Amount.Currency().Code())
		}
	}
	switch {
	case sum < 0:
		lines = append(lines, Line{Account: s.Losses, Amount: money.New(-sum, b.Currency), Memo: "realised exchange difference"})
	case sum > 0:
		lines = append(lines, Line{Account: s.Gains, Amount: money.New(-sum, b.Currency), Memo: "realised exchange difference"})
	}
	return lines, nil
}
