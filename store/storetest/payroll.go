package storetest

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/payroll/rules/generic"
)

// PayrollStore is a store of every domain a pay run touches: one value
// implementing ledger.Store, hr.Store and payroll.Store over one database.
type PayrollStore interface {
	ledger.Store
	hr.Store
	payroll.Store
}

// Payroll runs the payroll conformance suite against stores made by
// newStore; each call must return a new, empty store. It checks the
// contract of payroll.Store directly (runs and payslips round-trip,
// duplicates and missing runs give the documented errors, posted payslips
// follow SetRun, a failed UpdatePayroll leaves nothing, also of what it
// posted through Tx.Ledger, and a failed Update of Tx.Ledger undoes only
// its own writes) and through payroll.Runs: the lifecycle of a run,
// idempotent posting and payment, an off-cycle run, and retro pay — a raise
// recorded in March, effective from January, pays the January and February
// differences in March and posts them on lines marking the period they
// correct.
func Payroll(t *testing.T, newStore func(t *testing.T) PayrollStore) {
	s := paySuite{newStore: newStore}
	t.Run("RoundTrip", s.testRoundTrip)
	t.Run("Atomicity", s.testAtomicity)
	t.Run("Savepoint", s.testSavepoint)
	t.Run("Lifecycle", s.testLifecycle)
	t.Run("PostFailure", s.testPostFailure)
	t.Run("CalculateFailure", s.testCalculateFailure)
	t.Run("ConcurrentPost", s.testConcurrentPost)
	t.Run("Retro", s.testRetro)
	t.Run("OffCycle", s.testOffCycle)
}

type paySuite struct {
	newStore func(t *testing.T) PayrollStore
}

var payCmp = gocmp.Options{
	gocmp.Comparer(func(a, b date.Date) bool { return a == b }),
	gocmp.Comparer(func(a, b money.Currency) bool { return a == b }),
	gocmp.Comparer(func(a, b money.Amount) bool { return a == b }),
	gocmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) }),
	gocmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) }),
	cmpopts.EquateEmpty(),
}

// payEnv is one subtest's world: a store with book "acme" on the default
// chart, HR records, and Runs with a generic pack (tax 25 % of gross,
// social 10 % of gross a side), all on one fake clock.
type payEnv struct {
	t     *testing.T
	ctx   context.Context
	store PayrollStore
	clock *clock
	led   *ledger.Ledger
	hr    *hr.Records
	runs  *payroll.Runs
	cal   payroll.Calendar
}

