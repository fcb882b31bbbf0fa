package postgres_test

import (
	"errors"
	"testing"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/payroll"
)

// TestPayrollInTx runs a pay run through a store bound to the caller's
// transaction (InTx), next to a row of the caller's: the run, its
// payslips and its journal entry commit or roll back with the caller.
func TestPayrollInTx(t *testing.T) {
	w := newPayWorld(t, 3)
	db := w.s.DB()
	mustExec(t, db.DB, "CREATE TABLE app_batches (id TEXT PRIMARY KEY)")
	jan := date.New(2026, time.January, 1)

	for _, commit := range []bool{false, true} {
		tx, err := db.BeginTxx(w.ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec("INSERT INTO app_batches (id) VALUES ('b-1')"); err != nil {
			t.Fatal(err)
		}
		inner := &payWorld{ctx: w.ctx, s: w.s.InTx(tx.Tx), cal: w.cal}
		inner.runs = w.runs.WithTx(inner.s) // the long-lived Runs, on this transaction
		run := inner.pay(t, "2026-01", jan)
		if run.Status != payroll.Posted || run.Entry != 1 {
			t.Fatalf("run inside the transaction: status %s, entry %d", run.Status, run.Entry)
		}
		if commit {
			err = tx.Commit()
		} else {
			err = tx.Rollback()
		}
		if err != nil {
			t.Fatal(err)
		}
		got, err := w.runs.Run(w.ctx, "2026-01")
		_, entryErr := w.led.EntryByKey(w.ctx, "acme", "payroll/2026-01")
		var batches int
		if err := db.Get(&batches, "SELECT count(*) FROM app_batches"); err != nil {
			t.Fatal(err)
		}
		if !commit {
			if !errors.Is(err, payroll.ErrRunNotFound) || !errors.Is(entryErr, ledger.ErrNotFound) || batches != 0 {
				t.Errorf("after rollback: run %v, entry %v, %d batches; want none of them", err, entryErr, batches)
			}
			continue
		}
		if err != nil || got.Status != payroll.Posted || entryErr != nil || batches != 1 {
			t.Errorf("after commit: run %s, %v; entry %v; %d batches", got.Status, err, entryErr, batches)
		}
		slips, err := w.runs.Payslips(w.ctx, "2026-01")
		if err != nil || len(slips) != 3 {
			t.Errorf("payslips after commit: %d, %v; want 3", len(slips), err)
		}
	}
	if _, err := w.led.Verify(w.ctx, "acme"); err != nil {
		t.Errorf("Verify: %v", err)
	}
}

// TestPayrollGuards checks the schema's guards against writes around the
// library: payslips never change, runs are never deleted, and a posted run
// keeps what it posted but may be paid.
func TestPayrollGuards(t *testing.T) {
	w := newPayWorld(t, 2)
	w.pay(t, "2026-01", date.New(2026, time.January, 1))
	db := w.s.DB()
	for _, q := range []string{
		"UPDATE bo_pay_payslips SET period_end = period_end + 1",
		"DELETE FROM bo_pay_payslips",
		"DELETE FROM bo_pay_runs",
		"UPDATE bo_pay_runs SET entry = entry + 1",
		"UPDATE bo_pay_runs SET calculation = 2",
		"UPDATE bo_pay_runs SET status = 'approved'",
	} {
		if _, err := db.Exec(q); err == nil {
			t.Errorf("%s: no error, want the guard's", q)
		}
	}
	if _, err := db.Exec("UPDATE bo_pay_runs SET status = 'paid', payment_entry = 2, bank_account = '1120'"); err != nil {
		t.Errorf("paying a posted run: %v", err)
	}
}
