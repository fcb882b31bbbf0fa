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
			entries := j.Entries("b")
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
