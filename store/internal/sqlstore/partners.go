package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/partners"
)

var (
	_ partners.Store = (*Store)(nil)
	_ partners.Tx    = (*partTx)(nil)
)

// UpdatePartners implements partners.Store with the transactions, retries
// and savepoints of Update. Tx.Ledger is this store bound to the same
// transaction (InTx), so an invoice's journal entry commits or rolls back
// with its open item.
//
// NextNumber's upsert of the series row locks that row where the dialect
// locks rows (PostgreSQL) until the transaction ends, so the numbers of a
// series stay gapless: a second transaction drawing from it waits, and a
// rolled-back draw gives its number back. AddMoves's conditional update
// locks each item it reduces the same way. SQLite's write transactions
// exclude each other anyway.
func (s *Store) UpdatePartners(ctx context.Context, fn func(partners.Tx) error) error {
	return s.write(ctx, func(t *tx) error { return fn(&partTx{t: t}) })
}

// ViewPartners implements partners.Store with the snapshot of View. Writes
// through it fail with an error wrapping partners.ErrReadOnly.
func (s *Store) ViewPartners(ctx context.Context, fn func(partners.ReadTx) error) error {
	return s.read(ctx, func(t *tx) error { return fn(&partTx{t: t}) })
}

// partTx implements partners.Tx over the SQL transaction of t.
type partTx struct {
	t   *tx
	led *Store
	// absent holds the invoices and payments this transaction found
	// missing: a later add that collides with one was beaten by a
	// concurrent transaction (see AddInvoice).
	absent map[string]bool
}

// noDay stores the zero date in the NOT NULL date columns: party versions'
// valid_from, items' date and due_date.
const noDay = "0001-01-01"

var noDate = date.MustParse(noDay)

func keyDay(d date.Date) string {
	if d.IsZero() {
		return noDay
	}
	return d.String()
}

// keyDate scans a date stored by keyDay.
type keyDate struct{ d *date.Date }

func (k keyDate) Scan(v any) error {
	if err := k.d.Scan(v); err != nil {
		return err
	}
	if *k.d == noDate {
		*k.d = date.Date{}
	}
	return nil
}

const (
	arPartyCols = "book, number, valid_from, recorded_at, role, name, street, postal_code, city, country, vat_id," +
		" iban, bic, routing_number, account_number, net_days, discount_days, discount_rate, dunning, consumer"
	arInvoiceCols = "book, number, key, kind, series, party, date, due_date, discount_date, discount_rate, currency," +
		" reference, corrects, text, lines, amount_currency, net, vat, gross, vat_lines, entry, posted_at"
	arItemCols = "book, id, party, kind, invoice, date, due_date, discount_date, discount_rate, currency," +
		" amount, vat, entry, account, dunning_level, last_dunned, text"
	arMoveCols    = "book, item, n, kind, date, amount, currency, entry, ref"
	arPaymentCols = "book, key, party, date, account, amount, currency, end_to_end_id, text, allocations, entry, posted_at"
)

// arMoveColList are the columns of bo_ar_moves as AddMoves writes them.
var arMoveColList = strings.Split(arMoveCols, ", ")

// partQueries holds the static partner SQL of a dialect, rebound once.
type partQueries struct {
	addParty, partyVersions, parties, settings, setSettings, nextNumber string
	addInvoice, invoice, invoiceByKey                                   string
	addItem, item, itemExists, reduce, restore, latest                  string
	addPayment, payment                                                 string
	addRun, runs, dun                                                   string
}

func newPartQueries(d *Dialect) partQueries {
	r := func(q string) string { return rebind(d, q) }
	ins := func(table, cols string) string {
		return r("INSERT INTO " + table + " (" + cols + ") VALUES (" + placeholders(strings.Count(cols, ",")+1) + ")" +
			" ON CONFLICT DO NOTHING")
	}
	return partQueries{
		addParty:      ins("bo_ar_parties", arPartyCols),
		partyVersions: r("SELECT " + arPartyCols + " FROM bo_ar_parties WHERE book = ? AND number = ? ORDER BY valid_from, recorded_at"),
		parties:       r("SELECT " + arPartyCols + " FROM bo_ar_parties WHERE book = ? ORDER BY number, valid_from, recorded_at"),
		settings:      r("SELECT line_rounding FROM bo_ar_settings WHERE book = ?"),
		setSettings: r("INSERT INTO bo_ar_settings (book, line_rounding) VALUES (?, ?)" +
			" ON CONFLICT (book) DO UPDATE SET line_rounding = excluded.line_rounding"),
		// The update of an existing row locks it until the transaction ends.
		nextNumber: r("INSERT INTO bo_ar_series (book, series, last) VALUES (?, ?, 1)" +
			" ON CONFLICT (book, series) DO UPDATE SET last = bo_ar_series.last + 1 RETURNING last"),
		addInvoice:   ins("bo_ar_invoices", arInvoiceCols),
		invoice:      r("SELECT " + arInvoiceCols + " FROM bo_ar_invoices WHERE book = ? AND number = ?"),
		invoiceByKey: r("SELECT " + arInvoiceCols + " FROM bo_ar_invoices WHERE book = ? AND key = ?"),
		addItem:      ins("bo_ar_items", arItemCols+", open"),
		item:         r("SELECT " + prefixed("i.", arItemCols) + ", i.open FROM bo_ar_items i WHERE i.book = ? AND i.id = ?"),
		itemExists:   r("SELECT currency, open FROM bo_ar_items WHERE book = ? AND id = ?"),
		// Open may not go below zero: a move that would take it there
		// updates nothing.
		reduce: r("UPDATE bo_ar_items SET open = open - ?, moves = moves + ?" +
			" WHERE book = ? AND id = ? AND currency = ? AND open >= ? RETURNING moves"),
		restore: r("UPDATE bo_ar_items SET open = open + ? WHERE book = ? AND id = ?"),
		latest: r("SELECT (SELECT date FROM bo_ar_items WHERE book = ? ORDER BY date DESC LIMIT 1)," +
			" (SELECT date FROM bo_ar_moves WHERE book = ? ORDER BY date DESC LIMIT 1)"),
		addPayment: ins("bo_ar_payments", arPaymentCols),
		payment:    r("SELECT " + arPaymentCols + " FROM bo_ar_payments WHERE book = ? AND key = ?"),
		addRun:     ins("bo_ar_dunning", "book, date, notices, created_at"),
		runs:       r("SELECT book, date, notices, created_at FROM bo_ar_dunning WHERE book = ? AND date >= ? AND date <= ? ORDER BY date"),
		dun: r("UPDATE bo_ar_items SET dunning_level = ?, last_dunned = ?" +
			" WHERE book = ? AND id = ? AND dunning_level <= ?"),
	}
}

