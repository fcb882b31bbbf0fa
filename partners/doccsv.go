package partners

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/internal/csvio"
	"github.com/openbackoffice/backoffice/money"
)

// Columns of the invoices CSV format, in the order WriteInvoices writes
// them: the document's columns, then the line's; see ReadInvoices.
var (
	invoiceDocColumns = []string{"key", "kind", "series", "party", "date", "due_date", "discount_date",
		"discount_percent", "currency", "reference", "corrects", "text"}
	invoiceLineColumns = []string{"account", "net", "vat", "cost_centre", "line_text"}
	invoiceRequired    = []string{"key", "party", "date", "account", "net", "vat"}
)

// Columns of the payments CSV format, in the order WritePayments writes
// them: the payment's columns, then the allocation's; see ReadPayments.
var (
	paymentDocColumns   = []string{"key", "party", "date", "account", "amount", "end_to_end_id", "text"}
	paymentAllocColumns = []string{"item", "paid", "discount", "writeoff"}
	paymentRequired     = []string{"key", "party", "date", "amount"}
)

// maxKeyLen is the longest document or payment key, in bytes, that Post
// and Settle accept.
const maxKeyLen = 200

// ReadInvoices parses invoices and credit notes in CSV for book, ready
// for Parties.PostBatch: one row per invoice line, the rows of one
// document consecutive and sharing its key. The file's form is that of
// ReadParties: the first row names the columns (case-insensitive, in any
// order), the separator is ',' or ';', detected from that row, a UTF-8
// byte order mark is ignored and cells are trimmed of surrounding white
// space.
//
// The document's columns are read from its first row; on its later rows
// they must be empty or hold the same text (key excepted, which every row
// holds):
//
//	key               required; the document's key (Invoice.Key), 1–200 bytes
//	kind              invoice or credit_note (any case); empty means invoice
//	series            the number series, at most 20 characters without spaces or
//	                  '/'; empty for the default
//	party             required; the party number
//	date              required; the invoice date, YYYY-MM-DD
//	due_date          YYYY-MM-DD, not before date; empty for the party's terms
//	discount_date     YYYY-MM-DD, from date to due_date, given with
//	discount_percent  the cash discount as a percentage below 100, "2" or "2.5"
//	                  ("2,5" is read the same), stored as the fraction in
//	                  Invoice.DiscountRate (0.025); both empty for the party's terms
//	currency          the ISO 4217 code in upper case; empty means the currency
//	                  argument (the book's), and Invoice.Currency is left zero
//	reference         the supplier's invoice number or the customer's order number
//	corrects          for a credit note, required: the number of the invoice it
//	                  corrects; empty for an invoice
//	text
//
// The line's columns, on every row:
//
//	account           required; the revenue or expense account
//	net               required; the line's net amount in the document's currency,
//	                  positive: digits with '.' as the decimal point and at most
//	                  the currency's decimals ("1500", "1500.5", "1500.50" in EUR)
//	vat               required; the VAT code ("19", "7", "0" …)
//	cost_centre       the cost centre; may be empty
//	line_text         the line's text
//
// For example:
//
//	key;party;date;discount_date;discount_percent;account;net;vat;line_text
//	order-4711;10001;2025-03-03;2025-03-13;2;8400;1000.00;19;Consulting
//	order-4711;;;;;8300;200.00;7;Books
//
// Amounts that could be read two ways are refused, never guessed at: a
// ',' anywhere ("1500,00", "1,500", "1.000,00") is an error, and so are
// more decimals than the currency has, even zeros ("1.000" in EUR, which
// a German spreadsheet means as one thousand), grouping, spaces inside
// and exponents.
//
// A column not listed here is refused, so that a misspelt header cannot
// drop data silently. ReadInvoices checks what Parties.Post checks
// without a store (key, kind and corrects, series, party, account and cost
// centre codes, the order of the dates, the discount terms, positive net
// amounts), so that a bad file fails here, with rows and columns, rather
// than at posting; whether the party, the accounts and the VAT codes
// exist, Post checks. A key appearing again after another document's rows
// is an error wrapping ErrDuplicate.
//
// Reading is all-or-nothing: if anything is wrong ReadInvoices returns no
// documents and an error listing every problem with its row (as a
// spreadsheet numbers it, the header being row 1) and column, each a
// *FieldError wrapping ErrInvalid or ErrDuplicate; errors.Is and errors.As
// see them all. Messages name rows, columns, keys and party numbers,
// never other cell values or amounts. An I/O error from r is reported the
// same way and wraps the reader's error. ReadInvoices fails at once if
// book is not a book ID or currency is zero.
//
// Documents come back in file order, their lines in row order, with Book
// set and the fields set by posting left zero. WriteInvoices writes this
// format.
//
// ReadInvoices is safe for concurrent use.
func ReadInvoices(r io.Reader, book string, currency money.Currency) ([]Invoice, error) {
	if err := checkReadArgs("invoice", book, currency); err != nil {
		return nil, err
	}
	rd := csvio.NewReader(r, &csvio.Options{Required: invoiceRequired,
		Optional: optionalColumns(invoiceRequired, invoiceDocColumns, invoiceLineColumns)})
	var (
		docs  []Invoice
		g     = groups{record: "invoice", shared: invoiceDocColumns[1:]}
		cur   money.Currency // the current document's currency
		curOK bool           // whether its currency cell is good
	)
	for rd.Next() {
		row := rd.Row()
		key := row.Get("key")
		switch g.add(row, key) {
		case groupBadKey:
			continue
		case groupNew:
			var inv Invoice
			inv, curOK = invoiceHead(row, book, key, currency)
			cur = currency
			if !inv.Currency.IsZero() {
				cur = inv.Currency
			}
			docs = append(docs, inv)
		}
		inv := &docs[len(docs)-1]
		inv.Lines = append(inv.Lines, invoiceLine(row, key, len(inv.Lines)+1, cur, curOK))
	}
	if err := rd.Err(); err != nil {
		return nil, importError("invoice", "read invoices", err)
	}
	return docs, nil
}

