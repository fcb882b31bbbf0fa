package ledger

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/internal/csvio"
	"github.com/openbackoffice/backoffice/money"
)

// EntryOptions configures ReadEntries and ReadEntriesJSON. A nil
// *EntryOptions means the defaults.
type EntryOptions struct {
	// Currency is the currency of amounts without one (an empty or missing
	// currency column or field); zero means every amount must name its
	// currency. Importers pass the book's base currency.
	Currency money.Currency
	// Currencies resolves currency codes; nil means ISO 4217 only.
	Currencies *money.Registry
	// Comma is the CSV separator; zero detects ',' or ';' from the header.
	Comma rune
	// LedgerConverts says that the entries go to a ledger that converts
	// lines in currencies other than Currency at its exchange rates
	// (Options.Rates): an entry with such a line without a base amount
	// then balances only once converted, so it is not refused for not
	// balancing here; Ledger.PostBatch checks it after converting. Every
	// other check still applies.
	LedgerConverts bool
	// CheckDimension, if set, checks each dimension a line is given
	// (name without the "dim." prefix, and its value): an error refuses
	// the file with the row and the dim.NAME column (CSV) or the field
	// (JSON), wrapping both ErrInvalid and the check's error. Importers
	// pass vat.CheckDimension, which refuses a VAT code the advance VAT
	// return would not know. The check's message should not repeat the
	// value (see ReadEntries). nil accepts every value.
	CheckDimension func(name, value string) error
	// KeysChecked, for ScanEntries only, says that the file was read
	// before, whole and without problems (as an importer reads a file
	// once to check it and once more to post it): keys that come back are
	// not looked for, so that nothing is kept per key.
	KeysChecked bool
}

// validateEntry is Entry.Validate for a reader: with opts.LedgerConverts,
// an entry that does not balance before its lines are converted passes;
// without, the error also wraps ErrNotConverted, naming the currency of
// the lines that lack base amounts.
func validateEntry(e *Entry, opts *EntryOptions) error {
	err := e.Validate(opts.Currencies)
	if err == nil || opts.Currency.IsZero() || !errors.Is(err, ErrUnbalanced) {
		return err
	}
	// Validate reports the balance last, after every line passed.
	i := slices.IndexFunc(e.Lines, func(l Line) bool { return !l.Converted() && l.Amount.Currency() != opts.Currency })
	switch {
	case i < 0:
		return err
	case opts.LedgerConverts:
		return nil
	}
	return fmt.Errorf("%w: its lines in %s: %w in %s", err, e.Lines[i].Amount.Currency().Code(), ErrNotConverted, opts.Currency.Code())
}

// Columns of the entries CSV format; see ReadEntries.
var (
	entryRequired = []string{"key", "date", "account"}
	entryOptional = []string{"amount", "debit", "credit", "currency", "base", "base_currency", "memo",
		"description", "voucher", "journal", "reverses", "adjusts"}
	entryPrefixes = []string{"dim.", "meta."}
)

