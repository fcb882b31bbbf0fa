package storetest

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
)

// HR runs the HR conformance suite against stores made by newStore; each
// call must return a new, empty store. It checks the contract of hr.Store
// directly (every field of every record round-trips, lists come back
// whatever the insertion order, duplicates and missing records give the
// documented errors, a failed UpdateHR leaves nothing, ViewHR is read-only)
// and through hr.Records (concurrent writers of one employee commit in the
// order of their recording times; exports imported again record nothing). Lists are compared as sets, times at microsecond
// precision in UTC; nothing relies on pointer identity or map order.
func HR(t *testing.T, newStore func(t *testing.T) hr.Store) {
	s := hrSuite{newStore: newStore}
	t.Run("RoundTrip", s.testRoundTrip)
	t.Run("Versions", s.testVersions)
	t.Run("Duplicates", s.testDuplicates)
	t.Run("NotFound", s.testNotFound)
	t.Run("Ranges", s.testRanges)
	t.Run("Atomicity", s.testAtomicity)
	t.Run("ReadOnly", s.testReadOnly)
	t.Run("Records", s.testRecords)
	t.Run("StampOrder", s.testStampOrder)
	t.Run("ImportAgain", s.testImportAgain)
	t.Run("Text", s.testText)
}

type hrSuite struct {
	newStore func(t *testing.T) hr.Store
}

func (s hrSuite) store(t *testing.T) hr.Store {
	t.Helper()
	st := s.newStore(t)
	if st == nil {
		t.Fatal("newStore returned nil")
	}
	return st
}

// hrT0 is a recording time in UTC at microsecond precision.
var hrT0 = time.Date(2026, 3, 14, 14, 9, 26, 535897000, time.UTC)

var hrCmp = gocmp.Options{
	gocmp.Comparer(func(a, b date.Date) bool { return a == b }),
	gocmp.Comparer(func(a, b money.Currency) bool { return a == b }),
	gocmp.Comparer(func(a, b money.Amount) bool { return a == b }),
	gocmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) }),
	cmpopts.EquateEmpty(),
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// fullEmployee sets every field, with non-ASCII text.
func fullEmployee(id, number string, version int) hr.Employee {
	return hr.Employee{
		ID: id, Employer: "acme", PersonnelNumber: number,
		GivenName: "Zoë Ångström-Łukasiewicz", FamilyName: "Öztürk 山田 O'Brien", BirthDate: day("1980-02-29"),
		Address: hr.Address{Street: "Straße des 17. Juni 135", PostalCode: "10623", City: "Berlin", Region: "BE", Country: "DE"},
		Email:   "zoe@example.org", HireDate: day("2020-01-01"), TerminationDate: day("2030-12-31"),
		Department: "R&D", CostCentre: "CC-10", Manager: "boss",
		Bank:  hr.BankAccount{IBAN: "DE89370400440532013000", BIC: "COBADEFFXXX"},
		TaxID: "36574261809", SocialInsuranceNumber: "15070649C103", SSN: "123456789",
		Version: version, RecordedAt: hrT0.Add(time.Duration(version) * time.Hour),
	}
}

func fullContract(emp string, seq int64) hr.Contract {
	return hr.Contract{
		Employee: emp,
		Effective: hr.Effective{ValidFrom: day("2020-01-01"), ValidTo: day("2026-12-31"),
			RecordedAt: hrT0.Add(time.Duration(seq) * time.Minute), Seq: seq},
		PayType: hr.Annual, Amount: money.New(9223372036854775807, money.EUR), Frequency: hr.Semimonthly,
		WeeklyHours: dec("38.7525"), WorkDays: hr.WeekdaysOf(time.Monday, time.Wednesday, time.Saturday, time.Sunday),
		Items: []hr.PayItem{
			{Code: "VWL", Kind: hr.Allowance, Amount: money.MustParse("40.00", money.EUR)},
			{Code: "CAR", Kind: hr.Benefit, Amount: money.MustParse("1.234", money.BHD)},
			{Code: "401K", Kind: hr.PensionDeferral, Amount: money.MustParse("250.50", money.USD)},
			{Code: "PFÄND", Kind: hr.Garnishment, Amount: money.MustParse("1000", money.JPY)},
		},
	}
}

