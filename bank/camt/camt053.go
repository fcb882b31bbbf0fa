package camt

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

// Namespaces of the camt.053 versions ReadCAMT053 reads, by version.
const (
	NamespaceV02 = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
	NamespaceV04 = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.04"
	NamespaceV08 = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"
)

var camtVersions = map[string]int{NamespaceV02: 2, NamespaceV04: 4, NamespaceV08: 8}

// The XML shapes read, covering all three versions; which of the
// version-dependent fields must be set is decided per version below.
type (
	xText   string
	xAmount struct {
		Ccy   string `xml:"Ccy,attr"`
		Value string `xml:",chardata"`
	}
	xDate struct {
		Dt   string `xml:"Dt"`
		DtTm string `xml:"DtTm"`
	}
	xAcct struct {
		IBAN  string `xml:"Id>IBAN"`
		Other string `xml:"Id>Othr>Id"`
		Ccy   string `xml:"Ccy"`
	}
	xBal struct {
		Code  string  `xml:"Tp>CdOrPrtry>Cd"`
		Amt   xAmount `xml:"Amt"`
		CdDb  string  `xml:"CdtDbtInd"`
		Dt    xDate   `xml:"Dt"`
		found bool
	}
	// xStatus is <Sts>BOOK</Sts> (02, 04) or <Sts><Cd>BOOK</Cd></Sts> (08).
	xStatus struct {
		Text  string `xml:",chardata"`
		Cd    string `xml:"Cd"`
		Prtry string `xml:"Prtry"`
	}
	// xParty is <Nm> directly (02, 04: PartyIdentification32/43) or
	// <Pty><Nm> (08: Party40Choice).
	xParty struct {
		Nm    string `xml:"Nm"`
		PtyNm string `xml:"Pty>Nm"`
	}
	xTx struct {
		E2E      string   `xml:"Refs>EndToEndId"`
		SvcrRef  string   `xml:"Refs>AcctSvcrRef"`
		Dbtr     xParty   `xml:"RltdPties>Dbtr"`
		Cdtr     xParty   `xml:"RltdPties>Cdtr"`
		DbtrIBAN string   `xml:"RltdPties>DbtrAcct>Id>IBAN"`
		DbtrOthr string   `xml:"RltdPties>DbtrAcct>Id>Othr>Id"`
		CdtrIBAN string   `xml:"RltdPties>CdtrAcct>Id>IBAN"`
		CdtrOthr string   `xml:"RltdPties>CdtrAcct>Id>Othr>Id"`
		Ustrd    []string `xml:"RmtInf>Ustrd"`
		StrdRef  []string `xml:"RmtInf>Strd>CdtrRefInf>Ref"`
		AddtlTx  string   `xml:"AddtlTxInf"`
	}
	xNtry struct {
		NtryRef     string   `xml:"NtryRef"`
		Amt         *xAmount `xml:"Amt"`
		CdDb        string   `xml:"CdtDbtInd"`
		Sts         *xStatus `xml:"Sts"`
		BookgDt     xDate    `xml:"BookgDt"`
		ValDt       xDate    `xml:"ValDt"`
		AcctSvcrRef string   `xml:"AcctSvcrRef"`
		Txs         []xTx    `xml:"NtryDtls>TxDtls"`
		AddtlNtry   string   `xml:"AddtlNtryInf"`
	}
)

// ReadCAMT053 reads the statements of a camt.053 document (version 02, 04
// or 08): all of them, each checked (Statement.Check), or an error. name is
// the file's name for errors. See the package doc for what is read.
func ReadCAMT053(r io.Reader, name string, opts *Options) ([]Statement, error) {
	p := &camtReader{d: xml.NewDecoder(r), name: name, opts: opts}
	sts, err := p.read()
	if err != nil {
		return nil, err
	}
	return sts, nil
}

type camtReader struct {
	d       *xml.Decoder
	name    string
	opts    *Options
	version int
	path    []string
}

func (p *camtReader) fail(line int, path, reason string, err error) error {
	return &Error{File: p.name, Line: line, Path: path, Reason: reason, Err: err}
}

func (p *camtReader) line() int { l, _ := p.d.InputPos(); return l }

