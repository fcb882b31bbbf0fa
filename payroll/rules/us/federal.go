package us

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
)

//go:embed tables/annual-percentage-method.csv
var annualCSV []byte

// Row is one row of an annual percentage-method table: if the adjusted
// annual wage is at least AtLeast (column A), the tentative annual
// withholding is Tentative (column C) plus Rate (column D, a fraction:
// 0.22 for 22 %) of the excess over AtLeast.
type Row struct {
	AtLeast   money.Amount
	Tentative money.Amount
	Rate      decimal.Decimal
}

// Schedule is the annual percentage-method table of one filing status:
// rows in ascending order of AtLeast, the first at zero.
type Schedule []Row

// row returns the row Worksheet 1A line 2b picks for the adjusted annual
// wage w: the last whose AtLeast is at most w.
func (s Schedule) row(w money.Amount) (Row, bool) {
	for i := len(s) - 1; i >= 0; i-- {
		if c, err := s[i].AtLeast.Cmp(w); err == nil && c <= 0 {
			return s[i], true
		}
	}
	return Row{}, false
}

// Federal is the federal data of one calendar year: the Publication 15-T
// annual percentage-method tables and amounts, the supplemental-wage
// rates, and the FICA and FUTA rates and wage bases. Rates are fractions
// (0.062 for 6.2 %). Federal is data: write it as a literal or take it from
// FederalTables, and do not modify it (or its maps) while calculations
// read it; then it is safe for concurrent use.
type Federal struct {
	// Year is the calendar year the data applies to; a payment dated in
	// another year is refused (ErrNoTable) even if the entry is the latest.
	Year int
	// Source names the source and edition of the data and what was
	// verified about it.
	Source string
	// Standard and Checkbox are the annual percentage-method tables
	// (Standard also for Forms W-4 from 2019 or earlier; Checkbox when the
	// step-2 box is checked), by filing status: hr.MarriedJointly,
	// hr.Single (also married filing separately) and hr.HeadOfHousehold.
	Standard, Checkbox map[hr.FilingStatus]Schedule
	// Line1gJoint and Line1gOther are the Worksheet 1A line-1g amounts
	// for married filing jointly and the other statuses when the step-2
	// box is not checked (12,900 and 8,600).
	Line1gJoint, Line1gOther money.Amount
	// Allowance is the value of one withholding allowance of a Form W-4
	// from 2019 or earlier (4,300).
	Allowance money.Amount
	// SupplementalRate is the optional flat rate on supplemental wages
	// (0.22); MandatoryRate the rate on supplemental wages above
	// MandatoryThreshold in the calendar year (0.37 above 1,000,000).
	SupplementalRate, MandatoryRate decimal.Decimal
	MandatoryThreshold              money.Amount
	// SocialSecurityRate is the Social Security tax rate of the employee
	// and, separately, of the employer (0.062) on wages up to
	// SocialSecurityWageBase in the calendar year.
	SocialSecurityRate     decimal.Decimal
	SocialSecurityWageBase money.Amount
	// MedicareRate is the Medicare tax rate of the employee and,
	// separately, of the employer (0.0145), without a cap.
	MedicareRate decimal.Decimal
	// AdditionalMedicareRate is the employee-only rate (0.009) on Medicare
	// wages above AdditionalMedicareThreshold in the calendar year
	// (200,000, whatever the filing status).
	AdditionalMedicareRate      decimal.Decimal
	AdditionalMedicareThreshold money.Amount
	// FUTARate is the employer's net FUTA rate after the full state credit
	// (0.006) on wages up to FUTAWageBase in the calendar year (7,000).
	FUTARate     decimal.Decimal
	FUTAWageBase money.Amount
}

// FederalTables returns the federal data for 2025 and 2026, one entry from
// 1 January of each year. The withholding tables come from the CSV file
// embedded in the package (tables/annual-percentage-method.csv; see
// tables/README.md for its provenance); the other figures are:
//
//   - line-1g amounts 12,900 and 8,600, allowance 4,300: Publication 15-T
//     (2025 and 2026), Worksheet 1A;
//   - supplemental wages 22 % and 37 % above 1,000,000: Publication 15
//     (2025 and 2026), section 7; Treas. Reg. § 31.3402(g)-1;
//   - Social Security 6.2 % up to 176,100 (2025) and 184,500 (2026), the
//     SSA's announced contribution and benefit bases; Medicare 1.45 %;
//     Additional Medicare 0.9 % above 200,000: IRC §§ 3101, 3111, 3102(f);
//   - FUTA 6.0 % less the 5.4 % credit = 0.6 % on 7,000: IRC §§ 3301,
//     3302, 3306(b)(1). Credit reduction states are not modelled.
//
// It returns new values on every call and is safe for concurrent use. It
// panics only if the embedded file is malformed, which the package's tests
// rule out.
func FederalTables() payroll.Table[Federal] {
	t, err := parseFederal(annualCSV)
	if err != nil {
		panic(err)
	}
	return t
}

