package journal

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/internal/errlist"
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
	// ErrAmbiguous: a number whose decimal mark hledger and a reader could
	// take either way ("1,500", "1.500") and no directive declares it; or
	// a conversion hledger infers whose value in the base currency cannot
	// be shared among its postings exactly (see Journal.EntriesIn).
	ErrAmbiguous = errors.New("journal: ambiguous number")
	// ErrForeignCost: a posting's cost, or a conversion hledger infers,
	// gives it no value in the book's base currency: a cost in a third
	// currency ("USD 100.00 @@ GBP 85.00" in a EUR book), or a conversion
	// between two currencies neither of which is the base currency (see
	// Journal.EntriesIn).
	ErrForeignCost = errors.New("journal: cost not in the base currency")
)

// Error is one problem of a journal, with the file (empty for Read) and the
// 1-based line it is on.
type Error struct {
	File string
	Line int
	Err  error
}

func (e *Error) Error() string {
	if e.File != "" {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("line %d: %v", e.Line, e.Err)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errors is every problem Read found, in line order.
type Errors []*Error

// Error lists the first few problems and how many more there are.
func (es Errors) Error() string {
	if len(es) == 1 {
		return es[0].Error()
	}
	return errlist.Join("", len(es), func(i int) string { return es[i].Error() })
}

// Unwrap returns the contained errors, for errors.Is and errors.As.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Journal is what Read found in a journal file (and the files it includes).
type Journal struct {
	Accounts     []Account
	Transactions []Transaction
	// Styles maps each currency's ISO code to the style hledger displays
	// its amounts in: its commodity directive's (the sample or format line),
	// else inferred as hledger infers it from the amounts of the last D
	// directive, the P directives and the postings, in that order (not
	// from costs or balance assertions): the first amount's commodity,
	// side and space, the most decimals of any, the first digit group
	// mark, and the decimal mark that mark implies (',' after '.' groups,
	// else '.') or, without groups, the first decimal mark used, else '.'.
	// Where a currency is written two ways ("€" and "EUR", two commodities
	// to hledger), the style is that of the commodity as its first posting
	// writes it, and amounts written the other way do not count.
	Styles map[string]Style
	// Prices are the market prices of P directives, in file order. Read
	// keeps them; converting transactions to entries does not use them
	// (a posting's value in the base currency is its cost, never a market
	// price). Rates returns them as exchange rates for an fx.Store.
	Prices []Price
}

// Account is an account directive.
type Account struct {
	File string
	Line int
	Name string
	// Type is the type its "type:" tag declares, or 0.
	Type ledger.AccountType
	// Cash is true for hledger's type C (Cash), which Type reads as Asset.
	Cash bool
	// Label is its "name:" tag (the account's name in backoffice), or "".
	Label string
	// Code is its "code:" tag (the account's code in backoffice, as Write
	// writes it for charts whose codes are not hledger names), or "".
	Code string
}

// Price is a P directive: one unit of Commodity costs Price Currency on
// Date ("P 2025-01-15 USD 0.90 EUR").
type Price struct {
	File string
	Line int
	Date date.Date
	// Time is the time of day written after the date ("12:00:00"), or "".
	Time string
	// Commodity is the priced commodity as written, unquoted: a currency
	// code, or anything else hledger allows (a stock, "AAPL").
	Commodity string
	// Price is the price of one unit, exactly as written, however many
	// decimals it has.
	Price    decimal.Decimal
	Currency money.Currency
	// Source is the value of a "source:" tag in the directive's comment
	// (as fx.WritePriceDirectives writes it), or "".
	Source string
}

// Transaction is one dated transaction.
type Transaction struct {
	File        string
	Line        int // the header line
	Date        date.Date
	Date2       date.Date // the secondary date ("DATE=DATE2"), or zero
	Status      Status
	Code        string // the code in parentheses: the voucher
	Description string
	// Conversion is true for a transaction in two commodities that do not
	// balance each on its own and has no cost written: hledger infers the
	// exchange between them, the sum of one commodity's postings costing
	// the sum of the other's (see Journal.EntriesIn).
	Conversion bool
	// Comment is the transaction's comment text, lines joined by "\n",
	// without the field lines below.
	Comment string
	// Fields are the comment lines of the form "NAME: VALUE" whose NAME is
	// key, journal, voucher, description or starts with "meta.".
	Fields   map[string]string
	Postings []Posting
}

// Status is a transaction's or posting's status mark.
type Status byte

// The status marks.
const (
	Unmarked Status = 0
	Pending  Status = '!'
	Cleared  Status = '*'
)

// String returns "cleared", "pending" or "".
func (s Status) String() string {
	switch s {
	case Cleared:
		return "cleared"
	case Pending:
		return "pending"
	}
	return ""
}

// parseStatus reads what Status.String writes.
func parseStatus(s string) Status {
	switch s {
	case "cleared":
		return Cleared
	case "pending":
		return Pending
	}
	return Unmarked
}

// Posting is one posting of a transaction.
type Posting struct {
	Line    int
	Account string
	Amount  money.Amount
	// Date is the posting's own date (a "date:" tag or "[DATE]" in its
	// comment), or zero for the transaction's date.
	Date   date.Date
	Status Status
	// Inferred is true for the amount of an elided posting, computed by Read.
	Inferred bool
	// Cost is what the posting cost in another commodity, as its cost
	// says: "USD 100.00 @@ EUR 92.00" (a total cost) costs EUR 92.00,
	// "USD 100.00 @ EUR 0.92" (a unit cost) the amount times the unit
	// cost, rounded half up (money.HalfUp) to the cost currency's minor
	// units. Cost has the sign of Amount (a cost is written without one);
	// it is the zero Amount, with no currency, if the posting has no cost.
	// The transaction balances with each posting counted at its cost.
	Cost money.Amount
	// exact is the unrounded cost of a unit cost.
	exact decimal.Decimal
	// Assertion, if not nil, is the balance the account must have (in
	// Assertion's currency) after this posting; Total asks "==" (no other
	// currency either). Read has checked it.
	Assertion *money.Amount
	Total     bool
	Comment   string            // the memo, lines joined by "\n"
	Fields    map[string]string // "dim.NAME: VALUE" comment lines, and "dim.vat" for a "vat:" tag
	code      string            // the account's code: its directive's "code:" tag, or ""
}

// On returns the date the posting takes effect: its own or t's.
func (ps *Posting) On(t *Transaction) date.Date {
	if !ps.Date.IsZero() {
		return ps.Date
	}
	return t.Date
}

// symbols maps the currency symbols Read accepts to ISO codes.
var symbols = map[string]string{"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}

// alias is one alias directive.
type alias struct {
	old, repl string         // plain: old is replaced at an account-name boundary
	re        *regexp.Regexp // regular expression, case-insensitive as hledger's
}

func (a alias) apply(name string) string {
	if a.re != nil {
		return a.re.ReplaceAllString(name, a.repl)
	}
	if name == a.old || strings.HasPrefix(name, a.old+":") {
		return a.repl + name[len(a.old):]
	}
	return name
}

// scope is the state of directives that last to the end of the file that
// gives them (and the files it includes), as hledger's do.
type scope struct {
	aliases    []alias
	applied    []string // apply account stack
	decimal    byte     // the decimal-mark directive's mark, or 0
	defaultCur money.Currency
	defaultCom string
}

// parser holds Read's state.
type parser struct {
	j         Journal
	errs      Errors
	file      string // the file being read, "" for Read
	tx        *Transaction
	txBad     bool
	elided    int // index of the elided posting of tx, or -1
	inComment bool
	sc        scope
	styles    map[string]byte // commodity as written → decimal mark its directive declares
	// declaredStyle is the style of each commodity (as written) that a
	// commodity directive gives; dObs, pObs and observed are the styles of
	// the amounts that make hledger's inferred styles: the default
	// commodity's, the P directives' and the postings'.
	declaredStyle map[string]Style
	dObs          *observation
	pObs          []observation
	observed      []observation
	declared      map[string]bool
	open          func(string) (io.ReadCloser, error) // nil: include is refused
	stack         []string                            // the files being read, for include cycles
	lastCom       string                              // the commodity directive whose "format" subdirective may follow
	// asserts checks the balance assertions (nil: not checked, a second
	// pass of ScanFile's); emit, if set, takes each transaction read
	// instead of Journal.Transactions.
	asserts *assertions
	emit    func(*Transaction)
	stop    bool // emit's caller wants no more
}

func (p *parser) fail(line int, sentinel error, format string, args ...any) {
	if p.tx != nil {
		p.txBad = true // one problem per transaction: the rest would follow from it
	}
	p.errs = append(p.errs, &Error{File: p.file, Line: line, Err: fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)})
}

func newParser() *parser {
	return &parser{elided: -1, declared: map[string]bool{}, styles: map[string]byte{}, declaredStyle: map[string]Style{}, asserts: newAssertions()}
}

// Read parses a journal. It returns every problem found, each with its line,
// as Errors, and then no journal: reading is all-or-nothing. Read checks that
// each transaction balances and that every balance assertion holds. See the
// package documentation for the subset of the format it reads. Read refuses
// include directives, having no file to resolve them against: use ReadFile.
func Read(r io.Reader) (*Journal, error) {
	p := newParser()
	p.read(r)
	return p.finish()
}

// ReadFile is Read of the named file, which may include others: include
// paths are relative to the including file, globs (*, ?, [...]) are
// expanded in name order, and a file that includes itself, directly or not,
// is refused. Errors name the file and line.
func ReadFile(name string) (*Journal, error) {
	p := newParser()
	if err := p.readTop(name); err != nil {
		return nil, err
	}
	return p.finish()
}

// readTop reads the file name, which may include others (see ReadFile),
// as a stream; the error is the one of opening it.
func (p *parser) readTop(name string) error {
	if p.open == nil {
		p.open = openFile
	}
	f, err := p.open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	p.file = name
	if abs, err := filepath.Abs(name); err == nil {
		p.stack = []string{abs}
	}
	p.read(f)
	return nil
}

// openFile opens a journal file to read, refusing a directory as
// os.ReadFile does.
func openFile(name string) (io.ReadCloser, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		f.Close()
		return nil, &os.PathError{Op: "read", Path: name, Err: syscall.EISDIR}
	}
	return f, nil
}

func (p *parser) finish() (*Journal, error) {
	if len(p.errs) == 0 {
		p.checkAssertions(func(fn func(*Transaction)) error {
			for i := range p.j.Transactions {
				fn(&p.j.Transactions[i])
			}
			return nil
		})
	}
	p.sortErrors()
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	// Accounts declared with a "code:" tag post under that code.
	if codes := codesOf(p.j.Accounts); len(codes) > 0 {
		for i := range p.j.Transactions {
			for k := range p.j.Transactions[i].Postings {
				ps := &p.j.Transactions[i].Postings[k]
				ps.code = codes[ps.Account]
			}
		}
	}
	p.j.Styles = p.inferStyles()
	return &p.j, nil
}

// sortErrors puts the problems found in line order.
func (p *parser) sortErrors() {
	slices.SortStableFunc(p.errs, func(a, b *Error) int {
		if a.File != b.File && (a.File == "" || b.File == "") {
			return strings.Compare(a.File, b.File)
		}
		return a.Line - b.Line
	})
}

// checkAssertions adds the problems of the balance assertions to p.errs;
// each(fn) calls fn with every transaction in file order, for the accounts
// checked again in date order (see assertions).
func (p *parser) checkAssertions(each func(fn func(*Transaction)) error) {
	if redo := p.asserts.redo(); redo != nil {
		if err := p.asserts.recheck(redo, each); err != nil {
			p.errs = append(p.errs, &Error{File: p.file, Err: err})
			return
		}
	}
	p.errs = append(p.errs, p.asserts.errors()...)
}

// read reads one file's lines.
func (p *parser) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for !p.stop && sc.Scan() {
		n++
		p.line(n, sc.Text())
	}
	if err := sc.Err(); err != nil {
		p.fail(n+1, ErrSyntax, "read: %v", err)
	}
	p.endTx()
	p.inComment = false
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
			p.subdirective(n, t)
			return
		}
		if t[0] == ';' || t[0] == '#' {
			p.commentLine(n, strings.TrimSpace(t[1:]))
			return
		}
		p.posting(n, t)
		return
	}
	p.endTx()
	p.lastCom = ""
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
	word, rest, _ := strings.Cut(strings.Replace(s, "\t", " ", 1), " ")
	rest = strings.TrimSpace(rest)
	switch word {
	case "comment":
		p.inComment = true
	case "account":
		p.account(n, rest)
	case "commodity":
		p.commodity(n, rest)
	case "decimal-mark":
		switch rest {
		case ".", ",":
			p.sc.decimal = rest[0]
		default:
			p.fail(n, ErrSyntax, "decimal-mark must be . or ,")
		}
	case "P":
		p.price(n, rest)
	case "D":
		a, com, err := p.amountCom(rest)
		if err != nil {
			p.fail(n, ErrSyntax, "default commodity: %v", err)
			return
		}
		p.sc.defaultCur, p.sc.defaultCom = a.Currency(), com
		if dm, ok := sampleMark(rest); ok && p.styles[com] == 0 {
			p.styles[com] = dm
		}
		if st, cur, err := p.style(rest); err == nil {
			p.dObs = &observation{cur, st} // hledger's: the last D's
		}
	case "include":
		p.include(n, rest)
	case "alias":
		p.alias(n, rest)
	case "apply":
		if a, ok := strings.CutPrefix(rest, "account "); ok && strings.TrimSpace(a) != "" {
			name, _ := splitComment(a)
			p.sc.applied = append(p.sc.applied, name)
			return
		}
		p.fail(n, ErrUnsupported, "directive %q", truncate(s, 30))
	case "end":
		switch rest {
		case "aliases":
			p.sc.aliases = nil
		case "apply account":
			if len(p.sc.applied) == 0 {
				p.fail(n, ErrSyntax, "end apply account without apply account")
				return
			}
			p.sc.applied = p.sc.applied[:len(p.sc.applied)-1]
		default:
			p.fail(n, ErrUnsupported, "directive %q", truncate(s, 30))
		}
	case "payee", "tag":
		// Declarations only: they change no amount, account or date.
	default:
		p.fail(n, ErrUnsupported, "directive %q", truncate(word, 20))
	}
}

