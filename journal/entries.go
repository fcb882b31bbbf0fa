package journal

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// ClearingAccount is the account through which a transaction with postings
// on other dates than its own is split into one balanced entry per date
// (see Journal.Entries). Its name makes it an asset; it holds a balance
// only between the dates of such a transaction.
const ClearingAccount = "assets:posting date clearing"

// Metadata keys Entry sets and Write reads back.
const (
	MetaStatus = "status" // "cleared" or "pending": the transaction's mark
	MetaDate2  = "date2"  // the secondary date, YYYY-MM-DD
	MetaPartOf = "part_of"
	// DimStatus is the line dimension holding a posting's own status mark.
	DimStatus = "status"
)

// Code returns the account code backoffice uses for an hledger account
// name: the name with spaces replaced by '_' and '/' by '-' (codes have
// neither). Codes are at most 64 bytes; a longer name gives an invalid code.
//
// An account directive's "code:" tag overrides it (see Journal.Code).
func Code(name string) string {
	return strings.NewReplacer(" ", "_", "/", "-", "\t", "_").Replace(name)
}

// Code returns the code of account name in j: the "code:" tag of its
// account directive (as Write writes for charts whose codes are not hledger
// names, "1200 Bank  ; code: 1200"), or else Code(name).
func (j *Journal) Code(name string) string {
	for _, a := range j.Accounts {
		if a.Name == name && a.Code != "" {
			return a.Code
		}
	}
	return Code(name)
}

// Type returns the type of account name: the type declared for it or its
// nearest declared ancestor, or else the type its top-level name implies
// (assets, liabilities, equity, income or revenue(s), expenses, in any
// case). ok is false if neither says.
func (j *Journal) Type(name string) (t ledger.AccountType, ok bool) {
	types := make(map[string]ledger.AccountType, len(j.Accounts))
	for _, a := range j.Accounts {
		if a.Type != 0 {
			types[a.Name] = a.Type
		}
	}
	for n := name; ; {
		if t, ok := types[n]; ok {
			return t, true
		}
		i := strings.LastIndexByte(n, ':')
		if i < 0 {
			break
		}
		n = n[:i]
	}
	top, _, _ := strings.Cut(name, ":")
	t, err := ledger.ParseAccountType(top)
	return t, err == nil
}

// Entry converts t into an entry of book, ignoring posting dates (see
// Journal.Entries, which splits by them): account names become codes (see
// Code), the code the voucher, comments memos (the transaction's in
// Metadata["comment"]), "meta.NAME" and "dim.NAME" fields metadata and
// dimensions, the status mark and secondary date Metadata["status"] and
// Metadata["date2"], a posting's status mark its "status" dimension.
//
// The idempotency key is the "key" field if present, else "journal/", a
// digest of the transaction's identity (date, code and description: not its
// amounts, accounts or comments) and its occurrence n (counted from 1 among
// transactions of the same identity, in file order). Importing the same
// journal twice posts nothing twice, and a transaction whose amounts were
// edited keeps its key, so that posting it again is a conflict
// (ledger.ErrConflict) rather than a second entry.
//
// Entry gives no line a base amount: for a transaction with costs or a
// conversion use Journal.EntriesIn.
func (t *Transaction) Entry(book string, n int) ledger.Entry {
	e := t.header(book, "journal/"+t.Identity()+"/"+strconv.Itoa(n))
	for i := range t.Postings {
		if l, ok := t.Postings[i].line(money.Amount{}); ok {
			e.Lines = append(e.Lines, l)
		}
	}
	return e
}

func (t *Transaction) header(book, key string) ledger.Entry {
	e := ledger.Entry{Book: book, Date: t.Date, Description: t.Description, Voucher: t.Code}
	meta := func(k, v string) {
		if e.Metadata == nil {
			e.Metadata = map[string]string{}
		}
		e.Metadata[k] = v
	}
	for k, v := range t.Fields {
		switch {
		case k == "key":
			e.Key = v
		case k == "journal":
			e.Journal = v
		case k == "voucher":
			e.Voucher = v
		case k == "description":
			e.Description = v
		case strings.HasPrefix(k, "meta."):
			meta(k[len("meta."):], v)
		}
	}
	if t.Comment != "" {
		meta("comment", t.Comment)
	}
	if t.Status != Unmarked {
		meta(MetaStatus, t.Status.String())
	}
	if !t.Date2.IsZero() {
		meta(MetaDate2, t.Date2.String())
	}
	if e.Key == "" {
		e.Key = key
	}
	return e
}

