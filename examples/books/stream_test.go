package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// writeBigJournal writes a journal of n transactions in date order, about
// 200 bytes each, as a year of invoices to 100 customers: a key tag, three
// postings (one elided), a VAT code on the revenue line; an include at the
// top names a second file with the account directives, so that the import
// reads two files.
func writeBigJournal(tb testing.TB, path string, n int) {
	tb.Helper()
	dir := filepath.Dir(path)
	if err := os.WriteFile(filepath.Join(dir, "accounts.journal"), []byte(
		"account assets:receivables  ; type: A\naccount revenue:sales  ; type: R\naccount liabilities:vat  ; type: L\n"), 0o644); err != nil {
		tb.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintf(w, "include accounts.journal\n\n")
	d0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		d := d0.AddDate(0, 0, i*365/n)
		net := 100 + i%9000
		fmt.Fprintf(w, "%s * (INV-%07d) Invoice %d to customer %03d  ; key: inv-%07d\n"+
			"    assets:receivables:c%03d      EUR %d.%02d\n"+
			"    revenue:sales                  EUR -%d.%02d  ; vat: USt19\n"+
			"    liabilities:vat\n\n",
			d.Format("2006-01-02"), i, i, i%100, i, i%100, net*119/100, i%100, net, i%100)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}

// writeBigEntries writes an entries CSV of n entries of three rows each,
// in date order, on accounts of the SKR03 chart.
func writeBigEntries(tb testing.TB, path string, n int) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "key,date,account,debit,credit,description,voucher,dim.vat")
	d0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		d := d0.AddDate(0, 0, i*365/n).Format("2006-01-02")
		net := int64(10000 + i%900000) // cents
		vat := net * 19 / 100
		fmt.Fprintf(w, "inv-%07d,%s,1200,%d.%02d,,Invoice %d,INV-%07d,\n", i, d, (net+vat)/100, (net+vat)%100, i, i)
		fmt.Fprintf(w, "inv-%07d,,8400,,%d.%02d,,,USt19\n", i, net/100, net%100)
		fmt.Fprintf(w, "inv-%07d,,1776,,%d.%02d,,,\n", i, vat/100, vat%100)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}

// peak runs books with args in dir, under /usr/bin/time -v if it is
// installed, and returns its peak resident set size in MB and its stderr.
func peak(tb testing.TB, dir string, args ...string) (float64, string) {
	tb.Helper()
	name, all := bin, args
	if _, err := os.Stat("/usr/bin/time"); err == nil {
		name, all = "/usr/bin/time", append([]string{"-v", bin}, args...)
	}
	cmd := exec.Command(name, all...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "BOOKS_DB=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Fatalf("books %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	if m := regexp.MustCompile(`Maximum resident set size \(kbytes\): (\d+)`).FindSubmatch(out); m != nil {
		kb, _ := strconv.ParseFloat(string(m[1]), 64)
		return kb / 1024, string(out)
	}
	return float64(cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss) / 1024, string(out)
}

// BenchmarkImportMemory imports a generated journal (writeBigJournal) and
// an entries CSV of as many entries (writeBigEntries) into new SQLite
// books with the books binary and reports the peak resident set size of
// each command (measured by /usr/bin/time -v, if installed) and its rate.
// $BOOKS_BENCH_N sets the number of transactions (default 100,000):
//
//	BOOKS_BENCH_N=1000000 go test -run '^$' -bench BenchmarkImportMemory -benchtime 1x -timeout 1h ./examples/books
func BenchmarkImportMemory(b *testing.B) {
	n := 100_000
	if s := os.Getenv("BOOKS_BENCH_N"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	dir := b.TempDir()
	for _, kind := range []string{"journal", "entries"} {
		b.Run(kind, func(b *testing.B) {
			path := filepath.Join(dir, "big.journal")
			if kind == "journal" {
				writeBigJournal(b, path, n)
			} else {
				path = filepath.Join(dir, "big.csv")
				writeBigEntries(b, path, n)
			}
			for b.Loop() {
				db := filepath.Join(b.TempDir(), "j.db")
				if kind == "entries" {
					ok(b, dir, "--db", db, "init", "--chart", "skr03", "--currency", "EUR")
				}
				t0 := time.Now()
				mb, out := peak(b, dir, "--db", db, "import", kind, path)
				b.ReportMetric(mb, "peak-RSS-MB")
				b.ReportMetric(float64(n)/time.Since(t0).Seconds(), "entries/s")
				b.Log(strings.TrimSpace(lastLines(out, 3)))
			}
		})
	}
}

// lastLines returns the lines of out before /usr/bin/time's report, the
// last n of them.
func lastLines(out string, n int) string {
	out, _, _ = strings.Cut(out, "\tCommand being timed")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
