package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/partners"
)

// demoTrade is the demo year's business with customers and suppliers:
// the parties, and by month the invoices, the customers' payments, the
// payment proposals for suppliers and the dunning runs, all deterministic
// in the year so that a rerun posts nothing twice.
type demoTrade struct {
	parties  []partners.Party
	invoices map[int][]partners.Invoice
	receipts map[int][]demoReceipt
	proposal map[int]date.Date // the payment proposal's pay date, by month
	dunning  map[int]date.Date
}

// demoReceipt is a customer's payment of (part of) an invoice, known by
// its key until posting gives it a number.
type demoReceipt struct {
	key, invoice string
	party        string
	date         date.Date
	// share of the invoice's gross amount: 1 all, 2 a half (the first
	// instalment), 3 the rest after a half; discount takes the discount.
	share    int
	discount bool
}

var (
	demoCustomers = []string{"Albrecht Bau GmbH", "Bäckerei Sommer", "Carstens Logistik KG", "Dietz Elektro GmbH",
		"Engel & Söhne OHG", "Falk Medientechnik", "Gerber Druck GmbH", "Hansen Möbel KG", "Iserlohner Metall AG",
		"Jung Gartenbau", "Krüger Software GmbH", "Lang Immobilien", "Maier Sanitär GmbH", "Nordlicht Hotels AG",
		"Otto Feinkost", "Petersen Reederei GmbH", "Quandt Optik", "Roth Maschinenbau AG", "Sauer Textil GmbH",
		"Thiel Apotheken KG", "Ullrich Kfz-Technik", "Vogt Energie GmbH", "Winter Sport & Freizeit", "Xaver Brauerei",
		"Yildiz Handel GmbH", "Zeller Verpackung AG", "Arnold Catering", "Busch Reisen GmbH", "Claasen Agrar KG",
		"Dorn Labortechnik GmbH"}
	demoSuppliers = []string{"Bürobedarf Nord GmbH", "Telekom Service AG", "Papier & Co KG", "Logistik Express GmbH",
		"Werbeagentur Blau", "Steuerkanzlei Brandt", "Reisebüro Fern", "Stadtwerke", "Großhandel Meyer GmbH",
		"Elektrogroßhandel Süd", "IT-Systemhaus Kern", "Reinigung Blitz", "Kanzlei Hoffmann & Partner",
		"Verpackungswerk Ost", "Druckerei Weiß"}
)

