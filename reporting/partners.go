package reporting

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/partners"
)

// The partner reports: customers' and suppliers' open items.
const (
	OpenItemsReport      Kind = "open-items"      // open-item list (OPOS-Liste)
	AgingReport          Kind = "aging"           // open items by days overdue
	PartyStatementReport Kind = "party-statement" // one party's account (Kontoauszug)
	DuePaymentsReport    Kind = "due-payments"    // items due or with a cash discount in a period
)

// PartnerSource is what the partner reports read: parties, invoices, open
// items with their moves and aging, and the reconciliation of the control
// accounts. *partners.Parties satisfies it. The builders only read.
//
// A source may also implement PartnerBooks, for the company's name and the
// book's currency and fiscal year; combine them with an embedding struct:
//
//	src := struct {
//		*partners.Parties
//		*ledger.Ledger
//	}{parties, books}
//
// Without it, a report's currency is that of the book's reconciliation
// (PartnerSource.Reconcile) and Report.Company is empty.
type PartnerSource interface {
	// Party returns the version of a party in force on day d (zero: the
	// latest), or an error wrapping partners.ErrUnknownParty.
	Party(ctx context.Context, book, number string, d date.Date) (partners.Party, error)
	// List returns the version in force on day d (zero: the latest) of
	// every party of the book with one, ordered by number.
	List(ctx context.Context, book string, d date.Date) ([]partners.Party, error)
	// Invoices returns the invoices and credit notes matching q, ordered
	// by number.
	Invoices(ctx context.Context, book string, q partners.InvoiceQuery) ([]partners.Invoice, error)
	// Items returns the open items matching q, ordered by party, due date
	// and ID; with q.AsOf, open amounts as of the end of that day.
	Items(ctx context.Context, book string, q partners.ItemQuery) ([]partners.Item, error)
	// Moves returns the moves matching q, ordered by date, entry and item.
	Moves(ctx context.Context, book string, q partners.MoveQuery) ([]partners.Move, error)
	// Aging sums the open items of q.Kind by party and bucket of days
	// overdue as of q.AsOf.
	Aging(ctx context.Context, book string, q partners.AgingQuery) ([]partners.AgingRow, error)
	// Reconcile compares, for receivables and payables, Σ open items as of
	// day d with the balance of the control account as of d.
	Reconcile(ctx context.Context, book string, d date.Date) ([]partners.Reconciliation, error)
}

// PartnerBooks is an optional interface of a PartnerSource: the ledger
// book, whose name heads the report (Report.Company), whose currency is the
// report's, and whose fiscal year is a party statement's default start.
// *ledger.Ledger satisfies it.
type PartnerBooks interface {
	Book(ctx context.Context, id string) (ledger.Book, error)
}

var (
	_ PartnerSource = (*partners.Parties)(nil)
	_ PartnerBooks  = (*ledger.Ledger)(nil)
)

// PartnerOptions selects what a partner report covers. Each builder
// documents the fields it reads; a field it does not read that is set is
// ErrOption rather than ignored.
type PartnerOptions struct {
	// Kind is partners.Receivable (customers) or partners.Payable
	// (suppliers); zero means receivables, except for DuePayments, where it
	// means payables. Anything else is ErrOption.
	Kind partners.ItemKind
	// Party restricts the report to one party, by number, if set.
	Party string
	// AsOf is the day an open-item list or aging is as of: open amounts
	// and days overdue at the end of that day. Required by OpenItems and
	// Aging (ErrRange).
	AsOf date.Date
	// From and To bound a party statement or a due-payments list,
	// inclusive. To is required; a zero From means the first day of the
	// fiscal year To falls in; From after To is ErrRange.
	From, To date.Date
	// Limits are the aging buckets' upper bounds in days overdue (see
	// partners.AgingQuery); nil means partners.StandardLimits.
	Limits []int
	// Now stamps Report.Generated; nil means time.Now.
	Now func() time.Time
	// Language is the language of the report's frame, as Options.Language.
	Language string
}

// OpenItems builds the open-item list (OPOS-Liste) of receivables or
// payables (opts.Kind) as of opts.AsOf: the items with something open at
// the end of that day, grouped by party (ordered by number), each party
// with a heading row, a row per item ordered by due date, and a subtotal;
// then a total row over the subtotals.
//
// Rows:
//
//	HeadingRow   level 0  "NUMBER Name" of the party
//	DetailRow    level 1  one per open item; "label" is the item's ID
//	SubtotalRow  level 0  "Total NUMBER": Σ "amount" and Σ "open" of the party's items (Terms)
//	TotalRow     level 0  "Total": Σ of the subtotals (Terms)
//
// Columns: "party" (the party's number), "label", "date" (the invoice
// date), "due" (the due date), "days_overdue" (days from the due date to
// AsOf as an integer: negative while the item is not yet due), "amount"
// (the item's gross amount) and "open" (what is open of it as of AsOf),
// both positive in the item's direction. Names are those of the parties'
// versions in force on AsOf (the latest, for a party recorded later).
//
// Without opts.Party the report checks that Σ open items equals the
// balance of the control account as of AsOf (from partners'
// reconciliation, positive in the items' direction): the open items
// reconcile with the receivables or payables account. A report of one
// party has no check.
//
// Report.To is AsOf and From is zero; Filter names the kind and the party.
// OpenItems reads opts.Kind, Party, AsOf and Now; From, To or Limits are
// ErrOption. An item in another currency than the report's is
// ErrCurrency. It is safe for concurrent use if src is.
func OpenItems(ctx context.Context, src PartnerSource, book string, opts PartnerOptions) (Report, error) {
	r, err := openItems(ctx, src, book, opts)
	if err != nil {
		return Report{}, fmt.Errorf("open items of %s: %w", book, err)
	}
	return r, nil
}

