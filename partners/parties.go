package partners

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// Journal names of the entries Parties post.
const (
	JournalSales     = "AR" // outgoing invoices, credit notes and customer payments
	JournalPurchases = "AP" // incoming invoices, credit notes and supplier payments
)

// Ledger line dimensions Parties set on the lines of the control accounts
// (and DimCostCentre on invoice lines, DimVAT on the lines of a VAT code).
// An item's open amount is the sum of the control-account lines that carry
// its DimItem: Verify recomputes it from the ledger alone.
const (
	DimParty      = "party"       // the party's number
	DimItem       = "item"        // the open item's ID
	DimCostCentre = "cost_centre" // an invoice line's cost centre, if any
	// DimVAT is the VAT code of package vat ("USt19", "VSt7") on the net
	// and tax lines of a document and on the lines of a cash discount or
	// write-off that correct them, as VATCode.Sales or Purchases names it;
	// package vat calls the dimension vat.Dimension.
	DimVAT = "vat"
)

// Options configures Parties. A nil *Options means all defaults.
type Options struct {
	// Now returns the current time; it stamps records and ledger entries.
	// Default time.Now.
	Now func() time.Time
	// Currencies is the registry amounts are checked against; nil means
	// ISO 4217.
	Currencies *money.Registry
	// Accounts maps postings to accounts; zero means DefaultAccounts.
	Accounts Accounts
	// Dunning are the dunning profiles by name; the profile named "" is
	// the default. Nil means {"": DefaultDunning()}.
	Dunning map[string]DunningProfile
	// BaseRates is the statutory base rate table default interest is
	// computed from; nil means GermanBaseRates().
	BaseRates []BaseRate
}

// Parties keeps customers and suppliers, posts their invoices, credit
// notes and payments to the ledger and tracks what is open of each invoice,
// all in one store transaction per call: a document, its open item and its
// journal entry commit together or not at all. Parties is safe for
// concurrent use.
type Parties struct {
	store    Store
	now      func() time.Time
	reg      *money.Registry
	accounts Accounts
	dunning  map[string]DunningProfile
	rates    []BaseRate
}

// New returns Parties over store. opts may be nil.
func New(store Store, opts *Options) *Parties {
	p := &Parties{store: store, now: time.Now, accounts: DefaultAccounts()}
	if opts != nil {
		if opts.Now != nil {
			p.now = opts.Now
		}
		p.reg = opts.Currencies
		if opts.Accounts.Receivables != "" || opts.Accounts.Payables != "" {
			p.accounts = opts.Accounts
		}
		p.dunning, p.rates = opts.Dunning, opts.BaseRates
	}
	if p.dunning == nil {
		p.dunning = map[string]DunningProfile{"": DefaultDunning()}
	}
	if p.rates == nil {
		p.rates = GermanBaseRates()
	}
	return p
}

// Accounts returns the account mapping the Parties post with.
func (p *Parties) Accounts() Accounts { return p.accounts }

func (p *Parties) stamp() time.Time { return p.now().UTC().Truncate(time.Microsecond) }

func (p *Parties) ledger(tx Tx) *ledger.Ledger {
	return ledger.New(tx.Ledger(), &ledger.Options{Now: p.now, Currencies: p.reg, MaxGroup: 1})
}

// AddParties records parties (new ones or new versions of existing ones),
// all or none. VAT IDs and bank accounts are normalized first (spaces and
// punctuation removed, upper case); then every party must validate
// (Party.Validate), its book must
// exist, and a new version keeps the party's role. RecordedAt is set to
// now; a version with the same number and ValidFrom as an earlier one
// supersedes it from now on.
func (p *Parties) AddParties(ctx context.Context, parties ...Party) error {
	parties = slices.Clone(parties)
	for i := range parties {
		x := &parties[i]
		x.VATID, x.Bank = NormalizeVATID(x.VATID), x.Bank.Normalize()
		if err := x.Validate(); err != nil {
			return err
		}
	}
	at := p.stamp()
	return p.store.UpdatePartners(ctx, func(tx Tx) error {
		roles := map[[2]string]Role{}
		books := map[string]bool{}
		versions := map[[2]string][]Party{}
		for _, x := range parties {
			if !books[x.Book] {
				if err := bookExists(ctx, tx, x.Book); err != nil {
					return err
				}
				books[x.Book] = true
			}
			k := [2]string{x.Book, x.Number}
			role, ok := roles[k]
			if !ok {
				old, err := tx.PartyVersions(ctx, x.Book, x.Number)
				switch {
				case err == nil && len(old) > 0:
					role = old[0].Role
				case err == nil || isUnknownParty(err):
					role = x.Role
				default:
					return err
				}
				roles[k], versions[k] = role, old
			}
			if role != x.Role {
				return fieldErr("party", x.Number, "role", fmt.Errorf("%w: a party keeps its role", ErrInvalid))
			}
			// A version equal to the one recorded last for its day adds
			// nothing: importing a file again is a no-op.
			if cur, ok := resolveExact(versions[k], x.ValidFrom); ok && sameParty(cur, x) {
				continue
			}
			x.RecordedAt = at
			if err := tx.AddParty(ctx, x); err != nil {
				return err
			}
			versions[k] = append(versions[k], x)
		}
		return nil
	})
}

