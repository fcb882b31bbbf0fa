package papgen

import "testing"

func TestTranslate(t *testing.T) {
	p := &pap{year: 2026, byName: map[string]*variable{
		"X": {name: "X", typ: "BigDecimal"}, "KZTAB": {name: "KZTAB", typ: "int"}, "f": {name: "f", typ: "double"},
	}, constBy: map[string]*constant{"ZAHL100": {name: "ZAHL100", typ: "BigDecimal"}}}
	tests := []struct {
		in, want string
		fail     bool
	}{
		{in: "X.divide(ZAHL100, 2, BigDecimal.ROUND_DOWN)", want: "c.divScale(c.X, lst2026ZAHL100, 2, roundDown)"},
		{in: "(X.multiply (BigDecimal.valueOf(0.42))).setScale (0, BigDecimal.ROUND_UP)", want: "setScale(c.X.Mul(lit0_42), 0, roundUp)"},
		{in: "X.divide(BigDecimal.valueOf(KZTAB))", want: "c.divide(c.X, decimal.NewFromInt(int64(c.KZTAB)))"},
		{in: "X.multiply(BigDecimal.valueOf(f))", want: "c.X.Mul(valueOfDouble(c.f))"},
		{in: "X.compareTo(BigDecimal.ZERO) == -1 && KZTAB > 0", want: "c.X.Cmp(lit0) == -1 && c.KZTAB > 0"},
		{in: "X.setScale(0, BigDecimal.ROUND_UNNECESSARY)", fail: true},
		{in: "X.pow(2)", fail: true},
		{in: "UNKNOWN.add(X)", fail: true},
		{in: "X.add(KZTAB)", fail: true},
	}
	for _, tt := range tests {
		tr := &translator{p: p, lits: &literalPool{}}
		got, err := tr.expr(tt.in)
		if tt.fail {
			if err == nil {
				t.Errorf("%s: translated to %s, want an error", tt.in, got.code)
			}
			continue
		}
		if err != nil || got.code != tt.want {
			t.Errorf("%s = %q, %v; want %q", tt.in, got.code, err, tt.want)
		}
	}
}
