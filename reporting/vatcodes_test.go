package reporting_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/reporting"
	"github.com/openbackoffice/backoffice/store/memory"
)

// vl is a line of amount s (positive a debit) on account, carrying VAT
// code code if not "".
func vl(account, s, code string) ledger.Line {
	l := ledger.Line{Account: account, Amount: eur(s)}
	if code != "" {
		l.Dimensions = map[string]string{"vat": code}
	}
	return l
}

// codedBook posts entries (keys "e1", "e2" …, in March 2025 unless their
// Date is set) into a new book on chart.
func codedBook(t *testing.T, chart func(string) []ledger.Account, entries ...ledger.Entry) *ledger.Ledger {
	t.Helper()
	ctx := context.Background()
	l := ledger.New(memory.New(), &ledger.Options{Now: func() time.Time { return time.Date(2025, 4, 2, 9, 0, 0, 0, time.UTC) }})
	if err := l.CreateBook(ctx, ledger.Book{ID: "ust", Name: "Muster GmbH", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	if err := l.CreateAccounts(ctx, chart("ust")...); err != nil {
		t.Fatal(err)
	}
	for i, e := range entries {
		e.Book = "ust"
		if e.Key == "" {
			e.Key = fmt.Sprintf("e%d", i+1)
		}
		if e.Date.IsZero() {
			e.Date = d("2025-03-15")
		}
		if _, err := l.Post(ctx, e); err != nil {
			t.Fatalf("post %s: %v", e.Key, err)
		}
	}
	return l
}

// vatFigures renders a return as Kennzahl → base booked, declared base,
// declared tax, tax booked; detail rows as "  ACCOUNT LABEL" → the
// amount in their one filled cell; checks as "label: left right ±tol".
func vatFigures(t *testing.T, r reporting.Report) (rows map[string][4]string, details []string, checks []string) {
	t.Helper()
	rows = map[string][4]string{}
	for _, row := range r.Rows {
		if row.Level == 1 {
			for _, c := range row.Cells[2:] {
				if !c.Blank {
					details = append(details, row.Cells[1].Text+": "+c.Amount.Number())
				}
			}
			continue
		}
		var v [4]string
		for i, c := range row.Cells[2:] {
			if !c.Blank {
				v[i] = c.Amount.Number()
			}
		}
		rows[row.Cells[0].Text] = v
	}
	for _, c := range r.Checks {
		checks = append(checks, c.Label+": "+c.Left.Number()+" "+c.Right.Number()+" ±"+c.Tolerance.Number())
	}
	return rows, details, checks
}

// TestVATReturnCodes checks the UStVA of March 2025 of a book on the
// default chart — one VAT account per direction, one revenue account —
// whose lines carry VAT codes, against figures worked by hand:
//
//	e1 03-03 sale:            4100 −2,345.67 USt19, 2120 −445.68 USt19
//	e2 03-05 sale:            4100 −1,234.56 USt7, 2120 −86.42 USt7; 4100 −99.99 USt19, 2120 −19.00 USt19
//	e3 03-20 credit note:     4100 +50.00 USt19, 2120 +9.50 USt19
//	e4 03-12 purchase:        5000 +800.00 VSt19, 1400 +152.00 VSt19; 6400 +100.00 VSt7, 1400 +7.00 VSt7
//	e5 03-14 intra-EU acquisition: 5000 +1,000.00 IGE19, 1400 +190.00 IGE19, 2120 −190.00 IGE19
//	e6 03-17 service from an EU business (§ 13b Abs. 1): 6700 +500.00 RCEU19, 1400 +95.00, 2120 −95.00 RCEU19
//	e7 03-18 intra-EU supply: 4100 −3,000.00 IGL
//	e8 03-19 service to an EU business: 4100 −700.00 EUDL
//	e9 03-10 e1 paid less 2 % cash discount: 55.83 gross, 8.91 tax (55.83 × 19/119), 46.92 net:
//	         4100 +46.92 USt19, 2120 +8.91 USt19
//	e10 03-10 February's return paid (2120 to bank, no code): no turnover, left out
//	e11 04-01 sale: April, not in the return
//
//	Kz 81 base 2,345.67 + 99.99 − 50.00 − 46.92 = 2,348.74 (4 lines: ± ⌈5 × 1.19 / 2⌉ = 3 ct)
//	      tax  445.68 + 19.00 − 9.50 − 8.91 = 446.27; 2,348.74 × 19 % = 446.2606 → 446.26
//	      declared base 2,348, tax 2,348 × 19 % = 446.12
//	Kz 86 base 1,234.56, tax 86.42 (= 86.4192 → 86.42, ± 2 ct); declared 1,234 and 86.38
//	Kz 41 base 3,000.00; Kz 21 base 700.00 (no tax)
//	Kz 89 base 1,000.00, tax 190.00 (± 2 ct); declared 1,000 and 190.00
//	Kz 46/47 base 500.00, tax 95.00, entered as booked
//	Kz 66 152.00 + 7.00 = 159.00; Kz 61 190.00; Kz 67 95.00
//	Kz 83 declared 446.12 + 86.38 + 190.00 + 95.00 − 159.00 − 190.00 − 95.00 = 373.50
//	      booked   446.27 + 86.42 + 190.00 + 95.00 − 444.00 = 373.69, within 22 + 9 + 21 = 52 ct
//	      (2120 moved 836.10 − 18.41 = 817.69 = 446.27 + 86.42 + 190.00 + 95.00; 1400 444.00)
func TestVATReturnCodes(t *testing.T) {
	ctx := context.Background()
	sale := func(lines ...ledger.Line) ledger.Entry {
		e := ledger.Entry{Description: "coded", Lines: lines}
		var gross money.Amount = eur("0")
		for _, l := range lines {
			gross, _ = gross.Add(l.Amount)
		}
		e.Lines = append(e.Lines, ledger.Line{Account: "1200", Amount: gross.Neg()})
		return e
	}
	purchase := func(lines ...ledger.Line) ledger.Entry {
		e := sale(lines...)
		e.Lines[len(e.Lines)-1].Account = "2110"
		return e
	}
	at := func(e ledger.Entry, day string) ledger.Entry { e.Date = d(day); return e }
	l := codedBook(t, ledger.DefaultChart,
		at(sale(vl("4100", "-2345.67", "USt19"), vl("2120", "-445.68", "USt19")), "2025-03-03"),
		at(sale(vl("4100", "-1234.56", "USt7"), vl("2120", "-86.42", "USt7"), vl("4100", "-99.99", "USt19"), vl("2120", "-19.00", "USt19")), "2025-03-05"),
		at(sale(vl("4100", "50.00", "USt19"), vl("2120", "9.50", "USt19")), "2025-03-20"),
		at(purchase(vl("5000", "800.00", "VSt19"), vl("1400", "152.00", "VSt19"), vl("6400", "100.00", "VSt7"), vl("1400", "7.00", "VSt7")), "2025-03-12"),
		at(purchase(vl("5000", "1000.00", "IGE19"), vl("1400", "190.00", "IGE19"), vl("2120", "-190.00", "IGE19")), "2025-03-14"),
		at(purchase(vl("6700", "500.00", "RCEU19"), vl("1400", "95.00", "RCEU19"), vl("2120", "-95.00", "RCEU19")), "2025-03-17"),
		at(sale(vl("4100", "-3000.00", "IGL")), "2025-03-18"),
		at(sale(vl("4100", "-700.00", "EUDL")), "2025-03-19"),
		ledger.Entry{Date: d("2025-03-10"), Description: "e1 paid", Lines: []ledger.Line{
			vl("1120", "2735.52", ""), vl("4100", "46.92", "USt19"), vl("2120", "8.91", "USt19"), vl("1200", "-2791.35", "")}},
		ledger.Entry{Date: d("2025-03-10"), Journal: "TAX", Description: "UStVA 02/2025", Lines: []ledger.Line{vl("2120", "100.00", ""), vl("1120", "-100.00", "")}},
		at(sale(vl("4100", "-1000.00", "USt19"), vl("2120", "-190.00", "USt19")), "2025-04-01"),
	)
	r, err := reporting.VATReturn(ctx, l, "ust", reporting.Options{From: d("2025-03-01"), To: d("2025-03-31"), Now: clock, Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, r)
	rows, details, checks := vatFigures(t, r)
	wantRows := map[string][4]string{
		"81":    {"2348.74", "2348.00", "446.12", "446.27"},
		"86":    {"1234.56", "1234.00", "86.38", "86.42"},
		"41":    {"3000.00", "3000.00", "", ""},
		"89":    {"1000.00", "1000.00", "190.00", "190.00"},
		"21":    {"700.00", "700.00", "", ""},
		"46/47": {"500.00", "500.00", "95.00", "95.00"},
		"66":    {"", "", "159.00", "159.00"},
		"61":    {"", "", "190.00", "190.00"},
		"67":    {"", "", "95.00", "95.00"},
		"83":    {"", "", "373.50", "373.69"},
	}
	if diff := cmp.Diff(rows, wantRows); diff != "" {
		t.Errorf("Kennzahlen (-got +want):\n%s", diff)
	}
	wantDetails := []string{
		"4100 Sales (USt19): 2348.74", "2120 VAT payable (USt19): 446.27",
		"4100 Sales (USt7): 1234.56", "2120 VAT payable (USt7): 86.42",
		"4100 Sales (IGL): 3000.00",
		"5000 Cost of goods sold (IGE19): 1000.00", "2120 VAT payable (IGE19): 190.00",
		"4100 Sales (EUDL): 700.00",
		"6700 Legal and accounting fees (RCEU19): 500.00", "2120 VAT payable (RCEU19): 95.00",
		"1400 VAT receivable (VSt19): 152.00", "1400 VAT receivable (VSt7): 7.00",
		"1400 VAT receivable (IGE19): 190.00",
		"1400 VAT receivable (RCEU19): 95.00",
	}
	if diff := cmp.Diff(details, wantDetails); diff != "" {
		t.Errorf("accounts (-got +want):\n%s", diff)
	}
	wantChecks := []string{
		"Kz 81: tax booked = 19 % of the base booked (± 0.03 rounding): 446.27 446.26 ±0.03",
		"Kz 86: tax booked = 7 % of the base booked (± 0.02 rounding): 86.42 86.42 ±0.02",
		"Kz 89: tax booked = 19 % of the base booked (± 0.02 rounding): 190.00 190.00 ±0.02",
		"output tax not assigned to a Kennzahl = 0: 0.00 0.00 ±0.00",
		"lines whose VAT code contradicts their account = 0: 0.00 0.00 ±0.00",
		"Kz 83 = movement of the VAT accounts (output − input), ± 0.52 rounding of the declared bases: 373.50 373.69 ±0.52",
	}
	if diff := cmp.Diff(checks, wantChecks); diff != "" {
		t.Errorf("checks (-got +want):\n%s", diff)
	}
	de, err := reporting.VATReturn(ctx, l, "ust", reporting.Options{To: d("2025-03-31"), Now: clock, Language: "de"})
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, row := range de.Rows {
		if row.Level == 0 {
			labels = append(labels, row.Cells[0].Text+" "+row.Label)
		}
	}
	if !strings.Contains(strings.Join(labels, "\n"), "46/47 Sonstige Leistungen eines im übrigen Gemeinschaftsgebiet ansässigen Unternehmers (§ 13b Abs. 1 UStG)") {
		t.Errorf("German labels:\n%s", strings.Join(labels, "\n"))
	}
}

// TestVATReturnMixed: a book on the default chart with lines with and
// without codes. Each line is placed once, by its code if it has one:
//
//	e1 coded sale:    4100 −1,000.00 USt19, 2120 −190.00 USt19 → 81
//	e2 uncoded sale:  4100 −100.00, 2120 −19.00 → 2120's box: output tax on no Kennzahl
//	e3 every line coded, the receivable too: 4100 −50.00 USt19, 2120 −9.50 USt19 → 81;
//	                  1200 +59.50 USt19 → no base: a code on a control account
//	e4 an unknown code: 4100 −10.00 U19, 2120 −1.90 U19 → 2120 by its box
//
//	Kz 81 base 1,050.00 (2 lines, ± 2 ct), tax 199.50 = 1,050.00 × 19 %; declared 1,050 and 199.50
//	no Kennzahl: 19.00 + 1.90 = 20.90 (the check fails)
//	Kz 83 declared 199.50 + 20.90 = 220.40 = booked (2120: 190 + 19 + 9.50 + 1.90)
func TestVATReturnMixed(t *testing.T) {
	ctx := context.Background()
	l := codedBook(t, ledger.DefaultChart,
		ledger.Entry{Lines: []ledger.Line{vl("4100", "-1000.00", "USt19"), vl("2120", "-190.00", "USt19"), vl("1200", "1190.00", "")}},
		ledger.Entry{Lines: []ledger.Line{vl("4100", "-100.00", ""), vl("2120", "-19.00", ""), vl("1200", "119.00", "")}},
		ledger.Entry{Lines: []ledger.Line{vl("4100", "-50.00", "USt19"), vl("2120", "-9.50", "USt19"), vl("1200", "59.50", "USt19")}},
		ledger.Entry{Lines: []ledger.Line{vl("4100", "-10.00", "U19"), vl("2120", "-1.90", "U19"), vl("1200", "11.90", "")}},
	)
	unassigned := "output tax not assigned to a Kennzahl = 0"
	settlement := "lines with VAT code USt19 on account 1200 Accounts receivable, a cash or control account = 0"
	unknown2120 := "lines with the unknown VAT code U19 on account 2120 VAT payable = 0"
	unknown4100 := "lines with the unknown VAT code U19 on account 4100 Sales = 0"
	r, err := reporting.VATReturn(ctx, l, "ust", reporting.Options{To: d("2025-03-31"), Now: clock, Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, r, unassigned, settlement, unknown2120, unknown4100)
	rows, details, checks := vatFigures(t, r)
	wantRows := map[string][4]string{
		"81": {"1050.00", "1050.00", "199.50", "199.50"},
		"86": {"0.00", "0.00", "0.00", "0.00"},
		"":   {"", "", "20.90", "20.90"},
		"66": {"", "", "0.00", "0.00"},
		"83": {"", "", "220.40", "220.40"},
	}
	if diff := cmp.Diff(rows, wantRows); diff != "" {
		t.Errorf("Kennzahlen (-got +want):\n%s", diff)
	}
	if diff := cmp.Diff(details, []string{"4100 Sales (USt19): 1050.00", "2120 VAT payable (USt19): 199.50", "2120 VAT payable: 20.90"}); diff != "" {
		t.Errorf("accounts (-got +want):\n%s", diff)
	}
	wantChecks := []string{
		"Kz 81: tax booked = 19 % of the base booked (± 0.02 rounding): 199.50 199.50 ±0.02",
		unassigned + ": 20.90 0.00 ±0.00",
		settlement + ": 59.50 0.00 ±0.00",
		unknown2120 + ": 1.90 0.00 ±0.00",
		unknown4100 + ": 10.00 0.00 ±0.00",
		"Kz 83 = movement of the VAT accounts (output − input), ± 0.21 rounding of the declared bases: 220.40 220.40 ±0.21",
	}
	if diff := cmp.Diff(checks, wantChecks); diff != "" {
		t.Errorf("checks (-got +want):\n%s", diff)
	}
}

// TestVATReturnContradictions: on SKR03, whose VAT and revenue accounts
// are each a rate's own, a code the account contradicts is placed by the
// code and fails a check naming code and account; reverse charge goes to
// 84/85 and 67 through the § 13b accounts, which the code may use:
//
//	e1 USt7 on 1776 Umsatzsteuer 19 %: 8300 −100.00 USt7, 1776 −7.00 USt7 → 86 (code wins)
//	e2 USt19 on 8300 Erlöse 7 % USt:   8300 −100.00 USt19, 1776 −19.00 USt19 → 81
//	e3 no codes:                       8400 −200.00, 1776 −38.00 → 81 by the accounts
//	e4 building work, § 13b Abs. 2:    3125 +1,000.00 RC19, 1577 +190.00 RC19, 1787 −190.00 RC19
//
//	Kz 81 base 100.00 + 200.00 = 300.00, tax 19.00 + 38.00 = 57.00 (2 lines, ± 2 ct); declared 300 and 57.00
//	Kz 86 base 100.00, tax 7.00 (± 2 ct); declared 100 and 7.00
//	Kz 84/85 base 1,000.00, tax 190.00; Kz 67 190.00
//	Kz 83 57.00 + 7.00 + 190.00 − 190.00 = 64.00, declared and booked
//
// A line with a code that has no tax on its account's side (VSt19 on
// 1776, an output account) stays on the account's box (81: −38.00) and
// fails the check.
func TestVATReturnContradictions(t *testing.T) {
	ctx := context.Background()
	t.Run("SKR03", func(t *testing.T) {
		l := codedBook(t, ledger.SKR03,
			ledger.Entry{Lines: []ledger.Line{vl("8300", "-100.00", "USt7"), vl("1776", "-7.00", "USt7"), vl("1400", "107.00", "")}},
			ledger.Entry{Lines: []ledger.Line{vl("8300", "-100.00", "USt19"), vl("1776", "-19.00", "USt19"), vl("1400", "119.00", "")}},
			ledger.Entry{Lines: []ledger.Line{vl("8400", "-200.00", ""), vl("1776", "-38.00", ""), vl("1400", "238.00", "")}},
			ledger.Entry{Lines: []ledger.Line{vl("3125", "1000.00", "RC19"), vl("1577", "190.00", "RC19"), vl("1787", "-190.00", "RC19"), vl("1600", "-1000.00", "")}},
		)
		on1776 := "lines with VAT code USt7 on account 1776 Umsatzsteuer 19 %, which the code contradicts = 0"
		on8300 := "lines with VAT code USt19 on account 8300 Erlöse 7 % USt, which the code contradicts = 0"
		r, err := reporting.VATReturn(ctx, l, "ust", reporting.Options{To: d("2025-03-31"), Now: clock, Language: "en"})
		if err != nil {
			t.Fatal(err)
		}
		checkReport(t, r, on1776, on8300)
		rows, details, checks := vatFigures(t, r)
		wantRows := map[string][4]string{
			"81":    {"300.00", "300.00", "57.00", "57.00"},
			"86":    {"100.00", "100.00", "7.00", "7.00"},
			"84/85": {"1000.00", "1000.00", "190.00", "190.00"},
			"66":    {"", "", "0.00", "0.00"},
			"67":    {"", "", "190.00", "190.00"},
			"83":    {"", "", "64.00", "64.00"},
		}
		if diff := cmp.Diff(rows, wantRows); diff != "" {
			t.Errorf("Kennzahlen (-got +want):\n%s", diff)
		}
		wantDetails := []string{
			"8300 Erlöse 7 % USt (USt19): 100.00", "8400 Erlöse 19 % USt: 200.00", "1776 Umsatzsteuer 19 %: 38.00", "1776 Umsatzsteuer 19 % (USt19): 19.00",
			"8300 Erlöse 7 % USt (USt7): 100.00", "1776 Umsatzsteuer 19 % (USt7): 7.00",
			"3125 Leistungen eines im Ausland ansässigen Unternehmers 19 % Vorsteuer und 19 % Umsatzsteuer (RC19): 1000.00",
			"1787 Umsatzsteuer nach § 13b UStG 19 % (RC19): 190.00",
			"1577 Abziehbare Vorsteuer nach § 13b UStG 19 % (RC19): 190.00",
		}
		if diff := cmp.Diff(details, wantDetails); diff != "" {
			t.Errorf("accounts (-got +want):\n%s", diff)
		}
		wantChecks := []string{
			"Kz 81: tax booked = 19 % of the base booked (± 0.02 rounding): 57.00 57.00 ±0.02",
			"Kz 86: tax booked = 7 % of the base booked (± 0.02 rounding): 7.00 7.00 ±0.02",
			"output tax not assigned to a Kennzahl = 0: 0.00 0.00 ±0.00",
			on1776 + ": 7.00 0.00 ±0.00",
			on8300 + ": 100.00 0.00 ±0.00",
			"Kz 83 = movement of the VAT accounts (output − input), ± 0.30 rounding of the declared bases: 64.00 64.00 ±0.30",
		}
		if diff := cmp.Diff(checks, wantChecks); diff != "" {
			t.Errorf("checks (-got +want):\n%s", diff)
		}
	})
	t.Run("input code on an output account", func(t *testing.T) {
		l := codedBook(t, ledger.SKR03,
			ledger.Entry{Lines: []ledger.Line{vl("3400", "200.00", "VSt19"), vl("1776", "38.00", "VSt19"), vl("1600", "-238.00", "")}})
		r, err := reporting.VATReturn(ctx, l, "ust", reporting.Options{To: d("2025-03-31"), Now: clock, Language: "en"})
		if err != nil {
			t.Fatal(err)
		}
		rows, details, checks := vatFigures(t, r)
		if rows["81"][3] != "-38.00" || !cmp.Equal(details, []string{"1776 Umsatzsteuer 19 %: -38.00"}) {
			t.Errorf("81 %v, accounts %v; want the tax −38.00 on 1776 by its box", rows["81"], details)
		}
		want := "lines with VAT code VSt19 on account 1776 Umsatzsteuer 19 %, which the code contradicts = 0: 38.00 0.00 ±0.00"
		if !strings.Contains(strings.Join(checks, "\n"), want) {
			t.Errorf("checks:\n%s\nwant %s", strings.Join(checks, "\n"), want)
		}
	})
}
