// Package gobd writes a book's data for the tax auditor's data access
// (Datenzugriff Z3, § 147 Abs. 6 AO, GoBD): CSV tables and an index.xml
// describing them after the GDPdU "Beschreibungsstandard" (a DataSet of
// Media of Tables, each with its URL, encoding, decimal symbol and
// variable-length column descriptions, referring to
// gdpdu-01-09-2004.dtd). The DTD's text was not available to us: the
// index follows the documented element structure and is not validated
// against the DTD yet.
//
// Tables: journal.csv (every posting with its entry's sequence number,
// hash, booking date and recording time, its amount in its currency and
// its value in the book's currency: the base amount as booked for a line
// in a foreign currency, see ledger.Line.Base), accounts.csv (the chart),
// periods.csv (the fiscal years' periods and their state),
// period_events.csv (every closing, reopening and locking of those
// periods, with time and reason) and vat_codes.csv (the VAT codes: rate,
// direction, tax account, DATEV automatic accounts and BU-Schlüssel, UStVA
// Kennzahlen).
// Files are UTF-8 with CRLF, ';' between fields, text in double quotes,
// amounts with a decimal comma and no digit grouping, dates DD.MM.YYYY.
// The index's description carries the hash of the last entry of the
// range, so an auditor can check the chain's completeness.
//
// Write shares no state and is safe for concurrent use.
package gobd

import (
	"context"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/vat"
)

// Column is one column of a table as the index describes it.
type Column struct {
	Name string
	Kind string // "AlphaNumeric", "Numeric" or "Date"
	// Accuracy is the number of decimals of a Numeric column.
	Accuracy int
	// Description, if any, is written as the column's Description.
	Description string
}

// Table is one CSV file of the export.
type Table struct {
	URL, Name, Description string
	PrimaryKey             []Column
	Columns                []Column
}

