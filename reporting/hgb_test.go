package reporting_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/reporting"
)

// skrCodes names the accounts of the SKR test book in each chart.
var skrCodes = map[string]map[string]string{
	"skr03": {"bank": "1200", "capital": "0800", "revenue": "8400", "vatOut": "1776", "vatIn": "1576", "purchases": "3400",
		"salaries": "4120", "depreciation": "4830", "rent": "4210", "office": "0420", "payables": "1600",
		"receivables": "1400", "loan": "0630", "interest": "2100"},
	"skr04": {"bank": "1800", "capital": "2900", "revenue": "4400", "vatOut": "3806", "vatIn": "1406", "purchases": "5400",
		"salaries": "6020", "depreciation": "6220", "rent": "6310", "office": "0650", "payables": "3300",
		"receivables": "1200", "loan": "3150", "interest": "7300"},
}

// skrBook posts the same twelve entries in either chart. Worked by hand:
//
//	bank      25,000 + 10,000 − 4,760 − 5,000 − 1,200 + 11,900 − 7,140 − 80 − 3,000 = 25,720 Dr
//	office    6,000 − 300 depreciation                              = 5,700 Dr
//	vatIn     1,140 + 760                                           = 1,900 Dr
//	vatOut    2,850 Cr − 3,000 overpaid                             =   150 Dr → B.II.4, not P.C.8
//	receivables 17,850 − 11,900                                     = 5,950 Dr
//	payables  7,140 − 7,140 = 0; capital 25,000 Cr; loan 10,000 Cr
//	result    revenue 15,000 − (4,000 + 5,000 + 1,200 + 300 + 80) = 4,420 (Jahresüberschuss)
func skrBook(t testing.TB, chart string) (*ledger.Ledger, map[string]string) {
	t.Helper()
	c := skrCodes[chart]
	accts := ledger.SKR03("gmbh")
	if chart == "skr04" {
		accts = ledger.SKR04("gmbh")
	}
	l := newLedger(t, "gmbh", accts)
	e := func(date, voucher, text string, lines ...ln) entry {
		for i := range lines {
			lines[i].account = c[lines[i].account]
		}
		return entry{date, voucher, text, lines}
	}
	post(t, l, "gmbh",
		e("2026-01-02", "S1", "Stammkapital", ln{"bank", "25000.00"}, ln{"capital", "-25000.00"}),
		e("2026-01-05", "S2", "Darlehen", ln{"bank", "10000.00"}, ln{"loan", "-10000.00"}),
		e("2026-01-15", "S3", "Büromöbel", ln{"office", "6000.00"}, ln{"vatIn", "1140.00"}, ln{"payables", "-7140.00"}),
		e("2026-02-01", "S4", "Wareneinkauf", ln{"purchases", "4000.00"}, ln{"vatIn", "760.00"}, ln{"bank", "-4760.00"}),
		e("2026-02-10", "S5", "Rechnung 1", ln{"receivables", "17850.00"}, ln{"revenue", "-15000.00"}, ln{"vatOut", "-2850.00"}),
		e("2026-02-28", "S6", "Gehälter", ln{"salaries", "5000.00"}, ln{"bank", "-5000.00"}),
		e("2026-03-01", "S7", "Miete", ln{"rent", "1200.00"}, ln{"bank", "-1200.00"}),
		e("2026-03-05", "S8", "Zahlungseingang", ln{"bank", "11900.00"}, ln{"receivables", "-11900.00"}),
		e("2026-03-20", "S9", "Zahlung Lieferant", ln{"payables", "7140.00"}, ln{"bank", "-7140.00"}),
		e("2026-03-31", "S10", "AfA", ln{"depreciation", "300.00"}, ln{"office", "-300.00"}),
		e("2026-03-31", "S11", "Zinsen", ln{"interest", "80.00"}, ln{"bank", "-80.00"}),
		e("2026-03-31", "S12", "USt-Vorauszahlung", ln{"vatOut", "3000.00"}, ln{"bank", "-3000.00"}),
	)
	return l, c
}

// lineValues returns the first amount of every row that carries a layout
// line's value (not an account row).
func lineValues(r reporting.Report) map[string]string {
	out := map[string]string{}
	for _, row := range r.Rows {
		if row.Line != "" && row.Account == "" && row.Kind != reporting.HeadingRow {
			out[row.Line] = row.Cells[1].Amount.Number()
		}
	}
	return out
}

