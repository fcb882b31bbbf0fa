package xlsx

import (
	"strings"
	"testing"

	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/reporting"
)

func TestSumFormula(t *testing.T) {
	ts := func(spec ...int) []reporting.Term { // negative numbers are negated terms of -n
		var out []reporting.Term
		for _, n := range spec {
			if n < 0 {
				out = append(out, reporting.Term{Row: -n, Neg: true})
			} else {
				out = append(out, reporting.Term{Row: n})
			}
		}
		return out
	}
	long := make([]reporting.Term, 2000)
	for k := range long {
		long[k] = reporting.Term{Row: 2 * k} // not contiguous: one reference each
	}
	tests := []struct {
		name  string
		terms []reporting.Term
		want  string
	}{
		{"one", ts(0), "ROUND(D9,2)"},
		{"two apart", ts(0, 3), "ROUND(D9+D12,2)"},
		{"run", ts(1, 2, 3, 4), "ROUND(SUM(D10:D13),2)"},
		{"two contiguous", ts(1, 2), "ROUND(SUM(D10:D11),2)"},
		{"difference", ts(3, -9), "ROUND(D12-D18,2)"},
		{"leading negative", ts(-3, 9), "ROUND(-D12+D18,2)"},
		{"negative run", ts(1, -2, -3, -4, 7), "ROUND(D10-SUM(D11:D13)+D16,2)"},
		{"sign breaks a run", ts(1, 2, -3, 4, 5), "ROUND(SUM(D10:D11)-D12+SUM(D13:D14),2)"},
		{"order kept", ts(5, 4, 3), "ROUND(D14+D13+D12,2)"},
		{"too long for Excel", long, ""},
	}
	s := newSheetWriter(&Workbook{}, "S", reporting.Report{
		Currency: money.EUR,
		Columns:  []reporting.Column{{Kind: reporting.TextColumn}, {}, {}, {Kind: reporting.AmountColumn}},
	}, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := s.sumFormula(3, tt.terms)
			if got != tt.want {
				t.Errorf("sumFormula = %q, want %q", trim(got), tt.want)
			}
		})
	}
}

func trim(s string) string {
	if len(s) > 80 {
		return s[:40] + "…" + s[len(s)-40:]
	}
	return strings.TrimSpace(s)
}
