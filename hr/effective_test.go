package hr_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/memory"
)

// genVersions draws contract versions of one employee with distinct Seq
// numbers, recording times that may tie, and validities that may overlap.
func genVersions(t *rapid.T) []hr.Contract {
	base := date.MustParse("2026-01-01")
	n := rapid.IntRange(1, 8).Draw(t, "versions")
	vs := make([]hr.Contract, n)
	for i := range vs {
		from := base.AddDays(rapid.IntRange(0, 60).Draw(t, "from"))
		var to date.Date
		if rapid.Bool().Draw(t, "bounded") {
			to = from.AddDays(rapid.IntRange(0, 40).Draw(t, "length"))
		}
		vs[i] = hr.Contract{
			Employee: "e",
			Effective: hr.Effective{ValidFrom: from, ValidTo: to, Seq: int64(i + 1),
				RecordedAt: t0.Add(time.Duration(rapid.IntRange(0, 5).Draw(t, "recorded")) * time.Hour)},
			PayType: hr.Monthly, Amount: money.New(int64(100*(i+1)), money.EUR), Frequency: hr.MonthlyPay,
			WeeklyHours: dec("40"), WorkDays: hr.MondayToFriday,
		}
	}
	return vs
}

// answers returns the Seq in force on each of 120 days as recorded at each
// of the recording hours (0 for none), and the timeline as recorded now.
func answers(vs []hr.Contract) ([][]int64, []hr.Span[hr.Contract]) {
	base := date.MustParse("2026-01-01")
	var out [][]int64
	for h := -1; h <= 5; h++ {
		asOf := t0.Add(time.Duration(h) * time.Hour)
		row := make([]int64, 120)
		for d := range row {
			if c, ok := hr.Resolve(vs, base.AddDays(d), asOf); ok {
				row[d] = c.Seq
			}
		}
		out = append(out, row)
	}
	return out, hr.Timeline(vs, time.Time{})
}

// TestResolveOrderIndependent checks that the as-of answers depend on the
// versions, not on the order they are handed over or stored in.
func TestResolveOrderIndependent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		vs := genVersions(t)
		want, wantSpans := answers(vs)
		perm := rapid.Permutation(vs).Draw(t, "order")
		got, gotSpans := answers(perm)
		if diff := cmp.Diff(got, want); diff != "" {
			t.Fatalf("Resolve depends on order (-got +want):\n%s", diff)
		}
		if diff := cmp.Diff(gotSpans, wantSpans, cmpOpts); diff != "" {
			t.Fatalf("Timeline depends on order (-got +want):\n%s", diff)
		}
		// The timeline agrees with Resolve on every day.
		base := date.MustParse("2026-01-01")
		for d := range 120 {
			day := base.AddDays(d)
			var seq int64
			for _, s := range gotSpans {
				if !day.Before(s.From) && (s.To.IsZero() || !day.After(s.To)) {
					seq = s.Version.Seq
				}
			}
			if seq != want[len(want)-1][d] {
				t.Fatalf("day %s: timeline says %d, Resolve %d", day, seq, want[len(want)-1][d])
			}
		}

		// Stored in that order, the Records give the same answers.
		st := memory.New()
		r := hr.New(st, nil)
		err := st.UpdateHR(t.Context(), func(tx hr.Tx) error {
			if err := tx.AddEmployee(t.Context(), hr.Employee{ID: "e", Employer: "acme", PersonnelNumber: "1",
				FamilyName: "X", HireDate: base, Version: 1, RecordedAt: t0}); err != nil {
				return err
			}
			for _, v := range perm {
				if err := tx.AddContract(t.Context(), v); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for h := -1; h <= 5; h++ {
			asOf := t0.Add(time.Duration(h) * time.Hour)
			for d := 0; d < 120; d += 7 {
				c, err := r.Contract(t.Context(), "e", base.AddDays(d), asOf)
				var seq int64
				if err == nil {
					seq = c.Seq
				}
				if seq != want[h+1][d] {
					t.Fatalf("Contract(day %d, hour %d) = %d, want %d", d, h, seq, want[h+1][d])
				}
			}
		}
	})
}

// TestRetroactiveChange pins the rule on a hand-worked case.
func TestRetroactiveChange(t *testing.T) {
	env := newEnv(t)
	e := env.hire(pii())
	if _, err := env.r.SetContract(env.ctx, contract(e.ID, "2026-01-01", "4000.00")); err != nil {
		t.Fatal(err)
	}
	env.now = t0.Add(24 * time.Hour)
	if _, err := env.r.ChangeContract(env.ctx, e.ID, day("2026-07-01"), func(c *hr.Contract) { c.Amount = eur("4400.00") }); err != nil {
		t.Fatal(err)
	}
	env.now = t0.Add(48 * time.Hour)
	// A retro change of March only: the July raise stays.
	if _, err := env.r.ChangeContract(env.ctx, e.ID, day("2026-03-01"), func(c *hr.Contract) { c.WeeklyHours = dec("38.5") }); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		on    string
		asOf  time.Time
		want  string
		hours string
	}{
		{"2026-03-15", t0, "4000.00", "40"},
		{"2026-03-15", t0.Add(36 * time.Hour), "4000.00", "40"},
		{"2026-03-15", time.Time{}, "4000.00", "38.5"},
		{"2026-06-30", time.Time{}, "4000.00", "38.5"},
		{"2026-07-01", t0, "4000.00", "40"},
		{"2026-07-01", time.Time{}, "4400.00", "40"},
	} {
		c, err := env.r.Contract(env.ctx, e.ID, day(tc.on), tc.asOf)
		if err != nil || c.Amount != eur(tc.want) || !c.WeeklyHours.Equal(dec(tc.hours)) {
			t.Errorf("Contract(%s, %v) = %s %s, %v; want %s %s", tc.on, tc.asOf, c.Amount, c.WeeklyHours, err, tc.want, tc.hours)
		}
	}
	if _, err := env.r.Contract(env.ctx, e.ID, day("2026-03-15"), t0.Add(-time.Second)); err == nil {
		t.Error("contract as recorded before anything was recorded")
	}
	spans, err := env.r.ContractTimeline(env.ctx, e.ID, time.Time{})
	if err != nil || len(spans) != 3 || spans[1].From != day("2026-03-01") || spans[1].To != day("2026-06-30") {
		t.Errorf("timeline = %+v, %v", spans, err)
	}
}
