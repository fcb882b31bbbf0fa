package money

import (
	"errors"
	"math"
	"math/big"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func TestAllocate(t *testing.T) {
	const max = math.MaxInt64
	tests := []struct {
		name    string
		total   Amount
		weights []int64
		want    []string // decimal numbers in total's currency
	}{
		{name: "thirds", total: MustParse("100.00", EUR), weights: []int64{1, 1, 1}, want: []string{"33.34", "33.33", "33.33"}},
		{name: "negative thirds", total: MustParse("-100.00", EUR), weights: []int64{1, 1, 1}, want: []string{"-33.34", "-33.33", "-33.33"}},
		{name: "5 cents by 3:7 tie to lower index", total: MustParse("0.05", EUR), weights: []int64{3, 7}, want: []string{"0.02", "0.03"}},
		{name: "5 cents by 7:3", total: MustParse("0.05", EUR), weights: []int64{7, 3}, want: []string{"0.04", "0.01"}},
		{name: "negative 5 cents by 3:7", total: MustParse("-0.05", EUR), weights: []int64{3, 7}, want: []string{"-0.02", "-0.03"}},
		{name: "largest remainder wins", total: MustParse("100", JPY), weights: []int64{1, 2}, want: []string{"33", "67"}},
		{name: "sixths", total: MustParse("1.00", EUR), weights: []int64{1, 1, 1, 1, 1, 1}, want: []string{"0.17", "0.17", "0.17", "0.17", "0.16", "0.16"}},
		{name: "exact shares", total: MustParse("0.10", EUR), weights: []int64{1, 2, 3, 4}, want: []string{"0.01", "0.02", "0.03", "0.04"}},
		{name: "zero weight", total: MustParse("10.00", EUR), weights: []int64{0, 1, 1}, want: []string{"0.00", "5.00", "5.00"}},
		{name: "zero weight never gets the odd cent", total: MustParse("0.01", EUR), weights: []int64{0, 1, 1}, want: []string{"0.00", "0.01", "0.00"}},
		{name: "single weight", total: MustParse("123.45", EUR), weights: []int64{7}, want: []string{"123.45"}},
		{name: "zero total", total: Zero(EUR), weights: []int64{1, 2}, want: []string{"0.00", "0.00"}},
		{name: "percentages", total: MustParse("1000.00", EUR), weights: []int64{3333, 3333, 3334}, want: []string{"333.30", "333.30", "333.40"}},
		{name: "BHD", total: MustParse("1.000", BHD), weights: []int64{1, 1, 1}, want: []string{"0.334", "0.333", "0.333"}},
		{name: "max total halves", total: New(max, JPY), weights: []int64{1, 1}, want: []string{"4611686018427387904", "4611686018427387903"}},
		{name: "max weights (128-bit sum)", total: New(max, JPY), weights: []int64{max, max, max}, want: []string{"3074457345618258603", "3074457345618258602", "3074457345618258602"}},
		{name: "max weights negative total", total: New(-max, JPY), weights: []int64{max, max, max}, want: []string{"-3074457345618258603", "-3074457345618258602", "-3074457345618258602"}},
		{name: "lopsided max weight", total: MustParse("1.00", EUR), weights: []int64{max, 1}, want: []string{"1.00", "0.00"}},
		{name: "lopsided small weights", total: MustParse("1.00", EUR), weights: []int64{1, max, max}, want: []string{"0.00", "0.50", "0.50"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Allocate(tt.total, tt.weights...)
			if err != nil {
				t.Fatalf("Allocate: %v", err)
			}
			var want []Amount
			for _, s := range tt.want {
				want = append(want, MustParse(s, tt.total.Currency()))
			}
			if diff := cmp.Diff(got, want, cmp.Comparer(Amount.Equal)); diff != "" {
				t.Errorf("Allocate(%v, %v) mismatch (-got +want):\n%s", tt.total, tt.weights, diff)
			}
		})
	}
}

func TestAllocateErrors(t *testing.T) {
	tests := []struct {
		name    string
		weights []int64
	}{
		{name: "no weights"},
		{name: "negative weight", weights: []int64{1, -1, 1}},
		{name: "all zero", weights: []int64{0, 0}},
		{name: "MinInt64 weight", weights: []int64{math.MinInt64}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Allocate(New(100, EUR), tt.weights...)
			if !errors.Is(err, ErrWeights) {
				t.Errorf("Allocate(%v) = %v, %v; want ErrWeights", tt.weights, got, err)
			}
		})
	}
}

