package reporting

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// glPage is how many entries the general ledger asks the Source for at a time.
const glPage = 1000

// GeneralLedger builds the general ledger of book for opts.From–To: for
// every account with postings in the range (only those in opts.Accounts, if
// given, and those whose code or name matches opts.AccountQuery, if set),
// its opening balance, every posting and its closing balance. It
// holds every row in memory; for large books use GeneralLedgerRows, which
// streams them. See GeneralLedgerRows for the rows and columns.
//
// GeneralLedger reads opts.From, To, Currency, Dimension, Accounts,
// AccountQuery, ExcludeClosing and Now; Compare, Depth, Layout or ShowZero are ErrOption.
// It is safe for concurrent use if src is.
func GeneralLedger(ctx context.Context, src Source, book string, opts Options) (Report, error) {
	r, rows, err := GeneralLedgerRows(ctx, src, book, opts)
	if err != nil {
		return Report{}, err
	}
	return collect(r, rows)
}

// AccountStatement builds the statement of one account (Kontoblatt) for
// opts.From–To: its opening balance, every posting with its contra accounts
// and running balance, and its closing balance — also when the range holds
// no posting. Rows and columns are those of GeneralLedgerRows, for one
// account; Report.Kind is AccountStatementReport. An unknown account is
// ledger.ErrUnknownAccount.
//
// AccountStatement reads opts.From, To, Currency, Dimension, ExcludeClosing
// and Now; Compare, Depth, Layout, Accounts, AccountQuery or ShowZero are
// ErrOption. It is safe for concurrent use if src is.
func AccountStatement(ctx context.Context, src Source, book, account string, opts Options) (Report, error) {
	if len(opts.Accounts) > 0 || opts.AccountQuery != "" {
		return Report{}, fmt.Errorf("account statement of %s: %w: an account list or query", book, ErrOption)
	}
	r, rows, err := ledgerRows(ctx, src, book, opts, []string{account})
	if err != nil {
		return Report{}, fmt.Errorf("account statement of %s: %w", book, err)
	}
	return collect(r, rows)
}

func collect(r Report, rows iter.Seq2[Row, error]) (Report, error) {
	for row, err := range rows {
		if err != nil {
			return Report{}, err
		}
		r.Rows = append(r.Rows, row)
	}
	return r, nil
}

// GeneralLedgerRows is GeneralLedger as a stream: it returns the report
// without rows — title, columns, checks — and the sequence of its rows,
// which reads the ledger as it goes, so a book of a million postings never
// sits in memory at once. Row i of the sequence is Report.Rows[i] of the
// collected report, and Terms refer to those indexes. The sequence yields a
// non-nil error (and then stops) if reading fails or the postings of an
// account do not add up to its maintained totals (ErrInconsistent). Ranging
// over it again reads the ledger again; stop early by breaking out of the
// loop. Memory stays bounded by the postings of one account in one month:
// an account is read month by month, and each month's postings are shown
// in order of date, then sequence number.
//
// Per account (ordered by code) the rows are:
//
//	HeadingRow  level 0  the account: Account is its code, "label" is "CODE Name"
//	DetailRow   level 1  "Opening balance": "date" From, "balance" the balance before From
//	DetailRow   level 1  one per posting line on the account
//	TotalRow    level 1  "Total": Σ "debit", Σ "credit" of the postings (Terms); "balance" blank
//	DetailRow   level 1  "Closing balance": "date" To, "balance" the balance at To
//
// Columns: "date" (booking date), "entry" (the entry's sequence number),
// "voucher", "label" (the line's memo, or else the entry's description),
// "contra" (the accounts on the other side of the entry, up to three, then
// "+N" for the rest), "debit" and "credit" (the one that does not apply is
// blank) and "balance" (the running balance, debit positive). A report
// without opts.Dimension, opts.Accounts and opts.AccountQuery checks that
// Σ debits = Σ credits over all accounts, from the ledger's maintained
// totals.
func GeneralLedgerRows(ctx context.Context, src Source, book string, opts Options) (Report, iter.Seq2[Row, error], error) {
	r, rows, err := ledgerRows(ctx, src, book, opts, nil)
	if err != nil {
		return Report{}, nil, fmt.Errorf("general ledger of %s: %w", book, err)
	}
	return r, rows, nil
}