// ReadEntries parses journal entries in CSV for book, ready for
// Ledger.PostBatch. One row is one line of an entry; consecutive rows with
// the same key form one entry. The first row names the columns
// (case-insensitive, in any order); the separator is ',' or ';', detected from
// that row unless opts.Comma is set; a UTF-8 byte order mark is ignored:
//
//	key          required; the entry's idempotency key, which also groups its rows:
//	             the rows of one entry are adjacent, and a key may not come back later
//	date         required on the entry's first row; YYYY-MM-DD
//	account      required; the account code of the line
//	amount       the line's signed amount as a decimal string: positive debits,
//	             negative credits ("1234.56", "-19.00"); or, instead of amount:
//	debit, credit  two unsigned columns, exactly one of them filled on each row
//	currency     ISO 4217 code of the amount; empty means opts.Currency
//	base         only on a line in another currency than the book's: its value in the
//	             base currency as booked (Line.Base), written like the amount (signed
//	             with an amount column, unsigned with debit and credit columns, the
//	             line's side giving the sign); empty: the ledger converts the line at
//	             its rates, if it has any
//	base_currency  ISO 4217 code of base; empty means opts.Currency. A code other
//	             than opts.Currency is an error: the base amounts of another book
//	memo         the line's memo
//	dim.NAME     a dimension of the line (cost_centre, project …); empty adds nothing
//	description, voucher, journal, reverses, adjusts, meta.NAME
//	             entry fields (Reverses and Adjusts are sequence numbers): set
//	             on the entry's first row; later rows of the entry leave them
//	             empty or repeat the same value
//
// For example:
//
//	key,date,account,debit,credit,description,voucher,dim.cost_centre
//	inv-1001,2026-01-15,1200,1190.00,,Consulting January,AR-1001,
//	inv-1001,,8400,,1000.00,,,100
//	inv-1001,,1776,,190.00,,,
//
// Amounts and base amounts are exact: digits beyond the currency's minor
// units are an error, never rounded, and no grouping separators are
// allowed: an amount written with them ("1 234.56"), with a decimal comma
// or with a currency beside the number is refused saying so and how to
// write it. A base amount of the other sign than the amount, or on a line in
// the base currency itself, is an error; zero is allowed (a conversion that
// rounds to nothing). Every entry is
// checked with Entry.Validate (it balances, has two lines or more, …), but
// not against a chart: unknown accounts are reported by PostBatch. An entry
// with lines the ledger converts (see EntryOptions.LedgerConverts) is
// checked for balance by PostBatch, once converted; without, an entry that
// balances only once converted is refused with an error wrapping both
// ErrUnbalanced and ErrNotConverted.
//
// Reading is all-or-nothing: if anything is wrong ReadEntries returns no
// entries and an ImportErrors listing every problem with its row (as a
// spreadsheet numbers it, the header being row 1) and column, each wrapping
// ErrInvalid (or ErrDuplicate for a key that comes back, or one of
// Validate's sentinels for an entry that does not balance). Messages never
// repeat cell values other than keys. WriteEntries writes this format.
//
// ReadEntries is safe for concurrent use.
func ReadEntries(r io.Reader, book string, opts *EntryOptions) ([]Entry, error) {
	var entries []Entry
	seen := map[string]int{}
	err := scanEntries(r, book, opts, func(key string, row int) (int, bool) {
		first, ok := seen[key]
		if !ok {
			seen[key] = row
		}
		return first, ok
	}, func(e *Entry, _ int) { entries = append(entries, *e) }, nil)
	if err != nil {
		return nil, err
	}
	return entries, nil
}

// ScanEntries reads entries in CSV as ReadEntries does, with the same
// checks and errors, but hands them to fn in chunks of size entries (the
// last chunk may have fewer), each with the row its first line is on,
// instead of returning them all: for files too large to hold (a million
// entries) in memory flat in their size but for a digest of 16 bytes per
// key, to find keys that come back (nothing with opts.KeysChecked). The
// slices are fn's to keep.
//
// At the first problem fn is not called again; ScanEntries reads on to
// find every problem and returns them as ReadEntries does. An error from
// fn stops reading and is returned as it is. Callers that must be
// all-or-nothing run it inside one transaction of their store, or once to
// check and once to post.
//
// ScanEntries is safe for concurrent use.
func ScanEntries(r io.Reader, book string, opts *EntryOptions, size int, fn func(entries []Entry, rows []int) error) error {
	size = max(size, 1)
	seen := map[[16]byte]int32{} // digest of a key → its first row
	var (
		chunk  []Entry
		rows   []int
		failed bool
		ferr   error
	)
	flush := func(rd *csvio.Reader) bool {
		if !failed && rd.Err() != nil {
			failed = true
		}
		if failed || len(chunk) == 0 {
			chunk, rows = nil, nil
			return ferr == nil
		}
		ferr = fn(chunk, rows)
		chunk, rows = nil, nil
		return ferr == nil
	}
	err := scanEntries(r, book, opts, func(key string, row int) (int, bool) {
		if opts != nil && opts.KeysChecked {
			return 0, false
		}
		k := [16]byte(sha256Sum(key))
		first, ok := seen[k]
		if !ok {
			seen[k] = int32(min(row, math.MaxInt32))
		}
		return int(first), ok
	}, func(e *Entry, row int) {
		chunk, rows = append(chunk, *e), append(rows, row)
	}, func(rd *csvio.Reader) bool {
		if len(chunk) >= size {
			return flush(rd)
		}
		return true
	})
	switch {
	case ferr != nil:
		return ferr
	case err != nil:
		return err
	case len(chunk) > 0:
		return fn(chunk, rows)
	}
	return nil
}

