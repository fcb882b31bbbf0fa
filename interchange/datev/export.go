package datev

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/vat"
)

// Options configure the export and the import. The zero value is not
// usable: Consultant and Client are required by DATEV.
type Options struct {
	Consultant    int // Beraternummer, 1001–9999999
	Client        int // Mandantennummer, 1–99999
	AccountLength int // Sachkontenlänge, 4–8; 0 means 4
	// Chart is the book's chart of accounts. Its accounts with meta.role
	// receivables and payables are the control accounts whose lines
	// carrying PartyDimension become DATEV personal accounts.
	Chart []ledger.Account
	// VAT is the chart's VAT table (vat.SKR03, vat.SKR04); a zero Table
	// means no automatic accounts: every account is booked as it is.
	VAT vat.Table
	// PartyDimension names the line dimension holding the customer's or
	// supplier's number (partners.DimParty); "" means "party".
	PartyDimension string
	// Kost1Dimension and Kost2Dimension name the dimensions written as
	// KOST1 and KOST2; "" means "cost_centre" for KOST1 and none for KOST2.
	Kost1Dimension, Kost2Dimension string
	Description                    string    // Bezeichnung of the batch, at most 30 characters
	Initials                       string    // Diktatkürzel, at most 2 characters
	Created                        time.Time // Erzeugt am; zero means now
	// Locked reports whether a booking date lies in a locked period; those
	// bookings are written with Festschreibung 1. Nil means none.
	Locked func(date.Date) bool

	recv, pay  string // the control accounts, set by withRoles
	tab        vat.Table
	taxAccts   map[string]bool
	rolesFound bool
}

func (o *Options) accountLength() int {
	if o.AccountLength == 0 {
		return 4
	}
	return o.AccountLength
}

func (o *Options) partyDim() string { return cmpOr(o.PartyDimension, "party") }
func (o *Options) kost1Dim() string { return cmpOr(o.Kost1Dimension, "cost_centre") }

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// roles returns the receivables and payables control accounts of the
// chart, as found by withRoles if it ran.
func (o *Options) roles() (recv, pay string) {
	if o.rolesFound {
		return o.recv, o.pay
	}
	for _, a := range o.Chart {
		switch a.Metadata["role"] {
		case "receivables":
			if recv == "" {
				recv = a.Code
			}
		case "payables":
			if pay == "" {
				pay = a.Code
			}
		}
	}
	return recv, pay
}

// withRoles returns a copy of o with the control accounts and the VAT
// table looked up once, for a batch of many entries.
func (o *Options) withRoles() *Options {
	c := *o
	c.recv, c.pay = o.roles()
	c.tab, c.taxAccts = o.vatTable()
	c.rolesFound = true
	return &c
}

// vatTable returns the VAT table bookings are exported and imported with,
// and the set of VAT accounts: o.VAT, or for a chart without one (no
// Codes: the default chart) vat.Codes with the tax account of each code
// that has a BU-Schlüssel taken from the chart's meta.role — vat_output
// for output tax, vat_input for input tax (the default chart's 2120 and
// 1400 take every rate) — and no automatic accounts. The VAT accounts are
// the table's tax and deduct accounts and the chart's accounts of those
// roles.
func (o *Options) vatTable() (vat.Table, map[string]bool) {
	if o.rolesFound {
		return o.tab, o.taxAccts
	}
	t := o.VAT
	role := map[string]string{}
	accts := map[string]bool{}
	for _, a := range o.Chart {
		if r := a.Metadata["role"]; r == "vat_output" || r == "vat_input" {
			accts[a.Code] = true
			if role[r] == "" {
				role[r] = a.Code
			}
		}
	}
	if len(t.Codes) == 0 {
		t = vat.Table{Chart: o.VAT.Chart, Codes: vat.Codes()}
		for i, c := range t.Codes {
			switch {
			case c.BU == "" || c.Rate.IsZero() || c.DeductBox != "":
			case c.Direction == vat.Output:
				t.Codes[i].Account = role["vat_output"]
			case c.Direction == vat.Input:
				t.Codes[i].Account = role["vat_input"]
			}
		}
	}
	for _, c := range t.Codes {
		for _, a := range []string{c.Account, c.DeductAccount} {
			if a != "" {
				accts[a] = true
			}
		}
	}
	return t, accts
}

