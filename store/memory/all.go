package memory

import (
	"context"
	"fmt"

	"github.com/openbackoffice/backoffice/fx"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/partners"
	"github.com/openbackoffice/backoffice/payroll"
)

// Bound is a Store bound to the one write transaction of UpdateAll: the
// Update and View of every domain (ledger, HR, payroll, partners) and
// PutRates and Rates run inside it, seeing what it wrote so far. Each
// Update is a savepoint: if its function fails, what it wrote is undone
// and the transaction goes on. A Bound is valid only while UpdateAll's
// function runs and, like the transaction, is not safe for concurrent use.
type Bound struct{ t *tx }

// UpdateAll runs fn in one write transaction over every domain of the
// store, exchange rates included: what fn writes through the Bound it gets
// stays only if fn returns nil (and ctx is live), all of it; otherwise it
// is undone. It holds the store's write lock while fn runs, so other
// readers and writers wait. A backup restore into a memory store runs in
// it, so that a restore that fails half-way leaves the store as it was.
func (s *Store) UpdateAll(ctx context.Context, fn func(*Bound) error) (err error) {
	return s.write(ctx, func(t *tx) error { return fn(&Bound{t}) })
}

// savepoint runs fn, undoing what it wrote if it fails.
func (b *Bound) savepoint(ctx context.Context, fn func() error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	mark := len(b.t.undo)
	defer func() {
		if p := recover(); p != nil {
			b.t.rollbackTo(mark)
			panic(p)
		}
	}()
	if err := fn(); err != nil {
		b.t.rollbackTo(mark)
		return err
	}
	return nil
}

func (b *Bound) read(ctx context.Context, fn func() error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return fn()
}

// Update implements ledger.Store inside the transaction.
func (b *Bound) Update(ctx context.Context, fn func(ledger.Tx) error) error {
	return b.savepoint(ctx, func() error { return fn(b.t) })
}

// View implements ledger.Store inside the transaction.
func (b *Bound) View(ctx context.Context, fn func(ledger.ReadTx) error) error {
	return b.read(ctx, func() error { return fn(b.t) })
}

// UpdateHR implements hr.Store inside the transaction.
func (b *Bound) UpdateHR(ctx context.Context, fn func(hr.Tx) error) error {
	return b.savepoint(ctx, func() error { return fn(hrTx{b.t}) })
}

// ViewHR implements hr.Store inside the transaction.
func (b *Bound) ViewHR(ctx context.Context, fn func(hr.ReadTx) error) error {
	return b.read(ctx, func() error { return fn(hrTx{b.t}) })
}

// UpdatePayroll implements payroll.Store inside the transaction.
func (b *Bound) UpdatePayroll(ctx context.Context, fn func(payroll.Tx) error) error {
	return b.savepoint(ctx, func() error { return fn(payTx{b.t}) })
}

// ViewPayroll implements payroll.Store inside the transaction.
func (b *Bound) ViewPayroll(ctx context.Context, fn func(payroll.ReadTx) error) error {
	return b.read(ctx, func() error { return fn(payTx{b.t}) })
}

// UpdatePartners implements partners.Store inside the transaction.
func (b *Bound) UpdatePartners(ctx context.Context, fn func(partners.Tx) error) error {
	return b.savepoint(ctx, func() error { return fn(partTx{b.t}) })
}

// ViewPartners implements partners.Store inside the transaction.
func (b *Bound) ViewPartners(ctx context.Context, fn func(partners.ReadTx) error) error {
	return b.read(ctx, func() error { return fn(partTx{b.t}) })
}

// PutRates implements fx.Store inside the transaction: rates it adds are
// taken back if the transaction rolls back.
func (b *Bound) PutRates(ctx context.Context, book string, rates []fx.Rate) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return b.t.s.putRatesUndo(b.t, book, rates)
}

// Rates implements fx.Store inside the transaction.
func (b *Bound) Rates(ctx context.Context, book string) ([]fx.Rate, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if _, ok := b.t.s.books[book]; !ok && book != "" {
		return nil, fmt.Errorf("memory: rates of book %s: %w", book, ledger.ErrUnknownBook)
	}
	return b.t.s.rates(book), nil
}
