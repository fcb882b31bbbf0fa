package main

import (
	"cmp"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/money"
)

// TestVATReturnCommand: books report vat-return on the demo, whose
// default chart keeps one VAT account per side and one revenue account:
// the invoices' lines carry their VAT codes, so the return fills 81 and
// 86 and every check passes; March checked against figures worked by
// hand (demoMarch).
func TestVATReturnCommand(t *testing.T) {
	dir := t.TempDir()
	ok(t, dir, "demo", "--year", "2025", "--employees", "0")
	r := ok(t, dir, "report", "vat-return", "--period", "2025-03", "--lang", "en")
	for _, want := range []string{"VAT return (UStVA)", "2025-03-01", "2025-03-31", "Taxable supplies at 19 %", "Deductible input tax", "Remaining advance payment"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("no %q in:\n%s", want, r.stdout)
		}
	}
	demoMarch(t, dir, r.stdout)
	q := books(t, dir, "report", "vat-return", "--period", "2025-Q1", "--format", "csv")
	if q.code != 0 || !strings.Contains(q.stdout, "83") {
		t.Errorf("quarter: exit %d\n%s%s", q.code, q.stdout, q.stderr)
	}
	for _, args := range [][]string{
		{"report", "vat-return", "--period", "2025-13"},
		{"report", "vat-return", "--period", "2025-03", "--from", "2025-03-01"},
		{"report", "trial-balance", "--period", "2025-13"},
	} {
		if r := books(t, dir, args...); r.code != 2 {
			t.Errorf("books %s: exit %d, want 2 (usage)\n%s", strings.Join(args, " "), r.code, r.stderr)
		}
	}
}

