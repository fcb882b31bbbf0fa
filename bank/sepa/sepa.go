package sepa

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
)

// Namespace is the XML namespace of the messages Write writes.
const Namespace = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"

// The limits of the EPC guidelines.
const (
	// MaxAmount is the largest amount of one transfer, in cents:
	// 999,999,999.99 EUR.
	MaxAmount = 99_999_999_999
	// MaxNameLen is the longest name (debtor, creditor, initiating
	// party); Write shortens longer ones and reports it.
	MaxNameLen = 70
	// MaxRemittanceLen is the longest unstructured remittance text.
	MaxRemittanceLen = 140
	// MaxIDLen is the longest message ID or end-to-end ID.
	MaxIDLen = 35
)

// Purpose and category purpose codes (ISO 20022 external code lists) the
// package's callers use most.
const (
	// Salary is the purpose and category purpose code of salary payments:
	// banks book a block with category purpose SALA as one line on the
	// debtor's statement without showing the single salaries.
	Salary = "SALA"
	// SupplierPayment is the purpose code of a payment to a supplier.
	SupplierPayment = "SUPP"
)

// Party is a debtor or creditor: a name and an account. The account must
// be an IBAN (checked with hr.BankAccount.Validate: country, length and
// the ISO 13616 mod-97 check) with an optional BIC; a US routing and
// account number is refused.
type Party struct {
	Name    string
	Account hr.BankAccount
}

// Transfer is one SEPA credit transfer.
type Transfer struct {
	// Debtor is who pays, from which account. Transfers from one IBAN must
	// name the same debtor and BIC.
	Debtor Party
	// ExecutionDate is the requested execution date (the day the debtor's
	// account is debited).
	ExecutionDate date.Date
	// EndToEndID identifies the transfer from end to end: the creditor's
	// bank statement and the debtor's return it unchanged. 1–35
	// characters of the SEPA set, not starting or ending with '/' and
	// without "//"; unique in the message. It is never converted.
	EndToEndID string
	// Amount is in euros, 0.01–999,999,999.99.
	Amount money.Amount
	// Creditor is who is paid, to which account.
	Creditor Party
	// Purpose is the ISO 20022 purpose code (four capital letters, such as
	// Salary), or "" for none.
	Purpose string
	// CategoryPurpose is the category purpose code of the payment
	// information block (such as Salary), or "" for none.
	CategoryPurpose string
	// Remittance is the unstructured remittance information, at most 140
	// characters after conversion to the SEPA set, or "" for none.
	Remittance string
}

// Message is a pain.001.001.09 customer credit transfer initiation.
type Message struct {
	// ID is the message identification: 1–35 characters of the SEPA set,
	// unique per initiating party (banks refuse a file whose ID they have
	// seen). The payment information blocks are identified by ID, a '-'
	// and their number from 1.
	ID string
	// CreatedAt is the creation time written to the file, to the second.
	CreatedAt time.Time
	// InitiatingParty is the name of who sends the file; Write converts
	// it and shortens it to 70 characters like any name.
	InitiatingParty string
	// BatchBooking asks the debtor's bank to book each payment
	// information block as one debit (true) or every transfer on its own.
	BatchBooking bool
	// Transfers are the transfers, at least one.
	Transfers []Transfer
}

// Result describes the message Write wrote.
type Result struct {
	// Transactions is the number of transfers (NbOfTxs).
	Transactions int
	// Total is their sum (CtrlSum).
	Total money.Amount
	// Blocks is the number of payment information blocks.
	Blocks int
	// Changes are the names and texts converted to the SEPA character set
	// or shortened, in the order of the transfers. They hold personal
	// data: show them to the user, never log them.
	Changes []Change
}

// Change is a name or text Write converted: which transfer (its index in
// Message.Transfers and its end-to-end ID, or -1 and "" for the message),
// which field ("debtor_name", "creditor_name", "remittance",
// "initiating_party"), and the text before and after. A Change holds
// personal data: show it to the user, never log it.
type Change struct {
	Index         int
	EndToEndID    string
	Field         string
	Before, After string
}