func allTaxProfiles(emp string) []hr.TaxProfile {
	eff := func(seq int64, from string) hr.Effective {
		return hr.Effective{ValidFrom: day(from), RecordedAt: hrT0, Seq: seq}
	}
	return []hr.TaxProfile{
		{Employee: emp, Effective: eff(1, "2020-01-01"), Jurisdiction: "DE",
			DE: hr.GermanTax{TaxClass: 6, ChildAllowances: dec("2.5"), ChurchTax: true, HealthSupplement: dec("2.925"), State: "TH"}},
		{Employee: emp, Effective: eff(2, "2021-01-01"), Jurisdiction: "US-NY",
			US: hr.USTax{FilingStatus: hr.HeadOfHousehold, MultipleJobs: true, Dependents: money.MustParse("4000.00", money.USD),
				OtherIncome: money.MustParse("92233720368547758.07", money.USD), Deductions: money.MustParse("0.01", money.USD),
				ExtraWithholding: money.MustParse("25.00", money.USD)},
			Extra: map[string]string{"state.allowances": "2", "ünïcode": "✓"}},
		{Employee: emp, Effective: eff(3, "2022-01-01"), Jurisdiction: "US",
			US: hr.USTax{FilingStatus: hr.MarriedSingleRate, Pre2020: true, Allowances: 99,
				Dependents: money.Zero(money.USD), OtherIncome: money.Zero(money.USD), Deductions: money.Zero(money.USD), ExtraWithholding: money.Zero(money.USD)}},
		{Employee: emp, Effective: eff(4, "2023-01-01"), Jurisdiction: "GB", Extra: map[string]string{"tax_code": "1257L"}},
		{Employee: emp, Effective: eff(5, "2024-01-01"), Jurisdiction: "US",
			US: hr.USTax{FilingStatus: hr.Single, Exempt: true,
				Dependents: money.Zero(money.USD), OtherIncome: money.Zero(money.USD), Deductions: money.Zero(money.USD), ExtraWithholding: money.Zero(money.USD)}},
	}
}

