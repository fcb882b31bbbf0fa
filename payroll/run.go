package payroll

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// JournalPayroll is the journal of the entries pay runs post.
const JournalPayroll = "PAYROLL"

// Ledger line dimensions pay runs set.
const (
	DimEmployee   = "employee"    // the employee's ID
	DimCostCentre = "cost_centre" // the employee's cost centre, if any
	DimCorrects   = "corrects"    // on retro lines: the Key of the period corrected
)

// Options configures Runs. A nil *Options means all defaults.
type Options struct {
	// Now returns the current time; it stamps runs and their ledger
	// entries. Default time.Now. Runs read the HR records as recorded now:
	// everything recorded counts.
	Now func() time.Time
	// Packs are the rule pack versions runs select from.
	Packs Packs
	// Pack returns the ID of the pack for an employee, given the tax
	// profile in force on the period's last day (zero if none). Default:
	// Jurisdictions[profile.Jurisdiction] if set, else the pack whose ID is
	// the jurisdiction or its country, whatever the case ("DE" → "de",
	// "US-CA" → "us", as the shipped packs are named), else the one pack
	// ID of Packs if they hold only one, else the jurisdiction itself.
	Pack func(e hr.Employee, profile hr.TaxProfile) string
	// Jurisdictions maps a tax profile's jurisdiction to a pack ID for the
	// default Pack.
	Jurisdictions map[string]string
	// Accounts maps lines to ledger accounts; zero means DefaultAccounts.
	Accounts Accounts
	// Holidays are the public holidays for proration, or nil.
	Holidays *Holidays
	// Currencies resolves currencies for the ledger; default ISO 4217.
	Currencies *money.Registry
	// RetroFrom returns the first day of the earlier periods a regular run
	// for period p recalculates: posted periods ending on or after it are
	// compared with what today's records give. Default: 1 January of the
	// year before p's. Return a day after p.Start for no retro. Return the
	// first day of a year: the recalculated periods start from the
	// year-to-date figures posted before that day, which do not hold retro
	// differences paid later for periods before it.
	RetroFrom func(p Period) date.Date
	// PayCurrencies maps a book to the currency its employees are paid in,
	// where that is not the book's base currency (a US subsidiary paid in
	// USD, booked in EUR). Payroll stays in the pay currency; posting
	// converts it at Rates.
	PayCurrencies map[string]money.Currency
	// Rates converts a run in a pay currency other than its book's at the
	// rate of the posting date (and the payment at the payment date's),
	// RoundingAccount taking the residue; see ledger.Options.
	Rates           ledger.Converter
	RoundingAccount string
	// FXGains and FXLosses take the realised difference when a run's net
	// pay is paid at another rate than it was posted at. Required with
	// PayCurrencies.
	FXGains, FXLosses string
}

// Runs calculates, approves and posts pay runs kept in a Store, reading
// the HR records and posting to the ledger through the same store. Every
// method runs in one store transaction, so a run's payslips, its state and
// its journal entry commit together or not at all. Runs is safe for
// concurrent use.
type Runs struct {
	store    Store
	now      func() time.Time
	packs    Packs
	pack     func(hr.Employee, hr.TaxProfile) string
	accounts Accounts
	holidays *Holidays
	reg      *money.Registry
	retro    func(Period) date.Date
	payCur   map[string]money.Currency
	rates    ledger.Converter
	rounding string
	gains    string
	losses   string
}

