package ledger

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strings"

	"github.com/openbackoffice/backoffice/money"
)

// Verify re-reads every entry of the book and checks what the store holds
// against what the ledger posted, and everything a report reads against the
// postings, in one pass over the entries:
//
//   - sequence numbers run 1, 2, 3 … without gaps, each entry's digest
//     matches its content and still balances, each hash continues the chain
//     (hash_n = SHA-256(hash_{n-1} ‖ seq ‖ recorded-at ‖ digest_n)), and the
//     stored head is the last entry (entries cut from the tail are named
//     from the first missing one);
//   - every maintained balance equals the sum of its postings, and the
//     balances of each currency sum to zero;
//   - if the store maintains totals and a dimension index (DerivedReader),
//     every month and year row of the totals equals the debit and credit
//     sums of its postings, and the index holds exactly the postings'
//     dimensions;
//   - if the store keeps a state log (StateReader), the log's chain is whole
//     and the book's settings and lock date, every account of the chart and
//     every period event are what the log last recorded.
//
// It returns the verified head of the entry chain, which callers may keep
// elsewhere (printed, signed with Checkpoint, in another system) to detect
// a chain rewritten from scratch; or a *VerifyError wrapping ErrTampered
// that names the first bad record. Use VerifyHeads for the state log's head
// too.
//
// Verify recomputes the hashes on a goroutine of its own, and reads
// through the transaction's ScanAhead if it is an AheadScanner, so that
// reading, hashing and the other checks share two cores; the record it
// names is still the one a check of one entry after the other would name.
func (l *Ledger) Verify(ctx context.Context, book string) (Head, error) {
	h, _, err := l.VerifyHeads(ctx, book)
	return h, err
}

// VerifySince is an incremental Verify for nightly runs: it checks the
// entries after since (a head an earlier Verify returned, or
// that VerifyHeads printed), continuing the chain from since's hash, the
// stored head, and the state log, but not the balances, totals and
// dimension index, which only a full Verify can recompute. The stored
// entry since.Seq must still carry since.Hash; if since.Hash is zero it is
// taken from the store as it stands (weaker: a rewrite up to since.Seq goes
// unseen). It returns the new head.
func (l *Ledger) VerifySince(ctx context.Context, book string, since Head) (Head, error) {
	var head Head
	err := l.store.View(ctx, func(tx ReadTx) error {
		start := since
		if since.Seq > 0 {
			p, err := tx.Entry(ctx, book, since.Seq)
			if errors.Is(err, ErrNotFound) {
				return &VerifyError{Book: book, Seq: since.Seq, Reason: "missing: the entry verified before is gone"}
			}
			if err != nil {
				return err
			}
			if since.Hash == ([32]byte{}) {
				start.Hash = p.Hash
			} else if p.Hash != since.Hash {
				return &VerifyError{Book: book, Seq: since.Seq, Reason: "hash differs from the head verified before"}
			}
		}
		var err error
		if head, err = l.verifyEntries(ctx, tx, book, start, false); err != nil {
			return err
		}
		_, err = verifyState(ctx, tx, book)
		return err
	})
	return head, err
}

// VerifyHeads is Verify, and also returns the head of the book's state log
// (zero if the store keeps none).
func (l *Ledger) VerifyHeads(ctx context.Context, book string) (entries, state Head, err error) {
	err = l.store.View(ctx, func(tx ReadTx) error {
		var err error
		entries, err = l.verifyEntries(ctx, tx, book, Head{}, true)
		if err != nil {
			return err
		}
		state, err = verifyState(ctx, tx, book)
		return err
	})
	return entries, state, err
}

// errHashed stops the scan once the hasher has found an entry before the
// current one wrong; Verify returns the hasher's failure instead.
var errHashed = errors.New("ledger: verify: an earlier entry's hash is wrong")

// totKey names one month of an account's postings in one currency.
type totKey struct {
	account string
	cur     money.Currency
	month   int32 // year×12 + month−1
	closing bool
}

// drcr sums postings by side: their amounts (dr, cr), their base amounts
// (bdr, bcr) and the amounts of those with a base amount (vdr, vcr).
type drcr struct{ dr, cr, bdr, bcr, vdr, vcr int64 }

// add adds line l to s, reporting false on overflow.
func (s *drcr) add(l *Line) bool {
	n := l.Amount.MinorUnits()
	var ok bool
	if n > 0 {
		s.dr, ok = money.AddMinor(s.dr, n)
	} else {
		s.cr, ok = money.AddMinor(s.cr, -n)
	}
	if !ok || !l.Converted() {
		return ok
	}
	b, ok1, ok2 := l.Base.MinorUnits(), false, false
	if n > 0 {
		s.bdr, ok1 = money.AddMinor(s.bdr, b)
		s.vdr, ok2 = money.AddMinor(s.vdr, n)
	} else {
		s.bcr, ok1 = money.AddMinor(s.bcr, -b)
		s.vcr, ok2 = money.AddMinor(s.vcr, -n)
	}
	return ok1 && ok2
}