// Aging builds the aging of receivables or payables (opts.Kind) as of
// opts.AsOf: per party (ordered by number), what is open by bucket of days
// overdue, from the store's aggregate (partners.Parties.Aging). Parties
// with nothing open are left out.
//
// Columns: "party" (the number), "label" (the name, of the version in
// force on AsOf), one amount column per bucket of opts.Limits (nil:
// partners.StandardLimits) and "total". With the standard limits the
// buckets are "not_due" (Not due: 0 days overdue or less), "days_1_30"
// (1–30), "days_31_60" (31–60), "days_61_90" (61–90) and "days_over_90"
// (> 90); other limits give keys and labels of the same form, the first
// bucket "days_to_N" (≤ N) unless N is 0. Detail rows are at level 0; the
// total row adds them (Terms).
//
// Checks: Σ of the buckets' totals = Σ of the parties' totals and, without
// opts.Party, Σ totals = the balance of the control account as of AsOf,
// as for OpenItems.
//
// Report.To is AsOf and From is zero. Aging reads opts.Kind, Party, AsOf,
// Limits and Now; From or To are ErrOption. Invalid limits fail as
// partners.Parties.Aging does (partners.ErrInvalid). It is safe for
// concurrent use if src is.
func Aging(ctx context.Context, src PartnerSource, book string, opts PartnerOptions) (Report, error) {
	r, err := aging(ctx, src, book, opts)
	if err != nil {
		return Report{}, fmt.Errorf("aging of %s: %w", book, err)
	}
	return r, nil
}

// PartyStatement builds the statement of one party's account
// (Kontoauszug) for opts.From–To: what was open at the end of the day
// before From, then in order of date (and ledger entry) every invoice and
// credit note of the party, every opening item, and every payment, cash
// discount and write-off that reduced one of its items, with a running
// balance, and the closing balance. A zero From means the first day of the
// fiscal year To falls in (of the calendar year, if src does not implement
// PartnerBooks).
//
// Rows, all at level 0:
//
//	DetailRow  "Opening balance": "date" From, "balance" Σ open items at the end of From − 1
//	DetailRow  one per document or move: "label" Invoice, Credit note,
//	           Opening item, Payment, Cash discount or Write-off
//	TotalRow   "Total": Σ "debit", Σ "credit" (Terms); "balance" blank
//	DetailRow  "Closing balance": "date" To, "balance" at To
//
// Columns: "date", "document" (the invoice or credit-note number, the
// payment's key, or the opening item's ID), "label", "item" (the item the
// row opens or reduces), "debit" and "credit" (the one that does not apply
// is blank) as on the party's personal account — a customer's invoices are
// debits and payments credits, a supplier's the other way round — and
// "balance", positive in the items' direction: what the customer owes the
// book, or what the book owes the supplier.
//
// The check is closing balance = Σ open items of the party as of To, which
// proves that no document or move is missing from the statement.
//
// The title names the party's number and name (of the version in force on
// To, or the latest). An unknown party is partners.ErrUnknownParty.
// PartyStatement reads opts.From, To and Now; Kind, Party, AsOf or Limits
// are ErrOption. It is safe for concurrent use if src is.
func PartyStatement(ctx context.Context, src PartnerSource, book, party string, opts PartnerOptions) (Report, error) {
	r, err := partyStatement(ctx, src, book, party, opts)
	if err != nil {
		return Report{}, fmt.Errorf("statement of party %s in %s: %w", party, book, err)
	}
	return r, nil
}

// DuePayments builds the list of payables (opts.Kind zero or
// partners.Payable) or receivables that fall due in opts.From–To or whose
// cash-discount date does: the items open at the end of To, grouped by
// party, with the discount still to be had by paying on the discount date
// and what is left to pay then. An item with a discount date on or after
// From offers its discount (its amount × its discount rate, rounded
// half up, at most what is open); one whose discount date has
// passed before From, or without discount terms, offers none. Items due
// before From are not listed (they are in the open-item list). A zero
// From means the first day of the fiscal year To falls in, as for
// PartyStatement.
//
// Rows:
//
//	DetailRow    level 1  one per item, ordered by due date and ID
//	SubtotalRow  level 0  "Total NUMBER": the party's sums (Terms)
//	TotalRow     level 0  "Total": Σ of the subtotals (Terms)
//
// Columns: "party" (the number), "name" (of the version in force on To),
// "label" (the item's ID), "due", "discount_date" (blank without a
// discount), "open" (as of To), "discount" (blank without a discount) and
// "pay" (open − discount). The check is Σ open − Σ discount = Σ pay.
//
// DuePayments reads opts.Kind, Party, From, To and Now; AsOf or Limits
// are ErrOption. It is safe for concurrent use if src is.
func DuePayments(ctx context.Context, src PartnerSource, book string, opts PartnerOptions) (Report, error) {
	r, err := duePayments(ctx, src, book, opts)
	if err != nil {
		return Report{}, fmt.Errorf("due payments of %s: %w", book, err)
	}
	return r, nil
}