// New returns Runs over store. opts may be nil.
func New(store Store, opts *Options) *Runs {
	r := &Runs{store: store, now: time.Now, accounts: DefaultAccounts()}
	var juris map[string]string
	if opts != nil {
		if opts.Now != nil {
			r.now = opts.Now
		}
		r.packs, r.pack, juris = opts.Packs, opts.Pack, opts.Jurisdictions
		if !opts.Accounts.IsZero() {
			r.accounts = opts.Accounts
		}
		r.holidays, r.reg, r.retro = opts.Holidays, opts.Currencies, opts.RetroFrom
		r.payCur, r.rates, r.rounding = opts.PayCurrencies, opts.Rates, opts.RoundingAccount
		r.gains, r.losses = opts.FXGains, opts.FXLosses
	}
	if r.pack == nil {
		var only string
		for i, p := range r.packs {
			if i == 0 {
				only = p.ID
			} else if p.ID != only {
				only = ""
				break
			}
		}
		byID := map[string]string{} // lower-case pack ID → ID
		for _, p := range r.packs {
			byID[strings.ToLower(p.ID)] = p.ID
		}
		r.pack = func(_ hr.Employee, tp hr.TaxProfile) string {
			if id, ok := juris[tp.Jurisdiction]; ok {
				return id
			}
			// The shipped packs are named after their country: "DE" is
			// pack "de", "US-CA" pack "us".
			country, _, _ := strings.Cut(tp.Jurisdiction, "-")
			for _, j := range []string{tp.Jurisdiction, country} {
				if id, ok := byID[strings.ToLower(j)]; ok && j != "" {
					return id
				}
			}
			if only != "" {
				return only
			}
			return tp.Jurisdiction
		}
	}
	if r.retro == nil {
		r.retro = func(p Period) date.Date { return date.New(p.Year-1, time.January, 1) }
	}
	return r
}

// WithTx returns Runs that work in s, a store bound to the caller's own
// transaction (sqlite.Store.InTx, postgres.Store.InTx), with r's options
// (packs, accounts, calendar, currencies): create, calculate, approve and
// post a run together with the application's own rows, all or nothing.
// The caller commits or rolls back.
func (r *Runs) WithTx(s Store) *Runs {
	c := *r
	c.store = s
	return &c
}

func (r *Runs) stamp() time.Time { return r.now().UTC().Truncate(time.Microsecond) }

func (r *Runs) ledger(tx Tx) *ledger.Ledger {
	return ledger.New(tx.Ledger(), &ledger.Options{Now: r.now, Currencies: r.reg, MaxGroup: 1, Rates: r.rates, RoundingAccount: r.rounding})
}

// payCurrency returns the currency book's employees are paid in.
func (r *Runs) payCurrency(book ledger.Book) money.Currency {
	if c, ok := r.payCur[book.ID]; ok && !c.IsZero() {
		return c
	}
	return book.Currency
}

// RunSpec says what a new run is for.
type RunSpec struct {
	// ID identifies the run in the store; it is also the idempotency key of
	// its journal entries ("payroll/" + ID). Required.
	ID string
	// Book is the ledger book to post to; the employees whose Employer is
	// Book are paid, in its currency. Required.
	Book string
	// Period is the period to pay, from Calendar.PeriodOf. Required.
	Period Period
	// Kind is Regular (the default) or OffCycle.
	Kind RunKind
	// Employees, if not empty, limits the run to these employee IDs;
	// otherwise it pays every employee of Book employed in the period.
	Employees []string
	// Date is the booking date of the journal entry; zero means
	// Period.End.
	Date date.Date
}

