package reconcile

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/partners"
)

// BookLine is a ledger entry's amount on the bank account: what a
// statement line can be matched to.
type BookLine struct {
	Entry uint64
	Key   string
	Date  date.Date
	// Amount is the sum of the entry's lines on the account (debit, money
	// in, positive: the sign of a statement line).
	Amount money.Amount
	// EndToEndID is the entry's metadata "end_to_end_id", if any.
	EndToEndID string
}

// Input is what Plan matches: the unmatched statement lines of one account
// and the candidates from the books.
type Input struct {
	Lines []Line
	// Book are the entries on the account no line is matched to yet.
	Book []BookLine
	// Posted maps the keys of entries posted for statement lines before
	// ("bank/<account>/<ref>", "partners/payment/bank/<account>/<ref>") to
	// their entries.
	Posted map[string]uint64
	// Payroll maps pay-run IDs to their payment entries, not matched yet.
	Payroll map[string]BookLine
	// PayrollRun reads the run from an end-to-end ID; nil means none.
	PayrollRun func(endToEndID string) (run string, ok bool)
	// Items are the open items of the book's customers and suppliers.
	Items []partners.Item
	// Account is the ledger account of the bank.
	Account string
}

// DecisionKind is what a decision does.
type DecisionKind int

// The kinds of decisions.
const (
	// Link links lines to a posted entry.
	Link DecisionKind = iota + 1
	// Settle settles an open item with a line through partners.
	Settle
	// Post posts a line against a rule's account.
	Post
)

// Decision is what Plan decided for one line (or the lines of one pay
// run).
type Decision struct {
	Kind DecisionKind
	// Lines are indexes into Input.Lines.
	Lines []int
	Rule  string
	// Entry is the entry to link to (Link).
	Entry uint64
	// Item is the open item to settle and Discount the cash discount taken
	// (Settle).
	Item     partners.Item
	Discount money.Amount
	// Account and Description are what to post (Post).
	Account, Description string
}

// PostingKey returns the idempotency key of the entry posted for a
// statement line of account: "bank/<account>/<ref>".
func PostingKey(account, ref string) string { return "bank/" + account + "/" + ref }