func (o *Options) check() error {
	if o.Consultant < 1001 || o.Consultant > 9999999 {
		return fmt.Errorf("%w: consultant number %d outside 1001–9999999", ErrInvalid, o.Consultant)
	}
	if o.Client < 1 || o.Client > 99999 {
		return fmt.Errorf("%w: client number %d outside 1–99999", ErrInvalid, o.Client)
	}
	if n := o.accountLength(); n < 4 || n > 8 {
		return fmt.Errorf("%w: account length %d outside 4–8", ErrInvalid, n)
	}
	return nil
}

// Booking is one DATEV booking (Buchungssatz): an amount between two
// accounts. Side is the side of Account; Contra takes the other.
//
// A booking of converted lines (ledger.Line.Base) is in their foreign
// currency: Amount is the Umsatz in that currency, Base the Basis-Umsatz
// in the book's currency that DATEV books, Rate the Kurs, units of
// Amount's currency per unit of Base's (DATEV's "WKZ-Umsatz :
// WKZ-Basisumsatz", see currency.go). Base and Rate are zero for a
// booking in the book's currency.
type Booking struct {
	Amount  money.Amount    // positive: Umsatz, in WKZ Umsatz
	Base    money.Amount    // positive: Basis-Umsatz, in WKZ Basis-Umsatz; zero if Amount is in the book's currency
	Rate    decimal.Decimal // Kurs, six decimals at most; zero if Base is
	Side    ledger.Side     // S (debit) or H (credit) of Account
	Account string          // Konto: a ledger account or a personal account
	Contra  string          // Gegenkonto (ohne BU-Schlüssel)
	BU      string          // BU-Schlüssel, or ""
	Date    date.Date       // Belegdatum
	Voucher string          // Belegfeld 1
	Text    string          // Buchungstext
	Kost1   string
	Kost2   string
	Info    [][2]string // Zusatzinformation: Art, Inhalt
	Locked  bool        // Festschreibung
}

// Foreign reports whether the booking is in a foreign currency (carries
// a Basis-Umsatz).
func (b Booking) Foreign() bool { return !b.Base.Currency().IsZero() }

// position is one line of an entry on its way into bookings.
type position struct {
	line    int // the line's index in the entry
	account string
	amount  money.Amount // signed, positive debits, in the book's currency: a converted line's base amount
	foreign money.Amount // a converted line's amount in its currency, signed; zero otherwise
	dims    map[string]string
	memo    string
	gross   bool // an automatic account's net amount with its tax merged in
	bu      string
	// coded says that the tax merged in is that of the line's VAT code
	// (vat.Dimension), asked for by the code's BU-Schlüssel in bu.
	coded    bool
	personal bool // account is the party's personal account
}

