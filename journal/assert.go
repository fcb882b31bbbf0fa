package journal

import (
	"fmt"
	"math"
	"slices"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

// assertions checks balance assertions as the transactions go by, in file
// order, keeping per account only its running balances: memory flat in the
// number of postings.
//
// hledger checks assertions in date order (a posting's own date counts),
// then file order. For an account whose postings come in date order the two
// orders agree, so its checks are final. An account with a posting dated
// before one of its earlier postings is checked again in date order at the
// end (recheck), with one small record per posting of such accounts only,
// and only if it has assertions or a balance that could leave the range of
// an int64 of minor units in some order.
type assertions struct {
	accounts map[string]*assertAccount
	seq      int // postings so far, in file order
}

// assertAccount is one account's state.
type assertAccount struct {
	last     date.Date // latest posting date so far
	unsorted bool      // a posting came before an earlier one's date
	asserted bool      // it has an assertion
	big      bool      // its positive or negative postings sum beyond int64
	broken   bool      // its balance left the range: no more checks
	bals     []assertBalance
	errs     []assertError
}

// assertBalance is an account's balance in one currency.
type assertBalance struct {
	cur      money.Currency
	bal      int64
	pos, neg int64 // sums of the positive and negative postings, saturated
}

// assertError is a problem found, with where its posting is in date then
// file order, to list them as hledger's order finds them.
type assertError struct {
	d   date.Date
	seq int
	err *Error
}

// failf returns an error wrapping sentinel.
func failf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)
}

func newAssertions() *assertions {
	return &assertions{accounts: map[string]*assertAccount{}}
}

// add checks the postings of t, in file order.
func (c *assertions) add(t *Transaction) {
	for k := range t.Postings {
		ps := &t.Postings[k]
		a := c.accounts[ps.Account]
		if a == nil {
			a = &assertAccount{}
			c.accounts[ps.Account] = a
		}
		d := ps.On(t)
		if d.Before(a.last) {
			a.unsorted = true
		} else {
			a.last = d
		}
		if ps.Assertion != nil {
			a.asserted = true
		}
		a.post(t.File, ps, d, c.seq)
		c.seq++
	}
}

// post adds posting ps (on date d, the seq-th in file order) to a's
// balances and checks its assertion.
func (a *assertAccount) post(file string, ps *Posting, d date.Date, seq int) {
	if a.broken {
		return
	}
	cur := ps.Amount.Currency()
	if cur.IsZero() {
		cur = money.EUR // a bare zero adds nothing; any currency will do
	}
	b := a.balance(cur)
	minor := ps.Amount.MinorUnits()
	v, ok := money.AddMinor(b.bal, minor)
	if !ok {
		a.fail(d, seq, &Error{File: file, Line: ps.Line, Err: failf(ErrSyntax, "balance of %s out of range", ps.Account)})
		a.broken = true
		return
	}
	b.bal = v
	if minor > 0 {
		if b.pos, ok = money.AddMinor(b.pos, minor); !ok {
			b.pos, a.big = math.MaxInt64, true
		}
	} else if b.neg, ok = money.AddMinor(b.neg, minor); !ok {
		b.neg, a.big = -math.MaxInt64, true
	}
	as := ps.Assertion
	if as == nil {
		return
	}
	got := a.held(as.Currency())
	if got != as.MinorUnits() {
		a.fail(d, seq, &Error{File: file, Line: ps.Line, Err: failf(ErrAssertion, "%s is %s %s, asserted %s %s", ps.Account,
			money.New(got, as.Currency()).Number(), as.Currency().Code(), as.Number(), as.Currency().Code())})
	}
	if ps.Total {
		for _, o := range a.bals {
			if o.cur != as.Currency() && o.bal != 0 {
				a.fail(d, seq, &Error{File: file, Line: ps.Line, Err: failf(ErrAssertion, "%s also holds %s %s (==)", ps.Account,
					money.New(o.bal, o.cur).Number(), o.cur.Code())})
			}
		}
	}
}

// held returns a's balance in cur.
func (a *assertAccount) held(cur money.Currency) int64 {
	for i := range a.bals {
		if a.bals[i].cur == cur {
			return a.bals[i].bal
		}
	}
	return 0
}

// balance returns a's balance in cur, adding it (zero) if it has none,
// in the order of the currencies' first postings.
func (a *assertAccount) balance(cur money.Currency) *assertBalance {
	for i := range a.bals {
		if a.bals[i].cur == cur {
			return &a.bals[i]
		}
	}
	a.bals = append(a.bals, assertBalance{cur: cur})
	return &a.bals[len(a.bals)-1]
}

func (a *assertAccount) fail(d date.Date, seq int, err *Error) {
	a.errs = append(a.errs, assertError{d, seq, err})
}

// redo returns the accounts whose checks in file order are not final (see
// assertions), or nil.
func (c *assertions) redo() map[string]bool {
	var out map[string]bool
	for name, a := range c.accounts {
		if a.unsorted && (a.asserted || a.big) {
			if out == nil {
				out = map[string]bool{}
			}
			out[name] = true
		}
	}
	return out
}

// assertRecord is one posting of an account checked again.
type assertRecord struct {
	d    date.Date
	seq  int
	file string
	ps   Posting // Account, Line, Amount, Assertion and Total only
}

// recheck checks the accounts of redo again in date then file order:
// each(fn) calls fn with every transaction in file order, as add saw them.
func (c *assertions) recheck(redo map[string]bool, each func(fn func(*Transaction)) error) error {
	var recs []assertRecord
	seq := 0
	err := each(func(t *Transaction) {
		for k := range t.Postings {
			ps := &t.Postings[k]
			if redo[ps.Account] {
				recs = append(recs, assertRecord{d: ps.On(t), seq: seq, file: t.File, ps: Posting{
					Line: ps.Line, Account: ps.Account, Amount: ps.Amount, Assertion: ps.Assertion, Total: ps.Total}})
			}
			seq++
		}
	})
	if err != nil {
		return err
	}
	slices.SortStableFunc(recs, func(a, b assertRecord) int { return a.d.Compare(b.d) })
	fresh := map[string]*assertAccount{}
	for name := range redo {
		fresh[name] = &assertAccount{}
	}
	for i := range recs {
		r := &recs[i]
		fresh[r.ps.Account].post(r.file, &r.ps, r.d, r.seq)
	}
	for name, a := range fresh {
		c.accounts[name] = a
	}
	return nil
}

// errors returns the problems found, in date then file order of their
// postings (the order hledger's check finds them in).
func (c *assertions) errors() Errors {
	var all []assertError
	for _, a := range c.accounts {
		all = append(all, a.errs...)
	}
	slices.SortStableFunc(all, func(a, b assertError) int {
		if n := a.d.Compare(b.d); n != 0 {
			return n
		}
		return a.seq - b.seq
	})
	out := make(Errors, len(all))
	for i, e := range all {
		out[i] = e.err
	}
	return out
}