// partnerKind returns opts.Kind, or def if it is zero.
func partnerKind(k, def partners.ItemKind) (partners.ItemKind, error) {
	switch k {
	case "":
		return def, nil
	case partners.Receivable, partners.Payable:
		return k, nil
	}
	return "", fmt.Errorf("%w: kind %q (want %s or %s)", ErrOption, k, partners.Receivable, partners.Payable)
}

// kindNoun names the items of kind k in titles.
func kindNoun(k partners.ItemKind) string {
	if k == partners.Payable {
		return "payables"
	}
	return "receivables"
}

// partnerReport starts a partner report. With src's PartnerBooks it reads
// the book (returned, for its fiscal year); without, the report's currency
// is that of the reconciliation as of asOf, which it then returns too.
// title gives the report's title in the report's language, which is
// lang or the book's.
func partnerReport(ctx context.Context, src PartnerSource, book string, k Kind, title func(*Messages) string, from, to, asOf date.Date, now func() time.Time, lang string) (Report, *ledger.Book, []partners.Reconciliation, error) {
	b := ledger.Book{ID: book}
	var read *ledger.Book
	var recs []partners.Reconciliation
	if books, ok := src.(PartnerBooks); ok {
		var err error
		if b, err = books.Book(ctx, book); err != nil {
			return Report{}, nil, nil, err
		}
		read = &b
	} else {
		var err error
		if recs, err = src.Reconcile(ctx, book, asOf); err != nil {
			return Report{}, nil, nil, err
		}
		if len(recs) > 0 {
			b.Currency = recs[0].Items.Currency()
		}
	}
	if b.Currency.IsZero() {
		return Report{}, nil, nil, fmt.Errorf("%w: the book has no currency", ErrCurrency)
	}
	msg, err := language(ctx, src, book, lang)
	if err != nil {
		return Report{}, nil, nil, err
	}
	r := header(msg, k, "", b, b.Currency, from, to, Options{Now: now})
	r.Title = title(msg)
	return r, read, recs, nil
}

// reconciliation returns the reconciliation of kind k as of d, reading it
// unless recs holds it already.
func reconciliation(ctx context.Context, src PartnerSource, book string, k partners.ItemKind, d date.Date, recs []partners.Reconciliation) (partners.Reconciliation, error) {
	if recs == nil {
		var err error
		if recs, err = src.Reconcile(ctx, book, d); err != nil {
			return partners.Reconciliation{}, err
		}
	}
	for _, rec := range recs {
		if rec.Kind == k {
			return rec, nil
		}
	}
	return partners.Reconciliation{}, fmt.Errorf("%w: no reconciliation of %s", ErrInconsistent, k)
}

// reconcileCheck is the check that Σ open items (total, from the report's
// rows) equals the balance of the control account.
func reconcileCheck(msg *Messages, total money.Amount, rec partners.Reconciliation, cur money.Currency) (Check, error) {
	bal, err := inCur(rec.Balance, cur)
	if err != nil {
		return Check{}, fmt.Errorf("account %s: %w", rec.Account, err)
	}
	return Check{Label: msg.Sprintf("Σ open items = balance of account %s", rec.Account), Left: total, Right: bal}, nil
}

// partyNames returns the names of the parties numbered in numbers, from
// the versions in force on d, or the latest for a party with none yet.
func partyNames(ctx context.Context, src PartnerSource, book string, d date.Date, numbers []string) (map[string]string, error) {
	names := map[string]string{}
	if len(numbers) == 0 {
		return names, nil
	}
	list, err := src.List(ctx, book, d)
	if err != nil {
		return nil, err
	}
	for _, p := range list {
		names[p.Number] = p.Name
	}
	for _, n := range numbers {
		if _, ok := names[n]; ok {
			continue
		}
		// A party whose first version is valid only after d.
		if list, err = src.List(ctx, book, date.Date{}); err != nil {
			return nil, err
		}
		for _, p := range list {
			if _, ok := names[p.Number]; !ok {
				names[p.Number] = p.Name
			}
		}
		break
	}
	return names, nil
}

// partyLabel is "NUMBER Name", or the number alone without a name.
func partyLabel(number, name string) string {
	if name == "" {
		return number
	}
	return number + " " + name
}

func dateCell(d date.Date) Cell {
	if d.IsZero() {
		return blankCell()
	}
	return Cell{Date: d}
}