// Bookings splits a posted entry into DATEV bookings, exactly: for every
// account, the bookings' amounts on it add up to the entry's lines on it
// (tax merged into an automatic account counts on the tax account, as
// DATEV books it).
//
// The tax of a VAT account's line is merged into the lines of the same
// entry on that code's automatic accounts when DATEV, computing the tax
// from each gross amount, arrives at the same cents; otherwise the tax
// stays a booking on the VAT account and the automatic accounts' lines
// get BU-Schlüssel 40 (no automatic tax).
//
// The same holds for a VAT code (vat.Dimension) with a BU-Schlüssel
// (USt19 3, USt7 2, VSt19 9, VSt7 8): the tax of the VAT account lines
// carrying the code is merged into the same-signed lines carrying it on
// accounts that are neither VAT accounts, automatic accounts nor personal
// accounts, and their bookings get the code's BU-Schlüssel, the gross
// account as Gegenkonto (unless the other is a personal account), when
// DATEV, computing the tax from each gross amount, arrives at the same
// cents and would book it on the same VAT account (the code's account in
// o.VAT; for a chart without a VAT table, the chart's account of role
// vat_output or vat_input). Otherwise the tax stays a booking on the VAT
// account, the lines stay net without BU-Schlüssel, and a Notice says
// why. The code is then not repeated as a Zusatzinformation unless the
// other account's line carries it too. A code without a BU-Schlüssel
// (USt0, IGL, IGE19, RC19 …) is written as a Zusatzinformation only.
//
// An entry whose debits or credits
// are one line is split into one booking per line of the other side
// against it; any other is split in order, debit against credit, each
// booking taking the smaller remainder, so that n debit and m credit lines
// give at most n+m−1 bookings. A line on a control account carrying the
// party dimension is booked on the party's personal account.
//
// Lines in another currency than cur (the book's) are exported when they
// carry their base amount in cur (ledger.Line.Base): the split pairs
// lines by their amounts in cur, each line's foreign amount is spread
// over its bookings in proportion (money.Allocate, so the parts add up to
// it), and a booking that takes part of a converted line is in that
// line's currency, with the part as Umsatz, its amount in cur as
// Basis-Umsatz and the Kurs that converts one into the other (see
// Booking). So for every account the bookings add up to the entry's lines
// both in cur and in each foreign currency. Lines in cur on an account
// held in a foreign currency (revaluations, journal FX) are plain
// bookings in cur. An entry with converted lines has its VAT booked
// directly, its automatic accounts with BU-Schlüssel 40, its lines with a
// VAT code without one (with a Notice): how DATEV splits the tax of a
// foreign-currency booking is not documented to the cent.
//
// Bookings refuses, with an *EntryError, a line in another currency
// without a base amount in cur, a converted line whose base amount is
// 0.00 (DATEV's Basis-Umsatz cannot be 0), one booking between lines in
// two foreign currencies or in one at different rates, a foreign amount
// with more than two decimals or whose rate has more than four digits
// before the comma, a party number that is no personal account of the
// account length, an account number too long, and two lines of one
// booking with different values of the same dimension. Notices report
// texts cut or transliterated, a Kurs below 1 (outside the expression
// DATEV publishes for it) and a Kurs of six decimals that does not
// convert the Umsatz back to the cent of Basis-Umsatz.
func Bookings(p ledger.Posted, cur money.Currency, o *Options) ([]Booking, []Notice, error) {
	fail := func(err error, format string, args ...any) error {
		return &EntryError{Seq: p.Seq, Key: p.Key, Reason: fmt.Sprintf(format, args...), Err: err}
	}
	recv, pay := o.roles()
	n := o.accountLength()
	var pos []position
	foreign := false
	for i, l := range p.Lines {
		ps := position{line: i, account: l.Account, amount: l.Amount, memo: l.Memo, dims: maps.Clone(l.Dimensions)}
		switch c := l.Amount.Currency(); {
		case c == cur && !l.Converted():
		case !l.Converted():
			return nil, nil, fail(ErrUnsupported, "line %d is in %s without a base amount in %s", i+1, c.Code(), cur.Code())
		case c == cur || l.Base.Currency() != cur:
			return nil, nil, fail(ErrUnsupported, "line %d in %s has a base amount in %s, the batch is in %s", i+1, c.Code(), l.Base.Currency().Code(), cur.Code())
		case l.Base.IsZero():
			return nil, nil, fail(ErrUnsupported, "line %d: %s converts to %s, and DATEV's Basis-Umsatz cannot be 0", i+1, l.Amount, l.Base)
		default:
			ps.amount, ps.foreign = l.Base, l.Amount
			foreign = true
		}
		if party, ok := ps.dims[o.partyDim()]; ok && (l.Account == recv || l.Account == pay) && recv != "" {
			if len(party) != n+1 || !digits(party) || party[0] == '0' {
				return nil, nil, fail(ErrUnsupported, "line %d: party %q is no %d-digit DATEV personal account", i+1, party, n+1)
			}
			if customer := party[0] <= '6'; customer != (l.Account == recv) {
				return nil, nil, fail(ErrUnsupported, "line %d: party %q is not in the number range of account %s", i+1, party, l.Account)
			}
			ps.account, ps.personal = party, true
			delete(ps.dims, o.partyDim())
		} else if len(l.Account) > n || !digits(l.Account) {
			return nil, nil, fail(ErrUnsupported, "line %d: account %q is no DATEV account of at most %d digits", i+1, l.Account, n)
		}
		pos = append(pos, ps)
	}
	var notices []Notice
	note := func(field, what string) {
		if what != "" {
			notices = append(notices, Notice{Entry: p.Seq, Field: field, What: what})
		}
	}
	tab, taxAccts := o.vatTable()
	merged, taxNotes, err := mergeTax(pos, tab, taxAccts)
	if err != nil {
		return nil, nil, fail(ErrInvalid, "%v", err)
	}
	var pairs []pair
	split := false
	if foreign {
		pairs, _ = pairUp(noAutomatic(pos, tab))
	} else if pairs, split = pairUp(merged); split {
		// A gross amount split over several bookings would have its tax
		// computed per booking: book the tax separately instead.
		pairs, _ = pairUp(noAutomatic(pos, tab))
	}
	for _, tn := range taxNotes {
		switch {
		case tn.why != "":
		case foreign:
			tn.why = "how DATEV splits the tax of a foreign-currency booking is not documented to the cent"
		case split:
			tn.why = "a gross amount would be split over several bookings, each taxed on its own"
		default:
			continue
		}
		note("BU-Schlüssel", tn.String())
	}
	// parts[i] are the foreign amounts of pairs[i]'s main and other
	// positions: each converted line's amount spread over its pairs in
	// proportion to their amounts in cur.
	var parts [][2]money.Amount
	if foreign {
		parts = make([][2]money.Amount, len(pairs))
		for _, ps := range pos {
			if ps.foreign.Currency().IsZero() {
				continue
			}
			var idx [][2]int // pair, side
			var w []int64
			for i, pr := range pairs {
				for side, q := range [2]position{pr.main, pr.other} {
					if q.line == ps.line {
						idx = append(idx, [2]int{i, side})
						w = append(w, pr.amount.MinorUnits())
					}
				}
			}
			split, err := money.Allocate(ps.foreign.Abs(), w...)
			if err != nil {
				return nil, nil, fail(ErrInvalid, "line %d: %v", ps.line+1, err)
			}
			for k, at := range idx {
				if split[k].IsZero() {
					return nil, nil, fail(ErrUnsupported, "line %d: %s cannot be split over %d bookings without one of 0", ps.line+1, ps.foreign.Abs(), len(idx))
				}
				parts[at[0]][at[1]] = split[k]
			}
		}
	}
	voucher, what := voucherText(p.Voucher)
	note("Belegfeld 1", what)
	locked := o.Locked != nil && o.Locked(p.Date)
	out := make([]Booking, 0, len(pairs))
	for i, pr := range pairs {
		if pr.main.coded && !pr.other.coded && !pr.other.personal {
			// DATEV computes a BU-Schlüssel's tax on the Gegenkonto unless
			// that is a personal account (see ReadBookings).
			pr.main, pr.other = pr.other, pr.main
		}
		b := Booking{Amount: pr.amount, Side: ledger.SideDebit, Account: pr.main.account, Contra: pr.other.account,
			Date: p.Date, Voucher: voucher, Locked: locked}
		if pr.main.amount.IsNegative() {
			b.Side = ledger.SideCredit
		}
		if fm, fo := partsOf(parts, i); !fm.Currency().IsZero() || !fo.Currency().IsZero() {
			f := fm
			switch {
			case f.Currency().IsZero():
				f = fo
			case fo.Currency().IsZero():
			case fm.Currency() != fo.Currency():
				return nil, nil, fail(ErrUnsupported, "accounts %s and %s of one booking are in %s and %s: a DATEV booking has one currency",
					pr.main.account, pr.other.account, fm.Currency().Code(), fo.Currency().Code())
			case !fm.Equal(fo):
				return nil, nil, fail(ErrUnsupported, "accounts %s and %s of one booking are in %s at different rates (%s and %s for %s)",
					pr.main.account, pr.other.account, fm.Currency().Code(), fm, fo, pr.amount)
			}
			if _, err := umsatz(f); err != nil {
				return nil, nil, fail(ErrUnsupported, "account %s: %v", pr.main.account, err)
			}
			rate, what, err := kurs(f, pr.amount)
			if err != nil {
				return nil, nil, fail(ErrUnsupported, "accounts %s and %s: %v", pr.main.account, pr.other.account, err)
			}
			note("Kurs", what)
			b.Amount, b.Base, b.Rate = f, pr.amount, rate
		}
		b.BU = cmpOr(pr.main.bu, pr.other.bu)
		if pr.main.bu != "" && pr.other.bu != "" {
			return nil, nil, fail(ErrUnsupported, "accounts %s and %s both need a BU-Schlüssel in one booking", pr.main.account, pr.other.account)
		}
		dims := map[string]string{}
		for _, d := range []map[string]string{pr.main.dims, pr.other.dims} {
			for k, v := range d {
				if w, ok := dims[k]; ok && w != v {
					return nil, nil, fail(ErrUnsupported, "accounts %s and %s of one booking carry different values of dimension %q", pr.main.account, pr.other.account, k)
				}
				dims[k] = v
			}
		}
		if gross, plain := pr.other, pr.main; gross.coded || plain.coded {
			if plain.coded {
				plain = gross
			}
			if plain.dims[vat.Dimension] == "" {
				// The BU-Schlüssel says the code; ReadBookings gives it to
				// the gross line and its tax line, not to the other account.
				delete(dims, vat.Dimension)
			}
		}
		text := cmpOr(pr.other.memo, cmpOr(pr.main.memo, p.Description))
		var what string
		b.Text, what = ansi(text, 60)
		note("Buchungstext", what)
		for _, k := range []struct {
			dim  string
			dest *string
			name string
		}{{o.kost1Dim(), &b.Kost1, "KOST1 - Kostenstelle"}, {o.Kost2Dimension, &b.Kost2, "KOST2 - Kostenstelle"}} {
			if k.dim == "" {
				continue
			}
			if v, ok := dims[k.dim]; ok {
				if len(v) > 36 || !kostChars(v) {
					return nil, nil, fail(ErrUnsupported, "dimension %q value %q is no DATEV cost centre (at most 36 letters and digits)", k.dim, v)
				}
				*k.dest = v
				delete(dims, k.dim)
			}
		}
		keys := slices.Sorted(maps.Keys(dims))
		if len(keys) > nZusatz {
			return nil, nil, fail(ErrUnsupported, "%d dimensions, DATEV takes %d", len(keys), nZusatz)
		}
		for _, k := range keys {
			art, w1 := ansi(k, 20)
			val, w2 := ansi(dims[k], 210)
			if w1 != "" || w2 != "" {
				return nil, nil, fail(ErrUnsupported, "dimension %q does not fit a Zusatzinformation (name at most 20, value at most 210 Windows-1252 characters)", k)
			}
			b.Info = append(b.Info, [2]string{art, val})
		}
		out = append(out, b)
	}
	return out, notices, nil
}

