package reconcile

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/openbackoffice/backoffice/bank/camt"
	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/partners"
)

// Options configure a Reconciler. A nil *Options means the defaults.
type Options struct {
	// Parties settles open items of customers and suppliers; nil leaves
	// RuleOpenItems without candidates.
	Parties *partners.Parties
	// Now is the clock of match times; nil means time.Now.
	Now func() time.Time
	// PayrollRun reads the pay run from a salary transfer's end-to-end ID.
	// Nil means DefaultPayrollRun.
	PayrollRun func(endToEndID string) (run string, ok bool)
	// Window is how many days before the earliest unmatched line book
	// lines are read as candidates; 0 means 90.
	Window int
}

// DefaultPayrollRun reads the run of an end-to-end ID of the form
// "<run>/<personnel number>" (payroll.EndToEndID's readable form): the ID
// up to its last '/'. A run found this way still has to have a payment
// entry whose amount the lines add up to.
func DefaultPayrollRun(id string) (string, bool) {
	i := strings.LastIndexByte(id, '/')
	if i <= 0 || i == len(id)-1 {
		return "", false
	}
	return id[:i], true
}

// Reconciler imports statements and matches them to the books. It is safe
// for concurrent use.
type Reconciler struct {
	store   Store
	ledger  *ledger.Ledger
	parties *partners.Parties
	now     func() time.Time
	run     func(string) (string, bool)
	window  int
}

// New returns a Reconciler over store (statements) and l (the books).
func New(store Store, l *ledger.Ledger, opts *Options) *Reconciler {
	r := &Reconciler{store: store, ledger: l, now: time.Now, run: DefaultPayrollRun, window: 90}
	if opts != nil {
		r.parties = opts.Parties
		if opts.Now != nil {
			r.now = opts.Now
		}
		if opts.PayrollRun != nil {
			r.run = opts.PayrollRun
		}
		if opts.Window > 0 {
			r.window = opts.Window
		}
	}
	return r
}

// accountCurrency returns the currency of a ledger account: its own, or
// the book's.
func (r *Reconciler) accountCurrency(ctx context.Context, book, account string) (money.Currency, error) {
	a, err := r.ledger.Account(ctx, book, account)
	if err != nil {
		return money.Currency{}, fmt.Errorf("reconcile: account %s: %w: %w", account, ErrInvalid, err)
	}
	if !a.Currency.IsZero() {
		return a.Currency, nil
	}
	b, err := r.ledger.Book(ctx, book)
	if err != nil {
		return money.Currency{}, err
	}
	return b.Currency, nil
}

// Import stores st as a statement of the ledger account, all or nothing.
// It fails with an error wrapping ErrInvalid if the account does not exist,
// the statement is in another currency than the account or of another bank
// account than the account's earlier statements; with camt.ErrBalance or
// camt.ErrCurrency if it does not add up; with ErrConflict if its ID was
// imported with other content or a line's reference was recorded before.
// Importing the same statement again returns added false and changes
// nothing.
func (r *Reconciler) Import(ctx context.Context, book, account string, st camt.Statement) (Statement, bool, error) {
	c, err := r.accountCurrency(ctx, book, account)
	if err != nil {
		return Statement{}, false, err
	}
	if st.Currency != c {
		return Statement{}, false, fmt.Errorf("reconcile: statement %s: %w: in %s, account %s in %s", st.ID, camt.ErrCurrency, st.Currency.Code(), account, c.Code())
	}
	if err := st.Check(); err != nil {
		return Statement{}, false, fmt.Errorf("reconcile: %w", err)
	}
	if st.ID == "" || st.Account == "" {
		return Statement{}, false, fmt.Errorf("reconcile: %w: a statement needs an ID and a bank account", ErrInvalid)
	}
	earlier, err := r.store.Statements(ctx, book, account)
	if err != nil {
		return Statement{}, false, err
	}
	for _, e := range earlier {
		if e.BankAccount != st.Account {
			return Statement{}, false, fmt.Errorf("reconcile: statement %s: %w: of bank account %s, account %s has statements of %s",
				st.ID, ErrInvalid, st.Account, account, e.BankAccount)
		}
	}
	out := Statement{Book: book, Account: account, ID: st.ID, BankAccount: st.Account, Currency: st.Currency,
		Balances: st.Balances, Opening: st.Opening, Closing: st.Closing, OpeningDate: st.OpeningDate, ClosingDate: st.ClosingDate,
		Format: st.Format, Lines: len(st.Lines), ImportedAt: r.now().UTC().Truncate(time.Microsecond)}
	if !out.Balances {
		out.Opening, out.Closing = money.Zero(st.Currency), money.Zero(st.Currency)
	}
	lines := make([]Line, len(st.Lines))
	for i, l := range st.Lines {
		if l.Ref == "" {
			return Statement{}, false, fmt.Errorf("reconcile: statement %s line %d: %w: no reference", st.ID, i+1, ErrInvalid)
		}
		lines[i] = Line{Book: book, Account: account, Statement: st.ID, N: i + 1, Ref: l.Ref, Booked: l.Booked, Value: l.Value,
			Amount: l.Amount, EndToEndIDs: l.EndToEndIDs, Counterparty: l.Counterparty, CounterpartyAccount: l.CounterpartyAccount, Text: l.Text}
	}
	out.Digest = digest(out, lines)
	added, err := r.store.AddStatement(ctx, out, lines)
	if err != nil {
		return Statement{}, false, fmt.Errorf("reconcile: import statement %s: %w", st.ID, err)
	}
	return out, added, nil
}

