package journal

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/fx"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// typeLetters are the hledger type codes of the ledger's account types.
var typeLetters = map[ledger.AccountType]string{
	ledger.Asset: "A", ledger.Liability: "L", ledger.Equity: "E", ledger.Revenue: "R", ledger.Expense: "X",
}

// Write writes accounts as account directives and entries as
// transactions, in the order given, as an hledger journal that hledger
// (hledger check -s included) and Read read back with the same balances:
//
//   - Account names are hledger names. An account whose code is Code of its
//     name (as the importer makes them) keeps that name, spaces and all;
//     any other (a numeric chart) is written as the path of "CODE Name"
//     segments from its top-level ancestor ("1000 Assets:1100 Current
//     assets:1120 Bank"), its directive carrying "code:" and "name:" tags
//     that Read restores.
//   - Each account directive has a type tag: C (cash) for an asset account
//     with meta.role cash or bank or meta.cashflow cash, else A, L, E, R or X.
//   - A "commodity" directive declares each currency the entries and rates
//     use; every amount is written, as "EUR 1190.00". A currency with a
//     Style recorded in an account's Metadata (StyleKey, as the journal
//     import records the source's styles) is declared and written in that
//     style instead ("commodity 1.000,00 EUR", "-1.234,50 EUR"), the
//     first account's style where several record one, so that hledger
//     shows the export's amounts as it showed the source's; all decimals
//     are written, the directive's precision sets hledger's display. A
//     recorded style is not used where Read could not read it back: three
//     decimals without the other mark grouping digits ("1000.000",
//     "1 000,000": ambiguous to Read), or a
//     decimal comma on an ISO code the P directives use ("0.90 EUR");
//     where rates use a currency styled with a symbol ("$"), its ISO code
//     is declared too.
//   - A line with a base amount (ledger.Line.Base: a foreign-currency line
//     as booked in the book's currency) is written with it as its total
//     cost, "USD 11000.00 @@ EUR 9900.00", so that hledger balances the
//     transaction in the base currency as the ledger does, hledger's
//     cost reports (-B) show the booked base amounts, and EntriesIn reads
//     the same Base back. The cost is written without a sign, as hledger
//     wants it; the amount gives it.
//   - rates, if any, are written as P directives after the commodity
//     directives ("P 2025-01-15 USD 0.90 EUR  ; source: ECB", see
//     fx.WritePriceDirectives), in the order given, so that hledger can
//     value the accounts (-X EUR, --value) and Journal.Rates reads them
//     back.
//   - The entry's key, journal and metadata are field comment lines
//     ("; key: inv-1001"), its description one too if it holds a ';'; status
//     marks and secondary dates are in the header; line memos are posting
//     comments and dimensions "; dim.NAME: VALUE" lines.
//
// A journal without rates, base amounts or recorded styles is written
// exactly as before any of them existed. Write fails, writing nothing
// useful, on a rate that fx.Rate.Validate refuses, on a base amount in its
// line's own currency and on a recorded style that does not parse
// (ParseStyle) or is not of its key's currency.
//
// Write is safe for concurrent use if its arguments are not modified meanwhile.
func Write(w io.Writer, accounts []ledger.Account, entries []ledger.Entry, rates ...fx.Rate) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	names := hledgerNames(accounts)
	curs := map[string]int{} // currency code → minor units
	for _, e := range entries {
		for _, l := range e.Lines {
			c := l.Amount.Currency()
			curs[c.Code()] = c.MinorUnits()
			if l.Converted() {
				if l.Base.Currency() == c {
					return fmt.Errorf("journal: entry %q: a base amount in the line's own currency %s", e.Key, c.Code())
				}
				curs[l.Base.Currency().Code()] = l.Base.Currency().MinorUnits()
			}
		}
	}
	styles, err := accountStylesOf(accounts)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	for code, st := range styles {
		if st.Precision == 3 && st.Group != other(st.Mark) {
			delete(styles, code) // "1000.000 EUR" would not show Read its decimal mark
		}
	}
	rated := map[string]bool{} // currencies the P directives write as ISO codes
	for _, r := range rates {
		curs[r.From.Code()] = r.From.MinorUnits()
		curs[r.To.Code()] = r.To.MinorUnits()
		rated[r.From.Code()], rated[r.To.Code()] = true, true
	}
	for code := range rated {
		if st, ok := styles[code]; ok && st.Commodity == code && st.Mark != '.' {
			delete(styles, code) // P directives write "0.90 EUR": a decimal point
		}
	}
	for _, c := range slices.Sorted(maps.Keys(curs)) {
		st, ok := styles[c]
		if ok {
			bw.WriteString("commodity ")
			bw.WriteString(st.String())
			bw.WriteByte('\n')
		}
		if !ok || rated[c] && st.Commodity != c {
			bw.WriteString("commodity ")
			bw.WriteString(commoditySample(c, curs[c]))
			bw.WriteByte('\n')
		}
	}
	if len(curs) > 0 {
		bw.WriteByte('\n')
	}
	if len(rates) > 0 {
		if err := fx.WritePriceDirectives(bw, rates); err != nil {
			return fmt.Errorf("journal: %w", err)
		}
		bw.WriteByte('\n')
	}
	for _, a := range accounts {
		n := names[a.Code]
		if !writable(n.name) {
			return fmt.Errorf("journal: account %s: %q cannot be written as an hledger account name", a.Code, n.name)
		}
		bw.WriteString("account ")
		bw.WriteString(n.name)
		var tags []string
		if t, ok := typeLetters[a.Type]; ok {
			if a.Type == ledger.Asset && isCash(a) {
				t = "C"
			}
			tags = append(tags, "type: "+t)
		}
		if n.tagged {
			tags = append(tags, "code: "+a.Code)
		}
		if a.Name != "" && a.Name != n.name {
			tags = append(tags, "name: "+oneLine(a.Name)) // last: a name tag runs to the end
		}
		if len(tags) > 0 {
			bw.WriteString("  ; ")
			bw.WriteString(strings.Join(tags, ", "))
		}
		bw.WriteByte('\n')
	}
	if len(accounts) > 0 {
		bw.WriteByte('\n')
	}
	for _, e := range entries {
		for i, l := range e.Lines {
			n, ok := names[l.Account]
			if !ok {
				n.name = l.Account
			}
			if !writable(n.name) {
				return fmt.Errorf("journal: entry %q: account code %q cannot be written as an hledger account name", e.Key, l.Account)
			}
			if i == 0 {
				e.Lines = slices.Clone(e.Lines) // e is a copy, its lines are the caller's
			}
			e.Lines[i].Account = n.name
		}
		writeEntry(bw, e, styles)
	}
	return bw.Flush()
}