// prefixed qualifies every column of a column list with p.
func prefixed(p, cols string) string { return p + strings.ReplaceAll(cols, ", ", ", "+p) }

// wrap turns a driver error into one for partner callers: a unique
// violation wraps partners.ErrDuplicate, a refused change (the schema's
// guards) and a failed CHECK partners.ErrInvalid, the driver's error
// staying in the chain. It adds no value of the record.
func (x *partTx) wrap(op string, err error) error {
	return wrapFor(x.t.s.d, op, err, [2]error{ledger.ErrDuplicate, partners.ErrDuplicate},
		[2]error{ledger.ErrState, partners.ErrInvalid}, [2]error{ledger.ErrInvalid, partners.ErrInvalid})
}

func (x *partTx) writable() error {
	if x.t.readOnly {
		return fmt.Errorf("%s store: %w", x.t.s.d.Name, partners.ErrReadOnly)
	}
	return nil
}

func (x *partTx) errf(format string, args ...any) error {
	return fmt.Errorf(x.t.s.d.Name+" store: "+format, args...)
}

// Ledger implements partners.Tx: the store bound to this transaction, whose
// Update runs in a savepoint.
func (x *partTx) Ledger() ledger.Store {
	if x.led == nil {
		x.led = x.t.s.InTx(x.t.tx)
	}
	return x.led
}

// miss records, in a read-write transaction, that a record was not found.
func (x *partTx) miss(key string) {
	if x.t.readOnly {
		return
	}
	if x.absent == nil {
		x.absent = map[string]bool{}
	}
	x.absent[key] = true
}

// dup is the error of an add that found its record (keys, in absent's
// form) taken: ErrDuplicate, and errRetry too if this transaction had found
// it missing, so that write runs the transaction again and it sees the
// record.
func (x *partTx) dup(what string, keys ...string) error {
	for _, k := range keys {
		if x.absent[k] {
			return x.errf("%s: %w: %w", what, partners.ErrDuplicate, errRetry)
		}
	}
	return x.errf("%s: %w", what, partners.ErrDuplicate)
}

func (x *partTx) exec(ctx context.Context, op, q string, args ...any) (int64, error) {
	res, err := x.t.tx.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, x.wrap(op, err)
	}
	n, err := res.RowsAffected()
	return n, x.wrap(op, err)
}

// query runs q and calls scan for every row; errors of scan are returned
// as they are if they come from decoding, wrapped if from the driver.
func (x *partTx) query(ctx context.Context, op, q string, args []any, scan func(*sql.Rows) error) error {
	rows, err := x.t.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return x.wrap(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			if errors.Is(err, ledger.ErrTampered) || errors.Is(err, ledger.ErrUnknownCurrency) || errors.Is(err, ledger.ErrOverflow) {
				return err
			}
			return x.wrap(op, err)
		}
	}
	return x.wrap(op, rows.Err())
}

func (x *partTx) decoder(ctx context.Context, record string) *slipDecoder {
	return &slipDecoder{ctx: ctx, t: x.t, curs: map[string]money.Currency{}, record: record}
}

// register records the custom currencies an encoder met.
func (x *partTx) register(ctx context.Context, e *slipEncoder) error {
	if e.err != nil {
		return e.err
	}
	for _, c := range e.custom {
		if err := x.t.registerCurrency(ctx, c); err != nil {
			return err
		}
	}
	return nil
}

// timeArg is the argument storing t (NULL for the zero time), at the
// microsecond precision every store keeps.
func (x *partTx) timeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return x.t.s.d.Time(t.Truncate(time.Microsecond))
}

// amountArg is the argument storing a in a column of currency c: its minor
// units, NULL for the zero Amount without currency. Partner amounts are
// minor units on every engine (INTEGER, BIGINT), as the ledger's maintained
// balances are: Aging sums a million of them per call.
func (x *partTx) amountArg(a money.Amount, c money.Currency) (any, error) {
	if a == (money.Amount{}) {
		return nil, nil
	}
	if a.Currency() != c {
		return nil, partners.ErrCurrency
	}
	return a.MinorUnits(), nil
}

// commonCurrency returns the currency of the amounts that have one, which
// must be the same; the others must be the zero Amount.
func commonCurrency(as ...money.Amount) (money.Currency, error) {
	var c money.Currency
	for _, a := range as {
		switch {
		case a.Currency().IsZero() && a.MinorUnits() != 0:
			return money.Currency{}, partners.ErrCurrency
		case a.Currency().IsZero():
		case c.IsZero():
			c = a.Currency()
		case c != a.Currency():
			return money.Currency{}, partners.ErrCurrency
		}
	}
	return c, nil
}

// nullAmount scans an amount column stored by amountArg.
type nullAmount struct{ v any }

func (n *nullAmount) Scan(v any) error {
	switch v := v.(type) {
	case []byte:
		n.v = string(v)
	default:
		n.v = v
	}
	return nil
}

func (n *nullAmount) amount(c money.Currency) (money.Amount, error) {
	if n.v == nil {
		return money.Amount{}, nil
	}
	if c.IsZero() {
		return money.Amount{}, fmt.Errorf("%w: stored amount without currency", ledger.ErrTampered)
	}
	return scanSum(n.v, c)
}