// line converts a posting whose value in the base currency is base (the
// zero Amount: none); ok is false for a zero amount (backoffice posts
// none; its assertion was checked).
func (ps *Posting) line(base money.Amount) (ledger.Line, bool) {
	if ps.Amount.IsZero() {
		return ledger.Line{}, false
	}
	l := ledger.Line{Account: Code(ps.Account), Amount: ps.Amount, Base: base, Memo: ps.Comment}
	if ps.code != "" {
		l.Account = ps.code
	}
	for k, v := range ps.Fields {
		if l.Dimensions == nil {
			l.Dimensions = map[string]string{}
		}
		l.Dimensions[k[len("dim."):]] = v
	}
	if ps.Status != Unmarked {
		if l.Dimensions == nil {
			l.Dimensions = map[string]string{}
		}
		l.Dimensions[DimStatus] = ps.Status.String()
	}
	return l, true
}

// Identity returns a short hex digest of what identifies the transaction
// across edits: its date, code and description.
func (t *Transaction) Identity() string {
	id := t.identity()
	return hex.EncodeToString(id[:])
}

// identityLen is the length of a transaction's identity digest.
const identityLen = 10

// identity returns the digest Identity writes in hex.
func (t *Transaction) identity() [identityLen]byte {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s", t.Date, t.Code, t.Description)
	return [identityLen]byte(h.Sum(nil))
}

// hexEncode writes src in hex to dst, which has twice its length.
func hexEncode(dst, src []byte) { hex.Encode(dst, src) }

// Digest returns a short hex digest of the transaction's content: date,
// code, description, comment and postings (not line numbers).
func (t *Transaction) Digest() string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00", t.Date, t.Code, t.Description, t.Comment)
	for _, ps := range t.Postings {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00", ps.Account, ps.Amount.String(), ps.Comment)
		if !ps.Cost.Currency().IsZero() {
			fmt.Fprintf(h, "@@%s\x00", ps.Cost.String())
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:10])
}

// Entries converts every transaction (see Transaction.Entry), numbering
// transactions of identical identity in file order. It is for journals in
// one currency, or whose currencies each balance on their own: the
// entries have no base amounts (ledger.Line.Base), so that a transaction
// with a cost or a conversion (Posting.Cost, Transaction.Conversion)
// becomes an entry that does not balance, which the ledger refuses. Use
// EntriesIn for those. Postings of zero
// amounts (assertions such as "0 = EUR 10.00") are left out, and so are
// transactions left with no posting.
//
// A transaction with postings on other dates than its own (a "date:" tag)
// becomes one entry per date, each balanced through ClearingAccount: the
// entry on the transaction's date holds its undated postings and, per
// currency, a clearing line of what the other dates' postings sum to; the
// entry on each other date holds that date's postings and the clearing
// line that cancels them. Every account but the clearing account then has
// on every date the balance hledger reports, and the clearing account is
// zero once all the dates have passed. The entries of other dates have the
// key of the transaction's entry, "/" and the date, and
// Metadata["part_of"] naming that key.
func (j *Journal) Entries(book string) []ledger.Entry {
	out, _ := j.EntriesWithSources(book)
	return out
}

// Source is where an entry came from: the file (empty for Read) and the
// line its transaction starts on.
type Source struct {
	File string
	Line int
}

// Errorf returns an *Error at s.
func (s Source) Errorf(format string, args ...any) *Error {
	return &Error{File: s.File, Line: s.Line, Err: fmt.Errorf(format, args...)}
}

// Wrap returns err as an *Error at s.
func (s Source) Wrap(err error) *Error { return &Error{File: s.File, Line: s.Line, Err: err} }

func (s Source) String() string {
	if s.File == "" {
		return "line " + strconv.Itoa(s.Line)
	}
	return s.File + ":" + strconv.Itoa(s.Line)
}

// EntriesWithLines is Entries, and for each entry the line of the file its
// transaction starts on (see EntriesWithSources).
func (j *Journal) EntriesWithLines(book string) (entries []ledger.Entry, lines []int) {
	entries, srcs := j.EntriesWithSources(book)
	lines = make([]int, len(srcs))
	for i, s := range srcs {
		lines[i] = s.Line
	}
	return entries, lines
}

// EntriesWithSources is Entries, and for each entry where its transaction
// starts: the two slices have the same length, so an error about
// entries[i] can name sources[i].
func (j *Journal) EntriesWithSources(book string) (entries []ledger.Entry, sources []Source) {
	entries, sources, _ = j.entriesIn(book, money.Currency{})
	return entries, sources
}

