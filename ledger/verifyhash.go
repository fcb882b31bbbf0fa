package ledger

import (
	"crypto/sha256"
	"time"
)

// Verify hashes on a goroutine of its own: each entry's digest is SHA-256
// of its canonical payload, and its chain hash SHA-256 of the stored hash
// before it, its sequence number, time and stored digest, so every entry's
// two hashes can be recomputed apart from the others once its payload is
// encoded. The scan encodes the payloads (the Posted it gets is only valid
// until its callback returns) and does every other check; the hasher
// checks the hashes of the entries before. Failures are put back into
// sequence order, so that Verify names the same record as if it checked
// everything one entry at a time.

const (
	hashBatch = 256 // entries per hashJob
	hashJobs  = 4   // hashJobs in flight at most
)

// hashJob is a batch of entries for the hasher: their canonical payloads
// back to back in buf, and what each must hash to.
type hashJob struct {
	buf  []byte
	ents []hashEntry
	// Set by the hasher: the first entry that fails (-1: none), whether
	// its digest (else its chain hash) is wrong.
	bad       int
	badDigest bool
}

type hashEntry struct {
	seq          uint64
	end          int // the entry's payload ends at buf[end]
	at           time.Time
	prev         [32]byte // the stored hash of the entry before
	digest, hash [32]byte // as stored
}

func (j *hashJob) check() {
	j.bad = -1
	start := 0
	for i := range j.ents {
		e := &j.ents[i]
		if sha256.Sum256(j.buf[start:e.end]) != e.digest {
			j.bad, j.badDigest = i, true
			return
		}
		if chainHash(e.prev, e.seq, e.at, e.digest) != e.hash {
			j.bad, j.badDigest = i, false
			return
		}
		start = e.end
	}
}

// hashFailure is the first entry whose digest or chain hash is wrong.
type hashFailure struct {
	hashEntry
	digest bool // the digest is wrong (else the chain hash)
}

func (f *hashFailure) reason() string {
	if f.digest {
		return "content does not match its digest"
	}
	return "hash chain broken"
}

// hasher runs hashJobs on a goroutine of its own, in order. Its methods
// are for the one goroutine that feeds it.
type hasher struct {
	todo, done chan *hashJob
	free       []*hashJob
	cur        *hashJob
	jobs       int // hashJobs made
	inflight   int // in todo or done
	stopped    bool
	failed     *hashFailure // the first failure, once the hasher has reported it
}

func newHasher() *hasher {
	h := &hasher{todo: make(chan *hashJob, hashJobs), done: make(chan *hashJob, hashJobs)}
	go func() {
		for j := range h.todo {
			j.check()
			h.done <- j
		}
	}()
	return h
}

// add encodes p's payload into the current batch, to be checked against its
// stored digest and hash, with prev the stored hash of the entry before.
func (h *hasher) add(p *Posted, prev [32]byte) {
	if h.cur == nil {
		h.cur = h.job()
	}
	j := h.cur
	j.buf = p.appendCanonical(j.buf)
	j.ents = append(j.ents, hashEntry{seq: p.Seq, end: len(j.buf), at: p.RecordedAt, prev: prev, digest: p.Digest, hash: p.Hash})
	if len(j.ents) == hashBatch {
		h.todo <- j
		h.cur = nil
		h.inflight++
	}
}

// job returns an empty hashJob: a new one while fewer than hashJobs exist,
// else the next one the hasher is done with, once its result is taken.
func (h *hasher) job() *hashJob {
	var j *hashJob
	switch {
	case len(h.free) > 0:
		j = h.free[len(h.free)-1]
		h.free = h.free[:len(h.free)-1]
	case h.jobs < hashJobs:
		j = &hashJob{}
		h.jobs++
	default:
		j = h.collect()
	}
	j.buf, j.ents = j.buf[:0], j.ents[:0]
	return j
}

// collect waits for the next finished job and takes its result.
func (h *hasher) collect() *hashJob {
	j := <-h.done
	h.inflight--
	if j.bad >= 0 && h.failed == nil {
		h.failed = &hashFailure{hashEntry: j.ents[j.bad], digest: j.badDigest}
	}
	return j
}

// finish hashes what is left, stops the hasher and returns the first
// failure, if any.
func (h *hasher) finish() *hashFailure {
	if h.cur != nil && len(h.cur.ents) > 0 {
		h.todo <- h.cur
		h.inflight++
	}
	h.cur = nil
	h.stop()
	for h.inflight > 0 {
		h.free = append(h.free, h.collect())
	}
	return h.failed
}

// stop ends the hasher's goroutine once it has done the jobs it has.
// Stopping a stopped hasher does nothing.
func (h *hasher) stop() {
	if !h.stopped {
		h.stopped = true
		close(h.todo)
	}
}
