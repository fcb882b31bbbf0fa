package datev

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/vat"
)

// JournalDATEV is the journal of entries read from a Buchungsstapel.
const JournalDATEV = "DATEV"

// readColumns are the booking columns ReadBookings understands. A file's
// other columns must be empty: a value in one is refused, never dropped.
var readColumns = map[int]bool{colUmsatz: true, colSH: true, colWKZ: true, colKurs: true, colBasis: true, colWKZBasis: true,
	colKonto: true, colGegenkonto: true, colBU: true, colBelegdatum: true, colBelegfeld1: true, colBuchtext: true,
	colKost1: true, colKost2: true, colFestschreib: true}

// ReadBookings reads an EXTF (or DTVF) Buchungsstapel, data category 21,
// into entries of book, all or nothing: the first value it cannot read
// faithfully fails the whole file with a *FieldError naming file, line and
// column (or a *SyntaxError).
//
// What is read: the header (format, category, version 700, client and
// consultant numbers, which must match o, the date range and the
// currency); per booking Umsatz, Soll/Haben-Kennzeichen, WKZ Umsatz,
// Kurs, Basis-Umsatz and WKZ Basis-Umsatz (see below), Konto and
// Gegenkonto, BU-Schlüssel, Belegdatum (within the header's date range),
// Belegfeld 1, Buchungstext, KOST1/KOST2 (as the dimensions of o) and the
// Zusatzinformation pairs (as dimensions: on the personal account's line,
// else on both; a VAT code, "vat", on the one line of a VAT or
// income-statement account if only one is); Festschreibung is accepted
// and not kept. A personal account (one digit longer than the account length)
// is booked on the receivables (1–6…) or payables (7–9…) control account
// of o.Chart with the party dimension. On an automatic account of o.VAT
// without BU-Schlüssel 40, or with a BU-Schlüssel of a VAT code, the
// amount is gross: its tax, as DATEV computes it, is booked on the code's
// tax account. A BU-Schlüssel's tax is split off the Gegenkonto, or the
// Konto when the Gegenkonto is a personal account and the Konto is not;
// both lines, the net one and the tax, carry the code as dimension
// vat.Dimension ("vat"). For a chart without a VAT table (o.VAT has no
// codes: the default chart) the BU-Schlüssel of vat.Codes book on the
// chart's account of role vat_output or vat_input. A BU-Schlüssel of no
// code, on an automatic account, of a code whose tax account the chart
// lacks, or contradicting a Zusatzinformation "vat", is refused. Any other
// column with a value (Skonto, Generalumkehr …) is refused.
//
// A booking in a foreign currency (WKZ Umsatz other than the book's) must
// give Kurs, Basis-Umsatz and WKZ Basis-Umsatz (the book's currency), and
// Umsatz ÷ Kurs must round to Basis-Umsatz, or Kurs be Umsatz ÷
// Basis-Umsatz rounded to its decimals; a booking DATEV would have to
// convert at a rate of its own is refused. Its lines are converted lines
// (ledger.Line.Base): the Umsatz in its currency with the Basis-Umsatz as
// base amount, on each account held in that currency (Account.Currency;
// for a personal account its control account's), the Basis-Umsatz in the
// book's currency on the other. When neither account is held in the
// currency, the Umsatz goes to the balance-sheet account of a booking
// against an income-statement account (a customer's invoice in USD: the
// receivable in USD, the revenue in EUR), else to both, as DATEV books it
// (but never to an account held in the book's currency). So a book keeps
// the per-account sums of its foreign lines through an export and this
// import when its foreign-currency items are on balance-sheet accounts,
// best held in their currency as ledger.Ledger.Revalue requires. An
// account held in another foreign currency, and tax computed on a
// foreign-currency booking, are refused.
//
// An entry that books the book's currency on an account held in a
// foreign currency (a revaluation) is of journal
// ledger.JournalRevaluation, the only journal the ledger lets do that;
// every other entry is of journal JournalDATEV.
//
// Consecutive bookings with the same Belegfeld 1 and date become one
// entry. Each entry's Key is derived from the header (consultant, client,
// date range, created-at) and its first line number, so importing the same
// file again posts nothing twice.
func ReadBookings(r io.Reader, name string, book ledger.Book, o *Options) ([]ledger.Entry, error) {
	d := newDecoder(r, name)
	bad := func(line int, col, format string, args ...any) error {
		return &FieldError{File: name, Line: line, Column: col, Msg: fmt.Sprintf(format, args...), Err: ErrInvalid}
	}
	unsupported := func(line int, col, format string, args ...any) error {
		return &FieldError{File: name, Line: line, Column: col, Msg: fmt.Sprintf(format, args...), Err: ErrUnsupported}
	}
	hr, err := d.next()
	if err == io.EOF {
		return nil, bad(1, "header", "empty file")
	} else if err != nil {
		return nil, err
	}
	h := hr.fields
	if len(h) < 22 {
		return nil, bad(1, "header", "%d fields, want 31", len(h))
	}
	if h[0] != "EXTF" && h[0] != "DTVF" {
		return nil, bad(1, "Kennzeichen", "want EXTF or DTVF")
	}
	if h[1] != "700" {
		return nil, unsupported(1, "Versionsnummer", "header version %q, want 700", h[1])
	}
	if h[2] != "21" || h[3] != FormatBookings {
		return nil, bad(1, "Formatkategorie", "category %s %q is no Buchungsstapel (21)", h[2], h[3])
	}
	num := func(i int, col string) (int, error) {
		n, err := strconv.Atoi(h[i])
		if err != nil {
			return 0, bad(1, col, "want a number")
		}
		return n, nil
	}
	ymd := func(i int, col string) (date.Date, error) {
		s := h[i]
		if len(s) != 8 || !digits(s) {
			return date.Date{}, bad(1, col, "want a date YYYYMMDD")
		}
		dd, err := date.Parse(s[:4] + "-" + s[4:6] + "-" + s[6:])
		if err != nil {
			return date.Date{}, bad(1, col, "want a date YYYYMMDD")
		}
		return dd, nil
	}
	consultant, err := num(10, "Beraternummer")
	if err != nil {
		return nil, err
	}
	client, err := num(11, "Mandantennummer")
	if err != nil {
		return nil, err
	}
	if consultant != o.Consultant || client != o.Client {
		return nil, unsupported(1, "Beraternummer", "consultant %d and client %d, the book's are %d and %d", consultant, client, o.Consultant, o.Client)
	}
	if n, err := num(13, "Sachkontenlänge"); err != nil {
		return nil, err
	} else if n != o.accountLength() {
		return nil, unsupported(1, "Sachkontenlänge", "account length %d, the book's is %d", n, o.accountLength())
	}
	from, err := ymd(14, "Datum vom")
	if err != nil {
		return nil, err
	}
	to, err := ymd(15, "Datum bis")
	if err != nil {
		return nil, err
	}
	if h[21] != "" && h[21] != book.Currency.Code() {
		return nil, unsupported(1, "WKZ", "currency %s, the book's is %s", h[21], book.Currency.Code())
	}
	sum := sha256.Sum256([]byte(strings.Join([]string{h[0], h[5], h[10], h[11], h[14], h[15]}, ";")))
	keyPrefix := "datev/" + hex.EncodeToString(sum[:8]) + "/"

	cr, err := d.next()
	if err != nil {
		return nil, bad(2, "column headings", "missing")
	}
	// Map the file's columns to ours by heading.
	colOf := make([]int, len(cr.fields)) // file column → our column, -1 unknown
	seen := map[int]bool{}
	for i, head := range cr.fields {
		colOf[i] = slices.Index(bookingColumns[:], head)
		if colOf[i] >= 0 {
			seen[colOf[i]] = true
		}
	}
	for _, c := range []int{colUmsatz, colSH, colKonto, colGegenkonto, colBelegdatum} {
		if !seen[c] {
			return nil, bad(2, bookingColumns[c], "column missing")
		}
	}
	recv, pay := o.roles()
	tab, taxAccts := o.vatTable()
	accounts := map[string]bool{}
	held := map[string]money.Currency{} // the accounts restricted to a currency
	for _, a := range o.Chart {
		accounts[a.Code] = true
		if !a.Currency.IsZero() {
			held[a.Code] = a.Currency
		}
	}
	var entries []ledger.Entry
	var cur *ledger.Entry
	for {
		rec, err := d.next()
		if err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		if len(rec.fields) == 1 && rec.fields[0] == "" {
			continue
		}
		if len(rec.fields) > len(colOf) {
			return nil, bad(rec.line, "line", "%d fields, the headings name %d", len(rec.fields), len(colOf))
		}
		v := make([]string, len(bookingColumns))
		var info [nZusatz][2]string
		for i, s := range rec.fields {
			c := colOf[i]
			switch {
			case s == "":
			case c < 0:
				return nil, unsupported(rec.line, cr.fields[i], "unknown column with a value")
			case c >= colZusatz && c < colZusatz+2*nZusatz:
				info[(c-colZusatz)/2][(c-colZusatz)%2] = s
			case !readColumns[c]:
				return nil, unsupported(rec.line, bookingColumns[c], "a value in a column this reader does not take")
			default:
				v[c] = s
			}
		}
		col := func(c int) string { return bookingColumns[c] }
		wkz := book.Currency
		if v[colWKZ] != "" && v[colWKZ] != book.Currency.Code() {
			if wkz, err = money.ParseCurrency(v[colWKZ]); err != nil {
				return nil, bad(rec.line, col(colWKZ), "%q is no ISO 4217 currency", v[colWKZ])
			}
		}
		foreign := wkz != book.Currency
		amt, err := parseUmsatz(v[colUmsatz], wkz)
		if err != nil {
			return nil, bad(rec.line, col(colUmsatz), "%v", err)
		}
		var base money.Amount // the Basis-Umsatz of a foreign booking
		switch {
		case !foreign:
			for _, c := range []int{colKurs, colBasis, colWKZBasis} {
				if v[c] != "" {
					return nil, unsupported(rec.line, col(c), "a value in a booking in the book's currency %s", wkz.Code())
				}
			}
		case v[colKurs] == "":
			return nil, unsupported(rec.line, col(colKurs), "a booking in %s without Kurs: DATEV would convert it at a rate of its own", wkz.Code())
		case v[colBasis] == "":
			return nil, unsupported(rec.line, col(colBasis), "a booking in %s without Basis-Umsatz: DATEV would convert it at a rate of its own", wkz.Code())
		case v[colWKZBasis] != book.Currency.Code():
			return nil, unsupported(rec.line, col(colWKZBasis), "%q, the book's currency is %s", v[colWKZBasis], book.Currency.Code())
		default:
			rate, decimals, err := parseKurs(v[colKurs])
			if err != nil {
				return nil, bad(rec.line, col(colKurs), "%v", err)
			}
			if base, err = parseAmount(v[colBasis], book.Currency); err != nil {
				return nil, bad(rec.line, col(colBasis), "%v", err)
			}
			back, err := amt.ConvertInverse(book.Currency, rate, money.HalfUp)
			if err != nil {
				return nil, bad(rec.line, col(colKurs), "%v", err)
			}
			if !back.Equal(base) && !quoteRate(amt, base, decimals).Equal(rate) {
				return nil, bad(rec.line, col(colKurs), "%s ÷ %s is %s, not the Basis-Umsatz %s, nor is %s ÷ %s %s", amt, v[colKurs], back, base, amt, base, v[colKurs])
			}
		}
		sign := int64(1)
		switch v[colSH] {
		case "S", "":
		case "H":
			sign = -1
		default:
			return nil, bad(rec.line, col(colSH), "want S or H")
		}
		if f := v[colFestschreib]; f != "" && f != "0" && f != "1" {
			return nil, bad(rec.line, col(colFestschreib), "want 0 or 1")
		}
		dd, err := ddmm(v[colBelegdatum], from, to)
		if err != nil {
			return nil, bad(rec.line, col(colBelegdatum), "%v", err)
		}
		type side struct {
			account string
			dims    map[string]string
			pnl     bool
		}
		resolve := func(c int) (side, error) {
			s := v[c]
			if !digits(s) || s == "" {
				return side{}, bad(rec.line, col(c), "want an account number")
			}
			if len(s) == o.accountLength()+1 && s[0] != '0' {
				ctl := recv
				if s[0] >= '7' {
					ctl = pay
				}
				if ctl == "" {
					return side{}, unsupported(rec.line, col(c), "personal account %s, but the chart has no control account for it", s)
				}
				return side{account: ctl, dims: map[string]string{o.partyDim(): s}}, nil
			}
			if len(s) > o.accountLength() || !accounts[s] {
				return side{}, bad(rec.line, col(c), "account %s is not in the chart", s)
			}
			for _, a := range o.Chart {
				if a.Code == s {
					return side{account: s, pnl: a.Type.IsIncomeStatement()}, nil
				}
			}
			return side{account: s}, nil
		}
		k, err := resolve(colKonto)
		if err != nil {
			return nil, err
		}
		g, err := resolve(colGegenkonto)
		if err != nil {
			return nil, err
		}
		// Which side, if any, is taxed, and at which code.
		var code vat.Code
		taxed := -1 // 0 Konto, 1 Gegenkonto
		bu := v[colBU]
		ck, autoK := tab.AutomaticFor(k.account)
		cg, autoG := tab.AutomaticFor(g.account)
		switch {
		case bu == vat.BUNoAutomatic:
		case bu != "":
			c, ok := tab.ByBU(bu)
			if !ok {
				return nil, unsupported(rec.line, col(colBU), "BU-Schlüssel %q is not in the VAT table", bu)
			}
			if autoK || autoG {
				return nil, unsupported(rec.line, col(colBU), "BU-Schlüssel %s on an automatic account", bu)
			}
			if c.Account == "" {
				return nil, unsupported(rec.line, col(colBU), "BU-Schlüssel %s of VAT code %s, but the chart has no tax account for it", bu, c.Code)
			}
			code, taxed = c, 1
			if g.dims != nil && k.dims == nil {
				taxed = 0
			}
		case autoK && autoG:
			return nil, unsupported(rec.line, col(colKonto), "both accounts are automatic VAT accounts")
		case autoK:
			code, taxed = ck, 0
		case autoG:
			code, taxed = cg, 1
		}
		lk := ledger.Line{Account: k.account, Dimensions: k.dims}
		lg := ledger.Line{Account: g.account, Dimensions: g.dims}
		if !foreign {
			m := amt.MinorUnits() * sign
			lk.Amount, lg.Amount = money.New(m, book.Currency), money.New(-m, book.Currency)
		} else {
			if taxed >= 0 && !code.Rate.IsZero() {
				at := [2]int{colKonto, colGegenkonto}[taxed]
				if bu != "" {
					at = colBU
				}
				return nil, unsupported(rec.line, col(at), "tax on a booking in %s: how DATEV splits it is not read", wkz.Code())
			}
			// The Umsatz goes to the accounts held in its currency; when
			// neither is, to those not held in the book's, balance-sheet
			// accounts before income-statement ones. The other account
			// takes the Basis-Umsatz.
			var inWKZ, inBook [2]bool
			for i, s := range []side{k, g} {
				switch c := held[s.account]; c {
				case wkz:
					inWKZ[i] = true
				case book.Currency:
					inBook[i] = true
				case money.Currency{}:
				default:
					return nil, unsupported(rec.line, col([2]int{colKonto, colGegenkonto}[i]), "account %s is held in %s, the booking is in %s", s.account, c.Code(), wkz.Code())
				}
			}
			if !inWKZ[0] && !inWKZ[1] {
				if inBook[0] && inBook[1] {
					return nil, unsupported(rec.line, col(colWKZ), "a booking in %s between accounts %s and %s, both held in %s", wkz.Code(), k.account, g.account, book.Currency.Code())
				}
				inWKZ = [2]bool{!inBook[0], !inBook[1]}
				if inWKZ[0] && inWKZ[1] && k.pnl != g.pnl {
					inWKZ = [2]bool{!k.pnl, !g.pnl}
				}
			}
			m, b := amt.MinorUnits()*sign, base.MinorUnits()*sign
			for i, l := range []*ledger.Line{&lk, &lg} {
				if i == 1 {
					m, b = -m, -b
				}
				l.Amount = money.New(b, book.Currency)
				if inWKZ[i] {
					l.Amount, l.Base = money.New(m, wkz), money.New(b, book.Currency)
				}
			}
		}
		var taxLine *ledger.Line
		if taxed >= 0 {
			tl := &lk
			if taxed == 1 {
				tl = &lg
			}
			tax := code.TaxOfGross(tl.Amount)
			if !tax.IsZero() {
				tl.Amount, _ = tl.Amount.Sub(tax)
				taxLine = &ledger.Line{Account: code.Account, Amount: tax}
			}
			if bu != "" {
				// The BU-Schlüssel names the code: both lines carry it.
				tl.Dimensions = maps.Clone(tl.Dimensions)
				if tl.Dimensions == nil {
					tl.Dimensions = map[string]string{}
				}
				tl.Dimensions[vat.Dimension] = code.Code
				if taxLine != nil {
					taxLine.Dimensions = map[string]string{vat.Dimension: code.Code}
				}
			}
		}
		// Cost centres go to the income-statement side (both when neither
		// or both are), Zusatzinformation to the personal account's side.
		extra := map[string]string{}
		if v[colKost1] != "" {
			extra[o.kost1Dim()] = v[colKost1]
		}
		if v[colKost2] != "" {
			if o.Kost2Dimension == "" {
				return nil, unsupported(rec.line, col(colKost2), "KOST2 given, but no dimension is configured for it")
			}
			extra[o.Kost2Dimension] = v[colKost2]
		}
		addDims := func(l *ledger.Line, dims map[string]string) {
			if len(dims) == 0 {
				return
			}
			if l.Dimensions == nil {
				l.Dimensions = map[string]string{}
			}
			maps.Copy(l.Dimensions, dims)
		}
		if k.pnl == g.pnl {
			addDims(&lk, extra)
			addDims(&lg, extra)
		} else if k.pnl {
			addDims(&lk, extra)
		} else {
			addDims(&lg, extra)
		}
		infoDims := map[string]string{}
		for i, kv := range info {
			if kv[0] == "" && kv[1] == "" {
				continue
			}
			if kv[0] == "" {
				return nil, bad(rec.line, fmt.Sprintf("Zusatzinformation - Art %d", i+1), "a Zusatzinformation without its Art")
			}
			infoDims[kv[0]] = kv[1]
		}
		if c, ok := infoDims[vat.Dimension]; ok && taxed >= 0 && bu != "" && c != code.Code {
			return nil, bad(rec.line, col(colBU), "BU-Schlüssel %s is VAT code %s, the Zusatzinformation %s says %s", bu, code.Code, vat.Dimension, c)
		}
		if c, ok := infoDims[vat.Dimension]; ok {
			// A VAT code describes a VAT or income-statement account's
			// line: when one side is one, it goes there only.
			kq, gq := k.pnl || taxAccts[k.account], g.pnl || taxAccts[g.account]
			if kq != gq {
				delete(infoDims, vat.Dimension)
				l := &lg
				if kq {
					l = &lk
				}
				addDims(l, map[string]string{vat.Dimension: c})
			}
		}
		switch {
		case k.dims != nil && g.dims == nil:
			addDims(&lk, infoDims)
		case g.dims != nil && k.dims == nil:
			addDims(&lg, infoDims)
		default:
			addDims(&lk, infoDims)
			addDims(&lg, infoDims)
		}
		text := v[colBuchtext]
		voucher := v[colBelegfeld1]
		if cur == nil || voucher == "" || cur.Voucher != voucher || cur.Date != dd {
			entries = append(entries, ledger.Entry{Book: book.ID, Key: keyPrefix + strconv.Itoa(rec.line), Date: dd,
				Description: text, Voucher: voucher, Journal: JournalDATEV})
			cur = &entries[len(entries)-1]
		}
		for _, l := range []*ledger.Line{&lk, &lg, taxLine} {
			if l == nil || l.Amount.IsZero() {
				continue
			}
			if text != cur.Description {
				l.Memo = text
			}
			cur.Lines = append(cur.Lines, *l)
		}
	}
	// Only revaluations may book the book's currency on an account held
	// in a foreign one.
	for i := range entries {
		if slices.ContainsFunc(entries[i].Lines, func(l ledger.Line) bool {
			c := held[l.Account]
			return !c.IsZero() && c != book.Currency && l.Amount.Currency() == book.Currency
		}) {
			entries[i].Journal = ledger.JournalRevaluation
		}
	}
	return entries, nil
}

// ddmm reads a Belegdatum DDMM within the header's range from–to (which
// may span a year end).
func ddmm(s string, from, to date.Date) (date.Date, error) {
	if len(s) == 3 {
		s = "0" + s
	}
	if len(s) != 4 || !digits(s) {
		return date.Date{}, fmt.Errorf("want a date DDMM")
	}
	for _, y := range []int{from.Year(), to.Year()} {
		dd, err := date.Parse(fmt.Sprintf("%04d-%s-%s", y, s[2:], s[:2]))
		if err != nil {
			return date.Date{}, fmt.Errorf("want a date DDMM")
		}
		if !dd.Before(from) && !dd.After(to) {
			return dd, nil
		}
	}
	return date.Date{}, fmt.Errorf("the date lies outside the batch's range %s to %s", from, to)
}