// Tables are the tables Write writes, with their columns in file order
// (primary key columns first).
var Tables = []Table{
	{URL: "journal.csv", Name: "Journal", Description: "Buchungsjournal: jede Buchungszeile mit laufender Nummer, Hash, Buchungs- und Erfassungszeit",
		PrimaryKey: []Column{{Name: "Laufende_Nummer", Kind: "Numeric"}, {Name: "Zeile", Kind: "Numeric"}},
		Columns: []Column{{Name: "Hash", Kind: "AlphaNumeric"}, {Name: "Buchungsdatum", Kind: "Date"},
			{Name: "Erfasst_am", Kind: "AlphaNumeric"}, {Name: "Beleg", Kind: "AlphaNumeric"},
			{Name: "Journal", Kind: "AlphaNumeric"}, {Name: "Buchungstext", Kind: "AlphaNumeric"},
			{Name: "Konto", Kind: "AlphaNumeric"}, {Name: "Soll", Kind: "Numeric", Accuracy: 2},
			{Name: "Haben", Kind: "Numeric", Accuracy: 2}, {Name: "Waehrung", Kind: "AlphaNumeric"},
			{Name: "Soll_Basis", Kind: "Numeric", Accuracy: 2, Description: baseDescription + " (Soll)"},
			{Name: "Haben_Basis", Kind: "Numeric", Accuracy: 2, Description: baseDescription + " (Haben)"},
			{Name: "Basiswaehrung", Kind: "AlphaNumeric", Description: "Buchwährung (Basiswährung) von Soll_Basis und Haben_Basis; leer, wenn die Zeile nicht umgerechnet ist"},
			{Name: "Storno_von", Kind: "Numeric"}, {Name: "Dimensionen", Kind: "AlphaNumeric"}}},
	{URL: "accounts.csv", Name: "Konten", Description: "Kontenplan",
		PrimaryKey: []Column{{Name: "Konto", Kind: "AlphaNumeric"}},
		Columns: []Column{{Name: "Bezeichnung", Kind: "AlphaNumeric"}, {Name: "Kontoart", Kind: "AlphaNumeric"},
			{Name: "Uebergeordnet", Kind: "AlphaNumeric"}, {Name: "Geschlossen", Kind: "AlphaNumeric"}}},
	{URL: "periods.csv", Name: "Perioden", Description: "Buchungsperioden mit ihrem Status (offen, abgeschlossen, festgeschrieben)",
		PrimaryKey: []Column{{Name: "Geschaeftsjahr", Kind: "Numeric"}, {Name: "Periode", Kind: "Numeric"}},
		Columns:    []Column{{Name: "Beginn", Kind: "Date"}, {Name: "Ende", Kind: "Date"}, {Name: "Status", Kind: "AlphaNumeric"}}},
	{URL: "period_events.csv", Name: "Periodenereignisse", Description: "Jeder Abschluss, jede Wiedereröffnung und jede Festschreibung einer Periode, in der Reihenfolge ihrer Erfassung",
		PrimaryKey: []Column{{Name: "Lfd_Nr", Kind: "Numeric"}},
		Columns: []Column{{Name: "Geschaeftsjahr", Kind: "Numeric"}, {Name: "Periode", Kind: "Numeric"},
			{Name: "Status", Kind: "AlphaNumeric"}, {Name: "Zeitpunkt", Kind: "AlphaNumeric"}, {Name: "Grund", Kind: "AlphaNumeric"}}},
	{URL: "vat_codes.csv", Name: "Steuerschluessel", Description: "Umsatzsteuerschlüssel: Satz, Richtung, Steuerkonto, Automatikkonten, DATEV-BU-Schlüssel, UStVA-Kennzahlen",
		PrimaryKey: []Column{{Name: "Schluessel", Kind: "AlphaNumeric"}},
		Columns: []Column{{Name: "Bezeichnung", Kind: "AlphaNumeric"}, {Name: "Steuersatz", Kind: "Numeric", Accuracy: 2},
			{Name: "Richtung", Kind: "AlphaNumeric"}, {Name: "Steuerkonto", Kind: "AlphaNumeric"},
			{Name: "Automatikkonten", Kind: "AlphaNumeric"}, {Name: "BU_Schluessel", Kind: "AlphaNumeric"},
			{Name: "Kennzahl_Bemessungsgrundlage", Kind: "AlphaNumeric"}, {Name: "Kennzahl_Steuer", Kind: "AlphaNumeric"}}},
}

// baseDescription describes journal.csv's base-currency amounts.
const baseDescription = "Betrag in der Buchwährung: bei einer Zeile in Fremdwährung der bei der Buchung umgerechnete Betrag " +
	"(Basisbetrag, ggf. 0,00, wenn die Umrechnung auf weniger als einen Cent führt), bei einer Zeile in der Buchwährung ihr Betrag; " +
	"leer, wenn eine Zeile in Fremdwährung keinen Basisbetrag trägt"

// Source is what Write reads the books from; *ledger.Ledger implements it.
type Source interface {
	Entries(ctx context.Context, book string, q ledger.EntryQuery) ([]ledger.Posted, error)
	Periods(ctx context.Context, book string, fy int) ([]ledger.Period, error)
	PeriodHistory(ctx context.Context, book string) ([]ledger.PeriodEvent, error)
}

// Options configure Write. A nil *Options means none.
type Options struct {
	// VAT is the chart's VAT table (vat.SKR03, vat.SKR04), written as
	// vat_codes.csv; a zero Table writes the table empty.
	VAT vat.Table
}

