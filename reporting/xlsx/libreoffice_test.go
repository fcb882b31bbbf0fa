package xlsx_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// recalcAlways makes LibreOffice recalculate every formula of an .xlsx (and
// .ods) file when it loads it, instead of trusting the cached values
// (OOXMLRecalcMode 0 = "always recalculate"; the default is "never").
const recalcAlways = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`

// soffice returns the LibreOffice binary: $BACKOFFICE_TEST_SOFFICE, which CI
// sets so that the test cannot be skipped there, else soffice on the PATH.
// It skips the test if there is none.
func soffice(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("BACKOFFICE_TEST_SOFFICE"); p != "" {
		return p
	}
	p, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice not installed (apt-get install libreoffice-calc-nogui)")
	}
	return p
}

// recalculate has LibreOffice open each workbook, recalculate every formula
// and save it again as .xlsx, and returns the saved files' contents by
// input name.
func recalculate(t *testing.T, books map[string][]byte) map[string][]byte {
	t.Helper()
	bin := soffice(t)
	dir := t.TempDir()
	profile := filepath.Join(dir, "profile")
	if err := os.MkdirAll(filepath.Join(profile, "user"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(profile, "user", "registrymodifications.xcu"), []byte(recalcAlways), 0o644); err != nil {
		t.Fatal(err)
	}
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	for _, d := range []string{in, out} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	args := []string{"--headless", "--norestore", "--nolockcheck",
		"-env:UserInstallation=file://" + profile, "--convert-to", "xlsx", "--outdir", out}
	for name, b := range books {
		p := filepath.Join(in, name+".xlsx")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	logs, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, logs)
	}
	got := make(map[string][]byte)
	for name := range books {
		b, err := os.ReadFile(filepath.Join(out, name+".xlsx"))
		if err != nil {
			t.Fatalf("soffice wrote no %s.xlsx: %v\n%s", name, err, logs)
		}
		got[name] = b
	}
	return got
}

// TestLibreOfficeRecalculates opens the workbook of all reports and charts
// in LibreOffice, which recalculates every formula, and checks that each
// formula cell comes out with the value the package wrote, and that no text
// cell turned into a formula.
func TestLibreOfficeRecalculates(t *testing.T) {
	// A control workbook whose only formula has a wrong cached value shows
	// that LibreOffice really recalculates rather than keep the values.
	control := excelize.NewFile()
	sw, err := control.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{1, 2, excelize.Cell{Formula: "A1+B1", Value: 99}}); err != nil {
		t.Fatal(err)
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var cb bytes.Buffer
	if _, err := control.WriteTo(&cb); err != nil {
		t.Fatal(err)
	}

	ours := map[string][]byte{"books": books(t), "currencies": currencies(t)}
	recalculated := recalculate(t, map[string][]byte{"books": ours["books"], "currencies": ours["currencies"], "control": cb.Bytes()})

	if v, _ := openBook(t, recalculated["control"]).GetCellValue("Sheet1", "C1", excelize.Options{RawCellValue: true}); v != "3" {
		t.Fatalf("control workbook: C1 = %q after LibreOffice, want 3: formulas were not recalculated", v)
	}

	formulas := 0
	for name, b := range ours {
		formulas += compareRecalculated(t, openBook(t, b), openBook(t, recalculated[name]))
	}
	if formulas < 60 {
		t.Errorf("checked %d formula cells, want the workbooks' 60 or more", formulas)
	}
	t.Logf("%d formula cells recalculate to the written values", formulas)
}

// compareRecalculated compares every cell of want (as written) with got (as
// LibreOffice recalculated it) and returns the number of formula cells.
func compareRecalculated(t *testing.T, want, got *excelize.File) int {
	t.Helper()
	formulas := 0
	for _, sheet := range want.GetSheetList() {
		rows, err := want.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c := range row {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				wf, _ := want.GetCellFormula(sheet, ref)
				gf, _ := got.GetCellFormula(sheet, ref)
				if wf == "" {
					if gf != "" {
						t.Errorf("%s!%s: LibreOffice reads formula %q from a cell written without one", sheet, ref, gf)
					}
					continue
				}
				formulas++
				if gf == "" {
					t.Errorf("%s!%s: formula %q lost by LibreOffice", sheet, ref, wf)
				}
				wv, _ := want.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
				gv, _ := got.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
				if !sameNumber(t, wv, gv) {
					t.Errorf("%s!%s = %s recalculates to %s in LibreOffice", sheet, ref, wv, gv)
				}
			}
		}
	}
	return formulas
}

// sameNumber reports whether the cell values a (ours, exact) and b (a
// recalculated double as LibreOffice writes it) are the same number, exactly.
func sameNumber(t *testing.T, a, b string) bool {
	t.Helper()
	da, err := decimal.NewFromString(strings.TrimSpace(a))
	if err != nil {
		t.Errorf("value %q: %v", a, err)
		return false
	}
	db, err := decimal.NewFromString(strings.TrimSpace(b))
	if err != nil {
		t.Errorf("value %q: %v", b, err)
		return false
	}
	return db.Equal(da)
}
