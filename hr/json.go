package hr

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Dataset is the HR records of one employer as one document, the form of
// ExportJSON and ImportJSON. Contracts and tax profiles are the stretches
// of their timelines as recorded at export (see Timeline), not their
// recording history; employees are their latest versions.
type Dataset struct {
	Employees   []Employee    `json:"employees"`
	Contracts   []Contract    `json:"contracts"`
	TaxProfiles []TaxProfile  `json:"tax_profiles"`
	Time        []TimeEntry   `json:"time"`
	Absences    []Absence     `json:"absences"`
	Items       []OneTimeItem `json:"items"`
}

// Export returns the records of employer's employees as a Dataset.
func (r *Records) Export(ctx context.Context, employer string) (Dataset, error) {
	ds := Dataset{}
	es, err := r.Employees(ctx, employer)
	if err != nil {
		return ds, err
	}
	for _, e := range es {
		e.Version, e.RecordedAt = 0, time.Time{}
		ds.Employees = append(ds.Employees, e)
		cs, err := r.ContractTimeline(ctx, e.ID, time.Time{})
		if err != nil {
			return ds, err
		}
		for _, s := range cs {
			c := s.Version
			c.Effective = Effective{ValidFrom: s.From, ValidTo: s.To}
			ds.Contracts = append(ds.Contracts, c)
		}
		ps, err := r.TaxProfileHistory(ctx, e.ID)
		if err != nil {
			return ds, err
		}
		for _, s := range Timeline(ps, time.Time{}) {
			p := s.Version
			p.Effective = Effective{ValidFrom: s.From, ValidTo: s.To}
			ds.TaxProfiles = append(ds.TaxProfiles, p)
		}
		ts, err := r.TimeEntries(ctx, e.ID, noDate, noDate)
		if err != nil {
			return ds, err
		}
		for _, t := range ts {
			t.RecordedAt = time.Time{}
			ds.Time = append(ds.Time, t)
		}
		as, err := r.Absences(ctx, e.ID, noDate, noDate)
		if err != nil {
			return ds, err
		}
		for _, a := range as {
			a.RecordedAt = time.Time{}
			ds.Absences = append(ds.Absences, a)
		}
		its, err := r.OneTimeItems(ctx, e.ID, noDate, noDate)
		if err != nil {
			return ds, err
		}
		for _, it := range its {
			it.RecordedAt = time.Time{}
			ds.Items = append(ds.Items, it)
		}
	}
	return ds, nil
}

// ExportJSON writes Export's Dataset as indented JSON. Amounts and decimals
// are JSON strings, never numbers.
func (r *Records) ExportJSON(ctx context.Context, w io.Writer, employer string) error {
	ds, err := r.Export(ctx, employer)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(ds)
}

// ImportJSON reads a Dataset from JSON and imports it with Import. A
// document that is not a Dataset object fails with ErrInvalid, without
// repeating any of its text. Each record of its lists is read on its own:
// a record that cannot be read (a malformed date, a string for a number,
// an unknown field) is a problem of its position and field, and the other
// records are still checked, so that every problem is reported. Amounts
// must be in ISO 4217 currencies.
func (r *Records) ImportJSON(ctx context.Context, src io.Reader) (ImportResult, error) {
	var raw struct {
		Employees   []json.RawMessage `json:"employees"`
		Contracts   []json.RawMessage `json:"contracts"`
		TaxProfiles []json.RawMessage `json:"tax_profiles"`
		Time        []json.RawMessage `json:"time"`
		Absences    []json.RawMessage `json:"absences"`
		Items       []json.RawMessage `json:"items"`
	}
	dec := json.NewDecoder(src)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		reason := "malformed JSON"
		var se *json.SyntaxError
		if errors.As(err, &se) {
			reason = fmt.Sprintf("malformed JSON at byte %d", se.Offset)
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			reason = fmt.Sprintf("wrong type for field %s", te.Field)
		}
		if strings.HasPrefix(err.Error(), "json: unknown field ") {
			reason = "unknown field; want employees, contracts, tax_profiles, time, absences, items"
		}
		return ImportResult{}, ImportErrors{{Err: fmt.Errorf("%w: %s", ErrInvalid, reason)}}
	}
	var ds Dataset
	var errs ImportErrors
	bad := map[string]map[int]bool{}
	ds.Employees = decodeList[Employee](&errs, bad, "employees", raw.Employees)
	ds.Contracts = decodeList[Contract](&errs, bad, "contracts", raw.Contracts)
	ds.TaxProfiles = decodeList[TaxProfile](&errs, bad, "tax_profiles", raw.TaxProfiles)
	ds.Time = decodeList[TimeEntry](&errs, bad, "time", raw.Time)
	ds.Absences = decodeList[Absence](&errs, bad, "absences", raw.Absences)
	ds.Items = decodeList[OneTimeItem](&errs, bad, "items", raw.Items)
	return r.importDataset(ctx, ds, errs, bad)
}