func isUnknownParty(err error) bool { return errors.Is(err, ErrUnknownParty) }

func bookExists(ctx context.Context, tx Tx, book string) error {
	return tx.Ledger().View(ctx, func(lt ledger.ReadTx) error {
		_, err := lt.Book(ctx, book)
		return err
	})
}

// resolveExact returns the version recorded last with ValidFrom d.
func resolveExact(versions []Party, d date.Date) (Party, bool) {
	var best Party
	found := false
	for _, v := range versions {
		if v.ValidFrom == d && (!found || !v.RecordedAt.Before(best.RecordedAt)) {
			best, found = v, true
		}
	}
	return best, found
}

// sameParty reports whether two versions hold the same data, whenever
// they were recorded.
func sameParty(a, b Party) bool {
	a.RecordedAt, b.RecordedAt = time.Time{}, time.Time{}
	return a.Terms.DiscountRate.Equal(b.Terms.DiscountRate) && func() bool {
		a.Terms.DiscountRate = b.Terms.DiscountRate
		return a == b
	}()
}

// resolve returns the version of versions in force on d (zero d: the
// latest), or ok false if none is.
func resolve(versions []Party, d date.Date) (Party, bool) {
	var best Party
	found := false
	for _, v := range versions {
		if !d.IsZero() && v.ValidFrom.After(d) {
			continue
		}
		if !found || v.ValidFrom.After(best.ValidFrom) ||
			(v.ValidFrom == best.ValidFrom && !v.RecordedAt.Before(best.RecordedAt)) {
			best, found = v, true
		}
	}
	return best, found
}

func partyAsOf(ctx context.Context, tx ReadTx, book, number string, d date.Date) (Party, error) {
	vs, err := tx.PartyVersions(ctx, book, number)
	if err != nil {
		return Party{}, err
	}
	v, ok := resolve(vs, d)
	if !ok {
		return Party{}, fieldErr("party", number, "valid_from", fmt.Errorf("%w: no version valid on %s", ErrUnknownParty, d))
	}
	return v, nil
}

// Party returns the version of a party in force on day d (zero d: the
// latest version), or an error wrapping ErrUnknownParty.
func (p *Parties) Party(ctx context.Context, book, number string, d date.Date) (Party, error) {
	var out Party
	err := p.store.ViewPartners(ctx, func(tx ReadTx) (err error) {
		out, err = partyAsOf(ctx, tx, book, number, d)
		return err
	})
	return out, err
}

// History returns every recorded version of a party, ordered by ValidFrom
// then RecordedAt.
func (p *Parties) History(ctx context.Context, book, number string) ([]Party, error) {
	var out []Party
	err := p.store.ViewPartners(ctx, func(tx ReadTx) (err error) {
		out, err = tx.PartyVersions(ctx, book, number)
		return err
	})
	return out, err
}

// List returns the version in force on day d (zero: the latest) of every
// party of the book with one, ordered by number.
func (p *Parties) List(ctx context.Context, book string, d date.Date) ([]Party, error) {
	var all []Party
	if err := p.store.ViewPartners(ctx, func(tx ReadTx) (err error) {
		all, err = tx.Parties(ctx, book)
		return err
	}); err != nil {
		return nil, err
	}
	return latest(all, d), nil
}

// latest picks from versions of many parties the one in force on d per
// party, ordered by number.
func latest(all []Party, d date.Date) []Party {
	slices.SortStableFunc(all, func(a, b Party) int { return cmp.Compare(a.Number, b.Number) })
	var out []Party
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].Number == all[i].Number {
			j++
		}
		if v, ok := resolve(all[i:j], d); ok {
			out = append(out, v)
		}
		i = j
	}
	return out
}