// Write validates m and writes it to w as a pain.001.001.09 document under
// the EPC SEPA Credit Transfer customer-to-bank guidelines (the XSD in
// testdata validates it): one payment information block (PmtInf) per
// requested execution date, debtor IBAN and category purpose, in that
// order, each with its transfers in the order of m.Transfers, the number
// of transactions and the control sum per block and for the message,
// service level SEPA and charge bearer SLEV. A debtor without a BIC is
// written as NOTPROVIDED, a creditor without one without an agent, as the
// guidelines allow.
//
// Names, the initiating party and remittance texts are converted with
// Latin, names shortened to 70 characters; Result.Changes lists every
// change. Identifiers are never converted: one outside the SEPA set is an
// error.
//
// If anything is wrong, Write writes nothing and returns every problem it
// found, each a *Error naming the transfer and the field and wrapping a
// sentinel (ErrIBAN, ErrAmount, ErrCurrency, ErrName …), joined with
// errors.Join. Otherwise it writes the document with one call to
// w.Write. Write is safe for concurrent use; m is only read.
func Write(w io.Writer, m Message) (Result, error) {
	doc, res, err := build(m)
	if err != nil {
		return Result{}, err
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return Result{}, fmt.Errorf("sepa: encode: %w", err)
	}
	buf.WriteByte('\n')
	if _, err := w.Write(buf.Bytes()); err != nil {
		return Result{}, err
	}
	return res, nil
}

// blockKey groups transfers into payment information blocks.
type blockKey struct {
	date     date.Date
	iban     string
	category string
}

