package partners

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// Settle posts a payment and settles the items it pays: one ledger entry
// with the money on Payment.Account, each allocation's total on the
// party's control account (carrying the party and the item), and a cash
// discount or write-off split into its net amount (on Accounts'
// DiscountGranted, DiscountReceived or WriteOff) and the VAT it corrects,
// in the proportions of the item's VAT codes (§ 17 UStG). Several items
// are settled by one payment through several allocations; an item is
// settled partly by an allocation smaller than what is open of it.
//
// Without allocations, the payment settles the party's open items by due
// date, oldest first: each in full, less its cash discount if the payment
// is dated within the discount terms, and the last partly if the money
// runs out.
//
// Settling again with the same Key and payload returns the posted
// payment; with another payload it fails with ErrConflict. Settle fails
// with ErrOverpayment if an allocation exceeds what is open of its item or
// the money exceeds what it settles, ErrSettled for an item with nothing
// open, ErrCurrency for an amount in another currency than the item's,
// ErrNotFound for an item not of the party, a *FieldError wrapping
// ErrInvalid for a discount outside the item's terms or a write-off of a
// payable, and with the ledger's errors if the entry is refused; then
// nothing is posted.
func (p *Parties) Settle(ctx context.Context, pay Payment) (Payment, error) {
	pay.Allocations = slices.Clone(pay.Allocations)
	if err := checkPayment(&pay); err != nil {
		return Payment{}, err
	}
	var out Payment
	err := p.store.UpdatePartners(ctx, func(tx Tx) (err error) {
		out, err = p.settle(ctx, tx, p.ledger(tx), pay)
		return err
	})
	return out, err
}

