package xlsx_test

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/reporting"
	"github.com/openbackoffice/backoffice/reporting/xlsx"
	"github.com/xuri/excelize/v2"
)

// benchPostings is the size of the benchmark's general ledger;
// BACKOFFICE_BENCH_POSTINGS overrides it for a quick run.
func benchPostings() int {
	if s := os.Getenv("BACKOFFICE_BENCH_POSTINGS"); s != "" {
		if n, err := strconv.Atoi(s); err == nil {
			return n
		}
	}
	return 1_000_000
}

// writers are the two ways the benchmark writes the general ledger.
var writers = map[string]func(w io.Writer, postings int) error{
	"baseline=bare-streamwriter": writeBare,
	"ours":                       writeOurs,
}

// writeOurs writes the general ledger of glRows through xlsx.Workbook.AddRows.
func writeOurs(w io.Writer, postings int) error {
	wb := xlsx.New(nil)
	defer wb.Close()
	if err := wb.AddRows(glHeader(), glRows(postings, 10_000)); err != nil {
		return err
	}
	_, err := wb.WriteTo(w)
	return err
}

// writeBare writes the same cells from the same rows with a bare excelize
// StreamWriter: one style per column kind, dates as serial numbers, amounts
// as numbers, subtotals as SUM formulas with their values; no header block,
// no per-row styles, no checks, no page setup.
func writeBare(w io.Writer, postings int) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	dateFmt, amountFmt := "yyyy-mm-dd", "#,##0.00;[Red]-#,##0.00"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	amountStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &amountFmt})
	if err != nil {
		return err
	}
	epoch := date.MustParse("1899-12-30")
	vals := make([]any, len(glColumns))
	cells := make([]excelize.Cell, len(glColumns))
	i := 0
	for row, err := range glRows(postings, 10_000) {
		if err != nil {
			return err
		}
		for j, c := range row.Cells {
			cells[j] = excelize.Cell{}
			switch {
			case c.Blank:
			case glColumns[j].Kind == reporting.DateColumn:
				cells[j] = excelize.Cell{StyleID: dateStyle, Value: epoch.DaysUntil(c.Date)}
			case glColumns[j].Kind == reporting.AmountColumn:
				v, err := strconv.ParseFloat(c.Amount.Number(), 64)
				if err != nil {
					return err
				}
				cells[j] = excelize.Cell{StyleID: amountStyle, Value: v}
				if len(row.Terms) > 0 {
					col, _ := excelize.ColumnNumberToName(j + 1)
					cells[j].Formula = fmt.Sprintf("SUM(%s%d:%s%d)", col, row.Terms[0].Row+2, col, row.Terms[len(row.Terms)-1].Row+2)
				}
			default:
				cells[j].Value = c.Text
			}
			vals[j] = &cells[j]
		}
		if err := sw.SetRow("A"+strconv.Itoa(i+2), vals); err != nil {
			return err
		}
		i++
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// BenchmarkGeneralLedger writes a general-ledger sheet of 1,000,000 postings
// (100 accounts: heading, 10,000 postings, subtotal formula) to io.Discard,
// through this package and, for comparison in the same run, through a bare
// excelize StreamWriter writing the same cells. Besides time and
// allocations it reports peak-RSS-MB: the peak resident memory (VmHWM) of a
// fresh process of the test binary that writes the same workbook once and
// nothing else, so neither variant's memory is counted against the other.
//
//	go test ./reporting/xlsx -run '^$' -bench GeneralLedger -benchtime 1x -count 1
func BenchmarkGeneralLedger(b *testing.B) {
	n := benchPostings()
	for _, name := range []string{"baseline=bare-streamwriter", "ours"} {
		write := writers[name]
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := write(io.Discard, n); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "postings/s")
			peak, elapsed := peakRSS(b, name, n)
			b.ReportMetric(peak, "peak-RSS-MB")
			b.ReportMetric(elapsed.Seconds(), "child-s")
		})
	}
}

// peakRSS runs TestBenchChild in a new process of the test binary to write
// the workbook once with the named writer, and returns the process's peak
// resident set size in MB and the time it took to write.
func peakRSS(b *testing.B, name string, postings int) (float64, time.Duration) {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestBenchChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "BACKOFFICE_BENCH_CHILD="+name, "BACKOFFICE_BENCH_POSTINGS="+strconv.Itoa(postings))
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("child: %v\n%s", err, out)
	}
	var kb, ns int64 = -1, -1
	for line := range strings.Lines(string(out)) {
		if _, err := fmt.Sscanf(line, "bench-child VmHWM=%d ns=%d", &kb, &ns); err == nil {
			break
		}
	}
	if kb < 0 {
		b.Fatalf("child printed no VmHWM:\n%s", out)
	}
	return float64(kb) / 1024, time.Duration(ns)
}

// TestBenchChild is the child process of BenchmarkGeneralLedger; it does
// nothing unless BACKOFFICE_BENCH_CHILD names a writer.
func TestBenchChild(t *testing.T) {
	name := os.Getenv("BACKOFFICE_BENCH_CHILD")
	if name == "" {
		t.Skip("run by BenchmarkGeneralLedger")
	}
	start := time.Now()
	if err := writers[name](io.Discard, benchPostings()); err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status")
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Printf("bench-child VmHWM=%d ns=%d\n", kb, elapsed.Nanoseconds())
			return
		}
	}
	t.Fatal("no VmHWM in /proc/self/status")
}