// build checks m and returns the document to encode.
func build(m Message) (document, Result, error) {
	var (
		errs []error
		res  = Result{Total: money.Zero(money.EUR)}
	)
	bad := func(e *Error) { errs = append(errs, e) }
	change := func(i int, e2e, field, before, after string) {
		res.Changes = append(res.Changes, Change{Index: i, EndToEndID: e2e, Field: field, Before: before, After: after})
	}
	if reason := checkID(m.ID); reason != "" {
		bad(fail(-1, "id", ErrReference, reason))
	}
	if m.CreatedAt.IsZero() {
		bad(fail(-1, "created_at", ErrDate, ""))
	}
	initiator, ok := name(m.InitiatingParty)
	if !ok {
		bad(fail(-1, "initiating_party", ErrName, ""))
	} else if initiator != m.InitiatingParty {
		change(-1, "", "initiating_party", m.InitiatingParty, initiator)
	}
	if len(m.Transfers) == 0 {
		bad(fail(-1, "transfers", ErrEmpty, ""))
	}
	type debtor struct {
		name, bic string
	}
	debtors := map[string]debtor{}
	seen := map[string]int{}
	blocks := map[blockKey]*paymentInfo{}
	for i, t := range m.Transfers {
		nerr := len(errs)
		if reason := checkID(t.EndToEndID); reason != "" {
			bad(fail(i, "end_to_end_id", ErrReference, reason))
		} else if j, dup := seen[t.EndToEndID]; dup {
			bad(fail(i, "end_to_end_id", ErrDuplicate, "as transfer "+strconv.Itoa(j)))
		} else {
			seen[t.EndToEndID] = i
		}
		if t.ExecutionDate.IsZero() {
			bad(fail(i, "execution_date", ErrDate, ""))
		}
		switch c := t.Amount.Currency(); {
		case c != money.EUR:
			bad(fail(i, "amount", ErrCurrency, "currency "+cmp.Or(c.Code(), "none")))
		case t.Amount.MinorUnits() < 1 || t.Amount.MinorUnits() > MaxAmount:
			bad(fail(i, "amount", ErrAmount, ""))
		}
		dAcct, err := account(i, "debtor", t.Debtor.Account)
		if err != nil {
			bad(err)
		}
		cAcct, err := account(i, "creditor", t.Creditor.Account)
		if err != nil {
			bad(err)
		}
		dName, ok := name(t.Debtor.Name)
		if !ok {
			bad(fail(i, "debtor_name", ErrName, ""))
		}
		cName, ok := name(t.Creditor.Name)
		if !ok {
			bad(fail(i, "creditor_name", ErrName, ""))
		}
		rmt := Latin(t.Remittance)
		if n := len(rmt); n > MaxRemittanceLen {
			bad(fail(i, "remittance", ErrText, fmt.Sprintf("%d characters, at most %d", n, MaxRemittanceLen)))
		}
		for _, c := range []struct{ field, code string }{{"purpose", t.Purpose}, {"category_purpose", t.CategoryPurpose}} {
			if c.code != "" && !code(c.code) {
				bad(fail(i, c.field, ErrCode, "want four capital letters"))
			}
		}
		if len(errs) > nerr {
			continue
		}
		if d, ok := debtors[dAcct.IBAN]; !ok {
			debtors[dAcct.IBAN] = debtor{dName, dAcct.BIC}
			if dName != t.Debtor.Name {
				change(i, t.EndToEndID, "debtor_name", t.Debtor.Name, dName)
			}
		} else if d.name != dName || d.bic != dAcct.BIC {
			bad(fail(i, "debtor", ErrDebtor, ""))
			continue
		}
		if cName != t.Creditor.Name {
			change(i, t.EndToEndID, "creditor_name", t.Creditor.Name, cName)
		}
		if rmt != t.Remittance {
			change(i, t.EndToEndID, "remittance", t.Remittance, rmt)
		}
		k := blockKey{t.ExecutionDate, dAcct.IBAN, t.CategoryPurpose}
		b := blocks[k]
		if b == nil {
			b = &paymentInfo{PmtMtd: "TRF", BtchBookg: m.BatchBooking, total: money.Zero(money.EUR),
				PmtTpInf:    paymentType{SvcLvl: code4{"SEPA"}},
				ReqdExctnDt: dateChoice{t.ExecutionDate.String()},
				Dbtr:        partyName{dName}, DbtrAcct: cashAccount{ibanID{dAcct.IBAN}},
				DbtrAgt: agent{FinInstnId: finInstn{BICFI: dAcct.BIC}}, ChrgBr: "SLEV"}
			if dAcct.BIC == "" {
				b.DbtrAgt.FinInstnId.Othr = &otherID{"NOTPROVIDED"}
			}
			if t.CategoryPurpose != "" {
				b.PmtTpInf.CtgyPurp = &code4{t.CategoryPurpose}
			}
			blocks[k] = b
		}
		tx := transaction{PmtId: paymentID{t.EndToEndID},
			Amt:  instructed{amount{"EUR", t.Amount.Number()}},
			Cdtr: partyName{cName}, CdtrAcct: cashAccount{ibanID{cAcct.IBAN}}}
		if cAcct.BIC != "" {
			tx.CdtrAgt = &creditorAgent{finBIC{cAcct.BIC}}
		}
		if t.Purpose != "" {
			tx.Purp = &code4{t.Purpose}
		}
		if rmt != "" {
			tx.RmtInf = &remittance{rmt}
		}
		var err2 error
		if b.total, err2 = b.total.Add(t.Amount); err2 == nil {
			res.Total, err2 = res.Total.Add(t.Amount)
		}
		if err2 != nil {
			bad(fail(i, "amount", ErrAmount, "the sum overflows"))
			continue
		}
		b.CdtTrfTxInf = append(b.CdtTrfTxInf, tx)
		res.Transactions++
	}
	if len(errs) > 0 {
		return document{}, Result{}, errors.Join(errs...)
	}
	keys := make([]blockKey, 0, len(blocks))
	for k := range blocks {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b blockKey) int {
		return cmp.Or(a.date.Compare(b.date), strings.Compare(a.iban, b.iban), strings.Compare(a.category, b.category))
	})
	prefix := m.ID[:min(len(m.ID), MaxIDLen-5)]
	doc := document{Init: initiation{GrpHdr: groupHeader{MsgId: m.ID,
		CreDtTm: m.CreatedAt.Truncate(time.Second).Format(time.RFC3339),
		NbOfTxs: res.Transactions, CtrlSum: res.Total.Number(), InitgPty: partyName{initiator}}}}
	for n, k := range keys {
		b := blocks[k]
		b.PmtInfId = fmt.Sprintf("%s-%d", prefix, n+1)
		b.NbOfTxs, b.CtrlSum = len(b.CdtTrfTxInf), b.total.Number()
		doc.Init.PmtInf = append(doc.Init.PmtInf, *b)
	}
	res.Blocks = len(keys)
	return doc, res, nil
}

// account checks a debtor's or creditor's account and returns it
// normalized.
func account(i int, who string, a hr.BankAccount) (hr.BankAccount, *Error) {
	a = a.Normalize()
	switch {
	case a.RoutingNumber != "" || a.AccountNumber != "":
		return a, fail(i, who+"_iban", ErrIBAN, "a US routing and account number, not an IBAN")
	case a.IBAN == "":
		return a, fail(i, who+"_iban", ErrIBAN, "missing")
	}
	if err := a.Validate(); err != nil {
		field, sentinel := who+"_iban", ErrIBAN
		var fe *hr.FieldError
		if errors.As(err, &fe) && fe.Field == "bic" {
			field, sentinel = who+"_bic", ErrBIC
		}
		reason := "invalid"
		if fe != nil && fe.Err != nil {
			reason = strings.TrimPrefix(fe.Err.Error(), hr.ErrBankAccount.Error()+": ")
		}
		return a, fail(i, field, sentinel, reason)
	}
	return a, nil
}