func amountCell(a money.Amount) Cell { return Cell{Amount: a} }

// itemAmounts returns an item's amount and open amount in cur.
func itemAmounts(it partners.Item, cur money.Currency) (amount, open money.Amount, err error) {
	if amount, err = inCur(it.Amount, cur); err != nil {
		return amount, open, fmt.Errorf("item %s: %w", it.ID, err)
	}
	if open, err = inCur(it.Open, cur); err != nil {
		return amount, open, fmt.Errorf("item %s: %w", it.ID, err)
	}
	return amount, open, nil
}

// sums adds amount columns and turns them into amounts.
type sums []sum

func (s sums) add(amts ...money.Amount) {
	for i, a := range amts {
		s[i].add(a.MinorUnits())
	}
}

func (s sums) amounts(cur money.Currency) ([]money.Amount, error) {
	out := make([]money.Amount, len(s))
	for i := range s {
		if s[i].err != nil {
			return nil, s[i].err
		}
		out[i] = money.New(s[i].n, cur)
	}
	return out, nil
}

func openItems(ctx context.Context, src PartnerSource, book string, opts PartnerOptions) (Report, error) {
	switch {
	case !opts.From.IsZero() || !opts.To.IsZero():
		return Report{}, fmt.Errorf("%w: a date range (the list is as of AsOf)", ErrOption)
	case opts.Limits != nil:
		return Report{}, fmt.Errorf("%w: aging limits", ErrOption)
	case opts.AsOf.IsZero():
		return Report{}, fmt.Errorf("%w: no as-of date", ErrRange)
	}
	kind, err := partnerKind(opts.Kind, partners.Receivable)
	if err != nil {
		return Report{}, err
	}
	r, _, recs, err := partnerReport(ctx, src, book, OpenItemsReport, func(m *Messages) string { return m.Sprintf("Open items (%s)", m.Text(kindNoun(kind))) },
		date.Date{}, opts.AsOf, opts.AsOf, opts.Now, opts.Language)
	if err != nil {
		return Report{}, err
	}
	msg := MessagesFor(r.Language)
	cur := r.Currency
	r.addFilter("kind=" + string(kind))
	if opts.Party != "" {
		r.addFilter("party=" + opts.Party)
	}
	items, err := src.Items(ctx, book, partners.ItemQuery{Party: opts.Party, Kind: kind, AsOf: opts.AsOf, OpenOnly: true})
	if err != nil {
		return Report{}, err
	}
	var numbers []string
	for _, it := range items {
		if len(numbers) == 0 || numbers[len(numbers)-1] != it.Party {
			numbers = append(numbers, it.Party)
		}
	}
	names, err := partyNames(ctx, src, book, opts.AsOf, numbers)
	if err != nil {
		return Report{}, err
	}
	r.Columns = []Column{
		{Key: "party", Label: msg.Text("Party"), Kind: TextColumn},
		{Key: "label", Label: msg.Text("Item"), Kind: TextColumn},
		{Key: "date", Label: msg.Text("Invoice date"), Kind: DateColumn},
		{Key: "due", Label: msg.Text("Due date"), Kind: DateColumn},
		{Key: "days_overdue", Label: msg.Text("Days overdue"), Kind: TextColumn},
		{Key: "amount", Label: msg.Text("Amount"), Kind: AmountColumn, To: opts.AsOf},
		{Key: "open", Label: msg.Text("Open"), Kind: AmountColumn, To: opts.AsOf},
	}
	blank := blankCell()
	total := make(sums, 2)
	var totalTerms []Term
	for i := 0; i < len(items); {
		party := items[i].Party
		j := i
		for j < len(items) && items[j].Party == party {
			j++
		}
		label := partyLabel(party, names[party])
		r.Rows = append(r.Rows, Row{Kind: HeadingRow, Level: 0, Label: label,
			Cells: []Cell{textCell(party), textCell(label), blank, blank, blank, blank, blank}})
		sub := make(sums, 2)
		var terms []Term
		for _, it := range items[i:j] {
			amount, open, err := itemAmounts(it, cur)
			if err != nil {
				return Report{}, err
			}
			r.Rows = append(r.Rows, Row{Kind: DetailRow, Level: 1, Label: it.ID, Cells: []Cell{
				textCell(party), textCell(it.ID), dateCell(it.Date), dateCell(it.DueDate),
				textCell(strconv.Itoa(it.DueDate.DaysUntil(opts.AsOf))), amountCell(amount), amountCell(open)}})
			terms = append(terms, Term{Row: len(r.Rows) - 1})
			sub.add(amount, open)
		}
		amts, err := sub.amounts(cur)
		if err != nil {
			return Report{}, err
		}
		r.Rows = append(r.Rows, Row{Kind: SubtotalRow, Level: 0, Label: msg.Sprintf("Total %s", party), Terms: terms,
			Cells: []Cell{textCell(party), textCell("Total " + party), blank, blank, blank, amountCell(amts[0]), amountCell(amts[1])}})
		totalTerms = append(totalTerms, Term{Row: len(r.Rows) - 1})
		total.add(amts...)
		i = j
	}
	amts, err := total.amounts(cur)
	if err != nil {
		return Report{}, err
	}
	r.Rows = append(r.Rows, Row{Kind: TotalRow, Level: 0, Label: msg.Text("Total"), Terms: totalTerms,
		Cells: []Cell{textCell(""), textCell(msg.Text("Total")), blank, blank, blank, amountCell(amts[0]), amountCell(amts[1])}})
	if opts.Party == "" {
		rec, err := reconciliation(ctx, src, book, kind, opts.AsOf, recs)
		if err != nil {
			return Report{}, err
		}
		c, err := reconcileCheck(msg, amts[1], rec, cur)
		if err != nil {
			return Report{}, err
		}
		r.Checks = append(r.Checks, c)
	}
	return r, nil
}