// TestAllocateProperties checks, for random totals and weights, that the
// parts sum to the total, that each part is the exact share rounded down
// or up by one minor unit, that the extra units went to the largest
// remainders (ties to the lower index), and that the result is
// deterministic. It recomputes everything with big.Int, independently of
// the fast path.
func TestAllocateProperties(t *testing.T) {
	weight := rapid.OneOf(
		rapid.Int64Range(0, 10),
		rapid.Int64Range(0, 1_000_000),
		rapid.Int64Range(0, math.MaxInt64),
		rapid.Int64Range(math.MaxInt64-10, math.MaxInt64),
	)
	total := rapid.OneOf(
		rapid.Int64Range(-1000, 1000),
		rapid.Int64Range(-math.MaxInt64, math.MaxInt64),
		rapid.Int64Range(math.MaxInt64-100, math.MaxInt64),
		rapid.Int64Range(-math.MaxInt64, -math.MaxInt64+100),
	)
	rapid.Check(t, func(t *rapid.T) {
		n := total.Draw(t, "total")
		ws := rapid.SliceOfN(weight, 1, 12).Filter(func(ws []int64) bool {
			for _, w := range ws {
				if w != 0 {
					return true
				}
			}
			return false
		}).Draw(t, "weights")
		tot := New(n, EUR)

		parts, err := Allocate(tot, ws...)
		if err != nil {
			t.Fatalf("Allocate: %v", err)
		}
		if len(parts) != len(ws) {
			t.Fatalf("got %d parts for %d weights", len(parts), len(ws))
		}
		sum, err := Sum(EUR, parts...)
		if err != nil || sum != tot {
			t.Fatalf("parts sum to %v (%v), want %v", sum, err, tot)
		}

		absT := new(big.Int).Abs(big.NewInt(n))
		sumW := new(big.Int)
		for _, w := range ws {
			sumW.Add(sumW, big.NewInt(w))
		}
		rems := make([]*big.Int, len(ws))
		extra := make([]bool, len(ws))
		for i, w := range ws {
			if p := parts[i].MinorUnits(); p != 0 && (p < 0) != (n < 0) {
				t.Fatalf("part %d = %v has the wrong sign", i, parts[i])
			}
			floor, rem := new(big.Int).QuoRem(new(big.Int).Mul(absT, big.NewInt(w)), sumW, new(big.Int))
			rems[i] = rem
			got := new(big.Int).Abs(big.NewInt(parts[i].MinorUnits()))
			switch diff := new(big.Int).Sub(got, floor); {
			case diff.Sign() == 0:
			case diff.Cmp(big.NewInt(1)) == 0:
				extra[i] = true
				if rem.Sign() == 0 {
					t.Fatalf("part %d got an extra unit with an exact share", i)
				}
			default:
				t.Fatalf("part %d = %v, exact share floor %v", i, parts[i], floor)
			}
		}
		for i := range ws {
			for j := range ws {
				if !extra[i] || extra[j] {
					continue
				}
				// i got an extra unit and j did not: i must rank higher.
				if c := rems[i].Cmp(rems[j]); c < 0 || c == 0 && i > j {
					t.Fatalf("part %d (remainder %v) got a unit before part %d (remainder %v)", i, rems[i], j, rems[j])
				}
			}
		}

		again, err := Allocate(tot, ws...)
		if err != nil || !cmp.Equal(again, parts, cmp.Comparer(Amount.Equal)) {
			t.Fatalf("second Allocate = %v, %v; want %v", again, err, parts)
		}
	})
}