// name converts a name to the SEPA set, shortened to MaxNameLen; ok is
// false if nothing is left.
func name(s string) (string, bool) {
	out := Latin(s)
	if len(out) > MaxNameLen {
		out = strings.TrimRight(out[:MaxNameLen], " ")
	}
	return out, strings.Trim(out, ".") != ""
}

// checkID returns why s is not a valid identifier, or "".
func checkID(s string) string {
	switch {
	case s == "":
		return "missing"
	case len(s) > MaxIDLen:
		return fmt.Sprintf("%d characters, at most %d", len(s), MaxIDLen)
	case !inCharset(s):
		return "a character outside the SEPA set"
	case strings.HasPrefix(s, "/") || strings.HasSuffix(s, "/") || strings.Contains(s, "//"):
		return "starts or ends with '/' or contains \"//\""
	case strings.TrimSpace(s) != s:
		return "starts or ends with a space"
	}
	return ""
}

// code reports whether s is four capital letters.
func code(s string) bool {
	if len(s) != 4 {
		return false
	}
	for i := range 4 {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// The XML document, in the element order of the schema.
type (
	document struct {
		XMLName xml.Name   `xml:"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09 Document"`
		Init    initiation `xml:"CstmrCdtTrfInitn"`
	}
	initiation struct {
		GrpHdr groupHeader
		PmtInf []paymentInfo
	}
	groupHeader struct {
		MsgId    string
		CreDtTm  string
		NbOfTxs  int
		CtrlSum  string
		InitgPty partyName
	}
	paymentInfo struct {
		PmtInfId    string
		PmtMtd      string
		BtchBookg   bool
		NbOfTxs     int
		CtrlSum     string
		PmtTpInf    paymentType
		ReqdExctnDt dateChoice
		Dbtr        partyName
		DbtrAcct    cashAccount
		DbtrAgt     agent
		ChrgBr      string
		CdtTrfTxInf []transaction

		total money.Amount
	}
	paymentType struct {
		SvcLvl   code4
		CtgyPurp *code4
	}
	code4       struct{ Cd string }
	dateChoice  struct{ Dt string }
	partyName   struct{ Nm string }
	cashAccount struct {
		Id ibanID
	}
	ibanID struct{ IBAN string }
	agent  struct {
		FinInstnId finInstn
	}
	finInstn struct {
		BICFI string `xml:",omitempty"`
		Othr  *otherID
	}
	otherID       struct{ Id string }
	creditorAgent struct{ FinInstnId finBIC }
	finBIC        struct{ BICFI string }
	transaction   struct {
		PmtId    paymentID
		Amt      instructed
		CdtrAgt  *creditorAgent
		Cdtr     partyName
		CdtrAcct cashAccount
		Purp     *code4
		RmtInf   *remittance
	}
	paymentID  struct{ EndToEndId string }
	instructed struct{ InstdAmt amount }
	amount     struct {
		Ccy   string `xml:"Ccy,attr"`
		Value string `xml:",chardata"`
	}
	remittance struct{ Ustrd string }
)

// Salaries returns the SEPA transfers paying a pay run's net pay (from
// payroll.Runs.Transfers) from the debtor's account: executed on the pay
// date, with the transfer's end-to-end ID and remittance text, purpose and
// category purpose Salary. An employee whose account is missing, not an
// IBAN (a US routing and account number) or invalid, or whose pay is not in
// euros, is refused: the error names the personnel number and wraps a
// *Error (index, field) and ErrIBAN, ErrBIC or ErrCurrency; every refused
// employee is in the joined error. Write checks the rest.
func Salaries(transfers []payroll.Transfer, debtor Party) ([]Transfer, error) {
	out := make([]Transfer, 0, len(transfers))
	var errs []error
	for i, t := range transfers {
		if _, err := account(i, "creditor", t.Bank); err != nil {
			errs = append(errs, fmt.Errorf("sepa: employee %s: %w", t.PersonnelNumber, err))
			continue
		}
		if c := t.Amount.Currency(); c != money.EUR {
			errs = append(errs, fmt.Errorf("sepa: employee %s: %w", t.PersonnelNumber,
				fail(i, "amount", ErrCurrency, "currency "+cmp.Or(c.Code(), "none"))))
			continue
		}
		out = append(out, Transfer{Debtor: debtor, ExecutionDate: t.PayDate, EndToEndID: t.EndToEndID,
			Amount: t.Amount, Creditor: Party{Name: t.Name, Account: t.Bank},
			Purpose: Salary, CategoryPurpose: Salary, Remittance: t.Remittance})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}
