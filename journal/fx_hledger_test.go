package journal_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/fx"
	"github.com/openbackoffice/backoffice/internal/threecurrency"
	"github.com/openbackoffice/backoffice/journal"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/memory"
)

// threeCurrencyCompany builds the hand-worked book of reporting's
// TestThreeCurrencyCompany (package internal/threecurrency, whose doc has
// the rates and entries): revalued at each year end, 2025 closed to 3200.
func threeCurrencyCompany(t *testing.T) (*ledger.Ledger, *fx.Table) {
	t.Helper()
	ctx := context.Background()
	rates, err := threecurrency.Rates()
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return time.Date(2027, 1, 15, 8, 0, 0, 0, time.UTC) }
	l := ledger.New(memory.New(), &ledger.Options{Now: clock, Rates: rates, RoundingAccount: threecurrency.Rounding})
	for _, step := range []func() error{
		func() error { return threecurrency.Setup(ctx, l) },
		func() error { return threecurrency.Post2025(ctx, l) },
		func() error { return threecurrency.Revalue(ctx, l, "2025-12-31") },
		func() error { _, err := l.CloseYear(ctx, threecurrency.Book, 2025, "3200"); return err },
		func() error { return threecurrency.Post2026(ctx, l) },
		func() error { return threecurrency.Revalue(ctx, l, "2026-12-31") },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	return l, rates
}

// TestHledgerThreeCurrencies is issue 17's agreement test: the
// three-currency company, exported as a journal with its rates as P
// directives, reads back to the same entries (amounts and base amounts)
// and rates; and hledger's balances in EUR, both at the booked costs
// (bal -B) and valued at the market prices of each posting's date (bal -X
// EUR --value=then, which the rates make the booked amounts), agree to the
// cent with the ledger's balances in the base currency (BalanceQuery
// InBase), which agree with the hand-worked ones, at the end of 2025
// (after the closing) and of 2026. hledger's amounts are printed with six
// decimals, so that no sub-cent difference hides in the rounding.
func TestHledgerThreeCurrencies(t *testing.T) {
	ctx := context.Background()
	l, table := threeCurrencyCompany(t)
	var entries []ledger.Entry
	posted, err := l.Entries(ctx, "tri", ledger.EntryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range posted {
		entries = append(entries, p.Entry)
	}
	accounts, err := l.Accounts(ctx, "tri")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := journal.Write(&buf, accounts, entries, table.Rates()...); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "tri.journal")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"    1000 Assets:1100 Current assets:1121 Bank USD  USD 11000.00 @@ EUR 9900.00\n", "\nP 2025-01-15 USD 0.90 EUR  ; source: test\n"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("the export has no %q:\n%s", want, buf.String())
		}
	}

	// Read back: the same entries, base amounts included, and rates.
	j, err := journal.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	back, _, err := j.EntriesIn("tri", money.EUR)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(entries, back, cmpOpts...); diff != "" {
		t.Errorf("entries read back (-posted +read):\n%s", diff)
	}
	converted := 0
	for _, e := range back {
		for _, l := range e.Lines {
			if l.Converted() {
				converted++
			}
		}
	}
	if converted != 8 { // E2, E3, E4, E5, E6, E7, E8, E9
		t.Errorf("%d lines with base amounts read back, want 8", converted)
	}
	rates, err := j.Rates()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(table.Rates(), rates, rateOpts); diff != "" {
		t.Errorf("rates read back (-table +read):\n%s", diff)
	}

	// The ledger's balances in EUR, as worked by hand.
	byHand := map[string]map[string]string{
		"2025-12-31": {"1120": "93640.00", "1121": "9500.00", "1210": "2300.00", "2110": "-2200.00",
			"3100": "-100000.00", "3200": "-3240.00"},
		"2026-12-31": {"1120": "93840.00", "1121": "11050.00", "3100": "-100000.00", "3200": "-3240.00",
			"4100": "-2640.00", "4200": "-100.00", "6990": "1090.00"},
	}
	hledger := hledgerBin(t)
	if hledger == "" {
		t.Skip("hledger not installed: the export is checked by reading it back only")
	}
	if out, err := exec.Command(hledger, "-f", path, "check", "-s").CombinedOutput(); err != nil {
		t.Fatalf("hledger check -s: %v\n%s\n%s", err, out, buf.String())
	}
	for _, end := range []string{"2025-12-31", "2026-12-31"} {
		rows, err := l.Balances(ctx, "tri", ledger.BalanceQuery{To: date.MustParse(end), InBase: true})
		if err != nil {
			t.Fatal(err)
		}
		books := map[string]string{}
		for _, r := range rows {
			if r.Currency != money.EUR {
				t.Errorf("%s: a row in %s", r.Account.Code, r.Currency)
			}
			if !r.Closing.IsZero() {
				books[r.Account.Code] = r.Closing.Number()
			}
		}
		if diff := cmp.Diff(books, byHand[end]); diff != "" {
			t.Errorf("ledger balances in EUR on %s (-ledger +by hand):\n%s", end, diff)
		}
		for _, how := range [][]string{{"-B"}, {"-X", "EUR", "--value=then"}} {
			got := hledgerEUR(t, hledger, path, date.MustParse(end), how...)
			if diff := cmp.Diff(got, books); diff != "" {
				t.Errorf("hledger bal %s -e %s against the ledger's balances in EUR (-hledger +ledger):\n%s",
					strings.Join(how, " "), end, diff)
			}
		}
	}
}

// hledgerEUR runs hledger's flat balance report of path through asOf with
// the valuation flags how and returns each account's balance by code (the
// first word of the last segment of the names Write gives a numeric
// chart), its six decimals cut to the cents when the rest are zeros, and
// "CUR amount" for an amount in another currency than EUR.
func hledgerEUR(t *testing.T, bin, path string, asOf date.Date, how ...string) map[string]string {
	t.Helper()
	args := append([]string{"-f", path, "balance", "--flat", "--no-total", "-O", "csv", "--layout=bare",
		"-e", asOf.AddDays(1).String(), "-c", "EUR 1000.000000"}, how...)
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("hledger %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	rows, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("hledger output: %v\n%s", err, out)
	}
	got := map[string]string{}
	for _, r := range rows[1:] {
		name := r[0]
		if i := strings.LastIndexByte(name, ':'); i >= 0 {
			name = name[i+1:]
		}
		code, _, _ := strings.Cut(name, " ")
		v := strings.TrimSuffix(r[2], "0000")
		if v == "0.00" || v == "-0.00" {
			continue
		}
		if r[1] != "EUR" {
			v = r[1] + " " + r[2]
		}
		if prev, ok := got[code]; ok {
			v = prev + ", " + v
		}
		got[code] = v
	}
	return got
}
