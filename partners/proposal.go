package partners

import (
	"context"
	"fmt"
	"slices"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
)

// ProposalSpec says what a payment proposal is for.
type ProposalSpec struct {
	Book string
	// PayDate is the day the payments are made (the transfers' execution
	// date).
	PayDate date.Date
	// DueBy takes the items due on or before this day; zero means
	// PayDate. Items whose cash discount would be lost before the next
	// proposal are taken too: those with a discount date from PayDate to
	// DueBy.
	DueBy date.Date
	// Account is the bank account the payments go out from.
	Account string
}

// Proposal is a payment proposal (Zahlungsvorschlag): one payment per
// supplier, for review before PayProposal posts it.
type Proposal struct {
	Book     string
	PayDate  date.Date
	Account  string
	Payments []ProposedPayment
}

// ProposedPayment is the payment of one supplier in a Proposal: the
// payment as Settle takes it (its EndToEndID ties the bank transfer and
// statement line back to it) and where the money goes.
type ProposedPayment struct {
	Payment
	Name string
	Bank hr.BankAccount
}

// Propose builds the payment proposal of spec: every supplier's open items
// due by spec.DueBy or with a cash discount still to be had between
// PayDate and DueBy, each paid in full less the discount the pay date
// allows. It writes nothing. Suppliers without a bank account are
// proposed too; the payment file refuses them.
func (p *Parties) Propose(ctx context.Context, spec ProposalSpec) (Proposal, error) {
	if spec.PayDate.IsZero() || !validID(spec.Account) {
		return Proposal{}, fieldErr("proposal", spec.Book, "pay_date", fmt.Errorf("%w: a pay date and an account", ErrInvalid))
	}
	if spec.DueBy.IsZero() {
		spec.DueBy = spec.PayDate
	}
	out := Proposal{Book: spec.Book, PayDate: spec.PayDate, Account: spec.Account}
	err := p.store.ViewPartners(ctx, func(tx ReadTx) error {
		items, err := tx.Items(ctx, spec.Book, ItemQuery{Kind: Payable, OpenOnly: true})
		if err != nil {
			return err
		}
		all, err := tx.Parties(ctx, spec.Book)
		if err != nil {
			return err
		}
		parties := map[string]Party{}
		for _, x := range latest(all, spec.PayDate) {
			parties[x.Number] = x
		}
		var cur *ProposedPayment
		for _, it := range items {
			discount := !it.DiscountDate.IsZero() && !spec.PayDate.After(it.DiscountDate)
			take := !it.DueDate.After(spec.DueBy) || (discount && !it.DiscountDate.After(spec.DueBy))
			if !take || it.Date.After(spec.PayDate) {
				continue
			}
			c := it.Amount.Currency()
			if cur == nil || cur.Party != it.Party || cur.Amount.Currency() != c {
				pt := parties[it.Party]
				out.Payments = append(out.Payments, ProposedPayment{Name: pt.Name, Bank: pt.Bank, Payment: Payment{
					Book: spec.Book, Key: "proposal/" + spec.PayDate.String() + "/" + it.Party, Party: it.Party,
					Date: spec.PayDate, Account: spec.Account, Amount: money.Zero(c),
					EndToEndID: endToEnd(spec.PayDate, it.Party)}})
				cur = &out.Payments[len(out.Payments)-1]
			}
			a := Allocation{Item: it.ID, Amount: it.Open, Discount: money.Zero(c), WriteOff: money.Zero(c)}
			if discount {
				d, err := maxDiscount(it)
				if err != nil {
					return err
				}
				d = money.New(min(d.MinorUnits(), it.Open.MinorUnits()), c)
				a.Discount = d
				if a.Amount, err = it.Open.Sub(d); err != nil {
					return err
				}
			}
			cur.Allocations = append(cur.Allocations, a)
			if cur.Amount, err = cur.Amount.Add(a.Amount); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// endToEnd is the end-to-end ID of a proposed payment: at most 35
// characters, the SEPA limit, from the pay date and the supplier number.
func endToEnd(d date.Date, party string) string {
	s := "PP" + d.String()[0:4] + d.String()[5:7] + d.String()[8:10] + "-" + party
	if len(s) > 35 {
		s = s[:35]
	}
	return s
}

// PayProposal posts the payments of an approved proposal, all or none,
// each as Settle would: a payment whose Amount is zero (everything taken
// as discount) still settles its items. Paying a proposal again returns
// the posted payments.
func (p *Parties) PayProposal(ctx context.Context, prop Proposal) ([]Payment, error) {
	pays := make([]Payment, len(prop.Payments))
	for i := range prop.Payments {
		pays[i] = prop.Payments[i].Payment
	}
	return p.SettleBatch(ctx, pays)
}

// SettleBatch settles payments as Settle does, all in one transaction:
// all or none. A later payment sees what the earlier ones settled.
func (p *Parties) SettleBatch(ctx context.Context, payments []Payment) ([]Payment, error) {
	pays := make([]Payment, len(payments))
	for i := range payments {
		pays[i] = payments[i]
		pays[i].Allocations = slices.Clone(pays[i].Allocations)
		if err := checkPayment(&pays[i]); err != nil {
			return nil, err
		}
	}
	out := make([]Payment, len(pays))
	err := p.store.UpdatePartners(ctx, func(tx Tx) error {
		l := p.ledger(tx)
		for i, pay := range pays {
			var err error
			if out[i], err = p.settle(ctx, tx, l, pay); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
