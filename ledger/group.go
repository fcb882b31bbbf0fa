package ledger

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"time"
)

// Group commit. A store commits one posting transaction per book at a time
// (Tx.LockHead), and for a SQL store each commit waits for the disk, so
// concurrent Post calls to one book would queue for the lock one commit
// each. Instead, the Post calls of a book that arrive while a transaction of
// theirs is running wait in a queue, and the next transaction takes all of
// them (up to Options.MaxGroup): one commit for many entries.
//
// Each book has a committer. A Post that finds no transaction of its book
// running becomes the leader and posts its entry alone, at the cost of a
// mutex. Posts arriving meanwhile queue up and wait. A leader whose
// transaction ends hands leadership to the oldest waiting Post, which takes
// itself and the next queued ones into one transaction and, when it ends,
// hands on in turn. So every caller leads at most one transaction, and
// entries are posted in the order they arrived.
//
// A group is posted in independent mode (see append): an entry that breaks a
// rule gets its own error and the others go on, each as if posted alone in
// the group's order. If the transaction fails as a whole (a store error, a
// failed commit, a context cancelled), every member posts again alone, so
// that no entry fails another.

// defaultMaxGroup is the most entries one transaction takes when
// Options.MaxGroup is 0.
const defaultMaxGroup = 128

// committer gathers the concurrent Post calls of one book.
type committer struct {
	mu    sync.Mutex
	busy  bool       // a leader is posting, or has been chosen and is about to
	queue []*request // waiting Post calls, oldest first; empty unless busy
}

// request is a Post call waiting in a committer's queue.
type request struct {
	ctx   context.Context
	ps    []Posted      // the prepared entry, one
	wake  chan struct{} // receives once, after next (and res, err) are set
	taken bool          // under committer.mu: out of the queue, to be answered by wake
	next  step
	res   Posted
	err   error
}

// step is what a woken request does next.
type step uint8

const (
	stepDone  step = iota // return res, err
	stepLead              // lead the next transaction
	stepAlone             // its group's transaction failed: post alone
)

func (q *request) answer(next step) {
	q.next = next
	q.wake <- struct{}{} // buffered, and sent to once: never blocks
}

// postGrouped posts one prepared entry, sharing a transaction with the
// concurrent Post calls to its book.
func (l *Ledger) postGrouped(ctx context.Context, ps []Posted) (Posted, error) {
	if l.maxGroup == 1 {
		return l.postOne(ctx, ps)
	}
	book := ps[0].Book
	v, ok := l.commits.Load(book)
	if !ok {
		// Group only once a post to the book has succeeded, so that posts
		// to books that do not exist leave nothing behind.
		p, err := l.postOne(ctx, ps)
		if err == nil {
			l.commits.LoadOrStore(book, new(committer))
		}
		return p, err
	}
	c := v.(*committer)
	c.mu.Lock()
	if !c.busy { // the fast path: nothing running, so nothing queued
		c.busy = true
		c.mu.Unlock()
		defer c.handOff()
		return l.postOne(ctx, ps)
	}
	q := &request{ctx: ctx, ps: ps, wake: make(chan struct{}, 1)}
	c.queue = append(c.queue, q)
	c.mu.Unlock()
	select {
	case <-q.wake:
	case <-ctx.Done():
		c.mu.Lock()
		if !q.taken { // not in a transaction: leave the queue unposted
			if i := slices.Index(c.queue, q); i >= 0 {
				c.queue = slices.Delete(c.queue, i, i+1)
			}
			c.mu.Unlock()
			return Posted{}, ctx.Err()
		}
		c.mu.Unlock()
		<-q.wake // taken: its transaction decides, and ends soon
	}
	switch q.next {
	case stepLead:
		return l.lead(c, q)
	case stepAlone:
		return l.postAlone(ctx, ps)
	}
	return q.res, q.err
}

// postOne posts one prepared entry in its own transaction.
func (l *Ledger) postOne(ctx context.Context, ps []Posted) (Posted, error) {
	ps, err := l.postPrepared(ctx, ps)
	if err != nil {
		return Posted{}, err
	}
	return ps[0], nil
}

// postAlone is postOne for a member of a group that failed.
func (l *Ledger) postAlone(ctx context.Context, ps []Posted) (Posted, error) {
	if err := ctx.Err(); err != nil {
		return Posted{}, err
	}
	return l.postOne(ctx, ps)
}