// EntriesIn is EntriesWithSources for a book whose base currency is base:
// a posting in another currency that has a value in base gets it as its
// line's Base (ledger.Line.Base), so that transactions with costs and the
// conversions hledger infers become entries that balance in base:
//
//   - A posting with a cost in base ("USD 100.00 @@ EUR 92.00", or "USD
//     100.00 @ EUR 0.92") has its cost as its base amount, EUR 92.00
//     (a unit cost times the amount, rounded half up to base's minor
//     units: see Posting.Cost).
//   - A posting in base is its own value; a cost it has in another
//     currency ("EUR -92.00 @@ USD 100.00") says what the postings in that
//     currency are worth.
//   - Postings in another currency without a cost (those of a
//     Transaction.Conversion, or those a base-currency posting's cost
//     balances) whose sum is not zero are together worth what balances
//     the rest of the transaction in base: "USD 100.00" against "EUR
//     -92.00" is worth EUR 92.00, as hledger infers. Several such
//     postings share that value at one rate, as hledger's inferred unit
//     cost does (USD 60.00 and USD 40.00 are worth EUR 55.20 and EUR
//     36.80); a share that is not a whole number of base's minor units is
//     refused with ErrAmbiguous rather than rounded.
//   - Postings in another currency that balance among themselves without
//     a cost keep no base amount, as the ledger allows.
//
// Refused, each with the file and line, as Errors: a cost in a third
// currency (ErrForeignCost: "USD 100.00 @@ GBP 85.00" in a EUR book has no
// value in EUR), a conversion between two currencies neither of which is
// base (ErrForeignCost), and a conversion whose shares are not exact
// (ErrAmbiguous). A journal in base alone gives the entries of
// EntriesWithSources. It fails with ErrSyntax if base is the zero Currency.
func (j *Journal) EntriesIn(book string, base money.Currency) (entries []ledger.Entry, sources []Source, err error) {
	if base.IsZero() {
		return nil, nil, fmt.Errorf("%w: EntriesIn needs the book's base currency", ErrSyntax)
	}
	return j.entriesIn(book, base)
}

// entriesIn is EntriesIn, and EntriesWithSources for a zero base.
func (j *Journal) entriesIn(book string, base money.Currency) (entries []ledger.Entry, sources []Source, err error) {
	seen := map[string]int{}
	var errs Errors
	entries = make([]ledger.Entry, 0, len(j.Transactions))
	sources = make([]Source, 0, len(j.Transactions))
	for i := range j.Transactions {
		t := &j.Transactions[i]
		id := t.Identity()
		seen[id]++
		src := Source{t.File, t.Line}
		var bases []money.Amount
		if !base.IsZero() {
			var err error
			if bases, err = t.bases(base); err != nil {
				errs = append(errs, err.(*Error))
				continue
			}
		}
		for _, e := range t.entries(book, "journal/"+id+"/"+strconv.Itoa(seen[id]), bases) {
			entries = append(entries, e)
			sources = append(sources, src)
		}
	}
	if len(errs) > 0 {
		return nil, nil, errs
	}
	return entries, sources, nil
}

// bases returns the value in base of each posting of t that has one (see
// EntriesIn), the zero Amount for the others; the error is an *Error.
func (t *Transaction) bases(base money.Currency) ([]money.Amount, error) {
	if !slices.ContainsFunc(t.Postings, func(ps Posting) bool {
		return !ps.Cost.Currency().IsZero() || !ps.Amount.IsZero() && ps.Amount.Currency() != base
	}) {
		return nil, nil // all in base: no base amounts
	}
	out := make([]money.Amount, len(t.Postings))
	fail := func(line int, sentinel error, format string, args ...any) error {
		return &Error{File: t.File, Line: line, Err: fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)}
	}
	rest := money.Zero(base) // what the postings valued so far sum to, in base
	add := func(a money.Amount, line int) error {
		s, err := rest.Add(a)
		if err != nil {
			return fail(line, ErrSyntax, "amount out of range")
		}
		rest = s
		return nil
	}
	// The postings in another currency without a cost, per currency.
	type open struct {
		cur   money.Currency
		sum   money.Amount
		posts []int
	}
	var opens []open
	for i := range t.Postings {
		ps := &t.Postings[i]
		a, c := ps.Amount, ps.Cost.Currency()
		switch {
		case a.IsZero():
		case a.Currency() == base:
			if err := add(a, ps.Line); err != nil {
				return nil, err
			}
		case c == base:
			out[i] = ps.Cost
			if err := add(ps.Cost, ps.Line); err != nil {
				return nil, err
			}
		case !c.IsZero():
			return nil, fail(ps.Line, ErrForeignCost, "%s %s at a cost in %s has no value in the base currency %s",
				a.Number(), a.Currency().Code(), c.Code(), base.Code())
		default:
			k := slices.IndexFunc(opens, func(o open) bool { return o.cur == a.Currency() })
			if k < 0 {
				opens = append(opens, open{cur: a.Currency(), sum: money.Zero(a.Currency())})
				k = len(opens) - 1
			}
			s, err := opens[k].sum.Add(a)
			if err != nil {
				return nil, fail(ps.Line, ErrSyntax, "amount out of range")
			}
			opens[k].sum = s
			opens[k].posts = append(opens[k].posts, i)
		}
	}
	opens = slices.DeleteFunc(opens, func(o open) bool { return o.sum.IsZero() }) // they balance on their own
	switch {
	case len(opens) == 0 && rest.IsZero():
		return out, nil
	case len(opens) == 0:
		return nil, fail(t.Line, ErrUnbalanced, "off by %s %s in the base currency", rest.Number(), base.Code())
	case len(opens) > 1:
		return nil, fail(t.Line, ErrForeignCost, "a conversion between %s and %s has no value in the base currency %s",
			opens[0].cur.Code(), opens[1].cur.Code(), base.Code())
	}
	// One currency's postings are worth what balances the rest, shared at
	// one rate: value(i) = amount(i) × worth / sum, exactly.
	o := opens[0]
	worth := rest.Neg()
	if worth.Sign() != 0 && worth.Sign() != o.sum.Sign() {
		return nil, fail(t.Line, ErrUnbalanced, "%s %s would be worth %s %s, of the other sign", o.sum.Number(), o.cur.Code(), worth.Number(), base.Code())
	}
	den := big.NewInt(o.sum.MinorUnits())
	for _, i := range o.posts {
		ps := &t.Postings[i]
		num := new(big.Int).Mul(big.NewInt(ps.Amount.MinorUnits()), big.NewInt(worth.MinorUnits()))
		q, r := new(big.Int).QuoRem(num, den, new(big.Int))
		if r.Sign() != 0 || !q.IsInt64() {
			return nil, fail(ps.Line, ErrAmbiguous, "%s %s is worth %s/%s of %s %s, not a whole number of cents: write its cost (@@)",
				ps.Amount.Number(), o.cur.Code(), ps.Amount.Number(), o.sum.Number(), worth.Number(), base.Code())
		}
		out[i] = money.New(q.Int64(), base)
	}
	return out, nil
}