// Plan decides, without I/O, which lines match what; see the package doc
// for the order. It is deterministic: the same input gives the same
// decisions, in the order of the lines they first concern. Its cost is
// O((lines + candidates) · log(lines + candidates)) plus, per line, the
// candidates of the same amount within the rule's window.
func Plan(in Input, rules Rules) ([]Decision, error) {
	rules = slices.Clone(rules)
	if err := rules.compile(); err != nil {
		return nil, err
	}
	done := make([]bool, len(in.Lines))
	var out []Decision
	decide := func(d Decision) {
		for _, i := range d.Lines {
			done[i] = true
		}
		out = append(out, d)
	}
	// 1. Lines posted before.
	for i, l := range in.Lines {
		if e, ok := in.Posted[PostingKey(in.Account, l.Ref)]; ok {
			decide(Decision{Kind: Link, Lines: []int{i}, Rule: "posted", Entry: e})
		} else if e, ok := in.Posted["partners/payment/"+PostingKey(in.Account, l.Ref)]; ok {
			decide(Decision{Kind: Link, Lines: []int{i}, Rule: "posted", Entry: e})
		}
	}
	usedEntry := map[uint64]bool{}
	// 2. Pay runs by end-to-end ID.
	if in.PayrollRun != nil && len(in.Payroll) > 0 {
		runs := map[string][]int{}
		var order []string
	lines:
		for i, l := range in.Lines {
			if done[i] || len(l.EndToEndIDs) == 0 {
				continue
			}
			run := ""
			for _, id := range l.EndToEndIDs {
				r, ok := in.PayrollRun(id)
				if !ok || run != "" && r != run {
					continue lines
				}
				run = r
			}
			if _, ok := in.Payroll[run]; !ok {
				continue
			}
			if runs[run] == nil {
				order = append(order, run)
			}
			runs[run] = append(runs[run], i)
		}
		for _, run := range order {
			bl := in.Payroll[run]
			sum := money.Zero(bl.Amount.Currency())
			for _, i := range runs[run] {
				var err error
				if sum, err = sum.Add(in.Lines[i].Amount); err != nil {
					return nil, err
				}
			}
			if sum == bl.Amount && !usedEntry[bl.Entry] {
				usedEntry[bl.Entry] = true
				decide(Decision{Kind: Link, Lines: runs[run], Rule: "payroll", Entry: bl.Entry})
			}
		}
	}
	for ri := range rules {
		ru := &rules[ri]
		switch ru.Kind {
		case RuleEndToEnd:
			byID := map[string][]int{}
			for j, b := range in.Book {
				if b.EndToEndID != "" {
					byID[b.EndToEndID] = append(byID[b.EndToEndID], j)
				}
			}
			for i, l := range in.Lines {
				if done[i] || len(l.EndToEndIDs) != 1 || !ru.wants(l.Amount.IsPositive()) {
					continue
				}
				for _, j := range byID[l.EndToEndIDs[0]] {
					b := in.Book[j]
					if !usedEntry[b.Entry] && b.Amount == l.Amount {
						usedEntry[b.Entry] = true
						decide(Decision{Kind: Link, Lines: []int{i}, Rule: ru.Name, Entry: b.Entry})
						break
					}
				}
			}
		case RuleBookLines:
			type cand struct {
				date  date.Date
				entry uint64
			}
			byAmount := map[money.Amount][]cand{}
			for _, b := range in.Book {
				byAmount[b.Amount] = append(byAmount[b.Amount], cand{b.Date, b.Entry})
			}
			for _, cs := range byAmount {
				slices.SortFunc(cs, func(a, b cand) int { return cmp.Or(a.date.Compare(b.date), cmp.Compare(a.entry, b.entry)) })
			}
			for i, l := range in.Lines {
				if done[i] || !ru.wants(l.Amount.IsPositive()) {
					continue
				}
				cs := byAmount[l.Amount]
				lo, _ := slices.BinarySearchFunc(cs, l.Booked.AddDays(-ru.Days), func(c cand, d date.Date) int { return c.date.Compare(d) })
				best, bestDist := -1, 0
				for k := lo; k < len(cs) && !cs[k].date.After(l.Booked.AddDays(ru.Days)); k++ {
					if usedEntry[cs[k].entry] {
						continue
					}
					dist := abs(cs[k].date.DaysUntil(l.Booked))
					if best < 0 || dist < bestDist {
						best, bestDist = k, dist
					}
				}
				if best >= 0 {
					usedEntry[cs[best].entry] = true
					decide(Decision{Kind: Link, Lines: []int{i}, Rule: ru.Name, Entry: cs[best].entry})
				}
			}
		case RuleOpenItems:
			out = append(out, planItems(in, ru, done)...)
		case RuleText:
			for i, l := range in.Lines {
				if done[i] || !ru.wants(l.Amount.IsPositive()) {
					continue
				}
				if ru.re.MatchString(l.Text) || l.Counterparty != "" && ru.re.MatchString(l.Counterparty) {
					desc := ru.Description
					if desc == "" {
						desc = l.Text
					}
					decide(Decision{Kind: Post, Lines: []int{i}, Rule: ru.Name, Account: ru.Account, Description: desc})
				}
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Decision) int { return cmp.Compare(a.Lines[0], b.Lines[0]) })
	return out, nil
}

// planItems matches lines to open items by amount (open, or open less the
// cash discount), date window and, among several, the item named in the
// line's text. It marks the lines it decides in done.
func planItems(in Input, ru *Rule, done []bool) []Decision {
	type key struct {
		kind   partners.ItemKind
		amount money.Amount
	}
	type cand struct {
		item     int
		discount money.Amount
	}
	idx := map[key][]cand{}
	for j, it := range in.Items {
		if !it.Open.IsPositive() {
			continue
		}
		idx[key{it.Kind, it.Open}] = append(idx[key{it.Kind, it.Open}], cand{item: j})
		if !it.DiscountDate.IsZero() && it.DiscountRate.IsPositive() {
			disc, err := partners.MaxDiscount(it)
			if err == nil && disc.IsPositive() {
				net, err := it.Open.Sub(disc)
				if err == nil && net.IsPositive() {
					idx[key{it.Kind, net}] = append(idx[key{it.Kind, net}], cand{item: j, discount: disc})
				}
			}
		}
	}
	used := map[int]bool{}
	var out []Decision
	for i, l := range in.Lines {
		if done[i] || l.Amount.IsZero() || !ru.wants(l.Amount.IsPositive()) {
			continue
		}
		kind := partners.Receivable
		if l.Amount.IsNegative() {
			kind = partners.Payable
		}
		var ok []cand
		for _, c := range idx[key{kind, l.Amount.Abs()}] {
			it := in.Items[c.item]
			switch {
			case used[c.item], it.Date.After(l.Booked):
			case c.discount.IsZero() && it.DueDate.AddDays(ru.Days).Before(l.Booked):
			case !c.discount.IsZero() && it.DiscountDate.Before(l.Booked):
			default:
				ok = append(ok, c)
			}
		}
		if len(ok) > 1 { // the item the text names, if exactly one does
			var named []cand
			for _, c := range ok {
				if id := in.Items[c.item].ID; id != "" && strings.Contains(l.Text, id) {
					named = append(named, c)
				}
			}
			ok = named
		}
		if len(ok) != 1 {
			continue
		}
		used[ok[0].item] = true
		done[i] = true
		out = append(out, Decision{Kind: Settle, Lines: []int{i}, Rule: ru.Name, Item: in.Items[ok[0].item], Discount: ok[0].discount})
	}
	return out
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// String describes a decision for logs and tests.
func (d Decision) String() string {
	switch d.Kind {
	case Link:
		return fmt.Sprintf("%s: lines %v → entry %d", d.Rule, d.Lines, d.Entry)
	case Settle:
		return fmt.Sprintf("%s: line %d settles %s item %s", d.Rule, d.Lines[0], d.Item.Kind, d.Item.ID)
	case Post:
		return fmt.Sprintf("%s: line %d → account %s", d.Rule, d.Lines[0], d.Account)
	}
	return "?"
}