func (p *camtReader) where(elem ...string) string {
	return strings.Join(append(append([]string(nil), p.path...), elem...), "/")
}

// next returns the next start element at the current level, or nil at
// the end element of the level.
func (p *camtReader) next() (*xml.StartElement, error) {
	for {
		tok, err := p.d.Token()
		if err == io.EOF {
			return nil, p.fail(p.line(), p.where(), "unexpected end of file", ErrFormat)
		}
		if err != nil {
			return nil, p.fail(p.line(), p.where(), "not well-formed XML: "+err.Error(), ErrFormat)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return &t, nil
		case xml.EndElement:
			return nil, nil
		}
	}
}

func (p *camtReader) decode(v any, se *xml.StartElement) error {
	if err := p.d.DecodeElement(v, se); err != nil {
		return p.fail(p.line(), p.where(se.Name.Local), "not well-formed XML: "+err.Error(), ErrFormat)
	}
	return nil
}

func (p *camtReader) read() ([]Statement, error) {
	var root *xml.StartElement
	for root == nil {
		tok, err := p.d.Token()
		if err != nil {
			return nil, p.fail(p.line(), "", "no XML document", ErrFormat)
		}
		if se, ok := tok.(xml.StartElement); ok {
			root = &se
		}
	}
	v, ok := camtVersions[root.Name.Space]
	if root.Name.Local != "Document" || !ok {
		ns := root.Name.Space
		if ns == "" {
			ns = "no namespace"
		}
		return nil, p.fail(p.line(), root.Name.Local, "not a camt.053 document of version 02, 04 or 08 ("+ns+")", ErrVersion)
	}
	p.version = v
	p.path = []string{"Document"}
	msg, err := p.next()
	if err != nil {
		return nil, err
	}
	if msg == nil || msg.Name.Local != "BkToCstmrStmt" {
		return nil, p.fail(p.line(), p.where(), "no BkToCstmrStmt", ErrFormat)
	}
	p.path = append(p.path, "BkToCstmrStmt")
	var out []Statement
	for {
		se, err := p.next()
		if err != nil {
			return nil, err
		}
		if se == nil {
			break
		}
		if se.Name.Local != "Stmt" {
			if err := p.d.Skip(); err != nil {
				return nil, p.fail(p.line(), p.where(se.Name.Local), "not well-formed XML", ErrFormat)
			}
			continue
		}
		p.path = append(p.path, "Stmt["+strconv.Itoa(len(out)+1)+"]")
		st, err := p.statement(p.line())
		if err != nil {
			return nil, err
		}
		p.path = p.path[:2]
		out = append(out, st)
	}
	if len(out) == 0 {
		return nil, p.fail(p.line(), p.where(), "no statement", ErrFormat)
	}
	return out, nil
}

