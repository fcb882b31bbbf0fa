package pap

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
)

// TestRoundingModes checks setScale and divide(…, scale, mode) against the
// table in the Java documentation of java.math.RoundingMode (input rounded
// to one digit with each mode).
func TestRoundingModes(t *testing.T) {
	in := []string{"5.5", "2.5", "1.6", "1.1", "1.0", "-1.0", "-1.1", "-1.6", "-2.5", "-5.5"}
	want := map[roundingMode][]int64{
		roundUp:       {6, 3, 2, 2, 1, -1, -2, -2, -3, -6},
		roundDown:     {5, 2, 1, 1, 1, -1, -1, -1, -2, -5},
		roundCeiling:  {6, 3, 2, 2, 1, -1, -1, -1, -2, -5},
		roundFloor:    {5, 2, 1, 1, 1, -1, -2, -2, -3, -6},
		roundHalfUp:   {6, 3, 2, 1, 1, -1, -1, -2, -3, -6},
		roundHalfDown: {5, 2, 2, 1, 1, -1, -1, -2, -2, -5},
		roundHalfEven: {6, 2, 2, 1, 1, -1, -1, -2, -2, -6},
	}
	names := map[roundingMode]string{roundUp: "UP", roundDown: "DOWN", roundCeiling: "CEILING", roundFloor: "FLOOR", roundHalfUp: "HALF_UP", roundHalfDown: "HALF_DOWN", roundHalfEven: "HALF_EVEN"}
	for mode, ws := range want {
		t.Run(names[mode], func(t *testing.T) {
			for i, s := range in {
				x := decimal.RequireFromString(s)
				w := decimal.NewFromInt(ws[i])
				if got := setScale(x, 0, mode); !got.Equal(w) {
					t.Errorf("setScale(%s, 0) = %s, want %s", s, got, w)
				}
				var a arith
				// x·10 / 10 and x·(-30) / (-30) exercise divide's sign handling.
				if got := a.divScale(x.Mul(decimal.NewFromInt(10)), decimal.NewFromInt(10), 0, mode); !got.Equal(w) {
					t.Errorf("divide(%s·10, 10, 0) = %s, want %s", s, got, w)
				}
				if got := a.divScale(x.Mul(decimal.NewFromInt(-30)), decimal.NewFromInt(-30), 0, mode); !got.Equal(w) {
					t.Errorf("divide(%s·-30, -30, 0) = %s, want %s", s, got, w)
				}
				// Scale 2: 0.0x·… shifted.
				if got := a.divScale(x, decimal.NewFromInt(100), 2, mode); !got.Equal(w.Shift(-2)) {
					t.Errorf("divide(%s, 100, 2) = %s, want %s", s, got, w.Shift(-2))
				}
				if a.err != nil {
					t.Fatal(a.err)
				}
			}
		})
	}
}

func TestDivideExact(t *testing.T) {
	tests := []struct {
		x, y, want string
		err        bool
	}{
		{"1050", "12", "87.5", false},
		{"2.90", "2", "1.45", false},
		{"1.45", "100", "0.0145", false},
		{"-7", "8", "-0.875", false},
		{"1", "3", "", true},
		{"1", "0", "", true},
	}
	for _, tt := range tests {
		var a arith
		got := a.divide(decimal.RequireFromString(tt.x), decimal.RequireFromString(tt.y))
		if tt.err {
			if !errors.Is(a.err, ErrArithmetic) {
				t.Errorf("%s/%s: err = %v, want ErrArithmetic", tt.x, tt.y, a.err)
			}
			continue
		}
		if a.err != nil || !got.Equal(decimal.RequireFromString(tt.want)) {
			t.Errorf("%s/%s = %s, %v; want %s", tt.x, tt.y, got, a.err, tt.want)
		}
	}
}

// TestDivisionPrecisionUntouched guards the house rule: the package never
// changes shopspring's package-level knob.
func TestDivisionPrecisionUntouched(t *testing.T) {
	if decimal.DivisionPrecision != 16 {
		t.Fatalf("decimal.DivisionPrecision = %d, want the library default 16", decimal.DivisionPrecision)
	}
}