func TestHGB(t *testing.T) {
	ctx := context.Background()
	bilanz, err := reporting.LoadLayout("hgb-266")
	if err != nil {
		t.Fatal(err)
	}
	guv, err := reporting.LoadLayout("hgb-275")
	if err != nil {
		t.Fatal(err)
	}
	for _, chart := range []string{"skr03", "skr04"} {
		t.Run(chart, func(t *testing.T) {
			l, c := skrBook(t, chart)
			o := opts("2026-01-01", "2026-03-31")
			o.Layout = bilanz
			bs, err := reporting.BalanceSheet(ctx, l, "gmbh", o)
			if err != nil {
				t.Fatal(err)
			}
			checkReport(t, bs)
			wantBS := map[string]string{
				"Aktiva": "39420.00", "A": "5700.00", "A.II": "5700.00", "A.II.3": "5700.00",
				"B": "33720.00", "B.II": "8000.00", "B.II.1": "5950.00", "B.II.4": "2050.00", "B.IV": "25720.00",
				"Passiva": "39420.00", "P.A": "29420.00", "P.A.I": "25000.00", "P.A.V": "4420.00",
				"P.C": "10000.00", "P.C.2": "10000.00",
			}
			if diff := cmp.Diff(wantBS, lineValues(bs)); diff != "" {
				t.Errorf("Bilanz lines (-want +got):\n%s", diff)
			}
			// The overpaid VAT account stands on the asset side.
			var moved bool
			for _, row := range bs.Rows {
				moved = moved || row.Account == c["vatOut"] && row.Line == "B.II.4" && row.Cells[1].Amount == eur("150.00")
			}
			if !moved {
				t.Errorf("VAT account %s with a debit balance is not under B.II.4", c["vatOut"])
			}
			if bs.Title != "Bilanz" {
				t.Errorf("title %q", bs.Title)
			}

			o.Layout = guv
			is, err := reporting.IncomeStatement(ctx, l, "gmbh", o)
			if err != nil {
				t.Fatal(err)
			}
			checkReport(t, is)
			wantIS := map[string]string{
				"GuV.1": "15000.00", "GuV.5": "4000.00", "GuV.5a": "4000.00", "GuV.6": "5000.00", "GuV.6a": "5000.00",
				"GuV.7": "300.00", "GuV.7a": "300.00", "GuV.8": "1200.00", "GuV.13": "80.00",
				"GuV.15": "4420.00", "GuV.17": "4420.00",
			}
			if diff := cmp.Diff(wantIS, lineValues(is)); diff != "" {
				t.Errorf("GuV lines (-want +got):\n%s", diff)
			}

			// Cash flow: net result 4,420 + depreciation 300; working capital
			// receivables −5,950, vatIn −1,900, vatOut −150 = −8,000;
			// operating −3,280. Investing: office −5,700 and the write-down
			// booked on it −300 = −6,000. Financing: capital 25,000 + loan
			// 10,000. Net change 25,720 = the bank balance.
			cf, err := reporting.CashFlow(ctx, l, "gmbh", opts("2026-01-01", "2026-03-31"))
			if err != nil {
				t.Fatal(err)
			}
			checkReport(t, cf)
			want := []string{
				"subtotal 0 Summe Cashflow aus laufender Geschäftstätigkeit | -3280.00",
				"subtotal 0 Summe Cashflow aus Investitionstätigkeit | -6000.00",
				"subtotal 0 Summe Cashflow aus Finanzierungstätigkeit | 35000.00",
				"total 0 Zahlungswirksame Veränderung des Finanzmittelfonds | 25720.00",
				"detail 0 Finanzmittelfonds am Anfang der Periode | 0.00",
				"total 0 Finanzmittelfonds am Ende der Periode | 25720.00",
			}
			var got []string
			for i, s := range lines(cf) {
				if row := cf.Rows[i]; row.Level == 0 && row.Kind != reporting.HeadingRow {
					got = append(got, s)
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("cash flow sections (-want +got):\n%s", diff)
			}

			for name, r := range map[string]reporting.Report{"bilanz": bs, "guv": is, "cashflow": cf} {
				var buf bytes.Buffer
				if err := reporting.WriteText(&buf, r, &reporting.TextOptions{Format: moneyGerman}); err != nil {
					t.Fatal(err)
				}
				golden(t, chart+"-"+name+".txt", buf.Bytes())
			}
		})
	}
}