// bucketColumns returns the amount columns of the aging buckets of limits.
func bucketColumns(msg *Messages, limits []int, asOf date.Date) []Column {
	out := make([]Column, 0, len(limits)+1)
	for i := 0; i <= len(limits); i++ {
		var key, label string
		switch {
		case i == 0 && limits[0] == 0:
			key, label = "not_due", msg.Text("Not due")
		case i == 0:
			key, label = fmt.Sprintf("days_to_%d", limits[0]), fmt.Sprintf("≤ %d", limits[0])
		case i == len(limits):
			key, label = fmt.Sprintf("days_over_%d", limits[i-1]), fmt.Sprintf("> %d", limits[i-1])
		case limits[i-1]+1 == limits[i]:
			key, label = fmt.Sprintf("days_%d", limits[i]), strconv.Itoa(limits[i])
		default:
			key = fmt.Sprintf("days_%d_%d", limits[i-1]+1, limits[i])
			label = fmt.Sprintf("%d–%d", limits[i-1]+1, limits[i])
		}
		out = append(out, Column{Key: key, Label: label, Kind: AmountColumn, To: asOf})
	}
	return out
}

func aging(ctx context.Context, src PartnerSource, book string, opts PartnerOptions) (Report, error) {
	switch {
	case !opts.From.IsZero() || !opts.To.IsZero():
		return Report{}, fmt.Errorf("%w: a date range (the aging is as of AsOf)", ErrOption)
	case opts.AsOf.IsZero():
		return Report{}, fmt.Errorf("%w: no as-of date", ErrRange)
	}
	kind, err := partnerKind(opts.Kind, partners.Receivable)
	if err != nil {
		return Report{}, err
	}
	limits := opts.Limits
	if limits == nil {
		limits = partners.StandardLimits
	}
	r, _, recs, err := partnerReport(ctx, src, book, AgingReport, func(m *Messages) string { return m.Sprintf("Aging of %s", m.Text(kindNoun(kind))) },
		date.Date{}, opts.AsOf, opts.AsOf, opts.Now, opts.Language)
	if err != nil {
		return Report{}, err
	}
	msg := MessagesFor(r.Language)
	cur := r.Currency
	r.addFilter("kind=" + string(kind))
	if opts.Party != "" {
		r.addFilter("party=" + opts.Party)
	}
	rows, err := src.Aging(ctx, book, partners.AgingQuery{Kind: kind, AsOf: opts.AsOf, Party: opts.Party, Limits: limits})
	if err != nil {
		return Report{}, err
	}
	numbers := make([]string, len(rows))
	for i, row := range rows {
		numbers[i] = row.Party
	}
	names, err := partyNames(ctx, src, book, opts.AsOf, numbers)
	if err != nil {
		return Report{}, err
	}
	nb := len(limits) + 1
	r.Columns = append([]Column{
		{Key: "party", Label: msg.Text("Party"), Kind: TextColumn},
		{Key: "label", Label: msg.Text("Name"), Kind: TextColumn},
	}, bucketColumns(msg, limits, opts.AsOf)...)
	r.Columns = append(r.Columns, Column{Key: "total", Label: msg.Text("Total"), Kind: AmountColumn, To: opts.AsOf})
	total := make(sums, nb+1)
	var terms []Term
	for _, row := range rows {
		if len(row.Buckets) != nb {
			return Report{}, fmt.Errorf("%w: party %s has %d aging buckets for %d limits", ErrInconsistent, row.Party, len(row.Buckets), len(limits))
		}
		amts := make([]money.Amount, nb+1) // the buckets, then the total
		for k := range amts {
			a := row.Total
			if k < nb {
				a = row.Buckets[k]
			}
			if amts[k], err = inCur(a, cur); err != nil {
				return Report{}, fmt.Errorf("party %s: %w", row.Party, err)
			}
		}
		cells := []Cell{textCell(row.Party), textCell(names[row.Party])}
		for _, a := range amts {
			cells = append(cells, amountCell(a))
		}
		r.Rows = append(r.Rows, Row{Kind: DetailRow, Level: 0, Label: names[row.Party], Cells: cells})
		terms = append(terms, Term{Row: len(r.Rows) - 1})
		total.add(amts...)
	}
	amts, err := total.amounts(cur)
	if err != nil {
		return Report{}, err
	}
	cells := []Cell{textCell(""), textCell(msg.Text("Total"))}
	var buckets sum
	for k, a := range amts {
		cells = append(cells, amountCell(a))
		if k < nb {
			buckets.add(a.MinorUnits())
		}
	}
	if buckets.err != nil {
		return Report{}, buckets.err
	}
	r.Rows = append(r.Rows, Row{Kind: TotalRow, Level: 0, Label: msg.Text("Total"), Terms: terms, Cells: cells})
	r.Checks = []Check{{Label: msg.Text("Σ buckets = Σ totals"), Left: money.New(buckets.n, cur), Right: amts[nb]}}
	if opts.Party == "" {
		rec, err := reconciliation(ctx, src, book, kind, opts.AsOf, recs)
		if err != nil {
			return Report{}, err
		}
		c, err := reconcileCheck(msg, amts[nb], rec, cur)
		if err != nil {
			return Report{}, err
		}
		r.Checks = append(r.Checks, c)
	}
	return r, nil
}