// subdirective reads an indented line after a directive: the "format" of a
// commodity directive; other subdirectives (of account directives) carry
// no amounts and are skipped.
func (p *parser) subdirective(n int, t string) {
	if p.lastCom == "" {
		return
	}
	sub, rest, _ := strings.Cut(t, " ")
	if sub != "format" {
		return
	}
	sample, _ := splitComment(rest)
	_, com, err := p.amountCom(sample)
	if err != nil && !errors.Is(err, ErrAmbiguous) && !errors.Is(err, ErrUnsupported) {
		p.fail(n, ErrSyntax, "commodity format: %v", err)
		return
	}
	_ = com
	dm, ok := sampleMark(sample)
	if !ok {
		p.fail(n, ErrAmbiguous, "commodity format %q has no decimal mark hledger would read for sure; write it as 1,000.00 or 1.000,00", truncate(sample, 30))
		return
	}
	p.styles[p.lastCom] = dm
	if st, _, err := p.style(sample); err == nil && st.Commodity == p.lastCom {
		p.declaredStyle[p.lastCom] = st
	}
}

// commodity reads a commodity directive: "commodity 1.000,00 EUR",
// "commodity EUR 1,000.00" or "commodity EUR" (then perhaps a format line).
// Its decimal mark decides how Read reads that commodity's amounts.
func (p *parser) commodity(n int, rest string) {
	rest, _ = splitComment(rest)
	if rest == "" {
		p.fail(n, ErrSyntax, "commodity directive without a commodity")
		return
	}
	if !strings.ContainsAny(rest, "0123456789") {
		p.lastCom = strings.Trim(rest, `"`)
		return
	}
	com, _ := splitSample(rest)
	dm, ok := sampleMark(rest)
	if !ok {
		p.fail(n, ErrAmbiguous, "commodity %s: the sample %q does not show the decimal mark for sure; write it as 1,000.00 %s or 1.000,00 %s", com, truncate(rest, 30), com, com)
		return
	}
	if prev, ok := p.styles[com]; ok && prev != dm {
		p.fail(n, ErrSyntax, "commodity %s declared again with decimal mark %q (was %q)", com, dm, prev)
		return
	}
	p.styles[com] = dm
	if st, _, err := p.style(rest); err == nil && st.Commodity == com {
		p.declaredStyle[com] = st
	}
}

