package datev

import (
	"io"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/partners"
)

// WriteLabels writes the chart's account labels as DATEV
// Kontenbeschriftungen (data category 20, format version 3): one line per
// open account of at most the account length, its name cut to 40
// characters (the long label keeps up to 300). Accounts whose code is no
// DATEV account are left out and reported, as are changed names.
func WriteLabels(w io.Writer, chart []ledger.Account, book ledger.Book, o *Options) ([]Notice, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	start, _ := book.FiscalYearRange(time.Now().Year())
	if !o.Created.IsZero() {
		start, _ = book.FiscalYearRange(o.Created.Year())
	}
	return writeMaster(w, CategoryLabels, FormatLabels, VersionLabels, labelColumns[:], start, o, func(emit func(record string, f []field)) []Notice {
		var notices []Notice
		for _, a := range chart {
			if len(a.Code) > o.accountLength() || !digits(a.Code) {
				notices = append(notices, Notice{Record: a.Code, Field: "Konto", What: "left out: no DATEV account number"})
				continue
			}
			short, what := ansi(a.Name, 40)
			if what != "" {
				notices = append(notices, Notice{Record: a.Code, Field: "Kontenbeschriftung", What: what})
			}
			long, _ := ansi(a.Name, 300)
			emit(a.Code, []field{{s: a.Code}, {s: short, text: true}, {s: "de-DE", text: true}, {s: long, text: true}})
		}
		return notices
	})
}

// WriteParties writes customers and suppliers as DATEV
// Debitoren/Kreditoren (data category 16, format version 5): personal
// account, company name, short name, EU country and VAT ID, street,
// postal code, city and country. Parties whose number is no personal
// account of the account length are left out and reported.
func WriteParties(w io.Writer, parties []partners.Party, book ledger.Book, o *Options) ([]Notice, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	yr := time.Now().Year()
	if !o.Created.IsZero() {
		yr = o.Created.Year()
	}
	start, _ := book.FiscalYearRange(yr)
	return writeMaster(w, CategoryParties, FormatParties, VersionParties, partyColumns[:], start, o, func(emit func(string, []field)) []Notice {
		var notices []Notice
		for _, p := range parties {
			if len(p.Number) != o.accountLength()+1 || !digits(p.Number) || p.Number[0] == '0' {
				notices = append(notices, Notice{Record: p.Number, Field: "Konto", What: "left out: no DATEV personal account"})
				continue
			}
			txt := func(field, s string, max int) field {
				v, what := ansi(s, max)
				if what != "" {
					notices = append(notices, Notice{Record: p.Number, Field: field, What: what})
				}
				return fieldText(v)
			}
			euCountry, euID := "", ""
			if len(p.VATID) > 2 {
				euCountry, euID = p.VATID[:2], p.VATID[2:]
			}
			f := []field{{s: p.Number}, txt("Name (Adressattyp Unternehmen)", p.Name, 50), fieldText(""),
				fieldText(""), fieldText(""), fieldText(""), fieldText("2"), txt("Kurzbezeichnung", p.Name, 15),
				fieldText(euCountry), fieldText(euID), fieldText(""), fieldText(""), fieldText(""), fieldText(""),
				fieldText("STR"), txt("Straße", p.Address.Street, 36), fieldText(""), txt("Postleitzahl", p.Address.PostalCode, 10),
				txt("Ort", p.Address.City, 30), fieldText(p.Address.Country)}
			emit(p.Number, f)
		}
		return notices
	})
}

func fieldText(s string) field { return field{s: s, text: true} }

func writeMaster(w io.Writer, cat int, format string, version int, cols []string, fyStart date.Date, o *Options, body func(emit func(string, []field)) []Notice) ([]Notice, error) {
	created := o.Created
	if created.IsZero() {
		created = time.Now()
	}
	h := Header{Kind: "EXTF", Category: cat, Format: format, FormatVersion: version, Created: created, Origin: "RE",
		Consultant: o.Consultant, Client: o.Client, FiscalYear: fyStart, AccountLength: o.accountLength(),
		Chart: chartCode(o.VAT.Chart)}
	enc := newEncoder(w)
	var err error
	keep := func(e error) {
		if err == nil {
			err = e
		}
	}
	keep(enc.line(h.fields()))
	heads := make([]field, len(cols))
	for i, c := range cols {
		heads[i] = field{s: c}
	}
	keep(enc.line(heads))
	notices := body(func(_ string, f []field) { keep(enc.line(f)) })
	keep(enc.flush())
	return notices, err
}
