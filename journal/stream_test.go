package journal_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/journal"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

var scanOpts = append([]cmp.Option{
	cmp.AllowUnexported(journal.Posting{}),
	cmp.Comparer(func(a, b money.Currency) bool { return a == b }),
	cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) }),
}, cmpOpts...)

// scanAll reads path with ScanFile and collects its transactions and
// entries (in chunks of size) as ReadFile and EntriesIn give them.
func scanAll(t *testing.T, path string, base money.Currency, size int) (*journal.File, []journal.Transaction, []ledger.Entry, []journal.Source, error) {
	t.Helper()
	f, err := journal.ScanFile(path, nil)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	var txs []journal.Transaction
	if err := f.Transactions(func(tx *journal.Transaction) error { txs = append(txs, *tx); return nil }); err != nil {
		t.Fatal(err)
	}
	var entries []ledger.Entry
	var srcs []journal.Source
	err = f.Entries("b", base, size, func(es []ledger.Entry, ss []journal.Source) error {
		if len(es) != len(ss) || len(es) == 0 {
			t.Errorf("a chunk of %d entries and %d sources", len(es), len(ss))
		}
		entries, srcs = append(entries, es...), append(srcs, ss...)
		return nil
	})
	return f, txs, entries, srcs, err
}

// TestScanFileAsReadFile reads every corpus journal, and journals written
// for the checks ScanFile makes as the file goes by (balance assertions out
// of date order, identities that come back), with ReadFile and ScanFile:
// the same errors, or the same directives, transactions, summaries and
// entries, in chunks of any size.
func TestScanFileAsReadFile(t *testing.T) {
	paths, err := filepath.Glob("testdata/corpus/*.journal")
	if err != nil || len(paths) == 0 {
		t.Fatal("no corpus", err)
	}
	dir := t.TempDir()
	inline := map[string]string{
		"assertions in date order":      "2026-01-05 x\n  a  EUR 1 = EUR 3\n  b\n\n2026-01-01 y\n  a  EUR 2 = EUR 2\n  b\n\n2026-01-03 z\n  b  EUR 1 = EUR -2\n  c\n",
		"assertion fails in date order": "2026-01-02 x\n  a  EUR 1 = EUR 1\n  b\n\n2026-01-01 y\n  a  EUR 1\n  b\n\n2026-01-03 z\n  c  EUR 1 = EUR 2\n  d\n",
		"total assertion out of order":  "2026-01-02 x\n  a  EUR 1 == EUR 1\n  b\n\n2026-01-01 y\n  a  USD 1\n  b\n",
		"posting dates":                 "2026-01-05 x\n  a  EUR 1  ; date: 2026-01-01\n  b\n\n2026-01-02 y\n  a  EUR 1 = EUR 2\n  b\n",
		"same identity":                 "2026-01-02 x\n  a  EUR 1\n  b\n\n2026-01-01 x\n  a  EUR 1\n  b\n\n2026-01-02 x\n  a  EUR 2\n  b\n\n2026-01-02 x\n  a  EUR 3\n  b\n\n2026-01-01 x\n  a  EUR 4\n  b\n",
		"costs":                         "2026-01-02 x\n  assets:usd  USD 10.00 @@ EUR 9.00\n  assets:eur\n\n2026-01-03 y\n  assets:usd  USD -5.00\n  assets:eur  EUR 4.60\n",
		"foreign cost":                  "2026-01-02 x\n  assets:usd  USD 10.00 @@ GBP 9.00\n  assets:gbp\n\n2026-01-03 y\n  assets:usd  USD -5.00 @@ GBP 4.00\n  assets:gbp\n",
		"syntax":                        "2026-01-02 x\n  a  EUR 1\n  b  EUR -2\n\n2026-01-03 y\n  a  EUR 1 = EUR 7\n  b\n",
		"codes":                         "2026-01-02 x\n  1200 Bank  EUR 1\n  b\n\naccount 1200 Bank  ; code: 1200, type: A\n",
	}
	for name, text := range inline {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".journal")
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".journal"), func(t *testing.T) {
			j, rerr := journal.ReadFile(path)
			for _, size := range []int{1, 2, 1000} {
				f, txs, entries, srcs, serr := scanAll(t, path, money.EUR, size)
				if rerr != nil {
					if serr == nil || serr.Error() != rerr.Error() {
						t.Fatalf("ScanFile: %v\nReadFile: %v", serr, rerr)
					}
					return
				}
				wantEntries, wantSrcs, werr := j.EntriesIn("b", money.EUR)
				if werr != nil {
					if serr == nil || serr.Error() != werr.Error() {
						t.Fatalf("Entries: %v\nEntriesIn: %v", serr, werr)
					}
					return
				}
				if serr != nil {
					t.Fatal(serr)
				}
				for _, c := range []struct {
					what      string
					got, want any
				}{
					{"accounts", f.Accounts(), j.Accounts},
					{"prices", f.Prices(), j.Prices},
					{"styles", f.Styles(), j.Styles},
					{"currency", f.Currency().Code(), j.Currency().Code()},
					{"used accounts", f.UsedAccounts(), j.UsedAccounts()},
					{"style metadata", f.StyleMetadata(), j.StyleMetadata()},
					{"length", f.Len(), len(j.Transactions)},
					{"transactions", txs, j.Transactions},
					{"entries", entries, wantEntries},
					{"sources", srcs, wantSrcs},
				} {
					if diff := cmp.Diff(c.want, c.got, scanOpts...); diff != "" {
						t.Errorf("chunks of %d: %s (-ReadFile +ScanFile):\n%s", size, c.what, diff)
					}
				}
				for _, a := range f.Accounts() {
					if got, want := f.Code(a.Name), j.Code(a.Name); got != want {
						t.Errorf("Code(%s) = %s, want %s", a.Name, got, want)
					}
				}
			}
		})
	}
}