// statementLine is one document or move of a party statement.
type statementLine struct {
	date        date.Date
	entry       uint64
	order       int // documents before moves of one entry
	document    string
	label, item string
	amount      money.Amount // positive: raises what is open
}

func partyStatement(ctx context.Context, src PartnerSource, book, number string, opts PartnerOptions) (Report, error) {
	switch {
	case opts.Kind != "":
		return Report{}, fmt.Errorf("%w: a kind (the party's role decides)", ErrOption)
	case opts.Party != "":
		return Report{}, fmt.Errorf("%w: a party option (the party is an argument)", ErrOption)
	case !opts.AsOf.IsZero():
		return Report{}, fmt.Errorf("%w: an as-of date (a statement covers From–To)", ErrOption)
	case opts.Limits != nil:
		return Report{}, fmt.Errorf("%w: aging limits", ErrOption)
	case opts.To.IsZero():
		return Report{}, fmt.Errorf("%w: no end date", ErrRange)
	}
	to := opts.To
	party, err := src.Party(ctx, book, number, to)
	if errors.Is(err, partners.ErrUnknownParty) {
		party, err = src.Party(ctx, book, number, date.Date{}) // first valid after To
	}
	if err != nil {
		return Report{}, err
	}
	r, b, _, err := partnerReport(ctx, src, book, PartyStatementReport,
		func(m *Messages) string {
			return m.Sprintf("Statement of account %s", partyLabel(party.Number, party.Name))
		},
		date.Date{}, to, to, opts.Now, opts.Language)
	if err != nil {
		return Report{}, err
	}
	msg := MessagesFor(r.Language)
	from, err := partnerFrom(b, opts.From, to)
	if err != nil {
		return Report{}, err
	}
	r.From = from
	r.addFilter("party=" + party.Number)
	cur := r.Currency
	zero := money.Zero(cur)

	// What was open at the end of the day before From.
	opening := zero
	if from != date.New(1, time.January, 1) {
		before, err := src.Items(ctx, book, partners.ItemQuery{Party: number, AsOf: from.AddDays(-1), OpenOnly: true})
		if err != nil {
			return Report{}, err
		}
		var s sum
		for _, it := range before {
			_, open, err := itemAmounts(it, cur)
			if err != nil {
				return Report{}, err
			}
			s.add(open.MinorUnits())
		}
		if s.err != nil {
			return Report{}, s.err
		}
		opening = money.New(s.n, cur)
	}

	// Everything that changed what is open, From–To.
	var lines []statementLine
	invoices, err := src.Invoices(ctx, book, partners.InvoiceQuery{Party: number, From: from, To: to})
	if err != nil {
		return Report{}, err
	}
	for _, inv := range invoices {
		g, err := inCur(inv.Gross, cur)
		if err != nil {
			return Report{}, fmt.Errorf("invoice %s: %w", inv.Number, err)
		}
		l := statementLine{date: inv.Date, entry: inv.Entry, document: inv.Number, label: msg.Text("Invoice"), item: inv.Number, amount: g}
		if inv.Kind == partners.CreditNoteKind {
			l.label, l.item, l.amount = msg.Text("Credit note"), inv.Corrects, g.Neg()
		}
		lines = append(lines, l)
	}
	items, err := src.Items(ctx, book, partners.ItemQuery{Party: number, AsOf: to})
	if err != nil {
		return Report{}, err
	}
	var closing sum
	for _, it := range items {
		amount, open, err := itemAmounts(it, cur)
		if err != nil {
			return Report{}, err
		}
		closing.add(open.MinorUnits())
		if it.Invoice == "" && !it.Date.Before(from) { // an opening item; invoices' items come with them
			lines = append(lines, statementLine{date: it.Date, entry: it.Entry, document: it.ID, label: msg.Text("Opening item"), item: it.ID, amount: amount})
		}
	}
	if closing.err != nil {
		return Report{}, closing.err
	}
	moves, err := src.Moves(ctx, book, partners.MoveQuery{Party: number, From: from, To: to})
	if err != nil {
		return Report{}, err
	}
	for _, m := range moves {
		var label string
		switch m.Kind {
		case partners.CreditMove:
			continue // the credit note is a line of its own
		case partners.PaymentMove:
			label = msg.Text("Payment")
		case partners.DiscountMove:
			label = msg.Text("Cash discount")
		case partners.WriteOffMove:
			label = msg.Text("Write-off")
		default:
			label = string(m.Kind)
		}
		a, err := inCur(m.Amount, cur)
		if err != nil {
			return Report{}, fmt.Errorf("move of item %s: %w", m.Item, err)
		}
		lines = append(lines, statementLine{date: m.Date, entry: m.Entry, order: 1, document: m.Ref, label: label, item: m.Item, amount: a.Neg()})
	}
	slices.SortStableFunc(lines, func(a, b statementLine) int {
		return cmp.Or(a.date.Compare(b.date), cmp.Compare(a.entry, b.entry), cmp.Compare(a.order, b.order))
	})

	r.Columns = []Column{
		{Key: "date", Label: msg.Text("Date"), Kind: DateColumn},
		{Key: "document", Label: msg.Text("Document"), Kind: TextColumn},
		{Key: "label", Label: msg.Text("Text"), Kind: TextColumn},
		{Key: "item", Label: msg.Text("Item"), Kind: TextColumn},
		{Key: "debit", Label: msg.Text("Debit"), Kind: AmountColumn, From: from, To: to},
		{Key: "credit", Label: msg.Text("Credit"), Kind: AmountColumn, From: from, To: to},
		{Key: "balance", Label: msg.Text("Balance"), Kind: AmountColumn},
	}
	blank := blankCell()
	// debitUp: an amount that raises what is open is a debit (customers).
	debitUp := party.Role != partners.Supplier
	r.Rows = append(r.Rows, Row{Kind: DetailRow, Label: msg.Text("Opening balance"),
		Cells: []Cell{dateCell(from), textCell(""), textCell(msg.Text("Opening balance")), textCell(""), blank, blank, amountCell(opening)}})
	var balance sum
	balance.add(opening.MinorUnits())
	dc := make(sums, 2)
	var terms []Term
	for _, l := range lines {
		balance.add(l.amount.MinorUnits())
		if balance.err != nil {
			return Report{}, balance.err
		}
		debit, credit := blank, blank
		if (l.amount.IsPositive() || l.amount.IsZero()) == debitUp {
			debit = amountCell(abs(l.amount))
			dc.add(abs(l.amount), zero)
		} else {
			credit = amountCell(abs(l.amount))
			dc.add(zero, abs(l.amount))
		}
		r.Rows = append(r.Rows, Row{Kind: DetailRow, Label: l.label, Cells: []Cell{dateCell(l.date), textCell(l.document),
			textCell(l.label), textCell(l.item), debit, credit, amountCell(money.New(balance.n, cur))}})
		terms = append(terms, Term{Row: len(r.Rows) - 1})
	}
	amts, err := dc.amounts(cur)
	if err != nil {
		return Report{}, err
	}
	r.Rows = append(r.Rows, Row{Kind: TotalRow, Label: msg.Text("Total"), Terms: terms,
		Cells: []Cell{blank, textCell(""), textCell(msg.Text("Total")), textCell(""), amountCell(amts[0]), amountCell(amts[1]), blank}})
	end := money.New(balance.n, cur)
	r.Rows = append(r.Rows, Row{Kind: DetailRow, Label: msg.Text("Closing balance"),
		Cells: []Cell{dateCell(to), textCell(""), textCell(msg.Text("Closing balance")), textCell(""), blank, blank, amountCell(end)}})
	r.Checks = []Check{{Label: msg.Sprintf("closing balance = Σ open items of %s", party.Number), Left: end, Right: money.New(closing.n, cur)}}
	return r, nil
}