// decodeList decodes each record of a Dataset's list on its own. A record
// that cannot be decoded is recorded in bad and errs (by position and, if
// it can be told, field; never with its text) and left zero.
func decodeList[T any](errs *ImportErrors, bad map[string]map[int]bool, list string, raws []json.RawMessage) []T {
	if raws == nil {
		return nil
	}
	out := make([]T, len(raws))
	for i, m := range raws {
		if err := decodeStrict(m, &out[i]); err == nil {
			continue
		}
		out[i] = *new(T)
		if bad[list] == nil {
			bad[list] = map[int]bool{}
		}
		bad[list][i] = true
		probs := fieldProblems[T](m)
		if len(probs) == 0 { // not an object, or a problem of no one field
			probs = []fieldProblem{{"", "not a record"}}
		}
		for _, p := range probs {
			col := list
			if p.field != "" {
				col += "." + p.field
			}
			*errs = append(*errs, &ImportError{Row: i + 1, Column: col, Err: fmt.Errorf("%w: %s", ErrInvalid, p.reason)})
		}
	}
	return out
}

func decodeStrict(m json.RawMessage, v any) error {
	dec := json.NewDecoder(bytes.NewReader(m))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

type fieldProblem struct{ field, reason string }

// fieldProblems decodes the fields of the JSON object m into a T one by
// one and returns the problem of each that fails, in the object's order:
// "unknown field" (named by its position only, as its name could be
// anything), "wrong type" or "malformed value". It returns nothing if m is
// not an object.
func fieldProblems[T any](m json.RawMessage) []fieldProblem {
	dec := json.NewDecoder(bytes.NewReader(m))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	var probs []fieldProblem
	for n := 1; dec.More(); n++ {
		tok, err := dec.Token()
		key, ok := tok.(string)
		if err != nil || !ok {
			return probs
		}
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return probs
		}
		one, _ := json.Marshal(map[string]json.RawMessage{key: value})
		var v, lenient T
		err = decodeStrict(one, &v)
		var te *json.UnmarshalTypeError
		switch {
		case err == nil:
		case json.Unmarshal(one, &lenient) == nil: // fails only for the name
			probs = append(probs, fieldProblem{"", fmt.Sprintf("unknown field, the %s of the record", ordinal(n))})
		case errors.As(err, &te):
			probs = append(probs, fieldProblem{key, "wrong type"})
		default:
			probs = append(probs, fieldProblem{key, "malformed value"})
		}
	}
	return probs
}

// ordinal returns "1st", "2nd", "3rd", "4th" … for n ≥ 1.
func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

// Lists of a Dataset, in the order of its fields, which is the order of
// ImportErrors.
var datasetLists = []string{"employees", "contracts", "tax_profiles", "time", "absences", "items"}

// Import records a Dataset in one change, all or none: it hires the
// employees, then records the contract and tax profile versions, time
// entries, absences and one-time items, with the rules of Hire,
// SetContracts, SetTaxProfiles, RecordTime, RecordAbsences and
// AddOneTimeItem. Records refer to employees by ID. Version numbers and
// recording times in ds are ignored; the records are stamped with one
// recording time, taken once the transaction holds every employee they
// belong to.
//
// Records stored already are recognised as such and counted, not recorded
// again, so that importing a Dataset twice records nothing the second
// time; a record that differs from the one stored under its identity is
// ErrConflict. The identities are those of the CSV imports (see
// ImportEmployees, ImportContracts, ImportTime, ImportAbsences), and for
// one-time items the employee and Key.
//
// Any problem fails the whole import, which returns ImportErrors naming
// every problem, in the order of the lists and their records, with its
// position in its list (Row, from 1) and "list.field" (Column), and
// records nothing. A personnel number or ID used by two employees of ds
// is ErrDuplicate at the second, naming the first. The records of an
// employee of ds that has a problem are checked on their own, but not
// against the store.
func (r *Records) Import(ctx context.Context, ds Dataset) (ImportResult, error) {
	return r.importDataset(ctx, ds, nil, nil)
}