// ledgerRows builds a general ledger, or an account statement of the one
// account in statement.
func ledgerRows(ctx context.Context, src Source, book string, opts Options, statement []string) (Report, iter.Seq2[Row, error], error) {
	switch {
	case opts.ValueAtEnd:
		return Report{}, nil, fmt.Errorf("%w: valuation at the end (trial balance only)", ErrOption)
	case opts.Compare != NoCompare:
		return Report{}, nil, fmt.Errorf("%w: comparison columns", ErrOption)
	case opts.Depth != 0:
		return Report{}, nil, fmt.Errorf("%w: a depth limit", ErrOption)
	case opts.Layout != nil:
		return Report{}, nil, fmt.Errorf("%w: a layout", ErrOption)
	case opts.ShowZero:
		return Report{}, nil, fmt.Errorf("%w: zero rows", ErrOption)
	}
	match, err := accountQuery(opts.AccountQuery)
	if err != nil {
		return Report{}, nil, err
	}
	b, err := src.Book(ctx, book)
	if err != nil {
		return Report{}, nil, err
	}
	from, to, err := period(b, opts)
	if err != nil {
		return Report{}, nil, err
	}
	msg, err := language(ctx, src, book, opts.Language)
	if err != nil {
		return Report{}, nil, err
	}
	cur, strict := currency(b, opts)
	kind, title, only := GeneralLedgerReport, "General ledger", opts.Accounts
	if statement != nil {
		kind, title, only = AccountStatementReport, "Account statement", statement
	}
	r := header(msg, kind, title, b, cur, from, to, opts)
	var accounts map[string]ledger.Account
	if len(only) > 0 {
		chart, err := src.Accounts(ctx, book)
		if err != nil {
			return Report{}, nil, err
		}
		accounts = make(map[string]ledger.Account, len(only))
		for _, code := range only {
			i, ok := slices.BinarySearchFunc(chart, code, func(a ledger.Account, c string) int { return strings.Compare(a.Code, c) })
			if !ok {
				return Report{}, nil, fmt.Errorf("account %s: %w", code, ledger.ErrUnknownAccount)
			}
			accounts[code] = chart[i]
		}
		if statement == nil {
			r.addFilter("accounts=" + strings.Join(only, ","))
		}
	}
	if match != nil {
		r.addFilter("accounts~" + opts.AccountQuery)
	}
	rows, err := balances(ctx, src, &r, strict, ledger.BalanceQuery{From: from, To: to, Dimension: opts.Dimension, ExcludeClosing: opts.ExcludeClosing})
	if err != nil {
		return Report{}, nil, err
	}
	// The accounts to show, with their totals.
	var sel []ledger.BalanceRow
	var debits, credits sum
	zero := money.Zero(cur)
	for _, row := range rows {
		debits.add(row.Debit.MinorUnits())
		credits.add(row.Credit.MinorUnits())
		if accounts != nil {
			if _, ok := accounts[row.Account.Code]; !ok {
				continue
			}
			delete(accounts, row.Account.Code)
		} else if row.Debit.IsZero() && row.Credit.IsZero() {
			continue
		}
		if match != nil && !match.MatchString(row.Account.Code) && !match.MatchString(row.Account.Name) {
			continue
		}
		sel = append(sel, row)
	}
	if err := firstErr(debits.err, credits.err); err != nil {
		return Report{}, nil, err
	}
	if statement != nil { // a statement shows its account even without amounts
		for _, a := range accounts {
			sel = append(sel, ledger.BalanceRow{Account: a, Currency: cur, Opening: zero, Debit: zero, Credit: zero, Closing: zero})
		}
	}
	if len(only) == 0 && match == nil && opts.Dimension.Name == "" {
		r.Checks = []Check{{Label: msg.Text("Σ debits = Σ credits"), Left: money.New(debits.n, cur), Right: money.New(credits.n, cur)}}
	}
	r.Columns = []Column{
		{Key: "date", Label: msg.Text("Date"), Kind: DateColumn},
		{Key: "entry", Label: msg.Text("Entry"), Kind: TextColumn},
		{Key: "voucher", Label: msg.Text("Voucher"), Kind: TextColumn},
		{Key: "label", Label: msg.Text("Text"), Kind: TextColumn},
		{Key: "contra", Label: msg.Text("Contra"), Kind: TextColumn},
		{Key: "debit", Label: msg.Text("Debit"), Kind: AmountColumn, From: from, To: to},
		{Key: "credit", Label: msg.Text("Credit"), Kind: AmountColumn, From: from, To: to},
		{Key: "balance", Label: msg.Text("Balance"), Kind: AmountColumn},
	}
	g := &glReader{src: src, book: book, from: from, to: to, cur: cur, inBase: strict, opts: opts, msg: msg}
	seq := func(yield func(Row, error) bool) {
		g.n = 0
		for _, row := range sel {
			if !g.account(ctx, row, yield) {
				return
			}
		}
	}
	return r, seq, nil
}