// entries converts t, split by posting dates; bases are the postings'
// values in the base currency (see bases), or nil.
func (t *Transaction) entries(book, key string, bases []money.Amount) []ledger.Entry {
	main := t.header(book, key)
	var dates []date.Date
	byDate := map[date.Date][]ledger.Line{}
	for i := range t.Postings {
		ps := &t.Postings[i]
		var base money.Amount
		if bases != nil {
			base = bases[i]
		}
		l, ok := ps.line(base)
		if !ok {
			continue
		}
		d := ps.On(t)
		if d == t.Date {
			main.Lines = append(main.Lines, l)
			continue
		}
		if _, ok := byDate[d]; !ok {
			dates = append(dates, d)
		}
		byDate[d] = append(byDate[d], l)
	}
	if len(dates) == 0 {
		if len(main.Lines) == 0 {
			return nil
		}
		return []ledger.Entry{main}
	}
	slices.SortFunc(dates, date.Date.Compare)
	var parts []ledger.Entry
	var clearing []ledger.Line // what the main entry clears, per currency
	for _, d := range dates {
		e := t.header(book, key)
		e.Key = main.Key + "/" + d.String()
		e.Date = d
		if e.Metadata == nil {
			e.Metadata = map[string]string{}
		}
		e.Metadata[MetaPartOf] = main.Key
		e.Lines = byDate[d]
		for _, s := range sums(e.Lines) {
			if !s.IsZero() {
				e.Lines = append(e.Lines, ledger.Line{Account: Code(ClearingAccount), Amount: s.Neg(), Memo: "posting dated " + d.String() + " of " + t.Date.String()})
				clearing = append(clearing, ledger.Line{Account: Code(ClearingAccount), Amount: s})
			}
		}
		if len(e.Lines) > 0 {
			parts = append(parts, e)
		}
	}
	for _, s := range sums(clearing) {
		if !s.IsZero() {
			main.Lines = append(main.Lines, ledger.Line{Account: Code(ClearingAccount), Amount: s, Memo: "postings on later or earlier dates"})
		}
	}
	var out []ledger.Entry
	if len(main.Lines) > 0 {
		out = append(out, main)
	}
	return append(out, parts...)
}

// sums returns the sum of lines per currency, in order of appearance, a
// line with a base amount counting with it (in the base currency).
func sums(lines []ledger.Line) []money.Amount {
	var out []money.Amount
	for _, l := range lines {
		v := l.Amount
		if l.Converted() {
			v = l.Base
		}
		i := slices.IndexFunc(out, func(a money.Amount) bool { return a.Currency() == v.Currency() })
		if i < 0 {
			out = append(out, v)
			continue
		}
		s, err := out[i].Add(v)
		if err == nil {
			out[i] = s
		}
	}
	return out
}
