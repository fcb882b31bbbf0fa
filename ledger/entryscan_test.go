package ledger_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// TestScanEntriesAsReadEntries: ScanEntries hands over in chunks of any
// size the entries ReadEntries returns, with the rows they start on, or
// fails with the same problems and calls fn with nothing after the first.
func TestScanEntriesAsReadEntries(t *testing.T) {
	tests := map[string]string{
		"entries":          "key,date,account,amount,memo\na,2026-01-01,1,1.00,x\na,,2,-1.00,\nb,2026-01-02,1,2.00,\nb,,2,-1.00,\nb,,3,-1.00,\nc,2026-01-03,1,3.00,\nc,,2,-3.00,\n",
		"blank rows":       "key,date,account,amount\n\na,2026-01-01,1,1.00\na,,2,-1.00\n\nb,2026-01-02,1,2.00\nb,,2,-2.00\n",
		"key comes back":   "key,date,account,amount\na,2026-01-01,1,1\na,,2,-1\nb,2026-01-01,1,1\nb,,2,-1\na,,3,1\n",
		"unbalanced later": "key,date,account,amount\na,2026-01-01,1,1.00\na,,2,-1.00\nb,2026-01-02,1,2.00\nb,,2,-1.00\nc,2026-01-03,1,3.00\nc,,2,-3.00\n",
		"bad rows":         "key,date,account,amount\na,2026-13-01,1,1.00\na,,2,-1.00\n,2026-01-02,1,2.00\nb,2026-01-02,1,x\nb,,2,-1.00\n",
		"no amount column": "key,date,account\na,2026-01-01,1\n",
	}
	opts := &ledger.EntryOptions{Currency: money.EUR}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			want, werr := ledger.ReadEntries(strings.NewReader(in), "acme", opts)
			for _, size := range []int{1, 2, 100} {
				var got []ledger.Entry
				var rows []int
				calls := 0
				err := ledger.ScanEntries(strings.NewReader(in), "acme", opts, size, func(es []ledger.Entry, rs []int) error {
					calls++
					if len(es) != len(rs) || len(es) == 0 || len(es) > size {
						t.Errorf("chunk of %d entries, %d rows", len(es), len(rs))
					}
					got, rows = append(got, es...), append(rows, rs...)
					return nil
				})
				if werr != nil {
					if err == nil || err.Error() != werr.Error() {
						t.Fatalf("ScanEntries: %v\nReadEntries: %v", err, werr)
					}
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, got, entryCmp...); diff != "" {
					t.Errorf("chunks of %d (-ReadEntries +ScanEntries):\n%s", size, diff)
				}
				row := 2
				for i, e := range got {
					for row < len(strings.Split(in, "\n")) && !strings.HasPrefix(strings.Split(in, "\n")[row-1], e.Key+",") {
						row++
					}
					if rows[i] != row {
						t.Errorf("entry %s starts in row %d, want %d", e.Key, rows[i], row)
					}
				}
			}
		})
	}
}

func TestScanEntriesStops(t *testing.T) {
	in := "key,date,account,amount\na,2026-01-01,1,1.00\na,,2,-1.00\nb,2026-01-02,1,2.00\nb,,2,-2.00\nc,2026-01-03,1,3.00\nc,,2,-3.00\n"
	errStop := errors.New("stop")
	n := 0
	err := ledger.ScanEntries(strings.NewReader(in), "acme", &ledger.EntryOptions{Currency: money.EUR}, 2, func(es []ledger.Entry, _ []int) error {
		n += len(es)
		return errStop
	})
	if err != errStop || n != 2 {
		t.Errorf("ScanEntries: %v after %d entries, want errStop after 2", err, n)
	}
}

// TestScanEntriesKeysChecked: a second reading of a checked file keeps
// nothing per key, and so does not find keys that come back.
func TestScanEntriesKeysChecked(t *testing.T) {
	in := "key,date,account,amount\na,2026-01-01,1,1\na,,2,-1\nb,2026-01-01,1,1\nb,,2,-1\na,2026-01-02,3,1\na,,2,-1\n"
	n := 0
	err := ledger.ScanEntries(strings.NewReader(in), "acme", &ledger.EntryOptions{Currency: money.EUR, KeysChecked: true}, 10, func(es []ledger.Entry, _ []int) error {
		n += len(es)
		return nil
	})
	if err != nil || n != 3 {
		t.Errorf("ScanEntries: %v, %d entries; want 3", err, n)
	}
}
