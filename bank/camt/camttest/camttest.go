// Package camttest plays the bank in tests and demos: it books what the
// ledger says went through a bank account as a bank statement would show
// it, adds what the bank did on its own (customers' receipts not booked
// yet, fees), and writes it as camt.053.001.08.
//
// It is test and demo support, not a model of any bank: lines come in date
// order with references "<statement ID>-<n>", each entry on the account is
// one line, and a pay run's payment entry ("payroll-payment/<run>") is one
// batch booking whose end-to-end IDs are "<run>/<employee>" per net-pay
// line (payroll.EndToEndID's readable form when employee IDs are personnel
// numbers). Functions are safe for concurrent use.
package camttest

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/openbackoffice/backoffice/bank/camt"
	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// Bank describes the account the bank keeps.
type Bank struct {
	Book string
	// Account is the ledger account of the bank; IBAN the bank account.
	Account, IBAN string
	Currency      money.Currency
	// EmployeeDimension is the ledger dimension naming the employee on a
	// pay run's net-pay lines; empty means "employee".
	EmployeeDimension string
}

// Statement returns the statement of from..to: opening balance the
// ledger account's balance at the end of the day before from, one line
// per entry on the account dated within the period, then extra (each
// without a Ref gets one), closing balance the sum. The statement's ID is
// "STMT-<to>".
func (b Bank) Statement(ctx context.Context, l *ledger.Ledger, from, to date.Date, extra []camt.Line) (camt.Statement, error) {
	id := "STMT-" + to.String()
	st := camt.Statement{ID: id, Account: b.IBAN, Currency: b.Currency, Balances: true, OpeningDate: from, ClosingDate: to,
		Format: "camt.053.001.08"}
	bal, err := l.Balance(ctx, b.Book, b.Account, from.AddDays(-1))
	if err != nil {
		return st, err
	}
	st.Opening = bal.In(b.Currency)
	if st.Opening.Currency().IsZero() {
		st.Opening = money.Zero(b.Currency)
	}
	dim := cmp.Or(b.EmployeeDimension, "employee")
	var lines []camt.Line
	q := ledger.EntryQuery{Account: b.Account, From: from, To: to, Limit: 1000}
	for {
		page, err := l.Entries(ctx, b.Book, q)
		if err != nil {
			return st, err
		}
		for _, p := range page {
			line := camt.Line{Booked: p.Date, Value: p.Date, Amount: money.Zero(b.Currency), Text: p.Description}
			for _, ln := range p.Lines {
				if ln.Account == b.Account && ln.Amount.Currency() == b.Currency {
					if line.Amount, err = line.Amount.Add(ln.Amount); err != nil {
						return st, err
					}
				}
			}
			if line.Amount.IsZero() {
				continue
			}
			if e2e := p.Metadata["end_to_end_id"]; e2e != "" {
				line.EndToEndIDs = []string{e2e}
			}
			if run, ok := strings.CutPrefix(p.Key, "payroll-payment/"); ok {
				for _, ln := range p.Lines {
					if emp := ln.Dimensions[dim]; emp != "" && ln.Account != b.Account {
						line.EndToEndIDs = append(line.EndToEndIDs, run+"/"+emp)
					}
				}
				line.Text = "SEPA batch " + run
			}
			lines = append(lines, line)
		}
		if len(page) < q.Limit {
			break
		}
		q.After = page[len(page)-1].Seq
	}
	lines = append(lines, extra...)
	slices.SortStableFunc(lines, func(a, b camt.Line) int { return a.Booked.Compare(b.Booked) })
	sum := st.Opening
	for i := range lines {
		if lines[i].Ref == "" {
			lines[i].Ref = fmt.Sprintf("%s-%d", id, i+1)
		}
		if len([]rune(lines[i].Text)) > 140 {
			lines[i].Text = string([]rune(lines[i].Text)[:140])
		}
		if sum, err = sum.Add(lines[i].Amount); err != nil {
			return st, err
		}
	}
	st.Lines, st.Closing = lines, sum
	return st, st.Check()
}
