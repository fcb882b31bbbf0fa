package reporting_test

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/reporting"
)

// TestCatalogues checks that every shipped catalogue translates exactly
// the keys of the English source catalogue, with the same fmt verbs.
func TestCatalogues(t *testing.T) {
	en, err := reporting.LoadMessages("en")
	if err != nil {
		t.Fatal(err)
	}
	verbs := regexp.MustCompile(`%[a-z]`)
	for _, lang := range reporting.Languages() {
		t.Run(lang, func(t *testing.T) {
			m, err := reporting.LoadMessages(lang)
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range en.Keys() {
				if !m.Has(k) && !strings.HasPrefix(k, "@") {
					t.Errorf("no translation of %q", k)
					continue
				}
				if got, want := verbs.FindAllString(m.Text(k), -1), verbs.FindAllString(k, -1); strings.Join(got, "") != strings.Join(want, "") && !strings.HasPrefix(k, "@") {
					t.Errorf("%q → %q: verbs %v, want %v", k, m.Text(k), got, want)
				}
				if strings.HasPrefix(k, "sheet:") && len([]rune(m.Text(k))) > 31 {
					t.Errorf("sheet name %q is longer than Excel's 31 characters", m.Text(k))
				}
			}
			for _, k := range m.Keys() {
				if !en.Has(k) {
					t.Errorf("key %q is not in en.txt", k)
				}
			}
		})
	}
	if _, err := reporting.LoadMessages("xx"); !errors.Is(err, reporting.ErrLanguage) {
		t.Errorf("LoadMessages(xx) = %v, want ErrLanguage", err)
	}
	if _, err := reporting.ReadMessages("xx", strings.NewReader("no tab here\n")); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("a line without a tab: %v, want an error naming line 1", err)
	}
	de, _ := reporting.LoadMessages("de")
	if got := de.Date(d("2025-12-31")); got != "31.12.2025" {
		t.Errorf("German date %q", got)
	}
	if got := eur("-1234.56").Format(de.Format()); got != "-1.234,56" {
		t.Errorf("German amount %q", got)
	}
}

// frameWords returns the texts of the frame that lang words differently
// from other: the English words a German report must not show.
func frameWords(t *testing.T, lang, other string) []string {
	t.Helper()
	m, _ := reporting.LoadMessages(lang)
	o, _ := reporting.LoadMessages(other)
	var out []string
	for _, k := range m.Keys() {
		if strings.HasPrefix(k, "@") || strings.HasPrefix(k, "sheet:") || strings.Contains(k, "%") {
			continue
		}
		if w := m.Text(k); w != o.Text(k) && len(w) > 3 {
			out = append(out, w)
		}
	}
	return out
}

// foreignWords returns the words of frame found in text as whole words.
func foreignWords(text string, frame []string) []string {
	var found []string
	for _, w := range frame {
		re := regexp.MustCompile(`(^|[^\pL])` + regexp.QuoteMeta(w) + `($|[^\pL])`)
		if re.MatchString(text) {
			found = append(found, w)
		}
	}
	return found
}

