package camt

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

// Mapping describes a bank's CSV export: which column holds what. It is
// read from a JSON file by ReadMapping, for example
//
//	{"delimiter": ";", "decimal_comma": true, "date_format": "02.01.2006",
//	 "account": "DE02120300000000202051", "currency": "EUR",
//	 "date": "Buchungstag", "value_date": "Valuta", "amount": "Betrag",
//	 "reference": "Buchungsreferenz", "text": "Verwendungszweck",
//	 "counterparty": "Name Zahlungsbeteiligter", "balance": "Saldo nach Buchung"}
//
// Columns are named as in the header row (case-insensitive, surrounding
// space ignored); other columns are ignored.
type Mapping struct {
	// Delimiter is the field separator, one character: "," (default) or ";".
	Delimiter string `json:"delimiter"`
	// DecimalComma says amounts are written 1234,56 (a point is then refused,
	// so thousands separators are never mistaken for decimals).
	DecimalComma bool `json:"decimal_comma"`
	// Thousands is the thousands separator amounts may carry ("." with a
	// decimal comma, "," without); empty means none is accepted.
	Thousands string `json:"thousands"`
	// DateFormat is a Go time layout (default "2006-01-02").
	DateFormat string `json:"date_format"`
	// Account is the bank account (IBAN) the export is of; Currency its
	// currency, unless CurrencyColumn names a column with it per row.
	Account        string `json:"account"`
	Currency       string `json:"currency"`
	CurrencyColumn string `json:"currency_column"`
	// ID is the statement ID; empty means a digest of the file.
	ID string `json:"id"`
	// Date is the booking-date column, required; ValueDate optional.
	Date      string `json:"date"`
	ValueDate string `json:"value_date"`
	// Amount is a signed amount column; or Debit and Credit are two columns
	// of unsigned amounts, one of them filled per row. One way is required.
	Amount string `json:"amount"`
	Debit  string `json:"debit"`
	Credit string `json:"credit"`
	// Indicator, with Amount, is a column of "C"/"D" (or the values of
	// CreditValue and DebitValue, e.g. "H"/"S") giving the sign of an
	// unsigned Amount.
	Indicator   string `json:"indicator"`
	CreditValue string `json:"credit_value"`
	DebitValue  string `json:"debit_value"`
	// Reference (the bank's reference of a line), Text, Counterparty,
	// CounterpartyAccount and EndToEndID are optional columns.
	Reference           string `json:"reference"`
	Text                string `json:"text"`
	Counterparty        string `json:"counterparty"`
	CounterpartyAccount string `json:"counterparty_account"`
	EndToEndID          string `json:"end_to_end_id"`
	// Balance is an optional column of the balance after each line: the
	// reader then checks every line against it and the statement carries
	// its opening and closing balances.
	Balance string `json:"balance"`
}

// ReadMapping reads a Mapping from JSON; unknown keys and a mapping
// without date, account, currency or amount columns are refused.
func ReadMapping(r io.Reader) (Mapping, error) {
	var m Mapping
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return m, fmt.Errorf("camt: mapping: %w: %v", ErrFormat, err)
	}
	return m, m.check()
}

func (m *Mapping) check() error {
	bad := func(field, reason string) error {
		return fmt.Errorf("camt: mapping: %s: %w: %s", field, ErrFormat, reason)
	}
	switch {
	case m.Date == "":
		return bad("date", "the booking-date column is required")
	case m.Account == "":
		return bad("account", "the bank account is required")
	case m.Currency == "" && m.CurrencyColumn == "":
		return bad("currency", "a currency or a currency column is required")
	case m.Amount == "" && (m.Debit == "" || m.Credit == ""):
		return bad("amount", "an amount column, or debit and credit columns, are required")
	case m.Amount != "" && (m.Debit != "" || m.Credit != ""):
		return bad("amount", "either an amount column or debit and credit columns, not both")
	case m.Indicator != "" && m.Amount == "":
		return bad("indicator", "an indicator goes with an amount column")
	case m.Thousands != "" && (len(m.Thousands) != 1 || m.Thousands == "," && m.DecimalComma || m.Thousands == "." && !m.DecimalComma):
		return bad("thousands", "one character, not the decimal separator")
	case m.Delimiter != "" && len([]rune(m.Delimiter)) != 1:
		return bad("delimiter", "one character")
	}
	return nil
}