// commoditySample is the rest of a commodity directive for currency code
// with minor decimals, so that hledger and Read agree on its decimal mark:
// "EUR 1000.00", "BHD 1,000.000" (three decimals alone would be ambiguous),
// or the bare code for a currency without decimals.
func commoditySample(code string, minor int) string {
	switch {
	case minor <= 0:
		return code
	case minor == 3:
		return code + " 1,000.000"
	}
	return code + " 1000." + strings.Repeat("0", minor)
}

// isCash reports whether a is a cash fund account (hledger type C).
func isCash(a ledger.Account) bool {
	r := a.Metadata["role"]
	return r == "cash" || r == "bank" || a.Metadata["cashflow"] == "cash"
}

// hledgerName is the name Write gives an account, and whether it needs a
// code tag to be read back under its code.
type hledgerName struct {
	name   string
	tagged bool
}

// hledgerNames returns the hledger name of each account by code.
func hledgerNames(accounts []ledger.Account) map[string]hledgerName {
	byCode := make(map[string]ledger.Account, len(accounts))
	for _, a := range accounts {
		byCode[a.Code] = a
	}
	out := make(map[string]hledgerName, len(accounts))
	for _, a := range accounts {
		if a.Name != "" && Code(a.Name) == a.Code && writable(a.Name) {
			out[a.Code] = hledgerName{name: a.Name}
			continue
		}
		// "CODE Name" segments from the top-level ancestor.
		var segs []string
		seen := map[string]bool{}
		for x, ok := a, true; ok && !seen[x.Code]; x, ok = byCode[x.Parent] {
			seen[x.Code] = true
			seg := x.Code
			if nm := segment(x.Name); nm != "" && nm != x.Code {
				seg += " " + nm
			}
			segs = append(segs, seg)
			if x.Parent == "" {
				break
			}
		}
		slices.Reverse(segs)
		out[a.Code] = hledgerName{name: strings.Join(segs, ":"), tagged: true}
	}
	return out
}

// segment makes s one segment of an hledger account name: no ':' (a
// level), ';' (a comment), tabs or double spaces (the end of the name).
func segment(s string) string {
	s = strings.NewReplacer(":", "-", ";", ",", "\t", " ", "\n", " ").Replace(s)
	for strings.Contains(s, "  ") {
		s = strings.ReplaceAll(s, "  ", " ")
	}
	return strings.TrimSpace(s)
}