// checkReadArgs checks the book and currency arguments of ReadInvoices
// and ReadPayments.
func checkReadArgs(record, book string, currency money.Currency) error {
	if !validID(book) {
		return fieldErr(record, "", "book", fmt.Errorf("%w: book ID", ErrInvalid))
	}
	if currency.IsZero() {
		return fieldErr(record, "", "currency", fmt.Errorf("%w: no currency given", ErrInvalid))
	}
	return nil
}

// optionalColumns returns the columns of sets that are not in required.
func optionalColumns(required []string, sets ...[]string) []string {
	var out []string
	for _, set := range sets {
		for _, c := range set {
			if !slices.Contains(required, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

// groups tracks the keys of rows, which consecutive form one document or
// payment.
type groups struct {
	record string   // "invoice" or "payment", for messages
	shared []string // the columns read from a group's first row, but key

	cur     string         // the current group's key
	started bool           // whether a group is current
	starts  map[string]int // key → the row its first group starts in
	first   []string       // the current group's first-row cells of shared
	firstAt int            // the row first is from
}

// What groups.add found.
const (
	groupBadKey = iota // the key is missing: the row is skipped
	groupNew           // the row starts a group
	groupMore          // the row continues the current group
)

// add files row under key. A missing key, or one whose group ended
// earlier, is recorded as a problem; the latter still starts a group, so
// that the row's other cells are checked. A row continuing a group is
// checked to leave the shared columns empty or as the first row has them.
func (g *groups) add(row *csvio.Row, key string) int {
	if key == "" {
		row.Fail("key", fieldErr(g.record, "", "key", fmt.Errorf("%w: required", ErrInvalid)))
		return groupBadKey
	}
	if g.started && key == g.cur {
		for i, c := range g.shared {
			if v := row.Get(c); v != "" && v != g.first[i] {
				row.Fail(c, fieldErr(g.record, shownKey(key), c, fmt.Errorf(
					"%w: differs from row %d, the key's first row; leave it empty or repeat it", ErrInvalid, g.firstAt)))
			}
		}
		return groupMore
	}
	if g.starts == nil {
		g.starts = map[string]int{}
	}
	if first, seen := g.starts[key]; seen {
		row.Fail("key", fieldErr(g.record, shownKey(key), "key", fmt.Errorf(
			"%w: key of row %d again after other keys; the rows of a key must be consecutive", ErrDuplicate, first)))
	} else {
		g.starts[key] = row.Num()
	}
	g.cur, g.started, g.firstAt = key, true, row.Num()
	g.first = make([]string, len(g.shared))
	for i, c := range g.shared {
		g.first[i] = row.Get(c)
	}
	return groupNew
}

// shownKey returns key if it is short enough to name in a message, else "".
func shownKey(key string) string {
	if len(key) > maxKeyLen {
		return ""
	}
	return key
}

// invoiceHead reads a document's fields from its first row, recording
// every problem; def is the default currency. currencyOK reports whether the currency cell is good.
func invoiceHead(row *csvio.Row, book, key string, def money.Currency) (inv Invoice, currencyOK bool) {
	id := shownKey(key)
	fail := func(column, reason string) {
		row.Fail(column, fieldErr("invoice", id, column, fmt.Errorf("%w: %s", ErrInvalid, reason)))
	}
	inv = Invoice{Book: book, Key: key, Series: row.Get("series"), Party: row.Get("party"),
		Reference: row.Get("reference"), Corrects: row.Get("corrects"), Text: row.Get("text")}
	if len(key) > maxKeyLen {
		fail("key", "longer than 200 bytes")
	}
	switch strings.ToLower(row.Get("kind")) {
	case "", string(InvoiceKind):
		inv.Kind = InvoiceKind
	case string(CreditNoteKind):
		inv.Kind = CreditNoteKind
	default:
		fail("kind", "want invoice, credit_note or empty")
	}
	if len(inv.Series) > 20 || strings.ContainsAny(inv.Series, " /") {
		fail("series", "at most 20 characters without spaces or '/'")
	}
	if !validID(inv.Party) {
		fail("party", "want a party number of 1–64 bytes without spaces or '/'")
	}
	good := map[string]bool{} // date columns with a usable value
	for _, c := range []struct {
		column string
		d      *date.Date
	}{{"date", &inv.Date}, {"due_date", &inv.DueDate}, {"discount_date", &inv.DiscountDate}} {
		s := row.Get(c.column)
		if s == "" {
			if c.column == "date" {
				fail(c.column, "required")
			} else {
				good[c.column] = true
			}
			continue
		}
		d, err := date.Parse(s)
		if err != nil {
			fail(c.column, "want YYYY-MM-DD")
			continue
		}
		*c.d, good[c.column] = d, true
	}
	rateOK := true
	if s := row.Get("discount_percent"); s != "" {
		d, ok := parsePercent(s)
		switch {
		case !ok:
			fail("discount_percent", "not a decimal number")
			rateOK = false
		case d.IsNegative() || d.GreaterThanOrEqual(decimal.NewFromInt(100)):
			fail("discount_percent", "want a percentage from 0 to below 100")
			rateOK = false
		default:
			inv.DiscountRate = d.Shift(-2) // exact: a percentage is the fraction times 100
		}
	}
	currencyOK = true
	if s := row.Get("currency"); s == def.Code() {
		inv.Currency = def // which may be a custom currency
	} else if s != "" {
		c, err := money.ParseCurrency(s)
		if err != nil {
			fail("currency", "not an ISO 4217 code in upper case")
			currencyOK = false
		}
		inv.Currency = c
	}
	switch {
	case inv.Kind == CreditNoteKind && inv.Corrects == "":
		fail("corrects", "a credit note names the invoice it corrects")
	case inv.Kind == InvoiceKind && inv.Corrects != "":
		fail("corrects", "only credit notes correct invoices")
	}
	// The order of the dates and the discount terms, as Post checks them,
	// where the cells involved are good.
	if good["date"] && good["due_date"] && !inv.DueDate.IsZero() && inv.DueDate.Before(inv.Date) {
		fail("due_date", "before the invoice date")
	}
	if good["discount_date"] && rateOK {
		switch disc := inv.DiscountDate; {
		case !disc.IsZero() && inv.DiscountRate.IsZero():
			fail("discount_percent", "a discount date without a percentage")
		case disc.IsZero() && !inv.DiscountRate.IsZero():
			fail("discount_date", "a discount percentage without a discount date")
		case !disc.IsZero() && good["date"] && disc.Before(inv.Date):
			fail("discount_date", "before the invoice date")
		case !disc.IsZero() && good["due_date"] && !inv.DueDate.IsZero() && disc.After(inv.DueDate):
			fail("discount_date", "after the due date")
		}
	}
	return inv, currencyOK
}

// invoiceLine reads line n of the document keyed key from row, recording
// every problem. The net amount is in currency c; if the document's
// currency cell is bad (currencyOK false), only its form and sign are
// checked.
func invoiceLine(row *csvio.Row, key string, n int, c money.Currency, currencyOK bool) InvoiceLine {
	rec := fmt.Sprintf("invoice %s line %d", shownKey(key), n)
	fail := func(column, reason string) {
		row.Fail(column, fieldErr(rec, "", column, fmt.Errorf("%w: %s", ErrInvalid, reason)))
	}
	l := InvoiceLine{Account: row.Get("account"), VAT: row.Get("vat"), CostCentre: row.Get("cost_centre"), Text: row.Get("line_text")}
	if !validID(l.Account) {
		fail("account", "want an account code of 1–64 bytes without spaces or '/'")
	}
	if l.VAT == "" {
		fail("vat", "required")
	}
	if l.CostCentre != "" && !validID(l.CostCentre) {
		fail("cost_centre", "want a cost centre code of 1–64 bytes without spaces or '/'")
	}
	s := row.Get("net")
	if s == "" {
		fail("net", "required")
		return l
	}
	amt, reason, scale := parseAmount(s, c)
	switch {
	case reason != "" && (currencyOK || !scale):
		fail("net", reason)
	case reason == "" && !amt.IsPositive():
		fail("net", "want a positive amount")
	}
	l.Net = amt
	return l
}

// parseAmount parses s, an amount in currency c: digits with an optional
// sign and '.' as the decimal point, no more decimals than c has. reason
// is why s is refused, "" if it is not; scale reports whether the reason
// is the number of decimals.
func parseAmount(s string, c money.Currency) (a money.Amount, reason string, scale bool) {
	if strings.ContainsRune(s, ',') {
		return money.Amount{}, "a ',' in an amount: write digits with '.' as the decimal point and no thousands separators", false
	}
	tooMany := fmt.Sprintf("more decimals than the currency's %d, or a '.' as thousands separator", c.MinorUnits())
	a, err := money.Parse(s, c)
	switch {
	case errors.Is(err, money.ErrScale):
		return money.Amount{}, tooMany, true
	case errors.Is(err, money.ErrOverflow):
		return money.Amount{}, "out of range", false
	case err != nil:
		return money.Amount{}, "not an amount: digits with '.' as the decimal point, no thousands separators", false
	}
	if _, frac, ok := strings.Cut(s, "."); ok && len(frac) > c.MinorUnits() {
		// "1.000" in EUR: money.Parse reads 1.00, but a German spreadsheet
		// means one thousand.
		return money.Amount{}, tooMany, true
	}
	return a, "", false
}

// ReadPayments parses payments received from customers or made to
// suppliers in CSV for book, ready for Parties.Settle: one row per
// allocation, the rows of one payment consecutive and sharing its key.
// All amounts are in currency, the book's. The file's form is that of
// ReadParties and ReadInvoices.
//
// The payment's columns are read from its first row; on its later rows
// they must be empty or hold the same text (key excepted, which every row
// holds):
//
//	key               required; the payment's key (Payment.Key), 1–200 bytes
//	party             required; the party number
//	date              required; the payment date, YYYY-MM-DD
//	account           the bank or cash account; required unless amount is zero
//	amount            required; the money moved, zero or positive
//	end_to_end_id     the transfer's end-to-end reference, at most 35 bytes
//	text
//
// The allocation's columns, one allocation a row:
//
//	item              the item settled (the invoice number or opening item ID)
//	paid              money applied to the item
//	discount          cash discount granted or taken, gross
//	writeoff          amount written off, gross
//
// Amounts are written as ReadInvoices describes: '.' as the decimal point,
// no ',' and no more decimals than the currency has. The amounts of an
// allocation are zero or positive, an empty cell being zero, and at least
// one is positive. If no row of a payment names an item, the payment is
// allocated automatically when it is settled (Payment.Allocations is
// empty): it is then one row, with a positive amount and no paid,
// discount or writeoff. If one row names an item, every row of the
// payment must, each item once, and the paid amounts must add up to the
// payment's amount.
//
// For example, a payment settling two invoices, one with a cash discount:
//
//	key;party;date;account;amount;item;paid;discount
//	bank/2025-03-12/1;10001;2025-03-12;1800;1666.00;RE00001;1166.20;23.80
//	bank/2025-03-12/1;;;;;RE00002;499.80;
//
// A column not listed here is refused. ReadPayments checks what
// Parties.Settle checks without a store; whether the party, the account
// and the items exist and how much of the items is open, Settle checks.
// A key appearing again after another payment's rows, or an item twice in
// one payment, is an error wrapping ErrDuplicate. Errors are as
// ReadInvoices returns them. Payments come back in file order, their
// allocations in row order, with Book set and the fields set by posting
// left zero. WritePayments writes this format.
//
// ReadPayments is safe for concurrent use.
func ReadPayments(r io.Reader, book string, currency money.Currency) ([]Payment, error) {
	if err := checkReadArgs("payment", book, currency); err != nil {
		return nil, err
	}
	rd := csvio.NewReader(r, &csvio.Options{Required: paymentRequired,
		Optional: optionalColumns(paymentRequired, paymentDocColumns, paymentAllocColumns)})
	var (
		pays     []Payment
		g        = groups{record: "payment", shared: paymentDocColumns[1:]}
		rows     []allocRow // the current payment's rows
		amountOK bool       // whether its amount is good
	)
	end := func() {
		if len(pays) > 0 {
			endPayment(rd, &pays[len(pays)-1], rows, amountOK)
		}
	}
	for rd.Next() {
		row := rd.Row()
		key := row.Get("key")
		switch g.add(row, key) {
		case groupBadKey:
			continue
		case groupNew:
			end()
			var p Payment
			p, amountOK = paymentHead(row, book, key, currency)
			pays, rows = append(pays, p), nil
		}
		rows = append(rows, allocationRow(row, key, len(rows)+1, currency))
	}
	end()
	if err := rd.Err(); err != nil {
		return nil, importError("payment", "read payments", err)
	}
	return pays, nil
}

// paymentHead reads a payment's fields from its first row, recording
// every problem. amountOK reports whether the amount is good.
func paymentHead(row *csvio.Row, book, key string, c money.Currency) (p Payment, amountOK bool) {
	id := shownKey(key)
	fail := func(column, reason string) {
		row.Fail(column, fieldErr("payment", id, column, fmt.Errorf("%w: %s", ErrInvalid, reason)))
	}
	p = Payment{Book: book, Key: key, Party: row.Get("party"), Account: row.Get("account"),
		EndToEndID: row.Get("end_to_end_id"), Text: row.Get("text")}
	if len(key) > maxKeyLen {
		fail("key", "longer than 200 bytes")
	}
	if !validID(p.Party) {
		fail("party", "want a party number of 1–64 bytes without spaces or '/'")
	}
	if s := row.Get("date"); s == "" {
		fail("date", "required")
	} else if d, err := date.Parse(s); err != nil {
		fail("date", "want YYYY-MM-DD")
	} else {
		p.Date = d
	}
	s := row.Get("amount")
	amt, reason, _ := parseAmount(s, c)
	switch {
	case s == "":
		fail("amount", "required")
	case reason != "":
		fail("amount", reason)
	case amt.IsNegative():
		fail("amount", "want zero or a positive amount")
	default:
		p.Amount, amountOK = amt, true
	}
	switch {
	case p.Account != "" && !validID(p.Account):
		fail("account", "want an account code of 1–64 bytes without spaces or '/'")
	case p.Account == "" && amountOK && amt.IsPositive():
		fail("account", "required for a payment of money")
	}
	if len(p.EndToEndID) > 35 {
		fail("end_to_end_id", "at most 35 bytes")
	}
	return p, amountOK
}

// allocRow is one row of a payment as allocationRow reads it.
type allocRow struct {
	num   int
	a     Allocation
	set   []string // the amount columns with a cell
	total int64    // Σ the amounts, in minor units; valid if ok
	ok    bool     // whether the amounts are good
}

// allocationRow reads allocation n of the payment keyed key from row,
// recording every problem with its cells.
func allocationRow(row *csvio.Row, key string, n int, c money.Currency) allocRow {
	rec := fmt.Sprintf("payment %s allocation %d", shownKey(key), n)
	ar := allocRow{num: row.Num(), a: Allocation{Item: row.Get("item")}, ok: true}
	if ar.a.Item != "" && !validID(ar.a.Item) {
		row.Fail("item", fieldErr(rec, "", "item", fmt.Errorf("%w: want an item ID of 1–64 bytes without spaces or '/'", ErrInvalid)))
	}
	for _, f := range []struct {
		column string
		x      *money.Amount
	}{{"paid", &ar.a.Amount}, {"discount", &ar.a.Discount}, {"writeoff", &ar.a.WriteOff}} {
		s := row.Get(f.column)
		if s == "" {
			continue // the zero Amount: none
		}
		ar.set = append(ar.set, f.column)
		amt, reason, _ := parseAmount(s, c)
		if reason == "" && amt.IsNegative() {
			reason = "want zero or a positive amount"
		}
		if reason == "" {
			var ok bool
			if ar.total, ok = money.AddMinor(ar.total, amt.MinorUnits()); !ok {
				reason = "the row's amounts add up to more than an amount holds"
			}
		}
		if reason != "" {
			row.Fail(f.column, fieldErr(rec, "", f.column, fmt.Errorf("%w: %s", ErrInvalid, reason)))
			ar.ok = false
			continue
		}
		*f.x = amt
	}
	return ar
}

// endPayment checks the rows of a payment together and sets its
// allocations.
func endPayment(rd *csvio.Reader, p *Payment, rows []allocRow, amountOK bool) {
	id := shownKey(p.Key)
	fail := func(row int, column, rec string, err error) {
		rd.Fail(row, column, fieldErr(rec, id, column, err))
	}
	named := slices.ContainsFunc(rows, func(ar allocRow) bool { return ar.a.Item != "" })
	if !named {
		for i, ar := range rows {
			if i > 0 {
				fail(ar.num, "item", "payment", fmt.Errorf("%w: required: a payment of several rows names an item on each", ErrInvalid))
			}
			for _, c := range ar.set {
				fail(ar.num, c, "payment", fmt.Errorf("%w: an amount for no item; name the item", ErrInvalid))
			}
		}
		if amountOK && p.Amount.IsZero() && len(rows) == 1 {
			fail(rows[0].num, "item", "payment", fmt.Errorf("%w: required: a settlement without money names its items", ErrInvalid))
		}
		return
	}
	seen := map[string]int{} // item → row
	var paid int64
	sumOK := amountOK
	for _, ar := range rows {
		switch first, dup := seen[ar.a.Item]; {
		case ar.a.Item == "":
			fail(ar.num, "item", "payment", fmt.Errorf("%w: required: other rows of the payment name items", ErrInvalid))
		case dup:
			fail(ar.num, "item", "payment", fmt.Errorf("%w: item %s of row %d again", ErrDuplicate, ar.a.Item, first))
		default:
			seen[ar.a.Item] = ar.num
		}
		if ar.ok && ar.total == 0 {
			fail(ar.num, "paid", "payment", fmt.Errorf("%w: the row settles nothing: paid, discount and writeoff are empty or zero", ErrInvalid))
		}
		var ok bool
		paid, ok = money.AddMinor(paid, ar.a.Amount.MinorUnits())
		sumOK = sumOK && ar.ok && ok
		p.Allocations = append(p.Allocations, ar.a)
	}
	if sumOK && paid != p.Amount.MinorUnits() {
		fail(rows[0].num, "amount", "payment", fmt.Errorf("%w: the paid column of the payment's rows does not add up to its amount", ErrInvalid))
	}
}

// importError makes every problem the reader found with the file's form
// (CSV syntax, encoding, columns) a *FieldError of record wrapping
// ErrInvalid, like the problems the caller records itself. I/O errors are
// wrapped with op.
func importError(record, op string, err error) error {
	var list csvio.Errors
	if !errors.As(err, &list) {
		return fmt.Errorf("partners: %s: %w", op, err)
	}
	out := make(csvio.Errors, len(list))
	for i, fe := range list {
		out[i] = fe
		if isCSVFormProblem(fe.Err) {
			out[i] = &csvio.FieldError{Row: fe.Row, Column: fe.Column,
				Err: &FieldError{Record: record, Field: fe.Column, Err: fmt.Errorf("%w: %w", ErrInvalid, fe.Err)}}
		}
	}
	return out
}

// WriteInvoices writes invoices and credit notes in the CSV format
// ReadInvoices reads: every column, ',' as the separator, no byte order
// mark, one row per line with the key on every row and the document's
// other columns on its first row only, amounts as Amount.Number writes
// them, the discount as a percentage with a decimal point ("2.5" for a
// DiscountRate of 0.025) and zero dates, rates and currency as empty
// cells. Book and the fields set by posting (Number, Net, VAT, Gross,
// VATLines, the lines' Tax, Entry, PostedAt) are not written.
//
// Reading the output back for the documents' book, with the currency
// their lines are in, gives the same documents if they pass ReadInvoices'
// checks and their text fields have no surrounding white space. Text
// cells are written as they are, so that the file reads back exactly: a
// text starting with "=" is a formula to a spreadsheet that opens the
// file.
//
// WriteInvoices writes nothing and returns a *FieldError wrapping
// ErrInvalid if a document has no lines, which the format cannot hold,
// or ErrDuplicate if two documents have the same key, which would read
// back as one.
//
// WriteInvoices is safe for concurrent use if invoices are not modified
// meanwhile.
func WriteInvoices(w io.Writer, invoices []Invoice) error {
	keys := map[string]bool{}
	for _, inv := range invoices {
		if len(inv.Lines) == 0 {
			return fieldErr("invoice", shownKey(inv.Key), "lines", fmt.Errorf("%w: no lines to write", ErrInvalid))
		}
		if keys[inv.Key] {
			return fieldErr("invoice", shownKey(inv.Key), "key", fmt.Errorf("%w: two documents with the key", ErrDuplicate))
		}
		keys[inv.Key] = true
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(slices.Concat(invoiceDocColumns, invoiceLineColumns)); err != nil {
		return fmt.Errorf("partners: write invoices: %w", err)
	}
	for _, inv := range invoices {
		percent := ""
		if !inv.DiscountRate.IsZero() {
			percent = inv.DiscountRate.Shift(2).String()
		}
		head := []string{inv.Key, string(inv.Kind), inv.Series, inv.Party, inv.Date.String(), inv.DueDate.String(),
			inv.DiscountDate.String(), percent, inv.Currency.Code(), inv.Reference, inv.Corrects, inv.Text}
		for i, l := range inv.Lines {
			if i == 1 {
				head = make([]string, len(invoiceDocColumns))
				head[0] = inv.Key
			}
			rec := append(slices.Clone(head), l.Account, l.Net.Number(), l.VAT, l.CostCentre, l.Text)
			if err := cw.Write(rec); err != nil {
				return fmt.Errorf("partners: write invoices: %w", err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("partners: write invoices: %w", err)
	}
	return nil
}

// WritePayments writes payments in the CSV format ReadPayments reads:
// every column, ',' as the separator, no byte order mark, one row per
// allocation (one row with empty allocation cells for a payment without
// allocations) with the key on every row and the payment's other columns
// on its first row only, and amounts as Amount.Number writes them; an
// allocation's zero Amount without currency is an empty cell. Book and
// the fields set by posting (Entry, PostedAt) are not written.
//
// Reading the output back for the payments' book, with the currency their
// amounts are in, gives the same payments if they pass ReadPayments'
// checks and their text fields have no surrounding white space; text
// cells are written as they are.
//
// WritePayments writes nothing and returns a *FieldError wrapping
// ErrDuplicate if two payments have the same key, which would read back
// as one.
//
// WritePayments is safe for concurrent use if payments are not modified
// meanwhile.
func WritePayments(w io.Writer, payments []Payment) error {
	keys := map[string]bool{}
	for _, p := range payments {
		if keys[p.Key] {
			return fieldErr("payment", shownKey(p.Key), "key", fmt.Errorf("%w: two payments with the key", ErrDuplicate))
		}
		keys[p.Key] = true
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(slices.Concat(paymentDocColumns, paymentAllocColumns)); err != nil {
		return fmt.Errorf("partners: write payments: %w", err)
	}
	cell := func(a money.Amount) string {
		if a.Currency().IsZero() && a.IsZero() {
			return ""
		}
		return a.Number()
	}
	for _, p := range payments {
		head := []string{p.Key, p.Party, p.Date.String(), p.Account, p.Amount.Number(), p.EndToEndID, p.Text}
		allocs := p.Allocations
		if len(allocs) == 0 {
			allocs = []Allocation{{}}
		}
		for i, a := range allocs {
			if i == 1 {
				head = make([]string, len(paymentDocColumns))
				head[0] = p.Key
			}
			rec := append(slices.Clone(head), a.Item, cell(a.Amount), cell(a.Discount), cell(a.WriteOff))
			if err := cw.Write(rec); err != nil {
				return fmt.Errorf("partners: write payments: %w", err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("partners: write payments: %w", err)
	}
	return nil
}
