package partners

import (
	"context"
	"errors"
	"fmt"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// Opening is an open item brought into the books without its invoice: an
// invoice of an earlier system or year that is still open when the book
// starts keeping its customers and suppliers here (Saldenvortrag).
type Opening struct {
	Book string
	// ID is the item's ID (the old invoice number), unique in the book
	// among items; it is also the idempotency key.
	ID    string
	Party string
	// Date is the old invoice's date; it is the due date's default. The
	// item itself is dated Posted, so that open items and the control
	// account agree on every day.
	Date    date.Date
	DueDate date.Date // zero: Date
	// Amount is what is open, positive in the item's direction.
	Amount money.Amount
	// Posted is the day the opening entry is booked on (usually the first
	// day of the fiscal year).
	Posted date.Date
	// Offset is the account the entry balances against: the opening
	// balance account (SKR03 9000, SKR04 9000), or the old control
	// account's clearing account.
	Offset string
	Text   string
}

// PostOpening posts an opening item: the amount on the party's control
// account (carrying party and item) against Offset, and an item of that
// amount without VAT shares (a discount on it corrects no VAT). Posting it
// again with the same payload returns the item; with another, ErrConflict.
func (p *Parties) PostOpening(ctx context.Context, o Opening) (Item, error) {
	bad := func(field, why string) error {
		return fieldErr("opening item", o.ID, field, fmt.Errorf("%w: %s", ErrInvalid, why))
	}
	switch {
	case !validID(o.Book):
		return Item{}, bad("book", "book ID")
	case !validID(o.ID):
		return Item{}, bad("id", "1 to 64 bytes without spaces or '/'")
	case !validID(o.Party):
		return Item{}, bad("party", "party number")
	case o.Date.IsZero() || o.Posted.IsZero():
		return Item{}, bad("date", "date and posting date required")
	case o.Date.After(o.Posted):
		return Item{}, bad("date", "after the posting date")
	case !o.Amount.IsPositive():
		return Item{}, bad("amount", "a positive amount")
	case !validID(o.Offset):
		return Item{}, bad("offset", "account code")
	}
	if o.DueDate.IsZero() {
		o.DueDate = o.Date
	}
	var out Item
	err := p.store.UpdatePartners(ctx, func(tx Tx) error {
		party, err := partyAsOf(ctx, tx, o.Book, o.Party, date.Date{})
		if err != nil {
			return err
		}
		kind := Receivable
		if party.Role == Supplier {
			kind = Payable
		}
		it := Item{Book: o.Book, ID: o.ID, Party: o.Party, Kind: kind, Date: o.Posted, DueDate: o.DueDate,
			Amount: o.Amount, Open: o.Amount, Account: p.accounts.control(kind), Text: o.Text}
		if old, err := tx.Item(ctx, o.Book, o.ID); err == nil {
			if old.Invoice != "" || old.Party != it.Party || old.Amount != it.Amount || old.Date != it.Date || old.DueDate != it.DueDate || old.Text != it.Text {
				return fieldErr("opening item", o.ID, "", ErrConflict)
			}
			out = old
			return nil
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		b, err := ledgerBook(ctx, tx, o.Book)
		if err != nil {
			return err
		}
		if o.Amount.Currency() != b.Currency {
			return fieldErr("opening item", o.ID, "amount", fmt.Errorf("%w: not the book's currency", ErrCurrency))
		}
		control := o.Amount
		if kind == Payable {
			control = control.Neg()
		}
		e := ledger.Entry{Book: o.Book, Key: "partners/opening/" + o.ID, Date: o.Posted, Journal: "OB", Voucher: o.ID,
			Description: "Opening item " + o.ID + " " + o.Party, Metadata: map[string]string{"item": o.ID, "party": o.Party},
			Lines: []ledger.Line{
				{Account: it.Account, Amount: control, Dimensions: map[string]string{DimParty: o.Party, DimItem: o.ID}},
				{Account: o.Offset, Amount: control.Neg()},
			}}
		posted, err := p.ledger(tx).Post(ctx, e)
		if err != nil {
			return fmt.Errorf("partners: opening item %s: %w", o.ID, err)
		}
		it.Entry = posted.Seq
		out = it
		return tx.AddItem(ctx, it)
	})
	return out, err
}