// Write writes index.xml and the CSV tables of Tables for book into dir,
// which must exist: the entries dated from to to, the chart, the periods
// of the fiscal years from and to lie in with their state and every
// change of state (closed, reopened, locked) recorded for them, and the
// VAT codes of o. Entries are read a page at a time.
func Write(ctx context.Context, dir string, src Source, book ledger.Book, chart []ledger.Account, from, to date.Date, o *Options) error {
	if o == nil {
		o = &Options{}
	}
	jf, err := os.Create(filepath.Join(dir, "journal.csv"))
	if err != nil {
		return err
	}
	defer jf.Close()
	var head string
	q := ledger.EntryQuery{From: from, To: to, Limit: 2000}
	for {
		page, err := src.Entries(ctx, book.ID, q)
		if err != nil {
			return err
		}
		for _, p := range page {
			head = hex.EncodeToString(p.Hash[:])
			for i, l := range p.Lines {
				deb, cred, err := debitCredit(l.Amount)
				if err != nil {
					return fmt.Errorf("gobd: journal.csv: entry %d line %d: %w", p.Seq, i+1, err)
				}
				// The line's value in the book's currency: its base amount,
				// its amount when in the book's currency, else none.
				var bdeb, bcred, bcur string
				if base, ok := baseOf(l, book.Currency); ok {
					if bdeb, bcred, err = debitCredit(base); err != nil {
						return fmt.Errorf("gobd: journal.csv: entry %d line %d: base amount: %w", p.Seq, i+1, err)
					}
					bcur = base.Currency().Code()
				}
				var dims []string
				for k, v := range l.Dimensions {
					dims = append(dims, k+"="+v)
				}
				sortStrings(dims)
				rev := ""
				if p.Reverses != 0 {
					rev = strconv.FormatUint(p.Reverses, 10)
				}
				if err := writeRecord(jf, []string{strconv.FormatUint(p.Seq, 10), strconv.Itoa(i + 1)},
					[]string{head, dmy(p.Date), p.RecordedAt.UTC().Format("2006-01-02T15:04:05.000000Z"), p.Voucher,
						cmpOr(p.Journal, ledger.JournalGeneral), p.Description, l.Account},
					[]string{deb, cred}, []string{l.Amount.Currency().Code()}, []string{bdeb, bcred}, []string{bcur},
					[]string{rev}, []string{strings.Join(dims, ",")}); err != nil {
					return err
				}
			}
		}
		if len(page) < q.Limit {
			break
		}
		q.After = page[len(page)-1].Seq
	}
	if err := jf.Close(); err != nil {
		return err
	}
	af, err := os.Create(filepath.Join(dir, "accounts.csv"))
	if err != nil {
		return err
	}
	defer af.Close()
	for _, a := range chart {
		closed := "nein"
		if a.Closed {
			closed = "ja"
		}
		if err := writeRecord(af, []string{a.Code, a.Name, a.Type.String(), a.Parent, closed}); err != nil {
			return err
		}
	}
	if err := af.Close(); err != nil {
		return err
	}
	if err := writePeriods(ctx, dir, src, book, from, to); err != nil {
		return err
	}
	if err := writeTable(dir, "vat_codes.csv", func(w io.Writer) error {
		for _, c := range o.VAT.Codes {
			dir := "Umsatzsteuer"
			if c.Direction == vat.Input {
				dir = "Vorsteuer"
			}
			pct := strings.Replace(c.Rate.Shift(2).StringFixed(2), ".", ",", 1)
			if err := writeRecord(w, []string{c.Code, c.Name, pct, dir, c.Account, strings.Join(c.Automatic, ","),
				c.BU, c.BaseBox, c.TaxBox}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	xf, err := os.Create(filepath.Join(dir, "index.xml"))
	if err != nil {
		return err
	}
	defer xf.Close()
	if err := writeIndex(xf, book, from, to, head); err != nil {
		return err
	}
	return xf.Close()
}

// writePeriods writes periods.csv (the periods of the fiscal years from
// and to lie in, with their state now) and period_events.csv (every
// recorded change of those periods' states, oldest first).
func writePeriods(ctx context.Context, dir string, src Source, book ledger.Book, from, to date.Date) error {
	fy1, _ := book.PeriodOf(from)
	fy2, _ := book.PeriodOf(to)
	if err := writeTable(dir, "periods.csv", func(w io.Writer) error {
		for fy := fy1; fy <= fy2; fy++ {
			ps, err := src.Periods(ctx, book.ID, fy)
			if err != nil {
				return err
			}
			for _, p := range ps {
				if err := writeRecord(w, []string{strconv.Itoa(p.FiscalYear), strconv.Itoa(p.Number), dmy(p.Start), dmy(p.End), stateName(p.State)}); err != nil {
					return err
				}
			}
		}
		return nil
	}); err != nil {
		return err
	}
	events, err := src.PeriodHistory(ctx, book.ID)
	if err != nil {
		return err
	}
	return writeTable(dir, "period_events.csv", func(w io.Writer) error {
		n := 0
		for _, e := range events {
			if e.FiscalYear < fy1 || e.FiscalYear > fy2 {
				continue
			}
			n++
			if err := writeRecord(w, []string{strconv.Itoa(n)}, []string{strconv.Itoa(e.FiscalYear), strconv.Itoa(e.Number),
				stateName(e.State), e.At.UTC().Format("2006-01-02T15:04:05.000000Z"), e.Reason}); err != nil {
				return err
			}
		}
		return nil
	})
}

// stateName is a period state as the tables write it.
func stateName(s ledger.PeriodState) string {
	switch s {
	case ledger.Open:
		return "offen"
	case ledger.Closed:
		return "abgeschlossen"
	case ledger.Locked:
		return "festgeschrieben"
	}
	return s.String()
}

// writeTable creates dir/name and writes it with write.
func writeTable(dir, name string, write func(io.Writer) error) error {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return err
	}
	defer f.Close()
	if err := write(f); err != nil {
		return err
	}
	return f.Close()
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// writeRecord writes one CSV line; numeric-looking groups are passed as
// text here and quoted only if they are text columns: the first group's
// fields and every group are written in column order, quoted when they
// contain anything but digits and a comma.
func writeRecord(w io.Writer, groups ...[]string) error {
	var sb strings.Builder
	n := 0
	for _, g := range groups {
		for _, f := range g {
			if n > 0 {
				sb.WriteByte(';')
			}
			n++
			if numeric(f) {
				sb.WriteString(f)
			} else {
				sb.WriteByte('"')
				sb.WriteString(strings.ReplaceAll(f, `"`, `""`))
				sb.WriteByte('"')
			}
		}
	}
	sb.WriteString("\r\n")
	_, err := io.WriteString(w, sb.String())
	return err
}

func numeric(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && s[i] != ',' {
			return false
		}
	}
	return true
}

func dmy(d date.Date) string {
	y, m, dd := d.Date()
	return fmt.Sprintf("%02d.%02d.%04d", dd, int(m), y)
}

// amountDecimals is the Accuracy of the journal's amount columns.
const amountDecimals = 2

// debitCredit returns a signed amount as journal.csv's debit and credit
// fields: the other one 0,00, both with a decimal comma and exactly
// amountDecimals decimals. A currency with fewer minor units is padded
// with zeros (1000 JPY is 1000,00); an amount with more decimals than the
// columns hold (1,234 KWD) is an error, never rounded.
func debitCredit(a money.Amount) (debit, credit string, err error) {
	s, err := decimalComma(a.Abs())
	if err != nil {
		return "", "", err
	}
	if a.IsNegative() {
		return "0,00", s, nil
	}
	return s, "0,00", nil
}

// decimalComma writes a with a decimal comma and amountDecimals decimals.
func decimalComma(a money.Amount) (string, error) {
	whole, frac, _ := strings.Cut(a.Number(), ".")
	if len(frac) > amountDecimals {
		if strings.Trim(frac[amountDecimals:], "0") != "" {
			return "", fmt.Errorf("%s has more decimals than the journal's %d", a, amountDecimals)
		}
		frac = frac[:amountDecimals]
	}
	return whole + "," + frac + strings.Repeat("0", amountDecimals-len(frac)), nil
}

// baseOf returns l's value in the book's currency base: its base amount
// if it is converted, its amount if it is in base, else false.
func baseOf(l ledger.Line, base money.Currency) (money.Amount, bool) {
	switch {
	case l.Converted():
		return l.Base, true
	case l.Amount.Currency() == base:
		return l.Amount, true
	}
	return money.Amount{}, false
}

// The index's XML elements, in the Beschreibungsstandard's order.
type (
	xDataSet struct {
		XMLName      xml.Name      `xml:"DataSet"`
		Version      string        `xml:"Version"`
		DataSupplier xDataSupplier `xml:"DataSupplier"`
		Media        xMedia        `xml:"Media"`
	}
	xDataSupplier struct {
		Name     string `xml:"Name"`
		Location string `xml:"Location"`
		Comment  string `xml:"Comment"`
	}
	xMedia struct {
		Name   string   `xml:"Name"`
		Tables []xTable `xml:"Table"`
	}
	xTable struct {
		URL                 string          `xml:"URL"`
		Name                string          `xml:"Name"`
		Description         string          `xml:"Description"`
		Validity            xValidity       `xml:"Validity"`
		UTF8                *struct{}       `xml:"UTF8"`
		DecimalSymbol       string          `xml:"DecimalSymbol"`
		DigitGroupingSymbol string          `xml:"DigitGroupingSymbol"`
		VariableLength      xVariableLength `xml:"VariableLength"`
	}
	xValidity struct {
		From string `xml:"Range>From"`
		To   string `xml:"Range>To"`
	}
	xVariableLength struct {
		ColumnDelimiter  string    `xml:"ColumnDelimiter"`
		RecordDelimiter  string    `xml:"RecordDelimiter"`
		TextEncapsulator string    `xml:"TextEncapsulator"`
		PrimaryKeys      []xColumn `xml:"VariablePrimaryKey"`
		Columns          []xColumn `xml:"VariableColumn"`
	}
	xColumn struct {
		Name         string    `xml:"Name"`
		Description  string    `xml:"Description,omitempty"`
		AlphaNumeric *struct{} `xml:"AlphaNumeric"`
		Numeric      *xNumeric `xml:"Numeric"`
		Date         *xDate    `xml:"Date"`
	}
	xNumeric struct {
		Accuracy *int `xml:"Accuracy"`
	}
	xDate struct {
		Format string `xml:"Format"`
	}
)

func xcol(c Column) xColumn {
	x := xColumn{Name: c.Name, Description: c.Description}
	switch c.Kind {
	case "Numeric":
		x.Numeric = &xNumeric{}
		if c.Accuracy > 0 {
			acc := c.Accuracy
			x.Numeric.Accuracy = &acc
		}
	case "Date":
		x.Date = &xDate{Format: "DD.MM.YYYY"}
	default:
		x.AlphaNumeric = &struct{}{}
	}
	return x
}

func writeIndex(w io.Writer, book ledger.Book, from, to date.Date, head string) error {
	ds := xDataSet{Version: "1.0",
		DataSupplier: xDataSupplier{Name: book.Name, Location: book.ID,
			Comment: fmt.Sprintf("Datenüberlassung nach § 147 Abs. 6 AO, %s bis %s; Hash der letzten Buchung (SHA-256-Kette): %s", dmy(from), dmy(to), cmpOr(head, "keine Buchungen"))},
		Media: xMedia{Name: "Datenträger 1"}}
	for _, t := range Tables {
		xt := xTable{URL: t.URL, Name: t.Name, Description: t.Description,
			Validity: xValidity{From: dmy(from), To: dmy(to)}, UTF8: &struct{}{},
			DecimalSymbol: ",", DigitGroupingSymbol: ".",
			VariableLength: xVariableLength{ColumnDelimiter: ";", RecordDelimiter: "\r\n", TextEncapsulator: `"`}}
		for _, c := range t.PrimaryKey {
			xt.VariableLength.PrimaryKeys = append(xt.VariableLength.PrimaryKeys, xcol(c))
		}
		for _, c := range t.Columns {
			xt.VariableLength.Columns = append(xt.VariableLength.Columns, xcol(c))
		}
		ds.Media.Tables = append(ds.Media.Tables, xt)
	}
	b, err := xml.MarshalIndent(ds, "", "  ")
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, xml.Header+`<!DOCTYPE DataSet SYSTEM "gdpdu-01-09-2004.dtd">`+"\n"+string(b)+"\n")
	return err
}