func jsonArg(v any, n int) (any, error) {
	if n == 0 {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

func (x *partTx) unjson(body []byte, v any, what string) error {
	if len(body) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return x.errf("stored %s are not JSON: %w", what, ledger.ErrTampered)
	}
	return nil
}

// ---- parties and settings ----

func (x *partTx) AddParty(ctx context.Context, p partners.Party) error {
	if err := x.writable(); err != nil {
		return err
	}
	b := p.Bank
	n, err := x.exec(ctx, "add party", x.t.q.part.addParty, p.Book, p.Number, keyDay(p.ValidFrom),
		x.t.s.d.Time(p.RecordedAt.Truncate(time.Microsecond)), string(p.Role), p.Name,
		p.Address.Street, p.Address.PostalCode, p.Address.City, p.Address.Country, p.VATID,
		b.IBAN, b.BIC, b.RoutingNumber, b.AccountNumber, int64(p.Terms.NetDays), int64(p.Terms.DiscountDays),
		decimalText(p.Terms.DiscountRate), p.Dunning, p.Consumer)
	if err == nil && n == 0 {
		err = x.errf("party %s: %w", p.Number, partners.ErrDuplicate)
	}
	return err
}

func (x *partTx) parties(ctx context.Context, q string, args ...any) ([]partners.Party, error) {
	var out []partners.Party
	err := x.query(ctx, "read party", q, args, func(rows *sql.Rows) error {
		var (
			p    partners.Party
			b    = &p.Bank
			net  int64
			disc int64
			rate string
		)
		if err := rows.Scan(&p.Book, &p.Number, keyDate{&p.ValidFrom}, storedTime{&p.RecordedAt}, &p.Role, &p.Name,
			&p.Address.Street, &p.Address.PostalCode, &p.Address.City, &p.Address.Country, &p.VATID,
			&b.IBAN, &b.BIC, &b.RoutingNumber, &b.AccountNumber, &net, &disc, &rate, &p.Dunning, &p.Consumer); err != nil {
			return err
		}
		p.Terms.NetDays, p.Terms.DiscountDays = int(net), int(disc)
		var err error
		if p.Terms.DiscountRate, err = parseDecimal(rate); err != nil {
			return x.errf("stored party %s: %w", p.Number, err)
		}
		out = append(out, p)
		return nil
	})
	return out, err
}

// parseDecimal reads a decimal stored by decimalText.
func parseDecimal(s string) (decimal.Decimal, error) {
	if s == "" {
		return decimal.Decimal{}, nil
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("%w: malformed decimal", ledger.ErrTampered)
	}
	return d, nil
}

func (x *partTx) PartyVersions(ctx context.Context, book, number string) ([]partners.Party, error) {
	ps, err := x.parties(ctx, x.t.q.part.partyVersions, book, number)
	if err == nil && len(ps) == 0 {
		err = x.errf("party %s: %w", number, partners.ErrUnknownParty)
	}
	return ps, err
}

func (x *partTx) Parties(ctx context.Context, book string) ([]partners.Party, error) {
	return x.parties(ctx, x.t.q.part.parties, book)
}

func (x *partTx) Settings(ctx context.Context, book string) (partners.Settings, error) {
	s := partners.Settings{Book: book}
	err := x.t.tx.QueryRowContext(ctx, x.t.q.part.settings, book).Scan(&s.LineRounding)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	return s, x.wrap("read settings", err)
}

func (x *partTx) SetSettings(ctx context.Context, s partners.Settings) error {
	if err := x.writable(); err != nil {
		return err
	}
	_, err := x.exec(ctx, "set settings", x.t.q.part.setSettings, s.Book, s.LineRounding)
	return err
}

// NextNumber implements partners.Writer with one upsert of the series row,
// which (on PostgreSQL) locks the row until the transaction ends.
func (x *partTx) NextNumber(ctx context.Context, book, series string) (int64, error) {
	if err := x.writable(); err != nil {
		return 0, err
	}
	var n int64
	err := x.t.tx.QueryRowContext(ctx, x.t.q.part.nextNumber, book, series).Scan(&n)
	return n, x.wrap("next number", err)
}

// ---- invoices ----

type (
	arLineJSON struct {
		Account    string `json:"account,omitempty"`
		Net        string `json:"net,omitempty"`
		VAT        string `json:"vat,omitempty"`
		CostCentre string `json:"cost_centre,omitempty"`
		Text       string `json:"text,omitempty"`
		Tax        string `json:"tax,omitempty"`
	}
	arVATLineJSON struct {
		Code    string `json:"code,omitempty"`
		Rate    string `json:"rate,omitempty"`
		Account string `json:"account,omitempty"`
		Base    string `json:"base,omitempty"`
		Tax     string `json:"tax,omitempty"`
	}
	arShareJSON struct {
		Code    string `json:"code,omitempty"`
		Rate    string `json:"rate,omitempty"`
		Account string `json:"account,omitempty"`
		Gross   string `json:"gross,omitempty"`
	}
	arAllocationJSON struct {
		Item     string `json:"item,omitempty"`
		Amount   string `json:"amount,omitempty"`
		Discount string `json:"discount,omitempty"`
		WriteOff string `json:"write_off,omitempty"`
	}
	arNoticeJSON struct {
		Party    string             `json:"party,omitempty"`
		Level    int                `json:"level,omitempty"`
		Title    string             `json:"title,omitempty"`
		Currency string             `json:"currency,omitempty"`
		Items    []arNoticeItemJSON `json:"items,omitempty"`
		Open     string             `json:"open,omitempty"`
		Fee      string             `json:"fee,omitempty"`
		Interest string             `json:"interest,omitempty"`
		Total    string             `json:"total,omitempty"`
	}
	arNoticeItemJSON struct {
		Item        string    `json:"item,omitempty"`
		Date        date.Date `json:"date,omitzero"`
		DueDate     date.Date `json:"due_date,omitzero"`
		DaysOverdue int       `json:"days_overdue,omitempty"`
		Open        string    `json:"open,omitempty"`
		Level       int       `json:"level,omitempty"`
		Interest    string    `json:"interest,omitempty"`
	}
)

func (x *partTx) AddInvoice(ctx context.Context, inv partners.Invoice) error {
	if err := x.writable(); err != nil {
		return err
	}
	e := newSlipEncoder()
	lines := make([]arLineJSON, len(inv.Lines))
	for i, l := range inv.Lines {
		lines[i] = arLineJSON{Account: l.Account, Net: e.amount(l.Net), VAT: l.VAT, CostCentre: l.CostCentre, Text: l.Text, Tax: e.amount(l.Tax)}
	}
	vats := make([]arVATLineJSON, len(inv.VATLines))
	for i, v := range inv.VATLines {
		vats[i] = arVATLineJSON{Code: v.Code, Rate: decimalText(v.Rate), Account: v.Account, Base: e.amount(v.Base), Tax: e.amount(v.Tax)}
	}
	cur := e.currency(inv.Currency)
	ac, err := commonCurrency(inv.Net, inv.VAT, inv.Gross)
	if err != nil {
		return x.errf("invoice %s: %w", inv.Key, err)
	}
	acode := e.currency(ac)
	var amounts [3]any
	for i, a := range []money.Amount{inv.Net, inv.VAT, inv.Gross} {
		amounts[i], _ = x.amountArg(a, ac) // commonCurrency checked them
	}
	linesArg, err := jsonArg(lines, len(lines))
	if err != nil {
		return err
	}
	vatsArg, err := jsonArg(vats, len(vats))
	if err != nil {
		return err
	}
	if err := x.register(ctx, e); err != nil {
		return err
	}
	n, err := x.exec(ctx, "add invoice", x.t.q.part.addInvoice, inv.Book, inv.Number, inv.Key, string(inv.Kind), inv.Series,
		inv.Party, inv.Date, inv.DueDate, inv.DiscountDate, decimalText(inv.DiscountRate), cur, inv.Reference,
		inv.Corrects, inv.Text, linesArg, acode, amounts[0], amounts[1], amounts[2], vatsArg, int64(inv.Entry),
		x.timeArg(inv.PostedAt))
	if err == nil && n == 0 {
		err = x.dup("invoice "+inv.Number+" (key "+inv.Key+")", "n\x00"+inv.Book+"\x00"+inv.Number, "k\x00"+inv.Book+"\x00"+inv.Key)
	}
	if err == nil {
		delete(x.absent, "n\x00"+inv.Book+"\x00"+inv.Number)
		delete(x.absent, "k\x00"+inv.Book+"\x00"+inv.Key)
	}
	return err
}

func (x *partTx) invoices(ctx context.Context, q string, args ...any) ([]partners.Invoice, error) {
	var out []partners.Invoice
	dec := x.decoder(ctx, "invoice")
	err := x.query(ctx, "read invoice", q, args, func(rows *sql.Rows) error {
		var (
			inv                  partners.Invoice
			rate, cur, acode     string
			lines, vats          []byte
			entry                int64
			net, vat, gross      nullAmount
			discountRate, posted = &rate, nullTime{&inv.PostedAt}
		)
		if err := rows.Scan(&inv.Book, &inv.Number, &inv.Key, &inv.Kind, &inv.Series, &inv.Party, &inv.Date, &inv.DueDate,
			&inv.DiscountDate, discountRate, &cur, &inv.Reference, &inv.Corrects, &inv.Text, &lines, &acode,
			&net, &vat, &gross, &vats, &entry, posted); err != nil {
			return err
		}
		inv.Entry = uint64(entry)
		var err error
		if inv.DiscountRate, err = parseDecimal(rate); err != nil {
			return x.errf("stored invoice %s: %w", inv.Number, err)
		}
		inv.Currency = dec.currency(cur)
		ac := dec.currency(acode)
		if dec.err != nil {
			return dec.err
		}
		for _, a := range []struct {
			dst *money.Amount
			src *nullAmount
		}{{&inv.Net, &net}, {&inv.VAT, &vat}, {&inv.Gross, &gross}} {
			if *a.dst, err = a.src.amount(ac); err != nil {
				return x.errf("stored invoice %s: %w", inv.Number, err)
			}
		}
		var ls []arLineJSON
		if err := x.unjson(lines, &ls, "invoice lines"); err != nil {
			return err
		}
		if len(ls) > 0 {
			inv.Lines = make([]partners.InvoiceLine, len(ls))
			for i, l := range ls {
				inv.Lines[i] = partners.InvoiceLine{Account: l.Account, Net: dec.amount(l.Net), VAT: l.VAT,
					CostCentre: l.CostCentre, Text: l.Text, Tax: dec.amount(l.Tax)}
			}
		}
		var vs []arVATLineJSON
		if err := x.unjson(vats, &vs, "VAT lines"); err != nil {
			return err
		}
		if len(vs) > 0 {
			inv.VATLines = make([]partners.VATLine, len(vs))
			for i, v := range vs {
				inv.VATLines[i] = partners.VATLine{Code: v.Code, Rate: dec.decimal(v.Rate), Account: v.Account,
					Base: dec.amount(v.Base), Tax: dec.amount(v.Tax)}
			}
		}
		if dec.err != nil {
			return dec.err
		}
		out = append(out, inv)
		return nil
	})
	return out, err
}

func (x *partTx) oneInvoice(ctx context.Context, q, book, id, what, absentKey string) (partners.Invoice, error) {
	invs, err := x.invoices(ctx, q, book, id)
	if err != nil {
		return partners.Invoice{}, err
	}
	if len(invs) == 0 {
		x.miss(absentKey)
		return partners.Invoice{}, x.errf("%s %s: %w", what, id, partners.ErrNotFound)
	}
	return invs[0], nil
}

func (x *partTx) Invoice(ctx context.Context, book, number string) (partners.Invoice, error) {
	return x.oneInvoice(ctx, x.t.q.part.invoice, book, number, "invoice", "n\x00"+book+"\x00"+number)
}

func (x *partTx) InvoiceByKey(ctx context.Context, book, key string) (partners.Invoice, error) {
	return x.oneInvoice(ctx, x.t.q.part.invoiceByKey, book, key, "invoice key", "k\x00"+book+"\x00"+key)
}

func (x *partTx) Invoices(ctx context.Context, book string, q partners.InvoiceQuery) ([]partners.Invoice, error) {
	s, args := "SELECT "+arInvoiceCols+" FROM bo_ar_invoices WHERE book = ?", []any{book}
	if q.Party != "" {
		s, args = s+" AND party = ?", append(args, q.Party)
	}
	if !q.From.IsZero() {
		s, args = s+" AND date >= ?", append(args, q.From.String())
	}
	if !q.To.IsZero() {
		s, args = s+" AND date <= ?", append(args, q.To.String())
	}
	return x.invoices(ctx, rebind(x.t.s.d, s+" ORDER BY number"), args...)
}

// ---- payments ----

func (x *partTx) AddPayment(ctx context.Context, p partners.Payment) error {
	if err := x.writable(); err != nil {
		return err
	}
	e := newSlipEncoder()
	allocs := make([]arAllocationJSON, len(p.Allocations))
	for i, a := range p.Allocations {
		allocs[i] = arAllocationJSON{Item: a.Item, Amount: e.amount(a.Amount), Discount: e.amount(a.Discount), WriteOff: e.amount(a.WriteOff)}
	}
	cur := p.Amount.Currency()
	code := e.currency(cur)
	amount, err := x.amountArg(p.Amount, cur)
	if err != nil {
		return x.errf("payment %s: %w", p.Key, err)
	}
	allocArg, err := jsonArg(allocs, len(allocs))
	if err != nil {
		return err
	}
	if err := x.register(ctx, e); err != nil {
		return err
	}
	n, err := x.exec(ctx, "add payment", x.t.q.part.addPayment, p.Book, p.Key, p.Party, p.Date, p.Account, amount, code,
		p.EndToEndID, p.Text, allocArg, int64(p.Entry), x.timeArg(p.PostedAt))
	key := "p\x00" + p.Book + "\x00" + p.Key
	if err == nil && n == 0 {
		return x.dup("payment "+p.Key, key)
	}
	delete(x.absent, key)
	return err
}

func (x *partTx) Payment(ctx context.Context, book, key string) (partners.Payment, error) {
	var (
		ps  []partners.Payment
		dec = x.decoder(ctx, "payment")
	)
	err := x.query(ctx, "read payment", x.t.q.part.payment, []any{book, key}, func(rows *sql.Rows) error {
		var (
			p      partners.Payment
			amount nullAmount
			code   string
			allocs []byte
			entry  int64
		)
		if err := rows.Scan(&p.Book, &p.Key, &p.Party, &p.Date, &p.Account, &amount, &code, &p.EndToEndID, &p.Text,
			&allocs, &entry, nullTime{&p.PostedAt}); err != nil {
			return err
		}
		p.Entry = uint64(entry)
		c := dec.currency(code)
		if dec.err != nil {
			return dec.err
		}
		var err error
		if p.Amount, err = amount.amount(c); err != nil {
			return x.errf("stored payment %s: %w", p.Key, err)
		}
		var as []arAllocationJSON
		if err := x.unjson(allocs, &as, "allocations"); err != nil {
			return err
		}
		if len(as) > 0 {
			p.Allocations = make([]partners.Allocation, len(as))
			for i, a := range as {
				p.Allocations[i] = partners.Allocation{Item: a.Item, Amount: dec.amount(a.Amount),
					Discount: dec.amount(a.Discount), WriteOff: dec.amount(a.WriteOff)}
			}
		}
		ps = append(ps, p)
		return dec.err
	})
	if err != nil {
		return partners.Payment{}, err
	}
	if len(ps) == 0 {
		x.miss("p\x00" + book + "\x00" + key)
		return partners.Payment{}, x.errf("payment %s: %w", key, partners.ErrNotFound)
	}
	return ps[0], nil
}

// ---- items ----

func (x *partTx) AddItem(ctx context.Context, it partners.Item) error {
	if err := x.writable(); err != nil {
		return err
	}
	e := newSlipEncoder()
	shares := make([]arShareJSON, len(it.VAT))
	for i, v := range it.VAT {
		shares[i] = arShareJSON{Code: v.Code, Rate: decimalText(v.Rate), Account: v.Account, Gross: e.amount(v.Gross)}
	}
	cur := it.Amount.Currency()
	code := e.currency(cur)
	if cur.IsZero() || it.Open.Currency() != cur {
		return x.errf("item %s: %w", it.ID, partners.ErrCurrency)
	}
	sharesArg, err := jsonArg(shares, len(shares))
	if err != nil {
		return err
	}
	if err := x.register(ctx, e); err != nil {
		return err
	}
	n, err := x.exec(ctx, "add item", x.t.q.part.addItem, it.Book, it.ID, it.Party, string(it.Kind), it.Invoice,
		keyDay(it.Date), keyDay(it.DueDate), it.DiscountDate, decimalText(it.DiscountRate), code,
		it.Amount.MinorUnits(), sharesArg, int64(it.Entry), it.Account, int64(it.DunningLevel), it.LastDunned, it.Text,
		it.Open.MinorUnits())
	if err == nil && n == 0 {
		err = x.errf("item %s: %w", it.ID, partners.ErrDuplicate)
	}
	return err
}

// items reads items selected by q, whose columns are arItemCols then the
// open amount.
func (x *partTx) items(ctx context.Context, q string, args ...any) ([]partners.Item, error) {
	var out []partners.Item
	dec := x.decoder(ctx, "item")
	err := x.query(ctx, "read item", q, args, func(rows *sql.Rows) error {
		var (
			it            partners.Item
			rate, code    string
			amount, open  any
			shares        []byte
			entry, level  int64
			discountRate  = &rate
			lastDunned    = &it.LastDunned
			accountColumn = &it.Account
		)
		if err := rows.Scan(&it.Book, &it.ID, &it.Party, &it.Kind, &it.Invoice, keyDate{&it.Date}, keyDate{&it.DueDate},
			&it.DiscountDate, discountRate, &code, &amount, &shares, &entry, accountColumn, &level, lastDunned,
			&it.Text, &open); err != nil {
			return err
		}
		it.Entry, it.DunningLevel = uint64(entry), int(level)
		var err error
		if it.DiscountRate, err = parseDecimal(rate); err != nil {
			return x.errf("stored item %s: %w", it.ID, err)
		}
		c := dec.currency(code)
		if dec.err != nil {
			return dec.err
		}
		if it.Amount, err = scanAmount(amount, c); err != nil {
			return x.errf("stored item %s: %w", it.ID, err)
		}
		if it.Open, err = scanSum(open, c); err != nil { // a sum as of a past day
			return x.errf("stored item %s: %w", it.ID, err)
		}
		var ss []arShareJSON
		if err := x.unjson(shares, &ss, "VAT shares"); err != nil {
			return err
		}
		if len(ss) > 0 {
			it.VAT = make([]partners.VATShare, len(ss))
			for i, s := range ss {
				it.VAT[i] = partners.VATShare{Code: s.Code, Rate: dec.decimal(s.Rate), Account: s.Account, Gross: dec.amount(s.Gross)}
			}
		}
		out = append(out, it)
		return dec.err
	})
	return out, err
}

func (x *partTx) Item(ctx context.Context, book, id string) (partners.Item, error) {
	its, err := x.items(ctx, x.t.q.part.item, book, id)
	if err != nil {
		return partners.Item{}, err
	}
	if len(its) == 0 {
		return partners.Item{}, x.errf("item %s: %w", id, partners.ErrNotFound)
	}
	return its[0], nil
}

// current reports whether the open amounts the store keeps are those as of
// the end of day asOf: no item and no move of the book is dated after it.
// A zero asOf is now.
func (x *partTx) current(ctx context.Context, book string, asOf date.Date) (bool, error) {
	if asOf.IsZero() {
		return true, nil
	}
	var items, moves date.Date
	if err := x.t.tx.QueryRowContext(ctx, x.t.q.part.latest, book, book).Scan(&items, &moves); err != nil {
		return false, x.wrap("read latest dates", err)
	}
	return !items.After(asOf) && !moves.After(asOf), nil
}

// openAsOf is the SQL of what was open of item i at the end of a day (its
// one parameter): the open amount plus the moves dated after the day.
const openAsOf = "(i.open + COALESCE((SELECT SUM(m.amount) FROM bo_ar_moves m" +
	" WHERE m.book = i.book AND m.item = i.id AND m.date > ?), 0))"

// Items implements partners.ItemReader. With q.AsOf before the latest item
// or move of the book, each item's open amount adds back the moves dated
// after q.AsOf (a correlated sum over the item's moves); otherwise it is the
// open amount the store keeps.
func (x *partTx) Items(ctx context.Context, book string, q partners.ItemQuery) ([]partners.Item, error) {
	cur, err := x.current(ctx, book, q.AsOf)
	if err != nil {
		return nil, err
	}
	open, openArgs := "i.open", []any(nil)
	if !cur {
		open, openArgs = openAsOf, []any{q.AsOf.String()}
	}
	s := "SELECT " + prefixed("i.", arItemCols) + ", " + open + " FROM bo_ar_items i WHERE i.book = ?"
	args := append(slices.Clone(openArgs), book)
	if q.Party != "" {
		s, args = s+" AND i.party = ?", append(args, q.Party)
	}
	if q.Kind != "" {
		s, args = s+" AND i.kind = ?", append(args, string(q.Kind))
	}
	if !q.DueBy.IsZero() {
		s, args = s+" AND i.due_date <= ?", append(args, q.DueBy.String())
	}
	if !cur {
		s, args = s+" AND i.date <= ?", append(args, q.AsOf.String())
	}
	if q.OpenOnly {
		s, args = s+" AND "+open+" <> 0", append(args, openArgs...)
	}
	return x.items(ctx, rebind(x.t.s.d, s+" ORDER BY i.party, i.due_date, i.id"), args...)
}

// Aging implements partners.ItemReader with one aggregate, grouped by
// party and currency, that sums each bucket in a column of its own: the
// buckets' bounds are due dates computed here and bound as parameters. With
// q.AsOf on or after the latest item and move of the book it sums the open
// amounts the store keeps, through an index that covers the query in the
// order of its groups; before, it leaves out the items dated after q.AsOf
// and adds back the moves dated after it: in one pass over the items,
// joined to their later moves summed per item, if the dialect says
// AgingJoin, else as a second aggregate over the later moves and their
// items beside the first over the covering index.
func (x *partTx) Aging(ctx context.Context, book string, q partners.AgingQuery) ([]partners.AgingRow, error) {
	if q.AsOf.IsZero() {
		return nil, x.errf("aging: %w: no as-of date", partners.ErrInvalid)
	}
	cur, err := x.current(ctx, book, q.AsOf)
	if err != nil {
		return nil, err
	}
	// Column b sums the items due on or after q.AsOf less Limits[b] days
	// (at most Limits[b] days overdue), the last column all items. Bucket b
	// is then column b less column b-1, and the last bucket the total less
	// the last limit's column: one comparison per limit and row.
	var args []any
	// cols is the select list of the aggregate over rows with the columns
	// party, currency and due_date (table alias t) and an amount.
	cols := func(t, amount string) string {
		var sb strings.Builder
		sb.WriteString("SELECT " + t + "party AS party, " + t + "currency AS currency")
		for b, l := range q.Limits {
			fmt.Fprintf(&sb, ", SUM(CASE WHEN %sdue_date >= ? THEN %s ELSE 0 END) AS c%d", t, amount, b)
			args = append(args, q.AsOf.AddDays(-l).String())
		}
		sb.WriteString(", SUM(" + amount + ") AS t")
		return sb.String()
	}
	filter := func(sb *strings.Builder) {
		sb.WriteString(" AND i.kind = ?")
		args = append(args, string(q.Kind))
		if q.Party != "" {
			sb.WriteString(" AND i.party = ?")
			args = append(args, q.Party)
		}
	}
	var sb strings.Builder
	if cur {
		// The open amounts as kept, through the covering index, in the
		// order of the groups.
		sb.WriteString(cols("i.", "i.open") + " FROM bo_ar_items i WHERE i.book = ? AND i.open <> 0")
		args = append(args, book)
		filter(&sb)
		sb.WriteString(" GROUP BY i.party, i.currency ORDER BY party, currency")
	} else if x.t.s.d.AgingJoin {
		// One pass over the items dated on or before q.AsOf: each one's
		// open amount now plus what its moves dated after q.AsOf took off
		// it (summed per item first). An item with nothing open now and no
		// such move adds nothing.
		sb.WriteString(cols("x.", "x.a") + " FROM (SELECT i.party AS party, i.currency AS currency, i.due_date AS due_date," +
			" i.open + COALESCE(mv.s, 0) AS a FROM bo_ar_items i LEFT JOIN" +
			" (SELECT m.item AS item, CAST(SUM(m.amount) AS BIGINT) AS s FROM bo_ar_moves m" +
			" WHERE m.book = ? AND m.date > ? GROUP BY m.item) mv ON mv.item = i.id" +
			" WHERE i.book = ? AND i.date <= ? AND (i.open <> 0 OR mv.s IS NOT NULL)")
		args = append(args, book, q.AsOf.String(), book, q.AsOf.String())
		filter(&sb)
		sb.WriteString(") x GROUP BY x.party, x.currency HAVING SUM(x.a) <> 0 ORDER BY party, currency")
	} else {
		// What is open now of the items dated on or before q.AsOf, plus
		// what the moves dated after it took off them: two aggregates, the
		// first over the covering index alone (an item with nothing open
		// now adds nothing there), the second over the later moves and
		// their items, summed per party and currency.
		sb.WriteString("SELECT party, currency")
		for b := range q.Limits {
			fmt.Fprintf(&sb, ", SUM(c%d)", b)
		}
		sb.WriteString(", SUM(t) FROM (")
		sb.WriteString(cols("i.", "i.open") + " FROM bo_ar_items i WHERE i.book = ? AND i.open <> 0 AND i.date <= ?")
		args = append(args, book, q.AsOf.String())
		filter(&sb)
		sb.WriteString(" GROUP BY i.party, i.currency UNION ALL ")
		sb.WriteString(cols("i.", "m.amount") + " FROM bo_ar_moves m JOIN bo_ar_items i ON i.book = m.book AND i.id = m.item" +
			" WHERE m.book = ? AND m.date > ? AND i.date <= ?")
		args = append(args, book, q.AsOf.String(), q.AsOf.String())
		filter(&sb)
		sb.WriteString(" GROUP BY i.party, i.currency) u GROUP BY party, currency HAVING SUM(t) <> 0 ORDER BY party, currency")
	}
	query := sb.String()

	var out []partners.AgingRow
	dec := x.decoder(ctx, "item")
	sums := make([]any, len(q.Limits)+1)
	dst := make([]any, 0, len(sums)+2)
	err = x.query(ctx, "aging", rebind(x.t.s.d, query), args, func(rows *sql.Rows) error {
		var (
			r    partners.AgingRow
			code string
		)
		dst = append(dst[:0], &r.Party, &code)
		for i := range sums {
			dst = append(dst, &sums[i])
		}
		if err := rows.Scan(dst...); err != nil {
			return err
		}
		r.Currency = dec.currency(code)
		if dec.err != nil {
			return dec.err
		}
		r.Buckets = make([]money.Amount, len(q.Limits)+1)
		prev := money.Zero(r.Currency)
		for i, v := range sums {
			a, err := scanSum(v, r.Currency)
			if err != nil {
				return x.errf("aging of party %s: %w", r.Party, err)
			}
			if r.Buckets[i], err = a.Sub(prev); err != nil {
				return x.errf("aging of party %s: %w", r.Party, err)
			}
			prev = a
		}
		r.Total = prev
		out = append(out, r)
		return nil
	})
	return out, err
}

// scanSum reads a SUM of minor units: an integer (SQLite) or NUMERIC
// text (PostgreSQL's SUM of BIGINT); out of the int64 range is
// ledger.ErrOverflow.
func scanSum(v any, c money.Currency) (money.Amount, error) {
	n, err := scanInt(v)
	if err != nil {
		return money.Amount{}, err
	}
	return money.New(n, c), nil
}

// ---- moves ----

// AddMoves implements partners.Writer. The moves of one item are summed,
// and each item is reduced by one conditional update, in item order, that
// changes nothing if it would take the item's open amount below zero (or
// the item is missing, or in another currency). Then the updates made
// before are undone and nothing is written. The moves are then inserted,
// numbered per item from the item's move count, which the update returned.
func (x *partTx) AddMoves(ctx context.Context, book string, moves []partners.Move) error {
	if err := x.writable(); err != nil {
		return err
	}
	type itemSum struct {
		id    string
		total money.Amount
		count int64
		first int64 // number of the item's first new move
	}
	byItem := map[string]*itemSum{}
	var sums []*itemSum
	for _, m := range moves {
		s := byItem[m.Item]
		if s == nil {
			s = &itemSum{id: m.Item, total: money.Zero(m.Amount.Currency())}
			byItem[m.Item] = s
			sums = append(sums, s)
		}
		var err error
		if s.total, err = s.total.Add(m.Amount); err != nil {
			return x.errf("move of item %s: %w: %w", m.Item, partners.ErrCurrency, err)
		}
		s.count++
	}
	slices.SortFunc(sums, func(a, b *itemSum) int { return cmp.Compare(a.id, b.id) })
	for i, s := range sums {
		c := s.total.Currency()
		err := x.t.tx.QueryRowContext(ctx, x.t.q.part.reduce, s.total.MinorUnits(), s.count, book, s.id, c.Code(), s.total.MinorUnits()).Scan(&s.first)
		if err == nil {
			s.first -= s.count - 1
			continue
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return x.wrap("add moves", err)
		}
		err = x.refused(ctx, book, s.id, s.total)
		for _, u := range sums[:i] {
			if _, uerr := x.exec(ctx, "add moves", x.t.q.part.restore, u.total.MinorUnits(), book, u.id); uerr != nil {
				return errors.Join(err, uerr)
			}
		}
		return err
	}
	next := make(map[string]int64, len(sums))
	for _, s := range sums {
		next[s.id] = s.first
	}
	e := newSlipEncoder()
	for _, m := range moves {
		e.currency(m.Amount.Currency())
	}
	if err := x.register(ctx, e); err != nil {
		return err
	}
	t := *x.t // the insert's driver errors are the partners'
	t.wrapErr = func(err error) error { return x.wrap("add moves", err) }
	return t.insert(ctx, "bo_ar_moves", arMoveColList, len(moves), func(i int, dst []any) {
		m := &moves[i]
		n := next[m.Item]
		next[m.Item]++
		dst[0], dst[1], dst[2], dst[3], dst[4] = book, m.Item, n, string(m.Kind), keyDay(m.Date)
		dst[5], dst[6], dst[7], dst[8] = m.Amount.MinorUnits(), m.Amount.Currency().Code(), int64(m.Entry), m.Ref
	})
}

// refused says why reducing an item by total changed nothing.
func (x *partTx) refused(ctx context.Context, book, id string, total money.Amount) error {
	var (
		code string
		open any
	)
	err := x.t.tx.QueryRowContext(ctx, x.t.q.part.itemExists, book, id).Scan(&code, &open)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return x.errf("move of item %s: %w", id, partners.ErrNotFound)
	case err != nil:
		return x.wrap("add moves", err)
	case code != total.Currency().Code():
		return x.errf("move of item %s: %w", id, partners.ErrCurrency)
	}
	return x.errf("move of item %s: %w", id, partners.ErrOverpayment)
}

