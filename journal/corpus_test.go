package journal_test

import (
	"bufio"
	"encoding/csv"
	"errors"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/journal"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// expectation is one "; expect[ DATE]: ACCOUNT  AMOUNT CUR" line of a corpus
// journal: the account's balance in CUR on DATE (inclusive; zero date: at
// the end), computed by hand.
type expectation struct {
	asOf    date.Date
	account string
	cur     string
	amount  string
}

// corpusFile reads the expectations of a corpus journal and its expected
// error ("; expect-error: FILE:LINE TEXT").
func corpusFile(t *testing.T, path string) (exps []expectation, wantErr string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "; expect-error: "); ok {
			wantErr = rest
			continue
		}
		rest, ok := strings.CutPrefix(line, "; expect")
		if !ok {
			continue
		}
		head, body, ok := strings.Cut(rest, ": ")
		if !ok {
			continue
		}
		var e expectation
		if head = strings.TrimSpace(head); head != "" {
			e.asOf = date.MustParse(head)
		}
		name, amt, _ := strings.Cut(body, "  ")
		num, cur, _ := strings.Cut(strings.TrimSpace(amt), " ")
		e.account, e.amount, e.cur = strings.TrimSpace(name), num, cur
		exps = append(exps, e)
	}
	return exps, wantErr
}

// normal returns a decimal number without trailing zeros.
func normal(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" || s == "" {
		s = "0"
	}
	return s
}

// balancesAsOf sums the entries' lines per account code and currency through asOf.
func balancesAsOf(entries []ledger.Entry, asOf date.Date) map[string]string {
	sum := map[string]money.Amount{}
	for _, e := range entries {
		if !asOf.IsZero() && e.Date.After(asOf) {
			continue
		}
		for _, l := range e.Lines {
			k := l.Account + " " + l.Amount.Currency().Code()
			s, ok := sum[k]
			if !ok {
				s = money.Zero(l.Amount.Currency())
			}
			sum[k], _ = s.Add(l.Amount)
		}
	}
	out := map[string]string{}
	for k, v := range sum {
		if !v.IsZero() {
			out[k] = normal(v.Number())
		}
	}
	return out
}

// TestCorpus reads every journal of testdata/corpus: each either imports
// with the balances its expect lines give (by hand), or is refused with the
// expected file and line. With hledger installed, its balance report of
// the same file must agree too (required when $BACKOFFICE_TEST_HLEDGER is
// set).
func TestCorpus(t *testing.T) {
	paths, err := filepath.Glob("testdata/corpus/*.journal")
	if err != nil || len(paths) == 0 {
		t.Fatal("no corpus", err)
	}
	hledger := hledgerBin(t)
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".journal"), func(t *testing.T) {
			exps, wantErr := corpusFile(t, path)
			j, err := journal.ReadFile(path)
			if wantErr != "" {
				var es journal.Errors
				if !errors.As(err, &es) {
					t.Fatalf("ReadFile = %v, want the error %s", err, wantErr)
				}
				where, text, _ := strings.Cut(wantErr, " ")
				where = strings.TrimSuffix(where, ":")
				got := filepath.Base(es[0].File) + ":" + itoa(es[0].Line)
				if got != where || !strings.Contains(es[0].Error(), text) {
					t.Errorf("first error %q, want at %s containing %q", es[0], where, text)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			entries, _, err := j.EntriesIn("b", money.EUR) // costs are in EUR
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if err := e.Validate(nil); err != nil {
					t.Errorf("entry %s: %v", e.Key, err)
				}
			}
			if len(exps) == 0 {
				t.Fatal("no expectations")
			}
			dates := map[date.Date]bool{}
			for _, e := range exps {
				dates[e.asOf] = true
			}
			for _, d := range slices.SortedFunc(maps.Keys(dates), date.Date.Compare) {
				want := map[string]string{}
				for _, e := range exps {
					if e.asOf == d {
						want[journal.Code(e.account)+" "+e.cur] = normal(e.amount)
					}
				}
				got := balancesAsOf(entries, d)
				delete(got, journal.Code(journal.ClearingAccount)+" EUR")
				if d.IsZero() {
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("balances at the end (-by hand +read):\n%s", diff)
					}
				} else {
					for k, v := range want {
						if got[k] != v {
							t.Errorf("balance of %s on %s = %q, by hand %q", k, d, got[k], v)
						}
					}
				}
				if hledger != "" {
					hl := hledgerBalances(t, hledger, path, d, want)
					for k, v := range want {
						if hl[k] != v {
							t.Errorf("hledger: balance of %s on %s = %q, by hand %q", k, d, hl[k], v)
						}
					}
					if d.IsZero() {
						if diff := cmp.Diff(want, hl); diff != "" {
							t.Errorf("hledger's balances (-by hand +hledger):\n%s", diff)
						}
					}
				}
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// hledgerBin returns the hledger binary, or "" to skip the comparisons;
// $BACKOFFICE_TEST_HLEDGER set makes a missing hledger a failure.
func hledgerBin(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("BACKOFFICE_TEST_HLEDGER"); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			t.Fatalf("$BACKOFFICE_TEST_HLEDGER=%s: %v", p, err)
		}
		return p
	}
	p, err := exec.LookPath("hledger")
	if err != nil {
		t.Log("hledger not installed: the corpus is checked against the balances by hand only")
		return ""
	}
	return p
}