// splitSample splits an amount sample into its commodity and number.
func splitSample(s string) (com, num string) {
	s = strings.TrimSpace(strings.TrimLeft(s, "-+"))
	if s != "" && (s[0] >= '0' && s[0] <= '9') {
		i := numberEnd(s)
		return strings.Trim(strings.TrimSpace(s[i:]), `"`), s[:i]
	}
	i := 0
	if s != "" {
		i = commodityEnd(s)
	}
	return strings.Trim(s[:i], `"`), strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(s[i:]), "-+"))
}

// sampleMark returns the decimal mark a style sample shows: the last of '.'
// and ',' when it is followed by other than exactly three digits or both
// occur; ok is false for a sample that leaves it open ("1,000", "1000").
func sampleMark(s string) (byte, bool) {
	_, num := splitSample(s)
	i := strings.LastIndexAny(num, ".,")
	if i < 0 {
		return 0, false
	}
	m := num[i]
	other := byte(',')
	if m == ',' {
		other = '.'
	}
	if strings.IndexByte(num, other) >= 0 {
		return m, true
	}
	if strings.Count(num, string(m)) > 1 {
		return 0, false // only group marks: "1,000,000"
	}
	if len(num)-i-1 == 3 {
		return 0, false
	}
	return m, true
}

// price reads a P directive: "P DATE [TIME] COMMODITY AMOUNT".
func (p *parser) price(n int, rest string) {
	rest, comment := splitComment(rest)
	f := strings.Fields(rest)
	if len(f) < 3 {
		p.fail(n, ErrSyntax, "P directive: want P DATE COMMODITY AMOUNT")
		return
	}
	d, err := parseDate(f[0], 0)
	if err != nil {
		p.fail(n, ErrSyntax, "P directive: date: %v", err)
		return
	}
	i := 1
	var tod string
	if strings.Count(f[1], ":") >= 1 && f[1][0] >= '0' && f[1][0] <= '9' {
		i, tod = 2, f[1] // a time of day, as hledger allows
	}
	if len(f) < i+2 {
		p.fail(n, ErrSyntax, "P directive: want P DATE COMMODITY AMOUNT")
		return
	}
	v, cur, err := p.decimalCom(strings.Join(f[i+1:], " "))
	if err != nil {
		p.fail(n, ErrSyntax, "P directive: price: %v", err)
		return
	}
	if st, _, err := p.style(strings.Join(f[i+1:], " ")); err == nil {
		p.pObs = append(p.pObs, observation{cur, st})
	}
	pr := Price{File: p.file, Line: n, Date: d, Time: tod, Commodity: strings.Trim(f[i], `"`), Price: v, Currency: cur}
	for tag, v := range tags(comment) {
		if tag == "source" {
			pr.Source = v
		}
	}
	p.j.Prices = append(p.j.Prices, pr)
}