// importDataset is Import with the problems pre found reading ds and the
// positions of the records they leave out (bad, by list).
func (r *Records) importDataset(ctx context.Context, ds Dataset, pre ImportErrors, bad map[string]map[int]bool) (ImportResult, error) {
	errs := slices.Clone(pre)
	fail := func(errs *ImportErrors, list string, i int, err error) {
		col := list
		var fe *FieldError
		if errors.As(err, &fe) && fe.Field != "" {
			col = list + "." + fe.Field
		}
		*errs = append(*errs, &ImportError{Row: i + 1, Column: col, Err: err})
	}
	// Each list's records that are fit to write, and where they are in ds.
	type part[T any] struct {
		vs []T
		at []int
	}
	failedBefore := map[string]bool{} // IDs of employees of ds with a problem
	failed := failedBefore
	var es part[Employee]
	seenNum, seenID := map[numberKey]int{}, map[string]int{}
	for i, e := range ds.Employees {
		if bad["employees"][i] {
			failed[e.ID] = true
			continue
		}
		e = r.prepareHire(e)
		if err := e.Validate(); err != nil {
			fail(&errs, "employees", i, err)
			failed[e.ID] = true
			continue
		}
		num := numberKey{e.Employer, e.PersonnelNumber}
		if first, dup := seenNum[num]; dup {
			fail(&errs, "employees", i, withNumber(fieldErr("employee", "personnel_number", ErrDuplicate, fmt.Sprintf("also in row %d", first+1)), e.PersonnelNumber))
			failed[e.ID] = true
			continue
		}
		if first, dup := seenID[e.ID]; dup {
			fail(&errs, "employees", i, withNumber(fieldErr("employee", "id", ErrDuplicate, fmt.Sprintf("also in row %d", first+1)), e.PersonnelNumber))
			continue // the ID's first employee is fine
		}
		seenNum[num], seenID[e.ID] = i, i
		es.vs, es.at = append(es.vs, e), append(es.at, i)
	}
	var cs part[Contract]
	for i, c := range ds.Contracts {
		if bad["contracts"][i] {
			continue
		}
		c = c.Clone()
		c.RecordedAt, c.Seq = time.Time{}, 0
		if err := r.checkContract(&c); err != nil {
			fail(&errs, "contracts", i, err)
			continue
		}
		cs.vs, cs.at = append(cs.vs, c), append(cs.at, i)
	}
	var ps part[TaxProfile]
	for i, p := range ds.TaxProfiles {
		if bad["tax_profiles"][i] {
			continue
		}
		p = p.Clone()
		p.RecordedAt, p.Seq = time.Time{}, 0
		if err := p.Validate(); err != nil {
			fail(&errs, "tax_profiles", i, err)
			continue
		}
		if isUS(p.Jurisdiction) {
			p.US.normalize()
		}
		ps.vs, ps.at = append(ps.vs, p), append(ps.at, i)
	}
	var ts part[TimeEntry]
	for i, t := range ds.Time {
		if bad["time"][i] {
			continue
		}
		t.RecordedAt = time.Time{}
		if err := t.Validate(); err != nil {
			fail(&errs, "time", i, err)
			continue
		}
		ts.vs, ts.at = append(ts.vs, t), append(ts.at, i)
	}
	var as part[Absence]
	for i, a := range ds.Absences {
		if bad["absences"][i] {
			continue
		}
		if a.To.IsZero() {
			a.To = a.From
		}
		a.RecordedAt = time.Time{}
		if err := a.Validate(); err != nil {
			fail(&errs, "absences", i, err)
			continue
		}
		as.vs, as.at = append(as.vs, a), append(as.at, i)
	}
	var its part[OneTimeItem]
	keys := map[[2]string]int{}
	for i, it := range ds.Items {
		if bad["items"][i] {
			continue
		}
		it.RecordedAt = time.Time{}
		if err := it.Validate(); err != nil {
			fail(&errs, "items", i, err)
		} else if err := r.checkCurrency("item", "currency", it.Amount); err != nil {
			fail(&errs, "items", i, err)
		} else if first, dup := keys[[2]string{it.Employee, it.Key}]; dup {
			fail(&errs, "items", i, fieldErr("item", "key", ErrDuplicate, fmt.Sprintf("also in row %d", first+1)))
		} else {
			keys[[2]string{it.Employee, it.Key}] = i
			its.vs, its.at = append(its.vs, it), append(its.at, i)
		}
	}

	var res ImportResult
	err := r.store.UpdateHR(ctx, func(tx Tx) error {
		errs := slices.Clone(errs)
		failed := maps.Clone(failedBefore)
		mt := newMemoTx(tx)
		c := r.newChange(ctx, mt, true)
		// Read (and so lock, where the store locks rows) every employee the
		// change writes for before the recording time is taken.
		for _, e := range es.vs {
			if _, err := mt.EmployeeByNumber(ctx, e.Employer, e.PersonnelNumber); err != nil && !errors.Is(err, ErrNotFound) {
				return err
			}
		}
		for _, id := range referenced(ds) {
			if _, err := mt.Employee(ctx, id); err != nil && !errors.Is(err, ErrNotFound) {
				return err
			}
		}
		c.now()

		probs, existing := writeEmployees(c, es.vs)
		for _, p := range probs {
			fail(&errs, "employees", es.at[p.i], p.err)
			failed[es.vs[p.i].ID] = true
		}
		res.Employees = ImportCount{Added: len(es.vs) - existing, Existing: existing}
		// The records of an employee of ds with a problem would only
		// repeat it ("not found").
		res.Contracts = stage(c, &errs, fail, "contracts", cs.vs, cs.at, failed, func(c *Contract) string { return c.Employee }, writeContracts)
		res.TaxProfiles = stage(c, &errs, fail, "tax_profiles", ps.vs, ps.at, failed, func(p *TaxProfile) string { return p.Employee }, writeTaxProfiles)
		res.Absences = stage(c, &errs, fail, "absences", as.vs, as.at, failed, func(a *Absence) string { return a.Employee }, writeAbsences)
		res.Time = stage(c, &errs, fail, "time", ts.vs, ts.at, failed, func(t *TimeEntry) string { return t.Employee }, writeTime)
		res.Items = stage(c, &errs, fail, "items", its.vs, its.at, failed, func(it *OneTimeItem) string { return it.Employee }, writeItems)
		if len(errs) > 0 {
			slices.SortStableFunc(errs, func(a, b *ImportError) int {
				return cmp.Or(cmp.Compare(listOrder(a.Column), listOrder(b.Column)), cmp.Compare(a.Row, b.Row))
			})
			return errs
		}
		return nil
	})
	if err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

// stage writes the records vs of one list of an import (at their positions
// at) with write, leaving out those of the employees failed, and records
// their problems with fail. It returns the list's count.
func stage[V any](c *change, errs *ImportErrors, fail func(*ImportErrors, string, int, error), list string, vs []V, at []int,
	failed map[string]bool, employee func(*V) string, write func(*change, []V) ([]problem, int)) ImportCount {
	var todo []V
	var pos []int
	for i := range vs {
		if !failed[employee(&vs[i])] {
			todo, pos = append(todo, vs[i]), append(pos, at[i])
		}
	}
	probs, existing := write(c, todo)
	for _, p := range probs {
		fail(errs, list, pos[p.i], p.err)
	}
	return ImportCount{Added: len(todo) - existing, Existing: existing}
}

// writeItems adds the one-time items of an import that are not stored yet,
// if there is no problem. An item stored with the same key and payload is
// stored already; with another payload it is ErrConflict.
func writeItems(c *change, its []OneTimeItem) ([]problem, int) {
	var probs []problem
	adds := make([]bool, len(its))
	existing := 0
	for i, it := range its {
		emp, err := c.tx.Employee(c.ctx, it.Employee)
		if err != nil {
			probs = append(probs, problem{i, fmt.Errorf("hr: item: employee: %w", err)})
			continue
		}
		if err := c.r.checkPay("item", "currency", emp.Employer, it.Amount); err != nil {
			probs = append(probs, problem{i, withNumber(err, emp.PersonnelNumber)})
			continue
		}
		old, err := storedItem(c.ctx, c.tx, it)
		switch {
		case err != nil:
			probs = append(probs, problem{i, withNumber(err, emp.PersonnelNumber)})
		case !old.RecordedAt.IsZero():
			existing++
		default:
			adds[i] = true
		}
	}
	if len(probs) > 0 {
		return probs, existing
	}
	now := c.now()
	for i := range its {
		if !adds[i] {
			continue
		}
		its[i].RecordedAt = now
		if err := c.tx.AddOneTimeItem(c.ctx, its[i]); err != nil {
			return []problem{{i, err}}, existing
		}
	}
	return nil, existing
}

// referenced returns the IDs of the employees the records of ds other than
// its employees belong to, each once, sorted.
func referenced(ds Dataset) []string {
	seen := map[string]bool{}
	for _, c := range ds.Contracts {
		seen[c.Employee] = true
	}
	for _, p := range ds.TaxProfiles {
		seen[p.Employee] = true
	}
	for _, t := range ds.Time {
		seen[t.Employee] = true
	}
	for _, a := range ds.Absences {
		seen[a.Employee] = true
	}
	for _, it := range ds.Items {
		seen[it.Employee] = true
	}
	delete(seen, "")
	return slices.Sorted(maps.Keys(seen))
}

// listOrder returns the position of the list a column ("list.field")
// belongs to among the lists of a Dataset.
func listOrder(column string) int {
	list, _, _ := strings.Cut(column, ".")
	return slices.Index(datasetLists, list)
}