// sha256Sum returns the SHA-256 digest of s.
func sha256Sum(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// scanEntries is ReadEntries, handing each entry that passes its checks to
// emit with its first row: seen(key, row) returns the first row of a key
// seen before (ok), else records row as its first; more, if not nil, is
// called after each entry and stops reading when it returns false.
func scanEntries(r io.Reader, book string, opts *EntryOptions, seen func(key string, row int) (int, bool),
	emit func(e *Entry, firstRow int), more func(*csvio.Reader) bool) error {
	if opts == nil {
		opts = &EntryOptions{}
	}
	rd := csvio.NewReader(r, &csvio.Options{
		Comma: opts.Comma, Required: entryRequired, Optional: entryOptional, Prefixes: entryPrefixes,
	})
	header, err := rd.Header()
	if err != nil {
		return entryImportError(err)
	}
	hasAmount := slices.Contains(header, "amount")
	hasDebit, hasCredit := slices.Contains(header, "debit"), slices.Contains(header, "credit")
	switch {
	case hasAmount && (hasDebit || hasCredit):
		rd.Fail(1, "amount", fmt.Errorf("%w: use either amount or debit and credit, not both", ErrInvalid))
	case !hasAmount && !(hasDebit && hasCredit):
		rd.Fail(1, "amount", fmt.Errorf("%w: the file needs an amount column, or debit and credit columns", ErrInvalid))
	}
	if rd.Err() != nil {
		return entryImportError(rd.Err())
	}
	var (
		cur      *Entry
		firstRow int  // cur's
		bad      bool // cur has a problem in a row
	)
	fail := func(row *csvio.Row, col, format string, args ...any) {
		row.Fail(col, fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...))
		bad = true
	}
	// done checks the entry read, and hands it on if it passes.
	done := func() bool {
		if cur == nil {
			return true
		}
		e := cur
		cur = nil
		if !bad {
			if err := validateEntry(e, opts); err != nil {
				rd.Fail(firstRow, "", fmt.Errorf("entry %q: %w", e.Key, err))
			} else {
				emit(e, firstRow)
			}
		}
		return more == nil || more(rd)
	}
	for rd.Next() {
		row := rd.Row()
		key := row.Get("key")
		if key == "" {
			row.Fail("key", fmt.Errorf("%w: missing", ErrInvalid))
			continue
		}
		if cur == nil || cur.Key != key {
			if first, ok := seen(key, row.Num()); ok {
				row.Fail("key", fmt.Errorf("%w: entry %q began in row %d; the rows of an entry must be adjacent", ErrDuplicate, key, first))
				continue
			}
			if !done() {
				return nil
			}
			cur, firstRow, bad = &Entry{Book: book, Key: key}, row.Num(), false
			if v := row.Get("date"); v == "" {
				fail(row, "date", "missing on the entry's first row")
			} else if d, err := date.Parse(v); err != nil {
				fail(row, "date", "not a date (YYYY-MM-DD)")
			} else {
				cur.Date = d
			}
			cur.Description, cur.Voucher, cur.Journal = row.Get("description"), row.Get("voucher"), row.Get("journal")
			for _, c := range []struct {
				col string
				dst *uint64
			}{{"reverses", &cur.Reverses}, {"adjusts", &cur.Adjusts}} {
				if v := row.Get(c.col); v != "" {
					n, err := strconv.ParseUint(v, 10, 64)
					if err != nil {
						fail(row, c.col, "not a sequence number")
					}
					*c.dst = n
				}
			}
			for k, v := range row.Prefixed("meta.") {
				if v != "" {
					if cur.Metadata == nil {
						cur.Metadata = map[string]string{}
					}
					cur.Metadata[k] = v
				}
			}
		} else {
			// A continuation row: entry fields empty or repeated.
			check := func(col, want string) {
				if v := row.Get(col); v != "" && v != want {
					fail(row, col, "differs from the entry's first row")
				}
			}
			if v := row.Get("date"); v != "" {
				if d, err := date.Parse(v); err != nil || d != cur.Date {
					fail(row, "date", "differs from the entry's first row")
				}
			}
			check("description", cur.Description)
			check("voucher", cur.Voucher)
			check("journal", cur.Journal)
			check("reverses", uintString(cur.Reverses))
			check("adjusts", uintString(cur.Adjusts))
			for k := range row.Prefixed("meta.") {
				check("meta."+k, cur.Metadata[k])
			}
		}
		ln := Line{Account: row.Get("account"), Memo: row.Get("memo")}
		if ln.Account == "" {
			fail(row, "account", "missing")
		}
		c := opts.Currency
		if v := row.Get("currency"); v != "" {
			var err error
			if c, err = lookupCurrency(opts.Currencies, v); err != nil {
				fail(row, "currency", "unknown currency")
				continue
			}
		}
		var amt money.Amount
		var err error
		col := "amount"
		if hasAmount {
			amt, err = parseEntryAmount(row.Get("amount"), c)
		} else {
			dr, cr := row.Get("debit"), row.Get("credit")
			switch {
			case dr != "" && cr != "":
				col, err = "credit", errors.New("both debit and credit are filled")
			case dr != "":
				col = "debit"
				amt, err = parseEntryAmount(dr, c)
				if err == nil && amt.IsNegative() {
					err = errors.New("negative; write it as a credit")
				}
			default:
				col = "credit"
				amt, err = parseEntryAmount(cr, c)
				if err == nil && amt.IsNegative() {
					err = errors.New("negative; write it as a debit")
				}
				amt = amt.Neg()
			}
		}
		if err != nil {
			fail(row, col, "%v", err)
		}
		ln.Amount = amt
		if v, code := row.Get("base"), row.Get("base_currency"); v != "" || code != "" {
			b, col, err := parseEntryBase(v, code, amt, c, !hasAmount, opts)
			if err != nil {
				fail(row, col, "%v", err)
			}
			ln.Base = b
		}
		for k, v := range row.Prefixed("dim.") {
			if v != "" {
				if err := checkDimension(opts, k, v); err != nil {
					row.Fail("dim."+k, err)
					bad = true
				}
				if ln.Dimensions == nil {
					ln.Dimensions = map[string]string{}
				}
				ln.Dimensions[k] = v
			}
		}
		cur.Lines = append(cur.Lines, ln)
	}
	if !done() {
		return nil
	}
	if err := rd.Err(); err != nil {
		return entryImportError(err)
	}
	return nil
}

