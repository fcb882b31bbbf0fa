package ledger

import (
	"context"
	"fmt"

	"github.com/openbackoffice/backoffice/money"
)

// Opening entries carry the balances a fiscal year starts from (DATEV's
// EB-Werte, hledger's "opening balances" transaction): balances brought
// forward, not the year's flows. An entry is an opening entry if
//
//   - its Journal is JournalOpening ("OPEN") or "OB", or
//   - one of its lines posts to an account whose Metadata[RoleKey] is
//     RoleOpeningBalances (the journal importer gives it to hledger's
//     "equity:opening balances" and "equity:opening/closing balances").
//
// Year-end closing entries (JournalClosing) are never opening entries. With
// BalanceQuery.Openings, Balances counts the opening entries dated in the
// query's range into Opening instead of Debit and Credit, so a trial
// balance shows them in its opening column and a cash flow statement in its
// cash at beginning, whatever day of the year they carry (a company founded
// in July opens its books in July).
const (
	JournalOpening      = "OPEN"
	RoleKey             = "role"             // the account metadata key naming an account's purpose (charts/README.md)
	RoleOpeningBalances = "opening_balances" // the equity account opening entries post against
)

// IsOpeningJournal reports whether entries of journal j are opening entries
// by their journal alone: "OPEN" or "OB".
func IsOpeningJournal(j string) bool { return j == JournalOpening || j == "OB" }

// openingEntries returns the opening entries of book dated q.From to q.To
// (see JournalOpening), each once, found by journal and by the accounts of
// accts with the role RoleOpeningBalances.
func openingEntries(ctx context.Context, tx ReadTx, book string, accts []Account, q BalanceQuery) ([]Posted, error) {
	seen := map[uint64]bool{}
	var out []Posted
	add := func(eq EntryQuery) error {
		eq.From, eq.To = q.From, q.To
		ps, err := tx.Entries(ctx, book, eq)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if seen[p.Seq] || p.Journal == JournalClosing {
				continue
			}
			seen[p.Seq] = true
			out = append(out, p)
		}
		return nil
	}
	for _, j := range []string{JournalOpening, "OB"} {
		if err := add(EntryQuery{Journal: j}); err != nil {
			return nil, err
		}
	}
	for _, a := range accts {
		if a.Metadata[RoleKey] == RoleOpeningBalances {
			if err := add(EntryQuery{Account: a.Code}); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// moveOpenings moves the lines of the opening entries ps from the debits
// and credits of rows into their opening balances. Lines without dimension
// d (if d.Name is set) were not counted and are skipped.
func moveOpenings(rows []Totals, ps []Posted, d Dimension) error {
	type key struct {
		code string
		cur  money.Currency
	}
	index := make(map[key]int, len(rows))
	for i, t := range rows {
		index[key{t.Account, t.Opening.Currency()}] = i
	}
	for _, p := range ps {
		for n, l := range p.Lines {
			if d.Name != "" && l.Dimensions[d.Name] != d.Value {
				continue
			}
			i, ok := index[key{l.Account, l.Amount.Currency()}]
			if !ok {
				return fmt.Errorf("opening entry %d line %d: account %s has no totals in %s", p.Seq, n, l.Account, l.Amount.Currency().Code())
			}
			t := &rows[i]
			var err error
			if l.Amount.IsNegative() {
				t.Credit, err = t.Credit.Add(l.Amount)
			} else {
				t.Debit, err = t.Debit.Sub(l.Amount)
			}
			if err == nil {
				t.Opening, err = t.Opening.Add(l.Amount)
			}
			if err != nil {
				return fmt.Errorf("account %s: %w", l.Account, ErrOverflow)
			}
			if l.Converted() {
				b := l.Base.MinorUnits()
				t.BaseOpening += b
				if l.Amount.IsNegative() {
					t.BaseCredit += b
				} else {
					t.BaseDebit -= b
				}
			}
			if t.Debit.IsNegative() || t.Credit.IsNegative() || t.BaseDebit < 0 || t.BaseCredit < 0 {
				return fmt.Errorf("opening entry %d line %d: account %s: the opening exceeds the totals", p.Seq, n, l.Account)
			}
		}
	}
	return nil
}