// Result is what Reconcile did, or with post false would do.
type Result struct {
	// Matches are the lines linked to entries in this run.
	Matches []Match
	// Posted counts the entries posted (items settled, text rules).
	Posted int
	// Proposals are the settlements and postings Reconcile would make
	// with post; empty when it posted.
	Proposals []Decision
	// Lines are the unmatched lines Reconcile started from (the indexes of
	// the decisions point into it); Unmatched those still unmatched.
	Lines     []Line
	Unmatched []Line
	// ByRule counts the lines matched or proposed per rule.
	ByRule map[string]int
}

// Reconcile matches the unmatched lines of the account (see the package
// doc) and stores the matches. With post it also settles open items
// (Options.Parties) and posts the lines text rules match, each
// idempotently under the line's key, and links the line to the entry; a
// failure stops it there with what was done so far kept (every step is
// complete on its own, and a rerun resumes). Without post, those are
// returned as Proposals and only links to existing entries are stored.
func (r *Reconciler) Reconcile(ctx context.Context, book, account string, rules Rules, post bool) (Result, error) {
	res := Result{ByRule: map[string]int{}}
	if err := rules.compile(); err != nil {
		return res, err
	}
	c, err := r.accountCurrency(ctx, book, account)
	if err != nil {
		return res, err
	}
	lines, err := r.store.Lines(ctx, book, LineQuery{Account: account, Unmatched: true})
	if err != nil {
		return res, err
	}
	res.Lines = lines
	if len(lines) == 0 {
		return res, nil
	}
	in, err := r.input(ctx, book, account, c, lines)
	if err != nil {
		return res, err
	}
	decisions, err := Plan(in, rules)
	if err != nil {
		return res, err
	}
	matched := make([]bool, len(lines))
	var links []Match
	now := r.now().UTC().Truncate(time.Microsecond)
	link := func(d Decision, entry uint64) {
		for _, i := range d.Lines {
			links = append(links, Match{Book: book, Account: account, Ref: lines[i].Ref, Entry: entry, Rule: d.Rule, At: now})
			matched[i] = true
			res.ByRule[d.Rule]++
		}
	}
	flush := func() error {
		if len(links) == 0 {
			return nil
		}
		if err := r.store.AddMatches(ctx, links); err != nil {
			return err
		}
		res.Matches, links = append(res.Matches, links...), nil
		return nil
	}
	for _, d := range decisions {
		if d.Kind == Link {
			link(d, d.Entry)
			continue
		}
		if !post {
			res.Proposals = append(res.Proposals, d)
			res.ByRule[d.Rule]++
			continue
		}
		l := lines[d.Lines[0]]
		entry, err := r.post(ctx, book, account, l, d)
		if err != nil {
			if ferr := flush(); ferr != nil {
				err = errors.Join(err, ferr)
			}
			return res, fmt.Errorf("reconcile: statement line %s (rule %s): %w", l.Ref, d.Rule, err)
		}
		res.Posted++
		link(d, entry)
		if err := flush(); err != nil { // the posting's match right away
			return res, err
		}
	}
	if err := flush(); err != nil {
		return res, err
	}
	for i, l := range lines {
		if !matched[i] {
			res.Unmatched = append(res.Unmatched, l)
		}
	}
	return res, nil
}

