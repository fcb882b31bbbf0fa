package partners

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// Post numbers and posts an invoice or credit note: one ledger entry with
// the gross amount on the party's control account (carrying the party and
// the item as dimensions), each line's net amount on its account (with its
// cost centre) and the tax per VAT code, split exactly (per code or per
// line, as the book's Settings say; per-line amounts always add up to the
// code's tax). An invoice opens an item of its gross amount; a credit note
// reduces the item of the invoice it corrects.
//
// The number is drawn from the document's series inside the posting
// transaction, so a series has no gaps: a refused document uses no number.
// Posting again with the same Key and payload returns the posted document;
// with another payload it fails with ErrConflict (fields left zero are
// not compared, since posting fills them in).
//
// Post fails with a *FieldError wrapping ErrInvalid for a malformed
// document, ErrUnknownParty, ErrNoAccount for an unknown VAT code,
// ErrCurrency for a currency other than the book's, ErrCreditExceeds for a
// credit note larger than what is open of its invoice, ErrNotFound for a
// credit note correcting no invoice of the party, and with the ledger's
// errors (ledger.ErrPeriodClosed, ledger.ErrUnknownAccount …) if the entry
// is refused; then nothing is posted and no number is used.
func (p *Parties) Post(ctx context.Context, inv Invoice) (Invoice, error) {
	inv = cloneInvoice(inv)
	if err := p.checkInvoice(&inv); err != nil {
		return Invoice{}, err
	}
	var out Invoice
	err := p.store.UpdatePartners(ctx, func(tx Tx) (err error) {
		out, err = p.post(ctx, tx, p.ledger(tx), inv)
		return err
	})
	return out, err
}