func (p *camtReader) statement(start int) (Statement, error) {
	st := Statement{Format: fmt.Sprintf("camt.053.001.%02d", p.version)}
	var opening, closing xBal
	var acct xAcct
	var openLine, closeLine int
	type ntry struct {
		x    xNtry
		line int
	}
	var entries []ntry
	for {
		se, err := p.next()
		if err != nil {
			return st, err
		}
		if se == nil {
			break
		}
		line := p.line()
		switch se.Name.Local {
		case "Id":
			var s xText
			if err := p.decode(&s, se); err != nil {
				return st, err
			}
			st.ID = strings.TrimSpace(string(s))
		case "Acct":
			if err := p.decode(&acct, se); err != nil {
				return st, err
			}
		case "Bal":
			var b xBal
			if err := p.decode(&b, se); err != nil {
				return st, err
			}
			switch b.Code {
			case "OPBD", "PRCD":
				if opening.found {
					return st, p.fail(line, p.where("Bal"), "two opening balances (OPBD/PRCD)", ErrFormat)
				}
				opening, openLine = b, line
				opening.found = true
			case "CLBD":
				if closing.found {
					return st, p.fail(line, p.where("Bal"), "two closing balances (CLBD)", ErrFormat)
				}
				closing, closeLine = b, line
				closing.found = true
			}
		case "Ntry":
			var n xNtry
			if err := p.decode(&n, se); err != nil {
				return st, err
			}
			entries = append(entries, ntry{n, line})
		default:
			if err := p.d.Skip(); err != nil {
				return st, p.fail(line, p.where(se.Name.Local), "not well-formed XML", ErrFormat)
			}
		}
	}
	if st.ID == "" {
		return st, p.fail(start, p.where("Id"), "statement without Id", ErrFormat)
	}
	st.Account = acct.IBAN
	if st.Account == "" {
		st.Account = acct.Other
	}
	if st.Account == "" {
		return st, p.fail(start, p.where("Acct"), "account without IBAN or Othr/Id", ErrFormat)
	}
	if !opening.found || !closing.found {
		return st, p.fail(start, p.where("Bal"), "no opening (OPBD or PRCD) or no closing (CLBD) booked balance", ErrFormat)
	}
	ccy := opening.Amt.Ccy
	if acct.Ccy != "" {
		ccy = acct.Ccy
	}
	c, err := p.opts.currency(ccy)
	if err != nil {
		return st, p.fail(start, p.where("Acct", "Ccy"), "unknown currency "+strconv.Quote(ccy), ErrCurrency)
	}
	if !p.opts.wantCurrency(c) {
		return st, p.fail(start, p.where("Acct", "Ccy"), "statement in "+c.Code()+", account in "+p.opts.Currency.Code(), ErrCurrency)
	}
	st.Currency = c
	st.Balances = true
	if st.Opening, st.OpeningDate, err = p.balance(opening, openLine, c); err != nil {
		return st, err
	}
	if st.Closing, st.ClosingDate, err = p.balance(closing, closeLine, c); err != nil {
		return st, err
	}
	for i, n := range entries {
		l, err := p.entry(n.x, n.line, p.where("Ntry["+strconv.Itoa(i+1)+"]"), c, st.ID, i+1)
		if err != nil {
			return st, err
		}
		st.Lines = append(st.Lines, l)
	}
	if err := st.Check(); err != nil {
		return st, p.fail(closeLine, p.where("Bal"), err.Error(), err)
	}
	return st, nil
}

// signed parses an amount with its credit/debit indicator: credit
// positive.
func (p *camtReader) signed(a *xAmount, cd string, line int, path string, c money.Currency) (money.Amount, error) {
	if a == nil {
		return money.Amount{}, p.fail(line, path+"/Amt", "no amount", ErrFormat)
	}
	if a.Ccy != c.Code() {
		return money.Amount{}, p.fail(line, path+"/Amt", "amount in "+strconv.Quote(a.Ccy)+", account in "+c.Code(), ErrCurrency)
	}
	v, err := parseAmount(a.Value, c, false)
	if err != nil {
		return v, p.fail(line, path+"/Amt", err.Error(), errors.Unwrap(err))
	}
	switch strings.TrimSpace(cd) {
	case "CRDT":
		return v, nil
	case "DBIT":
		return v.Neg(), nil
	case "":
		return v, p.fail(line, path+"/CdtDbtInd", "credit/debit indicator missing", ErrIndicator)
	}
	return v, p.fail(line, path+"/CdtDbtInd", "credit/debit indicator "+strconv.Quote(cd)+" is neither CRDT nor DBIT", ErrIndicator)
}

func (p *camtReader) balance(b xBal, line int, c money.Currency) (money.Amount, date.Date, error) {
	path := p.where("Bal(" + b.Code + ")")
	a, err := p.signed(&b.Amt, b.CdDb, line, path, c)
	if err != nil {
		return a, date.Date{}, err
	}
	d, err := p.date(b.Dt, line, path+"/Dt", true)
	return a, d, err
}

func (p *camtReader) date(x xDate, line int, path string, required bool) (date.Date, error) {
	s := strings.TrimSpace(x.Dt)
	if s == "" && len(strings.TrimSpace(x.DtTm)) >= 10 {
		s = strings.TrimSpace(x.DtTm)[:10]
	}
	if s == "" {
		if required {
			return date.Date{}, p.fail(line, path, "no date", ErrFormat)
		}
		return date.Date{}, nil
	}
	d, err := date.Parse(s)
	if err != nil {
		return d, p.fail(line, path, "not a date (YYYY-MM-DD)", ErrFormat)
	}
	return d, nil
}

