package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"time"

	"github.com/openbackoffice/backoffice/bank/camt"
	"github.com/openbackoffice/backoffice/bank/camt/camttest"
	"github.com/openbackoffice/backoffice/bank/reconcile"
	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/partners"
)

// demoBankIBAN is the demo company's bank account.
const demoBankIBAN = "DE02120300000000202051"

// demoFees is the demo's rule for what the bank charges on its own.
var demoFees = reconcile.Rule{Name: "bank-fees", Kind: reconcile.RuleText, Pattern: "(?i)entgelt|gebühr", Direction: "debit",
	Account: "6900", Description: "Bank fees per statement"}

// demoBank plays the bank for the month of first: a camt.053 statement of
// everything booked on the bank account (salary debits as one batch,
// supplier payments, customers' receipts, rent …), plus what the books do
// not know yet — three customers paying invoices overdue for one to three months and an account
// fee — then imports it and reconciles it to zero open items. A statement
// imported before is only reconciled again (idempotent).
func demoBank(ctx context.Context, e *env, p *partners.Parties, book string, first date.Date) error {
	last := first.EndOfMonth()
	r, err := e.reconciler(ctx, book)
	if err != nil {
		return err
	}
	rs := e.store.(reconcile.Store)
	bank := camttest.Bank{Book: book, Account: "1120", IBAN: demoBankIBAN, Currency: money.EUR}
	sts, err := rs.Statements(ctx, book, bank.Account)
	if err != nil {
		return err
	}
	imported := false
	for _, s := range sts {
		imported = imported || s.ClosingDate == last
	}
	if !imported {
		items, err := p.Items(ctx, book, partners.ItemQuery{Kind: partners.Receivable, OpenOnly: true, DueBy: first.AddDays(-30)})
		if err != nil {
			return err
		}
		var extra []camt.Line
		for _, it := range items {
			i := len(extra)
			if i == 3 {
				break
			}
			if it.DueDate.Before(first.AddDays(-90)) { // long overdue: the customer is not paying
				continue
			}
			extra = append(extra, camt.Line{Booked: first.AddDays(19 + i), Value: first.AddDays(19 + i), Amount: it.Open,
				Counterparty: "Kunde " + it.Party, Text: "Rechnung " + it.ID})
		}
		extra = append(extra, camt.Line{Booked: last, Value: last, Amount: money.New(-1250, money.EUR), Text: "Entgelt Kontofuehrung"})
		st, err := bank.Statement(ctx, e.ledger, first, last, extra)
		if err != nil {
			return err
		}
		// Through the file format, as a bank would send it.
		var buf bytes.Buffer
		if err := camt.WriteCAMT053(&buf, "DEMO-"+last.String(), []camt.Statement{st}); err != nil {
			return err
		}
		read, err := camt.ReadCAMT053(&buf, "demo-"+last.String()+".xml", &camt.Options{Currency: money.EUR})
		if err != nil {
			return err
		}
		if _, _, err := r.Import(ctx, book, bank.Account, read[0]); err != nil {
			return err
		}
	}
	t0 := time.Now()
	res, err := r.Reconcile(ctx, book, bank.Account, append(reconcile.DefaultRules(), demoFees), true)
	if err != nil {
		return err
	}
	status, err := r.Status(ctx, book, bank.Account, last)
	if err != nil {
		return err
	}
	if status.Open() != 0 {
		return fmt.Errorf("bank statement %s: %d open items after reconciling", last.String()[:7], status.Open())
	}
	fmt.Fprintf(os.Stderr, "bank statement %s: %d lines matched, %d posted in %v; bank %s = books %s, 0 open items\n",
		last.String()[:7], len(res.Matches), res.Posted, time.Since(t0).Round(time.Millisecond), status.BankBalance.Number(), status.BookBalance.Number())
	return nil
}
