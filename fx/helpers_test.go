package fx

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

// rateOpts compares rates field by field; a rate's decimal must keep its
// digits (1.0830 is not 1.083 here), which the readers and writers promise.
var rateOpts = cmp.Options{
	cmp.Comparer(func(a, b date.Date) bool { return a == b }),
	cmp.Comparer(func(a, b money.Currency) bool { return a == b }),
	cmp.Comparer(func(a, b decimal.Decimal) bool { return text(a) == text(b) }),
}

// rt is a rate for tests: rt("2025-03-07", "EUR", "USD", "1.0830", "ECB").
func rt(day, from, to, rate, source string) Rate {
	return Rate{Date: date.MustParse(day), From: money.MustParseCurrency(from), To: money.MustParseCurrency(to),
		Rate: decimal.RequireFromString(rate), Source: source}
}

// wantErrors checks that err is an Errors whose problems are at the lines
// and fields given, each wrapping the sentinel given.
func wantErrors(t *testing.T, err error, want ...*Error) {
	t.Helper()
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("err = %v (%T), want fx.Errors", err, err)
	}
	if len(es) != len(want) {
		t.Fatalf("%d problems, want %d: %v", len(es), len(want), err)
	}
	for i, w := range want {
		if es[i].Line != w.Line || es[i].Field != w.Field || !errors.Is(es[i], w.Err) {
			t.Errorf("problem %d = line %d field %q (%v); want line %d field %q wrapping %v", i, es[i].Line, es[i].Field, es[i].Err, w.Line, w.Field, w.Err)
		}
	}
}
