package partners

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/internal/csvio"
)

// Columns of the parties CSV format, in the order WriteParties writes
// them; see ReadParties.
var (
	partyColumns = []string{"number", "role", "valid_from", "name", "street", "postal_code", "city", "country",
		"vat_id", "iban", "bic", "routing_number", "account_number",
		"net_days", "discount_days", "discount_percent", "dunning", "consumer"}
	partyRequired = []string{"number", "role", "name"}
)

// ReadParties parses customer and supplier master data in CSV for book,
// ready for Parties.AddParties: one row per party version. The first row
// names the columns (case-insensitive, in any order); the separator is ','
// or ';', detected from that row, and a UTF-8 byte order mark is ignored.
// Cells are trimmed of surrounding white space.
//
//	number            required; the party number, 1–64 characters without white space or '/';
//	                  a number of five or more digits is a DATEV personal account and
//	                  starts with 1–6 for a customer, 7–9 for a supplier
//	role              required; customer or supplier (any case)
//	valid_from        YYYY-MM-DD, the first day the version holds; empty for since always
//	name              required
//	street, postal_code, city
//	country           ISO 3166-1 alpha-2 code in upper case, such as DE
//	vat_id            the VAT identification number; spaces, dots, hyphens and lower
//	                  case are accepted and normalized (see CheckVATID)
//	iban, bic         the bank account, or instead:
//	routing_number, account_number  a US account (see hr.BankAccount)
//	net_days          days until the invoice is due; empty means 0
//	discount_days     days within which the cash discount may be taken; empty means 0
//	discount_percent  the cash discount as a percentage, "2" or "2.5" ("2,5" is read
//	                  the same); stored as the fraction in Terms.DiscountRate (0.025)
//	dunning           the dunning profile: empty for the default, "none" for never
//	consumer          true or false; empty means false
//
// For example:
//
//	number;role;name;country;vat_id;iban;net_days;discount_days;discount_percent
//	10001;customer;Muster GmbH;DE;DE 136 695 976;DE89 3704 0044 0532 0130 00;30;10;2
//	70001;supplier;Exemplo Lda;PT;;;14;;
//
// A column not listed here is refused, so that a misspelt header cannot
// drop data silently. Every row is checked with Party.Validate, and
// across rows: a number and valid_from may appear only once
// (ErrDuplicate), and all versions of a number must have the same role.
// IBAN and BIC are stored as hr.BankAccount.Normalize returns them, the
// VAT ID as NormalizeVATID does.
//
// Reading is all-or-nothing: if anything is wrong ReadParties returns no
// parties and an error listing every problem with its row (as a
// spreadsheet numbers it, the header being row 1) and column. That error
// wraps one *FieldError per problem, each wrapping ErrInvalid (bank
// account problems hr.ErrBankAccount too), or ErrDuplicate for a repeated
// number and valid_from; errors.Is and
// errors.As see them all. Messages name rows, columns and party numbers,
// never other cell values. An I/O error from r is reported the same way
// and wraps the reader's error. WriteParties writes this format.
//
// ReadParties is safe for concurrent use.
func ReadParties(r io.Reader, book string) ([]Party, error) {
	if !validPartyID(book) {
		return nil, fieldErr("party", "", "book", fmt.Errorf("%w: book ID", ErrInvalid))
	}
	var optional []string
	for _, c := range partyColumns {
		if !isRequiredPartyColumn(c) {
			optional = append(optional, c)
		}
	}
	rd := csvio.NewReader(r, &csvio.Options{Required: partyRequired, Optional: optional})
	type version struct {
		number string
		from   date.Date
	}
	type roleRow struct {
		role Role
		row  int
	}
	var (
		parties  []Party
		versions = map[version]int{} // → the row it is first in
		roles    = map[string]roleRow{}
	)
	for rd.Next() {
		row := rd.Row()
		p, ok, keyed := partyRow(row, book)
		if keyed {
			id := version{p.Number, p.ValidFrom}
			if first, dup := versions[id]; dup {
				row.Fail("number", fieldErr("party", p.Number, "number",
					fmt.Errorf("%w: same number and valid_from as row %d", ErrDuplicate, first)))
				ok = false
			} else {
				versions[id] = row.Num()
			}
			if p.Role == Customer || p.Role == Supplier {
				if first, seen := roles[p.Number]; !seen {
					roles[p.Number] = roleRow{p.Role, row.Num()}
				} else if first.role != p.Role {
					row.Fail("role", fieldErr("party", p.Number, "role",
						fmt.Errorf("%w: the party is a %s in row %d", ErrInvalid, first.role, first.row)))
					ok = false
				}
			}
		}
		if ok {
			parties = append(parties, p)
		}
	}
	if err := rd.Err(); err != nil {
		return nil, partyImportError(err)
	}
	return parties, nil
}

func isRequiredPartyColumn(c string) bool {
	for _, r := range partyRequired {
		if c == r {
			return true
		}
	}
	return false
}