// glReader produces the rows of a general ledger.
type glReader struct {
	src      Source
	book     string
	from, to date.Date
	cur      money.Currency
	inBase   bool // lines in other currencies count with their base amounts
	opts     Options
	msg      *Messages
	n        int // rows yielded so far
	buf      []glPost
}

// glPost is one posting line on the account being read.
type glPost struct {
	date          date.Date
	seq           uint64
	voucher, text string
	contra        string
	amount        int64 // debit positive
}

func (g *glReader) emit(yield func(Row, error) bool, row Row) bool {
	g.n++
	return yield(row, nil)
}

// account yields the rows of one account; false means stop.
func (g *glReader) account(ctx context.Context, bal ledger.BalanceRow, yield func(Row, error) bool) bool {
	a := bal.Account
	code := a.Code
	blank := blankCell()
	row := func(k RowKind, level int, label string, d date.Date, cells ...Cell) Row {
		dc := blank
		if !d.IsZero() {
			dc = Cell{Date: d}
		}
		all := append([]Cell{dc}, cells...)
		return Row{Kind: k, Level: level, Account: code, Label: label, Cells: all}
	}
	amount := func(v int64) Cell { return Cell{Amount: money.New(v, g.cur)} }
	title := code + " " + a.Name
	if !g.emit(yield, row(HeadingRow, 0, title, date.Date{}, blank, blank, textCell(title), blank, blank, blank, blank)) {
		return false
	}
	if !g.emit(yield, row(DetailRow, 1, g.msg.Text("Opening balance"), g.from, blank, blank, textCell(g.msg.Text("Opening balance")), blank, blank, blank, Cell{Amount: bal.Opening})) {
		return false
	}
	balance := bal.Opening.MinorUnits()
	var debits, credits sum
	var terms []Term
	for start := g.from; !start.After(g.to); start = start.EndOfMonth().AddDays(1) {
		end := start.EndOfMonth()
		if end.After(g.to) {
			end = g.to
		}
		if err := g.read(ctx, code, start, end); err != nil {
			yield(Row{}, err)
			return false
		}
		for _, p := range g.buf {
			var s sum
			s.add(balance)
			s.add(p.amount)
			if s.err != nil {
				yield(Row{}, fmt.Errorf("account %s: %w", code, s.err))
				return false
			}
			balance = s.n
			dr, cr := blank, blank
			if p.amount > 0 {
				dr = amount(p.amount)
				debits.add(p.amount)
			} else {
				cr = amount(-p.amount)
				credits.add(-p.amount)
			}
			terms = append(terms, Term{Row: g.n})
			r := row(DetailRow, 1, p.text, p.date, textCell(strconv.FormatUint(p.seq, 10)), textCell(p.voucher), textCell(p.text), textCell(p.contra), dr, cr, amount(balance))
			if !g.emit(yield, r) {
				return false
			}
		}
	}
	if err := firstErr(debits.err, credits.err); err != nil {
		yield(Row{}, fmt.Errorf("account %s: %w", code, err))
		return false
	}
	if debits.n != bal.Debit.MinorUnits() || credits.n != bal.Credit.MinorUnits() || balance != bal.Closing.MinorUnits() {
		yield(Row{}, fmt.Errorf("account %s: %w", code, ErrInconsistent))
		return false
	}
	tr := row(TotalRow, 1, g.msg.Text("Total"), date.Date{}, blank, blank, textCell(g.msg.Text("Total")), blank, amount(debits.n), amount(credits.n), blank)
	tr.Terms = terms
	if !g.emit(yield, tr) {
		return false
	}
	return g.emit(yield, row(DetailRow, 1, g.msg.Text("Closing balance"), g.to, blank, blank, textCell(g.msg.Text("Closing balance")), blank, blank, blank, amount(balance)))
}