// handOff ends a leader's turn: it wakes the oldest queued request to lead
// the next transaction, or marks the book idle. Requests whose context is
// done by then are answered with its error.
func (c *committer) handOff() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.queue) > 0 {
		q := c.queue[0]
		c.queue = slices.Delete(c.queue, 0, 1)
		q.taken = true
		if err := q.ctx.Err(); err != nil {
			q.err = err
			q.answer(stepDone)
			continue
		}
		q.answer(stepLead)
		return
	}
	c.busy = false
}

// lead posts the entry of r, whom handOff chose, together with up to
// MaxGroup-1 queued ones in one transaction, answers them, and hands on.
func (l *Ledger) lead(c *committer, r *request) (Posted, error) {
	c.mu.Lock()
	n := min(len(c.queue), l.maxGroup-1)
	group := make([]*request, 0, n+1)
	group = append(group, r)
	for _, q := range c.queue[:n] {
		q.taken = true
		group = append(group, q)
	}
	c.queue = slices.Delete(c.queue, 0, n)
	c.mu.Unlock()

	// Members whose callers gave up are answered now, unposted.
	live := group[:0]
	for _, q := range group {
		if err := q.ctx.Err(); err != nil {
			q.err = err
			if q != r {
				q.answer(stepDone)
			}
			continue
		}
		live = append(live, q)
	}
	ok := false
	defer func() {
		if !ok { // the store panicked: let the others post alone, and go on
			c.handOff()
			for _, q := range live {
				if q != r {
					q.answer(stepAlone)
				}
			}
		}
	}()
	var err error
	start := time.Now()
	switch len(live) {
	case 0:
	case 1:
		q := live[0]
		q.res, q.err = l.postOne(q.ctx, q.ps)
	default:
		err = l.postGroup(live)
	}
	ok = true
	if err != nil {
		// The members post alone now; hand on first so that the queue
		// does not wait for them.
		c.handOff()
		for _, q := range live {
			if q != r {
				q.answer(stepAlone)
			}
		}
		return l.postAlone(r.ctx, r.ps)
	}
	for _, q := range live {
		if q != r {
			q.answer(stepDone)
		}
	}
	// The members' callers, answered together, tend to post again together.
	// Handing on at once would let the first of them take the idle fast
	// path and post alone while the rest queue: a group of one in every
	// other transaction. Staying busy a moment longer lets them queue for
	// one group.
	c.gather(len(live)-1, time.Since(start)/gatherShare)
	c.handOff()
	return r.res, r.err
}

// gatherShare bounds how long a leader waits for its members to post again:
// at most this fraction of its transaction's time, so a fast store (memory)
// barely waits and a slow one (a SQL commit) waits for the few microseconds
// its callers need, never long enough to matter against the commit.
const (
	gatherShare = 8
	gatherMax   = 500 * time.Microsecond
)

// gather waits, at most d (capped at gatherMax), until want requests are
// queued. It spins with runtime.Gosched rather than sleeping: the callers
// it waits for are runnable now, and a timer sleep costs more than the wait.
func (c *committer) gather(want int, d time.Duration) {
	if want <= 0 || d <= 0 {
		return
	}
	deadline := time.Now().Add(min(d, gatherMax))
	for {
		c.mu.Lock()
		n := len(c.queue)
		c.mu.Unlock()
		if n >= want || time.Now().After(deadline) {
			return
		}
		runtime.Gosched()
	}
}

// postGroup posts the entries of group in one transaction, under the
// context of its first member, and sets each member's result; or it returns
// the error that failed the transaction as a whole.
func (l *Ledger) postGroup(group []*request) error {
	ps := make([]Posted, len(group))
	ctxs := make([]context.Context, len(group))
	for i, q := range group {
		ps[i] = q.ps[0]
		ctxs[i] = q.ctx
	}
	ctx := ctxs[0]
	opt := postOptions{independent: true, ctxs: ctxs}
	var (
		res  results
		snap *snapshot
	)
	err := l.store.Update(ctx, func(tx Tx) error {
		var err error
		res, snap, err = l.append(ctx, tx, ps, opt)
		return err
	})
	if err != nil {
		return err
	}
	l.publish(snap)
	for i, q := range group {
		if err, ok := res.errs[i]; ok {
			q.err = err
		} else if p, ok := res.stored[i]; ok {
			q.res = p
		} else if j, ok := res.same[i]; ok {
			q.res = ps[j].clone() // each caller owns its result
		} else {
			q.res = ps[i]
		}
	}
	return nil
}
