package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportVATCodes: an entries file's dim.vat column and a journal's
// "vat:" tags give lines their VAT codes, which the return of a book on the
// default chart places on 81 and 86; an unknown code refuses the file
// with its row and column, or its file and line, and posts nothing.
//
//	sale-1 2025-03-03: 4100 −1,000.00 USt19, 2120 −190.00 USt19
//	sale-2 2025-03-05 (journal): 4100 −200.00 USt7, 2120 −14.00 USt7
//	Kz 81 base 1,000.00, tax 190.00; Kz 86 base 200.00, tax 14.00; 83 = 204.00
func TestImportVATCodes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return name
	}
	ok(t, dir, "init", "--chart", "default", "--currency", "EUR")
	bad := write("bad.csv", "key,date,account,amount,dim.vat\n"+
		"sale-1,2025-03-03,1200,1190.00,\nsale-1,,4100,-1000.00,U19\nsale-1,,2120,-190.00,USt19\n")
	r := books(t, dir, "import", "entries", bad)
	if r.code != 1 || !strings.Contains(r.stderr, `row 3, column "dim.vat"`) || !strings.Contains(r.stderr, "unknown VAT code") {
		t.Errorf("unknown code in a CSV: exit %d, %s", r.code, r.stderr)
	}
	good := write("good.csv", "key,date,account,amount,dim.vat\n"+
		"sale-1,2025-03-03,1200,1190.00,\nsale-1,,4100,-1000.00,USt19\nsale-1,,2120,-190.00,USt19\n")
	ok(t, dir, "import", "entries", good)

	badJ := write("bad.journal", "2025-03-05 Sale at 7 %  ; key: sale-2\n"+
		"    1200   EUR 214.00\n    4100   EUR -200.00  ; vat: USt7\n    2120   EUR -14.00  ; vat: U7\n")
	r = books(t, dir, "import", "journal", badJ)
	if r.code != 1 || !strings.Contains(r.stderr, "bad.journal:4:") || !strings.Contains(r.stderr, "unknown VAT code") {
		t.Errorf("unknown code in a journal: exit %d, %s", r.code, r.stderr)
	}
	goodJ := write("good.journal", strings.ReplaceAll(string(must(os.ReadFile(filepath.Join(dir, badJ)))), "U7", "USt7"))
	ok(t, dir, "import", "journal", goodJ)

	ret := ok(t, dir, "report", "vat-return", "--period", "2025-03", "--format", "csv")
	for _, want := range []string{
		"detail,0,,,81,Taxable supplies at 19 %,1000.00,1000.00,190.00,190.00",
		"detail,0,,,86,Taxable supplies at 7 %,200.00,200.00,14.00,14.00",
		"total,0,,,83,Remaining advance payment (refund if negative),,,204.00,204.00",
	} {
		if !strings.Contains(ret.stdout, want) {
			t.Errorf("no %q in:\n%s", want, ret.stdout)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
