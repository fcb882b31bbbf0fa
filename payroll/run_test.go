package payroll_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/payroll/rules/generic"
	"github.com/openbackoffice/backoffice/store/memory"
)

// runWorld is a memory store with book acme on the default chart, HR
// records and Runs over it.
type runWorld struct {
	t    testing.TB
	ctx  context.Context
	st   *memory.Store
	led  *ledger.Ledger
	hr   *hr.Records
	runs *payroll.Runs
}

func newRunWorld(t testing.TB, opts *payroll.Options) *runWorld {
	t.Helper()
	ctx := context.Background()
	st := memory.New()
	now := func() time.Time { return time.Date(2026, 3, 27, 9, 0, 0, 0, time.UTC) }
	w := &runWorld{t: t, ctx: ctx, st: st, led: ledger.New(st, &ledger.Options{Now: now}), hr: hr.New(st, &hr.Options{Now: now})}
	if err := w.led.CreateBook(ctx, ledger.Book{ID: "acme", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	if err := w.led.CreateAccounts(ctx, ledger.DefaultChart("acme")...); err != nil {
		t.Fatal(err)
	}
	if opts == nil {
		opts = &payroll.Options{}
	}
	opts.Now = now
	if opts.Packs == nil {
		opts.Packs = payroll.Packs{runPack(t)}
	}
	w.runs = payroll.New(st, opts)
	return w
}

// runPack: tax 25 % and social 10 % a side, of gross.
func runPack(t testing.TB) *payroll.Pack {
	from := d("2025-01-01")
	return newPack(t, generic.Config{
		ID: "generic", Version: "1", ValidFrom: from, Rounding: money.HalfUp,
		Proration: payroll.Proration{Method: payroll.CalendarDays},
		Bases:     []string{"gross"},
		Contributions: []generic.Contribution{{Code: "social", Base: "gross", Rounding: money.HalfUp,
			Rates: payroll.Table[generic.Rates]{{From: from, Value: generic.Rates{Employee: dec("0.10"), Employer: dec("0.10")}}}}},
		Taxes: []generic.Tax{{Code: "tax", Base: "gross", Rounding: money.HalfUp,
			Brackets: payroll.Table[[]generic.Bracket]{{From: from, Value: []generic.Bracket{{Rate: dec("0.25")}}}}}},
	})
}

// hire records an employee of acme; amount "" records no contract.
func (w *runWorld) hire(number string, amount money.Amount, items ...hr.PayItem) hr.Employee {
	w.t.Helper()
	e, err := w.hr.Hire(w.ctx, hr.Employee{Employer: "acme", PersonnelNumber: number, FamilyName: "Secretname",
		HireDate: d("2025-01-01"), CostCentre: "CC-" + number})
	if err != nil {
		w.t.Fatal(err)
	}
	if amount.IsZero() {
		return e
	}
	_, err = w.hr.SetContract(w.ctx, hr.Contract{Employee: e.ID, Effective: hr.Effective{ValidFrom: d("2025-01-01")},
		PayType: hr.Monthly, Amount: amount, Frequency: hr.MonthlyPay, WeeklyHours: dec("40"), WorkDays: hr.MondayToFriday,
		Items: items})
	if err != nil {
		w.t.Fatal(err)
	}
	return e
}

func (w *runWorld) create(id string) {
	w.t.Helper()
	_, err := w.runs.CreateRun(w.ctx, payroll.RunSpec{ID: id, Book: "acme", Period: period(w.t, "2026-03-01")})
	if err != nil {
		w.t.Fatal(err)
	}
}

// TestRunErrors checks that bad employees are reported one by one, with
// the cause, by personnel number and never by ID or name, and that a run
// with any of them posts nothing.
func TestRunErrors(t *testing.T) {
	w := newRunWorld(t, &payroll.Options{Jurisdictions: map[string]string{"FR": "fr"}})
	good := w.hire("1", eur("4000.00"))
	noContract := w.hire("2", money.Amount{})
	dollars := w.hire("3", money.MustParse("4000.00", money.USD))
	negative := w.hire("4", eur("1000.00"), hr.PayItem{Code: "G1", Kind: hr.Garnishment, Amount: eur("2000.00")})
	french := w.hire("5", eur("4000.00"))
	if _, err := w.hr.SetTaxProfile(w.ctx, hr.TaxProfile{Employee: french.ID, Effective: hr.Effective{ValidFrom: d("2025-01-01")},
		Jurisdiction: "FR"}); err != nil {
		t.Fatal(err)
	}
	w.create("2026-03")
	run, err := w.runs.Calculate(w.ctx, "2026-03")
	var re *payroll.RunError
	if !errors.As(err, &re) {
		t.Fatalf("Calculate = %v, want a *RunError", err)
	}
	if run.Status != payroll.Calculated || len(run.Problems) != 4 {
		t.Fatalf("run = %s with %d problems, want calculated with 4", run.Status, len(run.Problems))
	}
	want := map[string]error{
		noContract.ID: payroll.ErrNoCompensation,
		dollars.ID:    payroll.ErrCurrency,
		negative.ID:   payroll.ErrNegativeNet,
		french.ID:     payroll.ErrUnknownPack,
	}
	for _, p := range run.Problems {
		if !errors.Is(p, want[p.Employee]) {
			t.Errorf("problem of %s = %v, want %v", p.Employee, p, want[p.Employee])
		}
		if !errors.Is(err, want[p.Employee]) {
			t.Errorf("errors.Is(Calculate error, %v) = false", want[p.Employee])
		}
		if !strings.Contains(p.Reason, "employee "+p.PersonnelNumber+",") || strings.Contains(p.Reason, p.Employee) ||
			strings.Contains(p.Reason, "Secretname") {
			t.Errorf("reason %q: want the employee's personnel number, and neither ID nor name", p.Reason)
		}
	}
	// The stored run tells the same after a round trip.
	stored, err := w.runs.Run(w.ctx, "2026-03")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range stored.Problems {
		if !errors.Is(p, want[p.Employee]) {
			t.Errorf("stored problem of %s does not wrap %v", p.Employee, want[p.Employee])
		}
	}
	slips, err := w.runs.Payslips(w.ctx, "2026-03")
	if err != nil || len(slips) != 1 || slips[0].Employee != good.ID {
		t.Errorf("payslips = %d, %v; want only the good employee's", len(slips), err)
	}
	if _, err := w.runs.Approve(w.ctx, "2026-03"); !errors.Is(err, payroll.ErrRunProblems) || !errors.Is(err, payroll.ErrNegativeNet) {
		t.Errorf("Approve = %v, want ErrRunProblems and the causes", err)
	}
	if _, err := w.runs.Post(w.ctx, "2026-03"); !errors.Is(err, payroll.ErrRunState) {
		t.Errorf("Post = %v, want ErrRunState", err)
	}
	if _, err := w.led.Entry(w.ctx, "acme", 1); !errors.Is(err, ledger.ErrNotFound) {
		t.Errorf("an entry was posted: %v", err)
	}

	// Limited to the good employee, the run goes through.
	_, err = w.runs.CreateRun(w.ctx, payroll.RunSpec{ID: "good", Book: "acme", Period: period(t, "2026-03-01"), Employees: []string{good.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.runs.Calculate(w.ctx, "good"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.runs.Approve(w.ctx, "good"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.runs.Post(w.ctx, "good"); err != nil {
		t.Fatal(err)
	}
	// The first run, calculated before, is now stale.
	if _, err := w.runs.Calculate(w.ctx, "2026-03"); !errors.Is(err, payroll.ErrPeriodPaid) {
		t.Errorf("recalculating the first run = %v, want ErrPeriodPaid for the paid employee", err)
	}
}

func TestRunClosedPeriod(t *testing.T) {
	w := newRunWorld(t, nil)
	w.hire("1", eur("4000.00"))
	w.create("2026-03")
	if err := w.led.ClosePeriod(w.ctx, "acme", 2026, 3); err != nil {
		t.Fatal(err)
	}
	if _, err := w.runs.Calculate(w.ctx, "2026-03"); !errors.Is(err, ledger.ErrPeriodClosed) {
		t.Errorf("Calculate = %v, want ErrPeriodClosed", err)
	}
	if err := w.led.ReopenPeriod(w.ctx, "acme", 2026, 3, "forgot payroll"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.runs.Calculate(w.ctx, "2026-03"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.runs.Approve(w.ctx, "2026-03"); err != nil {
		t.Fatal(err)
	}
	if err := w.led.ClosePeriod(w.ctx, "acme", 2026, 3); err != nil {
		t.Fatal(err)
	}
	if _, err := w.runs.Post(w.ctx, "2026-03"); !errors.Is(err, ledger.ErrPeriodClosed) {
		t.Errorf("Post = %v, want ErrPeriodClosed", err)
	}
	if run, _ := w.runs.Run(w.ctx, "2026-03"); run.Status != payroll.Approved {
		t.Errorf("run after the refused post = %s, want approved", run.Status)
	}
}

func TestRunUnknownBookAndSpec(t *testing.T) {
	w := newRunWorld(t, nil)
	p := period(t, "2026-03-01")
	tests := []struct {
		name string
		spec payroll.RunSpec
		want error
	}{
		{"no ID", payroll.RunSpec{Book: "acme", Period: p}, payroll.ErrInvalidInput},
		{"no period", payroll.RunSpec{ID: "x", Book: "acme"}, payroll.ErrInvalidInput},
		{"unknown kind", payroll.RunSpec{ID: "x", Book: "acme", Period: p, Kind: "bonus"}, payroll.ErrInvalidInput},
		{"unknown book", payroll.RunSpec{ID: "x", Book: "nope", Period: p}, ledger.ErrUnknownBook},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := w.runs.CreateRun(w.ctx, tt.spec); !errors.Is(err, tt.want) {
				t.Errorf("CreateRun = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestRunStale checks that a run calculated before another run of the book
// was posted is not posted until calculated and approved again.
func TestRunStale(t *testing.T) {
	w := newRunWorld(t, nil)
	a, b := w.hire("1", eur("4000.00")), w.hire("2", eur("3000.00"))
	p := period(t, "2026-03-01")
	for id, emp := range map[string]string{"a": a.ID, "b": b.ID} {
		if _, err := w.runs.CreateRun(w.ctx, payroll.RunSpec{ID: id, Book: "acme", Period: p, Employees: []string{emp}}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.runs.Calculate(w.ctx, id); err != nil {
			t.Fatal(err)
		}
		if _, err := w.runs.Approve(w.ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.runs.Post(w.ctx, "b"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.runs.Post(w.ctx, "a"); !errors.Is(err, payroll.ErrStale) {
		t.Fatalf("Post of the stale run = %v, want ErrStale", err)
	}
	run, err := w.runs.Calculate(w.ctx, "a")
	if err != nil || run.Status != payroll.Calculated {
		t.Fatalf("Calculate the stale run = %s, %v; want calculated", run.Status, err)
	}
	if _, err := w.runs.Post(w.ctx, "a"); !errors.Is(err, payroll.ErrRunState) {
		t.Errorf("Post before approving again = %v, want ErrRunState", err)
	}
	if _, err := w.runs.Approve(w.ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if run, err = w.runs.Post(w.ctx, "a"); err != nil || run.PostSeq != 2 {
		t.Errorf("Post = post seq %d, %v; want 2", run.PostSeq, err)
	}
	// Calculate again is idempotent: the posted run as it stands.
	if again, err := w.runs.Calculate(w.ctx, "a"); err != nil || again.Status != payroll.Posted || again.Calculation != run.Calculation {
		t.Errorf("Calculate a posted run = %s (calculation %d), %v; want it posted as it was (%d)", again.Status, again.Calculation, err, run.Calculation)
	}
}

// TestPackByJurisdiction: without a jurisdiction map, a tax profile finds
// the pack named after its jurisdiction or country, whatever the case
// ("AT" → "at", "CH-ZH" → "ch", as "DE" finds the German pack "de"),
// among several packs; one that matches none is ErrUnknownPack.
func TestPackByJurisdiction(t *testing.T) {
	named := func(id, rate string) *payroll.Pack {
		from := d("2025-01-01")
		return newPack(t, generic.Config{
			ID: id, Version: "1", ValidFrom: from, Rounding: money.HalfUp,
			Proration: payroll.Proration{Method: payroll.CalendarDays},
			Bases:     []string{"gross"},
			Taxes: []generic.Tax{{Code: "tax", Base: "gross", Rounding: money.HalfUp,
				Brackets: payroll.Table[[]generic.Bracket]{{From: from, Value: []generic.Bracket{{Rate: dec(rate)}}}}}},
		})
	}
	w := newRunWorld(t, &payroll.Options{Packs: payroll.Packs{named("at", "0.20"), named("ch", "0.30")}})
	tax := map[string]string{}
	for number, juris := range map[string]string{"1": "AT", "2": "CH-ZH", "3": "FR"} {
		e := w.hire(number, eur("1000.00"))
		tax[e.ID] = juris
		if _, err := w.hr.SetTaxProfile(w.ctx, hr.TaxProfile{Employee: e.ID, Effective: hr.Effective{ValidFrom: d("2025-01-01")},
			Jurisdiction: juris}); err != nil {
			t.Fatal(err)
		}
	}
	w.create("2026-03")
	run, err := w.runs.Calculate(w.ctx, "2026-03")
	if !errors.Is(err, payroll.ErrUnknownPack) || len(run.Problems) != 1 || tax[run.Problems[0].Employee] != "FR" {
		t.Fatalf("Calculate = %v, problems %v; want FR's ErrUnknownPack alone", err, run.Problems)
	}
	slips, err := w.runs.Payslips(w.ctx, "2026-03")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"AT": "200.00 EUR", "CH-ZH": "300.00 EUR"}
	for _, s := range slips {
		for _, l := range s.Lines {
			if l.Code == "tax" && l.Amount.String() != want[tax[s.Employee]] {
				t.Errorf("%s: tax %s, want %s", tax[s.Employee], l.Amount, want[tax[s.Employee]])
			}
		}
	}
	if len(slips) != 2 {
		t.Errorf("%d payslips, want 2", len(slips))
	}
}

// TestProcess: Process takes a run as far as asked and, called again
// after a "crash" at any step, goes on from where the run stands and
// posts nothing twice; a run with problems stops calculated.
func TestProcess(t *testing.T) {
	w := newRunWorld(t, nil)
	w.hire("1", eur("4000.00"))
	spec := payroll.RunSpec{ID: "2026-03", Book: "acme", Period: period(t, "2026-03-01")}
	head := func() uint64 { // the number of entries of the book
		t.Helper()
		es, err := w.led.Entries(w.ctx, "acme", ledger.EntryQuery{})
		if err != nil {
			t.Fatal(err)
		}
		return uint64(len(es))
	}
	// Up to approval, then the rest: as if the job died after approving.
	run, err := w.runs.Process(w.ctx, spec, payroll.Process{Approve: true})
	if err != nil || run.Status != payroll.Approved || head() != 0 {
		t.Fatalf("Process to approval = %s, %v, head %d", run.Status, err, head())
	}
	pay := payroll.Process{PayFrom: "1120", PayDate: d("2026-03-30")}
	for i := range 2 { // again: nothing more
		run, err = w.runs.Process(w.ctx, spec, pay)
		if err != nil || run.Status != payroll.Paid || head() != 2 {
			t.Fatalf("Process to payment (call %d) = %s, %v, head %d; want paid, 2 entries", i+1, run.Status, err, head())
		}
	}
	if _, err := w.led.Verify(w.ctx, "acme"); err != nil {
		t.Errorf("Verify: %v", err)
	}

	// A problem stops the run calculated, unposted.
	w.hire("2", money.Amount{}) // no contract
	bad := payroll.RunSpec{ID: "2026-04", Book: "acme", Period: period(t, "2026-04-01")}
	run, err = w.runs.Process(w.ctx, bad, pay)
	if !errors.Is(err, payroll.ErrNoCompensation) || run.Status != payroll.Calculated || head() != 2 {
		t.Errorf("Process with a problem = %s, %v, head %d; want calculated, ErrNoCompensation, nothing posted", run.Status, err, head())
	}
}