func (x *partTx) Moves(ctx context.Context, book string, q partners.MoveQuery) ([]partners.Move, error) {
	s, args := "SELECT "+arMoveCols+" FROM bo_ar_moves WHERE book = ?", []any{book}
	if q.Item != "" {
		s, args = s+" AND item = ?", append(args, q.Item)
	}
	if !q.From.IsZero() {
		s, args = s+" AND date >= ?", append(args, q.From.String())
	}
	if !q.To.IsZero() {
		s, args = s+" AND date <= ?", append(args, q.To.String())
	}
	if q.Party != "" {
		s, args = s+" AND item IN (SELECT id FROM bo_ar_items WHERE book = ? AND party = ?)", append(args, book, q.Party)
	}
	var out []partners.Move
	dec := x.decoder(ctx, "move")
	err := x.query(ctx, "read moves", rebind(x.t.s.d, s+" ORDER BY date, entry, item, n"), args, func(rows *sql.Rows) error {
		var (
			m      partners.Move
			n      int64
			amount any
			code   string
			entry  int64
		)
		if err := rows.Scan(&m.Book, &m.Item, &n, &m.Kind, keyDate{&m.Date}, &amount, &code, &entry, &m.Ref); err != nil {
			return err
		}
		m.Entry = uint64(entry)
		c := dec.currency(code)
		if dec.err != nil {
			return dec.err
		}
		var err error
		if m.Amount, err = scanAmount(amount, c); err != nil {
			return x.errf("stored move of item %s: %w", m.Item, err)
		}
		out = append(out, m)
		return nil
	})
	return out, err
}