// WriteOff writes off what is open of a receivable item as uncollectable
// on day d, correcting its VAT: a settlement without money, keyed key.
func (p *Parties) WriteOff(ctx context.Context, book, item string, d date.Date, key string) (Payment, error) {
	var out Payment
	err := p.store.UpdatePartners(ctx, func(tx Tx) error {
		it, err := tx.Item(ctx, book, item)
		if err != nil {
			return err
		}
		pay := Payment{Book: book, Key: key, Party: it.Party, Date: d, Amount: money.Zero(it.Amount.Currency()),
			Text: "Write-off " + item, Allocations: []Allocation{{Item: item, WriteOff: it.Open}}}
		if old, err := tx.Payment(ctx, book, key); err == nil {
			out = old // a retry after the item was written off
			return nil
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		if err := checkPayment(&pay); err != nil {
			return err
		}
		out, err = p.settle(ctx, tx, p.ledger(tx), pay)
		return err
	})
	return out, err
}

func checkPayment(pay *Payment) error {
	bad := func(field, why string) error {
		return fieldErr("payment", pay.Key, field, fmt.Errorf("%w: %s", ErrInvalid, why))
	}
	switch {
	case !validID(pay.Book):
		return bad("book", "book ID")
	case pay.Key == "" || len(pay.Key) > 200:
		return bad("key", "1 to 200 bytes")
	case !validID(pay.Party):
		return bad("party", "party number")
	case pay.Date.IsZero():
		return bad("date", "required")
	case pay.Amount.Currency().IsZero() || pay.Amount.IsNegative():
		return bad("amount", "zero or positive, with a currency")
	case pay.Amount.IsPositive() && !validID(pay.Account):
		return bad("account", "the bank or cash account")
	case pay.Amount.IsZero() && len(pay.Allocations) == 0:
		return bad("allocations", "a settlement without money names its items")
	case len(pay.EndToEndID) > 35:
		return bad("end_to_end_id", "at most 35 characters")
	}
	seen := map[string]bool{}
	for i, a := range pay.Allocations {
		rec := fmt.Sprintf("payment %s allocation %d", pay.Key, i+1)
		if seen[a.Item] {
			return fieldErr(rec, "", "item", fmt.Errorf("%w: item %s twice", ErrDuplicate, a.Item))
		}
		seen[a.Item] = true
		total := money.Zero(pay.Amount.Currency())
		for _, x := range []money.Amount{a.Amount, a.Discount, a.WriteOff} {
			if x.Currency().IsZero() && x.IsZero() {
				continue
			}
			if x.Currency() != pay.Amount.Currency() {
				return fieldErr(rec, "", "amount", ErrCurrency)
			}
			if x.IsNegative() {
				return fieldErr(rec, "", "amount", fmt.Errorf("%w: negative", ErrInvalid))
			}
			total, _ = total.Add(x)
		}
		if !validID(a.Item) {
			return fieldErr(rec, "", "item", fmt.Errorf("%w: item ID", ErrInvalid))
		}
		if total.IsZero() {
			return fieldErr(rec, "", "amount", fmt.Errorf("%w: settles nothing", ErrInvalid))
		}
	}
	pay.Entry, pay.PostedAt = 0, pay.PostedAt.UTC()
	return nil
}

// samePayment reports whether a posted payment answers a repeated settle
// of in; allocations left empty (computed by posting) match any.
func samePayment(posted, in Payment) bool {
	if posted.Party != in.Party || posted.Date != in.Date || posted.Account != in.Account ||
		posted.Amount != in.Amount || posted.EndToEndID != in.EndToEndID || posted.Text != in.Text {
		return false
	}
	if len(in.Allocations) == 0 {
		return true
	}
	return slices.EqualFunc(posted.Allocations, in.Allocations, func(a, b Allocation) bool {
		return a.Item == b.Item && a.Amount.MinorUnits() == b.Amount.MinorUnits() &&
			a.Discount.MinorUnits() == b.Discount.MinorUnits() && a.WriteOff.MinorUnits() == b.WriteOff.MinorUnits()
	})
}

func (p *Parties) settle(ctx context.Context, tx Tx, l *ledger.Ledger, pay Payment) (Payment, error) {
	if old, err := tx.Payment(ctx, pay.Book, pay.Key); err == nil {
		if !samePayment(old, pay) {
			return Payment{}, fieldErr("payment", pay.Key, "", ErrConflict)
		}
		return old, nil
	} else if !errors.Is(err, ErrNotFound) {
		return Payment{}, err
	}
	book, err := ledgerBook(ctx, tx, pay.Book)
	if err != nil {
		return Payment{}, err
	}
	cur := pay.Amount.Currency()
	if cur != book.Currency {
		return Payment{}, fieldErr("payment", pay.Key, "amount",
			fmt.Errorf("%w: %s in a %s book (multi-currency is not supported)", ErrCurrency, cur.Code(), book.Currency.Code()))
	}
	party, err := partyAsOf(ctx, tx, pay.Book, pay.Party, date.Date{})
	if err != nil {
		return Payment{}, err
	}
	kind := Receivable
	if party.Role == Supplier {
		kind = Payable
	}
	items := map[string]Item{}
	if len(pay.Allocations) == 0 {
		open, err := tx.Items(ctx, pay.Book, ItemQuery{Party: pay.Party, Kind: kind, OpenOnly: true})
		if err != nil {
			return Payment{}, err
		}
		if pay.Allocations, err = autoAllocate(pay, open); err != nil {
			return Payment{}, err
		}
		for _, it := range open {
			items[it.ID] = it
		}
	}
	zero := money.Zero(cur)
	var applied money.Amount = zero
	for i := range pay.Allocations {
		a := &pay.Allocations[i]
		rec := fmt.Sprintf("payment %s allocation %d", pay.Key, i+1)
		for _, x := range []*money.Amount{&a.Amount, &a.Discount, &a.WriteOff} {
			if x.Currency().IsZero() {
				*x = zero
			}
		}
		it, ok := items[a.Item]
		if !ok {
			if it, err = tx.Item(ctx, pay.Book, a.Item); err != nil {
				if errors.Is(err, ErrNotFound) {
					return Payment{}, fieldErr(rec, "", "item", fmt.Errorf("%w: no item %s", ErrNotFound, a.Item))
				}
				return Payment{}, err
			}
			items[a.Item] = it
		}
		if it.Party != pay.Party || it.Kind != kind {
			return Payment{}, fieldErr(rec, "", "item", fmt.Errorf("%w: item %s is not of party %s", ErrNotFound, a.Item, pay.Party))
		}
		if it.Amount.Currency() != cur {
			return Payment{}, fieldErr(rec, "", "amount", ErrCurrency)
		}
		if it.Date.After(pay.Date) {
			return Payment{}, fieldErr(rec, "", "date", fmt.Errorf("%w: item %s is dated after the payment", ErrInvalid, a.Item))
		}
		if it.Open.IsZero() {
			return Payment{}, fieldErr(rec, "", "item", fmt.Errorf("%w: item %s", ErrSettled, a.Item))
		}
		total := a.Amount.MinorUnits() + a.Discount.MinorUnits() + a.WriteOff.MinorUnits()
		if total > it.Open.MinorUnits() {
			return Payment{}, fieldErr(rec, "", "amount", fmt.Errorf("%w: item %s", ErrOverpayment, a.Item))
		}
		if a.Discount.IsPositive() {
			max, err := maxDiscount(it)
			if err != nil {
				return Payment{}, err
			}
			if it.DiscountDate.IsZero() || pay.Date.After(it.DiscountDate) || a.Discount.MinorUnits() > max.MinorUnits() {
				return Payment{}, fieldErr(rec, "", "discount", fmt.Errorf("%w: outside the item's cash-discount terms", ErrInvalid))
			}
		}
		if a.WriteOff.IsPositive() && kind == Payable {
			return Payment{}, fieldErr(rec, "", "writeoff", fmt.Errorf("%w: payables are not written off", ErrInvalid))
		}
		if applied, err = applied.Add(a.Amount); err != nil {
			return Payment{}, err
		}
	}
	switch c := applied.MinorUnits() - pay.Amount.MinorUnits(); {
	case c < 0:
		return Payment{}, fieldErr("payment", pay.Key, "amount", fmt.Errorf("%w: the payment is larger than what it settles", ErrOverpayment))
	case c > 0:
		return Payment{}, fieldErr("payment", pay.Key, "allocations", fmt.Errorf("%w: allocations exceed the payment", ErrInvalid))
	}
	e, moves, err := p.paymentEntry(&pay, kind, items)
	if err != nil {
		return Payment{}, fieldErr("payment", pay.Key, "", err)
	}
	posted, err := l.Post(ctx, e)
	if err != nil {
		return Payment{}, fmt.Errorf("partners: settle payment %s: %w", pay.Key, err)
	}
	for i := range moves {
		moves[i].Entry = posted.Seq
	}
	pay.Entry, pay.PostedAt = posted.Seq, p.stamp()
	if err := tx.AddMoves(ctx, pay.Book, moves); err != nil {
		return Payment{}, err
	}
	return pay, tx.AddPayment(ctx, pay)
}

// maxDiscount is the cash discount an item allows: its rate of its amount,
// rounded half up.
func maxDiscount(it Item) (money.Amount, error) {
	return it.Amount.MulRate(it.DiscountRate, money.HalfUp)
}

// MaxDiscount returns the cash discount an item offers if paid on or
// before its discount date: its amount times its discount rate, rounded
// half up, but no more than what is open of it — what Settle allocates
// automatically and Propose takes. Without discount terms it is zero.
func MaxDiscount(it Item) (money.Amount, error) {
	zero := money.Zero(it.Open.Currency())
	if it.DiscountDate.IsZero() || !it.DiscountRate.IsPositive() {
		return zero, nil
	}
	d, err := maxDiscount(it)
	if err != nil {
		return money.Amount{}, fmt.Errorf("partners: item %s: %w", it.ID, err)
	}
	if d.MinorUnits() > it.Open.MinorUnits() {
		return it.Open, nil
	}
	return d, nil
}

// autoAllocate settles open items by due date with the payment's money.
func autoAllocate(pay Payment, open []Item) ([]Allocation, error) {
	slices.SortFunc(open, func(a, b Item) int {
		if c := a.DueDate.Compare(b.DueDate); c != 0 {
			return c
		}
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	left := pay.Amount.MinorUnits()
	cur := pay.Amount.Currency()
	var out []Allocation
	for _, it := range open {
		if left == 0 {
			break
		}
		if it.Amount.Currency() != cur || it.Date.After(pay.Date) {
			continue
		}
		var disc int64
		if !it.DiscountDate.IsZero() && !pay.Date.After(it.DiscountDate) {
			d, err := maxDiscount(it)
			if err != nil {
				return nil, err
			}
			disc = min(d.MinorUnits(), it.Open.MinorUnits())
		}
		need := it.Open.MinorUnits() - disc
		a := Allocation{Item: it.ID, Discount: money.New(0, cur), WriteOff: money.New(0, cur)}
		if left >= need {
			a.Amount, a.Discount = money.New(need, cur), money.New(disc, cur)
			left -= need
		} else {
			a.Amount = money.New(left, cur)
			left = 0
		}
		if a.Amount.IsZero() && a.Discount.IsZero() {
			continue
		}
		out = append(out, a)
	}
	if left > 0 {
		return nil, fieldErr("payment", pay.Key, "amount", fmt.Errorf("%w: the payment is larger than the party's open items", ErrOverpayment))
	}
	return out, nil
}

// paymentEntry builds the entry of a checked payment and the moves it
// makes.
func (p *Parties) paymentEntry(pay *Payment, kind ItemKind, items map[string]Item) (ledger.Entry, []Move, error) {
	// sign turns an amount reducing a receivable into its control-line
	// amount (a credit); for a payable the other way round.
	sign := money.Amount.Neg
	journal, discAcct := JournalSales, p.accounts.DiscountGranted
	if kind == Payable {
		sign = func(a money.Amount) money.Amount { return a }
		journal, discAcct = JournalPurchases, p.accounts.DiscountReceived
	}
	e := ledger.Entry{Book: pay.Book, Key: "partners/payment/" + pay.Key, Date: pay.Date, Journal: journal,
		Voucher: pay.Key, Description: "Payment " + pay.Party, Metadata: map[string]string{"payment": pay.Key, "party": pay.Party}}
	if pay.EndToEndID != "" {
		e.Metadata["end_to_end_id"] = pay.EndToEndID
	}
	if pay.Amount.IsPositive() {
		e.Lines = append(e.Lines, ledger.Line{Account: pay.Account, Amount: sign(pay.Amount).Neg()})
	}
	var moves []Move
	for _, a := range pay.Allocations {
		it := items[a.Item]
		total, err := money.Sum(a.Amount.Currency(), a.Amount, a.Discount, a.WriteOff)
		if err != nil {
			return e, nil, err
		}
		e.Lines = append(e.Lines, ledger.Line{Account: it.Account, Amount: sign(total),
			Dimensions: map[string]string{DimParty: pay.Party, DimItem: a.Item}})
		for _, m := range []struct {
			kind MoveKind
			amt  money.Amount
			acct string
		}{{PaymentMove, a.Amount, ""}, {DiscountMove, a.Discount, discAcct}, {WriteOffMove, a.WriteOff, p.accounts.WriteOff}} {
			if m.amt.IsZero() {
				continue
			}
			moves = append(moves, Move{Book: pay.Book, Item: a.Item, Kind: m.kind, Date: pay.Date, Amount: m.amt, Ref: pay.Key})
			if m.kind == PaymentMove {
				continue
			}
			if m.acct == "" {
				return e, nil, fmt.Errorf("%w: no account for %s", ErrNoAccount, m.kind)
			}
			lines, err := correction(m.amt, m.acct, it.VAT, func(code string) map[string]string { return p.withVAT(nil, code, kind) })
			if err != nil {
				return e, nil, err
			}
			for _, l := range lines {
				l.Amount = sign(l.Amount).Neg()
				e.Lines = append(e.Lines, l)
			}
		}
	}
	return e, moves, nil
}

// correction splits a gross reduction of an item (discount, write-off) into
// its net part on acct and the VAT it corrects on each VAT code's account,
// all positive: the caller gives them the sign of the side they go on.
// dims gives the dimensions of a share's lines (its DimVAT); if any share
// has some, the net part is one line per share, each with its share's,
// else one line.
func correction(g money.Amount, acct string, shares []VATShare, dims func(code string) map[string]string) ([]ledger.Line, error) {
	parts, taxes, err := splitGross(g, shares)
	if err != nil {
		return nil, err
	}
	if parts == nil {
		return []ledger.Line{{Account: acct, Amount: g}}, nil
	}
	perShare := false
	for _, s := range shares {
		perShare = perShare || len(dims(s.Code)) > 0
	}
	var nets, out []ledger.Line
	net := money.Zero(g.Currency())
	for i, part := range parts {
		n, err := part.Sub(taxes[i])
		if err != nil {
			return nil, err
		}
		if net, err = net.Add(n); err != nil {
			return nil, err
		}
		if perShare && !n.IsZero() {
			nets = append(nets, ledger.Line{Account: acct, Amount: n, Dimensions: dims(shares[i].Code)})
		}
		if !taxes[i].IsZero() {
			if shares[i].Account == "" {
				return nil, fmt.Errorf("%w: VAT code %s has no account", ErrNoAccount, shares[i].Code)
			}
			out = append(out, ledger.Line{Account: shares[i].Account, Amount: taxes[i], Dimensions: dims(shares[i].Code)})
		}
	}
	if !perShare && !net.IsZero() {
		nets = []ledger.Line{{Account: acct, Amount: net}}
	}
	return append(nets, out...), nil
}
