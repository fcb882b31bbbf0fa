package partners

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// VerifyError is what Verify found wrong: an item, a move or an invoice
// that disagrees with the ledger's postings. It wraps ErrTampered and
// ledger.ErrTampered, so that a caller checking the ledger's audit error
// sees this one too.
type VerifyError struct {
	Book     string
	Problems []string // one line per problem, naming item IDs and entry numbers, never amounts
}

// Error returns the first problems.
func (e *VerifyError) Error() string {
	n := min(len(e.Problems), 5)
	s := fmt.Sprintf("partners: book %s: %s: %s", e.Book, ErrTampered.Error(), strings.Join(e.Problems[:n], "; "))
	if len(e.Problems) > n {
		s += fmt.Sprintf(" (and %d more)", len(e.Problems)-n)
	}
	return s
}

// Unwrap returns ErrTampered and ledger.ErrTampered.
func (e *VerifyError) Unwrap() []error { return []error{ErrTampered, ledger.ErrTampered} }

// Verify checks the book's open items against the ledger alone: every
// item's open amount must equal the sum of the control-account lines that
// carry it (DimItem), its amount the line of the entry that opened it, the
// sum of its moves its amount less what is open, every move a line of its
// entry, and every invoice its entry's control line. Tables changed behind
// the library's back make it return a *VerifyError. Verify reads the
// whole book in one read-only transaction; run ledger.Ledger.Verify as well to check
// the entries themselves.
func (p *Parties) Verify(ctx context.Context, book string) error {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	err := p.store.ViewPartners(ctx, func(tx ReadTx) error {
		problems = problems[:0]
		items, err := tx.Items(ctx, book, ItemQuery{})
		if err != nil {
			return err
		}
		moves, err := tx.Moves(ctx, book, MoveQuery{})
		if err != nil {
			return err
		}
		invoices, err := tx.Invoices(ctx, book, InvoiceQuery{})
		if err != nil {
			return err
		}
		type key struct {
			entry uint64
			item  string
		}
		perItem := map[string]int64{} // Σ control lines per item, debit positive
		perLine := map[key]int64{}    // the same per entry
		control := map[uint64]int64{} // Σ control lines carrying an item, per entry
		currency := map[string]money.Currency{}
		if err := tx.Ledger().View(ctx, func(lt ledger.ReadTx) error {
			return lt.Scan(ctx, book, 1, func(e *ledger.Posted) error {
				for _, l := range e.Lines {
					id, ok := l.Dimensions[DimItem]
					if !ok {
						continue
					}
					perItem[id] += l.Amount.MinorUnits()
					perLine[key{e.Seq, id}] += l.Amount.MinorUnits()
					control[e.Seq] += l.Amount.MinorUnits()
					currency[id] = l.Amount.Currency()
				}
				return nil
			})
		}); err != nil {
			return err
		}
		dir := func(k ItemKind) int64 { // receivables are debits, payables credits
			if k == Payable {
				return -1
			}
			return 1
		}
		// What the moves took off each item, in all and per entry.
		sumMoves := map[string]int64{}
		movesAt := map[key]int64{}
		for _, m := range moves {
			sumMoves[m.Item] += m.Amount.MinorUnits()
			movesAt[key{m.Entry, m.Item}] += m.Amount.MinorUnits()
		}
		byID := map[string]Item{}
		for _, it := range items {
			byID[it.ID] = it
			d := dir(it.Kind)
			if got := perItem[it.ID] * d; got != it.Open.MinorUnits() || (currency[it.ID] != it.Open.Currency() && got != 0) {
				bad("item %s: open amount differs from its postings", it.ID)
			}
			if perLine[key{it.Entry, it.ID}]*d+movesAt[key{it.Entry, it.ID}] != it.Amount.MinorUnits() {
				bad("item %s: amount differs from entry %d", it.ID, it.Entry)
			}
			if it.Open.IsNegative() || it.Open.MinorUnits() > it.Amount.MinorUnits() {
				bad("item %s: open amount out of range", it.ID)
			}
		}
		for id := range perItem {
			if _, ok := byID[id]; !ok {
				bad("item %s: posted in the ledger, missing from the open items", id)
			}
		}
		for _, m := range moves {
			if _, ok := byID[m.Item]; !ok {
				bad("move of entry %d: no item %s", m.Entry, m.Item)
			}
		}
		for k, v := range movesAt {
			it, ok := byID[k.item]
			if ok && perLine[k] != -v*dir(it.Kind) && k.entry != it.Entry {
				bad("item %s: moves differ from entry %d", k.item, k.entry)
			}
		}
		for _, it := range items {
			if it.Amount.MinorUnits()-sumMoves[it.ID] != it.Open.MinorUnits() {
				bad("item %s: moves differ from its open amount", it.ID)
			}
		}
		for _, inv := range invoices {
			id := inv.Number
			if inv.Kind == CreditNoteKind {
				id = inv.Corrects
			}
			d := dir(Receivable)
			if it, ok := byID[id]; ok {
				d = dir(it.Kind)
			}
			want := inv.Gross.MinorUnits()
			if inv.Kind == CreditNoteKind {
				want = -want
			}
			if perLine[key{inv.Entry, id}]*d != want {
				bad("invoice %s: gross amount differs from entry %d", inv.Number, inv.Entry)
			}
			if inv.Kind == InvoiceKind {
				if it, ok := byID[id]; !ok || it.Amount != inv.Gross || it.Entry != inv.Entry {
					bad("invoice %s: its item differs", inv.Number)
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return &VerifyError{Book: book, Problems: problems}
	}
	return nil
}

// Reconciliation compares the open items of one kind with the balance of
// their control account as of a day: they agree when every posting on the
// account belongs to an item.
type Reconciliation struct {
	Kind    ItemKind
	Account string
	// Items is Σ open items, Balance the control account's balance, both
	// positive in the items' direction (a receivables balance is a debit, a
	// payables balance a credit).
	Items, Balance money.Amount
}

// OK reports whether the items and the account agree.
func (r Reconciliation) OK() bool { return r.Items == r.Balance }

// Reconcile compares, for receivables and payables, Σ open items as of day
// d with the balance of the control account as of d, in the book's
// currency.
func (p *Parties) Reconcile(ctx context.Context, book string, d date.Date) ([]Reconciliation, error) {
	var out []Reconciliation
	err := p.store.ViewPartners(ctx, func(tx ReadTx) error {
		out = out[:0]
		b, err := ledgerBook(ctx, tx, book)
		if err != nil {
			return err
		}
		l := ledger.New(tx.Ledger(), &ledger.Options{Now: p.now, Currencies: p.reg})
		for _, k := range []ItemKind{Receivable, Payable} {
			acct := p.accounts.control(k)
			items, err := tx.Items(ctx, book, ItemQuery{Kind: k, AsOf: d, OpenOnly: true})
			if err != nil {
				return err
			}
			r := Reconciliation{Kind: k, Account: acct, Items: money.Zero(b.Currency)}
			for _, it := range items {
				if it.Open.Currency() != b.Currency {
					continue
				}
				if r.Items, err = r.Items.Add(it.Open); err != nil {
					return err
				}
			}
			bal, err := l.Balance(ctx, book, acct, d)
			if err != nil {
				return err
			}
			r.Balance = bal.In(b.Currency)
			if r.Balance.Currency().IsZero() {
				r.Balance = money.Zero(b.Currency)
			}
			if k == Payable {
				r.Balance = r.Balance.Neg()
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}