func update(t *testing.T, st hr.Store, fn func(ctx context.Context, tx hr.Tx) error) {
	t.Helper()
	ctx := t.Context()
	if err := st.UpdateHR(ctx, func(tx hr.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatalf("UpdateHR: %v", err)
	}
}

func view(t *testing.T, st hr.Store, fn func(ctx context.Context, tx hr.ReadTx) error) {
	t.Helper()
	ctx := t.Context()
	if err := st.ViewHR(ctx, func(tx hr.ReadTx) error { return fn(ctx, tx) }); err != nil {
		t.Fatalf("ViewHR: %v", err)
	}
}

// sorted returns xs sorted by key, for comparing lists as sets.
func sorted[T any](xs []T, key func(T) string) []T {
	xs = slices.Clone(xs)
	slices.SortStableFunc(xs, func(a, b T) int { return strings.Compare(key(a), key(b)) })
	return xs
}

func timeKey(e hr.TimeEntry) string {
	return e.Employee + "|" + e.Date.String() + "|" + string(e.Kind) + "|" + e.Hours.String()
}
func absenceKey(a hr.Absence) string {
	return a.Employee + "|" + a.From.String() + "|" + string(a.Kind)
}
func itemKey(it hr.OneTimeItem) string { return it.Employee + "|" + it.Key }

func (s hrSuite) testRoundTrip(t *testing.T) {
	st := s.store(t)
	boss := fullEmployee("boss", "0001", 1)
	boss.Manager = ""
	emp := fullEmployee("acme/1001", "1001", 1)
	us := fullEmployee("acme/1002", "1002/α", 1)
	us.PersonnelNumber = "1002"
	us.TerminationDate = date.Date{}
	us.Bank = hr.BankAccount{RoutingNumber: "021000021", AccountNumber: "00012345678901234"}
	contract := fullContract(emp.ID, 1)
	taxes := allTaxProfiles(emp.ID)
	var times []hr.TimeEntry
	for i, k := range []hr.HourKind{hr.Regular, hr.Overtime, hr.Night, hr.Holiday} {
		times = append(times, hr.TimeEntry{Employee: emp.ID, Date: day("2026-03-02").AddDays(i), Kind: k,
			Hours: dec([]string{"7.75", "0.0001", "23.9999", "-1.5"}[i]), RecordedAt: hrT0})
	}
	var absences []hr.Absence
	for i, k := range []hr.AbsenceKind{hr.Vacation, hr.Sick, hr.Parental, hr.Unpaid} {
		from := day("2026-04-01").AddDays(10 * i)
		absences = append(absences, hr.Absence{Employee: emp.ID, Kind: k, From: from, To: from.AddDays(i), HalfDay: i == 0, RecordedAt: hrT0})
	}
	var items []hr.OneTimeItem
	for i, k := range []hr.ItemType{hr.Bonus, hr.Commission, hr.Expense, hr.Correction} {
		items = append(items, hr.OneTimeItem{Employee: emp.ID, Key: "key/" + string(k) + "/ß", Date: day("2026-03-01").AddDays(i),
			Type: k, Code: "C" + string(k), Amount: money.MustParse([]string{"92233720368547758.07", "0.01", "1.234", "-92233720368547758.07"}[i],
				[]money.Currency{money.EUR, money.USD, money.BHD, money.EUR}[i]), RecordedAt: hrT0})
	}
	update(t, st, func(ctx context.Context, tx hr.Tx) error {
		for _, e := range []hr.Employee{boss, emp, us} {
			if err := tx.AddEmployee(ctx, e); err != nil {
				return err
			}
		}
		if err := tx.AddContract(ctx, contract); err != nil {
			return err
		}
		for _, p := range taxes {
			if err := tx.AddTaxProfile(ctx, p); err != nil {
				return err
			}
		}
		if err := tx.AddTimeEntries(ctx, times); err != nil {
			return err
		}
		if err := tx.AddAbsences(ctx, absences); err != nil {
			return err
		}
		for _, it := range items {
			if err := tx.AddOneTimeItem(ctx, it); err != nil {
				return err
			}
		}
		return nil
	})
	// Changing what was handed over must not change what is stored.
	wantContract, wantTaxes, wantTimes := fullContract(emp.ID, 1), allTaxProfiles(emp.ID), slices.Clone(times)
	contract.Items[0].Code = "CHANGED"
	taxes[1].Extra["ünïcode"] = "changed"
	times[0].Kind = hr.Night
	contract, taxes, times = wantContract, wantTaxes, wantTimes

	view(t, st, func(ctx context.Context, tx hr.ReadTx) error {
		check := func(what string, got, want any) {
			t.Helper()
			if diff := gocmp.Diff(got, want, hrCmp); diff != "" {
				t.Errorf("%s (-got +want):\n%s", what, diff)
			}
		}
		for _, e := range []hr.Employee{boss, emp, us} {
			got, err := tx.Employee(ctx, e.ID)
			if err != nil {
				return err
			}
			check("Employee", got, e)
			got, err = tx.EmployeeByNumber(ctx, e.Employer, e.PersonnelNumber)
			if err != nil {
				return err
			}
			check("EmployeeByNumber", got, e)
		}
		all, err := tx.Employees(ctx, "acme")
		if err != nil {
			return err
		}
		check("Employees", sorted(all, func(e hr.Employee) string { return e.ID }), []hr.Employee{emp, us, boss})
		cs, err := tx.Contracts(ctx, emp.ID)
		if err != nil {
			return err
		}
		check("Contracts", cs, []hr.Contract{contract})
		ps, err := tx.TaxProfiles(ctx, emp.ID)
		if err != nil {
			return err
		}
		check("TaxProfiles", sorted(ps, func(p hr.TaxProfile) string { return p.ValidFrom.String() }), taxes)
		ts, err := tx.TimeEntries(ctx, emp.ID, date.Date{}, date.Date{})
		if err != nil {
			return err
		}
		check("TimeEntries", sorted(ts, timeKey), sorted(times, timeKey))
		as, err := tx.Absences(ctx, emp.ID, date.Date{}, date.Date{})
		if err != nil {
			return err
		}
		check("Absences", sorted(as, absenceKey), sorted(absences, absenceKey))
		its, err := tx.OneTimeItems(ctx, emp.ID, date.Date{}, date.Date{})
		if err != nil {
			return err
		}
		check("OneTimeItems", sorted(its, itemKey), sorted(items, itemKey))
		for _, it := range items {
			got, err := tx.OneTimeItem(ctx, it.Employee, it.Key)
			if err != nil {
				return err
			}
			check("OneTimeItem", got, it)
		}
		if got, _ := tx.Employee(ctx, emp.ID); got.RecordedAt.Location() != time.UTC {
			t.Errorf("RecordedAt in %v, want UTC", got.RecordedAt.Location())
		}
		return nil
	})
}

func (s hrSuite) testVersions(t *testing.T) {
	st := s.store(t)
	v1, v2, v3 := fullEmployee("e", "1", 1), fullEmployee("e", "1", 2), fullEmployee("e", "1", 3)
	v1.Manager, v2.Manager, v3.Manager = "", "", ""
	v2.FamilyName, v3.FamilyName = "Zwei", "Drei"
	// Versions 1, 3 and 2, in separate transactions; contract versions 3, 1, 2.
	for _, v := range []hr.Employee{v1, v3, v2} {
		update(t, st, func(ctx context.Context, tx hr.Tx) error { return tx.AddEmployee(ctx, v) })
	}
	var cs []hr.Contract
	for _, seq := range []int64{3, 1, 2} {
		c := fullContract("e", seq)
		c.ValidFrom = day("2020-01-01").AddDays(int(seq))
		cs = append(cs, c)
		update(t, st, func(ctx context.Context, tx hr.Tx) error { return tx.AddContract(ctx, c) })
	}
	view(t, st, func(ctx context.Context, tx hr.ReadTx) error {
		got, err := tx.Employee(ctx, "e")
		if err != nil || got.Version != 3 || got.FamilyName != "Drei" {
			t.Errorf("Employee = version %d, %v; want the highest version, 3", got.Version, err)
		}
		got, err = tx.EmployeeByNumber(ctx, "acme", "1")
		if err != nil || got.Version != 3 {
			t.Errorf("EmployeeByNumber = version %d, %v; want 3", got.Version, err)
		}
		vs, err := tx.EmployeeVersions(ctx, "e")
		if err != nil {
			return err
		}
		if diff := gocmp.Diff(sorted(vs, func(e hr.Employee) string { return string(rune('0' + e.Version)) }), []hr.Employee{v1, v2, v3}, hrCmp); diff != "" {
			t.Errorf("EmployeeVersions (-got +want):\n%s", diff)
		}
		all, err := tx.Employees(ctx, "acme")
		if err != nil || len(all) != 1 || all[0].Version != 3 {
			t.Errorf("Employees = %d employees, %v; want one, version 3", len(all), err)
		}
		got2, err := tx.Contracts(ctx, "e")
		if err != nil {
			return err
		}
		key := func(c hr.Contract) string { return string(rune('0' + c.Seq)) }
		if diff := gocmp.Diff(sorted(got2, key), sorted(cs, key), hrCmp); diff != "" {
			t.Errorf("Contracts (-got +want):\n%s", diff)
		}
		return nil
	})
}

// expectErr runs fn in UpdateHR and checks that it fails with want.
func expectErr(t *testing.T, st hr.Store, what string, want error, fn func(ctx context.Context, tx hr.Tx) error) {
	t.Helper()
	ctx := t.Context()
	err := st.UpdateHR(ctx, func(tx hr.Tx) error { return fn(ctx, tx) })
	if !errors.Is(err, want) {
		t.Errorf("%s: %v, want %v", what, err, want)
	}
}

func (s hrSuite) testDuplicates(t *testing.T) {
	st := s.store(t)
	e := fullEmployee("e", "1", 1)
	e.Manager = ""
	c := fullContract("e", 1)
	p := allTaxProfiles("e")[0]
	it := hr.OneTimeItem{Employee: "e", Key: "k", Date: day("2026-03-01"), Type: hr.Bonus, Amount: money.MustParse("1", money.EUR), RecordedAt: hrT0}
	update(t, st, func(ctx context.Context, tx hr.Tx) error {
		return errors.Join(tx.AddEmployee(ctx, e), tx.AddContract(ctx, c), tx.AddTaxProfile(ctx, p), tx.AddOneTimeItem(ctx, it))
	})
	other := e
	other.ID = "f"
	otherEmployer := other
	otherEmployer.Employer = "other"
	c2, p2, it2 := c, p, it
	c2.ValidFrom, p2.ValidFrom, it2.Date = day("2027-01-01"), day("2027-01-01"), day("2027-01-01")
	c2.ValidTo = date.Date{} // a valid record: only its Seq is taken
	expectErr(t, st, "same ID and version", hr.ErrDuplicate, func(ctx context.Context, tx hr.Tx) error { return tx.AddEmployee(ctx, e) })
	expectErr(t, st, "personnel number taken", hr.ErrDuplicate, func(ctx context.Context, tx hr.Tx) error { return tx.AddEmployee(ctx, other) })
	expectErr(t, st, "contract Seq taken", hr.ErrDuplicate, func(ctx context.Context, tx hr.Tx) error { return tx.AddContract(ctx, c2) })
	expectErr(t, st, "tax profile Seq taken", hr.ErrDuplicate, func(ctx context.Context, tx hr.Tx) error { return tx.AddTaxProfile(ctx, p2) })
	expectErr(t, st, "item key taken", hr.ErrDuplicate, func(ctx context.Context, tx hr.Tx) error { return tx.AddOneTimeItem(ctx, it2) })
	// The same personnel number at another employer is fine.
	update(t, st, func(ctx context.Context, tx hr.Tx) error { return tx.AddEmployee(ctx, otherEmployer) })
	// Identical time entries are both kept.
	te := hr.TimeEntry{Employee: "e", Date: day("2026-03-02"), Kind: hr.Regular, Hours: dec("2"), RecordedAt: hrT0}
	update(t, st, func(ctx context.Context, tx hr.Tx) error { return tx.AddTimeEntries(ctx, []hr.TimeEntry{te, te}) })
	view(t, st, func(ctx context.Context, tx hr.ReadTx) error {
		ts, err := tx.TimeEntries(ctx, "e", te.Date, te.Date)
		if len(ts) != 2 {
			t.Errorf("identical entries: %d stored, want 2", len(ts))
		}
		return err
	})
}

func (s hrSuite) testNotFound(t *testing.T) {
	st := s.store(t)
	e := fullEmployee("e", "1", 1)
	e.Manager = ""
	update(t, st, func(ctx context.Context, tx hr.Tx) error { return tx.AddEmployee(ctx, e) })
	view(t, st, func(ctx context.Context, tx hr.ReadTx) error {
		if _, err := tx.Employee(ctx, "nope"); !errors.Is(err, hr.ErrNotFound) {
			t.Errorf("Employee: %v, want ErrNotFound", err)
		}
		if _, err := tx.EmployeeByNumber(ctx, "acme", "2"); !errors.Is(err, hr.ErrNotFound) {
			t.Errorf("EmployeeByNumber: %v, want ErrNotFound", err)
		}
		if _, err := tx.EmployeeByNumber(ctx, "other", "1"); !errors.Is(err, hr.ErrNotFound) {
			t.Errorf("EmployeeByNumber of another employer: %v, want ErrNotFound", err)
		}
		if _, err := tx.OneTimeItem(ctx, "e", "k"); !errors.Is(err, hr.ErrNotFound) {
			t.Errorf("OneTimeItem: %v, want ErrNotFound", err)
		}
		for _, id := range []string{"e", "nope"} {
			vs, err1 := tx.Contracts(ctx, id)
			ps, err2 := tx.TaxProfiles(ctx, id)
			ts, err3 := tx.TimeEntries(ctx, id, date.Date{}, date.Date{})
			as, err4 := tx.Absences(ctx, id, date.Date{}, date.Date{})
			its, err5 := tx.OneTimeItems(ctx, id, date.Date{}, date.Date{})
			if err := errors.Join(err1, err2, err3, err4, err5); err != nil || len(vs)+len(ps)+len(ts)+len(as)+len(its) != 0 {
				t.Errorf("lists of %s: %d records, %v; want none", id, len(vs)+len(ps)+len(ts)+len(as)+len(its), err)
			}
		}
		es, err := tx.Employees(ctx, "nobody")
		if err != nil || len(es) != 0 {
			t.Errorf("Employees(nobody) = %d, %v", len(es), err)
		}
		vs, err := tx.EmployeeVersions(ctx, "nope")
		if err != nil || len(vs) != 0 {
			t.Errorf("EmployeeVersions(nope) = %d, %v", len(vs), err)
		}
		return nil
	})
}

func (s hrSuite) testRanges(t *testing.T) {
	st := s.store(t)
	e := fullEmployee("e", "1", 1)
	e.Manager = ""
	f := fullEmployee("f", "2", 1)
	f.Manager = ""
	var ts []hr.TimeEntry
	var its []hr.OneTimeItem
	for d := day("2026-03-01"); d.Before(day("2026-04-05")); d = d.AddDays(1) {
		for _, id := range []string{"e", "f"} {
			ts = append(ts, hr.TimeEntry{Employee: id, Date: d, Kind: hr.Regular, Hours: dec("1"), RecordedAt: hrT0})
			its = append(its, hr.OneTimeItem{Employee: id, Key: d.String(), Date: d, Type: hr.Expense, Amount: money.MustParse("1", money.EUR), RecordedAt: hrT0})
		}
	}
	as := []hr.Absence{
		{Employee: "e", Kind: hr.Vacation, From: day("2026-02-20"), To: day("2026-03-01"), RecordedAt: hrT0},
		{Employee: "e", Kind: hr.Sick, From: day("2026-03-10"), To: day("2026-03-10"), HalfDay: true, RecordedAt: hrT0},
		{Employee: "e", Kind: hr.Parental, From: day("2026-03-31"), To: day("2026-06-30"), RecordedAt: hrT0},
		{Employee: "e", Kind: hr.Unpaid, From: day("2026-07-01"), To: day("2026-07-02"), RecordedAt: hrT0},
		{Employee: "f", Kind: hr.Vacation, From: day("2026-03-01"), To: day("2026-03-31"), RecordedAt: hrT0},
	}
	update(t, st, func(ctx context.Context, tx hr.Tx) error {
		err := errors.Join(tx.AddEmployee(ctx, e), tx.AddEmployee(ctx, f))
		if err == nil {
			err = errors.Join(tx.AddTimeEntries(ctx, ts), tx.AddAbsences(ctx, as))
		}
		for _, it := range its {
			err = errors.Join(err, tx.AddOneTimeItem(ctx, it))
		}
		return err
	})
	march1, march31 := day("2026-03-01"), day("2026-03-31")
	view(t, st, func(ctx context.Context, tx hr.ReadTx) error {
		for _, tc := range []struct {
			from, to date.Date
			want     int
		}{{march1, march31, 31}, {march31, march31, 1}, {date.Date{}, march1, 1}, {march31, date.Date{}, 5}, {date.Date{}, date.Date{}, 35}, {day("2026-05-01"), date.Date{}, 0}} {
			got, err := tx.TimeEntries(ctx, "e", tc.from, tc.to)
			if err != nil || len(got) != tc.want || slices.ContainsFunc(got, func(x hr.TimeEntry) bool { return x.Employee != "e" }) {
				t.Errorf("TimeEntries(%s, %s) = %d, %v; want %d of e", tc.from, tc.to, len(got), err, tc.want)
			}
			items, err := tx.OneTimeItems(ctx, "e", tc.from, tc.to)
			if err != nil || len(items) != tc.want {
				t.Errorf("OneTimeItems(%s, %s) = %d, %v; want %d", tc.from, tc.to, len(items), err, tc.want)
			}
		}
		for _, tc := range []struct {
			from, to date.Date
			want     []hr.AbsenceKind
		}{
			{march1, march31, []hr.AbsenceKind{hr.Parental, hr.Sick, hr.Vacation}},
			{day("2026-03-02"), day("2026-03-09"), nil},
			{day("2026-03-10"), day("2026-03-10"), []hr.AbsenceKind{hr.Sick}},
			{day("2026-06-30"), day("2026-07-01"), []hr.AbsenceKind{hr.Parental, hr.Unpaid}},
			{date.Date{}, day("2026-02-20"), []hr.AbsenceKind{hr.Vacation}},
			{day("2026-07-02"), date.Date{}, []hr.AbsenceKind{hr.Unpaid}},
		} {
			got, err := tx.Absences(ctx, "e", tc.from, tc.to)
			var kinds []hr.AbsenceKind
			for _, a := range got {
				kinds = append(kinds, a.Kind)
			}
			slices.Sort(kinds)
			if err != nil || !slices.Equal(kinds, tc.want) {
				t.Errorf("Absences(%s, %s) = %v, %v; want %v", tc.from, tc.to, kinds, err, tc.want)
			}
		}
		return nil
	})
}

var errHRInjected = errors.New("storetest: injected failure")

func (s hrSuite) testAtomicity(t *testing.T) {
	st := s.store(t)
	ctx := t.Context()
	e := fullEmployee("e", "1", 1)
	e.Manager = ""
	update(t, st, func(ctx context.Context, tx hr.Tx) error { return tx.AddEmployee(ctx, e) })
	before := hrDump(t, st, "e", "f")
	err := st.UpdateHR(ctx, func(tx hr.Tx) error {
		f := fullEmployee("f", "2", 1)
		f.Manager = ""
		e2 := e
		e2.Version, e2.FamilyName = 2, "Neu"
		p := allTaxProfiles("e")[0]
		it := hr.OneTimeItem{Employee: "e", Key: "k", Date: day("2026-03-01"), Type: hr.Bonus, Amount: money.MustParse("1", money.EUR), RecordedAt: hrT0}
		err := errors.Join(tx.AddEmployee(ctx, f), tx.AddEmployee(ctx, e2), tx.AddContract(ctx, fullContract("e", 1)),
			tx.AddTaxProfile(ctx, p), tx.AddOneTimeItem(ctx, it),
			tx.AddTimeEntries(ctx, []hr.TimeEntry{{Employee: "e", Date: day("2026-03-02"), Kind: hr.Regular, Hours: dec("1"), RecordedAt: hrT0}}),
			tx.AddAbsences(ctx, []hr.Absence{{Employee: "f", Kind: hr.Sick, From: day("2026-03-02"), To: day("2026-03-02"), RecordedAt: hrT0}}))
		if err != nil {
			return err
		}
		if got, err := tx.Employee(ctx, "e"); err != nil || got.Version != 2 {
			t.Errorf("inside the transaction: Employee = version %d, %v; want its own write", got.Version, err)
		}
		return errHRInjected
	})
	if !errors.Is(err, errHRInjected) {
		t.Fatalf("UpdateHR = %v, want the error fn returned", err)
	}
	if diff := gocmp.Diff(hrDump(t, st, "e", "f"), before, hrCmp); diff != "" {
		t.Errorf("a failed UpdateHR left changes (-after +before):\n%s", diff)
	}
	// A failed change through the Records leaves nothing either: the
	// second entry breaks the 24 hours after the first was checked.
	r := hr.New(st, nil)
	err = r.RecordTime(ctx,
		hr.TimeEntry{Employee: "e", Date: day("2026-03-03"), Kind: hr.Regular, Hours: dec("20")},
		hr.TimeEntry{Employee: "e", Date: day("2026-03-03"), Kind: hr.Night, Hours: dec("5")})
	if !errors.Is(err, hr.ErrTooManyHours) {
		t.Errorf("RecordTime: %v, want ErrTooManyHours", err)
	}
	if diff := gocmp.Diff(hrDump(t, st, "e", "f"), before, hrCmp); diff != "" {
		t.Errorf("a failed RecordTime left changes (-after +before):\n%s", diff)
	}
}

// hrDumpT is everything a store holds about some employees.
type hrDumpT struct {
	Employees []hr.Employee
	Contracts []hr.Contract
	Taxes     []hr.TaxProfile
	Time      []hr.TimeEntry
	Absences  []hr.Absence
	Items     []hr.OneTimeItem
}

func hrDump(t *testing.T, st hr.Store, ids ...string) hrDumpT {
	t.Helper()
	var d hrDumpT
	view(t, st, func(ctx context.Context, tx hr.ReadTx) error {
		for _, id := range ids {
			vs, err := tx.EmployeeVersions(ctx, id)
			cs, err2 := tx.Contracts(ctx, id)
			ps, err3 := tx.TaxProfiles(ctx, id)
			ts, err4 := tx.TimeEntries(ctx, id, date.Date{}, date.Date{})
			as, err5 := tx.Absences(ctx, id, date.Date{}, date.Date{})
			its, err6 := tx.OneTimeItems(ctx, id, date.Date{}, date.Date{})
			if err := errors.Join(err, err2, err3, err4, err5, err6); err != nil {
				return err
			}
			slices.SortFunc(vs, func(a, b hr.Employee) int { return cmp.Compare(a.Version, b.Version) })
			d.Employees = append(d.Employees, vs...)
			d.Contracts = append(d.Contracts, cs...)
			d.Taxes = append(d.Taxes, ps...)
			d.Time = append(d.Time, sorted(ts, timeKey)...)
			d.Absences = append(d.Absences, sorted(as, absenceKey)...)
			d.Items = append(d.Items, sorted(its, itemKey)...)
		}
		return nil
	})
	return d
}

func (s hrSuite) testReadOnly(t *testing.T) {
	st := s.store(t)
	ctx := t.Context()
	e := fullEmployee("e", "1", 1)
	e.Manager = ""
	update(t, st, func(ctx context.Context, tx hr.Tx) error { return tx.AddEmployee(ctx, e) })
	before := hrDump(t, st, "e", "f")
	f := e
	f.ID, f.PersonnelNumber = "f", "2"
	writes := []struct {
		name string
		fn   func(tx hr.Tx) error
	}{
		{"AddEmployee", func(tx hr.Tx) error { return tx.AddEmployee(ctx, f) }},
		{"AddContract", func(tx hr.Tx) error { return tx.AddContract(ctx, fullContract("e", 1)) }},
		{"AddTaxProfile", func(tx hr.Tx) error { return tx.AddTaxProfile(ctx, allTaxProfiles("e")[0]) }},
		{"AddTimeEntries", func(tx hr.Tx) error {
			return tx.AddTimeEntries(ctx, []hr.TimeEntry{{Employee: "e", Date: day("2026-03-02"), Kind: hr.Regular, Hours: dec("1"), RecordedAt: hrT0}})
		}},
		{"AddAbsences", func(tx hr.Tx) error {
			return tx.AddAbsences(ctx, []hr.Absence{{Employee: "e", Kind: hr.Sick, From: day("2026-03-02"), To: day("2026-03-02"), RecordedAt: hrT0}})
		}},
		{"AddOneTimeItem", func(tx hr.Tx) error {
			return tx.AddOneTimeItem(ctx, hr.OneTimeItem{Employee: "e", Key: "k", Date: day("2026-03-01"), Type: hr.Bonus, Amount: money.MustParse("1", money.EUR), RecordedAt: hrT0})
		}},
	}
	for _, w := range writes {
		err := st.ViewHR(ctx, func(rtx hr.ReadTx) error {
			tx, ok := rtx.(hr.Tx)
			if !ok {
				return errors.New("not writable") // nothing to reach: fine
			}
			return w.fn(tx)
		})
		if err == nil {
			t.Errorf("%s inside ViewHR succeeded", w.name)
		}
	}
	if diff := gocmp.Diff(hrDump(t, st, "e", "f"), before, hrCmp); diff != "" {
		t.Errorf("writes inside ViewHR left changes (-after +before):\n%s", diff)
	}
}

// testText: a store keeps names of 256 characters beyond ASCII (768 bytes
// of UTF-8) and personal identifiers exactly, and an NFD spelling of a
// stored name is the same name, no new version (issue 26.8).
func (s hrSuite) testText(t *testing.T) {
	st := s.store(t)
	ctx := t.Context()
	r := hr.New(st, nil)
	long := strings.Repeat("王", 256)
	e, err := r.Hire(ctx, hr.Employee{Employer: "acme", PersonnelNumber: "1001", GivenName: "Jürgen", FamilyName: long,
		HireDate: day("2026-01-01"), TaxID: "36 574 261 809", SocialInsuranceNumber: "15070649c103", SSN: "123-45-6789"})
	if err != nil {
		t.Fatal(err)
	}
	nfd := e
	nfd.GivenName = "Ju\u0308rgen"
	if got, err := r.UpdateEmployee(ctx, nfd); err != nil || got.Version != 1 {
		t.Errorf("UpdateEmployee with an NFD spelling = version %d, %v; want version 1", got.Version, err)
	}
	got, err := r.Employee(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.FamilyName != long || got.GivenName != "Jürgen" || got.TaxID != "36574261809" ||
		got.SocialInsuranceNumber != "15070649C103" || got.SSN != "123456789" || got.Version != 1 {
		t.Errorf("Employee = version %d, %d characters of family name, %q %q %q %q; want what was hired, NFC and compact",
			got.Version, len([]rune(got.FamilyName)), got.GivenName, got.TaxID, got.SocialInsuranceNumber, got.SSN)
	}
}

// testRecords drives the store through hr.Records: the answers depend on
// the store keeping versions, times and decimals exactly.
func (s hrSuite) testRecords(t *testing.T) {
	st := s.store(t)
	ctx := t.Context()
	now := time.Date(2026, 1, 2, 9, 0, 0, 123456789, time.FixedZone("CET", 3600))
	r := hr.New(st, &hr.Options{Now: func() time.Time { return now }})
	e, err := r.Hire(ctx, hr.Employee{Employer: "acme", PersonnelNumber: "1001", FamilyName: "Müller", HireDate: day("2026-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	base := hr.Contract{Employee: e.ID, Effective: hr.Effective{ValidFrom: day("2026-01-01")}, PayType: hr.Monthly,
		Amount: money.MustParse("4000.00", money.EUR), Frequency: hr.MonthlyPay, WeeklyHours: dec("40"), WorkDays: hr.MondayToFriday}
	first, err := r.SetContract(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 1, 2, 8, 0, 0, 123456000, time.UTC); !first.RecordedAt.Equal(want) {
		t.Errorf("RecordedAt = %v, want %v", first.RecordedAt, want)
	}
	endOfMarch := time.Date(2026, 3, 31, 18, 0, 0, 0, time.UTC)
	now = time.Date(2026, 4, 15, 10, 0, 0, 0, time.UTC)
	if _, err := r.ChangeContract(ctx, e.ID, day("2026-03-01"), func(c *hr.Contract) { c.Amount = money.MustParse("4200.00", money.EUR) }); err != nil {
		t.Fatal(err)
	}
	if _, err := r.SetTaxProfile(ctx, hr.TaxProfile{Employee: e.ID, Effective: hr.Effective{ValidFrom: day("2026-01-01")}, Jurisdiction: "DE",
		DE: hr.GermanTax{TaxClass: 1, ChildAllowances: dec("0.5"), HealthSupplement: dec("2.9"), State: "BY"}}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Microsecond) // the smallest step a store must keep apart
	if _, err := r.SetTaxProfile(ctx, hr.TaxProfile{Employee: e.ID, Effective: hr.Effective{ValidFrom: day("2026-04-01")}, Jurisdiction: "DE",
		DE: hr.GermanTax{TaxClass: 3, ChildAllowances: dec("1.0"), HealthSupplement: dec("2.9"), State: "BY"}}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		on   string
		asOf time.Time
		want string
	}{
		{"2026-02-15", time.Time{}, "4000.00"},
		{"2026-03-15", endOfMarch, "4000.00"},
		{"2026-03-15", time.Time{}, "4200.00"},
		{"2027-01-01", time.Time{}, "4200.00"},
	} {
		c, err := r.Contract(ctx, e.ID, day(tc.on), tc.asOf)
		if err != nil || c.Amount != money.MustParse(tc.want, money.EUR) {
			t.Errorf("Contract(%s, %v) = %v, %v; want %s", tc.on, tc.asOf, c.Amount, err, tc.want)
		}
	}
	for _, tc := range []struct {
		on    string
		asOf  time.Time
		class int
	}{{"2026-04-01", now, 3}, {"2026-04-01", now.Add(-time.Microsecond), 1}, {"2026-03-31", time.Time{}, 1}} {
		p, err := r.TaxProfile(ctx, e.ID, day(tc.on), tc.asOf)
		if err != nil || p.DE.TaxClass != tc.class {
			t.Errorf("TaxProfile(%s, %v) = class %d, %v; want %d", tc.on, tc.asOf, p.DE.TaxClass, err, tc.class)
		}
	}
	if err := r.RecordAbsences(ctx, hr.Absence{Employee: e.ID, Kind: hr.Vacation, From: day("2026-03-09"), To: day("2026-03-13")}); err != nil {
		t.Fatal(err)
	}
	if err := r.RecordTime(ctx, hr.TimeEntry{Employee: e.ID, Date: day("2026-03-10"), Kind: hr.Regular, Hours: dec("1")}); !errors.Is(err, hr.ErrOverlap) {
		t.Errorf("time on an absence day: %v, want ErrOverlap", err)
	}
	if err := r.RecordTime(ctx, hr.TimeEntry{Employee: e.ID, Date: day("2026-03-16"), Kind: hr.Regular, Hours: dec("23.9999")}); err != nil {
		t.Fatal(err)
	}
	if err := r.RecordTime(ctx, hr.TimeEntry{Employee: e.ID, Date: day("2026-03-16"), Kind: hr.Night, Hours: dec("0.0002")}); !errors.Is(err, hr.ErrTooManyHours) {
		t.Errorf("24.0001 hours: %v, want ErrTooManyHours", err)
	}
	if _, err := r.Hire(ctx, hr.Employee{Employer: "acme", PersonnelNumber: "1001", FamilyName: "X", HireDate: day("2026-01-01"), ID: "other"}); !errors.Is(err, hr.ErrDuplicate) {
		t.Errorf("personnel number taken: %v, want ErrDuplicate", err)
	}
}