// CreateRun stores a new run in state Draft. Creating a run again with the
// same spec returns the stored run; with another spec it fails with
// ErrDuplicate. It fails with ErrInvalidInput for a malformed spec.
func (r *Runs) CreateRun(ctx context.Context, spec RunSpec) (Run, error) {
	if spec.Kind == "" {
		spec.Kind = Regular
	}
	if spec.Date.IsZero() {
		spec.Date = spec.Period.End
	}
	switch {
	case spec.ID == "" || spec.Book == "":
		return Run{}, fmt.Errorf("payroll: create run: %w: ID and book required", ErrInvalidInput)
	case spec.Period.Start.IsZero() || spec.Period.End.Before(spec.Period.Start) || PeriodsPerYear(spec.Period.Frequency) == 0:
		return Run{}, fmt.Errorf("payroll: create run %s: %w: no valid period", spec.ID, ErrInvalidInput)
	case spec.Kind != Regular && spec.Kind != OffCycle:
		return Run{}, fmt.Errorf("payroll: create run %s: %w: unknown kind %q", spec.ID, ErrInvalidInput, spec.Kind)
	}
	emps := slices.Clone(spec.Employees)
	slices.Sort(emps)
	emps = slices.Compact(emps)
	run := Run{ID: spec.ID, Book: spec.Book, Kind: spec.Kind, Period: spec.Period, Employees: emps,
		Date: spec.Date, Status: Draft, CreatedAt: r.stamp()}
	var out Run
	err := r.store.UpdatePayroll(ctx, func(tx Tx) error {
		old, err := tx.Run(ctx, spec.ID)
		if err == nil {
			if old.Book != run.Book || old.Kind != run.Kind || old.Period != run.Period ||
				old.Date != run.Date || !slices.Equal(old.Employees, run.Employees) {
				return fmt.Errorf("payroll: create run %s: %w with another spec", spec.ID, ErrDuplicate)
			}
			out = old
			return nil
		}
		if !errors.Is(err, ErrRunNotFound) {
			return err
		}
		if _, err := r.ledger(tx).Book(ctx, run.Book); err != nil {
			return fmt.Errorf("payroll: create run %s: %w", spec.ID, err)
		}
		out = run
		return tx.AddRun(ctx, run)
	})
	if err != nil {
		return Run{}, err
	}
	return out, nil
}

// Run returns the run with the given ID, or ErrRunNotFound.
func (r *Runs) Run(ctx context.Context, id string) (Run, error) {
	var run Run
	err := r.store.ViewPayroll(ctx, func(tx ReadTx) (err error) { run, err = tx.Run(ctx, id); return err })
	return run, err
}

// List returns the runs of book, ordered by ID.
func (r *Runs) List(ctx context.Context, book string) ([]Run, error) {
	var runs []Run
	err := r.store.ViewPayroll(ctx, func(tx ReadTx) (err error) { runs, err = tx.Runs(ctx, book); return err })
	runs = slices.Clone(runs)
	slices.SortFunc(runs, func(a, b Run) int { return strings.Compare(a.ID, b.ID) })
	return runs, err
}

