package server

import (
	"html/template"
	"time"

	"github.com/openbackoffice/backoffice/money"
)

// templateFuncs are the functions page templates use. They format; they
// never compute accounting.
var templateFuncs = template.FuncMap{
	// amount formats an amount with its decimals and no currency code.
	"amount": func(a money.Amount) string { return a.Number() },
	// neg reports whether an amount is negative (drawn in red).
	"neg": func(a money.Amount) bool { return a.IsNegative() },
	// fyStart names the month a fiscal year starts in (0 is January).
	"fyStart": func(m int) string {
		if m < 1 || m > 12 {
			m = 1
		}
		return time.Month(m).String()
	},
	// list makes a list of strings, for a range in a template.
	"list": func(xs ...string) []string { return xs },
}