// post settles an item or posts a text rule's entry for line l.
func (r *Reconciler) post(ctx context.Context, book, account string, l Line, d Decision) (uint64, error) {
	text := l.Text
	if len(text) > 140 {
		text = text[:140]
	}
	switch d.Kind {
	case Settle:
		if r.parties == nil {
			return 0, fmt.Errorf("%w: no partners to settle with", ErrInvalid)
		}
		money := l.Amount.Abs()
		e2e := ""
		if len(l.EndToEndIDs) == 1 && len(l.EndToEndIDs[0]) <= 35 {
			e2e = l.EndToEndIDs[0]
		}
		pay, err := r.parties.Settle(ctx, partners.Payment{Book: book, Key: PostingKey(account, l.Ref), Party: d.Item.Party,
			Date: l.Booked, Account: account, Amount: money, EndToEndID: e2e, Text: text,
			Allocations: []partners.Allocation{{Item: d.Item.ID, Amount: money, Discount: d.Discount}}})
		if err != nil {
			return 0, err
		}
		return pay.Entry, nil
	case Post:
		e := ledger.Entry{Book: book, Key: PostingKey(account, l.Ref), Date: l.Booked, Journal: "BANK", Voucher: l.Ref,
			Description: d.Description, Metadata: map[string]string{"bank_ref": l.Ref, "statement": l.Statement, "rule": d.Rule},
			Lines: []ledger.Line{{Account: account, Amount: l.Amount}, {Account: d.Account, Amount: l.Amount.Neg()}}}
		if len(l.EndToEndIDs) == 1 {
			e.Metadata["end_to_end_id"] = l.EndToEndIDs[0]
		}
		p, err := r.ledger.Post(ctx, e)
		if err != nil {
			return 0, err
		}
		return p.Seq, nil
	}
	return 0, fmt.Errorf("%w: decision kind %d", ErrInvalid, d.Kind)
}

// input reads the candidates for lines from the books.
func (r *Reconciler) input(ctx context.Context, book, account string, c money.Currency, lines []Line) (Input, error) {
	in := Input{Lines: lines, Account: account, Posted: map[string]uint64{}, Payroll: map[string]BookLine{}, PayrollRun: r.run}
	first := lines[0].Booked
	for _, l := range lines {
		if l.Booked.Before(first) {
			first = l.Booked
		}
	}
	all, err := r.store.Lines(ctx, book, LineQuery{Account: account})
	if err != nil {
		return in, err
	}
	matched := map[uint64]bool{}
	for _, l := range all {
		if l.Entry != 0 {
			matched[l.Entry] = true
		}
	}
	bls, err := r.bookLines(ctx, book, account, c, first.AddDays(-r.window), date.Date{})
	if err != nil {
		return in, err
	}
	for _, bl := range bls {
		// Entries posted for lines are dated on the lines' days, so within
		// the window.
		if strings.HasPrefix(bl.Key, "bank/") || strings.HasPrefix(bl.Key, "partners/payment/bank/") {
			in.Posted[bl.Key] = bl.Entry
		}
		if matched[bl.Entry] {
			continue
		}
		in.Book = append(in.Book, bl)
		if run, ok := strings.CutPrefix(bl.Key, "payroll-payment/"); ok {
			in.Payroll[run] = bl
		}
	}
	if r.parties != nil {
		items, err := r.parties.Items(ctx, book, partners.ItemQuery{OpenOnly: true})
		if err != nil {
			return in, err
		}
		in.Items = items
	}
	return in, nil
}

// bookLines returns the entries' amounts on account dated from..to.
func (r *Reconciler) bookLines(ctx context.Context, book, account string, c money.Currency, from, to date.Date) ([]BookLine, error) {
	var out []BookLine
	q := ledger.EntryQuery{Account: account, From: from, To: to, Limit: 1000}
	for {
		page, err := r.ledger.Entries(ctx, book, q)
		if err != nil {
			return nil, err
		}
		for _, p := range page {
			bl := BookLine{Entry: p.Seq, Key: p.Key, Date: p.Date, Amount: money.Zero(c), EndToEndID: p.Metadata["end_to_end_id"]}
			for _, ln := range p.Lines {
				if ln.Account == account && ln.Amount.Currency() == c {
					if bl.Amount, err = bl.Amount.Add(ln.Amount); err != nil {
						return nil, err
					}
				}
			}
			if !bl.Amount.IsZero() {
				out = append(out, bl)
			}
		}
		if len(page) < q.Limit {
			return out, nil
		}
		q.After = page[len(page)-1].Seq
	}
}