// demoMarch checks the demo's UStVA of March 2025 (its text report, and
// the CSV of the same return) against figures worked by hand from the
// month's entries, and those entries' sums against the lists below:
//
//	Sales invoices: 4100 net and 2120 tax per code, the gross on 1200
//	                         USt19 net   USt19 tax    USt7 net   USt7 tax
//	RE00051 03-01     3,215.00      610.85
//	RE00052 03-02     2,276.00      432.44
//	RE00053 03-06     5,427.00    1,031.13      485.00      33.95
//	RE00054 03-06     5,931.00    1,126.89
//	RE00055 03-06     1,150.00      218.50
//	RE00056 03-07     7,663.00    1,455.97
//	RE00057 03-07     5,891.00    1,119.29
//	RE00058 03-07     5,217.00      991.23
//	RE00059 03-10     1,665.00      316.35
//	RE00060 03-10       932.00      177.08
//	RE00061 03-13     1,338.00      254.22
//	RE00062 03-13     4,808.00      913.52      104.00       7.28
//	RE00063 03-15     7,286.00    1,384.34       58.00       4.06
//	RE00064 03-15     3,935.00      747.65
//	RE00065 03-16     4,325.00      821.75
//	RE00066 03-17     1,732.00      329.08
//	RE00067 03-21     7,311.00    1,389.09
//	RE00068 03-21     7,429.00    1,411.51
//	RE00069 03-22     2,634.00      500.46
//	RE00070 03-23     7,674.00    1,458.06
//	RE00071 03-25     4,579.00      870.01
//	RE00072 03-25       566.00      107.54
//	RE00073 03-27     2,169.00      412.11
//	RE00074 03-28     1,648.00      313.12      391.00      27.37
//	RE00075 03-28     6,238.00    1,185.22
//	Σ 25            103,039.00   19,577.41    1,038.00      72.66
//
//	Supplier invoices: net VSt19 on the expense account, tax on 1400, the gross on 2110
//	ER00041 03-01 6600   4,505.00    855.95
//	ER00042 03-04 5000   1,916.00    364.04
//	ER00043 03-05 6700   3,355.00    637.45
//	ER00044 03-06 6210   3,237.00    615.03
//	ER00045 03-08 5000   1,921.00    364.99
//	ER00046 03-09 6500   2,929.00    556.51
//	ER00047 03-10 6210   3,183.00    604.77
//	ER00048 03-10 6210   2,921.00    554.99
//	ER00049 03-11 6410   5,574.00  1,059.06
//	ER00050 03-13 6400   1,096.00    208.24
//	ER00051 03-15 6700   5,924.00  1,125.56
//	ER00052 03-16 6500   5,574.00  1,059.06
//	ER00053 03-16 6210   1,421.00    269.99
//	ER00054 03-16 6500   1,896.00    360.24
//	ER00055 03-18 5000   2,001.00    380.19
//	ER00056 03-19 6700   1,239.00    235.41
//	ER00057 03-20 6500   5,644.00  1,072.36
//	ER00058 03-23 6410   2,811.00    534.09
//	ER00059 03-25 6400   4,153.00    789.07
//	ER00060 03-28 5000     692.00    131.48
//	Σ 20                61,992.00 11,778.48
//
//	Cash discounts granted (2 % of the gross, split by the codes' gross amounts; tax = share × rate / (1 + rate)):
//	RE00053 paid 03-16: 6,977.08 × 2 % = 139.54 → 129.16 at 19 % (tax 20.62, net 108.54),
//	                     10.38 at 7 % (tax 0.68, net 9.70)
//	RE00059 paid 03-20: 1,981.35 × 2 % = 39.63 at 19 % (tax 6.33, net 33.30)
//	Σ USt19 net 141.84, tax 26.95; USt7 net 9.70, tax 0.68
//
//	Cash discounts received in the payment proposal of 03-25 (3 %, all VSt19, net on 5000, tax on 1400):
//	ER00057 6,716.36 → 201.49 (tax 32.17), ER00055 2,381.19 → 71.44 (11.41), ER00056 1,474.41 → 44.23 (7.06),
//	ER00053 1,690.99 → 50.73 (8.10), ER00049 6,633.06 → 198.99 (31.77), ER00050 1,304.24 → 39.13 (6.25)
//	Σ tax 32.17 + 11.41 + 7.06 + 8.10 + 31.77 + 6.25 = 96.76
//	(the proposal's other items, from February, were past their discount dates)
//
//	February's return paid 03-10 (2120 24,948.99, 1400 −11,203.23 against the bank): no turnover, left out
//
//	Kz 81 base 103,039.00 − 141.84 = 102,897.16 (25 + 2 = 27 lines: ± ⌈28 × 1.19 / 2⌉ = 17 ct)
//	      tax  19,577.41 − 26.95 = 19,550.46; 102,897.16 × 19 % = 19,550.4604 → 19,550.46
//	      declared base 102,897, tax 102,897 × 19 % = 19,550.43
//	Kz 86 base 1,038.00 − 9.70 = 1,028.30 (4 + 1 = 5 lines: ± ⌈6 × 1.07 / 2⌉ = 4 ct)
//	      tax  72.66 − 0.68 = 71.98; 1,028.30 × 7 % = 71.981 → 71.98
//	      declared base 1,028, tax 1,028 × 7 % = 71.96
//	Kz 66 11,778.48 − 96.76 = 11,681.72
//	Kz 83 declared 19,550.43 + 71.96 − 11,681.72 = 7,940.67
//	      booked   19,550.46 + 71.98 − 11,681.72 = 7,940.72: 5 ct apart, within 17 + 19 + 4 + 7 = 47 ct
func demoMarch(t *testing.T, dir, text string) {
	t.Helper()
	// The month's entries add up to the lists' sums.
	ok(t, dir, "export", "entries", "-o", "entries.csv")
	f, err := os.Open(filepath.Join(dir, "entries.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	sums := map[string]money.Amount{}
	var day, desc string
	for _, rec := range recs[1:] {
		if rec[col["date"]] != "" {
			day, desc = rec[col["date"]], rec[col["description"]]
		}
		code := rec[col["dim.vat"]]
		if !strings.HasPrefix(day, "2025-03") || code == "" {
			continue
		}
		kind := "documents"
		if !strings.HasPrefix(desc, "Invoice") {
			kind = "discounts"
		}
		what := "net"
		if a := rec[col["account"]]; a == "2120" || a == "1400" {
			what = "tax"
		}
		amt := money.MustParse(cmp.Or(rec[col["debit"]], "0"), money.EUR)
		if c := rec[col["credit"]]; c != "" {
			amt = money.MustParse(c, money.EUR).Neg()
		}
		k := kind + " " + code + " " + what
		sums[k], _ = cmp.Or(sums[k], money.Zero(money.EUR)).Add(amt)
	}
	got := map[string]string{}
	for k, v := range sums {
		got[k] = v.Number()
	}
	want := map[string]string{
		"documents USt19 net": "-103039.00", "documents USt19 tax": "-19577.41",
		"documents USt7 net": "-1038.00", "documents USt7 tax": "-72.66",
		"documents VSt19 net": "61992.00", "documents VSt19 tax": "11778.48",
		"discounts USt19 net": "141.84", "discounts USt19 tax": "26.95",
		"discounts USt7 net": "9.70", "discounts USt7 tax": "0.68",
		"discounts VSt19 net": "-509.25", "discounts VSt19 tax": "-96.76",
	}
	if diff := gocmp.Diff(got, want); diff != "" {
		t.Errorf("March's lines by code (-got +want):\n%s", diff)
	}
	// The return: Kennzahl → base booked, declared base, declared tax, tax booked.
	r := ok(t, dir, "report", "vat-return", "--period", "2025-03", "--format", "csv")
	rows := map[string][4]string{}
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n")[1:] {
		c := strings.Split(line, ",")
		if c[1] == "0" {
			rows[c[4]] = [4]string(c[6:10])
		}
	}
	wantRows := map[string][4]string{
		"81": {"102897.16", "102897.00", "19550.43", "19550.46"},
		"86": {"1028.30", "1028.00", "71.96", "71.98"},
		"66": {"", "", "11681.72", "11681.72"},
		"83": {"", "", "7940.67", "7940.72"},
	}
	if diff := gocmp.Diff(rows, wantRows); diff != "" {
		t.Errorf("UStVA March 2025 (-got +want):\n%s", diff)
	}
	for _, want := range []string{
		"✓ Kz 81: tax booked = 19 % of the base booked (± 0.17 rounding): 19,550.46 = 19,550.46",
		"✓ Kz 86: tax booked = 7 % of the base booked (± 0.04 rounding): 71.98 = 71.98",
		"✓ output tax not assigned to a Kennzahl = 0: 0.00 = 0.00",
		"✓ lines whose VAT code contradicts their account = 0: 0.00 = 0.00",
		"✓ Kz 83 = movement of the VAT accounts (output − input), ± 0.47 rounding of the declared bases: 7,940.67 = 7,940.72",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("no check %q in:\n%s", want, text)
		}
	}
}