// SetSettings replaces a book's partner settings.
func (p *Parties) SetSettings(ctx context.Context, s Settings) error {
	return p.store.UpdatePartners(ctx, func(tx Tx) error {
		if err := bookExists(ctx, tx, s.Book); err != nil {
			return err
		}
		return tx.SetSettings(ctx, s)
	})
}

// Settings returns a book's partner settings.
func (p *Parties) Settings(ctx context.Context, book string) (Settings, error) {
	var out Settings
	err := p.store.ViewPartners(ctx, func(tx ReadTx) (err error) { out, err = tx.Settings(ctx, book); return err })
	return out, err
}

// Invoice returns the invoice or credit note with the number, or an error
// wrapping ErrNotFound.
func (p *Parties) Invoice(ctx context.Context, book, number string) (Invoice, error) {
	var out Invoice
	err := p.store.ViewPartners(ctx, func(tx ReadTx) (err error) { out, err = tx.Invoice(ctx, book, number); return err })
	return out, err
}

// Invoices returns the invoices and credit notes matching q, by number.
func (p *Parties) Invoices(ctx context.Context, book string, q InvoiceQuery) ([]Invoice, error) {
	var out []Invoice
	err := p.store.ViewPartners(ctx, func(tx ReadTx) (err error) { out, err = tx.Invoices(ctx, book, q); return err })
	return out, err
}

// Item returns an open item, or an error wrapping ErrNotFound.
func (p *Parties) Item(ctx context.Context, book, id string) (Item, error) {
	var out Item
	err := p.store.ViewPartners(ctx, func(tx ReadTx) (err error) { out, err = tx.Item(ctx, book, id); return err })
	return out, err
}

// Items returns the items matching q (the open-item list, OPOS), ordered by
// party, due date and ID; with q.AsOf, open amounts as of that day.
func (p *Parties) Items(ctx context.Context, book string, q ItemQuery) ([]Item, error) {
	var out []Item
	err := p.store.ViewPartners(ctx, func(tx ReadTx) (err error) { out, err = tx.Items(ctx, book, q); return err })
	return out, err
}

// Moves returns the payments, discounts, write-offs and credit notes that
// reduced items, matching q, ordered by date.
func (p *Parties) Moves(ctx context.Context, book string, q MoveQuery) ([]Move, error) {
	var out []Move
	err := p.store.ViewPartners(ctx, func(tx ReadTx) (err error) { out, err = tx.Moves(ctx, book, q); return err })
	return out, err
}

// StandardLimits are the aging buckets' upper bounds in days overdue:
// not due, 1–30, 31–60, 61–90 and over 90 days.
var StandardLimits = []int{0, 30, 60, 90}

// Aging sums the open items of q.Kind by party and bucket of days overdue
// as of q.AsOf (nil q.Limits: StandardLimits), from the store's aggregate.
func (p *Parties) Aging(ctx context.Context, book string, q AgingQuery) ([]AgingRow, error) {
	if q.Limits == nil {
		q.Limits = StandardLimits
	}
	if err := checkAging(q); err != nil {
		return nil, err
	}
	var out []AgingRow
	err := p.store.ViewPartners(ctx, func(tx ReadTx) (err error) { out, err = tx.Aging(ctx, book, q); return err })
	return out, err
}

func checkAging(q AgingQuery) error {
	switch {
	case q.Kind != Receivable && q.Kind != Payable:
		return fieldErr("aging", "", "kind", ErrInvalid)
	case q.AsOf.IsZero():
		return fieldErr("aging", "", "as_of", ErrInvalid)
	case len(q.Limits) == 0 || len(q.Limits) > 8:
		return fieldErr("aging", "", "limits", fmt.Errorf("%w: 1 to 8 limits", ErrInvalid))
	}
	for i := 1; i < len(q.Limits); i++ {
		if q.Limits[i] <= q.Limits[i-1] {
			return fieldErr("aging", "", "limits", fmt.Errorf("%w: limits must increase", ErrInvalid))
		}
	}
	return nil
}

// Bucket returns the index of the aging bucket of an item daysOverdue days
// overdue under limits: the first limit it does not exceed, or len(limits).
func Bucket(limits []int, daysOverdue int) int {
	for i, l := range limits {
		if daysOverdue <= l {
			return i
		}
	}
	return len(limits)
}
