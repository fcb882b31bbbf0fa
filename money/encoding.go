package money

import (
	"bytes"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"math"
	"math/bits"
	"strings"
)

// MarshalJSON implements json.Marshaler. An amount encodes as an object
// with the number as a string, so that no JSON reader turns it into a
// float: {"amount":"1234.56","currency":"EUR"}. The zero Amount encodes
// as null; any other amount without a currency fails with ErrNoCurrency.
func (a Amount) MarshalJSON() ([]byte, error) {
	if a.cur.IsZero() {
		if a.n == 0 {
			return []byte("null"), nil
		}
		return nil, ErrNoCurrency
	}
	b := make([]byte, 0, 64)
	b = append(b, `{"amount":"`...)
	b = a.appendNumber(b, Plain)
	b = append(b, `","currency":"`...)
	b = a.cur.appendCode(b)
	b = append(b, `"}`...)
	return b, nil
}

// UnmarshalJSON implements json.Unmarshaler for the form MarshalJSON
// writes. The amount must be a JSON string in the Plain format; a JSON
// number is refused with ErrSyntax, as it invites floats. The currency
// must be an ISO 4217 code, or the code of the custom currency *a already
// holds (preset *a from a Registry to decode custom currencies). Unknown
// object keys are ignored. null leaves *a unchanged. On error *a is
// unchanged.
func (a *Amount) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if string(data) == "null" {
		return nil
	}
	var obj struct {
		Amount   json.RawMessage `json:"amount"`
		Currency *string         `json:"currency"`
	}
	if err := json.Unmarshal(data, &obj); err != nil {
		// The json error may quote input; do not pass it on.
		return fmt.Errorf("money: amount JSON is not an object with string fields amount and currency: %w", ErrSyntax)
	}
	if len(obj.Amount) == 0 || string(obj.Amount) == "null" {
		return fmt.Errorf("money: amount JSON has no amount: %w", ErrSyntax)
	}
	if obj.Amount[0] != '"' {
		return fmt.Errorf("money: amount JSON: amount must be a string, not a number: %w", ErrSyntax)
	}
	var num string
	if err := json.Unmarshal(obj.Amount, &num); err != nil {
		return fmt.Errorf("money: amount JSON: malformed amount string: %w", ErrSyntax)
	}
	if obj.Currency == nil || *obj.Currency == "" {
		return fmt.Errorf("money: amount JSON has no currency: %w", ErrNoCurrency)
	}
	cur, err := resolve(*obj.Currency, a.cur)
	if err != nil {
		return err
	}
	v, err := Parse(num, cur)
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// Value implements driver.Valuer: the number as exact decimal text,
// "1234.56", which PostgreSQL NUMERIC and text columns store exactly. The
// currency is not part of it; store it in its own column. An Amount
// without a currency fails with ErrNoCurrency.
func (a Amount) Value() (driver.Value, error) {
	if a.cur.IsZero() {
		return nil, ErrNoCurrency
	}
	return a.Number(), nil
}

// Scan implements sql.Scanner. It accepts:
//
//   - string or []byte holding a number in the Plain format, "1234.56", in
//     the currency *a already holds (ErrNoCurrency if it holds none); extra
//     zero decimals, as NUMERIC(p,4) returns them, are fine;
//   - string or []byte holding a number, one space and a currency code,
//     "1234.56 EUR", resolved like UnmarshalJSON resolves currencies;
//   - int64, a whole number of major units (10 is 10.00 EUR) in the
//     currency *a holds.
//
// It refuses float64 (ErrFloat), NULL (ErrNull; scan nullable columns into
// sql.Null[money.Amount]) and other types (ErrSyntax). On error *a is
// unchanged.
func (a *Amount) Scan(src any) error {
	switch v := src.(type) {
	case string:
		return a.scanText(v)
	case []byte:
		return a.scanText(string(v))
	case int64:
		if a.cur.IsZero() {
			return ErrNoCurrency
		}
		hi, lo := bits.Mul64(abs64(v), pow10[a.cur.MinorUnits()])
		if hi != 0 || lo > math.MaxInt64 {
			return ErrOverflow
		}
		n := int64(lo)
		if v < 0 {
			n = -n
		}
		*a = Amount{cur: a.cur, n: n}
		return nil
	case float64, float32:
		return ErrFloat
	case nil:
		return ErrNull
	}
	return fmt.Errorf("money: cannot scan %T into an Amount: %w", src, ErrSyntax)
}

func (a *Amount) scanText(s string) error {
	cur := a.cur
	num, code, found := strings.Cut(s, " ")
	if found {
		var err error
		if cur, err = resolve(code, a.cur); err != nil {
			return err
		}
	} else if cur.IsZero() {
		return ErrNoCurrency
	}
	v, err := Parse(num, cur)
	if err != nil {
		return err
	}
	*a = v
	return nil
}
