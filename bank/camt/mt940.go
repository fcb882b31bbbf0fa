package camt

import (
	"bufio"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

// ReadMT940 reads the statements of an MT940 file (one per :20: block),
// each checked (Statement.Check), or an error naming the file's line. A
// statement's ID is "<:28C:>/<closing date>"; its account is :25:. See the
// package doc for what is read.
func ReadMT940(r io.Reader, name string, opts *Options) ([]Statement, error) {
	fields, err := mtFields(r, name)
	if err != nil {
		return nil, err
	}
	fail := func(f mtField, reason string, err error) error {
		return &Error{File: name, Line: f.line, Path: ":" + f.tag + ":", Reason: reason, Err: err}
	}
	var out []Statement
	var st *Statement
	var seq string
	var last *Line // the :61: an :86: belongs to
	var opened, closed bool
	var start mtField
	finish := func() error {
		if st == nil {
			return nil
		}
		if !opened || !closed {
			return fail(start, "statement without opening (:60F:/:60M:) or closing (:62F:/:62M:) balance", ErrFormat)
		}
		if st.Account == "" {
			return fail(start, "statement without account (:25:)", ErrFormat)
		}
		st.ID = seq + "/" + st.ClosingDate.String()
		for i := range st.Lines {
			if st.Lines[i].Ref == "" {
				st.Lines[i].Ref = st.ID + "/" + strconv.Itoa(i+1)
			}
		}
		if err := st.Check(); err != nil {
			return fail(start, err.Error(), err)
		}
		out = append(out, *st)
		st = nil
		return nil
	}
	for _, f := range fields {
		if f.tag == "20" {
			if err := finish(); err != nil {
				return nil, err
			}
			st, seq, last, opened, closed, start = &Statement{Format: "mt940", Balances: true}, "", nil, false, false, f
			continue
		}
		if st == nil {
			return nil, fail(f, "field before the first :20:", ErrFormat)
		}
		switch f.tag {
		case "25":
			st.Account = strings.TrimSpace(f.value)
		case "28C", "28":
			seq = strings.TrimSpace(f.value)
		case "60F", "60M":
			if opened {
				return nil, fail(f, "a second opening balance", ErrFormat)
			}
			a, d, c, err := mtBalance(f.value, opts)
			if err != nil {
				return nil, fail(f, err.Error(), unwrapSentinel(err))
			}
			st.Opening, st.OpeningDate, st.Currency, opened = a, d, c, true
		case "61":
			if !opened || closed {
				return nil, fail(f, ":61: outside the opening and closing balances", ErrFormat)
			}
			l, err := mt61(f.value, st.Currency)
			if err != nil {
				return nil, fail(f, err.Error(), unwrapSentinel(err))
			}
			l.Source = name + ":" + strconv.Itoa(f.line)
			st.Lines = append(st.Lines, l)
			last = &st.Lines[len(st.Lines)-1]
		case "86":
			if last == nil || closed { // information on the statement: skipped
				continue
			}
			mt86(f.value, last)
			last = nil
		case "62F", "62M":
			if closed {
				return nil, fail(f, "a second closing balance", ErrFormat)
			}
			a, d, c, err := mtBalance(f.value, opts)
			if err != nil {
				return nil, fail(f, err.Error(), unwrapSentinel(err))
			}
			if opened && c != st.Currency {
				return nil, fail(f, "closing balance in "+c.Code()+", opening in "+st.Currency.Code(), ErrCurrency)
			}
			st.Closing, st.ClosingDate, closed, last = a, d, true, nil
		case "64", "65", "13", "13D", "21", "34F", "90D", "90C", "NS":
			// available balances, dates, counts: no booked line
		default:
			return nil, fail(f, "unknown field", ErrFormat)
		}
	}
	if err := finish(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, &Error{File: name, Reason: "no statement (:20:)", Err: ErrFormat}
	}
	return out, nil
}

type mtField struct {
	tag, value string
	line       int
}

// mtFields splits an MT940 file into its fields; a field's continuation
// lines are joined with "\n". SWIFT block headers ({1:…}{4:) and the
// trailers "-}" and "-" end blocks.
func mtFields(r io.Reader, name string) ([]mtField, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	var out []mtField
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		switch t := strings.TrimSpace(line); {
		case t == "" || t == "-" || t == "-}" || strings.HasPrefix(t, "{1:") || t == "{4:":
			continue
		case strings.HasPrefix(line, ":"):
			end := strings.Index(line[1:], ":")
			if end < 1 {
				return nil, &Error{File: name, Line: n, Reason: "a line starting with ':' is not a field", Err: ErrFormat}
			}
			out = append(out, mtField{tag: line[1 : 1+end], value: line[2+end:], line: n})
		default:
			if len(out) == 0 {
				return nil, &Error{File: name, Line: n, Reason: "text before the first field", Err: ErrFormat}
			}
			out[len(out)-1].value += "\n" + line
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &Error{File: name, Line: n, Reason: err.Error(), Err: ErrFormat}
	}
	return out, nil
}

// unwrapSentinel returns the sentinel an internal error wraps.
func unwrapSentinel(err error) error {
	for _, s := range []error{ErrScale, ErrIndicator, ErrCurrency, ErrFormat} {
		if errorsIs(err, s) {
			return s
		}
	}
	return ErrFormat
}

// mtBalance parses "C230101EUR1234,56".
func mtBalance(v string, opts *Options) (money.Amount, date.Date, money.Currency, error) {
	v = strings.TrimSpace(v)
	if len(v) < 11 {
		return money.Amount{}, date.Date{}, money.Currency{}, errorf(ErrFormat, "balance too short")
	}
	cd := v[0]
	if cd != 'C' && cd != 'D' {
		return money.Amount{}, date.Date{}, money.Currency{}, errorf(ErrIndicator, "credit/debit mark %q is neither C nor D", string(cd))
	}
	d, err := yymmdd(v[1:7])
	if err != nil {
		return money.Amount{}, d, money.Currency{}, err
	}
	c, err := opts.currency(v[7:10])
	if err != nil {
		return money.Amount{}, d, c, errorf(ErrCurrency, "unknown currency %q", v[7:10])
	}
	if !opts.wantCurrency(c) {
		return money.Amount{}, d, c, errorf(ErrCurrency, "statement in %s, account in %s", c.Code(), opts.Currency.Code())
	}
	a, err := parseAmount(v[10:], c, true)
	if err != nil {
		return a, d, c, err
	}
	if cd == 'D' {
		a = a.Neg()
	}
	return a, d, c, nil
}

func yymmdd(s string) (date.Date, error) {
	if len(s) != 6 || strings.Trim(s, "0123456789") != "" {
		return date.Date{}, errorf(ErrFormat, "date is not YYMMDD")
	}
	y, _ := strconv.Atoi(s[:2])
	m, _ := strconv.Atoi(s[2:4])
	d, _ := strconv.Atoi(s[4:])
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return date.Date{}, errorf(ErrFormat, "date is not YYMMDD")
	}
	out := date.New(2000+y, time.Month(m), d)
	if out.Day() != d {
		return date.Date{}, errorf(ErrFormat, "no such day")
	}
	return out, nil
}