// partsOf returns the foreign amounts of pair i, zero if there are none.
func partsOf(parts [][2]money.Amount, i int) (main, other money.Amount) {
	if parts == nil {
		return money.Amount{}, money.Amount{}
	}
	return parts[i][0], parts[i][1]
}

func kostChars(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// voucherText returns the voucher as DATEV's Belegfeld 1 takes it: at most
// 36 of the characters A–Z, a–z, 0–9, _ $ & % * + - /; others become '-'.
func voucherText(v string) (string, string) {
	var sb strings.Builder
	var what []string
	for _, r := range v {
		if r < 128 && (r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || strings.ContainsRune("_$&%*+-/", r)) {
			sb.WriteRune(r)
			continue
		}
		sb.WriteByte('-')
		what = append(what, fmt.Sprintf("%q replaced by '-'", r))
	}
	s := sb.String()
	if len(s) > 36 {
		s = s[:36]
		what = append(what, "cut to 36 characters")
	}
	return s, strings.Join(what, "; ")
}

// mergeTax merges each VAT account line's tax into the same-signed lines
// on the code's automatic accounts when DATEV's computation from the gross
// gives back the same tax for each. Then it merges the tax of VAT account
// lines carrying a VAT code (vat.Dimension) with a BU-Schlüssel, summed
// per account, code and sign, into the same-signed lines carrying that
// code on accounts that are neither VAT nor automatic accounts nor
// personal accounts, under the same condition, and marks them with the
// code's BU-Schlüssel. It returns a taxNote for each such code's tax with
// lines to merge into: why empty when merged. See Bookings.
func mergeTax(pos []position, t vat.Table, taxAccts map[string]bool) ([]position, []taxNote, error) {
	out := slices.Clone(pos)
	drop := map[int]bool{}
	for i, ps := range pos {
		code, ok := t.ByAccount(ps.account)
		if !ok || code.Rate.IsZero() {
			continue
		}
		var nets []int
		var w []int64
		for j, q := range pos {
			if slices.Contains(code.Automatic, q.account) && q.amount.Sign() == ps.amount.Sign() && !out[j].gross {
				nets = append(nets, j)
				w = append(w, q.amount.Abs().MinorUnits())
			}
		}
		if len(nets) == 0 {
			continue
		}
		parts, why, err := grossUp(code, ps.amount, pos, nets, w)
		if err != nil {
			return nil, nil, err
		}
		if why != "" {
			continue
		}
		for k, j := range nets {
			out[j].amount, _ = pos[j].amount.Add(parts[k])
			out[j].gross = true
		}
		drop[i] = true
	}
	var notes []taxNote
	done := map[int]bool{}
	for i, ps := range pos {
		name := ps.dims[vat.Dimension]
		if drop[i] || done[i] || !taxAccts[ps.account] || name == "" {
			continue
		}
		ci := slices.IndexFunc(t.Codes, func(c vat.Code) bool { return c.Code == name })
		if ci < 0 || t.Codes[ci].BU == "" || t.Codes[ci].Rate.IsZero() {
			continue
		}
		code := t.Codes[ci]
		tn := taxNote{code: code, account: ps.account, tax: ps.amount}
		var group []int
		for k := i; k < len(pos); k++ {
			q := pos[k]
			if !drop[k] && !done[k] && q.account == ps.account && q.dims[vat.Dimension] == name && q.amount.Sign() == ps.amount.Sign() {
				group = append(group, k)
				done[k] = true
				if k != i {
					tn.tax, _ = tn.tax.Add(q.amount)
				}
			}
		}
		var nets []int
		var w []int64
		for j, q := range pos {
			if q.dims[vat.Dimension] == name && q.amount.Sign() == ps.amount.Sign() && !out[j].gross &&
				!taxAccts[q.account] && !q.personal {
				if _, auto := t.AutomaticFor(q.account); !auto {
					nets = append(nets, j)
					w = append(w, q.amount.Abs().MinorUnits())
					tn.nets = append(tn.nets, q.account)
				}
			}
		}
		if len(nets) == 0 {
			continue
		}
		var parts []money.Amount
		if code.Account != ps.account {
			tn.why = fmt.Sprintf("BU-Schlüssel %s would book the tax on %s", code.BU, cmpOr(code.Account, "no account of the chart"))
		} else {
			var err error
			if parts, tn.why, err = grossUp(code, tn.tax, pos, nets, w); err != nil {
				return nil, nil, err
			}
		}
		notes = append(notes, tn)
		if tn.why != "" {
			continue
		}
		for k, j := range nets {
			out[j].amount, _ = pos[j].amount.Add(parts[k])
			out[j].gross, out[j].coded, out[j].bu = true, true, code.BU
		}
		for _, k := range group {
			drop[k] = true
		}
	}
	res := out[:0:0]
	for i, ps := range out {
		if drop[i] {
			continue
		}
		if _, auto := t.AutomaticFor(ps.account); auto && !ps.gross {
			ps.bu = vat.BUNoAutomatic
		}
		res = append(res, ps)
	}
	return res, notes, nil
}

// grossUp spreads tax over the positions nets of pos by the weights w
// (money.Allocate) and returns the parts, or why DATEV, computing code's
// tax from each gross amount (vat.Code.TaxOfGross), would not arrive at
// them: "" if it would.
func grossUp(code vat.Code, tax money.Amount, pos []position, nets []int, w []int64) ([]money.Amount, string, error) {
	parts, err := money.Allocate(tax, w...)
	if err != nil {
		return nil, "", err
	}
	for k, j := range nets {
		g, err := pos[j].amount.Add(parts[k])
		if err != nil {
			return nil, "", err
		}
		if got := code.TaxOfGross(g); !got.Equal(parts[k]) {
			return parts, fmt.Sprintf("DATEV would compute %s from the gross %s on %s, not %s", got.Abs(), g.Abs(), pos[j].account, parts[k].Abs()), nil
		}
	}
	return parts, "", nil
}

// taxNote tells what became of the tax of one VAT code on one VAT account
// that lines with the code could take as gross amounts.
type taxNote struct {
	code    vat.Code
	account string       // the VAT account
	tax     money.Amount // the tax on it, signed
	nets    []string     // the accounts of the lines with the code
	why     string       // why the tax is booked on its own; "" if merged
}

// String says that the tax is booked on its own, and why.
func (tn taxNote) String() string {
	return fmt.Sprintf("tax %s of VAT code %s on %s booked on its own, %s without BU-Schlüssel %s: %s",
		tn.tax.Abs(), tn.code.Code, tn.account, strings.Join(slices.Compact(slices.Sorted(slices.Values(tn.nets))), ", "), tn.code.BU, tn.why)
}

// noAutomatic returns pos with every automatic account's line marked BU 40.
func noAutomatic(pos []position, t vat.Table) []position {
	out := slices.Clone(pos)
	for i := range out {
		if _, auto := t.AutomaticFor(out[i].account); auto {
			out[i].bu = vat.BUNoAutomatic
		}
	}
	return out
}

type pair struct {
	main, other position
	amount      money.Amount
}

// pairUp pairs debit and credit positions into bookings and reports
// whether a gross position had to be split over several.
func pairUp(pos []position) ([]pair, bool) {
	var deb, cred []position
	for _, ps := range pos {
		if ps.amount.IsNegative() {
			cred = append(cred, ps)
		} else {
			deb = append(deb, ps)
		}
	}
	var out []pair
	switch {
	case len(cred) == 1 && (len(deb) > 1 || deb[0].gross && !cred[0].gross):
		for _, d := range deb {
			out = append(out, pair{main: cred[0], other: d, amount: d.amount})
		}
		return out, false
	case len(deb) == 1:
		for _, c := range cred {
			out = append(out, pair{main: deb[0], other: c, amount: c.amount.Abs()})
		}
		return out, false
	}
	split := false
	i, j := 0, 0
	dr, cr := deb[0].amount, cred[0].amount.Abs()
	for i < len(deb) && j < len(cred) {
		c, _ := dr.Cmp(cr)
		amt := dr
		if c > 0 {
			amt = cr
		}
		if c != 0 {
			if c > 0 && deb[i].gross || c < 0 && cred[j].gross {
				split = true
			}
		}
		out = append(out, pair{main: deb[i], other: cred[j], amount: amt})
		dr, _ = dr.Sub(amt)
		cr, _ = cr.Sub(amt)
		if dr.IsZero() {
			if i++; i < len(deb) {
				dr = deb[i].amount
			}
		}
		if cr.IsZero() {
			if j++; j < len(cred) {
				cr = cred[j].amount.Abs()
			}
		}
	}
	return out, split
}

// blankBooking returns the 125 fields of a booking with no values: text
// columns are quoted even when empty.
func blankBooking() []field {
	f := make([]field, len(bookingColumns))
	for i, name := range bookingColumns {
		f[i] = field{text: textColumn(name)}
	}
	return f
}

// fields returns the booking's 125 fields.
func (b Booking) fields() []field {
	f := blankBooking()
	b.fill(f)
	return f
}

// fill sets the booking's values in f, a copy of blankBooking().
func (b Booking) fill(f []field) {
	// Bookings checked that the Umsatz can be written.
	u, _ := umsatz(b.Amount)
	f[colUmsatz] = field{s: u}
	sh := "S"
	if b.Side == ledger.SideCredit {
		sh = "H"
	}
	f[colSH] = field{s: sh, text: true}
	f[colWKZ] = field{s: b.Amount.Currency().Code(), text: true}
	if b.Foreign() {
		f[colKurs] = field{s: kursText(b.Rate)}
		f[colBasis] = field{s: amount(b.Base)}
		f[colWKZBasis] = field{s: b.Base.Currency().Code(), text: true}
	}
	f[colKonto] = field{s: b.Account}
	f[colGegenkonto] = field{s: b.Contra}
	f[colBU] = field{s: b.BU, text: true}
	_, m, d := b.Date.Date()
	f[colBelegdatum] = field{s: fmt.Sprintf("%02d%02d", d, int(m))}
	f[colBelegfeld1] = field{s: b.Voucher, text: true}
	f[colBuchtext] = field{s: b.Text, text: true}
	f[colKost1] = field{s: b.Kost1, text: true}
	f[colKost2] = field{s: b.Kost2, text: true}
	for i, kv := range b.Info {
		f[colZusatz+2*i] = field{s: kv[0], text: true}
		f[colZusatz+2*i+1] = field{s: kv[1], text: true}
	}
	if b.Locked {
		f[colFestschreib] = field{s: "1"}
	} else {
		f[colFestschreib] = field{s: "0"}
	}
}

// numericColumns are the booking columns written without quotes.
var numericColumns = map[string]bool{
	"Umsatz (ohne Soll/Haben-Kz)": true, "Kurs": true, "Basis-Umsatz": true, "Konto": true,
	"Gegenkonto (ohne BU-Schlüssel)": true, "Belegdatum": true, "Skonto": true, "Postensperre": true,
	"Zinssperre": true, "Kost-Menge": true, "EU-Steuersatz (Bestimmung)": true, "Sachverhalt L+L": true,
	"Funktionsergänzung L+L": true, "BU 49 Hauptfunktionstyp": true, "BU 49 Hauptfunktionsnummer": true,
	"BU 49 Funktionsergänzung": true, "Stück": true, "Gewicht": true, "Zahlweise": true,
	"Veranlagungsjahr": true, "Zugeordnete Fälligkeit": true, "Skontotyp": true,
	"Sachverhalt L+L (Anzahlungen)": true, "EU-Steuersatz (Anzahlungen)": true, "Erlöskonto (Anzahlungen)": true,
	"KOST-Datum": true, "Skontosperre": true, "Beteiligtennummer": true, "Postensperre bis": true,
	"Kennzeichen SoBil-Buchung": true, "Festschreibung": true, "Leistungsdatum": true,
	"Datum Zuord. Steuerperiode": true, "Fälligkeit": true, "Steuersatz": true, "EU-Steuersatz (Ursprung)": true,
	"Abw. Skontokonto": true, "Diverse Adressnummer": false,
}

func textColumn(name string) bool { return !numericColumns[name] }

// Result tells what an export wrote.
type Result struct {
	Entries  int      // ledger entries exported
	Bookings int      // DATEV bookings written
	Notices  []Notice // values changed so that DATEV can take them, and Kurs warnings
}

// EntrySource is what WriteBookings reads entries from; *ledger.Ledger
// implements it.
type EntrySource interface {
	Entries(ctx context.Context, book string, q ledger.EntryQuery) ([]ledger.Posted, error)
}

// pageSize is how many entries WriteBookings reads at a time: memory stays
// flat in the number of entries.
const pageSize = 2000

// WriteBookings writes the entries of book dated from to to (inclusive) as
// an EXTF Buchungsstapel (data category 21, format version 13, header
// version 700) to w: Windows-1252, fields separated by ';', lines ended by
// CRLF, amounts with a decimal comma, the header line, the column
// headings, and one line per booking (see Bookings). from and to must lie
// in one fiscal year of the book, as DATEV's batches do; year-end closing
// entries (journal CLOSE) are left out, DATEV closes its own years.
//
// Entries are read and written a page at a time. On an error the output is
// incomplete: write to a temporary file and keep it only on success.
func WriteBookings(ctx context.Context, w io.Writer, src EntrySource, book ledger.Book, from, to date.Date, o *Options) (Result, error) {
	var res Result
	if err := o.check(); err != nil {
		return res, err
	}
	fy, _ := book.PeriodOf(from)
	if fy2, _ := book.PeriodOf(to); fy2 != fy || to.Before(from) {
		return res, fmt.Errorf("%w: %s to %s is not a range within one fiscal year", ErrInvalid, from, to)
	}
	start, _ := book.FiscalYearRange(fy)
	created := o.Created
	if created.IsZero() {
		created = time.Now()
	}
	desc, what := ansi(cmpOr(o.Description, "Buchungsstapel"), 30)
	if what != "" {
		res.Notices = append(res.Notices, Notice{Field: "Bezeichnung", What: what})
	}
	initials, _ := ansi(o.Initials, 2)
	h := Header{Kind: "EXTF", Category: CategoryBookings, Format: FormatBookings, FormatVersion: VersionBookings,
		Created: created, Origin: "RE", Consultant: o.Consultant, Client: o.Client, FiscalYear: start,
		AccountLength: o.accountLength(), From: from, To: to, Description: desc, Initials: initials,
		BookingType: 1, Currency: book.Currency.Code(), Chart: chartCode(o.VAT.Chart)}
	enc := newEncoder(w)
	if err := enc.line(h.fields()); err != nil {
		return res, err
	}
	heads := make([]field, len(bookingColumns))
	for i, c := range bookingColumns {
		heads[i] = field{s: c}
	}
	if err := enc.line(heads); err != nil {
		return res, err
	}
	o = o.withRoles()
	blank, f := blankBooking(), make([]field, len(bookingColumns))
	q := ledger.EntryQuery{From: from, To: to, Limit: pageSize}
	for {
		page, err := src.Entries(ctx, book.ID, q)
		if err != nil {
			return res, err
		}
		for _, p := range page {
			if p.Journal == ledger.JournalClosing {
				continue
			}
			bs, notices, err := Bookings(p, book.Currency, o)
			if err != nil {
				return res, err
			}
			res.Notices = append(res.Notices, notices...)
			for _, b := range bs {
				copy(f, blank)
				b.fill(f)
				if err := enc.line(f); err != nil {
					return res, err
				}
			}
			res.Entries++
			res.Bookings += len(bs)
		}
		if len(page) < pageSize {
			break
		}
		q.After = page[len(page)-1].Seq
	}
	return res, enc.flush()
}

// chartCode returns DATEV's Sachkontenrahmen number for a chart name.
func chartCode(chart string) string {
	if strings.HasPrefix(chart, "SKR") {
		if _, err := strconv.Atoi(chart[3:]); err == nil {
			return chart[3:]
		}
	}
	return ""
}