// writable reports whether hledger reads name back as that account name:
// not a status mark, comment, virtual posting or empty, no tab, line break
// or ';', no double space (which ends a name) and no space at either end.
func writable(name string) bool {
	return name != "" && name != "*" && name != "!" && !strings.ContainsAny(name[:1], ";#([ ") &&
		!strings.ContainsAny(name, "\t\n;") && !strings.Contains(name, "  ") && !strings.HasSuffix(name, " ")
}

// writeEntry writes e, its amounts in their currencies' styles, if any.
func writeEntry(bw *bufio.Writer, e ledger.Entry, styles map[string]Style) {
	bw.WriteString(e.Date.String())
	if d2, err := date.Parse(e.Metadata[MetaDate2]); err == nil {
		bw.WriteByte('=')
		bw.WriteString(d2.String())
	}
	if st := parseStatus(e.Metadata[MetaStatus]); st != Unmarked {
		bw.WriteByte(' ')
		bw.WriteByte(byte(st))
	}
	voucher := e.Voucher
	if voucher != "" && !strings.ContainsAny(voucher, "();\n") {
		bw.WriteString(" (")
		bw.WriteString(voucher)
		bw.WriteByte(')')
		voucher = ""
	}
	desc := e.Description
	if strings.ContainsAny(desc, ";\n") {
		desc = ""
	}
	if desc != "" {
		bw.WriteByte(' ')
		bw.WriteString(desc)
	}
	bw.WriteByte('\n')
	field := func(name, v string) {
		if v != "" {
			bw.WriteString("    ; ")
			bw.WriteString(name)
			bw.WriteString(": ")
			bw.WriteString(oneLine(v))
			bw.WriteByte('\n')
		}
	}
	field("key", e.Key)
	field("journal", e.Journal)
	field("voucher", voucher)
	if desc == "" {
		field("description", e.Description)
	}
	if e.Reverses != 0 {
		field("reverses", strconv.FormatUint(e.Reverses, 10))
	}
	if e.Adjusts != 0 {
		field("adjusts", strconv.FormatUint(e.Adjusts, 10))
	}
	for _, k := range slices.Sorted(maps.Keys(e.Metadata)) {
		if written(e.Metadata, k) {
			continue
		}
		if k == "comment" {
			for _, c := range strings.Split(e.Metadata[k], "\n") {
				bw.WriteString("    ; ")
				bw.WriteString(c)
				bw.WriteByte('\n')
			}
			continue
		}
		field("meta."+k, e.Metadata[k])
	}
	for _, l := range e.Lines {
		bw.WriteString("    ")
		if st := parseStatus(l.Dimensions[DimStatus]); st != Unmarked {
			bw.WriteByte(byte(st))
			bw.WriteByte(' ')
		}
		bw.WriteString(l.Account)
		bw.WriteString("  ")
		bw.WriteString(formatAmount(l.Amount, styles))
		if l.Converted() {
			bw.WriteString(" @@ ")
			bw.WriteString(formatAmount(l.Base.Abs(), styles))
		}
		memo := strings.Split(l.Memo, "\n")
		if l.Memo != "" {
			bw.WriteString("  ; ")
			bw.WriteString(memo[0])
		}
		bw.WriteByte('\n')
		if l.Memo != "" {
			for _, c := range memo[1:] {
				bw.WriteString("        ; ")
				bw.WriteString(c)
				bw.WriteByte('\n')
			}
		}
		for _, k := range slices.Sorted(maps.Keys(l.Dimensions)) {
			if k == DimStatus && parseStatus(l.Dimensions[k]) != Unmarked {
				continue
			}
			bw.WriteString("        ; dim.")
			bw.WriteString(k)
			bw.WriteString(": ")
			bw.WriteString(oneLine(l.Dimensions[k]))
			bw.WriteByte('\n')
		}
	}
	bw.WriteByte('\n')
}

// formatAmount writes a in its currency's style, else as "EUR -1190.00".
func formatAmount(a money.Amount, styles map[string]Style) string {
	if st, ok := styles[a.Currency().Code()]; ok {
		return st.Format(a)
	}
	return a.Currency().Code() + " " + a.Number()
}

// written reports whether metadata key k is written in the header (status
// mark, secondary date) rather than as a field.
func written(meta map[string]string, k string) bool {
	switch k {
	case MetaStatus:
		return parseStatus(meta[k]) != Unmarked
	case MetaDate2:
		_, err := date.Parse(meta[k])
		return err == nil
	}
	return false
}

// oneLine replaces line breaks, which would end a comment.
func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }
