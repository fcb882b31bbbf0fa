package ledger

import (
	"context"
	"fmt"

	"github.com/openbackoffice/backoffice/money"
)

// Verify re-reads every entry of the book and checks what the store holds
// against what the ledger posted: sequence numbers run 1, 2, 3 … without gaps,
// each entry's digest matches its content and still balances, each hash
// continues the chain (hash_n = SHA-256(hash_{n-1} ‖ seq ‖ recorded-at ‖
// digest_n)), the head matches the last entry, every maintained balance equals
// the sum of its postings, and the balances of each currency sum to zero.
//
// It returns the verified head, which callers may keep elsewhere (printed,
// signed, in another system) to detect a chain rewritten from scratch; or a
// *VerifyError wrapping ErrTampered that names the first bad record.
func (l *Ledger) Verify(ctx context.Context, book string) (Head, error) {
	var head Head
	err := l.store.View(ctx, func(tx ReadTx) error {
		head = Head{}
		sums := map[BalanceKey]int64{}
		buf := make([]byte, 0, 512)
		bad := func(seq uint64, reason string, args ...any) error {
			return &VerifyError{Book: book, Seq: seq, Reason: fmt.Sprintf(reason, args...)}
		}
		err := tx.Scan(ctx, book, 1, func(p *Posted) error {
			if p.Seq != head.Seq+1 {
				return bad(head.Seq+1, "sequence continues at %d", p.Seq)
			}
			if p.Book != book {
				return bad(p.Seq, "belongs to another book")
			}
			var d [32]byte
			d, buf = p.digest(buf)
			if d != p.Digest {
				return bad(p.Seq, "content does not match its digest")
			}
			if err := p.Validate(l.reg); err != nil {
				return bad(p.Seq, "no longer valid: %v", err)
			}
			if h := chainHash(head.Hash, p.Seq, p.RecordedAt, p.Digest); h != p.Hash {
				return bad(p.Seq, "hash chain broken")
			}
			for _, ln := range p.Lines {
				k := BalanceKey{Account: ln.Account, Currency: ln.Amount.Currency()}
				s, ok := money.AddMinor(sums[k], ln.Amount.MinorUnits())
				if !ok {
					return bad(p.Seq, "balance overflows")
				}
				sums[k] = s
			}
			head = Head{Seq: p.Seq, Hash: p.Hash}
			return nil
		})
		if err != nil {
			return err
		}
		stored, err := tx.Head(ctx, book)
		if err != nil {
			return err
		}
		if stored != head {
			return bad(stored.Seq, "head does not match the last entry (%d)", head.Seq)
		}
		bals, err := tx.Balances(ctx, book)
		if err != nil {
			return err
		}
		zero := map[money.Currency]int64{}
		for _, b := range bals {
			k := BalanceKey{Account: b.Account, Currency: b.Balance.Currency()}
			if sums[k] != b.Balance.MinorUnits() {
				return &VerifyError{Book: book, Account: b.Account, Reason: "stored balance differs from the sum of its postings"}
			}
			delete(sums, k)
			zero[k.Currency] += b.Balance.MinorUnits()
		}
		for k, s := range sums {
			if s != 0 {
				return &VerifyError{Book: book, Account: k.Account, Reason: "postings without a stored balance"}
			}
		}
		for c, s := range zero {
			if s != 0 {
				return &VerifyError{Book: book, Reason: "balances do not sum to zero in " + c.Code()}
			}
		}
		return nil
	})
	return head, err
}