// ---- dunning ----

// AddDunningRun implements partners.Writer in a savepoint: a run of a date
// that has one, or a notice of an unknown item, writes nothing.
func (x *partTx) AddDunningRun(ctx context.Context, r partners.DunningRun) error {
	if err := x.writable(); err != nil {
		return err
	}
	e := newSlipEncoder()
	notices := make([]arNoticeJSON, len(r.Notices))
	for i, n := range r.Notices {
		j := arNoticeJSON{Party: n.Party, Level: n.Level, Title: n.Title, Currency: e.currency(n.Currency),
			Open: e.amount(n.Open), Fee: e.amount(n.Fee), Interest: e.amount(n.Interest), Total: e.amount(n.Total)}
		if len(n.Items) > 0 {
			j.Items = make([]arNoticeItemJSON, len(n.Items))
			for k, it := range n.Items {
				j.Items[k] = arNoticeItemJSON{Item: it.Item, Date: it.Date, DueDate: it.DueDate, DaysOverdue: it.DaysOverdue,
					Open: e.amount(it.Open), Level: it.Level, Interest: e.amount(it.Interest)}
			}
		}
		notices[i] = j
	}
	arg, err := jsonArg(notices, len(notices))
	if err != nil {
		return err
	}
	if err := x.register(ctx, e); err != nil {
		return err
	}
	return x.savepoint(ctx, func() error {
		n, err := x.exec(ctx, "add dunning run", x.t.q.part.addRun, r.Book, keyDay(r.Date), arg, x.timeArg(r.CreatedAt))
		if err != nil {
			return err
		}
		if n == 0 {
			return x.errf("dunning run of %s: %w", r.Date, partners.ErrDuplicate)
		}
		for _, no := range r.Notices {
			for _, it := range no.Items {
				n, err := x.exec(ctx, "add dunning run", x.t.q.part.dun, int64(it.Level), r.Date, r.Book, it.Item, int64(it.Level))
				if err != nil {
					return err
				}
				if n > 0 {
					continue
				}
				var code string
				var open any
				err = x.t.tx.QueryRowContext(ctx, x.t.q.part.itemExists, r.Book, it.Item).Scan(&code, &open)
				if errors.Is(err, sql.ErrNoRows) {
					return x.errf("dunning run of %s: item %s: %w", r.Date, it.Item, partners.ErrNotFound)
				}
				if err != nil {
					return x.wrap("add dunning run", err)
				}
			}
		}
		return nil
	})
}

// savepoint runs fn in a savepoint of the transaction and rolls back to it
// if fn fails.
func (x *partTx) savepoint(ctx context.Context, fn func() error) error {
	name := "bo_ar_sp" + strconv.FormatUint(x.t.s.sp.Add(1), 10)
	if _, err := x.t.tx.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
		return x.wrap("savepoint", err)
	}
	if err := fn(); err != nil {
		if _, rerr := x.t.tx.ExecContext(context.WithoutCancel(ctx), "ROLLBACK TO SAVEPOINT "+name); rerr != nil {
			return errors.Join(err, x.wrap("rollback to savepoint", rerr))
		}
		return err
	}
	_, err := x.t.tx.ExecContext(ctx, "RELEASE SAVEPOINT "+name)
	return x.wrap("release savepoint", err)
}

func (x *partTx) DunningRuns(ctx context.Context, book string, from, to date.Date) ([]partners.DunningRun, error) {
	lo, hi := bounds(from, to)
	var out []partners.DunningRun
	dec := x.decoder(ctx, "dunning run")
	err := x.query(ctx, "read dunning runs", x.t.q.part.runs, []any{book, lo, hi}, func(rows *sql.Rows) error {
		var (
			r    partners.DunningRun
			body []byte
		)
		if err := rows.Scan(&r.Book, keyDate{&r.Date}, &body, nullTime{&r.CreatedAt}); err != nil {
			return err
		}
		var ns []arNoticeJSON
		if err := x.unjson(body, &ns, "notices"); err != nil {
			return err
		}
		if len(ns) > 0 {
			r.Notices = make([]partners.Notice, len(ns))
			for i, n := range ns {
				no := partners.Notice{Party: n.Party, Level: n.Level, Title: n.Title, Currency: dec.currency(n.Currency),
					Open: dec.amount(n.Open), Fee: dec.amount(n.Fee), Interest: dec.amount(n.Interest), Total: dec.amount(n.Total)}
				if len(n.Items) > 0 {
					no.Items = make([]partners.NoticeItem, len(n.Items))
					for k, it := range n.Items {
						no.Items[k] = partners.NoticeItem{Item: it.Item, Date: it.Date, DueDate: it.DueDate,
							DaysOverdue: it.DaysOverdue, Open: dec.amount(it.Open), Level: it.Level, Interest: dec.amount(it.Interest)}
					}
				}
				r.Notices[i] = no
			}
		}
		out = append(out, r)
		return dec.err
	})
	return out, err
}