// hledgerBalances runs hledger's balance report on path through asOf and
// returns the balances keyed as balances does.
func hledgerBalances(t *testing.T, bin, path string, asOf date.Date, want map[string]string) map[string]string {
	t.Helper()
	args := []string{"-f", path, "balance", "--flat", "--no-total", "-O", "csv", "--layout=bare",
		"-c", "$1000.00", "-c", "1000.00 EUR", "-c", "1000.00 USD", "-c", "1000.00 GBP"}
	if !asOf.IsZero() {
		args = append(args, "-e", asOf.AddDays(1).String())
	}
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("hledger %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	rows, err := csv.NewReader(strings.NewReader(string(out))).ReadAll()
	if err != nil {
		t.Fatalf("hledger output: %v\n%s", err, out)
	}
	got := map[string]string{}
	for _, r := range rows[1:] {
		cur := r[1]
		if c, ok := map[string]string{"$": "USD", "€": "EUR", "£": "GBP"}[cur]; ok {
			cur = c
		}
		if n := normal(r[2]); n != "0" {
			got[journal.Code(r[0])+" "+cur] = n
		}
	}
	return got
}

// TestExportHledger writes every corpus journal that imports back with
// Write (accounts named as in the journal, typed as the importer types
// them) and, with hledger installed, checks the export with hledger check
// -s and compares hledger's balance report of the export with its report
// of the original; Read reads the export back to the same entries' balances.
func TestExportHledger(t *testing.T) {
	paths, err := filepath.Glob("testdata/corpus/*.journal")
	if err != nil || len(paths) == 0 {
		t.Fatal("no corpus", err)
	}
	hledger := hledgerBin(t)
	for _, path := range paths {
		if strings.HasPrefix(filepath.Base(path), "refuse-") {
			continue
		}
		t.Run(strings.TrimSuffix(filepath.Base(path), ".journal"), func(t *testing.T) {
			j, err := journal.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			entries, _, err := j.EntriesIn("b", money.EUR)
			if err != nil {
				t.Fatal(err)
			}
			accounts := map[string]ledger.Account{}
			for _, tx := range j.Transactions {
				for _, ps := range tx.Postings {
					typ, _ := j.Type(ps.Account)
					accounts[j.Code(ps.Account)] = ledger.Account{Book: "b", Code: j.Code(ps.Account), Name: ps.Account, Type: typ}
				}
			}
			for _, e := range entries {
				for _, l := range e.Lines {
					if _, ok := accounts[l.Account]; !ok { // the clearing account of posting dates
						accounts[l.Account] = ledger.Account{Book: "b", Code: l.Account, Name: journal.ClearingAccount, Type: ledger.Asset}
					}
				}
			}
			var list []ledger.Account
			for _, c := range slices.Sorted(maps.Keys(accounts)) {
				list = append(list, accounts[c])
			}
			out := filepath.Join(t.TempDir(), "export.journal")
			f, err := os.Create(out)
			if err != nil {
				t.Fatal(err)
			}
			if err := journal.Write(f, list, entries); err != nil {
				t.Fatal(err)
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
			back, err := journal.ReadFile(out)
			if err != nil {
				t.Fatalf("Read(export): %v", err)
			}
			backEntries, _, err := back.EntriesIn("b", money.EUR)
			if err != nil {
				t.Fatalf("EntriesIn(export): %v", err)
			}
			if diff := cmp.Diff(entries, backEntries, cmpOpts...); diff != "" {
				t.Errorf("entries read back from the export (-original +export):\n%s", diff)
			}
			if diff := cmp.Diff(balancesAsOf(entries, date.Date{}), balancesAsOf(backEntries, date.Date{})); diff != "" {
				t.Errorf("balances read back from the export (-original +export):\n%s", diff)
			}
			if hledger == "" {
				return
			}
			if b, err := exec.Command(hledger, "-f", out, "check", "-s").CombinedOutput(); err != nil {
				data, _ := os.ReadFile(out)
				t.Fatalf("hledger check -s of the export: %v\n%s\n%s", err, b, data)
			}
			orig, exp := hledgerBalances(t, hledger, path, date.Date{}, nil), hledgerBalances(t, hledger, out, date.Date{}, nil)
			if diff := cmp.Diff(orig, exp); diff != "" {
				t.Errorf("hledger's balances (-original +export):\n%s", diff)
			}
		})
	}
}
