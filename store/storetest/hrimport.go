package storetest

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
)

// testStampOrder: 40 writers change the contracts and tax profiles of one
// employee at once, through SetContract, SetTaxProfile, ImportContracts and
// Import. The Records take the recording time inside UpdateHR once the
// employee is read; a store must keep every other writer of the employee
// out from that read until its commit (hr.Store). Then the version
// committed later (the higher Seq) has the later RecordedAt: no
// inversions (issue 26, 3: with the time taken before UpdateHR, a run like
// this had 26–349 on SQLite and PostgreSQL).
func (s hrSuite) testStampOrder(t *testing.T) {
	st := s.store(t)
	ctx := t.Context()
	var tick atomic.Int64 // a clock of its own: each reading a microsecond later
	r := hr.New(st, &hr.Options{Now: func() time.Time { return hrT0.Add(time.Duration(tick.Add(1)) * time.Microsecond) }})
	e, err := r.Hire(ctx, hr.Employee{Employer: "acme", PersonnelNumber: "1001", FamilyName: "Müller", HireDate: day("2026-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	eur := func(minor int) money.Amount { return money.New(int64(minor), money.EUR) }
	contract := func(from, to string, minor int) hr.Contract {
		return hr.Contract{Employee: e.ID, Effective: hr.Effective{ValidFrom: day(from), ValidTo: day(to)}, PayType: hr.Monthly,
			Amount: eur(minor), Frequency: hr.MonthlyPay, WeeklyHours: dec("40"), WorkDays: hr.MondayToFriday}
	}
	tax := func(from, to string, class int) hr.TaxProfile {
		return hr.TaxProfile{Employee: e.ID, Effective: hr.Effective{ValidFrom: day(from), ValidTo: day(to)}, Jurisdiction: "DE",
			DE: hr.GermanTax{TaxClass: class, ChildAllowances: dec("0"), HealthSupplement: dec("2.9"), State: "BY"}}
	}
	const writers = 40
	write := func(i int) error {
		// SetContract and SetTaxProfile change 2026; each import its own
		// day of 2030, which no other version covers (else a conflict).
		d := day("2030-01-01").AddDays(i).String()
		switch i % 4 {
		case 0:
			_, err := r.SetContract(ctx, contract("2026-01-01", "2026-12-31", 400000+i))
			return err
		case 1:
			_, err := r.SetTaxProfile(ctx, tax("2026-01-01", "2026-12-31", 1+i%6))
			return err
		case 2:
			_, err := r.ImportContracts(ctx, strings.NewReader("personnel_number,valid_from,valid_to,pay_type,amount,currency,frequency\n"+
				"1001,"+d+","+d+",monthly,4000.00,EUR,monthly\n"), &hr.ImportOptions{Employer: "acme"})
			return err
		default:
			_, err := r.Import(ctx, hr.Dataset{Contracts: []hr.Contract{contract(d, d, 410000+i)}, TaxProfiles: []hr.TaxProfile{tax(d, d, 1+i%6)}})
			return err
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := range writers {
		wg.Go(func() { errs[i] = write(i) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	cs, err := r.ContractHistory(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := r.TaxProfileHistory(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != writers/4*3 || len(ps) != writers/4*2 {
		t.Fatalf("%d contract and %d tax profile versions, want %d and %d", len(cs), len(ps), writers/4*3, writers/4*2)
	}
	var ce, pe []hr.Effective
	for _, c := range cs {
		ce = append(ce, c.Effective)
	}
	for _, p := range ps {
		pe = append(pe, p.Effective)
	}
	checkStampOrder(t, "contract", ce)
	checkStampOrder(t, "tax profile", pe)
}

// checkStampOrder fails for every version whose Seq is higher than that
// of a version with a later RecordedAt.
func checkStampOrder(t *testing.T, rec string, es []hr.Effective) {
	t.Helper()
	slices.SortFunc(es, func(a, b hr.Effective) int { return cmp.Compare(a.Seq, b.Seq) })
	inversions := 0
	for i := 1; i < len(es); i++ {
		if !es[i].RecordedAt.After(es[i-1].RecordedAt) {
			inversions++
			if inversions <= 3 {
				t.Errorf("%s version %d recorded at %v, not after version %d at %v", rec, es[i].Seq, es[i].RecordedAt.Format(time.StampMicro),
					es[i-1].Seq, es[i-1].RecordedAt.Format(time.StampMicro))
			}
		}
	}
	if inversions > 0 {
		t.Errorf("%d %s versions committed later but stamped earlier", inversions, rec)
	}
}

// testImportAgain: on this store, the exports of a history imported again
// into it record nothing and count every record as stored already, in
// JSON and in every CSV file: the store gives back what the Records
// compare (decimals, amounts, half days, Extra, pay items) exactly
// enough. A changed row is a conflict that leaves the store as it was
// (issue 15, 8; issue 26, 4).
func (s hrSuite) testImportAgain(t *testing.T) {
	st := s.store(t)
	ctx := t.Context()
	now := hrT0
	r := hr.New(st, &hr.Options{Now: func() time.Time { now = now.Add(time.Second); return now }})
	a, err := r.Hire(ctx, hr.Employee{ID: "anna.q@example.org", Employer: "acme", PersonnelNumber: "1001", GivenName: "Anna",
		FamilyName: "Quast", BirthDate: day("1980-02-29"), HireDate: day("2026-01-01"), Email: "anna.q@example.org",
		Address: hr.Address{Street: "Weg 1", PostalCode: "12345", City: "Ort", Country: "DE"},
		Bank:    hr.BankAccount{IBAN: "DE89370400440532013000", BIC: "COBADEFFXXX"}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.Hire(ctx, hr.Employee{Employer: "acme", PersonnelNumber: "1002", FamilyName: "Ng", HireDate: day("2026-02-01"),
		Bank: hr.BankAccount{RoutingNumber: "021000021", AccountNumber: "123456789"}, Manager: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	eur := func(s string) money.Amount { return money.MustParse(s, money.EUR) }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err = r.SetContracts(ctx,
		hr.Contract{Employee: a.ID, Effective: hr.Effective{ValidFrom: day("2026-01-01")}, PayType: hr.Monthly, Amount: eur("4000.00"),
			Frequency: hr.MonthlyPay, WeeklyHours: dec("38.5"), WorkDays: hr.MondayToFriday,
			Items: []hr.PayItem{{Code: "VWL", Kind: hr.Allowance, Amount: eur("40.00")}}},
		hr.Contract{Employee: b.ID, Effective: hr.Effective{ValidFrom: day("2026-02-01")}, PayType: hr.Hourly,
			Amount: money.MustParse("21.37", money.USD), Frequency: hr.Biweekly, WeeklyHours: dec("17.25"), WorkDays: hr.WeekdaysOf(time.Saturday, time.Sunday)})
	must(err)
	_, err = r.ChangeContract(ctx, a.ID, day("2026-07-01"), func(c *hr.Contract) { c.Amount = eur("4400.00") })
	must(err)
	_, err = r.SetTaxProfiles(ctx,
		hr.TaxProfile{Employee: a.ID, Effective: hr.Effective{ValidFrom: day("2026-01-01")}, Jurisdiction: "DE",
			DE:    hr.GermanTax{TaxClass: 3, ChildAllowances: dec("1.5"), ChurchTax: true, HealthSupplement: dec("2.45"), State: "NW"},
			Extra: map[string]string{"de.factor": "0.875"}},
		hr.TaxProfile{Employee: b.ID, Effective: hr.Effective{ValidFrom: day("2026-02-01")}, Jurisdiction: "US",
			US: hr.USTax{FilingStatus: hr.MarriedJointly, Dependents: money.MustParse("2000.00", money.USD)}})
	must(err)
	must(r.RecordTime(ctx,
		hr.TimeEntry{Employee: a.ID, Date: day("2026-03-02"), Kind: hr.Regular, Hours: dec("4")},
		hr.TimeEntry{Employee: a.ID, Date: day("2026-03-02"), Kind: hr.Regular, Hours: dec("4")},
		hr.TimeEntry{Employee: a.ID, Date: day("2026-03-02"), Kind: hr.Overtime, Hours: dec("0.1234")},
		hr.TimeEntry{Employee: b.ID, Date: day("2026-03-07"), Kind: hr.Night, Hours: dec("7.75")}))
	must(r.RecordTime(ctx, hr.TimeEntry{Employee: a.ID, Date: day("2026-03-02"), Kind: hr.Regular, Hours: dec("-1.5")}))
	must(r.RecordAbsences(ctx,
		hr.Absence{Employee: a.ID, Kind: hr.Vacation, From: day("2026-03-09"), To: day("2026-03-13")},
		hr.Absence{Employee: b.ID, Kind: hr.Vacation, From: day("2026-03-14"), HalfDay: true},
		hr.Absence{Employee: b.ID, Kind: hr.Sick, From: day("2026-03-14"), HalfDay: true}))
	_, err = r.AddOneTimeItem(ctx, hr.OneTimeItem{Employee: a.ID, Key: "bonus-2026-03", Date: day("2026-03-01"), Type: hr.Bonus, Amount: eur("500.00")})
	must(err)

	type export struct {
		name  string
		write func(io.Writer) error
		read  func(io.Reader) (hr.ImportCount, error)
		want  int
	}
	exports := []export{
		{"employees", func(w io.Writer) error { return r.ExportEmployees(ctx, w, "acme", nil) },
			func(src io.Reader) (hr.ImportCount, error) { return r.ImportEmployees(ctx, src, nil) }, 2},
		{"contracts", func(w io.Writer) error { return r.ExportContracts(ctx, w, "acme", nil) },
			func(src io.Reader) (hr.ImportCount, error) { return r.ImportContracts(ctx, src, nil) }, 3},
		{"tax profiles", func(w io.Writer) error {
			return r.ExportTaxProfiles(ctx, w, "acme", &hr.ExportOptions{Comma: ';', DecimalComma: true})
		},
			func(src io.Reader) (hr.ImportCount, error) {
				return r.ImportTaxProfiles(ctx, src, &hr.ImportOptions{DecimalComma: true})
			}, 2},
		{"time", func(w io.Writer) error {
			return r.ExportTime(ctx, w, "acme", day("2026-01-01"), day("2026-12-31"), nil)
		},
			func(src io.Reader) (hr.ImportCount, error) { return r.ImportTime(ctx, src, nil) }, 5},
		{"absences", func(w io.Writer) error {
			return r.ExportAbsences(ctx, w, "acme", day("2026-01-01"), day("2026-12-31"), nil)
		},
			func(src io.Reader) (hr.ImportCount, error) { return r.ImportAbsences(ctx, src, nil) }, 3},
	}
	files := map[string]string{}
	for _, x := range exports {
		var buf bytes.Buffer
		must(x.write(&buf))
		files[x.name] = buf.String()
	}
	var js bytes.Buffer
	must(r.ExportJSON(ctx, &js, "acme"))
	dump := func() hrDumpT {
		d := hrDump(t, st, a.ID, b.ID)
		slices.SortStableFunc(d.Contracts, func(x, y hr.Contract) int {
			return cmp.Compare(x.Employee+fmt.Sprint(x.Seq), y.Employee+fmt.Sprint(y.Seq))
		})
		slices.SortStableFunc(d.Taxes, func(x, y hr.TaxProfile) int {
			return cmp.Compare(x.Employee+fmt.Sprint(x.Seq), y.Employee+fmt.Sprint(y.Seq))
		})
		return d
	}
	before := dump()

	res, err := r.ImportJSON(ctx, bytes.NewReader(js.Bytes()))
	want := hr.ImportResult{Employees: hr.ImportCount{Existing: 2}, Contracts: hr.ImportCount{Existing: 3},
		TaxProfiles: hr.ImportCount{Existing: 2}, Time: hr.ImportCount{Existing: 5}, Absences: hr.ImportCount{Existing: 3},
		Items: hr.ImportCount{Existing: 1}}
	if err != nil || res != want {
		t.Errorf("ImportJSON of the store's export = %+v, %v; want %+v", res, err, want)
	}
	for _, x := range exports {
		got, err := x.read(strings.NewReader(files[x.name]))
		if want := (hr.ImportCount{Existing: x.want}); err != nil || got != want {
			t.Errorf("import of the %s export = %+v, %v; want %+v\n%s", x.name, got, err, want, files[x.name])
		}
	}
	if diff := gocmp.Diff(dump(), before, hrCmp); diff != "" {
		t.Errorf("importing the exports again changed the store (-after +before):\n%s", diff)
	}

	// 7.75 hours become 8: a conflict, and nothing changes.
	changed := strings.Replace(files["time"], "7.75", "8", 1)
	if _, err := r.ImportTime(ctx, strings.NewReader(changed), nil); !errors.Is(err, hr.ErrConflict) ||
		!strings.Contains(err.Error(), "1002") || strings.Contains(err.Error(), "7.75") {
		t.Errorf("import of a changed time file: %v, want ErrConflict naming 1002 and no hours", err)
	}
	if diff := gocmp.Diff(dump(), before, hrCmp); diff != "" {
		t.Errorf("a failed import changed the store (-after +before):\n%s", diff)
	}
}
