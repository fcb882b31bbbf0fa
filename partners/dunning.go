package partners

import (
	"context"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

// DunningProfile is a ladder of dunning levels: configuration, as data.
type DunningProfile struct {
	// Levels, from level 1 up; an item moves up one level per run at most.
	Levels []DunningLevel
	// Interval is the least number of days between two notices for one
	// item.
	Interval int
}

// DunningLevel is one rung of a DunningProfile.
type DunningLevel struct {
	Title string // the letter's title ("Zahlungserinnerung", "1. Mahnung" …)
	// DaysOverdue is the least number of days an item must be overdue to
	// reach this level.
	DaysOverdue int
	// Fee is the dunning fee a notice of this level claims, as a decimal
	// in the book's currency ("5.00").
	Fee decimal.Decimal
	// Interest says whether a notice of this level claims statutory
	// default interest (§ 288 BGB) on its items.
	Interest bool
}

// DefaultDunning returns a three-level profile: a payment reminder 7 days
// after the due date without fee or interest, a first dunning notice from
// 21 days with a fee of 5.00 and default interest, and a final notice from
// 35 days with 10.00 and interest, at least 14 days apart.
func DefaultDunning() DunningProfile {
	return DunningProfile{Interval: 14, Levels: []DunningLevel{
		{Title: "Payment reminder", DaysOverdue: 7},
		{Title: "Dunning notice", DaysOverdue: 21, Fee: decimal.RequireFromString("5.00"), Interest: true},
		{Title: "Final notice", DaysOverdue: 35, Fee: decimal.RequireFromString("10.00"), Interest: true},
	}}
}

// BaseRate is a statutory base rate in percent (Basiszinssatz, § 247 BGB)
// in force from a day until the next entry of its table.
type BaseRate struct {
	From date.Date
	Rate decimal.Decimal // percent: 1.27 is 1.27 %
}

// GermanBaseRates returns the base rate of § 247 BGB as published by the
// Deutsche Bundesbank, from 1 January 2020. The rate changes on 1 January
// and 1 July: the last entry holds for six months only, after which
// interest fails with ErrNoRate until the table (Options.BaseRates) is
// extended.
func GermanBaseRates() []BaseRate {
	r := func(d, pct string) BaseRate {
		return BaseRate{From: date.MustParse(d), Rate: decimal.RequireFromString(pct)}
	}
	return []BaseRate{
		r("2020-01-01", "-0.88"), r("2020-07-01", "-0.88"), r("2021-01-01", "-0.88"), r("2021-07-01", "-0.88"),
		r("2022-01-01", "-0.88"), r("2022-07-01", "-0.88"), r("2023-01-01", "1.62"), r("2023-07-01", "3.12"),
		r("2024-01-01", "3.62"), r("2024-07-01", "3.37"), r("2025-01-01", "2.27"), r("2025-07-01", "1.27"),
		r("2026-01-01", "1.27"),
	}
}

// DefaultInterest computes statutory default interest (Verzugszinsen,
// § 288 BGB) on amount for the days after due up to and including until:
// the base rate in force on each day plus 9 points for a business (5 for a
// consumer), per day 1/365 of the annual rate, summed exactly and rounded
// half up once. It fails with ErrNoRate for a day the table does not
// cover.
func DefaultInterest(rates []BaseRate, amount money.Amount, due, until date.Date, consumer bool) (money.Amount, error) {
	points := decimal.NewFromInt(9)
	if consumer {
		points = decimal.NewFromInt(5)
	}
	sum := decimal.Zero
	for d := due.AddDays(1); !d.After(until); {
		i := -1
		for j := range rates {
			if !rates[j].From.After(d) {
				i = j
			}
		}
		if i < 0 || (i == len(rates)-1 && !d.Before(rates[i].From.AddMonths(6))) {
			return money.Amount{}, fmt.Errorf("%w on %s", ErrNoRate, d)
		}
		end := until
		if i+1 < len(rates) && !rates[i+1].From.After(end) {
			end = rates[i+1].From.AddDays(-1)
		}
		if i == len(rates)-1 && rates[i].From.AddMonths(6).AddDays(-1).Before(end) {
			end = rates[i].From.AddMonths(6).AddDays(-1)
		}
		days := d.DaysUntil(end) + 1
		sum = sum.Add(amount.Decimal().Mul(rates[i].Rate.Add(points)).Mul(decimal.NewFromInt(int64(days))))
		d = end.AddDays(1)
	}
	// sum is amount × percent × days; divide by 100 × 365 once.
	return money.FromDecimalRounded(sum.DivRound(decimal.NewFromInt(36500), 12), amount.Currency(), money.HalfUp)
}

// Dun runs the dunning of a book on day d and records it: for every
// customer with items overdue on d, a notice listing the items that reach
// their next level (by days overdue, at least the profile's interval after
// their last notice), at the highest level among them, with the level's
// fee and, where the level says so, default interest on each item from its
// due date to d. Customers whose dunning profile is "none" are skipped.
// The run is idempotent per date: a second call for d returns the first
// run. Dun fails with a *FieldError wrapping ErrInvalid for a date before
// the book's latest run, and with ErrNoRate if interest is due for a day
// the base-rate table does not cover; then nothing is recorded.
//
// Fees and interest are claimed in the letters, not posted: they become
// revenue when paid (post them then, or as an invoice).
func (p *Parties) Dun(ctx context.Context, book string, d date.Date) (DunningRun, error) {
	if d.IsZero() {
		return DunningRun{}, fieldErr("dunning run", book, "date", ErrInvalid)
	}
	var out DunningRun
	err := p.store.UpdatePartners(ctx, func(tx Tx) error {
		runs, err := tx.DunningRuns(ctx, book, date.Date{}, date.Date{})
		if err != nil {
			return err
		}
		for _, r := range runs {
			if r.Date == d {
				out = r
				return nil
			}
			if r.Date.After(d) {
				return fieldErr("dunning run", book, "date", fmt.Errorf("%w: the book has a later run", ErrInvalid))
			}
		}
		b, err := ledgerBook(ctx, tx, book)
		if err != nil {
			return err
		}
		all, err := tx.Parties(ctx, book)
		if err != nil {
			return err
		}
		parties := map[string]Party{}
		for _, x := range latest(all, d) {
			parties[x.Number] = x
		}
		items, err := tx.Items(ctx, book, ItemQuery{Kind: Receivable, OpenOnly: true, AsOf: d})
		if err != nil {
			return err
		}
		run := DunningRun{Book: book, Date: d, CreatedAt: p.stamp()}
		for i := 0; i < len(items); {
			j := i
			for j < len(items) && items[j].Party == items[i].Party {
				j++
			}
			n, ok, err := p.notice(parties[items[i].Party], items[i:j], d, b.Currency)
			if err != nil {
				return err
			}
			if ok {
				run.Notices = append(run.Notices, n)
			}
			i = j
		}
		out = run // a run without notices is still the run of d
		return tx.AddDunningRun(ctx, run)
	})
	return out, err
}

// notice builds a party's notice from its open receivable items as of d.
func (p *Parties) notice(party Party, items []Item, d date.Date, cur money.Currency) (Notice, bool, error) {
	if party.Number == "" || party.Dunning == "none" {
		return Notice{}, false, nil
	}
	prof, ok := p.dunning[party.Dunning]
	if !ok {
		return Notice{}, false, fieldErr("party", party.Number, "dunning", fmt.Errorf("%w: no dunning profile %q", ErrInvalid, party.Dunning))
	}
	n := Notice{Party: party.Number, Currency: cur, Open: money.Zero(cur), Interest: money.Zero(cur)}
	for _, it := range items {
		over := it.DueDate.DaysUntil(d)
		if over <= 0 || it.Amount.Currency() != cur {
			continue
		}
		if !it.LastDunned.IsZero() && it.LastDunned.AddDays(prof.Interval).After(d) {
			continue
		}
		level := it.DunningLevel
		if level < len(prof.Levels) && over >= prof.Levels[level].DaysOverdue {
			level++
		} else if level < len(prof.Levels) || level == 0 {
			continue // not yet at its next level
		}
		ni := NoticeItem{Item: it.ID, Date: it.Date, DueDate: it.DueDate, DaysOverdue: over, Open: it.Open, Level: level,
			Interest: money.Zero(cur)}
		n.Items = append(n.Items, ni)
		n.Level = max(n.Level, level)
	}
	if len(n.Items) == 0 {
		return Notice{}, false, nil
	}
	lv := prof.Levels[n.Level-1]
	n.Title = lv.Title
	var err error
	if n.Fee, err = money.FromDecimal(lv.Fee, cur); err != nil {
		return Notice{}, false, fieldErr("dunning level", n.Title, "fee", fmt.Errorf("%w: %v", ErrInvalid, err))
	}
	for i := range n.Items {
		ni := &n.Items[i]
		if lv.Interest {
			if ni.Interest, err = DefaultInterest(p.rates, ni.Open, ni.DueDate, d, party.Consumer); err != nil {
				return Notice{}, false, err
			}
		}
		if n.Open, err = n.Open.Add(ni.Open); err != nil {
			return Notice{}, false, err
		}
		if n.Interest, err = n.Interest.Add(ni.Interest); err != nil {
			return Notice{}, false, err
		}
	}
	n.Total, err = money.Sum(cur, n.Open, n.Fee, n.Interest)
	return n, err == nil, err
}

// DunningRuns returns the book's dunning runs dated from to to (zero
// bounds do not bound), by date.
func (p *Parties) DunningRuns(ctx context.Context, book string, from, to date.Date) ([]DunningRun, error) {
	var out []DunningRun
	err := p.store.ViewPartners(ctx, func(tx ReadTx) (err error) { out, err = tx.DunningRuns(ctx, book, from, to); return err })
	return out, err
}