func (s paySuite) env(t *testing.T) *payEnv {
	t.Helper()
	st := s.newStore(t)
	if st == nil {
		t.Fatal("newStore returned nil")
	}
	e := &payEnv{t: t, ctx: context.Background(), store: st, clock: &clock{},
		cal: payroll.Calendar{ID: "monthly", Frequency: hr.MonthlyPay}}
	e.clock.Set(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
	e.led = ledger.New(st, &ledger.Options{Now: e.clock.Now})
	e.hr = hr.New(st, &hr.Options{Now: e.clock.Now})
	if err := e.led.CreateBook(e.ctx, ledger.Book{ID: "acme", Name: "ACME", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	if err := e.led.CreateAccounts(e.ctx, ledger.DefaultChart("acme")...); err != nil {
		t.Fatal(err)
	}
	e.runs = payroll.New(st, &payroll.Options{Now: e.clock.Now, Packs: payroll.Packs{payPack(t)}})
	return e
}

// payPack is a generic pack: tax 25 % of gross, social 10 % of gross for
// the employee and 10 % for the employer, no accounts (the Runs' default
// mapping applies).
func payPack(t *testing.T) *payroll.Pack {
	t.Helper()
	from := day("2025-01-01")
	p, err := generic.New(generic.Config{
		ID: "generic", Version: "1", ValidFrom: from, Rounding: money.HalfUp,
		Proration: payroll.Proration{Method: payroll.CalendarDays},
		Bases:     []string{"gross"},
		Contributions: []generic.Contribution{{Code: "social", Base: "gross", Rounding: money.HalfUp,
			Rates: payroll.Table[generic.Rates]{{From: from, Value: generic.Rates{Employee: dec("0.10"), Employer: dec("0.10")}}}}},
		Taxes: []generic.Tax{{Code: "tax", Base: "gross", Rounding: money.HalfUp,
			Brackets: payroll.Table[[]generic.Bracket]{{From: from, Value: []generic.Bracket{{Rate: dec("0.25")}}}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// hire records an employee of acme, employed from hired, on a monthly
// salary.
func (e *payEnv) hire(number, costCentre, hired, salary string) hr.Employee {
	e.t.Helper()
	emp, err := e.hr.Hire(e.ctx, hr.Employee{Employer: "acme", PersonnelNumber: number, FamilyName: "Name " + number,
		HireDate: day(hired), CostCentre: costCentre})
	if err != nil {
		e.t.Fatal(err)
	}
	_, err = e.hr.SetContract(e.ctx, hr.Contract{Employee: emp.ID, Effective: hr.Effective{ValidFrom: day(hired)},
		PayType: hr.Monthly, Amount: eur(salary), Frequency: hr.MonthlyPay,
		WeeklyHours: dec("40"), WorkDays: hr.MondayToFriday})
	if err != nil {
		e.t.Fatal(err)
	}
	return emp
}

func (e *payEnv) period(d string) payroll.Period {
	e.t.Helper()
	p, err := e.cal.PeriodOf(day(d))
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

// pay creates, calculates, approves and posts a run for the month of d.
func (e *payEnv) pay(id, d string, kind payroll.RunKind) payroll.Run {
	e.t.Helper()
	if _, err := e.runs.CreateRun(e.ctx, payroll.RunSpec{ID: id, Book: "acme", Period: e.period(d), Kind: kind}); err != nil {
		e.t.Fatalf("CreateRun(%s): %v", id, err)
	}
	if _, err := e.runs.Calculate(e.ctx, id); err != nil {
		e.t.Fatalf("Calculate(%s): %v", id, err)
	}
	if _, err := e.runs.Approve(e.ctx, id); err != nil {
		e.t.Fatalf("Approve(%s): %v", id, err)
	}
	run, err := e.runs.Post(e.ctx, id)
	if err != nil {
		e.t.Fatalf("Post(%s): %v", id, err)
	}
	return run
}

func (e *payEnv) slip(run, employee string) payroll.Payslip {
	e.t.Helper()
	slips, err := e.runs.Payslips(e.ctx, run)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, s := range slips {
		if s.Employee == employee {
			return s
		}
	}
	e.t.Fatalf("run %s has no payslip of %s", run, employee)
	return payroll.Payslip{}
}

// sums returns the amounts of the lines of a payslip by code, retro
// lines (by the period they correct) apart: "salary", "salary@monthly/2026/01".
func paySums(s payroll.Payslip) map[string]string {
	out := map[string]string{}
	for _, l := range s.Lines {
		k := l.Code
		if !l.Corrects.IsZero() {
			k += "@" + l.Corrects.Key()
		}
		a := l.Amount
		if prev, ok := out[k]; ok {
			a, _ = a.Add(money.MustParse(prev, s.Currency))
		}
		out[k] = a.Number()
	}
	return out
}

// entryLines returns the lines of the entry posted under key as
// "account dims amount" strings, debit positive, in entry order.
func (e *payEnv) entryLines(key string) []string {
	e.t.Helper()
	p, err := e.led.EntryByKey(e.ctx, "acme", key)
	if err != nil {
		e.t.Fatalf("EntryByKey(%s): %v", key, err)
	}
	if p.Journal != payroll.JournalPayroll {
		e.t.Errorf("entry %s journal = %q, want %q", key, p.Journal, payroll.JournalPayroll)
	}
	var out []string
	for _, l := range p.Lines {
		var dims []string
		for _, k := range []string{payroll.DimEmployee, payroll.DimCostCentre, payroll.DimCorrects} {
			if v, ok := l.Dimensions[k]; ok {
				dims = append(dims, k+"="+v)
			}
		}
		out = append(out, l.Account+" "+strings.Join(dims, ",")+" "+l.Amount.Number())
	}
	return out
}

func (e *payEnv) balance(account string) string {
	e.t.Helper()
	b, err := e.led.Balance(e.ctx, "acme", account, date.Date{})
	if err != nil {
		e.t.Fatal(err)
	}
	return b.In(money.EUR).Number()
}

func payRunFixture() payroll.Run {
	at := time.Date(2026, 3, 14, 14, 9, 26, 535897000, time.UTC)
	return payroll.Run{
		ID: "2026-03", Book: "acme", Kind: payroll.Regular,
		Period: payroll.Period{Calendar: "monthly", Frequency: hr.MonthlyPay, Year: 2026, Quarter: 1, Number: 3,
			Start: day("2026-03-01"), End: day("2026-03-31"), PayDate: day("2026-03-31")},
		Employees: []string{"acme/1", "acme/2"}, Date: day("2026-03-31"), Status: payroll.Calculated,
		Calculation: 1, Basis: 2,
		Problems:  []payroll.Problem{{Employee: "acme/3", PersonnelNumber: "3", Code: "negative_net", Reason: "payroll: employee acme/3 (3): Ünïcode"}},
		CreatedAt: at, CalculatedAt: at.Add(time.Hour),
	}
}

func paySlipFixture(emp string, calc int) payroll.Payslip {
	p := payRunFixture().Period
	jan := payroll.Period{Calendar: "monthly", Frequency: hr.MonthlyPay, Year: 2026, Quarter: 1, Number: 1,
		Start: day("2026-01-01"), End: day("2026-01-31"), PayDate: day("2026-01-30")}
	salary := eur("5800.00")
	if calc > 1 {
		salary = eur("5900.00")
	}
	return payroll.Payslip{
		Employee: emp, PersonnelNumber: strings.TrimPrefix(emp, "acme/"), Period: p, Currency: money.EUR,
		Pack: "generic", PackVersion: "1", Proration: payroll.CalendarDays,
		Segments: []payroll.Segment{{From: p.Start, To: p.End, Paid: 31, Total: 31,
			Contract: hr.Contract{Employee: emp, Effective: hr.Effective{ValidFrom: day("2026-01-01"), Seq: 2},
				PayType: hr.Monthly, Amount: salary, Frequency: hr.MonthlyPay, WeeklyHours: dec("38.5"), WorkDays: hr.MondayToFriday}}},
		Lines: []payroll.Line{
			{Code: "salary", Kind: payroll.Earning, Amount: salary, Bases: []string{"gross"}, Account: "6100",
				From: p.Start, To: p.End, Pack: "generic", PackVersion: "1", Rule: "generic.earnings",
				Trace: []payroll.Step{{Name: "paid", Value: "31/31 calendar_days"}}},
			{Code: "hours.overtime", Kind: payroll.Earning, Quantity: dec("2.5"), Rate: dec("41.8333"), Amount: eur("104.58"),
				From: p.Start, To: p.End},
			{Code: "tax", Kind: payroll.Tax, Basis: eur("6904.58"), Rate: dec("0.25"), Amount: eur("1726.15"), From: p.Start, To: p.End},
			{Code: "salary", Kind: payroll.Earning, Amount: eur("1000.00"), Corrects: jan, From: jan.Start, To: jan.End, Rule: "retro"},
		},
		Gross: eur("6904.58"), PreTaxDeductions: eur("0.00"), Taxes: eur("1726.15"), PostTaxDeductions: eur("0.00"),
		Net: eur("5178.43"), EmployerContributions: eur("0.00"),
		Bases: map[string]money.Amount{"gross": eur("5904.58")},
		YTD: payroll.Accumulators{Year: 2026, Quarter: 1,
			Gross: payroll.Figures{Period: eur("6904.58"), Quarter: eur("16504.58"), Year: eur("16504.58")},
			Net:   payroll.Figures{Period: eur("5178.43"), Quarter: eur("12378.43"), Year: eur("12378.43")},
			Lines: map[string]payroll.Figures{"salary": {Period: salary, Quarter: eur("16400.00"), Year: eur("16400.00")}},
			Bases: map[string]payroll.Figures{"gross": {Period: eur("5904.58"), Quarter: eur("15504.58"), Year: eur("15504.58")}}},
	}
}

func (s paySuite) testRoundTrip(t *testing.T) {
	e := s.env(t)
	ctx := e.ctx
	run := payRunFixture()
	slips := []payroll.Payslip{paySlipFixture("acme/1", 1), paySlipFixture("acme/2", 1)}
	err := e.store.UpdatePayroll(ctx, func(tx payroll.Tx) error {
		if err := tx.AddRun(ctx, run); err != nil {
			return err
		}
		if err := tx.AddRun(ctx, run); !errors.Is(err, payroll.ErrDuplicate) {
			t.Errorf("AddRun again = %v, want ErrDuplicate", err)
		}
		if err := tx.AddPayslips(ctx, run.ID, 1, slips); err != nil {
			return err
		}
		if err := tx.AddPayslips(ctx, run.ID, 1, slips[:1]); !errors.Is(err, payroll.ErrDuplicate) {
			t.Errorf("AddPayslips of the same employee again = %v, want ErrDuplicate", err)
		}
		if err := tx.AddPayslips(ctx, "nope", 1, slips[:1]); !errors.Is(err, payroll.ErrRunNotFound) {
			t.Errorf("AddPayslips of a missing run = %v, want ErrRunNotFound", err)
		}
		if err := tx.SetRun(ctx, payroll.Run{ID: "nope"}); !errors.Is(err, payroll.ErrRunNotFound) {
			t.Errorf("SetRun of a missing run = %v, want ErrRunNotFound", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slips[0].Lines[0].Trace[0].Value = "changed after the store had it"
	slips[0] = paySlipFixture("acme/1", 1)

	view := func(fn func(tx payroll.ReadTx) error) {
		t.Helper()
		if err := e.store.ViewPayroll(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	bySlip := func(a, b payroll.Payslip) bool { return a.Employee < b.Employee }
	view(func(tx payroll.ReadTx) error {
		got, err := tx.Run(ctx, run.ID)
		if err != nil {
			return err
		}
		if d := gocmp.Diff(got, run, payCmp); d != "" {
			t.Errorf("Run (-got +want):\n%s", d)
		}
		if _, err := tx.Run(ctx, "nope"); !errors.Is(err, payroll.ErrRunNotFound) {
			t.Errorf("Run(nope) = %v, want ErrRunNotFound", err)
		}
		runs, err := tx.Runs(ctx, "acme")
		if err != nil {
			return err
		}
		if d := gocmp.Diff(runs, []payroll.Run{run}, payCmp); d != "" {
			t.Errorf("Runs (-got +want):\n%s", d)
		}
		if runs, _ := tx.Runs(ctx, "other"); len(runs) != 0 {
			t.Errorf("Runs(other) = %d runs, want none", len(runs))
		}
		got1, err := tx.Payslips(ctx, run.ID, 1)
		if err != nil {
			return err
		}
		if d := gocmp.Diff(got1, slips, payCmp, cmpopts.SortSlices(bySlip)); d != "" {
			t.Errorf("Payslips (-got +want):\n%s", d)
		}
		if got, _ := tx.Payslips(ctx, run.ID, 2); len(got) != 0 {
			t.Errorf("Payslips of calculation 2 = %d, want none", len(got))
		}
		if got, _ := tx.PostedPayslips(ctx, "acme/1", date.Date{}); len(got) != 0 {
			t.Errorf("PostedPayslips before posting = %d, want none", len(got))
		}
		if _, ok := tx.HR().(hr.ReadTx); !ok {
			t.Error("HR() returned nil")
		}
		return nil
	})

	// Recalculation adds calculation 2; posting makes it the posted one.
	slips2 := []payroll.Payslip{paySlipFixture("acme/1", 2)}
	err = e.store.UpdatePayroll(ctx, func(tx payroll.Tx) error {
		if err := tx.AddPayslips(ctx, run.ID, 2, slips2); err != nil {
			return err
		}
		r := run
		r.Calculation, r.Problems, r.Status, r.PostSeq, r.Entry = 2, nil, payroll.Posted, 3, 7
		return tx.SetRun(ctx, r)
	})
	if err != nil {
		t.Fatal(err)
	}
	view(func(tx payroll.ReadTx) error {
		got, err := tx.Run(ctx, run.ID)
		if err != nil {
			return err
		}
		if got.Status != payroll.Posted || got.Calculation != 2 || got.PostSeq != 3 || got.Entry != 7 || len(got.Problems) != 0 {
			t.Errorf("Run after SetRun = %+v", got)
		}
		posted, err := tx.PostedPayslips(ctx, "acme/1", date.Date{})
		if err != nil {
			return err
		}
		want := []payroll.PostedPayslip{{Run: run.ID, Kind: payroll.Regular, PostSeq: 3, Payslip: slips2[0]}}
		if d := gocmp.Diff(posted, want, payCmp); d != "" {
			t.Errorf("PostedPayslips (-got +want):\n%s", d)
		}
		if got, _ := tx.PostedPayslips(ctx, "acme/2", date.Date{}); len(got) != 0 {
			t.Errorf("PostedPayslips of an employee only in calculation 1 = %d, want none", len(got))
		}
		if got, _ := tx.PostedPayslips(ctx, "acme/1", day("2026-03-31")); len(got) != 1 {
			t.Errorf("PostedPayslips since the period's last day = %d, want 1", len(got))
		}
		if got, _ := tx.PostedPayslips(ctx, "acme/1", day("2026-04-01")); len(got) != 0 {
			t.Errorf("PostedPayslips since after the period = %d, want none", len(got))
		}
		return nil
	})
}

// testAtomicity checks that a failure after the ledger post inside
// UpdatePayroll leaves neither the run, nor its payslips, nor the entry.
func (s paySuite) testAtomicity(t *testing.T) {
	e := s.env(t)
	ctx := e.ctx
	boom := errors.New("boom")
	run := payRunFixture()
	err := e.store.UpdatePayroll(ctx, func(tx payroll.Tx) error {
		if err := tx.AddRun(ctx, run); err != nil {
			return err
		}
		if err := tx.AddPayslips(ctx, run.ID, 1, []payroll.Payslip{paySlipFixture("acme/1", 1)}); err != nil {
			return err
		}
		run.Status = payroll.Posted
		if err := tx.SetRun(ctx, run); err != nil {
			return err
		}
		l := ledger.New(tx.Ledger(), &ledger.Options{Now: e.clock.Now})
		p, err := l.Post(ctx, ledger.Entry{Book: "acme", Key: "payroll/x", Date: day("2026-03-31"),
			Lines: []ledger.Line{ledger.Debit("6100", eur("10.00")), ledger.Credit("2130", eur("10.00"))}})
		if err != nil {
			return err
		}
		// The transaction sees its own entry.
		if got, err := l.EntryByKey(ctx, "acme", "payroll/x"); err != nil || got.Seq != p.Seq {
			t.Errorf("EntryByKey inside the transaction = %v, %v", got.Seq, err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("UpdatePayroll = %v, want boom", err)
	}
	if _, err := e.runs.Run(ctx, run.ID); !errors.Is(err, payroll.ErrRunNotFound) {
		t.Errorf("Run after the failed transaction = %v, want ErrRunNotFound", err)
	}
	_ = e.store.ViewPayroll(ctx, func(tx payroll.ReadTx) error {
		if got, _ := tx.PostedPayslips(ctx, "acme/1", date.Date{}); len(got) != 0 {
			t.Errorf("PostedPayslips after the failed transaction = %d, want none", len(got))
		}
		return nil
	})
	if _, err := e.led.EntryByKey(ctx, "acme", "payroll/x"); !errors.Is(err, ledger.ErrNotFound) {
		t.Errorf("EntryByKey after the failed transaction = %v, want ErrNotFound", err)
	}
	if got := e.balance("6100"); got != "0.00" {
		t.Errorf("balance of 6100 = %s, want 0.00", got)
	}
	if _, err := e.led.Verify(ctx, "acme"); err != nil {
		t.Errorf("Verify: %v", err)
	}
	// The ledger goes on where it was.
	p, err := e.led.Post(ctx, ledger.Entry{Book: "acme", Date: day("2026-03-31"),
		Lines: []ledger.Line{ledger.Debit("6100", eur("1.00")), ledger.Credit("2130", eur("1.00"))}})
	if err != nil || p.Seq != 1 {
		t.Errorf("Post after the failed transaction = seq %d, %v; want seq 1", p.Seq, err)
	}
}

// testSavepoint checks that a failed Update of Tx.Ledger undoes only its
// own writes: the transaction goes on and commits the rest.
func (s paySuite) testSavepoint(t *testing.T) {
	e := s.env(t)
	ctx := e.ctx
	boom := errors.New("boom")
	run := payRunFixture()
	err := e.store.UpdatePayroll(ctx, func(tx payroll.Tx) error {
		if err := tx.AddRun(ctx, run); err != nil {
			return err
		}
		ls := tx.Ledger()
		err := ls.Update(ctx, func(ltx ledger.Tx) error {
			if err := ltx.PutAccount(ctx, ledger.Account{Book: "acme", Code: "9999", Name: "Gone", Type: ledger.Expense}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Errorf("nested Update = %v, want boom", err)
		}
		// A post through the ledger view after the failed one commits.
		l := ledger.New(ls, &ledger.Options{Now: e.clock.Now})
		_, err = l.Post(ctx, ledger.Entry{Book: "acme", Key: "kept", Date: day("2026-03-31"),
			Lines: []ledger.Line{ledger.Debit("6100", eur("10.00")), ledger.Credit("2130", eur("10.00"))}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.runs.Run(ctx, run.ID); err != nil {
		t.Errorf("Run after the transaction: %v", err)
	}
	if _, err := e.led.Account(ctx, "acme", "9999"); !errors.Is(err, ledger.ErrUnknownAccount) {
		t.Errorf("account written by the failed nested Update = %v, want ErrUnknownAccount", err)
	}
	if _, err := e.led.EntryByKey(ctx, "acme", "kept"); err != nil {
		t.Errorf("entry posted after the failed nested Update: %v", err)
	}
	if _, err := e.led.Verify(ctx, "acme"); err != nil {
		t.Errorf("Verify: %v", err)
	}
}

func (s paySuite) testLifecycle(t *testing.T) {
	e := s.env(t)
	ctx := e.ctx
	a := e.hire("1001", "CC-10", "2025-06-01", "4800.00")
	b := e.hire("1002", "CC-20", "2026-01-16", "3100.00") // half of January: 1,600.00
	spec := payroll.RunSpec{ID: "2026-01", Book: "acme", Period: e.period("2026-01-01")}

	run, err := e.runs.CreateRun(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != payroll.Draft || run.Kind != payroll.Regular || run.Date != day("2026-01-31") {
		t.Errorf("CreateRun = %+v", run)
	}
	if again, err := e.runs.CreateRun(ctx, spec); err != nil || again.ID != run.ID {
		t.Errorf("CreateRun again = %v, %v; want the same run", again.ID, err)
	}
	other := spec
	other.Kind = payroll.OffCycle
	if _, err := e.runs.CreateRun(ctx, other); !errors.Is(err, payroll.ErrDuplicate) {
		t.Errorf("CreateRun with another spec = %v, want ErrDuplicate", err)
	}
	if _, err := e.runs.Approve(ctx, spec.ID); !errors.Is(err, payroll.ErrRunState) {
		t.Errorf("Approve a draft = %v, want ErrRunState", err)
	}
	if _, err := e.runs.Post(ctx, spec.ID); !errors.Is(err, payroll.ErrRunState) {
		t.Errorf("Post a draft = %v, want ErrRunState", err)
	}
	if _, err := e.runs.Calculate(ctx, "nope"); !errors.Is(err, payroll.ErrRunNotFound) {
		t.Errorf("Calculate a missing run = %v, want ErrRunNotFound", err)
	}

	run, err = e.runs.Calculate(ctx, spec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != payroll.Calculated || run.Calculation != 1 {
		t.Errorf("after Calculate: status %s, calculation %d", run.Status, run.Calculation)
	}
	// A contract change before approval: recalculation replaces the payslips.
	if _, err := e.hr.ChangeContract(ctx, a.ID, day("2026-01-01"), func(c *hr.Contract) { c.Amount = eur("5000.00") }); err != nil {
		t.Fatal(err)
	}
	run, err = e.runs.Calculate(ctx, spec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if run.Calculation != 2 {
		t.Errorf("calculation after recalculating = %d, want 2", run.Calculation)
	}
	slips, err := e.runs.Payslips(ctx, spec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(slips) != 2 {
		t.Fatalf("payslips = %d, want 2", len(slips))
	}
	wantNet := map[string]string{a.ID: "3250.00", b.ID: "1040.00"} // 5000 − 25 % − 10 %; 1600 − 35 %
	for _, s := range slips {
		if s.Net.Number() != wantNet[s.Employee] {
			t.Errorf("net of %s = %s, want %s", s.Employee, s.Net.Number(), wantNet[s.Employee])
		}
		if s.YTD.Gross.Year != s.Gross {
			t.Errorf("YTD gross of %s = %s, want %s", s.Employee, s.YTD.Gross.Year, s.Gross)
		}
	}

	if run, err = e.runs.Approve(ctx, spec.ID); err != nil || run.Status != payroll.Approved {
		t.Fatalf("Approve = %s, %v", run.Status, err)
	}
	if again, err := e.runs.Calculate(ctx, spec.ID); err != nil || again.Status != payroll.Approved || again.Calculation != run.Calculation {
		t.Errorf("Calculate an approved run = %s (calculation %d), %v; want it approved as it was", again.Status, again.Calculation, err)
	}
	run, err = e.runs.Post(ctx, spec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != payroll.Posted || run.Entry != 1 || run.PostSeq != 1 {
		t.Errorf("Post = status %s, entry %d, post seq %d", run.Status, run.Entry, run.PostSeq)
	}
	want := []string{
		"6100 employee=acme/1001,cost_centre=CC-10 5000.00",
		"2150 employee=acme/1001,cost_centre=CC-10 -1000.00",
		"6110 employee=acme/1001,cost_centre=CC-10 500.00",
		"2140 employee=acme/1001,cost_centre=CC-10 -1250.00",
		"2130 employee=acme/1001,cost_centre=CC-10 -3250.00",
		"6100 employee=acme/1002,cost_centre=CC-20 1600.00",
		"2150 employee=acme/1002,cost_centre=CC-20 -320.00",
		"6110 employee=acme/1002,cost_centre=CC-20 160.00",
		"2140 employee=acme/1002,cost_centre=CC-20 -400.00",
		"2130 employee=acme/1002,cost_centre=CC-20 -1040.00",
	}
	if d := gocmp.Diff(e.entryLines("payroll/2026-01"), want); d != "" {
		t.Errorf("posted entry (-got +want):\n%s", d)
	}

	// Posting again posts nothing.
	again, err := e.runs.Post(ctx, spec.ID)
	if err != nil || again.Entry != run.Entry || !again.PostedAt.Equal(run.PostedAt) {
		t.Errorf("Post again = entry %d, %v; want the first result", again.Entry, err)
	}
	if _, err := e.led.Entry(ctx, "acme", 2); !errors.Is(err, ledger.ErrNotFound) {
		t.Errorf("a second entry exists after posting twice: %v", err)
	}

	// Payment clears net pay payable against the bank.
	if _, err := e.runs.PostPayment(ctx, "nope", "1120", day("2026-01-30")); !errors.Is(err, payroll.ErrRunNotFound) {
		t.Errorf("PostPayment of a missing run = %v, want ErrRunNotFound", err)
	}
	paid, err := e.runs.PostPayment(ctx, spec.ID, "1120", day("2026-01-30"))
	if err != nil {
		t.Fatal(err)
	}
	if paid.Status != payroll.Paid || paid.PaymentEntry != 2 || paid.BankAccount != "1120" {
		t.Errorf("PostPayment = %+v", paid)
	}
	if got := e.balance("2130"); got != "0.00" {
		t.Errorf("net pay payable after payment = %s, want 0.00", got)
	}
	if got := e.balance("1120"); got != "-4290.00" {
		t.Errorf("bank after payment = %s, want -4290.00", got)
	}
	if again, err := e.runs.PostPayment(ctx, spec.ID, "1120", day("2026-01-30")); err != nil || again.PaymentEntry != 2 {
		t.Errorf("PostPayment again = %d, %v; want the first result", again.PaymentEntry, err)
	}
	if _, err := e.runs.PostPayment(ctx, spec.ID, "1120", day("2026-01-29")); !errors.Is(err, payroll.ErrRunState) {
		t.Errorf("PostPayment on another day = %v, want ErrRunState", err)
	}
	if _, err := e.led.Entry(ctx, "acme", 3); !errors.Is(err, ledger.ErrNotFound) {
		t.Errorf("a third entry exists after paying twice: %v", err)
	}
	if _, err := e.led.Verify(ctx, "acme"); err != nil {
		t.Errorf("Verify: %v", err)
	}
}

// failingPayStore fails SetRun to Posted, after the run's entry is posted
// in the same transaction.
type failingPayStore struct{ PayrollStore }

type failingPayTx struct{ payroll.Tx }

var errInjected = errors.New("injected failure")

func (s failingPayStore) UpdatePayroll(ctx context.Context, fn func(payroll.Tx) error) error {
	return s.PayrollStore.UpdatePayroll(ctx, func(tx payroll.Tx) error { return fn(failingPayTx{tx}) })
}

func (tx failingPayTx) SetRun(ctx context.Context, r payroll.Run) error {
	if r.Status == payroll.Posted {
		return errInjected
	}
	return tx.Tx.SetRun(ctx, r)
}

// testPostFailure checks that a run whose posting fails after the ledger
// entry leaves no entry, and posts once the failure is gone.
func (s paySuite) testPostFailure(t *testing.T) {
	e := s.env(t)
	ctx := e.ctx
	e.hire("1001", "CC-10", "2025-06-01", "4800.00")
	runs := payroll.New(failingPayStore{e.store}, &payroll.Options{Now: e.clock.Now, Packs: payroll.Packs{payPack(t)}})
	spec := payroll.RunSpec{ID: "2026-01", Book: "acme", Period: e.period("2026-01-01")}
	if _, err := runs.CreateRun(ctx, spec); err != nil {
		t.Fatal(err)
	}
	if _, err := runs.Calculate(ctx, spec.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := runs.Approve(ctx, spec.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := runs.Post(ctx, spec.ID); !errors.Is(err, errInjected) {
		t.Fatalf("Post = %v, want the injected failure", err)
	}
	if _, err := e.led.EntryByKey(ctx, "acme", "payroll/2026-01"); !errors.Is(err, ledger.ErrNotFound) {
		t.Errorf("entry after the failed post = %v, want ErrNotFound", err)
	}
	if got := e.balance("6100"); got != "0.00" {
		t.Errorf("salaries after the failed post = %s, want 0.00", got)
	}
	run, err := e.runs.Run(ctx, spec.ID)
	if err != nil || run.Status != payroll.Approved {
		t.Errorf("run after the failed post = %s, %v; want approved", run.Status, err)
	}
	if run, err = e.runs.Post(ctx, spec.ID); err != nil || run.Entry != 1 {
		t.Errorf("Post without the failure = entry %d, %v; want entry 1", run.Entry, err)
	}
}

// failingHRStore fails every read of contracts in a payroll transaction:
// the store failing in the middle of a calculation.
type failingHRStore struct{ PayrollStore }

type failingHRTx struct{ payroll.Tx }

type failingHR struct{ hr.ReadTx }

func (s failingHRStore) UpdatePayroll(ctx context.Context, fn func(payroll.Tx) error) error {
	return s.PayrollStore.UpdatePayroll(ctx, func(tx payroll.Tx) error { return fn(failingHRTx{tx}) })
}

func (tx failingHRTx) HR() hr.ReadTx { return failingHR{tx.Tx.HR()} }

func (failingHR) Contracts(context.Context, string) ([]hr.Contract, error) { return nil, errInjected }

// testCalculateFailure checks that a store failure during a calculation
// fails Calculate (so a store can retry it) rather than being kept as the
// employee's problem, and leaves the run as it was.
func (s paySuite) testCalculateFailure(t *testing.T) {
	e := s.env(t)
	ctx := e.ctx
	e.hire("1001", "CC-10", "2025-06-01", "4800.00")
	runs := payroll.New(failingHRStore{e.store}, &payroll.Options{Now: e.clock.Now, Packs: payroll.Packs{payPack(t)}})
	spec := payroll.RunSpec{ID: "2026-01", Book: "acme", Period: e.period("2026-01-01")}
	if _, err := runs.CreateRun(ctx, spec); err != nil {
		t.Fatal(err)
	}
	if _, err := runs.Calculate(ctx, spec.ID); !errors.Is(err, errInjected) {
		t.Fatalf("Calculate = %v, want the injected failure", err)
	}
	run, err := e.runs.Run(ctx, spec.ID)
	if err != nil || run.Status != payroll.Draft || len(run.Problems) != 0 {
		t.Errorf("run after the failed calculation = %s with %d problems, %v; want draft, none", run.Status, len(run.Problems), err)
	}
}

// testConcurrentPost posts two approved runs of one book at once, each for
// one employee: the second to post is stale (calculated before the first
// was posted), so exactly one succeeds and the other is ErrStale, never
// both.
func (s paySuite) testConcurrentPost(t *testing.T) {
	e := s.env(t)
	ctx := e.ctx
	e.hire("1001", "CC-10", "2025-06-01", "4800.00")
	e.hire("1002", "CC-20", "2025-06-01", "3900.00")
	ids := []string{"2026-01-a", "2026-01-b"}
	for i, id := range ids {
		spec := payroll.RunSpec{ID: id, Book: "acme", Period: e.period("2026-01-01"), Employees: []string{[]string{"acme/1001", "acme/1002"}[i]}}
		if _, err := e.runs.CreateRun(ctx, spec); err != nil {
			t.Fatal(err)
		}
		if _, err := e.runs.Calculate(ctx, id); err != nil {
			t.Fatal(err)
		}
		if _, err := e.runs.Approve(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() { _, errs[i] = e.runs.Post(ctx, id) })
	}
	wg.Wait()
	posted, stale := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			posted++
		case errors.Is(err, payroll.ErrStale):
			stale++
		default:
			t.Errorf("Post: %v", err)
		}
	}
	if posted != 1 || stale != 1 {
		t.Errorf("%d posted, %d stale; want 1 and 1", posted, stale)
	}
}

// testRetro is the acceptance scenario of retro pay: 4,800.00 a month,
// paid and posted for January and February; on 10 March a raise to
// 5,800.00 effective 1 January is recorded; the March run pays 5,800.00
// and the differences +2,000.00 salary, +500.00 tax, +200.00 social (each
// side), on lines marking January and February.
func (s paySuite) testRetro(t *testing.T) {
	e := s.env(t)
	ctx := e.ctx
	a := e.hire("1001", "CC-10", "2025-10-01", "4800.00")
	b := e.hire("1002", "CC-20", "2025-10-01", "3000.00") // no change: no retro
	e.clock.Set(time.Date(2026, 1, 28, 9, 0, 0, 0, time.UTC))
	e.pay("2026-01", "2026-01-01", "")
	e.clock.Set(time.Date(2026, 2, 26, 9, 0, 0, 0, time.UTC))
	e.pay("2026-02", "2026-02-01", "")

	e.clock.Set(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	if _, err := e.hr.ChangeContract(ctx, a.ID, day("2026-01-01"), func(c *hr.Contract) { c.Amount = eur("5800.00") }); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(time.Date(2026, 3, 27, 9, 0, 0, 0, time.UTC))
	e.pay("2026-03", "2026-03-01", "")

	slip := e.slip("2026-03", a.ID)
	want := map[string]string{
		"salary": "5800.00", "tax": "1450.00", "social.employee": "580.00", "social.employer": "580.00",
		"salary@monthly/2026/01": "1000.00", "tax@monthly/2026/01": "250.00",
		"social.employee@monthly/2026/01": "100.00", "social.employer@monthly/2026/01": "100.00",
		"salary@monthly/2026/02": "1000.00", "tax@monthly/2026/02": "250.00",
		"social.employee@monthly/2026/02": "100.00", "social.employer@monthly/2026/02": "100.00",
	}
	if d := gocmp.Diff(paySums(slip), want); d != "" {
		t.Errorf("March payslip lines (-got +want):\n%s", d)
	}
	if slip.Gross.Number() != "7800.00" || slip.Net.Number() != "5070.00" {
		t.Errorf("March gross, net = %s, %s; want 7800.00, 5070.00", slip.Gross.Number(), slip.Net.Number())
	}
	if got := slip.YTD.Gross.Year.Number(); got != "17400.00" {
		t.Errorf("YTD gross after March = %s, want 17400.00 (3 × 5,800.00)", got)
	}
	if got := paySums(e.slip("2026-03", b.ID)); len(got) != 4 {
		t.Errorf("March payslip of the unchanged employee = %v, want no retro lines", got)
	}

	c := "employee=acme/1001,cost_centre=CC-10"
	wantEntry := []string{
		"6100 " + c + " 5800.00",
		"2150 " + c + " -1160.00",
		"6110 " + c + " 580.00",
		"2140 " + c + " -1450.00",
		"6100 " + c + ",corrects=monthly/2026/01 1000.00",
		"2150 " + c + ",corrects=monthly/2026/01 -200.00",
		"6110 " + c + ",corrects=monthly/2026/01 100.00",
		"2140 " + c + ",corrects=monthly/2026/01 -250.00",
		"6100 " + c + ",corrects=monthly/2026/02 1000.00",
		"2150 " + c + ",corrects=monthly/2026/02 -200.00",
		"6110 " + c + ",corrects=monthly/2026/02 100.00",
		"2140 " + c + ",corrects=monthly/2026/02 -250.00",
		"2130 " + c + " -5070.00",
	}
	got := e.entryLines("payroll/2026-03")
	if d := gocmp.Diff(got[:len(wantEntry)], wantEntry); d != "" {
		t.Errorf("March entry, employee 1001 (-got +want):\n%s", d)
	}
	if len(got) != len(wantEntry)+5 {
		t.Errorf("March entry has %d lines, want %d", len(got), len(wantEntry)+5)
	}
	// Three months of 5,800.00 and of 3,000.00 in salaries in all.
	if got := e.balance("6100"); got != "26400.00" {
		t.Errorf("salaries after March = %s, want 26400.00", got)
	}

	// April: nothing changed, nothing to correct.
	e.clock.Set(time.Date(2026, 4, 28, 9, 0, 0, 0, time.UTC))
	e.pay("2026-04", "2026-04-01", "")
	april := e.slip("2026-04", a.ID)
	if got := paySums(april); len(got) != 4 {
		t.Errorf("April payslip lines = %v, want no retro lines", got)
	}
	if got := april.YTD.Gross.Year.Number(); got != "23200.00" {
		t.Errorf("YTD gross after April = %s, want 23200.00", got)
	}

	// A regular run cannot pay a posted period again.
	if _, err := e.runs.CreateRun(ctx, payroll.RunSpec{ID: "again", Book: "acme", Period: e.period("2026-04-01")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.runs.Calculate(ctx, "again"); !errors.Is(err, payroll.ErrPeriodPaid) {
		t.Errorf("Calculate a regular run of a posted period = %v, want ErrPeriodPaid", err)
	}
	if _, err := e.led.Verify(ctx, "acme"); err != nil {
		t.Errorf("Verify: %v", err)
	}
}

// testOffCycle pays a bonus recorded after the regular run in an
// off-cycle run, and checks the next regular run's accumulators.
func (s paySuite) testOffCycle(t *testing.T) {
	e := s.env(t)
	ctx := e.ctx
	a := e.hire("1001", "CC-10", "2025-10-01", "4800.00")
	e.hire("1002", "CC-20", "2025-10-01", "3000.00")
	e.pay("2026-03", "2026-03-01", "")
	if _, err := e.hr.AddOneTimeItem(ctx, hr.OneTimeItem{Employee: a.ID, Key: "bonus-2026", Date: day("2026-03-31"),
		Type: hr.Bonus, Amount: eur("1000.00")}); err != nil {
		t.Fatal(err)
	}
	run := e.pay("2026-03-bonus", "2026-03-01", payroll.OffCycle)
	slips, err := e.runs.Payslips(ctx, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(slips) != 1 {
		t.Fatalf("off-cycle payslips = %d, want 1 (only the employee with a difference)", len(slips))
	}
	want := map[string]string{"bonus": "1000.00", "tax": "250.00", "social.employee": "100.00", "social.employer": "100.00"}
	if d := gocmp.Diff(paySums(slips[0]), want); d != "" {
		t.Errorf("off-cycle lines (-got +want):\n%s", d)
	}
	if slips[0].Net.Number() != "650.00" || slips[0].YTD.Gross.Year.Number() != "5800.00" {
		t.Errorf("off-cycle net, YTD gross = %s, %s; want 650.00, 5800.00", slips[0].Net.Number(), slips[0].YTD.Gross.Year.Number())
	}
	wantEntry := []string{
		"6100 employee=acme/1001,cost_centre=CC-10 1000.00",
		"2150 employee=acme/1001,cost_centre=CC-10 -200.00",
		"6110 employee=acme/1001,cost_centre=CC-10 100.00",
		"2140 employee=acme/1001,cost_centre=CC-10 -250.00",
		"2130 employee=acme/1001,cost_centre=CC-10 -650.00",
	}
	if d := gocmp.Diff(e.entryLines("payroll/2026-03-bonus"), wantEntry); d != "" {
		t.Errorf("off-cycle entry (-got +want):\n%s", d)
	}
	e.pay("2026-04", "2026-04-01", "")
	if got := e.slip("2026-04", a.ID).YTD.Gross.Year.Number(); got != "10600.00" {
		t.Errorf("YTD gross after April = %s, want 10600.00", got)
	}
	// Nothing left to pay: an off-cycle run with no payslips posts no entry.
	run = e.pay("2026-04-none", "2026-04-01", payroll.OffCycle)
	if run.Entry != 0 {
		t.Errorf("empty off-cycle run posted entry %d", run.Entry)
	}
	if run.Status != payroll.Posted {
		t.Errorf("empty off-cycle run status = %s, want posted", run.Status)
	}
}
