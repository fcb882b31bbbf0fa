package us

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
)

// TestWorksheet1AFull checks every line of one hand-worked case.
func TestWorksheet1AFull(t *testing.T) {
	// 2026, single, biweekly, 2,000.00, no adjustments:
	// 1c 2,000 × 26 = 52,000; 1g 8,600; 1i 52,000 − 8,600 = 43,400;
	// standard single row "at least 19,900": 1,240 + 12 % of the excess;
	// 2e 43,400 − 19,900 = 23,500; 2f × 12 % = 2,820.00; 2g 4,060.00;
	// 2h 4,060.00 ÷ 26 = 156.153… = 156.15.
	got, err := Worksheet1A(WorksheetInput{Employee: "acme/1", PayDate: date.New(2026, 3, 20), Frequency: Biweekly,
		Wages: usd("2000"), W4: hr.USTax{FilingStatus: hr.Single}})
	if err != nil {
		t.Fatal(err)
	}
	z := usd("0")
	want := Worksheet{Year: 2026, Source: got.Source, Table: "standard", FilingStatus: hr.Single,
		Line1a: usd("2000"), Line1b: 26, Line1c: usd("52000"),
		Line1d: z, Line1e: usd("52000"), Line1f: z, Line1g: usd("8600"), Line1h: usd("8600"), Line1i: usd("43400"),
		Line2a: usd("43400"), Line2b: usd("19900"), Line2c: usd("1240"), Line2d: decimal.RequireFromString("0.12"),
		Line2e: usd("23500"), Line2f: usd("2820"), Line2g: usd("4060"), Line2h: usd("156.15"),
		Line3a: z, Line3b: z, Line3c: usd("156.15"), Line4a: z, Line4b: usd("156.15"), Withholding: usd("156.15")}
	if diff := cmp.Diff(got, want, cmpDec); diff != "" {
		t.Errorf("(-got +want):\n%s", diff)
	}
}

// key are the lines checked by TestWorksheet1A, as plain numbers.
type key struct {
	L1i, L1l, L2b, L2c, L2d, L2h, L3b, L3c, L4b, W string
}

