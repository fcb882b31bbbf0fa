package reconcile

import (
	"context"
	"fmt"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/reporting"
)

// ReconciliationReport is the kind of the report Report builds.
const ReconciliationReport reporting.Kind = "reconciliation"

// Status is the reconciliation of a bank account on the closing day of its
// latest statement: what the bank says, what the books say, and every open
// item between them.
type Status struct {
	Book, Account string
	// Statement is the latest statement with balances closing on or
	// before the day asked for.
	Statement Statement
	// Start is the first day reconciled: the opening day of the account's
	// first statement.
	Start date.Date
	// BankBalance is Statement's closing balance, BookBalance the ledger
	// account's balance at the end of its closing day.
	BankBalance, BookBalance money.Amount
	// StartDifference is the book balance at the end of the day before
	// Start less the first statement's opening balance: what the books
	// held that the bank never showed (zero when they agreed at the start).
	StartDifference money.Amount
	// NotInBooks are the statement lines up to the closing day no entry is
	// matched to; NotOnStatement the entries on the account from Start to
	// the closing day no statement line is matched to.
	NotInBooks     []Line
	NotOnStatement []BookLine
}

// Open returns how many open items there are.
func (s Status) Open() int { return len(s.NotInBooks) + len(s.NotOnStatement) }

// Status reconciles the account as of the latest statement closing on or
// before asOf (zero: the latest). It fails with ErrInvalid if the account
// has no statement with balances.
func (r *Reconciler) Status(ctx context.Context, book, account string, asOf date.Date) (Status, error) {
	st := Status{Book: book, Account: account}
	c, err := r.accountCurrency(ctx, book, account)
	if err != nil {
		return st, err
	}
	sts, err := r.store.Statements(ctx, book, account)
	if err != nil {
		return st, err
	}
	var first *Statement
	found := false
	for i := range sts {
		s := &sts[i]
		if !s.Balances {
			continue
		}
		if first == nil || s.OpeningDate.Before(first.OpeningDate) {
			first = s
		}
		if asOf.IsZero() || !s.ClosingDate.After(asOf) {
			st.Statement, found = *s, true
		}
	}
	if !found {
		return st, fmt.Errorf("reconcile: account %s: %w: no statement with balances", account, ErrInvalid)
	}
	end := st.Statement.ClosingDate
	st.Start, st.BankBalance = first.OpeningDate, st.Statement.Closing
	bal, err := r.ledger.Balance(ctx, book, account, end)
	if err != nil {
		return st, err
	}
	st.BookBalance = inOrZero(bal, c)
	before, err := r.ledger.Balance(ctx, book, account, st.Start.AddDays(-1))
	if err != nil {
		return st, err
	}
	if st.StartDifference, err = inOrZero(before, c).Sub(first.Opening); err != nil {
		return st, err
	}
	lines, err := r.store.Lines(ctx, book, LineQuery{Account: account})
	if err != nil {
		return st, err
	}
	matched := map[uint64]bool{}
	for _, l := range lines {
		switch {
		case l.Entry != 0:
			matched[l.Entry] = true
		case !l.Booked.After(end):
			st.NotInBooks = append(st.NotInBooks, l)
		}
	}
	bls, err := r.bookLines(ctx, book, account, c, st.Start, end)
	if err != nil {
		return st, err
	}
	for _, b := range bls {
		if !matched[b.Entry] {
			st.NotOnStatement = append(st.NotOnStatement, b)
		}
	}
	return st, nil
}

func inOrZero(b ledger.Balance, c money.Currency) money.Amount {
	if a := b.In(c); !a.Currency().IsZero() {
		return a
	}
	return money.Zero(c)
}

