package journal

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// Sentinel errors; every *Error wraps one of them.
var (
	// ErrSyntax: the line is not valid journal syntax.
	ErrSyntax = errors.New("journal: syntax error")
	// ErrUnsupported: valid hledger syntax outside the subset Read accepts.
	ErrUnsupported = errors.New("journal: not supported")
	// ErrUnbalanced: a transaction's postings do not sum to zero in some commodity.
	ErrUnbalanced = errors.New("journal: transaction does not balance")
	// ErrAssertion: a balance assertion does not hold.
	ErrAssertion = errors.New("journal: balance assertion failed")
)

// Error is one problem of a journal, with the 1-based line it is on.
type Error struct {
	Line int
	Err  error
}

func (e *Error) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errors is every problem Read found, in line order.
type Errors []*Error

// maxListed bounds how many problems Errors.Error spells out.
const maxListed = 10

func (es Errors) Error() string {
	if len(es) == 1 {
		return es[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d errors: ", len(es))
	for i, e := range es {
		if i == maxListed {
			fmt.Fprintf(&b, "; and %d more", len(es)-i)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the contained errors, for errors.Is and errors.As.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Journal is what Read found in a journal file.
type Journal struct {
	Accounts     []Account
	Transactions []Transaction
}

// Account is an account directive.
type Account struct {
	Line int
	Name string
	// Type is the type its "type:" tag declares, or 0.
	Type ledger.AccountType
	// Label is its "name:" tag (the account's name in backoffice), or "".
	Label string
}

// Transaction is one dated transaction.
type Transaction struct {
	Line        int // the header line
	Date        date.Date
	Code        string // the code in parentheses: the voucher
	Description string
	// Comment is the transaction's comment text, lines joined by "\n",
	// without the field lines below.
	Comment string
	// Fields are the comment lines of the form "NAME: VALUE" whose NAME is
	// key, journal, voucher, description or starts with "meta.".
	Fields   map[string]string
	Postings []Posting
}

// Posting is one posting of a transaction.
type Posting struct {
	Line    int
	Account string
	Amount  money.Amount
	// Inferred is true for the amount of an elided posting, computed by Read.
	Inferred bool
	// Assertion, if not nil, is the balance the account must have (in
	// Assertion's currency) after this posting; Total asks "==" (no other
	// currency either). Read has checked it.
	Assertion *money.Amount
	Total     bool
	Comment   string            // the memo, lines joined by "\n"
	Fields    map[string]string // "dim.NAME: VALUE" comment lines
}

// symbols maps the currency symbols Read accepts to ISO codes.
var symbols = map[string]string{"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}

// parser holds Read's state.
type parser struct {
	j          Journal
	errs       Errors
	tx         *Transaction
	txBad      bool
	elided     int // index of the elided posting of tx, or -1
	inComment  bool
	defaultCur money.Currency
	declared   map[string]bool
}

func (p *parser) fail(line int, sentinel error, format string, args ...any) {
	if p.tx != nil {
		p.txBad = true // one problem per transaction: the rest would follow from it
	}
	p.errs = append(p.errs, &Error{Line: line, Err: fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)})
}

// Read parses a journal. It returns every problem found, each with its line,
// as Errors, and then no journal: reading is all-or-nothing. Read checks that
// each transaction balances and that every balance assertion holds. See the
// package documentation for the subset of the format it reads.
func Read(r io.Reader) (*Journal, error) {
	p := &parser{elided: -1, declared: map[string]bool{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		p.line(n, sc.Text())
	}
	if err := sc.Err(); err != nil {
		p.fail(n+1, ErrSyntax, "read: %v", err)
	}
	p.endTx()
	if len(p.errs) == 0 {
		p.checkAssertions()
	}
	if len(p.errs) > 0 {
		slices.SortStableFunc(p.errs, func(a, b *Error) int { return a.Line - b.Line })
		return nil, p.errs
	}
	return &p.j, nil
}

func (p *parser) line(n int, s string) {
	if n == 1 {
		s = strings.TrimPrefix(s, "\uFEFF")
	}
	s = strings.TrimRight(s, " \t\r")
	if p.inComment {
		if s == "end comment" {
			p.inComment = false
		}
		return
	}
	if s == "" {
		p.endTx()
		return
	}
	if s[0] == ' ' || s[0] == '\t' {
		t := strings.TrimLeft(s, " \t")
		if p.tx == nil {
			if t[0] == ';' || t[0] == '#' {
				return
			}
			// Subdirectives of account/commodity directives ("format …").
			return
		}
		if t[0] == ';' || t[0] == '#' {
			p.commentLine(strings.TrimSpace(t[1:]))
			return
		}
		p.posting(n, t)
		return
	}
	p.endTx()
	switch c := s[0]; {
	case c == ';' || c == '#' || c == '*' || c == '%' || c == '|':
		return
	case c >= '0' && c <= '9':
		p.header(n, s)
		return
	case c == '~':
		p.fail(n, ErrUnsupported, "periodic transactions")
		return
	case c == '=':
		p.fail(n, ErrUnsupported, "automated transactions")
		return
	}
	word, rest, _ := strings.Cut(s, " ")
	rest = strings.TrimSpace(rest)
	switch word {
	case "comment":
		p.inComment = true
	case "account":
		p.account(n, rest)
	case "commodity", "decimal-mark", "P":
		if word == "decimal-mark" && rest != "." {
			p.fail(n, ErrUnsupported, "decimal mark other than '.'")
		}
	case "D":
		a, err := p.amount(rest, true)
		if err != nil {
			p.fail(n, ErrSyntax, "default commodity: %v", err)
			return
		}
		p.defaultCur = a.Currency()
	default:
		p.fail(n, ErrUnsupported, "directive %q", truncate(word, 20))
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

// account reads an account directive.
func (p *parser) account(n int, rest string) {
	name, comment := splitComment(rest)
	name = accountName(name)
	if name == "" {
		p.fail(n, ErrSyntax, "account directive without a name")
		return
	}
	a := Account{Line: n, Name: name}
	for tag, v := range tags(comment) {
		switch tag {
		case "type":
			t, err := parseType(v)
			if err != nil {
				p.fail(n, ErrSyntax, "account %s: %v", name, err)
				return
			}
			a.Type = t
		case "name":
			a.Label = v
		}
	}
	if p.declared[name] {
		p.fail(n, ErrSyntax, "account %s declared twice", name)
		return
	}
	p.declared[name] = true
	p.j.Accounts = append(p.j.Accounts, a)
}

// tags yields the "name: value" tags of an hledger comment; a "name" tag's
// value runs to the end of the comment, the others' to the next comma.
func tags(comment string) func(yield func(string, string) bool) {
	return func(yield func(string, string) bool) {
		s := comment
		for s != "" {
			i := strings.IndexByte(s, ':')
			if i < 0 {
				return
			}
			name := strings.TrimSpace(s[:i])
			if j := strings.LastIndexAny(name, ", "); j >= 0 {
				name = name[j+1:]
			}
			s = s[i+1:]
			v := s
			if name != "name" {
				if k := strings.IndexByte(s, ','); k >= 0 {
					v, s = s[:k], s[k+1:]
				} else {
					s = ""
				}
			} else {
				s = ""
			}
			if !yield(strings.ToLower(name), strings.TrimSpace(v)) {
				return
			}
		}
	}
}

// parseType reads an hledger account type.
func parseType(v string) (ledger.AccountType, error) {
	switch strings.ToLower(v) {
	case "a", "asset", "c", "cash":
		return ledger.Asset, nil
	case "l", "liability":
		return ledger.Liability, nil
	case "e", "equity", "v", "conversion":
		return ledger.Equity, nil
	case "r", "revenue":
		return ledger.Revenue, nil
	case "x", "expense":
		return ledger.Expense, nil
	}
	return 0, errors.New("type must be A, L, E, R, X, C or V")
}

// splitComment splits s at the first ';' into its content and the comment.
func splitComment(s string) (content, comment string) {
	c, m, ok := strings.Cut(s, ";")
	if !ok {
		return strings.TrimSpace(s), ""
	}
	return strings.TrimSpace(c), strings.TrimSpace(m)
}

// accountName returns the account name at the start of s: up to two spaces or a tab.
func accountName(s string) string {
	end := len(s)
	if i := strings.Index(s, "  "); i >= 0 {
		end = i
	}
	if i := strings.IndexByte(s[:end], '\t'); i >= 0 {
		end = i
	}
	return strings.TrimSpace(s[:end])
}

// fieldNames are the comment-line fields of a transaction.
var fieldNames = map[string]bool{"key": true, "journal": true, "voucher": true, "description": true, "reverses": true, "adjusts": true}

// field splits "NAME: VALUE" if NAME is a field name (or starts with prefix).
func field(s, prefix string, names map[string]bool) (string, string, bool) {
	name, v, ok := strings.Cut(s, ":")
	if !ok || strings.ContainsAny(name, " \t,") {
		return "", "", false
	}
	if names[name] || (prefix != "" && len(name) > len(prefix) && strings.HasPrefix(name, prefix)) {
		return name, strings.TrimSpace(v), true
	}
	return "", "", false
}

// commentLine attaches an indented comment line to the last posting, or to
// the transaction if it has none yet.
func (p *parser) commentLine(c string) {
	if len(p.tx.Postings) == 0 {
		p.txComment(c)
		return
	}
	ps := &p.tx.Postings[len(p.tx.Postings)-1]
	postingComment(ps, c)
}

func (p *parser) txComment(c string) {
	if c == "" {
		return
	}
	if name, v, ok := field(c, "meta.", fieldNames); ok {
		if p.tx.Fields == nil {
			p.tx.Fields = map[string]string{}
		}
		p.tx.Fields[name] = v
		return
	}
	if p.tx.Comment != "" {
		p.tx.Comment += "\n"
	}
	p.tx.Comment += c
}

func postingComment(ps *Posting, c string) {
	if c == "" {
		return
	}
	if name, v, ok := field(c, "dim.", nil); ok {
		if ps.Fields == nil {
			ps.Fields = map[string]string{}
		}
		ps.Fields[name] = v
		return
	}
	if ps.Comment != "" {
		ps.Comment += "\n"
	}
	ps.Comment += c
}

// header starts a transaction.
func (p *parser) header(n int, s string) {
	s, comment := splitComment(s)
	dateTok, rest, _ := strings.Cut(s, " ")
	if i := strings.IndexByte(dateTok, '\t'); i >= 0 {
		dateTok, rest = dateTok[:i], dateTok[i+1:]+" "+rest
	}
	primary, _, _ := strings.Cut(dateTok, "=") // a secondary date is ignored
	d, err := parseDate(primary)
	p.tx = &Transaction{Line: n}
	p.txBad = false
	p.elided = -1
	if err != nil {
		p.fail(n, ErrSyntax, "date: %v", err)
		p.txBad = true
	}
	p.tx.Date = d
	rest = strings.TrimSpace(rest)
	if rest != "" && (rest[0] == '*' || rest[0] == '!') {
		rest = strings.TrimSpace(rest[1:])
	}
	if rest != "" && rest[0] == '(' {
		if i := strings.IndexByte(rest, ')'); i > 0 {
			p.tx.Code, rest = strings.TrimSpace(rest[1:i]), strings.TrimSpace(rest[i+1:])
		}
	}
	p.tx.Description = rest
	p.txComment(comment)
}

// parseDate reads YYYY-MM-DD, YYYY/MM/DD or YYYY.MM.DD (month and day may have one digit).
func parseDate(s string) (date.Date, error) {
	sep := "-"
	if strings.ContainsRune(s, '/') {
		sep = "/"
	} else if strings.ContainsRune(s, '.') {
		sep = "."
	}
	parts := strings.Split(s, sep)
	if len(parts) != 3 || len(parts[0]) != 4 || len(parts[1]) < 1 || len(parts[1]) > 2 || len(parts[2]) < 1 || len(parts[2]) > 2 {
		return date.Date{}, errors.New("want YYYY-MM-DD (a year is required)")
	}
	var v [3]int
	for i, s := range parts {
		x, err := strconv.Atoi(s)
		if err != nil || x < 0 {
			return date.Date{}, errors.New("want YYYY-MM-DD")
		}
		v[i] = x
	}
	d, err := date.Parse(fmt.Sprintf("%04d-%02d-%02d", v[0], v[1], v[2]))
	if err != nil {
		return date.Date{}, errors.New("no such day")
	}
	return d, nil
}

// posting reads an indented posting line t of the current transaction.
func (p *parser) posting(n int, t string) {
	if len(t) > 1 && (t[0] == '*' || t[0] == '!') && (t[1] == ' ' || t[1] == '\t') {
		t = strings.TrimLeft(t[1:], " \t")
	}
	content, comment := splitComment(t)
	if content == "" || content == "*" || content == "!" {
		p.fail(n, ErrSyntax, "posting without an account")
		return
	}
	if content[0] == '(' || content[0] == '[' {
		p.fail(n, ErrUnsupported, "virtual postings")
		return
	}
	name := accountName(content)
	rest := strings.TrimSpace(content[len(name):])
	ps := Posting{Line: n, Account: name}
	postingComment(&ps, comment)
	if strings.ContainsRune(rest, '@') {
		p.fail(n, ErrUnsupported, "costs (@, @@)")
		return
	}
	if strings.ContainsRune(rest, '{') {
		p.fail(n, ErrUnsupported, "lot prices")
		return
	}
	amt, assert, hasAssert := strings.Cut(rest, "=")
	amt = strings.TrimSpace(amt)
	if hasAssert {
		if strings.HasPrefix(assert, "=") {
			ps.Total = true
			assert = assert[1:]
		}
		if strings.HasPrefix(assert, "*") {
			p.fail(n, ErrUnsupported, "subaccount-inclusive assertions (=*)")
			return
		}
		a, err := p.amount(strings.TrimSpace(assert), false)
		if err != nil {
			p.fail(n, ErrSyntax, "balance assertion: %w", err)
			return
		}
		ps.Assertion = &a
		if amt == "" {
			p.fail(n, ErrUnsupported, "balance assignments (an assertion without an amount); write the amount")
			return
		}
	}
	if amt == "" {
		if p.elided >= 0 {
			p.fail(n, ErrSyntax, "a second posting without an amount (line %d has one)", p.tx.Postings[p.elided].Line)
			p.txBad = true
			return
		}
		p.elided = len(p.tx.Postings)
		ps.Inferred = true
	} else {
		a, err := p.amount(amt, false)
		if err != nil {
			p.fail(n, ErrSyntax, "amount: %w", err)
			p.txBad = true
			return
		}
		ps.Amount = a
	}
	p.tx.Postings = append(p.tx.Postings, ps)
}

// amount parses an amount with its commodity; noNumberOK is unused for D.
func (p *parser) amount(s string, _ bool) (money.Amount, error) {
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = strings.TrimSpace(s[1:])
	}
	var com, num string
	if s == "" {
		return money.Amount{}, errors.New("missing")
	}
	if c := s[0]; c >= '0' && c <= '9' {
		i := numberEnd(s)
		num, com = s[:i], strings.TrimSpace(s[i:])
	} else {
		i := commodityEnd(s)
		if i == 0 {
			return money.Amount{}, errors.New("no commodity or number")
		}
		com, s = s[:i], strings.TrimSpace(s[i:])
		if s != "" && (s[0] == '-' || s[0] == '+') {
			if neg {
				return money.Amount{}, errors.New("two signs")
			}
			neg = s[0] == '-'
			s = strings.TrimSpace(s[1:])
		}
		num = s
		if numberEnd(num) != len(num) {
			return money.Amount{}, errors.New("malformed number")
		}
	}
	com = strings.Trim(com, `"`)
	var cur money.Currency
	if com == "" {
		if strings.Trim(num, "0.,") == "" && num != "" {
			return money.Amount{}, nil // a bare zero, as in "0 = EUR 10.00"
		}
		if p.defaultCur.IsZero() {
			return money.Amount{}, errors.New("no commodity (write EUR 10.00, or declare a default with D)")
		}
		cur = p.defaultCur
	} else {
		if iso, ok := symbols[com]; ok {
			com = iso
		}
		c, err := money.ParseCurrency(com)
		if err != nil {
			return money.Amount{}, fmt.Errorf("%w: commodity %q is not an ISO 4217 currency", ErrUnsupported, truncate(com, 16))
		}
		cur = c
	}
	num, err := plainNumber(num)
	if err != nil {
		return money.Amount{}, err
	}
	if neg {
		num = "-" + num
	}
	return money.Parse(num, cur)
}

// numberEnd returns the length of the number at the start of s.
func numberEnd(s string) int {
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.' || s[i] == ',') {
		i++
	}
	return i
}

// commodityEnd returns the length of the commodity at the start of s.
func commodityEnd(s string) int {
	if s[0] == '"' {
		if i := strings.IndexByte(s[1:], '"'); i >= 0 {
			return i + 2
		}
		return 0
	}
	for sym := range symbols {
		if strings.HasPrefix(s, sym) {
			return len(sym)
		}
	}
	i := 0
	for i < len(s) && (s[i] >= 'A' && s[i] <= 'Z' || s[i] >= 'a' && s[i] <= 'z') {
		i++
	}
	return i
}

// plainNumber removes ',' digit groups: allowed before a '.', or when every
// group after the first has three digits.
func plainNumber(s string) (string, error) {
	if s == "" {
		return "", errors.New("missing number")
	}
	if !strings.ContainsRune(s, ',') {
		return s, nil
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if strings.ContainsRune(frac, ',') {
		return "", errors.New("',' after the decimal mark")
	}
	groups := strings.Split(intPart, ",")
	for i, g := range groups {
		if g == "" || len(g) > 3 || i > 0 && len(g) != 3 {
			return "", errors.New("',' used as a decimal mark; write 1234.56")
		}
	}
	out := strings.Join(groups, "")
	if hasDot {
		out += "." + frac
	}
	return out, nil
}

// endTx finishes the current transaction: infers the elided amount and
// checks that it balances.
func (p *parser) endTx() {
	tx := p.tx
	p.tx = nil
	if tx == nil || p.txBad {
		return
	}
	if len(tx.Postings) == 0 {
		p.fail(tx.Line, ErrSyntax, "transaction without postings")
		return
	}
	sums := map[money.Currency]money.Amount{}
	var order []money.Currency
	for _, ps := range tx.Postings {
		if ps.Inferred || ps.Amount.IsZero() {
			continue
		}
		c := ps.Amount.Currency()
		s, ok := sums[c]
		if !ok {
			order = append(order, c)
			s = money.Zero(c)
		}
		sum, err := s.Add(ps.Amount)
		if err != nil {
			p.fail(ps.Line, ErrSyntax, "amount out of range")
			return
		}
		sums[c] = sum
	}
	if p.elided >= 0 {
		el := tx.Postings[p.elided]
		var fill []Posting
		for _, c := range order {
			if !sums[c].IsZero() {
				q := el
				q.Amount = sums[c].Neg()
				fill = append(fill, q)
			}
		}
		if len(fill) == 0 {
			p.fail(el.Line, ErrSyntax, "the posting without an amount would get zero: the others already balance")
			return
		}
		tx.Postings = slices.Concat(tx.Postings[:p.elided], fill, tx.Postings[p.elided+1:])
	} else {
		for _, c := range order {
			if !sums[c].IsZero() {
				p.fail(tx.Line, ErrUnbalanced, "off by %s %s", sums[c].Number(), c.Code())
				return
			}
		}
	}
	p.j.Transactions = append(p.j.Transactions, *tx)
}

// checkAssertions runs through the postings in date order, then file order,
// and checks every balance assertion.
func (p *parser) checkAssertions() {
	txs := p.j.Transactions
	idx := make([]int, len(txs))
	sorted := true
	for i := range idx {
		idx[i] = i
		if i > 0 && txs[i].Date.Before(txs[i-1].Date) {
			sorted = false
		}
	}
	if !sorted {
		slices.SortStableFunc(idx, func(a, b int) int { return txs[a].Date.Compare(txs[b].Date) })
	}
	type key struct {
		account string
		cur     money.Currency
	}
	bal := map[key]int64{}
	curs := map[string][]money.Currency{}
	for _, i := range idx {
		for _, ps := range txs[i].Postings {
			k := key{ps.Account, ps.Amount.Currency()}
			if k.cur.IsZero() {
				k.cur = money.EUR // a bare zero adds nothing; any currency will do
			}
			if _, ok := bal[k]; !ok {
				curs[ps.Account] = append(curs[ps.Account], k.cur)
			}
			v, ok := money.AddMinor(bal[k], ps.Amount.MinorUnits())
			if !ok {
				p.fail(ps.Line, ErrSyntax, "balance of %s out of range", ps.Account)
				return
			}
			bal[k] = v
			if a := ps.Assertion; a != nil {
				got := bal[key{ps.Account, a.Currency()}]
				if got != a.MinorUnits() {
					p.fail(ps.Line, ErrAssertion, "%s is %s %s, asserted %s %s", ps.Account,
						money.New(got, a.Currency()).Number(), a.Currency().Code(), a.Number(), a.Currency().Code())
				}
				if ps.Total {
					for _, c := range curs[ps.Account] {
						if c != a.Currency() && bal[key{ps.Account, c}] != 0 {
							p.fail(ps.Line, ErrAssertion, "%s also holds %s %s (==)", ps.Account,
								money.New(bal[key{ps.Account, c}], c).Number(), c.Code())
						}
					}
				}
			}
		}
	}
}

// Code returns the account code backoffice uses for an hledger account
// name: the name with spaces replaced by '_' and '/' by '-' (codes have
// neither). Codes are at most 64 bytes; a longer name gives an invalid code.
func Code(name string) string {
	return strings.NewReplacer(" ", "_", "/", "-", "\t", "_").Replace(name)
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

// Entry converts t into an entry of book: account names become codes (see
// Code), the code the voucher, comments memos (the transaction's in
// Metadata["comment"]), "meta.NAME" and "dim.NAME" fields metadata and
// dimensions. The idempotency key is the "key" field if present, else
// "journal/" and a digest of the transaction's content and its occurrence
// (n, counted from 1 among transactions with the same content), so that
// importing the same journal twice posts nothing twice.
func (t *Transaction) Entry(book string, n int) ledger.Entry {
	return t.entry(book, func() string { return t.Digest() }, n)
}

func (t *Transaction) entry(book string, digest func() string, n int) ledger.Entry {
	e := ledger.Entry{Book: book, Date: t.Date, Description: t.Description, Voucher: t.Code}
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
			if e.Metadata == nil {
				e.Metadata = map[string]string{}
			}
			e.Metadata[k[len("meta."):]] = v
		}
	}
	if t.Comment != "" {
		if e.Metadata == nil {
			e.Metadata = map[string]string{}
		}
		e.Metadata["comment"] = t.Comment
	}
	for _, ps := range t.Postings {
		if ps.Amount.IsZero() {
			continue // backoffice posts no zero amounts; the assertion was checked
		}
		l := ledger.Line{Account: Code(ps.Account), Amount: ps.Amount, Memo: ps.Comment}
		for k, v := range ps.Fields {
			if l.Dimensions == nil {
				l.Dimensions = map[string]string{}
			}
			l.Dimensions[k[len("dim."):]] = v
		}
		e.Lines = append(e.Lines, l)
	}
	if e.Key == "" {
		e.Key = "journal/" + digest() + "/" + strconv.Itoa(n)
	}
	return e
}

// Digest returns a short hex digest of the transaction's content: date,
// code, description, comment and postings (not line numbers).
func (t *Transaction) Digest() string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00", t.Date, t.Code, t.Description, t.Comment)
	for _, ps := range t.Postings {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00", ps.Account, ps.Amount.String(), ps.Comment)
	}
	return hex.EncodeToString(h.Sum(nil)[:10])
}

// Entries converts every transaction (see Transaction.Entry), numbering
// transactions of identical content in file order. Postings of zero amounts
// (assertions such as "0 = EUR 10.00") are left out, and so are
// transactions left with no posting.
func (j *Journal) Entries(book string) []ledger.Entry {
	out, _ := j.EntriesWithLines(book)
	return out
}

// EntriesWithLines is Entries, and for each entry the line of the file its
// transaction starts on: the two slices have the same length, so an error
// about entries[i] can name lines[i] (transactions left out shift the
// indexes).
func (j *Journal) EntriesWithLines(book string) (entries []ledger.Entry, lines []int) {
	seen := map[string]int{}
	entries = make([]ledger.Entry, 0, len(j.Transactions))
	lines = make([]int, 0, len(j.Transactions))
	for i := range j.Transactions {
		t := &j.Transactions[i]
		d := t.Digest()
		seen[d]++
		if e := t.entry(book, func() string { return d }, seen[d]); len(e.Lines) > 0 {
			entries = append(entries, e)
			lines = append(lines, t.Line)
		}
	}
	return entries, lines
}
