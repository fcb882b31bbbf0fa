package money

import (
	"fmt"
	"math/big"
	"math/bits"
	"slices"
)

// Allocate splits total into len(weights) parts proportional to weights
// without losing or inventing a minor unit: the parts always add up to
// total exactly. Each part first gets floor(|total|×w/Σw) minor units
// (computed exactly); the units left over then go one each to the parts
// with the largest remainders, ties to the lower index, so the result is
// deterministic. A part with weight 0 gets zero. A negative total is
// split as |total| and the parts negated.
//
// Allocate(100.00 EUR, 1, 1, 1) is [33.34 33.33 33.33]. It fails with
// ErrWeights if there are no weights, a weight is negative, or all are
// zero.
func Allocate(total Amount, weights ...int64) ([]Amount, error) {
	if len(weights) == 0 {
		return nil, fmt.Errorf("money: allocate: no weights: %w", ErrWeights)
	}
	var sum uint64 // Σw, if it fits
	big128 := false
	for i, w := range weights {
		if w < 0 {
			return nil, fmt.Errorf("money: allocate: weight %d is negative: %w", i, ErrWeights)
		}
		var carry uint64
		sum, carry = bits.Add64(sum, uint64(w), 0)
		if carry != 0 {
			big128 = true
		}
	}
	if sum == 0 && !big128 {
		return nil, fmt.Errorf("money: allocate: all weights are zero: %w", ErrWeights)
	}

	t := abs64(total.n)
	units := make([]uint64, len(weights))
	var rank func(i, j int) int // compares remainders of parts i and j
	if !big128 {
		rems := make([]uint64, len(weights))
		for i, w := range weights {
			// t×w/Σw ≤ t, so the quotient fits in 64 bits and hi < sum.
			hi, lo := bits.Mul64(t, uint64(w))
			units[i], rems[i] = bits.Div64(hi, lo, sum)
		}
		rank = func(i, j int) int { return cmpUint(rems[i], rems[j]) }
	} else {
		bigSum := new(big.Int)
		for _, w := range weights {
			bigSum.Add(bigSum, big.NewInt(w))
		}
		bt := new(big.Int).SetUint64(t)
		rems := make([]*big.Int, len(weights))
		for i, w := range weights {
			q, r := new(big.Int).QuoRem(new(big.Int).Mul(bt, big.NewInt(w)), bigSum, new(big.Int))
			units[i], rems[i] = q.Uint64(), r
		}
		rank = func(i, j int) int { return rems[i].Cmp(rems[j]) }
	}

	var given uint64
	for _, u := range units {
		given += u // Σ floor(t×w/Σw) ≤ t: no overflow
	}
	if left := t - given; left > 0 {
		// left < number of parts with a non-zero remainder, so zero
		// weights never receive a unit.
		order := make([]int, len(weights))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(i, j int) int { return rank(j, i) })
		for _, i := range order[:left] {
			units[i]++
		}
	}

	parts := make([]Amount, len(weights))
	for i, u := range units {
		n := int64(u) // u ≤ t ≤ math.MaxInt64
		if total.n < 0 {
			n = -n
		}
		parts[i] = Amount{cur: total.cur, n: n}
	}
	return parts, nil
}