// newDemoTrade generates the year: 30 customers (10001–10030, every third
// with 2 % discount in 10 days) and 15 suppliers (70001–70015, every
// second with 3 % in 14 days); 25 sales and 20 purchase invoices a month;
// customers paying on time, within the discount, late, in two halves or
// not at all; suppliers paid by a proposal on the 25th of each month; two
// dunning runs, in September and November. The invoices' VAT codes "19"
// and "7" post their lines with package vat's codes (USt19, USt7 on sales,
// VSt19 on purchases: the partners mapping of the default chart), so that
// the VAT return of the default chart, with one revenue and one VAT
// account per side, fills 81 and 86 and passes its checks.
func newDemoTrade(book string, year int) *demoTrade {
	r := rand.New(rand.NewPCG(uint64(year), 4711))
	t := &demoTrade{invoices: map[int][]partners.Invoice{}, receipts: map[int][]demoReceipt{},
		proposal: map[int]date.Date{}, dunning: map[int]date.Date{9: date.New(year, 9, 15), 11: date.New(year, 11, 28)}}
	cities := []string{"Hamburg", "Bremen", "Hannover", "Kiel", "Lübeck"}
	for i, name := range demoCustomers {
		p := partners.Party{Book: book, Number: fmt.Sprintf("%d", 10001+i), Role: partners.Customer, Name: name,
			Address: partners.Address{Street: fmt.Sprintf("Hauptstraße %d", 1+i), PostalCode: fmt.Sprintf("2%04d", 100+i*7),
				City: cities[i%len(cities)], Country: "DE"},
			Terms: partners.Terms{NetDays: []int{14, 30}[i%2]}}
		if i%3 == 0 {
			p.Terms = partners.Terms{NetDays: 30, DiscountDays: 10, DiscountRate: decimal.RequireFromString("0.02")}
		}
		t.parties = append(t.parties, p)
	}
	for i, name := range demoSuppliers {
		p := partners.Party{Book: book, Number: fmt.Sprintf("%d", 70001+i), Role: partners.Supplier, Name: name,
			Address: partners.Address{City: cities[i%len(cities)], Country: "DE"}, Terms: partners.Terms{NetDays: 30}}
		if i%2 == 0 {
			p.Terms = partners.Terms{NetDays: 30, DiscountDays: 14, DiscountRate: decimal.RequireFromString("0.03")}
		}
		t.parties = append(t.parties, p)
	}
	eur := func(cents int64) money.Amount { return money.New(cents, money.EUR) }
	d := func(m, day int) date.Date {
		first := date.New(year, time.Month(m), 1)
		return first.AddDays(min(day, first.EndOfMonth().Day()) - 1)
	}
	end := date.New(year, 12, 31)
	receipt := func(rc demoReceipt) {
		if !rc.date.After(end) {
			t.receipts[int(rc.date.Month())] = append(t.receipts[int(rc.date.Month())], rc)
		}
	}
	expenses := []string{"5000", "5000", "5000", "6400", "6410", "6500", "6600", "6700", "6210"}
	for m := 1; m <= 12; m++ {
		for i := range 25 {
			c := r.IntN(len(demoCustomers))
			party := t.parties[c]
			inv := partners.Invoice{Book: book, Key: fmt.Sprintf("demo/%d/ar/%02d-%02d", year, m, i+1),
				Kind: partners.InvoiceKind, Party: party.Number, Date: d(m, 1+r.IntN(28)), Reference: fmt.Sprintf("PO-%d", 1000+r.IntN(9000)),
				Lines: []partners.InvoiceLine{{Account: "4100", Net: eur((50000 + r.Int64N(750000)) / 100 * 100), VAT: "19"}}}
			if r.IntN(5) == 0 { // some books at the reduced rate
				inv.Lines = append(inv.Lines, partners.InvoiceLine{Account: "4100", Net: eur((5000 + r.Int64N(50000)) / 100 * 100), VAT: "7"})
			}
			t.invoices[m] = append(t.invoices[m], inv)
			due := inv.Date.AddDays(party.Terms.NetDays)
			rc := demoReceipt{key: inv.Key + "/receipt", invoice: inv.Key, party: party.Number, share: 1}
			switch x := r.IntN(100); {
			case x < 20 && party.Terms.DiscountRate.IsPositive():
				rc.date, rc.discount = inv.Date.AddDays(3+r.IntN(party.Terms.DiscountDays-2)), true
				receipt(rc)
			case x < 70:
				rc.date = inv.Date.AddDays(3 + r.IntN(party.Terms.NetDays-2))
				receipt(rc)
			case x < 82: // late
				rc.date = due.AddDays(10 + r.IntN(50))
				receipt(rc)
			case x < 92: // half now, the rest much later (or next year)
				rc.date, rc.share = due.AddDays(r.IntN(10)), 2
				receipt(rc)
				receipt(demoReceipt{key: inv.Key + "/rest", invoice: inv.Key, party: party.Number, share: 3,
					date: due.AddDays(30 + r.IntN(60))})
			} // otherwise never paid: dunned, and open at the year end
		}
		for i := range 20 {
			s := r.IntN(len(demoSuppliers))
			t.invoices[m] = append(t.invoices[m], partners.Invoice{Book: book, Key: fmt.Sprintf("demo/%d/ap/%02d-%02d", year, m, i+1),
				Kind: partners.InvoiceKind, Party: t.parties[len(demoCustomers)+s].Number, Date: d(m, 1+r.IntN(28)),
				Reference: fmt.Sprintf("R%d-%04d", year, r.IntN(10000)),
				Lines:     []partners.InvoiceLine{{Account: expenses[r.IntN(len(expenses))], Net: eur((20000 + r.Int64N(600000)) / 100 * 100), VAT: "19"}}})
		}
		t.proposal[m] = d(m, 25)
	}
	return t
}

