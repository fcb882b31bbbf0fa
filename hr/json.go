package hr

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
// document that is not a Dataset fails with ErrInvalid, without repeating
// any of its text. Amounts must be in ISO 4217 currencies.
func (r *Records) ImportJSON(ctx context.Context, src io.Reader) error {
	var ds Dataset
	dec := json.NewDecoder(src)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ds); err != nil {
		reason := "malformed JSON"
		var se *json.SyntaxError
		if errors.As(err, &se) {
			reason = fmt.Sprintf("malformed JSON at byte %d", se.Offset)
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			reason = fmt.Sprintf("wrong type for field %s", te.Field)
		}
		return ImportErrors{{Err: fmt.Errorf("%w: %s", ErrInvalid, reason)}}
	}
	return r.Import(ctx, ds)
}

// Import records a Dataset in one change, all or none: it hires the
// employees, then records the contract and tax profile versions, time
// entries, absences and one-time items, with the rules of Hire,
// SetContracts, SetTaxProfiles, RecordTime, RecordAbsences and
// AddOneTimeItem. Records refer to employees by ID. Any problem fails the
// whole import, which returns ImportErrors naming each problem with its
// position in its list (Row, from 1) and "list.field" (Column), and
// records nothing. Version numbers and recording times in ds are ignored.
func (r *Records) Import(ctx context.Context, ds Dataset) error {
	var errs ImportErrors
	fail := func(list string, i int, err error) {
		col := list
		var fe *FieldError
		if errors.As(err, &fe) && fe.Field != "" {
			col = list + "." + fe.Field
		}
		errs = append(errs, &ImportError{Row: i + 1, Column: col, Err: err})
	}
	now := r.stamp()
	es := make([]Employee, len(ds.Employees))
	for i, e := range ds.Employees {
		es[i] = r.prepareHire(e)
		es[i].RecordedAt = now
		if err := es[i].Validate(); err != nil {
			fail("employees", i, err)
		}
	}
	cs := make([]Contract, len(ds.Contracts))
	for i, c := range ds.Contracts {
		c = c.Clone()
		c.RecordedAt, c.Seq = now, 0
		if err := r.checkContract(&c); err != nil {
			fail("contracts", i, err)
		}
		cs[i] = c
	}
	ps := make([]TaxProfile, len(ds.TaxProfiles))
	for i, p := range ds.TaxProfiles {
		p = p.Clone()
		p.RecordedAt, p.Seq = now, 0
		if err := p.Validate(); err != nil {
			fail("tax_profiles", i, err)
		}
		if isUS(p.Jurisdiction) {
			p.US.normalize()
		}
		ps[i] = p
	}
	ts := make([]TimeEntry, len(ds.Time))
	for i, t := range ds.Time {
		t.RecordedAt = now
		if err := t.Validate(); err != nil {
			fail("time", i, err)
		}
		ts[i] = t
	}
	as := make([]Absence, len(ds.Absences))
	for i, a := range ds.Absences {
		if a.To.IsZero() {
			a.To = a.From
		}
		a.RecordedAt = now
		if err := a.Validate(); err != nil {
			fail("absences", i, err)
		}
		as[i] = a
	}
	its := make([]OneTimeItem, len(ds.Items))
	keys := map[[2]string]bool{}
	for i, it := range ds.Items {
		it.RecordedAt = now
		if err := it.Validate(); err != nil {
			fail("items", i, err)
		} else if err := r.checkCurrency("item", "currency", it.Amount); err != nil {
			fail("items", i, err)
		} else if k := [2]string{it.Employee, it.Key}; keys[k] {
			fail("items", i, fieldErr("item", "key", ErrDuplicate, "twice in the document"))
		} else {
			keys[k] = true
		}
		its[i] = it
	}
	if len(errs) > 0 {
		return errs
	}
	return r.store.UpdateHR(ctx, func(tx Tx) error {
		for _, p := range writeEmployees(ctx, tx, es) {
			fail("employees", p.i, p.err)
		}
		if len(errs) > 0 { // later checks would only repeat "employee not found"
			return errs
		}
		for _, p := range r.writeContracts(ctx, tx, cs) {
			fail("contracts", p.i, p.err)
		}
		for _, p := range r.writeTaxProfiles(ctx, tx, ps) {
			fail("tax_profiles", p.i, p.err)
		}
		for _, p := range writeAbsences(ctx, tx, as) {
			fail("absences", p.i, p.err)
		}
		for _, p := range writeTime(ctx, tx, ts) {
			fail("time", p.i, p.err)
		}
		for i, it := range its {
			if _, err := tx.Employee(ctx, it.Employee); err != nil {
				fail("items", i, err)
			} else if _, err := tx.OneTimeItem(ctx, it.Employee, it.Key); err == nil {
				fail("items", i, fieldErr("item", "key", ErrDuplicate, ""))
			} else if len(errs) == 0 {
				if err := tx.AddOneTimeItem(ctx, it); err != nil {
					fail("items", i, err)
				}
			}
		}
		if len(errs) > 0 {
			return errs
		}
		return nil
	})
}