func usd(s string) money.Amount { return money.MustParse(s, money.USD) }

func parseFederal(data []byte) (payroll.Table[Federal], error) {
	years := []struct {
		year   int
		ssBase string
		source string
	}{
		{2025, "176100", "IRS Publication 15-T (2025), Worksheet 1A and Annual Percentage Method tables; " +
			"transcribed from third-party copies, not the IRS file; every row verified arithmetically against " +
			"the brackets and standard deductions of Rev. Proc. 2024-40; one checkbox cell corrected by that check " +
			"(single, 22 % row: 31,738, not 31,735; see tables/README.md). " +
			"Publication 15 (2025) for supplemental wages; Social Security wage base 176,100 (SSA)."},
		{2026, "184500", "IRS Publication 15-T (2026), Worksheet 1A and Annual Percentage Method tables; " +
			"transcribed from third-party copies, not the IRS file; every row verified arithmetically against " +
			"the brackets and standard deductions of Rev. Proc. 2025-32 as the transcription implies them " +
			"(standard deduction single 16,100), not against the Revenue Procedure's text (see tables/README.md). " +
			"Publication 15 (2026) for supplemental wages; Social Security wage base 184,500 (SSA)."},
	}
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("us: federal tables: %w", err)
	}
	if len(recs) < 1 || len(recs[0]) != 6 || recs[0][0] != "year" {
		return nil, fmt.Errorf("us: federal tables: unexpected header")
	}
	status := map[string]hr.FilingStatus{"mfj": hr.MarriedJointly, "single": hr.Single, "hoh": hr.HeadOfHousehold}
	out := make(payroll.Table[Federal], 0, len(years))
	for _, y := range years {
		f := Federal{
			Year: y.year, Source: y.source,
			Standard: map[hr.FilingStatus]Schedule{}, Checkbox: map[hr.FilingStatus]Schedule{},
			Line1gJoint: usd("12900"), Line1gOther: usd("8600"), Allowance: usd("4300"),
			SupplementalRate: decimal.RequireFromString("0.22"), MandatoryRate: decimal.RequireFromString("0.37"),
			MandatoryThreshold:     usd("1000000"),
			SocialSecurityRate:     decimal.RequireFromString("0.062"),
			SocialSecurityWageBase: usd(y.ssBase),
			MedicareRate:           decimal.RequireFromString("0.0145"),
			AdditionalMedicareRate: decimal.RequireFromString("0.009"), AdditionalMedicareThreshold: usd("200000"),
			FUTARate: decimal.RequireFromString("0.006"), FUTAWageBase: usd("7000"),
		}
		for i, r := range recs[1:] {
			if r[0] != strconv.Itoa(y.year) {
				continue
			}
			st, ok := status[r[2]]
			var m map[hr.FilingStatus]Schedule
			switch r[1] {
			case "standard":
				m = f.Standard
			case "checkbox":
				m = f.Checkbox
			}
			if !ok || m == nil {
				return nil, fmt.Errorf("us: federal tables: line %d: unknown table or filing status", i+2)
			}
			at, err1 := money.Parse(r[3], money.USD)
			tent, err2 := money.Parse(r[4], money.USD)
			rate, err3 := decimal.NewFromString(r[5])
			if err1 != nil || err2 != nil || err3 != nil {
				return nil, fmt.Errorf("us: federal tables: line %d: malformed number", i+2)
			}
			s := m[st]
			if len(s) == 0 && !at.IsZero() || len(s) > 0 && !s[len(s)-1].AtLeast.Decimal().LessThan(at.Decimal()) {
				return nil, fmt.Errorf("us: federal tables: line %d: rows must start at zero and ascend", i+2)
			}
			m[st] = append(s, Row{AtLeast: at, Tentative: tent, Rate: rate.Shift(-2)})
		}
		for _, m := range []map[hr.FilingStatus]Schedule{f.Standard, f.Checkbox} {
			if len(m) != 3 {
				return nil, fmt.Errorf("us: federal tables: %d: a table lacks a filing status", y.year)
			}
		}
		out = append(out, payroll.Dated[Federal]{From: date.New(y.year, 1, 1), Value: f})
	}
	return out, nil
}