// mt61 parses a statement line:
// YYMMDD[MMDD](C|D|RC|RD)[funds code]amount N|F|S+3 chars owner's
// reference[//bank reference][\nsupplementary details].
func mt61(v string, c money.Currency) (Line, error) {
	var l Line
	first, extra, _ := strings.Cut(v, "\n")
	s := strings.TrimSpace(first)
	if len(s) < 6 {
		return l, errorf(ErrFormat, "line too short")
	}
	val, err := yymmdd(s[:6])
	if err != nil {
		return l, err
	}
	l.Value, l.Booked = val, val
	s = s[6:]
	if len(s) >= 4 && strings.Trim(s[:4], "0123456789") == "" {
		m, _ := strconv.Atoi(s[:2])
		d, _ := strconv.Atoi(s[2:4])
		y := val.Year()
		// A booking date in December for a value date in January lies in
		// the year before, and the other way round.
		if m == 12 && val.Month() == time.January {
			y--
		} else if m == 1 && val.Month() == time.December {
			y++
		}
		b := date.New(y, time.Month(m), d)
		if m < 1 || m > 12 || d < 1 || b.Day() != d {
			return l, errorf(ErrFormat, "booking date is not MMDD")
		}
		l.Booked = b
		s = s[4:]
	}
	credit := false
	switch {
	case strings.HasPrefix(s, "RC"): // reversal of a credit: a debit
		s = s[2:]
	case strings.HasPrefix(s, "RD"): // reversal of a debit: a credit
		credit, s = true, s[2:]
	case strings.HasPrefix(s, "C"):
		credit, s = true, s[1:]
	case strings.HasPrefix(s, "D"):
		s = s[1:]
	default:
		return l, errorf(ErrIndicator, "credit/debit mark missing (C, D, RC or RD)")
	}
	if s != "" && s[0] >= 'A' && s[0] <= 'Z' { // funds code (third currency letter)
		s = s[1:]
	}
	i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != ',' })
	if i <= 0 {
		return l, errorf(ErrFormat, "no amount")
	}
	if l.Amount, err = parseAmount(s[:i], c, true); err != nil {
		return l, err
	}
	if !credit {
		l.Amount = l.Amount.Neg()
	}
	s = s[i:]
	if len(s) < 4 || strings.IndexByte("NFS", s[0]) < 0 {
		return l, errorf(ErrFormat, "no transaction type (N, F or S and three characters) after the amount")
	}
	s = s[4:]
	owner, bank, _ := strings.Cut(s, "//")
	owner, bank = strings.TrimSpace(owner), strings.TrimSpace(bank)
	l.Ref = bank
	if l.Ref == "" && owner != "NONREF" {
		l.Ref = owner
	}
	if extra = strings.TrimSpace(strings.ReplaceAll(extra, "\n", "")); extra != "" {
		l.Text = extra
	}
	return l, nil
}