// partnerFrom returns from, or for a zero from the first day of the fiscal
// year of to (of its calendar year if the book b was not read); from after
// to is ErrRange.
func partnerFrom(b *ledger.Book, from, to date.Date) (date.Date, error) {
	if from.IsZero() {
		from = date.New(to.Year(), time.January, 1)
		if b != nil {
			var err error
			if from, _, err = fiscalYear(*b, to); err != nil {
				return from, err
			}
		}
	}
	if from.After(to) {
		return from, fmt.Errorf("%w: from %s is after to %s", ErrRange, from, to)
	}
	return from, nil
}

// abs returns a without its sign.
func abs(a money.Amount) money.Amount {
	if a.IsNegative() {
		return a.Neg()
	}
	return a
}

func duePayments(ctx context.Context, src PartnerSource, book string, opts PartnerOptions) (Report, error) {
	switch {
	case !opts.AsOf.IsZero():
		return Report{}, fmt.Errorf("%w: an as-of date (the list covers From–To)", ErrOption)
	case opts.Limits != nil:
		return Report{}, fmt.Errorf("%w: aging limits", ErrOption)
	case opts.To.IsZero():
		return Report{}, fmt.Errorf("%w: no end date", ErrRange)
	}
	kind, err := partnerKind(opts.Kind, partners.Payable)
	if err != nil {
		return Report{}, err
	}
	to := opts.To
	r, b, _, err := partnerReport(ctx, src, book, DuePaymentsReport, func(m *Messages) string { return m.Sprintf("Due payments (%s)", m.Text(kindNoun(kind))) },
		date.Date{}, to, to, opts.Now, opts.Language)
	if err != nil {
		return Report{}, err
	}
	msg := MessagesFor(r.Language)
	from, err := partnerFrom(b, opts.From, to)
	if err != nil {
		return Report{}, err
	}
	r.From = from
	cur := r.Currency
	r.addFilter("kind=" + string(kind))
	if opts.Party != "" {
		r.addFilter("party=" + opts.Party)
	}
	all, err := src.Items(ctx, book, partners.ItemQuery{Party: opts.Party, Kind: kind, AsOf: to, OpenOnly: true})
	if err != nil {
		return Report{}, err
	}
	in := func(d date.Date) bool { return !d.IsZero() && !d.Before(from) && !d.After(to) }
	var items []partners.Item
	var numbers []string
	for _, it := range all {
		if !in(it.DueDate) && !in(it.DiscountDate) {
			continue
		}
		items = append(items, it)
		if len(numbers) == 0 || numbers[len(numbers)-1] != it.Party {
			numbers = append(numbers, it.Party)
		}
	}
	names, err := partyNames(ctx, src, book, to, numbers)
	if err != nil {
		return Report{}, err
	}
	r.Columns = []Column{
		{Key: "party", Label: msg.Text("Party"), Kind: TextColumn},
		{Key: "name", Label: msg.Text("Name"), Kind: TextColumn},
		{Key: "label", Label: msg.Text("Item"), Kind: TextColumn},
		{Key: "due", Label: msg.Text("Due date"), Kind: DateColumn},
		{Key: "discount_date", Label: msg.Text("Discount date"), Kind: DateColumn},
		{Key: "open", Label: msg.Text("Open"), Kind: AmountColumn, To: to},
		{Key: "discount", Label: msg.Text("Cash discount"), Kind: AmountColumn},
		{Key: "pay", Label: msg.Text("To pay"), Kind: AmountColumn},
	}
	blank := blankCell()
	total := make(sums, 3)
	var totalTerms []Term
	for i := 0; i < len(items); {
		party := items[i].Party
		j := i
		for j < len(items) && items[j].Party == party {
			j++
		}
		sub := make(sums, 3)
		var terms []Term
		for _, it := range items[i:j] {
			_, open, err := itemAmounts(it, cur)
			if err != nil {
				return Report{}, err
			}
			discDate, disc, discount := blank, blank, money.Zero(cur)
			if !it.DiscountDate.IsZero() && !it.DiscountDate.Before(from) && it.DiscountRate.IsPositive() {
				if discount, err = partners.MaxDiscount(it); err != nil {
					return Report{}, err
				}
				discDate, disc = dateCell(it.DiscountDate), amountCell(discount)
			}
			pay, err := open.Sub(discount)
			if err != nil {
				return Report{}, fmt.Errorf("item %s: %w", it.ID, err)
			}
			r.Rows = append(r.Rows, Row{Kind: DetailRow, Level: 1, Label: it.ID, Cells: []Cell{
				textCell(party), textCell(names[party]), textCell(it.ID), dateCell(it.DueDate), discDate,
				amountCell(open), disc, amountCell(pay)}})
			terms = append(terms, Term{Row: len(r.Rows) - 1})
			sub.add(open, discount, pay)
		}
		amts, err := sub.amounts(cur)
		if err != nil {
			return Report{}, err
		}
		r.Rows = append(r.Rows, Row{Kind: SubtotalRow, Level: 0, Label: msg.Sprintf("Total %s", party), Terms: terms, Cells: []Cell{
			textCell(party), textCell(names[party]), textCell("Total " + party), blank, blank,
			amountCell(amts[0]), amountCell(amts[1]), amountCell(amts[2])}})
		totalTerms = append(totalTerms, Term{Row: len(r.Rows) - 1})
		total.add(amts...)
		i = j
	}
	amts, err := total.amounts(cur)
	if err != nil {
		return Report{}, err
	}
	r.Rows = append(r.Rows, Row{Kind: TotalRow, Level: 0, Label: msg.Text("Total"), Terms: totalTerms, Cells: []Cell{
		textCell(""), textCell(""), textCell(msg.Text("Total")), blank, blank, amountCell(amts[0]), amountCell(amts[1]), amountCell(amts[2])}})
	net, err := amts[0].Sub(amts[1])
	if err != nil {
		return Report{}, err
	}
	r.Checks = []Check{{Label: msg.Text("Σ open − Σ cash discount = Σ to pay"), Left: net, Right: amts[2]}}
	return r, nil
}