// checkDimension applies opts.CheckDimension, if any, to one dimension.
func checkDimension(opts *EntryOptions, name, value string) error {
	if opts.CheckDimension == nil {
		return nil
	}
	if err := opts.CheckDimension(name, value); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return nil
}

// lookupCurrency resolves code through reg, or the ISO table if reg is nil.
func lookupCurrency(reg *money.Registry, code string) (money.Currency, error) {
	if reg == nil {
		return money.ParseCurrency(code)
	}
	return reg.Lookup(code)
}

func uintString(n uint64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatUint(n, 10)
}

// parseEntryAmount parses a plain decimal amount in c.
func parseEntryAmount(s string, c money.Currency) (money.Amount, error) {
	if s == "" {
		return money.Amount{}, errors.New("missing")
	}
	if c.IsZero() {
		return money.Amount{}, errors.New("no currency: fill the currency column")
	}
	a, err := money.Parse(s, c)
	if err != nil {
		if why := amountHabit(s); why != "" {
			return money.Amount{}, errors.New(why)
		}
		return money.Amount{}, err // a *money.ParseError names the position, not the value
	}
	return a, nil
}

// amountHabit says what is wrong with s, an amount money.Parse refused,
// if it is written as people write amounts for people — digits grouped by
// spaces, commas or apostrophes ("1 234.56", "1,234.56"), a decimal comma
// ("12,50"), a currency beside the number ("1234.56 EUR", "€ 12.50") —
// and how to write it instead, without repeating the value; "" otherwise.
func amountHabit(s string) string {
	var found []string
	digit := func(r rune) bool { return r >= '0' && r <= '9' }
	rs := []rune(strings.TrimSpace(s))
	space, comma, apostrophe, currency := false, false, false, false
	for i, r := range rs {
		between := i > 0 && i+1 < len(rs) && digit(rs[i-1]) && digit(rs[i+1])
		switch {
		case (r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\u2009') && between:
			space = true
		case r == ',':
			comma = true
		case (r == '\'' || r == '’') && between:
			apostrophe = true
		case (unicode.IsLetter(r) || unicode.Is(unicode.Sc, r)) && !between:
			currency = true
		}
	}
	if space {
		found = append(found, "a space as digit group separator")
	}
	if apostrophe {
		found = append(found, "an apostrophe as digit group separator")
	}
	if comma {
		found = append(found, "a comma (as digit group separator or decimal mark)")
	}
	if currency {
		found = append(found, "a currency in the amount")
	}
	if len(found) == 0 {
		return ""
	}
	fix := "write the number without digit groups and with '.' as the decimal mark, as 1234.56"
	if currency {
		fix += ", and the currency in the currency column"
	}
	return strings.Join(found, " and ") + ": " + fix
}

// parseEntryBase parses the base amount s of a line with amount amt in c:
// in the currency code names, or opts.Currency if code is empty; unsigned
// (taking amt's sign) if unsigned, else of amt's sign or zero. A problem
// comes with the column at fault.
func parseEntryBase(s, code string, amt money.Amount, c money.Currency, unsigned bool, opts *EntryOptions) (money.Amount, string, error) {
	base := opts.Currency
	if code != "" {
		bc, err := lookupCurrency(opts.Currencies, code)
		switch {
		case err != nil:
			return money.Amount{}, "base_currency", errors.New("unknown currency")
		case !base.IsZero() && bc != base:
			return money.Amount{}, "base_currency", fmt.Errorf("not the base currency %s", base.Code())
		}
		base = bc
	}
	switch {
	case s == "":
		return money.Amount{}, "base", errors.New("missing, though base_currency is filled")
	case base.IsZero():
		return money.Amount{}, "base", errors.New("no base currency: fill the base_currency column")
	case c == base:
		return money.Amount{}, "base", errors.New("the line is in the base currency: leave base empty")
	}
	b, err := parseEntryAmount(s, base)
	switch {
	case err != nil:
		return money.Amount{}, "base", err
	case unsigned && b.IsNegative():
		return money.Amount{}, "base", errors.New("negative; the debit or credit column gives the sign")
	case unsigned && amt.IsNegative():
		b = b.Neg()
	case !unsigned && b.Sign() != 0 && amt.Sign() != 0 && b.Sign() != amt.Sign():
		return money.Amount{}, "base", errors.New("of the other sign than the amount")
	}
	return b, "", nil
}

// entryImportError makes the reader's own problems wrap ErrInvalid, as for charts.
func entryImportError(err error) error {
	var list csvio.Errors
	if !errors.As(err, &list) {
		return fmt.Errorf("read entries: %w", err)
	}
	out := make(csvio.Errors, len(list))
	for i, fe := range list {
		out[i] = fe
		if !errors.Is(fe.Err, ErrInvalid) && !errors.Is(fe.Err, ErrDuplicate) && !isSentinel(fe.Err) {
			out[i] = &csvio.FieldError{Row: fe.Row, Column: fe.Column, Err: fmt.Errorf("%w: %w", ErrInvalid, fe.Err)}
		}
	}
	return out
}

// isSentinel reports whether err wraps one of the ledger's entry sentinels.
func isSentinel(err error) bool {
	for _, s := range []error{ErrUnbalanced, ErrZeroAmount, ErrScale, ErrUnknownCurrency} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// WriteEntries writes entries in the CSV format ReadEntries reads: one row per
// line, debit and credit columns, the currency on every row, the entry fields
// on each entry's first row only, and one dim.NAME and meta.NAME column per
// name used by any entry (sorted). If any line carries a base amount, the
// base and base_currency columns follow the currency column, filled on those
// lines. Reading the output back gives the same entries. Entries without a
// Key get "seq-N" keys by position (N from 1), since the format groups rows
// by key. Text cells are written as they are,
// so that the file reads back exactly: a description starting with "=" is a
// formula to a spreadsheet that opens the file. For people, write a report
// (reporting.WriteCSV quotes such cells) instead. WriteEntries is safe for
// concurrent use if entries are not modified meanwhile.
func WriteEntries(w io.Writer, entries []Entry) error {
	dims, metas := map[string]bool{}, map[string]bool{}
	converted := false
	for _, e := range entries {
		for k := range e.Metadata {
			metas[k] = true
		}
		for _, l := range e.Lines {
			for k := range l.Dimensions {
				dims[k] = true
			}
			converted = converted || l.Converted()
		}
	}
	dimCols, metaCols := slices.Sorted(maps.Keys(dims)), slices.Sorted(maps.Keys(metas))
	header := []string{"key", "date", "account", "debit", "credit", "currency"}
	if converted {
		header = append(header, "base", "base_currency")
	}
	header = append(header, "memo", "description", "voucher", "journal", "reverses", "adjusts")
	col := func(name string) int { return slices.Index(header, name) }
	cKey, cDate, cAccount, cDebit, cCredit, cCurrency := col("key"), col("date"), col("account"), col("debit"), col("credit"), col("currency")
	cBase, cBaseCur, cMemo, cDesc, cVoucher := col("base"), col("base_currency"), col("memo"), col("description"), col("voucher")
	cJournal, cReverses, cAdjusts := col("journal"), col("reverses"), col("adjusts")
	cDims := len(header)
	for _, d := range dimCols {
		header = append(header, "dim."+d)
	}
	cMetas := len(header)
	for _, m := range metaCols {
		header = append(header, "meta."+m)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	rec := make([]string, len(header))
	for i, e := range entries {
		key := e.Key
		if key == "" {
			key = "seq-" + strconv.Itoa(i+1)
		}
		for li, l := range e.Lines {
			clear(rec)
			rec[cKey], rec[cAccount], rec[cCurrency], rec[cMemo] = key, l.Account, l.Amount.Currency().Code(), l.Memo
			if l.Amount.IsNegative() {
				rec[cCredit] = l.Amount.Neg().Number()
			} else {
				rec[cDebit] = l.Amount.Number()
			}
			if l.Converted() {
				rec[cBase], rec[cBaseCur] = l.Base.Abs().Number(), l.Base.Currency().Code()
			}
			if li == 0 {
				rec[cDate], rec[cDesc], rec[cVoucher], rec[cJournal] = e.Date.String(), e.Description, e.Voucher, e.Journal
				rec[cReverses], rec[cAdjusts] = uintString(e.Reverses), uintString(e.Adjusts)
				for j, m := range metaCols {
					rec[cMetas+j] = e.Metadata[m]
				}
			}
			for j, d := range dimCols {
				rec[cDims+j] = l.Dimensions[d]
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// jsonEntry and jsonLine are the JSON entries format; see ReadEntriesJSON.
type jsonEntry struct {
	Key         string            `json:"key"`
	Date        string            `json:"date"`
	Description string            `json:"description,omitempty"`
	Voucher     string            `json:"voucher,omitempty"`
	Journal     string            `json:"journal,omitempty"`
	Reverses    uint64            `json:"reverses,omitempty"`
	Adjusts     uint64            `json:"adjusts,omitempty"`
	Metadata    map[string]string `json:"metadata,omitempty"`
	Lines       []jsonLine        `json:"lines"`
}

type jsonLine struct {
	Account      string            `json:"account"`
	Amount       string            `json:"amount"`
	Currency     string            `json:"currency,omitempty"`
	Base         string            `json:"base,omitempty"`
	BaseCurrency string            `json:"base_currency,omitempty"`
	Memo         string            `json:"memo,omitempty"`
	Dimensions   map[string]string `json:"dimensions,omitempty"`
}

// ReadEntriesJSON parses journal entries in JSON for book: an array of
// objects, one per entry, with the fields of Entry in lower case and amounts
// as signed decimal strings (positive debits, negative credits):
//
//	[{"key": "inv-1001", "date": "2026-01-15", "description": "Consulting January",
//	  "voucher": "AR-1001", "journal": "AR", "metadata": {"customer": "K-17"},
//	  "lines": [
//	    {"account": "1200", "amount": "1190.00", "currency": "EUR"},
//	    {"account": "8400", "amount": "-1000.00", "dimensions": {"cost_centre": "100"}, "memo": "net"},
//	    {"account": "1776", "amount": "-190.00"}]},
//	 {"key": "fx-7", "date": "2026-01-20", "lines": [
//	    {"account": "1121", "amount": "1000.00", "currency": "USD", "base": "920.00"},
//	    {"account": "1120", "amount": "-920.00"}]}]
//
// key, date, lines, account and amount are required; a missing currency is
// opts.Currency; reverses and adjusts are sequence numbers. base and
// base_currency are a line's value in the base currency, signed like the
// amount, as the CSV columns of ReadEntries are. Unknown fields are an
// error. Keys must be unique within the file.
//
// Reading is all-or-nothing, like ReadEntries: the error is an ImportErrors
// whose Row is the 1-based position of the entry in the array and whose
// Column names the field ("lines[2].amount", lines counted from 1); a JSON
// syntax error is one problem in row 0 naming the input line. WriteEntriesJSON
// writes this format. ReadEntriesJSON is safe for concurrent use.
func ReadEntriesJSON(r io.Reader, book string, opts *EntryOptions) ([]Entry, error) {
	if opts == nil {
		opts = &EntryOptions{}
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read entries: %w", err)
	}
	var raw []jsonEntry
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		line := 1 + bytes.Count(data[:min(int(dec.InputOffset()), len(data))], []byte("\n"))
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line = 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
		}
		return nil, csvio.Errors{{Row: 0, Err: fmt.Errorf("%w: JSON near line %d: %w", ErrInvalid, line, err)}}
	}
	var errs csvio.Errors
	fail := func(i int, col string, err error) {
		errs = append(errs, &csvio.FieldError{Row: i + 1, Column: col, Err: err})
	}
	seen := map[string]int{}
	entries := make([]Entry, 0, len(raw))
	for i, je := range raw {
		e := Entry{Book: book, Key: je.Key, Description: je.Description, Voucher: je.Voucher,
			Journal: je.Journal, Reverses: je.Reverses, Adjusts: je.Adjusts, Metadata: je.Metadata}
		ok := true
		bad := func(col, format string, args ...any) {
			fail(i, col, fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...))
			ok = false
		}
		if e.Key == "" {
			bad("key", "missing")
		} else if first, dup := seen[e.Key]; dup {
			fail(i, "key", fmt.Errorf("%w: entry %q is also entry %d", ErrDuplicate, e.Key, first))
			ok = false
		} else {
			seen[e.Key] = i + 1
		}
		if d, err := date.Parse(je.Date); err != nil {
			bad("date", "not a date (YYYY-MM-DD)")
		} else {
			e.Date = d
		}
		if len(je.Lines) == 0 {
			bad("lines", "missing")
		}
		for li, jl := range je.Lines {
			col := fmt.Sprintf("lines[%d].", li+1)
			ln := Line{Account: jl.Account, Memo: jl.Memo, Dimensions: jl.Dimensions}
			if ln.Account == "" {
				bad(col+"account", "missing")
			}
			for _, k := range slices.Sorted(maps.Keys(jl.Dimensions)) {
				if err := checkDimension(opts, k, jl.Dimensions[k]); err != nil {
					fail(i, col+"dimensions."+k, err)
					ok = false
				}
			}
			c := opts.Currency
			if jl.Currency != "" {
				var err error
				if c, err = lookupCurrency(opts.Currencies, jl.Currency); err != nil {
					bad(col+"currency", "unknown currency")
					continue
				}
			}
			a, err := parseEntryAmount(jl.Amount, c)
			if err != nil {
				bad(col+"amount", "%v", err)
			}
			ln.Amount = a
			if jl.Base != "" || jl.BaseCurrency != "" {
				b, field, err := parseEntryBase(jl.Base, jl.BaseCurrency, a, c, false, opts)
				if err != nil {
					bad(col+field, "%v", err)
				}
				ln.Base = b
			}
			e.Lines = append(e.Lines, ln)
		}
		if ok {
			if err := validateEntry(&e, opts); err != nil {
				fail(i, "", fmt.Errorf("entry %q: %w", e.Key, err))
			}
		}
		entries = append(entries, e)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return entries, nil
}

// WriteEntriesJSON writes entries in the JSON format ReadEntriesJSON reads,
// one entry per line inside the array, every line with its currency, and a
// line with a base amount with its base and base_currency.
// Entries without a Key get "seq-N" keys, as with WriteEntries.
func WriteEntriesJSON(w io.Writer, entries []Entry) error {
	if _, err := io.WriteString(w, "["); err != nil {
		return err
	}
	for i, e := range entries {
		je := jsonEntry{Key: e.Key, Date: e.Date.String(), Description: e.Description, Voucher: e.Voucher,
			Journal: e.Journal, Reverses: e.Reverses, Adjusts: e.Adjusts, Metadata: e.Metadata}
		if je.Key == "" {
			je.Key = "seq-" + strconv.Itoa(i+1)
		}
		for _, l := range e.Lines {
			jl := jsonLine{Account: l.Account, Amount: l.Amount.Number(),
				Currency: l.Amount.Currency().Code(), Memo: l.Memo, Dimensions: l.Dimensions}
			if l.Converted() {
				jl.Base, jl.BaseCurrency = l.Base.Number(), l.Base.Currency().Code()
			}
			je.Lines = append(je.Lines, jl)
		}
		b, err := json.Marshal(je)
		if err != nil {
			return err
		}
		sep := ",\n"
		if i == 0 {
			sep = "\n"
		}
		if _, err := io.WriteString(w, sep); err != nil {
			return err
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, "\n]\n")
	return err
}