// plus returns s + t; sums the store could hold do not overflow.
func (s drcr) plus(t drcr) drcr {
	return drcr{s.dr + t.dr, s.cr + t.cr, s.bdr + t.bdr, s.bcr + t.bcr, s.vdr + t.vdr, s.vcr + t.vcr}
}

// verifyEntries checks the entries after start (the zero Head: all of
// them), continuing the chain from start's hash, and, if full, every
// derived table against them.
func (l *Ledger) verifyEntries(ctx context.Context, tx ReadTx, book string, start Head, full bool) (Head, error) {
	head := start
	months := map[totKey]*drcr{}
	der, derived := tx.(DerivedReader)
	derived = derived && full
	var dims map[DimensionRow]struct{}
	if derived {
		dims = map[DimensionRow]struct{}{}
	}
	bad := func(seq uint64, reason string, args ...any) error {
		return &VerifyError{Book: book, Seq: seq, Reason: fmt.Sprintf(reason, args...)}
	}
	// cur sums the postings of key last: consecutive lines often share it.
	var last totKey
	var cur *drcr
	// The digests and chain hashes are checked on another goroutine (see
	// verifyhash.go), everything else here, entry by entry in the order
	// sequence, book, digest, validity, chain, totals: the first check an
	// entry fails is the one named.
	hs := newHasher()
	defer hs.stop()
	invalid := false // the scan stopped at an entry no longer valid
	scan := tx.Scan
	if a, ok := tx.(AheadScanner); ok {
		scan = a.ScanAhead // fn below does not use tx
	}
	err := scan(ctx, book, start.Seq+1, func(p *Posted) error {
		if hs.failed != nil {
			return errHashed
		}
		if p.Seq != head.Seq+1 {
			return bad(head.Seq+1, "sequence continues at %d", p.Seq)
		}
		if p.Book != book {
			return bad(p.Seq, "belongs to another book")
		}
		hs.add(p, head.Hash)
		if err := p.validate(l.checkCurrency); err != nil {
			invalid = true
			return bad(p.Seq, "no longer valid: %v", err)
		}
		y, m, _ := p.Date.Date()
		month := int32(y*12 + int(m) - 1)
		closing := p.Journal == JournalClosing
		for i := range p.Lines {
			ln := &p.Lines[i]
			k := totKey{ln.Account, ln.Amount.Currency(), month, closing}
			if cur == nil || k != last {
				if cur = months[k]; cur == nil {
					cur = new(drcr)
					months[k] = cur
				}
				last = k
			}
			if !cur.add(ln) {
				return bad(p.Seq, "totals overflow")
			}
			if derived {
				for name, value := range ln.Dimensions {
					dims[DimensionRow{Seq: p.Seq, Line: i, Name: name, Value: value}] = struct{}{}
				}
			}
		}
		head = Head{Seq: p.Seq, Hash: p.Hash}
		return nil
	})
	if f := hs.finish(); f != nil {
		// The hasher's failure comes first unless the scan stopped at an
		// earlier entry, or at this one for a check made before the chain's.
		var ve *VerifyError
		if !errors.As(err, &ve) || f.seq < ve.Seq || f.seq == ve.Seq && (f.digest || !invalid) {
			return Head{Seq: f.seq - 1, Hash: f.prev}, bad(f.seq, "%s", f.reason())
		}
	}
	if err != nil {
		return head, err
	}
	stored, err := tx.Head(ctx, book)
	if err != nil {
		return head, err
	}
	switch {
	case stored.Seq > head.Seq:
		return head, bad(head.Seq+1, "missing: the chain ends at %d, its head is at %d", head.Seq, stored.Seq)
	case stored.Seq < head.Seq:
		return head, bad(stored.Seq+1, "beyond the head (%d)", stored.Seq)
	case stored != head:
		return head, bad(stored.Seq, "head does not match the last entry")
	}
	if !full {
		return head, nil
	}
	if err := verifyBalances(ctx, tx, book, months); err != nil {
		return head, err
	}
	if !derived {
		return head, nil
	}
	if err := verifyTotals(ctx, der, book, months); err != nil {
		return head, err
	}
	return head, verifyDimensions(ctx, der, book, dims)
}