// postMonth posts month m's invoices, receipts and supplier payments and
// runs its dunning: each step idempotent.
func (t *demoTrade) postMonth(ctx context.Context, p *partners.Parties, book string, m int, bank string) (int, error) {
	n := 0
	// The month's invoices in date order, so that numbers follow dates as
	// GoBD expects of a series.
	invs := t.invoices[m]
	slices.SortStableFunc(invs, func(a, b partners.Invoice) int { return a.Date.Compare(b.Date) })
	posted, err := p.PostBatch(ctx, invs)
	if err != nil {
		return n, err
	}
	n += len(posted)
	for _, rc := range t.receipts[m] {
		inv, err := p.InvoiceByKey(ctx, book, rc.invoice)
		if err != nil {
			return n, err
		}
		it, err := p.Item(ctx, book, inv.Number)
		if err != nil {
			return n, err
		}
		a := partners.Allocation{Item: inv.Number}
		switch {
		case rc.discount:
			disc, err := inv.Gross.MulRate(inv.DiscountRate, money.HalfUp)
			if err != nil {
				return n, err
			}
			a.Discount = disc
			a.Amount, _ = inv.Gross.Sub(disc)
		case rc.share == 2:
			a.Amount, err = inv.Gross.Div(2, money.HalfUp)
			if err != nil {
				return n, err
			}
		case rc.share == 3:
			a.Amount = it.Open
		default:
			a.Amount = inv.Gross
		}
		pay := partners.Payment{Book: book, Key: rc.key, Party: rc.party, Date: rc.date, Account: bank, Amount: a.Amount,
			Allocations: []partners.Allocation{a}}
		if _, err := p.Settle(ctx, pay); err != nil {
			if errors.Is(err, partners.ErrSettled) && rc.share == 3 {
				continue
			}
			return n, fmt.Errorf("receipt %s: %w", rc.key, err)
		}
		n++
	}
	prop, err := p.Propose(ctx, partners.ProposalSpec{Book: book, PayDate: t.proposal[m], DueBy: t.proposal[m].AddDays(14), Account: bank})
	if err != nil {
		return n, err
	}
	pays, err := p.PayProposal(ctx, prop)
	if err != nil {
		return n, err
	}
	n += len(pays)
	if d, ok := t.dunning[m]; ok {
		if _, err := p.Dun(ctx, book, d); err != nil {
			return n, err
		}
	}
	return n, nil
}

// demoVATReturn is the VAT return of the month before m, paid on the 10th
// of m: the balances of output and input VAT at the end of that month,
// which the previous return left at zero.
func demoVATReturn(ctx context.Context, l *ledger.Ledger, book string, year, m int) (ledger.Entry, bool, error) {
	prevEnd := date.New(year, time.Month(m), 1).AddDays(-1)
	out, err := l.Balance(ctx, book, "2120", prevEnd)
	if err != nil {
		return ledger.Entry{}, false, err
	}
	in, err := l.Balance(ctx, book, "1400", prevEnd)
	if err != nil {
		return ledger.Entry{}, false, err
	}
	vo, vi := out.In(money.EUR), in.In(money.EUR) // vo a credit (negative), vi a debit
	if vo.Currency().IsZero() {
		vo = money.Zero(money.EUR)
	}
	if vi.Currency().IsZero() {
		vi = money.Zero(money.EUR)
	}
	e := ledger.Entry{Book: book, Key: fmt.Sprintf("demo/%d/%02d/vat", year, m), Date: date.New(year, time.Month(m), 10),
		Journal: "TAX", Description: "VAT return"}
	if !vo.IsZero() {
		e.Lines = append(e.Lines, ledger.Line{Account: "2120", Amount: vo.Neg()})
	}
	if !vi.IsZero() {
		e.Lines = append(e.Lines, ledger.Line{Account: "1400", Amount: vi.Neg()})
	}
	due, err := vo.Add(vi) // negative: payable
	if err != nil {
		return ledger.Entry{}, false, err
	}
	if !due.IsZero() {
		e.Lines = append(e.Lines, ledger.Line{Account: "1120", Amount: due})
	}
	return e, len(e.Lines) >= 2, nil
}