// sepaKeys are the SEPA keys of the German :86: purpose (DFÜ-Abkommen
// Anlage 3 / DK-Verwendungszweck).
var sepaKeys = []string{"EREF+", "KREF+", "MREF+", "CRED+", "DEBT+", "COAM+", "OAMT+", "SVWZ+", "ABWA+", "ABWE+", "IBAN+", "BIC+"}

// mt86 reads the information to the account owner into l: the German
// structured form "NNN?00…?20…" or free text.
func mt86(v string, l *Line) {
	v = strings.ReplaceAll(v, "\n", "")
	if len(v) < 4 || strings.Trim(v[:3], "0123456789") != "" || v[3] != '?' {
		l.Text = strings.TrimSpace(strings.Join(nonEmpty(l.Text, v), " "))
		return
	}
	sub := map[int]string{}
	var purpose strings.Builder
	for _, part := range strings.Split(v[4:], "?")[0:] {
		if len(part) < 2 || strings.Trim(part[:2], "0123456789") != "" {
			continue
		}
		k, _ := strconv.Atoi(part[:2])
		sub[k] += part[2:]
		if (k >= 20 && k <= 29) || (k >= 60 && k <= 63) {
			purpose.WriteString(part[2:])
		}
	}
	text := purpose.String()
	keyed := map[string]string{}
	if strings.Contains(text, "+") {
		// Split at each SEPA key; text before the first key is kept as is.
		type at struct {
			i int
			k string
		}
		var ats []at
		for _, k := range sepaKeys {
			for i := 0; ; {
				j := strings.Index(text[i:], k)
				if j < 0 {
					break
				}
				ats = append(ats, at{i + j, k})
				i += j + len(k)
			}
		}
		if len(ats) > 0 {
			slices.SortFunc(ats, func(a, b at) int { return a.i - b.i })
			for n, a := range ats {
				end := len(text)
				if n+1 < len(ats) {
					end = ats[n+1].i
				}
				keyed[a.k] += strings.TrimSpace(text[a.i+len(a.k) : end])
			}
			if e := keyed["EREF+"]; e != "" && e != "NOTPROVIDED" {
				l.EndToEndIDs = []string{e}
			}
		}
	}
	if svwz, ok := keyed["SVWZ+"]; ok {
		text = svwz
	}
	l.Counterparty = strings.TrimSpace(sub[32] + sub[33])
	l.CounterpartyAccount = strings.TrimSpace(sub[31])
	l.Text = strings.TrimSpace(strings.Join(nonEmpty(strings.TrimSpace(sub[0]), strings.TrimSpace(text), l.Text), " "))
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