// read loads the posting lines on account code dated from–to into g.buf,
// ordered by date and sequence number.
func (g *glReader) read(ctx context.Context, code string, from, to date.Date) error {
	g.buf = g.buf[:0]
	q := ledger.EntryQuery{Account: code, From: from, To: to, Dimension: g.opts.Dimension, Limit: glPage}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		page, err := g.src.Entries(ctx, g.book, q)
		if err != nil {
			return err
		}
		for i := range page {
			p := &page[i]
			if g.opts.ExcludeClosing && p.Journal == ledger.JournalClosing {
				continue
			}
			for k := range p.Lines {
				l := &p.Lines[k]
				v := l.Amount
				if g.inBase && l.Converted() {
					v = l.Base
				}
				if l.Account != code || v.Currency() != g.cur {
					continue
				}
				if d := g.opts.Dimension; d.Name != "" && l.Dimensions[d.Name] != d.Value {
					continue
				}
				text := l.Memo
				if text == "" {
					text = p.Description
				}
				g.buf = append(g.buf, glPost{date: p.Date, seq: p.Seq, voucher: p.Voucher, text: text, contra: contra(p, k, g.inBase), amount: v.MinorUnits()})
			}
		}
		if len(page) < glPage {
			break
		}
		q.After = page[len(page)-1].Seq
	}
	byDate := func(a, b glPost) int { return a.date.Compare(b.date) }
	if !slices.IsSortedFunc(g.buf, byDate) { // entries come in sequence order
		slices.SortStableFunc(g.buf, byDate)
	}
	return nil
}

// contra lists the accounts on the other side of line k of p: up to three
// codes in line order, then "+N" for the others. inBase compares lines by
// their value in the base currency.
func contra(p *ledger.Posted, k int, inBase bool) string {
	value := func(l *ledger.Line) money.Amount {
		if inBase && l.Converted() {
			return l.Base
		}
		return l.Amount
	}
	self := &p.Lines[k]
	var codes []string
	for i := range p.Lines {
		l := &p.Lines[i]
		if l.Amount.IsNegative() == self.Amount.IsNegative() || l.Account == self.Account || value(l).Currency() != value(self).Currency() {
			continue
		}
		if !slices.Contains(codes, l.Account) {
			codes = append(codes, l.Account)
		}
	}
	if len(codes) > 3 {
		return strings.Join(codes[:3], ", ") + fmt.Sprintf(" +%d", len(codes)-3)
	}
	return strings.Join(codes, ", ")
}