// include reads an included file.
func (p *parser) include(n int, rest string) {
	path, _ := splitComment(rest)
	if f, r, ok := strings.Cut(path, ":"); ok && len(f) > 1 && !strings.ContainsAny(f, `/\.`) {
		if f != "journal" {
			p.fail(n, ErrUnsupported, "include of %s files: only journal files are read", f)
			return
		}
		path = r
	}
	if p.open == nil {
		p.fail(n, ErrUnsupported, "include needs the journal's file name to resolve %q (read it with ReadFile, or import a file)", path)
		return
	}
	if path == "" {
		p.fail(n, ErrSyntax, "include without a file name")
		return
	}
	if strings.HasPrefix(path, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			path = filepath.Join(home, path[2:])
		}
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(p.file), path)
	}
	names := []string{path}
	if strings.ContainsAny(path, "*?[") {
		m, err := filepath.Glob(path)
		if err != nil || len(m) == 0 {
			p.fail(n, ErrSyntax, "include %s: no file matches", path)
			return
		}
		names = m
	}
	for _, name := range names {
		abs, _ := filepath.Abs(name)
		if i := slices.Index(p.stack, abs); i >= 0 {
			p.fail(n, ErrSyntax, "include %s: a cycle (%s includes itself)", name, name)
			continue
		}
		f, err := p.open(name)
		if err != nil {
			p.fail(n, ErrSyntax, "include: %v", err)
			continue
		}
		saved, savedFile := p.sc, p.file
		p.sc.aliases = slices.Clone(p.sc.aliases)
		p.sc.applied = slices.Clone(p.sc.applied)
		p.stack = append(p.stack, abs)
		p.file = name
		p.read(f)
		f.Close()
		p.stack = p.stack[:len(p.stack)-1]
		p.sc, p.file = saved, savedFile
	}
}

