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
	"github.com/openbackoffice/backoffice/ledger"
)

// typeLetters are the hledger type codes of the ledger's account types.
var typeLetters = map[ledger.AccountType]string{
	ledger.Asset: "A", ledger.Liability: "L", ledger.Equity: "E", ledger.Revenue: "R", ledger.Expense: "X",
}

// Write writes accounts as account directives (with their types and names
// as tags) and entries as transactions, in the order given, as an hledger
// journal: hledger reads it back with the same balances, and so does Read.
// Account codes are the account names. Every amount is written, as
// "EUR 1190.00"; the entry's key, journal and metadata are field comment
// lines ("; key: inv-1001"), its description one too if it holds a ';';
// line memos are posting comments and dimensions "; dim.NAME: VALUE" lines.
// Write is safe for concurrent use if its arguments are not modified meanwhile.
func Write(w io.Writer, accounts []ledger.Account, entries []ledger.Entry) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	for _, a := range accounts {
		bw.WriteString("account ")
		bw.WriteString(a.Code)
		if t, ok := typeLetters[a.Type]; ok {
			bw.WriteString("  ; type: ")
			bw.WriteString(t)
			if a.Name != "" {
				bw.WriteString(", name: ")
				bw.WriteString(oneLine(a.Name))
			}
		}
		bw.WriteByte('\n')
	}
	if len(accounts) > 0 {
		bw.WriteByte('\n')
	}
	for _, e := range entries {
		for _, l := range e.Lines {
			if !writable(l.Account) {
				return fmt.Errorf("journal: entry %q: account code %q cannot be written as an hledger account name", e.Key, l.Account)
			}
		}
		writeEntry(bw, e)
	}
	return bw.Flush()
}

// writable reports whether hledger reads code back as an account name:
// not a status mark, comment, virtual posting or empty.
func writable(code string) bool {
	return code != "" && code != "*" && code != "!" && !strings.ContainsAny(code[:1], ";#([") &&
		!strings.ContainsAny(code, " \t\n;")
}

func writeEntry(bw *bufio.Writer, e ledger.Entry) {
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
		bw.WriteString(l.Amount.Currency().Code())
		bw.WriteByte(' ')
		bw.WriteString(l.Amount.Number())
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