// Payslips returns the payslips of the run's current calculation, ordered
// by employee ID; none before the first calculation.
func (r *Runs) Payslips(ctx context.Context, id string) ([]Payslip, error) {
	var slips []Payslip
	err := r.store.ViewPayroll(ctx, func(tx ReadTx) error {
		run, err := tx.Run(ctx, id)
		if err != nil {
			return err
		}
		if run.Calculation == 0 {
			return nil
		}
		slips, err = tx.Payslips(ctx, id, run.Calculation)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := slices.Clone(slips)
	slices.SortFunc(out, func(a, b Payslip) int { return cmp.Compare(a.Employee, b.Employee) })
	return out, nil
}

// Calculate calculates the run, in state Draft or Calculated, again from
// today's records: for each employee it reads the HR snapshot as of now,
// fills the accumulators from the employee's posted payslips, and for a
// regular run recalculates the earlier posted periods (see
// Options.RetroFrom) and pays their differences as retro lines. The
// payslips replace those of an earlier calculation, and the run moves to
// Calculated.
//
// A failure for one employee does not stop the others: the run records a
// Problem per failed employee, stores the payslips of the rest, and
// Calculate returns the run with a *RunError (errors.Is finds the causes:
// ErrNoCompensation, ErrCurrency for a contract in another currency than
// the book's, ErrUnknownPack, ErrNegativeNet, ErrPeriodPaid …). Such a run
// is neither approved nor posted until calculated again without problems.
//
// Calculate is idempotent like the other steps: on an approved (and not
// stale, see Post), posted or paid run it recalculates nothing and returns
// the run as it stands, so a job re-run after a crash can call every step
// again; HR changes made since reach a later run as retro lines. It fails
// as a whole with an error wrapping ledger.ErrPeriodClosed or
// ledger.ErrPeriodLocked if the run's booking date is in a period of the
// book that is not open.
func (r *Runs) Calculate(ctx context.Context, id string) (Run, error) {
	var out Run
	err := r.store.UpdatePayroll(ctx, func(tx Tx) error {
		run, err := tx.Run(ctx, id)
		if err != nil {
			return err
		}
		basis, err := postedRuns(ctx, tx, run.Book)
		if err != nil {
			return err
		}
		stale := run.Status == Approved && basis != run.Basis
		if run.Status != Draft && run.Status != Calculated && !stale {
			// Past calculation: nothing to do, as Approve and Post do on
			// a run they already took. A correction goes into a later
			// run as retro lines.
			out = run
			return nil
		}
		l := r.ledger(tx)
		book, err := l.Book(ctx, run.Book)
		if err != nil {
			return fmt.Errorf("payroll: calculate run %s: %w", id, err)
		}
		if err := checkOpen(ctx, l, run.Book, run.Date); err != nil {
			return fmt.Errorf("payroll: calculate run %s: %w", id, err)
		}
		emps, err := r.employees(ctx, tx.HR(), &run)
		if err != nil {
			return err
		}
		c := calculator{r: r, tx: tx, run: &run, cur: r.payCurrency(book)}
		var slips []Payslip
		var problems []Problem
		for _, e := range emps {
			slip, ok, err := c.employee(ctx, e)
			switch {
			case err != nil && ctx.Err() != nil:
				return ctx.Err()
			case err != nil:
				// An employee's own problem (a rule, the records) is stored
				// with the run; anything else (the store failing, a
				// deadlock to retry) fails the transaction.
				if _, ok := errors.AsType[readError](err); ok {
					return err
				}
				problems = append(problems, problemOf(e.ID, e.PersonnelNumber, err))
			case ok:
				slips = append(slips, slip)
			}
		}
		run.Calculation++
		if len(slips) > 0 {
			if err := tx.AddPayslips(ctx, run.ID, run.Calculation, slips); err != nil {
				return err
			}
		}
		run.Status, run.Basis, run.Problems, run.CalculatedAt = Calculated, basis, problems, r.stamp()
		if err := tx.SetRun(ctx, run); err != nil {
			return err
		}
		out = run
		return nil
	})
	if err != nil {
		return Run{}, err
	}
	if len(out.Problems) > 0 {
		return out, &RunError{Run: out.ID, Problems: out.Problems}
	}
	return out, nil
}

// checkOpen fails if the period of book holding d is not open.
func checkOpen(ctx context.Context, l *ledger.Ledger, book string, d date.Date) error {
	p, err := l.Period(ctx, book, d)
	if err != nil {
		return err
	}
	switch p.State {
	case ledger.Closed:
		return fmt.Errorf("booking date %s: %w", d, ledger.ErrPeriodClosed)
	case ledger.Locked:
		return fmt.Errorf("booking date %s: %w", d, ledger.ErrPeriodLocked)
	}
	return nil
}

// postedRuns counts the posted runs of book.
func postedRuns(ctx context.Context, tx ReadTx, book string) (int, error) {
	runs, err := tx.Runs(ctx, book)
	n := 0
	for _, r := range runs {
		if r.Status == Posted || r.Status == Paid {
			n++
		}
	}
	return n, err
}

// employees returns the employees the run pays, by ID.
func (r *Runs) employees(ctx context.Context, tx hr.ReadTx, run *Run) ([]hr.Employee, error) {
	if len(run.Employees) > 0 {
		out := make([]hr.Employee, 0, len(run.Employees))
		for _, id := range run.Employees {
			e, err := tx.Employee(ctx, id)
			if err != nil {
				return nil, fmt.Errorf("payroll: run %s: employee %s: %w", run.ID, hr.IDRef(id), err)
			}
			if e.Employer != run.Book {
				return nil, fmt.Errorf("payroll: run %s: employee %s: %w: paid from book %s", run.ID, e.PersonnelNumber, ErrInvalidInput, e.Employer)
			}
			out = append(out, e)
		}
		return out, nil
	}
	all, err := tx.Employees(ctx, run.Book)
	if err != nil {
		return nil, err
	}
	out := make([]hr.Employee, 0, len(all))
	p := run.Period
	for _, e := range all {
		if !e.HireDate.After(p.End) && (e.TerminationDate.IsZero() || !e.TerminationDate.Before(p.Start)) {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b hr.Employee) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// Approve approves a calculated run without problems, so it can be posted.
// Approving an approved, posted or paid run returns it unchanged. It fails
// with ErrRunState for a draft and with ErrRunProblems for a run whose
// last calculation had problems.
func (r *Runs) Approve(ctx context.Context, id string) (Run, error) {
	var out Run
	err := r.store.UpdatePayroll(ctx, func(tx Tx) error {
		run, err := tx.Run(ctx, id)
		if err != nil {
			return err
		}
		switch run.Status {
		case Approved, Posted, Paid:
			out = run
			return nil
		case Calculated:
		default:
			return fmt.Errorf("payroll: approve run %s: %w: %s", id, ErrRunState, run.Status)
		}
		if len(run.Problems) > 0 {
			return fmt.Errorf("payroll: approve run %s: %w", id, &RunError{Run: id, Problems: run.Problems})
		}
		run.Status, run.ApprovedAt = Approved, r.stamp()
		out = run
		return tx.SetRun(ctx, run)
	})
	return out, err
}

// Post posts an approved run: in one store transaction it posts one
// balanced journal entry (Entry) with the key "payroll/" + ID, dated
// Run.Date in journal PAYROLL, and marks the run and its payslips posted,
// which makes them the basis of later runs' accumulators and retro.
//
// The entry debits the expense accounts of earnings and employer
// contributions and credits the liability accounts of taxes, contributions
// and deductions and net pay payable, each line per employee with the
// dimensions employee and cost_centre; retro lines post on lines of their
// own that carry the dimension corrects (the Key of the period corrected).
//
// Posting a posted or paid run returns it unchanged. Post fails with
// ErrRunState for a run not approved, with ErrStale if another run of the
// book was posted after this one was calculated (its accumulators and
// retro may have changed: Calculate takes the approved run back to
// Calculated, to be approved again), with ErrNoAccount if the
// mapping has no account for a line, and with the ledger's error (such as
// ledger.ErrPeriodClosed) if the entry is refused; then nothing is posted.
func (r *Runs) Post(ctx context.Context, id string) (Run, error) {
	var out Run
	err := r.store.UpdatePayroll(ctx, func(tx Tx) error {
		run, err := tx.Run(ctx, id)
		if err != nil {
			return err
		}
		switch run.Status {
		case Posted, Paid:
			out = run
			return nil
		case Approved:
		default:
			return fmt.Errorf("payroll: post run %s: %w: %s", id, ErrRunState, run.Status)
		}
		if len(run.Problems) > 0 { // approval refuses them; a store may not
			return fmt.Errorf("payroll: post run %s: %w", id, &RunError{Run: id, Problems: run.Problems})
		}
		n, err := postedRuns(ctx, tx, run.Book)
		if err != nil {
			return err
		}
		if n != run.Basis {
			return fmt.Errorf("payroll: post run %s: %w", id, ErrStale)
		}
		slips, err := tx.Payslips(ctx, id, run.Calculation)
		if err != nil {
			return err
		}
		slices.SortFunc(slips, func(a, b Payslip) int { return cmp.Compare(a.Employee, b.Employee) })
		cc, err := costCentres(ctx, tx.HR(), slips, run.CalculatedAt)
		if err != nil {
			return err
		}
		e, err := r.entry(&run, slips, cc)
		if err != nil {
			return fmt.Errorf("payroll: post run %s: %w", id, err)
		}
		if len(e.Lines) > 0 {
			p, err := r.ledger(tx).Post(ctx, e)
			if err != nil {
				return fmt.Errorf("payroll: post run %s: %w", id, err)
			}
			run.Entry = p.Seq
		}
		run.Status, run.PostSeq, run.PostedAt = Posted, uint64(n)+1, r.stamp()
		out = run
		return tx.SetRun(ctx, run)
	})
	return out, err
}

// PostPayment posts the payment of a posted run's net pay from bank
// account bank on day d: one entry with the key "payroll-payment/" + ID
// that debits net pay payable per employee and credits bank,
// and marks the run Paid. Paying a paid run again with the same bank
// account and day returns it unchanged; with others it fails with
// ErrRunState, as it does for a run not posted.
func (r *Runs) PostPayment(ctx context.Context, id, bank string, d date.Date) (Run, error) {
	var out Run
	err := r.store.UpdatePayroll(ctx, func(tx Tx) error {
		run, err := tx.Run(ctx, id)
		if err != nil {
			return err
		}
		switch run.Status {
		case Paid:
			if run.BankAccount == bank && run.PaymentDate == d {
				out = run
				return nil
			}
			return fmt.Errorf("payroll: pay run %s: %w: paid from another account or on another day", id, ErrRunState)
		case Posted:
		default:
			return fmt.Errorf("payroll: pay run %s: %w: %s", id, ErrRunState, run.Status)
		}
		slips, err := tx.Payslips(ctx, id, run.Calculation)
		if err != nil {
			return err
		}
		slices.SortFunc(slips, func(a, b Payslip) int { return cmp.Compare(a.Employee, b.Employee) })
		e := ledger.Entry{Book: run.Book, Key: "payroll-payment/" + id, Date: d, Journal: JournalPayroll,
			Description: "Net pay " + run.Period.Key(), Voucher: id}
		var total money.Amount
		for i := range slips {
			s := &slips[i]
			if s.Net.IsZero() {
				continue
			}
			if total.Currency().IsZero() {
				total = money.Zero(s.Currency)
			}
			if total, err = total.Add(s.Net); err != nil {
				return err
			}
			e.Lines = append(e.Lines, ledger.Line{Account: r.accounts.NetPay, Amount: s.Net,
				Dimensions: map[string]string{DimEmployee: s.Employee}})
		}
		if len(e.Lines) > 0 {
			e.Lines = append(e.Lines, ledger.Credit(bank, total))
			if err := r.settleFX(ctx, tx, &run, &e); err != nil {
				return fmt.Errorf("payroll: pay run %s: %w", id, err)
			}
			p, err := r.ledger(tx).Post(ctx, e)
			if err != nil {
				return fmt.Errorf("payroll: pay run %s: %w", id, err)
			}
			run.PaymentEntry = p.Seq
		}
		run.Status, run.BankAccount, run.PaymentDate, run.PaidAt = Paid, bank, d, r.stamp()
		out = run
		return tx.SetRun(ctx, run)
	})
	return out, err
}

// costCentres returns the cost centre of each payslip's employee as
// recorded when the run was calculated.
func costCentres(ctx context.Context, tx hr.ReadTx, slips []Payslip, asOf time.Time) (map[string]string, error) {
	out := make(map[string]string, len(slips))
	for i := range slips {
		id := slips[i].Employee
		vs, err := tx.EmployeeVersions(ctx, id)
		if err != nil {
			return nil, err
		}
		best := -1
		for j := range vs {
			if (best < 0 || vs[j].Version > vs[best].Version) && !vs[j].RecordedAt.After(asOf) {
				best = j
			}
		}
		if best >= 0 {
			out[id] = vs[best].CostCentre
		}
	}
	return out, nil
}

// entry returns the journal entry that posts the payslips of run, in the
// order given; cc gives the employees' cost centres. It fails with
// ErrNoAccount if the mapping has no account for a line.
func (r *Runs) entry(run *Run, slips []Payslip, cc map[string]string) (ledger.Entry, error) {
	e := ledger.Entry{Book: run.Book, Key: "payroll/" + run.ID, Date: run.Date, Journal: JournalPayroll,
		Description: "Payroll " + run.Period.Key(), Voucher: run.ID,
		Metadata: map[string]string{"run": run.ID, "period": run.Period.Key(), "kind": string(run.Kind)}}
	type key struct {
		account, corrects string
		credit            bool
	}
	for i := range slips {
		s := &slips[i]
		centre := cc[s.Employee]
		idx := make(map[key]int, 8) // this employee's lines of e, by key
		add := func(k key, a money.Amount) error {
			if a.IsZero() {
				return nil
			}
			if k.credit {
				a = a.Neg()
			}
			if j, ok := idx[k]; ok {
				sum, err := e.Lines[j].Amount.Add(a)
				e.Lines[j].Amount = sum
				return err
			}
			dims := map[string]string{DimEmployee: s.Employee}
			if centre != "" {
				dims[DimCostCentre] = centre
			}
			if k.corrects != "" {
				dims[DimCorrects] = k.corrects
			}
			idx[k] = len(e.Lines)
			e.Lines = append(e.Lines, ledger.Line{Account: k.account, Amount: a, Dimensions: dims})
			return nil
		}
		for j := range s.Lines {
			l := &s.Lines[j]
			if l.Kind == Information {
				continue
			}
			acct, offset, err := r.accounts.Resolve(l)
			if err != nil {
				return ledger.Entry{}, &Error{Employee: s.Employee, PersonnelNumber: s.PersonnelNumber, Period: s.Period, Err: err}
			}
			corr := l.Corrects.Key()
			switch l.Kind {
			case Earning:
				err = add(key{acct, corr, false}, l.Amount)
			case EmployerContribution:
				if err = add(key{offset, corr, false}, l.Amount); err == nil {
					err = add(key{acct, corr, true}, l.Amount)
				}
			default: // withheld: owed to a third party
				err = add(key{acct, corr, true}, l.Amount)
			}
			if err != nil {
				return ledger.Entry{}, err
			}
		}
		if err := add(key{r.accounts.NetPay, "", true}, s.Net); err != nil {
			return ledger.Entry{}, err
		}
	}
	// Lines that netted to zero (a retro line and its reversal) go.
	e.Lines = slices.DeleteFunc(e.Lines, func(l ledger.Line) bool { return l.Amount.IsZero() })
	return e, nil
}

// settleFX gives payment e of a run paid in another currency than its
// book's the base amounts that settle it: each employee's net pay at the
// base amount the run's entry booked it at, the bank at the payment date's
// rate, and the realised difference on FXGains or FXLosses. A run in the
// book's currency is left alone.
func (r *Runs) settleFX(ctx context.Context, tx Tx, run *Run, e *ledger.Entry) error {
	l := r.ledger(tx)
	book, err := l.Book(ctx, run.Book)
	if err != nil {
		return err
	}
	bank := &e.Lines[len(e.Lines)-1]
	if bank.Amount.Currency() == book.Currency {
		return nil
	}
	if r.rates == nil || r.gains == "" || r.losses == "" {
		return fmt.Errorf("%w: paying in %s from a book in %s needs Options.Rates, FXGains and FXLosses",
			ErrInvalidInput, bank.Amount.Currency().Code(), book.Currency.Code())
	}
	posted, err := l.Entry(ctx, run.Book, run.Entry)
	if err != nil {
		return err
	}
	booked := map[string]int64{} // employee → net pay's base amount, credit negative
	for _, ln := range posted.Lines {
		if ln.Account == r.accounts.NetPay && ln.Converted() {
			booked[ln.Dimensions[DimEmployee]] += ln.Base.MinorUnits()
		}
	}
	var sum int64
	for i := range e.Lines[:len(e.Lines)-1] {
		ln := &e.Lines[i]
		b, ok := booked[ln.Dimensions[DimEmployee]]
		if !ok {
			return fmt.Errorf("%w: the run's entry has no base amount for the net pay of employee %s", ledger.ErrNotConverted, hr.IDRef(ln.Dimensions[DimEmployee]))
		}
		ln.Base = money.New(-b, book.Currency)
		sum -= b
	}
	if bank.Base, err = r.rates.Convert(bank.Amount, book.Currency, e.Date); err != nil {
		return err
	}
	sum += bank.Base.MinorUnits()
	switch {
	case sum < 0:
		e.Lines = append(e.Lines, ledger.Line{Account: r.losses, Amount: money.New(-sum, book.Currency), Memo: "realised exchange difference"})
	case sum > 0:
		e.Lines = append(e.Lines, ledger.Line{Account: r.gains, Amount: money.New(-sum, book.Currency), Memo: "realised exchange difference"})
	}
	return nil
}
