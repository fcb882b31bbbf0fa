package camt

import (
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
)

var ibanPattern = regexp.MustCompile(`^[A-Z]{2}[0-9]{2}[a-zA-Z0-9]{1,30}$`)

// WriteCAMT053 writes statements as one camt.053.001.08 document with the
// message ID msgID, in the form ReadCAMT053 reads back: every statement must
// pass Statement.Check and carry balances. The message's creation time is
// the last closing date at midnight UTC, so the same statements always
// give the same bytes. A line with several end-to-end IDs is written as a
// batch booking: one entry with a TxDtls per ID, without amounts per
// transaction. It is what a bank's camt.053 looks like to a test or a demo,
// not a bank's production writer.
func WriteCAMT053(w io.Writer, msgID string, statements []Statement) error {
	type amt struct {
		Ccy   string `xml:"Ccy,attr"`
		Value string `xml:",chardata"`
	}
	type other struct {
		ID string `xml:"Id"`
	}
	type acctID struct {
		IBAN  string `xml:"IBAN,omitempty"`
		Other *other `xml:"Othr,omitempty"`
	}
	type dt struct {
		Dt string `xml:"Dt"`
	}
	type bal struct {
		Cd   string `xml:"Tp>CdOrPrtry>Cd"`
		Amt  amt    `xml:"Amt"`
		CdDb string `xml:"CdtDbtInd"`
		Dt   string `xml:"Dt>Dt"`
	}
	type party struct {
		Nm string `xml:"Pty>Nm,omitempty"`
	}
	type tx struct {
		E2E      string   `xml:"Refs>EndToEndId,omitempty"`
		Dbtr     *party   `xml:"RltdPties>Dbtr,omitempty"`
		DbtrAcct *acctID  `xml:"RltdPties>DbtrAcct>Id,omitempty"`
		Cdtr     *party   `xml:"RltdPties>Cdtr,omitempty"`
		CdtrAcct *acctID  `xml:"RltdPties>CdtrAcct>Id,omitempty"`
		Ustrd    []string `xml:"RmtInf>Ustrd,omitempty"`
	}
	type ntry struct {
		Amt      amt    `xml:"Amt"`
		CdDb     string `xml:"CdtDbtInd"`
		Sts      string `xml:"Sts>Cd"`
		BookgDt  string `xml:"BookgDt>Dt"`
		ValDt    *dt    `xml:"ValDt,omitempty"`
		Ref      string `xml:"AcctSvcrRef"`
		BkTxCd   struct{}
		Txs      []tx   `xml:"NtryDtls>TxDtls,omitempty"`
		AddtlInf string `xml:"AddtlNtryInf,omitempty"`
	}
	type stmt struct {
		ID      string `xml:"Id"`
		CreDtTm string `xml:"CreDtTm"`
		Acct    struct {
			ID  acctID `xml:"Id"`
			Ccy string `xml:"Ccy"`
		} `xml:"Acct"`
		Bal  []bal  `xml:"Bal"`
		Ntry []ntry `xml:"Ntry"`
	}
	type doc struct {
		XMLName xml.Name `xml:"Document"`
		NS      string   `xml:"xmlns,attr"`
		MsgID   string   `xml:"BkToCstmrStmt>GrpHdr>MsgId"`
		CreDtTm string   `xml:"BkToCstmrStmt>GrpHdr>CreDtTm"`
		Stmts   []stmt   `xml:"BkToCstmrStmt>Stmt"`
	}
	cd := func(a interface{ IsNegative() bool }) string {
		if a.IsNegative() {
			return "DBIT"
		}
		return "CRDT"
	}
	acct := func(s string) *acctID {
		if s == "" {
			return nil
		}
		if ibanPattern.MatchString(s) {
			return &acctID{IBAN: s}
		}
		return &acctID{Other: &other{s}}
	}
	d := doc{NS: NamespaceV08, MsgID: msgID}
	for i := range statements {
		st := &statements[i]
		if err := st.Check(); err != nil {
			return err
		}
		if !st.Balances {
			return fmt.Errorf("camt: statement %s: %w: camt.053 needs opening and closing balances", st.ID, ErrFormat)
		}
		created := st.ClosingDate.String() + "T00:00:00Z"
		if created > d.CreDtTm {
			d.CreDtTm = created
		}
		s := stmt{ID: st.ID, CreDtTm: created}
		s.Acct.ID, s.Acct.Ccy = *acct(st.Account), st.Currency.Code()
		s.Bal = []bal{
			{Cd: "OPBD", Amt: amt{st.Currency.Code(), st.Opening.Abs().Number()}, CdDb: cd(st.Opening), Dt: st.OpeningDate.String()},
			{Cd: "CLBD", Amt: amt{st.Currency.Code(), st.Closing.Abs().Number()}, CdDb: cd(st.Closing), Dt: st.ClosingDate.String()},
		}
		for _, l := range st.Lines {
			n := ntry{Amt: amt{st.Currency.Code(), l.Amount.Abs().Number()}, CdDb: cd(l.Amount), Sts: "BOOK",
				BookgDt: l.Booked.String(), Ref: l.Ref}
			if !l.Value.IsZero() {
				n.ValDt = &dt{l.Value.String()}
			}
			ids := l.EndToEndIDs
			if len(ids) == 0 {
				ids = []string{""}
			}
			for _, id := range ids {
				t := tx{E2E: id}
				if len(ids) == 1 {
					if t.E2E == "" {
						t.E2E = "NOTPROVIDED"
					}
					var p *party
					if l.Counterparty != "" {
						p = &party{Nm: l.Counterparty}
					}
					if l.Amount.IsNegative() {
						t.Cdtr, t.CdtrAcct = p, acct(l.CounterpartyAccount)
					} else {
						t.Dbtr, t.DbtrAcct = p, acct(l.CounterpartyAccount)
					}
					for rest := []rune(l.Text); len(rest) > 0; { // Max140Text each
						n := min(len(rest), 140)
						t.Ustrd, rest = append(t.Ustrd, string(rest[:n])), rest[n:]
					}
				}
				n.Txs = append(n.Txs, t)
			}
			if len(ids) > 1 {
				n.AddtlInf = l.Text
			}
			s.Ntry = append(s.Ntry, n)
		}
		d.Stmts = append(d.Stmts, s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(d); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
