package money

import (
	"database/sql"
	"fmt"
	"strings"
)

// Columns reads an amount kept as two columns of a row, the number and the
// currency code, as the stores and most schemas keep them, without the
// currency having to be known before the scan:
//
//	var c money.Columns
//	err := row.Scan(&id, c.Number(), c.Currency())
//	a, err := c.Amount()
//
// The number column takes what Amount.Scan takes for a number (decimal
// text, or an int64 of whole major units) and refuses float64 (ErrFloat)
// and NULL (ErrNull); the currency column takes an ISO 4217 code as text.
// A Columns may be scanned into again for the next row.
type Columns struct {
	num, code    string
	whole        int64
	isWhole      bool
	gotN, gotCur bool
}

// Number returns the scanner of the number column.
func (c *Columns) Number() sql.Scanner { return numberColumn{c} }

// Currency returns the scanner of the currency column.
func (c *Columns) Currency() sql.Scanner { return currencyColumn{c} }

// Amount returns the amount the last scan read: ErrNoCurrency if the
// currency column was not scanned, ErrSyntax if the number was not, the
// errors of ParseCurrency for an unknown code, and those of Parse for a
// number with more decimals than the currency has.
func (c *Columns) Amount() (Amount, error) {
	switch {
	case !c.gotCur:
		return Amount{}, ErrNoCurrency
	case !c.gotN:
		return Amount{}, fmt.Errorf("money: columns: no number scanned: %w", ErrSyntax)
	}
	cur, err := ParseCurrency(strings.TrimSpace(c.code))
	if err != nil {
		return Amount{}, err
	}
	a := Amount{cur: cur}
	if c.isWhole {
		err = a.Scan(c.whole)
		return a, err
	}
	return Parse(c.num, cur)
}

type numberColumn struct{ c *Columns }

func (n numberColumn) Scan(src any) error {
	c := n.c
	c.gotN, c.isWhole = false, false
	switch v := src.(type) {
	case string:
		c.num = v
	case []byte:
		c.num = string(v)
	case int64:
		c.whole, c.isWhole = v, true
	case float64, float32:
		return ErrFloat
	case nil:
		return ErrNull
	default:
		return fmt.Errorf("money: cannot scan %T into an amount's number: %w", src, ErrSyntax)
	}
	c.gotN = true
	return nil
}

type currencyColumn struct{ c *Columns }

func (k currencyColumn) Scan(src any) error {
	c := k.c
	c.gotCur = false
	switch v := src.(type) {
	case string:
		c.code = v
	case []byte:
		c.code = string(v)
	case nil:
		return fmt.Errorf("money: currency column: %w", ErrNull)
	default:
		return fmt.Errorf("money: cannot scan %T into a currency: %w", src, ErrSyntax)
	}
	c.gotCur = true
	return nil
}