// alias reads "alias OLD = NEW" and "alias /REGEX/ = REPLACEMENT".
func (p *parser) alias(n int, rest string) {
	rest, _ = splitComment(rest)
	if strings.HasPrefix(rest, "/") {
		end := strings.LastIndex(rest, "/")
		if end <= 0 {
			p.fail(n, ErrSyntax, "alias: want alias /REGEX/ = REPLACEMENT")
			return
		}
		expr, tail := rest[1:end], strings.TrimSpace(rest[end+1:])
		repl, ok := strings.CutPrefix(tail, "=")
		if !ok {
			p.fail(n, ErrSyntax, "alias: want alias /REGEX/ = REPLACEMENT")
			return
		}
		re, err := regexp.Compile("(?i)" + expr)
		if err != nil {
			p.fail(n, ErrUnsupported, "alias: regular expression: %v", err)
			return
		}
		// hledger's \1 back-references are Go's ${1}.
		repl = regexp.MustCompile(`\\(\d)`).ReplaceAllString(strings.ReplaceAll(strings.TrimSpace(repl), "$", "$$"), "$${$1}")
		p.sc.aliases = append(p.sc.aliases, alias{re: re, repl: repl})
		return
	}
	old, repl, ok := strings.Cut(rest, "=")
	old, repl = strings.TrimSpace(old), strings.TrimSpace(repl)
	if !ok || old == "" || repl == "" {
		p.fail(n, ErrSyntax, "alias: want alias OLD = NEW")
		return
	}
	p.sc.aliases = append(p.sc.aliases, alias{old: old, repl: repl})
}