// ReadCSV reads a bank's CSV export as one statement, per the mapping:
// every row a line, all or nothing. An amount's sign comes from the amount
// itself, the indicator column, or which of debit and credit is filled; a
// row with neither, both, or an indicator that is missing or unknown is
// refused with ErrIndicator. With a balance column every line is checked
// against it (ErrBalance); without one the statement has no balances.
// Errors name the file, the row (the header is row 1) and the column.
func ReadCSV(r io.Reader, name string, m Mapping, opts *Options) (Statement, error) {
	st := Statement{Format: "csv", Account: m.Account}
	if err := m.check(); err != nil {
		return st, err
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return st, err
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	if m.Delimiter != "" {
		cr.Comma = []rune(m.Delimiter)[0]
	}
	fail := func(row int, col, reason string, err error) error {
		return &Error{File: name, Line: row, Path: col, Reason: reason, Err: err}
	}
	header, err := cr.Read()
	if err != nil {
		return st, fail(1, "", "no header row", ErrFormat)
	}
	cols := map[string]int{}
	for i, h := range header {
		cols[strings.ToLower(strings.TrimSpace(h))] = i
	}
	col := func(field, name string) (int, error) {
		if name == "" {
			return -1, nil
		}
		i, ok := cols[strings.ToLower(strings.TrimSpace(name))]
		if !ok {
			return -1, fail(1, name, "no such column (mapping "+field+")", ErrFormat)
		}
		return i, nil
	}
	idx := map[string]int{}
	for _, f := range []struct{ field, name string }{{"date", m.Date}, {"value_date", m.ValueDate}, {"amount", m.Amount},
		{"debit", m.Debit}, {"credit", m.Credit}, {"indicator", m.Indicator}, {"reference", m.Reference}, {"text", m.Text},
		{"counterparty", m.Counterparty}, {"counterparty_account", m.CounterpartyAccount}, {"end_to_end_id", m.EndToEndID},
		{"balance", m.Balance}, {"currency_column", m.CurrencyColumn}} {
		if idx[f.field], err = col(f.field, f.name); err != nil {
			return st, err
		}
	}
	layout := m.DateFormat
	if layout == "" {
		layout = date.Layout
	}
	if m.Currency != "" {
		if st.Currency, err = opts.currency(m.Currency); err != nil {
			return st, fmt.Errorf("camt: mapping: currency: %w: unknown currency %q", ErrCurrency, m.Currency)
		}
		if !opts.wantCurrency(st.Currency) {
			return st, fmt.Errorf("camt: mapping: currency: %w: statement in %s, account in %s", ErrCurrency, st.Currency.Code(), opts.Currency.Code())
		}
	}
	credit, debit := m.CreditValue, m.DebitValue
	if credit == "" {
		credit = "C"
	}
	if debit == "" {
		debit = "D"
	}
	row := 1
	var balance money.Amount
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if line, _ := cr.FieldPos(0); line > 0 {
			row = line
		} else {
			row++
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				row = pe.Line
			}
			return st, fail(row, "", "not CSV: "+err.Error(), ErrFormat)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		get := func(field string) string {
			i := idx[field]
			if i < 0 || i >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		colName := func(field string) string { return header[idx[field]] }
		c := st.Currency
		if m.CurrencyColumn != "" {
			code := get("currency_column")
			rc, err := opts.currency(code)
			if err != nil {
				return st, fail(row, colName("currency_column"), "unknown currency "+strconv.Quote(code), ErrCurrency)
			}
			if st.Currency.IsZero() && opts.wantCurrency(rc) {
				st.Currency = rc
			}
			if rc != st.Currency {
				return st, fail(row, colName("currency_column"), "currency "+rc.Code()+", statement in "+st.Currency.Code(), ErrCurrency)
			}
			c = rc
		}
		var l Line
		l.Source = name + ":" + strconv.Itoa(row)
		parseDate := func(field string, required bool) (date.Date, error) {
			s := get(field)
			if s == "" {
				if required {
					return date.Date{}, fail(row, colName(field), "no date", ErrFormat)
				}
				return date.Date{}, nil
			}
			t, err := time.Parse(layout, s)
			if err != nil {
				return date.Date{}, fail(row, colName(field), "not a date as "+layout, ErrFormat)
			}
			return date.Of(t), nil
		}
		if l.Booked, err = parseDate("date", true); err != nil {
			return st, err
		}
		if m.ValueDate != "" {
			if l.Value, err = parseDate("value_date", false); err != nil {
				return st, err
			}
		}
		amount := func(field string, signed bool) (money.Amount, error) {
			s := get(field)
			neg := false
			if signed {
				switch {
				case strings.HasPrefix(s, "-"):
					neg, s = true, s[1:]
				case strings.HasPrefix(s, "+"):
					s = s[1:]
				}
			}
			if m.Thousands != "" && strings.Contains(s, m.Thousands) {
				if !grouped(s, m.Thousands, m.DecimalComma) {
					return money.Amount{}, fail(row, colName(field), "thousands separators not in groups of three digits", ErrFormat)
				}
				s = strings.ReplaceAll(s, m.Thousands, "")
			}
			a, err := parseAmount(s, c, m.DecimalComma)
			if err != nil {
				return a, fail(row, colName(field), err.Error(), unwrapSentinel(err))
			}
			if neg {
				a = a.Neg()
			}
			return a, nil
		}
		switch {
		case m.Amount != "" && m.Indicator == "":
			if get("amount") == "" {
				return st, fail(row, colName("amount"), "no amount", ErrFormat)
			}
			if l.Amount, err = amount("amount", true); err != nil {
				return st, err
			}
		case m.Amount != "":
			if l.Amount, err = amount("amount", false); err != nil {
				return st, err
			}
			switch ind := get("indicator"); {
			case strings.EqualFold(ind, credit):
			case strings.EqualFold(ind, debit):
				l.Amount = l.Amount.Neg()
			case ind == "":
				return st, fail(row, colName("indicator"), "credit/debit indicator missing", ErrIndicator)
			default:
				return st, fail(row, colName("indicator"), "credit/debit indicator is neither "+credit+" nor "+debit, ErrIndicator)
			}
		default:
			d, cr := get("debit"), get("credit")
			switch {
			case d != "" && cr != "":
				return st, fail(row, colName("debit"), "both debit and credit filled", ErrIndicator)
			case d == "" && cr == "":
				return st, fail(row, colName("debit"), "neither debit nor credit filled", ErrIndicator)
			case d != "":
				if l.Amount, err = amount("debit", true); err != nil {
					return st, err
				}
				if l.Amount.IsPositive() { // a debit column may hold -12,34 or 12,34
					l.Amount = l.Amount.Neg()
				}
			default:
				if l.Amount, err = amount("credit", false); err != nil {
					return st, err
				}
			}
		}
		l.Ref, l.Text, l.Counterparty, l.CounterpartyAccount = get("reference"), get("text"), get("counterparty"), get("counterparty_account")
		if e := get("end_to_end_id"); e != "" && e != "NOTPROVIDED" {
			l.EndToEndIDs = []string{e}
		}
		if m.Balance != "" {
			after, err := amount("balance", true)
			if err != nil {
				return st, err
			}
			before, err := after.Sub(l.Amount)
			if err != nil {
				return st, fail(row, colName("balance"), err.Error(), ErrFormat)
			}
			if len(st.Lines) == 0 {
				st.Opening, st.OpeningDate, st.Balances = before, l.Booked, true
			} else if before != balance {
				gap, _ := before.Sub(balance)
				be := &BalanceError{Statement: name, Opening: balance, Lines: l.Amount, Closing: after, Gap: gap}
				return st, fail(row, colName("balance"), "the balance before this line is not the one after the line before: "+be.Error(), be)
			}
			balance = after
			st.Closing, st.ClosingDate = after, l.Booked
		}
		st.Lines = append(st.Lines, l)
	}
	if len(st.Lines) == 0 {
		return st, fail(row, "", "no lines", ErrFormat)
	}
	if st.ID = m.ID; st.ID == "" {
		h := sha256.Sum256(data)
		st.ID = "csv-" + hex.EncodeToString(h[:8])
	}
	for i := range st.Lines {
		if st.Lines[i].Ref == "" {
			st.Lines[i].Ref = st.ID + "/" + strconv.Itoa(i+1)
		}
	}
	if err := st.Check(); err != nil {
		return st, fail(row, "", err.Error(), err)
	}
	return st, nil
}

// grouped reports whether the integer part of s has its thousands
// separators sep between groups of three digits: "1.190,00" yes,
// "2480.55" (a decimal point mistaken for a separator) no.
func grouped(s, sep string, comma bool) bool {
	dec := "."
	if comma {
		dec = ","
	}
	whole, _, _ := strings.Cut(s, dec)
	groups := strings.Split(whole, sep)
	for i, g := range groups {
		if i > 0 && len(g) != 3 || i == 0 && (len(g) == 0 || len(g) > 3) {
			return false
		}
	}
	return true
}