func TestWorksheet1A(t *testing.T) {
	d25, d26 := date.New(2025, 6, 13), date.New(2026, 6, 12)
	for _, tc := range []struct {
		name  string
		pay   date.Date
		freq  Frequency
		wages string
		w4    hr.USTax
		round Rounding
		want  key
	}{
		{
			// 1c 8,000 × 12 = 96,000; 1i 96,000 − 12,900 = 83,100; row 44,100:
			// 2,480 + 12 % × 39,000 = 7,160.00; ÷ 12 = 596.666… = 596.67.
			name: "2026 married jointly standard monthly", pay: d26, freq: Monthly, wages: "8000",
			w4:   hr.USTax{FilingStatus: hr.MarriedJointly},
			want: key{"83100.00", "0", "44100.00", "2480.00", "0.12", "596.67", "0.00", "596.67", "596.67", "596.67"},
		},
		{
			// 1c 3,000 × 24 = 72,000; 1i 72,000 − 8,600 = 63,400; row 33,250:
			// 1,770 + 12 % × 30,150 = 5,388.00; ÷ 24 = 224.50.
			name: "2026 head of household standard semimonthly", pay: d26, freq: Semimonthly, wages: "3000",
			w4:   hr.USTax{FilingStatus: hr.HeadOfHousehold},
			want: key{"63400.00", "0", "33250.00", "1770.00", "0.12", "224.50", "0.00", "224.50", "224.50", "224.50"},
		},
		{
			// Whole dollars: the same 224.50 rounds half up to 225.
			name: "2026 head of household whole dollars", pay: d26, freq: Semimonthly, wages: "3000",
			w4: hr.USTax{FilingStatus: hr.HeadOfHousehold}, round: WholeDollars,
			want: key{"63400.00", "0", "33250.00", "1770.00", "0.12", "224.50", "0.00", "224.50", "224.50", "225.00"},
		},
		{
			// 2,000 biweekly single is 156.15 (TestWorksheet1AFull): 156 whole.
			name: "2026 single whole dollars down", pay: d26, freq: Biweekly, wages: "2000",
			w4: hr.USTax{FilingStatus: hr.Single}, round: WholeDollars,
			want: key{"43400.00", "0", "19900.00", "1240.00", "0.12", "156.15", "0.00", "156.15", "156.15", "156.00"},
		},
		{
			// Checkbox: 1g 0; 1i 1,500 × 52 = 78,000; checkbox single row
			// 60,900: 8,983 + 24 % × 17,100 = 13,087.00; ÷ 52 = 251.673… = 251.67.
			name: "2026 single checkbox weekly", pay: d26, freq: Weekly, wages: "1500",
			w4:   hr.USTax{FilingStatus: hr.Single, MultipleJobs: true},
			want: key{"78000.00", "0", "60900.00", "8983.00", "0.24", "251.67", "0.00", "251.67", "251.67", "251.67"},
		},
		{
			// 1i 4,000 × 26 = 104,000; checkbox MFJ row 66,500: 5,800 + 22 % ×
			// 37,500 = 14,050.00; ÷ 26 = 540.384… = 540.38.
			name: "2026 married jointly checkbox biweekly", pay: d26, freq: Biweekly, wages: "4000",
			w4:   hr.USTax{FilingStatus: hr.MarriedJointly, MultipleJobs: true},
			want: key{"104000.00", "0", "66500.00", "5800.00", "0.22", "540.38", "0.00", "540.38", "540.38", "540.38"},
		},
		{
			// 1i 5,000 × 12 = 60,000; checkbox HoH row 45,800: 3,870 + 22 % ×
			// 14,200 = 6,994.00; ÷ 12 = 582.833… = 582.83.
			name: "2026 head of household checkbox monthly", pay: d26, freq: Monthly, wages: "5000",
			w4:   hr.USTax{FilingStatus: hr.HeadOfHousehold, MultipleJobs: true},
			want: key{"60000.00", "0", "45800.00", "3870.00", "0.22", "582.83", "0.00", "582.83", "582.83", "582.83"},
		},
		{
			// 2025 table: 1i 52,000 − 8,600 = 43,400; 2025 single row 18,325:
			// 1,192.50 + 12 % × 25,075 = 4,201.50; ÷ 26 = 161.596… = 161.60.
			name: "2025 single standard biweekly", pay: d25, freq: Biweekly, wages: "2000",
			w4:   hr.USTax{FilingStatus: hr.Single},
			want: key{"43400.00", "0", "18325.00", "1192.50", "0.12", "161.60", "0.00", "161.60", "161.60", "161.60"},
		},
		{
			// Every step: 1c 5,000 × 26 = 130,000; 1e + 4(a) 1,300 = 131,300;
			// 1h 4(b) 2,600 + 12,900 = 15,500; 1i 115,800; 2025 MFJ row 114,050:
			// 11,157 + 22 % × 1,750 = 11,542.00; ÷ 26 = 443.923… = 443.92;
			// 3b 4,000 ÷ 26 = 153.846… = 153.85; 3c 290.07; 4b + 4(c) 25 = 315.07.
			name: "2025 married jointly steps 3 and 4", pay: d25, freq: Biweekly, wages: "5000",
			w4: hr.USTax{FilingStatus: hr.MarriedJointly, Dependents: usd("4000"), OtherIncome: usd("1300"),
				Deductions: usd("2600"), ExtraWithholding: usd("25")},
			want: key{"115800.00", "0", "114050.00", "11157.00", "0.22", "443.92", "153.85", "290.07", "315.07", "315.07"},
		},
		{
			// Credits above the tax: 1i 24,000 − 8,600 = 15,400; row 7,500:
			// 10 % × 7,900 = 790.00; ÷ 12 = 65.83; 3b 4,000 ÷ 12 = 333.33;
			// 3c max(0, 65.83 − 333.33) = 0; 4b + 4(c) 10 = 10.00.
			name: "2026 step 3 exceeds tax", pay: d26, freq: Monthly, wages: "2000",
			w4:   hr.USTax{FilingStatus: hr.Single, Dependents: usd("4000"), ExtraWithholding: usd("10")},
			want: key{"15400.00", "0", "7500.00", "0.00", "0.1", "65.83", "333.33", "0.00", "10.00", "10.00"},
		},
		{
			// Pre-2020, married, 3 allowances, line 6 20.00: 1c 3,000 × 26 =
			// 78,000; 1k 3 × 4,300 = 12,900; 1l 65,100; standard MFJ row 44,100:
			// 2,480 + 12 % × 21,000 = 5,000.00; ÷ 26 = 192.307… = 192.31; + 20.
			name: "2026 pre-2020 married", pay: d26, freq: Biweekly, wages: "3000",
			w4:   hr.USTax{FilingStatus: hr.MarriedJointly, Pre2020: true, Allowances: 3, ExtraWithholding: usd("20")},
			want: key{"0", "65100.00", "44100.00", "2480.00", "0.12", "192.31", "0.00", "192.31", "212.31", "212.31"},
		},
		{
			// Pre-2020, married at the single rate, 1 allowance: 1c 52,000;
			// 1l 52,000 − 4,300 = 47,700; standard single row 19,900: 1,240 +
			// 12 % × 27,800 = 4,576.00; ÷ 52 = 88.00.
			name: "2026 pre-2020 married single rate", pay: d26, freq: Weekly, wages: "1000",
			w4:   hr.USTax{FilingStatus: hr.MarriedSingleRate, Pre2020: true, Allowances: 1},
			want: key{"0", "47700.00", "19900.00", "1240.00", "0.12", "88.00", "0.00", "88.00", "88.00", "88.00"},
		},
		{
			// Daily (260): 1c 300 × 260 = 78,000; 1i 69,400; row 57,900: 5,800 +
			// 22 % × 11,500 = 8,330.00; ÷ 260 = 32.038… = 32.04.
			name: "2026 single daily", pay: d26, freq: Daily, wages: "300",
			w4:   hr.USTax{FilingStatus: hr.Single},
			want: key{"69400.00", "0", "57900.00", "5800.00", "0.22", "32.04", "0.00", "32.04", "32.04", "32.04"},
		},
		{
			// Top row, annual: 1i 700,000 − 8,600 = 691,400; row 648,100:
			// 192,979.25 + 37 % × 43,300 = 209,000.25.
			name: "2026 single top row annual", pay: d26, freq: Annual, wages: "700000",
			w4:   hr.USTax{FilingStatus: hr.Single},
			want: key{"691400.00", "0", "648100.00", "192979.25", "0.37", "209000.25", "0.00", "209000.25", "209000.25", "209000.25"},
		},
		{
			// No wages: 1i max(0, 0 − 8,600) = 0; row 0 at 0 %.
			name: "2026 zero wages", pay: d26, freq: Quarterly, wages: "0",
			w4:   hr.USTax{FilingStatus: hr.Single},
			want: key{"0.00", "0", "0.00", "0.00", "0", "0.00", "0.00", "0.00", "0.00", "0.00"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ws, err := Worksheet1A(WorksheetInput{Employee: "acme/1", PayDate: tc.pay, Frequency: tc.freq,
				Wages: usd(tc.wages), W4: tc.w4, Rounding: tc.round})
			if err != nil {
				t.Fatal(err)
			}
			num := func(a money.Amount) string {
				if a.Currency().IsZero() {
					return "0"
				}
				return a.Number()
			}
			got := key{num(ws.Line1i), num(ws.Line1l), num(ws.Line2b), num(ws.Line2c), ws.Line2d.String(), num(ws.Line2h),
				num(ws.Line3b), num(ws.Line3c), num(ws.Line4b), num(ws.Withholding)}
			if diff := cmp.Diff(got, tc.want); diff != "" {
				t.Errorf("(-got +want):\n%s", diff)
			}
		})
	}
}

