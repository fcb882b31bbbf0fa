package datev_test

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/interchange/datev"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// yearSource is an EntrySource holding a year of generated entries with
// postings lines in all: of every four entries one is an invoice at 19 %
// with a customer (three lines, the tax merged into DATEV's automatic
// account), one a payment with a cost centre, two bank bookings (two lines
// each). Entries are made page by page as asked for, as a store reads
// them, so the benchmark holds no more than a page; peak is the largest
// heap in use seen between pages.
type yearSource struct {
	book     string
	postings int
	peak     uint64
	ms       runtime.MemStats
}

func (s *yearSource) Entries(_ context.Context, book string, q ledger.EntryQuery) ([]ledger.Posted, error) {
	runtime.ReadMemStats(&s.ms)
	s.peak = max(s.peak, s.ms.HeapInuse)
	var page []ledger.Posted
	start := date.MustParse("2025-01-01")
	lines := linesBefore(q.After)
	for seq := q.After + 1; len(page) < q.Limit && lines < s.postings; seq++ {
		p := ledger.Posted{Seq: seq, RecordedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
		p.Book, p.Key = book, "k"+strconv.FormatUint(seq, 10)
		p.Date = start.AddDays(int(seq % 365))
		p.Voucher = "RE-" + strconv.FormatUint(seq, 10)
		cents := int64(seq%9973 + 100)
		net := money.New(cents*100, money.EUR)
		switch seq % 4 {
		case 0:
			tax, _ := net.MulRate(vat19, money.HalfUp)
			gross, _ := net.Add(tax)
			p.Description = "Rechnung Müller GmbH"
			p.Lines = []ledger.Line{
				{Account: "1400", Amount: gross, Dimensions: map[string]string{"party": "10001"}},
				ledger.Credit("8400", net), ledger.Credit("1776", tax)}
		case 1:
			p.Description = "Miete"
			p.Lines = []ledger.Line{{Account: "4210", Amount: net, Dimensions: map[string]string{"cost_centre": "100"}},
				ledger.Credit("1200", net)}
		default:
			p.Description = "Umbuchung Kasse"
			p.Lines = []ledger.Line{ledger.Debit("1000", net), ledger.Credit("1200", net)}
		}
		lines += len(p.Lines)
		page = append(page, p)
	}
	return page, nil
}

var vat19 = decimal.RequireFromString("0.19")

// linesBefore returns the lines of the entries up to seq: 3 + 2 + 2 + 2
// every four entries.
func linesBefore(seq uint64) int {
	n := int(seq)
	return n/4*9 + min(n%4, 1)*2 + max(n%4-1, 0)*2
}

type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)

// BenchmarkWriteBookings exports a year of 100k and 1M postings: DATEV
// rows (bookings) per second, and the peak heap in use, flat in the number
// of postings when the export streams.
func BenchmarkWriteBookings(b *testing.B) {
	_, book, chart := newBook(b, "bench")
	for _, postings := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("postings=%d", postings), func(b *testing.B) {
			o := options(chart)
			var rows int
			var peak uint64
			var bytes int64
			for b.Loop() {
				runtime.GC()
				src := &yearSource{postings: postings}
				w := &countWriter{}
				res, err := datev.WriteBookings(context.Background(), w, src, book,
					date.MustParse("2025-01-01"), date.MustParse("2025-12-31"), o)
				if err != nil {
					b.Fatal(err)
				}
				rows += res.Bookings
				peak = max(peak, src.peak)
				bytes = w.n
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(postings)*float64(b.N)/b.Elapsed().Seconds(), "postings/s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(bytes)/(1<<20), "file-MB")
		})
	}
}