// verifyBalances compares the maintained balances with the sums of the
// postings' months.
func verifyBalances(ctx context.Context, tx ReadTx, book string, months map[totKey]*drcr) error {
	// Summed in any order, months may leave the int64 range on the way
	// to a balance within it.
	bigs := map[BalanceKey]*big.Int{}
	zero := map[money.Currency]*big.Int{}
	zbase := new(big.Int)
	var x big.Int
	for k, v := range months {
		bk := BalanceKey{Account: k.account, Currency: k.cur}
		b := bigs[bk]
		if b == nil {
			b = new(big.Int)
			bigs[bk] = b
		}
		b.Add(b, x.SetInt64(v.dr))
		b.Sub(b, x.SetInt64(v.cr))
		// Invariant 8: per currency, the postings without a base amount
		// sum to zero, and in the base currency so do the base amounts.
		z := zero[k.cur]
		if z == nil {
			z = new(big.Int)
			zero[k.cur] = z
		}
		z.Add(z, x.SetInt64(v.dr-v.vdr))
		z.Sub(z, x.SetInt64(v.cr-v.vcr))
		zbase.Add(zbase, x.SetInt64(v.bdr))
		zbase.Sub(zbase, x.SetInt64(v.bcr))
	}
	sums := make(map[BalanceKey]int64, len(bigs))
	for k, b := range bigs {
		if !b.IsInt64() || b.Int64() == math.MinInt64 {
			return &VerifyError{Book: book, Account: k.Account, Reason: "balance overflows"}
		}
		sums[k] = b.Int64()
	}
	bals, err := tx.Balances(ctx, book)
	if err != nil {
		return err
	}
	for _, b := range bals {
		k := BalanceKey{Account: b.Account, Currency: b.Balance.Currency()}
		s, ok := sums[k]
		if !ok || s != b.Balance.MinorUnits() {
			return &VerifyError{Book: book, Account: b.Account, Reason: "stored balance differs from the sum of its postings"}
		}
		delete(sums, k)
	}
	var missing []string
	for k, s := range sums {
		if s != 0 {
			missing = append(missing, k.Account)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return &VerifyError{Book: book, Account: missing[0], Reason: "postings without a stored balance"}
	}
	if zbase.Sign() != 0 {
		b, err := tx.Book(ctx, book)
		if err != nil {
			return err
		}
		z := zero[b.Currency]
		if z == nil {
			z = new(big.Int)
			zero[b.Currency] = z
		}
		z.Add(z, zbase)
	}
	codes := make([]money.Currency, 0, len(zero))
	for c := range zero {
		codes = append(codes, c)
	}
	slices.SortFunc(codes, func(a, b money.Currency) int { return strings.Compare(a.Code(), b.Code()) })
	for _, c := range codes {
		if zero[c].Sign() != 0 {
			return &VerifyError{Book: book, Reason: "balances do not sum to zero in " + c.Code()}
		}
	}
	return nil
}

// totRow names one row of the maintained totals.
type totRow struct {
	account, cur string
	year, month  int // month 0: the year
	closing      bool
}

func (a totRow) compare(b totRow) int {
	return cmp.Or(strings.Compare(a.account, b.account), strings.Compare(a.cur, b.cur), boolCompare(a.month == 0, b.month == 0),
		cmp.Compare(a.year, b.year), cmp.Compare(a.month, b.month), boolCompare(a.closing, b.closing))
}

func boolCompare(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// verifyTotals compares every maintained month and year row with the sums
// of the postings and names the first row that differs: by account and
// currency, months before years, then by date.
// seen marks a row of verifyTotals' want found in the store.
var seen = drcr{-1, -1, -1, -1, -1, -1}

func verifyTotals(ctx context.Context, der DerivedReader, book string, months map[totKey]*drcr) error {
	want := make(map[totRow]drcr, len(months)*2)
	for k, v := range months {
		y, m := int(k.month)/12, int(k.month)%12+1
		want[totRow{k.account, k.cur.Code(), y, m, k.closing}] = *v
		yk := totRow{k.account, k.cur.Code(), y, 0, k.closing}
		want[yk] = want[yk].plus(*v) // months did not overflow, nor will a year the store could hold
	}
	var first *totRow
	note := func(r totRow) {
		if first == nil || r.compare(*first) < 0 {
			first = &r
		}
	}
	err := der.ScanTotals(ctx, book, func(r TotalsRow) error {
		k := totRow{r.Account, r.Currency, r.Year, r.Month, r.Closing}
		w, ok := want[k]
		got := drcr{r.Debit, r.Credit, r.BaseDebit, r.BaseCredit, r.ConvDebit, r.ConvCredit}
		if got == (drcr{}) && !ok {
			return nil
		}
		if w != got {
			note(k)
		}
		if ok {
			want[k] = seen
		}
		return nil
	})
	if err != nil {
		return err
	}
	for k, v := range want {
		if v != seen {
			note(k)
		}
	}
	if first == nil {
		return nil
	}
	when := fmt.Sprintf("%04d-%02d", first.year, first.month)
	if first.month == 0 {
		when = fmt.Sprintf("%04d", first.year)
	}
	what := "totals"
	if first.closing {
		what = "closing totals"
	}
	return &VerifyError{Book: book, Account: first.account, Month: when,
		Reason: fmt.Sprintf("stored %s in %s differ from the sums of the postings", what, first.cur)}
}

// verifyDimensions compares the dimension index with the postings'
// dimensions and names the first entry where they differ.
func verifyDimensions(ctx context.Context, der DerivedReader, book string, want map[DimensionRow]struct{}) error {
	var first uint64
	note := func(seq uint64) {
		if first == 0 || seq < first {
			first = seq
		}
	}
	err := der.ScanDimensions(ctx, book, func(r DimensionRow) error {
		if _, ok := want[r]; !ok {
			note(max(r.Seq, 1))
			return nil
		}
		delete(want, r)
		return nil
	})
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	for r := range want {
		note(r.Seq)
	}
	if first == 0 {
		return nil
	}
	return &VerifyError{Book: book, Seq: first, Reason: "dimension index differs from the postings' dimensions"}
}