func (p *camtReader) entry(n xNtry, line int, path string, c money.Currency, stmt string, pos int) (Line, error) {
	l := Line{Source: p.name + ":" + strconv.Itoa(line) + ": " + path}
	// The status: plain text before version 08, a choice from 08 on.
	var sts string
	switch {
	case n.Sts == nil:
		return l, p.fail(line, path+"/Sts", "no status", ErrFormat)
	case p.version < 8:
		sts = strings.TrimSpace(n.Sts.Text)
		if n.Sts.Cd != "" || n.Sts.Prtry != "" {
			return l, p.fail(line, path+"/Sts", "status as a choice (<Cd>) is version 08; this is a version "+fmt.Sprintf("%02d", p.version)+" document", ErrFormat)
		}
	default:
		sts = strings.TrimSpace(n.Sts.Cd)
		if sts == "" {
			sts = strings.TrimSpace(n.Sts.Prtry)
		}
		if strings.TrimSpace(n.Sts.Text) != "" {
			return l, p.fail(line, path+"/Sts", "status as text is version 02/04; version 08 has <Sts><Cd>", ErrFormat)
		}
	}
	if sts != "BOOK" {
		return l, p.fail(line, path+"/Sts", "status "+strconv.Quote(sts)+": only booked (BOOK) entries are read", ErrStatus)
	}
	var err error
	if l.Amount, err = p.signed(n.Amt, n.CdDb, line, path, c); err != nil {
		return l, err
	}
	if l.Booked, err = p.date(n.BookgDt, line, path+"/BookgDt", true); err != nil {
		return l, err
	}
	if l.Value, err = p.date(n.ValDt, line, path+"/ValDt", false); err != nil {
		return l, err
	}
	l.Ref = strings.TrimSpace(n.AcctSvcrRef)
	if l.Ref == "" {
		l.Ref = strings.TrimSpace(n.NtryRef)
	}
	if l.Ref == "" && len(n.Txs) == 1 {
		l.Ref = strings.TrimSpace(n.Txs[0].SvcrRef)
	}
	if l.Ref == "" {
		l.Ref = stmt + "/" + strconv.Itoa(pos)
	}
	var texts []string
	for _, tx := range n.Txs {
		if e := strings.TrimSpace(tx.E2E); e != "" && e != "NOTPROVIDED" {
			l.EndToEndIDs = append(l.EndToEndIDs, e)
		}
		party, acct := tx.Cdtr, tx.CdtrIBAN+tx.CdtrOthr
		if l.Amount.IsPositive() {
			party, acct = tx.Dbtr, tx.DbtrIBAN+tx.DbtrOthr
		}
		name := party.Nm
		if p.version >= 8 {
			name = party.PtyNm
			if party.Nm != "" {
				return l, p.fail(line, path+"/NtryDtls/TxDtls/RltdPties", "a party's <Nm> directly is version 02/04; version 08 has <Pty><Nm>", ErrFormat)
			}
		} else if party.PtyNm != "" {
			return l, p.fail(line, path+"/NtryDtls/TxDtls/RltdPties", "a party's <Pty><Nm> is version 08; this is a version "+fmt.Sprintf("%02d", p.version)+" document", ErrFormat)
		}
		if l.Counterparty == "" {
			l.Counterparty, l.CounterpartyAccount = strings.TrimSpace(name), strings.TrimSpace(acct)
		}
		for _, u := range tx.Ustrd {
			if u = strings.TrimSpace(u); u != "" {
				texts = append(texts, u)
			}
		}
		for _, r := range tx.StrdRef {
			if r = strings.TrimSpace(r); r != "" {
				texts = append(texts, r)
			}
		}
		if len(n.Txs) == 1 && strings.TrimSpace(tx.AddtlTx) != "" {
			texts = append(texts, strings.TrimSpace(tx.AddtlTx))
		}
	}
	if len(n.Txs) > 1 { // a batch: its parties and texts are the transactions'
		l.Counterparty, l.CounterpartyAccount, texts = "", "", nil
	}
	if a := strings.TrimSpace(n.AddtlNtry); a != "" {
		texts = append(texts, a)
	}
	l.Text = strings.Join(texts, " ")
	return l, nil
}