// Report builds the reconciliation report of the account (Status as of
// asOf) as a reporting.Report of kind ReconciliationReport, so that every
// renderer (text, CSV, JSON, xlsx) shows it.
//
// Columns: "date", "ref" (the bank reference, or the entry's sequence
// number), "label", "amount". Rows:
//
//	DetailRow   "Bank balance per statement <ID>": the closing date and balance
//	HeadingRow  "Statement lines not in the books"
//	DetailRow   one per line, level 1: its booking date, reference, text, −amount
//	HeadingRow  "Book lines not on the statement"
//	DetailRow   one per entry, level 1: its date, "#seq", description, amount
//	DetailRow   "Difference at the start <date>", if not zero
//	TotalRow    "Book balance": the sum of the rows above (Terms)
//
// Check: that total = the ledger account's balance on the closing day.
func (r *Reconciler) Report(ctx context.Context, book, account string, asOf date.Date) (reporting.Report, error) {
	s, err := r.Status(ctx, book, account, asOf)
	if err != nil {
		return reporting.Report{}, err
	}
	b, err := r.ledger.Book(ctx, book)
	if err != nil {
		return reporting.Report{}, err
	}
	c := s.BankBalance.Currency()
	rep := reporting.Report{Kind: ReconciliationReport, Title: "Bank reconciliation " + account, Company: b.Name, Book: book,
		Currency: c, From: s.Start, To: s.Statement.ClosingDate, Generated: r.now().UTC(), Filter: "account=" + account,
		Columns: []reporting.Column{{Key: "date", Label: "Date", Kind: reporting.DateColumn}, {Key: "ref", Label: "Reference"},
			{Key: "label", Label: "Text"}, {Key: "amount", Label: "Amount", Kind: reporting.AmountColumn}}}
	var terms []reporting.Term
	total := money.Zero(c)
	add := func(kind reporting.RowKind, level int, d date.Date, ref, label string, amt money.Amount, blank bool) error {
		row := reporting.Row{Kind: kind, Level: level, Label: label, Cells: []reporting.Cell{{Date: d, Blank: d.IsZero()}, {Text: ref}, {Text: label}, {Amount: amt, Blank: blank}}}
		if kind == reporting.DetailRow {
			terms = append(terms, reporting.Term{Row: len(rep.Rows)})
			var err error
			if total, err = total.Add(amt); err != nil {
				return err
			}
		}
		rep.Rows = append(rep.Rows, row)
		return nil
	}
	if err := add(reporting.DetailRow, 0, s.Statement.ClosingDate, s.Statement.ID, "Bank balance per statement "+s.Statement.ID, s.BankBalance, false); err != nil {
		return rep, err
	}
	rep.Rows = append(rep.Rows, reporting.Row{Kind: reporting.HeadingRow, Label: "Statement lines not in the books",
		Cells: []reporting.Cell{{Blank: true}, {}, {Text: "Statement lines not in the books"}, {Blank: true}}})
	for _, l := range s.NotInBooks {
		text := l.Text
		if l.Counterparty != "" {
			text = l.Counterparty + ": " + text
		}
		if err := add(reporting.DetailRow, 1, l.Booked, l.Ref, text, l.Amount.Neg(), false); err != nil {
			return rep, err
		}
	}
	rep.Rows = append(rep.Rows, reporting.Row{Kind: reporting.HeadingRow, Label: "Book lines not on the statement",
		Cells: []reporting.Cell{{Blank: true}, {}, {Text: "Book lines not on the statement"}, {Blank: true}}})
	if len(s.NotOnStatement) > 0 {
		for _, bl := range s.NotOnStatement {
			e, err := r.ledger.Entry(ctx, book, bl.Entry)
			if err != nil {
				return rep, err
			}
			if err := add(reporting.DetailRow, 1, bl.Date, fmt.Sprintf("#%d", bl.Entry), e.Description, bl.Amount, false); err != nil {
				return rep, err
			}
		}
	}
	if !s.StartDifference.IsZero() {
		if err := add(reporting.DetailRow, 0, s.Start, "", "Difference at the start "+s.Start.String(), s.StartDifference, false); err != nil {
			return rep, err
		}
	}
	rep.Rows = append(rep.Rows, reporting.Row{Kind: reporting.TotalRow, Label: "Book balance", Terms: terms,
		Cells: []reporting.Cell{{Date: s.Statement.ClosingDate}, {}, {Text: "Book balance"}, {Amount: total}}})
	rep.Checks = []reporting.Check{{Label: "bank balance ± open items = book balance " + account, Left: total, Right: s.BookBalance}}
	return rep, nil
}