// PostBatch posts invoices and credit notes as Post does, all in one
// transaction: all or none. A credit note may correct an invoice posted
// earlier in the same batch. It returns the posted documents in order.
func (p *Parties) PostBatch(ctx context.Context, invoices []Invoice) ([]Invoice, error) {
	in := make([]Invoice, len(invoices))
	for i := range invoices {
		in[i] = cloneInvoice(invoices[i])
		if err := p.checkInvoice(&in[i]); err != nil {
			return nil, err
		}
	}
	out := make([]Invoice, len(in))
	err := p.store.UpdatePartners(ctx, func(tx Tx) error {
		l := p.ledger(tx) // one ledger, one chart snapshot, for the batch
		for i := range in {
			var err error
			if out[i], err = p.post(ctx, tx, l, in[i]); err != nil {
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

// InvoiceByKey returns the document posted under key, or an error wrapping
// ErrNotFound.
func (p *Parties) InvoiceByKey(ctx context.Context, book, key string) (Invoice, error) {
	var out Invoice
	err := p.store.ViewPartners(ctx, func(tx ReadTx) (err error) { out, err = tx.InvoiceByKey(ctx, book, key); return err })
	return out, err
}

func cloneInvoice(inv Invoice) Invoice {
	inv.Lines = slices.Clone(inv.Lines)
	inv.VATLines = slices.Clone(inv.VATLines)
	return inv
}

// checkInvoice checks what needs no store.
func (p *Parties) checkInvoice(inv *Invoice) error {
	bad := func(field, why string) error {
		return fieldErr("invoice", inv.Key, field, fmt.Errorf("%w: %s", ErrInvalid, why))
	}
	switch {
	case !validID(inv.Book):
		return bad("book", "book ID")
	case inv.Key == "" || len(inv.Key) > 200:
		return bad("key", "1 to 200 bytes")
	case inv.Kind != InvoiceKind && inv.Kind != CreditNoteKind:
		return bad("kind", "invoice or credit_note")
	case !validID(inv.Party):
		return bad("party", "party number")
	case inv.Date.IsZero():
		return bad("date", "required")
	case len(inv.Lines) == 0:
		return bad("lines", "at least one line")
	case inv.Kind == CreditNoteKind && inv.Corrects == "":
		return bad("corrects", "a credit note names the invoice it corrects")
	case inv.Kind == InvoiceKind && inv.Corrects != "":
		return bad("corrects", "only credit notes correct invoices")
	case len(inv.Series) > 20 || strings.ContainsAny(inv.Series, " /"):
		return bad("series", "at most 20 characters without spaces or '/'")
	case !inv.DueDate.IsZero() && inv.DueDate.Before(inv.Date):
		return bad("due_date", "before the invoice date")
	case inv.DiscountRate.IsNegative() || inv.DiscountRate.GreaterThanOrEqual(decimal.NewFromInt(1)):
		return bad("discount_rate", "a fraction from 0 to below 1")
	case !inv.DiscountDate.IsZero() && (inv.DiscountDate.Before(inv.Date) || inv.DiscountRate.IsZero()):
		return bad("discount_date", "before the invoice date, or without a rate")
	case inv.DiscountDate.IsZero() && !inv.DiscountRate.IsZero():
		return bad("discount_rate", "a rate without a discount date")
	case !inv.DueDate.IsZero() && !inv.DiscountDate.IsZero() && inv.DiscountDate.After(inv.DueDate):
		return bad("discount_date", "after the due date")
	}
	for i := range inv.Lines {
		l := &inv.Lines[i]
		rec := fmt.Sprintf("invoice %s line %d", inv.Key, i+1)
		badLine := func(field, why string) error {
			return fieldErr(rec, "", field, fmt.Errorf("%w: %s", ErrInvalid, why))
		}
		switch {
		case !validID(l.Account):
			return badLine("account", "account code")
		case !l.Net.IsPositive():
			return badLine("net", "a positive amount")
		case !inv.Currency.IsZero() && l.Net.Currency() != inv.Currency:
			return fieldErr(rec, "", "net", fmt.Errorf("%w: not the document's currency", ErrCurrency))
		case i > 0 && l.Net.Currency() != inv.Lines[0].Net.Currency():
			return fieldErr(rec, "", "net", fmt.Errorf("%w: lines in more than one currency", ErrCurrency))
		case l.CostCentre != "" && !validID(l.CostCentre):
			return badLine("cost_centre", "cost centre code")
		}
		if _, err := p.accounts.vatCode(l.VAT); err != nil {
			return fieldErr(rec, "", "vat", err)
		}
		l.Tax = money.Amount{}
	}
	if inv.Currency.IsZero() {
		inv.Currency = inv.Lines[0].Net.Currency()
	}
	inv.Number, inv.Entry, inv.PostedAt = "", 0, time.Time{}
	inv.Net, inv.VAT, inv.Gross, inv.VATLines = money.Amount{}, money.Amount{}, money.Amount{}, nil
	return nil
}

// validID reports whether s is a usable identifier: 1–64 bytes, no
// spaces, no '/'.
func validID(s string) bool {
	return s != "" && len(s) <= 64 && !strings.ContainsAny(s, " \t\r\n/")
}

// sameInvoice reports whether a posted invoice answers a repeated post of
// in: every field in sets must match; zero fields in filled by posting
// (due date, discount terms, series) match anything.
func sameInvoice(posted, in Invoice) bool {
	if posted.Kind != in.Kind || posted.Party != in.Party || posted.Date != in.Date ||
		posted.Currency != in.Currency || posted.Reference != in.Reference || posted.Corrects != in.Corrects ||
		posted.Text != in.Text || len(posted.Lines) != len(in.Lines) {
		return false
	}
	if (!in.DueDate.IsZero() && in.DueDate != posted.DueDate) ||
		(!in.DiscountDate.IsZero() && (in.DiscountDate != posted.DiscountDate || !in.DiscountRate.Equal(posted.DiscountRate))) ||
		(in.Series != "" && !strings.HasPrefix(posted.Number, in.Series)) {
		return false
	}
	for i, l := range in.Lines {
		q := posted.Lines[i]
		if q.Account != l.Account || q.Net != l.Net || q.VAT != l.VAT || q.CostCentre != l.CostCentre || q.Text != l.Text {
			return false
		}
	}
	return true
}

func (p *Parties) post(ctx context.Context, tx Tx, l *ledger.Ledger, inv Invoice) (Invoice, error) {
	if old, err := tx.InvoiceByKey(ctx, inv.Book, inv.Key); err == nil {
		if !sameInvoice(old, inv) {
			return Invoice{}, fieldErr("invoice", inv.Key, "", ErrConflict)
		}
		return old, nil
	} else if !errors.Is(err, ErrNotFound) {
		return Invoice{}, err
	}
	book, err := ledgerBook(ctx, tx, inv.Book)
	if err != nil {
		return Invoice{}, err
	}
	if inv.Currency != book.Currency {
		return Invoice{}, fieldErr("invoice", inv.Key, "currency",
			fmt.Errorf("%w: %s in a %s book (multi-currency is not supported)", ErrCurrency, inv.Currency.Code(), book.Currency.Code()))
	}
	party, err := partyAsOf(ctx, tx, inv.Book, inv.Party, inv.Date)
	if err != nil {
		return Invoice{}, err
	}
	kind := Receivable
	if party.Role == Supplier {
		kind = Payable
	}
	var corrected Item
	if inv.Kind == CreditNoteKind {
		corrected, err = tx.Item(ctx, inv.Book, inv.Corrects)
		if err != nil || corrected.Invoice == "" || corrected.Party != inv.Party {
			return Invoice{}, fieldErr("invoice", inv.Key, "corrects", fmt.Errorf("%w: no invoice %s of party %s", ErrNotFound, inv.Corrects, inv.Party))
		}
		if corrected.Amount.Currency() != inv.Currency {
			return Invoice{}, fieldErr("invoice", inv.Key, "currency", ErrCurrency)
		}
	} else {
		if inv.DueDate.IsZero() {
			inv.DueDate = inv.Date.AddDays(party.Terms.NetDays)
		}
		if inv.DiscountDate.IsZero() && party.Terms.DiscountRate.IsPositive() {
			inv.DiscountDate = inv.Date.AddDays(party.Terms.DiscountDays)
			inv.DiscountRate = party.Terms.DiscountRate
		}
		if inv.DiscountDate.After(inv.DueDate) {
			return Invoice{}, fieldErr("invoice", inv.Key, "discount_date", fmt.Errorf("%w: after the due date", ErrInvalid))
		}
	}
	settings, err := tx.Settings(ctx, inv.Book)
	if err != nil {
		return Invoice{}, err
	}
	if err := p.computeVAT(&inv, settings.LineRounding, kind); err != nil {
		return Invoice{}, fieldErr("invoice", inv.Key, "", err)
	}
	if inv.Kind == CreditNoteKind && inv.Gross.MinorUnits() > corrected.Open.MinorUnits() {
		return Invoice{}, fieldErr("invoice", inv.Key, "corrects",
			fmt.Errorf("%w: credit note larger than what is open of invoice %s", ErrCreditExceeds, inv.Corrects))
	}
	series := inv.Series
	if series == "" {
		series = "RE"
		if kind == Payable {
			series = "ER"
		}
	}
	n, err := tx.NextNumber(ctx, inv.Book, series)
	if err != nil {
		return Invoice{}, err
	}
	inv.Series = series
	inv.Number = fmt.Sprintf("%s%05d", series, n)
	item := inv.Number
	if inv.Kind == CreditNoteKind {
		item = inv.Corrects
	}
	e := p.invoiceEntry(&inv, kind, item)
	posted, err := l.Post(ctx, e)
	if err != nil {
		return Invoice{}, fmt.Errorf("partners: post invoice %s: %w", inv.Key, err)
	}
	inv.Entry, inv.PostedAt = posted.Seq, p.stamp()
	if err := tx.AddInvoice(ctx, inv); err != nil {
		return Invoice{}, err
	}
	if inv.Kind == CreditNoteKind {
		return inv, tx.AddMoves(ctx, inv.Book, []Move{{Book: inv.Book, Item: inv.Corrects, Kind: CreditMove,
			Date: inv.Date, Amount: inv.Gross, Entry: posted.Seq, Ref: inv.Number}})
	}
	it := Item{Book: inv.Book, ID: inv.Number, Party: inv.Party, Kind: kind, Invoice: inv.Number,
		Date: inv.Date, DueDate: inv.DueDate, DiscountDate: inv.DiscountDate, DiscountRate: inv.DiscountRate,
		Amount: inv.Gross, Open: inv.Gross, Entry: posted.Seq, Account: p.accounts.control(kind), Text: inv.Reference}
	for _, v := range inv.VATLines {
		g, err := v.Base.Add(v.Tax)
		if err != nil {
			return Invoice{}, err
		}
		it.VAT = append(it.VAT, VATShare{Code: v.Code, Rate: v.Rate, Account: v.Account, Gross: g})
	}
	return inv, tx.AddItem(ctx, it)
}

// computeVAT sets the lines' tax, the VAT lines and the totals.
func (p *Parties) computeVAT(inv *Invoice, perLine bool, kind ItemKind) error {
	cur := inv.Currency
	byCode := map[string][]int{}
	var codes []string
	for i, l := range inv.Lines {
		if _, ok := byCode[l.VAT]; !ok {
			codes = append(codes, l.VAT)
		}
		byCode[l.VAT] = append(byCode[l.VAT], i)
	}
	slices.Sort(codes)
	net, vat := money.Zero(cur), money.Zero(cur)
	for _, code := range codes {
		vc, _ := p.accounts.vatCode(code)
		acct := vc.Output
		if kind == Payable {
			acct = vc.Input
		}
		base, tax := money.Zero(cur), money.Zero(cur)
		var err error
		for _, i := range byCode[code] {
			if base, err = base.Add(inv.Lines[i].Net); err != nil {
				return err
			}
			if perLine {
				t, err := inv.Lines[i].Net.MulRate(vc.Rate, money.HalfUp)
				if err != nil {
					return err
				}
				inv.Lines[i].Tax = t
				if tax, err = tax.Add(t); err != nil {
					return err
				}
			}
		}
		if !perLine {
			if tax, err = base.MulRate(vc.Rate, money.HalfUp); err != nil {
				return err
			}
			// The code's tax goes to its lines by net amount, so that the
			// lines' tax adds up to it and no rounding residue is lost.
			w := make([]int64, len(byCode[code]))
			for j, i := range byCode[code] {
				w[j] = inv.Lines[i].Net.MinorUnits()
			}
			parts, err := money.Allocate(tax, w...)
			if err != nil {
				return err
			}
			for j, i := range byCode[code] {
				inv.Lines[i].Tax = parts[j]
			}
		}
		if !tax.IsZero() && acct == "" {
			return fmt.Errorf("%w: VAT code %s has no %s account", ErrNoAccount, code, map[bool]string{true: "input", false: "output"}[kind == Payable])
		}
		inv.VATLines = append(inv.VATLines, VATLine{Code: code, Rate: vc.Rate, Account: acct, Base: base, Tax: tax})
		if net, err = net.Add(base); err != nil {
			return err
		}
		if vat, err = vat.Add(tax); err != nil {
			return err
		}
	}
	gross, err := net.Add(vat)
	if err != nil {
		return err
	}
	inv.Net, inv.VAT, inv.Gross = net, vat, gross
	return nil
}

// invoiceEntry builds the journal entry of a document whose VAT is computed.
// Signs: an outgoing invoice debits the control account and credits revenue
// and output VAT; an incoming one the other way round; a credit note
// reverses its kind's signs.
func (p *Parties) invoiceEntry(inv *Invoice, kind ItemKind, item string) ledger.Entry {
	sign := func(a money.Amount) money.Amount { return a } // sign of the control line
	if (kind == Payable) != (inv.Kind == CreditNoteKind) {
		sign = money.Amount.Neg
	}
	journal := JournalSales
	if kind == Payable {
		journal = JournalPurchases
	}
	what := "Invoice"
	if inv.Kind == CreditNoteKind {
		what = "Credit note"
	}
	e := ledger.Entry{Book: inv.Book, Key: "partners/invoice/" + inv.Key, Date: inv.Date, Journal: journal,
		Voucher: inv.Number, Description: what + " " + inv.Number + " " + inv.Party,
		Metadata: map[string]string{"invoice": inv.Number, "party": inv.Party}}
	if inv.Corrects != "" {
		e.Metadata["corrects"] = inv.Corrects
	}
	e.Lines = append(e.Lines, ledger.Line{Account: p.accounts.control(kind), Amount: sign(inv.Gross),
		Dimensions: map[string]string{DimParty: inv.Party, DimItem: item}})
	for _, l := range inv.Lines {
		line := ledger.Line{Account: l.Account, Amount: sign(l.Net).Neg(), Memo: l.Text}
		if l.CostCentre != "" {
			line.Dimensions = map[string]string{DimCostCentre: l.CostCentre}
		}
		line.Dimensions = p.withVAT(line.Dimensions, l.VAT, kind)
		e.Lines = append(e.Lines, line)
	}
	for _, v := range inv.VATLines {
		if !v.Tax.IsZero() {
			e.Lines = append(e.Lines, ledger.Line{Account: v.Account, Amount: sign(v.Tax).Neg(), Dimensions: p.withVAT(nil, v.Code, kind)})
		}
	}
	return e
}

// withVAT returns dims with DimVAT set to the package vat code of the
// partners VAT code code on items of kind k, if it names one.
func (p *Parties) withVAT(dims map[string]string, code string, k ItemKind) map[string]string {
	vc, err := p.accounts.vatCode(code)
	if err != nil || vc.lineCode(k) == "" {
		return dims
	}
	if dims == nil {
		dims = map[string]string{}
	}
	dims[DimVAT] = vc.lineCode(k)
	return dims
}

func ledgerBook(ctx context.Context, tx ReadTx, id string) (ledger.Book, error) {
	var b ledger.Book
	err := tx.Ledger().View(ctx, func(lt ledger.ReadTx) (err error) { b, err = lt.Book(ctx, id); return err })
	return b, err
}