func TestScanFileChanged(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.journal")
	write := func(s string) {
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("2026-01-02 x\n  a  EUR 1\n  b\n")
	f, err := journal.ScanFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	write("2026-01-02 x\n  a  EUR 2\n  b\n")
	err = f.Entries("b", money.EUR, 10, func([]ledger.Entry, []journal.Source) error { return nil })
	if !errors.Is(err, journal.ErrChanged) {
		t.Errorf("Entries of a changed file: %v, want ErrChanged", err)
	}
	os.Remove(path)
	if err := f.Transactions(func(*journal.Transaction) error { return nil }); !errors.Is(err, journal.ErrChanged) {
		t.Errorf("Transactions of a removed file: %v, want ErrChanged", err)
	}
}

func TestScanFileCheckDimension(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.journal")
	text := "2026-01-02 x\n  a  EUR 1  ; vat: X1\n  b\n\n2026-01-03 y\n  a  EUR 1\n    ; dim.vat: X2\n  b\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	errBad := errors.New("unknown")
	check := func(name, value string) error {
		if value == "X2" {
			return errBad
		}
		return nil
	}
	_, err := journal.ScanFile(path, &journal.ScanOptions{CheckDimension: check})
	j, rerr := journal.ReadFile(path)
	if rerr != nil {
		t.Fatal(rerr)
	}
	want := j.CheckDimensions(check)
	if want == nil || err == nil || err.Error() != want.Error() || !errors.Is(err, errBad) {
		t.Errorf("ScanFile: %v, want %v", err, want)
	}
}

func TestScanFileStops(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.journal")
	text := strings.Repeat("2026-01-02 x\n  a  EUR 1\n  b\n\n", 10)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := journal.ScanFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	errStop := errors.New("stop")
	n := 0
	err = f.Entries("b", money.EUR, 3, func(es []ledger.Entry, _ []journal.Source) error {
		n += len(es)
		return errStop
	})
	if err != errStop || n != 3 {
		t.Errorf("Entries: %v after %d entries, want errStop after 3", err, n)
	}
}
