package server

import (
	"html/template"

	"github.com/openbackoffice/backoffice/money"
)

// templateFuncs are the functions page templates use. They format; they
// never compute accounting.
var templateFuncs = template.FuncMap{
	// amount formats an amount with its decimals and no currency code.
	"amount": func(a money.Amount) string { return a.Number() },
	// neg reports whether an amount is negative (drawn in red).
	"neg": func(a money.Amount) bool { return a.IsNegative() },
}