func TestWorksheet1AErrors(t *testing.T) {
	d26 := date.New(2026, 6, 12)
	single := hr.USTax{FilingStatus: hr.Single}
	for _, tc := range []struct {
		name   string
		in     WorksheetInput
		field  string
		target error
	}{
		{"unknown filing status", WorksheetInput{W4: hr.USTax{FilingStatus: "married_separately"}}, "filing_status", ErrInvalidW4},
		{"no filing status", WorksheetInput{}, "filing_status", ErrInvalidW4},
		{"head of household before 2020", WorksheetInput{W4: hr.USTax{FilingStatus: hr.HeadOfHousehold, Pre2020: true}}, "filing_status", ErrInvalidW4},
		{"single rate after 2019", WorksheetInput{W4: hr.USTax{FilingStatus: hr.MarriedSingleRate}}, "filing_status", ErrInvalidW4},
		{"negative 4(b)", WorksheetInput{W4: hr.USTax{FilingStatus: hr.Single, Deductions: usd("-1")}}, "deductions", ErrInvalidW4},
		{"negative step 3", WorksheetInput{W4: hr.USTax{FilingStatus: hr.Single, Dependents: usd("-2000")}}, "dependents", ErrInvalidW4},
		{"negative 4(a)", WorksheetInput{W4: hr.USTax{FilingStatus: hr.Single, OtherIncome: usd("-5")}}, "other_income", ErrInvalidW4},
		{"negative 4(c)", WorksheetInput{W4: hr.USTax{FilingStatus: hr.Single, ExtraWithholding: usd("-5")}}, "extra_withholding", ErrInvalidW4},
		{"euro step", WorksheetInput{W4: hr.USTax{FilingStatus: hr.Single, Deductions: money.MustParse("5", money.EUR)}}, "deductions", ErrInvalidW4},
		{"allowances on a 2020 form", WorksheetInput{W4: hr.USTax{FilingStatus: hr.Single, Allowances: 2}}, "allowances", ErrInvalidW4},
		{"step 3 on a 2019 form", WorksheetInput{W4: hr.USTax{FilingStatus: hr.Single, Pre2020: true, Allowances: 2, Dependents: usd("2000")}}, "dependents", ErrInvalidW4},
		{"step 2 on a 2019 form", WorksheetInput{W4: hr.USTax{FilingStatus: hr.Single, Pre2020: true, MultipleJobs: true}}, "multiple_jobs", ErrInvalidW4},
		{"negative allowances", WorksheetInput{W4: hr.USTax{FilingStatus: hr.Single, Pre2020: true, Allowances: -1}}, "allowances", ErrInvalidW4},
		{"exempt with step 4(c)", WorksheetInput{W4: hr.USTax{FilingStatus: hr.Single, Exempt: true, ExtraWithholding: usd("20")}}, "exempt", ErrInvalidW4},
		{"exempt with allowances", WorksheetInput{W4: hr.USTax{FilingStatus: hr.Single, Pre2020: true, Exempt: true, Allowances: 1}}, "exempt", ErrInvalidW4},
		{"2027", WorksheetInput{PayDate: date.New(2027, 1, 8), W4: single}, "pay_date", ErrNoTable},
		{"2024", WorksheetInput{PayDate: date.New(2024, 12, 31), W4: single}, "pay_date", ErrNoTable},
		{"no date", WorksheetInput{PayDate: date.Date{}, W4: single}, "pay_date", ErrNoTable},
		{"frequency", WorksheetInput{Frequency: "fortnightly", W4: single}, "frequency", payroll.ErrInvalidInput},
		{"negative wages", WorksheetInput{Wages: usd("-1"), W4: single}, "wages", payroll.ErrInvalidInput},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.Employee = "acme/42"
			if in.PayDate.IsZero() && tc.name != "no date" {
				in.PayDate = d26
			}
			if in.Frequency == "" {
				in.Frequency = Monthly
			}
			if in.Wages.Currency().IsZero() {
				in.Wages = usd("1000")
			}
			_, err := Worksheet1A(in)
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("got %v, want a *FieldError", err)
			}
			if got, want := [2]string{fe.Employee, fe.Field}, [2]string{"acme/42", tc.field}; got != want {
				t.Errorf("got %v, want %v", got, want)
			}
			if !errors.Is(err, tc.target) {
				t.Errorf("got %v, want %v", err, tc.target)
			}
		})
	}
	// The sentinels sort into package payroll's.
	if !errors.Is(ErrInvalidW4, payroll.ErrInvalidInput) || !errors.Is(ErrNoTable, payroll.ErrNoPackVersion) {
		t.Error("sentinels do not wrap payroll's")
	}
}