// accountOf applies apply account and the aliases to an account name as
// written, as hledger does: the prefix first, then the aliases, most
// recently declared first.
func (p *parser) accountOf(name string) string {
	if len(p.sc.applied) > 0 {
		name = strings.Join(p.sc.applied, ":") + ":" + name
	}
	for i := len(p.sc.aliases) - 1; i >= 0; i-- {
		name = p.sc.aliases[i].apply(name)
	}
	return name
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
	name = p.accountOf(name)
	a := Account{File: p.file, Line: n, Name: name}
	for tag, v := range tags(comment) {
		switch tag {
		case "type":
			t, err := parseType(v)
			if err != nil {
				p.fail(n, ErrSyntax, "account %s: %v", name, err)
				return
			}
			a.Type = t
			a.Cash = strings.EqualFold(v, "c") || strings.EqualFold(v, "cash")
		case "name":
			a.Label = v
		case "code":
			a.Code = v
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
func (p *parser) commentLine(n int, c string) {
	if len(p.tx.Postings) == 0 {
		p.txComment(c)
		return
	}
	ps := &p.tx.Postings[len(p.tx.Postings)-1]
	p.postingComment(n, ps, c)
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

// bracketDate is Ledger's posting date in a comment: [DATE], [DATE=DATE2], [=DATE2].
var bracketDate = regexp.MustCompile(`\[([0-9./-]*)(=[0-9./-]+)?\]`)

// postingComment reads a posting's comment: a "dim.NAME: VALUE" line is a
// dimension, anything else the memo; a "date:" tag or a "[DATE]" in it is
// the posting's date.
func (p *parser) postingComment(n int, ps *Posting, c string) {
	if c == "" {
		return
	}
	if name, v, ok := field(c, "dim.", nil); ok {
		if name == "dim."+VATTag {
			p.vatCode(n, ps, v)
			return
		}
		if ps.Fields == nil {
			ps.Fields = map[string]string{}
		}
		ps.Fields[name] = v
		return
	}
	setDate := func(s string) {
		d, err := parseDate(s, p.tx.Date.Year())
		if err != nil {
			p.fail(n, ErrSyntax, "posting date %q: %v", truncate(s, 20), err)
			return
		}
		if !ps.Date.IsZero() && ps.Date != d {
			p.fail(n, ErrSyntax, "posting has two dates, %s and %s", ps.Date, d)
			return
		}
		if d != p.tx.Date {
			ps.Date = d
		}
	}
	for _, m := range bracketDate.FindAllStringSubmatch(c, -1) {
		if m[1] != "" {
			setDate(m[1])
		}
	}
	for name, v := range tags(c) {
		switch name {
		case "date":
			setDate(v)
		case VATTag:
			p.vatCode(n, ps, v)
		}
	}
	if ps.Comment != "" {
		ps.Comment += "\n"
	}
	ps.Comment += c
}

// VATTag is the posting tag that gives a posting's line its VAT code, the
// line dimension of the same name: "; vat: USt19" (package vat's codes).
const VATTag = "vat"

// vatCode sets the posting's VAT code from a "vat:" tag or a "dim.vat:"
// line, refusing a second, different one. A tag without a value (hledger
// allows "; vat:") names no code and sets none.
func (p *parser) vatCode(n int, ps *Posting, v string) {
	key := "dim." + VATTag
	if v == "" {
		return
	}
	if had, ok := ps.Fields[key]; ok && had != v {
		p.fail(n, ErrSyntax, "posting has two VAT codes, %q and %q", had, v)
		return
	}
	if ps.Fields == nil {
		ps.Fields = map[string]string{}
	}
	ps.Fields[key] = v
}

// CheckDimensions applies check to every dimension of every posting —
// its "dim.NAME: VALUE" lines and its "vat:" tag — with the name without
// "dim.". It returns nil if check accepts them all, else an Errors with
// the file and line of each posting refused, each wrapping check's error.
// Importers pass vat.CheckDimension, so that a journal with a VAT code
// the advance VAT return does not know is refused, not posted.
func (j *Journal) CheckDimensions(check func(name, value string) error) error {
	var errs Errors
	for i := range j.Transactions {
		errs = checkDimensions(&j.Transactions[i], check, errs)
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// header starts a transaction.
func (p *parser) header(n int, s string) {
	s, comment := splitComment(s)
	dateTok, rest, _ := strings.Cut(s, " ")
	if i := strings.IndexByte(dateTok, '\t'); i >= 0 {
		dateTok, rest = dateTok[:i], dateTok[i+1:]+" "+rest
	}
	primary, secondary, hasSecondary := strings.Cut(dateTok, "=")
	d, err := parseDate(primary, 0)
	p.tx = &Transaction{File: p.file, Line: n}
	p.txBad = false
	p.elided = -1
	if err != nil {
		p.fail(n, ErrSyntax, "date: %v", err)
		p.txBad = true
	}
	p.tx.Date = d
	if hasSecondary && err == nil {
		d2, err := parseDate(secondary, d.Year())
		if err != nil {
			p.fail(n, ErrSyntax, "secondary date: %v", err)
		}
		p.tx.Date2 = d2
	}
	rest = strings.TrimSpace(rest)
	if rest != "" && (rest[0] == '*' || rest[0] == '!') {
		p.tx.Status = Status(rest[0])
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

// parseDate reads YYYY-MM-DD, YYYY/MM/DD or YYYY.MM.DD (month and day may
// have one digit); with year > 0, also MM-DD in that year.
func parseDate(s string, year int) (date.Date, error) {
	sep := "-"
	if strings.ContainsRune(s, '/') {
		sep = "/"
	} else if strings.ContainsRune(s, '.') {
		sep = "."
	}
	parts := strings.Split(s, sep)
	if len(parts) == 2 && year > 0 {
		parts = append([]string{strconv.Itoa(year)}, parts...)
	}
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
	var status Status
	if len(t) > 1 && (t[0] == '*' || t[0] == '!') && (t[1] == ' ' || t[1] == '\t') {
		status = Status(t[0])
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
	ps := Posting{Line: n, Account: p.accountOf(name), Status: status}
	p.postingComment(n, &ps, comment)
	if strings.Contains(rest, "(@") {
		p.fail(n, ErrUnsupported, "virtual costs ((@), (@@))")
		return
	}
	if strings.ContainsRune(rest, '{') {
		p.fail(n, ErrUnsupported, "lot prices")
		return
	}
	amt, assert, hasAssert := strings.Cut(rest, "=")
	amt, costText, hasCost := strings.Cut(amt, "@")
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
		a, err := p.amount(strings.TrimSpace(assert))
		if err != nil {
			p.failErr(n, "balance assertion", err)
			return
		}
		ps.Assertion = &a
		if amt == "" {
			p.fail(n, ErrUnsupported, "balance assignments (an assertion without an amount); write the amount")
			return
		}
	}
	if amt == "" && hasCost {
		p.fail(n, ErrSyntax, "a cost without an amount")
		return
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
		a, st, err := p.amountStyle(amt)
		if err != nil {
			p.failErr(n, "amount", err)
			p.txBad = true
			return
		}
		ps.Amount = a
		p.observe(a.Currency(), st)
		if hasCost && !p.cost(n, &ps, costText) {
			return
		}
	}
	p.tx.Postings = append(p.tx.Postings, ps)
}

// cost reads the cost of posting ps, s being what follows its first '@':
// "@ EUR 92.00" (total) or " EUR 0.92" (unit). ok is false if it failed.
func (p *parser) cost(n int, ps *Posting, s string) (ok bool) {
	total := strings.HasPrefix(s, "@")
	if total {
		s = s[1:]
	}
	s = strings.TrimSpace(s)
	if strings.ContainsRune(s, '@') {
		p.fail(n, ErrSyntax, "cost: more than one '@'")
		return false
	}
	if strings.ContainsAny(s, "+-") {
		p.fail(n, ErrSyntax, "cost: written with a sign; a cost has none, the posting's amount gives it")
		return false
	}
	d, cur, err := p.decimalCom(s)
	if err != nil {
		p.failErr(n, "cost", err)
		return false
	}
	a := ps.Amount
	if a.Currency().IsZero() {
		p.fail(n, ErrSyntax, "cost: the amount has no commodity")
		return false
	}
	if cur == a.Currency() {
		p.fail(n, ErrSyntax, "cost: in the posting's own commodity %s", cur.Code())
		return false
	}
	if total {
		c, err := money.FromDecimal(d, cur)
		if err != nil {
			p.fail(n, ErrSyntax, "cost: %s %s: %v", d, cur.Code(), err)
			return false
		}
		if a.IsNegative() {
			c = c.Neg()
		}
		ps.Cost, ps.exact = c, c.Decimal()
		return true
	}
	c, err := a.Convert(cur, d, money.HalfUp)
	if err != nil {
		p.fail(n, ErrSyntax, "cost: %s × %s: %v", a, d, err)
		return false
	}
	ps.Cost, ps.exact = c, a.Decimal().Mul(d)
	return true
}

// failErr records err, which may wrap a sentinel (else it is a syntax error).
func (p *parser) failErr(line int, what string, err error) {
	for _, s := range []error{ErrAmbiguous, ErrUnsupported, ErrSyntax} {
		if errors.Is(err, s) {
			if p.tx != nil {
				p.txBad = true
			}
			p.errs = append(p.errs, &Error{File: p.file, Line: line, Err: fmt.Errorf("%s: %w", what, err)})
			return
		}
	}
	p.fail(line, ErrSyntax, "%s: %v", what, err)
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
	// The sums per commodity, each posting counted at its cost if it has
	// one; exact sums the unit costs unrounded.
	type sum struct {
		rounded money.Amount
		exact   decimal.Decimal
		inexact bool // a unit cost was rounded
	}
	sums := map[money.Currency]*sum{}
	var order []money.Currency
	costs := false
	for _, ps := range tx.Postings {
		if ps.Inferred || ps.Amount.IsZero() {
			continue
		}
		v := ps.Amount
		if !ps.Cost.Currency().IsZero() {
			v, costs = ps.Cost, true
		}
		c := v.Currency()
		s, ok := sums[c]
		if !ok {
			order = append(order, c)
			s = &sum{rounded: money.Zero(c)}
			sums[c] = s
		}
		r, err := s.rounded.Add(v)
		if err != nil {
			p.fail(ps.Line, ErrSyntax, "amount out of range")
			return
		}
		s.rounded = r
		if !ps.Cost.Currency().IsZero() && !ps.exact.Equal(ps.Cost.Decimal()) {
			s.inexact = true
			s.exact = s.exact.Add(ps.exact)
		} else {
			s.exact = s.exact.Add(v.Decimal())
		}
	}
	if p.elided >= 0 {
		el := tx.Postings[p.elided]
		var fill []Posting
		for _, c := range order {
			s := sums[c]
			if s.inexact && !s.exact.Equal(s.rounded.Decimal()) {
				p.fail(el.Line, ErrSyntax, "the posting without an amount would get %s %s (the unit costs multiplied out), more decimals than %s has: write its amount",
					s.exact.Neg(), c.Code(), c.Code())
				return
			}
			if !s.rounded.IsZero() {
				q := el
				q.Amount = s.rounded.Neg()
				fill = append(fill, q)
			}
		}
		if len(fill) == 0 {
			p.fail(el.Line, ErrSyntax, "the posting without an amount would get zero: the others already balance")
			return
		}
		tx.Postings = slices.Concat(tx.Postings[:p.elided], fill, tx.Postings[p.elided+1:])
	} else {
		var off []money.Currency
		for _, c := range order {
			if !sums[c].rounded.IsZero() {
				off = append(off, c)
			}
		}
		if len(off) == 2 && !costs && sums[off[0]].rounded.Sign() != sums[off[1]].rounded.Sign() {
			// hledger infers the conversion between the two commodities.
			tx.Conversion = true
			off = nil
		}
		if len(off) > 0 {
			p.fail(tx.Line, ErrUnbalanced, "off by %s %s", sums[off[0]].rounded.Number(), off[0].Code())
			return
		}
		for _, c := range order {
			// hledger balances the unrounded costs to the commodity's
			// decimals: the rounded ones balancing is not enough.
			if s := sums[c]; s.inexact && s.exact.Abs().Shift(int32(c.MinorUnits())+1).GreaterThanOrEqual(decimal.NewFromInt(5)) {
				p.fail(tx.Line, ErrUnbalanced, "off by %s %s, the unit costs multiplied out (each rounded half up to %d decimals, they balance)", s.exact, c.Code(), c.MinorUnits())
				return
			}
		}
	}
	if p.asserts != nil {
		p.asserts.add(tx)
	}
	if p.emit != nil {
		p.emit(tx)
		return
	}
	p.j.Transactions = append(p.j.Transactions, *tx)
}
