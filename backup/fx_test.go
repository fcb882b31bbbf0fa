package backup_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/backup"
	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/fx"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/memory"
	"github.com/openbackoffice/backoffice/store/postgres"
)

// fxFill creates book "fx": EUR, with a USD bank (1121) and a GBP
// receivable (1210) marked for revaluation, and the 2025 entries of the
// three-currency company (reporting's TestThreeCurrencyCompany) that
// touch them: base amounts given on the line (E2, E3), converted by the
// ledger at the entry date's rate (E6), a settlement at another rate
// with its realised loss (E5), a line whose base amount rounds to
// nothing (E7), and the year-end revaluation with its reversal on the
// next day.
//
//	E1 01-02 1120 Dr 100,000.00 EUR          3100 Cr 100,000.00 EUR
//	E2 01-15 1121 Dr  11,000.00 USD (9,900)  1120 Cr   9,900.00 EUR
//	E3 03-10 1210 Dr   5,000.00 GBP (6,000)  4100 Cr   6,000.00 EUR
//	E5 06-30 1120 Dr 3,540.00, 6990 Dr 60.00 1210 Cr 3,000.00 GBP (3,600)
//	E6 09-15 6500 Dr     920.00 EUR          1121 Cr 1,000.00 USD (× 0.92)
//	E7 10-01 1121 Dr       0.01 USD (0.00)   4200 Cr 0.01 USD (0.00)
//	R  12-31 1121 Dr 520.00 (10,000.01 USD at 0.95 = 9,500.01, carried
//	         8,980.00: +520.01, HalfUp), 1210 Cr 100.00 (2,000 GBP at
//	         1.15 = 2,300.00, carried 2,400.00); 4200 Cr 520.01, 6990 Dr 100.00
//	R' 01-01 the reversal of R
func fxFill(t *testing.T, s ledger.Store) *ledger.Ledger {
	t.Helper()
	ctx := context.Background()
	rate := func(day, cur, r string) fx.Rate {
		return fx.Rate{Date: date.MustParse(day), From: money.MustParseCurrency(cur), To: money.EUR,
			Rate: decimal.RequireFromString(r), Source: "test"}
	}
	rates, err := fx.NewTable(rate("2025-01-15", "USD", "0.90"), rate("2025-03-10", "GBP", "1.20"),
		rate("2025-09-15", "USD", "0.92"), rate("2025-12-31", "USD", "0.95"), rate("2025-12-31", "GBP", "1.15"))
	if err != nil {
		t.Fatal(err)
	}
	l := ledger.New(s, &ledger.Options{Rates: rates, RoundingAccount: "6990"})
	if err := l.CreateBook(ctx, ledger.Book{ID: "fx", Name: "FX GmbH", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	chart := ledger.DefaultChart("fx")
	foreign := func(code, name string, c money.Currency) ledger.Account {
		return ledger.Account{Book: "fx", Code: code, Name: name, Type: ledger.Asset, Parent: "1100", Currency: c,
			Metadata: map[string]string{ledger.MetaRevalue: "short"}}
	}
	chart = append(chart, foreign("1121", "Bank USD", money.USD), foreign("1210", "Receivables GBP", money.GBP))
	slices.SortFunc(chart, func(a, b ledger.Account) int { return strings.Compare(a.Code, b.Code) })
	if err := l.CreateAccounts(ctx, chart...); err != nil {
		t.Fatal(err)
	}
	usd := func(s string) money.Amount { return money.MustParse(s, money.USD) }
	gbp := func(s string) money.Amount { return money.MustParse(s, money.GBP) }
	post := func(key, day string, lines ...ledger.Line) {
		t.Helper()
		if _, err := l.Post(ctx, ledger.Entry{Book: "fx", Key: key, Date: date.MustParse(day), Description: key, Lines: lines}); err != nil {
			t.Fatalf("post %s: %v", key, err)
		}
	}
	post("E1", "2025-01-02", ledger.Debit("1120", eur("100000.00")), ledger.Credit("3100", eur("100000.00")))
	post("E2", "2025-01-15", ledger.Line{Account: "1121", Amount: usd("11000.00"), Base: eur("9900.00")}, ledger.Credit("1120", eur("9900.00")))
	post("E3", "2025-03-10", ledger.Line{Account: "1210", Amount: gbp("5000.00"), Base: eur("6000.00")}, ledger.Credit("4100", eur("6000.00")))
	lines, err := l.SettlementLines(ctx, "fx", ledger.Settlement{Account: "1210", Amount: gbp("-3000.00"), Date: date.MustParse("2025-06-30"),
		Counter: []ledger.Line{ledger.Debit("1120", eur("3540.00"))}, Gains: "4200", Losses: "6990"})
	if err != nil {
		t.Fatal(err)
	}
	post("E5", "2025-06-30", lines...)
	post("E6", "2025-09-15", ledger.Debit("6500", eur("920.00")), ledger.Credit("1121", usd("1000.00")))
	post("E7", "2025-10-01", ledger.Line{Account: "1121", Amount: usd("0.01"), Base: eur("0.00")},
		ledger.Line{Account: "4200", Amount: usd("-0.01"), Base: eur("0.00")})
	if _, err := l.Revalue(ctx, "fx", date.MustParse("2025-12-31"), ledger.RevalueOptions{Gains: "4200", Losses: "6990", Reverse: true}); err != nil {
		t.Fatal(err)
	}
	return l
}

// balancesOf returns the book's trial balance as text, per account and
// currency or (inBase) in EUR.
func balancesOf(t *testing.T, s ledger.Store, book string, to string, inBase bool) []string {
	t.Helper()
	rows, err := ledger.New(s, nil).Balances(context.Background(), book, ledger.BalanceQuery{To: date.MustParse(to), InBase: inBase})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		if r.Debit.IsZero() && r.Credit.IsZero() && r.Opening.IsZero() {
			continue
		}
		out = append(out, fmt.Sprintf("%s %s: Dr %s Cr %s = %s", r.Account.Code, r.Currency.Code(), r.Debit.Number(), r.Credit.Number(), r.Closing.Number()))
	}
	return out
}

// pgStore opens a PostgreSQL store in a schema of its own on
// BACKOFFICE_TEST_POSTGRES, dropped at cleanup, or returns nil when the
// variable is unset.
func pgStore(t testing.TB) *postgres.Store {
	t.Helper()
	dsn := os.Getenv("BACKOFFICE_TEST_POSTGRES")
	if dsn == "" {
		return nil
	}
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	var rnd [6]byte
	rand.Read(rnd[:])
	schema := "backup_fx_" + hex.EncodeToString(rnd[:])
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		db.Close()
		t.Fatalf("PostgreSQL: %v", err)
	}
	t.Cleanup(func() { db.Exec("DROP SCHEMA " + schema + " CASCADE"); db.Close() })
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	ctx := context.Background()
	s, err := postgres.Open(ctx, dsn+sep+"search_path="+schema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestRoundTripConverted backs up a book with converted lines, a line
// whose base amount is zero, a settlement and a revaluation with its
// reversal, restores it into SQLite, memory and (with
// BACKOFFICE_TEST_POSTGRES) PostgreSQL, and checks every copy: Verify
// passes, and the trial balance is the source's per currency and in the
// base currency, the base one as worked by hand.
func TestRoundTripConverted(t *testing.T) {
	ctx := context.Background()
	src := memory.New()
	fxFill(t, src)

	// The hand-worked base-currency balances of 31.12.2025 (before the
	// reversal): 1120 100,000 − 9,900 + 3,540; 1121 9,900 − 920 + 0.00 +
	// 520.01 = 9,500.01; 1210 6,000 − 3,600 − 100 = 2,300; 4200 −520.01 and
	// the 0.01 USD at 0.00; 6990 60 + 100.
	wantBase := []string{
		"1120 EUR: Dr 103540.00 Cr 9900.00 = 93640.00",
		"1121 EUR: Dr 10420.01 Cr 920.00 = 9500.01",
		"1210 EUR: Dr 6000.00 Cr 3700.00 = 2300.00",
		"3100 EUR: Dr 0.00 Cr 100000.00 = -100000.00",
		"4100 EUR: Dr 0.00 Cr 6000.00 = -6000.00",
		"4200 EUR: Dr 0.00 Cr 520.01 = -520.01",
		"6500 EUR: Dr 920.00 Cr 0.00 = 920.00",
		"6990 EUR: Dr 160.00 Cr 0.00 = 160.00",
	}
	if diff := cmp.Diff(wantBase, balancesOf(t, src, "fx", "2025-12-31", true)); diff != "" {
		t.Fatalf("the source's base-currency balances are not the hand-worked ones (-want +got):\n%s", diff)
	}
	wantBase2026 := balancesOf(t, src, "fx", "2026-12-31", true)
	wantCur := balancesOf(t, src, "fx", "2026-12-31", false)
	arch := write(t, src)
	if err := open(t, arch).Verify(nil); err != nil {
		t.Fatal(err)
	}

	targets := []struct {
		name string
		s    backup.Store
	}{{"sqlite", newSQLite(t)}, {"memory", memory.New()}}
	if pg := pgStore(t); pg != nil {
		targets = append(targets, struct {
			name string
			s    backup.Store
		}{"postgres", pg})
	} else {
		t.Log("BACKOFFICE_TEST_POSTGRES unset: PostgreSQL not restored into")
	}
	for _, tg := range targets {
		t.Run(tg.name, func(t *testing.T) {
			if err := backup.Restore(ctx, tg.s, open(t, arch), nil); err != nil {
				t.Fatal(err)
			}
			l := ledger.New(tg.s, nil)
			if _, err := l.Verify(ctx, "fx"); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(wantBase, balancesOf(t, tg.s, "fx", "2025-12-31", true)); diff != "" {
				t.Errorf("base-currency balances 31.12.2025 (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(wantBase2026, balancesOf(t, tg.s, "fx", "2026-12-31", true)); diff != "" {
				t.Errorf("base-currency balances after the reversal (-source +restored):\n%s", diff)
			}
			if diff := cmp.Diff(wantCur, balancesOf(t, tg.s, "fx", "2026-12-31", false)); diff != "" {
				t.Errorf("balances per currency (-source +restored):\n%s", diff)
			}
			// The line whose base amount rounds to nothing stays converted
			// (a base of 0.00 EUR, not none).
			p, err := l.EntryByKey(ctx, "fx", "E7")
			if err != nil {
				t.Fatal(err)
			}
			if ln := p.Lines[0]; !ln.Converted() || !ln.Base.IsZero() || ln.Base.Currency() != money.EUR {
				t.Errorf("E7 line 1 restored as %+v, want converted at 0.00 EUR", ln)
			}
			// The archive of the restored book is the source's, member by
			// member.
			if diff := cmp.Diff(open(t, arch).Manifest.Members, open(t, write(t, tg.s)).Manifest.Members); diff != "" {
				t.Errorf("members (-source +restored):\n%s", diff)
			}
		})
	}
}
