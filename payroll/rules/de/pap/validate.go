package pap

import (
	"math"
	"strconv"

	"github.com/shopspring/decimal"
)

// validate checks in against the ranges the PAP of year documents. Fields a
// version does not declare are zero after conversion or ignored by it.
func validate(year int, in Input) error {
	bad := func(field, value string, err error) error {
		return &InputError{Year: year, Field: field, Value: value, Err: err}
	}
	itoa := strconv.Itoa
	if in.LZZ < 1 || in.LZZ > 4 {
		return bad("LZZ", itoa(in.LZZ), ErrPayPeriod)
	}
	if in.STKL < 1 || in.STKL > 6 {
		return bad("STKL", itoa(in.STKL), ErrTaxClass)
	}
	if in.AF != 0 && in.AF != 1 {
		return bad("AF", itoa(in.AF), ErrOutOfRange)
	}
	if in.AF == 1 {
		f := in.F
		fs := strconv.FormatFloat(f, 'g', -1, 64)
		if math.IsNaN(f) || math.IsInf(f, 0) || f <= 0 || f > 1 || decimal.NewFromFloat(f).Exponent() < -3 {
			return bad("F", fs, ErrFactor)
		}
		if f != 1 && in.STKL != 4 {
			return bad("F", fs, ErrFactor)
		}
	}
	flags := []struct {
		name string
		v    int
		max  int
	}{
		{"ALTER1", in.ALTER1, 1}, {"ALV", in.ALV, 1}, {"KRV", in.KRV, 1},
		{"PVS", in.PVS, 1}, {"PVZ", in.PVZ, 1}, {"ZMVB", in.ZMVB, 12},
		{"PKV", in.PKV, pkvMax(year)}, {"R", in.R, math.MaxInt},
	}
	for _, fl := range flags {
		if fl.v < 0 || fl.v > fl.max {
			return bad(fl.name, itoa(fl.v), ErrOutOfRange)
		}
	}
	decs := [...]struct {
		name string
		v    decimal.Decimal
	}{
		{"RE4", in.RE4}, {"VBEZ", in.VBEZ}, {"LZZFREIB", in.LZZFREIB}, {"LZZHINZU", in.LZZHINZU},
		{"SONSTB", in.SONSTB}, {"SONSTENT", in.SONSTENT}, {"STERBE", in.STERBE}, {"VBS", in.VBS},
		{"JRE4", in.JRE4}, {"JRE4ENT", in.JRE4ENT}, {"JVBEZ", in.JVBEZ}, {"JFREIB", in.JFREIB},
		{"JHINZU", in.JHINZU}, {"MBV", in.MBV}, {"VBEZM", in.VBEZM}, {"VBEZS", in.VBEZS},
		{"PKPV", in.PKPV}, {"PKPVAGZ", in.PKPVAGZ}, {"KVZ", in.KVZ}, {"ZKF", in.ZKF}, {"PVA", in.PVA},
	}
	for _, d := range decs {
		if d.v.Sign() < 0 {
			return bad(d.name, d.v.String(), ErrNegative)
		}
	}
	if in.PVA.GreaterThan(decimal.NewFromInt(4)) {
		return bad("PVA", in.PVA.String(), ErrOutOfRange)
	}
	return nil
}

// pkvMax is the largest PKV the PAP of year documents: 2025 distinguishes
// private insurance without (1) and with (2) employer subsidy, 2026 takes
// the subsidy as PKPVAGZ.
func pkvMax(year int) int {
	if year <= 2025 {
		return 2
	}
	return 1
}