// TestLanguage builds every ledger report of an SKR03 book, which is German
// by default, and of the same book in English, and checks that the text of
// each has no word of the other language's frame.
func TestLanguage(t *testing.T) {
	ctx := context.Background()
	skr, _ := skrBook(t, "skr03")
	hand := handBook(t)
	for _, tc := range []struct {
		name, lang, option, other string
		l                         *ledger.Ledger
		book                      string
	}{
		{"skr03", "de", "", "en", skr, "gmbh"},
		{"skr03 in English", "en", "en", "de", skr, "gmbh"},
		{"default chart", "en", "", "de", hand, "acme"},
		{"default chart in German", "de", "de", "en", hand, "acme"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, book := tc.l, tc.book
			o := opts("2026-01-01", "2026-03-31")
			o.Language = tc.option
			// The HGB layouts' lines are the law's German words; the
			// default layouts' are the catalogue's.
			var bilanz, guv *reporting.Layout
			if book == "gmbh" && tc.lang == "de" {
				bilanz, _ = reporting.LoadLayout("hgb-266")
				guv, _ = reporting.LoadLayout("hgb-275")
			}
			skip := book == "gmbh" && tc.lang == "en"
			var all bytes.Buffer
			build := map[string]func() (reporting.Report, error){
				"tb": func() (reporting.Report, error) { return reporting.TrialBalance(ctx, l, book, o) },
				"bs": func() (reporting.Report, error) {
					b := o
					b.Layout = bilanz
					return reporting.BalanceSheet(ctx, l, book, b)
				},
				"is": func() (reporting.Report, error) {
					m := o
					m.Compare, m.Layout = reporting.Monthly, guv
					return reporting.IncomeStatement(ctx, l, book, m)
				},
				"cf": func() (reporting.Report, error) { return reporting.CashFlow(ctx, l, book, o) },
				"gl": func() (reporting.Report, error) { return reporting.GeneralLedger(ctx, l, book, o) },
			}
			for name, f := range build {
				if skip && (name == "bs" || name == "is") {
					continue // an SKR chart has no English layout
				}
				r, err := f()
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if r.Language != tc.lang {
					t.Errorf("%s: Language %q, want %q", name, r.Language, tc.lang)
				}
				// The frame, not the book's data (account names, entry
				// texts): title, headings, the rows that are no account's,
				// checks, and the renderer's own words.
				var text bytes.Buffer
				if err := reporting.WriteText(&text, r, nil); err != nil {
					t.Fatal(err)
				}
				head, _, _ := strings.Cut(text.String(), "\n\n")
				all.WriteString(head + "\n")
				for _, c := range r.Columns {
					all.WriteString(c.Label + "\n")
				}
				for _, row := range r.Rows {
					if row.Account == "" || row.Kind == reporting.TotalRow {
						all.WriteString(row.Label + "\n")
					}
				}
				for _, c := range r.Checks {
					all.WriteString(c.Label + "\n")
				}
				if len(r.Checks) > 0 && !strings.Contains(text.String(), "\n"+reporting.MessagesFor(tc.lang).Text("Checks")+"\n") {
					t.Errorf("%s: no checks heading in\n%s", name, text.String())
				}
			}
			if bad := foreignWords(all.String(), frameWords(t, tc.other, tc.lang)); len(bad) > 0 {
				t.Errorf("the %s reports show words of the %s frame: %q\n%s", tc.lang, tc.other, bad, all.String())
			}
			if tc.lang == "de" && !strings.Contains(all.String(), "31.03.2026") || tc.lang == "en" && !strings.Contains(all.String(), "2026-03-31") {
				t.Errorf("no German date in the German reports")
			}
		})
	}
	o := opts("2026-01-01", "2026-03-31")
	o.Language = "xx"
	if _, err := reporting.TrialBalance(ctx, skr, "gmbh", o); !errors.Is(err, reporting.ErrOption) || !errors.Is(err, reporting.ErrLanguage) {
		t.Errorf("Language xx: %v, want ErrOption and ErrLanguage", err)
	}
}

// TestNegativeCash: a negative cash account (meta.role cash, Kasse) goes
// to the bank liabilities line of §266 as the layout maps every credit
// balance of B.IV, but cash cannot be negative, and the checks block says
// so naming the account. A negative bank account is a liability to the
// bank and fails no check.
func TestNegativeCash(t *testing.T) {
	ctx := context.Background()
	bilanz, err := reporting.LoadLayout("hgb-266")
	if err != nil {
		t.Fatal(err)
	}
	accts := ledger.SKR03("gmbh")
	for i := range accts {
		accts[i].Constraint = ledger.Constraint{} // a chart without the guard of 1000 Kasse
	}
	l := newLedger(t, "gmbh", accts)
	post(t, l, "gmbh",
		entry{"2026-01-02", "S1", "Stammkapital", []ln{{"1200", "1000.00"}, {"1400", "2000.00"}, {"0800", "-3000.00"}}},
		entry{"2026-01-10", "K1", "Barzahlung Miete", []ln{{"4210", "500.00"}, {"1000", "-500.00"}}},
		entry{"2026-01-11", "B1", "Überweisung Miete", []ln{{"4210", "1700.00"}, {"1200", "-1700.00"}}},
	)
	o := opts("2026-01-01", "2026-01-31")
	o.Layout = bilanz
	bs, err := reporting.BalanceSheet(ctx, l, "gmbh", o)
	if err != nil {
		t.Fatal(err)
	}
	var under []string
	for _, row := range bs.Rows {
		if row.Account != "" {
			under = append(under, row.Account+"@"+row.Line)
		}
	}
	if !strings.Contains(strings.Join(under, " "), "1000@P.C.2") || !strings.Contains(strings.Join(under, " "), "1200@P.C.2") {
		t.Errorf("negative Kasse and bank are not under P.C.2: %v", lines(bs))
	}
	var failed []string
	for _, c := range bs.Checks {
		if !c.OK() {
			failed = append(failed, c.Label)
		}
	}
	if len(failed) != 1 || !strings.Contains(failed[0], "1000 Kasse") || !strings.Contains(failed[0], "Kasse") || strings.Contains(failed[0], "1200") {
		t.Errorf("failed checks %q, want one naming 1000 Kasse only", failed)
	}
}