// partyRow converts one row to a Party, recording every problem on the
// row. ok reports whether there was none; keyed whether the number and
// valid_from are usable for the checks across rows.
func partyRow(row *csvio.Row, book string) (p Party, ok, keyed bool) {
	failed := map[string]bool{} // columns with a problem recorded
	p = Party{
		Book:    book,
		Number:  row.Get("number"),
		Role:    Role(strings.ToLower(row.Get("role"))),
		Name:    row.Get("name"),
		Address: Address{Street: row.Get("street"), PostalCode: row.Get("postal_code"), City: row.Get("city"), Country: row.Get("country")},
		VATID:   NormalizeVATID(row.Get("vat_id")),
		Dunning: row.Get("dunning"),
		Bank: hr.BankAccount{IBAN: row.Get("iban"), BIC: row.Get("bic"),
			RoutingNumber: row.Get("routing_number"), AccountNumber: row.Get("account_number")}.Normalize(),
	}
	id := ""
	if validPartyID(p.Number) {
		id = p.Number
	}
	fail := func(column, reason string) {
		row.Fail(column, fieldErr("party", id, column, fmt.Errorf("%w: %s", ErrInvalid, reason)))
		failed[column] = true
	}
	if s := row.Get("valid_from"); s != "" {
		d, err := date.Parse(s)
		if err != nil {
			fail("valid_from", "want YYYY-MM-DD")
		}
		p.ValidFrom = d
	}
	days := func(column string) int {
		s := row.Get(column)
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			fail(column, "not a whole number")
		}
		return n
	}
	p.Terms.NetDays = days("net_days")
	p.Terms.DiscountDays = days("discount_days")
	if s := row.Get("discount_percent"); s != "" {
		d, ok := parsePercent(s)
		if !ok {
			fail("discount_percent", "not a decimal number")
		}
		p.Terms.DiscountRate = d.Shift(-2) // exact: a percentage is the fraction times 100
	}
	switch strings.ToLower(row.Get("consumer")) {
	case "", "false":
	case "true":
		p.Consumer = true
	default:
		fail("consumer", "want true, false or empty")
	}
	for _, fe := range p.problems() {
		if failed[fe.Field] {
			continue // the cell's own problem is reported already
		}
		column := fe.Field
		if !isPartyColumn(column) {
			column = ""
		}
		row.Fail(column, fe)
		failed[fe.Field] = true
	}
	keyed = id != "" && !failed["valid_from"]
	return p, len(failed) == 0, keyed
}

func isPartyColumn(c string) bool {
	for _, col := range partyColumns {
		if c == col {
			return true
		}
	}
	return false
}

// parsePercent parses a plain decimal number: an optional sign, digits,
// and optionally '.' or ',' and more digits. No exponents, no grouping.
func parsePercent(s string) (decimal.Decimal, bool) {
	body := strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	whole, frac, hasSep := strings.Cut(strings.Replace(body, ",", ".", 1), ".")
	if !vatAllDigits(whole) || hasSep && !vatAllDigits(frac) {
		return decimal.Decimal{}, false
	}
	d, err := decimal.NewFromString(strings.Replace(s, ",", ".", 1))
	return d, err == nil
}

// partyImportError makes every problem the reader found with the file's
// form (CSV syntax, encoding, columns) a *FieldError wrapping ErrInvalid,
// like the problems ReadParties records itself. I/O errors stay as they
// are.
func partyImportError(err error) error {
	var list csvio.Errors
	if !errors.As(err, &list) {
		return fmt.Errorf("partners: read parties: %w", err)
	}
	out := make(csvio.Errors, len(list))
	for i, fe := range list {
		out[i] = fe
		if isCSVFormProblem(fe.Err) {
			out[i] = &csvio.FieldError{Row: fe.Row, Column: fe.Column,
				Err: &FieldError{Record: "party", Field: fe.Column, Err: fmt.Errorf("%w: %w", ErrInvalid, fe.Err)}}
		}
	}
	return out
}

// isCSVFormProblem reports whether err is a problem with the file's form
// that csvio found.
func isCSVFormProblem(err error) bool {
	for _, s := range []error{csvio.ErrEmpty, csvio.ErrEncoding, csvio.ErrSyntax, csvio.ErrFieldCount,
		csvio.ErrMissingColumn, csvio.ErrUnknownColumn, csvio.ErrDuplicateColumn} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// WriteParties writes parties in the CSV format ReadParties reads: every
// column, ',' as the separator, no byte order mark, the discount as a
// percentage with a decimal point ("2.5" for a DiscountRate of 0.025), and
// zero days and rates as empty cells. Book and RecordedAt are not written.
// Reading the output back for the parties' book gives the same parties if
// they pass Validate and their text fields have no surrounding white
// space. Text cells are written as they are, so that the file reads back
// exactly: a name starting with "=" is a formula to a spreadsheet that
// opens the file.
//
// WriteParties is safe for concurrent use if parties are not modified
// meanwhile.
func WriteParties(w io.Writer, parties []Party) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(partyColumns); err != nil {
		return fmt.Errorf("partners: write parties: %w", err)
	}
	days := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	for _, p := range parties {
		percent := ""
		if !p.Terms.DiscountRate.IsZero() {
			percent = p.Terms.DiscountRate.Shift(2).String()
		}
		rec := []string{p.Number, string(p.Role), p.ValidFrom.String(), p.Name,
			p.Address.Street, p.Address.PostalCode, p.Address.City, p.Address.Country,
			p.VATID, p.Bank.IBAN, p.Bank.BIC, p.Bank.RoutingNumber, p.Bank.AccountNumber,
			days(p.Terms.NetDays), days(p.Terms.DiscountDays), percent, p.Dunning, strconv.FormatBool(p.Consumer)}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("partners: write parties: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("partners: write parties: %w", err)
	}
	return nil
}
